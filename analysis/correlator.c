/*
 * correlator - join log events into messages (see correlator.h).
 *
 * Data layout.  Every record, open or ready, lives in a struct entry
 * that wraps the public struct message with the links the correlator
 * needs.  Open messages are found through a strmap keyed by
 * host '\0' queue ID, which holds the queue IDs closed moments ago
 * (tombstones) too; they sit on two lists ordered by last activity
 * (least recent first): one for the whole correlator, used to stay
 * under max_open, and one per relay host, used for idle expiry.  Once
 * handed out an entry leaves the table and waits on the ready FIFO.
 *
 * Idle time is measured against the newest line of the same relay
 * host, not of the whole input: files of several relays are usually
 * read one relay after the other, and the second relay's messages must
 * not look days old against the first relay's last line.
 *
 * A record's strings and recipient array are allocated from an arena of
 * its own that starts inside the entry; nothing in it is freed before
 * the whole record is (see ENTRY_BLOCK).
 *
 * SMTP sessions are keyed by host '\0' pid (the pid's 8 bytes) and kept
 * on the same two kinds of lists.  Both tables borrow their keys
 * (strmap_new_borrowing()): a message's lives in its arena, then in
 * its tombstone, a session's at the end of the session itself, so a
 * key costs no malloc nor free of its own (but for the rare tombstone
 * of a very long one).  Hosts are interned and reference counted by
 * the entries and sessions that name them, so a record's host string
 * stays valid until the record itself is freed.
 */
#include "config.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "analysis/correlator.h"
#include "util/arena.h"
#include "util/cidr.h"
#include "util/hash.h"
#include "util/strmap.h"
#include "util/xalloc.h"
#include "util/zstr.h"

#define DEFAULT_MAX_OPEN	1000000
#define DEFAULT_MAX_SESSIONS	100000
#define DEFAULT_MAX_IDLE_SEC	(6 * 24 * 3600)
#define DEFAULT_MAX_RECIPIENTS	100000


/* Past this many recipients a message looks its recipients up through
   a hash index (in its arena, keyed with the process secret: addresses
   come from senders) instead of a linear scan. */
#define RCPT_INDEX_MIN		16

/*
 * Every string and the recipient array of a record live in its arena
 * (util/arena.h), which starts in ENTRY_BLOCK bytes inside the entry:
 * a Postfix message with one or two recipients (queue ID, client,
 * HELO, sender, Message-ID, per recipient the address, transport, DSN
 * and response) fits, about three in four messages of a relay's day.
 * Released entries wait on a free list, at most FREE_ENTRIES_MAX of
 * them, for the next record (released tombstones likewise on a list
 * of their own): the number of open messages of an Exim relay rises
 * and falls by hundreds, and a list that keeps a thousand (1.2 MiB)
 * spares all but a few of those records their malloc and free.  The
 * blocks a large record's arena adds go back to the correlator's arena
 * pool when the record is released, at most ARENA_POOL_BYTES of them,
 * for the next record that outgrows its first block: in steady state a
 * record costs no malloc nor free.  RCPT_INITIAL recipients are made
 * room for at the first one; the array doubles from there.
 */
#define ENTRY_BLOCK		680	/* the entry is then 1264 bytes
					   (LP64) */
#define FREE_ENTRIES_MAX	1024
#define ARENA_POOL_BYTES	(512 * 1024)
#define RCPT_INITIAL		2

/*
 * A queue ID that was closed ("removed", or a message cleanup threw
 * away) is remembered for ORPHAN_WINDOW_SEC of its relay's log time, at
 * most TOMBSTONE_MAX of them per relay: what one relay's lines leave
 * does not depend on other relays read with it.  A late line for it
 * that cannot start a message is counted as orphan_events instead of
 * opening a bogus one; a real reuse of the ID always starts with a line
 * that can (Postfix logs "client=", "uid=" or cleanup's "message-id="
 * first).  The message table borrows its keys (see struct entry), so a
 * tombstone keeps a copy of its key: inside it when the key and its NUL
 * fit in TOMBSTONE_KEY_INLINE bytes, as host '\0' queue ID does for any
 * usual relay name, else in a heap block.
 */
#define ORPHAN_WINDOW_SEC	CORRELATOR_ORPHAN_WINDOW_SEC
#define TOMBSTONE_MAX		65536
#define TOMBSTONE_KEY_INLINE	48	/* a tombstone is then 120 bytes */

/*
 * Lines of a message come close together (cleanup, qmgr, the
 * deliveries and "removed" within moments, Exim's lines of a delivery
 * run in a row): the last RECENT_MESSAGES messages looked up are found
 * without building and hashing their key about four lines in five.
 */
#define RECENT_MESSAGES		4

/*
 * A filter run by a local transport (Postfix pipe(8), an Exim pipe
 * transport) that submits the message again (sendmail, exim -bS) logs
 * no queue ID of the copy.  The copy is known by what it carries over:
 * on the same relay, a message submitted locally with the Message-ID
 * and the envelope sender of a message whose delivery to a local
 * transport made it, while both are open (on_local_handover(),
 * on_message_id()).  A filter runs at most FILTER_RUN_SEC (Postfix's
 * command_time_limit is 1000 s, an Exim pipe transport's timeout 1 h).
 */
#define FILTER_RUN_SEC		3600

/* link - intrusive doubly linked list node; a list head is a sentinel */
struct link {
	struct link	*prev;
	struct link	*next;
};

#define CONTAINER_OF(ptr, type, member) \
	((type *)(void *)((char *)(ptr) - offsetof(type, member)))

struct host {
	char		*name;
	size_t		 len;
	int64_t		 newest_sec;	/* newest line of this host */
	struct link	 messages;	/* open entries, by last activity */
	struct link	 sessions;	/* sessions, by last activity */
	struct link	 tombstones;	/* its closed queue IDs, oldest first */
	size_t		 tombstone_count;
	struct link	 pending;	/* Sendmail messages done, closed when
					   the clock passes their done_sec
					   (sendmail_check_done()), oldest
					   first */
	size_t		 refs;		/* entries and sessions naming it */
	/* Filters on a local transport (FILTER_RUN_SEC): */
	int64_t		 first_sec;	/* oldest line of this host */
	size_t		 handed_blind;	/* open messages handed to a local
					   transport with no Message-ID seen */
	struct link	 copies;	/* open messages in c->copies */
};

/*
 * keyed - what the message table maps a key to: an open message
 * (struct entry) or a queue ID closed moments ago (struct tombstone).
 * One table for both makes the first line of a message, and the
 * close of one, one probe each instead of one in each of two tables.
 */
struct keyed {
	bool		 closed;	/* in a struct tombstone */
};

/* qid_ends - the first and the last 8 bytes of a queue ID (the bytes
   there are, for a shorter one) */
struct qid_ends {
	uint64_t	 head;
	uint64_t	 tail;
};

struct entry {
	struct message	 m;		/* what correlator_next() hands out */
	struct keyed	 keyed;		/* its value in the message table */
	struct link	 order;		/* open: correlator LRU; ready: FIFO */
	struct link	 by_host;	/* open: host's LRU */
	struct host	*host;		/* holds a reference */
	char		*key;		/* a message's table key, host '\0'
					   queue ID, borrowed by the table:
					   in the arena, m.queue_id its tail
					   (so never arena_strset()) */
	size_t		 qid_len;	/* strlen(m.queue_id) of a message */
	struct qid_ends	 qid_ends;	/* qid_ends() of it */
	uint64_t	 key_hash;	/* strmap_hash() of its key: the
					   table finds it by that and by
					   &keyed, without its key */
	size_t		*rcpt_index;	/* open addressing over the addresses:
					   index + 1, 0 empty; or NULL */
	size_t		 rcpt_index_mask; /* its slot count - 1 */
	size_t		 rcpt_capacity;
	size_t		 final_count;	/* recipients with a final outcome */
	size_t		 deferred_count; /* recipients deferred last */
	struct link	 pend;		/* in host's pending, when pending */
	int64_t		 done_sec;	/* pending: the host's clock when the
					   message was last found done */
	bool		 pending;	/* Sendmail: done, close put off */
	bool		 nrcpt_declared; /* EV_QUEUED seen: m.nrcpt is known */
	bool		 refused;	/* Sendmail: refused at DATA or end of
					   message, nothing will be delivered */
	bool		 held_only;	/* nothing but held refusals yet */
	/* Sendmail: refusals of the transaction's commands held until
	   its "from=" line names the client (hold_refusal()); newest
	   first. */
	struct entry	*held;
	uint32_t	 held_count;
	struct entry	*next_held;	/* a held refusal: the next one */
	uint32_t	 repeat;	/* a refusal: handed out this many
					   times more (HELD_REFUSALS_MAX) */
	/* Content filters (join_child()): */
	struct entry	*parent;	/* the message this one is the
					   filter's re-injected copy of */
	struct entry	*first_child;	/* open copies of this one */
	struct entry	*next_sibling;	/* in parent's first_child list */
	uint32_t	 children;	/* in that list */
	bool		 parked;	/* removed, waiting for its copies */
	int64_t		 parked_sec;	/* when it was removed */
	bool		 joined_incomplete; /* a copy was cut short */
	bool		 handed_out;	/* on the ready FIFO */
	bool		 gone;		/* joined, on the gone list */
	bool		 discarded;	/* a filter threw it away as spam */
	size_t		 joined_capacity;
	/* Filters on a local transport (on_local_handover()): a message is
	   filed by host '\0' Message-ID in c->copies while it may be a
	   copy (submitted locally, or of no known origin, and no copy
	   yet), in c->handed once a recipient went to a local transport;
	   entries of one key are chained, oldest first. */
	char		*mid_key;	/* in the arena; NULL: not made */
	size_t		 mid_keylen;
	struct entry	*copy_next;	/* same key in c->copies */
	struct entry	*handed_next;	/* same key in c->handed */
	struct link	 copy_link;	/* in host's copies */
	bool		 in_copies;
	bool		 in_handed;
	bool		 handed;	/* a recipient went to a local
					   transport */
	bool		 blind;		/* counted in host's handed_blind */
	/* Not cleared when the entry is reused: */
	struct arena	 arena;		/* m's strings and recipients */
	char		 block[ENTRY_BLOCK]; /* the arena's first block */
};

struct session {
	struct link	 order;		/* correlator's session LRU */
	struct link	 by_host;	/* host's session LRU */
	struct host	*host;		/* holds a reference */
	int64_t		 pid;
	int64_t		 last_sec;
	char		*client_ip;	/* canonical, or NULL */
	char		*sasl_method;
	char		*sasl_username;
	size_t		 keylen;
	char		 key[];		/* its table key, host '\0' pid,
					   borrowed by the table */
};

struct tombstone {
	struct keyed	 keyed;		/* its value in the message table */
	bool		 joined;	/* a copy folded into its message */
	struct link	 order;		/* all, oldest first; or free list */
	struct link	 by_host;	/* its host's, oldest first */
	struct host	*host;		/* holds a reference */
	int64_t		 closed_sec;
	uint64_t	 key_hash;	/* the message's (see struct entry) */
	char		*key;		/* the message's key, borrowed by
					   the table: key_inline or a heap
					   copy */
	char		 key_inline[TOMBSTONE_KEY_INLINE];
};

struct correlator {
	struct correlator_options opts;
	struct correlator_stats stats;
	struct strmap	*messages;	/* key -> struct keyed, not owned */
	struct strmap	*sessions;	/* key -> struct session, not owned */
	struct strmap	*hosts;		/* name -> struct host, not owned */
	struct strmap	*copies;	/* host '\0' Message-ID -> the oldest
					   open entry that may be a copy */
	struct strmap	*handed;	/* host '\0' Message-ID -> the oldest
					   open entry handed to a local
					   transport */
	struct link	 open_lru;	/* open entries */
	struct link	 ready;		/* entries waiting for correlator_next */
	struct link	 session_lru;
	struct link	 tombstones;
	size_t		 open_count;	/* entries in c->messages */
	size_t		 tombstone_count; /* tombstones in it */
	struct entry	*returned;	/* last record handed out */
	struct host	*last_host;	/* cache: lines come in host runs */
	struct entry	*recent[RECENT_MESSAGES]; /* cache: open messages
					   looked up last, most recent first,
					   NULL after the last */
	struct link	 free_entries;	/* released entries, by order */
	struct arena_pool arena_pool;	/* blocks released entries' arenas
					   added, for the next ones */
	struct link	 free_tombstones; /* released tombstones, by order */
	size_t		 free_tombstone_count;
	/* set_ip()'s last conversion, as a client is named by several
	   lines in a row (its session, its message): */
	char		 ip_raw[64];	/* the address as logged */
	size_t		 ip_raw_len;	/* its length; SIZE_MAX: none yet */
	char		 ip_canon[64];	/* canonical_ip() of it */
	size_t		 ip_canon_len;	/* what canonical_ip() returned */
	size_t		 free_count;
	struct link	 gone;		/* copies joined: freed at the next
					   call in, as a caller up the stack
					   may still hold one */
	char		*keybuf;
	size_t		 keycap;
	/* correlator_feed_resolved(): the event's session was looked up
	   in another run, which found *found (NULL: none). */
	bool		 resolved;
	struct session	*found;
	struct session	*found_buf;	/* found's storage */
};

/* list_init - make an empty list */
static void
list_init(struct link *head)
{
	head->prev = head->next = head;
}

/* list_is_empty - whether a list holds no node */
static bool
list_is_empty(const struct link *head)
{
	return head->next == head;
}

/* list_unlink - take a node off its list */
static void
list_unlink(struct link *node)
{
	node->prev->next = node->next;
	node->next->prev = node->prev;
	node->prev = node->next = node;
}

/* list_append - put a node last (it must not be on a list) */
static void
list_append(struct link *head, struct link *node)
{
	node->prev = head->prev;
	node->next = head;
	head->prev->next = node;
	head->prev = node;
}

/* list_move_last - move a listed node to the end of its list */
static void
list_move_last(struct link *head, struct link *node)
{
	if (head->prev == node)
		return;
	list_unlink(node);
	list_append(head, node);
}

/* zstr_same - whether a C string (or NULL) holds exactly z's bytes */
static bool
zstr_same(const char *s, struct zstr z)
{
	if (s == NULL)
		return false;
	if (z.len == 0)
		return s[0] == '\0';
	/* The first byte tells most unequal ones apart (a recipient from
	   the others of its message) before strnlen(). */
	if (s[0] != z.ptr[0] || strnlen(s, z.len + 1) != z.len)
		return false;
	return memcmp(s, z.ptr, z.len) == 0;
}

