/*
 * check_syslog - unit tests for parsers/syslog: both framings, time
 * zones, year inference and malformed headers.
 *
 * Expected times were computed independently with date(1), e.g.
 * date -u -d '2026-11-26 21:31:55' +%s.
 */
#include "config.h"

#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "parsers/syslog.h"
#include "util/xalloc.h"
#include "util/zstr.h"

#define T_2026_11_26_213155	INT64_C(1795728715)

/* One line parsed by a fresh parser with year 2026 (TZ=UTC). */
struct header_case {
	const char	*line;
	int64_t		 time_sec;
	uint32_t	 usec;
	const char	*host;
	const char	*program;
	const char	*service;
	const char	*instance;
	int64_t		 pid;
	const char	*message;
};

static const struct header_case header_cases[] = {
	{ "Nov 26 21:31:55 relay1 postfix/smtpd[123]: connect from "
	    "x.example.net[192.0.2.1]", T_2026_11_26_213155, 0, "relay1",
	    "postfix/smtpd", "smtpd", "postfix", 123,
	    "connect from x.example.net[192.0.2.1]" },
	/* classic syslogd pads one-digit days with a space */
	{ "Nov  6 01:02:03 relay1 postfix/qmgr[7]: 4B1F2C0A3D: removed",
	    INT64_C(1793926923), 0, "relay1", "postfix/qmgr", "qmgr",
	    "postfix", 7, "4B1F2C0A3D: removed" },
	{ "Nov 06 01:02:03 relay1 postfix/qmgr[7]: x",
	    INT64_C(1793926923), 0, "relay1", "postfix/qmgr", "qmgr",
	    "postfix", 7, "x" },
	/* and some writers use a single space */
	{ "Mar 7 02:09:33 mx2 postfix/smtpd[27246]: x",
	    INT64_C(1772849373), 0, "mx2", "postfix/smtpd", "smtpd",
	    "postfix", 27246, "x" },
	/* no pid */
	{ "Nov 26 21:31:55 relay1 CRON: (root) CMD (true)",
	    T_2026_11_26_213155, 0, "relay1", "CRON", "CRON", "CRON", -1,
	    "(root) CMD (true)" },
	{ "Nov 26 21:31:55 relay1 postfix/postfix-script: starting",
	    T_2026_11_26_213155, 0, "relay1", "postfix/postfix-script",
	    "postfix-script", "postfix", -1, "starting" },
	/* PRI prefix */
	{ "<22>Nov 26 21:31:55 relay1 postfix/smtp[9]: m",
	    T_2026_11_26_213155, 0, "relay1", "postfix/smtp", "smtp",
	    "postfix", 9, "m" },
	/* ISO 8601 stamps with fractions and offsets */
	{ "2026-11-26T21:31:55.123456+01:00 relay1 "
	    "postfix/submission/smtpd[42]: m", T_2026_11_26_213155 - 3600,
	    123456, "relay1", "postfix/submission/smtpd", "smtpd",
	    "postfix", 42, "m" },
	{ "2026-11-26T21:31:55Z relay1 postfix-out/smtp[5]: m",
	    T_2026_11_26_213155, 0, "relay1", "postfix-out/smtp", "smtp",
	    "postfix-out", 5, "m" },
	{ "2026-11-26T21:31:55-05:00 relay1 p[1]: m",
	    T_2026_11_26_213155 + 5 * 3600, 0, "relay1", "p", "p", "p", 1,
	    "m" },
	{ "2026-11-26T21:31:55+0100 relay1 p[1]: m",
	    T_2026_11_26_213155 - 3600, 0, "relay1", "p", "p", "p", 1, "m" },
	{ "2026-11-26T21:31:55.5-0530 relay1 p[1]: m",
	    T_2026_11_26_213155 + 5 * 3600 + 1800, 500000, "relay1", "p",
	    "p", "p", 1, "m" },
	{ "2026-11-26T21:31:55.1234567891+00 relay1 p[1]: m",
	    T_2026_11_26_213155, 123456, "relay1", "p", "p", "p", 1, "m" },
	{ "2022-04-14T00:36:03.150Z mailhub postfix/smtps/smtpd[30543]: m",
	    INT64_C(1649896563), 150000, "mailhub", "postfix/smtps/smtpd",
	    "smtpd", "postfix", 30543, "m" },
	/* no zone: local time, UTC in this test */
	{ "2026-11-26T21:31:55 relay1 p[1]: m", T_2026_11_26_213155, 0,
	    "relay1", "p", "p", "p", 1, "m" },
	{ "2026-11-26 21:31:55 relay1 p[1]: m", T_2026_11_26_213155, 0,
	    "relay1", "p", "p", "p", 1, "m" },
	/* RFC 5424 version prefix in front of a classic tag */
	{ "<34>1 2026-11-26T21:31:55.000001Z relay1 postfix-out/smtp[77]: m",
	    T_2026_11_26_213155, 1, "relay1", "postfix-out/smtp", "smtp",
	    "postfix-out", 77, "m" },
	/* genuine RFC 5424: PROCID, MSGID, structured data, BOM */
	{ "<34>1 2026-11-26T21:31:55Z relay1 postfix/smtpd 123 - - "
	    "connect from a[192.0.2.9]", T_2026_11_26_213155, 0, "relay1",
	    "postfix/smtpd", "smtpd", "postfix", 123,
	    "connect from a[192.0.2.9]" },
	{ "<165>1 2026-11-26T21:31:55Z relay1 app - ID47 "
	    "[ex@32473 iut=\"3\" src=\"a\\\"]b\"][more x=\"y\"] \xef\xbb\xbfhi",
	    T_2026_11_26_213155, 0, "relay1", "app", "app", "app", -1, "hi" },
	{ "<165>1 2026-11-26T21:31:55Z relay1 app 77 - -",
	    T_2026_11_26_213155, 0, "relay1", "app", "app", "app", 77, "" },
	/* empty message after the colon */
	{ "Nov 26 21:31:55 relay1 postfix/smtpd[123]:", T_2026_11_26_213155,
	    0, "relay1", "postfix/smtpd", "smtpd", "postfix", 123, "" },
	{ "Nov 26 21:31:55 relay1 postfix/smtpd[123]: ", T_2026_11_26_213155,
	    0, "relay1", "postfix/smtpd", "smtpd", "postfix", 123, "" },
	/* IPv6 and brackets in the message are the message's business */
	{ "Nov 26 21:31:55 relay1 postfix/smtpd[123]: connect from "
	    "unknown[2001:db8::1]:25", T_2026_11_26_213155, 0, "relay1",
	    "postfix/smtpd", "smtpd", "postfix", 123,
	    "connect from unknown[2001:db8::1]:25" },
	/* RFC 3164 TAG ended by a space (classic syslogd) */
	{ "Nov 26 21:31:55 relay1 last message repeated 3 times",
	    T_2026_11_26_213155, 0, "relay1", "last", "last", "last", -1,
	    "message repeated 3 times" },
	/* multi-instance and service-prefixed program names */
	{ "Nov 26 21:31:55 relay1 postfix-smo/submission/smtpd[22427]: m",
	    T_2026_11_26_213155, 0, "relay1", "postfix-smo/submission/smtpd",
	    "smtpd", "postfix-smo", 22427, "m" },
	/* a leap second counts as the next minute's first */
	{ "Dec 31 23:59:60 relay1 p[1]: m", INT64_C(1798761600), 0,
	    "relay1", "p", "p", "p", 1, "m" },
	/* fractional seconds after a classic stamp */
	{ "Nov 26 21:31:55.25 relay1 p[1]: m", T_2026_11_26_213155, 250000,
	    "relay1", "p", "p", "p", 1, "m" },
	/* UTF-8 host names pass through */
	{ "Nov 26 21:31:55 r\xc3\xa9lais p[1]: m", T_2026_11_26_213155, 0,
	    "r\xc3\xa9lais", "p", "p", "p", 1, "m" },
	/* the largest pid accepted */
	{ "Nov 26 21:31:55 relay1 p[999999999999999999]: m",
	    T_2026_11_26_213155, 0, "relay1", "p", "p", "p",
	    INT64_C(999999999999999999), "m" },
};

