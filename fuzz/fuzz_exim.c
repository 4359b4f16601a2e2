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

#include "fuzz/fuzz_common.h"
#include "parsers/event.h"
#include "parsers/exim.h"
#include "parsers/syslog.h"

int	LLVMFuzzerInitialize(int *argc, char ***argv);
int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_EVENTS_PER_LINE	4

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

/* check_event - what every parser's event may hold, and an Exim ID */
static void
check_event(const struct mta_event *ev)
{
	fuzz_check_event(ev, MTA_EXIM);
	if (zstr_is_set(ev->queue_id) && ev->kind != EV_BOUNCE_NOTICE)
		CHECK(exim_is_message_id(ev->queue_id));
}

/* after_feed - the status, its reason and the events of one line */
static void
after_feed(struct exim_parser *p, enum parse_status st,
    enum ignore_reason ignore, enum malformed_reason malformed)
{
	const struct mta_event *ev;
	int		 n = 0;

	fuzz_check_reason(st, ignore, malformed);
	if (st == PARSE_EVENTS) {
		while ((ev = exim_next(p)) != NULL) {
			check_event(ev);
			n++;
			CHECK(n <= MAX_EVENTS_PER_LINE);
		}
		CHECK(n >= 1);
	}
	CHECK(exim_next(p) == NULL);
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
		line = fuzz_copy(s, len);
		native(ep, line, len);
		if (syslog_parse(sp, line, len, &hdr) == SYSLOG_OK)
			syslogged(ep, &hdr);
		free(line);
		if (nl == NULL)
			break;
		s = nl + 1;
	}
	line = fuzz_copy(data, size);
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
