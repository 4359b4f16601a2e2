/*
 * check_source - tests for parsers/source.c: a small Postfix log read
 * plain and gzipped, every counter, the event sequence, damage,
 * samples and the stats arithmetic.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <sys/time.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <check.h>
#include <zlib.h>

#include "parsers/exim.h"
#include "parsers/postfix.h"
#include "parsers/sendmail.h"
#include "parsers/source.h"
#include "util/xalloc.h"
#include "tests/testutil.h"

static char	tmpdir[] = "/tmp/check_source.XXXXXX";

/* 2024-11-26 21:31:50 UTC, the first stamp of the test log. */
#define T0	INT64_C(1732656710)

enum outcome {
	OUT_PARSED,
	OUT_IGNORED,
	OUT_OTHER,
	OUT_MALFORMED
};

#define K_END	(-1)

/*
 * One line of the test log: its bytes (len 0: strlen), how the source
 * counts it, the reason, the kinds of the events it gives and its
 * offset in seconds from T0 (-1: no syslog header).
 */
struct line_case {
	const char	*text;
	size_t		 len;
	enum outcome	 outcome;
	int		 reason;
	int		 kinds[3];
	bool		 invalid_utf8;
	int		 time_offset;
};

/* Over the 300-byte cap the tests set: built by build_log(). */
#define LONG_LINE	NULL
#define MAX_LINE	300

#define NUL_LINE \
	"Nov 26 21:31:59 relay1 postfix/smtpd[100]: connect\0from x[192.0.2.1]"

static const struct line_case log_cases[] = {
	{ "Nov 26 21:31:50 relay1 postfix/smtpd[100]: 4F3A21B2C: "
	  "client=client.example.com[192.0.2.10], sasl_method=PLAIN, "
	  "sasl_username=alice", 0, OUT_PARSED, 0,
	  { EV_CLIENT, K_END }, false, 0 },
	{ "Nov 26 21:31:51 relay1 postfix/cleanup[101]: 4F3A21B2C: "
	  "message-id=<20241126.abc@example.com>", 0, OUT_PARSED, 0,
	  { EV_MESSAGE_ID, K_END }, false, 1 },
	{ "Nov 26 21:31:51 relay1 CRON[555]: (root) CMD (run-parts "
	  "/etc/cron.hourly)", 0, OUT_OTHER, 0, { K_END }, false, 1 },
	{ "Nov 26 21:31:52 relay1 postfix/qmgr[102]: 4F3A21B2C: "
	  "from=<alice@example.com>, size=1234, nrcpt=2 (queue active)", 0,
	  OUT_PARSED, 0, { EV_QUEUED, K_END }, false, 2 },
	{ "this line has no syslog header", 0, OUT_MALFORMED,
	  MALFORMED_HEADER, { K_END }, false, -1 },
	{ "Nov 26 21:31:53 relay1 postfix/smtp[103]: 4F3A21B2C: "
	  "to=<bob@example.net>, relay=mx.example.net[198.51.100.5]:25, "
	  "delay=1.2, delays=0.1/0/0.5/0.6, dsn=2.0.0, "
	  "status=sent (250 2.0.0 Ok: queued as 1234)", 0, OUT_PARSED, 0,
	  { EV_DELIVERY, K_END }, false, 3 },
	{ LONG_LINE, 0, OUT_MALFORMED, MALFORMED_TOO_LONG, { K_END }, false,
	  -1 },
	/* Latin-1 e-acute in the remote reply: still parsed. */
	{ "Nov 26 21:31:54 relay1 postfix/smtp[103]: 4F3A21B2C: "
	  "to=<carol@example.org>, relay=mx.example.org[198.51.100.6]:25, "
	  "delay=1.5, delays=0.1/0/0.5/0.9, dsn=5.1.1, "
	  "status=bounced (550 5.1.1 utilisateur inconnu \xe9)", 0,
	  OUT_PARSED, 0, { EV_DELIVERY, K_END }, true, 4 },
	{ NUL_LINE, sizeof(NUL_LINE) - 1, OUT_MALFORMED, MALFORMED_NUL_BYTE,
	  { K_END }, false, -1 },
	{ "Nov 26 21:31:55 relay1 sshd[777]: Accepted publickey for admin "
	  "from 192.0.2.99 port 50000 ssh2", 0, OUT_OTHER, 0, { K_END },
	  false, 5 },
	{ "Nov 26 21:31:55 relay1 postfix/qmgr[102]: 4F3A21B2C: removed", 0,
	  OUT_PARSED, 0, { EV_REMOVED, K_END }, false, 5 },
	{ "", 0, OUT_OTHER, 0, { K_END }, false, -1 },
	/* journalctl's own lines between the entries it prints */
	{ "-- Journal begins at Wed 2026-11-25 06:00:01 UTC, ends at Thu "
	  "2026-11-26 21:40:00 UTC. --", 0, OUT_OTHER, 0, { K_END }, false,
	  -1 },
	{ "-- Boot 9f0c1e2d3b4a59687766554433221100 --", 0, OUT_OTHER, 0,
	  { K_END }, false, -1 },
	{ "-- No entries --", 0, OUT_OTHER, 0, { K_END }, false, -1 },
	{ "-- not one of them", 0, OUT_MALFORMED, MALFORMED_HEADER,
	  { K_END }, false, -1 },
	{ "Nov 26 21:32:10 relay1 postfix/smtpd[104]: NOQUEUE: reject: "
	  "RCPT from unknown[203.0.113.7]: 554 5.7.1 <x@example.org>: "
	  "Relay access denied; from=<spam@example.com> to=<x@example.org> "
	  "proto=ESMTP helo=<spammer>", 0, OUT_PARSED, 0,
	  { EV_REJECT, K_END }, false, 20 },
	/* Valid UTF-8 is not counted as invalid. */
	{ "Nov 26 21:32:11 relay1 postfix/smtpd[104]: warning: "
	  "unknown[203.0.113.8]: SASL LOGIN authentication failed: "
	  "UGFzc3dvcmQ6 \xc3\xa9t\xc3\xa9", 0, OUT_PARSED, 0,
	  { EV_AUTH_FAILED, K_END }, false, 21 },
	{ "Nov 26 21:35:00 relay1 postfix/anvil[300]: statistics: max "
	  "connection rate 1/60s for (smtp:192.0.2.10) at Nov 26 21:31:50",
	  0, OUT_IGNORED, IGNORE_STATISTICS, { K_END }, false, 190 },
	{ "Nov 26 21:35:01 relay1 kernel: [12345.678] eth0: link up", 0,
	  OUT_OTHER, 0, { K_END }, false, 191 },
};

#define NCASES	(sizeof(log_cases) / sizeof(log_cases[0]))

