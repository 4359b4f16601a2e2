/*
 * classify - reply texts to classes with PCRE2 (see classify.h).
 *
 * Every class has one built-in pattern, a single alternation so that a
 * text costs one match per class, followed by the patterns added from
 * the configuration.  Patterns are compiled caselessly and without
 * UTF mode: remote replies are bytes and may hold Latin-1 or junk, and
 * byte semantics never fail on them (PCRE2 in UTF mode rejects an
 * invalid subject).  The alternatives match phrases big receivers
 * actually send; each comment names who says it.
 *
 * Match data is per thread, since the classifier itself is shared read-
 * only: a pthread key holds each thread's block and its destructor
 * frees it when the thread exits.  The key and the PCRE2 memory context
 * (which allocates through xmalloc, so PCRE2 never sees NULL) are the
 * module's only process-wide state, set once under pthread_once.
 */
#include "config.h"

#define PCRE2_CODE_UNIT_WIDTH 8

#include <pcre2.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "analysis/classify.h"
#include "util/xalloc.h"

/*
 * Backtracking budget per match: the built-in patterns need a few
 * hundred steps on a long reply; a runaway configured pattern stops
 * here and counts as no match instead of hanging the run.
 */
#define CLASSIFY_MATCH_LIMIT	1000000
#define CLASSIFY_DEPTH_LIMIT	10000

struct pattern_list {
	pcre2_code	**codes;	/* built-in first, then added ones */
	size_t		 count;
};

struct classifier {
	struct pattern_list patterns[RESPONSE_CLASS_COUNT];
	pcre2_compile_context *compile_context;
	pcre2_match_context *match_context;
};

/*
 * Postfix joins a multi-line reply into one text, keeping each line's
 * code: Gmail's "not authorized to\r\n550-5.7.1 send email" is logged
 * as "not authorized to 550-5.7.1 send email".  GAP stands for the
 * space between two words of a phrase, with or without such a code.
 */
#define GAP \
	"(?:\\s++[245][0-9][0-9][ -](?:[245]\\.[0-9]{1,3}\\.[0-9]{1,3})?)?" \
	"\\s++"

/*
 * The same line codes spelled out for lookbehinds, which need a fixed
 * length per branch: "421-4.7.0", "421-4.7.28", "550-5.7.350".
 */
#define CODE1	"[245][0-9][0-9][ -][245]\\.[0-9]\\.[0-9]"
#define CODE2	"[245][0-9][0-9][ -][245]\\.[0-9]\\.[0-9][0-9]"
#define CODE3	"[245][0-9][0-9][ -][245]\\.[0-9]\\.[0-9][0-9][0-9]"

/*
 * BLOCKLIST: the relay's address is on a DNS blocklist.  Postfix
 * reject_rbl_client says "Client host [ip] blocked using <zone>"; Exim
 * "is in a black list at <zone>"; Sendmail "listed at"; Outlook.com
 * "part of their network is on our block list (S3140)" and S3150;
 * Yahoo [BL21]-[BL23] quote Spamhaus; Comcast "found on one or more
 * DNSBLs"; AT&T "DNSBL:RBL"; Microsoft 5.7.606-5.7.609 "banned
 * sending IP" and 5.7.511 "banned sender".
 */
static const char builtin_blocklist[] =
	"spamhaus|barracuda|spamcop|\\bsorbs\\b|uceprotect|abuseat\\.org"
	"|\\bpsbl\\b|mailspike"
	"|blocked using"
	"|listed (?:at|in|on|by)\\b(?<!not listed ..)"
	"|(?:black|block|deny)[ -]?list"
	"|\\b(?:rbl|dnsbls?)\\b"
	"|\\bS3(?:140|150)\\b"
	"|client host \\[[^\\]]{0,64}\\] blocked"
	"|\\[BL2[0-9]\\]"
	"|banned sending ip|banned sender|\\b5\\.7\\.(?:60[6-9]|511)\\b";

