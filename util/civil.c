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

/* civil_local - see civil.h */
int64_t
civil_local(struct civil_hour *cache, int year, int month, int day,
    int hour, int min, int sec)
{
	if (!cache->valid || cache->hour != hour || cache->day != day ||
	    cache->month != month || cache->year != year) {
		struct tm	tm;
		time_t		t;

		memset(&tm, 0, sizeof(tm));
		tm.tm_year = year - 1900;
		tm.tm_mon = month - 1;
		tm.tm_mday = day;
		tm.tm_hour = hour;
		tm.tm_isdst = -1;
		errno = 0;
		t = mktime(&tm);
		if (t == (time_t)-1 && errno != 0)
			cache->epoch = civil_utc(year, month, day, hour, 0,
			    0);
		else
			cache->epoch = (int64_t)t;
		cache->year = year;
		cache->month = month;
		cache->day = day;
		cache->hour = hour;
		cache->valid = true;
	}
	return cache->epoch + min * 60 + sec;
}
