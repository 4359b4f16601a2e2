/*
 * check_corpus - read the shared corpus of real mail logs through the
 * source and check that nothing is lost or misread.
 *
 * The corpus ($ZS_CORPUS_DIR, by default $top_srcdir/../shared/corpus)
 * holds one folder per MTA of lines copied from public projects (see
 * its PROVENANCE.md).  It lives outside the repository: when it is
 * absent the test is skipped (exit 77, automake's SKIP).
 *
 * For every file of an enabled MTA folder the per-file counts are
 * printed, and every line must be parsed, ignored or another
 * program's: none malformed.  Files that hold message parts without a
 * syslog header are the exception; they must be wholly malformed
 * (MALFORMED_HEADER), and their lines are fed to the Postfix parser
 * under a synthetic header for each of a few programs, which must not
 * crash.  Spot checks on field values prove that lines are not only
 * accepted but read correctly.
 */
#include "config.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "parsers/postfix.h"
#include "parsers/source.h"
#include "parsers/syslog.h"
#include "util/xalloc.h"
#include "tests/testutil.h"

#define EXIT_SKIP	77

/* MTA folders of the corpus; a parser's folder is enabled with it. */
struct mta_dir {
	const char	*dir;
	bool		 enabled;
};

static const struct mta_dir mta_dirs[] = {
	{ "postfix", true },
	{ "exim", true },
	{ "sendmail", true },
};

/*
 * Lines the corpus holds that are genuinely broken, examined one by
 * one: the fixture lost part of the line, so no parser could read it.
 */
static const struct {
	const char	*file;
	uint64_t	 malformed;
	const char	*why;
} known_broken[] = {
	/* "mail.example.com exim[...]: 2021-..." : syslog framing with
	   its time stamp dropped by the fixture. */
	{ "exim/fail2ban.log", 1, "syslog line without its time stamp" },
};

/* allowed_malformed - how many malformed lines a file may have */
static uint64_t
allowed_malformed(const char *file)
{
	size_t	i;

	for (i = 0; i < sizeof(known_broken) / sizeof(known_broken[0]); i++)
		if (strcmp(known_broken[i].file, file) == 0)
			return known_broken[i].malformed;
	return 0;
}

/* Files of message parts only: no syslog header on any line. */
static const char *const message_only_files[] = {
	"postfix/postfix-grok-patterns-msgonly.log",
};

/* Programs tried for the message-only lines. */
static const char *const message_only_programs[] = {
	"postfix/smtpd", "postfix/cleanup", "postfix/qmgr", "postfix/smtp",
	"postfix/bounce", "postfix/pickup", "postfix/anvil",
	"postfix/postscreen",
};

enum field {
	F_ANY,
	F_QUEUE_ID,
	F_RELATED_QUEUE_ID,
	F_CLIENT_IP,
	F_CLIENT_NAME,
	F_HELO,
	F_SASL_METHOD,
	F_SASL_USERNAME,
	F_SENDER,
	F_RECIPIENT,
	F_ORIG_RECIPIENT,
	F_MESSAGE_ID,
	F_RELAY,
	F_DSN,
	F_STAGE,
	F_SIZE,
	F_NRCPT,
	F_UID
};

#define ANY_STATUS	(-1)
#define NO_MAX		UINT64_MAX

/*
 * A spot check: in file, the number of events of kind whose field
 * equals value (and, for deliveries, whose status is status) lies in
 * [min, max].  The expected numbers were counted in the corpus files
 * by hand and with grep.
 */
struct spot {
	const char	*file;		/* under the corpus folder */
	enum event_kind	 kind;
	enum field	 field;
	const char	*value;
	int		 status;
	uint64_t	 min, max;
};

