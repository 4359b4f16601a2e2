/*
 * check_scan - the word-at-a-time byte search (parsers/scan.h).
 *
 * Every function is compared with a plain byte loop over buffers made
 * to trip a word-wise (or sixteen-byte) search: the match at every
 * offset of every word, bytes that differ from a target in one bit,
 * high bytes, bytes just below and above the control range, several
 * matches in one word.
 * Each buffer is a fresh allocation of exactly its length, so a read
 * past end shows under AddressSanitizer.
 */
#include "config.h"

#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "parsers/scan.h"
#include "tests/testutil.h"

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
 * first few (40: two vector steps, a word and a tail; or five words).
 */
START_TEST(test_scan_single_byte)
{
	unsigned char	buf[40];
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

/* naive_line - scan_line() by the definition */
static size_t
naive_line(const unsigned char *s, size_t len, unsigned *seen)
{
	size_t	i;

	for (i = 0; i < len && s[i] != '\n'; i++) {
		if (s[i] == 0)
			*seen |= SCAN_SEEN_NUL;
		if (s[i] >= 0x80)
			*seen |= SCAN_SEEN_HIGH;
	}
	return i;
}

/* check_line - scan_line() and scan_line_bytes() against the loop */
static void
check_line(const unsigned char *bytes, size_t len)
{
	unsigned char	*buf = malloc(len > 0 ? len : 1);
	const char	*s = (const char *)buf;
	unsigned	 want = 0, got = 0, got_bytes = 0, old;
	size_t		 at;

	ck_assert_ptr_nonnull(buf);
	if (len > 0)
		memcpy(buf, bytes, len);
	at = naive_line(buf, len, &want);
	ck_assert_uint_eq((size_t)(scan_line(s, s + len, &got) - s), at);
	ck_assert_uint_eq(got, want);
	ck_assert_uint_eq((size_t)(scan_line_bytes(s, s + len, &got_bytes) -
	    s), at);
	ck_assert_uint_eq(got_bytes, want);
	/* Bits already seen are kept. */
	old = got = SCAN_SEEN_NUL;
	(void)scan_line(s, s + len, &got);
	ck_assert_uint_eq(got, want | old);
	free(buf);
}

/*
 * A newline, NUL, high or control byte at every offset of 0 to 80
 * bytes, and of a few lengths around two 64-byte steps.
 */
START_TEST(test_scan_line_single)
{
	static const unsigned char marks[] = {
		'\n', 0x00, 0x80, 0xff, 0xc3, '\t', 0x0b, 0x0a ^ 0x80, 0x01,
		0x7f, '\r'
	};
	static const size_t more[] = { 127, 128, 129, 143, 150 };
	unsigned char	buf[150];
	size_t		len, pos, m, k;

	for (k = 0; k < 81 + sizeof(more) / sizeof(more[0]); k++) {
		len = k <= 80 ? k : more[k - 81];
		memset(buf, 'x', len);
		check_line(buf, len);
		for (pos = 0; pos < len; pos++)
			for (m = 0; m < sizeof(marks); m++) {
				memset(buf, 'x', len);
				buf[pos] = marks[m];
				check_line(buf, len);
				/* and a newline after it, near or far */
				buf[len - 1 - (len - 1 - pos) / 2] = '\n';
				check_line(buf, len);
			}
	}
}
END_TEST

/* Random mixes: several marks, before and after the newline. */
START_TEST(test_scan_line_random)
{
	static const unsigned char pool[] = {
		'\n', 0x00, 0x80, 0xff, '\t', 0x0b, 0x1f, ' ', 'a', 0x8a
	};
	unsigned char	buf[300];
	uint64_t	state = 0x1234567887654321ULL;
	size_t		len, i;
	int		round;

	for (round = 0; round < 5000; round++) {
		state = state * 6364136223846793005ULL + 1442695040888963407ULL;
		len = (size_t)(state >> 33) % sizeof(buf);
		for (i = 0; i < len; i++) {
			state = state * 6364136223846793005ULL +
			    1442695040888963407ULL;
			buf[i] = (state >> 58) < 60 ? 'a' + (state >> 40) % 26 :
			    pool[(state >> 20) % sizeof(pool)];
		}
		check_line(buf, len);
	}
}
END_TEST

/*
 * scan_same against memcmp, for every length up to 40 (each way of
 * splitting a run: one byte, two and four overlapping, words with a
 * tail): equal runs, and a difference at every position, in one low
 * bit or the high bit.  Each run is its own allocation of exactly n
 * bytes, so a read past it shows under AddressSanitizer.
 */
START_TEST(test_scan_same)
{
	static const unsigned char flips[] = { 0x01, 0x80, 0xff };
	char	*a, *b;
	size_t	 n, pos, i, f;

	for (n = 0; n <= 40; n++) {
		a = malloc(n > 0 ? n : 1);
		b = malloc(n > 0 ? n : 1);
		ck_assert(a != NULL && b != NULL);
		for (i = 0; i < n; i++)
			a[i] = (char)('a' + (i * 7) % 26);
		memcpy(b, a, n);
		ck_assert(scan_same(a, b, n));
		for (pos = 0; pos < n; pos++)
			for (f = 0; f < sizeof(flips); f++) {
				b[pos] = (char)(a[pos] ^ flips[f]);
				ck_assert_msg(!scan_same(a, b, n),
				    "n %zu pos %zu", n, pos);
				ck_assert_msg(!scan_same(b, a, n),
				    "n %zu pos %zu", n, pos);
				b[pos] = a[pos];
				ck_assert(scan_same(a, b, n));
			}
		free(a);
		free(b);
	}
}
END_TEST

/*
 * SAME_LIT - check scan_same() with a literal, as the parsers call it:
 * the length is a constant, so the compiler may fold the literal's
 * loads.  The text matches at its start only, and each byte changed
 * in turn (within the literal's length) must not match.
 */
#define SAME_LIT(lit) do {						\
	char	buf_[sizeof(lit)];					\
	size_t	i_;							\
									\
	memcpy(buf_, lit, sizeof(lit));					\
	ck_assert(scan_same(buf_, lit, sizeof(lit) - 1));		\
	for (i_ = 0; i_ + 1 < sizeof(lit); i_++) {			\
		buf_[i_] ^= 0x20;					\
		ck_assert_msg(!scan_same(buf_, lit, sizeof(lit) - 1),	\
		    "%s at %zu", lit, i_);				\
		buf_[i_] ^= 0x20;					\
	}								\
} while (0)

