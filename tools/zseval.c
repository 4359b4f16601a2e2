/*
 * zseval - score a zombiescan report against zssim's labels.
 *
 *	zseval [--json] [--list] [--min-ap X] [--min-pk X] [--min-recall X]
 *	    [--max-bulk-flagged X] LABELS.csv REPORT.json
 *
 * LABELS.csv is the labels file zssim writes (doc/simulator.md):
 * account,kind,class,zombie_kind,bad_from_day.  REPORT.json is a full
 * zombiescan report (doc/report.md; run with --all and without --top, so
 * that every account is ranked).  An account is identified by the pair
 * (kind, account), as in the report.
 *
 * Measures (zombies are the positives):
 *
 *   average precision  of the ranking: the report's order (score, then
 *			the report's own tie-breaks), then labelled
 *			accounts missing from the report, non-zombies
 *			before zombies (a missing zombie is ranked last:
 *			the pessimistic reading).
 *   precision at k	share of zombies among the first k accounts, k
 *			being the number of labelled zombies.
 *   recall per kind	share of each zombie_kind's accounts whose
 *			verdict is likely_zombie.
 *   flagged		accounts whose verdict is suspicious or
 *			likely_zombie, counted and as a share among
 *			legitimate bulk_sender accounts, device accounts
 *			and all non-zombies.
 *
 * Accounts in the report that are not in the labels (outside senders to
 * hosted mailboxes, external addresses, dictionary-attack usernames,
 * the home address of a SASL subscriber trying port 25) are treated as
 * legitimate non-zombies of unknown class: they take part in the
 * ranking and count against precision, and they are in the
 * "non-zombies flagged" share (their own count is printed too).
 *
 * The targets (--min-ap, --min-pk, --min-recall, --max-bulk-flagged;
 * shares from 0 to 1) make zseval exit 1 when one is missed, naming
 * it.  --min-recall applies to every zombie kind present in the labels.
 * Exit status: 0 all targets met (or none given), 1 a target missed,
 * 2 bad command line or unreadable input.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "util/strmap.h"
#include "util/xalloc.h"

#define PROGNAME	"zseval"

enum {
	EXIT_OK = 0,
	EXIT_MISSED = 1,
	EXIT_USAGE = 2
};

/* One labelled subscriber account. */
struct label {
	char		*account;
	char		*kind;
	char		*class;
	char		*zombie_kind;	/* "" unless class is zombie */
	bool		 is_zombie;
	bool		 in_report;
	const char	*verdict;	/* borrowed from the report, or NULL */
	double		 score;
	size_t		 rank;		/* 1-based position in the ranking */
};

/* Per zombie_kind recall counts. */
struct kind_recall {
	const char	*name;		/* borrowed from a label */
	size_t		 total;
	size_t		 caught;	/* verdict likely_zombie */
};

/* A count of flagged accounts out of a group. */
struct share {
	size_t		 flagged;
	size_t		 total;
};

/* Everything zseval measures. */
struct result {
	size_t		 labelled;
	size_t		 reported;
	size_t		 unlabelled;	/* in the report, not in the labels */
	size_t		 zombies;	/* k */
	size_t		 zombies_missing;	/* labelled zombies not reported */
	double		 average_precision;
	size_t		 hits_at_k;
	double		 precision_at_k;
	struct kind_recall *kinds;
	size_t		 nkinds;
	size_t		 zombies_caught;
	struct share	 bulk;
	struct share	 device;
	struct share	 non_zombie;
	struct share	 unlabelled_flagged;
};

/* Targets; a negative value means "not asked for". */
struct targets {
	double		 min_ap;
	double		 min_pk;
	double		 min_recall;
	double		 max_bulk_flagged;
};

