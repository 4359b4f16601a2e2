/*
 * report - the ranked, explained JSON report (see report.h).
 *
 * The document is built member by member in the order doc/report.md
 * describes; jansson (2.8 and later) keeps object keys in insertion
 * order, so the output's layout is stable and diffs of two reports
 * read well.  Every member is always present, with null or zero when
 * there is nothing to say, so consumers need no existence checks (the
 * schema in doc/report-schema.json marks them required); the only
 * exceptions are the members an option brings (--since/--until: the
 * window's bounds and outside_window counts; --subscribers: subscriber
 * members), present exactly when the option was given.
 *
 * Accounts are ranked by a total order (score, messages, kind, key),
 * so equal input gives byte-equal output whatever order the
 * aggregator holds its accounts in.
 *
 * Out of memory while building is fatal, as everywhere (util/xalloc.h):
 * a report with silently missing members would be worse than none.
 */
#include "config.h"

#include <assert.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "analysis/report.h"
#include "util/civil.h"
#include "util/hash.h"
#include "util/strmap.h"
#include "util/utf8.h"
#include "util/xalloc.h"

/* How many entries each evidence list holds. */
#define EVIDENCE_TOP	10

/* "zs-", 16 hex digits and a NUL: an incident ID (incident_id()). */
#define INCIDENT_ID_SIZE	20

/* How many matching subscriber rows an account lists. */
#define SUBSCRIBER_MATCHES_MAX	8

/* One account in ranking order; the full score is recomputed if listed. */
struct ranked {
	const struct account *acct;
	const char	*key;
	double		 score;
	double		 raw_points;
	enum verdict	 verdict;
	enum account_kind kind;
	uint64_t	 messages;
	const char	*subscriber_id;	/* best match, or NULL */
	int64_t		 first_seen_sec;
	int64_t		 last_seen_sec;
	size_t		 rank;		/* when listed; 0: not listed */
};

/* ---- jansson helpers ------------------------------------------- */

/* oom - jansson could not allocate: fatal, like xmalloc */
static void __attribute__((noreturn))
oom(void)
{
	fputs(PACKAGE ": out of memory building the report\n", stderr);
	exit(1);
}

/* checked - v, or exit when jansson returned NULL */
static json_t *
checked(json_t *v)
{
	if (v == NULL)
		oom();
	return v;
}

/* set - obj[key] = v, taking the reference; every key is one of this
   program's own ASCII names, so jansson need not check it */
static void
set(json_t *obj, const char *key, json_t *v)
{
	if (json_object_set_new_nocheck(obj, key, checked(v)) != 0)
		oom();
}

/* append - arr += v, taking the reference */
static void
append(json_t *arr, json_t *v)
{
	if (json_array_append_new(arr, checked(v)) != 0)
		oom();
}

/*
 * count_value - an unsigned counter as printed, always an integer:
 * beyond what jansson's json_int_t holds (2^63 - 1, met only where
 * sums of logged figures saturate) it stops there
 */
static json_int_t
count_value(uint64_t v)
{
	return v > (uint64_t)INT64_MAX ? INT64_MAX : (json_int_t)v;
}

/* json_u64 - an unsigned counter (count_value()) */
static json_t *
json_u64(uint64_t v)
{
	return checked(json_integer(count_value(v)));
}

/* unset_time - a time left at the INT64_MIN or INT64_MAX sentinel */
static bool
unset_time(int64_t sec)
{
	return sec == INT64_MIN || sec == INT64_MAX;
}

/* The JSON form a computed figure takes (figure_form()). */
enum figure_form {
	FIGURE_NULL,			/* not finite */
	FIGURE_INTEGER,
	FIGURE_REAL
};

/*
 * figure_form - a computed figure is an integer when it is integral
 * (and exactly representable), else a real rounded to the given number
 * of decimals; the value to write in *out
 */
static enum figure_form
figure_form(double x, int decimals, double *out)
{
	double	scale = pow(10.0, decimals);

	if (!isfinite(x))
		return FIGURE_NULL;
	if (fabs(x) < 1e15)
		x = round(x * scale) / scale;
	*out = x;
	/* 2^53: every integer below is exact in a double. */
	if (x == floor(x) && fabs(x) < 9007199254740992.0)
		return FIGURE_INTEGER;
	return FIGURE_REAL;
}

/* json_figure - a computed figure (figure_form()) */
static json_t *
json_figure(double x, int decimals)
{
	double	v = 0.0;

	switch (figure_form(x, decimals, &v)) {
	case FIGURE_INTEGER:
		return checked(json_integer((json_int_t)v));
	case FIGURE_REAL:
		return checked(json_real(v));
	case FIGURE_NULL:
		break;
	}
	return checked(json_null());
}

/* score_value - a score or points value as printed: one decimal */
static double
score_value(double x)
{
	return round(x * 10.0) / 10.0;
}

/* json_score - a score or points value: always a real, or null */
static json_t *
json_score(double x)
{
	if (!isfinite(x))
		return checked(json_null());
	return checked(json_real(score_value(x)));
}

/* json_text - a NUL-terminated string that may come from a log */
static json_t *
json_text(const char *s)
{
	return report_json_string(s, s != NULL ? strlen(s) : 0);
}

/*
 * valid_text - len log bytes at s as valid UTF-8 without NUL bytes: s
 * itself, or a repaired copy (util/utf8.h) that *fixed holds for the
 * caller to free (NULL when none was made); *len becomes its length
 */
static const char *
valid_text(const char *s, size_t *len, char **fixed)
{
	*fixed = NULL;
	if (utf8_valid(s, *len))
		return s;
	*fixed = utf8_repair(s, *len, len);
	return *fixed;
}

/* report_json_string - log bytes as a valid JSON string */
json_t *
report_json_string(const char *s, size_t len)
{
	json_t	*v;
	char	*fixed;

	if (s == NULL)
		return checked(json_null());
	/*
	 * json_string() refuses invalid UTF-8 with NULL; a NUL byte would
	 * end the text early.  valid_text() gives neither, so the checked
	 * constructor is never needed.
	 */
	s = valid_text(s, &len, &fixed);
	v = json_stringn_nocheck(s, len);
	free(fixed);
	return checked(v);
}

