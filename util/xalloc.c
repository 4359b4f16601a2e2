/*
 * xalloc - allocation that cannot fail (see xalloc.h).
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

/* xalloc_die - report an allocation failure and exit */
static void
xalloc_die(size_t size)
{
	fprintf(stderr, "zombiescan: out of memory allocating %zu bytes\n",
	    size);
	exit(1);
}

/* xmalloc - malloc that never returns NULL */
void *
xmalloc(size_t size)
{
	void	*p = malloc(size ? size : 1);

	if (p == NULL)
		xalloc_die(size);
	return p;
}

/* xcalloc - calloc that never returns NULL */
void *
xcalloc(size_t count, size_t size)
{
	void	*p;

	if (count == 0 || size == 0)
		count = size = 1;
	p = calloc(count, size);
	if (p == NULL)
		xalloc_die(count * size);
	return p;
}

/* xreallocarray - overflow-checked realloc that never returns NULL */
void *
xreallocarray(void *ptr, size_t count, size_t size)
{
	void	*p;

	if (size != 0 && count > SIZE_MAX / size)
		xalloc_die(SIZE_MAX);
	if (count * size == 0)
		count = size = 1;
	p = realloc(ptr, count * size);
	if (p == NULL)
		xalloc_die(count * size);
	return p;
}

/* xstrdup - duplicate a string */
char *
xstrdup(const char *s)
{
	return xmemdup0(s, strlen(s));
}

/* xmemdup0 - duplicate len bytes and terminate them */
char *
xmemdup0(const void *data, size_t len)
{
	char	*p;

	if (len == SIZE_MAX)
		xalloc_die(len);
	p = xmalloc(len + 1);
	if (len > 0)
		memcpy(p, data, len);
	p[len] = '\0';
	return p;
}
