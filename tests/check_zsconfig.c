/*
 * check_zsconfig - unit tests for analysis/zsconfig: the defaults, the
 * shipped example, every class of error with its message, and what a
 * configuration does to scores: allowlists that force the verdict to
 * normal (by account, by address, by sender domain), rule weights and
 * thresholds, the logins_outside_isp rule, classifier patterns.
 */
#include "config.h"

#include <check.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "analysis/aggregator.h"
#include "analysis/classify.h"
#include "analysis/message.h"
#include "analysis/scorer.h"
#include "analysis/zsconfig.h"
#include "util/cidr.h"
#include "tests/testutil.h"

/* Monday 2026-11-16 12:00:00 UTC; the tests run with TZ=UTC. */
#define T0	INT64_C(1794830400)

/* ---- helpers ----------------------------------------------------- */

/* parse - a configuration from a C string, named "test.conf" */
static struct zs_config *
parse(const char *text, char *err, size_t errlen)
{
	err[0] = '\0';
	return zsconfig_parse(text, strlen(text), "test.conf", err, errlen);
}

/* parse_ok - a configuration that must load */
static struct zs_config *
parse_ok(const char *text)
{
	struct zs_config *cfg;
	char		 err[512];

	cfg = parse(text, err, sizeof(err));
	ck_assert_msg(cfg != NULL, "rejected: %s", err);
	return cfg;
}

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

/* assert_default_numbers - cfg's numbers are score_config_defaults() */
static void
assert_default_numbers(const struct score_config *cfg)
{
	struct score_config def;
	size_t		 i;

	score_config_defaults(&def);
	ck_assert_double_eq(cfg->likely_zombie_min, def.likely_zombie_min);
	ck_assert_double_eq(cfg->suspicious_min, def.suspicious_min);
	ck_assert_uint_eq(cfg->min_messages, def.min_messages);
	ck_assert_double_eq(cfg->weight_scale, def.weight_scale);
	for (i = 0; i < SCORE_RULE_COUNT; i++) {
		const struct score_rule_config *a = &cfg->rules[i];
		const struct score_rule_config *b = &def.rules[i];

		ck_assert_msg(a->weight == b->weight &&
		    a->threshold == b->threshold && a->lo == b->lo &&
		    a->hi == b->hi, "rule %s differs from its defaults",
		    score_rule_info((enum score_rule)i)->name);
	}
}

/* classify - the class of a C string */
static enum response_class
classify(const struct classifier *cls, const char *text)
{
	return classifier_classify(cls, text, strlen(text));
}

/* ---- defaults and the example ------------------------------------ */

START_TEST(test_defaults)
{
	struct zs_config *cfg = zsconfig_defaults();
	const struct score_config *sc = zsconfig_scoring(cfg);
	struct score_config def;

	score_config_defaults(&def);
	assert_default_numbers(sc);
	ck_assert_double_eq(def.likely_zombie_min, 70.0);
	ck_assert_double_eq(def.suspicious_min, 40.0);
	ck_assert_uint_eq(def.min_messages, 5);
	ck_assert_double_eq(def.weight_scale, 1.0);
	ck_assert_uint_eq(sc->allow_account_count, 0);
	ck_assert_uint_eq(sc->allow_sender_domain_count, 0);
	ck_assert_uint_eq(cidr_list_count(sc->allow_ips), 0);
	ck_assert_uint_eq(cidr_list_count(sc->isp_networks), 0);
	ck_assert_ptr_null(zsconfig_path(cfg));
	ck_assert_uint_eq(zsconfig_pattern_count(cfg), 0);
	ck_assert(!zsconfig_is_isp_address(cfg, "10.0.0.1"));
	ck_assert(score_config_check(sc, NULL, 0));
	zsconfig_free(cfg);

	/* The smallest file says nothing else. */
	cfg = parse_ok("{ \"schema_version\": 1 }");
	assert_default_numbers(zsconfig_scoring(cfg));
	ck_assert_str_eq(zsconfig_path(cfg), "test.conf");
	zsconfig_free(cfg);
	zsconfig_free(NULL);
}
END_TEST

/* The shipped example loads and states exactly the default numbers. */
START_TEST(test_shipped_example)
{
	const char	*top = getenv("top_srcdir");
	char		 path[4096], err[512];
	struct zs_config *cfg;
	const struct score_config *sc;

	snprintf(path, sizeof(path), "%s/doc/zombiescan.conf.example.json",
	    top != NULL && *top != '\0' ? top : ".");
	cfg = zsconfig_load(path, err, sizeof(err));
	ck_assert_msg(cfg != NULL, "%s", err);
	sc = zsconfig_scoring(cfg);
	assert_default_numbers(sc);
	ck_assert_uint_eq(sc->allow_account_count, 2);
	ck_assert_uint_eq(cidr_list_count(sc->allow_ips), 2);
	ck_assert_uint_eq(sc->allow_sender_domain_count, 1);
	ck_assert_uint_eq(cidr_list_count(zsconfig_isp_networks(cfg)), 4);
	ck_assert_uint_eq(sc->local_domain_count, 1);
	ck_assert_str_eq(sc->local_domains[0], "isp.example");
	ck_assert_uint_eq(zsconfig_pattern_count(cfg), 5);
	ck_assert(zsconfig_is_isp_address(cfg, "100.100.1.1"));
	ck_assert(zsconfig_is_isp_address(cfg, "2001:db8:ffff::1"));
	ck_assert(!zsconfig_is_isp_address(cfg, "192.0.2.1"));
	zsconfig_free(cfg);
}
END_TEST

/*
 * The example of zombiescan.conf(5) loads and means what the page says
 * (its EXAMPLES section holds one .EX block of plain JSON).
 */
START_TEST(test_man_page_example)
{
	const char	*top = getenv("top_srcdir");
	char		 path[4096], line[1024], text[4096], err[512];
	struct zs_config *cfg;
	const struct score_config *sc;
	size_t		 len = 0;
	bool		 in_examples = false, in_block = false;
	FILE		*fp;

	snprintf(path, sizeof(path), "%s/doc/zombiescan.conf.5",
	    top != NULL && *top != '\0' ? top : ".");
	fp = fopen(path, "r");
	ck_assert_msg(fp != NULL, "%s: cannot open", path);
	text[0] = '\0';
	while (fgets(line, sizeof(line), fp) != NULL) {
		if (strncmp(line, ".SH", 3) == 0)
			in_examples = strncmp(line, ".SH EXAMPLES", 12) == 0;
		else if (in_examples && strncmp(line, ".EX", 3) == 0)
			in_block = true;
		else if (in_block && strncmp(line, ".EE", 3) == 0)
			break;
		else if (in_block) {
			ck_assert_uint_lt(len + strlen(line), sizeof(text));
			memcpy(text + len, line, strlen(line) + 1);
			len += strlen(line);
		}
	}
	fclose(fp);
	ck_assert_uint_gt(len, 0);
	cfg = zsconfig_parse(text, len, "man page", err, sizeof(err));
	ck_assert_msg(cfg != NULL, "%s", err);
	sc = zsconfig_scoring(cfg);
	ck_assert_double_eq(sc->rules[SCORE_RULE_NIGHT_FRACTION].weight, 0.0);
	ck_assert_double_eq(sc->rules[SCORE_RULE_AUTH_FAILURES].threshold,
	    10.0);
	ck_assert_uint_eq(sc->allow_account_count, 1);
	ck_assert_uint_eq(sc->allow_sender_domain_count, 1);
	ck_assert(zsconfig_is_isp_address(cfg, "198.51.100.7"));
	zsconfig_free(cfg);
}
END_TEST

