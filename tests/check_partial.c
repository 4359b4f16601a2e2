/*
 * check_partial - partial aggregates (analysis/partial.h) and the
 * saving and loading under them: distinct counters and sketches
 * (util/distinct.h, util/hll.h), the aggregator (aggregator_save and
 * aggregator_load), carried events, and whole partial files.
 *
 * The properties: a loaded aggregate equals the saved one (canonical
 * dumps and saved bytes); merging the loaded aggregates of two halves
 * equals one pass, capped counter maps and sketches included; partial
 * runs of a relay's files, merged, give one pass's counters and
 * aggregate, a message split between the files included; damaged,
 * truncated and newer input is refused without a crash.
 */
#include "config.h"

#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analysis/aggregator.h"
#include "analysis/partial.h"
#include "analysis/pipeline.h"
#include "util/distinct.h"
#include "util/hash.h"
#include "util/hll.h"
#include "util/wire.h"
#include "tests/testutil.h"

/* dump - the canonical text of an aggregate; caller frees */
static char *
dump(const struct aggregator *agg)
{
	json_t	*j = aggregator_to_json(agg);
	char	*s = json_dumps(j, JSON_SORT_KEYS | JSON_COMPACT);

	json_decref(j);
	return s;
}

/* test_distinct_roundtrip - empty, exact and sketched counters */
START_TEST(test_distinct_roundtrip)
{
	static const size_t sizes[] = { 0, 1, 7, DISTINCT_EXACT_MAX,
	    DISTINCT_EXACT_MAX + 1, 3000, 100000 };
	struct wire_reader r;
	struct wire_buf	 b;
	struct distinct	*d, *back;
	uint64_t	 state = 42;
	size_t		 i, k;

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		d = distinct_new();
		for (k = 0; k < sizes[i]; k++)
			distinct_add(d, splitmix64(&state) | 1);
		wire_buf_init(&b);
		distinct_save(d, &b);
		wire_reader_init(&r, b.data, b.len);
		back = distinct_load(&r);
		ck_assert_ptr_nonnull(back);
		ck_assert(!r.failed);
		ck_assert_uint_eq(wire_remaining(&r), 0);
		ck_assert(distinct_equal(d, back));
		ck_assert_uint_eq(distinct_count(d), distinct_count(back));
		/* Truncated anywhere: refused. */
		for (k = 0; k < b.len; k += 1 + k / 16) {
			struct distinct *cut;

			wire_reader_init(&r, b.data, k);
			cut = distinct_load(&r);
			ck_assert_ptr_null(cut);
			ck_assert(r.failed);
		}
		distinct_free(back);
		distinct_free(d);
		wire_buf_free(&b);
	}
}
END_TEST

/* test_distinct_invalid - repeated, zero and too many fingerprints */
START_TEST(test_distinct_invalid)
{
	struct wire_reader r;
	struct wire_buf	 b;

	wire_buf_init(&b);
	wire_put_u8(&b, DISTINCT_SAVE_EXACT);
	wire_put_uvarint(&b, 2);
	wire_put_uvarint(&b, 5);
	wire_put_uvarint(&b, 0);	/* the same fingerprint again */
	wire_reader_init(&r, b.data, b.len);
	ck_assert_ptr_null(distinct_load(&r));
	wire_buf_free(&b);

	wire_put_u8(&b, DISTINCT_SAVE_EXACT);
	wire_put_uvarint(&b, DISTINCT_EXACT_MAX + 1);
	wire_reader_init(&r, b.data, b.len);
	ck_assert_ptr_null(distinct_load(&r));
	wire_buf_free(&b);

	wire_put_u8(&b, 9);		/* no such form */
	wire_reader_init(&r, b.data, b.len);
	ck_assert_ptr_null(distinct_load(&r));
	wire_buf_free(&b);

	/* A sketch register above the largest rank. */
	wire_put_u8(&b, DISTINCT_SAVE_SKETCH);
	wire_put_u8(&b, HLL_SAVE_SPARSE);
	wire_put_uvarint(&b, 1);
	wire_put_uvarint(&b, 3);
	wire_put_u8(&b, HLL_MAX_RANK + 1);
	wire_reader_init(&r, b.data, b.len);
	ck_assert_ptr_null(distinct_load(&r));
	wire_buf_free(&b);

	/* Sparse indices must ascend. */
	wire_put_u8(&b, HLL_SAVE_SPARSE);
	wire_put_uvarint(&b, 2);
	wire_put_uvarint(&b, 3);
	wire_put_u8(&b, 1);
	wire_put_uvarint(&b, 0);
	wire_put_u8(&b, 1);
	wire_reader_init(&r, b.data, b.len);
	ck_assert_ptr_null(hll_load(&r));
	wire_buf_free(&b);
}
END_TEST

/* test_hll_dense - a full sketch saves densely and loads equal */
START_TEST(test_hll_dense)
{
	struct hll	*h = hll_new(), *back;
	struct wire_reader r;
	struct wire_buf	 b;
	uint64_t	 state = 7;
	size_t		 i;

	for (i = 0; i < 200000; i++)
		hll_add(h, splitmix64(&state));
	wire_buf_init(&b);
	hll_save(h, &b);
	ck_assert_uint_eq(b.data[0], HLL_SAVE_DENSE);
	ck_assert_uint_eq(b.len, 1 + HLL_REGISTERS);
	wire_reader_init(&r, b.data, b.len);
	back = hll_load(&r);
	ck_assert_ptr_nonnull(back);
	ck_assert(hll_equal(h, back));
	hll_free(back);
	hll_free(h);
	wire_buf_free(&b);
}
END_TEST

/*
 * Synthetic messages: account i % accounts, many distinct recipients,
 * domains and senders, so that counter maps pass their cap and
 * recipient sets become sketches.
 */
#define SYN_MESSAGES	3000

struct syn {
	char		 qid[32], sender[64], user[64], ip[32];
	char		 rcpt[2][64];
	struct recipient rcpts[2];
	struct message	 msg;
};

