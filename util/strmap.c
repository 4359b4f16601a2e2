/*
 * strmap - hash map from byte strings to pointers (see strmap.h).
 */
#include "config.h"

#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/hash.h"
#include "util/strmap.h"
#include "util/xalloc.h"

struct strmap_entry {
	const char	*key;		/* NULL: empty bucket */
	size_t		 keylen;
	uint64_t	 hash;
	void		*value;
};

/* A block of a pooled map's keys, packed one after the other. */
struct key_block {
	struct key_block *next;		/* the previous, older block */
	size_t		 size, used;	/* bytes of data, bytes taken */
	char		 data[];
};

struct strmap {
	struct strmap_entry *slots;
	size_t		 mask;		/* capacity - 1, capacity a power of 2 */
	size_t		 count;
	size_t		 key_bytes;	/* of live keys, or of the blocks */
	void		(*free_value)(void *);
	struct hash_key	 seed;		/* hash_seed(), copied: no lookup
					   goes through its once-guard */
	bool		 pooled;	/* keys live in blocks */
	bool		 borrowing;	/* keys are the caller's */
	struct key_block *blocks;	/* newest first */
};

#define STRMAP_MIN_CAPACITY	4
#define KEY_BLOCK_MIN		64	/* bytes; doubling up to the max */
#define KEY_BLOCK_MAX		(16 * 1024)

/* strmap_new - empty map */
struct strmap *
strmap_new(void (*free_value)(void *))
{
	struct strmap	*map = xcalloc(1, sizeof(*map));

	map->slots = xcalloc(STRMAP_MIN_CAPACITY, sizeof(*map->slots));
	map->mask = STRMAP_MIN_CAPACITY - 1;
	map->free_value = free_value;
	map->seed = *hash_seed();
	return map;
}

/* strmap_new_pooled - empty map keeping its keys in blocks */
struct strmap *
strmap_new_pooled(void (*free_value)(void *))
{
	struct strmap	*map = strmap_new(free_value);

	map->pooled = true;
	return map;
}

/* strmap_new_borrowing - empty map storing the caller's keys */
struct strmap *
strmap_new_borrowing(void (*free_value)(void *))
{
	struct strmap	*map = strmap_new(free_value);

	map->borrowing = true;
	return map;
}

/*
 * key_copy - the key to store: key itself in a borrowing map, else
 * the map's own copy of key plus a NUL: a heap block of its
 * own, or the next bytes of the newest key block in a pooled map (a
 * new block, twice the size of the last up to KEY_BLOCK_MAX or as
 * large as the key needs, when it is full; what was left of the old
 * one stays unused).
 */
static const char *
key_copy(struct strmap *map, const char *key, size_t keylen)
{
	struct key_block *b = map->blocks;
	char	*p;

	if (map->borrowing)
		return key;
	if (!map->pooled) {
		map->key_bytes += keylen + 1;
		return xmemdup0(key, keylen);
	}
	if (b == NULL || b->size - b->used <= keylen) {
		size_t	size = b != NULL ? 2 * b->size : KEY_BLOCK_MIN;

		if (size > KEY_BLOCK_MAX)
			size = KEY_BLOCK_MAX;
		/* The key is in memory, so keylen <= PTRDIFF_MAX: the
		   block's size cannot wrap. */
		if (size <= keylen)
			size = keylen + 1;
		b = xmalloc(offsetof(struct key_block, data) + size);
		b->next = map->blocks;
		b->size = size;
		b->used = 0;
		map->blocks = b;
		map->key_bytes += offsetof(struct key_block, data) + size;
	}
	p = b->data + b->used;
	memcpy(p, key, keylen);
	p[keylen] = '\0';
	b->used += keylen + 1;
	return p;
}

/* key_drop - give back a key's copy (a pooled one stays in its block,
   a borrowed one is the caller's) */
