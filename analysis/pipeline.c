/*
 * pipeline - files to a merged aggregate, one relay per group, groups
 * in parallel (see pipeline.h).
 */
#include "config.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "analysis/evbatch.h"
#include "analysis/partial.h"
#include "analysis/pipeline.h"
#include "util/strmap.h"
#include "util/xalloc.h"

#define RELAY_NAME_BYTES	256

/* One relay's files, read in order by one correlator. */
struct group {
	size_t		*files;		/* indices into the file list */
	size_t		 count;
	uint64_t	 bytes;		/* for scheduling: biggest first */
	struct aggregator *aggregator;	/* the group's result */
	struct correlator_stats stats;
	struct carry	*carry;		/* keep_open only */
};

/* A group's place in the schedule. */
struct slot {
	size_t		 group;
	uint64_t	 bytes;
};

struct run {
	char *const	*paths;
	const struct pipeline_options *opts;
	const struct classifier *cls;
	struct input_file *files;
	struct group	*groups;
	struct slot	*order;		/* groups, biggest first */
	size_t		 group_count;
	atomic_size_t	 next;		/* next entry of order to take */
	pthread_mutex_t	 warn_lock;
};

/* warn - pass message a + b to the caller's callback, serialised */
static void
warn(struct run *run, const char *a, const char *b)
{
	char	msg[1024];

	if (run->opts->warn == NULL)
		return;
	snprintf(msg, sizeof(msg), "%s%s", a, b);
	pthread_mutex_lock(&run->warn_lock);
	run->opts->warn(run->opts->warn_ctx, msg);
	pthread_mutex_unlock(&run->warn_lock);
}

/* drain - every ready record from the correlator into the aggregator,
   but those the carry (when keeping open messages) holds back */
static void
drain(struct correlator *corr, struct aggregator *agg, struct carry *carry)
{
	const struct message *msg;

	while ((msg = correlator_next(corr)) != NULL)
		if (carry == NULL || !carry_record(carry, msg))
			aggregator_add(agg, msg);
}

/* show_progress - add what a file read since the last call */
static void
show_progress(struct progress_counters *progress,
    const struct source_stats *live, uint64_t *shown_bytes,
    uint64_t *shown_lines)
{
	atomic_fetch_add(&progress->bytes_read, live->bytes_read -
	    *shown_bytes);
	atomic_fetch_add(&progress->lines_read, live->lines_read -
	    *shown_lines);
	*shown_bytes = live->bytes_read;
	*shown_lines = live->lines_read;
}

/* use_event - one event through carry and correlator into agg */
static void
use_event(const struct mta_event *ev, struct correlator *corr,
    struct aggregator *agg, struct carry *carry)
{
	if (carry != NULL)
		carry_before(carry, corr, ev);
	correlator_feed(corr, ev);
	drain(corr, agg, carry);
	if (carry != NULL)
		carry_after(carry, corr, ev);
}

/* Where pump() hands the events of a file. */
typedef void	 event_sink(void *ctx, const struct mta_event *ev);

/*
 * pump - every event of src to sink, adding to the progress counters
 * (when not NULL) as it goes; the source's final status
 */
static enum source_status
pump(struct source *src, struct progress_counters *progress,
    event_sink *sink, void *ctx)
{
	const struct source_stats *live = source_stats(src);
	const struct mta_event *ev;
	uint64_t	 shown_bytes = 0, shown_lines = 0;
	enum source_status st;

	while ((st = source_next(src, &ev)) == SOURCE_EVENT) {
		sink(ctx, ev);
		if (progress != NULL && live->lines_read - shown_lines >=
		    PIPELINE_PROGRESS_LINES)
			show_progress(progress, live, &shown_bytes,
			    &shown_lines);
	}
	if (progress != NULL)
		show_progress(progress, live, &shown_bytes, &shown_lines);
	return st;
}

/* The correlation side of a file: where its events go. */
struct consumer {
	struct correlator *corr;
	struct aggregator *agg;
	struct carry	*carry;
};

/* consume_event - pump()'s sink when reading in this thread */
static void
consume_event(void *ctx, const struct mta_event *ev)
{
	struct consumer	*c = ctx;

	use_event(ev, c->corr, c->agg, c->carry);
}