/* Totals the table implies. */
struct expected {
	uint64_t	lines_read, parsed, ignored, other, malformed;
	uint64_t	invalid_utf8, events, postfix_lines;
	uint64_t	ignored_by_reason[IGNORE_REASON_COUNT];
	uint64_t	malformed_by_reason[MALFORMED_REASON_COUNT];
	int64_t		first, last;
	int		kinds[64];
	size_t		nkinds;
};

/* expected_totals - sum the table */
static void
expected_totals(struct expected *x)
{
	size_t	i, k;

	memset(x, 0, sizeof(*x));
	x->first = INT64_MAX;
	x->last = INT64_MIN;
	for (i = 0; i < NCASES; i++) {
		const struct line_case *lc = &log_cases[i];

		x->lines_read++;
		if (lc->invalid_utf8)
			x->invalid_utf8++;
		switch (lc->outcome) {
		case OUT_PARSED:
			x->parsed++;
			x->postfix_lines++;
			break;
		case OUT_IGNORED:
			x->ignored++;
			x->ignored_by_reason[lc->reason]++;
			x->postfix_lines++;
			break;
		case OUT_OTHER:
			x->other++;
			break;
		case OUT_MALFORMED:
			x->malformed++;
			x->malformed_by_reason[lc->reason]++;
			break;
		}
		for (k = 0; lc->kinds[k] != K_END; k++)
			x->kinds[x->nkinds++] = lc->kinds[k];
		x->events += k;
		if (lc->time_offset >= 0) {
			if (T0 + lc->time_offset < x->first)
				x->first = T0 + lc->time_offset;
			if (T0 + lc->time_offset > x->last)
				x->last = T0 + lc->time_offset;
		}
	}
}

/* build_log - the table's lines joined by "\n"; caller frees */
static char *
build_log(size_t *len)
{
	size_t	cap = 64 * 1024, off = 0, i, n;
	char	*buf = xmalloc(cap);

	for (i = 0; i < NCASES; i++) {
		const struct line_case *lc = &log_cases[i];

		if (lc->text == LONG_LINE) {
			n = (size_t)snprintf(buf + off, cap - off,
			    "Nov 26 21:31:53 relay1 postfix/smtp[103]: "
			    "4F3A21B2C: to=<");
			off += n;
			memset(buf + off, 'z', MAX_LINE);
			off += MAX_LINE;
			off += (size_t)snprintf(buf + off, cap - off,
			    "@example.net>, status=sent (ok)");
		} else {
			n = lc->len ? lc->len : strlen(lc->text);
			memcpy(buf + off, lc->text, n);
			off += n;
		}
		buf[off++] = '\n';
	}
	*len = off;
	return buf;
}

/* write_file - write a temp file; caller frees the name */
static char *
write_file(const char *base, const void *data, size_t len)
{
	static int	 seq;
	char		 path[512];
	FILE		*f;

	snprintf(path, sizeof(path), "%s/%d-%d-%s", tmpdir, (int)getpid(),
	    seq++, base);
	f = fopen(path, "wb");
	ck_assert_ptr_nonnull(f);
	if (len > 0)
		ck_assert_uint_eq(fwrite(data, 1, len, f), len);
	ck_assert_int_eq(fclose(f), 0);
	return xstrdup(path);
}

/* gzip_bytes - one gzip member holding data; caller frees */
static unsigned char *
gzip_bytes(const void *data, size_t len, size_t *outlen)
{
	z_stream	 z;
	size_t		 cap = compressBound((uLong)len) + 64;
	unsigned char	*out = xmalloc(cap);

	memset(&z, 0, sizeof(z));
	ck_assert_int_eq(deflateInit2(&z, 9, Z_DEFLATED, 15 + 16, 8,
	    Z_DEFAULT_STRATEGY), Z_OK);
	z.next_in = (unsigned char *)(uintptr_t)data;
	z.avail_in = (uInt)len;
	z.next_out = out;
	z.avail_out = (uInt)cap;
	ck_assert_int_eq(deflate(&z, Z_FINISH), Z_STREAM_END);
	*outlen = cap - z.avail_out;
	deflateEnd(&z);
	return out;
}

/* test_options - fixed year, the test's line cap */
static struct source_options
test_options(void)
{
	struct source_options opts;

	memset(&opts, 0, sizeof(opts));
	opts.reader.max_line_bytes = MAX_LINE;
	opts.year = 2024;
	opts.format = FORMAT_AUTO;
	return opts;
}

/* A copy of what matters in an event, to compare two runs. */
struct seen_event {
	int		kind;
	int64_t		time_sec;
	char		host[64];
	char		queue_id[32];
	char		recipient[64];
	int		status;
};

/* run_source - read a whole source, recording events */
static enum source_status
run_source(struct source *src, struct seen_event *seen, size_t max,
    size_t *count)
{
	const struct mta_event	*ev;
	enum source_status	st;

	*count = 0;
	while ((st = source_next(src, &ev)) == SOURCE_EVENT) {
		struct seen_event *s;

		ck_assert_uint_lt(*count, max);
		s = &seen[(*count)++];
		memset(s, 0, sizeof(*s));
		s->kind = (int)ev->kind;
		s->time_sec = ev->time_sec;
		snprintf(s->host, sizeof(s->host), "%.*s", (int)ev->host.len,
		    ev->host.ptr != NULL ? ev->host.ptr : "");
		snprintf(s->queue_id, sizeof(s->queue_id), "%.*s",
		    (int)ev->queue_id.len,
		    ev->queue_id.ptr != NULL ? ev->queue_id.ptr : "");
		snprintf(s->recipient, sizeof(s->recipient), "%.*s",
		    (int)ev->recipient.len,
		    ev->recipient.ptr != NULL ? ev->recipient.ptr : "");
		s->status = ev->kind == EV_DELIVERY ? (int)ev->status : -1;
	}
	return st;
}

