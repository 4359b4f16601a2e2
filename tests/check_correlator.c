/*
 * check_correlator - unit tests for analysis/correlator: joining
 * Postfix- and Sendmail-style events into message records, sessions,
 * refusals, eviction and address canonicalisation.  Events are built
 * by hand.
 */
#include "config.h"

#include <arpa/inet.h>
#include <check.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "analysis/correlator.h"
#include "analysis/message.h"
#include "parsers/event.h"
#include "util/xalloc.h"
#include "util/zstr.h"
#include "tests/testutil.h"

/* Past the correlator's orphan window (60 s of log time). */
#define ORPHAN_TEST_GAP		1000

/* Z - borrow a C string as an event field (NULL: unset) */
static struct zstr
Z(const char *s)
{
	return s != NULL ? zstr_make(s, strlen(s)) : ZSTR_NULL;
}

/* mk - an event of a kind with its common fields */
static struct mta_event
mk(enum event_kind kind, int64_t t, const char *host, int64_t pid,
    const char *qid)
{
	struct mta_event ev;

	event_init(&ev);
	ev.kind = kind;
	ev.time_sec = t;
	ev.host = Z(host);
	ev.pid = pid;
	ev.queue_id = Z(qid);
	return ev;
}

/* feed_client - smtpd "client=" line */
static void
feed_client(struct correlator *c, int64_t t, const char *host, int64_t pid,
    const char *qid, const char *ip, const char *user)
{
	struct mta_event ev = mk(EV_CLIENT, t, host, pid, qid);

	ev.program = ZSTR_LIT("postfix/submission/smtpd");
	ev.client_ip = Z(ip);
	ev.client_name = ZSTR_LIT("unknown");
	if (user != NULL) {
		ev.sasl_method = ZSTR_LIT("PLAIN");
		ev.sasl_username = Z(user);
	}
	correlator_feed(c, &ev);
}

/* feed_simple - an event that carries only its queue ID */
static void
feed_simple(struct correlator *c, enum event_kind kind, int64_t t,
    const char *host, const char *qid)
{
	struct mta_event ev = mk(kind, t, host, 9, qid);

	correlator_feed(c, &ev);
}

/* feed_queued - qmgr "from=<...>, size=, nrcpt=" */
static void
feed_queued(struct correlator *c, int64_t t, const char *host,
    const char *qid, const char *sender, uint64_t nrcpt)
{
	struct mta_event ev = mk(EV_QUEUED, t, host, 20, qid);

	ev.sender = Z(sender);
	ev.size_bytes = 1000;
	ev.nrcpt = nrcpt;
	correlator_feed(c, &ev);
}

/* feed_delivery - a delivery agent's "to=<...>, status=" line */
static void
feed_delivery(struct correlator *c, int64_t t, const char *host,
    const char *qid, const char *rcpt, enum delivery_status status,
    const char *dsn, const char *response)
{
	struct mta_event ev = mk(EV_DELIVERY, t, host, 30, qid);

	ev.recipient = Z(rcpt);
	ev.transport = ZSTR_LIT("smtp");
	ev.relay = ZSTR_LIT("mx.example.net[203.0.113.5]:25");
	ev.status = status;
	ev.dsn = Z(dsn);
	ev.response = Z(response);
	correlator_feed(c, &ev);
}

/* feed_session - smtpd "connect from" or "disconnect from" */
static void
feed_session(struct correlator *c, enum event_kind kind, int64_t t,
    const char *host, int64_t pid, const char *ip)
{
	struct mta_event ev = mk(kind, t, host, pid, NULL);

	ev.client_ip = Z(ip);
	ev.client_name = ZSTR_LIT("unknown");
	correlator_feed(c, &ev);
}

/* feed_noqueue - "NOQUEUE: reject: RCPT from ..." */
static void
feed_noqueue(struct correlator *c, int64_t t, const char *host, int64_t pid,
    const char *ip)
{
	struct mta_event ev = mk(EV_REJECT, t, host, pid, NULL);

	ev.program = ZSTR_LIT("postfix/smtpd");
	ev.reject_origin = REJECT_SMTPD;
	ev.stage = ZSTR_LIT("RCPT");
	ev.client_ip = Z(ip);
	ev.client_name = ZSTR_LIT("dsl-7.example.com");
	ev.helo = ZSTR_LIT("pc7");
	ev.sender = ZSTR_LIT("alice@example.org");
	ev.recipient = ZSTR_LIT("victim@example.com");
	ev.dsn = ZSTR_LIT("5.7.1");
	ev.response = ZSTR_LIT("554 5.7.1 <victim@example.com>: Relay access "
	    "denied");
	correlator_feed(c, &ev);
}

/* count_ready - drain, counting records and the incomplete ones */
static size_t
count_ready(struct correlator *c, size_t *incomplete)
{
	const struct message *m;
	size_t		 n = 0;

	if (incomplete != NULL)
		*incomplete = 0;
	while ((m = correlator_next(c)) != NULL) {
		n++;
		if (incomplete != NULL && !m->is_complete)
			(*incomplete)++;
	}
	return n;
}

/* feed_handover - a delivery accepted by a content filter at relay,
   whose answer names the re-injected copy's queue ID */
static void
feed_handover(struct correlator *c, int64_t t, const char *host,
    const char *qid, const char *rcpt, const char *relay, const char *copy)
{
	struct mta_event ev = mk(EV_DELIVERY, t, host, 31, qid);
	char	resp[128];

	snprintf(resp, sizeof(resp), "250 2.0.0 from MTA(smtp:[127.0.0.1]:"
	    "10025): 250 2.0.0 Ok: queued as %s", copy);
	ev.mta = MTA_POSTFIX;
	ev.recipient = Z(rcpt);
	ev.transport = ZSTR_LIT("smtp-amavis");
	ev.relay = Z(relay);
	ev.status = DELIVERY_SENT;
	ev.dsn = ZSTR_LIT("2.0.0");
	ev.response = Z(resp);
	ev.related_queue_id = Z(copy);
	correlator_feed(c, &ev);
}

#define FILTER_RELAY	"127.0.0.1[127.0.0.1]:10024"

/*
 * filter_pair - alice's message P (two recipients) through a content
 * filter, which hands it back as C from 127.0.0.1; P is removed after
 * the hand-over unless removed_late, then C's outcomes are logged.
 * Nothing is removed of C.
 */
static void
filter_pair(struct correlator *c, const char *p, const char *ch)
{
	feed_client(c, 100, "relay1", 1, p, "198.51.100.7", "alice");
	feed_queued(c, 101, "relay1", p, "alice@isp.example", 2);
	feed_client(c, 102, "relay1", 2, ch, "127.0.0.1", NULL);
	feed_queued(c, 102, "relay1", ch, "alice@isp.example", 2);
	feed_handover(c, 103, "relay1", p, "bob@remote.example",
	    FILTER_RELAY, ch);
	feed_handover(c, 103, "relay1", p, "carol@remote.example",
	    FILTER_RELAY, ch);
}

/* check_joined - the one record of filter_pair() after C's outcomes */
static void
check_joined(const struct message *m, const char *p, const char *ch)
{
	ck_assert_ptr_nonnull(m);
	ck_assert_str_eq(m->queue_id, p);
	ck_assert_str_eq(m->sasl_username, "alice");
	ck_assert_str_eq(m->client_ip, "198.51.100.7");
	ck_assert_uint_eq(m->recipient_count, 2);
	ck_assert_str_eq(m->recipients[0].address, "bob@remote.example");
	ck_assert_int_eq(m->recipients[0].status, DELIVERY_BOUNCED);
	ck_assert_str_eq(m->recipients[0].dsn, "5.7.1");
	ck_assert_str_eq(m->recipients[0].response, "550 5.7.1 spam");
	ck_assert_str_eq(m->recipients[0].transport, "smtp");
	ck_assert_str_eq(m->recipients[1].address, "carol@remote.example");
	ck_assert_int_eq(m->recipients[1].status, DELIVERY_SENT);
	ck_assert_str_eq(m->recipients[1].response, "250 ok");
	/* Both outcomes were logged under the copy's ID. */
	ck_assert_str_eq(m->recipients[0].queue_id, ch);
	ck_assert_str_eq(m->recipients[1].queue_id, ch);
	ck_assert_uint_eq(m->joined_count, 1);
	ck_assert_str_eq(m->joined[0].queue_id, ch);
}

/* copy_outcomes - what the remote servers said to C */
static void
copy_outcomes(struct correlator *c, const char *ch)
{
	feed_delivery(c, 104, "relay1", ch, "bob@remote.example",
	    DELIVERY_BOUNCED, "5.7.1", "550 5.7.1 spam");
	feed_delivery(c, 105, "relay1", ch, "carol@remote.example",
	    DELIVERY_SENT, "2.0.0", "250 ok");
}

START_TEST(test_filter_join)
{
	struct correlator *c = correlator_new(NULL);
	const struct message *m;

	filter_pair(c, "1A2B3C", "4D5E6F");
	feed_simple(c, EV_REMOVED, 103, "relay1", "1A2B3C");
	/* P waits for its copy. */
	ck_assert_ptr_null(correlator_next(c));
	copy_outcomes(c, "4D5E6F");
	ck_assert_ptr_null(correlator_next(c));
	feed_simple(c, EV_REMOVED, 106, "relay1", "4D5E6F");
	m = correlator_next(c);
	check_joined(m, "1A2B3C", "4D5E6F");
	ck_assert(m->is_complete);
	ck_assert(m->joined[0].is_complete);
	ck_assert_int_eq(m->first_sec, 100);
	ck_assert_int_eq(m->last_sec, 106);
	ck_assert_ptr_null(correlator_next(c));
	ck_assert_uint_eq(correlator_open_count(c), 0);
	ck_assert_uint_eq(correlator_stats(c)->messages_complete, 1);
	ck_assert_uint_eq(correlator_stats(c)->messages_joined, 1);
	correlator_finish(c);
	ck_assert_ptr_null(correlator_next(c));
	correlator_free(c);
}
END_TEST

START_TEST(test_filter_copy_done_first)
{
	struct correlator *c = correlator_new(NULL);

	filter_pair(c, "1A2B3C", "4D5E6F");
	copy_outcomes(c, "4D5E6F");
	feed_simple(c, EV_REMOVED, 106, "relay1", "4D5E6F");
	ck_assert_ptr_null(correlator_next(c));
	feed_simple(c, EV_REMOVED, 107, "relay1", "1A2B3C");
	check_joined(correlator_next(c), "1A2B3C", "4D5E6F");
	ck_assert_ptr_null(correlator_next(c));
	correlator_free(c);
}
END_TEST

START_TEST(test_filter_end_of_input)
{
	struct correlator *c = correlator_new(NULL);
	const struct message *m;

	/* P removed, C still waiting for carol at the end: one record,
	   incomplete by its copy. */
	filter_pair(c, "1A2B3C", "4D5E6F");
	feed_simple(c, EV_REMOVED, 103, "relay1", "1A2B3C");
	feed_delivery(c, 104, "relay1", "4D5E6F", "bob@remote.example",
	    DELIVERY_BOUNCED, "5.7.1", "550 5.7.1 spam");
	correlator_finish(c);
	m = correlator_next(c);
	ck_assert_ptr_nonnull(m);
	ck_assert_str_eq(m->queue_id, "1A2B3C");
	ck_assert_int_eq(m->recipients[0].status, DELIVERY_BOUNCED);
	/* carol: still the hand-over to the filter */
	ck_assert_int_eq(m->recipients[1].status, DELIVERY_SENT);
	ck_assert_str_eq(m->recipients[1].transport, "smtp-amavis");
	ck_assert(!m->is_complete);
	ck_assert_uint_eq(m->joined_count, 1);
	ck_assert(!m->joined[0].is_complete);
	ck_assert_ptr_null(correlator_next(c));
	/* P was removed; its copy is counted as joined, not as a message
	   of its own. */
	ck_assert_uint_eq(correlator_stats(c)->messages_complete, 1);
	ck_assert_uint_eq(correlator_stats(c)->messages_incomplete, 0);
	ck_assert_uint_eq(correlator_stats(c)->messages_joined, 1);
	correlator_free(c);
}
END_TEST

START_TEST(test_filter_evicted_copy)
{
	struct correlator_options o = { .max_open = 2 };
	struct correlator *c = correlator_new(&o);
	const struct message *m;

	/* A third message pushes the oldest out: the copy, never P. */
	filter_pair(c, "1A2B3C", "4D5E6F");
	feed_client(c, 110, "relay1", 3, "7A8B9C", "198.51.100.8", "dave");
	m = correlator_next(c);
	ck_assert_ptr_null(m);
	ck_assert_uint_eq(correlator_open_count(c), 2);
	feed_simple(c, EV_REMOVED, 111, "relay1", "1A2B3C");
	m = correlator_next(c);
	ck_assert_ptr_nonnull(m);
	ck_assert_str_eq(m->queue_id, "1A2B3C");
	ck_assert_uint_eq(m->joined_count, 1);
	ck_assert(!m->is_complete);
	ck_assert_ptr_null(correlator_next(c));
	correlator_free(c);
}
END_TEST

START_TEST(test_filter_two_copies)
{
	struct correlator *c = correlator_new(NULL);
	const struct message *m;

	/* One copy per recipient (a filter splitting by policy). */
	feed_client(c, 100, "relay1", 1, "1A2B3C", "198.51.100.7", "alice");
	feed_client(c, 102, "relay1", 2, "4D5E6F", "127.0.0.1", NULL);
	feed_client(c, 102, "relay1", 2, "7A8B9C", "127.0.0.1", NULL);
	feed_handover(c, 103, "relay1", "1A2B3C", "bob@remote.example",
	    FILTER_RELAY, "4D5E6F");
	feed_handover(c, 103, "relay1", "1A2B3C", "carol@remote.example",
	    FILTER_RELAY, "7A8B9C");
	feed_simple(c, EV_REMOVED, 103, "relay1", "1A2B3C");
	feed_delivery(c, 104, "relay1", "4D5E6F", "bob@remote.example",
	    DELIVERY_BOUNCED, "5.7.1", "550 5.7.1 spam");
	feed_simple(c, EV_REMOVED, 104, "relay1", "4D5E6F");
	ck_assert_ptr_null(correlator_next(c));
	feed_delivery(c, 105, "relay1", "7A8B9C", "carol@remote.example",
	    DELIVERY_SENT, "2.0.0", "250 ok");
	feed_simple(c, EV_REMOVED, 105, "relay1", "7A8B9C");
	m = correlator_next(c);
	ck_assert_ptr_nonnull(m);
	ck_assert_str_eq(m->sasl_username, "alice");
	ck_assert_uint_eq(m->recipient_count, 2);
	ck_assert_int_eq(m->recipients[0].status, DELIVERY_BOUNCED);
	ck_assert_int_eq(m->recipients[1].status, DELIVERY_SENT);
	ck_assert_str_eq(m->recipients[1].response, "250 ok");
	ck_assert_uint_eq(m->joined_count, 2);
	ck_assert(m->is_complete);
	ck_assert_ptr_null(correlator_next(c));
	correlator_free(c);
}
END_TEST

START_TEST(test_filter_not_joined)
{
	static const struct {
		const char	*relay;		/* of the hand-over */
		const char	*copy_ip;	/* the copy's client */
		const char	*copy_user;	/* and login */
	} cases[] = {
		/* a remote server's own queue ID */
		{ "mx.remote.example[203.0.113.5]:25", "127.0.0.1", NULL },
		{ FILTER_RELAY, "192.0.2.1", NULL },
		{ "filter.isp.example[10.0.0.5]:10024", "10.0.0.6", NULL },
		{ FILTER_RELAY, "127.0.0.1", "bob" },
		{ "none", "127.0.0.1", NULL },
	};
	struct correlator *c;
	size_t		 i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		c = correlator_new(NULL);
		feed_client(c, 100, "relay1", 1, "1A2B3C", "198.51.100.7",
		    "alice");
		feed_client(c, 102, "relay1", 2, "4D5E6F", cases[i].copy_ip,
		    cases[i].copy_user);
		feed_handover(c, 103, "relay1", "1A2B3C",
		    "bob@remote.example", cases[i].relay, "4D5E6F");
		feed_simple(c, EV_REMOVED, 103, "relay1", "1A2B3C");
		ck_assert_msg(correlator_next(c) != NULL, "case %zu", i);
		feed_simple(c, EV_REMOVED, 104, "relay1", "4D5E6F");
		ck_assert_msg(correlator_next(c) != NULL, "case %zu", i);
		correlator_free(c);
	}
	/* Another relay's ID, and a message handed to itself. */
	c = correlator_new(NULL);
	feed_client(c, 100, "relay1", 1, "1A2B3C", "127.0.0.1", NULL);
	feed_client(c, 102, "relay2", 2, "4D5E6F", "127.0.0.1", NULL);
	feed_handover(c, 103, "relay1", "1A2B3C", "bob@remote.example",
	    FILTER_RELAY, "4D5E6F");
	feed_handover(c, 103, "relay1", "1A2B3C", "bob@remote.example",
	    FILTER_RELAY, "1A2B3C");
	feed_simple(c, EV_REMOVED, 103, "relay1", "1A2B3C");
	ck_assert_ptr_nonnull(correlator_next(c));
	ck_assert_uint_eq(correlator_open_count(c), 1);
	correlator_free(c);
}
END_TEST

START_TEST(test_filter_addresses)
{
	static const struct {
		const char	*relay;		/* of the hand-over */
		const char	*copy_ip;	/* the copy's client */
	} cases[] = {
		/* a filter host of its own */
		{ "filter.isp.example[10.0.0.5]:10024", "10.0.0.5" },
		{ "filter6.isp.example[2001:DB8::5]:10024", "2001:db8::5" },
		/* handed over on one address of the host, back on another */
		{ FILTER_RELAY, "127.0.0.2" },
		{ FILTER_RELAY, "::1" },
		{ "localhost[::1]:10024", "127.0.0.1" },
	};
	struct correlator *c;
	const struct message *m;
	size_t		 i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		c = correlator_new(NULL);
		feed_client(c, 100, "relay1", 1, "1A2B3C", "198.51.100.7",
		    "alice");
		feed_client(c, 102, "relay1", 2, "4D5E6F", cases[i].copy_ip,
		    NULL);
		feed_handover(c, 103, "relay1", "1A2B3C",
		    "bob@remote.example", cases[i].relay, "4D5E6F");
		feed_simple(c, EV_REMOVED, 103, "relay1", "1A2B3C");
		ck_assert_msg(correlator_next(c) == NULL, "case %zu", i);
		feed_simple(c, EV_REMOVED, 104, "relay1", "4D5E6F");
		m = correlator_next(c);
		ck_assert_msg(m != NULL && m->joined_count == 1, "case %zu", i);
		correlator_free(c);
	}
}
END_TEST

START_TEST(test_filter_discard)
{
	static const struct {
		const char	*reply;
		bool		 refused;
	} replies[] = {
		{ "250 2.7.0 Ok, discarded, id=00734-05 - spam", true },
		{ "250 2.7.0 Ok, discarded, id=1-06 - INFECTED: Win.Trojan",
		    true },
		{ "250 2.7.0 Ok, discarded, id=1-07 - VIRUS: Worm.Mydoom",
		    true },
		{ "250 2.7.0 Ok, discarded, id=00734-07 - BANNED: .exe", true },
		{ "250 2.7.0 Ok, discarded, id=00734-08 - SPAMMY", true },
		/* D_BOUNCE: blocked, a non-delivery notice sent or not */
		{ "250 2.5.0 Ok, id=06143-10, BOUNCE", true },
		{ "250 2.5.0 Ok, id=11707-01, DISCARD(bounce.suppressed)",
		    true },
		/* not a verdict on the sender's content */
		{ "250 2.7.0 Ok, discarded, id=00734-09 - BAD-HEADER", false },
		{ "250 2.0.0 Ok, id=00734-10, from MTA: 250 2.0.0 Ok", false },
		{ "250 2.5.0 Ok, id=06143-11, BOUNCED", false },
		{ "250 2.5.0 Ok, id=06143-12", false },
	};
	struct correlator *c;
	const struct message *m;
	struct mta_event ev;
	size_t		 i, k;

	for (i = 0; i < sizeof(replies) / sizeof(replies[0]); i++) {
		c = correlator_new(NULL);
		feed_client(c, 100, "relay1", 1, "1A2B3C", "198.51.100.7",
		    "alice");
		/* One line per recipient, one refusal per message. */
		for (k = 0; k < 3; k++) {
			ev = mk(EV_DELIVERY, 101, "relay1", 30, "1A2B3C");
			ev.mta = MTA_POSTFIX;
			ev.recipient = k == 0 ? ZSTR_LIT("a@remote.example") :
			    k == 1 ? ZSTR_LIT("b@remote.example") :
			    ZSTR_LIT("c@remote.example");
			ev.relay = ZSTR_LIT(FILTER_RELAY);
			ev.status = DELIVERY_SENT;
			ev.dsn = Z(replies[i].reply + 4);
			ev.dsn.len = 5;
			ev.response = Z(replies[i].reply);
			correlator_feed(c, &ev);
		}
		feed_simple(c, EV_REMOVED, 102, "relay1", "1A2B3C");
		m = correlator_next(c);
		ck_assert_ptr_nonnull(m);
		if (replies[i].refused) {
			ck_assert_msg(m->local_rejects == 1, "reply %zu", i);
			ck_assert_str_eq(m->reject_response,
			    replies[i].reply);
			ck_assert_int_eq(strncmp(m->reject_dsn,
			    replies[i].reply + 4, 5), 0);
		} else
			ck_assert_msg(m->local_rejects == 0, "reply %zu", i);
		ck_assert_uint_eq(m->recipient_count, 3);
		correlator_free(c);
	}
}
END_TEST

START_TEST(test_filter_chain)
{
	struct correlator *c = correlator_new(NULL);
	const struct message *m;

	/* Two filters one after the other: P -> C1 -> C2. */
	feed_client(c, 100, "relay1", 1, "1A2B3C", "198.51.100.7", "alice");
	feed_client(c, 101, "relay1", 2, "4D5E6F", "127.0.0.1", NULL);
	feed_client(c, 102, "relay1", 3, "7A8B9C", "127.0.0.1", NULL);
	feed_handover(c, 101, "relay1", "1A2B3C", "bob@remote.example",
	    FILTER_RELAY, "4D5E6F");
	feed_handover(c, 102, "relay1", "4D5E6F", "bob@remote.example",
	    FILTER_RELAY, "7A8B9C");
	/* A loop back to P is refused. */
	feed_handover(c, 102, "relay1", "7A8B9C", "bob@remote.example",
	    FILTER_RELAY, "1A2B3C");
	feed_simple(c, EV_REMOVED, 102, "relay1", "1A2B3C");
	feed_simple(c, EV_REMOVED, 102, "relay1", "4D5E6F");
	feed_delivery(c, 104, "relay1", "7A8B9C", "bob@remote.example",
	    DELIVERY_BOUNCED, "5.7.1", "550 5.7.1 spam");
	ck_assert_ptr_null(correlator_next(c));
	feed_simple(c, EV_REMOVED, 105, "relay1", "7A8B9C");
	m = correlator_next(c);
	ck_assert_ptr_nonnull(m);
	ck_assert_str_eq(m->queue_id, "1A2B3C");
	ck_assert_str_eq(m->sasl_username, "alice");
	ck_assert_uint_eq(m->recipient_count, 1);
	ck_assert_int_eq(m->recipients[0].status, DELIVERY_BOUNCED);
	/* The refusal's line is the last copy's. */
	ck_assert_str_eq(m->recipients[0].queue_id, "7A8B9C");
	ck_assert_uint_eq(m->joined_count, 2);
	ck_assert_str_eq(m->joined[0].queue_id, "4D5E6F");
	ck_assert_str_eq(m->joined[1].queue_id, "7A8B9C");
	ck_assert(m->is_complete);
	ck_assert_ptr_null(correlator_next(c));
	ck_assert_uint_eq(correlator_open_count(c), 0);
	correlator_free(c);
}
END_TEST

