/*
 * check_render - unit tests for analysis/render: the report of a small
 * hand-made aggregator, some of whose account names are hostile
 * (formula, markup, terminal escapes, bidi overrides), rendered in
 * every format and read back: jsonl line by line against
 * doc/report-jsonl-schema.json, csv with an RFC 4180 reader, the
 * table for inertness and alignment, html for balanced tags, escaping
 * and self-containment.  Also the incident ID rule, determinism,
 * write errors, and that a report streamed from report_open() renders
 * to the same bytes as the whole document in every format.
 */
#include "config.h"

#include <check.h>
#include <inttypes.h>
#include <math.h>
#include <regex.h>
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
#include "analysis/render.h"
#include "analysis/report.h"
#include "analysis/scorer.h"
#include "parsers/source.h"
#include "tests/feed.h"
#include "tests/tz_switch.h"
#include "util/hash.h"
#include "tests/testutil.h"

#define HYPERLINK	"=HYPERLINK(\"http://evil.example/\",\"click\")"
#define SCRIPT		"<script>alert(1)</script>"
#define ESCAPES		"evil\x1b[31mred\x1b[0m"
#define CSV_HOSTILE	"comma,quote\"newline\nend"
/* ... as its csv cell reads: the line feed made a visible escape */
#define CSV_HOSTILE_CELL "comma,quote\"newline\\x0aend"
#define BIDI		"x\xc2\x9by\xe2\x80\xaez"
#define UMLAUT		"m\xc3\xbcller-\xc3\xbc" "berweisung@example.net"
#define LONG_NAME	"a-very-long-account-name-that-goes-on-and-on-" \
			"and-on.example.net"

/*
 * The accounts: ordinary users, a spam-sending zombie, a busy but clean
 * sender, and hostile names.  An account without a SASL name is known
 * by its client "address" as logged: that is where most of them go.
 */
static const struct feed feeds[] = {
	{ "alice@example.net", "192.0.2.1", "alice@example.net", 12, 1, 3,
	    0, 0, 14 },
	{ NULL, "203.0.113.66", NULL, 120, 4, 8, 3, 4, 2 },
	{ "shop@example.com", "198.51.100.7", "news@shop.example", 200, 3,
	    8, 0, 0, 9 },
	{ NULL, HYPERLINK, "h@example.net", 6, 1, 1, 0, 0, 10 },
	{ NULL, SCRIPT, NULL, 30, 2, 4, 2, 0, 3 },
	{ NULL, ESCAPES, "e@example.net", 8, 1, 1, 0, 0, 11 },
	{ NULL, CSV_HOSTILE, "c@example.net", 9, 1, 1, 0, 0, 12 },
	{ NULL, BIDI, "b@example.net", 10, 1, 1, 0, 0, 13 },
	{ UMLAUT, "192.0.2.9", "m@example.net", 11, 1, 2, 0, 0, 15 },
	{ NULL, LONG_NAME, "l@example.net", 5, 1, 1, 0, 0, 16 },
};

#define FEED_COUNT	(sizeof(feeds) / sizeof(feeds[0]))

/* Everything report_build() needs besides the aggregator. */
struct fixture {
	struct classifier *cls;
	struct aggregator *agg;
	struct scorer	*sc;
	struct source_stats total;
	struct correlator_stats corr;
	struct input_file files[2];
	struct report_input in;
};

/* fixture_init - the aggregator, fed in order or in reverse */
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
	fx->total.files = 2;
	fx->total.files_damaged = 1;
	fx->total.bytes_read = 123456;
	fx->total.bytes_decoded = 654321;
	fx->total.lines_read = 5000;
	fx->total.lines_parsed = 4000;
	fx->total.first_time_sec = T0 + 3600;
	fx->total.last_time_sec = T0 + 86399;

	fx->files[0].name = "mail.log";
	fx->files[0].status = INPUT_OK;
	fx->files[0].stats = fx->total;
	fx->files[1].name = "<b>mail</b>.log.1.gz";
	fx->files[1].status = INPUT_DAMAGED;
	fx->files[1].error = "<b>mail</b>.log.1.gz: offset 4096: "
	    "unexpected end of gzip stream";
	source_stats_init(&fx->files[1].stats);
	fx->corr.messages_complete = 411;

	fx->in.generated_at = (time_t)(T0 + 86400 + 3723);
	fx->in.files = fx->files;
	fx->in.file_count = 2;
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

/* build - the fixture's report; caller decrefs */
static json_t *
build(struct fixture *fx)
{
	json_t	*doc = report_build(&fx->in, NULL);

	ck_assert_ptr_nonnull(doc);
	ck_assert_uint_eq(json_array_size(json_object_get(doc, "accounts")),
	    FEED_COUNT);
	return doc;
}

/* render - doc in fmt as a string (NUL-terminated); caller frees */
static char *
render(const json_t *doc, enum render_format fmt, bool color, size_t *lenp)
{
	struct render_options opts = { color };
	char	*text = NULL;
	size_t	 len = 0;
	FILE	*fp;

	fp = open_memstream(&text, &len);
	ck_assert_ptr_nonnull(fp);
	ck_assert_msg(render_report(doc, fmt, fp, &opts), "%s failed",
	    render_format_name(fmt));
	ck_assert_int_eq(fclose(fp), 0);
	ck_assert_ptr_nonnull(text);
	ck_assert_uint_eq(strlen(text), len);	/* no NUL byte inside */
	if (lenp != NULL)
		*lenp = len;
	return text;
}

/* count_of - occurrences of needle in s */
static size_t
count_of(const char *s, const char *needle)
{
	size_t	n = 0;

	while ((s = strstr(s, needle)) != NULL) {
		n++;
		s += strlen(needle);
	}
	return n;
}

/* find_account - the listed account with this name */
static json_t *
find_account(json_t *doc, const char *name)
{
	json_t	*a;
	size_t	 i;

	json_array_foreach(json_object_get(doc, "accounts"), i, a) {
		if (strcmp(json_string_value(json_object_get(a, "account")),
		    name) == 0)
			return a;
	}
	ck_abort_msg("account %s not listed", name);
	return NULL;
}

/* one_account_doc - {"accounts": [{rank 1, account name, ...}]} */
static json_t *
one_account_doc(json_t *name)
{
	json_t	*doc;

	doc = json_pack("{s:[{s:i,s:o,s:s,s:f,s:s,s:{s:i},s:[{s:s}]}]}",
	    "accounts", "rank", 1, "account", name, "kind", "ip", "score",
	    12.0, "verdict", "normal", "features", "messages", 3, "reasons",
	    "text", "a reason");
	ck_assert_ptr_nonnull(doc);
	return doc;
}

/* ---- names and dispatch ------------------------------------------ */

START_TEST(test_format_names)
{
	static const char *const names[] = {
		"json", "jsonl", "csv", "table", "html"
	};
	static const char *const bad[] = {
		"", "JSON", "xml", "json ", "htm", "tables"
	};
	enum render_format fmt;
	size_t		 i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		fmt = RENDER_HTML + 1;
		ck_assert(render_format_from_name(names[i], &fmt));
		ck_assert_int_eq(fmt, (int)i);
		ck_assert_str_eq(render_format_name(fmt), names[i]);
		ck_assert_ptr_nonnull(strstr(RENDER_FORMAT_NAMES, names[i]));
	}
	ck_assert_int_eq(RENDER_FORMAT_COUNT, 5);
	ck_assert_int_eq(RENDER_JSON, 0);
	ck_assert_int_eq(RENDER_HTML, 4);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		fmt = RENDER_CSV;
		ck_assert(!render_format_from_name(bad[i], &fmt));
		ck_assert_int_eq(fmt, RENDER_CSV);
	}
	ck_assert(!render_format_from_name(NULL, &fmt));
	ck_assert_str_eq(render_format_name((enum render_format)99),
	    "unknown");
}
END_TEST

/* json is report_write(), byte for byte */
START_TEST(test_json_is_report_write)
{
	struct fixture	 fx;
	json_t		*doc;
	char		*got, *want = NULL;
	size_t		 len = 0;
	FILE		*fp;

	fixture_init(&fx, false);
	doc = build(&fx);
	got = render(doc, RENDER_JSON, false, NULL);
	fp = open_memstream(&want, &len);
	ck_assert(report_write(doc, fp));
	fclose(fp);
	ck_assert_str_eq(got, want);
	free(got);
	free(want);
	json_decref(doc);
	fixture_free(&fx);
}
END_TEST

/* ---- incident IDs ------------------------------------------------ */

/* expected_id - the documented rule, computed here independently */
static void
expected_id(const char *kind, const char *account, const char *day,
    char id[20])
{
	char	key[512];
	int	n;

	n = snprintf(key, sizeof(key), "%s:%s:%s", kind, account, day);
	ck_assert(n > 0 && (size_t)n < sizeof(key));
	snprintf(id, 20, "zs-%016" PRIx64, hash_fingerprint(key,
	    (size_t)n));
}

