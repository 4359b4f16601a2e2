/*
 * fuzz_postfix - libFuzzer target for parsers/postfix.
 *
 * Two passes over one input:
 *   - as a log: every "\n"-separated line goes through the syslog
 *     parser, and a line with a header through postfix_feed() and
 *     postfix_next();
 *   - as one message: the whole input is the message of a synthetic
 *     header, once for each Postfix program name in the table below
 *     (and once with the service left unset, once with no program at
 *     all), so that mutations reach
 *     the deep paths of every service without first having to grow a
 *     valid syslog header.
 *
 * Checked: the status is one of the four, the reason that comes with
 * it is in range, PARSE_EVENTS gives exactly one event and any other
 * status none, an event's enums are in range, its queue IDs are valid
 * Postfix queue IDs, and every string it holds lies inside the line or
 * the header's own strings (events borrow, they never copy).  Each
 * line is copied to a buffer of its own size, so reading past its end
 * is caught.  Any failure aborts.
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
#include "parsers/postfix.h"
#include "parsers/syslog.h"

int	LLVMFuzzerInitialize(int *argc, char ***argv);
int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Program names for the synthetic header: every service kind. */
static const char *const programs[] = {
	"postfix/smtpd", "postfix/submission/smtpd", "postfix/cleanup",
	"postfix/qmgr", "postfix/pickup", "postfix/smtp", "postfix/lmtp",
	"postfix/local", "postfix/virtual", "postfix/pipe", "postfix/error",
	"postfix/discard", "postfix/relay", "postfix/retry",
	"postfix/bounce", "postfix/anvil", "postfix/scache",
	"postfix/postscreen", "postfix/dnsblog", "postfix/tlsproxy",
	"postfix/master", "postfix/postfix-script", "postfix-out/smtp",
	"postfix/sendmail", "postfix/",
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

/* within - whether z lies inside [lo, lo + len) */
static int
within(struct zstr z, const char *lo, size_t len)
{
	return lo != NULL && z.ptr >= lo && z.len <= len &&
	    (size_t)(z.ptr - lo) <= len - z.len;
}

/*
 * anvil_word - whether z is one of the stages and codes the parser
 * gives an smtpd anvil limit warning, which logs neither (the only
 * strings not borrowed from the line)
 */
static int
anvil_word(const struct mta_event *ev, const struct zstr *z)
{
	static const char *const words[] = {
		"CONNECT", "MAIL", "RCPT", "STARTTLS", "AUTH", "4.7.0", "4.7.1"
	};
	size_t	i;

	if (ev->kind != EV_REJECT || (z != &ev->stage && z != &ev->dsn))
		return 0;
	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (z->len == strlen(words[i]) &&
		    memcmp(z->ptr, words[i], z->len) == 0)
			return 1;
	return 0;
}

/*
 * check_event - what every parser's event may hold, and for Postfix
 * more: valid queue IDs, and strings borrowed from the message, the
 * host or the program (the parser composes none, but the stage and
 * code of an anvil limit warning: anvil_word())
 */
static void
check_event(const struct mta_event *ev, const struct syslog_header *hdr)
{
	const struct zstr *z;
	size_t		i;

	fuzz_check_event(ev, MTA_POSTFIX);
	CHECK(ev->time_sec == hdr->time_sec);
	if (zstr_is_set(ev->queue_id))
		CHECK(postfix_is_queue_id(ev->queue_id));
	if (zstr_is_set(ev->related_queue_id))
		CHECK(postfix_is_queue_id(ev->related_queue_id));
	for (i = 0; i < EVENT_STRING_COUNT; i++) {
		z = event_string_const(ev, i);
		CHECK(z->ptr == NULL ||
		    within(*z, hdr->message.ptr, hdr->message.len) ||
		    within(*z, hdr->host.ptr, hdr->host.len) ||
		    within(*z, hdr->program.ptr, hdr->program.len) ||
		    anvil_word(ev, z));
	}
}

/* feed - one header through the parser, and the checks */
static void
feed(struct postfix_parser *pp, const struct syslog_header *hdr)
{
	const struct mta_event *ev;
	enum ignore_reason ignore = IGNORE_REASON_COUNT;
	enum malformed_reason malformed = MALFORMED_REASON_COUNT;
	enum parse_status st;

	st = postfix_feed(pp, hdr, &ignore, &malformed);
	fuzz_check_reason(st, ignore, malformed);
	if (st == PARSE_EVENTS) {
		/* Postfix logs one event a line. */
		CHECK((ev = postfix_next(pp)) != NULL);
		check_event(ev, hdr);
	} else if (st == PARSE_NOT_MINE)
		CHECK(!postfix_is_program(hdr->program));
	CHECK(postfix_next(pp) == NULL);
}

/* synthetic - the whole input as the message of each program */
static void
synthetic(struct postfix_parser *pp, const uint8_t *data, size_t size)
{
	struct syslog_header hdr;
	const char	*slash;
	char		*msg = fuzz_copy(data, size);
	size_t		 i;

	for (i = 0; i < NPROGRAMS + 2; i++) {
		const char *prog = programs[i % NPROGRAMS];

		memset(&hdr, 0, sizeof(hdr));
		hdr.time_sec = 1795728715;
		hdr.host = ZSTR_LIT("relay1");
		hdr.program = zstr_make(prog, strlen(prog));
		hdr.pid = 4242;
		hdr.message = zstr_make(msg, size);
		/*
		 * The last two rounds leave the service unset (the parser
		 * finds it), then the program too (a framing without one).
		 */
		if (i == NPROGRAMS + 1)
			hdr.program = ZSTR_NULL;
		else if (i < NPROGRAMS) {
			slash = strrchr(prog, '/');
			hdr.service = slash != NULL ?
			    zstr_make(slash + 1, strlen(slash + 1)) :
			    hdr.program;
			hdr.instance = zstr_make(prog, (size_t)(strchr(prog,
			    '/') - prog));
		}
		feed(pp, &hdr);
	}
	free(msg);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct syslog_parser *sp;
	struct postfix_parser *pp;
	struct syslog_header hdr;
	const uint8_t	*s = data, *end = data + size, *nl;
	char		*line;
	size_t		 len;

	sp = syslog_parser_new(2026, 1795728715);
	pp = postfix_parser_new();
	for (;;) {
		nl = memchr(s, '\n', (size_t)(end - s));
		len = (size_t)((nl != NULL ? nl : end) - s);
		line = fuzz_copy(s, len);
		if (syslog_parse(sp, line, len, &hdr) == SYSLOG_OK)
			feed(pp, &hdr);
		free(line);
		if (nl == NULL)
			break;
		s = nl + 1;
	}
	synthetic(pp, data, size);
	postfix_parser_free(pp);
	syslog_parser_free(sp);
	return 0;
}
