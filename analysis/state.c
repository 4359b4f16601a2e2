/*
 * state - per-account baselines kept between runs (see state.h).
 *
 * File layout (every integer a util/wire.h varint, every real an IEEE
 * binary64):
 *
 *	magic		8 bytes, "ZSSTATE\n"
 *	version		uvarint, STATE_FORMAT_VERSION
 *	crc		4 bytes little-endian, CRC-32 of the body
 *	body:
 *	  as_of_sec	svarint, end of the last window folded in (0: none)
 *	  half_life	f64, days, what the averages were made with
 *	  count		uvarint, records that follow
 *	  record:	u8 kind (enum account_kind), str key,
 *			svarint first_day, svarint last_seen_day,
 *			uvarint days_tracked, uvarint days_active,
 *			f64 messages, recipients, distinct_recipients,
 *			distinct_domains (per day, >= 0, finite),
 *			24 bytes hour_share
 *
 * The version comes before the CRC so that a newer file is refused for
 * its version, whatever its body looks like.  Records are sorted by
 * kind and key, so equal states give equal files.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "analysis/state.h"
#include "util/outfile.h"
#include "util/strmap.h"
#include "util/xalloc.h"

#define SECONDS_PER_DAY		86400

/* Longest account key a record may hold (zsconfig's limit is lower). */
#define STATE_KEY_MAX_BYTES	1024

/* The last day a record may name: 9999-12-31. */
#define STATE_DAY_MAX		INT64_C(2932896)

/* The most days a record may have been tracked (saturates there). */
#define STATE_TRACKED_MAX	UINT64_C(0xffffffff)

/* The smallest encoded record, to bound count by the bytes left. */
#define RECORD_MIN_BYTES	(1 + 1 + 1 + 1 + 1 + 1 + 4 * 8 + 24)

struct record {
	enum account_kind kind;
	char		*key;
	struct state_baseline b;
};

struct state {
	struct state_options opts;
	int64_t		 as_of_sec;
	struct strmap	*records;	/* map key -> struct record */
};

/* record_free - free one record (the map's value callback) */
static void
record_free(void *p)
{
	struct record	*r = p;

	if (r != NULL) {
		free(r->key);
		free(r);
	}
}

/*
 * map_key - the map's key for an account: a kind letter, then the key,
 * so that an IP account and a SASL username never collide.  Caller
 * frees.
 */
static char *
map_key(enum account_kind kind, const char *key, size_t *len)
{
	size_t	 n = strlen(key);
	char	*s = xmalloc(n + 2);

	s[0] = (char)('a' + (int)kind);
	memcpy(s + 1, key, n + 1);
	*len = n + 1;
	return s;
}

/* day_of - days since 1970-01-01 UTC of a time, rounding down */
static int64_t
day_of(int64_t sec)
{
	return sec >= 0 ? sec / SECONDS_PER_DAY :
	    -((-sec + SECONDS_PER_DAY - 1) / SECONDS_PER_DAY);
}

/* state_options_defaults - the documented defaults */
void
state_options_defaults(struct state_options *opts)
{
	opts->half_life_days = STATE_DEFAULT_HALF_LIFE_DAYS;
	opts->prune_after_days = STATE_DEFAULT_PRUNE_AFTER_DAYS;
	opts->min_history_days = STATE_DEFAULT_MIN_HISTORY_DAYS;
}

/* state_new - empty */
struct state *
state_new(const struct state_options *opts)
{
	struct state	*st = xcalloc(1, sizeof(*st));

	state_options_defaults(&st->opts);
	if (opts != NULL)
		st->opts = *opts;
	/* Out-of-range numbers would poison the arithmetic. */
	if (!(st->opts.half_life_days >= STATE_HALF_LIFE_DAYS_MIN &&
	    st->opts.half_life_days <= STATE_HALF_LIFE_DAYS_MAX))
		st->opts.half_life_days = STATE_DEFAULT_HALF_LIFE_DAYS;
	if (st->opts.prune_after_days < 1)
		st->opts.prune_after_days = 1;
	st->records = strmap_new(record_free);
	return st;
}

/* state_free - free the records and the state */
void
state_free(struct state *st)
{
	if (st == NULL)
		return;
	strmap_free(st->records);
	free(st);
}

/* ---- reading ----------------------------------------------------- */