/* Lines that are not syslog headers. */
static const char *const malformed_cases[] = {
	"",
	"garbage",
	"hello world: this is not syslog",
	"Foo 26 21:31:55 relay1 p[1]: m",		/* bad month */
	"nov 26 21:31:55 relay1 p[1]: m",		/* lower case */
	"Nov 26 25:31:55 relay1 p[1]: m",		/* hour 25 */
	"Nov 26 21:61:55 relay1 p[1]: m",		/* minute 61 */
	"Nov 26 21:31:61 relay1 p[1]: m",		/* second 61 */
	"Nov 32 21:31:55 relay1 p[1]: m",		/* day 32 */
	"Nov 00 21:31:55 relay1 p[1]: m",		/* day 0 */
	"Nov 31 21:31:55 relay1 p[1]: m",		/* November 31 */
	"Nov 26 21:31",					/* truncated */
	"Nov 26 21:31:55",
	"Nov 26 21:31:55 ",
	"Nov 26 21:31:55 relay1",
	"Nov 26 21:31:55 relay1 ",
	"Nov 26 21:31:55 relay1 postfix/smt",		/* tag cut short */
	"Nov 26 21:31:55 relay1 postfix/smtpd[12",
	"Nov 26 21:31:55 relay1 postfix/smtpd[]: m",
	"Nov 26 21:31:55 relay1 postfix/smtpd[abc]: m",
	"Nov 26 21:31:55 relay1 postfix/smtpd[-1]: m",
	"Nov 26 21:31:55 relay1 postfix/smtpd[123] m",	/* no colon */
	"Nov 26 21:31:55 relay1 postfix/smtpd[9999999999999999999]: m",
	"Nov 26 21:31:55 relay1 [123]: m",		/* no program */
	"Nov 26 21:31:55 relay1 : m",
	"Nov 26 21:31:55  relay1 p[1]: m",		/* no host */
	"Nov 26 21:31:55 relay1 p\x01x[1]: m",		/* control byte */
	"Nov 26 21:31:55 re\tlay1 p[1]: m",
	"Nov 26 21:31:55.x relay1 p[1]: m",		/* empty fraction */
	"Nov 2621:31:55 relay1 p[1]: m",
	"<999>Nov 26 21:31:55 relay1 p[1]: m",		/* PRI > 191 */
	"<1234>Nov 26 21:31:55 relay1 p[1]: m",
	"<>Nov 26 21:31:55 relay1 p[1]: m",
	"<13",
	"<13>",
	"<13>1 Nov 26 21:31:55 relay1 p[1]: m",		/* 5424 needs ISO */
	"<13>1 2026-11-26T21:31:55Z relay1 app",	/* 5424 cut short */
	"<13>1 2026-11-26T21:31:55Z relay1 app 1 - [x a=\"]",
	"<13>1 2026-11-26T21:31:55Z relay1 app 1 - junk msg",
	"2026-13-01T00:00:00Z relay1 p[1]: m",		/* month 13 */
	"2026-02-29T00:00:00Z relay1 p[1]: m",		/* not a leap year */
	"2026-11-26T21:31:55+25:00 relay1 p[1]: m",	/* offset */
	"2026-11-26T21:31:55+01:75 relay1 p[1]: m",
	"2026-11-26T21:31:55. relay1 p[1]: m",
	"2026-11-26X21:31:55Z relay1 p[1]: m",
	"2026-11-26T21:31:55Zrelay1 p[1]: m",
	"0000-01-01T00:00:00Z relay1 p[1]: m",
	"2026-1-26T21:31:55Z relay1 p[1]: m",
	"2026-11-26T21:31",
	"26 Nov 2026 21:31:55 relay1 p[1]: m",
};