/* syn_make - message i */
static void
syn_make(struct syn *s, size_t i)
{
	memset(s, 0, sizeof(*s));
	snprintf(s->qid, sizeof(s->qid), "Q%06zu", i);
	snprintf(s->sender, sizeof(s->sender), "s%zu@forged%zu.example",
	    i, i % 1500);
	snprintf(s->user, sizeof(s->user), "user%zu@isp.example", i % 3);
	snprintf(s->ip, sizeof(s->ip), "10.0.%zu.%zu", i % 7, i % 200);
	snprintf(s->rcpt[0], sizeof(s->rcpt[0]), "r%zu@d%zu.example", i,
	    i % 1300);
	snprintf(s->rcpt[1], sizeof(s->rcpt[1]), "x%zu@isp.example", i % 5);
	s->rcpts[0].address = s->rcpt[0];
	s->rcpts[0].transport = (char *)"smtp";
	s->rcpts[0].status = i % 4 == 0 ? DELIVERY_BOUNCED : DELIVERY_SENT;
	/* Refusals as unknown users, and for a blocklisting and as spam
	   (kept as evidence, with the deferrals for the rate below). */
	s->rcpts[0].response = (char *)(i % 4 != 0 ? "250 OK" :
	    i % 12 == 0 ? "554 5.7.1 Client host [192.0.2.1] blocked using "
	    "zen.spamhaus.org" : i % 12 == 4 ? "550 5.7.1 Message rejected "
	    "as spam" : "550 5.1.1 User unknown");
	s->rcpts[1].address = s->rcpt[1];
	s->rcpts[1].transport = (char *)"smtp";
	s->rcpts[1].status = i % 9 == 0 ? DELIVERY_DEFERRED : DELIVERY_SENT;
	s->rcpts[1].response = (char *)(i % 9 == 0 ? "421 4.7.0 [TSS04] "
	    "Messages from 192.0.2.1 temporarily deferred due to unexpected "
	    "volume or user complaints" : "250 OK");
	s->msg.kind = i % 50 == 7 ? RECORD_REJECT : RECORD_MESSAGE;
	s->msg.origin = ORIGIN_SMTP;
	s->msg.host = (char *)"relay1";
	s->msg.queue_id = s->msg.kind == RECORD_MESSAGE ? s->qid : NULL;
	s->msg.client_ip = s->ip;
	s->msg.helo = (char *)"pc";
	s->msg.sasl_username = i % 11 == 0 ? NULL : s->user;
	s->msg.sender = s->sender;
	s->msg.message_id = i % 2 ? s->qid : NULL;
	s->msg.uid = -1;
	s->msg.size_bytes = 1000 + i;
	s->msg.first_sec = 1795564800 + (int64_t)i * 37;
	s->msg.last_sec = s->msg.first_sec + 5;
	s->rcpts[0].time_sec = s->msg.last_sec;
	s->rcpts[1].time_sec = s->msg.last_sec - (int64_t)(i % 3);
	s->msg.recipients = s->rcpts;
	s->msg.recipient_count = s->msg.kind == RECORD_MESSAGE ? 2 : 0;
	s->msg.is_complete = i % 13 != 0;
}

/* syn_fill - messages [from, to) into agg */
static void
syn_fill(struct aggregator *agg, size_t from, size_t to)
{
	struct syn s;
	size_t	 i;

	for (i = from; i < to; i++) {
		syn_make(&s, i);
		aggregator_add(agg, &s.msg);
	}
}

/* load_all - the aggregate, its refusals, remote rejections and
   occurrence samples, as saved by save_all */
static bool
load_all(struct aggregator *agg, struct wire_reader *r)
{
	return aggregator_load(agg, r, false, true) &&
	    aggregator_load_refusals(agg, r, true) &&
	    aggregator_load_remote(agg, r) &&
	    aggregator_load_uses(agg, r);
}

/* save_all - the aggregate, its refusals, remote rejections and
   occurrence samples */
static void
save_all(const struct aggregator *agg, struct wire_buf *b)
{
	aggregator_save(agg, b);
	aggregator_save_refusals(agg, b);
	aggregator_save_remote(agg, b);
	aggregator_save_uses(agg, b);
}

/*
 * save_load - a copy of agg through save_all() and load_all()
 */
static struct aggregator *
save_load(const struct aggregator *agg, const struct classifier *cls,
    struct wire_buf *b)
{
	struct aggregator *back = aggregator_new(cls);
	struct wire_reader r;

	wire_buf_init(b);
	save_all(agg, b);
	wire_reader_init(&r, b->data, b->len);
	ck_assert(load_all(back, &r));
	ck_assert_uint_eq(wire_remaining(&r), 0);
	return back;
}

/* test_aggregator_roundtrip - equal dumps, equal bytes again */
START_TEST(test_aggregator_roundtrip)
{
	struct classifier *cls = classifier_new();
	struct aggregator *agg = aggregator_new(cls), *back;
	struct wire_buf	 b, again;
	char		*d1, *d2;

	syn_fill(agg, 0, SYN_MESSAGES);
	back = save_load(agg, cls, &b);
	ck_assert_ptr_nonnull(strstr(d1 = dump(agg),
	    "\"remote_rejection_samples\":[{"));
	ck_assert_ptr_nonnull(strstr(d1, "\"sender_uses\":[["));
	ck_assert_ptr_nonnull(strstr(d1, "\"domain_uses\":[["));
	free(d1);
	d1 = dump(agg);
	d2 = dump(back);
	ck_assert_str_eq(d1, d2);
	wire_buf_init(&again);
	save_all(back, &again);
	ck_assert_uint_eq(b.len, again.len);
	ck_assert(memcmp(b.data, again.data, b.len) == 0);
	free(d1);
	free(d2);
	wire_buf_free(&b);
	wire_buf_free(&again);
	aggregator_free(back);
	aggregator_free(agg);
	classifier_free(cls);
}
END_TEST