/* is_count - a non-negative finite real */
static bool
is_count(double x)
{
	return x >= 0.0 && isfinite(x);
}

/* decode_record - one record into r; false with a reason in err */
static bool
decode_record(struct wire_reader *r, struct record *rec, char *err,
    size_t errlen)
{
	const unsigned char *hours;
	uint8_t		 kind;

	kind = wire_get_u8(r);
	rec->key = wire_get_str(r);
	rec->b.first_day = wire_get_svarint(r);
	rec->b.last_seen_day = wire_get_svarint(r);
	rec->b.days_tracked = wire_get_uvarint(r);
	rec->b.days_active = wire_get_uvarint(r);
	rec->b.messages = wire_get_f64(r);
	rec->b.recipients = wire_get_f64(r);
	rec->b.distinct_recipients = wire_get_f64(r);
	rec->b.distinct_domains = wire_get_f64(r);
	hours = wire_get_raw(r, 24);
	if (r->failed || rec->key == NULL || hours == NULL) {
		snprintf(err, errlen, "truncated record");
		return false;
	}
	memcpy(rec->b.hour_share, hours, 24);
	if (kind > ACCOUNT_LOCAL) {
		snprintf(err, errlen, "record with unknown account kind %u",
		    (unsigned)kind);
		return false;
	}
	rec->kind = (enum account_kind)kind;
	if (rec->key[0] == '\0' || strlen(rec->key) > STATE_KEY_MAX_BYTES) {
		snprintf(err, errlen, "record with an empty or overlong key");
		return false;
	}
	if (!is_count(rec->b.messages) || !is_count(rec->b.recipients) ||
	    !is_count(rec->b.distinct_recipients) ||
	    !is_count(rec->b.distinct_domains) ||
	    rec->b.days_active > rec->b.days_tracked ||
	    rec->b.days_tracked > STATE_TRACKED_MAX ||
	    rec->b.first_day < 0 || rec->b.last_seen_day > STATE_DAY_MAX ||
	    rec->b.last_seen_day < rec->b.first_day) {
		snprintf(err, errlen, "record with impossible figures");
		return false;
	}
	return true;
}

/* state_decode - parse and check a whole file */
enum state_status
state_decode(const void *data, size_t len, const struct state_options *opts,
    struct state **out, char *err, size_t errlen)
{
	struct wire_reader r, body;
	const unsigned char *magic, *crc_bytes;
	struct record	*rec = NULL;
	struct state	*st = NULL;
	uint64_t	 version, count, i;
	uint32_t	 crc;
	double		 half_life;
	char		*mk;
	size_t		 mklen;
	bool		 created;
	void		**slot;

	*out = NULL;
	wire_reader_init(&r, data, len);
	magic = wire_get_raw(&r, STATE_MAGIC_LEN);
	if (magic == NULL || memcmp(magic, STATE_MAGIC, STATE_MAGIC_LEN) != 0) {
		snprintf(err, errlen, "not a zombiescan state file");
		return STATE_CORRUPT;
	}
	version = wire_get_uvarint(&r);
	if (r.failed || version == 0) {
		snprintf(err, errlen, "corrupt state file: bad version");
		return STATE_CORRUPT;
	}
	if (version > STATE_FORMAT_VERSION) {
		snprintf(err, errlen, "state file format version %llu is newer "
		    "than this zombiescan reads (%d)",
		    (unsigned long long)version, STATE_FORMAT_VERSION);
		return STATE_NEWER;
	}
	crc_bytes = wire_get_raw(&r, 4);
	if (crc_bytes == NULL) {
		snprintf(err, errlen, "corrupt state file: truncated header");
		return STATE_CORRUPT;
	}
	crc = (uint32_t)crc_bytes[0] | (uint32_t)crc_bytes[1] << 8 |
	    (uint32_t)crc_bytes[2] << 16 | (uint32_t)crc_bytes[3] << 24;
	if (wire_crc32(r.p, wire_remaining(&r)) != crc) {
		snprintf(err, errlen, "corrupt state file: checksum mismatch "
		    "(truncated or damaged)");
		return STATE_CORRUPT;
	}
	body = r;