/* zeq - zstr equals C string (and is set) */
static int
zeq(struct zstr z, const char *s)
{
	return z.ptr != NULL && zstr_eq_cstr(z, s);
}

START_TEST(test_header_table)
{
	const struct header_case *c = &header_cases[_i];
	struct syslog_parser *p = syslog_parser_new(2026, 0);
	struct syslog_header h;

	ck_assert_msg(syslog_parse(p, c->line, strlen(c->line), &h) ==
	    SYSLOG_OK, "case %d: not parsed: %s", _i, c->line);
	ck_assert_msg(h.time_sec == c->time_sec, "case %d: time %lld != %lld",
	    _i, (long long)h.time_sec, (long long)c->time_sec);
	ck_assert_uint_eq(h.time_usec, c->usec);
	ck_assert_msg(zeq(h.host, c->host), "case %d: host '%.*s'", _i,
	    (int)h.host.len, h.host.ptr);
	ck_assert_msg(zeq(h.program, c->program), "case %d: program '%.*s'",
	    _i, (int)h.program.len, h.program.ptr);
	ck_assert_msg(zeq(h.service, c->service), "case %d: service '%.*s'",
	    _i, (int)h.service.len, h.service.ptr);
	ck_assert_msg(zeq(h.instance, c->instance),
	    "case %d: instance '%.*s'", _i, (int)h.instance.len,
	    h.instance.ptr);
	ck_assert_int_eq(h.pid, c->pid);
	ck_assert_msg(zeq(h.message, c->message), "case %d: message '%.*s'",
	    _i, (int)h.message.len, h.message.ptr);
	syslog_parser_free(p);
}
END_TEST

