/*
 * zsconfig - read and check the configuration file (see zsconfig.h and
 * doc/zombiescan.conf.5).
 *
 * jansson parses the file with JSON_REJECT_DUPLICATES (a second
 * "weight" for one rule is a mistake, not an override); then every
 * object is walked against a fixed list of keys.  A walk keeps the
 * key path of the value it looks at ("scoring.rules.bounce_rate.lo",
 * "allowlist.ips[2]") for messages.  The first problem ends the walk:
 * one precise message beats a page of consequences.
 *
 * Ranges: the scorer's table (score_rule_info) says which numbers a
 * rule takes and their range, so a rule added there is configurable
 * here without a change; score_config_check() then checks the numbers
 * that depend on each other (lo below hi, the suspicious threshold not
 * above the likely-zombie one).
 */
#include "config.h"

#include <sys/types.h>
#include <sys/stat.h>

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "analysis/zsconfig.h"
#include "util/errmsg.h"
#include "util/xalloc.h"

/* Longest key path kept for messages; deeper text is cut. */
#define PATH_MAX_BYTES	256

/* Longest allowlisted account name (SMTP's 256-byte path, RFC 5321). */
#define ACCOUNT_MAX_BYTES	256

/* Longest domain name (RFC 1035: 255 octets on the wire). */
#define DOMAIN_MAX_BYTES	253

struct pattern {
	enum response_class class;
	char		*text;
};

/* A list of owned strings. */
struct string_list {
	char		**items;
	size_t		 count;
};

struct zs_config {
	char		*path;		/* NULL for the defaults */
	struct score_config score;	/* lists point at the fields below */
	struct state_options state;	/* --state baselines */
	struct string_list allow_accounts;
	struct string_list allow_domains;
	struct cidr_list *allow_ips;
	struct cidr_list *isp_networks;
	struct string_list local_domains;
	struct pattern	*patterns;
	size_t		 pattern_count;
};

/* Where a walk is, and where its message goes. */
struct walk {
	const char	*name;		/* file name, as messages show it */
	char		 path[PATH_MAX_BYTES];
	char		*err;
	size_t		 errlen;
	struct classifier *scratch;	/* to test patterns; lazily made */
};

/* ---- messages ---------------------------------------------------- */

/*
 * fail - "<name>: <path>: <message>" (or "<name>: <message>" at the
 * top level) into the walk's buffer; false
 */
static bool __attribute__((format(printf, 2, 3)))
fail(struct walk *w, const char *fmt, ...)
{
	char	msg[512];
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (w->path[0] != '\0')
		return errmsg_fail(w->err, w->errlen, "%s: %s: %s", w->name,
		    w->path, msg);
	return errmsg_fail(w->err, w->errlen, "%s: %s", w->name, msg);
}

/* path_key - append ".key" (or "key" at the top); returns the old end */
static size_t
path_key(struct walk *w, const char *key)
{
	char	buf[64];
	size_t	len = strlen(w->path);

	snprintf(w->path + len, sizeof(w->path) - len, "%s%s",
	    len > 0 ? "." : "", errmsg_shown(buf, sizeof(buf), key));
	return len;
}

/* path_index - append "[i]"; returns the old end */
static size_t
path_index(struct walk *w, size_t i)
{
	size_t	len = strlen(w->path);

	snprintf(w->path + len, sizeof(w->path) - len, "[%zu]", i);
	return len;
}

/* path_pop - cut the path back to len */
static void
path_pop(struct walk *w, size_t len)
{
	w->path[len] = '\0';
}

/* type_name - what a JSON value is, for "must be X, not Y" */
static const char *
type_name(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		return "an object";
	case JSON_ARRAY:
		return "an array";
	case JSON_STRING:
		return "a string";
	case JSON_INTEGER:
		return "an integer";
	case JSON_REAL:
		return "a number with a fraction";
	case JSON_TRUE:
		return "true";
	case JSON_FALSE:
		return "false";
	case JSON_NULL:
		break;
	}
	return "null";
}

