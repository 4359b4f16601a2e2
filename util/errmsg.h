/*
 * errmsg - error messages into a caller's buffer.
 *
 * Functions that can fail take "char *err, size_t errlen" and, when
 * err is not NULL, say why there; errmsg_fail() writes such a message
 * and gives the false they return.  errmsg_shown() makes a piece of
 * the input fit to quote in one.
 */
#ifndef ZS_ERRMSG_H
#define ZS_ERRMSG_H

#include <stdbool.h>
#include <stddef.h>

/* errmsg_fail - printf into err (nothing when err is NULL or errlen
   0, clipped to errlen - 1 bytes); false */
bool	errmsg_fail(char *err, size_t errlen, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));

/* errmsg_shown - text fit for a message: control bytes (and DEL) as
   '?', clipped to size - 1 bytes, into buf; buf */
const char *errmsg_shown(char *buf, size_t size, const char *text);

#endif