/* usage - print the synopsis and exit */
static void
usage(int status)
{
	FILE *out = status == EXIT_OK ? stdout : stderr;

	fprintf(out,
	    "usage: " PROGNAME " [--json] [--list] [--min-ap X] [--min-pk X]\n"
	    "              [--min-recall X] [--max-bulk-flagged X]\n"
	    "              LABELS.csv REPORT.json\n"
	    "Measure a full zombiescan report against zssim's labels.\n"
	    "  --json                machine-readable output\n"
	    "  --list                also list missed zombies and flagged"
	    " non-zombies\n"
	    "  --min-ap X            exit 1 if average precision < X\n"
	    "  --min-pk X            exit 1 if precision at k < X\n"
	    "  --min-recall X        exit 1 if any zombie kind's recall < X\n"
	    "  --max-bulk-flagged X  exit 1 if the share of bulk senders\n"
	    "                        flagged > X\n"
	    "Shares are fractions from 0 to 1.\n");
	exit(status);
}

/* parse_share - a fraction 0..1 from an option argument, or exit */
static double
parse_share(const char *option, const char *arg)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(arg, &end);
	if (errno != 0 || end == arg || *end != '\0' || !(v >= 0 && v <= 1)) {
		fprintf(stderr, PROGNAME ": --%s: not a share from 0 to 1: "
		    "%.40s\n", option, arg);
		exit(EXIT_USAGE);
	}
	return v;
}

/* label_key - the map key of (kind, account); caller frees */
static char *
label_key(const char *kind, const char *account, size_t *keylen)
{
	size_t klen = strlen(kind), alen = strlen(account);
	char *key = xmalloc(klen + 1 + alen + 1);

	/* A newline occurs in neither a kind nor a logged account name. */
	memcpy(key, kind, klen);
	key[klen] = '\n';
	memcpy(key + klen + 1, account, alen + 1);
	*keylen = klen + 1 + alen;
	return key;
}

/* label_free - free one label (strmap callback) */
static void
label_free(void *p)
{
	struct label *l = p;

	if (l == NULL)
		return;
	free(l->account);
	free(l->kind);
	free(l->class);
	free(l->zombie_kind);
	free(l);
}

/*
 * split_label_line - split a labels row in place.  The last four fields
 * (kind, class, zombie_kind, bad_from_day) never hold a comma, so they
 * are taken from the right and the account is whatever precedes them.
 */
static bool
split_label_line(char *line, char *field[5])
{
	char *p;
	int i;

	for (i = 4; i > 0; i--) {
		p = strrchr(line, ',');
		if (p == NULL)
			return false;
		*p = '\0';
		field[i] = p + 1;
	}
	field[0] = line;
	return field[0][0] != '\0' && field[1][0] != '\0' &&
	    field[2][0] != '\0';
}

/* load_labels - read LABELS.csv into a map of struct label, or NULL */
static struct strmap *
load_labels(const char *path)
{
	struct strmap *map = NULL;
	FILE *fp;
	char *line = NULL, *field[5], *key;
	size_t cap = 0, keylen, lineno = 0;
	ssize_t len;
	struct label *l;
	void **slot;
	bool created;

	if ((fp = fopen(path, "r")) == NULL) {
		fprintf(stderr, PROGNAME ": %s: %s\n", path, strerror(errno));
		return NULL;
	}
	map = strmap_new(label_free);
	while ((len = getline(&line, &cap, fp)) != -1) {
		lineno++;
		while (len > 0 && (line[len - 1] == '\n' ||
		    line[len - 1] == '\r'))
			line[--len] = '\0';
		if (lineno == 1) {
			if (strncmp(line, "account,", 8) != 0) {
				fprintf(stderr, PROGNAME ": %s:1: not a zssim "
				    "labels file (no header)\n", path);
				goto bad;
			}
			continue;
		}
		if (len == 0)
			continue;
		if (!split_label_line(line, field)) {
			fprintf(stderr, PROGNAME ": %s:%zu: malformed row\n",
			    path, lineno);
			goto bad;
		}
		key = label_key(field[1], field[0], &keylen);
		slot = strmap_slot(map, key, keylen, &created);
		free(key);
		if (!created) {
			fprintf(stderr, PROGNAME ": %s:%zu: duplicate account "
			    "%.100s\n", path, lineno, field[0]);
			goto bad;
		}
		l = xcalloc(1, sizeof(*l));
		l->account = xstrdup(field[0]);
		l->kind = xstrdup(field[1]);
		l->class = xstrdup(field[2]);
		l->zombie_kind = xstrdup(field[3]);
		l->is_zombie = strcmp(field[2], "zombie") == 0;
		*slot = l;
	}
	if (ferror(fp)) {
		fprintf(stderr, PROGNAME ": %s: %s\n", path, strerror(errno));
		goto bad;
	}
	free(line);
	fclose(fp);
	return map;
bad:
	free(line);
	fclose(fp);
	strmap_free(map);
	return NULL;
}