/*
 * unknown_key - "unknown <what>; known: a, b, c" for a key of the
 * current path (already appended)
 */
static bool
unknown_key(struct walk *w, const char *what, const char *const *known,
    size_t count)
{
	char	list[512];
	size_t	i, len;

	list[0] = '\0';
	for (i = 0; i < count; i++) {
		len = strlen(list);
		snprintf(list + len, sizeof(list) - len, "%s%s",
		    i > 0 ? ", " : "", known[i]);
	}
	return fail(w, "unknown %s; known: %s", what, list);
}

/* ---- values ------------------------------------------------------ */

/* need_object - the value must be an object */
static bool
need_object(struct walk *w, const json_t *v)
{
	if (json_is_object(v))
		return true;
	return fail(w, "must be an object, not %s", type_name(v));
}

/* get_number - a number within lo..hi into *out */
static bool
get_number(struct walk *w, const json_t *v, double lo, double hi,
    double *out)
{
	double	x;

	if (!json_is_number(v))
		return fail(w, "must be a number, not %s", type_name(v));
	x = json_number_value(v);
	if (!(x >= lo && x <= hi))
		return fail(w, "%g is out of range (%g to %g)", x, lo, hi);
	*out = x;
	return true;
}

/*
 * for_each_string - call fn for every element of an array of strings,
 * with the path at the element
 */
static bool
for_each_string(struct walk *w, const json_t *v,
    bool (*fn)(struct walk *w, const char *s, void *arg), void *arg)
{
	const json_t	*item;
	size_t		 i, mark;

	if (!json_is_array(v))
		return fail(w, "must be an array of strings, not %s",
		    type_name(v));
	json_array_foreach(v, i, item) {
		mark = path_index(w, i);
		if (!json_is_string(item))
			return fail(w, "must be a string, not %s",
			    type_name(item));
		if (!fn(w, json_string_value(item), arg))
			return false;
		path_pop(w, mark);
	}
	return true;
}

/* string_list_add - append a copy of s */
static void
string_list_add(struct string_list *list, const char *s)
{
	list->items = xreallocarray(list->items, list->count + 1,
	    sizeof(*list->items));
	list->items[list->count++] = xstrdup(s);
}

/* string_list_free - free the strings and the array */
static void
string_list_free(struct string_list *list)
{
	size_t	i;

	for (i = 0; i < list->count; i++)
		free(list->items[i]);
	free(list->items);
}

/* ---- scoring ----------------------------------------------------- */

/* rule_names - every rule's name, for "known: ..." */
static size_t
rule_names(const char **names)
{
	size_t	i;

	for (i = 0; i < SCORE_RULE_COUNT; i++)
		names[i] = score_rule_info((enum score_rule)i)->name;
	return i;
}

/* read_rule - "weight" and the rule's own numbers */
static bool
read_rule(struct walk *w, enum score_rule rule, const json_t *obj,
    struct score_rule_config *rc)
{
	const struct score_rule_info *info = score_rule_info(rule);
	const char	*known[3];
	const char	*key;
	const json_t	*v;
	size_t		 nknown = 0, mark;
	bool		 ok;

	known[nknown++] = "weight";
	if (info->params & SCORE_PARAM_THRESHOLD)
		known[nknown++] = "threshold";
	if (info->params & SCORE_PARAM_RAMP) {
		known[nknown++] = "lo";
		known[nknown++] = "hi";
	}
	if (!need_object(w, obj))
		return false;
	json_object_foreach((json_t *)obj, key, v) {
		mark = path_key(w, key);
		if (strcmp(key, "weight") == 0)
			ok = get_number(w, v, 0.0, SCORE_WEIGHT_MAX,
			    &rc->weight);
		else if (strcmp(key, "threshold") == 0 &&
		    (info->params & SCORE_PARAM_THRESHOLD))
			ok = get_number(w, v, info->min, info->max,
			    &rc->threshold);
		else if (strcmp(key, "lo") == 0 &&
		    (info->params & SCORE_PARAM_RAMP))
			ok = get_number(w, v, info->min, info->max, &rc->lo);
		else if (strcmp(key, "hi") == 0 &&
		    (info->params & SCORE_PARAM_RAMP))
			ok = get_number(w, v, info->min, info->max, &rc->hi);
		else
			ok = unknown_key(w, "key", known, nknown);
		if (!ok)
			return false;
		path_pop(w, mark);
	}
	return true;
}

