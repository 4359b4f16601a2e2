/*
 * check_scorer - unit tests for analysis/scorer: each rule's points
 * and reason on hand-made features, the population statistics, and a
 * labelled population (ordinary users, newsletters, devices and three
 * kinds of zombie) built from hand-made message records through the
 * aggregator, where every zombie must outrank every legitimate
 * account.
 */
#include "config.h"

#include <check.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/aggregator.h"
#include "analysis/classify.h"
#include "analysis/message.h"
#include "analysis/scorer.h"
#include "util/cidr.h"
#include "tests/testutil.h"

/* Monday 2026-11-16 00:00:00 UTC; the tests run with TZ=UTC. */
#define T0	INT64_C(1794787200)

/* ---- helpers ----------------------------------------------------- */

/* find_contribution - the contribution of a feature, or NULL */
static const struct contribution *
find_contribution(const struct score *s, const char *feature)
{
	size_t	i;

	for (i = 0; i < s->count; i++)
		if (strcmp(s->contributions[i].feature, feature) == 0)
			return &s->contributions[i];
	return NULL;
}

/* check_invariants - what every score must satisfy */
static void
check_invariants(const struct score *s)
{
	double	sum = 0.0;
	size_t	i;

	ck_assert_uint_le(s->count, SCORE_MAX_CONTRIBUTIONS);
	for (i = 0; i < s->count; i++) {
		const struct contribution *c = &s->contributions[i];

		ck_assert(c->points > 0.0);
		ck_assert_ptr_nonnull(c->feature);
		ck_assert_ptr_nonnull(c->comparison);
		ck_assert_uint_gt(strlen(c->reason), 0);
		if (i > 0) {
			const struct contribution *p = &s->contributions[i - 1];

			ck_assert(p->points > c->points ||
			    (p->points == c->points &&
			    strcmp(p->feature, c->feature) < 0));
		}
		sum += c->points;
	}
	ck_assert_double_eq_tol(s->raw_points, sum, 0.051);
	ck_assert_double_eq_tol(s->score,
	    round(1000.0 * (1.0 - exp(-s->raw_points / 60.0))) / 10.0, 1e-9);
	ck_assert(s->score >= 0.0 && s->score <= 100.0);
}

/* ---- rules on hand-made features -------------------------------- */

static struct scorer *reference_scorer(const struct classifier *cls);

enum { KIND_SASL = ACCOUNT_SASL, KIND_IP = ACCOUNT_IP,
    KIND_LOCAL = ACCOUNT_LOCAL };

struct rule_case {
	const char	*name;
	int		 kind;
	uint64_t	 messages, recipients, sent, bounced;
	uint64_t	 unknown, spam, blocklist, reputation, rate_limit;
	uint64_t	 senders, ips, auth_failures, local_rejections;
	uint64_t	 night, day, deferral_attempts;
	const char	*feature;	/* expected to fire, or NULL: none */
	double		 points;
	const char	*reason;	/* substring of its reason */
};

/*
 * Each row fires exactly one rule (or none).  The scorer is fitted on a
 * reference population of 20 SASL accounts with 100 messages of two
 * recipients each, to ten domains, from one address (see
 * reference_scorer()): volume over 320 messages would fire.
 */
static const struct rule_case rule_cases[] = {
	{ "bounce 25%", KIND_SASL, 100, 1000, 750, 250, 0, 0, 0, 0, 0,
	    1, 1, 0, 0, 0, 0, 0, "bounce_rate", 15.0,
	    "25% of 1,000 recipients bounced (threshold 10%)" },
	{ "bounce 40% saturates", KIND_SASL, 100, 1000, 500, 500, 0, 0, 0,
	    0, 0, 1, 1, 0, 0, 0, 0, 0, "bounce_rate", 30.0, "50% of 1,000" },
	{ "bounce 9% is below", KIND_SASL, 100, 1000, 910, 90, 0, 0, 0, 0, 0,
	    1, 1, 0, 0, 0, 0, 0, NULL, 0, NULL },
	{ "4 bounces are too few", KIND_SASL, 10, 12, 8, 4, 4, 0, 0, 0, 0,
	    1, 1, 0, 0, 0, 0, 0, NULL, 0, NULL },
	{ "5 bounces are enough", KIND_SASL, 10, 12, 7, 5, 0, 0, 0, 0, 0,
	    1, 1, 0, 0, 0, 0, 0, "bounce_rate", 30.0,
	    "42% of 12 recipients bounced" },
	{ "5 unknown users are enough", KIND_SASL, 10, 50, 50, 0, 5, 0, 0,
	    0, 0, 1, 1, 0, 0, 0, 0, 0, "unknown_user_rate", 4.0,
	    "10% of 50 recipients (5) refused as unknown users" },
	{ "bounce over 9 recipients not judged", KIND_SASL, 9, 9, 4, 5, 0, 0,
	    0, 0, 0, 1, 1, 0, 0, 0, 0, 0, NULL, 0, NULL },
	{ "bounce below min_messages not judged", KIND_SASL, 4, 100, 50, 50,
	    0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, NULL, 0, NULL },
	{ "unknown users 15%", KIND_IP, 100, 1000, 1000, 0, 150, 0, 0, 0, 0,
	    1, 1, 0, 0, 0, 0, 0, "unknown_user_rate", 8.0,
	    "15% of 1,000 recipients (150) refused as unknown users" },
	{ "spam and blocklist", KIND_IP, 50, 100, 100, 0, 0, 3, 1, 0, 0,
	    1, 1, 0, 0, 0, 0, 0, "remote_spam_rejections", 26.0,
	    "4 recipients refused by remote servers: 3 as spam and 1 for a "
	    "blocklist listing (4% of 100 recipients; threshold 2 refusals "
	    "and 1%)" },
	{ "three classes, capped", KIND_IP, 100, 1000, 1000, 0, 0, 20, 10, 2,
	    0, 1, 1, 0, 0, 0, 0, 0, "remote_spam_rejections", 35.0,
	    "20 as spam, 10 for a blocklist listing and 2 for reputation" },
	{ "one spam refusal is noise", KIND_IP, 50, 20, 20, 0, 0, 1, 0, 0,
	    0, 1, 1, 0, 0, 0, 0, 0, NULL, 0, NULL },
	{ "spam refusals under 1%", KIND_IP, 200, 1000, 1000, 0, 0, 9, 0, 0,
	    0, 1, 1, 0, 0, 0, 0, 0, NULL, 0, NULL },
	{ "16 senders", KIND_IP, 50, 50, 50, 0, 0, 0, 0, 0, 0, 16, 1, 0, 0,
	    0, 0, 0, "distinct_senders", 24.0,
	    "16 distinct envelope senders (threshold 4)" },
	{ "3 senders", KIND_IP, 50, 50, 50, 0, 0, 0, 0, 0, 0, 3, 1, 0, 0, 0,
	    0, 0, NULL, 0, NULL },
	{ "local account senders ignored", KIND_LOCAL, 50, 50, 50, 0, 0, 0,
	    0, 0, 0, 16, 0, 0, 0, 0, 0, 0, NULL, 0, NULL },
	{ "16 client IPs", KIND_SASL, 50, 50, 50, 0, 0, 0, 0, 0, 0, 1, 16, 0,
	    0, 0, 0, 0, "distinct_client_ips", 24.0,
	    "SASL login used from 16 client IP addresses (threshold 4; "
	    "population median 1)" },
	{ "IP accounts have no logins", KIND_IP, 50, 50, 50, 0, 0, 0, 0, 0,
	    0, 1, 16, 0, 0, 0, 0, 0, NULL, 0, NULL },
	{ "3 client IPs", KIND_SASL, 50, 50, 50, 0, 0, 0, 0, 0, 0, 1, 3, 0,
	    0, 0, 0, 0, NULL, 0, NULL },
	{ "20 auth failures", KIND_SASL, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 20,
	    0, 0, 0, 0, "auth_failures", 10.0,
	    "20 failed SASL logins (threshold 5)" },
	{ "4 auth failures", KIND_SASL, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 4,
	    0, 0, 0, 0, NULL, 0, NULL },
	{ "12 local rejections", KIND_IP, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0,
	    12, 0, 0, 0, "local_rejections", 10.0,
	    "12 attempts refused by this relay (threshold 3)" },
	{ "night 90%", KIND_IP, 40, 40, 40, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 36,
	    4, 0, "night_fraction", 10.0,
	    "90% of 40 messages sent between 00:00 and 05:59" },
	{ "night 70%", KIND_IP, 40, 40, 40, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 28,
	    12, 0, "night_fraction", 5.0, "70% of 40 messages" },
	{ "night, too few messages", KIND_IP, 19, 19, 19, 0, 0, 0, 0, 0, 0, 1,
	    1, 0, 0, 19, 0, 0, NULL, 0, NULL },
	{ "volume", KIND_IP, 3200, 6400, 6400, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0,
	    0, 0, 0, "messages", 12.0,
	    "3,200 messages; population p99 is 100, median 100 "
	    "(robust z 3100.0)" },
	{ "volume under 3 * median + 20", KIND_IP, 320, 640, 640, 0, 0, 0, 0,
	    0, 0, 1, 1, 0, 0, 0, 0, 0, NULL, 0, NULL },
	{ "rate limits 11%", KIND_IP, 100, 1000, 1000, 0, 0, 0, 0, 0, 110, 1,
	    1, 0, 0, 0, 0, 0, "rate_limit_rate", 3.0,
	    "11% of 1,000 recipients met remote rate limits" },
	{ "deferrals", KIND_IP, 50, 100, 100, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0,
	    0, 175, "deferral_rate", 2.0,
	    "1.75 deferred delivery attempts per recipient" },
};

