/*
 * zstr - a borrowed byte string: pointer and length, not terminated.
 *
 * Parsers describe the fields of a line as zstr values pointing into
 * the line buffer; whoever keeps a field copies it (zstr_dup).
 */
#ifndef ZS_ZSTR_H
#define ZS_ZSTR_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

struct zstr {
	const char	*ptr;
	size_t		 len;
};

#define ZSTR_NULL	((struct zstr){ NULL, 0 })
#define ZSTR_LIT(s)	((struct zstr){ (s), sizeof(s) - 1 })

/* zstr_make - wrap ptr and len */
static inline struct zstr
zstr_make(const char *ptr, size_t len)
{
	return (struct zstr){ ptr, len };
}

/* zstr_is_set - whether the field was present (even if empty) */
static inline bool
zstr_is_set(struct zstr s)
{
	return s.ptr != NULL;
}

/* zstr_eq_lit - compare with a C string */
static inline bool
zstr_eq_cstr(struct zstr s, const char *lit)
{
	size_t	n = strlen(lit);

	return s.len == n && (n == 0 || memcmp(s.ptr, lit, n) == 0);
}

/* zstr_dup - NUL-terminated heap copy (NULL for an unset zstr) */
char	*zstr_dup(struct zstr s);

#endif