/*
 * store - make *dst a copy of p[0..len): in arena a (a record's), where
 * the old value's space is reused when the new one fits, or on the
 * heap when a is NULL (a session's)
 */
static void
store(struct arena *a, char **dst, const char *p, size_t len)
{
	if (a != NULL) {
		arena_strset(a, dst, p, len);
		return;
	}
	free(*dst);
	*dst = xmemdup0(p, len);
}

/* set_str_other - set_str() of a value other than a record's first:
   out of line, so that set_str() saves no registers for those */
static void __attribute__((noinline))
set_str_other(struct arena *a, char **dst, struct zstr z)
{
	if (zstr_same(*dst, z))
		return;
	store(a, dst, z.len == 0 ? "" : z.ptr, z.len);
}

/* set_str - copy a logged field unless unset or already held (a: see
   store()) */
static void
set_str(struct arena *a, char **dst, struct zstr z)
{
	if (!zstr_is_set(z))
		return;
	/* A record's first value of a field (most calls) needs no compare
	   (zstr_same() of NULL is false): straight on to the arena. */
	if (*dst == NULL && a != NULL) {
		arena_strset(a, dst, z.len == 0 ? "" : z.ptr, z.len);
		return;
	}
	set_str_other(a, dst, z);
}

/* set_str_if_unset - copy a logged field only when none is held */
static void
set_str_if_unset(struct arena *a, char **dst, struct zstr z)
{
	if (*dst == NULL)
		set_str(a, dst, z);
}

/*
 * ipv4_parse - p[0..n) is a dotted quad as inet_ntop writes it: four
 * decimal parts of 0-255 without leading zeros; its bytes into quad.
 * inet_pton takes exactly such texts and inet_ntop gives them back
 * unchanged, so one is its own canonical form and the two conversions
 * (and sprintf) can be saved.
 */
static bool
ipv4_parse(const char *p, size_t n, unsigned char quad[4])
{
	const char	*end = p + n;
	unsigned	 part, value, digits;

	for (part = 0; part < 4; part++) {
		if (part > 0) {
			if (p >= end || *p != '.')
				return false;
			p++;
		}
		value = 0;
		for (digits = 0; p < end && *p >= '0' && *p <= '9' &&
		    digits < 4; digits++, p++)
			value = value * 10 + (unsigned)(*p - '0');
		if (digits == 0 || digits > 3 || value > 255 ||
		    (digits > 1 && *(p - digits) == '0'))
			return false;
		quad[part] = (unsigned char)value;
	}
	return p == end;
}

/* hex_value - the value of a hex digit of either case; 16 for any
   other byte */
static unsigned
hex_value(unsigned char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	ch |= 0x20;		/* 'A'-'F' to 'a'-'f'; no other byte lands there */
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	return 16;
}

/*
 * ipv6_parse - p[0..n) as an IPv6 address (RFC 4291 section 2.2) in
 * the forms logs show, its eight groups into words: groups of one to
 * four hex digits of either case separated by ':', at most one "::"
 * standing for one zero group or more, and optionally a dotted quad
 * as ipv4_parse() takes it for the last 32 bits.  These are the rules
 * of inet_pton(AF_INET6) too, so every text accepted here it accepts
 * with the same value.  false is no verdict: the caller leaves such a
 * text (a scope ID, say) to inet_pton.
 */
static bool
ipv6_parse(const char *p, size_t n, uint16_t words[8])
{
	const char	*end, *start;
	unsigned char	 quad[4];
	unsigned	 value, digit;
	size_t		 count = 0, gap = 0, tail, i;
	bool		 has_gap = false;

	if (n < 2)
		return false;
	end = p + n;
	if (p[0] == ':') {
		if (p[1] != ':')
			return false;
		has_gap = true;
		p += 2;
	}
	while (p < end) {
		start = p;
		value = 0;
		while (p < end && p - start < 4 &&
		    (digit = hex_value((unsigned char)*p)) < 16) {
			value = value << 4 | digit;
			p++;
		}
		if (p < end && *p == '.') {
			/* The last 32 bits as a dotted quad, to the end. */
			if (count > 6 ||
			    !ipv4_parse(start, (size_t)(end - start), quad))
				return false;
			words[count++] = (uint16_t)(quad[0] << 8 | quad[1]);
			words[count++] = (uint16_t)(quad[2] << 8 | quad[3]);
			break;
		}
		if (p == start || count == 8)
			return false;
		words[count++] = (uint16_t)value;
		if (p == end)
			break;
		/* A fifth digit, another byte, or a ':' ending the text. */
		if (*p++ != ':' || p == end)
			return false;
		if (*p == ':') {
			if (has_gap)
				return false;
			has_gap = true;
			gap = count;
			p++;
		}
	}
	if (!has_gap)
		return count == 8;
	/* "::" stands for one zero group at least. */
	if (count == 8)
		return false;
	tail = count - gap;
	memmove(words + 8 - tail, words + gap, tail * sizeof(*words));
	for (i = gap; i < 8 - tail; i++)
		words[i] = 0;
	return true;
}

/* put_decimal - v (0-255) in decimal at t; the end of what it wrote */
static char *
put_decimal(char *t, unsigned v)
{
	if (v >= 100)
		*t++ = (char)('0' + v / 100);
	if (v >= 10)
		*t++ = (char)('0' + v / 10 % 10);
	*t++ = (char)('0' + v % 10);
	return t;
}

/*
 * ipv6_format - words into buf as inet_ntop(AF_INET6) writes them,
 * byte for byte: groups in lower-case hex without leading zeros, the
 * longest run of two zero groups or more (the first of equal ones) as
 * "::" (RFC 5952 section 4), and the last 32 bits as a dotted quad
 * when the first 96 are ::ffff:0:0/96 or the run is exactly the first
 * six groups.  Returns the length, or 0 when the text and its NUL do
 * not fit bufsize (buf untouched then).
 */
static size_t
ipv6_format(const uint16_t words[8], char *buf, size_t bufsize)
{
	static const char hex[] = "0123456789abcdef";
	char		 tmp[sizeof("ffff:ffff:ffff:ffff:ffff:ffff:"
			    "255.255.255.255")];
	char		*t = tmp;
	size_t		 i, best = 8, best_len = 0, run = 0, len;
	unsigned	 w;

	/* A later run replaces the best one only when longer. */
	for (i = 0; i < 8; i++) {
		if (words[i] != 0) {
			run = 0;
			continue;
		}
		if (++run > best_len) {
			best_len = run;
			best = i + 1 - run;
		}
	}
	if (best_len < 2)
		best = 8;
	for (i = 0; i < 8; i++) {
		if (i == best) {
			/* The second ':' comes with the next group, or
			   after the loop when the run ends the address. */
			*t++ = ':';
			i += best_len - 1;
			continue;
		}
		if (i != 0)
			*t++ = ':';
		if (i == 6 && best == 0 && (best_len == 6 ||
		    (best_len == 5 && words[5] == 0xffff))) {
			t = put_decimal(t, words[6] >> 8);
			*t++ = '.';
			t = put_decimal(t, words[6] & 0xff);
			*t++ = '.';
			t = put_decimal(t, words[7] >> 8);
			*t++ = '.';
			t = put_decimal(t, words[7] & 0xff);
			break;
		}
		w = words[i];
		if (w >= 0x1000)
			*t++ = hex[w >> 12];
		if (w >= 0x100)
			*t++ = hex[(w >> 8) & 0xf];
		if (w >= 0x10)
			*t++ = hex[(w >> 4) & 0xf];
		*t++ = hex[w & 0xf];
	}
	if (best < 8 && best + best_len == 8)
		*t++ = ':';
	len = (size_t)(t - tmp);
	if (len >= bufsize)
		return 0;
	memcpy(buf, tmp, len);
	buf[len] = '\0';
	return len;
}

/*
 * canonical_ip - correlator_canonical_ip(), returning the length of
 * the address written, or SIZE_MAX when ip is none (buf then holds
 * the copy).  The texts logs show are parsed and formatted here; only
 * what ipv6_parse() gives no verdict on goes through inet_pton.
 */
static size_t
canonical_ip(const char *ip, size_t len, char *buf, size_t bufsize)
{
	unsigned char	 addr[sizeof(struct in6_addr)], quad[4];
	uint16_t	 words[8];
	char		 tmp[64];
	const char	*p = ip;
	size_t		 n = len, out, i;

	/* Address literals are sometimes logged as in SMTP (RFC 5321
	   section 4.1.3): "IPv6:2001:db8::1".  (The C locale's
	   strncasecmp(), inline.) */
	if (n >= 5 && (p[0] | 0x20) == 'i' && (p[1] | 0x20) == 'p' &&
	    (p[2] | 0x20) == 'v' && p[3] == '6' && p[4] == ':') {
		p += 5;
		n -= 5;
	}
	if (n > 0 && n < bufsize && ipv4_parse(p, n, quad)) {
		memcpy(buf, p, n);
		buf[n] = '\0';
		return n;
	}
	/* (An address too long for buf goes on to fail alike below.) */
	if (ipv6_parse(p, n, words) &&
	    (out = ipv6_format(words, buf, bufsize)) > 0)
		return out;
	if (n > 0 && n < sizeof(tmp) && memchr(p, '\0', n) == NULL &&
	    bufsize > 0) {
		memcpy(tmp, p, n);
		tmp[n] = '\0';
		if (inet_pton(AF_INET, tmp, addr) == 1 &&
		    inet_ntop(AF_INET, addr, buf, (socklen_t)bufsize) != NULL)
			return strlen(buf);
		/* Every IPv6 text has a ':'. */
		if (memchr(tmp, ':', n) != NULL &&
		    inet_pton(AF_INET6, tmp, addr) == 1) {
			for (i = 0; i < 8; i++)
				words[i] = (uint16_t)(addr[2 * i] << 8 |
				    addr[2 * i + 1]);
			if ((out = ipv6_format(words, buf, bufsize)) > 0)
				return out;
		}
	}
	if (bufsize > 0) {
		n = len < bufsize - 1 ? len : bufsize - 1;
		if (n > 0)
			memcpy(buf, ip, n);
		buf[n] = '\0';
	}
	return SIZE_MAX;
}

/* correlator_canonical_ip - canonical text of an address */
bool
correlator_canonical_ip(const char *ip, size_t len, char *buf,
    size_t bufsize)
{
	return canonical_ip(ip, len, buf, bufsize) != SIZE_MAX;
}

/* set_ip - copy a client address, canonical when it parses (a: see
   store()) */
static void
set_ip(struct correlator *c, struct arena *a, char **dst, struct zstr z)
{
	char		 buf[64];
	const char	*canon = buf;
	size_t		 len;

	if (!zstr_is_set(z))
		return;
	if (z.len == c->ip_raw_len && memcmp(c->ip_raw, z.ptr, z.len) == 0) {
		canon = c->ip_canon;
		len = c->ip_canon_len;
	} else {
		len = canonical_ip(z.ptr, z.len, buf, sizeof(buf));
		if (z.len < sizeof(c->ip_raw)) {
			memcpy(c->ip_raw, z.ptr, z.len);
			c->ip_raw_len = z.len;
			if (len != SIZE_MAX)
				memcpy(c->ip_canon, buf, len + 1);
			c->ip_canon_len = len;
		}
	}
	if (len == SIZE_MAX) {
		/* Not an address ("unknown", garbage): keep it as logged. */
		set_str(a, dst, z);
		return;
	}
	if (*dst != NULL && strcmp(*dst, canon) == 0)
		return;
	store(a, dst, canon, len);
}

/* make_key - host '\0' tail into the key buffer; returns the length */
static size_t
make_key(struct correlator *c, const char *host, size_t hostlen,
    const void *tail, size_t taillen)
{
	size_t	need = hostlen + 1 + taillen;

	if (need > c->keycap) {
		c->keycap = need > 2 * c->keycap ? need : 2 * c->keycap;
		c->keybuf = xreallocarray(c->keybuf, c->keycap, 1);
	}
	if (hostlen > 0)
		memcpy(c->keybuf, host, hostlen);
	c->keybuf[hostlen] = '\0';
	if (taillen > 0)
		memcpy(c->keybuf + hostlen + 1, tail, taillen);
	return need;
}

/* host_get - the interned host of a line, created when new */
static struct host *
host_get(struct correlator *c, struct zstr name)
{
	struct host	*h = c->last_host;
	const char	*p = name.len == 0 ? "" : name.ptr;
	void		**slot;
	bool		 created;

	if (h != NULL && h->len == name.len &&
	    (name.len == 0 || memcmp(h->name, p, name.len) == 0))
		return h;
	slot = strmap_slot(c->hosts, p, name.len, &created);
	if (created) {
		h = xcalloc(1, sizeof(*h));
		h->name = xmemdup0(p, name.len);
		h->len = name.len;
		h->newest_sec = INT64_MIN;
		h->first_sec = INT64_MAX;
		list_init(&h->copies);
		list_init(&h->messages);
		list_init(&h->sessions);
		list_init(&h->pending);
		list_init(&h->tombstones);
		*slot = h;
	}
	c->last_host = *slot;
	return *slot;
}

/* host_release - drop a reference; the last one frees the host */
static void
host_release(struct correlator *c, struct host *h)
{
	if (--h->refs > 0)
		return;
	strmap_remove(c->hosts, h->name, h->len);
	if (c->last_host == h)
		c->last_host = NULL;
	free(h->name);
	free(h);
}

/* entry_new - an empty record of a host, a released one when there is */
static struct entry *
entry_new(struct correlator *c, struct host *h, enum record_kind kind,
    int64_t time_sec)
{
	struct entry	*e;

	if (!list_is_empty(&c->free_entries)) {
		e = CONTAINER_OF(c->free_entries.next, struct entry, order);
		list_unlink(&e->order);
		c->free_count--;
	} else {
		e = xmalloc(sizeof(*e));
		arena_init_pooled(&e->arena, e->block, sizeof(e->block),
		    &c->arena_pool);
	}
	memset(e, 0, offsetof(struct entry, arena));
	e->m.kind = kind;
	e->m.origin = ORIGIN_UNKNOWN;
	e->m.host = h->name;
	e->m.uid = -1;
	e->m.first_sec = e->m.last_sec = time_sec;
	e->host = h;
	h->refs++;
	list_init(&e->order);
	list_init(&e->by_host);
	return e;
}

/*
 * entry_free - release a record that is on no list nor in the table:
 * its arena is emptied (blocks past the first pooled or freed) and the
 * entry kept for reuse while the free list is short
 */
