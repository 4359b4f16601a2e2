/*
 * hll - HyperLogLog sketch (see hll.h).
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util/hll.h"
#include "util/wire.h"
#include "util/xalloc.h"

struct hll {
	uint8_t		registers[HLL_REGISTERS];
};

/* Bits of a value left for the rank once the register is chosen. */
#define HLL_RANK_BITS	(64 - HLL_PRECISION)

/* 1 / (2 ln 2): the limit of HyperLogLog's alpha_m for large m. */
#define HLL_ALPHA_INF	0.72134752044448170368

static const char base64_alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* hll_new - empty sketch */
struct hll *
hll_new(void)
{
	return xcalloc(1, sizeof(struct hll));
}

/* hll_free - free the sketch */
void
hll_free(struct hll *hll)
{
	free(hll);
}

/*
 * rank_of - 1 + leading zeros of the bits below the register index;
 * all-zero bits give the largest rank.  Every add asks, so a count
 * leading zeros instruction does it where the compiler has one.
 */
static uint8_t
rank_of(uint64_t value)
{
	uint64_t w = value << HLL_PRECISION;

	if (w == 0)
		return HLL_MAX_RANK;
#if defined(__GNUC__) || defined(__clang__)
	return (uint8_t)(__builtin_clzll(w) + 1);
#else
	{
		uint8_t	 rank = 1;

		while ((w & (UINT64_C(1) << 63)) == 0) {
			w <<= 1;
			rank++;
		}
		return rank;
	}
#endif
}

/* hll_add - keep the largest rank per register */
void
hll_add(struct hll *hll, uint64_t value)
{
	size_t	index = (size_t)(value >> HLL_RANK_BITS);
	uint8_t	rank = rank_of(value);

	if (rank > hll->registers[index])
		hll->registers[index] = rank;
}

/* hll_prefetch - see hll.h */
void
hll_prefetch(const struct hll *hll, uint64_t value)
{
#if defined(__GNUC__) || defined(__clang__)
	__builtin_prefetch(&hll->registers[value >> HLL_RANK_BITS]);
#else
	(void)hll;
	(void)value;
#endif
}

/* hll_merge - register-wise maximum */
void
hll_merge(struct hll *into, const struct hll *from)
{
	size_t	i;

	for (i = 0; i < HLL_REGISTERS; i++)
		if (from->registers[i] > into->registers[i])
			into->registers[i] = from->registers[i];
}

/*
 * sigma - x + sum over k >= 1 of x^(2^k) 2^(k-1), for 0 <= x < 1
 * (Ertl 2017, eq. 41).  The terms shrink to nothing, so the sum stops
 * changing.
 */
static double
sigma(double x)
{
	double	y = 1.0, z = x, prev;

	do {
		x *= x;
		prev = z;
		z += x * y;
		y += y;
	} while (z != prev);
	return z;
}

/*
 * tau - (1 - x - sum over k >= 1 of (1 - x^(2^-k))^2 2^-k) / 3, for
 * 0 <= x <= 1 (Ertl 2017, eq. 48).
 */
static double
tau(double x)
{
	double	y = 1.0, z, prev;

	if (x == 0.0 || x == 1.0)
		return 0.0;
	z = 1.0 - x;
	do {
		x = sqrt(x);
		prev = z;
		y *= 0.5;
		z -= (1.0 - x) * (1.0 - x) * y;
	} while (z != prev);
	return z / 3.0;
}

/* hll_estimate reads the registers eight at a time. */
_Static_assert(HLL_REGISTERS % 8 == 0, "registers come in words");

/*
 * hll_estimate - Ertl's improved raw estimator: from the histogram of
 * register values, alpha_inf m^2 / (m sigma(C0 / m) + sum of C_k 2^-k
 * + m tau(1 - C_{q+1} / m) 2^-q), the sum computed Horner-style.  The
 * sigma term takes over where linear counting would, the tau term
 * where registers saturate.
 */
double
hll_estimate(const struct hll *hll)
{
	const double m = (double)HLL_REGISTERS;
	uint32_t counts[HLL_MAX_RANK + 1];
	double	 z;
	size_t	 i, j;
	int	 k;

	memset(counts, 0, sizeof(counts));
	/*
	 * A sketch just past the exact limit has most registers still 0,
	 * so eight of them that are all 0 are counted at once.
	 */
	for (i = 0; i < HLL_REGISTERS; i += 8) {
		uint64_t w;

		memcpy(&w, &hll->registers[i], sizeof(w));
		if (w == 0) {
			counts[0] += 8;
			continue;
		}
		for (j = i; j < i + 8; j++)
			counts[hll->registers[j]]++;
	}
	if (counts[0] == HLL_REGISTERS)
		return 0.0;
	/* Every register saturated: no finite estimate (z would be 0). */
	if (counts[HLL_MAX_RANK] == HLL_REGISTERS)
		return HUGE_VAL;
	z = m * tau(1.0 - (double)counts[HLL_MAX_RANK] / m);
	for (k = HLL_RANK_BITS; k >= 1; k--)
		z = 0.5 * (z + (double)counts[k]);
	z += m * sigma((double)counts[0] / m);
	return HLL_ALPHA_INF * m * m / z;
}

/* hll_equal - same registers */
bool
hll_equal(const struct hll *a, const struct hll *b)
{
	return memcmp(a->registers, b->registers, HLL_REGISTERS) == 0;
}

/* hll_registers - the register array */
const uint8_t *
hll_registers(const struct hll *hll)
{
	return hll->registers;
}

/* hll_memory - the one allocation */
size_t
hll_memory(const struct hll *hll)
{
	return sizeof(*hll);
}