/*
 * json_time - ISO 8601 UTC ("2026-11-25T06:25:14Z"), or null for a
 * time that is unset (the INT64_MIN/INT64_MAX sentinels) or outside
 * years 1970..9999
 */
static json_t *
json_time(int64_t sec)
{
	char	buf[CIVIL_ISO_SIZE];

	if (!civil_iso(sec, buf))
		return checked(json_null());
	return checked(json_stringn_nocheck(buf, CIVIL_ISO_SIZE - 1));
}

/*
 * zone_object - {"name": "CET", "utc_offset": "+01:00"}: the local
 * time zone (TZ) the report's hours of day are counted in, as it was
 * at sec; both null when the system cannot tell
 */
static json_t *
zone_object(int64_t sec)
{
	json_t	*o = checked(json_object());
	struct tm tm;
	time_t	 t = (time_t)sec;
	char	 name[64], off[8], shown[8];

	if ((int64_t)t == sec && localtime_r(&t, &tm) != NULL &&
	    strftime(name, sizeof(name), "%Z", &tm) > 0 &&
	    strftime(off, sizeof(off), "%z", &tm) == 5) {
		snprintf(shown, sizeof(shown), "%.3s:%.2s", off, off + 3);
		set(o, "name", json_text(name));
		set(o, "utc_offset", checked(json_string(shown)));
	} else {
		set(o, "name", checked(json_null()));
		set(o, "utc_offset", checked(json_null()));
	}
	return o;
}

/* ---- header sections ------------------------------------------- */

/* file_status_name - "ok", "damaged", "unreadable" */
static const char *
file_status_name(enum input_file_status status)
{
	switch (status) {
	case INPUT_DAMAGED:
		return "damaged";
	case INPUT_UNREADABLE:
		return "unreadable";
	case INPUT_OK:
		break;
	}
	return "ok";
}

/*
 * lines_object - a source's lines by outcome; outside_window only when
 * a window was given
 */
static json_t *
lines_object(const struct source_stats *st, bool window)
{
	json_t	*o = checked(json_object());

	set(o, "read", json_u64(st->lines_read));
	set(o, "parsed", json_u64(st->lines_parsed));
	set(o, "ignored", json_u64(st->lines_ignored));
	set(o, "other_program", json_u64(st->lines_other));
	set(o, "malformed", json_u64(st->lines_malformed));
	if (window)
		set(o, "outside_window", json_u64(st->lines_outside_window));
	set(o, "invalid_utf8", json_u64(st->lines_invalid_utf8));
	return o;
}

/*
 * by_format_object - lines per log format ("postfix": n, ...).  Lines
 * are counted under the parser that took them, never under "auto".
 */
static json_t *
by_format_object(const struct source_stats *st)
{
	json_t	*o = checked(json_object());
	int	 i;

	for (i = FORMAT_AUTO + 1; i < FORMAT_COUNT; i++)
		set(o, log_format_name((enum log_format)i),
		    json_u64(st->lines_by_format[i]));
	return o;
}

/* input_section - files, bytes, lines by outcome and reason, damage */
static json_t *
input_section(const struct report_input *in, const struct source_stats *t)
{
	json_t	*o = checked(json_object());
	json_t	*ign = checked(json_object());
	json_t	*mal = checked(json_object());
	json_t	*damaged = checked(json_array());
	json_t	*detail = checked(json_array());
	size_t	 i;

	set(o, "files", json_u64(in->file_count));
	set(o, "bytes_read", json_u64(t->bytes_read));
	set(o, "bytes_decoded", json_u64(t->bytes_decoded));
	set(o, "events", json_u64(t->events));
	set(o, "lines", lines_object(t, in->window));
	/* Every reason, zero or not, so the set of keys never varies. */
	for (i = 0; i < IGNORE_REASON_COUNT; i++)
		set(ign, ignore_reason_name((enum ignore_reason)i),
		    json_u64(t->ignored_by_reason[i]));
	set(o, "ignored_by_reason", ign);
	for (i = 0; i < MALFORMED_REASON_COUNT; i++)
		set(mal, malformed_reason_name((enum malformed_reason)i),
		    json_u64(t->malformed_by_reason[i]));
	set(o, "malformed_by_reason", mal);
	set(o, "lines_by_format", by_format_object(t));

	for (i = 0; in->files != NULL && i < in->file_count; i++) {
		const struct input_file *f = &in->files[i];
		json_t	*d = checked(json_object());

		set(d, "file", json_text(f->name));
		set(d, "status", json_string(file_status_name(f->status)));
		set(d, "error", json_text(f->error));
		set(d, "bytes_read", json_u64(f->stats.bytes_read));
		set(d, "bytes_decoded", json_u64(f->stats.bytes_decoded));
		set(d, "lines", lines_object(&f->stats, in->window));
		set(d, "lines_by_format", by_format_object(&f->stats));
		set(d, "first_seen", json_time(f->stats.first_time_sec));
		set(d, "last_seen", json_time(f->stats.last_time_sec));
		append(detail, d);
		if (f->status == INPUT_OK)
			continue;
		d = checked(json_object());
		set(d, "file", json_text(f->name));
		set(d, "status", json_string(file_status_name(f->status)));
		set(d, "error", f->error != NULL ? json_text(f->error) :
		    json_string(""));
		append(damaged, d);
	}
	set(o, "damaged_files", damaged);
	set(o, "files_detail", detail);
	return o;
}

/* correlation_section - how log lines became messages */
static json_t *
correlation_section(const struct correlator_stats *c)
{
	json_t	*o = checked(json_object());

	set(o, "messages_complete", json_u64(c->messages_complete));
	set(o, "messages_incomplete", json_u64(c->messages_incomplete));
	set(o, "messages_evicted", json_u64(c->messages_evicted));
	set(o, "messages_joined", json_u64(c->messages_joined));
	set(o, "orphan_events", json_u64(c->orphan_events));
	set(o, "rejects", json_u64(c->rejects));
	set(o, "auth_failures", json_u64(c->auth_failures));
	set(o, "recipients_dropped", json_u64(c->recipients_dropped));
	set(o, "open_peak", json_u64(c->open_peak));
	return o;
}

/*
 * attribution_section - how records were attributed to accounts;
 * accounts_dropped: distinct accounts past the account cap
 */
