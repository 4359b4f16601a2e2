/*
 * check_arena - memory for objects that die together (util/arena.h).
 *
 * Everything handed out is checked to keep its contents while later
 * allocations come and blocks are added, arrays for alignment, and a
 * string replaced many times over for the bound arena_strset()
 * promises: the arena must not grow with the number of replacements.
 * Arenas sharing a pool are checked to pass blocks through it within
 * its bound, with every string intact.
 */
#include "config.h"

#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/arena.h"
#include "tests/testutil.h"

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

/*
 * test_arena_pool_reuse - a reset arena's blocks go to the pool and the
 * next arena that grows takes them (the newest of the size wanted),
 * after a reset as well; what the arena memory says moves with them.
 */
START_TEST(test_arena_pool_reuse)
{
	struct arena_pool pool;
	char		 buf_a[100], buf_b[100];
	struct arena	 a, b;
	char		*s, *t, *u;
	size_t		 held;

	arena_pool_init(&pool, 64 * 1024);
	ck_assert_uint_eq(arena_pool_memory(&pool), 0);
	arena_init_pooled(&a, buf_a, sizeof(buf_a), &pool);
	arena_init_pooled(&b, buf_b, sizeof(buf_b), &pool);
	/* Past the first block twice: blocks of 256 and 512 bytes. */
	(void)arena_allocarray(&a, 90, 1);
	s = arena_memdup0(&a, "first grown", 11);
	ck_assert(!is_inside(s, buf_a, sizeof(buf_a)));
	(void)arena_allocarray(&a, 400, 1);
	held = arena_memory(&a) - sizeof(buf_a);
	ck_assert_uint_gt(held, 256 + 512);
	arena_reset(&a);
	ck_assert_uint_eq(arena_memory(&a), sizeof(buf_a));
	ck_assert_uint_eq(arena_pool_memory(&pool), held);
	/* b's first grown block is a's, with its string at the same
	   place. */
	(void)arena_allocarray(&b, 90, 1);
	t = arena_memdup0(&b, "other value", 11);
	ck_assert_ptr_eq(t, s);
	ck_assert_str_eq(t, "other value");
	ck_assert_uint_lt(arena_pool_memory(&pool), held);
	ck_assert_uint_eq(arena_pool_memory(&pool) + arena_memory(&b) -
	    sizeof(buf_b), held);
	/* The reset arena keeps its pool and takes the other block. */
	(void)arena_allocarray(&a, 90, 1);
	u = arena_allocarray(&a, 300, 1);
	memset(u, 'u', 300);
	ck_assert_uint_eq(arena_pool_memory(&pool), 0);
	ck_assert_str_eq(t, "other value");
	arena_reset(&b);
	arena_reset(&a);
	ck_assert_uint_eq(arena_pool_memory(&pool), held);
	arena_pool_clear(&pool);
	ck_assert_uint_eq(arena_pool_memory(&pool), 0);
	/* A cleared pool is still a pool. */
	(void)arena_allocarray(&a, 300, 1);
	arena_reset(&a);
	ck_assert_uint_gt(arena_pool_memory(&pool), 0);
	arena_pool_clear(&pool);
}
END_TEST

/*
 * test_arena_pool_bound - the pool keeps no more than its bound, none
 * at all with a bound of 0, and never a block made for one request
 * larger than ARENA_BLOCK_MAX.
 */
START_TEST(test_arena_pool_bound)
{
	struct arena_pool pool, none;
	char		 buf[100];
	struct arena	 a;
	size_t		 first_block;

	/* Room for the 256-byte block with its header, not for more. */
	arena_pool_init(&pool, 400);
	arena_init_pooled(&a, buf, sizeof(buf), &pool);
	(void)arena_allocarray(&a, 200, 1);
	first_block = arena_memory(&a) - sizeof(buf);
	ck_assert_uint_le(first_block, 400);
	(void)arena_allocarray(&a, 400, 1);
	(void)arena_allocarray(&a, 1000, 1);
	arena_reset(&a);
	ck_assert_uint_le(arena_pool_memory(&pool), 400);
	ck_assert_uint_eq(arena_pool_memory(&pool), first_block);
	arena_pool_clear(&pool);

	arena_pool_init(&none, 0);
	arena_init_pooled(&a, buf, sizeof(buf), &none);
	(void)arena_allocarray(&a, 200, 1);
	arena_reset(&a);
	ck_assert_uint_eq(arena_pool_memory(&none), 0);

	arena_pool_init(&pool, 16 * ARENA_BLOCK_MAX);
	arena_init_pooled(&a, buf, sizeof(buf), &pool);
	(void)arena_allocarray(&a, 2 * ARENA_BLOCK_MAX, 1);
	arena_reset(&a);
	ck_assert_uint_eq(arena_pool_memory(&pool), 0);
	arena_pool_clear(&pool);
}
END_TEST

