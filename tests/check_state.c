/*
 * check_state - per-account baselines kept between runs
 * (analysis/state.h): decay arithmetic, pruning, the file round trip,
 * refusal of damaged, truncated and newer files, the lock, and the
 * scorer's use of a baseline.
 *
 * Aggregates are built from hand-made records as the correlator would
 * hand them out: one account sending n messages, each to one
 * recipient at its own domain, at a given hour of a given day.
 */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "analysis/aggregator.h"
#include "analysis/classify.h"
#include "analysis/scorer.h"
#include "analysis/state.h"
#include "util/wire.h"
#include "tests/testutil.h"

#define DAY		INT64_C(86400)
#define DAY0		INT64_C(20500)		/* 2026-02-14 */

/* A run's window: one whole day. */
#define WINDOW_FIRST(d)	((DAY0 + (d)) * DAY)
#define WINDOW_LAST(d)	((DAY0 + (d)) * DAY + DAY - 1)

static struct classifier *cls;

/* add_mail - n messages from account (a SASL user) on day d at hour h */
static void
add_mail(struct aggregator *agg, const char *account, int d, int h,
    unsigned n)
{
	struct recipient rcpt;
	struct message	 m;
	char		 qid[32], addr[64];
	unsigned	 i;

	for (i = 0; i < n; i++) {
		memset(&m, 0, sizeof(m));
		memset(&rcpt, 0, sizeof(rcpt));
		snprintf(qid, sizeof(qid), "Q%s%d%u", account, d, i);
		snprintf(addr, sizeof(addr), "r%u@d%u.example", i, i);
		m.kind = RECORD_MESSAGE;
		m.origin = ORIGIN_SMTP;
		m.host = (char *)"relay1";
		m.queue_id = qid;
		m.client_ip = (char *)"192.0.2.7";
		m.sasl_username = (char *)account;
		m.sender = (char *)"someone@isp.example";
		m.uid = -1;
		m.first_sec = WINDOW_FIRST(d) + h * 3600 + i % 3000;
		m.last_sec = m.first_sec + 2;
		m.is_complete = true;
		rcpt.address = addr;
		rcpt.transport = (char *)"smtp";
		rcpt.status = DELIVERY_SENT;
		rcpt.time_sec = m.last_sec;
		m.recipients = &rcpt;
		m.recipient_count = 1;
		aggregator_add(agg, &m);
	}
}

/* day_of_mail - an aggregate of one account's n messages on day d */
static struct aggregator *
day_of_mail(const char *account, int d, unsigned n)
{
	struct aggregator *agg = aggregator_new(cls);

	if (n > 0)
		add_mail(agg, account, d, 10, n);
	return agg;
}

/* fold - one day of n messages into st */
static enum state_update_result
fold(struct state *st, const char *account, int d, unsigned n,
    size_t *pruned)
{
	struct aggregator *agg = day_of_mail(account, d, n);
	enum state_update_result r;

	r = state_update(st, agg, WINDOW_FIRST(d), WINDOW_LAST(d), pruned);
	aggregator_free(agg);
	return r;
}

/* encoded - a state's file bytes; caller frees buf */
static void
encoded(const struct state *st, struct wire_buf *buf)
{
	wire_buf_init(buf);
	state_encode(st, buf);
}

/* temp_path - a fresh name in the temporary directory; caller frees */
static char *
temp_path(const char *tag)
{
	const char	*dir = getenv("TMPDIR");
	char		*p;
	size_t		 n;

	if (dir == NULL || dir[0] == '\0')
		dir = "/tmp";
	n = strlen(dir) + strlen(tag) + 64;
	p = malloc(n);
	ck_assert_ptr_nonnull(p);
	snprintf(p, n, "%s/check_state.%ld.%s", dir, (long)getpid(), tag);
	return p;
}

START_TEST(test_new_empty)
{
	struct state	*st = state_new(NULL);
	struct state_baseline b;

	ck_assert_int_eq(state_as_of(st), 0);
	ck_assert_uint_eq(state_account_count(st), 0);
	ck_assert(!state_lookup(st, ACCOUNT_SASL, "alice", &b));
	ck_assert(state_get_options(st)->half_life_days ==
	    STATE_DEFAULT_HALF_LIFE_DAYS);
	ck_assert_str_eq(state_status_name(STATE_CORRUPT), "corrupt");
	state_free(st);
	state_free(NULL);
}
END_TEST

