/*
 * keycount - counts by byte-string key, exact, in little memory (see
 * keycount.h).
 *
 * A record is the count (8 bytes), the key's length as a uvarint
 * (util/wire.h; one byte below 128), the key and a NUL, packed one
 * after the other in recs without padding (the count is read and
 * written with memcpy).  recs grows by half again when full, so what
 * is allocated and unused is a sixth of it on average.
 *
 * Up to LINEAR_MAX keys there is no table: a key is found by walking
 * the records, which is no slower than hashing it and saves the table
 * in the many maps that never hold more than a few keys (an account's
 * senders, sender domains and client addresses).  Past that, slots: 0
 * when empty, else the record's offset plus one in its low OFF_BITS
 * bits and the top TAG_BITS bits of the key's hash above them.  Linear
 * probing, load kept under 3/4; keys are never removed.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "util/hash.h"
#include "util/keycount.h"
#include "util/wire.h"
#include "util/xalloc.h"

#define OFF_BITS	42
#define TAG_BITS	(64 - OFF_BITS)
#define OFF_MASK	((UINT64_C(1) << OFF_BITS) - 1)
#define COUNT_BYTES	8
#define LINEAR_MAX	8		/* keys before there is a table */
#define MIN_SLOTS	16		/* the first table: LINEAR_MAX + 1
					   keys under 3/4 load */
#define MIN_RECS	48		/* bytes */

/* An account keeps several maps: the struct is kept to 32 bytes. */
struct keycount {
	uint64_t	*slots;		/* NULL while count <= LINEAR_MAX */
	char		*recs;
	uint32_t	 mask;		/* slots - 1, a power of 2 less 1 */
	uint32_t	 count;
	uint32_t	 used, size;	/* bytes of recs taken, allocated */
};

/* Bytes of records at most: offsets, sizes and counts fit 32 bits. */
#define RECS_MAX	UINT32_MAX
_Static_assert(sizeof(void *) != 8 || sizeof(struct keycount) == 32,
    "struct keycount grew");

/* keycount_new - empty map */
struct keycount *
keycount_new(void)
{
	return xcalloc(1, sizeof(struct keycount));
}

/* keycount_free - free the map */
void
keycount_free(struct keycount *kc)
{
	if (kc == NULL)
		return;
	free(kc->slots);
	free(kc->recs);
	free(kc);
}

/* tag_of - the bits of hash a slot keeps */
static uint64_t
tag_of(uint64_t hash)
{
	return hash >> OFF_BITS << OFF_BITS;
}

/* rec_key - the key of the record at off, and its length in *len */
static const char *
rec_key(const struct keycount *kc, size_t off, size_t *len)
{
	struct wire_reader r;

	r.p = (const unsigned char *)kc->recs + off + COUNT_BYTES;
	if (*r.p < 0x80) {
		*len = *r.p;
		return (const char *)r.p + 1;
	}
	r.end = (const unsigned char *)kc->recs + kc->used;
	r.failed = false;
	*len = (size_t)wire_get_uvarint(&r);
	return (const char *)r.p;
}

/*
 * find - the slot holding key, or the empty slot ending its run; the
 * index of the slot in *at
 */
static uint64_t
find(const struct keycount *kc, const char *key, size_t keylen,
    uint64_t hash, size_t *at)
{
	const uint64_t	 tag = tag_of(hash);
	const char	*k;
	size_t		 i = (size_t)hash & kc->mask, off, len;
	uint64_t	 s;

	for (;; i = (i + 1) & kc->mask) {
		s = kc->slots[i];
		if (s == 0)
			break;
		if ((s & ~OFF_MASK) != tag)
			continue;
		off = (size_t)(s & OFF_MASK) - 1;
		k = rec_key(kc, off, &len);
		if (len == keylen && memcmp(k, key, keylen) == 0)
			break;
	}
	*at = i;
	return s;
}

/* next_record - the offset of the record after the one at off */
static size_t
next_record(const struct keycount *kc, size_t off)
{
	const char	*k;
	size_t		 len;

	k = rec_key(kc, off, &len);
	return (size_t)(k - kc->recs) + len + 1;
}

/*
 * find_linear - the table-less lookup: the offset plus one of key's
 * record, 0 when there is none
 */
static size_t
find_linear(const struct keycount *kc, const char *key, size_t keylen)
{
	const char	*k;
	size_t		 off, len;

	for (off = 0; off < kc->used; off = (size_t)(k - kc->recs) + len + 1) {
		k = rec_key(kc, off, &len);
		if (len == keylen && memcmp(k, key, keylen) == 0)
			return off + 1;
	}
	return 0;
}

/*
 * locate - the offset plus one of key's record, 0 when there is none;
 * with a table also the key's hash in *hash, and in *at the slot
 * holding the key or the empty one ending its run
 */
