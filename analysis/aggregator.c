/*
 * aggregator - per-account behaviour (see aggregator.h).
 *
 * Attribution of a record:
 *
 *   RECORD_MESSAGE
 *     origin BOUNCE   the relay's own non-delivery or delay notice:
 *                     stats.relay_bounces, no account.  So is a
 *                     message from the null sender that a client on
 *                     the relay itself (a loopback address) handed
 *                     over without logging in: a content filter's
 *                     notice (amavisd-new's bounce of a message it
 *                     blocked, its admin and quarantine notices).
 *     origin UNKNOWN  its submission lines were before the log's start:
 *                     stats.messages_unattributed, no account.
 *     origin SMTP     authenticated (non-empty SASL username): the SASL
 *                     account of the username in ASCII lower case, as
 *                     Dovecot's default auth_username_format (%Lu)
 *                     folds it before looking the user up.
 *                     Unauthenticated with every recipient (at least
 *                     one) delivered by the local, virtual or lmtp
 *                     transport (the Exim and Sendmail parsers name
 *                     their local deliveries so): inbound mail for the
 *                     relay's own mailboxes, stats.inbound_local, no
 *                     account.
 *                     Otherwise the IP account of client_ip (mail from
 *                     networks the relay trusts by address).
 *     origin PICKUP   delivered only to local mailboxes (cron and
 *                     system mail on the relay): stats.inbound_local,
 *                     no account.  Otherwise the LOCAL account of the
 *                     envelope sender in lower case, or "uid:<uid>"
 *                     for the null sender.
 *   RECORD_REJECT     the SASL account when the session had logged in,
 *                     else the IP account: one local rejection.
 *   RECORD_AUTH_FAILURE
 *                     the SASL account of the username tried; failures
 *                     that name no username land on the client IP's
 *                     account.
 *
 * A record that names neither key is counted as unattributed and
 * creates no account.
 *
 * Counting: recipient addresses, their domains and envelope senders
 * are compared in ASCII lower case; an address without a domain counts
 * as a recipient but adds no domain; the null sender counts as "<>",
 * and a sender that was never logged is not counted.  A recipient
 * still deferred when its message expired counts as expired.  Bounced,
 * deferred and expired recipients are counted by the class of their
 * last reply.  Hours of the day are local time; clock hours, first and
 * last seen are UTC seconds.
 *
 * Exact merging: every per-account figure is a sum (saturating for
 * sizes and their squares), a minimum or a maximum, a distinct counter
 * ((client IP, HELO) pairs, client networks; util/distinct.h) or a
 * counter map (domains, recipients by fingerprint with counts that
 * stop at two, senders, sender domains, client addresses; minutes of
 * messages, hours of recipients, 10-minute slots of failed logins)
 * merged key by key, or
 * the ACCOUNT_MAX_SAMPLES smallest samples (and ACCOUNT_MAX_REFUSALS
 * smallest distinct refusals, and of each kept class the
 * ACCOUNT_REMOTE_PER_CLASS smallest distinct remote rejections) under
 * a total order on their content, which the smallest of a union of two
 * such lists gives.  Accounts
 * and their maps are created lazily, as brute-force login attempts can
 * create an IP account per attacking address.
 *
 * Capped counter maps.  A spam run that forges a sender per message,
 * or mails a million domains, would grow the domain and sender maps
 * without bound.  A counter map (struct counter) therefore has two
 * forms, and which one it is depends only on the SET of keys seen:
 *
 *   exact   at most AGGREGATOR_COUNTER_EXACT_MAX keys: every key and
 *           its count (util/keycount.h: most accounts have a few keys
 *           in each map, and an ISP has millions of accounts).
 *   capped  more keys: a distinct counter of the keys' fingerprints
 *           (their number, for the distinct_* features) and the
 *           "bottom-K": the AGGREGATOR_COUNTER_SAMPLE keys with the
 *           smallest (fingerprint, key bytes), each with its count.
 *
 * The bottom-K is exact under merging.  Let U be the keys of the union
 * of two parts A and B, and k one of the K smallest of U.  If A holds
 * k, fewer than K keys of A are smaller than k (A's keys are among
 * U's), so k is among A's K smallest and A kept it - from the moment
 * A first saw it, since a key's rank only grows as keys arrive - with
 * every occurrence counted.  The same holds for B.  Offering A's and
 * B's kept keys to one bottom-K, summing the counts of equal keys,
 * therefore keeps exactly U's K smallest with their counts summed over
 * the parts that hold them, which is what one pass keeps; keys that
 * are not among U's K smallest are pushed out, as in one pass.  An
 * exact part is offered key by key and holds every key, so the
 * argument covers it too; the distinct counter merges exactly by
 * itself (util/distinct.h).  Fingerprints are hash_fingerprint()
 * values, the same in every run, so partial aggregates made by
 * different processes agree on which keys are the smallest, and the
 * kept keys are a uniform sample of the account's keys.
 *
 * Busiest keys.  A uniform sample of keys shows what a capped map
 * held, not what it held most: a spam run's thousand forged senders
 * bury the subscriber's own address, used for most of the messages.
 * So the client address, sender and recipient domain maps also keep
 * an occurrence sample (struct occurrences): each use of a key (a
 * message for a sender or client address, a recipient for a domain)
 * has a rank, a run-independent hash of the message (relay, queue ID,
 * first second) and, for a recipient, its address; a use whose rank is
 * below OCCURRENCE_RATE_LIMIT (one in 2^OCCURRENCE_RATE_SHIFT) is
 * offered to a bottom-K of AGGREGATOR_OCCURRENCE_SAMPLE uses by (rank,
 * key).  Every use is offered once, whatever the split (a message is
 * counted once, in the part or merge that completes it), so the
 * argument above makes the sample exact under merging, the same in
 * either form of the map.  A key used BUSY_MIN_USES times or more in
 * it has its count estimated as its share of the sampled uses times
 * the account's messages (recipients for domains); the evidence lists
 * put such keys beside the bottom-K's exact ones (evidence_top()).
 * Kept lazily, grown by doubling: most accounts have no sampled use.
 *
 * The recipients (struct contacts) are such a map whose key is the
 * fingerprint itself and whose count stops at two: "summing" two
 * counts is then "repeated if either is, or both parts hold the
 * key", and the argument above holds as it is.
 */
#include "config.h"

#include <arpa/inet.h>
#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "analysis/aggregator.h"
#include "util/cidr.h"
#include "util/distinct.h"
#include "util/fpcount.h"
#include "util/hash.h"
#include "util/hll.h"
#include "util/keycount.h"
#include "util/strmap.h"
#include "util/series.h"
#include "util/utf8.h"
#include "util/wire.h"
#include "util/xalloc.h"

/*
 * One kept sample: its time and one block holding its strings, each
 * NUL-terminated, in the order host, queue ID, message ID (when it
 * has one), sender, first recipient.  sample_view() finds them: the
 * five pointers would double what an account spends on samples.
 */
struct stored_sample {
	int64_t		 time_sec;
	char		*storage;
	bool		 has_message_id;
};

/* One kept refusal: the view handed out, pointing into storage. */
struct stored_refusal {
	struct account_refusal view;
	char		*storage;	/* one block holding every string */
};

/*
 * One kept remote rejection: its time and class, and its strings in
 * one block, in remote_strings() order; remote_view() finds them.  An
 * ISP has thousands of blocklisted accounts: a view's seven pointers
 * would treble what each one keeps beside the text.
 */
struct stored_remote {
	int64_t		 time_sec;
	char		*storage;
	uint8_t		 class;		/* enum response_class */
	uint8_t		 outcome;	/* enum delivery_status */
};

/* One key kept in a capped counter map's bottom-K. */
struct sampled_key {
	uint64_t	 fingerprint;	/* hash_fingerprint(key) */
	uint64_t	 count;
	char		*key;		/* owned, NUL-terminated */
	size_t		 keylen;
};

/* One recipient kept in a capped contacts map's bottom-K. */
struct sampled_contact {
	uint64_t	 fingerprint;	/* hash_fingerprint(address) */
	bool		 repeated;	/* mailed more than once */
};

/*
 * An account's recipients (struct account's contacts): a counter map
 * by fingerprint whose counts stop at two (util/fpcount.h), which is
 * all that distinct_recipients and repeated_recipients need.  Exact
 * and capped as a counter map is, the bottom-K ordered by fingerprint
 * alone: a fingerprint stands for one address.
 */
struct contacts {
	struct fpcount	*exact;		/* NULL when empty or capped */
	struct distinct	*keys;		/* NULL while exact */
	struct sampled_contact *sample;	/* AGGREGATOR_COUNTER_SAMPLE
					   slots, ascending; NULL while
					   exact */
	size_t		 sample_count;
};

/* One use of a key kept in an occurrence sample (top of the file);
   each use adds one to its key. */
struct occurrence {
	uint64_t	 rank;
	char		*key;		/* owned, NUL-terminated, no NUL
					   inside */
};

/* An occurrence sample: count uses in slots of room, by (rank, key). */
struct occurrences {
	uint32_t	 count;
	uint32_t	 room;
	struct occurrence v[];
};

/* A counter map: exact, or capped (see the top of the file). */
struct counter {
	struct keycount	*exact;		/* key -> count; NULL when empty or
					   capped */
	struct distinct	*keys;		/* NULL while exact */
	struct sampled_key *sample;	/* AGGREGATOR_COUNTER_SAMPLE slots,
					   ascending; NULL while exact */
	size_t		 sample_count;
	struct occurrences *uses;	/* NULL until a use is sampled */
};

/* A use is sampled when its rank is below the limit: one in 64. */
#define OCCURRENCE_RATE_SHIFT	6
#define OCCURRENCE_RATE_LIMIT	(UINT64_C(1) << (64 - OCCURRENCE_RATE_SHIFT))

struct account {
	enum account_kind kind;
	char		*key;
	uint64_t	 messages;
	uint64_t	 recipients;
	uint64_t	 sent;
	uint64_t	 bounced;
	uint64_t	 deferred;
	uint64_t	 expired;
	uint64_t	 deferral_attempts;
	uint64_t	 remote_rejections[RESPONSE_CLASS_COUNT];
	uint64_t	 local_rejections;
	uint64_t	 auth_failures;
	uint64_t	 incomplete_messages;
	uint64_t	 size_bytes;
	uint64_t	 messages_by_hour[24];
	int64_t		 first_seen_sec;
	int64_t		 last_seen_sec;
	struct counter	 domains;	/* domain -> recipients */
	struct counter	 senders;	/* sender ("<>") -> messages */
	struct counter	 client_ips;	/* address -> messages */
	struct stored_sample samples[ACCOUNT_MAX_SAMPLES];
	size_t		 sample_count;
	struct stored_refusal *refusals; /* ACCOUNT_MAX_REFUSALS of them,
					   made with the first: most
					   accounts are never refused */
	size_t		 refusal_count;
	struct stored_remote *remotes;	/* remote_count of them, at most
					   ACCOUNT_MAX_REMOTE_REJECTIONS */
	size_t		 remote_count;
	uint64_t	 max_message_recipients;
	uint64_t	 sized_messages;	/* with size_bytes > 0 */
	uint64_t	 size_square_sum; /* of those sizes, saturating */
	uint64_t	 message_ids_added;
	uint64_t	 local_rate_limits;
	uint64_t	 helo_records;
	uint64_t	 helo_ip_literals;
	uint64_t	 helo_random;
	struct distinct	*helo_pairs;	/* (client IP, HELO) fingerprints;
					   NULL if none */
	struct distinct	*helo_ips;	/* client IPs that gave a HELO */
	struct distinct	*client_networks; /* /24 and /48 fingerprints */
	struct series	*hour_recipients; /* hour_key() -> recipients */
	struct series	*minutes;	/* slot_key(t, 60) -> messages; the
					   clock hours, ten-minute slots
					   and days are read from it
					   (struct wide_iter) */
	struct series	*failure_slots;	/* slot_key(t, 600) -> failures */
	struct contacts	 contacts;	/* recipient fingerprint -> once
					   or more; also the distinct
					   recipients */
	struct counter	 sender_domains; /* sender domain -> messages */
	uint64_t	 records;	/* attributed here, of every kind */
};

/*
 * Reply texts repeat: a receiver's refusal of the relay quotes the
 * relay's own address, so one Yahoo deferral or Outlook block-list
 * text recurs for every recipient.  A small direct-mapped cache of
 * exact texts saves the PCRE2 matches (microseconds each) for those;
 * entries are compared in full, so a hit is always right.  A miss
 * copies the text into the entry's buffer, which grows in steps of
 * CLASS_CACHE_ROUND bytes and is otherwise reused: texts that differ
 * only in an address rarely need a new one.
 */
#define CLASS_CACHE_SIZE	256	/* a power of 2 */
#define CLASS_CACHE_MAX_TEXT	1024	/* longer texts are not kept */
#define CLASS_CACHE_ROUND	64	/* a power of 2 */

struct class_cache_entry {
	char		*text;		/* owned; NULL: empty entry */
	size_t		 len;
	size_t		 size;		/* bytes allocated at text */
	uint64_t	 hash;
	enum response_class class;
};

/*
 * A client keeps its HELO name and address over a session, and a
 * zombie's session sends message after message: the last (client IP,
 * HELO) counted is remembered with its verdicts and fingerprints, and
 * so is the last client address's network.  The account is kept too:
 * its distinct counters already hold the fingerprints, adding them
 * again would change nothing (a counter's state is a function of the
 * set added, util/distinct.h), so a repeat for the same account skips
 * them.  Accounts live as long as their aggregator and their counters
 * only grow (merging included), so the pointer stays right.
 */
struct helo_memo {
	struct account	*acct;		/* whose counters hold it; NULL:
					   nothing remembered */
	char		*text;		/* client IP, NUL, HELO; owned */
	size_t		 len, size, iplen;
	uint64_t	 pair_fp, ip_fp;
	bool		 is_address, looks_random;
};

struct network_memo {
	struct account	*acct;		/* as for struct helo_memo */
	char		*ip;		/* owned, NUL-terminated */
	size_t		 len, size;
	uint64_t	 fp;		/* of the network; 0: none parsed */
};

/*
 * The account the last record went to: a session's records and a
 * zombie's messages come one after another.  Accounts are never
 * removed from the map before the aggregator is freed, so the pointer
 * stays right, and an account that exists is found whatever the cap.
 */
struct account_memo {
	struct account	*acct;		/* NULL: nothing remembered */
	enum account_kind kind;
	char		*key;		/* owned; as account_get() had it */
	size_t		 keylen, size;
};

struct aggregator {
	const struct classifier *cls;
	struct class_cache_entry class_cache[CLASS_CACHE_SIZE];
	struct strmap	*accounts;	/* "s:key", "i:key", "l:key" */
	size_t		 max_accounts;	/* 0: no cap */
	struct distinct	*dropped_keys;	/* of accounts dropped at the cap;
					   NULL if none */
	bool		 dropped;	/* the last account_get() dropped */
	struct aggregator_stats stats;
	char		*keybuf;	/* scratch for map keys */
	size_t		 keybuf_size;
	char		*addrbuf;	/* scratch for lowered addresses */
	size_t		 addrbuf_size;
	int64_t		 hour_cache_slot; /* quarter hour of the last lookup */
	int		 hour_cache_hour;
	bool		 hour_cache_valid;
	struct helo_memo helo_memo;	/* the last HELO counted */
	struct network_memo network_memo; /* the last client network */
	struct account_memo account_memo; /* the last account found */
};

/*
 * Clock hours and slots are keyed by their index since the epoch with
 * the top bit flipped, so that keys in unsigned order (util/series.h)
 * are in time order, negative indices included.
 */
#define HOUR_KEY_BIAS	(UINT64_C(1) << 63)

/*
 * Beyond this many seconds from the epoch (about 2 billion years)
 * localtime_r is not asked; the hour is taken in UTC.  It keeps the
 * quarter-hour arithmetic below clear of overflow.
 */
#define LOCALTIME_LIMIT_SEC	(INT64_C(1) << 56)

/* floor_div - quotient rounded towards minus infinity (b > 0) */
static int64_t
floor_div(int64_t a, int64_t b)
{
	int64_t	q = a / b;

	if (a % b != 0 && a < 0)
		q--;
	return q;
}

/* hour_key - series key of the clock hour holding t */
static uint64_t
hour_key(int64_t t)
{
	return (uint64_t)floor_div(t, 3600) ^ HOUR_KEY_BIAS;
}

/*
 * key_index - the slot index a series key encodes: the clock hour of
 * hour_key(), the slot of slot_key() (index_key() is the inverse)
 */
static int64_t
key_index(uint64_t key)
{
	uint64_t v = key ^ HOUR_KEY_BIAS;

	if (v <= (uint64_t)INT64_MAX)
		return (int64_t)v;
	return -(int64_t)(~v) - 1;
}

/* slot_key - series key of the width-second slot holding t */
static uint64_t
slot_key(int64_t t, int64_t width)
{
	return (uint64_t)floor_div(t, width) ^ HOUR_KEY_BIAS;
}

/* sat_add - a + b, stopping at the maximum instead of wrapping */
static uint64_t
sat_add(uint64_t a, uint64_t b)
{
	return a + b < a ? UINT64_MAX : a + b;
}

/* index_key - the series key of slot index i (as slot_key() makes) */
static uint64_t
index_key(int64_t i)
{
	return (uint64_t)i ^ HOUR_KEY_BIAS;
}

/*
 * A message's clock hour, ten-minute slot and day follow from its
 * minute (floor division composes), so an account counts messages by
 * minute only, and reads the minutes as wider slots: a slot's count is
 * the sum of its minutes'.  Sums of maps that merge by key merge too.
 */
#define MINUTES_PER_SLOT	10
#define MINUTES_PER_HOUR	60
#define MINUTES_PER_DAY		1440

struct wide_iter {
	struct series_iter it;
	int64_t		 per;		/* minutes per slot */
	bool		 live;		/* it was started */
	bool		 have;		/* key, value: the next minute */
	uint64_t	 key, value;
};

/* wide_init - read minutes (may be NULL) as slots of per minutes */
static void
wide_init(struct wide_iter *w, const struct series *minutes, int64_t per)
{
	memset(w, 0, sizeof(*w));
	w->per = per;
	if (minutes == NULL)
		return;
	w->live = true;
	series_iter_init(&w->it, minutes);
	w->have = series_iter_next(&w->it, &w->key, &w->value);
}

/* wide_next - the next slot (in time order) and its messages */
static bool
wide_next(struct wide_iter *w, int64_t *slot, uint64_t *count)
{
	if (!w->have)
		return false;
	*slot = floor_div(key_index(w->key), w->per);
	*count = 0;
	do {
		*count = sat_add(*count, w->value);
		w->have = series_iter_next(&w->it, &w->key, &w->value);
	} while (w->have && floor_div(key_index(w->key), w->per) ==
	    *slot);
	return true;
}

/* wide_done - release the iterator */
static void
wide_done(struct wide_iter *w)
{
	if (w->live)
		series_iter_done(&w->it);
}

/*
 * minute_peaks - the most messages in one minute, one ten-minute slot
 * and one clock hour, in one walk over the minutes (NULL: none)
 */
