/*
 * check_util - unit tests for util/: hashing, maps, UTF-8 repair, error
 * messages and atomic output files.
 */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util/errmsg.h"
#include "util/hash.h"
#include "util/mapguard.h"
#include "util/outfile.h"
#include "util/procstat.h"
#include "util/strmap.h"
#include "util/utf8.h"
#include "util/xalloc.h"
#include "util/zstr.h"
#include "tests/testutil.h"

/* The reference vector of the SipHash paper, appendix A. */
START_TEST(test_siphash24_reference)
{
	struct hash_key key;
	unsigned char	kb[16], msg[15];
	int		i;

	for (i = 0; i < 16; i++)
		kb[i] = (unsigned char)i;
	for (i = 0; i < 15; i++)
		msg[i] = (unsigned char)i;
	key.k0 = 0;
	key.k1 = 0;
	for (i = 7; i >= 0; i--) {
		key.k0 = key.k0 << 8 | kb[i];
		key.k1 = key.k1 << 8 | kb[i + 8];
	}
	ck_assert_uint_eq(siphash24(&key, msg, sizeof(msg)),
	    0xa129ca6149be45e5ULL);
}
END_TEST

/*
 * SipHash-1-3 under the paper's key 00..0f, messages 00 01 02 ... of
 * every length from 0 to 64: the first ten one by one, all of them
 * folded into acc, so every tail length and block count is pinned.  Fingerprints stored in
 * partial and state files are siphash13() values, so any rewrite of
 * the function must keep these.
 */
START_TEST(test_siphash13_pinned)
{
	static const uint64_t first[] = {
		0xabac0158050fc4dcULL, 0xc9f49bf37d57ca93ULL,
		0x82cb9b024dc7d44dULL, 0x8bf80ab8e7ddf7fbULL,
		0xcf75576088d38328ULL, 0xdef9d52f49533b67ULL,
		0xc50d2b50c59f22a7ULL, 0xd3927d989bb11140ULL,
		0x369095118d299a8eULL, 0x25a48eb36c063de4ULL,
	};
	struct hash_key key = {
		0x0706050403020100ULL, 0x0f0e0d0c0b0a0908ULL
	};
	unsigned char	msg[64];
	uint64_t	acc = 0, h;
	int		i;

	for (i = 0; i < 64; i++)
		msg[i] = (unsigned char)i;
	for (i = 0; i <= 64; i++) {
		h = siphash13(&key, msg, (size_t)i);
		if (i < (int)(sizeof(first) / sizeof(first[0])))
			ck_assert_uint_eq(h, first[i]);
		acc ^= h * (uint64_t)(2 * i + 1);
	}
	ck_assert_uint_eq(acc, 0x7760387c7564a9c4ULL);
	ck_assert_uint_eq(hash_fingerprint("alice@example.net", 17),
	    0x24c3a64ebc604521ULL);
}
END_TEST

START_TEST(test_fingerprint_stable)
{
	/* Fingerprints go into partial files: they must never change. */
	uint64_t	a = hash_fingerprint("alice@example.net", 17);
	uint64_t	b = hash_fingerprint("alice@example.net", 17);

	ck_assert_uint_eq(a, b);
	ck_assert_uint_ne(a, 0);
	ck_assert_uint_ne(a, hash_fingerprint("alice@example.ne", 16));
	ck_assert_uint_ne(hash_fingerprint("", 0), 0);
}
END_TEST

/*
 * test_hash_table - every byte of every length counts, and so does the
 * length; the key changes every value; the reads stay inside the data
 * (each input is a heap block of its exact size, for the sanitizers);
 * keys that differ a little still spread over the buckets.
 */
START_TEST(test_hash_table)
{
	static const struct hash_key key = {
		0x0706050403020100ULL, 0x0f0e0d0c0b0a0908ULL
	};
	static const struct hash_key other = {
		0x0706050403020100ULL, 0x0f0e0d0c0b0a0909ULL
	};
	static unsigned short load[4096];
	unsigned char	*buf;
	uint64_t	 h, seen[65];
	size_t		 n, i, j, used = 0, most = 0;
	char		 name[64];
	int		 bit;

	for (n = 0; n <= 64; n++) {
		buf = xmalloc(n);
		for (i = 0; i < n; i++)
			buf[i] = (unsigned char)('a' + i % 26);
		h = hash_table(&key, buf, n);
		ck_assert_uint_eq(h, hash_table(&key, buf, n));
		ck_assert_uint_ne(h, hash_table(&other, buf, n));
		/* Prefixes of one text: the length alone tells them apart. */
		for (j = 0; j < n; j++)
			ck_assert_uint_ne(h, seen[j]);
		seen[n] = h;
		for (i = 0; i < n; i++)
			for (bit = 0; bit < 8; bit++) {
				buf[i] ^= (unsigned char)(1u << bit);
				ck_assert_uint_ne(h, hash_table(&key, buf, n));
				buf[i] ^= (unsigned char)(1u << bit);
			}
		free(buf);
	}
	/* Word pairs equal but for the length: must still differ. */
	ck_assert_uint_ne(hash_table(&key, "cbbbbbbb", 8),
	    hash_table(&key, "cbbbbbbbb", 9));
	ck_assert_uint_ne(hash_table(&key, "aa", 2),
	    hash_table(&key, "aaa", 3));
	ck_assert_uint_ne(hash_table(&key, "", 0), hash_table(&key, "\0", 1));
	/* 4096 addresses into 4096 buckets: a random function fills
	   about 63% of them, and no bucket gets a dozen. */
	for (i = 0; i < 4096; i++) {
		n = (size_t)snprintf(name, sizeof(name), "user%zu@example.com",
		    i);
		h = hash_table(&key, name, n) & 4095;
		if (load[h]++ == 0)
			used++;
		if (load[h] > most)
			most = load[h];
	}
	ck_assert_uint_gt(used, 2400);
	ck_assert_uint_lt(most, 12);
	/* hash_bytes is the same function under the process secret. */
	ck_assert_uint_eq(hash_bytes("alice@example.net", 17),
	    hash_table(hash_seed(), "alice@example.net", 17));
}
END_TEST