/*
 * SPAM: the content was judged to be spam.  Gmail 5.7.1 "likely
 * unsolicited mail" (but its 4.7.0/4.7.28 rate texts speak of "an
 * unusual rate of unsolicited mail", and several Gmail texts end "to
 * protect our users from spam": those are not content verdicts);
 * Microsoft 5.7.350 and 5.7.520 "identified as spam"; NetEase "DT:SPM";
 * SpamAssassin, amavis and milters "spam", "UCE", "junk", "message
 * content rejected", "high probability of spam", "bulk mail"; malware
 * verdicts are counted here too.  A word followed by more address
 * characters and '@' is part of an address (<spam@...>), not a verdict,
 * and one run into more letters is part of a name or a URL
 * ("?p=UnsolicitedRateLimitError").  "from spam" may have a line's
 * code inside it when Postfix joined a multi-line reply.
 */
static const char builtin_spam[] =
	"\\bspam(?<!from spam|of spam|from " CODE1 " spam"
	"|from " CODE2 " spam|from " CODE3 " spam)(?!haus|cop|[\\w.+-]*@)"
	"|probability of (?:being )?spam"
	"|\\b(?:uce|junk)\\b(?![\\w.+-]*@)"
	"|content rejected|(?:unacceptable|prohibited|objectionable"
	"|inappropriate) content|content presents a" GAP "potential"
	"|unsolicited(?![a-z])(?<!rate of unsolicited"
	"|rate of " CODE1 " unsolicited|rate of " CODE2 " unsolicited"
	"|rate of " CODE3 " unsolicited)"
	"|bulk (?:e-?)?mail"
	"|\\b5\\.7\\.(?:350|520)\\b"
	"|dt:spm"
	"|\\bvirus|malware|phishing";

/*
 * REPUTATION: the sender or its address is distrusted, or fails
 * authentication policy.  Gmail 5.7.23-5.7.27 (SPF, DKIM, DMARC,
 * reverse DNS; RFC 7372 codes), "low reputation", "not authorized to
 * send email directly"; Microsoft 4.7.650 "rate limited due to IP
 * reputation" and 5.7.708/5.7.750 "traffic not accepted from this
 * IP"; Yahoo 5.7.9 "not accepted for policy reasons" and [TSS09]/[TS03]
 * "permanently deferred"; Postfix reject_unknown_client_hostname
 * "cannot find your hostname"; "dynamic"/"residential" address
 * policies.  Bare "policy" is too broad (relay-access texts use it).
 */
static const char builtin_reputation[] =
	"reputation|sender ?score"
	"|\\b[45]\\.7\\.2[3-7]\\b"
	"|\\b(?:dmarc|spf|dkim)\\b"
	"|not authori[sz]ed to" GAP "send|unauthenticated|suspicious"
	"|polic(?:y|ies) (?:reason|restriction|violation)"
	"|(?:local|site|security|sender|sending|dmarc) policy"
	"|(?:due to|per|violates?|against) (?:our |the |local )?policy"
	"|permanently deferred|\\[TSS09\\]|\\[TS03\\]"
	"|cannot find your (?:reverse )?hostname"
	"|reverse (?:dns|hostname|lookup)|\\bptr record|\\brdns\\b"
	"|\\b5\\.7\\.(?:708|750)\\b|traffic not accepted"
	"|dynamic (?:ip|address)|dial-?up|residential";

/*
 * RATE_LIMIT: too much, too fast.  Postfix anvil limits "too many
 * connections from", "too much mail from", "too many recipients";
 * Gmail 4.7.28 and 4.7.0 "unusual rate", "Try again later, closing
 * connection", 4.2.1 "receiving mail too quickly"; Yahoo [TS01],
 * [TS02], [TSS04] "temporarily deferred due to unexpected volume";
 * Microsoft 4.7.500 "Server busy" (S77714); Sendmail "Connection rate
 * limit exceeded"; Exim ratelimit ACLs.  "Try again later" alone is
 * greylisting as often as throttling, so it needs a 4.7.x code.
 */
static const char builtin_rate_limit[] =
	"\\brate[ -]?limit|\\brate exceed"
	"|(?:sending|message|connection|submission) rate|unusual" GAP "rate"
	"|too many (?:messages|mails?|e-?mails|connections|recipients"
	"|rcpts?|concurrent|simultaneous|sessions)"
	"|too much mail|too (?:quickly|fast)|throttl"
	"|temporarily deferred|\\[TSS?0[124]\\]"
	"|\\b4\\.7\\.28\\b|server busy|too busy"
	"|exceeded the (?:maximum|allowed) number of|sending (?:quota|limit)"
	"|\\b4\\.7\\.[0-9]{1,3}\\b.{0,160}?try again later";

