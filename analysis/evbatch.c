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

struct evbatch {
	struct mta_event *events;
	size_t		 count;
	size_t		 max_events;
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
	bool		 ended;
};

/* Every string of struct mta_event, by place. */
static const size_t string_fields[] = {
	offsetof(struct mta_event, host),
	offsetof(struct mta_event, program),
	offsetof(struct mta_event, queue_id),
	offsetof(struct mta_event, related_queue_id),
	offsetof(struct mta_event, client_ip),
	offsetof(struct mta_event, client_name),
	offsetof(struct mta_event, helo),
	offsetof(struct mta_event, sasl_method),
	offsetof(struct mta_event, sasl_username),
	offsetof(struct mta_event, sender),
	offsetof(struct mta_event, recipient),
	offsetof(struct mta_event, orig_recipient),
	offsetof(struct mta_event, message_id),
	offsetof(struct mta_event, transport),
	offsetof(struct mta_event, relay),
	offsetof(struct mta_event, dsn),
	offsetof(struct mta_event, response),
	offsetof(struct mta_event, stage),
};
#define STRING_FIELDS	(sizeof(string_fields) / sizeof(string_fields[0]))

#if defined(__LP64__)
/* A string field added to struct mta_event but not to the table above
   would still borrow the reader's line after the copy. */
_Static_assert(sizeof(struct mta_event) == 360,
    "struct mta_event changed: list its strings in string_fields");
#endif

/* A set but empty string points here, so it stays set. */
static const char empty_text[1] = "";

/* field - the string at offset off of ev */
static struct zstr *
field(struct mta_event *ev, size_t off)
{
	return (struct zstr *)(void *)((char *)ev + off);
}

/* field_const - as field(), read-only */
static const struct zstr *
field_const(const struct mta_event *ev, size_t off)
{
	return (const struct zstr *)(const void *)((const char *)ev + off);
}

/* evbatch_new - an empty batch with room allocated up front */
struct evbatch *
evbatch_new(size_t max_events, size_t text_bytes)
{
	struct evbatch	*b = xcalloc(1, sizeof(*b));

	b->max_events = max_events > 0 ? max_events : 1;
	b->events = xcalloc(b->max_events, sizeof(*b->events));
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
	free(b->text);
	free(b);
}

/* evbatch_clear - empty the batch, keeping its memory */
void
evbatch_clear(struct evbatch *b)
{
	b->count = 0;
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
	struct mta_event *copy;
	const uintptr_t	 lo = (uintptr_t)line, hi = lo + len;
	uint32_t	 inside = 0;
	size_t		 need = 0, i;
	char		*base = NULL;

	_Static_assert(STRING_FIELDS <= 32, "inside is a 32-bit mask");
	for (i = 0; i < STRING_FIELDS; i++) {
		const struct zstr *s = field_const(ev, string_fields[i]);
		uintptr_t	 p = (uintptr_t)s->ptr;

		if (s->ptr == NULL || s->len == 0)
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
		/* Only when empty: no copy points into the old arena. */
		free(b->text);
		b->text_size = need;
		b->text = xmalloc(b->text_size);
	}
	copy = &b->events[b->count++];
	*copy = *ev;
	if (inside != 0) {
		base = b->text + b->text_used;
		memcpy(base, line, len);
		b->text_used += len;
	}
	for (i = 0; i < STRING_FIELDS; i++) {
		struct zstr	*s = field(copy, string_fields[i]);

		if (s->ptr == NULL)
			continue;
		if (s->len == 0) {
			s->ptr = empty_text;
			continue;
		}
		if (inside & (UINT32_C(1) << i)) {
			s->ptr = base + ((uintptr_t)s->ptr - lo);
			continue;
		}
		memcpy(b->text + b->text_used, s->ptr, s->len);
		s->ptr = b->text + b->text_used;
		b->text_used += s->len;
	}
	return true;
}

/* evbatch_count - events held */
size_t
evbatch_count(const struct evbatch *b)
{
	return b->count;
}

/* evbatch_event - one held event */
const struct mta_event *
evbatch_event(const struct evbatch *b, size_t i)
{
	return &b->events[i];
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
	while (q->nspare == 0)
		pthread_cond_wait(&q->freed, &q->lock);
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
	while (q->queued == 0 && !q->ended)
		pthread_cond_wait(&q->filled, &q->lock);
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