START_TEST(test_malformed_table)
{
	const char	*line = malformed_cases[_i];
	struct syslog_parser *p = syslog_parser_new(2026, 0);
	struct syslog_header h;

	ck_assert_msg(syslog_parse(p, line, strlen(line), &h) ==
	    SYSLOG_MALFORMED, "case %d accepted: %s", _i, line);
	/* nothing half-filled is left behind */
	ck_assert_ptr_null(h.host.ptr);
	ck_assert_ptr_null(h.message.ptr);
	ck_assert_int_eq(h.pid, -1);
	syslog_parser_free(p);
}
END_TEST

/* A line must not be read past its length (no terminator relied on). */
START_TEST(test_length_respected)
{
	const char	*full = "Nov 26 21:31:55 relay1 postfix/smtpd[123]: x";
	char		*copy = xmemdup0(full, strlen(full));
	struct syslog_parser *p = syslog_parser_new(2026, 0);
	struct syslog_header h;
	size_t		 n;

	/* every proper prefix up to the colon is malformed */
	for (n = 0; n < strlen(full) - 3; n++)
		ck_assert_msg(syslog_parse(p, copy, n, &h) == SYSLOG_MALFORMED,
		    "prefix %zu accepted", n);
	ck_assert(syslog_parse(p, copy, strlen(full) - 2, &h) == SYSLOG_OK);
	ck_assert_uint_eq(h.message.len, 0);
	free(copy);
	syslog_parser_free(p);
}
END_TEST

/* One parser, a sequence of lines, each with its expected time. */
struct seq_line {
	const char	*stamp;		/* "Dec 31 23:59:59"; NULL ends */
	int64_t		 time_sec;	/* -1: malformed */
};

/* run_seq - feed "stamp relay1 p[1]: m" lines, check each time */
static void
run_seq(int year, time_t reference, const struct seq_line *seq)
{
	struct syslog_parser *p = syslog_parser_new(year, reference);
	struct syslog_header h;
	char		 line[128];
	int		 i, n;

	for (i = 0; seq[i].stamp != NULL; i++) {
		n = snprintf(line, sizeof(line), "%s relay1 p[1]: m",
		    seq[i].stamp);
		if (seq[i].time_sec < 0) {
			ck_assert_msg(syslog_parse(p, line, (size_t)n, &h) ==
			    SYSLOG_MALFORMED, "line %d accepted", i);
			continue;
		}
		ck_assert_msg(syslog_parse(p, line, (size_t)n, &h) ==
		    SYSLOG_OK, "line %d malformed", i);
		ck_assert_msg(h.time_sec == seq[i].time_sec,
		    "line %d (%s): %lld != %lld", i, seq[i].stamp,
		    (long long)h.time_sec, (long long)seq[i].time_sec);
	}
	syslog_parser_free(p);
}