/* is_flagged - whether a verdict raises a ticket */
static bool
is_flagged(const char *verdict)
{
	return verdict != NULL && (strcmp(verdict, "likely_zombie") == 0 ||
	    strcmp(verdict, "suspicious") == 0);
}

/* cmp_label_ptr - qsort: labels by account name, for stable listings */
static int
cmp_label_ptr(const void *a, const void *b)
{
	const struct label *la = *(const struct label *const *)a;
	const struct label *lb = *(const struct label *const *)b;
	int c = strcmp(la->account, lb->account);

	return c != 0 ? c : strcmp(la->kind, lb->kind);
}

/* cmp_kind - qsort: zombie kinds by name */
static int
cmp_kind(const void *a, const void *b)
{
	return strcmp(((const struct kind_recall *)a)->name,
	    ((const struct kind_recall *)b)->name);
}

/* share_of - a share as a fraction; 0 for an empty group */
static double
share_of(const struct share *s)
{
	return s->total == 0 ? 0.0 : (double)s->flagged / (double)s->total;
}

/* add_flagged - count one account into a group */
static void
add_flagged(struct share *s, const char *verdict)
{
	s->total++;
	if (is_flagged(verdict))
		s->flagged++;
}

/*
 * sorted_labels - the labels as an array sorted by name, so that
 * iteration order (the map's is arbitrary) never shows in the output.
 * Caller frees the array; the labels stay the map's.
 */
static struct label **
sorted_labels(const struct strmap *labels, size_t *count)
{
	struct label **v;
	size_t pos = 0, n = 0, keylen;
	const char *key;
	void *value;

	v = xreallocarray(NULL, strmap_count(labels) + 1, sizeof(*v));
	while (strmap_next(labels, &pos, &key, &keylen, &value))
		v[n++] = value;
	qsort(v, n, sizeof(*v), cmp_label_ptr);
	*count = n;
	return v;
}

/*
 * evaluate - match the report's accounts with the labels and compute
 * every measure.  flagged_unlabelled receives the report entries of
 * unlabelled accounts that were flagged (borrowed from the report).
 */