/* feed_mid - cleanup's "message-id=<mid>" */
static void
feed_mid(struct correlator *c, int64_t t, const char *qid, const char *mid)
{
	struct mta_event ev = mk(EV_MESSAGE_ID, t, "relay1", 50, qid);

	ev.mta = MTA_POSTFIX;
	ev.message_id = Z(mid);
	correlator_feed(c, &ev);
}

/* feed_pickup - pickup's "uid=1001 from=<sender>" */
static void
feed_pickup(struct correlator *c, int64_t t, const char *qid,
    const char *sender)
{
	struct mta_event ev = mk(EV_PICKUP, t, "relay1", 90, qid);

	ev.mta = MTA_POSTFIX;
	ev.uid = 1001;
	ev.sender = Z(sender);
	correlator_feed(c, &ev);
}

/* feed_pipe - pipe(8) "to=<rcpt>, relay=spamfilter, ... status=sent
   (delivered via spamfilter service)" */
static void
feed_pipe(struct correlator *c, int64_t t, const char *qid,
    const char *rcpt)
{
	struct mta_event ev = mk(EV_DELIVERY, t, "relay1", 70, qid);

	ev.mta = MTA_POSTFIX;
	ev.recipient = Z(rcpt);
	ev.transport = ZSTR_LIT("pipe");
	ev.relay = ZSTR_LIT("spamfilter");
	ev.status = DELIVERY_SENT;
	ev.dsn = ZSTR_LIT("2.0.0");
	ev.response = ZSTR_LIT("delivered via spamfilter service");
	correlator_feed(c, &ev);
}

/* pipe_message - alice's message P (Message-ID <m1@pc>, two
   recipients), queued for delivery */
static void
pipe_message(struct correlator *c, const char *p)
{
	feed_client(c, 100, "relay1", 1, p, "198.51.100.7", "alice");
	feed_mid(c, 100, p, "<m1@pc>");
	feed_queued(c, 101, "relay1", p, "alice@isp.example", 2);
}

/* pipe_copy - the filter's copy ch of it, submitted locally */
static void
pipe_copy(struct correlator *c, int64_t t, const char *ch,
    const char *sender)
{
	feed_pickup(c, t, ch, sender);
	feed_mid(c, t, ch, "<m1@pc>");
	feed_queued(c, t, "relay1", ch, sender, 2);
}

START_TEST(test_filter_chain_at_end)
{
	struct correlator *c = correlator_new(NULL);
	const struct message *m;

	/* P -> C1 -> C2 at the end of the input: P open, C1 removed and
	   waiting for C2, C2 open.  C2 goes into C1, which then goes into
	   P, in one step of correlator_finish(): one record. */
	feed_client(c, 100, "relay1", 1, "1A2B3C", "198.51.100.7", "alice");
	feed_client(c, 101, "relay1", 2, "4D5E6F", "127.0.0.1", NULL);
	feed_client(c, 102, "relay1", 3, "7A8B9C", "127.0.0.1", NULL);
	feed_handover(c, 101, "relay1", "1A2B3C", "bob@remote.example",
	    FILTER_RELAY, "4D5E6F");
	feed_handover(c, 102, "relay1", "4D5E6F", "bob@remote.example",
	    FILTER_RELAY, "7A8B9C");
	feed_simple(c, EV_REMOVED, 103, "relay1", "4D5E6F");
	feed_delivery(c, 104, "relay1", "7A8B9C", "bob@remote.example",
	    DELIVERY_DEFERRED, "4.7.0", "421 4.7.0 later");
	ck_assert_ptr_null(correlator_next(c));
	correlator_finish(c);
	m = correlator_next(c);
	ck_assert_ptr_nonnull(m);
	ck_assert_str_eq(m->queue_id, "1A2B3C");
	ck_assert(!m->is_complete);
	ck_assert_uint_eq(m->joined_count, 2);
	ck_assert_int_eq(m->recipients[0].status, DELIVERY_DEFERRED);
	ck_assert_ptr_null(correlator_next(c));
	ck_assert_uint_eq(correlator_open_count(c), 0);
	ck_assert_uint_eq(correlator_stats(c)->messages_incomplete, 1);
	ck_assert_uint_eq(correlator_stats(c)->messages_joined, 2);
	correlator_free(c);
}
END_TEST

START_TEST(test_pipe_join)
{
	struct correlator *c;
	const struct message *m;
	int	 order;

	/* The copy submitted before the delivery to the filter is
	   logged, after it, or its Message-ID after it: one record. */
	for (order = 0; order < 3; order++) {
		c = correlator_new(NULL);
		pipe_message(c, "1A2B3C");
		if (order == 0)
			pipe_copy(c, 102, "4D5E6F", "alice@isp.example");
		else if (order == 2)
			feed_pickup(c, 102, "4D5E6F", "alice@isp.example");
		feed_pipe(c, 103, "1A2B3C", "bob@remote.example");
		feed_pipe(c, 103, "1A2B3C", "carol@remote.example");
		if (order == 1)
			pipe_copy(c, 103, "4D5E6F", "alice@isp.example");
		else if (order == 2) {
			feed_mid(c, 103, "4D5E6F", "<m1@pc>");
			feed_queued(c, 103, "relay1", "4D5E6F",
			    "alice@isp.example", 2);
		}
		feed_simple(c, EV_REMOVED, 103, "relay1", "1A2B3C");
		ck_assert_ptr_null(correlator_next(c));
		copy_outcomes(c, "4D5E6F");
		feed_simple(c, EV_REMOVED, 106, "relay1", "4D5E6F");
		m = correlator_next(c);
		check_joined(m, "1A2B3C", "4D5E6F");
		ck_assert(m->is_complete);
		ck_assert_ptr_null(correlator_next(c));
		ck_assert_uint_eq(correlator_open_count(c), 0);
		ck_assert_uint_eq(correlator_stats(c)->messages_complete, 1);
		ck_assert_uint_eq(correlator_stats(c)->messages_joined, 1);
		correlator_free(c);
	}
}
END_TEST

START_TEST(test_pipe_per_recipient)
{
	struct correlator *c = correlator_new(NULL);
	const struct message *m;

	/* One run of the filter per recipient: two copies, one each. */
	pipe_message(c, "1A2B3C");
	feed_pickup(c, 102, "4D0001", "alice@isp.example");
	feed_mid(c, 102, "4D0001", "<m1@pc>");
	feed_pipe(c, 103, "1A2B3C", "bob@remote.example");
	feed_pickup(c, 103, "4D0002", "alice@isp.example");
	feed_mid(c, 103, "4D0002", "<m1@pc>");
	feed_pipe(c, 104, "1A2B3C", "carol@remote.example");
	feed_simple(c, EV_REMOVED, 104, "relay1", "1A2B3C");
	feed_delivery(c, 105, "relay1", "4D0001", "bob@remote.example",
	    DELIVERY_BOUNCED, "5.7.1", "550 5.7.1 spam");
	feed_simple(c, EV_REMOVED, 105, "relay1", "4D0001");
	ck_assert_ptr_null(correlator_next(c));
	feed_delivery(c, 106, "relay1", "4D0002", "carol@remote.example",
	    DELIVERY_SENT, "2.0.0", "250 ok");
	feed_simple(c, EV_REMOVED, 106, "relay1", "4D0002");
	m = correlator_next(c);
	ck_assert_ptr_nonnull(m);
	ck_assert_str_eq(m->queue_id, "1A2B3C");
	ck_assert_uint_eq(m->recipient_count, 2);
	ck_assert_int_eq(m->recipients[0].status, DELIVERY_BOUNCED);
	ck_assert_int_eq(m->recipients[1].status, DELIVERY_SENT);
	ck_assert_uint_eq(m->joined_count, 2);
	ck_assert_ptr_null(correlator_next(c));
	ck_assert_uint_eq(correlator_open_count(c), 0);
	correlator_free(c);
}
END_TEST

START_TEST(test_pipe_not_joined)
{
	struct correlator *c;
	const struct message *m;
	size_t	 n;
	int	 which;

	/* 0: another envelope sender; 1: the copy after the message's
	   "removed"; 2: a copy received over SMTP; 3: another
	   Message-ID; 4: the delivery went to a network address. */
	for (which = 0; which < 5; which++) {
		c = correlator_new(NULL);
		pipe_message(c, "1A2B3C");
		if (which == 0)
			pipe_copy(c, 102, "4D5E6F", "other@isp.example");
		else if (which == 2) {
			feed_client(c, 102, "relay1", 2, "4D5E6F",
			    "127.0.0.1", NULL);
			feed_mid(c, 102, "4D5E6F", "<m1@pc>");
		} else if (which == 3) {
			feed_pickup(c, 102, "4D5E6F", "alice@isp.example");
			feed_mid(c, 102, "4D5E6F", "<m2@pc>");
		} else if (which == 4)
			pipe_copy(c, 102, "4D5E6F", "alice@isp.example");
		if (which == 4)
			feed_delivery(c, 103, "relay1", "1A2B3C",
			    "bob@remote.example", DELIVERY_SENT, "2.0.0",
			    "250 ok");
		else
			feed_pipe(c, 103, "1A2B3C", "bob@remote.example");
		feed_simple(c, EV_REMOVED, 103, "relay1", "1A2B3C");
		if (which == 1)
			pipe_copy(c, 104, "4D5E6F", "alice@isp.example");
		m = correlator_next(c);
		ck_assert_ptr_nonnull(m);
		ck_assert_str_eq(m->queue_id, "1A2B3C");
		ck_assert_uint_eq(m->joined_count, 0);
		feed_simple(c, EV_REMOVED, 106, "relay1", "4D5E6F");
		n = count_ready(c, NULL);
		ck_assert_uint_eq(n, 1);
		ck_assert_uint_eq(correlator_stats(c)->messages_joined, 0);
		correlator_free(c);
	}
}
END_TEST

START_TEST(test_pipe_maybe_joined)
{
	struct correlator *c;
	const struct message *m;

	/* Within an hour of the relay's first line, a message handed to
	   a local transport, and a possible copy, with no partner found
	   are maybe joined, for a partial run to hold back: the partner's
	   lines may lie before the input.  Later they are not. */
	c = correlator_new(NULL);
	pipe_message(c, "1A2B3C");
	feed_pipe(c, 103, "1A2B3C", "bob@remote.example");
	feed_simple(c, EV_REMOVED, 103, "relay1", "1A2B3C");
	m = correlator_next(c);
	ck_assert_ptr_nonnull(m);
	ck_assert(m->maybe_joined);
	pipe_copy(c, 3599, "4D5E6F", "carl@isp.example");
	feed_simple(c, EV_REMOVED, 3600, "relay1", "4D5E6F");
	m = correlator_next(c);
	ck_assert_ptr_nonnull(m);
	ck_assert(m->maybe_joined);
	pipe_copy(c, 3800, "4D6666", "carl@isp.example");
	feed_simple(c, EV_REMOVED, 3801, "relay1", "4D6666");
	m = correlator_next(c);
	ck_assert_ptr_nonnull(m);
	ck_assert(!m->maybe_joined);
	correlator_finish(c);
	correlator_free(c);

	/* Hours after the first line, a message handed over blind
	   (no Message-ID seen) marks the possible copies open. */
	c = correlator_new(NULL);
	feed_simple(c, EV_MESSAGE_ID, 100, "relay1", "0AAAAA");
	pipe_copy(c, 9000, "4D5E6F", "alice@isp.example");
	feed_queued(c, 9001, "relay1", "1A2B3C", "alice@isp.example", 1);
	feed_pipe(c, 9002, "1A2B3C", "bob@remote.example");
	feed_simple(c, EV_REMOVED, 9003, "relay1", "4D5E6F");
	m = correlator_next(c);
	ck_assert_ptr_nonnull(m);
	ck_assert_str_eq(m->queue_id, "4D5E6F");
	ck_assert(m->maybe_joined);
	/* A copy while it is open: marked too. */
	pipe_copy(c, 9004, "4D7777", "alice@isp.example");
	feed_simple(c, EV_REMOVED, 9005, "relay1", "4D7777");
	m = correlator_next(c);
	ck_assert_ptr_nonnull(m);
	ck_assert(m->maybe_joined);
	/* Once it is gone, a copy is nobody's. */
	feed_simple(c, EV_REMOVED, 9006, "relay1", "1A2B3C");
	ck_assert_ptr_nonnull(correlator_next(c));
	pipe_copy(c, 9007, "4D8888", "alice@isp.example");
	feed_simple(c, EV_REMOVED, 9008, "relay1", "4D8888");
	m = correlator_next(c);
	ck_assert_ptr_nonnull(m);
	ck_assert(!m->maybe_joined);
	correlator_finish(c);
	correlator_free(c);
}
END_TEST

START_TEST(test_normal_message)
{
	struct correlator *c = correlator_new(NULL);
	const struct message *m;
	struct mta_event ev;

	feed_session(c, EV_CONNECT, 1000, "relay1", 100, "192.0.2.10");
	ev = mk(EV_CLIENT, 1001, "relay1", 100, "4BxK2");
	ev.client_ip = ZSTR_LIT("192.0.2.10");
	ev.client_name = ZSTR_LIT("pc10.example.net");
	ev.helo = ZSTR_LIT("pc10");
	ev.sasl_method = ZSTR_LIT("PLAIN");
	ev.sasl_username = ZSTR_LIT("alice");
	correlator_feed(c, &ev);
	ev = mk(EV_MESSAGE_ID, 1001, "relay1", 200, "4BxK2");
	ev.message_id = ZSTR_LIT("20240101.abc@example.net");
	correlator_feed(c, &ev);
	ev = mk(EV_QUEUED, 1002, "relay1", 300, "4BxK2");
	ev.sender = ZSTR_LIT("alice@example.net");
	ev.size_bytes = 4321;
	ev.nrcpt = 2;
	correlator_feed(c, &ev);
	feed_delivery(c, 1003, "relay1", "4BxK2", "bob@example.com",
	    DELIVERY_SENT, "2.0.0", "250 2.0.0 Ok: queued as 9F");
	feed_delivery(c, 1004, "relay1", "4BxK2", "nobody@example.com",
	    DELIVERY_BOUNCED, "5.1.1", "550 5.1.1 no such user");
	ck_assert_ptr_null(correlator_next(c));
	ck_assert_uint_eq(correlator_open_count(c), 1);
	feed_simple(c, EV_REMOVED, 1005, "relay1", "4BxK2");
	ck_assert_uint_eq(correlator_open_count(c), 0);

	m = correlator_next(c);
	ck_assert_ptr_nonnull(m);
	ck_assert_int_eq(m->kind, RECORD_MESSAGE);
	ck_assert_int_eq(m->origin, ORIGIN_SMTP);
	ck_assert_str_eq(m->host, "relay1");
	ck_assert_str_eq(m->queue_id, "4BxK2");
	ck_assert_str_eq(m->client_ip, "192.0.2.10");
	ck_assert_str_eq(m->client_name, "pc10.example.net");
	ck_assert_str_eq(m->helo, "pc10");
	ck_assert_str_eq(m->sasl_method, "PLAIN");
	ck_assert_str_eq(m->sasl_username, "alice");
	ck_assert_str_eq(m->sender, "alice@example.net");
	ck_assert_str_eq(m->message_id, "20240101.abc@example.net");
	ck_assert_int_eq(m->uid, -1);
	ck_assert_uint_eq(m->size_bytes, 4321);
	ck_assert_uint_eq(m->nrcpt, 2);
	ck_assert_int_eq(m->first_sec, 1001);
	ck_assert_int_eq(m->last_sec, 1005);
	ck_assert_uint_eq(m->recipient_count, 2);
	ck_assert_str_eq(m->recipients[0].address, "bob@example.com");
	ck_assert_str_eq(m->recipients[0].transport, "smtp");
	ck_assert_str_eq(m->recipients[0].dsn, "2.0.0");
	ck_assert_str_eq(m->recipients[0].response,
	    "250 2.0.0 Ok: queued as 9F");
	ck_assert_int_eq(m->recipients[0].status, DELIVERY_SENT);
	ck_assert_uint_eq(m->recipients[0].deferrals, 0);
	ck_assert_int_eq(m->recipients[0].time_sec, 1003);
	ck_assert_str_eq(m->recipients[1].address, "nobody@example.com");
	ck_assert_str_eq(m->recipients[1].dsn, "5.1.1");
	ck_assert_str_eq(m->recipients[1].response, "550 5.1.1 no such user");
	ck_assert_int_eq(m->recipients[1].status, DELIVERY_BOUNCED);
	ck_assert_int_eq(m->recipients[1].time_sec, 1004);
	ck_assert_uint_eq(m->local_rejects, 0);
	ck_assert_ptr_null(m->stage);
	ck_assert_ptr_null(m->reject_dsn);
	ck_assert_ptr_null(m->reject_response);
	ck_assert(m->is_complete);
	ck_assert(!m->expired);
	ck_assert_ptr_null(correlator_next(c));

	ck_assert_uint_eq(correlator_stats(c)->messages_complete, 1);
	ck_assert_uint_eq(correlator_stats(c)->messages_incomplete, 0);
	ck_assert_uint_eq(correlator_stats(c)->messages_evicted, 0);
	ck_assert_uint_eq(correlator_stats(c)->open_peak, 1);
	correlator_finish(c);
	ck_assert_ptr_null(correlator_next(c));
	correlator_free(c);
}
END_TEST

START_TEST(test_pickup_and_expired)
{
	struct correlator *c = correlator_new(NULL);
	const struct message *m;
	struct mta_event ev;

	ev = mk(EV_PICKUP, 50, "relay1", 7, "PK1");
	ev.uid = 33;
	ev.sender = ZSTR_LIT("www-data");
	correlator_feed(c, &ev);
	feed_queued(c, 51, "relay1", "PK1", "www-data@relay1.example.net", 1);
	feed_delivery(c, 52, "relay1", "PK1", "x@example.com",
	    DELIVERY_DEFERRED, "4.4.1", "connect timed out");
	ev = mk(EV_EXPIRED, 500000, "relay1", 20, "PK1");
	ev.sender = ZSTR_LIT("www-data@relay1.example.net");
	correlator_feed(c, &ev);
	feed_simple(c, EV_REMOVED, 500001, "relay1", "PK1");
	m = correlator_next(c);
	ck_assert_ptr_nonnull(m);
	ck_assert_int_eq(m->origin, ORIGIN_PICKUP);
	ck_assert_int_eq(m->uid, 33);
	ck_assert_str_eq(m->sender, "www-data@relay1.example.net");
	ck_assert(m->expired);
	ck_assert(m->is_complete);
	ck_assert_ptr_null(m->client_ip);
	ck_assert_int_eq(m->first_sec, 50);
	ck_assert_int_eq(m->last_sec, 500001);
	correlator_free(c);
}
END_TEST

START_TEST(test_queue_id_reuse)
{
	struct correlator *c = correlator_new(NULL);
	const struct message *m;

	feed_client(c, 10, "relay1", 1, "AAA1", "192.0.2.1", NULL);
	feed_queued(c, 11, "relay1", "AAA1", "one@example.net", 1);
	feed_simple(c, EV_REMOVED, 12, "relay1", "AAA1");
	/* A late straggler of the closed message opens nothing. */
	feed_delivery(c, 13, "relay1", "AAA1", "late@example.com",
	    DELIVERY_SENT, "2.0.0", "250 ok");
	ck_assert_uint_eq(correlator_open_count(c), 0);
	ck_assert_uint_eq(correlator_stats(c)->orphan_events, 1);
	/* The same ID from a new smtpd session is a new message. */
	feed_client(c, 20, "relay1", 2, "AAA1", "192.0.2.2", NULL);
	feed_queued(c, 21, "relay1", "AAA1", "two@example.net", 1);
	feed_simple(c, EV_REMOVED, 22, "relay1", "AAA1");
	/* The same queue ID on another relay is another message too. */
	feed_client(c, 23, "relay2", 2, "AAA1", "192.0.2.3", NULL);

	m = correlator_next(c);
	ck_assert_ptr_nonnull(m);
	ck_assert_str_eq(m->client_ip, "192.0.2.1");
	ck_assert_str_eq(m->sender, "one@example.net");
	ck_assert_uint_eq(m->recipient_count, 0);
	ck_assert(m->is_complete);
	m = correlator_next(c);
	ck_assert_ptr_nonnull(m);
	ck_assert_str_eq(m->client_ip, "192.0.2.2");
	ck_assert_str_eq(m->sender, "two@example.net");
	ck_assert_int_eq(m->first_sec, 20);
	ck_assert(m->is_complete);
	ck_assert_ptr_null(correlator_next(c));
	ck_assert_uint_eq(correlator_open_count(c), 1);
	ck_assert_uint_eq(correlator_stats(c)->messages_complete, 2);

	/* Past the orphan window a lone line opens a message again: the
	   log may simply have lost its start. */
	feed_delivery(c, 1000, "relay1", "AAA1", "x@example.com",
	    DELIVERY_SENT, "2.0.0", "250 ok");
	ck_assert_uint_eq(correlator_open_count(c), 2);
	correlator_finish(c);
	ck_assert_uint_eq(count_ready(c, NULL), 2);
	correlator_free(c);
}
END_TEST

START_TEST(test_split_across_files)
{
	struct correlator *c = correlator_new(NULL);
	const struct message *m;
	struct mta_event ev;

	/* maillog.1 ends in the middle of the message ... */
	feed_client(c, 86390, "relay1", 4, "SPL1", "198.51.100.4", "dave");
	ev = mk(EV_MESSAGE_ID, 86391, "relay1", 5, "SPL1");
	ev.message_id = ZSTR_LIT("split@example.net");
	correlator_feed(c, &ev);
	feed_queued(c, 86395, "relay1", "SPL1", "dave@example.net", 1);
	ck_assert_ptr_null(correlator_next(c));
	/* ... and maillog goes on with the rest. */
	feed_delivery(c, 86405, "relay1", "SPL1", "r@example.com",
	    DELIVERY_SENT, "2.0.0", "250 ok");
	feed_simple(c, EV_REMOVED, 86406, "relay1", "SPL1");
	correlator_finish(c);
	m = correlator_next(c);
	ck_assert_ptr_nonnull(m);
	ck_assert(m->is_complete);
	ck_assert_str_eq(m->sasl_username, "dave");
	ck_assert_str_eq(m->message_id, "split@example.net");
	ck_assert_uint_eq(m->recipient_count, 1);
	ck_assert_int_eq(m->first_sec, 86390);
	ck_assert_int_eq(m->last_sec, 86406);
	ck_assert_ptr_null(correlator_next(c));
	ck_assert_uint_eq(correlator_stats(c)->messages_complete, 1);
	ck_assert_uint_eq(correlator_stats(c)->messages_incomplete, 0);
	correlator_free(c);
}
END_TEST

START_TEST(test_deferred_then_sent)
{
	struct correlator *c = correlator_new(NULL);
	const struct message *m;

	feed_client(c, 100, "relay1", 1, "DEF1", "192.0.2.9", NULL);
	feed_delivery(c, 101, "relay1", "DEF1", "a@example.com",
	    DELIVERY_DEFERRED, "4.2.0", "450 greylisted");
	feed_delivery(c, 102, "relay1", "DEF1", "b@example.com",
	    DELIVERY_DEFERRED, "4.2.0", "450 greylisted");
	feed_delivery(c, 400, "relay1", "DEF1", "a@example.com",
	    DELIVERY_SENT, "2.0.0", "250 accepted");
	feed_delivery(c, 401, "relay1", "DEF1", "b@example.com",
	    DELIVERY_DEFERRED, "4.2.0", "451 try later");
	feed_simple(c, EV_REMOVED, 402, "relay1", "DEF1");
	m = correlator_next(c);
	ck_assert_ptr_nonnull(m);
	ck_assert_uint_eq(m->recipient_count, 2);
	ck_assert_int_eq(m->recipients[0].status, DELIVERY_SENT);
	ck_assert_uint_eq(m->recipients[0].deferrals, 1);
	ck_assert_str_eq(m->recipients[0].dsn, "2.0.0");
	ck_assert_str_eq(m->recipients[0].response, "250 accepted");
	ck_assert_int_eq(m->recipients[0].time_sec, 400);
	ck_assert_int_eq(m->recipients[1].status, DELIVERY_DEFERRED);
	ck_assert_uint_eq(m->recipients[1].deferrals, 2);
	ck_assert_str_eq(m->recipients[1].response, "451 try later");
	ck_assert_ptr_null(m->recipients[0].queue_id);
	correlator_free(c);
}
END_TEST

