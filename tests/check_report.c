/*
 * check_report - unit tests for analysis/report: the report of a small
 * hand-made aggregator, written out and parsed back, checked for its
 * structure and values, ranking, filtering, repair of invalid UTF-8,
 * determinism, the report in parts (report_open()) against the whole,
 * and against the required members and types of
 * doc/report-schema.json (a small hand-written validator: no external
 * tool is needed).
 */
#include "config.h"

#include <check.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/aggregator.h"
#include "analysis/classify.h"
#include "analysis/correlator.h"
#include "analysis/message.h"
#include "analysis/report.h"
#include "analysis/scorer.h"
#include "parsers/source.h"
#include "tests/feed.h"
#include "util/utf8.h"
#include "tests/testutil.h"

#define REPLACEMENT	"\xef\xbf\xbd"

/*
 * The accounts: two ordinary users (one with an invalid UTF-8 name and
 * sender), a spam-sending zombie, a busy but clean sender, and a tie.
 */
static const struct feed feeds[] = {
	{ "alice@example.net", "192.0.2.1", "alice@example.net", 12, 1, 3,
	    0, 0, 14 },
	{ "b\xffob@example.net", "192.0.2.2", "b\xffob@example.net\xc3",
	    6, 2, 2, 0, 0, 11 },
	{ NULL, "203.0.113.66", NULL, 120, 4, 8, 3, 4, 2 },
	{ "shop@example.com", "198.51.100.7", "news@shop.example", 200, 3,
	    8, 0, 0, 9 },
	{ "carol@example.net", "192.0.2.3", "carol@example.net", 12, 1, 3,
	    0, 0, 14 },
};

#define FEED_COUNT	(sizeof(feeds) / sizeof(feeds[0]))

/* Everything report_build() needs besides the aggregator. */
struct fixture {
	struct classifier *cls;
	struct aggregator *agg;
	struct scorer	*sc;
	struct source_stats total;
	struct correlator_stats corr;
	struct input_file files[3];
	struct report_input in;
};

/* fixture_init - the small aggregator, fed in order or in reverse */
static void
fixture_init(struct fixture *fx, bool reverse)
{
	size_t	i;

	memset(fx, 0, sizeof(*fx));
	fx->cls = classifier_new();
	fx->agg = aggregator_new(fx->cls);
	for (i = 0; i < FEED_COUNT; i++) {
		size_t k = reverse ? FEED_COUNT - 1 - i : i;

		feed_account(fx->agg, &feeds[k], (unsigned)k);
	}
	fx->sc = scorer_new(NULL);
	scorer_fit(fx->sc, fx->agg);

	source_stats_init(&fx->total);
	fx->total.files = 3;
	fx->total.files_damaged = 2;
	fx->total.bytes_read = 123456;
	fx->total.bytes_decoded = 654321;
	fx->total.lines_read = 5000;
	fx->total.lines_parsed = 4000;
	fx->total.lines_ignored = 900;
	fx->total.lines_other = 90;
	fx->total.lines_malformed = 10;
	fx->total.lines_invalid_utf8 = 3;
	fx->total.events = 4100;
	fx->total.ignored_by_reason[IGNORE_TLS] = 900;
	fx->total.malformed_by_reason[MALFORMED_FIELD] = 10;
	fx->total.lines_by_format[FORMAT_POSTFIX] = 4910;
	fx->total.first_time_sec = T0;
	fx->total.last_time_sec = T0 + 86399;

	fx->files[0].name = "mail.log";
	fx->files[0].status = INPUT_OK;
	fx->files[0].stats = fx->total;
	fx->files[1].name = "mail.log.1.gz";
	fx->files[1].status = INPUT_DAMAGED;
	fx->files[1].error = "mail.log.1.gz: offset 4096: unexpected end "
	    "of gzip stream";
	source_stats_init(&fx->files[1].stats);
	fx->files[2].name = "missing\xfe.log";
	fx->files[2].status = INPUT_UNREADABLE;
	fx->files[2].error = "missing\xfe.log: No such file or directory";
	source_stats_init(&fx->files[2].stats);

	fx->corr.messages_complete = 350;
	fx->corr.messages_incomplete = 2;
	fx->corr.messages_evicted = 1;
	fx->corr.messages_joined = 5;
	fx->corr.rejects = 7;

	fx->in.generated_at = (time_t)(T0 + 86400 + 3723);
	fx->in.files = fx->files;
	fx->in.file_count = 3;
	fx->in.total = &fx->total;
	fx->in.correlation = &fx->corr;
	fx->in.aggregator = fx->agg;
	fx->in.scorer = fx->sc;
}

/* fixture_free - release what fixture_init made */
static void
fixture_free(struct fixture *fx)
{
	scorer_free(fx->sc);
	aggregator_free(fx->agg);
	classifier_free(fx->cls);
}

/*
 * round_trip - build, write with report_write() and parse back: what a
 * consumer of the file sees.  Caller decrefs.
 */
static json_t *
round_trip(const struct report_input *in, const struct report_options *opts,
    char **textp)
{
	json_error_t	 err;
	json_t		*doc, *back;
	char		*text = NULL;
	size_t		 len = 0;
	FILE		*fp;

	doc = report_build(in, opts);
	ck_assert_ptr_nonnull(doc);
	fp = open_memstream(&text, &len);
	ck_assert_ptr_nonnull(fp);
	ck_assert(report_write(doc, fp));
	ck_assert_int_eq(fclose(fp), 0);
	json_decref(doc);
	ck_assert_uint_gt(len, 2);
	ck_assert_int_eq(text[len - 1], '\n');
	back = json_loads(text, 0, &err);
	ck_assert_msg(back != NULL, "report does not parse: %s (line %d)",
	    err.text, err.line);
	if (textp != NULL)
		*textp = text;
	else
		free(text);
	return back;
}

/* get_path - a member by a path of keys ending in a null pointer;
   called through get(): get(doc, "input", "lines", "read") */
static json_t *
get_path(json_t *v, ...)
{
	va_list		 ap;
	const char	*key;

	va_start(ap, v);
	while ((key = va_arg(ap, const char *)) != NULL) {
		ck_assert_msg(json_is_object(v), "%s: not an object", key);
		v = json_object_get(v, key);
		ck_assert_msg(v != NULL, "member %s missing", key);
	}
	va_end(ap);
	return v;
}

