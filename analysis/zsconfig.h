/*
 * zsconfig - the configuration file, zombiescan.conf(5).
 *
 * One JSON document tunes the scorer (verdict thresholds, a weight and
 * the thresholds of each rule), extends the reply classifier with
 * PCRE2 patterns, lists accounts, networks and sender domains to
 * allowlist, and names the ISP's own networks.  Everything has a
 * built-in default (zsconfig_defaults()), so the file only says what
 * differs; doc/zombiescan.conf.example.json shows every key.
 *
 * Reading is strict, because a typo that silently does nothing in a
 * security tool is worse than an error: duplicate keys, unknown keys,
 * wrong types, values out of range, bad networks and patterns are all
 * errors, and the message names the file and the key path
 * ("zombiescan.conf: scoring.rules.bounce_rat: unknown rule; known:
 * bounce_rate, ..."), or the line and column of a JSON syntax error
 * ("zombiescan.conf:3:12: unexpected token near '}'").
 *
 * Not in the pipeline itself: cmd/main.c loads the file once, extends
 * the classifier before the aggregator borrows it, and hands
 * zsconfig_scoring() to scorer_new(), which copies it.
 *
 * The type is opaque: it owns the lists its scoring configuration
 * points into and keeps them normalised (networks parsed and sorted),
 * so callers can neither free them early nor put them out of order.
 *
 * Ownership: zsconfig_load() and zsconfig_defaults() return a
 * configuration the caller frees with zsconfig_free(); everything an
 * accessor returns is borrowed from it until then.
 */
#ifndef ZS_ZSCONFIG_H
#define ZS_ZSCONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "analysis/classify.h"
#include "analysis/scorer.h"
#include "util/cidr.h"

/* The schema_version this code reads. */
#define ZSCONFIG_SCHEMA_VERSION	1

struct zs_config;

/* zsconfig_defaults - the built-in configuration */
struct zs_config *zsconfig_defaults(void);

/*
 * zsconfig_load - read and check the file at path.  NULL on any error,
 * with one message in err naming path (and the line and column, or the
 * key path, of the problem).
 */
struct zs_config *zsconfig_load(const char *path, char *err, size_t errlen);

/*
 * zsconfig_parse - as zsconfig_load() for len bytes of text; name is
 * what messages call it
 */
struct zs_config *zsconfig_parse(const char *text, size_t len,
		    const char *name, char *err, size_t errlen);

/* zsconfig_free - free; NULL is a no-op */
void		 zsconfig_free(struct zs_config *cfg);

/* zsconfig_path - the file it was read from; NULL for the defaults */
const char	*zsconfig_path(const struct zs_config *cfg);

/*
 * zsconfig_scoring - the scorer's configuration: defaults overridden
 * by the file, the allowlists and isp_networks included (pointing into
 * cfg).  For scorer_new(), which copies it.
 */
const struct score_config *zsconfig_scoring(const struct zs_config *cfg);

/*
 * zsconfig_state - how --state keeps baselines (the "state" object:
 * half-life, pruning, history needed); defaults filled
 */
const struct state_options *zsconfig_state(const struct zs_config *cfg);

/*
 * zsconfig_pattern_count - how many classifier patterns the file adds
 */
size_t		 zsconfig_pattern_count(const struct zs_config *cfg);

/*
 * zsconfig_extend_classifier - add the file's patterns to cls, each
 * after the built-in ones of its class, in file order.  Call before
 * an aggregator borrows cls.  The patterns compiled when the file was
 * read, so this fails only if cls is not a classifier_new() one;
 * false then, with the PCRE2 message in err.
 */
bool		 zsconfig_extend_classifier(const struct zs_config *cfg,
		    struct classifier *cls, char *err, size_t errlen);

/* zsconfig_isp_networks - the ISP's own ranges (empty when unset) */
const struct cidr_list *zsconfig_isp_networks(const struct zs_config *cfg);

/*
 * zsconfig_is_isp_address - whether ip_text is an address inside the
 * ISP's networks (false when none are configured or it is no address)
 */
bool		 zsconfig_is_isp_address(const struct zs_config *cfg,
		    const char *ip_text);

#endif