static void
minute_peaks(const struct series *minutes, uint64_t *minute,
    uint64_t *ten, uint64_t *hour)
{
	struct series_iter it;
	uint64_t key, count, ten_sum = 0, hour_sum = 0;
	int64_t	 m, ten_at = 0, hour_at = 0;
	bool	 first = true;

	*minute = *ten = *hour = 0;
	if (minutes == NULL)
		return;
	series_iter_init(&it, minutes);
	while (series_iter_next(&it, &key, &count)) {
		m = key_index(key);
		if (first || floor_div(m, MINUTES_PER_SLOT) != ten_at) {
			ten_at = floor_div(m, MINUTES_PER_SLOT);
			ten_sum = 0;
		}
		if (first || floor_div(m, MINUTES_PER_HOUR) != hour_at) {
			hour_at = floor_div(m, MINUTES_PER_HOUR);
			hour_sum = 0;
		}
		first = false;
		ten_sum = sat_add(ten_sum, count);
		hour_sum = sat_add(hour_sum, count);
		if (count > *minute)
			*minute = count;
		if (ten_sum > *ten)
			*ten = ten_sum;
		if (hour_sum > *hour)
			*hour = hour_sum;
	}
	series_iter_done(&it);
}

/* reserve - grow a scratch buffer to hold need bytes */
static char *
reserve(char **buf, size_t *size, size_t need)
{
	if (need > *size) {
		size_t	n = *size > 0 ? *size : 64;

		while (n < need)
			n *= 2;
		*buf = xreallocarray(*buf, n, 1);
		*size = n;
	}
	return *buf;
}

#define BYTES_01	UINT64_C(0x0101010101010101)	/* 1 in every byte */

/*
 * lower8 - lower_into() for eight bytes at once.  With the top bit of
 * each byte cleared, adding 0x80 - 'A' sets it again exactly in the
 * bytes >= 'A', and adding 0x80 - 'Z' - 1 in those > 'Z'; neither sum
 * carries into the next byte (0x7f + 0x3f < 0x100).  Bytes that had
 * the top bit set are left alone, as lower_into()'s byte loop leaves
 * them, and 0x20 is flipped in the rest that lie in 'A'..'Z'.  No
 * byte's result depends on another's, so the host's byte order does
 * not matter.
 */
static inline void
lower8(char *dst, const char *src)
{
	uint64_t w, low7, upper;

	memcpy(&w, src, 8);
	low7 = w & 0x7f * BYTES_01;
	upper = (low7 + (0x80 - 'A') * BYTES_01) &
	    ~(low7 + (0x80 - 'Z' - 1) * BYTES_01) & ~w & 0x80 * BYTES_01;
	w ^= upper >> 2;
	memcpy(dst, &w, 8);
}

/*
 * lower_into - ASCII lower-case copy of len bytes at dst (no locale).
 * Addresses are lowered for every recipient, so eight bytes are done
 * at a time, the last eight ending at the end (lowering a byte twice
 * gives what once does, so the overlap is harmless); only keys
 * shorter than eight bytes go byte by byte.
 */
static void
lower_into(char *dst, const char *src, size_t len)
{
	size_t	i;

	if (len >= 8) {
		for (i = 0; len - i > 8; i += 8)
			lower8(dst + i, src + i);
		lower8(dst + len - 8, src + len - 8);
		return;
	}
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)src[i];

		dst[i] = (char)(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
	}
}

/* kind_char - the prefix of an account's map key */
static char
kind_char(enum account_kind kind)
{
	switch (kind) {
	case ACCOUNT_SASL:
		return 's';
	case ACCOUNT_IP:
		return 'i';
	case ACCOUNT_LOCAL:
		return 'l';
	}
	return '?';
}

/* is_set - a logged, non-empty string */
static bool
is_set(const char *s)
{
	return s != NULL && *s != '\0';
}

/* or_empty - s, or "" when never logged */
static const char *
or_empty(const char *s)
{
	return s != NULL ? s : "";
}

/* counter_free - free what a counter map holds (not the struct) */
static void
counter_free(struct counter *c)
{
	size_t	i;

	keycount_free(c->exact);
	distinct_free(c->keys);
	for (i = 0; i < c->sample_count; i++)
		free(c->sample[i].key);
	free(c->sample);
	if (c->uses != NULL)
		for (i = 0; i < c->uses->count; i++)
			free(c->uses->v[i].key);
	free(c->uses);
	memset(c, 0, sizeof(*c));
}

/*
 * use_rank - a run-independent mix of a message's hash with what tells
 * one of its uses from another (MurmurHash3's 64-bit finalizer)
 */
static uint64_t
use_rank(uint64_t message, uint64_t use)
{
	uint64_t x = message ^ use;

	x ^= x >> 33;
	x *= UINT64_C(0xff51afd7ed558ccd);
	x ^= x >> 33;
	x *= UINT64_C(0xc4ceb9fe1a85ec53);
	x ^= x >> 33;
	return x;
}

/* occurrence_cmp - order of (rank, key bytes) against a kept use */
static int
occurrence_cmp(uint64_t rank, const char *key, const struct occurrence *o)
{
	if (rank != o->rank)
		return rank < o->rank ? -1 : 1;
	return strcmp(key, o->key);
}

/*
 * uses_offer - one use of key (NUL-free, keylen bytes) into c's
 * occurrence sample when its rank is below the limit and among the
 * smallest kept; the same use offered again (same rank and key) is
 * kept once
 */