/* A full file, written to disk and read back: every value lands. */
START_TEST(test_full_file)
{
	static const char text[] =
	    "{\n"
	    "  \"schema_version\": 1,\n"
	    "  \"scoring\": {\n"
	    "    \"likely_zombie_min\": 80, \"suspicious_min\": 45.5,\n"
	    "    \"min_messages\": 10, \"weight_scale\": 1.5,\n"
	    "    \"rules\": {\n"
	    "      \"bounce_rate\": { \"weight\": 2, \"lo\": 0.2, "
	    "\"hi\": 0.6 },\n"
	    "      \"auth_failures\": { \"threshold\": 10 },\n"
	    "      \"night_fraction\": { \"weight\": 0 }\n"
	    "    }\n"
	    "  },\n"
	    "  \"classifier\": {\n"
	    "    \"spam\": [\"looks like canned meat\", \"UBE detected\"],\n"
	    "    \"unknown_user\": [\"mailbox went fishing\"]\n"
	    "  },\n"
	    "  \"allowlist\": {\n"
	    "    \"accounts\": [\"alice@isp.example\", \"192.0.2.9\"],\n"
	    "    \"ips\": [\"192.0.2.0/24\", \"2001:db8::/32\"],\n"
	    "    \"sender_domains\": [\"newsletter.example\"]\n"
	    "  },\n"
	    "  \"isp_networks\": [\"10.0.0.0/8\", \"100.64.0.0/10\", "
	    "\"2001:db8::/32\"]\n"
	    "}\n";
	char		 dir[] = "/tmp/check_zsconfig.XXXXXX";
	char		 path[256], err[512];
	struct zs_config *cfg;
	const struct score_config *sc;
	struct classifier *cls;
	FILE		*fp;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/zombiescan.conf", dir);
	fp = fopen(path, "w");
	ck_assert_ptr_nonnull(fp);
	fputs(text, fp);
	ck_assert_int_eq(fclose(fp), 0);

	cfg = zsconfig_load(path, err, sizeof(err));
	ck_assert_msg(cfg != NULL, "%s", err);
	ck_assert_str_eq(zsconfig_path(cfg), path);
	sc = zsconfig_scoring(cfg);
	ck_assert_double_eq(sc->likely_zombie_min, 80.0);
	ck_assert_double_eq(sc->suspicious_min, 45.5);
	ck_assert_uint_eq(sc->min_messages, 10);
	ck_assert_double_eq(sc->weight_scale, 1.5);
	ck_assert_double_eq(sc->rules[SCORE_RULE_BOUNCE_RATE].weight, 2.0);
	ck_assert_double_eq(sc->rules[SCORE_RULE_BOUNCE_RATE].lo, 0.2);
	ck_assert_double_eq(sc->rules[SCORE_RULE_BOUNCE_RATE].hi, 0.6);
	ck_assert_double_eq(sc->rules[SCORE_RULE_AUTH_FAILURES].threshold,
	    10.0);
	ck_assert_double_eq(sc->rules[SCORE_RULE_AUTH_FAILURES].weight, 1.0);
	ck_assert_double_eq(sc->rules[SCORE_RULE_NIGHT_FRACTION].weight, 0.0);
	ck_assert_double_eq(sc->rules[SCORE_RULE_NIGHT_FRACTION].lo, 0.5);
	ck_assert_double_eq(sc->rules[SCORE_RULE_MESSAGES].threshold, 20.0);
	ck_assert_uint_eq(sc->allow_account_count, 2);
	ck_assert_str_eq(sc->allow_accounts[0], "alice@isp.example");
	ck_assert_str_eq(sc->allow_accounts[1], "192.0.2.9");
	ck_assert_uint_eq(sc->allow_sender_domain_count, 1);
	ck_assert_str_eq(sc->allow_sender_domains[0], "newsletter.example");
	ck_assert_uint_eq(cidr_list_count(sc->allow_ips), 2);
	ck_assert(cidr_list_contains(sc->allow_ips, "192.0.2.200"));
	ck_assert_uint_eq(cidr_list_count(sc->isp_networks), 3);
	ck_assert_ptr_eq(sc->isp_networks, zsconfig_isp_networks(cfg));
	ck_assert(zsconfig_is_isp_address(cfg, "10.20.30.40"));
	ck_assert(zsconfig_is_isp_address(cfg, "100.127.255.255"));
	ck_assert(!zsconfig_is_isp_address(cfg, "100.128.0.0"));
	ck_assert(zsconfig_is_isp_address(cfg, "2001:db8::25"));
	ck_assert(!zsconfig_is_isp_address(cfg, "not an address"));

	/* The patterns extend a classifier, after the built-in ones. */
	ck_assert_uint_eq(zsconfig_pattern_count(cfg), 3);
	cls = classifier_new();
	ck_assert_int_eq(classify(cls, "550 looks like canned meat"),
	    RESPONSE_NONE);
	ck_assert_int_eq(classify(cls, "550 ube DETECTED"), RESPONSE_NONE);
	ck_assert_int_eq(classify(cls, "550 mailbox went fishing"),
	    RESPONSE_NONE);
	ck_assert(zsconfig_extend_classifier(cfg, cls, err, sizeof(err)));
	ck_assert_int_eq(classify(cls, "550 looks like canned meat"),
	    RESPONSE_SPAM);
	ck_assert_int_eq(classify(cls, "550 ube DETECTED"), RESPONSE_SPAM);
	ck_assert_int_eq(classify(cls, "550 mailbox went fishing"),
	    RESPONSE_UNKNOWN_USER);
	classifier_free(cls);

	zsconfig_free(cfg);
	ck_assert_int_eq(unlink(path), 0);
	ck_assert_int_eq(rmdir(dir), 0);
}
END_TEST