/* new_map - the map kind a loop test runs on: 0 plain, 1 pooled */
static struct strmap *
new_map(int kind, void (*free_value)(void *))
{
	return kind == 0 ? strmap_new(free_value) :
	    strmap_new_pooled(free_value);
}

START_TEST(test_strmap_basic)
{
	struct strmap	*map = new_map(_i, free);
	void		**slot;
	bool		 created;
	char		 key[32];
	size_t		 pos = 0, seen = 0, keylen;
	const char	*k;
	void		*v;
	int		 i;

	for (i = 0; i < 10000; i++) {
		snprintf(key, sizeof(key), "key-%d", i);
		slot = strmap_slot(map, key, strlen(key), &created);
		ck_assert(created);
		*slot = xstrdup(key);
	}
	ck_assert_uint_eq(strmap_count(map), 10000);
	slot = strmap_slot(map, "key-42", 6, &created);
	ck_assert(!created);
	ck_assert_str_eq(*slot, "key-42");
	ck_assert_ptr_null(strmap_get(map, "key-10000", 9));
	/* Keys are byte strings: an embedded NUL is part of the key. */
	slot = strmap_slot(map, "a\0b", 3, &created);
	ck_assert(created);
	*slot = xstrdup("nul");
	ck_assert_ptr_null(strmap_get(map, "a", 1));
	ck_assert_str_eq(strmap_get(map, "a\0b", 3), "nul");

	while (strmap_next(map, &pos, &k, &keylen, &v)) {
		if (keylen == 3 && memcmp(k, "a\0b", 3) == 0)
			ck_assert_str_eq(v, "nul");
		else
			ck_assert_mem_eq(k, v, keylen);
		seen++;
	}
	ck_assert_uint_eq(seen, 10001);
	strmap_free(map);
	strmap_free(NULL);
}
END_TEST

/*
 * test_strmap_pooled_keys - a pooled map: keys longer than a block,
 * the empty key, keys put back after removal; every key read back
 * intact after the blocks grew.
 */
START_TEST(test_strmap_pooled_keys)
{
	struct strmap	*map = strmap_new_pooled(free);
	size_t		 big = 40000, pos = 0, keylen, seen = 0, before;
	char		*long_key = xmalloc(big);
	char		 key[32];
	const char	*k;
	void		*v;
	bool		 created;
	int		 i;

	memset(long_key, 'x', big);
	*strmap_slot(map, "", 0, &created) = xstrdup("empty");
	ck_assert(created);
	before = strmap_memory(map);
	*strmap_slot(map, long_key, big, &created) = xstrdup("long");
	ck_assert(created);
	ck_assert_uint_ge(strmap_memory(map), before + big);
	for (i = 0; i < 3000; i++) {
		snprintf(key, sizeof(key), "k%d", i);
		*strmap_slot(map, key, strlen(key), NULL) = xstrdup(key);
	}
	for (i = 0; i < 3000; i += 3) {
		snprintf(key, sizeof(key), "k%d", i);
		ck_assert(strmap_remove(map, key, strlen(key)));
	}
	for (i = 0; i < 3000; i += 6) {
		snprintf(key, sizeof(key), "k%d", i);
		*strmap_slot(map, key, strlen(key), &created) = xstrdup(key);
		ck_assert(created);
	}
	ck_assert_str_eq(strmap_get(map, "", 0), "empty");
	ck_assert_str_eq(strmap_get(map, long_key, big), "long");
	ck_assert_ptr_null(strmap_get(map, long_key, big - 1));
	while (strmap_next(map, &pos, &k, &keylen, &v)) {
		ck_assert_int_eq(k[keylen], '\0');
		if (keylen == big)
			ck_assert_mem_eq(k, long_key, big);
		else if (keylen > 0)
			ck_assert_str_eq(k, v);
		seen++;
	}
	/* 2 + 3000 - 1000 removed + 500 back */
	ck_assert_uint_eq(seen, 2502);
	ck_assert_uint_eq(strmap_count(map), 2502);
	strmap_free(map);
	free(long_key);
}
END_TEST

START_TEST(test_strmap_remove)
{
	struct strmap	*map = new_map(_i, NULL);
	char		 key[32];
	int		 i;

	/* Many removals exercise the backward-shift deletion. */
	for (i = 0; i < 5000; i++) {
		snprintf(key, sizeof(key), "%d", i);
		*strmap_slot(map, key, strlen(key), NULL) =
		    (void *)(intptr_t)(i + 1);
	}
	for (i = 0; i < 5000; i += 2) {
		snprintf(key, sizeof(key), "%d", i);
		ck_assert(strmap_remove(map, key, strlen(key)));
		ck_assert(!strmap_remove(map, key, strlen(key)));
	}
	ck_assert_uint_eq(strmap_count(map), 2500);
	for (i = 0; i < 5000; i++) {
		snprintf(key, sizeof(key), "%d", i);
		if (i % 2 == 0)
			ck_assert_ptr_null(strmap_get(map, key, strlen(key)));
		else
			ck_assert_int_eq((intptr_t)strmap_get(map, key,
			    strlen(key)), i + 1);
	}
	strmap_free(map);
}
END_TEST

