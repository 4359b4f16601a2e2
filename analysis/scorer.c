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
 *
 * The configuration may weight each rule (0 turns it off) and move its
 * thresholds; the defaults in rules[] are the documented model.  The
 * allowlists do not change points: an allowlisted account keeps its
 * score and reasons, so an analyst can still see what it did, but its
 * verdict is normal and the score names the entry that matched.
 */
#include "config.h"

#include <assert.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/scorer.h"
#include "util/errmsg.h"
#include "util/strmap.h"
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

/*
 * A list of an account's names (client addresses or senders) as the
 * aggregator hands them out, busiest first.  complete: every distinct
 * name the features count is in it, which the aggregator promises up
 * to AGGREGATOR_COUNTER_EXACT_MAX names; past that it keeps a sample.
 * The allowlists by address and by sender domain need every name, so
 * an account with more is never allowlisted by them (it is not a
 * newsletter or an office); logins_outside_isp counts what there is.
 */
struct name_view {
	const char	**names;
	uint64_t	*counts;
	size_t		 count;
	bool		 complete;
};

/*
 * A copy of a configured string list: the strings in ASCII lower case,
 * and a map of them (each value is the string itself).
 */
struct name_list {
	char		**names;
	size_t		 count;
	struct strmap	*map;
};

struct scorer {
	struct score_config cfg;	/* lists point into the copies */
	struct population pop;
	struct name_list allow_accounts;
	struct name_list allow_domains;
	struct cidr_list *allow_ips;	/* NULL when empty */
	struct cidr_list *isp_networks;	/* NULL when empty */
	struct name_list local_domains;
	const struct state *state;	/* baselines; borrowed, or NULL */
	double		 window_days;	/* of the run, >= 1 */
};

enum rule_group {
	GROUP_EVIDENCE,		/* uncapped: refusals, forgery, logins */
	GROUP_VOLUME		/* how much: capped together */
};

/* What scorer_score() knows beyond the features. */
struct account_extra {
	bool		isp_known;	/* isp_networks set, SASL account */
	uint64_t	outside_isp_ips; /* client IPs outside them */
	bool		sender_domains_known; /* foreign_sender_domains set */
	uint64_t	foreign_sender_domains;
	bool		has_baseline;	/* history of min_history_days */
	struct state_baseline baseline;
	double		window_days;	/* to make today's figures daily */
};

/* What a rule sees of one account. */
struct rule_input {
	const struct population *pop;
	const struct account_features *f;
	const struct account_extra *extra;
	const struct score_rule_config *rc;	/* the rule's numbers */
	enum account_kind kind;
	bool		has_population;	/* pop figures are meaningful */
	bool		judge_rates;	/* enough messages and recipients */
	double		deliveries;	/* sent+bounced+deferred+expired */
};

/*
 * A rule returns its points before its weight and weight_scale (0 when
 * it does not fire) and fills value, reference, comparison and reason
 * of *c.
 */
struct rule {
	enum rule_group	 group;
	double		(*eval)(const struct rule_input *in,
			    struct contribution *c);
	struct score_rule_info info;
};

/* Formatting buffers for one reason sentence. */
#define NUMBUF	40

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

/*
 * fmt_setting - a configured number: up to four significant digits
 * ("0.5", "0.25", "100")
 */
static const char *
fmt_setting(char *buf, double x)
{
	snprintf(buf, NUMBUF, "%.4g", x);
	return buf;
}

/* fmt_setting_percent - a configured fraction as a percentage ("12.5%") */
static const char *
fmt_setting_percent(char *buf, double fraction)
{
	snprintf(buf, NUMBUF, "%.4g%%", fraction * 100.0);
	return buf;
}

/*
 * cut_reason - shorten the reason s to at most max (>= 3) bytes ending
 * in "...", cut before a character, never inside a UTF-8 sequence; its
 * new length
 */
static size_t
cut_reason(char *s, size_t max)
{
	size_t	len = strlen(s);

	if (len <= max)
		return len;
	len = max - 3;
	while (len > 0 && ((unsigned char)s[len] & 0xc0) == 0x80)
		len--;
	memcpy(s + len, "...", 4);
	return len + 3;
}

/* set_reason - printf into the contribution's reason */
static void __attribute__((format(printf, 2, 3)))
set_reason(struct contribution *c, const char *fmt, ...)
{
	va_list	ap;
	int	n;

	va_start(ap, fmt);
	n = vsnprintf(c->reason, sizeof(c->reason), fmt, ap);
	va_end(ap);
	if (n >= (int)sizeof(c->reason))
		cut_reason(c->reason, sizeof(c->reason) - 1);
}

/*
 * add_to_reason - printf after a reason ("; weight 0.5"), cutting the
 * reason, never the addition, when both do not fit
 */
static void __attribute__((format(printf, 2, 3)))
add_to_reason(struct contribution *c, const char *fmt, ...)
{
	char	add[160];
	size_t	len = strlen(c->reason), n;
	va_list	ap;

	va_start(ap, fmt);
	n = (size_t)vsnprintf(add, sizeof(add), fmt, ap);
	va_end(ap);
	if (n >= sizeof(add))
		n = sizeof(add) - 1;
	if (len + n >= sizeof(c->reason))
		len = cut_reason(c->reason, sizeof(c->reason) - 1 - n);
	memcpy(c->reason + len, add, n + 1);
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
	char	b1[NUMBUF], b2[NUMBUF], b3[NUMBUF];
	double	rate, points;

	if (!in->judge_rates || in->deliveries <= 0.0 ||
	    in->f->bounced < RATE_MIN_FAILURES)
		return 0.0;
	rate = (double)in->f->bounced / in->deliveries;
	points = ramp(rate, in->rc->lo, in->rc->hi, 30.0);
	if (!(points > 0.0))
		return 0.0;
	set_compared(c, rate, in->rc->lo, "threshold");
	set_reason(c, "%s of %s recipients bounced (threshold %s)",
	    fmt_percent(b1, rate), fmt_number(b2, in->deliveries),
	    fmt_setting_percent(b3, in->rc->lo));
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
	char	b1[NUMBUF], b2[NUMBUF], b3[NUMBUF], b4[NUMBUF];
	uint64_t n = in->f->remote_rejections[RESPONSE_UNKNOWN_USER];
	double	rate, points;

	if (!in->judge_rates || in->f->recipients == 0 ||
	    n < RATE_MIN_FAILURES)
		return 0.0;
	rate = (double)n / (double)in->f->recipients;
	points = ramp(rate, in->rc->lo, in->rc->hi, 20.0);
	if (!(points > 0.0))
		return 0.0;
	set_compared(c, rate, in->rc->lo, "threshold");
	set_reason(c, "%s of %s recipients (%s) refused as unknown users "
	    "(threshold %s)", fmt_percent(b1, rate),
	    fmt_count(b2, in->f->recipients), fmt_count(b3, n),
	    fmt_setting_percent(b4, in->rc->lo));
	return points;
}

