/*
 * check_pipeline - unit tests for analysis/pipeline: grouping by relay,
 * rotated files joined, damaged files flagged, a result that does not
 * depend on the number of threads nor on how the threads take turns at
 * the relays, progress counters, and a time window across rotated
 * files.
 */
#include "config.h"

#include <sys/stat.h>

#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analysis/pipeline.h"
#include "tests/testutil.h"

static char	 dir[64];
static char	*paths[32];
static size_t	 npaths;

/* write_file - a log file in the temp dir; its path joins paths[] */
static void
write_file(const char *name, const char *text)
{
	char	path[128];
	FILE	*f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	ck_assert_int_eq(fclose(f), 0);
	paths[npaths++] = strdup(path);
}

/* message - the lines of one authenticated message, split at "|" */
#define MSG(host, t, qid, user, rcpt)					\
	"Nov 25 " t " " host " postfix/submission/smtpd[10]: " qid	\
	": client=pc[10.0.0.1], sasl_method=PLAIN, sasl_username=" user	\
	"\n"								\
	"Nov 25 " t " " host " postfix/qmgr[11]: " qid ": from=<" user	\
	">, size=100, nrcpt=1 (queue active)\n"				\
	"Nov 25 " t " " host " postfix/smtp[12]: " qid ": to=<" rcpt	\
	">, relay=mx[192.0.2.1]:25, delay=1, delays=0/0/0/1, "		\
	"dsn=2.0.0, status=sent (250 OK)\n"				\
	"Nov 25 " t " " host " postfix/qmgr[11]: " qid ": removed\n"

