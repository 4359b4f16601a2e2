/*
 * aggregator - per-account behaviour (see aggregator.h).
 *
 * Attribution of a record:
 *
 *   RECORD_MESSAGE
 *     origin BOUNCE   the relay's own non-delivery or delay notice:
 *                     stats.relay_bounces, no account.
 *     origin UNKNOWN  its submission lines were before the log's start:
 *                     stats.messages_unattributed, no account.
 *     origin SMTP     authenticated (non-empty SASL username): the SASL
 *                     account of the username in ASCII lower case, as
 *                     Dovecot's default auth_username_format (%Lu)
 *                     folds it before looking the user up.
 *                     Unauthenticated with every recipient (at least
 *                     one) delivered by the local, virtual or lmtp
 *                     transport: inbound mail for the relay's own
 *                     mailboxes, stats.inbound_local, no account.
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
 * and a sender that was never logged is not counted.  A recipient still deferred when
 * its message expired counts as expired.  Bounced, deferred and expired
 * recipients are counted by the class of their last reply.  Hours of
 * the day are local time; clock hours, first and last seen are UTC
 * seconds.
 *
 * Exact merging: every per-account figure is a sum, a minimum or a
 * maximum, a distinct counter (recipient fingerprints, util/distinct.h)
 * or a counter map (domains, senders, client addresses, clock hours)
 * merged key by key, or the ACCOUNT_MAX_SAMPLES smallest samples under
 * a total order on their content, which the smallest of a union of two
 * such lists gives.  Accounts and their maps are created lazily, as
 * brute-force login attempts can create an IP account per attacking
 * address.
 *
 * Capped counter maps.  A spam run that forges a sender per message,
 * or mails a million domains, would grow the domain and sender maps
 * without bound.  A counter map (struct counter) therefore has two
 * forms, and which one it is depends only on the SET of keys seen:
 *
 *   exact   at most AGGREGATOR_COUNTER_EXACT_MAX keys: every key and
 *           its count.
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
 */
#include "config.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "analysis/aggregator.h"
#include "util/distinct.h"
#include "util/hash.h"
#include "util/hll.h"
#include "util/strmap.h"
#include "util/u64map.h"
#include "util/utf8.h"
#include "util/xalloc.h"

/* One kept sample: the view handed out, pointing into storage. */
struct stored_sample {
	struct account_sample view;
	char		*storage;	/* one block holding every string */
};

/* One key kept in a capped counter map's bottom-K. */
struct sampled_key {
	uint64_t	 fingerprint;	/* hash_fingerprint(key) */
	uint64_t	 count;
	char		*key;		/* owned, NUL-terminated */
	size_t		 keylen;
};

/* A counter map: exact, or capped (see the top of the file). */
struct counter {
	struct strmap	*exact;		/* key -> uint64_t count; NULL when
					   empty or capped */
	struct distinct	*keys;		/* NULL while exact */
	struct sampled_key *sample;	/* AGGREGATOR_COUNTER_SAMPLE slots,
					   ascending; NULL while exact */
	size_t		 sample_count;
};

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
	struct distinct	*recipients_seen; /* address fingerprints; NULL if
					   none */
	struct u64map	*clock_hours;	/* hour_key() -> messages */
	struct counter	 domains;	/* domain -> recipients */
	struct counter	 senders;	/* sender ("<>") -> messages */
	struct counter	 client_ips;	/* address -> messages */
	struct stored_sample samples[ACCOUNT_MAX_SAMPLES];
	size_t		 sample_count;
};

/*
 * Reply texts repeat: a receiver's refusal of the relay quotes the
 * relay's own address, so one Yahoo deferral or Outlook block-list
 * text recurs for every recipient.  A small direct-mapped cache of
 * exact texts saves the PCRE2 matches (microseconds each) for those;
 * entries are compared in full, so a hit is always right.
 */
#define CLASS_CACHE_SIZE	256	/* a power of 2 */
#define CLASS_CACHE_MAX_TEXT	1024	/* longer texts are not kept */

struct class_cache_entry {
	char		*text;		/* owned; NULL: empty entry */
	size_t		 len;
	uint64_t	 hash;
	enum response_class class;
};

