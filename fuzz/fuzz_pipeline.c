/*
 * fuzz_pipeline - libFuzzer target for the whole chain: source ->
 * correlator -> aggregator -> scorer -> report -> render.
 *
 * Input: three configuration bytes, then log text (or gzip: the
 * source reads whatever the reader does).
 *
 *   byte 0  bits 0-1  year: from the file's mtime (fixed here),
 *                     --year 2026, --year 2026 with the anchor of the
 *                     previous file (as cmd/main.c does), --year 9999
 *           bit 2     split the text in up to four files, each at the
 *                     first newline past a quarter of it (rotated
 *                     files, fed in order; with lines of several
 *                     hosts, several relays for pipeline_run())
 *           bit 3     tiny correlator limits (eviction, sessions,
 *                     dropped recipients, idle time)
 *           bit 4     relay host override
 *           bit 5     format forced (byte 2 says which)
 *           bits 6-7  max_line_bytes: default, 64, 256, 1024
 *   byte 1  bits 0-1  report top: all, 1, 2, 5
 *           bits 2-3  report min_score: 0, 10, 40, 70
 *           bits 4-5  scorer: defaults, min_messages 1, low verdict
 *                     thresholds, weight_scale 3
 *           bit 6     a file name that is not UTF-8 in the report
 *           bit 7     a second report without scorer, totals and
 *                     correlation figures (report_build()'s defaults)
 *   byte 2  bit 0     also run the files through pipeline_run() (what
 *                     the command line does) with one, two and three
 *                     threads: the aggregates must be equal
 *           bit 1     scorer allowlists and ISP networks
 *           bits 2-3  the forced format: postfix, exim, sendmail,
 *                     postfix
 *           bits 4-5  pipeline_run()'s turn_events: the default, 1,
 *                     2, 7 (threads take turns at relays when there
 *                     are more relays than threads)
 *
 * Each part is written to a memfd with a fixed mtime and opened by
 * name through /proc/self/fd (an unlinked temp file when that is not
 * available), so nothing is left on disk.
 *
 * Checked: the report dumps (with report_write()'s flags) and the dump
 * parses back with json_loads(), i.e. the output is always valid JSON;
 * report_write() and render_report(RENDER_JSON) write the same text
 * plus a newline; render_report_stream() of report_open() writes the
 * same bytes as render_report() of the whole document in every
 * format; every other format renders to valid UTF-8 without
 * NUL bytes, jsonl to lines of ASCII that each parse as a JSON object,
 * csv with balanced quotes, table without control or bidirectional
 * formatting characters other than newlines, html without a script;
 * every score is within 0..100 with a known verdict and terminated
 * reasons; the aggregator is mergeable: the records split in two
 * halves (alternate records), aggregated apart and merged in either
 * order, dump equal to one pass (aggregator_to_json); and with byte 2
 * bit 0, pipeline_run() gives the same aggregate with one thread as
 * with two or three, and so are the correlation figures and each
 * file's counts.  No message is lost: none is open after
 * correlator_finish(), and the messages handed out are as many as the
 * complete, incomplete and evicted ones counted.  Any failure aborts.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "analysis/aggregator.h"
#include "analysis/classify.h"
#include "analysis/correlator.h"
#include "analysis/pipeline.h"
#include "analysis/render.h"
#include "analysis/report.h"
#include "analysis/scorer.h"
#include "parsers/source.h"
#include "util/cidr.h"
#include "util/utf8.h"

int	LLVMFuzzerInitialize(int *argc, char ***argv);
int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__,	\
		    __LINE__, #cond);					\
		abort();						\
	}								\
} while (0)

#define FIXED_MTIME	1795728715	/* 2026-11-26 */
#define REPORT_FLAGS	(JSON_INDENT(2) | JSON_PRESERVE_ORDER | \
			    JSON_REAL_PRECISION(12))
#define MAX_PARTS	4

/* Built once: compiling the patterns is the expensive part. */
static struct classifier *classifier;

/* The aggregators one run fills: all records, and alternate halves. */
struct aggregators {
	struct aggregator *all;
	struct aggregator *half[2];
	size_t		 records;
	uint64_t	 messages;	/* of them RECORD_MESSAGE */
};

/* free_classifier - at exit, so that leak checking stays quiet */
static void
free_classifier(void)
{
	classifier_free(classifier);
	classifier = NULL;
}

