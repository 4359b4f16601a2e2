/*
 * check_arena - memory for objects that die together (util/arena.h).
 *
 * Everything handed out is checked to keep its contents while later
 * allocations come and blocks are added, arrays for alignment, and a
 * string replaced many times over for the bound arena_strset()
 * promises: the arena must not grow with the number of replacements.
 */
#include "config.h"

#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/arena.h"

/* splitmix64 - the tests' stream of well-mixed values */
static uint64_t
splitmix64(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* fill - len bytes of a pattern that depends on seed */
static void
fill(char *buf, size_t len, unsigned seed)
{
	size_t	i;

	for (i = 0; i < len; i++)
		buf[i] = (char)('a' + (seed + i * 7) % 26);
}

/* is_inside - whether p lies in buf[0..size) */
static int
is_inside(const void *p, const char *buf, size_t size)
{
	uintptr_t	x = (uintptr_t)p, b = (uintptr_t)buf;

	return x >= b && x < b + size;
}

START_TEST(test_arena_first_block)
{
	char		 buf[512];
	struct arena	 a;
	char		*s, *t;

	arena_init(&a, buf, sizeof(buf));
	ck_assert_uint_eq(arena_memory(&a), sizeof(buf));
	s = arena_memdup0(&a, "relay.example", 13);
	t = arena_memdup0(&a, "", 0);
	ck_assert_str_eq(s, "relay.example");
	ck_assert_str_eq(t, "");
	ck_assert(is_inside(s, buf, sizeof(buf)));
	ck_assert(is_inside(t, buf, sizeof(buf)));
	ck_assert_ptr_ne(s, t);
	/* Nothing allocated while the first block had room. */
	ck_assert_uint_eq(arena_memory(&a), sizeof(buf));
	arena_reset(&a);
	ck_assert_uint_eq(arena_memory(&a), sizeof(buf));
}
END_TEST

START_TEST(test_arena_many)
{
	enum { COUNT = 20000 };
	char		 buf[700], tmp[400];
	struct arena	 a;
	char		**strs = malloc(COUNT * sizeof(*strs));
	size_t		*lens = malloc(COUNT * sizeof(*lens));
	uint64_t	 st = 42;
	size_t		 i;
	int		 round;

	ck_assert_ptr_nonnull(strs);
	ck_assert_ptr_nonnull(lens);
	arena_init(&a, buf, sizeof(buf));
	/* Twice: the second round runs on a reset arena. */
	for (round = 0; round < 2; round++) {
		for (i = 0; i < COUNT; i++) {
			lens[i] = (size_t)(splitmix64(&st) % sizeof(tmp));
			fill(tmp, lens[i], (unsigned)i);
			strs[i] = arena_memdup0(&a, tmp, lens[i]);
		}
		for (i = 0; i < COUNT; i++) {
			fill(tmp, lens[i], (unsigned)i);
			ck_assert_uint_eq(strlen(strs[i]), lens[i]);
			ck_assert(memcmp(strs[i], tmp, lens[i]) == 0);
		}
		ck_assert_uint_gt(arena_memory(&a), sizeof(buf));
		arena_reset(&a);
		ck_assert_uint_eq(arena_memory(&a), sizeof(buf));
		/* Back in the first block after a reset. */
		ck_assert(is_inside(arena_memdup0(&a, "x", 1), buf,
		    sizeof(buf)));
		arena_reset(&a);
	}
	free(strs);
	free(lens);
}
END_TEST

START_TEST(test_arena_no_first_block)
{
	struct arena	 a;
	char		*s;

	arena_init(&a, NULL, 0);
	ck_assert_uint_eq(arena_memory(&a), 0);
	s = arena_memdup0(&a, "abc", 3);
	ck_assert_str_eq(s, "abc");
	ck_assert_uint_gt(arena_memory(&a), 0);
	arena_reset(&a);
	ck_assert_uint_eq(arena_memory(&a), 0);
}
END_TEST

START_TEST(test_arena_arrays)
{
	enum { COUNT = 300 };
	char		 buf[300];
	struct arena	 a;
	uint64_t	*arrays[COUNT];
	size_t		 counts[COUNT];
	uint64_t	 st = 7;
	size_t		 i, j;

	arena_init(&a, buf + 1, sizeof(buf) - 1);	/* misaligned */
	for (i = 0; i < COUNT; i++) {
		/* Odd strings in between push the next array off
		   alignment. */
		(void)arena_memdup0(&a, "odd", (size_t)(i % 3));
		counts[i] = (size_t)(splitmix64(&st) % 40);
		arrays[i] = arena_allocarray(&a, counts[i], sizeof(uint64_t));
		ck_assert_ptr_nonnull(arrays[i]);
		ck_assert_uint_eq((uintptr_t)arrays[i] %
		    _Alignof(max_align_t), 0);
		for (j = 0; j < counts[i]; j++)
			arrays[i][j] = i * 1000 + j;
	}
	for (i = 0; i < COUNT; i++)
		for (j = 0; j < counts[i]; j++)
			ck_assert_uint_eq(arrays[i][j], i * 1000 + j);
	arena_reset(&a);
}
END_TEST

START_TEST(test_arena_large)
{
	char		 buf[256];
	struct arena	 a;
	size_t		 n = 3 * ARENA_BLOCK_MAX;
	char		*big, *small;

	arena_init(&a, buf, sizeof(buf));
	small = arena_memdup0(&a, "before", 6);
	big = arena_allocarray(&a, n, 1);
	memset(big, 'z', n);
	ck_assert_uint_ge(arena_memory(&a), sizeof(buf) + n);
	ck_assert_str_eq(small, "before");
	ck_assert_int_eq(big[n - 1], 'z');
	arena_reset(&a);
	ck_assert_uint_eq(arena_memory(&a), sizeof(buf));
}
END_TEST

START_TEST(test_arena_strset_reuse)
{
	char		 buf[256];
	struct arena	 a;
	char		*s = NULL, *old;

	arena_init(&a, buf, sizeof(buf));
	arena_strset(&a, &s, "4.4.1 deferred", 14);
	ck_assert_str_eq(s, "4.4.1 deferred");
	old = s;
	/* Shorter and equal lengths fit where the old value was. */
	arena_strset(&a, &s, "4.4.2", 5);
	ck_assert_ptr_eq(s, old);
	ck_assert_str_eq(s, "4.4.2");
	arena_strset(&a, &s, "abcdefghijklmn", 14);
	ck_assert_ptr_eq(s, old);
	ck_assert_str_eq(s, "abcdefghijklmn");
	arena_strset(&a, &s, "", 0);
	ck_assert_ptr_eq(s, old);
	ck_assert_str_eq(s, "");
	/* Longer: a new string; the old one keeps its bytes. */
	arena_strset(&a, &s, "a value longer than before", 26);
	ck_assert_ptr_ne(s, old);
	ck_assert_str_eq(s, "a value longer than before");
	ck_assert_str_eq(old, "");
	/* A copy of part of itself. */
	arena_strset(&a, &s, s + 8, 6);
	ck_assert_str_eq(s, "longer");
	/* memdup0's strings can be replaced as well. */
	old = s = arena_memdup0(&a, "250 2.0.0 Ok", 12);
	arena_strset(&a, &s, "250 Ok", 6);
	ck_assert_ptr_eq(s, old);
	ck_assert_str_eq(s, "250 Ok");
	arena_reset(&a);
}
END_TEST

/*
 * test_arena_strset_block_edge - strings that fill the first block
 * exactly (header, bytes and NUL), then one that does not fit and goes
 * to a new block, new and replacing, the last a copy of a part of the
 * string it replaces.
 */
START_TEST(test_arena_strset_block_edge)
{
	char		 buf[32];
	struct arena	 a;
	char		*s = NULL, *t = NULL, *u = NULL;

	arena_init(&a, buf, sizeof(buf));
	/* 4 header + 11 + NUL = 16, twice: the block is full. */
	arena_strset(&a, &s, "0123456789a", 11);
	arena_strset(&a, &t, "bcdefghijkl", 11);
	ck_assert(is_inside(s, buf, sizeof(buf)));
	ck_assert(is_inside(t, buf, sizeof(buf)));
	ck_assert_uint_eq(arena_memory(&a), sizeof(buf));
	/* Nothing left: the smallest string needs a new block. */
	arena_strset(&a, &u, "", 0);
	ck_assert(!is_inside(u, buf, sizeof(buf)));
	ck_assert_str_eq(u, "");
	ck_assert_uint_gt(arena_memory(&a), sizeof(buf));
	/* Grown past its room, from its own bytes: the old string stays
	   readable while the new one is written elsewhere. */
	arena_strset(&a, &s, s + 2, 9);
	ck_assert_str_eq(s, "23456789a");
	arena_strset(&a, &t, "bcdefghijklmnopqrstuvwxyz", 25);
	ck_assert(!is_inside(t, buf, sizeof(buf)));
	ck_assert_str_eq(t, "bcdefghijklmnopqrstuvwxyz");
	ck_assert_str_eq(s, "23456789a");
	ck_assert_str_eq(u, "");
	ck_assert_str_eq(arena_memdup0(&a, "x", 1), "x");
	arena_reset(&a);
	ck_assert_uint_eq(arena_memory(&a), sizeof(buf));
}
END_TEST

/*
 * A recipient deferred and retried many times: its response changes
 * length at every attempt, as remote servers' answers do.  Whatever
 * the number of attempts the arena stays within a few times the
 * longest response, and the last value is what it holds.
 */
START_TEST(test_arena_strset_bounded)
{
	enum { LONGEST = 500, ATTEMPTS = 200000 };
	char		 buf[704], tmp[LONGEST];
	struct arena	 a;
	char		*response = NULL, *dsn = NULL, *addr;
	uint64_t	 st = 99;
	size_t		 len = 0, after_warmup = 0;
	long		 i;

	arena_init(&a, buf, sizeof(buf));
	addr = arena_memdup0(&a, "user@example.net", 16);
	for (i = 0; i < ATTEMPTS; i++) {
		/* Alternately long and short, and a few random ones. */
		if (i % 3 == 2)
			len = (size_t)(splitmix64(&st) % LONGEST);
		else
			len = i % 3 == 0 ? LONGEST - 1 - (size_t)(i % 50) :
			    (size_t)(i % 20);
		fill(tmp, len, (unsigned)i);
		arena_strset(&a, &response, tmp, len);
		arena_strset(&a, &dsn, i % 2 ? "4.4.1" : "4.7.0 x", i % 2 ?
		    5 : 7);
		if (i == 1000)
			after_warmup = arena_memory(&a);
	}
	fill(tmp, len, (unsigned)(ATTEMPTS - 1));
	ck_assert_uint_eq(strlen(response), len);
	ck_assert(memcmp(response, tmp, len) == 0);
	ck_assert_str_eq(dsn, "4.4.1");
	ck_assert_str_eq(addr, "user@example.net");
	/* No growth after the longest value was seen... */
	ck_assert_uint_eq(arena_memory(&a), after_warmup);
	/* ...and at most a few times the longest value in all. */
	ck_assert_uint_le(arena_memory(&a), sizeof(buf) + 8 * LONGEST);
	arena_reset(&a);
}
END_TEST

static Suite *
arena_suite(void)
{
	Suite	*s = suite_create("arena");
	TCase	*tc = tcase_create("arena");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_arena_first_block);
	tcase_add_test(tc, test_arena_many);
	tcase_add_test(tc, test_arena_no_first_block);
	tcase_add_test(tc, test_arena_arrays);
	tcase_add_test(tc, test_arena_large);
	tcase_add_test(tc, test_arena_strset_reuse);
	tcase_add_test(tc, test_arena_strset_bounded);
	tcase_add_test(tc, test_arena_strset_block_edge);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr;
	int	 failed;

	sr = srunner_create(arena_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