	st = state_new(opts);
	st->as_of_sec = wire_get_svarint(&body);
	half_life = wire_get_f64(&body);
	count = wire_get_uvarint(&body);
	if (body.failed || st->as_of_sec < 0 ||
	    st->as_of_sec > STATE_DAY_MAX * SECONDS_PER_DAY ||
	    !(half_life >= STATE_HALF_LIFE_DAYS_MIN &&
	    half_life <= STATE_HALF_LIFE_DAYS_MAX) ||
	    count > wire_remaining(&body) / RECORD_MIN_BYTES) {
		snprintf(err, errlen, "corrupt state file: bad header fields");
		goto bad;
	}
	for (i = 0; i < count; i++) {
		char	reason[100];

		rec = xcalloc(1, sizeof(*rec));
		if (!decode_record(&body, rec, reason, sizeof(reason))) {
			snprintf(err, errlen, "corrupt state file: record "
			    "%llu: %s", (unsigned long long)i + 1, reason);
			goto bad;
		}
		mk = map_key(rec->kind, rec->key, &mklen);
		slot = strmap_slot(st->records, mk, mklen, &created);
		free(mk);
		if (!created) {
			snprintf(err, errlen, "corrupt state file: record "
			    "%llu: duplicate account", (unsigned long long)i + 1);
			goto bad;
		}
		*slot = rec;
		rec = NULL;
	}
	if (wire_remaining(&body) != 0) {
		snprintf(err, errlen, "corrupt state file: %zu bytes after "
		    "the last record", wire_remaining(&body));
		goto bad;
	}
	*out = st;
	return STATE_OK;
bad:
	record_free(rec);
	state_free(st);
	return STATE_CORRUPT;
}

/* read_all - the whole regular file at path; false with errno set */
static bool
read_all(int fd, unsigned char **data, size_t *len)
{
	size_t	 cap = 65536, n = 0;
	unsigned char *buf = xmalloc(cap);
	ssize_t	 got;

	for (;;) {
		if (n == cap) {
			cap *= 2;
			buf = xreallocarray(buf, cap, 1);
		}
		got = read(fd, buf + n, cap - n);
		if (got < 0) {
			if (errno == EINTR)
				continue;
			free(buf);
			return false;
		}
		if (got == 0)
			break;
		n += (size_t)got;
	}
	*data = buf;
	*len = n;
	return true;
}

/* state_load - read a file, or start afresh when there is none */
enum state_status
state_load(const char *path, const struct state_options *opts,
    struct state **out, char *err, size_t errlen)
{
	enum state_status status;
	struct stat	 st;
	unsigned char	*data;
	size_t		 len;
	char		 why[300];
	int		 fd;

	*out = NULL;
	fd = open(path, O_RDONLY);
	if (fd < 0) {
		if (errno == ENOENT) {
			*out = state_new(opts);
			return STATE_MISSING;
		}
		snprintf(err, errlen, "%.200s: %s", path, strerror(errno));
		return STATE_IO_ERROR;
	}
	/* A device or pipe could be endless, and cannot be replaced. */
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%.200s: not a regular file", path);
		close(fd);
		return STATE_IO_ERROR;
	}
	if (!read_all(fd, &data, &len)) {
		snprintf(err, errlen, "%.200s: %s", path, strerror(errno));
		close(fd);
		return STATE_IO_ERROR;
	}
	close(fd);
	status = state_decode(data, len, opts, out, why, sizeof(why));
	free(data);
	if (status != STATE_OK)
		snprintf(err, errlen, "%.200s: %s; refusing to replace it "
		    "(move it away to start afresh)", path, why);
	return status;
}

/* ---- writing ----------------------------------------------------- */

/* record_compare - by kind, then key */
static int
record_compare(const void *pa, const void *pb)
{
	const struct record *a = *(const struct record *const *)pa;
	const struct record *b = *(const struct record *const *)pb;

	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	return strcmp(a->key, b->key);
}

/* sorted_records - every record, by kind and key; caller frees array */
static struct record **
sorted_records(const struct state *st, size_t *count)
{
	size_t		 n = strmap_count(st->records), pos = 0, i = 0;
	struct record	**all = xcalloc(n > 0 ? n : 1, sizeof(*all));
	const char	*key;
	size_t		 keylen;
	void		*value;

	while (i < n && strmap_next(st->records, &pos, &key, &keylen, &value))
		all[i++] = value;
	if (i > 1)
		qsort(all, i, sizeof(*all), record_compare);
	*count = i;
	return all;
}

