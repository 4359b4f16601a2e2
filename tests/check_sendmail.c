/*
 * check_sendmail - unit tests for parsers/sendmail: every event kind
 * and field, multi-recipient lines, every ignore reason, malformed and
 * hostile lines, queue IDs and program names, and a pass over the
 * shared corpus when it is present.
 *
 * Each case is a syslog program name and a message; the test builds a
 * syslog line around it, parses the header with parsers/syslog and
 * feeds the parser, then compares every event the line gives, in
 * order, field by field: NULL in a case means the field must be unset,
 * "" that it is set and empty.  The lines are written for these tests
 * after the formats Sendmail logs (headers.c logsender(), deliver.c
 * logdelivery(), savemail.c, parseaddr.c rscheck(), srvrsmtp.c).
 */
#include "config.h"

#include <check.h>
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "parsers/event.h"
#include "parsers/sendmail.h"
#include "parsers/syslog.h"
#include "tests/event_expect.h"
#include "util/xalloc.h"
#include "util/zstr.h"
#include "tests/testutil.h"

#define SM		"sm-mta"
#define SENDMAIL	"sendmail"
#define MSPQ		"sm-msp-queue"

#define QID		"4AQLVt5K012345"	/* 8.12+: Nov 26 21:31:55 */
#define QID2		"4AQLVt5L012399"
#define LINE_TIME	INT64_C(1795728715)	/* Nov 26 21:31:55 2026 UTC */
#define LINE_PID	4321
#define MAX_EVENTS	5

/* One expected event: string fields NULL when they must be unset. */
struct expect {
	int		 set;
	enum event_kind	 kind;
	struct event_expect e;
};

struct sm_case {
	const char	*program;
	const char	*message;
	enum parse_status status;
	int		 reason;	/* ignore or malformed reason */
	struct expect	 ev[MAX_EVENTS];
};

#define E(k, ...)	{ .set = 1, .kind = k, .e = { __VA_ARGS__ } }
#define EVENTS(prog, msg, ...) \
	{ prog, msg, PARSE_EVENTS, 0, { __VA_ARGS__ } }
#define IGNORED(prog, msg, r) \
	{ prog, msg, PARSE_IGNORED, r, { { .set = 0 } } }
#define BROKEN(prog, msg, r) \
	{ prog, msg, PARSE_MALFORMED, r, { { .set = 0 } } }
#define NOT_MINE(prog, msg) \
	{ prog, msg, PARSE_NOT_MINE, 0, { { .set = 0 } } }

/* A delivery of the common "to=" line below. */
#define SENT_MX(r) \
	E(EV_DELIVERY, .queue_id = QID, .recipient = r, \
	    .transport = "esmtp", .relay = "mx.example.com. [192.0.2.25]", \
	    .dsn = "2.0.0", .status = DELIVERY_SENT, \
	    .response = "Sent (ok 1795728715 qp 4242)")

