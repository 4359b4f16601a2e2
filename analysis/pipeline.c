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

/*
 * One relay's files, read in order by one correlator.  A group in
 * progress is run by one worker at a time: between turns it is parked
 * (see worker()), and the scheduler's lock hands it over.
 */
struct group {
	size_t		*files;		/* indices into the file list */
	size_t		 count;
	uint64_t	 bytes;		/* for scheduling: biggest first */
	struct aggregator *aggregator;	/* the group's result */
	struct correlator_stats stats;
	struct carry	*carry;		/* keep_open only */

	/* While in progress. */
	struct correlator *corr;
	struct evqueue	*queue;		/* for reading ahead; made once */
	size_t		 next_file;	/* next of files to open */
	struct source	*src;		/* the open file, or NULL */
	uint64_t	 shown_bytes;	/* of src, added to the progress */
	uint64_t	 shown_lines;
	struct tm	 anchor;	/* local time of the last line */
	bool		 have_anchor;
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
	size_t		 turn_events;	/* events per turn when sharing */
	pthread_mutex_t	 warn_lock;

	/* The schedule, under lock. */
	pthread_mutex_t	 lock;
	pthread_cond_t	 wake;		/* a group was parked or finished */
	unsigned	 workers;	/* threads taking groups */
	unsigned	 cpus;		/* CPUs to keep busy: jobs, which
					   may be more than workers */
	size_t		 next;		/* next entry of order to start */
	size_t		 finished;
	size_t		*parked;	/* ring of group indices */
	size_t		 parked_head;
	size_t		 parked_count;
};