/*
 * The first day sets the average outright; each later day moves it by
 * 1 - 2^(-1/H) toward the day's figure, and a silent day counts as 0.
 */
START_TEST(test_decay_arithmetic)
{
	struct state_options so;
	struct state	*st;
	struct state_baseline b;
	double		 keep, expect;

	state_options_defaults(&so);
	so.half_life_days = 2.0;
	st = state_new(&so);
	keep = exp2(-1.0 / 2.0);

	ck_assert_int_eq(fold(st, "alice", 0, 40, NULL), STATE_UPDATED);
	ck_assert(state_lookup(st, ACCOUNT_SASL, "alice", &b));
	ck_assert(fabs(b.messages - 40.0) < 1e-9);
	ck_assert(fabs(b.distinct_domains - 40.0) < 1e-9);
	ck_assert_uint_eq(b.days_tracked, 1);
	ck_assert_uint_eq(b.days_active, 1);
	ck_assert_int_eq(b.first_day, DAY0);
	ck_assert_int_eq(b.last_seen_day, DAY0);
	ck_assert_uint_eq(b.hour_share[10], 255);
	ck_assert_uint_eq(b.hour_share[9], 0);
	ck_assert_int_eq(state_as_of(st), WINDOW_LAST(0));

	ck_assert_int_eq(fold(st, "alice", 1, 10, NULL), STATE_UPDATED);
	ck_assert(state_lookup(st, ACCOUNT_SASL, "alice", &b));
	expect = keep * 40.0 + (1.0 - keep) * 10.0;
	ck_assert_msg(fabs(b.messages - expect) < 1e-9, "%.9f != %.9f",
	    b.messages, expect);

	/* A day without this account: it decays as a day of nothing. */
	ck_assert_int_eq(fold(st, "bob", 2, 5, NULL), STATE_UPDATED);
	ck_assert(state_lookup(st, ACCOUNT_SASL, "alice", &b));
	expect *= keep;
	ck_assert(fabs(b.messages - expect) < 1e-9);
	ck_assert_uint_eq(b.days_tracked, 3);
	ck_assert_uint_eq(b.days_active, 2);
	ck_assert_int_eq(b.last_seen_day, DAY0 + 1);
	ck_assert(state_lookup(st, ACCOUNT_SASL, "bob", &b));
	ck_assert_uint_eq(b.days_tracked, 1);
	ck_assert(!state_lookup(st, ACCOUNT_IP, "alice", &b));
	state_free(st);
}
END_TEST

/* A two-day window counts its figures per day, and decays twice. */
START_TEST(test_two_day_window)
{
	struct state	*st = state_new(NULL);
	struct aggregator *agg = aggregator_new(cls);
	struct state_baseline b;

	add_mail(agg, "carol", 0, 9, 30);
	add_mail(agg, "carol", 1, 9, 10);
	ck_assert_int_eq(state_update(st, agg, WINDOW_FIRST(0),
	    WINDOW_LAST(1), NULL), STATE_UPDATED);
	ck_assert(state_lookup(st, ACCOUNT_SASL, "carol", &b));
	ck_assert(fabs(b.messages - 20.0) < 1e-6);
	ck_assert_uint_eq(b.days_tracked, 2);
	ck_assert_uint_eq(b.days_active, 2);
	ck_assert_int_eq(b.first_day, DAY0);
	aggregator_free(agg);
	state_free(st);
}
END_TEST

/*
 * In a two-day window, an account first seen on the second day is as
 * new as after a night of that day alone, and one that sent on one of
 * the two days was active on one.
 */
