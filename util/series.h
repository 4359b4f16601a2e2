/*
 * series - counters over ordered 64-bit keys (time slots), compact.
 *
 * An account counts its messages per minute, per ten minutes and per
 * clock hour over the whole input, so that the peaks merge exactly
 * however the input is split.  A hash map costs about 30 bytes per
 * slot; a series costs two or three: entries are kept sorted by key
 * and stored as varint (key delta, count) pairs.  Log time mostly
 * moves forward, so an add is nearly always to the newest slot (kept
 * decoded, outside the buffer) or to a later one (the newest is then
 * encoded and appended).  An add to an earlier slot (a message that
 * closed late, an input out of order) waits in a small unsorted list
 * that is folded into the buffer once it holds an eighth as many
 * entries as the buffer, so each add costs amortised constant time
 * whatever the order.
 *
 * Keys are compared as unsigned numbers; counters add with saturation
 * at UINT64_MAX.  Reading (count, max, iteration) never changes the
 * series.
 *
 * Ownership: a series owns its buffers; free with series_free().  An
 * iterator holds a sorted copy of the late list, released by
 * series_iter_done().
 */
#ifndef ZS_SERIES_H
#define ZS_SERIES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct series;

/* A late (key, count) entry, waiting to be folded in. */
struct series_pair {
	uint64_t	key;
	uint64_t	value;
};

/* Reading position: fill with series_iter_init(). */
struct series_iter {
	const struct series *s;
	size_t		 off;		/* next byte of the buffer */
	size_t		 left;		/* buffer entries not yet decoded */
	uint64_t	 key;		/* last key decoded from the buffer */
	bool		 have_buf;	/* buf_key/buf_value hold an entry */
	uint64_t	 buf_key, buf_value;
	struct series_pair *late;	/* sorted, equal keys combined */
	size_t		 late_n, late_pos;
	bool		 tail_done;
};

/* series_new - empty series; free with series_free */
struct series	*series_new(void);

/* series_free - free the series; NULL is a no-op */
void		 series_free(struct series *s);

/* series_add - add delta to key's counter (from 0 when new) */
void		 series_add(struct series *s, uint64_t key, uint64_t delta);

/* series_merge - add every counter of from into into */
void		 series_merge(struct series *into, const struct series *from);

/* series_count - number of keys */
size_t		 series_count(const struct series *s);

/* series_max - largest counter, 0 for an empty series */
uint64_t	 series_max(const struct series *s);

/* series_memory - bytes held */
size_t		 series_memory(const struct series *s);

/*
 * series_iter_init - start reading s in ascending key order, each key
 * once with its whole count; s must not change until series_iter_done
 */
void		 series_iter_init(struct series_iter *it,
		    const struct series *s);

/* series_iter_next - the next (key, count); false at the end */
bool		 series_iter_next(struct series_iter *it, uint64_t *key,
		    uint64_t *value);

/* series_iter_done - release what the iterator holds */
void		 series_iter_done(struct series_iter *it);

#endif