START_TEST(test_rollover_fixed_year)
{
	static const struct seq_line seq[] = {
		{ "Dec 31 23:59:59", INT64_C(1767225599) },	/* 2025 */
		{ "Jan  1 00:00:00", INT64_C(1767225600) },	/* 2026 */
		{ "Jan  1 00:00:01", INT64_C(1767225601) },
		{ NULL, 0 }
	};

	run_seq(2025, 0, seq);
}
END_TEST

/* first_time - time of one line through a parser anchored at (y, m) */
static int64_t
first_time(int year, int month, const char *stamp)
{
	struct syslog_parser *p = syslog_parser_new(year, 0);
	struct syslog_header h;
	char		 line[128];
	int		 n;

	syslog_parser_set_anchor(p, year, month);
	n = snprintf(line, sizeof(line), "%s relay1 p[1]: m", stamp);
	ck_assert(syslog_parse(p, line, (size_t)n, &h) == SYSLOG_OK);
	syslog_parser_free(p);
	return h.time_sec;
}

START_TEST(test_anchor_nearest_year)
{
	/* The next rotated file after a December 2025 line: January 2026. */
	ck_assert_int_eq(first_time(2025, 12, "Jan  1 00:00:00"),
	    INT64_C(1767225600));
	/* The next relay's file after a January 2026 line: December 2025. */
	ck_assert_int_eq(first_time(2026, 1, "Dec 31 23:59:59"),
	    INT64_C(1767225599));
	/* Same part of the year: the anchor's own year. */
	ck_assert_int_eq(first_time(2026, 1, "Jan  1 00:00:00"),
	    INT64_C(1767225600));
	/* Out-of-range anchors are ignored: the fixed year stands. */
	ck_assert_int_eq(first_time(2026, 13, "Jan  1 00:00:00"),
	    INT64_C(1767225600));
}
END_TEST

START_TEST(test_rollover_reference)
{
	/* mtime 2026-01-02 12:00 UTC: December lines are from 2025 */
	static const struct seq_line seq[] = {
		{ "Dec 31 23:59:59", INT64_C(1767225599) },
		{ "Jan  1 00:00:01", INT64_C(1767225601) },
		{ NULL, 0 }
	};

	run_seq(0, (time_t)INT64_C(1767355200), seq);
}
END_TEST

START_TEST(test_reference_one_day)
{
	/* a stamp up to a day after the reference stays in its year */
	static const struct seq_line within[] = {
		{ "Nov 26 21:31:55", T_2026_11_26_213155 },
		{ NULL, 0 }
	};
	/* more than a day after: the year before */
	static const struct seq_line after[] = {
		{ "Nov 26 21:31:55", INT64_C(1764192715) },
		{ NULL, 0 }
	};

	run_seq(0, (time_t)(T_2026_11_26_213155 - 86400), within);
	run_seq(0, (time_t)INT64_C(1795564800), after);	/* 2026-11-25 */
}
END_TEST

START_TEST(test_reference_now)
{
	struct syslog_parser *p = syslog_parser_new(0, 0);
	struct syslog_header h;
	struct tm	 tm;
	time_t		 now = time(NULL);
	char		 line[64];
	int		 n;

	/* a stamp for right now lands within a few seconds of now */
	gmtime_r(&now, &tm);
	n = (int)strftime(line, sizeof(line), "%b %d %H:%M:%S r p: m", &tm);
	ck_assert_int_gt(n, 0);
	ck_assert(syslog_parse(p, line, (size_t)n, &h) == SYSLOG_OK);
	ck_assert_int_le(h.time_sec, (int64_t)now);
	ck_assert_int_ge(h.time_sec, (int64_t)now - 5);
	syslog_parser_free(p);
}
END_TEST

