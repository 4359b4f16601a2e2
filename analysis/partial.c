/*
 * partial - save and merge partial aggregates (see partial.h and
 * doc/partial-format.md).
 *
 * The carry keeps, per queue ID (host '\0' queue ID, the correlator's
 * key), the events fed for it in this run, each with a sequence number.
 * When the correlator hands the message out the events are dropped
 * (the message is counted here) or, for a message whose first line in
 * this run could not begin it, moved to the held list.  At the end of
 * the input every queue ID still listed is held too, and the held
 * events are written in sequence order.
 *
 * Lines that look up an SMTP session are judged as carry_before() and
 * session_found() say; the sessions open at the end are written by
 * end_sessions(), and the merge (replay_part()) feeds each carried
 * line after its relay's clock and with the session it found.
 *
 * A bounce notice names two messages: the one that bounced (its queue
 * ID, where the notice is kept) and the notification (related queue
 * ID), which the correlator marks as the relay's own.  When the
 * notification is neither carried nor open at the end it was counted
 * in this run, and the carried copy of the notice loses its related
 * queue ID, so that the replay does not open the notification again.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/aggregator.h"
#include "analysis/partial.h"
#include "analysis/pipeline.h"
#include "analysis/report.h"
#include "parsers/source.h"
#include "util/outfile.h"
#include "util/strmap.h"
#include "util/xalloc.h"

/* Section identifiers (doc/partial-format.md). */
enum section {
	SECTION_END = 0,
	SECTION_FILES = 1,
	SECTION_CORRELATION = 2,
	SECTION_AGGREGATE = 3,
	SECTION_CARRIED = 4,
	SECTION_HOSTS = 5,
	SECTION_WINDOW = 6,
	SECTION_SESSIONS = 7,		/* from version 2 */
	SECTION_CLOSED = 8,		/* from version 3 */
	SECTION_REFUSALS = 9,		/* from version 4 */
	SECTION_REMOTE = 10,		/* from version 8 */
	SECTION_USES = 11,		/* from version 10 */
	SECTION_COUNT
};

/* What a carried event's line found of its SMTP session, written
   before the event (version 2). */
enum carried_session {
	CARRIED_LOOKUP = 0,		/* look it up in the merge */
	CARRIED_NONE = 1,		/* none, or the line uses none */
	CARRIED_FOUND = 2		/* the one that follows */
};

/* Room made at once for a queue ID's events: a message's lines take
   a few hundred bytes each. */
#define CARRIED_INITIAL_BYTES	512

/* Queue IDs closed in this run that are remembered (see carry_after). */
#define CLOSED_MAX	65536

/* The events of one queue ID in this run. */
struct carried {
	struct wire_buf	 events;	/* (sequence, event) records */
	uint64_t	 dropped;	/* recipients_dropped they caused */
	bool		 headed;	/* the first could begin a message */
	bool		 was_open;	/* the correlator had it open */
	uint64_t	 hash;		/* strmap_hash() of key in open */
	char		 key[];		/* host '\0' queue ID when in open,
					   which borrows it; else empty */
};

/*
 * What this run knows of the SMTP session of one process (host '\0'
 * pid).  Until a line of the process starts, changes or ends its
 * session (SESSION_USE_SET), the session its lines find in one pass
 * may be one an earlier part began, which this run cannot see; after
 * such a line it is the run's own (see carry_before()).
 */
struct proc {
	int64_t		 bound_sec;	/* no session of an earlier part
					   was touched later than this */
	bool		 set;		/* a line set its session */
	size_t		 keylen;
	char		 key[];		/* borrowed by the map */
};

/* A message's cleanup line (Message-ID) follows its smtpd or pickup
   line within this long: the time the client takes to send it. */
#define MESSAGE_HEAD_SEC	3600

/* The fewest processes kept before the stale ones are swept out. */
#define PROCS_SWEEP_MIN		4096

/*
 * A part whose lines begin this far (300 days) before an earlier part
 * of its relay ended was most likely read with the wrong --year.
 */
#define YEAR_HINT_SEC	(300 * INT64_C(86400))

struct held {
	char		*key;		/* host '\0' queue ID */
	size_t		 keylen;
	struct wire_buf	 events;
};

/* A relay's time range in the partials read so far (load_hosts()). */
struct host_range {
	int64_t		 first_sec;
	int64_t		 last_sec;
};

/* A relay's lines in this run: its time range, and its name, which
   the carry's map of relays borrows. */
struct carry_host {
	int64_t		 first_sec;
	int64_t		 last_sec;
	size_t		 len;
	char		 name[];
};

/* A remembered closed queue ID; its storage is reused for the key
   that takes its place. */
struct closed_key {
	char		*key;		/* NULL: none yet */
	size_t		 size;		/* bytes of key */
	uint64_t	 hash;		/* strmap_hash() of it in closed */
};

struct carry {
	struct strmap	*open;		/* key -> struct carried, borrowing
					   the carried's key */
	struct strmap	*procs;		/* host '\0' pid -> struct proc,
					   borrowing its key */
	size_t		 procs_sweep;	/* sweep at this many */
	struct strmap	*closed;	/* key -> its place in the ring,
					   borrowing the ring's key */
	struct closed_key *closed_ring;	/* oldest at closed_next when full */
	size_t		 closed_next;
	struct held	*held;
	size_t		 held_count;
	size_t		 held_cap;
	struct strmap	*hosts;		/* name -> struct carry_host */
	struct carry_host *last_host;	/* note_host(): the last line's */
	uint64_t	 seq;
	uint64_t	 dropped_before;
	const struct mta_event *cur;	/* being fed, or NULL */
	uint64_t	 cur_seq;
	enum carried_session cur_found;	/* what its line found */
	struct wire_buf	 cur_extra;	/* its clock and session, written
					   before it when kept */
	struct carried	*cur_entry;	/* its queue ID's events while in
					   open, or NULL */
	struct correlator_stats taken;	/* counted for carried messages */
	struct wire_buf	 out;		/* carry_end(): events in order */
	uint64_t	 out_count;
	struct wire_buf	 sessions;	/* carry_end(): session records */
	uint64_t	 session_count;
	struct wire_buf	 closed_out;	/* carry_end(): closed records */
	uint64_t	 closed_count;
	char		*keybuf;
	size_t		 keycap;
};

/* One loaded partial file. */
struct loaded {
	unsigned char	*data;
	size_t		 len;
	unsigned	 version;
	struct wire_reader carried;	/* the carried events */
	uint64_t	 carried_count;
	struct wire_reader hosts;	/* the relays' ranges */
	struct wire_reader sessions;	/* the session records */
	uint64_t	 session_count;
	struct wire_reader closed;	/* the closed records */
	uint64_t	 closed_count;
};

struct partial_merge {
	struct partial_window window;	/* of the first partial */
	struct loaded	*parts;
	size_t		 count;
	char		**names;	/* input file names, owned */
	size_t		 name_count;
};

/* The most bytes the fields before the strings take: five single
   bytes and six varints. */
#define EVENT_FIXED_MAX	(5 + 6 * WIRE_UVARINT_MAX_LEN)

/*
 * partial_event_put - fixed fields, then each string as length + 1.
 * Written for nearly every line of a run saving a partial: the room
 * for the whole event is made once, then the fields are encoded in
 * place.
 */
void
partial_event_put(struct wire_buf *buf, const struct mta_event *ev)
{
	const struct zstr *z;
	unsigned char	*p;
	size_t		 i, need = EVENT_FIXED_MAX;

	for (i = 0; i < EVENT_STRING_COUNT; i++) {
		z = event_string_const(ev, i);
		need += zstr_is_set(*z) ? wire_uvarint_len(z->len + 1) +
		    z->len : 1;
	}
	wire_reserve(buf, need);
	p = buf->data + buf->len;
	*p++ = (unsigned char)ev->kind;
	*p++ = (unsigned char)ev->mta;
	p = wire_encode_svarint(p, ev->time_sec);
	p = wire_encode_uvarint(p, ev->time_usec);
	p = wire_encode_svarint(p, ev->pid);
	*p++ = (unsigned char)ev->status;
	*p++ = (unsigned char)ev->reject_origin;
	*p++ = (unsigned char)ev->notice;
	p = wire_encode_uvarint(p, ev->size_bytes);
	p = wire_encode_uvarint(p, ev->nrcpt);
	p = wire_encode_svarint(p, ev->uid);
	/* 0: never logged; n + 1: n bytes follow. */
	for (i = 0; i < EVENT_STRING_COUNT; i++) {
		z = event_string_const(ev, i);
		if (!zstr_is_set(*z)) {
			*p++ = 0;
			continue;
		}
		p = wire_encode_uvarint(p, (uint64_t)z->len + 1);
		if (z->len > 0) {
			memcpy(p, z->ptr, z->len);
			p += z->len;
		}
	}
	buf->len = (size_t)(p - buf->data);
}

/* partial_event_get - check each enumeration and string length */
bool
partial_event_get(struct wire_reader *r, struct mta_event *ev)
{
	const unsigned char *p;
	struct zstr	*z;
	uint64_t	 n;
	size_t		 i;
	uint8_t		 kind, mta, status, origin, notice;

	event_init(ev);
	kind = wire_get_u8(r);
	mta = wire_get_u8(r);
	ev->time_sec = wire_get_svarint(r);
	n = wire_get_uvarint(r);
	ev->time_usec = n < 1000000 ? (uint32_t)n : 0;
	ev->pid = wire_get_svarint(r);
	status = wire_get_u8(r);
	origin = wire_get_u8(r);
	notice = wire_get_u8(r);
	ev->size_bytes = wire_get_uvarint(r);
	ev->nrcpt = wire_get_uvarint(r);
	ev->uid = wire_get_svarint(r);
	if (r->failed || kind >= EV_KIND_COUNT || mta > MTA_SENDMAIL ||
	    n >= 1000000 || status > DELIVERY_OTHER ||
	    origin > REJECT_DISCARD || notice > NOTICE_DELIVERY_STATUS)
		goto bad;
	ev->kind = (enum event_kind)kind;
	ev->mta = (enum mta_kind)mta;
	ev->status = (enum delivery_status)status;
	ev->reject_origin = (enum reject_origin)origin;
	ev->notice = (enum bounce_notice)notice;
	for (i = 0; i < EVENT_STRING_COUNT; i++) {
		z = event_string(ev, i);
		n = wire_get_uvarint(r);
		if (r->failed)
			goto bad;
		if (n == 0) {
			*z = ZSTR_NULL;
			continue;
		}
		if (n - 1 > wire_remaining(r))
			goto bad;
		p = wire_get_raw(r, (size_t)(n - 1));
		/* Lines with a NUL byte never become events. */
		if (p == NULL || (n > 1 && memchr(p, '\0', n - 1) != NULL))
			goto bad;
		/* An empty but logged string still needs a pointer. */
		*z = zstr_make(n > 1 ? (const char *)p : "", (size_t)(n - 1));
	}
	return true;
bad:
	r->failed = true;
	r->p = r->end;
	return false;
}

