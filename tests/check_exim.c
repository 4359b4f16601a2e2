/*
 * check_exim - unit tests for parsers/exim: both framings, every event
 * kind and field, both message ID forms, every ignore reason,
 * malformed and hostile lines, and the shared corpus of real lines.
 *
 * A case is a native main log line (given whole) or a syslog message
 * (the test builds "Nov 26 21:31:55 relay1 PROGRAM[4321]: MESSAGE"
 * around it and parses the header with parsers/syslog).  Every string
 * field of every event is compared: NULL in a case means the field
 * must be unset, "" that it is set and empty.  The lines are written
 * for these tests after the formats Exim logs (src/receive.c,
 * deliver.c, smtp_in.c, log.c); none is copied from a real log.
 */
#include "config.h"

#include <check.h>
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "parsers/event.h"
#include "parsers/exim.h"
#include "parsers/syslog.h"
#include "tests/event_expect.h"
#include "util/xalloc.h"
#include "util/zstr.h"
#include "tests/testutil.h"

#define LINE_TIME	INT64_C(1795728715) /* 2026-11-26 21:31:55 UTC */
#define LINE_PID	4321
#define NATIVE_HOST	"relay9"
#define SYSLOG_HOST	"relay1"

#define STAMP		"2026-11-26 21:31:55 "
#define N(body)		STAMP body

/* Message IDs: 4.97 and later (6-11-4), and the older 6-6-2 form. */
#define ID		"1tQx3b-00000004VdQ-Ab1z"
#define ID2		"1tQx3c-00000004VdR-Cd2y"
#define OLD_ID		"1tQx3b-0004Vd-Ab"
#define OLD_ID2		"1tQx3c-0004Ve-Cd"

/* The expected event: string fields NULL when they must be unset. */
struct one_event {
	enum event_kind	 kind;
	struct event_expect e;
};

enum framing {
	NATIVE,			/* text is the whole main log line */
	SYSLOG			/* text is the message after the tag */
};

#define MAX_EVENTS	4

struct ex_case {
	enum framing	 framing;
	const char	*program;	/* SYSLOG */
	const char	*text;
	enum parse_status status;
	int		 reason;	/* ignore or malformed reason */
	size_t		 nev;
	struct one_event ev[MAX_EVENTS];
};

#define EVT(k, ...)	{ k, { __VA_ARGS__ } }
#define NEV(line, n, ...) \
	{ NATIVE, NULL, line, PARSE_EVENTS, 0, n, { __VA_ARGS__ } }
#define SEV(prog, msg, n, ...) \
	{ SYSLOG, prog, msg, PARSE_EVENTS, 0, n, { __VA_ARGS__ } }
#define NIGN(line, r) \
	{ NATIVE, NULL, line, PARSE_IGNORED, r, 0, { EVT(EV_KIND_COUNT, \
	    .queue_id = NULL) } }
#define SIGN(prog, msg, r) \
	{ SYSLOG, prog, msg, PARSE_IGNORED, r, 0, { EVT(EV_KIND_COUNT, \
	    .queue_id = NULL) } }
#define NBAD(line, r) \
	{ NATIVE, NULL, line, PARSE_MALFORMED, r, 0, { EVT(EV_KIND_COUNT, \
	    .queue_id = NULL) } }
#define SNOT(prog, msg) \
	{ SYSLOG, prog, msg, PARSE_NOT_MINE, 0, 0, { EVT(EV_KIND_COUNT, \
	    .queue_id = NULL) } }
#define NNOT(line) \
	{ NATIVE, NULL, line, PARSE_NOT_MINE, 0, 0, { EVT(EV_KIND_COUNT, \
	    .queue_id = NULL) } }