/*
 * UNKNOWN_USER: the recipient does not exist.  RFC 3463 5.1.1 (and
 * Microsoft 5.1.10 "RecipientNotFound", 5.1.6 moved); Postfix
 * "Recipient address rejected: User unknown in ... table" (but not
 * "Recipient address rejected: Greylisted" nor sender rejections);
 * Gmail "account that you tried to reach does not exist" and "is
 * disabled"; Yahoo "This user doesn't have a yahoo.com account";
 * Exchange "mailbox unavailable"; Exim "Unrouteable address";
 * Sendmail "User unknown"; qmail "no mailbox here by that name".  A
 * recipient domain that does not exist is an address that does not
 * either (RFC 3463 5.1.2): Exim says "Unrouteable address", Postfix
 * "Host or domain name not found. Name service error for name=D
 * type=MX: Host not found" (", try again" is a transient DNS error,
 * not counted) and Sendmail "Host unknown (Name server: D: host not
 * found)".
 */
static const char builtin_unknown_user[] =
	"user unknown|unknown user|recipient unknown|unknown recipient"
	"|no such (?:user|mailbox|recipient|address|account)"
	"|does not exist|doesn't exist|no mailbox here"
	"|mailbox (?:is )?(?:unavailable|not found)"
	"|\\b5\\.1\\.(?:1|6|10)\\b"
	"|address rejected(?<!sender address rejected)"
	"(?!:\\s*(?:greylist|try again|temporar|quota|mailbox full|over quota))"
	"|invalid (?:recipient|mailbox|address|user)"
	"|(?:recipient|mailbox|user|address) ?not ?found"
	"|not a valid (?:mailbox|recipient|user)"
	"|unrouteable address|undeliverable address|unknown local part"
	"|host or domain name not found\\. name service error for "
	"name=\\S{1,255} type=(?:mx|a|aaaa): host not found(?!,)"
	"|host unknown \\(name server: [^)]{0,300}host not found\\)"
	"|doesn't have an? .{0,40}account"
	"|account (?:that you tried to reach )?(?:is|has been) disabled";

/*
 * The literal prefilter.  A PCRE2 match that fails costs a scan of the
 * whole text per class, and most texts match at most one class, so
 * one pass over the text first looks for fixed strings taken from the
 * built-in patterns (lower case; the patterns fold ASCII case only,
 * having neither UTF nor UCP).  A class's "hint" strings are necessary:
 * every match of its built-in pattern contains one of them, so a text
 * with none cannot match it and its PCRE2 match is skipped.  "Sure"
 * strings are whole alternatives without any assertion, so a text
 * holding one matches the built-in pattern wherever the rest of it
 * stands, and PCRE2 need not be asked.  Each line below follows the
 * pattern's alternatives in order; the unit tests check that the two
 * paths agree.  Patterns added from the configuration always run.
 */
struct literal {
	const char	*text;
	unsigned char	 len;
	unsigned char	 class;
	bool		 sure;
};

#define HINT(c, s)	{ s, sizeof(s) - 1, c, false }
#define SURE(c, s)	{ s, sizeof(s) - 1, c, true }
#define BL		RESPONSE_BLOCKLIST
#define SP		RESPONSE_SPAM
#define RE		RESPONSE_REPUTATION
#define RL		RESPONSE_RATE_LIMIT
#define UU		RESPONSE_UNKNOWN_USER

