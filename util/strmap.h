/*
 * strmap - hash map from byte-string keys to pointers.
 *
 * Open addressing with linear probing and backward-shift deletion;
 * buckets are chosen with the process-wide secret (util/hash.h), so
 * attacker-chosen keys cannot force collisions.  The map copies every
 * key it stores and owns it, except a borrowing map's
 * (strmap_new_borrowing()).  Values belong to the map when a free_value
 * callback is given: strmap_remove() and strmap_free() call it.
 * Iteration order is arbitrary; sort before printing.
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

/*
 * strmap_new_borrowing - strmap_new() for keys the caller keeps, such as
 * a key inside the object that is its value: the map stores the key
 * pointer an insertion is given (never NULL, even for an empty key:
 * NULL marks an empty bucket) and never copies, frees nor changes
 * the bytes.  The caller guarantees that they stay valid and unchanged
 * while the key is in the map; to free or reuse them before removing
 * the key, it first moves the key to other bytes with strmap_rekey().
 * Calls given a key (lookups, insertions, strmap_remove()) compare it
 * with stored keys; strmap_value_slot(), strmap_remove_value(),
 * strmap_rekey() and strmap_free() read none, so a removal by value
 * may follow the end of its key's storage, and strmap_free() that of
 * every key still in the map.
 */
struct strmap	*strmap_new_borrowing(void (*free_value)(void *));

/*
 * strmap_rekey - make the key of slot (from strmap_slot*() or
 * strmap_value_slot() of a borrowing map, not invalidated since) point
 * to key, which holds the same bytes as the key stored; the old bytes
 * are not read.  No insertion nor removal: other slots stay valid.
 */
void		 strmap_rekey(struct strmap *map, void **slot,
		    const char *key);

/* strmap_free - free keys, values (through free_value) and the map */
void		 strmap_free(struct strmap *map);

/* strmap_get - value stored under key, or NULL */
void		*strmap_get(const struct strmap *map, const char *key,
		    size_t keylen);

/*
 * strmap_slot - the value slot for key, inserting it when absent.
 * *created tells whether the key was new (its slot then holds NULL).
 * The slot stays valid until the next insertion or removal.  A
 * borrowing map stores key itself: when its bytes do not last, the
 * caller calls strmap_rekey() on the slot before its next other call
 * on the map.
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

/* strmap_get_hashed - strmap_get() given strmap_hash(map, key) */
void		*strmap_get_hashed(const struct strmap *map, const char *key,
		    size_t keylen, uint64_t hash);

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

/* strmap_memory - bytes held by the table itself and the keys it owns
   (not the values, nor a borrowing map's keys) */
size_t		 strmap_memory(const struct strmap *map);

#endif
