/*
 * fpcount - a set of fingerprints, each seen once or more than once.
 *
 * What the analysis needs of an account's recipients is how many
 * there are and how many of them were mailed more than once; the
 * addresses themselves are never shown.  Kept as strings they were
 * the largest part of a day with many accounts.  Here a recipient is
 * its hash_fingerprint() (util/hash.h) and one bit: 8 bytes and a bit
 * per slot, at most 3/4 of the slots used.  Two addresses share a
 * fingerprint with odds of about n^2 / 2^65 for n addresses, nothing
 * at the sizes a set is kept for (see util/distinct.h).
 *
 * Slots are chosen by a per-set multiplier of the fingerprint, so the
 * fingerprints of attacker-chosen addresses cannot be steered into one
 * run of slots.  Iteration follows the slots, so its order differs
 * from set to set: a caller that shows the members sorts them.
 *
 * The state is a function of the members and their two-valued counts
 * only, so two sets merge member by member into the set of the union.
 *
 * Ownership: fpcount_new() results are freed with fpcount_free().
 */
#ifndef ZS_FPCOUNT_H
#define ZS_FPCOUNT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct fpcount;

/* fpcount_new - empty set; free with fpcount_free() */
struct fpcount	*fpcount_new(void);

/* fpcount_free - free the set; NULL is a no-op */
void		 fpcount_free(struct fpcount *c);

/*
 * fpcount_add - count fp (non-zero) n more times (n >= 1): a new
 * member is seen more than once when n >= 2, a known one from now on;
 * true when fp was new
 */
bool		 fpcount_add(struct fpcount *c, uint64_t fp, uint64_t n);

/* fpcount_count - number of members */
size_t		 fpcount_count(const struct fpcount *c);

/* fpcount_repeated - number of members seen more than once */
size_t		 fpcount_repeated(const struct fpcount *c);

/*
 * fpcount_next - iterate: start with *pos = 0; each call gives the
 * next member and whether it was seen more than once (either output
 * may be NULL), or false after the last
 */
bool		 fpcount_next(const struct fpcount *c, size_t *pos,
		    uint64_t *fp, bool *repeated);

/* fpcount_memory - bytes the set holds */
size_t		 fpcount_memory(const struct fpcount *c);

#endif
