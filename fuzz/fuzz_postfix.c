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

#include "parsers/event.h"
#include "parsers/postfix.h"
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

/* A one-byte sink the compiler cannot drop: touching event bytes. */
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

/* within - whether z lies inside [lo, lo + len) */
static int
within(struct zstr z, const char *lo, size_t len)
{
	return lo != NULL && z.ptr >= lo && z.len <= len &&
	    (size_t)(z.ptr - lo) <= len - z.len;
}

/*
 * check_str - an event string is unset, or borrowed from the message,
 * the host or the program; its bytes are all read (ASan checks them)
 */
static void
check_str(struct zstr z, const struct syslog_header *hdr)
{
	unsigned char	acc = 0;
	size_t		i;

	if (z.ptr == NULL) {
		CHECK(z.len == 0);
		return;
	}
	CHECK(within(z, hdr->message.ptr, hdr->message.len) ||
	    within(z, hdr->host.ptr, hdr->host.len) ||
	    within(z, hdr->program.ptr, hdr->program.len));
	for (i = 0; i < z.len; i++)
		acc ^= (unsigned char)z.ptr[i];
	sink = acc;
}

/* check_event - what an event may hold */
static void
check_event(const struct mta_event *ev, const struct syslog_header *hdr)
{
	CHECK((unsigned)ev->kind < EV_KIND_COUNT);
	CHECK(ev->mta == MTA_POSTFIX);
	CHECK((unsigned)ev->status <= DELIVERY_OTHER);
	CHECK((unsigned)ev->reject_origin <= REJECT_MILTER);
	CHECK((unsigned)ev->notice <= NOTICE_DELIVERY_STATUS);
	CHECK(ev->time_sec == hdr->time_sec);
	if (zstr_is_set(ev->queue_id))
		CHECK(postfix_is_queue_id(ev->queue_id));
	if (zstr_is_set(ev->related_queue_id))
		CHECK(postfix_is_queue_id(ev->related_queue_id));
	check_str(ev->host, hdr);
	check_str(ev->program, hdr);
	check_str(ev->queue_id, hdr);
	check_str(ev->related_queue_id, hdr);
	check_str(ev->client_ip, hdr);
	check_str(ev->client_name, hdr);
	check_str(ev->helo, hdr);
	check_str(ev->sasl_method, hdr);
	check_str(ev->sasl_username, hdr);
	check_str(ev->sender, hdr);
	check_str(ev->recipient, hdr);
	check_str(ev->orig_recipient, hdr);
	check_str(ev->message_id, hdr);
	check_str(ev->transport, hdr);
	check_str(ev->relay, hdr);
	check_str(ev->dsn, hdr);
	check_str(ev->response, hdr);
	check_str(ev->stage, hdr);
	(void)event_kind_name(ev->kind);
	(void)delivery_status_name(ev->status);
}

/* feed - one header through the parser, and the checks */
static void
feed(struct postfix_parser *pp, const struct syslog_header *hdr)
{
	struct mta_event ev;
	enum ignore_reason ignore = IGNORE_REASON_COUNT;
	enum malformed_reason malformed = MALFORMED_REASON_COUNT;
	enum parse_status st;

	st = postfix_feed(pp, hdr, &ignore, &malformed);
	switch (st) {
	case PARSE_EVENTS:
		CHECK(postfix_next(pp, &ev));
		check_event(&ev, hdr);
		break;
	case PARSE_IGNORED:
		CHECK((unsigned)ignore < IGNORE_REASON_COUNT);
		(void)ignore_reason_name(ignore);
		break;
	case PARSE_MALFORMED:
		CHECK((unsigned)malformed < MALFORMED_REASON_COUNT);
		(void)malformed_reason_name(malformed);
		break;
	case PARSE_NOT_MINE:
		CHECK(!postfix_is_program(hdr->program));
		break;
	default:
		CHECK(!"unknown parse status");
	}
	CHECK(!postfix_next(pp, &ev));
}

/* copy - len bytes in a heap block of exactly that size */
static char *
copy(const uint8_t *data, size_t len)
{
	char	*p = malloc(len);	/* ASan: malloc(0) is unique */

	CHECK(p != NULL);
	memcpy(p, data, len);
	return p;
}

/* synthetic - the whole input as the message of each program */
static void
synthetic(struct postfix_parser *pp, const uint8_t *data, size_t size)
{
	struct syslog_header hdr;
	const char	*slash;
	char		*msg = copy(data, size);
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
		line = copy(s, len);
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