/* state_encode - the file's bytes */
void
state_encode(const struct state *st, struct wire_buf *buf)
{
	struct wire_buf	 body;
	struct record	**all;
	size_t		 n, i;
	uint32_t	 crc;
	unsigned char	 crc_bytes[4];

	wire_buf_init(&body);
	wire_put_svarint(&body, st->as_of_sec);
	wire_put_f64(&body, st->opts.half_life_days);
	all = sorted_records(st, &n);
	wire_put_uvarint(&body, n);
	for (i = 0; i < n; i++) {
		const struct record *r = all[i];

		wire_put_u8(&body, (uint8_t)r->kind);
		wire_put_str(&body, r->key);
		wire_put_svarint(&body, r->b.first_day);
		wire_put_svarint(&body, r->b.last_seen_day);
		wire_put_uvarint(&body, r->b.days_tracked);
		wire_put_uvarint(&body, r->b.days_active);
		wire_put_f64(&body, r->b.messages);
		wire_put_f64(&body, r->b.recipients);
		wire_put_f64(&body, r->b.distinct_recipients);
		wire_put_f64(&body, r->b.distinct_domains);
		wire_put_raw(&body, r->b.hour_share, 24);
	}
	free(all);

	crc = wire_crc32(body.data, body.len);
	crc_bytes[0] = (unsigned char)(crc & 0xff);
	crc_bytes[1] = (unsigned char)(crc >> 8 & 0xff);
	crc_bytes[2] = (unsigned char)(crc >> 16 & 0xff);
	crc_bytes[3] = (unsigned char)(crc >> 24 & 0xff);
	wire_put_raw(buf, STATE_MAGIC, STATE_MAGIC_LEN);
	wire_put_uvarint(buf, STATE_FORMAT_VERSION);
	wire_put_raw(buf, crc_bytes, 4);
	wire_put_raw(buf, body.data, body.len);
	wire_buf_free(&body);
}

/* state_write - the bytes to a stream, flushed */
bool
state_write(const struct state *st, FILE *out, char *err, size_t errlen)
{
	struct wire_buf	 buf;
	bool		 ok;

	wire_buf_init(&buf);
	state_encode(st, &buf);
	errno = 0;
	ok = (buf.len == 0 || fwrite(buf.data, 1, buf.len, out) == buf.len) &&
	    fflush(out) == 0 && !ferror(out);
	if (!ok)
		snprintf(err, errlen, "write error: %s",
		    strerror(errno != 0 ? errno : EIO));
	wire_buf_free(&buf);
	return ok;
}

/* state_save - replace path atomically */
bool
state_save(const struct state *st, const char *path, char *err,
    size_t errlen)
{
	struct outfile	*out;
	char		 why[200];

	out = outfile_open(path, err, errlen);
	if (out == NULL)
		return false;
	if (!state_write(st, outfile_stream(out), why, sizeof(why))) {
		snprintf(err, errlen, "%.200s: %s (the previous state is "
		    "kept)", path, why);
		outfile_abort(out);
		return false;
	}
	return outfile_commit(out, err, errlen);
}

/* ---- updating ---------------------------------------------------- */

/*
 * fold_hours - move the hour shares toward today's (messages by hour)
 * by weight w; the first active day takes today's shares outright
 */
static void
fold_hours(struct state_baseline *b, const uint64_t *by_hour, double w,
    bool first)
{
	uint64_t total = 0;
	double	 today, v;
	int	 h;

	for (h = 0; h < 24; h++)
		total += by_hour[h];
	if (total == 0)
		return;
	for (h = 0; h < 24; h++) {
		today = 255.0 * (double)by_hour[h] / (double)total;
		v = first ? today : (1.0 - w) * b->hour_share[h] + w * today;
		b->hour_share[h] = (uint8_t)lround(v < 0.0 ? 0.0 :
		    v > 255.0 ? 255.0 : v);
	}
}