/* scan_same with constant lengths 0 to 17, as STARTS() and ZEQ() do */
START_TEST(test_scan_same_literal)
{
	SAME_LIT("");
	SAME_LIT("q");
	SAME_LIT("to");
	SAME_LIT("to=");
	SAME_LIT("uid=");
	SAME_LIT("smtpd");
	SAME_LIT("from=<");
	SAME_LIT("client=");
	SAME_LIT("postfix/");
	SAME_LIT("tlsproxy:");
	SAME_LIT("postscreen");
	SAME_LIT("message-id=");
	SAME_LIT("proxy-reject");
	SAME_LIT("milter-reject");
	SAME_LIT("force-expired:");
	SAME_LIT("postfix-script:");
	SAME_LIT("milter-reject: x");
	SAME_LIT("milter-reject: xy");
}
END_TEST

/* naive_digits - scan_digits() by the definition */
static size_t
naive_digits(const char *s, size_t len, int64_t *value)
{
	size_t	n = 0;
	int64_t	v = 0;

	while (n < len && s[n] >= '0' && s[n] <= '9') {
		if (n < 18)
			v = v * 10 + (s[n] - '0');
		n++;
	}
	if (n >= 1 && n <= 18)
		*value = v;
	return n;
}

/* check_digits - scan_digits() on text of len bytes, in its own buffer */
static void
check_digits(const char *text, size_t len)
{
	char	*buf = malloc(len > 0 ? len : 1);
	int64_t	 want = -7, got = -7;
	size_t	 n;

	ck_assert_ptr_nonnull(buf);
	if (len > 0)
		memcpy(buf, text, len);
	n = naive_digits(buf, len, &want);
	ck_assert_uint_eq(scan_digits(buf, buf + len, &got), n);
	if (n >= 1 && n <= 18)
		ck_assert_msg(got == want, "'%.*s': %lld != %lld", (int)len,
		    text, (long long)got, (long long)want);
	free(buf);
}

