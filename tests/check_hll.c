/*
 * check_hll - the HyperLogLog sketch (util/hll.h) and the exact-then-
 * sketched distinct counter (util/distinct.h).
 *
 * Inputs are seeded pseudo-random 64-bit values standing in for
 * fingerprints (and, once, real hash_fingerprint() results), so every
 * run sees the same numbers.  Accuracy is checked against the true
 * count; mergeability is checked as equality of the whole state, not
 * of the estimates.
 */
#include "config.h"

#include <check.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/distinct.h"
#include "util/hash.h"
#include "util/hll.h"
#include "tests/testutil.h"

/* fingerprint - a non-zero value, as hash_fingerprint() promises */
static uint64_t
fingerprint(uint64_t *state)
{
	uint64_t v = splitmix64(state);

	return v != 0 ? v : 1;
}

/* relative_error - |estimate - truth| / truth */
static double
relative_error(double estimate, double truth)
{
	return fabs(estimate - truth) / truth;
}

/* test_hll_empty - nothing added, nothing estimated */
START_TEST(test_hll_empty)
{
	struct hll *h = hll_new();
	size_t	 i;

	ck_assert(hll_estimate(h) == 0.0);
	for (i = 0; i < HLL_REGISTERS; i++)
		ck_assert_uint_eq(hll_registers(h)[i], 0);
	ck_assert_uint_ge(hll_memory(h), HLL_REGISTERS);
	ck_assert_uint_le(hll_memory(h), HLL_REGISTERS + 64);
	hll_free(h);
	hll_free(NULL);
}
END_TEST

/* Where single values land: top 14 bits index, rank of the rest. */
static const struct {
	uint64_t	value;
	size_t		index;
	uint8_t		rank;
} rank_cases[] = {
	{ 0, 0, HLL_MAX_RANK },			/* no bit set at all */
	{ 1, 0, 50 },				/* lowest rank bit */
	{ UINT64_C(1) << 49, 0, 1 },		/* highest rank bit */
	{ UINT64_C(1) << 48, 0, 2 },
	{ UINT64_MAX, HLL_REGISTERS - 1, 1 },
	{ UINT64_C(0xfffc000000000000), HLL_REGISTERS - 1, HLL_MAX_RANK },
	{ UINT64_C(5) << 50 | UINT64_C(1) << 40, 5, 10 },
	{ UINT64_C(0x8000000000000001), HLL_REGISTERS / 2, 50 },
};

/* test_hll_rank - one value sets one register to its rank */
START_TEST(test_hll_rank)
{
	struct hll *h = hll_new();
	size_t	 i;

	hll_add(h, rank_cases[_i].value);
	for (i = 0; i < HLL_REGISTERS; i++)
		ck_assert_uint_eq(hll_registers(h)[i],
		    i == rank_cases[_i].index ? rank_cases[_i].rank : 0);
	/* A smaller rank in the same register changes nothing. */
	hll_add(h, (uint64_t)rank_cases[_i].index << 50 |
	    UINT64_C(1) << 49);
	ck_assert_uint_eq(hll_registers(h)[rank_cases[_i].index],
	    rank_cases[_i].rank);
	hll_free(h);
}
END_TEST

/*
 * Accuracy: several seeds, checked at 10^4, 10^5 and 10^6 distinct
 * values.  The standard error is 0.81%, so 2% is about 2.5 of them.
 */
static const uint64_t error_seeds[] = {
	1, 0x5eed, 0xdeadbeefULL, 20240601, 0x0123456789abcdefULL
};

/* test_hll_error - within 2% at every checkpoint */
START_TEST(test_hll_error)
{
	static const uint64_t checkpoints[] = { 10000, 100000, 1000000 };
	struct hll *h = hll_new();
	uint64_t state = error_seeds[_i], n = 0;
	size_t	 c;
	double	 est, err;

	for (c = 0; c < sizeof(checkpoints) / sizeof(checkpoints[0]); c++) {
		while (n < checkpoints[c]) {
			hll_add(h, splitmix64(&state));
			n++;
		}
		est = hll_estimate(h);
		err = relative_error(est, (double)n);
		ck_assert_msg(err < 0.02, "seed %zu, n %llu: estimate %.0f, "
		    "error %.2f%%", (size_t)_i, (unsigned long long)n, est,
		    100.0 * err);
	}
	hll_free(h);
}
END_TEST

