/*
 * subscribers - the subscriber table and its lookups (see
 * subscribers.h).
 *
 * Logins are found in a map by lower-case key.  Prefixes are found in
 * a map by canonical prefix text ("198.51.100.0/24"): an address is
 * looked up once per prefix length present in the table (at most 33 or
 * 129 lookups), longest first, so tables of a million leases stay
 * cheap.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <time.h>

#include "analysis/subscribers.h"
#include "util/cidr.h"
#include "util/strmap.h"
#include "util/timearg.h"
#include "util/xalloc.h"

#define FIELD_COUNT	5
#define FIELD_MAX	512	/* bytes of one field, unquoted */
#define LINE_MAX_BYTES	4096

struct row {
	char		*id;
	char		*key;		/* canonical */
	enum subscriber_kind kind;
	unsigned	 prefix_len;
	int64_t		 from_sec;
	int64_t		 until_sec;
	size_t		 line;
};

/* The rows one key maps to, as indices into the row array. */
struct bucket {
	size_t		*rows;
	size_t		 count, cap;
};

struct bad_row {
	size_t		 line;
	char		 why[160];
};

struct subscribers {
	struct row	*rows;
	size_t		 count, cap;
	struct strmap	*logins;	/* key -> struct bucket */
	struct strmap	*prefixes;	/* "net/len" -> struct bucket */
	bool		 v4_len[33];	/* prefix lengths present */
	bool		 v6_len[129];
	size_t		 lines;		/* read so far */
	size_t		 bad_count;
	struct bad_row	 bad[SUBSCRIBERS_MAX_BAD];
};

/* bucket_free - strmap value destructor */
static void
bucket_free(void *p)
{
	struct bucket	*b = p;

	if (b != NULL)
		free(b->rows);
	free(b);
}

/* subscribers_new - an empty table */
struct subscribers *
subscribers_new(void)
{
	struct subscribers *s = xcalloc(1, sizeof(*s));

	s->logins = strmap_new(bucket_free);
	s->prefixes = strmap_new(bucket_free);
	return s;
}

/* subscribers_free - free rows, maps, table */
void
subscribers_free(struct subscribers *s)
{
	size_t	i;

	if (s == NULL)
		return;
	for (i = 0; i < s->count; i++) {
		free(s->rows[i].id);
		free(s->rows[i].key);
	}
	free(s->rows);
	strmap_free(s->logins);
	strmap_free(s->prefixes);
	free(s);
}

/* subscribers_count - rows loaded */
size_t
subscribers_count(const struct subscribers *s)
{
	return s->count;
}

/* subscribers_bad_count - rows skipped */
size_t
subscribers_bad_count(const struct subscribers *s)
{
	return s->bad_count;
}

/* subscribers_bad_row - a kept bad row */
const char *
subscribers_bad_row(const struct subscribers *s, size_t i, size_t *line)
{
	if (i >= s->bad_count || i >= SUBSCRIBERS_MAX_BAD)
		return NULL;
	*line = s->bad[i].line;
	return s->bad[i].why;
}

/* bad - count a bad row and keep why, if there is room */
static bool
bad(struct subscribers *s, const char *why, const char *detail)
{
	struct bad_row	*b;

	if (s->bad_count < SUBSCRIBERS_MAX_BAD) {
		b = &s->bad[s->bad_count];
		b->line = s->lines;
		/* a long detail (a quoted field) is cut to fit: the
		   message only points at the row */
		if (snprintf(b->why, sizeof(b->why), "%s%.*s", why,
		    (int)(sizeof(b->why) - 1), detail) < 0)
			b->why[0] = '\0';
	}
	s->bad_count++;
	return false;
}

/*
 * split_fields - RFC 4180 fields of one line into fields[] (each a NUL-
 * terminated copy in store, surrounding blanks of unquoted fields
 * trimmed); the number of fields, or -1 for a quote left open or a
 * field over FIELD_MAX bytes
 */
