/*
 * check_classify - reply texts to classes (analysis/classify.h).
 *
 * The table holds replies as big receivers and common MTAs send them,
 * with the class the built-in patterns must give; the order of the
 * classes decides texts that say two things ("blocked using
 * spamhaus", "rate limited due to IP reputation").
 */
#include "config.h"

#include <check.h>
#include <dirent.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/classify.h"
#include "parsers/reader.h"
#include "tests/testutil.h"

struct classify_case {
	const char	*text;
	enum response_class expected;
};

static const struct classify_case cases[] = {
	/* Deliveries and empty texts. */
	{ "250 2.0.0 Ok: queued as ABC", RESPONSE_NONE },
	{ "250 2.0.0 OK  1700000000 a1si1234567qkb.123 - gsmtp",
	  RESPONSE_NONE },
	{ "250 2.6.0 <20240101.abc@example.net> [InternalId=123] Queued "
	  "mail for delivery", RESPONSE_NONE },
	{ "delivered to mailbox", RESPONSE_NONE },
	{ "", RESPONSE_NONE },
	{ "connect to mx.example.net[192.0.2.25]:25: Connection timed out",
	  RESPONSE_NONE },
	{ "host mx.example.net[192.0.2.25] said: 554 5.7.1 "
	  "<jag@example.net>: Relay access denied (in reply to RCPT TO "
	  "command)", RESPONSE_NONE },
	{ "host mx.example.org[198.51.100.3] said: 450 4.2.0 "
	  "<ann@example.org>: Recipient address rejected: Greylisted, see "
	  "http://postgrey.schweikert.ch/help/example.org.html (in reply "
	  "to RCPT TO command)", RESPONSE_NONE },
	{ "451 4.7.1 Greylisting in action, please come back later",
	  RESPONSE_NONE },
	{ "552 5.2.2 The email account that you tried to reach is over "
	  "quota", RESPONSE_NONE },
	{ "554 5.7.1 <spam@example.com>: Relay access denied",
	  RESPONSE_NONE },
	{ "552 5.3.4 Message size exceeds fixed limit", RESPONSE_NONE },
	/* Neutral: causes no class stands for, whatever else they say. */
	{ "451 4.7.1 Greylisted, please try again later", RESPONSE_NONE },
	{ "450 4.7.1 <a@example.org>: Recipient address rejected: policy "
	  "violation; greylisted for 300 seconds", RESPONSE_NONE },
	{ "delivery temporarily suspended: SASL authentication failed; "
	  "server smarthost.example.net[192.0.2.33] said: 535 5.7.8 Error: "
	  "authentication failed: authentication failure", RESPONSE_NONE },
	{ "530 5.7.0 Must issue a STARTTLS command first", RESPONSE_NONE },
	{ "530 5.7.1 Authentication required", RESPONSE_NONE },
	{ "550 5.7.1 Unable to relay for rcpt@example.com", RESPONSE_NONE },
	{ "550 5.7.1 <rcpt@example.com>... Relaying denied", RESPONSE_NONE },
	{ "550 relay not permitted", RESPONSE_NONE },
	{ "553 5.1.8 <a@example.org>... Domain of sender address "
	  "s@nowhere.test does not exist", RESPONSE_NONE },
	/* ... also when they speak of spam in passing */
	{ "451 4.7.1 Greylisted (anti-spam measure), please try again "
	  "later", RESPONSE_NONE },
	{ "450 4.7.1 <a@b.example>: Recipient address rejected: "
	  "Greylisted for 5 minutes to fight spam", RESPONSE_NONE },
	{ "554 5.7.1 <x@y.example>: Relay access denied - this server is "
	  "not an open relay for spammers", RESPONSE_NONE },
	{ "553 5.1.8 <a@junk-mail.example>... Domain of sender address "
	  "a@junk-mail.example does not exist", RESPONSE_NONE },
	{ "550 5.7.1 Unable to relay for x@y.example (spam protection)",
	  RESPONSE_NONE },

	/* Blocklists. */
	{ "host mx.example.net[192.0.2.25] said: 554 5.7.1 Service "
	  "unavailable; Client host [203.0.113.9] blocked using "
	  "zen.spamhaus.org; https://www.spamhaus.org/query/ip/203.0.113.9 "
	  "(in reply to RCPT TO command)", RESPONSE_BLOCKLIST },
	{ "554 Service unavailable; Client host [203.0.113.9] blocked "
	  "using b.barracudacentral.org", RESPONSE_BLOCKLIST },
	{ "550 5.7.1 Unfortunately, messages from [203.0.113.9] weren't "
	  "sent. Please contact your Internet service provider since part "
	  "of their network is on our block list (S3140). You can also "
	  "refer your provider to http://mail.live.com/mail/"
	  "troubleshooting.aspx#errors.", RESPONSE_BLOCKLIST },
	{ "550 5.7.1 Unfortunately, messages from [203.0.113.9] weren't "
	  "sent. (S3150)", RESPONSE_BLOCKLIST },
	{ "553 5.7.1 [BL21] Connections will not be accepted from "
	  "203.0.113.9, because the ip is in Spamhaus's list; see "
	  "http://postmaster.yahoo.com/550-bl23.html", RESPONSE_BLOCKLIST },
	{ "550 rejected because 203.0.113.9 is in a black list at "
	  "bl.spamcop.net", RESPONSE_BLOCKLIST },
	{ "550 5.7.1 Rejected: 203.0.113.9 listed at dnsbl.sorbs.net",
	  RESPONSE_BLOCKLIST },
	{ "554 resimta-ch2-01v.sys.comcast.net resimta-ch2-01v.sys."
	  "comcast.net 203.0.113.9 found on one or more DNSBLs, see "
	  "http://postmaster.comcast.net/smtp-error-codes.php#BL000001",
	  RESPONSE_BLOCKLIST },
	{ "553 5.3.0 flpd575 DNSBL:RBL 521< 203.0.113.9 >_is_blocked.",
	  RESPONSE_BLOCKLIST },
	{ "550 5.7.606 Access denied, banned sending IP [203.0.113.9]. To "
	  "request removal from this list please visit "
	  "https://sender.office.com/", RESPONSE_BLOCKLIST },
	{ "554 5.7.1 Your IP 203.0.113.9 is blacklisted by UCEPROTECT",
	  RESPONSE_BLOCKLIST },

	/* Spam verdicts. */
	{ "host gmail-smtp-in.l.google.com[2607:f8b0:400e:c04::1b] said: "
	  "550-5.7.1 [2001:db8::2      12] Our system has detected that "
	  "this 550-5.7.1 message is likely unsolicited mail. To reduce "
	  "the amount of spam sent 550-5.7.1 to Gmail, this message has "
	  "been blocked. Please visit 550-5.7.1 https://support.google."
	  "com/mail/?p=UnsolicitedMessageError 550 5.7.1 for more "
	  "information. qc12si8475009pab.211 - gsmtp (in reply to end of "
	  "DATA command)", RESPONSE_SPAM },
	{ "550 5.7.350 Remote server returned message detected as spam -> "
	  "554 5.7.1 Message rejected as spam", RESPONSE_SPAM },
	{ "554 5.7.1 Message rejected: high probability of spam",
	  RESPONSE_SPAM },
	{ "550 Message content rejected, UBE, id=12345-07",
	  RESPONSE_SPAM },
	{ "554 5.7.1 This message has been classified as UCE",
	  RESPONSE_SPAM },
	{ "554 DT:SPM 163 mx9,O8CowEDJVFKCokVaRhz+AA--.26016S3 "
	  "1514513028,please see http://mail.example.com/help/"
	  "help_spam.htm?ip=", RESPONSE_SPAM },
	{ "550 5.7.1 Blocked by SpamAssassin", RESPONSE_SPAM },
	{ "554 5.7.1 Bulk mail not accepted", RESPONSE_SPAM },
	{ "552-5.7.0 This message was blocked because its content "
	  "presents a potential 552-5.7.0 security issue.",
	  RESPONSE_SPAM },
	{ "550 5.7.1 Message looks like junk mail", RESPONSE_SPAM },

	/* Reputation and authentication policy. */
	{ "550-5.7.1 [203.0.113.9] Our system has detected that this "
	  "message is 550-5.7.1 likely suspicious due to the very low "
	  "reputation of the sending 550-5.7.1 domain. To best protect "
	  "our users from spam, the message has been 550-5.7.1 blocked.",
	  RESPONSE_REPUTATION },
	{ "550-5.7.26 This mail is unauthenticated, which poses a "
	  "security risk to the 550-5.7.26 sender and Gmail users, and "
	  "has been blocked. The sender must 550-5.7.26 authenticate with "
	  "at least one of SPF or DKIM.", RESPONSE_REPUTATION },
	{ "550-5.7.1 [203.0.113.9] The IP you're using to send mail is "
	  "not authorized to 550-5.7.1 send email directly to our "
	  "servers. Please use the SMTP relay at your 550-5.7.1 service "
	  "provider instead.", RESPONSE_REPUTATION },
	{ "451 4.7.650 The mail server [203.0.113.9] has been temporarily "
	  "rate limited due to IP reputation.", RESPONSE_REPUTATION },
	{ "550 5.7.708 Service unavailable. Access denied, traffic not "
	  "accepted from this IP.", RESPONSE_REPUTATION },
	{ "554 5.7.9 Message not accepted for policy reasons.  See "
	  "https://postmaster.yahooinc.com/error-codes",
	  RESPONSE_REPUTATION },
	{ "553 5.7.2 [TSS09] All messages from 203.0.113.9 will be "
	  "permanently deferred; Retrying will NOT succeed. See "
	  "https://postmaster.yahooinc.com/error-codes",
	  RESPONSE_REPUTATION },
	{ "450 4.7.25 Client host rejected: cannot find your hostname, "
	  "[203.0.113.9]", RESPONSE_REPUTATION },
	{ "550 5.7.509 Access denied, sending domain example.net does not "
	  "pass DMARC verification and has a DMARC policy of reject.",
	  RESPONSE_REPUTATION },
	{ "554 5.7.1 Dynamic IP addresses are not accepted, use your "
	  "provider's relay", RESPONSE_REPUTATION },

	/* Rate limits. */
	{ "421-4.7.28 [203.0.113.9      15] Our system has detected an "
	  "unusual rate of 421-4.7.28 unsolicited mail originating from "
	  "your IP address. To protect our 421-4.7.28 users from spam, "
	  "mail sent from your IP address has been temporarily 421-4.7.28 "
	  "rate limited.", RESPONSE_RATE_LIMIT },
	{ "421-4.7.0 Try again later, closing connection. (EHLO) "
	  "a1si1234567qkb.123 - gsmtp", RESPONSE_RATE_LIMIT },
	{ "421 4.7.0 [TSS04] Messages from 203.0.113.9 temporarily "
	  "deferred due to unexpected volume or user complaints - "
	  "4.16.55.1; see https://postmaster.yahooinc.com/error-codes",
	  RESPONSE_RATE_LIMIT },
	{ "421 4.7.500 Server busy. Please try again later from "
	  "[203.0.113.9]. (S77714)", RESPONSE_RATE_LIMIT },
	{ "452 4.5.3 Error: too many recipients", RESPONSE_RATE_LIMIT },
	{ "421 4.7.0 mx.example.net Error: too many connections from "
	  "203.0.113.9", RESPONSE_RATE_LIMIT },
	{ "450 4.7.1 Error: too much mail from 203.0.113.9",
	  RESPONSE_RATE_LIMIT },
	{ "421 4.3.2 Connection rate limit exceeded.",
	  RESPONSE_RATE_LIMIT },
	{ "421 4.3.2 Too many open connections.", RESPONSE_RATE_LIMIT },
	{ "450-4.2.1 The user you are trying to contact is receiving mail "
	  "too quickly.", RESPONSE_RATE_LIMIT },
	{ "451 4.7.1 Message throttled, please slow down",
	  RESPONSE_RATE_LIMIT },

	/* Unknown users. */
	{ "host mx.example.net[192.0.2.25] said: 550 5.1.1 "
	  "<nobj@example.net>: Recipient address rejected: User unknown "
	  "in virtual mailbox table (in reply to RCPT TO command)",
	  RESPONSE_UNKNOWN_USER },
	{ "550-5.1.1 The email account that you tried to reach does not "
	  "exist. Please try 550-5.1.1 double-checking the recipient's "
	  "email address for typos", RESPONSE_UNKNOWN_USER },
	{ "550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found "
	  "by SMTP address lookup", RESPONSE_UNKNOWN_USER },
	{ "554 delivery error: dd This user doesn't have a yahoo.com "
	  "account (nobody@yahoo.com) [0] - mta1234.mail.bf1.yahoo.com",
	  RESPONSE_UNKNOWN_USER },
	{ "550 5.5.0 Requested action not taken: mailbox unavailable "
	  "(S2017062302).", RESPONSE_UNKNOWN_USER },
	{ "550 Unrouteable address", RESPONSE_UNKNOWN_USER },
	{ "550 No such user here", RESPONSE_UNKNOWN_USER },
	{ "unknown user: \"ghdsgfhdslfh\"", RESPONSE_UNKNOWN_USER },
	{ "550 5.4.1 Recipient address rejected: Access denied. "
	  "AS(201806281)", RESPONSE_UNKNOWN_USER },
	{ "550-5.2.1 The email account that you tried to reach is "
	  "disabled.", RESPONSE_UNKNOWN_USER },
	{ "511 sorry, no mailbox here by that name (#5.1.1 - "
	  "chkuser)", RESPONSE_UNKNOWN_USER },

	/* Order: the first class in the fixed order wins. */
	{ "554 5.7.1 Client host [203.0.113.9] blocked using "
	  "spam.dnsbl.example; user unknown", RESPONSE_BLOCKLIST },
	{ "550 5.7.1 spam detected; too many messages",
	  RESPONSE_SPAM },
	{ "450 4.7.1 poor reputation, too many connections",
	  RESPONSE_REPUTATION },
	{ "550 5.1.1 <spammer@example.net>: Recipient address rejected: "
	  "User unknown", RESPONSE_UNKNOWN_USER },

	/* Postfix joins the lines of a reply: "from 550-5.7.1 spam" is
	   still not a verdict, nor is a URL's "UnsolicitedRateLimit". */
	{ "host gmail-smtp-in.l.google.com[192.0.2.27] said: 550-5.7.1 "
	  "[203.0.113.9] Gmail has detected that this message is likely "
	  "suspicious due to the very low 550-5.7.1 reputation of the "
	  "sending IP address. To best protect our users from 550-5.7.1 "
	  "spam, the message has been blocked. (in reply to RCPT TO "
	  "command)", RESPONSE_REPUTATION },
	{ "421-4.7.28 [203.0.113.9      15] Our system has detected an "
	  "unusual rate of 421-4.7.28 unsolicited mail originating from "
	  "your IP address. To protect our 421-4.7.28 users from spam, "
	  "mail sent from your IP address has been temporarily 421-4.7.28 "
	  "rate limited. 421 4.7.28  https://support.google.com/mail/"
	  "?p=UnsolicitedRateLimitError x - gsmtp", RESPONSE_RATE_LIMIT },
	/* a recipient domain that does not exist */
	{ "Host or domain name not found. Name service error for "
	  "name=qozaxi47.test type=MX: Host not found", RESPONSE_UNKNOWN_USER },
	{ "Host or domain name not found. Name service error for "
	  "name=example.net type=MX: Host not found, try again",
	  RESPONSE_NONE },
	{ "Host unknown (Name server: qozaxi47.test: host not found)",
	  RESPONSE_UNKNOWN_USER },
};