static const struct ex_case cases[] = {
	/* arrivals over SMTP: every field of the "<=" line */
	NEV(N(ID " <= alice@example.net H=pc17.dsl.example.net (pc17) "
	    "[198.51.100.17]:51234 I=[192.0.2.25]:587 P=esmtpsa "
	    "X=TLS1.3:TLS_AES_256_GCM_SHA384:256 CV=no "
	    "A=dovecot_plain:alice@example.net S=2345 "
	    "id=20261126.abc@example.net T=\"Hello\" from <alice@example.net> "
	    "for bob@example.org carol@example.com"), 3,
	    EVT(EV_CLIENT, .queue_id = ID, .client_ip = "198.51.100.17",
		.client_name = "pc17.dsl.example.net", .helo = "pc17",
		.sasl_method = "dovecot_plain",
		.sasl_username = "alice@example.net"),
	    EVT(EV_MESSAGE_ID, .queue_id = ID,
		.message_id = "20261126.abc@example.net"),
	    EVT(EV_QUEUED, .queue_id = ID, .sender = "alice@example.net",
		.size = 2345, .nrcpt = 2)),
	/* no reverse DNS: the HELO in parentheses only; old ID form */
	NEV(N(OLD_ID " <= x@example.org H=(win-pc) [203.0.113.9] P=esmtp "
	    "S=512"), 2,
	    EVT(EV_CLIENT, .queue_id = OLD_ID, .client_ip = "203.0.113.9",
		.helo = "win-pc"),
	    EVT(EV_QUEUED, .queue_id = OLD_ID, .sender = "x@example.org",
		.size = 512)),
	/* HELO equal to the verified name: the name only */
	NEV(N(ID " <= x@example.org H=mail.example.org [192.0.2.7]:25 "
	    "P=esmtps S=77"), 2,
	    EVT(EV_CLIENT, .queue_id = ID, .client_ip = "192.0.2.7",
		.client_name = "mail.example.org"),
	    EVT(EV_QUEUED, .queue_id = ID, .sender = "x@example.org",
		.size = 77)),
	/* no HELO at all */
	NEV(N(ID " <= x@example.org H=[192.0.2.8] P=smtp S=1"), 2,
	    EVT(EV_CLIENT, .queue_id = ID, .client_ip = "192.0.2.8"),
	    EVT(EV_QUEUED, .queue_id = ID, .sender = "x@example.org",
		.size = 1)),
	/* IPv6 with a port; an address literal as HELO */
	NEV(N(ID " <= x@example.org H=([2001:db8::1]) [2001:db8::1]:40022 "
	    "P=esmtpa A=login:bob S=10"), 2,
	    EVT(EV_CLIENT, .queue_id = ID, .client_ip = "2001:db8::1",
		.helo = "[2001:db8::1]", .sasl_method = "login",
		.sasl_username = "bob"),
	    EVT(EV_QUEUED, .queue_id = ID, .sender = "x@example.org",
		.size = 10)),
	/* log_selector +dnssec: "DS" before H= */
	NEV(N(ID " <= x@example.org DS H=mx.example.org [192.0.2.9] "
	    "P=esmtps S=5"), 2,
	    EVT(EV_CLIENT, .queue_id = ID, .client_ip = "192.0.2.9",
		.client_name = "mx.example.org"),
	    EVT(EV_QUEUED, .queue_id = ID, .sender = "x@example.org",
		.size = 5)),
	/* a subject that imitates fields; +smtp_mailauth: the AUTH=
	   sender after the login is not part of it */
	NEV(N(ID " <= eve@example.net H=(eve) [198.51.100.66] P=esmtpsa "
	    "A=plain:eve:ops@example.net S=99 T=\"re: \\\"H=evil "
	    "[6.6.6.6]\\\" for you A=x:y S=1\" for a@example.org"), 2,
	    EVT(EV_CLIENT, .queue_id = ID, .client_ip = "198.51.100.66",
		.helo = "eve", .sasl_method = "plain",
		.sasl_username = "eve"),
	    EVT(EV_QUEUED, .queue_id = ID, .sender = "eve@example.net",
		.size = 99, .nrcpt = 1)),
	/* a quoted local part holding spaces and what looks like fields
	   (a sender and a recipient, as Exim keeps them) */
	NEV(N(ID " <= \"x A=plain:victim H=[10.9.9.9] S=1\\\" y\".z@evil.example "
	    "H=(pc) [10.0.0.66]:4455 P=esmtpa A=plain:real S=95 for "
	    "\"a b\"@example.org c@example.org"), 2,
	    EVT(EV_CLIENT, .queue_id = ID, .client_ip = "10.0.0.66",
		.helo = "pc", .sasl_method = "plain",
		.sasl_username = "real"),
	    EVT(EV_QUEUED, .queue_id = ID,
		.sender = "\"x A=plain:victim H=[10.9.9.9] S=1\\\" y\".z@"
		"evil.example", .size = 95, .nrcpt = 2)),
	/* a quote left open: the sender is a word; so it is when the
	   next quote (in T=) is not where a quoted word can end */
	NEV(N(ID " <= \"x@example.org H=[192.0.2.8] P=smtp S=4"), 2,
	    EVT(EV_CLIENT, .queue_id = ID, .client_ip = "192.0.2.8"),
	    EVT(EV_QUEUED, .queue_id = ID, .sender = "\"x@example.org",
		.size = 4)),
	NEV(N(ID " <= \" H=[192.0.2.8] P=smtp S=4 T=\"hi\""), 2,
	    EVT(EV_CLIENT, .queue_id = ID, .client_ip = "192.0.2.8"),
	    EVT(EV_QUEUED, .queue_id = ID, .sender = "\"", .size = 4)),
	/* an old Exim's unescaped quotes: nothing after T= is a field */
	NEV(N(ID " <= x@example.org H=[192.0.2.8] P=smtp S=4 T=\"say \"hi\" "
	    "H=x\" A=a:b for a@example.org"), 2,
	    EVT(EV_CLIENT, .queue_id = ID, .client_ip = "192.0.2.8"),
	    EVT(EV_QUEUED, .queue_id = ID, .sender = "x@example.org",
		.size = 4, .nrcpt = 1)),
	/* an escaped backslash before the closing quote */
	NEV(N(ID " <= x@example.org H=[192.0.2.8] P=smtp S=3 T=\"ends in "
	    "\\\\\" for a@example.org b@example.org"), 2,
	    EVT(EV_CLIENT, .queue_id = ID, .client_ip = "192.0.2.8"),
	    EVT(EV_QUEUED, .queue_id = ID, .sender = "x@example.org",
		.size = 3, .nrcpt = 2)),
	/* an authenticator without server_set_id: no user */
	NEV(N(ID " <= x@example.org H=[192.0.2.8] P=esmtpa A=cram S=3"), 2,
	    EVT(EV_CLIENT, .queue_id = ID, .client_ip = "192.0.2.8",
		.sasl_method = "cram"),
	    EVT(EV_QUEUED, .queue_id = ID, .sender = "x@example.org",
		.size = 3)),
	/* local submission: no H=, the U= user is not kept */
	NEV(N(ID " <= www-data@relay9.example.net U=www-data P=local "
	    "S=1200 id=E" ID "@relay9.example.net T=\"cron\""), 3,
	    EVT(EV_PICKUP, .queue_id = ID,
		.sender = "www-data@relay9.example.net"),
	    EVT(EV_MESSAGE_ID, .queue_id = ID,
		.message_id = "E" ID "@relay9.example.net"),
	    EVT(EV_QUEUED, .queue_id = ID,
		.sender = "www-data@relay9.example.net", .size = 1200)),
	/* a local SMTP session (-bs) that logged in */
	NEV(N(ID " <= caller@relay9.example.net U=caller P=local-esmtpa "
	    "A=plain1:userx S=300"), 2,
	    EVT(EV_PICKUP, .queue_id = ID,
		.sender = "caller@relay9.example.net", .sasl_method = "plain1",
		.sasl_username = "userx"),
	    EVT(EV_QUEUED, .queue_id = ID,
		.sender = "caller@relay9.example.net", .size = 300)),
	/* a bounce Exim generated for ID */
	NEV(N(ID2 " <= <> R=" ID " U=Debian-exim P=local S=3100"), 3,
	    EVT(EV_PICKUP, .queue_id = ID2, .sender = ""),
	    EVT(EV_BOUNCE_NOTICE, .queue_id = ID, .related_queue_id = ID2,
		.notice = NOTICE_NON_DELIVERY),
	    EVT(EV_QUEUED, .queue_id = ID2, .sender = "", .size = 3100)),
	/* ... with a created Message-ID (id*=): four events in order */
	NEV(N(OLD_ID2 " <= <> R=" OLD_ID " U=exim P=local S=900 "
	    "id*=E" OLD_ID2 "@relay9.example.net"), 4,
	    EVT(EV_PICKUP, .queue_id = OLD_ID2, .sender = ""),
	    EVT(EV_MESSAGE_ID, .queue_id = OLD_ID2,
		.message_id = "E" OLD_ID2 "@relay9.example.net"),
	    EVT(EV_BOUNCE_NOTICE, .queue_id = OLD_ID,
		.related_queue_id = OLD_ID2, .notice = NOTICE_NON_DELIVERY),
	    EVT(EV_QUEUED, .queue_id = OLD_ID2, .sender = "", .size = 900)),
	/* a bounce from elsewhere arriving over SMTP */
	NEV(N(ID " <= <> H=mx.example.com [203.0.113.40] P=esmtps S=4000"), 2,
	    EVT(EV_CLIENT, .queue_id = ID, .client_ip = "203.0.113.40",
		.client_name = "mx.example.com"),
	    EVT(EV_QUEUED, .queue_id = ID, .sender = "", .size = 4000)),
	/* fakereject: accepted all the same */
	NEV(N(ID " (= spam@example.biz H=(x) [203.0.113.50] P=esmtp S=20 "
	    "for a@example.org"), 2,
	    EVT(EV_CLIENT, .queue_id = ID, .client_ip = "203.0.113.50",
		.helo = "x"),
	    EVT(EV_QUEUED, .queue_id = ID, .sender = "spam@example.biz",
		.size = 20, .nrcpt = 1)),
	/* sizes that are not numbers are no size */
	NEV(N(ID " <= x@example.org U=x P=local S=sss"), 2,
	    EVT(EV_PICKUP, .queue_id = ID, .sender = "x@example.org"),
	    EVT(EV_QUEUED, .queue_id = ID, .sender = "x@example.org")),
	NEV(N(ID " <= x@example.org U=x P=local S=18446744073709551616"), 2,
	    EVT(EV_PICKUP, .queue_id = ID, .sender = "x@example.org"),
	    EVT(EV_QUEUED, .queue_id = ID, .sender = "x@example.org")),
	NEV(N(ID " <= x@example.org U=x P=local S=18446744073709551614"), 2,
	    EVT(EV_PICKUP, .queue_id = ID, .sender = "x@example.org"),
	    EVT(EV_QUEUED, .queue_id = ID, .sender = "x@example.org",
		.size = UINT64_MAX - 1)),
	/* a recipient list cut by Exim's log buffer */
	NEV(N(ID " <= x@example.org U=x P=local S=1 for a@example.org "
	    "b@example.org <trunc>"), 2,
	    EVT(EV_PICKUP, .queue_id = ID, .sender = "x@example.org"),
	    EVT(EV_QUEUED, .queue_id = ID, .sender = "x@example.org",
		.size = 1, .nrcpt = 2)),
	/* an unterminated subject runs to the end */
	NEV(N(ID " <= x@example.org U=x P=local S=2 T=\"never closed for "
	    "a@example.org"), 2,
	    EVT(EV_PICKUP, .queue_id = ID, .sender = "x@example.org"),
	    EVT(EV_QUEUED, .queue_id = ID, .sender = "x@example.org",
		.size = 2)),
	NBAD(N(ID " <="), MALFORMED_FIELD),
	NBAD(N(ID " <= "), MALFORMED_FIELD),
	NBAD(N(ID " <= x@example.org H=broken.example.net P=esmtp S=1"),
	    MALFORMED_FIELD),
	NBAD(N(ID " <= x@example.org H=(open [192.0.2.1 P=esmtp S=1"),
	    MALFORMED_FIELD),
	NBAD(N(ID " <= x@example.org H=(helo) [] P=esmtp S=1"),
	    MALFORMED_FIELD),
	NBAD(N(ID " <= <> R=notanid U=exim P=local S=1"), MALFORMED_QUEUE_ID),
	NBAD(N(ID " <= x@example.org U=x P=local S=1 from <unterminated"),
	    MALFORMED_FIELD),

	/* deliveries */
	NEV(N(ID " => bob@example.org R=dnslookup T=remote_smtp "
	    "H=mx1.example.org [203.0.113.25]:25 X=TLS1.3:TLS_AES_256:256 "
	    "CV=yes DN=\"CN=mx1.example.org\" C=\"250 2.0.0 OK id=" ID2 "\" "
	    "QT=2s DT=1s"), 1,
	    EVT(EV_DELIVERY, .queue_id = ID, .recipient = "bob@example.org",
		.transport = "remote_smtp",
		.relay = "mx1.example.org [203.0.113.25]:25",
		.response = "250 2.0.0 OK id=" ID2, .dsn = "2.0.0",
		.related_queue_id = ID2, .status = DELIVERY_SENT)),
	/* a content filter passing the re-injection's answer on; the
	   correlator decides whether the ID is one of this relay's */
	NEV(N(ID " => bob@example.org R=amavis T=amavis "
	    "H=127.0.0.1 [127.0.0.1]:10024 C=\"250 2.0.0 from "
	    "MTA(smtp:[127.0.0.1]:10025): 250 OK id=" ID2 "\" QT=2s DT=1s"), 1,
	    EVT(EV_DELIVERY, .queue_id = ID, .recipient = "bob@example.org",
		.transport = "amavis", .relay = "127.0.0.1 [127.0.0.1]:10024",
		.response = "250 2.0.0 from MTA(smtp:[127.0.0.1]:10025): 250 "
		"OK id=" ID2, .dsn = "2.0.0", .related_queue_id = ID2,
		.status = DELIVERY_SENT)),
	/* not an ID, or not at the end: none */
	NEV(N(ID " => bob@example.org R=dnslookup T=remote_smtp "
	    "H=mx1.example.org [203.0.113.25]:25 C=\"250 OK id=12345\""), 1,
	    EVT(EV_DELIVERY, .queue_id = ID, .recipient = "bob@example.org",
		.transport = "remote_smtp",
		.relay = "mx1.example.org [203.0.113.25]:25",
		.response = "250 OK id=12345", .status = DELIVERY_SENT)),
	/* a further address of the same delivery, connection reused */
	NEV(N(ID " -> carol@example.org R=dnslookup T=remote_smtp "
	    "H=mx1.example.org [203.0.113.25]* C=\"250 ok\""), 1,
	    EVT(EV_DELIVERY, .queue_id = ID, .recipient = "carol@example.org",
		.transport = "remote_smtp",
		.relay = "mx1.example.org [203.0.113.25]", .response = "250 ok",
		.status = DELIVERY_SENT)),
	/* "H=name DS [ip]" and IPv6 */
	NEV(N(ID " => d@example.org R=dnslookup T=remote_smtp "
	    "H=mx.example.org DS [2001:db8:25::1]:25 C=\"250 ok\""), 1,
	    EVT(EV_DELIVERY, .queue_id = ID, .recipient = "d@example.org",
		.transport = "remote_smtp",
		.relay = "mx.example.org DS [2001:db8:25::1]:25",
		.response = "250 ok", .status = DELIVERY_SENT)),
	/* local delivery logged as the local part: the original address */
	NEV(N(ID " => bob <bob@relay9.example.net> R=local_user "
	    "T=mail_spool"), 1,
	    EVT(EV_DELIVERY, .queue_id = ID,
		.recipient = "bob@relay9.example.net",
		.transport = "local",
		.status = DELIVERY_SENT)),
	/* an alias delivered elsewhere: orig_recipient */
	NEV(N(ID " => dave@example.com <sales@example.net> R=dnslookup "
	    "T=remote_smtp H=mx.example.com [198.51.100.30] C=\"250 "
	    "Accepted\""), 1,
	    EVT(EV_DELIVERY, .queue_id = ID, .recipient = "dave@example.com",
		.orig_recipient = "sales@example.net",
		.transport = "remote_smtp",
		.relay = "mx.example.com [198.51.100.30]",
		.response = "250 Accepted", .status = DELIVERY_SENT)),
	/* a pipe with spaces and quotes */
	NEV(N(ID " => |/usr/bin/procmail -f \"x y\" <erin@example.net> "
	    "R=procmail T=procmail_pipe"), 1,
	    EVT(EV_DELIVERY, .queue_id = ID, .recipient = "erin@example.net",
		.transport = "local", .status = DELIVERY_SENT)),
	/* log_selector +all_parents */
	NEV(N(ID " => frank@example.org (list@example.net, "
	    "team@example.net) <all@example.net> R=dnslookup T=remote_smtp "
	    "H=mx.example.org [192.0.2.40] C=\"250 OK\""), 1,
	    EVT(EV_DELIVERY, .queue_id = ID, .recipient = "frank@example.org",
		.orig_recipient = "all@example.net", .transport = "remote_smtp",
		.relay = "mx.example.org [192.0.2.40]", .response = "250 OK",
		.status = DELIVERY_SENT)),
	NEV(N(ID " => :blackhole: <junk@example.net> R=blackhole_router"), 1,
	    EVT(EV_DELIVERY, .queue_id = ID, .recipient = "junk@example.net",
		.status = DELIVERY_SENT)),
	/* an ACL, or local_scan(), discarded the whole message: the
	   relay's filter action, no delivery */
	NIGN(N(ID " => blackhole (RCPT ACL discarded recipients): spam"),
	    IGNORE_FILTER_ACTION),
	NIGN(N(ID " => blackhole (non-SMTP ACL discarded recipients)"),
	    IGNORE_FILTER_ACTION),
	NIGN(N(ID " => blackhole *this is a blackhole message*"),
	    IGNORE_FILTER_ACTION),
	/* a local user named blackhole, and his list's parent address */
	NEV(N(ID " => blackhole (list@example.net) <list@example.net> "
	    "R=localuser T=local_delivery"), 1,
	    EVT(EV_DELIVERY, .queue_id = ID, .recipient = "list@example.net",
		.transport = "local", .status = DELIVERY_SENT)),
	/* +smtp_mailauth with an address as the login; no login at all */
	NEV(N(ID " <= f@example.net H=[198.51.100.67] P=esmtpa "
	    "A=dovecot_plain:alice@isp.example:spam@forged.example S=7"), 2,
	    EVT(EV_CLIENT, .queue_id = ID, .client_ip = "198.51.100.67",
		.sasl_method = "dovecot_plain",
		.sasl_username = "alice@isp.example"),
	    EVT(EV_QUEUED, .queue_id = ID, .sender = "f@example.net",
		.size = 7)),
	NEV(N(ID " <= f@example.net H=[198.51.100.67] P=esmtpa "
	    "A=dovecot_plain::spam@forged.example S=7"), 2,
	    EVT(EV_CLIENT, .queue_id = ID, .client_ip = "198.51.100.67",
		.sasl_method = "dovecot_plain"),
	    EVT(EV_QUEUED, .queue_id = ID, .sender = "f@example.net",
		.size = 7)),
	/* every receive.c discard of a whole message (a DATA ACL's with
	   its log_message, MAIL, MIME, DKIM; local_scan()'s, with and
	   without a text of its own, the text ending in a space or
	   followed by an ACL's log_message, or empty) */
	NIGN(N(ID " => blackhole (DATA ACL discarded recipients): discard "
	    "message 3"), IGNORE_FILTER_ACTION),
	NIGN(N(ID " => blackhole (MAIL ACL discarded recipients)"),
	    IGNORE_FILTER_ACTION),
	NIGN(N(ID " => blackhole (MIME ACL discarded recipients)"),
	    IGNORE_FILTER_ACTION),
	NIGN(N(ID " => blackhole (DKIM ACL discarded recipients): bad "
	    "signature"), IGNORE_FILTER_ACTION),
	NIGN(N(ID " => blackhole (local_scan discarded recipients)"),
	    IGNORE_FILTER_ACTION),
	NIGN(N(ID " => blackhole *this is a blackhole message* "),
	    IGNORE_FILTER_ACTION),
	NIGN(N(ID " => blackhole spam score 12.5 (limit 5.0)"),
	    IGNORE_FILTER_ACTION),
	NIGN(N(ID " => blackhole spam: discard message 3"),
	    IGNORE_FILTER_ACTION),
	NIGN(N(ID " => blackhole "), IGNORE_FILTER_ACTION),
	SIGN("exim4", ID " => blackhole (RCPT ACL discarded recipients)",
	    IGNORE_FILTER_ACTION),
	/* deliveries name a router or transport: a local part
	   "blackhole", an address that opens like it */
	NEV(N(ID " => blackhole <blackhole@relay9.example.net> R=localuser "
	    "T=local_delivery"), 1,
	    EVT(EV_DELIVERY, .queue_id = ID,
		.recipient = "blackhole@relay9.example.net",
		.transport = "local", .status = DELIVERY_SENT)),
	NEV(N(ID " => blackhole@example.org R=dnslookup T=remote_smtp "
	    "H=mx.example.org [192.0.2.40] C=\"250 OK\""), 1,
	    EVT(EV_DELIVERY, .queue_id = ID,
		.recipient = "blackhole@example.org",
		.transport = "remote_smtp",
		.relay = "mx.example.org [192.0.2.40]", .response = "250 OK",
		.status = DELIVERY_SENT)),
	/* routing chose to drop one address: an alias to :blackhole:
	   (+all_parents), a filter's "seen finish" that made no address;
	   a delivery to it, no filter action */
	NEV(N(ID " => :blackhole: (trap@example.net) <sales@example.net> "
	    "R=system_aliases"), 1,
	    EVT(EV_DELIVERY, .queue_id = ID, .recipient = "sales@example.net",
		.status = DELIVERY_SENT)),
	NEV(N(ID " => discarded <erin@example.net> R=userforward"), 1,
	    EVT(EV_DELIVERY, .queue_id = ID, .recipient = "erin@example.net",
		.status = DELIVERY_SENT)),
	/* one login without and with +smtp_mailauth, its refusal (whose
	   A= never has the AUTH= sender) and its failed login: one
	   sasl_username; the envelope sender stays the "<=" and F= one */
	NEV(N(ID " <= alice@isp.example H=(pc) [198.51.100.68] P=esmtpa "
	    "A=dovecot_plain:alice@isp.example S=7"), 2,
	    EVT(EV_CLIENT, .queue_id = ID, .client_ip = "198.51.100.68",
		.helo = "pc", .sasl_method = "dovecot_plain",
		.sasl_username = "alice@isp.example"),
	    EVT(EV_QUEUED, .queue_id = ID, .sender = "alice@isp.example",
		.size = 7)),
	NEV(N(ID " <= bounce@other.example H=(pc) [198.51.100.68] "
	    "P=esmtpa A=dovecot_plain:alice@isp.example:spam@forged.example "
	    "S=8 for a@example.org"), 2,
	    EVT(EV_CLIENT, .queue_id = ID, .client_ip = "198.51.100.68",
		.helo = "pc", .sasl_method = "dovecot_plain",
		.sasl_username = "alice@isp.example"),
	    EVT(EV_QUEUED, .queue_id = ID, .sender = "bounce@other.example",
		.size = 8, .nrcpt = 1)),
	NEV(N("H=(pc) [198.51.100.68] F=<bounce@other.example> "
	    "A=dovecot_plain:alice@isp.example rejected RCPT "
	    "<v@example.org>: rate limited"), 1,
	    EVT(EV_REJECT, .client_ip = "198.51.100.68", .helo = "pc",
		.sender = "bounce@other.example", .recipient = "v@example.org",
		.sasl_method = "dovecot_plain",
		.sasl_username = "alice@isp.example", .stage = "RCPT",
		.response = "rate limited", .origin = REJECT_SMTPD)),
	/* +smtp_incomplete_transaction (in +all) */
	NIGN(N("H=(mx.outside.example) [127.0.0.99]:48585 I=[127.0.0.1]:2601 "
	    "incomplete transaction (QUIT) from <a@outside.example>"),
	    IGNORE_SESSION),
	/* exim -Mg, -Mrm: given up by an administrator */
	NEV(N(ID " cancelled by root"), 1,
	    EVT(EV_EXPIRED, .queue_id = ID)),
	NEV(N(ID " removed by admin"), 1,
	    EVT(EV_EXPIRED, .queue_id = ID)),
	/* recipients_max: the excess RCPTs refused, a rate limit */
	NEV(N("too many recipients: excess temporarily rejected: "
	    "sender=<promo@x.example> H=([127.0.0.33]) [127.0.0.33]:39755 "
	    "I=[127.0.0.1]:2601"), 1,
	    EVT(EV_REJECT, .client_ip = "127.0.0.33", .helo = "[127.0.0.33]",
		.sender = "promo@x.example", .stage = "RCPT",
		.response = "too many recipients: excess temporarily rejected",
		.origin = REJECT_SMTPD)),
	NBAD(N("too many recipients: message rejected: sender=<s@x>"),
	    MALFORMED_FIELD),
	NEV(N("dovecot_plain authenticator failed for (pc) "
	    "[198.51.100.68]:40001: 535 Incorrect authentication data "
	    "(set_id=alice@isp.example)"), 1,
	    EVT(EV_AUTH_FAILED, .client_ip = "198.51.100.68", .helo = "pc",
		.sasl_method = "dovecot_plain",
		.sasl_username = "alice@isp.example",
		.response = "535 Incorrect authentication data")),
	/* an AUTH= sender holding ':'; an ID holding ':' is cut at it */
	NEV(N(ID " <= s@example.net H=[198.51.100.67] P=esmtpa "
	    "A=login:alice@isp.example:\"a:b\"@forged.example S=7"), 2,
	    EVT(EV_CLIENT, .queue_id = ID, .client_ip = "198.51.100.67",
		.sasl_method = "login", .sasl_username = "alice@isp.example"),
	    EVT(EV_QUEUED, .queue_id = ID, .sender = "s@example.net",
		.size = 7)),
	NEV(N(ID " <= s@example.net H=[198.51.100.67] P=esmtpa "
	    "A=ext:ou=a:b S=7"), 2,
	    EVT(EV_CLIENT, .queue_id = ID, .client_ip = "198.51.100.67",
		.sasl_method = "ext", .sasl_username = "ou=a"),
	    EVT(EV_QUEUED, .queue_id = ID, .sender = "s@example.net",
		.size = 7)),
	/* an AUTH= sender with spaces (xtext "+20") that imitates the
	   fields Exim writes before A=, a broken F= and "from <": the
	   login, client and origin stay, the line is read */
	NEV(N(ID " <= s@example.net H=[198.51.100.67] P=esmtpa "
	    "A=plain:alice@isp.example:x R=" ID2 " H=[6.6.6.6] "
	    "A=plain:victim@isp.example F=<open from <open S=9 "
	    "id=m@example.net"), 3,
	    EVT(EV_CLIENT, .queue_id = ID, .client_ip = "198.51.100.67",
		.sasl_method = "plain", .sasl_username = "alice@isp.example"),
	    EVT(EV_MESSAGE_ID, .queue_id = ID, .message_id = "m@example.net"),
	    EVT(EV_QUEUED, .queue_id = ID, .sender = "s@example.net",
		.size = 9)),
	/* with no AUTH= sender a broken field is one */
	NBAD(N(ID " <= s@example.net H=[198.51.100.67] P=esmtpa "
	    "A=plain:alice@isp.example F=<open S=9"), MALFORMED_FIELD),
	NEV(N(ID " *> x@example.org R=dnslookup T=remote_smtp "
	    "H=mx.example.org [192.0.2.40] C=\"delivery bypassed by -N "
	    "option\""), 1,
	    EVT(EV_DELIVERY, .queue_id = ID, .recipient = "x@example.org",
		.transport = "remote_smtp",
		.relay = "mx.example.org [192.0.2.40]",
		.response = "delivery bypassed by -N option",
		.status = DELIVERY_OTHER)),
	/* cutthrough, with return path and sender */
	NEV(N(ID " >> y@example.org F=<a@example.net> P=<a@example.net> "
	    "R=dnslookup T=remote_smtp H=mx.example.org [192.0.2.40] "
	    "C=\"250 2.0.0 queued\""), 1,
	    EVT(EV_DELIVERY, .queue_id = ID, .recipient = "y@example.org",
		.transport = "remote_smtp",
		.relay = "mx.example.org [192.0.2.40]",
		.response = "250 2.0.0 queued", .dsn = "2.0.0",
		.status = DELIVERY_SENT)),
	/* a reply quoting quotes, backslashes and " H=" */
	NEV(N(ID " => z@example.org R=dnslookup T=remote_smtp "
	    "H=mx.example.org [192.0.2.40] C=\"250 \\\"queued\\\" as H=x "
	    "[1.1.1.1] \\\\o/\""), 1,
	    EVT(EV_DELIVERY, .queue_id = ID, .recipient = "z@example.org",
		.transport = "remote_smtp",
		.relay = "mx.example.org [192.0.2.40]",
		.response = "250 \"queued\" as H=x [1.1.1.1] \\o/",
		.status = DELIVERY_SENT)),
	/* a reply cut short */
	NEV(N(ID " => z@example.org R=dnslookup T=remote_smtp "
	    "H=mx.example.org [192.0.2.40] C=\"250 OK cut"), 1,
	    EVT(EV_DELIVERY, .queue_id = ID, .recipient = "z@example.org",
		.transport = "remote_smtp",
		.relay = "mx.example.org [192.0.2.40]",
		.response = "250 OK cut", .status = DELIVERY_SENT)),
	/* a local transport's host without an address */
	NEV(N(ID " => bob <bob@example.net> R=lmtp T=dovecot_lmtp "
	    "H=store.example.net C=\"250 2.0.0 <bob@example.net> Saved\""), 1,
	    EVT(EV_DELIVERY, .queue_id = ID, .recipient = "bob@example.net",
		.transport = "lmtp", .relay = "store.example.net",
		.response = "250 2.0.0 <bob@example.net> Saved", .dsn = "2.0.0",
		.status = DELIVERY_SENT)),
	/* the lmtp transport on a socket: no H=, but C= */
	NEV(N(ID " => amy@example.net R=hosted T=Dovecot_LMTP C=\"250 "
	    "2.0.0 <amy@example.net> x Saved\""), 1,
	    EVT(EV_DELIVERY, .queue_id = ID, .recipient = "amy@example.net",
		.transport = "lmtp",
		.response = "250 2.0.0 <amy@example.net> x Saved",
		.dsn = "2.0.0", .status = DELIVERY_SENT)),
	/* a further local address of the same delivery */
	NEV(N(ID " -> root <root@relay9.example.net> R=system_aliases "
	    "T=address_file"), 1,
	    EVT(EV_DELIVERY, .queue_id = ID,
		.recipient = "root@relay9.example.net",
		.transport = "local", .status = DELIVERY_SENT)),
	/* LMTP over the smtp transport names the host: kept as named */
	NEV(N(ID " => amy@example.net R=hosted T=store_lmtp "
	    "H=store.example.net [10.0.0.24] C=\"250 2.0.0 Saved\""), 1,
	    EVT(EV_DELIVERY, .queue_id = ID, .recipient = "amy@example.net",
		.transport = "store_lmtp",
		.relay = "store.example.net [10.0.0.24]",
		.response = "250 2.0.0 Saved", .dsn = "2.0.0",
		.status = DELIVERY_SENT)),
	/* a delivery suppressed by -N delivered nothing: T= as named */
	NEV(N(ID " *> x@example.org R=r T=local_delivery"), 1,
	    EVT(EV_DELIVERY, .queue_id = ID, .recipient = "x@example.org",
		.transport = "local_delivery", .status = DELIVERY_OTHER)),
	NBAD(N(ID " =>"), MALFORMED_FIELD),
	NBAD(N(ID " => "), MALFORMED_FIELD),
	NBAD(N(ID " =>  x@example.org R=r T=t"), MALFORMED_FIELD),
	NBAD(N(ID " => x@example.org F=<open R=r T=t"), MALFORMED_FIELD),

	/* failures */
	NEV(N(ID " ** bob@example.org R=dnslookup T=remote_smtp "
	    "H=mx.example.org [203.0.113.25] : SMTP error from remote mail "
	    "server after RCPT TO:<bob@example.org>: 550 5.1.1 "
	    "<bob@example.org>: Recipient address rejected: User unknown"), 1,
	    EVT(EV_DELIVERY, .queue_id = ID, .recipient = "bob@example.org",
		.transport = "remote_smtp",
		.relay = "mx.example.org [203.0.113.25]",
		.response = "SMTP error from remote mail server after RCPT "
		"TO:<bob@example.org>: 550 5.1.1 <bob@example.org>: Recipient "
		"address rejected: User unknown", .dsn = "5.1.1",
		.status = DELIVERY_BOUNCED)),
	/* a multi-line reply, joined */
	NEV(N(ID " ** a@example.com F=<s@example.net> R=dnslookup "
	    "T=remote_smtp H=mx.example.com [192.0.2.9] "
	    "X=TLS1.2:ECDHE:256 CV=yes : SMTP error from remote mail server "
	    "after end of data: 550-5.7.1 [192.0.2.5] Our system has "
	    "detected\\n550 5.7.1 unsolicited mail"), 1,
	    EVT(EV_DELIVERY, .queue_id = ID, .recipient = "a@example.com",
		.transport = "remote_smtp",
		.relay = "mx.example.com [192.0.2.9]",
		.response = "SMTP error from remote mail server after end of "
		"data: 550-5.7.1 [192.0.2.5] Our system has detected\\n550 "
		"5.7.1 unsolicited mail", .dsn = "5.7.1",
		.status = DELIVERY_BOUNCED)),
	NEV(N(ID " ** nobody@example.net : Unrouteable address"), 1,
	    EVT(EV_DELIVERY, .queue_id = ID, .recipient = "nobody@example.net",
		.response = "Unrouteable address",
		.status = DELIVERY_BOUNCED)),
	NEV(N(ID " ** nobody@example.net: Unrouteable address"), 1,
	    EVT(EV_DELIVERY, .queue_id = ID, .recipient = "nobody@example.net",
		.response = "Unrouteable address",
		.status = DELIVERY_BOUNCED)),
	NEV(N(ID " ** box@example.net R=virtual T=maildir : mailbox is "
	    "full"), 1,
	    EVT(EV_DELIVERY, .queue_id = ID, .recipient = "box@example.net",
		.transport = "maildir", .response = "mailbox is full",
		.status = DELIVERY_BOUNCED)),
	/* before Exim 4.86: the text follows the last field's colon */
	NEV(N(OLD_ID " ** x@example.org R=dnslookup T=remote_smtp: SMTP "
	    "error from remote mailer after RCPT TO:<x@example.org>: host "
	    "mx.example.org [192.0.2.7]: 550 5.7.1 rejected"), 1,
	    EVT(EV_DELIVERY, .queue_id = OLD_ID, .recipient = "x@example.org",
		.transport = "remote_smtp",
		.response = "SMTP error from remote mailer after RCPT "
		"TO:<x@example.org>: host mx.example.org [192.0.2.7]: 550 "
		"5.7.1 rejected", .dsn = "5.7.1",
		.status = DELIVERY_BOUNCED)),
	/* ... and so it does after a quoted field (+tls_peerdn) */
	NEV(N(OLD_ID " ** x@example.org R=dnslookup T=remote_smtp "
	    "H=mx.example.org [192.0.2.7] X=TLSv1:AES256-SHA:256 "
	    "DN=\"CN=mx.example.org\": SMTP error from remote mail server "
	    "after end of data: host mx.example.org [192.0.2.7]: 550 5.7.1 "
	    "spam"), 1,
	    EVT(EV_DELIVERY, .queue_id = OLD_ID, .recipient = "x@example.org",
		.transport = "remote_smtp",
		.relay = "mx.example.org [192.0.2.7]",
		.response = "SMTP error from remote mail server after end of "
		"data: host mx.example.org [192.0.2.7]: 550 5.7.1 spam",
		.dsn = "5.7.1", .status = DELIVERY_BOUNCED)),
	/* since 4.86, " : " after it */
	NEV(N(ID " ** x@example.org R=dnslookup T=remote_smtp "
	    "H=mx.example.org [192.0.2.7] X=TLS1.3:TLS_AES_256_GCM_SHA384:256 "
	    "CV=yes DN=\"CN=mx.example.org\" : SMTP error from remote mail "
	    "server after end of data: 550 5.7.1 spam"), 1,
	    EVT(EV_DELIVERY, .queue_id = ID, .recipient = "x@example.org",
		.transport = "remote_smtp",
		.relay = "mx.example.org [192.0.2.7]",
		.response = "SMTP error from remote mail server after end of "
		"data: 550 5.7.1 spam", .dsn = "5.7.1",
		.status = DELIVERY_BOUNCED)),
	NEV(N(OLD_ID " ** unknown@example.org <alias@example.net>: unknown "
	    "mail domain"), 1,
	    EVT(EV_DELIVERY, .queue_id = OLD_ID,
		.recipient = "unknown@example.org",
		.orig_recipient = "alias@example.net",
		.response = "unknown mail domain", .status = DELIVERY_BOUNCED)),
	/* given up after retrying */
	NEV(N(ID " ** x@example.org <y@example.net>: retry timeout "
	    "exceeded"), 1,
	    EVT(EV_DELIVERY, .queue_id = ID, .recipient = "x@example.org",
		.orig_recipient = "y@example.net",
		.response = "retry timeout exceeded",
		.status = DELIVERY_EXPIRED)),
	NEV(N(ID " ** x@example.org R=dnslookup T=remote_smtp : all hosts "
	    "for 'example.org' have been failing for a long time (and retry "
	    "time not reached)"), 1,
	    EVT(EV_DELIVERY, .queue_id = ID, .recipient = "x@example.org",
		.transport = "remote_smtp",
		.response = "all hosts for 'example.org' have been failing for "
		"a long time (and retry time not reached)",
		.status = DELIVERY_EXPIRED)),
	NEV(N(ID " ** c@remote3.example R=dnslookup T=remote_smtp: retry "
	    "time not reached for any host after a long failure period"), 1,
	    EVT(EV_DELIVERY, .queue_id = ID, .recipient = "c@remote3.example",
		.transport = "remote_smtp",
		.response = "retry time not reached for any host after a "
		"long failure period",
		.status = DELIVERY_EXPIRED)),
	/* +sender_on_delivery: the text right after F=<...>; and
	   +deliver_time's DT= after the text */
	NEV(N(ID " ** someone@nx.example F=<alice@isp.example>: Unrouteable "
	    "address"), 1,
	    EVT(EV_DELIVERY, .queue_id = ID, .recipient = "someone@nx.example",
		.response = "Unrouteable address", .status = DELIVERY_BOUNCED)),
	NEV(N(ID " ** erin@isp.example F=<>: Unrouteable address "
	    "DT=0.000s"), 1,
	    EVT(EV_DELIVERY, .queue_id = ID, .recipient = "erin@isp.example",
		.response = "Unrouteable address", .status = DELIVERY_BOUNCED)),
	/* the sender last, no text */
	NEV(N(ID " ** someone@nx.example F=<alice@isp.example>"), 1,
	    EVT(EV_DELIVERY, .queue_id = ID, .recipient = "someone@nx.example",
		.status = DELIVERY_BOUNCED)),
	/* a sender with ">:" inside is not cut there */
	NEV(N(ID " ** x@example.org F=<a>:b@example.net> R=r T=t : "
	    "550 no"), 1,
	    EVT(EV_DELIVERY, .queue_id = ID, .recipient = "x@example.org",
		.transport = "t", .response = "550 no",
		.status = DELIVERY_BOUNCED)),
	/* a failed pipe: the original address */
	NEV(N(ID " ** |/usr/local/bin/filter <f@example.net> R=pipe T=pipe : "
	    "Child process of pipe transport returned 75"), 1,
	    EVT(EV_DELIVERY, .queue_id = ID, .recipient = "f@example.net",
		.transport = "pipe",
		.response = "Child process of pipe transport returned 75",
		.status = DELIVERY_BOUNCED)),

	/* deferrals */
	NEV(N(ID " == a@example.com R=dnslookup T=remote_smtp defer (-44) "
	    "H=mx.example.com [192.0.2.9]: SMTP error from remote mail server "
	    "after RCPT TO:<a@example.com>: 451 4.7.1 Greylisted"), 1,
	    EVT(EV_DELIVERY, .queue_id = ID, .recipient = "a@example.com",
		.transport = "remote_smtp",
		.relay = "mx.example.com [192.0.2.9]",
		.response = "SMTP error from remote mail server after RCPT "
		"TO:<a@example.com>: 451 4.7.1 Greylisted", .dsn = "4.7.1",
		.status = DELIVERY_DEFERRED)),
	/* errno > 0: its text, then the host, then the message */
	NEV(N(ID " == a@example.com R=dnslookup T=remote_smtp defer (110): "
	    "Connection timed out H=mx.example.com [192.0.2.9]:25: SMTP "
	    "timeout after RCPT TO:<a@example.com>"), 1,
	    EVT(EV_DELIVERY, .queue_id = ID, .recipient = "a@example.com",
		.transport = "remote_smtp",
		.relay = "mx.example.com [192.0.2.9]:25",
		.response = "SMTP timeout after RCPT TO:<a@example.com>",
		.status = DELIVERY_DEFERRED)),
	NEV(N(ID " == a@example.com R=dnslookup T=remote_smtp defer (111): "
	    "Connection refused"), 1,
	    EVT(EV_DELIVERY, .queue_id = ID, .recipient = "a@example.com",
		.transport = "remote_smtp", .response = "Connection refused",
		.status = DELIVERY_DEFERRED)),
	NEV(N(ID " == a@example.com routing defer (-52): retry time not "
	    "reached"), 1,
	    EVT(EV_DELIVERY, .queue_id = ID, .recipient = "a@example.com",
		.response = "retry time not reached",
		.status = DELIVERY_DEFERRED)),
	NEV(N(ID " == a@example.com <list@example.net> R=r defer (-1): "
	    "lookup H=not a host here"), 1,
	    EVT(EV_DELIVERY, .queue_id = ID, .recipient = "a@example.com",
		.orig_recipient = "list@example.net",
		.response = "lookup H=not a host here",
		.status = DELIVERY_DEFERRED)),
	NEV(N(ID " == a@example.com R=dnslookup T=remote_smtp defer (-44) "
	    "H=mx.example.com [192.0.2.9] DT=2s: SMTP error from remote mail "
	    "server after MAIL FROM:<s@example.net>: 421 4.3.2 busy"), 1,
	    EVT(EV_DELIVERY, .queue_id = ID, .recipient = "a@example.com",
		.transport = "remote_smtp",
		.relay = "mx.example.com [192.0.2.9]",
		.response = "SMTP error from remote mail server after MAIL "
		"FROM:<s@example.net>: 421 4.3.2 busy", .dsn = "4.3.2",
		.status = DELIVERY_DEFERRED)),
	/* +incoming_interface: I= before the text, alone or with a port
	   and +deliver_time's DT= */
	NEV(N(ID " == r-1@example.com R=remote T=remote_smtp defer (-44) "
	    "H=127.0.0.1 [127.0.0.1] I=[127.0.0.1]: SMTP error from remote "
	    "mail server after RCPT TO:<r-1@example.com>: 450 4.7.28 "
	    "unusual rate"), 1,
	    EVT(EV_DELIVERY, .queue_id = ID, .recipient = "r-1@example.com",
		.transport = "remote_smtp", .relay = "127.0.0.1 [127.0.0.1]",
		.response = "SMTP error from remote mail server after RCPT "
		"TO:<r-1@example.com>: 450 4.7.28 unusual rate",
		.dsn = "4.7.28", .status = DELIVERY_DEFERRED)),
	NEV(N(ID " == r-1@example.com R=remote T=remote_smtp defer (-44) "
	    "H=127.0.0.1 [127.0.0.1]:2650 I=[127.0.0.1]:44282 DT=0.000s: SMTP "
	    "error from remote mail server after RCPT TO:<r-1@example.com>: "
	    "450 4.7.28 unusual rate"), 1,
	    EVT(EV_DELIVERY, .queue_id = ID, .recipient = "r-1@example.com",
		.transport = "remote_smtp",
		.relay = "127.0.0.1 [127.0.0.1]:2650",
		.response = "SMTP error from remote mail server after RCPT "
		"TO:<r-1@example.com>: 450 4.7.28 unusual rate",
		.dsn = "4.7.28", .status = DELIVERY_DEFERRED)),
	NEV(N(ID " == box@example.net defer (-23): domain is held"), 1,
	    EVT(EV_DELIVERY, .queue_id = ID, .recipient = "box@example.net",
		.response = "domain is held", .status = DELIVERY_DEFERRED)),
	/* no closing parenthesis nearby: all is text */
	NEV(N(ID " == box@example.net R=r defer (12345678901234567890123456"
	    "7890123: x"), 1,
	    EVT(EV_DELIVERY, .queue_id = ID, .recipient = "box@example.net",
		.response = "123456789012345678901234567890123: x",
		.status = DELIVERY_DEFERRED)),

	/* end of a message */
	NEV(N(ID " Completed"), 1, EVT(EV_REMOVED, .queue_id = ID)),
	NEV(N(OLD_ID " Completed QT=3m2s"), 1,
	    EVT(EV_REMOVED, .queue_id = OLD_ID)),

	/* other lines about a message */
	NIGN(N(ID " Frozen (delivery error message)"), IGNORE_QUEUE_INFO),
	NIGN(N(ID " Message is frozen"), IGNORE_QUEUE_INFO),
	NIGN(N(ID " Unfrozen by forced delivery"), IGNORE_QUEUE_INFO),
	NIGN(N(ID " Spool file is locked (another process is handling this "
	    "message)"), IGNORE_QUEUE_INFO),
	NIGN(N(ID " Warning: message size exceeds the limit"),
	    IGNORE_QUEUE_INFO),
	NIGN(N(ID " mx.example.org [192.0.2.7] Connection timed out"),
	    IGNORE_QUEUE_INFO),
	NIGN(N(ID " SMTP error from remote mail server after RCPT "
	    "TO:<x@example.org>: 550 5.1.1 unknown"), IGNORE_QUEUE_INFO),
	NIGN(N(ID " H=mx.example.org [192.0.2.7] Connection refused"),
	    IGNORE_QUEUE_INFO),
	NIGN(N(ID " H=mx.example.org [192.0.2.7]: SMTP timeout after end of "
	    "data"), IGNORE_QUEUE_INFO),
	NIGN(N(ID " U=www-data Warning: something odd"), IGNORE_QUEUE_INFO),
	NIGN(N(ID " DKIM: d=example.net s=sel c=relaxed/relaxed a=rsa-sha256 "
	    "[verification succeeded]"), IGNORE_QUEUE_INFO),
	NIGN(N(ID " no immediate delivery: queued by ACL"), IGNORE_QUEUE_INFO),
	NIGN(N(ID " x@example.org: error ignored"), IGNORE_QUEUE_INFO),
	NIGN(N(ID), IGNORE_UNRECOGNISED),
	NIGN(N(ID " SMTP connection from (x) [192.0.2.1]:1234 closed by DROP "
	    "in ACL"), IGNORE_SESSION),
	NIGN(N(ID " TLS session: (SSL_connect): error"), IGNORE_TLS),

	/* refusals */
	NEV(N("H=pc.example.net (pc) [198.51.100.17]:5123 I=[192.0.2.25]:587 "
	    "X=TLS1.3:TLS_AES_256:256 CV=no F=<spam@example.biz> "
	    "A=dovecot_login:carol@example.net rejected RCPT "
	    "<victim@example.org>: relay not permitted"), 1,
	    EVT(EV_REJECT, .client_ip = "198.51.100.17",
		.client_name = "pc.example.net", .helo = "pc",
		.sender = "spam@example.biz", .recipient = "victim@example.org",
		.sasl_method = "dovecot_login",
		.sasl_username = "carol@example.net", .stage = "RCPT",
		.response = "relay not permitted", .origin = REJECT_SMTPD)),
	NEV(N("H=(x) [203.0.113.7] F=<a@example.biz> temporarily rejected "
	    "RCPT <b@example.org>: greylisted: 4.7.1 try later"), 1,
	    EVT(EV_REJECT, .client_ip = "203.0.113.7", .helo = "x",
		.sender = "a@example.biz", .recipient = "b@example.org",
		.stage = "RCPT", .response = "greylisted: 4.7.1 try later",
		.dsn = "4.7.1", .origin = REJECT_SMTPD)),
	/* a recipient with ": " inside its brackets */
	NEV(N("H=(x) [203.0.113.7] F=<> rejected RCPT <\"a: b\"@example.org>: "
	    "no"), 1,
	    EVT(EV_REJECT, .client_ip = "203.0.113.7", .helo = "x",
		.sender = "", .recipient = "\"a: b\"@example.org",
		.stage = "RCPT",
		.response = "no", .origin = REJECT_SMTPD)),
	/* smtp_in.c logs 100 bytes of the argument: cut, no '>' */
	NEV(N("H=(x) [203.0.113.7] F=<a@example.biz> rejected RCPT <cut@exa: "
	    "unknown user"), 1,
	    EVT(EV_REJECT, .client_ip = "203.0.113.7", .helo = "x",
		.sender = "a@example.biz", .recipient = "cut@exa",
		.stage = "RCPT", .response = "unknown user",
		.origin = REJECT_SMTPD)),
	NEV(N("H=(x) [203.0.113.7] rejected MAIL <s@bad.example>: Sender "
	    "address domain invalid"), 1,
	    EVT(EV_REJECT, .client_ip = "203.0.113.7", .helo = "x",
		.sender = "s@bad.example", .stage = "MAIL",
		.response = "Sender address domain invalid",
		.origin = REJECT_SMTPD)),
	/* smtp_in.c's own MAIL refusals: host_and_ident() */
	NEV(N("rejected MAIL from pc.example.net (pc) [203.0.113.9]:10001: no "
	    "HELO/EHLO given"), 1,
	    EVT(EV_REJECT, .client_ip = "203.0.113.9",
		.client_name = "pc.example.net", .helo = "pc", .stage = "MAIL",
		.response = "no HELO/EHLO given", .origin = REJECT_SMTPD)),
	NEV(N("rejected MAIL command H=(pc) [203.0.113.9]:10001 "
	    "I=[192.0.2.25]:587: too many messages in one connection"), 1,
	    EVT(EV_REJECT, .client_ip = "203.0.113.9", .helo = "pc",
		.stage = "MAIL",
		.response = "too many messages in one connection",
		.origin = REJECT_SMTPD)),
	NEV(N("rejected MAIL FROM:<s@example.net> H=[203.0.113.9]: message too "
	    "big: size=90000000 max=52428800"), 1,
	    EVT(EV_REJECT, .client_ip = "203.0.113.9",
		.sender = "s@example.net", .stage = "MAIL",
		.response = "message too big: size=90000000 max=52428800",
		.origin = REJECT_SMTPD)),
	NEV(N("rejected MAIL command H=Unifi.example [203.0.113.9]: too many "
	    "messages in one connection"), 1,
	    EVT(EV_REJECT, .client_ip = "203.0.113.9",
		.client_name = "Unifi.example", .stage = "MAIL",
		.response = "too many messages in one connection",
		.origin = REJECT_SMTPD)),
	NEV(N("rejected MAIL command U=joe: too many messages in one "
	    "connection"), 1,
	    EVT(EV_REJECT, .stage = "MAIL",
		.response = "too many messages in one connection",
		.origin = REJECT_SMTPD)),
	NBAD(N("rejected MAIL FROM:<open H=[203.0.113.9]: x"), MALFORMED_FIELD),
	NEV(N("H=[203.0.113.5] rejected connection in \"connect\" ACL: listed "
	    "at zen.example"), 1,
	    EVT(EV_REJECT, .client_ip = "203.0.113.5", .stage = "CONNECT",
		.response = "listed at zen.example", .origin = REJECT_SMTPD)),
	/* a junk HELO (helo_accept_junk_hosts) holding ") " */
	NEV(N("H=(a) b) [198.51.100.2] rejected EHLO or HELO a) b: bad"), 1,
	    EVT(EV_REJECT, .client_ip = "198.51.100.2", .helo = "a) b",
		.stage = "HELO", .response = "bad", .origin = REJECT_SMTPD)),
	NEV(N("U=root rejected EHLO or HELO junk_name"), 1,
	    EVT(EV_REJECT, .helo = "junk_name", .stage = "HELO",
		.origin = REJECT_SMTPD)),
	NEV(N("rejected EHLO from [198.51.100.3]:4455 I=[192.0.2.25]:25: "
	    "syntactically invalid argument(s): a_b"), 1,
	    EVT(EV_REJECT, .client_ip = "198.51.100.3", .stage = "HELO",
		.response = "syntactically invalid argument(s): a_b",
		.origin = REJECT_SMTPD)),
	NEV(N("rejected \"EHLO fake.example\" from (fake.example) "
	    "[198.51.100.4]"), 1,
	    EVT(EV_REJECT, .client_ip = "198.51.100.4", .helo = "fake.example",
		.stage = "HELO", .origin = REJECT_SMTPD)),
	NEV(N("temporarily rejected \"HELO odd\" from [198.51.100.4]"), 1,
	    EVT(EV_REJECT, .client_ip = "198.51.100.4", .helo = "odd",
		.stage = "HELO", .origin = REJECT_SMTPD)),
	/* a refusal naming an ID: the message is thrown away whole */
	NEV(N(ID " H=mx.example.biz [203.0.113.8]:4000 I=[192.0.2.25]:25 "
	    "F=<s@example.biz> A=plain:sam rejected after DATA: This message "
	    "contains a virus (Eicar-Test)"), 3,
	    EVT(EV_CLIENT, .queue_id = ID, .client_ip = "203.0.113.8",
		.client_name = "mx.example.biz", .sasl_method = "plain",
		.sasl_username = "sam"),
	    EVT(EV_REJECT, .queue_id = ID, .client_ip = "203.0.113.8",
		.client_name = "mx.example.biz", .sender = "s@example.biz",
		.sasl_method = "plain", .sasl_username = "sam",
		.stage = "END-OF-MESSAGE",
		.response = "This message contains a virus (Eicar-Test)",
		.origin = REJECT_SMTPD),
	    EVT(EV_REMOVED, .queue_id = ID)),
	NEV(N(ID " F=<s@example.biz> H=(x) [203.0.113.8] P=esmtp rejected by "
	    "local_scan(): spam score 12.5"), 3,
	    EVT(EV_CLIENT, .queue_id = ID, .client_ip = "203.0.113.8",
		.helo = "x"),
	    EVT(EV_REJECT, .queue_id = ID, .client_ip = "203.0.113.8",
		.helo = "x", .sender = "s@example.biz",
		.stage = "END-OF-MESSAGE", .response = "spam score 12.5",
		.origin = REJECT_MILTER),
	    EVT(EV_REMOVED, .queue_id = ID)),
	NEV(N(ID " rejected from <s@example.biz> H=(x) [203.0.113.8]: message "
	    "too big: read=2000 max=1000"), 3,
	    EVT(EV_CLIENT, .queue_id = ID, .client_ip = "203.0.113.8",
		.helo = "x"),
	    EVT(EV_REJECT, .queue_id = ID, .client_ip = "203.0.113.8",
		.helo = "x", .sender = "s@example.biz", .stage = "DATA",
		.response = "message too big: read=2000 max=1000",
		.origin = REJECT_SMTPD),
	    EVT(EV_REMOVED, .queue_id = ID)),
	NEV(N(ID " H=(x) [203.0.113.8] F=<s@example.biz> temporarily "
	    "rejected after DATA: 4.7.1 try later"), 3,
	    EVT(EV_CLIENT, .queue_id = ID, .client_ip = "203.0.113.8",
		.helo = "x"),
	    EVT(EV_REJECT, .queue_id = ID, .client_ip = "203.0.113.8",
		.helo = "x", .sender = "s@example.biz",
		.stage = "END-OF-MESSAGE", .response = "4.7.1 try later",
		.dsn = "4.7.1", .origin = REJECT_SMTPD),
	    EVT(EV_REMOVED, .queue_id = ID)),
	NEV(N(ID " H=(x) [203.0.113.8] rejected DKIM: bad signature"), 3,
	    EVT(EV_CLIENT, .queue_id = ID, .client_ip = "203.0.113.8",
		.helo = "x"),
	    EVT(EV_REJECT, .queue_id = ID, .client_ip = "203.0.113.8",
		.helo = "x", .stage = "DKIM", .response = "bad signature",
		.origin = REJECT_SMTPD),
	    EVT(EV_REMOVED, .queue_id = ID)),
	/* a local user's message: a local submission */
	NEV(N(ID " rejected from <> U=www-data: message too big"), 3,
	    EVT(EV_PICKUP, .queue_id = ID, .sender = ""),
	    EVT(EV_REJECT, .queue_id = ID, .sender = "", .stage = "DATA",
		.response = "message too big", .origin = REJECT_SMTPD),
	    EVT(EV_REMOVED, .queue_id = ID)),
	NEV(N(ID " U=www-data F=<w@example.net> rejected by non-SMTP ACL: "
	    "no"), 3,
	    EVT(EV_PICKUP, .queue_id = ID, .sender = "w@example.net"),
	    EVT(EV_REJECT, .queue_id = ID, .sender = "w@example.net",
		.stage = "END-OF-MESSAGE", .response = "no",
		.origin = REJECT_SMTPD),
	    EVT(EV_REMOVED, .queue_id = ID)),
	/* neither host nor user named: no origin */
	NEV(N(ID " rejected by local_scan(): no"), 2,
	    EVT(EV_REJECT, .queue_id = ID, .stage = "END-OF-MESSAGE",
		.response = "no", .origin = REJECT_MILTER),
	    EVT(EV_REMOVED, .queue_id = ID)),
	/* a refusal of one recipient (PRDR) leaves the message going */
	NEV(N(ID " H=(x) [203.0.113.8] F=<s@example.biz> rejected RCPT "
	    "<r@example.org>: no"), 1,
	    EVT(EV_REJECT, .queue_id = ID, .client_ip = "203.0.113.8",
		.helo = "x", .sender = "s@example.biz",
		.recipient = "r@example.org", .stage = "RCPT",
		.response = "no", .origin = REJECT_SMTPD)),
	/* local -bs session: no host */
	NEV(N("U=www-data F=<a@example.net> rejected RCPT <c@example.org>: "
	    "relay not permitted"), 1,
	    EVT(EV_REJECT, .sender = "a@example.net",
		.recipient = "c@example.org", .stage = "RCPT",
		.response = "relay not permitted", .origin = REJECT_SMTPD)),
	/* older Exim: F= and RCPT without brackets */
	NEV(N("[2249] H=([192.0.2.95]) [192.0.2.95]:52391 I=[192.0.2.25]:25 "
	    "F=a@example.biz rejected RCPT c@example.org: relay not "
	    "permitted"), 1,
	    EVT(EV_REJECT, .client_ip = "192.0.2.95", .helo = "[192.0.2.95]",
		.sender = "a@example.biz", .recipient = "c@example.org",
		.stage = "RCPT", .response = "relay not permitted",
		.origin = REJECT_SMTPD)),
	NEV(N("H=(x) [192.0.2.5] rejected AUTH login: STARTTLS required "
	    "before AUTH"), 1,
	    EVT(EV_REJECT, .client_ip = "192.0.2.5", .helo = "x",
		.stage = "AUTH", .response = "STARTTLS required before AUTH",
		.origin = REJECT_SMTPD)),
	NEV(N("H=(x) [192.0.2.5] rejected VRFY someone@example.net"), 1,
	    EVT(EV_REJECT, .client_ip = "192.0.2.5", .helo = "x",
		.stage = "VRFY", .origin = REJECT_SMTPD)),
	NEV(N("H=(x) [192.0.2.5] F=<a@example.net> rejected DATA: no "
	    "recipients"), 1,
	    EVT(EV_REJECT, .client_ip = "192.0.2.5", .helo = "x",
		.sender = "a@example.net", .stage = "DATA",
		.response = "no recipients", .origin = REJECT_SMTPD)),
	NBAD(N("H=broken [192.0.2.5 rejected RCPT <a@example.org>"),
	    MALFORMED_FIELD),
	NBAD(N("H=name.example (helo [192.0.2.5]:25 rejected RCPT <a@b>"),
	    MALFORMED_FIELD),
	NBAD(N("H=(x) [192.0.2.5] F=<open rejected RCPT a@example.org"),
	    MALFORMED_FIELD),
	NBAD(N("rejected EHLO from nowhere: syntactically invalid"),
	    MALFORMED_FIELD),
	NBAD(N(ID " rejected from <open H=(x) [192.0.2.5]"), MALFORMED_FIELD),
	NBAD(N("H=(x) [192.0.2.5] rejected "), MALFORMED_FIELD),

	/* session lines that are not refusals */
	NIGN(N("H=(x) [192.0.2.5]:4000 sender verify fail for <a@example.biz>: "
	    "Unrouteable address"), IGNORE_SESSION),
	NIGN(N("U=root F=<a@example.net> RCPT <c@example.org>: discarded by "
	    "RCPT ACL: spam"), IGNORE_FILTER_ACTION),
	NIGN(N("H=(x) [192.0.2.5] Warning: listed in a DNS list"),
	    IGNORE_WARNING),
	NIGN(N("H=[192.0.2.5]:62839 dropped by 'connect' ACL: banned"),
	    IGNORE_SESSION),
	NIGN(N("H=(x) [192.0.2.5] something else entirely"),
	    IGNORE_UNRECOGNISED),

	/* SASL failures */
	NEV(N("dovecot_login authenticator failed for (pc17) "
	    "[198.51.100.17]:51000 I=[192.0.2.25]:587: 535 Incorrect "
	    "authentication data (set_id=alice@example.net)"), 1,
	    EVT(EV_AUTH_FAILED, .client_ip = "198.51.100.17", .helo = "pc17",
		.sasl_method = "dovecot_login",
		.sasl_username = "alice@example.net",
		.response = "535 Incorrect authentication data")),
	NEV(N("login authenticator failed for H=pc.example.net (pc) "
	    "[198.51.100.18]:51001 I=[192.0.2.25]:587 Ci=4711: 535 Incorrect "
	    "authentication data (set_id=bob)"), 1,
	    EVT(EV_AUTH_FAILED, .client_ip = "198.51.100.18",
		.client_name = "pc.example.net", .helo = "pc",
		.sasl_method = "login", .sasl_username = "bob",
		.response = "535 Incorrect authentication data")),
	NEV(N("plain authenticator failed for pc.example.net "
	    "[198.51.100.19]: 535 Incorrect authentication data"), 1,
	    EVT(EV_AUTH_FAILED, .client_ip = "198.51.100.19",
		.client_name = "pc.example.net", .sasl_method = "plain",
		.response = "535 Incorrect authentication data")),
	NEV(N("plain authenticator failed for U=www-data: 535 Incorrect "
	    "authentication data (set_id=w)"), 1,
	    EVT(EV_AUTH_FAILED, .sasl_method = "plain", .sasl_username = "w",
		.response = "535 Incorrect authentication data")),
	/* the client's name may hold anything */
	NEV(N("login authenticator failed for (x) [198.51.100.20]: 535 "
	    "Incorrect authentication data (set_id=a b) (set_id=c))"), 1,
	    EVT(EV_AUTH_FAILED, .client_ip = "198.51.100.20", .helo = "x",
		.sasl_method = "login", .sasl_username = "a b) (set_id=c)",
		.response = "535 Incorrect authentication data")),
	NEV(N("dovecot_plain authenticator failed for (x) [198.51.100.21]: "
	    "435 Unable to authenticate at present (set_id=dave): lookup "
	    "failed"), 1,
	    EVT(EV_AUTH_FAILED, .client_ip = "198.51.100.21", .helo = "x",
		.sasl_method = "dovecot_plain", .sasl_username = "dave",
		.response = "435 Unable to authenticate at present: lookup "
		"failed")),
	NEV(N("[31337] login authenticator failed for ([2001:db8::5]) "
	    "[2001:db8::5]:40000: 535 Incorrect authentication data "
	    "(set_id=admin)"), 1,
	    EVT(EV_AUTH_FAILED, .client_ip = "2001:db8::5",
		.helo = "[2001:db8::5]", .sasl_method = "login",
		.sasl_username = "admin",
		.response = "535 Incorrect authentication data")),
	NEV(N("login authenticator failed for (x) [198.51.100.22]"), 1,
	    EVT(EV_AUTH_FAILED, .client_ip = "198.51.100.22", .helo = "x",
		.sasl_method = "login")),
	NBAD(N("login authenticator failed for nohost: 535 Incorrect "
	    "authentication data"), MALFORMED_FIELD),

	/* the rest, by reason */
	NIGN(N("exim 4.97 daemon started: pid=123, -q30m, listening for SMTP "
	    "on port 25 (IPv6 and IPv4)"), IGNORE_DAEMON),
	NIGN(N("Start queue run: pid=456"), IGNORE_DAEMON),
	NIGN(N("End queue run: pid=456"), IGNORE_DAEMON),
	NIGN(N("Start 'slow' queue run: pid=457"), IGNORE_DAEMON),
	NIGN(N("cwd=/var/spool/exim4 3 args: /usr/sbin/exim4 -bd -q30m"),
	    IGNORE_DAEMON),
	NIGN(N("TLS error on connection from (x) [192.0.2.5]:4000 "
	    "(SSL_accept): error:0A000126:SSL routines::unexpected eof"),
	    IGNORE_TLS),
	NIGN(N("SMTP connection from [192.0.2.5]:4000 I=[192.0.2.25]:25 "
	    "(TCP/IP connection count = 3)"), IGNORE_SESSION),
	NIGN(N("SMTP connection from (x) [192.0.2.5]:4000 lost D=3s"),
	    IGNORE_SESSION),
	NIGN(N("SMTP command timeout on connection from (x) [192.0.2.5]"),
	    IGNORE_SESSION),
	NIGN(N("unexpected disconnection while reading SMTP command from "
	    "(x) [192.0.2.5]:4000 D=1s"), IGNORE_SESSION),
	NIGN(N("no MAIL in SMTP connection from (x) [192.0.2.5]:4000 D=21s "
	    "C=EHLO,AUTH"), IGNORE_SESSION),
	NIGN(N("SMTP protocol synchronization error (input sent without "
	    "waiting for greeting): rejected connection from H=[192.0.2.5] "
	    "input=\"GET / HTTP/1.1\\r\\n\""), IGNORE_SESSION),
	NIGN(N("SMTP protocol error in \"AUTH LOGIN\" H=(x) [192.0.2.5] AUTH "
	    "command used when not advertised"), IGNORE_SESSION),
	NIGN(N("SMTP call from (x) [192.0.2.5] dropped: too many syntax or "
	    "protocol errors (last command was \"RSET\")"), IGNORE_SESSION),
	NIGN(N("refused connection from [192.0.2.5] (host_reject_connection)"),
	    IGNORE_SESSION),
	NIGN(N("Connection from [192.0.2.5] refused: too many connections "
	    "from that IP address"), IGNORE_SESSION),
	NIGN(N("no host name found for IP address 192.0.2.5"), IGNORE_SESSION),
	NIGN(N("Warning: purging the environment."), IGNORE_WARNING),
	NIGN(N("failed to expand condition \"${if}\" for r1 router"),
	    IGNORE_WARNING),
	/* rules found from the first with the line's first byte on:
	   later rules of a shared first byte, and bytes no rule opens */
	NIGN(N("Couldn't stat spool file"), IGNORE_WARNING),
	NIGN(N("Cannot open main log"), IGNORE_WARNING),
	NIGN(N("Connection refused"), IGNORE_SESSION),
	NIGN(N("Failed to get user name for uid 7"), IGNORE_WARNING),
	NIGN(N("SSL read error"), IGNORE_TLS),
	NIGN(N("unable to set gid"), IGNORE_WARNING),
	NIGN(N("Frozen"), IGNORE_UNRECOGNISED),
	NIGN(N("Connection"), IGNORE_UNRECOGNISED),
	NIGN(N("zzz"), IGNORE_UNRECOGNISED),
	NIGN(N("\xc3\xa9t\xc3\xa9"), IGNORE_UNRECOGNISED),
	NIGN(N(ID " Failed to deliver"), IGNORE_QUEUE_INFO),
	NIGN(N(ID " SSL verify error"), IGNORE_TLS),
	NIGN(N(ID " too many connections"), IGNORE_SESSION),
	NIGN(N(ID " Zzz"), IGNORE_QUEUE_INFO),
	NIGN(N("acl_check: a custom logwrite"), IGNORE_UNRECOGNISED),
	NIGN(N(""), IGNORE_UNRECOGNISED),
	NIGN("2026-11-26 21:31:55", IGNORE_UNRECOGNISED),
	NIGN(N("[127.0.0.1] -> 'x'"), IGNORE_UNRECOGNISED),
	NIGN(" Suggested action: either install a certificate",
	    IGNORE_WARNING),
	NIGN("\tcontinued", IGNORE_WARNING),

	/* broken IDs and stamps */
	NBAD(N("1tQx3b-0004V <= a@example.org H=[192.0.2.5] S=1"),
	    MALFORMED_QUEUE_ID),
	NBAD(N("1tQx3b-00000004VdQ-Ab1 Completed"), MALFORMED_QUEUE_ID),
	NBAD(N("1tQx3b-00000004VdQ-Ab1zz => a@example.org R=r T=t"),
	    MALFORMED_QUEUE_ID),
	/* not the shape of an ID at all: a line of some other kind */
	NIGN(N("1tQx3b_00000004VdQ-Ab1z => a@example.org R=r T=t"),
	    IGNORE_UNRECOGNISED),
	NBAD("2026-02-30 10:00:00 " ID " Completed", MALFORMED_HEADER),
	NBAD("2027-02-29 10:00:00 " ID " Completed", MALFORMED_HEADER),
	NBAD("2026-11-26 24:00:00 " ID " Completed", MALFORMED_HEADER),
	NBAD("2026-13-01 10:00:00 " ID " Completed", MALFORMED_HEADER),
	NBAD("2026-11-26 21:31:55. " ID " Completed", MALFORMED_HEADER),
	NBAD("2026-11-26 21:31:55 +2500 " ID " Completed", MALFORMED_HEADER),
	NNOT("2026-11-26 21:31:55x " ID " Completed"),
	NNOT("Nov 26 21:31:55 relay1 exim[1]: " ID " Completed"),
	NNOT(""),
	NNOT("2026-11-26"),

	/* syslog framing */
	SEV("exim", STAMP "[4321] " ID " Completed", 1,
	    EVT(EV_REMOVED, .queue_id = ID)),
	SEV("exim", "2026-11-26 22:31:55.123 +0100 " ID " Completed", 1,
	    EVT(EV_REMOVED, .queue_id = ID)),
	SEV("exim4", ID " <= a@example.net H=(x) [192.0.2.5] P=esmtpa "
	    "A=plain:a@example.net S=42", 2,
	    EVT(EV_CLIENT, .queue_id = ID, .client_ip = "192.0.2.5",
		.helo = "x", .sasl_method = "plain",
		.sasl_username = "a@example.net"),
	    EVT(EV_QUEUED, .queue_id = ID, .sender = "a@example.net",
		.size = 42)),
	SEV("exim4-daemon", OLD_ID " => b@example.org R=dnslookup "
	    "T=remote_smtp H=mx.example.org [192.0.2.40] C=\"250 OK\"", 1,
	    EVT(EV_DELIVERY, .queue_id = OLD_ID, .recipient = "b@example.org",
		.transport = "remote_smtp",
		.relay = "mx.example.org [192.0.2.40]",
		.response = "250 OK", .status = DELIVERY_SENT)),
	SEV("exim", "dovecot_login authenticator failed for (x) "
	    "[192.0.2.6]:4000: 535 Incorrect authentication data "
	    "(set_id=z@example.net)", 1,
	    EVT(EV_AUTH_FAILED, .client_ip = "192.0.2.6", .helo = "x",
		.sasl_method = "dovecot_login",
		.sasl_username = "z@example.net",
		.response = "535 Incorrect authentication data")),
	/* the first piece of a split line, cut short */
	SEV("exim", "[1/2] " STAMP ID " <= a@example.net H=(x) [192.0.2.5] "
	    "P=esmtp S=12 T=\"a long subj", 2,
	    EVT(EV_CLIENT, .queue_id = ID, .client_ip = "192.0.2.5",
		.helo = "x"),
	    EVT(EV_QUEUED, .queue_id = ID, .sender = "a@example.net",
		.size = 12)),
	SIGN("exim", "[2/2] ect\" for b@example.org", IGNORE_UNRECOGNISED),
	SIGN("exim", "[2\\3] header text", IGNORE_UNRECOGNISED),
	SIGN("exim", "[1/2] " STAMP ID " <= a@example.net H=(x) [192.0",
	    IGNORE_UNRECOGNISED),
	SIGN("exim", "Start queue run: pid=1", IGNORE_DAEMON),
	SIGN("exim", STAMP "Start queue run: pid=1", IGNORE_DAEMON),
	SIGN("exim", "", IGNORE_UNRECOGNISED),
	{ SYSLOG, "exim", ID " <=", PARSE_MALFORMED, MALFORMED_FIELD, 0,
	    { EVT(EV_KIND_COUNT, .queue_id = NULL) } },
	/* keys of one, two, three and more characters, and words that
	   look like keys: only S=, A=, R= and id= count */
	NEV(N(ID " <= a@example.net XS=9 Ss=8 S==5 S=7 =6 ABCDEFGH=4 "
	    "ABCDEFGHI=3 iD=x id*=y id=m@example.net P=local"), 3,
	    EVT(EV_PICKUP, .queue_id = ID, .sender = "a@example.net"),
	    EVT(EV_MESSAGE_ID, .queue_id = ID,
		.message_id = "m@example.net"),
	    EVT(EV_QUEUED, .queue_id = ID, .sender = "a@example.net",
		.size = 7)),
	/* the fields in an unusual order, the host last */
	NEV(N(OLD_ID " <= a@example.net S=44 A=plain:u id=i@x P=esmtpa "
	    "H=(helo) [192.0.2.1]:25"), 3,
	    EVT(EV_CLIENT, .queue_id = OLD_ID, .client_ip = "192.0.2.1",
		.helo = "helo", .sasl_method = "plain",
		.sasl_username = "u"),
	    EVT(EV_MESSAGE_ID, .queue_id = OLD_ID, .message_id = "i@x"),
	    EVT(EV_QUEUED, .queue_id = OLD_ID, .sender = "a@example.net",
		.size = 44)),
	/* the last S= counts; a key at the very end has no value */
	NEV(N(ID " <= a@example.net S=1 S=2 P="), 2,
	    EVT(EV_PICKUP, .queue_id = ID, .sender = "a@example.net"),
	    EVT(EV_QUEUED, .queue_id = ID, .sender = "a@example.net",
		.size = 2)),
	/* a HELO with ") [" that opens no address, then the real one */
	NEV(N(ID " <= a@example.net H=(x) [y z) [192.0.2.5]:7 S=3"), 2,
	    EVT(EV_CLIENT, .queue_id = ID, .client_ip = "192.0.2.5",
		.helo = "x) [y z"),
	    EVT(EV_QUEUED, .queue_id = ID, .sender = "a@example.net",
		.size = 3)),
	/* T= and C= look-alikes on a delivery line */
	NEV(N(ID " => b@example.org R=r TT=no T=t CC=\"x\" C=\"250 "
	    "2.0.0 ok\" Cv=y"), 1,
	    EVT(EV_DELIVERY, .queue_id = ID, .recipient = "b@example.org",
		.transport = "local", .response = "250 2.0.0 ok",
		.dsn = "2.0.0", .status = DELIVERY_SENT)),
	/* lines cut short at every kind of place */
	NBAD(N(ID " <= a@example.net H=(helo"), MALFORMED_FIELD),
	NBAD(N(ID " <= a@example.net H=name"), MALFORMED_FIELD),
	NEV(N(ID " <= a@example.net S"), 2,
	    EVT(EV_PICKUP, .queue_id = ID, .sender = "a@example.net"),
	    EVT(EV_QUEUED, .queue_id = ID, .sender = "a@example.net")),
	NEV(N(ID " => b@example.org R=r T=t C=\"250 ok"), 1,
	    EVT(EV_DELIVERY, .queue_id = ID, .recipient = "b@example.org",
		.transport = "local", .response = "250 ok",
		.status = DELIVERY_SENT)),
	NBAD(N(ID " =>"), MALFORMED_FIELD),
	NIGN(N(ID), IGNORE_UNRECOGNISED),
	NIGN(N(OLD_ID), IGNORE_UNRECOGNISED),
	NIGN(N(ID " "), IGNORE_QUEUE_INFO),
	/* a space where an ID of either length would end, but no ID */
	NIGN(N("1tQx3b 0004Vd-Ab Completed"), IGNORE_UNRECOGNISED),
	NIGN(N("1tQx3b-0004Vd-A! Completed"), IGNORE_UNRECOGNISED),
	NBAD(N("1tQx3b-0004Vd-AbX Completed"), MALFORMED_QUEUE_ID),
	NIGN(N("1tQx3b-00000004VdQ-Ab1! Completed"), IGNORE_UNRECOGNISED),
	NBAD(N("1tQx3b-00000004VdQ-Ab1zz Completed"), MALFORMED_QUEUE_ID),
	NEV(N("[12] " OLD_ID " Completed"), 1,
	    EVT(EV_REMOVED, .queue_id = OLD_ID)),
	/* session lines: "rejected" and "H=" open no ID */
	NIGN(N("H=(x) [192.0.2.1] U=u"), IGNORE_UNRECOGNISED),
	NIGN(N("rejected"), IGNORE_UNRECOGNISED),
	NBAD(N("H=(x) [192.0.2.1"), MALFORMED_FIELD),
	/* a pid of 18 digits is read, one of 19 is text */
	NIGN(N("[123456789012345678] " ID), IGNORE_UNRECOGNISED),
	NIGN(N("[1234567890123456789] " ID " Completed"),
	    IGNORE_UNRECOGNISED),
	NIGN(N("[12]"), IGNORE_UNRECOGNISED),
	SNOT("postfix/smtpd", ID " Completed"),
	SNOT("eximstats", ID " Completed"),
	SNOT("exim_tidydb", "x"),
	SNOT("CRON", "(root) CMD (run-parts /etc/cron.hourly)"),
};