static int
split_fields(const char *line, size_t len, char fields[][FIELD_MAX + 1],
    int max)
{
	size_t	i = 0, o;
	int	n = 0;

	for (;;) {
		char	*out;
		bool	 quoted = false;

		if (n >= max)
			return max + 1;
		out = fields[n++];
		o = 0;
		while (i < len && (line[i] == ' ' || line[i] == '\t'))
			i++;
		if (i < len && line[i] == '"') {
			quoted = true;
			i++;
			for (;;) {
				if (i >= len)
					return -1;
				if (line[i] == '"') {
					if (i + 1 < len && line[i + 1] == '"') {
						i++;
					} else {
						i++;
						break;
					}
				}
				if (o >= FIELD_MAX)
					return -1;
				out[o++] = line[i++];
			}
			while (i < len && (line[i] == ' ' || line[i] == '\t'))
				i++;
			if (i < len && line[i] != ',')
				return -1;
		} else {
			while (i < len && line[i] != ',') {
				if (o >= FIELD_MAX)
					return -1;
				out[o++] = line[i++];
			}
		}
		if (!quoted)
			while (o > 0 && (out[o - 1] == ' ' ||
			    out[o - 1] == '\t'))
				o--;
		out[o] = '\0';
		if (i >= len)
			return n;
		i++;		/* the comma */
	}
}

/*
 * parse_time - a validity bound: empty (open: *sec = open_value), whole
 * seconds since the epoch, or an ISO 8601 date or time
 */
static bool
parse_time(const char *text, int64_t open_value, int64_t *sec)
{
	char	 err[16];
	size_t	 i;

	if (text[0] == '\0') {
		*sec = open_value;
		return true;
	}
	for (i = 0; text[i] >= '0' && text[i] <= '9'; i++)
		continue;
	if (text[i] == '\0' && i <= 12) {
		*sec = strtoll(text, NULL, 10);
		return true;
	}
	/* Only the calendar forms: "today" or "24h" mean nothing here. */
	if (i != 4 || text[4] != '-')
		return false;
	return timearg_parse(text, 0, sec, err, sizeof(err));
}

/* bucket_add - add a row index under key in map */
static void
bucket_add(struct strmap *map, const char *key, size_t row)
{
	struct bucket	*b;
	void		**slot;
	bool		 created;

	slot = strmap_slot(map, key, strlen(key), &created);
	if (created)
		*slot = xcalloc(1, sizeof(struct bucket));
	b = *slot;
	if (b->count == b->cap) {
		b->cap = b->cap > 0 ? b->cap * 2 : 2;
		b->rows = xreallocarray(b->rows, b->cap, sizeof(*b->rows));
	}
	b->rows[b->count++] = row;
}

/* lower_ascii - ASCII lower case in place, as the aggregator's keys */
static void
lower_ascii(char *s)
{
	for (; *s != '\0'; s++)
		if (*s >= 'A' && *s <= 'Z')
			*s = (char)(*s - 'A' + 'a');
}