static const struct spot spots[] = {
	/* One message from SASL login to removal, every field. */
	{ "postfix/fluent-plugin-maillog.log", EV_CLIENT, F_SASL_USERNAME,
	    "xxxxx@from.example.com", ANY_STATUS, 1, 1 },
	{ "postfix/fluent-plugin-maillog.log", EV_CLIENT, F_SASL_METHOD,
	    "PLAIN", ANY_STATUS, 1, 1 },
	{ "postfix/fluent-plugin-maillog.log", EV_CLIENT, F_CLIENT_IP,
	    "192.168.0.1", ANY_STATUS, 1, 1 },
	{ "postfix/fluent-plugin-maillog.log", EV_CLIENT, F_CLIENT_NAME,
	    "192-168-0-1.xxx.xxxx.ne.jp", ANY_STATUS, 1, 1 },
	{ "postfix/fluent-plugin-maillog.log", EV_MESSAGE_ID, F_MESSAGE_ID,
	    "545A28A8.9070401@from.example.com", ANY_STATUS, 1, 1 },
	{ "postfix/fluent-plugin-maillog.log", EV_QUEUED, F_SENDER,
	    "xxxxx@from.example.com", ANY_STATUS, 1, 1 },
	{ "postfix/fluent-plugin-maillog.log", EV_QUEUED, F_SIZE, "662",
	    ANY_STATUS, 1, 1 },
	{ "postfix/fluent-plugin-maillog.log", EV_QUEUED, F_NRCPT, "2",
	    ANY_STATUS, 1, 1 },
	{ "postfix/fluent-plugin-maillog.log", EV_DELIVERY, F_RECIPIENT,
	    "zzzzz@to.example.com", DELIVERY_SENT, 1, 1 },
	{ "postfix/fluent-plugin-maillog.log", EV_DELIVERY, F_RELAY,
	    "mail.to.example.com[192.168.0.100]:25", ANY_STATUS, 1, 1 },
	{ "postfix/fluent-plugin-maillog.log", EV_DELIVERY, F_DSN, "2.0.0",
	    ANY_STATUS, 1, 1 },
	{ "postfix/fluent-plugin-maillog.log", EV_REMOVED, F_QUEUE_ID,
	    "7D4381EB80E5", ANY_STATUS, 1, 1 },

	{ "postfix/zentyal.log", EV_CLIENT, F_SASL_USERNAME,
	    "macaco@monos.org", ANY_STATUS, 1, NO_MAX },
	{ "postfix/zentyal.log", EV_CLIENT, F_ANY, NULL, ANY_STATUS, 17, 17 },
	{ "postfix/zentyal.log", EV_DELIVERY, F_ANY, NULL, DELIVERY_SENT,
	    15, 15 },
	{ "postfix/zentyal.log", EV_DELIVERY, F_ANY, NULL, DELIVERY_BOUNCED,
	    3, 3 },
	{ "postfix/zentyal.log", EV_DELIVERY, F_ANY, NULL, DELIVERY_DEFERRED,
	    3, 3 },
	{ "postfix/zentyal.log", EV_DELIVERY, F_RECIPIENT, "macaco@monos.org",
	    DELIVERY_SENT, 6, 6 },
	{ "postfix/zentyal.log", EV_BOUNCE_NOTICE, F_RELATED_QUEUE_ID,
	    "B876628785", ANY_STATUS, 1, 1 },
	{ "postfix/zentyal.log", EV_BOUNCE_NOTICE, F_ANY, NULL, ANY_STATUS,
	    3, 3 },
	{ "postfix/zentyal.log", EV_REJECT, F_RECIPIENT, "ckent@dplanet.com",
	    ANY_STATUS, 1, 1 },
	{ "postfix/zentyal.log", EV_REJECT, F_HELO, "huginn", ANY_STATUS,
	    1, 1 },
	{ "postfix/zentyal.log", EV_AUTH_FAILED, F_SASL_METHOD, "PLAIN",
	    ANY_STATUS, 1, 1 },
	{ "postfix/zentyal.log", EV_MESSAGE_ID, F_ANY, NULL, ANY_STATUS,
	    19, 19 },
	{ "postfix/zentyal.log", EV_QUEUED, F_ANY, NULL, ANY_STATUS, 17, 17 },
	{ "postfix/zentyal.log", EV_REMOVED, F_ANY, NULL, ANY_STATUS, 14, 14 },

	{ "postfix/parse-syslog-mail.log", EV_PICKUP, F_ANY, NULL,
	    ANY_STATUS, 35, 35 },
	{ "postfix/parse-syslog-mail.log", EV_PICKUP, F_UID, "0",
	    ANY_STATUS, 1, NO_MAX },
	{ "postfix/parse-syslog-mail.log", EV_PICKUP, F_SENDER, "cpanplus",
	    ANY_STATUS, 28, 28 },
	{ "postfix/parse-syslog-mail.log", EV_PICKUP, F_UID, "500",
	    ANY_STATUS, 6, 6 },
	{ "postfix/parse-syslog-mail.log", EV_DELIVERY, F_ANY, NULL,
	    DELIVERY_SENT, 35, 35 },
	{ "postfix/parse-syslog-mail.log", EV_DELIVERY, F_RECIPIENT,
	    "secdalek@gmail.coml", DELIVERY_BOUNCED, 1, 1 },
	{ "postfix/parse-syslog-mail.log", EV_DELIVERY, F_ORIG_RECIPIENT,
	    "root", ANY_STATUS, 1, NO_MAX },
	{ "postfix/parse-syslog-mail.log", EV_DELIVERY, F_RELAY,
	    "mx.develooper.com[63.251.223.176]", ANY_STATUS, 20, NO_MAX },
	{ "postfix/parse-syslog-mail.log", EV_REJECT, F_QUEUE_ID,
	    "8B7EF2BB7", ANY_STATUS, 1, 1 },
	{ "postfix/parse-syslog-mail.log", EV_MESSAGE_ID, F_ANY, NULL,
	    ANY_STATUS, 35, 35 },
	{ "postfix/parse-syslog-mail.log", EV_QUEUED, F_ANY, NULL,
	    ANY_STATUS, 35, 35 },
	{ "postfix/parse-syslog-mail.log", EV_REMOVED, F_ANY, NULL,
	    ANY_STATUS, 35, 35 },

	{ "postfix/postfix_exporter.log", EV_REMOVED, F_ANY, NULL,
	    ANY_STATUS, 31, 31 },
	{ "postfix/postfix_exporter.log", EV_EXPIRED, F_SENDER,
	    "noreply@domain.com", ANY_STATUS, 2, 2 },
	{ "postfix/postfix_exporter.log", EV_BOUNCE_NOTICE,
	    F_RELATED_QUEUE_ID, "5DE184083C", ANY_STATUS, 1, 1 },
	{ "postfix/postfix_exporter.log", EV_DELIVERY, F_ANY, NULL,
	    DELIVERY_SENT, 2, 2 },
	{ "postfix/postfix_exporter.log", EV_DELIVERY, F_ANY, NULL,
	    DELIVERY_DEFERRED, 1, 1 },
	{ "postfix/postfix_exporter.log", EV_DELIVERY, F_DSN, "5.0.0",
	    DELIVERY_BOUNCED, 1, 1 },
	{ "postfix/postfix_exporter.log", EV_DELIVERY, F_RECIPIENT,
	    "me@domain.fr", DELIVERY_SENT, 1, 1 },
	{ "postfix/postfix_exporter.log", EV_AUTH_FAILED, F_CLIENT_IP,
	    "192.168.1.2", ANY_STATUS, 1, 1 },
	{ "postfix/postfix_exporter.log", EV_CLIENT, F_SASL_USERNAME,
	    "user@domain", ANY_STATUS, 1, 1 },
	{ "postfix/postfix_exporter.log", EV_CLIENT, F_ANY, NULL,
	    ANY_STATUS, 2, 2 },

	{ "postfix/fail2ban.log", EV_AUTH_FAILED, F_ANY, NULL, ANY_STATUS,
	    13, 13 },
	{ "postfix/fail2ban.log", EV_AUTH_FAILED, F_CLIENT_IP,
	    "192.0.2.237", ANY_STATUS, 1, 1 },
	{ "postfix/fail2ban.log", EV_AUTH_FAILED, F_SASL_METHOD, "CRAM-MD5",
	    ANY_STATUS, 2, 2 },
	{ "postfix/fail2ban.log", EV_AUTH_FAILED, F_SASL_USERNAME, "admin",
	    ANY_STATUS, 1, 1 },
	{ "postfix/fail2ban.log", EV_REJECT, F_ANY, NULL, ANY_STATUS,
	    20, NO_MAX },
	{ "postfix/fail2ban.log", EV_REJECT, F_QUEUE_ID, "00ADB3C0899",
	    ANY_STATUS, 1, 1 },
	{ "postfix/fail2ban.log", EV_REJECT, F_QUEUE_ID, "44JCRG5tYPzCqt2",
	    ANY_STATUS, 1, 1 },
	{ "postfix/fail2ban.log", EV_REJECT, F_STAGE, "EHLO", ANY_STATUS,
	    3, NO_MAX },
	{ "postfix/fail2ban.log", EV_REJECT, F_SENDER, "john@example.com",
	    ANY_STATUS, 1, 1 },

	{ "postfix/crowdsec-hub.log", EV_AUTH_FAILED, F_ANY, NULL,
	    ANY_STATUS, 8, 8 },
	{ "postfix/crowdsec-hub.log", EV_REJECT, F_ANY, NULL, ANY_STATUS,
	    9, 9 },
	{ "postfix/crowdsec-hub.log", EV_REJECT, F_HELO, "WIN-9QL4SDRB93L",
	    ANY_STATUS, 5, 5 },
	{ "postfix/crowdsec-hub.log", EV_AUTH_FAILED, F_CLIENT_IP,
	    "203.0.113.42", ANY_STATUS, 3, 3 },

	{ "postfix/sshguard.log", EV_AUTH_FAILED, F_ANY, NULL, ANY_STATUS,
	    3, 3 },
	{ "postfix/sshguard.log", EV_AUTH_FAILED, F_CLIENT_IP,
	    "2001:db8::a11:beef:7ac0", ANY_STATUS, 1, 1 },
	{ "postfix/sshguard.log", EV_AUTH_FAILED, F_CLIENT_IP,
	    "122.166.249.154", ANY_STATUS, 1, 1 },
};

