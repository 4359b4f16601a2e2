/*
 * source - one input file read through to events (see source.h).
 *
 * Per line: the reader hands out the text, the syslog parser splits
 * off the header, and the header's program name picks the MTA parser
 * (or, with a forced format, that parser gets every line and says
 * itself what is not its own).  MTA parsers sit in a table of
 * operations, so a new MTA is one more entry.  A log without syslog
 * headers (an Exim main log) would be recognised where a line's header
 * fails to parse, before it is counted as malformed.
 *
 * Every line read is counted exactly once as parsed, ignored, other or
 * malformed; lines the reader skipped (too long, NUL byte) count as
 * read and malformed.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "parsers/exim.h"
#include "parsers/postfix.h"
#include "parsers/sendmail.h"
#include "parsers/source.h"
#include "parsers/syslog.h"
#include "util/utf8.h"
#include "util/xalloc.h"

/* How the source drives one MTA parser; parser is the opaque state. */
struct mta_ops {
	enum log_format	 format;
	const char	*program_first;	/* every program is_program()
					   takes opens with one of these */
	void		*(*parser_new)(void);
	void		 (*parser_free)(void *parser);
	bool		 (*is_program)(struct zstr program);
	enum parse_status (*feed)(void *parser,
			    const struct syslog_header *hdr,
			    enum ignore_reason *ignore,
			    enum malformed_reason *malformed);
	const struct mta_event *(*next)(void *parser);
	bool		 one_event;	/* at most one event a line */
};

/* postfix_new_op - postfix_parser_new() behind the table's type */
static void *
postfix_new_op(void)
{
	return postfix_parser_new();
}

/* postfix_free_op - postfix_parser_free() behind the table's type */
static void
postfix_free_op(void *parser)
{
	postfix_parser_free(parser);
}

/* postfix_feed_op - postfix_feed() behind the table's type */
static enum parse_status
postfix_feed_op(void *parser, const struct syslog_header *hdr,
    enum ignore_reason *ignore, enum malformed_reason *malformed)
{
	return postfix_feed(parser, hdr, ignore, malformed);
}

/* postfix_next_op - postfix_next() behind the table's type */
static const struct mta_event *
postfix_next_op(void *parser)
{
	return postfix_next(parser);
}

/* exim_new_op - exim_parser_new() behind the table's type */
static void *
exim_new_op(void)
{
	return exim_parser_new();
}

/* exim_free_op - exim_parser_free() behind the table's type */
static void
exim_free_op(void *parser)
{
	exim_parser_free(parser);
}

/* exim_feed_op - exim_feed() (syslog framing) behind the table's type */
static enum parse_status
exim_feed_op(void *parser, const struct syslog_header *hdr,
    enum ignore_reason *ignore, enum malformed_reason *malformed)
{
	return exim_feed(parser, hdr, ignore, malformed);
}

/* exim_next_op - exim_next() behind the table's type */
static const struct mta_event *
exim_next_op(void *parser)
{
	return exim_next(parser);
}

/* sendmail_new_op - sendmail_parser_new() behind the table's type */
static void *
sendmail_new_op(void)
{
	return sendmail_parser_new();
}

/* sendmail_free_op - sendmail_parser_free() behind the table's type */
static void
sendmail_free_op(void *parser)
{
	sendmail_parser_free(parser);
}

/* sendmail_feed_op - sendmail_feed() behind the table's type */
static enum parse_status
sendmail_feed_op(void *parser, const struct syslog_header *hdr,
    enum ignore_reason *ignore, enum malformed_reason *malformed)
{
	return sendmail_feed(parser, hdr, ignore, malformed);
}

/* sendmail_next_op - sendmail_next() behind the table's type */
static const struct mta_event *
sendmail_next_op(void *parser)
{
	return sendmail_next(parser);
}

/* The MTA parsers, tried in this order when the format is automatic. */
static const struct mta_ops mta_table[] = {
	{ FORMAT_POSTFIX, POSTFIX_PROGRAM_FIRST, postfix_new_op,
	    postfix_free_op, postfix_is_program, postfix_feed_op,
	    postfix_next_op, true },
	{ FORMAT_EXIM, EXIM_PROGRAM_FIRST, exim_new_op, exim_free_op,
	    exim_is_program, exim_feed_op, exim_next_op, false },
	{ FORMAT_SENDMAIL, SENDMAIL_PROGRAM_FIRST, sendmail_new_op,
	    sendmail_free_op, sendmail_is_program, sendmail_feed_op,
	    sendmail_next_op, false },
};

