/*
 * scan - find the first of a few bytes in a line, eight at a time.
 *
 * The parsers spend much of their time walking from one delimiter to
 * the next ("key=value, ", tokens, host names).  Most of those runs are
 * 5 to 40 bytes: too short for a call to memchr() to pay, long enough
 * for a byte loop to dominate.  These functions look at a word of eight
 * bytes per step with the usual "has a zero byte" test (a byte equal
 * to c becomes zero after xor with c repeated; (x - 0x01..) & ~x &
 * 0x80.. marks it).  That test can also mark a byte above a true zero
 * byte, never below one, so on a little-endian host the lowest mark is
 * exactly the first match.  Big-endian hosts, and the last few bytes
 * of a run, take the byte loop.  Nothing is read at or past end.
 *
 * Each function returns the position of the first byte in [s, end)
 * that matches, or end when none does; s <= end, both non-NULL.
 */
#ifndef ZS_SCAN_H
#define ZS_SCAN_H

#include <stdint.h>
#include <string.h>

#if (defined(__GNUC__) || defined(__clang__)) && \
    defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define SCAN_WORDS	1
#else
#define SCAN_WORDS	0
#endif

#define SCAN_ONES	UINT64_C(0x0101010101010101)
#define SCAN_HIGHS	UINT64_C(0x8080808080808080)

/* scan_zero_marks - the high bit of each zero byte of x (see above) */
static inline uint64_t
scan_zero_marks(uint64_t x)
{
	return (x - SCAN_ONES) & ~x & SCAN_HIGHS;
}

/* scan_is_ctl - a control character: below 0x20, or DEL */
static inline int
scan_is_ctl(unsigned char c)
{
	return c < 0x20 || c == 0x7f;
}

/* scan_find3 - the first byte equal to a, b or c */
static inline const char *
scan_find3(const char *s, const char *end, unsigned char a,
    unsigned char b, unsigned char c)
{
#if SCAN_WORDS
	const uint64_t	pa = SCAN_ONES * a, pb = SCAN_ONES * b;
	const uint64_t	pc = SCAN_ONES * c;
	uint64_t	w, marks;

	while (end - s >= 8) {
		memcpy(&w, s, sizeof(w));
		marks = scan_zero_marks(w ^ pa) | scan_zero_marks(w ^ pb) |
		    scan_zero_marks(w ^ pc);
		if (marks != 0)
			return s + (__builtin_ctzll(marks) >> 3);
		s += 8;
	}
#endif
	for (; s < end; s++) {
		unsigned char	x = (unsigned char)*s;

		if (x == a || x == b || x == c)
			break;
	}
	return s;
}

/* scan_find - the first byte equal to a */
static inline const char *
scan_find(const char *s, const char *end, unsigned char a)
{
	return scan_find3(s, end, a, a, a);
}

/* scan_find2 - the first byte equal to a or b */
static inline const char *
scan_find2(const char *s, const char *end, unsigned char a,
    unsigned char b)
{
	return scan_find3(s, end, a, b, b);
}

/*
 * scan_find3_ctl - the first byte equal to a, b or c, or a control
 * character (scan_is_ctl()).  Bytes of 0x80 and above are not
 * control characters: ~w keeps them out of the "below 0x20" marks.
 */
static inline const char *
scan_find3_ctl(const char *s, const char *end, unsigned char a,
    unsigned char b, unsigned char c)
{
#if SCAN_WORDS
	const uint64_t	pa = SCAN_ONES * a, pb = SCAN_ONES * b;
	const uint64_t	pc = SCAN_ONES * c, del = SCAN_ONES * 0x7f;
	uint64_t	w, marks;

	while (end - s >= 8) {
		memcpy(&w, s, sizeof(w));
		marks = scan_zero_marks(w ^ pa) | scan_zero_marks(w ^ pb) |
		    scan_zero_marks(w ^ pc) | scan_zero_marks(w ^ del) |
		    ((w - SCAN_ONES * 0x20) & ~w & SCAN_HIGHS);
		if (marks != 0)
			return s + (__builtin_ctzll(marks) >> 3);
		s += 8;
	}
#endif
	for (; s < end; s++) {
		unsigned char	x = (unsigned char)*s;

		if (x == a || x == b || x == c || scan_is_ctl(x))
			break;
	}
	return s;
}

#endif