/*
 * rule_remote_spam_rejections - receivers that refused the mail as
 * spam, because the relay is blocklisted, or for the sender's
 * reputation.  One such refusal is noise (a strict filter, a false
 * positive); each doubling of the count adds the same points.
 */
#define REMOTE_SPAM_FULL_RATE	0.03	/* refused share for full points */

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
	char		 b1[NUMBUF], b2[NUMBUF], b3[NUMBUF], b4[NUMBUF];
	char		 list[sizeof(parts) + 16];
	const uint64_t	*rr = in->f->remote_rejections;
	uint64_t	 count = 0;
	size_t		 i, len, nparts = 0;
	double		 rate, points;

	for (i = 0; i < sizeof(classes) / sizeof(classes[0]); i++)
		count += rr[classes[i].class];
	if ((double)count < in->rc->threshold || in->f->recipients == 0)
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
	points = per_doubling((double)count, in->rc->threshold, 1.0, 8.0, 9.0,
	    35.0);
	/* A list of thousands meets a few strict receivers every day
	   (about 1% refused for reputation is ordinary for bulk mail);
	   spam runs are refused by 5-20%.  Below REMOTE_SPAM_FULL_RATE
	   the points shrink in proportion, so a count that is large
	   only because the list is large does not make a verdict. */
	if (rate < REMOTE_SPAM_FULL_RATE)
		points *= rate / REMOTE_SPAM_FULL_RATE;
	if (!(points > 0.0))
		return 0.0;
	set_compared(c, (double)count, in->rc->threshold, "threshold");
	set_reason(c, "%s recipients refused by remote servers: %s "
	    "(%s of %s recipients; threshold %s refusals and 1%%)",
	    fmt_count(b2, count), list, fmt_percent(b1, rate),
	    fmt_count(b3, in->f->recipients),
	    fmt_number(b4, in->rc->threshold));
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
	char	b1[NUMBUF], b2[NUMBUF], b3[NUMBUF];
	uint64_t n = in->f->remote_rejections[RESPONSE_RATE_LIMIT];
	double	rate, points;

	if (!in->judge_rates || in->f->recipients == 0 || n < 3)
		return 0.0;
	rate = (double)n / (double)in->f->recipients;
	points = ramp(rate, in->rc->lo, in->rc->hi, 6.0);
	if (!(points > 0.0))
		return 0.0;
	set_compared(c, rate, in->rc->lo, "threshold");
	set_reason(c, "%s of %s recipients met remote rate limits "
	    "(threshold %s)", fmt_percent(b1, rate),
	    fmt_count(b2, in->f->recipients),
	    fmt_setting_percent(b3, in->rc->lo));
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
	char	b1[NUMBUF];
	double	rate, points;

	if (!in->judge_rates || in->f->recipients == 0)
		return 0.0;
	rate = (double)in->f->deferral_attempts / (double)in->f->recipients;
	points = ramp(rate, in->rc->lo, in->rc->hi, 4.0);
	if (!(points > 0.0))
		return 0.0;
	set_compared(c, rate, in->rc->lo, "threshold");
	set_reason(c, "%.2f deferred delivery attempts per recipient "
	    "(threshold %s)", rate, fmt_setting(b1, in->rc->lo));
	return points;
}

/*
 * rule_distinct_senders - spamware forges a new envelope sender for
 * every few messages; people and bulk senders use one or two.
 */
static double
rule_distinct_senders(const struct rule_input *in, struct contribution *c)
{
	char	b1[NUMBUF], b2[NUMBUF];
	double	n = (double)in->f->distinct_senders;
	double	points;

	/* A local account is one sender by construction. */
	if (in->kind == ACCOUNT_LOCAL)
		return 0.0;
	points = per_doubling(n, in->rc->threshold, 1.0, 0.0, 6.0, 30.0);
	if (!(points > 0.0))
		return 0.0;
	set_compared(c, n, in->rc->threshold, "threshold");
	set_reason(c, "%s distinct envelope senders (threshold %s)",
	    fmt_count(b1, in->f->distinct_senders),
	    fmt_number(b2, in->rc->threshold));
	return points;
}

/*
 * rule_distinct_client_ips - one SASL login used from many addresses:
 * stolen credentials shared by a botnet.  Phones and laptops roam over
 * a few networks, so the threshold is the larger of the configured one
 * (4) and twice the population's median.
 */
static double
rule_distinct_client_ips(const struct rule_input *in,
    struct contribution *c)
{
	char	 b1[NUMBUF], b2[NUMBUF], b3[NUMBUF];
	double	 n = (double)in->f->distinct_client_ips;
	double	 points;
	double	 threshold = in->rc->threshold;
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
	char	b1[NUMBUF], b2[NUMBUF];
	double	n = (double)in->f->auth_failures;
	double	t = in->rc->threshold;
	double	points;

	points = per_doubling(n, t, t, 5.0, 2.5, 15.0);
	if (!(points > 0.0))
		return 0.0;
	set_compared(c, n, t, "threshold");
	set_reason(c, "%s failed SASL logins (threshold %s)",
	    fmt_count(b1, in->f->auth_failures), fmt_number(b2, t));
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
	char	b1[NUMBUF], b2[NUMBUF];
	double	n = (double)in->f->local_rejections;
	double	t = in->rc->threshold;
	double	points;

	points = per_doubling(n, t, t, 5.0, 2.5, 15.0);
	if (!(points > 0.0))
		return 0.0;
	set_compared(c, n, t, "threshold");
	set_reason(c, "%s attempts refused by this relay (threshold %s)",
	    fmt_count(b1, in->f->local_rejections), fmt_number(b2, t));
	return points;
}

/*
 * rule_logins_outside_isp - a SASL login used from addresses outside
 * the ISP's own networks.  Subscribers log in from home, that is from
 * the ISP's ranges, and sometimes from a phone on another carrier or a
 * hotel; stolen credentials are used from wherever the botnet is.  So
 * the points start at a few foreign addresses and grow per doubling,
 * and stop at 15: travellers exist.  Off unless isp_networks is set.
 */
static double
rule_logins_outside_isp(const struct rule_input *in,
    struct contribution *c)
{
	char	b1[NUMBUF], b2[NUMBUF];
	double	n = (double)in->extra->outside_isp_ips;
	double	t = in->rc->threshold;
	double	points;

	if (in->kind != ACCOUNT_SASL || !in->extra->isp_known)
		return 0.0;
	points = per_doubling(n, t, t, 5.0, 5.0, 15.0);
	if (!(points > 0.0))
		return 0.0;
	set_compared(c, n, t, "threshold");
	set_reason(c, "SASL logins from %s client %s outside the ISP's "
	    "networks (threshold %s)", fmt_count(b1,
	    in->extra->outside_isp_ips),
	    in->extra->outside_isp_ips == 1 ? "IP" : "IPs",
	    fmt_number(b2, t));
	return points;
}