struct aggregator {
	const struct classifier *cls;
	struct class_cache_entry class_cache[CLASS_CACHE_SIZE];
	struct strmap	*accounts;	/* "s:key", "i:key", "l:key" */
	struct aggregator_stats stats;
	char		*keybuf;	/* scratch for map keys */
	size_t		 keybuf_size;
	char		*addrbuf;	/* scratch for lowered addresses */
	size_t		 addrbuf_size;
	int64_t		 hour_cache_slot; /* quarter hour of the last lookup */
	int		 hour_cache_hour;
	bool		 hour_cache_valid;
};

/*
 * Clock hours are keyed by their index since the epoch; the top bit is
 * flipped so that no hour (negative ones included) maps to key 0, which
 * u64map reserves.
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

/* hour_key - u64map key of the clock hour holding t */
static uint64_t
hour_key(int64_t t)
{
	return (uint64_t)floor_div(t, 3600) ^ HOUR_KEY_BIAS;
}

/* hour_from_key - the clock hour index hour_key() encoded */
static int64_t
hour_from_key(uint64_t key)
{
	uint64_t v = key ^ HOUR_KEY_BIAS;

	if (v <= (uint64_t)INT64_MAX)
		return (int64_t)v;
	return -(int64_t)(~v) - 1;
}

