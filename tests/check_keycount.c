/*
 * check_keycount - exact counts by byte-string key (util/keycount.h).
 *
 * Every map is checked against a plain reference: the distinct keys in
 * the order they first came, each with the sum of what was added to
 * it, found by a linear search.  Keys are short and long, empty, hold
 * NUL and high bytes, and differ in a single byte.
 */
#include "config.h"

#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/keycount.h"
#include "tests/testutil.h"

struct ref_key {
	char		*bytes;
	size_t		 len;
	uint64_t	 count;
};

struct ref {
	struct ref_key	*keys;
	size_t		 n, cap;
};

/* ref_add - the reference's add; true when the key was new */
static bool
ref_add(struct ref *r, const char *key, size_t len, uint64_t n)
{
	size_t	i;

	for (i = 0; i < r->n; i++)
		if (r->keys[i].len == len &&
		    memcmp(r->keys[i].bytes, key, len) == 0) {
			r->keys[i].count += n;
			return false;
		}
	if (r->n == r->cap) {
		r->cap = r->cap > 0 ? 2 * r->cap : 16;
		r->keys = realloc(r->keys, r->cap * sizeof(*r->keys));
		ck_assert_ptr_nonnull(r->keys);
	}
	r->keys[r->n].bytes = malloc(len > 0 ? len : 1);
	ck_assert_ptr_nonnull(r->keys[r->n].bytes);
	memcpy(r->keys[r->n].bytes, key, len);
	r->keys[r->n].len = len;
	r->keys[r->n].count = n;
	r->n++;
	return true;
}

/* ref_free - free the reference */
static void
ref_free(struct ref *r)
{
	size_t	i;

	for (i = 0; i < r->n; i++)
		free(r->keys[i].bytes);
	free(r->keys);
}

/* same - the map holds exactly the reference, in its order */
static void
same(const struct keycount *kc, const struct ref *r)
{
	const char *key;
	size_t	 pos = 0, len, i = 0;
	uint64_t count;

	ck_assert_uint_eq(keycount_count(kc), r->n);
	while (keycount_next(kc, &pos, &key, &len, &count)) {
		ck_assert_uint_lt(i, r->n);
		ck_assert_uint_eq(len, r->keys[i].len);
		ck_assert(memcmp(key, r->keys[i].bytes, len) == 0);
		ck_assert_int_eq(key[len], '\0');
		ck_assert_uint_eq(count, r->keys[i].count);
		ck_assert_uint_eq(keycount_get(kc, r->keys[i].bytes,
		    r->keys[i].len), r->keys[i].count);
		i++;
	}
	ck_assert_uint_eq(i, r->n);
	/* Finished iterations stay finished. */
	ck_assert(!keycount_next(kc, &pos, NULL, NULL, NULL));
}

START_TEST(test_keycount_empty)
{
	struct keycount *kc = keycount_new();
	size_t	 pos = 0;

	ck_assert_uint_eq(keycount_count(kc), 0);
	ck_assert(!keycount_next(kc, &pos, NULL, NULL, NULL));
	ck_assert_uint_eq(keycount_get(kc, "a", 1), 0);
	ck_assert_uint_eq(keycount_get(kc, "", 0), 0);
	ck_assert_uint_gt(keycount_memory(kc), 0);
	keycount_free(kc);
	keycount_free(NULL);
}
END_TEST

START_TEST(test_keycount_odd_keys)
{
	static const char nul_a[] = { 'a', '\0', 'b' };
	static const char nul_b[] = { 'a', '\0', 'c' };
	struct keycount *kc = keycount_new();
	struct ref	 r = { 0 };
	char		*long_key = malloc(70000);
	size_t		 i;

	ck_assert_ptr_nonnull(long_key);
	for (i = 0; i < 70000; i++)
		long_key[i] = (char)('a' + i % 26);
	/* The empty key is a key like any other. */
	ck_assert(keycount_add(kc, "", 0, 3) == ref_add(&r, "", 0, 3));
	ck_assert(keycount_add(kc, nul_a, 3, 1) == ref_add(&r, nul_a, 3, 1));
	ck_assert(keycount_add(kc, nul_b, 3, 1) == ref_add(&r, nul_b, 3, 1));
	ck_assert(keycount_add(kc, "a", 1, 1) == ref_add(&r, "a", 1, 1));
	ck_assert(keycount_add(kc, "\xff\xfe", 2, 7) ==
	    ref_add(&r, "\xff\xfe", 2, 7));
	ck_assert(keycount_add(kc, long_key, 70000, 2) ==
	    ref_add(&r, long_key, 70000, 2));
	/* One byte shorter, and one byte different: other keys. */
	ck_assert(keycount_add(kc, long_key, 69999, 1) ==
	    ref_add(&r, long_key, 69999, 1));
	long_key[35000] = '!';
	ck_assert(keycount_add(kc, long_key, 70000, 1) ==
	    ref_add(&r, long_key, 70000, 1));
	/* Adding again adds to the count; adding 0 creates the key. */
	ck_assert(!keycount_add(kc, "", 0, 4));
	ref_add(&r, "", 0, 4);
	ck_assert(!keycount_add(kc, nul_a, 3, UINT64_C(1) << 40));
	ref_add(&r, nul_a, 3, UINT64_C(1) << 40);
	ck_assert(keycount_add(kc, "zero", 4, 0));
	ref_add(&r, "zero", 4, 0);
	same(kc, &r);
	ck_assert_uint_eq(keycount_get(kc, "", 0), 7);
	ck_assert_uint_eq(keycount_get(kc, "a\0", 2), 0);
	ck_assert_uint_eq(keycount_get(kc, "zero", 4), 0);
	ck_assert_uint_ge(keycount_memory(kc), 3 * 70000);
	keycount_free(kc);
	ref_free(&r);
	free(long_key);
}
END_TEST