static const struct literal literals[] = {
	SURE(BL, "spamhaus"), SURE(BL, "barracuda"), SURE(BL, "spamcop"),
	HINT(BL, "sorbs"), SURE(BL, "uceprotect"),
	SURE(BL, "abuseat.org"), HINT(BL, "psbl"), SURE(BL, "mailspike"),
	SURE(BL, "blocked using"), HINT(BL, "listed "),
	SURE(BL, "blacklist"), SURE(BL, "black list"),
	SURE(BL, "black-list"), SURE(BL, "blocklist"),
	SURE(BL, "block list"), SURE(BL, "block-list"),
	SURE(BL, "denylist"), SURE(BL, "deny list"), SURE(BL, "deny-list"),
	HINT(BL, "rbl"), HINT(BL, "dnsbl"),
	HINT(BL, "s3140"), HINT(BL, "s3150"),
	HINT(BL, "client host ["), HINT(BL, "[bl2"),
	SURE(BL, "banned sending ip"), SURE(BL, "banned sender"),
	HINT(BL, "5.7.60"), HINT(BL, "5.7.511"),

	HINT(SP, "spam"),
	SURE(SP, "probability of spam"),
	SURE(SP, "probability of being spam"),
	HINT(SP, "uce"), HINT(SP, "junk"),
	SURE(SP, "content rejected"),
	SURE(SP, "unacceptable content"), SURE(SP, "prohibited content"),
	SURE(SP, "objectionable content"),
	SURE(SP, "inappropriate content"),
	HINT(SP, "content presents a"),
	HINT(SP, "unsolicited"),
	SURE(SP, "bulk mail"), SURE(SP, "bulk email"),
	SURE(SP, "bulk e-mail"),
	HINT(SP, "5.7.350"), HINT(SP, "5.7.520"),
	SURE(SP, "dt:spm"),
	HINT(SP, "virus"), SURE(SP, "malware"), SURE(SP, "phishing"),

	SURE(RE, "reputation"), SURE(RE, "senderscore"),
	SURE(RE, "sender score"),
	HINT(RE, "4.7.2"), HINT(RE, "5.7.2"),
	HINT(RE, "dmarc"), HINT(RE, "spf"), HINT(RE, "dkim"),
	HINT(RE, "not authori"),
	SURE(RE, "unauthenticated"), SURE(RE, "suspicious"),
	HINT(RE, "polic"),
	SURE(RE, "local policy"), SURE(RE, "site policy"),
	SURE(RE, "security policy"), SURE(RE, "sender policy"),
	SURE(RE, "sending policy"), SURE(RE, "dmarc policy"),
	SURE(RE, "permanently deferred"), SURE(RE, "[tss09]"),
	SURE(RE, "[ts03]"),
	SURE(RE, "cannot find your hostname"),
	SURE(RE, "cannot find your reverse hostname"),
	SURE(RE, "reverse dns"), SURE(RE, "reverse hostname"),
	SURE(RE, "reverse lookup"),
	HINT(RE, "ptr record"), HINT(RE, "rdns"),
	HINT(RE, "5.7.708"), HINT(RE, "5.7.750"),
	SURE(RE, "traffic not accepted"),
	SURE(RE, "dynamic ip"), SURE(RE, "dynamic address"),
	SURE(RE, "dialup"), SURE(RE, "dial-up"), SURE(RE, "residential"),

	HINT(RL, "ratelimit"), HINT(RL, "rate limit"),
	HINT(RL, "rate-limit"), HINT(RL, "rate exceed"),
	SURE(RL, "sending rate"), SURE(RL, "message rate"),
	SURE(RL, "connection rate"), SURE(RL, "submission rate"),
	HINT(RL, "unusual"),
	HINT(RL, "too many "),
	SURE(RL, "too many messages"), SURE(RL, "too many mail"),
	SURE(RL, "too many emails"), SURE(RL, "too many e-mails"),
	SURE(RL, "too many connections"), SURE(RL, "too many recipients"),
	SURE(RL, "too many rcpt"), SURE(RL, "too many concurrent"),
	SURE(RL, "too many simultaneous"), SURE(RL, "too many sessions"),
	SURE(RL, "too much mail"), SURE(RL, "too quickly"),
	SURE(RL, "too fast"), SURE(RL, "throttl"),
	SURE(RL, "temporarily deferred"),
	HINT(RL, "[ts0"), HINT(RL, "[tss0"),
	HINT(RL, "4.7.28"), SURE(RL, "server busy"), SURE(RL, "too busy"),
	SURE(RL, "exceeded the maximum number of"),
	SURE(RL, "exceeded the allowed number of"),
	SURE(RL, "sending quota"), SURE(RL, "sending limit"),
	HINT(RL, "try again later"),

	SURE(UU, "user unknown"), SURE(UU, "unknown user"),
	SURE(UU, "recipient unknown"), SURE(UU, "unknown recipient"),
	SURE(UU, "no such user"), SURE(UU, "no such mailbox"),
	SURE(UU, "no such recipient"), SURE(UU, "no such address"),
	SURE(UU, "no such account"),
	SURE(UU, "does not exist"), SURE(UU, "doesn't exist"),
	SURE(UU, "no mailbox here"),
	SURE(UU, "mailbox unavailable"), SURE(UU, "mailbox is unavailable"),
	SURE(UU, "mailbox not found"), SURE(UU, "mailbox is not found"),
	HINT(UU, "5.1.1"), HINT(UU, "5.1.6"),
	HINT(UU, "address rejected"),
	SURE(UU, "invalid recipient"), SURE(UU, "invalid mailbox"),
	SURE(UU, "invalid address"), SURE(UU, "invalid user"),
	HINT(UU, "not found"), HINT(UU, "notfound"),
	SURE(UU, "not a valid mailbox"), SURE(UU, "not a valid recipient"),
	SURE(UU, "not a valid user"),
	SURE(UU, "unrouteable address"), SURE(UU, "undeliverable address"),
	SURE(UU, "unknown local part"),
	HINT(UU, "doesn't have a"),
	HINT(UU, "disabled")
};

