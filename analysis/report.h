/*
 * report - the ranked, explained JSON report.
 *
 * Last stage.  The report is one JSON document (schema in
 * doc/report-schema.json, version REPORT_SCHEMA_VERSION): when and by
 * what it was made, the time window the logs covered, an input summary
 * (files, bytes, lines by outcome, damaged files with their errors),
 * the population figures, then the accounts ranked by score with their
 * features, reasons and evidence.  Every string taken from a log is
 * repaired to valid UTF-8 first (util/utf8.h), so the output is always
 * valid JSON.
 *
 * The report can be had whole (report_build()) or in parts, so that a
 * report listing millions of accounts need not hold them all in memory:
 * report_open() ranks the accounts and builds the head (every member but
 * "accounts", which is the document's last member), then
 * report_account() builds one listed account's object at a time, the
 * same object report_build() puts in the "accounts" array.  Ranking
 * keeps a small entry per account; no account object is kept.
 * report_account_emit() hands the same account, value by value, to a
 * caller's struct report_emitter instead: a writer that prints as it
 * goes builds no tree (the bulk of a report is its accounts).
 *
 * Ownership: report_build() and report_account() return new jansson
 * references the caller decrefs; report_head() is borrowed from the
 * report.  struct report_input is borrowed: its aggregator, scorer and
 * subscribers must outlive the struct report, which reads them again
 * for each account; everything else is read by report_open() only.
 */
#ifndef ZS_REPORT_H
#define ZS_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include <jansson.h>

#include "analysis/aggregator.h"
#include "analysis/correlator.h"
#include "analysis/scorer.h"
#include "analysis/subscribers.h"
#include "parsers/source.h"

#define REPORT_SCHEMA_VERSION	"1.7"

/* How report_write() dumps: indented, keys in order, 12 digits. */
#define REPORT_DUMP_FLAGS \
	(JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(12))

enum input_file_status {
	INPUT_OK,
	INPUT_DAMAGED,		/* truncated or corrupt: read up to error */
	INPUT_UNREADABLE	/* missing, unreadable, a directory */
};

struct input_file {
	const char	*name;
	enum input_file_status status;
	const char	*error;		/* NULL when INPUT_OK */
	struct source_stats stats;
};

struct report_input {
	time_t		 generated_at;
	const struct input_file *files;
	size_t		 file_count;
	const struct source_stats *total;
	const struct correlator_stats *correlation;
	const struct aggregator *aggregator;
	const struct scorer *scorer;
	/* --since/--until: window.since/until and lines.outside_window
	   are reported only when window is set */
	bool		 window;
	int64_t		 since_sec;	/* INT64_MIN: open */
	int64_t		 until_sec;	/* INT64_MAX: open */
	/* --subscribers: NULL for none; then no subscriber members */
	const struct subscribers *subscribers;
	const char	*subscribers_file;
};

struct report_options {
	size_t		top;		/* 0: every account */
	double		min_score;	/* accounts below are left out */
};

/* A report being written: ranked accounts and the head; opaque. */
struct report;

/*
 * report_open - rank the accounts and build the head, as report_build()
 * describes; caller frees with report_free().  Never returns NULL (out
 * of memory exits).
 */
struct report	*report_open(const struct report_input *in,
		    const struct report_options *opts);

/*
 * report_head - the document without its "accounts" member, whose
 * place is after every member here; borrowed, valid until
 * report_free()
 */
const json_t	*report_head(const struct report *r);

/* report_count - how many accounts are listed (summary.reported) */
size_t		 report_count(const struct report *r);

/* report_listed_with - how many listed accounts have verdict v */
size_t		 report_listed_with(const struct report *r, enum verdict v);

/*
 * report_account - the listed account of rank i + 1, built anew on
 * each call; caller decrefs.  NULL when i >= report_count().
 */
json_t		*report_account(const struct report *r, size_t i);

/*
 * struct report_emitter - the calls report_account_emit() makes, in
 * document order, for one account: an object opened with key NULL,
 * its members (key: the member's name, a static string of lower-case
 * letters, digits and '_', which JSON writes as it is), nested
 * objects and arrays (their elements have key NULL) each closed by
 * end(), and end() for the account.  A string is valid UTF-8 with no
 * NUL byte; a real is finite.
 */
struct report_emitter {
	void	(*begin_object)(void *ctx, const char *key);
	void	(*begin_array)(void *ctx, const char *key);
	void	(*end)(void *ctx);
	void	(*integer)(void *ctx, const char *key, json_int_t v);
	void	(*real)(void *ctx, const char *key, double v);
	void	(*string)(void *ctx, const char *key, const char *s,
		    size_t len);
	void	(*null)(void *ctx, const char *key);
	void	(*boolean)(void *ctx, const char *key, bool v);
};

/*
 * report_account_emit - the listed account of rank i + 1, as
 * report_account() builds it, through em (ctx is passed along); false,
 * with nothing emitted, when i >= report_count()
 */
bool		 report_account_emit(const struct report *r, size_t i,
		    const struct report_emitter *em, void *ctx);

/* report_free - release r; NULL is a no-op */
void		 report_free(struct report *r);

/*
 * report_build - the whole report as JSON: report_head() with the
 * "accounts" array of every report_account() last; caller decrefs.
 * Accounts
 * are ranked by score, then messages (descending), then kind, then
 * key; opts->min_score filters first, then opts->top limits.  NULL
 * opts lists everything; NULL total, correlation or aggregator count
 * as empty; a NULL scorer is replaced by one with the default
 * configuration fitted on the aggregator.
 */
json_t		*report_build(const struct report_input *in,
		    const struct report_options *opts);

/*
 * report_write - serialise doc to out (indented, keys in insertion
 * order, reals with at most 12 significant digits, trailing newline)
 * and flush it; false on a write error.
 */
bool		 report_write(const json_t *doc, FILE *out);

/*
 * report_json_string - a JSON string from len log bytes: invalid UTF-8
 * and NUL bytes become U+FFFD (util/utf8.h).  JSON null for s == NULL.
 * Never returns NULL (out of memory exits); caller owns the reference.
 */
json_t		*report_json_string(const char *s, size_t len);

#endif