/* test_table - every table case gets its class */
START_TEST(test_table)
{
	struct classifier *cls = classifier_new();
	const struct classify_case *c = &cases[_i];
	enum response_class got;

	got = classifier_classify(cls, c->text, strlen(c->text));
	ck_assert_msg(got == c->expected, "case %d \"%s\": got %s, want %s",
	    _i, c->text, response_class_name(got),
	    response_class_name(c->expected));
	classifier_free(cls);
}
END_TEST

/*
 * agree - classifier_classify gives text the class PCRE2 alone gives;
 * false (with the text printed) when not.
 */
static bool
agree(const struct classifier *cls, const char *text, size_t len)
{
	enum response_class fast, slow;

	fast = classifier_classify(cls, text, len);
	slow = classifier_classify_patterns(cls, text, len);
	if (fast == slow)
		return true;
	printf("prefilter: %s, patterns: %s: \"%.*s\"\n",
	    response_class_name(fast), response_class_name(slow), (int)len,
	    text);
	fflush(stdout);		/* a failing check ends the process */
	return false;
}

/*
 * agree_variants - agree() on text, its upper-case copy, every
 * suffix from a word on, every prefix up to a word's end, and the
 * text run into letters, an address and digits on both sides: the
 * places where a word boundary or a lookaround decides the match.
 * The number of disagreements.
 */