/*
 * test_strmap_hashed - strmap_slot_hashed() files a key where
 * strmap_slot(), strmap_get() and strmap_get_hashed() find it (and
 * the last finds nothing for a key not there, or gone, whatever the
 * hash it is given); strmap_value_slot() and
 * strmap_remove_value() find an entry by its hash and value alone,
 * through removals that shift buckets back and through growth, and
 * refuse a value under another hash or one not stored.
 */
START_TEST(test_strmap_hashed)
{
	struct strmap	*map = new_map(_i, free);
	uint64_t	*hashes = xreallocarray(NULL, 4000, sizeof(*hashes));
	char		**values = xreallocarray(NULL, 4000, sizeof(*values));
	char		 key[32];
	void		**slot;
	bool		 created;
	char		*v;
	int		 i;

	for (i = 0; i < 4000; i++) {
		snprintf(key, sizeof(key), "h%d", i);
		hashes[i] = strmap_hash(map, key, strlen(key));
		/* The hash is the map's own, the one strmap_slot() uses:
		   every call gives the same. */
		ck_assert(hashes[i] == strmap_hash(map, key, strlen(key)));
		slot = strmap_slot_hashed(map, key, strlen(key), hashes[i],
		    &created);
		ck_assert(created);
		*slot = values[i] = xstrdup(key);
		/* Same key, either way: found, not inserted again. */
		slot = strmap_slot(map, key, strlen(key), &created);
		ck_assert(!created);
		ck_assert_ptr_eq(*slot, values[i]);
		ck_assert_ptr_eq(strmap_get_hashed(map, key, strlen(key),
		    hashes[i]), values[i]);
		slot = strmap_slot_hashed(map, key, strlen(key), hashes[i],
		    &created);
		ck_assert(!created);
		ck_assert_ptr_eq(*slot, values[i]);
	}
	ck_assert_uint_eq(strmap_count(map), 4000);
	for (i = 0; i < 4000; i++) {
		slot = strmap_value_slot(map, hashes[i], values[i]);
		ck_assert_ptr_nonnull(slot);
		ck_assert_ptr_eq(*slot, values[i]);
		/* Another entry's value under this hash is not there. */
		ck_assert_ptr_null(strmap_value_slot(map, hashes[i],
		    values[(i + 1) % 4000]));
	}
	/* Replace some values through their slots, drop others by value:
	   the backward shift moves the survivors, which stay found. */
	for (i = 0; i < 4000; i += 3) {
		slot = strmap_value_slot(map, hashes[i], values[i]);
		ck_assert_ptr_nonnull(slot);
		free(values[i]);
		snprintf(key, sizeof(key), "new%d", i);
		*slot = values[i] = xstrdup(key);
	}
	for (i = 1; i < 4000; i += 3) {
		v = values[i];
		ck_assert(strmap_remove_value(map, hashes[i], v));
		ck_assert(!strmap_remove_value(map, hashes[i], v));
		values[i] = NULL;
	}
	ck_assert_uint_eq(strmap_count(map), 4000 - 1333);
	for (i = 0; i < 4000; i++) {
		snprintf(key, sizeof(key), "h%d", i);
		if (values[i] == NULL) {
			ck_assert_ptr_null(strmap_get(map, key, strlen(key)));
			ck_assert_ptr_null(strmap_get_hashed(map, key,
			    strlen(key), hashes[i]));
			continue;
		}
		ck_assert_ptr_eq(strmap_get(map, key, strlen(key)),
		    values[i]);
		ck_assert_ptr_eq(strmap_get_hashed(map, key, strlen(key),
		    hashes[i]), values[i]);
		/* A key not in the map is not found under the hash of
		   one that is. */
		ck_assert_ptr_null(strmap_get_hashed(map, "absent", 6,
		    hashes[i]));
		ck_assert_ptr_eq(*strmap_value_slot(map, hashes[i],
		    values[i]), values[i]);
	}
	/* A key dropped by value can come back under the same hash. */
	snprintf(key, sizeof(key), "h%d", 1);
	slot = strmap_slot_hashed(map, key, strlen(key), hashes[1],
	    &created);
	ck_assert(created);
	*slot = values[1] = xstrdup("back");
	ck_assert_str_eq(strmap_get(map, key, strlen(key)), "back");
	strmap_free(map);
	free(hashes);
	free(values);
}
END_TEST

/* An object that is its own key's storage, as a borrowing map's
   values are. */
struct keyed_obj {
	uint64_t	 hash;
	size_t		 len;
	char		*key;		/* heap: freed to test the contract */
};

/*
 * test_strmap_borrowed_keys - a borrowing map stores the caller's key
 * pointers, not copies, through growth and backward shifts; a key
 * inserted from a scratch buffer and moved with strmap_rekey() stays
 * found after the buffer is overwritten; strmap_rekey() to new bytes
 * lets the old ones go; removal by value and strmap_free() do not read
 * keys whose storage is already freed (ASan builds check that); and
 * strmap_memory() counts no key bytes.
 */