#define get(...)	get_path(__VA_ARGS__, (const char *)NULL)

/* get_int - an integer member */
static json_int_t
get_int(json_t *obj, const char *key)
{
	json_t	*v = json_object_get(obj, key);

	ck_assert_msg(json_is_integer(v), "%s is not an integer", key);
	return json_integer_value(v);
}

/* get_str - a string member */
static const char *
get_str(json_t *obj, const char *key)
{
	json_t	*v = json_object_get(obj, key);

	ck_assert_msg(json_is_string(v), "%s is not a string", key);
	return json_string_value(v);
}

/* find_account - the listed account with this name, or NULL */
static json_t *
find_account(json_t *doc, const char *name)
{
	json_t	*accounts = get(doc, "accounts"), *a;
	size_t	 i;

	json_array_foreach(accounts, i, a) {
		if (strcmp(get_str(a, "account"), name) == 0)
			return a;
	}
	return NULL;
}

START_TEST(test_header_and_input)
{
	struct report_options opts = { 0, 0.0 };
	struct fixture	 fx;
	json_t		*doc, *v, *d;

	fixture_init(&fx, false);
	doc = round_trip(&fx.in, &opts, NULL);
	ck_assert_str_eq(get_str(doc, "schema_version"), "1.7");
	ck_assert_str_eq(get_str(doc, "schema_version"),
	    REPORT_SCHEMA_VERSION);
	ck_assert_str_eq(get_str(get(doc, "generator"), "name"),
	    PACKAGE);
	ck_assert_str_eq(get_str(get(doc, "generator"), "version"),
	    PACKAGE_VERSION);
	ck_assert_str_eq(get_str(doc, "generated_at"), "2026-11-17T01:02:03Z");
	ck_assert_str_eq(get_str(get(doc, "window"), "first_seen"),
	    "2026-11-16T00:00:00Z");
	ck_assert_str_eq(get_str(get(doc, "window"), "last_seen"),
	    "2026-11-16T23:59:59Z");

	v = get(doc, "input");
	ck_assert_int_eq(get_int(v, "files"), 3);
	ck_assert_int_eq(get_int(v, "bytes_read"), 123456);
	ck_assert_int_eq(get_int(v, "bytes_decoded"), 654321);
	ck_assert_int_eq(get_int(get(v, "lines"), "read"), 5000);
	ck_assert_int_eq(get_int(get(v, "lines"), "parsed"), 4000);
	ck_assert_int_eq(get_int(get(v, "lines"), "other_program"), 90);
	ck_assert_int_eq(get_int(get(v, "lines"), "invalid_utf8"), 3);
	/* Every reason is listed, zero or not. */
	ck_assert_uint_eq(json_object_size(get(v, "ignored_by_reason")),
	    IGNORE_REASON_COUNT);
	ck_assert_int_eq(get_int(get(v, "ignored_by_reason"), "tls"),
	    900);
	ck_assert_int_eq(get_int(get(v, "ignored_by_reason"),
	    "daemon"), 0);
	ck_assert_uint_eq(json_object_size(get(v, "malformed_by_reason")),
	    MALFORMED_REASON_COUNT);
	ck_assert_int_eq(get_int(get(v, "malformed_by_reason"),
	    "field"), 10);
	ck_assert_int_eq(get_int(get(v, "lines_by_format"), "postfix"),
	    4910);

	/* The damaged and the unreadable file, with their errors. */
	d = get(v, "damaged_files");
	ck_assert_uint_eq(json_array_size(d), 2);
	ck_assert_str_eq(get_str(json_array_get(d, 0), "file"),
	    "mail.log.1.gz");
	ck_assert_str_eq(get_str(json_array_get(d, 0), "status"), "damaged");
	ck_assert_ptr_nonnull(strstr(get_str(json_array_get(d, 0), "error"),
	    "offset 4096"));
	ck_assert_str_eq(get_str(json_array_get(d, 1), "file"),
	    "missing" REPLACEMENT ".log");
	ck_assert_str_eq(get_str(json_array_get(d, 1), "status"),
	    "unreadable");
	d = get(v, "files_detail");
	ck_assert_uint_eq(json_array_size(d), 3);
	ck_assert_str_eq(get_str(json_array_get(d, 0), "status"), "ok");
	ck_assert(json_is_null(json_object_get(json_array_get(d, 0),
	    "error")));
	ck_assert_int_eq(get_int(get(json_array_get(d, 0), "lines"),
	    "read"), 5000);
	ck_assert(json_is_null(json_object_get(json_array_get(d, 1),
	    "first_seen")));

	v = get(doc, "correlation");
	ck_assert_int_eq(get_int(v, "messages_complete"), 350);
	ck_assert_int_eq(get_int(v, "messages_incomplete"), 2);
	ck_assert_int_eq(get_int(v, "messages_evicted"), 1);
	ck_assert_int_eq(get_int(v, "messages_joined"), 5);
	ck_assert_int_eq(get_int(v, "rejects"), 7);
	v = get(doc, "attribution");
	ck_assert_int_eq(get_int(v, "records"), 350);
	ck_assert_int_eq(get_int(v, "messages_attributed"), 350);

	v = get(doc, "scoring");
	ck_assert_int_eq(get_int(v, "likely_zombie_min"), 70);
	ck_assert_int_eq(get_int(v, "suspicious_min"), 40);
	ck_assert_int_eq(get_int(v, "min_messages"), 5);
	ck_assert_int_eq(get_int(v, "points_scale"), 60);

	v = get(doc, "population");
	ck_assert_int_eq(get_int(v, "active_accounts"), 5);
	/* Messages 6, 12, 12, 120, 200: median 12. */
	ck_assert_int_eq(get_int(v, "median_messages"), 12);
	ck_assert_double_eq_tol(json_number_value(json_object_get(v,
	    "p99_messages")), 196.8, 1e-9);
	ck_assert_int_eq(get_int(v, "active_sasl_accounts"), 4);
	json_decref(doc);
	fixture_free(&fx);
}
END_TEST