/* subscribers_add_line - one line: a row, a comment, blank, a header */
bool
subscribers_add_line(struct subscribers *s, const char *line, size_t len)
{
	char		 fields[FIELD_COUNT + 1][FIELD_MAX + 1];
	char		 err[256], canon[CIDR_TEXT_MAX];
	struct row	 r;
	struct cidr	 net;
	size_t		 i;
	int		 n;

	s->lines++;
	if (len > 0 && line[len - 1] == '\r')
		len--;
	/* A UTF-8 byte order mark, as spreadsheets export "CSV UTF-8"
	   (at the start of each file when files are concatenated). */
	if (len >= 3 && memcmp(line, "\xef\xbb\xbf", 3) == 0) {
		line += 3;
		len -= 3;
	}
	for (i = 0; i < len && (line[i] == ' ' || line[i] == '\t'); i++)
		continue;
	if (i == len || line[i] == '#')
		return true;
	if (len > LINE_MAX_BYTES)
		return bad(s, "line too long", "");
	if (memchr(line, '\0', len) != NULL)
		return bad(s, "NUL byte in line", "");
	n = split_fields(line, len, fields, FIELD_COUNT);
	if (n < 0)
		return bad(s, "unbalanced quote or field too long", "");
	/* A header line, wherever it is: files are often concatenated. */
	if (n >= 2 && strcasecmp(fields[0], "subscriber_id") == 0 &&
	    strcasecmp(fields[1], "kind") == 0)
		return true;
	if (n != FIELD_COUNT) {
		snprintf(err, sizeof(err), "%d", n > FIELD_COUNT ?
		    FIELD_COUNT + 1 : n);
		return bad(s, n > FIELD_COUNT ? "more than 5 fields" :
		    "expected 5 fields, found ", n > FIELD_COUNT ? "" : err);
	}
	memset(&r, 0, sizeof(r));
	if (fields[0][0] == '\0')
		return bad(s, "empty subscriber_id", "");
	if (strlen(fields[0]) > SUBSCRIBERS_ID_MAX)
		return bad(s, "subscriber_id too long", "");
	if (fields[2][0] == '\0')
		return bad(s, "empty key", "");
	if (strcasecmp(fields[1], "login") == 0) {
		r.kind = SUBSCRIBER_LOGIN;
		lower_ascii(fields[2]);
	} else if (strcasecmp(fields[1], "ip") == 0) {
		r.kind = SUBSCRIBER_IP;
		if (!cidr_parse(fields[2], &net, err, sizeof(err)))
			return bad(s, "key: ", err);
		cidr_format(&net, canon, sizeof(canon));
		snprintf(fields[2], sizeof(fields[2]), "%s", canon);
		r.prefix_len = net.prefix_len;
	} else
		return bad(s, "kind is neither login nor ip: ", fields[1]);
	if (!parse_time(fields[3], INT64_MIN, &r.from_sec))
		return bad(s, "valid_from is not a time: ", fields[3]);
	if (!parse_time(fields[4], INT64_MAX, &r.until_sec))
		return bad(s, "valid_until is not a time: ", fields[4]);
	if (r.until_sec <= r.from_sec)
		return bad(s, "valid_until is not after valid_from", "");

	r.id = xstrdup(fields[0]);
	r.key = xstrdup(fields[2]);
	r.line = s->lines;
	if (s->count == s->cap) {
		s->cap = s->cap > 0 ? s->cap * 2 : 64;
		s->rows = xreallocarray(s->rows, s->cap, sizeof(*s->rows));
	}
	s->rows[s->count] = r;
	if (r.kind == SUBSCRIBER_LOGIN)
		bucket_add(s->logins, r.key, s->count);
	else {
		bucket_add(s->prefixes, r.key, s->count);
		if (net.family == AF_INET)
			s->v4_len[net.prefix_len] = true;
		else
			s->v6_len[net.prefix_len] = true;
	}
	s->count++;
	return true;
}

/* subscribers_load - read a file line by line into a new table */
struct subscribers *
subscribers_load(const char *path, char *err, size_t errlen)
{
	struct subscribers *s;
	FILE		*fp;
	char		 line[LINE_MAX_BYTES + 1];
	size_t		 len;
	int		 c;

	fp = fopen(path, "r");
	if (fp == NULL) {
		snprintf(err, errlen, "%.300s: %s", path, strerror(errno));
		return NULL;
	}
	s = subscribers_new();
	/*
	 * A line is held up to one byte past the limit: a longer one is
	 * bad whatever it holds, and the rest of it is passed over, so
	 * that no file (/dev/zero) costs more than the buffer.  NUL bytes
	 * are kept, for subscribers_add_line() to refuse.
	 */
	for (;;) {
		len = 0;
		while ((c = getc_unlocked(fp)) != EOF && c != '\n')
			if (len < sizeof(line))
				line[len++] = (char)c;
		if (c == EOF && len == 0)
			break;
		subscribers_add_line(s, line, len);
		if (c == EOF)
			break;
	}
	if (ferror(fp)) {
		snprintf(err, errlen, "%.300s: read error after line %zu: %s",
		    path, s->lines, strerror(errno));
		fclose(fp);
		subscribers_free(s);
		return NULL;
	}
	fclose(fp);
	return s;
}

/*
 * overlap - seconds the row's validity [from, until) shares with the
 * activity [first, last] (inclusive: a single message still overlaps
 * by one second); 1 when the activity is unknown
 */