/* ---- errors ------------------------------------------------------ */

struct error_case {
	const char	*name;
	const char	*text;
	const char	*message;	/* the whole message, or with ... */
};

/*
 * Each case must be refused with exactly this message; a message
 * ending in "..." need only start with what precedes it.
 */
static const struct error_case error_cases[] = {
	/* syntax, with line and column */
	{ "syntax", "{\n  \"schema_version\": 1,\n  \"scoring\": {\n"
	    "    \"suspicious_min\": 40,\n  }\n}\n",
	    "test.conf:5:3: string or '}' expected near '}'" },
	{ "empty", "", "test.conf:1:0: '[' or '{' expected near end of "
	    "file" },
	{ "trailing garbage", "{ \"schema_version\": 1 } x",
	    "test.conf:1:25: end of file expected near 'x'" },
	{ "duplicate key", "{ \"schema_version\": 1, \"scoring\": {\n"
	    "  \"rules\": { \"bounce_rate\": { \"weight\": 1, "
	    "\"weight\": 2 } } } }",
	    "test.conf:2:51: duplicate object key near '\"weight\"'" },
	{ "duplicate top key", "{ \"schema_version\": 1, "
	    "\"schema_version\": 1 }",
	    "test.conf:1:39: duplicate object key near '\"schema_version\"'" },
	/* the top level and the version */
	{ "array", "[1]", "test.conf: the top level must be an object, not "
	    "an array" },
	{ "no version", "{ \"scoring\": {} }",
	    "test.conf: schema_version: missing (this zombiescan reads "
	    "version 1)" },
	{ "version 2", "{ \"schema_version\": 2, \"new_key\": 1 }",
	    "test.conf: schema_version: version 2 is not supported (this "
	    "zombiescan reads version 1)" },
	{ "version string", "{ \"schema_version\": \"1\" }",
	    "test.conf: schema_version: must be an integer, not a string" },
	/* unknown keys */
	{ "unknown top key", "{ \"schema_version\": 1, \"scoreing\": {} }",
	    "test.conf: scoreing: unknown key; known: schema_version, "
	    "scoring, classifier, allowlist, isp_networks, local_domains, "
	    "state" },
	{ "unknown scoring key", "{ \"schema_version\": 1, \"scoring\": "
	    "{ \"likely_zombie\": 70 } }",
	    "test.conf: scoring.likely_zombie: unknown key; known: "
	    "likely_zombie_min, suspicious_min, min_messages, weight_scale, "
	    "rules" },
	{ "unknown rule", "{ \"schema_version\": 1, \"scoring\": "
	    "{ \"rules\": { \"bounce_rat\": { \"weight\": 0 } } } }",
	    "test.conf: scoring.rules.bounce_rat: unknown rule; known: "
	    "bounce_rate, unknown_user_rate, remote_spam_rejections, "
	    "distinct_senders, distinct_client_ips, auth_failures, "
	    "local_rejections, night_fraction, logins_outside_isp, messages, "
	    "distinct_domains, recipients_per_message, peak_hour_messages, "
	    "rate_limit_rate, deferral_rate, baseline_jump, "
	    "foreign_sender_domains, one_time_recipients, message_ids_added, "
	    "helo_anomalies, local_rate_limits" },
	{ "threshold of a ramp rule", "{ \"schema_version\": 1, "
	    "\"scoring\": { \"rules\": { \"bounce_rate\": "
	    "{ \"threshold\": 0.2 } } } }",
	    "test.conf: scoring.rules.bounce_rate.threshold: unknown key; "
	    "known: weight, lo, hi" },
	{ "lo of a count rule", "{ \"schema_version\": 1, \"scoring\": "
	    "{ \"rules\": { \"auth_failures\": { \"lo\": 3 } } } }",
	    "test.conf: scoring.rules.auth_failures.lo: unknown key; known: "
	    "weight, threshold" },
	{ "unknown allowlist key", "{ \"schema_version\": 1, \"allowlist\": "
	    "{ \"senders\": [] } }",
	    "test.conf: allowlist.senders: unknown key; known: accounts, ips, "
	    "sender_domains" },
	{ "control bytes in a key", "{ \"schema_version\": 1, "
	    "\"a\\nb\": 1 }",
	    "test.conf: a?b: unknown key; ..." },
	/* wrong types */
	{ "scoring not an object", "{ \"schema_version\": 1, \"scoring\": "
	    "[] }", "test.conf: scoring: must be an object, not an array" },
	{ "threshold a string", "{ \"schema_version\": 1, \"scoring\": "
	    "{ \"likely_zombie_min\": \"70\" } }",
	    "test.conf: scoring.likely_zombie_min: must be a number, not a "
	    "string" },
	{ "weight null", "{ \"schema_version\": 1, \"scoring\": "
	    "{ \"rules\": { \"messages\": { \"weight\": null } } } }",
	    "test.conf: scoring.rules.messages.weight: must be a number, not "
	    "null" },
	{ "weight a boolean", "{ \"schema_version\": 1, \"scoring\": "
	    "{ \"rules\": { \"messages\": { \"weight\": false } } } }",
	    "test.conf: scoring.rules.messages.weight: must be a number, not "
	    "false" },
	{ "rule not an object", "{ \"schema_version\": 1, \"scoring\": "
	    "{ \"rules\": { \"messages\": 0 } } }",
	    "test.conf: scoring.rules.messages: must be an object, not an "
	    "integer" },
	{ "min_messages a real", "{ \"schema_version\": 1, \"scoring\": "
	    "{ \"min_messages\": 5.5 } }",
	    "test.conf: scoring.min_messages: must be an integer, not a "
	    "number with a fraction" },
	{ "ips a string", "{ \"schema_version\": 1, \"allowlist\": "
	    "{ \"ips\": \"192.0.2.0/24\" } }",
	    "test.conf: allowlist.ips: must be an array of strings, not a "
	    "string" },
	{ "account a number", "{ \"schema_version\": 1, \"allowlist\": "
	    "{ \"accounts\": [\"a@b.example\", 7] } }",
	    "test.conf: allowlist.accounts[1]: must be a string, not an "
	    "integer" },
	{ "classifier patterns a string", "{ \"schema_version\": 1, "
	    "\"classifier\": { \"spam\": \"junk\" } }",
	    "test.conf: classifier.spam: must be an array of strings, not a "
	    "string" },
	/* out of range */
	{ "likely_zombie_min 101", "{ \"schema_version\": 1, \"scoring\": "
	    "{ \"likely_zombie_min\": 101 } }",
	    "test.conf: scoring.likely_zombie_min: 101 is out of range (0 to "
	    "100)" },
	{ "negative weight_scale", "{ \"schema_version\": 1, \"scoring\": "
	    "{ \"weight_scale\": -1 } }",
	    "test.conf: scoring.weight_scale: -1 is out of range (0 to 100)" },
	{ "min_messages 0", "{ \"schema_version\": 1, \"scoring\": "
	    "{ \"min_messages\": 0 } }",
	    "test.conf: scoring.min_messages: 0 is out of range (1 to "
	    "1000000000)" },
	{ "rule weight 1000", "{ \"schema_version\": 1, \"scoring\": "
	    "{ \"rules\": { \"messages\": { \"weight\": 1000 } } } }",
	    "test.conf: scoring.rules.messages.weight: 1000 is out of range "
	    "(0 to 100)" },
	{ "rate above 1", "{ \"schema_version\": 1, \"scoring\": "
	    "{ \"rules\": { \"bounce_rate\": { \"lo\": 1.5 } } } }",
	    "test.conf: scoring.rules.bounce_rate.lo: 1.5 is out of range (0 "
	    "to 1)" },
	{ "count threshold 0", "{ \"schema_version\": 1, \"scoring\": "
	    "{ \"rules\": { \"auth_failures\": { \"threshold\": 0 } } } }",
	    "test.conf: scoring.rules.auth_failures.threshold: 0 is out of "
	    "range (1 to 1e+09)" },
	{ "lo above hi", "{ \"schema_version\": 1, \"scoring\": "
	    "{ \"rules\": { \"night_fraction\": { \"lo\": 0.9, \"hi\": 0.5 } "
	    "} } }",
	    "test.conf: scoring.rules.night_fraction: lo (0.9) must be below "
	    "hi (0.5)" },
	{ "lo moved past the default hi", "{ \"schema_version\": 1, "
	    "\"scoring\": { \"rules\": { \"bounce_rate\": { \"lo\": 0.5 } } "
	    "} }",
	    "test.conf: scoring.rules.bounce_rate: lo (0.5) must be below hi "
	    "(0.4)" },
	{ "suspicious above likely", "{ \"schema_version\": 1, \"scoring\": "
	    "{ \"suspicious_min\": 80 } }",
	    "test.conf: scoring.suspicious_min: 80 is above likely_zombie_min "
	    "(70)" },
	/* networks */
	{ "host bits", "{ \"schema_version\": 1, \"allowlist\": "
	    "{ \"ips\": [\"10.0.0.0/8\", \"192.0.2.1/24\"] } }",
	    "test.conf: allowlist.ips[1]: 192.0.2.1/24: host bits set (the "
	    "network is 192.0.2.0/24)" },
	{ "long prefix", "{ \"schema_version\": 1, \"isp_networks\": "
	    "[\"10.0.0.0/33\"] }",
	    "test.conf: isp_networks[0]: 10.0.0.0/33: prefix length 33 is "
	    "over 32" },
	{ "not a network", "{ \"schema_version\": 1, \"isp_networks\": "
	    "[\"2001:db8::/32\", \"isp.example\"] }",
	    "test.conf: isp_networks[1]: isp.example: not an IP address or "
	    "prefix" },
	/* classifier */
	{ "bad regex", "{ \"schema_version\": 1, \"classifier\": "
	    "{ \"spam\": [\"(unclosed\"] } }",
	    "test.conf: classifier.spam[0]: bad pattern: (unclosed: offset "
	    "9: missing closing parenthesis" },
	{ "pattern matching anything", "{ \"schema_version\": 1, "
	    "\"classifier\": { \"spam\": [\"junk\", \".*\"] } }",
	    "test.conf: classifier.spam[1]: \".*\" matches any text" },
	{ "empty pattern", "{ \"schema_version\": 1, \"classifier\": "
	    "{ \"blocklist\": [\"\"] } }",
	    "test.conf: classifier.blocklist[0]: empty pattern" },
	{ "unknown class", "{ \"schema_version\": 1, \"classifier\": "
	    "{ \"spamm\": [\"x\"] } }",
	    "test.conf: classifier.spamm: unknown class; known: blocklist, "
	    "spam, reputation, rate_limit, unknown_user" },
	{ "class none", "{ \"schema_version\": 1, \"classifier\": "
	    "{ \"none\": [\"x\"] } }",
	    "test.conf: classifier.none: unknown class; ..." },
	{ "class twice", "{ \"schema_version\": 1, \"classifier\": "
	    "{ \"spam\": [\"x\"], \"SPAM\": [\"y\"] } }",
	    "test.conf: classifier.SPAM: class spam given twice" },
	/* accounts and domains */
	{ "empty account", "{ \"schema_version\": 1, \"allowlist\": "
	    "{ \"accounts\": [\"\"] } }",
	    "test.conf: allowlist.accounts[0]: empty account" },
	{ "account with a space", "{ \"schema_version\": 1, \"allowlist\": "
	    "{ \"accounts\": [\"alice @isp.example\"] } }",
	    "test.conf: allowlist.accounts[0]: account contains a space or a "
	    "control character" },
	{ "domain an address", "{ \"schema_version\": 1, \"allowlist\": "
	    "{ \"sender_domains\": [\"news@news.example\"] } }",
	    "test.conf: allowlist.sender_domains[0]: \"news@news.example\" is "
	    "an address; give its domain" },
	{ "domain with an empty label", "{ \"schema_version\": 1, "
	    "\"allowlist\": { \"sender_domains\": [\"news..example\"] } }",
	    "test.conf: allowlist.sender_domains[0]: \"news..example\" is not "
	    "a domain name" },
	{ "domain with a leading dot", "{ \"schema_version\": 1, "
	    "\"allowlist\": { \"sender_domains\": [\".example\"] } }",
	    "test.conf: allowlist.sender_domains[0]: \".example\" is not a "
	    "domain name" },
	{ "local domain an address", "{ \"schema_version\": 1, "
	    "\"local_domains\": [\"isp.example\", \"a@isp.example\"] }",
	    "test.conf: local_domains[1]: \"a@isp.example\" is an address; "
	    "give its domain" },
	{ "local domains not an array", "{ \"schema_version\": 1, "
	    "\"local_domains\": \"isp.example\" }",
	    "test.conf: local_domains: must be an array of strings, not a "
	    "string" },
	/* state */
	{ "state not an object", "{ \"schema_version\": 1, "
	    "\"state\": 7 }",
	    "test.conf: state: must be an object, not an integer" },
	{ "state unknown key", "{ \"schema_version\": 1, "
	    "\"state\": { \"half_life\": 7 } }",
	    "test.conf: state.half_life: unknown key; known: half_life_days, "
	    "prune_after_days, min_history_days" },
	{ "state half-life range", "{ \"schema_version\": 1, "
	    "\"state\": { \"half_life_days\": 0.1 } }",
	    "test.conf: state.half_life_days: 0.1 is out of range (0.5 to "
	    "365)" },
	{ "state prune zero", "{ \"schema_version\": 1, "
	    "\"state\": { \"prune_after_days\": 0 } }",
	    "test.conf: state.prune_after_days: 0 is out of range (1 to "
	    "3650)" },
	{ "state history not integer", "{ \"schema_version\": 1, "
	    "\"state\": { \"min_history_days\": 2.5 } }",
	    "test.conf: state.min_history_days: must be an integer, not a "
	    "number with a fraction" },
};

