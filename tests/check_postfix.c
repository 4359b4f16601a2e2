/*
 * check_postfix - unit tests for parsers/postfix: every event kind and
 * field, every ignore reason, malformed and hostile lines.
 *
 * Each case is a Postfix program name and a message; the test builds
 * a syslog line around it, parses the header with parsers/syslog and
 * feeds the parser.  Every string field of the event is compared:
 * NULL in a case means the field must be unset, "" that it is set and
 * empty.  The lines are written for these tests after the formats
 * Postfix logs (smtpd.c, cleanup, qmgr, log_adhoc.c, bounce).
 */
#include "config.h"

#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "parsers/event.h"
#include "parsers/postfix.h"
#include "parsers/syslog.h"
#include "tests/event_expect.h"
#include "util/xalloc.h"
#include "util/zstr.h"
#include "tests/testutil.h"

#define SMTPD		"postfix/smtpd"
#define SUBMISSION	"postfix/submission/smtpd"
#define CLEANUP		"postfix/cleanup"
#define PICKUP		"postfix/pickup"
#define QMGR		"postfix/qmgr"
#define SMTP		"postfix/smtp"
#define LOCAL		"postfix/local"
#define BOUNCE		"postfix/bounce"
#define POSTSCREEN	"postfix/postscreen"

#define LINE_TIME	INT64_C(1795728715)	/* Nov 26 21:31:55 2026 UTC */
#define LINE_PID	4321

struct pf_case {
	const char	*program;
	const char	*message;
	enum parse_status status;
	int		 reason;	/* ignore or malformed reason */
	enum event_kind	 kind;
	struct event_expect e;
};

#define EVENT(prog, msg, k, ...) \
	{ prog, msg, PARSE_EVENTS, 0, k, { __VA_ARGS__ } }
#define IGNORED(prog, msg, r) \
	{ prog, msg, PARSE_IGNORED, r, EV_KIND_COUNT, { .queue_id = NULL } }
#define BROKEN(prog, msg, r) \
	{ prog, msg, PARSE_MALFORMED, r, EV_KIND_COUNT, { .queue_id = NULL } }
#define NOT_MINE(prog, msg) \
	{ prog, msg, PARSE_NOT_MINE, 0, EV_KIND_COUNT, { .queue_id = NULL } }