/* test_hll_small - few values are counted almost exactly */
START_TEST(test_hll_small)
{
	static const struct {
		uint64_t	n;
		double		tolerance;	/* absolute: 2% from 100 on */
	} cases[] = {
		{ 1, 0.01 }, { 2, 0.01 }, { 10, 0.05 }, { 100, 2.0 },
		{ 1000, 20.0 }, { 5000, 100.0 }
	};
	size_t	 c;

	for (c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		struct hll *h = hll_new();
		uint64_t state = 77 + c, i;
		double	 est;

		for (i = 0; i < cases[c].n; i++)
			hll_add(h, splitmix64(&state));
		est = hll_estimate(h);
		ck_assert_msg(fabs(est - (double)cases[c].n) <=
		    cases[c].tolerance, "n %llu: estimate %f",
		    (unsigned long long)cases[c].n, est);
		hll_free(h);
	}
}
END_TEST

/* set_register - add the value that lands rank r in register idx */
static void
set_register(struct hll *h, size_t idx, uint8_t r)
{
	uint64_t value = (uint64_t)idx << (64 - HLL_PRECISION);

	if (r < HLL_MAX_RANK)
		value |= UINT64_C(1) << (HLL_MAX_RANK - 1 - r);
	hll_add(h, value);
	ck_assert_uint_eq(hll_registers(h)[idx], r);
}

/*
 * test_hll_layout - the estimate depends on the histogram of register
 * values only: the same values spread out (most words of eight
 * registers all 0, which are counted at once), shuffled or packed at
 * the start give exactly the same estimate
 */
START_TEST(test_hll_layout)
{
	struct hll *spread = hll_new(), *shuffled = hll_new();
	struct hll *packed = hll_new();
	uint64_t state = 7;
	size_t	 i, n = 0;
	uint8_t	 r;

	for (i = 0; i < 1500; i++)
		hll_add(spread, fingerprint(&state));
	/* A few of every rank, the largest included. */
	for (r = 1; r <= HLL_MAX_RANK; r++)
		set_register(spread, (size_t)r * 97 + 5, r);
	for (i = 0; i < HLL_REGISTERS; i++) {
		r = hll_registers(spread)[i];
		if (r == 0)
			continue;
		set_register(shuffled, (i * 5 + 3) % HLL_REGISTERS, r);
		set_register(packed, n++, r);
	}
	ck_assert(hll_estimate(spread) > 1000.0);
	ck_assert(hll_estimate(shuffled) == hll_estimate(spread));
	ck_assert(hll_estimate(packed) == hll_estimate(spread));
	hll_free(spread);
	hll_free(shuffled);
	hll_free(packed);
}
END_TEST

/*
 * test_hll_saturated - registers near the top rank: the estimator's
 * tau term keeps the estimate finite and below the naive one, and a
 * fully saturated sketch has no finite estimate.
 */
START_TEST(test_hll_saturated)
{
	struct hll *h50 = hll_new(), *half = hll_new(), *h51 = hll_new();
	uint64_t i;
	double	 e50, ratio;

	for (i = 0; i < HLL_REGISTERS; i++) {
		hll_add(h50, i << 50 | 1);		/* rank 50 */
		hll_add(half, i << 50 | (i % 2));	/* 51 or 50 */
		hll_add(h51, i << 50);			/* rank 51 */
	}
	/* All at 50: alpha_inf m^2 / (m 2^-50) = alpha_inf m 2^50. */
	e50 = hll_estimate(h50);
	ck_assert_double_eq_tol(e50, 0.72134752044448170368 *
	    HLL_REGISTERS * ldexp(1.0, 50), e50 * 1e-12);
	/* Half at 51: tau(1/2) = 0.1499 makes it 1.5386 times, not 2. */
	ratio = hll_estimate(half) / e50;
	ck_assert_double_eq_tol(ratio, 1.5386284, 1e-6);
	ck_assert(isinf(hll_estimate(h51)));
	hll_free(h50);
	hll_free(half);
	hll_free(h51);
}
END_TEST

