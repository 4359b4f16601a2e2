/*
 * timearg - the times a person types on the command line (--since,
 * --until), turned into UTC seconds.
 *
 * Accepted forms, with "now" the time passed in:
 *
 *   2026-11-25                  local midnight at the start of that day
 *   2026-11-25T06:00            local time (a space may stand for the T;
 *   2026-11-25 06:00:30         seconds are optional)
 *   2026-11-25T06:00:30Z        UTC ("z" too)
 *   2026-11-25T06:00:30+01:00   that offset from UTC (also +0100, +01)
 *   now                         now
 *   today, yesterday            local midnight at the start of the day
 *   24h, 90m, 7d, 1h30m, 2w     that long before now (s, m, h, d, w)
 *
 * Local time is the zone of the TZ environment variable (else the
 * system's), as for the logs' own RFC 3164 stamps, so a window and the
 * lines it selects are read in the same zone.  A local time that
 * occurs twice (the hour repeated when summer time ends) is the
 * earlier one; a local time that does not exist (the hour skipped when
 * it begins) is moved forward by the gap, as mktime(3) does.
 * Calendar fields are checked: 2026-02-29 and 24:00 are errors.
 *
 * Ownership: nothing is kept; the functions are reentrant.
 */
#ifndef ZS_TIMEARG_H
#define ZS_TIMEARG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

/*
 * timearg_parse - text as UTC seconds into *sec, now being now; false
 * with a message in err (quoting the text, clipped) when it is none of
 * the forms above.
 */
bool		timearg_parse(const char *text, time_t now, int64_t *sec,
		    char *err, size_t errlen);

/*
 * timearg_format - sec as an ISO 8601 UTC stamp ("2026-11-25T06:00:00Z")
 * in buf (at least 21 bytes); "" for a time outside years 1970-9999.
 */
void		timearg_format(int64_t sec, char *buf, size_t size);

#endif