static size_t
agree_variants(const struct classifier *cls, const char *text, size_t len)
{
	static const char *const around[][2] = {
		{ "x", "x" }, { "spam@", "@x" }, { "9", "9" },
		{ "not ", ".7.1 " }, { "from ", " " }
	};
	size_t	 bad = 0, i, n;
	char	*buf;

	n = len + 16;
	buf = malloc(n);
	ck_assert_ptr_nonnull(buf);
	bad += !agree(cls, text, len);
	for (i = 0; i < len; i++)
		buf[i] = (char)(text[i] >= 'a' && text[i] <= 'z' ?
		    text[i] - 'a' + 'A' : text[i]);
	bad += !agree(cls, buf, len);
	for (i = 1; i < len; i++) {
		if (text[i - 1] != ' ')
			continue;
		bad += !agree(cls, text + i, len - i);
		bad += !agree(cls, text, i - 1);
	}
	for (i = 0; i < sizeof(around) / sizeof(around[0]); i++) {
		n = (size_t)snprintf(buf, len + 16, "%s%.*s%s", around[i][0],
		    (int)len, text, around[i][1]);
		bad += !agree(cls, buf, n);
	}
	free(buf);
	return bad;
}

/* test_prefilter_table - the prefilter agrees with PCRE2 on the table */
START_TEST(test_prefilter_table)
{
	struct classifier *cls = classifier_new();
	const size_t	 ncases = sizeof(cases) / sizeof(cases[0]);
	size_t		 bad = 0, i, j, la, lb;
	char		 buf[2048];

	/* Near misses of the fixed strings the prefilter trusts. */
	static const char *const near[] = {
		"452 4.5.3 too many email addresses in one message",
		"452 4.5.3 too many e-mail addresses",
		"too many mail servers", "too many rcpt commands",
		"bulk e mail", "bulk-mail", "probability of being not spam",
		"reverse-dns", "dynamic-ip", "dial up", "sender  score",
		"no such domain", "mailbox full", "invalid domain",
		"not a valid domain", "sending rated", "server is busy",
		"exceeded the number of", "local policies", "deny listing",
		"black  list", "banned ip", "content accepted",
		"unknown domain", "user is unknown", "cannot find your host",
		"xrate limit exceeded", "_rate limit", "ratelimiting",
		"rejected as spam.x@example.org", "rejected as spam@x",
		"as spamcop", "as spam-x@example.org", "as spam.", "as spam",
		"Spam@example.org", "spam message", "from spam message",
		"554 5.7.1 Spam message rejected",
		"sender address rejected: access denied",
		"Sender Address Rejected: a", "address rejected:access",
		"address rejected: Greylisted", "address rejected:\tquota",
		"likely unsolicitedx", "likely unsolicited",
		"policies violations", "policy-reason", "not listed at x",
		"is not listed in", "from 550-5.7.1 spam", "of spam x",
		"domain not found", "usernotfound", "user  not found",
		("host or domain name not found. name service error for "
		"name=x.test type=MX: host not found, try again"),
		"host unknown (name server: a) host not found)"
	};
	const size_t	 nnear = sizeof(near) / sizeof(near[0]);

	for (i = 0; i < ncases; i++)
		bad += agree_variants(cls, cases[i].text,
		    strlen(cases[i].text));
	for (i = 0; i < nnear; i++)
		bad += agree_variants(cls, near[i], strlen(near[i]));
	/* Two texts in one: the first class in the order must win. */
	for (i = 0; i < ncases; i++) {
		for (j = 0; j < ncases; j++) {
			la = strlen(cases[i].text);
			lb = strlen(cases[j].text);
			if (la + lb + 1 >= sizeof(buf))
				continue;
			memcpy(buf, cases[i].text, la);
			buf[la] = ' ';
			memcpy(buf + la + 1, cases[j].text, lb);
			bad += !agree(cls, buf, la + lb + 1);
		}
	}
	ck_assert_uint_eq(bad, 0);
	classifier_free(cls);
}
END_TEST