/* test_aggregator_halves - loaded halves merged equal one pass */
START_TEST(test_aggregator_halves)
{
	static const size_t cuts[] = { 0, 1, 1000, 2222, SYN_MESSAGES };
	struct classifier *cls = classifier_new();
	struct aggregator *one = aggregator_new(cls), *a, *b, *la, *lb, *m;
	struct wire_buf	 ba, bb;
	char		*d1, *d2;
	size_t		 cut = cuts[_i];

	syn_fill(one, 0, SYN_MESSAGES);
	a = aggregator_new(cls);
	b = aggregator_new(cls);
	syn_fill(a, 0, cut);
	syn_fill(b, cut, SYN_MESSAGES);
	la = save_load(a, cls, &ba);
	lb = save_load(b, cls, &bb);
	m = aggregator_new(cls);
	aggregator_merge(m, lb);	/* any order */
	aggregator_merge(m, la);
	d1 = dump(one);
	d2 = dump(m);
	ck_assert_str_eq(d1, d2);
	ck_assert(memcmp(aggregator_stats(one), aggregator_stats(m),
	    sizeof(struct aggregator_stats)) == 0);
	free(d1);
	free(d2);
	wire_buf_free(&ba);
	wire_buf_free(&bb);
	aggregator_free(one);
	aggregator_free(a);
	aggregator_free(b);
	aggregator_free(la);
	aggregator_free(lb);
	aggregator_free(m);
	classifier_free(cls);
}
END_TEST

/* test_aggregator_damaged - every cut and many changed bytes: no crash,
   cuts always refused */
START_TEST(test_aggregator_damaged)
{
	struct classifier *cls = classifier_new();
	struct aggregator *agg = aggregator_new(cls), *back;
	struct wire_reader r;
	struct wire_buf	 b;
	unsigned char	*copy;
	uint64_t	 state = 99;
	size_t		 cut, i;

	syn_fill(agg, 0, 200);
	back = save_load(agg, cls, &b);
	aggregator_free(back);
	for (cut = 0; cut < b.len; cut += 1 + cut / 64) {
		copy = malloc(cut > 0 ? cut : 1);
		memcpy(copy, b.data, cut);
		back = aggregator_new(cls);
		wire_reader_init(&r, copy, cut);
		ck_assert(!load_all(back, &r));
		aggregator_free(back);
		free(copy);
	}
	copy = malloc(b.len);
	for (i = 0; i < 2000; i++) {
		memcpy(copy, b.data, b.len);
		copy[splitmix64(&state) % b.len] ^=
		    (unsigned char)(1 + splitmix64(&state) % 255);
		back = aggregator_new(cls);
		wire_reader_init(&r, copy, b.len);
		(void)load_all(back, &r);
		aggregator_free(back);
	}
	free(copy);
	/* A claimed account count far beyond the input. */
	wire_buf_free(&b);
	wire_put_uvarint(&b, 99999);
	wire_reader_init(&r, b.data, b.len);
	back = aggregator_new(cls);
	ck_assert(!aggregator_load(back, &r, false, true));
	aggregator_free(back);
	wire_buf_free(&b);
	aggregator_free(agg);
	classifier_free(cls);
}
END_TEST

/*
 * remote_loads - whether agg's aggregate and refusals, then one remote
 * rejection record for the SASL account user (class, outcome, given
 * once or twice), load
 */
static bool
remote_loads(const struct aggregator *agg, const struct classifier *cls,
    const char *user, uint8_t class, uint8_t outcome, unsigned copies)
{
	struct aggregator *back = aggregator_new(cls);
	struct wire_reader r;
	struct wire_buf	 b;
	unsigned	 k, j;
	bool		 ok;

	wire_buf_init(&b);
	aggregator_save(agg, &b);
	aggregator_save_refusals(agg, &b);
	wire_put_uvarint(&b, 1);		/* one account */
	wire_put_u8(&b, ACCOUNT_SASL);
	wire_put_str(&b, user);
	wire_put_uvarint(&b, copies);
	for (k = 0; k < copies; k++) {
		wire_put_svarint(&b, 1795564800 + k);	/* ascending */
		wire_put_u8(&b, class);
		wire_put_u8(&b, outcome);
		for (j = 0; j < 6; j++)
			wire_put_str(&b, j == 0 ? "relay1" : "");
	}
	wire_put_uvarint(&b, 0);		/* no occurrence samples */
	wire_reader_init(&r, b.data, b.len);
	ok = load_all(back, &r) && wire_remaining(&r) == 0;
	aggregator_free(back);
	wire_buf_free(&b);
	return ok;
}

/* One sampled use, as put_uses() writes it. */
struct use_rec {
	uint64_t	 rank;
	const char	*key;
};

/*
 * uses_loads - whether agg's aggregate, refusals and remote rejections,
 * then for the SASL account user the sampled uses of its client
 * address and recipient domain maps (none) and of its sender map
 * (n of them), load
 */
static bool
uses_loads(const struct aggregator *agg, const struct classifier *cls,
    const char *user, const struct use_rec *use, size_t n)
{
	struct aggregator *back = aggregator_new(cls);
	struct wire_reader r;
	struct wire_buf	 b;
	size_t		 k;
	bool		 ok;

	wire_buf_init(&b);
	aggregator_save(agg, &b);
	aggregator_save_refusals(agg, &b);
	aggregator_save_remote(agg, &b);
	wire_put_uvarint(&b, 1);		/* one account */
	wire_put_u8(&b, ACCOUNT_SASL);
	wire_put_str(&b, user);
	wire_put_uvarint(&b, 0);		/* client addresses */
	wire_put_uvarint(&b, n);		/* senders */
	for (k = 0; k < n; k++) {
		wire_put_uvarint(&b, use[k].rank);
		wire_put_str(&b, use[k].key);
	}
	wire_put_uvarint(&b, 0);		/* domains */
	wire_reader_init(&r, b.data, b.len);
	ok = load_all(back, &r) && wire_remaining(&r) == 0;
	aggregator_free(back);
	wire_buf_free(&b);
	return ok;
}

/*
 * test_use_records - sampled uses load only as the aggregator could
 * have kept them: ranks below the sampling limit and ascending with
 * their keys, each adding at least one and no more than the account
 * counted, and at least one use for an account listed
 */
