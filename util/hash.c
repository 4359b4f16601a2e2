/*
 * hash - SipHash-1-3, the table hash and the process-wide hash secret
 * (see hash.h).
 *
 * SipHash is specified in Aumasson and Bernstein, "SipHash: a fast
 * short-input PRF" (2012); 1 compression and 3 finalization rounds are
 * the variant used by several language runtimes for hash tables.
 */
#include "config.h"

#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "util/hash.h"

#define ROTL64(x, b)	(uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))

#define SIPROUND(v0, v1, v2, v3) do {					\
	v0 += v1; v1 = ROTL64(v1, 13); v1 ^= v0; v0 = ROTL64(v0, 32);	\
	v2 += v3; v3 = ROTL64(v3, 16); v3 ^= v2;			\
	v0 += v3; v3 = ROTL64(v3, 21); v3 ^= v0;			\
	v2 += v1; v1 = ROTL64(v1, 17); v1 ^= v2; v2 = ROTL64(v2, 32);	\
} while (0)

/*
 * load_le64 - read 8 bytes little-endian, whatever the host order.  A
 * memcpy() into a word is one unaligned load on the common hosts; the
 * byte order is fixed up where the compiler says it is big-endian.
 */
static inline uint64_t
load_le64(const unsigned char *p)
{
#if defined(__BYTE_ORDER__) && defined(__ORDER_LITTLE_ENDIAN__) && \
    __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	uint64_t	w;

	memcpy(&w, p, sizeof(w));
	return w;
#else
	return (uint64_t)p[0] | (uint64_t)p[1] << 8 | (uint64_t)p[2] << 16 |
	    (uint64_t)p[3] << 24 | (uint64_t)p[4] << 32 |
	    (uint64_t)p[5] << 40 | (uint64_t)p[6] << 48 |
	    (uint64_t)p[7] << 56;
#endif
}

/* load_le32 - read 4 bytes little-endian, as load_le64() does 8 */
static inline uint64_t
load_le32(const unsigned char *p)
{
#if defined(__BYTE_ORDER__) && defined(__ORDER_LITTLE_ENDIAN__) && \
    __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	uint32_t	w;

	memcpy(&w, p, sizeof(w));
	return w;
#else
	return (uint64_t)p[0] | (uint64_t)p[1] << 8 | (uint64_t)p[2] << 16 |
	    (uint64_t)p[3] << 24;
#endif
}

/* load_tail - the last n (< 8) bytes, little-endian, zero-extended */
static inline uint64_t
load_tail(const unsigned char *in, size_t n)
{
	uint64_t	b = 0;

	switch (n) {
	case 7: b |= (uint64_t)in[6] << 48; /* FALLTHROUGH */
	case 6: b |= (uint64_t)in[5] << 40; /* FALLTHROUGH */
	case 5: b |= (uint64_t)in[4] << 32; /* FALLTHROUGH */
	case 4: b |= (uint64_t)in[3] << 24; /* FALLTHROUGH */
	case 3: b |= (uint64_t)in[2] << 16; /* FALLTHROUGH */
	case 2: b |= (uint64_t)in[1] << 8;  /* FALLTHROUGH */
	case 1: b |= (uint64_t)in[0];       /* FALLTHROUGH */
	case 0: break;
	}
	return b;
}