/* state_update - fold one run in (see state.h) */
enum state_update_result
state_update(struct state *st, const struct aggregator *agg,
    int64_t window_first_sec, int64_t window_last_sec, size_t *pruned)
{
	struct account_features f;
	const struct account *acct;
	struct record	**all;
	double		 window_days, keep, w;
	int64_t		 today, days, from_day, first;
	uint64_t	 active;
	size_t		 n, i, pos = 0, dropped = 0;
	char		*mk;
	size_t		 mklen;
	bool		 created;
	void		**slot;

	if (pruned != NULL)
		*pruned = 0;
	if (window_last_sec <= 0 || window_last_sec < window_first_sec)
		return STATE_NO_WINDOW;
	if (window_last_sec <= st->as_of_sec)
		return STATE_NOT_NEWER;
	/*
	 * The window's length in whole days (a day's logs span 00:00 to
	 * 23:59, so rounding gives 1); only the part after the state's as
	 * of time is new, so an overlap is not counted twice.
	 */
	days = llround((double)(window_last_sec - window_first_sec) /
	    SECONDS_PER_DAY);
	if (days < 1)
		days = 1;
	window_days = (double)days;
	if (st->as_of_sec > 0 && window_first_sec < st->as_of_sec) {
		int64_t fresh = llround((double)(window_last_sec -
		    st->as_of_sec) / SECONDS_PER_DAY);

		days = fresh < 1 ? 1 : fresh < days ? fresh : days;
	}
	today = day_of(window_last_sec);
	from_day = today - days + 1;
	/* Each day weighs 1 - 2^(-1/H); k days keep 2^(-k/H) of the past. */
	keep = exp2(-(double)days / st->opts.half_life_days);
	w = 1.0 - keep;

	/* Every known account decays as if silent... */
	all = sorted_records(st, &n);
	for (i = 0; i < n; i++) {
		struct state_baseline *b = &all[i]->b;

		b->messages *= keep;
		b->recipients *= keep;
		b->distinct_recipients *= keep;
		b->distinct_domains *= keep;
		b->days_tracked = b->days_tracked + (uint64_t)days >
		    STATE_TRACKED_MAX ? STATE_TRACKED_MAX :
		    b->days_tracked + (uint64_t)days;
	}
	free(all);

	/* ...then those that sent take their share of today's figures. */
	while (agg != NULL && aggregator_next(agg, &pos, &acct)) {
		struct record *r;
		double	scale;

		account_features(acct, &f);
		if (f.messages == 0)
			continue;	/* scanners, guessed usernames */
		/* No record could hold the key (decode_record()). */
		if (account_key(acct)[0] == '\0' ||
		    strlen(account_key(acct)) > STATE_KEY_MAX_BYTES)
			continue;
		scale = 1.0 / window_days;
		mk = map_key(account_kind(acct), account_key(acct), &mklen);
		slot = strmap_slot(st->records, mk, mklen, &created);
		free(mk);
		if (created) {
			/*
			 * The first days stand for the account's habits:
			 * from the day it was first seen, so that one
			 * first seen on a window's last day is as new as
			 * after a run over that day alone.
			 */
			first = day_of(f.first_seen_sec);
			if (first > today)
				first = today;
			if (first > day_of(window_first_sec))
				scale = 1.0 / (double)(today - first + 1);
			if (first < from_day)
				first = from_day;
			r = xcalloc(1, sizeof(*r));
			r->kind = account_kind(acct);
			r->key = xstrdup(account_key(acct));
			r->b.first_day = first < 0 ? 0 : first;
			r->b.days_tracked = (uint64_t)(today -
			    r->b.first_day + 1);
			r->b.messages = (double)f.messages * scale;
			r->b.recipients = (double)f.recipients * scale;
			r->b.distinct_recipients =
			    (double)f.distinct_recipients * scale;
			r->b.distinct_domains =
			    (double)f.distinct_domains * scale;
			*slot = r;
		} else {
			r = *slot;
			r->b.messages += w * (double)f.messages * scale;
			r->b.recipients += w * (double)f.recipients * scale;
			r->b.distinct_recipients += w *
			    (double)f.distinct_recipients * scale;
			r->b.distinct_domains += w *
			    (double)f.distinct_domains * scale;
		}
		fold_hours(&r->b, f.messages_by_hour, w,
		    r->b.days_active == 0);
		/* The days it sent on, not the window's. */
		active = account_days_active(acct, from_day);
		if (created && active == 0)
			active = 1;	/* all before from_day: an overlap */
		r->b.days_active += active;
		if (r->b.days_active > r->b.days_tracked)
			r->b.days_active = r->b.days_tracked;
		r->b.last_seen_day = today;
	}

	/* Drop accounts silent for longer than prune_after_days. */
	all = sorted_records(st, &n);
	for (i = 0; i < n; i++) {
		if (today - all[i]->b.last_seen_day <=
		    (int64_t)st->opts.prune_after_days)
			continue;
		mk = map_key(all[i]->kind, all[i]->key, &mklen);
		strmap_remove(st->records, mk, mklen);
		free(mk);
		dropped++;
	}
	free(all);
	st->as_of_sec = window_last_sec;
	if (pruned != NULL)
		*pruned = dropped;
	return STATE_UPDATED;
}