/*
 * rule_messages - volume far above the population: both above
 * max(p99, 3 * median + T) (T the threshold, 20; T alone without a
 * population) and at least 5 robust standard deviations
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
	double		 by_median = 3.0 * p->median_messages +
			    in->rc->threshold;
	double		 threshold, z;
	const char	*comparison;

	if (!in->has_population) {
		threshold = in->rc->threshold;
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
		set_reason(c, "%s messages (threshold %s)",
		    fmt_count(b1, in->f->messages),
		    fmt_number(b2, threshold));
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

	threshold = population_threshold(in, in->pop->p99_domains,
	    in->rc->threshold, &comparison);
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
	    in->pop->p99_recipients_per_message, in->rc->threshold,
	    &comparison);
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
	char	 b1[NUMBUF], b2[NUMBUF], b3[NUMBUF];
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
	points = ramp(fraction, in->rc->lo, in->rc->hi, 10.0);
	if (!(points > 0.0))
		return 0.0;
	set_compared(c, fraction, in->rc->lo, "threshold");
	set_reason(c, "%s of %s messages sent between 00:00 and 05:59 "
	    "local time (threshold %s)", fmt_percent(b1, fraction),
	    fmt_count(b2, total), fmt_setting_percent(b3, in->rc->lo));
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
	    in->pop->p99_peak_hour_messages, in->rc->threshold,
	    &comparison);
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

/*
 * rule_baseline_jump - the account sends far more, or to far more
 * domains, than its own history says it does: a home user's five
 * messages a day becoming nine hundred is news even when nine hundred
 * is ordinary for the population (a newsletter's day).  The ratio is
 * of today's figure per day to the decaying average, the average
 * taken as at least 1 so that an account silent for weeks is not
 * infinitely surprising; below BASELINE_MIN_DAILY messages a day no
 * jump counts.  The points grow with the logarithm of the ratio, from
 * the threshold (10 times) to 100 times the threshold.
 */
#define BASELINE_MIN_DAILY	50.0
#define BASELINE_MAX_POINTS	20.0

static double
rule_baseline_jump(const struct rule_input *in, struct contribution *c)
{
	char		 b1[NUMBUF], b2[NUMBUF], b3[NUMBUF], b4[NUMBUF];
	char		 b5[NUMBUF];
	const struct state_baseline *b = &in->extra->baseline;
	double		 days = in->extra->window_days >= 1.0 ?
			    in->extra->window_days : 1.0;
	double		 messages, domains, by_messages, by_domains, ratio;
	double		 points;

	if (!in->extra->has_baseline)
		return 0.0;
	messages = (double)in->f->messages / days;
	domains = (double)in->f->distinct_domains / days;
	if (!(messages >= BASELINE_MIN_DAILY))
		return 0.0;
	by_messages = messages / fmax(b->messages, 1.0);
	by_domains = domains / fmax(b->distinct_domains, 1.0);
	ratio = fmax(by_messages, by_domains);
	points = log_ramp(ratio, in->rc->threshold,
	    100.0 * in->rc->threshold, BASELINE_MAX_POINTS);
	if (!(points > 0.0))
		return 0.0;
	set_compared(c, ratio, in->rc->threshold, "baseline");
	set_reason(c, "%s messages a day (usually %s) to %s recipient "
	    "domains a day (usually %s): %s times its own average over "
	    "%llu days", fmt_number(b1, messages),
	    fmt_number(b2, b->messages), fmt_number(b3, domains),
	    fmt_number(b4, b->distinct_domains),
	    fmt_number(b5, round(ratio)),
	    (unsigned long long)b->days_tracked);
	return points;
}

/*
 * rule_foreign_sender_domains - envelope senders in domains that are
 * not the account's own.  A subscriber sends as himself, from his
 * login's domain or the ISP's (local_domains), or from one domain of
 * his own; spamware forges senders across hundreds of domains.  The
 * account's own domain is its SASL login's domain when the login has
 * one, else its most used sender domain.  Scored by the features alone
 * (no sender list), every domain but one counts.
 */
static double
rule_foreign_sender_domains(const struct rule_input *in,
    struct contribution *c)
{
	char	 b1[NUMBUF], b2[NUMBUF];
	uint64_t n;
	double	 t = in->rc->threshold, points;

	if (in->kind == ACCOUNT_LOCAL)
		return 0.0;
	if (in->extra->sender_domains_known)
		n = in->extra->foreign_sender_domains;
	else
		n = in->f->distinct_sender_domains > 0 ?
		    in->f->distinct_sender_domains - 1 : 0;
	points = per_doubling((double)n, t, t, 5.0, 4.0, 20.0);
	if (!(points > 0.0))
		return 0.0;
	set_compared(c, (double)n, t, "threshold");
	set_reason(c, "envelope senders in %s %s other than the account's "
	    "own (threshold %s)", fmt_count(b1, n),
	    n == 1 ? "domain" : "domains", fmt_number(b2, t));
	return points;
}

/*
 * One-time recipients are judged only over an account seen for this
 * long, and only when they are at least this share of its recipients:
 * within one day nobody has written twice to anyone yet.
 */
#define ONE_TIME_MIN_SPAN_SEC	86400
#define ONE_TIME_MIN_SHARE	0.8

/*
 * rule_one_time_recipients - recipients mailed in one message only.
 * People write to the same correspondents again and daily lists go to
 * the same addresses every issue; a spam run goes through an address
 * list once.  But a weekly newsletter, too, mails each address once in
 * a short window, so this is a volume rule.  A within-run measure: a
 * recipient counts as repeated when two or more of the window's
 * messages went to it.
 */
static double
rule_one_time_recipients(const struct rule_input *in,
    struct contribution *c)
{
	char	 b1[NUMBUF], b2[NUMBUF], b3[NUMBUF], b4[NUMBUF], b5[NUMBUF];
	char	 b6[NUMBUF];
	const struct account_features *f = in->f;
	uint64_t once;
	double	 t = in->rc->threshold, share, days, points;

	if (f->last_seen_sec - f->first_seen_sec < ONE_TIME_MIN_SPAN_SEC ||
	    f->distinct_recipients == 0)
		return 0.0;
	once = f->distinct_recipients > f->repeated_recipients ?
	    f->distinct_recipients - f->repeated_recipients : 0;
	share = (double)once / (double)f->distinct_recipients;
	if (share < ONE_TIME_MIN_SHARE)
		return 0.0;
	points = log_ramp((double)once, t, 10.0 * t, 10.0);
	if (!(points > 0.0))
		return 0.0;
	days = (double)(f->last_seen_sec - f->first_seen_sec) / 86400.0;
	set_compared(c, (double)once, t, "threshold");
	set_reason(c, "%s of %s distinct recipients (%s) mailed only once "
	    "in %s days (threshold %s and %s)", fmt_count(b1, once),
	    fmt_count(b2, f->distinct_recipients), fmt_percent(b3, share),
	    fmt_number(b4, days), fmt_number(b5, t),
	    fmt_setting_percent(b6, ONE_TIME_MIN_SHARE));
	return points;
}