static void
uses_offer(struct counter *c, uint64_t rank, const char *key,
    size_t keylen)
{
	struct occurrences *u = c->uses;
	size_t	 lo = 0, hi, mid, room;
	char	*copy;
	int	 cmp;

	if (rank >= OCCURRENCE_RATE_LIMIT)
		return;
	/* Keys are strings, but not NUL-terminated where they are. */
	copy = xmemdup0(key, keylen);
	hi = u != NULL ? u->count : 0;
	if (u != NULL && u->count == AGGREGATOR_OCCURRENCE_SAMPLE &&
	    occurrence_cmp(rank, copy, &u->v[u->count - 1]) > 0) {
		free(copy);
		return;
	}
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		cmp = occurrence_cmp(rank, copy, &u->v[mid]);
		if (cmp == 0) {
			free(copy);
			return;
		}
		if (cmp < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	if (u != NULL && u->count == AGGREGATOR_OCCURRENCE_SAMPLE)
		free(u->v[--u->count].key);
	if (u == NULL || u->count == u->room) {
		room = u == NULL ? 1 : (size_t)u->room * 2;
		if (room > AGGREGATOR_OCCURRENCE_SAMPLE)
			room = AGGREGATOR_OCCURRENCE_SAMPLE;
		u = xreallocarray(u, 1, offsetof(struct occurrences, v) +
		    room * sizeof(u->v[0]));
		if (c->uses == NULL)
			u->count = 0;
		u->room = (uint32_t)room;
		c->uses = u;
	}
	memmove(&u->v[lo + 1], &u->v[lo], (u->count - lo) * sizeof(u->v[0]));
	u->v[lo].rank = rank;
	u->v[lo].key = copy;
	u->count++;
}

/* uses_merge - offer every sampled use of from to into */
static void
uses_merge(struct counter *into, const struct counter *from)
{
	size_t	i;

	if (from->uses == NULL)
		return;
	for (i = 0; i < from->uses->count; i++)
		uses_offer(into, from->uses->v[i].rank, from->uses->v[i].key,
		    strlen(from->uses->v[i].key));
}

/* sampled_cmp - order of (fingerprint, key bytes) against a kept key */
static int
sampled_cmp(uint64_t fp, const char *key, size_t keylen,
    const struct sampled_key *s)
{
	int	c;

	if (fp != s->fingerprint)
		return fp < s->fingerprint ? -1 : 1;
	/* Two keys with one fingerprint: still a total order. */
	c = memcmp(key, s->key, keylen < s->keylen ? keylen : s->keylen);
	if (c != 0)
		return c;
	return keylen < s->keylen ? -1 : keylen > s->keylen;
}

/*
 * sample_offer - count n more for key in the bottom-K: add to it when
 * kept, keep it when it is among the K smallest (dropping the largest
 * when full), otherwise ignore it.  Once the sample is full nearly
 * every new key is larger than the largest kept: one comparison.
 */
static void
sample_offer(struct counter *c, uint64_t fp, const char *key,
    size_t keylen, uint64_t n)
{
	struct sampled_key *s = c->sample;
	size_t	 lo = 0, hi = c->sample_count, mid;
	int	 cmp;

	if (c->sample_count == AGGREGATOR_COUNTER_SAMPLE &&
	    sampled_cmp(fp, key, keylen, &s[c->sample_count - 1]) > 0)
		return;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		cmp = sampled_cmp(fp, key, keylen, &s[mid]);
		if (cmp == 0) {
			s[mid].count += n;
			return;
		}
		if (cmp < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	if (c->sample_count == AGGREGATOR_COUNTER_SAMPLE)
		free(s[--c->sample_count].key);
	memmove(&s[lo + 1], &s[lo], (c->sample_count - lo) * sizeof(*s));
	s[lo].fingerprint = fp;
	s[lo].count = n;
	s[lo].key = xmemdup0(key, keylen);
	s[lo].keylen = keylen;
	c->sample_count++;
}

/*
 * counter_cap - turn an exact counter map (perhaps empty) into the
 * capped form holding the same keys.
 */
static void
counter_cap(struct counter *c)
{
	const char *key;
	size_t	 keylen, pos = 0;
	uint64_t n;

	assert(c->keys == NULL);
	c->keys = distinct_new();
	c->sample = xcalloc(AGGREGATOR_COUNTER_SAMPLE, sizeof(*c->sample));
	c->sample_count = 0;
	if (c->exact == NULL)
		return;
	while (keycount_next(c->exact, &pos, &key, &keylen, &n)) {
		uint64_t fp = hash_fingerprint(key, keylen);

		distinct_add(c->keys, fp);
		sample_offer(c, fp, key, keylen, n);
	}
	keycount_free(c->exact);
	c->exact = NULL;
}

/*
 * counter_add - add n to key's count, creating the map lazily; the
 * key that makes the map one larger than the cap turns it capped.  fp
 * is the key's hash_fingerprint() when the caller has it anyway, else
 * 0 (no fingerprint is 0): only the capped form needs one.  rank is
 * the use's (see the top of the file), or 0 for a map that keeps no
 * occurrence sample.
 */
static void
counter_add(struct counter *c, const char *key, size_t keylen, uint64_t fp,
    uint64_t n, uint64_t rank)
{
	if (rank != 0)
		uses_offer(c, rank, key, keylen);
	if (c->keys != NULL) {
		if (fp == 0)
			fp = hash_fingerprint(key, keylen);
		distinct_add(c->keys, fp);
		sample_offer(c, fp, key, keylen, n);
		return;
	}
	if (c->exact == NULL)
		c->exact = keycount_new();
	if (keycount_add(c->exact, key, keylen, n) &&
	    keycount_count(c->exact) > AGGREGATOR_COUNTER_EXACT_MAX)
		counter_cap(c);
}

/*
 * counter_merge - add from's counts into into.  An exact source is
 * added key by key, so into becomes capped exactly when the union
 * passes the cap, whichever key does it.  A capped source means the
 * union is past the cap: into is capped first, then the key counters
 * merge and from's kept keys are offered with their counts (the
 * argument at the top of the file).
 */
static void
counter_merge(struct counter *into, const struct counter *from)
{
	const char *key;
	size_t	 keylen, i, pos = 0;
	uint64_t n;

	uses_merge(into, from);
	if (from->keys == NULL) {
		if (from->exact == NULL)
			return;
		while (keycount_next(from->exact, &pos, &key, &keylen, &n))
			counter_add(into, key, keylen, 0, n, 0);
		return;
	}
	if (into->keys == NULL)
		counter_cap(into);
	distinct_merge(into->keys, from->keys);
	for (i = 0; i < from->sample_count; i++)
		sample_offer(into, from->sample[i].fingerprint,
		    from->sample[i].key, from->sample[i].keylen,
		    from->sample[i].count);
}

/* counter_distinct - number of distinct keys (estimated when capped) */
static uint64_t
counter_distinct(const struct counter *c)
{
	if (c->keys != NULL)
		return distinct_count(c->keys);
	return c->exact != NULL ? keycount_count(c->exact) : 0;
}

/* contacts_free - free what a contacts map holds (not the struct) */
static void
contacts_free(struct contacts *c)
{
	fpcount_free(c->exact);
	distinct_free(c->keys);
	free(c->sample);
	memset(c, 0, sizeof(*c));
}

/*
 * contact_offer - one more sighting of fp, seen more than once already
 * when repeated, in the bottom-K: a kept fingerprint is now repeated;
 * a new one is kept when it is among the K smallest (dropping the
 * largest when full).
 */
static void
contact_offer(struct contacts *c, uint64_t fp, bool repeated)
{
	struct sampled_contact *s = c->sample;
	size_t	 lo = 0, hi = c->sample_count, mid;

	if (c->sample_count == AGGREGATOR_COUNTER_SAMPLE &&
	    fp > s[c->sample_count - 1].fingerprint)
		return;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (fp == s[mid].fingerprint) {
			s[mid].repeated = true;
			return;
		}
		if (fp < s[mid].fingerprint)
			hi = mid;
		else
			lo = mid + 1;
	}
	if (c->sample_count == AGGREGATOR_COUNTER_SAMPLE)
		c->sample_count--;
	memmove(&s[lo + 1], &s[lo], (c->sample_count - lo) * sizeof(*s));
	s[lo].fingerprint = fp;
	s[lo].repeated = repeated;
	c->sample_count++;
}

/* contacts_cap - turn an exact contacts map (perhaps empty) capped */
static void
contacts_cap(struct contacts *c)
{
	uint64_t fp;
	size_t	 pos = 0;
	bool	 repeated;

	assert(c->keys == NULL);
	c->keys = distinct_new();
	c->sample = xcalloc(AGGREGATOR_COUNTER_SAMPLE, sizeof(*c->sample));
	c->sample_count = 0;
	if (c->exact == NULL)
		return;
	while (fpcount_next(c->exact, &pos, &fp, &repeated)) {
		distinct_add(c->keys, fp);
		contact_offer(c, fp, repeated);
	}
	fpcount_free(c->exact);
	c->exact = NULL;
}

/*
 * contacts_add - n more messages (n >= 1) to the recipient whose
 * fingerprint is fp; true when the map did not hold it (always true
 * once capped, which cannot tell)
 */
static bool
contacts_add(struct contacts *c, uint64_t fp, uint64_t n)
{
	bool	 added;

	if (c->keys != NULL) {
		distinct_add(c->keys, fp);
		contact_offer(c, fp, n > 1);
		return true;
	}
	if (c->exact == NULL)
		c->exact = fpcount_new();
	added = fpcount_add(c->exact, fp, n);
	if (added && fpcount_count(c->exact) > AGGREGATOR_COUNTER_EXACT_MAX)
		contacts_cap(c);
	return added;
}

/* contacts_merge - add from's recipients into into (as counter_merge) */
static void
contacts_merge(struct contacts *into, const struct contacts *from)
{
	uint64_t fp;
	size_t	 i, pos = 0;
	bool	 repeated;

	if (from->keys == NULL) {
		if (from->exact == NULL)
			return;
		while (fpcount_next(from->exact, &pos, &fp, &repeated))
			contacts_add(into, fp, repeated ? 2 : 1);
		return;
	}
	if (into->keys == NULL)
		contacts_cap(into);
	distinct_merge(into->keys, from->keys);
	for (i = 0; i < from->sample_count; i++)
		contact_offer(into, from->sample[i].fingerprint,
		    from->sample[i].repeated);
}

/* contacts_distinct - distinct recipients (estimated when capped) */
static uint64_t
contacts_distinct(const struct contacts *c)
{
	if (c->keys != NULL)
		return distinct_count(c->keys);
	return c->exact != NULL ? fpcount_count(c->exact) : 0;
}

/*
 * contacts_repeated - recipients mailed more than once.  Capped, the
 * bottom-K is a uniform sample of the recipients: the share of it
 * repeated, times their number.  The sample merges exactly, so the
 * estimate does too.
 */
static uint64_t
contacts_repeated(const struct contacts *c)
{
	size_t	 i, n = 0;

	if (c->keys == NULL)
		return c->exact != NULL ? fpcount_repeated(c->exact) : 0;
	if (c->sample_count == 0)
		return 0;
	for (i = 0; i < c->sample_count; i++)
		if (c->sample[i].repeated)
			n++;
	return (uint64_t)llround((double)distinct_count(c->keys) *
	    (double)n / (double)c->sample_count);
}

/*
 * recipient_fingerprints - the distinct counter of an account's
 * recipient fingerprints, for the dump: the contacts' own key counter
 * when capped, else one made from the members into *made, for the
 * caller to free.  Both turn to a sketch on the same member.
 */
_Static_assert(AGGREGATOR_COUNTER_EXACT_MAX == DISTINCT_EXACT_MAX,
    "contacts stand for the recipient fingerprints only if both turn "
    "to a sketch together");

static const struct distinct *
recipient_fingerprints(const struct contacts *c, struct distinct **made)
{
	uint64_t fp;
	size_t	 pos = 0;

	*made = NULL;
	if (c->keys != NULL)
		return c->keys;
	if (c->exact == NULL)
		return NULL;
	*made = distinct_new();
	while (fpcount_next(c->exact, &pos, &fp, NULL))
		distinct_add(*made, fp);
	return *made;
}

/* contact_cmp - ascending fingerprints */
static int
contact_cmp(const void *a, const void *b)
{
	uint64_t x = ((const struct sampled_contact *)a)->fingerprint;
	uint64_t y = ((const struct sampled_contact *)b)->fingerprint;

	return x < y ? -1 : x > y;
}

/* contacts_memory - bytes a contacts map holds */
static size_t
contacts_memory(const struct contacts *c)
{
	size_t	n = 0;

	if (c->exact != NULL)
		n += fpcount_memory(c->exact);
	if (c->keys != NULL)
		n += distinct_memory(c->keys) +
		    AGGREGATOR_COUNTER_SAMPLE * sizeof(*c->sample);
	return n;
}

/* counter_memory - bytes a counter map holds */
static size_t
counter_memory(const struct counter *c)
{
	size_t	n = 0, i;

	if (c->exact != NULL)
		n += keycount_memory(c->exact);
	if (c->keys != NULL) {
		n += distinct_memory(c->keys) +
		    AGGREGATOR_COUNTER_SAMPLE * sizeof(*c->sample);
		for (i = 0; i < c->sample_count; i++)
			n += c->sample[i].keylen + 1;
	}
	if (c->uses != NULL) {
		n += offsetof(struct occurrences, v) +
		    c->uses->room * sizeof(c->uses->v[0]);
		for (i = 0; i < c->uses->count; i++)
			n += strlen(c->uses->v[i].key) + 1;
	}
	return n;
}

/* account_new - an empty account */
static struct account *
account_new(enum account_kind kind, const char *key, size_t keylen)
{
	struct account *acct = xcalloc(1, sizeof(*acct));

	acct->kind = kind;
	acct->key = xmemdup0(key, keylen);
	acct->first_seen_sec = INT64_MAX;
	acct->last_seen_sec = INT64_MIN;
	return acct;
}

/* account_free - strmap value destructor */
static void
account_free(void *p)
{
	struct account *acct = p;
	size_t	i;

	if (acct == NULL)
		return;
	for (i = 0; i < acct->sample_count; i++)
		free(acct->samples[i].storage);
	for (i = 0; i < acct->refusal_count; i++)
		free(acct->refusals[i].storage);
	free(acct->refusals);
	for (i = 0; i < acct->remote_count; i++)
		free(acct->remotes[i].storage);
	free(acct->remotes);
	distinct_free(acct->helo_pairs);
	distinct_free(acct->helo_ips);
	distinct_free(acct->client_networks);
	series_free(acct->hour_recipients);
	series_free(acct->minutes);
	series_free(acct->failure_slots);
	contacts_free(&acct->contacts);
	counter_free(&acct->sender_domains);
	counter_free(&acct->domains);
	counter_free(&acct->senders);
	counter_free(&acct->client_ips);
	free(acct->key);
	free(acct);
}

/*
 * account_get - find or create the account kind:key; key is taken as
 * given (callers lower-case SASL and local keys first).  NULL, with
 * agg->dropped set and the key remembered, when the account is new and
 * the cap is reached.  A repeat of the last key found takes the
 * remembered account (struct account_memo) without the map lookup.
 */
static struct account *
account_get(struct aggregator *agg, enum account_kind kind,
    const char *key, size_t keylen)
{
	struct account_memo *memo = &agg->account_memo;
	struct account *acct;
	char	*buf;
	void	**slot;
	bool	 created;

	agg->dropped = false;
	if (memo->acct != NULL && memo->kind == kind &&
	    memo->keylen == keylen && memcmp(memo->key, key, keylen) == 0)
		return memo->acct;
	buf = reserve(&agg->keybuf, &agg->keybuf_size, keylen + 2);
	buf[0] = kind_char(kind);
	buf[1] = ':';
	memcpy(buf + 2, key, keylen);
	if (agg->max_accounts != 0 &&
	    strmap_count(agg->accounts) >= agg->max_accounts) {
		acct = strmap_get(agg->accounts, buf, keylen + 2);
		if (acct == NULL) {
			if (agg->dropped_keys == NULL)
				agg->dropped_keys = distinct_new();
			distinct_add(agg->dropped_keys,
			    hash_fingerprint(buf, keylen + 2));
			agg->dropped = true;
			return NULL;
		}
	} else {
		slot = strmap_slot(agg->accounts, buf, keylen + 2, &created);
		if (created)
			*slot = account_new(kind, key, keylen);
		acct = *slot;
	}
	reserve(&memo->key, &memo->size, keylen + 1);
	memcpy(memo->key, key, keylen);
	memo->keylen = keylen;
	memo->kind = kind;
	memo->acct = acct;
	return acct;
}

/* account_get_lower - account_get with the key in ASCII lower case */
static struct account *
account_get_lower(struct aggregator *agg, enum account_kind kind,
    const char *key)
{
	size_t	 len = strlen(key);
	char	*low = reserve(&agg->addrbuf, &agg->addrbuf_size, len + 1);

	lower_into(low, key, len);
	return account_get(agg, kind, low, len);
}

/* touch - widen the account's seen interval */
static void
touch(struct account *acct, int64_t first_sec, int64_t last_sec)
{
	if (last_sec < first_sec)
		last_sec = first_sec;
	if (first_sec < acct->first_seen_sec)
		acct->first_seen_sec = first_sec;
	if (last_sec > acct->last_seen_sec)
		acct->last_seen_sec = last_sec;
}

/* strcmp_null - strcmp with NULL before every string */
static int
strcmp_null(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return (a != NULL) - (b != NULL);
	return strcmp(a, b);
}

/*
 * sample_cmp - total order on sample content: time, host, queue ID,
 * then the other fields, so that which samples are kept never depends
 * on the order they arrived in.
 */
static int
sample_cmp(const struct account_sample *a, const struct account_sample *b)
{
	int	c;

	if (a->time_sec != b->time_sec)
		return a->time_sec < b->time_sec ? -1 : 1;
	if ((c = strcmp(a->host, b->host)) != 0)
		return c;
	if ((c = strcmp(a->queue_id, b->queue_id)) != 0)
		return c;
	if ((c = strcmp_null(a->message_id, b->message_id)) != 0)
		return c;
	if ((c = strcmp(a->sender, b->sender)) != 0)
		return c;
	if ((c = strcmp(a->first_recipient, b->first_recipient)) != 0)
		return c;
	return strcmp(a->client, b->client);
}

/* copy_field - append s to the storage block at *p, return its copy */
static const char *
copy_field(char **p, const char *s)
{
	char	*start = *p;
	size_t	 n = strlen(s) + 1;

	memcpy(start, s, n);
	*p += n;
	return start;
}

/* stored_sample_size - bytes of a kept sample's string block */
static size_t
stored_sample_size(const struct account_sample *s)
{
	size_t	n = strlen(s->host) + strlen(s->queue_id) +
	    strlen(s->sender) + strlen(s->first_recipient) +
	    strlen(s->client) + 5;

	if (s->message_id != NULL)
		n += strlen(s->message_id) + 1;
	return n;
}

/* sample_copy - an owned copy of a sample in one allocation */
static struct stored_sample
sample_copy(const struct account_sample *s)
{
	struct stored_sample out;
	char	*p;

	out.storage = p = xmalloc(stored_sample_size(s));
	out.time_sec = s->time_sec;
	out.has_message_id = s->message_id != NULL;
	(void)copy_field(&p, s->host);
	(void)copy_field(&p, s->queue_id);
	if (s->message_id != NULL)
		(void)copy_field(&p, s->message_id);
	(void)copy_field(&p, s->sender);
	(void)copy_field(&p, s->first_recipient);
	(void)copy_field(&p, s->client);
	return out;
}

/* next_field - the string after the one at p in a storage block */
static const char *
next_field(const char *p)
{
	return p + strlen(p) + 1;
}

/* sample_view - a kept sample as handed out, pointing into its block */
static struct account_sample
sample_view(const struct stored_sample *k)
{
	struct account_sample v;

	v.time_sec = k->time_sec;
	v.host = k->storage;
	v.queue_id = next_field(v.host);
	v.message_id = k->has_message_id ? next_field(v.queue_id) : NULL;
	v.sender = next_field(k->has_message_id ? v.message_id :
	    v.queue_id);
	v.first_recipient = next_field(v.sender);
	v.client = next_field(v.first_recipient);
	return v;
}

/*
 * stored_cmp - sample_cmp() of s and a kept sample; by time alone
 * when the times differ, as they nearly always do
 */
static int
stored_cmp(const struct account_sample *s, const struct stored_sample *k)
{
	struct account_sample v;

	if (s->time_sec != k->time_sec)
		return s->time_sec < k->time_sec ? -1 : 1;
	v = sample_view(k);
	return sample_cmp(s, &v);
}

/*
 * samples_offer - keep s if it is among the ACCOUNT_MAX_SAMPLES
 * smallest distinct samples: the same message counted twice (a log
 * named twice) shows once, and a list never holds two equal ones,
 * which its saved form (strictly ascending) could not say.  Logs are
 * read mostly in time order, so the usual case is one comparison and
 * no copy.
 */
static void
samples_offer(struct account *acct, const struct account_sample *s)
{
	size_t	n = acct->sample_count;
	size_t	i;
	int	c = 1;

	if (n == ACCOUNT_MAX_SAMPLES &&
	    stored_cmp(s, &acct->samples[n - 1]) >= 0)
		return;
	for (i = 0; i < n; i++)
		if ((c = stored_cmp(s, &acct->samples[i])) <= 0)
			break;
	if (c == 0)
		return;
	if (n == ACCOUNT_MAX_SAMPLES)
		free(acct->samples[--n].storage);
	memmove(&acct->samples[i + 1], &acct->samples[i],
	    (n - i) * sizeof(acct->samples[0]));
	acct->samples[i] = sample_copy(s);
	acct->sample_count = n + 1;
}

/* The strings of a refusal, in refusal_cmp()'s order after the time. */
#define REFUSAL_STRINGS	7

/* refusal_strings - pointers to r's strings, in that order */
static void
refusal_strings(const struct account_refusal *r,
    const char *out[REFUSAL_STRINGS])
{
	out[0] = r->host;
	out[1] = r->command;
	out[2] = r->sender;
	out[3] = r->recipient;
	out[4] = r->username;
	out[5] = r->text;
	out[6] = r->client;
}

/* strings_cmp - two lists of n strings, bytewise, the first first */
static int
strings_cmp(const char *const *a, const char *const *b, size_t n)
{
	size_t	i;
	int	c;

	for (i = 0; i < n; i++)
		if ((c = strcmp(a[i], b[i])) != 0)
			return c;
	return 0;
}

/* strings_size - bytes n strings take with their NULs */
static size_t
strings_size(const char *const *s, size_t n)
{
	size_t	i, size = 0;

	for (i = 0; i < n; i++)
		size += strlen(s[i]) + 1;
	return size;
}

/* refusal_cmp - total order on refusal content: time, then strings */
static int
refusal_cmp(const struct account_refusal *a, const struct account_refusal *b)
{
	const char *sa[REFUSAL_STRINGS], *sb[REFUSAL_STRINGS];

	if (a->time_sec != b->time_sec)
		return a->time_sec < b->time_sec ? -1 : 1;
	refusal_strings(a, sa);
	refusal_strings(b, sb);
	return strings_cmp(sa, sb, REFUSAL_STRINGS);
}

/* stored_refusal_size - bytes of a kept refusal's string block */
static size_t
stored_refusal_size(const struct account_refusal *r)
{
	const char *s[REFUSAL_STRINGS];

	refusal_strings(r, s);
	return strings_size(s, REFUSAL_STRINGS);
}

/* refusal_copy - an owned copy of a refusal in one allocation */
static struct stored_refusal
refusal_copy(const struct account_refusal *r)
{
	struct stored_refusal out;
	char	*p;

	out.storage = p = xmalloc(stored_refusal_size(r));
	out.view.time_sec = r->time_sec;
	out.view.host = copy_field(&p, r->host);
	out.view.command = copy_field(&p, r->command);
	out.view.sender = copy_field(&p, r->sender);
	out.view.recipient = copy_field(&p, r->recipient);
	out.view.username = copy_field(&p, r->username);
	out.view.text = copy_field(&p, r->text);
	out.view.client = copy_field(&p, r->client);
	return out;
}

/* refusals_room - the account's refusal list, made with its first */
static struct stored_refusal *
refusals_room(struct account *acct)
{
	if (acct->refusals == NULL)
		acct->refusals = xcalloc(ACCOUNT_MAX_REFUSALS,
		    sizeof(*acct->refusals));
	return acct->refusals;
}

/*
 * refusals_offer - keep r if it is among the ACCOUNT_MAX_REFUSALS
 * smallest distinct refusals, as samples_offer() does: a client that
 * repeats one refused command in one second shows it once
 */
static void
refusals_offer(struct account *acct, const struct account_refusal *r)
{
	size_t	n = acct->refusal_count;
	size_t	i;
	int	c = 1;

	if (n == ACCOUNT_MAX_REFUSALS &&
	    refusal_cmp(r, &acct->refusals[n - 1].view) >= 0)
		return;
	for (i = 0; i < n; i++)
		if ((c = refusal_cmp(r, &acct->refusals[i].view)) <= 0)
			break;
	if (c == 0)
		return;
	(void)refusals_room(acct);
	if (n == ACCOUNT_MAX_REFUSALS)
		free(acct->refusals[--n].storage);
	memmove(&acct->refusals[i + 1], &acct->refusals[i],
	    (n - i) * sizeof(acct->refusals[0]));
	acct->refusals[i] = refusal_copy(r);
	acct->refusal_count = n + 1;
}

/* offer_refusal - a refusal or failed-login record as evidence */
static void
offer_refusal(struct account *acct, const struct message *msg)
{
	struct account_refusal r;

	/* A queued message's refusal: when it was logged (the end of the
	   message, or a recipient refused while it was open). */
	r.time_sec = msg->kind == RECORD_MESSAGE && msg->reject_sec != 0 ?
	    msg->reject_sec : msg->first_sec;
	r.host = or_empty(msg->host);
	r.command = msg->kind == RECORD_AUTH_FAILURE ? "AUTH" :
	    or_empty(msg->stage);
	/* The null sender as the senders counter spells it. */
	r.sender = msg->sender != NULL && msg->sender[0] == '\0' ? "<>" :
	    or_empty(msg->sender);
	if (msg->kind == RECORD_MESSAGE)
		r.recipient = or_empty(msg->reject_recipient);
	else
		r.recipient = msg->recipient_count > 0 ?
		    or_empty(msg->recipients[0].address) : "";
	r.username = or_empty(msg->sasl_username);
	r.text = or_empty(msg->reject_response);
	r.client = or_empty(msg->client_ip);
	refusals_offer(acct, &r);
}

/* The strings of a remote rejection, in remote_cmp()'s order. */
#define REMOTE_STRINGS	6

/* remote_strings - pointers to r's strings, in that order */
static void
remote_strings(const struct account_remote_rejection *r,
    const char *out[REMOTE_STRINGS])
{
	out[0] = r->host;
	out[1] = r->queue_id;
	out[2] = r->recipient;
	out[3] = r->sender;
	out[4] = r->dsn;
	out[5] = r->reply;
}

/*
 * remote_cmp - total order on remote rejections: time, class, the
 * strings, then the outcome; the order they are kept and listed in
 */
static int
remote_cmp(const struct account_remote_rejection *a,
    const struct account_remote_rejection *b)
{
	const char *sa[REMOTE_STRINGS], *sb[REMOTE_STRINGS];
	int	c;

	if (a->time_sec != b->time_sec)
		return a->time_sec < b->time_sec ? -1 : 1;
	if (a->class != b->class)
		return a->class < b->class ? -1 : 1;
	remote_strings(a, sa);
	remote_strings(b, sb);
	if ((c = strings_cmp(sa, sb, REMOTE_STRINGS)) != 0)
		return c;
	if (a->outcome != b->outcome)
		return a->outcome < b->outcome ? -1 : 1;
	return 0;
}

/* stored_remote_size - bytes of a kept remote rejection's strings */
static size_t
stored_remote_size(const struct account_remote_rejection *r)
{
	const char *s[REMOTE_STRINGS];

	remote_strings(r, s);
	return strings_size(s, REMOTE_STRINGS);
}

/* remote_copy - an owned copy of a remote rejection */
static struct stored_remote
remote_copy(const struct account_remote_rejection *r)
{
	struct stored_remote out;
	const char *s[REMOTE_STRINGS];
	char	*p;
	size_t	 i;

	remote_strings(r, s);
	out.time_sec = r->time_sec;
	out.class = (uint8_t)r->class;
	out.outcome = (uint8_t)r->outcome;
	out.storage = p = xmalloc(strings_size(s, REMOTE_STRINGS));
	for (i = 0; i < REMOTE_STRINGS; i++)
		(void)copy_field(&p, s[i]);
	return out;
}

/* remote_view - a kept remote rejection as handed out */
static struct account_remote_rejection
remote_view(const struct stored_remote *k)
{
	struct account_remote_rejection v;

	v.time_sec = k->time_sec;
	v.class = (enum response_class)k->class;
	v.outcome = (enum delivery_status)k->outcome;
	v.host = k->storage;
	v.queue_id = next_field(v.host);
	v.recipient = next_field(v.queue_id);
	v.sender = next_field(v.recipient);
	v.dsn = next_field(v.sender);
	v.reply = next_field(v.dsn);
	return v;
}

/*
 * stored_remote_cmp - remote_cmp() of r and a kept one; by time and
 * class alone when they differ, as they nearly always do
 */
static int
stored_remote_cmp(const struct account_remote_rejection *r,
    const struct stored_remote *k)
{
	struct account_remote_rejection v;

	if (r->time_sec != k->time_sec)
		return r->time_sec < k->time_sec ? -1 : 1;
	if (r->class != (enum response_class)k->class)
		return r->class < (enum response_class)k->class ? -1 : 1;
	v = remote_view(k);
	return remote_cmp(r, &v);
}

/* is_kept_class - whether remote rejections of class are kept */
static bool
is_kept_class(enum response_class class)
{
	return class == RESPONSE_BLOCKLIST || class == RESPONSE_SPAM ||
	    class == RESPONSE_REPUTATION || class == RESPONSE_RATE_LIMIT;
}

/*
 * remotes_offer - keep r, of a kept class (is_kept_class()), if it is
 * among the ACCOUNT_REMOTE_PER_CLASS smallest distinct remote
 * rejections of its class.  The list is in
 * remote_cmp() order; the kept ones of each class are the smallest of
 * that class in any union of lists, so merging stays exact.
 */
static void
remotes_offer(struct account *acct, const struct account_remote_rejection *r)
{
	size_t	n = acct->remote_count, i, same = 0, last = 0, at = n;
	int	c;

	for (i = 0; i < n; i++) {
		if (acct->remotes[i].class == (uint8_t)r->class) {
			same++;
			last = i;
		}
		if (at == n && (c = stored_remote_cmp(r,
		    &acct->remotes[i])) <= 0) {
			if (c == 0)
				return;
			at = i;
		}
	}
	/* r comes before its class's largest (at <= last) or is out. */
	if (same == ACCOUNT_REMOTE_PER_CLASS) {
		if (at > last)
			return;
		free(acct->remotes[last].storage);
		memmove(&acct->remotes[last], &acct->remotes[last + 1],
		    (n - last - 1) * sizeof(acct->remotes[0]));
		n--;
	} else {
		/* The list grows one at a time: most refused accounts
		   meet one or two classes. */
		acct->remotes = xreallocarray(acct->remotes, n + 1,
		    sizeof(*acct->remotes));
	}
	memmove(&acct->remotes[at + 1], &acct->remotes[at],
	    (n - at) * sizeof(acct->remotes[0]));
	acct->remotes[at] = remote_copy(r);
	acct->remote_count = n + 1;
}

/* offer_remote - a recipient refused by a remote server, as evidence */
static void
offer_remote(struct account *acct, const struct message *msg,
    const struct recipient *rcpt, enum response_class class,
    enum delivery_status outcome)
{
	struct account_remote_rejection r;

	r.time_sec = rcpt->time_sec;
	r.class = class;
	r.host = or_empty(msg->host);
	/* The line to look up: a content filter's copy's, if it was. */
	r.queue_id = or_empty(rcpt->queue_id != NULL ? rcpt->queue_id :
	    msg->queue_id);
	r.sender = msg->sender != NULL && msg->sender[0] == '\0' ? "<>" :
	    or_empty(msg->sender);
	r.recipient = or_empty(rcpt->address);
	r.outcome = outcome;
	r.dsn = or_empty(rcpt->dsn);
	r.reply = or_empty(rcpt->response);
	remotes_offer(acct, &r);
}

/*
 * hour_of_day - local hour of t.  Every zone's offset is a multiple of
 * 15 minutes, so the local hour is constant within a quarter hour of
 * UTC; one localtime_r per quarter hour serves a whole run of messages.
 */
static int
hour_of_day(struct aggregator *agg, int64_t t)
{
	struct tm tm;
	time_t	  tt;
	int64_t	  slot;
	int	  hour;

	if (t <= -LOCALTIME_LIMIT_SEC || t >= LOCALTIME_LIMIT_SEC)
		return (int)(floor_div(t, 3600) - floor_div(t, 86400) * 24);
	slot = floor_div(t, 900);
	if (agg->hour_cache_valid && agg->hour_cache_slot == slot)
		return agg->hour_cache_hour;
	tt = (time_t)(slot * 900);
	if ((int64_t)tt == slot * 900 && localtime_r(&tt, &tm) != NULL &&
	    tm.tm_hour >= 0 && tm.tm_hour < 24)
		hour = tm.tm_hour;
	else
		hour = (int)(floor_div(t, 3600) - floor_div(t, 86400) * 24);
	agg->hour_cache_slot = slot;
	agg->hour_cache_hour = hour;
	agg->hour_cache_valid = true;
	return hour;
}

/* classify - the class of a reply text, through the cache */
static enum response_class
classify(struct aggregator *agg, const char *text)
{
	struct class_cache_entry *e;
	size_t	 len = strlen(text);
	uint64_t hash;

	if (len == 0 || len > CLASS_CACHE_MAX_TEXT)
		return classifier_classify(agg->cls, text, len);
	hash = hash_bytes(text, len);
	e = &agg->class_cache[hash & (CLASS_CACHE_SIZE - 1)];
	if (e->text != NULL && e->hash == hash && e->len == len &&
	    memcmp(e->text, text, len) == 0)
		return e->class;
	if (e->text == NULL || e->size <= len) {
		free(e->text);
		e->size = (len + CLASS_CACHE_ROUND) &
		    ~(size_t)(CLASS_CACHE_ROUND - 1);
		e->text = xmalloc(e->size);
	}
	memcpy(e->text, text, len);
	e->text[len] = '\0';
	e->len = len;
	e->hash = hash;
	e->class = classifier_classify(agg->cls, text, len);
	return e->class;
}

/* sat_mul - a * b, stopping at the maximum instead of wrapping */
static uint64_t
sat_mul(uint64_t a, uint64_t b)
{
	return a != 0 && b > UINT64_MAX / a ? UINT64_MAX : a * b;
}

/*
 * address_bytes_only - whether s holds only bytes inet_pton() can
 * accept: digits and dots for IPv4; hex digits, colons and dots for
 * IPv6.  Any other byte (nearly every HELO name has one) makes both
 * parses fail, so they need not be tried.
 */
static bool
address_bytes_only(const char *s, size_t len)
{
	size_t	i;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (!(c >= '0' && c <= '9') && !((c | 0x20) >= 'a' &&
		    (c | 0x20) <= 'f') && c != '.' && c != ':')
			return false;
	}
	return true;
}

