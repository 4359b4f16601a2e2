/*
 * fuzz_distinct - libFuzzer target for util/distinct and util/hll, the
 * distinct counters the aggregator merges.
 *
 * Input: one mode byte.  Mode 0x80 and up: the rest is text for
 * hll_decode().  Otherwise the rest is a list of 16-bit items (little
 * endian): the low 15 bits a value, the top bit which of two halves it
 * goes to; each value is added as its hash_fingerprint() to a counter
 * of everything and to the counter of its half.  Inputs of a few KB
 * cross DISTINCT_EXACT_MAX, so both the exact set and the sketch are
 * reached, and merges across the switch.
 *
 * Checked: the halves merged into an empty counter, and one half
 * merged into the other, equal the single counter (distinct.h: merging
 * gives the very state one pass gives); an exact counter counts
 * exactly and lists its fingerprints in ascending order; a sketch
 * counts more than DISTINCT_EXACT_MAX and within 10% of the truth; a
 * sketch's encoding decodes to an equal sketch, and text that decodes
 * encodes to text that decodes to the same sketch.  Any failure
 * aborts.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/distinct.h"
#include "util/hash.h"
#include "util/hll.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__,	\
		    __LINE__, #cond);					\
		abort();						\
	}								\
} while (0)

#define VALUES		(1U << 15)

/* check_decode - arbitrary text through hll_decode() */
static void
check_decode(const uint8_t *data, size_t size)
{
	struct hll	*h, *again;
	char		*text, *enc;

	text = malloc(size);	/* ASan: malloc(0) is a unique pointer */
	CHECK(text != NULL);
	memcpy(text, data, size);
	h = hll_decode(text, size);
	if (h != NULL) {
		CHECK(size == HLL_ENCODED_LEN);
		enc = hll_encode(h);
		CHECK(enc != NULL && strlen(enc) == HLL_ENCODED_LEN);
		again = hll_decode(enc, strlen(enc));
		CHECK(again != NULL && hll_equal(h, again));
		CHECK(hll_estimate(h) >= 0);
		hll_free(again);
		free(enc);
		hll_free(h);
	}
	free(text);
}

/* check_sketch - a sketch survives its encoding */
static void
check_sketch(const struct distinct *d)
{
	const struct hll *h = distinct_sketch(d);
	struct hll	*back;
	char		*enc;

	CHECK(h != NULL);
	enc = hll_encode(h);
	CHECK(enc != NULL && strlen(enc) == HLL_ENCODED_LEN);
	back = hll_decode(enc, strlen(enc));
	CHECK(back != NULL && hll_equal(h, back));
	hll_free(back);
	free(enc);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct distinct	*all, *half[2], *merged;
	uint8_t		*seen;
	uint64_t	*fps, count, truth = 0, diff;
	uint16_t	 item, value;
	size_t		 i, n;

	if (size < 1)
		return 0;
	if (data[0] >= 0x80) {
		check_decode(data + 1, size - 1);
		return 0;
	}
	data++;
	size--;

	seen = calloc(VALUES, 1);
	CHECK(seen != NULL);
	all = distinct_new();
	half[0] = distinct_new();
	half[1] = distinct_new();
	for (i = 0; i + 1 < size; i += 2) {
		uint64_t fp;

		item = (uint16_t)(data[i] | data[i + 1] << 8);
		value = item & (VALUES - 1);
		fp = hash_fingerprint(&value, sizeof(value));
		CHECK(fp != 0);
		distinct_add(all, fp);
		distinct_add(half[item >> 15], fp);
		if (!seen[value]) {
			seen[value] = 1;
			truth++;
		}
	}

	count = distinct_count(all);
	if (truth <= DISTINCT_EXACT_MAX) {
		CHECK(distinct_is_exact(all));
		CHECK(count == truth);
		fps = distinct_fingerprints(all, &n);
		CHECK(n == truth);
		for (i = 1; i < n; i++)
			CHECK(fps[i - 1] < fps[i]);
		free(fps);
	} else {
		CHECK(!distinct_is_exact(all));
		CHECK(count > DISTINCT_EXACT_MAX);
		diff = count > truth ? count - truth : truth - count;
		CHECK(diff <= truth / 10);
		check_sketch(all);
	}

	merged = distinct_new();
	distinct_merge(merged, half[0]);
	distinct_merge(merged, half[1]);
	CHECK(distinct_equal(all, merged));
	CHECK(distinct_count(merged) == count);
	distinct_merge(half[1], half[0]);
	CHECK(distinct_equal(all, half[1]));
	/* merging what is already in changes nothing */
	distinct_merge(half[1], half[0]);
	CHECK(distinct_equal(all, half[1]));

	distinct_free(merged);
	distinct_free(half[0]);
	distinct_free(half[1]);
	distinct_free(all);
	free(seen);
	return 0;
}
