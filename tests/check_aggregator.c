/*
 * check_aggregator - attribution, features and exact merging
 * (analysis/aggregator.h).
 *
 * Records are built by hand here as the correlator would hand them
 * out.  The merge property test feeds a seeded pseudo-random mix of
 * records to one aggregator and, split at several points, to two or
 * three, and requires byte-identical canonical dumps.
 */
#include "config.h"

#include <check.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "analysis/aggregator.h"
#include "analysis/classify.h"
#include "util/distinct.h"
#include "util/hash.h"
#include "tests/tz_switch.h"
#include "tests/testutil.h"

#define T0	INT64_C(1700000000)	/* 2023-11-14 22:13:20 UTC */
#define MAX_RCPTS	16

/*
 * Every string and recipient array a test builds is kept here and
 * freed by pool_free(), so records can be built with plain calls.
 */
static void	**pool;
static size_t	  pool_len, pool_cap;

/* keep - remember an allocation for pool_free */
static void *
keep(void *p)
{
	ck_assert_ptr_nonnull(p);
	if (pool_len == pool_cap) {
		size_t	 cap = pool_cap > 0 ? pool_cap * 2 : 256;
		void	**grown = realloc(pool, cap * sizeof(*pool));

		ck_assert_ptr_nonnull(grown);
		pool = grown;
		pool_cap = cap;
	}
	pool[pool_len++] = p;
	return p;
}

/* S - pooled copy of a string; NULL stays NULL */
static char *
S(const char *s)
{
	return s != NULL ? keep(strdup(s)) : NULL;
}

/* pool_free - free everything kept */
static void
pool_free(void)
{
	size_t	i;

	for (i = 0; i < pool_len; i++)
		free(pool[i]);
	free(pool);
	pool = NULL;
	pool_len = pool_cap = 0;
}

/* record - a record of a kind with nothing set */
static struct message
record(enum record_kind kind, int64_t t)
{
	struct message m;

	memset(&m, 0, sizeof(m));
	m.kind = kind;
	m.origin = ORIGIN_SMTP;
	m.uid = -1;
	m.first_sec = t;
	m.last_sec = t;
	m.is_complete = true;
	m.recipients = keep(calloc(MAX_RCPTS, sizeof(struct recipient)));
	return m;
}

/* smtp_msg - a message received over SMTP */
static struct message
smtp_msg(const char *host, const char *qid, int64_t t, const char *ip,
    const char *sasl, const char *sender)
{
	struct message m = record(RECORD_MESSAGE, t);

	m.host = S(host);
	m.queue_id = S(qid);
	m.client_ip = S(ip);
	m.sasl_username = S(sasl);
	m.sender = S(sender);
	m.last_sec = t + 5;
	return m;
}

/* add_rcpt - append a recipient with its final outcome */
static struct recipient *
add_rcpt(struct message *m, const char *address, const char *transport,
    enum delivery_status status, const char *response, uint32_t deferrals)
{
	struct recipient *r;

	ck_assert_uint_lt(m->recipient_count, MAX_RCPTS);
	r = &m->recipients[m->recipient_count++];
	r->address = S(address);
	r->transport = S(transport);
	r->response = S(response);
	r->status = status;
	r->deferrals = deferrals;
	r->time_sec = m->last_sec;
	return r;
}

/* dump - canonical text of an aggregator; caller frees */
static char *
dump(const struct aggregator *agg)
{
	json_t	*j = aggregator_to_json(agg);
	char	*s;

	ck_assert_ptr_nonnull(j);
	s = json_dumps(j, JSON_SORT_KEYS | JSON_COMPACT);
	ck_assert_ptr_nonnull(s);
	json_decref(j);
	return s;
}

/*
 * Attribution table: one record each, the account it must land on
 * (kind and key, or none) and the stats counter it must bump.
 */
struct attribution_case {
	const char	*name;
	enum record_kind kind;
	enum message_origin origin;
	const char	*sasl;
	const char	*ip;
	const char	*sender;
	int64_t		 uid;
	const char	*transports;	/* one letter per recipient:
					   s smtp, l local, v virtual,
					   m lmtp, n NULL */
	bool		 has_account;
	enum account_kind account_kind;
	const char	*key;
	size_t		 stat_offset;
};

#define STAT(f)	offsetof(struct aggregator_stats, f)

static const struct attribution_case attribution_cases[] = {
	{ "sasl", RECORD_MESSAGE, ORIGIN_SMTP, "Alice@Example.NET",
	  "192.0.2.7", "x@example.net", -1, "s", true, ACCOUNT_SASL,
	  "alice@example.net", STAT(messages_attributed) },
	{ "ip", RECORD_MESSAGE, ORIGIN_SMTP, NULL, "192.0.2.8",
	  "x@example.net", -1, "s", true, ACCOUNT_IP, "192.0.2.8",
	  STAT(messages_attributed) },
	{ "empty sasl is no sasl", RECORD_MESSAGE, ORIGIN_SMTP, "",
	  "2001:db8::8", "x@example.net", -1, "s", true, ACCOUNT_IP,
	  "2001:db8::8", STAT(messages_attributed) },
	{ "ip without recipients", RECORD_MESSAGE, ORIGIN_SMTP, NULL,
	  "192.0.2.9", "x@example.net", -1, "", true, ACCOUNT_IP,
	  "192.0.2.9", STAT(messages_attributed) },
	{ "inbound local", RECORD_MESSAGE, ORIGIN_SMTP, NULL,
	  "198.51.100.1", "x@example.org", -1, "lvm", false, ACCOUNT_IP,
	  NULL, STAT(inbound_local) },
	{ "inbound lmtp", RECORD_MESSAGE, ORIGIN_SMTP, NULL,
	  "198.51.100.1", "x@example.org", -1, "m", false, ACCOUNT_IP,
	  NULL, STAT(inbound_local) },
	{ "mixed local and smtp", RECORD_MESSAGE, ORIGIN_SMTP, NULL,
	  "198.51.100.2", "x@example.org", -1, "ls", true, ACCOUNT_IP,
	  "198.51.100.2", STAT(messages_attributed) },
	{ "local with unknown transport", RECORD_MESSAGE, ORIGIN_SMTP,
	  NULL, "198.51.100.3", "x@example.org", -1, "ln", true,
	  ACCOUNT_IP, "198.51.100.3", STAT(messages_attributed) },
	{ "authenticated to local", RECORD_MESSAGE, ORIGIN_SMTP, "carol",
	  "198.51.100.4", "carol@example.net", -1, "l", true,
	  ACCOUNT_SASL, "carol", STAT(messages_attributed) },
	{ "smtp with no key", RECORD_MESSAGE, ORIGIN_SMTP, NULL, NULL,
	  "x@example.org", -1, "s", false, ACCOUNT_IP, NULL,
	  STAT(messages_unattributed) },
	{ "smtp with empty ip", RECORD_MESSAGE, ORIGIN_SMTP, NULL, "",
	  "x@example.org", -1, "s", false, ACCOUNT_IP, NULL,
	  STAT(messages_unattributed) },
	{ "pickup", RECORD_MESSAGE, ORIGIN_PICKUP, NULL, NULL,
	  "Bob@Example.NET", 1001, "s", true, ACCOUNT_LOCAL,
	  "bob@example.net", STAT(messages_attributed) },
	{ "pickup that logged in", RECORD_MESSAGE, ORIGIN_PICKUP, "UserX",
	  NULL, "caller@example.net", 1001, "s", true, ACCOUNT_SASL,
	  "userx", STAT(messages_attributed) },
	{ "pickup null sender", RECORD_MESSAGE, ORIGIN_PICKUP, NULL, NULL,
	  "", 1001, "s", true, ACCOUNT_LOCAL, "uid:1001",
	  STAT(messages_attributed) },
	{ "pickup unlogged sender", RECORD_MESSAGE, ORIGIN_PICKUP, NULL,
	  NULL, NULL, 0, "s", true, ACCOUNT_LOCAL, "uid:0",
	  STAT(messages_attributed) },
	{ "pickup to local mailboxes", RECORD_MESSAGE, ORIGIN_PICKUP, NULL,
	  NULL, "backup@relay1.example.net", 1001, "ll", false,
	  ACCOUNT_LOCAL, NULL, STAT(inbound_local) },
	{ "pickup with nothing", RECORD_MESSAGE, ORIGIN_PICKUP, NULL,
	  NULL, NULL, -1, "s", false, ACCOUNT_LOCAL, NULL,
	  STAT(messages_unattributed) },
	{ "bounce", RECORD_MESSAGE, ORIGIN_BOUNCE, NULL, NULL, "", -1,
	  "s", false, ACCOUNT_LOCAL, NULL, STAT(relay_bounces) },
	/* a content filter's notice, handed over on loopback */
	{ "loopback null sender", RECORD_MESSAGE, ORIGIN_SMTP, NULL,
	  "127.0.0.1", "", -1, "s", false, ACCOUNT_IP, NULL,
	  STAT(relay_bounces) },
	{ "loopback6 null sender", RECORD_MESSAGE, ORIGIN_SMTP, NULL,
	  "::1", "", -1, "s", false, ACCOUNT_IP, NULL,
	  STAT(relay_bounces) },
	{ "loopback with sender", RECORD_MESSAGE, ORIGIN_SMTP, NULL,
	  "127.0.0.1", "web@example.net", -1, "s", true, ACCOUNT_IP,
	  "127.0.0.1", STAT(messages_attributed) },
	{ "loopback logged in", RECORD_MESSAGE, ORIGIN_SMTP, "grace",
	  "127.0.0.1", "", -1, "s", true, ACCOUNT_SASL, "grace",
	  STAT(messages_attributed) },
	{ "null sender elsewhere", RECORD_MESSAGE, ORIGIN_SMTP, NULL,
	  "192.0.2.15", "", -1, "s", true, ACCOUNT_IP, "192.0.2.15",
	  STAT(messages_attributed) },
	{ "unknown origin", RECORD_MESSAGE, ORIGIN_UNKNOWN, "dave",
	  "192.0.2.10", "x@example.net", -1, "s", false, ACCOUNT_SASL,
	  NULL, STAT(messages_unattributed) },
	{ "reject sasl", RECORD_REJECT, ORIGIN_SMTP, "ERIN", "192.0.2.11",
	  "x@example.net", -1, "", true, ACCOUNT_SASL, "erin",
	  STAT(rejects_attributed) },
	{ "reject ip", RECORD_REJECT, ORIGIN_SMTP, NULL, "192.0.2.12",
	  "x@example.net", -1, "", true, ACCOUNT_IP, "192.0.2.12",
	  STAT(rejects_attributed) },
	{ "reject nothing", RECORD_REJECT, ORIGIN_SMTP, NULL, NULL,
	  "x@example.net", -1, "", false, ACCOUNT_IP, NULL,
	  STAT(rejects_unattributed) },
	{ "auth failure sasl", RECORD_AUTH_FAILURE, ORIGIN_SMTP, "Frank",
	  "192.0.2.13", NULL, -1, "", true, ACCOUNT_SASL, "frank",
	  STAT(auth_failures_attributed) },
	{ "auth failure ip", RECORD_AUTH_FAILURE, ORIGIN_SMTP, NULL,
	  "192.0.2.14", NULL, -1, "", true, ACCOUNT_IP, "192.0.2.14",
	  STAT(auth_failures_attributed) },
	{ "auth failure nothing", RECORD_AUTH_FAILURE, ORIGIN_SMTP, NULL,
	  NULL, NULL, -1, "", false, ACCOUNT_IP, NULL,
	  STAT(auth_failures_unattributed) },
};

/* stat_at - the stats counter at a byte offset */
static uint64_t
stat_at(const struct aggregator_stats *s, size_t offset)
{
	uint64_t v;

	memcpy(&v, (const char *)s + offset, sizeof(v));
	return v;
}

/* test_attribution - each record lands where the header says */
START_TEST(test_attribution)
{
	const struct attribution_case *c = &attribution_cases[_i];
	struct classifier *cls = classifier_new();
	struct aggregator *agg = aggregator_new(cls);
	const struct aggregator_stats *st;
	struct account_features f;
	const struct account *acct;
	struct message m = record(c->kind, T0);
	const char *t;
	size_t	 off, pos = 0;

	m.origin = c->origin;
	m.sasl_username = S(c->sasl);
	m.client_ip = S(c->ip);
	m.sender = S(c->sender);
	m.uid = c->uid;
	if (c->kind == RECORD_MESSAGE) {
		m.host = S("relay1");
		m.queue_id = S("4AbCdE");
	}
	for (t = c->transports; *t != '\0'; t++) {
		const char *name = *t == 's' ? "smtp" : *t == 'l' ? "local" :
		    *t == 'v' ? "virtual" : *t == 'm' ? "lmtp" : NULL;

		add_rcpt(&m, "rcpt@example.com", name, DELIVERY_SENT,
		    "250 ok", 0);
	}
	aggregator_add(agg, &m);
	st = aggregator_stats(agg);
	ck_assert_uint_eq(st->records, 1);
	for (off = 0; off < sizeof(*st); off += sizeof(uint64_t)) {
		if (off == STAT(records))
			continue;
		ck_assert_msg(stat_at(st, off) == (off == c->stat_offset),
		    "%s: stats counter at %zu is %llu", c->name, off,
		    (unsigned long long)stat_at(st, off));
	}
	if (!c->has_account) {
		ck_assert_uint_eq(aggregator_account_count(agg), 0);
		ck_assert(!aggregator_next(agg, &pos, &acct));
		goto done;
	}
	ck_assert_uint_eq(aggregator_account_count(agg), 1);
	ck_assert(aggregator_next(agg, &pos, &acct));
	ck_assert_int_eq(account_kind(acct), c->account_kind);
	ck_assert_str_eq(account_key(acct), c->key);
	ck_assert_ptr_eq(aggregator_find(agg, c->account_kind, c->key), acct);
	ck_assert(!aggregator_next(agg, &pos, &acct));
	account_features(acct, &f);
	ck_assert_int_eq(f.first_seen_sec, T0);
	ck_assert_uint_eq(f.messages, c->kind == RECORD_MESSAGE);
	ck_assert_uint_eq(f.local_rejections, c->kind == RECORD_REJECT);
	ck_assert_uint_eq(f.auth_failures, c->kind == RECORD_AUTH_FAILURE);
done:
	aggregator_free(agg);
	classifier_free(cls);
	pool_free();
}
END_TEST

/*
 * busy_fill - messages [from, to) of an account past every cap: 3,000
 * messages from 192.0.2.N (N cycling through 1,500 addresses) and a
 * sender of their own but for every second one, which uses the
 * subscriber's address; two recipients each, in domains of their own
 * but for the first, always at mail.example
 */
static void
busy_fill(struct aggregator *agg, size_t from, size_t to)
{
	struct message m;
	char	 qid[16], ip[32], sender[48], r1[48], r2[48];
	size_t	 i;

	for (i = from; i < to; i++) {
		snprintf(qid, sizeof(qid), "B%zu", i);
		snprintf(ip, sizeof(ip), "192.0.%zu.%zu", 2 + i % 1500 / 250,
		    i % 250);
		snprintf(sender, sizeof(sender), i % 2 == 0 ?
		    "owner@isp.example" : "forged%zu@example.net", i);
		snprintf(r1, sizeof(r1), "r%zu@mail.example", i);
		snprintf(r2, sizeof(r2), "r%zu@d%zu.example", i, i);
		m = smtp_msg("relay1", qid, T0 + (int64_t)i, ip, "busy",
		    sender);
		add_rcpt(&m, r1, "smtp", DELIVERY_SENT, "250 ok", 0);
		add_rcpt(&m, r2, "smtp", DELIVERY_SENT, "250 ok", 0);
		aggregator_add(agg, &m);
	}
}

/*
 * test_busiest - past the caps, the evidence lists come from the
 * sampled uses: the busiest names first, counts estimated near the
 * truth; exact lists below the caps; and the samples merge exactly
 */