START_TEST(test_window_days_per_account)
{
	struct state	*st = state_new(NULL), *nightly = state_new(NULL);
	struct aggregator *agg = aggregator_new(cls);
	struct state_baseline b, n;

	add_mail(agg, "erin", 1, 9, 12);
	add_mail(agg, "frank", 0, 9, 8);
	ck_assert_int_eq(state_update(st, agg, WINDOW_FIRST(0),
	    WINDOW_LAST(1), NULL), STATE_UPDATED);
	fold(nightly, "erin", 1, 12, NULL);

	ck_assert(state_lookup(st, ACCOUNT_SASL, "erin", &b));
	ck_assert(state_lookup(nightly, ACCOUNT_SASL, "erin", &n));
	ck_assert_int_eq(b.first_day, DAY0 + 1);
	ck_assert_int_eq(b.first_day, n.first_day);
	ck_assert_uint_eq(b.days_tracked, 1);
	ck_assert_uint_eq(b.days_tracked, n.days_tracked);
	ck_assert_uint_eq(b.days_active, 1);
	ck_assert_uint_eq(b.days_active, n.days_active);
	ck_assert(fabs(b.messages - 12.0) < 1e-9);
	ck_assert(fabs(b.messages - n.messages) < 1e-9);

	ck_assert(state_lookup(st, ACCOUNT_SASL, "frank", &b));
	ck_assert_int_eq(b.first_day, DAY0);
	ck_assert_uint_eq(b.days_tracked, 2);
	ck_assert_uint_eq(b.days_active, 1);
	ck_assert(fabs(b.messages - 4.0) < 1e-9);
	aggregator_free(agg);
	state_free(st);
	state_free(nightly);
}
END_TEST

/*
 * An account whose key no record may hold (longer than the loader
 * takes) gets no baseline; the file stays loadable.
 */
START_TEST(test_long_key_skipped)
{
	struct state	*st = state_new(NULL), *back = NULL;
	struct aggregator *agg = aggregator_new(cls);
	struct state_baseline b;
	struct wire_buf	 buf;
	char		 key[1100 + 16], err[256];

	memset(key, 'x', 1100);
	strcpy(key + 1100, "@isp.example");
	add_mail(agg, key, 0, 9, 3);
	add_mail(agg, "gina", 0, 9, 3);
	ck_assert_int_eq(state_update(st, agg, WINDOW_FIRST(0),
	    WINDOW_LAST(0), NULL), STATE_UPDATED);
	ck_assert(!state_lookup(st, ACCOUNT_SASL, key, &b));
	ck_assert_uint_eq(state_account_count(st), 1);
	encoded(st, &buf);
	ck_assert_int_eq(state_decode(buf.data, buf.len, NULL, &back, err,
	    sizeof(err)), STATE_OK);
	ck_assert(state_lookup(back, ACCOUNT_SASL, "gina", &b));
	wire_buf_free(&buf);
	aggregator_free(agg);
	state_free(back);
	state_free(st);
}
END_TEST

/* one_record_file - a state file of one record tracked for tracked days */
static void
one_record_file(struct wire_buf *buf, uint64_t tracked)
{
	struct wire_buf	 body;
	unsigned char	 hours[24] = { 0 }, crc[4];
	uint32_t	 c;
	int		 i;

	wire_buf_init(&body);
	wire_put_svarint(&body, WINDOW_LAST(0));
	wire_put_f64(&body, 7.0);
	wire_put_uvarint(&body, 1);
	wire_put_u8(&body, (uint8_t)ACCOUNT_SASL);
	wire_put_str(&body, "otto");
	wire_put_svarint(&body, DAY0);
	wire_put_svarint(&body, DAY0);
	wire_put_uvarint(&body, tracked);
	wire_put_uvarint(&body, 1);
	for (i = 0; i < 4; i++)
		wire_put_f64(&body, 1.0);
	hours[10] = 255;
	wire_put_raw(&body, hours, 24);
	c = wire_crc32(body.data, body.len);
	for (i = 0; i < 4; i++)
		crc[i] = (unsigned char)(c >> (8 * i) & 0xff);
	wire_buf_init(buf);
	wire_put_raw(buf, STATE_MAGIC, STATE_MAGIC_LEN);
	wire_put_uvarint(buf, STATE_FORMAT_VERSION);
	wire_put_raw(buf, crc, 4);
	wire_put_raw(buf, body.data, body.len);
	wire_buf_free(&body);
}

/*
 * A record tracked for more days than any run could add up to is
 * refused on loading, so that no update can wrap the count into a
 * file the next night refuses.
 */