static json_t *
attribution_section(const struct aggregator_stats *a,
    uint64_t accounts_dropped)
{
	json_t	*o = checked(json_object());

	set(o, "records", json_u64(a->records));
	set(o, "messages_attributed", json_u64(a->messages_attributed));
	set(o, "messages_unattributed", json_u64(a->messages_unattributed));
	set(o, "relay_bounces", json_u64(a->relay_bounces));
	set(o, "inbound_local", json_u64(a->inbound_local));
	set(o, "rejects_attributed", json_u64(a->rejects_attributed));
	set(o, "rejects_unattributed", json_u64(a->rejects_unattributed));
	set(o, "auth_failures_attributed",
	    json_u64(a->auth_failures_attributed));
	set(o, "auth_failures_unattributed",
	    json_u64(a->auth_failures_unattributed));
	set(o, "records_dropped", json_u64(a->records_dropped));
	set(o, "accounts_dropped", json_u64(accounts_dropped));
	return o;
}

/* finite_or_zero - a setting as a number the schema accepts */
static double
finite_or_zero(double x)
{
	return isfinite(x) ? x : 0.0;
}

/* scoring_section - the thresholds in force and the listing options */
static json_t *
scoring_section(const struct score_config *cfg,
    const struct report_options *opts)
{
	json_t	*o = checked(json_object());

	set(o, "likely_zombie_min",
	    json_figure(finite_or_zero(cfg->likely_zombie_min), 2));
	set(o, "suspicious_min",
	    json_figure(finite_or_zero(cfg->suspicious_min), 2));
	set(o, "min_messages", json_u64(cfg->min_messages));
	set(o, "weight_scale", json_figure(cfg->weight_scale, 4));
	set(o, "points_scale", json_figure(SCORE_POINTS_SCALE, 2));
	set(o, "min_score", json_figure(finite_or_zero(opts->min_score), 6));
	set(o, "top", json_u64(opts->top));
	return o;
}

/* population_section - the figures accounts are compared with */
static json_t *
population_section(const struct population *p)
{
	json_t	*o = checked(json_object());

	set(o, "active_accounts", json_u64(p->active_accounts));
	set(o, "median_messages", json_figure(p->median_messages, 2));
	set(o, "mad_messages", json_figure(p->mad_messages, 2));
	set(o, "p99_messages", json_figure(p->p99_messages, 2));
	set(o, "median_domains", json_figure(p->median_domains, 2));
	set(o, "mad_domains", json_figure(p->mad_domains, 2));
	set(o, "p99_domains", json_figure(p->p99_domains, 2));
	set(o, "median_recipients_per_message",
	    json_figure(p->median_recipients_per_message, 2));
	set(o, "mad_recipients_per_message",
	    json_figure(p->mad_recipients_per_message, 2));
	set(o, "p99_recipients_per_message",
	    json_figure(p->p99_recipients_per_message, 2));
	set(o, "median_peak_hour_messages",
	    json_figure(p->median_peak_hour_messages, 2));
	set(o, "mad_peak_hour_messages",
	    json_figure(p->mad_peak_hour_messages, 2));
	set(o, "p99_peak_hour_messages",
	    json_figure(p->p99_peak_hour_messages, 2));
	set(o, "active_sasl_accounts", json_u64(p->active_sasl_accounts));
	set(o, "median_sasl_client_ips",
	    json_figure(p->median_sasl_client_ips, 2));
	set(o, "p99_sasl_client_ips", json_figure(p->p99_sasl_client_ips, 2));
	return o;
}

/* ---- accounts -------------------------------------------------- */

/*
 * An account is described once, through a struct report_emitter: the
 * tree emitter below builds report_account()'s object, a caller's may
 * write text as it goes.  The emit_* helpers make the same choices as
 * the json_* ones above (integers clamped, figures rounded, log text
 * repaired to UTF-8, times as ISO 8601 or null).
 */
struct emit {
	const struct report_emitter *em;
	void		*ctx;
};

static void
emit_object(const struct emit *e, const char *key)
{
	e->em->begin_object(e->ctx, key);
}

static void
emit_array(const struct emit *e, const char *key)
{
	e->em->begin_array(e->ctx, key);
}

static void
emit_end(const struct emit *e)
{
	e->em->end(e->ctx);
}

static void
emit_null(const struct emit *e, const char *key)
{
	e->em->null(e->ctx, key);
}

static void
emit_bool(const struct emit *e, const char *key, bool v)
{
	e->em->boolean(e->ctx, key, v);
}

/* emit_u64 - an unsigned counter (count_value()) */
static void
emit_u64(const struct emit *e, const char *key, uint64_t v)
{
	e->em->integer(e->ctx, key, count_value(v));
}

/* emit_figure - a computed figure, as json_figure() */
static void
emit_figure(const struct emit *e, const char *key, double x, int decimals)
{
	double	v = 0.0;

	switch (figure_form(x, decimals, &v)) {
	case FIGURE_INTEGER:
		e->em->integer(e->ctx, key, (json_int_t)v);
		return;
	case FIGURE_REAL:
		e->em->real(e->ctx, key, v);
		return;
	case FIGURE_NULL:
		break;
	}
	e->em->null(e->ctx, key);
}

/* emit_score - a score or points value, as json_score() */
static void
emit_score(const struct emit *e, const char *key, double x)
{
	if (isfinite(x))
		e->em->real(e->ctx, key, score_value(x));
	else
		e->em->null(e->ctx, key);
}

/* emit_name - one of the program's own ASCII names */
static void
emit_name(const struct emit *e, const char *key, const char *name)
{
	e->em->string(e->ctx, key, name, strlen(name));
}

/* emit_text - log text, as report_json_string(): null for NULL */
static void
emit_text(const struct emit *e, const char *key, const char *s)
{
	char	*fixed;
	size_t	 len;

	if (s == NULL) {
		e->em->null(e->ctx, key);
		return;
	}
	len = strlen(s);
	s = valid_text(s, &len, &fixed);
	e->em->string(e->ctx, key, s, len);
	free(fixed);
}

/* emit_text_or_null - log text, or null when it is empty */
static void
emit_text_or_null(const struct emit *e, const char *key, const char *s)
{
	if (s[0] != '\0')
		emit_text(e, key, s);
	else
		e->em->null(e->ctx, key);
}