START_TEST(test_rule_cases)
{
	const struct rule_case *rc = &rule_cases[_i];
	struct account_features f;
	struct classifier *cls = classifier_new();
	struct scorer	*sc = reference_scorer(cls);
	struct score	 s;
	const struct contribution *c;

	memset(&f, 0, sizeof(f));
	f.messages = rc->messages;
	f.recipients = rc->recipients;
	f.distinct_recipients = rc->recipients;
	/* Every recipient mailed before (one_time_recipients has its own
	   cases). */
	f.repeated_recipients = rc->recipients;
	f.distinct_domains = rc->recipients > 10 ? 10 : rc->recipients;
	f.sent = rc->sent;
	f.bounced = rc->bounced;
	f.remote_rejections[RESPONSE_UNKNOWN_USER] = rc->unknown;
	f.remote_rejections[RESPONSE_SPAM] = rc->spam;
	f.remote_rejections[RESPONSE_BLOCKLIST] = rc->blocklist;
	f.remote_rejections[RESPONSE_REPUTATION] = rc->reputation;
	f.remote_rejections[RESPONSE_RATE_LIMIT] = rc->rate_limit;
	f.distinct_senders = rc->senders;
	f.distinct_client_ips = rc->ips;
	f.auth_failures = rc->auth_failures;
	f.local_rejections = rc->local_rejections;
	f.deferral_attempts = rc->deferral_attempts;
	if (rc->night + rc->day > 0) {
		f.messages_by_hour[3] = rc->night;
		f.messages_by_hour[14] = rc->day;
	} else
		f.messages_by_hour[14] = rc->messages;
	f.peak_hour_messages = 1;
	f.first_seen_sec = T0;
	f.last_seen_sec = T0 + 86400;

	scorer_score_features(sc, (enum account_kind)rc->kind, &f, &s);
	check_invariants(&s);
	if (rc->feature == NULL) {
		ck_assert_msg(s.count == 0, "%s: %s fired: %s", rc->name,
		    s.count > 0 ? s.contributions[0].feature : "",
		    s.count > 0 ? s.contributions[0].reason : "");
		ck_assert_double_eq(s.score, 0.0);
		ck_assert_int_eq(s.verdict, VERDICT_NORMAL);
	} else {
		ck_assert_msg(s.count == 1, "%s: %zu rules fired", rc->name,
		    s.count);
		c = find_contribution(&s, rc->feature);
		ck_assert_msg(c != NULL, "%s: %s did not fire", rc->name,
		    rc->feature);
		ck_assert_msg(fabs(c->points - rc->points) < 1e-9,
		    "%s: %g points, want %g", rc->name, c->points, rc->points);
		ck_assert_msg(strstr(c->reason, rc->reason) != NULL,
		    "%s: reason \"%s\" lacks \"%s\"", rc->name, c->reason,
		    rc->reason);
	}
	scorer_free(sc);
	classifier_free(cls);
}
END_TEST

/*
 * A rule's weight is always stated after its reason, whole, however
 * long the figures make the reason.
 */
START_TEST(test_reason_keeps_weight)
{
	struct account_features f;
	struct score_config cfg;
	struct scorer	*sc;
	struct score	 s;
	const struct contribution *c;
	size_t		 len;

	score_config_defaults(&cfg);
	cfg.rules[SCORE_RULE_REMOTE_SPAM_REJECTIONS].weight = 0.333;
	sc = scorer_new(&cfg);
	memset(&f, 0, sizeof(f));
	f.messages = UINT64_MAX / 4;
	f.recipients = UINT64_MAX / 2;
	f.bounced = UINT64_MAX / 2;
	f.remote_rejections[RESPONSE_SPAM] = UINT64_MAX / 8;
	f.remote_rejections[RESPONSE_BLOCKLIST] = UINT64_MAX / 8 + 1;
	f.remote_rejections[RESPONSE_REPUTATION] = UINT64_MAX / 8 + 2;
	scorer_score_features(sc, ACCOUNT_SASL, &f, &s);
	check_invariants(&s);
	c = find_contribution(&s, "remote_spam_rejections");
	ck_assert_ptr_nonnull(c);
	len = strlen(c->reason);
	ck_assert_uint_lt(len, sizeof(c->reason));
	ck_assert_msg(len > 14 &&
	    strcmp(c->reason + len - 14, "; weight 0.333") == 0,
	    "reason: %s", c->reason);
	scorer_free(sc);
}
END_TEST

/* The volume rules share a cap, and weight_scale multiplies points. */
START_TEST(test_volume_cap_and_weight)
{
	struct account_features f;
	struct classifier *cls = classifier_new();
	struct aggregator *agg = aggregator_new(cls);
	struct score_config cfg;
	struct scorer	*sc = scorer_new(NULL), *sc2;
	struct score	 s, s2;
	const struct contribution *c;
	size_t		 i;

	scorer_fit(sc, agg);
	memset(&f, 0, sizeof(f));
	f.messages = 2000;
	f.recipients = 2000;
	f.sent = 2000;
	f.distinct_domains = 2000;
	f.distinct_senders = 1;
	f.messages_by_hour[10] = 2000;
	f.peak_hour_messages = 1000;
	scorer_score_features(sc, ACCOUNT_SASL, &f, &s);
	check_invariants(&s);
	/* 12 + 12 + 10 points scaled into 24. */
	ck_assert_uint_eq(s.count, 3);
	ck_assert_double_eq_tol(s.raw_points, 24.0, 0.11);
	ck_assert_int_eq(s.verdict, VERDICT_NORMAL);
	c = find_contribution(&s, "messages");
	ck_assert_ptr_nonnull(c);
	ck_assert_double_eq_tol(c->points, 8.5, 1e-9);
	ck_assert_ptr_nonnull(strstr(c->reason, "at most 24 points"));
	ck_assert_ptr_nonnull(find_contribution(&s, "distinct_domains"));
	ck_assert_ptr_nonnull(find_contribution(&s, "peak_hour_messages"));

	/*
	 * A bulk sender at every volume maximum, throttled and deferred
	 * too (12 + 12 + 10 + 6 + 4 = 44 points), still gets 24 at most:
	 * volume alone never makes an account suspicious.
	 */
	f.remote_rejections[RESPONSE_RATE_LIMIT] = 400;
	f.deferred = 400;
	f.sent = 1600;
	f.deferral_attempts = 6000;
	scorer_score_features(sc, ACCOUNT_SASL, &f, &s);
	check_invariants(&s);
	ck_assert_uint_eq(s.count, 5);
	ck_assert_double_eq_tol(s.raw_points, 24.0, 0.21);
	ck_assert_int_eq(s.verdict, VERDICT_NORMAL);
	ck_assert(s.score < 40.0);
	ck_assert_double_eq_tol(find_contribution(&s, "messages")->points,
	    6.5, 1e-9);
	ck_assert_double_eq_tol(find_contribution(&s,
	    "rate_limit_rate")->points, 3.3, 1e-9);
	f.remote_rejections[RESPONSE_RATE_LIMIT] = 0;
	f.deferred = 0;
	f.sent = 2000;
	f.deferral_attempts = 0;
	scorer_score_features(sc, ACCOUNT_SASL, &f, &s);

	/* Twice the weight: every contribution doubles. */
	score_config_defaults(&cfg);
	cfg.weight_scale = 2.0;
	sc2 = scorer_new(&cfg);
	scorer_fit(sc2, agg);
	scorer_score_features(sc2, ACCOUNT_SASL, &f, &s2);
	check_invariants(&s2);
	ck_assert_uint_eq(s2.count, s.count);
	for (i = 0; i < s.count; i++) {
		ck_assert_str_eq(s2.contributions[i].feature,
		    s.contributions[i].feature);
		ck_assert_double_eq_tol(s2.contributions[i].points,
		    2.0 * s.contributions[i].points, 0.11);
	}
	ck_assert_double_eq(scorer_config(sc2)->weight_scale, 2.0);
	scorer_free(sc2);

	/* A scale that is not a number falls back to 1. */
	cfg.weight_scale = NAN;
	sc2 = scorer_new(&cfg);
	ck_assert_double_eq(scorer_config(sc2)->weight_scale, 1.0);
	scorer_free(sc2);
	scorer_free(sc);
	aggregator_free(agg);
	classifier_free(cls);
}
END_TEST

