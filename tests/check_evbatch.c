/*
 * check_evbatch - unit tests for analysis/evbatch: a copied event owns
 * every string (the original's buffer may change), unset and empty
 * strings keep their meaning, batches fill up and are reused, and the
 * queue delivers batches in order between two threads and ends.
 */
#include "config.h"

#include <check.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "analysis/evbatch.h"
#include "tests/testutil.h"

/* Every string field, for the tests that visit them all. */
#define STRING_FIELDS(X)						\
	X(host) X(program) X(queue_id) X(related_queue_id)		\
	X(client_ip) X(client_name) X(helo) X(sasl_method)		\
	X(sasl_username) X(sender) X(recipient) X(orig_recipient)	\
	X(message_id) X(transport) X(relay) X(dsn) X(response) X(stage)

/* fill_event - every string field set to "<name>=<n>" in buf */
static void
fill_event(struct mta_event *ev, char *buf, size_t size, int n)
{
	size_t	used = 0;
	int	len;

	event_init(ev);
	ev->kind = EV_DELIVERY;
	ev->mta = MTA_EXIM;
	ev->time_sec = 1795651200 + n;
	ev->time_usec = 7;
	ev->pid = 4242;
	ev->status = DELIVERY_BOUNCED;
	ev->size_bytes = 12345;
	ev->nrcpt = 3;
	ev->uid = 99;
#define FILL(f)								\
	len = snprintf(buf + used, size - used, #f "=%d", n);		\
	if (len <= 0 || used + (size_t)len >= size)			\
		abort();						\
	ev->f = zstr_make(buf + used, (size_t)len);			\
	used += (size_t)len;
	STRING_FIELDS(FILL)
#undef FILL
}

/* check_copy - copy holds the same as fill_event(n), outside buf */
static void
check_copy(const struct mta_event *copy, const char *buf, size_t size,
    int n)
{
	char	want[64];

	ck_assert_int_eq(copy->kind, EV_DELIVERY);
	ck_assert_int_eq(copy->mta, MTA_EXIM);
	ck_assert_int_eq(copy->time_sec, 1795651200 + n);
	ck_assert_uint_eq(copy->time_usec, 7);
	ck_assert_int_eq(copy->pid, 4242);
	ck_assert_int_eq(copy->status, DELIVERY_BOUNCED);
	ck_assert_uint_eq(copy->size_bytes, 12345);
	ck_assert_uint_eq(copy->nrcpt, 3);
	ck_assert_int_eq(copy->uid, 99);
#define CHECK(f)							\
	snprintf(want, sizeof(want), #f "=%d", n);			\
	ck_assert_uint_eq(copy->f.len, strlen(want));			\
	ck_assert_mem_eq(copy->f.ptr, want, copy->f.len);		\
	ck_assert(copy->f.ptr < buf || copy->f.ptr >= buf + size);
	STRING_FIELDS(CHECK)
#undef CHECK
}

/* at - the i-th event of b, unpacked into *ev; ev, for use inline */
static const struct mta_event *
at(const struct evbatch *b, size_t i, struct mta_event *ev)
{
	evbatch_get(b, i, ev);
	return ev;
}

START_TEST(test_copy_rebases_every_field)
{
	struct evbatch	*b = evbatch_new(8, 4096);
	struct mta_event ev, got;
	char		 buf[1024];
	int		 n;

	for (n = 0; n < 8; n++) {
		fill_event(&ev, buf, sizeof(buf), n);
		ck_assert(evbatch_add(b, &ev));
		/* The source's buffer is reused for the next line. */
		memset(buf, 'x', sizeof(buf));
	}
	ck_assert_uint_eq(evbatch_count(b), 8);
	for (n = 0; n < 8; n++)
		check_copy(at(b, (size_t)n, &got), buf, sizeof(buf), n);
	evbatch_free(b);
}
END_TEST

/*
 * Through evbatch_add_line(): the strings inside the line point into
 * one copy of it, the others (a host override, a parser's buffer, one
 * that runs past the line's end) are copied apiece; the originals may
 * all change afterwards.  Events of one line each get their own copy.
 */
START_TEST(test_copy_from_line)
{
	struct evbatch	*b = evbatch_new(8, 4096);
	struct mta_event ev, c0, c1, got;
	char		 buf[1024], other[64] = "relay-override";
	size_t		 half, i;
	int		 n;

	for (n = 0; n < 2; n++) {
		fill_event(&ev, buf, sizeof(buf), n);
		/* The line ends inside response: it and stage are outside. */
		half = (size_t)(ev.response.ptr - buf) + 3;
		ev.host = zstr_make(other, strlen(other));
		ev.helo = zstr_make(buf + half, 0);	/* empty, inside */
		ck_assert(evbatch_add_line(b, &ev, buf, half));
	}
	memset(buf, 'x', sizeof(buf));
	memset(other, 'y', sizeof(other));
	for (n = 0; n < 2; n++) {
		const struct mta_event *c = at(b, (size_t)n, &got);
		char	want[64];

		ck_assert(zstr_eq_cstr(c->host, "relay-override"));
		ck_assert(zstr_is_set(c->helo));
		ck_assert_uint_eq(c->helo.len, 0);
		snprintf(want, sizeof(want), "response=%d", n);
		ck_assert(zstr_eq_cstr(c->response, want));
		snprintf(want, sizeof(want), "stage=%d", n);
		ck_assert(zstr_eq_cstr(c->stage, want));
		snprintf(want, sizeof(want), "recipient=%d", n);
		ck_assert(zstr_eq_cstr(c->recipient, want));
		snprintf(want, sizeof(want), "queue_id=%d", n);
		ck_assert(zstr_eq_cstr(c->queue_id, want));
	}
	/* Each event's strings lie in its own copy of the line. */
	evbatch_get(b, 0, &c0);
	evbatch_get(b, 1, &c1);
	ck_assert_ptr_ne(c0.queue_id.ptr, c1.queue_id.ptr);
	ck_assert_int_eq((int)(c0.recipient.ptr - c0.queue_id.ptr),
	    (int)(c1.recipient.ptr - c1.queue_id.ptr));
	/* And a line too big for the arena still fits an empty batch. */
	evbatch_clear(b);
	for (i = 0; i < sizeof(buf); i++)
		buf[i] = (char)('a' + i % 26);
	event_init(&ev);
	ev.queue_id = zstr_make(buf + 1000, 10);
	{
		struct evbatch	*small = evbatch_new(2, 16);
		char		 want[16];

		memcpy(want, buf + 1000, 10);
		ck_assert(evbatch_add_line(small, &ev, buf, sizeof(buf)));
		ck_assert(!evbatch_add_line(small, &ev, buf, sizeof(buf)));
		memset(buf, 'z', sizeof(buf));
		ck_assert_mem_eq(at(small, 0, &got)->queue_id.ptr, want,
		    10);
		evbatch_free(small);
	}
	evbatch_free(b);
}
END_TEST

START_TEST(test_unset_and_empty_fields)
{
	struct evbatch	*b = evbatch_new(4, 64);
	const struct mta_event *copy;
	struct mta_event ev, got;
	char		 line[] = "ABC123";

	event_init(&ev);
	ev.kind = EV_MESSAGE_ID;
	ev.queue_id = zstr_make(line, 6);
	ev.message_id = zstr_make(line + 6, 0);	/* logged, empty */
	ck_assert(evbatch_add(b, &ev));
	copy = at(b, 0, &got);
	ck_assert(zstr_is_set(copy->message_id));
	ck_assert_uint_eq(copy->message_id.len, 0);
	ck_assert_ptr_ne(copy->message_id.ptr, line + 6);
	ck_assert(zstr_eq_cstr(copy->queue_id, "ABC123"));
	ck_assert_ptr_ne(copy->queue_id.ptr, line);
#define UNSET(f)							\
	if (&copy->f != &copy->queue_id &&				\
	    &copy->f != &copy->message_id) {				\
		ck_assert_ptr_null(copy->f.ptr);			\
		ck_assert_uint_eq(copy->f.len, 0);			\
	}
	STRING_FIELDS(UNSET)
#undef UNSET
	ck_assert_int_eq(copy->pid, -1);
	ck_assert_int_eq(copy->uid, -1);
	evbatch_free(b);
}
END_TEST

START_TEST(test_batch_limits)
{
	struct evbatch	*b = evbatch_new(3, 10);
	struct mta_event ev, got;
	char		 big[100];
	int		 i;

	event_init(&ev);
	ev.queue_id = ZSTR_LIT("Q1234");
	ck_assert(evbatch_add(b, &ev));
	/* 10 bytes of room: a second 5 fits, a third does not. */
	ck_assert(evbatch_add(b, &ev));
	ck_assert(!evbatch_add(b, &ev));
	ck_assert_uint_eq(evbatch_count(b), 2);

	/* Out of events before out of text. */
	evbatch_clear(b);
	ck_assert_uint_eq(evbatch_count(b), 0);
	event_init(&ev);
	for (i = 0; i < 3; i++)
		ck_assert(evbatch_add(b, &ev));
	ck_assert(!evbatch_add(b, &ev));

	/* An empty batch takes an event bigger than its room. */
	evbatch_clear(b);
	memset(big, 'r', sizeof(big));
	ev.response = zstr_make(big, sizeof(big));
	ck_assert(evbatch_add(b, &ev));
	ck_assert(!evbatch_add(b, &ev));
	memset(big, 's', sizeof(big));
	ck_assert_uint_eq(at(b, 0, &got)->response.len, sizeof(big));
	for (i = 0; i < (int)sizeof(big); i++)
		ck_assert_int_eq(at(b, 0, &got)->response.ptr[i], 'r');

	/* Reused after the growth. */
	evbatch_clear(b);
	event_init(&ev);
	ev.queue_id = ZSTR_LIT("Q1234");
	ck_assert(evbatch_add(b, &ev));
	ck_assert(zstr_eq_cstr(at(b, 0, &got)->queue_id, "Q1234"));
	evbatch_free(b);
}
END_TEST

#define PRODUCED	3000

/* same_as_filled - copy holds what fill_event(n) wrote; one check per
   event keeps the threaded test quick (each ck_assert is recorded) */
static bool
same_as_filled(const struct mta_event *copy, int n)
{
	char	want[64];
	int	len;

	if (copy->time_sec != 1795651200 + n || copy->pid != 4242 ||
	    copy->size_bytes != 12345)
		return false;
#define SAME(f)								\
	len = snprintf(want, sizeof(want), #f "=%d", n);		\
	if (copy->f.len != (size_t)len ||				\
	    memcmp(copy->f.ptr, want, copy->f.len) != 0)		\
		return false;
	STRING_FIELDS(SAME)
#undef SAME
	return true;
}

struct producer_arg {
	struct evqueue	*q;
	int		 count;
	bool		 dawdle;	/* pause now and then */
};

/* pause_briefly - a tenth of a millisecond, so the other side of a
   queue runs ahead and the queue's waits are taken */
static void
pause_briefly(void)
{
	struct timespec	ts = { 0, 100000 };

	nanosleep(&ts, NULL);
}

/* produce - PRODUCED events, numbered by time, in small batches */
static void *
produce(void *arg)
{
	struct producer_arg *p = arg;
	struct evbatch	*b = evqueue_empty_batch(p->q);
	struct mta_event ev;
	char		 buf[1024];
	int		 n;

	for (n = 0; n < p->count; n++) {
		fill_event(&ev, buf, sizeof(buf), n);
		if (!evbatch_add(b, &ev)) {
			if (p->dawdle && n % 5 == 0)
				pause_briefly();
			evqueue_put(p->q, b);
			b = evqueue_empty_batch(p->q);
			if (!evbatch_add(b, &ev))
				abort();
		}
	}
	if (evbatch_count(b) > 0) {
		evqueue_put(p->q, b);
		b = NULL;
	}
	evqueue_end(p->q, b);
	return NULL;
}

/* consume - take every batch; the events in order, no more batches
   seen than the queue has; pausing now and then with dawdle */
static void
consume(struct evqueue *q, int count, size_t nbatches, bool dawdle)
{
	struct evbatch	*seen[16], *b;
	struct mta_event got;
	size_t		 nseen = 0, i, j, batches = 0;
	int		 next = 0;

	while ((b = evqueue_take(q)) != NULL) {
		batches++;
		ck_assert_uint_gt(evbatch_count(b), 0);
		for (i = 0; i < evbatch_count(b); i++)
			if (!same_as_filled(at(b, i, &got), next++))
				ck_abort_msg("event %d differs", next - 1);
		for (j = 0; j < nseen && seen[j] != b; j++)
			continue;
		if (j == nseen) {
			ck_assert_uint_lt(nseen, nbatches);
			seen[nseen++] = b;
		}
		if (dawdle && batches % 3 == 0)
			pause_briefly();
		evqueue_release(q, b);
	}
	ck_assert_int_eq(next, count);
	/* Many batches went through; only the queue's three were used. */
	if (count > 0)
		ck_assert_uint_gt(batches, 3);
	/* After the end, the end stays. */
	ck_assert_ptr_null(evqueue_take(q));
}

/*
 * With 3, 8 and 9 batches (a waiting side wakes at 1, 4 and 4 ready),
 * either side the slower one in turn, so that both sides' waits are
 * taken: every event arrives, in order, and the queue ends.
 */
START_TEST(test_queue_in_order_and_ends)
{
	static const size_t sizes[] = { 3, 8, 9 };
	size_t		 i;
	int		 round;

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		struct evqueue	*q = evqueue_new(sizes[i], 7, 4096);
		struct producer_arg p = { q, PRODUCED, false };
		pthread_t	 t;

		/* Three times: the queue is ready again after a
		   restart. */
		for (round = 0; round < 3; round++) {
			p.dawdle = round == 1;
			ck_assert_int_eq(pthread_create(&t, NULL, produce,
			    &p), 0);
			consume(q, PRODUCED, sizes[i], round == 2);
			ck_assert_int_eq(pthread_join(t, NULL), 0);
			evqueue_restart(q);
		}
		evqueue_free(q);
	}
}
END_TEST

START_TEST(test_queue_empty_input)
{
	struct evqueue	*q = evqueue_new(2, 4, 64);
	struct producer_arg p = { q, 0, false };
	struct evbatch	*a, *b;
	pthread_t	 t;

	ck_assert_int_eq(pthread_create(&t, NULL, produce, &p), 0);
	consume(q, 0, 2, false);
	ck_assert_int_eq(pthread_join(t, NULL), 0);
	evqueue_restart(q);
	/* The unfilled batch was given back: both are spare. */
	a = evqueue_empty_batch(q);
	b = evqueue_empty_batch(q);
	ck_assert_ptr_ne(a, b);
	evqueue_put(q, b);
	evqueue_put(q, a);
	evqueue_end(q, NULL);
	ck_assert_ptr_eq(evqueue_take(q), b);
	ck_assert_ptr_eq(evqueue_take(q), a);
	ck_assert_ptr_null(evqueue_take(q));
	evqueue_free(q);
}
END_TEST

/* evbatch_suite - every evbatch test */
static Suite *
evbatch_suite(void)
{
	Suite	*s = suite_create("evbatch");
	TCase	*tc = tcase_create("batch");
	TCase	*tq = tcase_create("queue");

	tcase_add_test(tc, test_copy_rebases_every_field);
	tcase_add_test(tc, test_copy_from_line);
	tcase_add_test(tc, test_unset_and_empty_fields);
	tcase_add_test(tc, test_batch_limits);
	suite_add_tcase(s, tc);
	tcase_add_test(tq, test_queue_in_order_and_ends);
	tcase_add_test(tq, test_queue_empty_input);
	suite_add_tcase(s, tq);
	return s;
}

int
main(void)
{
	return run_suite(evbatch_suite());
}