/* sat_add - a + b, stopping at the maximum instead of wrapping */
static uint64_t
sat_add(uint64_t a, uint64_t b)
{
	return a + b < a ? UINT64_MAX : a + b;
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

/* lower_into - ASCII lower-case copy of len bytes at dst (no locale) */
static void
lower_into(char *dst, const char *src, size_t len)
{
	size_t	i;

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

	strmap_free(c->exact);
	distinct_free(c->keys);
	for (i = 0; i < c->sample_count; i++)
		free(c->sample[i].key);
	free(c->sample);
	memset(c, 0, sizeof(*c));
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
	void	*value;

	assert(c->keys == NULL);
	c->keys = distinct_new();
	c->sample = xcalloc(AGGREGATOR_COUNTER_SAMPLE, sizeof(*c->sample));
	c->sample_count = 0;
	if (c->exact == NULL)
		return;
	while (strmap_next(c->exact, &pos, &key, &keylen, &value)) {
		uint64_t fp = hash_fingerprint(key, keylen);

		distinct_add(c->keys, fp);
		sample_offer(c, fp, key, keylen, *(const uint64_t *)value);
	}
	strmap_free(c->exact);
	c->exact = NULL;
}

/*
 * counter_add - add n to key's count, creating the map lazily; the
 * key that makes the map one larger than the cap turns it capped.
 */
static void
counter_add(struct counter *c, const char *key, size_t keylen, uint64_t n)
{
	void	**slot;
	bool	 created;

	if (c->keys != NULL) {
		uint64_t fp = hash_fingerprint(key, keylen);

		distinct_add(c->keys, fp);
		sample_offer(c, fp, key, keylen, n);
		return;
	}
	if (c->exact == NULL)
		c->exact = strmap_new(free);
	slot = strmap_slot(c->exact, key, keylen, &created);
	if (created)
		*slot = xcalloc(1, sizeof(uint64_t));
	*(uint64_t *)*slot += n;
	if (created && strmap_count(c->exact) > AGGREGATOR_COUNTER_EXACT_MAX)
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
	void	*value;

	if (from->keys == NULL) {
		if (from->exact == NULL)
			return;
		while (strmap_next(from->exact, &pos, &key, &keylen, &value))
			counter_add(into, key, keylen,
			    *(const uint64_t *)value);
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
	return c->exact != NULL ? strmap_count(c->exact) : 0;
}

/* counter_memory - bytes a counter map holds */
static size_t
counter_memory(const struct counter *c)
{
	size_t	n = 0, i;

	if (c->exact != NULL)
		n += strmap_memory(c->exact) +
		    strmap_count(c->exact) * sizeof(uint64_t);
	if (c->keys != NULL) {
		n += distinct_memory(c->keys) +
		    AGGREGATOR_COUNTER_SAMPLE * sizeof(*c->sample);
		for (i = 0; i < c->sample_count; i++)
			n += c->sample[i].keylen + 1;
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
	distinct_free(acct->recipients_seen);
	u64map_free(acct->clock_hours);
	counter_free(&acct->domains);
	counter_free(&acct->senders);
	counter_free(&acct->client_ips);
	free(acct->key);
	free(acct);
}

/*
 * account_get - find or create the account kind:key; key is taken as
 * given (callers lower-case SASL and local keys first).
 */
static struct account *
account_get(struct aggregator *agg, enum account_kind kind,
    const char *key, size_t keylen)
{
	char	*buf = reserve(&agg->keybuf, &agg->keybuf_size, keylen + 2);
	void	**slot;
	bool	 created;

	buf[0] = kind_char(kind);
	buf[1] = ':';
	memcpy(buf + 2, key, keylen);
	slot = strmap_slot(agg->accounts, buf, keylen + 2, &created);
	if (created)
		*slot = account_new(kind, key, keylen);
	return *slot;
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
	return strcmp(a->first_recipient, b->first_recipient);
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
	    strlen(s->sender) + strlen(s->first_recipient) + 4;

	if (s->message_id != NULL)
		n += strlen(s->message_id) + 1;
	return n;
}

/* sample_copy - an owned copy of a sample in one allocation */
static struct stored_sample
sample_copy(const struct account_sample *s)
{
	struct stored_sample out;
	size_t	 size;
	char	*p;

	size = stored_sample_size(s);
	out.storage = p = xmalloc(size);
	out.view.time_sec = s->time_sec;
	out.view.host = copy_field(&p, s->host);
	out.view.queue_id = copy_field(&p, s->queue_id);
	out.view.message_id = s->message_id != NULL ?
	    copy_field(&p, s->message_id) : NULL;
	out.view.sender = copy_field(&p, s->sender);
	out.view.first_recipient = copy_field(&p, s->first_recipient);
	return out;
}

/*
 * samples_offer - keep s if it is among the ACCOUNT_MAX_SAMPLES
 * smallest.  Logs are read mostly in time order, so the usual case is
 * one comparison and no copy.
 */
static void
samples_offer(struct account *acct, const struct account_sample *s)
{
	size_t	n = acct->sample_count;
	size_t	i;

	if (n == ACCOUNT_MAX_SAMPLES &&
	    sample_cmp(s, &acct->samples[n - 1].view) >= 0)
		return;
	for (i = 0; i < n; i++)
		if (sample_cmp(s, &acct->samples[i].view) < 0)
			break;
	if (n == ACCOUNT_MAX_SAMPLES)
		free(acct->samples[--n].storage);
	memmove(&acct->samples[i + 1], &acct->samples[i],
	    (n - i) * sizeof(acct->samples[0]));
	acct->samples[i] = sample_copy(s);
	acct->sample_count = n + 1;
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
	free(e->text);
	e->text = xmemdup0(text, len);
	e->len = len;
	e->hash = hash;
	e->class = classifier_classify(agg->cls, text, len);
	return e->class;
}

/* count_recipient - one recipient entry of a message */
static void
count_recipient(struct aggregator *agg, struct account *acct,
    const struct message *msg, const struct recipient *rcpt)
{
	const char *at;
	char	*low;
	size_t	 len;
	bool	 is_failure = true;

	acct->recipients++;
	acct->deferral_attempts += rcpt->deferrals;
	if (is_set(rcpt->address)) {
		/* Mailbox names are caseless in practice; compare them
		   so, and count a domain per recipient entry. */
		len = strlen(rcpt->address);
		low = reserve(&agg->addrbuf, &agg->addrbuf_size, len + 1);
		lower_into(low, rcpt->address, len);
		low[len] = '\0';
		if (acct->recipients_seen == NULL)
			acct->recipients_seen = distinct_new();
		distinct_add(acct->recipients_seen,
		    hash_fingerprint(low, len));
		at = strrchr(low, '@');
		if (at != NULL && at[1] != '\0')
			counter_add(&acct->domains, at + 1,
			    len - (size_t)(at + 1 - low), 1);
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
		if (msg->expired)
			acct->expired++;
		else
			acct->deferred++;
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
		acct->remote_rejections[class]++;
	}
}

/* count_message - a message submitted by acct */
static void
count_message(struct aggregator *agg, struct account *acct,
    const struct message *msg)
{
	struct account_sample sample;
	size_t	i;

	acct->messages++;
	touch(acct, msg->first_sec, msg->last_sec);
	acct->size_bytes = sat_add(acct->size_bytes, msg->size_bytes);
	acct->local_rejections += msg->local_rejects;
	if (!msg->is_complete)
		acct->incomplete_messages++;
	acct->messages_by_hour[hour_of_day(agg, msg->first_sec)]++;
	if (acct->clock_hours == NULL)
		acct->clock_hours = u64map_new();
	u64map_add(acct->clock_hours, hour_key(msg->first_sec), 1);
	if (msg->sender != NULL) {
		size_t	 len = strlen(msg->sender);
		char	*low;

		if (len == 0) {
			counter_add(&acct->senders, "<>", 2, 1);
		} else {
			low = reserve(&agg->addrbuf, &agg->addrbuf_size, len);
			lower_into(low, msg->sender, len);
			counter_add(&acct->senders, low, len, 1);
		}
	}
	if (is_set(msg->client_ip))
		counter_add(&acct->client_ips, msg->client_ip,
		    strlen(msg->client_ip), 1);
	for (i = 0; i < msg->recipient_count; i++)
		count_recipient(agg, acct, msg, &msg->recipients[i]);

	sample.time_sec = msg->first_sec;
	sample.host = or_empty(msg->host);
	sample.queue_id = or_empty(msg->queue_id);
	sample.message_id = msg->message_id;
	sample.sender = or_empty(msg->sender);
	sample.first_recipient = msg->recipient_count > 0 ?
	    or_empty(msg->recipients[0].address) : "";
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
	agg->accounts = strmap_new(account_free);
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
	free(agg->keybuf);
	free(agg->addrbuf);
	free(agg);
}

/* aggregator_add - attribute one record and count it */
void
aggregator_add(struct aggregator *agg, const struct message *msg)
{
	struct account *acct;

	agg->stats.records++;
	switch (msg->kind) {
	case RECORD_MESSAGE:
		if (msg->origin == ORIGIN_BOUNCE) {
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
			agg->stats.messages_unattributed++;
			return;
		}
		agg->stats.messages_attributed++;
		count_message(agg, acct, msg);
		break;
	case RECORD_REJECT:
		acct = session_account(agg, msg);
		if (acct == NULL) {
			agg->stats.rejects_unattributed++;
			return;
		}
		agg->stats.rejects_attributed++;
		acct->local_rejections++;
		touch(acct, msg->first_sec, msg->last_sec);
		break;
	case RECORD_AUTH_FAILURE:
		acct = session_account(agg, msg);
		if (acct == NULL) {
			agg->stats.auth_failures_unattributed++;
			return;
		}
		agg->stats.auth_failures_attributed++;
		acct->auth_failures++;
		touch(acct, msg->first_sec, msg->last_sec);
		break;
	}
}

/* u64map_merge_lazy - u64map_merge creating *into when needed */
static void
u64map_merge_lazy(struct u64map **into, const struct u64map *from)
{
	if (from == NULL)
		return;
	if (*into == NULL)
		*into = u64map_new();
	u64map_merge(*into, from);
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
	into->incomplete_messages += from->incomplete_messages;
	into->size_bytes = sat_add(into->size_bytes, from->size_bytes);
	for (i = 0; i < 24; i++)
		into->messages_by_hour[i] += from->messages_by_hour[i];
	if (from->first_seen_sec < into->first_seen_sec)
		into->first_seen_sec = from->first_seen_sec;
	if (from->last_seen_sec > into->last_seen_sec)
		into->last_seen_sec = from->last_seen_sec;
	if (from->recipients_seen != NULL) {
		if (into->recipients_seen == NULL)
			into->recipients_seen = distinct_new();
		distinct_merge(into->recipients_seen, from->recipients_seen);
	}
	u64map_merge_lazy(&into->clock_hours, from->clock_hours);
	counter_merge(&into->domains, &from->domains);
	counter_merge(&into->senders, &from->senders);
	counter_merge(&into->client_ips, &from->client_ips);
	for (i = 0; i < from->sample_count; i++)
		samples_offer(into, &from->samples[i].view);
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
	while (aggregator_next(from, &pos, &acct))
		account_merge(account_get(into, acct->kind, acct->key,
		    strlen(acct->key)), acct);
	s->records += f->records;
	s->messages_attributed += f->messages_attributed;
	s->messages_unattributed += f->messages_unattributed;
	s->relay_bounces += f->relay_bounces;
	s->inbound_local += f->inbound_local;
	s->rejects_attributed += f->rejects_attributed;
	s->auth_failures_attributed += f->auth_failures_attributed;
	s->rejects_unattributed += f->rejects_unattributed;
	s->auth_failures_unattributed += f->auth_failures_unattributed;
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

	if (acct->recipients_seen != NULL)
		n += distinct_memory(acct->recipients_seen);
	if (acct->clock_hours != NULL)
		n += u64map_memory(acct->clock_hours);
	n += counter_memory(&acct->domains);
	n += counter_memory(&acct->senders);
	n += counter_memory(&acct->client_ips);
	for (i = 0; i < acct->sample_count; i++)
		n += stored_sample_size(&acct->samples[i].view);
	return n;
}

/* aggregator_memory - the aggregator, its caches and every account */
size_t
aggregator_memory(const struct aggregator *agg)
{
	const struct account *acct;
	size_t	n, i, pos = 0;

	n = sizeof(*agg) + strmap_memory(agg->accounts) + agg->keybuf_size +
	    agg->addrbuf_size;
	for (i = 0; i < CLASS_CACHE_SIZE; i++)
		if (agg->class_cache[i].text != NULL)
			n += agg->class_cache[i].len + 1;
	while (aggregator_next(agg, &pos, &acct))
		n += account_memory(acct);
	return n;
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

/* account_features - the numbers the scorer and the report use */
void
account_features(const struct account *acct, struct account_features *out)
{
	memset(out, 0, sizeof(*out));
	out->messages = acct->messages;
	out->recipients = acct->recipients;
	out->distinct_recipients = acct->recipients_seen != NULL ?
	    distinct_count(acct->recipients_seen) : 0;
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
	out->peak_hour_messages = acct->clock_hours != NULL ?
	    u64map_max(acct->clock_hours) : 0;
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
 * counters_sorted - a counter map's entries (every key, or the sample
 * when capped) as an array; caller frees
 */
static struct named_count *
counters_sorted(const struct counter *c, size_t *count,
    int (*cmp)(const void *, const void *))
{
	struct named_count *all;
	const char *key;
	size_t	 n = 0, pos = 0, i;
	void	*value;

	if (c->keys != NULL)
		*count = c->sample_count;
	else
		*count = c->exact != NULL ? strmap_count(c->exact) : 0;
	all = xcalloc(*count > 0 ? *count : 1, sizeof(*all));
	if (c->keys != NULL) {
		for (i = 0; i < c->sample_count; i++) {
			all[n].name = c->sample[i].key;
			all[n].count = c->sample[i].count;
			n++;
		}
	} else if (c->exact != NULL) {
		while (strmap_next(c->exact, &pos, &key, NULL, &value)) {
			all[n].name = key;
			all[n].count = *(const uint64_t *)value;
			n++;
		}
	}
	qsort(all, n, sizeof(*all), cmp);
	return all;
}

/* top_counters - the max largest counters of a map (or its sample) */
static size_t
top_counters(const struct counter *c, const char **names,
    uint64_t *counts, size_t max)
{
	struct named_count *all;
	size_t	 n, i;

	all = counters_sorted(c, &n, named_count_by_count);
	if (n > max)
		n = max;
	for (i = 0; i < n; i++) {
		names[i] = all[i].name;
		counts[i] = all[i].count;
	}
	free(all);
	return n;
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

/* account_samples - the earliest messages */
size_t
account_samples(const struct account *acct, struct account_sample *out,
    size_t max)
{
	size_t	i, n = acct->sample_count < max ? acct->sample_count : max;

	for (i = 0; i < n; i++)
		out[i] = acct->samples[i].view;
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

/* counter_json_set - a counter map's members of the dump */
static void
counter_json_set(json_t *obj, const char *name, const char *keys_name,
    const struct counter *c)
{
	json_object_set_new(obj, name, counters_json(c));
	if (c->keys != NULL)
		json_object_set_new(obj, keys_name, distinct_json(c->keys));
}

struct hour_count {
	int64_t		hour;
	uint64_t	count;
};

/* hour_count_cmp - by hour */
static int
hour_count_cmp(const void *a, const void *b)
{
	const struct hour_count *x = a, *y = b;

	return x->hour < y->hour ? -1 : x->hour > y->hour;
}

/* clock_hours_json - [[hour start, messages], ...] in time order */
static json_t *
clock_hours_json(const struct u64map *hours)
{
	struct hour_count *all;
	uint64_t key, value;
	json_t	*arr = json_array();
	size_t	 n, i = 0, pos = 0;

	if (hours == NULL)
		return arr;
	n = u64map_count(hours);
	all = xcalloc(n > 0 ? n : 1, sizeof(*all));
	while (u64map_next(hours, &pos, &key, &value)) {
		all[i].hour = hour_from_key(key);
		all[i].count = value;
		i++;
	}
	qsort(all, i, sizeof(*all), hour_count_cmp);
	for (n = 0; n < i; n++) {
		/* Only the hour holding INT64_MIN starts before it. */
		int64_t start = all[n].hour < INT64_MIN / 3600 ? INT64_MIN :
		    all[n].hour * 3600;

		json_array_append_new(arr, json_pack("[Io]",
		    (json_int_t)start, json_u64(all[n].count)));
	}
	free(all);
	return arr;
}

/* samples_json - the kept samples in order */
static json_t *
samples_json(const struct account *acct)
{
	json_t	*arr = json_array(), *obj;
	size_t	 i;

	for (i = 0; i < acct->sample_count; i++) {
		const struct account_sample *s = &acct->samples[i].view;

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
		json_array_append_new(arr, obj);
	}
	return arr;
}

/* account_json - every figure of one account */
static json_t *
account_json(const struct account *acct)
{
	struct account_features f;
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
	    distinct_json(acct->recipients_seen));
	json_object_set_new(obj, "distinct_domains",
	    json_u64(f.distinct_domains));
	counter_json_set(obj, "domains", "domain_keys", &acct->domains);
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
	json_object_set_new(obj, "distinct_client_ips",
	    json_u64(f.distinct_client_ips));
	counter_json_set(obj, "client_ips", "client_ip_keys",
	    &acct->client_ips);
	json_object_set_new(obj, "auth_failures", json_u64(f.auth_failures));
	json_object_set_new(obj, "incomplete_messages",
	    json_u64(f.incomplete_messages));
	json_object_set_new(obj, "size_bytes", json_u64(f.size_bytes));
	hours = json_array();
	for (i = 0; i < 24; i++)
		json_array_append_new(hours, json_u64(f.messages_by_hour[i]));
	json_object_set_new(obj, "messages_by_hour", hours);
	json_object_set_new(obj, "clock_hours",
	    clock_hours_json(acct->clock_hours));
	json_object_set_new(obj, "peak_hour_messages",
	    json_u64(f.peak_hour_messages));
	json_object_set_new(obj, "first_seen_sec",
	    json_integer(f.first_seen_sec));
	json_object_set_new(obj, "last_seen_sec",
	    json_integer(f.last_seen_sec));
	json_object_set_new(obj, "samples", samples_json(acct));
	return obj;
}

/* account_order - by kind, then key bytes */
static int
account_order(const void *a, const void *b)
{
	const struct account *x = *(const struct account *const *)a;
	const struct account *y = *(const struct account *const *)b;

	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	return strcmp(x->key, y->key);
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
	qsort(all, i, sizeof(*all), account_order);
	for (n = 0; n < i; n++)
		json_array_append_new(arr, account_json(all[n]));
	free(all);
	json_object_set_new(root, "stats", stats_json(&agg->stats));
	json_object_set_new(root, "accounts", arr);
	return root;
}