static const struct sm_case cases[] = {
	/* from= over SMTP: client, Message-ID, queued */
	EVENTS(SM, QID ": from=<alice@example.net>, size=4242, class=0, "
	    "nrcpts=3, msgid=<20261126213155." QID "@pc17.example.net>, "
	    "bodytype=8BITMIME, proto=ESMTPSA, daemon=MTA-MSA, relay="
	    "pc17.dsl.example.net [198.51.100.17]",
	    E(EV_CLIENT, .queue_id = QID, .client_ip = "198.51.100.17",
	    .client_name = "pc17.dsl.example.net"),
	    E(EV_MESSAGE_ID, .queue_id = QID,
	    .message_id = "20261126213155." QID "@pc17.example.net"),
	    E(EV_QUEUED, .queue_id = QID, .sender = "alice@example.net",
	    .size = 4242, .nrcpt = 3)),
	/* a transaction abandoned after RCPT (RSET, QUIT): no data, no
	   msgid, so nothing accepted; over TLS without a login (8.15+),
	   so the login it names is none */
	EVENTS(SM, QID ": from=<u11@example.net>, size=0, class=0, nrcpts=2, "
	    "proto=ESMTPS, daemon=MTA, relay=dsl-11.example.net [192.0.2.11]",
	    E(EV_CLIENT, .queue_id = QID, .sasl_username = "",
	    .client_ip = "192.0.2.11", .client_name = "dsl-11.example.net"),
	    E(EV_QUEUED, .queue_id = QID, .sender = "u11@example.net",
	    .size = 0, .nrcpt = 0)),
	/* no TLS: 8.14 logs ESMTP for a login too, so nothing is said */
	EVENTS(SM, QID ": from=<u13@example.net>, size=300, class=0, "
	    "nrcpts=1, msgid=<a@b>, proto=ESMTP, daemon=MTA, relay="
	    "[192.0.2.13]",
	    E(EV_CLIENT, .queue_id = QID, .client_ip = "192.0.2.13"),
	    E(EV_MESSAGE_ID, .queue_id = QID, .message_id = "a@b"),
	    E(EV_QUEUED, .queue_id = QID, .sender = "u13@example.net",
	    .size = 300, .nrcpt = 1)),
	/* logged in: the session's login stands (no empty one) */
	EVENTS(SM, QID ": from=<u12@example.net>, size=300, class=0, "
	    "nrcpts=1, msgid=<a@b>, proto=ESMTPA, daemon=MTA, relay="
	    "[192.0.2.12]",
	    E(EV_CLIENT, .queue_id = QID, .client_ip = "192.0.2.12"),
	    E(EV_MESSAGE_ID, .queue_id = QID, .message_id = "a@b"),
	    E(EV_QUEUED, .queue_id = QID, .sender = "u12@example.net",
	    .size = 300, .nrcpt = 1)),
	/* the recipients of an abandoned transaction (LogLevel 10+) */
	IGNORED(SM, QID ": to=<ok-n7@example.org>, delay=00:00:00, pri=0, "
	    "stat=rset", IGNORE_QUEUE_INFO),
	IGNORED(SM, QID ": to=<ok-n9@example.org>, delay=00:00:00, pri=0, "
	    "stat=aborted by sender", IGNORE_QUEUE_INFO),
	IGNORED(SM, QID ": to=<ok-n8@example.org>, delay=00:00:00, pri=0, "
	    "stat=RSET", IGNORE_QUEUE_INFO),
	IGNORED(SM, QID ": to=<ok-n8@example.org>, delay=00:00:00, pri=0, "
	    "stat=EHLO", IGNORE_QUEUE_INFO),
	/* MAIL's AUTH= parameter not trusted: the command goes on */
	IGNORED(SM, QID ": ruleset=trust_auth, arg1=root@relay2.example, "
	    "relay=localhost [127.0.0.1], reject=550 5.7.1 "
	    "<root@relay2.example>... not authenticated", IGNORE_QUEUE_INFO),
	/* "(may be forged)", no msgid, negative class */
	EVENTS(SM, QID ": from=<spam@example.biz>, size=900, class=-60, "
	    "nrcpts=1, bodytype=7BIT, proto=ESMTP, daemon=MTA, relay="
	    "host.example.org [203.0.113.9] (may be forged)",
	    E(EV_CLIENT, .queue_id = QID, .client_ip = "203.0.113.9",
	    .client_name = "host.example.org"),
	    E(EV_QUEUED, .queue_id = QID, .sender = "spam@example.biz",
	    .size = 900, .nrcpt = 1)),
	/* no reverse name: only the address */
	EVENTS(SM, QID ": from=<bot@example.biz>, size=1, class=0, nrcpts=2,"
	    " proto=SMTP, daemon=MTA, relay=[192.0.2.77]",
	    E(EV_CLIENT, .queue_id = QID, .client_ip = "192.0.2.77"),
	    E(EV_QUEUED, .queue_id = QID, .sender = "bot@example.biz",
	    .size = 1, .nrcpt = 2)),
	EVENTS(SM, QID ": from=<x@example.org>, size=10, class=0, nrcpts=1,"
	    " proto=ESMTP, daemon=MTA, relay=[198.51.100.4] (may be forged)",
	    E(EV_CLIENT, .queue_id = QID, .client_ip = "198.51.100.4"),
	    E(EV_QUEUED, .queue_id = QID, .sender = "x@example.org",
	    .size = 10, .nrcpt = 1)),
	/* IPv6: kept with Sendmail's "IPv6:" prefix */
	EVENTS(SM, QID ": from=<v6@example.org>, size=77, class=0, "
	    "nrcpts=1, proto=ESMTP, daemon=MTA-v6, relay=mail.example.org "
	    "[IPv6:2001:db8::25]",
	    E(EV_CLIENT, .queue_id = QID, .client_ip = "IPv6:2001:db8::25",
	    .client_name = "mail.example.org"),
	    E(EV_QUEUED, .queue_id = QID, .sender = "v6@example.org",
	    .size = 77, .nrcpt = 1)),
	/* the MSP handing a local submission to the MTA over loopback */
	EVENTS(SM, QID ": from=<carol@relay1.example.net>, size=2262, "
	    "class=0, nrcpts=1, msgid=<202611262131.4AQLVt5J012340@relay1>, "
	    "proto=ESMTP, daemon=MTA, relay=localhost [127.0.0.1]",
	    E(EV_CLIENT, .queue_id = QID, .client_ip = "127.0.0.1",
	    .client_name = "localhost"),
	    E(EV_MESSAGE_ID, .queue_id = QID,
	    .message_id = "202611262131.4AQLVt5J012340@relay1"),
	    E(EV_QUEUED, .queue_id = QID,
	    .sender = "carol@relay1.example.net", .size = 2262, .nrcpt = 1)),
	/* an ident user is not the client's name */
	EVENTS(SM, QID ": from=<joe@example.net>, size=5, class=0, nrcpts=1,"
	    " proto=SMTP, daemon=MTA, relay=joe@pc3.example.net [192.0.2.3]",
	    E(EV_CLIENT, .queue_id = QID, .client_ip = "192.0.2.3",
	    .client_name = "pc3.example.net"),
	    E(EV_QUEUED, .queue_id = QID, .sender = "joe@example.net",
	    .size = 5, .nrcpt = 1)),
	/* local submissions: user@localhost, localhost */
	EVENTS(SENDMAIL, QID ": from=carol, size=120, class=0, nrcpts=1, "
	    "msgid=<202611262131." QID "@relay1.example.net>, relay="
	    "carol@localhost",
	    E(EV_PICKUP, .queue_id = QID, .sender = "carol"),
	    E(EV_MESSAGE_ID, .queue_id = QID,
	    .message_id = "202611262131." QID "@relay1.example.net"),
	    E(EV_QUEUED, .queue_id = QID, .sender = "carol", .size = 120,
	    .nrcpt = 1)),
	EVENTS(SENDMAIL, QID ": from=www-data, size=2039, class=0, nrcpts=1,"
	    " msgid=<x@relay1>, relay=localhost",
	    E(EV_PICKUP, .queue_id = QID, .sender = "www-data"),
	    E(EV_MESSAGE_ID, .queue_id = QID, .message_id = "x@relay1"),
	    E(EV_QUEUED, .queue_id = QID, .sender = "www-data", .size = 2039,
	    .nrcpt = 1)),
	/* the null sender without a client: Sendmail's own mail */
	EVENTS(SM, QID ": from=<>, size=3100, class=0, nrcpts=1, msgid=<"
	    "202611262131." QID "@relay1.example.net>, bodytype=8BITMIME, "
	    "proto=, daemon=MTA, relay=localhost",
	    E(EV_MESSAGE_ID, .queue_id = QID,
	    .message_id = "202611262131." QID "@relay1.example.net"),
	    E(EV_QUEUED, .queue_id = QID, .sender = "", .size = 3100,
	    .nrcpt = 1)),
	/* an inbound bounce from a remote server */
	EVENTS(SM, QID ": from=<>, size=1500, class=0, nrcpts=1, proto="
	    "ESMTP, daemon=MTA, relay=mx.example.com [192.0.2.40]",
	    E(EV_CLIENT, .queue_id = QID, .client_ip = "192.0.2.40",
	    .client_name = "mx.example.com"),
	    E(EV_QUEUED, .queue_id = QID, .sender = "", .size = 1500,
	    .nrcpt = 1)),
	/* no sender at all; a DSN's "[RESPONSE]" is no client */
	EVENTS(SM, QID ": from=<NONE>, size=0, class=0, nrcpts=0, proto="
	    "ESMTP, daemon=MTA, relay=[RESPONSE]",
	    E(EV_QUEUED, .queue_id = QID, .size = 0, .nrcpt = 0)),
	/* every recipient refused: nrcpts=0 */
	EVENTS(SM, QID ": from=<d@example.net>, size=0, class=0, nrcpts=0, "
	    "bodytype=8BITMIME, proto=ESMTP, daemon=MTA, relay=dsl-9.example"
	    ".net [192.0.2.9]",
	    E(EV_CLIENT, .queue_id = QID, .client_ip = "192.0.2.9",
	    .client_name = "dsl-9.example.net"),
	    E(EV_QUEUED, .queue_id = QID, .sender = "d@example.net",
	    .size = 0, .nrcpt = 0)),
	/* _FFR_LOG_MORE1 fields: auth= is the SASL mechanism */
	EVENTS(SM, QID ": from=<alice@example.net>, size=50, class=0, "
	    "nrcpts=1, proto=ESMTPSA, daemon=MSA, tls_verify=NONE, auth=PLAIN,"
	    " relay=pc17.dsl.example.net [198.51.100.17]",
	    E(EV_CLIENT, .queue_id = QID, .client_ip = "198.51.100.17",
	    .client_name = "pc17.dsl.example.net", .sasl_method = "PLAIN"),
	    E(EV_QUEUED, .queue_id = QID, .sender = "alice@example.net",
	    .size = 50, .nrcpt = 1)),
	EVENTS(SM, QID ": from=<b@example.net>, size=50, class=0, nrcpts=1,"
	    " proto=ESMTP, daemon=MTA, tls_verify=OK, auth=NONE, relay="
	    "[192.0.2.8]",
	    E(EV_CLIENT, .queue_id = QID, .client_ip = "192.0.2.8"),
	    E(EV_QUEUED, .queue_id = QID, .sender = "b@example.net",
	    .size = 50, .nrcpt = 1)),
	/* the largest size kept (UINT64_MAX is no size); an empty
	   Message-ID */
	EVENTS(SM, QID ": from=<a@example.net>, size=18446744073709551614, "
	    "class=0, nrcpts=1, msgid=<>, relay=[192.0.2.1]",
	    E(EV_CLIENT, .queue_id = QID, .client_ip = "192.0.2.1"),
	    E(EV_MESSAGE_ID, .queue_id = QID, .message_id = ""),
	    E(EV_QUEUED, .queue_id = QID, .sender = "a@example.net",
	    .size = UINT64_MAX - 1, .nrcpt = 1)),
	/* a quoted sender that looks like the next fields */
	EVENTS(SM, QID ": from=<\"a, size=9, nrcpts=7\"@example.net>, "
	    "size=12, class=0, nrcpts=1, relay=[192.0.2.1]",
	    E(EV_CLIENT, .queue_id = QID, .client_ip = "192.0.2.1"),
	    E(EV_QUEUED, .queue_id = QID,
	    .sender = "\"a, size=9, nrcpts=7\"@example.net", .size = 12,
	    .nrcpt = 1)),
	/* a Message-ID that fakes the relay: the last relay= counts */
	EVENTS(SM, QID ": from=<a@example.net>, size=12, class=0, nrcpts=1,"
	    " msgid=<x, relay=evil [203.0.113.66]@y>, proto=ESMTP, relay="
	    "pc1.example.net [192.0.2.11]",
	    E(EV_CLIENT, .queue_id = QID, .client_ip = "192.0.2.11",
	    .client_name = "pc1.example.net"),
	    E(EV_MESSAGE_ID, .queue_id = QID,
	    .message_id = "x, relay=evil [203.0.113.66]@y"),
	    E(EV_QUEUED, .queue_id = QID, .sender = "a@example.net",
	    .size = 12, .nrcpt = 1)),
	/* a Message-ID cut short (MSGIDLOGLEN) */
	EVENTS(SM, QID ": from=<a@example.net>, size=12, class=0, nrcpts=1,"
	    " msgid=<abcdefgh, bodytype=7BIT, relay=[192.0.2.1]",
	    E(EV_CLIENT, .queue_id = QID, .client_ip = "192.0.2.1"),
	    E(EV_MESSAGE_ID, .queue_id = QID, .message_id = "abcdefgh"),
	    E(EV_QUEUED, .queue_id = QID, .sender = "a@example.net",
	    .size = 12, .nrcpt = 1)),
	/* older queue IDs: 8.11 and before 8.10 */
	EVENTS(SENDMAIL, "f4DIZ0I09337: from=<a@example.net>, size=1, "
	    "class=0, nrcpts=1, relay=[192.0.2.1]",
	    E(EV_CLIENT, .queue_id = "f4DIZ0I09337", .client_ip = "192.0.2.1"),
	    E(EV_QUEUED, .queue_id = "f4DIZ0I09337", .sender = "a@example.net",
	    .size = 1, .nrcpt = 1)),
	EVENTS(SENDMAIL, "LAA12345: from=<a@example.net>, size=1, class=0, "
	    "nrcpts=1, relay=[192.0.2.1]",
	    E(EV_CLIENT, .queue_id = "LAA12345", .client_ip = "192.0.2.1"),
	    E(EV_QUEUED, .queue_id = "LAA12345", .sender = "a@example.net",
	    .size = 1, .nrcpt = 1)),
	/* a cut line: no relay= leaves the origin unknown */
	EVENTS(SM, QID ": from=<a@example.net>, size=1, class=0, nrcpts=1",
	    E(EV_QUEUED, .queue_id = QID, .sender = "a@example.net",
	    .size = 1, .nrcpt = 1)),
	/* past 64 bits: no size, the most recipients; the line is kept */
	EVENTS(SM, QID ": from=<a@example.net>, size=18446744073709551616, "
	    "class=0, nrcpts=184467440737095516150, relay=[192.0.2.1]",
	    E(EV_CLIENT, .queue_id = QID, .client_ip = "192.0.2.1"),
	    E(EV_QUEUED, .queue_id = QID, .sender = "a@example.net",
	    .size = 0, .nrcpt = UINT64_MAX)),
	BROKEN(SM, QID ": from=<a@example.net>, size=12x, class=0, nrcpts=1,"
	    " relay=[192.0.2.1]", MALFORMED_FIELD),
	BROKEN(SM, QID ": from=<a@example.net>, size=12, class=0, relay="
	    "[192.0.2.1]", MALFORMED_FIELD),
	BROKEN(SM, QID ": from=<a@example.net>, size=, class=0, nrcpts=1",
	    MALFORMED_FIELD),
	BROKEN(SM, QID ": from=<a@example.net>", MALFORMED_FIELD),
	BROKEN(SM, QID ": from=<a@example.net>, nrcpts=1", MALFORMED_FIELD),

	/* to=: three recipients, bare, bracketed, a quoted comma */
	EVENTS(SM, QID ": to=<bob@example.com>,carol@example.org,\"smith, "
	    "j\"@example.net, ctladdr=<alice@example.net> (1000/1000), delay="
	    "00:00:02, xdelay=00:00:01, mailer=esmtp, pri=121234, relay="
	    "mx.example.com. [192.0.2.25], dsn=2.0.0, stat=Sent (ok "
	    "1795728715 qp 4242)",
	    SENT_MX("bob@example.com"), SENT_MX("carol@example.org"),
	    SENT_MX("\"smith, j\"@example.net")),
	/* four: names with addresses, a comment with a comma */
	EVENTS(SM, QID ": to=\"Dave Doe\" <dave@example.com>,Eve <eve@"
	    "example.com>,frank@example.com (Frank, F.),<gina@example.com>, "
	    "delay=00:00:02, xdelay=00:00:01, mailer=esmtp, pri=121234, relay="
	    "mx.example.com. [192.0.2.25], dsn=2.0.0, stat=Sent (ok "
	    "1795728715 qp 4242)",
	    SENT_MX("dave@example.com"), SENT_MX("eve@example.com"),
	    SENT_MX("frank@example.com (Frank, F.)"),
	    SENT_MX("gina@example.com")),
	/* a list cut with " [more]" */
	EVENTS(SM, QID ": to=<a1@example.com>,<a2@example.com>, [more], "
	    "delay=00:00:02, xdelay=00:00:01, mailer=esmtp, pri=121234, relay="
	    "mx.example.com. [192.0.2.25], dsn=2.0.0, stat=Sent (ok "
	    "1795728715 qp 4242)",
	    SENT_MX("a1@example.com"), SENT_MX("a2@example.com")),
	/* "Message accepted for delivery" without a queue ID, or after
	   more words: no queue ID named (the MSP's own: below) */
	EVENTS(SM, QID ": to=bob@example.com, delay=00:00:01, xdelay="
	    "00:00:00, mailer=relay, pri=30151, relay=localhost [127.0.0.1], "
	    "dsn=2.0.0, stat=Sent (Message accepted for delivery)",
	    E(EV_DELIVERY, .queue_id = QID, .recipient = "bob@example.com",
	    .transport = "relay", .relay = "localhost [127.0.0.1]",
	    .dsn = "2.0.0", .status = DELIVERY_SENT,
	    .response = "Sent (Message accepted for delivery)")),
	EVENTS(SM, QID ": to=bob@example.com, delay=00:00:01, xdelay="
	    "00:00:00, mailer=relay, pri=30151, relay=localhost [127.0.0.1], "
	    "dsn=2.0.0, stat=Sent (ok j061bXn5000812 Message accepted for "
	    "delivery)",
	    E(EV_DELIVERY, .queue_id = QID, .recipient = "bob@example.com",
	    .transport = "relay", .relay = "localhost [127.0.0.1]",
	    .dsn = "2.0.0", .status = DELIVERY_SENT,
	    .response = "Sent (ok j061bXn5000812 Message accepted for "
	    "delivery)")),
	/* deferred */
	EVENTS(SM, QID ": to=<x@example.com>, delay=00:05:00, xdelay="
	    "00:00:30, mailer=esmtp, pri=300000, relay=mx.example.com., dsn="
	    "4.0.0, stat=Deferred: Connection timed out with mx.example.com.",
	    E(EV_DELIVERY, .queue_id = QID, .recipient = "x@example.com",
	    .transport = "esmtp", .relay = "mx.example.com.", .dsn = "4.0.0",
	    .status = DELIVERY_DEFERRED, .response = "Deferred: Connection "
	    "timed out with mx.example.com.")),
	/* deferred with the remote reply */
	EVENTS(SM, QID ": to=<y@example.com>, delay=00:00:05, xdelay="
	    "00:00:05, mailer=esmtp, pri=120000, relay=mx.example.com. "
	    "[192.0.2.25], dsn=4.7.0, reply=421 4.7.0 Messages from 192.0.2.5 "
	    "temporarily deferred, see https://example.com/a?b=c, stat="
	    "Deferred: 421 4.7.0 Messages from 192.0.2.5 temporarily deferred",
	    E(EV_DELIVERY, .queue_id = QID, .recipient = "y@example.com",
	    .transport = "esmtp", .relay = "mx.example.com. [192.0.2.25]",
	    .dsn = "4.7.0", .status = DELIVERY_DEFERRED,
	    .response = "Deferred: 421 4.7.0 Messages from 192.0.2.5 "
	    "temporarily deferred, see https://example.com/a?b=c")),
	/* stat= quoting all of a one-line reply: the reply once */
	EVENTS(SM, QID ": to=<y@example.com>, delay=00:00:05, xdelay="
	    "00:00:05, mailer=esmtp, pri=120000, relay=mx.example.com. "
	    "[192.0.2.25], dsn=4.7.28, reply=421 4.7.28 rate limited, stat="
	    "Deferred: 421 4.7.28 rate limited",
	    E(EV_DELIVERY, .queue_id = QID, .recipient = "y@example.com",
	    .transport = "esmtp", .relay = "mx.example.com. [192.0.2.25]",
	    .dsn = "4.7.28", .status = DELIVERY_DEFERRED,
	    .response = "Deferred: 421 4.7.28 rate limited")),
	/* bounced: stat= and reply= */
	EVENTS(SM, QID ": to=<nobody@example.org>, delay=00:00:01, xdelay="
	    "00:00:01, mailer=esmtp, pri=30000, relay=mx.example.org. "
	    "[192.0.2.30], dsn=5.1.1, reply=550 5.1.1 <nobody@example.org>... "
	    "User unknown, stat=User unknown",
	    E(EV_DELIVERY, .queue_id = QID, .recipient = "nobody@example.org",
	    .transport = "esmtp", .relay = "mx.example.org. [192.0.2.30]",
	    .dsn = "5.1.1", .status = DELIVERY_BOUNCED,
	    .response = "User unknown; 550 5.1.1 <nobody@example.org>... "
	    "User unknown")),
	EVENTS(SM, QID ": to=<z@example.net>, delay=00:00:01, xdelay="
	    "00:00:01, mailer=esmtp, pri=30000, relay=mx.example.net. "
	    "[192.0.2.31], dsn=5.0.0, stat=Service unavailable",
	    E(EV_DELIVERY, .queue_id = QID, .recipient = "z@example.net",
	    .transport = "esmtp", .relay = "mx.example.net. [192.0.2.31]",
	    .dsn = "5.0.0", .status = DELIVERY_BOUNCED,
	    .response = "Service unavailable")),
	EVENTS(SM, QID ": to=<h@nohost.example>, delay=00:00:00, xdelay="
	    "00:00:00, mailer=esmtp, pri=30000, dsn=5.1.2, stat=Host unknown "
	    "(Name server: nohost.example: host not found)",
	    E(EV_DELIVERY, .queue_id = QID, .recipient = "h@nohost.example",
	    .transport = "esmtp", .dsn = "5.1.2", .status = DELIVERY_BOUNCED,
	    .response = "Host unknown (Name server: nohost.example: host not "
	    "found)")),
	/* I/O error: 4.0.0, the message stays queued */
	EVENTS(SM, QID ": to=<io@example.net>, delay=00:00:01, xdelay="
	    "00:00:01, mailer=esmtp, pri=30000, relay=mx.example.net., dsn="
	    "4.0.0, stat=I/O error",
	    E(EV_DELIVERY, .queue_id = QID, .recipient = "io@example.net",
	    .transport = "esmtp", .relay = "mx.example.net.", .dsn = "4.0.0",
	    .status = DELIVERY_DEFERRED, .response = "I/O error")),
	/* local delivery: no relay */
	EVENTS(SM, QID ": to=bob, ctladdr=bob (1001/1001), delay=00:00:00, "
	    "xdelay=00:00:00, mailer=local, pri=30123, dsn=2.0.0, stat=Sent",
	    E(EV_DELIVERY, .queue_id = QID, .recipient = "bob",
	    .transport = "local", .dsn = "2.0.0", .status = DELIVERY_SENT,
	    .response = "Sent")),
	/* local mailers count as Postfix's transport of the same kind */
	EVENTS(SM, QID ": to=\"|/usr/bin/vacation bob\", ctladdr=bob "
	    "(1001/1001), delay=00:00:00, xdelay=00:00:00, mailer=prog, "
	    "pri=30123, dsn=2.0.0, stat=Sent",
	    E(EV_DELIVERY, .queue_id = QID,
	    .recipient = "\"|/usr/bin/vacation bob\"", .transport = "local",
	    .dsn = "2.0.0", .status = DELIVERY_SENT, .response = "Sent")),
	EVENTS(SM, QID ": to=/var/spool/archive, ctladdr=<a@example.org> "
	    "(8/0), delay=00:00:00, xdelay=00:00:00, mailer=*file*, pri=30123,"
	    " dsn=2.0.0, stat=Sent",
	    E(EV_DELIVERY, .queue_id = QID, .recipient = "/var/spool/archive",
	    .transport = "local", .dsn = "2.0.0", .status = DELIVERY_SENT,
	    .response = "Sent")),
	EVENTS(SM, QID ": to=<bob@example.org>, delay=00:00:00, xdelay="
	    "00:00:00, mailer=procmail, pri=30123, dsn=2.0.0, stat=Sent",
	    E(EV_DELIVERY, .queue_id = QID, .recipient = "bob@example.org",
	    .transport = "local", .dsn = "2.0.0", .status = DELIVERY_SENT,
	    .response = "Sent")),
	EVENTS(SM, QID ": to=<bob@example.org>, delay=00:00:00, xdelay="
	    "00:00:00, mailer=cyrusv2, pri=30123, relay=localhost, dsn=2.0.0,"
	    " stat=Sent",
	    E(EV_DELIVERY, .queue_id = QID, .recipient = "bob@example.org",
	    .transport = "lmtp", .relay = "localhost", .dsn = "2.0.0",
	    .status = DELIVERY_SENT, .response = "Sent")),
	EVENTS(SM, QID ": to=<bob@example.org>, delay=00:00:00, xdelay="
	    "00:00:00, mailer=lmtp, pri=30123, relay=[10.0.0.5] [10.0.0.5], "
	    "dsn=2.0.0, stat=Sent (Ok)",
	    E(EV_DELIVERY, .queue_id = QID, .recipient = "bob@example.org",
	    .transport = "lmtp", .relay = "[10.0.0.5] [10.0.0.5]",
	    .dsn = "2.0.0", .status = DELIVERY_SENT, .response = "Sent (Ok)")),
	/* the MSP queue runner relaying to the local MTA */
	EVENTS(MSPQ, QID ": to=carol@example.net, ctladdr=carol (1000/1000),"
	    " delay=00:00:01, xdelay=00:00:01, mailer=relay, pri=30437, relay="
	    "[127.0.0.1] [127.0.0.1], dsn=2.0.0, stat=Sent (" QID2 " Message "
	    "accepted for delivery)",
	    E(EV_DELIVERY, .queue_id = QID, .recipient = "carol@example.net",
	    .transport = "relay", .relay = "[127.0.0.1] [127.0.0.1]",
	    .dsn = "2.0.0", .status = DELIVERY_SENT,
	    .related_queue_id = QID2,
	    .response = "Sent (" QID2 " Message accepted for delivery)")),
	/* never handed to a mailer: refused at the end of DATA */
	EVENTS(SM, QID ": to=<r@example.com>, delay=00:00:03, pri=30321, "
	    "stat=Please try again later",
	    E(EV_DELIVERY, .queue_id = QID, .recipient = "r@example.com",
	    .status = DELIVERY_OTHER, .response = "Please try again later")),
	EVENTS(SM, QID ": to=<r@example.com>,<s@example.com>, delay="
	    "00:00:03, pri=30321, dsn=5.7.1, stat=Blocked by content filter",
	    E(EV_DELIVERY, .queue_id = QID, .recipient = "r@example.com",
	    .dsn = "5.7.1", .status = DELIVERY_OTHER,
	    .response = "Blocked by content filter"),
	    E(EV_DELIVERY, .queue_id = QID, .recipient = "s@example.com",
	    .dsn = "5.7.1", .status = DELIVERY_OTHER,
	    .response = "Blocked by content filter")),
	/* a line cut before stat=: dsn= tells */
	EVENTS(SM, QID ": to=kim@example.net, delay=00:00:01, xdelay="
	    "00:00:01, mailer=cyrusv2, pri=31046, relay=localhost, dsn=2.0.0",
	    E(EV_DELIVERY, .queue_id = QID, .recipient = "kim@example.net",
	    .transport = "lmtp", .relay = "localhost", .dsn = "2.0.0",
	    .status = DELIVERY_SENT)),
	/* a reply that fakes stat=Sent cannot turn a bounce into a send */
	EVENTS(SM, QID ": to=<v@example.org>, delay=00:00:01, xdelay="
	    "00:00:01, mailer=esmtp, pri=30000, relay=mx.example.org., dsn="
	    "5.7.1, reply=550 5.7.1 no, stat=Sent, stat=Service unavailable",
	    E(EV_DELIVERY, .queue_id = QID, .recipient = "v@example.org",
	    .transport = "esmtp", .relay = "mx.example.org.", .dsn = "5.7.1",
	    .status = DELIVERY_BOUNCED, .response = "Sent, stat=Service "
	    "unavailable; 550 5.7.1 no")),
	/* a recipient that fakes the next fields */
	EVENTS(SM, QID ": to=<\"x, stat=Sent\"@example.com>, delay=00:00:01,"
	    " mailer=esmtp, pri=30000, dsn=5.1.1, stat=User unknown",
	    E(EV_DELIVERY, .queue_id = QID,
	    .recipient = "\"x, stat=Sent\"@example.com", .transport = "esmtp",
	    .dsn = "5.1.1", .status = DELIVERY_BOUNCED,
	    .response = "User unknown")),
	/* an unterminated bracket: split plainly */
	EVENTS(SM, QID ": to=<broken@example.com, mailer=esmtp, pri=1, dsn="
	    "2.0.0, stat=Sent (ok)",
	    E(EV_DELIVERY, .queue_id = QID, .recipient = "broken@example.com",
	    .transport = "esmtp", .dsn = "2.0.0", .status = DELIVERY_SENT,
	    .response = "Sent (ok)")),
	/* an unknown field in the way, and logdelivery()'s "..." cut */
	EVENTS(SM, QID ": to=<w@example.com>, delay=00:00:01, odd thing, "
	    "mailer=esmtp, pri=30000..., stat=Sent (x, y)",
	    E(EV_DELIVERY, .queue_id = QID, .recipient = "w@example.com",
	    .transport = "esmtp", .status = DELIVERY_SENT,
	    .response = "Sent (x, y)")),
	IGNORED(SM, QID ": to=<q@example.com>, delay=00:00:00, mailer=esmtp,"
	    " pri=30000, stat=queued", IGNORE_QUEUE_INFO),
	IGNORED(SM, QID ": to=<q@example.com>, delay=00:00:00, mailer=esmtp,"
	    " pri=30000, stat=quarantined", IGNORE_FILTER_ACTION),
	IGNORED(SM, QID ": to=NO-TO-LIST, delay=00:00:00, pri=30000, stat="
	    "discarded", IGNORE_QUEUE_INFO),
	/* LogLevel 10 and up: the discarded message's recipients */
	EVENTS(SM, QID ": to=<ok-12c@example.com>, delay=00:00:00, "
	    "pri=60160, stat=discarded",
	    E(EV_DELIVERY, .queue_id = QID, .recipient = "ok-12c@example.com",
	    .status = DELIVERY_OTHER, .response = "discarded"),
	    E(EV_REJECT, .queue_id = QID, .stage = "END-OF-MESSAGE",
	    .response = "discarded", .origin = REJECT_DISCARD,
	    .status = DELIVERY_OTHER)),
	BROKEN(SM, QID ": to=<a@example.com>, delay=00:00:01, mailer=esmtp",
	    MALFORMED_FIELD),
	BROKEN(SM, QID ": to=<a@example.com>, mailer=esmtp, dsn=9.9.9",
	    MALFORMED_FIELD),
	BROKEN(SM, QID ": to=, delay=00:00:01, mailer=esmtp, stat=Sent",
	    MALFORMED_FIELD),
	BROKEN(SM, QID ": to=<>,, delay=00:00:01, stat=Sent",
	    MALFORMED_FIELD),

	/* DSN notices */
	EVENTS(SM, QID ": " QID2 ": DSN: User unknown",
	    E(EV_BOUNCE_NOTICE, .queue_id = QID, .related_queue_id = QID2,
	    .notice = NOTICE_NON_DELIVERY, .response = "User unknown")),
	EVENTS(SM, QID ": " QID2 ": DSN: Return receipt",
	    E(EV_BOUNCE_NOTICE, .queue_id = QID, .related_queue_id = QID2,
	    .notice = NOTICE_DELIVERY_STATUS, .response = "Return receipt")),
	EVENTS(SM, QID ": " QID2 ": return to sender: Service unavailable",
	    E(EV_BOUNCE_NOTICE, .queue_id = QID, .related_queue_id = QID2,
	    .notice = NOTICE_NON_DELIVERY, .response = "Service unavailable")),
	EVENTS(SM, QID ": " QID2 ": sender notify: Warning: could not send "
	    "message for past 4 hours",
	    E(EV_BOUNCE_NOTICE, .queue_id = QID, .related_queue_id = QID2,
	    .notice = NOTICE_DELAY, .response = "Warning: could not send "
	    "message for past 4 hours")),
	EVENTS(SM, QID ": " QID2 ": postmaster notify: Data format error",
	    E(EV_BOUNCE_NOTICE, .queue_id = QID, .related_queue_id = QID2,
	    .notice = NOTICE_NON_DELIVERY, .response = "Data format error")),
	/* timed out: the notice, then the expiry */
	EVENTS(SM, QID ": " QID2 ": return to sender: Cannot send message "
	    "for 5 days",
	    E(EV_BOUNCE_NOTICE, .queue_id = QID, .related_queue_id = QID2,
	    .notice = NOTICE_NON_DELIVERY,
	    .response = "Cannot send message for 5 days"),
	    E(EV_EXPIRED, .queue_id = QID)),
	EVENTS(SM, QID ": " QID2 ": DSN: delivery time expired 3600s",
	    E(EV_BOUNCE_NOTICE, .queue_id = QID, .related_queue_id = QID2,
	    .notice = NOTICE_NON_DELIVERY,
	    .response = "delivery time expired 3600s"),
	    E(EV_EXPIRED, .queue_id = QID)),
	IGNORED(SM, QID ": " QID2 ": clone: owner=postmaster",
	    IGNORE_QUEUE_INFO),
	IGNORED(SM, QID ": " QID2 ": something else", IGNORE_QUEUE_INFO),

	/* done */
	EVENTS(SM, QID ": done; delay=00:00:05, ntries=2",
	    E(EV_REMOVED, .queue_id = QID)),
	EVENTS(SM, QID ": done", E(EV_REMOVED, .queue_id = QID)),
	IGNORED(SM, QID ": doneness", IGNORE_QUEUE_INFO),

	/* SASL */
	EVENTS(SM, "AUTH=server, relay=pc17.dsl.example.net [198.51.100.17],"
	    " authid=alice@example.net, mech=PLAIN, bits=0",
	    E(EV_AUTH_OK, .client_ip = "198.51.100.17",
	    .client_name = "pc17.dsl.example.net",
	    .sasl_username = "alice@example.net", .sasl_method = "PLAIN")),
	EVENTS(SM, "AUTH=server, relay=[IPv6:2001:db8::7] (may be forged), "
	    "authid=frank, mech=LOGIN, bits=0",
	    E(EV_AUTH_OK, .client_ip = "IPv6:2001:db8::7",
	    .sasl_username = "frank", .sasl_method = "LOGIN")),
	EVENTS(SM, "AUTH=server, relay=[192.0.2.5], authid=a, mech=x, mech="
	    "CRAM-MD5, bits=0",
	    E(EV_AUTH_OK, .client_ip = "192.0.2.5", .sasl_username = "a, mech=x",
	    .sasl_method = "CRAM-MD5")),
	BROKEN(SM, "AUTH=server, relay=[192.0.2.5], mech=PLAIN, bits=0",
	    MALFORMED_FIELD),
	BROKEN(SM, "AUTH=server, relay=[192.0.2.5], authid=u", MALFORMED_FIELD),
	/* the session's envelope ID in front is not a message's */
	EVENTS(SM, QID ": AUTH failure (LOGIN): authentication failure (-13) "
	    "SASL(-13): authentication failure: checkpass failed, user="
	    "alice@example.net, relay=pc17.dsl.example.net [198.51.100.17] "
	    "(may be forged)",
	    E(EV_AUTH_FAILED, .client_ip = "198.51.100.17",
	    .client_name = "pc17.dsl.example.net", .sasl_method = "LOGIN",
	    .sasl_username = "alice@example.net",
	    .response = "authentication failure (-13) SASL(-13): "
	    "authentication failure: checkpass failed")),
	/* older versions log no user= */
	EVENTS(SENDMAIL, QID ": AUTH failure (PLAIN): authentication failure "
	    "(-13) SASL(-13): authentication failure: Password verification "
	    "failed, relay=[192.0.2.99]",
	    E(EV_AUTH_FAILED, .client_ip = "192.0.2.99", .sasl_method = "PLAIN",
	    .response = "authentication failure (-13) SASL(-13): "
	    "authentication failure: Password verification failed")),
	/* a user name that fakes a relay: the last relay= counts */
	EVENTS(SM, "AUTH failure (login): user not found (-20) SASL(-13): "
	    "user not found: x, user=eve, relay=[192.0.2.66], relay="
	    "[192.0.2.67]",
	    E(EV_AUTH_FAILED, .client_ip = "192.0.2.67", .sasl_method = "login",
	    .sasl_username = "eve, relay=[192.0.2.66]",
	    .response = "user not found (-20) SASL(-13): user not found: x")),
	EVENTS(SM, "AUTH failure (DIGEST-MD5): no relay",
	    E(EV_AUTH_FAILED, .sasl_method = "DIGEST-MD5",
	    .response = "no relay")),
	BROKEN(SM, "AUTH failure (PLAIN", MALFORMED_FIELD),
	BROKEN(SM, "AUTH failure (): x, relay=[192.0.2.1]", MALFORMED_FIELD),
	IGNORED(SM, "AUTH=client, relay=smarthost.example.net, mech=LOGIN, "
	    "bits=0", IGNORE_SESSION),
	IGNORED(SM, "AUTH: available mech=PLAIN LOGIN, allowed mech=PLAIN "
	    "LOGIN", IGNORE_SESSION),
	IGNORED(SM, "AUTH warning: no mechanisms", IGNORE_WARNING),

	/* ruleset refusals */
	EVENTS(SM, QID ": ruleset=check_rcpt, arg1=<victim@example.org>, "
	    "relay=dsl-7.example.com [192.0.2.7], reject=550 5.7.1 <victim@"
	    "example.org>... Relaying denied. Proper authentication required.",
	    E(EV_REJECT, .queue_id = QID, .stage = "RCPT",
	    .recipient = "victim@example.org", .client_ip = "192.0.2.7",
	    .client_name = "dsl-7.example.com", .dsn = "5.7.1",
	    .response = "550 5.7.1 <victim@example.org>... Relaying denied. "
	    "Proper authentication required.", .origin = REJECT_SMTPD)),
	EVENTS(SM, QID ": ruleset=check_mail, arg1=<x@nodomain.example>, "
	    "relay=[192.0.2.8] (may be forged), reject=451 4.1.8 Domain of "
	    "sender address x@nodomain.example does not resolve",
	    E(EV_REJECT, .queue_id = QID, .stage = "MAIL",
	    .sender = "x@nodomain.example", .client_ip = "192.0.2.8",
	    .dsn = "4.1.8", .response = "451 4.1.8 Domain of sender address "
	    "x@nodomain.example does not resolve", .origin = REJECT_SMTPD)),
	EVENTS(SM, "ruleset=check_relay, arg1=dsl-7.example.com, arg2="
	    "192.0.2.7, relay=dsl-7.example.com [192.0.2.7], reject=421 4.3.2 "
	    "Connection rate limit exceeded.",
	    E(EV_REJECT, .stage = "CONNECT", .client_ip = "192.0.2.7",
	    .client_name = "dsl-7.example.com", .dsn = "4.3.2",
	    .response = "421 4.3.2 Connection rate limit exceeded.",
	    .origin = REJECT_SMTPD)),
	EVENTS(SM, "NOQUEUE: ruleset=check_relay, arg1=[192.0.2.70], arg2="
	    "192.0.2.70, relay=[192.0.2.70], reject=554 5.7.1 Rejected "
	    "192.0.2.70 found in dnsbl.example.org",
	    E(EV_REJECT, .stage = "CONNECT", .client_ip = "192.0.2.70",
	    .dsn = "5.7.1", .response = "554 5.7.1 Rejected 192.0.2.70 found "
	    "in dnsbl.example.org", .origin = REJECT_SMTPD)),
	/* no relay=: check_relay's arguments name the client */
	EVENTS(SM, "ruleset=check_relay, arg1=bot.example.net, arg2="
	    "192.0.2.71, reject=550 5.7.1 Access denied",
	    E(EV_REJECT, .stage = "CONNECT", .client_ip = "192.0.2.71",
	    .client_name = "bot.example.net", .dsn = "5.7.1",
	    .response = "550 5.7.1 Access denied", .origin = REJECT_SMTPD)),
	/* session stages drop the envelope ID */
	EVENTS(SM, QID ": ruleset=check_helo, arg1=pc17, relay=[192.0.2.17],"
	    " reject=553 5.7.1 pc17... Bad HELO",
	    E(EV_REJECT, .stage = "HELO", .helo = "pc17",
	    .client_ip = "192.0.2.17", .dsn = "5.7.1",
	    .response = "553 5.7.1 pc17... Bad HELO", .origin = REJECT_SMTPD)),
	EVENTS(SM, QID ": ruleset=check_vrfy, arg1=root, relay=[192.0.2.17],"
	    " reject=550 5.7.1 no",
	    E(EV_REJECT, .stage = "VRFY", .client_ip = "192.0.2.17",
	    .dsn = "5.7.1", .response = "550 5.7.1 no",
	    .origin = REJECT_SMTPD)),
	EVENTS(SM, QID ": ruleset=check_data, arg1=3, relay=[192.0.2.17], "
	    "reject=550 5.7.1 Too many recipients",
	    E(EV_REJECT, .queue_id = QID, .stage = "DATA",
	    .client_ip = "192.0.2.17", .dsn = "5.7.1",
	    .response = "550 5.7.1 Too many recipients",
	    .origin = REJECT_SMTPD)),
	EVENTS(SM, QID ": ruleset=check_eom, arg1=4000000, relay=[192.0.2.17]"
	    ", reject=552 5.3.4 Message too big",
	    E(EV_REJECT, .queue_id = QID, .stage = "END-OF-MESSAGE",
	    .client_ip = "192.0.2.17", .dsn = "5.3.4",
	    .response = "552 5.3.4 Message too big", .origin = REJECT_SMTPD)),
	/* a header check: the ruleset names the stage */
	EVENTS(SM, QID ": ruleset=check_subject, arg1=You won, big, relay="
	    "[192.0.2.17], reject=553 5.7.1 Spam subject",
	    E(EV_REJECT, .queue_id = QID, .stage = "check_subject",
	    .client_ip = "192.0.2.17", .dsn = "5.7.1",
	    .response = "553 5.7.1 Spam subject", .origin = REJECT_SMTPD)),
	/* a recipient that fakes reject= */
	EVENTS(SM, QID ": ruleset=check_rcpt, arg1=<\"a, reject=250 ok\"@"
	    "example.org>, relay=[192.0.2.7], reject=550 5.7.1 Relaying denied",
	    E(EV_REJECT, .queue_id = QID, .stage = "RCPT",
	    .recipient = "\"a, reject=250 ok\"@example.org",
	    .client_ip = "192.0.2.7", .dsn = "5.7.1",
	    .response = "550 5.7.1 Relaying denied", .origin = REJECT_SMTPD)),
	IGNORED(SM, QID ": ruleset=check_rcpt, arg1=<a@example.org>, relay="
	    "[192.0.2.7], discard", IGNORE_FILTER_ACTION),
	IGNORED(SM, QID ": ruleset=check_mail, arg1=<a@example.org>, relay="
	    "[192.0.2.7], quarantine=held for review", IGNORE_FILTER_ACTION),
	BROKEN(SM, QID ": ruleset=check_rcpt, arg1=<a@example.org>, relay="
	    "[192.0.2.7]", MALFORMED_FIELD),
	BROKEN(SM, QID ": ruleset=, arg1=x, reject=550 no", MALFORMED_FIELD),

	/* milter verdicts */
	EVENTS(SM, QID ": Milter: from=<spam@example.biz>, reject=550 5.7.1 "
	    "Sender blocked",
	    E(EV_REJECT, .queue_id = QID, .stage = "MAIL",
	    .sender = "spam@example.biz", .dsn = "5.7.1",
	    .response = "550 5.7.1 Sender blocked", .origin = REJECT_MILTER)),
	EVENTS(SM, QID ": Milter: to=<r@example.com>, reject=550 5.7.1 "
	    "Command rejected",
	    E(EV_REJECT, .queue_id = QID, .stage = "RCPT",
	    .recipient = "r@example.com", .dsn = "5.7.1",
	    .response = "550 5.7.1 Command rejected", .origin = REJECT_MILTER)),
	EVENTS(SM, QID ": Milter: helo=bot.example, reject=554 5.7.1 Go away",
	    E(EV_REJECT, .stage = "HELO", .helo = "bot.example",
	    .dsn = "5.7.1", .response = "554 5.7.1 Go away",
	    .origin = REJECT_MILTER)),
	EVENTS(SM, "NOQUEUE: Milter: connect: host=dsl-3.example.net, addr="
	    "192.0.2.3, reject=554 5.7.1 Blocked",
	    E(EV_REJECT, .stage = "CONNECT", .client_name = "dsl-3.example.net",
	    .client_ip = "192.0.2.3", .dsn = "5.7.1",
	    .response = "554 5.7.1 Blocked", .origin = REJECT_MILTER)),
	EVENTS(SM, QID ": Milter: cmd=data, reject=550 5.7.1 Command "
	    "rejected",
	    E(EV_REJECT, .queue_id = QID, .stage = "DATA", .dsn = "5.7.1",
	    .response = "550 5.7.1 Command rejected", .origin = REJECT_MILTER)),
	EVENTS(SM, QID ": Milter: data, reject=554 5.7.1 Spam message "
	    "rejected",
	    E(EV_REJECT, .queue_id = QID, .stage = "END-OF-MESSAGE",
	    .dsn = "5.7.1", .response = "554 5.7.1 Spam message rejected",
	    .origin = REJECT_MILTER)),
	EVENTS(SM, QID ": Milter: from=<a@example.net>, reject=421, "
	    "errormode=4",
	    E(EV_REJECT, .queue_id = QID, .stage = "MAIL",
	    .sender = "a@example.net", .response = "421, errormode=4",
	    .origin = REJECT_MILTER)),
	IGNORED(SM, QID ": Milter: data, discard", IGNORE_FILTER_ACTION),
	IGNORED(SM, QID ": Milter: to=<r@example.com>, discard",
	    IGNORE_FILTER_ACTION),
	IGNORED(SM, QID ": milter=spamd, action=rcpt, reject=550 5.7.1 x",
	    IGNORE_FILTER_ACTION),
	IGNORED(SM, QID ": milter=clamav, reject=554 5.7.1 Virus found",
	    IGNORE_FILTER_ACTION),
	IGNORED(SM, QID ": Milter add: header: X-Spam-Status: Yes, score=9",
	    IGNORE_FILTER_ACTION),
	IGNORED(SM, QID ": Milter accept: message", IGNORE_FILTER_ACTION),
	/* 8.17's connect refusal: the connection's commands refused */
	EVENTS(SM, QID ": Milter: connect: host=[192.0.2.23], addr="
	    "192.0.2.23, rejecting commands",
	    E(EV_REJECT, .stage = "CONNECT", .client_name = "[192.0.2.23]",
	    .client_ip = "192.0.2.23", .response = "rejecting commands",
	    .origin = REJECT_MILTER)),
	/* the size limit refuses the message at DATA */
	EVENTS(SM, QID ": message size (7114) exceeds maximum (3000)",
	    E(EV_REJECT, .queue_id = QID, .stage = "DATA",
	    .response = "message size (7114) exceeds maximum (3000)",
	    .origin = REJECT_SMTPD)),
	EVENTS(SM, QID ": dsl-22.example.net [192.0.2.22] (may be forged): "
	    "Possible SMTP RCPT flood, throttling.",
	    E(EV_REJECT, .queue_id = QID, .stage = "RCPT",
	    .client_ip = "192.0.2.22", .client_name = "dsl-22.example.net",
	    .response = "Possible SMTP RCPT flood, throttling.",
	    .origin = REJECT_SMTPD)),
	/* MaxRecipientsPerMessage: a refusal that names no client */
	EVENTS(SM, QID ": Too many recipients",
	    E(EV_REJECT, .queue_id = QID, .stage = "RCPT",
	    .response = "Too many recipients", .origin = REJECT_SMTPD)),
	/* BadRcptThrottle: the client's RCPTs slowed down */
	EVENTS(SM, QID ": [192.0.2.55]: Possible SMTP RCPT flood, "
	    "throttling.",
	    E(EV_REJECT, .queue_id = QID, .stage = "RCPT",
	    .client_ip = "192.0.2.55",
	    .response = "Possible SMTP RCPT flood, throttling.",
	    .origin = REJECT_SMTPD)),
	IGNORED(SM, QID ": Milter: unknown=HELP, reject=500 no",
	    IGNORE_FILTER_ACTION),

	/* user errors logged while checking an address */
	EVENTS(SM, QID ": <nobody@example.com>... User unknown",
	    E(EV_REJECT, .queue_id = QID, .recipient = "nobody@example.com",
	    .response = "User unknown", .origin = REJECT_SMTPD)),
	EVENTS(SM, QID ": <\"odd>... \"@example.com>... No such user here",
	    E(EV_REJECT, .queue_id = QID,
	    .recipient = "\"odd>... \"@example.com",
	    .response = "No such user here", .origin = REJECT_SMTPD)),
	EVENTS(SENDMAIL, QID ": root... 550 5.1.1 User unknown",
	    E(EV_REJECT, .queue_id = QID, .recipient = "root", .dsn = "5.1.1",
	    .response = "550 5.1.1 User unknown", .origin = REJECT_SMTPD)),

	/* session: greet_pause refusals, connects */
	EVENTS(SM, QID ": rejecting commands from dsl-7.example.com "
	    "[192.0.2.7] due to pre-greeting traffic after 0 seconds",
	    E(EV_REJECT, .stage = "CONNECT", .client_ip = "192.0.2.7",
	    .client_name = "dsl-7.example.com",
	    .response = "pre-greeting traffic after 0 seconds",
	    .origin = REJECT_SMTPD)),
	EVENTS(SM, QID ": rejecting commands from  [192.0.2.8] due to "
	    "pre-greeting traffic after 3 seconds",
	    E(EV_REJECT, .stage = "CONNECT", .client_ip = "192.0.2.8",
	    .response = "pre-greeting traffic after 3 seconds",
	    .origin = REJECT_SMTPD)),
	EVENTS(SM, "NOQUEUE: connect from pc17.dsl.example.net "
	    "[198.51.100.17]",
	    E(EV_CONNECT, .client_ip = "198.51.100.17",
	    .client_name = "pc17.dsl.example.net")),
	EVENTS(SM, "NOQUEUE: connect from [IPv6:2001:db8::9] (may be forged)",
	    E(EV_CONNECT, .client_ip = "IPv6:2001:db8::9")),
	IGNORED(SENDMAIL, "NOQUEUE: connect from carol@localhost",
	    IGNORE_SESSION),
	IGNORED(SM, QID ": rejecting commands from x", IGNORE_SESSION),

	/* session noise */
	IGNORED(SM, QID ": dsl-7.example.com [192.0.2.7] did not issue MAIL/"
	    "EXPN/VRFY/ETRN during connection to MTA", IGNORE_SESSION),
	IGNORED(SM, QID ": [IPv6:2001:db8::1] (may be forged) did not issue "
	    "MAIL/EXPN/VRFY/ETRN during connection to MTA-v6", IGNORE_SESSION),
	IGNORED(SM, QID ": lost input channel from dsl-7.example.com "
	    "[192.0.2.7] to MTA after rcpt", IGNORE_SESSION),
	IGNORED(SM, QID ": timeout waiting for input from [192.0.2.7] during "
	    "server cmd read", IGNORE_SESSION),
	IGNORED(SM, QID ": collect: premature EOM: Connection reset by "
	    "dsl-7.example.com", IGNORE_SESSION),
	IGNORED(SM, QID ": Syntax error in mailbox address \"a@b.example.??\" "
	    "(non-printable character)", IGNORE_SESSION),
	IGNORED(SM, QID ": [192.0.2.7]: possible SMTP attack: command=AUTH, "
	    "count=5", IGNORE_SESSION),
	IGNORED(SM, QID ": x.example [192.0.2.7]: probable open proxy: "
	    "command=GET / HTTP/1.0", IGNORE_SESSION),
	IGNORED(SM, QID ": [192.0.2.7]: EXPN root [rejected]", IGNORE_SESSION),
	IGNORED(SM, QID ": [192.0.2.7]: vrfy info [rejected]", IGNORE_SESSION),
	IGNORED(SM, QID ": host.example [192.0.2.7]: ETRN example.net",
	    IGNORE_SESSION),

	/* TLS */
	IGNORED(SM, "STARTTLS=server, relay=pc17.dsl.example.net "
	    "[198.51.100.17], version=TLSv1.3, verify=NO, cipher="
	    "TLS_AES_256_GCM_SHA384, bits=256/256", IGNORE_TLS),
	IGNORED(SM, QID ": STARTTLS=client, relay=mx.example.com., version="
	    "TLSv1.2, verify=FAIL, cipher=ECDHE-RSA-AES256-GCM-SHA384, "
	    "bits=256/256", IGNORE_TLS),
	IGNORED(SM, "STARTTLS: x509 cert verify: depth=1 /CN=x, state=1, "
	    "reason=unable to get local issuer certificate", IGNORE_TLS),
	IGNORED(SM, "tls_srv_features=empty, stat=0, relay=x [192.0.2.1]",
	    IGNORE_TLS),

	/* daemon, warnings, filter actions, queue details */
	IGNORED(SM, "starting daemon (8.17.1.9): SMTP+queueing@00:30:00",
	    IGNORE_DAEMON),
	IGNORED(SM, "restarting /usr/sbin/sendmail-mta due to signal",
	    IGNORE_DAEMON),
	IGNORED(SM, "rejecting connections on daemon MTA-v4: load average: 40",
	    IGNORE_DAEMON),
	IGNORED(SM, "accepting connections again for daemon MTA-v4",
	    IGNORE_DAEMON),
	IGNORED(SM, "alias database /etc/mail/aliases rebuilt by root",
	    IGNORE_DAEMON),
	IGNORED(SM, "/etc/mail/aliases: 27 aliases, longest 10 bytes, 313 "
	    "bytes total", IGNORE_DAEMON),
	IGNORED(SM, "grew WorkList for /var/spool/mqueue to 200",
	    IGNORE_DAEMON),
	IGNORED(SENDMAIL, "File descriptors missing on startup: stdin; Bad "
	    "file descriptor", IGNORE_DAEMON),
	IGNORED(SM, "SYSERR(root): hash map \"Alias0\": unsafe map file "
	    "/etc/mail/aliases.db: Permission denied", IGNORE_WARNING),
	IGNORED(SM, QID ": SYSERR(root): putbody: write error: No space left "
	    "on device", IGNORE_WARNING),
	IGNORED(SM, "My unqualified host name (relay1) unknown; sleeping for "
	    "retry", IGNORE_WARNING),
	IGNORED(SM, "gethostbyaddr(IPv6:::1) failed: 1", IGNORE_WARNING),
	/* a DISCARD of the message: refused by the relay itself */
	EVENTS(SM, QID ": discarded",
	    E(EV_REJECT, .queue_id = QID, .stage = "END-OF-MESSAGE",
	    .response = "discarded", .origin = REJECT_DISCARD)),
	IGNORED(SM, QID ": discarded by milter", IGNORE_FILTER_ACTION),
	IGNORED(SM, QID ": quarantine=held by milter", IGNORE_FILTER_ACTION),
	IGNORED(SM, QID ": split: count=1, id=" QID2, IGNORE_QUEUE_INFO),

	IGNORED(SM, QID ": mx.example.com.: SMTP DATA-2 protocol error: 571 "
	    "Message Refused", IGNORE_QUEUE_INFO),
	IGNORED(SM, QID "[2]: rest of a long line, relay=x", IGNORE_QUEUE_INFO),
	IGNORED(SM, "NOQUEUE[1]: from=<a@example.net>, size=1 ...",
	    IGNORE_QUEUE_INFO),
	IGNORED(SM, QID ":", IGNORE_QUEUE_INFO),
	IGNORED(SM, "something new", IGNORE_UNRECOGNISED),
	IGNORED(SM, "", IGNORE_UNRECOGNISED),
	IGNORED(SM, "NOQUEUE: something new", IGNORE_UNRECOGNISED),
	/* words before ": " that are not queue IDs */
	IGNORED(SM, "Milter2: to=<a@b>", IGNORE_FILTER_ACTION),
	IGNORED(SM, "Errors1: to=<a@b>", IGNORE_UNRECOGNISED),
	IGNORED(SM, "Errors123: to=<a@b>", IGNORE_UNRECOGNISED),

	/* damaged queue IDs in front of event lines */
	BROKEN(SM, "4AQLVt5K01234X: to=<a@example.com>, mailer=esmtp, "
	    "dsn=2.0.0, stat=Sent", MALFORMED_QUEUE_ID),
	BROKEN(SM, "4AZLVt5K012345: from=<a@example.com>, size=1, class=0, "
	    "nrcpts=1, relay=[192.0.2.1]", MALFORMED_QUEUE_ID),
	BROKEN(SM, "4AQLVt5K0123456789: done", MALFORMED_QUEUE_ID),

	/* other programs */
	NOT_MINE("postfix/smtpd", "connect from x[192.0.2.1]"),
	NOT_MINE("sm-notify", "Version 2.6.2 starting"),
	NOT_MINE("sendmail-", QID ": done"),
	NOT_MINE("sm-", QID ": done"),
	NOT_MINE("CRON", "(root) CMD (run-parts /etc/cron.hourly)"),
	NOT_MINE("smtpd", QID ": done"),
};

