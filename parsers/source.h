/*
 * source - one input file, read through to events.
 *
 * The parsers' front door: a source owns a reader (bytes to lines), a
 * syslog header parser and the MTA parsers, and hands out events one
 * at a time.  It decides per line which MTA parser applies (by program
 * name, or by the framing of an Exim main log), counts every line by
 * outcome (parsed, ignored by reason, malformed by reason, another
 * program's) and keeps the first few malformed lines as samples.
 *
 * Each source has a relay identity: the host named in the syslog
 * header, or, for a log that names none (an Exim main log), the
 * host given in the options or derived from the file's path.
 *
 * Counting: every line read is counted once in lines_read and once as
 * parsed, ignored, other or malformed.  Lines the reader skipped (over
 * the length cap, holding a NUL byte) are malformed (MALFORMED_TOO_LONG,
 * MALFORMED_NUL_BYTE); a line without a syslog header is
 * MALFORMED_HEADER, and so is one whose stamp carries its year (ISO,
 * RFC 5424, an Exim main log) and is more than SOURCE_FUTURE_SLACK_SEC
 * after the file's modification time (a file is not written after it
 * was last written: such a stamp is damaged, or a clock was wrong, and
 * it would stretch the run's time range, and the state's, into the
 * future; RFC 3164 stamps get their year by inference, see syslog.h);
 * an empty line counts as other.  lines_invalid_utf8
 * counts lines of any outcome holding bytes that are not UTF-8; they
 * are parsed all the same.  The time range covers every line whose
 * syslog header was read.
 *
 * Time window: with window set, a line whose stamp is before since_sec
 * or at or after until_sec is counted as read and outside_window and
 * goes no further: it is dropped right after its header is read,
 * before any MTA parser sees it (an Exim main log line, which has no
 * header, is dropped with its events once its stamp is read; its
 * continuation lines follow it).  Such lines widen outside_first_sec
 * and outside_last_sec, not the time range.  The year of RFC 3164
 * stamps is inferred as without a window, so the window compares
 * whole times.  Samples are clipped to SOURCE_SAMPLE_BYTES
 * of the line, with "..." when clipped; bytes outside printable ASCII
 * are written \xNN and a backslash as \\, so a sample is safe to
 * print and to put into JSON.
 *
 * Ownership: source_next() hands out a pointer to the event of an MTA
 * parser the source owns, without a copy; the caller may read it, and
 * its strings (borrowed from the current line or the parser), until
 * the next source_next() or source_close(), and must copy what it
 * keeps longer.  Stats and samples are owned by the source;
 * source_stats_add() copies counters into a caller's total.
 */
#ifndef ZS_SOURCE_H
#define ZS_SOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "parsers/event.h"
#include "parsers/reader.h"

struct source;

/* Clock skew allowed between a file's mtime and its lines' stamps. */
#define SOURCE_FUTURE_SLACK_SEC	(24 * 3600)

enum log_format {
	FORMAT_AUTO,		/* decide per line */
	FORMAT_POSTFIX,
	FORMAT_EXIM,
	FORMAT_SENDMAIL,
	FORMAT_COUNT
};

struct source_options {
	struct reader_options reader;
	int		 year;		/* > 0: --year; else from mtime */
	int		 anchor_month;	/* 1-12 with year: the month of the
					   line read just before this file;
					   the first stamp is placed nearest
					   to it (syslog_parser_set_anchor) */
	const char	*host;		/* relay identity override, or NULL */
	enum log_format	 format;	/* FORMAT_AUTO unless forced */
	bool		 window;	/* skip lines outside [since, until) */
	int64_t		 since_sec;	/* INT64_MIN: open */
	int64_t		 until_sec;	/* INT64_MAX: open */
};

#define SOURCE_MAX_SAMPLES	5
#define SOURCE_SAMPLE_BYTES	160