/* read_rules - the "rules" object: one object per rule name */
static bool
read_rules(struct walk *w, const json_t *obj, struct score_config *sc)
{
	const char	*names[SCORE_RULE_COUNT];
	const char	*key;
	const json_t	*v;
	enum score_rule	 rule;
	size_t		 mark;

	if (!need_object(w, obj))
		return false;
	json_object_foreach((json_t *)obj, key, v) {
		mark = path_key(w, key);
		if (!score_rule_from_name(key, &rule))
			return unknown_key(w, "rule", names,
			    rule_names(names));
		if (!read_rule(w, rule, v, &sc->rules[rule]))
			return false;
		path_pop(w, mark);
	}
	return true;
}

/* read_scoring - the "scoring" object */
static bool
read_scoring(struct walk *w, const json_t *obj, struct score_config *sc)
{
	static const char *const known[] = {
		"likely_zombie_min", "suspicious_min", "min_messages",
		"weight_scale", "rules"
	};
	const char	*key;
	const json_t	*v;
	json_int_t	 n;
	size_t		 mark;
	bool		 ok;

	if (!need_object(w, obj))
		return false;
	json_object_foreach((json_t *)obj, key, v) {
		mark = path_key(w, key);
		if (strcmp(key, "likely_zombie_min") == 0)
			ok = get_number(w, v, 0.0, 100.0,
			    &sc->likely_zombie_min);
		else if (strcmp(key, "suspicious_min") == 0)
			ok = get_number(w, v, 0.0, 100.0,
			    &sc->suspicious_min);
		else if (strcmp(key, "weight_scale") == 0)
			ok = get_number(w, v, 0.0, SCORE_WEIGHT_MAX,
			    &sc->weight_scale);
		else if (strcmp(key, "min_messages") == 0) {
			if (!json_is_integer(v))
				return fail(w, "must be an integer, not %s",
				    type_name(v));
			n = json_integer_value(v);
			if (n < 1 || (uint64_t)n > SCORE_MIN_MESSAGES_MAX)
				return fail(w, "%lld is out of range (1 to "
				    "%llu)", (long long)n,
				    (unsigned long long)SCORE_MIN_MESSAGES_MAX);
			sc->min_messages = (uint64_t)n;
			ok = true;
		} else if (strcmp(key, "rules") == 0)
			ok = read_rules(w, v, sc);
		else
			ok = unknown_key(w, "key", known,
			    sizeof(known) / sizeof(known[0]));
		if (!ok)
			return false;
		path_pop(w, mark);
	}
	return true;
}

/* get_days - a whole number of days from lo to hi */
static bool
get_days(struct walk *w, const json_t *v, unsigned lo, unsigned hi,
    unsigned *out)
{
	json_int_t	n;

	if (!json_is_integer(v))
		return fail(w, "must be an integer, not %s", type_name(v));
	n = json_integer_value(v);
	if (n < (json_int_t)lo || n > (json_int_t)hi)
		return fail(w, "%lld is out of range (%u to %u)", (long long)n,
		    lo, hi);
	*out = (unsigned)n;
	return true;
}