/* LLVMFuzzerInitialize - zone with DST rules, the shared classifier */
int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	setenv("TZ", "CET-1CEST,M3.5.0,M10.5.0/3", 1);
	tzset();
	classifier = classifier_new();
	atexit(free_classifier);
	return 0;
}

/* drain - hand every ready record to the aggregators */
static void
drain(struct correlator *corr, struct aggregators *aggs)
{
	const struct message *msg;

	while ((msg = correlator_next(corr)) != NULL) {
		aggregator_add(aggs->all, msg);
		aggregator_add(aggs->half[aggs->records++ & 1], msg);
		if (msg->kind == RECORD_MESSAGE)
			aggs->messages++;
	}
}

/*
 * open_part - a descriptor holding the bytes with a fixed mtime, and a
 * path that opens it; *tmp is set when path is a temp file to remove
 */
static int
open_part(const uint8_t *data, size_t size, char *path, size_t pathlen,
    int *tmp)
{
	struct timespec	 times[2] = {
		{ FIXED_MTIME, 0 }, { FIXED_MTIME, 0 }
	};
	size_t		 done = 0;
	ssize_t		 n;
	int		 fd;

	*tmp = 0;
	fd = memfd_create("fuzz_pipeline", MFD_CLOEXEC);
	if (fd >= 0) {
		snprintf(path, pathlen, "/proc/self/fd/%d", fd);
		if (access(path, R_OK) != 0) {
			close(fd);
			fd = -1;
		}
	}
	if (fd < 0) {
		snprintf(path, pathlen, "%s/fuzz_pipeline.XXXXXX",
		    getenv("TMPDIR") != NULL ? getenv("TMPDIR") : "/tmp");
		fd = mkstemp(path);
		CHECK(fd >= 0);
		*tmp = 1;
	}
	while (done < size) {
		n = write(fd, data + done, size - done);
		if (n < 0 && errno == EINTR)
			continue;
		CHECK(n > 0);
		done += (size_t)n;
	}
	CHECK(futimens(fd, times) == 0);
	return fd;
}

/* One file of the run: its bytes in a descriptor that path opens. */
struct part {
	const uint8_t	*data;
	size_t		 size;
	int		 fd;
	int		 tmp;		/* path is a temp file to remove */
	char		 path[256];
};

/* part_close - close the descriptor, remove a temp file */
static void
part_close(struct part *pt)
{
	close(pt->fd);
	if (pt->tmp)
		unlink(pt->path);
}

/* read_part - one file through the source into the correlator */
static void
read_part(const struct part *pt, struct source_options *sopts,
    struct correlator *corr, struct aggregators *aggs,
    struct input_file *result)
{
	const struct mta_event *ev;
	struct source	*src;
	enum source_status st;
	char		 err[512];

	result->status = INPUT_OK;
	result->error = NULL;
	source_stats_init(&result->stats);
	src = source_open(pt->path, sopts, err, sizeof(err));
	CHECK(src != NULL);
	while ((st = source_next(src, &ev)) == SOURCE_EVENT) {
		CHECK((unsigned)ev->kind < EV_KIND_COUNT);
		correlator_feed(corr, ev);
		drain(corr, aggs);
	}
	CHECK(st == SOURCE_EOF || st == SOURCE_DAMAGED);
	if (st == SOURCE_DAMAGED) {
		result->status = INPUT_DAMAGED;
		result->error = strdup(source_error(src));
		CHECK(result->error != NULL && result->error[0] != '\0');
	}
	CHECK(source_next(src, &ev) == SOURCE_EOF);
	result->stats = *source_stats(src);
	{
		const struct source_stats *st_ = &result->stats;

		CHECK(st_->lines_read == st_->lines_parsed +
		    st_->lines_ignored + st_->lines_other +
		    st_->lines_malformed);
	}
	source_close(src);
}

/* dump - canonical text of an aggregator; caller frees */
static char *
dump(const struct aggregator *agg)
{
	json_t	*j = aggregator_to_json(agg);
	char	*s;

	CHECK(j != NULL);
	s = json_dumps(j, JSON_SORT_KEYS | JSON_COMPACT);
	CHECK(s != NULL);
	json_decref(j);
	return s;
}

