/*
 * keycount - counts by byte-string key, exact, in little memory.
 *
 * An account keeps a count per recipient, recipient domain, sender,
 * sender domain and client address, and an ISP has millions of
 * accounts, most with a handful of keys each.  A general string map
 * (util/strmap.h) spends a 32-byte bucket per slot, a key block and a
 * count array beside it; here a slot is 8 bytes and each key is one
 * record, its count beside its bytes, packed after the previous key in
 * one buffer: 10 bytes plus the key (below 128 bytes) per key, and
 * from the ninth key on 11 to 21 bytes of table per key.  A map of up
 * to eight keys has no table: it is searched key by key.
 *
 * Slots hold the record's offset and a few bits of the key's hash, so
 * a probe reads key bytes only when those bits agree.  Buckets are
 * chosen by hash_table() under the process secret (util/hash.h): keys
 * come from the logs.  Iteration is in the order keys were first
 * added, which the secret does not change.
 *
 * A map holds at most 4 GiB of records (keys and counts); past that
 * an add fails as an allocation does.  Counts add without bound
 * checks, as uint64_t does.  A key may hold any bytes, NUL included;
 * every key as handed out is followed by a NUL byte.
 *
 * Ownership: the map owns its copies of the keys.  A key handed out
 * by keycount_next() is valid until the next keycount_add() or
 * keycount_free().
 */
#ifndef ZS_KEYCOUNT_H
#define ZS_KEYCOUNT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct keycount;

/* keycount_new - empty map; free with keycount_free() */
struct keycount	*keycount_new(void);

/* keycount_free - free the map and its keys; NULL is a no-op */
void		 keycount_free(struct keycount *kc);

/* keycount_add - add n to key's count (from 0 when new); true when
   the key was new */
bool		 keycount_add(struct keycount *kc, const char *key,
		    size_t keylen, uint64_t n);

/* keycount_get - key's count, 0 when absent */
uint64_t	 keycount_get(const struct keycount *kc, const char *key,
		    size_t keylen);

/* keycount_count - number of keys */
size_t		 keycount_count(const struct keycount *kc);

/*
 * keycount_next - iterate: start with *pos = 0; each call gives the
 * next key (in the order keys were first added), its length and its
 * count (any output pointer may be NULL), or false after the last
 */
bool		 keycount_next(const struct keycount *kc, size_t *pos,
		    const char **key, size_t *keylen, uint64_t *count);

/* keycount_memory - bytes the map holds */
size_t		 keycount_memory(const struct keycount *kc);

#endif
