/*
 * scorer - from an account's behaviour to a score, a verdict and the
 * reasons for both.
 *
 * Sixth stage.  The model is additive and explainable: each rule looks
 * at one feature (a rate, a count, a spread), compares it with a fixed
 * threshold or with the population of active accounts (median and
 * median absolute deviation, percentiles), and when it fires adds
 * named points with a sentence an analyst can read ("412 distinct
 * recipient domains; population p99 is 9").  The points are summed
 * and squashed into 0..100; the verdict comes from two thresholds.
 * doc/scoring.md documents every rule.
 *
 * scorer_fit() learns the population from an aggregator; then
 * scorer_score() may be called for any account of it.  Scoring is
 * deterministic: it depends on the accounts' values only, never on the
 * order in which the aggregator hands them out.
 *
 * The configuration (struct score_config, usually read from the file
 * analysis/zsconfig.h parses) sets the verdict thresholds, a weight and
 * the thresholds of each rule, allowlists and the ISP's own networks.
 * An allowlisted account is scored and reported like any other, but
 * its verdict is normal and the score says which entry matched.
 *
 * Ownership: a score's strings are owned by the score (fixed arrays)
 * or static; the scorer copies its configuration, lists included.
 */
#ifndef ZS_SCORER_H
#define ZS_SCORER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "analysis/aggregator.h"
#include "analysis/state.h"
#include "util/cidr.h"

struct scorer;

enum verdict {
	VERDICT_NORMAL,
	VERDICT_SUSPICIOUS,
	VERDICT_LIKELY_ZOMBIE
};

/*
 * The rules, in the order they are evaluated and their points summed
 * (doc/scoring.md describes each; score_rule_info() gives its name).
 */
enum score_rule {
	SCORE_RULE_BOUNCE_RATE,
	SCORE_RULE_UNKNOWN_USER_RATE,
	SCORE_RULE_REMOTE_SPAM_REJECTIONS,
	SCORE_RULE_DISTINCT_SENDERS,
	SCORE_RULE_DISTINCT_CLIENT_IPS,
	SCORE_RULE_AUTH_FAILURES,
	SCORE_RULE_LOCAL_REJECTIONS,
	SCORE_RULE_NIGHT_FRACTION,
	SCORE_RULE_LOGINS_OUTSIDE_ISP,
	SCORE_RULE_MESSAGES,
	SCORE_RULE_DISTINCT_DOMAINS,
	SCORE_RULE_RECIPIENTS_PER_MESSAGE,
	SCORE_RULE_PEAK_HOUR_MESSAGES,
	SCORE_RULE_RATE_LIMIT_RATE,
	SCORE_RULE_DEFERRAL_RATE,
	SCORE_RULE_BASELINE_JUMP,	/* needs scorer_use_state() */
	SCORE_RULE_FOREIGN_SENDER_DOMAINS,
	SCORE_RULE_ONE_TIME_RECIPIENTS,
	SCORE_RULE_MESSAGE_IDS_ADDED,
	SCORE_RULE_HELO_ANOMALIES,
	SCORE_RULE_LOCAL_RATE_LIMITS,
	SCORE_RULE_COUNT
};

/*
 * The numbers of one rule a configuration may change.  A rule reads
 * either threshold (a count rule) or lo and hi (a rule whose points
 * ramp from lo to hi); score_rule_info() says which, and the allowed
 * range.  What each number means per rule is in doc/scoring.md.
 */
struct score_rule_config {
	double		weight;		/* multiplies the rule's points,
					   before the volume cap; 0
					   disables the rule; default 1 */
	double		threshold;	/* SCORE_PARAM_THRESHOLD rules */
	double		lo;		/* SCORE_PARAM_RAMP rules: where */
	double		hi;		/* the points start and top out */
};

/* Which of threshold, lo and hi a rule reads. */
#define SCORE_PARAM_THRESHOLD	0x1
#define SCORE_PARAM_RAMP	0x2