static void
entry_free(struct correlator *c, struct entry *e)
{
	host_release(c, e->host);
	arena_reset(&e->arena);
	if (c->free_count < FREE_ENTRIES_MAX) {
		list_append(&c->free_entries, &e->order);
		c->free_count++;
	} else
		free(e);
}

/* free_gone - free the copies joined (join_child()) */
static void
free_gone(struct correlator *c)
{
	struct entry	*e;

	while (!list_is_empty(&c->gone)) {
		e = CONTAINER_OF(c->gone.next, struct entry, order);
		list_unlink(&e->order);
		entry_free(c, e);
	}
}

/* release_returned - free the record correlator_next() handed out,
   and the copies joined since the last call in */
static void
release_returned(struct correlator *c)
{
	if (c->returned != NULL) {
		entry_free(c, c->returned);
		c->returned = NULL;
	}
	free_gone(c);
}

/* recent_forget - take a message leaving the table out of the cache */
static void
recent_forget(struct correlator *c, const struct entry *e)
{
	size_t	i;

	for (i = 0; i < RECENT_MESSAGES && c->recent[i] != NULL; i++) {
		if (c->recent[i] != e)
			continue;
		memmove(c->recent + i, c->recent + i + 1,
		    (RECENT_MESSAGES - 1 - i) * sizeof(c->recent[0]));
		c->recent[RECENT_MESSAGES - 1] = NULL;
		return;
	}
}

/* tombstone_free - release a tombstone (kept for reuse while the free
   list is short); its key stays in the table, which must not read it
   before strmap_rekey() or a removal */
static void
tombstone_free(struct correlator *c, struct tombstone *t)
{
	if (t->key != t->key_inline)
		free(t->key);
	list_unlink(&t->order);
	list_unlink(&t->by_host);
	c->tombstone_count--;
	t->host->tombstone_count--;
	host_release(c, t->host);
	if (c->free_tombstone_count < FREE_ENTRIES_MAX) {
		list_append(&c->free_tombstones, &t->order);
		c->free_tombstone_count++;
	} else
		free(t);
}

/* tombstone_drop - forget a closed queue ID */
static void
tombstone_drop(struct correlator *c, struct tombstone *t)
{
	strmap_remove_value(c->messages, t->key_hash, &t->keyed);
	tombstone_free(c, t);
}

/*
 * tombstone_add - remember the closed queue ID of e, whose table slot
 * held e until now: a key is either open or closed, and opening it
 * drops its tombstone (message_get()).  The slot's key moves to the
 * tombstone's copy, as e's arena goes with e.
 */
static void
tombstone_add(struct correlator *c, void **slot, const struct entry *e,
    int64_t time_sec)
{
	size_t		 keylen = e->host->len + 1 + e->qid_len;
	struct host	*h = e->host;
	struct tombstone *t;

	if (!list_is_empty(&c->free_tombstones)) {
		t = CONTAINER_OF(c->free_tombstones.next, struct tombstone,
		    order);
		list_unlink(&t->order);
		c->free_tombstone_count--;
	} else
		t = xmalloc(sizeof(*t));
	if (keylen < sizeof(t->key_inline)) {
		memcpy(t->key_inline, e->key, keylen + 1);
		t->key = t->key_inline;
	} else
		t->key = xmemdup0(e->key, keylen);
	strmap_rekey(c->messages, slot, t->key);
	t->keyed.closed = true;
	t->joined = e->parent != NULL;
	t->key_hash = e->key_hash;
	t->closed_sec = time_sec;
	*slot = &t->keyed;
	t->host = h;
	h->refs++;
	list_append(&c->tombstones, &t->order);
	list_append(&h->tombstones, &t->by_host);
	c->tombstone_count++;
	h->tombstone_count++;
	/* The relay's oldest first: drop what is past the window or over
	   the cap.  (Removals move slots: slot is not used past here.) */
	while (h->tombstones.next != &t->by_host) {
		struct tombstone *old = CONTAINER_OF(h->tombstones.next,
		    struct tombstone, by_host);

		if (h->tombstone_count <= TOMBSTONE_MAX &&
		    !correlator_is_older(time_sec, old->closed_sec,
		    ORPHAN_WINDOW_SEC))
			break;
		tombstone_drop(c, old);
	}
}

/* The two indexes of filters on a local transport (struct entry). */
enum mid_index {
	INDEX_COPIES,
	INDEX_HANDED
};

/* index_next - where e's successor in its chain of index which is */
static struct entry **
index_next(struct entry *e, enum mid_index which)
{
	return which == INDEX_COPIES ? &e->copy_next : &e->handed_next;
}

/*
 * mid_key - e's key in the indexes, host '\0' Message-ID, made in its
 * arena once; NULL when it has no Message-ID
 */
static const char *
mid_key(struct entry *e)
{
	size_t	midlen;

	if (e->mid_key != NULL)
		return e->mid_key;
	if (e->m.message_id == NULL || e->m.message_id[0] == '\0')
		return NULL;
	midlen = strlen(e->m.message_id);
	e->mid_keylen = e->host->len + 1 + midlen;
	e->mid_key = arena_allocarray(&e->arena, e->mid_keylen + 1, 1);
	memcpy(e->mid_key, e->host->name, e->host->len);
	e->mid_key[e->host->len] = '\0';
	memcpy(e->mid_key + e->host->len + 1, e->m.message_id, midlen + 1);
	return e->mid_key;
}

/* index_head - the oldest entry under e's key in index which, or NULL
   (e has a key) */
static struct entry *
index_head(struct correlator *c, enum mid_index which, struct entry *e)
{
	struct strmap	*map = which == INDEX_COPIES ? c->copies : c->handed;

	return strmap_get(map, e->mid_key, e->mid_keylen);
}

/* index_add - file e, which has a key, last of its key in index
   which; the map borrows the key of the oldest */
static void
index_add(struct correlator *c, enum mid_index which, struct entry *e)
{
	struct strmap	*map = which == INDEX_COPIES ? c->copies : c->handed;
	struct entry	**link;
	void		**slot;
	uint64_t	 hash;
	bool		 created;

	hash = strmap_hash(map, e->mid_key, e->mid_keylen);
	slot = strmap_slot_hashed(map, e->mid_key, e->mid_keylen, hash,
	    &created);
	*index_next(e, which) = NULL;
	if (created)
		*slot = e;
	else {
		for (link = index_next(*slot, which); *link != NULL;
		    link = index_next(*link, which))
			continue;
		*link = e;
	}
	if (which == INDEX_COPIES) {
		e->in_copies = true;
		list_append(&e->host->copies, &e->copy_link);
	} else
		e->in_handed = true;
}

/* index_drop - take e out of index which, if it is there */
static void
index_drop(struct correlator *c, enum mid_index which, struct entry *e)
{
	struct strmap	*map = which == INDEX_COPIES ? c->copies : c->handed;
	struct entry	*head, *next = *index_next(e, which), **link;
	uint64_t	 hash;
	void		**slot;

	if (which == INDEX_COPIES) {
		if (!e->in_copies)
			return;
		e->in_copies = false;
		list_unlink(&e->copy_link);
	} else {
		if (!e->in_handed)
			return;
		e->in_handed = false;
	}
	/* Rare (filed entries only): the hash is made again. */
	hash = strmap_hash(map, e->mid_key, e->mid_keylen);
	head = strmap_get_hashed(map, e->mid_key, e->mid_keylen, hash);
	if (head != e) {
		for (link = index_next(head, which); *link != e;
		    link = index_next(*link, which))
			continue;
		*link = next;
		return;
	}
	if (next == NULL) {
		strmap_remove_value(map, hash, e);
		return;
	}
	/* The next of the key takes the slot, with its own key's bytes:
	   e's arena goes. */
	slot = strmap_value_slot(map, hash, e);
	*slot = next;
	strmap_rekey(map, slot, next->mid_key);
}

/* copy_forget - e leaves the indexes (its Message-ID changes, or it
   leaves the table) */
static void
copy_forget(struct correlator *c, struct entry *e)
{
	index_drop(c, INDEX_COPIES, e);
	index_drop(c, INDEX_HANDED, e);
	if (e->blind) {
		e->blind = false;
		e->host->handed_blind--;
	}
}

/*
 * message_unkey - take an open message's key out of the table, or
 * leave a tombstone of it there (closed, at time_sec)
 */
static void
message_unkey(struct correlator *c, struct entry *e, bool is_closed,
    int64_t time_sec)
{
	if (e->in_copies || e->in_handed || e->blind)
		copy_forget(c, e);
	if (e->pending) {
		list_unlink(&e->pend);
		e->pending = false;
	}
	recent_forget(c, e);
	/* The entry is the value of its key, found by the hash kept: the
	   key need not be built and hashed again. */
	if (is_closed)
		tombstone_add(c, strmap_value_slot(c->messages, e->key_hash,
		    &e->keyed), e, time_sec);
	else
		strmap_remove_value(c->messages, e->key_hash, &e->keyed);
	c->open_count--;
}

/*
 * finish_origin - settle the origin of a message being handed out.
 *
 * Postfix's bounce daemon submits its notifications straight to
 * cleanup: such a message has a cleanup "message-id=" line and a qmgr
 * "from=<>" line but neither an smtpd "client=" nor a pickup "uid="
 * line.  The bounce daemon's "sender non-delivery notification" line
 * names it when present (EV_BOUNCE_NOTICE); when that line is missing
 * too, a message that still has no origin, the null sender and no
 * client information is taken to be generated by the relay itself.
 */
static void
finish_origin(struct message *m)
{
	if (m->kind == RECORD_MESSAGE && m->origin == ORIGIN_UNKNOWN &&
	    m->sender != NULL && m->sender[0] == '\0' &&
	    m->client_ip == NULL && m->client_name == NULL && m->uid < 0)
		m->origin = ORIGIN_BOUNCE;
}

static void	join_child(struct correlator *, struct entry *, bool, int64_t);
static void	message_discard(struct correlator *, struct entry *);
static void	record_ready(struct correlator *, struct entry *);

/*
 * Held refusals.  Sendmail logs its refusal of one command of an SMTP
 * transaction (a recipient unknown, "Too many recipients", a milter's
 * MAIL or RCPT refusal) with the transaction's queue ID but without
 * the client, which only the "from=" line ending the transaction
 * names, accepted or not.  Such a refusal is held on the transaction's
 * entry (opened by it if need be: hold_refusal()) and handed out as a
 * record of its own, ahead of the message, when the entry closes,
 * with the client, login, HELO and sender the entry knows by then
 * (release_held()).  An entry of held refusals alone (the log ended
 * first, or never had the end) hands them out as they are and is no
 * message (held_only_end()).  HELD_REFUSALS_MAX are held whole; the
 * rest of a transaction refused more often (a recipient flood) count
 * as repeats of its newest refusal, which is handed out once for each
 * (struct entry's repeat, correlator_next()) and whose last_sec is the
 * last of them, so that neither the entry nor what it hands out grows
 * with the flood.
 */
#define HELD_REFUSALS_MAX	32

/* refusal_recipient - the one recipient a refusal names, into e */
static void
refusal_recipient(struct entry *e, const struct mta_event *ev)
{
	struct message	*m = &e->m;

	if (!zstr_is_set(ev->recipient))
		return;
	m->recipients = arena_allocarray(&e->arena, 1, sizeof(*m->recipients));
	memset(m->recipients, 0, sizeof(*m->recipients));
	m->recipients[0].address = arena_memdup0(&e->arena,
	    ev->recipient.len == 0 ? "" : ev->recipient.ptr, ev->recipient.len);
	m->recipients[0].status = DELIVERY_OTHER;
	m->recipients[0].time_sec = ev->time_sec;
	m->recipient_count = e->rcpt_capacity = 1;
}

/* dup_unset - *dst = a copy of src in a, unless *dst is set */
static void
dup_unset(struct arena *a, char **dst, const char *src)
{
	if (*dst == NULL && src != NULL)
		*dst = arena_memdup0(a, src, strlen(src));
}

/* held_attribute - what e knows of the client, onto its refusal r,
   which is then handed out (1 + r->repeat times) */
static void
held_attribute(struct correlator *c, struct entry *r, const struct entry *e)
{
	const struct message *m = &e->m;

	dup_unset(&r->arena, &r->m.client_ip, m->client_ip);
	dup_unset(&r->arena, &r->m.client_name, m->client_name);
	dup_unset(&r->arena, &r->m.sasl_method, m->sasl_method);
	dup_unset(&r->arena, &r->m.sasl_username, m->sasl_username);
	dup_unset(&r->arena, &r->m.helo, m->helo);
	dup_unset(&r->arena, &r->m.sender, m->sender);
	c->stats.rejects += 1 + (uint64_t)r->repeat;
	record_ready(c, r);
}

/* release_held - hand out e's held refusals, oldest first */
static void
release_held(struct correlator *c, struct entry *e)
{
	struct entry	*r, *newest = e->held, *oldest = NULL, *next;

	if (newest == NULL)
		return;
	for (r = newest; r != NULL; r = next) {
		next = r->next_held;
		r->next_held = oldest;
		oldest = r;
	}
	for (r = oldest; r != NULL; r = next) {
		next = r->next_held;
		r->next_held = NULL;
		held_attribute(c, r, e);
	}
	e->held = NULL;
	e->held_count = 0;
}

/* drop_held - free e's held refusals unused (the correlator goes) */
static void
drop_held(struct correlator *c, struct entry *e)
{
	struct entry	*r;

	while ((r = e->held) != NULL) {
		e->held = r->next_held;
		entry_free(c, r);
	}
}

/*
 * held_only_end - an entry of held refusals alone ends: they go out as
 * they are, and it leaves no message (true); false for any other
 */
static bool
held_only_end(struct correlator *c, struct entry *e)
{
	if (!e->held_only)
		return false;
	message_discard(c, e);
	return true;
}

/*
 * message_ready - take an open message out of the table onto the
 * ready FIFO; closed ones leave a tombstone.  A content filter's copy
 * goes into the message it was made from instead (join_child()).
 */
static void
message_ready(struct correlator *c, struct entry *e, bool is_closed,
    int64_t time_sec)
{
	struct entry	*child;

	release_held(c, e);
	if (e->children > 0 && !is_closed) {
		/* Cut short (eviction) with copies open: they go first,
		   as cut short too.  Copies are older than the message in
		   both LRU lists, so this is rare. */
		while ((child = e->first_child) != NULL)
			message_ready(c, child, false, 0);
		if (e->parked)
			return;		/* handed out by the last copy */
	}
	if (e->parent != NULL) {
		join_child(c, e, is_closed, time_sec);
		return;
	}
	message_unkey(c, e, is_closed, time_sec);
	list_unlink(&e->order);
	list_unlink(&e->by_host);
	finish_origin(&e->m);
	e->m.closed = is_closed;
	e->m.is_complete = is_closed && !e->joined_incomplete;
	e->handed_out = true;
	list_append(&c->ready, &e->order);
}