START_TEST(test_accounts_ranked)
{
	struct report_options opts = { 0, 0.0 };
	struct fixture	 fx;
	json_t		*doc, *accounts, *a, *prev = NULL, *v, *sum;
	size_t		 i, nz = 0, ns = 0, nn = 0;

	fixture_init(&fx, false);
	doc = round_trip(&fx.in, &opts, NULL);
	accounts = get(doc, "accounts");
	ck_assert_uint_eq(json_array_size(accounts), FEED_COUNT);
	json_array_foreach(accounts, i, a) {
		const char *verdict = get_str(a, "verdict");
		double	 score = json_real_value(json_object_get(a, "score"));

		ck_assert_int_eq(get_int(a, "rank"), (json_int_t)i + 1);
		ck_assert(json_is_real(json_object_get(a, "score")));
		ck_assert_double_eq_tol(score, round(score * 10) / 10, 1e-9);
		if (strcmp(verdict, "likely_zombie") == 0)
			nz++;
		else if (strcmp(verdict, "suspicious") == 0)
			ns++;
		else
			nn++;
		ck_assert_uint_eq(json_array_size(get(a, "features",
		    "messages_by_hour")), 24);
		ck_assert_uint_eq(json_object_size(get(a, "features",
		    "remote_rejections")), RESPONSE_CLASS_COUNT);
		if (prev != NULL) {
			double	ps = json_real_value(json_object_get(prev,
			    "score"));
			json_int_t pm = get_int(get(prev, "features"),
			    "messages");
			json_int_t m = get_int(get(a, "features"),
			    "messages");

			ck_assert(ps > score || (ps == score && (pm > m ||
			    (pm == m && strcmp(get_str(prev, "account"),
			    get_str(a, "account")) < 0))));
		}
		prev = a;
	}
	sum = get(doc, "summary");
	ck_assert_int_eq(get_int(sum, "accounts"), FEED_COUNT);
	ck_assert_int_eq(get_int(sum, "reported"), FEED_COUNT);
	ck_assert_int_eq(get_int(sum, "likely_zombie"), (json_int_t)nz);
	ck_assert_int_eq(get_int(sum, "suspicious"), (json_int_t)ns);
	ck_assert_int_eq(get_int(sum, "normal"), (json_int_t)nn);

	/* The zombie leads, with its reasons and evidence. */
	a = json_array_get(accounts, 0);
	ck_assert_str_eq(get_str(a, "account"), "203.0.113.66");
	ck_assert_str_eq(get_str(a, "kind"), "ip");
	ck_assert_str_eq(get_str(a, "verdict"), "likely_zombie");
	ck_assert_int_eq(get_int(get(a, "features"), "messages"), 120);
	ck_assert_int_eq(get_int(get(a, "features"), "recipients"), 480);
	ck_assert_int_eq(get_int(get(a, "features"),
	    "distinct_senders"), 120);
	ck_assert_int_eq(get_int(get(a, "features", "remote_rejections"),
	    "spam"), 160);
	ck_assert_int_eq(get_int(get(a, "features"),
	    "peak_hour_messages"), 60);
	v = get(a, "reasons");
	ck_assert_uint_ge(json_array_size(v), 3);
	ck_assert_str_eq(get_str(json_array_get(v, 0), "feature"),
	    "remote_spam_rejections");
	ck_assert_ptr_nonnull(strstr(get_str(json_array_get(v, 0), "text"),
	    "160 as spam"));
	ck_assert(json_is_real(json_object_get(json_array_get(v, 0),
	    "points")));
	for (i = 1; i < json_array_size(v); i++)
		ck_assert(json_real_value(json_object_get(json_array_get(v,
		    i - 1), "points")) >= json_real_value(json_object_get(
		    json_array_get(v, i), "points")));
	v = get(a, "evidence");
	ck_assert_str_eq(get_str(v, "first_seen"), "2026-11-16T02:00:00Z");
	ck_assert_str_eq(get_str(v, "last_seen"), "2026-11-16T03:59:01Z");
	ck_assert_uint_eq(json_array_size(get(v, "client_ips")), 1);
	ck_assert_str_eq(get_str(json_array_get(get(v, "client_ips"), 0),
	    "ip"), "203.0.113.66");
	ck_assert_int_eq(get_int(json_array_get(get(v, "client_ips"), 0),
	    "messages"), 120);
	ck_assert_uint_eq(json_array_size(get(v, "senders")), 10);
	ck_assert_uint_eq(json_array_size(get(v, "top_recipient_domains")), 8);
	ck_assert_int_eq(get_int(json_array_get(get(v,
	    "top_recipient_domains"), 0), "recipients"), 60);
	ck_assert_uint_eq(json_array_size(get(v, "samples")),
	    ACCOUNT_MAX_SAMPLES);
	a = json_array_get(get(v, "samples"), 0);
	ck_assert_str_eq(get_str(a, "time"), "2026-11-16T02:00:00Z");
	ck_assert_str_eq(get_str(a, "relay"), "relay1");
	ck_assert_str_eq(get_str(a, "queue_id"), "0200000");
	ck_assert_str_eq(get_str(a, "message_id"), "m2.0@example.org");
	ck_assert_str_eq(get_str(a, "sender"), "x0@forged.example");
	ck_assert_str_eq(get_str(a, "recipient"), "r0@d0.example");

	/* alice and carol tie on score and messages: by name. */
	a = find_account(doc, "alice@example.net");
	v = find_account(doc, "carol@example.net");
	ck_assert_ptr_nonnull(a);
	ck_assert_ptr_nonnull(v);
	ck_assert_int_eq(get_int(v, "rank"), get_int(a, "rank") + 1);
	ck_assert_str_eq(get_str(a, "verdict"), "normal");
	ck_assert_uint_eq(json_array_size(get(a, "reasons")), 0);
	json_decref(doc);
	fixture_free(&fx);
}
END_TEST