/*
 * test_arena_pool_odd_sizes - arenas of different first blocks share a
 * pool: a pooled block too small for a request is left alone, a larger
 * one serves it whole, and the contents of every string survive blocks
 * passing from arena to arena, round after round.
 */
START_TEST(test_arena_pool_odd_sizes)
{
	enum { ARENAS = 5, ROUNDS = 40, STRS = 60 };
	static const size_t firsts[ARENAS] = { 0, 33, 300, 400, 1737 };
	struct arena_pool pool;
	struct arena	 a[ARENAS];
	char		 bufs[ARENAS][1800], tmp[700];
	char		*strs[ARENAS][STRS];
	size_t		 lens[ARENAS][STRS];
	size_t		 before, pooled, i, j, k;
	uint64_t	 st = 5;
	int		 round;

	arena_pool_init(&pool, 256 * 1024);
	/* 300 grows by 600 bytes, 400 by 800: both of class 512..1023. */
	arena_init_pooled(&a[2], bufs[2], 300, &pool);
	arena_init_pooled(&a[3], bufs[3], 400, &pool);
	(void)arena_allocarray(&a[2], 500, 1);
	arena_reset(&a[2]);
	pooled = arena_pool_memory(&pool);
	ck_assert_uint_gt(pooled, 600);
	/* The 600-byte block cannot hold 800: a new one. */
	(void)arena_allocarray(&a[3], 600, 1);
	ck_assert_uint_eq(arena_pool_memory(&pool), pooled);
	arena_reset(&a[3]);
	/* Now the 800-byte one is on top, and serves 600 whole. */
	before = arena_pool_memory(&pool);
	(void)arena_allocarray(&a[2], 500, 1);
	ck_assert_uint_eq(before - arena_pool_memory(&pool),
	    arena_memory(&a[2]) - 300);
	ck_assert_uint_gt(arena_memory(&a[2]) - 300, 800);
	/* All the block's bytes are the arena's: 250 more fit. */
	pooled = arena_memory(&a[2]);
	(void)arena_allocarray(&a[2], 250, 1);
	ck_assert_uint_eq(arena_memory(&a[2]), pooled);
	arena_reset(&a[2]);
	arena_reset(&a[3]);

	for (i = 0; i < ARENAS; i++)
		arena_init_pooled(&a[i], firsts[i] > 0 ? bufs[i] : NULL,
		    firsts[i], &pool);
	for (round = 0; round < ROUNDS; round++) {
		for (i = 0; i < ARENAS; i++) {
			for (j = 0; j < STRS; j++) {
				lens[i][j] = (size_t)(splitmix64(&st) %
				    (round % 4 == 0 ? sizeof(tmp) : 60));
				fill(tmp, lens[i][j], (unsigned)(i * STRS + j));
				strs[i][j] = arena_memdup0(&a[i], tmp,
				    lens[i][j]);
			}
		}
		for (i = 0; i < ARENAS; i++) {
			for (j = 0; j < STRS; j++) {
				fill(tmp, lens[i][j], (unsigned)(i * STRS + j));
				ck_assert_uint_eq(strlen(strs[i][j]),
				    lens[i][j]);
				ck_assert(memcmp(strs[i][j], tmp,
				    lens[i][j]) == 0);
			}
		}
		/* Reset some, in an order that changes. */
		for (k = 0; k < ARENAS; k++) {
			i = (k + (size_t)round) % ARENAS;
			if ((splitmix64(&st) & 1) != 0 || round % 4 == 3) {
				arena_reset(&a[i]);
				ck_assert_uint_eq(arena_memory(&a[i]),
				    firsts[i]);
			}
		}
		ck_assert_uint_le(arena_pool_memory(&pool), 256 * 1024);
	}
	for (i = 0; i < ARENAS; i++)
		arena_reset(&a[i]);
	ck_assert_uint_gt(arena_pool_memory(&pool), 0);
	arena_pool_clear(&pool);
	ck_assert_uint_eq(arena_pool_memory(&pool), 0);
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
	tcase_add_test(tc, test_arena_pool_reuse);
	tcase_add_test(tc, test_arena_pool_bound);
	tcase_add_test(tc, test_arena_pool_odd_sizes);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return run_suite(arena_suite());
}