#undef HINT
#undef SURE
#undef BL
#undef SP
#undef RE
#undef RL
#undef UU

#define LITERAL_COUNT	(sizeof(literals) / sizeof(literals[0]))
#define LITERAL_NONE	0xffff

/*
 * A sure string is trusted only in a text this short: the match limit
 * could in principle stop PCRE2 before it reaches the string in a long
 * one, and the answer must be the one PCRE2 gives.
 */
#define LITERAL_SURE_MAX_TEXT	1024

/*
 * The index, built once: bigram_seen has a bit for every (folded) pair
 * of bytes that starts some string, pair_seen one for every pair at a
 * string's offset 0 or 1; literal_first[] the first string whose first
 * pair hashes to a bucket, literal_chain[] the next one there.
 */
#define LITERAL_BUCKETS	512	/* a power of 2 */
#define BIGRAM_BUCKET(b) (((b) * 40503u >> 7) & (LITERAL_BUCKETS - 1))

static unsigned char	 bigram_seen[65536 / 8];
static unsigned char	 pair_seen[65536 / 8];
static uint16_t		 literal_first[LITERAL_BUCKETS];
static uint16_t		 literal_chain[LITERAL_COUNT];

static const char *const builtin_patterns[RESPONSE_CLASS_COUNT] = {
	NULL,
	builtin_blocklist,
	builtin_spam,
	builtin_reputation,
	builtin_rate_limit,
	builtin_unknown_user
};

static pthread_once_t	 match_once = PTHREAD_ONCE_INIT;
static pthread_key_t	 match_key;
static bool		 match_key_ok;
static pcre2_general_context *general_context;

/* pcre_alloc - PCRE2's allocator: xmalloc, so it never returns NULL */
static void *
pcre_alloc(size_t size, void *unused)
{
	(void)unused;
	return xmalloc(size);
}

/* pcre_release - PCRE2's deallocator */
static void
pcre_release(void *ptr, void *unused)
{
	(void)unused;
	free(ptr);
}

/* match_data_destroy - pthread key destructor: a thread's match data */
static void
match_data_destroy(void *md)
{
	pcre2_match_data_free(md);
}

/* fold_table - ASCII lower case, as the patterns' caseless matching has it */
static unsigned char	 fold_table[256];

/* fold - c in lower case (ASCII only) */
static inline unsigned char
fold(unsigned char c)
{
	return fold_table[c];
}

/* literal_index - build the prefilter's index of the strings */
static void
literal_index(void)
{
	unsigned	bigram;
	size_t		i, k;

	for (i = 0; i < 256; i++)
		fold_table[i] = (unsigned char)(i >= 'A' && i <= 'Z' ?
		    i + ('a' - 'A') : i);
	for (i = 0; i < LITERAL_BUCKETS; i++)
		literal_first[i] = LITERAL_NONE;
	/* Backwards, so that each chain keeps the table's order. */
	for (i = LITERAL_COUNT; i-- > 0;) {
		const unsigned char *t =
		    (const unsigned char *)literals[i].text;

		/* literal_scan() relies on three bytes at least, all
		   already folded.  The table is ours: a bug, not input. */
		if (literals[i].len < 3)
			abort();
		for (k = 0; k < literals[i].len; k++)
			if (fold(t[k]) != t[k])
				abort();
		bigram = (unsigned)t[1] << 8 | t[2];
		pair_seen[bigram >> 3] |= (unsigned char)(1u << (bigram & 7));
		bigram = (unsigned)t[0] << 8 | t[1];
		bigram_seen[bigram >> 3] |= (unsigned char)(1u << (bigram & 7));
		pair_seen[bigram >> 3] |= (unsigned char)(1u << (bigram & 7));
		literal_chain[i] = literal_first[BIGRAM_BUCKET(bigram)];
		literal_first[BIGRAM_BUCKET(bigram)] = (uint16_t)i;
	}
}

