/*
 * check_sample - detection on the shipped sample logs.
 *
 * Runs the whole pipeline over testdata/sample/input (simulated relay
 * logs with a labels file naming every subscriber's class) and checks
 * what the report must get right whatever the tuning: every labelled
 * zombie is a likely zombie and ranks above every account that is
 * not one, and no ordinary subscriber, bulk sender or device is
 * flagged at all.
 */
#include "config.h"

#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/aggregator.h"
#include "analysis/classify.h"
#include "analysis/correlator.h"
#include "analysis/report.h"
#include "analysis/scorer.h"
#include "parsers/source.h"
#include "util/strmap.h"
#include "util/xalloc.h"
#include "tests/testutil.h"

static char	 sample_dir[4096];
static json_t	*report;
static struct strmap *labels;		/* account -> "class/zombie_kind" */

/* compare_names - qsort order of file names */
static int
compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* load_labels - labels.csv: account,kind,class,zombie_kind,bad_from_day */
static void
load_labels(void)
{
	char	 path[4200], line[512], *f[5], *p;
	FILE	*in;
	int	 i;

	snprintf(path, sizeof(path), "%s/labels.csv", sample_dir);
	in = fopen(path, "r");
	ck_assert_msg(in != NULL, "%s: cannot open", path);
	labels = strmap_new(free);
	while (fgets(line, sizeof(line), in) != NULL) {
		line[strcspn(line, "\r\n")] = '\0';
		p = line;
		for (i = 0; i < 5; i++) {
			f[i] = p;
			p = strchr(p, ',');
			if (p == NULL)
				break;
			*p++ = '\0';
		}
		if (i < 3 || strcmp(f[0], "account") == 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", f[2], f[3]);
		*strmap_slot(labels, f[0], strlen(f[0]), NULL) =
		    xstrdup(path);
	}
	fclose(in);
}

/* run_sample - the pipeline over every sample file, in name order */
static void
run_sample(void)
{
	struct source_options sopts = { .year = 2026 };
	struct report_options ropts = { 0 };
	struct source_stats total;
	struct report_input rin;
	const struct mta_event *ev;
	const struct message *msg;
	struct classifier *cls = classifier_new();
	struct correlator *corr = correlator_new(NULL);
	struct aggregator *agg = aggregator_new(cls);
	struct scorer	*sc;
	struct source	*src;
	struct dirent	*de;
	char		 dir[4200], path[8400], err[256], *names[64];
	size_t		 n = 0, i;
	DIR		*d;

	snprintf(dir, sizeof(dir), "%s/input", sample_dir);
	d = opendir(dir);
	ck_assert_msg(d != NULL, "%s: cannot open", dir);
	while ((de = readdir(d)) != NULL && n < 64)
		if (de->d_name[0] != '.')
			names[n++] = xstrdup(de->d_name);
	closedir(d);
	qsort(names, n, sizeof(names[0]), compare_names);
	ck_assert_uint_gt(n, 0);

	source_stats_init(&total);
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		src = source_open(path, &sopts, err, sizeof(err));
		ck_assert_msg(src != NULL, "%s", err);
		while (source_next(src, &ev) == SOURCE_EVENT) {
			correlator_feed(corr, ev);
			while ((msg = correlator_next(corr)) != NULL)
				aggregator_add(agg, msg);
		}
		source_stats_add(&total, source_stats(src));
		ck_assert_uint_eq(source_stats(src)->lines_malformed, 0);
		source_close(src);
		free(names[i]);
	}
	correlator_finish(corr);
	while ((msg = correlator_next(corr)) != NULL)
		aggregator_add(agg, msg);

	sc = scorer_new(NULL);
	scorer_fit(sc, agg);
	rin = (struct report_input){
		.generated_at = 0,
		.total = &total,
		.correlation = correlator_stats(corr),
		.aggregator = agg,
		.scorer = sc,
	};
	report = report_build(&rin, &ropts);
	ck_assert_ptr_nonnull(report);
	scorer_free(sc);
	aggregator_free(agg);
	correlator_free(corr);
	classifier_free(cls);
}

/* setup - locate the sample, read labels, build the report once */
static void
setup(void)
{
	const char	*top = getenv("top_srcdir");

	snprintf(sample_dir, sizeof(sample_dir), "%s/testdata/sample",
	    top != NULL ? top : ".");
	load_labels();
	run_sample();
}

/* teardown - free what setup built */
static void
teardown(void)
{
	json_decref(report);
	strmap_free(labels);
}

/* label_of - "zombie/blaster", "home_user/", or NULL when unlabelled */
static const char *
label_of(const char *account)
{
	return strmap_get(labels, account, strlen(account));
}

START_TEST(test_zombies_rank_first)
{
	json_t		*accounts = json_object_get(report, "accounts");
	size_t		 i, zombies_seen = 0, zombies = 0;
	size_t		 pos = 0;
	const char	*key, *label;
	void		*value;
	bool		 non_zombie_seen = false;

	while (strmap_next(labels, &pos, &key, NULL, &value))
		if (strncmp(value, "zombie/", 7) == 0)
			zombies++;
	ck_assert_uint_gt(zombies, 0);

	for (i = 0; i < json_array_size(accounts); i++) {
		json_t	*a = json_array_get(accounts, i);
		const char *name = json_string_value(json_object_get(a,
		    "account"));
		const char *verdict = json_string_value(json_object_get(a,
		    "verdict"));

		label = label_of(name);
		if (label != NULL && strncmp(label, "zombie/", 7) == 0) {
			ck_assert_msg(!non_zombie_seen, "zombie %s (%s) "
			    "ranks below an account that is not one", name,
			    label);
			ck_assert_msg(strcmp(verdict, "likely_zombie") == 0,
			    "zombie %s (%s) is %s", name, label, verdict);
			zombies_seen++;
		} else
			non_zombie_seen = true;
	}
	ck_assert_uint_eq(zombies_seen, zombies);
}
END_TEST

START_TEST(test_legitimate_not_flagged)
{
	json_t	*accounts = json_object_get(report, "accounts");
	size_t	 i;

	for (i = 0; i < json_array_size(accounts); i++) {
		json_t	*a = json_array_get(accounts, i);
		const char *name = json_string_value(json_object_get(a,
		    "account"));
		const char *verdict = json_string_value(json_object_get(a,
		    "verdict"));
		const char *label = label_of(name);

		if (label == NULL || strncmp(label, "zombie/", 7) == 0)
			continue;
		ck_assert_msg(strcmp(verdict, "normal") == 0,
		    "%s (%s) is %s", name, label, verdict);
	}
}
END_TEST

/* sample_suite - detection on the sample */
static Suite *
sample_suite(void)
{
	Suite	*s = suite_create("sample");
	TCase	*tc = tcase_create("detection");

	tcase_add_unchecked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_zombies_rank_first);
	tcase_add_test(tc, test_legitimate_not_flagged);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return run_suite(sample_suite());
}