START_TEST(test_busiest)
{
	struct classifier *cls = classifier_new();
	struct aggregator *one = aggregator_new(cls), *a, *b;
	const struct account *acct;
	const char *names[10];
	uint64_t counts[10];
	size_t	 n, cut, i;
	bool	 estimated[10];
	char	*d1, *d2;

	busy_fill(one, 0, 3000);
	acct = aggregator_find(one, ACCOUNT_SASL, "busy");
	ck_assert_ptr_nonnull(acct);
	/* 1,501 senders: half the messages are the owner's, estimated;
	   the rest are the name sample's, used once each, exactly. */
	n = account_busiest_senders(acct, names, counts, estimated, 10);
	ck_assert_uint_eq(n, 10);
	ck_assert_str_eq(names[0], "owner@isp.example");
	ck_assert(estimated[0]);
	ck_assert_msg(counts[0] >= 1000 && counts[0] <= 2000,
	    "owner: %llu of 1500", (unsigned long long)counts[0]);
	for (i = 1; i < n; i++) {
		ck_assert(!estimated[i]);
		ck_assert_uint_eq(counts[i], 1);
		ck_assert_ptr_nonnull(strstr(names[i], "@example.net"));
	}
	/* The name sample alone would hardly hold the owner. */
	n = account_top_senders(acct, names, counts, 10);
	ck_assert_uint_eq(n, 10);
	/* 3,001 domains: mail.example has half the recipients. */
	n = account_busiest_domains(acct, names, counts, estimated, 10);
	ck_assert_str_eq(names[0], "mail.example");
	ck_assert(estimated[0]);
	ck_assert_msg(counts[0] >= 2000 && counts[0] <= 4000,
	    "mail.example: %llu of 3000", (unsigned long long)counts[0]);
	ck_assert(!estimated[1]);
	ck_assert_uint_eq(counts[1], 1);
	/* 1,500 addresses used twice each: none sampled three times;
	   the name sample's, exactly. */
	n = account_busiest_client_ips(acct, names, counts, estimated, 10);
	ck_assert_uint_eq(n, 10);
	for (i = 0; i < n; i++) {
		ck_assert(!estimated[i]);
		ck_assert_uint_eq(counts[i], 2);
	}
	/* A small account's lists are exact. */
	busy_fill(one, 0, 0);
	{
		struct message m = smtp_msg("relay1", "S1", T0, "192.0.2.9",
		    "small", "s@isp.example");

		add_rcpt(&m, "x@example.org", "smtp", DELIVERY_SENT, "250",
		    0);
		aggregator_add(one, &m);
	}
	acct = aggregator_find(one, ACCOUNT_SASL, "small");
	n = account_busiest_senders(acct, names, counts, estimated, 10);
	ck_assert(!estimated[0]);
	ck_assert_uint_eq(n, 1);
	ck_assert_uint_eq(counts[0], 1);
	/* Any split, merged in either order, is one pass. */
	for (cut = 0; cut <= 3000; cut += 750) {
		a = aggregator_new(cls);
		b = aggregator_new(cls);
		busy_fill(a, 0, cut);
		busy_fill(b, cut, 3000);
		if (cut % 1500 == 0)
			aggregator_merge(a, b);
		else {
			aggregator_merge(b, a);
			aggregator_free(a);
			a = b;
			b = NULL;
		}
		{
			struct message m = smtp_msg("relay1", "S1", T0,
			    "192.0.2.9", "small", "s@isp.example");

			add_rcpt(&m, "x@example.org", "smtp",
			    DELIVERY_SENT, "250", 0);
			aggregator_add(a, &m);
		}
		d1 = dump(one);
		d2 = dump(a);
		ck_assert_msg(strcmp(d1, d2) == 0, "split at %zu", cut);
		ck_assert_ptr_nonnull(strstr(d1, "\"sender_uses\":[["));
		free(d1);
		free(d2);
		aggregator_free(a);
		aggregator_free(b);
	}
	aggregator_free(one);
	classifier_free(cls);
	pool_free();
}
END_TEST

/* test_sasl_case - usernames differing in case are one account */
START_TEST(test_sasl_case)
{
	struct classifier *cls = classifier_new();
	struct aggregator *agg = aggregator_new(cls);
	struct account_features f;
	const struct account *acct;
	struct message m;

	m = smtp_msg("relay1", "Q1", T0, "192.0.2.1", "Alice@Example.NET",
	    "alice@example.net");
	aggregator_add(agg, &m);
	m = smtp_msg("relay1", "Q2", T0 + 1, "192.0.2.2",
	    "alice@example.net", "alice@example.net");
	aggregator_add(agg, &m);
	m = record(RECORD_AUTH_FAILURE, T0 + 2);
	m.sasl_username = S("ALICE@EXAMPLE.NET");
	m.client_ip = S("203.0.113.5");
	aggregator_add(agg, &m);
	ck_assert_uint_eq(aggregator_account_count(agg), 1);
	acct = aggregator_find(agg, ACCOUNT_SASL, "aLiCe@eXaMpLe.NeT");
	ck_assert_ptr_nonnull(acct);
	ck_assert_str_eq(account_key(acct), "alice@example.net");
	ck_assert_str_eq(account_kind_name(account_kind(acct)), "sasl");
	account_features(acct, &f);
	ck_assert_uint_eq(f.messages, 2);
	ck_assert_uint_eq(f.auth_failures, 1);
	ck_assert_uint_eq(f.distinct_client_ips, 2);
	ck_assert_ptr_null(aggregator_find(agg, ACCOUNT_IP,
	    "alice@example.net"));
	ck_assert_ptr_null(aggregator_find(agg, ACCOUNT_SASL, "bob"));
	ck_assert_ptr_null(aggregator_find(agg, ACCOUNT_SASL, NULL));
	ck_assert_str_eq(account_kind_name(ACCOUNT_IP), "ip");
	ck_assert_str_eq(account_kind_name(ACCOUNT_LOCAL), "local");
	aggregator_free(agg);
	aggregator_free(NULL);
	classifier_free(cls);
	pool_free();
}
END_TEST

/* feature_records - the hand-built history of test_features */
static void
feature_records(struct aggregator *agg)
{
	struct message m;

	/* 22:13:20 UTC */
	m = smtp_msg("relay1", "A1", T0, "192.0.2.1", "alice@example.net",
	    "Alice@Example.NET");
	m.message_id = S("m1@example.net");
	m.size_bytes = 1000;
	add_rcpt(&m, "Bob@Example.COM", "smtp", DELIVERY_SENT,
	    "250 2.0.0 Ok: queued as ABC", 0);
	add_rcpt(&m, "carol@example.org", "smtp", DELIVERY_BOUNCED,
	    "host mx.example.org[192.0.2.25] said: 550 5.1.1 "
	    "<carol@example.org>: Recipient address rejected: User unknown "
	    "in virtual mailbox table", 0);
	add_rcpt(&m, "dave@Example.org", "smtp", DELIVERY_DEFERRED,
	    "host mx.example.org[192.0.2.25] said: 421 4.7.0 Error: too "
	    "many connections from 192.0.2.99", 3);
	aggregator_add(agg, &m);

	/* 22:23:20 UTC, never removed from the queue */
	m = smtp_msg("relay1", "A2", T0 + 600, "192.0.2.2",
	    "Alice@example.net", "alice@example.net");
	m.size_bytes = 2000;
	m.is_complete = false;
	m.local_rejects = 1;
	add_rcpt(&m, "bob@example.com", "smtp", DELIVERY_SENT, NULL, 0);
	add_rcpt(&m, "erin@example.net", "smtp", DELIVERY_EXPIRED,
	    "host mx.example.net[192.0.2.26] said: 554 5.7.1 Service "
	    "unavailable; Client host [192.0.2.99] blocked using "
	    "zen.spamhaus.org", 2);
	add_rcpt(&m, "frank@example.net", "smtp", DELIVERY_OTHER, NULL, 0);
	aggregator_add(agg, &m);

	/* 01:13:20 UTC next day; returned to the sender */
	m = smtp_msg("relay2", "B1", T0 + 3 * 3600, "192.0.2.1",
	    "alice@example.net", "");
	m.size_bytes = 500;
	m.expired = true;
	add_rcpt(&m, "gina@example.com", "smtp", DELIVERY_DEFERRED, NULL, 1);
	aggregator_add(agg, &m);

	/* A refused attempt before all that, a failed login after. */
	m = record(RECORD_REJECT, T0 - 1000);
	m.sasl_username = S("alice@example.net");
	m.client_ip = S("192.0.2.3");
	aggregator_add(agg, &m);
	m = record(RECORD_AUTH_FAILURE, T0 + 20000);
	m.sasl_username = S("ALICE@example.net");
	m.client_ip = S("203.0.113.9");
	aggregator_add(agg, &m);
}

/*
 * domain_edges - the recipient or sender domains an account is given:
 * the text after the last '@', when there is one and something
 * follows it
 */
static const char *const domain_edge_addresses[] = {
	"a@", "@", "noat", "@Dom1.Example", "a@b@Dom2.Example", "x@y@",
	"q@DOM2.example", "@@", "z@d",
};
static const char *const domain_edge_domains[] = {
	"d", "dom1.example", "dom2.example",
};

/* domain_names_sorted - the n names in byte order, in place */
static void
domain_names_sorted(const char **names, size_t n)
{
	size_t	i, j;

	for (i = 1; i < n; i++)
		for (j = i; j > 0 && strcmp(names[j - 1], names[j]) > 0; j--) {
			const char *t = names[j];

			names[j] = names[j - 1];
			names[j - 1] = t;
		}
}

/* expect_edge_domains - the got names are domain_edge_domains, sorted */
static void
expect_edge_domains(const char **names, size_t got)
{
	const size_t want = sizeof(domain_edge_domains) /
	    sizeof(domain_edge_domains[0]);
	size_t	 i;

	ck_assert_uint_eq(got, want);
	domain_names_sorted(names, got);
	for (i = 0; i < got; i++)
		ck_assert_str_eq(names[i], domain_edge_domains[i]);
}

/* test_domain_edges - which recipient and sender domains count */
START_TEST(test_domain_edges)
{
	const size_t n = sizeof(domain_edge_addresses) /
	    sizeof(domain_edge_addresses[0]);
	struct classifier *cls = classifier_new();
	struct aggregator *agg = aggregator_new(cls);
	const struct account *acct;
	const char *names[16];
	uint64_t counts[16];
	struct message m;
	char	 qid[32];
	size_t	 i;

	m = smtp_msg("relay1", "QD0", T0, "192.0.2.1", "u", "u@example.org");
	for (i = 0; i < n; i++)
		add_rcpt(&m, domain_edge_addresses[i], "smtp", DELIVERY_SENT,
		    NULL, 0);
	aggregator_add(agg, &m);
	acct = aggregator_find(agg, ACCOUNT_SASL, "u");
	expect_edge_domains(names,
	    account_top_domains(acct, names, counts, 16));

	aggregator_free(agg);
	agg = aggregator_new(cls);
	for (i = 0; i < n; i++) {
		snprintf(qid, sizeof(qid), "QS%zu", i);
		m = smtp_msg("relay1", qid, T0, "192.0.2.1", "u",
		    domain_edge_addresses[i]);
		aggregator_add(agg, &m);
	}
	acct = aggregator_find(agg, ACCOUNT_SASL, "u");
	expect_edge_domains(names,
	    account_top_sender_domains(acct, names, counts, 16));
	aggregator_free(agg);
	classifier_free(cls);
	pool_free();
}
END_TEST

/* test_features - every figure of a hand-built account */
START_TEST(test_features)
{
	struct classifier *cls = classifier_new();
	struct aggregator *agg = aggregator_new(cls);
	struct account_features f;
	struct account_sample samples[ACCOUNT_MAX_SAMPLES];
	const struct account *acct;
	const char *names[8];
	uint64_t counts[8];
	size_t	 n, i;

	feature_records(agg);
	ck_assert_uint_eq(aggregator_account_count(agg), 1);
	acct = aggregator_find(agg, ACCOUNT_SASL, "alice@example.net");
	ck_assert_ptr_nonnull(acct);
	account_features(acct, &f);
	ck_assert_uint_eq(f.messages, 3);
	ck_assert_uint_eq(f.recipients, 7);
	/* bob twice (once in capitals) */
	ck_assert_uint_eq(f.distinct_recipients, 6);
	ck_assert_uint_eq(f.distinct_domains, 3);
	ck_assert_uint_eq(f.sent, 2);
	ck_assert_uint_eq(f.bounced, 1);
	ck_assert_uint_eq(f.deferred, 1);
	/* erin, and gina who was still deferred when B1 expired */
	ck_assert_uint_eq(f.expired, 2);
	ck_assert_uint_eq(f.deferral_attempts, 6);
	ck_assert_uint_eq(f.remote_rejections[RESPONSE_NONE], 1);
	ck_assert_uint_eq(f.remote_rejections[RESPONSE_BLOCKLIST], 1);
	ck_assert_uint_eq(f.remote_rejections[RESPONSE_SPAM], 0);
	ck_assert_uint_eq(f.remote_rejections[RESPONSE_REPUTATION], 0);
	ck_assert_uint_eq(f.remote_rejections[RESPONSE_RATE_LIMIT], 1);
	ck_assert_uint_eq(f.remote_rejections[RESPONSE_UNKNOWN_USER], 1);
	ck_assert_uint_eq(f.local_rejections, 2);
	ck_assert_uint_eq(f.distinct_senders, 2);
	ck_assert_uint_eq(f.distinct_client_ips, 2);
	ck_assert_uint_eq(f.auth_failures, 1);
	ck_assert_uint_eq(f.incomplete_messages, 1);
	ck_assert_uint_eq(f.size_bytes, 3500);
	for (i = 0; i < 24; i++)
		ck_assert_uint_eq(f.messages_by_hour[i],
		    i == 22 ? 2 : i == 1 ? 1 : 0);
	ck_assert_uint_eq(f.peak_hour_messages, 2);
	ck_assert_int_eq(f.first_seen_sec, T0 - 1000);
	ck_assert_int_eq(f.last_seen_sec, T0 + 20000);

	n = account_top_domains(acct, names, counts, 8);
	ck_assert_uint_eq(n, 3);
	ck_assert_str_eq(names[0], "example.com");
	ck_assert_uint_eq(counts[0], 3);
	ck_assert_str_eq(names[1], "example.net");
	ck_assert_uint_eq(counts[1], 2);
	ck_assert_str_eq(names[2], "example.org");
	ck_assert_uint_eq(counts[2], 2);
	n = account_top_senders(acct, names, counts, 8);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(names[0], "alice@example.net");
	ck_assert_uint_eq(counts[0], 2);
	ck_assert_str_eq(names[1], "<>");
	ck_assert_uint_eq(counts[1], 1);
	n = account_top_client_ips(acct, names, counts, 1);
	ck_assert_uint_eq(n, 1);
	ck_assert_str_eq(names[0], "192.0.2.1");
	ck_assert_uint_eq(counts[0], 2);

	n = account_samples(acct, samples, ACCOUNT_MAX_SAMPLES);
	ck_assert_uint_eq(n, 3);
	ck_assert_int_eq(samples[0].time_sec, T0);
	ck_assert_str_eq(samples[0].host, "relay1");
	ck_assert_str_eq(samples[0].queue_id, "A1");
	ck_assert_str_eq(samples[0].message_id, "m1@example.net");
	ck_assert_str_eq(samples[0].sender, "Alice@Example.NET");
	ck_assert_str_eq(samples[0].first_recipient, "Bob@Example.COM");
	ck_assert_str_eq(samples[1].queue_id, "A2");
	ck_assert_ptr_null(samples[1].message_id);
	ck_assert_str_eq(samples[2].queue_id, "B1");
	ck_assert_str_eq(samples[2].host, "relay2");
	ck_assert_str_eq(samples[2].sender, "");
	ck_assert_uint_eq(account_samples(acct, samples, 2), 2);
	ck_assert_uint_eq(account_samples(acct, samples, 0), 0);
	aggregator_free(agg);
	classifier_free(cls);
	pool_free();
}
END_TEST

/*
 * test_lower_every_byte - account keys are lowered eight bytes at a
 * time: every byte value at every place in a word, and the tails,
 * must come out as the byte-by-byte ASCII rule says
 */