/* check_counters - every counter of a full read of the test log */
static void
check_counters(const struct source_stats *st, const struct expected *x)
{
	size_t	i;

	ck_assert_uint_eq(st->files, 1);
	ck_assert_uint_eq(st->files_damaged, 0);
	ck_assert_uint_eq(st->lines_read, x->lines_read);
	ck_assert_uint_eq(st->lines_parsed, x->parsed);
	ck_assert_uint_eq(st->lines_ignored, x->ignored);
	ck_assert_uint_eq(st->lines_other, x->other);
	ck_assert_uint_eq(st->lines_malformed, x->malformed);
	ck_assert_uint_eq(st->lines_invalid_utf8, x->invalid_utf8);
	ck_assert_uint_eq(st->events, x->events);
	for (i = 0; i < IGNORE_REASON_COUNT; i++)
		ck_assert_msg(st->ignored_by_reason[i] ==
		    x->ignored_by_reason[i], "ignored %s: %llu, want %llu",
		    ignore_reason_name((enum ignore_reason)i),
		    (unsigned long long)st->ignored_by_reason[i],
		    (unsigned long long)x->ignored_by_reason[i]);
	for (i = 0; i < MALFORMED_REASON_COUNT; i++)
		ck_assert_msg(st->malformed_by_reason[i] ==
		    x->malformed_by_reason[i], "malformed %s: %llu, want %llu",
		    malformed_reason_name((enum malformed_reason)i),
		    (unsigned long long)st->malformed_by_reason[i],
		    (unsigned long long)x->malformed_by_reason[i]);
	ck_assert_uint_eq(st->lines_by_format[FORMAT_AUTO], 0);
	ck_assert_uint_eq(st->lines_by_format[FORMAT_POSTFIX],
	    x->postfix_lines);
	ck_assert_uint_eq(st->lines_by_format[FORMAT_EXIM], 0);
	ck_assert_uint_eq(st->lines_by_format[FORMAT_SENDMAIL], 0);
	ck_assert_int_eq(st->first_time_sec, x->first);
	ck_assert_int_eq(st->last_time_sec, x->last);
	/* Every line is counted once. */
	ck_assert_uint_eq(st->lines_read, st->lines_parsed +
	    st->lines_ignored + st->lines_other + st->lines_malformed);
}

/*
 * Each line alone: a one-line file gives the outcome the table says,
 * so a failure names the line.
 */
START_TEST(test_each_line)
{
	const struct line_case *lc = &log_cases[_i];
	struct source_options opts = test_options();
	struct seen_event seen[4];
	const struct source_stats *st;
	struct source	*src;
	char		 err[512], *path, *data;
	size_t		 len, n, k, i;
	char		 line[1024];

	if (lc->text == LONG_LINE) {
		/* Exercised in the whole-log tests. */
		return;
	}
	len = lc->len ? lc->len : strlen(lc->text);
	memcpy(line, lc->text, len);
	line[len] = '\n';
	data = line;
	path = write_file("one.log", data, len + 1);
	src = source_open(path, &opts, err, sizeof(err));
	ck_assert_msg(src != NULL, "%s", err);
	ck_assert_int_eq(run_source(src, seen, 4, &n), SOURCE_EOF);
	st = source_stats(src);
	ck_assert_uint_eq(st->lines_read, 1);
	switch (lc->outcome) {
	case OUT_PARSED:
		ck_assert_msg(st->lines_parsed == 1,
		    "line %d not parsed: ignored %llu other %llu "
		    "malformed %llu", _i, (unsigned long long)st->lines_ignored,
		    (unsigned long long)st->lines_other,
		    (unsigned long long)st->lines_malformed);
		break;
	case OUT_IGNORED:
		ck_assert_msg(st->lines_ignored == 1 &&
		    st->ignored_by_reason[lc->reason] == 1,
		    "line %d not ignored as %s", _i,
		    ignore_reason_name((enum ignore_reason)lc->reason));
		break;
	case OUT_OTHER:
		ck_assert_msg(st->lines_other == 1, "line %d not other", _i);
		break;
	case OUT_MALFORMED:
		ck_assert_msg(st->lines_malformed == 1 &&
		    st->malformed_by_reason[lc->reason] == 1,
		    "line %d not malformed as %s", _i,
		    malformed_reason_name((enum malformed_reason)lc->reason));
		break;
	}
	for (k = 0; lc->kinds[k] != K_END; k++)
		continue;
	ck_assert_uint_eq(n, k);
	for (i = 0; i < n; i++) {
		ck_assert_int_eq(seen[i].kind, lc->kinds[i]);
		ck_assert_str_eq(seen[i].host, "relay1");
		ck_assert_int_eq(seen[i].time_sec, T0 + lc->time_offset);
	}
	ck_assert_uint_eq(st->lines_invalid_utf8, lc->invalid_utf8 ? 1 : 0);
	source_close(src);
	free(path);
}
END_TEST

START_TEST(test_whole_log)
{
	struct source_options opts = test_options();
	struct seen_event seen[64];
	struct expected	 x;
	struct source	*src;
	char		 err[512], *path, *data;
	size_t		 len, n, i;

	expected_totals(&x);
	data = build_log(&len);
	path = write_file("postfix.log", data, len);
	src = source_open(path, &opts, err, sizeof(err));
	ck_assert_msg(src != NULL, "%s", err);
	ck_assert_str_eq(source_name(src), path);
	ck_assert_int_eq(run_source(src, seen, 64, &n), SOURCE_EOF);
	ck_assert_uint_eq(n, x.nkinds);
	for (i = 0; i < n; i++) {
		ck_assert_msg(seen[i].kind == x.kinds[i],
		    "event %zu is %s, want %s", i,
		    event_kind_name((enum event_kind)seen[i].kind),
		    event_kind_name((enum event_kind)x.kinds[i]));
		ck_assert_str_eq(seen[i].host, "relay1");
	}
	ck_assert_str_eq(seen[3].recipient, "bob@example.net");
	ck_assert_int_eq(seen[3].status, DELIVERY_SENT);
	ck_assert_str_eq(seen[4].recipient, "carol@example.org");
	ck_assert_int_eq(seen[4].status, DELIVERY_BOUNCED);
	ck_assert_str_eq(seen[0].queue_id, "4F3A21B2C");
	check_counters(source_stats(src), &x);
	ck_assert_uint_eq(source_stats(src)->bytes_read, len);
	ck_assert_uint_eq(source_stats(src)->bytes_decoded, len);
	ck_assert_str_eq(source_error(src), "");
	/* Samples: the headerless lines (long and NUL lines have none). */
	ck_assert_str_eq(source_sample(src, 0),
	    "this line has no syslog header");
	ck_assert_str_eq(source_sample(src, 1), "-- not one of them");
	ck_assert_ptr_null(source_sample(src, 2));
	/* EOF stays EOF. */
	{
		const struct mta_event *ev;

		ck_assert_int_eq(source_next(src, &ev), SOURCE_EOF);
	}
	source_close(src);
	free(path);
	free(data);
}
END_TEST

