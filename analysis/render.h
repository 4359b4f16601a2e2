/*
 * render - the report in other output formats.
 *
 * After report: render writes the report, either a whole document
 * from report_build() (render_report()) or a struct report from
 * report_open() (render_report_stream()), as
 *
 *	json	the indented report itself, byte for byte what
 *		report_write() writes of the whole document
 *	jsonl	one compact JSON object per listed account per line, each
 *		self-contained for a ticketing pipeline: the account's
 *		entry with schema_version, generated_at and window added
 *		(doc/report-jsonl-schema.json); ASCII, non-ASCII text
 *		as \u escapes
 *	csv	a header row and one row per account (RFC 4180, with
 *		cells that a spreadsheet would run as a formula
 *		neutralised)
 *	table	aligned columns for a terminal, log text made inert
 *	html	one self-contained page with a bar chart per account
 *
 * doc/report.md describes every format.  Output depends on the
 * document only, so equal documents render to equal bytes, and a
 * struct report renders to the same bytes as the document
 * report_build() makes of the same input.  From a struct report,
 * json, jsonl and csv build, write and free one account at a time, so
 * memory does not grow with the number of accounts listed; table and
 * html measure or list every row before writing and hold all of them
 * (they are for people, usually with --top).  Text
 * taken from the logs is hostile: each format quotes or escapes it
 * so that it cannot break out of its cell (csv), drive the terminal
 * (table) or become markup (html).
 *
 * Ownership: everything passed in is borrowed for the call; neither
 * the document nor the struct report is changed.  Members missing from the document or of
 * the wrong type print as empty or zero: rendering never fails for
 * the content of the document, only for the stream.
 */
#ifndef ZS_RENDER_H
#define ZS_RENDER_H

#include <stdbool.h>
#include <stdio.h>

#include <jansson.h>

#include "analysis/report.h"

enum render_format {
	RENDER_JSON,
	RENDER_JSONL,
	RENDER_CSV,
	RENDER_TABLE,
	RENDER_HTML
};

/* How many formats there are, for loops over enum render_format. */
#define RENDER_FORMAT_COUNT	5

/* The format names render_format_from_name() takes, for --help. */
#define RENDER_FORMAT_NAMES	"json, jsonl, csv, table, html"

struct render_options {
	bool	color;		/* table: ANSI colour; set it only when the
				   stream is a terminal (isatty()) */
};

/*
 * render_format_from_name - the format called name ("json", "jsonl",
 * "csv", "table", "html"; exact, lower case) into *fmt; false, *fmt
 * unchanged, for any other name
 */
bool		 render_format_from_name(const char *name,
		    enum render_format *fmt);

/* render_format_name - "json", ...; "unknown" for a value out of range */
const char	*render_format_name(enum render_format fmt);

/*
 * render_report - write doc (from report_build()) to out in format
 * fmt and flush it; false on a write error (ferror(out)) or an
 * unknown fmt.  NULL opts means no colour.
 */
bool		 render_report(const json_t *doc, enum render_format fmt,
		    FILE *out, const struct render_options *opts);

/*
 * render_report_stream - write r (from report_open()) to out in format
 * fmt and flush it, building each account with report_account() as it
 * is written; the same bytes render_report() writes of report_build()
 * for the same input.  False on a write error (json, jsonl and csv
 * stop building accounts at the first one) or an unknown fmt.  NULL
 * opts means no colour.
 */
bool		 render_report_stream(const struct report *r,
		    enum render_format fmt, FILE *out,
		    const struct render_options *opts);

#endif