/* hll_encode - base64 of the registers */
char *
hll_encode(const struct hll *hll)
{
	const uint8_t *r = hll->registers;
	char	*out = xmalloc(HLL_ENCODED_LEN + 1), *p = out;
	size_t	 i;

	for (i = 0; i + 3 <= HLL_REGISTERS; i += 3) {
		uint32_t v = (uint32_t)r[i] << 16 | (uint32_t)r[i + 1] << 8 |
		    r[i + 2];

		*p++ = base64_alphabet[v >> 18 & 63];
		*p++ = base64_alphabet[v >> 12 & 63];
		*p++ = base64_alphabet[v >> 6 & 63];
		*p++ = base64_alphabet[v & 63];
	}
	if (HLL_REGISTERS - i == 1) {
		uint32_t v = (uint32_t)r[i] << 16;

		*p++ = base64_alphabet[v >> 18 & 63];
		*p++ = base64_alphabet[v >> 12 & 63];
		*p++ = '=';
		*p++ = '=';
	} else if (HLL_REGISTERS - i == 2) {
		uint32_t v = (uint32_t)r[i] << 16 | (uint32_t)r[i + 1] << 8;

		*p++ = base64_alphabet[v >> 18 & 63];
		*p++ = base64_alphabet[v >> 12 & 63];
		*p++ = base64_alphabet[v >> 6 & 63];
		*p++ = '=';
	}
	*p = '\0';
	return out;
}

/* base64_value - the 6 bits a character stands for, -1 if none */
static int
base64_value(char c)
{
	const char *p;

	if (c == '\0')
		return -1;
	p = strchr(base64_alphabet, c);
	return p != NULL ? (int)(p - base64_alphabet) : -1;
}

/*
 * hll_decode - the inverse of hll_encode.  Only the exact canonical
 * form is accepted: one length, padding only at the end, unused bits
 * of the last group zero, every register a rank hll_add() can set.
 */
struct hll *
hll_decode(const char *text, size_t len)
{
	struct hll *hll;
	uint32_t acc = 0;
	size_t	 in, out = 0, data_chars;
	int	 bits = 0, v;

	/* 16384 = 3 * 5461 + 1: the last group holds one byte. */
	data_chars = HLL_REGISTERS / 3 * 4 + (HLL_REGISTERS % 3 == 0 ? 0 :
	    HLL_REGISTERS % 3 + 1);
	if (text == NULL || len != HLL_ENCODED_LEN)
		return NULL;
	for (in = data_chars; in < len; in++)
		if (text[in] != '=')
			return NULL;
	hll = hll_new();
	for (in = 0; in < data_chars; in++) {
		if ((v = base64_value(text[in])) < 0)
			goto bad;
		acc = (acc << 6 | (uint32_t)v) & 0xffffff;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (out == HLL_REGISTERS)
				goto bad;
			hll->registers[out++] = (uint8_t)(acc >> bits);
		}
	}
	if (out != HLL_REGISTERS || (acc & ((UINT32_C(1) << bits) - 1)) != 0)
		goto bad;
	for (out = 0; out < HLL_REGISTERS; out++)
		if (hll->registers[out] > HLL_MAX_RANK)
			goto bad;
	return hll;
bad:
	hll_free(hll);
	return NULL;
}

/* hll_save - sparse or dense, whichever is shorter */
void
hll_save(const struct hll *hll, struct wire_buf *buf)
{
	size_t	i, nonzero = 0, prev = 0;

	for (i = 0; i < HLL_REGISTERS; i++)
		if (hll->registers[i] != 0)
			nonzero++;
	/* A sparse entry takes at most 3 bytes (gap < 2^14, rank). */
	if (nonzero * 3 + 3 >= HLL_REGISTERS) {
		wire_put_u8(buf, HLL_SAVE_DENSE);
		wire_put_raw(buf, hll->registers, HLL_REGISTERS);
		return;
	}
	wire_put_u8(buf, HLL_SAVE_SPARSE);
	wire_put_uvarint(buf, nonzero);
	for (i = 0; i < HLL_REGISTERS; i++) {
		if (hll->registers[i] == 0)
			continue;
		wire_put_uvarint(buf, i - prev);
		wire_put_u8(buf, hll->registers[i]);
		prev = i;
	}
}

/* hll_load - check every register while reading it */
struct hll *
hll_load(struct wire_reader *r)
{
	struct hll *hll;
	const unsigned char *p;
	uint64_t n, gap, index = 0, i;
	uint8_t	 rank;

	switch (wire_get_u8(r)) {
	case HLL_SAVE_DENSE:
		if ((p = wire_get_raw(r, HLL_REGISTERS)) == NULL)
			return NULL;
		for (i = 0; i < HLL_REGISTERS; i++)
			if (p[i] > HLL_MAX_RANK)
				goto bad;
		hll = hll_new();
		memcpy(hll->registers, p, HLL_REGISTERS);
		return hll;
	case HLL_SAVE_SPARSE:
		break;
	default:
		goto bad;
	}
	n = wire_get_uvarint(r);
	if (r->failed || n > HLL_REGISTERS)
		goto bad;
	hll = hll_new();
	for (i = 0; i < n; i++) {
		gap = wire_get_uvarint(r);
		rank = wire_get_u8(r);
		/* The first index may be 0; later ones must ascend. */
		if (r->failed || (i > 0 && gap == 0) ||
		    gap >= HLL_REGISTERS - index || rank == 0 ||
		    rank > HLL_MAX_RANK) {
			hll_free(hll);
			goto bad;
		}
		index += gap;
		hll->registers[index] = rank;
	}
	return hll;
bad:
	r->failed = true;
	r->p = r->end;
	return NULL;
}
