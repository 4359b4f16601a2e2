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
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "analysis/aggregator.h"
#include "analysis/classify.h"

#define T0	INT64_C(1700000000)	/* 2023-11-14 22:13:20 UTC */
#define MAX_RCPTS	8

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
		pool_cap = pool_cap > 0 ? pool_cap * 2 : 256;
		pool = realloc(pool, pool_cap * sizeof(*pool));
		ck_assert_ptr_nonnull(pool);
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
	fp = json_object_get(a, "recipient_fingerprints");
	ck_assert_uint_eq(json_array_size(fp), 6);
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
	} replies[] = {
		{ "host gmail-smtp-in.l.google.com[192.0.2.30] said: "
		  "550-5.7.1 [192.0.2.1] Our system has detected that this "
		  "550-5.7.1 message is likely unsolicited mail.",
		  DELIVERY_BOUNCED, RESPONSE_SPAM },
		{ "host mx.example.com[192.0.2.31] said: 550 5.7.1 "
		  "Unfortunately, messages from [192.0.2.1] weren't sent. "
		  "(S3140)", DELIVERY_BOUNCED, RESPONSE_BLOCKLIST },
		{ "host mta5.am0.yahoodns.net[192.0.2.32] said: 421 4.7.0 "
		  "[TSS04] Messages from 192.0.2.1 temporarily deferred due "
		  "to unexpected volume or user complaints",
		  DELIVERY_DEFERRED, RESPONSE_RATE_LIMIT },
		{ "host mx.example.com[192.0.2.31] said: 550 5.7.26 "
		  "Unauthenticated email is not accepted due to the "
		  "domain's DMARC policy", DELIVERY_EXPIRED,
		  RESPONSE_REPUTATION },
		{ "host mx.example.com[192.0.2.31] said: 550 5.1.1 User "
		  "unknown", DELIVERY_BOUNCED, RESPONSE_UNKNOWN_USER },
		{ "connect to mx.example.com[192.0.2.31]:25: Connection "
		  "refused", DELIVERY_DEFERRED, RESPONSE_NONE },
		/* Delivered: not a rejection, whatever the text. */
		{ "250 2.0.0 Ok: queued, no spam here", DELIVERY_SENT,
		  RESPONSE_CLASS_COUNT },
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
		    replies[i].response, 0);
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
	const char *old = getenv("TZ");
	char	*saved = old != NULL ? strdup(old) : NULL;

	/* Nepal, UTC+5:45: 22:13:20 UTC is 03:58:20, and two minutes
	   later, within the same UTC hour, it is 04:00:20. */
	setenv("TZ", "NPT-5:45", 1);
	tzset();
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
	if (saved != NULL)
		setenv("TZ", saved, 1);
	else
		unsetenv("TZ");
	free(saved);
	tzset();
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
		}
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
		if (pick(&st, 3) != 0) {
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
	tcase_add_test(tc, test_features);
	tcase_add_test(tc, test_json);
	tcase_add_test(tc, test_top_n);
	tcase_add_test(tc, test_samples_earliest);
	tcase_add_test(tc, test_samples_ties);
	tcase_add_test(tc, test_remote_classes);
	tcase_add_test(tc, test_class_cache);
	tcase_add_test(tc, test_local_hour);
	tcase_add_test(tc, test_hostile_values);
	tcase_add_test(tc, test_merge_property);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr;
	int	 failed;

	/* Hours of the day are local: pin the zone whatever the caller
	   set. */
	setenv("TZ", "UTC", 1);
	tzset();
	sr = srunner_create(aggregator_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