/*
 * literal_at - add the classes of the strings that start at t[i] to
 * *hint and *sure (i + 1 < len)
 */
static inline void
literal_at(const unsigned char *t, size_t len, size_t i, unsigned *hint,
    unsigned *sure)
{
	unsigned	 bigram;
	size_t		 k;
	uint16_t	 n;

	bigram = (unsigned)fold(t[i]) << 8 | fold(t[i + 1]);
	if ((bigram_seen[bigram >> 3] & (1u << (bigram & 7))) == 0)
		return;
	for (n = literal_first[BIGRAM_BUCKET(bigram)]; n != LITERAL_NONE;
	    n = literal_chain[n]) {
		const struct literal *lit = &literals[n];
		const unsigned char *lt = (const unsigned char *)lit->text;

		if (((unsigned)lt[0] << 8 | lt[1]) != bigram ||
		    lit->len > len - i)
			continue;
		for (k = 2; k < lit->len; k++)
			if (fold(t[i + k]) != lt[k])
				break;
		if (k < lit->len)
			continue;
		*hint |= 1u << lit->class;
		if (lit->sure)
			*sure |= 1u << lit->class;
	}
}

/*
 * literal_scan - which classes' strings text holds: a bit (1 << class)
 * in the result for a hint or sure string, in *sure for a sure one.
 * Every string is 3 bytes or more, so one that starts at p has its
 * first pair at p or its second pair at p + 1, and one of the two is
 * odd: looking at the pairs at odd offsets, with pair_seen, finds
 * every place worth a closer look at half the cost.
 */
static unsigned
literal_scan(const char *text, size_t len, unsigned *sure)
{
	const unsigned char *t = (const unsigned char *)text;
	unsigned	 hint = 0, pair;
	size_t		 i;

	*sure = 0;
	for (i = 1; i + 1 < len; i += 2) {
		pair = (unsigned)fold(t[i]) << 8 | fold(t[i + 1]);
		if ((pair_seen[pair >> 3] & (1u << (pair & 7))) == 0)
			continue;
		literal_at(t, len, i - 1, &hint, sure);
		literal_at(t, len, i, &hint, sure);
	}
	return hint;
}

/* match_init - the memory context and the per-thread key, once */
static void
match_init(void)
{
	literal_index();
	general_context = pcre2_general_context_create(pcre_alloc,
	    pcre_release, NULL);
	match_key_ok = pthread_key_create(&match_key,
	    match_data_destroy) == 0;
}

/*
 * thread_match_data - this thread's match data, created on first use.
 * One ovector pair is enough: only whether a pattern matched counts
 * (pcre2_match returns 0 rather than a count when captures do not
 * fit, which is still a match).  *owned tells the caller to free it,
 * which happens only when no key could be created.
 */
static pcre2_match_data *
thread_match_data(bool *owned)
{
	pcre2_match_data *md;

	pthread_once(&match_once, match_init);
	*owned = false;
	if (!match_key_ok) {
		*owned = true;
		return pcre2_match_data_create(1, general_context);
	}
	md = pthread_getspecific(match_key);
	if (md == NULL) {
		md = pcre2_match_data_create(1, general_context);
		if (pthread_setspecific(match_key, md) != 0)
			*owned = true;
	}
	return md;
}