START_TEST(test_gzip_same_events)
{
	struct source_options opts = test_options();
	struct seen_event plain[64], gz[64];
	struct expected	 x;
	struct source	*src;
	char		 err[512], *path, *gzpath, *data;
	unsigned char	*gzdata;
	size_t		 len, gzlen, n1, n2, i;

	expected_totals(&x);
	data = build_log(&len);
	gzdata = gzip_bytes(data, len, &gzlen);
	path = write_file("plain.log", data, len);
	/* The name says nothing: gzip is told by its magic bytes. */
	gzpath = write_file("compressed.log", gzdata, gzlen);

	src = source_open(path, &opts, err, sizeof(err));
	ck_assert_ptr_nonnull(src);
	ck_assert_int_eq(run_source(src, plain, 64, &n1), SOURCE_EOF);
	source_close(src);

	src = source_open(gzpath, &opts, err, sizeof(err));
	ck_assert_ptr_nonnull(src);
	ck_assert_int_eq(run_source(src, gz, 64, &n2), SOURCE_EOF);
	check_counters(source_stats(src), &x);
	ck_assert_uint_eq(source_stats(src)->bytes_read, gzlen);
	ck_assert_uint_eq(source_stats(src)->bytes_decoded, len);
	source_close(src);

	ck_assert_uint_eq(n1, n2);
	for (i = 0; i < n1; i++) {
		ck_assert_int_eq(plain[i].kind, gz[i].kind);
		ck_assert_int_eq(plain[i].time_sec, gz[i].time_sec);
		ck_assert_str_eq(plain[i].host, gz[i].host);
		ck_assert_str_eq(plain[i].queue_id, gz[i].queue_id);
		ck_assert_str_eq(plain[i].recipient, gz[i].recipient);
		ck_assert_int_eq(plain[i].status, gz[i].status);
	}
	free(path);
	free(gzpath);
	free(data);
	free(gzdata);
}
END_TEST

START_TEST(test_damaged_gzip)
{
	struct source_options opts = test_options();
	struct seen_event seen[64];
	const struct mta_event *ev;
	struct expected	 x;
	struct source	*src;
	const struct source_stats *st;
	char		 err[512], *path, *data, *cut;
	unsigned char	*gzdata;
	size_t		 len, gzlen, n, i;

	expected_totals(&x);
	data = build_log(&len);
	gzdata = gzip_bytes(data, len, &gzlen);
	/* Drop the 8-byte trailer and some data before it. */
	path = write_file("cut.gz", gzdata, gzlen - 30);
	src = source_open(path, &opts, err, sizeof(err));
	ck_assert_ptr_nonnull(src);
	ck_assert_int_eq(run_source(src, seen, 64, &n), SOURCE_DAMAGED);
	cut = strstr(source_error(src), path);
	ck_assert_msg(cut == source_error(src), "%s", source_error(src));
	ck_assert_ptr_nonnull(strstr(source_error(src), "truncated"));
	st = source_stats(src);
	ck_assert_uint_eq(st->files, 1);
	ck_assert_uint_eq(st->files_damaged, 1);
	ck_assert_uint_eq(st->bytes_read, gzlen - 30);
	ck_assert_uint_gt(n, 0);
	ck_assert_uint_le(n, x.nkinds);
	for (i = 0; i < n; i++)
		ck_assert_int_eq(seen[i].kind, x.kinds[i]);
	ck_assert_uint_eq(st->events, n);
	ck_assert_uint_eq(st->lines_read, st->lines_parsed +
	    st->lines_ignored + st->lines_other + st->lines_malformed);
	ck_assert_int_eq(source_next(src, &ev), SOURCE_EOF);
	ck_assert_int_eq(source_next(src, &ev), SOURCE_EOF);
	source_close(src);
	free(path);
	free(data);
	free(gzdata);
}
END_TEST

START_TEST(test_host_override)
{
	struct source_options opts = test_options();
	struct seen_event seen[64];
	struct source	*src;
	char		 err[512], *path, *data, host[16];
	size_t		 len, n, i;

	data = build_log(&len);
	path = write_file("override.log", data, len);
	/* The source keeps its own copy of the name. */
	snprintf(host, sizeof(host), "mx-out-7");
	opts.host = host;
	src = source_open(path, &opts, err, sizeof(err));
	ck_assert_ptr_nonnull(src);
	memset(host, 0, sizeof(host));
	ck_assert_int_eq(run_source(src, seen, 64, &n), SOURCE_EOF);
	ck_assert_uint_gt(n, 0);
	for (i = 0; i < n; i++)
		ck_assert_str_eq(seen[i].host, "mx-out-7");
	source_close(src);
	free(path);
	free(data);
}
END_TEST

/*
 * Every MTA's events name the relay: the header's host, or the
 * override for all of them, an Exim main log line's included.  The
 * events are the parsers' own, handed on by pointer, so each is read
 * before the next source_next().
 */
START_TEST(test_host_every_mta)
{
	static const char log[] =
	    "Nov 26 21:31:53 relayA postfix/qmgr[102]: 4F3A21B2C: removed\n"
	    "Nov 26 21:31:54 relayB exim[1]: 2026-11-26 21:31:54 "
	    "1tQx3b-00000004VdQ-Ab1z Completed\n"
	    "Nov 26 21:31:55 relayC sm-mta[4321]: 4AQLVt5K012345: done; "
	    "delay=00:00:05, ntries=2\n"
	    "2026-11-26 21:31:56 1tQx3c-00000004VdR-Cd2y Completed\n";
	static const char *const hosts[] = { "relayA", "relayB", "relayC" };
	struct source_options opts = test_options();
	struct seen_event seen[8];
	struct source	*src;
	char		*path, err[256];
	size_t		 n, i;
	int		 pass;

	path = write_file("every-mta.log", log, sizeof(log) - 1);
	for (pass = 0; pass < 2; pass++) {
		opts.host = pass == 0 ? NULL : "mx-out-7";
		src = source_open(path, &opts, err, sizeof(err));
		ck_assert_msg(src != NULL, "%s", err);
		ck_assert_int_eq(run_source(src, seen, 8, &n), SOURCE_EOF);
		ck_assert_uint_eq(n, 4);
		for (i = 0; i < n; i++)
			ck_assert_int_eq(seen[i].kind, EV_REMOVED);
		for (i = 0; i < 3; i++)
			ck_assert_str_eq(seen[i].host,
			    pass == 0 ? hosts[i] : "mx-out-7");
		/* the main log line names no host: the file's, or --host */
		if (pass == 0)
			ck_assert(seen[3].host[0] != '\0' &&
			    strcmp(seen[3].host, "relayB") != 0);
		else
			ck_assert_str_eq(seen[3].host, "mx-out-7");
		source_close(src);
	}
	free(path);
}
END_TEST

START_TEST(test_forced_postfix)
{
	struct source_options opts = test_options();
	struct seen_event seen[64];
	struct expected	 x;
	struct source	*src;
	char		 err[512], *path, *data;
	size_t		 len, n;

	/* Forcing the format changes nothing for a Postfix log. */
	expected_totals(&x);
	opts.format = FORMAT_POSTFIX;
	data = build_log(&len);
	path = write_file("forced.log", data, len);
	src = source_open(path, &opts, err, sizeof(err));
	ck_assert_ptr_nonnull(src);
	ck_assert_int_eq(run_source(src, seen, 64, &n), SOURCE_EOF);
	ck_assert_uint_eq(n, x.nkinds);
	check_counters(source_stats(src), &x);
	source_close(src);
	free(path);
	free(data);
}
END_TEST