/*
 * helo_is_address - an address instead of a name: "[192.0.2.1]",
 * "[IPv6:2001:db8::1]", or a bare "192.0.2.1" (which RFC 5321 does not
 * allow, but spamware sends)
 */
static bool
helo_is_address(const char *helo)
{
	struct in6_addr a6;
	struct in_addr a4;
	char	 buf[64];
	size_t	 len = strlen(helo);

	if (len >= 2 && helo[0] == '[' && helo[len - 1] == ']') {
		helo++;
		len -= 2;
		if (len >= 5 && strncasecmp(helo, "IPv6:", 5) == 0) {
			helo += 5;
			len -= 5;
		}
	}
	if (len == 0 || len >= sizeof(buf) || !address_bytes_only(helo, len))
		return false;
	memcpy(buf, helo, len);
	buf[len] = '\0';
	return inet_pton(AF_INET, buf, &a4) == 1 ||
	    inet_pton(AF_INET6, buf, &a6) == 1;
}

/*
 * helo_looks_random - a name no mail program would choose: no dot
 * (not a domain name; "localhost" aside) and a run of five or more
 * consonant letters ("xkqzvbn").  Digits and hyphens end a run, so
 * "DESKTOP-7KQ2M4P" and "camera01" are not random.
 */
static bool
helo_looks_random(const char *helo)
{
	const char *p;
	int	 run = 0;

	if (strchr(helo, '.') != NULL || strcasecmp(helo, "localhost") == 0)
		return false;
	for (p = helo; *p != '\0'; p++) {
		char	c = (char)(*p | 0x20);

		if (c >= 'a' && c <= 'z' && strchr("aeiouy", c) == NULL) {
			if (++run >= 5)
				return true;
		} else
			run = 0;
	}
	return false;
}

/*
 * count_helo - a record's HELO name: address literals, random-looking
 * names, and the (client IP, HELO) pairs against the client IPs that
 * gave one, so that a client announcing a new name per connection
 * shows as more pairs than addresses.  A repeat of the last pair takes
 * the remembered verdicts and fingerprints (struct helo_memo).
 */
static void
count_helo(struct aggregator *agg, struct account *acct,
    const struct message *msg)
{
	struct helo_memo *memo = &agg->helo_memo;
	const char *ip = or_empty(msg->client_ip);
	size_t	 iplen, hlen;

	if (!is_set(msg->helo))
		return;
	acct->helo_records++;
	iplen = strlen(ip);
	hlen = strlen(msg->helo);
	if (memo->acct == NULL || memo->iplen != iplen ||
	    memo->len != iplen + 1 + hlen ||
	    memcmp(memo->text, ip, iplen) != 0 ||
	    memcmp(memo->text + iplen + 1, msg->helo, hlen) != 0) {
		/* Neither part holds a NUL: the pair is unambiguous. */
		reserve(&memo->text, &memo->size, iplen + 1 + hlen);
		memcpy(memo->text, ip, iplen);
		memo->text[iplen] = '\0';
		memcpy(memo->text + iplen + 1, msg->helo, hlen);
		memo->len = iplen + 1 + hlen;
		memo->iplen = iplen;
		memo->pair_fp = hash_fingerprint(memo->text, memo->len);
		memo->ip_fp = hash_fingerprint(ip, iplen);
		memo->is_address = helo_is_address(msg->helo);
		memo->looks_random = !memo->is_address &&
		    helo_looks_random(msg->helo);
		memo->acct = NULL;
	}
	if (memo->is_address)
		acct->helo_ip_literals++;
	else if (memo->looks_random)
		acct->helo_random++;
	if (memo->acct == acct)
		return;
	if (acct->helo_pairs == NULL)
		acct->helo_pairs = distinct_new();
	if (acct->helo_ips == NULL)
		acct->helo_ips = distinct_new();
	distinct_add(acct->helo_pairs, memo->pair_fp);
	distinct_add(acct->helo_ips, memo->ip_fp);
	memo->acct = acct;
}

/*
 * network_fingerprint - of the client's /24 (IPv4) or /48 (IPv6); 0
 * for an address that does not parse
 */
static uint64_t
network_fingerprint(const char *ip)
{
	unsigned char addr[16], key[7];
	size_t	 n;

	if (inet_pton(AF_INET, ip, addr) == 1) {
		key[0] = '4';
		n = 3;
	} else if (inet_pton(AF_INET6, ip, addr) == 1) {
		key[0] = '6';
		n = 6;
	} else
		return 0;
	memcpy(key + 1, addr, n);
	return hash_fingerprint(key, n + 1);
}

/*
 * count_network - the client's network; an address that does not
 * parse is not counted.  A repeat of the last address takes the
 * remembered fingerprint (struct network_memo).
 */
static void
count_network(struct aggregator *agg, struct account *acct,
    const char *ip)
{
	struct network_memo *memo = &agg->network_memo;
	size_t	 len = strlen(ip);

	if (memo->ip == NULL || memo->len != len ||
	    memcmp(memo->ip, ip, len) != 0) {
		reserve(&memo->ip, &memo->size, len + 1);
		memcpy(memo->ip, ip, len + 1);
		memo->len = len;
		memo->fp = network_fingerprint(ip);
		memo->acct = NULL;
	}
	if (memo->fp == 0 || memo->acct == acct)
		return;
	if (acct->client_networks == NULL)
		acct->client_networks = distinct_new();
	distinct_add(acct->client_networks, memo->fp);
	memo->acct = acct;
}

/*
 * has_own_message_id - whether the client gave the message its own
 * Message-ID.  The relay adds one when it is missing, and what it logs
 * then says so: Postfix's cleanup logs <YYYYMMDDhhmmss.QUEUEID@host>
 * and Sendmail msgid=<YYYYMMDDhhmm.QUEUEID@host>, both with the queue
 * ID the relay had just assigned in the local part, which no client
 * can know; Exim logs id= only for a Message-ID the message came with,
 * so a complete message without one had none.  A message whose lines
 * are partly missing is given the benefit of the doubt, whatever its
 * Message-ID (so that the count does not depend on the MTA), and so
 * is one refused before any delivery (a content filter's verdict):
 * Exim logs no id= for it whatever it carried.
 */
static bool
has_own_message_id(const struct message *msg)
{
	const char *at;
	size_t	 qlen;

	if (!msg->is_complete ||
	    (msg->recipient_count == 0 && msg->local_rejects > 0))
		return true;
	if (!is_set(msg->message_id))
		return false;
	if (!is_set(msg->queue_id) || (qlen = strlen(msg->queue_id)) < 5)
		return true;
	at = strrchr(msg->message_id, '@');
	if (at == NULL)
		return true;
	/* The queue ID inside the local part. */
	return memmem(msg->message_id, (size_t)(at - msg->message_id),
	    msg->queue_id, qlen) == NULL;
}

/*
 * status_class - the class of a failed recipient whose reply text has
 * none (Sendmail often logs only "stat=Service unavailable"): its RFC
 * 3463 status code's, unless the text named a cause no class stands
 * for (a greylisting's 4.7.1 is no policy verdict on the sender).
 */
static enum response_class
status_class(struct aggregator *agg, const struct recipient *rcpt)
{
	enum response_class class = response_class_of_status(rcpt->dsn);

	if (class != RESPONSE_NONE && rcpt->response != NULL &&
	    classifier_is_neutral(agg->cls, rcpt->response,
	    strlen(rcpt->response)))
		return RESPONSE_NONE;
	return class;
}

/* is_rate_limit - whether a refusal text is a rate limit */
static bool
is_rate_limit(struct aggregator *agg, const char *text)
{
	return is_set(text) && classify(agg, text) == RESPONSE_RATE_LIMIT;
}

/*
 * message_rank - a run-independent hash of a message, the same in any
 * part or merge that counts it: its relay, queue ID and first second
 */
static uint64_t
message_rank(struct aggregator *agg, const struct message *msg)
{
	const char *host = or_empty(msg->host), *qid = or_empty(msg->queue_id);
	size_t	 hl = strlen(host), ql = strlen(qid);
	unsigned char *b;
	uint64_t t = (uint64_t)msg->first_sec;
	size_t	 i;

	b = (unsigned char *)reserve(&agg->keybuf, &agg->keybuf_size,
	    hl + ql + 10);
	memcpy(b, host, hl + 1);
	memcpy(b + hl + 1, qid, ql + 1);
	for (i = 0; i < 8; i++)
		b[hl + ql + 2 + i] = (unsigned char)(t >> (8 * i));
	return hash_fingerprint(b, hl + ql + 10);
}

/* count_recipient - one recipient entry of a message whose rank is mr */
static void
count_recipient(struct aggregator *agg, struct account *acct,
    const struct message *msg, const struct recipient *rcpt, uint64_t mr)
{
	const char *at, *domain = NULL;
	char	*low;
	size_t	 len, domain_len = 0;
	uint64_t fp = 0, domain_fp = 0;
	bool	 is_failure = true;
	enum delivery_status outcome = rcpt->status;

	acct->recipients++;
	acct->deferral_attempts += rcpt->deferrals;
	if (is_set(rcpt->address)) {
		/* Mailbox names are caseless in practice; compare them
		   so, and count a domain per recipient entry. */
		len = strlen(rcpt->address);
		low = reserve(&agg->addrbuf, &agg->addrbuf_size, len + 1);
		lower_into(low, rcpt->address, len);
		low[len] = '\0';
		at = memrchr(low, '@', len);
		if (at != NULL && at + 1 < low + len) {
			domain = at + 1;
			domain_len = len - (size_t)(domain - low);
		}
		/*
		 * A busy account's counters are sketches of 16 KB each,
		 * too many to stay in the cache: ask for both registers
		 * before touching either, so that the two misses overlap.
		 * The fingerprints are needed only then: an exact map
		 * finds a key by its bytes, and counter_cap() takes the
		 * fingerprints of the keys it is handed.
		 */
		fp = hash_fingerprint(low, len);
		if (acct->contacts.keys != NULL)
			distinct_prefetch(acct->contacts.keys, fp);
		if (domain != NULL && acct->domains.keys != NULL) {
			domain_fp = hash_fingerprint(domain, domain_len);
			distinct_prefetch(acct->domains.keys, domain_fp);
		}
		/* Recipients are unique within a message (the correlator
		   keeps one entry per address): a count of messages. */
		contacts_add(&acct->contacts, fp, 1);
		if (domain != NULL)
			counter_add(&acct->domains, domain, domain_len,
			    domain_fp, 1, use_rank(mr, fp));
	}
	switch (rcpt->status) {
	case DELIVERY_SENT:
		acct->sent++;
		is_failure = false;
		break;
	case DELIVERY_BOUNCED:
		acct->bounced++;
		break;
	case DELIVERY_DEFERRED:
		/* Still deferred when the message was returned: it
		   expired with the rest. */
		if (msg->expired) {
			acct->expired++;
			outcome = DELIVERY_EXPIRED;
		} else {
			acct->deferred++;
		}
		break;
	case DELIVERY_EXPIRED:
		acct->expired++;
		break;
	case DELIVERY_OTHER:
	default:
		is_failure = false;
		break;
	}
	if (is_failure) {
		enum response_class class = RESPONSE_NONE;

		if (rcpt->response != NULL)
			class = classify(agg, rcpt->response);
		if (class == RESPONSE_NONE)
			class = status_class(agg, rcpt);
		acct->remote_rejections[class]++;
		if (is_kept_class(class))
			offer_remote(acct, msg, rcpt, class, outcome);
	}
}

/* count_message - a message submitted by acct */
static void
count_message(struct aggregator *agg, struct account *acct,
    const struct message *msg)
{
	struct account_sample sample;
	uint64_t mr, use;
	size_t	i;

	acct->messages++;
	touch(acct, msg->first_sec, msg->last_sec);
	acct->size_bytes = sat_add(acct->size_bytes, msg->size_bytes);
	acct->local_rejections += msg->local_rejects;
	if (!msg->is_complete)
		acct->incomplete_messages++;
	acct->messages_by_hour[hour_of_day(agg, msg->first_sec)]++;
	if (acct->minutes == NULL)
		acct->minutes = series_new();
	series_add(acct->minutes, slot_key(msg->first_sec, 60), 1);
	if (msg->recipient_count > 0) {
		if (acct->hour_recipients == NULL)
			acct->hour_recipients = series_new();
		series_add(acct->hour_recipients, hour_key(msg->first_sec),
		    msg->recipient_count);
	}
	if (msg->recipient_count > acct->max_message_recipients)
		acct->max_message_recipients = msg->recipient_count;
	if (msg->size_bytes > 0) {
		acct->sized_messages++;
		acct->size_square_sum = sat_add(acct->size_square_sum,
		    sat_mul(msg->size_bytes, msg->size_bytes));
	}
	if (!has_own_message_id(msg))
		acct->message_ids_added++;
	if (msg->local_rejects > 0 && is_rate_limit(agg,
	    msg->reject_response))
		acct->local_rate_limits += msg->local_rejects;
	/* The relay refused the message itself: one of the refusals a
	   person reads, as those of MAIL or RCPT are. */
	if (msg->local_rejects > 0)
		offer_refusal(acct, msg);
	count_helo(agg, acct, msg);
	/* A message is one use of its sender and of its client address. */
	mr = message_rank(agg, msg);
	use = use_rank(mr, 0);
	if (msg->sender != NULL) {
		size_t	 len = strlen(msg->sender);
		char	*low, *at;

		if (len == 0) {
			counter_add(&acct->senders, "<>", 2, 0, 1, use);
		} else {
			low = reserve(&agg->addrbuf, &agg->addrbuf_size, len);
			lower_into(low, msg->sender, len);
			counter_add(&acct->senders, low, len, 0, 1, use);
			/* The domain: after the last '@'. */
			at = memrchr(low, '@', len);
			if (at != NULL && at + 1 < low + len)
				counter_add(&acct->sender_domains, at + 1,
				    len - (size_t)(at + 1 - low), 0, 1, 0);
		}
	}
	if (is_set(msg->client_ip)) {
		counter_add(&acct->client_ips, msg->client_ip,
		    strlen(msg->client_ip), 0, 1, use);
		count_network(agg, acct, msg->client_ip);
	}
	for (i = 0; i < msg->recipient_count; i++)
		count_recipient(agg, acct, msg, &msg->recipients[i], mr);

	sample.time_sec = msg->first_sec;
	sample.host = or_empty(msg->host);
	sample.queue_id = or_empty(msg->queue_id);
	sample.message_id = msg->message_id;
	sample.sender = or_empty(msg->sender);
	sample.first_recipient = msg->recipient_count > 0 ?
	    or_empty(msg->recipients[0].address) : "";
	sample.client = or_empty(msg->client_ip);
	samples_offer(acct, &sample);
}

/*
 * is_inbound_local - unauthenticated mail whose every recipient went
 * to a mailbox on the relay (Postfix local, virtual, lmtp).
 */
static bool
is_inbound_local(const struct message *msg)
{
	size_t	i;

	if (is_set(msg->sasl_username) || msg->recipient_count == 0)
		return false;
	for (i = 0; i < msg->recipient_count; i++) {
		const char *t = msg->recipients[i].transport;

		if (t == NULL || (strcmp(t, "local") != 0 &&
		    strcmp(t, "virtual") != 0 && strcmp(t, "lmtp") != 0))
			return false;
	}
	return true;
}

/* session_account - SASL account if logged in, else the client's IP */
static struct account *
session_account(struct aggregator *agg, const struct message *msg)
{
	if (is_set(msg->sasl_username))
		return account_get_lower(agg, ACCOUNT_SASL,
		    msg->sasl_username);
	if (is_set(msg->client_ip))
		return account_get(agg, ACCOUNT_IP, msg->client_ip,
		    strlen(msg->client_ip));
	return NULL;
}

/*
 * is_relay_notice - a message from the null sender that a program on
 * the relay handed over on a loopback address without logging in:
 * a notice a content filter made, nobody's mail
 */
static bool
is_relay_notice(const struct message *msg)
{
	return msg->origin == ORIGIN_SMTP && !is_set(msg->sasl_username) &&
	    msg->sender != NULL && msg->sender[0] == '\0' &&
	    msg->client_ip != NULL && cidr_is_loopback_text(msg->client_ip);
}

/* message_account - the account a queued message belongs to, or NULL */
static struct account *
message_account(struct aggregator *agg, const struct message *msg)
{
	char	uidkey[32];
	int	n;

	switch (msg->origin) {
	case ORIGIN_SMTP:
		return session_account(agg, msg);
	case ORIGIN_PICKUP:
		/* a local submission that logged in (Exim's -bs with
		   AUTH) is that login's, as over the network */
		if (is_set(msg->sasl_username))
			return account_get_lower(agg, ACCOUNT_SASL,
			    msg->sasl_username);
		if (is_set(msg->sender))
			return account_get_lower(agg, ACCOUNT_LOCAL,
			    msg->sender);
		if (msg->uid < 0)
			return NULL;
		n = snprintf(uidkey, sizeof(uidkey), "uid:%lld",
		    (long long)msg->uid);
		return account_get(agg, ACCOUNT_LOCAL, uidkey, (size_t)n);
	case ORIGIN_UNKNOWN:
	case ORIGIN_BOUNCE:
		break;
	}
	return NULL;
}

/* aggregator_new - empty aggregator */
struct aggregator *
aggregator_new(const struct classifier *cls)
{
	struct aggregator *agg = xcalloc(1, sizeof(*agg));

	agg->cls = cls;
	agg->accounts = strmap_new_pooled(account_free);
	return agg;
}

/* aggregator_free - free every account */
void
aggregator_free(struct aggregator *agg)
{
	size_t	i;

	if (agg == NULL)
		return;
	for (i = 0; i < CLASS_CACHE_SIZE; i++)
		free(agg->class_cache[i].text);
	strmap_free(agg->accounts);
	distinct_free(agg->dropped_keys);
	free(agg->keybuf);
	free(agg->addrbuf);
	free(agg->helo_memo.text);
	free(agg->network_memo.ip);
	free(agg->account_memo.key);
	free(agg);
}