START_TEST(test_top_and_min_score)
{
	struct report_options opts;
	struct fixture	 fx;
	json_t		*doc, *all, *accounts;
	double		 second;
	size_t		 i, above = 0;
	json_t		*a;

	fixture_init(&fx, false);
	opts = (struct report_options){ 0, 0.0 };
	all = round_trip(&fx.in, &opts, NULL);
	second = json_real_value(json_object_get(json_array_get(get(all,
	    "accounts"), 1), "score"));
	ck_assert(second > 0.0);

	/* top */
	opts = (struct report_options){ 2, 0.0 };
	doc = round_trip(&fx.in, &opts, NULL);
	accounts = get(doc, "accounts");
	ck_assert_uint_eq(json_array_size(accounts), 2);
	ck_assert_int_eq(get_int(get(doc, "summary"), "reported"), 2);
	ck_assert_int_eq(get_int(get(doc, "summary"), "accounts"),
	    FEED_COUNT);
	ck_assert_int_eq(get_int(get(doc, "scoring"), "top"), 2);
	ck_assert_str_eq(get_str(json_array_get(accounts, 0), "account"),
	    get_str(json_array_get(get(all, "accounts"), 0),
	    "account"));
	json_decref(doc);

	/* min_score: exactly the accounts at or above it, ranks from 1 */
	opts = (struct report_options){ 0, second };
	doc = round_trip(&fx.in, &opts, NULL);
	json_array_foreach(get(all, "accounts"), i, a)
		if (json_real_value(json_object_get(a, "score")) >= second)
			above++;
	accounts = get(doc, "accounts");
	ck_assert_uint_ge(above, 2);
	ck_assert_uint_eq(json_array_size(accounts), above);
	json_array_foreach(accounts, i, a) {
		ck_assert_int_eq(get_int(a, "rank"), (json_int_t)i + 1);
		ck_assert(json_real_value(json_object_get(a, "score")) >=
		    second);
	}
	ck_assert_int_eq(get_int(get(doc, "summary"), "reported"),
	    (json_int_t)above);
	json_decref(doc);

	/* both: min_score first, then top */
	opts = (struct report_options){ 1, second };
	doc = round_trip(&fx.in, &opts, NULL);
	ck_assert_uint_eq(json_array_size(get(doc, "accounts")), 1);
	json_decref(doc);

	/* a bar nobody reaches */
	opts = (struct report_options){ 0, 100.1 };
	doc = round_trip(&fx.in, &opts, NULL);
	ck_assert_uint_eq(json_array_size(get(doc, "accounts")), 0);
	ck_assert_int_eq(get_int(get(doc, "summary"), "reported"), 0);
	ck_assert_int_eq(get_int(get(doc, "summary"), "accounts"),
	    FEED_COUNT);
	json_decref(doc);

	/* NULL options: everything */
	doc = round_trip(&fx.in, NULL, NULL);
	ck_assert_uint_eq(json_array_size(get(doc, "accounts")),
	    FEED_COUNT);
	json_decref(doc);
	json_decref(all);
	fixture_free(&fx);
}
END_TEST

START_TEST(test_invalid_utf8)
{
	struct fixture	 fx;
	json_t		*doc, *a, *senders, *s;
	char		*text;

	fixture_init(&fx, false);
	doc = round_trip(&fx.in, NULL, &text);
	/* The aggregator lower-cases SASL names; the byte is repaired. */
	a = find_account(doc, "b" REPLACEMENT "ob@example.net");
	ck_assert_msg(a != NULL, "repaired account name not found");
	senders = get(a, "evidence", "senders");
	ck_assert_uint_eq(json_array_size(senders), 1);
	ck_assert_str_eq(get_str(json_array_get(senders, 0), "sender"),
	    "b" REPLACEMENT "ob@example.net" REPLACEMENT);
	s = json_array_get(get(a, "evidence", "samples"), 0);
	ck_assert_str_eq(get_str(s, "sender"),
	    "b" REPLACEMENT "ob@example.net" REPLACEMENT);
	/* No raw invalid byte reached the text. */
	ck_assert_ptr_null(strchr(text, '\xff'));
	ck_assert_ptr_null(strchr(text, '\xfe'));
	free(text);
	json_decref(doc);
	fixture_free(&fx);
}
END_TEST

/* report_json_string: valid text kept, anything else repaired. */
static const struct {
	const char	*in;
	size_t		 len;
	const char	*out;
	size_t		 outlen;
} string_cases[] = {
	{ "plain", 5, "plain", 5 },
	{ "", 0, "", 0 },
	{ "caf\xc3\xa9", 5, "caf\xc3\xa9", 5 },
	{ "bad\xff", 4, "bad" REPLACEMENT, 6 },
	{ "nul\0byte", 8, "nul" REPLACEMENT "byte", 10 },
	{ "trunc\xe2\x82", 7, "trunc" REPLACEMENT, 8 },
	{ "\xed\xa0\x80", 3, REPLACEMENT REPLACEMENT REPLACEMENT, 9 },
	{ "ctl\x01\n", 5, "ctl\x01\n", 5 },
};

START_TEST(test_json_string)
{
	json_t	*v = report_json_string(string_cases[_i].in,
	    string_cases[_i].len);
	char	*dumped;
	json_t	*back;

	ck_assert(json_is_string(v));
	ck_assert_uint_eq(json_string_length(v), string_cases[_i].outlen);
	ck_assert(memcmp(json_string_value(v), string_cases[_i].out,
	    string_cases[_i].outlen) == 0);
	/* And it survives a round trip through JSON text. */
	dumped = json_dumps(v, JSON_ENCODE_ANY);
	ck_assert_ptr_nonnull(dumped);
	back = json_loads(dumped, JSON_DECODE_ANY, NULL);
	ck_assert_ptr_nonnull(back);
	ck_assert(json_equal(v, back));
	json_decref(back);
	free(dumped);
	json_decref(v);
}
END_TEST

START_TEST(test_json_string_null)
{
	json_t	*v = report_json_string(NULL, 5);

	ck_assert(json_is_null(v));
	json_decref(v);
}
END_TEST