START_TEST(test_samples)
{
	struct source_options opts = test_options();
	struct seen_event seen[4];
	struct source	*src;
	char		 err[512], *path, want[SOURCE_SAMPLE_BYTES + 8];
	char		 data[4096];
	size_t		 off = 0, n, i;

	/* Control bytes, a backslash and a high byte are escaped. */
	off += (size_t)snprintf(data + off, sizeof(data) - off,
	    "bad\x01line \\ \xff\x1b[31m\n");
	/* Longer than the sample size: clipped, with "...". */
	memset(data + off, 'q', SOURCE_SAMPLE_BYTES + 20);
	off += SOURCE_SAMPLE_BYTES + 20;
	data[off++] = '\n';
	for (i = 0; i < SOURCE_MAX_SAMPLES + 2; i++)
		off += (size_t)snprintf(data + off, sizeof(data) - off,
		    "junk %zu\n", i);
	path = write_file("samples.log", data, off);
	src = source_open(path, &opts, err, sizeof(err));
	ck_assert_ptr_nonnull(src);
	ck_assert_int_eq(run_source(src, seen, 4, &n), SOURCE_EOF);
	ck_assert_uint_eq(n, 0);
	ck_assert_uint_eq(source_stats(src)->lines_malformed,
	    SOURCE_MAX_SAMPLES + 4);
	ck_assert_uint_eq(
	    source_stats(src)->malformed_by_reason[MALFORMED_HEADER],
	    SOURCE_MAX_SAMPLES + 4);
	ck_assert_str_eq(source_sample(src, 0),
	    "bad\\x01line \\\\ \\xff\\x1b[31m");
	memset(want, 'q', SOURCE_SAMPLE_BYTES);
	memcpy(want + SOURCE_SAMPLE_BYTES, "...", 4);
	ck_assert_str_eq(source_sample(src, 1), want);
	ck_assert_str_eq(source_sample(src, 2), "junk 0");
	ck_assert_ptr_nonnull(source_sample(src, SOURCE_MAX_SAMPLES - 1));
	ck_assert_ptr_null(source_sample(src, SOURCE_MAX_SAMPLES));
	ck_assert_int_eq(source_stats(src)->first_time_sec, INT64_MAX);
	ck_assert_int_eq(source_stats(src)->last_time_sec, INT64_MIN);
	source_close(src);
	free(path);
}
END_TEST

START_TEST(test_open_errors)
{
	struct source_options opts = test_options();
	char		 err[512] = "", want[800], path[600];

	snprintf(path, sizeof(path), "%s/missing.log", tmpdir);
	ck_assert_ptr_null(source_open(path, &opts, err, sizeof(err)));
	snprintf(want, sizeof(want), "%s: %s", path, strerror(ENOENT));
	ck_assert_str_eq(err, want);

	ck_assert_ptr_null(source_open(tmpdir, &opts, err, sizeof(err)));
	snprintf(want, sizeof(want), "%s: is a directory", tmpdir);
	ck_assert_str_eq(err, want);

	/* Every format has a parser: forcing one fails only on the file. */
	opts.format = FORMAT_SENDMAIL;
	ck_assert_ptr_null(source_open(path, &opts, err, sizeof(err)));
	snprintf(want, sizeof(want), "%s: %s", path, strerror(ENOENT));
	ck_assert_str_eq(err, want);
	/* A format with no parser is refused up front. */
	opts.format = FORMAT_COUNT;
	ck_assert_ptr_null(source_open(tmpdir, &opts, err, sizeof(err)));
	ck_assert_ptr_nonnull(strstr(err, "not supported"));
	source_close(NULL);
}
END_TEST

START_TEST(test_stats_add)
{
	struct source_stats a, b, total;

	source_stats_init(&total);
	ck_assert_int_eq(total.first_time_sec, INT64_MAX);
	ck_assert_int_eq(total.last_time_sec, INT64_MIN);
	ck_assert_uint_eq(total.lines_read, 0);

	source_stats_init(&a);
	a.files = 1;
	a.files_damaged = 1;
	a.bytes_read = 100;
	a.bytes_decoded = 300;
	a.lines_read = 10;
	a.lines_parsed = 5;
	a.lines_ignored = 2;
	a.lines_other = 1;
	a.lines_malformed = 2;
	a.lines_invalid_utf8 = 1;
	a.events = 6;
	a.ignored_by_reason[IGNORE_TLS] = 2;
	a.malformed_by_reason[MALFORMED_HEADER] = 2;
	a.lines_by_format[FORMAT_POSTFIX] = 9;
	a.first_time_sec = 1000;
	a.last_time_sec = 2000;

	source_stats_init(&b);
	b.files = 1;
	b.bytes_read = 7;
	b.bytes_decoded = 7;
	b.lines_read = 3;
	b.lines_parsed = 3;
	b.events = 3;
	b.ignored_by_reason[IGNORE_TLS] = 1;
	b.ignored_by_reason[IGNORE_DAEMON] = 4;
	b.malformed_by_reason[MALFORMED_NUL_BYTE] = 1;
	b.lines_by_format[FORMAT_POSTFIX] = 3;
	b.lines_by_format[FORMAT_EXIM] = 2;
	b.first_time_sec = 500;
	b.last_time_sec = 1500;

	source_stats_add(&total, &a);
	source_stats_add(&total, &b);
	ck_assert_uint_eq(total.files, 2);
	ck_assert_uint_eq(total.files_damaged, 1);
	ck_assert_uint_eq(total.bytes_read, 107);
	ck_assert_uint_eq(total.bytes_decoded, 307);
	ck_assert_uint_eq(total.lines_read, 13);
	ck_assert_uint_eq(total.lines_parsed, 8);
	ck_assert_uint_eq(total.lines_ignored, 2);
	ck_assert_uint_eq(total.lines_other, 1);
	ck_assert_uint_eq(total.lines_malformed, 2);
	ck_assert_uint_eq(total.lines_invalid_utf8, 1);
	ck_assert_uint_eq(total.events, 9);
	ck_assert_uint_eq(total.ignored_by_reason[IGNORE_TLS], 3);
	ck_assert_uint_eq(total.ignored_by_reason[IGNORE_DAEMON], 4);
	ck_assert_uint_eq(total.malformed_by_reason[MALFORMED_HEADER], 2);
	ck_assert_uint_eq(total.malformed_by_reason[MALFORMED_NUL_BYTE], 1);
	ck_assert_uint_eq(total.lines_by_format[FORMAT_POSTFIX], 12);
	ck_assert_uint_eq(total.lines_by_format[FORMAT_EXIM], 2);
	ck_assert_int_eq(total.first_time_sec, 500);
	ck_assert_int_eq(total.last_time_sec, 2000);

	/* Adding an empty file keeps the range. */
	source_stats_init(&b);
	source_stats_add(&total, &b);
	ck_assert_int_eq(total.first_time_sec, 500);
	ck_assert_int_eq(total.last_time_sec, 2000);
	ck_assert_uint_eq(total.files, 2);
}
END_TEST

