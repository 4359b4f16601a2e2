/*
 * classify - what a reply text says about the sender.
 *
 * Remote servers explain their refusals in free text: "550 5.7.1
 * Message rejected as spam", "554 Service unavailable; Client host
 * [192.0.2.1] blocked using zen.spamhaus.org", "421 4.7.0 Try again
 * later, closing connection (rate limited)".  The classifier maps
 * such a text to one class with PCRE2 patterns (JIT-compiled when the
 * library supports it), tried in a fixed order: blocklist before spam
 * before reputation before rate limit before unknown user, so that
 * "blocked using ... spam" counts as a blocklist hit.  The built-in
 * patterns can be extended from the configuration file.  A text that
 * names a cause none of the classes stands for ("Greylisted", "Relay
 * access denied") is of no class, whatever the patterns say, unless it
 * is a blocklisting too, or holds a firm word of a spam verdict.
 *
 * Ownership: the classifier owns its compiled patterns and is
 * read-only once built, so threads may share it (match data is per
 * thread).
 */
#ifndef ZS_CLASSIFY_H
#define ZS_CLASSIFY_H

#include <stdbool.h>
#include <stddef.h>

enum response_class {
	RESPONSE_NONE,		/* nothing notable (or no text) */
	RESPONSE_BLOCKLIST,	/* DNSBL/RBL listing of the relay */
	RESPONSE_SPAM,		/* content judged to be spam */
	RESPONSE_REPUTATION,	/* sender or IP reputation, policy */
	RESPONSE_RATE_LIMIT,	/* too many messages or connections */
	RESPONSE_UNKNOWN_USER,	/* recipient does not exist */
	RESPONSE_CLASS_COUNT
};

struct classifier;

/* classifier_new - the built-in patterns; free with classifier_free() */
struct classifier *classifier_new(void);

/* classifier_free - free; NULL is a no-op */
void		classifier_free(struct classifier *cls);

/*
 * classifier_add - add a pattern (PCRE2 syntax, matched caselessly)
 * for a class, tried after the built-in ones of that class.  false
 * with the PCRE2 message and offset in err when it does not compile.
 */
bool		classifier_add(struct classifier *cls,
		    enum response_class class, const char *pattern,
		    char *err, size_t errlen);

/*
 * classifier_classify - the class of a reply text.  A scan for fixed
 * strings from the built-in patterns settles most texts before PCRE2
 * is asked; the answer is always the one PCRE2 alone gives.
 */
enum response_class classifier_classify(const struct classifier *cls,
		    const char *text, size_t len);

/*
 * classifier_is_neutral - whether a reply text names a cause of the
 * failure that is none of the classes (greylisting, a relaying
 * refusal, the relay's own login or TLS at the next hop, the sender's
 * address): classifier_classify() gives such a text no class (but
 * blocklist, or spam for a firm word of a spam verdict in it too), and
 * its status code must not give it one.
 */
bool		classifier_is_neutral(const struct classifier *cls,
		    const char *text, size_t len);

/*
 * classifier_classify_patterns - the same class found by PCRE2 alone,
 * without the scan: the reference classifier_classify must agree with.
 */
enum response_class classifier_classify_patterns(
		    const struct classifier *cls, const char *text,
		    size_t len);

/*
 * response_class_of_status - the class an RFC 3463 enhanced status code
 * ("5.1.1", "4.7.0") stands for when the reply text gave none:
 * X.1.1, X.1.2, X.1.3, X.1.6 and X.1.10 unknown user, X.5.3 rate limit,
 * X.7.* reputation (policy), RESPONSE_NONE otherwise or for NULL.
 */
enum response_class response_class_of_status(const char *status);

/*
 * response_class_name - "none", "blocklist", "spam", "reputation",
 * "rate_limit", "unknown_user"
 */
const char	*response_class_name(enum response_class class);

/*
 * response_class_from_name - the class a name (as response_class_name
 * gives it, compared case-insensitively) stands for; false when none.
 */
bool		response_class_from_name(const char *name,
		    enum response_class *class);

#endif
