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
 * limit exceeded" and "421 4.3.2 Too many open connections"; Exim
 * ratelimit ACLs; Postfix smtpd's own anvil limits ("Connection
 * concurrency limit exceeded").  "Try again later" alone is
 * greylisting as often as throttling, so it needs a 4.7.x code.
 */
static const char builtin_rate_limit[] =
	"\\brate[ -]?limit|\\brate exceed"
	"|(?:sending|message|connection|submission) rate|unusual" GAP "rate"
	"|concurrency limit"
	"|too many (?:messages|mails?|e-?mails|(?:open )?connections"
	"|recipients|rcpts?|concurrent|simultaneous|sessions)"
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
 * stands, and PCRE2 need not be asked.  A "veto" string cancels, where
 * it occurs, the hint and sure strings of its class that it ends with:
 * it spells out the context in which a lookbehind makes their
 * alternatives fail ("sender address rejected"), so those occurrences
 * prove nothing; every string of the class it ends with must be one
 * that this context defeats.  '^' at the start of a string stands for
 * the start of the text, '$' at its end for the end, so that a
 * boundary \b needs can be spelled out (" rate limit", "^rate limit").
 *
 * A hint also bounds where a match can start: no further back than
 * the hint's "back" bytes before it (0 for most, the longest text the
 * alternative can hold before the string for the rest), so PCRE2 is
 * started at the first place any hint of the class allows, lookbehinds
 * and \b still seeing the bytes before it.  Each line below follows
 * the pattern's alternatives in order; the unit tests check that the
 * two paths agree.  Patterns added from the configuration always run.
 */
enum literal_kind {
	LITERAL_HINT,
	LITERAL_SURE,
	LITERAL_VETO
};

struct literal {
	const char	*text;
	unsigned char	 len;
	unsigned char	 class;
	unsigned char	 kind;		/* enum literal_kind */
	unsigned char	 back;		/* bytes of a match before it, at most */
};

#define HINT(c, s)	{ s, sizeof(s) - 1, c, LITERAL_HINT, 0 }
#define HINT_BACK(c, s, b) { s, sizeof(s) - 1, c, LITERAL_HINT, b }
#define SURE(c, s)	{ s, sizeof(s) - 1, c, LITERAL_SURE, 0 }
#define VETO(c, s)	{ s, sizeof(s) - 1, c, LITERAL_VETO, 0 }
#define NEUTRAL(s)	{ s, sizeof(s) - 1, RESPONSE_NONE, LITERAL_SURE, 0 }
#define BL		RESPONSE_BLOCKLIST
#define SP		RESPONSE_SPAM
#define RE		RESPONSE_REPUTATION
#define RL		RESPONSE_RATE_LIMIT
#define UU		RESPONSE_UNKNOWN_USER

/*
 * Some texts name the cause of a failure, and it is none of the
 * classes: greylisting; a relaying refusal (the receiver is no MX of
 * the recipient's domain: Postfix "Relay access denied", Sendmail
 * "Relaying denied", Exim "relay not permitted", Microsoft "Unable to
 * relay"); the relay's own login or TLS at the next hop (Postfix's
 * smtp client "SASL authentication failed; server ... said: 535 5.7.8
 * ...", "530 5.7.0 Must issue a STARTTLS command first",
 * "Authentication required"); the sender's address (Sendmail "553
 * 5.1.8 ... Domain of sender address ... does not exist", which is no
 * unknown recipient).  The status codes of most are X.7.x, policy,
 * which would count them as reputation.  A text holding a "neutral"
 * string is no class's but blocklist's or spam's: blocklist's when the
 * blocklist patterns match it ("Relay access denied; client host
 * listed in dnsbl.sorbs.net"), spam's only when it holds a sure string
 * of spam's ("... rejected as spam"), since the broad spam pattern
 * finds "spam" in "Greylisted (anti-spam measure)".  The strings are
 * fixed, so the scan finds them in both classify paths; the caller
 * must not ask the status code either (classifier_is_neutral()).
 */
