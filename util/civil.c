/*
 * civil - calendar dates and local times to epoch seconds (see
 * civil.h).
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <time.h>

#include "util/civil.h"

/* civil_is_leap - see civil.h */
bool
civil_is_leap(int year)
{
	return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

/* civil_days_in_month - see civil.h */
int
civil_days_in_month(int year, int month)
{
	static const int days[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};

	return month == 2 && civil_is_leap(year) ? 29 : days[month - 1];
}

/*
 * civil_days - see civil.h.  Counts in 400-year eras starting on
 * March 1, so February's leap day is the last day of its era-year and
 * needs no special case.
 */
int64_t
civil_days(int year, int month, int day)
{
	int64_t		y = (int64_t)year - (month <= 2);
	int64_t		era = (y >= 0 ? y : y - 399) / 400;
	int64_t		yoe = y - era * 400;
	int64_t		mp = (month + 9) % 12;	/* March = 0 */
	int64_t		doy = (153 * mp + 2) / 5 + day - 1;
	int64_t		doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + doe - 719468;
}

/*
 * civil_date - see civil.h.  civil_days() backwards, in the same
 * March-based eras: the era, the day of the era, the year of the era,
 * then the day of that year.
 */
void
civil_date(int64_t days, int *year, int *month, int *day)
{
	int64_t		z = days + 719468;
	int64_t		era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t		doe = z - era * 146097;
	int64_t		yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) /
			    365;
	int64_t		doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t		mp = (5 * doy + 2) / 153;	/* March = 0 */
	int64_t		m = mp < 10 ? mp + 3 : mp - 9;

	*day = (int)(doy - (153 * mp + 2) / 5 + 1);
	*month = (int)m;
	*year = (int)(yoe + era * 400 + (m <= 2));
}

/* put_digits - n as width decimal digits, zeros in front */
static char *
put_digits(char *p, int n, int width)
{
	int	i;

	for (i = width - 1; i >= 0; i--) {
		p[i] = (char)('0' + n % 10);
		n /= 10;
	}
	return p + width;
}

/* civil_iso - see civil.h */
bool
civil_iso(int64_t sec, char buf[CIVIL_ISO_SIZE])
{
	int64_t		days, rest;
	int		year, month, day;
	char		*p = buf;

	buf[0] = '\0';
	if (sec < 0 || sec > CIVIL_ISO_MAX_SEC)
		return false;
	days = sec / CIVIL_SECONDS_PER_DAY;
	rest = sec % CIVIL_SECONDS_PER_DAY;
	civil_date(days, &year, &month, &day);
	p = put_digits(p, year, 4);
	*p++ = '-';
	p = put_digits(p, month, 2);
	*p++ = '-';
	p = put_digits(p, day, 2);
	*p++ = 'T';
	p = put_digits(p, (int)(rest / 3600), 2);
	*p++ = ':';
	p = put_digits(p, (int)(rest / 60 % 60), 2);
	*p++ = ':';
	p = put_digits(p, (int)(rest % 60), 2);
	*p++ = 'Z';
	*p = '\0';
	return true;
}

/* civil_utc - see civil.h */
int64_t
civil_utc(int year, int month, int day, int hour, int min, int sec)
{
	return civil_days(year, month, day) * CIVIL_SECONDS_PER_DAY +
	    hour * 3600 + min * 60 + sec;
}

/* How a reading of a local hour as standard or summer time came out. */
enum placed {
	PLACED_NONE,		/* the C library could not place it */
	PLACED_ELSEWHERE,	/* that reading names another hour */
	PLACED_EXACT		/* the wall clock shows it so */
};

/*
 * place_as - mktime(3) of the hour's start read as standard (isdst 0)
 * or summer time (1), in *t.  With the flag given, the C library's
 * answer does not depend on the times it was asked before, as it may
 * with -1 for an hour that occurs twice.
 */
static enum placed
place_as(int year, int month, int day, int hour, int isdst, time_t *t)
{
	struct tm	tm;

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = year - 1900;
	tm.tm_mon = month - 1;
	tm.tm_mday = day;
	tm.tm_hour = hour;
	tm.tm_isdst = isdst;
	errno = 0;
	*t = mktime(&tm);
	if (*t == (time_t)-1 && errno != 0)
		return PLACED_NONE;
	return tm.tm_hour == hour && tm.tm_mday == day &&
	    tm.tm_mon == month - 1 && tm.tm_isdst == isdst ? PLACED_EXACT :
	    PLACED_ELSEWHERE;
}

/*
 * place - the start of a local hour into cache.  An hour that occurs
 * twice (the clock set back) starts at the earlier of its two times,
 * its first pass, unless the hour placed before it already lay at or
 * after its second (lines of the hour after it came first); an hour
 * that does not occur (the clock set forward) is read as standard
 * time, as a clock not yet moved would show it.
 */
static void
place(struct civil_hour *cache, int year, int month, int day, int hour)
{
	time_t		 std, dst;
	enum placed	 as_std, as_dst;

	as_std = place_as(year, month, day, hour, 0, &std);
	as_dst = place_as(year, month, day, hour, 1, &dst);
	cache->repeated = false;
	if (as_std == PLACED_EXACT && as_dst == PLACED_EXACT && std != dst) {
		int64_t first = (int64_t)(std < dst ? std : dst);
		int64_t second = (int64_t)(std < dst ? dst : std);

		if (cache->valid && cache->epoch >= second) {
			cache->epoch = second;
		} else {
			cache->epoch = first;
			cache->second = second;
			cache->latest = 0;
			cache->repeated = true;
		}
	} else if (as_dst == PLACED_EXACT && as_std != PLACED_EXACT)
		cache->epoch = (int64_t)dst;
	else if (as_std != PLACED_NONE)
		cache->epoch = (int64_t)std;
	else if (as_dst != PLACED_NONE)
		cache->epoch = (int64_t)dst;
	else
		cache->epoch = civil_utc(year, month, day, hour, 0, 0);
	cache->year = year;
	cache->month = month;
	cache->day = day;
	cache->hour = hour;
	cache->valid = true;
}

/* civil_local - see civil.h */
int64_t
civil_local(struct civil_hour *cache, int year, int month, int day,
    int hour, int min, int sec)
{
	int	into = min * 60 + sec;

	if (!cache->valid || cache->hour != hour || cache->day != day ||
	    cache->month != month || cache->year != year)
		place(cache, year, month, day, hour);
	if (cache->repeated) {
		/* The first pass of an hour that occurs twice: a step back
		   of more than CIVIL_REPEAT_BACK_SEC is the second. */
		if (into + CIVIL_REPEAT_BACK_SEC < cache->latest) {
			cache->epoch = cache->second;
			cache->repeated = false;
		} else if (into > cache->latest)
			cache->latest = into;
	}
	return cache->epoch + into;
}