/* test_hll_fingerprints - real fingerprints of addresses work as well */
START_TEST(test_hll_fingerprints)
{
	struct hll *h = hll_new();
	char	 addr[64];
	int	 i, len;
	double	 err;

	for (i = 0; i < 200000; i++) {
		len = snprintf(addr, sizeof(addr), "user%d@example%d.com", i,
		    i % 97);
		hll_add(h, hash_fingerprint(addr, (size_t)len));
	}
	err = relative_error(hll_estimate(h), 200000.0);
	ck_assert_msg(err < 0.02, "error %.2f%%", 100.0 * err);
	hll_free(h);
}
END_TEST

/* registers_equal - the whole state, compared byte for byte */
static bool
registers_equal(const struct hll *a, const struct hll *b)
{
	return memcmp(hll_registers(a), hll_registers(b), HLL_REGISTERS) ==
	    0;
}

/*
 * test_hll_merge - the merge of the sketches of two halves is the
 * sketch of the whole; merge is commutative, idempotent and has the
 * empty sketch as identity; order and repeats do not matter.
 */
START_TEST(test_hll_merge)
{
	enum { N = 300000 };
	uint64_t *values = malloc(N * sizeof(*values));
	struct hll *whole = hll_new(), *rev = hll_new();
	struct hll *a = hll_new(), *b = hll_new(), *ab, *ba;
	struct hll *empty = hll_new();
	uint64_t state = 99;
	char	*text, *b_text;
	size_t	 i;

	ck_assert_ptr_nonnull(values);
	for (i = 0; i < N; i++)
		values[i] = splitmix64(&state);
	for (i = 0; i < N; i++)
		hll_add(whole, values[i]);
	/* Backwards, every value twice. */
	for (i = N; i > 0; i--) {
		hll_add(rev, values[i - 1]);
		hll_add(rev, values[(i * 7919) % N]);
	}
	ck_assert(registers_equal(whole, rev));
	ck_assert(hll_equal(whole, rev));

	/* Interleaved halves that overlap by a tenth. */
	for (i = 0; i < N; i++) {
		if (i % 2 == 0 || i % 10 == 1)
			hll_add(a, values[i]);
		if (i % 2 == 1 || i % 10 == 0)
			hll_add(b, values[i]);
	}
	ck_assert(!hll_equal(a, whole));
	ab = hll_decode(text = hll_encode(a), HLL_ENCODED_LEN);
	free(text);
	b_text = hll_encode(b);
	ba = hll_decode(b_text, HLL_ENCODED_LEN);
	ck_assert_ptr_nonnull(ab);
	ck_assert_ptr_nonnull(ba);
	hll_merge(ab, b);
	hll_merge(ba, a);
	ck_assert(registers_equal(ab, whole));
	ck_assert(registers_equal(ba, whole));
	ck_assert(hll_estimate(ab) == hll_estimate(whole));
	/* Idempotent, identity. */
	hll_merge(ab, whole);
	hll_merge(ab, empty);
	ck_assert(registers_equal(ab, whole));
	hll_merge(empty, whole);
	ck_assert(registers_equal(empty, whole));
	/* The source is left unchanged. */
	hll_merge(a, b);
	ck_assert(registers_equal(a, whole));
	text = hll_encode(b);
	ck_assert_str_eq(text, b_text);
	free(text);
	free(b_text);

	free(values);
	hll_free(whole);
	hll_free(rev);
	hll_free(a);
	hll_free(b);
	hll_free(ab);
	hll_free(ba);
	hll_free(empty);
}
END_TEST