START_TEST(test_defaults_and_names)
{
	struct score_config cfg;

	score_config_defaults(&cfg);
	ck_assert_double_eq(cfg.likely_zombie_min, 70.0);
	ck_assert_double_eq(cfg.suspicious_min, 40.0);
	ck_assert_uint_eq(cfg.min_messages, 5);
	ck_assert_double_eq(cfg.weight_scale, 1.0);
	ck_assert_str_eq(verdict_name(VERDICT_NORMAL), "normal");
	ck_assert_str_eq(verdict_name(VERDICT_SUSPICIOUS), "suspicious");
	ck_assert_str_eq(verdict_name(VERDICT_LIKELY_ZOMBIE),
	    "likely_zombie");
	scorer_free(NULL);
}
END_TEST

/* The rule table: names, numbers and defaults a configuration sees. */
START_TEST(test_rule_table)
{
	static const char *const names[SCORE_RULE_COUNT] = {
		"bounce_rate", "unknown_user_rate", "remote_spam_rejections",
		"distinct_senders", "distinct_client_ips", "auth_failures",
		"local_rejections", "night_fraction", "logins_outside_isp",
		"messages", "distinct_domains", "recipients_per_message",
		"peak_hour_messages", "rate_limit_rate", "deferral_rate",
		"baseline_jump", "foreign_sender_domains",
		"one_time_recipients", "message_ids_added", "helo_anomalies",
		"local_rate_limits",
	};
	struct score_config cfg;
	const struct score_rule_info *info;
	enum score_rule	 rule;
	size_t		 i;

	score_config_defaults(&cfg);
	for (i = 0; i < SCORE_RULE_COUNT; i++) {
		info = score_rule_info((enum score_rule)i);
		ck_assert_ptr_nonnull(info);
		ck_assert_str_eq(info->name, names[i]);
		ck_assert(score_rule_from_name(names[i], &rule));
		ck_assert_int_eq(rule, (int)i);
		ck_assert(info->params == SCORE_PARAM_THRESHOLD ||
		    info->params == SCORE_PARAM_RAMP);
		ck_assert(memcmp(&cfg.rules[i], &info->defaults,
		    sizeof(cfg.rules[i])) == 0);
		ck_assert_double_eq(cfg.rules[i].weight, 1.0);
		if (info->params == SCORE_PARAM_THRESHOLD)
			ck_assert(cfg.rules[i].threshold >= info->min &&
			    cfg.rules[i].threshold <= info->max);
		else
			ck_assert(cfg.rules[i].lo >= info->min &&
			    cfg.rules[i].lo < cfg.rules[i].hi &&
			    cfg.rules[i].hi <= info->max);
	}
	ck_assert_ptr_null(score_rule_info(SCORE_RULE_COUNT));
	ck_assert(!score_rule_from_name("bounce_rat", &rule));
	ck_assert(!score_rule_from_name(NULL, &rule));
	/* The documented numbers. */
	ck_assert_double_eq(cfg.rules[SCORE_RULE_BOUNCE_RATE].lo, 0.10);
	ck_assert_double_eq(cfg.rules[SCORE_RULE_BOUNCE_RATE].hi, 0.40);
	ck_assert_double_eq(cfg.rules[SCORE_RULE_AUTH_FAILURES].threshold,
	    5.0);
	ck_assert_double_eq(cfg.rules[SCORE_RULE_PEAK_HOUR_MESSAGES].threshold,
	    100.0);
	ck_assert_double_eq(cfg.rules[SCORE_RULE_LOGINS_OUTSIDE_ISP].threshold,
	    3.0);
	ck_assert_ptr_null(cfg.allow_accounts);
	ck_assert_ptr_null(cfg.allow_ips);
	ck_assert_ptr_null(cfg.isp_networks);
}
END_TEST

/* score_config_check names the field; scorer_new falls back. */
START_TEST(test_config_check)
{
	struct score_config cfg;
	struct scorer	*sc;
	char		 err[200];

	score_config_defaults(&cfg);
	ck_assert(score_config_check(&cfg, err, sizeof(err)));
	cfg.rules[SCORE_RULE_NIGHT_FRACTION].lo = 0.95;
	ck_assert(!score_config_check(&cfg, err, sizeof(err)));
	ck_assert_str_eq(err, "rules.night_fraction: lo (0.95) must be below "
	    "hi (0.9)");
	/* The scorer takes the rule's defaults instead. */
	sc = scorer_new(&cfg);
	ck_assert_double_eq(scorer_config(sc)->rules[
	    SCORE_RULE_NIGHT_FRACTION].lo, 0.5);
	scorer_free(sc);

	score_config_defaults(&cfg);
	cfg.rules[SCORE_RULE_MESSAGES].threshold = NAN;
	ck_assert(!score_config_check(&cfg, err, sizeof(err)));
	ck_assert_str_eq(err, "rules.messages.threshold: nan is out of range "
	    "(1 to 1e+09)");
	sc = scorer_new(&cfg);
	ck_assert_double_eq(scorer_config(sc)->rules[
	    SCORE_RULE_MESSAGES].threshold, 20.0);
	scorer_free(sc);

	score_config_defaults(&cfg);
	cfg.rules[SCORE_RULE_DEFERRAL_RATE].weight = -1.0;
	ck_assert(!score_config_check(&cfg, NULL, 0));
	score_config_defaults(&cfg);
	cfg.suspicious_min = 75.0;
	ck_assert(!score_config_check(&cfg, err, sizeof(err)));
	ck_assert_str_eq(err, "suspicious_min: 75 is above likely_zombie_min "
	    "(70)");
	score_config_defaults(&cfg);
	cfg.min_messages = 0;
	ck_assert(!score_config_check(&cfg, err, sizeof(err)));
	ck_assert_str_eq(err, "min_messages: 0 is out of range (1 to "
	    "1000000000)");
	score_config_defaults(&cfg);
	cfg.weight_scale = 101.0;
	ck_assert(!score_config_check(&cfg, err, sizeof(err)));
	ck_assert_str_eq(err, "weight_scale: 101 is out of range (0 to 100)");
}
END_TEST

