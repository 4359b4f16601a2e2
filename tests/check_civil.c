/*
 * check_civil - unit tests for util/civil: leap years and month
 * lengths, day counts against a day-by-day walk and back to dates,
 * ISO 8601 stamps against gmtime_r(3) and strftime(3), UTC times, and
 * local times with their hour cache against mktime(3) in zones with
 * summer time.
 */
#include "config.h"

#include <check.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "util/civil.h"
#include "tests/tz_switch.h"
#include "tests/testutil.h"

START_TEST(test_leap_and_months)
{
	ck_assert(civil_is_leap(2024));
	ck_assert(civil_is_leap(2000));
	ck_assert(civil_is_leap(1600));
	ck_assert(!civil_is_leap(1900));
	ck_assert(!civil_is_leap(2100));
	ck_assert(!civil_is_leap(2026));
	ck_assert_int_eq(civil_days_in_month(2024, 2), 29);
	ck_assert_int_eq(civil_days_in_month(2026, 2), 28);
	ck_assert_int_eq(civil_days_in_month(2026, 1), 31);
	ck_assert_int_eq(civil_days_in_month(2026, 4), 30);
	ck_assert_int_eq(civil_days_in_month(2026, 12), 31);
}
END_TEST

/* Every day from 1600 to 2400 is one more than the day before. */
START_TEST(test_days_walk)
{
	int64_t	 expect = civil_days(1600, 1, 1);
	int	 year, month, day;

	ck_assert_int_eq(civil_days(1970, 1, 1), 0);
	ck_assert_int_eq(civil_days(1969, 12, 31), -1);
	ck_assert_int_eq(civil_days(2000, 3, 1), 11017);
	ck_assert_int_eq(civil_days(2026, 11, 27), 20784);
	for (year = 1600; year <= 2400; year++)
		for (month = 1; month <= 12; month++)
			for (day = 1; day <= civil_days_in_month(year, month);
			    day++) {
				if (civil_days(year, month, day) != expect)
					ck_abort_msg("%d-%d-%d", year, month,
					    day);
				expect++;
			}
}
END_TEST

/* civil_date() undoes civil_days() on every day from 1600 to 2400. */
START_TEST(test_date_inverse)
{
	int64_t	 d;
	int	 year, month, day;

	for (d = civil_days(1600, 1, 1); d <= civil_days(2400, 12, 31); d++) {
		civil_date(d, &year, &month, &day);
		if (civil_days(year, month, day) != d || month < 1 ||
		    month > 12 || day < 1 ||
		    day > civil_days_in_month(year, month))
			ck_abort_msg("%lld: %d-%d-%d", (long long)d, year,
			    month, day);
	}
	civil_date(0, &year, &month, &day);
	ck_assert(year == 1970 && month == 1 && day == 1);
	civil_date(-1, &year, &month, &day);
	ck_assert(year == 1969 && month == 12 && day == 31);
}
END_TEST

/*
 * civil_iso() agrees with gmtime_r() and strftime() every 7,919
 * seconds (a prime: every time of day comes round) from 1970 to 2100,
 * and at both ends of its range.
 */
START_TEST(test_iso)
{
	char		 buf[CIVIL_ISO_SIZE], want[64];
	struct tm	 tm;
	time_t		 tt;
	int64_t		 t;

	for (t = 0; t < civil_utc(2100, 1, 1, 0, 0, 0); t += 7919) {
		tt = (time_t)t;
		ck_assert_ptr_nonnull(gmtime_r(&tt, &tm));
		strftime(want, sizeof(want), "%Y-%m-%dT%H:%M:%SZ", &tm);
		ck_assert(civil_iso(t, buf));
		if (strcmp(buf, want) != 0)
			ck_abort_msg("%lld: %s != %s", (long long)t, buf,
			    want);
	}
	ck_assert(civil_iso(0, buf));
	ck_assert_str_eq(buf, "1970-01-01T00:00:00Z");
	ck_assert(civil_iso(CIVIL_ISO_MAX_SEC, buf));
	ck_assert_str_eq(buf, "9999-12-31T23:59:59Z");
	ck_assert(civil_iso(INT64_C(1795586430), buf));
	ck_assert_str_eq(buf, "2026-11-25T06:00:30Z");
	ck_assert(!civil_iso(-1, buf));
	ck_assert_str_eq(buf, "");
	ck_assert(!civil_iso(CIVIL_ISO_MAX_SEC + 1, buf));
	ck_assert(!civil_iso(INT64_MIN, buf));
	ck_assert(!civil_iso(INT64_MAX, buf));
	ck_assert_str_eq(buf, "");
}
END_TEST

