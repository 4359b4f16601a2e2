/*
 * fuzz_common - what the MTA parser targets (fuzz_postfix, fuzz_exim,
 * fuzz_sendmail) check alike.
 *
 * CHECK() aborts with the file, line and condition, which libFuzzer
 * reports as a crash.  fuzz_copy() gives each line a heap block of
 * exactly its size, so that a parser reading past the end of a line
 * is caught by AddressSanitizer.  fuzz_check_event() holds an event to
 * what parsers/event.h promises of every parser; each target adds what
 * its own MTA promises (queue ID syntax, where strings may point).
 *
 * Everything here is static inline: each target is one translation
 * unit, and those that do not use a helper do not warn about it.
 */
#ifndef ZS_FUZZ_COMMON_H
#define ZS_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parsers/event.h"

#define CHECK(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__,	\
		    __LINE__, #cond);					\
		abort();						\
	}								\
} while (0)

/* A byte the compiler cannot drop: fuzz_touch() writes to it. */
static volatile unsigned char fuzz_sink;

/*
 * fuzz_touch - an unset string has no length; a set one has every
 * byte read, so that AddressSanitizer checks where it points
 */
static inline void
fuzz_touch(struct zstr z)
{
	unsigned char	acc = 0;
	size_t		i;

	if (z.ptr == NULL) {
		CHECK(z.len == 0);
		return;
	}
	for (i = 0; i < z.len; i++)
		acc ^= (unsigned char)z.ptr[i];
	fuzz_sink = acc;
}

/*
 * fuzz_check_event - the enums in range, the MTA the parser names, the
 * names of kind and status printable, every string touched
 */
static inline void
fuzz_check_event(const struct mta_event *ev, enum mta_kind mta)
{
	size_t		i;

	CHECK((unsigned)ev->kind < EV_KIND_COUNT);
	CHECK(ev->mta == mta);
	CHECK((unsigned)ev->status <= DELIVERY_OTHER);
	CHECK((unsigned)ev->reject_origin <= REJECT_DISCARD);
	CHECK((unsigned)ev->notice <= NOTICE_DELIVERY_STATUS);
	(void)event_kind_name(ev->kind);
	(void)delivery_status_name(ev->status);
	for (i = 0; i < EVENT_STRING_COUNT; i++)
		fuzz_touch(*event_string_const(ev, i));
}

/*
 * fuzz_check_reason - the reason that comes with PARSE_IGNORED or
 * PARSE_MALFORMED is in range and has a name; other statuses carry
 * none to check
 */
static inline void
fuzz_check_reason(enum parse_status st, enum ignore_reason ignore,
    enum malformed_reason malformed)
{
	switch (st) {
	case PARSE_IGNORED:
		CHECK((unsigned)ignore < IGNORE_REASON_COUNT);
		(void)ignore_reason_name(ignore);
		break;
	case PARSE_MALFORMED:
		CHECK((unsigned)malformed < MALFORMED_REASON_COUNT);
		(void)malformed_reason_name(malformed);
		break;
	case PARSE_EVENTS:
	case PARSE_NOT_MINE:
		break;
	default:
		CHECK(!"unknown parse status");
	}
}

/* fuzz_copy - len bytes in a heap block of exactly that size */
static inline char *
fuzz_copy(const uint8_t *data, size_t len)
{
	char	*p = malloc(len);	/* ASan: malloc(0) is unique */

	CHECK(p != NULL);
	if (len > 0)
		memcpy(p, data, len);
	return p;
}

#endif