START_TEST(test_lower_every_byte)
{
	struct classifier *cls = classifier_new();
	struct aggregator *agg = aggregator_new(cls);
	const struct account *acct;
	struct message m;
	char	 name[256], want[256];
	size_t	 shift, len, i;

	for (shift = 0; shift < 40; shift++) {
		/* Bytes 1..255, rotated, cut to lengths that leave every
		   tail length; then short keys, 1 to 32 bytes, from '='
		   on (letters of both cases and what lies around them). */
		len = shift < 8 ? 255 - shift : shift - 7;
		for (i = 0; i < len; i++) {
			unsigned char c = (unsigned char)(1 + (i + shift +
			    (shift < 8 ? 0 : 52)) % 255);

			name[i] = (char)c;
			want[i] = (char)(c >= 'A' && c <= 'Z' ? c | 0x20 : c);
		}
		name[len] = want[len] = '\0';
		m = record(RECORD_AUTH_FAILURE, T0);
		m.sasl_username = S(name);
		aggregator_add(agg, &m);
		acct = aggregator_find(agg, ACCOUNT_SASL, name);
		ck_assert_ptr_nonnull(acct);
		ck_assert_str_eq(account_key(acct), want);
		ck_assert_ptr_eq(aggregator_find(agg, ACCOUNT_SASL, want),
		    acct);
	}
	aggregator_free(agg);
	classifier_free(cls);
	pool_free();
}
END_TEST

/*
 * test_helo_literals - HELO names counted as address literals are what
 * inet_pton() accepts, also for names made only of the bytes an
 * address may hold (hex digits, dots, colons), which the byte check
 * lets through to the parse
 */
START_TEST(test_helo_literals)
{
	static const struct {
		const char *helo;
		bool	 literal;
	} cases[] = {
		{ "192.0.2.1", true }, { "[192.0.2.1]", true },
		{ "[IPv6:2001:db8::1]", true }, { "[ipv6:::1]", true },
		{ "2001:DB8::A:1", true }, { "::ffff:192.0.2.1", true },
		{ "[::]", true }, { "deadbeef", false },
		{ "cafe.face", false }, { "1.2.3", false },
		{ "192.0.2.256", false }, { "192.0.2.1.", false },
		{ "a:b:c", false }, { "[]", false }, { "[IPv6:]", false },
		{ "192.0.2.1x", false }, { "mail.example.com", false },
		{ "[192.0.2.1", false }, { "1:2:3:4:5:6:7:8:9", false },
	};
	struct classifier *cls = classifier_new();
	struct aggregator *agg = aggregator_new(cls);
	struct account_features f;
	const struct account *acct;
	struct message m;
	uint64_t literals = 0;
	size_t	 i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		m = record(RECORD_REJECT, T0 + (int64_t)i);
		m.sasl_username = S("helo@example.net");
		m.client_ip = S("192.0.2.9");
		m.helo = S(cases[i].helo);
		aggregator_add(agg, &m);
		acct = aggregator_find(agg, ACCOUNT_SASL, "helo@example.net");
		ck_assert_ptr_nonnull(acct);
		account_features(acct, &f);
		literals += cases[i].literal;
		ck_assert_msg(f.helo_ip_literals == literals, "%s",
		    cases[i].helo);
	}
	ck_assert_uint_eq(f.helo_records, i);
	aggregator_free(agg);
	classifier_free(cls);
	pool_free();
}
END_TEST

/*
 * test_behaviour_features - recipients per hour, repeated contacts,
 * sender domains, relay-added Message-IDs, bursts, size spread, HELO
 * names, client networks, logins after failures, local rate limits
 */
START_TEST(test_behaviour_features)
{
	struct classifier *cls = classifier_new();
	struct aggregator *agg = aggregator_new(cls);
	struct account_features f;
	const struct account *acct;
	struct message m;
	const char *user = "carol@example.net";

	/* T0: 3 recipients; failed login 20 minutes before. */
	m = record(RECORD_AUTH_FAILURE, T0 - 1200);
	m.sasl_username = S(user);
	m.client_ip = S("203.0.113.9");
	aggregator_add(agg, &m);
	m = smtp_msg("relay1", "Q1AAA", T0, "192.0.2.1", user,
	    "carol@example.net");
	m.helo = S("carol-pc.home");
	m.message_id = S("abc@carol.example.net");
	m.size_bytes = 1000;
	add_rcpt(&m, "bob@example.com", "smtp", DELIVERY_SENT, NULL, 0);
	add_rcpt(&m, "dan@example.org", "smtp", DELIVERY_SENT, NULL, 0);
	add_rcpt(&m, "eve@example.org", "smtp", DELIVERY_SENT, NULL, 0);
	aggregator_add(agg, &m);
	/* T0 + 30: bob again; a relay-added ID; another network. */
	m = smtp_msg("relay1", "Q2BBB", T0 + 30, "192.0.3.7", user,
	    "x@forged.example");
	m.helo = S("[192.0.3.7]");
	m.message_id = S("20261125100030.Q2BBB@relay1.isp.example");
	m.size_bytes = 3000;
	add_rcpt(&m, "BOB@example.com", "smtp", DELIVERY_SENT, NULL, 0);
	aggregator_add(agg, &m);
	/* T0 + 700: no Message-ID at all; a new HELO from 192.0.2.1. */
	m = smtp_msg("relay1", "Q3CCC", T0 + 700, "192.0.2.1", user,
	    "y@Forged.Example");
	m.helo = S("xkqzvbn");
	m.size_bytes = 2000;
	add_rcpt(&m, "fay@example.net", "smtp", DELIVERY_SENT, NULL, 0);
	m.local_rejects = 2;
	m.reject_response = S("450 4.7.1 <g@example.net>: Recipient address "
	    "rejected: Rate limit exceeded, try again later");
	aggregator_add(agg, &m);
	/* A refused attempt that is not a rate limit. */
	m = record(RECORD_REJECT, T0 + 800);
	m.sasl_username = S(user);
	m.client_ip = S("2001:db8:1:2::5");
	m.reject_response = S("554 5.7.1 <h@example.com>: Relay access "
	    "denied");
	aggregator_add(agg, &m);

	acct = aggregator_find(agg, ACCOUNT_SASL, user);
	ck_assert_ptr_nonnull(acct);
	account_features(acct, &f);
	ck_assert_uint_eq(f.messages, 3);
	ck_assert_uint_eq(f.peak_hour_recipients, 5);
	ck_assert_uint_eq(f.max_message_recipients, 3);
	ck_assert_uint_eq(f.distinct_recipients, 4);
	ck_assert_uint_eq(f.repeated_recipients, 1);
	/* example.net, forged.example */
	ck_assert_uint_eq(f.distinct_sender_domains, 2);
	ck_assert_uint_eq(f.message_ids_added, 2);
	ck_assert_uint_eq(f.peak_minute_messages, 2);
	ck_assert_uint_eq(f.peak_10min_messages, 2);
	ck_assert_uint_eq(f.sized_messages, 3);
	/* sizes 1000, 2000, 3000: sd sqrt(2/3) * 1000, mean 2000 */
	ck_assert_double_eq_tol(f.size_cv, sqrt(2.0 / 3.0) / 2.0, 1e-9);
	ck_assert_uint_eq(f.helo_records, 3);
	ck_assert_uint_eq(f.helo_ip_literals, 1);
	ck_assert_uint_eq(f.helo_random, 1);
	/* 192.0.2.1 gave two names, 192.0.3.7 one */
	ck_assert_uint_eq(f.helo_changes, 1);
	/* 192.0.2.0/24 and 192.0.3.0/24 (the refusal is not a message) */
	ck_assert_uint_eq(f.distinct_client_networks, 2);
	/* Ten-minute slots (T0 is 200 s into one): the failure's slot is
	   two before T0's and three before that of T0 + 700. */
	ck_assert_uint_eq(f.logins_after_failures, 2);
	ck_assert_uint_eq(f.local_rejections, 3);
	ck_assert_uint_eq(f.local_rate_limits, 2);
	aggregator_free(agg);

	/* One size: no spread to measure. */
	agg = aggregator_new(cls);
	m = smtp_msg("relay1", "Q4DDD", T0, "192.0.2.1", NULL, "a@b.example");
	m.size_bytes = 500;
	aggregator_add(agg, &m);
	acct = aggregator_find(agg, ACCOUNT_IP, "192.0.2.1");
	ck_assert_ptr_nonnull(acct);
	account_features(acct, &f);
	ck_assert_double_eq(f.size_cv, -1.0);
	/* Not a SASL account: no logins to judge. */
	ck_assert_uint_eq(f.logins_after_failures, 0);
	aggregator_free(agg);
	classifier_free(cls);
	pool_free();
}
END_TEST

/* test_json - the dump carries the figures, sorted */
START_TEST(test_json)
{
	struct classifier *cls = classifier_new();
	struct aggregator *agg = aggregator_new(cls);
	json_t	*j, *accounts, *a, *fp, *domains;
	struct message m;
	const char *prev;
	size_t	 i;
	char	*text;

	feature_records(agg);
	m = smtp_msg("relay1", "C1", T0, "192.0.2.200", NULL,
	    "m\xfcller@example.de");
	add_rcpt(&m, "\xff@example.de", "smtp", DELIVERY_SENT, NULL, 0);
	add_rcpt(&m, "\xfe@example.de", "smtp", DELIVERY_SENT, NULL, 0);
	aggregator_add(agg, &m);
	m = smtp_msg("relay1", "C2", T0 + 1, "192.0.2.200", NULL,
	    "\xff@example.de");
	aggregator_add(agg, &m);
	m = smtp_msg("relay1", "C3", T0 + 2, "192.0.2.200", NULL,
	    "\xfe@example.de");
	aggregator_add(agg, &m);
	j = aggregator_to_json(agg);
	ck_assert_int_eq(json_integer_value(json_object_get(
	    json_object_get(j, "stats"), "records")), 8);
	accounts = json_object_get(j, "accounts");
	ck_assert_uint_eq(json_array_size(accounts), 2);
	/* sasl before ip */
	a = json_array_get(accounts, 0);
	ck_assert_str_eq(json_string_value(json_object_get(a, "kind")),
	    "sasl");
	ck_assert_str_eq(json_string_value(json_object_get(a, "key")),
	    "alice@example.net");
	ck_assert_int_eq(json_integer_value(json_object_get(a, "messages")),
	    3);
	ck_assert_int_eq(json_integer_value(json_object_get(
	    json_object_get(a, "remote_rejections"), "unknown_user")), 1);
	ck_assert_int_eq(json_integer_value(json_object_get(
	    json_object_get(a, "senders"), "<>")), 1);
	ck_assert_int_eq(json_integer_value(json_array_get(
	    json_object_get(a, "messages_by_hour"), 22)), 2);
	ck_assert_uint_eq(json_array_size(json_object_get(a, "samples")), 3);
	ck_assert_uint_eq(json_array_size(json_object_get(a,
	    "clock_hours")), 2);
	ck_assert_int_eq(json_integer_value(json_array_get(json_array_get(
	    json_object_get(a, "clock_hours"), 0), 0)), T0 - T0 % 3600);
	fp = json_object_get(json_object_get(a, "recipient_fingerprints"),
	    "exact");
	ck_assert_uint_eq(json_array_size(fp), 6);
	ck_assert_ptr_null(json_object_get(a, "domain_keys"));
	ck_assert_ptr_null(json_object_get(a, "sender_keys"));
	prev = "";
	for (i = 0; i < json_array_size(fp); i++) {
		const char *hex = json_string_value(json_array_get(fp, i));

		ck_assert_uint_eq(strlen(hex), 16);
		ck_assert_int_lt(strcmp(prev, hex), 0);
		prev = hex;
	}
	/* Invalid UTF-8 is repaired; keys equal after repair sum up. */
	a = json_array_get(accounts, 1);
	ck_assert_str_eq(json_string_value(json_object_get(a, "kind")),
	    "ip");
	ck_assert_int_eq(json_integer_value(json_object_get(a,
	    "distinct_recipients")), 2);
	domains = json_object_get(a, "domains");
	ck_assert_int_eq(json_integer_value(json_object_get(domains,
	    "example.de")), 2);
	ck_assert_int_eq(json_integer_value(json_object_get(
	    json_object_get(a, "senders"), "m\xef\xbf\xbdller@example.de")),
	    1);
	ck_assert_int_eq(json_integer_value(json_object_get(a,
	    "distinct_senders")), 3);
	ck_assert_int_eq(json_integer_value(json_object_get(
	    json_object_get(a, "senders"), "\xef\xbf\xbd@example.de")), 2);
	ck_assert_uint_eq(json_object_size(json_object_get(a, "senders")),
	    2);
	text = json_dumps(j, JSON_SORT_KEYS | JSON_COMPACT);
	ck_assert_ptr_nonnull(text);
	free(text);
	json_decref(j);
	aggregator_free(agg);
	classifier_free(cls);
	pool_free();
}
END_TEST

/* expected_top - a reference entry of test_top_n_many */
struct expected_top {
	char		 name[32];
	uint64_t	 count;
};

static int
expected_top_cmp(const void *a, const void *b)
{
	const struct expected_top *x = a, *y = b;

	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return strcmp(x->name, y->name);
}

/*
 * test_top_n_many - from a map of hundreds of senders with many equal
 * counts, each max gives the first max of the whole map sorted by
 * count, then name
 */
START_TEST(test_top_n_many)
{
	enum { SENDERS = 300 };
	static const size_t maxes[] = {
	    1, 2, 10, 32, 33, 64, SENDERS, SENDERS + 5
	};
	struct expected_top *want;
	struct classifier *cls = classifier_new();
	struct aggregator *agg = aggregator_new(cls);
	const struct account *acct;
	const char *names[SENDERS + 5];
	uint64_t counts[SENDERS + 5];
	struct message m;
	size_t	 i, k, j, n, seq = 0;
	char	 qid[16];

	want = calloc(SENDERS, sizeof(*want));
	ck_assert_ptr_nonnull(want);
	for (i = 0; i < SENDERS; i++) {
		/* Names in an order unlike their counts'. */
		snprintf(want[i].name, sizeof(want[i].name),
		    "s%03zu@x.example", (i * 97) % SENDERS);
		want[i].count = 1 + (i * 37) % 7;
		for (k = 0; k < want[i].count; k++) {
			snprintf(qid, sizeof(qid), "Q%zu", seq);
			m = smtp_msg("relay1", qid, T0 + (int64_t)seq,
			    "192.0.2.1", "u", want[i].name);
			aggregator_add(agg, &m);
			seq++;
		}
	}
	qsort(want, SENDERS, sizeof(*want), expected_top_cmp);
	acct = aggregator_find(agg, ACCOUNT_SASL, "u");
	ck_assert_ptr_nonnull(acct);
	for (j = 0; j < sizeof(maxes) / sizeof(maxes[0]); j++) {
		n = account_top_senders(acct, names, counts, maxes[j]);
		ck_assert_uint_eq(n, maxes[j] < SENDERS ? maxes[j] :
		    SENDERS);
		for (i = 0; i < n; i++) {
			ck_assert_str_eq(names[i], want[i].name);
			ck_assert_uint_eq(counts[i], want[i].count);
		}
	}
	free(want);
	aggregator_free(agg);
	classifier_free(cls);
	pool_free();
}
END_TEST

/* test_top_n - most first, ties by name, capped at max */
START_TEST(test_top_n)
{
	static const char *const senders[] = {
		"x@a.example", "b@a.example", "x@a.example", "a@a.example",
		"c@a.example", "b@a.example", "X@A.example", "a@a.example"
	};
	struct classifier *cls = classifier_new();
	struct aggregator *agg = aggregator_new(cls);
	const struct account *acct;
	const char *names[8];
	uint64_t counts[8];
	struct message m;
	size_t	 i, n;
	char	 qid[16];

	for (i = 0; i < sizeof(senders) / sizeof(senders[0]); i++) {
		snprintf(qid, sizeof(qid), "Q%zu", i);
		m = smtp_msg("relay1", qid, T0 + (int64_t)i, "192.0.2.1",
		    "u", senders[i]);
		aggregator_add(agg, &m);
	}
	acct = aggregator_find(agg, ACCOUNT_SASL, "u");
	ck_assert_ptr_nonnull(acct);
	n = account_top_senders(acct, names, counts, 3);
	ck_assert_uint_eq(n, 3);
	ck_assert_str_eq(names[0], "x@a.example");
	ck_assert_uint_eq(counts[0], 3);
	ck_assert_str_eq(names[1], "a@a.example");
	ck_assert_uint_eq(counts[1], 2);
	ck_assert_str_eq(names[2], "b@a.example");
	ck_assert_uint_eq(counts[2], 2);
	n = account_top_senders(acct, names, counts, 8);
	ck_assert_uint_eq(n, 4);
	ck_assert_str_eq(names[3], "c@a.example");
	ck_assert_uint_eq(counts[3], 1);
	ck_assert_uint_eq(account_top_senders(acct, names, counts, 0), 0);
	/* No recipients: no domains. */
	ck_assert_uint_eq(account_top_domains(acct, names, counts, 8), 0);
	aggregator_free(agg);
	classifier_free(cls);
	pool_free();
}
END_TEST