static const struct pf_case cases[] = {
	/* sessions: connect and disconnect */
	EVENT(SMTPD, "connect from mail.example.net[192.0.2.10]", EV_CONNECT,
	    .client_name = "mail.example.net", .client_ip = "192.0.2.10"),
	EVENT(SMTPD, "connect from unknown[2001:db8::25]", EV_CONNECT,
	    .client_name = "unknown", .client_ip = "2001:db8::25"),
	EVENT(SMTPD, "connect from host.example.org[198.51.100.7]:41234",
	    EV_CONNECT, .client_name = "host.example.org",
	    .client_ip = "198.51.100.7"),
	EVENT(SUBMISSION, "disconnect from unknown[203.0.113.9] ehlo=1 "
	    "auth=0/1 quit=1 commands=2/3", EV_DISCONNECT,
	    .client_name = "unknown", .client_ip = "203.0.113.9"),
	EVENT(SMTPD, "disconnect from unknown[unknown] commands=0/0",
	    EV_DISCONNECT, .client_name = "unknown", .client_ip = "unknown"),
	BROKEN(SMTPD, "connect from mail.example.net[192.0.2.10",
	    MALFORMED_FIELD),
	BROKEN(SMTPD, "disconnect from nobrackets", MALFORMED_FIELD),

	/* smtpd client= */
	EVENT(SMTPD, "4B1F2C0A3D: client=pc-17.dsl.example.net[198.51.100.17]",
	    EV_CLIENT, .queue_id = "4B1F2C0A3D",
	    .client_name = "pc-17.dsl.example.net",
	    .client_ip = "198.51.100.17"),
	EVENT(SMTPD, "4B1F2C0A3D: client=pc-17.dsl.example.net[198.51.100.17]"
	    ", sasl_method=LOGIN, sasl_username=alice@example.net", EV_CLIENT,
	    .queue_id = "4B1F2C0A3D", .client_name = "pc-17.dsl.example.net",
	    .client_ip = "198.51.100.17", .sasl_method = "LOGIN",
	    .sasl_username = "alice@example.net"),
	EVENT(SMTPD, "E3A1D40B7: client=unknown[192.0.2.77], sasl_method=PLAIN,"
	    " sasl_username=bob, sasl_sender=bob@example.net, orig_queue_id="
	    "A1B2C3D4E5, orig_client=x.example.net[192.0.2.1]", EV_CLIENT,
	    .queue_id = "E3A1D40B7", .client_name = "unknown",
	    .client_ip = "192.0.2.77", .sasl_method = "PLAIN",
	    .sasl_username = "bob"),
	/* long queue ID, multi-instance name, port, free-text user name */
	EVENT("postfix-out/submission/smtpd", "4dQ7mK3xLbz9Wq: client=unknown"
	    "[2001:db8:1::5]:587, sasl_method=PLAIN, sasl_username=user with,"
	    " comma and space", EV_CLIENT, .queue_id = "4dQ7mK3xLbz9Wq",
	    .client_name = "unknown", .client_ip = "2001:db8:1::5",
	    .sasl_method = "PLAIN",
	    .sasl_username = "user with, comma and space"),
	/* an address literal is kept as logged */
	EVENT(SMTPD, "4B1F2C0A3D: client=mx.example.net[IPv6:2001:db8::7]",
	    EV_CLIENT, .queue_id = "4B1F2C0A3D",
	    .client_name = "mx.example.net", .client_ip = "IPv6:2001:db8::7"),
	BROKEN(SMTPD, "4B1F2C0A3D: client=pc-17.example.net[198.51.100.17",
	    MALFORMED_FIELD),
	BROKEN(SMTPD, "4B1F2C0A3D: client=no-address", MALFORMED_FIELD),
	BROKEN(SMTPD, "4B1F2C0A3D: client=x[]", MALFORMED_FIELD),
	BROKEN(SMTPD, "NOTAQID!: client=x[192.0.2.1]", MALFORMED_QUEUE_ID),

	/* pickup */
	EVENT(PICKUP, "6E0B92A41: uid=1001 from=<carol>", EV_PICKUP,
	    .queue_id = "6E0B92A41", .sender = "carol", .uid = 1001,
	    .has_uid = 1),
	EVENT(PICKUP, "6E0B92A41: uid=0 from=<>", EV_PICKUP,
	    .queue_id = "6E0B92A41", .sender = "", .uid = 0, .has_uid = 1),
	EVENT(PICKUP, "6E0B92A41: uid=33 from=<www-data> orig_id=5F3A2B1C0D",
	    EV_PICKUP, .queue_id = "6E0B92A41", .sender = "www-data",
	    .uid = 33, .has_uid = 1),
	EVENT(PICKUP, "6E0B92A41: uid=9223372036854775807 from=<x>",
	    EV_PICKUP, .queue_id = "6E0B92A41", .sender = "x",
	    .uid = INT64_MAX, .has_uid = 1),
	BROKEN(PICKUP, "6E0B92A41: uid=9223372036854775808 from=<x>",
	    MALFORMED_FIELD),
	BROKEN(PICKUP, "6E0B92A41: uid=99999999999999999999999 from=<x>",
	    MALFORMED_FIELD),
	BROKEN(PICKUP, "6E0B92A41: uid=12 from=<carol", MALFORMED_FIELD),
	BROKEN(PICKUP, "6E0B92A41: uid=12", MALFORMED_FIELD),
	BROKEN(PICKUP, "6E0B92A41: uid=x12 from=<a>", MALFORMED_FIELD),
	BROKEN(PICKUP, "6E0B92A41: uid= from=<a>", MALFORMED_FIELD),

	/* cleanup message-id */
	EVENT(CLEANUP, "4B1F2C0A3D: message-id=<20261126213155.4B1F2C0A3D@"
	    "relay1.example.net>", EV_MESSAGE_ID, .queue_id = "4B1F2C0A3D",
	    .message_id = "20261126213155.4B1F2C0A3D@relay1.example.net"),
	EVENT(CLEANUP, "4B1F2C0A3D: message-id=<>", EV_MESSAGE_ID,
	    .queue_id = "4B1F2C0A3D", .message_id = ""),
	EVENT(CLEANUP, "4B1F2C0A3D: message-id=", EV_MESSAGE_ID,
	    .queue_id = "4B1F2C0A3D", .message_id = ""),
	EVENT(CLEANUP, "4B1F2C0A3D: message-id=no-brackets@example.org",
	    EV_MESSAGE_ID, .queue_id = "4B1F2C0A3D",
	    .message_id = "no-brackets@example.org"),
	EVENT(CLEANUP, "4B1F2C0A3D: message-id==?UTF-8?B?PDE5?= =?UTF-8?B?"
	    "MTIy?=", EV_MESSAGE_ID, .queue_id = "4B1F2C0A3D",
	    .message_id = "=?UTF-8?B?PDE5?= =?UTF-8?B?MTIy?="),
	EVENT(CLEANUP, "4B1F2C0A3D: message-id=<cut-short@exam", EV_MESSAGE_ID,
	    .queue_id = "4B1F2C0A3D", .message_id = "cut-short@exam"),
	EVENT(CLEANUP, "4dQ7mK3xLbz9Wq: message-id=<a b>c>", EV_MESSAGE_ID,
	    .queue_id = "4dQ7mK3xLbz9Wq", .message_id = "a b>c"),
	IGNORED(CLEANUP, "4B1F2C0A3D: resent-message-id=<r@example.org>",
	    IGNORE_QUEUE_INFO),

	/* qmgr */
	EVENT(QMGR, "4B1F2C0A3D: from=<alice@example.net>, size=4242, "
	    "nrcpt=3 (queue active)", EV_QUEUED, .queue_id = "4B1F2C0A3D",
	    .sender = "alice@example.net", .size = 4242, .nrcpt = 3),
	EVENT(QMGR, "4B1F2C0A3D: from=<>, size=1, nrcpt=1 (queue active)",
	    EV_QUEUED, .queue_id = "4B1F2C0A3D", .sender = "", .size = 1,
	    .nrcpt = 1),
	EVENT("postfix/oqmgr", "4B1F2C0A3D: from=<a@example.net>, size=7, "
	    "nrcpt=50 (queue active)", EV_QUEUED, .queue_id = "4B1F2C0A3D",
	    .sender = "a@example.net", .size = 7, .nrcpt = 50),
	EVENT(QMGR, "4B1F2C0A3D: from=<a@example.net>, size="
	    "18446744073709551614, nrcpt=1 (queue active)", EV_QUEUED,
	    .queue_id = "4B1F2C0A3D", .sender = "a@example.net",
	    .size = UINT64_MAX - 1, .nrcpt = 1),
	/* a quoted local part that looks like the next field */
	EVENT(QMGR, "4B1F2C0A3D: from=<\"a>, size=9\"@example.net>, size=12, "
	    "nrcpt=1 (queue active)", EV_QUEUED, .queue_id = "4B1F2C0A3D",
	    .sender = "\"a>, size=9\"@example.net", .size = 12, .nrcpt = 1),
	/* past 64 bits: no size, the most recipients; the line is kept */
	EVENT(QMGR, "4B1F2C0A3D: from=<a@example.net>, size="
	    "18446744073709551616, nrcpt=99999999999999999999999 (queue "
	    "active)", EV_QUEUED, .queue_id = "4B1F2C0A3D",
	    .sender = "a@example.net", .size = 0, .nrcpt = UINT64_MAX),
	BROKEN(QMGR, "4B1F2C0A3D: from=<a@example.net>, size=12, nrcpt=1x "
	    "(queue active)", MALFORMED_FIELD),
	BROKEN(QMGR, "4B1F2C0A3D: from=<alice@example.net", MALFORMED_FIELD),
	BROKEN(QMGR, "4B1F2C0A3D: from=<a@example.net>, nrcpt=1",
	    MALFORMED_FIELD),
	EVENT(QMGR, "4B1F2C0A3D: from=<alice@example.net>, status=expired, "
	    "returned to sender", EV_EXPIRED, .queue_id = "4B1F2C0A3D",
	    .sender = "alice@example.net"),
	EVENT(QMGR, "4B1F2C0A3D: from=<>, status=force-expired, returned to "
	    "sender", EV_EXPIRED, .queue_id = "4B1F2C0A3D", .sender = ""),
	EVENT(QMGR, "4B1F2C0A3D: removed", EV_REMOVED,
	    .queue_id = "4B1F2C0A3D"),
	EVENT("postfix/postsuper", "4B1F2C0A3D: removed", EV_REMOVED,
	    .queue_id = "4B1F2C0A3D"),
	EVENT(QMGR, "4dQ7mK3xLbz9Wq: removed", EV_REMOVED,
	    .queue_id = "4dQ7mK3xLbz9Wq"),
	IGNORED(QMGR, "ED06590130AA: skipped, still being delivered",
	    IGNORE_QUEUE_INFO),
	IGNORED("postfix/postsuper", "4B1F2C0A3D: placed on hold",
	    IGNORE_QUEUE_INFO),
	BROKEN(QMGR, "4b1f2c0a3d: removed", MALFORMED_QUEUE_ID),

	/* delivery agents */
	EVENT(SMTP, "4B1F2C0A3D: to=<bob@example.org>, relay=mx.example.org"
	    "[203.0.113.25]:25, delay=1.2, delays=0.1/0.01/0.6/0.49, dsn=2.0.0,"
	    " status=sent (250 2.0.0 Ok: queued as 9C1E04A2F1)", EV_DELIVERY,
	    .queue_id = "4B1F2C0A3D", .recipient = "bob@example.org",
	    .transport = "smtp", .relay = "mx.example.org[203.0.113.25]:25",
	    .dsn = "2.0.0", .status = DELIVERY_SENT,
	    .response = "250 2.0.0 Ok: queued as 9C1E04A2F1",
	    .related_queue_id = "9C1E04A2F1"),
	/* A content filter passing the re-injection's answer on; the
	   correlator decides whether the ID is one of this relay's. */
	EVENT(SMTP, "4B1F2C0A3D: to=<bob@example.org>, relay=127.0.0.1"
	    "[127.0.0.1]:10024, delay=2.1, delays=0.1/0/0/2, dsn=2.0.0, "
	    "status=sent (250 2.0.0 from MTA(smtp:[127.0.0.1]:10025): 250 "
	    "2.0.0 Ok: queued as 4dQ7mK3xLcz9Wr)", EV_DELIVERY,
	    .queue_id = "4B1F2C0A3D", .recipient = "bob@example.org",
	    .transport = "smtp", .relay = "127.0.0.1[127.0.0.1]:10024",
	    .dsn = "2.0.0", .status = DELIVERY_SENT,
	    .response = "250 2.0.0 from MTA(smtp:[127.0.0.1]:10025): 250 "
	    "2.0.0 Ok: queued as 4dQ7mK3xLcz9Wr",
	    .related_queue_id = "4dQ7mK3xLcz9Wr"),
	/* Not a Postfix queue ID, not at the end, or not sent: none. */
	EVENT(SMTP, "4B1F2C0A3D: to=<bob@example.org>, relay=mx.example.org"
	    "[203.0.113.25]:25, delay=1.2, delays=0.1/0.01/0.6/0.49, dsn=2.0.0,"
	    " status=sent (250 ok: queued as <1234@mx.example.org>)",
	    EV_DELIVERY, .queue_id = "4B1F2C0A3D",
	    .recipient = "bob@example.org", .transport = "smtp",
	    .relay = "mx.example.org[203.0.113.25]:25", .dsn = "2.0.0",
	    .status = DELIVERY_SENT,
	    .response = "250 ok: queued as <1234@mx.example.org>"),
	EVENT(SMTP, "4B1F2C0A3D: to=<bob@example.org>, relay=mx.example.org"
	    "[203.0.113.25]:25, delay=1.2, delays=0.1/0.01/0.6/0.49, dsn=2.0.0,"
	    " status=sent (250 2.0.0 queued as 9C1E04A2F1 at once)",
	    EV_DELIVERY, .queue_id = "4B1F2C0A3D",
	    .recipient = "bob@example.org", .transport = "smtp",
	    .relay = "mx.example.org[203.0.113.25]:25", .dsn = "2.0.0",
	    .status = DELIVERY_SENT,
	    .response = "250 2.0.0 queued as 9C1E04A2F1 at once"),
	EVENT(SMTP, "4B1F2C0A3D: to=<bob@example.org>, relay=mx.example.org"
	    "[203.0.113.25]:25, delay=1.2, delays=0.1/0.01/0.6/0.49, dsn=4.0.0,"
	    " status=deferred (451 4.3.0 not queued as 9C1E04A2F1)",
	    EV_DELIVERY, .queue_id = "4B1F2C0A3D",
	    .recipient = "bob@example.org", .transport = "smtp",
	    .relay = "mx.example.org[203.0.113.25]:25", .dsn = "4.0.0",
	    .status = DELIVERY_DEFERRED,
	    .response = "451 4.3.0 not queued as 9C1E04A2F1"),
	EVENT(LOCAL, "7F3E1A2B9: to=<carol@relay1.example.net>, orig_to=<root>"
	    ", relay=local, delay=0.03, delays=0.01/0/0/0.02, dsn=2.0.0, "
	    "status=sent (delivered to mailbox)", EV_DELIVERY,
	    .queue_id = "7F3E1A2B9", .recipient = "carol@relay1.example.net",
	    .orig_recipient = "root", .transport = "local", .relay = "local",
	    .dsn = "2.0.0", .status = DELIVERY_SENT,
	    .response = "delivered to mailbox"),
	/* deferred: the reply nests parentheses */
	EVENT(SMTP, "4B1F2C0A3D: to=<dave@example.com>, relay=mx1.example.com"
	    "[198.51.100.30]:25, delay=302, delays=0.1/0/300/1.9, dsn=4.7.0, "
	    "status=deferred (host mx1.example.com[198.51.100.30] said: 421 "
	    "4.7.0 [TSS04] Messages from 192.0.2.5 temporarily deferred due "
	    "to unexpected volume or user complaints (in reply to end of DATA "
	    "command))", EV_DELIVERY, .queue_id = "4B1F2C0A3D",
	    .recipient = "dave@example.com", .transport = "smtp",
	    .relay = "mx1.example.com[198.51.100.30]:25", .dsn = "4.7.0",
	    .status = DELIVERY_DEFERRED,
	    .response = "host mx1.example.com[198.51.100.30] said: 421 4.7.0 "
	    "[TSS04] Messages from 192.0.2.5 temporarily deferred due to "
	    "unexpected volume or user complaints (in reply to end of DATA "
	    "command)"),
	/* soft_bounce = yes: a refusal kept as a deferral */
	EVENT(SMTP, "2000000015: to=<v1@t1.example>, relay=mx.t1.example"
	    "[198.51.100.2]:25, delay=1, delays=0.1/0/0.5/0.4, dsn=4.7.1, "
	    "status=SOFTBOUNCE (host mx.t1.example[198.51.100.2] said: 554 "
	    "5.7.1 Service unavailable; Client host [203.0.113.5] blocked "
	    "using zen.spamhaus.org (in reply to RCPT TO command))",
	    EV_DELIVERY, .queue_id = "2000000015",
	    .recipient = "v1@t1.example", .transport = "smtp",
	    .relay = "mx.t1.example[198.51.100.2]:25", .dsn = "4.7.1",
	    .status = DELIVERY_DEFERRED,
	    .response = "host mx.t1.example[198.51.100.2] said: 554 5.7.1 "
	    "Service unavailable; Client host [203.0.113.5] blocked using "
	    "zen.spamhaus.org (in reply to RCPT TO command)"),
	/* bounced over IPv6 */
	EVENT(SMTP, "4E74613FE76: to=<eve@mail.example>, relay=mx.mail.example"
	    "[2001:db8:4860::1b]:25, delay=1.9, delays=0.05/0/1.1/0.71, "
	    "dsn=5.7.1, status=bounced (host mx.mail.example[2001:db8:4860::1b]"
	    " said: 550-5.7.1 [2001:db8::5 12] Our system has detected that "
	    "this 550-5.7.1 message is likely unsolicited mail. (Policy) 550 "
	    "5.7.1 gsmtp (in reply to end of DATA command))", EV_DELIVERY,
	    .queue_id = "4E74613FE76", .recipient = "eve@mail.example",
	    .transport = "smtp",
	    .relay = "mx.mail.example[2001:db8:4860::1b]:25",
	    .dsn = "5.7.1", .status = DELIVERY_BOUNCED,
	    .response = "host mx.mail.example[2001:db8:4860::1b] said: "
	    "550-5.7.1 [2001:db8::5 12] Our system has detected that this "
	    "550-5.7.1 message is likely unsolicited mail. (Policy) 550 5.7.1 "
	    "gsmtp (in reply to end of DATA command)"),
	EVENT("postfix/error", "5A1B2C3D4: to=<x@nonexistent.example>, "
	    "relay=none, delay=432000, delays=432000/0/0/0, dsn=4.4.1, "
	    "status=expired (connect to nonexistent.example[192.0.2.200]:25: "
	    "Connection refused)", EV_DELIVERY, .queue_id = "5A1B2C3D4",
	    .recipient = "x@nonexistent.example", .transport = "error",
	    .relay = "none", .dsn = "4.4.1", .status = DELIVERY_EXPIRED,
	    .response = "connect to nonexistent.example[192.0.2.200]:25: "
	    "Connection refused"),
	EVENT(SMTP, "5A1B2C3D4: to=<probe@example.org>, relay=mx.example.org"
	    "[203.0.113.25]:25, delay=0.9, delays=0/0/0.5/0.4, dsn=5.1.1, "
	    "status=undeliverable (host mx.example.org[203.0.113.25] said: "
	    "550 5.1.1 user unknown (in reply to RCPT TO command))",
	    EV_DELIVERY, .queue_id = "5A1B2C3D4",
	    .recipient = "probe@example.org", .transport = "smtp",
	    .relay = "mx.example.org[203.0.113.25]:25", .dsn = "5.1.1",
	    .status = DELIVERY_OTHER,
	    .response = "host mx.example.org[203.0.113.25] said: 550 5.1.1 "
	    "user unknown (in reply to RCPT TO command)"),
	EVENT(SMTP, "5A1B2C3D4: to=<ok@example.org>, relay=mx.example.org"
	    "[203.0.113.25]:25, delay=0.2, delays=0/0/0.1/0.1, dsn=2.1.5, "
	    "status=deliverable (250 2.1.5 Ok)", EV_DELIVERY,
	    .queue_id = "5A1B2C3D4", .recipient = "ok@example.org",
	    .transport = "smtp", .relay = "mx.example.org[203.0.113.25]:25",
	    .dsn = "2.1.5", .status = DELIVERY_OTHER,
	    .response = "250 2.1.5 Ok"),
	EVENT("postfix/virtual", "3E29030F8637E: to=<u@example.org>, "
	    "relay=none, delay=0.01, delays=0.01/0/0/0, dsn=5.1.1, status="
	    "undeliverable-but-not-cached (User unknown in virtual alias "
	    "table)", EV_DELIVERY, .queue_id = "3E29030F8637E",
	    .recipient = "u@example.org",
	    .transport = "virtual", .relay = "none", .dsn = "5.1.1",
	    .status = DELIVERY_OTHER,
	    .response = "User unknown in virtual alias table"),
	EVENT("postfix/virtual", "B657F2DB195D: to=<postmaster@example.org>, "
	    "relay=virtual, delay=0.52, delays=0.51/0.01/0/0, dsn=2.0.0, "
	    "status=sent (delivered to maildir)", EV_DELIVERY,
	    .queue_id = "B657F2DB195D", .recipient = "postmaster@example.org",
	    .transport = "virtual", .relay = "virtual", .dsn = "2.0.0",
	    .status = DELIVERY_SENT, .response = "delivered to maildir"),
	EVENT("postfix/lmtp", "AD6E41CDC05C: to=<admin@example.org>, "
	    "relay=store.example.org[private/dovecot-lmtp], delay=0.15, "
	    "delays=0.04/0/0.02/0.08, dsn=2.0.0, status=sent (250 2.0.0 "
	    "<admin@example.org> qYyyBMsl9FRuZQ Saved)", EV_DELIVERY,
	    .queue_id = "AD6E41CDC05C", .recipient = "admin@example.org",
	    .transport = "lmtp",
	    .relay = "store.example.org[private/dovecot-lmtp]", .dsn = "2.0.0",
	    .status = DELIVERY_SENT,
	    .response = "250 2.0.0 <admin@example.org> qYyyBMsl9FRuZQ Saved"),
	EVENT("postfix/pipe", "153053D: to=<tom@example.org>, orig_to=<admin@"
	    "example.org>, relay=dovecot, delay=3.4, delays=3.3/0.03/0/0.12, "
	    "dsn=2.0.0, status=sent (delivered via dovecot service)",
	    EV_DELIVERY, .queue_id = "153053D", .recipient = "tom@example.org",
	    .orig_recipient = "admin@example.org", .transport = "pipe",
	    .relay = "dovecot", .dsn = "2.0.0", .status = DELIVERY_SENT,
	    .response = "delivered via dovecot service"),
	EVENT("postfix/discard", "25F2E5E061: to=<x@spam.example>, relay=none,"
	    " delay=0.05, delays=0.05/0/0/0, dsn=2.0.0, status=sent "
	    "(spam.example)", EV_DELIVERY, .queue_id = "25F2E5E061",
	    .recipient = "x@spam.example", .transport = "discard",
	    .relay = "none", .dsn = "2.0.0", .status = DELIVERY_SENT,
	    .response = "spam.example"),
	/* newer fields between the known ones */
	EVENT(SMTP, "7EE668039: to=<user@example.org>, relay=mail.example.org"
	    "[192.0.2.4]:25, conn_use=2, delay=3.6, delays=0.08/0.02/0.85/0.14"
	    ", tls=dane/!requiretls:nocertmatch, dsn=2.1.5, status=sent (250 "
	    "2.0.0 Ok)", EV_DELIVERY, .queue_id = "7EE668039",
	    .recipient = "user@example.org", .transport = "smtp",
	    .relay = "mail.example.org[192.0.2.4]:25", .dsn = "2.1.5",
	    .status = DELIVERY_SENT, .response = "250 2.0.0 Ok"),
	/* Postfix 2.2 and older: no delays, no dsn */
	EVENT(LOCAL, "0D7037A4: to=<postmaster@relay1.example.net>, orig_to="
	    "<root>, relay=local, delay=0, status=sent (delivered to mailbox)",
	    EV_DELIVERY, .queue_id = "0D7037A4",
	    .recipient = "postmaster@relay1.example.net",
	    .orig_recipient = "root", .transport = "local", .relay = "local",
	    .status = DELIVERY_SENT, .response = "delivered to mailbox"),
	/* addresses without brackets */
	EVENT(LOCAL, "2A22C263F6: to=user@host.example.org, orig_to=root@"
	    "localhost, relay=local, delay=0.07, delays=0.04/0/0/0.03, "
	    "dsn=2.0.0, status=sent (delivered to command: procmail -a "
	    "\"$EXTENSION\")", EV_DELIVERY, .queue_id = "2A22C263F6",
	    .recipient = "user@host.example.org",
	    .orig_recipient = "root@localhost", .transport = "local",
	    .relay = "local", .dsn = "2.0.0", .status = DELIVERY_SENT,
	    .response = "delivered to command: procmail -a \"$EXTENSION\""),
	/* a line cut short keeps the response it has */
	EVENT(SMTP, "A0E85200BD: to=<w@lists.example.org>, relay=mx.example.nl"
	    "[192.0.2.10]:25, delay=2.3, delays=0.25/0.05/2/0.04, dsn=4.2.0, "
	    "status=deferred (host mx.example.nl[192.0.2.10] said: 450 4.2.0 "
	    "Greylisted, see http://exa", EV_DELIVERY,
	    .queue_id = "A0E85200BD", .recipient = "w@lists.example.org",
	    .transport = "smtp", .relay = "mx.example.nl[192.0.2.10]:25",
	    .dsn = "4.2.0", .status = DELIVERY_DEFERRED,
	    .response = "host mx.example.nl[192.0.2.10] said: 450 4.2.0 "
	    "Greylisted, see http://exa"),
	EVENT(SMTP, "A0E85200BD: to=<w@example.org>, relay=none, delay=1, "
	    "dsn=2.0.0, status=sent", EV_DELIVERY, .queue_id = "A0E85200BD",
	    .recipient = "w@example.org", .transport = "smtp", .relay = "none",
	    .dsn = "2.0.0", .status = DELIVERY_SENT),
	EVENT(SMTP, "A0E85200BD: to=<w@example.org>, relay=none, delay=1, "
	    "dsn=4.0.0, status=deferred ()", EV_DELIVERY,
	    .queue_id = "A0E85200BD", .recipient = "w@example.org",
	    .transport = "smtp", .relay = "none", .dsn = "4.0.0",
	    .status = DELIVERY_DEFERRED, .response = ""),
	/* multi-instance relay: the transport is the service */
	EVENT("postfix-out/smtp", "4dQ7mK3xLbz9Wq: to=<r@example.com>, "
	    "relay=mx.example.com[198.51.100.1]:25, delay=0.4, delays=0.1/0/"
	    "0.1/0.2, dsn=2.0.0, status=sent (250 ok)", EV_DELIVERY,
	    .queue_id = "4dQ7mK3xLbz9Wq", .recipient = "r@example.com",
	    .transport = "smtp", .relay = "mx.example.com[198.51.100.1]:25",
	    .dsn = "2.0.0", .status = DELIVERY_SENT, .response = "250 ok"),
	/* a hostile quoted recipient that imitates the relay field */
	EVENT(SMTP, "4B1F2C0A3D: to=<\"x>, relay=evil\"@example.org>, relay="
	    "mx.example.org[203.0.113.25]:25, delay=1, delays=0/0/0.5/0.5, "
	    "dsn=2.0.0, status=sent (250 ok)", EV_DELIVERY,
	    .queue_id = "4B1F2C0A3D",
	    .recipient = "\"x>, relay=evil\"@example.org",
	    .transport = "smtp", .relay = "mx.example.org[203.0.113.25]:25",
	    .dsn = "2.0.0", .status = DELIVERY_SENT, .response = "250 ok"),
	/* control bytes are data */
	EVENT(SMTP, "4B1F2C0A3D: to=<a\x01" "b@example.org>, relay=local, "
	    "status=sent (\x1b[31mred\x7f)", EV_DELIVERY,
	    .queue_id = "4B1F2C0A3D", .recipient = "a\x01" "b@example.org",
	    .transport = "smtp", .relay = "local", .status = DELIVERY_SENT,
	    .response = "\x1b[31mred\x7f"),
	/* qmgr logs status lines itself when a destination is dead */
	EVENT(QMGR, "2DC5552A34: to=<user@example.com>, relay=none, "
	    "delay=63495, delays=63350/144/0/0, dsn=4.4.2, status=deferred "
	    "(delivery temporarily suspended: lost connection with "
	    "mx.example.com[192.0.2.22] while sending RCPT TO)", EV_DELIVERY,
	    .queue_id = "2DC5552A34", .recipient = "user@example.com",
	    .transport = "qmgr", .relay = "none", .dsn = "4.4.2",
	    .status = DELIVERY_DEFERRED,
	    .response = "delivery temporarily suspended: lost connection with "
	    "mx.example.com[192.0.2.22] while sending RCPT TO"),
	BROKEN(SMTP, "4B1F2C0A3D: to=<bob@example.org, relay=mx.example.org"
	    "[203.0.113.25]:25, delay=1, dsn=2.0.0, status=sent (250 ok)",
	    MALFORMED_FIELD),
	BROKEN(SMTP, "4B1F2C0A3D: to=<bob@example.org>, relay=mx, delay=1",
	    MALFORMED_FIELD),
	BROKEN(SMTP, "4B1F2C0A3D: to=<bob@example.org>, status= (x)",
	    MALFORMED_FIELD),
	BROKEN(SMTP, "XYZ-123: to=<bob@example.org>, relay=local, "
	    "status=sent (ok)", MALFORMED_QUEUE_ID),
	BROKEN(SMTP, "4B1F2C0A3D0F1E2D3C4B5A6: to=<bob@example.org>, "
	    "relay=local, status=sent (ok)", MALFORMED_QUEUE_ID),

	/* smtp details that name a message but are not its outcome */
	IGNORED(SMTP, "4B1F2C0A3D: host mx1.example.com[198.51.100.30] said: "
	    "450 4.2.0 <dave@example.com>: Recipient address rejected: "
	    "Greylisted (in reply to RCPT TO command)", IGNORE_QUEUE_INFO),
	IGNORED(SMTP, "4B1F2C0A3D: lost connection with mx1.example.com"
	    "[198.51.100.30] while sending RCPT TO", IGNORE_QUEUE_INFO),
	IGNORED(SMTP, "4B1F2C0A3D: conversation with mx1.example.com"
	    "[198.51.100.30] timed out while receiving the initial server "
	    "greeting", IGNORE_QUEUE_INFO),
	IGNORED(SMTP, "4B1F2C0A3D: enabling PIX workarounds: disable_esmtp "
	    "delay_dotcrlf for mx1.example.com[198.51.100.30]:25",
	    IGNORE_QUEUE_INFO),
	IGNORED(SMTP, "4B1F2C0A3D: SASL authentication failed; server "
	    "smarthost.example.net[192.0.2.2] said: 535 5.7.8 Error: "
	    "authentication failed", IGNORE_QUEUE_INFO),
	IGNORED(SMTP, "connect to mx1.example.com[198.51.100.30]:25: "
	    "Connection timed out", IGNORE_SESSION),
	IGNORED(SMTP, "Untrusted TLS connection established to mx1.example.com"
	    "[198.51.100.30]:25: TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 "
	    "(256/256 bits)", IGNORE_TLS),
	IGNORED(SMTP, "Verified TLS connection established to mx.example.net"
	    "[2001:db8:fe21::6]:25: TLSv1.2 with cipher ECDHE-RSA-AES256-GCM-"
	    "SHA384 (256/256 bits)", IGNORE_TLS),
	IGNORED(SMTP, "mx1.example.com[198.51.100.30]:25: Matched "
	    "subjectAltName: mx1.example.com", IGNORE_TLS),
	IGNORED(SMTP, "setting up TLS connection to mx1.example.com"
	    "[198.51.100.30]:25", IGNORE_TLS),
	IGNORED(SMTP, "SSL_connect error to mx1.example.com[198.51.100.30]:25:"
	    " -1", IGNORE_TLS),
	IGNORED(SMTP, "certificate verification failed for mx1.example.com"
	    "[198.51.100.30]:25: self-signed certificate", IGNORE_TLS),

	/* bounce notices */
	EVENT(BOUNCE, "4B1F2C0A3D: sender non-delivery notification: "
	    "5DE184083C", EV_BOUNCE_NOTICE, .queue_id = "4B1F2C0A3D",
	    .related_queue_id = "5DE184083C", .notice = NOTICE_NON_DELIVERY),
	EVENT(BOUNCE, "264FE1A18: sender delay notification: 0A87A1A08",
	    EV_BOUNCE_NOTICE, .queue_id = "264FE1A18",
	    .related_queue_id = "0A87A1A08", .notice = NOTICE_DELAY),
	EVENT(BOUNCE, "65AFB8B5: sender delivery status notification: 1DF35917",
	    EV_BOUNCE_NOTICE, .queue_id = "65AFB8B5",
	    .related_queue_id = "1DF35917", .notice = NOTICE_DELIVERY_STATUS),
	EVENT(BOUNCE, "482E4404AC8: postmaster non-delivery notification: "
	    "47335405A44", EV_BOUNCE_NOTICE, .queue_id = "482E4404AC8",
	    .related_queue_id = "47335405A44", .notice = NOTICE_NON_DELIVERY),
	EVENT(BOUNCE, "4dQ7mK3xLbz9Wq: sender non-delivery notification: "
	    "4dQ7mK3xLcz9Wr", EV_BOUNCE_NOTICE, .queue_id = "4dQ7mK3xLbz9Wq",
	    .related_queue_id = "4dQ7mK3xLcz9Wr",
	    .notice = NOTICE_NON_DELIVERY),
	BROKEN(BOUNCE, "4B1F2C0A3D: sender non-delivery notification: "
	    "not-an-id", MALFORMED_QUEUE_ID),
	BROKEN(BOUNCE, "4B1F2C0A3D: sender non-delivery notification: ",
	    MALFORMED_QUEUE_ID),
	IGNORED(BOUNCE, "4B1F2C0A3D: sender notification failed",
	    IGNORE_QUEUE_INFO),

	/* smtpd rejects */
	EVENT(SMTPD, "NOQUEUE: reject: RCPT from unknown[192.0.2.55]: 554 "
	    "5.7.1 <victim@example.org>: Relay access denied; from=<spam@"
	    "example.biz> to=<victim@example.org> proto=ESMTP helo=<WIN-"
	    "7QK2C3PD0S1>", EV_REJECT, .stage = "RCPT",
	    .client_name = "unknown", .client_ip = "192.0.2.55", .dsn = "5.7.1",
	    .response = "554 5.7.1 <victim@example.org>: Relay access denied",
	    .sender = "spam@example.biz", .recipient = "victim@example.org",
	    .helo = "WIN-7QK2C3PD0S1", .origin = REJECT_SMTPD),
	/* tail fields separated by ", " */
	EVENT(SMTPD, "NOQUEUE: reject: RCPT from unknown[192.0.2.56]:2413: 550"
	    " 5.5.1 Protocol error; from=<a@example.biz>, to=<b@example.org>, "
	    "proto=SMTP, helo=<mx32.example.biz>", EV_REJECT, .stage = "RCPT",
	    .client_name = "unknown", .client_ip = "192.0.2.56", .dsn = "5.5.1",
	    .response = "550 5.5.1 Protocol error", .sender = "a@example.biz",
	    .recipient = "b@example.org", .helo = "mx32.example.biz",
	    .origin = REJECT_SMTPD),
	/* semicolons inside the reply text */
	EVENT(SMTPD, "NOQUEUE: reject: RCPT from bad.example.biz[203.0.113.66]"
	    ": 554 5.7.1 Service unavailable; Client host [203.0.113.66] "
	    "blocked using zen.example.org; https://www.example.org/query/ip/"
	    "203.0.113.66; from=<x@example.biz> to=<y@example.org> proto=ESMTP"
	    " helo=<bad.example.biz>", EV_REJECT, .stage = "RCPT",
	    .client_name = "bad.example.biz", .client_ip = "203.0.113.66",
	    .dsn = "5.7.1", .response = "554 5.7.1 Service unavailable; Client "
	    "host [203.0.113.66] blocked using zen.example.org; https://www."
	    "example.org/query/ip/203.0.113.66", .sender = "x@example.biz",
	    .recipient = "y@example.org", .helo = "bad.example.biz",
	    .origin = REJECT_SMTPD),
	EVENT(SMTPD, "NOQUEUE: reject: CONNECT from unknown[192.0.2.114]: 450 "
	    "4.7.25 Client host rejected: cannot find your hostname, "
	    "[192.0.2.114]; proto=SMTP", EV_REJECT, .stage = "CONNECT",
	    .client_name = "unknown", .client_ip = "192.0.2.114",
	    .dsn = "4.7.25", .response = "450 4.7.25 Client host rejected: "
	    "cannot find your hostname, [192.0.2.114]", .origin = REJECT_SMTPD),
	EVENT(SMTPD, "NOQUEUE: reject: EHLO from host.example.ru"
	    "[198.51.100.238]: 504 5.5.2 <User>: Helo command rejected: need "
	    "fully-qualified hostname; proto=SMTP helo=<User>", EV_REJECT,
	    .stage = "EHLO",
	    .client_name = "host.example.ru", .client_ip = "198.51.100.238",
	    .dsn = "5.5.2", .response = "504 5.5.2 <User>: Helo command "
	    "rejected: need fully-qualified hostname", .helo = "User",
	    .origin = REJECT_SMTPD),
	EVENT(SMTPD, "3F2A1B0C9D: reject: RCPT from mail.example.com[192.0.2.1]"
	    ": 550 5.1.1 <sales@example.org>: Recipient address rejected: User "
	    "unknown in local recipient table; from=<x@example.com> to=<sales@"
	    "example.org> proto=ESMTP helo=<mail.example.com>", EV_REJECT,
	    .queue_id = "3F2A1B0C9D", .stage = "RCPT",
	    .client_name = "mail.example.com", .client_ip = "192.0.2.1",
	    .dsn = "5.1.1", .response = "550 5.1.1 <sales@example.org>: "
	    "Recipient address rejected: User unknown in local recipient table",
	    .sender = "x@example.com", .recipient = "sales@example.org",
	    .helo = "mail.example.com", .origin = REJECT_SMTPD),
	EVENT("postfix-smo/submission/smtpd", "44JCRG5tYPzCqt2: reject: BDAT "
	    "from signer.example.com[192.0.2.109]: 550 5.5.3 <DATA>: Data "
	    "command rejected: Multi-recipient bounce; from=<> to=<some@"
	    "example.com> proto=ESMTP helo=<example.com>", EV_REJECT,
	    .queue_id = "44JCRG5tYPzCqt2", .stage = "BDAT",
	    .client_name = "signer.example.com", .client_ip = "192.0.2.109",
	    .dsn = "5.5.3", .response = "550 5.5.3 <DATA>: Data command "
	    "rejected: Multi-recipient bounce", .sender = "",
	    .recipient = "some@example.com", .helo = "example.com",
	    .origin = REJECT_SMTPD),
	EVENT(SMTPD, "NOQUEUE: reject: RCPT from unknown[2001:db8:cafe::17]: "
	    "504 5.5.2 <aap@henk>: Sender address rejected: need fully-"
	    "qualified address; from=<aap@henk> to=<user@example.org> "
	    "proto=SMTP helo=<test>", EV_REJECT, .stage = "RCPT",
	    .client_name = "unknown", .client_ip = "2001:db8:cafe::17",
	    .dsn = "5.5.2", .response = "504 5.5.2 <aap@henk>: Sender address "
	    "rejected: need fully-qualified address", .sender = "aap@henk",
	    .recipient = "user@example.org", .helo = "test",
	    .origin = REJECT_SMTPD),
	/* the echoed address holds "; from=<" */
	EVENT(SMTPD, "NOQUEUE: reject: RCPT from unknown[192.0.2.57]: 554 "
	    "5.7.1 <\"a; from=<x\"@example.org>: Relay access denied; from=<s@"
	    "example.biz> to=<\"a; from=<x\"@example.org> proto=ESMTP helo=<h>",
	    EV_REJECT, .stage = "RCPT", .client_name = "unknown",
	    .client_ip = "192.0.2.57", .dsn = "5.7.1",
	    .response = "554 5.7.1 <\"a; from=<x\"@example.org>: Relay access "
	    "denied", .sender = "s@example.biz",
	    .recipient = "\"a; from=<x\"@example.org", .helo = "h",
	    .origin = REJECT_SMTPD),
	EVENT(SMTPD, "NOQUEUE: reject: VRFY from unknown[2001:db8::88]: 550 "
	    "5.1.1 <nobody@example.org>: Recipient address rejected: User "
	    "unknown in virtual mailbox table; to=<nobody@example.org> "
	    "proto=SMTP helo=<me>", EV_REJECT, .stage = "VRFY",
	    .client_name = "unknown", .client_ip = "2001:db8::88",
	    .dsn = "5.1.1", .response = "550 5.1.1 <nobody@example.org>: "
	    "Recipient address rejected: User unknown in virtual mailbox table",
	    .recipient = "nobody@example.org", .helo = "me",
	    .origin = REJECT_SMTPD),
	EVENT(SMTPD, "NOQUEUE: reject: RCPT from unknown[192.0.2.58]: 554 "
	    "5.7.1 Service unavailable", EV_REJECT, .stage = "RCPT",
	    .client_name = "unknown", .client_ip = "192.0.2.58", .dsn = "5.7.1",
	    .response = "554 5.7.1 Service unavailable",
	    .origin = REJECT_SMTPD),
	EVENT(SMTPD, "NOQUEUE: reject: RCPT from x.example.com[192.0.2.43]: "
	    "450 4.7.1 <x.example.com>: Helo command rejected: Host not found;"
	    " from=<> to=<y@example.org> proto=ESMTP helo=<>", EV_REJECT,
	    .stage = "RCPT", .client_name = "x.example.com",
	    .client_ip = "192.0.2.43", .dsn = "4.7.1",
	    .response = "450 4.7.1 <x.example.com>: Helo command rejected: "
	    "Host not found", .sender = "", .recipient = "y@example.org",
	    .helo = "", .origin = REJECT_SMTPD),
	/* a reply without a DSN code */
	EVENT(SMTPD, "NOQUEUE: reject: RCPT from unknown[192.0.2.59]: 550 "
	    "Go away; from=<a@b.example> to=<c@d.example> proto=SMTP",
	    EV_REJECT, .stage = "RCPT", .client_name = "unknown",
	    .client_ip = "192.0.2.59", .response = "550 Go away",
	    .sender = "a@b.example", .recipient = "c@d.example",
	    .origin = REJECT_SMTPD),
	EVENT(SMTPD, "NOQUEUE: milter-reject: RCPT from relay.example.com"
	    "[198.51.100.8]: 451 4.7.1 Greylisting in action, please come back"
	    " later; from=<s@example.com> to=<r@example.org> proto=ESMTP "
	    "helo=<relay.example.com>", EV_REJECT, .stage = "RCPT",
	    .client_name = "relay.example.com", .client_ip = "198.51.100.8",
	    .dsn = "4.7.1", .response = "451 4.7.1 Greylisting in action, "
	    "please come back later", .sender = "s@example.com",
	    .recipient = "r@example.org", .helo = "relay.example.com",
	    .origin = REJECT_MILTER),
	EVENT(SMTPD, "1D8CC1CA0A7F: milter-reject: END-OF-MESSAGE from "
	    "out.example.com[192.0.2.151]: 5.7.1 Command rejected; from=<s@"
	    "example.com> to=<r@example.org> proto=ESMTP helo=<out.example."
	    "com>",
	    EV_REJECT, .queue_id = "1D8CC1CA0A7F", .stage = "END-OF-MESSAGE",
	    .client_name = "out.example.com", .client_ip = "192.0.2.151",
	    .dsn = "5.7.1", .response = "5.7.1 Command rejected",
	    .sender = "s@example.com", .recipient = "r@example.org",
	    .helo = "out.example.com", .origin = REJECT_MILTER),
	EVENT(SMTPD, "9C1E04A2F1: proxy-reject: END-OF-MESSAGE: 554 5.7.0 "
	    "Reject, id=31619-02 - spam; from=<s@example.com> to=<r@example."
	    "org> proto=ESMTP helo=<h.example.com>", EV_REJECT,
	    .queue_id = "9C1E04A2F1", .stage = "END-OF-MESSAGE", .dsn = "5.7.0",
	    .response = "554 5.7.0 Reject, id=31619-02 - spam",
	    .sender = "s@example.com", .recipient = "r@example.org",
	    .helo = "h.example.com", .origin = REJECT_MILTER),
	/* the refusal names the login the session used */
	EVENT(SMTPD, "NOQUEUE: reject: RCPT from pc1.example.net[192.0.2.10]"
	    ": 553 5.7.1 <fake@bank.example>: Sender address rejected: not "
	    "owned by user zed@isp.example; from=<fake@bank.example> "
	    "to=<v1@remote.example> proto=ESMTP helo=<PC>", EV_REJECT,
	    .stage = "RCPT", .client_name = "pc1.example.net",
	    .client_ip = "192.0.2.10", .dsn = "5.7.1",
	    .response = "553 5.7.1 <fake@bank.example>: Sender address "
	    "rejected: not owned by user zed@isp.example",
	    .sasl_username = "zed@isp.example", .sender = "fake@bank.example",
	    .recipient = "v1@remote.example", .helo = "PC",
	    .origin = REJECT_SMTPD),
	IGNORED(SMTPD, "NOQUEUE: reject_warning: RCPT from example.com"
	    "[192.0.2.34]: 553 5.7.1 <s@example.com>: Sender address rejected: "
	    "not owned by user ph123; from=<s@example.com> to=<r@example.org> "
	    "proto=ESMTP helo=<example.com>", IGNORE_FILTER_ACTION),
	IGNORED(SMTPD, "NOQUEUE: filter: RCPT from unknown[192.0.2.255]: "
	    "<m@example.com>: Sender address triggers FILTER smtp-amavis:"
	    "[127.0.0.1]:10024; from=<m@example.com> to=<u@example.org> "
	    "proto=ESMTP helo=<x.example>", IGNORE_FILTER_ACTION),
	/* DISCARD: taken, then thrown away whole */
	EVENT(SMTPD, "NOQUEUE: discard: MAIL from ccm.example.com"
	    "[192.0.2.231]: <b@example.com>: Sender address SPAM; from=<b@"
	    "example.com> proto=ESMTP helo=<ccm.example.com>", EV_REJECT,
	    .stage = "MAIL", .client_name = "ccm.example.com",
	    .client_ip = "192.0.2.231",
	    .response = "<b@example.com>: Sender address SPAM",
	    .sender = "b@example.com", .helo = "ccm.example.com",
	    .origin = REJECT_DISCARD),
	EVENT(SMTPD, "4F4CE10296A: discard: RCPT from unknown[192.0.2.7]: "
	    "<d@example.org>: Recipient address triggers DISCARD action; "
	    "from=<a@example.com> to=<d@example.org> proto=ESMTP helo=<pc1>",
	    EV_REJECT, .queue_id = "4F4CE10296A", .stage = "RCPT",
	    .client_name = "unknown", .client_ip = "192.0.2.7",
	    .response = "<d@example.org>: Recipient address triggers "
	    "DISCARD action", .sender = "a@example.com",
	    .recipient = "d@example.org", .helo = "pc1",
	    .origin = REJECT_DISCARD),
	IGNORED(SMTPD, "4B1F2C0A3D: hold: RCPT from unknown[192.0.2.3]: "
	    "<a@example.com>: Sender address held; from=<a@example.com> "
	    "to=<b@example.org> proto=ESMTP helo=<x>", IGNORE_FILTER_ACTION),
	IGNORED(SMTPD, "9C1E04A2F1: proxy-accept: END-OF-MESSAGE: 250 2.0.0 "
	    "Ok: queued as DF66E940333; from=<a@example.com> to=<b@example.org>"
	    " proto=ESMTP helo=<[127.0.0.1]>", IGNORE_FILTER_ACTION),
	IGNORED(SMTPD, "NOQUEUE: lost connection after CONNECT from unknown"
	    "[192.0.2.25]", IGNORE_SESSION),
	IGNORED(SMTPD, "NOQUEUE: something new", IGNORE_UNRECOGNISED),
	BROKEN(SMTPD, "NOQUEUE: reject: RCPT from unknown[192.0.2.59: 554 "
	    "5.7.1 x", MALFORMED_FIELD),
	BROKEN(SMTPD, "NOQUEUE: reject: RCPT from unknown[192.0.2.60]: 554 "
	    "5.7.1 x; from=<spam@example.biz", MALFORMED_FIELD),
	BROKEN(SMTPD, "NOQUEUE: reject: ", MALFORMED_FIELD),
	BROKEN(SMTPD, "NOQUEUE: reject: RCPT to somewhere", MALFORMED_FIELD),
	/* postscreen screens; its rejects are not the relay's users' mail */
	IGNORED(POSTSCREEN, "NOQUEUE: reject: RCPT from [192.0.2.173]:60591: "
	    "550 5.7.1 Service unavailable; client [192.0.2.173] blocked using "
	    "rbl.example.com; from=<s@example.com>, to=<g@example.org>, "
	    "proto=ESMTP, helo=<b.example.com>", IGNORE_POSTSCREEN),
	IGNORED(POSTSCREEN, "CONNECT from [192.0.2.86]:53024 to [198.51.100.244"
	    "]:25", IGNORE_POSTSCREEN),
	IGNORED(POSTSCREEN, "PASS OLD [2001:db8:0:1::3]:52237",
	    IGNORE_POSTSCREEN),
	IGNORED("postfix/dnsblog", "addr 192.0.2.86 listed by domain "
	    "bl.example.org as 127.0.0.2", IGNORE_POSTSCREEN),

	/* cleanup rejects and filter actions */
	EVENT(CLEANUP, "8B7EF2BB7: reject: header Subject: You won from "
	    "unknown[192.0.2.245]; from=<x@example.biz> to=<y@example.org> "
	    "proto=ESMTP helo=<mail.example.biz>: 5.7.1 Message content "
	    "rejected", EV_REJECT, .queue_id = "8B7EF2BB7", .stage = "header",
	    .client_name = "unknown", .client_ip = "192.0.2.245",
	    .sender = "x@example.biz", .recipient = "y@example.org",
	    .helo = "mail.example.biz", .dsn = "5.7.1",
	    .response = "5.7.1 Message content rejected",
	    .origin = REJECT_CLEANUP),
	EVENT(CLEANUP, "8B7EF2BB8: reject: body Click here from local; "
	    "from=<www-data@relay1.example.net> to=<z@example.org>: 5.7.1 spam "
	    "link", EV_REJECT, .queue_id = "8B7EF2BB8", .stage = "body",
	    .sender = "www-data@relay1.example.net",
	    .recipient = "z@example.org",
	    .dsn = "5.7.1", .response = "5.7.1 spam link",
	    .origin = REJECT_CLEANUP),
	/* the header text itself holds " from " */
	EVENT(CLEANUP, "8B7EF2BB9: reject: header Received: from evil.example "
	    "(evil.example [203.0.113.5]) by x from mail.example.biz"
	    "[203.0.113.5]; from=<a@example.biz> to=<b@example.org> proto="
	    "ESMTP helo=<evil.example>: 5.7.1 forged", EV_REJECT,
	    .queue_id = "8B7EF2BB9", .stage = "header",
	    .client_name = "mail.example.biz", .client_ip = "203.0.113.5",
	    .sender = "a@example.biz", .recipient = "b@example.org",
	    .helo = "evil.example", .dsn = "5.7.1", .response = "5.7.1 forged",
	    .origin = REJECT_CLEANUP),
	/* older cleanup: no DSN in the text */
	EVENT(CLEANUP, "8B7EF2BB7: reject: header Date: Mon, 18 Jan 2038 "
	    "19:07:11 +0800 from unknown[192.0.2.245]; from=<b@example.com> "
	    "to=<s@example.org> proto=ESMTP helo=<real.example.com>: Message "
	    "content rejected", EV_REJECT, .queue_id = "8B7EF2BB7",
	    .stage = "header", .client_name = "unknown",
	    .client_ip = "192.0.2.245", .sender = "b@example.com",
	    .recipient = "s@example.org", .helo = "real.example.com",
	    .response = "Message content rejected", .origin = REJECT_CLEANUP),
	/* no ": REPLY" after the tail: no response, no DSN (found by
	   fuzz_postfix: the DSN was looked for in an unset response) */
	EVENT(CLEANUP, "8B7EF2BB7: reject: header Subject: x from local; "
	    "from=<a@example.com> to=<b@example.com>", EV_REJECT,
	    .queue_id = "8B7EF2BB7", .stage = "header",
	    .sender = "a@example.com", .recipient = "b@example.com",
	    .origin = REJECT_CLEANUP),
	EVENT(CLEANUP, "4104E3D: milter-reject: END-OF-MESSAGE from out.example"
	    ".net[192.0.2.86]: 5.7.1 Blocked by SpamAssassin; from=<w@example."
	    "biz> to=<v@example.org> proto=ESMTP helo=<example.biz>", EV_REJECT,
	    .queue_id = "4104E3D", .stage = "END-OF-MESSAGE",
	    .client_name = "out.example.net", .client_ip = "192.0.2.86",
	    .dsn = "5.7.1", .response = "5.7.1 Blocked by SpamAssassin",
	    .sender = "w@example.biz", .recipient = "v@example.org",
	    .helo = "example.biz", .origin = REJECT_MILTER),
	IGNORED(CLEANUP, "D8B07E3DB6: warning: header Subject: hello from "
	    "o1.example.net[192.0.2.173]; from=<b@example.net> to=<f@example."
	    "org> proto=ESMTP helo=<o1.example.net>", IGNORE_FILTER_ACTION),
	IGNORED(CLEANUP, "D95341E50350: info: header Subject: test from local;"
	    " from=<from@example.com> to=<to@example.com>",
	    IGNORE_FILTER_ACTION),
	IGNORED(CLEANUP, "D95341E50350: hold: header X-Spam: yes from local; "
	    "from=<a@example.com> to=<b@example.com>", IGNORE_FILTER_ACTION),
	EVENT(CLEANUP, "D95341E50350: discard: body x from local; from=<a@"
	    "example.com> to=<b@example.com>", EV_REJECT,
	    .queue_id = "D95341E50350", .stage = "body",
	    .sender = "a@example.com", .recipient = "b@example.com",
	    .origin = REJECT_DISCARD),
	EVENT(CLEANUP, "4AE7210296A: discard: header Subject: cheap pills from "
	    "unknown[192.0.2.7]; from=<a@example.com> to=<r@example.org> "
	    "proto=ESMTP helo=<pc1.example.com>: spam discarded", EV_REJECT,
	    .queue_id = "4AE7210296A", .stage = "header",
	    .client_name = "unknown", .client_ip = "192.0.2.7",
	    .sender = "a@example.com", .recipient = "r@example.org",
	    .helo = "pc1.example.com", .response = "spam discarded",
	    .origin = REJECT_DISCARD),
	IGNORED(CLEANUP, "48rT2v1hQrz1J0N: prepend: header X-Spam-Status: Yes "
	    "from mx2.example.org[192.0.2.41]; from=<a@example.org> to=<r@"
	    "example.net> proto=ESMTP helo=<mx2.example.org>: X-Spam: Yes",
	    IGNORE_FILTER_ACTION),
	IGNORED(CLEANUP, "D95341E50350: redirect: header X from local; from=<a@"
	    "example.com> to=<b@example.com>: c@example.com",
	    IGNORE_FILTER_ACTION),
	IGNORED(CLEANUP, "D95341E50350: replace: header X from local; from=<a@"
	    "example.com> to=<b@example.com>: Y", IGNORE_FILTER_ACTION),
	IGNORED(CLEANUP, "D95341E50350: filter: header X from local; from=<a@"
	    "example.com> to=<b@example.com>: smtp:[127.0.0.1]:10025",
	    IGNORE_FILTER_ACTION),
	IGNORED(CLEANUP, "D95341E50350: milter-hold: END-OF-MESSAGE from local;"
	    " from=<a@example.com> to=<b@example.com>", IGNORE_FILTER_ACTION),
	EVENT(CLEANUP, "D95341E50350: milter-discard: END-OF-MESSAGE from "
	    "local; from=<a@example.com> to=<b@example.com>", EV_REJECT,
	    .queue_id = "D95341E50350", .stage = "END-OF-MESSAGE",
	    .sender = "a@example.com", .recipient = "b@example.com",
	    .origin = REJECT_DISCARD),
	EVENT(CLEANUP, "5B1A2C3D4E: milter-discard: END-OF-MESSAGE from "
	    "out.example.net[192.0.2.86]: milter triggers DISCARD action; "
	    "from=<w@example.biz> to=<v@example.org> proto=ESMTP "
	    "helo=<example.biz>", EV_REJECT, .queue_id = "5B1A2C3D4E",
	    .stage = "END-OF-MESSAGE", .client_name = "out.example.net",
	    .client_ip = "192.0.2.86",
	    .response = "milter triggers DISCARD action",
	    .sender = "w@example.biz", .recipient = "v@example.org",
	    .helo = "example.biz", .origin = REJECT_DISCARD),
	IGNORED(CLEANUP, "4104E3D: milter-header-redirect: header "
	    "X-Spam-Status: Yes from x.example.com[192.0.2.86]; from=<w@"
	    "example.biz> to=<v@example.org> proto=ESMTP helo=<e.example>: "
	    "t@example.org",
	    IGNORE_FILTER_ACTION),
	BROKEN(CLEANUP, "8B7EF2BB7: reject: header Subject: nothing here",
	    MALFORMED_FIELD),
	BROKEN(CLEANUP, "8B7EF2BB7: reject: header X from local; from=<abc",
	    MALFORMED_FIELD),

	/* SASL failures */
	EVENT(SMTPD, "warning: unknown[192.0.2.99]: SASL LOGIN authentication "
	    "failed: UGFzc3dvcmQ6", EV_AUTH_FAILED, .client_name = "unknown",
	    .client_ip = "192.0.2.99", .sasl_method = "LOGIN",
	    .response = "UGFzc3dvcmQ6"),
	EVENT(SMTPD, "warning: unknown[192.0.2.152]: SASL LOGIN authentication"
	    " failed: (reason unavailable), sasl_username=admin",
	    EV_AUTH_FAILED, .client_name = "unknown",
	    .client_ip = "192.0.2.152",
	    .sasl_method = "LOGIN", .sasl_username = "admin",
	    .response = "(reason unavailable)"),
	EVENT(SMTPD, "warning: unknown[2001:db8::a11:beef]:55729: SASL PLAIN "
	    "authentication failed: authentication failure, sasl_username="
	    "info@example.org", EV_AUTH_FAILED, .client_name = "unknown",
	    .client_ip = "2001:db8::a11:beef", .sasl_method = "PLAIN",
	    .sasl_username = "info@example.org",
	    .response = "authentication failure"),
	EVENT(SMTPD, "warning: mail.example.com[198.51.100.74]: SASL PLAIN "
	    "authentication failed:", EV_AUTH_FAILED,
	    .client_name = "mail.example.com", .client_ip = "198.51.100.74",
	    .sasl_method = "PLAIN", .response = ""),
	EVENT(SUBMISSION, "warning: host[192.0.2.5]: SASL CRAM-MD5 "
	    "authentication failed: Invalid authentication mechanism",
	    EV_AUTH_FAILED, .client_name = "host", .client_ip = "192.0.2.5",
	    .sasl_method = "CRAM-MD5",
	    .response = "Invalid authentication mechanism"),
	/* the client's user name may itself hold the separator */
	EVENT(SMTPD, "warning: unknown[192.0.2.7]: SASL LOGIN authentication "
	    "failed: authentication failure, sasl_username=a, sasl_username=b",
	    EV_AUTH_FAILED, .client_name = "unknown", .client_ip = "192.0.2.7",
	    .sasl_method = "LOGIN", .sasl_username = "a, sasl_username=b",
	    .response = "authentication failure"),
	IGNORED(SMTPD, "warning: SASL authentication failure: Password "
	    "verification failed", IGNORE_WARNING),
	IGNORED(SMTPD, "warning: unknown[192.0.2.9]: SASL LOGIN authentication"
	    " aborted", IGNORE_WARNING),
	IGNORED(SMTP, "warning: unknown[192.0.2.99]: SASL LOGIN authentication "
	    "failed: x", IGNORE_WARNING),

	/* smtpd's anvil limits: the warning is the refusal's only line */
	EVENT(SMTPD, "warning: Connection rate limit exceeded: 31 from "
	    "spam.example.org[192.0.2.123] for service smtpd", EV_REJECT,
	    .stage = "CONNECT", .client_name = "spam.example.org",
	    .client_ip = "192.0.2.123", .dsn = "4.7.0",
	    .response = "Connection rate limit exceeded: 31 from "
	    "spam.example.org[192.0.2.123] for service smtpd",
	    .origin = REJECT_SMTPD),
	EVENT(SMTPD, "warning: Connection concurrency limit exceeded: 51 from "
	    "unknown[192.0.2.124]:50123 for service smtp", EV_REJECT,
	    .stage = "CONNECT", .client_name = "unknown",
	    .client_ip = "192.0.2.124", .dsn = "4.7.0",
	    .response = "Connection concurrency limit exceeded: 51 from "
	    "unknown[192.0.2.124]:50123 for service smtp",
	    .origin = REJECT_SMTPD),
	EVENT(SUBMISSION, "warning: Message delivery request rate limit "
	    "exceeded: 334 from pc.example.net[2001:db8::7] for service "
	    "submission", EV_REJECT, .stage = "MAIL",
	    .client_name = "pc.example.net", .client_ip = "2001:db8::7",
	    .dsn = "4.7.1", .response = "Message delivery request rate limit "
	    "exceeded: 334 from pc.example.net[2001:db8::7] for service "
	    "submission", .origin = REJECT_SMTPD),
	EVENT(SMTPD, "warning: Recipient address rate limit exceeded: 1001 "
	    "from unknown[192.0.2.125] for service smtpd", EV_REJECT,
	    .stage = "RCPT", .client_name = "unknown",
	    .client_ip = "192.0.2.125", .dsn = "4.7.1",
	    .response = "Recipient address rate limit exceeded: 1001 from "
	    "unknown[192.0.2.125] for service smtpd", .origin = REJECT_SMTPD),
	EVENT(SMTPD, "warning: New TLS session rate limit exceeded: 20 from "
	    "unknown[192.0.2.126] for service smtpd", EV_REJECT,
	    .stage = "STARTTLS", .client_name = "unknown",
	    .client_ip = "192.0.2.126", .dsn = "4.7.0",
	    .response = "New TLS session rate limit exceeded: 20 from "
	    "unknown[192.0.2.126] for service smtpd", .origin = REJECT_SMTPD),
	EVENT(SUBMISSION, "warning: AUTH command rate limit exceeded: 11 from "
	    "unknown[192.0.2.127] for service submission", EV_REJECT,
	    .stage = "AUTH", .client_name = "unknown",
	    .client_ip = "192.0.2.127", .dsn = "4.7.1",
	    .response = "AUTH command rate limit exceeded: 11 from "
	    "unknown[192.0.2.127] for service submission",
	    .origin = REJECT_SMTPD),
	BROKEN(SMTPD, "warning: Connection rate limit exceeded: from "
	    "unknown[192.0.2.123] for service smtpd", MALFORMED_FIELD),
	BROKEN(SMTPD, "warning: Connection rate limit exceeded: 31 from "
	    "unknown[192.0.2.123", MALFORMED_FIELD),
	/* other programs' words, and other limits, stay warnings */
	IGNORED(SMTP, "warning: Connection rate limit exceeded: 31 from "
	    "unknown[192.0.2.123] for service smtpd", IGNORE_WARNING),
	IGNORED(SMTPD, "warning: Connection rate limit reached", IGNORE_WARNING),

	/* the remaining ignore reasons */
	IGNORED(SMTPD, "lost connection after AUTH from unknown[192.0.2.23]",
	    IGNORE_SESSION),
	IGNORED(SMTPD, "lost connection after DATA (7774180 bytes) from "
	    "unknown[192.0.2.7]", IGNORE_SESSION),
	IGNORED(SMTPD, "timeout after END-OF-MESSAGE from unknown[192.0.2.7]",
	    IGNORE_SESSION),
	IGNORED(SMTPD, "too many errors after RCPT from example.com"
	    "[192.0.2.11]", IGNORE_SESSION),
	IGNORED(SMTPD, "improper command pipelining after EHLO from unknown"
	    "[2001:db8:20::d0cf]: MAIL FROM:<>\\nRCPT TO:<t@example.net>\\n",
	    IGNORE_SESSION),
	IGNORED(SMTPD, "bare <LF> received after CONNECT from example.net"
	    "[192.0.2.4]", IGNORE_SESSION),
	IGNORED(SMTPD, "discarding EHLO keywords: CHUNKING ETRN DSN 8BITMIME",
	    IGNORE_SESSION),
	IGNORED(SMTPD, "Anonymous TLS connection established from c.example.com"
	    "[192.0.2.202]: TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 "
	    "(256/256 bits)", IGNORE_TLS),
	IGNORED(SMTPD, "setting up TLS connection from unknown[192.0.2.7]",
	    IGNORE_TLS),
	IGNORED(SMTPD, "SSL_accept error from unknown[192.0.2.7]: lost "
	    "connection", IGNORE_TLS),
	IGNORED(SMTPD, "warning: TLS library problem: error:0A000126:SSL "
	    "routines::unexpected eof while reading", IGNORE_TLS),
	IGNORED("postfix/tlsproxy", "CONNECT from [192.0.2.86]:53024",
	    IGNORE_TLS),
	IGNORED("postfix/tlsmgr", "warning: request to update table btree:"
	    "/var/lib/postfix/smtpd_scache", IGNORE_TLS),
	IGNORED("postfix/anvil", "statistics: max connection rate 12/60s for "
	    "(smtpd:192.0.2.3) at Nov 26 21:20:35", IGNORE_STATISTICS),
	IGNORED("postfix/scache", "statistics: start interval Nov 26 21:20:35",
	    IGNORE_STATISTICS),
	IGNORED("postfix/anvil", "something else", IGNORE_UNRECOGNISED),
	IGNORED("postfix/master", "daemon started -- version 3.7.11, "
	    "configuration /etc/postfix", IGNORE_DAEMON),
	IGNORED("postfix/master", "reload -- version 3.7.11, configuration "
	    "/etc/postfix", IGNORE_DAEMON),
	IGNORED("postfix/master", "terminating on signal 15", IGNORE_DAEMON),
	IGNORED("postfix/master", "warning: process /usr/libexec/postfix/smtpd"
	    " pid 46234 killed by signal 11", IGNORE_DAEMON),
	IGNORED("postfix/postfix-script", "starting the Postfix mail system",
	    IGNORE_DAEMON),
	IGNORED(SMTPD, "fatal: file /etc/postfix/main.cf: parameter "
	    "default_privs: unknown user name value: nobody", IGNORE_DAEMON),
	IGNORED(QMGR, "panic: myfree: corrupt or unallocated memory block",
	    IGNORE_DAEMON),
	IGNORED(SMTPD, "warning: hostname bad.example.com does not resolve to "
	    "address 192.0.2.44: Name or service not known", IGNORE_WARNING),
	IGNORED(SMTPD, "warning: non-SMTP command from unknown[192.0.2.1]: GET "
	    "/ HTTP/1.1", IGNORE_WARNING),
	IGNORED(CLEANUP, "warning: 9BECF3F19D: sender_canonical_maps map lookup"
	    " problem for s@example.com -- message not accepted, try again "
	    "later", IGNORE_WARNING),
	IGNORED(QMGR, "warning: uid=0: File too large", IGNORE_WARNING),
	IGNORED(SMTPD, "error: open database /etc/postfix/x.db: No such file "
	    "or directory", IGNORE_WARNING),
	/* reported from the corpus: a daemon restart notice */
	IGNORED(SMTPD, "table hash:/etc/postfix/virtual(0,lock|fold_fix) has "
	    "changed -- restarting", IGNORE_DAEMON),
	IGNORED(CLEANUP, "table lmdb:/etc/postfix/sender_access has changed "
	    "-- restarting", IGNORE_DAEMON),
	IGNORED(SMTPD, "table of contents has changed", IGNORE_UNRECOGNISED),
	IGNORED("postfix/postsuper", "Deleted: 115 messages",
	    IGNORE_UNRECOGNISED),
	IGNORED(QMGR, "", IGNORE_UNRECOGNISED),
	IGNORED(SMTPD, "ABCDE", IGNORE_UNRECOGNISED),
	IGNORED(SMTPD, ":", IGNORE_UNRECOGNISED),
	IGNORED("postfix/verify", "something verify says", IGNORE_UNRECOGNISED),

	/*
	 * Keys are matched whole: a key that starts like a known one, or
	 * differs in case, is another key.  Fields may come in any order,
	 * and a line may end anywhere in one.
	 */
	EVENT(SMTP, "4B1F2C0A3D: to=<b@example.org>, tox=<a>, orig_tox=<c>, "
	    "relays=x, relay=mx.example.org[192.0.2.1]:25, dsns=1, dsn=2.0.0, "
	    "statusx=sent, status=sent (250 ok)", EV_DELIVERY,
	    .queue_id = "4B1F2C0A3D", .recipient = "b@example.org",
	    .transport = "smtp", .relay = "mx.example.org[192.0.2.1]:25",
	    .dsn = "2.0.0", .status = DELIVERY_SENT, .response = "250 ok"),
	EVENT(SMTP, "4B1F2C0A3D: to=<a@example.org>, status=deferred (later), "
	    "relay=mx.example.org", EV_DELIVERY, .queue_id = "4B1F2C0A3D",
	    .recipient = "a@example.org", .transport = "smtp",
	    .status = DELIVERY_DEFERRED,
	    .response = "later), relay=mx.example.org"),
	EVENT(SMTP, "4B1F2C0A3D: to=<a@example.org>, conn_use=3 x, delay=0.1, "
	    "dsn=5.1.1, status=bounced (no)", EV_DELIVERY,
	    .queue_id = "4B1F2C0A3D", .recipient = "a@example.org",
	    .transport = "smtp", .dsn = "5.1.1", .status = DELIVERY_BOUNCED,
	    .response = "no"),
	EVENT(SMTP, "4B1F2C0A3D: to=<a@example.org>, relay=none, status=sent",
	    EV_DELIVERY, .queue_id = "4B1F2C0A3D", .recipient = "a@example.org",
	    .transport = "smtp", .relay = "none", .status = DELIVERY_SENT),
	BROKEN(SMTP, "4B1F2C0A3D: to=<a@example.org>, relay=mx.example.org"
	    "[192.0.2.1]:25, dsn=2.0.0, stat", MALFORMED_FIELD),
	BROKEN(SMTP, "4B1F2C0A3D: to=<a@example.org>, relay=mx.example.org"
	    "[192.0.2.1]:25, dsn=2.0.0, status=", MALFORMED_FIELD),
	BROKEN(SMTP, "4B1F2C0A3D: to=<a@example.org>, relay=", MALFORMED_FIELD),
	BROKEN(SMTP, "4B1F2C0A3D: to=<a@example.org>, dsn=", MALFORMED_FIELD),
	EVENT(QMGR, "4B1F2C0A3D: from=<a@example.net>, size=1, nrcpt=1",
	    EV_QUEUED, .queue_id = "4B1F2C0A3D", .sender = "a@example.net",
	    .size = 1, .nrcpt = 1),
	EVENT(QMGR, "4B1F2C0A3D: from=<a@example.net>, sizes=5, size=6, "
	    "nrcpts=7, nrcpt=8 (queue active)", EV_QUEUED,
	    .queue_id = "4B1F2C0A3D", .sender = "a@example.net", .size = 6,
	    .nrcpt = 8),
	BROKEN(QMGR, "4B1F2C0A3D: from=<a@example.net>, Size=5, nrcpt=1 "
	    "(queue active)", MALFORMED_FIELD),
	EVENT(PICKUP, "6E0B92A41: uid=5 froms=<x> from=<y>", EV_PICKUP,
	    .queue_id = "6E0B92A41", .sender = "y", .uid = 5, .has_uid = 1),
	EVENT(SMTPD, "4B1F2C0A3D: client=x.example.net[192.0.2.1], "
	    "sasl_methodx=A, sasl_method=PLAIN, sasl_username=bob, "
	    "sasl_usernames=y", EV_CLIENT, .queue_id = "4B1F2C0A3D",
	    .client_name = "x.example.net", .client_ip = "192.0.2.1",
	    .sasl_method = "PLAIN", .sasl_username = "bob"),
	/* the largest numbers: a size of UINT64_MAX is no size */
	EVENT(QMGR, "4B1F2C0A3D: from=<a@example.net>, size="
	    "18446744073709551615, nrcpt=18446744073709551615 (queue active)",
	    EV_QUEUED, .queue_id = "4B1F2C0A3D", .sender = "a@example.net",
	    .size = 0, .nrcpt = UINT64_MAX),
	EVENT(QMGR, "4B1F2C0A3D: from=<a@example.net>, size="
	    "1844674407370955162, nrcpt=18446744073709551610 (queue active)",
	    EV_QUEUED, .queue_id = "4B1F2C0A3D", .sender = "a@example.net",
	    .size = UINT64_C(1844674407370955162),
	    .nrcpt = UINT64_C(18446744073709551610)),
	/* a DSN code cut short by the tail is found in the response */
	EVENT(SMTPD, "NOQUEUE: reject: RCPT from x[192.0.2.1]: 554 5.7.1; "
	    "from=<a@example.net> to=<b@example.org> proto=ESMTP helo=<h>",
	    EV_REJECT, .client_name = "x", .client_ip = "192.0.2.1",
	    .stage = "RCPT", .sender = "a@example.net",
	    .recipient = "b@example.org", .helo = "h", .dsn = "5.7.1",
	    .response = "554 5.7.1", .origin = REJECT_SMTPD),
	EVENT(SMTPD, "NOQUEUE: reject: RCPT from x[192.0.2.1]: 554 5.7.12;x; "
	    "from=<a@example.net> to=<b@example.org> proto=ESMTP helo=<h>",
	    EV_REJECT, .client_name = "x", .client_ip = "192.0.2.1",
	    .stage = "RCPT", .sender = "a@example.net",
	    .recipient = "b@example.org", .helo = "h",
	    .response = "554 5.7.12;x", .origin = REJECT_SMTPD),
	/* TLS words before the first ':' or not, per service */
	BROKEN(SMTP, "SSL_accept: to=<x>", MALFORMED_QUEUE_ID),
	IGNORED(SMTP, "SSL_accept error from x[192.0.2.1]: -1", IGNORE_TLS),
	IGNORED("postfix/anvil", "Verified TLS connection established to x",
	    IGNORE_UNRECOGNISED),
	IGNORED(SMTP, "TLS: something", IGNORE_UNRECOGNISED),
	IGNORED(SMTP, "TLS connection", IGNORE_TLS),
	IGNORED(SMTP, "Verified TLS connectio", IGNORE_UNRECOGNISED),
	IGNORED(SMTPD, "Untrusted TLS connection established from x"
	    "[192.0.2.1]: TLSv1.2", IGNORE_TLS),
	IGNORED(SMTP, "server certificate verification failed for x"
	    "[192.0.2.1]:25", IGNORE_TLS),
	IGNORED(SMTPD, "starting TLS engine", IGNORE_TLS),
	IGNORED(SMTPD, "setting up TLS connection from x[192.0.2.1]",
	    IGNORE_TLS),
	IGNORED(SMTP, "certificate verification failed for x[192.0.2.1]:25",
	    IGNORE_TLS),
	/* short queue IDs of 8 to 16 digits, and their neighbours */
	EVENT(QMGR, "ABCDEF12: removed", EV_REMOVED, .queue_id = "ABCDEF12"),
	EVENT(QMGR, "0123456789ABCDEF: removed", EV_REMOVED,
	    .queue_id = "0123456789ABCDEF"),
	EVENT(QMGR, "0123456789ABCDEF0: removed", EV_REMOVED,
	    .queue_id = "0123456789ABCDEF0"),
	BROKEN(QMGR, "0123456789ABCDEf: removed", MALFORMED_QUEUE_ID),
	BROKEN(QMGR, "0123456789ABCDE@: removed", MALFORMED_QUEUE_ID),
	BROKEN(QMGR, "G123456789ABCDEF: removed", MALFORMED_QUEUE_ID),

	/* other programs */
	NOT_MINE("CRON", "(root) CMD (run-parts /etc/cron.hourly)"),
	NOT_MINE("postfix", "4B1F2C0A3D: removed"),
	NOT_MINE("postfixfoo/smtpd", "connect from x[192.0.2.1]"),
	NOT_MINE("postfix-/smtpd", "connect from x[192.0.2.1]"),
	NOT_MINE("sendmail", "4B1F2C0A3D: to=<a@b>, status=sent (ok)"),
	NOT_MINE("dovecot", "imap-login: Login: user=<a@b>"),
};