/* setup - two relays, the first with two rotated files */
static void
setup(void)
{
	strcpy(dir, "/tmp/zs-check-pipeline-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	npaths = 0;
	/* relay1's message AAAAA1 starts in one file, ends in the next. */
	write_file("r1-1.log",
	    MSG("relay1", "10:00:00", "AAAAA0", "ann@isp.example",
	    "x@a.example")
	    "Nov 25 23:59:59 relay1 postfix/submission/smtpd[10]: AAAAA1: "
	    "client=pc[10.0.0.1], sasl_method=PLAIN, "
	    "sasl_username=ann@isp.example\n");
	write_file("r2.log",
	    MSG("relay2", "11:00:00", "AAAAA1", "bob@isp.example",
	    "y@b.example")
	    MSG("relay2", "12:00:00", "BBBBB2", "ann@isp.example",
	    "z@c.example"));
	write_file("r1-2.log",
	    "Nov 26 00:00:01 relay1 postfix/qmgr[11]: AAAAA1: "
	    "from=<ann@isp.example>, size=100, nrcpt=1 (queue active)\n"
	    "Nov 26 00:00:02 relay1 postfix/smtp[12]: AAAAA1: "
	    "to=<w@d.example>, relay=mx[192.0.2.1]:25, delay=1, "
	    "delays=0/0/0/1, dsn=2.0.0, status=sent (250 OK)\n"
	    "Nov 26 00:00:02 relay1 postfix/qmgr[11]: AAAAA1: removed\n");
}

/* teardown - remove the files */
static void
teardown(void)
{
	char	cmd[128];
	size_t	i;

	for (i = 0; i < npaths; i++)
		free(paths[i]);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

/*
 * run_turns - the pipeline with jobs threads taking turns of turn
 * events (0: the default), keeping messages open or not, adding to pc
 * when not NULL; the canonical aggregate dump
 */
static char *
run_turns(unsigned jobs, size_t turn, bool keep_open,
    struct pipeline_result *res, struct progress_counters *pc)
{
	struct pipeline_options opts = {
		.source = { .year = 2026 },
		.jobs = jobs,
		.turn_events = turn,
		.keep_open = keep_open,
		.progress = pc,
	};
	struct classifier *cls = classifier_new();
	json_t		*j;
	char		*dump;

	pipeline_run(paths, npaths, &opts, cls, res);
	j = aggregator_to_json(res->aggregator);
	dump = json_dumps(j, JSON_SORT_KEYS | JSON_COMPACT);
	json_decref(j);
	classifier_free(cls);
	return dump;
}

/* run - the pipeline with n threads; the canonical aggregate dump */
static char *
run(unsigned jobs, struct pipeline_result *res)
{
	return run_turns(jobs, 0, false, res, NULL);
}

START_TEST(test_groups_and_rotation)
{
	struct pipeline_result res;
	const struct account *ann;
	struct account_features f;
	char		*dump = run(1, &res);

	ck_assert_uint_eq(res.relay_groups, 2);
	ck_assert_uint_eq(res.file_count, 3);
	ck_assert(!res.partial);
	/* Files keep the order given, whatever the grouping. */
	ck_assert_str_eq(res.files[1].name, paths[1]);
	/* The message split across relay1's files is one message. */
	ck_assert_uint_eq(res.correlation.messages_complete, 4);
	ck_assert_uint_eq(res.correlation.messages_incomplete, 0);
	ann = aggregator_find(res.aggregator, ACCOUNT_SASL,
	    "ann@isp.example");
	ck_assert_ptr_nonnull(ann);
	account_features(ann, &f);
	ck_assert_uint_eq(f.messages, 3);
	ck_assert_uint_eq(f.distinct_domains, 3);
	ck_assert_uint_eq(res.total.lines_read, 16);
	free(dump);
	pipeline_result_free(&res);
}
END_TEST

START_TEST(test_jobs_do_not_change_result)
{
	struct pipeline_result r1, r3;
	char		*d1 = run(1, &r1);
	char		*d3 = run(3, &r3);

	ck_assert_str_eq(d1, d3);
	ck_assert_uint_eq(r1.correlation.messages_complete,
	    r3.correlation.messages_complete);
	ck_assert_uint_eq(r1.total.lines_parsed, r3.total.lines_parsed);
	free(d1);
	free(d3);
	pipeline_result_free(&r1);
	pipeline_result_free(&r3);
}
END_TEST

START_TEST(test_missing_file_is_partial)
{
	struct pipeline_result res;
	char		 path[128];
	char		*dump;

	snprintf(path, sizeof(path), "%s/no-such.log", dir);
	paths[npaths++] = strdup(path);
	dump = run(2, &res);
	ck_assert(res.partial);
	ck_assert_int_eq(res.files[3].status, INPUT_UNREADABLE);
	ck_assert_ptr_nonnull(strstr(res.files[3].error, "no-such.log"));
	/* What could be read still counts. */
	ck_assert_uint_eq(res.correlation.messages_complete, 4);
	free(dump);
	pipeline_result_free(&res);
	pipeline_result_free(NULL);
}
END_TEST

/* Progress counters add up to the run's own counts. */
START_TEST(test_progress_counters)
{
	struct progress_counters pc;
	struct pipeline_options opts = {
		.source = { .year = 2026 },
		.jobs = 2,
		.progress = &pc,
	};
	struct pipeline_result res;
	struct classifier *cls = classifier_new();
	struct stat	 st;
	uint64_t	 size = 0;
	size_t		 i;

	for (i = 0; i < npaths; i++) {
		ck_assert_int_eq(stat(paths[i], &st), 0);
		size += (uint64_t)st.st_size;
	}
	progress_counters_init(&pc);
	pipeline_run(paths, npaths, &opts, cls, &res);
	ck_assert_uint_eq(atomic_load(&pc.total_bytes), size);
	ck_assert_uint_eq(atomic_load(&pc.bytes_read), res.total.bytes_read);
	ck_assert_uint_eq(atomic_load(&pc.bytes_read), size);
	ck_assert_uint_eq(atomic_load(&pc.lines_read), res.total.lines_read);
	ck_assert_uint_eq(atomic_load(&pc.lines_read), 16);
	pipeline_result_free(&res);
	classifier_free(cls);
}
END_TEST

/*
 * A window from Nov 26: relay1's first file is wholly outside, yet its
 * second file still gets 2026 (the anchor follows the skipped lines),
 * and the message begun before the window has no account.
 */
START_TEST(test_window_across_files)
{
	struct pipeline_options opts = {
		.source = {
			.year = 2026,
			.window = true,
			.since_sec = INT64_C(1795651200),  /* 2026-11-26Z */
			.until_sec = INT64_MAX,
		},
		.jobs = 1,
	};
	struct pipeline_result res;
	struct classifier *cls = classifier_new();

	pipeline_run(paths, npaths, &opts, cls, &res);
	ck_assert_uint_eq(res.relay_groups, 2);
	ck_assert_uint_eq(res.total.lines_read, 16);
	ck_assert_uint_eq(res.total.lines_outside_window, 13);
	ck_assert_uint_eq(res.total.lines_parsed, 3);
	ck_assert_int_eq(res.total.first_time_sec, INT64_C(1795651201));
	ck_assert_int_eq(res.total.outside_last_sec, INT64_C(1795651199));
	ck_assert_uint_eq(res.files[0].stats.lines_outside_window, 5);
	ck_assert_ptr_null(aggregator_find(res.aggregator, ACCOUNT_SASL,
	    "bob@isp.example"));
	pipeline_result_free(&res);
	classifier_free(cls);
}
END_TEST

/*
 * many_relays - five relays of different sizes, two files each, a
 * message of each relay split across its files; relay r2's first file
 * is missing, so that a group's file fails to open between turns.
 */
static void
many_relays(void)
{
	char	 name[32], qid[16], *text;
	size_t	 r, k, i, n, len, cap = 1 << 20;

	strcpy(dir, "/tmp/zs-check-pipeline-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	npaths = 0;
	text = malloc(cap);
	ck_assert_ptr_nonnull(text);
	for (r = 0; r < 5; r++) {
		n = 10 + 17 * ((r * 3) % 5);
		for (k = 0; k < 2; k++) {
			len = 0;
			for (i = 0; i < n; i++) {
				snprintf(qid, sizeof(qid), "%c%c%04zX",
				    (int)('A' + r), (int)('A' + k), i);
				len += (size_t)snprintf(text + len, cap - len,
				    "Nov %d 10:%02zu:%02zu relay%zu postfix/"
				    "submission/smtpd[10]: %s: client=pc"
				    "[10.0.%zu.1], sasl_method=PLAIN, "
				    "sasl_username=u%zu@isp.example\n"
				    "Nov %d 10:%02zu:%02zu relay%zu postfix/"
				    "qmgr[11]: %s: from=<u%zu@isp.example>, "
				    "size=100, nrcpt=1 (queue active)\n"
				    "Nov %d 10:%02zu:%02zu relay%zu postfix/"
				    "smtp[12]: %s: to=<x%zu@d%zu.example>, "
				    "relay=mx[192.0.2.1]:25, delay=1, "
				    "delays=0/0/0/1, dsn=%s, status=%s\n"
				    "Nov %d 10:%02zu:%02zu relay%zu postfix/"
				    "qmgr[11]: %s: removed\n",
				    25 + (int)k, i / 60, i % 60, r, qid, r,
				    i % 7,
				    25 + (int)k, i / 60, i % 60, r, qid,
				    i % 7,
				    25 + (int)k, i / 60, i % 60, r, qid, i,
				    i % 11, i % 5 ? "2.0.0" : "5.1.1",
				    i % 5 ? "sent (250 OK)" :
				    "bounced (550 5.1.1 unknown user)",
				    25 + (int)k, i / 60, i % 60, r, qid);
				ck_assert_uint_lt(len, cap - 4096);
			}
			/* The message that the rotation splits. */
			len += (size_t)snprintf(text + len, cap - len, k == 0 ?
			    "Nov 25 23:59:59 relay%zu postfix/submission/"
			    "smtpd[10]: FFFF%02zX: client=pc[10.0.9.1], "
			    "sasl_method=PLAIN, sasl_username=s@isp.example\n"
			    : "Nov 26 23:59:59 relay%zu postfix/qmgr[11]: "
			    "FFFF%02zX: from=<s@isp.example>, size=1, nrcpt=1 "
			    "(queue active)\n"
			    "Nov 26 23:59:59 relay%zu postfix/smtp[12]: "
			    "FFFF%02zX: to=<w@d.example>, relay=mx[192.0.2.1]:"
			    "25, delay=1, delays=0/0/0/1, dsn=2.0.0, "
			    "status=sent (250 OK)\n"
			    "Nov 26 23:59:59 relay%zu postfix/qmgr[11]: "
			    "FFFF%02zX: removed\n", r, r, r, r, r, r);
			snprintf(name, sizeof(name), "r%zu-%zu.log", r, k);
			if (r == 2 && k == 0) {
				snprintf(text, cap, "%s/%s", dir, name);
				paths[npaths++] = strdup(text);
				continue;
			}
			write_file(name, text);
		}
	}
	free(text);
}

/*
 * More relays than threads: whatever the threads and the length of
 * their turns (1 event: a turn ends at every event), the aggregate,
 * the correlation and every file's counts are those of one thread,
 * and the progress counters add up.
 */
START_TEST(test_turns_do_not_change_result)
{
	static const size_t turns[] = { 1, 2, 7, 100, 0 };
	struct pipeline_result r1, rn;
	struct progress_counters pc;
	char		*d1, *dn;
	unsigned	 jobs;
	size_t		 t, i;
	bool		 keep;

	for (keep = false; ; keep = true) {
		d1 = run_turns(1, 0, keep, &r1, NULL);
		ck_assert_uint_eq(r1.relay_groups, 6);
		ck_assert(r1.partial);
		ck_assert_int_eq(r1.files[4].status, INPUT_UNREADABLE);
		if (!keep)
			ck_assert_uint_eq(r1.correlation.messages_complete,
			    2 * (10 + 27 + 44 + 61 + 78) - 27 + 5);
		for (jobs = 2; jobs <= 4; jobs++)
			for (t = 0; t < sizeof(turns) / sizeof(*turns); t++) {
				progress_counters_init(&pc);
				dn = run_turns(jobs, turns[t], keep, &rn, &pc);
				ck_assert_str_eq(d1, dn);
				ck_assert_mem_eq(&r1.correlation,
				    &rn.correlation,
				    sizeof(r1.correlation));
				ck_assert_uint_eq(r1.file_count,
				    rn.file_count);
				for (i = 0; i < r1.file_count; i++) {
					ck_assert_int_eq(r1.files[i].status,
					    rn.files[i].status);
					ck_assert_uint_eq(
					    r1.files[i].stats.lines_read,
					    rn.files[i].stats.lines_read);
					ck_assert_uint_eq(
					    r1.files[i].stats.lines_parsed,
					    rn.files[i].stats.lines_parsed);
				}
				ck_assert_uint_eq(atomic_load(&pc.lines_read),
				    r1.total.lines_read);
				ck_assert_uint_eq(atomic_load(&pc.bytes_read),
				    r1.total.bytes_read);
				free(dn);
				pipeline_result_free(&rn);
			}
		free(d1);
		pipeline_result_free(&r1);
		if (keep)
			break;
	}
}
END_TEST

/* pipeline_suite - every pipeline test */
static Suite *
pipeline_suite(void)
{
	Suite	*s = suite_create("pipeline");
	TCase	*tc = tcase_create("run");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_groups_and_rotation);
	tcase_add_test(tc, test_jobs_do_not_change_result);
	tcase_add_test(tc, test_missing_file_is_partial);
	tcase_add_test(tc, test_progress_counters);
	tcase_add_test(tc, test_window_across_files);
	suite_add_tcase(s, tc);

	tc = tcase_create("turns");
	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, many_relays, teardown);
	tcase_add_test(tc, test_turns_do_not_change_result);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return run_suite(pipeline_suite());
}
