/*
 * u64map - hash map from non-zero 64-bit keys to 64-bit counters.
 *
 * Used for sets of fingerprints (util/hash.h hash_fingerprint) and for
 * small counters keyed by numbers (messages per clock hour).  Key 0 is
 * reserved as the empty marker.  Buckets are chosen with a secret-keyed
 * mix of the key, so fingerprints of attacker-chosen strings cannot be
 * steered into one bucket.  Iteration order is arbitrary.
 */
#ifndef ZS_U64MAP_H
#define ZS_U64MAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct u64map;

/* u64map_new - empty map; free with u64map_free */
struct u64map	*u64map_new(void);

/* u64map_free - free the map; NULL is a no-op */
void		 u64map_free(struct u64map *map);

/* u64map_add - add delta to key's counter (inserting it at 0); true if new */
bool		 u64map_add(struct u64map *map, uint64_t key, uint64_t delta);

/* u64map_get - key's counter, 0 when absent; *found may be NULL */
uint64_t	 u64map_get(const struct u64map *map, uint64_t key, bool *found);

/* u64map_count - number of keys */
size_t		 u64map_count(const struct u64map *map);

/* u64map_merge - add every counter of from into into */
void		 u64map_merge(struct u64map *into, const struct u64map *from);

/* u64map_next - iterate from *pos = 0 until false */
bool		 u64map_next(const struct u64map *map, size_t *pos,
		    uint64_t *key, uint64_t *value);

/* u64map_max - largest counter, 0 for an empty map */
uint64_t	 u64map_max(const struct u64map *map);

/* u64map_memory - bytes held */
size_t		 u64map_memory(const struct u64map *map);

#endif