/* emit_time - as json_time() */
static void
emit_time(const struct emit *e, const char *key, int64_t sec)
{
	char	buf[CIVIL_ISO_SIZE];

	if (civil_iso(sec, buf))
		e->em->string(e->ctx, key, buf, CIVIL_ISO_SIZE - 1);
	else
		e->em->null(e->ctx, key);
}

/* emit_seconds - as json_seconds() */
static void
emit_seconds(const struct emit *e, const char *key, int64_t sec)
{
	if (unset_time(sec))
		e->em->null(e->ctx, key);
	else
		e->em->integer(e->ctx, key, (json_int_t)sec);
}

/* emit_bound - a validity bound, as json_bound() */
static void
emit_bound(const struct emit *e, const char *key, int64_t sec)
{
	if (unset_time(sec))
		e->em->null(e->ctx, key);
	else
		emit_time(e, key, sec);
}

/* features_object - every number of struct account_features by name */
static void
features_object(const struct emit *e, const struct account_features *f)
{
	int	 i;

	emit_object(e, "features");
	emit_u64(e, "messages", f->messages);
	emit_u64(e, "recipients", f->recipients);
	emit_u64(e, "distinct_recipients", f->distinct_recipients);
	emit_u64(e, "distinct_domains", f->distinct_domains);
	emit_u64(e, "sent", f->sent);
	emit_u64(e, "bounced", f->bounced);
	emit_u64(e, "deferred", f->deferred);
	emit_u64(e, "expired", f->expired);
	emit_u64(e, "deferral_attempts", f->deferral_attempts);
	emit_object(e, "remote_rejections");
	for (i = 0; i < RESPONSE_CLASS_COUNT; i++)
		emit_u64(e, response_class_name((enum response_class)i),
		    f->remote_rejections[i]);
	emit_end(e);
	emit_u64(e, "local_rejections", f->local_rejections);
	emit_u64(e, "distinct_senders", f->distinct_senders);
	emit_u64(e, "distinct_client_ips", f->distinct_client_ips);
	emit_u64(e, "auth_failures", f->auth_failures);
	emit_u64(e, "incomplete_messages", f->incomplete_messages);
	emit_u64(e, "size_bytes", f->size_bytes);
	emit_array(e, "messages_by_hour");
	for (i = 0; i < 24; i++)
		emit_u64(e, NULL, f->messages_by_hour[i]);
	emit_end(e);
	emit_u64(e, "peak_hour_messages", f->peak_hour_messages);
	emit_u64(e, "peak_hour_recipients", f->peak_hour_recipients);
	emit_u64(e, "max_message_recipients", f->max_message_recipients);
	emit_u64(e, "repeated_recipients", f->repeated_recipients);
	emit_u64(e, "distinct_sender_domains", f->distinct_sender_domains);
	emit_u64(e, "message_ids_added", f->message_ids_added);
	emit_u64(e, "peak_minute_messages", f->peak_minute_messages);
	emit_u64(e, "peak_10min_messages", f->peak_10min_messages);
	emit_u64(e, "sized_messages", f->sized_messages);
	if (f->size_cv >= 0.0)
		emit_figure(e, "size_cv", f->size_cv, 3);
	else
		emit_null(e, "size_cv");
	emit_u64(e, "helo_records", f->helo_records);
	emit_u64(e, "helo_ip_literals", f->helo_ip_literals);
	emit_u64(e, "helo_random", f->helo_random);
	emit_u64(e, "helo_changes", f->helo_changes);
	emit_u64(e, "distinct_client_networks", f->distinct_client_networks);
	emit_u64(e, "logins_after_failures", f->logins_after_failures);
	emit_u64(e, "local_rate_limits", f->local_rate_limits);
	emit_seconds(e, "first_seen_sec", f->first_seen_sec);
	emit_seconds(e, "last_seen_sec", f->last_seen_sec);
	emit_end(e);
}

/* reasons_array - the contributions, largest first */
static void
reasons_array(const struct emit *e, const struct score *s)
{
	size_t	 i;

	emit_array(e, "reasons");
	for (i = 0; i < s->count; i++) {
		const struct contribution *c = &s->contributions[i];

		emit_object(e, NULL);
		emit_name(e, "feature", c->feature);
		emit_figure(e, "value", c->value, 4);
		emit_figure(e, "reference", c->reference, 4);
		emit_name(e, "comparison", c->comparison);
		emit_score(e, "points", c->points);
		emit_text(e, "text", c->reason);
		emit_end(e);
	}
	emit_end(e);
}

/*
 * top_list - key: [{name_key: name, count_key: n, "estimated": bool}]
 * from one of the account_busiest_* functions
 */
static void
top_list(const struct emit *e, const char *key, const struct account *acct,
    size_t (*top)(const struct account *, const char **, uint64_t *, bool *,
    size_t), const char *name_key, const char *count_key)
{
	const char	*names[EVIDENCE_TOP];
	uint64_t	 counts[EVIDENCE_TOP];
	bool		 estimated[EVIDENCE_TOP];
	size_t		 i, n;

	n = top(acct, names, counts, estimated, EVIDENCE_TOP);
	emit_array(e, key);
	for (i = 0; i < n && i < EVIDENCE_TOP; i++) {
		emit_object(e, NULL);
		emit_text(e, name_key, names[i]);
		emit_u64(e, count_key, counts[i]);
		emit_bool(e, "estimated", estimated[i]);
		emit_end(e);
	}
	emit_end(e);
}

/* refusals_array - the earliest refusals and failed logins */
static void
refusals_array(const struct emit *e, const struct account *acct)
{
	struct account_refusal refusals[ACCOUNT_MAX_REFUSALS];
	size_t	 i, n;

	n = account_refusals(acct, refusals, ACCOUNT_MAX_REFUSALS);
	emit_array(e, "refusals");
	for (i = 0; i < n && i < ACCOUNT_MAX_REFUSALS; i++) {
		const struct account_refusal *r = &refusals[i];

		emit_object(e, NULL);
		emit_time(e, "time", r->time_sec);
		emit_text(e, "relay", r->host);
		emit_text_or_null(e, "client_ip", r->client);
		emit_text_or_null(e, "command", r->command);
		emit_text_or_null(e, "sender", r->sender);
		emit_text_or_null(e, "recipient", r->recipient);
		emit_text_or_null(e, "username", r->username);
		emit_text_or_null(e, "text", r->text);
		emit_end(e);
	}
	emit_end(e);
}