/* aggregator_add - attribute one record and count it */
void
aggregator_add(struct aggregator *agg, const struct message *msg)
{
	struct account *acct;

	agg->stats.records++;
	agg->dropped = false;
	switch (msg->kind) {
	case RECORD_MESSAGE:
		if (msg->origin == ORIGIN_BOUNCE || is_relay_notice(msg)) {
			agg->stats.relay_bounces++;
			return;
		}
		if ((msg->origin == ORIGIN_SMTP ||
		    msg->origin == ORIGIN_PICKUP) && is_inbound_local(msg)) {
			agg->stats.inbound_local++;
			return;
		}
		acct = message_account(agg, msg);
		if (acct == NULL) {
			if (agg->dropped)
				agg->stats.records_dropped++;
			else
				agg->stats.messages_unattributed++;
			return;
		}
		agg->stats.messages_attributed++;
		acct->records++;
		count_message(agg, acct, msg);
		break;
	case RECORD_REJECT:
		acct = session_account(agg, msg);
		if (acct == NULL) {
			if (agg->dropped)
				agg->stats.records_dropped++;
			else
				agg->stats.rejects_unattributed++;
			return;
		}
		agg->stats.rejects_attributed++;
		acct->records++;
		acct->local_rejections++;
		if (is_rate_limit(agg, msg->reject_response))
			acct->local_rate_limits++;
		count_helo(agg, acct, msg);
		touch(acct, msg->first_sec, msg->last_sec);
		offer_refusal(acct, msg);
		break;
	case RECORD_AUTH_FAILURE:
		acct = session_account(agg, msg);
		if (acct == NULL) {
			if (agg->dropped)
				agg->stats.records_dropped++;
			else
				agg->stats.auth_failures_unattributed++;
			return;
		}
		agg->stats.auth_failures_attributed++;
		acct->records++;
		acct->auth_failures++;
		if (acct->failure_slots == NULL)
			acct->failure_slots = series_new();
		series_add(acct->failure_slots, slot_key(msg->first_sec, 600),
		    1);
		touch(acct, msg->first_sec, msg->last_sec);
		offer_refusal(acct, msg);
		break;
	}
}

/* series_merge_lazy - series_merge creating *into when needed */
static void
series_merge_lazy(struct series **into, const struct series *from)
{
	if (from == NULL)
		return;
	if (*into == NULL)
		*into = series_new();
	series_merge(*into, from);
}

/* distinct_merge_lazy - distinct_merge creating *into when needed */
static void
distinct_merge_lazy(struct distinct **into, const struct distinct *from)
{
	if (from == NULL)
		return;
	if (*into == NULL)
		*into = distinct_new();
	distinct_merge(*into, from);
}

/* account_merge - add from's figures to into (same kind and key) */
static void
account_merge(struct account *into, const struct account *from)
{
	size_t	i;

	into->messages += from->messages;
	into->recipients += from->recipients;
	into->sent += from->sent;
	into->bounced += from->bounced;
	into->deferred += from->deferred;
	into->expired += from->expired;
	into->deferral_attempts += from->deferral_attempts;
	for (i = 0; i < RESPONSE_CLASS_COUNT; i++)
		into->remote_rejections[i] += from->remote_rejections[i];
	into->local_rejections += from->local_rejections;
	into->auth_failures += from->auth_failures;
	into->records += from->records;
	into->incomplete_messages += from->incomplete_messages;
	into->size_bytes = sat_add(into->size_bytes, from->size_bytes);
	for (i = 0; i < 24; i++)
		into->messages_by_hour[i] += from->messages_by_hour[i];
	if (from->first_seen_sec < into->first_seen_sec)
		into->first_seen_sec = from->first_seen_sec;
	if (from->last_seen_sec > into->last_seen_sec)
		into->last_seen_sec = from->last_seen_sec;
	if (from->max_message_recipients > into->max_message_recipients)
		into->max_message_recipients = from->max_message_recipients;
	into->sized_messages += from->sized_messages;
	into->size_square_sum = sat_add(into->size_square_sum,
	    from->size_square_sum);
	into->message_ids_added += from->message_ids_added;
	into->local_rate_limits += from->local_rate_limits;
	into->helo_records += from->helo_records;
	into->helo_ip_literals += from->helo_ip_literals;
	into->helo_random += from->helo_random;
	distinct_merge_lazy(&into->helo_pairs, from->helo_pairs);
	distinct_merge_lazy(&into->helo_ips, from->helo_ips);
	distinct_merge_lazy(&into->client_networks, from->client_networks);
	series_merge_lazy(&into->hour_recipients, from->hour_recipients);
	series_merge_lazy(&into->minutes, from->minutes);
	series_merge_lazy(&into->failure_slots, from->failure_slots);
	contacts_merge(&into->contacts, &from->contacts);
	counter_merge(&into->sender_domains, &from->sender_domains);
	counter_merge(&into->domains, &from->domains);
	counter_merge(&into->senders, &from->senders);
	counter_merge(&into->client_ips, &from->client_ips);
	for (i = 0; i < from->sample_count; i++) {
		struct account_sample v = sample_view(&from->samples[i]);

		samples_offer(into, &v);
	}
	for (i = 0; i < from->refusal_count; i++)
		refusals_offer(into, &from->refusals[i].view);
	for (i = 0; i < from->remote_count; i++) {
		struct account_remote_rejection v =
		    remote_view(&from->remotes[i]);

		remotes_offer(into, &v);
	}
}

/* account_key_cmp - qsort order of accounts: kind, then key */
static int
account_key_cmp(const void *a, const void *b)
{
	const struct account *x = *(const struct account *const *)a;
	const struct account *y = *(const struct account *const *)b;

	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	return strcmp(x->key, y->key);
}

/*
 * merge_account - fold one account of another aggregator into agg; at
 * the cap a new account's records become dropped ones (records =
 * messages + rejects + auth failures)
 */
static void
merge_account(struct aggregator *agg, const struct account *acct)
{
	struct aggregator_stats *s = &agg->stats;
	struct account	*to;

	to = account_get(agg, acct->kind, acct->key, strlen(acct->key));
	if (to != NULL) {
		account_merge(to, acct);
		return;
	}
	s->records_dropped += acct->records;
	s->messages_attributed -= acct->messages;
	s->auth_failures_attributed -= acct->auth_failures;
	s->rejects_attributed -= acct->records - acct->messages -
	    acct->auth_failures;
}

/* aggregator_merge - fold from's accounts and counters into into */
void
aggregator_merge(struct aggregator *into, const struct aggregator *from)
{
	const struct account *acct;
	struct aggregator_stats *s = &into->stats;
	const struct aggregator_stats *f = &from->stats;
	size_t	 pos = 0;

	assert(into != from);
	s->records += f->records;
	s->records_dropped += f->records_dropped;
	s->messages_attributed += f->messages_attributed;
	s->messages_unattributed += f->messages_unattributed;
	s->relay_bounces += f->relay_bounces;
	s->inbound_local += f->inbound_local;
	s->rejects_attributed += f->rejects_attributed;
	s->auth_failures_attributed += f->auth_failures_attributed;
	s->rejects_unattributed += f->rejects_unattributed;
	s->auth_failures_unattributed += f->auth_failures_unattributed;
	/* Below the cap the order of the accounts does not matter.  At
	   it, which of from's new accounts still fit must not depend on
	   the hash seed (the report must be the same on every run and
	   for any -j): take them in key order. */
	if (into->max_accounts != 0 && strmap_count(into->accounts) +
	    strmap_count(from->accounts) > into->max_accounts) {
		const struct account **all;
		size_t	 n = 0, i;

		all = xcalloc(strmap_count(from->accounts) + 1,
		    sizeof(*all));
		while (aggregator_next(from, &pos, &acct))
			all[n++] = acct;
		qsort(all, n, sizeof(*all), account_key_cmp);
		for (i = 0; i < n; i++)
			merge_account(into, all[i]);
		free(all);
	} else {
		while (aggregator_next(from, &pos, &acct))
			merge_account(into, acct);
	}
	if (from->dropped_keys != NULL) {
		if (into->dropped_keys == NULL)
			into->dropped_keys = distinct_new();
		distinct_merge(into->dropped_keys, from->dropped_keys);
	}
}

/* aggregator_set_max_accounts - cap the number of accounts held */
void
aggregator_set_max_accounts(struct aggregator *agg, size_t max)
{
	agg->max_accounts = max;
}

/* aggregator_accounts_dropped - distinct accounts dropped at the cap */
uint64_t
aggregator_accounts_dropped(const struct aggregator *agg)
{
	return agg->dropped_keys != NULL ?
	    distinct_count(agg->dropped_keys) : 0;
}

/* aggregator_account_count - number of accounts */
size_t
aggregator_account_count(const struct aggregator *agg)
{
	return strmap_count(agg->accounts);
}

/* aggregator_next - iterate over the accounts in no particular order */
bool
aggregator_next(const struct aggregator *agg, size_t *pos,
    const struct account **acct)
{
	void	*value;

	if (!strmap_next(agg->accounts, pos, NULL, NULL, &value))
		return false;
	*acct = value;
	return true;
}

/* aggregator_find - look an account up by kind and reported key */
const struct account *
aggregator_find(const struct aggregator *agg, enum account_kind kind,
    const char *key)
{
	const struct account *acct;
	size_t	 len;
	char	*buf;

	if (key == NULL)
		return NULL;
	len = strlen(key);
	buf = xmalloc(len + 2);
	buf[0] = kind_char(kind);
	buf[1] = ':';
	if (kind == ACCOUNT_IP)
		memcpy(buf + 2, key, len);
	else
		lower_into(buf + 2, key, len);
	acct = strmap_get(agg->accounts, buf, len + 2);
	free(buf);
	return acct;
}

/* aggregator_stats - the counters */
const struct aggregator_stats *
aggregator_stats(const struct aggregator *agg)
{
	return &agg->stats;
}

/* account_memory - the account, its key, maps, counters and samples */
size_t
account_memory(const struct account *acct)
{
	size_t	n = sizeof(*acct) + strlen(acct->key) + 1, i;

	n += counter_memory(&acct->domains);
	n += counter_memory(&acct->senders);
	n += counter_memory(&acct->client_ips);
	n += contacts_memory(&acct->contacts);
	n += counter_memory(&acct->sender_domains);
	if (acct->helo_pairs != NULL)
		n += distinct_memory(acct->helo_pairs);
	if (acct->helo_ips != NULL)
		n += distinct_memory(acct->helo_ips);
	if (acct->client_networks != NULL)
		n += distinct_memory(acct->client_networks);
	if (acct->hour_recipients != NULL)
		n += series_memory(acct->hour_recipients);
	if (acct->minutes != NULL)
		n += series_memory(acct->minutes);
	if (acct->failure_slots != NULL)
		n += series_memory(acct->failure_slots);
	for (i = 0; i < acct->sample_count; i++) {
		struct account_sample v = sample_view(&acct->samples[i]);

		n += stored_sample_size(&v);
	}
	if (acct->refusals != NULL)
		n += ACCOUNT_MAX_REFUSALS * sizeof(*acct->refusals);
	for (i = 0; i < acct->refusal_count; i++)
		n += stored_refusal_size(&acct->refusals[i].view);
	n += acct->remote_count * sizeof(*acct->remotes);
	for (i = 0; i < acct->remote_count; i++) {
		struct account_remote_rejection v =
		    remote_view(&acct->remotes[i]);

		n += stored_remote_size(&v);
	}
	return n;
}

/* aggregator_memory - the aggregator, its caches and every account */
size_t
aggregator_memory(const struct aggregator *agg)
{
	const struct account *acct;
	size_t	n, i, pos = 0;

	n = sizeof(*agg) + strmap_memory(agg->accounts) + agg->keybuf_size +
	    agg->addrbuf_size + agg->helo_memo.size +
	    agg->network_memo.size + agg->account_memo.size;
	for (i = 0; i < CLASS_CACHE_SIZE; i++)
		n += agg->class_cache[i].size;
	if (agg->dropped_keys != NULL)
		n += distinct_memory(agg->dropped_keys);
	while (aggregator_next(agg, &pos, &acct))
		n += account_memory(acct);
	return n;
}

/* account_days_active - see aggregator.h */
uint64_t
account_days_active(const struct account *acct, int64_t from_day)
{
	struct wide_iter w;
	uint64_t	 days = 0, count;
	int64_t		 day;

	wide_init(&w, acct->minutes, MINUTES_PER_DAY);
	while (wide_next(&w, &day, &count))
		if (count > 0 && day >= from_day)
			days++;
	wide_done(&w);
	return days;
}

/* account_key - the key as reported */
const char *
account_key(const struct account *acct)
{
	return acct->key;
}

/* account_kind - how the account was identified */
enum account_kind
account_kind(const struct account *acct)
{
	return acct->kind;
}

/* account_kind_name - name of a kind */
const char *
account_kind_name(enum account_kind kind)
{
	switch (kind) {
	case ACCOUNT_SASL:
		return "sasl";
	case ACCOUNT_IP:
		return "ip";
	case ACCOUNT_LOCAL:
		return "local";
	}
	return "unknown";
}

/*
 * size_cv - standard deviation of the message sizes over their mean,
 * from their count, sum and sum of squares; -1 with fewer than two
 * sizes or a saturated sum
 */
static double
size_cv(const struct account *acct)
{
	double	n = (double)acct->sized_messages, mean, var;

	if (acct->sized_messages < 2 || acct->size_bytes == UINT64_MAX ||
	    acct->size_square_sum == UINT64_MAX || acct->size_bytes == 0)
		return -1.0;
	mean = (double)acct->size_bytes / n;
	var = (double)acct->size_square_sum / n - mean * mean;
	return var > 0.0 ? sqrt(var) / mean : 0.0;
}

/* How far back a failed login counts against a later success. */
#define FAILURE_LOOKBACK_SLOTS	3	/* ten-minute slots: 30 minutes */

/*
 * logins_after_failures - SASL accounts: ten-minute slots holding a
 * message (a successful login) with a failed login in the same slot or
 * the FAILURE_LOOKBACK_SLOTS before it.  Both maps merge by key, so
 * the figure does too; within one slot the order is not known.
 */
static uint64_t
logins_after_failures(const struct account *acct)
{
	struct wide_iter logins;
	struct series_iter failures;
	uint64_t key, value, fkey = 0, fvalue, lo, n = 0;
	int64_t	 slot;
	bool	 have_failure;

	if (acct->kind != ACCOUNT_SASL || acct->failure_slots == NULL ||
	    acct->minutes == NULL)
		return 0;
	/* Both in time order: the failure window only moves forward. */
	wide_init(&logins, acct->minutes, MINUTES_PER_SLOT);
	series_iter_init(&failures, acct->failure_slots);
	have_failure = series_iter_next(&failures, &fkey, &fvalue);
	while (have_failure && wide_next(&logins, &slot, &value)) {
		key = index_key(slot);
		lo = key >= FAILURE_LOOKBACK_SLOTS ?
		    key - FAILURE_LOOKBACK_SLOTS : 0;
		while (have_failure && fkey < lo)
			have_failure = series_iter_next(&failures, &fkey,
			    &fvalue);
		if (have_failure && fkey <= key)
			n++;
	}
	wide_done(&logins);
	series_iter_done(&failures);
	return n;
}

/* account_features - the numbers the scorer and the report use */
void
account_features(const struct account *acct, struct account_features *out)
{
	memset(out, 0, sizeof(*out));
	out->messages = acct->messages;
	out->recipients = acct->recipients;
	out->distinct_recipients = contacts_distinct(&acct->contacts);
	out->distinct_domains = counter_distinct(&acct->domains);
	out->sent = acct->sent;
	out->bounced = acct->bounced;
	out->deferred = acct->deferred;
	out->expired = acct->expired;
	out->deferral_attempts = acct->deferral_attempts;
	memcpy(out->remote_rejections, acct->remote_rejections,
	    sizeof(out->remote_rejections));
	out->local_rejections = acct->local_rejections;
	out->distinct_senders = counter_distinct(&acct->senders);
	out->distinct_client_ips = counter_distinct(&acct->client_ips);
	out->auth_failures = acct->auth_failures;
	out->incomplete_messages = acct->incomplete_messages;
	out->size_bytes = acct->size_bytes;
	memcpy(out->messages_by_hour, acct->messages_by_hour,
	    sizeof(out->messages_by_hour));
	minute_peaks(acct->minutes, &out->peak_minute_messages,
	    &out->peak_10min_messages, &out->peak_hour_messages);
	out->peak_hour_recipients = acct->hour_recipients != NULL ?
	    series_max(acct->hour_recipients) : 0;
	out->max_message_recipients = acct->max_message_recipients;
	out->repeated_recipients = contacts_repeated(&acct->contacts);
	out->distinct_sender_domains = counter_distinct(&acct->sender_domains);
	out->message_ids_added = acct->message_ids_added;
	out->sized_messages = acct->sized_messages;
	out->size_cv = size_cv(acct);
	out->helo_records = acct->helo_records;
	out->helo_ip_literals = acct->helo_ip_literals;
	out->helo_random = acct->helo_random;
	if (acct->helo_pairs != NULL) {
		uint64_t pairs = distinct_count(acct->helo_pairs);
		uint64_t ips = acct->helo_ips != NULL ?
		    distinct_count(acct->helo_ips) : 0;

		out->helo_changes = pairs > ips ? pairs - ips : 0;
	}
	out->distinct_client_networks = acct->client_networks != NULL ?
	    distinct_count(acct->client_networks) : 0;
	out->logins_after_failures = logins_after_failures(acct);
	out->local_rate_limits = acct->local_rate_limits;
	out->first_seen_sec = acct->first_seen_sec;
	out->last_seen_sec = acct->last_seen_sec;
}

struct named_count {
	const char	*name;
	uint64_t	 count;
};