START_TEST(test_incident_id)
{
	struct fixture	 f1, f2;
	json_t		*d1, *d2, *d3, *a, *b;
	const char	*id;
	char		 want[20];
	size_t		 i, j;

	fixture_init(&f1, false);
	fixture_init(&f2, true);
	d1 = build(&f1);
	d2 = build(&f2);

	/* The rule: kind, account and the window's first UTC day. */
	a = find_account(d1, "203.0.113.66");
	expected_id("ip", "203.0.113.66", "2026-11-16", want);
	ck_assert_str_eq(json_string_value(json_object_get(a,
	    "incident_id")), want);
	/*
	 * The example in doc/report.md: IDs must not change between
	 * versions, or tickets would be raised twice.
	 */
	ck_assert_str_eq(want, "zs-321a8b3008665ea4");
	a = find_account(d1, "alice@example.net");
	expected_id("sasl", "alice@example.net", "2026-11-16", want);
	ck_assert_str_eq(json_string_value(json_object_get(a,
	    "incident_id")), want);
	/* In the report, right after kind. */
	ck_assert_str_eq(json_object_iter_key(json_object_iter_next(a,
	    json_object_iter_at(a, "kind"))), "incident_id");

	/* Stable across builds; distinct between accounts. */
	json_array_foreach(json_object_get(d1, "accounts"), i, a) {
		id = json_string_value(json_object_get(a, "incident_id"));
		ck_assert_ptr_nonnull(id);
		ck_assert_uint_eq(strlen(id), 19);
		ck_assert_str_eq(id, json_string_value(json_object_get(
		    find_account(d2, json_string_value(json_object_get(a,
		    "account"))), "incident_id")));
		for (j = 0; j < i; j++) {
			b = json_array_get(json_object_get(d1, "accounts"), j);
			ck_assert_str_ne(id, json_string_value(
			    json_object_get(b, "incident_id")));
		}
	}

	/* Later the same day: the same IDs.  The next day: new ones. */
	f2.total.first_time_sec = T0 + 86399;
	d3 = build(&f2);
	json_array_foreach(json_object_get(d1, "accounts"), i, a)
		ck_assert(json_equal(json_object_get(a, "incident_id"),
		    json_object_get(json_array_get(json_object_get(d3,
		    "accounts"), i), "incident_id")));
	json_decref(d3);
	f2.total.first_time_sec = T0 + 86400;
	d3 = build(&f2);
	a = find_account(d3, "203.0.113.66");
	expected_id("ip", "203.0.113.66", "2026-11-17", want);
	ck_assert_str_eq(json_string_value(json_object_get(a,
	    "incident_id")), want);
	json_array_foreach(json_object_get(d1, "accounts"), i, a)
		ck_assert(!json_equal(json_object_get(a, "incident_id"),
		    json_object_get(json_array_get(json_object_get(d3,
		    "accounts"), i), "incident_id")));
	json_decref(d3);

	/*
	 * The day is local: in UTC+1 a window opening at 00:30 local
	 * time, 23:30 UTC the day before, is the local day's.
	 */
	{
		char	*saved = tz_switch("CET-1");

		f2.total.first_time_sec = T0 - 1800;	/* 11-15 23:30Z */
		d3 = build(&f2);
		expected_id("ip", "203.0.113.66", "2026-11-16", want);
		ck_assert_str_eq(json_string_value(json_object_get(
		    find_account(d3, "203.0.113.66"), "incident_id")), want);
		json_decref(d3);
		tz_restore(saved);
	}

	/* No time at all: the day is empty. */
	f2.total.first_time_sec = INT64_MIN;
	d3 = build(&f2);
	expected_id("ip", "203.0.113.66", "", want);
	ck_assert_str_eq(json_string_value(json_object_get(find_account(d3,
	    "203.0.113.66"), "incident_id")), want);
	json_decref(d3);

	json_decref(d1);
	json_decref(d2);
	fixture_free(&f1);
	fixture_free(&f2);
}
END_TEST

/*
 * Two names that differ only in bytes that are not UTF-8 print the
 * same, repaired; each keeps an incident ID of its own.
 */
START_TEST(test_incident_id_invalid_utf8)
{
	static const struct feed twins[] = {
		{ "bad\xff@isp.example", "192.0.2.41", "t@example.net", 7, 1,
		  1, 0, 0, 9 },
		{ "bad\xfe@isp.example", "192.0.2.42", "t@example.net", 6, 1,
		  1, 0, 0, 9 },
	};
	struct fixture	 fx;
	json_t		*doc, *accounts, *a, *b, *x;
	size_t		 i;

	fixture_init(&fx, false);
	feed_account(fx.agg, &twins[0], 90);
	feed_account(fx.agg, &twins[1], 91);
	scorer_fit(fx.sc, fx.agg);
	doc = report_build(&fx.in, NULL);
	ck_assert_ptr_nonnull(doc);
	accounts = json_object_get(doc, "accounts");
	ck_assert_uint_eq(json_array_size(accounts), FEED_COUNT + 2);
	a = find_account(doc, "bad\xef\xbf\xbd@isp.example");
	ck_assert_ptr_nonnull(a);
	/* find_account() gives the first; the other comes later. */
	b = NULL;
	json_array_foreach(accounts, i, x) {
		if (x != a && json_equal(json_object_get(x, "account"),
		    json_object_get(a, "account")))
			b = x;
	}
	ck_assert_ptr_nonnull(b);
	ck_assert_str_ne(json_string_value(json_object_get(a,
	    "incident_id")), json_string_value(json_object_get(b,
	    "incident_id")));
	json_decref(doc);
	fixture_free(&fx);
}
END_TEST

/* ---- a small JSON Schema validator ------------------------------- */

/* schema_load - a schema from doc/ in the source tree */
static json_t *
schema_load(const char *name)
{
	const char	*top = getenv("top_srcdir");
	json_error_t	 err;
	char		 path[4096];
	json_t		*schema;

	snprintf(path, sizeof(path), "%s/doc/%s",
	    top != NULL && *top != '\0' ? top : ".", name);
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
		return json_is_integer(v);
	if (strcmp(type, "boolean") == 0)
		return json_is_boolean(v);
	if (strcmp(type, "null") == 0)
		return json_is_null(v);
	ck_abort_msg("schema uses unknown type %s", type);
	return false;
}

/* pattern_matches - a JSON Schema pattern (here POSIX ERE suffices) */
static bool
pattern_matches(const char *pattern, const char *s)
{
	regex_t	re;
	bool	ok;

	ck_assert_int_eq(regcomp(&re, pattern, REG_EXTENDED | REG_NOSUB), 0);
	ok = regexec(&re, s, 0, NULL, 0) == 0;
	regfree(&re);
	return ok;
}

/*
 * validate - the subset of JSON Schema the schemas use: $ref into
 * $defs, type, const, enum, pattern, required, properties,
 * additionalProperties false, items, minItems, maxItems, minimum,
 * maximum, exclusiveMinimum.  NULL when v is valid, else the path of
 * the first violation (static buffer).
 */
static const char *
validate(json_t *root, json_t *schema, json_t *v, const char *path)
{
	static char	 where[600];
	json_t		*kw, *sub, *member;
	const char	*key, *bad;
	char		 sub_path[512];
	size_t		 i;
	bool		 ok;

#define FAIL(what) do {							\
	snprintf(where, sizeof(where), "%s: %s", path, what);		\
	return where;							\
} while (0)
	kw = json_object_get(schema, "$ref");
	if (kw != NULL) {
		sub = json_object_get(json_object_get(root, "$defs"),
		    json_string_value(kw) + strlen("#/$defs/"));
		if (sub == NULL)
			FAIL("dangling $ref");
		if ((bad = validate(root, sub, v, path)) != NULL)
			return bad;
	}
	kw = json_object_get(schema, "type");
	if (json_is_string(kw) && !type_matches(v, json_string_value(kw)))
		FAIL("wrong type");
	if (json_is_array(kw)) {
		ok = false;
		json_array_foreach(kw, i, sub)
			ok = ok || type_matches(v, json_string_value(sub));
		if (!ok)
			FAIL("of none of the types");
	}
	kw = json_object_get(schema, "const");
	if (kw != NULL && !json_equal(kw, v))
		FAIL("not the const");
	kw = json_object_get(schema, "enum");
	if (kw != NULL) {
		ok = false;
		json_array_foreach(kw, i, sub)
			ok = ok || json_equal(sub, v);
		if (!ok)
			FAIL("not in the enum");
	}
	kw = json_object_get(schema, "pattern");
	if (kw != NULL && json_is_string(v) &&
	    !pattern_matches(json_string_value(kw), json_string_value(v)))
		FAIL("does not match the pattern");
	if (json_is_number(v)) {
		double	x = json_number_value(v);

		kw = json_object_get(schema, "minimum");
		if (kw != NULL && x < json_number_value(kw))
			FAIL("below minimum");
		kw = json_object_get(schema, "maximum");
		if (kw != NULL && x > json_number_value(kw))
			FAIL("above maximum");
		kw = json_object_get(schema, "exclusiveMinimum");
		if (kw != NULL && !(x > json_number_value(kw)))
			FAIL("not above exclusiveMinimum");
	}
	if (json_is_object(v)) {
		json_array_foreach(json_object_get(schema, "required"), i,
		    sub) {
			if (json_object_get(v, json_string_value(sub)) ==
			    NULL)
				FAIL(json_string_value(sub));
		}
		kw = json_object_get(schema, "properties");
		json_object_foreach(v, key, member) {
			snprintf(sub_path, sizeof(sub_path), "%s.%s", path,
			    key);
			sub = kw != NULL ? json_object_get(kw, key) : NULL;
			if (sub != NULL) {
				if ((bad = validate(root, sub, member,
				    sub_path)) != NULL)
					return bad;
			} else if (json_is_false(json_object_get(schema,
			    "additionalProperties")))
				FAIL(key);
		}
	}
	if (json_is_array(v)) {
		kw = json_object_get(schema, "minItems");
		if (kw != NULL &&
		    json_array_size(v) < (size_t)json_integer_value(kw))
			FAIL("too few items");
		kw = json_object_get(schema, "maxItems");
		if (kw != NULL &&
		    json_array_size(v) > (size_t)json_integer_value(kw))
			FAIL("too many items");
		kw = json_object_get(schema, "items");
		json_array_foreach(v, i, member) {
			if (kw == NULL)
				break;
			snprintf(sub_path, sizeof(sub_path), "%s[%zu]", path,
			    i);
			if ((bad = validate(root, kw, member, sub_path)) !=
			    NULL)
				return bad;
		}
	}