/*
 * agree_file - the prefilter agrees with PCRE2 on every line of a log
 * (plain or gzip), on the text after its last " (" (Postfix's reply
 * in status=... (text)) and after each "said: " and "error: ", the
 * reply texts the parsers hand over.  The number of disagreements.
 */
static size_t
agree_file(const struct classifier *cls, const char *path)
{
	static const char *const marks[] = { " (", "said: ", "error: ",
	    ": " };
	struct reader	*r;
	const char	*line, *p, *last;
	char		 err[512];
	size_t		 len, bad = 0, i;

	r = reader_open(path, NULL, err, sizeof(err));
	if (r == NULL)
		return 0;
	while (reader_next(r, &line, &len) == READER_LINE) {
		bad += !agree(cls, line, len);
		for (i = 0; i < sizeof(marks) / sizeof(marks[0]); i++) {
			last = NULL;
			for (p = line; (p = memmem(p, len - (size_t)(p - line),
			    marks[i], strlen(marks[i]))) != NULL; p++)
				last = p + strlen(marks[i]);
			if (last != NULL)
				bad += !agree(cls, last,
				    len - (size_t)(last - line));
		}
	}
	reader_close(r);
	return bad;
}

/* agree_dir - agree_file() on every file in dir; missing dir: 0 */
static size_t
agree_dir(const struct classifier *cls, const char *dir, size_t *files)
{
	struct dirent	*de;
	DIR		*d;
	char		 path[4096];
	size_t		 bad = 0;

	if ((d = opendir(dir)) == NULL)
		return 0;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		bad += agree_file(cls, path);
		(*files)++;
	}
	closedir(d);
	return bad;
}

/*
 * test_prefilter_logs - the prefilter agrees with PCRE2 on the reply
 * texts of the logs in testdata/ and, when present, the corpus of
 * real logs ($ZS_CORPUS_DIR, by default $top_srcdir/../shared/corpus).
 */
START_TEST(test_prefilter_logs)
{
	static const char *const cases_dirs[] = { "damaged", "hostile",
	    "rotated", "sample" };
	static const char *const corpus_dirs[] = { "postfix", "exim",
	    "sendmail", "other" };
	struct classifier *cls = classifier_new();
	const char	*top = getenv("top_srcdir");
	const char	*corpus = getenv("ZS_CORPUS_DIR");
	char		 dir[4096];
	size_t		 bad = 0, files = 0, i;

	if (top == NULL || *top == '\0')
		top = ".";
	for (i = 0; i < sizeof(cases_dirs) / sizeof(cases_dirs[0]); i++) {
		snprintf(dir, sizeof(dir), "%s/testdata/%s/input", top,
		    cases_dirs[i]);
		bad += agree_dir(cls, dir, &files);
	}
	ck_assert_uint_gt(files, 0);
	for (i = 0; i < sizeof(corpus_dirs) / sizeof(corpus_dirs[0]); i++) {
		if (corpus != NULL && *corpus != '\0')
			snprintf(dir, sizeof(dir), "%s/%s", corpus,
			    corpus_dirs[i]);
		else
			snprintf(dir, sizeof(dir), "%s/../shared/corpus/%s",
			    top, corpus_dirs[i]);
		bad += agree_dir(cls, dir, &files);
	}
	ck_assert_uint_eq(bad, 0);
	classifier_free(cls);
}
END_TEST

/*
 * test_prefilter_offsets - PCRE2 started at a hint finds the matches
 * that begin well before it, and a vetoed occurrence leaves a later
 * one of the same string counting
 */
START_TEST(test_prefilter_offsets)
{
	static const struct classify_case offsets[] = {
		{ "violates our policy", RESPONSE_REPUTATION },
		/* An earlier hint ("too many ") must not hide the match
		   a later one ("try again later") reaches back to. */
		{ "421 4.7.0 too many x; try again later",
		  RESPONSE_RATE_LIMIT },
		{ "421 4.7.0 too many x; too many y, try again later",
		  RESPONSE_RATE_LIMIT },
		{ "rejected: against the policy of the site",
		  RESPONSE_REPUTATION },
		{ "the account that you tried to reach has been disabled",
		  RESPONSE_UNKNOWN_USER },
		{ "account is disabled", RESPONSE_UNKNOWN_USER },
		{ "accounts disabled", RESPONSE_NONE },
		{ "sender address rejected: no; recipient address "
		  "rejected: no", RESPONSE_UNKNOWN_USER },
		{ "not listed at a; listed at b", RESPONSE_BLOCKLIST },
		{ "not listed at a; not listed at b", RESPONSE_NONE },
		{ "protect our users from spam: spam", RESPONSE_SPAM },
		{ "from 550-5.7.1 spam and of spam", RESPONSE_NONE },
		{ "from 550-5.7.1 spam and as spam", RESPONSE_SPAM },
		{ "sender address rejected: a", RESPONSE_NONE },
		{ "Sender address rejected: access denied, Recipient "
		  "address rejected: access denied", RESPONSE_UNKNOWN_USER },
	};
	struct classifier *cls = classifier_new();
	char		 buf[512];
	size_t		 bad = 0, i, gap;
	int		 n;

	for (i = 0; i < sizeof(offsets) / sizeof(offsets[0]); i++) {
		ck_assert_msg(classifier_classify(cls, offsets[i].text,
		    strlen(offsets[i].text)) == offsets[i].expected,
		    "\"%s\"", offsets[i].text);
		bad += agree_variants(cls, offsets[i].text,
		    strlen(offsets[i].text));
	}
	/* "4.7.x", up to 160 bytes, "try again later": the match
	   starts 167 bytes or less before the hint. */
	for (gap = 150; gap <= 170; gap++) {
		n = snprintf(buf, sizeof(buf), "421 4.7.0 %*s try again "
		    "later", (int)gap, "wait");
		ck_assert_int_gt(n, 0);
		ck_assert_int_eq(classifier_classify(cls, buf, (size_t)n),
		    (gap + 2 <= 160 ? RESPONSE_RATE_LIMIT : RESPONSE_NONE));
		bad += !agree(cls, buf, (size_t)n);
		n = snprintf(buf, sizeof(buf), "421 4.7.100%*s try again "
		    "later try again later", (int)gap, "");
		bad += !agree(cls, buf, (size_t)n);
	}
	ck_assert_uint_eq(bad, 0);
	classifier_free(cls);
}
END_TEST