/* read_state - the "state" object: how --state keeps baselines */
static bool
read_state(struct walk *w, const json_t *obj, struct state_options *so)
{
	static const char *const known[] = {
		"half_life_days", "prune_after_days", "min_history_days"
	};
	const char	*key;
	const json_t	*v;
	size_t		 mark;
	bool		 ok;

	if (!need_object(w, obj))
		return false;
	json_object_foreach((json_t *)obj, key, v) {
		mark = path_key(w, key);
		if (strcmp(key, "half_life_days") == 0)
			ok = get_number(w, v, STATE_HALF_LIFE_DAYS_MIN,
			    STATE_HALF_LIFE_DAYS_MAX, &so->half_life_days);
		else if (strcmp(key, "prune_after_days") == 0)
			ok = get_days(w, v, 1, STATE_PRUNE_AFTER_DAYS_MAX,
			    &so->prune_after_days);
		else if (strcmp(key, "min_history_days") == 0)
			ok = get_days(w, v, 1, STATE_MIN_HISTORY_DAYS_MAX,
			    &so->min_history_days);
		else
			ok = unknown_key(w, "key", known,
			    sizeof(known) / sizeof(known[0]));
		if (!ok)
			return false;
		path_pop(w, mark);
	}
	return true;
}

/* ---- classifier -------------------------------------------------- */

/* Arguments of add_pattern. */
struct pattern_arg {
	struct zs_config *cfg;
	enum response_class class;
};

/*
 * add_pattern - check and keep one pattern.  It must compile, and it
 * must not match a text of one control byte: a pattern that does
 * (".", "x*", "\W") matches every reply and would put every refused
 * recipient in its class.
 */
static bool
add_pattern(struct walk *w, const char *text, void *argp)
{
	struct pattern_arg *arg = argp;
	struct zs_config *cfg = arg->cfg;
	char		 msg[300], buf[64];

	if (text[0] == '\0')
		return fail(w, "empty pattern");
	if (w->scratch == NULL)
		w->scratch = classifier_new();
	if (!classifier_add(w->scratch, arg->class, text, msg, sizeof(msg)))
		return fail(w, "bad pattern: %s", msg);
	if (classifier_classify(w->scratch, "\001", 1) != RESPONSE_NONE)
		return fail(w, "\"%s\" matches any text",
		    errmsg_shown(buf, sizeof(buf), text));
	cfg->patterns = xreallocarray(cfg->patterns, cfg->pattern_count + 1,
	    sizeof(*cfg->patterns));
	cfg->patterns[cfg->pattern_count].class = arg->class;
	cfg->patterns[cfg->pattern_count].text = xstrdup(text);
	cfg->pattern_count++;
	return true;
}

/* read_classifier - the "classifier" object: class -> patterns */
static bool
read_classifier(struct walk *w, const json_t *obj, struct zs_config *cfg)
{
	const char	*known[RESPONSE_CLASS_COUNT];
	bool		 seen[RESPONSE_CLASS_COUNT] = { false };
	struct pattern_arg arg;
	const char	*key;
	const json_t	*v;
	enum response_class class;
	size_t		 mark, nknown = 0;
	int		 c;

	for (c = RESPONSE_NONE + 1; c < RESPONSE_CLASS_COUNT; c++)
		known[nknown++] = response_class_name((enum response_class)c);
	if (!need_object(w, obj))
		return false;
	json_object_foreach((json_t *)obj, key, v) {
		mark = path_key(w, key);
		/* "none" is no class a pattern could put a text in. */
		if (!response_class_from_name(key, &class) ||
		    class == RESPONSE_NONE)
			return unknown_key(w, "class", known, nknown);
		if (seen[class])
			return fail(w, "class %s given twice",
			    response_class_name(class));
		seen[class] = true;
		arg.cfg = cfg;
		arg.class = class;
		if (!for_each_string(w, v, add_pattern, &arg))
			return false;
		path_pop(w, mark);
	}
	return true;
}

/* ---- allowlist and networks -------------------------------------- */

/* add_account - an account key: no spaces or control bytes */
static bool
add_account(struct walk *w, const char *text, void *arg)
{
	struct string_list *list = arg;
	size_t		 i;

	if (text[0] == '\0')
		return fail(w, "empty account");
	if (strlen(text) > ACCOUNT_MAX_BYTES)
		return fail(w, "longer than %d bytes", ACCOUNT_MAX_BYTES);
	for (i = 0; text[i] != '\0'; i++)
		if ((unsigned char)text[i] <= 0x20 ||
		    (unsigned char)text[i] == 0x7f)
			return fail(w, "account contains a space or a "
			    "control character");
	string_list_add(list, text);
	return true;
}