/* A file's reading thread: the source is its own until joined. */
struct producer {
	struct source	*src;
	struct evqueue	*queue;
	struct evbatch	*batch;		/* being filled */
	struct progress_counters *progress;
	enum source_status status;	/* the last source_next() result */
};

/* batch_event - pump()'s sink in a reading thread: ev into a batch */
static void
batch_event(void *ctx, const struct mta_event *ev)
{
	struct producer	*p = ctx;
	const char	*line;
	size_t		 len;

	line = source_line(p->src, &len);
	if (!evbatch_add_line(p->batch, ev, line, len)) {
		evqueue_put(p->queue, p->batch);
		p->batch = evqueue_empty_batch(p->queue);
		/* An empty batch takes any event. */
		(void)evbatch_add_line(p->batch, ev, line, len);
	}
}

/* produce - read events into batches for the consumer until the end */
static void *
produce(void *arg)
{
	struct producer	*p = arg;

	p->batch = evqueue_empty_batch(p->queue);
	p->status = pump(p->src, p->progress, batch_event, p);
	if (evbatch_count(p->batch) > 0) {
		evqueue_put(p->queue, p->batch);
		p->batch = NULL;
	}
	evqueue_end(p->queue, p->batch);
	return NULL;
}

/*
 * read_ahead - src's events into agg, read by a thread of its own
 * through queue while this one correlates; *st is the source's final
 * status.  false, with nothing read, when no thread can be started.
 */
static bool
read_ahead(struct run *run, struct source *src, struct evqueue *queue,
    struct correlator *corr, struct aggregator *agg, struct carry *carry,
    enum source_status *st)
{
	struct producer	 p = {
		.src = src,
		.queue = queue,
		.progress = run->opts->progress,
	};
	struct evbatch	*b;
	struct mta_event ev;
	pthread_t	 thread;
	size_t		 i, n;

	if (pthread_create(&thread, NULL, produce, &p) != 0)
		return false;
	while ((b = evqueue_take(queue)) != NULL) {
		n = evbatch_count(b);
		for (i = 0; i < n; i++) {
			evbatch_get(b, i, &ev);
			use_event(&ev, corr, agg, carry);
		}
		evqueue_release(queue, b);
	}
	pthread_join(thread, NULL);
	evqueue_restart(queue);
	*st = p.status;
	return true;
}

/*
 * read_file - one file through source and correlator into agg.  anchor
 * is the local time of the last line read before it in its group, or
 * NULL.  With a queue the file is read ahead by a thread of its own
 * (read_ahead); the events and their order are the same.
 */
static void
read_file(struct run *run, size_t index, const struct tm *anchor,
    struct correlator *corr, struct aggregator *agg, struct carry *carry,
    struct evqueue *queue)
{
	struct source_options sopts = run->opts->source;
	struct input_file *result = &run->files[index];
	const char	*path = run->paths[index];
	struct source	*src;
	char		 err[512];
	enum source_status st;

	if (anchor != NULL && sopts.year > 0) {
		sopts.year = anchor->tm_year + 1900;
		sopts.anchor_month = anchor->tm_mon + 1;
	}
	result->name = path;
	result->status = INPUT_OK;
	result->error = NULL;
	source_stats_init(&result->stats);

	src = source_open(path, &sopts, err, sizeof(err));
	if (src == NULL) {
		result->status = INPUT_UNREADABLE;
		result->error = xstrdup(err);
		result->stats.files = 1;
		result->stats.files_damaged = 1;
		warn(run, err, "");
		return;
	}
	/*
	 * Reading beside correlating costs CPU (every event is copied
	 * across), so it is done only where a CPU would otherwise idle:
	 * once no group is left to start, and for a gzip file, which a
	 * thread of its own already inflates, only with three jobs.
	 */
	if (queue != NULL && (atomic_load(&run->next) < run->group_count ||
	    (source_is_gzip(src) && run->opts->jobs < 3)))
		queue = NULL;
	if (queue == NULL || !read_ahead(run, src, queue, corr, agg, carry,
	    &st)) {
		struct consumer	 c = { corr, agg, carry };

		st = pump(src, run->opts->progress, consume_event, &c);
	}
	if (st == SOURCE_DAMAGED) {
		result->status = INPUT_DAMAGED;
		result->error = xstrdup(source_error(src));
		warn(run, source_error(src),
		    " (lines before the damage were used)");
	}
	result->stats = *source_stats(src);
	if (result->stats.lines_malformed > 0) {
		char	msg[128];

		snprintf(msg, sizeof(msg), ": %" PRIu64 " malformed line%s "
		    "skipped, the first at line %" PRIu64,
		    result->stats.lines_malformed,
		    result->stats.lines_malformed == 1 ? "" : "s",
		    source_first_malformed_line(src));
		warn(run, path, msg);
	}
	source_close(src);
}