START_TEST(test_errors)
{
	const struct error_case *ec = &error_cases[_i];
	struct zs_config *cfg;
	char		 err[1024];
	size_t		 len = strlen(ec->message);

	cfg = parse(ec->text, err, sizeof(err));
	ck_assert_msg(cfg == NULL, "%s: accepted", ec->name);
	if (len > 3 && strcmp(ec->message + len - 3, "...") == 0)
		ck_assert_msg(strncmp(err, ec->message, len - 3) == 0,
		    "%s: got \"%s\", want \"%s\"", ec->name, err,
		    ec->message);
	else
		ck_assert_msg(strcmp(err, ec->message) == 0,
		    "%s: got \"%s\", want \"%s\"", ec->name, err,
		    ec->message);
	/* No buffer for the message is allowed too. */
	ck_assert_ptr_null(zsconfig_parse(ec->text, strlen(ec->text),
	    "test.conf", NULL, 0));
}
END_TEST

/* Files: missing, a directory, a syntax error on a given line. */
START_TEST(test_file_errors)
{
	char		 dir[] = "/tmp/check_zsconfig.XXXXXX";
	char		 path[256], want[512], err[512];
	FILE		*fp;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/missing.conf", dir);
	ck_assert_ptr_null(zsconfig_load(path, err, sizeof(err)));
	snprintf(want, sizeof(want), "%s: No such file or directory", path);
	ck_assert_str_eq(err, want);

	ck_assert_ptr_null(zsconfig_load(dir, err, sizeof(err)));
	snprintf(want, sizeof(want), "%s: Is a directory", dir);
	ck_assert_str_eq(err, want);

	ck_assert_ptr_null(zsconfig_load("", err, sizeof(err)));
	ck_assert_str_eq(err, "configuration file name is empty");

	snprintf(path, sizeof(path), "%s/zombiescan.conf", dir);
	fp = fopen(path, "w");
	ck_assert_ptr_nonnull(fp);
	fputs("{\n  \"schema_version\": 1,\n  \"isp_networks\": "
	    "[\"10.0.0.0/8\",]\n}\n", fp);
	ck_assert_int_eq(fclose(fp), 0);
	ck_assert_ptr_null(zsconfig_load(path, err, sizeof(err)));
	snprintf(want, sizeof(want), "%s:3:33: unexpected token near ']'",
	    path);
	ck_assert_str_eq(err, want);

	/* Checks after parsing name the file too. */
	fp = fopen(path, "w");
	ck_assert_ptr_nonnull(fp);
	fputs("{ \"schema_version\": 1, \"allowlist\": { \"ips\": "
	    "[\"::1/129\"] } }", fp);
	ck_assert_int_eq(fclose(fp), 0);
	ck_assert_ptr_null(zsconfig_load(path, err, sizeof(err)));
	snprintf(want, sizeof(want), "%s: allowlist.ips[0]: ::1/129: prefix "
	    "length 129 is over 128", path);
	ck_assert_str_eq(err, want);

	ck_assert_int_eq(unlink(path), 0);
	ck_assert_int_eq(rmdir(dir), 0);
}
END_TEST

