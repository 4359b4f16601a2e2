/*
 * fuzz_sendmail - libFuzzer target for parsers/sendmail.
 *
 * Two passes over one input, as fuzz_postfix does: every line with a
 * syslog header through sendmail_feed() and sendmail_next(), then the
 * whole input as the message of a synthetic header under each of
 * Sendmail's program names, to reach deep paths without a valid
 * header.
 *
 * Checked: the status is one of the four, its reason in range, events
 * come only with PARSE_EVENTS (at least one), their enums are in
 * range, they say MTA_SENDMAIL, a queue ID that is set is a Sendmail
 * queue ID, and every byte of every string is read (events may borrow
 * from the parser's composed response, so ASan checks them rather
 * than a range test).  Each line is copied to a heap block of its own
 * size.  Any failure aborts.
 *
 * fuzz-needs: parsers/sendmail.c
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
#include "parsers/sendmail.h"
#include "parsers/syslog.h"

int	LLVMFuzzerInitialize(int *argc, char ***argv);
int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const programs[] = {
	"sendmail", "sm-mta", "sm-msp-queue", "sm-acceptingconnections",
	"sendmail-in", "sm-notify",
};

#define NPROGRAMS	(sizeof(programs) / sizeof(programs[0]))

/* LLVMFuzzerInitialize - fixed zone: the run is deterministic */
int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	setenv("TZ", "UTC", 1);
	tzset();
	return 0;
}

/* check_event - what every parser's event may hold, and a queue ID */
static void
check_event(const struct mta_event *ev)
{
	fuzz_check_event(ev, MTA_SENDMAIL);
	if (zstr_is_set(ev->queue_id))
		CHECK(sendmail_is_queue_id(ev->queue_id));
}

/* feed - one header through the parser, and the checks */
static void
feed(struct sendmail_parser *p, const struct syslog_header *hdr)
{
	const struct mta_event *ev;
	enum ignore_reason ignore = IGNORE_REASON_COUNT;
	enum malformed_reason malformed = MALFORMED_REASON_COUNT;
	enum parse_status st;
	size_t		 n = 0;

	st = sendmail_feed(p, hdr, &ignore, &malformed);
	fuzz_check_reason(st, ignore, malformed);
	if (st == PARSE_EVENTS) {
		while ((ev = sendmail_next(p)) != NULL) {
			check_event(ev);
			n++;
		}
		CHECK(n >= 1);
	} else if (st == PARSE_NOT_MINE)
		CHECK(!sendmail_is_program(hdr->program));
	CHECK(sendmail_next(p) == NULL);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct syslog_parser *sp;
	struct sendmail_parser *mp;
	struct syslog_header hdr;
	const uint8_t	*s = data, *end = data + size, *nl;
	char		*line;
	size_t		 len, i;

	sp = syslog_parser_new(2026, 1795728715);
	mp = sendmail_parser_new();
	for (;;) {
		nl = memchr(s, '\n', (size_t)(end - s));
		len = (size_t)((nl != NULL ? nl : end) - s);
		line = fuzz_copy(s, len);
		if (syslog_parse(sp, line, len, &hdr) == SYSLOG_OK)
			feed(mp, &hdr);
		free(line);
		if (nl == NULL)
			break;
		s = nl + 1;
	}
	line = fuzz_copy(data, size);
	for (i = 0; i < NPROGRAMS; i++) {
		memset(&hdr, 0, sizeof(hdr));
		hdr.time_sec = 1795728715;
		hdr.host = ZSTR_LIT("relay1");
		hdr.program = zstr_make(programs[i], strlen(programs[i]));
		hdr.service = hdr.program;
		hdr.instance = hdr.program;
		hdr.pid = 4242;
		hdr.message = zstr_make(line, size);
		feed(mp, &hdr);
	}
	free(line);
	sendmail_parser_free(mp);
	syslog_parser_free(sp);
	return 0;
}