START_TEST(test_format_names)
{
	ck_assert_str_eq(log_format_name(FORMAT_AUTO), "auto");
	ck_assert_str_eq(log_format_name(FORMAT_POSTFIX), "postfix");
	ck_assert_str_eq(log_format_name(FORMAT_EXIM), "exim");
	ck_assert_str_eq(log_format_name(FORMAT_SENDMAIL), "sendmail");
	ck_assert_str_eq(log_format_name(FORMAT_COUNT), "unknown");
}
END_TEST

/* source_suite - all source tests */
/*
 * Lines with an Exim main log stamp: a syslog header naming an MTA
 * makes a syslog line, anything else (another program, a header that
 * does not parse) a main log line; a continuation line follows a main
 * log line only.
 */
START_TEST(test_native_or_syslog)
{
	static const char mixed[] =
	    "2024-11-25 05:00:00 1ahr79-0006jK-G9 <= a@b.example "
	    "H=host [192.0.2.9] P=esmtpa A=plain:joe S=100\n"
	    "  a continuation of the line before\n"
	    "2024-11-25 05:00:01 relay1 postfix/qmgr[102]: 4F3A21B2C: "
	    "removed\n"
	    "  not a continuation after a syslog line\n"
	    "2024-11-25 05:00:02 relay1 postfix/qmgr[10x]: 4F3A21B2D: "
	    "removed\n"
	    "2024-11-25 05:00:03 relay1 sshd[1]: Accepted publickey\n"
	    "2024-11-25 05:00:04 relay1 exim[5]: 1ahr7C-0006jK-G9 <= "
	    "c@d.example H=host [192.0.2.9] P=esmtpa A=plain:joe S=100\n"
	    "2024-11-25 05:00:04 relay1 postfix/qmgr[102]: 4F3A21B2E: "
	    "removed\n"
	    "2024-11-25 05:00:04 relay1 postfix/qmgr[102] 4F3A21B2F: "
	    "removed\n";
	struct source_options opts = test_options();
	const struct source_stats *st;
	struct seen_event seen[16];
	struct source	*src;
	char		*path, err[256];
	size_t		 n;

	path = write_file("mixed.log", mixed, sizeof(mixed) - 1);
	src = source_open(path, &opts, err, sizeof(err));
	ck_assert_msg(src != NULL, "%s", err);
	ck_assert_int_eq(run_source(src, seen, 16, &n), SOURCE_EOF);
	st = source_stats(src);
	ck_assert_uint_eq(st->lines_read, 9);
	/* Lines 3 and 8 are Postfix's; 1, 2, 5, 6, 7 and 9 Exim's. */
	ck_assert_uint_eq(st->lines_by_format[FORMAT_POSTFIX], 2);
	ck_assert_uint_eq(st->lines_by_format[FORMAT_EXIM], 6);
	ck_assert_uint_eq(st->malformed_by_reason[MALFORMED_HEADER], 1);
	/* Two events for each "<=" line, one for each "removed". */
	ck_assert_uint_eq(n, 6);
	ck_assert_str_eq(seen[0].queue_id, "1ahr79-0006jK-G9");
	ck_assert_str_ne(seen[0].host, "relay1");
	ck_assert_str_eq(seen[2].queue_id, "4F3A21B2C");
	ck_assert_str_eq(seen[2].host, "relay1");
	ck_assert_str_eq(seen[3].queue_id, "1ahr7C-0006jK-G9");
	ck_assert_str_eq(seen[3].host, "relay1");
	ck_assert_str_eq(seen[5].queue_id, "4F3A21B2E");
	source_close(src);

	/* Forced to Exim, every line with the stamp is a main log line,
	   and so the second continuation line continues one. */
	opts.format = FORMAT_EXIM;
	src = source_open(path, &opts, err, sizeof(err));
	ck_assert_msg(src != NULL, "%s", err);
	ck_assert_int_eq(run_source(src, seen, 16, &n), SOURCE_EOF);
	st = source_stats(src);
	ck_assert_uint_eq(st->lines_read, 9);
	ck_assert_uint_eq(st->lines_by_format[FORMAT_POSTFIX], 0);
	ck_assert_uint_eq(st->malformed_by_reason[MALFORMED_HEADER], 0);
	/* Only the main log's "<=" line gives events now. */
	ck_assert_uint_eq(n, 2);
	source_close(src);
	free(path);
}
END_TEST

/*
 * Every program name an MTA's is_program() takes opens with a byte of
 * its *_PROGRAM_FIRST, as the source turns away a line whose program
 * opens with any other byte without asking: names of every shape each
 * takes are taken, and refused with any other first byte.
 */
START_TEST(test_program_first_bytes)
{
	static const struct {
		bool		(*is_program)(struct zstr);
		const char	*first;
		const char	*names[6];
	} mtas[] = {
		{ postfix_is_program, POSTFIX_PROGRAM_FIRST, { "postfix/smtpd",
		    "postfix/submission/smtpd", "postfix-out/smtp",
		    "postfix/x", NULL } },
		{ exim_is_program, EXIM_PROGRAM_FIRST, { "exim", "exim4",
		    "exim4-daemon", "exim-x", "exim12", NULL } },
		{ sendmail_is_program, SENDMAIL_PROGRAM_FIRST, { "sendmail",
		    "sendmail-mta", "sm-mta", "sm-msp-queue", NULL } },
	};
	char		 buf[64];
	size_t		 i, j, len;
	unsigned	 c;

	for (i = 0; i < sizeof(mtas) / sizeof(mtas[0]); i++)
		for (j = 0; mtas[i].names[j] != NULL; j++) {
			len = strlen(mtas[i].names[j]);
			memcpy(buf, mtas[i].names[j], len);
			ck_assert(mtas[i].is_program(zstr_make(buf, len)));
			ck_assert_ptr_nonnull(strchr(mtas[i].first, buf[0]));
			for (c = 0; c < 256; c++) {
				if (c != 0 && strchr(mtas[i].first,
				    (int)c) != NULL)
					continue;
				buf[0] = (char)c;
				ck_assert_msg(!mtas[i].is_program(zstr_make(buf,
				    len)), "%02x%s", c, mtas[i].names[j] + 1);
			}
		}
}
END_TEST