/* The scorer copies its lists: the caller's may go at once. */
START_TEST(test_config_lists_copied)
{
	struct score_config cfg;
	struct cidr_list *ips = cidr_list_new(), *isp = cidr_list_new();
	char		*accounts[2], *domains[1];
	struct scorer	*sc;
	const struct score_config *got;

	accounts[0] = strdup("Alice@ISP.example");
	accounts[1] = strdup("192.0.2.7");
	domains[0] = strdup("News.Example");
	ck_assert(cidr_list_add(ips, "192.0.2.0/24", NULL, 0));
	ck_assert(cidr_list_add(isp, "10.0.0.0/8", NULL, 0));
	score_config_defaults(&cfg);
	cfg.allow_accounts = (const char *const *)accounts;
	cfg.allow_account_count = 2;
	cfg.allow_sender_domains = (const char *const *)domains;
	cfg.allow_sender_domain_count = 1;
	cfg.allow_ips = ips;
	cfg.isp_networks = isp;
	sc = scorer_new(&cfg);
	free(accounts[0]);
	free(accounts[1]);
	free(domains[0]);
	cidr_list_free(ips);
	cidr_list_free(isp);

	got = scorer_config(sc);
	ck_assert_uint_eq(got->allow_account_count, 2);
	ck_assert_str_eq(got->allow_accounts[0], "alice@isp.example");
	ck_assert_str_eq(got->allow_accounts[1], "192.0.2.7");
	ck_assert_uint_eq(got->allow_sender_domain_count, 1);
	ck_assert_str_eq(got->allow_sender_domains[0], "news.example");
	ck_assert(cidr_list_contains(got->allow_ips, "192.0.2.99"));
	ck_assert(cidr_list_contains(got->isp_networks, "10.9.8.7"));
	scorer_free(sc);
}
END_TEST

/* Verdict thresholds come from the configuration. */
START_TEST(test_verdict_thresholds)
{
	struct account_features f;
	struct score_config cfg;
	struct scorer	*sc;
	struct score	 s;

	memset(&f, 0, sizeof(f));
	f.auth_failures = 20;		/* 10 points: score 15.4 */
	score_config_defaults(&cfg);
	sc = scorer_new(&cfg);
	scorer_score_features(sc, ACCOUNT_SASL, &f, &s);
	ck_assert_double_eq_tol(s.score, 15.4, 1e-9);
	ck_assert_int_eq(s.verdict, VERDICT_NORMAL);
	scorer_free(sc);
	cfg.suspicious_min = 15.0;
	sc = scorer_new(&cfg);
	scorer_score_features(sc, ACCOUNT_SASL, &f, &s);
	ck_assert_int_eq(s.verdict, VERDICT_SUSPICIOUS);
	scorer_free(sc);
	cfg.likely_zombie_min = 15.4;
	sc = scorer_new(&cfg);
	scorer_score_features(sc, ACCOUNT_SASL, &f, &s);
	ck_assert_int_eq(s.verdict, VERDICT_LIKELY_ZOMBIE);
	scorer_free(sc);
}
END_TEST

/* ---- message records through the aggregator -------------------- */

enum role { ORDINARY, NEWSLETTER, DEVICE, ZOMBIE };

/*
 * An account's behaviour.  Probabilities are per mille per recipient;
 * recipient outcomes are drawn from a fixed pseudo-random sequence, so
 * the population is the same in every run.
 */
struct account_spec {
	char		 name[64];
	enum account_kind kind;
	enum role	 role;
	unsigned	 messages, rcpt_per_msg;
	unsigned	 contacts;	/* distinct recipients; 0: all new */
	unsigned	 domains, senders, ips;
	unsigned	 hour_lo, hour_hi, days;
	unsigned	 p_unknown, p_spam, p_block, p_reputation, p_other;
	unsigned	 p_rate, p_defer;
	unsigned	 auth_failures, local_rejects;
};

/* Reply texts as receivers write them (see analysis/classify.c). */
static const char *const TEXT_SENT = "250 2.0.0 OK 1763712000 queued";
static const char *const TEXT_UNKNOWN = "550 5.1.1 <x@example.com>: "
    "Recipient address rejected: User unknown in virtual mailbox table";
static const char *const TEXT_SPAM = "550 5.7.1 Message rejected as spam "
    "by Content Filtering";
static const char *const TEXT_BLOCK = "554 5.7.1 Service unavailable; "
    "Client host [198.51.100.1] blocked using zen.spamhaus.org";
static const char *const TEXT_REPUTATION = "550 5.7.1 Rejected due to "
    "low sender reputation";
static const char *const TEXT_OTHER = "552 5.2.2 Mailbox full";
static const char *const TEXT_RATE = "421 4.7.0 Try again later, closing "
    "connection (rate limited)";

/* Writable copies for the char * fields of struct message. */
static char DSN_SENT[] = "2.0.0", DSN_UNKNOWN[] = "5.1.1";
static char DSN_POLICY[] = "5.7.1", DSN_FULL[] = "5.2.2";
static char DSN_RATE[] = "4.7.0", TRANSPORT_SMTP[] = "smtp";
static char METHOD_PLAIN[] = "PLAIN", STAGE_RCPT[] = "RCPT";
static char AUTH_TEXT[] = "535 5.7.8 Error: authentication failed";
static char RELAY_TEXT[] = "554 5.7.1 <victim@elsewhere.example>: "
    "Relay access denied";