/* xorshift - the tests' seeded pseudo-random numbers */
static uint64_t
xorshift(uint64_t *state)
{
	uint64_t x = *state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	*state = x;
	return x;
}

/* pick - one of n, uniformly enough */
static size_t
pick(uint64_t *state, size_t n)
{
	return (size_t)(xorshift(state) % n);
}

/* shuffle - permute n records */
static void
shuffle(struct message *msgs, size_t n, uint64_t *state)
{
	struct message tmp;
	size_t	i, j;

	for (i = n; i > 1; i--) {
		j = pick(state, i);
		tmp = msgs[i - 1];
		msgs[i - 1] = msgs[j];
		msgs[j] = tmp;
	}
}

/* test_samples_earliest - the 5 earliest, whatever the feed order */
START_TEST(test_samples_earliest)
{
	struct classifier *cls = classifier_new();
	struct message msgs[12];
	struct account_sample s[ACCOUNT_MAX_SAMPLES];
	uint64_t state = 0x5eed5eed5eedULL;
	char	 qid[16];
	size_t	 i, n;
	int	 round;

	/* Times fall back and forth; two share a second and differ by
	   host, two by queue ID only. */
	static const int64_t offsets[12] = {
		900, 50, 700, 10, 10, 300, 20, 20, 1000, 5, 600, 800
	};
	static const char *const hosts[12] = {
		"r1", "r1", "r1", "r2", "r1", "r1", "r1", "r1", "r1", "r1",
		"r1", "r1"
	};
	static const char *const expected[ACCOUNT_MAX_SAMPLES] = {
		"Q9", "Q4", "Q3", "Q6", "Q7"
	};

	for (i = 0; i < 12; i++) {
		snprintf(qid, sizeof(qid), "Q%zu", i);
		msgs[i] = smtp_msg(hosts[i], qid, T0 + offsets[i],
		    "192.0.2.1", NULL, "s@example.net");
		add_rcpt(&msgs[i], "r@example.com", "smtp", DELIVERY_SENT,
		    NULL, 0);
	}
	for (round = 0; round < 20; round++) {
		struct aggregator *agg = aggregator_new(cls);
		struct aggregator *b = aggregator_new(cls);
		struct aggregator *c = aggregator_new(cls);
		const struct account *acct;
		size_t	 split = pick(&state, 13);

		shuffle(msgs, 12, &state);
		for (i = 0; i < 12; i++) {
			aggregator_add(agg, &msgs[i]);
			aggregator_add(i < split ? b : c, &msgs[i]);
		}
		aggregator_merge(c, b);
		acct = aggregator_find(agg, ACCOUNT_IP, "192.0.2.1");
		ck_assert_ptr_nonnull(acct);
		n = account_samples(acct, s, ACCOUNT_MAX_SAMPLES);
		ck_assert_uint_eq(n, ACCOUNT_MAX_SAMPLES);
		for (i = 0; i < n; i++)
			ck_assert_str_eq(s[i].queue_id, expected[i]);
		ck_assert_int_eq(s[0].time_sec, T0 + 5);
		/* r1 sorts before r2 at the same second */
		ck_assert_str_eq(s[1].host, "r1");
		ck_assert_str_eq(s[2].host, "r2");
		acct = aggregator_find(c, ACCOUNT_IP, "192.0.2.1");
		ck_assert_ptr_nonnull(acct);
		n = account_samples(acct, s, ACCOUNT_MAX_SAMPLES);
		ck_assert_uint_eq(n, ACCOUNT_MAX_SAMPLES);
		for (i = 0; i < n; i++)
			ck_assert_str_eq(s[i].queue_id, expected[i]);
		aggregator_free(agg);
		aggregator_free(b);
		aggregator_free(c);
	}
	classifier_free(cls);
	pool_free();
}
END_TEST

/*
 * test_refusals_earliest - the 5 earliest refusals and failed logins,
 * each field as logged, whatever the feed order and split
 */
START_TEST(test_refusals_earliest)
{
	struct classifier *cls = classifier_new();
	struct message recs[9];
	struct account_refusal r[ACCOUNT_MAX_REFUSALS];
	uint64_t state = 0x7ef05a1ULL;
	char	 rcpt[9][32];
	size_t	 i, n;
	int	 round;
	static const int64_t offsets[9] = { 40, 3, 90, 3, 7, 60, 1, 20, 5 };

	for (i = 0; i < 9; i++) {
		recs[i] = record(i % 3 == 0 ? RECORD_AUTH_FAILURE :
		    RECORD_REJECT, T0 + offsets[i]);
		recs[i].host = S("relay1");
		recs[i].client_ip = S("203.0.113.9");
		if (recs[i].kind == RECORD_REJECT) {
			snprintf(rcpt[i], sizeof(rcpt[i]), "v%zu@example.org",
			    i);
			recs[i].stage = S("RCPT");
			/* the one at second 5 (index 8) has the null sender */
			recs[i].sender = S(i == 8 ? "" : "x@forged.example");
			recs[i].recipients[0].address = rcpt[i];
			recs[i].recipient_count = 1;
			recs[i].reject_response = S("554 5.7.1 Relay access "
			    "denied");
		} else {
			recs[i].reject_response = S("UGFzc3dvcmQ6");
		}
	}
	for (round = 0; round < 20; round++) {
		struct aggregator *agg = aggregator_new(cls);
		struct aggregator *b = aggregator_new(cls);
		struct aggregator *c = aggregator_new(cls);
		const struct account *acct;
		size_t	 split = pick(&state, 10);

		shuffle(recs, 9, &state);
		for (i = 0; i < 9; i++) {
			aggregator_add(agg, &recs[i]);
			aggregator_add(i < split ? b : c, &recs[i]);
		}
		aggregator_merge(c, b);
		acct = aggregator_find(agg, ACCOUNT_IP, "203.0.113.9");
		ck_assert_ptr_nonnull(acct);
		n = account_refusals(acct, r, ACCOUNT_MAX_REFUSALS);
		ck_assert_uint_eq(n, ACCOUNT_MAX_REFUSALS);
		/* Seconds 1 (a failed login), 3, 3, 5 and 7; at 3 the
		   failed login sorts first by its command, "AUTH" before
		   "RCPT". */
		ck_assert_int_eq(r[0].time_sec, T0 + 1);
		ck_assert_str_eq(r[0].command, "AUTH");
		ck_assert_str_eq(r[0].recipient, "");
		ck_assert_str_eq(r[0].text, "UGFzc3dvcmQ6");
		ck_assert_int_eq(r[1].time_sec, T0 + 3);
		ck_assert_str_eq(r[1].command, "AUTH");
		ck_assert_int_eq(r[2].time_sec, T0 + 3);
		ck_assert_str_eq(r[2].command, "RCPT");
		ck_assert_str_eq(r[2].recipient, "v1@example.org");
		ck_assert_str_eq(r[2].sender, "x@forged.example");
		ck_assert_str_eq(r[2].host, "relay1");
		ck_assert_int_eq(r[3].time_sec, T0 + 5);
		ck_assert_str_eq(r[3].sender, "<>");
		ck_assert_int_eq(r[4].time_sec, T0 + 7);
		acct = aggregator_find(c, ACCOUNT_IP, "203.0.113.9");
		ck_assert_ptr_nonnull(acct);
		ck_assert_uint_eq(account_refusals(acct, r,
		    ACCOUNT_MAX_REFUSALS), ACCOUNT_MAX_REFUSALS);
		ck_assert_int_eq(r[4].time_sec, T0 + 7);
		ck_assert_str_eq(r[2].recipient, "v1@example.org");
		aggregator_free(agg);
		aggregator_free(b);
		aggregator_free(c);
	}
	classifier_free(cls);
	pool_free();
}
END_TEST

/*
 * test_remote_earliest - of each kept class (blocklist, spam,
 * reputation, rate limit) the two earliest recipients refused, in time
 * order, with the reply, status code and outcome as logged; none of
 * the other classes; the same whatever the feed order and split.
 */
START_TEST(test_remote_earliest)
{
	static const struct {
		int64_t		 at;
		enum delivery_status status;
		const char	*response;
		const char	*dsn;
	} refused[] = {
		{ 50, DELIVERY_BOUNCED, "host a[192.0.2.40] said: 554 5.7.1 "
		  "Client host [192.0.2.1] blocked using zen.spamhaus.org",
		  "5.7.1" },
		{ 10, DELIVERY_BOUNCED, "host b[192.0.2.41] said: 554 5.7.1 "
		  "Client host [192.0.2.1] blocked using bl.spamcop.net",
		  "5.7.1" },
		{ 30, DELIVERY_BOUNCED, "host c[192.0.2.42] said: 554 5.7.1 "
		  "Client host [192.0.2.1] blocked using b.barracudacentral"
		  ".org", "5.7.1" },
		{ 40, DELIVERY_BOUNCED, "host d[192.0.2.43] said: 550 5.7.1 "
		  "message rejected as spam", "5.7.1" },
		{ 20, DELIVERY_DEFERRED, "host e[192.0.2.44] said: 421 4.7.0 "
		  "[TSS04] Messages from 192.0.2.1 temporarily deferred due "
		  "to unexpected volume or user complaints", "4.7.0" },
		{ 5, DELIVERY_BOUNCED, "host f[192.0.2.45] said: 550 5.1.1 "
		  "user unknown", "5.1.1" },
		{ 6, DELIVERY_DEFERRED, "connect to g[192.0.2.46]:25: "
		  "Connection timed out", NULL },
		/* No text: the status code says policy (reputation). */
		{ 60, DELIVERY_EXPIRED, NULL, "5.7.26" },
		{ 70, DELIVERY_BOUNCED, "host d[192.0.2.43] said: 550 5.7.1 "
		  "message rejected as spam", "5.7.1" },
		{ 80, DELIVERY_BOUNCED, "host d[192.0.2.43] said: 550 5.7.1 "
		  "message rejected as spam", "5.7.1" },
	};
	enum { N_REFUSED = sizeof(refused) / sizeof(refused[0]) };
	/* Kept, in order: 10 and 30 (blocklist; 50 is the third), 20
	   (rate limit), 40 (spam), 60 (reputation), 70 (spam; 80 is the
	   third). */
	static const int64_t want_at[] = { 10, 20, 30, 40, 60, 70 };
	static const enum response_class want_class[] = {
		RESPONSE_BLOCKLIST, RESPONSE_RATE_LIMIT, RESPONSE_BLOCKLIST,
		RESPONSE_SPAM, RESPONSE_REPUTATION, RESPONSE_SPAM
	};
	static const enum delivery_status want_outcome[] = {
		DELIVERY_BOUNCED, DELIVERY_DEFERRED, DELIVERY_BOUNCED,
		DELIVERY_BOUNCED, DELIVERY_EXPIRED, DELIVERY_BOUNCED
	};
	enum { N_WANT = sizeof(want_at) / sizeof(want_at[0]) };
	struct classifier *cls = classifier_new();
	struct account_remote_rejection r[ACCOUNT_MAX_REMOTE_REJECTIONS];
	struct message msgs[N_REFUSED];
	struct recipient *rc;
	uint64_t state = 0x5e7e1ULL;
	char	 qid[N_REFUSED][16], rcpt[N_REFUSED][32];
	size_t	 i, n, k;
	int	 round;

	for (i = 0; i < N_REFUSED; i++) {
		snprintf(qid[i], sizeof(qid[i]), "Q%zu", i);
		snprintf(rcpt[i], sizeof(rcpt[i]), "r%lld@example.org",
		    (long long)refused[i].at);
		msgs[i] = smtp_msg("relay1", qid[i], T0 + refused[i].at,
		    "192.0.2.1", NULL, refused[i].at == 40 ? "" :
		    "zombie@example.net");
		add_rcpt(&msgs[i], "ok@example.org", "smtp", DELIVERY_SENT,
		    "250 2.0.0 Ok", 0);
		rc = add_rcpt(&msgs[i], rcpt[i], "smtp", refused[i].status,
		    refused[i].response, 0);
		rc->dsn = S(refused[i].dsn);
		rc->time_sec = T0 + refused[i].at;	/* of the refusal */
		/* Logged under a content filter's copy: its queue ID. */
		if (refused[i].at == 70)
			rc->queue_id = S("C70");
	}
	for (round = 0; round < 20; round++) {
		struct aggregator *b = aggregator_new(cls);
		struct aggregator *c = aggregator_new(cls);
		size_t	 split = pick(&state, N_REFUSED + 1);

		shuffle(msgs, N_REFUSED, &state);
		for (i = 0; i < N_REFUSED; i++)
			aggregator_add(i < split ? b : c, &msgs[i]);
		aggregator_merge(b, c);
		n = account_remote_rejections(aggregator_find(b, ACCOUNT_IP,
		    "192.0.2.1"), r, ACCOUNT_MAX_REMOTE_REJECTIONS);
		ck_assert_uint_eq(n, N_WANT);
		for (k = 0; k < n; k++) {
			ck_assert_int_eq(r[k].time_sec, T0 + want_at[k]);
			ck_assert_int_eq(r[k].class, want_class[k]);
			ck_assert_int_eq(r[k].outcome, want_outcome[k]);
			ck_assert_str_eq(r[k].host, "relay1");
			ck_assert_ptr_nonnull(strstr(r[k].recipient,
			    "@example.org"));
			ck_assert_int_eq(atoi(r[k].recipient + 1),
			    (int)want_at[k]);
			ck_assert_str_eq(r[k].sender, want_at[k] == 40 ?
			    "<>" : "zombie@example.net");
		}
		ck_assert_str_eq(r[0].dsn, "5.7.1");
		ck_assert_ptr_nonnull(strstr(r[0].reply, "bl.spamcop.net"));
		ck_assert_str_eq(r[4].dsn, "5.7.26");
		ck_assert_str_eq(r[4].reply, "");
		ck_assert_str_eq(r[3].queue_id, "Q3");
		ck_assert_str_eq(r[5].queue_id, "C70");
		aggregator_free(b);
		aggregator_free(c);
	}
	classifier_free(cls);
	pool_free();
}
END_TEST

/*
 * test_samples_ties - records that agree on time, host and queue ID (a
 * reused queue ID in one second, or a log read twice) are ordered by
 * their other fields, so the same ones are kept in any feed order.
 */
START_TEST(test_samples_ties)
{
	static const char *const mids[7] = {
		"g@x", NULL, "c@x", "a@x", "f@x", "b@x", "a@x"
	};
	static const char *const senders[7] = {
		"s@x", "s@x", "s@x", "t@x", "s@x", "s@x", "s@x"
	};
	static const char *const want_mids[ACCOUNT_MAX_SAMPLES] = {
		NULL, "a@x", "a@x", "b@x", "c@x"
	};
	static const char *const want_senders[ACCOUNT_MAX_SAMPLES] = {
		"s@x", "s@x", "t@x", "s@x", "s@x"
	};
	struct classifier *cls = classifier_new();
	struct account_sample s[ACCOUNT_MAX_SAMPLES];
	struct message msgs[7];
	uint64_t state = 0x7135ULL;
	size_t	 i, n;
	int	 round;

	for (i = 0; i < 7; i++) {
		msgs[i] = smtp_msg("r1", "SAMEQID", T0, "192.0.2.1", NULL,
		    senders[i]);
		msgs[i].message_id = S(mids[i]);
	}
	for (round = 0; round < 20; round++) {
		struct aggregator *b = aggregator_new(cls);
		struct aggregator *c = aggregator_new(cls);
		size_t	 split = pick(&state, 8);

		shuffle(msgs, 7, &state);
		for (i = 0; i < 7; i++)
			aggregator_add(i < split ? b : c, &msgs[i]);
		aggregator_merge(b, c);
		n = account_samples(aggregator_find(b, ACCOUNT_IP,
		    "192.0.2.1"), s, ACCOUNT_MAX_SAMPLES);
		ck_assert_uint_eq(n, ACCOUNT_MAX_SAMPLES);
		for (i = 0; i < n; i++) {
			if (want_mids[i] == NULL)
				ck_assert_ptr_null(s[i].message_id);
			else
				ck_assert_str_eq(s[i].message_id,
				    want_mids[i]);
			ck_assert_str_eq(s[i].sender, want_senders[i]);
		}
		aggregator_free(b);
		aggregator_free(c);
	}
	classifier_free(cls);
	pool_free();
}
END_TEST

