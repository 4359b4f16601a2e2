/*
 * utf8 - validation and repair of text taken from logs.
 *
 * Log text is bytes: envelope addresses and remote responses may hold
 * Latin-1, control characters or junk.  Everything that leaves the
 * program as JSON must be valid UTF-8, so invalid sequences are
 * replaced with U+FFFD (one per maximal invalid subpart, as Unicode
 * recommends) and NUL bytes likewise.  Other control characters are
 * kept: JSON escapes them.
 */
#ifndef ZS_UTF8_H
#define ZS_UTF8_H

#include <stdbool.h>
#include <stddef.h>

/* utf8_valid - whether len bytes are valid UTF-8 with no NUL byte */
bool	 utf8_valid(const char *s, size_t len);

/*
 * utf8_sequence - the length (1 to 4) of the well-formed UTF-8
 * sequence opening the avail > 0 bytes at s, or 0 when they open none
 * or s[0] is NUL
 */
size_t	 utf8_sequence(const char *s, size_t avail);

/*
 * utf8_repair - NUL-terminated copy of s with invalid sequences and NUL
 * bytes replaced by U+FFFD.  Caller frees.  *outlen may be NULL.
 */
char	*utf8_repair(const char *s, size_t len, size_t *outlen);

#endif