/*
 * rule_message_ids_added - messages the relay had to give a Message-ID
 * while others of the same account came with one: two programs behind
 * one account, one of them careless about headers, which is what a
 * spam engine beside a mail client looks like.  Devices that never add
 * one do not fire, nor do mail clients that always do.
 */
static double
rule_message_ids_added(const struct rule_input *in, struct contribution *c)
{
	char	 b1[NUMBUF], b2[NUMBUF], b3[NUMBUF], b4[NUMBUF];
	uint64_t added = in->f->message_ids_added, m = in->f->messages;
	double	 t = in->rc->threshold, points;

	if (added > m || (double)added < t || (double)(m - added) < t)
		return 0.0;
	points = per_doubling((double)added, t, t, 4.0, 2.0, 10.0);
	if (!(points > 0.0))
		return 0.0;
	set_compared(c, (double)added, t, "threshold");
	set_reason(c, "%s of %s messages (%s) came without a Message-ID of "
	    "their own and the others with one (threshold %s of each)",
	    fmt_count(b1, added), fmt_count(b2, m),
	    fmt_percent(b3, (double)added / (double)m), fmt_number(b4, t));
	return points;
}

/*
 * rule_helo_anomalies - HELO names no mail program sends: bare address
 * literals, and a new name on each connection from one address.  A mail
 * client announces its host's name, the same every time.  Only for an
 * account that got mail through: a client whose every attempt the
 * relay refused (a scanner trying to relay) did no harm to judge.
 */
static double
rule_helo_anomalies(const struct rule_input *in, struct contribution *c)
{
	char	 b1[NUMBUF], b2[NUMBUF], b3[NUMBUF], b4[NUMBUF];
	uint64_t n = in->f->helo_ip_literals + in->f->helo_changes;
	double	 t = in->rc->threshold, points;

	if (in->f->messages == 0)
		return 0.0;
	points = per_doubling((double)n, t, t, 5.0, 3.0, 15.0);
	if (!(points > 0.0))
		return 0.0;
	set_compared(c, (double)n, t, "threshold");
	set_reason(c, "HELO names: %s address %s and %s changed %s from "
	    "one client address, of %s (threshold %s)",
	    fmt_count(b1, in->f->helo_ip_literals),
	    in->f->helo_ip_literals == 1 ? "literal" : "literals",
	    fmt_count(b2, in->f->helo_changes),
	    in->f->helo_changes == 1 ? "name" : "names",
	    fmt_count(b3, in->f->helo_records), fmt_number(b4, t));
	return points;
}

/*
 * rule_local_rate_limits - attempts this relay refused for coming too
 * fast (its own rate limits).  Heavy senders of any kind meet them, so
 * this is a volume rule.
 */
static double
rule_local_rate_limits(const struct rule_input *in, struct contribution *c)
{
	char	 b1[NUMBUF], b2[NUMBUF];
	double	 n = (double)in->f->local_rate_limits;
	double	 t = in->rc->threshold, points;

	points = per_doubling(n, t, t, 2.0, 1.5, 8.0);
	if (!(points > 0.0))
		return 0.0;
	set_compared(c, n, t, "threshold");
	set_reason(c, "%s attempts refused by this relay's rate limits "
	    "(threshold %s)", fmt_count(b1, in->f->local_rate_limits),
	    fmt_number(b2, t));
	return points;
}

/* Ranges of the configurable numbers (score_rule_info). */
#define COUNT_MAX	1e9	/* counts: refusals, senders, messages */

/*
 * The model, indexed by enum score_rule: evaluated and summed in this
 * order, listed by points.  Each entry's defaults are the documented
 * numbers; the ranges keep a configured number meaningful (a count
 * threshold of at least 1, since the curves divide by it; a rate
 * within 0..1).
 */