START_TEST(test_use_records)
{
	static const struct use_rec good[] = {
		{ 5, "a@isp.example" }, { 5, "b@isp.example" },
		{ 90, "a@isp.example" },
	};
	static const struct use_rec swapped[] = {
		{ 90, "a@isp.example" }, { 5, "a@isp.example" },
	};
	static const struct use_rec twice[] = {
		{ 5, "a@isp.example" }, { 5, "a@isp.example" },
	};
	static const struct use_rec high[] = {
		{ UINT64_C(1) << 58, "a@isp.example" },
	};
	static const struct use_rec zero_rank[] = { { 0, "a" } };
	static const struct use_rec empty[] = { { 7, "" } };
	static struct use_rec many[300];
	struct account_features f;
	size_t	 i;
	struct classifier *cls = classifier_new();
	struct aggregator *agg = aggregator_new(cls);

	syn_fill(agg, 0, 200);
	ck_assert(uses_loads(agg, cls, "user1@isp.example", good, 3));
	ck_assert(!uses_loads(agg, cls, "user1@isp.example", good, 0));
	ck_assert(!uses_loads(agg, cls, "user1@isp.example", swapped, 2));
	ck_assert(!uses_loads(agg, cls, "user1@isp.example", twice, 2));
	ck_assert(!uses_loads(agg, cls, "user1@isp.example", high, 1));
	ck_assert(!uses_loads(agg, cls, "user1@isp.example", zero_rank, 1));
	ck_assert(!uses_loads(agg, cls, "user1@isp.example", empty, 1));
	/* No more than the account's messages, nor than the sample
	   holds. */
	for (i = 0; i < 300; i++) {
		many[i].rank = i + 1;
		many[i].key = "a@isp.example";
	}
	account_features(aggregator_find(agg, ACCOUNT_SASL,
	    "user1@isp.example"), &f);
	ck_assert_uint_lt(f.messages, 256);
	ck_assert(uses_loads(agg, cls, "user1@isp.example", many,
	    (size_t)f.messages));
	ck_assert(!uses_loads(agg, cls, "user1@isp.example", many,
	    (size_t)f.messages + 1));
	ck_assert(!uses_loads(agg, cls, "user1@isp.example", many, 300));
	ck_assert(!uses_loads(agg, cls, "nobody@isp.example", good, 3));
	aggregator_free(agg);
	classifier_free(cls);
}
END_TEST

/*
 * test_remote_records - a remote rejection record loads only as one
 * the aggregator could have kept: a kept class, a failure's outcome,
 * no more of a class than it keeps or the account counted
 */
START_TEST(test_remote_records)
{
	struct classifier *cls = classifier_new();
	struct aggregator *agg = aggregator_new(cls);

	/* user1's first recipients are refused as spam (syn_make) at
	   least twice; user2's never. */
	syn_fill(agg, 0, 200);
	ck_assert(remote_loads(agg, cls, "user1@isp.example",
	    RESPONSE_SPAM, DELIVERY_BOUNCED, 1));
	ck_assert(remote_loads(agg, cls, "user1@isp.example",
	    RESPONSE_SPAM, DELIVERY_EXPIRED, 2));
	ck_assert(!remote_loads(agg, cls, "user1@isp.example",
	    RESPONSE_SPAM, DELIVERY_BOUNCED, 3));
	ck_assert(!remote_loads(agg, cls, "user1@isp.example",
	    RESPONSE_SPAM, DELIVERY_SENT, 1));
	ck_assert(!remote_loads(agg, cls, "user1@isp.example",
	    RESPONSE_SPAM, DELIVERY_OTHER + 1, 1));
	ck_assert(!remote_loads(agg, cls, "user1@isp.example",
	    RESPONSE_UNKNOWN_USER, DELIVERY_BOUNCED, 1));
	ck_assert(!remote_loads(agg, cls, "user1@isp.example",
	    RESPONSE_CLASS_COUNT, DELIVERY_BOUNCED, 1));
	ck_assert(!remote_loads(agg, cls, "user2@isp.example",
	    RESPONSE_SPAM, DELIVERY_BOUNCED, 1));
	ck_assert(!remote_loads(agg, cls, "nobody@isp.example",
	    RESPONSE_SPAM, DELIVERY_BOUNCED, 1));
	aggregator_free(agg);
	classifier_free(cls);
}
END_TEST

/*
 * test_same_message_twice - a message counted twice (a log named
 * twice) is one sample, and the aggregate saves and loads
 */
START_TEST(test_same_message_twice)
{
	struct classifier *cls = classifier_new();
	struct aggregator *agg = aggregator_new(cls), *back;
	struct account_sample s[ACCOUNT_MAX_SAMPLES];
	struct wire_buf	 b;
	struct syn	 syn;
	char		*d1, *d2;

	syn_make(&syn, 1);
	aggregator_add(agg, &syn.msg);
	aggregator_add(agg, &syn.msg);
	ck_assert_uint_eq(account_samples(aggregator_find(agg, ACCOUNT_SASL,
	    "user1@isp.example"), s, ACCOUNT_MAX_SAMPLES), 1);
	back = save_load(agg, cls, &b);
	d1 = dump(agg);
	d2 = dump(back);
	ck_assert_str_eq(d1, d2);
	free(d1);
	free(d2);
	wire_buf_free(&b);
	aggregator_free(back);
	aggregator_free(agg);
	classifier_free(cls);
}
END_TEST

/* fp_cmp - ascending fingerprints */
static int
fp_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * spliced_loads - whether the saved aggregate b loads with the bytes
 * [at, at + len) replaced by those of with
 */
static bool
spliced_loads(const struct wire_buf *b, size_t at, size_t len,
    const struct wire_buf *with, const struct classifier *cls)
{
	struct aggregator *back = aggregator_new(cls);
	struct wire_reader r;
	struct wire_buf	 x;
	bool		 ok;

	wire_buf_init(&x);
	wire_put_raw(&x, b->data, at);
	wire_put_raw(&x, with->data, with->len);
	wire_put_raw(&x, b->data + at + len, b->len - at - len);
	wire_reader_init(&r, x.data, x.len);
	ok = load_all(back, &r) && wire_remaining(&r) == 0;
	aggregator_free(back);
	wire_buf_free(&x);
	return ok;
}