/* Table index of the Exim parser, which also reads native main logs. */
#define EXIM_INDEX	1

#define MTA_COUNT	(sizeof(mta_table) / sizeof(mta_table[0]))

/* Escaped samples: up to 4 bytes per input byte, "...", NUL. */
#define SAMPLE_TEXT_BYTES	(SOURCE_SAMPLE_BYTES * 4 + 4)

struct source {
	struct reader	*reader;
	const struct reader_stats *rstats;	/* the reader's, live */
	struct syslog_parser *syslog;
	void		*parsers[MTA_COUNT];
	size_t		 forced;	/* table index; MTA_COUNT: auto */
	size_t		 pending;	/* has events; MTA_COUNT: none */
	struct syslog_header hdr;	/* of the current line */
	const char	*line;		/* the current line, borrowed */
	size_t		 line_len;
	char		*host;		/* override, or NULL */
	struct zstr	 host_zstr;	/* the same, for events */
	char		*file_host;	/* relay of a log that names none */
	bool		 mta_first[256]; /* opens some MTA's program */
	bool		 last_native;	/* previous line was Exim native */
	bool		 last_outside;	/* previous line outside the window */
	bool		 finished;
	uint64_t	 seen_long_lines;	/* reader counts accounted */
	uint64_t	 seen_nul_lines;
	int64_t		 latest_sec;	/* no line is stamped later */
	uint64_t	 future_lines;	/* malformed for a later stamp */
	bool		 window;	/* from the options */
	int64_t		 since_sec;
	int64_t		 until_sec;
	struct source_stats stats;
	uint64_t	 first_malformed_line;	/* 1-based; 0: none */
	size_t		 nsamples;
	char		 samples[SOURCE_MAX_SAMPLES][SAMPLE_TEXT_BYTES];
};

static const char *const format_names[FORMAT_COUNT] = {
	[FORMAT_AUTO] = "auto",
	[FORMAT_POSTFIX] = "postfix",
	[FORMAT_EXIM] = "exim",
	[FORMAT_SENDMAIL] = "sendmail",
};

/* log_format_name - "auto", "postfix", "exim", "sendmail" */
const char *
log_format_name(enum log_format format)
{
	if ((unsigned)format >= FORMAT_COUNT)
		return "unknown";
	return format_names[format];
}

/* source_stats_init - zero counters, empty time range */
void
source_stats_init(struct source_stats *stats)
{
	memset(stats, 0, sizeof(*stats));
	stats->first_time_sec = INT64_MAX;
	stats->last_time_sec = INT64_MIN;
	stats->outside_first_sec = INT64_MAX;
	stats->outside_last_sec = INT64_MIN;
}

/* source_stats_add - add one file's counters into a total */
void
source_stats_add(struct source_stats *total, const struct source_stats *one)
{
	size_t	i;

	total->files += one->files;
	total->files_damaged += one->files_damaged;
	total->bytes_read += one->bytes_read;
	total->bytes_decoded += one->bytes_decoded;
	total->lines_read += one->lines_read;
	total->lines_parsed += one->lines_parsed;
	total->lines_ignored += one->lines_ignored;
	total->lines_other += one->lines_other;
	total->lines_malformed += one->lines_malformed;
	total->lines_outside_window += one->lines_outside_window;
	total->lines_invalid_utf8 += one->lines_invalid_utf8;
	total->events += one->events;
	for (i = 0; i < IGNORE_REASON_COUNT; i++)
		total->ignored_by_reason[i] += one->ignored_by_reason[i];
	for (i = 0; i < MALFORMED_REASON_COUNT; i++)
		total->malformed_by_reason[i] += one->malformed_by_reason[i];
	for (i = 0; i < FORMAT_COUNT; i++)
		total->lines_by_format[i] += one->lines_by_format[i];
	if (one->first_time_sec < total->first_time_sec)
		total->first_time_sec = one->first_time_sec;
	if (one->last_time_sec > total->last_time_sec)
		total->last_time_sec = one->last_time_sec;
	if (one->outside_first_sec < total->outside_first_sec)
		total->outside_first_sec = one->outside_first_sec;
	if (one->outside_last_sec > total->outside_last_sec)
		total->outside_last_sec = one->outside_last_sec;
}