/* ---- accounts through the aggregator ----------------------------- */

static char TRANSPORT_SMTP[] = "smtp", METHOD_PLAIN[] = "PLAIN";
static char DSN_SENT[] = "2.0.0", DSN_SPAM[] = "5.7.1";
static char TEXT_SENT[] = "250 2.0.0 Ok: queued as 4XyZ";
static char TEXT_SPAM[] = "550 5.7.1 Message rejected as spam";
static char HOST[] = "relay1";

/*
 * A spam run: messages, each to one recipient at its own domain, from
 * the senders given in turn, through the client addresses given in
 * turn; every other recipient is refused as spam.  Forty messages from
 * four or more senders make a likely zombie: bounce_rate (50%, 30
 * points), remote_spam_rejections (20 refusals, 35) and
 * distinct_senders (at least 12).
 */
struct run {
	enum account_kind kind;
	const char	*key;		/* SASL username or client IP */
	const char	*const *ips;	/* SASL: client addresses */
	size_t		 nips;
	const char	*const *senders;
	size_t		 nsenders;
	unsigned	 messages;
};

/* feed_run - every message of a run into agg */
static void
feed_run(struct aggregator *agg, const struct run *run, unsigned idx)
{
	struct recipient r;
	struct message	 m;
	char		 key[128], ip[64], sender[128], rcpt[64], qid[32];
	unsigned	 i;

	snprintf(key, sizeof(key), "%s", run->key);
	for (i = 0; i < run->messages; i++) {
		memset(&m, 0, sizeof(m));
		m.kind = RECORD_MESSAGE;
		m.origin = ORIGIN_SMTP;
		m.host = HOST;
		m.uid = -1;
		if (run->kind == ACCOUNT_SASL) {
			m.sasl_username = key;
			m.sasl_method = METHOD_PLAIN;
			snprintf(ip, sizeof(ip), "%s", run->ips[i % run->nips]);
		} else {
			snprintf(ip, sizeof(ip), "%s", run->key);
		}
		m.client_ip = ip;
		snprintf(sender, sizeof(sender), "%s",
		    run->senders[i % run->nsenders]);
		m.sender = sender;
		snprintf(qid, sizeof(qid), "%02X%06X", idx, i);
		m.queue_id = qid;
		m.nrcpt = 1;
		m.first_sec = T0 + (int64_t)i * 60;
		m.last_sec = m.first_sec + 2;
		m.is_complete = true;
		snprintf(rcpt, sizeof(rcpt), "r%u@d%u.example", i, i);
		memset(&r, 0, sizeof(r));
		r.address = rcpt;
		r.transport = TRANSPORT_SMTP;
		r.time_sec = m.first_sec + 1;
		if (i % 2 == 0) {
			r.status = DELIVERY_SENT;
			r.response = TEXT_SENT;
			r.dsn = DSN_SENT;
		} else {
			r.status = DELIVERY_BOUNCED;
			r.response = TEXT_SPAM;
			r.dsn = DSN_SPAM;
		}
		m.recipients = &r;
		m.recipient_count = 1;
		aggregator_add(agg, &m);
	}
}

