/*
 * distinct - count distinct fingerprints: exact while few, then a
 * HyperLogLog sketch (util/hll.h).
 *
 * Most accounts mail a few dozen addresses and should see exact
 * counts; a spam run mails a million and must not cost a million
 * fingerprints.  A distinct counter holds the set of fingerprints
 * (util/fpcount.h, its counts unused) while it has at most
 * DISTINCT_EXACT_MAX members; when one more arrives it builds the
 * sketch of every member and frees the set.
 *
 * DISTINCT_EXACT_MAX is 1024.  At that size the set's table has 2048
 * slots of 8 bytes and a bit (it stays under 3/4 full), about 16 KiB,
 * as much as the sketch: the exact form never costs more than that,
 * and the counts up to 1024 an analyst is likely to check by hand stay
 * exact.
 * Beyond, the sketch's error (0.81% standard, about 0.5% just past the
 * switch) is far finer than any threshold a count is compared with.
 *
 * Exact mergeability: the state is a pure function of the SET of
 * fingerprints added - the set itself when it has at most
 * DISTINCT_EXACT_MAX members, else the sketch of the set, itself a
 * pure function of the set.  distinct_merge() keeps this: two small
 * sets are united, and stay exact while the union is small; otherwise
 * both sides become sketches and are merged by register-wise maximum,
 * which is the sketch of the union.  So merging partial counters in
 * any order and grouping gives the very state one pass gives.
 *
 * Ownership: distinct_new() results are freed with distinct_free();
 * distinct_fingerprints() returns an array the caller frees.
 */
#ifndef ZS_DISTINCT_H
#define ZS_DISTINCT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/hll.h"
#include "util/wire.h"

#define DISTINCT_EXACT_MAX	1024

struct distinct;

/* distinct_new - an empty counter; free with distinct_free() */
struct distinct	*distinct_new(void);

/* distinct_free - free the counter; NULL is a no-op */
void		 distinct_free(struct distinct *d);

/* distinct_add - add a fingerprint (non-zero: hash_fingerprint) */
void		 distinct_add(struct distinct *d, uint64_t fingerprint);

/* distinct_prefetch - for a sketch, start loading what adding
   fingerprint will touch (hll_prefetch()); nothing while exact */
void		 distinct_prefetch(const struct distinct *d,
		    uint64_t fingerprint);

/* distinct_merge - into counts the union (from unchanged) */
void		 distinct_merge(struct distinct *into,
		    const struct distinct *from);

/*
 * distinct_count - the exact number of fingerprints while the counter
 * is exact; else the sketch's estimate rounded to the nearest integer
 * and raised to DISTINCT_EXACT_MAX + 1 if below it (there were at
 * least that many).
 */
uint64_t	 distinct_count(const struct distinct *d);

/* distinct_is_exact - whether the counter still holds the set */
bool		 distinct_is_exact(const struct distinct *d);

/*
 * distinct_fingerprints - the set in ascending order, *count members;
 * NULL with *count 0 once the counter is a sketch (or is empty).
 * Caller frees.
 */
uint64_t	*distinct_fingerprints(const struct distinct *d,
		    size_t *count);

/* distinct_sketch - the sketch, NULL while exact; borrowed */
const struct hll *distinct_sketch(const struct distinct *d);

/* distinct_equal - same state: equal sets, or equal sketches */
bool		 distinct_equal(const struct distinct *a,
		    const struct distinct *b);

/* distinct_memory - bytes held */
size_t		 distinct_memory(const struct distinct *d);

/*
 * distinct_save - the counter in util/wire.h form: a form byte
 * (DISTINCT_SAVE_EMPTY, _EXACT, _SKETCH); for exact the number of
 * fingerprints and the ascending fingerprints as gaps (uvarints, the
 * first from 0); for a sketch hll_save().  d may be NULL (empty).
 */
#define DISTINCT_SAVE_EMPTY	0
#define DISTINCT_SAVE_EXACT	1
#define DISTINCT_SAVE_SKETCH	2
void		 distinct_save(const struct distinct *d, struct wire_buf *buf);

/*
 * distinct_load - the counter distinct_save() wrote, or NULL (and r
 * failed) when it is not one: an unknown form, more than
 * DISTINCT_EXACT_MAX fingerprints, a zero or repeated fingerprint, a
 * bad sketch.  An empty counter loads as an empty distinct_new().
 * Free with distinct_free().
 */
struct distinct	*distinct_load(struct wire_reader *r);

#endif