/* carry_new - empty */
struct carry *
carry_new(void)
{
	struct carry *c = xcalloc(1, sizeof(*c));

	c->open = strmap_new_borrowing(NULL);
	c->procs = strmap_new_borrowing(NULL);
	c->procs_sweep = PROCS_SWEEP_MIN;
	c->closed = strmap_new_borrowing(NULL);
	c->hosts = strmap_new_borrowing(free);
	wire_buf_init(&c->out);
	wire_buf_init(&c->sessions);
	wire_buf_init(&c->closed_out);
	wire_buf_init(&c->cur_extra);
	return c;
}

/* carried_free - free one queue ID's events */
static void
carried_free(struct carried *e)
{
	wire_buf_free(&e->events);
	free(e);
}

/* carry_free - free everything */
void
carry_free(struct carry *c)
{
	size_t	pos = 0, i;
	void	*value;

	if (c == NULL)
		return;
	while (strmap_next(c->open, &pos, NULL, NULL, &value))
		carried_free(value);
	strmap_free(c->open);
	pos = 0;
	while (strmap_next(c->procs, &pos, NULL, NULL, &value))
		free(value);
	strmap_free(c->procs);
	strmap_free(c->closed);
	if (c->closed_ring != NULL)
		for (i = 0; i < CLOSED_MAX; i++)
			free(c->closed_ring[i].key);
	free(c->closed_ring);
	for (i = 0; i < c->held_count; i++) {
		free(c->held[i].key);
		wire_buf_free(&c->held[i].events);
	}
	free(c->held);
	strmap_free(c->hosts);
	wire_buf_free(&c->out);
	wire_buf_free(&c->sessions);
	wire_buf_free(&c->closed_out);
	wire_buf_free(&c->cur_extra);
	free(c->keybuf);
	free(c);
}

/* make_key - host '\0' queue ID into the key buffer */
static size_t
make_key(struct carry *c, const char *host, size_t hostlen,
    const char *qid, size_t qidlen)
{
	size_t	need = hostlen + 1 + qidlen;

	if (need > c->keycap) {
		c->keycap = need * 2;
		c->keybuf = xreallocarray(c->keybuf, c->keycap, 1);
	}
	if (hostlen > 0)
		memcpy(c->keybuf, host, hostlen);
	c->keybuf[hostlen] = '\0';
	if (qidlen > 0)
		memcpy(c->keybuf + hostlen + 1, qid, qidlen);
	return need;
}

/* event_key - the key of an event's message; 0 when it names none */
static size_t
event_key(struct carry *c, const struct mta_event *ev)
{
	if (!correlator_is_message_event(ev))
		return 0;
	return make_key(c, ev->host.len > 0 ? ev->host.ptr : "",
	    ev->host.len, ev->queue_id.ptr, ev->queue_id.len);
}

/* carry_host_get - the relay of that name, new ones with the range of
   time_sec alone */
static struct carry_host *
carry_host_get(struct carry *c, const char *name, size_t len,
    int64_t time_sec)
{
	struct carry_host *h;
	void	**slot;
	bool	 created;

	slot = strmap_slot(c->hosts, name, len, &created);
	if (created) {
		h = xmalloc(sizeof(*h) + len + 1);
		h->first_sec = h->last_sec = time_sec;
		h->len = len;
		memcpy(h->name, name, len);
		h->name[len] = '\0';
		strmap_rekey(c->hosts, slot, h->name);
		*slot = h;
	}
	return *slot;
}

/*
 * note_host - widen the relay's time range, and tell its newest line
 * before this one in *clock (false: the first); lines of one host
 * come in runs, so the last line's relay is at hand
 */
static struct carry_host *
note_host(struct carry *c, const struct mta_event *ev, int64_t *clock,
    bool *has_clock)
{
	struct carry_host *h = c->last_host;
	const char *name = ev->host.len > 0 ? ev->host.ptr : "";
	size_t	 n = strmap_count(c->hosts);

	if (h == NULL || h->len != ev->host.len ||
	    memcmp(h->name, name, ev->host.len) != 0)
		h = c->last_host = carry_host_get(c, name, ev->host.len,
		    ev->time_sec);
	*has_clock = strmap_count(c->hosts) == n;
	*clock = h->last_sec;
	if (ev->time_sec < h->first_sec)
		h->first_sec = ev->time_sec;
	if (ev->time_sec > h->last_sec)
		h->last_sec = ev->time_sec;
	return h;
}

/* related_key - the key of a bounce notice's notification, or 0 */
static size_t
related_key(struct carry *c, const struct mta_event *ev)
{
	if (ev->kind != EV_BOUNCE_NOTICE ||
	    !zstr_is_set(ev->related_queue_id) ||
	    ev->related_queue_id.len == 0)
		return 0;
	return make_key(c, ev->host.len > 0 ? ev->host.ptr : "",
	    ev->host.len, ev->related_queue_id.ptr, ev->related_queue_id.len);
}

/* session_key - host '\0' pid into the key buffer */
static size_t
session_key(struct carry *c, const struct mta_event *ev)
{
	return make_key(c, ev->host.len > 0 ? ev->host.ptr : "",
	    ev->host.len, (const char *)&ev->pid, sizeof(ev->pid));
}

/* put_opt_str - a string that may be absent: 0, or length + 1 and the
   bytes */
static void
put_opt_str(struct wire_buf *b, const char *s)
{
	size_t	len;

	if (s == NULL) {
		wire_put_uvarint(b, 0);
		return;
	}
	len = strlen(s);
	wire_put_uvarint(b, (uint64_t)len + 1);
	wire_put_raw(b, s, len);
}

/*
 * proc_sweep - forget the processes whose sessions of earlier parts
 * are over on their relay's clock: forgotten, their lines are judged
 * as before (see session_found())
 */
static void
proc_sweep(struct carry *c)
{
	struct strmap	*keep = strmap_new_borrowing(NULL);
	const struct carry_host *h;
	struct proc	*p;
	size_t		 pos = 0;
	void		*value;
	void		**slot;
	bool		 created;

	while (strmap_next(c->procs, &pos, NULL, NULL, &value)) {
		p = value;
		h = strmap_get(c->hosts, p->key, strlen(p->key));
		if (h != NULL && correlator_is_older(h->last_sec, p->bound_sec,
		    CORRELATOR_SESSION_IDLE_SEC)) {
			free(p);
			continue;
		}
		slot = strmap_slot(keep, p->key, p->keylen, &created);
		*slot = p;
	}
	strmap_free(c->procs);
	c->procs = keep;
	c->procs_sweep = 2 * strmap_count(keep);
	if (c->procs_sweep < PROCS_SWEEP_MIN)
		c->procs_sweep = PROCS_SWEEP_MIN;
}

/* proc_add - a new process, whose key is in the key buffer (and not
   in the map), with bound_sec */
static struct proc *
proc_add(struct carry *c, size_t keylen, int64_t bound_sec)
{
	struct proc	*p;
	void		**slot;
	bool		 created;

	if (strmap_count(c->procs) >= c->procs_sweep)
		proc_sweep(c);
	p = xmalloc(sizeof(*p) + keylen + 1);
	p->bound_sec = bound_sec;
	p->set = false;
	p->keylen = keylen;
	memcpy(p->key, c->keybuf, keylen);
	p->key[keylen] = '\0';
	slot = strmap_slot(c->procs, p->key, keylen, &created);
	*slot = p;
	return p;
}

/*
 * session_found - what ev's line, which looks a session up, finds in
 * one pass, as far as this run can tell:
 * - the session this run's correlator has: a line of this run set it,
 *   so one pass has the same (sess is filled in);
 * - none, when a line of this run set (and ended) the session, or when
 *   any session of an earlier part must have run out on the relay's
 *   clock before this line: no line of the process touched one for an
 *   hour (the earlier parts' lines are no later than this run's first);
 * - else CARRIED_LOOKUP: the line may find, and keep alive, a session
 *   an earlier part began, so the merge looks it up.
 */
static enum carried_session
session_found(struct carry *c, struct correlator *corr,
    const struct carry_host *h, const struct mta_event *ev, int64_t clock,
    bool has_clock, struct correlator_session *sess)
{
	struct proc	*p;
	size_t		 keylen;
	int64_t		 bound;

	if (correlator_session_peek(corr, ev->host, ev->pid, sess))
		return CARRIED_FOUND;
	keylen = session_key(c, ev);
	p = strmap_get(c->procs, c->keybuf, keylen);
	if (p != NULL && p->set)
		return CARRIED_NONE;
	bound = p != NULL ? p->bound_sec : h->first_sec;
	if (has_clock && correlator_is_older(clock, bound,
	    CORRELATOR_SESSION_IDLE_SEC))
		return CARRIED_NONE;
	if (p == NULL)
		p = proc_add(c, keylen, h->first_sec);
	if (ev->time_sec > p->bound_sec)
		p->bound_sec = ev->time_sec;
	return CARRIED_LOOKUP;
}

/* proc_set - ev's line starts, changes or ends its process's session:
   from here on this run's correlator knows it */
static void
proc_set(struct carry *c, const struct carry_host *h,
    const struct mta_event *ev)
{
	size_t	 keylen = session_key(c, ev);
	struct proc *p = strmap_get(c->procs, c->keybuf, keylen);

	if (p == NULL)
		p = proc_add(c, keylen, h->first_sec);
	if (p->set)
		return;
	/* It may still touch the session of an earlier part. */
	if (ev->time_sec > p->bound_sec)
		p->bound_sec = ev->time_sec;
	p->set = true;
}

/*
 * put_extra - what a carried event carries beside itself: its relay's
 * newest time before it in this run, and what its line found of its
 * SMTP session (doc/partial-format.md)
 */
