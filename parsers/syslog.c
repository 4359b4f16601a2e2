/*
 * syslog - the syslog header of a line (see syslog.h).
 *
 * Everything here runs once per log line, so the stamp and the tag are
 * scanned by hand: no sscanf, no strptime, and mktime() only once per
 * local hour (a cached hour start plus minutes and seconds gives the
 * rest of the hour).
 *
 * Year inference for RFC 3164 stamps, which carry no year:
 *
 *   - The first stamp gets the year given to syslog_parser_new(); with
 *     an anchor month as well (the month of the line just before this
 *     file, syslog_parser_set_anchor()), the year of the three around
 *     it that puts the stamp nearest the anchor, so that rotated files
 *     read in turn cross New Year in either direction.  Otherwise it
 *     gets the reference time's local year, minus one when that would put
 *     the stamp more than a day after the reference (a file written up
 *     to early January whose first lines are from December).
 *   - From line to line, a jump back by more than six months (December
 *     to January) moves to the next year.  The line itself is put in
 *     the next year, but tracking moves there only when the next line
 *     jumps back as well: a single such line (a host that booted with
 *     its clock at January 1st, a straggler) leaves it alone, so the
 *     lines after it are not a year ahead.
 *   - A jump forward by more than six months never moves the year back:
 *     a single such line (an out-of-order straggler) keeps the current
 *     year and leaves the tracking alone, so the next in-order line does
 *     not count as a New Year.  When the next line jumps as well, the
 *     log really had a gap and tracking continues from the new month.
 *   - Without a fixed year, either jump is bounded by the reference
 *     (the file's mtime, or now): a line the rules above would put more
 *     than a day after it was written a year earlier (a December
 *     straggler after New Year; January lines of a host whose clock was
 *     reset, in a file last written in November), and changes no
 *     tracking.  Not once a line in order came a week or more after
 *     the reference: the whole file is then a year late (last year's
 *     log read late through a pipe), and stays consistently so.
 *   - February 29 in a year that is not a leap year is malformed: the
 *     inferred year is wrong or the stamp is damaged, and either way
 *     there is no such instant.  Malformed lines never change the state.
 *
 * Local time (stamps without a zone) follows TZ as it was when the hour
 * was first seen; the repeated hour at the end of daylight saving time
 * is read as its first pass until the clock steps back in it
 * (util/civil.h), the same whatever other files were read before.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "parsers/scan.h"
#include "parsers/syslog.h"
#include "util/civil.h"
#include "util/xalloc.h"

/*
 * Consecutive lines nearly always share their stamp ("Jan  5 00:00:08",
 * many lines a second) and their tag (host and program).  Both are
 * remembered by their bytes with what they gave, so that a line that
 * repeats them is compared, not parsed again.
 */
#define STAMP_CACHE_BYTES	48	/* longest stamp kept, with its space */
#define TAG_CACHE_ENTRIES	8
#define TAG_CACHE_BYTES		64	/* longest "host program[" kept */

/* One remembered tag: "relay1 postfix/smtpd[" and how it splits. */
struct tag_entry {
	size_t		 len;		/* bytes of raw; SIZE_MAX: unused */
	uint32_t	 host_len;
	uint32_t	 program_len;	/* the program starts after the space */
	uint32_t	 instance_len;	/* from the program's start */
	uint32_t	 service_off;	/* service: from here to the end */
	char		 raw[TAG_CACHE_BYTES];
};

struct syslog_parser {
	int		 fixed_year;	/* > 0: year of the first stamp */
	int		 anchor_month;	/* 1-12 with fixed_year: nearest */
	time_t		 reference;	/* otherwise: anchor, never 0 */
	bool		 year_known;	/* a RFC 3164 stamp was placed */
	int		 year;		/* year of the tracked month */
	int		 month;		/* last month tracked, 1-12 */
	bool		 jump_pending;	/* last line jumped > 6 months on */
	bool		 back_pending;	/* last line jumped > 6 months back */
	bool		 past_reference; /* a line was put a day after it */
	struct civil_hour hour;		/* the local hour last placed */
	bool		 caching;	/* stamp and tag caches in use */
	/* The stamp of the last good line and its time (stamp_repeats()). */
	size_t		 stamp_len;	/* with its space; 0: none */
	bool		 stamp_iso;	/* ISO, not RFC 3164 */
	int64_t		 stamp_sec;
	uint32_t	 stamp_usec;
	char		 stamp_raw[STAMP_CACHE_BYTES];
	/* The stamp syslog_program() read last; it needs no time. */
	size_t		 shape_len;	/* with its space; 0: none */
	bool		 shape_rfc5424;	/* read on a RFC 5424 line */
	char		 shape_raw[STAMP_CACHE_BYTES];
	/* Host and program tags seen lately, and where they split. */
	struct tag_entry tags[TAG_CACHE_ENTRIES];
	unsigned	 tag_hit;	/* entry to try first */
	unsigned	 tag_next;	/* entry to fill next */
};

