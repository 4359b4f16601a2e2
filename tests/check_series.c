/*
 * check_series - the compact slot counters (util/series.h).
 *
 * Every series is checked against a plain reference: the adds it was
 * given, sorted and summed key by key.  Orders cover what logs do
 * (forward in time, a few late messages) and what they should not
 * (backwards, random), because the result may not depend on order.
 */
#include "config.h"

#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/series.h"
#include "tests/testutil.h"

struct add {
	uint64_t	key;
	uint64_t	delta;
};

/* add_cmp - qsort: by key */
static int
add_cmp(const void *a, const void *b)
{
	const struct add *x = a, *y = b;

	return x->key < y->key ? -1 : x->key > y->key;
}

/* sat - saturating sum, as the series adds */
static uint64_t
sat(uint64_t a, uint64_t b)
{
	return a + b < a ? UINT64_MAX : a + b;
}

/* reference - the adds sorted with equal keys summed; count in *n */
static struct add *
reference(const struct add *adds, size_t count, size_t *n)
{
	struct add *r = malloc((count > 0 ? count : 1) * sizeof(*r));
	size_t	 i, out = 0;

	ck_assert_ptr_nonnull(r);
	if (count > 0)
		memcpy(r, adds, count * sizeof(*r));
	qsort(r, count, sizeof(*r), add_cmp);
	for (i = 0; i < count; i++) {
		if (out > 0 && r[out - 1].key == r[i].key)
			r[out - 1].delta = sat(r[out - 1].delta, r[i].delta);
		else
			r[out++] = r[i];
	}
	*n = out;
	return r;
}

/* assert_matches - s holds exactly the reference of adds */
static void
assert_matches(const struct series *s, const struct add *adds,
    size_t count)
{
	struct series_iter it;
	struct add *r;
	uint64_t key, value, max = 0;
	size_t	 n, i = 0;

	r = reference(adds, count, &n);
	series_iter_init(&it, s);
	while (series_iter_next(&it, &key, &value)) {
		ck_assert_uint_lt(i, n);
		ck_assert_uint_eq(key, r[i].key);
		ck_assert_uint_eq(value, r[i].delta);
		if (value > max)
			max = value;
		i++;
	}
	series_iter_done(&it);
	ck_assert_uint_eq(i, n);
	ck_assert_uint_eq(series_count(s), n);
	ck_assert_uint_eq(series_max(s), max);
	free(r);
}

/* Ways to order a set of adds. */
enum order { FORWARD, BACKWARD, RANDOM, MOSTLY_FORWARD, ORDER_COUNT };

/* make_adds - count adds over about span keys from base, in order */
static struct add *
make_adds(size_t count, uint64_t base, uint64_t span, enum order order,
    uint64_t seed)
{
	struct add *a = malloc((count > 0 ? count : 1) * sizeof(*a));
	uint64_t st = seed;
	size_t	 i;

	ck_assert_ptr_nonnull(a);
	for (i = 0; i < count; i++) {
		a[i].key = base + splitmix64(&st) % span;
		a[i].delta = 1 + splitmix64(&st) % 4;
	}
	switch (order) {
	case FORWARD:
		qsort(a, count, sizeof(*a), add_cmp);
		break;
	case BACKWARD:
		qsort(a, count, sizeof(*a), add_cmp);
		for (i = 0; i < count / 2; i++) {
			struct add t = a[i];

			a[i] = a[count - 1 - i];
			a[count - 1 - i] = t;
		}
		break;
	case MOSTLY_FORWARD:
		/* Sorted, then one add in twenty moved a little later. */
		qsort(a, count, sizeof(*a), add_cmp);
		for (i = 0; i + 30 < count; i += 20) {
			struct add t = a[i];

			memmove(&a[i], &a[i + 1], 29 * sizeof(*a));
			a[i + 29] = t;
		}
		break;
	default:
		break;
	}
	return a;
}

START_TEST(test_series_empty)
{
	struct series *s = series_new();
	struct series_iter it;
	uint64_t key, value;

	ck_assert_uint_eq(series_count(s), 0);
	ck_assert_uint_eq(series_max(s), 0);
	series_iter_init(&it, s);
	ck_assert(!series_iter_next(&it, &key, &value));
	series_iter_done(&it);
	series_free(s);
	series_free(NULL);
}
END_TEST