static bool
evaluate(struct strmap *labels, json_t *report, struct result *r,
    json_t *flagged_unlabelled)
{
	json_t *accounts, *entry;
	struct label **all, *l;
	size_t i, n, keylen, rank = 0, positives_seen = 0;
	double precision_sum = 0;
	char *key;
	bool *ranking_positive;

	memset(r, 0, sizeof(*r));
	accounts = json_object_get(report, "accounts");
	if (!json_is_array(accounts))
		return false;
	all = sorted_labels(labels, &n);
	r->labelled = n;
	r->reported = json_array_size(accounts);
	for (i = 0; i < n; i++)
		if (all[i]->is_zombie)
			r->zombies++;

	/*
	 * The ranking: every report entry in the report's order, then the
	 * labelled accounts the report lacks.  Positions are 1-based.
	 */
	ranking_positive = xcalloc(r->reported + n + 1,
	    sizeof(*ranking_positive));
	json_array_foreach(accounts, i, entry) {
		const char *account, *kind, *verdict;

		account = json_string_value(json_object_get(entry, "account"));
		kind = json_string_value(json_object_get(entry, "kind"));
		verdict = json_string_value(json_object_get(entry, "verdict"));
		if (account == NULL || kind == NULL || verdict == NULL) {
			free(ranking_positive);
			free(all);
			return false;
		}
		rank++;
		key = label_key(kind, account, &keylen);
		l = strmap_get(labels, key, keylen);
		free(key);
		if (l != NULL && !l->in_report) {
			l->in_report = true;
			l->verdict = verdict;
			l->score = json_number_value(json_object_get(entry,
			    "score"));
			l->rank = rank;
			ranking_positive[rank - 1] = l->is_zombie;
			continue;
		}
		/* Unlabelled: a legitimate non-zombie of unknown class. */
		r->unlabelled++;
		add_flagged(&r->non_zombie, verdict);
		add_flagged(&r->unlabelled_flagged, verdict);
		if (is_flagged(verdict))
			json_array_append(flagged_unlabelled, entry);
	}
	for (i = 0; i < n; i++)
		if (!all[i]->in_report && !all[i]->is_zombie)
			all[i]->rank = ++rank;
	for (i = 0; i < n; i++)
		if (!all[i]->in_report && all[i]->is_zombie) {
			all[i]->rank = ++rank;
			ranking_positive[rank - 1] = true;
			r->zombies_missing++;
		}

	for (i = 0; i < rank; i++) {
		if (!ranking_positive[i])
			continue;
		positives_seen++;
		precision_sum += (double)positives_seen / (double)(i + 1);
		if (i < r->zombies)
			r->hits_at_k++;
	}
	free(ranking_positive);
	if (r->zombies > 0) {
		r->average_precision = precision_sum / (double)r->zombies;
		r->precision_at_k = (double)r->hits_at_k / (double)r->zombies;
	}

	/* Recall per zombie kind, and the flagged shares. */
	r->kinds = xreallocarray(NULL, r->zombies + 1, sizeof(*r->kinds));
	for (i = 0; i < n; i++) {
		struct kind_recall *k = NULL;
		size_t j;

		l = all[i];
		if (!l->is_zombie) {
			add_flagged(&r->non_zombie, l->verdict);
			if (strcmp(l->class, "bulk_sender") == 0)
				add_flagged(&r->bulk, l->verdict);
			else if (strcmp(l->class, "device") == 0)
				add_flagged(&r->device, l->verdict);
			continue;
		}
		for (j = 0; j < r->nkinds; j++)
			if (strcmp(r->kinds[j].name, l->zombie_kind) == 0)
				k = &r->kinds[j];
		if (k == NULL) {
			k = &r->kinds[r->nkinds++];
			k->name = l->zombie_kind;
			k->total = k->caught = 0;
		}
		k->total++;
		if (l->verdict != NULL &&
		    strcmp(l->verdict, "likely_zombie") == 0) {
			k->caught++;
			r->zombies_caught++;
		}
	}
	qsort(r->kinds, r->nkinds, sizeof(*r->kinds), cmp_kind);
	free(all);
	return true;
}

/* min_recall - the lowest recall over the zombie kinds (1 if none) */
static double
min_recall(const struct result *r)
{
	double m = 1.0, v;
	size_t i;

	for (i = 0; i < r->nkinds; i++) {
		v = (double)r->kinds[i].caught / (double)r->kinds[i].total;
		if (v < m)
			m = v;
	}
	return m;
}

/*
 * check_targets - compare with the targets; each miss is appended to
 * failures as a sentence.  Returns whether all were met.
 */
