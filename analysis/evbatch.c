/*
 * evbatch - copied events in batches, handed over by a bounded queue
 * (see evbatch.h).
 */
#include "config.h"

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/evbatch.h"
#include "util/xalloc.h"

/*
 * An event as a batch holds it: the scalars of struct mta_event, which
 * of its strings are set, and where its spans start.  A third of the
 * size of the event itself, so a reading thread writes (and the other
 * thread reads back) little besides the text.
 */
struct packed_event {
	int64_t		time_sec;
	int64_t		pid;
	int64_t		uid;
	uint64_t	size_bytes;
	uint64_t	nrcpt;
	uint32_t	time_usec;
	uint32_t	set;		/* bit i: event_string(ev, i) is set */
	uint32_t	kind;		/* enum event_kind */
	uint32_t	mta;		/* enum mta_kind */
	uint32_t	status;		/* enum delivery_status */
	uint32_t	reject_origin;	/* enum reject_origin */
	uint32_t	notice;		/* enum bounce_notice */
	size_t		first_span;	/* its first span in the batch */
};

/* A set string: its bytes at text + off. */
struct span {
	size_t		off;
	size_t		len;
};

struct evbatch {
	struct packed_event *events;
	size_t		 count;
	size_t		 max_events;
	struct span	*spans;		/* the events' strings, in order */
	size_t		 spans_used;
	char		*text;		/* arena for the strings */
	size_t		 text_used;
	size_t		 text_size;
};

struct evqueue {
	pthread_mutex_t	 lock;
	pthread_cond_t	 freed;		/* a batch was released */
	pthread_cond_t	 filled;	/* a batch was put, or the end */
	struct evbatch	**batches;	/* all of them, for freeing */
	size_t		 nbatches;
	struct evbatch	**spare;	/* released, ready to fill */
	size_t		 nspare;
	struct evbatch	**ring;		/* put, not yet taken */
	size_t		 head;		/* oldest in ring */
	size_t		 queued;
	size_t		 wake_at;	/* batches a sleeper waits for */
	bool		 producer_asleep;
	bool		 consumer_asleep;
	bool		 ended;
};

#if defined(__LP64__)
/* A field added to struct mta_event but not to its strings' table (or,
   for a scalar, to struct packed_event) would be lost in the copy. */
_Static_assert(sizeof(struct mta_event) == 360,
    "struct mta_event changed: list its strings in event_string_offsets "
    "(parsers/event.c) and its scalars in struct packed_event");
#endif
_Static_assert(EVENT_STRING_COUNT <= 32, "set is a 32-bit mask");

/* A set but empty string points here, so it stays set. */
static const char empty_text[1] = "";

/* evbatch_new - an empty batch with room allocated up front */
struct evbatch *
evbatch_new(size_t max_events, size_t text_bytes)
{
	struct evbatch	*b = xcalloc(1, sizeof(*b));

	b->max_events = max_events > 0 ? max_events : 1;
	b->events = xcalloc(b->max_events, sizeof(*b->events));
	/* Room for every string of every event, so that only events
	   and text fill a batch; pages never written cost nothing. */
	b->spans = xcalloc(b->max_events * EVENT_STRING_COUNT,
	    sizeof(*b->spans));
	b->text_size = text_bytes > 0 ? text_bytes : 1;
	b->text = xmalloc(b->text_size);
	return b;
}

/* evbatch_free - free the batch, its events and its arena */
void
evbatch_free(struct evbatch *b)
{
	if (b == NULL)
		return;
	free(b->events);
	free(b->spans);
	free(b->text);
	free(b);
}

/* evbatch_clear - empty the batch, keeping its memory */
void
evbatch_clear(struct evbatch *b)
{
	b->count = 0;
	b->spans_used = 0;
	b->text_used = 0;
}

/* evbatch_add - copy ev and its strings into the batch */
bool
evbatch_add(struct evbatch *b, const struct mta_event *ev)
{
	return evbatch_add_line(b, ev, NULL, 0);
}

/*
 * evbatch_add_line - see evbatch.h.  Addresses are compared as
 * integers: a string's bytes are inside the line when its start and
 * end are, whatever object it points into otherwise.
 */