static const size_t sizes[] = { 1, 2, 17, 300, 5000, 60000 };

/* Every order and size gives the reference. */
START_TEST(test_series_orders)
{
	size_t	 count = sizes[_i / ORDER_COUNT];
	enum order order = (enum order)(_i % ORDER_COUNT);
	struct add *a;
	struct series *s = series_new();
	size_t	 i;

	a = make_adds(count, (uint64_t)1 << 63, count + count / 3, order,
	    (uint64_t)_i + 1);
	for (i = 0; i < count; i++) {
		series_add(s, a[i].key, a[i].delta);
		/* Reading midway changes nothing. */
		if (i == count / 2)
			assert_matches(s, a, i + 1);
	}
	assert_matches(s, a, count);
	free(a);
	series_free(s);
}
END_TEST

/* Any split of the adds, merged, equals one series of them all. */
START_TEST(test_series_merge)
{
	enum order order = (enum order)(_i % ORDER_COUNT);
	size_t	 count = 20000, cut, i;
	struct series *x = series_new(), *y = series_new(), *z = series_new();
	struct add *a;
	uint64_t st = (uint64_t)_i * 77 + 5;

	a = make_adds(count, 1000, 9000, order, (uint64_t)_i + 100);
	for (i = 0; i < count; i++) {
		/* _i / 4: 0 by position, 1 interleaved at random. */
		if (_i / ORDER_COUNT == 0)
			cut = i < count / 3;
		else
			cut = splitmix64(&st) & 1;
		series_add(cut ? x : y, a[i].key, a[i].delta);
		series_add(z, a[i].key, a[i].delta);
	}
	series_merge(x, y);
	assert_matches(x, a, count);
	assert_matches(z, a, count);
	/* Merging an empty series, and into one, changes nothing else. */
	series_free(y);
	y = series_new();
	series_merge(x, y);
	assert_matches(x, a, count);
	series_merge(y, x);
	assert_matches(y, a, count);
	free(a);
	series_free(x);
	series_free(y);
	series_free(z);
}
END_TEST

/* The ends of the key range and saturating counters. */
START_TEST(test_series_extremes)
{
	struct series *s = series_new(), *t = series_new();
	struct add a[] = {
		{ UINT64_MAX, UINT64_MAX - 1 }, { 0, 3 }, { UINT64_MAX, 5 },
		{ 1, 1 }, { 0, UINT64_MAX }, { UINT64_MAX - 1, 2 },
	};
	size_t	 i;

	for (i = 0; i < sizeof(a) / sizeof(a[0]); i++)
		series_add(s, a[i].key, a[i].delta);
	assert_matches(s, a, sizeof(a) / sizeof(a[0]));
	ck_assert_uint_eq(series_max(s), UINT64_MAX);
	series_add(t, 0, 9);
	series_merge(t, s);
	ck_assert_uint_eq(series_count(t), 4);
	ck_assert_uint_eq(series_max(t), UINT64_MAX);
	series_free(s);
	series_free(t);
}
END_TEST

/* A busy sender's minutes cost a few bytes each, not a hash bucket. */
START_TEST(test_series_compact)
{
	struct series *s = series_new();
	uint64_t key = ((uint64_t)1 << 63) + 29000000, st = 3;
	size_t	 i, n = 36000;

	for (i = 0; i < n; i++) {
		/* Active minutes with small gaps, a few messages each. */
		key += 1 + splitmix64(&st) % 3;
		series_add(s, key, 1 + splitmix64(&st) % 20);
	}
	ck_assert_uint_eq(series_count(s), n);
	ck_assert_uint_lt(series_memory(s), 4 * n);
	series_free(s);
}
END_TEST

static Suite *
series_suite(void)
{
	Suite	*s = suite_create("series");
	TCase	*tc = tcase_create("series");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_series_empty);
	tcase_add_loop_test(tc, test_series_orders, 0,
	    (int)(sizeof(sizes) / sizeof(sizes[0])) * ORDER_COUNT);
	tcase_add_loop_test(tc, test_series_merge, 0, 2 * ORDER_COUNT);
	tcase_add_test(tc, test_series_extremes);
	tcase_add_test(tc, test_series_compact);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return run_suite(series_suite());
}