static void
put_extra(struct wire_buf *b, const struct mta_event *ev, int64_t clock,
    bool has_clock, enum carried_session found,
    const struct correlator_session *sess)
{
	b->len = 0;
	wire_put_u8(b, has_clock);
	if (has_clock)
		wire_put_svarint(b, (int64_t)((uint64_t)ev->time_sec -
		    (uint64_t)clock));
	wire_put_u8(b, (uint8_t)found);
	if (found == CARRIED_FOUND) {
		put_opt_str(b, sess->client_ip);
		put_opt_str(b, sess->sasl_method);
		put_opt_str(b, sess->sasl_username);
	}
}

/* A carried event's extra, as read. */
struct carried_extra {
	bool		 has_clock;
	int64_t		 clock_delta;	/* its time less its relay's clock */
	enum carried_session found;
	struct zstr	 strs[3];	/* FOUND: client IP, SASL method
					   and user; ZSTR_NULL: none */
};

/* get_opt_str - what put_opt_str() wrote; no NUL byte inside */
static bool
get_opt_str(struct wire_reader *r, struct zstr *z)
{
	const unsigned char *p;
	uint64_t n = wire_get_uvarint(r);

	*z = ZSTR_NULL;
	if (r->failed)
		return false;
	if (n == 0)
		return true;
	if (n - 1 > wire_remaining(r) ||
	    (p = wire_get_raw(r, (size_t)(n - 1))) == NULL ||
	    (n > 1 && memchr(p, '\0', (size_t)(n - 1)) != NULL)) {
		r->failed = true;
		return false;
	}
	*z = zstr_make(n > 1 ? (const char *)p : "", (size_t)(n - 1));
	return true;
}

/* get_extra - what put_extra() wrote, checked */
static bool
get_extra(struct wire_reader *r, struct carried_extra *x)
{
	uint8_t	 has_clock, found;
	size_t	 i;

	memset(x, 0, sizeof(*x));
	has_clock = wire_get_u8(r);
	if (has_clock == 1)
		x->clock_delta = wire_get_svarint(r);
	found = wire_get_u8(r);
	if (r->failed || has_clock > 1 || found > CARRIED_FOUND) {
		r->failed = true;
		return false;
	}
	x->has_clock = has_clock == 1;
	x->found = (enum carried_session)found;
	for (i = 0; i < 3; i++) {
		x->strs[i] = ZSTR_NULL;
		if (x->found == CARRIED_FOUND && !get_opt_str(r, &x->strs[i]))
			return false;
	}
	return true;
}

/* keep_event - append ev (the event being fed), numbered seq, to the
   events of the key in the key buffer, whose strmap_hash() is hash;
   those events */
static struct carried *
keep_event(struct carry *c, size_t keylen, uint64_t hash, uint64_t seq,
    const struct mta_event *ev, bool can_begin)
{
	struct carried	*e;
	void		**slot;
	bool		 created;

	slot = strmap_slot_hashed(c->open, c->keybuf, keylen, hash, &created);
	if (created) {
		/* The key is no longer than the text it came from. */
		e = xcalloc(1, sizeof(*e) + keylen + 1);
		wire_buf_init(&e->events);
		wire_reserve(&e->events, CARRIED_INITIAL_BYTES);
		e->headed = can_begin;
		e->hash = hash;
		memcpy(e->key, c->keybuf, keylen);
		strmap_rekey(c->open, slot, e->key);
		*slot = e;
	}
	e = *slot;
	wire_put_uvarint(&e->events, seq);
	wire_put_raw(&e->events, c->cur_extra.data, c->cur_extra.len);
	partial_event_put(&e->events, ev);
	return e;
}

/*
 * carry_before - note what ev's line finds of its SMTP session, and
 * keep a copy of an event that names a queue ID; a bounce notice is
 * kept under both queue IDs it names, with one number, and written
 * once
 */
void
carry_before(struct carry *c, struct correlator *corr,
    const struct mta_event *ev)
{
	struct correlator_session sess;
	struct carry_host *h;
	enum correlator_session_use use;
	size_t	 keylen;
	int64_t	 clock;
	bool	 has_clock, can_begin;

	memset(&sess, 0, sizeof(sess));
	h = note_host(c, ev, &clock, &has_clock);
	c->cur = ev;
	c->cur_seq = c->seq;
	c->cur_entry = NULL;
	c->cur_found = CARRIED_NONE;
	use = correlator_session_use(ev);
	if (use == SESSION_USE_LOOKUP)
		c->cur_found = session_found(c, corr, h, ev, clock,
		    has_clock, &sess);
	else if (use == SESSION_USE_SET)
		proc_set(c, h, ev);
	keylen = event_key(c, ev);
	/* Only queue IDs' events and refusals are ever kept. */
	if (keylen == 0 && use != SESSION_USE_LOOKUP) {
		c->seq++;
		return;
	}
	put_extra(&c->cur_extra, ev, clock, has_clock, c->cur_found, &sess);
	if (keylen == 0) {
		c->seq++;
		return;
	}
	c->dropped_before = correlator_stats(corr)->recipients_dropped;
	/* The correlator's own test of a line that may begin a message
	   (a reused queue ID, correlator.c); but a client line that may
	   take the login of a session begun in an earlier part does not
	   begin one here, nor does a cleanup line that may follow the
	   smtpd or pickup line of its message in an earlier part. */
	can_begin = (ev->kind == EV_CLIENT || ev->kind == EV_PICKUP ||
	    ev->kind == EV_MESSAGE_ID) && c->cur_found != CARRIED_LOOKUP &&
	    !(ev->kind == EV_MESSAGE_ID && !correlator_is_older(ev->time_sec,
	    h->first_sec, MESSAGE_HEAD_SEC));
	/* carry_after() finds them here, unless they leave open (unkeep()). */
	c->cur_entry = keep_event(c, keylen, strmap_hash(c->open, c->keybuf,
	    keylen), c->seq, ev, can_begin);
	/* Sendmail logs the notice as it makes the notification: its
	   first line. */
	if ((keylen = related_key(c, ev)) != 0)
		keep_event(c, keylen, strmap_hash(c->open, c->keybuf, keylen),
		    c->seq, ev, ev->mta == MTA_SENDMAIL);
	c->seq++;
}

/*
 * remember_closed - add a key to the bounded set of closed queue IDs.
 * The set borrows its keys from the ring; a new key takes the place
 * (and the storage) of the oldest, which leaves the set first.  Each
 * place holds one key at a time, so the places are the set's values,
 * distinct, and a key leaves by its hash and place.
 */
static void
remember_closed(struct carry *c, const char *key, size_t keylen)
{
	struct closed_key *place;
	uint64_t hash = strmap_hash(c->closed, key, keylen);
	void	**slot;

	if (strmap_get_hashed(c->closed, key, keylen, hash) != NULL)
		return;
	if (c->closed_ring == NULL)
		c->closed_ring = xcalloc(CLOSED_MAX, sizeof(*c->closed_ring));
	place = &c->closed_ring[c->closed_next];
	if (place->key != NULL)
		strmap_remove_value(c->closed, place->hash, place);
	if (place->size <= keylen) {
		/* A multiple of 16, like malloc's own sizes: most keys
		   of a relay then fit the storage of any other. */
		place->size = (keylen | 15) + 1;
		free(place->key);
		place->key = xmalloc(place->size);
	}
	memcpy(place->key, key, keylen);
	place->hash = hash;
	slot = strmap_slot_hashed(c->closed, place->key, keylen, hash, NULL);
	*slot = place;
	c->closed_next = (c->closed_next + 1) % CLOSED_MAX;
}

/* unkeep - take a queue ID's events out of the open set */
static void
unkeep(struct carry *c, struct carried *e)
{
	strmap_remove_value(c->open, e->hash, e);
	if (c->cur_entry == e)
		c->cur_entry = NULL;
}

/* hold - move a queue ID's events to the held list */
static void
hold(struct carry *c, const char *key, size_t keylen, struct carried *e)
{
	struct held *h;

	if (c->held_count == c->held_cap) {
		c->held_cap = c->held_cap > 0 ? 2 * c->held_cap : 64;
		c->held = xreallocarray(c->held, c->held_cap,
		    sizeof(*c->held));
	}
	h = &c->held[c->held_count++];
	h->key = xmemdup0(key, keylen);
	h->keylen = keylen;
	h->events = e->events;
	free(e);
}

/*
 * hold_refusal - a refusal or failed login takes the login of its SMTP
 * session, and keeps the session alive: when that may be a session an
 * earlier part began, the line is carried
 */
static bool
hold_refusal(struct carry *c, const struct message *msg)
{
	struct carried *e;

	if (c->cur == NULL || c->cur_found != CARRIED_LOOKUP)
		return false;
	e = xcalloc(1, sizeof(*e));
	wire_buf_init(&e->events);
	wire_put_uvarint(&e->events, c->cur_seq);
	wire_put_raw(&e->events, c->cur_extra.data, c->cur_extra.len);
	partial_event_put(&e->events, c->cur);
	if (msg->kind == RECORD_REJECT)
		c->taken.rejects++;
	else
		c->taken.auth_failures++;
	hold(c, "", 0, e);
	return true;
}

/*
 * joined_entry - the events kept for msg's i-th joined copy, with its
 * key in the key buffer; NULL when none are
 */
static struct carried *
joined_entry(struct carry *c, const struct message *msg, size_t i,
    size_t *keylen)
{
	const char	*host = msg->host != NULL ? msg->host : "";

	*keylen = make_key(c, host, strlen(host), msg->joined[i].queue_id,
	    strlen(msg->joined[i].queue_id));
	return strmap_get(c->open, c->keybuf, *keylen);
}

/* How a message held back was counted in this run. */
enum taken_as {
	TAKEN_COMPLETE,
	TAKEN_EVICTED,
	TAKEN_JOINED		/* a content filter's copy */
};

/* take_entry - e (its key in the key buffer) leaves the open set: held
   and counted as taken when hold, else dropped */
static void
take_entry(struct carry *c, struct carried *e, size_t keylen, bool hold_it,
    enum taken_as as)
{
	unkeep(c, e);
	remember_closed(c, c->keybuf, keylen);
	if (!hold_it) {
		carried_free(e);
		return;
	}
	/* The replay counts it again. */
	if (as == TAKEN_COMPLETE)
		c->taken.messages_complete++;
	else if (as == TAKEN_EVICTED)
		c->taken.messages_evicted++;
	else
		c->taken.messages_joined++;
	c->taken.recipients_dropped += e->dropped;
	hold(c, c->keybuf, keylen, e);
}