static const char *const FORGED[] = {
	"a@forged1.example", "b@forged2.example", "c@forged3.example",
	"d@forged4.example", "e@forged5.example", "f@forged6.example",
};
static const char *const NEWS[] = {
	"news@news.example", "bounce-1@news.example",
	"bounce-2@mail.news.example", "offers@NEWS.example",
};
static const char *const NEWS_AND_SHOP[] = {
	"news@news.example", "a@shop.example", "b@shop.example",
	"c@news.example",
};
static const char *const NEWS_AND_NULL[] = {
	"news@news.example", "", "a@news.example", "b@news.example",
};
static const char *const NEWS_LOOKALIKE[] = {
	"news@news.example", "a@fakenews.example", "b@news.example",
	"c@news.example",
};
static const char *const REMOTE_IPS[] = {
	"203.0.113.1", "203.0.113.2",
};
static const char *const WEBMAIL_IPS[] = {
	"198.51.100.10", "198.51.100.11",
};
static const char *const WEBMAIL_AND_REMOTE[] = {
	"198.51.100.12", "203.0.113.50",
};
static const char *const SPLIT_RANGES[] = {
	"198.51.100.13", "2001:db8::7", "::ffff:198.51.100.14",
};

/* The accounts, and how the allowlists below judge each. */
static const struct {
	struct run	 run;
	const char	*reason;	/* "": not allowlisted */
} population[] = {
	{ { ACCOUNT_SASL, "Alice@ISP.example", REMOTE_IPS, 2, FORGED, 6, 40 },
	    "account allowlisted" },
	{ { ACCOUNT_IP, "192.0.2.7", NULL, 0, FORGED, 6, 40 },
	    "client IP in allowlist 192.0.2.0/24" },
	{ { ACCOUNT_IP, "192.0.3.7", NULL, 0, FORGED, 6, 40 }, "" },
	{ { ACCOUNT_SASL, "webmail@isp.example", WEBMAIL_IPS, 2, FORGED, 6,
	    40 }, "all 2 client IPs in allowlist 198.51.100.0/24" },
	{ { ACCOUNT_SASL, "split@isp.example", SPLIT_RANGES, 3, FORGED, 6,
	    40 }, "all 3 client IPs in allowlist 198.51.100.0/24 and "
	    "2001:db8::/32" },
	{ { ACCOUNT_SASL, "mixed@isp.example", WEBMAIL_AND_REMOTE, 2, FORGED,
	    6, 40 }, "" },
	{ { ACCOUNT_SASL, "news@isp.example", REMOTE_IPS, 2, NEWS, 4, 40 },
	    "all senders in allowlisted domain news.example" },
	{ { ACCOUNT_SASL, "shops@isp.example", REMOTE_IPS, 2, NEWS_AND_SHOP,
	    4, 40 }, "all senders in allowlisted domains shop.example and "
	    "news.example" },
	{ { ACCOUNT_SASL, "bounces@isp.example", REMOTE_IPS, 2,
	    NEWS_AND_NULL, 4, 40 }, "" },
	{ { ACCOUNT_SASL, "fake@isp.example", REMOTE_IPS, 2, NEWS_LOOKALIKE,
	    4, 40 }, "" },
	{ { ACCOUNT_IP, "203.0.113.99", NULL, 0, NEWS, 4, 40 },
	    "all senders in allowlisted domain news.example" },
};

#define POPULATION	(sizeof(population) / sizeof(population[0]))

static const char ALLOWLISTS[] =
    "{ \"schema_version\": 1, \"allowlist\": {\n"
    "  \"accounts\": [\"ALICE@isp.example\"],\n"
    "  \"ips\": [\"192.0.2.0/24\", \"198.51.100.0/24\", "
    "\"2001:db8::/32\"],\n"
    "  \"sender_domains\": [\"news.example\", \"Shop.Example\"] } }";

/* build - the population in one aggregator */
static struct aggregator *
build(const struct classifier *cls)
{
	struct aggregator *agg = aggregator_new(cls);
	size_t		 i;

	for (i = 0; i < POPULATION; i++)
		feed_run(agg, &population[i].run, (unsigned)i);
	return agg;
}

/* lookup - a population account by its run */
static const struct account *
lookup(const struct aggregator *agg, const struct run *run)
{
	char		 key[128];
	const struct account *a;
	size_t		 i;

	/* SASL keys are kept in lower case. */
	for (i = 0; run->key[i] != '\0' && i + 1 < sizeof(key); i++)
		key[i] = run->kind == ACCOUNT_SASL &&
		    run->key[i] >= 'A' && run->key[i] <= 'Z' ?
		    (char)(run->key[i] - 'A' + 'a') : run->key[i];
	key[i] = '\0';
	a = aggregator_find(agg, run->kind, key);
	ck_assert_msg(a != NULL, "%s not found", key);
	return a;
}

/*
 * Every account is a likely zombie by its behaviour; the allowlisted
 * ones keep their score and reasons but their verdict is normal, with
 * the entry that matched.
 */
START_TEST(test_allowlists)
{
	struct classifier *cls = classifier_new();
	struct aggregator *agg = build(cls);
	struct zs_config *cfg = parse_ok(ALLOWLISTS);
	struct scorer	*plain = scorer_new(NULL);
	struct scorer	*sc = scorer_new(zsconfig_scoring(cfg));
	struct score	 a, b;
	size_t		 i, j;

	/* The scorer copied what it needs. */
	zsconfig_free(cfg);
	scorer_fit(plain, agg);
	scorer_fit(sc, agg);
	for (i = 0; i < POPULATION; i++) {
		const struct run *run = &population[i].run;
		const struct account *acct = lookup(agg, run);

		scorer_score(plain, acct, &a);
		scorer_score(sc, acct, &b);
		ck_assert_msg(a.verdict == VERDICT_LIKELY_ZOMBIE,
		    "%s: %.1f without allowlists", run->key, a.score);
		ck_assert_str_eq(a.allowlisted, "");
		ck_assert_msg(strcmp(b.allowlisted, population[i].reason) == 0,
		    "%s: allowlisted \"%s\", want \"%s\"", run->key,
		    b.allowlisted, population[i].reason);
		ck_assert_int_eq(b.verdict, population[i].reason[0] != '\0' ?
		    VERDICT_NORMAL : VERDICT_LIKELY_ZOMBIE);
		/* Points and reasons are the same either way. */
		ck_assert(a.score == b.score);
		ck_assert(a.raw_points == b.raw_points);
		ck_assert_uint_eq(a.count, b.count);
		for (j = 0; j < a.count; j++)
			ck_assert_str_eq(a.contributions[j].reason,
			    b.contributions[j].reason);
	}
	/* Without the account, the features alone are not allowlisted. */
	{
		struct account_features f;

		account_features(lookup(agg, &population[0].run), &f);
		scorer_score_features(sc, ACCOUNT_SASL, &f, &b);
		ck_assert_str_eq(b.allowlisted, "");
		ck_assert_int_eq(b.verdict, VERDICT_LIKELY_ZOMBIE);
	}
	ck_assert_uint_eq(scorer_config(sc)->allow_account_count, 1);
	ck_assert_str_eq(scorer_config(sc)->allow_accounts[0],
	    "alice@isp.example");
	scorer_free(plain);
	scorer_free(sc);
	aggregator_free(agg);
	classifier_free(cls);
}
END_TEST