/* No input at all: every member still present, nulls and zeros. */
START_TEST(test_empty)
{
	struct classifier *cls = classifier_new();
	struct aggregator *agg = aggregator_new(cls);
	struct report_input in;
	json_t		*doc;

	memset(&in, 0, sizeof(in));
	in.generated_at = (time_t)T0;
	in.aggregator = agg;
	doc = round_trip(&in, NULL, NULL);
	ck_assert(json_is_null(get(doc, "window", "first_seen")));
	ck_assert(json_is_null(get(doc, "window", "last_seen")));
	ck_assert_int_eq(get_int(get(doc, "input"), "files"), 0);
	ck_assert_uint_eq(json_array_size(get(doc, "input", "damaged_files")),
	    0);
	ck_assert_int_eq(get_int(get(doc, "summary"), "accounts"), 0);
	ck_assert_int_eq(get_int(get(doc, "summary"), "reported"), 0);
	ck_assert_uint_eq(json_array_size(get(doc, "accounts")), 0);
	ck_assert_int_eq(get_int(get(doc, "population"),
	    "active_accounts"), 0);
	json_decref(doc);
	/* Not even an aggregator. */
	in.aggregator = NULL;
	doc = round_trip(&in, NULL, NULL);
	ck_assert_uint_eq(json_array_size(get(doc, "accounts")), 0);
	json_decref(doc);
	aggregator_free(agg);
	classifier_free(cls);
}
END_TEST

/* Feeding order must not change one byte of the report. */
START_TEST(test_deterministic)
{
	struct fixture	 f1, f2;
	json_t		*d1, *d2;
	char		*t1, *t2;

	fixture_init(&f1, false);
	fixture_init(&f2, true);
	d1 = round_trip(&f1.in, NULL, &t1);
	d2 = round_trip(&f2.in, NULL, &t2);
	ck_assert_str_eq(t1, t2);
	free(t1);
	free(t2);
	json_decref(d1);
	json_decref(d2);
	fixture_free(&f1);
	fixture_free(&f2);
}
END_TEST

START_TEST(test_write_error)
{
	json_t	*doc = json_pack("{s:i}", "a", 1);
	FILE	*fp = fopen("/dev/null", "r");

	ck_assert_ptr_nonnull(doc);
	ck_assert_ptr_nonnull(fp);
	ck_assert(!report_write(doc, fp));
	fclose(fp);
	json_decref(doc);
}
END_TEST

/* ---- doc/report-schema.json -------------------------------------- */

/* schema_path - the schema in the source tree */
static void
schema_path(char *buf, size_t size)
{
	const char *top = getenv("top_srcdir");

	snprintf(buf, size, "%s/doc/report-schema.json",
	    top != NULL && *top != '\0' ? top : ".");
}

/* load_schema - the parsed schema; fails the test when unreadable */
static json_t *
load_schema(void)
{
	json_error_t	 err;
	char		 path[4096];
	json_t		*schema;

	schema_path(path, sizeof(path));
	schema = json_load_file(path, 0, &err);
	ck_assert_msg(schema != NULL, "%s: %s (line %d)", path, err.text,
	    err.line);
	return schema;
}

/* type_matches - whether v is of the JSON Schema type name */
static bool
type_matches(const json_t *v, const char *type)
{
	if (strcmp(type, "object") == 0)
		return json_is_object(v);
	if (strcmp(type, "array") == 0)
		return json_is_array(v);
	if (strcmp(type, "string") == 0)
		return json_is_string(v);
	if (strcmp(type, "number") == 0)
		return json_is_number(v);
	if (strcmp(type, "integer") == 0)
		return json_is_integer(v) || (json_is_real(v) &&
		    json_real_value(v) == floor(json_real_value(v)));
	if (strcmp(type, "boolean") == 0)
		return json_is_boolean(v);
	if (strcmp(type, "null") == 0)
		return json_is_null(v);
	ck_abort_msg("schema uses unknown type %s", type);
	return false;
}

/* Where validation failed, for the assertion message. */
struct violation {
	char	text[600];
};

/* violated - record a violation at path; returns false */
static bool
violated(struct violation *why, const char *path, const char *what)
{
	snprintf(why->text, sizeof(why->text), "%s: %s", path, what);
	return false;
}

/*
 * validate - the subset of JSON Schema the report's schema uses: $ref
 * into $defs, type, const, enum, required, properties,
 * additionalProperties false, items, minItems, maxItems, minimum,
 * maximum, exclusiveMinimum.  false at the first violation, described
 * in *why.
 */
static bool
validate(json_t *root, json_t *schema, json_t *v, const char *path,
    struct violation *why)
{
	json_t		*kw, *sub, *member;
	const char	*key;
	char		 sub_path[512];
	size_t		 i;
	bool		 ok;

	kw = json_object_get(schema, "$ref");
	if (kw != NULL) {
		const char *ref = json_string_value(kw);

		if (ref == NULL || strncmp(ref, "#/$defs/", 8) != 0)
			return violated(why, path, "unsupported $ref");
		sub = json_object_get(json_object_get(root, "$defs"), ref + 8);
		if (sub == NULL)
			return violated(why, path, "dangling $ref");
		if (!validate(root, sub, v, path, why))
			return false;
	}
	kw = json_object_get(schema, "type");
	if (json_is_string(kw) && !type_matches(v, json_string_value(kw)))
		return violated(why, path, "wrong type");
	if (json_is_array(kw)) {
		ok = false;
		json_array_foreach(kw, i, sub)
			ok = ok || type_matches(v, json_string_value(sub));
		if (!ok)
			return violated(why, path, "of none of the types");
	}
	kw = json_object_get(schema, "const");
	if (kw != NULL && !json_equal(kw, v))
		return violated(why, path, "not the const");
	kw = json_object_get(schema, "enum");
	if (kw != NULL) {
		ok = false;
		json_array_foreach(kw, i, sub)
			ok = ok || json_equal(sub, v);
		if (!ok)
			return violated(why, path, "not in the enum");
	}
	if (json_is_number(v)) {
		double	x = json_number_value(v);

		kw = json_object_get(schema, "minimum");
		if (kw != NULL && x < json_number_value(kw))
			return violated(why, path, "below minimum");
		kw = json_object_get(schema, "maximum");
		if (kw != NULL && x > json_number_value(kw))
			return violated(why, path, "above maximum");
		kw = json_object_get(schema, "exclusiveMinimum");
		if (kw != NULL && !(x > json_number_value(kw)))
			return violated(why, path,
			    "not above exclusiveMinimum");
	}
	if (json_is_object(v)) {
		kw = json_object_get(schema, "required");
		json_array_foreach(kw, i, sub) {
			if (json_object_get(v, json_string_value(sub)) ==
			    NULL) {
				snprintf(sub_path, sizeof(sub_path), "%s.%s",
				    path, json_string_value(sub));
				return violated(why, sub_path,
				    "required member missing");
			}
		}
		kw = json_object_get(schema, "properties");
		json_object_foreach(v, key, member) {
			snprintf(sub_path, sizeof(sub_path), "%s.%s", path,
			    key);
			sub = kw != NULL ? json_object_get(kw, key) : NULL;
			if (sub != NULL) {
				if (!validate(root, sub, member, sub_path,
				    why))
					return false;
			} else if (json_is_false(json_object_get(schema,
			    "additionalProperties")))
				return violated(why, sub_path,
				    "not in the schema");
		}
	}
	if (json_is_array(v)) {
		kw = json_object_get(schema, "minItems");
		if (kw != NULL &&
		    json_array_size(v) < (size_t)json_integer_value(kw))
			return violated(why, path, "too few items");
		kw = json_object_get(schema, "maxItems");
		if (kw != NULL &&
		    json_array_size(v) > (size_t)json_integer_value(kw))
			return violated(why, path, "too many items");
		kw = json_object_get(schema, "items");
		json_array_foreach(v, i, member) {
			if (kw == NULL)
				break;
			snprintf(sub_path, sizeof(sub_path), "%s[%zu]", path,
			    i);
			if (!validate(root, kw, member, sub_path, why))
				return false;
		}
	}
	return true;
}