/*
 * test_contacts_encoding - user1's recipients are saved as the form,
 * their number and ascending (fingerprint gap, repeated) pairs
 * (doc/partial-format.md); the same bytes with a fingerprint twice, a
 * flag of 2, an unknown form or a capped form whose counter is exact
 * are refused
 */
START_TEST(test_contacts_encoding)
{
	static const char *const addrs[3] = {
		"r1@d1.example", "x1@isp.example", "r16@d16.example",
	};
	struct classifier *cls = classifier_new();
	struct aggregator *agg = aggregator_new(cls), *back;
	struct wire_buf	 b, enc, bad;
	struct syn	 syn;
	uint64_t	 fps[3], prev = 0;
	size_t		 i, at = SIZE_MAX;

	/* Messages 1 and 16: user1 mails x1@isp.example twice. */
	syn_make(&syn, 1);
	aggregator_add(agg, &syn.msg);
	syn_make(&syn, 16);
	aggregator_add(agg, &syn.msg);
	for (i = 0; i < 3; i++)
		fps[i] = hash_fingerprint(addrs[i], strlen(addrs[i]));
	qsort(fps, 3, sizeof(fps[0]), fp_cmp);
	wire_buf_init(&enc);
	wire_put_u8(&enc, 0);
	wire_put_uvarint(&enc, 3);
	for (i = 0; i < 3; i++) {
		wire_put_uvarint(&enc, fps[i] - prev);
		wire_put_u8(&enc, fps[i] == hash_fingerprint(addrs[1],
		    strlen(addrs[1])));
		prev = fps[i];
	}
	back = save_load(agg, cls, &b);
	aggregator_free(back);
	for (i = 0; i + enc.len <= b.len; i++)
		if (memcmp(b.data + i, enc.data, enc.len) == 0) {
			ck_assert_msg(at == SIZE_MAX, "found twice");
			at = i;
		}
	ck_assert_msg(at != SIZE_MAX, "user1's recipients not found");
	ck_assert(spliced_loads(&b, at, enc.len, &enc, cls));

	/* The third fingerprint made equal to the second: a gap of 0. */
	wire_buf_init(&bad);
	wire_put_u8(&bad, 0);
	wire_put_uvarint(&bad, 3);
	wire_put_uvarint(&bad, fps[0]);
	wire_put_u8(&bad, 0);
	wire_put_uvarint(&bad, fps[1] - fps[0]);
	wire_put_u8(&bad, 0);
	wire_put_uvarint(&bad, 0);
	wire_put_u8(&bad, 0);
	ck_assert(!spliced_loads(&b, at, enc.len, &bad, cls));
	/* A flag of 2. */
	bad.len = 0;
	wire_put_raw(&bad, enc.data, enc.len);
	bad.data[bad.len - 1] = 2;
	ck_assert(!spliced_loads(&b, at, enc.len, &bad, cls));
	/* An unknown form. */
	bad.data[bad.len - 1] = enc.data[enc.len - 1];
	bad.data[0] = 2;
	ck_assert(!spliced_loads(&b, at, enc.len, &bad, cls));
	/* Capped, with an exact counter of the three and no sample. */
	bad.len = 0;
	wire_put_u8(&bad, 1);
	wire_put_u8(&bad, 1);
	wire_put_uvarint(&bad, 3);
	for (i = 0, prev = 0; i < 3; i++) {
		wire_put_uvarint(&bad, fps[i] - prev);
		prev = fps[i];
	}
	wire_put_uvarint(&bad, 0);
	ck_assert(!spliced_loads(&b, at, enc.len, &bad, cls));

	wire_buf_free(&bad);
	wire_buf_free(&enc);
	wire_buf_free(&b);
	aggregator_free(agg);
	classifier_free(cls);
}
END_TEST

/* test_event_roundtrip - every field, set, empty and unset strings */
START_TEST(test_event_roundtrip)
{
	struct mta_event ev, back;
	struct wire_reader r;
	struct wire_buf	 b;

	event_init(&ev);
	ev.kind = EV_DELIVERY;
	ev.mta = MTA_SENDMAIL;
	ev.time_sec = -5;
	ev.time_usec = 999999;
	ev.host = zstr_make("relay1", 6);
	ev.pid = 4242;
	ev.queue_id = zstr_make("ABC", 3);
	ev.sender = zstr_make("", 0);
	ev.response = zstr_make("250 OK", 6);
	ev.status = DELIVERY_EXPIRED;
	ev.reject_origin = REJECT_MILTER;
	ev.notice = NOTICE_DELAY;
	ev.size_bytes = UINT64_MAX;
	ev.nrcpt = 3;
	ev.uid = 33;
	wire_buf_init(&b);
	partial_event_put(&b, &ev);
	wire_reader_init(&r, b.data, b.len);
	ck_assert(partial_event_get(&r, &back));
	ck_assert_uint_eq(wire_remaining(&r), 0);
	ck_assert_int_eq(back.kind, ev.kind);
	ck_assert_int_eq(back.mta, ev.mta);
	ck_assert_int_eq(back.time_sec, -5);
	ck_assert_uint_eq(back.time_usec, 999999);
	ck_assert_int_eq(back.pid, 4242);
	ck_assert(zstr_is_set(back.sender) && back.sender.len == 0);
	ck_assert(!zstr_is_set(back.recipient));
	ck_assert(back.response.len == 6 &&
	    memcmp(back.response.ptr, "250 OK", 6) == 0);
	ck_assert_int_eq(back.status, DELIVERY_EXPIRED);
	ck_assert_int_eq(back.reject_origin, REJECT_MILTER);
	ck_assert_int_eq(back.notice, NOTICE_DELAY);
	ck_assert_uint_eq(back.size_bytes, UINT64_MAX);
	ck_assert_int_eq(back.uid, 33);
	/* An unknown event kind is refused. */
	b.data[0] = EV_KIND_COUNT;
	wire_reader_init(&r, b.data, b.len);
	ck_assert(!partial_event_get(&r, &back));
	wire_buf_free(&b);
}
END_TEST

