/*
 * scan - find the first of a few bytes in a line, eight (or sixteen) at
 * a time.
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
 * Each find function returns the position of the first byte in
 * [s, end) that matches, or end when none does; s <= end, both
 * non-NULL.  scan_same() compares two short runs the same way.
 */
#ifndef ZS_SCAN_H
#define ZS_SCAN_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "util/zstr.h"

#if (defined(__GNUC__) || defined(__clang__)) && \
    defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define SCAN_WORDS	1
#else
#define SCAN_WORDS	0
#endif

#if defined(__SSE2__) && (defined(__GNUC__) || defined(__clang__))
#define SCAN_SSE2	1
#include <emmintrin.h>
#else
#define SCAN_SSE2	0
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

/*
 * scan_find3 - the first byte equal to a, b or c.  With SSE2 (every
 * x86-64) sixteen bytes a step while sixteen remain: a byte-wise
 * compare of the vector finds the same first match; then words.
 */
static inline const char *
scan_find3(const char *s, const char *end, unsigned char a,
    unsigned char b, unsigned char c)
{
#if SCAN_SSE2
	const __m128i	va = _mm_set1_epi8((char)a);
	const __m128i	vb = _mm_set1_epi8((char)b);
	const __m128i	vc = _mm_set1_epi8((char)c);
	__m128i		v;
	unsigned	m;

	while (end - s >= 16) {
		v = _mm_loadu_si128((const __m128i *)(const void *)s);
		m = (unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(
		    _mm_cmpeq_epi8(v, va), _mm_cmpeq_epi8(v, vb)),
		    _mm_cmpeq_epi8(v, vc)));
		if (m != 0)
			return s + __builtin_ctz(m);
		s += 16;
	}
#endif
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
 * control characters: ~w keeps them out of the "below 0x20" marks,
 * and with SSE2 (sixteen bytes a step, as scan_find3()) the unsigned
 * minimum with 0x1f equals exactly the bytes up to 0x1f.
 */
static inline const char *
scan_find3_ctl(const char *s, const char *end, unsigned char a,
    unsigned char b, unsigned char c)
{
#if SCAN_SSE2
	{
		const __m128i	va = _mm_set1_epi8((char)a);
		const __m128i	vb = _mm_set1_epi8((char)b);
		const __m128i	vc = _mm_set1_epi8((char)c);
		const __m128i	vdel = _mm_set1_epi8(0x7f);
		const __m128i	vlow = _mm_set1_epi8(0x1f);
		__m128i		v, m;
		unsigned	bits;

		while (end - s >= 16) {
			v = _mm_loadu_si128((const __m128i *)(const void *)s);
			m = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, va),
			    _mm_cmpeq_epi8(v, vb)), _mm_or_si128(
			    _mm_cmpeq_epi8(v, vc), _mm_cmpeq_epi8(v, vdel)));
			m = _mm_or_si128(m, _mm_cmpeq_epi8(
			    _mm_min_epu8(v, vlow), v));
			bits = (unsigned)_mm_movemask_epi8(m);
			if (bits != 0)
				return s + __builtin_ctz(bits);
			s += 16;
		}
	}
#endif
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

/* What scan_line() saw before the newline. */
#define SCAN_SEEN_NUL	0x1u		/* a NUL byte */
#define SCAN_SEEN_HIGH	0x2u		/* a byte of 0x80 or above */

/*
 * scan_seen - the SCAN_SEEN_ bits for the bytes of [s, end), looked at
 * eight at a time: a high bit anywhere, or a byte that is zero.
 */
static inline unsigned
scan_seen(const char *s, const char *end)
{
	uint64_t	w, high = 0, zero = 0;

	for (; end - s >= 8; s += 8) {
		memcpy(&w, s, sizeof(w));
		high |= w;
		zero |= scan_zero_marks(w);
	}
	for (; s < end; s++) {
		high |= (unsigned char)*s;
		zero |= *s == '\0' ? SCAN_HIGHS : 0;
	}
	return ((high & SCAN_HIGHS) != 0 ? SCAN_SEEN_HIGH : 0) |
	    (zero != 0 ? SCAN_SEEN_NUL : 0);
}

/*
 * scan_line_bytes - scan_line() for any host: memchr() for the
 * newline, then scan_seen() over the bytes before it.
 */
static inline const char *
scan_line_bytes(const char *s, const char *end, unsigned *seen)
{
	const char	*nl = memchr(s, '\n', (size_t)(end - s));

	if (nl == NULL)
		nl = end;
	*seen |= scan_seen(s, nl);
	return nl;
}