#define NSPOTS	(sizeof(spots) / sizeof(spots[0]))

/* The corpus folder and the files found in it. */
static char	 corpus_dir[4096];
static char	**corpus_files;		/* "mta/name", sorted */
static size_t	 ncorpus_files;

/* field_value - an event's field as text into buf (numbers formatted) */
static struct zstr
field_value(const struct mta_event *ev, enum field field, char *buf,
    size_t buflen)
{
	switch (field) {
	case F_QUEUE_ID:
		return ev->queue_id;
	case F_RELATED_QUEUE_ID:
		return ev->related_queue_id;
	case F_CLIENT_IP:
		return ev->client_ip;
	case F_CLIENT_NAME:
		return ev->client_name;
	case F_HELO:
		return ev->helo;
	case F_SASL_METHOD:
		return ev->sasl_method;
	case F_SASL_USERNAME:
		return ev->sasl_username;
	case F_SENDER:
		return ev->sender;
	case F_RECIPIENT:
		return ev->recipient;
	case F_ORIG_RECIPIENT:
		return ev->orig_recipient;
	case F_MESSAGE_ID:
		return ev->message_id;
	case F_RELAY:
		return ev->relay;
	case F_DSN:
		return ev->dsn;
	case F_STAGE:
		return ev->stage;
	case F_SIZE:
		snprintf(buf, buflen, "%llu",
		    (unsigned long long)ev->size_bytes);
		return zstr_make(buf, strlen(buf));
	case F_NRCPT:
		snprintf(buf, buflen, "%llu", (unsigned long long)ev->nrcpt);
		return zstr_make(buf, strlen(buf));
	case F_UID:
		snprintf(buf, buflen, "%lld", (long long)ev->uid);
		return zstr_make(buf, strlen(buf));
	case F_ANY:
	default:
		return ZSTR_NULL;
	}
}