/* test_remote_classes - remote replies counted by the real classifier */
START_TEST(test_remote_classes)
{
	static const struct {
		const char *response;
		enum delivery_status status;
		enum response_class class;
		const char *dsn;
	} replies[] = {
		{ "host gmail-smtp-in.l.google.com[192.0.2.30] said: "
		  "550-5.7.1 [192.0.2.1] Our system has detected that this "
		  "550-5.7.1 message is likely unsolicited mail.",
		  DELIVERY_BOUNCED, RESPONSE_SPAM, NULL },
		{ "host mx.example.com[192.0.2.31] said: 550 5.7.1 "
		  "Unfortunately, messages from [192.0.2.1] weren't sent. "
		  "(S3140)", DELIVERY_BOUNCED, RESPONSE_BLOCKLIST, NULL },
		{ "host mta5.am0.yahoodns.net[192.0.2.32] said: 421 4.7.0 "
		  "[TSS04] Messages from 192.0.2.1 temporarily deferred due "
		  "to unexpected volume or user complaints",
		  DELIVERY_DEFERRED, RESPONSE_RATE_LIMIT, NULL },
		{ "host mx.example.com[192.0.2.31] said: 550 5.7.26 "
		  "Unauthenticated email is not accepted due to the "
		  "domain's DMARC policy", DELIVERY_EXPIRED,
		  RESPONSE_REPUTATION, NULL },
		{ "host mx.example.com[192.0.2.31] said: 550 5.1.1 User "
		  "unknown", DELIVERY_BOUNCED, RESPONSE_UNKNOWN_USER,
		  NULL },
		{ "connect to mx.example.com[192.0.2.31]:25: Connection "
		  "refused", DELIVERY_DEFERRED, RESPONSE_NONE, NULL },
		/* Delivered: not a rejection, whatever the text. */
		{ "250 2.0.0 Ok: queued, no spam here", DELIVERY_SENT,
		  RESPONSE_CLASS_COUNT, NULL },
		/* No usable text: the RFC 3463 status code tells (Sendmail's
		   stat= and a reply cut to its first line). */
		{ "Service unavailable", DELIVERY_BOUNCED, RESPONSE_UNKNOWN_USER,
		  "5.1.1" },
		{ "Service unavailable; 550-5.7.1 [192.0.2.1] Our system has "
		  "detected that this message is", DELIVERY_BOUNCED,
		  RESPONSE_REPUTATION, "5.7.1" },
		{ NULL, DELIVERY_BOUNCED, RESPONSE_UNKNOWN_USER, "5.1.2" },
		{ "Deferred: Connection timed out", DELIVERY_DEFERRED,
		  RESPONSE_NONE, "4.0.0" },
		/* The text comes first. */
		{ "Service unavailable; 554 5.7.1 Spam message rejected",
		  DELIVERY_BOUNCED, RESPONSE_SPAM, "5.7.1" },
		/* A cause no class stands for: not the status code's
		   policy either. */
		{ "delivery temporarily suspended: SASL authentication "
		  "failed; server smarthost.example.net[192.0.2.33] said: "
		  "535 5.7.8 Error: authentication failed",
		  DELIVERY_DEFERRED, RESPONSE_NONE, "4.7.8" },
		{ "host mx.example.com[192.0.2.31] said: 554 5.7.1 "
		  "<rcpt@example.com>: Relay access denied (in reply to RCPT "
		  "TO command)", DELIVERY_BOUNCED, RESPONSE_NONE, "5.7.1" },
		{ "host mx.example.com[192.0.2.31] said: 451 4.7.1 "
		  "Greylisting in action, please come back later",
		  DELIVERY_DEFERRED, RESPONSE_NONE, "4.7.1" },
	};
	struct classifier *cls = classifier_new();
	struct aggregator *agg = aggregator_new(cls);
	uint64_t want[RESPONSE_CLASS_COUNT] = { 0 };
	struct account_features f;
	struct message m;
	size_t	 i;

	m = smtp_msg("relay1", "R1", T0, "192.0.2.1", NULL,
	    "zombie@example.net");
	for (i = 0; i < sizeof(replies) / sizeof(replies[0]); i++) {
		add_rcpt(&m, "rcpt@example.com", "smtp", replies[i].status,
		    replies[i].response, 0)->dsn = S(replies[i].dsn);
		if (replies[i].class != RESPONSE_CLASS_COUNT)
			want[replies[i].class]++;
	}
	aggregator_add(agg, &m);
	account_features(aggregator_find(agg, ACCOUNT_IP, "192.0.2.1"), &f);
	for (i = 0; i < RESPONSE_CLASS_COUNT; i++)
		ck_assert_msg(f.remote_rejections[i] == want[i],
		    "%s: %llu, want %llu", response_class_name((int)i),
		    (unsigned long long)f.remote_rejections[i],
		    (unsigned long long)want[i]);
	ck_assert_uint_eq(f.sent, 1);
	aggregator_free(agg);
	classifier_free(cls);
	pool_free();
}
END_TEST

/*
 * test_class_cache - repeated and distinct texts (more than the cache
 * holds, colliding in it) are counted as the classifier says.
 */
START_TEST(test_class_cache)
{
	static const char *const texts[] = {
		"host mx.example.com[192.0.2.31] said: 550 5.1.1 User "
		"unknown",
		"host mta5.am0.yahoodns.net[192.0.2.32] said: 421 4.7.0 "
		"[TSS04] Messages from 192.0.2.1 temporarily deferred",
		"host mx.example.com[192.0.2.31] said: 554 5.7.1 Client host "
		"[192.0.2.1] blocked using zen.spamhaus.org",
		"connect to mx.example.com[192.0.2.31]:25: Connection refused",
		"host mx.example.com[192.0.2.31] said: 550 5.7.1 spam",
	};
	struct classifier *cls = classifier_new();
	struct aggregator *agg = aggregator_new(cls);
	uint64_t want[RESPONSE_CLASS_COUNT] = { 0 };
	struct account_features f;
	struct message m;
	char	 text[256], qid[32];
	size_t	 i, j;

	for (i = 0; i < 3000; i++) {
		snprintf(qid, sizeof(qid), "Q%zu", i);
		m = smtp_msg("relay1", qid, T0 + (int64_t)i, "192.0.2.1", NULL,
		    "s@example.net");
		for (j = 0; j < 3; j++) {
			const char *base = texts[(i + j) % 5];

			/* Every third text is new: a unique ID follows. */
			if (j == 2)
				snprintf(text, sizeof(text), "%s id=%zu", base,
				    i);
			else
				snprintf(text, sizeof(text), "%s", base);
			add_rcpt(&m, "r@example.com", "smtp",
			    DELIVERY_BOUNCED, text, 0);
			want[classifier_classify(cls, text,
			    strlen(text))]++;
		}
		aggregator_add(agg, &m);
	}
	account_features(aggregator_find(agg, ACCOUNT_IP, "192.0.2.1"), &f);
	for (i = 0; i < RESPONSE_CLASS_COUNT; i++)
		ck_assert_uint_eq(f.remote_rejections[i], want[i]);
	ck_assert_uint_eq(want[RESPONSE_UNKNOWN_USER], 1800);
	ck_assert_uint_eq(want[RESPONSE_NONE], 1800);
	aggregator_free(agg);
	classifier_free(cls);
	pool_free();
}
END_TEST

/* test_local_hour - hour of day in local time, half-hour zones too */
START_TEST(test_local_hour)
{
	struct classifier *cls = classifier_new();
	struct aggregator *agg;
	struct account_features f;
	struct message m;
	char	*saved;

	/* Nepal, UTC+5:45: 22:13:20 UTC is 03:58:20, and two minutes
	   later, within the same UTC hour, it is 04:00:20. */
	saved = tz_switch("NPT-5:45");
	agg = aggregator_new(cls);
	m = smtp_msg("relay1", "H1", T0, "192.0.2.1", NULL, "s@example.net");
	aggregator_add(agg, &m);
	m = smtp_msg("relay1", "H2", T0 + 120, "192.0.2.1", NULL,
	    "s@example.net");
	aggregator_add(agg, &m);
	m = smtp_msg("relay1", "H3", T0 + 60, "192.0.2.1", NULL,
	    "s@example.net");
	aggregator_add(agg, &m);
	account_features(aggregator_find(agg, ACCOUNT_IP, "192.0.2.1"), &f);
	ck_assert_uint_eq(f.messages_by_hour[3], 2);
	ck_assert_uint_eq(f.messages_by_hour[4], 1);
	/* Clock hours are UTC hours: all three share one. */
	ck_assert_uint_eq(f.peak_hour_messages, 3);
	aggregator_free(agg);
	tz_restore(saved);
	classifier_free(cls);
	pool_free();
}
END_TEST

/* test_hostile_values - extreme times and sizes neither crash nor wrap */
START_TEST(test_hostile_values)
{
	struct classifier *cls = classifier_new();
	struct aggregator *agg = aggregator_new(cls);
	struct account_features f;
	struct message m;
	char	*text;

	m = smtp_msg("relay1", "X1", INT64_MAX - 5, "192.0.2.1", NULL, "");
	m.size_bytes = UINT64_MAX - 1;
	aggregator_add(agg, &m);
	m = smtp_msg("relay1", "X2", INT64_MIN, "192.0.2.1", NULL, "");
	m.size_bytes = 10;
	m.last_sec = INT64_MIN;
	aggregator_add(agg, &m);
	m = smtp_msg("relay1", "X3", -1, "192.0.2.1", NULL, "");
	m.last_sec = -1;
	aggregator_add(agg, &m);
	account_features(aggregator_find(agg, ACCOUNT_IP, "192.0.2.1"), &f);
	ck_assert_uint_eq(f.size_bytes, UINT64_MAX);
	ck_assert_int_eq(f.first_seen_sec, INT64_MIN);
	ck_assert_int_eq(f.last_seen_sec, INT64_MAX);
	/* Beyond localtime_r's range the hour is taken in UTC. */
	ck_assert_uint_eq(f.messages_by_hour[15], 1);
	ck_assert_uint_eq(f.messages_by_hour[8], 1);
	ck_assert_uint_eq(f.messages_by_hour[23], 1);
	ck_assert_uint_eq(f.peak_hour_messages, 1);
	text = dump(agg);
	ck_assert_ptr_nonnull(strstr(text,
	    "\"size_bytes\":9223372036854775807"));
	free(text);
	aggregator_free(agg);
	classifier_free(cls);
	pool_free();
}
END_TEST

/*
 * Pieces of the random records for the merge property.  Case variants
 * and invalid UTF-8 are there on purpose: they must merge the same as
 * they count in one pass.
 */
static const char *const rnd_users[] = {
	"alice@example.net", "Alice@Example.NET", "bob@example.net",
	"carol", "DAVE@EXAMPLE.NET", "eve@example.net"
};
static const char *const rnd_ips[] = {
	"192.0.2.1", "192.0.2.2", "198.51.100.7", "2001:db8::1",
	"203.0.113.250", "203.0.113.251"
};
static const char *const rnd_senders[] = {
	"alice@example.net", "ALICE@example.net", "news@example.net",
	"m\xfcller@example.de", "\xff@example.de", "\xfe@example.de",
	"root@relay.example.net", "x@example.org"
};
static const char *const rnd_locals[] = {
	"ann", "Ben", "cho", "dmitri", "EVA", "fatima", "gus", "hana",
	"j\xe9r\xf4me", "kai"
};
static const char *const rnd_domains[] = {
	"example.com", "Example.ORG", "example.net", "mail.example.co.uk",
	"example.de"
};
static const char *const rnd_responses[] = {
	NULL,
	"250 2.0.0 Ok: queued as 4XyZ",
	"host mx.example.com[192.0.2.40] said: 550 5.1.1 user unknown",
	"host mx.example.com[192.0.2.40] said: 421 4.7.0 too many "
	"connections",
	"host mx.example.com[192.0.2.40] said: 554 5.7.1 Client host "
	"[192.0.2.1] blocked using zen.spamhaus.org",
	"host mx.example.com[192.0.2.40] said: 550 5.7.1 message rejected "
	"as spam",
	"host mx.example.com[192.0.2.40] said: 550 5.7.26 unauthenticated",
	"connect to mx.example.com[192.0.2.40]:25: Connection timed out",
};
static const char *const rnd_helos[] = {
	NULL, "alice-pc.fritz.box", "192.0.2.1", "[203.0.113.250]",
	"[IPv6:2001:db8::1]", "xkqzvbnt", "DESKTOP-7KQ2M4P", "localhost",
	"Mail.Example.NET"
};
static const char *const rnd_rejects[] = {
	NULL, "450 4.7.1 <x@example.com>: Recipient address rejected: "
	"Rate limit exceeded, try again later",
	"554 5.7.1 <x@example.com>: Relay access denied",
	"550 5.1.0 <y@qozaxi.test>: Sender address rejected: Domain not "
	"found"
};
static const char *const rnd_transports[] = {
	"smtp", "smtp", "smtp", "local", "virtual", "lmtp", NULL
};

#define RND_COUNT	200

/* random_address - a recipient address, sometimes odd */
static char *
random_address(uint64_t *st)
{
	char	buf[128];
	size_t	r = pick(st, 40);

	if (r == 0)
		return NULL;
	if (r == 1)
		return S("postmaster");
	snprintf(buf, sizeof(buf), "%s@%s",
	    rnd_locals[pick(st, sizeof(rnd_locals) / sizeof(rnd_locals[0]))],
	    rnd_domains[pick(st,
	    sizeof(rnd_domains) / sizeof(rnd_domains[0]))]);
	if (pick(st, 4) == 0)
		buf[0] = (char)(buf[0] >= 'a' && buf[0] <= 'z' ?
		    buf[0] - 32 : buf[0]);
	return S(buf);
}