/* run_group - read one relay's files in order */
static void
run_group(struct run *run, struct group *g)
{
	struct correlator *corr = correlator_new(&run->opts->correlator);
	struct aggregator *agg = aggregator_new(run->cls);
	struct evqueue	*queue = NULL;
	struct tm	 anchor;
	time_t		 last_sec;
	int64_t		 last;
	bool		 have_anchor = false;
	size_t		 i;

	aggregator_set_max_accounts(agg, run->opts->max_accounts);
	if (run->opts->keep_open)
		g->carry = carry_new();
	/* With more than one job, reading (a third of the work) runs
	   beside correlating, so a few groups still fill the CPUs. */
	if (run->opts->jobs > 1)
		queue = evqueue_new(EVQUEUE_BATCHES, EVBATCH_EVENTS,
		    EVBATCH_TEXT_BYTES);
	for (i = 0; i < g->count; i++) {
		const struct input_file *f;

		read_file(run, g->files[i], have_anchor ? &anchor : NULL,
		    corr, agg, g->carry, queue);
		f = &run->files[g->files[i]];
		/* Lines outside a --since/--until window count here too:
		   the next file's year follows the whole file. */
		last = f->stats.last_time_sec > f->stats.outside_last_sec ?
		    f->stats.last_time_sec : f->stats.outside_last_sec;
		if (last != INT64_MIN) {
			last_sec = (time_t)last;
			have_anchor = localtime_r(&last_sec, &anchor) != NULL;
		}
	}
	if (g->carry != NULL) {
		/* Open messages are carried to the merge, not ended. */
		carry_end(g->carry);
		g->stats = *correlator_stats(corr);
		carry_adjust(g->carry, &g->stats);
	} else {
		correlator_finish(corr);
		drain(corr, agg, NULL);
		g->stats = *correlator_stats(corr);
	}
	g->aggregator = agg;
	correlator_free(corr);
	evqueue_free(queue);
}

/* worker - take groups, biggest first, until none is left */
static void *
worker(void *arg)
{
	struct run	*run = arg;
	size_t		 i;

	while ((i = atomic_fetch_add(&run->next, 1)) < run->group_count)
		run_group(run, &run->groups[run->order[i].group]);
	return NULL;
}

/* file_bytes - size of a file for scheduling, 0 when unknown */
static uint64_t
file_bytes(const char *path)
{
	struct stat	st;

	if (strcmp(path, "-") == 0 || stat(path, &st) != 0)
		return 0;
	return (uint64_t)st.st_size;
}

/*
 * make_groups - one group per relay, files in the order given; a file
 * whose relay cannot be told (unreadable, empty, standard input) is a
 * group of its own.  Groups are numbered by their first file.
 */
static void
make_groups(struct run *run, size_t count)
{
	struct strmap	*by_relay = strmap_new(NULL);
	char		 relay[RELAY_NAME_BYTES];
	uint64_t	 size;
	size_t		 i;

	run->groups = xcalloc(count, sizeof(*run->groups));
	run->group_count = 0;
	for (i = 0; i < count; i++) {
		struct group	*g = NULL;
		void		**slot;
		bool		 created;

		if (source_probe_relay(run->paths[i], &run->opts->source,
		    relay, sizeof(relay))) {
			slot = strmap_slot(by_relay, relay, strlen(relay),
			    &created);
			if (!created)
				g = &run->groups[(size_t)(uintptr_t)*slot - 1];
			else
				*slot = (void *)(uintptr_t)
				    (run->group_count + 1);
		}
		if (g == NULL) {
			g = &run->groups[run->group_count++];
			g->files = xcalloc(count, sizeof(*g->files));
		}
		g->files[g->count++] = i;
		size = file_bytes(run->paths[i]);
		g->bytes += size;
		if (run->opts->progress != NULL)
			atomic_fetch_add(&run->opts->progress->total_bytes,
			    size);
	}
	strmap_free(by_relay);
}