/*
 * test_expired_keeps_reply - a relay giving up after deferrals (Exim's
 * "** addr: retry timeout exceeded") keeps the remote server's last
 * reply, its code and time; a reply without a code leaves none
 */
START_TEST(test_expired_keeps_reply)
{
	static const char listed[] = "SMTP error from remote mail server "
	    "after RCPT TO:<a@example.com>: 451 4.7.1 Client host "
	    "[192.0.2.1] blocked using zen.spamhaus.org";
	struct correlator *c = correlator_new(NULL);
	const struct message *m;

	feed_client(c, 100, "relay1", 1, "EXP1", "192.0.2.9", NULL);
	feed_delivery(c, 101, "relay1", "EXP1", "a@example.com",
	    DELIVERY_DEFERRED, "4.7.1", listed);
	feed_delivery(c, 102, "relay1", "EXP1", "b@example.com",
	    DELIVERY_DEFERRED, "4.2.0", "450 4.2.0 greylisted");
	feed_delivery(c, 103, "relay1", "EXP1", "b@example.com",
	    DELIVERY_DEFERRED, NULL, "Connection timed out");
	feed_delivery(c, 500, "relay1", "EXP1", "a@example.com",
	    DELIVERY_EXPIRED, NULL, "retry timeout exceeded");
	feed_simple(c, EV_REMOVED, 501, "relay1", "EXP1");
	m = correlator_next(c);
	ck_assert_ptr_nonnull(m);
	ck_assert_uint_eq(m->recipient_count, 2);
	ck_assert_int_eq(m->recipients[0].status, DELIVERY_EXPIRED);
	ck_assert_str_eq(m->recipients[0].response, listed);
	ck_assert_str_eq(m->recipients[0].dsn, "4.7.1");
	ck_assert_int_eq(m->recipients[0].time_sec, 101);
	ck_assert_uint_eq(m->recipients[0].deferrals, 1);
	ck_assert_str_eq(m->recipients[1].response, "Connection timed out");
	ck_assert_str_eq(m->recipients[1].dsn, "");
	ck_assert_int_eq(m->recipients[1].time_sec, 103);
	correlator_free(c);
}
END_TEST

START_TEST(test_bounce_notice)
{
	struct correlator *c = correlator_new(NULL);
	const struct message *m;
	struct mta_event ev;

	feed_client(c, 10, "relay1", 1, "ORIG1", "192.0.2.5", "erin");
	feed_queued(c, 11, "relay1", "ORIG1", "erin@example.net", 1);
	feed_delivery(c, 12, "relay1", "ORIG1", "gone@example.com",
	    DELIVERY_BOUNCED, "5.1.1", "550 unknown user");
	/* The bounce daemon's DSN goes through cleanup and qmgr. */
	ev = mk(EV_MESSAGE_ID, 12, "relay1", 40, "DSN1");
	ev.message_id = ZSTR_LIT("20240101.DSN1@relay1.example.net");
	correlator_feed(c, &ev);
	feed_queued(c, 12, "relay1", "DSN1", "", 1);
	ev = mk(EV_BOUNCE_NOTICE, 12, "relay1", 41, "ORIG1");
	ev.related_queue_id = ZSTR_LIT("DSN1");
	ev.notice = NOTICE_NON_DELIVERY;
	correlator_feed(c, &ev);
	feed_simple(c, EV_REMOVED, 12, "relay1", "ORIG1");
	feed_delivery(c, 13, "relay1", "DSN1", "erin@example.net",
	    DELIVERY_SENT, "2.0.0", "250 ok");
	feed_simple(c, EV_REMOVED, 13, "relay1", "DSN1");

	m = correlator_next(c);
	ck_assert_ptr_nonnull(m);
	ck_assert_str_eq(m->queue_id, "ORIG1");
	ck_assert_int_eq(m->origin, ORIGIN_SMTP);
	m = correlator_next(c);
	ck_assert_ptr_nonnull(m);
	ck_assert_str_eq(m->queue_id, "DSN1");
	ck_assert_int_eq(m->origin, ORIGIN_BOUNCE);
	ck_assert_str_eq(m->sender, "");
	ck_assert(m->is_complete);

	/* A notice naming a DSN not seen yet opens it as a bounce. */
	ev = mk(EV_BOUNCE_NOTICE, 20, "relay1", 41, "ORIG2");
	ev.related_queue_id = ZSTR_LIT("DSN2");
	ev.notice = NOTICE_DELAY;
	correlator_feed(c, &ev);
	feed_queued(c, 21, "relay1", "DSN2", "", 1);
	feed_simple(c, EV_REMOVED, 22, "relay1", "DSN2");
	m = correlator_next(c);
	ck_assert_ptr_nonnull(m);
	ck_assert_str_eq(m->queue_id, "DSN2");
	ck_assert_int_eq(m->origin, ORIGIN_BOUNCE);
	ck_assert_ptr_null(correlator_next(c));
	ck_assert_uint_eq(correlator_open_count(c), 1);	/* ORIG2 */
	correlator_free(c);
}
END_TEST

START_TEST(test_relay_generated_bounce)
{
	struct correlator *c = correlator_new(NULL);
	const struct message *m;
	struct mta_event ev;

	/* No client=, no uid=, no notice line: from=<> only. */
	ev = mk(EV_MESSAGE_ID, 10, "relay1", 40, "GEN1");
	ev.message_id = ZSTR_LIT("gen@relay1.example.net");
	correlator_feed(c, &ev);
	feed_queued(c, 10, "relay1", "GEN1", "", 1);
	feed_delivery(c, 11, "relay1", "GEN1", "s@example.net",
	    DELIVERY_SENT, "2.0.0", "250 ok");
	feed_simple(c, EV_REMOVED, 11, "relay1", "GEN1");
	/* A bounce received from a remote MTA is SMTP. */
	feed_client(c, 20, "relay1", 3, "REM1", "203.0.113.7", NULL);
	feed_queued(c, 20, "relay1", "REM1", "", 1);
	feed_simple(c, EV_REMOVED, 21, "relay1", "REM1");
	/* A message missing its start but with a sender stays unknown. */
	feed_queued(c, 30, "relay1", "UNK1", "who@example.net", 1);
	feed_simple(c, EV_REMOVED, 31, "relay1", "UNK1");
	/* from=<> with no client, evicted open at the end: bounce too. */
	feed_queued(c, 40, "relay1", "GEN2", "", 1);
	correlator_finish(c);

	m = correlator_next(c);
	ck_assert_str_eq(m->queue_id, "GEN1");
	ck_assert_int_eq(m->origin, ORIGIN_BOUNCE);
	m = correlator_next(c);
	ck_assert_str_eq(m->queue_id, "REM1");
	ck_assert_int_eq(m->origin, ORIGIN_SMTP);
	m = correlator_next(c);
	ck_assert_str_eq(m->queue_id, "UNK1");
	ck_assert_int_eq(m->origin, ORIGIN_UNKNOWN);
	m = correlator_next(c);
	ck_assert_str_eq(m->queue_id, "GEN2");
	ck_assert_int_eq(m->origin, ORIGIN_BOUNCE);
	ck_assert(!m->is_complete);
	ck_assert_ptr_null(correlator_next(c));
	correlator_free(c);
}
END_TEST

/* next_reject - drain to the next RECORD_REJECT */
static const struct message *
next_reject(struct correlator *c)
{
	const struct message *m;

	while ((m = correlator_next(c)) != NULL)
		if (m->kind == RECORD_REJECT)
			return m;
	return NULL;
}

START_TEST(test_noqueue_reject_session)
{
	struct correlator *c = correlator_new(NULL);
	const struct message *m;

	feed_session(c, EV_CONNECT, 100, "relay1", 300, "198.51.100.7");
	feed_client(c, 101, "relay1", 300, "SES1", "198.51.100.7", "alice");
	feed_noqueue(c, 102, "relay1", 300, "198.51.100.7");
	m = next_reject(c);
	ck_assert_ptr_nonnull(m);
	ck_assert_int_eq(m->kind, RECORD_REJECT);
	ck_assert_int_eq(m->origin, ORIGIN_SMTP);
	ck_assert_str_eq(m->host, "relay1");
	ck_assert_ptr_null(m->queue_id);
	ck_assert_str_eq(m->client_ip, "198.51.100.7");
	ck_assert_str_eq(m->client_name, "dsl-7.example.com");
	ck_assert_str_eq(m->helo, "pc7");
	ck_assert_str_eq(m->sender, "alice@example.org");
	ck_assert_str_eq(m->sasl_username, "alice");
	ck_assert_str_eq(m->sasl_method, "PLAIN");
	ck_assert_uint_eq(m->recipient_count, 1);
	ck_assert_str_eq(m->recipients[0].address, "victim@example.com");
	ck_assert_int_eq(m->recipients[0].status, DELIVERY_OTHER);
	ck_assert_str_eq(m->stage, "RCPT");
	ck_assert_str_eq(m->reject_dsn, "5.7.1");
	ck_assert_str_eq(m->reject_response,
	    "554 5.7.1 <victim@example.com>: Relay access denied");
	ck_assert_int_eq(m->first_sec, 102);
	ck_assert_int_eq(m->last_sec, 102);

	/* Another smtpd process: no session, no user. */
	feed_noqueue(c, 103, "relay1", 301, "198.51.100.7");
	m = next_reject(c);
	ck_assert_ptr_nonnull(m);
	ck_assert_ptr_null(m->sasl_username);
	/* Same process, another client address: not the session's. */
	feed_noqueue(c, 104, "relay1", 300, "198.51.100.99");
	m = next_reject(c);
	ck_assert_ptr_nonnull(m);
	ck_assert_ptr_null(m->sasl_username);
	/* Same pid on another relay host: another process. */
	feed_noqueue(c, 104, "relay2", 300, "198.51.100.7");
	m = next_reject(c);
	ck_assert_ptr_nonnull(m);
	ck_assert_str_eq(m->host, "relay2");
	ck_assert_ptr_null(m->sasl_username);
	/* After disconnect and a new connect the pid starts afresh. */
	feed_session(c, EV_DISCONNECT, 105, "relay1", 300, "198.51.100.7");
	feed_session(c, EV_CONNECT, 106, "relay1", 300, "198.51.100.7");
	feed_noqueue(c, 107, "relay1", 300, "198.51.100.7");
	m = next_reject(c);
	ck_assert_ptr_nonnull(m);
	ck_assert_ptr_null(m->sasl_username);
	ck_assert_uint_eq(correlator_stats(c)->rejects, 5);
	correlator_free(c);
}
END_TEST

START_TEST(test_session_auth_ok)
{
	struct correlator *c = correlator_new(NULL);
	const struct message *m;
	struct mta_event ev;

	/* Exim and Sendmail log the login on a line of its own. */
	feed_session(c, EV_CONNECT, 10, "relay1", 55, "2001:DB8::7");
	ev = mk(EV_AUTH_OK, 11, "relay1", 55, NULL);
	ev.client_ip = ZSTR_LIT("2001:db8:0::7");
	ev.sasl_method = ZSTR_LIT("LOGIN");
	ev.sasl_username = ZSTR_LIT("frank");
	correlator_feed(c, &ev);
	feed_noqueue(c, 12, "relay1", 55, "IPv6:2001:db8::7");
	m = next_reject(c);
	ck_assert_ptr_nonnull(m);
	ck_assert_str_eq(m->client_ip, "2001:db8::7");
	ck_assert_str_eq(m->sasl_username, "frank");
	ck_assert_str_eq(m->sasl_method, "LOGIN");
	correlator_free(c);
}
END_TEST

START_TEST(test_session_use)
{
	struct mta_event ev;

	/* Lines that start, change or end a session. */
	ev = mk(EV_CONNECT, 1, "relay1", 7, NULL);
	ck_assert_int_eq(correlator_session_use(&ev), SESSION_USE_SET);
	ev.kind = EV_DISCONNECT;
	ck_assert_int_eq(correlator_session_use(&ev), SESSION_USE_SET);
	ev.kind = EV_AUTH_OK;
	ck_assert_int_eq(correlator_session_use(&ev), SESSION_USE_SET);
	ev = mk(EV_CLIENT, 1, "relay1", 7, "Q1");
	ev.sasl_username = ZSTR_LIT("ivy");
	ck_assert_int_eq(correlator_session_use(&ev), SESSION_USE_SET);
	/* Lines that read one. */
	ev.sasl_username = ZSTR_LIT("");
	ck_assert_int_eq(correlator_session_use(&ev), SESSION_USE_LOOKUP);
	ev = mk(EV_AUTH_FAILED, 1, "relay1", 7, NULL);
	ck_assert_int_eq(correlator_session_use(&ev), SESSION_USE_LOOKUP);
	ev = mk(EV_REJECT, 1, "relay1", 7, NULL);
	ck_assert_int_eq(correlator_session_use(&ev), SESSION_USE_LOOKUP);
	/* A refusal of a queued message is the message's line. */
	ev = mk(EV_REJECT, 1, "relay1", 7, "Q1");
	ev.mta = MTA_POSTFIX;
	ev.reject_origin = REJECT_CLEANUP;
	ck_assert_int_eq(correlator_session_use(&ev), SESSION_USE_NONE);
	/* No process, or no session line. */
	ev = mk(EV_CONNECT, 1, "relay1", -1, NULL);
	ck_assert_int_eq(correlator_session_use(&ev), SESSION_USE_NONE);
	ev = mk(EV_DELIVERY, 1, "relay1", 7, "Q1");
	ck_assert_int_eq(correlator_session_use(&ev), SESSION_USE_NONE);
	ev = mk(EV_CLIENT, 1, "relay1", 7, NULL);
	ck_assert_int_eq(correlator_session_use(&ev), SESSION_USE_NONE);
}
END_TEST

/*
 * use_seen - feed ev (at time 2000, pid 7 of relay1) to a correlator
 * where that process's session logged in as judy at time 1000, and
 * tell what the feeding did to the session
 */
static enum correlator_session_use
use_seen(struct mta_event ev)
{
	struct correlator *c = correlator_new(NULL);
	struct correlator_session s, got;
	enum correlator_session_use seen;

	memset(&s, 0, sizeof(s));
	s.host = ZSTR_LIT("relay1");
	s.pid = 7;
	s.last_sec = 1000;
	s.client_ip = "192.0.2.7";
	s.sasl_method = "PLAIN";
	s.sasl_username = "judy";
	correlator_session_set(c, &s);
	ev.time_sec = 2000;
	correlator_feed(c, &ev);
	if (!correlator_session_peek(c, ZSTR_LIT("relay1"), 7, &got) ||
	    got.sasl_username == NULL ||
	    strcmp(got.sasl_username, "judy") != 0)
		seen = SESSION_USE_SET;		/* ended, replaced, changed */
	else if (got.last_sec == 2000)
		seen = SESSION_USE_LOOKUP;	/* read, kept alive */
	else
		seen = SESSION_USE_NONE;
	correlator_free(c);
	return seen;
}

/* What correlator_session_use() says of a line is what the line does
   (the partials carry lines by it). */
START_TEST(test_session_use_agrees)
{
	struct mta_event ev[24];
	size_t		 i, n = 0;

	ev[n++] = mk(EV_CONNECT, 0, "relay1", 7, NULL);
	ev[n++] = mk(EV_DISCONNECT, 0, "relay1", 7, NULL);
	ev[n] = mk(EV_AUTH_OK, 0, "relay1", 7, NULL);
	ev[n].sasl_method = ZSTR_LIT("LOGIN");
	ev[n++].sasl_username = ZSTR_LIT("kim");
	ev[n++] = mk(EV_AUTH_FAILED, 0, "relay1", 7, NULL);
	/* Postfix: a client= line with and without the login, NOQUEUE
	   and RCPT refusals, a refusal of the queued message */
	ev[n] = mk(EV_CLIENT, 0, "relay1", 7, "Q1");
	ev[n].mta = MTA_POSTFIX;
	ev[n].sasl_method = ZSTR_LIT("PLAIN");
	ev[n++].sasl_username = ZSTR_LIT("kim");
	ev[n] = mk(EV_CLIENT, 0, "relay1", 7, "Q1");
	ev[n++].mta = MTA_POSTFIX;
	ev[n] = mk(EV_REJECT, 0, "relay1", 7, NULL);
	ev[n].mta = MTA_POSTFIX;
	ev[n].reject_origin = REJECT_SMTPD;
	ev[n++].stage = ZSTR_LIT("RCPT");
	ev[n] = mk(EV_REJECT, 0, "relay1", 7, "Q1");
	ev[n].mta = MTA_POSTFIX;
	ev[n].reject_origin = REJECT_SMTPD;
	ev[n++].stage = ZSTR_LIT("RCPT");
	ev[n] = mk(EV_REJECT, 0, "relay1", 7, "Q1");
	ev[n].mta = MTA_POSTFIX;
	ev[n].reject_origin = REJECT_CLEANUP;
	ev[n++].stage = ZSTR_LIT("END-OF-MESSAGE");
	ev[n] = mk(EV_REJECT, 0, "relay1", 7, "Q1");
	ev[n].mta = MTA_POSTFIX;
	ev[n].reject_origin = REJECT_DISCARD;
	ev[n++].stage = ZSTR_LIT("RCPT");
	ev[n] = mk(EV_REJECT, 0, "relay1", 7, NULL);
	ev[n].mta = MTA_POSTFIX;
	ev[n].reject_origin = REJECT_DISCARD;
	ev[n++].stage = ZSTR_LIT("RCPT");
	/* Sendmail: refusals of a command (naming the client, and held
	   for the transaction's client, which it does not name) and of
	   the message */
	ev[n] = mk(EV_REJECT, 0, "relay1", 7, "Q2");
	ev[n].mta = MTA_SENDMAIL;
	ev[n++].stage = ZSTR_LIT("RCPT");
	ev[n] = mk(EV_REJECT, 0, "relay1", 7, "Q3");
	ev[n].mta = MTA_SENDMAIL;
	ev[n].client_ip = zstr_make("", 0);
	ev[n++].stage = ZSTR_LIT("RCPT");
	ev[n] = mk(EV_REJECT, 0, "relay1", 7, "Q2");
	ev[n].mta = MTA_SENDMAIL;
	ev[n++].stage = ZSTR_LIT("DATA");
	/* Lines of a message, and a line of no process */
	ev[n++] = mk(EV_DELIVERY, 0, "relay1", 7, "Q1");
	ev[n++] = mk(EV_CLIENT, 0, "relay1", 7, NULL);
	ev[n++] = mk(EV_CONNECT, 0, "relay1", -1, NULL);
	for (i = 0; i < n; i++) {
		/* The session's client, unless the line names none. */
		if (!zstr_is_set(ev[i].client_ip))
			ev[i].client_ip = ZSTR_LIT("192.0.2.7");
		ck_assert_msg(use_seen(ev[i]) == correlator_session_use(&ev[i]),
		    "event %zu (kind %d): session use %d, seen %d", i,
		    (int)ev[i].kind, (int)correlator_session_use(&ev[i]),
		    (int)use_seen(ev[i]));
	}
}
END_TEST

START_TEST(test_session_transfer)
{
	struct correlator *c = correlator_new(NULL);
	struct correlator_session s, got;
	const struct message *m;
	struct mta_event ev;
	size_t		 pos = 0, n = 0;

	/* A session as another run left it. */
	memset(&s, 0, sizeof(s));
	s.host = ZSTR_LIT("relay1");
	s.pid = 40;
	s.last_sec = 1000;
	s.client_ip = "192.0.2.40";
	s.sasl_method = "PLAIN";
	s.sasl_username = "judy";
	correlator_session_set(c, &s);
	ck_assert(correlator_session_peek(c, ZSTR_LIT("relay1"), 40, &got));
	ck_assert_int_eq(got.last_sec, 1000);
	ck_assert_str_eq(got.client_ip, "192.0.2.40");
	ck_assert_str_eq(got.sasl_username, "judy");
	ck_assert(!correlator_session_peek(c, ZSTR_LIT("relay2"), 40, &got));
	ck_assert(!correlator_session_peek(c, ZSTR_LIT("relay1"), 41, &got));
	while (correlator_session_next(c, &pos, &got))
		n++;
	ck_assert_uint_eq(n, 1);
	/* A refusal of its process takes the login, and keeps it alive:
	   peeking did not. */
	feed_noqueue(c, 1100, "relay1", 40, "192.0.2.40");
	m = next_reject(c);
	ck_assert_ptr_nonnull(m);
	ck_assert_str_eq(m->sasl_username, "judy");
	ck_assert(correlator_session_peek(c, ZSTR_LIT("relay1"), 40, &got));
	ck_assert_int_eq(got.last_sec, 1100);
	/* The relay's clock moves on without a line: an hour later the
	   session is over. */
	correlator_advance(c, ZSTR_LIT("relay1"), 1100 + 3600);
	ck_assert(correlator_session_peek(c, ZSTR_LIT("relay1"), 40, &got));
	correlator_advance(c, ZSTR_LIT("relay1"), 1100 + 3601);
	ck_assert(!correlator_session_peek(c, ZSTR_LIT("relay1"), 40, &got));
	/* Set again, then ended. */
	s.last_sec = 5000;
	correlator_session_set(c, &s);
	ck_assert(correlator_session_peek(c, ZSTR_LIT("relay1"), 40, &got));
	correlator_session_end(c, ZSTR_LIT("relay1"), 40);
	ck_assert(!correlator_session_peek(c, ZSTR_LIT("relay1"), 40, &got));
	correlator_session_end(c, ZSTR_LIT("relay9"), 40);

	/* A line whose session another run looked up finds that one, and
	   changes nothing here. */
	s.sasl_username = "kim";
	ev = mk(EV_REJECT, 5001, "relay1", 40, NULL);
	ev.reject_origin = REJECT_SMTPD;
	ev.stage = ZSTR_LIT("RCPT");
	ev.client_ip = ZSTR_LIT("192.0.2.40");
	correlator_feed_resolved(c, &ev, &s);
	m = next_reject(c);
	ck_assert_ptr_nonnull(m);
	ck_assert_str_eq(m->sasl_username, "kim");
	ck_assert(!correlator_session_peek(c, ZSTR_LIT("relay1"), 40, &got));
	correlator_feed_resolved(c, &ev, NULL);
	m = next_reject(c);
	ck_assert_ptr_nonnull(m);
	ck_assert_ptr_null(m->sasl_username);
	ev = mk(EV_CONNECT, 5002, "relay1", 40, NULL);
	correlator_feed_resolved(c, &ev, NULL);
	ev = mk(EV_CLIENT, 5003, "relay1", 40, "TR1");
	ev.client_ip = ZSTR_LIT("192.0.2.40");
	ev.sasl_username = ZSTR_LIT("lee");
	correlator_feed_resolved(c, &ev, NULL);
	ck_assert(!correlator_session_peek(c, ZSTR_LIT("relay1"), 40, &got));
	/* Fed the usual way, the same lines do. */
	correlator_feed(c, &ev);
	ck_assert(correlator_session_peek(c, ZSTR_LIT("relay1"), 40, &got));
	ck_assert_str_eq(got.sasl_username, "lee");
	/* The clock also ends idle messages. */
	correlator_advance(c, ZSTR_LIT("relay1"), 5003 + 7 * 24 * 3600);
	ck_assert_uint_eq(correlator_open_count(c), 0);
	ck_assert_uint_eq(correlator_stats(c)->messages_evicted, 1);
	correlator_free(c);
}
END_TEST

/* closed_count - correlator_closed_each() callback: count, and keep
   the last one's time */
static void
closed_count(void *arg, struct zstr host, struct zstr qid,
    int64_t closed_sec)
{
	int64_t *n = arg;

	ck_assert(zstr_eq_cstr(host, "relay1"));
	ck_assert_uint_gt(qid.len, 0);
	n[0]++;
	n[1] = closed_sec;
}