static void
key_drop(struct strmap *map, const char *key, size_t keylen)
{
	if (map->pooled || map->borrowing)
		return;
	map->key_bytes -= keylen + 1;
	free((char *)key);
}

/* strmap_free - free everything the map owns */
void
strmap_free(struct strmap *map)
{
	size_t	i;

	if (map == NULL)
		return;
	/* A pooled or borrowing map without values has nothing to free
	   entry by entry.  Keys are freed, not read: a borrowed one may
	   be gone already. */
	for (i = 0; i <= map->mask && (map->free_value != NULL ||
	    (!map->pooled && !map->borrowing)); i++) {
		if (map->slots[i].key == NULL)
			continue;
		if (!map->pooled && !map->borrowing)
			free((char *)map->slots[i].key);
		if (map->free_value != NULL)
			map->free_value(map->slots[i].value);
	}
	while (map->blocks != NULL) {
		struct key_block *b = map->blocks;

		map->blocks = b->next;
		free(b);
	}
	free(map->slots);
	free(map);
}

/*
 * find - index of key's bucket, or of the empty bucket ending its run;
 * inline, as every lookup goes through it
 */
static inline size_t
find(const struct strmap *map, const char *key, size_t keylen,
    uint64_t hash)
{
	size_t	i = (size_t)hash & map->mask;

	for (;;) {
		const struct strmap_entry *e = &map->slots[i];

		if (e->key == NULL)
			return i;
		if (e->hash == hash && e->keylen == keylen &&
		    memcmp(e->key, key, keylen) == 0)
			return i;
		i = (i + 1) & map->mask;
	}
}

/* grow - double the table and re-insert every entry */
static void
grow(struct strmap *map)
{
	struct strmap_entry *old = map->slots;
	size_t		 old_cap = map->mask + 1;
	size_t		 i, j;

	map->slots = xcalloc(old_cap * 2, sizeof(*map->slots));
	map->mask = old_cap * 2 - 1;
	for (i = 0; i < old_cap; i++) {
		if (old[i].key == NULL)
			continue;
		j = (size_t)old[i].hash & map->mask;
		while (map->slots[j].key != NULL)
			j = (j + 1) & map->mask;
		map->slots[j] = old[i];
	}
	free(old);
}

/* strmap_get - look a key up */
void *
strmap_get(const struct strmap *map, const char *key, size_t keylen)
{
	size_t	i = find(map, key, keylen,
		    hash_table(&map->seed, key, keylen));

	return map->slots[i].key != NULL ? map->slots[i].value : NULL;
}

/* strmap_get_hashed - strmap_get() given strmap_hash(map, key) */
void *
strmap_get_hashed(const struct strmap *map, const char *key, size_t keylen,
    uint64_t hash)
{
	size_t	i = find(map, key, keylen, hash);

	return map->slots[i].key != NULL ? map->slots[i].value : NULL;
}

/* strmap_hash - the hash the map files key under */
uint64_t
strmap_hash(const struct strmap *map, const char *key, size_t keylen)
{
	return hash_table(&map->seed, key, keylen);
}

/* strmap_slot - find or insert a key */
void **
strmap_slot(struct strmap *map, const char *key, size_t keylen,
    bool *created)
{
	return strmap_slot_hashed(map, key, keylen,
	    hash_table(&map->seed, key, keylen), created);
}

/* strmap_slot_hashed - strmap_slot() with the key's strmap_hash() */
void **
strmap_slot_hashed(struct strmap *map, const char *key, size_t keylen,
    uint64_t hash, bool *created)
{
	size_t		i = find(map, key, keylen, hash);
	struct strmap_entry *e;

	if (map->slots[i].key != NULL) {
		if (created != NULL)
			*created = false;
		return &map->slots[i].value;
	}
	/* Keep the load factor under 3/4 so probe runs stay short. */
	if ((map->count + 1) * 4 > (map->mask + 1) * 3) {
		grow(map);
		i = find(map, key, keylen, hash);
	}
	e = &map->slots[i];
	e->key = key_copy(map, key, keylen);
	e->keylen = keylen;
	e->hash = hash;
	e->value = NULL;
	map->count++;
	if (created != NULL)
		*created = true;
	return &e->value;
}