START_TEST(test_strmap_borrowed_keys)
{
	enum { COUNT = 5000 };
	struct strmap	*map = strmap_new_borrowing(NULL);
	struct strmap	*copying = strmap_new(NULL);
	struct keyed_obj *objs = xreallocarray(NULL, COUNT, sizeof(*objs));
	char		 scratch[64], key[64];
	size_t		 i, pos = 0, keylen, seen = 0, key_bytes = 0;
	const char	*k;
	void		**slot, *v;
	bool		 created;
	char		*moved;

	for (i = 0; i < COUNT; i++) {
		/* Keys of many lengths, some with a NUL inside. */
		snprintf(key, sizeof(key), "relay%zu%c%0*zu", i % 7, '\0',
		    (int)(1 + i % 23), i);
		objs[i].len = strlen(key) + 1 + strlen(key + strlen(key) + 1);
		objs[i].key = xmemdup0(key, objs[i].len);
		objs[i].hash = strmap_hash(map, key, objs[i].len);
		key_bytes += objs[i].len + 1;
		*strmap_slot(copying, key, objs[i].len, NULL) = &objs[i];
		if (i % 2 == 0) {
			/* Straight from the object's storage. */
			slot = strmap_slot_hashed(map, objs[i].key,
			    objs[i].len, objs[i].hash, &created);
			ck_assert(created);
			*slot = &objs[i];
			continue;
		}
		/* From a scratch buffer, moved to the object at once. */
		memcpy(scratch, key, objs[i].len);
		slot = strmap_slot(map, scratch, objs[i].len, &created);
		ck_assert(created);
		*slot = &objs[i];
		strmap_rekey(map, slot, objs[i].key);
		memset(scratch, '#', sizeof(scratch));
	}
	ck_assert_uint_eq(strmap_count(map), COUNT);
	/* The map stores the objects' pointers themselves. */
	while (strmap_next(map, &pos, &k, &keylen, &v)) {
		const struct keyed_obj *o = v;

		ck_assert_ptr_eq(k, o->key);
		ck_assert_uint_eq(keylen, o->len);
		seen++;
	}
	ck_assert_uint_eq(seen, COUNT);
	/* Same table, no key bytes. */
	ck_assert_uint_eq(strmap_memory(map) + key_bytes,
	    strmap_memory(copying));
	for (i = 0; i < COUNT; i++) {
		memcpy(key, objs[i].key, objs[i].len);
		ck_assert_ptr_eq(strmap_get(map, key, objs[i].len), &objs[i]);
		slot = strmap_slot(map, key, objs[i].len, &created);
		ck_assert(!created);
		ck_assert_ptr_eq(*slot, &objs[i]);
	}
	for (i = 0; i < COUNT; i++) {
		switch (i % 3) {
		case 0:
			/* Moved to new bytes; the old ones freed. */
			moved = xmemdup0(objs[i].key, objs[i].len);
			slot = strmap_value_slot(map, objs[i].hash, &objs[i]);
			ck_assert_ptr_nonnull(slot);
			strmap_rekey(map, slot, moved);
			memset(objs[i].key, '#', objs[i].len);
			free(objs[i].key);
			objs[i].key = moved;
			break;
		case 1:
			/* Storage gone first, then the key by value. */
			free(objs[i].key);
			objs[i].key = NULL;
			ck_assert(strmap_remove_value(map, objs[i].hash,
			    &objs[i]));
			break;
		default:
			break;
		}
	}
	ck_assert_uint_eq(strmap_count(map), COUNT - (COUNT + 1) / 3);
	for (i = 0; i < COUNT; i++) {
		if (objs[i].key == NULL)
			continue;
		memcpy(key, objs[i].key, objs[i].len);
		ck_assert_ptr_eq(strmap_get(map, key, objs[i].len), &objs[i]);
	}
	/* A removed key can come back, and go by its bytes. */
	snprintf(key, sizeof(key), "relay1%c%0*zu", '\0', 2, (size_t)1);
	ck_assert_ptr_null(strmap_get(map, key, 9));
	slot = strmap_slot(map, key, 9, &created);
	ck_assert(created);
	*slot = &objs[1];
	strmap_rekey(map, slot, "relay1\0" "01");
	memset(key, '#', sizeof(key));
	ck_assert_ptr_eq(strmap_get(map, "relay1\0" "01", 9), &objs[1]);
	snprintf(key, sizeof(key), "relay1%c%0*zu", '\0', 2, (size_t)1);
	ck_assert(strmap_remove(map, key, 9));
	ck_assert_ptr_null(strmap_get(map, key, 9));
	/* The storage of every key goes before the map. */
	for (i = 0; i < COUNT; i++)
		free(objs[i].key);
	strmap_free(map);
	strmap_free(copying);
	free(objs);
}
END_TEST

static const struct {
	const char	*in;
	size_t		 len;
	const char	*out;
	bool		 valid;
} utf8_cases[] = {
	{ "plain ascii", 11, "plain ascii", true },
	{ "caf\xc3\xa9", 5, "caf\xc3\xa9", true },
	{ "\xe2\x82\xac euro", 8, "\xe2\x82\xac euro", true },
	{ "\xf0\x9f\x98\x80", 4, "\xf0\x9f\x98\x80", true },
	{ "latin1 \xe9t\xe9", 10, "latin1 \xef\xbf\xbdt\xef\xbf\xbd", false },
	{ "nul\0byte", 8, "nul\xef\xbf\xbd" "byte", false },
	/* Overlong encoding of '/', a classic filter bypass. */
	{ "\xc0\xaf", 2, "\xef\xbf\xbd\xef\xbf\xbd", false },
	/* Surrogate half U+D800. */
	{ "\xed\xa0\x80", 3, "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd", false },
	/* Truncated 3-byte sequence: one replacement for the prefix. */
	{ "a\xe2\x82", 3, "a\xef\xbf\xbd", false },
	/* Above U+10FFFF. */
	{ "\xf4\x90\x80\x80", 4,
	  "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd", false },
	{ "\xff", 1, "\xef\xbf\xbd", false },
	{ "ctl\x1b[31m", 8, "ctl\x1b[31m", true },
	{ "", 0, "", true },
};