START_TEST(test_closed_transfer)
{
	struct correlator *c = correlator_new(NULL);
	int64_t		 n[2] = { 0, 0 };

	/* A closed queue ID is remembered, and reported. */
	feed_client(c, 100, "relay1", 10, "CL1", "192.0.2.1", NULL);
	feed_simple(c, EV_REMOVED, 101, "relay1", "CL1");
	ck_assert_uint_eq(count_ready(c, NULL), 1);
	correlator_closed_each(c, closed_count, n);
	ck_assert_int_eq(n[0], 1);
	ck_assert_int_eq(n[1], 101);
	correlator_free(c);

	/* One closed in another run makes a late line here an orphan
	   within the window, and a new message after it. */
	c = correlator_new(NULL);
	correlator_closed_put(c, ZSTR_LIT("relay1"), ZSTR_LIT("CL2"), 200);
	feed_delivery(c, 200 + CORRELATOR_ORPHAN_WINDOW_SEC, "relay1", "CL2",
	    "a@example.org", DELIVERY_SENT, "2.0.0", "250 ok");
	ck_assert_uint_eq(correlator_stats(c)->orphan_events, 1);
	ck_assert_uint_eq(correlator_open_count(c), 0);
	feed_delivery(c, 201 + CORRELATOR_ORPHAN_WINDOW_SEC, "relay1", "CL2",
	    "a@example.org", DELIVERY_SENT, "2.0.0", "250 ok");
	ck_assert_uint_eq(correlator_stats(c)->orphan_events, 1);
	ck_assert_uint_eq(correlator_open_count(c), 1);
	/* An open queue ID is left open. */
	correlator_closed_put(c, ZSTR_LIT("relay1"), ZSTR_LIT("CL2"), 300);
	ck_assert(correlator_is_open(c, ZSTR_LIT("relay1"), ZSTR_LIT("CL2")));
	correlator_closed_put(c, ZSTR_LIT("relay1"), ZSTR_NULL, 300);
	n[0] = 0;
	correlator_closed_each(c, closed_count, n);
	ck_assert_int_eq(n[0], 0);
	correlator_free(c);

	/* Each relay's window runs on its own clock: closes of another
	   relay, hours later, leave this relay's closed IDs alone. */
	c = correlator_new(NULL);
	correlator_closed_put(c, ZSTR_LIT("relay1"), ZSTR_LIT("CL3"), 400);
	feed_client(c, 7000, "relay2", 20, "CL4", "192.0.2.4", NULL);
	feed_simple(c, EV_REMOVED, 7001, "relay2", "CL4");
	correlator_closed_put(c, ZSTR_LIT("relay2"), ZSTR_LIT("CL5"), 7002);
	ck_assert_uint_eq(count_ready(c, NULL), 1);
	feed_delivery(c, 410, "relay1", "CL3", "a@example.org",
	    DELIVERY_SENT, "2.0.0", "250 ok");
	ck_assert_uint_eq(correlator_stats(c)->orphan_events, 1);
	ck_assert_uint_eq(correlator_open_count(c), 0);
	correlator_free(c);
}
END_TEST

START_TEST(test_session_limits)
{
	struct correlator_options o = { .max_sessions = 5 };
	struct correlator *c = correlator_new(&o);
	const struct message *m;
	int64_t		 pid;

	/* Over max_sessions the least recently active session goes. */
	feed_client(c, 10, "relay1", 1, "LIM1", "192.0.2.1", "gina");
	for (pid = 2; pid < 12; pid++)
		feed_session(c, EV_CONNECT, 11, "relay1", pid, "192.0.2.2");
	feed_noqueue(c, 12, "relay1", 1, "192.0.2.1");
	m = next_reject(c);
	ck_assert_ptr_nonnull(m);
	ck_assert_ptr_null(m->sasl_username);
	/* A session silent for over an hour of log time is gone. */
	feed_client(c, 20, "relay1", 2, "LIM2", "192.0.2.2", "hank");
	feed_noqueue(c, 21, "relay1", 2, "192.0.2.2");
	m = next_reject(c);
	ck_assert_ptr_nonnull(m);
	ck_assert_str_eq(m->sasl_username, "hank");
	feed_simple(c, EV_REMOVED, 21 + 3601, "relay1", "LIM2");
	feed_noqueue(c, 21 + 3602, "relay1", 2, "192.0.2.2");
	m = next_reject(c);
	ck_assert_ptr_nonnull(m);
	ck_assert_ptr_null(m->sasl_username);
	correlator_free(c);
}
END_TEST

START_TEST(test_auth_failure)
{
	struct correlator *c = correlator_new(NULL);
	const struct message *m;
	struct mta_event ev;

	feed_session(c, EV_CONNECT, 10, "relay1", 400, "192.0.2.44");
	feed_client(c, 11, "relay1", 400, "AUF1", "192.0.2.44", "bob");
	/* "warning: unknown[192.0.2.44]: SASL LOGIN authentication
	   failed: UGFzc3dvcmQ6" names no user. */
	ev = mk(EV_AUTH_FAILED, 12, "relay1", 400, NULL);
	ev.client_ip = ZSTR_LIT("192.0.2.44");
	ev.client_name = ZSTR_LIT("unknown");
	ev.sasl_method = ZSTR_LIT("LOGIN");
	ev.response = ZSTR_LIT("authentication failed: UGFzc3dvcmQ6");
	correlator_feed(c, &ev);
	ev.time_sec = 13;
	ev.sasl_username = ZSTR_LIT("carol");
	correlator_feed(c, &ev);

	m = correlator_next(c);
	ck_assert_ptr_nonnull(m);
	ck_assert_int_eq(m->kind, RECORD_AUTH_FAILURE);
	ck_assert_str_eq(m->host, "relay1");
	ck_assert_ptr_null(m->queue_id);
	ck_assert_str_eq(m->client_ip, "192.0.2.44");
	ck_assert_str_eq(m->client_name, "unknown");
	ck_assert_str_eq(m->sasl_method, "LOGIN");
	ck_assert_ptr_null(m->sasl_username);
	ck_assert_str_eq(m->reject_response,
	    "authentication failed: UGFzc3dvcmQ6");
	ck_assert_int_eq(m->first_sec, 12);
	ck_assert_int_eq(m->last_sec, 12);
	m = correlator_next(c);
	ck_assert_ptr_nonnull(m);
	ck_assert_int_eq(m->kind, RECORD_AUTH_FAILURE);
	ck_assert_str_eq(m->sasl_username, "carol");
	ck_assert_ptr_null(correlator_next(c));
	ck_assert_uint_eq(correlator_stats(c)->auth_failures, 2);
	correlator_free(c);
}
END_TEST

START_TEST(test_local_rejects)
{
	struct correlator *c = correlator_new(NULL);
	const struct message *m;
	struct mta_event ev;

	/* smtpd refuses one more recipient: the message goes on, and the
	   refusal is a record of its own, made as the session's user,
	   as a "NOQUEUE: reject" before the first accepted one is. */
	feed_client(c, 10, "relay1", 1, "REJ1", "192.0.2.8", "ivan");
	ev = mk(EV_REJECT, 11, "relay1", 1, "REJ1");
	ev.mta = MTA_POSTFIX;
	ev.program = ZSTR_LIT("postfix/smtpd");
	ev.reject_origin = REJECT_SMTPD;
	ev.stage = ZSTR_LIT("RCPT");
	ev.client_ip = ZSTR_LIT("192.0.2.8");
	ev.recipient = ZSTR_LIT("x@example.com");
	ev.dsn = ZSTR_LIT("5.1.1");
	ev.response = ZSTR_LIT("550 5.1.1 unknown");
	correlator_feed(c, &ev);
	m = correlator_next(c);
	ck_assert_ptr_nonnull(m);
	ck_assert_int_eq(m->kind, RECORD_REJECT);
	ck_assert_str_eq(m->sasl_username, "ivan");
	ck_assert_str_eq(m->stage, "RCPT");
	ck_assert_ptr_null(correlator_next(c));
	ck_assert_uint_eq(correlator_open_count(c), 1);
	/* the same refusal from an MTA that names no message by it */
	ev.mta = MTA_UNKNOWN;
	correlator_feed(c, &ev);
	ck_assert_ptr_null(correlator_next(c));
	/* cleanup's header check throws the message away. */
	ev = mk(EV_REJECT, 12, "relay1", 2, "REJ1");
	ev.program = ZSTR_LIT("postfix/cleanup");
	ev.reject_origin = REJECT_CLEANUP;
	ev.stage = ZSTR_LIT("END-OF-MESSAGE");
	ev.sender = ZSTR_LIT("ivan@example.net");
	ev.dsn = ZSTR_LIT("5.7.1");
	ev.response = ZSTR_LIT("5.7.1 message content rejected");
	correlator_feed(c, &ev);
	m = correlator_next(c);
	ck_assert_ptr_nonnull(m);
	ck_assert_str_eq(m->queue_id, "REJ1");
	ck_assert_uint_eq(m->local_rejects, 2);
	ck_assert_str_eq(m->stage, "END-OF-MESSAGE");
	ck_assert_str_eq(m->reject_dsn, "5.7.1");
	ck_assert_str_eq(m->reject_response, "5.7.1 message content rejected");
	ck_assert_str_eq(m->sender, "ivan@example.net");
	ck_assert_str_eq(m->sasl_username, "ivan");
	ck_assert_uint_eq(m->recipient_count, 0);
	ck_assert(m->is_complete);
	ck_assert_uint_eq(correlator_open_count(c), 0);
	/* A milter refusal logged by cleanup ends the message too. */
	feed_client(c, 20, "relay1", 1, "REJ2", "192.0.2.8", "ivan");
	ev = mk(EV_REJECT, 21, "relay1", 2, "REJ2");
	ev.program = ZSTR_LIT("postfix/cleanup");
	ev.reject_origin = REJECT_MILTER;
	ev.stage = ZSTR_LIT("END-OF-MESSAGE");
	correlator_feed(c, &ev);
	m = correlator_next(c);
	ck_assert_ptr_nonnull(m);
	ck_assert_str_eq(m->queue_id, "REJ2");
	ck_assert(m->is_complete);
	/* Were "removed" to follow anyway, it is an orphan. */
	feed_simple(c, EV_REMOVED, 22, "relay1", "REJ2");
	ck_assert_ptr_null(correlator_next(c));
	ck_assert_uint_eq(correlator_stats(c)->orphan_events, 1);
	ck_assert_uint_eq(correlator_stats(c)->messages_complete, 2);
	ck_assert_uint_eq(correlator_stats(c)->rejects, 1);
	/* A DISCARD action, from cleanup or from smtpd at RCPT, throws
	   the whole message away: nothing of it follows. */
	feed_client(c, 30, "relay1", 1, "DIS1", "192.0.2.8", "ivan");
	ev = mk(EV_REJECT, 31, "relay1", 2, "DIS1");
	ev.program = ZSTR_LIT("postfix/cleanup");
	ev.reject_origin = REJECT_DISCARD;
	ev.stage = ZSTR_LIT("header");
	ev.response = ZSTR_LIT("spam discarded");
	correlator_feed(c, &ev);
	m = correlator_next(c);
	ck_assert_ptr_nonnull(m);
	ck_assert_str_eq(m->queue_id, "DIS1");
	ck_assert_uint_eq(m->local_rejects, 1);
	ck_assert_str_eq(m->reject_response, "spam discarded");
	ck_assert(m->is_complete);
	feed_client(c, 40, "relay1", 1, "DIS2", "192.0.2.8", "ivan");
	ev = mk(EV_REJECT, 41, "relay1", 1, "DIS2");
	ev.program = ZSTR_LIT("postfix/smtpd");
	ev.mta = MTA_POSTFIX;
	ev.reject_origin = REJECT_DISCARD;
	ev.stage = ZSTR_LIT("RCPT");
	ev.recipient = ZSTR_LIT("d@example.org");
	correlator_feed(c, &ev);
	m = correlator_next(c);
	ck_assert_ptr_nonnull(m);
	ck_assert_int_eq(m->kind, RECORD_MESSAGE);
	ck_assert_str_eq(m->queue_id, "DIS2");
	ck_assert_uint_eq(m->local_rejects, 1);
	ck_assert(m->is_complete);
	ck_assert_ptr_null(correlator_next(c));
	ck_assert_uint_eq(correlator_open_count(c), 0);
	ck_assert_uint_eq(correlator_stats(c)->messages_complete, 4);
	correlator_free(c);
}
END_TEST

START_TEST(test_finish_order)
{
	static const struct {
		int64_t		 t;
		const char	*host;
		const char	*qid;
	} in[] = {
		{ 50, "relay-b", "Q1" },
		{ 50, "relay-a", "Q9" },
		{ 40, "relay-z", "Q5" },
		{ 50, "relay-a", "Q2" },
		{ 60, "relay-a", "Q0" },
	};
	static const char *const want[] = { "Q5", "Q2", "Q9", "Q1", "Q0" };
	struct correlator *c = correlator_new(NULL);
	const struct message *m;
	size_t		 i;

	for (i = 0; i < sizeof(in) / sizeof(in[0]); i++)
		feed_queued(c, in[i].t, in[i].host, in[i].qid, "s@example.net",
		    1);
	/* Later activity does not change the order: first_sec does. */
	feed_simple(c, EV_MESSAGE_ID, 70, "relay-z", "Q5");
	correlator_finish(c);
	ck_assert_uint_eq(correlator_open_count(c), 0);
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		m = correlator_next(c);
		ck_assert_ptr_nonnull(m);
		ck_assert_str_eq(m->queue_id, want[i]);
		ck_assert(!m->is_complete);
	}
	ck_assert_ptr_null(correlator_next(c));
	ck_assert_uint_eq(correlator_stats(c)->messages_incomplete, 5);
	ck_assert_uint_eq(correlator_stats(c)->messages_complete, 0);
	correlator_free(c);
}
END_TEST

START_TEST(test_evict_max_open)
{
	struct correlator_options o = { .max_open = 10 };
	struct correlator *c = correlator_new(&o);
	char		 qid[32];
	size_t		 i, incomplete;

	for (i = 0; i < 1000; i++) {
		snprintf(qid, sizeof(qid), "EV%zu", i);
		feed_client(c, 1000 + (int64_t)i, "relay1", 1, qid,
		    "192.0.2.1", NULL);
		ck_assert_uint_le(correlator_open_count(c), 10);
	}
	ck_assert_uint_eq(correlator_stats(c)->messages_evicted, 990);
	ck_assert_uint_eq(correlator_stats(c)->open_peak, 10);
	ck_assert_uint_eq(count_ready(c, &incomplete), 990);
	ck_assert_uint_eq(incomplete, 990);
	correlator_finish(c);
	ck_assert_uint_eq(count_ready(c, &incomplete), 10);
	ck_assert_uint_eq(incomplete, 10);
	ck_assert_uint_eq(correlator_stats(c)->messages_incomplete, 10);
	correlator_free(c);
}
END_TEST

START_TEST(test_evict_lru)
{
	struct correlator_options o = { .max_open = 3 };
	struct correlator *c = correlator_new(&o);
	const struct message *m;

	feed_queued(c, 1, "relay1", "L1", "a@example.net", 1);
	feed_queued(c, 2, "relay1", "L2", "a@example.net", 1);
	feed_queued(c, 3, "relay1", "L3", "a@example.net", 1);
	feed_delivery(c, 4, "relay1", "L1", "r@example.com", DELIVERY_SENT,
	    "2.0.0", "250 ok");
	feed_queued(c, 5, "relay1", "L4", "a@example.net", 1);
	m = correlator_next(c);
	ck_assert_ptr_nonnull(m);
	ck_assert_str_eq(m->queue_id, "L2");
	ck_assert(!m->is_complete);
	ck_assert_ptr_null(correlator_next(c));
	correlator_free(c);
}
END_TEST

START_TEST(test_evict_idle)
{
	struct correlator_options o = { .max_idle_sec = 100 };
	struct correlator *c = correlator_new(&o);
	const struct message *m;

	feed_queued(c, 1000, "relay1", "ID1", "a@example.net", 1);
	feed_queued(c, 1050, "relay1", "ID2", "a@example.net", 1);
	/* relay2's log is read after relay1's: its own clock counts. */
	feed_queued(c, 10, "relay2", "OTHER1", "a@example.net", 1);
	ck_assert_ptr_null(correlator_next(c));
	feed_delivery(c, 1100, "relay1", "ID2", "r@example.com",
	    DELIVERY_SENT, "2.0.0", "250 ok");
	ck_assert_ptr_null(correlator_next(c));
	feed_delivery(c, 1101, "relay1", "ID2", "s@example.com",
	    DELIVERY_SENT, "2.0.0", "250 ok");
	m = correlator_next(c);
	ck_assert_ptr_nonnull(m);
	ck_assert_str_eq(m->queue_id, "ID1");
	ck_assert(!m->is_complete);
	ck_assert_ptr_null(correlator_next(c));
	ck_assert_uint_eq(correlator_open_count(c), 2);
	feed_queued(c, 200, "relay2", "OTHER2", "a@example.net", 1);
	m = correlator_next(c);
	ck_assert_ptr_nonnull(m);
	ck_assert_str_eq(m->queue_id, "OTHER1");
	ck_assert_str_eq(m->host, "relay2");
	ck_assert_uint_eq(correlator_stats(c)->messages_evicted, 2);
	correlator_finish(c);
	ck_assert_uint_eq(count_ready(c, NULL), 2);
	correlator_free(c);
}
END_TEST

START_TEST(test_many_recipients)
{
	struct correlator *c = correlator_new(NULL);
	const struct message *m;
	char		 rcpt[64];
	size_t		 i, n = 100000;

	feed_client(c, 1, "relay1", 1, "BIG1", "192.0.2.1", "spammer");
	for (i = 0; i < n; i++) {
		snprintf(rcpt, sizeof(rcpt), "user%zu@example.com", i);
		feed_delivery(c, 2, "relay1", "BIG1", rcpt, DELIVERY_DEFERRED,
		    "4.7.1", "421 rate limited");
	}
	for (i = 0; i < n; i++) {
		snprintf(rcpt, sizeof(rcpt), "user%zu@example.com", i);
		feed_delivery(c, 3, "relay1", "BIG1", rcpt, DELIVERY_SENT,
		    "2.0.0", "250 ok");
	}
	/* One more address is over the default max_recipients. */
	feed_delivery(c, 4, "relay1", "BIG1", "extra@example.com",
	    DELIVERY_SENT, "2.0.0", "250 ok");
	feed_simple(c, EV_REMOVED, 5, "relay1", "BIG1");
	m = correlator_next(c);
	ck_assert_ptr_nonnull(m);
	ck_assert_uint_eq(m->recipient_count, n);
	for (i = 0; i < n; i++) {
		ck_assert_int_eq(m->recipients[i].status, DELIVERY_SENT);
		ck_assert_uint_eq(m->recipients[i].deferrals, 1);
	}
	ck_assert_str_eq(m->recipients[n - 1].address,
	    "user99999@example.com");
	ck_assert_uint_eq(correlator_stats(c)->recipients_dropped, 1);
	correlator_free(c);
}
END_TEST

/* heap_in_use - bytes malloc has handed out, or 0 where that cannot be
   told (not glibc, or a sanitizer's allocator answering zero) */
static size_t
heap_in_use(void)
{
#if defined(__GLIBC__) && (__GLIBC__ > 2 || __GLIBC_MINOR__ >= 33)
	return mallinfo2().uordblks;
#else
	return 0;
#endif
}

/*
 * A recipient deferred and retried for days: each attempt logs another
 * response, longer or shorter than the last.  The record keeps only the
 * last outcome, and the memory a message holds must not grow with the
 * number of attempts.
 */
/* A milter's refusal of one more recipient of an open message: the
   message goes on; the refusal keeps its own recipient and time. */
START_TEST(test_reject_recipient_kept)
{
	struct correlator *c = correlator_new(NULL);
	const struct message *m;
	struct mta_event ev;

	feed_client(c, 1, "relay1", 1, "4F1A2B3C4D", "192.0.2.1", "alice");
	ev = mk(EV_REJECT, 2, "relay1", 1, "4F1A2B3C4D");
	ev.reject_origin = REJECT_MILTER;
	ev.stage = ZSTR_LIT("RCPT");
	ev.recipient = ZSTR_LIT("bad@example.org");
	ev.response = ZSTR_LIT("550 5.7.1 Recipient blocked");
	correlator_feed(c, &ev);
	feed_queued(c, 3, "relay1", "4F1A2B3C4D", "alice@isp.example", 1);
	feed_delivery(c, 4, "relay1", "4F1A2B3C4D", "good@example.org",
	    DELIVERY_SENT, "2.0.0", "250 ok");
	feed_simple(c, EV_REMOVED, 300, "relay1", "4F1A2B3C4D");
	m = correlator_next(c);
	ck_assert_ptr_nonnull(m);
	ck_assert_uint_eq(m->local_rejects, 1);
	ck_assert_str_eq(m->reject_recipient, "bad@example.org");
	ck_assert_int_eq(m->reject_sec, 2);
	ck_assert_str_eq(m->recipients[0].address, "good@example.org");
	correlator_free(c);
}
END_TEST

/* Exim's queue runs log "retry time not reached" without trying:
   no attempt, and the server's last reply stays */
START_TEST(test_exim_not_tried)
{
	struct correlator *c = correlator_new(NULL);
	const struct message *m;
	struct mta_event ev;
	int	 i;

	feed_client(c, 1, "relay1", 1, "1tQx01-00000004VdR-Aa01",
	    "192.0.2.1", "alice");
	for (i = 0; i < 4; i++) {
		ev = mk(EV_DELIVERY, 2 + i, "relay1", 30,
		    "1tQx01-00000004VdR-Aa01");
		ev.mta = MTA_EXIM;
		ev.recipient = ZSTR_LIT("x@example.org");
		ev.status = DELIVERY_DEFERRED;
		if (i == 1) {
			ev.dsn = ZSTR_LIT("4.7.1");
			ev.response = ZSTR_LIT("SMTP error from remote mail "
			    "server after RCPT TO:<x@example.org>: 451 4.7.1 "
			    "Client host blocked using zen.spamhaus.org");
		} else
			ev.response = i == 3 ? ZSTR_LIT("retry time not "
			    "reached for any host") :
			    ZSTR_LIT("retry time not reached");
		correlator_feed(c, &ev);
	}
	/* a recipient whose only line is not tried: waiting, no reply */
	ev = mk(EV_DELIVERY, 7, "relay1", 30, "1tQx01-00000004VdR-Aa01");
	ev.mta = MTA_EXIM;
	ev.recipient = ZSTR_LIT("y@example.org");
	ev.status = DELIVERY_DEFERRED;
	ev.response = ZSTR_LIT("retry time not reached for any host");
	correlator_feed(c, &ev);
	feed_simple(c, EV_REMOVED, 9, "relay1", "1tQx01-00000004VdR-Aa01");
	m = correlator_next(c);
	ck_assert_ptr_nonnull(m);
	ck_assert_uint_eq(m->recipient_count, 2);
	ck_assert_int_eq(m->recipients[1].status, DELIVERY_DEFERRED);
	ck_assert_uint_eq(m->recipients[1].deferrals, 0);
	ck_assert_ptr_null(m->recipients[1].response);
	ck_assert_int_eq(m->recipients[1].time_sec, 7);
	ck_assert_int_eq(m->recipients[0].status, DELIVERY_DEFERRED);
	/* the attempt alone: the first line, not tried, waits */
	ck_assert_uint_eq(m->recipients[0].deferrals, 1);
	ck_assert_ptr_nonnull(strstr(m->recipients[0].response,
	    "zen.spamhaus.org"));
	ck_assert_str_eq(m->recipients[0].dsn, "4.7.1");
	ck_assert_int_eq(m->recipients[0].time_sec, 3);
	correlator_free(c);
}
END_TEST