/* warn - pass message a + b to the caller's callback, serialised */
static void
warn(struct run *run, bool damage, const char *a, const char *b)
{
	char	msg[1024];

	if (run->opts->warn == NULL)
		return;
	snprintf(msg, sizeof(msg), "%s%s", a, b);
	pthread_mutex_lock(&run->warn_lock);
	run->opts->warn(run->opts->warn_ctx, damage, msg);
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
 * pump - events of src to sink until its end, or until budget events
 * when budget is not 0 (then SOURCE_EVENT: more may follow), adding
 * to the progress counters (when not NULL) what was read since
 * *shown_bytes and *shown_lines; the source's status
 */
static enum source_status
pump(struct source *src, size_t budget, struct progress_counters *progress,
    uint64_t *shown_bytes, uint64_t *shown_lines, event_sink *sink,
    void *ctx)
{
	const struct source_stats *live = source_stats(src);
	const struct mta_event *ev;
	enum source_status st;
	size_t		 n = 0;

	while ((st = source_next(src, &ev)) == SOURCE_EVENT) {
		sink(ctx, ev);
		if (progress != NULL && live->lines_read - *shown_lines >=
		    PIPELINE_PROGRESS_LINES)
			show_progress(progress, live, shown_bytes,
			    shown_lines);
		if (++n == budget)
			break;
	}
	if (progress != NULL)
		show_progress(progress, live, shown_bytes, shown_lines);
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
	uint64_t	*shown_bytes;	/* the group's */
	uint64_t	*shown_lines;
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
	p->status = pump(p->src, 0, p->progress, p->shown_bytes,
	    p->shown_lines, batch_event, p);
	if (evbatch_count(p->batch) > 0) {
		evqueue_put(p->queue, p->batch);
		p->batch = NULL;
	}
	evqueue_end(p->queue, p->batch);
	return NULL;
}

/*
 * read_ahead - the rest of g's open file into its aggregator, read by
 * a thread of its own through the group's queue while this one
 * correlates; *st is the source's final status.  false, with nothing
 * read, when no thread can be started.
 */
static bool
read_ahead(struct run *run, struct group *g, enum source_status *st)
{
	struct producer	 p = {
		.src = g->src,
		.progress = run->opts->progress,
		.shown_bytes = &g->shown_bytes,
		.shown_lines = &g->shown_lines,
	};
	struct evbatch	*b;
	struct mta_event ev;
	pthread_t	 thread;
	size_t		 i, n;

	if (g->queue == NULL)
		g->queue = evqueue_new(EVQUEUE_BATCHES, EVBATCH_EVENTS,
		    EVBATCH_TEXT_BYTES);
	p.queue = g->queue;
	if (pthread_create(&thread, NULL, produce, &p) != 0)
		return false;
	while ((b = evqueue_take(g->queue)) != NULL) {
		n = evbatch_count(b);
		for (i = 0; i < n; i++) {
			evbatch_get(b, i, &ev);
			use_event(&ev, g->corr, g->aggregator, g->carry);
		}
		evqueue_release(g->queue, b);
	}
	pthread_join(thread, NULL);
	evqueue_restart(g->queue);
	*st = p.status;
	return true;
}

/*
 * The schedule.  Each worker takes a group and reads it, a turn at a
 * time; groups start biggest first.  While more groups are left than
 * twice the workers, one group per worker is in progress and a worker
 * keeps its group to the end.  Once fewer are left, all of them are
 * started and the workers take turns among them, a group put back
 * (parked) after each turn of turn_events events when another waits:
 * so the last few groups end together instead of one worker reading
 * the last one alone.  A group with a CPU to spare and none waiting
 * has its file read ahead (read_ahead()).  Everything below that
 * names "lock held" runs under run->lock.
 */

/* in_progress_cap - how many groups may be in progress (lock held) */
static size_t
in_progress_cap(const struct run *run)
{
	size_t	left = run->group_count - run->finished;

	if (run->workers > 1 && left <= 2 * (size_t)run->workers)
		return left;
	return run->workers;
}

/* may_start - whether the next group may start now (lock held) */
static bool
may_start(const struct run *run)
{
	return run->next < run->group_count &&
	    run->next - run->finished < in_progress_cap(run);
}

/* group_waits - whether a group waits for a worker */
static bool
group_waits(struct run *run)
{
	bool	waits;

	pthread_mutex_lock(&run->lock);
	waits = run->parked_count > 0 || may_start(run);
	pthread_mutex_unlock(&run->lock);
	return waits;
}

/*
 * cpu_to_spare - whether a CPU would idle: fewer groups are in
 * progress than jobs, and none waits.  Reading beside correlating
 * costs CPU (every event is copied across), so it is done only then;
 * for a compressed file, which a thread of its own already decodes,
 * only with three jobs or more.
 */
static bool
cpu_to_spare(struct run *run, const struct source *src)
{
	bool	spare;

	if (run->cpus < 2 || (source_is_compressed(src) && run->cpus < 3))
		return false;
	pthread_mutex_lock(&run->lock);
	spare = run->next - run->finished < run->cpus &&
	    run->parked_count == 0 && !may_start(run);
	pthread_mutex_unlock(&run->lock);
	return spare;
}

/* group_start - g's correlator and aggregator, before its first file */
static void
group_start(struct run *run, struct group *g)
{
	g->corr = correlator_new(&run->opts->correlator);
	g->aggregator = aggregator_new(run->cls);
	aggregator_set_max_accounts(g->aggregator, run->opts->max_accounts);
	if (run->opts->keep_open)
		g->carry = carry_new();
}

/* group_end - after g's last file: its messages ended or carried */
static void
group_end(struct group *g)
{
	if (g->carry != NULL) {
		/* Open messages are carried to the merge, not ended. */
		carry_end(g->carry, g->corr);
		g->stats = *correlator_stats(g->corr);
		carry_adjust(g->carry, &g->stats);
	} else {
		correlator_finish(g->corr);
		drain(g->corr, g->aggregator, NULL);
		g->stats = *correlator_stats(g->corr);
	}
	correlator_free(g->corr);
	g->corr = NULL;
	evqueue_free(g->queue);
	g->queue = NULL;
}

/*
 * file_done - the file just read (or not opened) sets the year anchor
 * for the next: lines outside a --since/--until window count too, the
 * next file's year follows the whole file
 */
static void
file_done(struct group *g, const struct input_file *f)
{
	int64_t	last;
	time_t	last_sec;

	last = f->stats.last_time_sec > f->stats.outside_last_sec ?
	    f->stats.last_time_sec : f->stats.outside_last_sec;
	if (last != INT64_MIN) {
		last_sec = (time_t)last;
		g->have_anchor = localtime_r(&last_sec, &g->anchor) != NULL;
	}
}

/*
 * file_open - open g's next file into g->src; when it cannot be
 * opened, record and report that (g->src stays NULL).  A fixed year
 * follows the last line read before it in the group.
 */
static void
file_open(struct run *run, struct group *g)
{
	struct source_options sopts = run->opts->source;
	size_t		 index = g->files[g->next_file++];
	struct input_file *result = &run->files[index];
	const char	*path = run->paths[index];
	char		 err[512];

	if (g->have_anchor && sopts.year > 0) {
		sopts.year = g->anchor.tm_year + 1900;
		sopts.anchor_month = g->anchor.tm_mon + 1;
	}
	result->name = path;
	result->status = INPUT_OK;
	result->error = NULL;
	source_stats_init(&result->stats);
	g->shown_bytes = g->shown_lines = 0;

	g->src = source_open(path, &sopts, err, sizeof(err));
	if (g->src == NULL) {
		result->status = INPUT_UNREADABLE;
		result->error = xstrdup(err);
		result->stats.files = 1;
		result->stats.files_damaged = 1;
		warn(run, true, err, "");
		file_done(g, result);
	}
}

/* file_close - the end of g's open file, with status st */
static void
file_close(struct run *run, struct group *g, enum source_status st)
{
	size_t		 index = g->files[g->next_file - 1];
	struct input_file *result = &run->files[index];
	const char	*path = run->paths[index];
	struct source	*src = g->src;

	if (st == SOURCE_DAMAGED) {
		result->status = INPUT_DAMAGED;
		result->error = xstrdup(source_error(src));
		warn(run, true, source_error(src),
		    source_stats(src)->lines_read > 0 ?
		    " (lines before the damage were used)" : "");
	}
	result->stats = *source_stats(src);
	if (result->stats.lines_malformed > 0) {
		char	msg[128];

		snprintf(msg, sizeof(msg), ": %" PRIu64 " malformed line%s "
		    "skipped, the first at line %" PRIu64,
		    result->stats.lines_malformed,
		    result->stats.lines_malformed == 1 ? "" : "s",
		    source_first_malformed_line(src));
		warn(run, false, path, msg);
	}
	if (source_future_lines(src) > 0) {
		char	msg[160];

		snprintf(msg, sizeof(msg), ": %" PRIu64 " line%s stamped "
		    "more than a day after the file was last modified, "
		    "counted malformed (a wrong clock, or file time?)",
		    source_future_lines(src),
		    source_future_lines(src) == 1 ? "" : "s");
		warn(run, false, path, msg);
	}
	source_close(src);
	g->src = NULL;
	file_done(g, result);
}

/*
 * group_turn - read g, its files in order, for a turn: until its end
 * (true) or, when another group waits, for turn_events events (false:
 * g is to be parked).  With one worker no group ever waits, and the
 * worker reads each group whole.
 */
static bool
group_turn(struct run *run, struct group *g)
{
	struct consumer	 c;
	enum source_status st;

	if (g->corr == NULL)
		group_start(run, g);
	c = (struct consumer){ g->corr, g->aggregator, g->carry };
	for (;;) {
		if (g->src == NULL) {
			if (g->next_file == g->count) {
				group_end(g);
				return true;
			}
			file_open(run, g);
			continue;
		}
		if (cpu_to_spare(run, g->src) && read_ahead(run, g, &st)) {
			file_close(run, g, st);
			continue;
		}
		st = pump(g->src, run->turn_events, run->opts->progress,
		    &g->shown_bytes, &g->shown_lines, consume_event, &c);
		if (st != SOURCE_EVENT)
			file_close(run, g, st);
		else if (group_waits(run))
			return false;
	}
}

/* park - put g, whose turn ended, back for any worker (lock held) */
static void
park(struct run *run, size_t group)
{
	run->parked[(run->parked_head + run->parked_count) %
	    run->group_count] = group;
	run->parked_count++;
}

/* unpark - the group parked longest (lock held) */
static size_t
unpark(struct run *run)
{
	size_t	group = run->parked[run->parked_head];

	run->parked_head = (run->parked_head + 1) % run->group_count;
	run->parked_count--;
	return group;
}

/* worker - take turns at groups until every group is finished */
static void *
worker(void *arg)
{
	struct run	*run = arg;
	size_t		 group;
	bool		 done;

	pthread_mutex_lock(&run->lock);
	while (run->finished < run->group_count) {
		if (may_start(run))
			group = run->order[run->next++].group;
		else if (run->parked_count > 0)
			group = unpark(run);
		else {
			pthread_cond_wait(&run->wake, &run->lock);
			continue;
		}
		pthread_mutex_unlock(&run->lock);
		done = group_turn(run, &run->groups[group]);
		pthread_mutex_lock(&run->lock);
		if (done) {
			run->finished++;
			/* More may start now, or every worker may end. */
			pthread_cond_broadcast(&run->wake);
		} else {
			park(run, group);
			pthread_cond_signal(&run->wake);
		}
	}
	pthread_mutex_unlock(&run->lock);
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

/* root - the file a file's group is known by (union-find, halving) */
static size_t
root(size_t *parent, size_t i)
{
	while (parent[i] != i) {
		parent[i] = parent[parent[i]];
		i = parent[i];
	}
	return i;
}

/* join - one group for files a and b: the earlier file is its root */
static void
join(size_t *parent, size_t a, size_t b)
{
	a = root(parent, a);
	b = root(parent, b);
	if (a < b)
		parent[b] = a;
	else if (b < a)
		parent[a] = b;
}

/*
 * make_groups - one group per relay, files in the order given, joined
 * with the files of the rotated sets they belong to (file_sets); a
 * file whose relay cannot be told (unreadable, empty, standard input)
 * and that shares no set is a group of its own.  Groups are numbered
 * by their first file.
 */
static void
make_groups(struct run *run, size_t count)
{
	struct strmap	*by_relay = strmap_new(NULL);
	char		 relay[RELAY_NAME_BYTES];
	size_t		*parent, *group_of, i, r;
	uint64_t	 size;

	parent = xreallocarray(NULL, count, sizeof(*parent));
	group_of = xreallocarray(NULL, count, sizeof(*group_of));
	for (i = 0; i < count; i++) {
		parent[i] = i;
		group_of[i] = SIZE_MAX;
	}
	for (i = 0; i < count; i++) {
		void	**slot;
		bool	  created;

		if (run->opts->file_sets != NULL &&
		    run->opts->file_sets[i] < i)
			join(parent, i, run->opts->file_sets[i]);
		if (source_probe_relay(run->paths[i], &run->opts->source,
		    relay, sizeof(relay))) {
			slot = strmap_slot(by_relay, relay, strlen(relay),
			    &created);
			if (created)
				*slot = (void *)(uintptr_t)(i + 1);
			else
				join(parent, i,
				    (size_t)(uintptr_t)*slot - 1);
		}
	}
	run->groups = xcalloc(count, sizeof(*run->groups));
	run->group_count = 0;
	for (i = 0; i < count; i++) {
		struct group	*g;

		r = root(parent, i);
		if (group_of[r] == SIZE_MAX) {
			group_of[r] = run->group_count++;
			run->groups[group_of[r]].files = xcalloc(count,
			    sizeof(*run->groups[group_of[r]].files));
		}
		g = &run->groups[group_of[r]];
		g->files[g->count++] = i;
		size = file_bytes(run->paths[i]);
		g->bytes += size;
		if (run->opts->progress != NULL)
			atomic_fetch_add(&run->opts->progress->total_bytes,
			    size);
	}
	free(parent);
	free(group_of);
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
	total->messages_joined += one->messages_joined;
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
	pthread_mutex_init(&run.lock, NULL);
	pthread_cond_init(&run.wake, NULL);
	run.turn_events = opts->turn_events > 0 ? opts->turn_events :
	    PIPELINE_TURN_EVENTS;
	make_groups(&run, count);
	run.parked = xcalloc(run.group_count > 0 ? run.group_count : 1,
	    sizeof(*run.parked));

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
	run.workers = (unsigned)(nthreads > 0 ? nthreads : 1);
	run.cpus = opts->jobs > 1 ? opts->jobs : 1;
	for (i = 1; i < nthreads; i++)
		if (pthread_create(&threads[i], NULL, worker, &run) == 0)
			started = i;
		else
			break;
	if (started + 1 < nthreads) {
		/* Fewer threads than asked for: the schedule counts those
		   that run (any count reads every group). */
		pthread_mutex_lock(&run.lock);
		run.workers = (unsigned)started + 1;
		pthread_mutex_unlock(&run.lock);
	}
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
	free(run.parked);
	pthread_cond_destroy(&run.wake);
	pthread_mutex_destroy(&run.lock);
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