/*
 * remote_array - the earliest refusals by remote servers of each
 * class, in time order
 */
static void
remote_array(const struct emit *e, const struct account *acct)
{
	struct account_remote_rejection rej[ACCOUNT_MAX_REMOTE_REJECTIONS];
	size_t	 i, n;

	n = account_remote_rejections(acct, rej,
	    ACCOUNT_MAX_REMOTE_REJECTIONS);
	emit_array(e, "remote_rejections");
	for (i = 0; i < n && i < ACCOUNT_MAX_REMOTE_REJECTIONS; i++) {
		const struct account_remote_rejection *r = &rej[i];

		emit_object(e, NULL);
		emit_time(e, "time", r->time_sec);
		emit_text(e, "relay", r->host);
		emit_text_or_null(e, "queue_id", r->queue_id);
		emit_text_or_null(e, "sender", r->sender);
		emit_text_or_null(e, "recipient", r->recipient);
		emit_name(e, "class", response_class_name(r->class));
		emit_name(e, "outcome", delivery_status_name(r->outcome));
		emit_text_or_null(e, "dsn", r->dsn);
		emit_text_or_null(e, "reply", r->reply);
		emit_end(e);
	}
	emit_end(e);
}

/* evidence_object - where an analyst starts looking */
static void
evidence_object(const struct emit *e, const struct account *acct,
    const struct account_features *f)
{
	struct account_sample samples[ACCOUNT_MAX_SAMPLES];
	size_t	 i, n;

	emit_object(e, "evidence");
	emit_time(e, "first_seen", f->first_seen_sec);
	emit_time(e, "last_seen", f->last_seen_sec);
	top_list(e, "client_ips", acct, account_busiest_client_ips, "ip",
	    "messages");
	top_list(e, "senders", acct, account_busiest_senders, "sender",
	    "messages");
	top_list(e, "top_recipient_domains", acct, account_busiest_domains,
	    "domain", "recipients");
	n = account_samples(acct, samples, ACCOUNT_MAX_SAMPLES);
	emit_array(e, "samples");
	for (i = 0; i < n && i < ACCOUNT_MAX_SAMPLES; i++) {
		const struct account_sample *sm = &samples[i];

		emit_object(e, NULL);
		emit_time(e, "time", sm->time_sec);
		emit_text(e, "relay", sm->host);
		emit_text_or_null(e, "client_ip", sm->client);
		emit_text(e, "queue_id", sm->queue_id);
		emit_text(e, "message_id", sm->message_id);
		emit_text(e, "sender", sm->sender);
		emit_text(e, "recipient", sm->first_recipient);
		emit_end(e);
	}
	emit_end(e);
	refusals_array(e, acct);
	remote_array(e, acct);
	emit_end(e);
}

/*
 * window_day - "YYYY-MM-DD", the local day (the zone of the report's
 * window.time_zone) of the window's first time, or "" when the window
 * has no time (first_seen null).  The local day, not the UTC one: a
 * daily run with --since yesterday reads a local day, whose first line
 * may fall on the UTC day before.
 */
static void
window_day(int64_t first, const json_t *first_seen, char day[11])
{
	time_t		 t = (time_t)first;
	struct tm	 tm;

	day[0] = '\0';
	if (!json_is_string(first_seen) || (int64_t)t != first ||
	    localtime_r(&t, &tm) == NULL ||
	    strftime(day, 11, "%Y-%m-%d", &tm) != 10)
		day[0] = '\0';
}

/*
 * incident_id - "zs-" and 16 hex digits of hash_fingerprint() of
 * "kind:account:day".  The fingerprint's key is fixed, so the same
 * account in a window starting on the same day gets the same ID in
 * every run and a ticketing system can deduplicate on it.  The account
 * is hashed as logged: for valid UTF-8, which is what the report
 * prints, so that a consumer can recompute the ID from the report
 * alone (doc/report.md); a name with invalid bytes, printed repaired,
 * keeps an ID of its own.
 */
static void
incident_id(enum account_kind kind, const char *name, const char *day,
    char id[INCIDENT_ID_SIZE])
{
	const char	*kind_name = account_kind_name(kind);
	size_t		 kind_len = strlen(kind_name);
	size_t		 name_len = strlen(name);
	size_t		 day_len = strlen(day), len;
	char		*key;

	len = kind_len + 1 + name_len + 1 + day_len;
	key = xmalloc(len);
	memcpy(key, kind_name, kind_len);
	key[kind_len] = ':';
	memcpy(key + kind_len + 1, name, name_len);
	key[kind_len + 1 + name_len] = ':';
	memcpy(key + kind_len + 1 + name_len + 1, day, day_len);
	snprintf(id, INCIDENT_ID_SIZE, "zs-%016" PRIx64,
	    hash_fingerprint(key, len));
	free(key);
}

/*
 * baseline_object - the account's own history as the run found it
 * (analysis/state.h), or null when the state holds none
 */
static void
baseline_object(const struct emit *e, const struct state *st,
    const struct ranked *r)
{
	struct state_baseline b;
	int		 h;

	if (!state_lookup(st, r->kind, r->key, &b)) {
		emit_null(e, "baseline");
		return;
	}
	emit_object(e, "baseline");
	emit_bool(e, "in_use", b.days_tracked >=
	    state_get_options(st)->min_history_days);
	emit_time(e, "first_seen", b.first_day * 86400);
	emit_time(e, "last_sent", b.last_seen_day * 86400);
	emit_u64(e, "days_tracked", b.days_tracked);
	emit_u64(e, "days_active", b.days_active);
	emit_figure(e, "messages_per_day", b.messages, 2);
	emit_figure(e, "recipients_per_day", b.recipients, 2);
	emit_figure(e, "distinct_recipients_per_day", b.distinct_recipients,
	    2);
	emit_figure(e, "distinct_domains_per_day", b.distinct_domains, 2);
	/* The hours holding at least 5% of its mail: its usual hours. */
	emit_array(e, "usual_hours");
	for (h = 0; h < 24; h++)
		if (b.hour_share[h] >= 13)
			emit_u64(e, NULL, (uint64_t)h);
	emit_end(e);
	emit_end(e);
}