START_TEST(test_no_backward_roll)
{
	/*
	 * A straggler from December inside January keeps the year and
	 * does not make the next January line a New Year.
	 */
	static const struct seq_line straggler[] = {
		{ "Jan  5 10:00:00", INT64_C(1767607200) },
		{ "Dec 30 10:00:00", INT64_C(1798624800) },
		{ "Jan  5 10:00:01", INT64_C(1767607201) },
		{ NULL, 0 }
	};
	/* two lines after a gap of months: tracking moves on */
	static const struct seq_line gap[] = {
		{ "Feb  1 00:00:00", INT64_C(1769904000) },
		{ "Oct  1 00:00:00", INT64_C(1790812800) },
		{ "Oct  2 00:00:00", INT64_C(1790899200) },
		{ "Jan  3 00:00:00", INT64_C(1798934400) },	/* 2027 */
		{ NULL, 0 }
	};

	run_seq(2026, 0, straggler);
	run_seq(2026, 0, gap);
}
END_TEST

START_TEST(test_feb29)
{
	/* from a reference in 2025 the leap day goes to 2024 */
	static const struct seq_line ref[] = {
		{ "Feb 29 12:00:00", INT64_C(1709208000) },
		{ NULL, 0 }
	};
	/* with --year 2025 there is no Feb 29; the state is untouched */
	static const struct seq_line fixed[] = {
		{ "Feb 29 12:00:00", -1 },
		{ "Mar  1 00:00:00", INT64_C(1740787200) },
		{ NULL, 0 }
	};
	static const struct seq_line leap[] = {
		{ "Feb 29 12:00:00", INT64_C(1835438400) },
		{ NULL, 0 }
	};

	run_seq(0, (time_t)INT64_C(1736467200), ref);	/* 2025-01-10 */
	run_seq(2025, 0, fixed);
	run_seq(2028, 0, leap);
}
END_TEST

START_TEST(test_malformed_keeps_state)
{
	struct syslog_parser *p = syslog_parser_new(2026, 0);
	struct syslog_header h;
	const char	*a = "Dec 31 23:00:00 relay1 p[1]: m";
	const char	*bad = "Jan  1 00:00:00 relay1";
	const char	*b = "Dec 31 23:30:00 relay1 p[1]: m";

	ck_assert(syslog_parse(p, a, strlen(a), &h) == SYSLOG_OK);
	ck_assert_int_eq(h.time_sec, INT64_C(1798758000));
	ck_assert(syslog_parse(p, bad, strlen(bad), &h) == SYSLOG_MALFORMED);
	ck_assert(syslog_parse(p, b, strlen(b), &h) == SYSLOG_OK);
	ck_assert_int_eq(h.time_sec, INT64_C(1798759800));
	syslog_parser_free(p);
}
END_TEST

START_TEST(test_iso_ignores_year_state)
{
	/* ISO stamps carry their year and do not start a rollover */
	static const struct seq_line seq[] = {
		{ "2026-12-31T23:00:00Z", INT64_C(1798758000) },
		{ "Jan  1 00:00:00", INT64_C(1767225600) },	/* --year */
		{ "2026-01-01T00:00:01Z", INT64_C(1767225601) },
		{ NULL, 0 }
	};

	run_seq(2026, 0, seq);
}
END_TEST

/* with_tz - run fn with TZ set to zone, restoring TZ afterwards */
static void
with_tz(const char *zone, void (*fn)(void))
{
	const char	*old = getenv("TZ");
	char		*saved = old != NULL ? xstrdup(old) : NULL;

	setenv("TZ", zone, 1);
	tzset();
	fn();
	if (saved != NULL) {
		setenv("TZ", saved, 1);
		free(saved);
	} else
		unsetenv("TZ");
	tzset();
}