START_TEST(test_schema_file)
{
	json_t	*schema = load_schema();

	ck_assert_str_eq(json_string_value(json_object_get(schema,
	    "$schema")), "https://json-schema.org/draft/2020-12/schema");
	ck_assert_str_eq(json_string_value(get(schema, "properties",
	    "schema_version", "const")), REPORT_SCHEMA_VERSION);
	ck_assert_ptr_nonnull(strstr(json_string_value(json_object_get(schema,
	    "$id")), REPORT_SCHEMA_VERSION));
	json_decref(schema);
}
END_TEST

START_TEST(test_schema_valid)
{
	struct report_options opts = { 0, 0.0 };
	struct violation why;
	struct fixture	 fx;
	json_t		*schema = load_schema(), *doc;

	fixture_init(&fx, false);
	doc = round_trip(&fx.in, &opts, NULL);
	ck_assert_msg(validate(schema, schema, doc, "$", &why), "%s",
	    why.text);
	json_decref(doc);

	/* The empty report too. */
	fx.in.aggregator = NULL;
	fx.in.total = NULL;
	fx.in.correlation = NULL;
	fx.in.files = NULL;
	fx.in.file_count = 0;
	doc = round_trip(&fx.in, &opts, NULL);
	ck_assert_msg(validate(schema, schema, doc, "$", &why), "%s",
	    why.text);
	json_decref(doc);
	json_decref(schema);
	fixture_free(&fx);
}
END_TEST

/* The validator is not a no-op: each of these edits must fail it. */
START_TEST(test_schema_rejects)
{
	struct violation why;
	struct fixture	 fx;
	json_t		*schema = load_schema(), *doc, *a;

	fixture_init(&fx, false);
	doc = round_trip(&fx.in, NULL, NULL);
	a = json_array_get(get(doc, "accounts"), 0);
	switch (_i) {
	case 0:		/* a required member missing */
		json_object_del(get(a, "features"), "bounced");
		break;
	case 1:		/* a member the schema does not know */
		json_object_set_new(a, "colour", json_string("red"));
		break;
	case 2:		/* a wrong type */
		json_object_set_new(a, "score", json_string("high"));
		break;
	case 3:		/* out of the enum */
		json_object_set_new(a, "verdict", json_string("zombie"));
		break;
	case 4:		/* 23 hours */
		json_array_remove(get(a, "features", "messages_by_hour"),
		    0);
		break;
	case 5:		/* another schema version */
		json_object_set_new(doc, "schema_version",
		    json_string("0.9"));
		break;
	}
	ck_assert(!validate(schema, schema, doc, "$", &why));
	ck_assert_uint_gt(strlen(why.text), 0);
	json_decref(doc);
	json_decref(schema);
	fixture_free(&fx);
}
END_TEST

/* --since/--until: the window's bounds and the lines outside it. */
START_TEST(test_window_members)
{
	struct violation why;
	struct fixture	 fx;
	json_t		*schema = load_schema(), *doc, *w;

	fixture_init(&fx, false);
	/* without the option: none of the members */
	doc = round_trip(&fx.in, NULL, NULL);
	ck_assert_ptr_null(json_object_get(get(doc, "window"),
	    "since"));
	ck_assert_ptr_null(json_object_get(get(doc, "input", "lines"),
	    "outside_window"));
	ck_assert_ptr_null(json_object_get(doc, "subscribers"));
	ck_assert_ptr_null(json_object_get(json_array_get(get(doc, "accounts"),
	    0), "subscriber_id"));
	json_decref(doc);

	fx.total.lines_outside_window = 1234;
	fx.files[0].stats.lines_outside_window = 1000;
	fx.in.window = true;
	fx.in.since_sec = T0;
	fx.in.until_sec = INT64_MAX;
	doc = round_trip(&fx.in, NULL, NULL);
	w = get(doc, "window");
	ck_assert_str_eq(get_str(w, "since"), get_str(w, "first_seen"));
	ck_assert(json_is_null(get(w, "until")));
	ck_assert_int_eq(get_int(get(doc, "input", "lines"),
	    "outside_window"), 1234);
	ck_assert_int_eq(get_int(get(json_array_get(get(doc, "input",
	    "files_detail"), 0), "lines"), "outside_window"),
	    1000);
	ck_assert_msg(validate(schema, schema, doc, "$", &why), "%s",
	    why.text);
	json_decref(doc);
	json_decref(schema);
	fixture_free(&fx);
}
END_TEST