struct source_stats {
	uint64_t	files;
	uint64_t	files_damaged;	/* truncated, corrupt, unreadable */
	uint64_t	bytes_read;
	uint64_t	bytes_decoded;
	uint64_t	lines_read;	/* every line, skipped ones too */
	uint64_t	lines_parsed;	/* gave one or more events */
	uint64_t	lines_ignored;	/* ours, deliberately not used */
	uint64_t	lines_other;	/* other programs' lines */
	uint64_t	lines_malformed;
	uint64_t	lines_outside_window; /* skipped: outside the window */
	uint64_t	lines_invalid_utf8; /* used, text repaired on output */
	uint64_t	events;
	uint64_t	ignored_by_reason[IGNORE_REASON_COUNT];
	uint64_t	malformed_by_reason[MALFORMED_REASON_COUNT];
	uint64_t	lines_by_format[FORMAT_COUNT];
	int64_t		first_time_sec;	/* INT64_MAX when no line */
	int64_t		last_time_sec;	/* INT64_MIN when no line */
	int64_t		outside_first_sec; /* of lines outside the window, */
	int64_t		outside_last_sec;  /* as above when none */
};

enum source_status {
	SOURCE_EVENT,		/* *ev points to an event */
	SOURCE_EOF,		/* the whole input was read */
	SOURCE_DAMAGED		/* input ended early: source_error() */
};

/*
 * source_open - open path ("-" for standard input).  NULL when it
 * cannot be opened, or its forced format has no parser, with a message
 * naming the path in err.  opts may be NULL (automatic format).
 * Caller frees with source_close().
 */
struct source	*source_open(const char *path,
		    const struct source_options *opts,
		    char *err, size_t errlen);

/*
 * source_next - the next event, or why there is none.  On SOURCE_EVENT
 * *ev points to the event, the source's (see "Ownership" above); else
 * *ev is not changed.  SOURCE_DAMAGED comes once, after the events of
 * every line read before the damage; SOURCE_EOF follows it.
 */
enum source_status source_next(struct source *src,
		    const struct mta_event **ev);

/*
 * source_error - what ended a damaged input, with name and offset; ""
 * unless source_next() returned SOURCE_DAMAGED.  Borrowed.
 */
const char	*source_error(const struct source *src);

/*
 * source_line - the line the last event came from, *len its length:
 * the event's strings mostly point into it.  Valid, like the event,
 * until the next source_next(); NULL before the first line.
 */
const char	*source_line(const struct source *src, size_t *len);

/* source_is_compressed - whether the file is compressed (and decoded
   by a thread of its own) */
bool		 source_is_compressed(const struct source *src);

/* source_stats - this file's counters; borrowed */
const struct source_stats *source_stats(const struct source *src);

/* source_sample - i-th malformed line sample (clipped), or NULL */
const char	*source_sample(const struct source *src, size_t i);

/*
 * source_future_lines - lines counted malformed (MALFORMED_HEADER) for
 * a stamp more than SOURCE_FUTURE_SLACK_SEC after the file's mtime
 */
uint64_t	 source_future_lines(const struct source *src);

/*
 * source_first_malformed_line - the line number (from 1, counting every
 * line read) of the first malformed line, for pointing a person at the
 * damage; 0 when there was none
 */
uint64_t	 source_first_malformed_line(const struct source *src);

/* source_name - the path given at open; borrowed */
const char	*source_name(const struct source *src);

#define SOURCE_PROBE_LINES	10000

/*
 * source_probe_relay - the relay a file's events will name (the
 * --host override, or the host of its first event, the time window
 * not applied), copied into buf;
 * false when none shows in its first SOURCE_PROBE_LINES lines, for
 * standard input or any other name that is not a regular file (a
 * pipe cannot be read twice), or when the file cannot be opened.  Used
 * to keep each relay's files together and in order when files are read
 * in parallel.
 */
bool		 source_probe_relay(const char *path,
		    const struct source_options *opts, char *buf,
		    size_t buflen);

/* source_close - close and free; NULL is a no-op */
void		 source_close(struct source *src);

/* source_stats_init - zero counters, empty time range */
void		 source_stats_init(struct source_stats *stats);

/* source_stats_add - add one file's counters into a total */
void		 source_stats_add(struct source_stats *total,
		    const struct source_stats *one);

/* log_format_name - "auto", "postfix", "exim", "sendmail" */
const char	*log_format_name(enum log_format format);

#endif