/* berlin_checks - local conversions in Europe/Berlin */
static void
berlin_checks(void)
{
	static const struct seq_line summer[] = {
		{ "Jul  1 12:00:00", INT64_C(1782900000) },	/* CEST */
		{ "2026-07-01T12:00:00", INT64_C(1782900000) },
		{ "2026-07-01T12:00:00Z", INT64_C(1782907200) },
		{ NULL, 0 }
	};
	static const struct seq_line winter[] = {
		{ "Jan 15 12:00:00", INT64_C(1768474800) },	/* CET */
		{ NULL, 0 }
	};
	/* the spring-forward night: 02:00 CET becomes 03:00 CEST */
	static const struct seq_line spring[] = {
		{ "Mar 29 01:59:59", INT64_C(1774745999) },
		{ "Mar 29 03:00:00", INT64_C(1774746000) },
		{ NULL, 0 }
	};
	/* the fall-back morning: hours before and after the repeat */
	static const struct seq_line autumn[] = {
		{ "Oct 25 01:30:00", INT64_C(1792884600) },	/* CEST */
		{ "Oct 25 03:30:00", INT64_C(1792895400) },	/* CET */
		{ NULL, 0 }
	};

	run_seq(2026, 0, summer);
	run_seq(2026, 0, winter);
	run_seq(2026, 0, spring);
	run_seq(2026, 0, autumn);
}

START_TEST(test_tz_berlin)
{
	with_tz("Europe/Berlin", berlin_checks);
	/* and TZ is back to what the test runs with */
	ck_assert_str_eq(getenv("TZ") != NULL ? getenv("TZ") : "(unset)",
	    "UTC");
}
END_TEST

/* Many hours in sequence: the hour cache must follow every change. */
START_TEST(test_hour_cache)
{
	struct syslog_parser *p = syslog_parser_new(2026, 0);
	struct syslog_header h;
	char		 line[64];
	int		 day, hour, n;
	int64_t		 expect = INT64_C(1767225600) + 59 * 60 + 30;

	for (day = 1; day <= 3; day++) {
		for (hour = 0; hour < 24; hour++) {
			n = snprintf(line, sizeof(line),
			    "Jan %2d %02d:59:30 r p: m", day, hour);
			ck_assert(syslog_parse(p, line, (size_t)n, &h) ==
			    SYSLOG_OK);
			ck_assert_int_eq(h.time_sec, expect);
			expect += 3600;
		}
	}
	syslog_parser_free(p);
}
END_TEST

START_TEST(test_free_null)
{
	syslog_parser_free(NULL);
}
END_TEST

/* syslog_suite - all syslog tests */
static Suite *
syslog_suite(void)
{
	Suite	*s = suite_create("syslog");
	TCase	*tc = tcase_create("syslog");

	tcase_add_loop_test(tc, test_header_table, 0,
	    (int)(sizeof(header_cases) / sizeof(header_cases[0])));
	tcase_add_loop_test(tc, test_malformed_table, 0,
	    (int)(sizeof(malformed_cases) / sizeof(malformed_cases[0])));
	tcase_add_test(tc, test_length_respected);
	tcase_add_test(tc, test_rollover_fixed_year);
	tcase_add_test(tc, test_rollover_reference);
	tcase_add_test(tc, test_anchor_nearest_year);
	tcase_add_test(tc, test_reference_one_day);
	tcase_add_test(tc, test_reference_now);
	tcase_add_test(tc, test_no_backward_roll);
	tcase_add_test(tc, test_feb29);
	tcase_add_test(tc, test_malformed_keeps_state);
	tcase_add_test(tc, test_iso_ignores_year_state);
	tcase_add_test(tc, test_tz_berlin);
	tcase_add_test(tc, test_hour_cache);
	tcase_add_test(tc, test_free_null);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr;
	int	 failed;

	/* The expected times assume UTC, whatever the caller's TZ. */
	setenv("TZ", "UTC", 1);
	tzset();
	sr = srunner_create(syslog_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
