/*
 * syslog - the syslog header of a line: time, host, program, pid.
 *
 * Second stage: a line becomes a header plus the program's message.
 * Two framings are understood:
 *
 *   RFC 3164, as written by classic syslogd:
 *	Nov 26 21:31:55 relay1 postfix/smtpd[123]: message
 *   ISO 8601 / RFC 5424 timestamps, as written by rsyslog's
 *   RSYSLOG_FileFormat or systemd-journald exports:
 *	2026-11-26T21:31:55.123456+01:00 relay1 postfix/smtpd[123]: message
 *
 * An optional "<PRI>" prefix (and the RFC 5424 version "1 ") is
 * skipped; after the version a genuine RFC 5424 tail ("APP-NAME PROCID
 * MSGID STRUCTURED-DATA MSG") is understood too.  Two additions of
 * particular syslogds are passed over: the "<facility.priority> " that
 * FreeBSD and NetBSD syslogd put between the stamp and the host when
 * run with -v (numbers, "<2.6> ") or -vv (names):
 *	Jun 17 14:37:39 <mail.notice> robin sm-mta[2794]: message
 * and the message ID that Solaris syslogd puts in front of a message,
 * after a "prog[pid]: " or "prog: " tag:
 *	Aug 11 05:55:40 relay1 sendmail[25741]: [ID 801593 mail.info] message
 * Their facility and priority are lower-case letters and digits
 * ("local0", "2") around a dot, 32 bytes at most.  RFC 3164 stamps
 * carry no year and no zone: they are read in the local time zone
 * (TZ), and the year is inferred.  With a reference time (the file's
 * modification time) a stamp is placed in the latest year that does
 * not put it more than a day after the reference; with an explicit
 * year (--year) the first stamp gets that year.  Either way a jump back
 * of more than six months from one line to the next (December to
 * January) moves to the next year, so a file that spans New Year is
 * read in order, once the next line confirms it (a lone January line
 * is put in the next year alone).  A jump forward keeps the year (a
 * lone straggler keeps it without moving tracking; see syslog.c).
 * Without --year, a line either jump would put more than a day after
 * the reference is put a year earlier instead (a December straggler
 * after New Year), unless a line in order already came a week after
 * the reference.  February 29 in a year that is not a leap year is
 * malformed.  ISO stamps without a zone are local time as well.
 *
 * Ownership: the header's strings point into the line and are valid
 * as long as the line is.  The parser holds only year-inference state
 * and caches (local-time conversions, and the stamp and tags of recent
 * lines with what they gave, so that repeated ones are compared rather
 * than parsed; the result is the same either way); one parser per
 * input file.
 */
#ifndef ZS_SYSLOG_H
#define ZS_SYSLOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "util/zstr.h"

struct syslog_parser;

struct syslog_header {
	int64_t		time_sec;	/* UTC seconds since the epoch */
	uint32_t	time_usec;	/* fraction, 0 when not logged */
	struct zstr	host;		/* as logged */
	struct zstr	program;	/* "postfix/submission/smtpd" */
	struct zstr	service;	/* last path part: "smtpd" */
	struct zstr	instance;	/* first part: "postfix", "postfix-out" */
	int64_t		pid;		/* -1 when absent */
	struct zstr	message;	/* after "]: " or ": " (see above) */
	bool		year_logged;	/* the stamp's own year (ISO), not
					   an inferred one (RFC 3164) */
};

enum syslog_status {
	SYSLOG_OK,
	SYSLOG_MALFORMED	/* no recognisable header */
};

/*
 * syslog_parser_new - parser for one file.  year > 0 fixes the year of
 * the first RFC 3164 stamp; otherwise reference (seconds, e.g. the
 * file's mtime; 0 for now) anchors the inference.  Free with
 * syslog_parser_free().
 */
struct syslog_parser *syslog_parser_new(int year, time_t reference);

/*
 * syslog_parser_set_anchor - before the first line: the line read just
 * before this file was from (year, month), so the first RFC 3164 stamp
 * gets the year that puts it nearest to that (December after January
 * is the year before, January after December the year after).
 */
void		syslog_parser_set_anchor(struct syslog_parser *p, int year,
		    int month);

/*
 * syslog_parser_set_caching - whether repeated stamps and tags are
 * reused (the default) or every line is parsed in full, which gives
 * the same headers; for comparing the two.
 */
void		syslog_parser_set_caching(struct syslog_parser *p, bool on);

/* syslog_parser_free - free; NULL is a no-op */
void		syslog_parser_free(struct syslog_parser *p);

/* syslog_parse - split one line (no newline) into *hdr */
enum syslog_status syslog_parse(struct syslog_parser *p, const char *line,
		    size_t len, struct syslog_header *hdr);

/*
 * syslog_program - the program name a line's header gives, as
 * syslog_parse() would give it, without reading the rest: false when
 * the header is malformed before the program's end (syslog_parse()
 * then fails as well).  True does not say that the rest is well
 * formed.  For deciding cheaply what a line is not.
 */
bool		syslog_program(struct syslog_parser *p, const char *line,
		    size_t len, struct zstr *program);

/* What syslog_program_first() says besides a byte. */
#define SYSLOG_PROGRAM_UNKNOWN	(-1)	/* not cheap to tell */
#define SYSLOG_NO_PROGRAM	(-2)	/* syslog_program() finds none */

/*
 * syslog_program_first - the byte (0-255) that opens the program
 * syslog_program() would give for a line, where that is cheap to tell
 * without the stamp's values or the program's end: a line opening
 * with a digit and with a space as its 20th byte (an ISO stamp written
 * with a space and no fraction or zone, as an Exim main log line has),
 * a "<facility.priority> " after it passed over as syslog_parse() does.
 * When a byte is given, syslog_program() either finds no program or
 * one opening with that byte.  SYSLOG_NO_PROGRAM when it finds none,
 * SYSLOG_PROGRAM_UNKNOWN for other lines.  Needs no parser state.
 */
int		syslog_program_first(const char *line, size_t len);

#endif