/*
 * carry_record - hold back a message whose start may lie before.  A
 * message with a content filter's copies folded in (message.h) goes
 * with them: held back, with every copy's events, when any of them
 * may have begun before this run, since the replay must join them
 * again; otherwise counted here, the copies' events dropped too.
 */
bool
carry_record(struct carry *c, const struct message *msg)
{
	struct carried	*e, *j;
	size_t		 keylen, i;
	const char	*host = msg->host != NULL ? msg->host : "";
	bool		 headed;

	if (msg->kind == RECORD_REJECT && msg->queue_id != NULL) {
		/* A Sendmail refusal held on its transaction (correlator.c):
		   the refusal was the transaction's first line, which
		   cannot begin a message, so the transaction's events are
		   carried, and the merge hands the refusal out again. */
		c->taken.rejects++;
		return true;
	}
	if (msg->kind != RECORD_MESSAGE)
		return hold_refusal(c, msg);
	if (msg->queue_id == NULL || msg->queue_id[0] == '\0')
		return false;
	keylen = make_key(c, host, strlen(host), msg->queue_id,
	    strlen(msg->queue_id));
	/* Without its own events a message cannot be replayed: counted
	   here whatever its copies' events are. */
	if ((e = strmap_get(c->open, c->keybuf, keylen)) == NULL)
		headed = true;
	else
		for (headed = e->headed && !msg->maybe_joined, i = 0;
		    i < msg->joined_count && headed; i++)
			if ((j = joined_entry(c, msg, i, &keylen)) != NULL &&
			    !j->headed)
				headed = false;
	for (i = 0; i < msg->joined_count; i++)
		if ((j = joined_entry(c, msg, i, &keylen)) != NULL)
			take_entry(c, j, keylen, !headed, TAKEN_JOINED);
	if (e == NULL)
		return false;
	keylen = make_key(c, host, strlen(host), msg->queue_id,
	    strlen(msg->queue_id));
	take_entry(c, e, keylen, !headed, msg->closed ? TAKEN_COMPLETE :
	    TAKEN_EVICTED);
	return !headed;
}

/*
 * forget_if_closed - the queue ID in the key buffer is not open: a
 * straggler of a message closed in this run is dropped here as in one
 * pass; a line about a queue ID this run never had may belong to an
 * earlier part's message, and is kept
 */
static void
forget_if_closed(struct carry *c, struct carried *e, size_t keylen,
    struct zstr host, struct zstr qid, enum mta_kind mta,
    struct correlator *corr)
{
	/* A message the correlator had open leaves it with a record
	   (carry_record() takes it out of the open set), except for the
	   Sendmail transaction below: only its lines need asking. */
	if (e->was_open && mta != MTA_SENDMAIL)
		return;
	if (correlator_is_open(corr, host, qid)) {
		e->was_open = true;
		return;
	}
	if (e->was_open) {
		/* A copy the MSP handed the MTA, folded into its message:
		   carry_record() of that message takes it. */
		if (correlator_was_joined(corr, host, qid))
			return;
		/* Closed without a record: a Sendmail transaction that
		   accepted nothing.  Its start may lie in an earlier part
		   unless this run saw it. */
		unkeep(c, e);
		remember_closed(c, c->keybuf, keylen);
		if (e->headed)
			carried_free(e);
		else
			hold(c, c->keybuf, keylen, e);
		return;
	}
	if (strmap_get(c->closed, c->keybuf, keylen) != NULL) {
		unkeep(c, e);
		carried_free(e);
	}
}

/* carry_after - drop the events of a queue ID that came to nothing */
void
carry_after(struct carry *c, struct correlator *corr,
    const struct mta_event *ev)
{
	struct carried	*e;
	size_t		 keylen;

	c->cur = NULL;
	if ((keylen = event_key(c, ev)) == 0)
		return;
	if ((e = c->cur_entry) != NULL) {
		e->dropped += correlator_stats(corr)->recipients_dropped -
		    c->dropped_before;
		forget_if_closed(c, e, keylen, ev->host, ev->queue_id,
		    ev->mta, corr);
	}
	if ((keylen = related_key(c, ev)) != 0 &&
	    (e = strmap_get(c->open, c->keybuf, keylen)) != NULL)
		forget_if_closed(c, e, keylen, ev->host, ev->related_queue_id,
		    ev->mta, corr);
}

/* One held event while carry_end() orders them. */
struct held_event {
	uint64_t	 seq;
	const unsigned char *data;	/* its extra, then itself */
	size_t		 len;
	size_t		 extra_len;
	enum event_kind	 kind;
};