/* spot_matches - whether an event counts for a spot check */
static bool
spot_matches(const struct spot *sp, const struct mta_event *ev)
{
	char		buf[32];
	struct zstr	v;

	if (ev->kind != sp->kind)
		return false;
	if (sp->status != ANY_STATUS && (ev->kind != EV_DELIVERY ||
	    (int)ev->status != sp->status))
		return false;
	if (sp->field == F_ANY)
		return true;
	v = field_value(ev, sp->field, buf, sizeof(buf));
	return zstr_is_set(v) && zstr_eq_cstr(v, sp->value);
}

/* corpus_path - full path of a corpus file into buf */
static void
corpus_path(const char *file, char *buf, size_t buflen)
{
	snprintf(buf, buflen, "%s/%s", corpus_dir, file);
}

/* is_message_only - whether a corpus file has no syslog headers */
static bool
is_message_only(const char *file)
{
	size_t	i;

	for (i = 0; i < sizeof(message_only_files) /
	    sizeof(message_only_files[0]); i++)
		if (strcmp(file, message_only_files[i]) == 0)
			return true;
	return false;
}

/* open_corpus_file - a source on a corpus file, which must open */
static struct source *
open_corpus_file(const char *file)
{
	struct source_options opts;
	struct source	*src;
	char		 path[8192], err[1024];

	memset(&opts, 0, sizeof(opts));
	opts.format = FORMAT_AUTO;
	corpus_path(file, path, sizeof(path));
	src = source_open(path, &opts, err, sizeof(err));
	ck_assert_msg(src != NULL, "%s", err);
	return src;
}

