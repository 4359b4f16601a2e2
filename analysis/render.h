/*
 * render - the report in other output formats.
 *
 * After report: report_build() makes the one JSON document; render
 * writes that same document as
 *
 *	json	the indented report itself (report_write())
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
 * document only, so equal documents render to equal bytes.  Text
 * taken from the logs is hostile: each format quotes or escapes it
 * so that it cannot break out of its cell (csv), drive the terminal
 * (table) or become markup (html).
 *
 * Ownership: everything passed in is borrowed for the call; the
 * document is not changed.  Members missing from the document or of
 * the wrong type print as empty or zero: rendering never fails for
 * the content of the document, only for the stream.
 */
#ifndef ZS_RENDER_H
#define ZS_RENDER_H

#include <stdbool.h>
#include <stdio.h>

#include <jansson.h>

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

#endif
