/*
 * scorer - additive, explainable scoring of accounts (see scorer.h).
 *
 * Every rule is one entry of the rules[] table below: a stable feature
 * name, a group, and a short function that compares one feature with a
 * fixed threshold or with the population and, when it fires, returns
 * its points and writes a reason an analyst can read.  The shapes of
 * the point curves (linear ramps, logarithmic ramps, points per
 * doubling) are shared helpers, so each rule states only its numbers.
 * doc/scoring.md explains every rule and why its numbers were chosen.
 *
 * Volume alone is not abuse: a newsletter sends thousands of messages
 * to thousands of domains in one burst and gets rate-limited.  The
 * rules that measure only how much an account sends form the volume
 * group, whose points together are capped (VOLUME_GROUP_CAP) below
 * what the suspicious verdict needs.  Only evidence that receivers
 * refused the mail, that addresses were guessed, that senders were
 * forged or that a login was shared lifts an account further.
 */
#include "config.h"

#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/scorer.h"
#include "util/xalloc.h"

/*
 * Rates are judged only over this many delivery attempts: two bounces
 * out of five recipients say little.
 */
#define RATE_MIN_RECIPIENTS	10

/*
 * The bounce and unknown-user rates also need this many failed
 * recipients: three stale addresses in an old address book make 30%
 * of ten recipients, five dead addresses start to be a pattern.
 * (Simulated populations showed ordinary users at 3 of 10 and 4 of
 * 15; spam runs, even slow ones, bounce by the dozen.)
 */
#define RATE_MIN_FAILURES	5

/* Points the volume group may add together, before weight_scale. */
#define VOLUME_GROUP_CAP	24.0

/* 1.4826 * MAD estimates the standard deviation of normal data. */
#define MAD_TO_SIGMA		1.4826

/* The local hours counted as night: 00:00 to 05:59. */
#define NIGHT_FIRST_HOUR	0
#define NIGHT_LAST_HOUR		5

struct scorer {
	struct score_config cfg;
	struct population pop;
};

enum rule_group {
	GROUP_EVIDENCE,		/* uncapped: refusals, forgery, logins */
	GROUP_VOLUME		/* how much: capped together */
};

/* What a rule sees of one account. */
struct rule_input {
	const struct population *pop;
	const struct account_features *f;
	enum account_kind kind;
	bool		has_population;	/* pop figures are meaningful */
	bool		judge_rates;	/* enough messages and recipients */
	double		deliveries;	/* sent+bounced+deferred+expired */
};

/*
 * A rule returns its points before weight_scale (0 when it does not
 * fire) and fills value, reference, comparison and reason of *c.
 */
struct rule {
	const char	*feature;
	enum rule_group	 group;
	double		(*eval)(const struct rule_input *in,
			    struct contribution *c);
};

/* Formatting buffers for one reason sentence. */
#define NUMBUF	40

/* score_config_defaults - the documented defaults */
void
score_config_defaults(struct score_config *cfg)
{
	cfg->likely_zombie_min = 70.0;
	cfg->suspicious_min = 40.0;
	cfg->min_messages = 5;
	cfg->weight_scale = 1.0;
}

/* ---- point curves ---------------------------------------------- */

/* ramp - 0 at or below lo, max_points at or above hi, linear between */
static double
ramp(double value, double lo, double hi, double max_points)
{
	if (!(value > lo))
		return 0.0;
	if (value >= hi || hi <= lo)
		return max_points;
	return max_points * (value - lo) / (hi - lo);
}

/*
 * log_ramp - as ramp(), on a logarithmic scale: counts that spread over
 * orders of magnitude (messages, domains) gain the same points for each
 * doubling.  lo must be positive.
 */
static double
log_ramp(double value, double lo, double hi, double max_points)
{
	if (!(lo > 0.0) || !(value > lo))
		return 0.0;
	if (value >= hi || hi <= lo)
		return max_points;
	return max_points * log(value / lo) / log(hi / lo);
}

/*
 * per_doubling - start points at value == base plus per_doubling for
 * each doubling above it, capped at max_points; 0 below fire_min.
 */
static double
per_doubling(double value, double fire_min, double base, double start,
    double per, double max_points)
{
	double	points;

	if (!(value >= fire_min) || !(base > 0.0))
		return 0.0;
	points = start + per * log2(value / base);
	if (points > max_points)
		points = max_points;
	return points > 0.0 ? points : 0.0;
}

