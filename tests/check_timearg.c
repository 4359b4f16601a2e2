/*
 * check_timearg - unit tests for util/timearg: ISO dates and times
 * with and without zones, today/yesterday/now, durations, the local
 * zone (TZ, with summer time), and rejected text.
 */
#include "config.h"

#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/timearg.h"
#include "tests/testutil.h"

/* 2026-11-25T06:00:30Z, a Wednesday */
#define NOW	((time_t)1795586430)

/* A POSIX TZ rule for central Europe, so no zone database is needed. */
#define CET_RULE	"CET-1CEST,M3.5.0,M10.5.0/3"

struct good_case {
	const char	*tz;
	const char	*text;
	int64_t		 sec;
};

static const struct good_case good_cases[] = {
	{ "UTC", "2026-11-25", 1795564800 },
	{ "UTC", "2026-11-25T06:00:30", 1795586430 },
	{ "UTC", "2026-11-25 06:00:30", 1795586430 },
	{ "UTC", "2026-11-25T06:00", 1795586400 },
	{ "UTC", "2026-11-25t06:00:30z", 1795586430 },
	{ "UTC", "2026-11-25T07:00:30+01:00", 1795586430 },
	{ "UTC", "2026-11-25T07:00:30+0100", 1795586430 },
	{ "UTC", "2026-11-25T07:00:30+01", 1795586430 },
	{ "UTC", "2026-11-25T01:30:30-04:30", 1795586430 },
	{ "UTC", "2024-02-29", 1709164800 },
	{ "UTC", "now", 1795586430 },
	{ "UTC", "today", 1795564800 },
	{ "UTC", "yesterday", 1795478400 },
	{ "UTC", "24h", 1795586430 - 86400 },
	{ "UTC", "90m", 1795586430 - 5400 },
	{ "UTC", "1h30m", 1795586430 - 5400 },
	{ "UTC", "7d", 1795586430 - 7 * 86400 },
	{ "UTC", "2w", 1795586430 - 14 * 86400 },
	{ "UTC", "45s", 1795586430 - 45 },
	{ "UTC", "0s", 1795586430 },
	/* Local time follows TZ: CET is one hour east of UTC in winter. */
	{ CET_RULE, "2026-11-25", 1795564800 - 3600 },
	{ CET_RULE, "2026-11-25T07:00:30", 1795586430 },
	{ CET_RULE, "2026-11-25T06:00:30Z", 1795586430 },
	{ CET_RULE, "today", 1795564800 - 3600 },
	{ CET_RULE, "yesterday", 1795478400 - 3600 },
	/* summer time: two hours east */
	{ CET_RULE, "2026-07-01T12:00", 1782907200 - 7200 },
	/* 02:30 on 2026-10-25 happens twice; the first pass (CEST) wins */
	{ CET_RULE, "2026-10-25T02:30", 1792888200 },
};

/* set_tz - switch the local zone for a case */
static void
set_tz(const char *tz)
{
	setenv("TZ", tz, 1);
	tzset();
}

START_TEST(test_good)
{
	const struct good_case *c = &good_cases[_i];
	char	err[256] = "";
	int64_t	sec = -1;

	set_tz(c->tz);
	ck_assert_msg(timearg_parse(c->text, NOW, &sec, err, sizeof(err)),
	    "%s: rejected: %s", c->text, err);
	ck_assert_msg(sec == c->sec, "%s (TZ=%s): %lld, expected %lld",
	    c->text, c->tz, (long long)sec, (long long)c->sec);
}
END_TEST

static const char *const bad_cases[] = {
	"", "24", "h", "24x", "1h30", "-24h", "+24h", "24 h", "tomorrowish",
	"Today", "2026-11-2", "2026-13-01", "2026-00-10", "2026-11-31",
	"2026-02-29", "1969-12-31", "2026-11-25T24:00", "2026-11-25T06:60",
	"2026-11-25T06:00:60", "2026-11-25T06", "2026-11-25X06:00",
	"2026-11-25T06:00:30+2", "2026-11-25T06:00:30+24:00",
	"2026-11-25T06:00:30+01:60", "2026-11-25T06:00:30 UTC",
	"2026-11-25T06:00:30.5Z", "2026/11/25", "99999999999999999999h",
	"5000000w",
};

START_TEST(test_bad)
{
	const char	*text = bad_cases[_i];
	char		 err[256] = "";
	int64_t		 sec = 0;

	set_tz("UTC");
	ck_assert_msg(!timearg_parse(text, NOW, &sec, err, sizeof(err)),
	    "'%s' accepted as %lld", text, (long long)sec);
	ck_assert_msg(strstr(err, "not a time") != NULL, "%s", err);
}
END_TEST

/* A time in the skipped hour is read with the offset before the change
   (CET), as a log line's is: 01:30Z. */
START_TEST(test_skipped_hour)
{
	char	err[256];
	int64_t	sec = 0;

	set_tz(CET_RULE);
	/* 02:30 on 2026-03-29 does not exist in CET/CEST */
	ck_assert(timearg_parse("2026-03-29T02:30", NOW, &sec, err,
	    sizeof(err)));
	ck_assert_int_eq(sec, 1774747800);	/* 01:30Z */
}
END_TEST

/* today across a summer-time change: midnight, not 24 h before now */
START_TEST(test_yesterday_across_dst)
{
	char	err[256];
	int64_t	sec = 0;

	set_tz(CET_RULE);
	/* now: 2026-03-30T10:00 local (08:00Z); yesterday began at 00:00
	   CET on 2026-03-29, 2026-03-28T23:00Z */
	ck_assert(timearg_parse("yesterday", (time_t)1774857600, &sec, err,
	    sizeof(err)));
	ck_assert_int_eq(sec, 1774738800);
}
END_TEST

START_TEST(test_format)
{
	char	buf[32];

	timearg_format(1795586430, buf, sizeof(buf));
	ck_assert_str_eq(buf, "2026-11-25T06:00:30Z");
	timearg_format(0, buf, sizeof(buf));
	ck_assert_str_eq(buf, "1970-01-01T00:00:00Z");
	timearg_format(-1, buf, sizeof(buf));
	ck_assert_str_eq(buf, "");
	timearg_format(INT64_MAX, buf, sizeof(buf));
	ck_assert_str_eq(buf, "");
}
END_TEST

static Suite *
timearg_suite(void)
{
	Suite	*s = suite_create("timearg");
	TCase	*tc = tcase_create("core");

	tcase_add_loop_test(tc, test_good, 0,
	    sizeof(good_cases) / sizeof(good_cases[0]));
	tcase_add_loop_test(tc, test_bad, 0,
	    sizeof(bad_cases) / sizeof(bad_cases[0]));
	tcase_add_test(tc, test_skipped_hour);
	tcase_add_test(tc, test_yesterday_across_dst);
	tcase_add_test(tc, test_format);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return run_suite(timearg_suite());
}