/*
 * message_close - the end of a message was logged: counted complete
 * and handed out; one with content filter copies still open waits for
 * them (parked), and is counted and handed out with the last of them
 * (join_child(), correlator_finish())
 */
static void
message_close(struct correlator *c, struct entry *e, int64_t time_sec)
{
	if (held_only_end(c, e))
		return;
	if (e->children > 0) {
		e->parked = true;
		e->parked_sec = time_sec;
		return;
	}
	if (e->parent == NULL)
		c->stats.messages_complete++;
	message_ready(c, e, true, time_sec);
}

/* disown - take the copy e out of its message's copies */
static void
disown(struct entry *e)
{
	struct entry	*p = e->parent, **link;

	for (link = &p->first_child; *link != e; link = &(*link)->next_sibling)
		continue;
	*link = e->next_sibling;
	p->children--;
	e->parent = NULL;
	e->next_sibling = NULL;
}

/*
 * message_discard - forget an open message that turned out to be none
 * (see sendmail_check_done()); its queue ID leaves a tombstone.  When
 * it was taken for a copy (its "from=" line came again, nrcpts=0), its
 * message no longer waits for it.
 */
static void
message_discard(struct correlator *c, struct entry *e)
{
	struct entry	*p = e->parent;

	release_held(c, e);
	if (p != NULL)
		disown(e);
	message_unkey(c, e, true, e->m.last_sec);
	list_unlink(&e->order);
	list_unlink(&e->by_host);
	entry_free(c, e);
	if (p != NULL && p->children == 0 && p->parked)
		message_close(c, p, p->parked_sec);
}

/* record_ready - queue a standalone record (reject, auth failure) */
static void
record_ready(struct correlator *c, struct entry *e)
{
	list_append(&c->ready, &e->order);
}

/* touch - account a line to an open message, and to the messages it
   is a content filter's copy of: those stay newer than their copies
   in both LRU lists, so that a copy always leaves first */
static void
touch(struct correlator *c, struct entry *e, int64_t time_sec)
{
	do {
		if (time_sec < e->m.first_sec)
			e->m.first_sec = time_sec;
		if (time_sec > e->m.last_sec)
			e->m.last_sec = time_sec;
		list_move_last(&c->open_lru, &e->order);
		list_move_last(&e->host->messages, &e->by_host);
	} while ((e = e->parent) != NULL);
}

/* qid_ends - the first and last 8 bytes of a non-empty ID as numbers:
   equal ends and lengths of at most 16 bytes mean equal IDs (inline:
   every line about a message asks) */
static inline struct qid_ends
qid_ends(struct zstr qid)
{
	struct qid_ends	 ends = { 0, 0 };

	if (qid.len >= sizeof(ends.head)) {
		memcpy(&ends.head, qid.ptr, sizeof(ends.head));
		memcpy(&ends.tail, qid.ptr + qid.len - sizeof(ends.tail),
		    sizeof(ends.tail));
	} else {
		memcpy(&ends.head, qid.ptr, qid.len);
		ends.tail = ends.head;
	}
	return ends;
}

/*
 * message_cached - the open message of (host, qid) when it is one of
 * the RECENT_MESSAGES looked up last (it moves to the front), else
 * NULL; qid is not empty.  Hosts are interned: the same host is the
 * same pointer.  IDs of up to 16 bytes (Postfix's short ones, Exim's
 * older ones) compare whole through their ends, longer ones need a
 * memcmp() as well.
 */
static struct entry *
message_cached(struct correlator *c, const struct host *h, struct zstr qid)
{
	struct entry	*e;
	struct qid_ends	 ends = qid_ends(qid);
	size_t		 i;

	for (i = 0; i < RECENT_MESSAGES && (e = c->recent[i]) != NULL; i++) {
		if (e->qid_ends.tail != ends.tail ||
		    e->qid_ends.head != ends.head || e->host != h ||
		    e->qid_len != qid.len || (qid.len > 16 &&
		    memcmp(e->m.queue_id, qid.ptr, qid.len) != 0))
			continue;
		for (; i > 0; i--)
			c->recent[i] = c->recent[i - 1];
		c->recent[0] = e;
		return e;
	}
	return NULL;
}

/* recent_add - put a message found in the table, which
   message_cached() did not know, first in the cache */
static void
recent_add(struct correlator *c, struct entry *e)
{
	size_t	i;

	for (i = RECENT_MESSAGES - 1; i > 0; i--)
		c->recent[i] = c->recent[i - 1];
	c->recent[0] = e;
}

/*
 * message_get - the open message of (host, qid), opened when absent;
 * qid is not empty.  A line that cannot start a message (can_open
 * false) for a queue ID closed moments ago is a straggler of the
 * closed message: counted, and NULL returned.  Lines of a message
 * whose start preceded the log simply open it with ORIGIN_UNKNOWN.
 * *opened (when not NULL) says whether this call opened it.
 */
static struct entry *
message_get(struct correlator *c, struct host *h, struct zstr qid,
    int64_t time_sec, bool can_open, bool *opened)
{
	struct tombstone *t;
	struct entry	*e;
	struct keyed	*k;
	void		**slot;
	uint64_t	 hash;
	size_t		 keylen;
	bool		 created;

	if (opened != NULL)
		*opened = false;
	if ((e = message_cached(c, h, qid)) != NULL) {
		touch(c, e, time_sec);
		return e;
	}
	/* One probe finds an open message, a tombstone, or makes the slot
	   of a new message. */
	keylen = make_key(c, h->name, h->len, qid.ptr, qid.len);
	hash = strmap_hash(c->messages, c->keybuf, keylen);
	slot = strmap_slot_hashed(c->messages, c->keybuf, keylen, hash,
	    &created);
	if (!created) {
		k = *slot;
		if (!k->closed) {
			e = CONTAINER_OF(k, struct entry, keyed);
			touch(c, e, time_sec);
			recent_add(c, e);
			return e;
		}
		t = CONTAINER_OF(k, struct tombstone, keyed);
		if (!can_open && !correlator_is_older(time_sec, t->closed_sec,
		    ORPHAN_WINDOW_SEC)) {
			c->stats.orphan_events++;
			return NULL;
		}
		/* Reused: the slot passes to the new message. */
	} else
		t = NULL;
	/* entry_new() leaves the table alone: slot is still valid.  The
	   table's key, c->keybuf or the tombstone's, moves to the entry
	   before the tombstone goes. */
	e = entry_new(c, h, RECORD_MESSAGE, time_sec);
	e->key = arena_memdup0(&e->arena, c->keybuf, keylen);
	strmap_rekey(c->messages, slot, e->key);
	if (t != NULL)
		tombstone_free(c, t);
	e->m.queue_id = e->key + h->len + 1;
	e->qid_len = qid.len;
	e->qid_ends = qid_ends(qid);
	e->key_hash = hash;
	*slot = &e->keyed;
	c->open_count++;
	list_append(&c->open_lru, &e->order);
	list_append(&h->messages, &e->by_host);
	recent_add(c, e);
	if (opened != NULL)
		*opened = true;
	return e;
}

/*
 * message_find - the open message of (host, qid), or NULL: for lines
 * that name a message but are no reason to open one, nor a straggler
 * worth counting (Sendmail's "done", DSN notices and expiries, see
 * on_sendmail_closing()).
 */
static struct entry *
message_find(struct correlator *c, struct host *h, struct zstr qid,
    int64_t time_sec)
{
	struct entry	*e;
	struct keyed	*k;
	size_t		 keylen;

	if ((e = message_cached(c, h, qid)) == NULL) {
		keylen = make_key(c, h->name, h->len, qid.ptr, qid.len);
		k = strmap_get(c->messages, c->keybuf, keylen);
		if (k == NULL || k->closed)
			return NULL;
		e = CONTAINER_OF(k, struct entry, keyed);
		recent_add(c, e);
	}
	touch(c, e, time_sec);
	return e;
}

/* session_key - host '\0' pid into the key buffer */
static size_t
session_key(struct correlator *c, const struct host *h, int64_t pid)
{
	unsigned char	b[sizeof(pid)];

	memcpy(b, &pid, sizeof(b));
	return make_key(c, h->name, h->len, b, sizeof(b));
}

/* session_drop - forget an SMTP session */
static void
session_drop(struct correlator *c, struct session *s)
{
	strmap_remove(c->sessions, s->key, s->keylen);
	list_unlink(&s->order);
	list_unlink(&s->by_host);
	free(s->client_ip);
	free(s->sasl_method);
	free(s->sasl_username);
	host_release(c, s->host);
	free(s);
}

/* session_get - the session of (host, pid); created when asked */
static struct session *
session_get(struct correlator *c, struct host *h, int64_t pid,
    int64_t time_sec, bool create)
{
	struct session	*s;
	void		**slot;
	size_t		 keylen;
	bool		 created;

	if (pid < 0)
		return NULL;
	keylen = session_key(c, h, pid);
	if (!create) {
		if ((s = strmap_get(c->sessions, c->keybuf, keylen)) == NULL)
			return NULL;
	} else {
		slot = strmap_slot(c->sessions, c->keybuf, keylen, &created);
		if (created) {
			/* The key goes with the session (and its NUL, as
			   with a copying table's keys). */
			s = xcalloc(1, offsetof(struct session, key) +
			    keylen + 1);
			memcpy(s->key, c->keybuf, keylen);
			s->keylen = keylen;
			strmap_rekey(c->sessions, slot, s->key);
			s->host = h;
			h->refs++;
			s->pid = pid;
			s->last_sec = time_sec;
			list_init(&s->order);
			list_init(&s->by_host);
			list_append(&c->session_lru, &s->order);
			list_append(&h->sessions, &s->by_host);
			*slot = s;
		}
		s = *slot;
	}
	if (time_sec > s->last_sec)
		s->last_sec = time_sec;
	list_move_last(&c->session_lru, &s->order);
	list_move_last(&h->sessions, &s->by_host);
	return s;
}

/*
 * session_find - the session a line of (h, pid) reads, kept alive; or,
 * for correlator_feed_resolved(), the one another run found
 */
static struct session *
session_find(struct correlator *c, struct host *h, int64_t pid,
    int64_t time_sec)
{
	if (c->resolved)
		return c->found;
	return session_get(c, h, pid, time_sec, false);
}

/* rcpt_index_slot - the index slot of an address: its recipient's, or
   the empty one where it goes */
static size_t *
rcpt_index_slot(struct entry *e, const char *p, size_t len)
{
	size_t	i = (size_t)hash_bytes(p, len) & e->rcpt_index_mask;
	size_t	*slot;

	for (;; i = (i + 1) & e->rcpt_index_mask) {
		slot = &e->rcpt_index[i];
		if (*slot == 0 || zstr_same(e->m.recipients[*slot - 1].address,
		    zstr_make(p, len)))
			return slot;
	}
}

/* rcpt_index_build - index every recipient, a quarter full at most; an
   index outgrown stays in the arena, doubling bounds what is left */
static void
rcpt_index_build(struct entry *e)
{
	const struct message *m = &e->m;
	size_t		 slots = 64, i;

	while (slots / 4 < m->recipient_count)
		slots *= 2;
	e->rcpt_index = arena_allocarray(&e->arena, slots,
	    sizeof(*e->rcpt_index));
	memset(e->rcpt_index, 0, slots * sizeof(*e->rcpt_index));
	e->rcpt_index_mask = slots - 1;
	for (i = 0; i < m->recipient_count; i++)
		*rcpt_index_slot(e, m->recipients[i].address,
		    strlen(m->recipients[i].address)) = i + 1;
}

/* recipient_get - a message's recipient, added when new; NULL when
   over max_recipients */
static struct recipient *
recipient_get(struct correlator *c, struct entry *e, struct zstr addr)
{
	struct message	*m = &e->m;
	struct recipient *r;
	const char	*p = addr.len == 0 ? "" : addr.ptr;
	size_t		*slot = NULL;
	size_t		 i;

	if (e->rcpt_index != NULL) {
		slot = rcpt_index_slot(e, p, addr.len);
		if (*slot != 0)
			return &m->recipients[*slot - 1];
	} else {
		for (i = 0; i < m->recipient_count; i++)
			if (zstr_same(m->recipients[i].address, addr))
				return &m->recipients[i];
	}
	if (m->recipient_count >= c->opts.max_recipients) {
		c->stats.recipients_dropped++;
		return NULL;
	}
	if (m->recipient_count == e->rcpt_capacity) {
		/* The old array stays in the arena: doubling keeps what is
		   left behind under the size of the new one. */
		e->rcpt_capacity = e->rcpt_capacity ? 2 * e->rcpt_capacity :
		    RCPT_INITIAL;
		r = arena_allocarray(&e->arena, e->rcpt_capacity,
		    sizeof(*m->recipients));
		if (m->recipient_count > 0)
			memcpy(r, m->recipients,
			    m->recipient_count * sizeof(*m->recipients));
		m->recipients = r;
	}
	r = &m->recipients[m->recipient_count++];
	memset(r, 0, sizeof(*r));
	r->address = arena_memdup0(&e->arena, p, addr.len);
	r->status = DELIVERY_OTHER;
	/* Arena memory does not move: slot is still the empty one. */
	if (slot != NULL && 2 * m->recipient_count <= e->rcpt_index_mask)
		*slot = m->recipient_count;
	else if (m->recipient_count > RCPT_INDEX_MIN)
		rcpt_index_build(e);
	return r;
}

/* is_final - whether an outcome ends a recipient's delivery */
static bool
is_final(enum delivery_status status)
{
	return status != DELIVERY_DEFERRED;
}

/*
 * set_reply - a recipient's response and DSN code from one line: a
 * line with a response but no code leaves an empty one, not an earlier
 * line's (empty, not NULL: its space is reused by the next code)
 */
static void
set_reply(struct arena *a, struct recipient *r, struct zstr response,
    struct zstr dsn)
{
	set_str(a, &r->response, response);
	if (zstr_is_set(response) && !zstr_is_set(dsn) && r->dsn != NULL)
		set_str(a, &r->dsn, zstr_make("", 0));
	else
		set_str(a, &r->dsn, dsn);
}

/*
 * is_not_tried - an Exim deferral logged without an attempt: a queue
 * run found the address's retry time not reached ("== addr routing
 * defer (-52): retry time not reached", "defer (-53): retry time not
 * reached for any host").  The remote server's reply that caused the
 * retry, if this log holds it, says more.
 */