/* check_event - the framing of ev, then every field against e */
static void
check_event(int i, int n, const char *program, const struct mta_event *ev,
    const struct expect *e)
{
	char	where[48];

	snprintf(where, sizeof(where), "case %d event %d", i, n);
	ck_assert_int_eq(ev->time_sec, LINE_TIME);
	ck_assert_uint_eq(ev->time_usec, 0);
	ck_assert_int_eq(ev->pid, LINE_PID);
	ck_assert_int_eq(ev->mta, MTA_SENDMAIL);
	expect_zstr(where, "host", ev->host, "relay1");
	expect_zstr(where, "program", ev->program, program);
	expect_event(where, ev, e->kind, &e->e);
}

/* make_line - the syslog line of a case; caller frees */
static char *
make_line(const char *program, const char *message, size_t *len)
{
	size_t	 n = strlen(program) + strlen(message) + 64;
	char	*line = xmalloc(n);
	int	 w;

	w = snprintf(line, n, "Nov 26 21:31:55 relay1 %s[%d]: %s", program,
	    LINE_PID, message);
	ck_assert(w > 0 && (size_t)w < n);
	*len = (size_t)w;
	return line;
}

/* feed_line - parse header and feed the parser; the status */
static enum parse_status
feed_line(struct syslog_parser *sp, struct sendmail_parser *p,
    const char *line, size_t len, enum ignore_reason *ig,
    enum malformed_reason *mr)
{
	struct syslog_header hdr;