static const struct literal literals[] = {
	NEUTRAL("greylist"), NEUTRAL("graylist"),
	NEUTRAL("relay access denied"), NEUTRAL("relaying denied"),
	NEUTRAL("relay not permitted"), NEUTRAL("unable to relay"),
	NEUTRAL("sasl authentication failed"),
	NEUTRAL("must issue a starttls"), NEUTRAL("authentication required"),
	NEUTRAL("domain of sender address"),

	SURE(BL, "spamhaus"), SURE(BL, "barracuda"), SURE(BL, "spamcop"),
	HINT(BL, "sorbs"), SURE(BL, "uceprotect"),
	SURE(BL, "abuseat.org"), HINT(BL, "psbl"), SURE(BL, "mailspike"),
	SURE(BL, "blocked using"), HINT(BL, "listed "),
	VETO(BL, "not listed "),
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
	VETO(SP, "from spam"), VETO(SP, "of spam"),
	VETO(SP, "from 550-5.7.1 spam"),
	SURE(SP, "^spam "), SURE(SP, "as spam "), SURE(SP, "as spam$"),
	SURE(SP, "as spam. "), SURE(SP, "as spam.$"),
	SURE(SP, "probability of spam"),
	SURE(SP, "probability of being spam"),
	HINT(SP, "uce"), HINT(SP, "junk"),
	SURE(SP, "content rejected"),
	SURE(SP, "unacceptable content"), SURE(SP, "prohibited content"),
	SURE(SP, "objectionable content"),
	SURE(SP, "inappropriate content"),
	HINT(SP, "content presents a"),
	HINT(SP, "unsolicited"), SURE(SP, "likely unsolicited "),
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
	/* "violates local policy": "policy" 15 bytes in. */
	HINT_BACK(RE, "polic", 15),
	SURE(RE, "policy reason"), SURE(RE, "policies reason"),
	SURE(RE, "policy restriction"), SURE(RE, "policies restriction"),
	SURE(RE, "policy violation"), SURE(RE, "policies violation"),
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
	SURE(RL, " ratelimit"), SURE(RL, "^ratelimit"),
	SURE(RL, " rate limit"), SURE(RL, "^rate limit"),
	SURE(RL, " rate-limit"), SURE(RL, "^rate-limit"),
	SURE(RL, " rate exceed"), SURE(RL, "^rate exceed"),
	SURE(RL, "sending rate"), SURE(RL, "message rate"),
	SURE(RL, "connection rate"), SURE(RL, "submission rate"),
	SURE(RL, "concurrency limit"),
	HINT(RL, "unusual"),
	HINT(RL, "too many "),
	SURE(RL, "too many messages"), SURE(RL, "too many mail"),
	SURE(RL, "too many emails"), SURE(RL, "too many e-mails"),
	SURE(RL, "too many connections"),
	SURE(RL, "too many open connections"),
	SURE(RL, "too many recipients"),
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
	/* "4.7.", three digits, 160 bytes, then "try again later". */
	HINT_BACK(RL, "try again later", 167),

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
	HINT(UU, "address rejected"), VETO(UU, "sender address rejected"),
	SURE(UU, "address rejected: a"),
	VETO(UU, "sender address rejected: a"),
	SURE(UU, "invalid recipient"), SURE(UU, "invalid mailbox"),
	SURE(UU, "invalid address"), SURE(UU, "invalid user"),
	SURE(UU, "recipient not found"), SURE(UU, "recipient notfound"),
	SURE(UU, "recipientnot found"), SURE(UU, "recipientnotfound"),
	SURE(UU, "mailboxnot found"),
	SURE(UU, "mailbox notfound"), SURE(UU, "mailboxnotfound"),
	SURE(UU, "user not found"), SURE(UU, "user notfound"),
	SURE(UU, "usernot found"), SURE(UU, "usernotfound"),
	SURE(UU, "address not found"), SURE(UU, "address notfound"),
	SURE(UU, "addressnot found"), SURE(UU, "addressnotfound"),
	SURE(UU, "not a valid mailbox"), SURE(UU, "not a valid recipient"),
	SURE(UU, "not a valid user"),
	SURE(UU, "unrouteable address"), SURE(UU, "undeliverable address"),
	SURE(UU, "unknown local part"),
	HINT(UU, "host or domain name not found. name service error for "
	    "name="),
	HINT(UU, "host unknown (name server: "),
	HINT(UU, "doesn't have a"),
	/* "account that you tried to reach has been disabled" */
	HINT_BACK(UU, "disabled", 41)
};