/* siphash_rounds - SipHash-c-d with c compression, d final rounds */
static uint64_t
siphash_rounds(const struct hash_key *key, const void *data, size_t len,
    int c, int d)
{
	const unsigned char *in = data;
	const unsigned char *end = in + (len & ~(size_t)7);
	uint64_t	v0 = 0x736f6d6570736575ULL ^ key->k0;
	uint64_t	v1 = 0x646f72616e646f6dULL ^ key->k1;
	uint64_t	v2 = 0x6c7967656e657261ULL ^ key->k0;
	uint64_t	v3 = 0x7465646279746573ULL ^ key->k1;
	uint64_t	b = (uint64_t)len << 56;
	uint64_t	m;
	int		i;

	for (; in != end; in += 8) {
		m = load_le64(in);
		v3 ^= m;
		for (i = 0; i < c; i++)
			SIPROUND(v0, v1, v2, v3);
		v0 ^= m;
	}
	b |= load_tail(in, len & 7);
	v3 ^= b;
	for (i = 0; i < c; i++)
		SIPROUND(v0, v1, v2, v3);
	v0 ^= b;
	v2 ^= 0xff;
	for (i = 0; i < d; i++)
		SIPROUND(v0, v1, v2, v3);
	return v0 ^ v1 ^ v2 ^ v3;
}

/*
 * siphash13 - SipHash-1-3, for hash tables.  The same function as
 * siphash_rounds(key, data, len, 1, 3), written out with its round
 * counts fixed: every table lookup hashes a key, and the generic
 * round loops made each hash about a fifth dearer (check_util pins
 * the values: fingerprints in saved files depend on them).
 */
uint64_t
siphash13(const struct hash_key *key, const void *data, size_t len)
{
	const unsigned char *in = data;
	const unsigned char *end = in + (len & ~(size_t)7);
	uint64_t	v0 = 0x736f6d6570736575ULL ^ key->k0;
	uint64_t	v1 = 0x646f72616e646f6dULL ^ key->k1;
	uint64_t	v2 = 0x6c7967656e657261ULL ^ key->k0;
	uint64_t	v3 = 0x7465646279746573ULL ^ key->k1;
	uint64_t	b = (uint64_t)len << 56;
	uint64_t	m;

	for (; in != end; in += 8) {
		m = load_le64(in);
		v3 ^= m;
		SIPROUND(v0, v1, v2, v3);
		v0 ^= m;
	}
	/*
	 * The tail: with a whole block before it, the 8 bytes ending at
	 * the end of the data, shifted right, are the same value as the
	 * bytes read one by one.
	 */
	if (len >= 8 && (len & 7) != 0)
		b |= load_le64(in + (len & 7) - 8) >> (64 - 8 * (len & 7));
	else
		b |= load_tail(in, len & 7);
	v3 ^= b;
	SIPROUND(v0, v1, v2, v3);
	v0 ^= b;
	v2 ^= 0xff;
	SIPROUND(v0, v1, v2, v3);
	SIPROUND(v0, v1, v2, v3);
	SIPROUND(v0, v1, v2, v3);
	return v0 ^ v1 ^ v2 ^ v3;
}

/*
 * fold_mul - the 128-bit product of a and b, its halves xored.  Every
 * bit of either factor reaches the middle bits of the product, so one
 * multiplication mixes two words as far as several SipHash rounds do.
 */
static inline uint64_t
fold_mul(uint64_t a, uint64_t b)
{
#if defined(__SIZEOF_INT128__)
	unsigned __int128 p = (unsigned __int128)a * b;

	return (uint64_t)p ^ (uint64_t)(p >> 64);
#else
	/* Schoolbook on 32-bit halves: the same value, more slowly. */
	uint64_t	al = a & 0xffffffff, ah = a >> 32;
	uint64_t	bl = b & 0xffffffff, bh = b >> 32;
	uint64_t	ll = al * bl, lh = al * bh, hl = ah * bl, hh = ah * bh;
	uint64_t	mid = (ll >> 32) + (lh & 0xffffffff) + (hl & 0xffffffff);
	uint64_t	lo = (ll & 0xffffffff) | mid << 32;
	uint64_t	hi = hh + (lh >> 32) + (hl >> 32) + (mid >> 32);

	return lo ^ hi;
#endif
}

#define FOLD_K1		0x9e3779b97f4a7c15ULL	/* odd, no short period */
#define FOLD_K2		0xd6e8feb86659fd93ULL