/* named_count_by_count - most first, ties by name */
static int
named_count_by_count(const void *a, const void *b)
{
	const struct named_count *x = a, *y = b;

	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* named_count_by_name - byte order of the names */
static int
named_count_by_name(const void *a, const void *b)
{
	const struct named_count *x = a, *y = b;

	return strcmp(x->name, y->name);
}

/*
 * counter_next - the next entry of a counter map (every key, or the
 * sample when capped), from *pos (0 at first); false past the last
 */
static bool
counter_next(const struct counter *c, size_t *pos, struct named_count *e)
{
	const char *key;
	uint64_t value;

	if (c->keys != NULL) {
		if (*pos >= c->sample_count)
			return false;
		e->name = c->sample[*pos].key;
		e->count = c->sample[(*pos)++].count;
		return true;
	}
	if (c->exact == NULL ||
	    !keycount_next(c->exact, pos, &key, NULL, &value))
		return false;
	e->name = key;
	e->count = value;
	return true;
}

/* counter_entries - how many entries counter_next() gives */
static size_t
counter_entries(const struct counter *c)
{
	if (c->keys != NULL)
		return c->sample_count;
	return c->exact != NULL ? keycount_count(c->exact) : 0;
}

/*
 * counters_sorted - a counter map's entries (every key, or the sample
 * when capped) as an array; caller frees
 */
static struct named_count *
counters_sorted(const struct counter *c, size_t *count,
    int (*cmp)(const void *, const void *))
{
	struct named_count *all;
	size_t	 n = 0, pos = 0;

	*count = counter_entries(c);
	all = xcalloc(*count > 0 ? *count : 1, sizeof(*all));
	while (n < *count && counter_next(c, &pos, &all[n]))
		n++;
	qsort(all, n, sizeof(*all), cmp);
	return all;
}

/* Up to this many of the largest counters are kept by insertion; more
   are taken from a sort of the whole map. */
#define TOP_BY_INSERTION	32

/*
 * top_by_insertion - the max largest entries of a map into top[], in
 * named_count_by_count() order, kept as the entries go by: at most max
 * compares an entry, nearly always one; how many there are
 */
static size_t
top_by_insertion(const struct counter *c, struct named_count *top,
    size_t max)
{
	struct named_count e;
	size_t	 n = 0, pos = 0, i;

	while (counter_next(c, &pos, &e)) {
		if (n == max) {
			/* Full: only what sorts before the last gets in. */
			if (named_count_by_count(&e, &top[n - 1]) >= 0)
				continue;
			i = n - 1;
		} else
			i = n++;
		for (; i > 0 && named_count_by_count(&e, &top[i - 1]) < 0;
		    i--)
			top[i] = top[i - 1];
		top[i] = e;
	}
	return n;
}

/*
 * top_counters - the max largest counters of a map (or its sample), in
 * named_count_by_count() order: the first max of the sorted entries.
 * A report asks for ten of a map that may hold a thousand, the scorer
 * for every one.
 */
static size_t
top_counters(const struct counter *c, const char **names,
    uint64_t *counts, size_t max)
{
	struct named_count *top;
	size_t	 n, i;

	if (max > counter_entries(c))
		max = counter_entries(c);
	if (max == 0)
		return 0;
	if (max <= TOP_BY_INSERTION) {
		top = xcalloc(max, sizeof(*top));
		n = top_by_insertion(c, top, max);
	} else {
		top = counters_sorted(c, &n, named_count_by_count);
		if (n > max)
			n = max;
	}
	for (i = 0; i < n; i++) {
		names[i] = top[i].name;
		counts[i] = top[i].count;
	}
	free(top);
	return n;
}

/* A name of an evidence list (evidence_top()). */
struct evidence_entry {
	struct named_count nc;
	bool		 estimated;
};

/* evidence_by_count - qsort: most first, ties by name */
static int
evidence_by_count(const void *a, const void *b)
{
	return named_count_by_count(&((const struct evidence_entry *)a)->nc,
	    &((const struct evidence_entry *)b)->nc);
}

/*
 * busy_uses - the keys used at least BUSY_MIN_USES times in c's
 * occurrence sample into out[] (room for all its uses), each with its
 * count estimated as total (the uses the map counted, near enough:
 * the account's messages or recipients) times its share of the
 * sampled uses; how many
 */
#define BUSY_MIN_USES	3
static size_t
busy_uses(const struct counter *c, uint64_t total,
    struct evidence_entry *out)
{
	const struct occurrences *u = c->uses;
	struct named_count *e;
	double	 v;
	size_t	 i, k, n = 0, found = 0;

	e = xcalloc(u->count, sizeof(*e));
	for (i = 0; i < u->count; i++) {
		e[i].name = u->v[i].key;
		e[i].count = 1;
	}
	qsort(e, u->count, sizeof(*e), named_count_by_name);
	for (i = 0; i < u->count; i++) {
		if (n > 0 && strcmp(e[n - 1].name, e[i].name) == 0)
			e[n - 1].count++;
		else
			e[n++] = e[i];
	}
	for (k = 0; k < n; k++) {
		if (e[k].count < BUSY_MIN_USES)
			continue;
		v = floor((double)total * (double)e[k].count /
		    (double)u->count + 0.5);
		out[found].nc.name = e[k].name;
		out[found].nc.count = v >= (double)total ? total :
		    (uint64_t)v;
		out[found++].estimated = true;
	}
	free(e);
	return found;
}

/*
 * evidence_top - account_busiest_*(): c's true top entries while exact.
 * Capped, its busiest names by the occurrence sample (used in it
 * BUSY_MIN_USES times or more: a name sampled once or twice says
 * nothing of its count), each with its estimated count, or its exact
 * one when the uniform key sample holds it; with the key sample's
 * names and exact counts; the max largest of them.
 */
static size_t
evidence_top(const struct counter *c, uint64_t total, const char **names,
    uint64_t *counts, bool *estimated, size_t max)
{
	struct evidence_entry *all;
	size_t	 n, busy = 0, i, k;

	if (c->keys == NULL || c->uses == NULL) {
		n = top_counters(c, names, counts, max);
		for (i = 0; i < n; i++)
			estimated[i] = false;
		return n;
	}
	all = xcalloc(c->uses->count + c->sample_count + 1, sizeof(*all));
	busy = busy_uses(c, total, all);
	n = busy;
	for (k = 0; k < c->sample_count; k++) {
		for (i = 0; i < busy; i++)
			if (strcmp(all[i].nc.name, c->sample[k].key) == 0)
				break;
		if (i < busy) {
			/* Counted exactly after all. */
			all[i].nc.count = c->sample[k].count;
			all[i].estimated = false;
			continue;
		}
		all[n].nc.name = c->sample[k].key;
		all[n].nc.count = c->sample[k].count;
		all[n++].estimated = false;
	}
	qsort(all, n, sizeof(*all), evidence_by_count);
	if (n > max)
		n = max;
	for (i = 0; i < n; i++) {
		names[i] = all[i].nc.name;
		counts[i] = all[i].nc.count;
		estimated[i] = all[i].estimated;
	}
	free(all);
	return n;
}

/* account_busiest_client_ips - see aggregator.h */
size_t
account_busiest_client_ips(const struct account *acct, const char **names,
    uint64_t *counts, bool *estimated, size_t max)
{
	return evidence_top(&acct->client_ips, acct->messages, names, counts,
	    estimated, max);
}

/* account_busiest_senders - see aggregator.h */
size_t
account_busiest_senders(const struct account *acct, const char **names,
    uint64_t *counts, bool *estimated, size_t max)
{
	return evidence_top(&acct->senders, acct->messages, names, counts,
	    estimated, max);
}

/* account_busiest_domains - see aggregator.h */
size_t
account_busiest_domains(const struct account *acct, const char **names,
    uint64_t *counts, bool *estimated, size_t max)
{
	return evidence_top(&acct->domains, acct->recipients, names, counts,
	    estimated, max);
}

/* account_top_client_ips - busiest client addresses */
size_t
account_top_client_ips(const struct account *acct, const char **names,
    uint64_t *counts, size_t max)
{
	return top_counters(&acct->client_ips, names, counts, max);
}

/* account_top_senders - most used envelope senders */
size_t
account_top_senders(const struct account *acct, const char **names,
    uint64_t *counts, size_t max)
{
	return top_counters(&acct->senders, names, counts, max);
}

/* account_top_domains - most mailed recipient domains */
size_t
account_top_domains(const struct account *acct, const char **names,
    uint64_t *counts, size_t max)
{
	return top_counters(&acct->domains, names, counts, max);
}

/* account_top_sender_domains - most used envelope sender domains */
size_t
account_top_sender_domains(const struct account *acct, const char **names,
    uint64_t *counts, size_t max)
{
	return top_counters(&acct->sender_domains, names, counts, max);
}

/* account_samples - the earliest messages */
size_t
account_samples(const struct account *acct, struct account_sample *out,
    size_t max)
{
	size_t	i, n = acct->sample_count < max ? acct->sample_count : max;

	for (i = 0; i < n; i++)
		out[i] = sample_view(&acct->samples[i]);
	return n;
}

/* account_refusals - the earliest refusals and failed logins */
size_t
account_refusals(const struct account *acct, struct account_refusal *out,
    size_t max)
{
	size_t	i, n = acct->refusal_count < max ? acct->refusal_count : max;

	for (i = 0; i < n; i++)
		out[i] = acct->refusals[i].view;
	return n;
}

/* account_remote_rejections - see aggregator.h */
size_t
account_remote_rejections(const struct account *acct,
    struct account_remote_rejection *out, size_t max)
{
	size_t	i, n = acct->remote_count < max ? acct->remote_count : max;

	for (i = 0; i < n; i++)
		out[i] = remote_view(&acct->remotes[i]);
	return n;
}

/*
 * Canonical JSON.  Strings are log bytes: invalid UTF-8 is repaired
 * (U+FFFD) so that jansson accepts them; counter keys that become equal
 * by repair are summed, in the same way whatever the merge order.
 */

/* json_u64 - an integer; jansson's are signed, so clamp */
static json_t *
json_u64(uint64_t v)
{
	return json_integer(v > (uint64_t)INT64_MAX ? (json_int_t)INT64_MAX :
	    (json_int_t)v);
}

/* repaired - s itself if valid UTF-8, else a repaired copy in *tofree */
static const char *
repaired(const char *s, char **tofree)
{
	size_t	len = strlen(s);

	*tofree = NULL;
	if (utf8_valid(s, len))
		return s;
	*tofree = utf8_repair(s, len, NULL);
	return *tofree;
}

/* json_text - a JSON string of log text; NULL gives null */
static json_t *
json_text(const char *s)
{
	const char *text;
	char	*tofree;
	json_t	*j;

	if (s == NULL)
		return json_null();
	text = repaired(s, &tofree);
	j = json_string(text);
	free(tofree);
	return j != NULL ? j : json_string("");
}

/*
 * counters_json - a counter map (or its sample) as an object, keys in
 * byte order
 */
static json_t *
counters_json(const struct counter *c)
{
	struct named_count *all;
	const char *key;
	json_t	*obj = json_object(), *old;
	char	*tofree;
	size_t	 n, i;

	all = counters_sorted(c, &n, named_count_by_name);
	for (i = 0; i < n; i++) {
		key = repaired(all[i].name, &tofree);
		old = json_object_get(obj, key);
		if (old != NULL)
			json_integer_set(old, json_integer_value(old) +
			    (json_int_t)all[i].count);
		else
			json_object_set_new(obj, key, json_u64(all[i].count));
		free(tofree);
	}
	free(all);
	return obj;
}

/*
 * distinct_json - {"exact": [sorted hex fingerprints]} or {"hll":
 * "<base64 registers>"}; NULL is the empty set
 */
static json_t *
distinct_json(const struct distinct *d)
{
	uint64_t *keys;
	json_t	*obj = json_object(), *arr;
	size_t	 n, i;
	char	 hex[17], *text;

	if (d != NULL && !distinct_is_exact(d)) {
		text = hll_encode(distinct_sketch(d));
		json_object_set_new(obj, "hll", json_string(text));
		free(text);
		return obj;
	}
	arr = json_array();
	keys = d != NULL ? distinct_fingerprints(d, &n) : NULL;
	if (keys == NULL)
		n = 0;
	for (i = 0; i < n; i++) {
		snprintf(hex, sizeof(hex), "%016llx",
		    (unsigned long long)keys[i]);
		json_array_append_new(arr, json_string(hex));
	}
	free(keys);
	json_object_set_new(obj, "exact", arr);
	return obj;
}

/*
 * sorted_contacts - an exact contacts map's members (or a capped
 * one's bottom-K) ascending by fingerprint, *n of them; free()
 */
static struct sampled_contact *
sorted_contacts(const struct contacts *c, size_t *n)
{
	struct sampled_contact *all;
	size_t	 pos = 0;

	*n = 0;
	if (c->keys != NULL) {
		all = xcalloc(c->sample_count + 1, sizeof(*all));
		memcpy(all, c->sample, c->sample_count * sizeof(*all));
		*n = c->sample_count;
		return all;
	}
	all = xcalloc(c->exact != NULL ? fpcount_count(c->exact) + 1 : 1,
	    sizeof(*all));
	if (c->exact == NULL)
		return all;
	while (fpcount_next(c->exact, &pos, &all[*n].fingerprint,
	    &all[*n].repeated))
		(*n)++;
	qsort(all, *n, sizeof(*all), contact_cmp);
	return all;
}

/*
 * contacts_json - [[hex fingerprint, 1 or 2], ...] ascending: every
 * recipient of an exact map, the bottom-K of a capped one (2: mailed
 * more than once)
 */
static json_t *
contacts_json(const struct contacts *c)
{
	struct sampled_contact *all;
	json_t	*arr = json_array();
	size_t	 n, i;
	char	 hex[17];

	all = sorted_contacts(c, &n);
	for (i = 0; i < n; i++) {
		snprintf(hex, sizeof(hex), "%016llx",
		    (unsigned long long)all[i].fingerprint);
		json_array_append_new(arr, json_pack("[si]", hex,
		    all[i].repeated ? 2 : 1));
	}
	free(all);
	return arr;
}

/* counter_json_set - a counter map's members of the dump */
static void
counter_json_set(json_t *obj, const char *name, const char *keys_name,
    const struct counter *c)
{
	json_object_set_new(obj, name, counters_json(c));
	if (c->keys != NULL)
		json_object_set_new(obj, keys_name, distinct_json(c->keys));
}

/* uses_json_set - name: [[hex rank, key], ...] of c's sampled uses,
   in their order; absent while none is sampled */
static void
uses_json_set(json_t *obj, const char *name, const struct counter *c)
{
	json_t	*arr;
	char	 hex[17];
	size_t	 i;

	if (c->uses == NULL)
		return;
	arr = json_array();
	for (i = 0; i < c->uses->count; i++) {
		snprintf(hex, sizeof(hex), "%016llx",
		    (unsigned long long)c->uses->v[i].rank);
		json_array_append_new(arr, json_pack("[ss]", hex,
		    c->uses->v[i].key));
	}
	json_object_set_new(obj, name, arr);
}

/* clock_hours_json - [[hour start, messages], ...] in time order */
static json_t *
clock_hours_json(const struct series *minutes)
{
	struct wide_iter w;
	uint64_t value;
	json_t	*arr = json_array();
	int64_t	 hour, start;

	wide_init(&w, minutes, MINUTES_PER_HOUR);
	while (wide_next(&w, &hour, &value)) {
		/* Only the hour holding INT64_MIN starts before it. */
		start = hour < INT64_MIN / 3600 ? INT64_MIN : hour * 3600;
		json_array_append_new(arr, json_pack("[Io]",
		    (json_int_t)start, json_u64(value)));
	}
	wide_done(&w);
	return arr;
}

/* ten_minutes_json - [[slot index, messages], ...] in time order */
static json_t *
ten_minutes_json(const struct series *minutes)
{
	struct wide_iter w;
	uint64_t value;
	json_t	*arr = json_array();
	int64_t	 slot;

	wide_init(&w, minutes, MINUTES_PER_SLOT);
	while (wide_next(&w, &slot, &value))
		json_array_append_new(arr, json_pack("[Io]",
		    (json_int_t)slot, json_u64(value)));
	wide_done(&w);
	return arr;
}

/* slots_json - [[slot index, count], ...] of a slot series, in order */
static json_t *
slots_json(const struct series *slots)
{
	struct series_iter it;
	uint64_t key, value;
	json_t	*arr = json_array();

	if (slots == NULL)
		return arr;
	series_iter_init(&it, slots);
	while (series_iter_next(&it, &key, &value))
		json_array_append_new(arr, json_pack("[Io]",
		    (json_int_t)key_index(key), json_u64(value)));
	series_iter_done(&it);
	return arr;
}

/* samples_json - the kept samples in order */
static json_t *
samples_json(const struct account *acct)
{
	json_t	*arr = json_array(), *obj;
	size_t	 i;

	for (i = 0; i < acct->sample_count; i++) {
		const struct account_sample v = sample_view(&acct->samples[i]);
		const struct account_sample *s = &v;

		obj = json_object();
		json_object_set_new(obj, "time_sec",
		    json_integer(s->time_sec));
		json_object_set_new(obj, "host", json_text(s->host));
		json_object_set_new(obj, "queue_id", json_text(s->queue_id));
		json_object_set_new(obj, "message_id",
		    json_text(s->message_id));
		json_object_set_new(obj, "sender", json_text(s->sender));
		json_object_set_new(obj, "first_recipient",
		    json_text(s->first_recipient));
		json_object_set_new(obj, "client", json_text(s->client));
		json_array_append_new(arr, obj);
	}
	return arr;
}

/* refusals_json - the kept refusals in order */
static json_t *
refusals_json(const struct account *acct)
{
	static const char *const names[REFUSAL_STRINGS] = {
		"host", "command", "sender", "recipient", "username", "text",
		"client"
	};
	const char *s[REFUSAL_STRINGS];
	json_t	*arr = json_array(), *obj;
	size_t	 i, j;

	for (i = 0; i < acct->refusal_count; i++) {
		const struct account_refusal *r = &acct->refusals[i].view;

		obj = json_object();
		json_object_set_new(obj, "time_sec",
		    json_integer(r->time_sec));
		refusal_strings(r, s);
		for (j = 0; j < REFUSAL_STRINGS; j++)
			json_object_set_new(obj, names[j], json_text(s[j]));
		json_array_append_new(arr, obj);
	}
	return arr;
}

/* remotes_json - the kept remote rejections in order */
static json_t *
remotes_json(const struct account *acct)
{
	static const char *const names[REMOTE_STRINGS] = {
		"host", "queue_id", "recipient", "sender", "dsn", "reply"
	};
	const char *s[REMOTE_STRINGS];
	json_t	*arr = json_array(), *obj;
	size_t	 i, j;

	for (i = 0; i < acct->remote_count; i++) {
		struct account_remote_rejection r =
		    remote_view(&acct->remotes[i]);

		obj = json_object();
		json_object_set_new(obj, "time_sec",
		    json_integer(r.time_sec));
		json_object_set_new(obj, "class",
		    json_string(response_class_name(r.class)));
		json_object_set_new(obj, "outcome",
		    json_string(delivery_status_name(r.outcome)));
		remote_strings(&r, s);
		for (j = 0; j < REMOTE_STRINGS; j++)
			json_object_set_new(obj, names[j], json_text(s[j]));
		json_array_append_new(arr, obj);
	}
	return arr;
}

/* account_json - every figure of one account */
static json_t *
account_json(const struct account *acct)
{
	struct account_features f;
	struct distinct	*made;
	json_t	*obj = json_object(), *classes, *hours;
	int	 i;

	account_features(acct, &f);
	json_object_set_new(obj, "kind",
	    json_string(account_kind_name(acct->kind)));
	json_object_set_new(obj, "key", json_text(acct->key));
	json_object_set_new(obj, "messages", json_u64(f.messages));
	json_object_set_new(obj, "recipients", json_u64(f.recipients));
	json_object_set_new(obj, "distinct_recipients",
	    json_u64(f.distinct_recipients));
	json_object_set_new(obj, "recipient_fingerprints",
	    distinct_json(recipient_fingerprints(&acct->contacts, &made)));
	distinct_free(made);
	json_object_set_new(obj, "distinct_domains",
	    json_u64(f.distinct_domains));
	counter_json_set(obj, "domains", "domain_keys", &acct->domains);
	uses_json_set(obj, "domain_uses", &acct->domains);
	json_object_set_new(obj, "sent", json_u64(f.sent));
	json_object_set_new(obj, "bounced", json_u64(f.bounced));
	json_object_set_new(obj, "deferred", json_u64(f.deferred));
	json_object_set_new(obj, "expired", json_u64(f.expired));
	json_object_set_new(obj, "deferral_attempts",
	    json_u64(f.deferral_attempts));
	classes = json_object();
	for (i = 0; i < RESPONSE_CLASS_COUNT; i++)
		json_object_set_new(classes, response_class_name(i),
		    json_u64(f.remote_rejections[i]));
	json_object_set_new(obj, "remote_rejections", classes);
	json_object_set_new(obj, "local_rejections",
	    json_u64(f.local_rejections));
	json_object_set_new(obj, "distinct_senders",
	    json_u64(f.distinct_senders));
	counter_json_set(obj, "senders", "sender_keys", &acct->senders);
	uses_json_set(obj, "sender_uses", &acct->senders);
	json_object_set_new(obj, "distinct_client_ips",
	    json_u64(f.distinct_client_ips));
	counter_json_set(obj, "client_ips", "client_ip_keys",
	    &acct->client_ips);
	uses_json_set(obj, "client_ip_uses", &acct->client_ips);
	json_object_set_new(obj, "auth_failures", json_u64(f.auth_failures));
	json_object_set_new(obj, "incomplete_messages",
	    json_u64(f.incomplete_messages));
	json_object_set_new(obj, "size_bytes", json_u64(f.size_bytes));
	hours = json_array();
	for (i = 0; i < 24; i++)
		json_array_append_new(hours, json_u64(f.messages_by_hour[i]));
	json_object_set_new(obj, "messages_by_hour", hours);
	json_object_set_new(obj, "clock_hours",
	    clock_hours_json(acct->minutes));
	json_object_set_new(obj, "peak_hour_messages",
	    json_u64(f.peak_hour_messages));
	json_object_set_new(obj, "first_seen_sec",
	    json_integer(f.first_seen_sec));
	json_object_set_new(obj, "last_seen_sec",
	    json_integer(f.last_seen_sec));
	json_object_set_new(obj, "samples", samples_json(acct));
	json_object_set_new(obj, "refusals", refusals_json(acct));
	json_object_set_new(obj, "remote_rejection_samples",
	    remotes_json(acct));
	json_object_set_new(obj, "max_message_recipients",
	    json_u64(acct->max_message_recipients));
	json_object_set_new(obj, "hour_recipients",
	    slots_json(acct->hour_recipients));
	json_object_set_new(obj, "minutes", slots_json(acct->minutes));
	json_object_set_new(obj, "ten_minutes",
	    ten_minutes_json(acct->minutes));
	json_object_set_new(obj, "failure_slots",
	    slots_json(acct->failure_slots));
	json_object_set_new(obj, "contacts", contacts_json(&acct->contacts));
	json_object_set_new(obj, "repeated_recipients",
	    json_u64(f.repeated_recipients));
	counter_json_set(obj, "sender_domains", "sender_domain_keys",
	    &acct->sender_domains);
	json_object_set_new(obj, "sized_messages",
	    json_u64(acct->sized_messages));
	json_object_set_new(obj, "size_square_sum",
	    json_u64(acct->size_square_sum));
	json_object_set_new(obj, "message_ids_added",
	    json_u64(acct->message_ids_added));
	json_object_set_new(obj, "local_rate_limits",
	    json_u64(acct->local_rate_limits));
	json_object_set_new(obj, "helo_records", json_u64(acct->helo_records));
	json_object_set_new(obj, "helo_ip_literals",
	    json_u64(acct->helo_ip_literals));
	json_object_set_new(obj, "helo_random", json_u64(acct->helo_random));
	json_object_set_new(obj, "helo_pairs", distinct_json(acct->helo_pairs));
	json_object_set_new(obj, "helo_ips", distinct_json(acct->helo_ips));
	json_object_set_new(obj, "client_networks",
	    distinct_json(acct->client_networks));
	json_object_set_new(obj, "logins_after_failures",
	    json_u64(f.logins_after_failures));
	return obj;
}

/* stats_json - the aggregator's counters */
static json_t *
stats_json(const struct aggregator_stats *s)
{
	json_t	*obj = json_object();

	json_object_set_new(obj, "records", json_u64(s->records));
	json_object_set_new(obj, "messages_attributed",
	    json_u64(s->messages_attributed));
	json_object_set_new(obj, "messages_unattributed",
	    json_u64(s->messages_unattributed));
	json_object_set_new(obj, "relay_bounces", json_u64(s->relay_bounces));
	json_object_set_new(obj, "inbound_local", json_u64(s->inbound_local));
	json_object_set_new(obj, "rejects_attributed",
	    json_u64(s->rejects_attributed));
	json_object_set_new(obj, "rejects_unattributed",
	    json_u64(s->rejects_unattributed));
	json_object_set_new(obj, "auth_failures_attributed",
	    json_u64(s->auth_failures_attributed));
	json_object_set_new(obj, "auth_failures_unattributed",
	    json_u64(s->auth_failures_unattributed));
	json_object_set_new(obj, "records_dropped",
	    json_u64(s->records_dropped));
	return obj;
}

/* aggregator_to_json - canonical dump */
json_t *
aggregator_to_json(const struct aggregator *agg)
{
	const struct account **all;
	json_t	*root = json_object(), *arr = json_array();
	size_t	 n = aggregator_account_count(agg), i = 0, pos = 0;

	all = xcalloc(n > 0 ? n : 1, sizeof(*all));
	while (aggregator_next(agg, &pos, &all[i]))
		i++;
	qsort(all, i, sizeof(*all), account_key_cmp);
	for (n = 0; n < i; n++)
		json_array_append_new(arr, account_json(all[n]));
	free(all);
	json_object_set_new(root, "stats", stats_json(&agg->stats));
	json_object_set_new(root, "accounts", arr);
	return root;
}

/*
 * Saving and loading (doc/partial-format.md).  The plain counters of an
 * account are listed by offset in saved_counters, the other members by
 * kind in the tables after it, so a field added to struct account is
 * saved by adding one line; the number of entries of each table is
 * written first and a loader refuses a different number, so files of
 * a build with other fields are refused instead of misread.
 */
#define ACCOUNT_U64(f)	offsetof(struct account, f)

static const size_t saved_counters[] = {
	ACCOUNT_U64(messages), ACCOUNT_U64(recipients), ACCOUNT_U64(sent),
	ACCOUNT_U64(bounced), ACCOUNT_U64(deferred), ACCOUNT_U64(expired),
	ACCOUNT_U64(deferral_attempts), ACCOUNT_U64(local_rejections),
	ACCOUNT_U64(auth_failures), ACCOUNT_U64(incomplete_messages),
	ACCOUNT_U64(size_bytes), ACCOUNT_U64(max_message_recipients),
	ACCOUNT_U64(sized_messages), ACCOUNT_U64(size_square_sum),
	ACCOUNT_U64(message_ids_added), ACCOUNT_U64(local_rate_limits),
	ACCOUNT_U64(helo_records), ACCOUNT_U64(helo_ip_literals),
	ACCOUNT_U64(helo_random), ACCOUNT_U64(records),
};

static const size_t saved_distincts[] = {
	ACCOUNT_U64(helo_pairs), ACCOUNT_U64(helo_ips),
	ACCOUNT_U64(client_networks),
};

/* Before partial format 6 the clock hours came first and the
   ten-minute slots after the minutes: both are read from the minutes
   now, and skipped in such files. */
static const size_t saved_series[] = {
	ACCOUNT_U64(hour_recipients), ACCOUNT_U64(minutes),
	ACCOUNT_U64(failure_slots),
};
#define LEGACY_SERIES	5

/* The contacts follow them (before partial format 6, they came
   before the sender domains as a counter map of addresses). */
static const size_t saved_counter_maps[] = {
	ACCOUNT_U64(domains), ACCOUNT_U64(senders), ACCOUNT_U64(client_ips),
	ACCOUNT_U64(sender_domains),
};
#define LEGACY_CONTACTS_AT	3	/* index of the address map */

static const size_t saved_stats[] = {
	offsetof(struct aggregator_stats, records),
	offsetof(struct aggregator_stats, messages_attributed),
	offsetof(struct aggregator_stats, messages_unattributed),
	offsetof(struct aggregator_stats, relay_bounces),
	offsetof(struct aggregator_stats, inbound_local),
	offsetof(struct aggregator_stats, rejects_attributed),
	offsetof(struct aggregator_stats, auth_failures_attributed),
	offsetof(struct aggregator_stats, rejects_unattributed),
	offsetof(struct aggregator_stats, auth_failures_unattributed),
	offsetof(struct aggregator_stats, records_dropped),
};

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

/* A counter added to the stats must be saved too. */
_Static_assert(sizeof(struct aggregator_stats) ==
    sizeof(uint64_t) * NELEM(saved_stats),
    "struct aggregator_stats changed: update saved_stats");

#define FIELD(base, off, type)	((type *)(void *)((char *)(base) + (off)))
#define CFIELD(base, off, type) \
	((const type *)(const void *)((const char *)(base) + (off)))

/* Saved counter map forms. */
#define COUNTER_SAVE_EXACT	0
#define COUNTER_SAVE_CAPPED	1

/* save_series - count, then (key, value) pairs in ascending key order */
static void
save_series(const struct series *slots, struct wire_buf *buf)
{
	struct series_iter it;
	uint64_t key, value;

	wire_put_uvarint(buf, slots != NULL ? series_count(slots) : 0);
	if (slots == NULL)
		return;
	series_iter_init(&it, slots);
	while (series_iter_next(&it, &key, &value)) {
		wire_put_uvarint(buf, key);
		wire_put_uvarint(buf, value);
	}
	series_iter_done(&it);
}

/* load_series - keys non-zero and ascending; NULL series when empty */
static bool
load_series(struct series **out, struct wire_reader *r)
{
	uint64_t n, i, key, value, prev = 0;

	n = wire_get_uvarint(r);
	if (r->failed || n > wire_remaining(r) / 2)
		return false;
	for (i = 0; i < n; i++) {
		key = wire_get_uvarint(r);
		value = wire_get_uvarint(r);
		if (r->failed || key <= prev)
			return false;
		prev = key;
		if (*out == NULL)
			*out = series_new();
		series_add(*out, key, value);
	}
	return true;
}

/* save_counter - exact keys sorted by name, or the capped form */
static void
save_counter(const struct counter *c, struct wire_buf *buf)
{
	struct named_count *all;
	size_t	 n, i;

	if (c->keys != NULL) {
		wire_put_u8(buf, COUNTER_SAVE_CAPPED);
		distinct_save(c->keys, buf);
		wire_put_uvarint(buf, c->sample_count);
		for (i = 0; i < c->sample_count; i++) {
			wire_put_bytes(buf, c->sample[i].key,
			    c->sample[i].keylen);
			wire_put_uvarint(buf, c->sample[i].count);
		}
		return;
	}
	wire_put_u8(buf, COUNTER_SAVE_EXACT);
	all = counters_sorted(c, &n, named_count_by_name);
	wire_put_uvarint(buf, n);
	for (i = 0; i < n; i++) {
		wire_put_str(buf, all[i].name);
		wire_put_uvarint(buf, all[i].count);
	}
	free(all);
}

/* load_key - a NUL-free, borrowed key */
static bool
load_key(struct wire_reader *r, const unsigned char **p, size_t *len)
{
	if (!wire_get_bytes(r, p, len))
		return false;
	return *len == 0 || memchr(*p, '\0', *len) == NULL;
}

/*
 * load_counter - an exact map of at most the cap, keys unique; or a
 * capped one whose sample is strictly ascending (what sample_offer()
 * keeps), at most AGGREGATOR_COUNTER_SAMPLE keys.
 */
static bool
load_counter(struct counter *c, struct wire_reader *r)
{
	const unsigned char *p;
	size_t	 len;
	uint64_t n, i, count, fp;

	switch (wire_get_u8(r)) {
	case COUNTER_SAVE_EXACT:
		n = wire_get_uvarint(r);
		if (r->failed || n > AGGREGATOR_COUNTER_EXACT_MAX)
			return false;
		for (i = 0; i < n; i++) {
			if (!load_key(r, &p, &len))
				return false;
			count = wire_get_uvarint(r);
			if (r->failed)
				return false;
			if (c->exact == NULL)
				c->exact = keycount_new();
			if (!keycount_add(c->exact, (const char *)p, len,
			    count))
				return false;
		}
		return true;
	case COUNTER_SAVE_CAPPED:
		counter_cap(c);
		distinct_free(c->keys);
		if ((c->keys = distinct_load(r)) == NULL)
			return false;
		n = wire_get_uvarint(r);
		if (r->failed || n > AGGREGATOR_COUNTER_SAMPLE)
			return false;
		for (i = 0; i < n; i++) {
			if (!load_key(r, &p, &len))
				return false;
			count = wire_get_uvarint(r);
			fp = hash_fingerprint((const char *)p, len);
			if (r->failed || (i > 0 && sampled_cmp(fp,
			    (const char *)p, len, &c->sample[i - 1]) <= 0))
				return false;
			c->sample[i].fingerprint = fp;
			c->sample[i].count = count;
			c->sample[i].key = xmemdup0(p, len);
			c->sample[i].keylen = len;
			c->sample_count++;
		}
		return true;
	}
	return false;
}

/*
 * save_contacts - the form, a capped map's key counter, then the
 * members (or kept ones) ascending: fingerprint gaps and repeated
 * flags
 */
static void
save_contacts(const struct contacts *c, struct wire_buf *buf)
{
	struct sampled_contact *all;
	uint64_t prev = 0;
	size_t	 n, i;

	wire_put_u8(buf, c->keys != NULL ? COUNTER_SAVE_CAPPED :
	    COUNTER_SAVE_EXACT);
	if (c->keys != NULL)
		distinct_save(c->keys, buf);
	all = sorted_contacts(c, &n);
	wire_put_uvarint(buf, n);
	for (i = 0; i < n; i++) {
		wire_put_uvarint(buf, all[i].fingerprint - prev);
		wire_put_u8(buf, all[i].repeated);
		prev = all[i].fingerprint;
	}
	free(all);
}

/*
 * load_contacts_head - a contacts map's form, with a capped map's key
 * counter read into c (a sketch, when sketch_only), and in *n the
 * number of members or kept recipients that follow, within what the
 * form holds
 */
static bool
load_contacts_head(struct contacts *c, struct wire_reader *r,
    bool sketch_only, uint64_t *n)
{
	switch (wire_get_u8(r)) {
	case COUNTER_SAVE_EXACT:
		break;
	case COUNTER_SAVE_CAPPED:
		contacts_cap(c);
		distinct_free(c->keys);
		c->keys = distinct_load(r);
		if (c->keys == NULL ||
		    (sketch_only && distinct_is_exact(c->keys)))
			return false;
		break;
	default:
		return false;
	}
	*n = wire_get_uvarint(r);
	return !r->failed && *n <= (c->keys != NULL ?
	    AGGREGATOR_COUNTER_SAMPLE : AGGREGATOR_COUNTER_EXACT_MAX);
}

/*
 * load_contacts - what save_contacts() wrote: fingerprints strictly
 * ascending and non-zero, flags 0 or 1
 */
static bool
load_contacts(struct contacts *c, struct wire_reader *r)
{
	uint64_t n, i, gap, fp = 0;
	uint8_t	 repeated;

	if (!load_contacts_head(c, r, true, &n))
		return false;
	for (i = 0; i < n; i++) {
		gap = wire_get_uvarint(r);
		repeated = wire_get_u8(r);
		if (r->failed || gap == 0 || gap > UINT64_MAX - fp ||
		    repeated > 1)
			return false;
		fp += gap;
		if (c->keys == NULL) {
			contacts_add(c, fp, repeated + 1u);
			continue;
		}
		c->sample[c->sample_count].fingerprint = fp;
		c->sample[c->sample_count++].repeated = repeated;
	}
	return true;
}

/*
 * load_legacy_contacts - a counter map of addresses and message counts
 * (partial formats before 6) as the contacts their fingerprints make;
 * an address twice, a count of 0, or a kept sample whose fingerprints
 * do not ascend is refused
 */
static bool
load_legacy_contacts(struct contacts *c, struct wire_reader *r)
{
	const unsigned char *p;
	size_t	 len;
	uint64_t n, i, count, fp, prev = 0;

	if (!load_contacts_head(c, r, false, &n))
		return false;
	for (i = 0; i < n; i++) {
		if (!load_key(r, &p, &len))
			return false;
		count = wire_get_uvarint(r);
		fp = hash_fingerprint((const char *)p, len);
		if (r->failed || count == 0)
			return false;
		if (c->keys == NULL) {
			if (!contacts_add(c, fp, count))
				return false;
			continue;
		}
		if (fp <= prev)
			return false;
		prev = fp;
		c->sample[c->sample_count].fingerprint = fp;
		c->sample[c->sample_count++].repeated = count > 1;
	}
	return true;
}

/* save_sample - one kept sample; a flag tells a missing Message-ID */
static void
save_sample(const struct account_sample *s, struct wire_buf *buf)
{
	wire_put_svarint(buf, s->time_sec);
	wire_put_str(buf, s->host);
	wire_put_str(buf, s->queue_id);
	wire_put_u8(buf, s->message_id != NULL);
	if (s->message_id != NULL)
		wire_put_str(buf, s->message_id);
	wire_put_str(buf, s->sender);
	wire_put_str(buf, s->first_recipient);
	wire_put_str(buf, s->client);
}

/* load_samples - at most ACCOUNT_MAX_SAMPLES, ascending (equal ones
   read as one); each with the client's address when with_client */
static bool
load_samples(struct account *acct, struct wire_reader *r, bool with_client)
{
	struct account_sample s;
	char	*str[6] = { NULL, NULL, NULL, NULL, NULL, NULL };
	uint64_t n, i;
	uint8_t	 has_id;
	bool	 ok = true;
	size_t	 j;
	int	 c;

	n = wire_get_uvarint(r);
	if (r->failed || n > ACCOUNT_MAX_SAMPLES)
		return false;
	for (i = 0; i < n && ok; i++) {
		s.time_sec = wire_get_svarint(r);
		str[0] = wire_get_str(r);
		str[1] = wire_get_str(r);
		has_id = wire_get_u8(r);
		if (has_id > 1)
			r->failed = true;
		str[2] = has_id == 1 ? wire_get_str(r) : NULL;
		str[3] = wire_get_str(r);
		str[4] = wire_get_str(r);
		str[5] = with_client ? wire_get_str(r) : NULL;
		if (r->failed) {
			ok = false;
		} else {
			s.host = str[0];
			s.queue_id = str[1];
			s.message_id = str[2];
			s.sender = str[3];
			s.first_recipient = str[4];
			s.client = str[5] != NULL ? str[5] : "";
			c = acct->sample_count == 0 ? 1 : stored_cmp(&s,
			    &acct->samples[acct->sample_count - 1]);
			/* Earlier builds kept a message counted twice
			   as two equal samples: one stays. */
			if (c < 0)
				ok = false;
			else if (c > 0)
				acct->samples[acct->sample_count++] =
				    sample_copy(&s);
		}
		for (j = 0; j < 6; j++) {
			free(str[j]);
			str[j] = NULL;
		}
	}
	return ok;
}

/* aggregator_save - table sizes, accounts sorted by key, counters */
void
aggregator_save(const struct aggregator *agg, struct wire_buf *buf)
{
	const struct account **all, *acct;
	size_t	 n = strmap_count(agg->accounts), i = 0, j, pos = 0;

	wire_put_uvarint(buf, NELEM(saved_counters));
	wire_put_uvarint(buf, RESPONSE_CLASS_COUNT);
	wire_put_uvarint(buf, NELEM(saved_distincts));
	wire_put_uvarint(buf, NELEM(saved_series));
	wire_put_uvarint(buf, NELEM(saved_counter_maps));
	wire_put_uvarint(buf, NELEM(saved_stats));

	all = xcalloc(n > 0 ? n : 1, sizeof(*all));
	while (aggregator_next(agg, &pos, &acct) && i < n)
		all[i++] = acct;
	qsort(all, i, sizeof(*all), account_key_cmp);
	wire_put_uvarint(buf, i);
	for (n = 0; n < i; n++) {
		acct = all[n];
		wire_put_u8(buf, (uint8_t)acct->kind);
		wire_put_str(buf, acct->key);
		for (j = 0; j < NELEM(saved_counters); j++)
			wire_put_uvarint(buf,
			    *CFIELD(acct, saved_counters[j], uint64_t));
		for (j = 0; j < RESPONSE_CLASS_COUNT; j++)
			wire_put_uvarint(buf, acct->remote_rejections[j]);
		for (j = 0; j < 24; j++)
			wire_put_uvarint(buf, acct->messages_by_hour[j]);
		wire_put_svarint(buf, acct->first_seen_sec);
		wire_put_svarint(buf, acct->last_seen_sec);
		for (j = 0; j < NELEM(saved_distincts); j++)
			distinct_save(*CFIELD(acct, saved_distincts[j],
			    struct distinct *), buf);
		for (j = 0; j < NELEM(saved_series); j++)
			save_series(*CFIELD(acct, saved_series[j],
			    struct series *), buf);
		for (j = 0; j < NELEM(saved_counter_maps); j++)
			save_counter(CFIELD(acct, saved_counter_maps[j],
			    struct counter), buf);
		save_contacts(&acct->contacts, buf);
		wire_put_uvarint(buf, acct->sample_count);
		for (j = 0; j < acct->sample_count; j++) {
			struct account_sample v =
			    sample_view(&acct->samples[j]);

			save_sample(&v, buf);
		}
	}
	free(all);
	distinct_save(agg->dropped_keys, buf);
	for (j = 0; j < NELEM(saved_stats); j++)
		wire_put_uvarint(buf,
		    *CFIELD(&agg->stats, saved_stats[j], uint64_t));
}

/*
 * load_legacy_series - the five series of partial formats before 6:
 * clock hours, recipients per hour, minutes, ten-minute slots and
 * failure slots; the clock hours and ten-minute slots are read and
 * left, as the minutes hold them
 */
static bool
load_legacy_series(struct account *acct, struct wire_reader *r)
{
	struct series *skip = NULL;
	bool	 ok;

	ok = load_series(&skip, r) &&
	    load_series(&acct->hour_recipients, r) &&
	    load_series(&acct->minutes, r);
	series_free(skip);
	skip = NULL;
	ok = ok && load_series(&skip, r) &&
	    load_series(&acct->failure_slots, r);
	series_free(skip);
	return ok;
}

/*
 * load_account - one account's members, in aggregator_save()'s order
 * or, when legacy, in that of partial formats before 6
 */
static bool
load_account(struct account *acct, struct wire_reader *r, bool legacy,
    bool with_client)
{
	struct distinct	**d, *skip;
	size_t		 j;

	for (j = 0; j < NELEM(saved_counters); j++)
		*FIELD(acct, saved_counters[j], uint64_t) =
		    wire_get_uvarint(r);
	for (j = 0; j < RESPONSE_CLASS_COUNT; j++)
		acct->remote_rejections[j] = wire_get_uvarint(r);
	for (j = 0; j < 24; j++)
		acct->messages_by_hour[j] = wire_get_uvarint(r);
	acct->first_seen_sec = wire_get_svarint(r);
	acct->last_seen_sec = wire_get_svarint(r);
	if (r->failed)
		return false;
	/* The recipient fingerprints follow from the contacts, which
	   come later: read, and left to them. */
	if (legacy) {
		if ((skip = distinct_load(r)) == NULL)
			return false;
		distinct_free(skip);
	}
	for (j = 0; j < NELEM(saved_distincts); j++) {
		d = FIELD(acct, saved_distincts[j], struct distinct *);
		if ((*d = distinct_load(r)) == NULL)
			return false;
		/* Absent and empty are one state: keep it absent. */
		if (distinct_is_exact(*d) && distinct_count(*d) == 0) {
			distinct_free(*d);
			*d = NULL;
		}
	}
	if (legacy && !load_legacy_series(acct, r))
		return false;
	for (j = 0; !legacy && j < NELEM(saved_series); j++)
		if (!load_series(FIELD(acct, saved_series[j],
		    struct series *), r))
			return false;
	for (j = 0; j < NELEM(saved_counter_maps); j++) {
		if (legacy && j == LEGACY_CONTACTS_AT &&
		    !load_legacy_contacts(&acct->contacts, r))
			return false;
		if (!load_counter(FIELD(acct, saved_counter_maps[j],
		    struct counter), r))
			return false;
	}
	if (!legacy && !load_contacts(&acct->contacts, r))
		return false;
	return load_samples(acct, r, with_client);
}

/* bytes_after - whether (p, len) sorts after (q, qlen), bytewise */
static bool
bytes_after(const unsigned char *p, size_t len, const unsigned char *q,
    size_t qlen)
{
	size_t	n = len < qlen ? len : qlen;
	int	d = n > 0 ? memcmp(p, q, n) : 0;

	return d > 0 || (d == 0 && len > qlen);
}

/* aggregator_load - check the table sizes, then every account */
bool
aggregator_load(struct aggregator *agg, struct wire_reader *r,
    bool legacy, bool with_client)
{
	const unsigned char *p, *prev = NULL;
	size_t	 len, prev_len = 0, j;
	uint64_t n, i;
	uint8_t	 kind, prev_kind = 0;
	char	*buf;
	void	**slot;
	bool	 created;

	if (wire_get_uvarint(r) != NELEM(saved_counters) ||
	    wire_get_uvarint(r) != RESPONSE_CLASS_COUNT ||
	    wire_get_uvarint(r) != NELEM(saved_distincts) + legacy ||
	    wire_get_uvarint(r) != (legacy ? LEGACY_SERIES :
	    NELEM(saved_series)) ||
	    wire_get_uvarint(r) != NELEM(saved_counter_maps) + legacy ||
	    wire_get_uvarint(r) != NELEM(saved_stats))
		goto bad;
	n = wire_get_uvarint(r);
	if (r->failed || strmap_count(agg->accounts) != 0)
		goto bad;
	for (i = 0; i < n; i++) {
		kind = wire_get_u8(r);
		if (!load_key(r, &p, &len) || kind > ACCOUNT_LOCAL)
			goto bad;
		/* Strictly ascending by kind, then key bytes (as saved). */
		if (prev != NULL && (kind < prev_kind || (kind == prev_kind &&
		    !bytes_after(p, len, prev, prev_len))))
			goto bad;
		prev = p;
		prev_len = len;
		prev_kind = kind;
		buf = reserve(&agg->keybuf, &agg->keybuf_size, len + 2);
		buf[0] = kind_char((enum account_kind)kind);
		buf[1] = ':';
		memcpy(buf + 2, p, len);
		slot = strmap_slot(agg->accounts, buf, len + 2, &created);
		if (!created)
			goto bad;
		*slot = account_new((enum account_kind)kind,
		    (const char *)p, len);
		if (!load_account(*slot, r, legacy, with_client))
			goto bad;
	}
	if ((agg->dropped_keys = distinct_load(r)) == NULL)
		goto bad;
	if (distinct_is_exact(agg->dropped_keys) &&
	    distinct_count(agg->dropped_keys) == 0) {
		distinct_free(agg->dropped_keys);
		agg->dropped_keys = NULL;
	}
	for (j = 0; j < NELEM(saved_stats); j++)
		*FIELD(&agg->stats, saved_stats[j], uint64_t) =
		    wire_get_uvarint(r);
	if (r->failed)
		goto bad;
	return true;
bad:
	r->failed = true;
	r->p = r->end;
	return false;
}

/* put_account_name - an account of such a list: kind and key */
static void
put_account_name(struct wire_buf *buf, const struct account *acct)
{
	wire_put_u8(buf, (uint8_t)acct->kind);
	wire_put_str(buf, acct->key);
}

/*
 * save_lists - one list of evidence kept beside the accounts: the
 * number of accounts for which held() is not zero, then each of them
 * in aggregator_save()'s order (kind, key), its name and what put()
 * writes of it
 */
static void
save_lists(const struct aggregator *agg, struct wire_buf *buf,
    size_t (*held)(const struct account *),
    void (*put)(struct wire_buf *, const struct account *))
{
	const struct account **all, *acct;
	size_t	 max = strmap_count(agg->accounts), n = 0, i, pos = 0;

	all = xcalloc(max > 0 ? max : 1, sizeof(*all));
	while (aggregator_next(agg, &pos, &acct) && n < max)
		if (held(acct) > 0)
			all[n++] = acct;
	qsort(all, n, sizeof(*all), account_key_cmp);
	wire_put_uvarint(buf, n);
	for (i = 0; i < n; i++) {
		put_account_name(buf, all[i]);
		put(buf, all[i]);
	}
	free(all);
}

/* refusals_held - save_lists(): the refusals an account holds */
static size_t
refusals_held(const struct account *acct)
{
	return acct->refusal_count;
}

/* put_refusals - save_lists(): their number, then each in order */
static void
put_refusals(struct wire_buf *buf, const struct account *acct)
{
	const char *s[REFUSAL_STRINGS];
	size_t	 k, pos;

	wire_put_uvarint(buf, acct->refusal_count);
	for (k = 0; k < acct->refusal_count; k++) {
		wire_put_svarint(buf, acct->refusals[k].view.time_sec);
		refusal_strings(&acct->refusals[k].view, s);
		for (pos = 0; pos < REFUSAL_STRINGS; pos++)
			wire_put_str(buf, s[pos]);
	}
}

/* aggregator_save_refusals - see aggregator.h */
void
aggregator_save_refusals(const struct aggregator *agg, struct wire_buf *buf)
{
	save_lists(agg, buf, refusals_held, put_refusals);
}

/* remotes_held - save_lists(): its remote rejections */
static size_t
remotes_held(const struct account *acct)
{
	return acct->remote_count;
}

/* put_remotes - save_lists(): their number, then each in order, its
   class and outcome before its strings */
static void
put_remotes(struct wire_buf *buf, const struct account *acct)
{
	const char *s[REMOTE_STRINGS];
	size_t	 k, pos;

	wire_put_uvarint(buf, acct->remote_count);
	for (k = 0; k < acct->remote_count; k++) {
		struct account_remote_rejection r =
		    remote_view(&acct->remotes[k]);

		wire_put_svarint(buf, r.time_sec);
		wire_put_u8(buf, (uint8_t)r.class);
		wire_put_u8(buf, (uint8_t)r.outcome);
		remote_strings(&r, s);
		for (pos = 0; pos < REMOTE_STRINGS; pos++)
			wire_put_str(buf, s[pos]);
	}
}

/* aggregator_save_remote - see aggregator.h */
void
aggregator_save_remote(const struct aggregator *agg, struct wire_buf *buf)
{
	save_lists(agg, buf, remotes_held, put_remotes);
}

/* uses_held - save_lists(): the sampled uses of an account's maps */
static size_t
uses_held(const struct account *acct)
{
	const struct counter *c[3] = {
		&acct->client_ips, &acct->senders, &acct->domains
	};
	size_t	i, n = 0;

	for (i = 0; i < 3; i++)
		if (c[i]->uses != NULL)
			n += c[i]->uses->count;
	return n;
}

/* put_uses - save_lists(): of the client address, sender and domain
   maps in turn, the number of sampled uses, then each in order */
static void
put_uses(struct wire_buf *buf, const struct account *acct)
{
	const struct counter *c[3] = {
		&acct->client_ips, &acct->senders, &acct->domains
	};
	const struct occurrence *o;
	size_t	i, k, n;

	for (i = 0; i < 3; i++) {
		n = c[i]->uses != NULL ? c[i]->uses->count : 0;
		wire_put_uvarint(buf, n);
		for (k = 0; k < n; k++) {
			o = &c[i]->uses->v[k];
			wire_put_uvarint(buf, o->rank);
			wire_put_str(buf, o->key);
		}
	}
}

/* aggregator_save_uses - see aggregator.h */
void
aggregator_save_uses(const struct aggregator *agg, struct wire_buf *buf)
{
	save_lists(agg, buf, uses_held, put_uses);
}

/* load_refusals - one account's list: at most the maximum, ascending;
   strings of each (REFUSAL_STRINGS, or one fewer without the client) */
static bool
load_refusals(struct account *acct, struct wire_reader *r, size_t strings)
{
	struct account_refusal v;
	char	*str[REFUSAL_STRINGS] = { NULL };
	uint64_t n, i;
	size_t	 j;
	bool	 ok = true;

	n = wire_get_uvarint(r);
	if (r->failed || n == 0 || n > ACCOUNT_MAX_REFUSALS ||
	    acct->refusal_count != 0)
		return false;
	for (i = 0; i < n && ok; i++) {
		v.time_sec = wire_get_svarint(r);
		for (j = 0; j < strings; j++)
			str[j] = wire_get_str(r);
		if (r->failed) {
			ok = false;
		} else {
			v.host = str[0];
			v.command = str[1];
			v.sender = str[2];
			v.recipient = str[3];
			v.username = str[4];
			v.text = str[5];
			v.client = strings == REFUSAL_STRINGS ?
			    str[REFUSAL_STRINGS - 1] : "";
			if (i > 0 && refusal_cmp(&v,
			    &acct->refusals[i - 1].view) <= 0)
				ok = false;
			else
				refusals_room(acct)[acct->refusal_count++] =
				    refusal_copy(&v);
		}
		for (j = 0; j < strings; j++) {
			free(str[j]);
			str[j] = NULL;
		}
	}
	return ok;
}

/* Where a list of accounts stands while it is read. */
struct list_pos {
	const unsigned char *key;	/* the last account's; NULL: none */
	size_t		 len;
	uint8_t		 kind;
};

/*
 * listed_account - the next account a list names (as put_account_name
 * wrote it), which aggregator_load() must have made; NULL when it did
 * not, or the list is out of order or damaged
 */
static struct account *
listed_account(struct aggregator *agg, struct wire_reader *r,
    struct list_pos *last)
{
	const unsigned char *p;
	size_t	 len;
	uint8_t	 kind;
	char	*buf;

	kind = wire_get_u8(r);
	if (!load_key(r, &p, &len) || kind > ACCOUNT_LOCAL)
		return NULL;
	if (last->key != NULL && (kind < last->kind || (kind == last->kind &&
	    !bytes_after(p, len, last->key, last->len))))
		return NULL;
	last->key = p;
	last->len = len;
	last->kind = kind;
	buf = reserve(&agg->keybuf, &agg->keybuf_size, len + 2);
	buf[0] = kind_char((enum account_kind)kind);
	buf[1] = ':';
	memcpy(buf + 2, p, len);
	return strmap_get(agg->accounts, buf, len + 2);
}

/*
 * load_lists - a list save_lists() wrote: each record's account, which
 * aggregator_load() must have made, then load(acct, r, arg) for it
 */
static bool
load_lists(struct aggregator *agg, struct wire_reader *r,
    bool (*load)(struct account *, struct wire_reader *, size_t),
    size_t arg)
{
	struct list_pos last = { NULL, 0, 0 };
	struct account *acct;
	uint64_t n, i;

	n = wire_get_uvarint(r);
	if (r->failed || n > strmap_count(agg->accounts))
		return false;
	for (i = 0; i < n; i++)
		if ((acct = listed_account(agg, r, &last)) == NULL ||
		    !load(acct, r, arg))
			return false;
	return !r->failed;
}

/* aggregator_load_refusals - see aggregator.h */
bool
aggregator_load_refusals(struct aggregator *agg, struct wire_reader *r,
    bool with_client)
{
	return load_lists(agg, r, load_refusals, with_client ?
	    REFUSAL_STRINGS : REFUSAL_STRINGS - 1);
}

/* is_failure_outcome - whether a remote rejection's outcome can be s */
static bool
is_failure_outcome(uint8_t s)
{
	return s == DELIVERY_BOUNCED || s == DELIVERY_DEFERRED ||
	    s == DELIVERY_EXPIRED;
}

/*
 * load_remote - one account's remote rejections: at most the maximum,
 * in remote_cmp() order, none of a class not kept, and of each class
 * no more than remotes_offer() keeps or the account counted (its
 * figures are loaded first)
 */
static bool
load_remote(struct account *acct, struct wire_reader *r, size_t unused)
{
	struct account_remote_rejection v;
	char	*str[REMOTE_STRINGS] = { NULL };
	uint64_t per_class[RESPONSE_CLASS_COUNT] = { 0 };
	uint64_t n, i;
	uint8_t	 class, outcome;
	size_t	 j;
	bool	 ok = true;

	(void)unused;
	n = wire_get_uvarint(r);
	if (r->failed || n == 0 || n > ACCOUNT_MAX_REMOTE_REJECTIONS ||
	    acct->remote_count != 0)
		return false;
	acct->remotes = xcalloc(n, sizeof(*acct->remotes));
	for (i = 0; i < n && ok; i++) {
		v.time_sec = wire_get_svarint(r);
		class = wire_get_u8(r);
		outcome = wire_get_u8(r);
		for (j = 0; j < REMOTE_STRINGS; j++)
			str[j] = wire_get_str(r);
		if (r->failed || class >= RESPONSE_CLASS_COUNT ||
		    !is_kept_class((enum response_class)class) ||
		    !is_failure_outcome(outcome) ||
		    ++per_class[class] > ACCOUNT_REMOTE_PER_CLASS ||
		    per_class[class] > acct->remote_rejections[class]) {
			ok = false;
		} else {
			v.class = (enum response_class)class;
			v.outcome = (enum delivery_status)outcome;
			v.host = str[0];
			v.queue_id = str[1];
			v.recipient = str[2];
			v.sender = str[3];
			v.dsn = str[4];
			v.reply = str[5];
			if (i > 0 && stored_remote_cmp(&v,
			    &acct->remotes[i - 1]) <= 0)
				ok = false;
			else
				acct->remotes[acct->remote_count++] =
				    remote_copy(&v);
		}
		for (j = 0; j < REMOTE_STRINGS; j++) {
			free(str[j]);
			str[j] = NULL;
		}
	}
	return ok;
}

/* aggregator_load_remote - see aggregator.h */
bool
aggregator_load_remote(struct aggregator *agg, struct wire_reader *r)
{
	return load_lists(agg, r, load_remote, 0);
}

/*
 * load_uses - one account's sampled uses: of each map at most the
 * sample's size and the account's messages (recipients for domains),
 * ranks below the limit, keys not empty, in (rank, key) order; at
 * least one in all
 */
static bool
load_uses(struct account *acct, struct wire_reader *r, size_t unused)
{
	struct counter *c[3] = {
		&acct->client_ips, &acct->senders, &acct->domains
	};
	const uint64_t most[3] = {
		acct->messages, acct->messages, acct->recipients
	};
	const unsigned char *key;
	uint64_t n, k, rank;
	size_t	 i, keylen, total = 0;
	char	*copy;
	bool	 ordered;

	(void)unused;
	for (i = 0; i < 3; i++) {
		n = wire_get_uvarint(r);
		if (r->failed || n > AGGREGATOR_OCCURRENCE_SAMPLE ||
		    n > most[i] || c[i]->uses != NULL)
			return false;
		for (k = 0; k < n; k++) {
			rank = wire_get_uvarint(r);
			if (!load_key(r, &key, &keylen) || keylen == 0 ||
			    rank >= OCCURRENCE_RATE_LIMIT || rank == 0)
				return false;
			copy = xmemdup0(key, keylen);
			ordered = k == 0 || occurrence_cmp(rank, copy,
			    &c[i]->uses->v[k - 1]) > 0;
			free(copy);
			if (!ordered)
				return false;
			uses_offer(c[i], rank, (const char *)key, keylen);
		}
		total += (size_t)n;
	}
	return total > 0;
}

/* aggregator_load_uses - see aggregator.h */
bool
aggregator_load_uses(struct aggregator *agg, struct wire_reader *r)
{
	return load_lists(agg, r, load_uses, 0);
}