/* The pieces test_prefilter_generated() builds texts from. */
static const char *const pieces[] = {
	"spamhaus", "barracuda", "spamcop", "sorbs", "uceprotect",
	"abuseat.org", "psbl", "mailspike", "blocked using", "listed ",
	"not listed ", "at", "in", "by", "black list", "blocklist",
	"deny-list", "rbl", "dnsbls", "S3140", "s3150", "client host [",
	"192.0.2.1", "] blocked", "[BL21]", "banned sending ip",
	"banned sender", "5.7.606", "5.7.511",
	"spam", "Spam", "from spam", "of spam", "from ", "550-5.7.1",
	"421 4.7.28", " spam", "as spam", "probability of ", "being ",
	"uce", "junk", "content rejected", "prohibited content",
	"content presents a", "potential", "unsolicited", "rate of ",
	"likely unsolicited", "bulk ", "e-mail", "5.7.350", "5.7.520",
	"dt:spm", "virus", "malware", "phishing", "haus", "cop", "@",
	"x@example.org",
	"reputation", "sender score", "senderscore", "4.7.23", "5.7.27",
	"5.7.2", "dmarc", "spf", "dkim", "not authorized to",
	"not authorised to", "send", "unauthenticated", "suspicious",
	"policy", "policies", "reason", "restriction", "violation",
	"local policy", "due to", "per", "violates", "against", "our ",
	"the ", "local ", "permanently deferred", "[TSS09]", "[TS03]",
	"cannot find your hostname", "reverse ", "dns", "ptr record",
	"rdns", "5.7.708", "5.7.750", "traffic not accepted", "dynamic ip",
	"dialup", "dial-up", "residential",
	"rate", "ratelimit", "rate limit", "rate-limit", "rate exceed",
	"exceeded", "sending rate", "unusual", "too many ", "messages",
	"connections", "rcpts", "too much mail", "too quickly", "throttled",
	"temporarily deferred", "[TS01]", "[TSS04]", "4.7.28", "4.7.0",
	"4.7.1", "server busy", "too busy",
	"exceeded the maximum number of", "sending quota",
	"try again later", "Try again later",
	"user unknown", "unknown user", "recipient unknown", "no such user",
	"does not exist", "doesn't exist", "no mailbox here",
	"mailbox is unavailable", "mailbox not found", "5.1.1", "5.1.10",
	"5.1.6", "5.1.2", "address rejected", "sender address rejected",
	"recipient address rejected", ": ", ":", "greylisted", "try again",
	"temporarily", "quota", "mailbox full", "over quota",
	"access denied", "a", "invalid recipient", "recipient", "mailbox",
	"user", "address", "not", "found", "notfound", "not a valid user",
	"unrouteable address", "unknown local part",
	"host or domain name not found. name service error for name=",
	"example.org", " type=MX: host not found", ", try again",
	"host unknown (name server: ", "host not found)", "doesn't have a",
	"doesn't have an", "yahoo.com account", "account ",
	"that you tried to reach ", "is ", "has been ", "disabled",
	"550 ", "554 5.7.1 ", "x", "9", "_", "-", ".", "(", ")", ";", "<",
	">", "\t", "\r\n", "\xe9", "\xff",
	"SMTP error from remote mail server after end of data: "
};

/* next_random - a fixed sequence (xorshift64), the same every run */
static uint64_t
next_random(uint64_t *state)
{
	*state ^= *state << 13;
	*state ^= *state >> 7;
	*state ^= *state << 17;
	return *state;
}

/*
 * test_prefilter_generated - the prefilter agrees with PCRE2 on texts
 * made of pieces of the patterns' phrases, their near misses and
 * filler, run together or apart, in mixed case, some longer than the
 * prefilter trusts its sure strings for
 */
START_TEST(test_prefilter_generated)
{
	static const char *const seps[] = { "", " ", " ", "  ", "-" };
	const size_t	 npieces = sizeof(pieces) / sizeof(pieces[0]);
	struct classifier *cls = classifier_new();
	uint64_t	 rnd = 0x5eed5eed12345678ULL;
	size_t		 bad = 0, found = 0, len, k, n, i, fill;
	char		 buf[1400];
	const char	*p;
	int		 round;

	for (round = 0; round < 40000; round++) {
		len = 0;
		n = 1 + next_random(&rnd) % 8;
		for (k = 0; k < n; k++) {
			if (next_random(&rnd) % 8 == 0) {
				/* Filler: the gaps the patterns bound. */
				fill = next_random(&rnd) % (round % 50 == 0 ?
				    1100 : 180);
				for (i = 0; i < fill && len < sizeof(buf) - 1;
				    i++)
					buf[len++] = (char)('a' +
					    next_random(&rnd) % 26);
			}
			p = seps[next_random(&rnd) % 5];
			for (; *p != '\0' && len < sizeof(buf) - 1; p++)
				buf[len++] = *p;
			p = pieces[next_random(&rnd) % npieces];
			for (; *p != '\0' && len < sizeof(buf) - 1; p++)
				buf[len++] = *p;
		}
		if (next_random(&rnd) % 4 == 0)
			for (i = 0; i < len; i++)
				if (buf[i] >= 'a' && buf[i] <= 'z' &&
				    next_random(&rnd) % 2 == 0)
					buf[i] = (char)(buf[i] - 'a' + 'A');
		found += classifier_classify_patterns(cls, buf, len) !=
		    RESPONSE_NONE;
		bad += !agree(cls, buf, len);
	}
	ck_assert_uint_eq(bad, 0);
	/* Most texts say something: the pieces do reach the patterns. */
	ck_assert_uint_gt(found, 20000);
	classifier_free(cls);
}
END_TEST