/*
 * is_generic_dir - a directory name that says nothing about the relay
 * ("/var/log/exim4/mainlog" is every Exim relay's main log).
 */
static bool
is_generic_dir(const char *name, size_t len)
{
	static const char *const generic[] = {
		"", ".", "..", "log", "logs", "exim", "exim4", "mail",
		"maillog", "var", "tmp", "input"
	};
	size_t	i;

	for (i = 0; i < sizeof(generic) / sizeof(generic[0]); i++)
		if (strlen(generic[i]) == len &&
		    memcmp(generic[i], name, len) == 0)
			return true;
	return false;
}

/*
 * relay_from_path - the relay identity of a log whose lines name no
 * host (an Exim main log), when --host does not give one: the name of
 * the file's directory ("relay3.isp.example/mainlog.1.gz"), unless that
 * is a generic log directory; then the file name without its
 * compression and rotation suffixes ("relay3-mainlog-20261125.gz"
 * gives "relay3-mainlog"), so a relay's rotated files share one
 * identity.  Standard input is "stdin".  Caller frees.
 */
static char *
relay_from_path(const char *path)
{
	const char	*slash, *dir, *base;
	size_t		 len, dirlen, i;

	if (strcmp(path, "-") == 0)
		return xstrdup("stdin");
	len = strlen(path);
	while (len > 1 && path[len - 1] == '/')
		len--;
	slash = memrchr(path, '/', len);
	base = slash != NULL ? slash + 1 : path;
	if (slash != NULL) {
		dir = slash;
		while (dir > path && dir[-1] != '/')
			dir--;
		dirlen = (size_t)(slash - dir);
		if (!is_generic_dir(dir, dirlen))
			return xmemdup0(dir, dirlen);
	}
	len = (size_t)(path + len - base);
	if (len > 3 && memcmp(base + len - 3, ".gz", 3) == 0)
		len -= 3;
	/* ".N" (logrotate numbering) */
	i = len;
	while (i > 0 && base[i - 1] >= '0' && base[i - 1] <= '9')
		i--;
	if (i < len && i > 1 && base[i - 1] == '.')
		len = i - 1;
	/* "-YYYYMMDD" (logrotate dateext) */
	else if (i < len && len - i == 8 && i > 1 && base[i - 1] == '-')
		len = i - 1;
	return xmemdup0(base, len > 0 ? len : 1);
}

/* source_open - open path and set up the parsers */
struct source *
source_open(const char *path, const struct source_options *opts,
    char *err, size_t errlen)
{
	static const struct source_options defaults = { .format = FORMAT_AUTO };
	struct source	*src;
	struct reader	*r;
	size_t		 i, forced = MTA_COUNT;

	if (opts == NULL)
		opts = &defaults;
	if (opts->format != FORMAT_AUTO) {
		for (i = 0; i < MTA_COUNT; i++)
			if (mta_table[i].format == opts->format)
				forced = i;
		if (forced == MTA_COUNT) {
			snprintf(err, errlen,
			    "%.300s: %s logs are not supported", path,
			    log_format_name(opts->format));
			return NULL;
		}
	}
	r = reader_open(path, &opts->reader, err, errlen);
	if (r == NULL)
		return NULL;
	src = xcalloc(1, sizeof(*src));
	src->reader = r;
	src->rstats = reader_stats(r);
	src->syslog = syslog_parser_new(opts->year, reader_mtime(r));
	/* A file was last written at its mtime: a line stamped later
	   than that (and a day of clock skew) has a damaged stamp. */
	src->latest_sec = reader_mtime(r) > 0 ?
	    (int64_t)reader_mtime(r) + SOURCE_FUTURE_SLACK_SEC : INT64_MAX;
	if (opts->anchor_month > 0)
		syslog_parser_set_anchor(src->syslog, opts->year,
		    opts->anchor_month);
	for (i = 0; i < MTA_COUNT; i++) {
		const char	*c;

		src->parsers[i] = mta_table[i].parser_new();
		for (c = mta_table[i].program_first; *c != '\0'; c++)
			src->mta_first[(unsigned char)*c] = true;
	}
	src->forced = forced;
	src->pending = MTA_COUNT;
	if (opts->window) {
		src->window = true;
		src->since_sec = opts->since_sec;
		src->until_sec = opts->until_sec;
	}
	if (opts->host != NULL) {
		src->host = xstrdup(opts->host);
		src->host_zstr = zstr_make(src->host, strlen(src->host));
	}
	src->file_host = relay_from_path(path);
	source_stats_init(&src->stats);
	src->stats.files = 1;
	return src;
}

