/*
 * check_fpcount - fingerprints seen once or more (util/fpcount.h).
 *
 * Every set is checked against a plain reference: a sorted array of
 * the members, each with the number of times it was counted.  The
 * fingerprints are random, or chosen to share their low or high bits
 * so that they pile up in one run of slots under a weak bucket choice.
 */
#include "config.h"

#include <check.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/fpcount.h"
#include "tests/testutil.h"

struct ref_member {
	uint64_t	 fp;
	uint64_t	 count;
};

static int
member_cmp(const void *a, const void *b)
{
	uint64_t x = ((const struct ref_member *)a)->fp;
	uint64_t y = ((const struct ref_member *)b)->fp;

	return x < y ? -1 : x > y;
}

/*
 * check_against - c holds exactly ref's n members (sorted), each
 * marked repeated when counted more than once, and each exactly once
 * in the iteration
 */
static void
check_against(const struct fpcount *c, struct ref_member *ref, size_t n)
{
	struct ref_member *got = calloc(n + 1, sizeof(*got)), *hit;
	size_t	 pos = 0, seen = 0, repeated = 0, i;
	uint64_t fp;
	bool	 rep;

	ck_assert_ptr_nonnull(got);
	for (i = 0; i < n; i++)
		if (ref[i].count > 1)
			repeated++;
	ck_assert_uint_eq(fpcount_count(c), n);
	ck_assert_uint_eq(fpcount_repeated(c), repeated);
	while (fpcount_next(c, &pos, &fp, &rep)) {
		ck_assert_uint_lt(seen, n);
		hit = bsearch(&(struct ref_member){ fp, 0 }, ref, n,
		    sizeof(*ref), member_cmp);
		ck_assert_msg(hit != NULL, "%016llx is not a member",
		    (unsigned long long)fp);
		ck_assert_int_eq(rep, hit->count > 1);
		got[seen].fp = fp;
		seen++;
	}
	ck_assert_uint_eq(seen, n);
	/* No member twice: the sorted iteration has n distinct values. */
	qsort(got, n, sizeof(*got), member_cmp);
	for (i = 1; i < n; i++)
		ck_assert(got[i - 1].fp != got[i].fp);
	ck_assert(!fpcount_next(c, &pos, NULL, NULL));
	free(got);
}

/* ref_add - count fp n more times in the reference (kept sorted) */
static void
ref_add(struct ref_member *ref, size_t *n, uint64_t fp, uint64_t times)
{
	size_t	lo = 0, hi = *n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (ref[mid].fp < fp)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < *n && ref[lo].fp == fp) {
		ref[lo].count += times;
		return;
	}
	memmove(&ref[lo + 1], &ref[lo], (*n - lo) * sizeof(*ref));
	ref[lo].fp = fp;
	ref[lo].count = times;
	(*n)++;
}

START_TEST(test_fpcount_empty)
{
	struct fpcount *c = fpcount_new();
	size_t	 pos = 0;

	ck_assert_uint_eq(fpcount_count(c), 0);
	ck_assert_uint_eq(fpcount_repeated(c), 0);
	ck_assert(!fpcount_next(c, &pos, NULL, NULL));
	ck_assert_uint_gt(fpcount_memory(c), 0);
	fpcount_free(c);
	fpcount_free(NULL);
}
END_TEST

/* Sizes around each doubling of the table (3, 6, 12, ... members). */
static const size_t sizes[] = {
	1, 2, 3, 4, 6, 7, 12, 13, 24, 25, 96, 97, 768, 769, 1024, 5000,
};

/* The three kinds of fingerprint the random test draws. */
static uint64_t
draw(uint64_t *state, int kind, size_t k)
{
	switch (kind) {
	case 0:
		return splitmix64(state) | 1;
	case 1:
		return (uint64_t)(k + 1) << 40;		/* low bits alike */
	default:
		return (uint64_t)k + 1;			/* high bits alike */
	}
}

/*
 * test_fpcount_random - members drawn with repeats, some counted
 * several times at once, checked against the reference at the end and
 * after each doubling
 */
START_TEST(test_fpcount_random)
{
	const size_t	 n = sizes[_i / 3];
	const int	 kind = _i % 3;
	struct ref_member *ref = calloc(n + 1, sizeof(*ref));
	struct fpcount	*c = fpcount_new();
	uint64_t	 state = 7 + (uint64_t)_i, *fps, times, fp;
	size_t		 refn = 0, k, step;
	bool		 added;

	fps = calloc(n, sizeof(*fps));
	ck_assert_ptr_nonnull(ref);
	ck_assert_ptr_nonnull(fps);
	for (k = 0; k < n; k++)
		fps[k] = draw(&state, kind, k);
	for (step = 0; step < 3 * n; step++) {
		/* First every member in turn, then any of them again. */
		fp = step < n ? fps[step] : fps[splitmix64(&state) % n];
		times = splitmix64(&state) % 5 == 0 ? 3 : 1;
		added = fpcount_add(c, fp, times);
		ck_assert_int_eq(added, step < n);
		ref_add(ref, &refn, fp, times);
		if (step < n && (refn & (refn - 1)) == 0)
			check_against(c, ref, refn);
	}
	check_against(c, ref, refn);
	free(fps);
	free(ref);
	fpcount_free(c);
}
END_TEST

/*
 * test_fpcount_merge - two sets merged member by member (a repeated
 * member of either, or a member of both, is repeated) hold what one set
 * counting both parts holds
 */
START_TEST(test_fpcount_merge)
{
	struct fpcount *a = fpcount_new(), *b = fpcount_new();
	struct fpcount *whole = fpcount_new();
	struct ref_member *ref = calloc(600, sizeof(*ref));
	uint64_t state = 99, fp;
	size_t	 k, pos = 0, refn = 0;
	bool	 rep;

	ck_assert_ptr_nonnull(ref);
	for (k = 0; k < 1000; k++) {
		fp = (splitmix64(&state) % 500) + 1;
		fpcount_add(k % 3 == 0 ? a : b, fp, 1);
		fpcount_add(whole, fp, 1);
		ref_add(ref, &refn, fp, 1);
	}
	while (fpcount_next(b, &pos, &fp, &rep))
		fpcount_add(a, fp, rep ? 2 : 1);
	check_against(a, ref, refn);
	check_against(whole, ref, refn);
	free(ref);
	fpcount_free(a);
	fpcount_free(b);
	fpcount_free(whole);
}
END_TEST

/*
 * test_fpcount_compact - a member costs at most 22 bytes (8 and a bit
 * per slot, at least 3/8 of the slots used), and 1,024 members fit in
 * 17 KB
 */
START_TEST(test_fpcount_compact)
{
	struct fpcount *c = fpcount_new();
	uint64_t state = 3;
	size_t	 k;

	for (k = 1; k <= 5000; k++) {
		fpcount_add(c, splitmix64(&state) | 1, 1);
		ck_assert_msg(fpcount_memory(c) <= 22 * k + 96,
		    "%zu members: %zu bytes", k, fpcount_memory(c));
		if (k == 1024)
			ck_assert_uint_le(fpcount_memory(c), 17 * 1024);
	}
	fpcount_free(c);
}
END_TEST

static Suite *
fpcount_suite(void)
{
	Suite	*s = suite_create("fpcount");
	TCase	*tc = tcase_create("fpcount");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_fpcount_empty);
	tcase_add_loop_test(tc, test_fpcount_random, 0,
	    3 * (int)(sizeof(sizes) / sizeof(sizes[0])));
	tcase_add_test(tc, test_fpcount_merge);
	tcase_add_test(tc, test_fpcount_compact);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return run_suite(fpcount_suite());
}