#undef HINT
#undef HINT_BACK
#undef SURE
#undef VETO
#undef NEUTRAL
#undef BL
#undef SP
#undef RE
#undef RL
#undef UU

#define LITERAL_COUNT	(sizeof(literals) / sizeof(literals[0]))

/*
 * A sure string is trusted only in a text this short: the match limit
 * could in principle stop PCRE2 before it reaches the string in a long
 * one, and the answer must be the one PCRE2 gives.
 */
#define LITERAL_SURE_MAX_TEXT	1024

/*
 * The strings make one Aho-Corasick automaton, built once, so that the
 * scan costs one table step per byte whatever the text holds.  Bytes
 * map to a few symbols first: one for each (folded) byte some string
 * holds, SYM_OTHER for every other byte, and SYM_EDGE, which no byte
 * maps to, for the '^' and '$' of the strings and the two ends of a
 * text.  A state is known by its row, state * scan_symbols: for a
 * step from it on a symbol, scan_next[row + symbol] is the next
 * state's row and scan_out[row + symbol] that state's output, a bit
 * (1 << class) for each class with a hint or sure string that ends
 * there and (1 << (SCAN_SURE_SHIFT + class)) for each with a sure
 * one, vetoes applied.  Indexing both by the step, not the state,
 * keeps the per-byte work to two loads that do not wait on each
 * other.  State 0 is the root.
 */
#define SYM_OTHER	0
#define SYM_EDGE	1
#define SCAN_SURE_SHIFT	6
#define SCAN_CLASS_BITS	((1u << SCAN_SURE_SHIFT) - 1)
#define NEUTRAL_BIT	(1u << RESPONSE_NONE)	/* a neutral string */
#define SCAN_NONE	0xffff

static unsigned char	 scan_symbol[256];
static size_t		 scan_symbols;
static uint32_t		*scan_next;	/* never freed: process-wide */
static uint16_t		*scan_out;	/* never freed: process-wide */
static uint32_t		 scan_start;	/* the root's row after SYM_EDGE */
static size_t		 scan_longest;	/* symbols of the longest string */

/*
 * scan_reach[state * RESPONSE_CLASS_COUNT + class]: how far back from
 * the end of the state's string a match can start, at most, for the
 * strings of the class that end there (their bytes, '^' and '$' not
 * counted, plus their back), vetoes applied.
 */
static uint16_t		*scan_reach;	/* never freed: process-wide */
static uint16_t		 scan_reach_max[RESPONSE_CLASS_COUNT];

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

/* literal_symbol - the symbol of a string's k-th byte */
static unsigned
literal_symbol(const struct literal *lit, size_t k)
{
	unsigned char	c = (unsigned char)lit->text[k];

	if ((k == 0 && c == '^') || (k + 1 == lit->len && c == '$'))
		return SYM_EDGE;
	return scan_symbol[c];
}

/*
 * literal_out - the output of a state, and its reach per class in
 * reach[]: walk the suffixes of the state's string, longest first (the
 * failure links), and count each string that ends there unless a veto
 * of its class, longer and so ending in it, came before it.
 */