/* compare_slots - qsort: bigger groups first, then by number */
static int
compare_slots(const void *a, const void *b)
{
	const struct slot *x = a, *y = b;

	if (x->bytes != y->bytes)
		return x->bytes > y->bytes ? -1 : 1;
	return x->group < y->group ? -1 : x->group > y->group;
}

/* add_correlator_stats - sum counters; the peak is the largest */
static void
add_correlator_stats(struct correlator_stats *total,
    const struct correlator_stats *one)
{
	total->messages_complete += one->messages_complete;
	total->messages_incomplete += one->messages_incomplete;
	total->messages_evicted += one->messages_evicted;
	total->orphan_events += one->orphan_events;
	total->rejects += one->rejects;
	total->auth_failures += one->auth_failures;
	total->recipients_dropped += one->recipients_dropped;
	if (one->open_peak > total->open_peak)
		total->open_peak = one->open_peak;
}

/* pipeline_run - read, correlate and aggregate every file */
void
pipeline_run(char *const *paths, size_t count,
    const struct pipeline_options *opts, const struct classifier *cls,
    struct pipeline_result *out)
{
	struct run	 run = {
		.paths = paths,
		.opts = opts,
		.cls = cls,
	};
	pthread_t	*threads;
	size_t		 i, nthreads, started = 0;

	memset(out, 0, sizeof(*out));
	run.files = xcalloc(count, sizeof(*run.files));
	pthread_mutex_init(&run.warn_lock, NULL);
	atomic_init(&run.next, 0);
	make_groups(&run, count);

	run.order = xcalloc(run.group_count, sizeof(*run.order));
	for (i = 0; i < run.group_count; i++) {
		run.order[i].group = i;
		run.order[i].bytes = run.groups[i].bytes;
	}
	qsort(run.order, run.group_count, sizeof(*run.order),
	    compare_slots);

	nthreads = opts->jobs > 1 ? opts->jobs : 1;
	if (nthreads > run.group_count)
		nthreads = run.group_count;
	threads = xcalloc(nthreads > 0 ? nthreads : 1, sizeof(*threads));
	for (i = 1; i < nthreads; i++)
		if (pthread_create(&threads[i], NULL, worker, &run) == 0)
			started = i;
		else
			break;
	worker(&run);		/* this thread is a worker too */
	for (i = 1; i <= started; i++)
		pthread_join(threads[i], NULL);
	free(threads);

	/*
	 * Merge in group order; merging is exact, so the order is moot.
	 * The first group's aggregator becomes the result rather than
	 * being copied into an empty one, which would hold every account
	 * twice at the end of a run.
	 */
	for (i = 0; i < run.group_count; i++) {
		if (out->aggregator == NULL)
			out->aggregator = run.groups[i].aggregator;
		else {
			aggregator_merge(out->aggregator,
			    run.groups[i].aggregator);
			aggregator_free(run.groups[i].aggregator);
		}
		add_correlator_stats(&out->correlation, &run.groups[i].stats);
		if (run.groups[i].carry != NULL) {
			if (out->carry == NULL)
				out->carry = carry_new();
			carry_merge(out->carry, run.groups[i].carry);
			carry_free(run.groups[i].carry);
		}
		free(run.groups[i].files);
	}
	if (out->aggregator == NULL) {
		/* No file at all: an empty result. */
		out->aggregator = aggregator_new(cls);
		aggregator_set_max_accounts(out->aggregator,
		    opts->max_accounts);
	}
	source_stats_init(&out->total);
	for (i = 0; i < count; i++) {
		source_stats_add(&out->total, &run.files[i].stats);
		if (run.files[i].status != INPUT_OK)
			out->partial = true;
	}
	out->files = run.files;
	out->file_count = count;
	out->relay_groups = run.group_count;
	free(run.groups);
	free(run.order);
	pthread_mutex_destroy(&run.warn_lock);
}

/* pipeline_result_free - free the result's aggregator and records */
void
pipeline_result_free(struct pipeline_result *res)
{
	size_t	i;

	if (res == NULL)
		return;
	for (i = 0; i < res->file_count; i++)
		free((char *)res->files[i].error);
	free(res->files);
	aggregator_free(res->aggregator);
	carry_free(res->carry);
	memset(res, 0, sizeof(*res));
}
