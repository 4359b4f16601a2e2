/*
 * fuzz_exim - libFuzzer target for parsers/exim.
 *
 * Three passes over one input:
 *   - as a native main log: every "\n"-separated line through
 *     exim_feed_native() (the relay named by the caller, as source.c
 *     does for a log without syslog headers);
 *   - as a syslog log: every line with a syslog header through
 *     exim_feed();
 *   - as one message: the whole input under a synthetic "exim4" and
 *     "exim" header, to reach deep paths without a valid header.
 *
 * Checked: the status is one of the four, its reason in range, events
 * come only with PARSE_EVENTS (at least one, at most four, as exim.h
 * promises), their enums are in range, they say MTA_EXIM, a queue ID
 * that is set is an Exim message ID, and every byte of every string
 * is read (events may borrow from the parser's buffer or static
 * strings, so ASan checks them rather than a range test).  Each line
 * is copied to a heap block of its own size.  Any failure aborts.
 *
 * fuzz-needs: parsers/exim.c
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "parsers/event.h"
#include "parsers/exim.h"
#include "parsers/syslog.h"

int	LLVMFuzzerInitialize(int *argc, char ***argv);
int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__,	\
		    __LINE__, #cond);					\
		abort();						\
	}								\
} while (0)

#define MAX_EVENTS_PER_LINE	4

static volatile unsigned char sink;

/* LLVMFuzzerInitialize - a zone with DST rules: deterministic */
int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	setenv("TZ", "CET-1CEST,M3.5.0,M10.5.0/3", 1);
	tzset();
	return 0;
}

/* touch - read every byte of a set string (ASan checks it) */
static void
touch(struct zstr z)
{
	unsigned char	acc = 0;
	size_t		i;

	if (z.ptr == NULL) {
		CHECK(z.len == 0);
		return;
	}
	for (i = 0; i < z.len; i++)
		acc ^= (unsigned char)z.ptr[i];
	sink = acc;
}

/* check_event - what an event may hold */
static void
check_event(const struct mta_event *ev)
{
	CHECK((unsigned)ev->kind < EV_KIND_COUNT);
	CHECK(ev->mta == MTA_EXIM);
	CHECK((unsigned)ev->status <= DELIVERY_OTHER);
	CHECK((unsigned)ev->reject_origin <= REJECT_MILTER);
	CHECK((unsigned)ev->notice <= NOTICE_DELIVERY_STATUS);
	if (zstr_is_set(ev->queue_id) && ev->kind != EV_BOUNCE_NOTICE)
		CHECK(exim_is_message_id(ev->queue_id));
	touch(ev->host);
	touch(ev->program);
	touch(ev->queue_id);
	touch(ev->related_queue_id);
	touch(ev->client_ip);
	touch(ev->client_name);
	touch(ev->helo);
	touch(ev->sasl_method);
	touch(ev->sasl_username);
	touch(ev->sender);
	touch(ev->recipient);
	touch(ev->orig_recipient);
	touch(ev->message_id);
	touch(ev->transport);
	touch(ev->relay);
	touch(ev->dsn);
	touch(ev->response);
	touch(ev->stage);
}

/* after_feed - the status, its reason and the events of one line */
static void
after_feed(struct exim_parser *p, enum parse_status st,
    enum ignore_reason ignore, enum malformed_reason malformed)
{
	struct mta_event ev;
	int		 n = 0;

	switch (st) {
	case PARSE_EVENTS:
		while (exim_next(p, &ev)) {
			check_event(&ev);
			n++;
			CHECK(n <= MAX_EVENTS_PER_LINE);
		}
		CHECK(n >= 1);
		break;
	case PARSE_IGNORED:
		CHECK((unsigned)ignore < IGNORE_REASON_COUNT);
		break;
	case PARSE_MALFORMED:
		CHECK((unsigned)malformed < MALFORMED_REASON_COUNT);
		break;
	case PARSE_NOT_MINE:
		break;
	default:
		CHECK(!"unknown parse status");
	}
	CHECK(!exim_next(p, &ev));
}

/* copy - len bytes in a heap block of exactly that size */
static char *
copy(const uint8_t *data, size_t len)
{
	char	*s = malloc(len);	/* ASan: malloc(0) is unique */

	CHECK(s != NULL);
	memcpy(s, data, len);
	return s;
}

/* native - one line as a native main log line */
static void
native(struct exim_parser *p, const char *line, size_t len)
{
	enum ignore_reason ignore = IGNORE_REASON_COUNT;
	enum malformed_reason malformed = MALFORMED_REASON_COUNT;
	enum parse_status st;
	int64_t		 sec;
	uint32_t	 usec;

	(void)exim_is_native_line(line, len);
	(void)exim_is_continuation_line(line, len);
	st = exim_feed_native(p, line, len, ZSTR_LIT("relay1"), &ignore,
	    &malformed);
	if (exim_line_time(p, &sec, &usec))
		CHECK(usec < 1000000);
	after_feed(p, st, ignore, malformed);
}

/* syslogged - one header through exim_feed() */
static void
syslogged(struct exim_parser *p, const struct syslog_header *hdr)
{
	enum ignore_reason ignore = IGNORE_REASON_COUNT;
	enum malformed_reason malformed = MALFORMED_REASON_COUNT;
	enum parse_status st;

	st = exim_feed(p, hdr, &ignore, &malformed);
	if (st == PARSE_NOT_MINE)
		CHECK(!exim_is_program(hdr->program));
	after_feed(p, st, ignore, malformed);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const programs[] = { "exim4", "exim" };
	struct syslog_parser *sp;
	struct exim_parser *ep;
	struct syslog_header hdr;
	const uint8_t	*s = data, *end = data + size, *nl;
	char		*line;
	size_t		 len, i;

	sp = syslog_parser_new(2026, 1795728715);
	ep = exim_parser_new();
	for (;;) {
		nl = memchr(s, '\n', (size_t)(end - s));
		len = (size_t)((nl != NULL ? nl : end) - s);
		line = copy(s, len);
		native(ep, line, len);
		if (syslog_parse(sp, line, len, &hdr) == SYSLOG_OK)
			syslogged(ep, &hdr);
		free(line);
		if (nl == NULL)
			break;
		s = nl + 1;
	}
	line = copy(data, size);
	for (i = 0; i < sizeof(programs) / sizeof(programs[0]); i++) {
		memset(&hdr, 0, sizeof(hdr));
		hdr.time_sec = 1795728715;
		hdr.host = ZSTR_LIT("relay1");
		hdr.program = zstr_make(programs[i], strlen(programs[i]));
		hdr.service = hdr.program;
		hdr.instance = hdr.program;
		hdr.pid = 4242;
		hdr.message = zstr_make(line, size);
		syslogged(ep, &hdr);
	}
	free(line);
	exim_parser_free(ep);
	syslog_parser_free(sp);
	return 0;
}