/* One parsed time stamp, before conversion. */
struct stamp {
	int		 year;		/* 0 for RFC 3164 until inferred */
	int		 month;		/* 1-12 */
	int		 day;		/* 1-31, checked against month later */
	int		 hour;
	int		 min;
	int		 sec;		/* 0-60: a leap second is kept */
	uint32_t	 usec;
	bool		 has_zone;	/* ISO stamp with Z or an offset */
	int		 offset_sec;	/* east of UTC */
};

#define MAX_PID_DIGITS		18	/* fits int64_t, as scan_digits() */
#define MAX_PRI			191	/* facility 23, severity 7 */
#define MAX_FACPRI_BYTES	32	/* longest "facility.priority" read */
#define MAX_MSGID_DIGITS	10	/* a Solaris message ID, 32 bits */

/* syslog_parser_set_caching - reuse repeated stamps and tags, or not */
void
syslog_parser_set_caching(struct syslog_parser *p, bool on)
{
	unsigned	i;

	p->caching = on;
	p->stamp_len = 0;
	p->shape_len = 0;
	for (i = 0; i < TAG_CACHE_ENTRIES; i++)
		p->tags[i].len = SIZE_MAX;
}

/* syslog_parser_new - parser with year-inference anchor */
struct syslog_parser *
syslog_parser_new(int year, time_t reference)
{
	struct syslog_parser *p = xcalloc(1, sizeof(*p));

	p->fixed_year = year > 0 ? year : 0;
	p->reference = reference != 0 ? reference : time(NULL);
	syslog_parser_set_caching(p, true);
	return p;
}

/* syslog_parser_set_anchor - place the first stamp near (year, month) */
void
syslog_parser_set_anchor(struct syslog_parser *p, int year, int month)
{
	if (year > 0 && month >= 1 && month <= 12) {
		p->fixed_year = year;
		p->anchor_month = month;
	}
}

/* syslog_parser_free - free the parser */
void
syslog_parser_free(struct syslog_parser *p)
{
	free(p);
}

/* digit2 - value of two decimal digits at s, or -1 */
static int
digit2(const char *s)
{
	unsigned	a = (unsigned char)s[0] - '0';
	unsigned	b = (unsigned char)s[1] - '0';

	if (a > 9 || b > 9)
		return -1;
	return (int)(a * 10 + b);
}

/* local_epoch - UTC seconds of a local-time stamp (util/civil.h) */
static int64_t
local_epoch(struct syslog_parser *p, const struct stamp *st)
{
	return civil_local(&p->hour, st->year, st->month, st->day,
	    st->hour, st->min, st->sec);
}

/*
 * trial_epoch - local_epoch() of a stamp put in a year being tried, on
 * a copy of the hour cache: a trial must leave no trace in the pass of
 * an hour that occurs twice (util/civil.h).
 */
static int64_t
trial_epoch(const struct syslog_parser *p, const struct stamp *st)
{
	struct civil_hour scratch = p->hour;

	return civil_local(&scratch, st->year, st->month, st->day,
	    st->hour, st->min, st->sec);
}

/* parse_month - 1-12 for an English month abbreviation, else 0 */
static int
parse_month(const char *s)
{
	switch (s[0]) {
	case 'J':
		if (s[1] == 'a' && s[2] == 'n')
			return 1;
		if (s[1] == 'u' && s[2] == 'n')
			return 6;
		if (s[1] == 'u' && s[2] == 'l')
			return 7;
		break;
	case 'F':
		if (s[1] == 'e' && s[2] == 'b')
			return 2;
		break;
	case 'M':
		if (s[1] == 'a' && s[2] == 'r')
			return 3;
		if (s[1] == 'a' && s[2] == 'y')
			return 5;
		break;
	case 'A':
		if (s[1] == 'p' && s[2] == 'r')
			return 4;
		if (s[1] == 'u' && s[2] == 'g')
			return 8;
		break;
	case 'S':
		if (s[1] == 'e' && s[2] == 'p')
			return 9;
		break;
	case 'O':
		if (s[1] == 'c' && s[2] == 't')
			return 10;
		break;
	case 'N':
		if (s[1] == 'o' && s[2] == 'v')
			return 11;
		break;
	case 'D':
		if (s[1] == 'e' && s[2] == 'c')
			return 12;
		break;
	}
	return 0;
}