#if SCAN_SSE2
/*
 * scan_line16 - scan_line() on the sixteen bytes at s: the newline
 * among them, or NULL, with what the bytes before it (or all sixteen)
 * hold added to *seen.  A byte below 0x0b as a signed byte is a high
 * byte (negative), NUL, a newline or one of the eight control bytes
 * between, so one signed compare tells whether to look closer.
 */
static inline const char *
scan_line16(const char *s, unsigned *seen)
{
	__m128i		v = _mm_loadu_si128((const __m128i *)(const void *)s);
	unsigned	nl, before;

	if (_mm_movemask_epi8(_mm_cmplt_epi8(v, _mm_set1_epi8(0x0b))) == 0)
		return NULL;
	nl = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v,
	    _mm_set1_epi8('\n')));
	/* The bytes before the newline, or all sixteen. */
	before = nl != 0 ? (nl & -nl) - 1 : 0xffffu;
	if ((unsigned)_mm_movemask_epi8(v) & before)
		*seen |= SCAN_SEEN_HIGH;
	if ((unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v,
	    _mm_setzero_si128())) & before)
		*seen |= SCAN_SEEN_NUL;
	return nl != 0 ? s + __builtin_ctz(nl) : NULL;
}
#endif

/*
 * scan_line - the first newline in [s, end), or end; adds to *seen
 * SCAN_SEEN_NUL and SCAN_SEEN_HIGH for what the bytes before it hold.
 * The reader asks this of every byte of the input, so with SSE2 (every
 * x86-64) it tests sixty-four bytes a step for any byte that
 * scan_line16() would look at closer, and only then goes through them
 * sixteen at a time.  Nothing is read at or past end.
 */
static inline const char *
scan_line(const char *s, const char *end, unsigned *seen)
{
#if SCAN_SSE2
	const __m128i	limit = _mm_set1_epi8(0x0b);
	const char	*nl;
	__m128i		v0, v1, v2, v3;
	int		i;

	while (end - s >= 64) {
		v0 = _mm_loadu_si128((const __m128i *)(const void *)s);
		v1 = _mm_loadu_si128((const __m128i *)(const void *)(s + 16));
		v2 = _mm_loadu_si128((const __m128i *)(const void *)(s + 32));
		v3 = _mm_loadu_si128((const __m128i *)(const void *)(s + 48));
		v0 = _mm_or_si128(_mm_cmplt_epi8(v0, limit),
		    _mm_cmplt_epi8(v1, limit));
		v2 = _mm_or_si128(_mm_cmplt_epi8(v2, limit),
		    _mm_cmplt_epi8(v3, limit));
		if (_mm_movemask_epi8(_mm_or_si128(v0, v2)) == 0) {
			s += 64;
			continue;
		}
		for (i = 0; i < 4; i++, s += 16)
			if ((nl = scan_line16(s, seen)) != NULL)
				return nl;
	}
	for (; end - s >= 16; s += 16)
		if ((nl = scan_line16(s, seen)) != NULL)
			return nl;
#endif
	return scan_line_bytes(s, end, seen);
}

/*
 * scan_digits - the decimal digits opening [s, end): their count, and
 * in *value the number they make when there are 1 to 18 of them (then
 * it fits an int64_t).  Up to seven digits followed by another byte
 * are read as one word: bytes that are digits xor '0' become 0-9, and
 * adding 0x76 to each sets the high bit of every byte that was not a
 * digit (a carry out of such a byte can only mark bytes above it,
 * never one below); the digits are shifted to the top of the word,
 * leaving zeros (leading '0's) below, and summed pairwise in three
 * multiplications.  Longer runs, the end of the line and big-endian
 * hosts take the byte loop.
 */
static inline size_t
scan_digits(const char *s, const char *end, int64_t *value)
{
	int64_t		v = 0;
	size_t		n = 0;

#if SCAN_WORDS
	if (end - s >= 8) {
		uint64_t	w, marks;

		memcpy(&w, s, sizeof(w));
		w ^= SCAN_ONES * '0';
		marks = ((w + SCAN_ONES * 0x76) | w) & SCAN_HIGHS;
		if (marks != 0) {
			n = (size_t)__builtin_ctzll(marks) >> 3;
			if (n == 0)
				return 0;
			w <<= 8 * (8 - n);
			w = (w * 10 + (w >> 8)) & UINT64_C(0x00ff00ff00ff00ff);
			w = (w * 100 + (w >> 16)) &
			    UINT64_C(0x0000ffff0000ffff);
			w = (w * 10000 + (w >> 32)) & UINT64_C(0xffffffff);
			*value = (int64_t)w;
			return n;
		}
	}
#endif
	for (; s < end && (unsigned)(*s - '0') <= 9; s++, n++)
		if (n < 18)
			v = v * 10 + (*s - '0');
	if (n >= 1 && n <= 18)
		*value = v;
	return n;
}