/* strmap_rekey - point a borrowing map's slot at other bytes of its key */
void
strmap_rekey(struct strmap *map, void **slot, const char *key)
{
	struct strmap_entry *e = (struct strmap_entry *)(void *)
	    ((char *)slot - offsetof(struct strmap_entry, value));

	/* A copying map would leak its copy: only borrowed keys move. */
	assert(map->borrowing);
	(void)map;
	e->key = key;
}

/*
 * find_value - index of the bucket holding value among the keys of
 * hash, or SIZE_MAX.  A key lies in the run of buckets from its home
 * on, before the first empty one, so the search stops there.
 */
static size_t
find_value(const struct strmap *map, uint64_t hash, const void *value)
{
	size_t	i = (size_t)hash & map->mask;

	for (;; i = (i + 1) & map->mask) {
		const struct strmap_entry *e = &map->slots[i];

		if (e->key == NULL)
			return SIZE_MAX;
		if (e->value == value && e->hash == hash)
			return i;
	}
}

/* strmap_value_slot - the slot holding value, or NULL */
void **
strmap_value_slot(struct strmap *map, uint64_t hash, const void *value)
{
	size_t	i = find_value(map, hash, value);

	return i != SIZE_MAX ? &map->slots[i].value : NULL;
}

/*
 * remove_at - delete bucket i's entry with backward shift, so no
 * tombstones
 */
static void
remove_at(struct strmap *map, size_t i)
{
	size_t	j, home;

	key_drop(map, map->slots[i].key, map->slots[i].keylen);
	if (map->free_value != NULL)
		map->free_value(map->slots[i].value);
	map->count--;
	j = i;
	for (;;) {
		map->slots[i].key = NULL;
		for (;;) {
			j = (j + 1) & map->mask;
			if (map->slots[j].key == NULL)
				return;
			home = (size_t)map->slots[j].hash & map->mask;
			/* Move j back to i unless its home lies in (i, j]. */
			if (i <= j ? (i < home && home <= j) :
			    (i < home || home <= j))
				continue;
			break;
		}
		map->slots[i] = map->slots[j];
		i = j;
	}
}

/* strmap_remove - delete a key */
bool
strmap_remove(struct strmap *map, const char *key, size_t keylen)
{
	size_t	i = find(map, key, keylen,
		    hash_table(&map->seed, key, keylen));

	if (map->slots[i].key == NULL)
		return false;
	remove_at(map, i);
	return true;
}

/* strmap_remove_value - delete the key holding value */
bool
strmap_remove_value(struct strmap *map, uint64_t hash, const void *value)
{
	size_t	i = find_value(map, hash, value);

	if (i == SIZE_MAX)
		return false;
	remove_at(map, i);
	return true;
}

/* strmap_count - number of keys */
size_t
strmap_count(const struct strmap *map)
{
	return map->count;
}

/* strmap_next - iterate over the entries */
bool
strmap_next(const struct strmap *map, size_t *pos, const char **key,
    size_t *keylen, void **value)
{
	while (*pos <= map->mask) {
		const struct strmap_entry *e = &map->slots[(*pos)++];

		if (e->key == NULL)
			continue;
		if (key != NULL)
			*key = e->key;
		if (keylen != NULL)
			*keylen = e->keylen;
		if (value != NULL)
			*value = e->value;
		return true;
	}
	return false;
}

/* strmap_memory - approximate bytes held by the table and its keys
   (a pooled map's whole key blocks) */
size_t
strmap_memory(const struct strmap *map)
{
	return sizeof(*map) + (map->mask + 1) * sizeof(*map->slots) +
	    map->key_bytes;
}