/* random_records - RND_COUNT varied records, reproducibly */
static void
random_records(struct message *msgs)
{
	uint64_t st = 0x9e3779b97f4a7c15ULL;
	size_t	 i, j, nrcpt;
	char	 buf[64];

#define N(a)	(sizeof(a) / sizeof((a)[0]))
	for (i = 0; i < RND_COUNT; i++) {
		struct message *m = &msgs[i];
		size_t	 r = pick(&st, 100);
		int64_t	 t = T0 + (int64_t)pick(&st, 3 * 86400);

		if (r < 7) {
			*m = record(RECORD_REJECT, t);
		} else if (r < 15) {
			*m = record(RECORD_AUTH_FAILURE, t);
		} else {
			*m = record(RECORD_MESSAGE, t);
			r = pick(&st, 20);
			m->origin = r == 0 ? ORIGIN_UNKNOWN :
			    r < 3 ? ORIGIN_BOUNCE : r < 6 ? ORIGIN_PICKUP :
			    ORIGIN_SMTP;
		}
		if (m->origin == ORIGIN_SMTP) {
			if (pick(&st, 2) == 0)
				m->sasl_username = S(rnd_users[pick(&st,
				    N(rnd_users))]);
			if (pick(&st, 10) != 0)
				m->client_ip = S(rnd_ips[pick(&st,
				    N(rnd_ips))]);
			m->helo = S(rnd_helos[pick(&st, N(rnd_helos))]);
		}
		m->reject_response = S(rnd_rejects[pick(&st, N(rnd_rejects))]);
		if (m->kind != RECORD_MESSAGE)
			continue;
		m->uid = m->origin == ORIGIN_PICKUP ?
		    (int64_t)pick(&st, 3) + 1000 : -1;
		r = pick(&st, 10);
		m->sender = r == 0 ? NULL : r == 1 ? S("") :
		    S(rnd_senders[pick(&st, N(rnd_senders))]);
		m->host = S(pick(&st, 2) == 0 ? "relay1" : "relay2");
		snprintf(buf, sizeof(buf), "%08llX",
		    (unsigned long long)(xorshift(&st) & 0xffffffffULL));
		m->queue_id = S(buf);
		r = pick(&st, 4);
		if (r == 3) {
			/* Added by the relay: its queue ID inside. */
			snprintf(buf, sizeof(buf), "20261125101500.%s@relay1."
			    "example.net", m->queue_id);
			m->message_id = S(buf);
		} else if (r != 0) {
			snprintf(buf, sizeof(buf), "%zu.%llu@example.net", i,
			    (unsigned long long)(xorshift(&st) % 1000));
			m->message_id = S(buf);
		}
		/* Now and then the same time, host and queue ID as the
		   record before: the samples' tie-break must decide. */
		if (i > 0 && msgs[i - 1].kind == RECORD_MESSAGE &&
		    pick(&st, 12) == 0) {
			m->first_sec = msgs[i - 1].first_sec;
			m->host = msgs[i - 1].host;
			m->queue_id = msgs[i - 1].queue_id;
		}
		m->last_sec = m->first_sec + (int64_t)pick(&st, 4000);
		m->size_bytes = pick(&st, 50) == 0 ? UINT64_MAX / 3 :
		    (uint64_t)pick(&st, 200000);
		m->is_complete = pick(&st, 7) != 0;
		m->expired = pick(&st, 9) == 0;
		m->local_rejects = pick(&st, 4) == 0 ?
		    (uint32_t)pick(&st, 3) : 0;
		nrcpt = pick(&st, 7);
		for (j = 0; j < nrcpt; j++) {
			struct recipient *rc = &m->recipients[j];

			rc->address = random_address(&st);
			rc->transport = S(rnd_transports[pick(&st,
			    N(rnd_transports))]);
			rc->status = (enum delivery_status)pick(&st, 5);
			rc->response = S(rnd_responses[pick(&st,
			    N(rnd_responses))]);
			rc->deferrals = (uint32_t)pick(&st, 4);
			rc->time_sec = m->last_sec;
		}
		m->recipient_count = nrcpt;
		/* Some inbound mail: unauthenticated, all local. */
		if (m->origin == ORIGIN_SMTP && m->sasl_username == NULL &&
		    nrcpt > 0 && pick(&st, 4) == 0)
			for (j = 0; j < nrcpt; j++)
				m->recipients[j].transport = S("local");
	}
#undef N
}

/* feed_range - add records [from, to) */
static void
feed_range(struct aggregator *agg, const struct message *msgs, size_t from,
    size_t to)
{
	size_t	i;

	for (i = from; i < to; i++)
		aggregator_add(agg, &msgs[i]);
}

/*
 * test_repeat_feed - the aggregator remembers the last account, HELO
 * and client network it counted: records fed each twice in a row (the
 * remembered values used nearly every time) count as the same records
 * fed as two whole passes (nearly never), also when halves so fed are
 * merged and the merged aggregator is fed on
 */
START_TEST(test_repeat_feed)
{
	struct classifier *cls = classifier_new();
	struct aggregator *a = aggregator_new(cls), *b, *c;
	struct message *msgs = keep(calloc(RND_COUNT, sizeof(*msgs)));
	char	*whole, *text;
	size_t	 i;

	random_records(msgs);
	feed_range(a, msgs, 0, RND_COUNT);
	feed_range(a, msgs, 0, RND_COUNT);
	whole = dump(a);
	aggregator_free(a);

	a = aggregator_new(cls);
	for (i = 0; i < RND_COUNT; i++) {
		aggregator_add(a, &msgs[i]);
		aggregator_add(a, &msgs[i]);
	}
	text = dump(a);
	ck_assert_msg(strcmp(whole, text) == 0, "doubled feed differs");
	free(text);
	aggregator_free(a);

	/* The first half doubled, merged with the second, then the
	   second once more into the merged one: what it remembers
	   predates the merge. */
	b = aggregator_new(cls);
	c = aggregator_new(cls);
	for (i = 0; i < RND_COUNT / 2; i++) {
		aggregator_add(b, &msgs[i]);
		aggregator_add(b, &msgs[i]);
	}
	feed_range(c, msgs, RND_COUNT / 2, RND_COUNT);
	aggregator_merge(b, c);
	for (i = RND_COUNT; i > RND_COUNT / 2; i--)
		aggregator_add(b, &msgs[i - 1]);
	text = dump(b);
	ck_assert_msg(strcmp(whole, text) == 0, "merged feed differs");
	free(text);
	free(whole);
	aggregator_free(b);
	aggregator_free(c);
	classifier_free(cls);
	pool_free();
}
END_TEST

/* helo_feed - a refusal from sasl at ip with a HELO */
static void
helo_feed(struct aggregator *agg, const char *sasl, const char *ip,
    const char *helo)
{
	struct message m = record(RECORD_REJECT, T0);

	m.sasl_username = S(sasl);
	m.client_ip = S(ip);
	m.helo = S(helo);
	aggregator_add(agg, &m);
}

/* net_feed - a message from sasl at ip */
static void
net_feed(struct aggregator *agg, const char *sasl, const char *ip)
{
	struct message m = smtp_msg("relay1", "Q1AAA", T0, ip, sasl,
	    "x@example.net");

	aggregator_add(agg, &m);
}

/* features_of - the features of SASL account user */
static struct account_features
features_of(const struct aggregator *agg, const char *user)
{
	const struct account *acct = aggregator_find(agg, ACCOUNT_SASL, user);
	struct account_features f;

	ck_assert_ptr_nonnull(acct);
	account_features(acct, &f);
	return f;
}

/*
 * test_helo_repeat - a HELO and a client network repeated by one
 * account count every record but add no pair or network; the same
 * ones from another account, or after a change, or into a merged
 * aggregator, count for that account in full
 */
START_TEST(test_helo_repeat)
{
	struct classifier *cls = classifier_new();
	struct aggregator *agg = aggregator_new(cls);
	struct aggregator *other = aggregator_new(cls);
	struct account_features f;

	helo_feed(agg, "a", "192.0.2.1", "[192.0.2.1]");
	helo_feed(agg, "a", "192.0.2.1", "[192.0.2.1]");
	f = features_of(agg, "a");
	ck_assert_uint_eq(f.helo_records, 2);
	ck_assert_uint_eq(f.helo_ip_literals, 2);
	ck_assert_uint_eq(f.helo_changes, 0);
	helo_feed(agg, "a", "192.0.2.1", "xkqzvbn");
	helo_feed(agg, "a", "192.0.2.1", "xkqzvbn");
	f = features_of(agg, "a");
	ck_assert_uint_eq(f.helo_records, 4);
	ck_assert_uint_eq(f.helo_random, 2);
	ck_assert_uint_eq(f.helo_changes, 1);
	/* Another account, the same client and name. */
	helo_feed(agg, "B", "192.0.2.1", "xkqzvbn");
	f = features_of(agg, "b");
	ck_assert_uint_eq(f.helo_records, 1);
	ck_assert_uint_eq(f.helo_random, 1);
	ck_assert_uint_eq(f.helo_changes, 0);
	/* Back to a: nothing new; then the name from another client
	   (one more address, one more pair), then an empty client. */
	helo_feed(agg, "a", "192.0.2.1", "xkqzvbn");
	helo_feed(agg, "a", "192.0.2.2", "xkqzvbn");
	f = features_of(agg, "a");
	ck_assert_uint_eq(f.helo_records, 6);
	ck_assert_uint_eq(f.helo_random, 4);
	ck_assert_uint_eq(f.helo_changes, 1);
	helo_feed(agg, "a", NULL, "xkqzvbn");
	helo_feed(agg, "a", NULL, "xkqzvbn");
	helo_feed(agg, "a", "", "xkqzvbn");
	f = features_of(agg, "a");
	ck_assert_uint_eq(f.helo_records, 9);
	ck_assert_uint_eq(f.helo_changes, 1);
	/* A name that differs only in length or case is a new one. */
	helo_feed(agg, "a", "192.0.2.2", "xkqzvbnx");
	helo_feed(agg, "a", "192.0.2.2", "XKQZVBN");
	f = features_of(agg, "a");
	ck_assert_uint_eq(f.helo_records, 11);
	ck_assert_uint_eq(f.helo_random, 9);
	ck_assert_uint_eq(f.helo_changes, 3);

	/* Networks: a repeat counts once per account. */
	net_feed(agg, "a", "192.0.3.1");
	net_feed(agg, "a", "192.0.3.1");
	net_feed(agg, "b", "192.0.3.1");
	net_feed(agg, "b", "not an address");
	net_feed(agg, "b", "not an address");
	net_feed(agg, "a", "192.0.3.1");
	ck_assert_uint_eq(features_of(agg, "a").distinct_client_networks, 1);
	ck_assert_uint_eq(features_of(agg, "b").distinct_client_networks, 1);
	ck_assert_uint_eq(features_of(agg, "a").messages, 3);
	ck_assert_uint_eq(features_of(agg, "b").messages, 3);
	net_feed(agg, "b", "2001:db8:1::1");
	net_feed(agg, "b", "2001:db8:1::1");
	ck_assert_uint_eq(features_of(agg, "b").distinct_client_networks, 2);

	/* Merged in: a new name for a; the remembered one repeated. */
	helo_feed(other, "a", "192.0.2.2", "mail.example.net");
	net_feed(other, "a", "198.51.100.1");
	aggregator_merge(agg, other);
	helo_feed(agg, "a", "192.0.2.2", "mail.example.net");
	net_feed(agg, "b", "2001:db8:1::1");
	net_feed(agg, "a", "198.51.100.1");
	f = features_of(agg, "a");
	ck_assert_uint_eq(f.helo_records, 13);
	ck_assert_uint_eq(f.helo_changes, 4);
	ck_assert_uint_eq(f.distinct_client_networks, 2);
	ck_assert_uint_eq(features_of(agg, "b").distinct_client_networks, 2);
	/* The source is fed on by itself, unchanged by the merge. */
	helo_feed(other, "a", "192.0.2.2", "mail.example.net");
	f = features_of(other, "a");
	ck_assert_uint_eq(f.helo_records, 2);
	ck_assert_uint_eq(f.helo_changes, 0);
	aggregator_free(agg);
	aggregator_free(other);
	classifier_free(cls);
	pool_free();
}
END_TEST

/* test_merge_property - merging parts gives exactly one pass */
START_TEST(test_merge_property)
{
	static const size_t splits[] = { 0, 1, 37, 100, 150, 199, 200 };
	static const size_t three[][2] = {
		{ 0, 0 }, { 20, 120 }, { 66, 67 }, { 100, 200 }, { 5, 190 }
	};
	struct classifier *cls = classifier_new();
	struct aggregator *a = aggregator_new(cls), *rev;
	struct message *msgs = keep(calloc(RND_COUNT, sizeof(*msgs)));
	const struct aggregator_stats *st;
	char	*whole, *text, *before;
	size_t	 i, k;

	random_records(msgs);
	feed_range(a, msgs, 0, RND_COUNT);
	whole = dump(a);
	st = aggregator_stats(a);
	/* The mix is varied enough to mean something. */
	ck_assert_uint_eq(st->records, RND_COUNT);
	ck_assert_uint_gt(st->messages_attributed, 100);
	ck_assert_uint_gt(st->relay_bounces, 0);
	ck_assert_uint_gt(st->inbound_local, 0);
	ck_assert_uint_gt(st->messages_unattributed, 0);
	ck_assert_uint_gt(st->rejects_attributed, 0);
	ck_assert_uint_gt(st->auth_failures_attributed, 0);
	ck_assert_uint_ge(aggregator_account_count(a), 10);

	/* Feeding order does not matter either. */
	rev = aggregator_new(cls);
	for (i = RND_COUNT; i > 0; i--)
		aggregator_add(rev, &msgs[i - 1]);
	text = dump(rev);
	ck_assert_msg(strcmp(whole, text) == 0, "reversed feed differs");
	free(text);
	aggregator_free(rev);

	for (k = 0; k < sizeof(splits) / sizeof(splits[0]); k++) {
		struct aggregator *b = aggregator_new(cls);
		struct aggregator *c = aggregator_new(cls);
		struct aggregator *d = aggregator_new(cls);

		feed_range(b, msgs, 0, splits[k]);
		feed_range(c, msgs, splits[k], RND_COUNT);
		/* Into an empty one, second half first. */
		aggregator_merge(d, c);
		aggregator_merge(d, b);
		text = dump(d);
		ck_assert_msg(strcmp(whole, text) == 0,
		    "split at %zu, merged into empty: differs", splits[k]);
		free(text);
		/* Into the first half; the source is left unchanged. */
		before = dump(c);
		aggregator_merge(b, c);
		text = dump(b);
		ck_assert_msg(strcmp(whole, text) == 0,
		    "split at %zu: merge(B, C) differs", splits[k]);
		free(text);
		text = dump(c);
		ck_assert_str_eq(before, text);
		free(text);
		free(before);
		aggregator_free(b);
		aggregator_free(c);
		aggregator_free(d);
	}

	for (k = 0; k < sizeof(three) / sizeof(three[0]); k++) {
		struct aggregator *p[3], *x, *y;
		size_t	 lo = three[k][0], hi = three[k][1];

		for (i = 0; i < 3; i++)
			p[i] = aggregator_new(cls);
		feed_range(p[0], msgs, 0, lo);
		feed_range(p[1], msgs, lo, hi);
		feed_range(p[2], msgs, hi, RND_COUNT);
		/* (P0 + P1) + P2 */
		x = aggregator_new(cls);
		aggregator_merge(x, p[0]);
		aggregator_merge(x, p[1]);
		aggregator_merge(x, p[2]);
		text = dump(x);
		ck_assert_msg(strcmp(whole, text) == 0,
		    "3-way %zu/%zu in order differs", lo, hi);
		free(text);
		/* P2 + (P1 + P0) */
		y = aggregator_new(cls);
		aggregator_merge(y, p[1]);
		aggregator_merge(y, p[0]);
		aggregator_merge(p[2], y);
		text = dump(p[2]);
		ck_assert_msg(strcmp(whole, text) == 0,
		    "3-way %zu/%zu reversed differs", lo, hi);
		free(text);
		aggregator_free(x);
		aggregator_free(y);
		for (i = 0; i < 3; i++)
			aggregator_free(p[i]);
	}

	/* Merging the whole into a copy of itself doubles the sums but
	   not the sets: a different dump, the same distinct counts. */
	rev = aggregator_new(cls);
	feed_range(rev, msgs, 0, RND_COUNT);
	aggregator_merge(rev, a);
	text = dump(rev);
	ck_assert_msg(strcmp(whole, text) != 0, "doubling changed nothing");
	free(text);
	{
		const struct account *acct, *twice;
		struct account_features f1, f2;
		size_t	 pos = 0;

		while (aggregator_next(a, &pos, &acct)) {
			twice = aggregator_find(rev, account_kind(acct),
			    account_key(acct));
			ck_assert_ptr_nonnull(twice);
			account_features(acct, &f1);
			account_features(twice, &f2);
			ck_assert_uint_eq(f2.messages, 2 * f1.messages);
			ck_assert_uint_eq(f2.distinct_recipients,
			    f1.distinct_recipients);
			ck_assert_uint_eq(f2.distinct_domains,
			    f1.distinct_domains);
			ck_assert_uint_eq(f2.distinct_senders,
			    f1.distinct_senders);
			ck_assert_uint_eq(f2.peak_hour_messages,
			    2 * f1.peak_hour_messages);
		}
	}
	aggregator_free(rev);
	free(whole);
	aggregator_free(a);
	classifier_free(cls);
	pool_free();
}
END_TEST

/*
 * A spam run for the cap tests: one SASL account whose messages go to
 * rcpt_pool distinct addresses at domain_pool domains, from sender_pool
 * forged senders (some in capitals) and ip_pool client addresses, and
 * a small IP account beside it (one record in 50).  The run's messages
 * use every address, domain, sender and client address of the pools
 * at least once.
 */
struct blast {
	size_t		messages;
	size_t		rcpt_pool;
	size_t		domain_pool;
	size_t		sender_pool;
	size_t		ip_pool;
	size_t		max_rcpts;	/* 1 .. MAX_RCPTS per message */
};