/*
 * test_prefilter_split - a text of 64 bytes or more is scanned as four
 * parts at once, each walk but the first starting 16 bytes early and
 * checked against the one before at the seam: every piece at every
 * offset of texts of lengths around and past that, alone in filler
 * and after a word, where a string and its veto may lie across a seam
 * or inside a walk's first bytes
 */
START_TEST(test_prefilter_split)
{
	static const size_t lens[] = { 63, 64, 67, 121, 150, 257 };
	static const char *const before[] = { "", "not ", "sender address " };
	/* Whole matches that need their longest string seen. */
	static const char *const whole[] = {
		"host or domain name not found. name service error for "
		"name=x.test type=MX: host not found",
		"host unknown (name server: a) host not found)"
	};
	const size_t	 npieces = sizeof(pieces) / sizeof(pieces[0]);
	const size_t	 nwhole = sizeof(whole) / sizeof(whole[0]);
	struct classifier *cls = classifier_new();
	size_t		 bad = 0, l, k, w, o, plen, wlen, len;
	const char	*piece;
	char		 buf[400];

	for (l = 0; l < sizeof(lens) / sizeof(lens[0]); l++) {
		len = lens[l];
		for (k = 0; k < npieces + nwhole; k++)
			for (w = 0; w < sizeof(before) / sizeof(before[0]);
			    w++) {
				piece = k < npieces ? pieces[k] :
				    whole[k - npieces];
				plen = strlen(piece);
				wlen = strlen(before[w]);
				for (o = 0; o + wlen + plen <= len; o++) {
					memset(buf, '#', len);
					memcpy(buf + o, before[w], wlen);
					memcpy(buf + o + wlen, piece, plen);
					bad += !agree(cls, buf, len);
				}
			}
	}
	ck_assert_uint_eq(bad, 0);
	classifier_free(cls);
}
END_TEST

/*
 * test_prefilter_seam_veto - a veto whose first bytes lie before a
 * walk's start while the string it cancels ends in the walk: "Sender
 * address rejected: a" is no unknown user, at any offset of any length
 * (a walk that reported what it saw before its part, or took its part
 * without checking the seam, calls it one)
 */
START_TEST(test_prefilter_seam_veto)
{
	static const char *const texts[] = {
		"sender address rejected: access denied",
		"host or domain name not found. name service error for name=",
		"not listed at"
	};
	struct classifier *cls = classifier_new();
	size_t		 bad = 0, i, len, o, tlen;
	char		 buf[300];

	for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		tlen = strlen(texts[i]);
		for (len = tlen; len <= sizeof(buf); len++)
			for (o = 0; o + tlen <= len; o++) {
				memset(buf, '#', len);
				memcpy(buf + o, texts[i], tlen);
				bad += !agree(cls, buf, len);
			}
	}
	ck_assert_uint_eq(bad, 0);
	classifier_free(cls);
}
END_TEST

/* test_prefilter_added - configured patterns run whatever the scan says */
START_TEST(test_prefilter_added)
{
	struct classifier *cls = classifier_new();
	const char *text = "550 5.7.1 frobnicated by the gateway";
	char	 err[256];

	ck_assert_int_eq(classifier_classify(cls, text, strlen(text)),
	    RESPONSE_NONE);
	ck_assert(classifier_add(cls, RESPONSE_SPAM, "frobnicat", err,
	    sizeof(err)));
	ck_assert_int_eq(classifier_classify(cls, text, strlen(text)),
	    RESPONSE_SPAM);
	ck_assert_int_eq(classifier_classify_patterns(cls, text,
	    strlen(text)), RESPONSE_SPAM);
	/* An added blocklist pattern still comes before a sure spam word. */
	text = "gateway frobnicated: bulk mail";
	ck_assert(classifier_add(cls, RESPONSE_BLOCKLIST, "gateway frob",
	    err, sizeof(err)));
	ck_assert_int_eq(classifier_classify(cls, text, strlen(text)),
	    RESPONSE_BLOCKLIST);
	classifier_free(cls);
}
END_TEST

/* test_table_size - the table covers the ground the module promises */
START_TEST(test_table_size)
{
	size_t	per_class[RESPONSE_CLASS_COUNT] = { 0 };
	size_t	i;
	int	c;

	ck_assert_uint_ge(sizeof(cases) / sizeof(cases[0]), 40);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		per_class[cases[i].expected]++;
	for (c = 0; c < RESPONSE_CLASS_COUNT; c++)
		ck_assert_uint_ge(per_class[c], 5);
}
END_TEST

/* test_status - RFC 3463 status codes when the text says nothing */
START_TEST(test_status)
{
	static const struct {
		const char		*status;
		enum response_class	 expected;
	} st[] = {
		{ "5.1.1", RESPONSE_UNKNOWN_USER },
		{ "5.1.2", RESPONSE_UNKNOWN_USER },
		{ "5.1.3", RESPONSE_UNKNOWN_USER },
		{ "5.1.6", RESPONSE_UNKNOWN_USER },
		{ "5.1.10", RESPONSE_UNKNOWN_USER },
		{ "4.1.1", RESPONSE_UNKNOWN_USER },
		{ "5.1.7", RESPONSE_NONE },	/* the sender's address */
		{ "5.1.8", RESPONSE_NONE },
		{ "5.5.3", RESPONSE_RATE_LIMIT },
		{ "5.7.1", RESPONSE_REPUTATION },
		{ "5.7.520", RESPONSE_REPUTATION },
		{ "4.7.0", RESPONSE_REPUTATION },
		{ "5.2.2", RESPONSE_NONE },
		{ "4.4.1", RESPONSE_NONE },
		{ "5.0.0", RESPONSE_NONE },
		{ "2.0.0", RESPONSE_NONE },
		{ "5.1.1000", RESPONSE_NONE },
		{ "5.7", RESPONSE_NONE },
		{ "5.7.", RESPONSE_NONE },
		{ "5..1", RESPONSE_NONE },
		{ "5.7.1 ", RESPONSE_NONE },
		{ " 5.7.1", RESPONSE_NONE },
		{ "5.+7.1", RESPONSE_NONE },
		{ "5.7.-1", RESPONSE_NONE },
		{ "", RESPONSE_NONE },
		{ NULL, RESPONSE_NONE }
	};
	size_t	i;

	for (i = 0; i < sizeof(st) / sizeof(st[0]); i++)
		ck_assert_msg(response_class_of_status(st[i].status) ==
		    st[i].expected, "status \"%s\"",
		    st[i].status ? st[i].status : "(null)");
}
END_TEST

