/*
 * subscribers - who the accounts are: SASL logins and client
 * addresses mapped to the ISP's subscriber IDs (--subscribers FILE).
 *
 * Beside the pipeline: the report asks, for each account, which
 * subscriber it belongs to, so that the desk contacts a person and
 * sees together the accounts of one subscriber (a stolen login and the
 * home address it also relays from).
 *
 * The file is CSV (RFC 4180 quoting; '#' comment lines, blank lines
 * and header lines starting "subscriber_id,kind" are skipped, so files
 * may be concatenated):
 *
 *	subscriber_id,kind,key,valid_from,valid_until
 *	C-1001,login,alice@isp.example,,
 *	C-1001,ip,198.51.100.23,2026-11-25T06:00:00Z,2026-11-25T18:00:00Z
 *	C-2002,ip,2001:db8:42::/48,2026-01-01,
 *
 * kind is "login" (key: a SASL username, compared in ASCII lower case
 * as the aggregator does) or "ip" (key: an address or a CIDR prefix,
 * util/cidr.h rules).  valid_from and valid_until bound when the row
 * holds, from inclusive to until exclusive: an ISO 8601 date or time
 * (util/timearg.h: local time unless a zone is given) or whole seconds
 * since the epoch; empty for open-ended.  Static assignments leave both
 * empty; DHCP and RADIUS leases give both.
 *
 * A row that does not parse is counted and skipped, and the first
 * SUBSCRIBERS_MAX_BAD of them are kept with their line number and why,
 * so one bad line never costs the rest of the file.
 *
 * Matching: a row matches an account when its key matches (the login,
 * or a prefix containing the address) and its validity overlaps the
 * account's activity (first to last seen; an account without times
 * matches any validity).  Matches are ranked by most specific prefix,
 * then longest overlap with the activity, then earliest start, then
 * file order; the first names the account's subscriber.
 *
 * Ownership: the table owns its rows; strings handed out are borrowed
 * until subscribers_free().
 */
#ifndef ZS_SUBSCRIBERS_H
#define ZS_SUBSCRIBERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct subscribers;

enum subscriber_kind {
	SUBSCRIBER_LOGIN,
	SUBSCRIBER_IP
};

/* One matching row, as the report shows it. */
struct subscriber_match {
	const char	*subscriber_id;	/* borrowed */
	const char	*key;		/* canonical: lower-case login, or
					   "198.51.100.0/24" */
	int64_t		 valid_from_sec;	/* INT64_MIN: open */
	int64_t		 valid_until_sec;	/* INT64_MAX: open */
	size_t		 line;		/* in the file, from 1 */
	unsigned	 prefix_len;	/* ip rows; 0 for logins */
	int64_t		 overlap_sec;	/* with the account's activity */
};

#define SUBSCRIBERS_MAX_BAD	10
#define SUBSCRIBERS_ID_MAX	256	/* bytes of a subscriber ID */

/* subscribers_new - empty table; free with subscribers_free() */
struct subscribers *subscribers_new(void);

/*
 * subscribers_load - a table from the file at path; NULL with a message
 * in err when the file cannot be opened or read (bad rows are not an
 * error: see subscribers_bad_count()).
 */
struct subscribers *subscribers_load(const char *path, char *err,
		    size_t errlen);

/*
 * subscribers_add_line - one line of the file (no newline; a trailing
 * CR is dropped); lines are numbered in the order given.  false when
 * it was a bad row.
 */
bool		subscribers_add_line(struct subscribers *s, const char *line,
		    size_t len);

/* subscribers_free - free the table; NULL is a no-op */
void		subscribers_free(struct subscribers *s);

/* subscribers_count - rows loaded */
size_t		subscribers_count(const struct subscribers *s);

/* subscribers_bad_count - rows skipped as bad */
size_t		subscribers_bad_count(const struct subscribers *s);

/*
 * subscribers_bad_row - the i-th kept bad row (i < SUBSCRIBERS_MAX_BAD):
 * why it was skipped (borrowed), its line number in *line; NULL past
 * the last
 */
const char	*subscribers_bad_row(const struct subscribers *s, size_t i,
		    size_t *line);

/*
 * subscribers_lookup - rows matching an account of this kind and key
 * active from first_sec to last_sec (INT64_MAX/INT64_MIN when unknown),
 * best first, the first max of them into out.  Returns how many match
 * in all (it may be more than max).
 */
size_t		subscribers_lookup(const struct subscribers *s,
		    enum subscriber_kind kind, const char *key,
		    int64_t first_sec, int64_t last_sec,
		    struct subscriber_match *out, size_t max);

#endif
