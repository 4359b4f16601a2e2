/*
 * check_civil - unit tests for util/civil: leap years and month
 * lengths, day counts against a day-by-day walk, UTC times, and local
 * times with their hour cache against mktime(3) in zones with summer
 * time.
 */
#include "config.h"

#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/civil.h"
#include "tests/tz_switch.h"

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

/*
 * Every quarter hour of two years, in order and then jumping about (so
 * the cache is both reused and replaced), agrees with mktime(3), in
 * zones with summer time on either side of the equator and in UTC.
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
				if (got != want)
					ck_abort_msg("%s: %lld: %lld != %lld",
					    zones[z], (long long)t,
					    (long long)got, (long long)want);
			}
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
	tcase_add_test(tc, test_utc);
	tcase_add_test(tc, test_local_against_mktime);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(civil_suite());
	int	 failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