#undef FAIL
	return NULL;
}

/* ---- jsonl ------------------------------------------------------- */

START_TEST(test_jsonl)
{
	static const char *const envelope[] = {
		"schema_version", "generated_at", "window"
	};
	struct fixture	 fx;
	json_error_t	 err;
	json_t		*doc, *schema, *line, *acct;
	const char	*bad;
	char		*text, *p, *nl;
	size_t		 n = 0, k;

	fixture_init(&fx, false);
	doc = build(&fx);
	schema = schema_load("report-jsonl-schema.json");
	text = render(doc, RENDER_JSONL, false, NULL);
	ck_assert_uint_eq(count_of(text, "\n"), FEED_COUNT);
	/* ASCII only: no line reader can find a line end inside. */
	for (p = text; *p != '\0'; p++)
		ck_assert((unsigned char)*p < 0x80);
	ck_assert_ptr_nonnull(strstr(text, "\"m\\u00FCller-\\u00FCberweisung"));
	for (p = text; *p != '\0'; p = nl + 1) {
		nl = strchr(p, '\n');
		ck_assert_ptr_nonnull(nl);
		*nl = '\0';
		line = json_loads(p, 0, &err);
		ck_assert_msg(line != NULL, "line %zu: %s", n + 1, err.text);
		ck_assert(json_is_object(line));
		ck_assert_int_eq(json_integer_value(json_object_get(line,
		    "rank")), (json_int_t)n + 1);
		ck_assert_ptr_nonnull(json_string_value(json_object_get(line,
		    "incident_id")));
		bad = validate(schema, schema, line, "$");
		ck_assert_msg(bad == NULL, "line %zu: %s", n + 1, bad);

		/* The envelope first, then the account as in the report. */
		for (k = 0; k < 3; k++) {
			ck_assert(json_equal(json_object_get(line,
			    envelope[k]), json_object_get(doc, envelope[k])));
			ck_assert_str_eq(json_object_iter_key(k == 0 ?
			    json_object_iter(line) : json_object_iter_next(
			    line, json_object_iter_at(line,
			    envelope[k - 1]))), envelope[k]);
		}
		ck_assert_str_eq(json_object_iter_key(json_object_iter_next(
		    line, json_object_iter_at(line, "window"))), "rank");
		for (k = 0; k < 3; k++)
			json_object_del(line, envelope[k]);
		acct = json_array_get(json_object_get(doc, "accounts"), n);
		ck_assert(json_equal(line, acct));
		json_decref(line);
		n++;
	}
	ck_assert_uint_eq(n, FEED_COUNT);
	free(text);

	/* The validator is not a no-op. */
	line = json_deep_copy(json_array_get(json_object_get(doc, "accounts"),
	    0));
	ck_assert_ptr_nonnull(validate(schema, schema, line, "$"));
	json_object_set_new(line, "schema_version", json_string(REPORT_SCHEMA_VERSION));
	json_object_set(line, "generated_at", json_object_get(doc,
	    "generated_at"));
	json_object_set(line, "window", json_object_get(doc, "window"));
	ck_assert_ptr_null(validate(schema, schema, line, "$"));
	json_object_set_new(line, "incident_id", json_string("zs-XYZ"));
	ck_assert_ptr_nonnull(validate(schema, schema, line, "$"));
	json_decref(line);

	json_decref(schema);
	json_decref(doc);
	fixture_free(&fx);
}
END_TEST

/*
 * The jsonl schema repeats the report schema's account definitions:
 * they must not drift apart.
 */
START_TEST(test_jsonl_schema_in_step)
{
	json_t		*report = schema_load("report-schema.json");
	json_t		*jsonl = schema_load("report-jsonl-schema.json");
	json_t		*acct, *v;
	const char	*key;

	ck_assert_str_eq(json_string_value(json_object_get(jsonl,
	    "$schema")), "https://json-schema.org/draft/2020-12/schema");
	ck_assert_ptr_nonnull(strstr(json_string_value(json_object_get(jsonl,
	    "$id")), REPORT_SCHEMA_VERSION));
	acct = json_object_get(json_object_get(report, "$defs"), "account");
	json_object_foreach(json_object_get(acct, "properties"), key, v)
		ck_assert_msg(json_equal(v, json_object_get(json_object_get(
		    jsonl, "properties"), key)), "property %s differs", key);
	json_object_foreach(json_object_get(jsonl, "$defs"), key, v)
		ck_assert_msg(json_equal(v, json_object_get(json_object_get(
		    report, "$defs"), key)), "$defs.%s differs", key);
	v = json_object_get(jsonl, "required");
	ck_assert_uint_eq(json_array_size(v), 3 + json_array_size(
	    json_object_get(acct, "required")));
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(
	    json_object_get(jsonl, "properties"), "schema_version"),
	    "const")), REPORT_SCHEMA_VERSION);
	json_decref(report);
	json_decref(jsonl);
}
END_TEST

/* ---- csv --------------------------------------------------------- */

/*
 * csv_parse - an RFC 4180 reader, strict: CRLF after every record,
 * quotes only around whole fields.  An array of rows of strings.
 */
static json_t *
csv_parse(const char *s, size_t len)
{
	json_t	*rows = json_array(), *row = json_array();
	char	*cell = malloc(len + 1);
	size_t	 i = 0, n;

	ck_assert_ptr_nonnull(cell);
	while (i < len) {
		n = 0;
		if (s[i] == '"') {
			for (i++;; i++) {
				ck_assert_msg(i < len, "unterminated quote");
				if (s[i] == '"') {
					if (i + 1 < len && s[i + 1] == '"') {
						cell[n++] = '"';
						i++;
						continue;
					}
					i++;
					break;
				}
				cell[n++] = s[i];
			}
		} else {
			for (; i < len && s[i] != ',' && s[i] != '\r'; i++) {
				ck_assert_msg(s[i] != '"' && s[i] != '\n',
				    "bare quote or LF at %zu", i);
				cell[n++] = s[i];
			}
		}
		json_array_append_new(row, json_stringn(cell, n));
		ck_assert_msg(i < len, "record not ended by CRLF");
		if (s[i] == ',') {
			i++;
			ck_assert_msg(i < len, "record not ended by CRLF");
			continue;
		}
		ck_assert_msg(s[i] == '\r' && i + 1 < len && s[i + 1] == '\n',
		    "junk after a field at %zu", i);
		i += 2;
		json_array_append_new(rows, row);
		row = json_array();
	}
	json_decref(row);
	free(cell);
	return rows;
}

/* cell - a parsed cell's text */
static const char *
cell(json_t *rows, size_t r, size_t c)
{
	json_t	*v = json_array_get(json_array_get(rows, r), c);

	ck_assert_msg(json_is_string(v), "no cell %zu,%zu", r, c);
	return json_string_value(v);
}

