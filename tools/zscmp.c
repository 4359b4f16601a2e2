/*
 * zscmp - compare the per-account figures and the ranking of two
 * zombiescan reports.
 *
 *	zscmp [--ignore FEATURE]... [--total FEATURE]... [--hour-shift]
 *	    [--cut-replies] [--max-diffs N] A.json B.json
 *
 * A.json and B.json are full zombiescan reports (doc/report.md; made
 * with --all and without --top, so that every account is listed).
 * Accounts are matched by the pair (kind, account).  What is compared:
 *
 *   features	every member of each account's "features", compared
 *		exactly (numbers, the 24 hour counts, the object of
 *		remote rejections by class), except the members named by
 *		--ignore.  An account listed in only one report is
 *		compared with an account whose every feature is zero
 *		(null for the seen times): it may be missing from the
 *		other report only when all it has are ignored features.
 *   totals	a feature named by --total (a count) is not compared
 *		per account but summed over all accounts: the sums must
 *		be equal (the same events, attributed differently).
 *   ranking	the accounts listed in both reports, less those whose
 *		--total features differ, must come in the same order
 *		and have the same verdicts.  Their scores are not
 *		compared: an ignored feature may move a score without
 *		changing the order.
 *
 * --hour-shift relaxes messages_by_hour and peak_hour_messages for a
 * pair of logs in which the same message can be stamped a little
 * later in B than in A (Postfix logs a message's first line at the
 * first accepted RCPT, Exim and Sendmail at the end of DATA): B's hour
 * counts must equal A's after moving some of A's messages from their
 * hour to the next one (23 to 0), and the busiest clock hour may
 * differ by at most the number of messages so moved.  Both still have
 * the same total.
 *
 * --cut-replies relaxes remote_rejections for a B whose log keeps only
 * part of each remote reply (Sendmail logs the first line of a
 * multi-line reply, cut to 203 bytes): a refusal A classifies as
 * blocklist or spam may count as reputation in B (its RFC 3463 5.7.x
 * status, policy, is all that is left), and nothing else may differ.
 *
 * Output: one line per difference on standard output (the first
 * --max-diffs, default 50, then a count).  Exit status: 0 the reports
 * agree, 1 they differ, 2 bad command line or unreadable report.
 */
#include "config.h"

#include <getopt.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#define HOURS		24
#define MAX_IGNORE	32

struct options {
	const char	*ignore[MAX_IGNORE];
	size_t		 nignore;
	const char	*total[MAX_IGNORE];
	size_t		 ntotal;
	bool		 hour_shift;
	bool		 cut_replies;
	unsigned long	 max_diffs;
};

static unsigned long	ndiffs;
static unsigned long	max_diffs = 50;

/* usage - the synopsis on standard error, exit 2 */
static void
usage(void)
{
	fprintf(stderr, "usage: zscmp [--ignore FEATURE]... "
	    "[--total FEATURE]... [--hour-shift] [--cut-replies] "
	    "[--max-diffs N] "
	    "A.json B.json\n");
	exit(2);
}