static bool
is_not_tried(const struct mta_event *ev)
{
	static const char words[] = "retry time not reached";

	return ev->mta == MTA_EXIM && ev->status == DELIVERY_DEFERRED &&
	    zstr_is_set(ev->response) && ev->response.len >= sizeof(words) - 1
	    && memcmp(ev->response.ptr, words, sizeof(words) - 1) == 0;
}

/* set_status - r of e now has status st; e's deferred ones counted */
static void
set_status(struct entry *e, struct recipient *r, enum delivery_status st)
{
	if (r->status == DELIVERY_DEFERRED)
		e->deferred_count--;
	if (st == DELIVERY_DEFERRED)
		e->deferred_count++;
	r->status = st;
}

/* on_delivery - one recipient's outcome */
static void
on_delivery(struct correlator *c, struct entry *e,
    const struct mta_event *ev)
{
	struct recipient *r;
	size_t		 before = e->m.recipient_count;

	if (!zstr_is_set(ev->recipient))
		return;
	if ((r = recipient_get(c, e, ev->recipient)) == NULL)
		return;
	/* Not an attempt: counted as none, and the last reply stays; a
	   recipient it is the first line of (its domain waits for a retry
	   another message's attempt set) is waiting, with no reply. */
	if (is_not_tried(ev) && e->m.recipient_count == before &&
	    r->status == DELIVERY_DEFERRED)
		return;
	if (is_not_tried(ev) && e->m.recipient_count > before) {
		set_str(&e->arena, &r->transport, ev->transport);
		r->time_sec = ev->time_sec;
		set_status(e, r, DELIVERY_DEFERRED);
		return;
	}
	/* Recipients with a final outcome, counted by address. */
	if (e->m.recipient_count == before && is_final(r->status))
		e->final_count--;
	if (is_final(ev->status))
		e->final_count++;
	set_str(&e->arena, &r->transport, ev->transport);
	/* The relay giving up after deferrals with a reply says so in
	   its own words ("retry timeout exceeded"): the remote server's
	   last reply, its code and time, stay (message.h). */
	if (!(ev->status == DELIVERY_EXPIRED &&
	    r->status == DELIVERY_DEFERRED && r->response != NULL)) {
		set_reply(&e->arena, r, ev->response, ev->dsn);
		r->time_sec = ev->time_sec;
	}
	r->queue_id = NULL;
	/* Postfix retries a deferred recipient and logs each attempt; the
	   record keeps the last outcome and how many deferrals led to it. */
	if (ev->status == DELIVERY_DEFERRED && r->deferrals < UINT32_MAX)
		r->deferrals++;
	set_status(e, r, ev->status);
}

/* zstr_of - a record's string as a zstr (NULL: unset) */
static struct zstr
zstr_of(const char *s)
{
	return s != NULL ? zstr_make(s, strlen(s)) : ZSTR_NULL;
}

/* message_peek - the open message qid of the host named host[0..len),
   untouched; NULL when none */
static struct entry *
message_peek(struct correlator *c, const char *host, size_t len,
    struct zstr qid)
{
	struct keyed	*k;
	size_t		 keylen;

	if (!zstr_is_set(qid) || qid.len == 0)
		return NULL;
	keylen = make_key(c, host, len, qid.ptr, qid.len);
	k = strmap_get(c->messages, c->keybuf, keylen);
	return k != NULL && !k->closed ? CONTAINER_OF(k, struct entry, keyed) :
	    NULL;
}

/* add_joined - note in e's record that a copy named qid was folded in */
static void
add_joined(struct entry *e, const char *qid, bool is_complete)
{
	struct message	*m = &e->m;
	struct joined_message *j;

	if (m->joined_count == e->joined_capacity) {
		/* As for recipients: the old array stays in the arena. */
		e->joined_capacity = e->joined_capacity ?
		    2 * e->joined_capacity : 2;
		j = arena_allocarray(&e->arena, e->joined_capacity,
		    sizeof(*j));
		if (m->joined_count > 0)
			memcpy(j, m->joined, m->joined_count * sizeof(*j));
		m->joined = j;
	}
	j = &m->joined[m->joined_count++];
	j->queue_id = arena_memdup0(&e->arena, qid, strlen(qid));
	j->is_complete = is_complete;
}

/*
 * join_child - fold a content filter's copy e, closed (or cut short
 * when !is_closed), into the message it was made from: each of its
 * recipients' outcome replaces what the parent logged for the same
 * address (the hand-over to the filter), its local refusals add up,
 * and the parent's record lists it (for the carry: partial.c).  The
 * copy leaves the table like any message and is freed; a parked
 * parent whose last copy this was is handed out.
 */
static void
join_child(struct correlator *c, struct entry *e, bool is_closed,
    int64_t time_sec)
{
	struct entry	*p = e->parent;
	struct recipient *r, *pr;
	size_t		 i, before;

	message_unkey(c, e, is_closed, time_sec);
	list_unlink(&e->order);
	list_unlink(&e->by_host);
	for (i = 0; i < e->m.recipient_count; i++) {
		r = &e->m.recipients[i];
		before = p->m.recipient_count;
		if ((pr = recipient_get(c, p, zstr_of(r->address))) == NULL)
			continue;
		if (p->m.recipient_count == before && is_final(pr->status))
			p->final_count--;
		if (is_final(r->status))
			p->final_count++;
		set_str(&p->arena, &pr->transport, zstr_of(r->transport));
		set_reply(&p->arena, pr, zstr_of(r->response),
		    zstr_of(r->dsn));
		/* The copy's line (or its own copy's) logged it. */
		set_str(&p->arena, &pr->queue_id, zstr_of(r->queue_id != NULL ?
		    r->queue_id : e->m.queue_id));
		pr->deferrals = r->deferrals > UINT32_MAX - pr->deferrals ?
		    UINT32_MAX : pr->deferrals + r->deferrals;
		set_status(p, pr, r->status);
		pr->time_sec = r->time_sec;
	}
	p->m.local_rejects = e->m.local_rejects > UINT32_MAX -
	    p->m.local_rejects ? UINT32_MAX : p->m.local_rejects +
	    e->m.local_rejects;
	if (e->m.stage != NULL) {
		set_str(&p->arena, &p->m.stage, zstr_of(e->m.stage));
		set_str(&p->arena, &p->m.reject_dsn, zstr_of(e->m.reject_dsn));
		set_str(&p->arena, &p->m.reject_response,
		    zstr_of(e->m.reject_response));
		p->m.reject_recipient = NULL;
		set_str(&p->arena, &p->m.reject_recipient,
		    zstr_of(e->m.reject_recipient));
		p->m.reject_sec = e->m.reject_sec;
	}
	if (e->m.expired)
		p->m.expired = true;
	if (e->m.maybe_joined)
		p->m.maybe_joined = true;
	if (e->m.last_sec > p->m.last_sec)
		p->m.last_sec = e->m.last_sec;
	if (!is_closed || e->joined_incomplete)
		p->joined_incomplete = true;
	c->stats.messages_joined++;
	add_joined(p, e->m.queue_id, is_closed);
	for (i = 0; i < e->m.joined_count; i++)
		add_joined(p, e->m.joined[i].queue_id,
		    e->m.joined[i].is_complete);
	disown(e);
	/* A close can close others (the last copy of a parked message
	   closes it, and so on up), and the caller of the first may still
	   hold any of them: freed at the next call in. */
	e->gone = true;
	list_append(&c->gone, &e->order);
	if (p->children == 0 && p->parked)
		message_close(c, p, p->parked_sec);
}

/*
 * relay_ip - the address in a delivery's "relay=name[address]:port",
 * canonical, into buf; false when there is none
 */
static bool
relay_ip(struct zstr relay, char *buf, size_t bufsize)
{
	const char	*open, *close;

	if (!zstr_is_set(relay) || relay.len == 0 ||
	    (open = memchr(relay.ptr, '[', relay.len)) == NULL ||
	    (close = memchr(open, ']', (size_t)(relay.ptr + relay.len -
	    open))) == NULL || close == open + 1)
		return false;
	return canonical_ip(open + 1, (size_t)(close - open - 1), buf,
	    bufsize) != SIZE_MAX;
}

/*
 * is_filter_discard - a content filter's answer that it took the
 * message and threw it away as spam or malware: amavisd-new's
 * "250 2.7.0 Ok, discarded, id=00734-05 - spam" (or "- INFECTED:
 * name", "- VIRUS: name" before 2.7, "- BANNED: name", "- SPAMMY"),
 * and its answers for a blocked message it bounces itself (a
 * final_*_destiny of D_BOUNCE): "250 2.5.0 Ok, id=06143-10, BOUNCE",
 * or "..., DISCARD(bounce.suppressed)" when the bounce is not sent
 */
static bool
is_filter_discard(struct zstr reply)
{
	static const char head[] = "250 2.7.0 Ok, discarded, ";
	static const char bounce_head[] = "250 2.5.0 Ok, id=";
	static const char *const verdicts[] = {
		"spam", "infected", "virus", "banned"
	};
	const size_t	 n = sizeof(head) - 1;
	const size_t	 nb = sizeof(bounce_head) - 1;
	const char	*p, *end;
	size_t		 i, len;

	if (!zstr_is_set(reply))
		return false;
	end = reply.ptr + reply.len;
	if (reply.len > nb && memcmp(reply.ptr, bounce_head, nb) == 0) {
		/* the id is one word; the action follows ", " */
		p = memchr(reply.ptr + nb, ',', reply.len - nb);
		if (p == NULL || end - p < 2 || p[1] != ' ')
			return false;
		p += 2;
		len = (size_t)(end - p);
		return (len == 6 && memcmp(p, "BOUNCE", 6) == 0) ||
		    (len > 8 && memcmp(p, "DISCARD(", 8) == 0);
	}
	if (reply.len < n || memcmp(reply.ptr, head, n) != 0)
		return false;
	for (p = reply.ptr + n; end - p >= 3; p++) {
		if (memcmp(p, " - ", 3) != 0)
			continue;
		p += 3;
		for (i = 0; i < sizeof(verdicts) / sizeof(verdicts[0]); i++) {
			len = strlen(verdicts[i]);
			if ((size_t)(end - p) >= len &&
			    strncasecmp(p, verdicts[i], len) == 0)
				return true;
		}
		return false;
	}
	return false;
}

/*
 * on_filter_discard - the relay's own content filter refused the
 * message (discarding it rather than bouncing it): counted once per
 * message as a local refusal, like a header check or milter reject
 */
static void
on_filter_discard(struct entry *e, const struct mta_event *ev)
{
	struct message	*m = &e->m;

	if (e->discarded)
		return;
	e->discarded = true;
	if (m->local_rejects < UINT32_MAX)
		m->local_rejects++;
	set_str(&e->arena, &m->stage, ZSTR_LIT("END-OF-MESSAGE"));
	set_str(&e->arena, &m->reject_dsn, ev->dsn);
	set_str(&e->arena, &m->reject_response, ev->response);
	m->reject_recipient = NULL;
	m->reject_sec = ev->time_sec;
}

/* is_ancestor - whether a is e or a message e is a copy of */
static bool
is_ancestor(const struct entry *a, const struct entry *e)
{
	for (; e != NULL; e = e->parent)
		if (e == a)
			return true;
	return false;
}

/* adopt - child is a content filter's copy of e (join_child()) */
static void
adopt(struct correlator *c, struct entry *e, struct entry *child)
{
	child->parent = e;
	child->next_sibling = e->first_child;
	e->first_child = child;
	e->children++;
	index_drop(c, INDEX_COPIES, child);
}

/*
 * link_copy - a delivery of e was accepted by a content filter that
 * handed the message back to this relay (amavisd-new and the like
 * behind a Postfix content_filter or an Exim transport): the reply
 * named the queue ID of the copy (Postfix's "queued as ID", Exim's
 * "id=ID"), and the copy is an open message on the same relay
 * received over SMTP, without a login, from the address the delivery
 * went to (any address of the host itself when the delivery went to
 * one).  The copy then belongs to e: its recipients' outcomes will
 * replace the hand-over when it closes (join_child()).  A reply from a
 * remote server names an ID of that server, which matches no such copy.
 */
static void
link_copy(struct correlator *c, struct host *h, struct entry *e,
    const struct mta_event *ev)
{
	struct entry	*child;
	char		 ip[64];

	if ((child = message_peek(c, h->name, h->len,
	    ev->related_queue_id)) == NULL ||
	    child->parent != NULL || child->m.origin != ORIGIN_SMTP ||
	    child->m.sasl_username != NULL || child->m.client_ip == NULL ||
	    !relay_ip(ev->relay, ip, sizeof(ip)) ||
	    (strcmp(ip, child->m.client_ip) != 0 &&
	    /* a filter may hand over on one loopback address and take
	       back on another */
	    !(cidr_is_loopback_text(ip) &&
	    cidr_is_loopback_text(child->m.client_ip))) ||
	    is_ancestor(child, e))
		return;
	/* e is newer in both LRU lists: its line touched it. */
	adopt(c, e, child);
}

/*
 * Filters on a local transport (FILTER_RUN_SEC).  The copy and the
 * message it was made from find each other by Message-ID when the
 * later of two lines comes: the delivery to the local transport
 * (on_local_handover()) or the copy's Message-ID (on_message_id()).
 * A copy whose delivery to the filter outlasts the message (its
 * "removed" came first) is left alone, as are several candidates past
 * the oldest of the same sender.
 *
 * A run saving a partial (partial.c) cannot see a link whose lines
 * began in an earlier part; maybe_joined asks it to hold back what
 * might have one.  With no partner found: a possible copy while a
 * message of its relay was handed to a local transport before its
 * Message-ID could be seen (blind, and each possible copy open when
 * that happens), and any either side within FILTER_RUN_SEC of its
 * relay's first line (the partner's line may lie before it).
 */

/* is_local_transport - a delivery to no network address (relay_ip()):
   a pipe, a mailbox, an LMTP socket ("relay=name[private/lmtp]") */
static bool
is_local_transport(const struct mta_event *ev)
{
	char	ip[64];

	/* Most name a port last, "name[address]:port" (Postfix, Exim's
	   H=): no address to parse for them. */
	if (zstr_is_set(ev->relay) && ev->relay.len > 0 &&
	    isdigit((unsigned char)ev->relay.ptr[ev->relay.len - 1]))
		return false;
	return !relay_ip(ev->relay, ip, sizeof(ip));
}

/* same_sender - whether the two envelope senders may be one (an
   unknown one may) */