static uint16_t
literal_out(const uint16_t *fail, const uint16_t *ends, uint16_t state,
    uint16_t *reach)
{
	const struct literal *lit;
	unsigned	 vetoed = 0, r;
	uint16_t	 out = 0, t;

	for (t = state; t != 0; t = fail[t]) {
		if (ends[t] == SCAN_NONE)
			continue;
		lit = &literals[ends[t]];
		if (lit->kind == LITERAL_VETO) {
			vetoed |= 1u << lit->class;
			continue;
		}
		if ((vetoed & (1u << lit->class)) != 0)
			continue;
		out |= (uint16_t)(1u << lit->class);
		r = lit->len + lit->back;
		if (lit->text[0] == '^')
			r--;
		if (lit->text[lit->len - 1] == '$')
			r--;
		if (r > reach[lit->class])
			reach[lit->class] = (uint16_t)r;
		if (lit->kind == LITERAL_SURE)
			out |= (uint16_t)(1u << (SCAN_SURE_SHIFT +
			    lit->class));
	}
	return out;
}

/*
 * literal_index - build the prefilter's automaton of the strings: the
 * trie, then the failure links breadth first, which also completes
 * each state's missing steps from its failure state's, already done,
 * and gives each new state its output as soon as its link is known.
 */
static void
literal_index(void)
{
	uint16_t	*fail, *ends, *queue;
	uint16_t	 out;
	size_t		 i, k, n, nmax, states, head, tail, sym, at, to;
	unsigned	 c;
	uint16_t	 s, v;

	for (i = 0; i < 256; i++)
		fold_table[i] = (unsigned char)(i >= 'A' && i <= 'Z' ?
		    i + ('a' - 'A') : i);
	scan_symbols = SYM_EDGE + 1;
	nmax = 1;
	for (i = 0; i < LITERAL_COUNT; i++) {
		const struct literal *lit = &literals[i];

		/* The table is ours: a bug, not input. */
		if (lit->len == 0 || lit->class >= SCAN_SURE_SHIFT)
			abort();
		nmax += lit->len;
		if (lit->len > scan_longest)
			scan_longest = lit->len;
		for (k = 0; k < lit->len; k++) {
			c = (unsigned char)lit->text[k];
			if (fold(c) != c)
				abort();
			if (literal_symbol(lit, k) == SYM_EDGE ||
			    scan_symbol[c] != SYM_OTHER)
				continue;
			scan_symbol[c] = (unsigned char)scan_symbols++;
		}
	}
	n = scan_symbols;
	if (nmax >= SCAN_NONE || n > 256)
		abort();
	for (c = 'A'; c <= 'Z'; c++)
		scan_symbol[c] = scan_symbol[fold(c)];

	/*
	 * The trie, its steps holding rows.  No step of the trie leads
	 * back to the root, so row 0 marks a step not there yet.
	 */
	scan_next = xcalloc(nmax * n, sizeof(*scan_next));
	scan_out = xcalloc(nmax * n, sizeof(*scan_out));
	scan_reach = xcalloc(nmax * RESPONSE_CLASS_COUNT,
	    sizeof(*scan_reach));
	fail = xcalloc(nmax, sizeof(*fail));
	ends = xreallocarray(NULL, nmax, sizeof(*ends));
	queue = xreallocarray(NULL, nmax, sizeof(*queue));
	for (i = 0; i < nmax; i++)
		ends[i] = SCAN_NONE;
	states = 1;
	for (i = 0; i < LITERAL_COUNT; i++) {
		s = 0;
		for (k = 0; k < literals[i].len; k++) {
			at = s * n + literal_symbol(&literals[i], k);
			if (scan_next[at] == 0)
				scan_next[at] = (uint32_t)(states++ * n);
			s = (uint16_t)(scan_next[at] / n);
		}
		if (ends[s] != SCAN_NONE)	/* the same string twice */
			abort();
		ends[s] = (uint16_t)i;
	}

	/*
	 * Breadth first, so that a state's failure state, and every
	 * state on its chain, is shallower and done before it.
	 */
	head = tail = 0;
	queue[tail++] = 0;
	while (head < tail) {
		s = queue[head++];
		to = (size_t)fail[s] * n;
		for (sym = 0; sym < n; sym++) {
			at = s * n + sym;
			if (scan_next[at] == 0) {
				/* A missing step goes where the failure
				   state's goes; the root's stays put. */
				if (s != 0) {
					scan_next[at] = scan_next[to + sym];
					scan_out[at] = scan_out[to + sym];
				}
				continue;
			}
			v = (uint16_t)(scan_next[at] / n);
			fail[v] = s == 0 ? 0 :
			    (uint16_t)(scan_next[to + sym] / n);
			out = literal_out(fail, ends, v,
			    &scan_reach[v * RESPONSE_CLASS_COUNT]);
			scan_out[at] = out;
			for (k = 0; k < RESPONSE_CLASS_COUNT; k++)
				if (scan_reach[v * RESPONSE_CLASS_COUNT + k] >
				    scan_reach_max[k])
					scan_reach_max[k] = scan_reach[v *
					    RESPONSE_CLASS_COUNT + k];
			queue[tail++] = v;
		}
	}
	scan_start = scan_next[SYM_EDGE];
	/* nmax counted every byte; the trie shares prefixes. */
	scan_next = xreallocarray(scan_next, states * n, sizeof(*scan_next));
	scan_out = xreallocarray(scan_out, states * n, sizeof(*scan_out));
	scan_reach = xreallocarray(scan_reach, states * RESPONSE_CLASS_COUNT,
	    sizeof(*scan_reach));
	free(queue);
	free(ends);
	free(fail);
}