bool
evbatch_add_line(struct evbatch *b, const struct mta_event *ev,
    const char *line, size_t len)
{
	struct packed_event *pe;
	struct span	*sp;
	const uintptr_t	 lo = (uintptr_t)line, hi = lo + len;
	uint32_t	 set = 0, inside = 0;
	size_t		 need = 0, nspans = 0, base = 0, i;

	for (i = 0; i < EVENT_STRING_COUNT; i++) {
		const struct zstr *s = event_string_const(ev, i);
		uintptr_t	 p = (uintptr_t)s->ptr;

		if (s->ptr == NULL)
			continue;
		set |= UINT32_C(1) << i;
		nspans++;
		if (s->len == 0)
			continue;
		if (line != NULL && p >= lo && p <= hi && s->len <= hi - p)
			inside |= UINT32_C(1) << i;
		else
			need += s->len;
	}
	if (inside != 0)
		need += len;
	if (b->count > 0 && (b->count == b->max_events ||
	    need > b->text_size - b->text_used))
		return false;
	if (need > b->text_size - b->text_used) {
		/* Only when empty: no span refers to the old arena. */
		free(b->text);
		b->text_size = need;
		b->text = xmalloc(b->text_size);
	}
	pe = &b->events[b->count++];
	pe->time_sec = ev->time_sec;
	pe->pid = ev->pid;
	pe->uid = ev->uid;
	pe->size_bytes = ev->size_bytes;
	pe->nrcpt = ev->nrcpt;
	pe->time_usec = ev->time_usec;
	pe->set = set;
	pe->kind = (uint32_t)ev->kind;
	pe->mta = (uint32_t)ev->mta;
	pe->status = (uint32_t)ev->status;
	pe->reject_origin = (uint32_t)ev->reject_origin;
	pe->notice = (uint32_t)ev->notice;
	pe->first_span = b->spans_used;
	if (inside != 0) {
		base = b->text_used;
		memcpy(b->text + base, line, len);
		b->text_used += len;
	}
	sp = &b->spans[b->spans_used];
	b->spans_used += nspans;
	for (i = 0; set != 0; i++, set >>= 1) {
		const struct zstr *s;

		if ((set & 1) == 0)
			continue;
		s = event_string_const(ev, i);
		sp->len = s->len;
		if (inside & (UINT32_C(1) << i))
			sp->off = base + ((uintptr_t)s->ptr - lo);
		else {
			sp->off = b->text_used;
			if (s->len > 0)
				memcpy(b->text + b->text_used, s->ptr,
				    s->len);
			b->text_used += s->len;
		}
		sp++;
	}
	return true;
}

/* evbatch_count - events held */
size_t
evbatch_count(const struct evbatch *b)
{
	return b->count;
}

/* evbatch_get - one held event, unpacked */
void
evbatch_get(const struct evbatch *b, size_t i, struct mta_event *ev)
{
	const struct packed_event *pe = &b->events[i];
	const struct span *sp = &b->spans[pe->first_span];
	uint32_t	 set = pe->set;
	size_t		 f;

	event_init(ev);
	ev->kind = (enum event_kind)pe->kind;
	ev->mta = (enum mta_kind)pe->mta;
	ev->time_sec = pe->time_sec;
	ev->time_usec = pe->time_usec;
	ev->pid = pe->pid;
	ev->status = (enum delivery_status)pe->status;
	ev->reject_origin = (enum reject_origin)pe->reject_origin;
	ev->notice = (enum bounce_notice)pe->notice;
	ev->size_bytes = pe->size_bytes;
	ev->nrcpt = pe->nrcpt;
	ev->uid = pe->uid;
	for (f = 0; set != 0; f++, set >>= 1) {
		if ((set & 1) == 0)
			continue;
		*event_string(ev, f) = zstr_make(sp->len > 0 ?
		    b->text + sp->off : empty_text, sp->len);
		sp++;
	}
}