START_TEST(test_deferred_many_retries)
{
	enum { WARMUP = 1000, ATTEMPTS = 60000 };
	struct correlator *c = correlator_new(NULL);
	const struct message *m;
	char		 resp[400];
	size_t		 warm = 0, len;
	long		 i;

	feed_client(c, 1, "relay1", 1, "RETRY1", "192.0.2.1", "alice");
	feed_queued(c, 2, "relay1", "RETRY1", "alice@example.net", 2);
	feed_delivery(c, 3, "relay1", "RETRY1", "ok@example.com",
	    DELIVERY_SENT, "2.0.0", "250 2.0.0 Ok");
	for (i = 0; i < ATTEMPTS; i++) {
		/* Long and short answers in turn, as from several MXs. */
		len = (size_t)snprintf(resp, sizeof(resp),
		    "host mx%ld.example.com[203.0.113.%ld] said: 451 4.7.1 "
		    "%.*s (in reply to RCPT TO command)", i % 7, i % 250,
		    (int)(i % 3 == 0 ? 250 : i % 40), "try again later "
		    "try again later try again later try again later try "
		    "again later try again later try again later try again "
		    "later try again later try again later try again later "
		    "try again later try again later try again later try "
		    "again later try again later try again later try again");
		ck_assert_uint_lt(len, sizeof(resp));
		/* qmgr logs the envelope at every queue run. */
		if (i % 10 == 0)
			feed_queued(c, 4 + i, "relay1", "RETRY1",
			    "alice@example.net", 2);
		feed_delivery(c, 4 + i, "relay1", "RETRY1",
		    "slow@example.org", DELIVERY_DEFERRED,
		    i % 2 ? "4.7.1" : "4.4.1", resp);
		if (i == WARMUP)
			warm = heap_in_use();
	}
	/* Nothing grew after the warm-up (glibc counts to the byte). */
	ck_assert_uint_le(heap_in_use(), warm + 4096);
	ck_assert_ptr_null(correlator_next(c));
	feed_simple(c, EV_REMOVED, 4 + ATTEMPTS, "relay1", "RETRY1");
	m = correlator_next(c);
	ck_assert_ptr_nonnull(m);
	ck_assert_uint_eq(m->recipient_count, 2);
	ck_assert_str_eq(m->recipients[0].response, "250 2.0.0 Ok");
	ck_assert_int_eq(m->recipients[0].status, DELIVERY_SENT);
	ck_assert_str_eq(m->recipients[1].address, "slow@example.org");
	ck_assert_str_eq(m->recipients[1].dsn, "4.7.1");
	ck_assert_str_eq(m->recipients[1].response, resp);
	ck_assert_int_eq(m->recipients[1].status, DELIVERY_DEFERRED);
	ck_assert_uint_eq(m->recipients[1].deferrals, ATTEMPTS);
	ck_assert_str_eq(m->sender, "alice@example.net");
	ck_assert_str_eq(m->sasl_username, "alice");
	correlator_free(c);
}
END_TEST

/*
 * Records are made over and over from released ones: nothing of an
 * earlier record may show in a later one, whatever its kind, and a
 * record handed out stays intact until the next call.
 */
START_TEST(test_records_reused)
{
	struct correlator *c = correlator_new(NULL);
	const struct message *m;
	char		 qid[32], rcpt[64], user[32];
	size_t		 i, j, n;

	for (i = 0; i < 3000; i++) {
		snprintf(qid, sizeof(qid), "Q%zu", i);
		snprintf(user, sizeof(user), "user%zu", i);
		switch (i % 4) {
		case 0:		/* full message, i % 9 recipients */
			feed_client(c, (int64_t)i, "relay1", 7, qid,
			    "192.0.2.7", user);
			feed_queued(c, (int64_t)i, "relay1", qid,
			    "s@example.net", i % 9);
			for (j = 0; j < i % 9; j++) {
				snprintf(rcpt, sizeof(rcpt), "r%zu.%zu@x.org",
				    i, j);
				feed_delivery(c, (int64_t)i, "relay1", qid,
				    rcpt, DELIVERY_SENT, "2.0.0", "250 Ok");
			}
			break;
		case 1:		/* no client line, no recipient */
			feed_queued(c, (int64_t)i, "relay1", qid, "", 0);
			break;
		case 2:
			feed_noqueue(c, (int64_t)i, "relay1", 8, "192.0.2.8");
			break;
		default:
			break;
		}
		if (i % 4 < 2)
			feed_simple(c, EV_REMOVED, (int64_t)i, "relay1", qid);
		n = 0;
		while ((m = correlator_next(c)) != NULL) {
			n++;
			switch (i % 4) {
			case 0:
				ck_assert_str_eq(m->queue_id, qid);
				ck_assert_str_eq(m->sasl_username, user);
				ck_assert_str_eq(m->client_ip, "192.0.2.7");
				ck_assert_uint_eq(m->recipient_count, i % 9);
				for (j = 0; j < i % 9; j++) {
					snprintf(rcpt, sizeof(rcpt),
					    "r%zu.%zu@x.org", i, j);
					ck_assert_str_eq(
					    m->recipients[j].address, rcpt);
					ck_assert_str_eq(
					    m->recipients[j].response,
					    "250 Ok");
				}
				break;
			case 1:
				ck_assert_str_eq(m->queue_id, qid);
				ck_assert_str_eq(m->sender, "");
				ck_assert_int_eq(m->origin, ORIGIN_BOUNCE);
				ck_assert_ptr_null(m->client_ip);
				ck_assert_ptr_null(m->sasl_username);
				ck_assert_ptr_null(m->message_id);
				ck_assert_uint_eq(m->recipient_count, 0);
				ck_assert_ptr_null(m->recipients);
				ck_assert_uint_eq(m->local_rejects, 0);
				break;
			default:
				ck_assert_int_eq(m->kind, RECORD_REJECT);
				ck_assert_ptr_null(m->queue_id);
				ck_assert_str_eq(m->client_ip, "192.0.2.8");
				ck_assert_ptr_null(m->sasl_username);
				ck_assert_uint_eq(m->recipient_count, 1);
				ck_assert_str_eq(m->recipients[0].address,
				    "victim@example.com");
				ck_assert_ptr_null(m->recipients[0].response);
				break;
			}
		}
		ck_assert_uint_eq(n, i % 4 == 3 ? 0 : 1);
	}
	ck_assert_uint_eq(correlator_open_count(c), 0);
	correlator_free(c);
}
END_TEST

START_TEST(test_max_recipients)
{
	struct correlator_options o = { .max_recipients = 3 };
	struct correlator *c = correlator_new(&o);
	const struct message *m;
	static const char *const rcpts[] = { "a@x", "b@x", "c@x", "d@x",
	    "a@x", "e@x" };
	size_t		 i;

	for (i = 0; i < sizeof(rcpts) / sizeof(rcpts[0]); i++)
		feed_delivery(c, 1, "relay1", "CAP1", rcpts[i], DELIVERY_SENT,
		    "2.0.0", "250 ok");
	feed_simple(c, EV_REMOVED, 2, "relay1", "CAP1");
	m = correlator_next(c);
	ck_assert_ptr_nonnull(m);
	ck_assert_int_eq(m->origin, ORIGIN_UNKNOWN);
	ck_assert_uint_eq(m->recipient_count, 3);
	ck_assert_str_eq(m->recipients[2].address, "c@x");
	ck_assert_uint_eq(correlator_stats(c)->recipients_dropped, 2);
	correlator_free(c);
}
END_TEST

static const struct {
	const char	*in;
	bool		 ok;
	const char	*out;
} ip_cases[] = {
	{ "2001:DB8:0:0:0:0:0:1", true, "2001:db8::1" },
	{ "192.0.2.1", true, "192.0.2.1" },
	/* glibc and musl inet_pton refuse leading zeros (they would be
	   octal to inet_aton): kept as logged. */
	{ "192.0.2.001", false, "192.0.2.001" },
	{ "IPv6:::1", true, "::1" },
	{ "ipv6:2001:db8::A", true, "2001:db8::a" },
	{ "::ffff:192.0.2.1", true, "::ffff:192.0.2.1" },
	{ "unknown", false, "unknown" },
	{ "", false, "" },
	{ "IPv6:", false, "IPv6:" },
	{ "IPv6:garbage", false, "IPv6:garbage" },
	{ "300.1.1.1", false, "300.1.1.1" },
	{ "fe80::1%eth0", false, "fe80::1%eth0" },
	{ " 192.0.2.1", false, " 192.0.2.1" },
	/* Dotted quads already canonical are copied as they stand. */
	{ "0.0.0.0", true, "0.0.0.0" },
	{ "255.255.255.255", true, "255.255.255.255" },
	{ "10.0.0.10", true, "10.0.0.10" },
	{ "IPv6:192.0.2.1", true, "192.0.2.1" },
	{ "256.1.1.1", false, "256.1.1.1" },
	{ "1.2.3", false, "1.2.3" },
	{ "1.2.3.4.5", false, "1.2.3.4.5" },
	{ "1.2.3.4.", false, "1.2.3.4." },
	{ "1.2.3.4 ", false, "1.2.3.4 " },
	{ "01.2.3.4", false, "01.2.3.4" },
	{ "1.2.3.00", false, "1.2.3.00" },
	{ "1..2.3", false, "1..2.3" },
	{ "1.2.3.1000", false, "1.2.3.1000" },
};

START_TEST(test_canonical_ip)
{
	char	buf[46];
	bool	ok;

	ok = correlator_canonical_ip(ip_cases[_i].in, strlen(ip_cases[_i].in),
	    buf, sizeof(buf));
	ck_assert_msg(ok == ip_cases[_i].ok, "%s", ip_cases[_i].in);
	ck_assert_str_eq(buf, ip_cases[_i].out);
}
END_TEST

START_TEST(test_canonical_ip_edges)
{
	char	 big[200], buf[46], small[4];

	memset(big, 'a', sizeof(big));
	ck_assert(!correlator_canonical_ip(big, sizeof(big), buf,
	    sizeof(buf)));
	ck_assert_uint_eq(strlen(buf), sizeof(buf) - 1);
	/* An address that does not fit the buffer is not written past it. */
	ck_assert(!correlator_canonical_ip("2001:db8::1", 11, small,
	    sizeof(small)));
	ck_assert_str_eq(small, "200");
	/* Nor is a dotted quad one byte too long for it. */
	ck_assert(!correlator_canonical_ip("1.2.3.4", 7, buf, 7));
	ck_assert_str_eq(buf, "1.2.3.");
	ck_assert(correlator_canonical_ip("1.2.3.4", 7, buf, 8));
	ck_assert_str_eq(buf, "1.2.3.4");
	/* Only len bytes count: "192.0.2.15" cut to "192.0.2.1". */
	ck_assert(correlator_canonical_ip("192.0.2.15", 9, buf, sizeof(buf)));
	ck_assert_str_eq(buf, "192.0.2.1");
	ck_assert(!correlator_canonical_ip("1\0" "2.0.2.1", 9, buf,
	    sizeof(buf)));
	ck_assert(!correlator_canonical_ip(NULL, 0, buf, sizeof(buf)));
	ck_assert_str_eq(buf, "");
}
END_TEST

/*
 * The address forms against the C library: correlator_canonical_ip()
 * parses and formats the usual texts itself, and must agree byte for
 * byte, and in its verdict, with inet_pton() and inet_ntop().
 */

/* ref_canonical_ip - the library's verdict on a text, as the
   correlator documents it */
static bool
ref_canonical_ip(const char *ip, size_t len, char *buf, size_t bufsize)
{
	unsigned char	 addr[16];
	char		 tmp[64];
	const char	*p = ip;
	size_t		 n = len;

	if (n >= 5 && strncasecmp(p, "IPv6:", 5) == 0) {
		p += 5;
		n -= 5;
	}
	if (n > 0 && n < sizeof(tmp) && memchr(p, '\0', n) == NULL &&
	    bufsize > 0) {
		memcpy(tmp, p, n);
		tmp[n] = '\0';
		if (inet_pton(AF_INET, tmp, addr) == 1 &&
		    inet_ntop(AF_INET, addr, buf, (socklen_t)bufsize) != NULL)
			return true;
		if (inet_pton(AF_INET6, tmp, addr) == 1 &&
		    inet_ntop(AF_INET6, addr, buf, (socklen_t)bufsize) != NULL)
			return true;
	}
	if (bufsize > 0) {
		n = len < bufsize - 1 ? len : bufsize - 1;
		if (n > 0)
			memcpy(buf, ip, n);
		buf[n] = '\0';
	}
	return false;
}

/* ip_agrees - both verdicts on ip[0..len) with a bufsize buffer */
static void
ip_agrees(const char *ip, size_t len, size_t bufsize)
{
	char	got[64], want[64];
	bool	ok_got, ok_want;

	memset(got, 'X', sizeof(got) - 1);
	memset(want, 'X', sizeof(want) - 1);
	got[sizeof(got) - 1] = want[sizeof(want) - 1] = '\0';
	ok_got = correlator_canonical_ip(ip, len, got, bufsize);
	ok_want = ref_canonical_ip(ip, len, want, bufsize);
	ck_assert_msg(ok_got == ok_want, "verdict on \"%.*s\" (%zu)",
	    (int)len, ip, bufsize);
	/* Not a byte past the buffer, and the same bytes in it. */
	ck_assert_msg(memcmp(got, want, sizeof(got)) == 0,
	    "\"%.*s\" (%zu): \"%s\", library \"%s\"", (int)len, ip, bufsize,
	    got, want);
}

static uint64_t ip_rng_state;

/* ip_rng - xorshift64*: reproducible pseudo-random numbers */
static uint32_t
ip_rng(void)
{
	ip_rng_state ^= ip_rng_state >> 12;
	ip_rng_state ^= ip_rng_state << 25;
	ip_rng_state ^= ip_rng_state >> 27;
	return (uint32_t)((ip_rng_state * 2685821657736338717ULL) >> 32);
}

/* random_group - a nonzero group, of one to four hex digits */
static unsigned
random_group(void)
{
	static const unsigned masks[] = { 0xf, 0xff, 0xfff, 0xffff };
	unsigned	 g;

	do
		g = ip_rng() & masks[ip_rng() % 4];
	while (g == 0);
	return g;
}

/*
 * write_forms - texts of the address words into out (each at most 63
 * bytes; returns how many): the library's own, every group in full,
 * with leading zeros, upper case, any single run of zero groups as
 * "::" (the longest or not, one group or more), the last 32 bits as a
 * dotted quad, the "IPv6:" prefix, and one damaged text.
 */
static size_t
write_forms(const unsigned words[8], char out[][64], size_t max)
{
	unsigned char	 addr[16];
	char		*t;
	size_t		 n = 0, i, j, start, end;
	int		 dotted;

	for (i = 0; i < 8; i++) {
		addr[2 * i] = (unsigned char)(words[i] >> 8);
		addr[2 * i + 1] = (unsigned char)words[i];
	}
	ck_assert_ptr_nonnull(inet_ntop(AF_INET6, addr, out[n], 64));
	n++;
	for (dotted = 0; dotted < 2; dotted++) {
		/* In full: plain, leading zeros, upper case. */
		for (j = 0; j < 3 && n < max; j++, n++) {
			t = out[n];
			for (i = 0; i < (dotted ? 6u : 8u); i++)
				t += sprintf(t, j == 0 ? "%s%x" : j == 1 ?
				    "%s%04x" : "%s%X", i > 0 ? ":" : "",
				    words[i]);
			if (dotted)
				sprintf(t, ":%u.%u.%u.%u", addr[12], addr[13],
				    addr[14], addr[15]);
		}
		/* Each run of zero groups compressed on its own. */
		for (start = 0; start < (dotted ? 6u : 8u); start++) {
			if (words[start] != 0 ||
			    (start > 0 && words[start - 1] == 0))
				continue;
			for (end = start; end < (dotted ? 6u : 8u) &&
			    words[end] == 0; end++)
				continue;
			if (n == max)
				break;
			t = out[n++];
			for (i = 0; i < start; i++)
				t += sprintf(t, "%s%x", i > 0 ? ":" : "",
				    words[i]);
			t += sprintf(t, "::");
			for (i = end; i < (dotted ? 6u : 8u); i++)
				t += sprintf(t, "%s%x", i > end ? ":" : "",
				    words[i]);
			if (dotted)
				sprintf(t, "%s%u.%u.%u.%u", end < 6 ? ":" : "",
				    addr[12], addr[13], addr[14], addr[15]);
		}
	}
	if (n < max) {
		memcpy(out[n], ip_rng() % 2 ? "IPv6:" : "iPV6:", 5);
		memcpy(out[n] + 5, out[0], strlen(out[0]) + 1);
		n++;
	}
	if (n < max) {
		static const char bytes[] = ":.0123456789abcdefABCDEFg% ";
		size_t	 len, at;

		memcpy(out[n], out[ip_rng() % n], 64);
		len = strlen(out[n]);
		at = ip_rng() % (len + 1);
		switch (ip_rng() % 4) {
		case 0:		/* a byte less */
			if (at < len)
				memmove(out[n] + at, out[n] + at + 1, len - at);
			break;
		case 1:		/* a byte more */
			if (len < 62) {
				memmove(out[n] + at + 1, out[n] + at,
				    len - at + 1);
				out[n][at] = bytes[ip_rng() %
				    (sizeof(bytes) - 1)];
			}
			break;
		case 2:		/* a byte changed */
			if (at < len)
				out[n][at] = bytes[ip_rng() %
				    (sizeof(bytes) - 1)];
			break;
		default:	/* cut short */
			out[n][at] = '\0';
			break;
		}
		n++;
	}
	return n;
}

START_TEST(test_canonical_ip_library)
{
	static const unsigned v4[][2] = { { 0, 0 }, { 0, 1 }, { 0xc000, 0x201 },
	    { 0xffff, 0xffff }, { 0x0a00, 0 }, { 1, 0 }, { 0x100, 0xff } };
	unsigned	 words[8];
	char		 forms[40][64];
	size_t		 n, i, k, start, len, round;

	ip_rng_state = 0x9e3779b97f4a7c15ULL;
	/* Every run of zero groups, at every place, of every length,
	   alone and beside a second run (ties keep the first). */
	for (round = 0; round < 40; round++) {
		for (start = 0; start <= 8; start++) {
			for (len = 0; start + len <= 8; len++) {
				for (i = 0; i < 8; i++)
					words[i] = i >= start &&
					    i < start + len ? 0 :
					    round % 4 == 0 ? 0 : random_group();
				if (round % 2 == 1) {
					/* a second run somewhere */
					k = ip_rng() % 8;
					words[k] = 0;
					if (k + 1 < 8 && ip_rng() % 2)
						words[k + 1] = 0;
				}
				if (round % 4 == 0) {
					/* all else nonzero but one */
					for (i = 0; i < 8; i++)
						if (words[i] == 0 &&
						    (i < start ||
						    i >= start + len))
							words[i] =
							    random_group();
				}
				n = write_forms(words, forms, 40);
				for (i = 0; i < n; i++)
					ip_agrees(forms[i], strlen(forms[i]),
					    46);
			}
		}
	}
	/* Mapped, compatible and other embedded IPv4 forms, and the
	   neighbours inet_ntop writes in hex. */
	for (round = 0; round < 20; round++) {
		for (k = 0; k < sizeof(v4) / sizeof(v4[0]); k++) {
			for (start = 0; start < 4; start++) {
				memset(words, 0, sizeof(words));
				words[5] = start == 1 ? 0xffff : start == 2 ?
				    1 : 0;
				if (start == 3)
					words[4] = 0xffff;
				words[6] = round == 0 ? v4[k][0] :
				    ip_rng() & 0xffff;
				words[7] = round == 0 ? v4[k][1] :
				    ip_rng() & 0xffff;
				n = write_forms(words, forms, 40);
				for (i = 0; i < n; i++)
					ip_agrees(forms[i], strlen(forms[i]),
					    46);
			}
		}
	}
	/* Random words, mostly zero. */
	for (round = 0; round < 20000; round++) {
		for (i = 0; i < 8; i++)
			words[i] = ip_rng() % 3 == 0 ? random_group() :
			    ip_rng() % 8 == 0 ? 0xffff : 0;
		n = write_forms(words, forms, 40);
		for (i = 0; i < n; i++)
			ip_agrees(forms[i], strlen(forms[i]), 46);
	}
}
END_TEST

START_TEST(test_canonical_ip_library_texts)
{
	static const char alphabet[] = "::::....0123456789abcdefABCDEF%x ";
	static const char *const texts[] = {
		"::", ":", ":::", "::1", "1::", "1:", ":1", "::1:", "1::2::3",
		"1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7::",
		"::2:3:4:5:6:7:8", "1:2:3:4:5:6:7::8", "1:2:3:4:5:6::7:8",
		"1::2:3:4:5:6:7", "12345::", "::12345", "0000:0::0000",
		"00000::", "::ffff:1.2.3.4", "::FFFF:1.2.3.4",
		"::ffff:01.2.3.4", "::ffff:1.2.3", "::ffff:1.2.3.4.5",
		"::ffff:256.2.3.4", "::1.2.3.4", "::0.0.0.1", "::0.1.0.0",
		"::1:0", "1:2:3:4:5:6:1.2.3.4", "1:2:3:4:5:6:7:1.2.3.4",
		"1:2:3:4:5::1.2.3.4", "1:2:3:4:5:6::1.2.3.4",
		"::1.2.3.4:5", "1.2.3.4::", "::a.2.3.4", "::1234.2.3.4",
		"1::1.2.3.4", "fe80::1%eth0", "FE80::", "::ffff:0.0.0.0",
		"::ffff:0:0", "0:0:0:0:0:ffff:0:0", "0:0:0:0:ffff:0:0:0",
		"2001:db8:0:0:1:0:0:1", "2001:0:0:1:0:0:0:1",
		"2001:db8::0:1", "2001:db8:0::1", " ::1", "::1 ", "::g",
		"IPv6:", "IPv6::", "IPv6:::1", "ipv6:1.2.3.4", "IPV6:1::",
		"IPv4:1.2.3.4", "IPv6 ::1", "0.0.0.0", "1.2.3.04",
	};
	char	 text[64];
	size_t	 i, k, len, bufsize;

	for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
		for (bufsize = 0; bufsize <= 46; bufsize++)
			ip_agrees(texts[i], strlen(texts[i]), bufsize);
	/* Texts the parser may refuse but the library must judge. */
	ip_rng_state = 0x2545f4914f6cdd1dULL;
	for (i = 0; i < 200000; i++) {
		len = ip_rng() % 46;
		for (k = 0; k < len; k++)
			text[k] = alphabet[ip_rng() % (sizeof(alphabet) - 1)];
		ip_agrees(text, len, i % 16 == 0 ? ip_rng() % 47 : 46);
	}
}
END_TEST

START_TEST(test_record_ip_forms)
{
	struct correlator *c = correlator_new(NULL);
	const struct message *m;
	char		 garbage[300];

	memset(garbage, 'g', sizeof(garbage) - 1);
	garbage[sizeof(garbage) - 1] = '\0';
	feed_client(c, 1, "relay1", 1, "IP1", "2001:DB8:0::1", NULL);
	feed_simple(c, EV_REMOVED, 2, "relay1", "IP1");
	feed_client(c, 3, "relay1", 1, "IP2", garbage, NULL);
	feed_simple(c, EV_REMOVED, 4, "relay1", "IP2");
	m = correlator_next(c);
	ck_assert_str_eq(m->client_ip, "2001:db8::1");
	m = correlator_next(c);
	ck_assert_str_eq(m->client_ip, garbage);
	correlator_free(c);
}
END_TEST

