/*
 * aggregator - per-account behaviour, built from messages.
 *
 * Fifth stage.  Each record from the correlator is attributed to the
 * account that submitted it: the SASL username when the client
 * authenticated (compared case-insensitively), else the client's IP
 * address, else for a local submission the envelope sender.  Mail the
 * relay generated itself (bounces) and inbound mail delivered only to
 * local mailboxes belong to no subscriber and are only counted.
 *
 * Aggregates are mergeable: every field is a sum, a minimum, a
 * maximum, or a set or counter map whose merge is a union, so
 * aggregator_merge() of the aggregates of two parts of the input gives
 * exactly what one pass over all of it gives.  Parallel and
 * distributed runs rest on this; a unit test checks it.
 *
 * Memory is bounded per account, whatever a spam run does: distinct
 * recipients are counted exactly up to DISTINCT_EXACT_MAX (1024), then
 * estimated by a 16 KiB HyperLogLog sketch (util/distinct.h, within
 * about 1%), and so are (client IP, HELO) pairs and client networks.
 * The counter maps (recipient domains, recipients, senders, sender
 * domains, client addresses) are exact up to
 * AGGREGATOR_COUNTER_EXACT_MAX keys; past that a map keeps a distinct
 * counter of its keys (the distinct_* features) and a uniform sample
 * of AGGREGATOR_COUNTER_SAMPLE keys with their exact counts.
 * Recipients are kept as fingerprints whose counts stop at two
 * (util/fpcount.h): the features need how many there are and how many
 * were mailed again, never the addresses.  Both switches depend only
 * on the set of values seen, never on the order or the split, so
 * merging stays exact (aggregator.c argues it).  The time-slot maps
 * (messages per minute, from which clock hours and 10-minute slots are
 * read; recipients per hour; failed-login slots) hold one counter per
 * slot the account was active in: at most 1,440 minutes a day, so they
 * grow with the span of the run, not with the volume.
 *
 * Ownership: the aggregator owns its accounts; account pointers and
 * the strings reached through them are borrowed until the aggregator
 * is changed or freed.  The classifier is borrowed for the
 * aggregator's lifetime and must not be extended (classifier_add)
 * meanwhile: the aggregator remembers the classes of recent texts.
 */
#ifndef ZS_AGGREGATOR_H
#define ZS_AGGREGATOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "analysis/classify.h"
#include "analysis/message.h"

struct aggregator;
struct account;
struct wire_buf;		/* util/wire.h */
struct wire_reader;

enum account_kind {
	ACCOUNT_SASL,		/* authenticated username */
	ACCOUNT_IP,		/* IP-authorised client address */
	ACCOUNT_LOCAL		/* local submission, by envelope sender */
};

/* Numbers the scorer and the report use; all mergeable sums/min/max. */
struct account_features {
	uint64_t	messages;
	uint64_t	recipients;		/* deliveries attempted */
	uint64_t	distinct_recipients;
	uint64_t	distinct_domains;	/* of recipients */
	uint64_t	sent;			/* recipients, final outcome */
	uint64_t	bounced;
	uint64_t	deferred;		/* still deferred at the end */
	uint64_t	expired;
	uint64_t	deferral_attempts;
	uint64_t	remote_rejections[RESPONSE_CLASS_COUNT];
						/* bounced, deferred or
						   expired recipients by
						   reply class (RESPONSE_NONE:
						   nothing notable) */
	uint64_t	local_rejections;	/* by this relay */
	uint64_t	distinct_senders;	/* envelope senders */
	uint64_t	distinct_client_ips;
	uint64_t	auth_failures;
	uint64_t	incomplete_messages;
	uint64_t	size_bytes;		/* sum over messages */
	uint64_t	messages_by_hour[24];	/* hour of day, local time */
	uint64_t	peak_hour_messages;	/* busiest clock hour */
	uint64_t	peak_hour_recipients;	/* most recipients in one
						   clock hour */
	uint64_t	max_message_recipients;	/* largest message */
	uint64_t	repeated_recipients;	/* distinct recipients in two
						   or more messages */
	uint64_t	distinct_sender_domains; /* of envelope senders */
	uint64_t	message_ids_added;	/* messages without their own
						   Message-ID */
	uint64_t	peak_minute_messages;	/* busiest minute */
	uint64_t	peak_10min_messages;	/* busiest 10 minutes */
	uint64_t	sized_messages;		/* with a size logged */
	double		size_cv;		/* coefficient of variation of
						   the sizes; -1: unknown */
	uint64_t	helo_records;		/* records with a HELO name */
	uint64_t	helo_ip_literals;	/* of them, an address */
	uint64_t	helo_random;		/* random-looking names */
	uint64_t	helo_changes;		/* (client IP, HELO) pairs
						   beyond one per address */
	uint64_t	distinct_client_networks; /* /24s and /48s */
	uint64_t	logins_after_failures;	/* 10-minute slots with a
						   login after a failure */
	uint64_t	local_rate_limits;	/* local rejections for rate */
	int64_t		first_seen_sec;
	int64_t		last_seen_sec;
};