/* native_pid - the "[pid] " after a native line's stamp, or -1 */
static int64_t
native_pid(const char *line)
{
	const char	*s = line + strlen(STAMP);
	int64_t		 pid = 0;

	if (strlen(line) <= strlen(STAMP) || *s != '[')
		return -1;
	for (s++; *s >= '0' && *s <= '9'; s++)
		pid = pid * 10 + (*s - '0');
	return *s == ']' ? pid : -1;
}

/* check_event - the framing of ev, then the k-th expectation */
static void
check_event(int i, size_t k, const struct mta_event *ev,
    const struct ex_case *c)
{
	const struct one_event *o = &c->ev[k];
	char	 where[48];

	snprintf(where, sizeof(where), "case %d ev %zu", i, k);
	ck_assert_int_eq(ev->mta, MTA_EXIM);
	ck_assert_int_eq(ev->time_sec, LINE_TIME);
	ck_assert_uint_eq(ev->time_usec, 0);
	if (c->framing == NATIVE) {
		expect_zstr(where, "host", ev->host, NATIVE_HOST);
		expect_zstr(where, "program", ev->program, "exim");
		ck_assert_int_eq(ev->pid, native_pid(c->text));
	} else {
		expect_zstr(where, "host", ev->host, SYSLOG_HOST);
		expect_zstr(where, "program", ev->program, c->program);
		ck_assert_int_eq(ev->pid, LINE_PID);
	}
	expect_event(where, ev, o->kind, &o->e);
}