/*
 * parse_clock - "hh:mm:ss" and an optional fraction ".ffffff" (or
 * ",ffffff", ISO 8601 allows both); the end of what was read, or NULL.
 * Digits past microseconds are read and dropped.
 */
static const char *
parse_clock(const char *s, const char *end, struct stamp *st)
{
	uint32_t	usec = 0;
	int		n = 0;

	if (end - s < 8 || s[2] != ':' || s[5] != ':')
		return NULL;
	st->hour = digit2(s);
	st->min = digit2(s + 3);
	st->sec = digit2(s + 6);
	if (st->hour < 0 || st->hour > 23 || st->min < 0 || st->min > 59 ||
	    st->sec < 0 || st->sec > 60)
		return NULL;
	s += 8;
	if (s < end && (*s == '.' || *s == ',')) {
		s++;
		while (s < end && (unsigned)(*s - '0') <= 9) {
			if (n < 6) {
				usec = usec * 10 + (uint32_t)(*s - '0');
				n++;
			}
			s++;
		}
		if (n == 0)
			return NULL;
		while (n++ < 6)
			usec *= 10;
	}
	st->usec = usec;
	return s;
}

/* parse_rfc3164 - "Mmm dd hh:mm:ss" (day space-padded or not) */
static const char *
parse_rfc3164(const char *s, const char *end, struct stamp *st)
{
	int	day;

	if (end - s < 14)
		return NULL;
	if ((st->month = parse_month(s)) == 0 || s[3] != ' ')
		return NULL;
	s += 4;
	if (*s == ' ')		/* "Nov  6": classic syslogd pads with space */
		s++;
	if (end - s < 10 || (unsigned)(*s - '0') > 9)
		return NULL;
	day = *s++ - '0';
	if ((unsigned)(*s - '0') <= 9)
		day = day * 10 + (*s++ - '0');
	if (day < 1 || day > 31 || *s++ != ' ')
		return NULL;
	st->day = day;
	st->year = 0;
	st->has_zone = false;
	st->offset_sec = 0;
	return parse_clock(s, end, st);
}

/*
 * parse_iso - "YYYY-MM-DDThh:mm:ss[.f][Z|+hh:mm|+hhmm|+hh]".  A space
 * instead of the T is accepted (RFC 3339 allows it); no zone means
 * local time.
 */
static const char *
parse_iso(const char *s, const char *end, struct stamp *st)
{
	int	hi, lo, hh, mm;

	if (end - s < 19 || s[4] != '-' || s[7] != '-' ||
	    (s[10] != 'T' && s[10] != ' '))
		return NULL;
	if ((hi = digit2(s)) < 0 || (lo = digit2(s + 2)) < 0)
		return NULL;
	st->year = hi * 100 + lo;
	st->month = digit2(s + 5);
	st->day = digit2(s + 8);
	if (st->year < 1 || st->month < 1 || st->month > 12 ||
	    st->day < 1 || st->day > civil_days_in_month(st->year, st->month))
		return NULL;
	if ((s = parse_clock(s + 11, end, st)) == NULL)
		return NULL;
	st->has_zone = false;
	st->offset_sec = 0;
	if (s < end && (*s == 'Z' || *s == 'z')) {
		st->has_zone = true;
		return s + 1;
	}
	if (s < end && (*s == '+' || *s == '-')) {
		int	sign = *s == '-' ? -1 : 1;

		if (end - s < 3 || (hh = digit2(s + 1)) < 0 || hh > 23)
			return NULL;
		s += 3;
		mm = 0;
		if (end - s >= 3 && *s == ':') {
			if ((mm = digit2(s + 1)) < 0)
				return NULL;
			s += 3;
		} else if (end - s >= 2 && (mm = digit2(s)) >= 0) {
			s += 2;
		} else
			mm = 0;
		if (mm > 59)
			return NULL;
		st->has_zone = true;
		st->offset_sec = sign * (hh * 3600 + mm * 60);
	}
	return s;
}

