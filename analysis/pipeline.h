/*
 * pipeline - run input files through every stage up to the aggregate.
 *
 * The driver of the stages in parsers/ and analysis/: for each file a
 * source (bytes to events), the correlator (events to messages), the
 * aggregator (messages to accounts).  Files are grouped by relay (the
 * host their events name, source_probe_relay()): a relay's files are
 * read in the order given by one correlator, so a message whose lines
 * were split by log rotation is joined, and queue IDs (unique only per
 * relay) never meet another relay's.  The files of one rotated set
 * (file_sets) are grouped together too, with the relays they begin
 * with: a central log host's mail.log holds every relay's lines, and
 * which relay's line comes first in each rotation is chance.  Groups
 * are independent, so with jobs > 1 they are read by that many threads, each into its own
 * aggregator; the aggregators are then merged.  Because merging is
 * exact (aggregator.h) and every group is read the same way whatever
 * the thread count, the result does not depend on jobs.
 *
 * While more groups are left than twice the threads, each thread reads
 * its group to the end, biggest groups first.  Once fewer are left,
 * all of them are started and the threads take turns at them, a turn
 * of turn_events events, so the last groups end together instead of
 * one thread reading the last alone.  A group's state passes from
 * thread to thread whole between turns; it is read in the same order.
 *
 * When a thread would idle even so (fewer groups in progress than
 * threads, none waiting), a group's thread starts a reading thread for
 * the rest of its file, which parses it (about a third of the work)
 * and hands the events, copied in batches, to the group's thread in
 * their order (analysis/evbatch.h); so a run has up to 2 * jobs
 * threads.  The group's thread correlates and aggregates the events
 * exactly as it would have read them itself.  With jobs 0 or 1 one
 * thread reads and correlates, copying nothing.
 *
 * With a fixed year (--year), each file's first stamp is placed next to
 * the last line of the file before it in its group, so rotated files
 * cross New Year.
 *
 * Ownership: the result owns its aggregator and file records and is
 * freed with pipeline_result_free(); paths are borrowed until then
 * (input_file.name points at them).  The classifier is borrowed for
 * the call and shared, read-only, by the threads.
 */
#ifndef ZS_PIPELINE_H
#define ZS_PIPELINE_H

#include <stdbool.h>
#include <stddef.h>

#include "analysis/aggregator.h"
#include "analysis/classify.h"
#include "analysis/correlator.h"
#include "analysis/report.h"
#include "parsers/source.h"
#include "util/progress.h"

struct carry;			/* analysis/partial.h */

struct pipeline_options {
	struct source_options source;	/* per file; year is the first
					   file's of each relay */
	struct correlator_options correlator; /* per relay group */
	unsigned	 jobs;		/* threads taking groups; 0 or 1:
					   one; > 1: each may start a
					   reading thread */
	bool		 keep_open;	/* for a partial file: messages
					   that may continue in another
					   part are carried, not counted
					   (analysis/partial.h) */
	size_t		 turn_events;	/* events a thread reads of a relay
					   before another relay's turn,
					   when they take turns; 0:
					   PIPELINE_TURN_EVENTS */
	const size_t	*file_sets;	/* NULL, or for each file the index
					   of the first file of its rotated
					   set: a set is read by one
					   correlator whatever relays its
					   files begin with */
	size_t		 max_accounts;	/* per relay group and in all;
					   0: no cap (see
					   aggregator_set_max_accounts) */
	/* Called from any thread (one call at a time) for each file
	   that is unreadable or damaged (damage true: an error, which
	   makes the run's status say so) and for each file with
	   malformed lines (false: a warning); NULL for silence. */
	void		(*warn)(void *ctx, bool damage, const char *message);
	void		*warn_ctx;
	/* When not NULL: total_bytes is set to the inputs' sizes before
	   reading, and bytes and lines read are added as the threads go
	   (every PIPELINE_PROGRESS_LINES lines and at each file's end). */
	struct progress_counters *progress;
};

#define PIPELINE_PROGRESS_LINES	4096
/* Events per turn when the last relays are shared out (pipeline.c). */
#define PIPELINE_TURN_EVENTS	65536

struct pipeline_result {
	struct input_file *files;	/* in the order given */
	size_t		 file_count;
	struct source_stats total;
	struct correlator_stats correlation; /* summed over groups;
					   open_peak: the largest */
	struct aggregator *aggregator;
	size_t		 relay_groups;
	bool		 partial;	/* some file damaged or unreadable */
	struct carry	*carry;		/* keep_open: the carried events
					   (analysis/partial.h); else NULL */
};

/* pipeline_run - read every file; fills *out (free with the below) */
void		pipeline_run(char *const *paths, size_t count,
		    const struct pipeline_options *opts,
		    const struct classifier *cls,
		    struct pipeline_result *out);

/* pipeline_result_free - free what pipeline_run() made */
void		pipeline_result_free(struct pipeline_result *res);

#endif