/* print_stats - one file's counts, one line per group */
static void
print_stats(const char *file, const struct source_stats *st,
    const uint64_t *kinds)
{
	size_t	i;

	printf("%s: read %llu parsed %llu ignored %llu other %llu "
	    "malformed %llu events %llu invalid_utf8 %llu\n", file,
	    (unsigned long long)st->lines_read,
	    (unsigned long long)st->lines_parsed,
	    (unsigned long long)st->lines_ignored,
	    (unsigned long long)st->lines_other,
	    (unsigned long long)st->lines_malformed,
	    (unsigned long long)st->events,
	    (unsigned long long)st->lines_invalid_utf8);
	printf("  ignored:");
	for (i = 0; i < IGNORE_REASON_COUNT; i++)
		if (st->ignored_by_reason[i] > 0)
			printf(" %s=%llu",
			    ignore_reason_name((enum ignore_reason)i),
			    (unsigned long long)st->ignored_by_reason[i]);
	printf("\n  malformed:");
	for (i = 0; i < MALFORMED_REASON_COUNT; i++)
		if (st->malformed_by_reason[i] > 0)
			printf(" %s=%llu",
			    malformed_reason_name((enum malformed_reason)i),
			    (unsigned long long)st->malformed_by_reason[i]);
	printf("\n  events:");
	for (i = 0; i < EV_KIND_COUNT; i++)
		if (kinds[i] > 0)
			printf(" %s=%llu", event_kind_name((enum event_kind)i),
			    (unsigned long long)kinds[i]);
	printf("\n");
	fflush(stdout);
}

/* count_file_lines - newline count of a corpus file */
static uint64_t
count_file_lines(const char *file)
{
	char		 path[8192];
	FILE		*f;
	int		 c;
	uint64_t	 n = 0;

	corpus_path(file, path, sizeof(path));
	f = fopen(path, "rb");
	ck_assert_ptr_nonnull(f);
	while ((c = getc(f)) != EOF)
		if (c == '\n')
			n++;
	fclose(f);
	return n;
}

/*
 * Every file: read through; every line accounted for; no line of a
 * file with syslog headers is malformed.
 */