static bool
check_targets(const struct result *r, const struct targets *t,
    json_t *failures)
{
	char buf[256];
	size_t i;
	double v;

	if (t->min_ap >= 0 && r->average_precision < t->min_ap) {
		snprintf(buf, sizeof(buf), "average precision %.4f < %.4f",
		    r->average_precision, t->min_ap);
		json_array_append_new(failures, json_string(buf));
	}
	if (t->min_pk >= 0 && r->precision_at_k < t->min_pk) {
		snprintf(buf, sizeof(buf), "precision at k %.4f < %.4f",
		    r->precision_at_k, t->min_pk);
		json_array_append_new(failures, json_string(buf));
	}
	for (i = 0; t->min_recall >= 0 && i < r->nkinds; i++) {
		v = (double)r->kinds[i].caught / (double)r->kinds[i].total;
		if (v < t->min_recall) {
			snprintf(buf, sizeof(buf), "recall of %.40s %.4f < "
			    "%.4f", r->kinds[i].name, v, t->min_recall);
			json_array_append_new(failures, json_string(buf));
		}
	}
	if (t->max_bulk_flagged >= 0 &&
	    share_of(&r->bulk) > t->max_bulk_flagged) {
		snprintf(buf, sizeof(buf), "bulk senders flagged %.4f > %.4f",
		    share_of(&r->bulk), t->max_bulk_flagged);
		json_array_append_new(failures, json_string(buf));
	}
	return json_array_size(failures) == 0;
}

/* share_json - a share as a JSON object */
static json_t *
share_json(const struct share *s)
{
	return json_pack("{s:I,s:I,s:f}", "flagged", (json_int_t)s->flagged,
	    "total", (json_int_t)s->total, "share", share_of(s));
}

/* label_json - one labelled account for the --list output */
static json_t *
label_json(const struct label *l)
{
	return json_pack("{s:s,s:s,s:s,s:s,s:o,s:f,s:I}", "account",
	    l->account, "kind", l->kind, "class", l->class, "zombie_kind",
	    l->zombie_kind, "verdict", l->verdict != NULL ?
	    json_string(l->verdict) : json_null(), "score", l->score,
	    "rank", (json_int_t)l->rank);
}

/*
 * collect_misses - zombies not judged likely_zombie and labelled
 * non-zombies that were flagged, in rank order.
 */
static void
collect_misses(const struct strmap *labels, json_t *missed,
    json_t *false_alarms)
{
	struct label **all;
	size_t i, j, n;

	all = sorted_labels(labels, &n);
	/* Sort by rank (insertion sort keeps ties in name order). */
	for (i = 1; i < n; i++) {
		struct label *x = all[i];

		for (j = i; j > 0 && all[j - 1]->rank > x->rank; j--)
			all[j] = all[j - 1];
		all[j] = x;
	}
	for (i = 0; i < n; i++) {
		if (all[i]->is_zombie && (all[i]->verdict == NULL ||
		    strcmp(all[i]->verdict, "likely_zombie") != 0))
			json_array_append_new(missed, label_json(all[i]));
		else if (!all[i]->is_zombie && is_flagged(all[i]->verdict))
			json_array_append_new(false_alarms,
			    label_json(all[i]));
	}
	free(all);
}