START_TEST(test_tracked_bounded)
{
	struct state	*st = NULL;
	struct wire_buf	 buf;
	char		 err[256];

	one_record_file(&buf, 3);
	ck_assert_int_eq(state_decode(buf.data, buf.len, NULL, &st, err,
	    sizeof(err)), STATE_OK);
	state_free(st);
	st = NULL;
	wire_buf_free(&buf);
	one_record_file(&buf, UINT64_MAX);
	ck_assert_int_eq(state_decode(buf.data, buf.len, NULL, &st, err,
	    sizeof(err)), STATE_CORRUPT);
	ck_assert_ptr_null(st);
	ck_assert_ptr_nonnull(strstr(err, "impossible"));
	wire_buf_free(&buf);
}
END_TEST

/* A window overlapping the last one counts only its new days. */
START_TEST(test_overlap)
{
	struct state	*st = state_new(NULL);
	struct aggregator *agg = aggregator_new(cls);
	struct state_baseline b;

	fold(st, "dave", 0, 10, NULL);
	add_mail(agg, "dave", 0, 9, 10);
	add_mail(agg, "dave", 1, 9, 30);
	ck_assert_int_eq(state_update(st, agg, WINDOW_FIRST(0),
	    WINDOW_LAST(1), NULL), STATE_UPDATED);
	ck_assert(state_lookup(st, ACCOUNT_SASL, "dave", &b));
	ck_assert_uint_eq(b.days_tracked, 2);
	ck_assert_int_eq(b.last_seen_day, DAY0 + 1);
	/* One day elapsed: the day's figure is the window's per day. */
	ck_assert(fabs(b.messages - (exp2(-1.0 / 7.0) * 10.0 +
	    (1.0 - exp2(-1.0 / 7.0)) * 20.0)) < 1e-9);
	aggregator_free(agg);
	state_free(st);
}
END_TEST

/* The same night twice, or an older one, changes nothing. */
START_TEST(test_not_newer)
{
	struct state	*st = state_new(NULL);
	struct state_baseline b;
	struct wire_buf	 before, after;

	ck_assert_int_eq(fold(st, "alice", 3, 40, NULL), STATE_UPDATED);
	encoded(st, &before);
	ck_assert_int_eq(fold(st, "alice", 3, 900, NULL), STATE_NOT_NEWER);
	ck_assert_int_eq(fold(st, "alice", 2, 900, NULL), STATE_NOT_NEWER);
	encoded(st, &after);
	ck_assert_uint_eq(before.len, after.len);
	ck_assert(memcmp(before.data, after.data, before.len) == 0);
	ck_assert(state_lookup(st, ACCOUNT_SASL, "alice", &b));
	ck_assert(fabs(b.messages - 40.0) < 1e-9);
	ck_assert_int_eq(state_update(st, NULL, INT64_MAX, INT64_MIN, NULL),
	    STATE_NO_WINDOW);
	wire_buf_free(&before);
	wire_buf_free(&after);
	state_free(st);
}
END_TEST

/* Silent longer than prune_after_days: dropped. */
START_TEST(test_prune)
{
	struct state_options so;
	struct state	*st;
	struct state_baseline b;
	size_t		 pruned = 99;
	int		 d;

	state_options_defaults(&so);
	so.prune_after_days = 3;
	st = state_new(&so);
	ck_assert_int_eq(fold(st, "alice", 0, 5, &pruned), STATE_UPDATED);
	ck_assert_uint_eq(pruned, 0);
	for (d = 1; d <= 3; d++) {
		fold(st, "bob", d, 5, &pruned);
		ck_assert_uint_eq(pruned, 0);
		ck_assert(state_lookup(st, ACCOUNT_SASL, "alice", &b));
	}
	fold(st, "bob", 4, 5, &pruned);
	ck_assert_uint_eq(pruned, 1);
	ck_assert(!state_lookup(st, ACCOUNT_SASL, "alice", &b));
	ck_assert(state_lookup(st, ACCOUNT_SASL, "bob", &b));
	ck_assert_uint_eq(state_account_count(st), 1);
	state_free(st);
}
END_TEST