START_TEST(test_file)
{
	const char	*file = corpus_files[_i];
	struct source	*src = open_corpus_file(file);
	const struct mta_event *ev;
	const struct source_stats *st;
	uint64_t	 kinds[EV_KIND_COUNT] = { 0 };
	enum source_status status;
	size_t		 i;

	while ((status = source_next(src, &ev)) == SOURCE_EVENT) {
		ck_assert_int_lt(ev->kind, EV_KIND_COUNT);
		kinds[ev->kind]++;
		/* Fields borrow from the line: touch them all (ASan). */
		ck_assert(ev->host.len < 4096);
		ck_assert(ev->queue_id.ptr == NULL || ev->queue_id.len < 64);
	}
	ck_assert_int_eq(status, SOURCE_EOF);
	st = source_stats(src);
	print_stats(file, st, kinds);
	for (i = 0; i < 5 && source_sample(src, i) != NULL; i++)
		printf("  sample: %s\n", source_sample(src, i));
	ck_assert_uint_eq(st->files_damaged, 0);
	ck_assert_uint_eq(st->lines_read, count_file_lines(file));
	ck_assert_uint_eq(st->lines_read, st->lines_parsed +
	    st->lines_ignored + st->lines_other + st->lines_malformed);
	if (is_message_only(file)) {
		ck_assert_uint_eq(st->lines_malformed, st->lines_read);
		ck_assert_uint_eq(st->malformed_by_reason[MALFORMED_HEADER],
		    st->lines_read);
		ck_assert_uint_eq(st->events, 0);
	} else {
		ck_assert_msg(st->lines_malformed == allowed_malformed(file),
		    "%s: %llu malformed lines, first: %s", file,
		    (unsigned long long)st->lines_malformed,
		    source_sample(src, 0) ? source_sample(src, 0) : "-");
		/* Every MTA file in the corpus gives something. */
		ck_assert_uint_gt(st->lines_parsed + st->lines_ignored, 0);
	}
	source_close(src);
}
END_TEST

/* A spot check on one file's events. */
START_TEST(test_spot)
{
	const struct spot *sp = &spots[_i];
	struct source	*src;
	const struct mta_event *ev;
	uint64_t	 n = 0;

	src = open_corpus_file(sp->file);
	while (source_next(src, &ev) == SOURCE_EVENT)
		if (spot_matches(sp, ev))
			n++;
	ck_assert_msg(n >= sp->min && n <= sp->max,
	    "%s: %llu %s events with %d=%s status %d, want %llu..%llu",
	    sp->file, (unsigned long long)n, event_kind_name(sp->kind),
	    (int)sp->field, sp->value ? sp->value : "*", sp->status,
	    (unsigned long long)sp->min, (unsigned long long)sp->max);
	source_close(src);
}
END_TEST

/*
 * Message-only files: each line under a synthetic header, for each of
 * several Postfix programs.  Nothing may crash; the outcomes are
 * printed, and some lines must give events.
 */
START_TEST(test_message_only)
{
	const char	*file = message_only_files[_i];
	struct postfix_parser *pp = postfix_parser_new();
	struct syslog_header hdr;
	const struct mta_event *ev;
	enum ignore_reason ignore;
	enum malformed_reason malformed;
	char		 path[8192], *line = NULL;
	size_t		 cap = 0, p, i, slash;
	ssize_t		 len;
	uint64_t	 outcome[4] = { 0 }, events = 0;
	FILE		*f;

	corpus_path(file, path, sizeof(path));
	f = fopen(path, "rb");
	ck_assert_ptr_nonnull(f);
	while ((len = getline(&line, &cap, f)) > 0) {
		if (line[len - 1] == '\n')
			len--;
		for (p = 0; p < sizeof(message_only_programs) /
		    sizeof(message_only_programs[0]); p++) {
			const char *prog = message_only_programs[p];

			memset(&hdr, 0, sizeof(hdr));
			hdr.time_sec = 1700000000;
			hdr.host = ZSTR_LIT("relay1");
			hdr.program = zstr_make(prog, strlen(prog));
			slash = (size_t)(strchr(prog, '/') - prog);
			hdr.instance = zstr_make(prog, slash);
			hdr.service = zstr_make(prog + slash + 1,
			    strlen(prog) - slash - 1);
			hdr.pid = 1;
			hdr.message = zstr_make(line, (size_t)len);
			i = (size_t)postfix_feed(pp, &hdr, &ignore,
			    &malformed);
			ck_assert_uint_lt(i, 4);
			outcome[i]++;
			while ((ev = postfix_next(pp)) != NULL) {
				ck_assert_int_lt(ev->kind, EV_KIND_COUNT);
				events++;
			}
		}
	}
	printf("%s (synthetic headers): events %llu ignored %llu "
	    "not_mine %llu malformed %llu; %llu events\n", file,
	    (unsigned long long)outcome[PARSE_EVENTS],
	    (unsigned long long)outcome[PARSE_IGNORED],
	    (unsigned long long)outcome[PARSE_NOT_MINE],
	    (unsigned long long)outcome[PARSE_MALFORMED],
	    (unsigned long long)events);
	fflush(stdout);
	ck_assert_uint_gt(outcome[PARSE_EVENTS], 0);
	ck_assert_uint_eq(outcome[PARSE_NOT_MINE], 0);
	free(line);
	fclose(f);
	postfix_parser_free(pp);
}
END_TEST