/* test_hll_encode - canonical text, exact round trip, strict decode */
START_TEST(test_hll_encode)
{
	struct hll *h = hll_new(), *back;
	uint64_t state = 3;
	char	*text, *bad;
	size_t	 i;

	text = hll_encode(h);
	ck_assert_uint_eq(strlen(text), HLL_ENCODED_LEN);
	/* 16384 zero bytes: 5461 groups of "AAAA", then "AA==". */
	for (i = 0; i < HLL_ENCODED_LEN - 2; i++)
		ck_assert_int_eq(text[i], 'A');
	ck_assert_str_eq(text + HLL_ENCODED_LEN - 2, "==");
	free(text);

	for (i = 0; i < 50000; i++)
		hll_add(h, splitmix64(&state));
	hll_add(h, 0);			/* rank 51 in register 0 */
	hll_add(h, UINT64_C(0xfffc000000000000));	/* and the last */
	text = hll_encode(h);
	back = hll_decode(text, strlen(text));
	ck_assert_ptr_nonnull(back);
	ck_assert(registers_equal(h, back));
	hll_free(back);

	/* Wrong length, stray padding, bad alphabet, unused bits set. */
	ck_assert_ptr_null(hll_decode(text, strlen(text) - 1));
	ck_assert_ptr_null(hll_decode(NULL, 0));
	ck_assert_ptr_null(hll_decode("", 0));
	bad = strdup(text);
	ck_assert_ptr_nonnull(bad);
	bad[100] = '=';
	ck_assert_ptr_null(hll_decode(bad, HLL_ENCODED_LEN));
	memcpy(bad, text, HLL_ENCODED_LEN);
	bad[100] = '-';
	ck_assert_ptr_null(hll_decode(bad, HLL_ENCODED_LEN));
	memcpy(bad, text, HLL_ENCODED_LEN);
	bad[HLL_ENCODED_LEN - 1] = 'A';
	ck_assert_ptr_null(hll_decode(bad, HLL_ENCODED_LEN));
	memcpy(bad, text, HLL_ENCODED_LEN);
	bad[HLL_ENCODED_LEN - 3] = 'B';	/* a bit past the last byte */
	ck_assert_ptr_null(hll_decode(bad, HLL_ENCODED_LEN));
	memcpy(bad, text, HLL_ENCODED_LEN);
	bad[HLL_ENCODED_LEN - 3] = 'A';	/* still canonical */
	back = hll_decode(bad, HLL_ENCODED_LEN);
	ck_assert_ptr_nonnull(back);
	hll_free(back);
	/* "NAAA" is 0x34 0x00 0x00: register 0 at 52, above any rank. */
	memcpy(bad, "NAAA", 4);
	ck_assert_ptr_null(hll_decode(bad, HLL_ENCODED_LEN));
	/* "MwAA" is 0x33: 51, the largest rank, is fine. */
	memcpy(bad, "MwAA", 4);
	back = hll_decode(bad, HLL_ENCODED_LEN);
	ck_assert_ptr_nonnull(back);
	ck_assert_uint_eq(hll_registers(back)[0], HLL_MAX_RANK);
	hll_free(back);
	free(bad);
	free(text);
	hll_free(h);
}
END_TEST

/* test_distinct_exact - exact counts up to the limit, then a sketch */
START_TEST(test_distinct_exact)
{
	struct distinct *d = distinct_new();
	uint64_t state = 11, *fp, *list;
	size_t	 i, n;

	ck_assert_uint_eq(distinct_count(d), 0);
	ck_assert(distinct_is_exact(d));
	ck_assert_ptr_null(distinct_fingerprints(d, &n));
	ck_assert_uint_eq(n, 0);
	fp = calloc(DISTINCT_EXACT_MAX + 1, sizeof(*fp));
	ck_assert_ptr_nonnull(fp);
	for (i = 0; i <= DISTINCT_EXACT_MAX; i++)
		fp[i] = fingerprint(&state);
	for (i = 0; i < DISTINCT_EXACT_MAX; i++) {
		distinct_add(d, fp[i]);
		distinct_add(d, fp[i / 2]);	/* repeats count once */
		ck_assert_uint_eq(distinct_count(d), i + 1);
	}
	ck_assert(distinct_is_exact(d));
	ck_assert_ptr_null(distinct_sketch(d));
	list = distinct_fingerprints(d, &n);
	ck_assert_uint_eq(n, DISTINCT_EXACT_MAX);
	for (i = 1; i < n; i++)
		ck_assert_uint_lt(list[i - 1], list[i]);
	free(list);

	/* One more: a sketch of all of them; the count stays above the
	   limit. */
	distinct_add(d, fp[DISTINCT_EXACT_MAX]);
	ck_assert(!distinct_is_exact(d));
	ck_assert_ptr_nonnull(distinct_sketch(d));
	ck_assert_ptr_null(distinct_fingerprints(d, &n));
	ck_assert_uint_eq(n, 0);
	ck_assert_uint_ge(distinct_count(d), DISTINCT_EXACT_MAX + 1);
	ck_assert_double_le(relative_error((double)distinct_count(d),
	    DISTINCT_EXACT_MAX + 1.0), 0.02);
	/* Repeats still change nothing. */
	n = (size_t)distinct_count(d);
	for (i = 0; i <= DISTINCT_EXACT_MAX; i++)
		distinct_add(d, fp[i]);
	ck_assert_uint_eq(distinct_count(d), n);
	free(fp);
	distinct_free(d);
	distinct_free(NULL);
}
END_TEST