/* check_merge - halves merged in either order equal the single pass */
static void
check_merge(const struct aggregators *aggs)
{
	struct aggregator *ab, *ba;
	char	*one, *s_ab, *s_ba;

	ab = aggregator_new(classifier);
	aggregator_merge(ab, aggs->half[0]);
	aggregator_merge(ab, aggs->half[1]);
	ba = aggregator_new(classifier);
	aggregator_merge(ba, aggs->half[1]);
	aggregator_merge(ba, aggs->half[0]);
	one = dump(aggs->all);
	s_ab = dump(ab);
	s_ba = dump(ba);
	CHECK(strcmp(one, s_ab) == 0);
	CHECK(strcmp(one, s_ba) == 0);
	free(one);
	free(s_ab);
	free(s_ba);
	aggregator_free(ab);
	aggregator_free(ba);
}

/* check_scores - every account's score is well formed */
static void
check_scores(const struct scorer *sc, const struct aggregator *agg)
{
	const struct account *acct;
	struct score	 s;
	size_t		 pos = 0, i;

	while (aggregator_next(agg, &pos, &acct)) {
		scorer_score(sc, acct, &s);
		CHECK(s.score >= 0 && s.score <= 100);
		CHECK(s.verdict == VERDICT_NORMAL ||
		    s.verdict == VERDICT_SUSPICIOUS ||
		    s.verdict == VERDICT_LIKELY_ZOMBIE);
		CHECK(s.count <= SCORE_MAX_CONTRIBUTIONS);
		for (i = 0; i < s.count; i++) {
			CHECK(memchr(s.contributions[i].reason, '\0',
			    SCORE_REASON_BYTES) != NULL);
			CHECK(s.contributions[i].feature != NULL);
		}
	}
}

/* render - doc in one format; caller frees *out */
static void
render(const json_t *doc, enum render_format fmt, char **out, size_t *len)
{
	FILE	*mem;

	*out = NULL;
	*len = 0;
	mem = open_memstream(out, len);
	CHECK(mem != NULL);
	CHECK(render_report(doc, fmt, mem, NULL));
	CHECK(fclose(mem) == 0);
}

/* is_inert - no control or layout character but newlines (and tabs) */
static int
is_inert(const char *s, size_t len, int tabs)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t		 i;

	for (i = 0; i < len; i++) {
		if (p[i] == '\n' || (tabs && p[i] == '\t'))
			continue;
		if (p[i] < 0x20 || p[i] == 0x7f)
			return 0;
		/* C1 controls U+0080..U+009F */
		if (p[i] == 0xc2 && i + 1 < len && p[i + 1] >= 0x80 &&
		    p[i + 1] <= 0x9f)
			return 0;
		/* U+061C */
		if (p[i] == 0xd8 && i + 1 < len && p[i + 1] == 0x9c)
			return 0;
		/* U+200E, U+200F, U+2028..U+202E, U+2066..U+2069 */
		if (p[i] == 0xe2 && i + 2 < len &&
		    ((p[i + 1] == 0x80 && (p[i + 2] == 0x8e ||
		    p[i + 2] == 0x8f || (p[i + 2] >= 0xa8 &&
		    p[i + 2] <= 0xae))) ||
		    (p[i + 1] == 0x81 && p[i + 2] >= 0xa6 &&
		    p[i + 2] <= 0xa9)))
			return 0;
	}
	return 1;
}

/*
 * check_renders - every format renders, to valid UTF-8, with what each
 * promises about hostile log text; json is what report_write() wrote
 */
static void
check_renders(const json_t *doc, const char *json_text, size_t json_len)
{
	json_error_t	 jerr;
	json_t		*obj;
	const char	*s, *nl;
	char		*out, *line;
	size_t		 len, i, quotes;

	render(doc, RENDER_JSON, &out, &len);
	CHECK(len == json_len && memcmp(out, json_text, len) == 0);
	free(out);

	render(doc, RENDER_JSONL, &out, &len);
	CHECK(utf8_valid(out, len));
	for (s = out; s < out + len; s = nl + 1) {
		nl = memchr(s, '\n', (size_t)(out + len - s));
		CHECK(nl != NULL);
		for (i = 0; s + i < nl; i++)
			CHECK((unsigned char)s[i] < 0x80);
		line = strndup(s, (size_t)(nl - s));
		CHECK(line != NULL);
		obj = json_loads(line, 0, &jerr);
		CHECK(obj != NULL && json_is_object(obj));
		json_decref(obj);
		free(line);
	}
	free(out);

	render(doc, RENDER_CSV, &out, &len);
	CHECK(utf8_valid(out, len));
	for (i = 0, quotes = 0; i < len; i++)
		quotes += out[i] == '"';
	CHECK(quotes % 2 == 0);
	free(out);

	render(doc, RENDER_TABLE, &out, &len);
	CHECK(utf8_valid(out, len));
	CHECK(is_inert(out, len, 0));
	free(out);

	render(doc, RENDER_HTML, &out, &len);
	CHECK(utf8_valid(out, len));
	CHECK(is_inert(out, len, 1));
	CHECK(strcasestr(out, "<script") == NULL);
	free(out);
}