/*
 * nearest_year - the year that puts month closest to (year, month of
 * the anchor): December after a January anchor is the year before.
 */
static int
nearest_year(int anchor_year, int anchor_month, int month)
{
	int	diff = month - anchor_month;

	if (diff > 6)
		return anchor_year - 1;
	if (diff < -6)
		return anchor_year + 1;
	return anchor_year;
}

/*
 * A line in order this far past the reference says the first line's
 * year was one too many (a file read a year late); a day or two is a
 * relay's clock running ahead of the file's.
 */
#define PAST_REFERENCE_SEC	(7 * CIVIL_SECONDS_PER_DAY)

/*
 * after_reference - whether st, put in year, comes more than a day
 * after the reference (the file's mtime, or now): no file holds a line
 * written after the file was.  Never with a fixed year (--year): the
 * caller's word is taken over the file's time; nor once a line in order
 * was put PAST_REFERENCE_SEC after it: then the first line's year was
 * already one too many (last year's logs through a pipe, or copied
 * without their time), and a year kept one too many is better than
 * time running back a year at New Year.
 */
static bool
after_reference(struct syslog_parser *p, struct stamp *st, int year)
{
	if (p->fixed_year > 0 || p->past_reference)
		return false;
	st->year = year;
	return trial_epoch(p, st) > (int64_t)p->reference +
	    CIVIL_SECONDS_PER_DAY;
}

/*
 * place_year - give a RFC 3164 stamp its year (see the top of this
 * file) and update the tracking state.  False for a day that does not
 * exist in the inferred year; the state is then left alone.
 */
static bool
place_year(struct syslog_parser *p, struct stamp *st)
{
	int	year, track, month, diff;
	bool	pending = false, back = false;

	if (!p->year_known) {
		if (p->fixed_year > 0 && p->anchor_month > 0)
			year = nearest_year(p->fixed_year, p->anchor_month,
			    st->month);
		else if (p->fixed_year > 0)
			year = p->fixed_year;
		else {
			struct tm	ref;

			if (localtime_r(&p->reference, &ref) == NULL)
				return false;
			year = ref.tm_year + 1900;
			st->year = year;
			/* Feb 29 of a common year is read as Mar 1 */
			if (trial_epoch(p, st) >
			    (int64_t)p->reference + CIVIL_SECONDS_PER_DAY)
				year--;
		}
		month = st->month;
		track = year;
	} else {
		year = track = p->year;
		month = p->month;
		diff = st->month - p->month;
		if (diff < -6) {
			year++;
			if (after_reference(p, st, year))
				year--;		/* no New Year yet */
			else if (p->back_pending) {
				track = year;
				month = st->month;
			} else
				back = true;
		} else if (diff > 6) {
			if (after_reference(p, st, year))
				year--;		/* from before New Year */
			else if (p->jump_pending)
				month = st->month;
			else
				pending = true;
		} else
			month = st->month;
	}
	if (st->day > civil_days_in_month(year, st->month))
		return false;
	st->year = year;
	p->year_known = true;
	p->year = track;
	p->month = month;
	p->jump_pending = pending;
	p->back_pending = back;
	return true;
}

/* skip_rfc5424_sd - past STRUCTURED-DATA ("-" or "[id k="v"]..."), or NULL */
static const char *
skip_rfc5424_sd(const char *s, const char *end)
{
	if (s < end && *s == '-')
		return s + 1;
	if (s >= end || *s != '[')
		return NULL;
	while (s < end && *s == '[') {
		bool	quoted = false;

		for (s++; s < end; s++) {
			if (quoted && *s == '\\' && s + 1 < end)
				s++;
			else if (*s == '"')
				quoted = !quoted;
			else if (!quoted && *s == ']')
				break;
		}
		if (s >= end)
			return NULL;
		s++;
	}
	return s;
}