/*
 * hash_table - see hash.h.  A key of up to 16 bytes is read as two
 * words (overlapping when it is shorter: for a given length the two
 * words still hold every byte at a known place, so distinct keys of
 * one length give distinct word pairs); a longer one is folded into
 * the state 16 bytes at a time, its last 16 bytes (which may overlap
 * the previous block) ending as that pair.  Every word is xored with
 * secret material before it is multiplied, so which inputs make a
 * factor 0 (losing the other one) or collide depends on the key.  The
 * length enters the last multiplication on its own: keys of different
 * lengths whose word pairs match are still told apart.
 */
uint64_t
hash_table(const struct hash_key *key, const void *data, size_t len)
{
	const unsigned char *p = data;
	uint64_t	 h = key->k0, a, b;
	size_t		 n = len;

	if (n <= 16) {
		if (n >= 8) {
			a = load_le64(p);
			b = load_le64(p + n - 8);
		} else if (n >= 4) {
			a = load_le32(p);
			b = load_le32(p + n - 4);
		} else if (n > 0) {
			a = (uint64_t)p[0] << 16 | (uint64_t)p[n >> 1] << 8 |
			    p[n - 1];
			b = 0;
		} else
			a = b = 0;
	} else {
		do {
			h = fold_mul(load_le64(p) ^ key->k1,
			    load_le64(p + 8) ^ h);
			p += 16;
			n -= 16;
		} while (n > 16);
		/* At least 16 bytes lie before p + n: no read before data. */
		a = load_le64(p + n - 16);
		b = load_le64(p + n - 8);
	}
	h = fold_mul(a ^ key->k1, b ^ h ^ FOLD_K1);
	return fold_mul(h ^ key->k0, (uint64_t)len ^ FOLD_K2);
}

/* siphash24 - SipHash-2-4, the reference variant (tests check it) */
uint64_t
siphash24(const struct hash_key *key, const void *data, size_t len)
{
	return siphash_rounds(key, data, len, 2, 4);
}

static struct hash_key process_seed;
static pthread_once_t seed_once = PTHREAD_ONCE_INIT;

/* seed_init - read 16 random bytes; fall back to time and pid */
static void
seed_init(void)
{
	unsigned char	buf[16];
	ssize_t		got = -1;
	int		fd;

	fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		got = read(fd, buf, sizeof(buf));
		close(fd);
	}
	if (got != (ssize_t)sizeof(buf)) {
		/* No urandom (chroot): weaker, but tables still work. */
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		process_seed.k0 = (uint64_t)ts.tv_nsec * 0x9e3779b97f4a7c15ULL;
		process_seed.k1 = (uint64_t)ts.tv_sec ^ (uint64_t)getpid();
		return;
	}
	process_seed.k0 = load_le64(buf);
	process_seed.k1 = load_le64(buf + 8);
}

/* hash_seed - the process-wide secret */
const struct hash_key *
hash_seed(void)
{
	pthread_once(&seed_once, seed_init);
	return &process_seed;
}

/* hash_bytes - table hash under the process secret */
uint64_t
hash_bytes(const void *data, size_t len)
{
	return hash_table(hash_seed(), data, len);
}

/* hash_fingerprint - fixed-key hash, stable across runs */
uint64_t
hash_fingerprint(const void *data, size_t len)
{
	static const struct hash_key fixed = {
		0x7a6f6d6269657363ULL, 0x616e2d6670763031ULL
	};
	uint64_t	h = siphash13(&fixed, data, len);

	return h != 0 ? h : 1;
}

/* hash_mix64 - keyed mix of a fingerprint for bucket choice */
uint64_t
hash_mix64(uint64_t value)
{
	unsigned char	buf[8];
	int		i;

	for (i = 0; i < 8; i++)
		buf[i] = (unsigned char)(value >> (8 * i));
	return siphash13(hash_seed(), buf, sizeof(buf));
}