static bool
same_sender(const struct entry *a, const struct entry *b)
{
	return a->m.sender == NULL || b->m.sender == NULL ||
	    strcmp(a->m.sender, b->m.sender) == 0;
}

/* may_be_copy - submitted locally (or of no origin seen), no copy of
   another message yet */
static bool
may_be_copy(const struct entry *e)
{
	return (e->m.origin == ORIGIN_PICKUP ||
	    e->m.origin == ORIGIN_UNKNOWN) && e->parent == NULL;
}

/*
 * copy_candidate - whether e, whose Message-ID came at time_sec, is
 * filed as a possible copy: submitted locally, or of no origin seen
 * within FILTER_RUN_SEC of its relay's first line (its pickup line may
 * lie before it; later such a message is one the relay made itself,
 * a bounce)
 */
static bool
copy_candidate(const struct entry *e, const struct host *h,
    int64_t time_sec)
{
	return may_be_copy(e) && (e->m.origin == ORIGIN_PICKUP ||
	    !correlator_is_older(time_sec, h->first_sec, FILTER_RUN_SEC));
}

/* find_copy - the oldest possible copy of p filed under p's key */
static struct entry *
find_copy(struct correlator *c, struct entry *p)
{
	struct entry	*x;

	for (x = index_head(c, INDEX_COPIES, p); x != NULL; x = x->copy_next)
		if (x != p && may_be_copy(x) && same_sender(x, p) &&
		    !is_ancestor(x, p))
			return x;
	return NULL;
}

/* find_parent - the oldest message handed to a local transport that
   e, filed under the same key, may be a copy of */
static struct entry *
find_parent(struct correlator *c, struct entry *e)
{
	struct entry	*p;

	for (p = index_head(c, INDEX_HANDED, e); p != NULL;
	    p = p->handed_next)
		if (p != e && same_sender(p, e) && !is_ancestor(e, p))
			return p;
	return NULL;
}

/* mark_copies - every possible copy of host h but e may have a
   parent this run cannot see */
static void
mark_copies(struct host *h, const struct entry *e)
{
	struct link	*l;
	struct entry	*x;

	for (l = h->copies.next; l != &h->copies; l = l->next) {
		x = CONTAINER_OF(l, struct entry, copy_link);
		if (x != e)
			x->m.maybe_joined = true;
	}
}

/*
 * on_local_handover - a recipient of e went to a local transport,
 * perhaps a filter that submits the message again: its copy, if one
 * came already, is linked
 */
static void
on_local_handover(struct correlator *c, struct host *h, struct entry *e,
    const struct mta_event *ev)
{
	struct entry	*child;

	if (!e->handed) {
		e->handed = true;
		if (mid_key(e) == NULL) {
			e->blind = true;
			h->handed_blind++;
		} else
			index_add(c, INDEX_HANDED, e);
	}
	if (e->blind) {
		mark_copies(h, e);
		return;
	}
	if (!e->in_handed)
		return;
	if ((child = find_copy(c, e)) != NULL)
		adopt(c, e, child);
	else if (!correlator_is_older(ev->time_sec, h->first_sec,
	    FILTER_RUN_SEC))
		e->m.maybe_joined = true;
}

/*
 * on_message_id - e's Message-ID was logged: filed again under it; a
 * message submitted locally is linked to the message it is a copy of
 * when that was handed to a local transport already
 */
static void
on_message_id(struct correlator *c, struct host *h, struct entry *e,
    int64_t time_sec)
{
	struct entry	*p;
	bool		 candidate = copy_candidate(e, h, time_sec);

	if (e->in_copies || e->in_handed) {
		index_drop(c, INDEX_COPIES, e);
		index_drop(c, INDEX_HANDED, e);
	}
	e->mid_key = NULL;
	/* Most messages are neither (received over SMTP, not handed to
	   a local transport yet): no key made. */
	if ((!e->handed && !candidate) || mid_key(e) == NULL)
		return;
	if (e->handed) {
		if (e->blind) {
			e->blind = false;
			h->handed_blind--;
		}
		index_add(c, INDEX_HANDED, e);
	}
	if (!candidate)
		return;
	if ((p = find_parent(c, e)) != NULL) {
		adopt(c, p, e);
		/* The message stays newer than its copy. */
		touch(c, e, time_sec);
		return;
	}
	index_add(c, INDEX_COPIES, e);
	if (h->handed_blind > 0 || !correlator_is_older(time_sec,
	    h->first_sec, FILTER_RUN_SEC))
		e->m.maybe_joined = true;
}

/*
 * rejects_whole_message - whether a refusal with a queue ID discards
 * the message.  Postfix's cleanup (header/body checks, and milters at
 * end of message) throws the queue file away itself; qmgr never sees
 * it, so no "removed" line follows.  So does a DISCARD action, from
 * smtpd too: the rest of the transaction is taken unchecked and
 * nothing more of the message is logged.  smtpd's refusals of one
 * more recipient in an open transaction leave the message going.
 * Sendmail logs its discard before the recipients it names (LogLevel
 * 10 and up): the message is refused, and done as its other refusals
 * make it (sendmail_check_done()).
 */
static bool
rejects_whole_message(const struct mta_event *ev)
{
	const struct zstr p = ev->program;

	if (ev->reject_origin == REJECT_CLEANUP ||
	    (ev->reject_origin == REJECT_DISCARD && ev->mta != MTA_SENDMAIL))
		return true;
	return ev->reject_origin == REJECT_MILTER && p.len >= 7 &&
	    memcmp(p.ptr + p.len - 7, "cleanup", 7) == 0 &&
	    (p.len == 7 || p.ptr[p.len - 8] == '/');
}

static void	sendmail_check_done(struct correlator *, struct entry *);
static bool	is_held_refusal(const struct mta_event *);

/* on_message_reject - a refusal naming a queued message */
static void
on_message_reject(struct correlator *c, struct entry *e,
    const struct mta_event *ev)
{
	struct message	*m = &e->m;

	/* Sendmail logs a discard once a message, or once a recipient
	   (LogLevel 10 and up): one refusal. */
	if (ev->mta == MTA_SENDMAIL && ev->reject_origin == REJECT_DISCARD &&
	    e->refused)
		return;
	if (m->local_rejects < UINT32_MAX)
		m->local_rejects++;
	set_str(&e->arena, &m->stage, ev->stage);
	set_str(&e->arena, &m->reject_dsn, ev->dsn);
	set_str(&e->arena, &m->reject_response, ev->response);
	/* A refusal of one more recipient names it; the message's
	   own recipients were accepted. */
	m->reject_recipient = NULL;
	set_str(&e->arena, &m->reject_recipient, ev->recipient);
	m->reject_sec = ev->time_sec;
	/* The refusal repeats the client and envelope; they fill in what
	   the log lost before its start, but never override. */
	if (m->client_ip == NULL)
		set_ip(c, &e->arena, &m->client_ip, ev->client_ip);
	set_str_if_unset(&e->arena, &m->client_name, ev->client_name);
	set_str_if_unset(&e->arena, &m->helo, ev->helo);
	set_str_if_unset(&e->arena, &m->sender, ev->sender);
	if (rejects_whole_message(ev)) {
		message_close(c, e, ev->time_sec);
	} else if (ev->mta == MTA_SENDMAIL) {
		/* Only DATA and end-of-message refusals get here. */
		e->refused = true;
		sendmail_check_done(c, e);
	}
}

/* on_noqueue_reject - a refusal before any queue file: its own record */
static void
on_noqueue_reject(struct correlator *c, struct host *h,
    const struct mta_event *ev)
{
	struct entry	*e = entry_new(c, h, RECORD_REJECT, ev->time_sec);
	struct arena	*a = &e->arena;
	struct message	*m = &e->m;
	struct session	*s;

	m->origin = ORIGIN_SMTP;
	set_ip(c, a, &m->client_ip, ev->client_ip);
	set_str(a, &m->client_name, ev->client_name);
	set_str(a, &m->helo, ev->helo);
	set_str(a, &m->sender, ev->sender);
	set_str(a, &m->sasl_method, ev->sasl_method);
	set_str(a, &m->sasl_username, ev->sasl_username);
	set_str(a, &m->stage, ev->stage);
	set_str(a, &m->reject_dsn, ev->dsn);
	set_str(a, &m->reject_response, ev->response);
	refusal_recipient(e, ev);
	/* Postfix names no SASL user on "NOQUEUE: reject" lines; the user
	   the same smtpd process logged in as, for the same client, is the
	   one refused.  (Only for the same client: a process ID is reused,
	   and Sendmail logs no end of a connection.  Sendmail's milter
	   refusals, "Milter: from=<s>, reject=...", name no client, so
	   they stay nobody's.) */
	s = session_find(c, h, ev->pid, ev->time_sec);
	if (s != NULL && m->sasl_username == NULL &&
	    s->sasl_username != NULL && s->client_ip != NULL &&
	    m->client_ip != NULL && strcmp(s->client_ip, m->client_ip) == 0) {
		m->sasl_username = arena_memdup0(&e->arena,
		    s->sasl_username, strlen(s->sasl_username));
		if (m->sasl_method == NULL && s->sasl_method != NULL)
			m->sasl_method = arena_memdup0(&e->arena,
			    s->sasl_method, strlen(s->sasl_method));
	}
	c->stats.rejects++;
	record_ready(c, e);
}

/* on_auth_failed - a failed SASL login: its own record */
static void
on_auth_failed(struct correlator *c, struct host *h,
    const struct mta_event *ev)
{
	struct entry	*e = entry_new(c, h, RECORD_AUTH_FAILURE, ev->time_sec);
	struct arena	*a = &e->arena;
	struct message	*m = &e->m;

	/* Only the name the failed attempt itself logged: a session that
	   logged in before proves nothing about this attempt. */
	m->origin = ORIGIN_SMTP;
	set_ip(c, a, &m->client_ip, ev->client_ip);
	set_str(a, &m->client_name, ev->client_name);
	set_str(a, &m->sasl_method, ev->sasl_method);
	set_str(a, &m->sasl_username, ev->sasl_username);
	set_str(a, &m->reject_response, ev->response);
	(void)session_find(c, h, ev->pid, ev->time_sec);
	c->stats.auth_failures++;
	record_ready(c, e);
}

/* has_queue_id - whether ev names a queue ID */
static bool
has_queue_id(const struct mta_event *ev)
{
	return zstr_is_set(ev->queue_id) && ev->queue_id.len > 0;
}

/* client_logs_in - whether a "client=" line names its SASL login */
static bool
client_logs_in(const struct mta_event *ev)
{
	return zstr_is_set(ev->sasl_username) && ev->sasl_username.len > 0;
}

/* on_client - smtpd's "client=" line */
static void
on_client(struct correlator *c, struct host *h, struct entry *e,
    const struct mta_event *ev)
{
	struct message	*m = &e->m;
	struct session	*s;

	if (m->origin != ORIGIN_BOUNCE)
		m->origin = ORIGIN_SMTP;
	set_ip(c, &e->arena, &m->client_ip, ev->client_ip);
	set_str(&e->arena, &m->client_name, ev->client_name);
	set_str(&e->arena, &m->helo, ev->helo);
	set_str(&e->arena, &m->sasl_method, ev->sasl_method);
	/* Postfix logs sasl_username on every "client=" line of an
	   authenticated session; remember it for the session's refusals. */
	if (client_logs_in(ev)) {
		set_str(&e->arena, &m->sasl_username, ev->sasl_username);
		if (!c->resolved && (s = session_get(c, h, ev->pid,
		    ev->time_sec, true)) != NULL) {
			set_ip(c, NULL, &s->client_ip, ev->client_ip);
			set_str(NULL, &s->sasl_method, ev->sasl_method);
			set_str(NULL, &s->sasl_username, ev->sasl_username);
		}
		return;
	}
	/* Sendmail logs the login on a line of its own ("AUTH=server",
	   EV_AUTH_OK) before the message's "from=" line, by the same
	   process: the message was sent as the user that process logged
	   in as, if the client is the same, unless the line says there
	   was no login (an empty one: its protocol, for a process ID
	   reused by another connection). */
	s = session_find(c, h, ev->pid, ev->time_sec);
	if (s != NULL && m->sasl_username == NULL &&
	    !zstr_is_set(ev->sasl_username) &&
	    s->sasl_username != NULL && s->client_ip != NULL &&
	    m->client_ip != NULL && strcmp(s->client_ip, m->client_ip) == 0) {
		m->sasl_username = arena_memdup0(&e->arena,
		    s->sasl_username, strlen(s->sasl_username));
		if (m->sasl_method == NULL && s->sasl_method != NULL)
			m->sasl_method = arena_memdup0(&e->arena,
			    s->sasl_method, strlen(s->sasl_method));
	}
}

/* is_about - whether an event names an open message (host and ID) */
static bool
is_about(const struct entry *e, const struct mta_event *ev)
{
	return zstr_is_set(ev->queue_id) && zstr_same(e->m.queue_id,
	    ev->queue_id) && e->host->len == ev->host.len &&
	    (ev->host.len == 0 || memcmp(e->host->name, ev->host.ptr,
	    ev->host.len) == 0);
}

/*
 * settle_pending - close the Sendmail message whose close was put off
 * (see sendmail_check_done()).
 */
static void
settle_pending(struct correlator *c, struct entry *e)
{
	list_unlink(&e->pend);
	e->pending = false;
	message_close(c, e, e->m.last_sec);
}

/*
 * settle_due - close h's Sendmail messages its clock has passed, but
 * for the one ev (when not NULL) is about: the line that moved the
 * clock goes to its message, whose wait starts again from this second.
 * Closing one may close others of the list (the last copy of a parked
 * message closes it), so each turn starts from the list's head; a
 * message waiting again goes last, with a wait not yet over.
 */
static void
settle_due(struct correlator *c, struct host *h, const struct mta_event *ev)
{
	struct entry	*e;

	while (!list_is_empty(&h->pending)) {
		e = CONTAINER_OF(h->pending.next, struct entry, pend);
		if (e->done_sec >= h->newest_sec)
			break;
		if (ev == NULL || !is_about(e, ev))
			settle_pending(c, e);
		else {
			e->done_sec = h->newest_sec;
			list_move_last(&h->pending, &e->pend);
		}
	}
}

