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

#include "parsers/event.h"
#include "parsers/sendmail.h"
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

static const char *const programs[] = {
	"sendmail", "sm-mta", "sm-msp-queue", "sm-acceptingconnections",
	"sendmail-in", "sm-notify",
};

#define NPROGRAMS	(sizeof(programs) / sizeof(programs[0]))

static volatile unsigned char sink;

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
	CHECK(ev->mta == MTA_SENDMAIL);
	CHECK((unsigned)ev->status <= DELIVERY_OTHER);
	CHECK((unsigned)ev->reject_origin <= REJECT_MILTER);
	CHECK((unsigned)ev->notice <= NOTICE_DELIVERY_STATUS);
	if (zstr_is_set(ev->queue_id))
		CHECK(sendmail_is_queue_id(ev->queue_id));
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

/* feed - one header through the parser, and the checks */
static void
feed(struct sendmail_parser *p, const struct syslog_header *hdr)
{
	struct mta_event ev;
	enum ignore_reason ignore = IGNORE_REASON_COUNT;
	enum malformed_reason malformed = MALFORMED_REASON_COUNT;
	enum parse_status st;
	size_t		 n = 0;

	st = sendmail_feed(p, hdr, &ignore, &malformed);
	switch (st) {
	case PARSE_EVENTS:
		while (sendmail_next(p, &ev)) {
			check_event(&ev);
			n++;
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
		CHECK(!sendmail_is_program(hdr->program));
		break;
	default:
		CHECK(!"unknown parse status");
	}
	CHECK(!sendmail_next(p, &ev));
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
		line = copy(s, len);
		if (syslog_parse(sp, line, len, &hdr) == SYSLOG_OK)
			feed(mp, &hdr);
		free(line);
		if (nl == NULL)
			break;
		s = nl + 1;
	}
	line = copy(data, size);
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
