/*
 * distinct - exact-then-sketched distinct counter (see distinct.h).
 *
 * Exactly one form is live: set (NULL while empty) or sketch.  The
 * switch happens on the add that would make the set one larger than
 * DISTINCT_EXACT_MAX, and never goes back.
 */
#include "config.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "util/distinct.h"
#include "util/fpcount.h"
#include "util/xalloc.h"

struct distinct {
	struct fpcount	*set;		/* counts unused; NULL if empty
					   or sketched */
	struct hll	*sketch;	/* NULL while exact */
};

/* distinct_new - empty counter; the set is made on the first add */
struct distinct *
distinct_new(void)
{
	return xcalloc(1, sizeof(struct distinct));
}

/* distinct_free - free the counter */
void
distinct_free(struct distinct *d)
{
	if (d == NULL)
		return;
	fpcount_free(d->set);
	hll_free(d->sketch);
	free(d);
}

/* to_sketch - replace the set by the sketch of its members */
static void
to_sketch(struct distinct *d)
{
	uint64_t key;
	size_t	 pos = 0;

	assert(d->sketch == NULL);
	d->sketch = hll_new();
	if (d->set != NULL) {
		while (fpcount_next(d->set, &pos, &key, NULL))
			hll_add(d->sketch, key);
		fpcount_free(d->set);
		d->set = NULL;
	}
}

/* distinct_add - into the set, switching to the sketch past the limit */
void
distinct_add(struct distinct *d, uint64_t fingerprint)
{
	assert(fingerprint != 0);
	if (d->sketch != NULL) {
		hll_add(d->sketch, fingerprint);
		return;
	}
	if (d->set == NULL)
		d->set = fpcount_new();
	if (fpcount_add(d->set, fingerprint, 1) &&
	    fpcount_count(d->set) > DISTINCT_EXACT_MAX)
		to_sketch(d);
}

/* distinct_prefetch - see distinct.h */
void
distinct_prefetch(const struct distinct *d, uint64_t fingerprint)
{
	if (d->sketch != NULL)
		hll_prefetch(d->sketch, fingerprint);
}

/*
 * distinct_merge - the counter of the union.  A sketched side makes
 * the union larger than DISTINCT_EXACT_MAX, so into becomes a sketch
 * first.  An exact side is added member by member: into stays exact
 * while the union is small and otherwise ends as the sketch of every
 * member of both, whichever add crossed the limit.
 */
void
distinct_merge(struct distinct *into, const struct distinct *from)
{
	uint64_t key;
	size_t	 pos = 0;

	assert(into != from);
	if (from->sketch != NULL) {
		if (into->sketch == NULL)
			to_sketch(into);
		hll_merge(into->sketch, from->sketch);
		return;
	}
	if (from->set == NULL)
		return;
	while (fpcount_next(from->set, &pos, &key, NULL))
		distinct_add(into, key);
}

/* distinct_count - exact size or rounded estimate */
uint64_t
distinct_count(const struct distinct *d)
{
	double	est;

	if (d->sketch == NULL)
		return d->set != NULL ? fpcount_count(d->set) : 0;
	est = hll_estimate(d->sketch);
	/* Also keeps the conversion below in range. */
	if (!(est >= (double)(DISTINCT_EXACT_MAX + 1)))
		return DISTINCT_EXACT_MAX + 1;
	if (est >= 18446744073709549568.0)	/* largest double < 2^64 */
		return UINT64_MAX;
	return (uint64_t)(est + 0.5);
}

/* distinct_is_exact - still a set */
bool
distinct_is_exact(const struct distinct *d)
{
	return d->sketch == NULL;
}

/* u64_cmp - ascending */
static int
u64_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* distinct_fingerprints - the sorted set */
uint64_t *
distinct_fingerprints(const struct distinct *d, size_t *count)
{
	uint64_t *keys;
	size_t	 n = 0, pos = 0;

	*count = 0;
	if (d->sketch != NULL || d->set == NULL)
		return NULL;
	keys = xcalloc(fpcount_count(d->set) + 1, sizeof(*keys));
	while (fpcount_next(d->set, &pos, &keys[n], NULL))
		n++;
	qsort(keys, n, sizeof(*keys), u64_cmp);
	*count = n;
	return keys;
}

/* distinct_sketch - the sketch or NULL */
const struct hll *
distinct_sketch(const struct distinct *d)
{
	return d->sketch;
}

/* distinct_equal - same form, same content */
bool
distinct_equal(const struct distinct *a, const struct distinct *b)
{
	uint64_t *ka, *kb;
	size_t	 na, nb;
	bool	 same;

	if ((a->sketch == NULL) != (b->sketch == NULL))
		return false;
	if (a->sketch != NULL)
		return hll_equal(a->sketch, b->sketch);
	ka = distinct_fingerprints(a, &na);
	kb = distinct_fingerprints(b, &nb);
	same = na == nb && (na == 0 ||
	    memcmp(ka, kb, na * sizeof(*ka)) == 0);
	free(ka);
	free(kb);
	return same;
}

/* distinct_memory - the struct and whichever form is live */
size_t
distinct_memory(const struct distinct *d)
{
	size_t	n = sizeof(*d);

	if (d->set != NULL)
		n += fpcount_memory(d->set);
	if (d->sketch != NULL)
		n += hll_memory(d->sketch);
	return n;
}

/* distinct_save - form, then the set or the sketch */
void
distinct_save(const struct distinct *d, struct wire_buf *buf)
{
	uint64_t *fps, prev = 0;
	size_t	  n, i;

	if (d != NULL && d->sketch != NULL) {
		wire_put_u8(buf, DISTINCT_SAVE_SKETCH);
		hll_save(d->sketch, buf);
		return;
	}
	if (d == NULL || d->set == NULL || fpcount_count(d->set) == 0) {
		wire_put_u8(buf, DISTINCT_SAVE_EMPTY);
		return;
	}
	fps = distinct_fingerprints(d, &n);
	wire_put_u8(buf, DISTINCT_SAVE_EXACT);
	wire_put_uvarint(buf, n);
	for (i = 0; i < n; i++) {
		wire_put_uvarint(buf, fps[i] - prev);
		prev = fps[i];
	}
	free(fps);
}

/* distinct_load - rebuild the set fingerprint by fingerprint */
struct distinct *
distinct_load(struct wire_reader *r)
{
	struct distinct *d;
	uint64_t	 n, i, gap, fp = 0;

	switch (wire_get_u8(r)) {
	case DISTINCT_SAVE_EMPTY:
		return r->failed ? NULL : distinct_new();
	case DISTINCT_SAVE_SKETCH:
		d = distinct_new();
		if ((d->sketch = hll_load(r)) == NULL) {
			free(d);
			return NULL;
		}
		return d;
	case DISTINCT_SAVE_EXACT:
		break;
	default:
		goto bad;
	}
	n = wire_get_uvarint(r);
	/* An exact set is never empty nor past the switch. */
	if (r->failed || n == 0 || n > DISTINCT_EXACT_MAX)
		goto bad;
	d = distinct_new();
	for (i = 0; i < n; i++) {
		gap = wire_get_uvarint(r);
		if (r->failed || gap == 0 || gap > UINT64_MAX - fp) {
			distinct_free(d);
			goto bad;
		}
		fp += gap;
		distinct_add(d, fp);
	}
	return d;
bad:
	r->failed = true;
	r->p = r->end;
	return NULL;
}