/* make_syslog_line - "Nov 26 21:31:55 relay1 PROG[4321]: MSG"; caller
   frees */
static char *
make_syslog_line(const char *program, const char *message, size_t *len)
{
	size_t	 n = strlen(program) + strlen(message) + 64;
	char	*line = xmalloc(n);
	int	 w;

	w = snprintf(line, n, "Nov 26 21:31:55 " SYSLOG_HOST " %s[%d]: %s",
	    program, LINE_PID, message);
	ck_assert(w > 0 && (size_t)w < n);
	*len = (size_t)w;
	return line;
}

START_TEST(test_cases)
{
	const struct ex_case *c = &cases[_i];
	struct syslog_parser *sp = syslog_parser_new(2026, 0);
	struct exim_parser *ep = exim_parser_new();
	enum ignore_reason ig = IGNORE_REASON_COUNT;
	enum malformed_reason mr = MALFORMED_REASON_COUNT;
	const struct mta_event *ev;
	enum parse_status st;
	size_t		 k;
	char		*copy;

	/* events borrow from the line: keep a copy alive while checking */
	if (c->framing == NATIVE) {
		size_t	len = strlen(c->text);

		copy = xmemdup0(c->text, len);
		st = exim_feed_native(ep, copy, len, ZSTR_LIT(NATIVE_HOST),
		    &ig, &mr);
	} else {
		struct syslog_header hdr;
		size_t	len;

		copy = make_syslog_line(c->program, c->text, &len);
		ck_assert(syslog_parse(sp, copy, len, &hdr) == SYSLOG_OK);
		st = exim_feed(ep, &hdr, &ig, &mr);
	}
	ck_assert_msg(st == c->status, "case %d: status %d != %d (%s)", _i,
	    (int)st, (int)c->status, c->text);
	switch (st) {
	case PARSE_EVENTS:
		for (k = 0; k < c->nev; k++) {
			ck_assert_msg((ev = exim_next(ep)) != NULL,
			    "case %d: event %zu missing", _i, k);
			check_event(_i, k, ev, c);
		}
		ck_assert_msg((ev = exim_next(ep)) == NULL,
		    "case %d: extra event %s", _i, event_kind_name(ev->kind));
		break;
	case PARSE_IGNORED:
		ck_assert_msg((int)ig == c->reason, "case %d: ignored as %s",
		    _i, ignore_reason_name(ig));
		ck_assert(exim_next(ep) == NULL);
		break;
	case PARSE_MALFORMED:
		ck_assert_msg((int)mr == c->reason, "case %d: malformed as %s",
		    _i, malformed_reason_name(mr));
		ck_assert(exim_next(ep) == NULL);
		break;
	case PARSE_NOT_MINE:
		ck_assert(exim_next(ep) == NULL);
		break;
	}
	free(copy);
	exim_parser_free(ep);
	syslog_parser_free(sp);
}
END_TEST