/*
 * test_neutral - classifier_is_neutral() finds a neutral string
 * wherever it stands in a text of any length (the scan walks long
 * texts in parts), and a configured pattern does not give such a text
 * a class.
 */
START_TEST(test_neutral)
{
	static const char *const neutral[] = {
		"451 4.7.1 GREYLISTED, please try again later",
		"554 5.7.1 <a@example.com>: Relay access denied",
		"SASL authentication failed; server x[192.0.2.1] said: 535",
		"553 5.1.8 Domain of sender address a@b.test does not exist",
	};
	static const char *const other[] = {
		"550 5.7.1 Message rejected as spam",
		"550 5.1.1 User unknown",
		"451 4.7.1 Please try again later",
		"550 5.7.1 relay denied",
		"",
	};
	struct classifier *cls = classifier_new();
	char	 buf[600], err[256];
	size_t	 i, at, n;

	for (i = 0; i < sizeof(neutral) / sizeof(neutral[0]); i++)
		ck_assert_msg(classifier_is_neutral(cls, neutral[i],
		    strlen(neutral[i])), "%s", neutral[i]);
	for (i = 0; i < sizeof(other) / sizeof(other[0]); i++)
		ck_assert_msg(!classifier_is_neutral(cls, other[i],
		    strlen(other[i])), "%s", other[i]);
	ck_assert(!classifier_is_neutral(cls, NULL, 0));
	/* "relay access denied" at every offset of a 500-byte text */
	n = strlen("relay access denied");
	for (at = 0; at + n <= 500; at++) {
		memset(buf, 'x', 500);
		memcpy(buf + at, "relay access denied", n);
		ck_assert_msg(classifier_is_neutral(cls, buf, 500),
		    "offset %zu", at);
		ck_assert_int_eq(classifier_classify(cls, buf, 500),
		    RESPONSE_NONE);
		ck_assert(agree(cls, buf, 500));
	}
	/* ... but a blocklisting or spam verdict it names stays one */
	ck_assert_int_eq(classifier_classify(cls, "554 5.7.1 Client host "
	    "[192.0.2.1] blocked using zen.spamhaus.org; greylisting will "
	    "not help", 91), RESPONSE_BLOCKLIST);
	ck_assert(agree(cls, "554 5.7.1 Client host [192.0.2.1] blocked using "
	    "zen.spamhaus.org; greylisting will not help", 91));
	ck_assert_int_eq(classifier_classify(cls, "554 Relay access denied: "
	    "message rejected as spam", 49), RESPONSE_SPAM);
	/* the blocklist patterns, not only its sure words */
	ck_assert_int_eq(classifier_classify(cls, "554 Relay access denied; "
	    "client host [192.0.2.1] listed in dnsbl.sorbs.net", 74),
	    RESPONSE_BLOCKLIST);
	ck_assert(agree(cls, "554 Relay access denied; client host "
	    "[192.0.2.1] listed in dnsbl.sorbs.net", 74));
	ck_assert(classifier_add(cls, RESPONSE_REPUTATION, "greylist", err,
	    sizeof(err)));
	ck_assert_int_eq(classifier_classify(cls, neutral[0],
	    strlen(neutral[0])), RESPONSE_NONE);
	ck_assert_int_eq(classifier_classify_patterns(cls, neutral[0],
	    strlen(neutral[0])), RESPONSE_NONE);
	classifier_free(cls);
}
END_TEST

/* test_null_and_empty - no text means no class */
START_TEST(test_null_and_empty)
{
	struct classifier *cls = classifier_new();

	ck_assert_int_eq(classifier_classify(cls, NULL, 0), RESPONSE_NONE);
	ck_assert_int_eq(classifier_classify(cls, NULL, 10), RESPONSE_NONE);
	ck_assert_int_eq(classifier_classify(cls, "user unknown", 0),
	    RESPONSE_NONE);
	/* len is honoured: only "user" is looked at. */
	ck_assert_int_eq(classifier_classify(cls, "user unknown", 4),
	    RESPONSE_NONE);
	ck_assert_int_eq(classifier_classify(cls, "user unknown", 12),
	    RESPONSE_UNKNOWN_USER);
	classifier_free(cls);
	classifier_free(NULL);
}
END_TEST

/* test_case_insensitive - patterns ignore ASCII case */
START_TEST(test_case_insensitive)
{
	struct classifier *cls = classifier_new();
	const char *text = "554 CLIENT HOST [192.0.2.1] BLOCKED USING "
	    "ZEN.SPAMHAUS.ORG";

	ck_assert_int_eq(classifier_classify(cls, text, strlen(text)),
	    RESPONSE_BLOCKLIST);
	text = "550 5.1.1 USER UNKNOWN";
	ck_assert_int_eq(classifier_classify(cls, text, strlen(text)),
	    RESPONSE_UNKNOWN_USER);
	classifier_free(cls);
}
END_TEST

/* test_binary_text - invalid UTF-8 and NUL bytes are just bytes */
START_TEST(test_binary_text)
{
	struct classifier *cls = classifier_new();
	static const char text[] = "550 \xff\xfe\xc3 Benutzer \x00 "
	    "unbekannt \xe9t\xe9: user unknown \x80";
	static const char junk[] = "\xff\xff\xff\xc0\x80\xed\xa0\x80";
	char	*big;
	size_t	 n = 1 << 20;

	ck_assert_int_eq(classifier_classify(cls, text, sizeof(text) - 1),
	    RESPONSE_UNKNOWN_USER);
	ck_assert_int_eq(classifier_classify(cls, junk, sizeof(junk) - 1),
	    RESPONSE_NONE);
	/* A megabyte of near-misses finishes and matches nothing. */
	big = malloc(n);
	ck_assert_ptr_nonnull(big);
	memset(big, 'a', n);
	memcpy(big + n / 2, "4.7.1 try again", 15);
	ck_assert_int_eq(classifier_classify(cls, big, n), RESPONSE_NONE);
	free(big);
	classifier_free(cls);
}
END_TEST