/* Encode, decode, encode: the same bytes and the same baselines. */
START_TEST(test_round_trip)
{
	struct state	*st = state_new(NULL), *back = NULL;
	struct state_baseline a, b;
	struct wire_buf	 one, two;
	char		 err[256];

	fold(st, "alice", 0, 40, NULL);
	fold(st, "bob", 1, 7, NULL);
	encoded(st, &one);
	ck_assert(memcmp(one.data, STATE_MAGIC, STATE_MAGIC_LEN) == 0);
	ck_assert_int_eq(state_decode(one.data, one.len, NULL, &back, err,
	    sizeof(err)), STATE_OK);
	encoded(back, &two);
	ck_assert_uint_eq(one.len, two.len);
	ck_assert(memcmp(one.data, two.data, one.len) == 0);
	ck_assert_int_eq(state_as_of(back), state_as_of(st));
	ck_assert_uint_eq(state_account_count(back), 2);
	ck_assert(state_lookup(st, ACCOUNT_SASL, "alice", &a));
	ck_assert(state_lookup(back, ACCOUNT_SASL, "alice", &b));
	ck_assert(memcmp(&a, &b, sizeof(a)) == 0);
	wire_buf_free(&one);
	wire_buf_free(&two);
	state_free(back);
	state_free(st);
}
END_TEST

/* Every truncation and every single-bit flip is refused. */
START_TEST(test_corrupt_refused)
{
	struct state	*st = state_new(NULL), *back;
	struct wire_buf	 buf;
	unsigned char	*copy;
	char		 err[256];
	size_t		 i;
	enum state_status status;

	fold(st, "alice", 0, 40, NULL);
	encoded(st, &buf);
	for (i = 0; i < buf.len; i++) {
		back = st;	/* must be reset to NULL */
		status = state_decode(buf.data, i, NULL, &back, err,
		    sizeof(err));
		ck_assert_msg(status == STATE_CORRUPT, "length %zu: %s", i,
		    state_status_name(status));
		ck_assert_ptr_null(back);
		ck_assert(err[0] != '\0');
	}
	copy = malloc(buf.len);
	ck_assert_ptr_nonnull(copy);
	for (i = 0; i < buf.len * 8; i++) {
		memcpy(copy, buf.data, buf.len);
		copy[i / 8] ^= (unsigned char)(1u << (i % 8));
		status = state_decode(copy, buf.len, NULL, &back, err,
		    sizeof(err));
		/* The version byte may flip to a newer version. */
		ck_assert_msg(status == STATE_CORRUPT || status == STATE_NEWER,
		    "bit %zu: %s", i, state_status_name(status));
		ck_assert_ptr_null(back);
	}
	free(copy);
	wire_buf_free(&buf);
	state_free(st);
}
END_TEST

/* A newer version is refused for its version, whatever follows. */
START_TEST(test_newer_refused)
{
	struct wire_buf	 buf;
	struct state	*back;
	char		 err[256];

	wire_buf_init(&buf);
	wire_put_raw(&buf, STATE_MAGIC, STATE_MAGIC_LEN);
	wire_put_uvarint(&buf, STATE_FORMAT_VERSION + 1);
	wire_put_raw(&buf, "garbage", 7);
	ck_assert_int_eq(state_decode(buf.data, buf.len, NULL, &back, err,
	    sizeof(err)), STATE_NEWER);
	ck_assert_ptr_null(back);
	ck_assert_msg(strstr(err, "newer") != NULL, "%s", err);
	wire_buf_free(&buf);
}
END_TEST

/* Files: missing starts afresh, a bad one is refused and kept. */
START_TEST(test_load_save)
{
	char		*path = temp_path("state");
	struct state	*st, *back;
	struct stat	 sb;
	FILE		*f;
	char		 err[512];

	unlink(path);
	ck_assert_int_eq(state_load(path, NULL, &st, err, sizeof(err)),
	    STATE_MISSING);
	ck_assert_ptr_nonnull(st);
	fold(st, "alice", 0, 40, NULL);
	ck_assert_msg(state_save(st, path, err, sizeof(err)), "%s", err);
	ck_assert_int_eq(state_load(path, NULL, &back, err, sizeof(err)),
	    STATE_OK);
	ck_assert_uint_eq(state_account_count(back), 1);
	state_free(back);

	f = fopen(path, "r+b");
	ck_assert_ptr_nonnull(f);
	fseek(f, -3, SEEK_END);
	fputc('X', f);
	fclose(f);
	ck_assert_int_eq(state_load(path, NULL, &back, err, sizeof(err)),
	    STATE_CORRUPT);
	ck_assert_ptr_null(back);
	ck_assert_msg(strstr(err, path) != NULL &&
	    strstr(err, "refusing") != NULL, "%s", err);
	ck_assert_int_eq(stat(path, &sb), 0);

	ck_assert_int_eq(state_load("/dev/null", NULL, &back, err,
	    sizeof(err)), STATE_IO_ERROR);
	ck_assert_msg(strstr(err, "not a regular file") != NULL, "%s", err);
	unlink(path);
	state_free(st);
	free(path);
}
END_TEST