/* compare_names - qsort order of file names */
static int
compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* list_corpus - the *.log files of every enabled MTA folder */
static void
list_corpus(void)
{
	size_t	 i, cap = 0, n;
	char	 path[8192];
	DIR	*d;
	struct dirent *e;

	for (i = 0; i < sizeof(mta_dirs) / sizeof(mta_dirs[0]); i++) {
		if (!mta_dirs[i].enabled)
			continue;
		snprintf(path, sizeof(path), "%s/%s", corpus_dir,
		    mta_dirs[i].dir);
		if ((d = opendir(path)) == NULL)
			continue;
		while ((e = readdir(d)) != NULL) {
			n = strlen(e->d_name);
			if (n < 5 || strcmp(e->d_name + n - 4, ".log") != 0)
				continue;
			if (ncorpus_files == cap) {
				cap = cap ? cap * 2 : 16;
				corpus_files = xreallocarray(corpus_files, cap,
				    sizeof(*corpus_files));
			}
			snprintf(path, sizeof(path), "%s/%s", mta_dirs[i].dir,
			    e->d_name);
			corpus_files[ncorpus_files++] = xstrdup(path);
		}
		closedir(d);
	}
	if (ncorpus_files > 0)
		qsort(corpus_files, ncorpus_files, sizeof(*corpus_files),
		    compare_names);
}

/* corpus_suite - per-file, spot and message-only tests */
static Suite *
corpus_suite(void)
{
	Suite	*s = suite_create("corpus");
	TCase	*tc;

	tc = tcase_create("files");
	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, test_file, 0, (int)ncorpus_files);
	suite_add_tcase(s, tc);

	tc = tcase_create("spots");
	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, test_spot, 0, (int)NSPOTS);
	suite_add_tcase(s, tc);

	tc = tcase_create("message_only");
	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, test_message_only, 0,
	    (int)(sizeof(message_only_files) / sizeof(message_only_files[0])));
	suite_add_tcase(s, tc);
	return s;
}

/* main - find the corpus, run the suite or skip */
int
main(void)
{
	const char	*env = getenv("ZS_CORPUS_DIR");
	const char	*top = getenv("top_srcdir");
	DIR		*d;
	int		 status;
	size_t		 i;

	if (env != NULL && *env != '\0')
		snprintf(corpus_dir, sizeof(corpus_dir), "%s", env);
	else
		snprintf(corpus_dir, sizeof(corpus_dir), "%s/../shared/corpus",
		    top != NULL && *top != '\0' ? top : ".");
	if ((d = opendir(corpus_dir)) == NULL) {
		printf("corpus not found, skipping (%s)\n", corpus_dir);
		return EXIT_SKIP;
	}
	closedir(d);
	list_corpus();
	if (ncorpus_files == 0) {
		printf("corpus not found, skipping (%s: no files)\n",
		    corpus_dir);
		return EXIT_SKIP;
	}
	status = run_suite(corpus_suite());
	for (i = 0; i < ncorpus_files; i++)
		free(corpus_files[i]);
	free(corpus_files);
	return status;
}