struct id_case {
	const char	*id;
	int		 valid;
};

static const struct id_case id_cases[] = {
	{ ID, 1 },
	{ OLD_ID, 1 },
	{ "1ahr79-0006jK-G9", 1 },
	{ "0tACW1-0005MB-00", 1 },
	{ "zzzzzz-ZZZZZZZZZZZ-0000", 1 },
	{ "", 0 },
	{ "1ahr79-0006jK-G", 0 },		/* 15 */
	{ "1ahr79-0006jK-G9a", 0 },		/* 17 */
	{ "1ahr79-0006jKG-9", 0 },		/* dash misplaced */
	{ "1ahr79_0006jK-G9", 0 },
	{ "1ahr7!-0006jK-G9", 0 },
	{ "1ahr79-0006jK-G9 ", 0 },
	{ "1tQx3b-00000004VdQ-Ab1", 0 },	/* 22 */
	{ "1tQx3b-00000004VdQAb1z-", 0 },
	{ "1tQx3b-0000000-4VdQAb1z", 0 },
	{ "1tQx3b-00000004VdQ-Ab1\x80", 0 },
	{ "NOQUEUE", 0 },
	{ "4B1F2C0A3D", 0 },			/* a Postfix ID */
};

START_TEST(test_message_ids)
{
	const struct id_case *c = &id_cases[_i];

	ck_assert_msg(exim_is_message_id(zstr_make(c->id, strlen(c->id))) ==
	    (c->valid != 0), "'%s' should be %s", c->id,
	    c->valid ? "valid" : "invalid");
}
END_TEST

