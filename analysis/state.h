/*
 * state - each account's own history, carried from one run to the next.
 *
 * Beside the pipeline: cmd/main.c loads the state file named by
 * --state before the run, the scorer borrows it to compare each
 * account with its own past (scorer_use_state()), the report prints
 * the baseline it used, and after the report is written the run's
 * aggregate is folded in (state_update()) and the file is replaced
 * atomically (state_save()).
 *
 * A baseline is a handful of exponentially decaying averages per day
 * (messages, recipients, distinct recipients, recipient domains), the
 * share of mail in each hour of the day, the days the account has been
 * watched and has sent, and the day it last sent.  Each day of a run
 * weighs 1 - 2^(-1/H) in the averages, H being the half-life in days:
 * with H = 7 the last week carries half the weight.  Days on which a
 * known account sends nothing count as days of zero messages; days no
 * run covered do not count at all.  Accounts that have not sent for
 * more than prune_after_days are dropped.  doc/scoring.md describes
 * the model.
 *
 * The file (doc/zombiescan.1, FILES) is binary, util/wire.h encoded:
 * an 8-byte magic, a format version, a CRC-32 of the body, then the
 * body: the "as of" time (the end of the last window folded in), the
 * half-life it was made with and the records sorted by kind and key.
 * A file that does not check out, or one of a newer version, is
 * refused, never replaced: the caller decides.
 *
 * Two runs must not share a state file at once: state_lock_acquire()
 * takes an fcntl() write lock on FILE.lock and refuses, naming the
 * process that holds it, while another run does.
 *
 * Ownership: state_load(), state_decode() and state_new() return a
 * state the caller frees with state_free(); state_lookup() fills a
 * caller's struct.  The aggregator is borrowed for state_update().
 */
#ifndef ZS_STATE_H
#define ZS_STATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "analysis/aggregator.h"
#include "util/wire.h"

/* The format version this code writes and the newest it reads. */
#define STATE_FORMAT_VERSION		1

/* The first bytes of every state file. */
#define STATE_MAGIC			"ZSSTATE\n"
#define STATE_MAGIC_LEN			8

#define STATE_DEFAULT_HALF_LIFE_DAYS	7.0
#define STATE_DEFAULT_PRUNE_AFTER_DAYS	30
#define STATE_DEFAULT_MIN_HISTORY_DAYS	3

/* Ranges zsconfig accepts. */
#define STATE_HALF_LIFE_DAYS_MIN	0.5
#define STATE_HALF_LIFE_DAYS_MAX	365.0
#define STATE_PRUNE_AFTER_DAYS_MAX	3650
#define STATE_MIN_HISTORY_DAYS_MAX	365

struct state;

struct state_options {
	double		half_life_days;		/* of the averages */
	unsigned	prune_after_days;	/* drop accounts silent
						   longer; >= 1 */
	unsigned	min_history_days;	/* days watched before the
						   baseline is used */
};

/* One account's baseline; averages are per day. */
struct state_baseline {
	int64_t		first_day;	/* days since 1970-01-01 UTC */
	int64_t		last_seen_day;	/* last day it sent mail */
	uint64_t	days_tracked;	/* days of runs since first seen */
	uint64_t	days_active;	/* of them, days it sent mail */
	double		messages;	/* decaying averages per day */
	double		recipients;
	double		distinct_recipients;
	double		distinct_domains;
	uint8_t		hour_share[24];	/* share of its messages in each
					   hour of the day, of 255 */
};

enum state_status {
	STATE_OK,
	STATE_MISSING,		/* no file: the first night, empty state */
	STATE_CORRUPT,		/* damaged, truncated, not a state file */
	STATE_NEWER,		/* written by a newer format version */
	STATE_IO_ERROR		/* cannot be read */
};

/* What state_update() did. */
enum state_update_result {
	STATE_UPDATED,
	STATE_NOT_NEWER,	/* window ends at or before the state's as
				   of time: nothing changed */
	STATE_NO_WINDOW		/* the run saw no time at all */
};

/* state_options_defaults - the documented defaults */
void		state_options_defaults(struct state_options *opts);

/*
 * state_new - an empty state (the first night); opts copied, NULL for
 * defaults.  Free with state_free().
 */
struct state	*state_new(const struct state_options *opts);

/* state_free - free; NULL is a no-op */
void		state_free(struct state *st);

/*
 * state_decode - a state from len bytes of a state file.  STATE_OK and
 * *out set, or STATE_CORRUPT / STATE_NEWER with *out NULL and a
 * message in err (without the file name).
 */
enum state_status state_decode(const void *data, size_t len,
		    const struct state_options *opts, struct state **out,
		    char *err, size_t errlen);

/*
 * state_load - read the file at path.  A missing file gives an empty
 * state and STATE_MISSING; STATE_OK gives the file's state.  Anything
 * else leaves *out NULL with a message naming path in err.
 */
enum state_status state_load(const char *path,
		    const struct state_options *opts, struct state **out,
		    char *err, size_t errlen);

/* state_encode - append the file's bytes to buf */
void		state_encode(const struct state *st, struct wire_buf *buf);

/*
 * state_write - write the file's bytes to out and flush; false with
 * the errno text in err on a write error (a full disk)
 */
bool		state_write(const struct state *st, FILE *out, char *err,
		    size_t errlen);

/*
 * state_save - replace the file at path atomically (util/outfile.h:
 * temporary, fsync, rename); false with a message naming path.  The
 * old file is untouched on failure.
 */
bool		state_save(const struct state *st, const char *path,
		    char *err, size_t errlen);

/*
 * state_update - fold a run covering window_first_sec..window_last_sec
 * into the state: decay every baseline by the run's days, add each
 * account's daily figures, prune the long silent.  A window that does
 * not end after state_as_of() changes nothing (running one night
 * twice must not count it twice).  *pruned (may be NULL) gets the
 * number of accounts dropped.
 */
enum state_update_result state_update(struct state *st,
		    const struct aggregator *agg, int64_t window_first_sec,
		    int64_t window_last_sec, size_t *pruned);

/*
 * state_lookup - the baseline of the account (kind, key) as the state
 * holds it (before this run is folded in); false when it has none
 */
bool		state_lookup(const struct state *st, enum account_kind kind,
		    const char *key, struct state_baseline *out);

/* state_as_of - end of the last window folded in; 0 for a new state */
int64_t		state_as_of(const struct state *st);

/* state_account_count - accounts with a baseline */
size_t		state_account_count(const struct state *st);

/* state_get_options - the options in use; borrowed */
const struct state_options *state_get_options(const struct state *st);

/* state_status_name - "ok", "missing", "corrupt", "newer", "io_error" */
const char	*state_status_name(enum state_status status);

/* ---- locking ---------------------------------------------------- */

struct state_lock;

/*
 * state_lock_acquire - lock path for this process through the file
 * path.lock (created if missing, never removed: removing a lock file
 * races with the next run opening it).  NULL when another process
 * holds it ("state FILE is in use by another run (pid N)") or the lock
 * file cannot be opened, with the message in err.  *busy (may be
 * NULL) tells the two apart.  Release with state_lock_release().
 */
struct state_lock *state_lock_acquire(const char *path, bool *busy,
		    char *err, size_t errlen);

/* state_lock_release - unlock and free; NULL is a no-op */
void		state_lock_release(struct state_lock *lock);

#endif