/*
 * check_stream - the report streamed from report_open() renders to the
 * bytes of the whole document in every format
 */
static void
check_stream(const json_t *doc, const struct report_input *rin,
    const struct report_options *ropts)
{
	struct report	*r = report_open(rin, ropts);
	FILE		*mem;
	char		*whole, *streamed;
	size_t		 whole_len, streamed_len;
	int		 fmt;

	for (fmt = 0; fmt < RENDER_FORMAT_COUNT; fmt++) {
		render(doc, (enum render_format)fmt, &whole, &whole_len);
		streamed = NULL;
		streamed_len = 0;
		mem = open_memstream(&streamed, &streamed_len);
		CHECK(mem != NULL);
		CHECK(render_report_stream(r, (enum render_format)fmt, mem,
		    NULL));
		CHECK(fclose(mem) == 0);
		CHECK(streamed_len == whole_len &&
		    memcmp(streamed, whole, whole_len) == 0);
		free(streamed);
		free(whole);
	}
	report_free(r);
}

/* check_report - build, dump, parse back; report_write agrees */
static void
check_report(const struct report_input *rin,
    const struct report_options *ropts)
{
	json_error_t	 jerr;
	json_t		*doc, *back;
	char		*text, *written = NULL;
	size_t		 written_len = 0, len;
	FILE		*mem;

	doc = report_build(rin, ropts);
	CHECK(doc != NULL);
	text = json_dumps(doc, REPORT_FLAGS);
	CHECK(text != NULL);
	back = json_loads(text, 0, &jerr);
	if (back == NULL)
		fprintf(stderr, "report does not parse: %s (line %d)\n",
		    jerr.text, jerr.line);
	CHECK(back != NULL);
	CHECK(json_is_object(back));
	CHECK(json_is_array(json_object_get(back, "accounts")));

	mem = open_memstream(&written, &written_len);
	CHECK(mem != NULL);
	CHECK(report_write(doc, mem));
	CHECK(fclose(mem) == 0);
	len = strlen(text);
	CHECK(written_len == len + 1 && memcmp(written, text, len) == 0 &&
	    written[len] == '\n');
	check_renders(doc, written, written_len);
	check_stream(doc, rin, ropts);

	free(written);
	free(text);
	json_decref(back);
	json_decref(doc);
}

/*
 * check_jobs - pipeline_run() over the same files with one thread, then
 * two and three, taking turns of turn_events (0: the default) at the
 * relays when there are more than threads: the aggregates must be
 * equal (pipeline.h), and so must be the correlation figures and each
 * file's counts
 */