/* The partial-file tests: log files in a temporary directory. */
static char	 dir[64];

/* write_log - a file in dir; returns its path (static buffer per slot) */
static char *
write_log(const char *name, const char *text)
{
	char	*path = malloc(128);
	FILE	*f;

	snprintf(path, 128, "%s/%s", dir, name);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	ck_assert_int_eq(fclose(f), 0);
	return path;
}

#define MSG(t, qid, user, rcpt)						\
	"Nov 25 " t " relay1 postfix/submission/smtpd[10]: " qid	\
	": client=pc[10.0.0.1], sasl_method=PLAIN, sasl_username=" user	\
	"\n"								\
	"Nov 25 " t " relay1 postfix/qmgr[11]: " qid ": from=<" user	\
	">, size=100, nrcpt=1 (queue active)\n"				\
	"Nov 25 " t " relay1 postfix/smtp[12]: " qid ": to=<" rcpt	\
	">, relay=mx[192.0.2.1]:25, delay=1, delays=0/0/0/1, "		\
	"dsn=2.0.0, status=sent (250 OK)\n"				\
	"Nov 25 " t " relay1 postfix/qmgr[11]: " qid ": removed\n"

/* Part one ends inside AAAAA1, part two holds its other lines and a
   line of a message begun before both (unknown origin). */
static const char part1[] =
	MSG("10:00:00", "AAAAA0", "ann@isp.example", "x@a.example")
	"Nov 25 10:00:05 relay1 postfix/submission/smtpd[10]: AAAAA1: "
	"client=pc[10.0.0.1], sasl_method=PLAIN, "
	"sasl_username=ann@isp.example\n"
	"Nov 25 10:00:06 relay1 postfix/qmgr[11]: AAAAA1: "
	"from=<ann@isp.example>, size=100, nrcpt=2 (queue active)\n";
static const char part2[] =
	"Nov 25 10:00:07 relay1 postfix/smtp[12]: AAAAA1: "
	"to=<w@d.example>, relay=mx[192.0.2.1]:25, delay=1, "
	"delays=0/0/0/1, dsn=5.1.1, status=bounced (550 no such user)\n"
	"Nov 25 10:00:08 relay1 postfix/smtp[12]: AAAAA1: "
	"to=<v@e.example>, relay=mx[192.0.2.1]:25, delay=1, "
	"delays=0/0/0/1, dsn=2.0.0, status=sent (250 OK)\n"
	"Nov 25 10:00:08 relay1 postfix/qmgr[11]: AAAAA1: removed\n"
	"Nov 25 10:00:09 relay1 postfix/qmgr[11]: CCCCC3: removed\n"
	MSG("11:00:00", "BBBBB2", "bob@isp.example", "y@b.example")
	"Nov 25 11:00:01 relay1 postfix/submission/smtpd[10]: DDDDD4: "
	"client=pc[10.0.0.1], sasl_method=PLAIN, "
	"sasl_username=cy@isp.example\n";

/* run_pipeline - paths through the pipeline */
static void
run_pipeline(char **paths, size_t n, bool keep_open,
    const struct classifier *cls, struct pipeline_result *res)
{
	struct pipeline_options opts = {
		.source = { .year = 2026 },
		.jobs = 1,
		.keep_open = keep_open,
	};

	pipeline_run(paths, n, &opts, cls, res);
}

