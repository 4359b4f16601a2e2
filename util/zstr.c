/*
 * zstr - borrowed byte strings (see zstr.h).
 */
#include "config.h"

#include "util/xalloc.h"
#include "util/zstr.h"

/* zstr_dup - copy a borrowed string */
char *
zstr_dup(struct zstr s)
{
	if (s.ptr == NULL)
		return NULL;
	return xmemdup0(s.ptr, s.len);
}
