/*
 * evbatch - batches of copied events, and a bounded queue that hands
 * them from a reading thread to the thread that correlates them.
 *
 * Beside the pipeline (analysis/pipeline.h): with more than one job a
 * relay group's file is read by a thread of its own, so that parsing
 * runs next to correlation.  An event from source_next() borrows the
 * source's line buffer until the next call (parsers/event.h), so the
 * reading thread copies each event into a batch: its scalars and
 * which strings it sets, packed (a fraction of struct mta_event), and
 * every non-empty string into the batch's own text arena (the line
 * the event came from copied once, when the caller names it).  The
 * consumer unpacks an event into a struct of its own, the strings
 * pointing into the arena.  A string that is set but empty is pointed
 * at a constant "", an unset one stays unset, so zstr_is_set()
 * answers as it did for the original.
 *
 * The queue owns a fixed number of batches.  The producer takes an
 * empty one (waiting while all are in use), fills it, puts it; the
 * consumer takes full ones in the order they were put, uses them and
 * releases them for reuse.  Batches are cleared, never reallocated,
 * between uses, so memory stays at what the largest batches needed.
 * Waiting is on condition variables, never spinning; a side with
 * nothing to do sleeps until half the batches are ready for it.
 *
 * Ownership: batches belong to the queue and are freed with it; the
 * strings of an event from evbatch_get() are valid until its batch is
 * released (or cleared).  One producer and one consumer per queue.
 */
#ifndef ZS_EVBATCH_H
#define ZS_EVBATCH_H

#include <stdbool.h>
#include <stddef.h>

#include "parsers/event.h"

struct evbatch;
struct evqueue;

#define EVBATCH_EVENTS		2048	/* events per batch */
#define EVBATCH_TEXT_BYTES	(256 * 1024) /* text per batch */
#define EVQUEUE_BATCHES		8	/* batches in flight per queue */

/* evbatch_new - empty batch for up to max_events events and about
   text_bytes of text (both at least 1); free with evbatch_free() */
struct evbatch	*evbatch_new(size_t max_events, size_t text_bytes);

/* evbatch_free - free a batch and its copies (NULL: nothing) */
void		 evbatch_free(struct evbatch *b);

/* evbatch_clear - forget the events; the memory is kept for reuse */
void		 evbatch_clear(struct evbatch *b);

/*
 * evbatch_add - append a copy of ev.  false, and nothing added, when
 * the batch holds events and ev would exceed its event count or text
 * room; an empty batch always takes the event, growing its arena if
 * one event's text needs more.
 */
bool		 evbatch_add(struct evbatch *b, const struct mta_event *ev);

/*
 * evbatch_add_line - evbatch_add() for an event parsed from the line
 * at [line, line + len): the line is copied once and the strings that
 * lie inside it pointed into the copy; strings elsewhere (a parser's
 * own memory, a --host override) are copied one by one.  line NULL is
 * evbatch_add().
 */
bool		 evbatch_add_line(struct evbatch *b,
		    const struct mta_event *ev, const char *line, size_t len);

/* evbatch_count - events in the batch */
size_t		 evbatch_count(const struct evbatch *b);

/* evbatch_get - the i-th event added (i < count) into *ev, its
   strings borrowed from the batch */
void		 evbatch_get(const struct evbatch *b, size_t i,
		    struct mta_event *ev);

/* evqueue_new - a queue owning nbatches batches (at least 2) of the
   given size; free with evqueue_free() */
struct evqueue	*evqueue_new(size_t nbatches, size_t max_events,
		    size_t text_bytes);

/* evqueue_free - free the queue and its batches (NULL: nothing) */
void		 evqueue_free(struct evqueue *q);

/* evqueue_empty_batch - producer: a cleared batch to fill, waiting
   until the consumer releases one */
struct evbatch	*evqueue_empty_batch(struct evqueue *q);

/* evqueue_put - producer: hand a filled batch to the consumer */
void		 evqueue_put(struct evqueue *q, struct evbatch *b);

/* evqueue_end - producer: no batch follows; an unfilled batch taken
   with evqueue_empty_batch() may be given back here (else NULL) */
void		 evqueue_end(struct evqueue *q, struct evbatch *unused);

/* evqueue_take - consumer: the next batch put, waiting for one; NULL
   once every batch put before evqueue_end() was taken */
struct evbatch	*evqueue_take(struct evqueue *q);

/* evqueue_release - consumer: give a taken batch back for reuse */
void		 evqueue_release(struct evqueue *q, struct evbatch *b);

/* evqueue_restart - ready the queue for another producer, after
   evqueue_take() returned NULL and every batch was released */
void		 evqueue_restart(struct evqueue *q);

#endif