static const struct rule rules[SCORE_RULE_COUNT] = {
	[SCORE_RULE_BOUNCE_RATE] = { GROUP_EVIDENCE, rule_bounce_rate,
	    { "bounce_rate", SCORE_PARAM_RAMP, 0.0, 1.0,
	    { 1.0, 0.0, 0.10, 0.40 } } },
	[SCORE_RULE_UNKNOWN_USER_RATE] = { GROUP_EVIDENCE,
	    rule_unknown_user_rate,
	    { "unknown_user_rate", SCORE_PARAM_RAMP, 0.0, 1.0,
	    { 1.0, 0.0, 0.05, 0.30 } } },
	[SCORE_RULE_REMOTE_SPAM_REJECTIONS] = { GROUP_EVIDENCE,
	    rule_remote_spam_rejections,
	    { "remote_spam_rejections", SCORE_PARAM_THRESHOLD, 1.0, COUNT_MAX,
	    { 1.0, 2.0, 0.0, 0.0 } } },
	[SCORE_RULE_DISTINCT_SENDERS] = { GROUP_EVIDENCE,
	    rule_distinct_senders,
	    { "distinct_senders", SCORE_PARAM_THRESHOLD, 1.0, COUNT_MAX,
	    { 1.0, 4.0, 0.0, 0.0 } } },
	[SCORE_RULE_DISTINCT_CLIENT_IPS] = { GROUP_EVIDENCE,
	    rule_distinct_client_ips,
	    { "distinct_client_ips", SCORE_PARAM_THRESHOLD, 1.0, COUNT_MAX,
	    { 1.0, 4.0, 0.0, 0.0 } } },
	[SCORE_RULE_AUTH_FAILURES] = { GROUP_EVIDENCE, rule_auth_failures,
	    { "auth_failures", SCORE_PARAM_THRESHOLD, 1.0, COUNT_MAX,
	    { 1.0, 5.0, 0.0, 0.0 } } },
	[SCORE_RULE_LOCAL_REJECTIONS] = { GROUP_EVIDENCE,
	    rule_local_rejections,
	    { "local_rejections", SCORE_PARAM_THRESHOLD, 1.0, COUNT_MAX,
	    { 1.0, 3.0, 0.0, 0.0 } } },
	[SCORE_RULE_NIGHT_FRACTION] = { GROUP_EVIDENCE, rule_night_fraction,
	    { "night_fraction", SCORE_PARAM_RAMP, 0.0, 1.0,
	    { 1.0, 0.0, 0.5, 0.9 } } },
	[SCORE_RULE_LOGINS_OUTSIDE_ISP] = { GROUP_EVIDENCE,
	    rule_logins_outside_isp,
	    { "logins_outside_isp", SCORE_PARAM_THRESHOLD, 1.0, COUNT_MAX,
	    { 1.0, 3.0, 0.0, 0.0 } } },
	[SCORE_RULE_MESSAGES] = { GROUP_VOLUME, rule_messages,
	    { "messages", SCORE_PARAM_THRESHOLD, 1.0, COUNT_MAX,
	    { 1.0, 20.0, 0.0, 0.0 } } },
	[SCORE_RULE_DISTINCT_DOMAINS] = { GROUP_VOLUME,
	    rule_distinct_domains,
	    { "distinct_domains", SCORE_PARAM_THRESHOLD, 1.0, COUNT_MAX,
	    { 1.0, 20.0, 0.0, 0.0 } } },
	[SCORE_RULE_RECIPIENTS_PER_MESSAGE] = { GROUP_VOLUME,
	    rule_recipients_per_message,
	    { "recipients_per_message", SCORE_PARAM_THRESHOLD, 1.0, COUNT_MAX,
	    { 1.0, 20.0, 0.0, 0.0 } } },
	[SCORE_RULE_PEAK_HOUR_MESSAGES] = { GROUP_VOLUME,
	    rule_peak_hour_messages,
	    { "peak_hour_messages", SCORE_PARAM_THRESHOLD, 1.0, COUNT_MAX,
	    { 1.0, 100.0, 0.0, 0.0 } } },
	[SCORE_RULE_RATE_LIMIT_RATE] = { GROUP_VOLUME, rule_rate_limit_rate,
	    { "rate_limit_rate", SCORE_PARAM_RAMP, 0.0, 1.0,
	    { 1.0, 0.0, 0.02, 0.20 } } },
	[SCORE_RULE_DEFERRAL_RATE] = { GROUP_VOLUME, rule_deferral_rate,
	    { "deferral_rate", SCORE_PARAM_RAMP, 0.0, 1000.0,
	    { 1.0, 0.0, 0.5, 3.0 } } },
	[SCORE_RULE_BASELINE_JUMP] = { GROUP_EVIDENCE, rule_baseline_jump,
	    { "baseline_jump", SCORE_PARAM_THRESHOLD, 2.0, COUNT_MAX,
	    { 1.0, 10.0, 0.0, 0.0 } } },
	[SCORE_RULE_FOREIGN_SENDER_DOMAINS] = { GROUP_EVIDENCE,
	    rule_foreign_sender_domains,
	    { "foreign_sender_domains", SCORE_PARAM_THRESHOLD, 1.0, COUNT_MAX,
	    { 1.0, 3.0, 0.0, 0.0 } } },
	[SCORE_RULE_ONE_TIME_RECIPIENTS] = { GROUP_VOLUME,
	    rule_one_time_recipients,
	    { "one_time_recipients", SCORE_PARAM_THRESHOLD, 1.0, COUNT_MAX,
	    { 1.0, 200.0, 0.0, 0.0 } } },
	[SCORE_RULE_MESSAGE_IDS_ADDED] = { GROUP_EVIDENCE,
	    rule_message_ids_added,
	    { "message_ids_added", SCORE_PARAM_THRESHOLD, 1.0, COUNT_MAX,
	    { 1.0, 10.0, 0.0, 0.0 } } },
	[SCORE_RULE_HELO_ANOMALIES] = { GROUP_EVIDENCE, rule_helo_anomalies,
	    { "helo_anomalies", SCORE_PARAM_THRESHOLD, 1.0, COUNT_MAX,
	    { 1.0, 3.0, 0.0, 0.0 } } },
	[SCORE_RULE_LOCAL_RATE_LIMITS] = { GROUP_VOLUME,
	    rule_local_rate_limits,
	    { "local_rate_limits", SCORE_PARAM_THRESHOLD, 1.0, COUNT_MAX,
	    { 1.0, 3.0, 0.0, 0.0 } } },
};

#define RULE_COUNT	((size_t)SCORE_RULE_COUNT)

_Static_assert(SCORE_RULE_COUNT <= SCORE_MAX_CONTRIBUTIONS,
    "every rule must fit in struct score");

/* ---- configuration ---------------------------------------------- */

/* score_config_defaults - the documented defaults */
void
score_config_defaults(struct score_config *cfg)
{
	size_t	i;

	memset(cfg, 0, sizeof(*cfg));
	cfg->likely_zombie_min = 70.0;
	cfg->suspicious_min = 40.0;
	cfg->min_messages = 5;
	cfg->weight_scale = 1.0;
	for (i = 0; i < RULE_COUNT; i++)
		cfg->rules[i] = rules[i].info.defaults;
}

/* score_rule_info - what a configuration may set for a rule */
const struct score_rule_info *
score_rule_info(enum score_rule rule)
{
	if ((unsigned)rule >= RULE_COUNT)
		return NULL;
	return &rules[rule].info;
}

/* score_rule_from_name - a rule by its feature name */
bool
score_rule_from_name(const char *name, enum score_rule *rule)
{
	size_t	i;

	if (name == NULL)
		return false;
	for (i = 0; i < RULE_COUNT; i++) {
		if (strcmp(name, rules[i].info.name) == 0) {
			*rule = (enum score_rule)i;
			return true;
		}
	}
	return false;
}

/* in_range - lo <= x <= hi, false for NaN */
static bool
in_range(double x, double lo, double hi)
{
	return x >= lo && x <= hi;
}

/* check_rule - one rule's numbers; messages name "rules.<name>" */
static bool
check_rule(size_t i, const struct score_rule_config *rc, char *err,
    size_t errlen)
{
	const struct score_rule_info *info = &rules[i].info;

	if (!in_range(rc->weight, 0.0, SCORE_WEIGHT_MAX))
		return errmsg_fail(err, errlen, "rules.%s.weight: %g is "
		    "out of range (0 to %g)", info->name, rc->weight,
		    SCORE_WEIGHT_MAX);
	if ((info->params & SCORE_PARAM_THRESHOLD) &&
	    !in_range(rc->threshold, info->min, info->max))
		return errmsg_fail(err, errlen, "rules.%s.threshold: %g "
		    "is out of range (%g to %g)", info->name, rc->threshold,
		    info->min, info->max);
	if (info->params & SCORE_PARAM_RAMP) {
		if (!in_range(rc->lo, info->min, info->max))
			return errmsg_fail(err, errlen, "rules.%s.lo: %g is "
			    "out of range (%g to %g)", info->name, rc->lo,
			    info->min, info->max);
		if (!in_range(rc->hi, info->min, info->max))
			return errmsg_fail(err, errlen, "rules.%s.hi: %g is "
			    "out of range (%g to %g)", info->name, rc->hi,
			    info->min, info->max);
		if (!(rc->lo < rc->hi))
			return errmsg_fail(err, errlen, "rules.%s: lo (%g) "
			    "must be below hi (%g)", info->name, rc->lo,
			    rc->hi);
	}
	return true;
}