/*
 * scan_same - whether a and b hold the same n bytes.  For the short
 * runs the parsers compare with what they saw on the line before (a
 * time stamp, a host and program tag) or dispatch a line on (a literal
 * such as "to=<") a call to memcmp() costs more than the comparison,
 * and GCC inlines a memcmp() of constant length only where it expects
 * the code to be hot.  From eight bytes this takes eight a step, the
 * last eight first (where such runs differ: seconds, the end of a
 * program name), and then the rest from the start, the last step of
 * which may overlap them.  Shorter runs take two loads of four bytes
 * (4 to 7) or of two (2 or 3), the first and the last, overlapping in
 * between.  Loads go through memcpy(), so need no alignment, and those
 * of a literal fold to constants.  Any byte order will do, as only
 * equality is asked.
 */
static inline int
scan_same(const char *a, const char *b, size_t n)
{
	uint64_t	x, y;
	uint32_t	u, v;
	uint16_t	h, g;
	size_t		i;

	if (n >= 8) {
		memcpy(&x, a + n - 8, sizeof(x));
		memcpy(&y, b + n - 8, sizeof(y));
		if (x != y)
			return 0;
		for (i = 0; i + 8 < n; i += 8) {
			memcpy(&x, a + i, sizeof(x));
			memcpy(&y, b + i, sizeof(y));
			if (x != y)
				return 0;
		}
		return 1;
	}
	if (n >= 4) {
		memcpy(&u, a + n - 4, sizeof(u));
		memcpy(&v, b + n - 4, sizeof(v));
		if (u != v)
			return 0;
		memcpy(&u, a, sizeof(u));
		memcpy(&v, b, sizeof(v));
		return u == v;
	}
	if (n >= 2) {
		memcpy(&h, a + n - 2, sizeof(h));
		memcpy(&g, b + n - 2, sizeof(g));
		if (h != g)
			return 0;
		memcpy(&h, a, sizeof(h));
		memcpy(&g, b, sizeof(g));
		return h == g;
	}
	return n == 0 || *a == *b;
}

/*
 * scan_u64 - the n bytes at s, all decimal digits (at least one), as a
 * number in *out; false, *out untouched, when they are not.  A number
 * past 64 bits saturates at UINT64_MAX, so that one absurd count does
 * not cost the whole line.  v * 10 + d passes UINT64_MAX exactly when
 * v is above UINT64_MAX / 10, or equal to it with d above
 * UINT64_MAX % 10: two compares with constants instead of a division.
 */
static inline bool
scan_u64(const char *s, size_t n, uint64_t *out)
{
	uint64_t	v = 0;
	size_t		i;

	if (n == 0)
		return false;
	for (i = 0; i < n; i++) {
		unsigned	d = (unsigned char)s[i] - '0';

		if (d > 9)
			return false;
		v = v > UINT64_MAX / 10 || (v == UINT64_MAX / 10 &&
		    d > UINT64_MAX % 10) ? UINT64_MAX : v * 10 + d;
	}
	*out = v;
	return true;
}

/*
 * scan_status_code - the RFC 3463 status code at s ("5.1.1": class 2,
 * 4 or 5, then two parts of 1 to 3 digits), after an optional SMTP
 * reply code and a space ("550 5.1.1"), or a hyphen too when
 * continued is set ("550-5.7.1", a line of a multi-line reply), and
 * followed by a space or end; unset when there is none.
 */
static inline struct zstr
scan_status_code(const char *s, const char *end, bool continued)
{
	const char	*d;
	int		 part, n;

	if (end - s >= 4 && (unsigned)(s[0] - '0') <= 9 &&
	    (unsigned)(s[1] - '0') <= 9 && (unsigned)(s[2] - '0') <= 9 &&
	    (s[3] == ' ' || (continued && s[3] == '-')))
		s += 4;
	if (s >= end || (*s != '2' && *s != '4' && *s != '5'))
		return ZSTR_NULL;
	d = s++;
	for (part = 0; part < 2; part++) {
		if (s >= end || *s++ != '.')
			return ZSTR_NULL;
		for (n = 0; s < end && (unsigned)(*s - '0') <= 9; s++)
			n++;
		if (n < 1 || n > 3)
			return ZSTR_NULL;
	}
	if (s < end && *s != ' ')
		return ZSTR_NULL;
	return zstr_make(d, (size_t)(s - d));
}

#endif
