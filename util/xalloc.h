/*
 * xalloc - allocation that cannot fail.
 *
 * Every allocation in zombiescan goes through these wrappers.  Out of
 * memory is not an input error the caller could recover from: the
 * wrappers print one message naming the size and exit with status 1
 * (EXIT_FATAL in cmd/exitcode.h).  Results are freed with free().
 */
#ifndef ZS_XALLOC_H
#define ZS_XALLOC_H

#include <stddef.h>

/* xmalloc - malloc(size), never NULL; size 0 gives a unique pointer */
void	*xmalloc(size_t size);

/* xcalloc - zeroed array of count elements, overflow-checked */
void	*xcalloc(size_t count, size_t size);

/* xrealloc - resize ptr to count * size bytes, overflow-checked */
void	*xreallocarray(void *ptr, size_t count, size_t size);

/* xstrdup - copy of a NUL-terminated string */
char	*xstrdup(const char *s);

/* xmemdup0 - copy of len bytes plus a terminating NUL */
char	*xmemdup0(const void *data, size_t len);

#endif