/* held_event_cmp - qsort: input order */
static int
held_event_cmp(const void *a, const void *b)
{
	const struct held_event *x = a, *y = b;

	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* One session record while carry_end() orders them. */
struct session_record {
	struct correlator_session s;
	bool		 open;
};

/* session_record_cmp - qsort: by relay, then process */
static int
session_record_cmp(const void *a, const void *b)
{
	const struct session_record *x = a, *y = b;
	size_t	n = x->s.host.len < y->s.host.len ? x->s.host.len :
	    y->s.host.len;
	int	d = n > 0 ? memcmp(x->s.host.ptr, y->s.host.ptr, n) : 0;

	if (d != 0)
		return d;
	if (x->s.host.len != y->s.host.len)
		return x->s.host.len < y->s.host.len ? -1 : 1;
	return x->s.pid < y->s.pid ? -1 : x->s.pid > y->s.pid;
}

/*
 * end_sessions - the session records: every session the correlator
 * still has (a line of this run set it), then every process whose
 * session a line of this run ended while one of an earlier part may
 * still be alive in the merge (it was touched in the last hour of the
 * relay's lines): the merge ends that one
 */
static void
end_sessions(struct carry *c, struct correlator *corr)
{
	struct session_record *all = NULL;
	struct correlator_session sess;
	const struct carry_host *h;
	const struct proc *p;
	size_t	 n = 0, cap = 0, pos = 0, i, hostlen;
	void	*value;

	for (;;) {
		if (n == cap) {
			cap = cap > 0 ? 2 * cap : 64;
			all = xreallocarray(all, cap, sizeof(*all));
		}
		if (!correlator_session_next(corr, &pos, &all[n].s))
			break;
		all[n++].open = true;
	}
	pos = 0;
	while (strmap_next(c->procs, &pos, NULL, NULL, &value)) {
		p = value;
		hostlen = strlen(p->key);
		h = strmap_get(c->hosts, p->key, hostlen);
		if (!p->set || h == NULL || correlator_is_older(h->last_sec,
		    p->bound_sec, CORRELATOR_SESSION_IDLE_SEC))
			continue;
		memset(&sess, 0, sizeof(sess));
		sess.host = zstr_make(p->key, hostlen);
		memcpy(&sess.pid, p->key + hostlen + 1, sizeof(sess.pid));
		if (correlator_session_peek(corr, sess.host, sess.pid, &sess))
			continue;
		if (n == cap) {
			cap = 2 * cap;
			all = xreallocarray(all, cap, sizeof(*all));
		}
		all[n].s = sess;
		all[n++].open = false;
	}
	if (n > 0)
		qsort(all, n, sizeof(*all), session_record_cmp);
	for (i = 0; i < n; i++) {
		wire_put_bytes(&c->sessions, all[i].s.host.ptr,
		    all[i].s.host.len);
		wire_put_svarint(&c->sessions, all[i].s.pid);
		wire_put_u8(&c->sessions, all[i].open);
		if (all[i].open) {
			wire_put_svarint(&c->sessions, all[i].s.last_sec);
			put_opt_str(&c->sessions, all[i].s.client_ip);
			put_opt_str(&c->sessions, all[i].s.sasl_method);
			put_opt_str(&c->sessions, all[i].s.sasl_username);
		}
	}
	c->session_count += n;
	free(all);
}

/*
 * put_closed - a closed record of a queue ID closed less than the
 * orphan window before its relay's last line here: the lines of the
 * next part come no earlier (correlator_closed_each())
 */
static void
put_closed(void *arg, struct zstr host, struct zstr qid, int64_t closed_sec)
{
	struct carry *c = arg;
	const struct carry_host *h = strmap_get(c->hosts, host.ptr, host.len);

	if (h == NULL || correlator_is_older(h->last_sec, closed_sec,
	    CORRELATOR_ORPHAN_WINDOW_SEC))
		return;
	wire_put_bytes(&c->closed_out, host.ptr, host.len);
	wire_put_bytes(&c->closed_out, qid.ptr, qid.len);
	wire_put_svarint(&c->closed_out, closed_sec);
	c->closed_count++;
}

/*
 * closed_copy - a key still open at the end whose message the
 * correlator closed: a content filter's copy, folded into a message
 * still open, which this run counted as joined; the replay counts it
 * again
 */
static void
closed_copy(struct carry *c, struct correlator *corr, const char *key,
    size_t keylen, const struct carried *e)
{
	size_t		 hostlen = strlen(key);
	struct zstr	 host = zstr_make(key, hostlen);
	struct zstr	 qid = zstr_make(key + hostlen + 1,
			    keylen - hostlen - 1);

	if (e->was_open && !correlator_is_open(corr, host, qid))
		c->taken.messages_joined++;
}

/*
 * carry_end - hold what is left, then write every held event in order,
 * then the session records and the queue IDs closed in the last minute
 * (a late line about one in the next part is an orphan in one pass)
 */
void
carry_end(struct carry *c, struct correlator *corr)
{
	struct held_event *all = NULL;
	struct strmap	*carried = strmap_new(NULL);
	struct carried_extra x;
	struct wire_reader r;
	struct mta_event ev;
	const char	*key;
	size_t		 keylen, pos = 0, n = 0, cap = 0, i, klen, total;
	void		*value;
	void		**slot;
	bool		 created;

	/* Every key goes, so the arbitrary order of the map does not
	   matter; hold() frees the keys the map borrows, so the map is
	   only read until it is replaced by an empty one. */
	while (strmap_next(c->open, &pos, &key, &keylen, &value)) {
		c->taken.recipients_dropped +=
		    ((struct carried *)value)->dropped;
		closed_copy(c, corr, key, keylen, value);
		hold(c, key, keylen, value);
	}
	strmap_free(c->open);
	c->open = strmap_new_borrowing(NULL);
	/* What is written is about what is held (less the numbers):
	   make the room at once rather than doubling past it. */
	for (i = 0, total = 0; i < c->held_count; i++)
		total += c->held[i].events.len;
	wire_reserve(&c->out, total);
	for (i = 0; i < c->held_count; i++) {
		slot = strmap_slot(carried, c->held[i].key, c->held[i].keylen,
		    &created);
		*slot = c;
		wire_reader_init(&r, c->held[i].events.data,
		    c->held[i].events.len);
		while (wire_remaining(&r) > 0) {
			if (n == cap) {
				cap = cap > 0 ? 2 * cap : 256;
				all = xreallocarray(all, cap, sizeof(*all));
			}
			all[n].seq = wire_get_uvarint(&r);
			all[n].data = r.p;
			/* Written by this process. */
			if (!get_extra(&r, &x))
				abort();
			all[n].extra_len = (size_t)(r.p - all[n].data);
			all[n].kind = (enum event_kind)*r.p;
			if (!partial_event_get(&r, &ev))
				abort();
			all[n].len = (size_t)(r.p - all[n].data);
			n++;
		}
	}
	if (n > 0)
		qsort(all, n, sizeof(*all), held_event_cmp);
	for (i = 0; i < n; i++) {
		/* A notice kept under both its queue IDs goes once. */
		if (i > 0 && all[i].seq == all[i - 1].seq)
			continue;
		c->out_count++;
		/* Only a bounce notice may change; any other event goes
		   out as it was written. */
		if (all[i].kind != EV_BOUNCE_NOTICE) {
			wire_put_raw(&c->out, all[i].data, all[i].len);
			continue;
		}
		wire_put_raw(&c->out, all[i].data, all[i].extra_len);
		wire_reader_init(&r, all[i].data + all[i].extra_len,
		    all[i].len - all[i].extra_len);
		partial_event_get(&r, &ev);
		if ((klen = related_key(c, &ev)) != 0 &&
		    strmap_get(carried, c->keybuf, klen) == NULL) {
			/* The notification was counted here: the replay
			   must only touch the bounced message. */
			ev.related_queue_id = ZSTR_NULL;
		} else if (klen != 0 && (klen = event_key(c, &ev)) != 0 &&
		    strmap_get(carried, c->keybuf, klen) == NULL) {
			/* The bounced message was counted here: the
			   replay must only mark the notification, which
			   a notice about itself does. */
			ev.queue_id = ev.related_queue_id;
		}
		partial_event_put(&c->out, &ev);
	}
	free(all);
	strmap_free(carried);
	for (i = 0; i < c->held_count; i++) {
		free(c->held[i].key);
		wire_buf_free(&c->held[i].events);
	}
	c->held_count = 0;
	end_sessions(c, corr);
	correlator_closed_each(corr, put_closed, c);
}

/* carry_adjust - take off what was counted for carried messages */
void
carry_adjust(const struct carry *c, struct correlator_stats *stats)
{
	stats->messages_complete -= c->taken.messages_complete;
	stats->messages_evicted -= c->taken.messages_evicted;
	stats->messages_joined -= c->taken.messages_joined;
	stats->recipients_dropped -= c->taken.recipients_dropped;
	stats->rejects -= c->taken.rejects;
	stats->auth_failures -= c->taken.auth_failures;
}

/* carry_merge - append from's ordered events and its hosts' times */
void
carry_merge(struct carry *into, struct carry *from)
{
	struct carry_host *h, *f;
	const char *name;
	size_t	 len, pos = 0;
	void	*value;

	wire_put_raw(&into->out, from->out.data, from->out.len);
	into->out_count += from->out_count;
	/* Groups have relays of their own: no record repeats. */
	wire_put_raw(&into->sessions, from->sessions.data,
	    from->sessions.len);
	into->session_count += from->session_count;
	wire_put_raw(&into->closed_out, from->closed_out.data,
	    from->closed_out.len);
	into->closed_count += from->closed_count;
	while (strmap_next(from->hosts, &pos, &name, &len, &value)) {
		f = value;
		h = carry_host_get(into, name, len, f->first_sec);
		if (f->first_sec < h->first_sec)
			h->first_sec = f->first_sec;
		if (f->last_sec > h->last_sec)
			h->last_sec = f->last_sec;
	}
}

/* carry_event_count - events carried */
uint64_t
carry_event_count(const struct carry *c)
{
	return c != NULL ? c->out_count : 0;
}

/*
 * The fixed-size records.  Each table's length is written before its
 * values and must match on reading: a build whose structures differ
 * refuses the file instead of misreading it.
 */
#define SS(f)	offsetof(struct source_stats, f)
static const size_t source_u64[] = {
	SS(files), SS(files_damaged), SS(bytes_read), SS(bytes_decoded),
	SS(lines_read), SS(lines_parsed), SS(lines_ignored), SS(lines_other),
	SS(lines_malformed), SS(lines_outside_window),
	SS(lines_invalid_utf8), SS(events),
};
static const size_t source_i64[] = {
	SS(first_time_sec), SS(last_time_sec), SS(outside_first_sec),
	SS(outside_last_sec),
};
#define CS(f)	offsetof(struct correlator_stats, f)
static const size_t correlation_u64[] = {
	CS(messages_complete), CS(messages_incomplete), CS(messages_evicted),
	CS(orphan_events), CS(rejects), CS(auth_failures),
	CS(recipients_dropped), CS(open_peak),
	CS(messages_joined),		/* from version 5 */
};

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

/* A field added to these records must be added to the tables above
   (and the format version raised): the build stops here until it is. */
_Static_assert(sizeof(struct source_stats) == sizeof(uint64_t) *
    (NELEM(source_u64) + NELEM(source_i64) + IGNORE_REASON_COUNT +
    MALFORMED_REASON_COUNT + FORMAT_COUNT),
    "struct source_stats changed: update source_u64/source_i64");
_Static_assert(sizeof(struct correlator_stats) ==
    sizeof(uint64_t) * NELEM(correlation_u64),
    "struct correlator_stats changed: update correlation_u64");

#define AT(base, off, type)	((type *)(void *)((char *)(base) + (off)))
#define CAT(base, off, type) \
	((const type *)(const void *)((const char *)(base) + (off)))

/* put_u64s - a length-prefixed array of counters */
static void
put_u64s(struct wire_buf *b, const uint64_t *v, size_t n)
{
	size_t	i;

	wire_put_uvarint(b, n);
	for (i = 0; i < n; i++)
		wire_put_uvarint(b, v[i]);
}

/* get_u64s - an array of exactly n counters */
static bool
get_u64s(struct wire_reader *r, uint64_t *v, size_t n)
{
	size_t	i;

	if (wire_get_uvarint(r) != n)
		return false;
	for (i = 0; i < n; i++)
		v[i] = wire_get_uvarint(r);
	return !r->failed;
}

/* put_source_stats - every counter of a file or a total */
static void
put_source_stats(struct wire_buf *b, const struct source_stats *s)
{
	size_t	i;

	wire_put_uvarint(b, NELEM(source_u64));
	for (i = 0; i < NELEM(source_u64); i++)
		wire_put_uvarint(b, *CAT(s, source_u64[i], uint64_t));
	wire_put_uvarint(b, NELEM(source_i64));
	for (i = 0; i < NELEM(source_i64); i++)
		wire_put_svarint(b, *CAT(s, source_i64[i], int64_t));
	put_u64s(b, s->ignored_by_reason, IGNORE_REASON_COUNT);
	put_u64s(b, s->malformed_by_reason, MALFORMED_REASON_COUNT);
	put_u64s(b, s->lines_by_format, FORMAT_COUNT);
}

/* get_source_stats - the counters put_source_stats() wrote */
static bool
get_source_stats(struct wire_reader *r, struct source_stats *s)
{
	size_t	i;

	source_stats_init(s);
	if (wire_get_uvarint(r) != NELEM(source_u64))
		return false;
	for (i = 0; i < NELEM(source_u64); i++)
		*AT(s, source_u64[i], uint64_t) = wire_get_uvarint(r);
	if (wire_get_uvarint(r) != NELEM(source_i64))
		return false;
	for (i = 0; i < NELEM(source_i64); i++)
		*AT(s, source_i64[i], int64_t) = wire_get_svarint(r);
	return get_u64s(r, s->ignored_by_reason, IGNORE_REASON_COUNT) &&
	    get_u64s(r, s->malformed_by_reason, MALFORMED_REASON_COUNT) &&
	    get_u64s(r, s->lines_by_format, FORMAT_COUNT);
}

/*
 * A partial file being written: the stream and the CRC-32 of what was
 * written so far.  The sections go out one by one, and the largest
 * (the carried events) straight from the carry's buffer, so the file
 * is never held whole in memory.
 */
struct sink {
	FILE		*fp;
	uint32_t	 crc;
	bool		 failed;	/* a write failed */
};

/* sink_write - len bytes into the file and its CRC */
static void
sink_write(struct sink *s, const void *data, size_t len)
{
	if (len == 0 || s->failed)
		return;
	s->crc = wire_crc32_update(s->crc, data, len);
	if (fwrite(data, 1, len, s->fp) != len)
		s->failed = true;
}

/*
 * put_section - identifier, then the payload as a byte string: p's
 * bytes, then tail_len bytes of tail; p is emptied
 */
static void
put_section(struct sink *s, enum section id, struct wire_buf *p,
    const void *tail, size_t tail_len)
{
	unsigned char	 head[1 + WIRE_UVARINT_MAX_LEN], *e;

	head[0] = (uint8_t)id;
	e = wire_encode_uvarint(head + 1, (uint64_t)p->len + tail_len);
	sink_write(s, head, (size_t)(e - head));
	sink_write(s, p->data, p->len);
	sink_write(s, tail, tail_len);
	wire_buf_free(p);
}

/* host_name_cmp - qsort: names as byte strings */
static int
host_name_cmp(const void *a, const void *b)
{
	const char *const *x = a, *const *y = b;

	return strcmp(*x, *y);
}

/* encode - the whole file into s */
static void
encode(const struct pipeline_result *res, const struct partial_window *win,
    struct sink *s)
{
	const struct carry	*c = res->carry;
	struct wire_buf	 p;
	const struct carry_host *h;
	const char	**names;
	const char	*name;
	size_t		 i, n, pos = 0;
	void		*value;
	unsigned char	 crc[4];

	wire_buf_init(&p);
	wire_put_raw(&p, PARTIAL_MAGIC, PARTIAL_MAGIC_LEN);
	wire_put_u8(&p, PARTIAL_VERSION);
	wire_put_uvarint(&p, 0);		/* flags: none defined */
	sink_write(s, p.data, p.len);
	p.len = 0;

	wire_put_uvarint(&p, res->file_count);
	for (i = 0; i < res->file_count; i++) {
		const struct input_file *f = &res->files[i];

		wire_put_str(&p, f->name);
		wire_put_u8(&p, (uint8_t)f->status);
		wire_put_u8(&p, f->error != NULL);
		if (f->error != NULL)
			wire_put_str(&p, f->error);
		put_source_stats(&p, &f->stats);
	}
	put_section(s, SECTION_FILES, &p, NULL, 0);

	wire_put_uvarint(&p, NELEM(correlation_u64));
	for (i = 0; i < NELEM(correlation_u64); i++)
		wire_put_uvarint(&p, *CAT(&res->correlation,
		    correlation_u64[i], uint64_t));
	put_section(s, SECTION_CORRELATION, &p, NULL, 0);

	aggregator_save(res->aggregator, &p);
	put_section(s, SECTION_AGGREGATE, &p, NULL, 0);

	wire_put_uvarint(&p, carry_event_count(c));
	put_section(s, SECTION_CARRIED, &p, c != NULL ? c->out.data : NULL,
	    c != NULL ? c->out.len : 0);

	n = res->carry != NULL ? strmap_count(res->carry->hosts) : 0;
	names = xcalloc(n > 0 ? n : 1, sizeof(*names));
	for (i = 0; i < n && strmap_next(res->carry->hosts, &pos, &name,
	    NULL, &value); i++)
		names[i] = name;
	qsort(names, i, sizeof(*names), host_name_cmp);
	wire_put_uvarint(&p, i);
	for (n = 0; n < i; n++) {
		h = strmap_get(res->carry->hosts, names[n], strlen(names[n]));
		wire_put_str(&p, names[n]);
		wire_put_svarint(&p, h->first_sec);
		wire_put_svarint(&p, h->last_sec);
	}
	free(names);
	put_section(s, SECTION_HOSTS, &p, NULL, 0);

	wire_put_u8(&p, win != NULL && win->window);
	wire_put_svarint(&p, win != NULL && win->window ? win->since_sec : 0);
	wire_put_svarint(&p, win != NULL && win->window ? win->until_sec : 0);
	put_section(s, SECTION_WINDOW, &p, NULL, 0);

	wire_put_uvarint(&p, c != NULL ? c->session_count : 0);
	put_section(s, SECTION_SESSIONS, &p, c != NULL ? c->sessions.data :
	    NULL, c != NULL ? c->sessions.len : 0);

	wire_put_uvarint(&p, c != NULL ? c->closed_count : 0);
	put_section(s, SECTION_CLOSED, &p, c != NULL ? c->closed_out.data :
	    NULL, c != NULL ? c->closed_out.len : 0);

	aggregator_save_refusals(res->aggregator, &p);
	put_section(s, SECTION_REFUSALS, &p, NULL, 0);

	aggregator_save_remote(res->aggregator, &p);
	put_section(s, SECTION_REMOTE, &p, NULL, 0);

	aggregator_save_uses(res->aggregator, &p);
	put_section(s, SECTION_USES, &p, NULL, 0);

	wire_put_u8(&p, SECTION_END);
	sink_write(s, p.data, p.len);
	wire_buf_free(&p);
	/* Not part of what it checks. */
	for (i = 0; i < 4; i++)
		crc[i] = (unsigned char)(s->crc >> (8 * i));
	if (!s->failed && fwrite(crc, 1, 4, s->fp) != 4)
		s->failed = true;
}

/* partial_save - encode, then write through an outfile */
bool
partial_save(const char *path, const struct pipeline_result *res,
    const struct partial_window *window, char *err, size_t errlen)
{
	struct outfile	*out;
	struct sink	 s;

	if ((out = outfile_open(path, err, errlen)) == NULL)
		return false;
	s.fp = outfile_stream(out);
	s.crc = 0;
	s.failed = false;
	encode(res, window, &s);
	if (s.failed) {
		int	saved = errno;

		snprintf(err, errlen, "%s: %s", path, strerror(saved));
		outfile_abort(out);
		errno = saved;
		return false;
	}
	return outfile_commit(out, err, errlen);
}

/* Sections of one file, borrowed from its bytes. */
struct sections {
	unsigned	 version;
	struct wire_reader s[SECTION_COUNT];
	bool		 seen[SECTION_COUNT];
};

/*
 * split - check magic, version, flags and checksum, and find each
 * section once.  The checksum is checked before anything else is
 * believed, so a damaged file is reported as such.
 */
static enum partial_status
split(const unsigned char *data, size_t len, struct sections *out,
    char *err, size_t errlen)
{
	struct wire_reader r;
	const unsigned char *p;
	size_t	 plen, body;
	uint32_t crc;
	uint64_t flags;
	uint8_t	 version, id, last;

	memset(out, 0, sizeof(*out));
	if (len < PARTIAL_MAGIC_LEN ||
	    memcmp(data, PARTIAL_MAGIC, PARTIAL_MAGIC_LEN) != 0) {
		snprintf(err, errlen, len == 0 ? "empty: not a zombiescan "
		    "partial file" : "not a zombiescan partial file");
		return PARTIAL_CORRUPT;
	}
	if (len < PARTIAL_MAGIC_LEN + 1 + 4) {
		snprintf(err, errlen, "truncated partial file");
		return PARTIAL_CORRUPT;
	}
	version = data[PARTIAL_MAGIC_LEN];
	if (version > PARTIAL_VERSION) {
		snprintf(err, errlen, "partial file format version %u is "
		    "newer than this zombiescan reads (%u); use a newer "
		    "zombiescan", (unsigned)version,
		    (unsigned)PARTIAL_VERSION);
		return PARTIAL_NEWER;
	}
	if (version == 0) {
		snprintf(err, errlen, "bad partial file format version 0");
		return PARTIAL_CORRUPT;
	}
	body = len - 4;
	crc = (uint32_t)data[body] | (uint32_t)data[body + 1] << 8 |
	    (uint32_t)data[body + 2] << 16 | (uint32_t)data[body + 3] << 24;
	if (wire_crc32(data, body) != crc) {
		snprintf(err, errlen, "partial file damaged or truncated "
		    "(checksum mismatch)");
		return PARTIAL_CORRUPT;
	}
	out->version = version;
	/* Version 1 has no session records, version 2 no closed ones,
	   version 3 no refusals, 4 to 7 no remote rejections, 8 and 9 no
	   occurrence samples. */
	last = version == 1 ? SECTION_SESSIONS : version == 2 ?
	    SECTION_CLOSED : version == 3 ? SECTION_REFUSALS :
	    version < 8 ? SECTION_REMOTE : version < 10 ? SECTION_USES :
	    SECTION_COUNT;
	wire_reader_init(&r, data + PARTIAL_MAGIC_LEN + 1,
	    body - PARTIAL_MAGIC_LEN - 1);
	flags = wire_get_uvarint(&r);
	if (r.failed || flags != 0) {
		snprintf(err, errlen, "partial file has unknown flags");
		return PARTIAL_CORRUPT;
	}
	for (;;) {
		id = wire_get_u8(&r);
		if (r.failed)
			break;
		if (id == SECTION_END) {
			if (wire_remaining(&r) != 0)
				break;
			for (id = 1; id < last; id++)
				if (!out->seen[id]) {
					snprintf(err, errlen, "partial file "
					    "lacks section %u", id);
					return PARTIAL_CORRUPT;
				}
			return PARTIAL_OK;
		}
		if (id >= last || out->seen[id] ||
		    !wire_get_bytes(&r, &p, &plen))
			break;
		out->seen[id] = true;
		wire_reader_init(&out->s[id], p, plen);
	}
	snprintf(err, errlen, "partial file has a bad section layout");
	return PARTIAL_CORRUPT;
}

/* section_done - whether a section was read whole and well */
static bool
section_done(const struct wire_reader *r)
{
	return !r->failed && wire_remaining(r) == 0;
}

/* The fewest bytes a file record takes (see load_files()). */
#define FILE_RECORD_MIN	(3 + 5 + NELEM(source_u64) + \
	NELEM(source_i64) + IGNORE_REASON_COUNT + MALFORMED_REASON_COUNT + \
	FORMAT_COUNT)

