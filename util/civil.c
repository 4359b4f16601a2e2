/*
 * civil - calendar dates and local times to epoch seconds (see
 * civil.h).
 */
#include "config.h"

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

/*
 * offset_at - the zone's offset from UTC at t, in seconds east, as the
 * C library's local time shows it (not tm_gmtoff, which C11 lacks)
 */
static bool
offset_at(int64_t t, int64_t *off)
{
	time_t		tt = (time_t)t;
	struct tm	tm;

	if ((int64_t)tt != t || localtime_r(&tt, &tm) == NULL)
		return false;
	*off = civil_utc(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
	    tm.tm_hour, tm.tm_min, tm.tm_sec) - t;
	return true;
}

/* shows - whether the local clock shows at t the time u names (u is
   that wall-clock time read as UTC) */
static bool
shows(int64_t t, int64_t u)
{
	int64_t	off;

	return offset_at(t, &off) && t + off == u;
}

/*
 * resolve - the readings of a local wall-clock time, u read as UTC:
 * the zone's offsets a day before and a day after u bracket any change
 * of offset that can touch it, and each offset whose reading the clock
 * shows is one.  Two: a time that occurs twice (the clock set back),
 * earlier in *first; one: *first = *second; none: a time skipped when
 * the clock was set forward, read with the offset before the change
 * (as a clock not yet moved shows it).  -1 when the C library cannot
 * place it.  Nothing depends on what was asked before.
 */
static int
resolve(int64_t u, int64_t *first, int64_t *second)
{
	int64_t	before, after, a, b;

	if (!offset_at(u - CIVIL_SECONDS_PER_DAY, &before) ||
	    !offset_at(u + CIVIL_SECONDS_PER_DAY, &after))
		return -1;
	a = u - before;
	b = u - after;
	if (before == after || !shows(b, u)) {
		*first = *second = a;
		return shows(a, u) ? 1 : 0;
	}
	if (!shows(a, u)) {
		*first = *second = b;
		return 1;
	}
	*first = a < b ? a : b;
	*second = a < b ? b : a;
	return 2;
}

/*
 * A time read last counts as lying past the first pass of a time that
 * occurs twice only up to this far after its second pass: one of
 * another year, or of a file that jumps, says nothing about the pass.
 */
#define NEAR_SECOND_SEC	(2 * 3600)

/*
 * place - a local hour into cache: the readings of its start, and
 * whether its minutes and seconds can be added to those (no change of
 * offset inside it; a change at a half hour, Lord Howe's, or at a
 * quarter to, Chatham's, makes every time of the hour resolve()d by
 * itself); whether any of its times occurs twice.
 */
static void
place(struct civil_hour *cache, int year, int month, int day, int hour)
{
	int64_t	 u = civil_utc(year, month, day, hour, 0, 0);
	int64_t	 first, second, last_first, last_second;
	int	 n, n_last;

	cache->year = year;
	cache->month = month;
	cache->day = day;
	cache->hour = hour;
	cache->valid = true;
	cache->per_line = false;
	cache->twice = false;
	n = resolve(u, &first, &second);
	if (n < 0) {
		cache->first = cache->second = u;	/* read as UTC */
		return;
	}
	n_last = resolve(u + 3599, &last_first, &last_second);
	cache->per_line = n_last != n || last_first != first + 3599 ||
	    last_second != second + 3599;
	cache->twice = n == 2 || n_last == 2;
	cache->first = first;
	cache->second = second;
}

/* civil_local - see civil.h */
int64_t
civil_local(struct civil_hour *cache, int year, int month, int day,
    int hour, int min, int sec)
{
	int	 into = min * 60 + sec;
	int64_t	 first, second, t;

	if (!cache->valid || cache->hour != hour || cache->day != day ||
	    cache->month != month || cache->year != year)
		place(cache, year, month, day, hour);
	if (!cache->per_line) {
		first = cache->first + into;
		second = cache->second + into;
	} else if (resolve(civil_utc(year, month, day, hour, min, sec),
	    &first, &second) < 0)
		first = second = civil_utc(year, month, day, hour, min, sec);
	/* A time that occurs twice: its second pass once the time read
	   last lies past its first (see CIVIL_REPEAT_BACK_SEC), or was
	   itself a second pass (a quiet hour after the clock went back:
	   the next line may come much later in the hour). */
	t = first;
	if (cache->twice && second != first && cache->has_last &&
	    cache->last <= second + NEAR_SECOND_SEC &&
	    (cache->last_second ||
	    cache->last > first + CIVIL_REPEAT_BACK_SEC))
		t = second;
	cache->last_second = t != first;
	cache->last = t;
	cache->has_last = true;
	return t;
}