START_TEST(test_utc)
{
	ck_assert_int_eq(civil_utc(1970, 1, 1, 0, 0, 0), 0);
	ck_assert_int_eq(civil_utc(2026, 1, 5, 0, 0, 8),
	    INT64_C(1767571208));
	ck_assert_int_eq(civil_utc(2026, 12, 31, 23, 59, 60),
	    INT64_C(1798761600));
	ck_assert_int_eq(civil_utc(1969, 12, 31, 23, 59, 59), -1);
}
END_TEST

/* mktime_of - mktime(3) of the local time, minutes and seconds
   included */
static int64_t
mktime_of(int year, int month, int day, int hour, int min, int sec)
{
	struct tm	tm;

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = year - 1900;
	tm.tm_mon = month - 1;
	tm.tm_mday = day;
	tm.tm_hour = hour;
	tm.tm_min = min;
	tm.tm_sec = sec;
	tm.tm_isdst = -1;
	return (int64_t)mktime(&tm);
}

/* shows_local - whether the local clock shows at t what tm (a UTC
   breakdown of the wall-clock time) names */
static bool
shows_local(int64_t t, const struct tm *tm)
{
	time_t		tt = (time_t)t;
	struct tm	lt;

	return localtime_r(&tt, &lt) != NULL &&
	    lt.tm_year == tm->tm_year && lt.tm_mon == tm->tm_mon &&
	    lt.tm_mday == tm->tm_mday && lt.tm_hour == tm->tm_hour &&
	    lt.tm_min == tm->tm_min && lt.tm_sec == tm->tm_sec;
}

/*
 * Every quarter hour of two years, in order and then jumping about (so
 * the cache is both reused and replaced), is read as an instant the
 * clock shows it at whenever mktime(3) finds one, in zones with summer
 * time on either side of the equator and in UTC: the one instant for
 * most times, one of the two for a repeated hour (which one is
 * test_local_repeated_hour's).
 */
START_TEST(test_local_against_mktime)
{
	static const char *const zones[] = {
		"UTC0", "CET-1CEST,M3.5.0,M10.5.0/3",
		"EST5EDT,M3.2.0,M11.1.0", "AEST-10AEDT,M10.1.0,M4.1.0/3"
	};
	/* A quarter hour; the same hour a day, a month and a year on,
	   so that each field of the cached hour is what changes. */
	static const int64_t steps[] = { 900, 86400 + 61, 86400 * 31,
	    86400 * 365 };
	size_t		 z;

	for (z = 0; z < sizeof(zones) / sizeof(zones[0]); z++) {
		struct civil_hour cache = { 0 };
		char		*saved = tz_switch(zones[z]);
		int64_t		 t;
		size_t		 step;

		for (step = 0; step < 4; step++)
			for (t = civil_utc(2026, 1, 1, 0, 0, 0);
			    t < civil_utc(2028, 1, 1, 0, 0, 0);
			    t += steps[step]) {
				time_t		 tt = (time_t)t;
				struct tm	 tm;
				int64_t		 want, got;

				gmtime_r(&tt, &tm);
				want = mktime_of(tm.tm_year + 1900,
				    tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
				    tm.tm_min, tm.tm_sec);
				got = civil_local(&cache, tm.tm_year + 1900,
				    tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
				    tm.tm_min, tm.tm_sec);
				if (shows_local(want, &tm) &&
				    !shows_local(got, &tm))
					ck_abort_msg("%s: %lld: %lld, "
					    "not %lld", zones[z], (long long)t,
					    (long long)got, (long long)want);
			}
		tz_restore(saved);
	}
}
END_TEST

/* at - civil_local() of 2026-month-day hour:min:sec through cache */
static int64_t
at(struct civil_hour *cache, int month, int day, int hour, int min, int sec)
{
	return civil_local(cache, 2026, month, day, hour, min, sec);
}

/* perturb - ask mktime(3) about the repeated hour, as a reading of
   another file might have, with summer time given as isdst */
static void
perturb(int isdst)
{
	struct tm	tm;

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = 2026 - 1900;
	tm.tm_mon = 9;
	tm.tm_mday = 25;
	tm.tm_hour = 2;
	tm.tm_min = 30;
	tm.tm_isdst = isdst;
	(void)mktime(&tm);
}

/*
 * The hour that occurs twice when summer time ends (02:00-03:00 on
 * 2026-10-25 in CET) is read as its first pass until the clock steps
 * back in it, then as its second; the same from any history of the C
 * library's; an hour that does not occur is read as standard time.
 */