/*
 * is_domain_name - dot-separated labels of letters, digits, '-' and
 * '_' (which mail domains use: DKIM selectors, SRV-like names), each
 * 1-63 bytes: ASCII only, so internationalised domains are written as
 * their xn-- form
 */
static bool
is_domain_name(const char *s)
{
	size_t	label = 0, total = 0;

	for (; *s != '\0'; s++, total++) {
		if (*s == '.') {
			if (label == 0)
				return false;
			label = 0;
			continue;
		}
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		    (*s >= '0' && *s <= '9') || *s == '-' || *s == '_'))
			return false;
		if (++label > 63)
			return false;
	}
	return label > 0 && total <= DOMAIN_MAX_BYTES;
}

/* add_domain - a sender domain */
static bool
add_domain(struct walk *w, const char *text, void *arg)
{
	struct string_list *list = arg;
	char		 buf[64];

	if (strchr(text, '@') != NULL)
		return fail(w, "\"%s\" is an address; give its domain",
		    errmsg_shown(buf, sizeof(buf), text));
	if (!is_domain_name(text))
		return fail(w, "\"%s\" is not a domain name",
		    errmsg_shown(buf, sizeof(buf), text));
	string_list_add(list, text);
	return true;
}

/* add_network - a CIDR prefix or address */
static bool
add_network(struct walk *w, const char *text, void *arg)
{
	struct cidr_list *list = arg;
	char		 msg[200];

	if (!cidr_list_add(list, text, msg, sizeof(msg)))
		return fail(w, "%s", msg);
	return true;
}

/* read_allowlist - the "allowlist" object */
static bool
read_allowlist(struct walk *w, const json_t *obj, struct zs_config *cfg)
{
	static const char *const known[] = {
		"accounts", "ips", "sender_domains"
	};
	const char	*key;
	const json_t	*v;
	size_t		 mark;
	bool		 ok;

	if (!need_object(w, obj))
		return false;
	json_object_foreach((json_t *)obj, key, v) {
		mark = path_key(w, key);
		if (strcmp(key, "accounts") == 0)
			ok = for_each_string(w, v, add_account,
			    &cfg->allow_accounts);
		else if (strcmp(key, "ips") == 0)
			ok = for_each_string(w, v, add_network,
			    cfg->allow_ips);
		else if (strcmp(key, "sender_domains") == 0)
			ok = for_each_string(w, v, add_domain,
			    &cfg->allow_domains);
		else
			ok = unknown_key(w, "key", known,
			    sizeof(known) / sizeof(known[0]));
		if (!ok)
			return false;
		path_pop(w, mark);
	}
	return true;
}

/* ---- the document ------------------------------------------------ */

/* config_new - the defaults, with empty lists */
static struct zs_config *
config_new(void)
{
	struct zs_config *cfg = xcalloc(1, sizeof(*cfg));

	score_config_defaults(&cfg->score);
	state_options_defaults(&cfg->state);
	cfg->allow_ips = cidr_list_new();
	cfg->isp_networks = cidr_list_new();
	return cfg;
}

/* link_lists - point the scoring configuration at the lists */
static void
link_lists(struct zs_config *cfg)
{
	struct score_config *sc = &cfg->score;

	sc->allow_accounts = (const char *const *)cfg->allow_accounts.items;
	sc->allow_account_count = cfg->allow_accounts.count;
	sc->allow_sender_domains =
	    (const char *const *)cfg->allow_domains.items;
	sc->allow_sender_domain_count = cfg->allow_domains.count;
	sc->allow_ips = cfg->allow_ips;
	sc->isp_networks = cfg->isp_networks;
	sc->local_domains = (const char *const *)cfg->local_domains.items;
	sc->local_domain_count = cfg->local_domains.count;
}

/*
 * read_version - schema_version, checked before anything else so that
 * a newer file is refused for its version, not for its new keys
 */