/* A full disk is a write error with the system's words. */
START_TEST(test_full_disk)
{
	struct state	*st = state_new(NULL);
	char		 err[256];
	FILE		*f;
	int		 i;

	for (i = 0; i < 8; i++)
		fold(st, i % 2 ? "alice" : "bob", i, 40, NULL);
	f = fopen("/dev/full", "wb");
	if (f == NULL) {
		state_free(st);
		return;		/* no /dev/full here */
	}
	setvbuf(f, NULL, _IONBF, 0);
	ck_assert(!state_write(st, f, err, sizeof(err)));
	ck_assert_msg(strstr(err, strerror(ENOSPC)) != NULL, "%s", err);
	fclose(f);
	state_free(st);
}
END_TEST

/* A second process is refused, naming the first; then it may lock. */
START_TEST(test_lock)
{
	char		*path = temp_path("lock");
	char		 err[512], lockname[600];
	struct state_lock *lock, *again;
	int		 pipefd[2], status;
	bool		 busy = false;
	pid_t		 pid;
	char		 c;

	lock = state_lock_acquire(path, &busy, err, sizeof(err));
	ck_assert_msg(lock != NULL, "%s", err);
	ck_assert(!busy);
	ck_assert_int_eq(pipe(pipefd), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		char	expect[64];

		again = state_lock_acquire(path, &busy, err, sizeof(err));
		snprintf(expect, sizeof(expect), "(pid %ld)",
		    (long)getppid());
		c = again == NULL && busy && strstr(err, "in use by another "
		    "run") != NULL && strstr(err, expect) != NULL ? 'y' : 'n';
		if (write(pipefd[1], &c, 1) != 1)
			_exit(2);
		_exit(0);
	}
	ck_assert_int_eq(read(pipefd[0], &c, 1), 1);
	waitpid(pid, &status, 0);
	ck_assert_int_eq(c, 'y');
	state_lock_release(lock);

	/* Released: the next run gets it. */
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		again = state_lock_acquire(path, &busy, err, sizeof(err));
		_exit(again != NULL ? 0 : 1);
	}
	waitpid(pid, &status, 0);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	close(pipefd[0]);
	close(pipefd[1]);
	snprintf(lockname, sizeof(lockname), "%s.lock", path);
	unlink(lockname);
	state_lock_release(NULL);
	free(path);
}
END_TEST

/*
 * Through a link to the state, the lock is the one beside the file it
 * names: a run given the link and one given the file exclude each
 * other (the state saved through the link replaces that file).
 */
START_TEST(test_lock_through_link)
{
	char		*path = temp_path("linked"), *link = temp_path("link");
	char		 err[512], lockname[600];
	struct state_lock *lock, *again;
	struct stat	 st;
	int		 status;
	bool		 busy = false;
	pid_t		 pid;
	FILE		*f;

	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(fclose(f), 0);
	ck_assert_int_eq(symlink(path, link), 0);
	lock = state_lock_acquire(link, &busy, err, sizeof(err));
	ck_assert_msg(lock != NULL, "%s", err);
	snprintf(lockname, sizeof(lockname), "%s.lock", path);
	ck_assert_int_eq(stat(lockname, &st), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		again = state_lock_acquire(path, &busy, err, sizeof(err));
		_exit(again == NULL && busy ? 0 : 1);
	}
	waitpid(pid, &status, 0);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	state_lock_release(lock);
	unlink(lockname);
	unlink(link);
	unlink(path);
	free(link);
	free(path);
}
END_TEST

/*
 * The scorer: an account whose baseline is 5 a day sending 900 gets
 * baseline_jump; one that sends its usual 900 gets none, and its
 * volume rules are damped.
 */