/* score_config_check - every number within its range */
bool
score_config_check(const struct score_config *cfg, char *err,
    size_t errlen)
{
	size_t	i;

	if (!in_range(cfg->likely_zombie_min, 0.0, 100.0))
		return errmsg_fail(err, errlen, "likely_zombie_min: %g is "
		    "out of range (0 to 100)", cfg->likely_zombie_min);
	if (!in_range(cfg->suspicious_min, 0.0, 100.0))
		return errmsg_fail(err, errlen, "suspicious_min: %g is out "
		    "of range (0 to 100)", cfg->suspicious_min);
	if (cfg->suspicious_min > cfg->likely_zombie_min)
		return errmsg_fail(err, errlen, "suspicious_min: %g is above "
		    "likely_zombie_min (%g)", cfg->suspicious_min,
		    cfg->likely_zombie_min);
	if (cfg->min_messages < 1 ||
	    cfg->min_messages > SCORE_MIN_MESSAGES_MAX)
		return errmsg_fail(err, errlen, "min_messages: %llu is out "
		    "of range (1 to %llu)",
		    (unsigned long long)cfg->min_messages,
		    (unsigned long long)SCORE_MIN_MESSAGES_MAX);
	if (!in_range(cfg->weight_scale, 0.0, SCORE_WEIGHT_MAX))
		return errmsg_fail(err, errlen, "weight_scale: %g is out "
		    "of range (0 to %g)", cfg->weight_scale,
		    SCORE_WEIGHT_MAX);
	for (i = 0; i < RULE_COUNT; i++)
		if (!check_rule(i, &cfg->rules[i], err, errlen))
			return false;
	return true;
}

/* lower_copy - a copy of s in ASCII lower case */
static char *
lower_copy(const char *s)
{
	char	*copy = xstrdup(s);
	char	*p;

	for (p = copy; *p != '\0'; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	return copy;
}

/* name_list_init - copy names (NULL entries skipped) into list */
static void
name_list_init(struct name_list *list, const char *const *names,
    size_t count)
{
	void	**slot;
	size_t	  i;
	bool	  created;

	memset(list, 0, sizeof(*list));
	if (names == NULL || count == 0)
		return;
	list->names = xcalloc(count, sizeof(*list->names));
	list->map = strmap_new(NULL);
	for (i = 0; i < count; i++) {
		if (names[i] == NULL)
			continue;
		list->names[list->count] = lower_copy(names[i]);
		slot = strmap_slot(list->map, list->names[list->count],
		    strlen(list->names[list->count]), &created);
		if (created)
			*slot = list->names[list->count];
		list->count++;
	}
}

/* name_list_free - free the copies */
static void
name_list_free(struct name_list *list)
{
	size_t	i;

	for (i = 0; i < list->count; i++)
		free(list->names[i]);
	free(list->names);
	strmap_free(list->map);
}

/* name_list_find - the entry equal to name (any ASCII case), or NULL */
static const char *
name_list_find(const struct name_list *list, const char *name, size_t len)
{
	char	 buf[256];
	char	*low;
	size_t	 i;
	const char *found;

	if (list->map == NULL || list->count == 0)
		return NULL;
	low = len < sizeof(buf) ? buf : xmalloc(len + 1);
	for (i = 0; i < len; i++)
		low[i] = name[i] >= 'A' && name[i] <= 'Z' ?
		    (char)(name[i] - 'A' + 'a') : name[i];
	low[len] = '\0';
	found = strmap_get(list->map, low, len);
	if (low != buf)
		free(low);
	return found;
}

/* copy_cidrs - a copy of a non-empty list, else NULL */
static struct cidr_list *
copy_cidrs(const struct cidr_list *list)
{
	return cidr_list_count(list) > 0 ? cidr_list_copy(list) : NULL;
}

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
	size_t		 i;

	score_config_defaults(&sc->cfg);
	if (cfg != NULL)
		sc->cfg = *cfg;
	/* A scale that is not a non-negative number would poison sums. */
	if (!(sc->cfg.weight_scale >= 0.0) || isinf(sc->cfg.weight_scale))
		sc->cfg.weight_scale = 1.0;
	/* So would a rule number out of its range: use the defaults. */
	for (i = 0; i < RULE_COUNT; i++) {
		assert(rules[i].eval != NULL);
		if (!check_rule(i, &sc->cfg.rules[i], NULL, 0))
			sc->cfg.rules[i] = rules[i].info.defaults;
	}

	name_list_init(&sc->allow_accounts, sc->cfg.allow_accounts,
	    sc->cfg.allow_account_count);
	name_list_init(&sc->allow_domains, sc->cfg.allow_sender_domains,
	    sc->cfg.allow_sender_domain_count);
	sc->allow_ips = copy_cidrs(sc->cfg.allow_ips);
	sc->isp_networks = copy_cidrs(sc->cfg.isp_networks);
	name_list_init(&sc->local_domains, sc->cfg.local_domains,
	    sc->cfg.local_domain_count);
	sc->cfg.local_domains = (const char *const *)sc->local_domains.names;
	sc->cfg.local_domain_count = sc->local_domains.count;
	/* What scorer_config() shows points at the copies. */
	sc->cfg.allow_accounts = (const char *const *)sc->allow_accounts.names;
	sc->cfg.allow_account_count = sc->allow_accounts.count;
	sc->cfg.allow_sender_domains =
	    (const char *const *)sc->allow_domains.names;
	sc->cfg.allow_sender_domain_count = sc->allow_domains.count;
	sc->cfg.allow_ips = sc->allow_ips;
	sc->cfg.isp_networks = sc->isp_networks;
	return sc;
}