/* evqueue_new - a queue and its batches, all spare */
struct evqueue *
evqueue_new(size_t nbatches, size_t max_events, size_t text_bytes)
{
	struct evqueue	*q = xcalloc(1, sizeof(*q));
	size_t		 i;

	if (nbatches < 2)
		nbatches = 2;
	q->nbatches = nbatches;
	/*
	 * A side that finds nothing to do sleeps until half the batches
	 * are ready for it, not one: when one side is the faster, it
	 * then sleeps once per half a queue instead of once per batch,
	 * and waking a thread costs far more than a batch's handover.
	 * Both cannot sleep at once: with none held, spare and queued
	 * batches add up to nbatches, so one of them is at least half.
	 */
	q->wake_at = nbatches / 2;
	q->batches = xcalloc(nbatches, sizeof(*q->batches));
	q->spare = xcalloc(nbatches, sizeof(*q->spare));
	q->ring = xcalloc(nbatches, sizeof(*q->ring));
	for (i = 0; i < nbatches; i++) {
		q->batches[i] = evbatch_new(max_events, text_bytes);
		q->spare[q->nspare++] = q->batches[i];
	}
	pthread_mutex_init(&q->lock, NULL);
	pthread_cond_init(&q->freed, NULL);
	pthread_cond_init(&q->filled, NULL);
	return q;
}

/* evqueue_free - free the queue and every batch */
void
evqueue_free(struct evqueue *q)
{
	size_t	i;

	if (q == NULL)
		return;
	for (i = 0; i < q->nbatches; i++)
		evbatch_free(q->batches[i]);
	free(q->batches);
	free(q->spare);
	free(q->ring);
	pthread_cond_destroy(&q->filled);
	pthread_cond_destroy(&q->freed);
	pthread_mutex_destroy(&q->lock);
	free(q);
}

/* evqueue_empty_batch - wait for a spare batch and hand it out */
struct evbatch *
evqueue_empty_batch(struct evqueue *q)
{
	struct evbatch	*b;

	pthread_mutex_lock(&q->lock);
	if (q->nspare == 0) {
		q->producer_asleep = true;
		while (q->nspare < q->wake_at)
			pthread_cond_wait(&q->freed, &q->lock);
		q->producer_asleep = false;
	}
	b = q->spare[--q->nspare];
	pthread_mutex_unlock(&q->lock);
	evbatch_clear(b);
	return b;
}

/* evqueue_put - append a filled batch for the consumer */
void
evqueue_put(struct evqueue *q, struct evbatch *b)
{
	pthread_mutex_lock(&q->lock);
	/* Never full: the ring has a place for every batch. */
	q->ring[(q->head + q->queued) % q->nbatches] = b;
	q->queued++;
	if (q->consumer_asleep && q->queued >= q->wake_at)
		pthread_cond_signal(&q->filled);
	pthread_mutex_unlock(&q->lock);
}

/* evqueue_end - mark the end, taking back an unused batch */
void
evqueue_end(struct evqueue *q, struct evbatch *unused)
{
	pthread_mutex_lock(&q->lock);
	if (unused != NULL)
		q->spare[q->nspare++] = unused;
	q->ended = true;
	pthread_cond_signal(&q->filled);
	pthread_mutex_unlock(&q->lock);
}

/* evqueue_take - the oldest batch put, or NULL at the end */
struct evbatch *
evqueue_take(struct evqueue *q)
{
	struct evbatch	*b = NULL;

	pthread_mutex_lock(&q->lock);
	if (q->queued == 0 && !q->ended) {
		q->consumer_asleep = true;
		while (q->queued < q->wake_at && !q->ended)
			pthread_cond_wait(&q->filled, &q->lock);
		q->consumer_asleep = false;
	}
	if (q->queued > 0) {
		b = q->ring[q->head];
		q->head = (q->head + 1) % q->nbatches;
		q->queued--;
	}
	pthread_mutex_unlock(&q->lock);
	return b;
}

/* evqueue_release - return a used batch to the spares */
void
evqueue_release(struct evqueue *q, struct evbatch *b)
{
	pthread_mutex_lock(&q->lock);
	q->spare[q->nspare++] = b;
	if (q->producer_asleep && q->nspare >= q->wake_at)
		pthread_cond_signal(&q->freed);
	pthread_mutex_unlock(&q->lock);
}

/* evqueue_restart - clear the end mark for the next producer */
void
evqueue_restart(struct evqueue *q)
{
	pthread_mutex_lock(&q->lock);
	q->ended = false;
	q->head = 0;
	pthread_mutex_unlock(&q->lock);
}