/* check_event - the framing of ev, then every field against the case */
static void
check_event(int i, const struct mta_event *ev, const struct pf_case *c)
{
	char	where[32];

	snprintf(where, sizeof(where), "case %d", i);
	ck_assert_int_eq(ev->time_sec, LINE_TIME);
	ck_assert_uint_eq(ev->time_usec, 0);
	ck_assert_int_eq(ev->pid, LINE_PID);
	ck_assert_int_eq(ev->mta, MTA_POSTFIX);
	expect_zstr(where, "host", ev->host, "relay1");
	expect_zstr(where, "program", ev->program, c->program);
	expect_event(where, ev, c->kind, &c->e);
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
feed_line(struct syslog_parser *sp, struct postfix_parser *pp,
    const char *line, size_t len, enum ignore_reason *ig,
    enum malformed_reason *mr)
{
	struct syslog_header hdr;

	ck_assert_msg(syslog_parse(sp, line, len, &hdr) == SYSLOG_OK,
	    "bad test line: %.100s", line);
	return postfix_feed(pp, &hdr, ig, mr);
}

START_TEST(test_cases)
{
	const struct pf_case *c = &cases[_i];
	struct syslog_parser *sp = syslog_parser_new(2026, 0);
	struct postfix_parser *pp = postfix_parser_new();
	enum ignore_reason ig = IGNORE_REASON_COUNT;
	enum malformed_reason mr = MALFORMED_REASON_COUNT;
	const struct mta_event *ev;
	enum parse_status st;
	size_t		 len;
	char		*line = make_line(c->program, c->message, &len);

	st = feed_line(sp, pp, line, len, &ig, &mr);
	ck_assert_msg(st == c->status, "case %d: status %d != %d (%s)", _i,
	    (int)st, (int)c->status, c->message);
	switch (st) {
	case PARSE_EVENTS:
		ck_assert((ev = postfix_next(pp)) != NULL);
		check_event(_i, ev, c);
		ck_assert(postfix_next(pp) == NULL);
		break;
	case PARSE_IGNORED:
		ck_assert_msg((int)ig == c->reason, "case %d: ignored as %s",
		    _i, ignore_reason_name(ig));
		ck_assert(postfix_next(pp) == NULL);
		break;
	case PARSE_MALFORMED:
		ck_assert_msg((int)mr == c->reason, "case %d: malformed as %s",
		    _i, malformed_reason_name(mr));
		ck_assert(postfix_next(pp) == NULL);
		break;
	case PARSE_NOT_MINE:
		ck_assert(postfix_next(pp) == NULL);
		break;
	}
	free(line);
	postfix_parser_free(pp);
	syslog_parser_free(sp);
}
END_TEST

struct qid_case {
	const char	*id;
	int		 valid;
};

static const struct qid_case qid_cases[] = {
	{ "4B1F2C0A3D", 1 },
	{ "ABCDE", 1 },				/* 5: the minimum */
	{ "7D4381EB80E5", 1 },
	{ "ED06590130AA1C9D6D862", 1 },		/* 21: 64-bit inode */
	{ "4B8KSl2HtQzCqt2", 1 },		/* long form */
	{ "44JCRG5tYPzCqt2", 1 },
	{ "3fBL7N0bXMz6Zqm", 1 },
	{ "48rT2v1hQrz1J0N", 1 },
	{ "4B8KSl2zHtQzCqt2", 1 },		/* 'z' as a time digit */
	{ "4dQ7mK3xLbz9", 1 },			/* one inode digit */
	{ "", 0 },
	{ "ABCD", 0 },				/* too short */
	{ "abcdef", 0 },			/* lower-case hex */
	{ "4B1F2C0A3G", 0 },
	{ "NOQUEUE", 0 },
	{ "ED06590130AA1C9D6D8621", 0 },	/* 22 hex digits */
	{ "4B8KSa2HtQzCqt2", 0 },		/* vowel */
	{ "4B8KSE2HtQzCqt2", 0 },
	{ "4B8KSlzCqt2", 0 },			/* time part too short */
	{ "4B8KSl2HtQz", 0 },			/* no inode */
	{ "4B8KSl2HtQzCqt2Cqt2Cqt2Cq", 0 },	/* inode too long */
	{ "4B8KSl2HtQ4B8KSlzCqt2", 0 },		/* time part too long */
	{ "4B8KSl2HtQ-Cqt2", 0 },
	{ "4B1F 2C0A3D", 0 },
	{ "4B8KSl2HtQyCqt2", 0 },		/* no 'z' separator */
};

START_TEST(test_queue_ids)
{
	const struct qid_case *c = &qid_cases[_i];

	ck_assert_msg(postfix_is_queue_id(zstr_make(c->id, strlen(c->id))) ==
	    (c->valid != 0), "'%s' should be %s", c->id,
	    c->valid ? "valid" : "invalid");
}
END_TEST

START_TEST(test_queue_id_edges)
{
	/* a length excludes what follows */
	ck_assert(postfix_is_queue_id(zstr_make("4B1F2C0A3D: x", 10)));
	ck_assert(!postfix_is_queue_id(zstr_make("4B1F2C0A3D: x", 11)));
	ck_assert(!postfix_is_queue_id(ZSTR_NULL));
}
END_TEST

/*
 * Queue IDs on lines: the parser tests short hexadecimal IDs a word at
 * a time; every byte near the edges of [0-9A-F], in every place, must
 * get the answer postfix_is_queue_id() gives.
 */
START_TEST(test_queue_id_lines)
{
	static const char *const ids[] = {
		"ABCDEF12", "4B1F2C0A3D", "0123456789ABCDEF", "4B8KSl2HtQzCqt2",
		NULL
	};
	static const unsigned char bytes[] = {
		'/', '0', '9', ';', '@', 'A', 'F', 'G', '`', 'a', 'f', 'g', 'z',
		0x00, 0x7f, 0x80, 0xb0, 0xc1, 0xc6, 0xff
	};
	struct syslog_parser *sp = syslog_parser_new(2026, 0);
	struct postfix_parser *pp = postfix_parser_new();
	enum malformed_reason mr;
	const struct mta_event *ev;
	char		 msg[64], *line;
	size_t		 i, k, pos, n, len;
	enum parse_status st;

	for (i = 0; ids[i] != NULL; i++) {
		n = strlen(ids[i]);
		for (pos = 0; pos < n; pos++) {
			for (k = 0; k < sizeof(bytes); k++) {
				memcpy(msg, ids[i], n);
				msg[pos] = (char)bytes[k];
				memcpy(msg + n, ": removed", 10);
				line = make_line(QMGR, "", &len);
				line = xreallocarray(line, len + n + 10, 1);
				memcpy(line + len, msg, n + 10);
				len += n + 9;
				mr = MALFORMED_REASON_COUNT;
				st = feed_line(sp, pp, line, len, NULL, &mr);
				if (postfix_is_queue_id(zstr_make(msg, n))) {
					ck_assert_msg(st == PARSE_EVENTS,
					    "%s byte %zu = %#x", ids[i], pos,
					    bytes[k]);
					ev = postfix_next(pp);
					ck_assert(ev != NULL);
					ck_assert(ev->queue_id.len == n &&
					    memcmp(ev->queue_id.ptr, msg,
					    n) == 0);
				} else
					ck_assert_msg(st == PARSE_MALFORMED &&
					    mr == MALFORMED_QUEUE_ID,
					    "%s byte %zu = %#x", ids[i], pos,
					    bytes[k]);
				free(line);
			}
		}
	}
	postfix_parser_free(pp);
	syslog_parser_free(sp);
}
END_TEST

struct program_case {
	const char	*program;
	int		 postfix;
};

static const struct program_case program_cases[] = {
	{ "postfix/smtpd", 1 },
	{ "postfix/submission/smtpd", 1 },
	{ "postfix-out/smtp", 1 },
	{ "postfix-smo/submission/smtpd", 1 },
	{ "postfix/postfix-script", 1 },
	{ "postfix/x", 1 },
	{ "postfix-a/b", 1 },
	{ "postfix-a/b/", 0 },
	{ "postfix-ab", 0 },
	{ "postfix_a/smtp", 0 },
	{ "postfix/x/", 0 },
	{ "postfix", 0 },
	{ "postfix/", 0 },
	{ "postfix/smtpd/", 0 },
	{ "postfix-/smtpd", 0 },
	{ "postfix-out", 0 },
	{ "postfixfoo/smtpd", 0 },
	{ "Postfix/smtpd", 0 },
	{ "smtpd", 0 },
	{ "sendmail", 0 },
	{ "", 0 },
};

START_TEST(test_programs)
{
	const struct program_case *c = &program_cases[_i];

	ck_assert_msg(postfix_is_program(zstr_make(c->program,
	    strlen(c->program))) == (c->postfix != 0), "'%s'", c->program);
}
END_TEST

/* A header without a program (a framing that names none) is not ours. */
START_TEST(test_program_unset)
{
	struct postfix_parser *pp = postfix_parser_new();
	struct syslog_header hdr;

	ck_assert(!postfix_is_program(ZSTR_NULL));
	memset(&hdr, 0, sizeof(hdr));
	hdr.host = ZSTR_LIT("relay9");
	hdr.pid = -1;
	hdr.message = ZSTR_LIT("4B1F2C0A3D: removed");
	ck_assert(postfix_feed(pp, &hdr, NULL, NULL) == PARSE_NOT_MINE);
	ck_assert(postfix_next(pp) == NULL);
	postfix_parser_free(pp);
}
END_TEST

/* An event is handed out once, and a later line clears it. */
START_TEST(test_next_once)
{
	struct syslog_parser *sp = syslog_parser_new(2026, 0);
	struct postfix_parser *pp = postfix_parser_new();
	size_t		 len;
	char		*a = make_line(QMGR, "4B1F2C0A3D: removed", &len);
	char		*b;

	ck_assert(postfix_next(pp) == NULL);
	ck_assert(feed_line(sp, pp, a, len, NULL, NULL) == PARSE_EVENTS);
	ck_assert(postfix_next(pp) != NULL);
	ck_assert(postfix_next(pp) == NULL);
	ck_assert(feed_line(sp, pp, a, len, NULL, NULL) == PARSE_EVENTS);
	free(a);
	/* an ignored line drops the unread event of the line before */
	b = make_line(QMGR, "warning: x", &len);
	ck_assert(feed_line(sp, pp, b, len, NULL, NULL) == PARSE_IGNORED);
	ck_assert(postfix_next(pp) == NULL);
	free(b);
	b = make_line(SMTP, "4B1F2C0A3D: to=<a", &len);
	ck_assert(feed_line(sp, pp, b, len, NULL, NULL) == PARSE_MALFORMED);
	ck_assert(postfix_next(pp) == NULL);
	free(b);
	postfix_parser_free(pp);
	postfix_parser_free(NULL);
	syslog_parser_free(sp);
}
END_TEST

/* A header built by hand, without service: the parser derives it. */
START_TEST(test_header_without_service)
{
	struct postfix_parser *pp = postfix_parser_new();
	struct syslog_header hdr;
	const struct mta_event *ev;
	const char	*msg = "4B1F2C0A3D: to=<a@example.org>, relay=local, "
			    "status=sent (ok)";

	memset(&hdr, 0, sizeof(hdr));
	hdr.host = ZSTR_LIT("relay9");
	hdr.program = ZSTR_LIT("postfix-in/local");
	hdr.pid = -1;
	hdr.message = zstr_make(msg, strlen(msg));
	ck_assert(postfix_feed(pp, &hdr, NULL, NULL) == PARSE_EVENTS);
	ck_assert((ev = postfix_next(pp)) != NULL);
	ck_assert(zstr_eq_cstr(ev->transport, "local"));
	ck_assert(zstr_eq_cstr(ev->host, "relay9"));
	ck_assert_int_eq(ev->pid, -1);
	postfix_parser_free(pp);
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

START_TEST(test_long_address)
{
	struct syslog_parser *sp = syslog_parser_new(2026, 0);
	struct postfix_parser *pp = postfix_parser_new();
	const struct mta_event *ev;
	size_t		 len;
	char		*line;

	/* a 50 000-byte recipient survives whole */
	line = long_line("Nov 26 21:31:55 relay1 postfix/smtp[1]: 4B1F2C0A3D: "
	    "to=<", "x", 50000, "@example.org>, relay=none, dsn=5.1.1, "
	    "status=bounced (too long)", &len);
	ck_assert(feed_line(sp, pp, line, len, NULL, NULL) == PARSE_EVENTS);
	ck_assert((ev = postfix_next(pp)) != NULL);
	ck_assert_uint_eq(ev->recipient.len, 50000 + 12);
	ck_assert(zstr_eq_cstr(ev->response, "too long"));
	ck_assert(ev->status == DELIVERY_BOUNCED);
	free(line);
	/* and unterminated it is malformed */
	line = long_line("Nov 26 21:31:55 relay1 postfix/qmgr[1]: 4B1F2C0A3D: "
	    "from=<", "y", 50000, "", &len);
	ck_assert(feed_line(sp, pp, line, len, NULL, NULL) == PARSE_MALFORMED);
	free(line);
	postfix_parser_free(pp);
	syslog_parser_free(sp);
}
END_TEST

/*
 * feed_exact - feed line from an exact-size heap copy (ASan sees any
 * read past its end); the status, the event in *ev when there is one.
 * The event borrows from the copy, which stays in *copy until the
 * next call or a call with line NULL frees it.
 */
static enum parse_status
feed_exact(struct syslog_parser *sp, struct postfix_parser *pp,
    const char *line, const struct mta_event **ev, char **copy)
{
	struct syslog_header hdr;
	size_t		 len;
	enum parse_status st;

	free(*copy);
	*copy = NULL;
	if (line == NULL)
		return PARSE_NOT_MINE;
	len = strlen(line);
	*copy = xmalloc(len);
	memcpy(*copy, line, len);
	ck_assert(syslog_parse(sp, *copy, len, &hdr) == SYSLOG_OK);
	st = postfix_feed(pp, &hdr, NULL, NULL);
	if (st == PARSE_EVENTS)
		ck_assert((*ev = postfix_next(pp)) != NULL);
	return st;
}

/*
 * Values are cut sixteen bytes at a time where there are sixteen, and
 * by scan.h near the end of the line: every position of the byte that
 * ends an address, a relay or a client name must give the same fields,
 * also with bytes of 0x80 and above in the values.
 */
START_TEST(test_delimiter_positions)
{
	static const char unit[] = "ab\xc3\xa9-c.9_XyZ\xff";
	struct syslog_parser *sp = syslog_parser_new(2026, 0);
	struct postfix_parser *pp = postfix_parser_new();
	const struct mta_event *ev;
	char		 v[48], w[80], line[512], *copy = NULL;
	size_t		 n, m;

	for (n = 1; n <= 40; n++) {
		for (m = 0; m < n; m++)
			v[m] = unit[m % (sizeof(unit) - 1)];
		v[n] = '\0';
		snprintf(w, sizeof(w), "%s@x", v);
		/* the address near the end of the line, then far from it */
		snprintf(line, sizeof(line), "Nov 26 21:31:55 relay1 "
		    "postfix/smtp[1]: 4B1F2C0A3D: to=<%s>, status=sent", w);
		ck_assert(feed_exact(sp, pp, line, &ev, &copy) == PARSE_EVENTS);
		ck_assert(zstr_eq_cstr(ev->recipient, w));
		ck_assert(!zstr_is_set(ev->relay));
		ck_assert(ev->status == DELIVERY_SENT);
		for (m = 1; m <= 40; m += 3) {
			snprintf(line, sizeof(line), "Nov 26 21:31:55 relay1 "
			    "postfix/smtp[1]: 4B1F2C0A3D: to=<%s>, "
			    "relay=%.*s[192.0.2.1]:25, delay=0.1, dsn=2.0.0, "
			    "status=sent (ok)", w, (int)m,
			    "mx-host.example.net.with.a.long.name.example");
			ck_assert(feed_exact(sp, pp, line, &ev, &copy) ==
			    PARSE_EVENTS);
			ck_assert(zstr_eq_cstr(ev->recipient, w));
			ck_assert_uint_eq(ev->relay.len, m + 14);
			ck_assert(memcmp(ev->relay.ptr + m, "[192.0.2.1]:25",
			    14) == 0);
			ck_assert(zstr_eq_cstr(ev->dsn, "2.0.0"));
			ck_assert(zstr_eq_cstr(ev->response, "ok"));
		}
		/* a bare relay value that ends the fields */
		snprintf(line, sizeof(line), "Nov 26 21:31:55 relay1 "
		    "postfix/smtp[1]: 4B1F2C0A3D: to=<a@b>, relay=%s,"
		    " status=deferred", v);
		ck_assert(feed_exact(sp, pp, line, &ev, &copy) == PARSE_EVENTS);
		ck_assert(zstr_eq_cstr(ev->relay, v));
		ck_assert(ev->status == DELIVERY_DEFERRED);
		/* a client name of every length, its address at the end */
		snprintf(line, sizeof(line), "Nov 26 21:31:55 relay1 "
		    "postfix/smtpd[1]: 4B1F2C0A3D: client=%s[192.0.2.7]", v);
		ck_assert(feed_exact(sp, pp, line, &ev, &copy) == PARSE_EVENTS);
		ck_assert(zstr_eq_cstr(ev->client_name, v));
		ck_assert(zstr_eq_cstr(ev->client_ip, "192.0.2.7"));
		/* no ']' at all: malformed wherever the line ends */
		snprintf(line, sizeof(line), "Nov 26 21:31:55 relay1 "
		    "postfix/smtpd[1]: 4B1F2C0A3D: client=x[%s", v);
		ck_assert(feed_exact(sp, pp, line, &ev, &copy) ==
		    PARSE_MALFORMED);
	}
	feed_exact(sp, pp, NULL, &ev, &copy);
	postfix_parser_free(pp);
	syslog_parser_free(sp);
}
END_TEST

/*
 * Postfix separates fields with ", ", which next_field() takes as one
 * two-byte compare; a bare ',', spaces alone or a ',' and several
 * spaces must give the same fields, and a separator that ends the
 * line (one byte or two) leaves no status: malformed.
 */
START_TEST(test_field_separators)
{
	static const char *const seps[] = { ", ", ",", " ", ",  ", "   " };
	static const char *const cut[] = { ",", ", ", " ", ",  " };
	struct syslog_parser *sp = syslog_parser_new(2026, 0);
	struct postfix_parser *pp = postfix_parser_new();
	const struct mta_event *ev;
	char		 line[512], *copy = NULL;
	size_t		 i;

	for (i = 0; i < sizeof(seps) / sizeof(seps[0]); i++) {
		snprintf(line, sizeof(line), "Nov 26 21:31:55 relay1 "
		    "postfix/smtp[1]: 4B1F2C0A3D: to=<a@b>, relay=mx%s"
		    "delay=1%sdelays=0/0/0/1%sdsn=2.0.0%sstatus=sent (ok)",
		    seps[i], seps[i], seps[i], seps[i]);
		ck_assert_msg(feed_exact(sp, pp, line, &ev, &copy) ==
		    PARSE_EVENTS, "separator \"%s\"", seps[i]);
		ck_assert(zstr_eq_cstr(ev->recipient, "a@b"));
		ck_assert(zstr_eq_cstr(ev->relay, "mx"));
		ck_assert_msg(zstr_eq_cstr(ev->dsn, "2.0.0"),
		    "separator \"%s\"", seps[i]);
		ck_assert(ev->status == DELIVERY_SENT);
		ck_assert(zstr_eq_cstr(ev->response, "ok"));
	}
	for (i = 0; i < sizeof(cut) / sizeof(cut[0]); i++) {
		snprintf(line, sizeof(line), "Nov 26 21:31:55 relay1 "
		    "postfix/smtp[1]: 4B1F2C0A3D: to=<a@b>, relay=mx%s",
		    cut[i]);
		ck_assert_msg(feed_exact(sp, pp, line, &ev, &copy) ==
		    PARSE_MALFORMED, "cut after \"%s\"", cut[i]);
	}
	feed_exact(sp, pp, NULL, &ev, &copy);
	postfix_parser_free(pp);
	syslog_parser_free(sp);
}
END_TEST

/* Lines made of many fake fields must still parse in linear time. */
START_TEST(test_hostile_linear)
{
	static const char *const units[] = {
		" y=<\"a\\\">", ">, a=", "> x=<", "; from=<", ">:", "[", ", a",
		"> ", NULL
	};
	static const char *const prefixes[] = {
		"Nov 26 21:31:55 relay1 postfix/smtpd[1]: NOQUEUE: reject: "
		    "RCPT from u[192.0.2.1]: 554 5.7.1 <",
		"Nov 26 21:31:55 relay1 postfix/smtp[1]: 4B1F2C0A3D: to=<",
		"Nov 26 21:31:55 relay1 postfix/cleanup[1]: 4B1F2C0A3D: "
		    "reject: header X from local; from=<",
		"Nov 26 21:31:55 relay1 postfix/smtpd[1]: 4B1F2C0A3D: "
		    "client=u[192.0.2.1], sasl_username=",
		"Nov 26 21:31:55 relay1 postfix/smtpd[1]: warning: u[192.0.2.1]"
		    ": SASL LOGIN authentication failed: ",
		"Nov 26 21:31:55 relay1 postfix/cleanup[1]: 4B1F2C0A3D: "
		    "reject: header X",
		NULL
	};
	struct syslog_parser *sp = syslog_parser_new(2026, 0);
	struct postfix_parser *pp = postfix_parser_new();
	size_t		 len, u, q;
	clock_t		 start = clock();
	char		*line;

	for (q = 0; prefixes[q] != NULL; q++) {
		for (u = 0; units[u] != NULL; u++) {
			line = long_line(prefixes[q], units[u],
			    60000 / strlen(units[u]), "", &len);
			(void)feed_line(sp, pp, line, len, NULL, NULL);
			(void)postfix_next(pp);
			free(line);
		}
	}
	/* 48 lines of 60 KB: far below a second unless quadratic */
	ck_assert_msg((double)(clock() - start) / CLOCKS_PER_SEC < 5.0,
	    "hostile lines took %.1f s",
	    (double)(clock() - start) / CLOCKS_PER_SEC);
	postfix_parser_free(pp);
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
	struct postfix_parser *pp = postfix_parser_new();
	static const char alphabet[] = "<>[]:;, =()\"\\/xA0z.-";
	struct syslog_header hdr;
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
			    postfix_feed(pp, &hdr, NULL, NULL) == PARSE_EVENTS)
				ck_assert(postfix_next(pp) != NULL);
			free(exact);
			free(copy);
		}
		free(line);
	}
	postfix_parser_free(pp);
	syslog_parser_free(sp);
}
END_TEST

/* postfix_suite - all Postfix parser tests */
static Suite *
postfix_suite(void)
{
	Suite	*s = suite_create("postfix");
	TCase	*tc = tcase_create("postfix");

	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_cases, 0,
	    (int)(sizeof(cases) / sizeof(cases[0])));
	tcase_add_loop_test(tc, test_queue_ids, 0,
	    (int)(sizeof(qid_cases) / sizeof(qid_cases[0])));
	tcase_add_test(tc, test_queue_id_edges);
	tcase_add_test(tc, test_queue_id_lines);
	tcase_add_loop_test(tc, test_programs, 0,
	    (int)(sizeof(program_cases) / sizeof(program_cases[0])));
	tcase_add_test(tc, test_program_unset);
	tcase_add_test(tc, test_next_once);
	tcase_add_test(tc, test_header_without_service);
	tcase_add_test(tc, test_long_address);
	tcase_add_test(tc, test_delimiter_positions);
	tcase_add_test(tc, test_field_separators);
	tcase_add_test(tc, test_hostile_linear);
	tcase_add_test(tc, test_mutations);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	setenv("TZ", "UTC", 1);
	tzset();
	return run_suite(postfix_suite());
}