/*
 * A long text is walked as SCAN_WALKS parts at once (see
 * literal_scan()); every walk but the first starts SCAN_WARM bytes
 * before its part.  Texts shorter than SCAN_SPLIT_MIN take one walk.
 */
#define SCAN_WALKS	4
#define SCAN_WARM	16
#define SCAN_SPLIT_MIN	64

/*
 * scan_walk - go on with a walk in row over [from, to) of t: the row
 * it ends in, what it saw ORed into *found.  Four bytes a round: the
 * loop's own test costs a quarter.
 */
static inline size_t
scan_walk(const unsigned char *t, size_t from, size_t to, size_t row,
    unsigned *found)
{
	const uint32_t	*next = scan_next;
	const uint16_t	*out = scan_out;
	size_t		 i = from, step;
	unsigned	 f = 0;

	for (; to - i >= 4; i += 4) {
		step = row + scan_symbol[t[i]];
		row = next[step];
		f |= out[step];
		step = row + scan_symbol[t[i + 1]];
		row = next[step];
		f |= out[step];
		step = row + scan_symbol[t[i + 2]];
		row = next[step];
		f |= out[step];
		step = row + scan_symbol[t[i + 3]];
		row = next[step];
		f |= out[step];
	}
	for (; i < to; i++) {
		step = row + scan_symbol[t[i]];
		row = next[step];
		f |= out[step];
	}
	*found |= f;
	return row;
}

/*
 * literal_scan_split - literal_scan() of a text of SCAN_SPLIT_MIN bytes
 * or more, as SCAN_WALKS walks at once.
 *
 * Walk k reads n bytes from at[k] = k * (n - SCAN_WARM); its part, what
 * it may report, begins SCAN_WARM bytes in (walk 0's at the start),
 * which is where walk k - 1 stops, and the last walk's part is followed
 * by a tail of fewer than SCAN_WALKS bytes.  A walk that starts late
 * may have missed the beginning of a string, or of a veto that cancels
 * a string it then reports, so nothing it sees before its part counts,
 * and what it sees in its part counts only if, where the part begins,
 * it is in the state the walk before it ended in: the state after a
 * byte depends on nothing but the state before it and the byte, so the
 * two walks are then the same from there on.  They differ only where a
 * string's first SCAN_WARM bytes or more lie across the seam; that part
 * is walked again from the right state.  (Each part's findings are
 * kept apart until its walk is known to be right.)
 */