/*
 * Lines with the main log stamp whose syslog program opens with a byte
 * some MTA's program opens with: an MTA's makes a syslog line, others
 * (a look at the first byte is not enough) main log lines, as do
 * programs opening with any other byte.
 */
START_TEST(test_native_first_byte)
{
	static const char mixed[] =
	    "2024-11-25 05:00:00 [1234] 1ahr79-0006jK-G9 <= a@b.example "
	    "H=host [192.0.2.9] P=esmtpa A=plain:joe S=100\n"
	    "2024-11-25 05:00:01 relay1 sendmail[7]: 4AP5011a012345: "
	    "from=<a@b.example>, size=100, class=0, nrcpts=1, "
	    "msgid=<m@b.example>, proto=ESMTP, daemon=MTA, "
	    "relay=host [192.0.2.9]\n"
	    "2024-11-25 05:00:02 relay1 exim4[5]: 1ahr79-0006jK-G9 "
	    "Completed\n"
	    "2024-11-25 05:00:03 relay1 postfix-out/qmgr[102]: "
	    "4F3A21B2C: removed\n"
	    "2024-11-25 05:00:04 relay1 pop3d[9]: login\n"
	    "2024-11-25 05:00:05 relay1 sm-notify[9]: x\n"
	    "2024-11-25 05:00:06 relay1 exim_tidydb[9]: x\n"
	    "2024-11-25 05:00:07 relay1 dovecot[9]: x\n";
	struct source_options opts = test_options();
	const struct source_stats *st;
	struct seen_event seen[16];
	struct source	*src;
	char		*path, err[256];
	size_t		 n, i;
	bool		 removed = false;

	path = write_file("first.log", mixed, sizeof(mixed) - 1);
	src = source_open(path, &opts, err, sizeof(err));
	ck_assert_msg(src != NULL, "%s", err);
	ck_assert_int_eq(run_source(src, seen, 16, &n), SOURCE_EOF);
	st = source_stats(src);
	ck_assert_uint_eq(st->lines_read, 8);
	ck_assert_uint_eq(st->lines_by_format[FORMAT_POSTFIX], 1);
	ck_assert_uint_eq(st->lines_by_format[FORMAT_SENDMAIL], 1);
	ck_assert_uint_eq(st->lines_by_format[FORMAT_EXIM], 6);
	ck_assert_uint_eq(st->lines_malformed, 0);
	ck_assert_uint_ge(n, 4);
	ck_assert_str_ne(seen[0].host, "relay1");
	/* the syslog line's "Completed" names its header's host */
	for (i = 0; i < n; i++)
		if (strcmp(seen[i].queue_id, "1ahr79-0006jK-G9") == 0 &&
		    seen[i].kind == EV_REMOVED) {
			ck_assert_str_eq(seen[i].host, "relay1");
			removed = true;
		}
	ck_assert(removed);
	source_close(src);
	free(path);
}
END_TEST

/*
 * The time window: lines before since or at or after until are counted
 * as outside and give no event, syslog and Exim main log alike (an
 * Exim continuation line goes with its line).
 */
START_TEST(test_window)
{
	static const char syslog_log[] =
	    "Nov 25 05:59:59 relay1 postfix/smtpd[1]: 4F1A22C0D1: "
	    "client=a[192.0.2.1]\n"
	    "Nov 25 06:00:00 relay1 postfix/smtpd[1]: 5F1A22C0D1: "
	    "client=a[192.0.2.1]\n"
	    "Nov 25 06:30:00 relay1 sshd[2]: Accepted publickey for x\n"
	    "Nov 25 07:00:00 relay1 postfix/smtpd[1]: 6F1A22C0D1: "
	    "client=a[192.0.2.1]\n"
	    "Nov 25 08:00:00 relay1 cron[3]: (root) CMD (true)\n";
	static const char exim_log[] =
	    "2024-11-25 05:00:00 1ahr79-0006jK-G9 <= a@b.example "
	    "H=host [192.0.2.9] P=esmtpa A=plain:joe S=100\n"
	    "  a continuation of the line before\n"
	    "2024-11-25 06:10:00 1ahr7A-0006jK-G9 <= c@d.example "
	    "H=host [192.0.2.9] P=esmtpa A=plain:joe S=100\n"
	    "2024-11-25 07:10:00 1ahr7B-0006jK-G9 <= e@f.example "
	    "H=host [192.0.2.9] P=esmtpa A=plain:joe S=100\n";
	/* 2024-11-25T06:00:00Z and 07:00:00Z */
	const int64_t	 since = INT64_C(1732514400), until = since + 3600;
	struct source_options opts = test_options();
	const struct source_stats *st;
	struct seen_event seen[16];
	struct source	*src;
	char		*path, err[256];
	size_t		 n, i;

	opts.window = true;
	opts.since_sec = since;
	opts.until_sec = until;
	path = write_file("window.log", syslog_log, sizeof(syslog_log) - 1);
	src = source_open(path, &opts, err, sizeof(err));
	ck_assert_msg(src != NULL, "%s", err);
	ck_assert_int_eq(run_source(src, seen, 16, &n), SOURCE_EOF);
	ck_assert_uint_ge(n, 1);
	for (i = 0; i < n; i++)
		ck_assert_str_eq(seen[i].queue_id, "5F1A22C0D1");
	st = source_stats(src);
	ck_assert_uint_eq(st->lines_read, 5);
	ck_assert_uint_eq(st->lines_outside_window, 3);
	ck_assert_uint_eq(st->lines_parsed, 1);
	ck_assert_uint_eq(st->lines_other, 1);
	ck_assert_int_eq(st->first_time_sec, since);
	ck_assert_int_eq(st->last_time_sec, since + 1800);
	ck_assert_int_eq(st->outside_first_sec, since - 1);
	ck_assert_int_eq(st->outside_last_sec, since + 7200);
	source_close(src);
	/* The relay of a file is that of its first event, window or not. */
	{
		char	relay[64];

		ck_assert(source_probe_relay(path, &opts, relay,
		    sizeof(relay)));
		ck_assert_str_eq(relay, "relay1");
	}
	free(path);

	path = write_file("mainlog", exim_log, sizeof(exim_log) - 1);
	src = source_open(path, &opts, err, sizeof(err));
	ck_assert_msg(src != NULL, "%s", err);
	ck_assert_int_eq(run_source(src, seen, 16, &n), SOURCE_EOF);
	ck_assert_uint_ge(n, 1);
	for (i = 0; i < n; i++)
		ck_assert_str_eq(seen[i].queue_id, "1ahr7A-0006jK-G9");
	st = source_stats(src);
	ck_assert_uint_eq(st->lines_read, 4);
	ck_assert_uint_eq(st->lines_outside_window, 3);
	ck_assert_uint_eq(st->lines_parsed, 1);
	ck_assert_int_eq(st->first_time_sec, since + 600);
	source_close(src);
	free(path);

	/* Without a window the same file gives every line's events. */
	opts.window = false;
	path = write_file("mainlog", exim_log, sizeof(exim_log) - 1);
	src = source_open(path, &opts, err, sizeof(err));
	ck_assert_msg(src != NULL, "%s", err);
	ck_assert_int_eq(run_source(src, seen, 16, &n), SOURCE_EOF);
	ck_assert_uint_eq(source_stats(src)->lines_outside_window, 0);
	ck_assert_uint_eq(source_stats(src)->lines_parsed, 3);
	source_close(src);
	free(path);
}
END_TEST