/* test_distinct_large - a million distinct fingerprints, within 2% */
START_TEST(test_distinct_large)
{
	struct distinct *d = distinct_new();
	uint64_t state = 0xabcdefULL;
	size_t	 i;

	for (i = 0; i < 1000000; i++)
		distinct_add(d, fingerprint(&state));
	ck_assert_double_le(relative_error((double)distinct_count(d), 1e6),
	    0.02);
	ck_assert_uint_le(distinct_memory(d), HLL_REGISTERS + 256);
	distinct_free(d);
}
END_TEST

/*
 * test_distinct_memory - the exact form never costs much more than the
 * 16 KiB sketch
 */
START_TEST(test_distinct_memory)
{
	struct distinct *d = distinct_new();
	uint64_t state = 5;
	size_t	 i, peak = 0;

	ck_assert_uint_le(distinct_memory(d), 64);
	for (i = 0; i < 3 * DISTINCT_EXACT_MAX; i++) {
		distinct_add(d, fingerprint(&state));
		if (distinct_memory(d) > peak)
			peak = distinct_memory(d);
	}
	ck_assert_uint_le(peak, HLL_REGISTERS + 512);
	ck_assert_uint_le(distinct_memory(d), HLL_REGISTERS + 256);
	distinct_free(d);
}
END_TEST

/*
 * Merge property cases: sizes of two parts, how many of their members
 * they share, and the seed.  Together they cover: neither part nor
 * the union past the limit; neither part past it but the union;
 * exactly at the limit; one part past it; both past it.
 */
static const struct {
	const char	*name;
	size_t		 a_only, b_only, shared;
} merge_cases[] = {
	{ "small", 300, 200, 50 },
	{ "empty side", 700, 0, 0 },
	{ "union at the limit", 500, 400, DISTINCT_EXACT_MAX - 900 },
	{ "union one past", 500, 400, DISTINCT_EXACT_MAX - 899 },
	{ "union past, parts not", 800, 800, 100 },
	{ "one part past", 1500, 100, 20 },
	{ "other part past", 10, 3000, 5 },
	{ "both past", 2000, 2500, 700 },
	{ "both past, all shared", 0, 0, 4000 },
};

/* feed - add every listed fingerprint, each twice, in the given order */
static void
feed(struct distinct *d, const uint64_t *fp, size_t n, bool backwards)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		size_t	j = backwards ? n - 1 - i : i;

		distinct_add(d, fp[j]);
		distinct_add(d, fp[(j * 31) % n]);
	}
}

/* copy_of - a fresh counter holding what d holds */
static struct distinct *
copy_of(const struct distinct *d)
{
	struct distinct *c = distinct_new();

	distinct_merge(c, d);
	return c;
}