/* --subscribers: each account's subscriber, and accounts grouped. */
START_TEST(test_subscriber_members)
{
	static const char *const rows[] = {
		"subscriber_id,kind,key,valid_from,valid_until",
		"C-1,login,Alice@example.net,,",
		"C-1,ip,203.0.113.0/24,,",
		/* a lease long over before the logs: never matches */
		"C-2,ip,203.0.113.66,1700000000,1700003600",
		"C-3,login,shop@example.com,,",
		"not a row",
	};
	struct violation why;
	struct subscribers *subs = subscribers_new();
	struct fixture	 fx;
	json_t		*schema = load_schema(), *doc, *a, *m, *sec, *g;
	size_t		 i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		subscribers_add_line(subs, rows[i], strlen(rows[i]));
	fixture_init(&fx, false);
	fx.in.subscribers = subs;
	fx.in.subscribers_file = "subscribers.csv";
	doc = round_trip(&fx.in, NULL, NULL);
	ck_assert_msg(validate(schema, schema, doc, "$", &why), "%s",
	    why.text);

	a = find_account(doc, "203.0.113.66");
	ck_assert_ptr_nonnull(a);
	ck_assert_str_eq(get_str(a, "subscriber_id"), "C-1");
	m = get(a, "subscriber_matches");
	ck_assert_uint_eq(json_array_size(m), 1);
	ck_assert_str_eq(get_str(json_array_get(m, 0), "key"),
	    "203.0.113.0/24");
	ck_assert(json_is_null(get(json_array_get(m, 0), "valid_from")));
	ck_assert_int_eq(get_int(json_array_get(m, 0), "line"), 3);
	ck_assert_str_eq(get_str(find_account(doc, "alice@example.net"),
	    "subscriber_id"), "C-1");
	ck_assert_str_eq(get_str(find_account(doc, "shop@example.com"),
	    "subscriber_id"), "C-3");
	a = find_account(doc, "carol@example.net");
	ck_assert(json_is_null(get(a, "subscriber_id")));
	ck_assert_uint_eq(json_array_size(get(a, "subscriber_matches")), 0);

	sec = get(doc, "subscribers");
	ck_assert_str_eq(get_str(sec, "file"), "subscribers.csv");
	ck_assert_int_eq(get_int(sec, "rows"), 4);
	ck_assert_int_eq(get_int(sec, "bad_rows"), 1);
	ck_assert_int_eq(get_int(json_array_get(get(sec, "bad_row_samples"),
	    0), "line"), 6);
	ck_assert_int_eq(get_int(sec, "accounts_matched"), 3);
	/* C-1 first: its IP account is the zombie, ranked first */
	ck_assert_uint_eq(json_array_size(get(sec, "groups")), 2);
	g = json_array_get(get(sec, "groups"), 0);
	ck_assert_str_eq(get_str(g, "subscriber_id"), "C-1");
	ck_assert_uint_eq(json_array_size(get(g, "accounts")), 2);
	ck_assert_str_eq(get_str(json_array_get(get(g, "accounts"), 0),
	    "account"), "203.0.113.66");
	ck_assert_int_eq(get_int(json_array_get(get(g, "accounts"), 0),
	    "rank"), 1);
	ck_assert_str_eq(get_str(json_array_get(get(g, "accounts"), 1),
	    "account"), "alice@example.net");
	g = json_array_get(get(sec, "groups"), 1);
	ck_assert_str_eq(get_str(g, "subscriber_id"), "C-3");
	json_decref(doc);

	/* Listing only the top account: its group still shows alice,
	   unlisted (rank null); C-3 has no listed account, no group. */
	{
		struct report_options top1 = { 1, 0.0 };

		doc = round_trip(&fx.in, &top1, NULL);
		sec = get(doc, "subscribers");
		ck_assert_uint_eq(json_array_size(get(sec, "groups")),
		    1);
		g = json_array_get(get(sec, "groups"), 0);
		ck_assert(json_is_null(get(json_array_get(get(g, "accounts"),
		    1), "rank")));
		ck_assert_msg(validate(schema, schema, doc, "$", &why), "%s",
		    why.text);
		json_decref(doc);
	}
	json_decref(schema);
	fixture_free(&fx);
	subscribers_free(subs);
}
END_TEST

/* ---- the report in parts (report_open()) ------------------------- */

/*
 * The parts make the document: the head holds every member but
 * "accounts", in the document's order, with "accounts" last in the
 * document; report_account(i) is its i-th account, built anew on each
 * call.  Whole, cut by --top and --min-score, with subscribers (whose
 * section is the head's last member) and empty.
 */
START_TEST(test_parts)
{
	static const char *const rows[] = {
		"subscriber_id,kind,key,valid_from,valid_until",
		"C-1,login,Alice@example.net,,",
		"C-1,ip,203.0.113.0/24,,",
	};
	struct report_options ropts = { 0, 0.0 };
	struct subscribers *subs = NULL;
	struct fixture	 fx;
	struct report	*r;
	const json_t	*head;
	const char	*key, *last = NULL;
	json_t		*doc, *v, *a, *again;
	size_t		 i, n;

	fixture_init(&fx, false);
	switch (_i) {
	case 1:
		ropts.top = 2;
		break;
	case 2:
		ropts.min_score = 20.0;
		break;
	case 3:
		subs = subscribers_new();
		for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
			subscribers_add_line(subs, rows[i], strlen(rows[i]));
		fx.in.subscribers = subs;
		fx.in.subscribers_file = "subscribers.csv";
		break;
	case 4:
		fx.in.aggregator = NULL;
		fx.in.scorer = NULL;
		break;
	}
	doc = report_build(&fx.in, &ropts);
	r = report_open(&fx.in, &ropts);
	head = report_head(r);
	ck_assert_ptr_nonnull(head);
	ck_assert_ptr_null(json_object_get(head, "accounts"));
	ck_assert_uint_eq(json_object_size(doc), json_object_size(head) + 1);

	/* The document's members in order: the head's, then accounts. */
	n = 0;
	json_object_foreach(doc, key, v) {
		if (n < json_object_size(head)) {
			ck_assert_msg(json_equal(v, json_object_get(head,
			    key)), "%s differs", key);
			last = key;
		} else
			ck_assert_str_eq(key, "accounts");
		n++;
	}
	ck_assert_str_eq(last, _i == 3 ? "subscribers" : "summary");

	n = json_array_size(get(doc, "accounts"));
	ck_assert_uint_eq(report_count(r), n);
	ck_assert_int_eq(get_int(get(doc, "summary"), "reported"),
	    (json_int_t)n);
	ck_assert_uint_eq(n, _i == 0 || _i == 3 ? FEED_COUNT : _i == 1 ? 2 :
	    _i == 4 ? 0 : n);
	if (_i == 2)
		ck_assert(n > 0 && n < FEED_COUNT);
	for (i = 0; i < n; i++) {
		a = report_account(r, i);
		ck_assert_ptr_nonnull(a);
		ck_assert(json_equal(a, json_array_get(get(doc, "accounts"),
		    i)));
		ck_assert_int_eq(get_int(a, "rank"), (json_int_t)i + 1);
		again = report_account(r, i);
		ck_assert_ptr_ne(a, again);
		ck_assert(json_equal(a, again));
		json_decref(again);
		json_decref(a);
	}
	ck_assert_ptr_null(report_account(r, n));
	report_free(r);
	report_free(NULL);
	json_decref(doc);
	subscribers_free(subs);
	fixture_free(&fx);
}
END_TEST

