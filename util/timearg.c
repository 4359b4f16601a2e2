/*
 * timearg - command-line times to UTC seconds (see timearg.h).
 *
 * Scanned by hand, as the syslog stamps are: strptime(3) accepts too
 * much (single digits, trailing text) for a window the report states.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "util/civil.h"
#include "util/timearg.h"

/* Largest duration accepted: about 100 years, well inside time_t. */
#define DURATION_MAX_SEC	(INT64_C(100) * 366 * 86400)

/* A calendar time as typed, before any zone is applied. */
struct typed {
	int	year, month, day, hour, minute, second;
};

/* digits - n decimal digits at s into *value; false if any is not one */
static bool
digits(const char *s, size_t n, int *value)
{
	size_t	i;

	*value = 0;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		*value = *value * 10 + (s[i] - '0');
	}
	return true;
}

/* typed_utc - the typed time read as UTC */
static int64_t
typed_utc(const struct typed *c)
{
	return civil_utc(c->year, c->month, c->day, c->hour, c->minute,
	    c->second);
}

/*
 * typed_local - the typed time read in the local zone, as a log line's
 * first would be (util/civil.h): a repeated hour means its first pass
 * (the earlier), a skipped one is read with the offset before the
 * change, whatever the C library was asked before.
 */
static bool
typed_local(const struct typed *c, int64_t *sec)
{
	struct civil_hour fresh = { 0 };

	*sec = civil_local(&fresh, c->year, c->month, c->day, c->hour,
	    c->minute, c->second);
	return true;
}

/*
 * parse_zone - "Z", "+HH:MM", "+HHMM" or "+HH" (or '-') into seconds
 * east of UTC; false for anything else
 */
static bool
parse_zone(const char *s, int *offset_sec)
{
	size_t	len = strlen(s);
	int	hours, minutes = 0, sign;

	if (len == 1 && (s[0] == 'Z' || s[0] == 'z')) {
		*offset_sec = 0;
		return true;
	}
	if (len < 3 || (s[0] != '+' && s[0] != '-'))
		return false;
	sign = s[0] == '-' ? -1 : 1;
	if (!digits(s + 1, 2, &hours))
		return false;
	if (len == 6 && s[3] == ':') {
		if (!digits(s + 4, 2, &minutes))
			return false;
	} else if (len == 5) {
		if (!digits(s + 3, 2, &minutes))
			return false;
	} else if (len != 3)
		return false;
	if (hours > 23 || minutes > 59)
		return false;
	*offset_sec = sign * (hours * 3600 + minutes * 60);
	return true;
}

/*
 * parse_iso - "YYYY-MM-DD" with an optional "THH:MM[:SS]" (or space)
 * and, after a time, an optional zone; local time without one
 */
static bool
parse_iso(const char *s, int64_t *sec)
{
	struct typed	 c = { 0, 0, 0, 0, 0, 0 };
	size_t		 len = strlen(s), pos;
	int		 offset;

	if (len < 10 || !digits(s, 4, &c.year) || s[4] != '-' ||
	    !digits(s + 5, 2, &c.month) || s[7] != '-' ||
	    !digits(s + 8, 2, &c.day))
		return false;
	if (c.year < 1970 || c.month < 1 || c.month > 12 || c.day < 1 ||
	    c.day > civil_days_in_month(c.year, c.month))
		return false;
	if (len == 10)
		return typed_local(&c, sec);
	if ((s[10] != 'T' && s[10] != 't' && s[10] != ' ') || len < 16 ||
	    !digits(s + 11, 2, &c.hour) || s[13] != ':' ||
	    !digits(s + 14, 2, &c.minute))
		return false;
	pos = 16;
	if (len >= 19 && s[16] == ':') {
		if (!digits(s + 17, 2, &c.second))
			return false;
		pos = 19;
	}
	if (c.hour > 23 || c.minute > 59 || c.second > 59)
		return false;
	if (pos == len)
		return typed_local(&c, sec);
	if (!parse_zone(s + pos, &offset))
		return false;
	*sec = typed_utc(&c) - offset;
	return true;
}

/*
 * parse_duration - "24h", "1h30m", "7d": one or more numbers each with
 * a unit (s, m, h, d, w), summed into seconds; false for anything else
 * or more than DURATION_MAX_SEC
 */
static bool
parse_duration(const char *s, int64_t *total)
{
	int64_t	n, unit;

	*total = 0;
	if (*s == '\0')
		return false;
	while (*s != '\0') {
		if (*s < '0' || *s > '9')
			return false;
		n = 0;
		while (*s >= '0' && *s <= '9') {
			n = n * 10 + (*s++ - '0');
			if (n > DURATION_MAX_SEC)
				return false;
		}
		switch (*s++) {
		case 's':
			unit = 1;
			break;
		case 'm':
			unit = 60;
			break;
		case 'h':
			unit = 3600;
			break;
		case 'd':
			unit = 86400;
			break;
		case 'w':
			unit = 7 * 86400;
			break;
		default:
			return false;
		}
		if (n > (DURATION_MAX_SEC - *total) / unit)
			return false;
		*total += n * unit;
	}
	return true;
}

/* local_midnight - start of the local day days_back days before now */
static bool
local_midnight(time_t now, int days_back, int64_t *sec)
{
	struct tm	tm;
	struct typed	c;

	if (localtime_r(&now, &tm) == NULL)
		return false;
	/* Step back by calendar days, not by 86400 s: days vary with DST. */
	c = (struct typed){ tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
	    0, 0, 0 };
	while (days_back-- > 0) {
		if (--c.day < 1) {
			if (--c.month < 1) {
				c.month = 12;
				c.year--;
			}
			c.day = civil_days_in_month(c.year, c.month);
		}
	}
	return typed_local(&c, sec);
}

/* timearg_parse - one command-line time as UTC seconds */
bool
timearg_parse(const char *text, time_t now, int64_t *sec, char *err,
    size_t errlen)
{
	int64_t	duration;
	bool	ok;

	if (strcmp(text, "now") == 0) {
		*sec = (int64_t)now;
		ok = true;
	} else if (strcmp(text, "today") == 0)
		ok = local_midnight(now, 0, sec);
	else if (strcmp(text, "yesterday") == 0)
		ok = local_midnight(now, 1, sec);
	else if (text[0] >= '0' && text[0] <= '9' && strlen(text) >= 10 &&
	    text[4] == '-')
		ok = parse_iso(text, sec);
	else if (parse_duration(text, &duration)) {
		*sec = (int64_t)now - duration;
		ok = true;
	} else
		ok = false;
	if (!ok)
		snprintf(err, errlen, "%.100s: not a time (YYYY-MM-DD, "
		    "YYYY-MM-DDTHH:MM[:SS][Z|+HH:MM], today, yesterday, now, "
		    "or a duration such as 24h, 7d, 1h30m)", text);
	return ok;
}

/* timearg_format - ISO 8601 UTC, or "" outside 1970-9999 */
void
timearg_format(int64_t sec, char *buf, size_t size)
{
	char	stamp[CIVIL_ISO_SIZE];

	if (size == 0)
		return;
	buf[0] = '\0';
	if (size >= sizeof(stamp) && civil_iso(sec, stamp))
		memcpy(buf, stamp, sizeof(stamp));
}