/* source_close - close and free */
void
source_close(struct source *src)
{
	size_t	i;

	if (src == NULL)
		return;
	for (i = 0; i < MTA_COUNT; i++)
		mta_table[i].parser_free(src->parsers[i]);
	syslog_parser_free(src->syslog);
	reader_close(src->reader);
	free(src->host);
	free(src->file_host);
	free(src);
}

/*
 * keep_sample - store an escaped, clipped copy of a malformed line.
 * Printable ASCII is kept; everything else, and the backslash itself,
 * is written as \xNN or \\, so samples are safe on a terminal and
 * unambiguous in JSON.
 */
static void
keep_sample(struct source *src, const char *line, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	char		*out;
	size_t		 i, n = len, o = 0;
	unsigned char	 c;

	if (src->nsamples >= SOURCE_MAX_SAMPLES)
		return;
	out = src->samples[src->nsamples++];
	if (n > SOURCE_SAMPLE_BYTES)
		n = SOURCE_SAMPLE_BYTES;
	for (i = 0; i < n; i++) {
		c = (unsigned char)line[i];
		if (c == '\\') {
			out[o++] = '\\';
			out[o++] = '\\';
		} else if (c >= 0x20 && c < 0x7f)
			out[o++] = (char)c;
		else {
			out[o++] = '\\';
			out[o++] = 'x';
			out[o++] = hex[c >> 4];
			out[o++] = hex[c & 0x0f];
		}
	}
	if (n < len) {
		memcpy(out + o, "...", 3);
		o += 3;
	}
	out[o] = '\0';
}

/* count_malformed - one malformed line, with a sample when we have it */
static void
count_malformed(struct source *src, enum malformed_reason reason,
    uint64_t count, const char *line, size_t len)
{
	/* Skipped lines (too long, NUL) are counted after the reader
	   has gone past them: the first of them was count lines back. */
	if (src->first_malformed_line == 0 && count > 0)
		src->first_malformed_line = src->stats.lines_read - count + 1;
	src->stats.lines_malformed += count;
	if ((unsigned)reason < MALFORMED_REASON_COUNT)
		src->stats.malformed_by_reason[reason] += count;
	if (line != NULL)
		keep_sample(src, line, len);
}

/*
 * account_reader - take the reader's byte counts, and count the lines
 * it skipped since the last call as read and malformed.
 */
static void
account_reader(struct source *src)
{
	const struct reader_stats *rs = src->rstats;
	uint64_t	 n;

	src->stats.bytes_read = rs->bytes_read;
	src->stats.bytes_decoded = rs->bytes_decoded;
	if (rs->long_lines != src->seen_long_lines) {
		n = rs->long_lines - src->seen_long_lines;
		src->seen_long_lines = rs->long_lines;
		src->stats.lines_read += n;
		count_malformed(src, MALFORMED_TOO_LONG, n, NULL, 0);
	}
	if (rs->nul_lines != src->seen_nul_lines) {
		n = rs->nul_lines - src->seen_nul_lines;
		src->seen_nul_lines = rs->nul_lines;
		src->stats.lines_read += n;
		count_malformed(src, MALFORMED_NUL_BYTE, n, NULL, 0);
	}
}

/* choose_parser - table index of the parser for a line of program */
static size_t
choose_parser(const struct source *src, struct zstr program)
{
	size_t	i;

	if (src->forced != MTA_COUNT)
		return src->forced;
	for (i = 0; i < MTA_COUNT; i++)
		if (mta_table[i].is_program(program))
			return i;
	return MTA_COUNT;
}