/* blast_records - the records of a spam run; pooled */
static struct message *
blast_records(const struct blast *b)
{
	struct message *msgs = keep(calloc(b->messages, sizeof(*msgs)));
	size_t	 i, j, cursor = 0, bm = 0;
	char	 qid[32], ip[32], sender[64], addr[64];

	for (i = 0; i < b->messages; i++) {
		struct message *m = &msgs[i];
		size_t	 sidx = (bm * 7) % b->sender_pool;
		size_t	 nrcpt = 1 + bm % b->max_rcpts;

		snprintf(qid, sizeof(qid), "B%zX", i);
		if (i % 50 == 49) {
			/* Now and then the small account beside it. */
			*m = smtp_msg("relay2", qid, T0 + (int64_t)i,
			    "192.0.2.77", NULL, "owner@example.net");
			add_rcpt(m, "friend@example.org", "smtp",
			    DELIVERY_SENT, NULL, 0);
			continue;
		}
		snprintf(ip, sizeof(ip), "10.%zu.%zu.%zu",
		    (bm % b->ip_pool) >> 16 & 255,
		    (bm % b->ip_pool) >> 8 & 255, (bm % b->ip_pool) & 255);
		snprintf(sender, sizeof(sender), "%s%zu@forged%zu.example",
		    bm % 5 == 0 ? "F" : "f", sidx, sidx % 97);
		bm++;
		*m = smtp_msg(i % 3 == 0 ? "relay1" : "relay2", qid,
		    T0 + (int64_t)(i * 13 % 86400), ip, "Blaster@Example.NET",
		    sender);
		for (j = 0; j < nrcpt; j++) {
			/* 2654435761 is prime to the pools used, so the
			   cursor visits every address. */
			size_t	 r = (cursor++ * 2654435761U) % b->rcpt_pool;

			snprintf(addr, sizeof(addr), "%s%zu@d%zu.example",
			    r % 7 == 0 ? "R" : "r", r, r % b->domain_pool);
			add_rcpt(m, addr, "smtp", r % 11 == 0 ?
			    DELIVERY_BOUNCED : DELIVERY_SENT, r % 11 == 0 ?
			    "host mx.example.com[192.0.2.40] said: 550 5.1.1 "
			    "user unknown" : NULL, 0);
		}
	}
	return msgs;
}

/* feed_where - add the records for which pick_part() says part */
static void
feed_where(struct aggregator *agg, const struct message *msgs, size_t n,
    size_t part, size_t parts, uint64_t salt)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if ((i * 2654435761U + salt) % 1000 * parts / 1000 == part)
			aggregator_add(agg, &msgs[i]);
}

/*
 * The spam runs: one past every cap (5,000 recipients, 3,000
 * senders), and one whose halves stay under the caps while the whole
 * passes them.
 */
static const struct blast blasts[] = {
	{ 6000, 5000, 1500, 3000, 1300, 8 },
	{ 1900, 1800, 1500, 1800, 1800, 1 },
};

/* senders_capped - whether the spam run's sender map passed its cap */
static bool
senders_capped(const struct aggregator *agg)
{
	const struct account *acct = aggregator_find(agg, ACCOUNT_SASL,
	    "blaster@example.net");
	struct account_features f;

	if (acct == NULL)
		return false;
	account_features(acct, &f);
	return f.distinct_senders > AGGREGATOR_COUNTER_EXACT_MAX;
}

/* test_cap_merge - past the caps, merged parts still equal one pass */
START_TEST(test_cap_merge)
{
	const struct blast *b = &blasts[_i];
	static const size_t splits[] = { 0, 1, 100, 900, 1000, 3000, 5999 };
	struct classifier *cls = classifier_new();
	struct message *msgs = blast_records(b);
	struct aggregator *whole = aggregator_new(cls), *rev, *x, *y;
	const struct account *acct;
	struct account_features f;
	char	*one, *text, *before;
	json_t	*j;
	size_t	 i, k, capped_parts[3] = { 0, 0, 0 };

	feed_range(whole, msgs, 0, b->messages);
	one = dump(whole);
	acct = aggregator_find(whole, ACCOUNT_SASL, "blaster@example.net");
	ck_assert_ptr_nonnull(acct);
	account_features(acct, &f);
	/* Past every cap: estimates within 2%, above the cap. */
	ck_assert_double_le(fabs((double)f.distinct_recipients -
	    (double)b->rcpt_pool) / (double)b->rcpt_pool, 0.02);
	ck_assert_double_le(fabs((double)f.distinct_domains -
	    (double)b->domain_pool) / (double)b->domain_pool, 0.02);
	ck_assert_double_le(fabs((double)f.distinct_senders -
	    (double)b->sender_pool) / (double)b->sender_pool, 0.02);
	ck_assert_double_le(fabs((double)f.distinct_client_ips -
	    (double)b->ip_pool) / (double)b->ip_pool, 0.02);
	ck_assert_uint_gt(f.distinct_senders, AGGREGATOR_COUNTER_EXACT_MAX);
	j = aggregator_to_json(whole);
	ck_assert_ptr_nonnull(json_object_get(json_object_get(json_array_get(
	    json_object_get(j, "accounts"), 0), "recipient_fingerprints"),
	    "hll"));
	ck_assert_ptr_nonnull(json_object_get(json_array_get(
	    json_object_get(j, "accounts"), 0), "sender_keys"));
	ck_assert_uint_eq(json_object_size(json_object_get(json_array_get(
	    json_object_get(j, "accounts"), 0), "senders")),
	    AGGREGATOR_COUNTER_SAMPLE);
	json_decref(j);
	/* The small account is untouched by its neighbour. */
	account_features(aggregator_find(whole, ACCOUNT_IP, "192.0.2.77"),
	    &f);
	ck_assert_uint_eq(f.distinct_recipients, 1);
	ck_assert_uint_eq(f.distinct_senders, 1);

	/* Reversed feed. */
	rev = aggregator_new(cls);
	for (i = b->messages; i > 0; i--)
		aggregator_add(rev, &msgs[i - 1]);
	text = dump(rev);
	ck_assert_msg(strcmp(one, text) == 0, "reversed feed differs");
	free(text);
	aggregator_free(rev);

	/* Two parts split at a record: one side under the caps, or both
	   past them. */
	for (k = 0; k < sizeof(splits) / sizeof(splits[0]); k++) {
		size_t	 at = splits[k] < b->messages ? splits[k] :
		    b->messages;

		x = aggregator_new(cls);
		y = aggregator_new(cls);
		feed_range(x, msgs, 0, at);
		feed_range(y, msgs, at, b->messages);
		capped_parts[senders_capped(x) + senders_capped(y)]++;
		before = dump(y);
		aggregator_merge(x, y);
		text = dump(x);
		ck_assert_msg(strcmp(one, text) == 0, "split at %zu differs",
		    at);
		free(text);
		text = dump(y);
		ck_assert_str_eq(before, text);
		free(text);
		free(before);
		aggregator_free(x);
		/* The other way round, into an empty aggregator. */
		x = aggregator_new(cls);
		aggregator_merge(x, y);
		y = (aggregator_free(y), aggregator_new(cls));
		feed_range(y, msgs, 0, at);
		aggregator_merge(x, y);
		text = dump(x);
		ck_assert_msg(strcmp(one, text) == 0,
		    "split at %zu, second part first, differs", at);
		free(text);
		aggregator_free(x);
		aggregator_free(y);
	}

	/* Both kinds of split were tried: the first run has a part
	   under the caps beside one past them, and parts both past; the
	   second has parts both under the caps. */
	if (_i == 0) {
		ck_assert_uint_gt(capped_parts[1], 0);
		ck_assert_uint_gt(capped_parts[2], 0);
	} else {
		ck_assert_uint_gt(capped_parts[0], 0);
	}

	/* Scattered into 2, 3 and 7 parts, merged in a fold and as a
	   tree. */
	for (k = 2; k <= 7; k += k == 3 ? 4 : 1) {
		struct aggregator *p[7], *fold = aggregator_new(cls);

		for (i = 0; i < k; i++) {
			p[i] = aggregator_new(cls);
			feed_where(p[i], msgs, b->messages, i, k, 17 * k);
		}
		for (i = k; i > 0; i--)
			aggregator_merge(fold, p[i - 1]);
		text = dump(fold);
		ck_assert_msg(strcmp(one, text) == 0, "%zu parts, fold "
		    "differs", k);
		free(text);
		for (i = 1; i < k; i += 2)
			aggregator_merge(p[i - 1], p[i]);
		for (i = 2; i < k; i += 2)
			aggregator_merge(p[0], p[i]);
		text = dump(p[0]);
		ck_assert_msg(strcmp(one, text) == 0, "%zu parts, tree "
		    "differs", k);
		free(text);
		for (i = 0; i < k; i++)
			aggregator_free(p[i]);
		aggregator_free(fold);
	}

	/* Merging the whole into itself again: the distinct counts and
	   the sampled keys stay, their counts double. */
	x = aggregator_new(cls);
	feed_range(x, msgs, 0, b->messages);
	aggregator_merge(x, whole);
	{
		const struct account *a1, *a2;
		struct account_features f1, f2;
		const char *n1[AGGREGATOR_COUNTER_SAMPLE];
		const char *n2[AGGREGATOR_COUNTER_SAMPLE];
		uint64_t c1[AGGREGATOR_COUNTER_SAMPLE];
		uint64_t c2[AGGREGATOR_COUNTER_SAMPLE];
		size_t	 m1, m2;

		a1 = aggregator_find(whole, ACCOUNT_SASL,
		    "blaster@example.net");
		a2 = aggregator_find(x, ACCOUNT_SASL, "blaster@example.net");
		account_features(a1, &f1);
		account_features(a2, &f2);
		ck_assert_uint_eq(f2.distinct_recipients,
		    f1.distinct_recipients);
		ck_assert_uint_eq(f2.distinct_domains, f1.distinct_domains);
		ck_assert_uint_eq(f2.distinct_senders, f1.distinct_senders);
		ck_assert_uint_eq(f2.distinct_client_ips,
		    f1.distinct_client_ips);
		m1 = account_top_senders(a1, n1, c1,
		    AGGREGATOR_COUNTER_SAMPLE);
		m2 = account_top_senders(a2, n2, c2,
		    AGGREGATOR_COUNTER_SAMPLE);
		ck_assert_uint_eq(m1, m2);
		for (i = 0; i < m1; i++) {
			ck_assert_str_eq(n1[i], n2[i]);
			ck_assert_uint_eq(c2[i], 2 * c1[i]);
		}
	}
	aggregator_free(x);
	free(one);
	aggregator_free(whole);
	classifier_free(cls);
	pool_free();
}
END_TEST

struct sender_truth {
	uint64_t	 fingerprint;
	const char	*name;
	uint64_t	 count;
};

/* sender_truth_cmp - by fingerprint, then name */
static int
sender_truth_cmp(const void *a, const void *b)
{
	const struct sender_truth *x = a, *y = b;

	if (x->fingerprint != y->fingerprint)
		return x->fingerprint < y->fingerprint ? -1 : 1;
	return strcmp(x->name, y->name);
}

/*
 * test_cap_boundary - exact up to the cap, inclusive; one key more
 * and the map keeps the keys with the smallest fingerprints, with
 * their true counts, and the top list is that sample by count.
 */
START_TEST(test_cap_boundary)
{
	enum { SENDERS = AGGREGATOR_COUNTER_EXACT_MAX + 1 };
	struct classifier *cls = classifier_new();
	struct aggregator *agg = aggregator_new(cls);
	struct sender_truth *truth = calloc(SENDERS, sizeof(*truth));
	const char *names[AGGREGATOR_COUNTER_SAMPLE + 1];
	uint64_t counts[AGGREGATOR_COUNTER_SAMPLE + 1];
	const struct account *acct;
	struct account_features f;
	struct message m;
	char	 sender[64], qid[32], *text;
	size_t	 i, n, k, msg = 0;

	ck_assert_ptr_nonnull(truth);
	for (i = 0; i < SENDERS; i++) {
		snprintf(sender, sizeof(sender), "s%zu@forged.example", i);
		truth[i].name = S(sender);
		truth[i].fingerprint = hash_fingerprint(sender,
		    strlen(sender));
		truth[i].count = 1 + i % 4;
	}
	/* Every sender but the last, 1 to 4 messages each. */
	for (k = 0; k < 4; k++) {
		for (i = 0; i < SENDERS - 1; i++) {
			if (truth[i].count <= k)
				continue;
			snprintf(qid, sizeof(qid), "Q%zu", msg++);
			m = smtp_msg("relay1", qid, T0 + (int64_t)msg,
			    "192.0.2.1", "u", truth[i].name);
			aggregator_add(agg, &m);
		}
	}
	acct = aggregator_find(agg, ACCOUNT_SASL, "u");
	account_features(acct, &f);
	ck_assert_uint_eq(f.distinct_senders, AGGREGATOR_COUNTER_EXACT_MAX);
	n = account_top_senders(acct, names, counts, 3);
	ck_assert_uint_eq(n, 3);
	ck_assert_uint_eq(counts[0], 4);
	/* Of those with 4 (3, 7, ... 1019), the first in byte order. */
	ck_assert_str_eq(names[0], "s1003@forged.example");
	text = dump(agg);
	ck_assert_ptr_null(strstr(text, "\"sender_keys\""));
	free(text);

	/* The last sender passes the cap. */
	m = smtp_msg("relay1", "QLAST", T0, "192.0.2.1", "u",
	    truth[SENDERS - 1].name);
	for (k = 0; k < truth[SENDERS - 1].count; k++)
		aggregator_add(agg, &m);
	acct = aggregator_find(agg, ACCOUNT_SASL, "u");
	account_features(acct, &f);
	ck_assert_uint_ge(f.distinct_senders, SENDERS);
	ck_assert_double_le(fabs((double)f.distinct_senders - SENDERS) /
	    SENDERS, 0.02);
	text = dump(agg);
	/* The caps are equal: a capped map counts its keys in a sketch. */
	ck_assert_ptr_nonnull(strstr(text, "\"sender_keys\":{\"hll\":\""));
	free(text);

	/* The sample: the smallest fingerprints, true counts, by count
	   then name. */
	qsort(truth, SENDERS, sizeof(*truth), sender_truth_cmp);
	n = account_top_senders(acct, names, counts,
	    AGGREGATOR_COUNTER_SAMPLE + 1);
	ck_assert_uint_eq(n, AGGREGATOR_COUNTER_SAMPLE);
	for (i = 0; i < n; i++) {
		for (k = 0; k < AGGREGATOR_COUNTER_SAMPLE; k++)
			if (strcmp(truth[k].name, names[i]) == 0)
				break;
		ck_assert_msg(k < AGGREGATOR_COUNTER_SAMPLE,
		    "%s is not among the smallest", names[i]);
		ck_assert_uint_eq(counts[i], truth[k].count);
		if (i > 0)
			ck_assert(counts[i - 1] > counts[i] ||
			    (counts[i - 1] == counts[i] &&
			    strcmp(names[i - 1], names[i]) < 0));
	}
	free(truth);
	aggregator_free(agg);
	classifier_free(cls);
	pool_free();
}
END_TEST

/*
 * cap_address - the recipient of test_contacts_cap()'s message seq:
 * FIRST addresses in mixed case (the last passes the cap), REPEATS of
 * them in upper case, then MORE new ones in lower case
 */
enum { CAP_FIRST = AGGREGATOR_COUNTER_EXACT_MAX + 1, CAP_REPEATS = 300,
    CAP_MORE = 100 };

static void
cap_address(char *buf, size_t size, size_t seq)
{
	if (seq < CAP_FIRST)
		snprintf(buf, size, "R%zu@Dom%zu.Example", seq, seq % 50);
	else if (seq < CAP_FIRST + CAP_REPEATS)
		snprintf(buf, size, "R%zu@DOM%zu.EXAMPLE", seq - CAP_FIRST,
		    (seq - CAP_FIRST) % 50);
	else
		snprintf(buf, size, "r%zu@dom%zu.example", seq - CAP_REPEATS,
		    (seq - CAP_REPEATS) % 50);
}