struct aggregator_stats {
	uint64_t	records;
	uint64_t	messages_attributed;
	uint64_t	messages_unattributed;	/* origin unknown, or no
						   username, address or
						   sender to go by */
	uint64_t	relay_bounces;		/* generated by the relay */
	uint64_t	inbound_local;		/* delivered locally only */
	uint64_t	rejects_attributed;
	uint64_t	auth_failures_attributed;
	uint64_t	rejects_unattributed;	/* no username, no address */
	uint64_t	auth_failures_unattributed;
	uint64_t	records_dropped;	/* of accounts past the account
						   cap (aggregator_set_max_accounts);
						   counted nowhere else */
};

/* One evidence sample: a message an analyst can look up. */
struct account_sample {
	int64_t		 time_sec;
	const char	*host;
	const char	*queue_id;
	const char	*message_id;	/* may be NULL */
	const char	*sender;
	const char	*first_recipient;
	const char	*client;	/* the client's address, as logged */
};

#define ACCOUNT_MAX_SAMPLES	5

/*
 * One evidence refusal: an attempt this relay refused (RECORD_REJECT)
 * or a failed login (RECORD_AUTH_FAILURE), for an account whose
 * messages, if any, say little.  No string is NULL: "" when the log
 * did not say.
 */
struct account_refusal {
	int64_t		 time_sec;
	const char	*host;		/* the relay that logged it */
	const char	*command;	/* "RCPT", "MAIL", "DATA", ...;
					   "AUTH" for a failed login */
	const char	*sender;	/* the envelope sender given, "<>"
					   for the null sender */
	const char	*recipient;	/* the recipient refused */
	const char	*username;	/* the SASL name tried or used */
	const char	*text;		/* the relay's reply */
	const char	*client;	/* the client's address, as logged */
};

#define ACCOUNT_MAX_REFUSALS	5

/*
 * One evidence remote rejection: a recipient a remote server refused
 * (bounced, or deferred until the message expired or the input ended)
 * with a reply of the class blocklist, spam, reputation or rate limit:
 * what the receiving side thought of the mail, in its own words.  No
 * string is NULL: "" when the log did not say.
 */
struct account_remote_rejection {
	int64_t		 time_sec;	/* of the line that logged the reply */
	enum response_class class;	/* of the reply (or its DSN code) */
	enum delivery_status outcome;	/* DELIVERY_BOUNCED, _DEFERRED
					   (still queued at the end) or
					   _EXPIRED (the relay gave up) */
	const char	*host;		/* the relay that logged it */
	const char	*queue_id;
	const char	*sender;	/* the envelope sender, "<>" for the
					   null sender */
	const char	*recipient;
	const char	*dsn;		/* the RFC 3463 status code */
	const char	*reply;		/* the remote server's reply */
};

/*
 * Remote rejections kept per class, and in all (four classes): a run
 * of blocklist refusals does not hide the first refusal as spam.
 */
#define ACCOUNT_REMOTE_PER_CLASS	2
#define ACCOUNT_MAX_REMOTE_REJECTIONS	(4 * ACCOUNT_REMOTE_PER_CLASS)

/*
 * A counter map holds every key while it has at most
 * AGGREGATOR_COUNTER_EXACT_MAX of them (a table of 2048 slots of 8
 * bytes, and 10 bytes plus the key for each key: up to about 70 KiB
 * for addresses); past that it holds the distinct counter of its keys
 * and the AGGREGATOR_COUNTER_SAMPLE keys with the smallest
 * fingerprints (about 20 KiB).
 */
#define AGGREGATOR_COUNTER_EXACT_MAX	1024
#define AGGREGATOR_COUNTER_SAMPLE	64

/*
 * The client address, sender and recipient domain maps also keep up to
 * this many of their uses (a message; a recipient for domains), one in
 * 64 of them chosen by a hash of the message: what the busiest keys of
 * a capped map are estimated from (account_busiest_senders()).
 */
#define AGGREGATOR_OCCURRENCE_SAMPLE	256

/* aggregator_new - empty; cls borrowed; free with aggregator_free() */
struct aggregator *aggregator_new(const struct classifier *cls);