/* state_section - the baselines the run compared accounts with */
static json_t *
state_section(const struct state *st)
{
	const struct state_options *so = state_get_options(st);
	json_t		*o = checked(json_object());

	set(o, "as_of", state_as_of(st) > 0 ? json_time(state_as_of(st)) :
	    json_null());
	set(o, "accounts", json_u64(state_account_count(st)));
	set(o, "half_life_days", json_figure(so->half_life_days, 2));
	set(o, "prune_after_days", json_u64(so->prune_after_days));
	set(o, "min_history_days", json_u64(so->min_history_days));
	return o;
}

/*
 * account_object - one ranked account in full, open: the caller adds
 * the subscriber members, if any, and closes it
 */
static void
account_object(const struct emit *e, const struct scorer *sc,
    const struct ranked *r, size_t rank, const char *day)
{
	struct account_features f;
	struct score	 s;
	char		 id[INCIDENT_ID_SIZE];

	account_features(r->acct, &f);
	scorer_score(sc, r->acct, &s);
	incident_id(r->kind, r->key, day, id);
	emit_object(e, NULL);
	emit_u64(e, "rank", rank);
	emit_text(e, "account", r->key);
	emit_name(e, "kind", account_kind_name(r->kind));
	emit_name(e, "incident_id", id);
	emit_score(e, "score", s.score);
	emit_score(e, "raw_points", s.raw_points);
	emit_name(e, "verdict", verdict_name(s.verdict));
	if (s.allowlisted[0] != '\0')
		emit_text(e, "allowlisted", s.allowlisted);
	else
		emit_null(e, "allowlisted");
	features_object(e, &f);
	reasons_array(e, &s);
	evidence_object(e, r->acct, &f);
	if (scorer_state(sc) != NULL)
		baseline_object(e, scorer_state(sc), r);
}

/* ---- subscribers (--subscribers) -------------------------------- */

/* subscriber_kind_of - the table's kind for an account kind; false: none */
static bool
subscriber_kind_of(enum account_kind kind, enum subscriber_kind *out)
{
	switch (kind) {
	case ACCOUNT_SASL:
		*out = SUBSCRIBER_LOGIN;
		return true;
	case ACCOUNT_IP:
		*out = SUBSCRIBER_IP;
		return true;
	case ACCOUNT_LOCAL:
		break;
	}
	return false;
}

/* json_bound - a validity bound as ISO 8601, null when open */
static json_t *
json_bound(int64_t sec)
{
	if (unset_time(sec))
		return checked(json_null());
	return json_time(sec);
}

/*
 * add_subscriber_members - subscriber_id (the best match, or null) and
 * subscriber_matches (every matching row, best first, at most
 * SUBSCRIBER_MATCHES_MAX) for one listed account
 */
static void
add_subscriber_members(const struct emit *e, const struct subscribers *subs,
    const struct ranked *r)
{
	struct subscriber_match m[SUBSCRIBER_MATCHES_MAX];
	enum subscriber_kind kind;
	size_t		 found = 0, i;

	if (subscriber_kind_of(r->kind, &kind))
		found = subscribers_lookup(subs, kind, r->key,
		    r->first_seen_sec, r->last_seen_sec, m,
		    SUBSCRIBER_MATCHES_MAX);
	if (found > SUBSCRIBER_MATCHES_MAX)
		found = SUBSCRIBER_MATCHES_MAX;
	if (found > 0)
		emit_text(e, "subscriber_id", m[0].subscriber_id);
	else
		emit_null(e, "subscriber_id");
	emit_array(e, "subscriber_matches");
	for (i = 0; i < found; i++) {
		emit_object(e, NULL);
		emit_text(e, "subscriber_id", m[i].subscriber_id);
		emit_text(e, "key", m[i].key);
		emit_bound(e, "valid_from", m[i].valid_from_sec);
		emit_bound(e, "valid_until", m[i].valid_until_sec);
		emit_u64(e, "line", m[i].line);
		emit_end(e);
	}
	emit_end(e);
}

/* The accounts of one subscriber, as indices into the ranking. */
struct subscriber_group {
	size_t		*members;
	size_t		 count, cap;
	bool		 shown;
};

/* group_free - strmap value destructor */
static void
group_free(void *p)
{
	struct subscriber_group *g = p;

	if (g != NULL)
		free(g->members);
	free(g);
}

/*
 * subscribers_section - the table's name and health (rows, bad rows
 * with line numbers), and the subscribers of the listed accounts in
 * rank order, each with every account of theirs, listed or not
 */
static json_t *
subscribers_section(const struct report_input *in, const struct ranked *ranked,
    size_t n)
{
	struct strmap	*by_id = strmap_new(group_free);
	struct subscriber_group *g;
	json_t		*o = checked(json_object());
	json_t		*bad = checked(json_array());
	json_t		*groups = checked(json_array());
	const char	*why;
	void		**slot;
	bool		 created;
	size_t		 i, j, line, matched = 0;

	set(o, "file", json_text(in->subscribers_file));
	set(o, "rows", json_u64(subscribers_count(in->subscribers)));
	set(o, "bad_rows", json_u64(subscribers_bad_count(in->subscribers)));
	for (i = 0; (why = subscribers_bad_row(in->subscribers, i, &line)) !=
	    NULL; i++) {
		json_t	*e = checked(json_object());

		set(e, "line", json_u64(line));
		set(e, "error", json_text(why));
		append(bad, e);
	}
	set(o, "bad_row_samples", bad);

	for (i = 0; i < n; i++) {
		if (ranked[i].subscriber_id == NULL)
			continue;
		matched++;
		slot = strmap_slot(by_id, ranked[i].subscriber_id,
		    strlen(ranked[i].subscriber_id), &created);
		if (created)
			*slot = xcalloc(1, sizeof(struct subscriber_group));
		g = *slot;
		if (g->count == g->cap) {
			g->cap = g->cap > 0 ? g->cap * 2 : 4;
			g->members = xreallocarray(g->members, g->cap,
			    sizeof(*g->members));
		}
		g->members[g->count++] = i;
	}
	set(o, "accounts_matched", json_u64(matched));
	for (i = 0; i < n; i++) {
		json_t	*e, *list;

		if (ranked[i].rank == 0 || ranked[i].subscriber_id == NULL)
			continue;
		g = strmap_get(by_id, ranked[i].subscriber_id,
		    strlen(ranked[i].subscriber_id));
		if (g == NULL || g->shown)
			continue;
		g->shown = true;
		e = checked(json_object());
		list = checked(json_array());
		set(e, "subscriber_id", json_text(ranked[i].subscriber_id));
		for (j = 0; j < g->count; j++) {
			const struct ranked *r = &ranked[g->members[j]];
			json_t	*a = checked(json_object());

			set(a, "account", json_text(r->key));
			set(a, "kind", json_string(account_kind_name(r->kind)));
			set(a, "rank", r->rank > 0 ? json_u64(r->rank) :
			    checked(json_null()));
			set(a, "score", json_score(r->score));
			set(a, "verdict", json_string(verdict_name(
			    r->verdict)));
			append(list, a);
		}
		set(e, "accounts", list);
		append(groups, e);
	}
	set(o, "groups", groups);
	strmap_free(by_id);
	return o;
}