/* compile - compile pattern; NULL with err filled when it fails */
static pcre2_code *
compile(struct classifier *cls, const char *pattern, char *err,
    size_t errlen)
{
	PCRE2_UCHAR	 msg[256];
	PCRE2_SIZE	 offset;
	pcre2_code	*code;
	uint32_t	 options = PCRE2_CASELESS;
	int		 errcode;

#ifdef PCRE2_MATCH_INVALID_UTF
	/* A pattern that turns UTF on with (*UTF) must still not fail
	   on invalid log bytes. */
	options |= PCRE2_MATCH_INVALID_UTF;
#endif
	code = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
	    options, &errcode, &offset, cls->compile_context);
	if (code == NULL) {
		if (pcre2_get_error_message(errcode, msg, sizeof(msg)) < 0)
			snprintf((char *)msg, sizeof(msg), "error %d",
			    errcode);
		if (err != NULL && errlen > 0)
			snprintf(err, errlen, "%.100s: offset %zu: %s",
			    pattern, (size_t)offset, (const char *)msg);
		return NULL;
	}
	/* JIT is an optimisation only: without it pcre2_match
	   interprets the pattern. */
	(void)pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);
	return code;
}

/* append - add a compiled pattern to a class's list */
static void
append(struct classifier *cls, enum response_class class, pcre2_code *code)
{
	struct pattern_list *list = &cls->patterns[class];

	list->codes = xreallocarray(list->codes, list->count + 1,
	    sizeof(*list->codes));
	list->codes[list->count++] = code;
}

/* classifier_new - compile the built-in patterns */
struct classifier *
classifier_new(void)
{
	struct classifier *cls = xcalloc(1, sizeof(*cls));
	char		 err[512];
	pcre2_code	*code;
	int		 class;

	pthread_once(&match_once, match_init);
	cls->compile_context = pcre2_compile_context_create(general_context);
	cls->match_context = pcre2_match_context_create(general_context);
	pcre2_set_match_limit(cls->match_context, CLASSIFY_MATCH_LIMIT);
	pcre2_set_depth_limit(cls->match_context, CLASSIFY_DEPTH_LIMIT);
	for (class = RESPONSE_NONE + 1; class < RESPONSE_CLASS_COUNT;
	    class++) {
		code = compile(cls, builtin_patterns[class], err, sizeof(err));
		if (code == NULL) {
			/* The built-in table is ours: a bug, not input. */
			fprintf(stderr, "classifier: built-in %s pattern: %s\n",
			    response_class_name(class), err);
			abort();
		}
		append(cls, class, code);
	}
	return cls;
}

/* classifier_free - free every compiled pattern */
void
classifier_free(struct classifier *cls)
{
	size_t	i;
	int	class;

	if (cls == NULL)
		return;
	for (class = 0; class < RESPONSE_CLASS_COUNT; class++) {
		for (i = 0; i < cls->patterns[class].count; i++)
			pcre2_code_free(cls->patterns[class].codes[i]);
		free(cls->patterns[class].codes);
	}
	pcre2_match_context_free(cls->match_context);
	pcre2_compile_context_free(cls->compile_context);
	free(cls);
}

/* classifier_add - compile and append a configured pattern */
bool
classifier_add(struct classifier *cls, enum response_class class,
    const char *pattern, char *err, size_t errlen)
{
	pcre2_code	*code;

	if (class <= RESPONSE_NONE || class >= RESPONSE_CLASS_COUNT) {
		if (err != NULL && errlen > 0)
			snprintf(err, errlen, "%.100s: invalid class",
			    pattern != NULL ? pattern : "");
		return false;
	}
	if (pattern == NULL) {
		if (err != NULL && errlen > 0)
			snprintf(err, errlen, "missing pattern");
		return false;
	}
	code = compile(cls, pattern, err, errlen);
	if (code == NULL)
		return false;
	append(cls, class, code);
	return true;
}

/*
 * classify_text - first class, in the fixed order, that matches; with
 * prefilter, the literal scan decides the built-in patterns it can.
 */
static enum response_class
classify_text(const struct classifier *cls, const char *text, size_t len,
    bool prefilter)
{
	enum response_class result = RESPONSE_NONE;
	pcre2_match_data *md;
	size_t		 i, first;
	unsigned	 hint = ~0u, sure = 0;
	bool		 owned;
	int		 class, rc;

	if (text == NULL || len == 0)
		return RESPONSE_NONE;
	md = thread_match_data(&owned);
	if (prefilter) {
		hint = literal_scan(text, len, &sure);
		if (len > LITERAL_SURE_MAX_TEXT)
			sure = 0;
	}
	for (class = RESPONSE_NONE + 1; class < RESPONSE_CLASS_COUNT;
	    class++) {
		const struct pattern_list *list = &cls->patterns[class];

		/* The built-in pattern is codes[0]. */
		first = 0;
		if ((sure & (1u << class)) != 0) {
			result = (enum response_class)class;
			goto done;
		}
		if ((hint & (1u << class)) == 0)
			first = 1;
		for (i = first; i < list->count; i++) {
			/* Errors (match limit, bad UTF in a (*UTF)
			   pattern) count as no match. */
			rc = pcre2_match(list->codes[i], (PCRE2_SPTR)text,
			    len, 0, 0, md, cls->match_context);
			if (rc >= 0) {
				result = (enum response_class)class;
				goto done;
			}
		}
	}
done:
	if (owned)
		pcre2_match_data_free(md);
	return result;
}