/*
 * sendmail_check_done - Sendmail logs no end of a message (its "done"
 * line needs LogLevel 10 and a queue run), so a message is done when
 * it expired (a DSN said "Cannot send message for ..."), when as many
 * recipients as its "from=" line declared (nrcpts=) have a final
 * outcome (deferred is not final; nrcpts=0: nothing was accepted), or
 * when its "from=" line was seen and the message was refused whole
 * (at DATA or at its end: a milter, check_data, check_eom), or, for
 * a DSN Sendmail generated (which has no "from=" line), when every
 * recipient it names has one.  The close is put off until a line of
 * the relay moves its clock past the second of the line that found the
 * message done, unless that line is about the message itself: one "to="
 * line gives an event per recipient, alias expansion can deliver more
 * recipients than were declared, and Sendmail notes the DSN it sends
 * after the delivery that failed.  (The relay's clock, not any line
 * about another message: a partial's carried lines and their clocks
 * tell the one exactly, and not the other.)
 *
 * Sendmail opens an envelope, and logs a queue ID, at MAIL FROM:
 * refusals of MAIL and RCPT name it, and a transaction whose every
 * recipient was refused still ends in "from=..., nrcpts=0".  Postfix
 * ("NOQUEUE: reject") and Exim log such refusals without a message:
 * so each is a record of its own (see correlator_feed()), and an SMTP
 * transaction that ends with nothing accepted is no message at all.
 * Likewise a message refused whole carries no size: Sendmail logs the
 * size it received, Postfix and Exim log none for a message they
 * refused.
 */
static void
sendmail_check_done(struct correlator *c, struct entry *e)
{
	const struct message *m = &e->m;
	bool		 done;

	if (m->expired)
		done = true;
	else if (e->nrcpt_declared)
		done = (e->final_count >= m->nrcpt &&
		    e->deferred_count == 0) || e->refused;
	else
		done = m->origin == ORIGIN_BOUNCE && m->recipient_count > 0 &&
		    e->final_count >= m->recipient_count;
	if (e->refused)
		e->m.size_bytes = 0;
	if (done && e->nrcpt_declared && m->nrcpt == 0 &&
	    m->recipient_count == 0 && m->local_rejects == 0 &&
	    m->origin == ORIGIN_SMTP) {
		/* Nothing was accepted: no message (see above). */
		message_discard(c, e);
		return;
	}
	if (done) {
		/* Found done again: the clock starts again. */
		if (e->pending)
			list_unlink(&e->pend);
		e->pending = true;
		e->done_sec = e->host->newest_sec;
		list_append(&e->host->pending, &e->pend);
	} else if (e->pending) {
		list_unlink(&e->pend);
		e->pending = false;
	}
}

/*
 * on_sendmail_closing - Sendmail's "done" (EV_REMOVED), DSN notices
 * (EV_BOUNCE_NOTICE) and expiries (EV_EXPIRED, from a notice) for a
 * message that may be closed already, or began before the log: they
 * act on an open message but neither open one nor count as orphans
 * when there is none (a notice still marks its DSN as a bounce).
 */
static void
on_sendmail_closing(struct correlator *c, struct host *h,
    const struct mta_event *ev)
{
	struct entry	*e, *related;

	e = message_find(c, h, ev->queue_id, ev->time_sec);
	if (ev->kind == EV_REMOVED) {
		if (e != NULL)
			message_close(c, e, ev->time_sec);
		return;
	}
	if (ev->kind == EV_EXPIRED) {
		if (e != NULL) {
			e->m.expired = true;
			sendmail_check_done(c, e);
		}
		return;
	}
	if (!zstr_is_set(ev->related_queue_id) ||
	    ev->related_queue_id.len == 0)
		return;
	related = message_get(c, h, ev->related_queue_id, ev->time_sec,
	    false, NULL);
	if (related != NULL) {
		related->m.origin = ORIGIN_BOUNCE;
		sendmail_check_done(c, related);
	}
}

/* hold_refusal - a refusal is_held_refusal() takes, held on e */
static void
hold_refusal(struct correlator *c, struct host *h, struct entry *e,
    const struct mta_event *ev)
{
	struct entry	*r;
	struct arena	*a;

	if (e->held_count >= HELD_REFUSALS_MAX) {
		r = e->held;
		if (r->repeat < UINT32_MAX)
			r->repeat++;
		if (ev->time_sec > r->m.last_sec)
			r->m.last_sec = ev->time_sec;
		return;
	}
	r = entry_new(c, h, RECORD_REJECT, ev->time_sec);
	a = &r->arena;
	r->m.origin = ORIGIN_SMTP;
	set_str(a, &r->m.queue_id, ev->queue_id);
	set_str(a, &r->m.helo, ev->helo);
	set_str(a, &r->m.sender, ev->sender);
	set_str(a, &r->m.stage, ev->stage);
	set_str(a, &r->m.reject_dsn, ev->dsn);
	set_str(a, &r->m.reject_response, ev->response);
	refusal_recipient(r, ev);
	r->next_held = e->held;
	e->held = r;
	e->held_count++;
}

/* on_message_event - a line about one queued message */
static void
on_message_event(struct correlator *c, struct host *h,
    const struct mta_event *ev)
{
	struct entry	*e, *related;
	bool		 can_open, held, opened;

	if (!has_queue_id(ev))
		return;
	if (ev->mta == MTA_SENDMAIL && (ev->kind == EV_REMOVED ||
	    ev->kind == EV_BOUNCE_NOTICE || ev->kind == EV_EXPIRED)) {
		on_sendmail_closing(c, h, ev);
		return;
	}
	/* A reused queue ID starts with one of these (see ORPHAN_WINDOW);
	   so does a Sendmail transaction with a refusal held. */
	held = ev->kind == EV_REJECT && is_held_refusal(ev);
	can_open = ev->kind == EV_CLIENT || ev->kind == EV_PICKUP ||
	    ev->kind == EV_MESSAGE_ID || held;
	if ((e = message_get(c, h, ev->queue_id, ev->time_sec,
	    can_open, &opened)) == NULL && ev->kind != EV_BOUNCE_NOTICE)
		return;
	if (held) {
		/* Opened by this refusal: nothing but refusals so far. */
		if (opened)
			e->held_only = true;
		hold_refusal(c, h, e, ev);
		return;
	}
	if (e != NULL)
		e->held_only = false;
	switch (ev->kind) {
	case EV_CLIENT:
		on_client(c, h, e, ev);
		break;
	case EV_PICKUP:
		if (e->m.origin != ORIGIN_BOUNCE)
			e->m.origin = ORIGIN_PICKUP;
		if (ev->uid >= 0)
			e->m.uid = ev->uid;
		set_str(&e->arena, &e->m.sender, ev->sender);
		/* Exim's local SMTP (-bs) with AUTH */
		set_str_if_unset(&e->arena, &e->m.sasl_method,
		    ev->sasl_method);
		set_str_if_unset(&e->arena, &e->m.sasl_username,
		    ev->sasl_username);
		break;
	case EV_MESSAGE_ID:
		set_str(&e->arena, &e->m.message_id, ev->message_id);
		if (ev->mta != MTA_SENDMAIL)
			on_message_id(c, h, e, ev->time_sec);
		break;
	case EV_QUEUED:
		/* qmgr logs from=, size=, nrcpt= each time the message
		   enters the active queue; set_str keeps an equal copy. */
		set_str(&e->arena, &e->m.sender, ev->sender);
		e->m.size_bytes = ev->size_bytes;
		e->m.nrcpt = ev->nrcpt;
		e->nrcpt_declared = true;
		if (ev->mta == MTA_SENDMAIL)
			sendmail_check_done(c, e);
		break;
	case EV_DELIVERY:
		on_delivery(c, e, ev);
		if (ev->mta == MTA_SENDMAIL) {
			/* The MSP hands local mail to the MTA over SMTP. */
			if (ev->status == DELIVERY_SENT &&
			    zstr_is_set(ev->related_queue_id))
				link_copy(c, h, e, ev);
			sendmail_check_done(c, e);
		} else if (ev->status == DELIVERY_SENT) {
			if (zstr_is_set(ev->related_queue_id))
				link_copy(c, h, e, ev);
			else if (is_filter_discard(ev->response))
				on_filter_discard(e, ev);
			else if (is_local_transport(ev))
				on_local_handover(c, h, e, ev);
		}
		break;
	case EV_EXPIRED:
		e->m.expired = true;
		set_str(&e->arena, &e->m.sender, ev->sender);
		break;
	case EV_BOUNCE_NOTICE:
		if (!zstr_is_set(ev->related_queue_id) ||
		    ev->related_queue_id.len == 0)
			break;
		related = message_get(c, h, ev->related_queue_id,
		    ev->time_sec, false, NULL);
		if (related != NULL)
			related->m.origin = ORIGIN_BOUNCE;
		break;
	case EV_REMOVED:
		message_close(c, e, ev->time_sec);
		break;
	case EV_REJECT:
		on_message_reject(c, e, ev);
		break;
	default:
		break;
	}
}

/* on_session_event - connect, disconnect, SASL success */
static void
on_session_event(struct correlator *c, struct host *h,
    const struct mta_event *ev)
{
	struct session	*s;

	/* Another run started or ended it. */
	if (c->resolved)
		return;
	switch (ev->kind) {
	case EV_CONNECT:
		/* An smtpd process serves one session at a time: a connect
		   replaces whatever the pid did before. */
		if ((s = session_get(c, h, ev->pid, ev->time_sec, false)) !=
		    NULL)
			session_drop(c, s);
		if ((s = session_get(c, h, ev->pid, ev->time_sec, true)) !=
		    NULL)
			set_ip(c, NULL, &s->client_ip, ev->client_ip);
		break;
	case EV_DISCONNECT:
		if ((s = session_get(c, h, ev->pid, ev->time_sec, false)) !=
		    NULL)
			session_drop(c, s);
		break;
	case EV_AUTH_OK:
		if ((s = session_get(c, h, ev->pid, ev->time_sec, true)) ==
		    NULL)
			break;
		set_ip(c, NULL, &s->client_ip, ev->client_ip);
		set_str(NULL, &s->sasl_method, ev->sasl_method);
		set_str(NULL, &s->sasl_username, ev->sasl_username);
		break;
	default:
		break;
	}
}

/* message_evict - cut a message short: idle, or over max_open (a
   content filter's copy is counted as joined, a parent already removed
   as complete) */
static void
message_evict(struct correlator *c, struct entry *e)
{
	if (held_only_end(c, e))
		return;
	if (e->parent == NULL && !e->parked)
		c->stats.messages_evicted++;
	message_ready(c, e, false, 0);
}

/* expire - hand out what is idle on a host, and what is over the
   limits anywhere */
static void
expire(struct correlator *c, struct host *h)
{
	struct entry	*e;
	struct session	*s;

	while (!list_is_empty(&h->messages)) {
		e = CONTAINER_OF(h->messages.next, struct entry, by_host);
		if (!correlator_is_older(h->newest_sec, e->m.last_sec,
		    c->opts.max_idle_sec))
			break;
		message_evict(c, e);
	}
	while (!list_is_empty(&h->sessions)) {
		s = CONTAINER_OF(h->sessions.next, struct session, by_host);
		if (!correlator_is_older(h->newest_sec, s->last_sec,
		    CORRELATOR_SESSION_IDLE_SEC))
			break;
		session_drop(c, s);
	}
	while (c->open_count > c->opts.max_open) {
		e = CONTAINER_OF(c->open_lru.next, struct entry, order);
		/* A Sendmail message done is closed, not cut short. */
		if (e->pending) {
			settle_pending(c, e);
			continue;
		}
		message_evict(c, e);
	}
	while (strmap_count(c->sessions) > c->opts.max_sessions)
		session_drop(c, CONTAINER_OF(c->session_lru.next,
		    struct session, order));
}

/* correlator_new - an empty correlator */
struct correlator *
correlator_new(const struct correlator_options *opts)
{
	struct correlator *c = xcalloc(1, sizeof(*c));

	if (opts != NULL)
		c->opts = *opts;
	if (c->opts.max_open == 0)
		c->opts.max_open = DEFAULT_MAX_OPEN;
	if (c->opts.max_sessions == 0)
		c->opts.max_sessions = DEFAULT_MAX_SESSIONS;
	if (c->opts.max_idle_sec <= 0)
		c->opts.max_idle_sec = DEFAULT_MAX_IDLE_SEC;
	if (c->opts.max_recipients == 0)
		c->opts.max_recipients = DEFAULT_MAX_RECIPIENTS;
	c->messages = strmap_new_borrowing(NULL);
	c->sessions = strmap_new_borrowing(NULL);
	c->hosts = strmap_new(NULL);
	c->copies = strmap_new_borrowing(NULL);
	c->handed = strmap_new_borrowing(NULL);
	list_init(&c->open_lru);
	list_init(&c->ready);
	list_init(&c->gone);
	list_init(&c->session_lru);
	list_init(&c->tombstones);
	list_init(&c->free_entries);
	list_init(&c->free_tombstones);
	arena_pool_init(&c->arena_pool, ARENA_POOL_BYTES);
	c->ip_raw_len = SIZE_MAX;
	return c;
}

/* correlator_free - free everything, open and ready records included */
void
correlator_free(struct correlator *c)
{
	struct entry	*e;
	struct tombstone *t;

	if (c == NULL)
		return;
	release_returned(c);
	while (!list_is_empty(&c->ready)) {
		e = CONTAINER_OF(c->ready.next, struct entry, order);
		list_unlink(&e->order);
		entry_free(c, e);
	}
	while (!list_is_empty(&c->open_lru)) {
		e = CONTAINER_OF(c->open_lru.next, struct entry, order);
		list_unlink(&e->order);
		list_unlink(&e->by_host);
		drop_held(c, e);
		entry_free(c, e);
	}
	while (!list_is_empty(&c->session_lru))
		session_drop(c, CONTAINER_OF(c->session_lru.next,
		    struct session, order));
	while (!list_is_empty(&c->tombstones))
		tombstone_free(c, CONTAINER_OF(c->tombstones.next,
		    struct tombstone, order));
	while (!list_is_empty(&c->free_entries)) {
		e = CONTAINER_OF(c->free_entries.next, struct entry, order);
		list_unlink(&e->order);
		free(e);
	}
	while (!list_is_empty(&c->free_tombstones)) {
		t = CONTAINER_OF(c->free_tombstones.next, struct tombstone,
		    order);
		list_unlink(&t->order);
		free(t);
	}
	/* Every arena is reset by now: the pool holds their blocks. */
	arena_pool_clear(&c->arena_pool);
	strmap_free(c->messages);
	strmap_free(c->sessions);
	strmap_free(c->hosts);
	strmap_free(c->copies);
	strmap_free(c->handed);
	free(c->found_buf);
	free(c->keybuf);
	free(c);
}