START_TEST(test_utf8_table)
{
	size_t	outlen;
	char	*out;

	ck_assert_int_eq(utf8_valid(utf8_cases[_i].in, utf8_cases[_i].len),
	    utf8_cases[_i].valid);
	out = utf8_repair(utf8_cases[_i].in, utf8_cases[_i].len, &outlen);
	ck_assert_uint_eq(outlen, strlen(utf8_cases[_i].out));
	ck_assert_str_eq(out, utf8_cases[_i].out);
	ck_assert(utf8_valid(out, outlen));
	free(out);
}
END_TEST

/*
 * utf8_sequence() at each byte: the sequences it finds, walked from
 * the start, cover exactly the valid strings; and it never claims more
 * bytes than it is given.
 */
START_TEST(test_utf8_sequence)
{
	const char	*in = utf8_cases[_i].in;
	size_t		 len = utf8_cases[_i].len, i = 0, n, at;
	bool		 whole = true;

	while (i < len) {
		if ((n = utf8_sequence(in + i, len - i)) == 0) {
			whole = false;
			break;
		}
		ck_assert_uint_le(n, len - i);
		i += n;
	}
	ck_assert_int_eq(whole, utf8_cases[_i].valid);
	for (at = 0; at < len; at++)
		ck_assert_uint_le(utf8_sequence(in + at, len - at), len - at);
}
END_TEST

START_TEST(test_utf8_sequence_lengths)
{
	ck_assert_uint_eq(utf8_sequence("a", 1), 1);
	ck_assert_uint_eq(utf8_sequence("\x7f", 1), 1);
	ck_assert_uint_eq(utf8_sequence("", 1), 0);	/* NUL */
	ck_assert_uint_eq(utf8_sequence("\xc3\xa9x", 3), 2);
	ck_assert_uint_eq(utf8_sequence("\xc3\xa9", 1), 0);
	ck_assert_uint_eq(utf8_sequence("\xe2\x82\xac", 3), 3);
	ck_assert_uint_eq(utf8_sequence("\xf0\x9f\x98\x80", 4), 4);
	ck_assert_uint_eq(utf8_sequence("\xf0\x9f\x98\x80", 3), 0);
	ck_assert_uint_eq(utf8_sequence("\x80", 1), 0);
	ck_assert_uint_eq(utf8_sequence("\xc1\xbf", 2), 0);
	ck_assert_uint_eq(utf8_sequence("\xed\xbf\xbf", 3), 0);
	ck_assert_uint_eq(utf8_sequence("\xf5\x80\x80\x80", 4), 0);
}
END_TEST

START_TEST(test_zstr)
{
	struct zstr	s = zstr_make("hello world", 5);
	char		*d = zstr_dup(s);

	ck_assert(zstr_eq_cstr(s, "hello"));
	ck_assert(!zstr_eq_cstr(s, "hello "));
	ck_assert(zstr_is_set(s));
	ck_assert(!zstr_is_set(ZSTR_NULL));
	ck_assert_ptr_null(zstr_dup(ZSTR_NULL));
	ck_assert_str_eq(d, "hello");
	free(d);
}
END_TEST

static char tmpdir[64];