/*
 * load_files - the input records: appended to out->files, names and
 * errors owned by m and out respectively
 */
static bool
load_files(struct wire_reader *r, struct partial_merge *m,
    struct pipeline_result *out)
{
	struct input_file *f;
	uint64_t n, i;
	uint8_t	 status, has_error;
	char	*name, *error;

	n = wire_get_uvarint(r);
	/* No claimed count allocates more than the section holds: a
	   record is at least its name's length, status and has_error,
	   then one byte a counter and one for each count. */
	if (r->failed || n > wire_remaining(r) / FILE_RECORD_MIN)
		return false;
	out->files = xreallocarray(out->files, out->file_count + n + 1,
	    sizeof(*out->files));
	m->names = xreallocarray(m->names, m->name_count + n + 1,
	    sizeof(*m->names));
	for (i = 0; i < n; i++) {
		name = wire_get_str(r);
		status = wire_get_u8(r);
		has_error = wire_get_u8(r);
		error = has_error == 1 ? wire_get_str(r) : NULL;
		if (name == NULL || r->failed || status > INPUT_UNREADABLE ||
		    has_error > 1 ||
		    (has_error == 1) != (status != INPUT_OK)) {
			free(name);
			free(error);
			return false;
		}
		m->names[m->name_count++] = name;
		f = &out->files[out->file_count];
		memset(f, 0, sizeof(*f));
		f->name = name;
		f->status = (enum input_file_status)status;
		f->error = error;
		out->file_count++;
		if (!get_source_stats(r, &f->stats))
			return false;
	}
	return section_done(r);
}

/* load_correlation - add the counters; the peak is the largest.
   Versions before 5 have no messages_joined, the last. */
static bool
load_correlation(struct wire_reader *r, unsigned version,
    struct correlator_stats *total)
{
	struct correlator_stats one;
	size_t	i, n = NELEM(correlation_u64) - (version < 5);

	memset(&one, 0, sizeof(one));
	if (wire_get_uvarint(r) != n)
		return false;
	for (i = 0; i < n; i++)
		*AT(&one, correlation_u64[i], uint64_t) = wire_get_uvarint(r);
	if (!section_done(r))
		return false;
	for (i = 0; i < NELEM(correlation_u64); i++) {
		uint64_t *t = AT(total, correlation_u64[i], uint64_t);

		if (correlation_u64[i] == CS(open_peak))
			*t = one.open_peak > *t ? one.open_peak : *t;
		else
			*t += *AT(&one, correlation_u64[i], uint64_t);
	}
	return true;
}