/*
 * Up to AGGREGATOR_COUNTER_EXACT_MAX senders the aggregator knows them
 * all and the domain allowlist can vouch for every one; past that it
 * keeps a sample, and the account is not allowlisted by domain.
 */
START_TEST(test_allowlist_exact_limit)
{
	static const size_t counts[] = {
		AGGREGATOR_COUNTER_EXACT_MAX, AGGREGATOR_COUNTER_EXACT_MAX + 1
	};
	static const char *const want[] = {
		"all senders in allowlisted domain news.example", ""
	};
	struct classifier *cls = classifier_new();
	struct zs_config *cfg = parse_ok(ALLOWLISTS);
	char		 (*names)[32];
	const char	**senders;
	size_t		 k, i;

	names = calloc(counts[1], sizeof(*names));
	senders = calloc(counts[1], sizeof(*senders));
	ck_assert(names != NULL && senders != NULL);
	for (i = 0; i < counts[1]; i++) {
		snprintf(names[i], sizeof(names[i]), "s%zu@news.example", i);
		senders[i] = names[i];
	}
	for (k = 0; k < 2; k++) {
		struct aggregator *agg = aggregator_new(cls);
		struct scorer	*sc = scorer_new(zsconfig_scoring(cfg));
		struct run	 run = { ACCOUNT_IP, "203.0.113.77", NULL, 0,
				    senders, counts[k], (unsigned)counts[k] };
		struct score	 s;

		feed_run(agg, &run, 1);
		scorer_fit(sc, agg);
		scorer_score(sc, lookup(agg, &run), &s);
		ck_assert_msg(strcmp(s.allowlisted, want[k]) == 0,
		    "%zu senders: \"%s\"", counts[k], s.allowlisted);
		scorer_free(sc);
		aggregator_free(agg);
	}
	free(names);
	free(senders);
	zsconfig_free(cfg);
	classifier_free(cls);
}
END_TEST

/* ---- rule weights and thresholds --------------------------------- */

/* zombie_features - 40 messages, half refused as spam, 6 senders */
static void
zombie_features(struct account_features *f)
{
	memset(f, 0, sizeof(*f));
	f->messages = 40;
	f->recipients = 40;
	f->distinct_recipients = 40;
	f->distinct_domains = 10;
	f->sent = 20;
	f->bounced = 20;
	f->remote_rejections[RESPONSE_SPAM] = 20;
	f->distinct_senders = 6;
	f->distinct_client_ips = 1;
	f->auth_failures = 20;
	f->messages_by_hour[14] = 40;
	f->peak_hour_messages = 10;
	f->first_seen_sec = T0;
	f->last_seen_sec = T0 + 3600;
}

/* score_with - score f under a configuration text */
static void
score_with(const char *text, const struct account_features *f,
    struct score *out)
{
	struct zs_config *cfg = parse_ok(text);
	struct scorer	*sc = scorer_new(zsconfig_scoring(cfg));

	scorer_score_features(sc, ACCOUNT_SASL, f, out);
	scorer_free(sc);
	zsconfig_free(cfg);
}

START_TEST(test_rule_weights)
{
	struct account_features f;
	struct score	 def, s;
	const struct contribution *c, *d;

	zombie_features(&f);
	score_with("{ \"schema_version\": 1 }", &f, &def);
	ck_assert_ptr_nonnull(find_contribution(&def, "bounce_rate"));
	ck_assert_ptr_nonnull(find_contribution(&def, "auth_failures"));

	/* Weight 0 turns a rule off; the others are untouched. */
	score_with("{ \"schema_version\": 1, \"scoring\": { \"rules\": "
	    "{ \"bounce_rate\": { \"weight\": 0 } } } }", &f, &s);
	ck_assert_ptr_null(find_contribution(&s, "bounce_rate"));
	ck_assert_uint_eq(s.count, def.count - 1);
	ck_assert_double_eq_tol(s.raw_points, def.raw_points -
	    find_contribution(&def, "bounce_rate")->points, 1e-9);
	ck_assert(s.score < def.score);

	/* Weight 0.5 halves its points and says so. */
	score_with("{ \"schema_version\": 1, \"scoring\": { \"rules\": "
	    "{ \"auth_failures\": { \"weight\": 0.5 } } } }", &f, &s);
	c = find_contribution(&s, "auth_failures");
	d = find_contribution(&def, "auth_failures");
	ck_assert_ptr_nonnull(c);
	ck_assert_double_eq_tol(c->points, d->points / 2.0, 0.051);
	ck_assert_str_eq(c->reason, "20 failed SASL logins (threshold 5); "
	    "weight 0.5");
	ck_assert_str_eq(d->reason, "20 failed SASL logins (threshold 5)");
}
END_TEST

