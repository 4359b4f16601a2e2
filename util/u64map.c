/*
 * u64map - map from 64-bit keys to counters (see u64map.h).
 */
#include "config.h"

#include <assert.h>
#include <stdlib.h>

#include "util/hash.h"
#include "util/u64map.h"
#include "util/xalloc.h"

struct u64map_entry {
	uint64_t	key;		/* 0: empty bucket */
	uint64_t	value;
};

struct u64map {
	struct u64map_entry *slots;
	size_t		 mask;
	size_t		 count;
	uint64_t	 mix;		/* per-map secret multiplier, odd */
};

#define U64MAP_MIN_CAPACITY	8

/* bucket - home bucket of a key */
static size_t
bucket(const struct u64map *map, uint64_t key)
{
	uint64_t	h = (key ^ (key >> 29)) * map->mix;

	return (size_t)(h ^ (h >> 32)) & map->mask;
}

/* u64map_new - empty map */
struct u64map *
u64map_new(void)
{
	struct u64map	*map = xcalloc(1, sizeof(*map));

	map->slots = xcalloc(U64MAP_MIN_CAPACITY, sizeof(*map->slots));
	map->mask = U64MAP_MIN_CAPACITY - 1;
	map->mix = hash_mix64((uint64_t)(uintptr_t)map) | 1;
	return map;
}

/* u64map_free - free the map */
void
u64map_free(struct u64map *map)
{
	if (map == NULL)
		return;
	free(map->slots);
	free(map);
}

/* grow - double the table */
static void
grow(struct u64map *map)
{
	struct u64map_entry *old = map->slots;
	size_t		 old_cap = map->mask + 1;
	size_t		 i, j;

	map->slots = xcalloc(old_cap * 2, sizeof(*map->slots));
	map->mask = old_cap * 2 - 1;
	for (i = 0; i < old_cap; i++) {
		if (old[i].key == 0)
			continue;
		j = bucket(map, old[i].key);
		while (map->slots[j].key != 0)
			j = (j + 1) & map->mask;
		map->slots[j] = old[i];
	}
	free(old);
}

/* u64map_add - add to a counter, inserting the key when absent */
bool
u64map_add(struct u64map *map, uint64_t key, uint64_t delta)
{
	size_t	i;

	assert(key != 0);
	for (i = bucket(map, key); map->slots[i].key != 0;
	    i = (i + 1) & map->mask) {
		if (map->slots[i].key == key) {
			map->slots[i].value += delta;
			return false;
		}
	}
	if ((map->count + 1) * 4 > (map->mask + 1) * 3) {
		grow(map);
		for (i = bucket(map, key); map->slots[i].key != 0;
		    i = (i + 1) & map->mask)
			;
	}
	map->slots[i].key = key;
	map->slots[i].value = delta;
	map->count++;
	return true;
}

/* u64map_get - look a key up */
uint64_t
u64map_get(const struct u64map *map, uint64_t key, bool *found)
{
	size_t	i;

	if (key != 0) {
		for (i = bucket(map, key); map->slots[i].key != 0;
		    i = (i + 1) & map->mask) {
			if (map->slots[i].key == key) {
				if (found != NULL)
					*found = true;
				return map->slots[i].value;
			}
		}
	}
	if (found != NULL)
		*found = false;
	return 0;
}

/* u64map_count - number of keys */
size_t
u64map_count(const struct u64map *map)
{
	return map->count;
}

/* u64map_merge - add from's counters into into */
void
u64map_merge(struct u64map *into, const struct u64map *from)
{
	size_t	i;

	for (i = 0; i <= from->mask; i++)
		if (from->slots[i].key != 0)
			u64map_add(into, from->slots[i].key,
			    from->slots[i].value);
}

/* u64map_next - iterate */
bool
u64map_next(const struct u64map *map, size_t *pos, uint64_t *key,
    uint64_t *value)
{
	while (*pos <= map->mask) {
		const struct u64map_entry *e = &map->slots[(*pos)++];

		if (e->key == 0)
			continue;
		if (key != NULL)
			*key = e->key;
		if (value != NULL)
			*value = e->value;
		return true;
	}
	return false;
}

/* u64map_max - largest counter */
uint64_t
u64map_max(const struct u64map *map)
{
	uint64_t	max = 0;
	size_t		i;

	for (i = 0; i <= map->mask; i++)
		if (map->slots[i].key != 0 && map->slots[i].value > max)
			max = map->slots[i].value;
	return max;
}

/* u64map_memory - bytes held */
size_t
u64map_memory(const struct u64map *map)
{
	return sizeof(*map) + (map->mask + 1) * sizeof(*map->slots);
}