/*
 * A checking emitter: the calls nest, the account is one object with
 * key NULL, members have keys and array elements none, every key is a
 * name JSON writes as it is (lower-case letters, digits, '_'), every
 * string is UTF-8 without NUL, every real finite.
 */
struct emit_check {
	char		 open[16];	/* 'o' or 'a' per open container */
	size_t		 depth;
	size_t		 roots, calls;
};

static void
check_key(struct emit_check *c, const char *key)
{
	const char	*p;

	c->calls++;
	if (c->depth == 0) {
		ck_assert_ptr_null(key);
		c->roots++;
		return;
	}
	if (c->open[c->depth - 1] == 'a') {
		ck_assert_ptr_null(key);
		return;
	}
	ck_assert_ptr_nonnull(key);
	ck_assert(key[0] != '\0');
	for (p = key; *p != '\0'; p++)
		ck_assert_msg((*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9') || *p == '_', "key %s", key);
}

static void
check_open(void *ctx, const char *key, char kind)
{
	struct emit_check *c = ctx;

	check_key(c, key);
	ck_assert_uint_lt(c->depth, sizeof(c->open));
	c->open[c->depth++] = kind;
}

static void
check_begin_object(void *ctx, const char *key)
{
	check_open(ctx, key, 'o');
}

static void
check_begin_array(void *ctx, const char *key)
{
	check_open(ctx, key, 'a');
}

static void
check_end(void *ctx)
{
	struct emit_check *c = ctx;

	c->calls++;
	ck_assert_uint_gt(c->depth, 0);
	c->depth--;
}

static void
check_integer(void *ctx, const char *key, json_int_t v)
{
	(void)v;
	check_key(ctx, key);
}

static void
check_real(void *ctx, const char *key, double v)
{
	check_key(ctx, key);
	ck_assert(isfinite(v));
}

static void
check_string(void *ctx, const char *key, const char *s, size_t len)
{
	check_key(ctx, key);
	ck_assert(utf8_valid(s, len));
}

static void
check_null(void *ctx, const char *key)
{
	check_key(ctx, key);
}

static void
check_boolean(void *ctx, const char *key, bool v)
{
	(void)v;
	check_key(ctx, key);
}

START_TEST(test_emit_contract)
{
	static const struct report_emitter em = {
		check_begin_object, check_begin_array, check_end,
		check_integer, check_real, check_string, check_null,
		check_boolean
	};
	static const char *const rows[] = {
		"subscriber_id,kind,key,valid_from,valid_until",
		"C-\xff,login,b\xffob@example.net,,",
		"C-1,ip,192.0.2.0/24,,",
	};
	struct report_options ropts = { 0, 0.0 };
	struct subscribers *subs = subscribers_new();
	struct emit_check c;
	struct fixture	 fx;
	struct report	*r;
	size_t		 i, n;

	fixture_init(&fx, false);
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		subscribers_add_line(subs, rows[i], strlen(rows[i]));
	fx.in.subscribers = subs;
	fx.in.subscribers_file = "subscribers.csv";
	r = report_open(&fx.in, &ropts);
	n = report_count(r);
	ck_assert_uint_eq(n, FEED_COUNT);
	for (i = 0; i < n; i++) {
		memset(&c, 0, sizeof(c));
		ck_assert(report_account_emit(r, i, &em, &c));
		ck_assert_uint_eq(c.depth, 0);
		ck_assert_uint_eq(c.roots, 1);
		ck_assert_uint_gt(c.calls, 100);
	}
	memset(&c, 0, sizeof(c));
	ck_assert(!report_account_emit(r, n, &em, &c));
	ck_assert_uint_eq(c.calls, 0);
	report_free(r);
	subscribers_free(subs);
	fixture_free(&fx);
}
END_TEST

static Suite *
report_suite(void)
{
	Suite	*s = suite_create("report");
	TCase	*tc;

	tc = tcase_create("report");
	tcase_add_test(tc, test_header_and_input);
	tcase_add_test(tc, test_accounts_ranked);
	tcase_add_test(tc, test_top_and_min_score);
	tcase_add_test(tc, test_invalid_utf8);
	tcase_add_loop_test(tc, test_json_string, 0,
	    (int)(sizeof(string_cases) / sizeof(string_cases[0])));
	tcase_add_test(tc, test_json_string_null);
	tcase_add_test(tc, test_empty);
	tcase_add_test(tc, test_deterministic);
	tcase_add_test(tc, test_write_error);
	suite_add_tcase(s, tc);

	tc = tcase_create("schema");
	tcase_add_test(tc, test_schema_file);
	tcase_add_test(tc, test_schema_valid);
	tcase_add_loop_test(tc, test_schema_rejects, 0, 6);
	tcase_add_test(tc, test_window_members);
	tcase_add_test(tc, test_subscriber_members);
	tcase_add_loop_test(tc, test_parts, 0, 5);
	tcase_add_test(tc, test_emit_contract);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return run_suite(report_suite());
}