static void
check_jobs(struct part *parts, size_t nparts,
    const struct source_options *sopts,
    const struct correlator_options *copts, size_t turn_events)
{
	struct pipeline_options popts;
	struct pipeline_result one, more;
	char		*paths[MAX_PARTS], *a, *b;
	size_t		 i;
	unsigned	 jobs;

	for (i = 0; i < nparts; i++)
		paths[i] = parts[i].path;
	memset(&popts, 0, sizeof(popts));
	popts.source = *sopts;
	popts.correlator = *copts;
	popts.turn_events = turn_events;
	popts.jobs = 1;
	pipeline_run(paths, nparts, &popts, classifier, &one);
	CHECK(one.file_count == nparts);
	a = dump(one.aggregator);
	for (jobs = 2; jobs <= 3; jobs++) {
		popts.jobs = jobs;
		pipeline_run(paths, nparts, &popts, classifier, &more);
		CHECK(more.file_count == nparts);
		CHECK(more.relay_groups == one.relay_groups);
		CHECK(memcmp(&more.correlation, &one.correlation,
		    sizeof(one.correlation)) == 0);
		for (i = 0; i < nparts; i++) {
			CHECK(more.files[i].status == one.files[i].status);
			CHECK(more.files[i].stats.lines_read ==
			    one.files[i].stats.lines_read);
			CHECK(more.files[i].stats.lines_parsed ==
			    one.files[i].stats.lines_parsed);
			CHECK(more.files[i].stats.events ==
			    one.files[i].stats.events);
		}
		CHECK(more.total.lines_read == one.total.lines_read);
		CHECK(more.total.events == one.total.events);
		b = dump(more.aggregator);
		CHECK(strcmp(a, b) == 0);
		free(b);
		pipeline_result_free(&more);
	}
	free(a);
	pipeline_result_free(&one);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const size_t max_lines[4] = { 0, 64, 256, 1024 };
	static const size_t tops[4] = { 0, 1, 2, 5 };
	static const size_t turns[4] = { 0, 1, 2, 7 };
	static const char *const names[MAX_PARTS] = {
		"mail.log.3", "mail.log.2", "mail.log.1", "mail.log"
	};
	static const double min_scores[4] = { 0, 10, 40, 70 };
	static const enum log_format formats[4] = {
		FORMAT_POSTFIX, FORMAT_EXIM, FORMAT_SENDMAIL, FORMAT_POSTFIX
	};
	static const char *const allow_accounts[] = {
		"gina@isp.example", "10.5.5.5"
	};
	static const char *const allow_domains[] = { "news.example" };
	struct source_options base, sopts;
	struct correlator_options copts;
	struct input_file files[MAX_PARTS + 1];
	struct source_stats total;
	struct score_config cfg;
	struct report_options ropts;
	struct report_input rin;
	struct aggregators aggs;
	struct part	 parts[MAX_PARTS];
	struct correlator *corr;
	struct cidr_list *allow_ips = NULL, *isp = NULL;
	struct scorer	*sc;
	struct tm	 anchor;
	size_t		 nparts = 1, nfiles, i;
	time_t		 last_line_sec = (time_t)INT64_MIN;
	unsigned	 c0, c1, c2;
	int		 year_mode;

	if (size < 3)
		return 0;
	c0 = data[0];
	c1 = data[1];
	c2 = data[2];
	data += 3;
	size -= 3;

	parts[0].data = data;
	parts[0].size = size;
	if (c0 & 0x04) {
		/* Cut after the first newline past each quarter, when that
		   leaves bytes for the next part. */
		size_t	start = 0, k;

		for (k = 1; k < MAX_PARTS; k++) {
			size_t	 from = size * k / MAX_PARTS;
			const uint8_t *nl;

			if (from < start)
				from = start;
			nl = memchr(data + from, '\n', size - from);
			if (nl == NULL || (size_t)(nl - data) + 1 >= size)
				break;
			parts[nparts - 1].size = (size_t)(nl - data) + 1 -
			    start;
			start = (size_t)(nl - data) + 1;
			parts[nparts].data = data + start;
			parts[nparts].size = size - start;
			nparts++;
		}
	}
	for (i = 0; i < nparts; i++)
		parts[i].fd = open_part(parts[i].data, parts[i].size,
		    parts[i].path, sizeof(parts[i].path), &parts[i].tmp);

	memset(&copts, 0, sizeof(copts));
	if (c0 & 0x08) {
		copts.max_open = 3;
		copts.max_sessions = 2;
		copts.max_idle_sec = 60;
		copts.max_recipients = 2;
	}
	year_mode = (int)(c0 & 3);
	memset(&base, 0, sizeof(base));
	base.reader.max_line_bytes = max_lines[c0 >> 6];
	base.year = year_mode == 0 ? 0 : year_mode == 3 ? 9999 : 2026;
	base.host = (c0 & 0x10) ? "relay-override" : NULL;
	base.format = (c0 & 0x20) ? formats[(c2 >> 2) & 3] : FORMAT_AUTO;

	corr = correlator_new(&copts);
	aggs.all = aggregator_new(classifier);
	aggs.half[0] = aggregator_new(classifier);
	aggs.half[1] = aggregator_new(classifier);
	aggs.records = 0;
	aggs.messages = 0;
	source_stats_init(&total);
	for (i = 0; i < nparts; i++) {
		sopts = base;
		/* as cmd/main.c: the first stamp placed near the last line */
		if (year_mode == 2 && last_line_sec != (time_t)INT64_MIN &&
		    localtime_r(&last_line_sec, &anchor) != NULL) {
			sopts.year = anchor.tm_year + 1900;
			sopts.anchor_month = anchor.tm_mon + 1;
		}
		read_part(&parts[i], &sopts, corr, &aggs, &files[i]);
		files[i].name = names[MAX_PARTS - nparts + i];
		if (files[i].stats.last_time_sec != INT64_MIN)
			last_line_sec = (time_t)files[i].stats.last_time_sec;
		source_stats_add(&total, &files[i].stats);
	}
	nfiles = nparts;
	if (c1 & 0x40) {
		/* a name as argv may give it: Latin-1, control bytes */
		files[nfiles].name = "caf\xe9\x01\xff.log";
		files[nfiles].status = INPUT_UNREADABLE;
		files[nfiles].error = strdup("caf\xe9\x01\xff.log: "
		    "No such file");
		CHECK(files[nfiles].error != NULL);
		source_stats_init(&files[nfiles].stats);
		files[nfiles].stats.files = 1;
		files[nfiles].stats.files_damaged = 1;
		source_stats_add(&total, &files[nfiles].stats);
		nfiles++;
	}
	correlator_finish(corr);
	drain(corr, &aggs);
	CHECK(correlator_next(corr) == NULL);
	/* Every message opened is handed out once, and counted once (or
	   joined to another, or found to be none). */
	CHECK(correlator_open_count(corr) == 0);
	{
		const struct correlator_stats *cs = correlator_stats(corr);

		CHECK(aggs.messages == cs->messages_complete +
		    cs->messages_incomplete + cs->messages_evicted);
	}
	check_merge(&aggs);
	if (c2 & 0x01)
		check_jobs(parts, nparts, &base, &copts,
		    turns[(c2 >> 4) & 3]);
	for (i = 0; i < nparts; i++)
		part_close(&parts[i]);

	score_config_defaults(&cfg);
	switch ((c1 >> 4) & 3) {
	case 1:
		cfg.min_messages = 1;
		break;
	case 2:
		cfg.suspicious_min = 1;
		cfg.likely_zombie_min = 2;
		break;
	case 3:
		cfg.weight_scale = 3;
		break;
	}
	if (c2 & 0x02) {
		char	err[256];

		allow_ips = cidr_list_new();
		CHECK(cidr_list_add(allow_ips, "10.9.0.0/16", err,
		    sizeof(err)));
		CHECK(cidr_list_add(allow_ips, "2001:db8::/32", err,
		    sizeof(err)));
		isp = cidr_list_new();
		CHECK(cidr_list_add(isp, "10.0.0.0/8", err, sizeof(err)));
		CHECK(cidr_list_add(isp, "192.0.2.0/24", err, sizeof(err)));
		cfg.allow_accounts = allow_accounts;
		cfg.allow_account_count = 2;
		cfg.allow_ips = allow_ips;
		cfg.allow_sender_domains = allow_domains;
		cfg.allow_sender_domain_count = 1;
		cfg.isp_networks = isp;
	}
	sc = scorer_new(&cfg);
	cidr_list_free(allow_ips);
	cidr_list_free(isp);
	scorer_fit(sc, aggs.all);
	check_scores(sc, aggs.all);

	ropts.top = tops[c1 & 3];
	ropts.min_score = min_scores[(c1 >> 2) & 3];
	rin = (struct report_input){
		.generated_at = FIXED_MTIME,
		.files = files,
		.file_count = nfiles,
		.total = &total,
		.correlation = correlator_stats(corr),
		.aggregator = aggs.all,
		.scorer = sc,
	};
	check_report(&rin, &ropts);
	if (c1 & 0x80) {
		/* the defaults report_build() fills in for missing parts */
		rin.scorer = NULL;
		rin.total = NULL;
		rin.correlation = NULL;
		check_report(&rin, NULL);
	}

	for (i = 0; i < nfiles; i++)
		free((char *)files[i].error);
	scorer_free(sc);
	aggregator_free(aggs.all);
	aggregator_free(aggs.half[0]);
	aggregator_free(aggs.half[1]);
	correlator_free(corr);
	return 0;
}