START_TEST(test_message_id_edges)
{
	ck_assert(exim_is_message_id(zstr_make(OLD_ID " x", 16)));
	ck_assert(!exim_is_message_id(zstr_make(OLD_ID " x", 17)));
	ck_assert(!exim_is_message_id(ZSTR_NULL));
}
END_TEST

/* ref_base62 - [0-9A-Za-z], written out */
static int
ref_base62(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
	    (c >= 'a' && c <= 'z');
}

/* ref_message_id - an Exim ID, byte by byte: base-62 runs of 6, mid
   and tail between two dashes */
static int
ref_message_id(const char *s, size_t len)
{
	size_t	i, mid, tail;

	if (len == 16) {
		mid = 6;
		tail = 2;
	} else if (len == 23) {
		mid = 11;
		tail = 4;
	} else
		return 0;
	for (i = 0; i < len; i++) {
		if (i == 6 || i == 7 + mid) {
			if (s[i] != '-')
				return 0;
		} else if (!ref_base62((unsigned char)s[i]))
			return 0;
	}
	return 6 + 1 + mid + 1 + tail == len;
}

/* Every byte value at every position of both ID forms, and every
   length around them, against the byte-by-byte definition. */
START_TEST(test_message_id_reference)
{
	static const char *const ids[] = { OLD_ID, ID, "zzzzzz-ZZZZZZ-09" };
	char	 buf[32];
	size_t	 i, pos, len, n;
	int	 c;

	for (i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		n = strlen(ids[i]);
		for (pos = 0; pos < n; pos++) {
			for (c = 0; c < 256; c++) {
				memcpy(buf, ids[i], n);
				buf[pos] = (char)c;
				ck_assert_msg(exim_is_message_id(zstr_make(buf,
				    n)) == (ref_message_id(buf, n) != 0),
				    "id %zu pos %zu byte %d", i, pos, c);
			}
		}
	}
	/* every length, of ID bytes and of dashes where they belong */
	for (len = 0; len < sizeof(buf); len++) {
		for (i = 0; i < len; i++)
			buf[i] = i == 6 || i == 13 || i == 18 ? '-' : 'a';
		ck_assert_int_eq(exim_is_message_id(zstr_make(buf, len)),
		    ref_message_id(buf, len) != 0);
	}
}
END_TEST

/* ref_native - the stamp shape, byte by byte */
static int
ref_native(const char *s, size_t len)
{
	static const char shape[] = "dddd-dd-dd dd:dd:dd";
	size_t	i;

	if (len < 19)
		return 0;
	for (i = 0; i < 19; i++) {
		if (shape[i] == 'd') {
			if (s[i] < '0' || s[i] > '9')
				return 0;
		} else if (s[i] != shape[i])
			return 0;
	}
	return len == 19 || s[19] == ' ' || s[19] == '.';
}

/* Every byte value at every position of a stamp (and the byte after
   it) against the byte-by-byte definition, and the parser's verdict:
   a broken shape is no native line. */
START_TEST(test_stamp_shape_reference)
{
	static const char line[] = "2026-11-26 21:31:55 " ID " Completed";
	struct exim_parser *ep = exim_parser_new();
	const struct mta_event *ev;
	enum parse_status st;
	char	 buf[sizeof(line)];
	size_t	 pos, n = sizeof(line) - 1;
	int	 c, ref;

	for (pos = 0; pos < 20; pos++) {
		for (c = 0; c < 256; c++) {
			memcpy(buf, line, n);
			buf[pos] = (char)c;
			ref = ref_native(buf, n);
			ck_assert_msg(exim_is_native_line(buf, n) ==
			    (ref != 0), "pos %zu byte %d", pos, c);
			/* the same parser throughout: its last stamp
			   must not stand in for a different one (a tab
			   or space first makes a continuation line) */
			if (!ref)
				ck_assert_msg(exim_feed_native(ep, buf, n,
				    ZSTR_NULL, NULL, NULL) ==
				    (exim_is_continuation_line(buf, n) ?
				    PARSE_IGNORED : PARSE_NOT_MINE),
				    "pos %zu byte %d", pos, c);
			else {
				/* a shape of a time or of no real one */
				st = exim_feed_native(ep, buf, n, ZSTR_NULL,
				    NULL, NULL);
				ck_assert_msg(st == PARSE_EVENTS ||
				    st == PARSE_MALFORMED, "pos %zu byte %d",
				    pos, c);
			}
			ck_assert(exim_feed_native(ep, line, n, ZSTR_NULL,
			    NULL, NULL) == PARSE_EVENTS);
			ck_assert((ev = exim_next(ep)) != NULL);
			ck_assert_int_eq(ev->time_sec, LINE_TIME);
		}
	}
	exim_parser_free(ep);
}
END_TEST

/*
 * One parser, one stamp after another: a line sharing the last
 * line's stamp has its time, one differing in any byte its own, one
 * with the same 19 bytes followed by a fraction or an offset ("+hhmm",
 * "-hhmm") its own too, and a stamp of an impossible time stays
 * malformed when it repeats.
 */
START_TEST(test_stamp_sequence)
{
	static const struct {
		const char	*line;
		enum parse_status st;
		int64_t		 sec;
		uint32_t	 usec;
	} seq[] = {
		{ STAMP ID " Completed", PARSE_EVENTS, LINE_TIME, 0 },
		{ STAMP "[1] " ID " Completed", PARSE_EVENTS, LINE_TIME, 0 },
		{ "2026-11-26 21:31:55.25 " ID " Completed", PARSE_EVENTS,
		    LINE_TIME, 250000 },
		{ "2026-11-26 21:31:55 +0100 " ID " Completed", PARSE_EVENTS,
		    LINE_TIME - 3600, 0 },
		{ STAMP ID " Completed", PARSE_EVENTS, LINE_TIME, 0 },
		{ "2026-11-26 21:31:55 -0130 " ID " Completed", PARSE_EVENTS,
		    LINE_TIME + 5400, 0 },
		{ "2026-11-26 21:31:55.000001 " ID " Completed", PARSE_EVENTS,
		    LINE_TIME, 1 },
		{ STAMP ID " Completed", PARSE_EVENTS, LINE_TIME, 0 },
		{ "2026-11-26 21:31:55 -01 " ID " Completed", PARSE_IGNORED,
		    0, 0 },
		{ STAMP "+0100", PARSE_IGNORED, 0, 0 },
		{ STAMP "+0100 " ID " Completed", PARSE_EVENTS,
		    LINE_TIME - 3600, 0 },
		{ "2026-11-26 21:31:56 " ID " Completed", PARSE_EVENTS,
		    LINE_TIME + 1, 0 },
		{ "2026-11-26 21:32:56 " ID " Completed", PARSE_EVENTS,
		    LINE_TIME + 61, 0 },
		{ "2026-11-27 21:32:56 " ID " Completed", PARSE_EVENTS,
		    LINE_TIME + 86461, 0 },
		{ "2026-02-30 21:32:56 " ID " Completed", PARSE_MALFORMED,
		    0, 0 },
		{ "2026-02-30 21:32:56 " ID " Completed", PARSE_MALFORMED,
		    0, 0 },
		{ "2026-02-30 21:32:56x " ID " Completed", PARSE_NOT_MINE,
		    0, 0 },
		{ "2026-02-28 21:32:56 " ID " Completed", PARSE_EVENTS,
		    INT64_C(1772314376), 0 },
		{ "2026-11-26 21:31:5", PARSE_NOT_MINE, 0, 0 },
		{ STAMP ID " Completed", PARSE_EVENTS, LINE_TIME, 0 },
		{ "2026-11-26 21:31:55.", PARSE_MALFORMED, 0, 0 },
		{ STAMP ID " Completed", PARSE_EVENTS, LINE_TIME, 0 },
	};
	struct exim_parser *ep = exim_parser_new();
	const struct mta_event *ev;
	size_t		 i;

	for (i = 0; i < sizeof(seq) / sizeof(seq[0]); i++) {
		ck_assert_msg(exim_feed_native(ep, seq[i].line,
		    strlen(seq[i].line), ZSTR_NULL, NULL, NULL) == seq[i].st,
		    "%s", seq[i].line);
		if (seq[i].st != PARSE_EVENTS)
			continue;
		ck_assert((ev = exim_next(ep)) != NULL);
		ck_assert_msg(ev->time_sec == seq[i].sec, "%s: %lld",
		    seq[i].line, (long long)ev->time_sec);
		ck_assert_uint_eq(ev->time_usec, seq[i].usec);
	}
	exim_parser_free(ep);
}
END_TEST

struct program_case {
	const char	*program;
	int		 exim;
};

static const struct program_case program_cases[] = {
	{ "exim", 1 },
	{ "exim4", 1 },
	{ "exim3", 1 },
	{ "exim4-daemon", 1 },
	{ "exim-heavy", 1 },
	{ "eximstats", 0 },
	{ "exim_tidydb", 0 },
	{ "exim-", 0 },
	{ "exim4-", 0 },
	{ "Exim", 0 },
	{ "xexim", 0 },
	{ "exi", 0 },
	{ "", 0 },
	{ "postfix/smtpd", 0 },
};

START_TEST(test_programs)
{
	const struct program_case *c = &program_cases[_i];

	ck_assert_msg(exim_is_program(zstr_make(c->program,
	    strlen(c->program))) == (c->exim != 0), "'%s'", c->program);
}
END_TEST

START_TEST(test_line_shapes)
{
	static const char *const native[] = {
		STAMP ID " Completed", "2026-11-26 21:31:55",
		"2026-11-26 21:31:55.123 x", "9999-99-99 99:99:99 x", NULL
	};
	static const char *const not_native[] = {
		"", "2026-11-26 21:31:5", "2026-11-26T21:31:55 x",
		"2026-11-26 21:31:55x", "2026/11/26 21:31:55 x",
		" 2026-11-26 21:31:55 x", "Nov 26 21:31:55 relay1 exim: x",
		NULL
	};
	static const char *const continuation[] = {
		" Suggested action", "\tx", "  \t x", NULL
	};
	static const char *const not_continuation[] = {
		"", " ", "\t \t", "x ", STAMP "x", NULL
	};
	size_t	i;

	for (i = 0; native[i] != NULL; i++)
		ck_assert_msg(exim_is_native_line(native[i],
		    strlen(native[i])), "'%s'", native[i]);
	for (i = 0; not_native[i] != NULL; i++)
		ck_assert_msg(!exim_is_native_line(not_native[i],
		    strlen(not_native[i])), "'%s'", not_native[i]);
	for (i = 0; continuation[i] != NULL; i++)
		ck_assert_msg(exim_is_continuation_line(continuation[i],
		    strlen(continuation[i])), "'%s'", continuation[i]);
	for (i = 0; not_continuation[i] != NULL; i++)
		ck_assert_msg(!exim_is_continuation_line(not_continuation[i],
		    strlen(not_continuation[i])), "'%s'", not_continuation[i]);
	ck_assert(!exim_is_native_line(NULL, 0));
	ck_assert(!exim_is_continuation_line(NULL, 0));
	/* a length excludes what follows */
	ck_assert(!exim_is_native_line(STAMP, 18));
}
END_TEST

struct stamp_case {
	const char	*line;
	int64_t		 sec;
	uint32_t	 usec;
	int64_t		 pid;
};

/* Stamps of the native framing, read in TZ=UTC. */
static const struct stamp_case stamp_cases[] = {
	{ STAMP ID " Completed", LINE_TIME, 0, -1 },
	{ "2026-11-26 21:31:55.345 " ID " Completed", LINE_TIME, 345000, -1 },
	{ "2026-11-26 21:31:55.123456789 " ID " Completed", LINE_TIME,
	    123456, -1 },
	{ "2026-11-26 22:31:55 +0100 " ID " Completed", LINE_TIME, 0, -1 },
	{ "2026-11-26 16:01:55 -0530 " ID " Completed", LINE_TIME, 0, -1 },
	{ "2026-11-26 21:31:55.5 +0000 [99] " ID " Completed", LINE_TIME,
	    500000, 99 },
	{ STAMP "[4321] " ID " Completed", LINE_TIME, 0, 4321 },
	{ "2028-02-29 00:00:00 " ID " Completed", INT64_C(1835395200), 0,
	    -1 },
	{ "1999-03-02 09:44:33 " OLD_ID " Completed", INT64_C(920367873), 0,
	    -1 },
};

START_TEST(test_stamps)
{
	const struct stamp_case *c = &stamp_cases[_i];
	struct exim_parser *ep = exim_parser_new();
	const struct mta_event *ev;
	int64_t		 sec;
	uint32_t	 usec;

	ck_assert_msg(exim_feed_native(ep, c->line, strlen(c->line),
	    ZSTR_NULL, NULL, NULL) == PARSE_EVENTS, "%s", c->line);
	ck_assert((ev = exim_next(ep)) != NULL);
	ck_assert_msg(ev->time_sec == c->sec, "%s: %lld", c->line,
	    (long long)ev->time_sec);
	ck_assert_uint_eq(ev->time_usec, c->usec);
	ck_assert_int_eq(ev->pid, c->pid);
	ck_assert(ev->host.ptr == NULL);
	ck_assert(exim_line_time(ep, &sec, &usec));
	ck_assert_int_eq(sec, c->sec);
	ck_assert_uint_eq(usec, c->usec);
	exim_parser_free(ep);
}
END_TEST