/* two_parts - two logs in a new dir, and the paths of their partials */
static void
two_parts(const char *text1, const char *text2, char *paths[2],
    char *zsp[2])
{
	strcpy(dir, "/tmp/zs-check-partial-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	paths[0] = write_log("part1.log", text1);
	paths[1] = write_log("part2.log", text2);
	zsp[0] = malloc(128);
	zsp[1] = malloc(128);
	snprintf(zsp[0], 128, "%s/a.zsp", dir);
	snprintf(zsp[1], 128, "%s/b.zsp", dir);
}

/* two_parts_free - remove and free what two_parts() made */
static void
two_parts_free(char *paths[2], char *zsp[2])
{
	size_t	i;

	for (i = 0; i < 2; i++) {
		unlink(paths[i]);
		unlink(zsp[i]);
		free(paths[i]);
		free(zsp[i]);
	}
	rmdir(dir);
}

/*
 * save_and_merge - save the partials of pa and pb to zsp, merge them
 * into *merged, and check that its aggregate is one's
 */
static void
save_and_merge(struct pipeline_result *one, struct pipeline_result *pa,
    struct pipeline_result *pb, char *zsp[2], const struct classifier *cls,
    struct pipeline_result *merged, struct partial_merge **m)
{
	struct correlator_options copts;
	char	 err[512], *d1, *d2;

	ck_assert(partial_save(zsp[0], pa, NULL, err, sizeof(err)));
	ck_assert(partial_save(zsp[1], pb, NULL, err, sizeof(err)));
	memset(&copts, 0, sizeof(copts));
	ck_assert_int_eq(partial_merge(zsp, 2, &copts, cls, 0, merged, m,
	    err, sizeof(err)), PARTIAL_OK);
	d1 = dump(one->aggregator);
	d2 = dump(merged->aggregator);
	ck_assert_str_eq(d1, d2);
	free(d1);
	free(d2);
}

/* test_partial_files - partials of two parts merge to one pass */
START_TEST(test_partial_files)
{
	struct classifier *cls = classifier_new();
	struct pipeline_result one, pa, pb, merged;
	struct partial_merge *m;
	struct correlator_options copts;
	const struct account *ann;
	struct account_features f;
	char		*paths[2], *zsp[2], err[512];

	two_parts(part1, part2, paths, zsp);

	run_pipeline(paths, 2, false, cls, &one);
	run_pipeline(paths, 1, true, cls, &pa);
	run_pipeline(paths + 1, 1, true, cls, &pb);
	/* AAAAA1 and DDDDD4 are open at the end of part one and two. */
	ck_assert_uint_gt(carry_event_count(pa.carry), 0);
	save_and_merge(&one, &pa, &pb, zsp, cls, &merged, &m);
	ann = aggregator_find(merged.aggregator, ACCOUNT_SASL,
	    "ann@isp.example");
	ck_assert_ptr_nonnull(ann);
	account_features(ann, &f);
	ck_assert_uint_eq(f.messages, 2);	/* AAAAA1 counted once */
	ck_assert_uint_eq(f.bounced, 1);
	ck_assert_uint_eq(merged.correlation.messages_complete,
	    one.correlation.messages_complete);
	ck_assert_uint_eq(merged.correlation.messages_incomplete,
	    one.correlation.messages_incomplete);
	ck_assert_uint_eq(merged.correlation.orphan_events,
	    one.correlation.orphan_events);
	ck_assert_uint_eq(merged.total.lines_read, one.total.lines_read);
	ck_assert_uint_eq(merged.file_count, 2);
	ck_assert_str_eq(merged.files[1].name, paths[1]);
	ck_assert(memcmp(aggregator_stats(one.aggregator),
	    aggregator_stats(merged.aggregator),
	    sizeof(struct aggregator_stats)) == 0);
	pipeline_result_free(&merged);
	partial_merge_free(m);

	/* The other order breaks the time order of relay1. */
	{
		char *rev[2] = { zsp[1], zsp[0] };

		memset(&copts, 0, sizeof(copts));
		ck_assert_int_eq(partial_merge(rev, 2, &copts, cls, 0,
		    &merged, &m, err, sizeof(err)), PARTIAL_ORDER);
		ck_assert(strstr(err, "relay1") != NULL);
		pipeline_result_free(&merged);
		partial_merge_free(m);
	}

	pipeline_result_free(&one);
	pipeline_result_free(&pa);
	pipeline_result_free(&pb);
	two_parts_free(paths, zsp);
	classifier_free(cls);
}
END_TEST

/* read_all - a whole file; caller frees */
static unsigned char *
read_all(const char *path, size_t *len)
{
	FILE	*f = fopen(path, "rb");
	unsigned char *data = malloc(1 << 20);

	ck_assert_ptr_nonnull(f);
	*len = fread(data, 1, 1 << 20, f);
	fclose(f);
	return data;
}

/* reseal - the CRC-32 at the end of a partial file made right again */
static void
reseal(unsigned char *data, size_t len)
{
	uint32_t crc = wire_crc32(data, len - 4);
	size_t	 i;

	for (i = 0; i < 4; i++)
		data[len - 4 + i] = (unsigned char)(crc >> (8 * i));
}

#define REJECT(t)							\
	"Nov 25 " t " relay1 postfix/submission/smtpd[10]: NOQUEUE: "	\
	"reject: RCPT from pc[10.0.0.1]: 554 5.7.1 <v@x.example>: "	\
	"Relay access denied; from=<ann@isp.example> "			\
	"to=<v@x.example> proto=ESMTP helo=<pc>\n"

/* The session of smtpd 10 logs in at 10:00 and refuses every 40
   minutes; its refusal after the split still takes the login, and one
   after a quiet hour does not. */
static const char sess1[] =
	"Nov 25 10:00:00 relay1 postfix/submission/smtpd[10]: connect "
	"from pc[10.0.0.1]\n"
	MSG("10:00:01", "EEEEE5", "ann@isp.example", "x@a.example")
	REJECT("10:40:00")
	REJECT("11:20:00")
	"Nov 25 11:30:00 relay1 postfix/smtpd[20]: connect from "
	"other[10.0.0.2]\n";
static const char sess2[] =
	REJECT("12:00:00")
	"Nov 25 13:30:00 relay1 postfix/smtpd[20]: disconnect from "
	"other[10.0.0.2]\n"
	REJECT("13:30:01");

/* test_partial_sessions - a login holds across the split point */
START_TEST(test_partial_sessions)
{
	struct classifier *cls = classifier_new();
	struct pipeline_result one, pa, pb, merged;
	struct partial_merge *m;
	const struct account *ann, *ip;
	struct account_features f;
	char		*paths[2], *zsp[2], err[512];
	unsigned char	*data, v;
	size_t		 len;

	two_parts(sess1, sess2, paths, zsp);

	run_pipeline(paths, 2, false, cls, &one);
	ann = aggregator_find(one.aggregator, ACCOUNT_SASL,
	    "ann@isp.example");
	ck_assert_ptr_nonnull(ann);
	account_features(ann, &f);
	ck_assert_uint_eq(f.local_rejections, 3);
	ip = aggregator_find(one.aggregator, ACCOUNT_IP, "10.0.0.1");
	ck_assert_ptr_nonnull(ip);
	account_features(ip, &f);
	ck_assert_uint_eq(f.local_rejections, 1);

	run_pipeline(paths, 1, true, cls, &pa);
	run_pipeline(paths + 1, 1, true, cls, &pb);
	/* Part two cannot tell whether its first refusal meets a login;
	   its last one is over an hour after any session it could. */
	ck_assert_uint_eq(carry_event_count(pb.carry), 1);
	save_and_merge(&one, &pa, &pb, zsp, cls, &merged, &m);
	pipeline_result_free(&merged);
	partial_merge_free(m);

	/* Version 1 had no session records, version 2 no closed ones,
	   version 3 no refusals, version 4 eight correlation counters,
	   version 5 recipients as addresses, version 6 samples and
	   refusals without the client's address, version 7 no remote
	   rejections: a file that calls itself any of them and has more,
	   or other recipients, is refused, and so is a file of version 8
	   or 9 (no occurrence samples) with them.  Version 8 differs from
	   9 only in a value its events never hold (REJECT_DISCARD). */
	data = read_all(zsp[0], &len);
	ck_assert_uint_gt(len, PARTIAL_MAGIC_LEN + 8);
	for (v = 7; v <= 9; v++) {
		data[PARTIAL_MAGIC_LEN] = v;
		reseal(data, len);
		ck_assert_int_eq(partial_check(data, len, cls, err,
		    sizeof(err)), PARTIAL_CORRUPT);
		ck_assert_msg(strstr(err, "section") != NULL, "%s", err);
	}
	/* Without its (empty) last section, the occurrence samples, it
	   is a file of version 8 or 9. */
	ck_assert_uint_eq(data[len - 8], 11);	/* SECTION_USES */
	ck_assert_uint_eq(data[len - 7], 1);	/* length */
	ck_assert_uint_eq(data[len - 6], 0);	/* no account */
	ck_assert_uint_eq(data[len - 5], 0);	/* SECTION_END */
	memmove(data + len - 8, data + len - 5, 5);
	len -= 3;
	for (v = 8; v <= 9; v++) {
		data[PARTIAL_MAGIC_LEN] = v;
		reseal(data, len);
		ck_assert_int_eq(partial_check(data, len, cls, err,
		    sizeof(err)), PARTIAL_OK);
	}
	data[PARTIAL_MAGIC_LEN] = 7;
	reseal(data, len);
	ck_assert_int_eq(partial_check(data, len, cls, err, sizeof(err)),
	    PARTIAL_CORRUPT);
	ck_assert_msg(strstr(err, "section") != NULL, "%s", err);
	/* Without the remote rejections too, the file is refused for
	   what each older version lacks. */
	ck_assert_uint_eq(data[len - 8], 10);	/* SECTION_REMOTE */
	ck_assert_uint_eq(data[len - 7], 1);	/* length */
	ck_assert_uint_eq(data[len - 6], 0);	/* no account */
	ck_assert_uint_eq(data[len - 5], 0);	/* SECTION_END */
	memmove(data + len - 8, data + len - 5, 5);
	len -= 3;
	for (v = 1; v < 7; v++) {
		data[PARTIAL_MAGIC_LEN] = v;
		reseal(data, len);
		ck_assert_int_eq(partial_check(data, len, cls, err,
		    sizeof(err)), PARTIAL_CORRUPT);
		ck_assert_msg(strstr(err, v < 4 ? "section" : v < 5 ?
		    "correlation counters" : "aggregate") != NULL,
		    "version %u: %s", v, err);
	}
	free(data);

	pipeline_result_free(&one);
	pipeline_result_free(&pa);
	pipeline_result_free(&pb);
	two_parts_free(paths, zsp);
	classifier_free(cls);
}
END_TEST

/* test_partial_check - truncated, changed, newer, not a partial */
START_TEST(test_partial_check)
{
	struct classifier *cls = classifier_new();
	struct pipeline_result pa;
	unsigned char	*data, *copy;
	char		*paths[1], zsp[128], err[512];
	size_t		 len, cut, i;
	uint64_t	 state = 5;

	strcpy(dir, "/tmp/zs-check-partial-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	paths[0] = write_log("part1.log", part1);
	snprintf(zsp, sizeof(zsp), "%s/a.zsp", dir);
	run_pipeline(paths, 1, true, cls, &pa);
	ck_assert(partial_save(zsp, &pa, NULL, err, sizeof(err)));
	pipeline_result_free(&pa);
	data = read_all(zsp, &len);
	ck_assert(memcmp(data, PARTIAL_MAGIC, PARTIAL_MAGIC_LEN) == 0);
	ck_assert_int_eq(partial_check(data, len, cls, err, sizeof(err)),
	    PARTIAL_OK);

	for (cut = 0; cut < len; cut++) {
		copy = malloc(cut > 0 ? cut : 1);
		memcpy(copy, data, cut);
		ck_assert_int_eq(partial_check(copy, cut, cls, err,
		    sizeof(err)), PARTIAL_CORRUPT);
		free(copy);
	}
	copy = malloc(len);
	for (i = 0; i < 500; i++) {
		memcpy(copy, data, len);
		copy[PARTIAL_MAGIC_LEN + 1 + splitmix64(&state) %
		    (len - PARTIAL_MAGIC_LEN - 1)] ^= 0x10;
		ck_assert_int_eq(partial_check(copy, len, cls, err,
		    sizeof(err)), PARTIAL_CORRUPT);
	}
	memcpy(copy, data, len);
	copy[PARTIAL_MAGIC_LEN] = PARTIAL_VERSION + 1;
	ck_assert_int_eq(partial_check(copy, len, cls, err, sizeof(err)),
	    PARTIAL_NEWER);
	ck_assert(strstr(err, "newer") != NULL);
	copy[0] = 'X';
	ck_assert_int_eq(partial_check(copy, len, cls, err, sizeof(err)),
	    PARTIAL_CORRUPT);
	ck_assert(strstr(err, "not a zombiescan partial") != NULL);
	free(copy);
	free(data);
	unlink(zsp);
	unlink(paths[0]);
	free(paths[0]);
	rmdir(dir);
	classifier_free(cls);
}
END_TEST

static Suite *
partial_suite(void)
{
	Suite	*s = suite_create("partial");
	TCase	*tc = tcase_create("saved");
	TCase	*tf = tcase_create("files");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_distinct_roundtrip);
	tcase_add_test(tc, test_distinct_invalid);
	tcase_add_test(tc, test_hll_dense);
	tcase_add_test(tc, test_aggregator_roundtrip);
	tcase_add_loop_test(tc, test_aggregator_halves, 0, 5);
	tcase_add_test(tc, test_aggregator_damaged);
	tcase_add_test(tc, test_contacts_encoding);
	tcase_add_test(tc, test_remote_records);
	tcase_add_test(tc, test_use_records);
	tcase_add_test(tc, test_same_message_twice);
	tcase_add_test(tc, test_event_roundtrip);
	suite_add_tcase(s, tc);
	tcase_set_timeout(tf, 120);
	tcase_add_test(tf, test_partial_files);
	tcase_add_test(tf, test_partial_sessions);
	tcase_add_test(tf, test_partial_check);
	suite_add_tcase(s, tf);
	return s;
}

int
main(void)
{
	return run_suite(partial_suite());
}