START_TEST(test_lookup_runs)
{
	struct correlator_options o = { .max_open = 2 };
	struct correlator *c = correlator_new(&o);
	const struct message *m;

	/* The same queue ID on two relays, and IDs that are prefixes of
	   one another, interleaved line by line. */
	feed_client(c, 1, "relay1", 1, "AB", "192.0.2.1", NULL);
	feed_client(c, 2, "relay2", 1, "AB", "192.0.2.2", NULL);
	feed_queued(c, 3, "relay1", "AB", "one@example.net", 1);
	feed_queued(c, 4, "relay2", "AB", "two@example.net", 1);
	feed_simple(c, EV_REMOVED, 5, "relay2", "AB");
	feed_simple(c, EV_REMOVED, 6, "relay1", "AB");
	m = correlator_next(c);
	ck_assert_str_eq(m->host, "relay2");
	ck_assert_str_eq(m->client_ip, "192.0.2.2");
	ck_assert_str_eq(m->sender, "two@example.net");
	m = correlator_next(c);
	ck_assert_str_eq(m->host, "relay1");
	ck_assert_str_eq(m->client_ip, "192.0.2.1");
	ck_assert_str_eq(m->sender, "one@example.net");
	feed_queued(c, 7, "relay1", "ABC", "three@example.net", 1);
	feed_queued(c, 8, "relay1", "A", "four@example.net", 1);
	ck_assert(correlator_is_open(c, Z("relay1"), Z("ABC")));
	ck_assert(correlator_is_open(c, Z("relay1"), Z("A")));
	ck_assert(!correlator_is_open(c, Z("relay1"), Z("AB")));
	ck_assert_uint_eq(correlator_stats(c)->orphan_events, 0);
	/* "A" was looked up last; over max_open, the oldest ("ABC") is
	   handed out incomplete, and a line of it opens it anew. */
	feed_queued(c, 9, "relay1", "X", "five@example.net", 1);
	m = correlator_next(c);
	ck_assert_str_eq(m->queue_id, "ABC");
	ck_assert(!m->is_complete);
	feed_simple(c, EV_REMOVED, 10, "relay1", "ABC");
	m = correlator_next(c);
	ck_assert_str_eq(m->queue_id, "ABC");
	ck_assert(m->is_complete);
	ck_assert_ptr_null(m->sender);
	ck_assert_ptr_null(correlator_next(c));
	ck_assert_uint_eq(correlator_open_count(c), 2);
	/* Closed "AB" of relay1, moments ago: a straggler is counted and
	   opens nothing, a new session's line reuses the ID (and "A", the
	   least recent, goes over max_open). */
	feed_simple(c, EV_REMOVED, 11, "relay1", "AB");
	ck_assert_uint_eq(correlator_stats(c)->orphan_events, 1);
	ck_assert_uint_eq(correlator_open_count(c), 2);
	ck_assert_ptr_null(correlator_next(c));
	feed_client(c, 12, "relay1", 3, "AB", "192.0.2.9", NULL);
	ck_assert(correlator_is_open(c, Z("relay1"), Z("AB")));
	ck_assert_uint_eq(correlator_open_count(c), 2);
	m = correlator_next(c);
	ck_assert_str_eq(m->queue_id, "A");
	ck_assert_str_eq(m->sender, "four@example.net");
	ck_assert(!m->is_complete);
	feed_simple(c, EV_REMOVED, 13, "relay1", "AB");
	m = correlator_next(c);
	ck_assert_str_eq(m->queue_id, "AB");
	ck_assert_str_eq(m->client_ip, "192.0.2.9");
	ck_assert(m->is_complete);
	ck_assert_uint_eq(correlator_open_count(c), 1);
	/* Past the orphan window a line opens the ID again. */
	feed_queued(c, 100, "relay1", "AB", "six@example.net", 1);
	ck_assert_uint_eq(correlator_stats(c)->orphan_events, 1);
	ck_assert(correlator_is_open(c, Z("relay1"), Z("AB")));
	ck_assert_uint_eq(correlator_stats(c)->open_peak, 2);
	correlator_free(c);
}
END_TEST

START_TEST(test_recipient_match)
{
	struct correlator *c = correlator_new(NULL);
	const struct message *m;

	/* Recipients told apart by their first byte, by a later one, by
	   length, and the empty address. */
	feed_queued(c, 1, "relay1", "RM1", "s@example.net", 5);
	feed_delivery(c, 2, "relay1", "RM1", "a@x", DELIVERY_DEFERRED,
	    "4.0.0", "try later");
	feed_delivery(c, 2, "relay1", "RM1", "a@y", DELIVERY_SENT, "2.0.0",
	    "250 ok");
	feed_delivery(c, 2, "relay1", "RM1", "b@x", DELIVERY_SENT, "2.0.0",
	    "250 ok");
	feed_delivery(c, 2, "relay1", "RM1", "a@xx", DELIVERY_SENT, "2.0.0",
	    "250 ok");
	feed_delivery(c, 2, "relay1", "RM1", "", DELIVERY_BOUNCED, "5.0.0",
	    "550 no");
	feed_delivery(c, 3, "relay1", "RM1", "a@x", DELIVERY_SENT, "2.0.0",
	    "250 ok");
	feed_delivery(c, 3, "relay1", "RM1", "", DELIVERY_BOUNCED, "5.0.0",
	    "550 no");
	feed_simple(c, EV_REMOVED, 4, "relay1", "RM1");
	m = correlator_next(c);
	ck_assert_uint_eq(m->recipient_count, 5);
	ck_assert_str_eq(m->recipients[0].address, "a@x");
	ck_assert_int_eq(m->recipients[0].status, DELIVERY_SENT);
	ck_assert_uint_eq(m->recipients[0].deferrals, 1);
	ck_assert_str_eq(m->recipients[3].address, "a@xx");
	ck_assert_str_eq(m->recipients[4].address, "");
	ck_assert_int_eq(m->recipients[4].status, DELIVERY_BOUNCED);
	ck_assert_str_eq(m->recipients[4].response, "550 no");
	correlator_free(c);
}
END_TEST

START_TEST(test_tombstone_cap)
{
	struct correlator *c = correlator_new(NULL);
	char		 qid[32];
	size_t		 i, n = 65536 + 10;

	/* More IDs closed within a second than tombstones are kept: the
	   oldest are forgotten, and their stragglers open messages. */
	for (i = 0; i < n; i++) {
		snprintf(qid, sizeof(qid), "T%zu", i);
		feed_queued(c, 1, "relay1", qid, "a@example.net", 1);
		feed_simple(c, EV_REMOVED, 1, "relay1", qid);
		while (correlator_next(c) != NULL)
			continue;
	}
	ck_assert_uint_eq(correlator_open_count(c), 0);
	for (i = 0; i < 10; i++) {
		snprintf(qid, sizeof(qid), "T%zu", i);
		feed_delivery(c, 2, "relay1", qid, "b@example.net",
		    DELIVERY_SENT, "2.0.0", "250 ok");
	}
	ck_assert_uint_eq(correlator_open_count(c), 10);
	ck_assert_uint_eq(correlator_stats(c)->orphan_events, 0);
	for (i = n - 10; i < n; i++) {
		snprintf(qid, sizeof(qid), "T%zu", i);
		feed_delivery(c, 2, "relay1", qid, "b@example.net",
		    DELIVERY_SENT, "2.0.0", "250 ok");
	}
	ck_assert_uint_eq(correlator_open_count(c), 10);
	ck_assert_uint_eq(correlator_stats(c)->orphan_events, 10);
	correlator_free(c);
}
END_TEST

/*
 * test_tombstone_window_recycled - queue IDs closed one a second, with
 * every seventh message left open among them: tombstones leave the
 * table as they age past the window and are used again, and the table
 * finds open messages and tombstones alike among the rest (closing,
 * reopening, stragglers) without their keys being built again.
 */
START_TEST(test_tombstone_window_recycled)
{
	struct correlator *c = correlator_new(NULL);
	const struct message *m;
	char		 qid[32];
	size_t		 open = 0;
	int		 i;

	for (i = 0; i < 2000; i++) {
		snprintf(qid, sizeof(qid), "W%d", i);
		feed_queued(c, i, "relay1", qid, "a@example.net", 1);
		if (i % 7 == 0)
			open++;
		else
			feed_simple(c, EV_REMOVED, i, "relay1", qid);
		while ((m = correlator_next(c)) != NULL) {
			ck_assert_str_eq(m->queue_id, qid);
			ck_assert(m->is_complete);
		}
	}
	ck_assert_uint_eq(correlator_open_count(c), open);
	ck_assert_uint_eq(correlator_stats(c)->orphan_events, 0);
	/* Closed a second ago: a straggler. */
	feed_delivery(c, 2000, "relay1", "W1999", "b@example.net",
	    DELIVERY_SENT, "2.0.0", "250 ok");
	ck_assert_uint_eq(correlator_stats(c)->orphan_events, 1);
	ck_assert(!correlator_is_open(c, Z("relay1"), Z("W1999")));
	/* Closed long ago, its tombstone gone: the line opens it. */
	feed_delivery(c, 2000, "relay1", "W100", "b@example.net",
	    DELIVERY_SENT, "2.0.0", "250 ok");
	ck_assert(correlator_is_open(c, Z("relay1"), Z("W100")));
	ck_assert_uint_eq(correlator_open_count(c), open + 1);
	/* Closed moments ago and reused, closed again, then a straggler. */
	feed_client(c, 2001, "relay1", 5, "W1990", "192.0.2.7", NULL);
	ck_assert(correlator_is_open(c, Z("relay1"), Z("W1990")));
	feed_simple(c, EV_REMOVED, 2002, "relay1", "W1990");
	m = correlator_next(c);
	ck_assert_str_eq(m->queue_id, "W1990");
	ck_assert_str_eq(m->client_ip, "192.0.2.7");
	ck_assert(m->is_complete);
	ck_assert(!correlator_is_open(c, Z("relay1"), Z("W1990")));
	feed_delivery(c, 2003, "relay1", "W1990", "b@example.net",
	    DELIVERY_SENT, "2.0.0", "250 ok");
	ck_assert_uint_eq(correlator_stats(c)->orphan_events, 2);
	/* Messages left open all along are still found and close. */
	for (i = 0; i < 2000; i += 7) {
		snprintf(qid, sizeof(qid), "W%d", i);
		ck_assert(correlator_is_open(c, Z("relay1"), Z(qid)));
		feed_simple(c, EV_REMOVED, 2004, "relay1", qid);
		m = correlator_next(c);
		ck_assert_str_eq(m->queue_id, qid);
		ck_assert_uint_eq(m->first_sec, i);
		ck_assert(m->is_complete);
		ck_assert(!correlator_is_open(c, Z("relay1"), Z(qid)));
	}
	ck_assert_uint_eq(correlator_open_count(c), 1);
	ck_assert_uint_eq(correlator_stats(c)->orphan_events, 2);
	correlator_free(c);
}
END_TEST

/*
 * test_keys_kept - the message table's keys live in the records (open
 * messages) and the tombstones (closed ones), a tombstone's inside it
 * or, when too long, on the heap: keys of every length around that
 * bound are found open, closed (a straggler is an orphan), reopened
 * and closed again.  Large records grow their arenas, whose blocks the
 * next records take over: every record handed out holds its own
 * values.  SMTP sessions of those hosts, whose keys live in them, are
 * found and dropped.  Messages, tombstones and sessions left at the
 * end are freed with the tables (sanitizer builds check that no freed
 * key is read).
 */
START_TEST(test_keys_kept)
{
	struct correlator *c = correlator_new(NULL);
	const struct message *m;
	char		 host[160], qid[64], rcpt[64];
	size_t		 hostlen, j, nrcpt, orphans = 0;
	int64_t		 t = 100;
	int		 round;

	for (round = 0; round < 2; round++) {
		for (hostlen = 1; hostlen < 120; hostlen += round + 1) {
			memset(host, 'h', hostlen);
			host[hostlen] = '\0';
			host[0] = (char)('a' + hostlen % 26);
			/* Queue IDs of 12 and 23 bytes, as Postfix and
			   Exim log them. */
			snprintf(qid, sizeof(qid), hostlen % 2 ?
			    "4F%010zu" : "1vXq2a-%06zu-Zz%06zu", hostlen,
			    hostlen);
			nrcpt = hostlen % 3 == 0 ? 40 + hostlen : 1;
			feed_client(c, t, host, 1, qid, "192.0.2.9", "u");
			/* The session of (host, pid 1), by its key. */
			feed_noqueue(c, t, host, 1, "192.0.2.9");
			m = correlator_next(c);
			ck_assert_ptr_nonnull(m);
			ck_assert_str_eq(m->host, host);
			ck_assert_str_eq(m->sasl_username, "u");
			if (hostlen % 4 == 1) {
				feed_session(c, EV_DISCONNECT, t, host, 1,
				    "192.0.2.9");
				feed_noqueue(c, t, host, 1, "192.0.2.9");
				m = correlator_next(c);
				ck_assert_ptr_nonnull(m);
				ck_assert_ptr_null(m->sasl_username);
			}
			for (j = 0; j < nrcpt; j++) {
				snprintf(rcpt, sizeof(rcpt),
				    "r%zu.%zu@example.org", hostlen, j);
				feed_delivery(c, t, host, qid, rcpt,
				    DELIVERY_SENT, "2.0.0", "250 2.0.0 Ok: "
				    "queued as 4ABCDEF0123");
			}
			ck_assert(correlator_is_open(c, Z(host), Z(qid)));
			feed_simple(c, EV_REMOVED, t, host, qid);
			m = correlator_next(c);
			ck_assert_ptr_nonnull(m);
			ck_assert_str_eq(m->queue_id, qid);
			ck_assert_str_eq(m->host, host);
			ck_assert_uint_eq(m->recipient_count, nrcpt);
			snprintf(rcpt, sizeof(rcpt), "r%zu.%zu@example.org",
			    hostlen, nrcpt - 1);
			ck_assert_str_eq(m->recipients[nrcpt - 1].address,
			    rcpt);
			ck_assert_ptr_null(correlator_next(c));
			/* Closed: its tombstone answers for it. */
			ck_assert(!correlator_is_open(c, Z(host), Z(qid)));
			feed_delivery(c, t + 1, host, qid, "late@example.org",
			    DELIVERY_SENT, "2.0.0", "250 ok");
			ck_assert_uint_eq(correlator_stats(c)->orphan_events,
			    ++orphans);
			/* Reused: a new message under the same key, left
			   open every other time. */
			feed_client(c, t + 2, host, 2, qid, "192.0.2.10",
			    NULL);
			ck_assert(correlator_is_open(c, Z(host), Z(qid)));
			if (hostlen % 2 == 0) {
				feed_simple(c, EV_REMOVED, t + 2, host, qid);
				m = correlator_next(c);
				ck_assert_ptr_nonnull(m);
				ck_assert_str_eq(m->queue_id, qid);
				ck_assert_str_eq(m->client_ip, "192.0.2.10");
				ck_assert_uint_eq(m->recipient_count, 0);
				ck_assert(!correlator_is_open(c, Z(host),
				    Z(qid)));
			}
			t += 3;
		}
		/* Close what round 0 left open (round 1 uses the same
		   keys); round 1's stay open for correlator_free(). */
		for (hostlen = 1; hostlen < 120; hostlen++) {
			memset(host, 'h', hostlen);
			host[hostlen] = '\0';
			host[0] = (char)('a' + hostlen % 26);
			snprintf(qid, sizeof(qid), hostlen % 2 ?
			    "4F%010zu" : "1vXq2a-%06zu-Zz%06zu", hostlen,
			    hostlen);
			if (round == 1 || !correlator_is_open(c, Z(host),
			    Z(qid)))
				continue;
			feed_simple(c, EV_REMOVED, t, host, qid);
			m = correlator_next(c);
			ck_assert_ptr_nonnull(m);
			ck_assert_str_eq(m->client_ip, "192.0.2.10");
		}
		t += ORPHAN_TEST_GAP;
	}
	ck_assert_ptr_null(correlator_next(c));
	ck_assert_uint_eq(correlator_open_count(c), 60);
	correlator_free(c);
}
END_TEST

START_TEST(test_hostile_events)
{
	static const int64_t times[] = { INT64_MIN, INT64_MAX, 0, -1,
	    INT64_MAX - 1, INT64_MIN + 1 };
	struct correlator_options o = { .max_open = 4, .max_idle_sec = 1 };
	struct correlator *c = correlator_new(&o);
	struct mta_event ev;
	size_t		 k, t;

	/* Every kind with every field unset, and at extreme times. */
	for (t = 0; t < sizeof(times) / sizeof(times[0]); t++) {
		for (k = 0; k <= EV_KIND_COUNT; k++) {
			event_init(&ev);
			ev.kind = (enum event_kind)k;
			ev.time_sec = times[t];
			correlator_feed(c, &ev);
			ev.queue_id = ZSTR_LIT("Q");
			ev.pid = 1;
			ev.related_queue_id = ZSTR_LIT("");
			ev.recipient = ZSTR_LIT("");
			ev.client_ip = ZSTR_LIT("");
			ev.sasl_username = ZSTR_LIT("");
			correlator_feed(c, &ev);
		}
	}
	correlator_finish(c);
	while (correlator_next(c) != NULL)
		continue;
	ck_assert_uint_eq(correlator_open_count(c), 0);
	/* A record left unread and open messages are freed too. */
	feed_simple(c, EV_QUEUED, 1, "relay1", "LEFT1");
	feed_simple(c, EV_QUEUED, 1, "relay1", "LEFT2");
	feed_simple(c, EV_REMOVED, 1, "relay1", "LEFT2");
	ck_assert_ptr_nonnull(correlator_next(c));
	feed_noqueue(c, 1, "relay1", 1, "192.0.2.1");
	correlator_free(c);
	correlator_free(NULL);
}
END_TEST

/*
 * Sendmail flows (MTA_SENDMAIL): no end-of-message line, a message is
 * done when its declared recipients have final outcomes; the login is
 * logged on its own line before "from=".
 */

/* smk - a Sendmail event */
static struct mta_event
smk(enum event_kind kind, int64_t t, int64_t pid, const char *qid)
{
	struct mta_event ev = mk(kind, t, "relay1", pid, qid);

	ev.mta = MTA_SENDMAIL;
	ev.program = ZSTR_LIT("sm-mta");
	return ev;
}

/* sm_from - a "from=" line: client (or none), queued */
static void
sm_from(struct correlator *c, int64_t t, int64_t pid, const char *qid,
    const char *ip, const char *sender, uint64_t nrcpt)
{
	struct mta_event ev;

	if (ip != NULL) {
		ev = smk(EV_CLIENT, t, pid, qid);
		ev.client_ip = Z(ip);
		ev.client_name = ZSTR_LIT("pc17.dsl.example.net");
		correlator_feed(c, &ev);
	}
	ev = smk(EV_QUEUED, t, pid, qid);
	ev.sender = Z(sender);
	ev.size_bytes = 4242;
	ev.nrcpt = nrcpt;
	correlator_feed(c, &ev);
}

/* sm_to - one recipient of a "to=" line */
static void
sm_to(struct correlator *c, int64_t t, int64_t pid, const char *qid,
    const char *rcpt, enum delivery_status status)
{
	struct mta_event ev = smk(EV_DELIVERY, t, pid, qid);

	ev.recipient = Z(rcpt);
	ev.transport = ZSTR_LIT("esmtp");
	ev.relay = ZSTR_LIT("mx.example.com. [192.0.2.25]");
	ev.status = status;
	ev.dsn = status == DELIVERY_SENT ? ZSTR_LIT("2.0.0") :
	    status == DELIVERY_DEFERRED ? ZSTR_LIT("4.0.0") :
	    ZSTR_LIT("5.1.1");
	ev.response = status == DELIVERY_SENT ? ZSTR_LIT("Sent (ok)") :
	    ZSTR_LIT("Deferred: Connection refused by mx.example.com.");
	correlator_feed(c, &ev);
}

/* sm_auth - "AUTH=server, relay=..., authid=..., mech=..." */
static void
sm_auth(struct correlator *c, int64_t t, int64_t pid, const char *ip,
    const char *user)
{
	struct mta_event ev = smk(EV_AUTH_OK, t, pid, NULL);

	ev.client_ip = Z(ip);
	ev.client_name = ZSTR_LIT("pc17.dsl.example.net");
	ev.sasl_method = ZSTR_LIT("PLAIN");
	ev.sasl_username = Z(user);
	correlator_feed(c, &ev);
}

/* sm_notice - "QID: QID2: DSN: ..." (and the expiry after it) */
static void
sm_notice(struct correlator *c, int64_t t, const char *qid,
    const char *qid2, bool expired)
{
	struct mta_event ev = smk(EV_BOUNCE_NOTICE, t, 800, qid);

	ev.related_queue_id = Z(qid2);
	ev.response = expired ? ZSTR_LIT("Cannot send message for 5 days") :
	    ZSTR_LIT("User unknown");
	correlator_feed(c, &ev);
	if (expired) {
		ev = smk(EV_EXPIRED, t, 800, qid);
		correlator_feed(c, &ev);
	}
}

START_TEST(test_sendmail_msp_join)
{
	struct correlator *c = correlator_new(NULL);
	const struct message *m;
	struct mta_event ev;

	/* The MSP (a local submission) hands the message to the MTA,
	   which takes it from 127.0.0.1 and names its queue ID; the MTA's
	   copy meets the remote server.  One record, the MSP's. */
	ev = smk(EV_PICKUP, 100, 800, "j061bWaV000801");
	ev.sender = ZSTR_LIT("alice");
	ev.uid = 501;
	correlator_feed(c, &ev);
	sm_from(c, 100, 800, "j061bWaV000801", NULL, "alice", 1);
	sm_from(c, 101, 900, "j061bXan000901", "127.0.0.1",
	    "alice@relay1.example.net", 1);
	ev = smk(EV_DELIVERY, 101, 800, "j061bWaV000801");
	ev.recipient = ZSTR_LIT("bob@example.com");
	ev.transport = ZSTR_LIT("relay");
	ev.relay = ZSTR_LIT("localhost [127.0.0.1]");
	ev.status = DELIVERY_SENT;
	ev.dsn = ZSTR_LIT("2.0.0");
	ev.response = ZSTR_LIT("Sent (j061bXan000901 Message accepted for "
	    "delivery)");
	ev.related_queue_id = ZSTR_LIT("j061bXan000901");
	correlator_feed(c, &ev);
	ev = smk(EV_DELIVERY, 105, 1000, "j061bXan000901");
	ev.recipient = ZSTR_LIT("bob@example.com");
	ev.transport = ZSTR_LIT("esmtp");
	ev.relay = ZSTR_LIT("mx.example.com. [192.0.2.25]");
	ev.status = DELIVERY_BOUNCED;
	ev.dsn = ZSTR_LIT("5.7.1");
	ev.response = ZSTR_LIT("Service unavailable; 550 5.7.1 spam");
	correlator_feed(c, &ev);
	correlator_finish(c);
	m = correlator_next(c);
	ck_assert_ptr_nonnull(m);
	ck_assert_str_eq(m->queue_id, "j061bWaV000801");
	ck_assert_int_eq(m->origin, ORIGIN_PICKUP);
	ck_assert_uint_eq(m->joined_count, 1);
	ck_assert_str_eq(m->joined[0].queue_id, "j061bXan000901");
	ck_assert_int_eq(m->recipients[0].status, DELIVERY_BOUNCED);
	ck_assert(m->is_complete);
	ck_assert_ptr_null(correlator_next(c));
	ck_assert_uint_eq(correlator_stats(c)->messages_joined, 1);
	ck_assert(correlator_was_joined(c, ZSTR_LIT("relay1"),
	    ZSTR_LIT("j061bXan000901")));
	ck_assert(!correlator_was_joined(c, ZSTR_LIT("relay1"),
	    ZSTR_LIT("j061bWaV000801")));
	correlator_free(c);
}
END_TEST

/* sm_handover - Sendmail's message qid (process pid) handed to the
   MTA on localhost, which named its copy's queue ID copy, at second t */
static void
sm_handover(struct correlator *c, int64_t t, int64_t pid, const char *qid,
    const char *copy)
{
	struct mta_event ev = smk(EV_DELIVERY, t, pid, qid);
	char		 response[96];

	snprintf(response, sizeof(response),
	    "Sent (%s Message accepted for delivery)", copy);
	ev.recipient = ZSTR_LIT("bob@example.com");
	ev.transport = ZSTR_LIT("relay");
	ev.relay = ZSTR_LIT("localhost [127.0.0.1]");
	ev.status = DELIVERY_SENT;
	ev.dsn = ZSTR_LIT("2.0.0");
	ev.response = Z(response);
	ev.related_queue_id = Z(copy);
	correlator_feed(c, &ev);
}

/* msp_handover - the MSP's message 801 (one recipient) handed to the
   MTA as 901, at second t */
static void
msp_handover(struct correlator *c, int64_t t)
{
	sm_handover(c, t, 800, "j061bWaV000801", "j061bXan000901");
}