/* mix - a fixed pseudo-random number from two integers (SplitMix64) */
static uint64_t
mix(uint64_t a, uint64_t b)
{
	uint64_t z = a * 0x9e3779b97f4a7c15ULL + b + 0x632be59bd9b4e5c9ULL;

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* client_ip - the j-th address an account connects from */
static void
client_ip(char *buf, size_t size, const struct account_spec *sp,
    unsigned idx, unsigned j)
{
	if (sp->kind == ACCOUNT_IP)
		snprintf(buf, size, "%s", sp->name);
	else
		snprintf(buf, size, "10.%u.%u.%u", idx % 250, (j / 250) % 250,
		    j % 250 + 1);
}

/* base_record - the fields every record of an account shares */
static void
base_record(struct message *m, const struct account_spec *sp, char *ip,
    char *sasl, char *host)
{
	memset(m, 0, sizeof(*m));
	m->host = host;
	m->uid = -1;
	m->origin = sp->kind == ACCOUNT_LOCAL ? ORIGIN_PICKUP : ORIGIN_SMTP;
	if (sp->kind == ACCOUNT_SASL) {
		m->sasl_username = sasl;
		m->sasl_method = METHOD_PLAIN;
	}
	if (sp->kind == ACCOUNT_LOCAL)
		m->uid = 1000;
	else
		m->client_ip = ip;
}

/* feed_account - every record of one account into agg */
static void
feed_account(struct aggregator *agg, const struct account_spec *sp,
    unsigned idx)
{
	struct recipient *r;
	struct message	 m;
	char		 ip[64], sasl[64], sender[96], qid[32], msgid[64];
	char		 host[] = "relay1";
	char		 (*addr)[64];
	unsigned	 hours = sp->hour_hi - sp->hour_lo + 1;
	unsigned	 i, j, day, slot;

	r = calloc(sp->rcpt_per_msg > 0 ? sp->rcpt_per_msg : 1, sizeof(*r));
	addr = calloc(sp->rcpt_per_msg > 0 ? sp->rcpt_per_msg : 1,
	    sizeof(*addr));
	ck_assert(r != NULL && addr != NULL);
	snprintf(sasl, sizeof(sasl), "%s", sp->name);
	for (i = 0; i < sp->messages; i++) {
		int64_t	t;

		day = i % sp->days;
		slot = i / sp->days;
		t = T0 + (int64_t)day * 86400 +
		    (int64_t)(sp->hour_lo + slot % hours) * 3600 +
		    (int64_t)((slot / hours) % 60) * 60 + i % 60;
		client_ip(ip, sizeof(ip), sp, idx, i % sp->ips);
		base_record(&m, sp, ip, sasl, host);
		if (sp->kind == ACCOUNT_LOCAL || sp->senders <= 1)
			snprintf(sender, sizeof(sender), "%s%s", sp->name,
			    strchr(sp->name, '@') != NULL ? "" :
			    "@customer.example");
		else
			snprintf(sender, sizeof(sender),
			    "x%u@forged%u.example", i % sp->senders,
			    i % sp->senders);
		snprintf(qid, sizeof(qid), "%02X%06X", idx, i);
		snprintf(msgid, sizeof(msgid), "%u.%u@client.example", idx,
		    i);
		m.kind = RECORD_MESSAGE;
		m.queue_id = qid;
		m.sender = sender;
		m.message_id = msgid;
		m.size_bytes = 4000;
		m.nrcpt = sp->rcpt_per_msg;
		m.first_sec = t;
		m.last_sec = t + 2;
		m.is_complete = true;
		for (j = 0; j < sp->rcpt_per_msg; j++) {
			unsigned k = i * sp->rcpt_per_msg + j;
			unsigned c = sp->contacts > 0 ? k % sp->contacts : k;
			unsigned roll = (unsigned)(mix(idx, k) % 1000);
			unsigned edge = 0;

			snprintf(addr[j], sizeof(addr[j]), "c%u@d%u.example",
			    c, c % sp->domains);
			memset(&r[j], 0, sizeof(r[j]));
			r[j].address = addr[j];
			r[j].transport = TRANSPORT_SMTP;
			r[j].time_sec = t + 1;
			r[j].status = DELIVERY_SENT;
			r[j].response = (char *)TEXT_SENT;
			r[j].dsn = DSN_SENT;
#define OUTCOME(p, st, text, d)						\
			if (roll >= edge && roll < edge + (p)) {	\
				r[j].status = (st);			\
				r[j].response = (char *)(text);		\
				r[j].dsn = (d);				\
			}						\
			edge += (p);
			OUTCOME(sp->p_unknown, DELIVERY_BOUNCED, TEXT_UNKNOWN,
			    DSN_UNKNOWN)
			OUTCOME(sp->p_spam, DELIVERY_BOUNCED, TEXT_SPAM,
			    DSN_POLICY)
			OUTCOME(sp->p_block, DELIVERY_BOUNCED, TEXT_BLOCK,
			    DSN_POLICY)
			OUTCOME(sp->p_reputation, DELIVERY_BOUNCED,
			    TEXT_REPUTATION, DSN_POLICY)
			OUTCOME(sp->p_other, DELIVERY_BOUNCED, TEXT_OTHER,
			    DSN_FULL)
			OUTCOME(sp->p_rate, DELIVERY_DEFERRED, TEXT_RATE,
			    DSN_RATE)
#undef OUTCOME
			/* Deferred once, then delivered. */
			if (roll >= edge && roll < edge + sp->p_defer)
				r[j].deferrals = 1;
			if (r[j].status == DELIVERY_DEFERRED)
				r[j].deferrals = 3;
		}
		m.recipients = r;
		m.recipient_count = sp->rcpt_per_msg;
		aggregator_add(agg, &m);
	}
	for (i = 0; i < sp->auth_failures; i++) {
		client_ip(ip, sizeof(ip), sp, idx, i % sp->ips);
		base_record(&m, sp, ip, sasl, host);
		m.kind = RECORD_AUTH_FAILURE;
		m.first_sec = m.last_sec = T0 + 3600 * 13 + i;
		m.reject_response = AUTH_TEXT;
		aggregator_add(agg, &m);
	}
	for (i = 0; i < sp->local_rejects; i++) {
		client_ip(ip, sizeof(ip), sp, idx, i % sp->ips);
		base_record(&m, sp, ip, sasl, host);
		m.kind = RECORD_REJECT;
		snprintf(sender, sizeof(sender), "x%u@forged.example", i);
		m.sender = sender;
		snprintf(addr[0], sizeof(addr[0]), "victim%u@elsewhere.example",
		    i);
		memset(&r[0], 0, sizeof(r[0]));
		r[0].address = addr[0];
		r[0].status = DELIVERY_OTHER;
		m.recipients = r;
		m.recipient_count = 1;
		m.first_sec = m.last_sec = T0 + 3600 * 15 + i;
		m.stage = STAGE_RCPT;
		m.reject_dsn = DSN_POLICY;
		m.reject_response = RELAY_TEXT;
		aggregator_add(agg, &m);
	}
	free(r);
	free(addr);
}

/*
 * reference_scorer - a scorer fitted on 20 SASL accounts, each with 100
 * messages of two recipients to ten domains, from one address
 */
static struct scorer *
reference_scorer(const struct classifier *cls)
{
	struct aggregator *agg = aggregator_new(cls);
	struct scorer	*sc = scorer_new(NULL);
	struct account_spec sp;
	const struct population *p;
	unsigned	 i;

	for (i = 0; i < 20; i++) {
		memset(&sp, 0, sizeof(sp));
		snprintf(sp.name, sizeof(sp.name), "ref%02u@example.net", i);
		sp.kind = ACCOUNT_SASL;
		sp.messages = 100;
		sp.rcpt_per_msg = 2;
		sp.contacts = 40;
		sp.domains = 10;
		sp.senders = 1;
		sp.ips = 1;
		sp.hour_lo = 8;
		sp.hour_hi = 17;
		sp.days = 7;
		feed_account(agg, &sp, i);
	}
	scorer_fit(sc, agg);
	aggregator_free(agg);
	p = scorer_population(sc);
	ck_assert_uint_eq(p->active_accounts, 20);
	ck_assert_double_eq(p->median_messages, 100.0);
	ck_assert_double_eq(p->p99_messages, 100.0);
	ck_assert_double_eq(p->mad_messages, 0.0);
	ck_assert_double_eq(p->median_domains, 10.0);
	ck_assert_double_eq(p->median_recipients_per_message, 2.0);
	ck_assert_double_eq(p->median_sasl_client_ips, 1.0);
	return sc;
}

#define ORDINARY_COUNT	50
#define SPEC_COUNT	(ORDINARY_COUNT + 8)

/* make_specs - the labelled population */
static void
make_specs(struct account_spec *sp)
{
	unsigned	k;

	memset(sp, 0, SPEC_COUNT * sizeof(*sp));
	/*
	 * Ordinary subscribers: a few messages a day over a week to a
	 * handful of contacts, in the daytime, the odd typo bounce, a
	 * laptop and a phone, now and then a mistyped password.
	 */
	for (k = 0; k < ORDINARY_COUNT; k++) {
		struct account_spec *o = &sp[k];

		snprintf(o->name, sizeof(o->name), "user%02u@example.net", k);
		o->kind = ACCOUNT_SASL;
		o->role = ORDINARY;
		o->messages = k % 10 == 9 ? 2 : 5 + (k * 7) % 36;
		o->rcpt_per_msg = 1 + k % 3;
		o->contacts = 3 + k % 8;
		o->domains = 2 + k % 5;
		o->senders = 1;
		o->ips = 1 + (k % 4 == 0) + (k % 10 == 0);
		o->hour_lo = 8;
		o->hour_hi = 22;
		o->days = 7;
		o->p_unknown = k % 5 == 0 ? 20 : 0;
		o->p_other = 10;
		o->p_defer = 30;
		o->auth_failures = k % 7 == 0 ? 2 : 0;
		o->local_rejects = k % 9 == 0 ? 1 : 0;
	}
	k = ORDINARY_COUNT;
	/* A shop's newsletter: 2,000 messages in two morning bursts. */
	sp[k++] = (struct account_spec){ "news@shop.example", ACCOUNT_SASL,
	    NEWSLETTER, 2000, 1, 0, 400, 1, 1, 9, 10, 2,
	    20, 0, 0, 0, 15, 10, 50, 0, 0 };
	/* A club's list: 30 messages with 80 recipients each. */
	sp[k++] = (struct account_spec){ "club@assoc.example", ACCOUNT_SASL,
	    NEWSLETTER, 30, 80, 1200, 150, 1, 1, 18, 18, 7,
	    30, 0, 0, 0, 10, 0, 30, 0, 0 };
	/* A small business's server relaying through its fixed address. */
	sp[k++] = (struct account_spec){ "198.51.100.20", ACCOUNT_IP,
	    NEWSLETTER, 800, 3, 1500, 300, 2, 1, 8, 17, 5,
	    10, 0, 0, 0, 10, 20, 40, 0, 0 };
	/* An alarm panel reporting every hour, day and night. */
	sp[k++] = (struct account_spec){ "192.0.2.50", ACCOUNT_IP, DEVICE,
	    336, 1, 1, 1, 1, 1, 0, 23, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0 };
	/* A NAS mailing its backup reports at night. */
	sp[k++] = (struct account_spec){ "nas@example.net", ACCOUNT_SASL,
	    DEVICE, 60, 1, 1, 1, 1, 1, 2, 4, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0 };
	/*
	 * A spam blaster on a dynamic address: volume, forged senders,
	 * harvested lists, remote refusals, night-heavy.
	 */
	sp[k++] = (struct account_spec){ "203.0.113.66", ACCOUNT_IP, ZOMBIE,
	    3000, 2, 0, 1500, 800, 1, 0, 23, 3, 200, 50, 50, 10, 30, 40,
	    200, 0, 10 };
	/* Stolen credentials used from 40 addresses. */
	sp[k++] = (struct account_spec){ "victim@example.net", ACCOUNT_SASL,
	    ZOMBIE, 400, 3, 0, 300, 1, 40, 0, 23, 7, 120, 30, 20, 0, 20, 10,
	    100, 25, 0 };
	/* Low and slow: modest volume, but dead addresses and forgery. */
	sp[k++] = (struct account_spec){ "203.0.113.99", ACCOUNT_IP, ZOMBIE,
	    60, 2, 0, 100, 25, 1, 9, 17, 7, 250, 40, 0, 0, 50, 0, 50, 0, 0 };
}

/* build - an aggregator of the specs, fed in order or in reverse */
static struct aggregator *
build(const struct classifier *cls, const struct account_spec *sp,
    bool reverse)
{
	struct aggregator *agg = aggregator_new(cls);
	unsigned	 i;

	for (i = 0; i < SPEC_COUNT; i++) {
		unsigned k = reverse ? SPEC_COUNT - 1 - i : i;

		feed_account(agg, &sp[k], k);
	}
	return agg;
}

/* find - an account of the population; fails the test when absent */
static const struct account *
find(const struct aggregator *agg, const struct account_spec *sp)
{
	const struct account *a = aggregator_find(agg, sp->kind, sp->name);

	ck_assert_msg(a != NULL, "account %s not found", sp->name);
	return a;
}

START_TEST(test_population_separates_zombies)
{
	static struct account_spec sp[SPEC_COUNT];
	struct classifier *cls = classifier_new();
	struct aggregator *agg;
	struct scorer	*sc = scorer_new(NULL);
	struct score	 s;
	double		 worst_zombie = 101.0, best_legit = -1.0;
	unsigned	 i;

	make_specs(sp);
	agg = build(cls, sp, false);
	ck_assert_uint_eq(aggregator_account_count(agg), SPEC_COUNT);
	scorer_fit(sc, agg);
	for (i = 0; i < SPEC_COUNT; i++) {
		scorer_score(sc, find(agg, &sp[i]), &s);
		check_invariants(&s);
		if (sp[i].role == ZOMBIE) {
			ck_assert_msg(s.verdict == VERDICT_LIKELY_ZOMBIE,
			    "%s: score %.1f (%s)", sp[i].name, s.score,
			    s.count > 0 ? s.contributions[0].reason : "");
			if (s.score < worst_zombie)
				worst_zombie = s.score;
		} else {
			ck_assert_msg(s.verdict == VERDICT_NORMAL &&
			    s.score < 40.0, "%s: score %.1f, first reason %s",
			    sp[i].name, s.score,
			    s.count > 0 ? s.contributions[0].reason : "");
			if (s.score > best_legit)
				best_legit = s.score;
		}
	}
	ck_assert_msg(worst_zombie > best_legit, "zombie %.1f <= legit %.1f",
	    worst_zombie, best_legit);
	scorer_free(sc);
	aggregator_free(agg);
	classifier_free(cls);
}
END_TEST

/* assert_reason - feature fired and its reason holds text */
static void
assert_reason(const struct score *s, const char *account,
    const char *feature, const char *text)
{
	const struct contribution *c = find_contribution(s, feature);

	ck_assert_msg(c != NULL, "%s: %s did not fire", account, feature);
	ck_assert_msg(strstr(c->reason, text) != NULL,
	    "%s: %s reason \"%s\" lacks \"%s\"", account, feature, c->reason,
	    text);
}

START_TEST(test_population_reasons)
{
	static struct account_spec sp[SPEC_COUNT];
	struct classifier *cls = classifier_new();
	struct aggregator *agg;
	struct scorer	*sc = scorer_new(NULL);
	struct score	 s;
	const struct contribution *c;
	size_t		 i;
	const unsigned	 blaster = ORDINARY_COUNT + 5;
	const unsigned	 thief = ORDINARY_COUNT + 6;
	const unsigned	 slow = ORDINARY_COUNT + 7;
	const unsigned	 news = ORDINARY_COUNT;

	make_specs(sp);
	agg = build(cls, sp, false);
	scorer_fit(sc, agg);

	scorer_score(sc, find(agg, &sp[blaster]), &s);
	assert_reason(&s, sp[blaster].name, "distinct_senders",
	    "800 distinct envelope senders (threshold 4)");
	assert_reason(&s, sp[blaster].name, "bounce_rate",
	    "of 6,000 recipients bounced (threshold 10%)");
	assert_reason(&s, sp[blaster].name, "unknown_user_rate",
	    "refused as unknown users");
	assert_reason(&s, sp[blaster].name, "remote_spam_rejections",
	    "as spam");
	assert_reason(&s, sp[blaster].name, "remote_spam_rejections",
	    "for a blocklist listing");
	assert_reason(&s, sp[blaster].name, "messages", "3,000 messages");
	c = find_contribution(&s, "remote_spam_rejections");
	ck_assert_double_eq(c->points, 35.0);

	scorer_score(sc, find(agg, &sp[thief]), &s);
	assert_reason(&s, sp[thief].name, "distinct_client_ips",
	    "SASL login used from 40 client IP addresses (threshold 4; "
	    "population median 1)");
	assert_reason(&s, sp[thief].name, "auth_failures",
	    "25 failed SASL logins (threshold 5)");
	ck_assert_ptr_null(find_contribution(&s, "distinct_senders"));

	scorer_score(sc, find(agg, &sp[slow]), &s);
	assert_reason(&s, sp[slow].name, "distinct_senders",
	    "25 distinct envelope senders");
	assert_reason(&s, sp[slow].name, "bounce_rate",
	    "of 120 recipients bounced");
	ck_assert_ptr_null(find_contribution(&s, "messages"));

	/* The newsletter earns volume points only, within the cap. */
	scorer_score(sc, find(agg, &sp[news]), &s);
	ck_assert(s.raw_points <= 24.1);
	for (i = 0; i < s.count; i++) {
		const char *f = s.contributions[i].feature;

		ck_assert_msg(strcmp(f, "messages") == 0 ||
		    strcmp(f, "distinct_domains") == 0 ||
		    strcmp(f, "recipients_per_message") == 0 ||
		    strcmp(f, "peak_hour_messages") == 0 ||
		    strcmp(f, "rate_limit_rate") == 0 ||
		    strcmp(f, "deferral_rate") == 0 ||
		    strcmp(f, "one_time_recipients") == 0,
		    "newsletter: %s fired", f);
	}
	assert_reason(&s, sp[news].name, "peak_hour_messages",
	    "500 messages in the busiest hour");
	scorer_free(sc);
	aggregator_free(agg);
	classifier_free(cls);
}
END_TEST

/* Feeding order must not matter: equal scores, bit for bit. */
START_TEST(test_determinism)
{
	static struct account_spec sp[SPEC_COUNT];
	struct classifier *cls = classifier_new();
	struct aggregator *a1, *a2;
	struct scorer	*s1 = scorer_new(NULL), *s2 = scorer_new(NULL);
	struct score	 x, y;
	unsigned	 i;
	size_t		 j;

	make_specs(sp);
	a1 = build(cls, sp, false);
	a2 = build(cls, sp, true);
	scorer_fit(s1, a1);
	scorer_fit(s2, a2);
	ck_assert(memcmp(scorer_population(s1), scorer_population(s2),
	    sizeof(struct population)) == 0);
	for (i = 0; i < SPEC_COUNT; i++) {
		scorer_score(s1, find(a1, &sp[i]), &x);
		scorer_score(s2, find(a2, &sp[i]), &y);
		ck_assert(x.score == y.score);
		ck_assert(x.raw_points == y.raw_points);
		ck_assert_int_eq(x.verdict, y.verdict);
		ck_assert_uint_eq(x.count, y.count);
		for (j = 0; j < x.count; j++) {
			ck_assert_str_eq(x.contributions[j].feature,
			    y.contributions[j].feature);
			ck_assert(x.contributions[j].points ==
			    y.contributions[j].points);
			ck_assert_str_eq(x.contributions[j].reason,
			    y.contributions[j].reason);
		}
	}
	scorer_free(s1);
	scorer_free(s2);
	aggregator_free(a1);
	aggregator_free(a2);
	classifier_free(cls);
}
END_TEST

/*
 * Population figures: messages 5, 6, 7, 8 and 100 (and one account
 * under min_messages, left out) give median 7, MAD 1 and
 * p99 = 8 + 0.96 * (100 - 8) = 96.32.
 */
START_TEST(test_population_quantiles)
{
	static const unsigned counts[] = { 5, 6, 7, 8, 100, 2 };
	struct classifier *cls = classifier_new();
	struct aggregator *agg = aggregator_new(cls);
	struct scorer	*sc = scorer_new(NULL);
	const struct population *p;
	struct account_spec sp;
	unsigned	 i;

	for (i = 0; i < sizeof(counts) / sizeof(counts[0]); i++) {
		memset(&sp, 0, sizeof(sp));
		snprintf(sp.name, sizeof(sp.name), "q%u@example.net", i);
		sp.kind = ACCOUNT_SASL;
		sp.messages = counts[i];
		sp.rcpt_per_msg = 2;
		sp.contacts = 4;
		sp.domains = 2;
		sp.senders = 1;
		sp.ips = 1 + i;
		sp.hour_lo = sp.hour_hi = 10;
		sp.days = 1;
		feed_account(agg, &sp, i);
	}
	scorer_fit(sc, agg);
	p = scorer_population(sc);
	ck_assert_uint_eq(p->active_accounts, 5);
	ck_assert_double_eq_tol(p->median_messages, 7.0, 1e-9);
	ck_assert_double_eq_tol(p->mad_messages, 1.0, 1e-9);
	ck_assert_double_eq_tol(p->p99_messages, 96.32, 1e-9);
	ck_assert_double_eq_tol(p->median_domains, 2.0, 1e-9);
	ck_assert_double_eq_tol(p->median_recipients_per_message, 2.0, 1e-9);
	ck_assert_double_eq_tol(p->p99_recipients_per_message, 2.0, 1e-9);
	ck_assert_uint_eq(p->active_sasl_accounts, 5);
	ck_assert_double_eq_tol(p->median_sasl_client_ips, 3.0, 1e-9);
	ck_assert_double_eq_tol(p->p99_sasl_client_ips, 4.96, 1e-9);
	/* Refitting replaces what was learnt. */
	aggregator_free(agg);
	agg = aggregator_new(cls);
	scorer_fit(sc, agg);
	ck_assert_uint_eq(scorer_population(sc)->active_accounts, 0);
	ck_assert_double_eq(scorer_population(sc)->p99_messages, 0.0);
	scorer_free(sc);
	aggregator_free(agg);
	classifier_free(cls);
}
END_TEST

/* An aggregator of accounts all under min_messages: fixed thresholds. */
START_TEST(test_empty_population)
{
	struct classifier *cls = classifier_new();
	struct aggregator *agg = aggregator_new(cls);
	struct scorer	*sc = scorer_new(NULL);
	struct account_features f;
	struct account_spec sp;
	struct score	 s;

	memset(&sp, 0, sizeof(sp));
	snprintf(sp.name, sizeof(sp.name), "thief@example.net");
	sp.kind = ACCOUNT_SASL;
	sp.messages = 4;
	sp.rcpt_per_msg = 1;
	sp.domains = 1;
	sp.senders = 1;
	sp.ips = 4;
	sp.hour_lo = sp.hour_hi = 3;
	sp.days = 1;
	sp.auth_failures = 40;
	feed_account(agg, &sp, 1);
	scorer_fit(sc, agg);
	ck_assert_uint_eq(scorer_population(sc)->active_accounts, 0);
	scorer_score(sc, find(agg, &sp), &s);
	check_invariants(&s);
	/* 40 failures: 12.5 points; 4 IPs: 8; nothing else. */
	ck_assert_uint_eq(s.count, 2);
	assert_reason(&s, sp.name, "auth_failures", "40 failed SASL logins");
	ck_assert_double_eq_tol(s.contributions[0].points, 12.5, 1e-9);
	assert_reason(&s, sp.name, "distinct_client_ips",
	    "used from 4 client IP addresses (threshold 4)");
	ck_assert_double_eq_tol(s.contributions[1].points, 8.0, 1e-9);

	/* Without a population, volume is judged against 20 messages. */
	memset(&f, 0, sizeof(f));
	f.messages = 200;
	f.recipients = 200;
	f.sent = 200;
	f.distinct_domains = 5;
	f.distinct_senders = 1;
	f.messages_by_hour[12] = 200;
	f.peak_hour_messages = 20;
	scorer_score_features(sc, ACCOUNT_IP, &f, &s);
	check_invariants(&s);
	ck_assert_uint_eq(s.count, 1);
	assert_reason(&s, "features", "messages",
	    "200 messages (threshold 20)");
	ck_assert_double_eq_tol(s.contributions[0].points, 12.0, 1e-9);
	ck_assert_str_eq(s.contributions[0].comparison, "threshold");
	scorer_free(sc);
	aggregator_free(agg);

	/* No accounts at all. */
	agg = aggregator_new(cls);
	sc = scorer_new(NULL);
	scorer_fit(sc, agg);
	ck_assert_uint_eq(scorer_population(sc)->active_accounts, 0);
	scorer_free(sc);
	aggregator_free(agg);
	classifier_free(cls);
}
END_TEST

/*
 * Behaviour rules by features alone: each case sets a few features and
 * names the one rule that must fire (or none), its points and a part of
 * its reason.  The messages rule is off so that message counts can be
 * chosen freely.
 */
struct behaviour_case {
	const char	*name;
	uint64_t	 messages;
	uint64_t	 distinct_recipients;
	uint64_t	 repeated_recipients;
	int64_t		 span_sec;
	uint64_t	 distinct_sender_domains;
	uint64_t	 message_ids_added;
	uint64_t	 helo_ip_literals;
	uint64_t	 helo_changes;
	uint64_t	 local_rate_limits;
	const char	*feature;	/* NULL: nothing fires */
	double		 points;
	const char	*reason;
};

static const struct behaviour_case behaviour_cases[] = {
	{ "13 sender domains", 1, 0, 0, 0, 13, 0, 0, 0, 0,
	    "foreign_sender_domains", 13.0,
	    "envelope senders in 12 domains other than the account's own "
	    "(threshold 3)" },
	{ "3 sender domains", 1, 0, 0, 0, 3, 0, 0, 0, 0, NULL, 0, NULL },
	{ "2,000 recipients once in 2 days", 1, 2000, 0, 2 * 86400, 0, 0, 0,
	    0, 0, "one_time_recipients", 10.0,
	    "2,000 of 2,000 distinct recipients (100%) mailed only once in 2 "
	    "days (threshold 200 and 80%)" },
	{ "one-time recipients within a day", 1, 2000, 0, 86399, 0, 0, 0, 0,
	    0, NULL, 0, NULL },
	{ "one-time recipients 70%", 1, 2000, 600, 2 * 86400, 0, 0, 0, 0, 0,
	    NULL, 0, NULL },
	{ "half the Message-IDs added", 40, 0, 0, 0, 0, 20, 0, 0, 0,
	    "message_ids_added", 6.0,
	    "20 of 40 messages (50%) came without a Message-ID of their own "
	    "and the others with one (threshold 10 of each)" },
	{ "every Message-ID added (a device)", 40, 0, 0, 0, 0, 40, 0, 0, 0,
	    NULL, 0, NULL },
	{ "HELO literals and changes", 1, 0, 0, 0, 0, 0, 5, 7, 0,
	    "helo_anomalies", 11.0,
	    "HELO names: 5 address literals and 7 changed names from one "
	    "client address" },
	{ "HELO anomalies, nothing sent", 0, 0, 0, 0, 0, 0, 5, 7, 0, NULL, 0,
	    NULL },
	{ "relay rate limits", 1, 0, 0, 0, 0, 0, 0, 0, 12,
	    "local_rate_limits", 5.0,
	    "12 attempts refused by this relay's rate limits (threshold 3)" },
};

START_TEST(test_behaviour_rules)
{
	const struct behaviour_case *bc = &behaviour_cases[_i];
	struct score_config cfg;
	struct account_features f;
	struct scorer	*sc;
	struct score	 s;
	const struct contribution *c;

	score_config_defaults(&cfg);
	cfg.rules[SCORE_RULE_MESSAGES].weight = 0.0;
	sc = scorer_new(&cfg);
	memset(&f, 0, sizeof(f));
	f.messages = bc->messages;
	f.distinct_recipients = bc->distinct_recipients;
	f.repeated_recipients = bc->repeated_recipients;
	f.first_seen_sec = T0;
	f.last_seen_sec = T0 + bc->span_sec;
	f.distinct_sender_domains = bc->distinct_sender_domains;
	f.message_ids_added = bc->message_ids_added;
	f.helo_ip_literals = bc->helo_ip_literals;
	f.helo_changes = bc->helo_changes;
	f.helo_records = bc->helo_ip_literals + bc->helo_changes;
	f.local_rate_limits = bc->local_rate_limits;
	f.size_cv = -1.0;
	scorer_score_features(sc, ACCOUNT_IP, &f, &s);
	check_invariants(&s);
	if (bc->feature == NULL) {
		ck_assert_msg(s.count == 0, "%s: %s fired", bc->name,
		    s.count > 0 ? s.contributions[0].feature : "");
	} else {
		ck_assert_msg(s.count == 1, "%s: %zu rules fired", bc->name,
		    s.count);
		c = find_contribution(&s, bc->feature);
		ck_assert_msg(c != NULL, "%s: %s did not fire", bc->name,
		    bc->feature);
		ck_assert_msg(fabs(c->points - bc->points) < 1e-9,
		    "%s: %g points, want %g", bc->name, c->points, bc->points);
		ck_assert_msg(strstr(c->reason, bc->reason) != NULL,
		    "%s: reason \"%s\" lacks \"%s\"", bc->name, c->reason,
		    bc->reason);
	}
	scorer_free(sc);
}
END_TEST

/* add_sent - one delivered message with the given sender */
static void
add_sent(struct aggregator *agg, const char *sasl, const char *ip,
    const char *sender, int64_t t)
{
	struct message	 m;
	struct recipient r;

	memset(&m, 0, sizeof(m));
	memset(&r, 0, sizeof(r));
	m.kind = RECORD_MESSAGE;
	m.origin = ORIGIN_SMTP;
	m.host = (char *)"relay1";
	m.queue_id = (char *)"4ABCDEF";
	m.client_ip = (char *)ip;
	m.sasl_username = (char *)sasl;
	m.sender = (char *)sender;
	m.message_id = (char *)"1@client.example";
	m.uid = -1;
	m.first_sec = m.last_sec = t;
	m.is_complete = true;
	r.address = (char *)"bob@example.com";
	r.transport = (char *)"smtp";
	r.status = DELIVERY_SENT;
	m.recipients = &r;
	m.recipient_count = 1;
	aggregator_add(agg, &m);
}

/*
 * foreign_sender_domains from the sender list: the login's domain and
 * local_domains (with subdomains) are the account's own; without a
 * login domain, the most used sender domain is.
 */
START_TEST(test_foreign_sender_domains)
{
	static const char *const local[] = { "isp.example" };
	static const char *const alice_senders[] = {
		"alice@isp.example", "a@sub.isp.example", "x@one.test",
		"y@two.test", "z@three.test"
	};
	struct classifier *cls = classifier_new();
	struct aggregator *agg = aggregator_new(cls);
	struct score_config cfg;
	struct scorer	*with, *without;
	struct score	 s;
	const struct contribution *c;
	size_t		 i;

	for (i = 0; i < 5; i++)
		add_sent(agg, "alice@isp.example", "192.0.2.1",
		    alice_senders[i], T0 + (int64_t)i);
	for (i = 0; i < 5; i++)
		add_sent(agg, NULL, "192.0.2.9", "shop@shop.example",
		    T0 + (int64_t)i);
	add_sent(agg, NULL, "192.0.2.9", "x@a.test", T0 + 10);
	add_sent(agg, NULL, "192.0.2.9", "y@b.test", T0 + 11);
	score_config_defaults(&cfg);
	cfg.local_domains = local;
	cfg.local_domain_count = 1;
	with = scorer_new(&cfg);
	without = scorer_new(NULL);
	scorer_fit(with, agg);
	scorer_fit(without, agg);

	/* three forged domains; sub.isp.example is local */
	scorer_score(with, aggregator_find(agg, ACCOUNT_SASL,
	    "alice@isp.example"), &s);
	c = find_contribution(&s, "foreign_sender_domains");
	ck_assert_ptr_nonnull(c);
	ck_assert_double_eq(c->value, 3.0);
	ck_assert_double_eq(c->points, 5.0);
	ck_assert_str_eq(c->reason, "envelope senders in 3 domains other "
	    "than the account's own (threshold 3)");
	/* without local_domains the subdomain is foreign too */
	scorer_score(without, aggregator_find(agg, ACCOUNT_SASL,
	    "alice@isp.example"), &s);
	c = find_contribution(&s, "foreign_sender_domains");
	ck_assert_ptr_nonnull(c);
	ck_assert_double_eq(c->value, 4.0);
	/* the shop's own domain is its busiest: two foreign, no points */
	scorer_score(with, aggregator_find(agg, ACCOUNT_IP, "192.0.2.9"), &s);
	ck_assert_ptr_null(find_contribution(&s, "foreign_sender_domains"));
	add_sent(agg, NULL, "192.0.2.9", "z@c.test", T0 + 12);
	scorer_score(with, aggregator_find(agg, ACCOUNT_IP, "192.0.2.9"), &s);
	c = find_contribution(&s, "foreign_sender_domains");
	ck_assert_ptr_nonnull(c);
	ck_assert_double_eq(c->value, 3.0);
	scorer_free(with);
	scorer_free(without);
	aggregator_free(agg);
	classifier_free(cls);
}
END_TEST

static Suite *
scorer_suite(void)
{
	Suite	*s = suite_create("scorer");
	TCase	*tc;

	tc = tcase_create("rules");
	tcase_add_loop_test(tc, test_rule_cases, 0,
	    (int)(sizeof(rule_cases) / sizeof(rule_cases[0])));
	tcase_add_test(tc, test_volume_cap_and_weight);
	tcase_add_test(tc, test_reason_keeps_weight);
	tcase_add_test(tc, test_defaults_and_names);
	tcase_add_test(tc, test_rule_table);
	tcase_add_test(tc, test_config_check);
	tcase_add_test(tc, test_config_lists_copied);
	tcase_add_test(tc, test_verdict_thresholds);
	tcase_add_loop_test(tc, test_behaviour_rules, 0,
	    (int)(sizeof(behaviour_cases) / sizeof(behaviour_cases[0])));
	tcase_add_test(tc, test_foreign_sender_domains);
	suite_add_tcase(s, tc);

	tc = tcase_create("population");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_population_quantiles);
	tcase_add_test(tc, test_empty_population);
	tcase_add_test(tc, test_population_separates_zombies);
	tcase_add_test(tc, test_population_reasons);
	tcase_add_test(tc, test_determinism);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return run_suite(scorer_suite());
}
