/*
 * errmsg - error messages into a caller's buffer (see errmsg.h).
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>

#include "util/errmsg.h"

/* errmsg_fail - see errmsg.h */
bool
errmsg_fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list	ap;

	if (err != NULL && errlen > 0) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return false;
}

/* errmsg_shown - see errmsg.h */
const char *
errmsg_shown(char *buf, size_t size, const char *text)
{
	size_t	i;

	if (size == 0)
		return buf;
	for (i = 0; text[i] != '\0' && i + 1 < size; i++)
		buf[i] = (unsigned char)text[i] < 0x20 ||
		    (unsigned char)text[i] == 0x7f ? '?' : text[i];
	buf[i] = '\0';
	return buf;
}