START_TEST(test_scorer_baseline)
{
	struct state	*st = state_new(NULL);
	struct aggregator *agg;
	struct scorer	*sc;
	struct score	 s;
	const struct account *acct;
	size_t		 i;
	int		 d;
	bool		 jump = false, damped = false;
	double		 plain_points = 0.0;

	for (d = 0; d < 5; d++) {
		agg = aggregator_new(cls);
		add_mail(agg, "quiet", d, 10, 5);
		add_mail(agg, "news", d, 10, 900);
		state_update(st, agg, WINDOW_FIRST(d), WINDOW_LAST(d), NULL);
		aggregator_free(agg);
	}
	agg = aggregator_new(cls);
	add_mail(agg, "quiet", 5, 10, 900);
	add_mail(agg, "news", 5, 10, 900);
	/* A population in which 900 a day stands out. */
	for (i = 0; i < 300; i++) {
		char	name[16];

		snprintf(name, sizeof(name), "home%zu", i);
		add_mail(agg, name, 5, 10, 6);
	}

	sc = scorer_new(NULL);
	scorer_fit(sc, agg);
	acct = aggregator_find(agg, ACCOUNT_SASL, "news");
	ck_assert_ptr_nonnull(acct);
	scorer_score(sc, acct, &s);
	for (i = 0; i < s.count; i++)
		plain_points += s.contributions[i].points;

	scorer_use_state(sc, st, 1.0);
	ck_assert_ptr_eq(scorer_state(sc), st);
	acct = aggregator_find(agg, ACCOUNT_SASL, "quiet");
	scorer_score(sc, acct, &s);
	for (i = 0; i < s.count; i++)
		if (strcmp(s.contributions[i].feature, "baseline_jump") == 0) {
			jump = true;
			ck_assert_str_eq(s.contributions[i].comparison,
			    "baseline");
			ck_assert_msg(strstr(s.contributions[i].reason,
			    "900 messages a day (usually 5)") != NULL, "%s",
			    s.contributions[i].reason);
		}
	ck_assert(jump);

	acct = aggregator_find(agg, ACCOUNT_SASL, "news");
	scorer_score(sc, acct, &s);
	ck_assert(plain_points > 0.0);
	ck_assert(s.raw_points < plain_points);
	for (i = 0; i < s.count; i++) {
		ck_assert_str_ne(s.contributions[i].feature, "baseline_jump");
		if (strstr(s.contributions[i].reason, "damped: usual for "
		    "this account") != NULL)
			damped = true;
	}
	ck_assert(damped);
	scorer_free(sc);
	aggregator_free(agg);
	state_free(st);
}
END_TEST

/* Too little history: the baseline is kept but not used. */
START_TEST(test_scorer_short_history)
{
	struct state	*st = state_new(NULL);
	struct aggregator *agg;
	struct scorer	*sc;
	struct score	 s;
	size_t		 i;

	fold(st, "quiet", 0, 5, NULL);
	agg = day_of_mail("quiet", 1, 900);
	sc = scorer_new(NULL);
	scorer_fit(sc, agg);
	scorer_use_state(sc, st, 1.0);
	scorer_score(sc, aggregator_find(agg, ACCOUNT_SASL, "quiet"), &s);
	for (i = 0; i < s.count; i++)
		ck_assert_str_ne(s.contributions[i].feature, "baseline_jump");
	scorer_free(sc);
	aggregator_free(agg);
	state_free(st);
}
END_TEST

/* state_suite - the suite */
static Suite *
state_suite(void)
{
	Suite	*s = suite_create("state");
	TCase	*tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_new_empty);
	tcase_add_test(tc, test_decay_arithmetic);
	tcase_add_test(tc, test_two_day_window);
	tcase_add_test(tc, test_window_days_per_account);
	tcase_add_test(tc, test_long_key_skipped);
	tcase_add_test(tc, test_tracked_bounded);
	tcase_add_test(tc, test_not_newer);
	tcase_add_test(tc, test_overlap);
	tcase_add_test(tc, test_prune);
	tcase_add_test(tc, test_round_trip);
	tcase_add_test(tc, test_corrupt_refused);
	tcase_add_test(tc, test_newer_refused);
	tcase_add_test(tc, test_load_save);
	tcase_add_test(tc, test_full_disk);
	tcase_add_test(tc, test_lock);
	tcase_add_test(tc, test_lock_through_link);
	tcase_add_test(tc, test_scorer_baseline);
	tcase_add_test(tc, test_scorer_short_history);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	int	status;

	setenv("TZ", "UTC", 1);
	tzset();
	cls = classifier_new();
	status = run_suite(state_suite());
	classifier_free(cls);
	return status;
}
