/*
 * hash - keyed hashing for tables whose keys come from the logs.
 *
 * Envelope addresses, HELO names and queue IDs are chosen by whoever
 * sends the mail, so every hash table is keyed with a secret chosen at
 * start-up (hash_seed()): hash_bytes(), a multiply-and-fold hash much
 * cheaper than SipHash on the short keys tables hold.  Fingerprints
 * that must be the same in every run (stored in partial aggregates and
 * state files) use hash_fingerprint(), SipHash-1-3 under a fixed key;
 * tables that hold such fingerprints re-mix them with the secret
 * before picking a bucket.
 */
#ifndef ZS_HASH_H
#define ZS_HASH_H

#include <stddef.h>
#include <stdint.h>

struct hash_key {
	uint64_t	k0;
	uint64_t	k1;
};

/* siphash13 - SipHash-1-3 of len bytes under key */
uint64_t	siphash13(const struct hash_key *key, const void *data, size_t len);

/* siphash24 - SipHash-2-4, the reference variant */
uint64_t	siphash24(const struct hash_key *key, const void *data, size_t len);

/* hash_seed - the process-wide secret key, read from the OS once */
const struct hash_key *hash_seed(void);

/*
 * hash_table - keyed hash for choosing buckets.  What it promises:
 * equal input gives equal output under one key; every step mixes in
 * the key, so without it no way is known to choose many inputs whose
 * values collide (or agree in their low bits), and a table keyed with
 * a secret stays fast whatever keys it is fed.  What it does not
 * promise: it is no PRF and no MAC (weaker than SipHash: someone who
 * could watch values or table timings for inputs of his choosing might
 * learn enough to aim collisions, so values must not leave the process
 * and nothing a table orders is printed unsorted), and the function
 * may change from one version to the next.
 */
uint64_t	hash_table(const struct hash_key *key, const void *data,
		    size_t len);

/* hash_bytes - hash_table() under the process-wide secret */
uint64_t	hash_bytes(const void *data, size_t len);

/* hash_fingerprint - run-independent 64-bit fingerprint, never 0 */
uint64_t	hash_fingerprint(const void *data, size_t len);

/* hash_mix64 - secret-keyed mix of a 64-bit value, for bucket choice */
uint64_t	hash_mix64(uint64_t value);

#endif