static int64_t
overlap(const struct row *r, int64_t first_sec, int64_t last_sec)
{
	int64_t	lo, hi;

	if (first_sec > last_sec)
		return 1;
	lo = first_sec > r->from_sec ? first_sec : r->from_sec;
	hi = last_sec < INT64_MAX && last_sec + 1 < r->until_sec ?
	    last_sec + 1 : r->until_sec;
	return hi > lo ? hi - lo : 0;
}

/* better - whether match a ranks before b (see subscribers.h) */
static bool
better(const struct subscriber_match *a, const struct subscriber_match *b)
{
	if (a->prefix_len != b->prefix_len)
		return a->prefix_len > b->prefix_len;
	if (a->overlap_sec != b->overlap_sec)
		return a->overlap_sec > b->overlap_sec;
	if (a->valid_from_sec != b->valid_from_sec)
		return a->valid_from_sec < b->valid_from_sec;
	return a->line < b->line;
}

/*
 * consider - the rows of one bucket: each that overlaps the activity
 * goes into out (kept sorted, best max of them); *found counts all
 */
static void
consider(const struct subscribers *s, const struct bucket *b,
    int64_t first_sec, int64_t last_sec, struct subscriber_match *out,
    size_t max, size_t *found)
{
	struct subscriber_match m;
	const struct row *r;
	size_t		 i, kept, j;

	for (i = 0; b != NULL && i < b->count; i++) {
		r = &s->rows[b->rows[i]];
		m.overlap_sec = overlap(r, first_sec, last_sec);
		if (m.overlap_sec <= 0)
			continue;
		m.subscriber_id = r->id;
		m.key = r->key;
		m.valid_from_sec = r->from_sec;
		m.valid_until_sec = r->until_sec;
		m.line = r->line;
		m.prefix_len = r->prefix_len;
		kept = *found < max ? *found : max;
		(*found)++;
		/* insertion into the sorted best-max list */
		j = kept;
		if (j == max) {
			if (max == 0 || !better(&m, &out[max - 1]))
				continue;
			j = max - 1;
		}
		while (j > 0 && better(&m, &out[j - 1])) {
			out[j] = out[j - 1];
			j--;
		}
		out[j] = m;
	}
}

/* mask - clear every bit of net past len */
static void
mask(struct cidr *net, unsigned len)
{
	unsigned	i, bytes = net->family == AF_INET ? 4 : 16;

	net->prefix_len = len;
	for (i = 0; i < bytes; i++) {
		if (len >= 8 * (i + 1))
			continue;
		if (len <= 8 * i)
			net->addr[i] = 0;
		else
			net->addr[i] &= (unsigned char)(0xff00 >>
			    (len - 8 * i));
	}
}

/* subscribers_lookup - the rows matching an account, best first */
size_t
subscribers_lookup(const struct subscribers *s, enum subscriber_kind kind,
    const char *key, int64_t first_sec, int64_t last_sec,
    struct subscriber_match *out, size_t max)
{
	struct cidr	 addr, net;
	const bool	*present;
	char		 text[CIDR_TEXT_MAX], *lower;
	size_t		 found = 0;
	int		 len;

	if (s == NULL || key == NULL)
		return 0;
	if (kind == SUBSCRIBER_LOGIN) {
		lower = xstrdup(key);
		lower_ascii(lower);
		consider(s, strmap_get(s->logins, lower, strlen(lower)),
		    first_sec, last_sec, out, max, &found);
		free(lower);
		return found;
	}
	if (strmap_count(s->prefixes) == 0 || !cidr_parse_address(key, &addr))
		return 0;
	present = addr.family == AF_INET ? s->v4_len : s->v6_len;
	for (len = addr.family == AF_INET ? 32 : 128; len >= 0; len--) {
		if (!present[len])
			continue;
		net = addr;
		mask(&net, (unsigned)len);
		cidr_format(&net, text, sizeof(text));
		consider(s, strmap_get(s->prefixes, text, strlen(text)),
		    first_sec, last_sec, out, max, &found);
	}
	return found;
}