/*
 * ranked_compare - score descending, then raw points descending (the
 * score is rounded), messages descending, kind, key: a total order
 * (kind and key identify an account)
 */
static int
ranked_compare(const void *pa, const void *pb)
{
	const struct ranked *a = pa, *b = pb;

	if (a->score != b->score)
		return a->score > b->score ? -1 : 1;
	if (a->raw_points != b->raw_points)
		return a->raw_points > b->raw_points ? -1 : 1;
	if (a->messages != b->messages)
		return a->messages > b->messages ? -1 : 1;
	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	return strcmp(a->key, b->key);
}

/* A report being written (report.h). */
struct report {
	const struct subscribers *subscribers;
	const struct scorer *sc;
	struct scorer	*own_scorer;	/* sc when none was given */
	struct ranked	*ranked;	/* every account, in rank order */
	size_t		*listed;	/* indices into ranked, by rank */
	size_t		 listed_count;
	char		 day[11];	/* window_day() of the head */
	json_t		*head;
};

/* report_open - rank everything, list the accounts, build the head */
struct report *
report_open(const struct report_input *in, const struct report_options *opts)
{
	static const struct report_options no_options = { 0, 0.0 };
	struct source_stats empty_source;
	struct correlator_stats empty_corr;
	struct aggregator_stats empty_agg;
	const struct source_stats *total = in->total;
	const struct correlator_stats *corr = in->correlation;
	const struct aggregator_stats *astats;
	const struct account *acct;
	struct report	*r = xcalloc(1, sizeof(*r));
	struct ranked	*ranked = NULL;
	struct score	 s;
	struct subscriber_match best;
	enum subscriber_kind skind;
	json_t		*doc, *o;
	size_t		 n = 0, cap, pos = 0, i, listed = 0;
	uint64_t	 verdicts[3] = { 0, 0, 0 };

	if (opts == NULL)
		opts = &no_options;
	if (total == NULL) {
		source_stats_init(&empty_source);
		total = &empty_source;
	}
	if (corr == NULL) {
		memset(&empty_corr, 0, sizeof(empty_corr));
		corr = &empty_corr;
	}
	memset(&empty_agg, 0, sizeof(empty_agg));
	astats = in->aggregator != NULL ? aggregator_stats(in->aggregator) :
	    &empty_agg;
	r->subscribers = in->subscribers;
	r->sc = in->scorer;
	if (r->sc == NULL) {
		r->own_scorer = scorer_new(NULL);
		scorer_fit(r->own_scorer, in->aggregator);
		r->sc = r->own_scorer;
	}

	/* Score everything once, cheaply, to count verdicts and rank. */
	cap = in->aggregator != NULL ?
	    aggregator_account_count(in->aggregator) : 0;
	if (cap > 0)
		ranked = xcalloc(cap, sizeof(*ranked));
	while (n < cap && aggregator_next(in->aggregator, &pos, &acct)) {
		struct account_features f;
		struct ranked *rk = &ranked[n++];

		account_features(acct, &f);
		rk->acct = acct;
		rk->key = account_key(acct);
		rk->kind = account_kind(acct);
		rk->messages = f.messages;
		scorer_score(r->sc, acct, &s);
		rk->score = s.score;
		rk->raw_points = s.raw_points;
		rk->verdict = s.verdict;
		rk->first_seen_sec = f.first_seen_sec;
		rk->last_seen_sec = f.last_seen_sec;
		if (in->subscribers != NULL && subscriber_kind_of(rk->kind,
		    &skind) && subscribers_lookup(in->subscribers, skind,
		    rk->key, f.first_seen_sec, f.last_seen_sec, &best, 1) > 0)
			rk->subscriber_id = best.subscriber_id;
		if ((unsigned)s.verdict < 3)
			verdicts[s.verdict]++;
	}
	if (n > 1)
		qsort(ranked, n, sizeof(*ranked), ranked_compare);
	r->ranked = ranked;

	/*
	 * Rank the listed accounts now: the subscribers section, which
	 * precedes the accounts, shows each account's rank.
	 */
	if (n > 0)
		r->listed = xcalloc(n, sizeof(*r->listed));
	for (i = 0; i < n; i++) {
		/* min_score filters first, then top limits what is left. */
		if (opts->min_score > 0.0 && ranked[i].score < opts->min_score)
			continue;
		if (opts->top > 0 && listed >= opts->top)
			break;
		r->listed[listed++] = i;
		ranked[i].rank = listed;
	}
	r->listed_count = listed;

	doc = checked(json_object());
	set(doc, "schema_version", json_string(REPORT_SCHEMA_VERSION));
	o = checked(json_object());
	set(o, "name", json_string(PACKAGE));
	set(o, "version", json_string(PACKAGE_VERSION));
	set(doc, "generator", o);
	set(doc, "generated_at", json_time((int64_t)in->generated_at));
	o = checked(json_object());
	set(o, "first_seen", json_time(total->first_time_sec));
	set(o, "last_seen", json_time(total->last_time_sec));
	if (in->window) {
		set(o, "since", json_bound(in->since_sec));
		set(o, "until", json_bound(in->until_sec));
	}
	set(o, "time_zone", zone_object(total->first_time_sec <=
	    total->last_time_sec ? total->first_time_sec :
	    (int64_t)in->generated_at));
	window_day(total->first_time_sec, json_object_get(o, "first_seen"),
	    r->day);
	set(doc, "window", o);
	set(doc, "input", input_section(in, total));
	set(doc, "correlation", correlation_section(corr));
	set(doc, "attribution", attribution_section(astats,
	    in->aggregator != NULL ?
	    aggregator_accounts_dropped(in->aggregator) : 0));
	set(doc, "scoring", scoring_section(scorer_config(r->sc), opts));
	set(doc, "population", population_section(scorer_population(r->sc)));
	if (scorer_state(r->sc) != NULL)
		set(doc, "state", state_section(scorer_state(r->sc)));
	o = checked(json_object());
	set(o, "accounts", json_u64(n));
	set(o, "likely_zombie", json_u64(verdicts[VERDICT_LIKELY_ZOMBIE]));
	set(o, "suspicious", json_u64(verdicts[VERDICT_SUSPICIOUS]));
	set(o, "normal", json_u64(verdicts[VERDICT_NORMAL]));
	set(o, "reported", json_u64(listed));
	set(doc, "summary", o);
	if (in->subscribers != NULL)
		set(doc, "subscribers", subscribers_section(in, ranked, n));
	r->head = doc;
	return r;
}