/* Sizes that stop below, at and past the first table (the ninth key)
   and each growth of it. */
static const size_t sizes[] = { 1, 3, 4, 7, 8, 9, 12, 13, 100, 1025,
    5000 };

START_TEST(test_keycount_random)
{
	struct keycount *kc = keycount_new();
	struct ref	 r = { 0 };
	uint64_t	 st = 0x6b6579636f756e74ULL + (uint64_t)_i;
	size_t		 distinct = sizes[_i], adds = 3 * distinct, i, len;
	char		 key[64];

	for (i = 0; i < adds; i++) {
		uint64_t v = splitmix64(&st);
		uint64_t which = v % distinct, n = (v >> 32) % 5;

		/* Addresses that share most of their bytes. */
		len = (size_t)snprintf(key, sizeof(key),
		    "user%llu@example.net", (unsigned long long)which);
		ck_assert(keycount_add(kc, key, len, n) ==
		    ref_add(&r, key, len, n));
	}
	same(kc, &r);
	keycount_free(kc);
	ref_free(&r);
}
END_TEST

START_TEST(test_keycount_compact)
{
	struct keycount *kc = keycount_new();
	char		 key[64];
	size_t		 i, len, key_bytes = 0;

	/* 1,000 addresses of 26 bytes: a table of 2,048 slots of 8
	   bytes (load under 3/4), records of 10 bytes plus the key in a
	   buffer at most half as large again as they need. */
	for (i = 0; i < 1000; i++) {
		len = (size_t)snprintf(key, sizeof(key),
		    "rcpt%05zu@mail.example.org", i);
		key_bytes += len;
		ck_assert(keycount_add(kc, key, len, 1));
	}
	ck_assert_uint_le(keycount_memory(kc),
	    128 + 2048 * 8 + 3 * (1000 * 10 + key_bytes) / 2);
	/* Keys of 128 bytes and more take a longer length. */
	for (i = 0; i < 3; i++) {
		char	*big = malloc(200 + i * 20000);

		ck_assert_ptr_nonnull(big);
		memset(big, 'a' + (int)i, 200 + i * 20000);
		ck_assert(keycount_add(kc, big, 200 + i * 20000, i + 1));
		ck_assert_uint_eq(keycount_get(kc, big, 200 + i * 20000),
		    i + 1);
		free(big);
	}
	ck_assert_uint_eq(keycount_count(kc), 1003);
	keycount_free(kc);

	/* Up to eight keys no table at all: the records and the map. */
	kc = keycount_new();
	key_bytes = 0;
	for (i = 0; i < 8; i++) {
		len = (size_t)snprintf(key, sizeof(key), "s%zu@isp.example",
		    i);
		key_bytes += len;
		ck_assert(keycount_add(kc, key, len, 1));
		ck_assert_uint_le(keycount_memory(kc),
		    128 + 3 * (8 * 10 + key_bytes) / 2);
	}
	ck_assert(keycount_add(kc, "ninth", 5, 1));
	ck_assert_uint_ge(keycount_memory(kc), 16 * 8);
	keycount_free(kc);
}
END_TEST

static Suite *
keycount_suite(void)
{
	Suite	*s = suite_create("keycount");
	TCase	*tc = tcase_create("keycount");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_keycount_empty);
	tcase_add_test(tc, test_keycount_odd_keys);
	tcase_add_loop_test(tc, test_keycount_random, 0,
	    (int)(sizeof(sizes) / sizeof(sizes[0])));
	tcase_add_test(tc, test_keycount_compact);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return run_suite(keycount_suite());
}