/* What a configuration may set for one rule. */
struct score_rule_info {
	const char	*name;		/* stable feature name */
	unsigned	 params;	/* SCORE_PARAM_* */
	double		 min;		/* allowed range of threshold, */
	double		 max;		/* lo and hi (inclusive) */
	struct score_rule_config defaults;
};

/* Limits score_config_check() enforces on the general fields. */
#define SCORE_WEIGHT_MAX	100.0	/* weight_scale and rule weights */
#define SCORE_MIN_MESSAGES_MAX	UINT64_C(1000000000)

/*
 * The configuration.  Always start from score_config_defaults(): a
 * zeroed rules[] would disable every rule (weight 0).
 *
 * The lists are borrowed for scorer_new(), which copies them; NULL
 * with count 0 (or an empty cidr_list) means none.
 *   allow_accounts: account keys, matched ignoring ASCII case against
 *     the key of an account of any kind ("alice@isp.example",
 *     "192.0.2.7").
 *   allow_ips: an IP account whose address is inside, or a SASL
 *     account every one of whose client addresses is inside.
 *   allow_sender_domains: an account every one of whose envelope
 *     senders has one of these domains or a subdomain of one (ASCII
 *     case ignored; the null sender has no domain).
 *   isp_networks: the ISP's own address ranges; when not empty, SASL
 *     accounts used from addresses outside them are judged by the
 *     logins_outside_isp rule.
 *   local_domains: the ISP's own mail domains ("isp.example"); an
 *     envelope sender in one of them, or in a subdomain, is not foreign
 *     to any account (foreign_sender_domains).
 */
struct score_config {
	double		likely_zombie_min;	/* score; default 70 */
	double		suspicious_min;		/* default 40 */
	uint64_t	min_messages;		/* below: rates not judged;
						   default 5 */
	double		weight_scale;		/* multiplies every rule's
						   points; default 1 */
	struct score_rule_config rules[SCORE_RULE_COUNT];
						/* indexed by enum
						   score_rule */
	const char *const *allow_accounts;
	size_t		allow_account_count;
	const struct cidr_list *allow_ips;
	const char *const *allow_sender_domains;
	size_t		allow_sender_domain_count;
	const struct cidr_list *isp_networks;
	const char *const *local_domains;
	size_t		local_domain_count;
};

#define SCORE_MAX_CONTRIBUTIONS	24
#define SCORE_REASON_BYTES	512

struct contribution {
	const char	*feature;	/* stable name: "bounce_rate" */
	double		 value;		/* the account's value */
	double		 reference;	/* what it was compared with */
	const char	*comparison;	/* "threshold" (a fixed number),
					   "population_p99" or
					   "population_median" (the
					   reference came from the
					   population) or "baseline"
					   (the account's own history,
					   baseline_jump); static string */
	double		 points;	/* added to the raw score; > 0,
					   rounded to 0.1, weight_scale
					   applied */
	char		 reason[SCORE_REASON_BYTES];
};

/*
 * The squash: score = 100 * (1 - exp(-raw_points / SCORE_POINTS_SCALE)),
 * so 40 needs about 31 raw points and 70 about 72.
 */
#define SCORE_POINTS_SCALE	60.0

struct score {
	double		 score;		/* 0..100, rounded to 0.1 */
	double		 raw_points;	/* sum of the contributions */
	enum verdict	 verdict;	/* VERDICT_NORMAL when allowlisted */
	size_t		 count;
	struct contribution contributions[SCORE_MAX_CONTRIBUTIONS];
					/* largest points first */
	char		 allowlisted[SCORE_REASON_BYTES];
					/* why the account is allowlisted
					   ("account allowlisted", "client
					   IP in allowlist 192.0.2.0/24",
					   "all senders in allowlisted
					   domain news.example"); "" when
					   it is not */
};

