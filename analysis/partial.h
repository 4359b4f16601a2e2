/*
 * partial - partial aggregates: save the mergeable state of a run,
 * merge the states of several runs into one report.
 *
 * Beside the pipeline: a run over part of the logs (--save-partial)
 * writes its input records, correlation counters and aggregate
 * (aggregator_save) to a partial file, together with the events of
 * every message that may continue in another part.  "zombiescan merge"
 * loads any number of partial files, adds their counters, merges their
 * aggregates and replays the carried events through one correlator,
 * so that a message whose lines were split between two parts is joined
 * and counted once.  Format and rules: doc/partial-format.md.
 *
 * Carried messages.  A run saving a partial does not end its open
 * messages: every message still open at the end of its input is
 * carried (its events saved, nothing of it counted).  A message whose
 * first line in the run cannot begin a message (not a client, pickup
 * or Message-ID line: its start may lie in an earlier part) is held
 * back when it closes and carried too.  Lines about a queue ID that is
 * neither open nor closed in this run are carried as well (Sendmail's
 * "done" for a message of an earlier part).  Everything else is
 * counted in the partial's aggregate as in an ordinary run.  A line
 * that may take the login of an SMTP session an earlier part began is
 * carried as well; every other carried line records what it found of
 * its session, and the partial records the sessions open at its end.
 * The merge feeds the carried events of the partials, in the order the
 * partials are named, to one correlator, each after its relay's clock
 * as its part saw it, then ends it: the joined messages come out as
 * one pass makes them.  Partials of one relay must therefore be
 * named in time order; partial_merge() checks that no relay's lines in
 * a partial begin before the last line of that relay in an earlier
 * one.
 *
 * Ownership: a carry belongs to its pipeline run (pipeline_result
 * frees it); partial_merge() results are freed with
 * partial_merge_free() after pipeline_result_free().
 */
#ifndef ZS_PARTIAL_H
#define ZS_PARTIAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "analysis/classify.h"
#include "analysis/correlator.h"
#include "analysis/message.h"
#include "parsers/event.h"
#include "util/wire.h"

struct pipeline_result;
struct carry;
struct partial_merge;

/* Format version written; newer versions are refused. */
#define PARTIAL_VERSION		10
#define PARTIAL_MAGIC		"\x89ZSPART\n"
#define PARTIAL_MAGIC_LEN	8

/* Largest partial file read (the whole file is read into memory). */
#define PARTIAL_MAX_BYTES	((size_t)1 << 34)

enum partial_status {
	PARTIAL_OK,
	PARTIAL_IO,		/* cannot be read or written */
	PARTIAL_CORRUPT,	/* not a partial, truncated, bad checksum or
				   content */
	PARTIAL_NEWER,		/* a newer format version */
	PARTIAL_ORDER,		/* a relay's partials out of time order */
	PARTIAL_MISMATCH	/* partials read with different windows */
};

/* The --since/--until window the lines of a part were read with. */
struct partial_window {
	bool		 window;	/* false: every line */
	int64_t		 since_sec;
	int64_t		 until_sec;
};

/* carry_new - an empty carry for one relay group; free with carry_free() */
struct carry	*carry_new(void);

/* carry_free - free; NULL is a no-op */
void		 carry_free(struct carry *carry);

/*
 * carry_before - ev is about to be fed to corr: keep a copy if it names
 * a queue ID, and note its relay's time
 */
void		 carry_before(struct carry *carry, struct correlator *corr,
		    const struct mta_event *ev);

/*
 * carry_record - whether a record the correlator handed out is held
 * back (carried) instead of aggregated
 */
bool		 carry_record(struct carry *carry, const struct message *msg);

/*
 * carry_after - ev was fed and its records drained: forget the events
 * of a queue ID that is neither open nor left to carry
 */
void		 carry_after(struct carry *carry, struct correlator *corr,
		    const struct mta_event *ev);

/*
 * carry_end - end of the group's input: carry every message still
 * open in corr (which is not finished), order the carried events, and
 * note the SMTP sessions a later part's lines may find
 */
void		 carry_end(struct carry *carry, struct correlator *corr);

/*
 * carry_adjust - take off *stats (the group correlator's) what it
 * counted for messages the carry held back: the replay counts them
 */
void		 carry_adjust(const struct carry *carry,
		    struct correlator_stats *stats);

/* carry_merge - move from's carried events and times into into */
void		 carry_merge(struct carry *into, struct carry *from);

/* carry_event_count - events carried */
uint64_t	 carry_event_count(const struct carry *carry);

/*
 * partial_save - write res (a run with keep_open), read with window
 * (NULL: none), to path atomically (util/outfile.h).  false with a
 * message in err and errno the failed write's (EPIPE for "-" whose
 * reader went away).
 */
bool		 partial_save(const char *path,
		    const struct pipeline_result *res,
		    const struct partial_window *window, char *err,
		    size_t errlen);

/*
 * partial_merge - load the partial files, merge them into *out (as
 * pipeline_run() fills it) and replay the carried events with copts.
 * PARTIAL_OK or the first failure, with a message naming the file in
 * err; *merge is set either way and freed with partial_merge_free()
 * after pipeline_result_free(out).
 */
enum partial_status partial_merge(char *const *paths, size_t count,
		    const struct correlator_options *copts,
		    const struct classifier *cls, size_t max_accounts,
		    struct pipeline_result *out,
		    struct partial_merge **merge, char *err, size_t errlen);

/*
 * partial_merge_window - the window every merged partial was read with
 * (partial_merge() refuses partials with different windows)
 */
void		 partial_merge_window(const struct partial_merge *merge,
		    struct partial_window *window);

/* partial_merge_free - free the loaded partials; NULL is a no-op */
void		 partial_merge_free(struct partial_merge *merge);

/*
 * partial_check - whether len bytes are a whole, valid partial file:
 * PARTIAL_OK or why not, with a message in err.  For the fuzzer and
 * tests; loads and frees everything.
 */
enum partial_status partial_check(const void *data, size_t len,
		    const struct classifier *cls, char *err, size_t errlen);

/* partial_event_put - one event in util/wire.h form */
void		 partial_event_put(struct wire_buf *buf,
		    const struct mta_event *ev);

/*
 * partial_event_get - read an event; its strings point into r's input
 * (borrowed).  false, r failed, when the bytes are not one.
 */
bool		 partial_event_get(struct wire_reader *r,
		    struct mta_event *ev);

#endif
