/*
 * strmap - hash map from byte-string keys to pointers.
 *
 * Open addressing with linear probing and backward-shift deletion;
 * buckets are chosen with the process-wide secret (util/hash.h), so
 * attacker-chosen keys cannot force collisions.  The map copies every
 * key it stores and owns it.  Values belong to the map when a
 * free_value callback is given: strmap_remove() and strmap_free() call
 * it.  Iteration order is arbitrary; sort before printing.
 */
#ifndef ZS_STRMAP_H
#define ZS_STRMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct strmap;

/* strmap_new - empty map; free_value may be NULL. Free with strmap_free */
struct strmap	*strmap_new(void (*free_value)(void *));

/*
 * strmap_new_pooled - strmap_new() for maps that seldom or never lose
 * keys: the copies are packed into blocks of growing size instead of
 * a heap block each, which saves an allocation per insertion and a
 * free per key.  The bytes of a removed key stay held until
 * strmap_free().
 */
struct strmap	*strmap_new_pooled(void (*free_value)(void *));

/* strmap_free - free keys, values (through free_value) and the map */
void		 strmap_free(struct strmap *map);

/* strmap_get - value stored under key, or NULL */
void		*strmap_get(const struct strmap *map, const char *key,
		    size_t keylen);

/*
 * strmap_slot - the value slot for key, inserting it when absent.
 * *created tells whether the key was new (its slot then holds NULL).
 * The slot stays valid until the next insertion or removal.
 */
void		**strmap_slot(struct strmap *map, const char *key,
		    size_t keylen, bool *created);

/*
 * strmap_hash - the hash key is filed under, for the *_hashed and
 * *_value calls below: a caller that keeps it finds or drops its
 * entry later without hashing (nor rebuilding) the key again.  Valid
 * for this map only (it is keyed with the map's copy of the secret).
 */
uint64_t	 strmap_hash(const struct strmap *map, const char *key,
		    size_t keylen);

/* strmap_slot_hashed - strmap_slot() given strmap_hash(map, key) */
void		**strmap_slot_hashed(struct strmap *map, const char *key,
		    size_t keylen, uint64_t hash, bool *created);

/*
 * strmap_value_slot - the value slot holding value under a key whose
 * strmap_hash() is hash, or NULL.  For maps whose values are distinct
 * pointers (an object and its own key): no key compare is needed.  The
 * slot stays valid until the next insertion or removal.
 */
void		**strmap_value_slot(struct strmap *map, uint64_t hash,
		    const void *value);

/* strmap_remove - drop key and free its value; false when absent */
bool		 strmap_remove(struct strmap *map, const char *key,
		    size_t keylen);

/* strmap_remove_value - strmap_remove() of the key holding value, found
   as strmap_value_slot() does; false when absent */
bool		 strmap_remove_value(struct strmap *map, uint64_t hash,
		    const void *value);

/* strmap_count - number of keys */
size_t		 strmap_count(const struct strmap *map);

/*
 * strmap_next - iterate: start with *pos = 0; returns false at the end.
 * Keys and values are borrowed.  The map must not change meanwhile.
 */
bool		 strmap_next(const struct strmap *map, size_t *pos,
		    const char **key, size_t *keylen, void **value);

/* strmap_memory - bytes held by the table itself (not the values) */
size_t		 strmap_memory(const struct strmap *map);

#endif