/* report_head - every member but the accounts; borrowed */
const json_t *
report_head(const struct report *r)
{
	return r->head;
}

/* report_count - the number of listed accounts */
size_t
report_count(const struct report *r)
{
	return r->listed_count;
}

/* report_listed_with - see report.h */
size_t
report_listed_with(const struct report *r, enum verdict v)
{
	size_t	i, n = 0;

	for (i = 0; i < r->listed_count; i++)
		if (r->ranked[r->listed[i]].verdict == v)
			n++;
	return n;
}

/* report_account_emit - see report.h */
bool
report_account_emit(const struct report *r, size_t i,
    const struct report_emitter *em, void *ctx)
{
	const struct emit e = { em, ctx };
	const struct ranked *rk;

	if (i >= r->listed_count)
		return false;
	rk = &r->ranked[r->listed[i]];
	account_object(&e, r->sc, rk, rk->rank, r->day);
	if (r->subscribers != NULL)
		add_subscriber_members(&e, r->subscribers, rk);
	emit_end(&e);
	return true;
}

/*
 * The tree emitter: each value made with jansson and added to the open
 * container (an object by its key, an array at its end); the first
 * value is the root.  The containers are borrowed from their parents.
 */
#define TREE_DEPTH_MAX	16	/* an account nests four deep */

struct tree {
	json_t		*open[TREE_DEPTH_MAX];
	size_t		 depth;
	json_t		*root;
};

static void
tree_add(struct tree *t, const char *key, json_t *v)
{
	json_t	*top;

	checked(v);
	if (t->depth == 0) {
		assert(t->root == NULL);
		t->root = v;
		return;
	}
	top = t->open[t->depth - 1];
	if (json_is_object(top))
		set(top, key, v);
	else
		append(top, v);
}

static void
tree_open(struct tree *t, const char *key, json_t *v)
{
	tree_add(t, key, v);
	assert(t->depth < TREE_DEPTH_MAX);
	t->open[t->depth++] = v;
}

static void
tree_begin_object(void *ctx, const char *key)
{
	tree_open(ctx, key, json_object());
}

static void
tree_begin_array(void *ctx, const char *key)
{
	tree_open(ctx, key, json_array());
}

static void
tree_end(void *ctx)
{
	struct tree *t = ctx;

	assert(t->depth > 0);
	t->depth--;
}

static void
tree_integer(void *ctx, const char *key, json_int_t v)
{
	tree_add(ctx, key, json_integer(v));
}

static void
tree_real(void *ctx, const char *key, double v)
{
	tree_add(ctx, key, json_real(v));
}

static void
tree_string(void *ctx, const char *key, const char *s, size_t len)
{
	/* The emitter's strings are valid UTF-8 without NUL bytes. */
	tree_add(ctx, key, json_stringn_nocheck(s, len));
}

static void
tree_null(void *ctx, const char *key)
{
	tree_add(ctx, key, json_null());
}

static void
tree_boolean(void *ctx, const char *key, bool v)
{
	tree_add(ctx, key, json_boolean(v));
}

static const struct report_emitter tree_emitter = {
	tree_begin_object, tree_begin_array, tree_end, tree_integer,
	tree_real, tree_string, tree_null, tree_boolean
};

/* report_account - one listed account's object, built now */
json_t *
report_account(const struct report *r, size_t i)
{
	struct tree	 t = { { NULL }, 0, NULL };

	if (!report_account_emit(r, i, &tree_emitter, &t))
		return NULL;
	assert(t.depth == 0);
	return t.root;
}

/* report_free - release the ranking and the head */
void
report_free(struct report *r)
{
	if (r == NULL)
		return;
	json_decref(r->head);
	free(r->listed);
	free(r->ranked);
	scorer_free(r->own_scorer);
	free(r);
}

/* report_build - the whole report: the head, then every account */
json_t *
report_build(const struct report_input *in, const struct report_options *opts)
{
	struct report	*r = report_open(in, opts);
	json_t		*doc, *accounts;
	size_t		 i;

	/* A shallow copy: the members are shared, and the report's go. */
	doc = checked(json_copy(r->head));
	accounts = checked(json_array());
	for (i = 0; i < r->listed_count; i++)
		append(accounts, report_account(r, i));
	set(doc, "accounts", accounts);
	report_free(r);
	return doc;
}

/* report_write - the document, indented, and a newline */
bool
report_write(const json_t *doc, FILE *out)
{
	/*
	 * Twelve significant digits print every figure the report rounds
	 * (scores to 0.1, rates to 0.0001) without binary noise such as
	 * 0.30000000000000004.
	 */
	if (json_dumpf(doc, out, REPORT_DUMP_FLAGS) != 0)
		return false;
	if (fputc('\n', out) == EOF)
		return false;
	/* Flush so that a full disk shows here, not at a later fclose. */
	if (fflush(out) == EOF)
		return false;
	return !ferror(out);
}