START_TEST(test_csv)
{
	static const char *const header[] = {
		"rank", "account", "kind", "score", "verdict", "messages",
		"recipients", "distinct_domains", "bounced",
		"remote_spam_rejections", "remote_blocklist_rejections",
		"distinct_senders", "distinct_client_ips", "auth_failures",
		"first_seen", "last_seen", "top_reasons", "incident_id"
	};
	const size_t	 ncol = sizeof(header) / sizeof(header[0]);
	struct fixture	 fx;
	json_t		*doc, *rows, *a, *reasons;
	char		*text, buf[64], want[1024];
	size_t		 len, r, c;
	bool		 seen_link = false, seen_hostile = false;

	fixture_init(&fx, false);
	doc = build(&fx);
	text = render(doc, RENDER_CSV, false, &len);
	rows = csv_parse(text, len);
	ck_assert_uint_eq(json_array_size(rows), FEED_COUNT + 1);
	for (c = 0; c < ncol; c++)
		ck_assert_str_eq(cell(rows, 0, c), header[c]);
	for (r = 0; r <= FEED_COUNT; r++)
		ck_assert_uint_eq(json_array_size(json_array_get(rows, r)),
		    ncol);

	for (r = 1; r <= FEED_COUNT; r++) {
		a = json_array_get(json_object_get(doc, "accounts"), r - 1);
		snprintf(buf, sizeof(buf), "%zu", r);
		ck_assert_str_eq(cell(rows, r, 0), buf);
		snprintf(buf, sizeof(buf), "%.1f", json_real_value(
		    json_object_get(a, "score")));
		ck_assert_str_eq(cell(rows, r, 3), buf);
		ck_assert_str_eq(cell(rows, r, 4), json_string_value(
		    json_object_get(a, "verdict")));
		snprintf(buf, sizeof(buf), "%" JSON_INTEGER_FORMAT,
		    json_integer_value(json_object_get(json_object_get(a,
		    "features"), "messages")));
		ck_assert_str_eq(cell(rows, r, 5), buf);
		ck_assert_str_eq(cell(rows, r, 14), json_string_value(
		    json_object_get(json_object_get(a, "evidence"),
		    "first_seen")));
		ck_assert_str_eq(cell(rows, r, 17), json_string_value(
		    json_object_get(a, "incident_id")));
		reasons = json_object_get(a, "reasons");
		if (json_array_size(reasons) > 0)
			ck_assert(strncmp(cell(rows, r, 16), json_string_value(
			    json_object_get(json_array_get(reasons, 0),
			    "text")), strlen(json_string_value(
			    json_object_get(json_array_get(reasons, 0),
			    "text")))) == 0);
		else
			ck_assert_str_eq(cell(rows, r, 16), "");
		if (strcmp(cell(rows, r, 1), "'" HYPERLINK) == 0)
			seen_link = true;
		if (strcmp(cell(rows, r, 1), CSV_HOSTILE_CELL) == 0)
			seen_hostile = true;
		/* Only the formula got a quote. */
		ck_assert(cell(rows, r, 1)[0] != '\'' ||
		    strcmp(cell(rows, r, 1), "'" HYPERLINK) == 0);
	}
	ck_assert(seen_link);
	ck_assert(seen_hostile);
	ck_assert_ptr_nonnull(strstr(text,
	    ",\"'=HYPERLINK(\"\"http://evil.example/\"\",\"\"click\"\")\","));
	ck_assert_ptr_nonnull(strstr(text,
	    ",\"comma,quote\"\"newline\\x0aend\","));

	/* The zombie: counts from the features. */
	a = find_account(doc, "203.0.113.66");
	r = (size_t)json_integer_value(json_object_get(a, "rank"));
	ck_assert_str_eq(cell(rows, r, 2), "ip");
	ck_assert_str_eq(cell(rows, r, 5), "120");
	ck_assert_str_eq(cell(rows, r, 6), "480");
	ck_assert_str_eq(cell(rows, r, 9), "160");
	ck_assert_str_eq(cell(rows, r, 10), "0");
	ck_assert_str_eq(cell(rows, r, 11), "120");
	ck_assert_str_eq(cell(rows, r, 15), "2026-11-16T03:59:01Z");
	reasons = json_object_get(a, "reasons");
	ck_assert_uint_ge(json_array_size(reasons), 4);
	snprintf(want, sizeof(want), "%s | %s | %s",
	    json_string_value(json_object_get(json_array_get(reasons, 0),
	    "text")), json_string_value(json_object_get(json_array_get(
	    reasons, 1), "text")), json_string_value(json_object_get(
	    json_array_get(reasons, 2), "text")));
	ck_assert_str_eq(cell(rows, r, 16), want);

	json_decref(rows);
	free(text);
	json_decref(doc);
	fixture_free(&fx);
}
END_TEST

/* One account name and how its csv cell must come out. */
static const struct {
	const char	*name;
	const char	*cell;		/* after reading the csv */
	const char	*raw;		/* as written, between commas */
} csv_cases[] = {
	{ "plain", "plain", ",plain," },
	{ "", "", ",," },
	{ "=1+2", "'=1+2", ",\"'=1+2\"," },
	{ "+1", "'+1", ",\"'+1\"," },
	{ "-2", "'-2", ",\"'-2\"," },
	{ "@SUM(A1:A9)", "'@SUM(A1:A9)", ",\"'@SUM(A1:A9)\"," },
	{ "\tcmd", "\\x09cmd", ",\\x09cmd," },
	{ "\rcmd", "\\x0dcmd", ",\\x0dcmd," },
	{ "\x1b[31mred", "\\x1b[31mred", ",\\x1b[31mred," },
	{ "\xe2\x80\xaegnp.exe", "\\u202egnp.exe", ",\\u202egnp.exe," },
	{ HYPERLINK, "'" HYPERLINK,
	    ",\"'=HYPERLINK(\"\"http://evil.example/\"\",\"\"click\"\")\"," },
	{ "a,b", "a,b", ",\"a,b\"," },
	{ "say \"hi\"", "say \"hi\"", ",\"say \"\"hi\"\"\"," },
	{ "line\nbreak", "line\\x0abreak", ",line\\x0abreak," },
	{ "cr\rlf", "cr\\x0dlf", ",cr\\x0dlf," },
	{ "x=1", "x=1", ",x=1," },
	{ "'quoted", "'quoted", ",'quoted," },
	{ "caf\xc3\xa9", "caf\xc3\xa9", ",caf\xc3\xa9," },
};

START_TEST(test_csv_cells)
{
	json_t	*doc = one_account_doc(json_string(csv_cases[_i].name));
	json_t	*rows;
	char	*text;
	size_t	 len;

	text = render(doc, RENDER_CSV, false, &len);
	ck_assert_ptr_nonnull(strstr(text, csv_cases[_i].raw));
	rows = csv_parse(text, len);
	ck_assert_uint_eq(json_array_size(rows), 2);
	ck_assert_str_eq(cell(rows, 1, 0), "1");
	ck_assert_str_eq(cell(rows, 1, 1), csv_cases[_i].cell);
	ck_assert_str_eq(cell(rows, 1, 3), "12.0");
	ck_assert_str_eq(cell(rows, 1, 5), "3");
	/* Members the document lacks are empty cells. */
	ck_assert_str_eq(cell(rows, 1, 6), "");
	ck_assert_str_eq(cell(rows, 1, 16), "a reason");
	json_decref(rows);
	free(text);
	json_decref(doc);
}
END_TEST

/* ---- table ------------------------------------------------------- */

/* cp_offset - the byte offset of code point n in s (or its end) */
static size_t
cp_offset(const char *s, size_t n)
{
	size_t	i, k = 0;

	for (i = 0; s[i] != '\0'; i++) {
		if (((unsigned char)s[i] & 0xc0) != 0x80) {
			if (k == n)
				return i;
			k++;
		}
	}
	return i;
}