/*
 * test_future_stamp - a line whose stamp carries its year and comes
 * more than a day after the file was last written is damaged: counted
 * malformed, no events, out of the time range.  A RFC 3164 stamp, whose
 * year is inferred, is not judged so.
 */
START_TEST(test_future_stamp)
{
	static const char iso_log[] =
	    "2026-11-25T06:00:00+00:00 relay1 postfix/smtpd[1]: 5F1A22C0D1: "
	    "client=a[192.0.2.1]\n"
	    "2099-01-01T00:00:00+00:00 relay1 postfix/smtpd[1]: 6F1A22C0D1: "
	    "client=a[192.0.2.1]\n"
	    "2099-01-01T00:00:00+00:00 relay1 CRON[3]: (root) CMD (true)\n"
	    "2026-11-26T06:00:00+00:00 relay1 CRON[3]: (root) CMD (true)\n";
	static const char exim_log[] =
	    "2026-11-25 06:10:00 1ahr7A-0006jK-G9 <= c@d.example "
	    "H=host [192.0.2.9] P=esmtpa A=plain:joe S=100\n"
	    "2099-11-25 07:10:00 1ahr7B-0006jK-G9 <= e@f.example "
	    "H=host [192.0.2.9] P=esmtpa A=plain:joe S=100\n";
	static const char bsd_log[] =
	    "Dec 25 06:00:00 relay1 postfix/smtpd[1]: 5F1A22C0D1: "
	    "client=a[192.0.2.1]\n";
	/* the files' mtime: 2026-11-26T12:00:00Z */
	const int64_t	 mtime = INT64_C(1795694400);
	struct source_options opts = test_options();
	const struct source_stats *st;
	struct seen_event seen[16];
	struct timeval	 tv[2];
	struct source	*src;
	char		*path, err[256];
	size_t		 n, i;

	tv[0].tv_sec = tv[1].tv_sec = (time_t)mtime;
	tv[0].tv_usec = tv[1].tv_usec = 0;

	path = write_file("future.log", iso_log, sizeof(iso_log) - 1);
	ck_assert_int_eq(utimes(path, tv), 0);
	src = source_open(path, &opts, err, sizeof(err));
	ck_assert_msg(src != NULL, "%s", err);
	ck_assert_int_eq(run_source(src, seen, 16, &n), SOURCE_EOF);
	for (i = 0; i < n; i++)
		ck_assert_str_eq(seen[i].queue_id, "5F1A22C0D1");
	st = source_stats(src);
	ck_assert_uint_eq(st->lines_read, 4);
	ck_assert_uint_eq(st->lines_malformed, 2);
	ck_assert_uint_eq(st->malformed_by_reason[MALFORMED_HEADER], 2);
	ck_assert_int_eq(st->last_time_sec, mtime - 6 * 3600);
	ck_assert_uint_eq(source_future_lines(src), 2);
	source_close(src);
	free(path);

	path = write_file("mainlog", exim_log, sizeof(exim_log) - 1);
	ck_assert_int_eq(utimes(path, tv), 0);
	src = source_open(path, &opts, err, sizeof(err));
	ck_assert_msg(src != NULL, "%s", err);
	ck_assert_int_eq(run_source(src, seen, 16, &n), SOURCE_EOF);
	for (i = 0; i < n; i++)
		ck_assert_str_eq(seen[i].queue_id, "1ahr7A-0006jK-G9");
	st = source_stats(src);
	ck_assert_uint_eq(st->lines_parsed, 1);
	ck_assert_uint_eq(st->malformed_by_reason[MALFORMED_HEADER], 1);
	source_close(src);
	free(path);

	/* "Dec 25" with a November mtime is last year's, not damaged */
	path = write_file("bsd.log", bsd_log, sizeof(bsd_log) - 1);
	ck_assert_int_eq(utimes(path, tv), 0);
	src = source_open(path, &opts, err, sizeof(err));
	ck_assert_msg(src != NULL, "%s", err);
	ck_assert_int_eq(run_source(src, seen, 16, &n), SOURCE_EOF);
	ck_assert_uint_eq(source_stats(src)->lines_parsed, 1);
	ck_assert_uint_eq(source_stats(src)->lines_malformed, 0);
	source_close(src);
	free(path);
}
END_TEST

static Suite *
source_suite(void)
{
	Suite	*s = suite_create("source");
	TCase	*tc;

	tc = tcase_create("lines");
	tcase_add_loop_test(tc, test_each_line, 0, (int)NCASES);
	suite_add_tcase(s, tc);

	tc = tcase_create("files");
	tcase_add_test(tc, test_whole_log);
	tcase_add_test(tc, test_gzip_same_events);
	tcase_add_test(tc, test_damaged_gzip);
	tcase_add_test(tc, test_host_override);
	tcase_add_test(tc, test_host_every_mta);
	tcase_add_test(tc, test_forced_postfix);
	tcase_add_test(tc, test_samples);
	tcase_add_test(tc, test_open_errors);
	tcase_add_test(tc, test_window);
	tcase_add_test(tc, test_future_stamp);
	tcase_add_test(tc, test_native_or_syslog);
	tcase_add_test(tc, test_native_first_byte);
	tcase_add_test(tc, test_program_first_bytes);
	suite_add_tcase(s, tc);

	tc = tcase_create("stats");
	tcase_add_test(tc, test_stats_add);
	tcase_add_test(tc, test_format_names);
	suite_add_tcase(s, tc);
	return s;
}

/* remove_tmpdir - delete the test directory and its files */
static void
remove_tmpdir(void)
{
	DIR		*d = opendir(tmpdir);
	struct dirent	*e;
	char		 path[1024];

	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", tmpdir, e->d_name);
		(void)unlink(path);
	}
	closedir(d);
	(void)rmdir(tmpdir);
}

/* main - run the source suite */
int
main(void)
{
	int	status;

	if (mkdtemp(tmpdir) == NULL) {
		perror("mkdtemp");
		return EXIT_FAILURE;
	}
	status = run_suite(source_suite());
	remove_tmpdir();
	return status;
}