static unsigned
literal_scan_split(const unsigned char *t, size_t len)
{
	const uint32_t	*next = scan_next;
	const uint16_t	*out = scan_out;
	size_t		 n, i, k, at[SCAN_WALKS], row[SCAN_WALKS];
	size_t		 seam[SCAN_WALKS], step0, step1, step2, step3, end;
	unsigned	 found, part[SCAN_WALKS];
	size_t		 r0 = scan_start, r1 = 0, r2 = 0, r3 = 0;
	unsigned	 f0 = 0, f1 = 0, f2 = 0, f3 = 0;

	/* n > SCAN_WARM as len >= SCAN_SPLIT_MIN, and the last walk ends
	   at SCAN_WALKS * n - (SCAN_WALKS - 1) * SCAN_WARM <= len. */
	n = (len + (SCAN_WALKS - 1) * SCAN_WARM) / SCAN_WALKS;
	for (k = 0; k < SCAN_WALKS; k++)
		at[k] = k * (n - SCAN_WARM);
	/* The warm-up: only walk 0 reports. */
	for (i = 0; i < SCAN_WARM; i++) {
		step0 = r0 + scan_symbol[t[at[0] + i]];
		step1 = r1 + scan_symbol[t[at[1] + i]];
		step2 = r2 + scan_symbol[t[at[2] + i]];
		step3 = r3 + scan_symbol[t[at[3] + i]];
		r0 = next[step0];
		r1 = next[step1];
		r2 = next[step2];
		r3 = next[step3];
		f0 |= out[step0];
	}
	seam[1] = r1;
	seam[2] = r2;
	seam[3] = r3;
	for (; i < n; i++) {
		step0 = r0 + scan_symbol[t[at[0] + i]];
		step1 = r1 + scan_symbol[t[at[1] + i]];
		step2 = r2 + scan_symbol[t[at[2] + i]];
		step3 = r3 + scan_symbol[t[at[3] + i]];
		r0 = next[step0];
		r1 = next[step1];
		r2 = next[step2];
		r3 = next[step3];
		f0 |= out[step0];
		f1 |= out[step1];
		f2 |= out[step2];
		f3 |= out[step3];
	}
	row[0] = r0;
	row[1] = r1;
	row[2] = r2;
	row[3] = r3;
	part[0] = f0;
	part[1] = f1;
	part[2] = f2;
	part[3] = f3;
	found = part[0];
	for (k = 1; k < SCAN_WALKS; k++) {
		if (seam[k] == row[k - 1])
			found |= part[k];
		else
			row[k] = scan_walk(t, at[k] + SCAN_WARM, at[k] + n,
			    row[k - 1], &found);
	}
	end = at[SCAN_WALKS - 1] + n;
	r3 = scan_walk(t, end, len, row[SCAN_WALKS - 1], &found);
	/* The '$' edge. */
	return found | out[r3 + SYM_EDGE];
}

/*
 * literal_scan - which classes' strings text holds: a bit (1 << class)
 * for a hint or sure string, (1 << (SCAN_SURE_SHIFT + class)) for a
 * sure one.  One automaton step per byte, between the two edges.  A
 * step waits for the one before it (the next row is a load from the
 * last), so a long text is walked in parts at once, whose steps do not
 * wait on each other (literal_scan_split()).
 */
static unsigned
literal_scan(const char *text, size_t len)
{
	const unsigned char *t = (const unsigned char *)text;
	unsigned	 found = 0;
	size_t		 row;

	if (len >= SCAN_SPLIT_MIN)
		return literal_scan_split(t, len);
	row = scan_walk(t, 0, len, scan_start, &found);
	return found | scan_out[row + SYM_EDGE];
}

/*
 * literal_settle - literal_starts() for the step that ends at offset
 * at: lower start[] for the classes in *want with a string there, and
 * take a class off *want once no later string can lower its start.
 */
static void
literal_settle(size_t step, size_t at, size_t start[RESPONSE_CLASS_COUNT],
    unsigned *want)
{
	const uint16_t	*reach;
	unsigned	 out = scan_out[step] & *want;
	size_t		 from;
	int		 class;

	reach = &scan_reach[scan_next[step] / scan_symbols *
	    RESPONSE_CLASS_COUNT];
	for (class = RESPONSE_NONE + 1; class < RESPONSE_CLASS_COUNT;
	    class++) {
		if ((out & (1u << class)) != 0) {
			from = at > reach[class] ? at - reach[class] : 0;
			if (from < start[class])
				start[class] = from;
		}
		/* A later string ends after at, and reaches back no
		   more than scan_reach_max. */
		if (start[class] + scan_reach_max[class] <= at)
			*want &= ~(1u << class);
	}
}