START_TEST(test_sendmail_msp_parked_settle)
{
	struct correlator *c = correlator_new(NULL);
	const struct message *m;

	/* The MSP's message is done and waits (parked) for the MTA's
	   copy; a second line of it makes it wait again, after the copy
	   done in the same second.  The next line closes the copy first,
	   and with it the message: which the same turn must not close
	   again. */
	sm_from(c, 100, 800, "j061bWaV000801", NULL, "alice", 1);
	sm_from(c, 101, 900, "j061bXan000901", "127.0.0.1",
	    "alice@relay1.example.net", 1);
	msp_handover(c, 101);
	sm_to(c, 102, 1000, "j061bXan000901", "bob@example.com",
	    DELIVERY_DEFERRED);
	ck_assert_ptr_null(correlator_next(c));
	sm_to(c, 103, 1000, "j061bXan000901", "bob@example.com",
	    DELIVERY_SENT);
	msp_handover(c, 103);
	ck_assert_ptr_null(correlator_next(c));
	sm_from(c, 104, 1100, "j061bYbb001101", "192.0.2.7", "x@example.org",
	    1);
	m = correlator_next(c);
	ck_assert_ptr_nonnull(m);
	ck_assert_str_eq(m->queue_id, "j061bWaV000801");
	ck_assert_uint_eq(m->joined_count, 1);
	ck_assert_str_eq(m->joined[0].queue_id, "j061bXan000901");
	ck_assert_uint_eq(m->recipient_count, 1);
	ck_assert_int_eq(m->recipients[0].status, DELIVERY_SENT);
	ck_assert(m->is_complete);
	ck_assert_ptr_null(correlator_next(c));
	ck_assert_uint_eq(correlator_open_count(c), 1);
	ck_assert_uint_eq(correlator_stats(c)->messages_complete, 1);
	correlator_finish(c);
	m = correlator_next(c);
	ck_assert_ptr_nonnull(m);
	ck_assert_str_eq(m->queue_id, "j061bYbb001101");
	ck_assert_ptr_null(correlator_next(c));
	correlator_free(c);
}
END_TEST

START_TEST(test_sendmail_copy_discarded)
{
	struct correlator *c = correlator_new(NULL);
	const struct message *m;

	/* The MTA's copy of the MSP's message logs its "from=" again
	   with nothing accepted: no message after all, and the MSP's
	   message, parked for it, is handed out without it. */
	sm_from(c, 100, 800, "j061bWaV000801", NULL, "alice", 1);
	sm_from(c, 101, 900, "j061bXan000901", "127.0.0.1",
	    "alice@relay1.example.net", 1);
	msp_handover(c, 101);
	sm_from(c, 102, 1100, "j061bYbb001101", "192.0.2.7", "x@example.org",
	    1);
	ck_assert_ptr_null(correlator_next(c));
	sm_from(c, 103, 900, "j061bXan000901", "127.0.0.1",
	    "alice@relay1.example.net", 0);
	m = correlator_next(c);
	ck_assert_ptr_nonnull(m);
	ck_assert_str_eq(m->queue_id, "j061bWaV000801");
	ck_assert_uint_eq(m->joined_count, 0);
	ck_assert_int_eq(m->recipients[0].status, DELIVERY_SENT);
	ck_assert(m->is_complete);
	ck_assert_ptr_null(correlator_next(c));
	ck_assert(!correlator_was_joined(c, ZSTR_LIT("relay1"),
	    ZSTR_LIT("j061bXan000901")));
	ck_assert_uint_eq(correlator_open_count(c), 1);
	correlator_finish(c);
	m = correlator_next(c);
	ck_assert_ptr_nonnull(m);
	ck_assert_str_eq(m->queue_id, "j061bYbb001101");
	ck_assert_ptr_null(correlator_next(c));
	ck_assert_uint_eq(correlator_stats(c)->messages_joined, 0);
	correlator_free(c);
}
END_TEST

START_TEST(test_sendmail_chain_at_finish)
{
	struct correlator *c = correlator_new(NULL);
	const struct message *m;

	/* The MSP's message, the MTA's copy 901, and 901's own copy 902
	   (the MTA relayed to itself), both copies opened in the same
	   second, 902 sorting first.  At the end 902 is done and 901,
	   parked for it, is done again: 902 closes 901, which goes into
	   the MSP's message, all in the turn that closes 902. */
	sm_from(c, 100, 800, "j061bWaV000801", NULL, "alice", 1);
	sm_from(c, 101, 900, "j061bXan000901", "127.0.0.1",
	    "alice@relay1.example.net", 1);
	msp_handover(c, 101);
	sm_from(c, 101, 1000, "j061bXaa000902", "127.0.0.1",
	    "alice@relay1.example.net", 1);
	sm_handover(c, 101, 1001, "j061bXan000901", "j061bXaa000902");
	sm_to(c, 102, 1100, "j061bXaa000902", "bob@example.com",
	    DELIVERY_DEFERRED);
	sm_to(c, 103, 1100, "j061bXaa000902", "bob@example.com",
	    DELIVERY_SENT);
	sm_handover(c, 103, 1001, "j061bXan000901", "j061bXaa000902");
	ck_assert_ptr_null(correlator_next(c));
	correlator_finish(c);
	m = correlator_next(c);
	ck_assert_ptr_nonnull(m);
	ck_assert_str_eq(m->queue_id, "j061bWaV000801");
	ck_assert_uint_eq(m->joined_count, 2);
	ck_assert_int_eq(m->recipients[0].status, DELIVERY_SENT);
	ck_assert_str_eq(m->recipients[0].transport, "esmtp");
	ck_assert(m->is_complete);
	ck_assert_ptr_null(correlator_next(c));
	ck_assert_uint_eq(correlator_stats(c)->messages_joined, 2);
	correlator_free(c);
}
END_TEST

START_TEST(test_sendmail_auth_flow)
{
	struct correlator *c = correlator_new(NULL);
	const struct message *m;
	struct mta_event ev;

	/* AUTH without a connect line opens the session, and the
	   "from=" of the same process takes its user. */
	sm_auth(c, 100, 700, "IPv6:2001:DB8::17", "alice@example.net");
	sm_from(c, 101, 700, "4AQLVt5K012345", "2001:db8::17",
	    "alice@example.net", 3);
	ev = smk(EV_MESSAGE_ID, 101, 700, "4AQLVt5K012345");
	ev.message_id = ZSTR_LIT("20261126.4AQLVt5K012345@pc17");
	correlator_feed(c, &ev);
	/* one "to=" line of three recipients, by the delivering child */
	sm_to(c, 102, 701, "4AQLVt5K012345", "bob@example.com",
	    DELIVERY_SENT);
	sm_to(c, 102, 701, "4AQLVt5K012345", "carol@example.org",
	    DELIVERY_SENT);
	sm_to(c, 102, 701, "4AQLVt5K012345", "\"smith, j\"@example.net",
	    DELIVERY_SENT);
	/* done, but closed only when another message's line arrives */
	ck_assert_ptr_null(correlator_next(c));
	ck_assert_uint_eq(correlator_open_count(c), 1);
	sm_from(c, 103, 702, "4AQLVt5K012399", "192.0.2.99", "x@example.org",
	    1);
	m = correlator_next(c);
	ck_assert_ptr_nonnull(m);
	ck_assert_str_eq(m->queue_id, "4AQLVt5K012345");
	ck_assert(m->is_complete);
	ck_assert_int_eq(m->origin, ORIGIN_SMTP);
	ck_assert_str_eq(m->client_ip, "2001:db8::17");
	ck_assert_str_eq(m->sasl_username, "alice@example.net");
	ck_assert_str_eq(m->sasl_method, "PLAIN");
	ck_assert_str_eq(m->sender, "alice@example.net");
	ck_assert_str_eq(m->message_id, "20261126.4AQLVt5K012345@pc17");
	ck_assert_uint_eq(m->nrcpt, 3);
	ck_assert_uint_eq(m->recipient_count, 3);
	ck_assert_str_eq(m->recipients[2].address, "\"smith, j\"@example.net");
	ck_assert_int_eq(m->recipients[0].status, DELIVERY_SENT);
	ck_assert_str_eq(m->recipients[1].transport, "esmtp");
	ck_assert_int_eq(m->first_sec, 101);
	ck_assert_int_eq(m->last_sec, 102);
	ck_assert_ptr_null(correlator_next(c));
	/* the second message: another client, no login */
	correlator_finish(c);
	m = correlator_next(c);
	ck_assert_ptr_nonnull(m);
	ck_assert_str_eq(m->queue_id, "4AQLVt5K012399");
	ck_assert(!m->is_complete);
	ck_assert_ptr_null(m->sasl_username);
	ck_assert_uint_eq(correlator_stats(c)->messages_complete, 1);
	ck_assert_uint_eq(correlator_stats(c)->messages_incomplete, 1);
	ck_assert_uint_eq(correlator_stats(c)->orphan_events, 0);
	correlator_free(c);
}
END_TEST

/*
 * A milter's refusal names no client, and a Sendmail process ID may be
 * another connection's by now (no line ends one): held for its
 * transaction's "from=" line, and when none comes, nobody's (and no
 * message)
 */
START_TEST(test_sendmail_milter_refusal)
{
	struct correlator *c = correlator_new(NULL);
	const struct message *m;
	struct mta_event ev;

	sm_auth(c, 100, 4200, "192.0.2.11", "carol");
	ev = smk(EV_REJECT, 2400, 4200, "5AQA0Hnn004200");
	ev.stage = ZSTR_LIT("MAIL");
	ev.sender = ZSTR_LIT("spam@bank.example");
	ev.response = ZSTR_LIT("550 5.7.1 Sender not allowed");
	ev.reject_origin = REJECT_MILTER;
	correlator_feed(c, &ev);
	ck_assert_ptr_null(correlator_next(c));
	correlator_finish(c);
	m = correlator_next(c);
	ck_assert_ptr_nonnull(m);
	ck_assert_int_eq(m->kind, RECORD_REJECT);
	ck_assert_ptr_null(m->client_ip);
	ck_assert_ptr_null(m->sasl_username);
	ck_assert_str_eq(m->sender, "spam@bank.example");
	ck_assert_int_eq(m->first_sec, 2400);
	ck_assert_ptr_null(correlator_next(c));
	ck_assert_uint_eq(correlator_stats(c)->rejects, 1);
	ck_assert_uint_eq(correlator_stats(c)->messages_incomplete, 0);
	ck_assert_uint_eq(correlator_stats(c)->messages_evicted, 0);
	correlator_free(c);
}
END_TEST

/* sm_refuse - a refused RCPT that names the queue ID, not the client */
static void
sm_refuse(struct correlator *c, int64_t t, int64_t pid, const char *qid,
    const char *rcpt, const char *text)
{
	struct mta_event ev = smk(EV_REJECT, t, pid, qid);

	ev.stage = ZSTR_LIT("RCPT");
	ev.recipient = Z(rcpt);
	ev.response = Z(text);
	ev.reject_origin = REJECT_SMTPD;
	correlator_feed(c, &ev);
}

/*
 * Sendmail's refusals of a transaction's recipients ("User unknown",
 * "Too many recipients") name no client; the "from=" line that ends
 * the transaction does, and the refusals go out with it, oldest first
 * and ahead of the message, taking its client, login and sender.  A
 * transaction that accepted nothing (nrcpts=0) is no message, but its
 * refusals are still the client's, every one of a flood past what is
 * held whole.  The line of another client's refusal keeps its own.
 */
START_TEST(test_sendmail_held_refusals)
{
	struct correlator *c = correlator_new(NULL);
	const struct message *m;
	const struct message *first_copy = NULL;
	char		 rcpt[64];
	unsigned	 i, n;

	sm_auth(c, 100, 500, "192.0.2.20", "dave");
	sm_refuse(c, 101, 500, "6ATJpBAc000500", "u1@relay.example",
	    "550 5.1.1 <u1@relay.example>... User unknown");
	sm_refuse(c, 102, 500, "6ATJpBAc000500", "u2@relay.example",
	    "550 5.1.1 <u2@relay.example>... User unknown");
	ck_assert_ptr_null(correlator_next(c));
	ck_assert_uint_eq(correlator_open_count(c), 1);
	sm_from(c, 103, 500, "6ATJpBAc000500", "192.0.2.20",
	    "dave@customer.example", 1);
	sm_to(c, 104, 501, "6ATJpBAc000500", "r@example.org", DELIVERY_SENT);
	/* closed once another line moves the clock on */
	for (i = 0; i < 40; i++)
		sm_refuse(c, 200 + i, 600, "6ATJpCAd000600", NULL,
		    "452 4.5.3 Too many recipients");
	sm_from(c, 241, 600, "6ATJpCAd000600", "192.0.2.21",
	    "bulk@forged.example", 0);
	for (i = 0; i < 2; i++) {
		m = correlator_next(c);
		ck_assert_ptr_nonnull(m);
		ck_assert_int_eq(m->kind, RECORD_REJECT);
		ck_assert_str_eq(m->client_ip, "192.0.2.20");
		ck_assert_str_eq(m->sasl_username, "dave");
		ck_assert_str_eq(m->sender, "dave@customer.example");
		ck_assert_str_eq(m->stage, "RCPT");
		snprintf(rcpt, sizeof(rcpt), "u%u@relay.example", i + 1);
		ck_assert_uint_eq(m->recipient_count, 1);
		ck_assert_str_eq(m->recipients[0].address, rcpt);
		ck_assert_int_eq(m->first_sec, 101 + i);
	}
	m = correlator_next(c);
	ck_assert_ptr_nonnull(m);
	ck_assert_int_eq(m->kind, RECORD_MESSAGE);
	ck_assert(m->is_complete);
	ck_assert_uint_eq(m->recipient_count, 1);
	/* the transaction began with its first refusal */
	ck_assert_int_eq(m->first_sec, 101);
	/* the flood: no message, forty refusals of 192.0.2.21, the last
	   nine the newest held one, handed out nine times */
	for (n = 0; (m = correlator_next(c)) != NULL; n++) {
		if (n == 32)
			first_copy = m;
		if (n > 32)
			ck_assert_ptr_eq(m, first_copy);
		ck_assert_int_eq(m->kind, RECORD_REJECT);
		ck_assert_str_eq(m->client_ip, "192.0.2.21");
		ck_assert_ptr_null(m->sasl_username);
		ck_assert_str_eq(m->sender, "bulk@forged.example");
		ck_assert_str_eq(m->reject_response,
		    "452 4.5.3 Too many recipients");
		ck_assert_int_ge(m->first_sec, 200);
		ck_assert_int_le(m->first_sec, 239);
	}
	ck_assert_uint_eq(n, 40);
	ck_assert_uint_eq(correlator_open_count(c), 0);
	/* a refusal that names its client is its own record at once */
	{
		struct mta_event ev = smk(EV_REJECT, 300, 700,
		    "6ATJpDAe000700");

		ev.stage = ZSTR_LIT("RCPT");
		ev.client_ip = ZSTR_LIT("192.0.2.22");
		ev.response = ZSTR_LIT("550 5.7.1 Relaying denied");
		correlator_feed(c, &ev);
	}
	m = correlator_next(c);
	ck_assert_ptr_nonnull(m);
	ck_assert_str_eq(m->client_ip, "192.0.2.22");
	ck_assert_uint_eq(correlator_open_count(c), 0);
	correlator_finish(c);
	ck_assert_ptr_null(correlator_next(c));
	ck_assert_uint_eq(correlator_stats(c)->rejects, 43);
	ck_assert_uint_eq(correlator_stats(c)->messages_complete, 1);
	ck_assert_uint_eq(correlator_stats(c)->messages_incomplete, 0);
	correlator_free(c);
}
END_TEST

/*
 * A flood of a million refusals in one transaction: a million records
 * handed out, from an entry and a FIFO that do not grow with it.
 */
START_TEST(test_sendmail_held_flood)
{
	struct correlator *c = correlator_new(NULL);
	const struct message *m;
	uint64_t	 n = 0, distinct = 0;
	const struct message *last = NULL;
	int64_t		 last_sec = 0;
	unsigned	 i;

	for (i = 0; i < 1000000; i++)
		sm_refuse(c, 100 + i / 1000, 600, "6ATJpCAd000600", NULL,
		    "452 4.5.3 Too many recipients");
	sm_from(c, 1200, 600, "6ATJpCAd000600", "192.0.2.21",
	    "bulk@forged.example", 0);
	while ((m = correlator_next(c)) != NULL) {
		ck_assert_int_eq(m->kind, RECORD_REJECT);
		ck_assert_str_eq(m->client_ip, "192.0.2.21");
		if (m != last)
			distinct++;
		last = m;
		last_sec = m->last_sec;
		n++;
	}
	ck_assert_uint_eq(n, 1000000);
	ck_assert_uint_le(distinct, 33);
	ck_assert_int_eq(last_sec, 1099);
	ck_assert_uint_eq(correlator_stats(c)->rejects, 1000000);
	correlator_free(c);
}
END_TEST

/* Held refusals of a transaction still open when the correlator goes
   are freed with it (the carry of --save-partial takes its lines). */
START_TEST(test_sendmail_held_freed)
{
	struct correlator *c = correlator_new(NULL);

	sm_refuse(c, 101, 500, "6ATJpBAc000500", "u1@relay.example",
	    "550 5.1.1 <u1@relay.example>... User unknown");
	sm_refuse(c, 102, 500, "6ATJpBAc000500", "u2@relay.example",
	    "550 5.1.1 <u2@relay.example>... User unknown");
	ck_assert_ptr_null(correlator_next(c));
	ck_assert_uint_eq(correlator_stats(c)->rejects, 0);
	correlator_free(c);
}
END_TEST

START_TEST(test_sendmail_session_mismatch)
{
	struct correlator *c = correlator_new(NULL);
	const struct message *m;

	/* the same process, another client: no user */
	sm_auth(c, 100, 700, "192.0.2.17", "alice");
	sm_from(c, 101, 700, "4AQLVt5K012345", "192.0.2.18", "a@example.net",
	    1);
	sm_to(c, 101, 701, "4AQLVt5K012345", "r@example.org", DELIVERY_SENT);
	/* another process, the same client: no user either */
	sm_from(c, 102, 709, "4AQLVt5K012346", "192.0.2.17", "a@example.net",
	    1);
	sm_to(c, 102, 710, "4AQLVt5K012346", "r@example.org", DELIVERY_SENT);
	/* a connect ends the process's earlier session */
	feed_session(c, EV_CONNECT, 103, "relay1", 700, "192.0.2.17");
	sm_from(c, 104, 700, "4AQLVt5K012347", "192.0.2.17", "a@example.net",
	    1);
	sm_to(c, 104, 701, "4AQLVt5K012347", "r@example.org", DELIVERY_SENT);
	/* the process, reused by another connection of the same client
	   (behind one NAT address) that did not log in: its "from=" says
	   so (proto=ESMTP, an empty login) */
	sm_auth(c, 105, 720, "192.0.2.17", "alice");
	{
		struct mta_event ev = smk(EV_CLIENT, 106, 720,
		    "4AQLVt5K012348");

		ev.client_ip = ZSTR_LIT("192.0.2.17");
		ev.sasl_username = zstr_make("", 0);
		correlator_feed(c, &ev);
	}
	sm_from(c, 106, 720, "4AQLVt5K012348", NULL, "spam@example.biz", 1);
	sm_to(c, 106, 721, "4AQLVt5K012348", "r@example.org", DELIVERY_SENT);
	correlator_finish(c);
	while ((m = correlator_next(c)) != NULL) {
		ck_assert(m->is_complete);
		ck_assert_ptr_null(m->sasl_username);
		ck_assert_ptr_null(m->sasl_method);
	}
	ck_assert_uint_eq(correlator_stats(c)->messages_complete, 4);
	correlator_free(c);
}
END_TEST

/* An alias of one declared recipient (nrcpts=1) expands to two: one
   sent, one deferred.  The message waits for the deferred one. */
START_TEST(test_sendmail_alias_deferred)
{
	struct correlator *c = correlator_new(NULL);
	const struct message *m;

	sm_from(c, 100, 700, "6ATJpqe7029069", "192.0.2.30",
	    "friend@example.net", 1);
	sm_to(c, 100, 701, "6ATJpqe7029069", "later@example.org",
	    DELIVERY_DEFERRED);
	sm_to(c, 100, 701, "6ATJpqe7029069", "ok@example.org",
	    DELIVERY_SENT);
	sm_from(c, 200, 710, "OTHER1", "192.0.2.2", "o@example.net", 5);
	ck_assert_ptr_null(correlator_next(c));
	sm_to(c, 300, 720, "6ATJpqe7029069", "later@example.org",
	    DELIVERY_SENT);
	sm_from(c, 301, 711, "OTHER2", "192.0.2.2", "o@example.net", 5);
	m = correlator_next(c);
	ck_assert_ptr_nonnull(m);
	ck_assert_str_eq(m->queue_id, "6ATJpqe7029069");
	ck_assert(m->is_complete);
	ck_assert_uint_eq(m->recipient_count, 2);
	ck_assert_int_eq(m->recipients[0].status, DELIVERY_SENT);
	ck_assert_int_eq(m->recipients[1].status, DELIVERY_SENT);
	ck_assert_uint_eq(correlator_stats(c)->orphan_events, 0);
	correlator_free(c);
}
END_TEST

/* A DISCARD (access map, milter): the message refused whole, once,
   logged per recipient at LogLevel 10 and up */
START_TEST(test_sendmail_discard)
{
	struct correlator *c = correlator_new(NULL);
	const struct message *m;
	struct mta_event ev;
	int	 i;

	sm_from(c, 100, 700, "6ATJgKqv021879", "192.0.2.12",
	    "discard@example.net", 2);
	for (i = 0; i < 2; i++) {
		ev = smk(EV_DELIVERY, 100, 700, "6ATJgKqv021879");
		ev.recipient = i == 0 ? ZSTR_LIT("a@example.org") :
		    ZSTR_LIT("b@example.org");
		ev.status = DELIVERY_OTHER;
		ev.response = ZSTR_LIT("discarded");
		correlator_feed(c, &ev);
		ev.kind = EV_REJECT;
		ev.reject_origin = REJECT_DISCARD;
		ev.stage = ZSTR_LIT("END-OF-MESSAGE");
		correlator_feed(c, &ev);
	}
	sm_from(c, 101, 710, "OTHER1", "192.0.2.2", "o@example.net", 5);
	m = correlator_next(c);
	ck_assert_ptr_nonnull(m);
	ck_assert_str_eq(m->queue_id, "6ATJgKqv021879");
	ck_assert(m->is_complete);
	ck_assert_uint_eq(m->local_rejects, 1);
	ck_assert_str_eq(m->reject_response, "discarded");
	ck_assert_uint_eq(m->size_bytes, 0);
	correlator_free(c);
}
END_TEST

START_TEST(test_sendmail_deferred_then_sent)
{
	struct correlator *c = correlator_new(NULL);
	const struct message *m;

	sm_from(c, 100, 700, "4AQLVt5K012345", "192.0.2.17", "a@example.net",
	    2);
	sm_to(c, 101, 701, "4AQLVt5K012345", "bob@example.com",
	    DELIVERY_SENT);
	sm_to(c, 101, 701, "4AQLVt5K012345", "slow@example.org",
	    DELIVERY_DEFERRED);
	sm_from(c, 200, 710, "OTHER1", "192.0.2.2", "o@example.net", 5);
	ck_assert_ptr_null(correlator_next(c));
	/* a queue run: deferred again, then sent */
	sm_to(c, 1900, 720, "4AQLVt5K012345", "slow@example.org",
	    DELIVERY_DEFERRED);
	sm_from(c, 1901, 711, "OTHER2", "192.0.2.2", "o@example.net", 5);
	ck_assert_ptr_null(correlator_next(c));
	sm_to(c, 3700, 730, "4AQLVt5K012345", "slow@example.org",
	    DELIVERY_SENT);
	ck_assert_ptr_null(correlator_next(c));
	sm_from(c, 3701, 712, "OTHER3", "192.0.2.2", "o@example.net", 5);
	m = correlator_next(c);
	ck_assert_ptr_nonnull(m);
	ck_assert_str_eq(m->queue_id, "4AQLVt5K012345");
	ck_assert(m->is_complete);
	ck_assert_uint_eq(m->recipient_count, 2);
	ck_assert_str_eq(m->recipients[1].address, "slow@example.org");
	ck_assert_int_eq(m->recipients[1].status, DELIVERY_SENT);
	ck_assert_uint_eq(m->recipients[1].deferrals, 2);
	ck_assert_int_eq(m->recipients[1].time_sec, 3700);
	ck_assert_int_eq(m->last_sec, 3700);
	ck_assert_ptr_null(correlator_next(c));
	ck_assert_uint_eq(correlator_open_count(c), 3);
	correlator_free(c);
}
END_TEST