	ck_assert_msg(syslog_parse(sp, line, len, &hdr) == SYSLOG_OK,
	    "bad test line: %.100s", line);
	return sendmail_feed(p, &hdr, ig, mr);
}

START_TEST(test_cases)
{
	const struct sm_case *c = &cases[_i];
	struct syslog_parser *sp = syslog_parser_new(2026, 0);
	struct sendmail_parser *p = sendmail_parser_new();
	enum ignore_reason ig = IGNORE_REASON_COUNT;
	enum malformed_reason mr = MALFORMED_REASON_COUNT;
	const struct mta_event *ev;
	enum parse_status st;
	size_t		 len;
	int		 n;
	char		*line = make_line(c->program, c->message, &len);

	st = feed_line(sp, p, line, len, &ig, &mr);
	ck_assert_msg(st == c->status, "case %d: status %d != %d (%s)", _i,
	    (int)st, (int)c->status, c->message);
	switch (st) {
	case PARSE_EVENTS:
		for (n = 0; n < MAX_EVENTS && c->ev[n].set; n++) {
			ck_assert_msg((ev = sendmail_next(p)) != NULL,
			    "case %d: event %d missing", _i, n);
			check_event(_i, n, c->program, ev, &c->ev[n]);
		}
		ck_assert_msg(n > 0, "case %d: no event expected", _i);
		ck_assert_msg((ev = sendmail_next(p)) == NULL,
		    "case %d: extra %s event", _i, event_kind_name(ev->kind));
		break;
	case PARSE_IGNORED:
		ck_assert_msg((int)ig == c->reason, "case %d: ignored as %s",
		    _i, ignore_reason_name(ig));
		ck_assert(sendmail_next(p) == NULL);
		break;
	case PARSE_MALFORMED:
		ck_assert_msg((int)mr == c->reason, "case %d: malformed as %s",
		    _i, malformed_reason_name(mr));
		ck_assert(sendmail_next(p) == NULL);
		break;
	case PARSE_NOT_MINE:
		ck_assert(sendmail_next(p) == NULL);
		break;
	}
	free(line);
	sendmail_parser_free(p);
	syslog_parser_free(sp);
}
END_TEST

