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
 * Ownership: a score's strings are owned by the score (fixed arrays);
 * the scorer copies its configuration.
 */
#ifndef ZS_SCORER_H
#define ZS_SCORER_H

#include <stddef.h>
#include <stdint.h>

#include "analysis/aggregator.h"

struct scorer;

enum verdict {
	VERDICT_NORMAL,
	VERDICT_SUSPICIOUS,
	VERDICT_LIKELY_ZOMBIE
};

struct score_config {
	double		likely_zombie_min;	/* score; default 70 */
	double		suspicious_min;		/* default 40 */
	uint64_t	min_messages;		/* below: rates not judged;
						   default 5 */
	double		weight_scale;		/* multiplies every rule's
						   points; default 1 */
};

#define SCORE_MAX_CONTRIBUTIONS	16
#define SCORE_REASON_BYTES	200

struct contribution {
	const char	*feature;	/* stable name: "bounce_rate" */
	double		 value;		/* the account's value */
	double		 reference;	/* what it was compared with */
	const char	*comparison;	/* "threshold" (a fixed number),
					   "population_p99" or
					   "population_median" (the
					   reference came from the
					   population); static string */
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
	enum verdict	 verdict;
	size_t		 count;
	struct contribution contributions[SCORE_MAX_CONTRIBUTIONS];
					/* largest points first */
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

/* score_config_defaults - fill with the documented defaults */
void		score_config_defaults(struct score_config *cfg);

/* scorer_new - cfg copied; NULL for defaults. Free with scorer_free() */
struct scorer	*scorer_new(const struct score_config *cfg);

/* scorer_free - free; NULL is a no-op */
void		scorer_free(struct scorer *sc);

/* scorer_fit - learn population statistics from every account */
void		scorer_fit(struct scorer *sc, const struct aggregator *agg);

/* scorer_score - score one account (after scorer_fit) */
void		scorer_score(const struct scorer *sc,
		    const struct account *acct, struct score *out);

/*
 * scorer_score_features - score an account known only by its kind and
 * features (what scorer_score() does after account_features())
 */
void		scorer_score_features(const struct scorer *sc,
		    enum account_kind kind, const struct account_features *f,
		    struct score *out);

/* scorer_population - what scorer_fit learnt; borrowed */
const struct population *scorer_population(const struct scorer *sc);

/* scorer_config - the configuration in use (defaults filled); borrowed */
const struct score_config *scorer_config(const struct scorer *sc);

/* verdict_name - "normal", "suspicious", "likely_zombie" */
const char	*verdict_name(enum verdict v);

#endif