/* check_carried - every carried event (and its extra) well formed */
static bool
check_carried(struct wire_reader *r, struct loaded *part)
{
	struct carried_extra x;
	struct mta_event ev;
	uint64_t n, i;

	n = wire_get_uvarint(r);
	if (r->failed || n > wire_remaining(r))
		return false;
	part->carried = *r;
	part->carried_count = n;
	for (i = 0; i < n; i++)
		if ((part->version >= 2 && !get_extra(r, &x)) ||
		    !partial_event_get(r, &ev))
			return false;
	return section_done(r);
}

/* A session record, as read; strings borrowed from the file. */
struct session_in {
	struct zstr	 host;
	int64_t		 pid;
	bool		 open;
	int64_t		 last_sec;	/* open: its state */
	struct zstr	 strs[3];	/* client IP, SASL method, user */
};

/* get_session - one session record, checked */
static bool
get_session(struct wire_reader *r, struct session_in *s)
{
	const unsigned char *p;
	size_t		 len, i;
	uint8_t		 flag;

	memset(s, 0, sizeof(*s));
	if (!wire_get_bytes(r, &p, &len) ||
	    (len > 0 && memchr(p, '\0', len) != NULL))
		return false;
	s->host = zstr_make(len > 0 ? (const char *)p : "", len);
	s->pid = wire_get_svarint(r);
	flag = wire_get_u8(r);
	if (r->failed || s->pid < 0 || flag > 1)
		return false;
	s->open = flag == 1;
	for (i = 0; i < 3; i++)
		s->strs[i] = ZSTR_NULL;
	if (!s->open)
		return true;
	s->last_sec = wire_get_svarint(r);
	for (i = 0; i < 3; i++)
		if (!get_opt_str(r, &s->strs[i]))
			return false;
	return !r->failed;
}

/* check_sessions - every session record well formed */
static bool
check_sessions(struct wire_reader *r, struct loaded *part)
{
	struct session_in s, prev;
	struct strmap *relays;
	uint64_t n, i;
	bool	 ok = true, created;

	n = wire_get_uvarint(r);
	if (r->failed || n > wire_remaining(r))
		return false;
	part->sessions = *r;
	part->session_count = n;
	/* The records of a relay together, its processes strictly
	   ascending: no process twice. */
	relays = strmap_new(NULL);
	for (i = 0; i < n && ok; i++) {
		if (!get_session(r, &s))
			ok = false;
		else if (i > 0 && s.host.len == prev.host.len &&
		    (s.host.len == 0 || memcmp(s.host.ptr, prev.host.ptr,
		    s.host.len) == 0))
			ok = s.pid > prev.pid;
		else {
			(void)strmap_slot(relays, s.host.len > 0 ?
			    s.host.ptr : "", s.host.len, &created);
			ok = created;
		}
		prev = s;
	}
	strmap_free(relays);
	return ok && section_done(r);
}

/* get_closed - one closed record: relay, queue ID, time */
static bool
get_closed(struct wire_reader *r, struct zstr *host, struct zstr *qid,
    int64_t *closed_sec)
{
	const unsigned char *p, *q;
	size_t	 plen, qlen;

	if (!wire_get_bytes(r, &p, &plen) ||
	    (plen > 0 && memchr(p, '\0', plen) != NULL) ||
	    !wire_get_bytes(r, &q, &qlen) || qlen == 0 ||
	    memchr(q, '\0', qlen) != NULL)
		return false;
	*host = zstr_make(plen > 0 ? (const char *)p : "", plen);
	*qid = zstr_make((const char *)q, qlen);
	*closed_sec = wire_get_svarint(r);
	return !r->failed;
}

/* check_closed - every closed record well formed */
static bool
check_closed(struct wire_reader *r, struct loaded *part)
{
	struct zstr host, qid;
	uint64_t n, i;
	int64_t	 t;

	n = wire_get_uvarint(r);
	if (r->failed || n > wire_remaining(r))
		return false;
	part->closed = *r;
	part->closed_count = n;
	for (i = 0; i < n; i++)
		if (!get_closed(r, &host, &qid, &t))
			return false;
	return section_done(r);
}

/*
 * load_hosts - each relay's time range; with order, refuse a relay
 * whose lines begin before its last line in an earlier partial (by
 * *behind seconds), then widen order's ranges
 */
static bool
load_hosts(struct wire_reader *r, struct strmap *order, bool *in_order,
    int64_t *behind, char *bad_host, size_t bad_len)
{
	struct host_range *h;
	const char *prev = NULL;
	char	*name;
	uint64_t n, i;
	int64_t	 first, last;
	void	**slot;
	bool	 created;
	char	*names_prev = NULL;

	*in_order = true;
	n = wire_get_uvarint(r);
	if (r->failed || n > wire_remaining(r))
		return false;
	for (i = 0; i < n; i++) {
		name = wire_get_str(r);
		first = wire_get_svarint(r);
		last = wire_get_svarint(r);
		if (name == NULL || r->failed || first > last ||
		    (prev != NULL && strcmp(prev, name) >= 0)) {
			free(name);
			free(names_prev);
			return false;
		}
		slot = strmap_slot(order, name, strlen(name), &created);
		if (created) {
			h = xmalloc(sizeof(*h));
			h->first_sec = first;
			h->last_sec = last;
			*slot = h;
		} else {
			h = *slot;
			if (first < h->last_sec && *in_order) {
				*in_order = false;
				*behind = h->last_sec - first;
				snprintf(bad_host, bad_len, "%.200s", name);
			}
			if (last > h->last_sec)
				h->last_sec = last;
		}
		free(names_prev);
		names_prev = name;
		prev = name;
	}
	free(names_prev);
	return section_done(r);
}

/* load_window - the first partial's window, which the others repeat */
static enum partial_status
load_window(struct wire_reader *r, struct partial_merge *m, char *err,
    size_t errlen)
{
	struct partial_window w;
	uint8_t	flag;

	flag = wire_get_u8(r);
	w.window = flag == 1;
	w.since_sec = wire_get_svarint(r);
	w.until_sec = wire_get_svarint(r);
	if (!section_done(r) || flag > 1 ||
	    (!w.window && (w.since_sec != 0 || w.until_sec != 0))) {
		snprintf(err, errlen, "partial file: bad window record");
		return PARTIAL_CORRUPT;
	}
	if (m->count <= 1) {
		m->window = w;
		return PARTIAL_OK;
	}
	if (w.window != m->window.window ||
	    w.since_sec != m->window.since_sec ||
	    w.until_sec != m->window.until_sec) {
		snprintf(err, errlen, "read with another --since/--until "
		    "window than the first partial");
		return PARTIAL_MISMATCH;
	}
	return PARTIAL_OK;
}

/* partial_merge_window - the partials' window */
void
partial_merge_window(const struct partial_merge *m,
    struct partial_window *window)
{
	*window = m->window;
}

/* part_name - how messages name a partial: "-" is standard input */
static const char *
part_name(const char *path)
{
	return strcmp(path, "-") == 0 ? "standard input" : path;
}

/* read_whole - a file's bytes ("-": standard input's); NULL with a
   message */
static unsigned char *
read_whole(const char *path, size_t *len, char *err, size_t errlen)
{
	FILE	*fp;
	unsigned char *data = NULL;
	size_t	 cap = 0, n = 0, got;
	bool	 is_stdin = strcmp(path, "-") == 0;

	path = part_name(path);
	if (is_stdin)
		fp = stdin;
	else if ((fp = fopen(path, "rb")) == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	for (;;) {
		if (n == cap) {
			if (cap >= PARTIAL_MAX_BYTES) {
				snprintf(err, errlen, "%s: larger than %zu "
				    "bytes", path, PARTIAL_MAX_BYTES);
				goto fail;
			}
			cap = cap > 0 ? 2 * cap : 65536;
			data = xreallocarray(data, cap, 1);
		}
		got = fread(data + n, 1, cap - n, fp);
		n += got;
		if (got == 0)
			break;
	}
	if (ferror(fp)) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		goto fail;
	}
	if (!is_stdin)
		fclose(fp);
	*len = n;
	return data;
fail:
	if (!is_stdin)
		fclose(fp);
	free(data);
	return NULL;
}

/*
 * load_one - check one partial and add it to out: files, counters,
 * aggregate; its carried events are kept for the replay
 */
static enum partial_status
load_one(struct loaded *part, struct partial_merge *m,
    const struct classifier *cls, size_t max_accounts, struct strmap *order,
    struct pipeline_result *out, char *err, size_t errlen)
{
	struct sections	 sec;
	struct aggregator *agg;
	enum partial_status st;
	char		 host[256];
	bool		 in_order;
	int64_t		 behind = 0;