START_TEST(test_local_repeated_hour)
{
	char		*saved = tz_switch("CET-1CEST,M3.5.0,M10.5.0/3");
	struct civil_hour cache = { 0 };
	int		 isdst;

	ck_assert_int_eq(at(&cache, 10, 25, 1, 50, 0),
	    civil_utc(2026, 10, 24, 23, 50, 0));
	ck_assert_int_eq(at(&cache, 10, 25, 2, 10, 0),
	    civil_utc(2026, 10, 25, 0, 10, 0));
	/* A few minutes out of order: still the first pass. */
	ck_assert_int_eq(at(&cache, 10, 25, 2, 40, 0),
	    civil_utc(2026, 10, 25, 0, 40, 0));
	ck_assert_int_eq(at(&cache, 10, 25, 2, 37, 0),
	    civil_utc(2026, 10, 25, 0, 37, 0));
	ck_assert_int_eq(at(&cache, 10, 25, 2, 59, 59),
	    civil_utc(2026, 10, 25, 0, 59, 59));
	/* The clock went back. */
	ck_assert_int_eq(at(&cache, 10, 25, 2, 0, 1),
	    civil_utc(2026, 10, 25, 1, 0, 1));
	ck_assert_int_eq(at(&cache, 10, 25, 2, 59, 0),
	    civil_utc(2026, 10, 25, 1, 59, 0));
	ck_assert_int_eq(at(&cache, 10, 25, 3, 0, 0),
	    civil_utc(2026, 10, 25, 2, 0, 0));
	/* A straggler of the repeated hour after the hour after it: its
	   second pass. */
	ck_assert_int_eq(at(&cache, 10, 25, 2, 58, 0),
	    civil_utc(2026, 10, 25, 1, 58, 0));

	/* Without a history, the first pass, whatever mktime(3) was
	   asked before. */
	for (isdst = -1; isdst <= 1; isdst++) {
		struct civil_hour fresh = { 0 };

		perturb(isdst);
		ck_assert_int_eq(at(&fresh, 10, 25, 2, 30, 0),
		    civil_utc(2026, 10, 25, 0, 30, 0));
		perturb(1 - isdst);
		ck_assert_int_eq(at(&fresh, 10, 25, 2, 45, 0),
		    civil_utc(2026, 10, 25, 0, 45, 0));
	}

	/* The hour that does not occur, read as standard time. */
	memset(&cache, 0, sizeof(cache));
	ck_assert_int_eq(at(&cache, 3, 29, 2, 30, 0),
	    civil_utc(2026, 3, 29, 1, 30, 0));
	ck_assert_int_eq(at(&cache, 3, 29, 3, 0, 0),
	    civil_utc(2026, 3, 29, 1, 0, 0));
	tz_restore(saved);
}
END_TEST

/* A local time and the UTC seconds it must be read as, in order. */
struct local_case {
	int		 year, month, day, hour, min, sec;
	int64_t		 want;
};

/* run_local - every case through one cache, in zone */
static void
run_local(const char *zone, const struct local_case *cases, size_t n)
{
	char		*saved = tz_switch(zone);
	struct civil_hour cache = { 0 };
	size_t		 i;

	for (i = 0; i < n; i++) {
		const struct local_case *c = &cases[i];
		int64_t got = civil_local(&cache, c->year, c->month, c->day,
		    c->hour, c->min, c->sec);

		ck_assert_msg(got == c->want, "%s: case %zu: %lld != %lld",
		    zone, i, (long long)got, (long long)c->want);
	}
	tz_restore(saved);
}

/*
 * Changes of offset that are not one hour of summer time on the hour:
 * at a quarter to (Chatham), a minute past midnight (Goose Bay until
 * 2011), a negative summer time (Irish winter flagged as summer
 * time), half an hour inside an hour (Lord Howe), two hours (Troll).
 * A skipped time is read with the offset before the change, as in
 * London; a repeated one as its first pass until the clock steps back.
 */
