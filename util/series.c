/*
 * series - counters over ordered 64-bit keys, stored compactly (see
 * series.h).
 */
#include "config.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/series.h"
#include "util/xalloc.h"

/*
 * The buffer holds buf_n entries in ascending key order, each the
 * uvarint of the key's distance from the previous entry's key (of the
 * key itself for the first) and the uvarint of its count.  The entry
 * with the greatest key (the tail) is kept decoded, because adds go to
 * it far more often than anywhere else.  Every key in the buffer and
 * in the late list is below the tail's key.
 */
struct series {
	uint8_t		*buf;
	struct series_pair *late;	/* unsorted, keys may repeat; room
					   for late_room(late_n) pairs */
	uint64_t	 buf_last;	/* key of the last buffer entry */
	uint64_t	 tail_key, tail_value;
	uint32_t	 len, cap;	/* bytes of buf used, allocated */
	uint32_t	 late_n;
	unsigned int	 buf_n : 31;	/* entries in buf */
	unsigned int	 has_tail : 1;
};

/* An account keeps several series: the struct is kept to 56 bytes. */
_Static_assert(sizeof(void *) != 8 || sizeof(struct series) == 56,
    "struct series grew");
#define SERIES_MAX_BYTES	UINT32_MAX
#define SERIES_MAX_ENTRIES	((UINT32_C(1) << 31) - 1)

/* Fold the late list in when it holds this many entries, or an eighth
   of the buffer's, whichever is more. */
#define SERIES_LATE_MIN		16
#define SERIES_LATE_SHARE	8

/* The longest uvarint of a 64-bit number. */
#define UVARINT_MAX		10

/* sat_add - a + b, stopping at the maximum instead of wrapping */
static uint64_t
sat_add(uint64_t a, uint64_t b)
{
	return a + b < a ? UINT64_MAX : a + b;
}

/* put_uvarint - append v, seven bits a byte, low bits first */
static void
put_uvarint(struct series *s, uint64_t v)
{
	while (v >= 0x80) {
		s->buf[s->len++] = (uint8_t)(v | 0x80);
		v >>= 7;
	}
	s->buf[s->len++] = (uint8_t)v;
}

/* get_uvarint - read a uvarint that put_uvarint wrote at *off */
static uint64_t
get_uvarint(const uint8_t *buf, size_t *off)
{
	uint64_t v = 0;
	unsigned shift = 0;
	uint8_t	 b;

	do {
		b = buf[(*off)++];
		v |= (uint64_t)(b & 0x7f) << shift;
		shift += 7;
	} while ((b & 0x80) != 0);
	return v;
}

/* encode - append (key, value) to the buffer; key above every key in it */
static void
encode(struct series *s, uint64_t key, uint64_t value)
{
	if (s->cap - s->len < 2 * UVARINT_MAX) {
		size_t	n = s->cap > 0 ? (size_t)s->cap + s->cap / 2 : 16;

		if (n < (size_t)s->len + 2 * UVARINT_MAX)
			n = (size_t)s->len + 2 * UVARINT_MAX;
		if (n > SERIES_MAX_BYTES)
			n = SERIES_MAX_BYTES;
		/* Far beyond any span of time slots a run covers. */
		if (n - s->len < 2 * UVARINT_MAX ||
		    s->buf_n == SERIES_MAX_ENTRIES) {
			fprintf(stderr, "zombiescan: a time series "
			    "outgrew %u bytes\n", (unsigned)SERIES_MAX_BYTES);
			abort();
		}
		s->buf = xreallocarray(s->buf, n, 1);
		s->cap = (uint32_t)n;
	}
	assert(s->buf_n == 0 || key > s->buf_last);
	put_uvarint(s, s->buf_n > 0 ? key - s->buf_last : key);
	put_uvarint(s, value);
	s->buf_last = key;
	s->buf_n++;
}

/* append - (key, value) with key above every key held: the new tail */
static void
append(struct series *s, uint64_t key, uint64_t value)
{
	if (s->has_tail)
		encode(s, s->tail_key, s->tail_value);
	s->tail_key = key;
	s->tail_value = value;
	s->has_tail = true;
}

/*
 * late_room - the pairs the late list has room for when it holds n:
 * none for none, then SERIES_LATE_MIN, doubled as it fills
 */
static size_t
late_room(size_t n)
{
	size_t	room = SERIES_LATE_MIN;

	if (n == 0)
		return 0;
	while (room < n)
		room *= 2;
	return room;
}

/* series_new - empty series */
struct series *
series_new(void)
{
	return xcalloc(1, sizeof(struct series));
}

/* series_free - free the series */
void
series_free(struct series *s)
{
	if (s == NULL)
		return;
	free(s->buf);
	free(s->late);
	free(s);
}

/* pair_cmp - qsort: by key */
static int
pair_cmp(const void *a, const void *b)
{
	const struct series_pair *x = a, *y = b;

	return x->key < y->key ? -1 : x->key > y->key;
}

/*
 * sorted_late - a sorted copy of the late list with equal keys
 * combined, its length in *n; NULL when the list is empty
 */
static struct series_pair *
sorted_late(const struct series *s, size_t *n)
{
	struct series_pair *p;
	size_t	 i, out = 0;

	*n = 0;
	if (s->late_n == 0)
		return NULL;
	p = xreallocarray(NULL, s->late_n, sizeof(*p));
	memcpy(p, s->late, s->late_n * sizeof(*p));
	qsort(p, s->late_n, sizeof(*p), pair_cmp);
	for (i = 1; i < s->late_n; i++) {
		if (p[i].key == p[out].key)
			p[out].value = sat_add(p[out].value, p[i].value);
		else
			p[++out] = p[i];
	}
	*n = out + 1;
	return p;
}