/* ---- queries ----------------------------------------------------- */

/* state_lookup - an account's baseline */
bool
state_lookup(const struct state *st, enum account_kind kind,
    const char *key, struct state_baseline *out)
{
	const struct record *r;
	char		*mk;
	size_t		 mklen;

	if (st == NULL || key == NULL)
		return false;
	mk = map_key(kind, key, &mklen);
	r = strmap_get(st->records, mk, mklen);
	free(mk);
	if (r == NULL)
		return false;
	*out = r->b;
	return true;
}

/* state_as_of - the last window's end */
int64_t
state_as_of(const struct state *st)
{
	return st->as_of_sec;
}

/* state_account_count - records */
size_t
state_account_count(const struct state *st)
{
	return strmap_count(st->records);
}

/* state_get_options - options */
const struct state_options *
state_get_options(const struct state *st)
{
	return &st->opts;
}

/* state_status_name - a status as a word */
const char *
state_status_name(enum state_status status)
{
	switch (status) {
	case STATE_OK:
		return "ok";
	case STATE_MISSING:
		return "missing";
	case STATE_CORRUPT:
		return "corrupt";
	case STATE_NEWER:
		return "newer";
	case STATE_IO_ERROR:
		break;
	}
	return "io_error";
}

/* ---- locking ----------------------------------------------------- */

struct state_lock {
	int	fd;
};

/* state_lock_acquire - an fcntl() write lock on path.lock */
struct state_lock *
state_lock_acquire(const char *path, bool *busy, char *err, size_t errlen)
{
	struct state_lock *lock;
	struct flock	 fl;
	struct stat	 st;
	size_t		 n;
	char		*name, *real = NULL;
	int		 fd, saved;

	if (busy != NULL)
		*busy = false;
	/*
	 * Through a link the state saved is the file it names (outfile.c):
	 * the lock is beside that file, so that a run given the link and
	 * one given the file exclude each other.
	 */
	if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode))
		real = realpath(path, NULL);
	n = strlen(real != NULL ? real : path) + sizeof(".lock");
	name = xmalloc(n);
	snprintf(name, n, "%s.lock", real != NULL ? real : path);
	free(real);
	fd = open(name, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
	if (fd < 0) {
		snprintf(err, errlen, "%.200s: cannot open lock file: %s",
		    name, strerror(errno));
		free(name);
		return NULL;
	}
	memset(&fl, 0, sizeof(fl));
	fl.l_type = F_WRLCK;
	fl.l_whence = SEEK_SET;
	if (fcntl(fd, F_SETLK, &fl) != 0) {
		saved = errno;
		if (saved == EACCES || saved == EAGAIN) {
			/* Who holds it; F_GETLK may race with its exit. */
			memset(&fl, 0, sizeof(fl));
			fl.l_type = F_WRLCK;
			fl.l_whence = SEEK_SET;
			if (busy != NULL)
				*busy = true;
			if (fcntl(fd, F_GETLK, &fl) == 0 &&
			    fl.l_type != F_UNLCK)
				snprintf(err, errlen, "state %.200s is in use "
				    "by another run (pid %ld)", path,
				    (long)fl.l_pid);
			else
				snprintf(err, errlen, "state %.200s is in use "
				    "by another run", path);
		} else
			snprintf(err, errlen, "%.200s: cannot lock: %s", name,
			    strerror(saved));
		close(fd);
		free(name);
		return NULL;
	}
	free(name);
	lock = xcalloc(1, sizeof(*lock));
	lock->fd = fd;
	return lock;
}

/* state_lock_release - closing the descriptor releases the lock */
void
state_lock_release(struct state_lock *lock)
{
	if (lock == NULL)
		return;
	close(lock->fd);
	free(lock);
}