/* print_text - the fixed-format text block */
static void
print_text(const struct result *r, json_t *failures, bool list,
    json_t *missed, json_t *false_alarms, json_t *flagged_unlabelled)
{
	size_t i;
	json_t *e;

	printf("accounts      %zu labelled, %zu in report, %zu in report "
	    "but not labelled\n", r->labelled, r->reported, r->unlabelled);
	printf("zombies (k)   %zu (%zu not in report)\n", r->zombies,
	    r->zombies_missing);
	printf("AP            %.4f\n", r->average_precision);
	printf("P@k           %.4f (%zu/%zu)\n", r->precision_at_k,
	    r->hits_at_k, r->zombies);
	for (i = 0; i < r->nkinds; i++)
		printf("recall        %-20s %.4f (%zu/%zu)\n",
		    r->kinds[i].name, (double)r->kinds[i].caught /
		    (double)r->kinds[i].total, r->kinds[i].caught,
		    r->kinds[i].total);
	printf("recall        %-20s %.4f\n", "(min)", min_recall(r));
	printf("recall        %-20s %.4f (%zu/%zu)\n", "(all zombies)",
	    r->zombies == 0 ? 0.0 : (double)r->zombies_caught /
	    (double)r->zombies, r->zombies_caught, r->zombies);
	printf("flagged       %-20s %.4f (%zu/%zu)\n", "bulk_sender",
	    share_of(&r->bulk), r->bulk.flagged, r->bulk.total);
	printf("flagged       %-20s %.4f (%zu/%zu)\n", "device",
	    share_of(&r->device), r->device.flagged, r->device.total);
	printf("flagged       %-20s %.4f (%zu/%zu)\n", "non-zombie",
	    share_of(&r->non_zombie), r->non_zombie.flagged,
	    r->non_zombie.total);
	printf("flagged       %-20s %.4f (%zu/%zu)\n", "(unlabelled)",
	    share_of(&r->unlabelled_flagged), r->unlabelled_flagged.flagged,
	    r->unlabelled_flagged.total);
	json_array_foreach(failures, i, e)
		printf("FAIL          %s\n", json_string_value(e));
	if (!list)
		return;
	json_array_foreach(missed, i, e)
		printf("missed        %-5zu %5.1f %-13s %-20s %s\n",
		    (size_t)json_integer_value(json_object_get(e, "rank")),
		    json_real_value(json_object_get(e, "score")),
		    json_is_null(json_object_get(e, "verdict")) ? "(absent)" :
		    json_string_value(json_object_get(e, "verdict")),
		    json_string_value(json_object_get(e, "zombie_kind")),
		    json_string_value(json_object_get(e, "account")));
	json_array_foreach(false_alarms, i, e)
		printf("false alarm   %-5zu %5.1f %-13s %-20s %s\n",
		    (size_t)json_integer_value(json_object_get(e, "rank")),
		    json_real_value(json_object_get(e, "score")),
		    json_string_value(json_object_get(e, "verdict")),
		    json_string_value(json_object_get(e, "class")),
		    json_string_value(json_object_get(e, "account")));
	json_array_foreach(flagged_unlabelled, i, e)
		printf("false alarm   %-5zu %5.1f %-13s %-20s %s\n",
		    (size_t)json_integer_value(json_object_get(e, "rank")),
		    json_number_value(json_object_get(e, "score")),
		    json_string_value(json_object_get(e, "verdict")),
		    "(unlabelled)",
		    json_string_value(json_object_get(e, "account")));
}