/* replace - give s the entries of t (which is emptied) */
static void
replace(struct series *s, struct series *t)
{
	free(s->buf);
	free(s->late);
	*s = *t;
	memset(t, 0, sizeof(*t));
}

/* fold - merge the late list into the buffer */
static void
fold(struct series *s)
{
	struct series_iter it;
	struct series	 t;
	uint64_t	 key, value;

	memset(&t, 0, sizeof(t));
	series_iter_init(&it, s);
	while (series_iter_next(&it, &key, &value))
		append(&t, key, value);
	series_iter_done(&it);
	replace(s, &t);
}

/* series_add - add delta to key's counter */
void
series_add(struct series *s, uint64_t key, uint64_t delta)
{
	size_t	limit;

	if (s->has_tail && key == s->tail_key) {
		s->tail_value = sat_add(s->tail_value, delta);
		return;
	}
	if (!s->has_tail || key > s->tail_key) {
		append(s, key, delta);
		return;
	}
	if (s->late_n == late_room(s->late_n))
		s->late = xreallocarray(s->late, late_room(s->late_n + 1),
		    sizeof(*s->late));
	s->late[s->late_n].key = key;
	s->late[s->late_n].value = delta;
	s->late_n++;
	limit = s->buf_n / SERIES_LATE_SHARE;
	if (limit < SERIES_LATE_MIN)
		limit = SERIES_LATE_MIN;
	if (s->late_n >= limit)
		fold(s);
}

/* series_merge - add every counter of from into into */
void
series_merge(struct series *into, const struct series *from)
{
	struct series_iter a, b;
	struct series	 t;
	uint64_t	 ka = 0, va = 0, kb = 0, vb = 0;
	bool		 ha, hb;

	assert(into != from);
	memset(&t, 0, sizeof(t));
	series_iter_init(&a, into);
	series_iter_init(&b, from);
	ha = series_iter_next(&a, &ka, &va);
	hb = series_iter_next(&b, &kb, &vb);
	while (ha || hb) {
		if (ha && (!hb || ka < kb)) {
			append(&t, ka, va);
			ha = series_iter_next(&a, &ka, &va);
		} else if (!ha || kb < ka) {
			append(&t, kb, vb);
			hb = series_iter_next(&b, &kb, &vb);
		} else {
			append(&t, ka, sat_add(va, vb));
			ha = series_iter_next(&a, &ka, &va);
			hb = series_iter_next(&b, &kb, &vb);
		}
	}
	series_iter_done(&a);
	series_iter_done(&b);
	replace(into, &t);
}

/* series_count - number of keys */
size_t
series_count(const struct series *s)
{
	struct series_iter it;
	uint64_t key, value;
	size_t	 n = 0;

	if (s->late_n == 0)
		return s->buf_n + (s->has_tail ? 1 : 0);
	series_iter_init(&it, s);
	while (series_iter_next(&it, &key, &value))
		n++;
	series_iter_done(&it);
	return n;
}

/* series_max - largest counter */
uint64_t
series_max(const struct series *s)
{
	struct series_iter it;
	uint64_t key, value, max = 0;

	series_iter_init(&it, s);
	while (series_iter_next(&it, &key, &value))
		if (value > max)
			max = value;
	series_iter_done(&it);
	return max;
}

/* series_memory - bytes held */
size_t
series_memory(const struct series *s)
{
	return sizeof(*s) + s->cap + late_room(s->late_n) * sizeof(*s->late);
}

/* series_iter_init - start reading s in key order */
void
series_iter_init(struct series_iter *it, const struct series *s)
{
	memset(it, 0, sizeof(*it));
	it->s = s;
	it->left = s->buf_n;
	it->late = sorted_late(s, &it->late_n);
}

/* series_iter_next - the next (key, count) */
bool
series_iter_next(struct series_iter *it, uint64_t *key, uint64_t *value)
{
	const struct series *s = it->s;
	const struct series_pair *late;
	bool	have_late;

	if (!it->have_buf && it->left > 0) {
		uint64_t d = get_uvarint(s->buf, &it->off);

		it->key = it->left == s->buf_n ? d : it->key + d;
		it->buf_key = it->key;
		it->buf_value = get_uvarint(s->buf, &it->off);
		it->have_buf = true;
		it->left--;
	}
	have_late = it->late_pos < it->late_n;
	late = have_late ? &it->late[it->late_pos] : NULL;
	if (it->have_buf && (late == NULL || it->buf_key <= late->key)) {
		*key = it->buf_key;
		*value = it->buf_value;
		if (late != NULL && late->key == it->buf_key) {
			*value = sat_add(*value, late->value);
			it->late_pos++;
		}
		it->have_buf = false;
		return true;
	}
	if (late != NULL) {
		*key = late->key;
		*value = late->value;
		it->late_pos++;
		return true;
	}
	if (s->has_tail && !it->tail_done) {
		*key = s->tail_key;
		*value = s->tail_value;
		it->tail_done = true;
		return true;
	}
	return false;
}

/* series_iter_done - release the iterator's copy of the late list */
void
series_iter_done(struct series_iter *it)
{
	free(it->late);
	it->late = NULL;
	it->late_n = it->late_pos = 0;
}
