/*
 * civil - calendar dates and local times to seconds since the epoch,
 * for the parsers' time stamps and the command line's times, and back
 * to dates and ISO 8601 stamps for the report.
 *
 * Dates are proleptic Gregorian.  civil_local() reads a local time in
 * the zone of the TZ environment variable (else the system's),
 * placing each local hour once (a few localtime_r(3) calls) in a
 * caller's struct civil_hour: the lines of a log stay within an hour
 * for thousands of lines, and zone offsets change mostly on hour
 * boundaries, so the minutes and seconds are added to the hour's
 * start (an hour inside which the
 * offset changes, at a half hour or by two hours, has each time placed
 * by itself).  When the C library cannot place an hour, its time is
 * read as UTC.  A time that occurs twice or not at all is placed by
 * rule, from the zone's offsets around it, whatever the C library was
 * asked before (see CIVIL_REPEAT_BACK_SEC and civil.c's resolve()), so
 * that a log's times do not depend on the files read before it: only
 * on the times read before through the same struct civil_hour.
 *
 * Ownership: nothing is allocated; a struct civil_hour belongs to its
 * caller (one per parser, not shared between threads).
 */
#ifndef ZS_CIVIL_H
#define ZS_CIVIL_H

#include <stdbool.h>
#include <stdint.h>

#define CIVIL_SECONDS_PER_DAY	86400

/* The local hour last placed by civil_local(); zeroed: none. */
struct civil_hour {
	bool		 valid;
	bool		 per_line;	/* the offset changes inside the hour:
					   each time is placed by itself */
	bool		 twice;		/* some time of the hour occurs twice
					   (the clock set back) */
	bool		 has_last;
	bool		 last_second;	/* last was the second pass of a time
					   that occurs twice */
	int		 year, month, day, hour;
	int64_t		 first;		/* UTC seconds of the hour's start,
					   its earlier reading */
	int64_t		 second;	/* its later (most hours: the same) */
	int64_t		 last;		/* the time civil_local() gave last */
};

/*
 * A time that occurs twice (the clock set back at the end of summer
 * time) is read as its first pass, unless the time read before it
 * lies more than this past that first pass (the clock went back: its
 * second pass, which lines a few minutes out of order do not reach),
 * or was itself a second pass.
 */
#define CIVIL_REPEAT_BACK_SEC	300

/* civil_is_leap - whether year is a Gregorian leap year */
bool		civil_is_leap(int year);

/* civil_days_in_month - 28 to 31, for month 1-12 of year */
int		civil_days_in_month(int year, int month);

/* civil_days - days from 1970-01-01 to the date (negative before) */
int64_t		civil_days(int year, int month, int day);

/* civil_date - the date of a day counted as by civil_days() */
void		civil_date(int64_t days, int *year, int *month, int *day);

/* civil_utc - seconds since the epoch of the time read as UTC */
int64_t		civil_utc(int year, int month, int day, int hour, int min,
		    int sec);

/* The bytes of an ISO 8601 UTC stamp, "2026-11-25T06:25:14Z", and
   its NUL; its last second (9999-12-31T23:59:59Z). */
#define CIVIL_ISO_SIZE		21
#define CIVIL_ISO_MAX_SEC	INT64_C(253402300799)

/*
 * civil_iso - sec as an ISO 8601 UTC stamp in buf; false, and buf
 * empty, for a time before 1970 or after CIVIL_ISO_MAX_SEC
 */
bool		civil_iso(int64_t sec, char buf[CIVIL_ISO_SIZE]);

/* civil_local - seconds since the epoch of the local time; cache is
   the hour last placed (see above) */
int64_t		civil_local(struct civil_hour *cache, int year, int month,
		    int day, int hour, int min, int sec);

#endif