static bool
read_version(struct walk *w, const json_t *root)
{
	const json_t	*v = json_object_get(root, "schema_version");
	size_t		 mark = path_key(w, "schema_version");

	if (v == NULL)
		return fail(w, "missing (this zombiescan reads version %d)",
		    ZSCONFIG_SCHEMA_VERSION);
	if (!json_is_integer(v))
		return fail(w, "must be an integer, not %s", type_name(v));
	if (json_integer_value(v) != ZSCONFIG_SCHEMA_VERSION)
		return fail(w, "version %lld is not supported (this "
		    "zombiescan reads version %d)",
		    (long long)json_integer_value(v), ZSCONFIG_SCHEMA_VERSION);
	path_pop(w, mark);
	return true;
}

/* read_document - walk the top-level object into cfg */
static bool
read_document(struct walk *w, const json_t *root, struct zs_config *cfg)
{
	static const char *const known[] = {
		"schema_version", "scoring", "classifier", "allowlist",
		"isp_networks", "local_domains", "state"
	};
	const char	*key;
	const json_t	*v;
	char		 msg[200];
	size_t		 mark;
	bool		 ok;

	if (!json_is_object(root))
		return fail(w, "the top level must be an object, not %s",
		    type_name(root));
	if (!read_version(w, root))
		return false;
	json_object_foreach((json_t *)root, key, v) {
		mark = path_key(w, key);
		if (strcmp(key, "schema_version") == 0)
			ok = true;
		else if (strcmp(key, "scoring") == 0)
			ok = read_scoring(w, v, &cfg->score);
		else if (strcmp(key, "classifier") == 0)
			ok = read_classifier(w, v, cfg);
		else if (strcmp(key, "allowlist") == 0)
			ok = read_allowlist(w, v, cfg);
		else if (strcmp(key, "isp_networks") == 0)
			ok = for_each_string(w, v, add_network,
			    cfg->isp_networks);
		else if (strcmp(key, "local_domains") == 0)
			ok = for_each_string(w, v, add_domain,
			    &cfg->local_domains);
		else if (strcmp(key, "state") == 0)
			ok = read_state(w, v, &cfg->state);
		else
			ok = unknown_key(w, "key", known,
			    sizeof(known) / sizeof(known[0]));
		if (!ok)
			return false;
		path_pop(w, mark);
	}
	/*
	 * Numbers that depend on each other; the message starts with the
	 * field's path under scoring ("rules.x: lo (0.5) must be below
	 * hi (0.4)").
	 */
	if (!score_config_check(&cfg->score, msg, sizeof(msg)))
		return fail(w, "scoring.%s", msg);
	return true;
}

/*
 * finish - check the parsed document (NULL: jansson failed, error set)
 * into a configuration; frees root
 */
static struct zs_config *
finish(json_t *root, const json_error_t *jerr, const char *name,
    char *err, size_t errlen)
{
	struct zs_config *cfg;
	struct walk	 w;
	char		 shown_name[200];
	bool		 ok;

	errmsg_shown(shown_name, sizeof(shown_name),
	    name != NULL ? name : "-");
	if (root == NULL) {
		/* jansson counts lines from 1 and columns from 1. */
		if (jerr->line > 0)
			errmsg_fail(err, errlen, "%s:%d:%d: %s", shown_name,
			    jerr->line, jerr->column, jerr->text);
		else
			errmsg_fail(err, errlen, "%s: %s", shown_name,
			    jerr->text);
		return NULL;
	}
	memset(&w, 0, sizeof(w));
	w.name = shown_name;
	w.err = err;
	w.errlen = errlen;
	cfg = config_new();
	ok = read_document(&w, root, cfg);
	classifier_free(w.scratch);
	json_decref(root);
	if (!ok) {
		zsconfig_free(cfg);
		return NULL;
	}
	cfg->path = xstrdup(name != NULL ? name : "-");
	link_lists(cfg);
	return cfg;
}

/* zsconfig_defaults - the built-in configuration */
struct zs_config *
zsconfig_defaults(void)
{
	struct zs_config *cfg = config_new();

	link_lists(cfg);
	return cfg;
}