/* Local time: stamps without an offset follow TZ, hour by hour. */
START_TEST(test_local_time)
{
	static const struct stamp_case local[] = {
		/* CET in November, CEST in July */
		{ "2026-11-26 22:31:55 " ID " Completed", LINE_TIME, 0, -1 },
		{ "2026-11-26 22:59:59 " ID " Completed", LINE_TIME + 1684, 0,
		    -1 },
		{ "2026-07-01 12:00:00 " ID " Completed", INT64_C(1782900000),
		    0, -1 },
		{ "2026-11-26 22:31:55 " ID " Completed", LINE_TIME, 0, -1 },
		/* the first hour of summer time */
		{ "2026-03-29 03:30:00 " ID " Completed", INT64_C(1774747800),
		    0, -1 },
		/* an explicit offset is not local time */
		{ "2026-11-26 21:31:55 +0000 " ID " Completed", LINE_TIME, 0,
		    -1 },
	};
	struct exim_parser *ep = exim_parser_new();
	const struct mta_event *ev;
	size_t		 i;

	setenv("TZ", "CET-1CEST,M3.5.0,M10.5.0/3", 1);
	tzset();
	for (i = 0; i < sizeof(local) / sizeof(local[0]); i++) {
		ck_assert(exim_feed_native(ep, local[i].line,
		    strlen(local[i].line), ZSTR_NULL, NULL, NULL) ==
		    PARSE_EVENTS);
		ck_assert((ev = exim_next(ep)) != NULL);
		ck_assert_msg(ev->time_sec == local[i].sec, "%s: %lld",
		    local[i].line, (long long)ev->time_sec);
	}
	setenv("TZ", "UTC", 1);
	tzset();
	exim_parser_free(ep);
}
END_TEST

/*
 * The local time of a stamp is kept with it: a repeat has the time of
 * a fresh parser, also after the syslog framing read another stamp of
 * Exim's own, a line with an offset shared its bytes, or a stamp of
 * another hour came between.
 */
START_TEST(test_local_time_repeats)
{
	static const char *const lines[] = {
		"N2026-11-26 22:31:55 " ID " Completed",
		"N2026-11-26 22:31:55 " ID " Completed",
		"SNov 26 21:31:55 relay1 exim: 2026-07-01 12:00:00 " ID
		    " Completed",
		"N2026-11-26 22:31:55 " ID " Completed",
		"N2026-11-26 22:31:55 +0000 " ID " Completed",
		"N2026-11-26 22:31:55 " ID " Completed",
		"N2026-07-01 12:00:00 " ID " Completed",
		"N2026-11-26 22:31:55 " ID " Completed",
		"N2026-11-26 22:31:56 " ID " Completed",
		"SNov 26 21:31:55 relay1 exim: 2026-11-26 22:31:56 " ID
		    " Completed",
		"N2026-11-26 22:31:56 " ID " Completed",
		"N2026-03-29 03:30:00 " ID " Completed",
		"N2026-03-29 03:30:00 " ID " Completed",
	};
	struct syslog_parser *sp = syslog_parser_new(2026, 0);
	struct exim_parser *ep = exim_parser_new(), *fresh;
	struct syslog_header hdr;
	int64_t		 sec, want;
	uint32_t	 usec;
	size_t		 i, len;

	setenv("TZ", "CET-1CEST,M3.5.0,M10.5.0/3", 1);
	tzset();
	for (i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		const char	*line = lines[i] + 1;

		len = strlen(line);
		if (lines[i][0] == 'S') {
			ck_assert(syslog_parse(sp, line, len, &hdr) ==
			    SYSLOG_OK);
			ck_assert(exim_feed(ep, &hdr, NULL, NULL) ==
			    PARSE_EVENTS);
			continue;
		}
		fresh = exim_parser_new();
		ck_assert(exim_feed_native(fresh, line, len, ZSTR_NULL, NULL,
		    NULL) == PARSE_EVENTS);
		ck_assert(exim_line_time(fresh, &want, &usec));
		exim_parser_free(fresh);
		ck_assert(exim_feed_native(ep, line, len, ZSTR_NULL, NULL,
		    NULL) == PARSE_EVENTS);
		ck_assert(exim_line_time(ep, &sec, &usec));
		ck_assert_msg(sec == want, "line %zu: %lld, not %lld", i,
		    (long long)sec, (long long)want);
	}
	setenv("TZ", "UTC", 1);
	tzset();
	exim_parser_free(ep);
	syslog_parser_free(sp);
}
END_TEST

/*
 * A literal looked for in a reply (here the "have been failing for a
 * long time" that makes a bounce an expiry) is found at every offset
 * from the start to the end of the text, across the sixteen-byte
 * steps and the byte-wise rest, after false starts sharing its first
 * bytes; cut short by a byte at the end, or with a byte changed (in
 * the middle, or the last one with more text after it), it is not
 * found.
 */
START_TEST(test_reply_literal_offsets)
{
	static const char lit[] = "have been failing for a long time";
	static const char *const pads[] = { "x", "h", "ha", "hav" };
	struct exim_parser *ep = exim_parser_new();
	const struct mta_event *ev;
	char		 line[256], text[160];
	size_t		 pad, k, cut, len, n = sizeof(lit) - 1;
	int		 m;

	for (k = 0; k < sizeof(pads) / sizeof(pads[0]); k++) {
		for (pad = 0; pad < 40; pad++) {
			for (cut = 0; cut < 4; cut++) {
				text[0] = '\0';
				while (strlen(text) < pad)
					strcat(text, pads[k]);
				text[pad] = '\0';
				strcat(text, lit);
				len = strlen(text);
				if (cut == 1)
					text[--len] = '\0';
				else if (cut == 2)
					text[pad + n / 2] = 'X';
				else if (cut == 3) {
					text[pad + n - 1] = 'X';
					strcat(text, " since then");
					len = strlen(text);
				}
				m = snprintf(line, sizeof(line), STAMP ID
				    " ** x@example.org R=r T=t : %s", text);
				ck_assert(m > 0 && (size_t)m < sizeof(line));
				ck_assert(exim_feed_native(ep, line,
				    (size_t)m, ZSTR_NULL, NULL, NULL) ==
				    PARSE_EVENTS);
				ck_assert((ev = exim_next(ep)) != NULL);
				ck_assert_uint_eq(ev->response.len, len);
				ck_assert_msg(ev->status == (cut == 0 ?
				    DELIVERY_EXPIRED : DELIVERY_BOUNCED),
				    "pad %zu '%s' cut %zu", pad, pads[k],
				    cut);
			}
		}
	}
	exim_parser_free(ep);
}
END_TEST

/* The syslog framing: Exim's "[pid] " when the header has none. */
START_TEST(test_syslog_pid)
{
	static const char *const lines[] = {
		"Nov 26 21:31:55 relay1 exim: [777] " ID " Completed",
		"Nov 26 21:31:55 relay1 exim: " STAMP "[777] " ID " Completed",
		"Nov 26 21:31:55 relay1 exim[777]: [778] " ID " Completed",
	};
	struct syslog_parser *sp = syslog_parser_new(2026, 0);
	struct exim_parser *ep = exim_parser_new();
	struct syslog_header hdr;
	const struct mta_event *ev;
	int64_t		 sec;
	uint32_t	 usec;
	size_t		 i;

	for (i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		ck_assert(syslog_parse(sp, lines[i], strlen(lines[i]), &hdr) ==
		    SYSLOG_OK);
		ck_assert(exim_feed(ep, &hdr, NULL, NULL) == PARSE_EVENTS);
		ck_assert((ev = exim_next(ep)) != NULL);
		ck_assert_int_eq(ev->kind, EV_REMOVED);
		ck_assert_int_eq(ev->pid, 777);
		ck_assert(zstr_eq_cstr(ev->queue_id, ID));
		ck_assert(zstr_eq_cstr(ev->host, "relay1"));
		ck_assert_int_eq(ev->time_sec, LINE_TIME);
		/* the syslog framing leaves the time to the header */
		ck_assert(!exim_line_time(ep, &sec, &usec));
	}
	exim_parser_free(ep);
	syslog_parser_free(sp);
}
END_TEST

/*
 * The native "[pid] " of every digit count and several ends, against
 * a byte-by-byte reading: pids of up to seven digits take a word-wise
 * path, longer ones the byte loop.  A pid that is not read leaves the
 * "[...]" as text, which opens no message line.
 */
START_TEST(test_native_pid)
{
	static const char *const ends[] = {
		"] ", "]", "]x", "x] ", ":] ", "/] ", "\xff] ", "] ]", " ] ",
	};
	static const char digits[] = "9081726354";
	struct exim_parser *ep = exim_parser_new();
	const struct mta_event *ev;
	char		 line[128], run[32];
	size_t		 n, e, k, r;

	for (r = 0; r < 4; r++)
		for (n = 0; n <= 20; n++)
			for (e = 0; e < sizeof(ends) / sizeof(ends[0]); e++) {
				int64_t	want = 0;
				bool	ok;

				for (k = 0; k < n; k++) {
					/* all nines, a one and zeros, mixed */
					run[k] = r == 0 ? '9' : r == 1 ?
					    (k == 0 ? '1' : '0') : r == 2 ?
					    digits[(k * 3) % 10] :
					    (char)('0' + (k + n) % 10);
					if (k < 18)	/* no overflow */
						want = want * 10 +
						    (run[k] - '0');
				}
				run[n] = '\0';
				snprintf(line, sizeof(line), STAMP "[%s%s"
				    ID " Completed", run, ends[e]);
				ok = n >= 1 && n <= 18 && e == 0;
				ck_assert_int_eq(exim_feed_native(ep, line,
				    strlen(line), ZSTR_LIT(NATIVE_HOST), NULL,
				    NULL), ok ? PARSE_EVENTS : PARSE_IGNORED);
				if (!ok)
					continue;
				ck_assert((ev = exim_next(ep)) != NULL);
				ck_assert_int_eq(ev->kind, EV_REMOVED);
				ck_assert_int_eq(ev->pid, want);
			}
	exim_parser_free(ep);
}
END_TEST

/* Events are handed out once; any later line clears what is left. */
START_TEST(test_next_once)
{
	struct exim_parser *ep = exim_parser_new();
	struct syslog_header hdr;
	const struct mta_event *ev;
	const char	*arrival = N(ID " <= a@example.net U=a P=local S=1");
	const char	*ignored = N("Start queue run: pid=1");
	const char	*broken = N(ID " =>");
	int64_t		 sec;
	uint32_t	 usec;

	ck_assert(exim_next(ep) == NULL);
	ck_assert(exim_feed_native(ep, arrival, strlen(arrival), ZSTR_NULL,
	    NULL, NULL) == PARSE_EVENTS);
	ck_assert((ev = exim_next(ep)) != NULL);
	ck_assert_int_eq(ev->kind, EV_PICKUP);
	ck_assert((ev = exim_next(ep)) != NULL);
	ck_assert_int_eq(ev->kind, EV_QUEUED);
	ck_assert(exim_next(ep) == NULL);
	ck_assert(exim_next(ep) == NULL);
	/* unread events go with the next line, whatever it is */
	ck_assert(exim_feed_native(ep, arrival, strlen(arrival), ZSTR_NULL,
	    NULL, NULL) == PARSE_EVENTS);
	ck_assert(exim_feed_native(ep, ignored, strlen(ignored), ZSTR_NULL,
	    NULL, NULL) == PARSE_IGNORED);
	ck_assert(exim_next(ep) == NULL);
	ck_assert(exim_line_time(ep, &sec, &usec));
	ck_assert(exim_feed_native(ep, arrival, strlen(arrival), ZSTR_NULL,
	    NULL, NULL) == PARSE_EVENTS);
	ck_assert(exim_feed_native(ep, broken, strlen(broken), ZSTR_NULL,
	    NULL, NULL) == PARSE_MALFORMED);
	ck_assert(exim_next(ep) == NULL);
	ck_assert(exim_feed_native(ep, arrival, strlen(arrival), ZSTR_NULL,
	    NULL, NULL) == PARSE_EVENTS);
	memset(&hdr, 0, sizeof(hdr));
	hdr.program = ZSTR_LIT("postfix/smtpd");
	hdr.pid = -1;
	ck_assert(exim_feed(ep, &hdr, NULL, NULL) == PARSE_NOT_MINE);
	ck_assert(exim_next(ep) == NULL);
	/* a continuation has no time of its own */
	ck_assert(exim_feed_native(ep, " more", 5, ZSTR_NULL, NULL, NULL) ==
	    PARSE_IGNORED);
	ck_assert(!exim_line_time(ep, &sec, &usec));
	/* a header built by hand, without a message */
	hdr.program = ZSTR_LIT("exim");
	hdr.host = ZSTR_LIT("relay7");
	ck_assert(exim_feed(ep, &hdr, NULL, NULL) == PARSE_IGNORED);
	exim_parser_free(ep);
	exim_parser_free(NULL);
}
END_TEST