struct qid_case {
	const char	*id;
	int		 valid;
};

static const struct qid_case qid_cases[] = {
	{ "4AQLVt5K012345", 1 },		/* 8.12+: 8 + 6 digits */
	{ "r9ENZqM1003442", 1 },
	{ "j061bW9V000809", 1 },
	{ "56CF8Qni004012", 1 },
	{ "xA32R2PQ3529566", 1 },		/* 7-digit process ID */
	{ "4AQLVy5K012345", 1 },		/* second 60 (leap) */
	{ "4AQLVt5K01234567", 1 },		/* 16: the most */
	{ "f4DIZ0I09337", 1 },			/* 8.10/8.11: 12 */
	{ "LAA12345", 1 },			/* before 8.10 */
	{ "JAA03214", 1 },
	{ "xyz1234567", 1 },			/* 7-digit process ID */
	{ "", 0 },
	{ "NOQUEUE", 0 },
	{ "LAA1234", 0 },			/* 7: too short */
	{ "LA112345", 0 },			/* two letters */
	{ "LAA1234x", 0 },
	{ "4AQLVt5K01234", 1 },			/* 8.11, 6-digit process ID */
	{ "4AQLVt5K0123", 1 },			/* 8.11: 7 + 5 digits */
	{ "4AQLVt5K012", 0 },			/* 11 */
	{ "4AQLVt5K012345678", 0 },		/* 17 */
	{ "4AQLVt5K01234X", 0 },		/* letter in the digits */
	{ "yAQLVt5K012345", 0 },		/* year digit 60 */
	{ "4CQLVt5K012345", 0 },		/* month 12 */
	{ "4A0LVt5K012345", 0 },		/* day 0 */
	{ "4AWLVt5K012345", 0 },		/* day 32 */
	{ "4AQOVt5K012345", 0 },		/* hour 24 */
	{ "4AQLyt5K012345", 0 },		/* minute 60 */
	{ "4AQLVz5K012345", 0 },		/* second 61 */
	{ "4AQLVtyK012345", 0 },		/* sequence digit 60 */
	{ "4AQLVt5-012345", 0 },
	{ "4AQLVt5K 12345", 0 },
	{ "4AQLVt5K0123\xc3\xa9", 0 },
};