/* diff - report one difference */
static void __attribute__((format(printf, 1, 2)))
diff(const char *fmt, ...)
{
	va_list	ap;

	if (ndiffs++ >= max_diffs)
		return;
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

/* load - a report, or exit 2 */
static json_t *
load(const char *path)
{
	json_error_t	 err;
	json_t		*doc;

	doc = json_load_file(path, 0, &err);
	if (doc == NULL) {
		fprintf(stderr, "zscmp: %s:%d: %s\n", path, err.line,
		    err.text);
		exit(2);
	}
	if (!json_is_array(json_object_get(doc, "accounts"))) {
		fprintf(stderr, "zscmp: %s: no accounts array\n", path);
		exit(2);
	}
	return doc;
}

/* find - the entry of (kind, name) in a report's accounts, or NULL */
static json_t *
find(json_t *accounts, const char *kind, const char *name)
{
	size_t	 i;
	json_t	*a;

	json_array_foreach(accounts, i, a) {
		if (strcmp(json_string_value(json_object_get(a, "kind")) ?
		    json_string_value(json_object_get(a, "kind")) : "",
		    kind) == 0 &&
		    strcmp(json_string_value(json_object_get(a, "account")) ?
		    json_string_value(json_object_get(a, "account")) : "",
		    name) == 0)
			return a;
	}
	return NULL;
}

/* is_ignored - whether a feature is not compared per account */
static bool
is_ignored(const struct options *o, const char *feature)
{
	size_t	i;

	for (i = 0; i < o->nignore; i++)
		if (strcmp(o->ignore[i], feature) == 0)
			return true;
	for (i = 0; i < o->ntotal; i++)
		if (strcmp(o->total[i], feature) == 0)
			return true;
	return false;
}

/* total - a count feature summed over a report's accounts */
static json_int_t
total(json_t *accounts, const char *feature)
{
	json_int_t	 sum = 0;
	size_t		 i;
	json_t		*acct;

	json_array_foreach(accounts, i, acct)
		sum += json_integer_value(json_object_get(json_object_get(acct,
		    "features"), feature));
	return sum;
}

/* is_zero - a feature value an absent account would have */
static bool
is_zero(json_t *v)
{
	const char	*k;
	size_t		 i;
	json_t		*e;

	if (v == NULL || json_is_null(v))
		return true;
	if (json_is_integer(v))
		return json_integer_value(v) == 0;
	if (json_is_real(v))
		return json_real_value(v) == 0;
	if (json_is_array(v)) {
		json_array_foreach(v, i, e)
			if (!is_zero(e))
				return false;
		return true;
	}
	if (json_is_object(v)) {
		json_object_foreach(v, k, e)
			if (!is_zero(e))
				return false;
		return true;
	}
	return false;
}

/* same - equal values; a missing side stands for zero */
static bool
same(json_t *a, json_t *b)
{
	if (a == NULL || b == NULL)
		return is_zero(a) && is_zero(b);
	return json_equal(a, b);
}

/* hour - hour h of a messages_by_hour array (0 when absent) */
static json_int_t
hour(json_t *arr, size_t h)
{
	return json_integer_value(json_array_get(arr, h));
}

/*
 * shifted_by - whether B's hour counts are A's with some messages moved
 * to the next hour; *moved gets the fewest messages that must move.
 * Moving f[h] messages from hour h to h+1 gives B[h] = A[h] - f[h] +
 * f[h-1], so f[h] = c + g[h] with g[h] the running sum of A - B and c
 * = f[23]; some c must keep every 0 <= f[h] <= A[h].
 */
static bool
shifted_by(json_t *a, json_t *b, json_int_t *moved)
{
	json_int_t	 g[HOURS], run = 0, lo = 0, hi = INT64_MAX, sum = 0;
	size_t		 h;

	for (h = 0; h < HOURS; h++) {
		run += hour(a, h) - hour(b, h);
		g[h] = run;
	}
	if (run != 0)
		return false;
	for (h = 0; h < HOURS; h++) {
		if (-g[h] > lo)
			lo = -g[h];
		if (hour(a, h) - g[h] < hi)
			hi = hour(a, h) - g[h];
	}
	if (lo > hi)
		return false;
	for (h = 0; h < HOURS; h++)
		sum += lo + g[h];
	*moved = sum;
	return true;
}

/* class - one class count of a remote_rejections object */
static json_int_t
class(json_t *obj, const char *name)
{
	return json_integer_value(json_object_get(obj, name));
}

/*
 * cut_replies_ok - whether B's remote rejections are A's with some
 * blocklist and spam refusals counted as reputation (--cut-replies)
 */
static bool
cut_replies_ok(json_t *a, json_t *b)
{
	static const char *const exact[] = { "none", "rate_limit",
	    "unknown_user" };
	json_int_t	 lost_bl, lost_spam;
	size_t		 i;

	if (a == NULL || b == NULL)
		return same(a, b);
	if (json_object_size(a) != json_object_size(b))
		return false;
	for (i = 0; i < sizeof(exact) / sizeof(exact[0]); i++)
		if (class(a, exact[i]) != class(b, exact[i]))
			return false;
	lost_bl = class(a, "blocklist") - class(b, "blocklist");
	lost_spam = class(a, "spam") - class(b, "spam");
	return lost_bl >= 0 && lost_spam >= 0 &&
	    class(b, "reputation") - class(a, "reputation") ==
	    lost_bl + lost_spam;
}

/* compare_features - one account's features, A against B */
static void
compare_features(const struct options *o, const char *id, json_t *fa,
    json_t *fb)
{
	const char	*k;
	json_t		*va, *vb, *keys = fa != NULL ? fa : fb;
	json_int_t	 moved = 0, pa, pb;
	bool		 shift_ok = false;

	if (o->hour_shift && !is_ignored(o, "messages_by_hour")) {
		va = json_object_get(fa, "messages_by_hour");
		vb = json_object_get(fb, "messages_by_hour");
		if (va == NULL || vb == NULL)
			shift_ok = same(va, vb);
		else if (!(shift_ok = shifted_by(va, vb, &moved)))
			diff("%s: messages_by_hour: B is not A with messages "
			    "moved to the next hour", id);
	}
	json_object_foreach(keys, k, va) {
		if (is_ignored(o, k))
			continue;
		va = json_object_get(fa, k);
		vb = json_object_get(fb, k);
		if (o->hour_shift && strcmp(k, "messages_by_hour") == 0)
			continue;
		if (o->cut_replies && strcmp(k, "remote_rejections") == 0) {
			if (!cut_replies_ok(va, vb))
				diff("%s: remote_rejections: B is not A with "
				    "blocklist and spam refusals read as "
				    "reputation", id);
			continue;
		}
		if (o->hour_shift && shift_ok &&
		    strcmp(k, "peak_hour_messages") == 0) {
			pa = json_integer_value(va);
			pb = json_integer_value(vb);
			if (pa - pb > moved || pb - pa > moved)
				diff("%s: peak_hour_messages: %lld and %lld, "
				    "%lld moved", id, (long long)pa,
				    (long long)pb, (long long)moved);
			continue;
		}
		if (!same(va, vb)) {
			char	*sa = va ? json_dumps(va, JSON_COMPACT |
			    JSON_ENCODE_ANY) : NULL;
			char	*sb = vb ? json_dumps(vb, JSON_COMPACT |
			    JSON_ENCODE_ANY) : NULL;

			diff("%s: %s: %s and %s", id, k, sa ? sa : "-",
			    sb ? sb : "-");
			free(sa);
			free(sb);
		}
	}
}

/* account_id - "kind:account" for messages */
static char *
account_id(json_t *acct)
{
	const char	*kind = json_string_value(json_object_get(acct,
			    "kind"));
	const char	*name = json_string_value(json_object_get(acct,
			    "account"));
	size_t		 n;
	char		*s;

	kind = kind ? kind : "";
	name = name ? name : "";
	n = strlen(kind) + strlen(name) + 2;
	if ((s = malloc(n)) == NULL) {
		perror("zscmp");
		exit(2);
	}
	snprintf(s, n, "%s:%s", kind, name);
	return s;
}

/* mark_only - append a note to an account's name in messages */
static void
mark_only(char **id, const char *note)
{
	size_t	 n = strlen(*id) + strlen(note) + 1;
	char	*s;

	if ((s = malloc(n)) == NULL) {
		perror("zscmp");
		exit(2);
	}
	snprintf(s, n, "%s%s", *id, note);
	free(*id);
	*id = s;
}

/* compare_side - every account of one report against the other */
static void
compare_side(const struct options *o, json_t *from, json_t *other,
    bool from_is_a)
{
	size_t	 i;
	json_t	*acct, *match;
	char	*id;

	json_array_foreach(from, i, acct) {
		match = find(other,
		    json_string_value(json_object_get(acct, "kind")),
		    json_string_value(json_object_get(acct, "account")));
		/* Both present: compared once, from A's side. */
		if (match != NULL && !from_is_a)
			continue;
		id = account_id(acct);
		if (match == NULL)
			mark_only(&id, from_is_a ? " (only in A)" :
			    " (only in B)");
		if (from_is_a)
			compare_features(o, id, json_object_get(acct,
			    "features"), match ? json_object_get(match,
			    "features") : NULL);
		else
			compare_features(o, id, NULL,
			    json_object_get(acct, "features"));
		free(id);
	}
}

/*
 * comparable - whether an account's rank can be compared: listed in
 * both reports, with equal values of the --total features (events the
 * two logs attribute to different accounts change their scores).
 */
static bool
comparable(const struct options *o, json_t *acct, json_t *other)
{
	json_t	*match;
	size_t	 i;

	match = find(other, json_string_value(json_object_get(acct, "kind")),
	    json_string_value(json_object_get(acct, "account")));
	if (match == NULL)
		return false;
	for (i = 0; i < o->ntotal; i++)
		if (!same(json_object_get(json_object_get(acct, "features"),
		    o->total[i]), json_object_get(json_object_get(match,
		    "features"), o->total[i])))
			return false;
	return true;
}

/*
 * compare_ranking - the comparable accounts in the same order, with
 * the same verdicts.  Scores may differ where features were ignored;
 * the order may not.
 */
static void
compare_ranking(const struct options *o, json_t *aa, json_t *ab)
{
	size_t	 i = 0, j = 0, pos = 0, moved = 0;
	size_t	 na = json_array_size(aa), nb = json_array_size(ab);
	json_t	*x, *y;
	char	*ix, *iy;

	for (;;) {
		while (i < na && !comparable(o, json_array_get(aa, i), ab))
			i++;
		while (j < nb && !comparable(o, json_array_get(ab, j), aa))
			j++;
		if (i >= na || j >= nb)
			break;
		x = json_array_get(aa, i++);
		y = json_array_get(ab, j++);
		pos++;
		ix = account_id(x);
		iy = account_id(y);
		if (strcmp(ix, iy) != 0) {
			if (moved++ == 0)
				diff("ranking: at comparable rank %zu A has %s "
				    "(rank %lld), B has %s (rank %lld)", pos,
				    ix, json_integer_value(json_object_get(x,
				    "rank")), iy, json_integer_value(
				    json_object_get(y, "rank")));
		}
		free(ix);
		free(iy);
		if (!json_equal(json_object_get(x, "verdict"),
		    json_object_get(y, "verdict"))) {
			ix = account_id(x);
			diff("%s: verdict %s (score %.1f) and %s (score %.1f)",
			    ix, json_string_value(json_object_get(x,
			    "verdict")), json_number_value(json_object_get(x,
			    "score")), json_string_value(json_object_get(y,
			    "verdict")), json_number_value(json_object_get(y,
			    "score")));
			free(ix);
		}
	}
	if (moved > 1)
		diff("ranking: %zu of %zu comparable ranks differ", moved, pos);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "ignore", required_argument, NULL, 'i' },
		{ "total", required_argument, NULL, 't' },
		{ "hour-shift", no_argument, NULL, 's' },
		{ "cut-replies", no_argument, NULL, 'c' },
		{ "max-diffs", required_argument, NULL, 'm' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct options	 o = { .nignore = 0 };
	json_t		*a, *b, *aa, *ab;
	char		*end;
	size_t		 i;
	int		 c;

	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'i':
			if (o.nignore == MAX_IGNORE) {
				fprintf(stderr, "zscmp: too many --ignore\n");
				return 2;
			}
			o.ignore[o.nignore++] = optarg;
			break;
		case 't':
			if (o.ntotal == MAX_IGNORE) {
				fprintf(stderr, "zscmp: too many --total\n");
				return 2;
			}
			o.total[o.ntotal++] = optarg;
			break;
		case 's':
			o.hour_shift = true;
			break;
		case 'c':
			o.cut_replies = true;
			break;
		case 'm':
			max_diffs = strtoul(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0')
				usage();
			break;
		default:
			usage();
		}
	}
	if (argc - optind != 2)
		usage();
	a = load(argv[optind]);
	b = load(argv[optind + 1]);
	aa = json_object_get(a, "accounts");
	ab = json_object_get(b, "accounts");
	compare_side(&o, aa, ab, true);
	compare_side(&o, ab, aa, false);
	for (i = 0; i < o.ntotal; i++)
		if (total(aa, o.total[i]) != total(ab, o.total[i]))
			diff("total %s: %lld and %lld", o.total[i],
			    (long long)total(aa, o.total[i]),
			    (long long)total(ab, o.total[i]));
	compare_ranking(&o, aa, ab);
	if (ndiffs > max_diffs)
		printf("... %lu differences in all\n", ndiffs);
	json_decref(a);
	json_decref(b);
	return ndiffs > 0 ? 1 : 0;
}
