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

/* strmap_remove - drop key and free its value; false when absent */
bool		 strmap_remove(struct strmap *map, const char *key,
		    size_t keylen);

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