/* zsconfig_load - read a configuration file */
struct zs_config *
zsconfig_load(const char *path, char *err, size_t errlen)
{
	char		 name[200];
	json_error_t	 jerr;
	json_t		*root;
	struct stat	 st;
	FILE		*fp;

	if (path == NULL || path[0] == '\0') {
		errmsg_fail(err, errlen, "configuration file name is empty");
		return NULL;
	}
	errmsg_shown(name, sizeof(name), path);
	if ((fp = fopen(path, "r")) == NULL) {
		errmsg_fail(err, errlen, "%s: %s", name, strerror(errno));
		return NULL;
	}
	/* jansson would call a directory an empty document. */
	if (fstat(fileno(fp), &st) == 0 && S_ISDIR(st.st_mode)) {
		errmsg_fail(err, errlen, "%s: %s", name, strerror(EISDIR));
		fclose(fp);
		return NULL;
	}
	root = json_loadf(fp, JSON_REJECT_DUPLICATES, &jerr);
	if (root == NULL && ferror(fp)) {
		errmsg_fail(err, errlen, "%s: read error: %s", name,
		    strerror(errno));
		fclose(fp);
		return NULL;
	}
	fclose(fp);
	return finish(root, &jerr, path, err, errlen);
}

/* zsconfig_parse - a configuration from text */
struct zs_config *
zsconfig_parse(const char *text, size_t len, const char *name, char *err,
    size_t errlen)
{
	json_error_t	 jerr;
	json_t		*root;

	root = json_loadb(text != NULL ? text : "", text != NULL ? len : 0,
	    JSON_REJECT_DUPLICATES, &jerr);
	return finish(root, &jerr, name, err, errlen);
}

/* zsconfig_free - free everything */
void
zsconfig_free(struct zs_config *cfg)
{
	size_t	i;

	if (cfg == NULL)
		return;
	free(cfg->path);
	string_list_free(&cfg->allow_accounts);
	string_list_free(&cfg->allow_domains);
	cidr_list_free(cfg->allow_ips);
	cidr_list_free(cfg->isp_networks);
	string_list_free(&cfg->local_domains);
	for (i = 0; i < cfg->pattern_count; i++)
		free(cfg->patterns[i].text);
	free(cfg->patterns);
	free(cfg);
}

/* zsconfig_path - where it came from */
const char *
zsconfig_path(const struct zs_config *cfg)
{
	return cfg->path;
}

/* zsconfig_scoring - the scorer's configuration */
const struct score_config *
zsconfig_scoring(const struct zs_config *cfg)
{
	return &cfg->score;
}

/* zsconfig_state - the --state options */
const struct state_options *
zsconfig_state(const struct zs_config *cfg)
{
	return &cfg->state;
}

/* zsconfig_pattern_count - patterns the file adds */
size_t
zsconfig_pattern_count(const struct zs_config *cfg)
{
	return cfg->pattern_count;
}

/* zsconfig_extend_classifier - add the patterns to a classifier */
bool
zsconfig_extend_classifier(const struct zs_config *cfg,
    struct classifier *cls, char *err, size_t errlen)
{
	char	msg[300];
	size_t	i;

	for (i = 0; i < cfg->pattern_count; i++) {
		if (!classifier_add(cls, cfg->patterns[i].class,
		    cfg->patterns[i].text, msg, sizeof(msg))) {
			errmsg_fail(err, errlen, "%s: classifier.%s: %s",
			    cfg->path != NULL ? cfg->path : "-",
			    response_class_name(cfg->patterns[i].class), msg);
			return false;
		}
	}
	return true;
}

/* zsconfig_isp_networks - the ISP's ranges */
const struct cidr_list *
zsconfig_isp_networks(const struct zs_config *cfg)
{
	return cfg->isp_networks;
}

/* zsconfig_is_isp_address - whether an address is the ISP's */
bool
zsconfig_is_isp_address(const struct zs_config *cfg, const char *ip_text)
{
	return cidr_list_contains(cfg->isp_networks, ip_text);
}