/*
 * names_no_mta - whether a line's syslog header, if it has one, names
 * no known MTA's program (automatic format only).  Only the program is
 * read: when it is no MTA's, the whole header would not be used.  Its
 * first byte alone, which an Exim main log line gives cheaply (the
 * word after the first after the stamp), turns away nearly all: no
 * MTA's program opens with it (mta_ops.program_first).
 */
static bool
names_no_mta(struct source *src, const char *line, size_t len)
{
	struct zstr	program;
	int		first = syslog_program_first(line, len);

	if (first == SYSLOG_NO_PROGRAM || (first >= 0 &&
	    !src->mta_first[first]))
		return true;
	return !syslog_program(src->syslog, line, len, &program) ||
	    choose_parser(src, program) == MTA_COUNT;
}

static void	note_time(struct source_stats *, int64_t);
static bool	skip_outside(struct source *, int64_t);
static void	handle_native(struct source *, const char *, size_t);
static inline void count_outcome(struct source *, size_t, enum parse_status,
		    enum ignore_reason, enum malformed_reason, const char *,
		    size_t);

/*
 * is_journal_marker - a line journalctl(1) prints between entries of
 * its short output: "-- Journal begins at ... --" (or "Logs begin"),
 * "-- Boot ID --", "-- No entries --".  Not the MTA's, not damage.
 */
static bool
is_journal_marker(const char *line, size_t len)
{
	return len >= 6 && memcmp(line, "-- ", 3) == 0 &&
	    memcmp(line + len - 3, " --", 3) == 0;
}

/* handle_line - parse and count one line; events are left pending */
static void
handle_line(struct source *src, const char *line, size_t len)
{
	const struct mta_ops *ops;
	enum ignore_reason ignore = IGNORE_UNRECOGNISED;
	enum malformed_reason malformed = MALFORMED_FIELD;
	size_t		 which = MTA_COUNT;
	bool		 header_ok = false, native, shape = false;
	enum parse_status st;

	src->stats.lines_read++;
	/* The reader saw whether the line has a byte that may not be
	   UTF-8; most lines are ASCII and need no closer look. */
	if (reader_line_high(src->reader) && !utf8_valid(line, len))
		src->stats.lines_invalid_utf8++;
	/* A blank line says nothing, for or against the file. */
	if (len == 0) {
		src->stats.lines_other++;
		return;
	}
	/*
	 * A syslog line of a known MTA comes first: an ISO stamp written
	 * with a space makes a syslog line look like an Exim main log
	 * line, and an Exim main log line usually parses as a header
	 * whose "program" is no MTA's.  So a line with the main log's
	 * stamp is one unless its header names an MTA, which the program
	 * alone tells for most; only the others are parsed in full.  A
	 * continuation line opens with a space or a tab, which no syslog
	 * header does.  A forced Exim format takes every main log line.
	 */
	if (src->forced == EXIM_INDEX)
		native = exim_is_native_line(line, len) ||
		    (src->last_native && exim_is_continuation_line(line, len));
	else if (src->forced != MTA_COUNT)
		native = false;
	else if ((unsigned)(line[0] - '0') <= 9 &&
	    exim_is_native_line(line, len)) {
		shape = true;
		native = names_no_mta(src, line, len);
	} else
		native = src->last_native &&
		    exim_is_continuation_line(line, len);
	if (!native) {
		header_ok = syslog_parse(src->syslog, line, len,
		    &src->hdr) == SYSLOG_OK;
		which = header_ok ? choose_parser(src, src->hdr.program) :
		    MTA_COUNT;
		/* An MTA's program, but no good header after all. */
		native = shape && which == MTA_COUNT;
	}
	src->last_native = native;
	if (native) {
		handle_native(src, line, len);
		return;
	}
	if (!header_ok) {
		if (is_journal_marker(line, len))
			src->stats.lines_other++;
		else
			count_malformed(src, MALFORMED_HEADER, 1, line, len);
		return;
	}
	if (src->hdr.year_logged && src->hdr.time_sec > src->latest_sec) {
		src->future_lines++;
		count_malformed(src, MALFORMED_HEADER, 1, line, len);
		return;
	}
	if (skip_outside(src, src->hdr.time_sec))
		return;
	note_time(&src->stats, src->hdr.time_sec);
	if (which == MTA_COUNT) {
		src->stats.lines_other++;
		return;
	}
	ops = &mta_table[which];
	/* Every event names the relay by its header's host: an override
	   takes the header's place (native lines pass it to the parser). */
	if (src->host != NULL)
		src->hdr.host = src->host_zstr;
	/* The parser sets the reasons: call it before reading them. */
	st = ops->feed(src->parsers[which], &src->hdr, &ignore, &malformed);
	count_outcome(src, which, st, ignore, malformed, line, len);
}