static size_t
locate(const struct keycount *kc, const char *key, size_t keylen,
    uint64_t *hash, size_t *at)
{
	if (kc->slots == NULL)
		return find_linear(kc, key, keylen);
	*hash = hash_bytes(key, keylen);
	return (size_t)(find(kc, key, keylen, *hash, at) & OFF_MASK);
}

/*
 * build - a table of cap slots (a power of 2) for every record; the
 * slots keep only the hash's top bits, so each key is hashed again for
 * the bits that choose its bucket
 */
static void
build(struct keycount *kc, size_t cap)
{
	const char	*k;
	size_t		 off, len, j;
	uint64_t	 hash;

	free(kc->slots);
	kc->slots = xcalloc(cap, sizeof(*kc->slots));
	kc->mask = (uint32_t)(cap - 1);
	for (off = 0; off < kc->used; off = next_record(kc, off)) {
		k = rec_key(kc, off, &len);
		hash = hash_bytes(k, len);
		for (j = (size_t)hash & kc->mask; kc->slots[j] != 0;
		    j = (j + 1) & kc->mask)
			;
		kc->slots[j] = tag_of(hash) | ((uint64_t)off + 1);
	}
}

/* append - a new record for key with count n; its offset */
static size_t
append(struct keycount *kc, const char *key, size_t keylen, uint64_t n)
{
	unsigned char	 head[COUNT_BYTES + WIRE_UVARINT_MAX_LEN];
	size_t		 off = kc->used, hlen, need, size;

	memcpy(head, &n, sizeof(n));
	hlen = (size_t)(wire_encode_uvarint(head + COUNT_BYTES, keylen) -
	    head);
	/* keylen is the size of an object in memory, so this cannot
	   wrap; records past RECS_MAX are reported as what they would
	   take, memory that is not there. */
	need = off + hlen + keylen + 1;
	if ((uint64_t)need > RECS_MAX)
		(void)xreallocarray(NULL, SIZE_MAX, 2);
	if (need > kc->size) {
		size = kc->size > 0 ? (size_t)kc->size + kc->size / 2 :
		    MIN_RECS;
		if (size < need)
			size = need;
		if ((uint64_t)size > RECS_MAX)
			size = RECS_MAX;
		kc->recs = xreallocarray(kc->recs, size, 1);
		kc->size = (uint32_t)size;
	}
	memcpy(kc->recs + off, head, hlen);
	if (keylen > 0)
		memcpy(kc->recs + off + hlen, key, keylen);
	kc->recs[off + hlen + keylen] = '\0';
	kc->used = (uint32_t)need;
	return off;
}

/* keycount_add - add n to key's count */
bool
keycount_add(struct keycount *kc, const char *key, size_t keylen,
    uint64_t n)
{
	uint64_t	 hash = 0, c;
	size_t		 i = 0, off;

	if ((off = locate(kc, key, keylen, &hash, &i)) != 0) {
		memcpy(&c, kc->recs + off - 1, sizeof(c));
		c += n;
		memcpy(kc->recs + off - 1, &c, sizeof(c));
		return false;
	}
	if (kc->slots == NULL) {
		(void)append(kc, key, keylen, n);
		if (++kc->count > LINEAR_MAX)
			build(kc, MIN_SLOTS);
		return true;
	}
	if ((kc->count + 1) * 4 > (kc->mask + 1) * 3) {
		/* Records stay where they are. */
		build(kc, 2 * (kc->mask + 1));
		(void)find(kc, key, keylen, hash, &i);
	}
	off = append(kc, key, keylen, n);
	kc->slots[i] = tag_of(hash) | ((uint64_t)off + 1);
	kc->count++;
	return true;
}

/* keycount_get - key's count */
uint64_t
keycount_get(const struct keycount *kc, const char *key, size_t keylen)
{
	uint64_t	 hash, c;
	size_t		 i, off;

	if ((off = locate(kc, key, keylen, &hash, &i)) == 0)
		return 0;
	memcpy(&c, kc->recs + off - 1, sizeof(c));
	return c;
}

/* keycount_count - number of keys */
size_t
keycount_count(const struct keycount *kc)
{
	return kc->count;
}

/* keycount_next - the record at *pos, in the order of recs */
bool
keycount_next(const struct keycount *kc, size_t *pos, const char **key,
    size_t *keylen, uint64_t *count)
{
	const char	*k;
	size_t		 off = *pos, len;

	if (off >= kc->used)
		return false;
	k = rec_key(kc, off, &len);
	if (key != NULL)
		*key = k;
	if (keylen != NULL)
		*keylen = len;
	if (count != NULL)
		memcpy(count, kc->recs + off, sizeof(*count));
	*pos = (size_t)(k - kc->recs) + len + 1;
	return true;
}

/* keycount_memory - bytes held */
size_t
keycount_memory(const struct keycount *kc)
{
	return sizeof(*kc) + (kc->slots != NULL ?
	    (kc->mask + 1) * sizeof(*kc->slots) : 0) + kc->size;
}