/*
 * is_command_refusal - a refusal of one MAIL or RCPT command that names
 * a queue ID but refuses no message: Sendmail's (its envelope has an
 * ID from MAIL FROM on, see sendmail_check_done()), and Postfix's
 * smtpd refusing one more recipient of a transaction that already has
 * a queue file ("QID: reject: RCPT from").  Each is a record of its
 * own, as "NOQUEUE: reject" and Exim's "rejected RCPT" are, so that a
 * refusal counts alike whichever recipient of the transaction came
 * first; the SMTP session names its user (on_noqueue_reject()).
 * Refusals at DATA and at the end of the message refuse the message.
 */
static bool
is_command_refusal(const struct mta_event *ev)
{
	if (ev->mta == MTA_POSTFIX)
		return ev->reject_origin == REJECT_SMTPD &&
		    zstr_is_set(ev->stage) && zstr_eq_cstr(ev->stage, "RCPT");
	return ev->mta == MTA_SENDMAIL && !(zstr_is_set(ev->stage) &&
	    (zstr_eq_cstr(ev->stage, "DATA") ||
	    zstr_eq_cstr(ev->stage, "END-OF-MESSAGE")));
}

/*
 * is_held_refusal - a Sendmail command refusal that names no client:
 * held until its transaction's "from=" line does (hold_refusal())
 */
static bool
is_held_refusal(const struct mta_event *ev)
{
	return ev->mta == MTA_SENDMAIL && has_queue_id(ev) &&
	    is_command_refusal(ev) &&
	    !(zstr_is_set(ev->client_ip) && ev->client_ip.len > 0);
}

/*
 * is_message_reject - whether a refusal (EV_REJECT) is a line of a
 * queued message: one that refuses it, or one held on it until it
 * names its client; the others are records of their own that take the
 * session's login (on_noqueue_reject()).
 */
static bool
is_message_reject(const struct mta_event *ev)
{
	return has_queue_id(ev) && (!is_command_refusal(ev) ||
	    is_held_refusal(ev));
}

/* correlator_feed - take one event */
void
correlator_feed(struct correlator *c, const struct mta_event *ev)
{
	struct host	*h;

	release_returned(c);
	h = host_get(c, ev->host);
	h->refs++;		/* kept alive for this event */
	if (ev->time_sec > h->newest_sec)
		h->newest_sec = ev->time_sec;
	if (ev->time_sec < h->first_sec)
		h->first_sec = ev->time_sec;
	/* Sendmail messages whose close was put off are closed once their
	   relay's clock has moved on. */
	settle_due(c, h, ev);
	switch (ev->kind) {
	case EV_CONNECT:
	case EV_DISCONNECT:
	case EV_AUTH_OK:
		on_session_event(c, h, ev);
		break;
	case EV_AUTH_FAILED:
		on_auth_failed(c, h, ev);
		break;
	case EV_REJECT:
		if (is_message_reject(ev))
			on_message_event(c, h, ev);
		else
			on_noqueue_reject(c, h, ev);
		break;
	case EV_CLIENT:
	case EV_PICKUP:
	case EV_MESSAGE_ID:
	case EV_QUEUED:
	case EV_DELIVERY:
	case EV_EXPIRED:
	case EV_BOUNCE_NOTICE:
	case EV_REMOVED:
		on_message_event(c, h, ev);
		break;
	default:
		break;
	}
	expire(c, h);
	/* Counted after expiry: a message over max_open only passes. */
	if (c->open_count > c->stats.open_peak)
		c->stats.open_peak = c->open_count;
	host_release(c, h);
}

/* correlator_session_use - the handlers' own tests, in one place */
enum correlator_session_use
correlator_session_use(const struct mta_event *ev)
{
	if (ev->pid < 0)
		return SESSION_USE_NONE;
	switch (ev->kind) {
	case EV_CONNECT:
	case EV_DISCONNECT:
	case EV_AUTH_OK:
		return SESSION_USE_SET;
	case EV_AUTH_FAILED:
		return SESSION_USE_LOOKUP;
	case EV_REJECT:
		return is_message_reject(ev) ? SESSION_USE_NONE :
		    SESSION_USE_LOOKUP;
	case EV_CLIENT:
		if (!has_queue_id(ev))
			return SESSION_USE_NONE;
		return client_logs_in(ev) ? SESSION_USE_SET :
		    SESSION_USE_LOOKUP;
	default:
		return SESSION_USE_NONE;
	}
}

/* session_out - a session's state as the caller sees it */
static void
session_out(const struct session *s, struct correlator_session *out)
{
	out->host = zstr_make(s->host->name, s->host->len);
	out->pid = s->pid;
	out->last_sec = s->last_sec;
	out->client_ip = s->client_ip;
	out->sasl_method = s->sasl_method;
	out->sasl_username = s->sasl_username;
}

/* correlator_session_peek - look the session up without touching it */
bool
correlator_session_peek(struct correlator *c, struct zstr host, int64_t pid,
    struct correlator_session *out)
{
	unsigned char	 b[sizeof(pid)];
	struct session	*s;
	size_t		 keylen;

	if (pid < 0)
		return false;
	memcpy(b, &pid, sizeof(b));
	keylen = make_key(c, host.len == 0 ? "" : host.ptr, host.len, b,
	    sizeof(b));
	if ((s = strmap_get(c->sessions, c->keybuf, keylen)) == NULL)
		return false;
	session_out(s, out);
	return true;
}

/* correlator_session_next - walk the session table */
bool
correlator_session_next(struct correlator *c, size_t *pos,
    struct correlator_session *out)
{
	void	*value;

	if (!strmap_next(c->sessions, pos, NULL, NULL, &value))
		return false;
	session_out(value, out);
	return true;
}

/* correlator_feed_resolved - feed with the session found elsewhere */
void
correlator_feed_resolved(struct correlator *c, const struct mta_event *ev,
    const struct correlator_session *sess)
{
	struct session *s = NULL;

	if (sess != NULL) {
		if (c->found_buf == NULL)
			c->found_buf = xcalloc(1, sizeof(*c->found_buf));
		s = c->found_buf;
		/* Read only: the handlers copy from it. */
		s->pid = sess->pid;
		s->last_sec = sess->last_sec;
		s->client_ip = (char *)(uintptr_t)sess->client_ip;
		s->sasl_method = (char *)(uintptr_t)sess->sasl_method;
		s->sasl_username = (char *)(uintptr_t)sess->sasl_username;
	}
	c->resolved = true;
	c->found = s;
	correlator_feed(c, ev);
	c->resolved = false;
	c->found = NULL;
}

/*
 * correlator_advance - a later line of the host, not fed, would first
 * have closed a Sendmail message whose close was put off, then expired
 */
void
correlator_advance(struct correlator *c, struct zstr host, int64_t now_sec)
{
	struct host	*h;

	release_returned(c);
	h = host_get(c, host);
	h->refs++;
	if (now_sec > h->newest_sec) {
		h->newest_sec = now_sec;
		settle_due(c, h, NULL);
		expire(c, h);
	}
	host_release(c, h);
}

/* correlator_session_set - replace whatever (host, pid) had */
void
correlator_session_set(struct correlator *c,
    const struct correlator_session *sess)
{
	struct host	*h;
	struct session	*s;

	release_returned(c);
	h = host_get(c, sess->host);
	h->refs++;
	if ((s = session_get(c, h, sess->pid, sess->last_sec, true)) !=
	    NULL) {
		s->last_sec = sess->last_sec;
		free(s->client_ip);
		free(s->sasl_method);
		free(s->sasl_username);
		s->client_ip = sess->client_ip != NULL ?
		    xstrdup(sess->client_ip) : NULL;
		s->sasl_method = sess->sasl_method != NULL ?
		    xstrdup(sess->sasl_method) : NULL;
		s->sasl_username = sess->sasl_username != NULL ?
		    xstrdup(sess->sasl_username) : NULL;
	}
	expire(c, h);
	host_release(c, h);
}

/* correlator_session_end - drop (host, pid)'s session */
void
correlator_session_end(struct correlator *c, struct zstr host, int64_t pid)
{
	struct host	*h;
	struct session	*s;

	release_returned(c);
	h = host_get(c, host);
	h->refs++;
	if ((s = session_get(c, h, pid, h->newest_sec, false)) != NULL)
		session_drop(c, s);
	host_release(c, h);
}

/* correlator_closed_each - walk the tombstones */
void
correlator_closed_each(struct correlator *c,
    void (*fn)(void *arg, struct zstr host, struct zstr qid,
    int64_t closed_sec), void *arg)
{
	const struct tombstone *t;
	const struct link *l;
	size_t	 hostlen;

	for (l = c->tombstones.next; l != &c->tombstones; l = l->next) {
		t = CONTAINER_OF(l, struct tombstone, order);
		hostlen = strlen(t->key);
		fn(arg, zstr_make(t->key, hostlen), zstr_make(t->key +
		    hostlen + 1, strlen(t->key + hostlen + 1)), t->closed_sec);
	}
}

/* correlator_closed_put - a tombstone, unless the ID is open */
void
correlator_closed_put(struct correlator *c, struct zstr host,
    struct zstr qid, int64_t closed_sec)
{
	struct tombstone *t;
	struct keyed	*k;
	struct entry	 e;
	struct host	*h;
	void		**slot;
	size_t		 keylen;
	bool		 created;

	if (!zstr_is_set(qid) || qid.len == 0)
		return;
	release_returned(c);
	h = host_get(c, host);
	h->refs++;
	keylen = make_key(c, h->name, h->len, qid.ptr, qid.len);
	e.key_hash = strmap_hash(c->messages, c->keybuf, keylen);
	slot = strmap_slot_hashed(c->messages, c->keybuf, keylen, e.key_hash,
	    &created);
	if (!created) {
		k = *slot;
		if (k->closed) {
			t = CONTAINER_OF(k, struct tombstone, keyed);
			if (closed_sec > t->closed_sec)
				t->closed_sec = closed_sec;
		}
		host_release(c, h);
		return;
	}
	/* What tombstone_add() reads of a closing message: its host, key
	   (with a NUL), lengths and hash. */
	e.host = h;
	e.qid_len = qid.len;
	e.key = xmemdup0(c->keybuf, keylen);
	tombstone_add(c, slot, &e, closed_sec);
	free(e.key);
	host_release(c, h);
}

/* correlator_next - pop the oldest ready record */
const struct message *
correlator_next(struct correlator *c)
{
	struct entry	*e;

	release_returned(c);
	if (list_is_empty(&c->ready))
		return NULL;
	e = CONTAINER_OF(c->ready.next, struct entry, order);
	if (e->repeat > 0) {
		/* Handed out again: it stays first on the FIFO. */
		e->repeat--;
		return &e->m;
	}
	list_unlink(&e->order);
	c->returned = e;
	return &e->m;
}

/* compare_open - order of open messages handed out at the end */
static int
compare_open(const void *a, const void *b)
{
	const struct entry *x = *(const struct entry *const *)a;
	const struct entry *y = *(const struct entry *const *)b;
	int		 r;

	if (x->m.first_sec != y->m.first_sec)
		return x->m.first_sec < y->m.first_sec ? -1 : 1;
	if ((r = strcmp(x->m.host, y->m.host)) != 0)
		return r;
	return strcmp(x->m.queue_id, y->m.queue_id);
}

/* correlator_finish - hand out every open message as incomplete */
void
correlator_finish(struct correlator *c)
{
	struct entry	**all, *e;
	struct link	*l;
	size_t		 n = 0, i, count;
	bool		 more;

	release_returned(c);
	if ((count = c->open_count) == 0)
		return;
	/* Sorted, so the output does not depend on hash order nor on the
	   order of the last lines. */
	all = xreallocarray(NULL, count, sizeof(*all));
	for (l = c->open_lru.next; l != &c->open_lru && n < count;
	    l = l->next)
		all[n++] = CONTAINER_OF(l, struct entry, order);
	qsort(all, n, sizeof(*all), compare_open);
	/* Sendmail messages done but not closed first, as complete.  A
	   copy joined on the way (gone) is freed only at the next call
	   in, so all[] may still name it. */
	for (i = 0; i < n; i++)
		if (all[i]->pending) {
			settle_pending(c, all[i]);
			all[i] = NULL;
		}
	/* A content filter's copies before the messages they are copies
	   of (which message_ready() would hand them to, and which may go
	   with the last of them): each pass takes those without open
	   copies. */
	do {
		more = false;
		for (i = 0; i < n; i++) {
			if (all[i] == NULL)
				continue;
			if (all[i]->handed_out || all[i]->gone) {
				/* A parked parent its last copy sent, or a
				   parked copy joined with its last copy. */
				all[i] = NULL;
				continue;
			}
			if (all[i]->children > 0) {
				more = true;
				continue;
			}
			e = all[i];
			all[i] = NULL;
			if (e->parked)
				message_close(c, e, e->parked_sec);
			else if (!held_only_end(c, e)) {
				if (e->parent == NULL)
					c->stats.messages_incomplete++;
				message_ready(c, e, false, 0);
			}
		}
	} while (more);
	free_gone(c);
	free(all);
}

/* correlator_is_open - look the message up without touching it */
bool
correlator_is_open(struct correlator *c, struct zstr host,
    struct zstr queue_id)
{
	return message_peek(c, host.len == 0 ? "" : host.ptr, host.len,
	    queue_id) != NULL;
}

/* correlator_was_joined - see correlator.h */
bool
correlator_was_joined(struct correlator *c, struct zstr host,
    struct zstr queue_id)
{
	struct keyed	*k;
	size_t		 keylen;

	if (!zstr_is_set(queue_id) || queue_id.len == 0)
		return false;
	keylen = make_key(c, host.len == 0 ? "" : host.ptr, host.len,
	    queue_id.ptr, queue_id.len);
	k = strmap_get(c->messages, c->keybuf, keylen);
	return k != NULL && k->closed &&
	    CONTAINER_OF(k, struct tombstone, keyed)->joined;
}

/* correlator_open_count - open messages (tombstones not counted) */
size_t
correlator_open_count(const struct correlator *c)
{
	return c->open_count;
}

/* correlator_stats - counters */
const struct correlator_stats *
correlator_stats(const struct correlator *c)
{
	return &c->stats;
}

/* correlator_is_message_event - the test correlator_feed() applies */
bool
correlator_is_message_event(const struct mta_event *ev)
{
	if (!has_queue_id(ev))
		return false;
	switch (ev->kind) {
	case EV_REJECT:
		return is_message_reject(ev);
	case EV_CLIENT:
	case EV_PICKUP:
	case EV_MESSAGE_ID:
	case EV_QUEUED:
	case EV_DELIVERY:
	case EV_EXPIRED:
	case EV_BOUNCE_NOTICE:
	case EV_REMOVED:
		return true;
	default:
		return false;
	}
}