/* note_time - widen a file's time range */
static void
note_time(struct source_stats *stats, int64_t sec)
{
	if (sec < stats->first_time_sec)
		stats->first_time_sec = sec;
	if (sec > stats->last_time_sec)
		stats->last_time_sec = sec;
}

/*
 * skip_outside - whether a line stamped sec is outside the window; if
 * so it is counted as such (a cheap test: no window, no cost)
 */
static bool
skip_outside(struct source *src, int64_t sec)
{
	if (!src->window || (sec >= src->since_sec && sec < src->until_sec))
		return false;
	src->stats.lines_outside_window++;
	if (sec < src->stats.outside_first_sec)
		src->stats.outside_first_sec = sec;
	if (sec > src->stats.outside_last_sec)
		src->stats.outside_last_sec = sec;
	return true;
}

/* handle_native - one line of an Exim main log (no syslog header) */
static void
handle_native(struct source *src, const char *line, size_t len)
{
	enum ignore_reason ignore = IGNORE_UNRECOGNISED;
	enum malformed_reason malformed = MALFORMED_FIELD;
	struct zstr	 host;
	enum parse_status st;
	int64_t		 sec;
	uint32_t	 usec;

	host = src->host != NULL ? src->host_zstr :
	    zstr_make(src->file_host, strlen(src->file_host));
	st = exim_feed_native(src->parsers[EXIM_INDEX], line, len, host,
	    &ignore, &malformed);
	if (exim_line_time(src->parsers[EXIM_INDEX], &sec, &usec) &&
	    sec > src->latest_sec) {
		/* a stamp after the file was written, as in
		   handle_line() */
		if (st == PARSE_EVENTS)
			while (mta_table[EXIM_INDEX].next(
			    src->parsers[EXIM_INDEX]) != NULL)
				continue;
		src->future_lines++;
		count_malformed(src, MALFORMED_HEADER, 1, line, len);
		return;
	}
	if (src->window) {
		/*
		 * The stamp is read with the line, so the window applies
		 * after the parser: an outside line's events are dropped.
		 * A continuation line goes with the line it continues.
		 */
		bool	outside;

		if (exim_line_time(src->parsers[EXIM_INDEX], &sec, &usec))
			outside = skip_outside(src, sec);
		else if ((outside = src->last_outside))
			src->stats.lines_outside_window++;
		src->last_outside = outside;
		if (outside) {
			if (st == PARSE_EVENTS)
				while (mta_table[EXIM_INDEX].next(
				    src->parsers[EXIM_INDEX]) != NULL)
					continue;
			return;
		}
	}
	if (exim_line_time(src->parsers[EXIM_INDEX], &sec, &usec))
		note_time(&src->stats, sec);
	count_outcome(src, EXIM_INDEX, st, ignore, malformed, line, len);
}

/*
 * count_outcome - count one line by what its parser said of it (nearly
 * every line comes here: inline, as its work is smaller than a call)
 */
static inline void
count_outcome(struct source *src, size_t which, enum parse_status st,
    enum ignore_reason ignore, enum malformed_reason malformed,
    const char *line, size_t len)
{
	switch (st) {
	case PARSE_EVENTS:
		src->stats.lines_parsed++;
		src->pending = which;
		break;
	case PARSE_IGNORED:
		src->stats.lines_ignored++;
		if ((unsigned)ignore < IGNORE_REASON_COUNT)
			src->stats.ignored_by_reason[ignore]++;
		break;
	case PARSE_NOT_MINE:
		src->stats.lines_other++;
		return;
	case PARSE_MALFORMED:
	default:
		count_malformed(src, malformed, 1, line, len);
		break;
	}
	src->stats.lines_by_format[mta_table[which].format]++;
}