/*
 * literal_starts - where PCRE2 may start for the classes in want: the
 * earliest offset a match can start at, given the strings of the class
 * in text and their reach (len for a class with none).  A second walk
 * of the automaton, taken only for a text PCRE2 is to see, and cut
 * short once every class in want is settled.
 */
static void
literal_starts(const char *text, size_t len, unsigned want,
    size_t start[RESPONSE_CLASS_COUNT])
{
	const unsigned char *t = (const unsigned char *)text;
	size_t		 i, row = scan_start, step;
	int		 class;

	for (class = 0; class < RESPONSE_CLASS_COUNT; class++)
		start[class] = len;
	for (i = 0; i < len; i++) {
		step = row + scan_symbol[t[i]];
		row = scan_next[step];
		if ((scan_out[step] & want) == 0)
			continue;
		literal_settle(step, i + 1, start, &want);
		if (want == 0)
			return;
	}
	/* The '$' edge adds no byte. */
	literal_settle(row + SYM_EDGE, len, start, &want);
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
	pcre2_match_data *md = NULL;
	size_t		 i, first, from, start[RESPONSE_CLASS_COUNT];
	unsigned	 found, hint = ~0u, sure = 0;
	bool		 owned = false, started = false, neutral;
	int		 class, last, rc;

	if (text == NULL || len == 0)
		return RESPONSE_NONE;
	/* cls comes from classifier_new(), which built the automaton. */
	found = literal_scan(text, len);
	/* A neutral text may be a blocklisting still, but nothing weaker
	   by the patterns (see below for spam). */
	neutral = (found & NEUTRAL_BIT) != 0;
	last = neutral ? RESPONSE_BLOCKLIST : RESPONSE_CLASS_COUNT - 1;
	if (prefilter) {
		hint = found & ~NEUTRAL_BIT;
		sure = hint >> SCAN_SURE_SHIFT;
		if (len > LITERAL_SURE_MAX_TEXT)
			sure = 0;
	}
	for (class = RESPONSE_NONE + 1; class <= last; class++) {
		const struct pattern_list *list = &cls->patterns[class];

		/* The built-in pattern is codes[0]. */
		first = 0;
		from = 0;
		if ((sure & (1u << class)) != 0) {
			result = (enum response_class)class;
			goto done;
		}
		if ((hint & (1u << class)) == 0)
			first = 1;
		else if (prefilter && len <= LITERAL_SURE_MAX_TEXT) {
			/* As with sure strings, only where the match
			   limit cannot tell. */
			if (!started) {
				literal_starts(text, len,
				    hint & ~sure & SCAN_CLASS_BITS, start);
				started = true;
			}
			from = start[class];
		}
		for (i = first; i < list->count; i++) {
			/* Most texts never get here: no match data for
			   them. */
			if (md == NULL)
				md = thread_match_data(&owned);
			/* Errors (match limit, bad UTF in a (*UTF)
			   pattern) count as no match. */
			rc = pcre2_match(list->codes[i], (PCRE2_SPTR)text,
			    len, i == 0 ? from : 0, 0, md,
			    cls->match_context);
			if (rc >= 0) {
				result = (enum response_class)class;
				goto done;
			}
		}
	}
	/* Spam only by a sure word ("as spam"): the pattern finds "spam"
	   in "anti-spam measure", which greylisting texts say too. */
	if (neutral && ((found >> SCAN_SURE_SHIFT) &
	    (1u << RESPONSE_SPAM)) != 0)
		result = RESPONSE_SPAM;
done:
	if (owned)
		pcre2_match_data_free(md);
	return result;
}

/* classifier_is_neutral - whether text holds a neutral string */
bool
classifier_is_neutral(const struct classifier *cls, const char *text,
    size_t len)
{
	(void)cls;
	return text != NULL && len > 0 &&
	    (literal_scan(text, len) & NEUTRAL_BIT) != 0;
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
