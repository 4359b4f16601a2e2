/*
 * check_scan - the word-at-a-time byte search (parsers/scan.h).
 *
 * Every function is compared with a plain byte loop over buffers made
 * to trip a word-wise search: the match at every offset of every word,
 * bytes that differ from a target in one bit, high bytes, bytes just
 * below and above the control range, several matches in one word.
 * Each buffer is a fresh allocation of exactly its length, so a read
 * past end shows under AddressSanitizer.
 */
#include "config.h"

#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "parsers/scan.h"

/* naive_find - the first of a, b, c (or a control byte when ctl) */
static size_t
naive_find(const unsigned char *s, size_t len, unsigned char a,
    unsigned char b, unsigned char c, int ctl)
{
	size_t	i;

	for (i = 0; i < len; i++)
		if (s[i] == a || s[i] == b || s[i] == c ||
		    (ctl && (s[i] < 0x20 || s[i] == 0x7f)))
			break;
	return i;
}

/* Bytes near the targets, the control range and the high half. */
static const unsigned char fillers[] = {
	'a', 'z', '0', '!', '!' ^ 0x01, ' ' ^ 0x80, ' ' + 1, ' ' - 1,
	0x00, 0x01, 0x1f, 0x20, 0x21, 0x7e, 0x7f, 0x80, 0x9f, 0xa0, 0xff,
	'[', ']', ':', ',', '>', '"', '\\', 0xdb, 0xba, 0xbc,
};
#define NFILLERS (sizeof(fillers) / sizeof(fillers[0]))

/* Target sets: one byte, two, three, with repeats like the wrappers. */
static const unsigned char targets[][3] = {
	{ ' ', ' ', ' ' }, { ':', ' ', ' ' }, { '"', '>', '>' },
	{ '"', '\\', '\\' }, { ' ', ',', ':' }, { '[', ':', ' ' },
	{ ']', ' ', '[' }, { 0x00, 0x80, 0xff }, { 0x7f, 0x20, 0x1f },
};
#define NTARGETS (sizeof(targets) / sizeof(targets[0]))

/* check_one - both functions against the loop on one buffer */
static void
check_one(const unsigned char *bytes, size_t len)
{
	unsigned char	*buf = malloc(len > 0 ? len : 1);
	const char	*s = (const char *)buf;
	size_t		 t;

	ck_assert_ptr_nonnull(buf);
	if (len > 0)
		memcpy(buf, bytes, len);
	for (t = 0; t < NTARGETS; t++) {
		unsigned char a = targets[t][0], b = targets[t][1];
		unsigned char c = targets[t][2];

		ck_assert_uint_eq((size_t)(scan_find3(s, s + len, a, b, c) - s),
		    naive_find(buf, len, a, b, c, 0));
		ck_assert_uint_eq((size_t)(scan_find3_ctl(s, s + len, a, b,
		    c) - s), naive_find(buf, len, a, b, c, 1));
		ck_assert_uint_eq((size_t)(scan_find2(s, s + len, a, b) - s),
		    naive_find(buf, len, a, b, b, 0));
		ck_assert_uint_eq((size_t)(scan_find(s, s + len, a) - s),
		    naive_find(buf, len, a, a, a, 0));
	}
	free(buf);
}

/*
 * Every filler at every offset of a 0- to 25-byte run of one of the
 * first few (25: three words and a tail).
 */
START_TEST(test_scan_single_byte)
{
	unsigned char	buf[25];
	size_t		len, pos, f, g;

	for (len = 0; len <= sizeof(buf); len++)
		for (f = 0; f < 6; f++) {
			memset(buf, fillers[f], len);
			check_one(buf, len);
			for (pos = 0; pos < len; pos++)
				for (g = 0; g < NFILLERS; g++) {
					memset(buf, fillers[f], len);
					buf[pos] = fillers[g];
					check_one(buf, len);
				}
		}
}
END_TEST

/* Seeded random mixes of the fillers: several candidates per word. */
START_TEST(test_scan_random)
{
	unsigned char	buf[64];
	uint64_t	state = 0x5eed5eed5eed5eedULL;
	size_t		len, i;
	int		round;

	for (round = 0; round < 5000; round++) {
		state = state * 6364136223846793005ULL + 1442695040888963407ULL;
		len = (size_t)(state >> 58);
		for (i = 0; i < len; i++) {
			state = state * 6364136223846793005ULL +
			    1442695040888963407ULL;
			buf[i] = (state >> 60) < 12 ? fillers[0] :
			    fillers[(state >> 33) % NFILLERS];
		}
		check_one(buf, len);
	}
}
END_TEST

static Suite *
scan_suite(void)
{
	Suite	*s = suite_create("scan");
	TCase	*tc = tcase_create("core");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_scan_single_byte);
	tcase_add_test(tc, test_scan_random);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr;
	int	 failed;

	sr = srunner_create(scan_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