START_TEST(test_queue_ids)
{
	const struct qid_case *c = &qid_cases[_i];

	ck_assert_msg(sendmail_is_queue_id(zstr_make(c->id, strlen(c->id))) ==
	    (c->valid != 0), "'%s' should be %s", c->id,
	    c->valid ? "valid" : "invalid");
}
END_TEST

START_TEST(test_queue_id_edges)
{
	/* a length excludes what follows */
	ck_assert(sendmail_is_queue_id(zstr_make(QID ": x", 14)));
	ck_assert(!sendmail_is_queue_id(zstr_make(QID ": x", 15)));
	ck_assert(!sendmail_is_queue_id(ZSTR_NULL));
}
END_TEST

struct program_case {
	const char	*program;
	int		 sendmail;
};

static const struct program_case program_cases[] = {
	{ "sendmail", 1 },
	{ "sm-mta", 1 },
	{ "sm-msp-queue", 1 },
	{ "sm-msp", 1 },
	{ "sm-mta-queue", 1 },
	{ "sm-mta-runq", 1 },
	{ "sm-que", 1 },
	{ "sm-acceptingconnections", 1 },
	{ "sendmail-mta", 1 },
	{ "sendmail-msp", 1 },
	{ "sendmail-", 0 },
	{ "sm-", 0 },
	{ "sm-notify", 0 },
	{ "sm", 0 },
	{ "Sendmail", 0 },
	{ "sendmailx", 0 },
	{ "postfix/smtpd", 0 },
	{ "smtpd", 0 },
	{ "", 0 },
};