/*
 * Population figures the report prints beside the accounts.  The
 * population is every account with at least min_messages messages;
 * quantiles are exact (linear interpolation between order
 * statistics), MAD is the median absolute deviation from the median.
 * All are 0 when the population is empty, and the rules then use
 * their fixed thresholds only.
 */
struct population {
	uint64_t	active_accounts;	/* >= min_messages */
	double		median_messages;
	double		p99_messages;
	double		median_domains;
	double		p99_domains;
	double		median_recipients_per_message;
	double		p99_recipients_per_message;
	double		mad_messages;
	double		mad_domains;
	double		mad_recipients_per_message;
	double		median_peak_hour_messages;
	double		mad_peak_hour_messages;
	double		p99_peak_hour_messages;
	uint64_t	active_sasl_accounts;	/* of them, kind sasl */
	double		median_sasl_client_ips;
	double		p99_sasl_client_ips;
};

/* score_config_defaults - fill with the documented defaults, no lists */
void		score_config_defaults(struct score_config *cfg);

/*
 * score_config_check - whether every number of cfg is in its range
 * (thresholds 0-100 with suspicious_min <= likely_zombie_min,
 * min_messages 1-SCORE_MIN_MESSAGES_MAX, weights 0-SCORE_WEIGHT_MAX,
 * rule numbers within their score_rule_info() range with lo < hi);
 * false with a message naming the field ("rules.bounce_rate.lo: ...")
 * in err.  scorer_new() gives a rule whose numbers fail its defaults,
 * and a weight_scale that is not a non-negative number 1.
 */
bool		score_config_check(const struct score_config *cfg,
		    char *err, size_t errlen);

/* score_rule_info - name, numbers and defaults of a rule; NULL if none */
const struct score_rule_info *score_rule_info(enum score_rule rule);

/* score_rule_from_name - the rule a feature name stands for */
bool		score_rule_from_name(const char *name, enum score_rule *rule);

/* scorer_new - cfg copied; NULL for defaults. Free with scorer_free() */
struct scorer	*scorer_new(const struct score_config *cfg);

/* scorer_free - free; NULL is a no-op */
void		scorer_free(struct scorer *sc);

/* scorer_fit - learn population statistics from every account */
void		scorer_fit(struct scorer *sc, const struct aggregator *agg);

/*
 * scorer_score - score one account (after scorer_fit): every rule, the
 * allowlists, and logins_outside_isp (which need the account's key,
 * client addresses and senders)
 */
void		scorer_score(const struct scorer *sc,
		    const struct account *acct, struct score *out);

/*
 * scorer_score_features - score an account known only by its kind and
 * features: what scorer_score() does, without the allowlists and the
 * logins_outside_isp rule, which need more than the features
 */
void		scorer_score_features(const struct scorer *sc,
		    enum account_kind kind, const struct account_features *f,
		    struct score *out);

/*
 * scorer_use_state - compare each account with its own baseline in st
 * (borrowed; it must outlive the scorer's use and must not be updated
 * meanwhile).  window_days is the length of the run's window in days
 * (at least 1), to turn its counts into figures per day.  Accounts
 * whose baseline spans min_history_days or more are judged by the
 * baseline_jump rule, and their volume rules are damped when the
 * volume is usual for them (doc/scoring.md).  NULL st: no baselines.
 */
void		scorer_use_state(struct scorer *sc, const struct state *st,
		    double window_days);

/* scorer_state - the state scorer_use_state() gave, or NULL; borrowed */
const struct state *scorer_state(const struct scorer *sc);

/* scorer_population - what scorer_fit learnt; borrowed */
const struct population *scorer_population(const struct scorer *sc);

/* scorer_config - the configuration in use (defaults filled); borrowed */
const struct score_config *scorer_config(const struct scorer *sc);

/* verdict_name - "normal", "suspicious", "likely_zombie" */
const char	*verdict_name(enum verdict v);

#endif