/* parse_pid - 1 to MAX_PID_DIGITS decimal digits, or -1 */
static int64_t
parse_pid(const char *s, size_t len)
{
	int64_t	v = 0;
	size_t	i;

	if (len == 0 || len > MAX_PID_DIGITS)
		return -1;
	for (i = 0; i < len; i++) {
		if ((unsigned)(s[i] - '0') > 9)
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/*
 * facpri_end - the end of the "facility.priority" at s: two runs of
 * lower-case letters and digits joined by a dot, names ("mail.info",
 * "local0.notice") or numbers ("2.6"), at most MAX_FACPRI_BYTES bytes
 * in all; or NULL.  The byte at the end is the caller's to read: when
 * the pair runs past the limit, it is a letter or a digit.
 */
static const char *
facpri_end(const char *s, const char *end)
{
	const char	*t, *dot = NULL;

	if (end - s > MAX_FACPRI_BYTES)
		end = s + MAX_FACPRI_BYTES;
	for (t = s; t < end; t++) {
		unsigned char	c = (unsigned char)*t;

		if ((unsigned)(c - 'a') <= 25 || (unsigned)(c - '0') <= 9)
			continue;
		if (c != '.' || dot != NULL || t == s)
			break;
		dot = t;
	}
	return dot != NULL && t > dot + 1 ? t : NULL;
}

/*
 * skip_msgid - past the "[ID 801593 mail.info] " that Solaris syslogd
 * (with message IDs on) puts in front of each message: "[ID ", 1 to
 * MAX_MSGID_DIGITS digits, a space, the facility and level as
 * facpri_end() reads them and "] ".  s itself when that is not there.
 */
static const char *
skip_msgid(const char *s, const char *end)
{
	const char	*t, *digits = s + 4;

	if (end - s < 4 || memcmp(s, "[ID ", 4) != 0)
		return s;
	for (t = digits; t < end && t - digits < MAX_MSGID_DIGITS &&
	    (unsigned)(*t - '0') <= 9; t++)
		continue;
	if (t == digits || t >= end || *t != ' ' ||
	    (t = facpri_end(t + 1, end)) == NULL || end - t < 2 ||
	    t[0] != ']' || t[1] != ' ')
		return s;
	return t + 2;
}

/*
 * parse_rfc5424_rest - after APP-NAME: "PROCID MSGID SD [MSG]" of a
 * genuine RFC 5424 line (a non-numeric PROCID gives pid -1).
 */
static bool
parse_rfc5424_rest(const char *s, const char *end, struct syslog_header *hdr)
{
	const char	*t;

	if ((t = memchr(s, ' ', (size_t)(end - s))) == NULL || t == s)
		return false;
	hdr->pid = parse_pid(s, (size_t)(t - s));
	s = t + 1;
	if ((t = memchr(s, ' ', (size_t)(end - s))) == NULL || t == s)
		return false;
	if ((s = skip_rfc5424_sd(t + 1, end)) == NULL)
		return false;
	if (s < end && *s++ != ' ')
		return false;
	/* A UTF-8 byte order mark may open MSG (RFC 5424 section 6.4). */
	if (end - s >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0)
		s += 3;
	hdr->message = zstr_make(s, (size_t)(end - s));
	return true;
}

/*
 * split_program - where the instance (first '/' part) and the service
 * (last part) of a program name lie: the instance is the first
 * *instance_len bytes, the service runs from *service_off to the end.
 */
static void
split_program(const char *s, size_t len, size_t *instance_len,
    size_t *service_off)
{
	size_t	first, last;

	/* The last '/' is near the end: look for it from there. */
	first = (size_t)(scan_find(s, s + len, '/') - s);
	*instance_len = first;
	*service_off = 0;
	if (first < len) {
		for (last = len - 1; s[last] != '/'; last--)
			continue;
		*service_off = last + 1;
	}
}

/*
 * tag_lookup - the remembered tag whose bytes open s, or NULL.  An
 * entry holds a host, its space, a program and the byte that ended
 * the program ('[', ':' or a space).  find_tag() ends the host at the
 * first space or control byte and the program at the first '[', ':',
 * space or control byte; the entry has none of those before the ends
 * it records, so on the same bytes the scans stop at the same places,
 * and how a program splits depends on its bytes alone.
 */
static const struct tag_entry *
tag_lookup(struct syslog_parser *p, const char *s, const char *end)
{
	const struct tag_entry *e = &p->tags[p->tag_hit];
	size_t		 avail = (size_t)(end - s);
	unsigned	 i;

	/* Unused entries are longer than any line. */
	if (e->len <= avail && scan_same(s, e->raw, e->len))
		return e;
	for (i = 0; i < TAG_CACHE_ENTRIES; i++) {
		e = &p->tags[i];
		if (i != p->tag_hit && e->len <= avail &&
		    scan_same(s, e->raw, e->len)) {
			p->tag_hit = i;
			return e;
		}
	}
	return NULL;
}

/*
 * tag_remember - keep the tag of len bytes at s (see tag_lookup()) in
 * place of the entry filled longest ago; a tag too long to keep is not
 * kept.
 */
static void
tag_remember(struct syslog_parser *p, const char *s, size_t len,
    size_t host_len, size_t program_len, size_t instance_len,
    size_t service_off)
{
	struct tag_entry *e;

	if (len > TAG_CACHE_BYTES)
		return;
	e = &p->tags[p->tag_next];
	memcpy(e->raw, s, len);
	e->len = len;
	e->host_len = (uint32_t)host_len;
	e->program_len = (uint32_t)program_len;
	e->instance_len = (uint32_t)instance_len;
	e->service_off = (uint32_t)service_off;
	p->tag_hit = p->tag_next;
	p->tag_next = (p->tag_next + 1) % TAG_CACHE_ENTRIES;
}

/*
 * find_tag - the host (up to a space) and the program (up to '[', ':'
 * or a space) at s; the byte that ended the program, or NULL when
 * either is empty, holds a control byte or runs to the end.
 */
static const char *
find_tag(const char *s, const char *end, struct zstr *host,
    struct zstr *program)
{
	const char	*t;

	t = scan_find3_ctl(s, end, ' ', ' ', ' ');
	if (t == s || t >= end || *t != ' ')
		return NULL;
	*host = zstr_make(s, (size_t)(t - s));
	s = t + 1;
	t = scan_find3_ctl(s, end, '[', ':', ' ');
	if (t == s || t >= end || scan_is_ctl((unsigned char)*t))
		return NULL;
	*program = zstr_make(s, (size_t)(t - s));
	return t;
}

/*
 * parse_tag - host, program[pid] and message (less a Solaris message
 * ID, skip_msgid()).  RFC 3164 section 4.1.3 ends the TAG at any
 * non-alphanumeric character; in practice it is "prog[pid]: ",
 * "prog: " or, for a few writers (classic syslogd's "last message
 * repeated"), a space.
 */
static bool
parse_tag(struct syslog_parser *p, const char *s, const char *end,
    bool rfc5424, struct syslog_header *hdr)
{
	const struct tag_entry *e;
	const char	*h = s, *t;
	size_t		 instance_len, service_off;

	if (p->caching && (e = tag_lookup(p, s, end)) != NULL) {
		t = s + e->host_len + 1;
		hdr->host = zstr_make(s, e->host_len);
		hdr->program = zstr_make(t, e->program_len);
		instance_len = e->instance_len;
		service_off = e->service_off;
		s = t + e->program_len;
	} else {
		if ((s = find_tag(s, end, &hdr->host, &hdr->program)) == NULL)
			return false;
		t = hdr->program.ptr;
		split_program(t, hdr->program.len, &instance_len,
		    &service_off);
		if (p->caching)
			tag_remember(p, h, (size_t)(s + 1 - h), hdr->host.len,
			    hdr->program.len, instance_len, service_off);
	}
	hdr->instance = zstr_make(t, instance_len);
	hdr->service = zstr_make(t + service_off,
	    hdr->program.len - service_off);
	hdr->pid = -1;
	if (*s == ' ') {
		if (rfc5424)
			return parse_rfc5424_rest(s + 1, end, hdr);
		s++;
	} else {
		if (*s == '[') {
			int64_t	pid = -1;
			size_t	n;

			/* Digits, then "]": a pid as parse_pid() takes it. */
			n = scan_digits(++s, end, &pid);
			s += n;
			if (n == 0 || n > MAX_PID_DIGITS || s >= end ||
			    *s != ']')
				return false;
			hdr->pid = pid;
			if (++s >= end || *s != ':')
				return false;
		}
		s++;			/* the colon */
		if (s < end && *s == ' ')
			s++;
		/* Solaris: "[ID 801593 mail.info] " opens the message. */
		if (s < end && *s == '[')
			s = skip_msgid(s, end);
	}
	hdr->message = zstr_make(s, (size_t)(end - s));
	return true;
}

/*
 * stamp_repeats - whether the line's stamp, at s, has the bytes of the
 * last good line's (with the space after it), so that it gives the
 * same time.  Reading a stamp looks at its own bytes and the one after
 * it, nothing else of the line.  Its time is the same for an ISO stamp;
 * for a RFC 3164 stamp the year inference finds no change of month
 * from the last good line, whose month it tracks (remember_stamp()
 * keeps no stamp that leaves a jump pending), so the year and the
 * state stay as they are.  Malformed lines change no state, and every
 * good line replaces or forgets the stamp.  A RFC 5424 line takes only
 * ISO stamps.
 */
static bool
stamp_repeats(const struct syslog_parser *p, const char *s,
    const char *end, bool rfc5424)
{
	return p->stamp_len != 0 && (size_t)(end - s) >= p->stamp_len &&
	    (p->stamp_iso || !rfc5424) &&
	    scan_same(s, p->stamp_raw, p->stamp_len);
}

/* remember_stamp - the stamp of a good line, len bytes at s, or none */
static void
remember_stamp(struct syslog_parser *p, const char *s, size_t len,
    bool iso, const struct syslog_header *hdr)
{
	if (!p->caching || len > STAMP_CACHE_BYTES ||
	    (!iso && (p->jump_pending || p->back_pending))) {
		p->stamp_len = 0;
		return;
	}
	memcpy(p->stamp_raw, s, len);
	p->stamp_len = len;
	p->stamp_iso = iso;
	p->stamp_sec = hdr->time_sec;
	p->stamp_usec = hdr->time_usec;
}

/*
 * skip_pri - past an optional "<PRI>" and the RFC 5424 version "1 "
 * after it (then *rfc5424 is set); NULL when the PRI is malformed
 */
static const char *
skip_pri(const char *s, const char *end, bool *rfc5424)
{
	int	pri = 0, n = 0;

	*rfc5424 = false;
	if (s >= end || *s != '<')
		return s;
	for (s++; s < end && (unsigned)(*s - '0') <= 9 && n < 3; s++) {
		pri = pri * 10 + (*s - '0');
		n++;
	}
	if (n == 0 || pri > MAX_PRI || s >= end || *s++ != '>')
		return NULL;
	if (end - s >= 2 && s[0] == '1' && s[1] == ' ') {
		*rfc5424 = true;
		s += 2;
	}
	return s;
}

/*
 * skip_facpri - past the "<facility.priority> " before the host that
 * FreeBSD and NetBSD syslogd write when run with -v (numbers, "<2.6> ")
 * or -vv (names, "<mail.info> "; a number for a value without a name),
 * as facpri_end() reads them; s, a '<', itself when that is not there.
 * Only the bytes up to the prefix's space decide; a host that opens
 * with '<' without making such a prefix is left as the host.
 */
static const char *
skip_facpri(const char *s, const char *end)
{
	const char	*t = facpri_end(s + 1, end);

	if (t == NULL || end - t < 2 || t[0] != '>' || t[1] != ' ')
		return s;
	return t + 2;
}

/*
 * read_stamp - the stamp at s into *st; past the space after it, or
 * NULL.  A RFC 5424 line takes only ISO stamps.
 */
static const char *
read_stamp(const char *s, const char *end, bool rfc5424, struct stamp *st)
{
	memset(st, 0, sizeof(*st));
	if (s < end && (unsigned)(*s - '0') <= 9)
		s = parse_iso(s, end, st);
	else if (!rfc5424)
		s = parse_rfc3164(s, end, st);
	else
		s = NULL;
	if (s == NULL || s >= end || *s != ' ')
		return NULL;
	return s + 1;
}

/* syslog_program - the program a header names, and nothing more */
bool
syslog_program(struct syslog_parser *p, const char *line, size_t len,
    struct zstr *program)
{
	const char	*s = line, *end = line + len;
	struct stamp	 st;
	struct zstr	 host;
	bool		 rfc5424;

	/*
	 * As syslog_parse() reads them, without time or year.  Whether a
	 * stamp reads depends on its bytes, the one after it and whether
	 * the line is RFC 5424's (see stamp_repeats()), so a repeat of the
	 * last one read here is not read again.
	 */
	if ((s = skip_pri(s, end, &rfc5424)) == NULL)
		return false;
	if (stamp_repeats(p, s, end, rfc5424))
		s += p->stamp_len;
	else if (p->shape_len != 0 && (size_t)(end - s) >= p->shape_len &&
	    p->shape_rfc5424 == rfc5424 &&
	    scan_same(s, p->shape_raw, p->shape_len))
		s += p->shape_len;
	else {
		const char	*stamp = s;

		if ((s = read_stamp(s, end, rfc5424, &st)) == NULL)
			return false;
		p->shape_len = 0;
		if (p->caching && (size_t)(s - stamp) <= STAMP_CACHE_BYTES) {
			p->shape_len = (size_t)(s - stamp);
			p->shape_rfc5424 = rfc5424;
			memcpy(p->shape_raw, stamp, p->shape_len);
		}
	}
	if (s < end && *s == '<' && !rfc5424)
		s = skip_facpri(s, end);
	return find_tag(s, end, &host, program) != NULL;
}

/* syslog_program_first - see syslog.h */
int
syslog_program_first(const char *line, size_t len)
{
	const char	*s, *end, *host;

	/*
	 * A digit opens no "<PRI>", so no RFC 5424 version either, and a
	 * stamp opening with a digit is read by parse_iso().  That reads
	 * 19 bytes, then a fraction or a zone only at a '.', ',', 'Z',
	 * 'z', '+' or '-': with a space as the 20th byte, the stamp, if
	 * its values read at all, ends there, and read_stamp() goes past
	 * the space.  (The stamp caches of syslog_program() hold bytes
	 * that read so; they end at the same place.)  A line that is not
	 * RFC 5424's may have "<facility.priority> " next, which
	 * skip_facpri() passes on its bytes alone.  find_tag() then ends
	 * the host at its first space or control byte: a host that is
	 * empty, runs to the end or ends at a control byte gives no
	 * program, else the program opens after the space (and is empty,
	 * so none, when that byte ends it).
	 */
	if (line == NULL || len < 20 || (unsigned)(line[0] - '0') > 9 ||
	    line[19] != ' ')
		return SYSLOG_PROGRAM_UNKNOWN;
	end = line + len;
	host = line + 20;
	if (host < end && *host == '<')
		host = skip_facpri(host, end);
	s = scan_find3_ctl(host, end, ' ', ' ', ' ');
	if (s == host || end - s < 2 || *s != ' ')
		return SYSLOG_NO_PROGRAM;
	return (unsigned char)s[1];
}

/* syslog_parse - split one line into its header and message */
enum syslog_status
syslog_parse(struct syslog_parser *p, const char *line, size_t len,
    struct syslog_header *hdr)
{
	const char	*s = line, *end = line + len, *stamp, *tag;
	struct stamp	 st;
	bool		 rfc5424, repeat;

	if ((s = skip_pri(s, end, &rfc5424)) == NULL)
		goto bad;
	/*
	 * One call of parse_tag() for both kinds of stamp, so that it is
	 * compiled in place: its entry and exit cost a good part of its
	 * work on a line whose tag is remembered.
	 */
	stamp = s;
	if ((repeat = stamp_repeats(p, s, end, rfc5424)))
		s += p->stamp_len;
	else if ((s = read_stamp(s, end, rfc5424, &st)) == NULL)
		goto bad;
	/*
	 * BSD syslogd -v: "<facility.priority> " before the host.  It is
	 * passed by its bytes alone, before the remembered tags are
	 * looked at, so the tag is read from the same place whether tags
	 * are remembered or not.
	 */
	tag = s;
	if (tag < end && *tag == '<' && !rfc5424)
		tag = skip_facpri(tag, end);
	if (!parse_tag(p, tag, end, rfc5424, hdr))
		goto bad;
	if (repeat) {
		hdr->time_sec = p->stamp_sec;
		hdr->time_usec = p->stamp_usec;
		hdr->year_logged = p->stamp_iso;
		return SYSLOG_OK;
	}
	hdr->year_logged = st.year != 0;
	/* Only a complete header may move the year-inference state. */
	if (st.year == 0) {
		if (!place_year(p, &st))
			goto bad;
		hdr->time_sec = local_epoch(p, &st);
		if (hdr->time_sec > (int64_t)p->reference +
		    PAST_REFERENCE_SEC)
			p->past_reference = true;
	} else if (st.has_zone)
		hdr->time_sec = civil_utc(st.year, st.month, st.day, st.hour,
		    st.min, st.sec) - st.offset_sec;
	else
		hdr->time_sec = local_epoch(p, &st);
	hdr->time_usec = st.usec;
	/* ISO stamps open with a digit, RFC 3164 ones with a month. */
	remember_stamp(p, stamp, (size_t)(s - stamp),
	    (unsigned)(*stamp - '0') <= 9, hdr);
	return SYSLOG_OK;

bad:
	memset(hdr, 0, sizeof(*hdr));
	hdr->pid = -1;
	return SYSLOG_MALFORMED;
}