/* scorer_free - free the scorer and its copies */
void
scorer_free(struct scorer *sc)
{
	if (sc == NULL)
		return;
	name_list_free(&sc->allow_accounts);
	name_list_free(&sc->allow_domains);
	cidr_list_free(sc->allow_ips);
	cidr_list_free(sc->isp_networks);
	name_list_free(&sc->local_domains);
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

/*
 * A steady account: its baseline covers min_history_days and today it
 * sends no more than STEADY_RATIO times its average, to no more than
 * STEADY_RATIO times its usual domains.  Its volume rules (how much,
 * how wide, how bursty) then count STEADY_DAMPING of their points: a
 * newsletter that sent 2,000 a day for weeks is not news.  Evidence
 * rules (refusals, forged senders, logins) are never damped.
 */
#define STEADY_RATIO		2.0
#define STEADY_DAMPING		0.25

/* is_steady - whether today's volume is usual for the account */
static bool
is_steady(const struct account_extra *extra,
    const struct account_features *f)
{
	double	days = extra->window_days >= 1.0 ? extra->window_days : 1.0;

	if (!extra->has_baseline)
		return false;
	return (double)f->messages / days <=
	    STEADY_RATIO * fmax(extra->baseline.messages, 1.0) &&
	    (double)f->distinct_domains / days <=
	    STEADY_RATIO * fmax(extra->baseline.distinct_domains, 1.0);
}

/*
 * score_features - run every rule over one account's features (and
 * what else scorer_score() learnt of it)
 */
static void
score_features(const struct scorer *sc, enum account_kind kind,
    const struct account_features *f, const struct account_extra *extra,
    struct score *out)
{
	struct contribution cand[RULE_COUNT], tmp;
	double		 points[RULE_COUNT];
	struct rule_input in;
	double		 volume = 0.0, factor = 1.0, raw = 0.0;
	size_t		 i, j;
	bool		 steady;

	/* Only what is read is cleared: a contribution's reason is a
	   string, and the entries past out->count are never looked at
	   (the whole struct is 13 KB, cleared twice per account). */
	out->score = out->raw_points = 0.0;
	out->verdict = VERDICT_NORMAL;
	out->count = 0;
	out->allowlisted[0] = '\0';
	in.pop = &sc->pop;
	in.f = f;
	in.extra = extra;
	in.kind = kind;
	in.has_population = sc->pop.active_accounts > 0;
	in.deliveries = (double)f->sent + (double)f->bounced +
	    (double)f->deferred + (double)f->expired;
	in.judge_rates = f->messages > 0 &&
	    f->messages >= sc->cfg.min_messages &&
	    f->recipients >= RATE_MIN_RECIPIENTS &&
	    in.deliveries >= RATE_MIN_RECIPIENTS;

	for (i = 0; i < RULE_COUNT; i++) {
		const struct score_rule_config *rc = &sc->cfg.rules[i];

		cand[i].feature = rules[i].info.name;
		cand[i].value = cand[i].reference = cand[i].points = 0.0;
		cand[i].comparison = "threshold";
		cand[i].reason[0] = '\0';
		points[i] = 0.0;
		if (!(rc->weight > 0.0))
			continue;
		in.rc = rc;
		points[i] = rules[i].eval(&in, &cand[i]) * rc->weight;
		if (!(points[i] > 0.0)) {
			points[i] = 0.0;
			continue;
		}
		if (rc->weight != 1.0)
			add_to_reason(&cand[i], "; weight %g", rc->weight);
		if (rules[i].group == GROUP_VOLUME)
			volume += points[i];
	}
	if (volume > VOLUME_GROUP_CAP)
		factor = VOLUME_GROUP_CAP / volume;
	steady = is_steady(extra, f);
	if (steady)
		factor *= STEADY_DAMPING;

	for (i = 0; i < RULE_COUNT; i++) {
		double	p = points[i];

		if (rules[i].group == GROUP_VOLUME && steady) {
			char	b1[NUMBUF];

			p *= factor;
			add_to_reason(&cand[i], "; damped: usual for this "
			    "account (%s messages a day over %llu days)",
			    fmt_number(b1, extra->baseline.messages),
			    (unsigned long long)extra->baseline.days_tracked);
		} else if (rules[i].group == GROUP_VOLUME && factor < 1.0) {
			p *= factor;
			add_to_reason(&cand[i], "; scaled: volume rules add "
			    "at most %g points together",
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

/* scorer_score_features - score an account by its features alone */
void
scorer_score_features(const struct scorer *sc, enum account_kind kind,
    const struct account_features *f, struct score *out)
{
	static const struct account_extra none = { .isp_known = false };

	score_features(sc, kind, f, &none, out);
}

/* ---- allowlists --------------------------------------------------- */

/* How many matched entries an allowlist reason names. */
#define REASON_NAMES	3

/* put_text - printf into a fixed buffer; long texts are cut */
static void __attribute__((format(printf, 3, 4)))
put_text(char *buf, size_t size, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(buf, size, fmt, ap);
	va_end(ap);
}

/*
 * join_names - "a", "a and b", "a, b and c"; with more set, "a, b, c
 * and others"
 */
static void
join_names(char *buf, size_t size, const char *const *names, size_t n,
    bool more)
{
	size_t	i, len;

	buf[0] = '\0';
	for (i = 0; i < n; i++) {
		len = strlen(buf);
		snprintf(buf + len, size - len, "%s%s",
		    i == 0 ? "" : i + 1 == n && !more ? " and " : ", ",
		    names[i]);
	}
	if (more) {
		len = strlen(buf);
		snprintf(buf + len, size - len, " and others");
	}
}

/*
 * note_entry - remember entry among the first REASON_NAMES distinct
 * ones; *more when it is a further one
 */
static void
note_entry(const void **seen, size_t *n, bool *more, const void *entry)
{
	size_t	i;

	for (i = 0; i < *n; i++)
		if (seen[i] == entry)
			return;
	if (*n < REASON_NAMES)
		seen[(*n)++] = entry;
	else
		*more = true;
}

/*
 * allowed_by_ips - whether every one of the nips client addresses is in
 * the allowlist; the reason then names the ranges
 */
static bool
allowed_by_ips(const struct scorer *sc, const char *const *ips,
    size_t nips, char *reason, size_t size)
{
	char		 text[REASON_NAMES][CIDR_TEXT_MAX];
	char		 list[REASON_NAMES * (CIDR_TEXT_MAX + 2) + 16];
	const void	*seen[REASON_NAMES];
	const char	*names[REASON_NAMES] = { NULL };
	const struct cidr *m;
	size_t		 i, n = 0;
	bool		 more = false;

	if (sc->allow_ips == NULL || nips == 0)
		return false;
	for (i = 0; i < nips; i++) {
		if ((m = cidr_list_match(sc->allow_ips, ips[i])) == NULL)
			return false;
		note_entry(seen, &n, &more, m);
	}
	for (i = 0; i < n; i++) {
		cidr_format(seen[i], text[i], sizeof(text[i]));
		names[i] = text[i];
	}
	join_names(list, sizeof(list), names, n, more);
	if (nips == 1)
		put_text(reason, size, "client IP in allowlist %s", list);
	else
		put_text(reason, size, "all %zu client IPs in allowlist %s",
		    nips, list);
	return true;
}

/*
 * domain_under - the entry of list that domain d is, or lies under;
 * NULL when none
 */
static const char *
domain_under(const struct name_list *list, const char *d)
{
	const char	*found;
	size_t		 len;

	len = strlen(d);
	/* A fully qualified "example.com." is example.com. */
	if (len > 0 && d[len - 1] == '.')
		len--;
	while (len > 0) {
		if ((found = name_list_find(list, d, len)) != NULL)
			return found;
		/* The parent domain: what follows the next dot. */
		while (len > 0 && *d != '.') {
			d++;
			len--;
		}
		if (len > 0) {
			d++;
			len--;
		}
	}
	return NULL;
}

/*
 * domain_entry - the allowlisted domain a sender's domain is, or lies
 * under; NULL when none (or the sender has no domain)
 */
static const char *
domain_entry(const struct scorer *sc, const char *sender)
{
	const char	*at = strrchr(sender, '@');

	if (at == NULL || at[1] == '\0')
		return NULL;
	return domain_under(&sc->allow_domains, at + 1);
}

/*
 * name_view_fetch - an account's client addresses or senders (top is
 * account_top_client_ips or account_top_senders), distinct of them by
 * the features.  One more than can be complete is asked for, so that
 * a list that does not match the count shows as incomplete.
 */
static void
name_view_fetch(struct name_view *v, const struct account *acct,
    size_t (*top)(const struct account *, const char **, uint64_t *,
    size_t), uint64_t distinct)
{
	size_t	max;

	memset(v, 0, sizeof(*v));
	if (distinct == 0)
		return;
	max = distinct < AGGREGATOR_COUNTER_EXACT_MAX ? (size_t)distinct + 1 :
	    AGGREGATOR_COUNTER_EXACT_MAX + 1;
	v->names = xcalloc(max, sizeof(*v->names));
	v->counts = xcalloc(max, sizeof(*v->counts));
	v->count = top(acct, v->names, v->counts, max);
	v->complete = distinct <= AGGREGATOR_COUNTER_EXACT_MAX &&
	    v->count == distinct;
}

/* name_view_free - free the arrays (the names are the aggregator's) */
static void
name_view_free(struct name_view *v)
{
	free(v->names);
	free(v->counts);
}

/*
 * allowed_by_domains - whether every one of the account's senders is
 * in an allowlisted domain; the reason then names the domains
 */
static bool
allowed_by_domains(const struct scorer *sc, const struct account *acct,
    uint64_t distinct_senders, char *reason, size_t size)
{
	char		 list[SCORE_REASON_BYTES];
	struct name_view senders;
	const void	*seen[REASON_NAMES];
	const char	*names[REASON_NAMES] = { NULL }, *entry;
	size_t		 i, n = 0;
	bool		 more = false, ok;

	if (sc->allow_domains.count == 0 ||
	    distinct_senders > AGGREGATOR_COUNTER_EXACT_MAX)
		return false;
	name_view_fetch(&senders, acct, account_top_senders,
	    distinct_senders);
	ok = senders.complete;
	for (i = 0; ok && i < senders.count; i++) {
		if ((entry = domain_entry(sc, senders.names[i])) == NULL)
			ok = false;
		else
			note_entry(seen, &n, &more, entry);
	}
	name_view_free(&senders);
	if (!ok)
		return false;
	for (i = 0; i < n; i++)
		names[i] = seen[i];
	join_names(list, sizeof(list), names, n, more);
	put_text(reason, size, "all senders in allowlisted %s %s",
	    n > 1 || more ? "domains" : "domain", list);
	return true;
}

/*
 * allowlist_reason - fill reason when an allowlist entry covers the
 * account: its key, then its addresses, then its senders
 */
static void
allowlist_reason(const struct scorer *sc, const struct account *acct,
    const struct account_features *f, const struct name_view *ips,
    char *reason, size_t size)
{
	const char	*key = account_key(acct);
	const char	*self[1];

	reason[0] = '\0';
	if (name_list_find(&sc->allow_accounts, key, strlen(key)) != NULL) {
		put_text(reason, size, "account allowlisted");
		return;
	}
	switch (account_kind(acct)) {
	case ACCOUNT_IP:
		/* Its key is its address. */
		self[0] = key;
		if (allowed_by_ips(sc, self, 1, reason, size))
			return;
		break;
	case ACCOUNT_SASL:
		if (ips->complete && allowed_by_ips(sc, ips->names,
		    ips->count, reason, size))
			return;
		break;
	case ACCOUNT_LOCAL:
		break;
	}
	if (allowed_by_domains(sc, acct, f->distinct_senders, reason, size))
		return;
	reason[0] = '\0';
}

/*
 * count_foreign_domains - the account's sender domains that are not
 * its own: not its SASL login's domain (or, without one, not its most
 * used sender domain) and not under one of local_domains.  Past the
 * counter cap the aggregator keeps a sample of the domains: the ones
 * found to be the account's own are taken from the estimated count.
 */
static void
count_foreign_domains(const struct scorer *sc, const struct account *acct,
    const struct account_features *f, struct account_extra *extra)
{
	struct name_view doms;
	const char	*key = account_key(acct);
	const char	*own = NULL, *at;
	uint64_t	 mine = 0, foreign = 0;
	size_t		 i;

	name_view_fetch(&doms, acct, account_top_sender_domains,
	    f->distinct_sender_domains);
	if (account_kind(acct) == ACCOUNT_SASL &&
	    (at = strrchr(key, '@')) != NULL && at[1] != '\0')
		own = at + 1;
	else if (doms.count > 0)
		own = doms.names[0];	/* busiest first */
	for (i = 0; i < doms.count; i++) {
		/* Keys are in lower case on both sides. */
		if ((own != NULL && strcmp(doms.names[i], own) == 0) ||
		    domain_under(&sc->local_domains, doms.names[i]) != NULL)
			mine++;
		else
			foreign++;
	}
	if (!doms.complete)
		foreign = f->distinct_sender_domains > mine ?
		    f->distinct_sender_domains - mine : 0;
	extra->sender_domains_known = true;
	extra->foreign_sender_domains = foreign;
	name_view_free(&doms);
}

/*
 * scorer_score - score one account: the client addresses are looked up
 * once, for logins_outside_isp and the address allowlist
 */
void
scorer_score(const struct scorer *sc, const struct account *acct,
    struct score *out)
{
	struct account_features f;
	struct account_extra extra = { .isp_known = false };
	struct name_view ips;
	struct cidr	 addr;
	enum account_kind kind = account_kind(acct);
	size_t		 i;
	bool		 isp = sc->isp_networks != NULL && kind == ACCOUNT_SASL;
	bool		 allow = sc->allow_ips != NULL && kind == ACCOUNT_SASL;

	account_features(acct, &f);
	memset(&ips, 0, sizeof(ips));
	if (isp || allow)
		name_view_fetch(&ips, acct, account_top_client_ips,
		    f.distinct_client_ips);
	if (isp) {
		/* An address that does not parse is not counted. */
		extra.isp_known = true;
		for (i = 0; i < ips.count; i++)
			if (cidr_parse_address(ips.names[i], &addr) &&
			    cidr_list_match_address(sc->isp_networks,
			    &addr) == NULL)
				extra.outside_isp_ips++;
	}
	if (f.distinct_sender_domains > 0)
		count_foreign_domains(sc, acct, &f, &extra);
	extra.window_days = sc->window_days;
	if (sc->state != NULL && state_lookup(sc->state, kind,
	    account_key(acct), &extra.baseline))
		extra.has_baseline = extra.baseline.days_tracked >=
		    state_get_options(sc->state)->min_history_days;
	score_features(sc, kind, &f, &extra, out);
	allowlist_reason(sc, acct, &f, &ips, out->allowlisted,
	    sizeof(out->allowlisted));
	if (out->allowlisted[0] != '\0')
		out->verdict = VERDICT_NORMAL;
	name_view_free(&ips);
}

/* scorer_use_state - borrow the baselines */
void
scorer_use_state(struct scorer *sc, const struct state *st,
    double window_days)
{
	sc->state = st;
	sc->window_days = window_days >= 1.0 ? window_days : 1.0;
}

/* scorer_state - the borrowed baselines */
const struct state *
scorer_state(const struct scorer *sc)
{
	return sc->state;
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