/* setup_tmpdir - a fresh directory for the outfile tests */
static void
setup_tmpdir(void)
{
	strcpy(tmpdir, "/tmp/zs-check-util-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

/* teardown_tmpdir - remove the directory and what is in it */
static void
teardown_tmpdir(void)
{
	char	cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	ck_assert_int_eq(system(cmd), 0);
}

/* count_entries - files in tmpdir */
static int
count_entries(void)
{
	char	cmd[160];
	FILE	*p;
	int	 n = -1;

	snprintf(cmd, sizeof(cmd), "ls -A '%s' | wc -l", tmpdir);
	p = popen(cmd, "r");
	ck_assert_ptr_nonnull(p);
	ck_assert_int_eq(fscanf(p, "%d", &n), 1);
	pclose(p);
	return n;
}

/* slurp - a file's contents, for comparison */
static char *
slurp(const char *path)
{
	static char	buf[4096];
	FILE		*f = fopen(path, "r");
	size_t		 n;

	ck_assert_ptr_nonnull(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

START_TEST(test_outfile_atomic)
{
	struct outfile	*out;
	char		 path[128], err[256];

	snprintf(path, sizeof(path), "%s/report.json", tmpdir);
	out = outfile_open(path, err, sizeof(err));
	ck_assert_ptr_nonnull(out);
	fputs("first\n", outfile_stream(out));
	ck_assert(outfile_commit(out, err, sizeof(err)));
	ck_assert_str_eq(slurp(path), "first\n");

	/* An aborted write leaves the old file and no temporary. */
	out = outfile_open(path, err, sizeof(err));
	ck_assert_ptr_nonnull(out);
	fputs("second, half", outfile_stream(out));
	fflush(outfile_stream(out));
	ck_assert_str_eq(slurp(path), "first\n");
	ck_assert_int_eq(count_entries(), 2);
	outfile_abort(out);
	ck_assert_str_eq(slurp(path), "first\n");
	ck_assert_int_eq(count_entries(), 1);
}
END_TEST

START_TEST(test_outfile_errors)
{
	struct outfile	*out;
	char		 path[128], err[256];

	out = outfile_open(tmpdir, err, sizeof(err));
	ck_assert_ptr_null(out);
	ck_assert_ptr_nonnull(strstr(err, "is a directory"));

	snprintf(path, sizeof(path), "%s/no/such/dir/r.json", tmpdir);
	out = outfile_open(path, err, sizeof(err));
	ck_assert_ptr_null(out);
	ck_assert_ptr_nonnull(strstr(err, "r.json"));
}
END_TEST

START_TEST(test_outfile_full_disk)
{
	struct outfile	*out;
	char		 err[256];
	int		 i;

	/* /dev/full: a device, so written straight through, and full. */
	if (access("/dev/full", W_OK) != 0)
		return;
	out = outfile_open("/dev/full", err, sizeof(err));
	ck_assert_ptr_nonnull(out);
	for (i = 0; i < 1000; i++)
		fputs("0123456789abcdef0123456789abcdef\n", outfile_stream(out));
	ck_assert(!outfile_commit(out, err, sizeof(err)));
	ck_assert_ptr_nonnull(strstr(err, "/dev/full"));
}
END_TEST

START_TEST(test_outfile_pipe)
{
	struct outfile	*out;
	char		 path[128], err[256], buf[32];
	ssize_t		 n;
	int		 fd;
	pid_t		 pid;

	/* A FIFO is written straight to: no temporary beside it. */
	snprintf(path, sizeof(path), "%s/fifo", tmpdir);
	ck_assert_int_eq(mkfifo(path, 0600), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		out = outfile_open(path, err, sizeof(err));
		if (out == NULL)
			_exit(1);
		fputs("through", outfile_stream(out));
		_exit(outfile_commit(out, err, sizeof(err)) ? 0 : 1);
	}
	fd = open(path, O_RDONLY);
	ck_assert_int_ge(fd, 0);
	n = read(fd, buf, sizeof(buf) - 1);
	ck_assert_int_eq(n, 7);
	buf[n] = '\0';
	ck_assert_str_eq(buf, "through");
	close(fd);
	ck_assert_int_eq(count_entries(), 1);
}
END_TEST

START_TEST(test_outfile_symlink)
{
	struct outfile	*out;
	char		 path[128], link[128], err[256], buf[160];
	struct stat	 st;
	ssize_t		 n;

	/* The file a link names is replaced, with its mode; the link
	   stays a link. */
	snprintf(path, sizeof(path), "%s/report.json", tmpdir);
	snprintf(link, sizeof(link), "%s/latest.json", tmpdir);
	out = outfile_open(path, err, sizeof(err));
	ck_assert_ptr_nonnull(out);
	fputs("old\n", outfile_stream(out));
	ck_assert(outfile_commit(out, err, sizeof(err)));
	ck_assert_int_eq(chmod(path, 0640), 0);
	ck_assert_int_eq(symlink("report.json", link), 0);

	out = outfile_open(link, err, sizeof(err));
	ck_assert_ptr_nonnull(out);
	fputs("new\n", outfile_stream(out));
	ck_assert(outfile_commit(out, err, sizeof(err)));
	ck_assert_int_eq(lstat(link, &st), 0);
	ck_assert(S_ISLNK(st.st_mode));
	n = readlink(link, buf, sizeof(buf) - 1);
	ck_assert_int_eq(n, 11);
	buf[n] = '\0';
	ck_assert_str_eq(buf, "report.json");
	ck_assert_str_eq(slurp(path), "new\n");
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0640);
	ck_assert_int_eq(count_entries(), 2);

	/* A link to nothing (a state file not made yet) is replaced by
	   the file, as any name, without following it. */
	ck_assert_int_eq(unlink(path), 0);
	out = outfile_open(link, err, sizeof(err));
	ck_assert_ptr_nonnull(out);
	fputs("first\n", outfile_stream(out));
	ck_assert(outfile_commit(out, err, sizeof(err)));
	ck_assert_int_eq(lstat(link, &st), 0);
	ck_assert(S_ISREG(st.st_mode));
	ck_assert_str_eq(slurp(link), "first\n");
	ck_assert_int_eq(access(path, F_OK), -1);
}
END_TEST

START_TEST(test_outfile_fd_name)
{
	struct outfile	*out;
	char		 path[128], name[64], err[256];
	struct stat	 before, after;
	int		 fd;

	/* /dev/fd/N is the descriptor itself: written where it stands,
	   even when it is a regular file, which is not replaced. */
	snprintf(path, sizeof(path), "%s/captured", tmpdir);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, "head,", 5), 5);
	ck_assert_int_eq(fstat(fd, &before), 0);
	snprintf(name, sizeof(name), "/dev/fd/%d", fd);
	out = outfile_open(name, err, sizeof(err));
	ck_assert_ptr_nonnull(out);
	fputs("body", outfile_stream(out));
	ck_assert(outfile_commit(out, err, sizeof(err)));
	/* The caller's descriptor is still open, and moved on. */
	ck_assert_int_eq(write(fd, ",tail", 5), 5);
	ck_assert_int_eq(close(fd), 0);
	ck_assert_int_eq(stat(path, &after), 0);
	ck_assert(before.st_ino == after.st_ino);
	ck_assert_str_eq(slurp(path), "head,body,tail");
	ck_assert_int_eq(count_entries(), 1);

	/* A descriptor that is not open is an error naming it. */
	snprintf(name, sizeof(name), "/proc/self/fd/%d", fd);
	ck_assert_ptr_null(outfile_open(name, err, sizeof(err)));
	ck_assert_ptr_nonnull(strstr(err, name));

	/* Once the inherited ones are noted, one opened since is not
	   a name the command line may use. */
	outfile_note_inherited();
	fd = open(path, O_WRONLY | O_APPEND);
	ck_assert_int_ge(fd, 0);
	snprintf(name, sizeof(name), "/dev/fd/%d", fd);
	ck_assert_ptr_null(outfile_open(name, err, sizeof(err)));
	ck_assert_ptr_nonnull(strstr(err, name));
	close(fd);
	ck_assert_str_eq(slurp(path), "head,body,tail");
	out = outfile_open("/dev/fd/99999999999", err, sizeof(err));
	ck_assert_ptr_null(out);
}
END_TEST

START_TEST(test_outfile_long_name)
{
	struct outfile	*out;
	char		 path[512], err[256];
	size_t		 n;

	/* A name NAME_MAX long leaves no room for ".tmp.XXXXXX". */
	n = (size_t)snprintf(path, sizeof(path), "%s/", tmpdir);
	memset(path + n, 'r', NAME_MAX);
	path[n + NAME_MAX] = '\0';
	out = outfile_open(path, err, sizeof(err));
	ck_assert_ptr_nonnull(out);
	ck_assert_int_eq(count_entries(), 1);
	fputs("long\n", outfile_stream(out));
	ck_assert(outfile_commit(out, err, sizeof(err)));
	ck_assert_str_eq(slurp(path), "long\n");
	ck_assert_int_eq(count_entries(), 1);
}
END_TEST

/* test_errmsg_fail - formats into err, clipped; NULL or 0 bytes: nothing */
START_TEST(test_errmsg_fail)
{
	char	err[8];

	memset(err, 'x', sizeof(err));
	ck_assert(!errmsg_fail(err, sizeof(err), "%s %d", "abc", 42));
	ck_assert_str_eq(err, "abc 42");
	ck_assert(!errmsg_fail(err, sizeof(err), "%s", "0123456789"));
	ck_assert_str_eq(err, "0123456");
	ck_assert(!errmsg_fail(NULL, 16, "%s", "ignored"));
	memset(err, 'x', sizeof(err));
	ck_assert(!errmsg_fail(err, 0, "%s", "ignored"));
	ck_assert_int_eq(err[0], 'x');
}
END_TEST

/* test_errmsg_shown - control bytes and DEL as '?', clipped */
START_TEST(test_errmsg_shown)
{
	char	buf[8], one[1] = { 'x' }, none[1] = { 'x' };

	ck_assert_ptr_eq(errmsg_shown(buf, sizeof(buf),
	    "a\tb\x1b\x7f\xc3\xa9"), buf);
	ck_assert_str_eq(buf, "a?b??\xc3\xa9");
	ck_assert_str_eq(errmsg_shown(buf, sizeof(buf), "0123456789"),
	    "0123456");
	ck_assert_str_eq(errmsg_shown(buf, sizeof(buf), ""), "");
	ck_assert_str_eq(errmsg_shown(one, sizeof(one), "abc"), "");
	errmsg_shown(none, 0, "abc");
	ck_assert_int_eq(none[0], 'x');
}
END_TEST

/*
 * A mapped file cut under the mapping: bytes before the new end read
 * as before, the rest of its last page as zeros (no fault), and a
 * page past it faults; the guard makes that page and the rest of the
 * window zeros and reports the lowest page that faulted.
 */
START_TEST(test_mapguard_cut)
{
	long		 page = sysconf(_SC_PAGESIZE);
	size_t		 len = 4 * (size_t)page;
	char		*data = xmalloc(len), path[128];
	const char	*at = NULL;
	volatile char	*p;
	struct mapguard	*g;
	int		 fd;

	memset(data, 'x', len);
	snprintf(path, sizeof(path), "%s/mapped", tmpdir);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, data, len), (ssize_t)len);
	p = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0);
	ck_assert(p != MAP_FAILED);
	g = mapguard_new();
	ck_assert_ptr_nonnull(g);
	mapguard_set(g, (const void *)p, len);
	ck_assert(!mapguard_cut(g, &at));
	ck_assert_int_eq(p[3 * page], 'x');

	ck_assert_int_eq(ftruncate(fd, page + 10), 0);
	ck_assert_int_eq(p[0], 'x');
	ck_assert_int_eq(p[page + 9], 'x');
	ck_assert_int_eq(p[page + 10], 0);
	ck_assert(!mapguard_cut(g, &at));
	ck_assert_int_eq(p[3 * page + 1], 0);		/* faults */
	ck_assert(mapguard_cut(g, &at));
	ck_assert_ptr_eq(at, (const char *)p + 3 * page);
	ck_assert_int_eq(p[2 * page], 0);		/* faults, lower */
	ck_assert(mapguard_cut(g, &at));
	ck_assert_ptr_eq(at, (const char *)p + 2 * page);
	ck_assert_int_eq(p[3 * page + 2], 0);		/* zeros now */

	/* Set again: nothing cut. */
	mapguard_set(g, (const void *)p, len);
	ck_assert(!mapguard_cut(g, &at));
	mapguard_free(g);
	ck_assert_int_eq(munmap((void *)p, len), 0);
	ck_assert_int_eq(close(fd), 0);
	free(data);
}
END_TEST