/*
 * aggregator_set_max_accounts - hold at most max accounts (0: no
 * limit, the default).  Once the cap is reached a record of an account
 * not yet held is dropped: counted in records_dropped and its account
 * key in aggregator_accounts_dropped(), nothing else, so that a flood
 * of new usernames or addresses cannot grow memory without bound.
 * Merging obeys the cap of into: an account of from that into does not
 * hold and has no room for is dropped with all its records (they move
 * from the *_attributed counters to records_dropped).  While the union
 * of the accounts stays within the cap merging is exact, as ever; past
 * it, which accounts are kept depends on the order the records and
 * parts came in, but every record is still counted exactly once.
 */
void		aggregator_set_max_accounts(struct aggregator *agg,
		    size_t max);

/*
 * aggregator_accounts_dropped - the number of distinct accounts that
 * had records dropped at the cap: exact up to 1024, estimated (within
 * about 1%) beyond; mergeable
 */
uint64_t	aggregator_accounts_dropped(const struct aggregator *agg);

/* aggregator_free - free every account; NULL is a no-op */
void		aggregator_free(struct aggregator *agg);

/* aggregator_add - attribute and count one record */
void		aggregator_add(struct aggregator *agg,
		    const struct message *msg);

/* aggregator_merge - add everything in from into into (from unchanged) */
void		aggregator_merge(struct aggregator *into,
		    const struct aggregator *from);

/* aggregator_account_count - number of accounts */
size_t		aggregator_account_count(const struct aggregator *agg);

/* aggregator_next - iterate accounts from *pos = 0 until false */
bool		aggregator_next(const struct aggregator *agg, size_t *pos,
		    const struct account **acct);

/* aggregator_find - an account by kind and key (key as reported) */
const struct account *aggregator_find(const struct aggregator *agg,
		    enum account_kind kind, const char *key);

/* aggregator_stats - counters; borrowed */
const struct aggregator_stats *aggregator_stats(const struct aggregator *agg);

/*
 * aggregator_memory - bytes held by the aggregator and its accounts
 * (tables, keys, counters, sketches and samples; allocator overhead
 * not included)
 */
size_t		aggregator_memory(const struct aggregator *agg);

/*
 * aggregator_to_json - a canonical dump of every account (sorted):
 * equal aggregates give equal dumps.  Distinct counters appear as
 * {"exact": [sorted hex fingerprints]} or {"hll": "<base64 of the
 * registers>"} (recipient_fingerprints); a counter map past its cap
 * appears as its sample (domains, senders, client_ips) plus the
 * distinct counter of its keys (domain_keys, sender_keys,
 * client_ip_keys, sender_domain_keys, present only past the cap);
 * domain_uses, sender_uses and client_ip_uses are the occurrence
 * samples, [[hex rank, key], ...], present once a use is sampled.
 * contacts is [[hex fingerprint, 1 or 2], ...] ascending: every
 * recipient, or past the cap the sample (2: mailed more than once).
 * clock_hours and ten_minutes are read from minutes.
 * New reference; caller decrefs.
 */
json_t		*aggregator_to_json(const struct aggregator *agg);

/*
 * aggregator_save - every account (all its figures, sets, sketches,
 * counter maps and samples), the keys of accounts dropped at the cap
 * and the counters, in util/wire.h form (doc/partial-format.md).  The
 * classifier, the account cap and caches are settings of a run, not
 * saved.
 */
void		 aggregator_save(const struct aggregator *agg,
		    struct wire_buf *buf);

/*
 * aggregator_load - read what aggregator_save() wrote into agg, which
 * must be empty (fresh from aggregator_new()).  false, r failed, when
 * the bytes are not such an aggregate (a count, length, kind or order
 * out of range, a repeated key, a different build's field count);
 * agg then holds part of it and is only fit to be freed.  Memory grows
 * with the bytes actually read, never with a claimed count.  legacy:
 * the bytes are in the layout of partial formats before 6, whose
 * recipients were a counter map of addresses (doc/partial-format.md);
 * their fingerprints are what is kept.  with_client: the samples hold
 * the client's address (formats from 7 on); without, it is "".
 */
bool		 aggregator_load(struct aggregator *agg, struct wire_reader *r,
		    bool legacy, bool with_client);

/* account_key - "alice@example.net", "192.0.2.7"; borrowed */
const char	*account_key(const struct account *acct);

/* account_kind - how the account was identified */
enum account_kind account_kind(const struct account *acct);

/* account_kind_name - "sasl", "ip", "local" */
const char	*account_kind_name(enum account_kind kind);

/*
 * account_features - fill *out.  distinct_recipients, distinct_domains,
 * distinct_senders and distinct_client_ips are exact up to 1024 and
 * estimated (within about 1%) beyond.
 */
void		account_features(const struct account *acct,
		    struct account_features *out);

/*
 * account_days_active - the UTC days (days since the epoch) from
 * from_day on in which the account submitted a message, counted by the
 * minutes its messages were first seen in
 */