START_TEST(test_local_odd_changes)
{
	static const struct local_case dublin[] = {
		{ 2026, 3, 29, 0, 30, 0, INT64_C(1774744200) },
		{ 2026, 3, 29, 1, 30, 0, INT64_C(1774747800) },
		{ 2026, 3, 29, 2, 0, 0, INT64_C(1774746000) },
	};
	static const struct local_case lord_howe[] = {
		/* 02:00-02:29 skipped: its own half hour per line */
		{ 2026, 10, 4, 2, 15, 0, INT64_C(1791042300) },
		{ 2026, 10, 4, 2, 45, 0, INT64_C(1791042300) },
		{ 2026, 10, 4, 3, 0, 0, INT64_C(1791043200) },
		/* 01:30-01:59 twice */
		{ 2026, 4, 5, 1, 10, 0, INT64_C(1775311800) },
		{ 2026, 4, 5, 1, 45, 0, INT64_C(1775313900) },
		{ 2026, 4, 5, 1, 30, 0, INT64_C(1775314800) },
		{ 2026, 4, 5, 1, 50, 0, INT64_C(1775316000) },
		{ 2026, 4, 5, 2, 0, 0, INT64_C(1775316600) },
	};
	static const struct local_case troll[] = {
		/* 01:00-02:59 twice */
		{ 2026, 10, 25, 0, 30, 0, INT64_C(1792881000) },
		{ 2026, 10, 25, 1, 30, 0, INT64_C(1792884600) },
		{ 2026, 10, 25, 2, 59, 0, INT64_C(1792889940) },
		{ 2026, 10, 25, 1, 0, 0, INT64_C(1792890000) },
		{ 2026, 10, 25, 2, 30, 0, INT64_C(1792895400) },
		{ 2026, 10, 25, 3, 0, 0, INT64_C(1792897200) },
	};

	/* 02:45-03:44 twice, across an hour's edge */
	static const struct local_case chatham[] = {
		{ 2026, 4, 5, 3, 30, 0, INT64_C(1775310300) },
		{ 2026, 4, 5, 3, 44, 59, INT64_C(1775311199) },
		{ 2026, 4, 5, 2, 45, 0, INT64_C(1775311200) },
		{ 2026, 4, 5, 3, 0, 0, INT64_C(1775312100) },
		{ 2026, 4, 5, 3, 50, 0, INT64_C(1775315100) },
	};
	/* 23:01-00:00 twice, across midnight (Goose Bay's old rule) */
	static const struct local_case midnight[] = {
		{ 2026, 10, 24, 23, 30, 0, INT64_C(1792895400) },
		{ 2026, 10, 25, 0, 0, 30, INT64_C(1792897230) },
		{ 2026, 10, 24, 23, 1, 0, INT64_C(1792897260) },
		{ 2026, 10, 24, 23, 59, 0, INT64_C(1792900740) },
		{ 2026, 10, 25, 0, 0, 10, INT64_C(1792900810) },
		{ 2026, 10, 25, 0, 30, 0, INT64_C(1792902600) },
	};

	run_local("<+1245>-12:45<+1345>-13:45,M9.5.0/2:45,M4.1.0/3:45",
	    chatham, sizeof(chatham) / sizeof(chatham[0]));
	run_local("AST4ADT,M4.1.0/0:01,M10.5.0/0:01", midnight,
	    sizeof(midnight) / sizeof(midnight[0]));
	run_local("IST-1GMT0,M10.5.0,M3.5.0/1", dublin,
	    sizeof(dublin) / sizeof(dublin[0]));
	run_local("<+1030>-10:30<+11>-11,M10.1.0,M4.1.0", lord_howe,
	    sizeof(lord_howe) / sizeof(lord_howe[0]));
	run_local("<+00>0<+02>-2,M3.5.0/1,M10.5.0/3", troll,
	    sizeof(troll) / sizeof(troll[0]));
}
END_TEST

/*
 * A change of standard time, not of summer time (Moscow, 2014-10-26:
 * +04 to +03 at 02:00): the repeated hour is found all the same, and
 * read whatever mktime(3) was asked before.  Needs the zone database.
 */
START_TEST(test_local_standard_change)
{
	static const int months[] = { 1, 12 };
	size_t	 i;

	if (access("/usr/share/zoneinfo/Europe/Moscow", R_OK) != 0)
		return;
	for (i = 0; i < 2; i++) {
		char		*saved = tz_switch("Europe/Moscow");
		struct civil_hour cache = { 0 };
		struct tm	 tm;

		memset(&tm, 0, sizeof(tm));
		tm.tm_year = 2014 - 1900;
		tm.tm_mon = months[i] - 1;
		tm.tm_mday = 1;
		tm.tm_isdst = -1;
		(void)mktime(&tm);
		ck_assert_int_eq(civil_local(&cache, 2014, 10, 26, 1, 30, 0),
		    INT64_C(1414272600));
		tz_restore(saved);
	}
}
END_TEST

/* civil_suite - every civil test */
static Suite *
civil_suite(void)
{
	Suite	*s = suite_create("civil");
	TCase	*tc = tcase_create("core");

	tcase_add_test(tc, test_leap_and_months);
	tcase_add_test(tc, test_days_walk);
	tcase_add_test(tc, test_date_inverse);
	tcase_add_test(tc, test_iso);
	tcase_add_test(tc, test_utc);
	tcase_add_test(tc, test_local_against_mktime);
	tcase_add_test(tc, test_local_repeated_hour);
	tcase_add_test(tc, test_local_odd_changes);
	tcase_add_test(tc, test_local_standard_change);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return run_suite(civil_suite());
}