/* test_add - added patterns extend a class, after its built-in one */
START_TEST(test_add)
{
	struct classifier *cls = classifier_new();
	const char *text = "550 5.7.1 Zugriff verweigert: Versandlimit "
	    "erreicht";
	const char *both = "550 Versandlimit erreicht, Benutzer unbekannt";
	char	err[256];

	ck_assert_int_eq(classifier_classify(cls, text, strlen(text)),
	    RESPONSE_NONE);
	ck_assert(classifier_add(cls, RESPONSE_RATE_LIMIT,
	    "versandlimit", err, sizeof(err)));
	ck_assert(classifier_add(cls, RESPONSE_UNKNOWN_USER,
	    "benutzer unbekannt", err, sizeof(err)));
	ck_assert(classifier_add(cls, RESPONSE_BLOCKLIST,
	    "^554 local-bl-[0-9]+", err, sizeof(err)));
	ck_assert_int_eq(classifier_classify(cls, text, strlen(text)),
	    RESPONSE_RATE_LIMIT);
	/* Both match: class order decides, not the order of adding. */
	ck_assert_int_eq(classifier_classify(cls, both, strlen(both)),
	    RESPONSE_RATE_LIMIT);
	/* Added patterns are caseless too. */
	text = "554 LOCAL-BL-42 go away";
	ck_assert_int_eq(classifier_classify(cls, text, strlen(text)),
	    RESPONSE_BLOCKLIST);
	/* The built-in ones still work. */
	text = "452 4.5.3 too many recipients";
	ck_assert_int_eq(classifier_classify(cls, text, strlen(text)),
	    RESPONSE_RATE_LIMIT);
	classifier_free(cls);
}
END_TEST

/* test_add_errors - bad patterns and classes are refused, with reasons */
START_TEST(test_add_errors)
{
	struct classifier *cls = classifier_new();
	const char *text = "abc too many recipients";
	char	err[256];

	err[0] = '\0';
	ck_assert(!classifier_add(cls, RESPONSE_SPAM, "(unclosed", err,
	    sizeof(err)));
	ck_assert_msg(strncmp(err, "(unclosed: offset 9: ", 21) == 0,
	    "err: %s", err);
	ck_assert_ptr_nonnull(strstr(err, "parenthesis"));

	err[0] = '\0';
	ck_assert(!classifier_add(cls, RESPONSE_SPAM, "a[b", err,
	    sizeof(err)));
	ck_assert_msg(strncmp(err, "a[b: offset 3: ", 15) == 0, "err: %s",
	    err);

	err[0] = '\0';
	ck_assert(!classifier_add(cls, RESPONSE_NONE, "x", err,
	    sizeof(err)));
	ck_assert_str_eq(err, "x: invalid class");
	ck_assert(!classifier_add(cls, RESPONSE_CLASS_COUNT, "x", err,
	    sizeof(err)));
	/* No room for a message is fine. */
	ck_assert(!classifier_add(cls, RESPONSE_SPAM, "*", NULL, 0));
	ck_assert(!classifier_add(cls, RESPONSE_SPAM, "*", err, 1));
	ck_assert_str_eq(err, "");
	/* Failed additions leave the classifier as it was. */
	ck_assert_int_eq(classifier_classify(cls, text, strlen(text)),
	    RESPONSE_RATE_LIMIT);
	classifier_free(cls);
}
END_TEST

/* test_names - names and their parsing */
START_TEST(test_names)
{
	static const char *const names[RESPONSE_CLASS_COUNT] = {
		"none", "blocklist", "spam", "reputation", "rate_limit",
		"unknown_user"
	};
	enum response_class parsed;
	int	c;

	for (c = 0; c < RESPONSE_CLASS_COUNT; c++) {
		ck_assert_str_eq(response_class_name(c), names[c]);
		ck_assert(response_class_from_name(names[c], &parsed));
		ck_assert_int_eq(parsed, c);
	}
	ck_assert_str_eq(response_class_name(RESPONSE_CLASS_COUNT), "none");
	ck_assert(response_class_from_name("Rate_Limit", &parsed));
	ck_assert_int_eq(parsed, RESPONSE_RATE_LIMIT);
	ck_assert(!response_class_from_name("ratelimit", &parsed));
	ck_assert(!response_class_from_name(NULL, &parsed));
}
END_TEST

struct thread_arg {
	const struct classifier *cls;
	int		 mismatches;
};

/* classify_thread - classify the whole table many times */
static void *
classify_thread(void *p)
{
	struct thread_arg *arg = p;
	size_t	i;
	int	round;

	for (round = 0; round < 50; round++) {
		for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
			if (classifier_classify(arg->cls, cases[i].text,
			    strlen(cases[i].text)) != cases[i].expected)
				arg->mismatches++;
		}
	}
	return NULL;
}

/* test_threads - one classifier shared by several threads */
START_TEST(test_threads)
{
	struct classifier *cls = classifier_new();
	struct thread_arg args[4];
	pthread_t threads[4];
	int	i;

	for (i = 0; i < 4; i++) {
		args[i].cls = cls;
		args[i].mismatches = 0;
		ck_assert_int_eq(pthread_create(&threads[i], NULL,
		    classify_thread, &args[i]), 0);
	}
	for (i = 0; i < 4; i++) {
		ck_assert_int_eq(pthread_join(threads[i], NULL), 0);
		ck_assert_int_eq(args[i].mismatches, 0);
	}
	classifier_free(cls);
}
END_TEST

/* classify_suite - the suite */
static Suite *
classify_suite(void)
{
	Suite	*s = suite_create("classify");
	TCase	*tc = tcase_create("core");

	/* The prefilter tests run PCRE2 on many texts: room on a busy
	   machine. */
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_table, 0,
	    (int)(sizeof(cases) / sizeof(cases[0])));
	tcase_add_test(tc, test_table_size);
	tcase_add_test(tc, test_prefilter_table);
	tcase_add_test(tc, test_prefilter_logs);
	tcase_add_test(tc, test_prefilter_offsets);
	tcase_add_test(tc, test_prefilter_generated);
	tcase_add_test(tc, test_prefilter_split);
	tcase_add_test(tc, test_prefilter_seam_veto);
	tcase_add_test(tc, test_prefilter_added);
	tcase_add_test(tc, test_status);
	tcase_add_test(tc, test_neutral);
	tcase_add_test(tc, test_null_and_empty);
	tcase_add_test(tc, test_case_insensitive);
	tcase_add_test(tc, test_binary_text);
	tcase_add_test(tc, test_add);
	tcase_add_test(tc, test_add_errors);
	tcase_add_test(tc, test_names);
	tcase_add_test(tc, test_threads);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return run_suite(classify_suite());
}