/* Guards run out at MAPGUARD_MAX, and a freed one is made again. */
START_TEST(test_mapguard_table)
{
	struct mapguard	*g[MAPGUARD_MAX];
	size_t		 i;

	for (i = 0; i < MAPGUARD_MAX; i++) {
		g[i] = mapguard_new();
		ck_assert_ptr_nonnull(g[i]);
	}
	ck_assert_ptr_null(mapguard_new());
	mapguard_free(g[7]);
	g[7] = mapguard_new();
	ck_assert_ptr_nonnull(g[7]);
	for (i = 0; i < MAPGUARD_MAX; i++)
		mapguard_free(g[i]);
	mapguard_free(NULL);
}
END_TEST

/*
 * A SIGBUS no guard covers still ends the process, as it would have
 * without the handler (by the signal, or by a sanitizer's handler of
 * it when one was there first).
 */
START_TEST(test_mapguard_unguarded)
{
	long		 page = sysconf(_SC_PAGESIZE);
	char		 path[128];
	volatile char	*p;
	pid_t		 pid;
	int		 fd, status;

	ck_assert_ptr_nonnull(mapguard_new());	/* the handler is in */
	snprintf(path, sizeof(path), "%s/unguarded", tmpdir);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(ftruncate(fd, 2 * page), 0);
	p = mmap(NULL, 2 * (size_t)page, PROT_READ, MAP_PRIVATE, fd, 0);
	ck_assert(p != MAP_FAILED);
	ck_assert_int_eq(ftruncate(fd, 0), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		(void)p[page];
		_exit(0);		/* survived: wrong */
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(!WIFEXITED(status) || WEXITSTATUS(status) != 0,
	    "the process went on after an unguarded SIGBUS");
	ck_assert_int_eq(munmap((void *)p, 2 * (size_t)page), 0);
	ck_assert_int_eq(close(fd), 0);
}
END_TEST

/*
 * procstat_kib: a field by its whole name (not a field it begins, nor
 * one missing), and a size that follows the process's own: 64 MiB more
 * address space mapped is 64 MiB more VmSize.
 */
START_TEST(test_procstat)
{
	unsigned long long before, after;
	size_t	 len = 64u * 1024 * 1024;
	void	*p;

	ck_assert_uint_eq(procstat_kib("VmSiz"), 0);
	ck_assert_uint_eq(procstat_kib("NoSuchField"), 0);
	if (access("/proc/self/status", R_OK) != 0)
		return;		/* no /proc: 0 is all it can say */
	ck_assert_uint_gt(procstat_kib("VmHWM"), 0);
	before = procstat_kib("VmSize");
	ck_assert_uint_gt(before, 0);
	p = mmap(NULL, len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ck_assert(p != MAP_FAILED);
	after = procstat_kib("VmSize");
	ck_assert_int_eq(munmap(p, len), 0);
	ck_assert_uint_ge(after, before + len / 1024);
}
END_TEST

/* util_suite - every util test */
static Suite *
util_suite(void)
{
	Suite	*s = suite_create("util");
	TCase	*tc;

	tc = tcase_create("hash");
	tcase_add_test(tc, test_siphash24_reference);
	tcase_add_test(tc, test_siphash13_pinned);
	tcase_add_test(tc, test_fingerprint_stable);
	tcase_add_test(tc, test_hash_table);
	suite_add_tcase(s, tc);

	tc = tcase_create("maps");
	tcase_add_loop_test(tc, test_strmap_basic, 0, 2);
	tcase_add_loop_test(tc, test_strmap_remove, 0, 2);
	tcase_add_test(tc, test_strmap_pooled_keys);
	tcase_add_loop_test(tc, test_strmap_hashed, 0, 2);
	tcase_add_test(tc, test_strmap_borrowed_keys);
	suite_add_tcase(s, tc);

	tc = tcase_create("text");
	tcase_add_loop_test(tc, test_utf8_table, 0,
	    (int)(sizeof(utf8_cases) / sizeof(utf8_cases[0])));
	tcase_add_loop_test(tc, test_utf8_sequence, 0,
	    (int)(sizeof(utf8_cases) / sizeof(utf8_cases[0])));
	tcase_add_test(tc, test_utf8_sequence_lengths);
	tcase_add_test(tc, test_zstr);
	tcase_add_test(tc, test_errmsg_fail);
	tcase_add_test(tc, test_errmsg_shown);
	suite_add_tcase(s, tc);

	tc = tcase_create("outfile");
	tcase_add_checked_fixture(tc, setup_tmpdir, teardown_tmpdir);
	tcase_add_test(tc, test_outfile_atomic);
	tcase_add_test(tc, test_outfile_errors);
	tcase_add_test(tc, test_outfile_full_disk);
	tcase_add_test(tc, test_outfile_pipe);
	tcase_add_test(tc, test_outfile_symlink);
	tcase_add_test(tc, test_outfile_fd_name);
	tcase_add_test(tc, test_outfile_long_name);
	suite_add_tcase(s, tc);

	tc = tcase_create("mapguard");
	tcase_add_checked_fixture(tc, setup_tmpdir, teardown_tmpdir);
	tcase_add_test(tc, test_mapguard_cut);
	tcase_add_test(tc, test_mapguard_table);
	tcase_add_test(tc, test_mapguard_unguarded);
	suite_add_tcase(s, tc);

	tc = tcase_create("procstat");
	tcase_add_test(tc, test_procstat);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return run_suite(util_suite());
}