START_TEST(test_programs)
{
	const struct program_case *c = &program_cases[_i];

	ck_assert_msg(sendmail_is_program(zstr_make(c->program,
	    strlen(c->program))) == (c->sendmail != 0), "'%s'", c->program);
	ck_assert(!sendmail_is_program(ZSTR_NULL));
}
END_TEST

/* Events are handed out once, and a later line clears them. */
START_TEST(test_next_once)
{
	struct syslog_parser *sp = syslog_parser_new(2026, 0);
	struct sendmail_parser *p = sendmail_parser_new();
	const struct mta_event *ev;
	size_t		 len;
	char		*a = make_line(SM, QID ": to=a@x,b@x, mailer=esmtp, "
			    "stat=Sent", &len);
	char		*b;

	ck_assert(sendmail_next(p) == NULL);
	ck_assert(feed_line(sp, p, a, len, NULL, NULL) == PARSE_EVENTS);
	ck_assert((ev = sendmail_next(p)) != NULL);
	ck_assert(zstr_eq_cstr(ev->recipient, "a@x"));
	/* a new line drops what the last one had left */
	ck_assert(feed_line(sp, p, a, len, NULL, NULL) == PARSE_EVENTS);
	ck_assert((ev = sendmail_next(p)) != NULL);
	ck_assert(zstr_eq_cstr(ev->recipient, "a@x"));
	ck_assert((ev = sendmail_next(p)) != NULL);
	ck_assert(zstr_eq_cstr(ev->recipient, "b@x"));
	ck_assert(sendmail_next(p) == NULL);
	ck_assert(sendmail_next(p) == NULL);
	ck_assert(feed_line(sp, p, a, len, NULL, NULL) == PARSE_EVENTS);
	free(a);
	b = make_line(SM, "something new", &len);
	ck_assert(feed_line(sp, p, b, len, NULL, NULL) == PARSE_IGNORED);
	ck_assert(sendmail_next(p) == NULL);
	free(b);
	b = make_line(SM, QID ": to=<a@x>, mailer=esmtp", &len);
	ck_assert(feed_line(sp, p, b, len, NULL, NULL) == PARSE_MALFORMED);
	ck_assert(sendmail_next(p) == NULL);
	free(b);
	b = make_line("postfix/smtp", QID ": to=<a@x>, stat=Sent", &len);
	ck_assert(feed_line(sp, p, b, len, NULL, NULL) == PARSE_NOT_MINE);
	ck_assert(sendmail_next(p) == NULL);
	free(b);
	sendmail_parser_free(p);
	sendmail_parser_free(NULL);
	syslog_parser_free(sp);
}
END_TEST

/* A header built by hand: no message text at all. */
START_TEST(test_header_without_message)
{
	struct sendmail_parser *p = sendmail_parser_new();
	struct syslog_header hdr;
	enum ignore_reason ig = IGNORE_REASON_COUNT;
	const struct mta_event *ev;

	memset(&hdr, 0, sizeof(hdr));
	hdr.host = ZSTR_LIT("relay9");
	hdr.program = ZSTR_LIT("sendmail");
	hdr.pid = -1;
	ck_assert(sendmail_feed(p, &hdr, &ig, NULL) == PARSE_IGNORED);
	ck_assert_int_eq(ig, IGNORE_UNRECOGNISED);
	ck_assert(sendmail_next(p) == NULL);
	hdr.message = ZSTR_LIT(QID ": done");
	ck_assert(sendmail_feed(p, &hdr, NULL, NULL) == PARSE_EVENTS);
	ck_assert((ev = sendmail_next(p)) != NULL);
	ck_assert(zstr_eq_cstr(ev->host, "relay9"));
	ck_assert_int_eq(ev->pid, -1);
	ck_assert_int_eq(ev->kind, EV_REMOVED);
	sendmail_parser_free(p);
}
END_TEST

/* long_line - prefix, n copies of unit, suffix; caller frees */
static char *
long_line(const char *prefix, const char *unit, size_t n, const char *suffix,
    size_t *len)
{
	size_t	 pl = strlen(prefix), ul = strlen(unit), sl = strlen(suffix);
	char	*s = xmalloc(pl + ul * n + sl + 1), *q = s;
	size_t	 i;

	memcpy(q, prefix, pl);
	q += pl;
	for (i = 0; i < n; i++, q += ul)
		memcpy(q, unit, ul);
	memcpy(q, suffix, sl + 1);
	*len = pl + ul * n + sl;
	return s;
}

/* A to= line of 5000 recipients gives 5000 events, in order. */
START_TEST(test_many_recipients)
{
	struct syslog_parser *sp = syslog_parser_new(2026, 0);
	struct sendmail_parser *p = sendmail_parser_new();
	const struct mta_event *ev;
	size_t		 len, n = 0;
	char		*line;

	line = long_line("Nov 26 21:31:55 relay1 sm-mta[1]: " QID ": to=",
	    "<r@example.com>,", 5000, " delay=00:00:01, mailer=esmtp, "
	    "dsn=2.0.0, stat=Sent (ok)", &len);
	ck_assert(feed_line(sp, p, line, len, NULL, NULL) == PARSE_EVENTS);
	while ((ev = sendmail_next(p)) != NULL) {
		ck_assert_int_eq(ev->kind, EV_DELIVERY);
		ck_assert(zstr_eq_cstr(ev->recipient, "r@example.com"));
		ck_assert(zstr_eq_cstr(ev->response, "Sent (ok)"));
		n++;
	}
	ck_assert_uint_eq(n, 5000);
	free(line);
	/* a 50 000-byte address survives whole */
	line = long_line("Nov 26 21:31:55 relay1 sm-mta[1]: " QID ": to=<",
	    "x", 50000, "@example.org>, mailer=esmtp, dsn=5.1.1, stat=User "
	    "unknown", &len);
	ck_assert(feed_line(sp, p, line, len, NULL, NULL) == PARSE_EVENTS);
	ck_assert((ev = sendmail_next(p)) != NULL);
	ck_assert_uint_eq(ev->recipient.len, 50000 + 12);
	ck_assert(ev->status == DELIVERY_BOUNCED);
	free(line);
	sendmail_parser_free(p);
	syslog_parser_free(sp);
}
END_TEST