/* cp_count - code points in s */
static size_t
cp_count(const char *s)
{
	size_t	n = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

/* no_controls - s holds no control character but LF, no DEL, no C1 */
static void
no_controls(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	for (; *p != '\0'; p++) {
		ck_assert_msg(*p >= 0x20 || *p == '\n', "control %#x", *p);
		ck_assert(*p != 0x7f);
		if (*p == 0xc2)
			ck_assert_msg(p[1] < 0x80 || p[1] > 0x9f, "C1 control");
	}
}

START_TEST(test_table)
{
	struct fixture	 fx;
	json_t		*doc;
	char		*text, *line, *nl, *cpy, note[64];
	size_t		 acct_col, msg_end, reason_col, lines = 0, at;
	const char	*h;

	fixture_init(&fx, false);
	doc = build(&fx);
	text = render(doc, RENDER_TABLE, false, NULL);
	ck_assert_ptr_null(strchr(text, '\x1b'));
	no_controls(text);
	ck_assert_ptr_nonnull(strstr(text, "evil\\x1b[31mred\\x1b[0m"));
	ck_assert_ptr_nonnull(strstr(text, "x\\x9by\\u202ez"));
	ck_assert_ptr_nonnull(strstr(text, "comma,quote\"newline\\x0aend"));
	ck_assert_ptr_nonnull(strstr(text, UMLAUT));
	/* The long name is cut to 40 code points, the last an ellipsis. */
	ck_assert_ptr_null(strstr(text, LONG_NAME));
	ck_assert_ptr_nonnull(strstr(text,
	    "a-very-long-account-name-that-goes-on-a\xe2\x80\xa6"));
	ck_assert_ptr_null(strstr(text, "a-very-long-account-name-that-goes-"
	    "on-and"));

	/* The header gives the columns' positions, in code points. */
	nl = strchr(text, '\n');
	ck_assert_ptr_nonnull(nl);
	cpy = strndup(text, (size_t)(nl - text));
	ck_assert(strncmp(cpy, "RANK  SCORE  VERDICT", 20) == 0);
	h = strstr(cpy, "ACCOUNT");
	ck_assert_ptr_nonnull(h);
	acct_col = (size_t)(h - cpy);
	h = strstr(cpy, "MESSAGES");
	ck_assert_ptr_nonnull(h);
	msg_end = (size_t)(h - cpy) + strlen("MESSAGES");
	h = strstr(cpy, "REASON");
	ck_assert_ptr_nonnull(h);
	reason_col = (size_t)(h - cpy);
	ck_assert_str_eq(h, "REASON");
	/* ACCOUNT is as wide as its widest (capped) cell. */
	ck_assert_uint_eq(msg_end - strlen("MESSAGES") - 2 - acct_col, 40);
	free(cpy);

	for (line = text; lines < FEED_COUNT + 1; line = nl + 1) {
		nl = strchr(line, '\n');
		ck_assert_ptr_nonnull(nl);
		cpy = strndup(line, (size_t)(nl - line));
		lines++;
		/* No trailing blanks. */
		ck_assert(cpy[0] != '\0' && cpy[strlen(cpy) - 1] != ' ');
		/* Left columns start at the header's code point... */
		at = cp_offset(cpy, acct_col);
		ck_assert_msg(cpy[at] != ' ' && cpy[at - 1] == ' ' &&
		    cpy[at - 2] == ' ', "line %zu: account column", lines);
		/* ...right ones end there... */
		at = cp_offset(cpy, msg_end - 1);
		ck_assert_msg(cpy[at] != ' ' && (cpy[at + 1] == ' ' ||
		    cpy[at + 1] == '\0'), "line %zu: messages column", lines);
		/* ...and every row but normal ones' has a reason. */
		if (cp_count(cpy) > reason_col) {
			at = cp_offset(cpy, reason_col);
			ck_assert_msg(cpy[at] != ' ' && cpy[at - 1] == ' ',
			    "line %zu: reason column", lines);
			ck_assert_uint_le(cp_count(cpy) - reason_col, 60);
		} else
			ck_assert_uint_eq(cp_count(cpy), msg_end);
		free(cpy);
	}
	/* Last, which accounts are listed. */
	snprintf(note, sizeof(note), "%zu of %zu accounts listed: all of "
	    "them\n", FEED_COUNT, FEED_COUNT);
	ck_assert_str_eq(line, note);
	free(text);

	/*
	 * With colour: escape sequences, but only the table's own; the
	 * name's stays text.
	 */
	text = render(doc, RENDER_TABLE, true, NULL);
	ck_assert_ptr_nonnull(strstr(text, "\x1b[1mRANK\x1b[0m"));
	ck_assert_ptr_nonnull(strstr(text, "\x1b[1;31mlikely_zombie\x1b[0m"));
	ck_assert_ptr_nonnull(strstr(text, "evil\\x1b[31mred\\x1b[0m"));
	for (h = strchr(text, '\x1b'); h != NULL; h = strchr(h + 1, '\x1b'))
		ck_assert(strncmp(h, "\x1b[0m", 4) == 0 ||
		    strncmp(h, "\x1b[1m", 4) == 0 ||
		    strncmp(h, "\x1b[1;31m", 7) == 0 ||
		    strncmp(h, "\x1b[33m", 5) == 0);
	free(text);
	json_decref(doc);
	fixture_free(&fx);
}
END_TEST

/* One account name and how the table must show it. */
static const struct {
	const char	*name;
	size_t		 len;
	const char	*shown;
} table_cases[] = {
	{ "plain", 5, "plain" },
	{ "esc\x1b[2J", 7, "esc\\x1b[2J" },
	{ "bell\a", 5, "bell\\x07" },
	{ "tab\there", 8, "tab\\x09here" },
	{ "cr\rlf\n", 6, "cr\\x0dlf\\x0a" },
	{ "del\x7f", 4, "del\\x7f" },
	{ "csi\xc2\x9b" "31m", 8, "csi\\x9b31m" },
	{ "nel\xc2\x85", 5, "nel\\x85" },
	{ "rlo\xe2\x80\xaegnp.exe", 13, "rlo\\u202egnp.exe" },
	{ "iso\xe2\x81\xa6x", 7, "iso\\u2066x" },
	{ "caf\xc3\xa9", 5, "caf\xc3\xa9" },
	{ "\xe4\xb8\xad\xe6\x96\x87", 6, "\xe4\xb8\xad\xe6\x96\x87" },
	/* Not from report_build() (it repairs), but never trusted. */
	{ "bad\xff", 4, "bad\\xff" },
	{ "trunc\xe2\x82", 7, "trunc\\xe2\\x82" },
	{ "over\xc0\xaf", 6, "over\\xc0\\xaf" },
	{ "surr\xed\xa0\x80", 7, "surr\\xed\\xa0\\x80" },
};

START_TEST(test_table_inert)
{
	json_t	*doc = one_account_doc(json_stringn_nocheck(
	    table_cases[_i].name, table_cases[_i].len));
	char	*text, want[128];

	text = render(doc, RENDER_TABLE, true, NULL);
	snprintf(want, sizeof(want), "  %s  ", table_cases[_i].shown);
	ck_assert_msg(strstr(text, want) != NULL, "%s", text);
	free(text);
	text = render(doc, RENDER_TABLE, false, NULL);
	no_controls(text);
	ck_assert_ptr_nonnull(strstr(text, want));
	free(text);
	/* And html shows the same, escaped. */
	text = render(doc, RENDER_HTML, false, NULL);
	no_controls(text);
	free(text);
	json_decref(doc);
}
END_TEST

/* ---- html -------------------------------------------------------- */

/* is_void - HTML elements that have no end tag */
static bool
is_void(const char *name)
{
	return strcmp(name, "meta") == 0 || strcmp(name, "br") == 0 ||
	    strcmp(name, "hr") == 0 || strcmp(name, "img") == 0 ||
	    strcmp(name, "link") == 0 || strcmp(name, "input") == 0;
}

/*
 * check_balanced - every element opened is closed, in order: a tiny
 * tag reader for what render writes (no comments, quoted attributes
 * without '>', style as raw text)
 */
static void
check_balanced(const char *s)
{
	char		 stack[64][16], name[16];
	const char	*p = s, *end;
	size_t		 depth = 0, n;
	bool		 closing;

	ck_assert(strncmp(s, "<!DOCTYPE html>\n", 16) == 0);
	p += 16;
	while ((p = strchr(p, '<')) != NULL) {
		closing = p[1] == '/';
		p += closing ? 2 : 1;
		for (n = 0; n < sizeof(name) - 1 && ((*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9')); n++)
			name[n] = *p++;
		name[n] = '\0';
		ck_assert_msg(n > 0, "stray '<' at %zu", (size_t)(p - s));
		end = strchr(p, '>');
		ck_assert_msg(end != NULL, "unended tag <%s", name);
		ck_assert_msg(memchr(p, '<', (size_t)(end - p)) == NULL,
		    "'<' inside tag <%s", name);
		if (closing) {
			ck_assert_msg(depth > 0, "</%s> closes nothing", name);
			depth--;
			ck_assert_msg(strcmp(stack[depth], name) == 0,
			    "</%s> closes <%s>", name, stack[depth]);
		} else if (end[-1] != '/' && !is_void(name)) {
			ck_assert_uint_lt(depth, 64);
			strcpy(stack[depth++], name);
		}
		p = end + 1;
		if (!closing && strcmp(name, "style") == 0) {
			p = strstr(p, "</style>");
			ck_assert_ptr_nonnull(p);
		}
	}
	ck_assert_msg(depth == 0, "<%s> not closed", stack[depth - 1]);
}

START_TEST(test_html)
{
	struct fixture	 fx;
	json_t		*doc, *a;
	char		*text, *lower, want[256], *p;
	size_t		 i;

	fixture_init(&fx, false);
	doc = build(&fx);
	text = render(doc, RENDER_HTML, false, NULL);
	check_balanced(text);
	no_controls(text);

	/* Self-contained: no script, no external resource. */
	lower = strdup(text);
	for (p = lower; *p != '\0'; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	ck_assert_ptr_null(strstr(lower, "<script"));
	ck_assert_ptr_null(strstr(lower, " src="));
	ck_assert_ptr_null(strstr(lower, "url("));
	ck_assert_ptr_null(strstr(lower, "@import"));
	ck_assert_ptr_null(strstr(lower, "<link"));
	ck_assert_ptr_null(strstr(lower, " on"));	/* event handlers */
	for (p = strstr(lower, "href="); p != NULL; p = strstr(p + 1,
	    "href="))
		ck_assert(strncmp(p, "href=\"#account-", 15) == 0);
	free(lower);

	/* Hostile text escaped. */
	ck_assert_ptr_nonnull(strstr(text,
	    "&lt;script&gt;alert(1)&lt;/script&gt;"));
	ck_assert_ptr_nonnull(strstr(text,
	    "=HYPERLINK(&quot;http://evil.example/&quot;,&quot;click&quot;)"));
	ck_assert_ptr_nonnull(strstr(text, "&lt;b&gt;mail&lt;/b&gt;.log.1.gz"));
	ck_assert_ptr_nonnull(strstr(text, "evil\\x1b[31mred"));
	ck_assert_ptr_nonnull(strstr(text, "comma,quote&quot;newline\\x0aend"));

	/* The page's parts. */
	ck_assert_ptr_nonnull(strstr(text, "<html lang=\"en\">"));
	ck_assert_ptr_nonnull(strstr(text, "<meta charset=\"utf-8\">"));
	ck_assert_ptr_nonnull(strstr(text, "<title>zombiescan report, "
	    "2026-11-16T01:00:00Z to 2026-11-16T23:59:59Z</title>"));
	ck_assert_ptr_nonnull(strstr(text, "Generated <time datetime=\""
	    "2026-11-17T01:02:03Z\">"));
	ck_assert_ptr_nonnull(strstr(text, "<th scope=\"row\">Bytes read</th>"
	    "<td class=\"num\">123456</td>"));
	ck_assert_ptr_nonnull(strstr(text, "offset 4096"));
	ck_assert_uint_eq(count_of(text, "<table class=\"ranking\">"), 1);
	ck_assert_uint_eq(count_of(text, "<svg "), FEED_COUNT);
	ck_assert_uint_eq(count_of(text, "</svg>"), FEED_COUNT);
	ck_assert_uint_eq(count_of(text, "<rect "), 24 * FEED_COUNT);
	ck_assert_uint_eq(count_of(text, "role=\"img\""), FEED_COUNT);
	for (i = 1; i <= FEED_COUNT; i++) {
		snprintf(want, sizeof(want), "<a href=\"#account-%zu\">", i);
		ck_assert_uint_eq(count_of(text, want), 1);
		snprintf(want, sizeof(want), "<article id=\"account-%zu\">", i);
		ck_assert_uint_eq(count_of(text, want), 1);
		snprintf(want, sizeof(want), "aria-labelledby=\"chart-%zu-"
		    "title\">\n<title id=\"chart-%zu-title\">", i, i);
		ck_assert_uint_eq(count_of(text, want), 1);
	}
	/* The zombie: rank 1, all its reasons, its chart's peak hours. */
	a = json_array_get(json_object_get(doc, "accounts"), 0);
	ck_assert_str_eq(json_string_value(json_object_get(a, "account")),
	    "203.0.113.66");
	snprintf(want, sizeof(want), "<tr><td class=\"num\">1</td>"
	    "<td class=\"num\">%.1f</td><td><span class=\"verdict "
	    "likely_zombie\">likely zombie</span></td><td>ip</td>",
	    json_real_value(json_object_get(a, "score")));
	ck_assert_ptr_nonnull(strstr(text, want));
	ck_assert_ptr_nonnull(strstr(text, "Messages by hour of day for "
	    "203.0.113.66: 120 in all, most (60) at 02:00</title>"));
	ck_assert_ptr_nonnull(strstr(text, "height=\"90\"><title>02:00-02:59: "
	    "60 messages</title>"));
	ck_assert_ptr_nonnull(strstr(text, "height=\"90\"><title>03:00-03:59: "
	    "60 messages</title>"));
	ck_assert_ptr_nonnull(strstr(text, "height=\"0\"><title>04:00-04:59: "
	    "0 messages</title>"));
	ck_assert_ptr_nonnull(strstr(text, "text-anchor=\"middle\">23</text>"));
	ck_assert_ptr_nonnull(strstr(text, json_string_value(json_object_get(
	    a, "incident_id"))));
	ck_assert_ptr_nonnull(strstr(text, "160 as spam"));
	/* What the remote servers said, in its own table. */
	p = strstr(text, "<h4>Refused by remote servers</h4>");
	ck_assert_ptr_nonnull(p);
	ck_assert_ptr_nonnull(strstr(p, "<th scope=\"col\">Reply</th>"));
	ck_assert_ptr_nonnull(strstr(p, "<td class=\"name\">550 5.7.1 "
	    "Message rejected as spam</td>"));
	free(text);
	json_decref(doc);
	fixture_free(&fx);
}
END_TEST

/* ---- every format ------------------------------------------------ */

/* The same document twice, and documents from either feeding order. */
START_TEST(test_deterministic)
{
	struct fixture	 f1, f2;
	json_t		*d1, *d2;
	char		*t1, *t2, *t3;
	int		 fmt;

	fixture_init(&f1, false);
	fixture_init(&f2, true);
	d1 = build(&f1);
	d2 = build(&f2);
	for (fmt = 0; fmt < RENDER_FORMAT_COUNT; fmt++) {
		t1 = render(d1, (enum render_format)fmt, fmt == RENDER_TABLE,
		    NULL);
		t2 = render(d1, (enum render_format)fmt, fmt == RENDER_TABLE,
		    NULL);
		t3 = render(d2, (enum render_format)fmt, fmt == RENDER_TABLE,
		    NULL);
		ck_assert_uint_gt(strlen(t1), 0);
		ck_assert_str_eq(t1, t2);
		ck_assert_str_eq(t1, t3);
		free(t1);
		free(t2);
		free(t3);
	}
	json_decref(d1);
	json_decref(d2);
	fixture_free(&f1);
	fixture_free(&f2);
}
END_TEST

/* A report with no account, and documents that are not reports. */
START_TEST(test_empty_and_odd)
{
	struct report_input in;
	json_t		*docs[4];
	char		*text;
	size_t		 d;
	int		 fmt;

	memset(&in, 0, sizeof(in));
	in.generated_at = (time_t)T0;
	docs[0] = report_build(&in, NULL);
	docs[1] = json_object();
	docs[2] = json_pack("{s:[i,s,{s:i,s:[],s:{s:i},s:[i,{s:i}]}],s:i}",
	    "accounts", 1, "x", "account", 5, "features", "evidence",
	    "first_seen", 3, "reasons", 7, "text", 9, "window", 3);
	docs[3] = json_array();
	for (d = 0; d < 4; d++) {
		ck_assert_ptr_nonnull(docs[d]);
		for (fmt = 0; fmt < RENDER_FORMAT_COUNT; fmt++) {
			if (fmt == RENDER_JSON && d == 3)
				continue;	/* jansson dumps only objects */
			text = render(docs[d], (enum render_format)fmt, true,
			    NULL);
			if (fmt == RENDER_HTML) {
				check_balanced(text);
				ck_assert_uint_eq(count_of(text, "<svg"),
				    d == 2 ? 1 : 0);
			}
			if (fmt == RENDER_JSONL)
				ck_assert_uint_eq(count_of(text, "\n"),
				    d == 2 ? 1 : 0);
			if (fmt == RENDER_CSV)
				ck_assert_uint_eq(count_of(text, "\r\n"),
				    d == 2 ? 2 : 1);
			/* The header, the row of docs[2], and the
			   line that says what is listed when there is
			   a summary (docs[0]). */
			if (fmt == RENDER_TABLE)
				ck_assert_uint_eq(count_of(text, "\n"),
				    d == 2 || d == 0 ? 2 : 1);
			free(text);
		}
	}
	text = render(docs[0], RENDER_HTML, false, NULL);
	ck_assert_ptr_nonnull(strstr(text, "No account is listed."));
	ck_assert_ptr_nonnull(strstr(text, "<title>zombiescan report, "
	    "unknown to unknown</title>"));
	free(text);
	text = render(docs[0], RENDER_CSV, false, NULL);
	ck_assert(strncmp(text, "rank,account,kind,", 18) == 0);
	free(text);
	for (d = 0; d < 4; d++)
		json_decref(docs[d]);
}
END_TEST

/* A report, whole or streamed, rendered into fp. */
typedef bool render_fn(const void *report, enum render_format fmt,
    FILE *fp);

/* render_whole - render_fn for a whole document */
static bool
render_whole(const void *doc, enum render_format fmt, FILE *fp)
{
	return render_report(doc, fmt, fp, NULL);
}

/* render_streamed - render_fn for a report streamed an account a time */
static bool
render_streamed(const void *r, enum render_format fmt, FILE *fp)
{
	return render_report_stream(r, fmt, fp, NULL);
}

/*
 * check_write_errors - a stream opened for reading and a full device
 * fail every format; an unknown format fails and writes nothing; every
 * known one succeeds into /dev/null
 */
static void
check_write_errors(render_fn *fn, const void *report)
{
	FILE	*fp;
	int	 fmt;

	fp = fopen("/dev/null", "r");
	ck_assert_ptr_nonnull(fp);
	for (fmt = 0; fmt < RENDER_FORMAT_COUNT; fmt++)
		ck_assert_msg(!fn(report, (enum render_format)fmt, fp),
		    "%s did not fail", render_format_name(
		    (enum render_format)fmt));
	fclose(fp);
	fp = fopen("/dev/full", "w");
	if (fp != NULL) {
		for (fmt = 0; fmt < RENDER_FORMAT_COUNT; fmt++) {
			ck_assert_msg(!fn(report, (enum render_format)fmt,
			    fp), "%s did not fail on /dev/full",
			    render_format_name((enum render_format)fmt));
			clearerr(fp);
		}
		fclose(fp);
	}
	fp = fopen("/dev/null", "w");
	ck_assert_ptr_nonnull(fp);
	ck_assert(!fn(report, (enum render_format)99, fp));
	ck_assert_int_eq(ftell(fp), 0);
	for (fmt = 0; fmt < RENDER_FORMAT_COUNT; fmt++)
		ck_assert_msg(fn(report, (enum render_format)fmt, fp),
		    "%s failed", render_format_name((enum render_format)fmt));
	fclose(fp);
}

START_TEST(test_write_error)
{
	struct fixture	 fx;
	json_t		*doc;

	fixture_init(&fx, false);
	doc = build(&fx);
	check_write_errors(render_whole, doc);
	json_decref(doc);
	fixture_free(&fx);
}
END_TEST

/*
 * --subscribers: csv gets a last subscriber_id column, table a
 * SUBSCRIBER column, html a line; without it, neither (the table has
 * no empty column either).
 */
START_TEST(test_subscriber_column)
{
	json_t	*doc = one_account_doc(json_string("192.0.2.7"));
	json_t	*a = json_array_get(json_object_get(doc, "accounts"), 0);
	char	*text;

	text = render(doc, RENDER_CSV, false, NULL);
	ck_assert_ptr_null(strstr(text, "subscriber_id"));
	free(text);
	text = render(doc, RENDER_TABLE, false, NULL);
	ck_assert_ptr_null(strstr(text, "SUBSCRIBER"));
	ck_assert_ptr_nonnull(strstr(text, "ACCOUNT    MESSAGES  REASON\n"));
	ck_assert_ptr_nonnull(strstr(text, "192.0.2.7         3  a reason\n"));
	free(text);

	json_object_set_new(doc, "subscribers", json_object());
	json_object_set_new(a, "subscriber_id", json_string("C-1,\"x\""));
	text = render(doc, RENDER_CSV, false, NULL);
	ck_assert_ptr_nonnull(strstr(text, ",incident_id,subscriber_id\r\n"));
	ck_assert_msg(strstr(text, ",\"C-1,\"\"x\"\"\"\r\n") != NULL, "%s",
	    text);
	free(text);
	text = render(doc, RENDER_TABLE, false, NULL);
	ck_assert_ptr_nonnull(strstr(text, "ACCOUNT    SUBSCRIBER  MESSAGES"));
	ck_assert_ptr_nonnull(strstr(text,
	    "192.0.2.7  C-1,\"x\"            3  a reason\n"));
	free(text);
	text = render(doc, RENDER_HTML, false, NULL);
	ck_assert_ptr_nonnull(strstr(text,
	    "subscriber <code>C-1,&quot;x&quot;</code>"));
	free(text);

	/* no subscriber found: an empty cell, "unknown" in html */
	json_object_set_new(a, "subscriber_id", json_null());
	text = render(doc, RENDER_CSV, false, NULL);
	ck_assert_ptr_nonnull(strstr(text, ",\r\n"));
	free(text);
	text = render(doc, RENDER_HTML, false, NULL);
	ck_assert_ptr_nonnull(strstr(text, "subscriber <code>unknown</code>"));
	free(text);
	json_decref(doc);
}
END_TEST

/* ---- streaming ---------------------------------------------------- */

/* render_stream - r in fmt as a string, as render() does; caller frees */
static char *
render_stream(const struct report *r, enum render_format fmt, bool color)
{
	struct render_options opts = { color };
	char	*text = NULL;
	size_t	 len = 0;
	FILE	*fp;

	fp = open_memstream(&text, &len);
	ck_assert_ptr_nonnull(fp);
	ck_assert_msg(render_report_stream(r, fmt, fp, &opts), "%s failed",
	    render_format_name(fmt));
	ck_assert_int_eq(fclose(fp), 0);
	ck_assert_ptr_nonnull(text);
	ck_assert_uint_eq(strlen(text), len);
	return text;
}

/* written - report_write() of doc as a string; caller frees */
static char *
written(const json_t *doc)
{
	char	*text = NULL;
	size_t	 len = 0;
	FILE	*fp;

	fp = open_memstream(&text, &len);
	ck_assert_ptr_nonnull(fp);
	ck_assert(report_write(doc, fp));
	ck_assert_int_eq(fclose(fp), 0);
	ck_assert_ptr_nonnull(text);
	return text;
}

/*
 * The reports streamed: the hostile fixture whole, cut by --top and
 * --min-score, with a window, with subscribers (whose section comes
 * between the summary and the accounts), and with no account at all.
 */
enum stream_case {
	STREAM_ALL,
	STREAM_TOP,
	STREAM_MIN_SCORE,
	STREAM_WINDOW,
	STREAM_SUBSCRIBERS,
	STREAM_EMPTY,
	STREAM_CASES
};

/*
 * Streamed output is the whole document's, byte for byte, in every
 * format; and json is report_write()'s and parses back to the document.
 */
START_TEST(test_stream_equals_whole)
{
	static const char *const rows[] = {
		"subscriber_id,kind,key,valid_from,valid_until",
		"C-<1>\"x\",ip,203.0.113.66,,",
		"C-2,login,shop@example.com,,",
		"C-3,ip,198.51.100.0/24,,",
		"bad row",
	};
	struct report_options ropts = { 0, 0.0 };
	struct subscribers *subs = NULL;
	struct fixture	 fx;
	struct report	*r;
	json_error_t	 err;
	json_t		*doc, *back;
	char		*whole, *streamed, *dumped;
	size_t		 i, listed;
	int		 fmt;

	fixture_init(&fx, false);
	switch ((enum stream_case)_i) {
	case STREAM_TOP:
		ropts.top = 3;
		break;
	case STREAM_MIN_SCORE:
		ropts.min_score = 20.0;
		break;
	case STREAM_WINDOW:
		fx.in.window = true;
		fx.in.since_sec = T0;
		fx.in.until_sec = INT64_MAX;
		break;
	case STREAM_SUBSCRIBERS:
		subs = subscribers_new();
		for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
			subscribers_add_line(subs, rows[i], strlen(rows[i]));
		fx.in.subscribers = subs;
		fx.in.subscribers_file = "subs\n\"<b>\".csv";
		break;
	case STREAM_EMPTY:
		memset(&fx.in, 0, sizeof(fx.in));
		fx.in.generated_at = (time_t)T0;
		break;
	case STREAM_ALL:
	case STREAM_CASES:
		break;
	}
	doc = report_build(&fx.in, &ropts);
	r = report_open(&fx.in, &ropts);
	listed = json_array_size(json_object_get(doc, "accounts"));
	ck_assert_uint_eq(report_count(r), listed);
	ck_assert_uint_eq(listed, _i == STREAM_ALL || _i == STREAM_WINDOW ||
	    _i == STREAM_SUBSCRIBERS ? FEED_COUNT : _i == STREAM_TOP ? 3 :
	    _i == STREAM_EMPTY ? 0 : listed);
	if (_i == STREAM_MIN_SCORE)
		ck_assert(listed > 0 && listed < FEED_COUNT);
	ck_assert_int_eq(json_object_get(doc, "subscribers") != NULL,
	    _i == STREAM_SUBSCRIBERS);
	for (fmt = 0; fmt < RENDER_FORMAT_COUNT; fmt++) {
		whole = render(doc, (enum render_format)fmt,
		    fmt == RENDER_TABLE, NULL);
		streamed = render_stream(r, (enum render_format)fmt,
		    fmt == RENDER_TABLE);
		ck_assert_msg(strcmp(whole, streamed) == 0,
		    "case %d: %s differs streamed", _i,
		    render_format_name((enum render_format)fmt));
		if (fmt == RENDER_JSON) {
			dumped = written(doc);
			ck_assert_str_eq(streamed, dumped);
			free(dumped);
			back = json_loads(streamed, 0, &err);
			ck_assert_msg(back != NULL, "%s", err.text);
			ck_assert(json_equal(back, doc));
			json_decref(back);
		}
		free(whole);
		free(streamed);
	}
	/* Rendering does not use the report up: again, the same. */
	whole = render(doc, RENDER_JSONL, false, NULL);
	streamed = render_stream(r, RENDER_JSONL, false);
	ck_assert_str_eq(whole, streamed);
	free(whole);
	free(streamed);
	report_free(r);
	json_decref(doc);
	subscribers_free(subs);
	fixture_free(&fx);
}
END_TEST

/*
 * Account names of every kind a writer must escape or keep, through
 * the streamed writers (no tree) and through jansson (the whole
 * document): the same json and jsonl, byte for byte.  jsonl is ASCII:
 * above U+FFFF a surrogate pair, U+2028 and U+0085 escaped, DEL kept.
 */
START_TEST(test_stream_hostile_text)
{
	static const char *const names[] = {
		"emoji\xf0\x9f\x98\x80@x", "top\xf4\x8f\xbf\xbf",
		"ls\xe2\x80\xa8ps\xe2\x80\xa9", "nel\xc2\x85",
		"del\x7f", "q\"b\\s/", "ctl\x01\x1f\b\f\n\r\t",
		"latin\xe9", "cut\xe2\x82", "\xc3\xa9t\xc3\xa9",
	};
	struct feed	 fd[sizeof(names) / sizeof(names[0])];
	struct fixture	 fx;
	struct report	*r;
	json_t		*doc;
	char		*whole, *streamed;
	size_t		 i;
	int		 fmt;

	memset(&fx, 0, sizeof(fx));
	fixture_init(&fx, false);
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		memset(&fd[i], 0, sizeof(fd[i]));
		fd[i].ip = names[i];
		fd[i].sender = names[i];
		fd[i].messages = (unsigned)i + 2;
		fd[i].rcpts = 2;
		fd[i].domains = 1;
		fd[i].bad = 2;
		fd[i].hour = (int)i;
		feed_account(fx.agg, &fd[i], (unsigned)(FEED_COUNT + i));
	}
	doc = report_build(&fx.in, NULL);
	r = report_open(&fx.in, NULL);
	ck_assert_uint_eq(report_count(r), FEED_COUNT +
	    sizeof(names) / sizeof(names[0]));
	for (fmt = RENDER_JSON; fmt <= RENDER_JSONL; fmt++) {
		whole = render(doc, (enum render_format)fmt, false, NULL);
		streamed = render_stream(r, (enum render_format)fmt, false);
		/* Not ck_assert_str_eq(): the texts are too long for it. */
		ck_assert_msg(strcmp(streamed, whole) == 0, "%s differs",
		    render_format_name((enum render_format)fmt));
		free(whole);
		free(streamed);
	}
	streamed = render_stream(r, RENDER_JSONL, false);
	ck_assert_ptr_nonnull(strstr(streamed, "emoji\\uD83D\\uDE00@x"));
	ck_assert_ptr_nonnull(strstr(streamed, "top\\uDBFF\\uDFFF"));
	ck_assert_ptr_nonnull(strstr(streamed, "ls\\u2028ps\\u2029"));
	ck_assert_ptr_nonnull(strstr(streamed, "del\x7f"));
	ck_assert_ptr_nonnull(strstr(streamed,
	    "ctl\\u0001\\u001F\\b\\f\\n\\r\\t"));
	ck_assert_ptr_nonnull(strstr(streamed, "latin\\uFFFD"));
	for (i = 0; streamed[i] != '\0'; i++)
		ck_assert((unsigned char)streamed[i] < 0x80);
	free(streamed);
	report_free(r);
	json_decref(doc);
	fixture_free(&fx);
}
END_TEST

/*
 * The json writer lays out any object as jansson does: empty and
 * nested containers, keys that need escapes, reals, non-ASCII text.
 */
START_TEST(test_json_layout)
{
	static const char *const texts[] = {
		"{}",
		"{\"accounts\": []}",
		"{\"accounts\": [{}, [], {\"a\": [[], {}, [1, [2]]]}]}",
		("{\"k\\\"e\\ny\\u0001\": {\"\\u00fc\\u202e\": \"x\\ny\\\\\"},"
		" \"r\": [0.30000000000000004, 1e300, -0.0, 12345678901234],"
		" \"n\": null, \"t\": true, \"s\": \"\\u001b[31m<b>\"}"),
		("{\"a\": {\"b\": {\"c\": {\"d\": [\"\\n\", \"\"]}}},"
		" \"accounts\": [{\"rank\": 1}], \"after\": 2}"),
	};
	json_error_t	 err;
	json_t		*doc;
	char		*got, *want;

	doc = json_loads(texts[_i], 0, &err);
	ck_assert_msg(doc != NULL, "%s", err.text);
	got = render(doc, RENDER_JSON, false, NULL);
	want = written(doc);
	ck_assert_str_eq(got, want);
	free(got);
	free(want);
	json_decref(doc);
}
END_TEST

#define JSON_LAYOUT_CASES	5

/*
 * A string that is not UTF-8, or holds a NUL byte (possible only when
 * made without jansson's check): the json writer fails rather than
 * write invalid JSON, wherever the bad bytes are, valid multi-byte
 * text around them included.
 */
START_TEST(test_json_refuses_invalid_text)
{
	static const struct {
		const char	*s;
		size_t		 len;
	} bad[] = {
		{ "\xff", 1 }, { "ok\xff", 3 }, { "\xc3\xa9\xc3", 3 },
		{ "a\0b", 3 }, { "x\"\xed\xa0\x80", 5 },
		{ "\xe2\x82\xac\xf4\x90\x80\x80", 7 },
	};
	size_t	 i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		json_t	*doc = one_account_doc(json_stringn_nocheck(bad[i].s,
		    bad[i].len));
		char	*text = NULL;
		size_t	 len = 0;
		FILE	*fp = open_memstream(&text, &len);

		ck_assert_ptr_nonnull(fp);
		ck_assert_msg(!render_report(doc, RENDER_JSON, fp, NULL),
		    "case %zu", i);
		ck_assert_int_eq(fclose(fp), 0);
		free(text);
		json_decref(doc);
	}
}
END_TEST

/*
 * An account whose dump is larger than any buffer the writer keeps on
 * the stack, with newlines (escaped) in the strings and nested lines
 * on both sides of the boundaries: still laid out as report_write()
 * lays it out.
 */
START_TEST(test_json_large_account)
{
	json_t	*doc, *accounts, *acct, *list;
	char	*got, *want, text[64];
	int	 i;

	doc = json_object();
	accounts = json_array();
	json_object_set_new(doc, "accounts", accounts);
	acct = json_object();
	list = json_array();
	for (i = 0; i < 3000; i++) {
		snprintf(text, sizeof(text), "line %d\nnext", i);
		json_array_append_new(list, i % 3 == 0 ? json_string(text) :
		    json_pack("{s:i, s:[i]}", "n", i, "v", i));
	}
	json_object_set_new(acct, "evidence", list);
	json_array_append_new(accounts, acct);
	json_array_append_new(accounts, json_pack("{s:i}", "rank", 2));
	got = render(doc, RENDER_JSON, false, NULL);
	want = written(doc);
	ck_assert_uint_gt(strlen(want), 65536);
	ck_assert_str_eq(got, want);
	free(got);
	free(want);
	json_decref(doc);
}
END_TEST

/*
 * Write errors show when streaming too: a stream opened for reading
 * and a full device fail every format (json, jsonl and csv stop
 * building accounts at the error; the result says so either way).
 */
START_TEST(test_stream_write_error)
{
	struct fixture	 fx;
	struct report	*r;

	fixture_init(&fx, false);
	r = report_open(&fx.in, NULL);
	check_write_errors(render_streamed, r);
	report_free(r);
	fixture_free(&fx);
}
END_TEST

/* A small deterministic generator for test_json_random (xorshift64*). */
static uint64_t
rnd(uint64_t *state)
{
	*state ^= *state >> 12;
	*state ^= *state << 25;
	*state ^= *state >> 27;
	return *state * 2685821657736338717ULL;
}

/* rnd_text - valid UTF-8 of every kind the writer must escape or keep */
static json_t *
rnd_text(uint64_t *st)
{
	static const char *const pieces[] = {
		"a", "Z", " ", "\"", "\\", "/", "\n", "\r", "\t", "\b", "\f",
		"\001", "\037", "\177", "\xc3\xbc", "\xe2\x80\xa8",
		"\xe2\x80\xae", "\xf0\x9f\x98\x80", "<b>", "\033[31m",
		"user@example.org", "0.5", "e+10"
	};
	char	 text[256];
	size_t	 len = 0, n = rnd(st) % 12, k;
	const char *p;

	text[0] = '\0';
	while (n-- > 0) {
		p = pieces[rnd(st) % (sizeof(pieces) / sizeof(pieces[0]))];
		k = strlen(p);
		memcpy(text + len, p, k + 1);
		len += k;
	}
	return json_stringn(text, len);
}

/* rnd_real - a finite double: special values and random bit patterns */
static double
rnd_real(uint64_t *st)
{
	static const double special[] = {
		0.0, -0.0, 0.1, 0.5, 1.0, -1.5, 1e-5, 1e-4, 123456789012.0,
		1234567890123.0, 1e21, 1e300, 5e-324, 1.7976931348623157e308,
		0.30000000000000004, 2.5e-7, 99999999999.95, 1e12, 1e11
	};
	uint64_t bits;
	double	 d;

	if (rnd(st) % 2 == 0)
		return special[rnd(st) % (sizeof(special) /
		    sizeof(special[0]))] * (rnd(st) % 2 ? 1 : -1);
	do {
		bits = rnd(st);
		memcpy(&d, &bits, sizeof(d));
	} while (!isfinite(d));
	return d;
}

/* rnd_value - a random JSON value, nested at most depth deep */
static json_t *
rnd_value(uint64_t *st, int depth)
{
	static const json_int_t ints[] = {
		0, 1, -1, 42, 9007199254740993LL, INT64_MAX, INT64_MIN
	};
	json_t	*v;
	char	 key[16];
	int	 i, n;

	switch (rnd(st) % (depth > 0 ? 8 : 6)) {
	case 0:
		return rnd_text(st);
	case 1:
		return json_integer(rnd(st) % 2 ? (json_int_t)rnd(st) :
		    ints[rnd(st) % (sizeof(ints) / sizeof(ints[0]))]);
	case 2:
		return json_real(rnd_real(st));
	case 3:
		return json_true();
	case 4:
		return json_false();
	case 5:
		return json_null();
	case 6:
		v = json_array();
		n = (int)(rnd(st) % 5);
		for (i = 0; i < n; i++)
			json_array_append_new(v, rnd_value(st, depth - 1));
		return v;
	default:
		v = json_object();
		n = (int)(rnd(st) % 5);
		for (i = 0; i < n; i++) {
			if (rnd(st) % 3 == 0) {
				json_t *k = rnd_text(st);

				json_object_set_new(v, json_string_value(k),
				    rnd_value(st, depth - 1));
				json_decref(k);
			} else {
				snprintf(key, sizeof(key), "k%d",
				    (int)(rnd(st) % 10));
				json_object_set_new(v, key,
				    rnd_value(st, depth - 1));
			}
		}
		return v;
	}
}

/*
 * The JSON writer against jansson's own dump (report_write()): random
 * documents with every escape, UTF-8 of every length, integers and
 * reals of every magnitude, nested objects and arrays, empty ones.
 */
START_TEST(test_json_random)
{
	uint64_t st = 0x9e3779b97f4a7c15ULL + (uint64_t)_i;
	json_t	*doc, *accounts;
	char	*got, *want;
	int	 i, n;

	doc = json_object();
	n = (int)(rnd(&st) % 4);
	for (i = 0; i < n; i++) {
		char	key[16];

		snprintf(key, sizeof(key), "h%d", i);
		json_object_set_new(doc, key, rnd_value(&st, 3));
	}
	accounts = json_array();
	n = (int)(rnd(&st) % 4);
	for (i = 0; i < n; i++)
		json_array_append_new(accounts, rnd_value(&st, 4));
	json_object_set_new(doc, "accounts", accounts);
	got = render(doc, RENDER_JSON, false, NULL);
	want = written(doc);
	ck_assert_str_eq(got, want);
	free(got);
	free(want);
	json_decref(doc);
}
END_TEST

static Suite *
render_suite(void)
{
	Suite	*s = suite_create("render");
	TCase	*tc;

	tc = tcase_create("formats");
	tcase_add_test(tc, test_format_names);
	tcase_add_test(tc, test_json_is_report_write);
	tcase_add_test(tc, test_json_refuses_invalid_text);
	tcase_add_test(tc, test_stream_hostile_text);
	tcase_add_test(tc, test_incident_id);
	tcase_add_test(tc, test_incident_id_invalid_utf8);
	tcase_add_test(tc, test_jsonl);
	tcase_add_test(tc, test_jsonl_schema_in_step);
	tcase_add_test(tc, test_csv);
	tcase_add_loop_test(tc, test_csv_cells, 0,
	    (int)(sizeof(csv_cases) / sizeof(csv_cases[0])));
	tcase_add_test(tc, test_table);
	tcase_add_loop_test(tc, test_table_inert, 0,
	    (int)(sizeof(table_cases) / sizeof(table_cases[0])));
	tcase_add_test(tc, test_html);
	tcase_add_test(tc, test_deterministic);
	tcase_add_test(tc, test_empty_and_odd);
	tcase_add_test(tc, test_write_error);
	tcase_add_test(tc, test_subscriber_column);
	tcase_add_loop_test(tc, test_stream_equals_whole, 0, STREAM_CASES);
	tcase_add_loop_test(tc, test_json_layout, 0, JSON_LAYOUT_CASES);
	tcase_add_test(tc, test_json_large_account);
	tcase_add_loop_test(tc, test_json_random, 0, 500);
	tcase_add_test(tc, test_stream_write_error);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return run_suite(render_suite());
}
