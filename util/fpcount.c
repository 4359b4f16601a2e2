/*
 * fpcount - a set of fingerprints, each seen once or more than once
 * (see fpcount.h).
 *
 * One block holds the slots (0 when empty, else a member) and after
 * them one bit per slot, set when the member in that slot was seen
 * more than once.  Linear probing; the table doubles before it is
 * more than 3/4 full, and members are never removed.
 */
#include "config.h"

#include <assert.h>
#include <stdlib.h>

#include "util/fpcount.h"
#include "util/hash.h"
#include "util/xalloc.h"

#define MIN_SLOTS	4		/* three members */

struct fpcount {
	uint64_t	*slots;		/* mask + 1 slots, then the marks */
	size_t		 mask;
	size_t		 count;
	size_t		 repeated;
	uint64_t	 mix;		/* per-set multiplier, odd */
};

/* mark_words - 64-bit words of marks after cap slots */
static size_t
mark_words(size_t cap)
{
	return (cap + 63) / 64;
}

/* table - a zeroed block of cap slots and their marks */
static uint64_t *
table(size_t cap)
{
	return xcalloc(cap + mark_words(cap), sizeof(uint64_t));
}

/* marks - the mark bits after the slots */
static uint64_t *
marks(const struct fpcount *c)
{
	return c->slots + c->mask + 1;
}

/* is_marked - whether the member in slot i was seen more than once */
static bool
is_marked(const struct fpcount *c, size_t i)
{
	return (marks(c)[i / 64] >> (i % 64) & 1) != 0;
}

/* set_mark - the member in slot i was seen more than once */
static void
set_mark(struct fpcount *c, size_t i)
{
	marks(c)[i / 64] |= UINT64_C(1) << (i % 64);
}

/* bucket - the first slot probed for fp */
static size_t
bucket(const struct fpcount *c, uint64_t fp)
{
	uint64_t h = (fp ^ (fp >> 29)) * c->mix;

	return (size_t)(h ^ (h >> 32)) & c->mask;
}

/* fpcount_new - empty set */
struct fpcount *
fpcount_new(void)
{
	struct fpcount *c = xcalloc(1, sizeof(*c));

	c->slots = table(MIN_SLOTS);
	c->mask = MIN_SLOTS - 1;
	c->mix = hash_mix64((uint64_t)(uintptr_t)c) | 1;
	return c;
}

/* fpcount_free - free the set */
void
fpcount_free(struct fpcount *c)
{
	if (c == NULL)
		return;
	free(c->slots);
	free(c);
}

/* place - put fp, with its mark, in its first empty slot */
static void
place(struct fpcount *c, uint64_t fp, bool mark)
{
	size_t	i;

	for (i = bucket(c, fp); c->slots[i] != 0; i = (i + 1) & c->mask)
		;
	c->slots[i] = fp;
	if (mark)
		set_mark(c, i);
}

/* grow - twice the slots */
static void
grow(struct fpcount *c)
{
	struct fpcount old = *c;
	size_t	 i;

	c->slots = table(2 * (old.mask + 1));
	c->mask = 2 * old.mask + 1;
	for (i = 0; i <= old.mask; i++)
		if (old.slots[i] != 0)
			place(c, old.slots[i], is_marked(&old, i));
	free(old.slots);
}

/* fpcount_add - count fp n more times */
bool
fpcount_add(struct fpcount *c, uint64_t fp, uint64_t n)
{
	size_t	 i;

	assert(fp != 0 && n > 0);
	for (i = bucket(c, fp); c->slots[i] != 0; i = (i + 1) & c->mask) {
		if (c->slots[i] != fp)
			continue;
		if (!is_marked(c, i)) {
			set_mark(c, i);
			c->repeated++;
		}
		return false;
	}
	/* Slot i is empty, and fp's place unless the table grows. */
	if (4 * (c->count + 1) > 3 * (c->mask + 1)) {
		grow(c);
		place(c, fp, n > 1);
	} else {
		c->slots[i] = fp;
		if (n > 1)
			set_mark(c, i);
	}
	c->count++;
	if (n > 1)
		c->repeated++;
	return true;
}

/* fpcount_count - number of members */
size_t
fpcount_count(const struct fpcount *c)
{
	return c->count;
}

/* fpcount_repeated - members seen more than once */
size_t
fpcount_repeated(const struct fpcount *c)
{
	return c->repeated;
}

/* fpcount_next - the next member in slot order */
bool
fpcount_next(const struct fpcount *c, size_t *pos, uint64_t *fp,
    bool *repeated)
{
	size_t	i;

	for (i = *pos; i <= c->mask; i++) {
		if (c->slots[i] == 0)
			continue;
		if (fp != NULL)
			*fp = c->slots[i];
		if (repeated != NULL)
			*repeated = is_marked(c, i);
		*pos = i + 1;
		return true;
	}
	*pos = i;
	return false;
}

/* fpcount_memory - the struct and the block */
size_t
fpcount_memory(const struct fpcount *c)
{
	size_t	cap = c->mask + 1;

	return sizeof(*c) + (cap + mark_words(cap)) * sizeof(uint64_t);
}