/* feed_recipient - u's message seq, to cap_address(seq) */
static void
feed_recipient(struct aggregator *agg, size_t seq)
{
	struct message m;
	char	 qid[32], addr[64];

	snprintf(qid, sizeof(qid), "R%zu", seq);
	cap_address(addr, sizeof(addr), seq);
	m = smtp_msg("relay1", qid, T0 + (int64_t)seq, "192.0.2.1", "u",
	    "u@example.org");
	add_rcpt(&m, addr, "smtp", DELIVERY_SENT, NULL, 0);
	aggregator_add(agg, &m);
}

/*
 * test_contacts_cap - the recipient fingerprints of an account whose
 * contacts pass the cap are those of its lower-cased addresses: the
 * ones counter_cap() takes from the exact map, and the ones taken per
 * recipient after it (repeats in another case included), whatever the
 * order the messages came in.
 */
START_TEST(test_contacts_cap)
{
	const size_t total = CAP_FIRST + CAP_REPEATS + CAP_MORE;
	struct classifier *cls = classifier_new();
	struct aggregator *agg = aggregator_new(cls), *rev;
	struct distinct *ref = distinct_new();
	struct account_features f;
	char	 addr[64], *one, *two;
	size_t	 i;

	for (i = 0; i < CAP_FIRST + CAP_MORE; i++) {
		snprintf(addr, sizeof(addr), "r%zu@dom%zu.example", i, i % 50);
		distinct_add(ref, hash_fingerprint(addr, strlen(addr)));
	}
	for (i = 0; i < total; i++)
		feed_recipient(agg, i);
	account_features(aggregator_find(agg, ACCOUNT_SASL, "u"), &f);
	ck_assert(!distinct_is_exact(ref));
	ck_assert_uint_eq(f.distinct_recipients, distinct_count(ref));
	ck_assert_uint_eq(f.distinct_domains, 50);

	/* Backwards: the cap is passed at another key, one state. */
	rev = aggregator_new(cls);
	for (i = total; i > 0; i--)
		feed_recipient(rev, i - 1);
	one = dump(agg);
	two = dump(rev);
	ck_assert_msg(strcmp(one, two) == 0, "the orders disagree");
	free(one);
	free(two);
	distinct_free(ref);
	aggregator_free(rev);
	aggregator_free(agg);
	classifier_free(cls);
	pool_free();
}
END_TEST

/*
 * test_minute_peaks - the peak minute, ten-minute slot and clock hour
 * read from the minutes: 3 messages at hh:00, 1 at hh:05, 2 at hh:09
 * (one slot of 6), 4 at hh:31 and 1 at the next hour's :00 (an hour
 * of 10); the same after 1970 and before it (floor division)
 */
START_TEST(test_minute_peaks)
{
	static const struct { int minute, messages; } at[] = {
		{ 0, 3 }, { 5, 1 }, { 9, 2 }, { 31, 4 }, { 60, 1 },
	};
	const int64_t base = _i == 0 ? T0 - T0 % 3600 : -7200;
	struct classifier *cls = classifier_new();
	struct aggregator *agg = aggregator_new(cls);
	struct account_features f;
	struct message m;
	char	 qid[32];
	size_t	 i, k, n = 0;

	for (i = 0; i < sizeof(at) / sizeof(at[0]); i++)
		for (k = 0; k < (size_t)at[i].messages; k++) {
			snprintf(qid, sizeof(qid), "P%zu", n++);
			m = smtp_msg("relay1", qid, base + 60 * at[i].minute +
			    (int64_t)k, "192.0.2.1", "u", "u@example.org");
			add_rcpt(&m, "r@example.net", "smtp", DELIVERY_SENT,
			    NULL, 0);
			aggregator_add(agg, &m);
		}
	account_features(aggregator_find(agg, ACCOUNT_SASL, "u"), &f);
	ck_assert_uint_eq(f.messages, 11);
	ck_assert_uint_eq(f.peak_minute_messages, 4);
	ck_assert_uint_eq(f.peak_10min_messages, 6);
	ck_assert_uint_eq(f.peak_hour_messages, 10);
	aggregator_free(agg);
	classifier_free(cls);
	pool_free();
}
END_TEST

/*
 * test_days_active - the UTC days with a message, from a given day on:
 * messages in the first and last minute of one day count once, a day
 * before from_day not at all, and days before 1970 are whole days too
 */
START_TEST(test_days_active)
{
	static const int64_t times[] = {
		86400 * INT64_C(20000) + 60,
		86400 * INT64_C(20000) + 86399,
		86400 * INT64_C(20001) + 30,
		86400 * INT64_C(20003) + 7200,
		-86400 * 3 + 10,
		-1,
	};
	struct classifier *cls = classifier_new();
	struct aggregator *agg = aggregator_new(cls);
	const struct account *acct;
	struct message m;
	char	 qid[32];
	size_t	 i;

	for (i = 0; i < sizeof(times) / sizeof(times[0]); i++) {
		snprintf(qid, sizeof(qid), "D%zu", i);
		m = smtp_msg("relay1", qid, times[i], "192.0.2.1", "u",
		    "u@example.org");
		add_rcpt(&m, "r@example.net", "smtp", DELIVERY_SENT, NULL, 0);
		aggregator_add(agg, &m);
	}
	acct = aggregator_find(agg, ACCOUNT_SASL, "u");
	ck_assert_ptr_nonnull(acct);
	/* Days -3, -1, 20000, 20001 and 20003. */
	ck_assert_uint_eq(account_days_active(acct, INT64_MIN), 5);
	ck_assert_uint_eq(account_days_active(acct, -1), 4);
	ck_assert_uint_eq(account_days_active(acct, 0), 3);
	ck_assert_uint_eq(account_days_active(acct, 20001), 2);
	ck_assert_uint_eq(account_days_active(acct, 20004), 0);
	aggregator_free(agg);
	classifier_free(cls);
	pool_free();
}
END_TEST

/*
 * test_memory - a million distinct recipients at 5,000 domains and
 * 200,000 forged senders cost one account kilobytes, and the counts
 * stay within 2%.  Records are built in place: the aggregator copies
 * what it keeps.
 */
START_TEST(test_memory)
{
	enum { MESSAGES = 200000, RCPTS = 5, DOMAINS = 5000 };
	struct classifier *cls = classifier_new();
	struct aggregator *agg = aggregator_new(cls);
	struct recipient rcpts[RCPTS];
	char	 addr[RCPTS][64], sender[64], qid[32];
	char	 host[] = "relay1", ip[] = "192.0.2.66", sasl[] = "zombie";
	char	 transport[] = "smtp";
	const struct account *acct;
	struct account_features f;
	struct message m;
	size_t	 i, k, mem;

	memset(&m, 0, sizeof(m));
	memset(rcpts, 0, sizeof(rcpts));
	m.kind = RECORD_MESSAGE;
	m.origin = ORIGIN_SMTP;
	m.uid = -1;
	m.host = host;
	m.queue_id = qid;
	m.client_ip = ip;
	m.sasl_username = sasl;
	m.sender = sender;
	m.is_complete = true;
	m.recipients = rcpts;
	m.recipient_count = RCPTS;
	for (k = 0; k < RCPTS; k++) {
		rcpts[k].address = addr[k];
		rcpts[k].transport = transport;
		rcpts[k].status = DELIVERY_SENT;
	}
	for (i = 0; i < MESSAGES; i++) {
		snprintf(qid, sizeof(qid), "%zX", i);
		snprintf(sender, sizeof(sender), "x%zu@forged.example", i);
		for (k = 0; k < RCPTS; k++) {
			size_t	r = i * RCPTS + k;

			snprintf(addr[k], sizeof(addr[k]), "u%zu@d%zu.example",
			    r, r % DOMAINS);
		}
		m.first_sec = m.last_sec = T0 + (int64_t)i;
		aggregator_add(agg, &m);
	}
	acct = aggregator_find(agg, ACCOUNT_SASL, "zombie");
	ck_assert_ptr_nonnull(acct);
	account_features(acct, &f);
	ck_assert_uint_eq(f.messages, MESSAGES);
	ck_assert_uint_eq(f.recipients, MESSAGES * RCPTS);
	ck_assert_double_le(fabs((double)f.distinct_recipients - 1e6) / 1e6,
	    0.02);
	ck_assert_double_le(fabs((double)f.distinct_senders - MESSAGES) /
	    MESSAGES, 0.02);
	ck_assert_double_le(fabs((double)f.distinct_domains - DOMAINS) /
	    DOMAINS, 0.02);
	ck_assert_uint_eq(f.distinct_client_ips, 1);
	mem = account_memory(acct);
	ck_assert_msg(mem < 256 * 1024, "account holds %zu bytes", mem);
	/* Three sketches and two samples make up most of it. */
	ck_assert_uint_ge(mem, 3 * HLL_REGISTERS);
	ck_assert_uint_ge(aggregator_memory(agg), mem);
	ck_assert_msg(aggregator_memory(agg) < 256 * 1024,
	    "aggregator holds %zu bytes", aggregator_memory(agg));
	aggregator_free(agg);
	classifier_free(cls);
}
END_TEST

/* stats_sum - every record counter but records: must equal records */
static uint64_t
stats_sum(const struct aggregator_stats *s)
{
	return s->messages_attributed + s->messages_unattributed +
	    s->relay_bounces + s->inbound_local + s->rejects_attributed +
	    s->rejects_unattributed + s->auth_failures_attributed +
	    s->auth_failures_unattributed + s->records_dropped;
}

/* cap_feed - one message, refusal and failed login from sasl */
static void
cap_feed(struct aggregator *agg, const char *sasl, int64_t t)
{
	struct message m = smtp_msg("relay1", "Q1", t, "192.0.2.1", sasl,
	    "s@example.net");
	struct message r = record(RECORD_REJECT, t);
	struct message a = record(RECORD_AUTH_FAILURE, t);

	add_rcpt(&m, "r@example.org", "smtp", DELIVERY_SENT, NULL, 0);
	aggregator_add(agg, &m);
	r.sasl_username = S(sasl);
	aggregator_add(agg, &r);
	a.sasl_username = S(sasl);
	aggregator_add(agg, &a);
}

/*
 * test_account_cap - past max accounts, records of new accounts are
 * dropped and counted, known accounts still count, and merging obeys
 * the cap of the aggregator merged into
 */
START_TEST(test_account_cap)
{
	struct classifier *cls = classifier_new();
	struct aggregator *agg = aggregator_new(cls);
	struct aggregator *a = aggregator_new(cls), *b = aggregator_new(cls);
	struct aggregator *m;
	const struct aggregator_stats *st;
	const struct account *acct;
	struct account_features f;
	char	 name[32];
	int	 i;

	aggregator_set_max_accounts(agg, 3);
	for (i = 0; i < 10; i++) {
		snprintf(name, sizeof(name), "user%d", i);
		cap_feed(agg, name, T0 + i);
	}
	cap_feed(agg, "USER1", T0 + 20);	/* held: still counted */
	cap_feed(agg, "user9", T0 + 21);	/* dropped again */
	st = aggregator_stats(agg);
	ck_assert_uint_eq(aggregator_account_count(agg), 3);
	ck_assert_uint_eq(st->records, 36);
	ck_assert_uint_eq(st->records_dropped, 7 * 3 + 3);
	ck_assert_uint_eq(st->messages_attributed, 4);
	ck_assert_uint_eq(st->rejects_attributed, 4);
	ck_assert_uint_eq(st->auth_failures_attributed, 4);
	ck_assert_uint_eq(stats_sum(st), st->records);
	ck_assert_uint_eq(aggregator_accounts_dropped(agg), 7);
	acct = aggregator_find(agg, ACCOUNT_SASL, "user1");
	ck_assert_ptr_nonnull(acct);
	account_features(acct, &f);
	ck_assert_uint_eq(f.messages, 2);
	ck_assert_ptr_null(aggregator_find(agg, ACCOUNT_SASL, "user9"));

	/* Merging: a holds user0-1 and dropped user9; b, uncapped,
	   holds user2-4 and user9.  Into a cap of 3: user0-2 kept, the
	   rest dropped with all their records, user9 counted once. */
	aggregator_set_max_accounts(a, 2);
	for (i = 0; i < 2; i++) {
		snprintf(name, sizeof(name), "user%d", i);
		cap_feed(a, name, T0 + i);
	}
	cap_feed(a, "user9", T0 + 9);
	for (i = 2; i < 5; i++) {
		snprintf(name, sizeof(name), "user%d", i);
		cap_feed(b, name, T0 + i);
	}
	cap_feed(b, "user9", T0 + 9);
	m = aggregator_new(cls);
	aggregator_set_max_accounts(m, 3);
	aggregator_merge(m, a);
	ck_assert_uint_eq(aggregator_account_count(m), 2);
	aggregator_merge(m, b);
	st = aggregator_stats(m);
	ck_assert_uint_eq(aggregator_account_count(m), 3);
	ck_assert_uint_eq(st->records, 7 * 3);
	ck_assert_uint_eq(st->records_dropped, 4 * 3);
	ck_assert_uint_eq(st->messages_attributed, 3);
	ck_assert_uint_eq(st->rejects_attributed, 3);
	ck_assert_uint_eq(st->auth_failures_attributed, 3);
	ck_assert_uint_eq(stats_sum(st), st->records);
	ck_assert_uint_eq(aggregator_accounts_dropped(m), 3);
	ck_assert_ptr_nonnull(aggregator_find(m, ACCOUNT_SASL, "user0"));
	ck_assert_ptr_null(aggregator_find(m, ACCOUNT_SASL, "user9"));

	/* Without a cap on into, nothing is dropped but what was. */
	aggregator_free(m);
	m = aggregator_new(cls);
	aggregator_merge(m, a);
	aggregator_merge(m, b);
	st = aggregator_stats(m);
	ck_assert_uint_eq(aggregator_account_count(m), 6);
	ck_assert_uint_eq(st->records_dropped, 3);
	ck_assert_uint_eq(aggregator_accounts_dropped(m), 1);
	ck_assert_uint_eq(stats_sum(st), st->records);

	aggregator_free(m);
	aggregator_free(a);
	aggregator_free(b);
	aggregator_free(agg);
	classifier_free(cls);
	pool_free();
}
END_TEST

/* aggregator_suite - the suite */
static Suite *
aggregator_suite(void)
{
	Suite	*s = suite_create("aggregator");
	TCase	*tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_attribution, 0,
	    (int)(sizeof(attribution_cases) / sizeof(attribution_cases[0])));
	tcase_add_test(tc, test_sasl_case);
	tcase_add_test(tc, test_busiest);
	tcase_add_test(tc, test_features);
	tcase_add_test(tc, test_domain_edges);
	tcase_add_test(tc, test_behaviour_features);
	tcase_add_test(tc, test_helo_literals);
	tcase_add_test(tc, test_lower_every_byte);
	tcase_add_test(tc, test_json);
	tcase_add_test(tc, test_top_n);
	tcase_add_test(tc, test_top_n_many);
	tcase_add_test(tc, test_samples_earliest);
	tcase_add_test(tc, test_refusals_earliest);
	tcase_add_test(tc, test_remote_earliest);
	tcase_add_test(tc, test_samples_ties);
	tcase_add_test(tc, test_remote_classes);
	tcase_add_test(tc, test_class_cache);
	tcase_add_test(tc, test_local_hour);
	tcase_add_test(tc, test_hostile_values);
	tcase_add_test(tc, test_merge_property);
	tcase_add_test(tc, test_repeat_feed);
	tcase_add_test(tc, test_helo_repeat);
	tcase_add_test(tc, test_account_cap);
	suite_add_tcase(s, tc);

	tc = tcase_create("caps");
	tcase_set_timeout(tc, 300);
	tcase_add_loop_test(tc, test_cap_merge, 0,
	    (int)(sizeof(blasts) / sizeof(blasts[0])));
	tcase_add_test(tc, test_cap_boundary);
	tcase_add_test(tc, test_contacts_cap);
	tcase_add_test(tc, test_days_active);
	tcase_add_loop_test(tc, test_minute_peaks, 0, 2);
	tcase_add_test(tc, test_memory);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	/* Hours of the day are local: pin the zone whatever the caller
	   set. */
	setenv("TZ", "UTC", 1);
	tzset();
	return run_suite(aggregator_suite());
}