/* test_distinct_merge - merged parts equal one pass, in any order */
START_TEST(test_distinct_merge)
{
	size_t	 na = merge_cases[_i].a_only + merge_cases[_i].shared;
	size_t	 nb = merge_cases[_i].b_only + merge_cases[_i].shared;
	size_t	 total = na + merge_cases[_i].b_only;
	uint64_t *all = calloc(total + 1, sizeof(*all));
	uint64_t *pa = calloc(na + 1, sizeof(*pa));
	uint64_t *pb = calloc(nb + 1, sizeof(*pb));
	uint64_t state = 1000 + (uint64_t)_i;
	struct distinct *whole = distinct_new(), *a = distinct_new();
	struct distinct *b = distinct_new(), *ab, *ba, *third[3];
	size_t	 i, ia = 0, ib = 0, k;
	uint64_t before;

	ck_assert_ptr_nonnull(all);
	ck_assert_ptr_nonnull(pa);
	ck_assert_ptr_nonnull(pb);
	/* a_only first, then shared, then b_only. */
	for (i = 0; i < total; i++) {
		all[i] = fingerprint(&state);
		if (i < na)
			pa[ia++] = all[i];
		if (i >= merge_cases[_i].a_only)
			pb[ib++] = all[i];
	}
	ck_assert_uint_eq(ia, na);
	ck_assert_uint_eq(ib, nb);
	feed(whole, all, total, false);
	feed(a, pa, na, true);
	feed(b, pb, nb, false);
	ck_assert_uint_eq(distinct_is_exact(whole),
	    total <= DISTINCT_EXACT_MAX);
	if (total <= DISTINCT_EXACT_MAX)
		ck_assert_uint_eq(distinct_count(whole), total);
	else
		ck_assert_double_le(relative_error(
		    (double)distinct_count(whole), (double)total), 0.02);

	ab = copy_of(a);
	ck_assert(distinct_equal(ab, a));
	distinct_merge(ab, b);
	ck_assert_msg(distinct_equal(ab, whole), "%s: merge(A, B) differs",
	    merge_cases[_i].name);
	ba = copy_of(b);
	distinct_merge(ba, a);
	ck_assert_msg(distinct_equal(ba, whole), "%s: merge(B, A) differs",
	    merge_cases[_i].name);
	ck_assert_uint_eq(distinct_count(ab), distinct_count(whole));
	/* Idempotent; b untouched by being merged from. */
	before = distinct_count(b);
	distinct_merge(ab, b);
	distinct_merge(ab, whole);
	ck_assert(distinct_equal(ab, whole));
	ck_assert_uint_eq(distinct_count(b), before);
	if (total > DISTINCT_EXACT_MAX)
		ck_assert(hll_equal(distinct_sketch(ab),
		    distinct_sketch(whole)));

	/* Three parts by residue, merged right to left. */
	for (k = 0; k < 3; k++)
		third[k] = distinct_new();
	for (i = 0; i < total; i++)
		distinct_add(third[(all[i] >> 7) % 3], all[i]);
	distinct_merge(third[1], third[2]);
	distinct_merge(third[0], third[1]);
	ck_assert_msg(distinct_equal(third[0], whole), "%s: 3-way differs",
	    merge_cases[_i].name);
	for (k = 0; k < 3; k++)
		distinct_free(third[k]);

	distinct_free(whole);
	distinct_free(a);
	distinct_free(b);
	distinct_free(ab);
	distinct_free(ba);
	free(all);
	free(pa);
	free(pb);
}
END_TEST

/* test_distinct_equal - different states are told apart */
START_TEST(test_distinct_equal)
{
	struct distinct *a = distinct_new(), *b = distinct_new();
	uint64_t state = 17;
	size_t	 i;

	ck_assert(distinct_equal(a, b));
	distinct_add(a, 42);
	ck_assert(!distinct_equal(a, b));
	distinct_add(b, 43);
	ck_assert(!distinct_equal(a, b));
	distinct_add(b, 42);
	distinct_add(a, 43);
	ck_assert(distinct_equal(a, b));
	for (i = 0; i < 2 * DISTINCT_EXACT_MAX; i++)
		distinct_add(a, fingerprint(&state));
	ck_assert(!distinct_equal(a, b));
	ck_assert(!distinct_equal(b, a));
	distinct_free(a);
	distinct_free(b);
}
END_TEST

/* hll_suite - the suite */
static Suite *
hll_suite(void)
{
	Suite	*s = suite_create("hll");
	TCase	*tc = tcase_create("hll");
	TCase	*td = tcase_create("distinct");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_hll_empty);
	tcase_add_loop_test(tc, test_hll_rank, 0,
	    (int)(sizeof(rank_cases) / sizeof(rank_cases[0])));
	tcase_add_loop_test(tc, test_hll_error, 0,
	    (int)(sizeof(error_seeds) / sizeof(error_seeds[0])));
	tcase_add_test(tc, test_hll_small);
	tcase_add_test(tc, test_hll_saturated);
	tcase_add_test(tc, test_hll_layout);
	tcase_add_test(tc, test_hll_fingerprints);
	tcase_add_test(tc, test_hll_merge);
	tcase_add_test(tc, test_hll_encode);
	suite_add_tcase(s, tc);

	tcase_set_timeout(td, 120);
	tcase_add_test(td, test_distinct_exact);
	tcase_add_test(td, test_distinct_large);
	tcase_add_test(td, test_distinct_memory);
	tcase_add_loop_test(td, test_distinct_merge, 0,
	    (int)(sizeof(merge_cases) / sizeof(merge_cases[0])));
	tcase_add_test(td, test_distinct_equal);
	suite_add_tcase(s, td);
	return s;
}

int
main(void)
{
	return run_suite(hll_suite());
}