	st = split(part->data, part->len, &sec, err, errlen);
	if (st != PARTIAL_OK)
		return st;
	part->version = sec.version;
	if (!load_files(&sec.s[SECTION_FILES], m, out)) {
		snprintf(err, errlen, "partial file: bad input file records");
		return PARTIAL_CORRUPT;
	}
	if (!load_correlation(&sec.s[SECTION_CORRELATION], part->version,
	    &out->correlation)) {
		snprintf(err, errlen, "partial file: bad correlation "
		    "counters");
		return PARTIAL_CORRUPT;
	}
	agg = aggregator_new(cls);
	/* Before version 6 the recipients were a map of addresses;
	   before version 7 samples had no client address. */
	if (!aggregator_load(agg, &sec.s[SECTION_AGGREGATE],
	    part->version < 6, part->version >= 7) ||
	    !section_done(&sec.s[SECTION_AGGREGATE])) {
		aggregator_free(agg);
		snprintf(err, errlen, "partial file: bad aggregate (or one "
		    "written by a build with other account fields)");
		return PARTIAL_CORRUPT;
	}
	if (part->version >= 4 &&
	    (!aggregator_load_refusals(agg, &sec.s[SECTION_REFUSALS],
	    part->version >= 7) ||
	    !section_done(&sec.s[SECTION_REFUSALS]))) {
		aggregator_free(agg);
		snprintf(err, errlen, "partial file: bad refusal records");
		return PARTIAL_CORRUPT;
	}
	if (part->version >= 8 &&
	    (!aggregator_load_remote(agg, &sec.s[SECTION_REMOTE]) ||
	    !section_done(&sec.s[SECTION_REMOTE]))) {
		aggregator_free(agg);
		snprintf(err, errlen, "partial file: bad remote rejection "
		    "records");
		return PARTIAL_CORRUPT;
	}
	if (part->version >= 10 &&
	    (!aggregator_load_uses(agg, &sec.s[SECTION_USES]) ||
	    !section_done(&sec.s[SECTION_USES]))) {
		aggregator_free(agg);
		snprintf(err, errlen, "partial file: bad occurrence samples");
		return PARTIAL_CORRUPT;
	}
	if (out->aggregator == NULL && (max_accounts == 0 ||
	    aggregator_account_count(agg) <= max_accounts)) {
		/* The first part is the start of the result as it is:
		   copying it into an empty one would hold it twice. */
		aggregator_set_max_accounts(agg, max_accounts);
		out->aggregator = agg;
	} else {
		if (out->aggregator == NULL) {
			out->aggregator = aggregator_new(cls);
			aggregator_set_max_accounts(out->aggregator,
			    max_accounts);
		}
		aggregator_merge(out->aggregator, agg);
		aggregator_free(agg);
	}
	if (!check_carried(&sec.s[SECTION_CARRIED], part)) {
		snprintf(err, errlen, "partial file: bad carried events");
		return PARTIAL_CORRUPT;
	}
	if (part->version >= 2 &&
	    !check_sessions(&sec.s[SECTION_SESSIONS], part)) {
		snprintf(err, errlen, "partial file: bad session records");
		return PARTIAL_CORRUPT;
	}
	if (part->version >= 3 &&
	    !check_closed(&sec.s[SECTION_CLOSED], part)) {
		snprintf(err, errlen, "partial file: bad closed records");
		return PARTIAL_CORRUPT;
	}
	part->hosts = sec.s[SECTION_HOSTS];
	if (!load_hosts(&sec.s[SECTION_HOSTS], order, &in_order, &behind,
	    host, sizeof(host))) {
		snprintf(err, errlen, "partial file: bad relay records");
		return PARTIAL_CORRUPT;
	}
	if (!in_order) {
		snprintf(err, errlen, "lines of relay %s begin before the "
		    "end of that relay's lines in an earlier partial: name "
		    "each relay's partials in time order%s", host,
		    behind > YEAR_HINT_SEC ? " (or was this part, a year "
		    "behind, read in the wrong year? give its run the "
		    "--year of its first line)" : "");
		return PARTIAL_ORDER;
	}
	return load_window(&sec.s[SECTION_WINDOW], m, err, errlen);
}

/* drain - every record ready into the aggregate */
static void
drain(struct correlator *corr, struct aggregator *agg)
{
	const struct message *msg;

	while ((msg = correlator_next(corr)) != NULL)
		aggregator_add(agg, msg);
}

/* session_strings - s's strings as C strings in buf[] (freed by the
   caller), into sess */
static void
session_strings(const struct zstr strs[3], char *buf[3],
    struct correlator_session *sess)
{
	size_t	i;

	for (i = 0; i < 3; i++)
		buf[i] = zstr_is_set(strs[i]) ? xmemdup0(strs[i].len > 0 ?
		    strs[i].ptr : "", strs[i].len) : NULL;
	sess->client_ip = buf[0];
	sess->sasl_method = buf[1];
	sess->sasl_username = buf[2];
}

/*
 * replay_part - one partial's carried events, each after its relay's
 * clock and with the session its line found; then its relays' clocks
 * at its end and the sessions open there
 */
static void
replay_part(const struct loaded *part, struct correlator *corr,
    struct aggregator *agg)
{
	struct wire_reader r = part->carried;
	struct correlator_session sess;
	struct carried_extra x;
	struct session_in in;
	struct mta_event ev;
	const unsigned char *name;
	uint64_t j, n;
	int64_t	 last;
	char	*buf[3];
	size_t	 i, len;

	memset(&x, 0, sizeof(x));
	x.found = CARRIED_LOOKUP;
	for (j = 0; j < part->carried_count; j++) {
		/* Checked at load. */
		if ((part->version >= 2 && !get_extra(&r, &x)) ||
		    !partial_event_get(&r, &ev))
			break;
		if (x.has_clock) {
			correlator_advance(corr, ev.host, (int64_t)
			    ((uint64_t)ev.time_sec - (uint64_t)x.clock_delta));
			drain(corr, agg);
		}
		if (x.found == CARRIED_LOOKUP) {
			correlator_feed(corr, &ev);
		} else if (x.found == CARRIED_NONE) {
			correlator_feed_resolved(corr, &ev, NULL);
		} else {
			memset(&sess, 0, sizeof(sess));
			sess.host = ev.host;
			sess.pid = ev.pid;
			session_strings(x.strs, buf, &sess);
			correlator_feed_resolved(corr, &ev, &sess);
			for (i = 0; i < 3; i++)
				free(buf[i]);
		}
		drain(corr, agg);
	}
	/* The relays' clocks at the part's end (names checked at load). */
	r = part->hosts;
	n = wire_get_uvarint(&r);
	for (j = 0; j < n; j++) {
		if (!wire_get_bytes(&r, &name, &len))
			break;
		(void)wire_get_svarint(&r);	/* first_sec */
		last = wire_get_svarint(&r);
		correlator_advance(corr, zstr_make(len > 0 ?
		    (const char *)name : "", len), last);
		drain(corr, agg);
	}
	r = part->sessions;
	for (j = 0; j < part->session_count; j++) {
		if (!get_session(&r, &in))
			break;
		if (!in.open) {
			correlator_session_end(corr, in.host, in.pid);
			continue;
		}
		memset(&sess, 0, sizeof(sess));
		sess.host = in.host;
		sess.pid = in.pid;
		sess.last_sec = in.last_sec;
		session_strings(in.strs, buf, &sess);
		correlator_session_set(corr, &sess);
		for (i = 0; i < 3; i++)
			free(buf[i]);
		drain(corr, agg);
	}
	r = part->closed;
	for (j = 0; j < part->closed_count; j++) {
		struct zstr host, qid;
		int64_t	 t;

		if (!get_closed(&r, &host, &qid, &t))
			break;
		correlator_closed_put(corr, host, qid, t);
	}
}

/* replay - every carried event, partial by partial, through one
   correlator into the merged aggregate */
static void
replay(struct partial_merge *m, const struct correlator_options *copts,
    struct pipeline_result *out)
{
	struct correlator *corr = correlator_new(copts);
	const struct correlator_stats *cs;
	size_t		 i;

	for (i = 0; i < m->count; i++)
		replay_part(&m->parts[i], corr, out->aggregator);
	correlator_finish(corr);
	drain(corr, out->aggregator);
	cs = correlator_stats(corr);
	out->correlation.messages_complete += cs->messages_complete;
	out->correlation.messages_incomplete += cs->messages_incomplete;
	out->correlation.messages_evicted += cs->messages_evicted;
	out->correlation.messages_joined += cs->messages_joined;
	out->correlation.orphan_events += cs->orphan_events;
	out->correlation.rejects += cs->rejects;
	out->correlation.auth_failures += cs->auth_failures;
	out->correlation.recipients_dropped += cs->recipients_dropped;
	if (cs->open_peak > out->correlation.open_peak)
		out->correlation.open_peak = cs->open_peak;
	correlator_free(corr);
}

/* partial_merge - load, check, add, replay */
enum partial_status
partial_merge(char *const *paths, size_t count,
    const struct correlator_options *copts, const struct classifier *cls,
    size_t max_accounts, struct pipeline_result *out,
    struct partial_merge **merge, char *err, size_t errlen)
{
	struct partial_merge *m = xcalloc(1, sizeof(*m));
	struct strmap	*order = strmap_new(free);
	enum partial_status st = PARTIAL_OK;
	char		 why[512];
	size_t		 i;

	memset(out, 0, sizeof(*out));
	*merge = m;
	m->parts = xcalloc(count > 0 ? count : 1, sizeof(*m->parts));
	for (i = 0; i < count && st == PARTIAL_OK; i++) {
		m->parts[i].data = read_whole(paths[i], &m->parts[i].len,
		    err, errlen);
		if (m->parts[i].data == NULL) {
			st = PARTIAL_IO;
			break;
		}
		m->count = i + 1;
		st = load_one(&m->parts[i], m, cls, max_accounts, order, out,
		    why, sizeof(why));
		if (st != PARTIAL_OK)
			snprintf(err, errlen, "%s: %s", part_name(paths[i]),
			    why);
	}
	if (out->aggregator == NULL) {
		/* No part loaded: an empty result. */
		out->aggregator = aggregator_new(cls);
		aggregator_set_max_accounts(out->aggregator, max_accounts);
	}
	if (st == PARTIAL_OK)
		replay(m, copts, out);
	source_stats_init(&out->total);
	for (i = 0; i < out->file_count; i++) {
		source_stats_add(&out->total, &out->files[i].stats);
		if (out->files[i].status != INPUT_OK)
			out->partial = true;
	}
	out->relay_groups = strmap_count(order);
	strmap_free(order);
	return st;
}

/* partial_merge_free - the loaded bytes and file names */
void
partial_merge_free(struct partial_merge *m)
{
	size_t	i;

	if (m == NULL)
		return;
	for (i = 0; i < m->count; i++)
		free(m->parts[i].data);
	free(m->parts);
	for (i = 0; i < m->name_count; i++)
		free(m->names[i]);
	free(m->names);
	free(m);
}

/* partial_check - load one file's bytes as merge would, then free */
enum partial_status
partial_check(const void *data, size_t len, const struct classifier *cls,
    char *err, size_t errlen)
{
	struct partial_merge *m = xcalloc(1, sizeof(*m));
	struct pipeline_result out;
	struct strmap	*order = strmap_new(free);
	enum partial_status st;
	size_t		 i;

	memset(&out, 0, sizeof(out));
	m->parts = xcalloc(1, sizeof(*m->parts));
	m->parts[0].data = xmalloc(len > 0 ? len : 1);
	if (len > 0)
		memcpy(m->parts[0].data, data, len);
	m->parts[0].len = len;
	m->count = 1;
	st = load_one(&m->parts[0], m, cls, 0, order, &out, err, errlen);
	if (st == PARTIAL_OK) {
		struct correlator_options copts;

		memset(&copts, 0, sizeof(copts));
		replay(m, &copts, &out);
	}
	strmap_free(order);
	for (i = 0; i < out.file_count; i++)
		free((char *)out.files[i].error);
	free(out.files);
	aggregator_free(out.aggregator);
	partial_merge_free(m);
	return st;
}