uint64_t	account_days_active(const struct account *acct,
		    int64_t from_day);

/* account_memory - bytes held by one account (see aggregator_memory) */
size_t		account_memory(const struct account *acct);

/*
 * account_top_client_ips, account_top_senders, account_top_domains -
 * up to max entries, most messages first (ties by name), names
 * borrowed.  Return the number filled.  While the account has at most
 * AGGREGATOR_COUNTER_EXACT_MAX distinct keys of the kind these are the
 * true top entries.  Past that cap they are taken from a uniform
 * sample of AGGREGATOR_COUNTER_SAMPLE keys (those with the smallest
 * fingerprints), each with its exact count, sorted the same way: a
 * sample of what the account used, not necessarily its busiest.
 */
size_t		account_top_client_ips(const struct account *acct,
		    const char **names, uint64_t *counts, size_t max);
size_t		account_top_senders(const struct account *acct,
		    const char **names, uint64_t *counts, size_t max);
size_t		account_top_domains(const struct account *acct,
		    const char **names, uint64_t *counts, size_t max);
/* account_top_sender_domains - likewise, the envelope senders' domains */
size_t		account_top_sender_domains(const struct account *acct,
		    const char **names, uint64_t *counts, size_t max);

/*
 * account_busiest_client_ips, account_busiest_senders,
 * account_busiest_domains - the evidence lists, up to max entries,
 * most first, ties by name, names borrowed; the number filled.  While
 * the map is exact, account_top_*'s entries, none estimated.  Past the
 * cap, the names used three times or more in the map's occurrence
 * sample, each with its count estimated (estimated[i] true) as its
 * share of the sampled uses times the account's messages (recipients
 * for domains), rounded, or with its exact count when the map's
 * uniform key sample holds it; and the key sample's names with their
 * exact counts.  (Partials of format 9 and older have no occurrence
 * sample: the key sample alone, as account_top_*.)
 */
size_t		account_busiest_client_ips(const struct account *acct,
		    const char **names, uint64_t *counts, bool *estimated,
		    size_t max);
size_t		account_busiest_senders(const struct account *acct,
		    const char **names, uint64_t *counts, bool *estimated,
		    size_t max);
size_t		account_busiest_domains(const struct account *acct,
		    const char **names, uint64_t *counts, bool *estimated,
		    size_t max);

/*
 * account_samples - the earliest messages (up to ACCOUNT_MAX_SAMPLES,
 * by time, host, queue ID: the same whatever the merge order);
 * strings borrowed.  Returns the number filled.
 */
size_t		account_samples(const struct account *acct,
		    struct account_sample *out, size_t max);

/*
 * account_refusals - the earliest refusals and failed logins (up to
 * ACCOUNT_MAX_REFUSALS, by time, then the other fields); strings
 * borrowed.  Returns the number filled.
 */
size_t		account_refusals(const struct account *acct,
		    struct account_refusal *out, size_t max);

/*
 * aggregator_save_refusals, aggregator_load_refusals - every account's
 * refusals, as a list of its own (a partial file keeps them in a
 * section of their own, doc/partial-format.md).  Loading attaches them
 * to accounts aggregator_load() made: false when the list names an
 * account it does not hold, or is out of order or damaged.  Lists
 * saved before refusals kept the client's address (partial format 6
 * and older) are loaded with with_client false: the address is "".
 */
void		aggregator_save_refusals(const struct aggregator *agg,
		    struct wire_buf *buf);
bool		aggregator_load_refusals(struct aggregator *agg,
		    struct wire_reader *r, bool with_client);

/*
 * account_remote_rejections - of each class, the earliest
 * ACCOUNT_REMOTE_PER_CLASS remote rejections (by time, then the other
 * fields), all in that order; strings borrowed.  Returns the number
 * filled.
 */
size_t		account_remote_rejections(const struct account *acct,
		    struct account_remote_rejection *out, size_t max);

/*
 * aggregator_save_remote, aggregator_load_remote - every account's
 * remote rejections, as a list of its own, as the refusals are kept
 * (partial format 8 and later).
 */
void		aggregator_save_remote(const struct aggregator *agg,
		    struct wire_buf *buf);
bool		aggregator_load_remote(struct aggregator *agg,
		    struct wire_reader *r);

/*
 * aggregator_save_uses, aggregator_load_uses - the occurrence samples
 * of every account's client address, sender and recipient domain maps,
 * as a list of their own (partial format 10 and later)
 */
void		aggregator_save_uses(const struct aggregator *agg,
		    struct wire_buf *buf);
bool		aggregator_load_uses(struct aggregator *agg,
		    struct wire_reader *r);

#endif