/* Lines made of many fake fields must still parse in linear time. */
START_TEST(test_hostile_linear)
{
	static const char *const units[] = {
		"\"a, b=", ", x=<", "<\"", ">, a=", ",", ", relay=", ", stat=",
		"[", "]", " (may be forged)", ">... ", ", user=", ", mech=",
		"\\\"", "(", NULL
	};
	static const char *const prefixes[] = {
		"Nov 26 21:31:55 relay1 sm-mta[1]: " QID ": to=",
		"Nov 26 21:31:55 relay1 sm-mta[1]: " QID ": to=<a>, mailer=x, "
		    "reply=",
		"Nov 26 21:31:55 relay1 sm-mta[1]: " QID ": to=<a>, mailer=x",
		"Nov 26 21:31:55 relay1 sm-mta[1]: " QID ": from=",
		"Nov 26 21:31:55 relay1 sm-mta[1]: " QID ": from=<a>, size=1, "
		    "nrcpts=1, msgid=",
		"Nov 26 21:31:55 relay1 sm-mta[1]: " QID ": ruleset=check_rcpt"
		    ", arg1=",
		"Nov 26 21:31:55 relay1 sm-mta[1]: " QID ": Milter: to=",
		"Nov 26 21:31:55 relay1 sm-mta[1]: AUTH failure (x): ",
		"Nov 26 21:31:55 relay1 sm-mta[1]: AUTH=server, relay=",
		"Nov 26 21:31:55 relay1 sm-mta[1]: " QID ": <",
		"Nov 26 21:31:55 relay1 sm-mta[1]: " QID ": ",
		NULL
	};
	struct syslog_parser *sp = syslog_parser_new(2026, 0);
	struct sendmail_parser *p = sendmail_parser_new();
	const struct mta_event *ev;
	size_t		 len, u, q;
	clock_t		 start = clock();
	char		*line;

	for (q = 0; prefixes[q] != NULL; q++) {
		for (u = 0; units[u] != NULL; u++) {
			line = long_line(prefixes[q], units[u],
			    60000 / strlen(units[u]), "", &len);
			(void)feed_line(sp, p, line, len, NULL, NULL);
			while ((ev = sendmail_next(p)) != NULL)
				continue;
			free(line);
		}
	}
	/* fields that each open a bracket, in 400 KB lines */
	for (q = 0; prefixes[q] != NULL; q++) {
		line = long_line(prefixes[q], ", x=<", 80000, "", &len);
		(void)feed_line(sp, p, line, len, NULL, NULL);
		while ((ev = sendmail_next(p)) != NULL)
			continue;
		free(line);
	}
	/* 150 lines of 60 KB and 10 of 400 KB: far below a second (a
	   few under the sanitizers) unless quadratic */
	ck_assert_msg((double)(clock() - start) / CLOCKS_PER_SEC < 15.0,
	    "hostile lines took %.1f s",
	    (double)(clock() - start) / CLOCKS_PER_SEC);
	sendmail_parser_free(p);
	syslog_parser_free(sp);
}
END_TEST

/*
 * Damaged copies of valid lines (bytes replaced, cut short) must never
 * crash or read outside the line; run under the sanitizers.
 */
START_TEST(test_mutations)
{
	struct syslog_parser *sp = syslog_parser_new(2026, 0);
	struct sendmail_parser *p = sendmail_parser_new();
	static const char alphabet[] = "<>[]:;, =()\"\\/xA0.-@";
	struct syslog_header hdr;
	const struct mta_event *ev;
	uint64_t	 rng = 0x9e3779b97f4a7c15ULL;
	size_t		 i, len, k;
	int		 round;
	char		*line, *copy, *exact;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		line = make_line(cases[i].program, cases[i].message, &len);
		for (round = 0; round < 60; round++) {
			size_t	cut;

			copy = xmemdup0(line, len);
			for (k = 0; k < 3; k++) {
				rng ^= rng << 13;
				rng ^= rng >> 7;
				rng ^= rng << 17;
				copy[rng % len] = alphabet[(rng >> 32) %
				    (sizeof(alphabet) - 1)];
			}
			rng ^= rng << 13;
			rng ^= rng >> 7;
			rng ^= rng << 17;
			cut = round % 2 ? len : (size_t)(rng % (len + 1));
			/* an exact-size heap copy: ASan sees any overread */
			exact = xmalloc(cut == 0 ? 1 : cut);
			memcpy(exact, copy, cut);
			if (syslog_parse(sp, exact, cut, &hdr) == SYSLOG_OK &&
			    sendmail_feed(p, &hdr, NULL, NULL) ==
			    PARSE_EVENTS) {
				ck_assert((ev = sendmail_next(p)) != NULL);
				while ((ev = sendmail_next(p)) != NULL)
					continue;
			}
			free(exact);
			free(copy);
		}
		free(line);
	}
	sendmail_parser_free(p);
	syslog_parser_free(sp);
}
END_TEST

/*
 * The shared corpus ($ZS_CORPUS_DIR, by default
 * $top_srcdir/../shared/corpus): every line of sendmail/\*.log through
 * syslog_parse() and the parser.  No line may be malformed, and every
 * line names a Sendmail program: also the four written by a syslogd
 * that puts "<facility.priority>" before the host (FreeBSD syslogd
 * -v), which parsers/syslog passes.  Skipped (passing) when the corpus
 * is absent.
 */
START_TEST(test_corpus)
{
	const char	*env = getenv("ZS_CORPUS_DIR");
	const char	*top = getenv("top_srcdir");
	char		 dir[4096], path[4352];
	struct dirent	*de;
	DIR		*d;
	size_t		 nfiles = 0;

	if (env != NULL && *env != '\0')
		snprintf(dir, sizeof(dir), "%s/sendmail", env);
	else
		snprintf(dir, sizeof(dir), "%s/../shared/corpus/sendmail",
		    top != NULL && *top != '\0' ? top : ".");
	if ((d = opendir(dir)) == NULL) {
		printf("sendmail corpus not found, skipped (%s)\n", dir);
		return;
	}
	while ((de = readdir(d)) != NULL) {
		struct syslog_parser *sp = syslog_parser_new(2024, 0);
		struct sendmail_parser *p = sendmail_parser_new();
		size_t		 nl = strlen(de->d_name), cap = 0;
		uint64_t	 events = 0, lines = 0, header = 0, other = 0;
		uint64_t	 parsed = 0, ign[IGNORE_REASON_COUNT] = { 0 };
		uint64_t	 bad = 0;
		char		*line = NULL;
		ssize_t		 n;
		FILE		*f;
		int		 r;

		if (nl < 5 || strcmp(de->d_name + nl - 4, ".log") != 0) {
			sendmail_parser_free(p);
			syslog_parser_free(sp);
			continue;
		}
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		ck_assert_msg((f = fopen(path, "r")) != NULL, "%s", path);
		while ((n = getline(&line, &cap, f)) > 0) {
			struct syslog_header hdr;
			enum ignore_reason ig = IGNORE_UNRECOGNISED;
			enum malformed_reason mr = MALFORMED_FIELD;
			const struct mta_event *ev;

			lines++;
			if (line[n - 1] == '\n')
				line[--n] = '\0';
			if (n > 0 && line[n - 1] == '\r')
				line[--n] = '\0';
			if (syslog_parse(sp, line, (size_t)n, &hdr) !=
			    SYSLOG_OK) {
				header++;
				continue;
			}
			switch (sendmail_feed(p, &hdr, &ig, &mr)) {
			case PARSE_EVENTS:
				parsed++;
				while ((ev = sendmail_next(p)) != NULL)
					events++;
				break;
			case PARSE_IGNORED:
				ign[ig]++;
				break;
			case PARSE_NOT_MINE:
				other++;
				break;
			case PARSE_MALFORMED:
				bad++;
				ck_assert_msg(0, "%s: malformed (%s): %s",
				    de->d_name, malformed_reason_name(mr),
				    line);
				break;
			}
		}
		fclose(f);
		free(line);
		printf("%s: %llu lines, %llu parsed (%llu events), %llu "
		    "malformed, %llu other, %llu without header; ignored:",
		    de->d_name, (unsigned long long)lines,
		    (unsigned long long)parsed, (unsigned long long)events,
		    (unsigned long long)bad, (unsigned long long)other,
		    (unsigned long long)header);
		for (r = 0; r < IGNORE_REASON_COUNT; r++)
			if (ign[r] > 0)
				printf(" %s %llu", ignore_reason_name(r),
				    (unsigned long long)ign[r]);
		printf("\n");
		ck_assert_uint_eq(header, 0);
		ck_assert_uint_eq(ign[IGNORE_UNRECOGNISED], 0);
		ck_assert_uint_eq(other, 0);
		nfiles++;
		sendmail_parser_free(p);
		syslog_parser_free(sp);
	}
	closedir(d);
	ck_assert_uint_gt(nfiles, 0);
}
END_TEST

/* sendmail_suite - all Sendmail parser tests */
static Suite *
sendmail_suite(void)
{
	Suite	*s = suite_create("sendmail");
	TCase	*tc = tcase_create("sendmail");

	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, test_cases, 0,
	    (int)(sizeof(cases) / sizeof(cases[0])));
	tcase_add_loop_test(tc, test_queue_ids, 0,
	    (int)(sizeof(qid_cases) / sizeof(qid_cases[0])));
	tcase_add_test(tc, test_queue_id_edges);
	tcase_add_loop_test(tc, test_programs, 0,
	    (int)(sizeof(program_cases) / sizeof(program_cases[0])));
	tcase_add_test(tc, test_next_once);
	tcase_add_test(tc, test_header_without_message);
	tcase_add_test(tc, test_many_recipients);
	tcase_add_test(tc, test_hostile_linear);
	tcase_add_test(tc, test_mutations);
	tcase_add_test(tc, test_corpus);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	setenv("TZ", "UTC", 1);
	tzset();
	return run_suite(sendmail_suite());
}