START_TEST(test_sendmail_dsn_notice)
{
	struct correlator *c = correlator_new(NULL);
	const struct message *m;
	struct mta_event ev;

	/* the bounce, then the DSN notice naming the DSN's queue ID */
	sm_from(c, 100, 700, "4AQLVt5K012345", "192.0.2.17", "a@example.net",
	    1);
	sm_to(c, 101, 701, "4AQLVt5K012345", "nobody@example.com",
	    DELIVERY_BOUNCED);
	sm_notice(c, 101, "4AQLVt5K012345", "4AQLVt5L012399", false);
	/* the DSN itself: no "from=" line, one recipient */
	sm_to(c, 102, 701, "4AQLVt5L012399", "a@example.net", DELIVERY_SENT);
	m = correlator_next(c);
	ck_assert_ptr_nonnull(m);
	ck_assert_str_eq(m->queue_id, "4AQLVt5K012345");
	ck_assert(m->is_complete);
	ck_assert_int_eq(m->origin, ORIGIN_SMTP);
	ck_assert_int_eq(m->recipients[0].status, DELIVERY_BOUNCED);
	ck_assert_ptr_null(correlator_next(c));
	correlator_finish(c);
	m = correlator_next(c);
	ck_assert_ptr_nonnull(m);
	ck_assert_str_eq(m->queue_id, "4AQLVt5L012399");
	ck_assert(m->is_complete);
	ck_assert_int_eq(m->origin, ORIGIN_BOUNCE);
	ck_assert_uint_eq(m->recipient_count, 1);
	ck_assert_uint_eq(correlator_stats(c)->orphan_events, 0);
	correlator_free(c);

	/* the notice after the original was closed by a later line of
	   another process (one in the same second leaves it open) */
	c = correlator_new(NULL);
	sm_from(c, 100, 700, "4AQLVt5K012345", "192.0.2.17", "a@example.net",
	    1);
	sm_to(c, 101, 701, "4AQLVt5K012345", "nobody@example.com",
	    DELIVERY_BOUNCED);
	sm_auth(c, 101, 705, "192.0.2.50", "zed");
	ck_assert_ptr_null(correlator_next(c));
	sm_auth(c, 102, 706, "192.0.2.51", "yan");
	m = correlator_next(c);
	ck_assert_ptr_nonnull(m);
	ck_assert_str_eq(m->queue_id, "4AQLVt5K012345");
	sm_notice(c, 101, "4AQLVt5K012345", "4AQLVt5L012399", false);
	/* and "done" for it: neither an orphan nor a new message */
	ev = smk(EV_REMOVED, 102, 701, "4AQLVt5K012345");
	correlator_feed(c, &ev);
	ck_assert_ptr_null(correlator_next(c));
	ck_assert_uint_eq(correlator_open_count(c), 1);
	sm_to(c, 102, 701, "4AQLVt5L012399", "a@example.net", DELIVERY_SENT);
	correlator_finish(c);
	m = correlator_next(c);
	ck_assert_ptr_nonnull(m);
	ck_assert_str_eq(m->queue_id, "4AQLVt5L012399");
	ck_assert_int_eq(m->origin, ORIGIN_BOUNCE);
	ck_assert(m->is_complete);
	ck_assert_ptr_null(correlator_next(c));
	ck_assert_uint_eq(correlator_stats(c)->orphan_events, 0);
	ck_assert_uint_eq(correlator_stats(c)->messages_complete, 2);
	correlator_free(c);
}
END_TEST

START_TEST(test_sendmail_done_and_expired)
{
	struct correlator *c = correlator_new(NULL);
	const struct message *m;
	struct mta_event ev;

	/* "done" closes at once, even with a deferred recipient */
	sm_from(c, 100, 700, "4AQLVt5K012345", "192.0.2.17", "a@example.net",
	    1);
	sm_to(c, 101, 701, "4AQLVt5K012345", "slow@example.com",
	    DELIVERY_DEFERRED);
	ev = smk(EV_REMOVED, 102, 701, "4AQLVt5K012345");
	correlator_feed(c, &ev);
	m = correlator_next(c);
	ck_assert_ptr_nonnull(m);
	ck_assert(m->is_complete);
	ck_assert(!m->expired);
	/* a message given up on: closed with the deferral standing */
	sm_from(c, 200, 710, "4AQLVt5K012346", "192.0.2.17", "a@example.net",
	    2);
	sm_to(c, 201, 711, "4AQLVt5K012346", "bob@example.com",
	    DELIVERY_SENT);
	sm_to(c, 201, 711, "4AQLVt5K012346", "slow@example.com",
	    DELIVERY_DEFERRED);
	sm_notice(c, 432200, "4AQLVt5K012346", "4AQLVt5L012399", true);
	ck_assert_ptr_null(correlator_next(c));
	sm_auth(c, 432201, 712, "192.0.2.50", "zed");
	m = correlator_next(c);
	ck_assert_ptr_nonnull(m);
	ck_assert_str_eq(m->queue_id, "4AQLVt5K012346");
	ck_assert(m->is_complete);
	ck_assert(m->expired);
	ck_assert_int_eq(m->recipients[1].status, DELIVERY_DEFERRED);
	ck_assert_ptr_null(correlator_next(c));
	/* the expiry of a message begun before the log opens none */
	sm_notice(c, 432300, "4AQLVt5K000001", "4AQLVt5L012400", true);
	ev = smk(EV_REMOVED, 432301, 800, "4AQLVt5K000001");
	correlator_feed(c, &ev);
	correlator_finish(c);
	m = correlator_next(c);
	ck_assert_ptr_nonnull(m);
	ck_assert_str_eq(m->queue_id, "4AQLVt5L012399");
	m = correlator_next(c);
	ck_assert_ptr_nonnull(m);
	ck_assert_str_eq(m->queue_id, "4AQLVt5L012400");
	ck_assert_int_eq(m->origin, ORIGIN_BOUNCE);
	ck_assert_ptr_null(correlator_next(c));
	ck_assert_uint_eq(correlator_stats(c)->orphan_events, 0);
	correlator_free(c);
}
END_TEST

START_TEST(test_sendmail_refused)
{
	struct correlator *c = correlator_new(NULL);
	const struct message *m;
	struct mta_event ev;

	/* every recipient refused: the "from=" line says nrcpts=0.  The
	   refusal is a record of its own, as "NOQUEUE: reject" is, made
	   as the session's user; the empty envelope is no message. */
	sm_auth(c, 99, 700, "192.0.2.7", "mallory");
	ev = smk(EV_REJECT, 100, 700, "4AQLVt5K012345");
	ev.reject_origin = REJECT_SMTPD;
	ev.stage = ZSTR_LIT("RCPT");
	ev.recipient = ZSTR_LIT("victim@example.org");
	ev.client_ip = ZSTR_LIT("192.0.2.7");
	ev.dsn = ZSTR_LIT("5.7.1");
	ev.response = ZSTR_LIT("550 5.7.1 <victim@example.org>... Relaying "
	    "denied");
	correlator_feed(c, &ev);
	sm_from(c, 101, 700, "4AQLVt5K012345", "192.0.2.7", "spam@example.biz",
	    0);
	correlator_finish(c);
	m = correlator_next(c);
	ck_assert_ptr_nonnull(m);
	ck_assert_int_eq(m->kind, RECORD_REJECT);
	ck_assert_str_eq(m->stage, "RCPT");
	ck_assert_str_eq(m->client_ip, "192.0.2.7");
	ck_assert_str_eq(m->sasl_username, "mallory");
	ck_assert_uint_eq(m->recipient_count, 1);
	ck_assert_str_eq(m->recipients[0].address, "victim@example.org");
	ck_assert_ptr_null(correlator_next(c));
	ck_assert_uint_eq(correlator_stats(c)->rejects, 1);
	ck_assert_uint_eq(correlator_stats(c)->messages_complete, 0);
	ck_assert_uint_eq(correlator_stats(c)->messages_incomplete, 0);
	correlator_free(c);

	/* refused at the end of DATA before the "from=" line (a milter's
	   verdict): complete once "from=" is seen, with no size */
	c = correlator_new(NULL);
	ev = smk(EV_REJECT, 100, 700, "4AQLVt5K012345");
	ev.reject_origin = REJECT_MILTER;
	ev.stage = ZSTR_LIT("END-OF-MESSAGE");
	ev.response = ZSTR_LIT("554 5.7.1 Spam message rejected");
	correlator_feed(c, &ev);
	sm_from(c, 100, 700, "4AQLVt5K012345", "192.0.2.7", "a@example.net",
	    3);
	correlator_finish(c);
	m = correlator_next(c);
	ck_assert_ptr_nonnull(m);
	ck_assert_int_eq(m->kind, RECORD_MESSAGE);
	ck_assert(m->is_complete);
	ck_assert_uint_eq(m->local_rejects, 1);
	ck_assert_uint_eq(m->size_bytes, 0);
	ck_assert_uint_eq(correlator_stats(c)->messages_incomplete, 0);
	correlator_free(c);

	/* refused at the end of DATA: recipients never handed to a
	   mailer (DELIVERY_OTHER) are final */
	c = correlator_new(NULL);
	sm_from(c, 100, 700, "4AQLVt5K012345", "192.0.2.7", "a@example.net",
	    2);
	ev = smk(EV_REJECT, 101, 700, "4AQLVt5K012345");
	ev.reject_origin = REJECT_MILTER;
	ev.stage = ZSTR_LIT("END-OF-MESSAGE");
	ev.response = ZSTR_LIT("554 5.7.1 Spam message rejected");
	correlator_feed(c, &ev);
	ck_assert_uint_eq(correlator_open_count(c), 1);
	sm_to(c, 101, 700, "4AQLVt5K012345", "r1@example.com", DELIVERY_OTHER);
	sm_to(c, 101, 700, "4AQLVt5K012345", "r2@example.com", DELIVERY_OTHER);
	correlator_finish(c);
	m = correlator_next(c);
	ck_assert_ptr_nonnull(m);
	ck_assert(m->is_complete);
	ck_assert_uint_eq(m->local_rejects, 1);
	ck_assert_uint_eq(m->recipient_count, 2);
	ck_assert_uint_eq(correlator_stats(c)->messages_incomplete, 0);
	correlator_free(c);
}
END_TEST

START_TEST(test_sendmail_alias_expansion)
{
	struct correlator *c = correlator_new(NULL);
	const struct message *m;

	/* one recipient declared, three delivered on one line */
	sm_from(c, 100, 700, "4AQLVt5K012345", NULL, "a@example.net", 1);
	sm_to(c, 101, 701, "4AQLVt5K012345", "u1", DELIVERY_SENT);
	sm_to(c, 101, 701, "4AQLVt5K012345", "u2", DELIVERY_SENT);
	sm_to(c, 101, 701, "4AQLVt5K012345", "u3", DELIVERY_BOUNCED);
	/* a recipient seen again changes its outcome, not the count */
	sm_to(c, 101, 701, "4AQLVt5K012345", "u2", DELIVERY_DEFERRED);
	ck_assert_ptr_null(correlator_next(c));
	sm_to(c, 102, 701, "4AQLVt5K012345", "u2", DELIVERY_SENT);
	correlator_finish(c);
	m = correlator_next(c);
	ck_assert_ptr_nonnull(m);
	ck_assert(m->is_complete);
	ck_assert_uint_eq(m->recipient_count, 3);
	ck_assert_int_eq(m->recipients[1].status, DELIVERY_SENT);
	ck_assert_uint_eq(m->recipients[1].deferrals, 1);
	ck_assert_int_eq(m->origin, ORIGIN_UNKNOWN);
	ck_assert_uint_eq(correlator_stats(c)->orphan_events, 0);
	correlator_free(c);
}
END_TEST

/* A message done waits for its relay's clock to move on: not for
   another relay's lines, nor for lines of the same second. */
START_TEST(test_sendmail_close_by_clock)
{
	struct correlator *c = correlator_new(NULL);
	const struct message *m;
	struct mta_event ev;

	sm_from(c, 100, 700, "4AQLVt5K012345", NULL, "a@example.net", 1);
	sm_to(c, 101, 701, "4AQLVt5K012345", "u1", DELIVERY_SENT);
	ev = mk(EV_AUTH_OK, 500, "relay2", 900, NULL);
	ev.mta = MTA_SENDMAIL;
	ev.client_ip = ZSTR_LIT("192.0.2.9");
	correlator_feed(c, &ev);
	sm_auth(c, 101, 705, "192.0.2.50", "zed");
	ck_assert_ptr_null(correlator_next(c));
	/* a line about it at a later second goes to it first */
	sm_to(c, 102, 701, "4AQLVt5K012345", "u2", DELIVERY_SENT);
	ck_assert_ptr_null(correlator_next(c));
	correlator_advance(c, ZSTR_LIT("relay1"), 102);
	ck_assert_ptr_null(correlator_next(c));
	/* the relay's clock moves on, by a line or by another run's */
	correlator_advance(c, ZSTR_LIT("relay1"), 103);
	m = correlator_next(c);
	ck_assert_ptr_nonnull(m);
	ck_assert(m->is_complete);
	ck_assert_uint_eq(m->recipient_count, 2);
	ck_assert_uint_eq(correlator_stats(c)->orphan_events, 0);
	/* a line about it now is late */
	sm_to(c, 104, 701, "4AQLVt5K012345", "u3", DELIVERY_SENT);
	ck_assert_uint_eq(correlator_stats(c)->orphan_events, 1);
	correlator_free(c);

	/* Its notice a second later moves the clock: it waits from there,
	   and another line of that second leaves it open. */
	c = correlator_new(NULL);
	sm_from(c, 100, 700, "4AQLVt5K012345", NULL, "a@example.net", 1);
	sm_to(c, 101, 701, "4AQLVt5K012345", "u1", DELIVERY_SENT);
	sm_notice(c, 102, "4AQLVt5K012345", "4AQLVt5L012399", false);
	sm_auth(c, 102, 705, "192.0.2.50", "zed");
	ck_assert_ptr_null(correlator_next(c));
	sm_to(c, 105, 701, "4AQLVt5K012345", "u2", DELIVERY_SENT);
	correlator_finish(c);
	m = correlator_next(c);
	ck_assert_ptr_nonnull(m);
	ck_assert(m->is_complete);
	ck_assert_uint_eq(m->recipient_count, 2);
	ck_assert_uint_eq(correlator_stats(c)->orphan_events, 0);
	correlator_free(c);

	/* Over max_open a message done is closed, not evicted. */
	c = correlator_new(&(struct correlator_options){ .max_open = 1 });
	sm_from(c, 100, 700, "4AQLVt5K012345", NULL, "a@example.net", 1);
	sm_to(c, 101, 701, "4AQLVt5K012345", "u1", DELIVERY_SENT);
	sm_from(c, 101, 702, "4AQLVt5K012346", NULL, "a@example.net", 1);
	m = correlator_next(c);
	ck_assert_ptr_nonnull(m);
	ck_assert_str_eq(m->queue_id, "4AQLVt5K012345");
	ck_assert(m->is_complete);
	ck_assert_uint_eq(correlator_stats(c)->messages_evicted, 0);
	ck_assert_uint_eq(correlator_stats(c)->messages_complete, 1);
	correlator_free(c);
}
END_TEST

START_TEST(test_sendmail_pending_evicted)
{
	struct correlator_options o = { .max_open = 2 };
	struct correlator *c = correlator_new(&o);
	const struct message *m;
	size_t		 n = 0, incomplete = 0;

	/* a message whose close is put off is closed when the clock
	   moves on, before the limit is reached */
	sm_from(c, 100, 700, "A1", NULL, "a@example.net", 1);
	sm_to(c, 101, 701, "A1", "r@example.com", DELIVERY_SENT);
	sm_from(c, 102, 702, "A2", NULL, "a@example.net", 1);
	sm_from(c, 103, 703, "A3", NULL, "a@example.net", 1);
	sm_from(c, 104, 704, "A4", NULL, "a@example.net", 1);
	correlator_finish(c);
	while ((m = correlator_next(c)) != NULL) {
		n++;
		if (!m->is_complete)
			incomplete++;
	}
	ck_assert_uint_eq(n, 4);
	ck_assert_uint_eq(incomplete, 3);
	ck_assert_uint_eq(correlator_stats(c)->messages_complete, 1);
	correlator_free(c);

	/* the DSN a notice opens pushes the one waiting out: done, it is
	   closed, not evicted */
	o.max_open = 1;
	c = correlator_new(&o);
	sm_from(c, 100, 700, "A1", NULL, "a@example.net", 1);
	sm_to(c, 101, 701, "A1", "r@example.com", DELIVERY_BOUNCED);
	sm_notice(c, 101, "A1", "D1", false);
	m = correlator_next(c);
	ck_assert_ptr_nonnull(m);
	ck_assert_str_eq(m->queue_id, "A1");
	ck_assert(m->is_complete);
	ck_assert_ptr_null(correlator_next(c));
	sm_to(c, 102, 701, "D1", "a@example.net", DELIVERY_SENT);
	correlator_finish(c);
	m = correlator_next(c);
	ck_assert_ptr_nonnull(m);
	ck_assert_str_eq(m->queue_id, "D1");
	ck_assert(m->is_complete);
	ck_assert_uint_eq(correlator_stats(c)->messages_evicted, 0);
	ck_assert_uint_eq(correlator_stats(c)->messages_complete, 2);
	correlator_free(c);
}
END_TEST

START_TEST(test_sendmail_hostile_events)
{
	static const int64_t times[] = { INT64_MIN, INT64_MAX, 0, -1 };
	struct correlator_options o = { .max_open = 3, .max_idle_sec = 1 };
	struct correlator *c = correlator_new(&o);
	struct mta_event ev;
	size_t		 k, t;

	for (t = 0; t < sizeof(times) / sizeof(times[0]); t++) {
		for (k = 0; k <= EV_KIND_COUNT; k++) {
			event_init(&ev);
			ev.mta = MTA_SENDMAIL;
			ev.kind = (enum event_kind)k;
			ev.time_sec = times[t];
			correlator_feed(c, &ev);
			ev.queue_id = ZSTR_LIT("Q");
			ev.pid = 1;
			ev.related_queue_id = ZSTR_LIT("Q");
			ev.recipient = ZSTR_LIT("");
			correlator_feed(c, &ev);
			ev.related_queue_id = ZSTR_LIT("R");
			ev.status = DELIVERY_DEFERRED;
			correlator_feed(c, &ev);
		}
	}
	correlator_finish(c);
	while (correlator_next(c) != NULL)
		continue;
	ck_assert_uint_eq(correlator_open_count(c), 0);
	/* an unread pending message is freed with the correlator */
	sm_from(c, 1, 700, "LEFT1", NULL, "a@example.net", 0);
	correlator_free(c);
}
END_TEST

/* correlator_suite - every test above */
static Suite *
correlator_suite(void)
{
	Suite	*s = suite_create("correlator");
	TCase	*tc;

	tc = tcase_create("messages");
	tcase_add_test(tc, test_normal_message);
	tcase_add_test(tc, test_pickup_and_expired);
	tcase_add_test(tc, test_queue_id_reuse);
	tcase_add_test(tc, test_split_across_files);
	tcase_add_test(tc, test_deferred_then_sent);
	tcase_add_test(tc, test_expired_keeps_reply);
	tcase_add_test(tc, test_bounce_notice);
	tcase_add_test(tc, test_relay_generated_bounce);
	tcase_add_test(tc, test_local_rejects);
	tcase_add_test(tc, test_max_recipients);
	suite_add_tcase(s, tc);

	tc = tcase_create("sessions");
	tcase_add_test(tc, test_noqueue_reject_session);
	tcase_add_test(tc, test_session_auth_ok);
	tcase_add_test(tc, test_session_limits);
	tcase_add_test(tc, test_session_use);
	tcase_add_test(tc, test_session_use_agrees);
	tcase_add_test(tc, test_session_transfer);
	tcase_add_test(tc, test_closed_transfer);
	tcase_add_test(tc, test_auth_failure);
	suite_add_tcase(s, tc);

	tc = tcase_create("sendmail");
	tcase_add_test(tc, test_sendmail_auth_flow);
	tcase_add_test(tc, test_sendmail_held_refusals);
	tcase_add_test(tc, test_sendmail_held_freed);
	tcase_add_test(tc, test_sendmail_held_flood);
	tcase_add_test(tc, test_sendmail_msp_join);
	tcase_add_test(tc, test_sendmail_msp_parked_settle);
	tcase_add_test(tc, test_sendmail_copy_discarded);
	tcase_add_test(tc, test_sendmail_chain_at_finish);
	tcase_add_test(tc, test_sendmail_session_mismatch);
	tcase_add_test(tc, test_sendmail_milter_refusal);
	tcase_add_test(tc, test_sendmail_alias_deferred);
	tcase_add_test(tc, test_sendmail_discard);
	tcase_add_test(tc, test_sendmail_deferred_then_sent);
	tcase_add_test(tc, test_sendmail_dsn_notice);
	tcase_add_test(tc, test_sendmail_done_and_expired);
	tcase_add_test(tc, test_sendmail_refused);
	tcase_add_test(tc, test_sendmail_alias_expansion);
	tcase_add_test(tc, test_sendmail_close_by_clock);
	tcase_add_test(tc, test_sendmail_pending_evicted);
	tcase_add_test(tc, test_sendmail_hostile_events);
	suite_add_tcase(s, tc);

	tc = tcase_create("limits");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_finish_order);
	tcase_add_test(tc, test_evict_max_open);
	tcase_add_test(tc, test_evict_lru);
	tcase_add_test(tc, test_evict_idle);
	tcase_add_test(tc, test_many_recipients);
	tcase_add_test(tc, test_deferred_many_retries);
	tcase_add_test(tc, test_reject_recipient_kept);
	tcase_add_test(tc, test_exim_not_tried);
	tcase_add_test(tc, test_records_reused);
	tcase_add_test(tc, test_hostile_events);
	tcase_add_test(tc, test_lookup_runs);
	tcase_add_test(tc, test_recipient_match);
	tcase_add_test(tc, test_tombstone_cap);
	tcase_add_test(tc, test_tombstone_window_recycled);
	tcase_add_test(tc, test_keys_kept);
	suite_add_tcase(s, tc);

	tc = tcase_create("addresses");
	tcase_add_loop_test(tc, test_canonical_ip, 0,
	    (int)(sizeof(ip_cases) / sizeof(ip_cases[0])));
	tcase_add_test(tc, test_canonical_ip_edges);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_canonical_ip_library);
	tcase_add_test(tc, test_canonical_ip_library_texts);
	tcase_add_test(tc, test_record_ip_forms);
	tcase_add_test(tc, test_filter_join);
	tcase_add_test(tc, test_filter_copy_done_first);
	tcase_add_test(tc, test_filter_end_of_input);
	tcase_add_test(tc, test_filter_evicted_copy);
	tcase_add_test(tc, test_filter_two_copies);
	tcase_add_test(tc, test_filter_not_joined);
	tcase_add_test(tc, test_filter_addresses);
	tcase_add_test(tc, test_filter_discard);
	tcase_add_test(tc, test_filter_chain);
	tcase_add_test(tc, test_filter_chain_at_end);
	tcase_add_test(tc, test_pipe_join);
	tcase_add_test(tc, test_pipe_per_recipient);
	tcase_add_test(tc, test_pipe_not_joined);
	tcase_add_test(tc, test_pipe_maybe_joined);
	suite_add_tcase(s, tc);
	return s;
}

/* main - run the suite; failure when any test failed */
int
main(void)
{
	return run_suite(correlator_suite());
}