/* print_json - the same measures as one JSON object */
static bool
print_json(const struct result *r, json_t *failures, bool list,
    json_t *missed, json_t *false_alarms, json_t *flagged_unlabelled)
{
	json_t *doc, *recall, *flagged;
	size_t i;
	bool ok;

	recall = json_object();
	for (i = 0; i < r->nkinds; i++)
		json_object_set_new(recall, r->kinds[i].name,
		    json_pack("{s:f,s:I,s:I}", "recall",
		    (double)r->kinds[i].caught / (double)r->kinds[i].total,
		    "caught", (json_int_t)r->kinds[i].caught, "total",
		    (json_int_t)r->kinds[i].total));
	flagged = json_pack("{s:o,s:o,s:o,s:o}",
	    "bulk_sender", share_json(&r->bulk),
	    "device", share_json(&r->device),
	    "non_zombie", share_json(&r->non_zombie),
	    "unlabelled", share_json(&r->unlabelled_flagged));
	doc = json_pack("{s:I,s:I,s:I,s:I,s:I,s:f,s:f,s:I,s:o,s:f,s:o,s:O,"
	    "s:b}",
	    "labelled", (json_int_t)r->labelled,
	    "reported", (json_int_t)r->reported,
	    "unlabelled", (json_int_t)r->unlabelled,
	    "zombies", (json_int_t)r->zombies,
	    "zombies_missing", (json_int_t)r->zombies_missing,
	    "average_precision", r->average_precision,
	    "precision_at_k", r->precision_at_k,
	    "hits_at_k", (json_int_t)r->hits_at_k,
	    "recall_likely_zombie", recall,
	    "min_recall", min_recall(r),
	    "flagged", flagged,
	    "failures", failures,
	    "pass", json_array_size(failures) == 0);
	if (doc == NULL)
		return false;
	if (list) {
		json_object_set(doc, "missed_zombies", missed);
		json_object_set(doc, "false_alarms", false_alarms);
		json_object_set(doc, "flagged_unlabelled", flagged_unlabelled);
	}
	ok = json_dumpf(doc, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER |
	    JSON_REAL_PRECISION(6)) == 0;
	fputc('\n', stdout);
	json_decref(doc);
	return ok;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "list", no_argument, NULL, 'l' },
		{ "min-ap", required_argument, NULL, 'a' },
		{ "min-pk", required_argument, NULL, 'p' },
		{ "min-recall", required_argument, NULL, 'r' },
		{ "max-bulk-flagged", required_argument, NULL, 'b' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct targets t = { -1, -1, -1, -1 };
	struct strmap *labels;
	struct result r;
	json_t *report, *failures, *missed, *false_alarms, *unl;
	json_error_t jerr;
	bool as_json = false, list = false, pass;
	int ch, status;

	while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'j':
			as_json = true;
			break;
		case 'l':
			list = true;
			break;
		case 'a':
			t.min_ap = parse_share("min-ap", optarg);
			break;
		case 'p':
			t.min_pk = parse_share("min-pk", optarg);
			break;
		case 'r':
			t.min_recall = parse_share("min-recall", optarg);
			break;
		case 'b':
			t.max_bulk_flagged = parse_share("max-bulk-flagged",
			    optarg);
			break;
		case 'h':
			usage(EXIT_OK);
			break;
		default:
			usage(EXIT_USAGE);
		}
	}
	if (argc - optind != 2)
		usage(EXIT_USAGE);

	if ((labels = load_labels(argv[optind])) == NULL)
		return EXIT_USAGE;
	report = json_load_file(argv[optind + 1], 0, &jerr);
	if (report == NULL) {
		fprintf(stderr, PROGNAME ": %s:%d: %s\n", argv[optind + 1],
		    jerr.line, jerr.text);
		strmap_free(labels);
		return EXIT_USAGE;
	}
	if (json_integer_value(json_object_get(json_object_get(report,
	    "scoring"), "top")) != 0 ||
	    json_number_value(json_object_get(json_object_get(report,
	    "scoring"), "min_score")) != 0)
		fprintf(stderr, PROGNAME ": warning: %s was cut with --top or "
		    "--min-score; the measures assume a full report\n",
		    argv[optind + 1]);

	unl = json_array();
	if (!evaluate(labels, report, &r, unl)) {
		fprintf(stderr, PROGNAME ": %s: not a zombiescan report "
		    "(accounts[] with account, kind, verdict)\n",
		    argv[optind + 1]);
		json_decref(unl);
		json_decref(report);
		strmap_free(labels);
		return EXIT_USAGE;
	}
	failures = json_array();
	missed = json_array();
	false_alarms = json_array();
	pass = check_targets(&r, &t, failures);
	if (list)
		collect_misses(labels, missed, false_alarms);
	status = pass ? EXIT_OK : EXIT_MISSED;
	if (as_json) {
		if (!print_json(&r, failures, list, missed, false_alarms, unl))
			status = EXIT_USAGE;
	} else
		print_text(&r, failures, list, missed, false_alarms, unl);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, PROGNAME ": standard output: %s\n",
		    strerror(errno));
		status = EXIT_USAGE;
	}
	if (!pass)
		fprintf(stderr, PROGNAME ": %zu target(s) missed\n",
		    json_array_size(failures));

	json_decref(failures);
	json_decref(missed);
	json_decref(false_alarms);
	json_decref(unl);
	json_decref(report);
	free(r.kinds);
	strmap_free(labels);
	return status;
}