/* long_line - prefix, n copies of unit, suffix; caller frees */
static char *
long_line(const char *prefix, const char *unit, size_t n, const char *suffix,
    size_t *len)
{
	size_t	 pl = strlen(prefix), ul = strlen(unit);
	size_t	 sl = strlen(suffix);
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

START_TEST(test_long_fields)
{
	struct exim_parser *ep = exim_parser_new();
	const struct mta_event *ev;
	size_t		 len;
	char		*line;

	/* a 50 000-byte recipient survives whole */
	line = long_line(N(ID " => "), "x", 50000, "@example.org R=r "
	    "T=remote_smtp H=mx.example.org [192.0.2.1] C=\"250 ok\"", &len);
	ck_assert(exim_feed_native(ep, line, len, ZSTR_NULL, NULL, NULL) ==
	    PARSE_EVENTS);
	ck_assert((ev = exim_next(ep)) != NULL);
	ck_assert_uint_eq(ev->recipient.len, 50000 + 12);
	ck_assert(zstr_eq_cstr(ev->response, "250 ok"));
	free(line);
	/* a 50 000-byte subject is skipped, the list after it counted */
	line = long_line(N(ID " <= a@example.net U=a P=local S=5 T=\""),
	    "y\\\"", 20000, "\" for b@example.org c@example.org", &len);
	ck_assert(exim_feed_native(ep, line, len, ZSTR_NULL, NULL, NULL) ==
	    PARSE_EVENTS);
	ck_assert((ev = exim_next(ep)) != NULL);
	ck_assert((ev = exim_next(ep)) != NULL);
	ck_assert_int_eq(ev->kind, EV_QUEUED);
	ck_assert_uint_eq(ev->nrcpt, 2);
	free(line);
	/* a long escaped reply is unquoted in the parser's buffer */
	line = long_line(N(ID " => a@example.org R=r T=t H=h [192.0.2.1] "
	    "C=\""), "\\\"", 30000, "\"", &len);
	ck_assert(exim_feed_native(ep, line, len, ZSTR_NULL, NULL, NULL) ==
	    PARSE_EVENTS);
	ck_assert((ev = exim_next(ep)) != NULL);
	ck_assert_uint_eq(ev->response.len, 30000);
	ck_assert(ev->response.ptr[0] == '"' && ev->response.ptr[29999] == '"');
	free(line);
	/* unterminated brackets are malformed */
	line = long_line(N(ID " => a@example.org F=<"), "z", 50000, "", &len);
	ck_assert(exim_feed_native(ep, line, len, ZSTR_NULL, NULL, NULL) ==
	    PARSE_MALFORMED);
	free(line);
	line = long_line(N("H=("), "w", 50000, " [192.0.2.1] rejected RCPT <a>",
	    &len);
	ck_assert(exim_feed_native(ep, line, len, ZSTR_NULL, NULL, NULL) ==
	    PARSE_MALFORMED);
	free(line);
	exim_parser_free(ep);
}
END_TEST

/* Lines made of many fake fields must still parse in linear time. */
START_TEST(test_hostile_linear)
{
	static const char *const units[] = {
		" H=(", ") [", " H=x [1", "\\\"", "\" ", " <", "> ", " R=",
		" : ", ": ", " (set_id=", "): ", " defer (", " H=(a) [b]",
		"(", ")", " for", " T=\"", " F=<a", NULL
	};
	static const char *const prefixes[] = {
		N(ID " <= a@example.net "),
		N(ID " => "),
		N(ID " ** a@example.org "),
		N(ID " == a@example.org R=r T=t defer (1): "),
		N(ID " == a@example.org R=r T=t defer (-44) H=x [1.2.3.4]: "),
		N("H=(x) [192.0.2.1] F=<a@example.net> rejected RCPT <"),
		N("H=("),
		N("rejected from <"),
		N("x authenticator failed for (x) [192.0.2.1]: 435 y "
		    "(set_id="),
		N("x authenticator failed for "),
		N(ID " "),
		NULL
	};
	struct exim_parser *ep = exim_parser_new();
	const struct mta_event *ev;
	size_t		 len, u, q;
	clock_t		 start = clock();
	char		*line;

	for (q = 0; prefixes[q] != NULL; q++) {
		for (u = 0; units[u] != NULL; u++) {
			line = long_line(prefixes[q], units[u],
			    60000 / strlen(units[u]), "", &len);
			(void)exim_feed_native(ep, line, len, ZSTR_NULL, NULL,
			    NULL);
			while ((ev = exim_next(ep)) != NULL)
				continue;
			free(line);
		}
	}
	/* 209 lines of 60 KB: far below a second unless quadratic */
	ck_assert_msg((double)(clock() - start) / CLOCKS_PER_SEC < 5.0,
	    "hostile lines took %.1f s",
	    (double)(clock() - start) / CLOCKS_PER_SEC);
	exim_parser_free(ep);
}
END_TEST

/* xorshift - the next pseudo-random number */
static uint64_t
xorshift(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/*
 * Damaged copies of valid lines (bytes replaced, cut short) must never
 * crash or read outside the line; run under the sanitizers.
 */
START_TEST(test_mutations)
{
	static const char alphabet[] = "<>[]():; =\"\\*-/x0Hz.\t";
	struct syslog_parser *sp = syslog_parser_new(2026, 0);
	struct exim_parser *ep = exim_parser_new();
	struct syslog_header hdr;
	const struct mta_event *ev;
	uint64_t	 rng = 0x9e3779b97f4a7c15ULL;
	size_t		 i, len, k, cut;
	int		 round;
	char		*line, *copy, *exact;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (cases[i].framing == NATIVE) {
			len = strlen(cases[i].text);
			line = xmemdup0(cases[i].text, len);
		} else
			line = make_syslog_line(cases[i].program,
			    cases[i].text, &len);
		for (round = 0; round < 60 && len > 0; round++) {
			copy = xmemdup0(line, len);
			for (k = 0; k < 3; k++) {
				xorshift(&rng);
				copy[rng % len] = alphabet[(rng >> 32) %
				    (sizeof(alphabet) - 1)];
			}
			cut = round % 2 ? len : (size_t)(xorshift(&rng) %
			    (len + 1));
			/* an exact-size heap copy: ASan sees any overread */
			exact = xmalloc(cut == 0 ? 1 : cut);
			memcpy(exact, copy, cut);
			if (cases[i].framing == NATIVE) {
				if (exim_feed_native(ep, exact, cut,
				    ZSTR_NULL, NULL, NULL) == PARSE_EVENTS)
					ck_assert((ev = exim_next(ep)) != NULL);
			} else if (syslog_parse(sp, exact, cut, &hdr) ==
			    SYSLOG_OK && exim_feed(ep, &hdr, NULL, NULL) ==
			    PARSE_EVENTS)
				ck_assert((ev = exim_next(ep)) != NULL);
			while ((ev = exim_next(ep)) != NULL)
				ck_assert(ev->kind < EV_KIND_COUNT);
			free(exact);
			free(copy);
		}
		free(line);
	}
	exim_parser_free(ep);
	syslog_parser_free(sp);
}
END_TEST

/*
 * The shared corpus.  Each line goes the way source.c is to send it:
 * a syslog header whose program is Exim's gets exim_feed(); else a
 * main log stamp (or, after one, an indented continuation) gets
 * exim_feed_native(); else a line with some other syslog header is
 * another program's, and one without is MALFORMED_HEADER.
 */

/* Lines examined and found broken at the source, not by the parser. */
struct known_broken {
	const char	*file;
	const char	*line_prefix;
	enum malformed_reason reason;
	const char	*why;
};

static const struct known_broken known_broken[] = {
	{ "fail2ban.log", "mail.example.com exim[3751842]: 2021-07-17 ",
	    MALFORMED_HEADER, "a syslog line whose time stamp the fixture "
	    "cut off: it opens with the host" },
};

#define KNOWN_BROKEN	(sizeof(known_broken) / sizeof(known_broken[0]))

enum outcome {
	OUT_EVENTS,
	OUT_IGNORED,
	OUT_OTHER,
	OUT_MALFORMED,
	OUT_COUNT
};

struct corpus_counts {
	uint64_t	 lines;
	uint64_t	 outcome[OUT_COUNT];
	uint64_t	 ignored[IGNORE_REASON_COUNT];
	uint64_t	 malformed[MALFORMED_REASON_COUNT];
	uint64_t	 events[EV_KIND_COUNT];
	uint64_t	 native;
	uint64_t	 syslog;
};

/* corpus_dir - $ZS_CORPUS_DIR/exim, else $top_srcdir/../shared/corpus/exim */
static char *
corpus_dir(void)
{
	const char	*env = getenv("ZS_CORPUS_DIR");
	const char	*top = getenv("top_srcdir");
	char		 buf[4096];

	if (env != NULL && *env != '\0')
		snprintf(buf, sizeof(buf), "%s/exim", env);
	else
		snprintf(buf, sizeof(buf), "%s/../shared/corpus/exim",
		    top != NULL && *top != '\0' ? top : ".");
	return xstrdup(buf);
}

/* spot - events of kind whose field has value, in one file */
struct spot {
	const char	*file;
	enum event_kind	 kind;
	const char	*field;		/* "helo", ...; NULL: any */
	const char	*value;
	uint64_t	 count;
	uint64_t	 found;
};

/*
 * Counted in the corpus files with grep: "authenticator failed" lines,
 * "set_id=" values, "<=" lines with their A= and id= fields, and so on.
 */
static struct spot spots[] = {
	{ "crowdsec-hub.log", EV_AUTH_FAILED, NULL, NULL, 16, 0 },
	{ "crowdsec-hub.log", EV_AUTH_FAILED, "sasl_username",
	    "info@test.com", 3, 0 },
	{ "crowdsec-hub.log", EV_REJECT, "stage", "RCPT", 11, 0 },
	{ "crowdsec-hub.log", EV_REJECT, "stage", "CONNECT", 4, 0 },
	{ "crowdsec-hub.log", EV_REJECT, "client_ip", "1.136.28.14", 2, 0 },
	{ "logstash-patterns-core.log", EV_CLIENT, "sasl_username",
	    "aaron@domain.com", 1, 0 },
	{ "logstash-patterns-core.log", EV_CLIENT, "helo", "10.5.40.204", 1,
	    0 },
	{ "logstash-patterns-core.log", EV_PICKUP, "sender",
	    "example@strawberry.active-ns.com", 1, 0 },
	{ "logstash-patterns-core.log", EV_MESSAGE_ID, NULL, NULL, 4, 0 },
	{ "logstash-patterns-core.log", EV_DELIVERY, "recipient",
	    "admin@example.net", 1, 0 },
	/* 12 lines, one of them the known broken one */
	{ "fail2ban.log", EV_AUTH_FAILED, NULL, NULL, 11, 0 },
	{ "fail2ban.log", EV_REJECT, "stage", "END-OF-MESSAGE", 3, 0 },
	{ "wazuh.log", EV_AUTH_FAILED, "client_ip", "::1", 1, 0 },
	/* 648 "Completed", and 55 refusals that throw a message away */
	{ "exim-testsuite.log", EV_REMOVED, NULL, NULL, 703, 0 },
	{ "exim-testsuite.log", EV_BOUNCE_NOTICE, NULL, NULL, 66, 0 },
	/* 49 lines, less 7 written by event actions ("custom-message:",
	   "NAME authenticator failed H=" without "for") */
	{ "exim-testsuite.log", EV_AUTH_FAILED, NULL, NULL, 42, 0 },
	{ "exim-testsuite.log", EV_DELIVERY, "recipient",
	    "rmt_reject@test.ex", 2, 0 },
	/* its nine "=> blackhole" lines are discards, no deliveries */
	{ "exim-testsuite.log", EV_DELIVERY, "recipient", "blackhole", 0,
	    0 },
	{ "exim-testsuite.log", EV_DELIVERY, "recipient",
	    "blackhole *this is a blackhole message*", 0, 0 },
};

#define SPOTS	(sizeof(spots) / sizeof(spots[0]))

/* event_field - an event's string field by name */
static struct zstr
event_field(const struct mta_event *ev, const char *name)
{
	if (strcmp(name, "sasl_username") == 0)
		return ev->sasl_username;
	if (strcmp(name, "helo") == 0)
		return ev->helo;
	if (strcmp(name, "sender") == 0)
		return ev->sender;
	if (strcmp(name, "recipient") == 0)
		return ev->recipient;
	if (strcmp(name, "stage") == 0)
		return ev->stage;
	if (strcmp(name, "client_ip") == 0)
		return ev->client_ip;
	return ZSTR_NULL;
}

/* count_spots - credit ev to the spot checks of its file */
static void
count_spots(const char *file, const struct mta_event *ev)
{
	size_t	i;

	for (i = 0; i < SPOTS; i++) {
		if (strcmp(spots[i].file, file) != 0 ||
		    spots[i].kind != ev->kind)
			continue;
		if (spots[i].field == NULL ||
		    zstr_eq_cstr(event_field(ev, spots[i].field),
		    spots[i].value))
			spots[i].found++;
	}
}

/* corpus_file - read one file through the parser; its counts */
static void
corpus_file(const char *dir, const char *name, struct corpus_counts *cc,
    size_t *broken_seen)
{
	struct syslog_parser *sp = syslog_parser_new(2026, 0);
	struct exim_parser *ep = exim_parser_new();
	struct syslog_header hdr;
	const struct mta_event *ev;
	enum ignore_reason ig;
	enum malformed_reason mr;
	enum parse_status st;
	char		 path[4096], *line = NULL;
	size_t		 cap = 0, len, k;
	ssize_t		 n;
	bool		 after_native = false, known;
	FILE		*f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "r");
	ck_assert_msg(f != NULL, "cannot open %s", path);
	memset(cc, 0, sizeof(*cc));
	while ((n = getline(&line, &cap, f)) != -1) {
		len = (size_t)n;
		if (len > 0 && line[len - 1] == '\n')
			line[--len] = '\0';
		cc->lines++;
		ig = IGNORE_REASON_COUNT;
		mr = MALFORMED_REASON_COUNT;
		if (syslog_parse(sp, line, len, &hdr) == SYSLOG_OK &&
		    exim_is_program(hdr.program)) {
			st = exim_feed(ep, &hdr, &ig, &mr);
			cc->syslog++;
			after_native = false;
		} else if (exim_is_native_line(line, len) || (after_native &&
		    exim_is_continuation_line(line, len))) {
			st = exim_feed_native(ep, line, len,
			    ZSTR_LIT(NATIVE_HOST), &ig, &mr);
			cc->native++;
			after_native = true;
		} else if (syslog_parse(sp, line, len, &hdr) == SYSLOG_OK) {
			st = PARSE_NOT_MINE;
			after_native = false;
		} else {
			st = PARSE_MALFORMED;
			mr = MALFORMED_HEADER;
		}
		switch (st) {
		case PARSE_EVENTS:
			cc->outcome[OUT_EVENTS]++;
			while ((ev = exim_next(ep)) != NULL) {
				cc->events[ev->kind]++;
				count_spots(name, ev);
			}
			break;
		case PARSE_IGNORED:
			cc->outcome[OUT_IGNORED]++;
			ck_assert((unsigned)ig < IGNORE_REASON_COUNT);
			cc->ignored[ig]++;
			break;
		case PARSE_NOT_MINE:
			cc->outcome[OUT_OTHER]++;
			break;
		case PARSE_MALFORMED:
			cc->outcome[OUT_MALFORMED]++;
			ck_assert((unsigned)mr < MALFORMED_REASON_COUNT);
			cc->malformed[mr]++;
			for (k = 0, known = false; k < KNOWN_BROKEN; k++) {
				if (strcmp(known_broken[k].file, name) == 0 &&
				    strncmp(line, known_broken[k].line_prefix,
				    strlen(known_broken[k].line_prefix)) == 0 &&
				    known_broken[k].reason == mr) {
					known = true;
					broken_seen[k]++;
				}
			}
			ck_assert_msg(known, "%s: malformed (%s): %.200s", name,
			    malformed_reason_name(mr), line);
			break;
		}
	}
	free(line);
	fclose(f);
	exim_parser_free(ep);
	syslog_parser_free(sp);
}

/* print_counts - one file's outcome counts */
static void
print_counts(const char *name, const struct corpus_counts *cc)
{
	size_t	i;

	printf("exim/%s: %llu lines (%llu native, %llu syslog): %llu with "
	    "events, %llu ignored, %llu other, %llu malformed\n", name,
	    (unsigned long long)cc->lines, (unsigned long long)cc->native,
	    (unsigned long long)cc->syslog,
	    (unsigned long long)cc->outcome[OUT_EVENTS],
	    (unsigned long long)cc->outcome[OUT_IGNORED],
	    (unsigned long long)cc->outcome[OUT_OTHER],
	    (unsigned long long)cc->outcome[OUT_MALFORMED]);
	for (i = 0; i < IGNORE_REASON_COUNT; i++)
		if (cc->ignored[i] > 0)
			printf("    ignored %-14s %llu\n",
			    ignore_reason_name(i),
			    (unsigned long long)cc->ignored[i]);
	for (i = 0; i < MALFORMED_REASON_COUNT; i++)
		if (cc->malformed[i] > 0)
			printf("    malformed %-12s %llu\n",
			    malformed_reason_name(i),
			    (unsigned long long)cc->malformed[i]);
	for (i = 0; i < EV_KIND_COUNT; i++)
		if (cc->events[i] > 0)
			printf("    event %-16s %llu\n", event_kind_name(i),
			    (unsigned long long)cc->events[i]);
}

START_TEST(test_corpus)
{
	char		*dir = corpus_dir();
	struct corpus_counts cc;
	struct dirent	*de;
	size_t		 broken_seen[KNOWN_BROKEN] = { 0 }, i, files = 0;
	uint64_t	 lines = 0;
	DIR		*d;

	d = opendir(dir);
	ck_assert_msg(d != NULL, "cannot open %s", dir);
	while ((de = readdir(d)) != NULL) {
		size_t	n = strlen(de->d_name);

		if (n < 5 || strcmp(de->d_name + n - 4, ".log") != 0)
			continue;
		corpus_file(dir, de->d_name, &cc, broken_seen);
		print_counts(de->d_name, &cc);
		lines += cc.lines;
		files++;
	}
	closedir(d);
	ck_assert_msg(files > 0 && lines > 0, "no corpus files in %s", dir);
	/* every known broken line is still there: the list does not rot */
	for (i = 0; i < KNOWN_BROKEN; i++)
		ck_assert_msg(broken_seen[i] == 1, "%s: known broken line "
		    "seen %zu times (%s)", known_broken[i].file, broken_seen[i],
		    known_broken[i].why);
	for (i = 0; i < SPOTS; i++)
		ck_assert_msg(spots[i].found == spots[i].count,
		    "%s: %s %s=%s: %llu, want %llu", spots[i].file,
		    event_kind_name(spots[i].kind),
		    spots[i].field != NULL ? spots[i].field : "*",
		    spots[i].value != NULL ? spots[i].value : "*",
		    (unsigned long long)spots[i].found,
		    (unsigned long long)spots[i].count);
	free(dir);
}
END_TEST

/* have_corpus - whether the corpus folder is there */
static bool
have_corpus(void)
{
	char		*dir = corpus_dir();
	struct stat	 st;
	bool		 ok = stat(dir, &st) == 0 && S_ISDIR(st.st_mode);

	if (!ok)
		printf("check_exim: %s not found, corpus test skipped\n", dir);
	free(dir);
	return ok;
}

/* exim_suite - all Exim parser tests */
static Suite *
exim_suite(void)
{
	Suite	*s = suite_create("exim");
	TCase	*tc = tcase_create("exim");

	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_cases, 0,
	    (int)(sizeof(cases) / sizeof(cases[0])));
	tcase_add_loop_test(tc, test_message_ids, 0,
	    (int)(sizeof(id_cases) / sizeof(id_cases[0])));
	tcase_add_test(tc, test_message_id_edges);
	tcase_add_test(tc, test_message_id_reference);
	tcase_add_test(tc, test_stamp_shape_reference);
	tcase_add_test(tc, test_stamp_sequence);
	tcase_add_test(tc, test_reply_literal_offsets);
	tcase_add_loop_test(tc, test_programs, 0,
	    (int)(sizeof(program_cases) / sizeof(program_cases[0])));
	tcase_add_test(tc, test_line_shapes);
	tcase_add_loop_test(tc, test_stamps, 0,
	    (int)(sizeof(stamp_cases) / sizeof(stamp_cases[0])));
	tcase_add_test(tc, test_local_time);
	tcase_add_test(tc, test_local_time_repeats);
	tcase_add_test(tc, test_syslog_pid);
	tcase_add_test(tc, test_native_pid);
	tcase_add_test(tc, test_next_once);
	tcase_add_test(tc, test_long_fields);
	tcase_add_test(tc, test_hostile_linear);
	tcase_add_test(tc, test_mutations);
	suite_add_tcase(s, tc);
	if (have_corpus()) {
		tc = tcase_create("corpus");
		tcase_set_timeout(tc, 120);
		tcase_add_test(tc, test_corpus);
		suite_add_tcase(s, tc);
	}
	return s;
}

int
main(void)
{
	setenv("TZ", "UTC", 1);
	tzset();
	return run_suite(exim_suite());
}