START_TEST(test_rule_thresholds)
{
	struct account_features f;
	struct score	 s;
	const struct contribution *c;

	zombie_features(&f);

	/* 20 failed logins: 10 points at threshold 5, none at 30. */
	score_with("{ \"schema_version\": 1, \"scoring\": { \"rules\": "
	    "{ \"auth_failures\": { \"threshold\": 30 } } } }", &f, &s);
	ck_assert_ptr_null(find_contribution(&s, "auth_failures"));
	/* At threshold 20 the curve starts there: 5 points. */
	score_with("{ \"schema_version\": 1, \"scoring\": { \"rules\": "
	    "{ \"auth_failures\": { \"threshold\": 20 } } } }", &f, &s);
	c = find_contribution(&s, "auth_failures");
	ck_assert_ptr_nonnull(c);
	ck_assert_double_eq(c->points, 5.0);
	ck_assert_double_eq(c->reference, 20.0);
	ck_assert_str_eq(c->reason, "20 failed SASL logins (threshold 20)");

	/* 6 senders fire at threshold 4, not at 8. */
	score_with("{ \"schema_version\": 1, \"scoring\": { \"rules\": "
	    "{ \"distinct_senders\": { \"threshold\": 8 } } } }", &f, &s);
	ck_assert_ptr_null(find_contribution(&s, "distinct_senders"));

	/* A 50% bounce rate: 30 points from 10-40%, 10 from 40-70%. */
	score_with("{ \"schema_version\": 1, \"scoring\": { \"rules\": "
	    "{ \"bounce_rate\": { \"lo\": 0.4, \"hi\": 0.7 } } } }", &f, &s);
	c = find_contribution(&s, "bounce_rate");
	ck_assert_ptr_nonnull(c);
	ck_assert_double_eq_tol(c->points, 10.0, 1e-9);
	ck_assert_str_eq(c->reason, "50% of 40 recipients bounced "
	    "(threshold 40%)");
	score_with("{ \"schema_version\": 1, \"scoring\": { \"rules\": "
	    "{ \"bounce_rate\": { \"lo\": 0.5, \"hi\": 0.7 } } } }", &f, &s);
	ck_assert_ptr_null(find_contribution(&s, "bounce_rate"));

	/* Verdict thresholds come from the file too. */
	score_with("{ \"schema_version\": 1, \"scoring\": "
	    "{ \"likely_zombie_min\": 99.5, \"suspicious_min\": 99 } }", &f,
	    &s);
	ck_assert_int_eq(s.verdict, VERDICT_NORMAL);
}
END_TEST

/* ---- the ISP's networks ------------------------------------------ */

/* sasl_from - a SASL account's score, logged in from the addresses */
static void
sasl_from(const char *config, enum account_kind kind,
    const char *const *ips, size_t nips, struct score *out)
{
	static const char *const one_sender[] = { "me@isp.example" };
	struct classifier *cls = classifier_new();
	struct aggregator *agg = aggregator_new(cls);
	struct zs_config *cfg = parse_ok(config);
	struct scorer	*sc = scorer_new(zsconfig_scoring(cfg));
	struct run	 run = { kind, "roamer@isp.example", ips, nips,
			    one_sender, 1, 12 };

	/* An IP account's key is its address. */
	if (kind == ACCOUNT_IP)
		run.key = ips[0];
	feed_run(agg, &run, 1);
	scorer_fit(sc, agg);
	scorer_score(sc, lookup(agg, &run), out);
	scorer_free(sc);
	zsconfig_free(cfg);
	aggregator_free(agg);
	classifier_free(cls);
}

START_TEST(test_logins_outside_isp)
{
	static const char *const three_out[] = {
		"203.0.113.1", "203.0.113.2", "2001:db8:9::1", "10.1.1.1",
		"unknown",
	};
	static const char *const two_out[] = {
		"203.0.113.1", "10.1.1.1", "10.1.1.2", "2001:db8:9::1",
	};
	static const char *const twelve_out[] = {
		"203.0.113.1", "203.0.113.2", "203.0.113.3", "203.0.113.4",
		"203.0.113.5", "203.0.113.6", "203.0.113.7", "203.0.113.8",
		"203.0.113.9", "203.0.113.10", "203.0.113.11", "203.0.113.12",
	};
	static const char isp[] = "{ \"schema_version\": 1, "
	    "\"isp_networks\": [\"10.0.0.0/8\", \"2001:db8:1::/48\"] }";
	struct score	 s;
	const struct contribution *c;

	/* Not configured: the rule is off. */
	sasl_from("{ \"schema_version\": 1 }", ACCOUNT_SASL, three_out, 5,
	    &s);
	ck_assert_ptr_null(find_contribution(&s, "logins_outside_isp"));

	/* Three foreign addresses (one IPv6; "unknown" is not counted). */
	sasl_from(isp, ACCOUNT_SASL, three_out, 5, &s);
	c = find_contribution(&s, "logins_outside_isp");
	ck_assert_ptr_nonnull(c);
	ck_assert_double_eq(c->points, 5.0);
	ck_assert_double_eq(c->value, 3.0);
	ck_assert_str_eq(c->comparison, "threshold");
	ck_assert_str_eq(c->reason, "SASL logins from 3 client IPs outside "
	    "the ISP's networks (threshold 3)");

	/* Two are not enough. */
	sasl_from(isp, ACCOUNT_SASL, two_out, 4, &s);
	ck_assert_ptr_null(find_contribution(&s, "logins_outside_isp"));

	/* Twelve (four times the threshold) give the full 15. */
	sasl_from(isp, ACCOUNT_SASL, twelve_out, 12, &s);
	c = find_contribution(&s, "logins_outside_isp");
	ck_assert_ptr_nonnull(c);
	ck_assert_double_eq(c->points, 15.0);

	/* An IP account has no login. */
	sasl_from(isp, ACCOUNT_IP, twelve_out, 1, &s);
	ck_assert_ptr_null(find_contribution(&s, "logins_outside_isp"));

	/* The threshold and weight are configurable like any rule's. */
	sasl_from("{ \"schema_version\": 1, \"isp_networks\": "
	    "[\"10.0.0.0/8\"], \"scoring\": { \"rules\": "
	    "{ \"logins_outside_isp\": { \"threshold\": 1 } } } }",
	    ACCOUNT_SASL, two_out, 4, &s);
	c = find_contribution(&s, "logins_outside_isp");
	ck_assert_ptr_nonnull(c);
	ck_assert_str_eq(c->reason, "SASL logins from 2 client IPs outside "
	    "the ISP's networks (threshold 1)");
	sasl_from("{ \"schema_version\": 1, \"isp_networks\": "
	    "[\"10.0.0.0/8\"], \"scoring\": { \"rules\": "
	    "{ \"logins_outside_isp\": { \"weight\": 0 } } } }",
	    ACCOUNT_SASL, twelve_out, 12, &s);
	ck_assert_ptr_null(find_contribution(&s, "logins_outside_isp"));
}
END_TEST

static Suite *
zsconfig_suite(void)
{
	Suite	*s = suite_create("zsconfig");
	TCase	*tc;

	tc = tcase_create("load");
	tcase_add_test(tc, test_defaults);
	tcase_add_test(tc, test_shipped_example);
	tcase_add_test(tc, test_man_page_example);
	tcase_add_test(tc, test_full_file);
	tcase_add_loop_test(tc, test_errors, 0,
	    (int)(sizeof(error_cases) / sizeof(error_cases[0])));
	tcase_add_test(tc, test_file_errors);
	suite_add_tcase(s, tc);

	tc = tcase_create("scoring");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_allowlists);
	tcase_add_test(tc, test_allowlist_exact_limit);
	tcase_add_test(tc, test_rule_weights);
	tcase_add_test(tc, test_rule_thresholds);
	tcase_add_test(tc, test_logins_outside_isp);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return run_suite(zsconfig_suite());
}