/* classifier_classify - the class of a reply text, prefiltered */
enum response_class
classifier_classify(const struct classifier *cls, const char *text,
    size_t len)
{
	return classify_text(cls, text, len, true);
}

/* classifier_classify_patterns - the class by PCRE2 alone */
enum response_class
classifier_classify_patterns(const struct classifier *cls,
    const char *text, size_t len)
{
	return classify_text(cls, text, len, false);
}

/*
 * response_class_of_status - the class an RFC 3463 enhanced status code
 * ("5.1.1") stands for, for a failure whose text says nothing the
 * patterns know (Sendmail often logs only "stat=Service unavailable"
 * and dsn=, or a reply cut to its first line).  Only 4.x.x and 5.x.x
 * codes count:
 *
 *   X.1.1  bad destination mailbox address	unknown_user
 *   X.1.2  bad destination system address	unknown_user
 *   X.1.3  bad destination mailbox syntax	unknown_user
 *   X.1.6  destination mailbox has moved	unknown_user
 *   X.1.10 recipient address has null MX	unknown_user
 *	    (RFC 7505; Microsoft's "RecipientNotFound")
 *   X.5.3  too many recipients			rate_limit
 *   X.7.*  security or policy status		reputation
 *
 * RFC 3463 has no code for spam, blocklists or sending rates: a 5.7.1
 * is a policy refusal of any kind, so it counts as reputation (the
 * class that stands for policy), and what the text says, when it says
 * something, always comes first.  Anything else, or a malformed code,
 * is RESPONSE_NONE.
 */
enum response_class
response_class_of_status(const char *status)
{
	unsigned long	 subject, detail;
	const char	*s = status;
	char		*end;

	if (s == NULL || (s[0] != '4' && s[0] != '5') || s[1] != '.')
		return RESPONSE_NONE;
	s += 2;
	if (*s < '0' || *s > '9')
		return RESPONSE_NONE;
	subject = strtoul(s, &end, 10);
	if (end - s > 3 || *end != '.' || end[1] < '0' || end[1] > '9')
		return RESPONSE_NONE;
	s = end + 1;
	detail = strtoul(s, &end, 10);
	if (end - s > 3 || *end != '\0')
		return RESPONSE_NONE;
	if (subject == 1 && (detail == 1 || detail == 2 || detail == 3 ||
	    detail == 6 || detail == 10))
		return RESPONSE_UNKNOWN_USER;
	if (subject == 5 && detail == 3)
		return RESPONSE_RATE_LIMIT;
	if (subject == 7)
		return RESPONSE_REPUTATION;
	return RESPONSE_NONE;
}

/* response_class_name - name used in reports and configuration */
const char *
response_class_name(enum response_class class)
{
	switch (class) {
	case RESPONSE_BLOCKLIST:
		return "blocklist";
	case RESPONSE_SPAM:
		return "spam";
	case RESPONSE_REPUTATION:
		return "reputation";
	case RESPONSE_RATE_LIMIT:
		return "rate_limit";
	case RESPONSE_UNKNOWN_USER:
		return "unknown_user";
	case RESPONSE_NONE:
	case RESPONSE_CLASS_COUNT:
		break;
	}
	return "none";
}

/* response_class_from_name - parse a class name from the configuration */
bool
response_class_from_name(const char *name, enum response_class *class)
{
	int	c;

	if (name == NULL)
		return false;
	for (c = 0; c < RESPONSE_CLASS_COUNT; c++) {
		if (strcasecmp(name, response_class_name(c)) == 0) {
			*class = (enum response_class)c;
			return true;
		}
	}
	return false;
}