/*
 * source_next - the next event, or why there is none.  The event is
 * the MTA parser's own, handed on without a copy; it already names the
 * relay, as the parsers copy the header's host into every event and
 * the host override went into the header (handle_line(),
 * handle_native()).
 */
enum source_status
source_next(struct source *src, const struct mta_event **ev)
{
	const struct mta_event	*e;
	const char		*line;
	size_t			 len;
	enum reader_status	 st;

	for (;;) {
		if (src->pending != MTA_COUNT) {
			const struct mta_ops *ops = &mta_table[src->pending];

			e = ops->next(src->parsers[src->pending]);
			/*
			 * A parser with at most one event a line would
			 * answer another call with none: it is not asked.
			 */
			if (e == NULL || ops->one_event)
				src->pending = MTA_COUNT;
			if (e != NULL) {
				src->stats.events++;
				*ev = e;
				return SOURCE_EVENT;
			}
		}
		if (src->finished)
			return SOURCE_EOF;
		st = reader_next(src->reader, &line, &len);
		account_reader(src);
		switch (st) {
		case READER_LINE:
			src->line = line;
			src->line_len = len;
			handle_line(src, line, len);
			break;
		case READER_ERROR:
			src->finished = true;
			src->stats.files_damaged = 1;
			return SOURCE_DAMAGED;
		case READER_EOF:
		default:
			src->finished = true;
			return SOURCE_EOF;
		}
	}
}

/* source_is_compressed - see source.h */
bool
source_is_compressed(const struct source *src)
{
	return reader_is_compressed(src->reader);
}

/* source_line - see source.h */
const char *
source_line(const struct source *src, size_t *len)
{
	*len = src->line_len;
	return src->line;
}

/*
 * source_probe_relay - the relay identity of a file: the host of its
 * first event, read through the same machinery as source_next() so
 * the answer is the one the events will carry.  Gives up after
 * SOURCE_PROBE_LINES lines.
 */
bool
source_probe_relay(const char *path, const struct source_options *opts,
    char *buf, size_t buflen)
{
	struct source_options whole;
	struct source	*src;
	const struct mta_event *ev;
	struct stat	 sb;
	char		 err[64];
	bool		 found = false;

	if (buflen == 0 || strcmp(path, "-") == 0)
		return false;
	if (opts != NULL && opts->host != NULL) {
		snprintf(buf, buflen, "%s", opts->host);
		return true;
	}
	/* Only a regular file can be read twice: what a probe read of a
	   pipe (a FIFO, /dev/stdin, <(...)) would be lost to the run. */
	if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode))
		return false;
	/* The relay is that of the whole file, whatever the window. */
	if (opts != NULL) {
		whole = *opts;
		whole.window = false;
		opts = &whole;
	}
	src = source_open(path, opts, err, sizeof(err));
	if (src == NULL)
		return false;
	while (src->stats.lines_read < SOURCE_PROBE_LINES &&
	    source_next(src, &ev) == SOURCE_EVENT) {
		if (ev->host.len > 0) {
			snprintf(buf, buflen, "%.*s", (int)(ev->host.len <
			    buflen ? ev->host.len : buflen - 1), ev->host.ptr);
			found = true;
			break;
		}
	}
	source_close(src);
	return found;
}

/* source_error - what ended a damaged input ("" when nothing did) */
const char *
source_error(const struct source *src)
{
	return src->stats.files_damaged ? reader_error(src->reader) : "";
}

/* source_stats - this file's counters */
const struct source_stats *
source_stats(const struct source *src)
{
	return &src->stats;
}

/* source_sample - i-th malformed line sample, or NULL */
const char *
source_sample(const struct source *src, size_t i)
{
	if (i >= src->nsamples)
		return NULL;
	return src->samples[i];
}

/* source_future_lines - see source.h */
uint64_t
source_future_lines(const struct source *src)
{
	return src->future_lines;
}

/* source_first_malformed_line - number of the first malformed line */
uint64_t
source_first_malformed_line(const struct source *src)
{
	return src->first_malformed_line;
}

/* source_name - the path given at open */
const char *
source_name(const struct source *src)
{
	return reader_name(src->reader);
}