/* ---- number formatting for reasons ----------------------------- */

/*
 * group_thousands - copy the decimal number in digits to buf with a
 * comma between groups of three integer digits ("1834.5" -> "1,834.5")
 */
static void
group_thousands(char *buf, size_t size, const char *digits)
{
	const char	*dot = strchr(digits, '.');
	size_t		 intlen = dot != NULL ? (size_t)(dot - digits) :
			    strlen(digits);
	size_t		 i, o = 0;

	for (i = 0; i < intlen && o + 2 < size; i++) {
		if (i > 0 && (intlen - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = digits[i];
	}
	if (dot != NULL)
		for (; *dot != '\0' && o + 1 < size; dot++)
			buf[o++] = *dot;
	buf[o] = '\0';
}

/* fmt_count - an integer with thousands separators */
static const char *
fmt_count(char *buf, uint64_t n)
{
	char	digits[NUMBUF];

	snprintf(digits, sizeof(digits), "%llu", (unsigned long long)n);
	group_thousands(buf, NUMBUF, digits);
	return buf;
}

/*
 * fmt_number - a non-negative figure: integral values as counts, others
 * with one decimal ("6.5", "1,234.5")
 */
static const char *
fmt_number(char *buf, double x)
{
	char	digits[NUMBUF];

	if (!(x >= 0.0) || x >= 1e18) {
		snprintf(buf, NUMBUF, "%g", x);
		return buf;
	}
	x = round(x * 10.0) / 10.0;
	if (x == floor(x))
		return fmt_count(buf, (uint64_t)x);
	snprintf(digits, sizeof(digits), "%.1f", x);
	group_thousands(buf, NUMBUF, digits);
	return buf;
}

/* fmt_percent - a fraction as a percentage: "31%", "3.5%" */
static const char *
fmt_percent(char *buf, double fraction)
{
	double	pct = fraction * 100.0;

	if (pct >= 10.0 || pct == floor(pct))
		snprintf(buf, NUMBUF, "%.0f%%", pct);
	else
		snprintf(buf, NUMBUF, "%.1f%%", pct);
	return buf;
}

/* set_reason - printf into the contribution's reason */
static void __attribute__((format(printf, 2, 3)))
set_reason(struct contribution *c, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(c->reason, sizeof(c->reason), fmt, ap);
	va_end(ap);
}

/* set_compared - value, reference and comparison of a contribution */
static void
set_compared(struct contribution *c, double value, double reference,
    const char *comparison)
{
	c->value = value;
	c->reference = reference;
	c->comparison = comparison;
}

/* ---- the rules ------------------------------------------------- */

/*
 * rule_bounce_rate - permanent failures per delivery attempt.  Lists
 * bought or harvested from the web are full of dead addresses; an
 * ordinary user's address book and a maintained newsletter list are
 * not (list hygiene keeps bulk senders under 5%).
 */
static double
rule_bounce_rate(const struct rule_input *in, struct contribution *c)
{
	char	b1[NUMBUF], b2[NUMBUF];
	double	rate, points;

	if (!in->judge_rates || in->deliveries <= 0.0 ||
	    in->f->bounced < RATE_MIN_FAILURES)
		return 0.0;
	rate = (double)in->f->bounced / in->deliveries;
	points = ramp(rate, 0.10, 0.40, 30.0);
	if (!(points > 0.0))
		return 0.0;
	set_compared(c, rate, 0.10, "threshold");
	set_reason(c, "%s of %s recipients bounced (threshold 10%%)",
	    fmt_percent(b1, rate), fmt_number(b2, in->deliveries));
	return points;
}

/*
 * rule_unknown_user_rate - recipients refused as non-existent
 * ("550 5.1.1 User unknown"): the mark of a harvested or generated
 * address list.
 */
static double
rule_unknown_user_rate(const struct rule_input *in, struct contribution *c)
{
	char	b1[NUMBUF], b2[NUMBUF], b3[NUMBUF];
	uint64_t n = in->f->remote_rejections[RESPONSE_UNKNOWN_USER];
	double	rate, points;

	if (!in->judge_rates || in->f->recipients == 0 ||
	    n < RATE_MIN_FAILURES)
		return 0.0;
	rate = (double)n / (double)in->f->recipients;
	points = ramp(rate, 0.05, 0.30, 20.0);
	if (!(points > 0.0))
		return 0.0;
	set_compared(c, rate, 0.05, "threshold");
	set_reason(c, "%s of %s recipients (%s) refused as unknown users "
	    "(threshold 5%%)", fmt_percent(b1, rate),
	    fmt_count(b2, in->f->recipients), fmt_count(b3, n));
	return points;
}

/*
 * rule_remote_spam_rejections - receivers that refused the mail as
 * spam, because the relay is blocklisted, or for the sender's
 * reputation.  One such refusal is noise (a strict filter, a false
 * positive); each doubling of the count adds the same points.
 */
static double
rule_remote_spam_rejections(const struct rule_input *in,
    struct contribution *c)
{
	static const struct {
		enum response_class class;
		const char	*label;
	} classes[] = {
		{ RESPONSE_SPAM, "as spam" },
		{ RESPONSE_BLOCKLIST, "for a blocklist listing" },
		{ RESPONSE_REPUTATION, "for reputation or policy" },
	};
	char		 parts[3][NUMBUF + 32];
	char		 b1[NUMBUF], b2[NUMBUF], b3[NUMBUF];
	char		 list[sizeof(parts) + 16];
	const uint64_t	*rr = in->f->remote_rejections;
	uint64_t	 count = 0;
	size_t		 i, len, nparts = 0;
	double		 rate, points;

	for (i = 0; i < sizeof(classes) / sizeof(classes[0]); i++)
		count += rr[classes[i].class];
	if (count < 2 || in->f->recipients == 0)
		return 0.0;
	rate = (double)count / (double)in->f->recipients;
	if (rate < 0.01)
		return 0.0;
	/* "12 as spam, 3 for a blocklist listing and 1 for reputation" */
	for (i = 0; i < sizeof(classes) / sizeof(classes[0]); i++) {
		if (rr[classes[i].class] == 0)
			continue;
		snprintf(parts[nparts++], sizeof(parts[0]), "%s %s",
		    fmt_count(b1, rr[classes[i].class]), classes[i].label);
	}
	list[0] = '\0';
	for (i = 0; i < nparts; i++) {
		len = strlen(list);
		snprintf(list + len, sizeof(list) - len, "%s%s",
		    i == 0 ? "" : i + 1 == nparts ? " and " : ", ", parts[i]);
	}
	points = per_doubling((double)count, 2.0, 1.0, 8.0, 9.0, 35.0);
	if (!(points > 0.0))
		return 0.0;
	set_compared(c, (double)count, 2.0, "threshold");
	set_reason(c, "%s recipients refused by remote servers: %s "
	    "(%s of %s recipients; threshold 2 refusals and 1%%)",
	    fmt_count(b2, count), list, fmt_percent(b1, rate),
	    fmt_count(b3, in->f->recipients));
	return points;
}

/*
 * rule_rate_limit_rate - recipients refused or deferred because the
 * receiver throttles the relay ("421 4.7.0 rate limited").  Heavy
 * senders of any kind meet throttling, so this is a volume rule.
 */
static double
rule_rate_limit_rate(const struct rule_input *in, struct contribution *c)
{
	char	b1[NUMBUF], b2[NUMBUF];
	uint64_t n = in->f->remote_rejections[RESPONSE_RATE_LIMIT];
	double	rate, points;

	if (!in->judge_rates || in->f->recipients == 0 || n < 3)
		return 0.0;
	rate = (double)n / (double)in->f->recipients;
	points = ramp(rate, 0.02, 0.20, 6.0);
	if (!(points > 0.0))
		return 0.0;
	set_compared(c, rate, 0.02, "threshold");
	set_reason(c, "%s of %s recipients met remote rate limits "
	    "(threshold 2%%)", fmt_percent(b1, rate),
	    fmt_count(b2, in->f->recipients));
	return points;
}

/*
 * rule_deferral_rate - delivery attempts deferred per recipient:
 * greylisting and tempfailing receivers make spam retry again and
 * again, where mail to known correspondents mostly goes through first
 * time.
 */
static double
rule_deferral_rate(const struct rule_input *in, struct contribution *c)
{
	double	rate, points;

	if (!in->judge_rates || in->f->recipients == 0)
		return 0.0;
	rate = (double)in->f->deferral_attempts / (double)in->f->recipients;
	points = ramp(rate, 0.5, 3.0, 4.0);
	if (!(points > 0.0))
		return 0.0;
	set_compared(c, rate, 0.5, "threshold");
	set_reason(c, "%.2f deferred delivery attempts per recipient "
	    "(threshold 0.5)", rate);
	return points;
}

/*
 * rule_distinct_senders - spamware forges a new envelope sender for
 * every few messages; people and bulk senders use one or two.
 */
static double
rule_distinct_senders(const struct rule_input *in, struct contribution *c)
{
	char	b1[NUMBUF];
	double	n = (double)in->f->distinct_senders;
	double	points;

	/* A local account is one sender by construction. */
	if (in->kind == ACCOUNT_LOCAL)
		return 0.0;
	points = per_doubling(n, 4.0, 1.0, 0.0, 6.0, 30.0);
	if (!(points > 0.0))
		return 0.0;
	set_compared(c, n, 4.0, "threshold");
	set_reason(c, "%s distinct envelope senders (threshold 4)",
	    fmt_count(b1, in->f->distinct_senders));
	return points;
}

/*
 * rule_distinct_client_ips - one SASL login used from many addresses:
 * stolen credentials shared by a botnet.  Phones and laptops roam over
 * a few networks, so the threshold is the larger of 4 and twice the
 * population's median.
 */
static double
rule_distinct_client_ips(const struct rule_input *in,
    struct contribution *c)
{
	char	 b1[NUMBUF], b2[NUMBUF], b3[NUMBUF];
	double	 n = (double)in->f->distinct_client_ips;
	double	 points;
	double	 threshold = 4.0;
	const char *comparison = "threshold";

	if (in->kind != ACCOUNT_SASL)
		return 0.0;
	if (in->pop->active_sasl_accounts > 0 &&
	    2.0 * in->pop->median_sasl_client_ips > threshold) {
		threshold = 2.0 * in->pop->median_sasl_client_ips;
		comparison = "population_median";
	}
	points = per_doubling(n, threshold, threshold / 2.0, 0.0, 8.0, 30.0);
	if (!(points > 0.0))
		return 0.0;
	set_compared(c, n, threshold, comparison);
	if (in->pop->active_sasl_accounts > 0)
		set_reason(c, "SASL login used from %s client IP addresses "
		    "(threshold %s; population median %s)",
		    fmt_count(b1, in->f->distinct_client_ips),
		    fmt_number(b2, threshold),
		    fmt_number(b3, in->pop->median_sasl_client_ips));
	else
		set_reason(c, "SASL login used from %s client IP addresses "
		    "(threshold %s)",
		    fmt_count(b1, in->f->distinct_client_ips),
		    fmt_number(b2, threshold));
	return points;
}

/*
 * rule_auth_failures - failed SASL logins: password guessing, or a
 * bot trying a stolen list.  A phone with an old password fails too,
 * so the points grow slowly and stop at 15.
 */
static double
rule_auth_failures(const struct rule_input *in, struct contribution *c)
{
	char	b1[NUMBUF];
	double	n = (double)in->f->auth_failures;
	double	points;

	points = per_doubling(n, 5.0, 5.0, 5.0, 2.5, 15.0);
	if (!(points > 0.0))
		return 0.0;
	set_compared(c, n, 5.0, "threshold");
	set_reason(c, "%s failed SASL logins (threshold 5)",
	    fmt_count(b1, in->f->auth_failures));
	return points;
}

/*
 * rule_local_rejections - attempts this relay refused itself (its
 * recipient, sender and content checks): spamware does not take no
 * for an answer.
 */
static double
rule_local_rejections(const struct rule_input *in, struct contribution *c)
{
	char	b1[NUMBUF];
	double	n = (double)in->f->local_rejections;
	double	points;

	points = per_doubling(n, 3.0, 3.0, 5.0, 2.5, 15.0);
	if (!(points > 0.0))
		return 0.0;
	set_compared(c, n, 3.0, "threshold");
	set_reason(c, "%s attempts refused by this relay (threshold 3)",
	    fmt_count(b1, in->f->local_rejections));
	return points;
}

/*
 * rule_messages - volume far above the population: both above
 * max(p99, 3 * median + 20) and at least 5 robust standard deviations
 * from the median.  The +1 in the denominator keeps a population of
 * identical accounts (MAD 0) from making every small excess huge.
 */
static double
rule_messages(const struct rule_input *in, struct contribution *c)
{
	char		 b1[NUMBUF], b2[NUMBUF], b3[NUMBUF];
	const struct population *p = in->pop;
	double		 x = (double)in->f->messages;
	double		 points;
	double		 by_median = 3.0 * p->median_messages + 20.0;
	double		 threshold, z;
	const char	*comparison;

	if (!in->has_population) {
		threshold = 20.0;
		comparison = "threshold";
	} else if (p->p99_messages >= by_median) {
		threshold = p->p99_messages;
		comparison = "population_p99";
	} else {
		threshold = by_median;
		comparison = "population_median";
	}
	z = (x - p->median_messages) /
	    (MAD_TO_SIGMA * p->mad_messages + 1.0);
	if (!(x > threshold) || z < 5.0)
		return 0.0;
	points = log_ramp(x, threshold, 10.0 * threshold, 12.0);
	if (!(points > 0.0))
		return 0.0;
	set_compared(c, x, threshold, comparison);
	if (in->has_population)
		set_reason(c, "%s messages; population p99 is %s, median %s "
		    "(robust z %.1f)", fmt_count(b1, in->f->messages),
		    fmt_number(b2, p->p99_messages),
		    fmt_number(b3, p->median_messages), z);
	else
		set_reason(c, "%s messages (threshold 20)",
		    fmt_count(b1, in->f->messages));
	return points;
}

/*
 * population_threshold - the larger of the population's p99 and a
 * fixed floor (the floor alone when the population is empty), with
 * the comparison name to report
 */
static double
population_threshold(const struct rule_input *in, double p99, double floor_,
    const char **comparison)
{
	if (in->has_population && p99 > floor_) {
		*comparison = "population_p99";
		return p99;
	}
	*comparison = "threshold";
	return floor_;
}

/*
 * reason_vs_p99 - "<what>; population p99 is Y" when the p99 is the
 * threshold, else "<what> (threshold T; population p99 is Y)"
 */
static void
reason_vs_p99(const struct rule_input *in, struct contribution *c,
    const char *what, double p99)
{
	char	b1[NUMBUF], b2[NUMBUF];

	if (strcmp(c->comparison, "population_p99") == 0)
		set_reason(c, "%s; population p99 is %s", what,
		    fmt_number(b1, p99));
	else if (in->has_population)
		set_reason(c, "%s (threshold %s; population p99 is %s)", what,
		    fmt_number(b1, c->reference), fmt_number(b2, p99));
	else
		set_reason(c, "%s (threshold %s)", what,
		    fmt_number(b1, c->reference));
}

/* rule_distinct_domains - fan-out over recipient domains */
static double
rule_distinct_domains(const struct rule_input *in, struct contribution *c)
{
	char		 b1[NUMBUF], what[NUMBUF + 40];
	const char	*comparison;
	double		 x = (double)in->f->distinct_domains;
	double		 points;
	double		 threshold;

	threshold = population_threshold(in, in->pop->p99_domains, 20.0,
	    &comparison);
	if (!(x > threshold))
		return 0.0;
	points = log_ramp(x, threshold, 10.0 * threshold, 12.0);
	if (!(points > 0.0))
		return 0.0;
	set_compared(c, x, threshold, comparison);
	snprintf(what, sizeof(what), "%s distinct recipient domains",
	    fmt_count(b1, in->f->distinct_domains));
	reason_vs_p99(in, c, what, in->pop->p99_domains);
	return points;
}

/* rule_recipients_per_message - many recipients on each message */
static double
rule_recipients_per_message(const struct rule_input *in,
    struct contribution *c)
{
	char		 b1[NUMBUF], what[NUMBUF + 40];
	const char	*comparison;
	double		 x, threshold, points;

	if (!in->judge_rates || in->f->messages == 0)
		return 0.0;
	x = (double)in->f->recipients / (double)in->f->messages;
	threshold = population_threshold(in,
	    in->pop->p99_recipients_per_message, 20.0, &comparison);
	if (!(x > threshold))
		return 0.0;
	points = log_ramp(x, threshold, 10.0 * threshold, 8.0);
	if (!(points > 0.0))
		return 0.0;
	set_compared(c, x, threshold, comparison);
	snprintf(what, sizeof(what), "%s recipients per message",
	    fmt_number(b1, round(x * 10.0) / 10.0));
	reason_vs_p99(in, c, what, in->pop->p99_recipients_per_message);
	return points;
}

/*
 * rule_night_fraction - most mail sent while the subscriber sleeps.
 * Devices (alarm panels, backups) send at night too, but few messages
 * to one recipient from one sender, so the points stay small.
 */
static double
rule_night_fraction(const struct rule_input *in, struct contribution *c)
{
	char	 b1[NUMBUF], b2[NUMBUF];
	uint64_t night = 0, total = 0;
	double	 fraction, points;
	int	 h;

	for (h = 0; h < 24; h++) {
		total += in->f->messages_by_hour[h];
		if (h >= NIGHT_FIRST_HOUR && h <= NIGHT_LAST_HOUR)
			night += in->f->messages_by_hour[h];
	}
	if (total < 20)
		return 0.0;
	fraction = (double)night / (double)total;
	points = ramp(fraction, 0.5, 0.9, 10.0);
	if (!(points > 0.0))
		return 0.0;
	set_compared(c, fraction, 0.5, "threshold");
	set_reason(c, "%s of %s messages sent between 00:00 and 05:59 "
	    "local time (threshold 50%%)", fmt_percent(b1, fraction),
	    fmt_count(b2, total));
	return points;
}

/* rule_peak_hour_messages - a burst: many messages in one clock hour */
static double
rule_peak_hour_messages(const struct rule_input *in, struct contribution *c)
{
	char		 b1[NUMBUF], what[NUMBUF + 40];
	const char	*comparison;
	double		 x = (double)in->f->peak_hour_messages;
	double		 points;
	double		 threshold;

	threshold = population_threshold(in,
	    in->pop->p99_peak_hour_messages, 100.0, &comparison);
	if (!(x > threshold))
		return 0.0;
	points = log_ramp(x, threshold, 10.0 * threshold, 10.0);
	if (!(points > 0.0))
		return 0.0;
	set_compared(c, x, threshold, comparison);
	snprintf(what, sizeof(what), "%s messages in the busiest hour",
	    fmt_count(b1, in->f->peak_hour_messages));
	reason_vs_p99(in, c, what, in->pop->p99_peak_hour_messages);
	return points;
}

/* The model: evaluated in this order, listed by points. */
static const struct rule rules[] = {
	{ "bounce_rate",		GROUP_EVIDENCE,	rule_bounce_rate },
	{ "unknown_user_rate",		GROUP_EVIDENCE,
	    rule_unknown_user_rate },
	{ "remote_spam_rejections",	GROUP_EVIDENCE,
	    rule_remote_spam_rejections },
	{ "distinct_senders",		GROUP_EVIDENCE,	rule_distinct_senders },
	{ "distinct_client_ips",	GROUP_EVIDENCE,
	    rule_distinct_client_ips },
	{ "auth_failures",		GROUP_EVIDENCE,	rule_auth_failures },
	{ "local_rejections",		GROUP_EVIDENCE,	rule_local_rejections },
	{ "night_fraction",		GROUP_EVIDENCE,	rule_night_fraction },
	{ "messages",			GROUP_VOLUME,	rule_messages },
	{ "distinct_domains",		GROUP_VOLUME,	rule_distinct_domains },
	{ "recipients_per_message",	GROUP_VOLUME,
	    rule_recipients_per_message },
	{ "peak_hour_messages",		GROUP_VOLUME,
	    rule_peak_hour_messages },
	{ "rate_limit_rate",		GROUP_VOLUME,	rule_rate_limit_rate },
	{ "deferral_rate",		GROUP_VOLUME,	rule_deferral_rate },
};

#define RULE_COUNT	(sizeof(rules) / sizeof(rules[0]))

_Static_assert(sizeof(rules) / sizeof(rules[0]) <= SCORE_MAX_CONTRIBUTIONS,
    "every rule must fit in struct score");

/* ---- population ------------------------------------------------ */

/* compare_double - qsort order for doubles (no NaN reaches here) */
static int
compare_double(const void *a, const void *b)
{
	double	x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/*
 * quantile - the p-quantile of n sorted values, interpolating linearly
 * between the order statistics at (n - 1) * p (Hyndman and Fan's
 * definition 7, the default of R and NumPy); 0 for n == 0
 */
static double
quantile(const double *sorted, size_t n, double p)
{
	double	h, frac;
	size_t	lo;

	if (n == 0)
		return 0.0;
	h = (double)(n - 1) * p;
	lo = (size_t)floor(h);
	if (lo + 1 >= n)
		return sorted[n - 1];
	frac = h - (double)lo;
	return sorted[lo] + frac * (sorted[lo + 1] - sorted[lo]);
}

/*
 * describe - sort values in place; set median, MAD and p99.  scratch
 * holds n doubles.
 */
static void
describe(double *values, double *scratch, size_t n, double *median,
    double *mad, double *p99)
{
	size_t	i;

	qsort(values, n, sizeof(values[0]), compare_double);
	*median = quantile(values, n, 0.5);
	*p99 = quantile(values, n, 0.99);
	for (i = 0; i < n; i++)
		scratch[i] = fabs(values[i] - *median);
	qsort(scratch, n, sizeof(scratch[0]), compare_double);
	if (mad != NULL)
		*mad = quantile(scratch, n, 0.5);
}

/* scorer_new - a scorer with a copy of cfg (defaults for NULL) */
struct scorer *
scorer_new(const struct score_config *cfg)
{
	struct scorer	*sc = xcalloc(1, sizeof(*sc));

	score_config_defaults(&sc->cfg);
	if (cfg != NULL)
		sc->cfg = *cfg;
	/* A scale that is not a non-negative number would poison sums. */
	if (!(sc->cfg.weight_scale >= 0.0) || isinf(sc->cfg.weight_scale))
		sc->cfg.weight_scale = 1.0;
	return sc;
}

/* scorer_free - free the scorer */
void
scorer_free(struct scorer *sc)
{
	free(sc);
}

/* scorer_fit - median, MAD and p99 of the active accounts' features */
void
scorer_fit(struct scorer *sc, const struct aggregator *agg)
{
	struct account_features f;
	struct population *p = &sc->pop;
	const struct account *acct;
	double		*messages, *domains, *rpm, *peak, *ips, *scratch;
	size_t		 cap, n = 0, nsasl = 0, pos = 0;

	memset(p, 0, sizeof(*p));
	cap = agg != NULL ? aggregator_account_count(agg) : 0;
	if (cap == 0)
		return;
	messages = xcalloc(cap, sizeof(double));
	domains = xcalloc(cap, sizeof(double));
	rpm = xcalloc(cap, sizeof(double));
	peak = xcalloc(cap, sizeof(double));
	ips = xcalloc(cap, sizeof(double));
	scratch = xcalloc(cap, sizeof(double));
	while (n < cap && aggregator_next(agg, &pos, &acct)) {
		account_features(acct, &f);
		if (f.messages == 0 || f.messages < sc->cfg.min_messages)
			continue;
		messages[n] = (double)f.messages;
		domains[n] = (double)f.distinct_domains;
		rpm[n] = (double)f.recipients / (double)f.messages;
		peak[n] = (double)f.peak_hour_messages;
		n++;
		if (account_kind(acct) == ACCOUNT_SASL)
			ips[nsasl++] = (double)f.distinct_client_ips;
	}
	p->active_accounts = n;
	p->active_sasl_accounts = nsasl;
	describe(messages, scratch, n, &p->median_messages, &p->mad_messages,
	    &p->p99_messages);
	describe(domains, scratch, n, &p->median_domains, &p->mad_domains,
	    &p->p99_domains);
	describe(rpm, scratch, n, &p->median_recipients_per_message,
	    &p->mad_recipients_per_message, &p->p99_recipients_per_message);
	describe(peak, scratch, n, &p->median_peak_hour_messages,
	    &p->mad_peak_hour_messages, &p->p99_peak_hour_messages);
	describe(ips, scratch, nsasl, &p->median_sasl_client_ips, NULL,
	    &p->p99_sasl_client_ips);
	free(messages);
	free(domains);
	free(rpm);
	free(peak);
	free(ips);
	free(scratch);
}

/* ---- scoring --------------------------------------------------- */

/* round1 - to one decimal */
static double
round1(double x)
{
	return round(x * 10.0) / 10.0;
}

/* contribution_before - sort order: points descending, then feature */
static bool
contribution_before(const struct contribution *a,
    const struct contribution *b)
{
	if (a->points != b->points)
		return a->points > b->points;
	return strcmp(a->feature, b->feature) < 0;
}

/* scorer_score_features - run every rule over one account's features */
void
scorer_score_features(const struct scorer *sc, enum account_kind kind,
    const struct account_features *f, struct score *out)
{
	struct contribution cand[RULE_COUNT], tmp;
	double		 points[RULE_COUNT];
	struct rule_input in;
	double		 volume = 0.0, factor = 1.0, raw = 0.0;
	size_t		 i, j;

	memset(out, 0, sizeof(*out));
	memset(cand, 0, sizeof(cand));
	in.pop = &sc->pop;
	in.f = f;
	in.kind = kind;
	in.has_population = sc->pop.active_accounts > 0;
	in.deliveries = (double)f->sent + (double)f->bounced +
	    (double)f->deferred + (double)f->expired;
	in.judge_rates = f->messages > 0 &&
	    f->messages >= sc->cfg.min_messages &&
	    f->recipients >= RATE_MIN_RECIPIENTS &&
	    in.deliveries >= RATE_MIN_RECIPIENTS;

	for (i = 0; i < RULE_COUNT; i++) {
		cand[i].feature = rules[i].feature;
		cand[i].comparison = "threshold";
		points[i] = rules[i].eval(&in, &cand[i]);
		if (!(points[i] > 0.0))
			points[i] = 0.0;
		if (rules[i].group == GROUP_VOLUME)
			volume += points[i];
	}
	if (volume > VOLUME_GROUP_CAP)
		factor = VOLUME_GROUP_CAP / volume;

	for (i = 0; i < RULE_COUNT; i++) {
		double	p = points[i];
		size_t	len;

		if (rules[i].group == GROUP_VOLUME && factor < 1.0) {
			p *= factor;
			len = strlen(cand[i].reason);
			snprintf(cand[i].reason + len,
			    sizeof(cand[i].reason) - len,
			    "; scaled: volume rules add at most %g points "
			    "together",
			    VOLUME_GROUP_CAP * sc->cfg.weight_scale);
		}
		p = round1(p * sc->cfg.weight_scale);
		if (!(p > 0.0))
			continue;
		cand[i].points = p;
		/* Summed in table order: equal inputs, bit-equal sums. */
		raw += p;
		out->contributions[out->count++] = cand[i];
	}

	/* Insertion sort: a handful of entries, and a total order. */
	for (i = 1; i < out->count; i++) {
		tmp = out->contributions[i];
		for (j = i; j > 0 &&
		    contribution_before(&tmp, &out->contributions[j - 1]); j--)
			out->contributions[j] = out->contributions[j - 1];
		out->contributions[j] = tmp;
	}
	out->raw_points = round1(raw);
	out->score = round1(100.0 *
	    (1.0 - exp(-out->raw_points / SCORE_POINTS_SCALE)));
	if (out->score >= sc->cfg.likely_zombie_min)
		out->verdict = VERDICT_LIKELY_ZOMBIE;
	else if (out->score >= sc->cfg.suspicious_min)
		out->verdict = VERDICT_SUSPICIOUS;
	else
		out->verdict = VERDICT_NORMAL;
}

/* scorer_score - score one account */
void
scorer_score(const struct scorer *sc, const struct account *acct,
    struct score *out)
{
	struct account_features f;

	account_features(acct, &f);
	scorer_score_features(sc, account_kind(acct), &f, out);
}

/* scorer_population - the learnt population */
const struct population *
scorer_population(const struct scorer *sc)
{
	return &sc->pop;
}

/* scorer_config - the configuration */
const struct score_config *
scorer_config(const struct scorer *sc)
{
	return &sc->cfg;
}

/* verdict_name - name of a verdict */
const char *
verdict_name(enum verdict v)
{
	switch (v) {
	case VERDICT_SUSPICIOUS:
		return "suspicious";
	case VERDICT_LIKELY_ZOMBIE:
		return "likely_zombie";
	case VERDICT_NORMAL:
		break;
	}
	return "normal";
}