/* Runs of 0-20 digits, every digit, then every kind of byte after. */
START_TEST(test_scan_digits)
{
	static const char after[] = {
		']', ' ', ':', '/', '0' - 1, '9' + 1, 'a', '\0', (char)0x80,
		(char)0xb9, (char)0xff, 0x7f
	};
	char	buf[32];
	size_t	run, tail, k, d;

	for (run = 0; run <= 20; run++)
		for (d = 0; d < 10; d++)
			for (k = 0; k < sizeof(after); k++)
				for (tail = 0; tail <= 10; tail++) {
					size_t	i;

					for (i = 0; i < run; i++)
						buf[i] = (char)('0' +
						    (d + i * 7) % 10);
					for (i = 0; i < tail; i++)
						buf[run + i] = i == 0 ?
						    after[k] : '5';
					check_digits(buf, run + tail);
				}
	check_digits("999999999999999999]", 19);
	check_digits("9999999999999999999]", 20);
	check_digits("00000007]: m", 12);
	check_digits("1234567]: m", 11);
	check_digits("12345678]: m", 12);
}
END_TEST

/* check_u64 - scan_u64() on text (exact length): ok, and *out if so */
static void
check_u64(const char *text, bool ok, uint64_t want)
{
	size_t		 len = strlen(text);
	char		*buf = malloc(len > 0 ? len : 1);
	uint64_t	 got = 42;

	ck_assert_ptr_nonnull(buf);
	memcpy(buf, text, len);
	ck_assert_msg(scan_u64(buf, len, &got) == ok, "'%s'", text);
	if (ok)
		ck_assert_msg(got == want, "'%s': %llu", text,
		    (unsigned long long)got);
	else
		ck_assert_msg(got == 42, "'%s' changed *out", text);
	free(buf);
}

/* Digits only, saturating at the top of 64 bits. */
START_TEST(test_scan_u64)
{
	check_u64("0", true, 0);
	check_u64("007", true, 7);
	check_u64("1234567890", true, UINT64_C(1234567890));
	check_u64("18446744073709551614", true, UINT64_MAX - 1);
	check_u64("18446744073709551615", true, UINT64_MAX);
	check_u64("18446744073709551616", true, UINT64_MAX);
	check_u64("18446744073709551620", true, UINT64_MAX);
	check_u64("1844674407370955161", true,
	    UINT64_C(1844674407370955161));
	check_u64("99999999999999999999999999", true, UINT64_MAX);
	check_u64("", false, 0);
	check_u64("12a", false, 0);
	check_u64("-1", false, 0);
	check_u64(" 1", false, 0);
	check_u64("1 ", false, 0);
	check_u64("\xb1", false, 0);
}
END_TEST

/* check_status - scan_status_code() on text: the code found, or none */
static void
check_status(const char *text, bool continued, const char *want)
{
	size_t		 len = strlen(text);
	char		*buf = malloc(len > 0 ? len : 1);
	struct zstr	 got;

	ck_assert_ptr_nonnull(buf);
	memcpy(buf, text, len);
	got = scan_status_code(buf, buf + len, continued);
	if (want == NULL)
		ck_assert_msg(got.ptr == NULL, "'%s': found '%.*s'", text,
		    (int)got.len, got.ptr);
	else {
		ck_assert_msg(got.ptr != NULL, "'%s': none", text);
		ck_assert_uint_eq(got.len, strlen(want));
		ck_assert_mem_eq(got.ptr, want, got.len);
	}
	free(buf);
}

START_TEST(test_scan_status_code)
{
	check_status("5.1.1", false, "5.1.1");
	check_status("5.1.1 user unknown", false, "5.1.1");
	check_status("550 5.1.1 user unknown", false, "5.1.1");
	check_status("550-5.7.1 listed", false, NULL);
	check_status("550-5.7.1 listed", true, "5.7.1");
	check_status("421 4.7.28 rate", true, "4.7.28");
	check_status("250 2.0.0 Ok", false, "2.0.0");
	check_status("2.123.456", false, "2.123.456");
	check_status("5.1234.1", false, NULL);
	check_status("5.1.1234", false, NULL);
	check_status("3.1.1", false, NULL);
	check_status("5..1", false, NULL);
	check_status("5.1.", false, NULL);
	check_status("5.1", false, NULL);
	check_status("5.1.1x", false, NULL);
	check_status("5.1.1: x", false, NULL);
	check_status("550 ", false, NULL);
	check_status("550", false, NULL);
	check_status("55 5.1.1", false, NULL);
	check_status("550  5.1.1", false, NULL);
	check_status("", false, NULL);
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
	tcase_add_test(tc, test_scan_line_single);
	tcase_add_test(tc, test_scan_line_random);
	tcase_add_test(tc, test_scan_same);
	tcase_add_test(tc, test_scan_same_literal);
	tcase_add_test(tc, test_scan_digits);
	tcase_add_test(tc, test_scan_u64);
	tcase_add_test(tc, test_scan_status_code);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return run_suite(scan_suite());
}
