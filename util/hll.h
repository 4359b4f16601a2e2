/*
 * hll - HyperLogLog sketch of a set of 64-bit hashes.
 *
 * Estimates how many distinct values were added, in fixed memory: a
 * spam run to a million addresses costs 16 KiB, not a million
 * fingerprints.  Inputs must already be uniformly distributed 64-bit
 * values, such as util/hash.h hash_fingerprint() results; the sketch
 * does not hash again.
 *
 * Layout: precision p = 14, so 2^14 = 16384 registers, one byte each
 * (16 KiB).  Bytes rather than packed 6-bit fields cost 4 KiB more per
 * sketch and keep adding and merging to plain byte loads and stores.
 * The top 14 bits of a value pick the register; the register keeps
 * the largest rank seen, the rank being 1 + the number of leading
 * zeros of the remaining 50 bits (51 when they are all zero), 0 for a
 * register nothing reached.
 *
 * Estimate: Ertl's improved raw estimator (O. Ertl, "New cardinality
 * estimation algorithms for HyperLogLog sketches", 2017, algorithm 6),
 * which needs neither bias tables nor a switch to linear counting and
 * is unbiased from a handful of values to far beyond 2^50.  Its
 * relative standard error is about 1.04 / sqrt(16384) = 0.81%.
 *
 * The registers are a pure function of the SET of values added: order
 * and repetition do not matter, and hll_merge() (register-wise
 * maximum) of the sketches of two sets is exactly the sketch of their
 * union.  The estimate is a function of the registers alone, computed
 * with IEEE additions, multiplications and square roots only, so equal
 * sketches give equal estimates on every platform.
 *
 * Ownership: hll_new() and hll_decode() results are freed with
 * hll_free(); hll_encode() returns a string the caller frees.
 */
#ifndef ZS_HLL_H
#define ZS_HLL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/wire.h"

#define HLL_PRECISION	14
#define HLL_REGISTERS	(1U << HLL_PRECISION)
#define HLL_MAX_RANK	(64 - HLL_PRECISION + 1)	/* 51 */

/* Length of hll_encode() text: base64 of the registers, padded. */
#define HLL_ENCODED_LEN	((HLL_REGISTERS + 2) / 3 * 4)

struct hll;

/* hll_new - an empty sketch; free with hll_free() */
struct hll	*hll_new(void);

/* hll_free - free the sketch; NULL is a no-op */
void		 hll_free(struct hll *hll);

/* hll_add - add one uniformly distributed 64-bit value */
void		 hll_add(struct hll *hll, uint64_t value);

/* hll_prefetch - start loading the register hll_add(hll, value) will
   use, so that work done in between hides the cache miss */
void		 hll_prefetch(const struct hll *hll, uint64_t value);

/* hll_merge - into becomes the sketch of the union (from unchanged) */
void		 hll_merge(struct hll *into, const struct hll *from);

/*
 * hll_estimate - estimated number of distinct values added; HUGE_VAL
 * when every register holds HLL_MAX_RANK (only a crafted sketch or
 * some 2^64 values do that)
 */
double		 hll_estimate(const struct hll *hll);

/* hll_equal - whether two sketches have the same registers */
bool		 hll_equal(const struct hll *a, const struct hll *b);

/* hll_registers - the HLL_REGISTERS register bytes; borrowed */
const uint8_t	*hll_registers(const struct hll *hll);

/* hll_memory - bytes held */
size_t		 hll_memory(const struct hll *hll);

/*
 * hll_encode - the registers as base64 (RFC 4648, padded),
 * HLL_ENCODED_LEN characters; a canonical text: equal sketches give
 * equal texts.  Caller frees.
 */
char		*hll_encode(const struct hll *hll);

/*
 * hll_decode - the sketch hll_encode() wrote, or NULL when text is not
 * such an encoding (wrong length, alphabet or padding, or a register
 * above HLL_MAX_RANK).  Free with hll_free().
 */
struct hll	*hll_decode(const char *text, size_t len);

/*
 * hll_save - the registers in util/wire.h form: a form byte, then for
 * HLL_SAVE_SPARSE the number of non-zero registers and, for each, the
 * gap from the previous one's index (uvarint) and its rank (one byte);
 * for HLL_SAVE_DENSE the HLL_REGISTERS bytes.  Sparse is chosen when
 * it is shorter, as it is just past the exact-to-sketch switch.
 */
#define HLL_SAVE_SPARSE	0
#define HLL_SAVE_DENSE	1
void		 hll_save(const struct hll *hll, struct wire_buf *buf);

/*
 * hll_load - the sketch hll_save() wrote, or NULL (and r failed) when
 * the bytes are not such a sketch: an unknown form, an index out of
 * range or not ascending, a rank above HLL_MAX_RANK (or 0 in sparse
 * form).  Free with hll_free().
 */
struct hll	*hll_load(struct wire_reader *r);

#endif
