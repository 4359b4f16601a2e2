/*
 * check_syslog - unit tests for parsers/syslog: both framings, the BSD
 * and Solaris additions, time zones, year inference and malformed
 * headers.
 *
 * Expected times were computed independently with date(1), e.g.
 * date -u -d '2026-11-26 21:31:55' +%s.
 */
#include "config.h"

#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "parsers/syslog.h"
#include "util/xalloc.h"
#include "util/zstr.h"
#include "tests/tz_switch.h"
#include "tests/testutil.h"

#define T_2026_11_26_213155	INT64_C(1795728715)

/* One line parsed by a fresh parser with year 2026 (TZ=UTC). */
struct header_case {
	const char	*line;
	int64_t		 time_sec;
	uint32_t	 usec;
	const char	*host;
	const char	*program;
	const char	*service;
	const char	*instance;
	int64_t		 pid;
	const char	*message;
};

static const struct header_case header_cases[] = {
	{ "Nov 26 21:31:55 relay1 postfix/smtpd[123]: connect from "
	    "x.example.net[192.0.2.1]", T_2026_11_26_213155, 0, "relay1",
	    "postfix/smtpd", "smtpd", "postfix", 123,
	    "connect from x.example.net[192.0.2.1]" },
	/* classic syslogd pads one-digit days with a space */
	{ "Nov  6 01:02:03 relay1 postfix/qmgr[7]: 4B1F2C0A3D: removed",
	    INT64_C(1793926923), 0, "relay1", "postfix/qmgr", "qmgr",
	    "postfix", 7, "4B1F2C0A3D: removed" },
	{ "Nov 06 01:02:03 relay1 postfix/qmgr[7]: x",
	    INT64_C(1793926923), 0, "relay1", "postfix/qmgr", "qmgr",
	    "postfix", 7, "x" },
	/* and some writers use a single space */
	{ "Mar 7 02:09:33 mx2 postfix/smtpd[27246]: x",
	    INT64_C(1772849373), 0, "mx2", "postfix/smtpd", "smtpd",
	    "postfix", 27246, "x" },
	/* no pid */
	{ "Nov 26 21:31:55 relay1 CRON: (root) CMD (true)",
	    T_2026_11_26_213155, 0, "relay1", "CRON", "CRON", "CRON", -1,
	    "(root) CMD (true)" },
	{ "Nov 26 21:31:55 relay1 postfix/postfix-script: starting",
	    T_2026_11_26_213155, 0, "relay1", "postfix/postfix-script",
	    "postfix-script", "postfix", -1, "starting" },
	/* PRI prefix */
	{ "<22>Nov 26 21:31:55 relay1 postfix/smtp[9]: m",
	    T_2026_11_26_213155, 0, "relay1", "postfix/smtp", "smtp",
	    "postfix", 9, "m" },
	/* ISO 8601 stamps with fractions and offsets */
	{ "2026-11-26T21:31:55.123456+01:00 relay1 "
	    "postfix/submission/smtpd[42]: m", T_2026_11_26_213155 - 3600,
	    123456, "relay1", "postfix/submission/smtpd", "smtpd",
	    "postfix", 42, "m" },
	{ "2026-11-26T21:31:55Z relay1 postfix-out/smtp[5]: m",
	    T_2026_11_26_213155, 0, "relay1", "postfix-out/smtp", "smtp",
	    "postfix-out", 5, "m" },
	{ "2026-11-26T21:31:55-05:00 relay1 p[1]: m",
	    T_2026_11_26_213155 + 5 * 3600, 0, "relay1", "p", "p", "p", 1,
	    "m" },
	{ "2026-11-26T21:31:55+0100 relay1 p[1]: m",
	    T_2026_11_26_213155 - 3600, 0, "relay1", "p", "p", "p", 1, "m" },
	{ "2026-11-26T21:31:55.5-0530 relay1 p[1]: m",
	    T_2026_11_26_213155 + 5 * 3600 + 1800, 500000, "relay1", "p",
	    "p", "p", 1, "m" },
	{ "2026-11-26T21:31:55.1234567891+00 relay1 p[1]: m",
	    T_2026_11_26_213155, 123456, "relay1", "p", "p", "p", 1, "m" },
	{ "2022-04-14T00:36:03.150Z mailhub postfix/smtps/smtpd[30543]: m",
	    INT64_C(1649896563), 150000, "mailhub", "postfix/smtps/smtpd",
	    "smtpd", "postfix", 30543, "m" },
	/* no zone: local time, UTC in this test */
	{ "2026-11-26T21:31:55 relay1 p[1]: m", T_2026_11_26_213155, 0,
	    "relay1", "p", "p", "p", 1, "m" },
	{ "2026-11-26 21:31:55 relay1 p[1]: m", T_2026_11_26_213155, 0,
	    "relay1", "p", "p", "p", 1, "m" },
	/* RFC 5424 version prefix in front of a classic tag */
	{ "<34>1 2026-11-26T21:31:55.000001Z relay1 postfix-out/smtp[77]: m",
	    T_2026_11_26_213155, 1, "relay1", "postfix-out/smtp", "smtp",
	    "postfix-out", 77, "m" },
	/* genuine RFC 5424: PROCID, MSGID, structured data, BOM */
	{ "<34>1 2026-11-26T21:31:55Z relay1 postfix/smtpd 123 - - "
	    "connect from a[192.0.2.9]", T_2026_11_26_213155, 0, "relay1",
	    "postfix/smtpd", "smtpd", "postfix", 123,
	    "connect from a[192.0.2.9]" },
	{ "<165>1 2026-11-26T21:31:55Z relay1 app - ID47 "
	    "[ex@32473 iut=\"3\" src=\"a\\\"]b\"][more x=\"y\"] \xef\xbb\xbfhi",
	    T_2026_11_26_213155, 0, "relay1", "app", "app", "app", -1, "hi" },
	{ "<165>1 2026-11-26T21:31:55Z relay1 app 77 - -",
	    T_2026_11_26_213155, 0, "relay1", "app", "app", "app", 77, "" },
	/* empty message after the colon */
	{ "Nov 26 21:31:55 relay1 postfix/smtpd[123]:", T_2026_11_26_213155,
	    0, "relay1", "postfix/smtpd", "smtpd", "postfix", 123, "" },
	{ "Nov 26 21:31:55 relay1 postfix/smtpd[123]: ", T_2026_11_26_213155,
	    0, "relay1", "postfix/smtpd", "smtpd", "postfix", 123, "" },
	/* IPv6 and brackets in the message are the message's business */
	{ "Nov 26 21:31:55 relay1 postfix/smtpd[123]: connect from "
	    "unknown[2001:db8::1]:25", T_2026_11_26_213155, 0, "relay1",
	    "postfix/smtpd", "smtpd", "postfix", 123,
	    "connect from unknown[2001:db8::1]:25" },
	/* RFC 3164 TAG ended by a space (classic syslogd) */
	{ "Nov 26 21:31:55 relay1 last message repeated 3 times",
	    T_2026_11_26_213155, 0, "relay1", "last", "last", "last", -1,
	    "message repeated 3 times" },
	/* multi-instance and service-prefixed program names */
	{ "Nov 26 21:31:55 relay1 postfix-smo/submission/smtpd[22427]: m",
	    T_2026_11_26_213155, 0, "relay1", "postfix-smo/submission/smtpd",
	    "smtpd", "postfix-smo", 22427, "m" },
	/* a leap second counts as the next minute's first */
	{ "Dec 31 23:59:60 relay1 p[1]: m", INT64_C(1798761600), 0,
	    "relay1", "p", "p", "p", 1, "m" },
	/* fractional seconds after a classic stamp */
	{ "Nov 26 21:31:55.25 relay1 p[1]: m", T_2026_11_26_213155, 250000,
	    "relay1", "p", "p", "p", 1, "m" },
	/* UTF-8 host names pass through */
	{ "Nov 26 21:31:55 r\xc3\xa9lais p[1]: m", T_2026_11_26_213155, 0,
	    "r\xc3\xa9lais", "p", "p", "p", 1, "m" },
	/* the largest pid accepted */
	{ "Nov 26 21:31:55 relay1 p[999999999999999999]: m",
	    T_2026_11_26_213155, 0, "relay1", "p", "p", "p",
	    INT64_C(999999999999999999), "m" },
};

#define T_2026_06_17_143739	INT64_C(1781707059)

/*
 * FreeBSD and NetBSD syslogd -v and -vv: "<facility.priority> " before
 * the host, and lines that only look like it (the '<' is the host's).
 */
static const struct header_case facpri_cases[] = {
	{ "Jun 17 14:37:39 <mail.notice> robin sm-mta[2794]: "
	    "55HIbcGI002794: from=<root@yourhost.com>, size=108",
	    T_2026_06_17_143739, 0, "robin", "sm-mta", "sm-mta", "sm-mta",
	    2794, "55HIbcGI002794: from=<root@yourhost.com>, size=108" },
	{ "Jun 17 14:37:39 <2.6> robin sm-mta[2794]: 55HIbcGI002794: x",
	    T_2026_06_17_143739, 0, "robin", "sm-mta", "sm-mta", "sm-mta",
	    2794, "55HIbcGI002794: x" },
	/* a name with digits, and a number for a value without a name */
	{ "Jun 17 14:37:39 <local0.info> mx1 postfix/smtpd[7]: m",
	    T_2026_06_17_143739, 0, "mx1", "postfix/smtpd", "smtpd",
	    "postfix", 7, "m" },
	{ "Jun 17 14:37:39 <14.info> mx1 p: m", T_2026_06_17_143739, 0,
	    "mx1", "p", "p", "p", -1, "m" },
	{ "<22>Jun 17 14:37:39 <mail.info> mx1 p[1]: m",
	    T_2026_06_17_143739, 0, "mx1", "p", "p", "p", 1, "m" },
	{ "2026-06-17T14:37:39Z <mail.info> mx1 p[1]: m",
	    T_2026_06_17_143739, 0, "mx1", "p", "p", "p", 1, "m" },
	{ "2026-06-17 14:37:39 <mail.info> mx1 exim[1]: m",
	    T_2026_06_17_143739, 0, "mx1", "exim", "exim", "exim", 1, "m" },
	/* 32 bytes of facility.priority, the most read */
	{ "Jun 17 14:37:39 <abcdefghijklmnop.abcdefghijklmno> mx1 p[1]: m",
	    T_2026_06_17_143739, 0, "mx1", "p", "p", "p", 1, "m" },
	/* only one is passed */
	{ "Jun 17 14:37:39 <mail.info> <mail.info> p[1]: m",
	    T_2026_06_17_143739, 0, "<mail.info>", "p", "p", "p", 1, "m" },
	/* not such a prefix: the host opens with '<' */
	{ "Jun 17 14:37:39 <abcdefghijklmnop.abcdefghijklmnop> mx1 p[1]: m",
	    T_2026_06_17_143739, 0, "<abcdefghijklmnop.abcdefghijklmnop>",
	    "mx1", "mx1", "mx1", -1, "p[1]: m" },
	{ "Jun 17 14:37:39 <Mail.notice> mx1 p[1]: m", T_2026_06_17_143739,
	    0, "<Mail.notice>", "mx1", "mx1", "mx1", -1, "p[1]: m" },
	{ "Jun 17 14:37:39 <mail> mx1 p[1]: m", T_2026_06_17_143739, 0,
	    "<mail>", "mx1", "mx1", "mx1", -1, "p[1]: m" },
	{ "Jun 17 14:37:39 <mail.> mx1 p[1]: m", T_2026_06_17_143739, 0,
	    "<mail.>", "mx1", "mx1", "mx1", -1, "p[1]: m" },
	{ "Jun 17 14:37:39 <.info> mx1 p[1]: m", T_2026_06_17_143739, 0,
	    "<.info>", "mx1", "mx1", "mx1", -1, "p[1]: m" },
	{ "Jun 17 14:37:39 <mail.info.x> mx1 p[1]: m", T_2026_06_17_143739,
	    0, "<mail.info.x>", "mx1", "mx1", "mx1", -1, "p[1]: m" },
	{ "Jun 17 14:37:39 <mail-x.info> mx1 p[1]: m", T_2026_06_17_143739,
	    0, "<mail-x.info>", "mx1", "mx1", "mx1", -1, "p[1]: m" },
	{ "Jun 17 14:37:39 <mail.info>mx1 p[1]: m", T_2026_06_17_143739, 0,
	    "<mail.info>mx1", "p", "p", "p", 1, "m" },
	{ "Jun 17 14:37:39 <mail.info mx1 p[1]: m", T_2026_06_17_143739, 0,
	    "<mail.info", "mx1", "mx1", "mx1", -1, "p[1]: m" },
	/* RFC 5424 has a HOSTNAME there: nothing is passed */
	{ "<13>1 2026-06-17T14:37:39Z <mail.info> app 1 - - m",
	    T_2026_06_17_143739, 0, "<mail.info>", "app", "app", "app", 1,
	    "m" },
};

#define T_2026_08_11_055540	INT64_C(1786427740)

/*
 * Solaris syslogd's message IDs: "[ID <digits> facility.level] " in
 * front of the message is not part of it; near misses are.
 */
static const struct header_case msgid_cases[] = {
	{ "Aug 11 05:55:40 relay_host sendmail[25741]: [ID 801593 mail.info] "
	    "q7B4teTq025741: from=<root@example.com>, size=1741",
	    T_2026_08_11_055540, 0, "relay_host", "sendmail", "sendmail",
	    "sendmail", 25741,
	    "q7B4teTq025741: from=<root@example.com>, size=1741" },
	{ "Aug 11 05:55:40 relay_host sendmail: [ID 801593 mail.info] "
	    "q7B4teTq025741: x", T_2026_08_11_055540, 0, "relay_host",
	    "sendmail", "sendmail", "sendmail", -1, "q7B4teTq025741: x" },
	{ "Aug 11 05:55:40 relay1 postfix/smtpd[1]: "
	    "[ID 4294967295 local7.notice] connect from a[192.0.2.1]",
	    T_2026_08_11_055540, 0, "relay1", "postfix/smtpd", "smtpd",
	    "postfix", 1, "connect from a[192.0.2.1]" },
	{ "Aug 11 05:55:40 relay1 p[1]: [ID 7 mail.info] ",
	    T_2026_08_11_055540, 0, "relay1", "p", "p", "p", 1, "" },
	{ "Aug 11 05:55:40 relay1 p[1]:[ID 7 mail.info] m",
	    T_2026_08_11_055540, 0, "relay1", "p", "p", "p", 1, "m" },
	/* with the BSD prefix as well, and only one ID taken away */
	{ "Aug 11 05:55:40 <mail.info> relay1 p[1]: [ID 7 mail.info] m",
	    T_2026_08_11_055540, 0, "relay1", "p", "p", "p", 1, "m" },
	{ "Aug 11 05:55:40 relay1 p[1]: [ID 7 mail.info] [ID 8 mail.info] m",
	    T_2026_08_11_055540, 0, "relay1", "p", "p", "p", 1,
	    "[ID 8 mail.info] m" },
	/* near misses stay in the message */
	{ "Aug 11 05:55:40 relay1 p[1]: [ID x mail.info] m",
	    T_2026_08_11_055540, 0, "relay1", "p", "p", "p", 1,
	    "[ID x mail.info] m" },
	{ "Aug 11 05:55:40 relay1 p[1]: [ID 123 mail.info]",
	    T_2026_08_11_055540, 0, "relay1", "p", "p", "p", 1,
	    "[ID 123 mail.info]" },
	{ "Aug 11 05:55:40 relay1 p[1]: [ID 123 mail.info]m",
	    T_2026_08_11_055540, 0, "relay1", "p", "p", "p", 1,
	    "[ID 123 mail.info]m" },
	{ "Aug 11 05:55:40 relay1 p[1]: [ID 12345678901 mail.info] m",
	    T_2026_08_11_055540, 0, "relay1", "p", "p", "p", 1,
	    "[ID 12345678901 mail.info] m" },
	{ "Aug 11 05:55:40 relay1 p[1]: [ID  123 mail.info] m",
	    T_2026_08_11_055540, 0, "relay1", "p", "p", "p", 1,
	    "[ID  123 mail.info] m" },
	{ "Aug 11 05:55:40 relay1 p[1]: [ID 123  mail.info] m",
	    T_2026_08_11_055540, 0, "relay1", "p", "p", "p", 1,
	    "[ID 123  mail.info] m" },
	{ "Aug 11 05:55:40 relay1 p[1]: [ID 123] m",
	    T_2026_08_11_055540, 0, "relay1", "p", "p", "p", 1,
	    "[ID 123] m" },
	{ "Aug 11 05:55:40 relay1 p[1]: [ID 123 mail] m",
	    T_2026_08_11_055540, 0, "relay1", "p", "p", "p", 1,
	    "[ID 123 mail] m" },
	{ "Aug 11 05:55:40 relay1 p[1]: [ID 123 Mail.info] m",
	    T_2026_08_11_055540, 0, "relay1", "p", "p", "p", 1,
	    "[ID 123 Mail.info] m" },
	{ "Aug 11 05:55:40 relay1 p[1]: [id 123 mail.info] m",
	    T_2026_08_11_055540, 0, "relay1", "p", "p", "p", 1,
	    "[id 123 mail.info] m" },
	{ "Aug 11 05:55:40 relay1 p[1]: [ID 123 "
	    "abcdefghijklmnop.abcdefghijklmnop] m",
	    T_2026_08_11_055540, 0, "relay1", "p", "p", "p", 1,
	    "[ID 123 abcdefghijklmnop.abcdefghijklmnop] m" },
	{ "Aug 11 05:55:40 relay1 p[1]: [192.0.2.1]: m",
	    T_2026_08_11_055540, 0, "relay1", "p", "p", "p", 1,
	    "[192.0.2.1]: m" },
	/* a RFC 5424 MSG and a tag ended by a space keep it */
	{ "<13>1 2026-08-11T05:55:40Z relay1 app 1 - - [ID 7 mail.info] m",
	    T_2026_08_11_055540, 0, "relay1", "app", "app", "app", 1,
	    "[ID 7 mail.info] m" },
	{ "Aug 11 05:55:40 relay1 last [ID 7 mail.info] m",
	    T_2026_08_11_055540, 0, "relay1", "last", "last", "last", -1,
	    "[ID 7 mail.info] m" },
};

/* Lines that are not syslog headers. */
static const char *const malformed_cases[] = {
	"",
	"garbage",
	"hello world: this is not syslog",
	"Foo 26 21:31:55 relay1 p[1]: m",		/* bad month */
	"nov 26 21:31:55 relay1 p[1]: m",		/* lower case */
	"Nov 26 25:31:55 relay1 p[1]: m",		/* hour 25 */
	"Nov 26 21:61:55 relay1 p[1]: m",		/* minute 61 */
	"Nov 26 21:31:61 relay1 p[1]: m",		/* second 61 */
	"Nov 32 21:31:55 relay1 p[1]: m",		/* day 32 */
	"Nov 00 21:31:55 relay1 p[1]: m",		/* day 0 */
	"Nov 31 21:31:55 relay1 p[1]: m",		/* November 31 */
	"Nov 26 21:31",					/* truncated */
	"Nov 26 21:31:55",
	"Nov 26 21:31:55 ",
	"Nov 26 21:31:55 relay1",
	"Nov 26 21:31:55 relay1 ",
	"Nov 26 21:31:55 relay1 postfix/smt",		/* tag cut short */
	"Nov 26 21:31:55 relay1 postfix/smtpd[12",
	"Nov 26 21:31:55 relay1 postfix/smtpd[]: m",
	"Nov 26 21:31:55 relay1 postfix/smtpd[abc]: m",
	"Nov 26 21:31:55 relay1 postfix/smtpd[-1]: m",
	"Nov 26 21:31:55 relay1 postfix/smtpd[123] m",	/* no colon */
	"Nov 26 21:31:55 relay1 postfix/smtpd[9999999999999999999]: m",
	"Nov 26 21:31:55 relay1 [123]: m",		/* no program */
	"Nov 26 21:31:55 relay1 : m",
	"Nov 26 21:31:55  relay1 p[1]: m",		/* no host */
	"Nov 26 21:31:55 relay1 p\x01x[1]: m",		/* control byte */
	"Nov 26 21:31:55 re\tlay1 p[1]: m",
	"Nov 26 21:31:55.x relay1 p[1]: m",		/* empty fraction */
	"Nov 2621:31:55 relay1 p[1]: m",
	"<999>Nov 26 21:31:55 relay1 p[1]: m",		/* PRI > 191 */
	"<1234>Nov 26 21:31:55 relay1 p[1]: m",
	"<>Nov 26 21:31:55 relay1 p[1]: m",
	"<13",
	"<13>",
	"<13>1 Nov 26 21:31:55 relay1 p[1]: m",		/* 5424 needs ISO */
	"<13>1 2026-11-26T21:31:55Z relay1 app",	/* 5424 cut short */
	"<13>1 2026-11-26T21:31:55Z relay1 app 1 - [x a=\"]",
	"<13>1 2026-11-26T21:31:55Z relay1 app 1 - junk msg",
	"2026-13-01T00:00:00Z relay1 p[1]: m",		/* month 13 */
	"2026-02-29T00:00:00Z relay1 p[1]: m",		/* not a leap year */
	"2026-11-26T21:31:55+25:00 relay1 p[1]: m",	/* offset */
	"2026-11-26T21:31:55+01:75 relay1 p[1]: m",
	"2026-11-26T21:31:55. relay1 p[1]: m",
	"2026-11-26X21:31:55Z relay1 p[1]: m",
	"2026-11-26T21:31:55Zrelay1 p[1]: m",
	"0000-01-01T00:00:00Z relay1 p[1]: m",
	"2026-1-26T21:31:55Z relay1 p[1]: m",
	"2026-11-26T21:31",
	"26 Nov 2026 21:31:55 relay1 p[1]: m",
	"Jun 17 14:37:39 <mail.notice>",		/* no host after */
	"Jun 17 14:37:39 <mail.notice> ",
	"Jun 17 14:37:39 <mail.notice>  robin sm-mta[2794]: m",
	"Jun 17 14:37:39 <mail.notice> robin",
	"Jun 17 14:37:39 <2.6> robin sm-mta[27",
	"Jun 17 14:37:39<mail.notice> robin sm-mta[2794]: m",
};

/* zeq - zstr equals C string (and is set) */
static int
zeq(struct zstr z, const char *s)
{
	return z.ptr != NULL && zstr_eq_cstr(z, s);
}

/*
 * check_header - case i parsed by a fresh parser, and then by one
 * that caches nothing, gives what it says; so does syslog_program()
 * of a fresh parser
 */
static void
check_header(const struct header_case *c, int i)
{
	struct syslog_parser *p;
	struct syslog_header h;
	struct zstr	 program;
	int		 caching;

	for (caching = 1; caching >= 0; caching--) {
		p = syslog_parser_new(2026, 0);
		syslog_parser_set_caching(p, caching != 0);
		ck_assert_msg(syslog_parse(p, c->line, strlen(c->line), &h) ==
		    SYSLOG_OK, "case %d: not parsed: %s", i, c->line);
		ck_assert_msg(h.time_sec == c->time_sec,
		    "case %d: time %lld != %lld", i, (long long)h.time_sec,
		    (long long)c->time_sec);
		ck_assert_uint_eq(h.time_usec, c->usec);
		ck_assert_msg(zeq(h.host, c->host), "case %d: host '%.*s'", i,
		    (int)h.host.len, h.host.ptr);
		ck_assert_msg(zeq(h.program, c->program),
		    "case %d: program '%.*s'", i, (int)h.program.len,
		    h.program.ptr);
		ck_assert_msg(zeq(h.service, c->service),
		    "case %d: service '%.*s'", i, (int)h.service.len,
		    h.service.ptr);
		ck_assert_msg(zeq(h.instance, c->instance),
		    "case %d: instance '%.*s'", i, (int)h.instance.len,
		    h.instance.ptr);
		ck_assert_int_eq(h.pid, c->pid);
		ck_assert_msg(zeq(h.message, c->message),
		    "case %d: message '%.*s'", i, (int)h.message.len,
		    h.message.ptr);
		syslog_parser_free(p);
	}
	p = syslog_parser_new(2026, 0);
	ck_assert(syslog_program(p, c->line, strlen(c->line), &program));
	ck_assert(zeq(program, c->program));
	syslog_parser_free(p);
}

START_TEST(test_header_table)
{
	check_header(&header_cases[_i], _i);
}
END_TEST

/* "<facility.priority> " before the host (FreeBSD, NetBSD) */
START_TEST(test_facpri_table)
{
	check_header(&facpri_cases[_i], _i);
}
END_TEST

/* "[ID n facility.level] " before the message (Solaris) */
START_TEST(test_msgid_table)
{
	check_header(&msgid_cases[_i], _i);
}
END_TEST

START_TEST(test_malformed_table)
{
	const char	*line = malformed_cases[_i];
	struct syslog_parser *p = syslog_parser_new(2026, 0);
	struct syslog_header h;

	ck_assert_msg(syslog_parse(p, line, strlen(line), &h) ==
	    SYSLOG_MALFORMED, "case %d accepted: %s", _i, line);
	/* nothing half-filled is left behind */
	ck_assert_ptr_null(h.host.ptr);
	ck_assert_ptr_null(h.message.ptr);
	ck_assert_int_eq(h.pid, -1);
	syslog_parser_free(p);
}
END_TEST

/* A line must not be read past its length (no terminator relied on). */
START_TEST(test_length_respected)
{
	const char	*full = "Nov 26 21:31:55 relay1 postfix/smtpd[123]: x";
	char		*copy = xmemdup0(full, strlen(full));
	struct syslog_parser *p = syslog_parser_new(2026, 0);
	struct syslog_header h;
	size_t		 n;

	/* every proper prefix up to the colon is malformed */
	for (n = 0; n < strlen(full) - 3; n++)
		ck_assert_msg(syslog_parse(p, copy, n, &h) == SYSLOG_MALFORMED,
		    "prefix %zu accepted", n);
	ck_assert(syslog_parse(p, copy, strlen(full) - 2, &h) == SYSLOG_OK);
	ck_assert_uint_eq(h.message.len, 0);
	free(copy);
	syslog_parser_free(p);
}
END_TEST

/* One parser, a sequence of lines, each with its expected time. */
struct seq_line {
	const char	*stamp;		/* "Dec 31 23:59:59"; NULL ends */
	int64_t		 time_sec;	/* -1: malformed */
};

/* run_seq - feed "stamp relay1 p[1]: m" lines, check each time */
static void
run_seq(int year, time_t reference, const struct seq_line *seq)
{
	struct syslog_parser *p = syslog_parser_new(year, reference);
	struct syslog_header h;
	char		 line[128];
	int		 i, n;

	for (i = 0; seq[i].stamp != NULL; i++) {
		n = snprintf(line, sizeof(line), "%s relay1 p[1]: m",
		    seq[i].stamp);
		if (seq[i].time_sec < 0) {
			ck_assert_msg(syslog_parse(p, line, (size_t)n, &h) ==
			    SYSLOG_MALFORMED, "line %d accepted", i);
			continue;
		}
		ck_assert_msg(syslog_parse(p, line, (size_t)n, &h) ==
		    SYSLOG_OK, "line %d malformed", i);
		ck_assert_msg(h.time_sec == seq[i].time_sec,
		    "line %d (%s): %lld != %lld", i, seq[i].stamp,
		    (long long)h.time_sec, (long long)seq[i].time_sec);
	}
	syslog_parser_free(p);
}

START_TEST(test_rollover_fixed_year)
{
	static const struct seq_line seq[] = {
		{ "Dec 31 23:59:59", INT64_C(1767225599) },	/* 2025 */
		{ "Jan  1 00:00:00", INT64_C(1767225600) },	/* 2026 */
		{ "Jan  1 00:00:01", INT64_C(1767225601) },
		{ NULL, 0 }
	};

	run_seq(2025, 0, seq);
}
END_TEST

/* first_time - time of one line through a parser anchored at (y, m) */
static int64_t
first_time(int year, int month, const char *stamp)
{
	struct syslog_parser *p = syslog_parser_new(year, 0);
	struct syslog_header h;
	char		 line[128];
	int		 n;

	syslog_parser_set_anchor(p, year, month);
	n = snprintf(line, sizeof(line), "%s relay1 p[1]: m", stamp);
	ck_assert(syslog_parse(p, line, (size_t)n, &h) == SYSLOG_OK);
	syslog_parser_free(p);
	return h.time_sec;
}

START_TEST(test_anchor_nearest_year)
{
	/* The next rotated file after a December 2025 line: January 2026. */
	ck_assert_int_eq(first_time(2025, 12, "Jan  1 00:00:00"),
	    INT64_C(1767225600));
	/* The next relay's file after a January 2026 line: December 2025. */
	ck_assert_int_eq(first_time(2026, 1, "Dec 31 23:59:59"),
	    INT64_C(1767225599));
	/* Same part of the year: the anchor's own year. */
	ck_assert_int_eq(first_time(2026, 1, "Jan  1 00:00:00"),
	    INT64_C(1767225600));
	/* Out-of-range anchors are ignored: the fixed year stands. */
	ck_assert_int_eq(first_time(2026, 13, "Jan  1 00:00:00"),
	    INT64_C(1767225600));
}
END_TEST

START_TEST(test_rollover_reference)
{
	/* mtime 2026-01-02 12:00 UTC: December lines are from 2025 */
	static const struct seq_line seq[] = {
		{ "Dec 31 23:59:59", INT64_C(1767225599) },
		{ "Jan  1 00:00:01", INT64_C(1767225601) },
		{ NULL, 0 }
	};

	run_seq(0, (time_t)INT64_C(1767355200), seq);
}
END_TEST

START_TEST(test_reference_one_day)
{
	/* a stamp up to a day after the reference stays in its year */
	static const struct seq_line within[] = {
		{ "Nov 26 21:31:55", T_2026_11_26_213155 },
		{ NULL, 0 }
	};
	/* more than a day after: the year before */
	static const struct seq_line after[] = {
		{ "Nov 26 21:31:55", INT64_C(1764192715) },
		{ NULL, 0 }
	};

	run_seq(0, (time_t)(T_2026_11_26_213155 - 86400), within);
	run_seq(0, (time_t)INT64_C(1795564800), after);	/* 2026-11-25 */
}
END_TEST

START_TEST(test_reference_now)
{
	struct syslog_parser *p = syslog_parser_new(0, 0);
	struct syslog_header h;
	struct tm	 tm;
	time_t		 now = time(NULL);
	char		 line[64];
	int		 n;

	/* a stamp for right now lands within a few seconds of now */
	gmtime_r(&now, &tm);
	n = (int)strftime(line, sizeof(line), "%b %d %H:%M:%S r p: m", &tm);
	ck_assert_int_gt(n, 0);
	ck_assert(syslog_parse(p, line, (size_t)n, &h) == SYSLOG_OK);
	ck_assert_int_le(h.time_sec, (int64_t)now);
	ck_assert_int_ge(h.time_sec, (int64_t)now - 5);
	syslog_parser_free(p);
}
END_TEST

START_TEST(test_no_backward_roll)
{
	/*
	 * A straggler from December inside January keeps the year and
	 * does not make the next January line a New Year.
	 */
	static const struct seq_line straggler[] = {
		{ "Jan  5 10:00:00", INT64_C(1767607200) },
		{ "Dec 30 10:00:00", INT64_C(1798624800) },
		{ "Jan  5 10:00:01", INT64_C(1767607201) },
		{ NULL, 0 }
	};
	/* two lines after a gap of months: tracking moves on */
	static const struct seq_line gap[] = {
		{ "Feb  1 00:00:00", INT64_C(1769904000) },
		{ "Oct  1 00:00:00", INT64_C(1790812800) },
		{ "Oct  2 00:00:00", INT64_C(1790899200) },
		{ "Jan  3 00:00:00", INT64_C(1798934400) },	/* 2027 */
		{ NULL, 0 }
	};

	run_seq(2026, 0, straggler);
	run_seq(2026, 0, gap);
}
END_TEST

static int64_t	run_both(int, time_t, const char *const *);

START_TEST(test_lone_back_jump)
{
	/*
	 * One January line inside November (a host that booted with its
	 * clock at New Year) is put in the next year, but the lines after
	 * it stay in this one.
	 */
	static const struct seq_line lone[] = {
		{ "Nov 25 10:00:00", INT64_C(1795600800) },
		{ "Jan  1 00:00:05", INT64_C(1798761605) },	/* 2027 */
		{ "Nov 25 12:00:00", INT64_C(1795608000) },
		{ "Nov 25 12:00:00", INT64_C(1795608000) },	/* cached */
		{ NULL, 0 }
	};
	/* New Year: the second January line confirms it */
	static const struct seq_line new_year[] = {
		{ "Dec 31 23:59:59", INT64_C(1798761599) },
		{ "Jan  1 00:00:00", INT64_C(1798761600) },
		{ "Jan  1 00:00:01", INT64_C(1798761601) },
		{ "Jan  2 08:00:00", INT64_C(1798876800) },
		{ NULL, 0 }
	};

	run_seq(2026, 0, lone);
	run_seq(2026, 0, new_year);
}
END_TEST

START_TEST(test_jumps_after_reference)
{
	/*
	 * In a file last written on Nov 28, 2026 (no --year), January
	 * lines cannot be 2027's, one or several: they are put a year
	 * back and the lines after them stay in 2026.
	 */
	static const struct seq_line reset[] = {
		{ "Nov 28 10:00:00", INT64_C(1795860000) },
		{ "Jan  1 00:00:05", INT64_C(1767225605) },
		{ "Jan  1 00:00:06", INT64_C(1767225606) },
		{ "Nov 28 11:00:00", INT64_C(1795863600) },
		{ NULL, 0 }
	};
	/* Written on Jan 2, 2027: New Year, and a December straggler
	   after it is last year's, not 2027's */
	static const struct seq_line new_year[] = {
		{ "Dec 31 23:59:59", INT64_C(1798761599) },
		{ "Jan  1 00:00:00", INT64_C(1798761600) },
		{ "Jan  1 00:00:01", INT64_C(1798761601) },
		{ "Dec 31 23:59:58", INT64_C(1798761598) },
		{ "Jan  2 08:00:00", INT64_C(1798876800) },
		{ NULL, 0 }
	};

	/*
	 * Read on Dec 20, 2026 through a pipe: last year's log, whose
	 * first line was put in 2026.  Once a line in order came after
	 * the reference the bound no longer holds: New Year moves on, one
	 * year too many throughout, rather than time running back a year.
	 */
	static const struct seq_line late[] = {
		{ "Dec 15 10:00:00", INT64_C(1797328800) },
		{ "Dec 31 23:59:00", INT64_C(1798761540) },
		{ "Jan  1 00:01:00", INT64_C(1798761660) },
		{ "Jan  5 06:00:00", INT64_C(1799128800) },
		{ NULL, 0 }
	};
	static const char *const reset_lines[] = {
		"Nov 28 10:00:00 r p[1]: a",
		"Jan  1 00:00:05 r p[1]: b",
		"Jan  1 00:00:05 r p[1]: b",
		"Jan  1 00:00:06 r p[1]: c",
		"Nov 28 11:00:00 r p[1]: d",
		NULL
	};

	/* a relay's clock two days ahead is no year-late file: the
	   January lines after it are still bounded */
	static const struct seq_line skew[] = {
		{ "Nov 28 10:00:00", INT64_C(1795860000) },
		{ "Nov 30 10:00:00", INT64_C(1796032800) },
		{ "Nov 28 10:30:00", INT64_C(1795861800) },
		{ "Jan  1 00:00:05", INT64_C(1767225605) },
		{ "Jan  1 00:00:06", INT64_C(1767225606) },
		{ "Nov 28 11:00:00", INT64_C(1795863600) },
		{ NULL, 0 }
	};

	run_seq(0, (time_t)INT64_C(1795867200), reset);
	run_seq(0, (time_t)INT64_C(1795867200), skew);
	run_seq(0, (time_t)INT64_C(1798891200), new_year);
	run_seq(0, (time_t)INT64_C(1797768000), late);
	/* the stamp cache gives the same, repeats included */
	ck_assert_int_eq(run_both(0, (time_t)INT64_C(1795867200),
	    reset_lines), INT64_C(1795863600));
}
END_TEST

START_TEST(test_feb29)
{
	/* from a reference in 2025 the leap day goes to 2024 */
	static const struct seq_line ref[] = {
		{ "Feb 29 12:00:00", INT64_C(1709208000) },
		{ NULL, 0 }
	};
	/* with --year 2025 there is no Feb 29; the state is untouched */
	static const struct seq_line fixed[] = {
		{ "Feb 29 12:00:00", -1 },
		{ "Mar  1 00:00:00", INT64_C(1740787200) },
		{ NULL, 0 }
	};
	static const struct seq_line leap[] = {
		{ "Feb 29 12:00:00", INT64_C(1835438400) },
		{ NULL, 0 }
	};

	run_seq(0, (time_t)INT64_C(1736467200), ref);	/* 2025-01-10 */
	run_seq(2025, 0, fixed);
	run_seq(2028, 0, leap);
}
END_TEST

START_TEST(test_malformed_keeps_state)
{
	struct syslog_parser *p = syslog_parser_new(2026, 0);
	struct syslog_header h;
	const char	*a = "Dec 31 23:00:00 relay1 p[1]: m";
	const char	*bad = "Jan  1 00:00:00 relay1";
	const char	*b = "Dec 31 23:30:00 relay1 p[1]: m";

	ck_assert(syslog_parse(p, a, strlen(a), &h) == SYSLOG_OK);
	ck_assert_int_eq(h.time_sec, INT64_C(1798758000));
	ck_assert(syslog_parse(p, bad, strlen(bad), &h) == SYSLOG_MALFORMED);
	ck_assert(syslog_parse(p, b, strlen(b), &h) == SYSLOG_OK);
	ck_assert_int_eq(h.time_sec, INT64_C(1798759800));
	syslog_parser_free(p);
}
END_TEST

START_TEST(test_iso_ignores_year_state)
{
	/* ISO stamps carry their year and do not start a rollover */
	static const struct seq_line seq[] = {
		{ "2026-12-31T23:00:00Z", INT64_C(1798758000) },
		{ "Jan  1 00:00:00", INT64_C(1767225600) },	/* --year */
		{ "2026-01-01T00:00:01Z", INT64_C(1767225601) },
		{ NULL, 0 }
	};

	run_seq(2026, 0, seq);
}
END_TEST

/* with_tz - run fn with TZ set to zone, restoring TZ afterwards */
static void
with_tz(const char *zone, void (*fn)(void))
{
	char	*saved = tz_switch(zone);

	fn();
	tz_restore(saved);
}

/* berlin_checks - local conversions in Europe/Berlin */
static void
berlin_checks(void)
{
	static const struct seq_line summer[] = {
		{ "Jul  1 12:00:00", INT64_C(1782900000) },	/* CEST */
		{ "2026-07-01T12:00:00", INT64_C(1782900000) },
		{ "2026-07-01T12:00:00Z", INT64_C(1782907200) },
		{ NULL, 0 }
	};
	static const struct seq_line winter[] = {
		{ "Jan 15 12:00:00", INT64_C(1768474800) },	/* CET */
		{ NULL, 0 }
	};
	/* the spring-forward night: 02:00 CET becomes 03:00 CEST */
	static const struct seq_line spring[] = {
		{ "Mar 29 01:59:59", INT64_C(1774745999) },
		{ "Mar 29 03:00:00", INT64_C(1774746000) },
		{ NULL, 0 }
	};
	/* the fall-back morning: hours before and after the repeat */
	static const struct seq_line autumn[] = {
		{ "Oct 25 01:30:00", INT64_C(1792884600) },	/* CEST */
		{ "Oct 25 03:30:00", INT64_C(1792895400) },	/* CET */
		{ NULL, 0 }
	};

	/* The repeated hour itself: its first pass, then, once the clock
	   stepped back, its second; the same when the year is inferred
	   from a file written the next January (the year tried first
	   must not count as an hour placed before it). */
	static const struct seq_line repeat[] = {
		{ "Oct 25 02:10:00", INT64_C(1792887000) },	/* CEST */
		{ "Oct 25 02:40:00", INT64_C(1792888800) },
		{ "Oct 25 02:05:00", INT64_C(1792890300) },	/* CET */
		{ NULL, 0 }
	};

	run_seq(2026, 0, summer);
	run_seq(2026, 0, winter);
	run_seq(2026, 0, spring);
	run_seq(2026, 0, autumn);
	run_seq(2026, 0, repeat);
	/* The file written 2027-01-10. */
	run_seq(0, (time_t)INT64_C(1799539200), repeat);
}

START_TEST(test_tz_berlin)
{
	with_tz("Europe/Berlin", berlin_checks);
	/* and TZ is back to what the test runs with */
	ck_assert_str_eq(getenv("TZ") != NULL ? getenv("TZ") : "(unset)",
	    "UTC");
}
END_TEST

/* Many hours in sequence: the hour cache must follow every change. */
START_TEST(test_hour_cache)
{
	struct syslog_parser *p = syslog_parser_new(2026, 0);
	struct syslog_header h;
	char		 line[64];
	int		 day, hour, n;
	int64_t		 expect = INT64_C(1767225600) + 59 * 60 + 30;

	for (day = 1; day <= 3; day++) {
		for (hour = 0; hour < 24; hour++) {
			n = snprintf(line, sizeof(line),
			    "Jan %2d %02d:59:30 r p: m", day, hour);
			ck_assert(syslog_parse(p, line, (size_t)n, &h) ==
			    SYSLOG_OK);
			ck_assert_int_eq(h.time_sec, expect);
			expect += 3600;
		}
	}
	syslog_parser_free(p);
}
END_TEST

/*
 * same_header - two parsers' results for one line agree in every
 * field (strings by position in the line and length).
 */
static void
same_header(const char *line, enum syslog_status sa,
    const struct syslog_header *a, enum syslog_status sb,
    const struct syslog_header *b)
{
	const struct zstr *za[6] = { &a->host, &a->program, &a->service,
	    &a->instance, &a->message, NULL };
	const struct zstr *zb[6] = { &b->host, &b->program, &b->service,
	    &b->instance, &b->message, NULL };
	int		 i;

	ck_assert_msg(sa == sb, "status %d != %d: %s", (int)sa, (int)sb,
	    line);
	ck_assert_msg(a->time_sec == b->time_sec, "time %lld != %lld: %s",
	    (long long)a->time_sec, (long long)b->time_sec, line);
	ck_assert_uint_eq(a->time_usec, b->time_usec);
	ck_assert_msg(a->pid == b->pid, "pid %lld != %lld: %s",
	    (long long)a->pid, (long long)b->pid, line);
	for (i = 0; za[i] != NULL; i++)
		ck_assert_msg(za[i]->ptr == zb[i]->ptr &&
		    za[i]->len == zb[i]->len, "field %d differs: %s", i, line);
}

/*
 * run_both - feed lines to a parser that reuses stamps and tags and to
 * one that parses every line in full, both made alike; every header
 * must agree.  Returns the caching parser's last time.
 */
static int64_t
run_both(int year, time_t reference, const char *const *lines)
{
	struct syslog_parser *cached = syslog_parser_new(year, reference);
	struct syslog_parser *full = syslog_parser_new(year, reference);
	struct syslog_header a, b;
	enum syslog_status sa, sb;
	int64_t		 last = -1;
	size_t		 i;

	syslog_parser_set_caching(full, false);
	for (i = 0; lines[i] != NULL; i++) {
		struct zstr	 program = ZSTR_NULL;
		bool		 named;

		/* The program alone, from the caching parser's state. */
		named = syslog_program(cached, lines[i], strlen(lines[i]),
		    &program);
		sa = syslog_parse(cached, lines[i], strlen(lines[i]), &a);
		sb = syslog_parse(full, lines[i], strlen(lines[i]), &b);
		same_header(lines[i], sa, &a, sb, &b);
		ck_assert_msg(named || sa == SYSLOG_MALFORMED,
		    "no program: %s", lines[i]);
		ck_assert_msg(sa != SYSLOG_OK ||
		    (program.ptr == a.program.ptr &&
		    program.len == a.program.len), "program: %s", lines[i]);
		if (sa == SYSLOG_OK)
			last = a.time_sec;
	}
	syslog_parser_free(cached);
	syslog_parser_free(full);
	return last;
}

/* Repeated stamps and tags give what a full parse gives. */
START_TEST(test_cache_sequences)
{
	static const char *const same_stamp[] = {
		"Jan  5 00:00:08 relay1 postfix/smtpd[1]: a",
		"Jan  5 00:00:08 relay1 postfix/smtpd[1]: b",
		"Jan  5 00:00:08 relay1 postfix/smtpd[22]: c",
		"Jan  5 00:00:08 relay1 postfix/qmgr[3]: d",
		"Jan  5 00:00:08 relay2 postfix/qmgr[3]: e",	/* new host */
		"Jan  5 00:00:08 relay postfix/qmgr[3]: f",	/* shorter */
		"Jan  5 00:00:08 relay12 postfix/qmgr[3]: f",	/* longer */
		"Jan  5 00:00:08 relay1 postfix/qmgrx[3]: g",
		"Jan  5 00:00:08 relay1 postfix/qmgr: h",	/* no pid */
		"Jan  5 00:00:08 relay1 postfix/qmgr i",
		"Jan  5 00:00:08 relay1 postfix/qmgr[3] j",	/* malformed */
		"Jan  5 00:00:08 relay1 postfix/qmgr[3x]: k",
		"Jan  5 00:00:08 relay1 postfix/qmgr[3]",
		"Jan  5 00:00:08 relay1 postfix/qmgr[",
		"Jan  5 00:00:08 relay1 postfix/qmgr",
		"Jan  5 00:00:08 relay1",
		"Jan  5 00:00:08 ",
		"Jan  5 00:00:08",
		"Jan  5 00:00:08 relay1 postfix/qmgr[3]: l",	/* good again */
		"Jan  5 00:00:09 relay1 postfix/qmgr[3]: m",
		"Jan  5 00:00:09.5 relay1 postfix/qmgr[3]: n",
		"Jan  5 00:00:09.5 relay1 postfix/qmgr[3]: o",
		"Jan  5 00:00:09 relay1 postfix/qmgr[3]: p",
		"Jan  5 00:00:09x relay1 postfix/qmgr[3]: q",
		"Jan  5 00:00:09 relay1 postfix/qmgr[3]: r",
		"Jan  5 00:00:09 relay1 postfix\x01/qmgr[3]: s",
		"Jan  5 00:00:09 relay1 postfix/qmgr[3]: t",
		"Jan  5 00:00:09 relay1\tpostfix/qmgr[3]: u",
		"Jan  5 00:00:09 relay1 a/b/c/d[12345678901234]: v",
		"Jan  5 00:00:09 relay1 a/b/c/d[1234567890123456789]: w",
		"Jan  5 00:00:09 relay1 a/b/c/d[123456789012345678]: x",
		"Jan  5 00:00:09 relay1 a/b/c/d[7]: x",
		"Jan  5 00:00:09 relay1 a/b/c/d: x",
		"Jan  5 00:00:09 relay1 a/b/c/: x",
		"Jan  5 00:00:09 relay1 /: x",
		"Jan  5 00:00:09 r p:",
		"Jan  5 00:00:09 r p: x",
		"Jan  5 00:00:09 a-very-long-host-name.relay.example.net "
		    "postfix-outbound/submission/smtpd[1]: long tag",
		"Jan  5 00:00:09 a-very-long-host-name.relay.example.net "
		    "postfix-outbound/submission/smtpd[2]: long tag",
		"<13>Jan  5 00:00:09 relay1 postfix/qmgr[3]: pri",
		"<13>1 Jan  5 00:00:09 relay1 postfix/qmgr[3]: 5424 3164",
		"Jan  5 00:00:09 relay1 postfix/qmgr[3]: again",
		"<13>1 Jan  5 00:00:09 relay1 postfix/qmgr[3]: 5424 3164",
		"Feb 29 00:00:09 relay1 postfix/qmgr[3]: not in 2026",
		"Jan  5 00:00:09 relay1 postfix/qmgr[3]: again",
		NULL
	};
	static const char *const iso[] = {
		"2026-01-05T00:00:08.123+01:00 relay1 p[1]: a",
		"2026-01-05T00:00:08.123+01:00 relay1 p[1]: b",
		"2026-01-05T00:00:08.123+01:00relay1 p[1]: c",
		"2026-01-05T00:00:08.123+01:0 relay1 p[1]: d",
		"2026-01-05T00:00:08.123+01 relay1 p[1]: e",
		"2026-01-05T00:00:08.123+01 relay1 p[1]: f",
		"2026-01-05T00:00:08.1234 relay1 p[1]: g",
		"2026-01-05T00:00:08.1234 relay1 p[1]: h",
		"2026-01-05T00:00:08.123456789012345678901234567890123456789Z "
		    "relay1 p[1]: too long to keep",
		"2026-01-05T00:00:08.123456789012345678901234567890123456789Z "
		    "relay1 p[1]: too long to keep",
		"<13>1 2026-01-05T00:00:08.1234 relay1 app 12 - - rfc5424",
		"<13>1 2026-01-05T00:00:08.1234 relay1 app 12 - - rfc5424",
		"<13>1 2026-01-05T00:00:08.1234 relay1 app 12 - junk",
		"2026-01-05T00:00:08.1234 relay1 app 12 - - not 5424",
		"2026-01-05 00:00:08 [121181] dovecot_login x",
		"2026-01-05 00:00:08 [121181] dovecot_login y",
		"2026-01-05 00:00:08 1vXyz-000abc-AB <= a@b H=x",
		"2026-01-05 00:00:08 1vXyz-000abc-AB => a@b R=x",
		"2026-01-05 00:00:08 1vXyz-000abc-AB => a@b R=x",
		NULL
	};
	/* A straggler, repeated: the second is a gap, not a straggler. */
	static const char *const jumps[] = {
		"Jan  5 10:00:00 r p[1]: m",
		"Jan  5 10:00:00 r p[1]: m",
		"Dec 30 10:00:00 r p[1]: straggler",
		"Dec 30 10:00:00 r p[1]: now tracked",
		"Dec 30 10:00:00 r p[1]: m",
		"Jan  5 10:00:00 r p[1]: next year",
		"Jan  5 10:00:00 r p[1]: m",
		"Jul  5 10:00:00 r p[1]: m",
		"Jan  5 10:00:00 r p[1]: m",
		"Jul  5 10:00:00 r p[1]: m",
		"Jul  5 10:00:00 r p[1]: m",
		"Jan  5 10:00:00 r p[1]: m",
		NULL
	};
	/* New Year with the same stamps on either side. */
	static const char *const rollover[] = {
		"Dec 31 23:59:59 r p[1]: m",
		"Dec 31 23:59:59 r p[1]: m",
		"Jan  1 00:00:00 r p[1]: m",
		"Jan  1 00:00:00 r p[1]: m",
		"Dec 31 23:59:59 r p[1]: straggler",
		"Jan  1 00:00:00 r p[1]: m",
		NULL
	};

	/* More tags in turn than the parser keeps: every one is
	   evicted and taken again, by a line of the same tag's bytes
	   up to the pid or of a longer program. */
	static const char *const cycle[] = {
#define CYCLE_ROUND							\
		"Jan  5 00:00:08 relay1 postfix/smtp[1]: a",		\
		"Jan  5 00:00:08 relay1 postfix/qmgr[2]: b",		\
		"Jan  5 00:00:08 relay1 postfix/cleanup[3]: c",		\
		"Jan  5 00:00:08 relay1 postfix/smtpd[4]: d",		\
		"Jan  5 00:00:08 relay1 postfix/smtps/smtpd[5]: e",	\
		"Jan  5 00:00:08 relay1 postfix/submission/smtpd[6]: f",\
		"Jan  5 00:00:08 relay1 postfix/bounce[7]: g",		\
		"Jan  5 00:00:08 relay1 postfix/postscreen[8]: h",	\
		"Jan  5 00:00:08 relay1 postfix/anvil[9]: i",		\
		"Jan  5 00:00:08 relay1 postfix/smtp[10]: j",		\
		"Jan  5 00:00:08 relay1 postfix/lmtp: k",		\
		"Jan  5 00:00:08 relay1 postfix/smtpx[1]: l",		\
		"Jan  5 00:00:08 relay2 postfix/qmgr[2]: m",
		CYCLE_ROUND CYCLE_ROUND CYCLE_ROUND
#undef CYCLE_ROUND
		NULL
	};

	/* The BSD prefix and Solaris IDs around remembered stamps and
	   tags: a tag remembered without the prefix, with a host that
	   looks like one, or from a RFC 5424 line, is the same tag. */
	static const char *const prefixed[] = {
		"Jun 17 14:37:39 robin sm-mta[2794]: a",
		"Jun 17 14:37:39 <mail.notice> robin sm-mta[2794]: b",
		"Jun 17 14:37:39 <mail.info> robin sm-mta[2794]: c",
		"Jun 17 14:37:39 <2.6> robin sm-mta[2794]: d",
		"Jun 17 14:37:39 robin sm-mta[2794]: e",
		"Jun 17 14:37:39 <mail.notice>robin sm-mta[2794]: f",
		"Jun 17 14:37:39 <mail.notice>robin sm-mta[2794]: g",
		"Jun 17 14:37:39 <mail.notice> robin sm-mta[2794]: h",
		"Jun 17 14:37:39 <Mail.notice> robin sm-mta[2794]: i",
		"Jun 17 14:37:39 <Mail.notice> robin sm-mta[2794]: j",
		"Jun 17 14:37:39 <mail.notice> robin sm-mta[2794]: k",
		"Jun 17 14:37:39 <mail.notice> <mail.notice> robin x[1]: l",
		"Jun 17 14:37:39 <mail.notice> <mail.notice> robin x[1]: m",
		"Jun 17 14:37:39 <mail.notice> robin x[1]: n",
		"<13>1 2026-06-17T14:37:39Z <mail.notice> robin 1 - - o",
		"<13>1 2026-06-17T14:37:39Z <mail.notice> robin 1 - - p",
		"2026-06-17T14:37:39Z <mail.notice> robin sm-mta[1]: q",
		"2026-06-17T14:37:39Z <mail.notice> robin sm-mta[1]: r",
		"<13>1 2026-06-17T14:37:39Z <mail.notice> robin 1 - - s",
		"Jun 17 14:37:39 <mail.notice>",
		"Jun 17 14:37:39 <mail.notice> ",
		"Jun 17 14:37:39 <mail.notice>  robin sm-mta[2794]: t",
		"Jun 17 14:37:39 <mail.notice> robin",
		"Jun 17 14:37:39 <mail.notice> robin sm-mta[2794]: u",
		"Jun 17 14:37:40 <abcdefghijklmnop.abcdefghijklmno> r p[1]: v",
		"Jun 17 14:37:40 <abcdefghijklmnop.abcdefghijklmno> r p[1]: w",
		"Jun 17 14:37:40 <abcdefghijklmnop.abcdefghijklmnop> "
		    "r p[1]: x",
		"Jun 17 14:37:40 <abcdefghijklmnop.abcdefghijklmnop> "
		    "r p[1]: y",
		"Jun 17 14:37:40 r p[1]: [ID 801593 mail.info] z",
		"Jun 17 14:37:40 r p[1]: [ID 801593 mail.info] z",
		"Jun 17 14:37:40 r p: [ID 801593 mail.info] z",
		"Jun 17 14:37:40 r p: [ID 801593 mail.info]",
		"Jun 17 14:37:40 r p: [ID 801593 mail.info] ",
		"Jun 17 14:37:40 r p: [ID x mail.info] z",
		"Jun 17 14:37:40 <mail.info> r p[1]: [ID 801593 mail.info] z",
		"Jun 17 14:37:40 <mail.info> r p[1]: [ID 801593 mail.info] z",
		NULL
	};

	run_both(2026, 0, prefixed);
	run_both(2026, 0, same_stamp);
	run_both(0, (time_t)INT64_C(1767607200), same_stamp);
	run_both(2026, 0, cycle);
	run_both(2026, 0, iso);
	/* Dec 30 2026 is tracked, so the January after is 2027's. */
	ck_assert_int_eq(run_both(2026, 0, jumps), INT64_C(1799143200));
	ck_assert_int_eq(run_both(2025, 0, rollover), INT64_C(1767225600));
}
END_TEST

/*
 * Every cut of lines with "<facility.priority> " and a Solaris message
 * ID, each an exact copy: caching and full parses agree, a line cut
 * before its tag ends is malformed and one cut in the ID keeps the
 * part left of it in the message.
 */
START_TEST(test_prefix_cuts)
{
	static const char *const full[] = {
		"Jun 17 14:37:39 <mail.notice> robin sm-mta[2794]: "
		    "[ID 801593 mail.info] 55HIbcGI002794: x",
		"2026-06-17 14:37:39 <2.6> robin sendmail: "
		    "[ID 801593 mail.info] x",
	};
	char		*lines[128];
	size_t		 f, i, len, tag_end, id_start, msg;
	struct syslog_parser *p;
	struct syslog_header h;

	for (f = 0; f < sizeof(full) / sizeof(full[0]); f++) {
		len = strlen(full[f]);
		ck_assert_uint_lt(len, sizeof(lines) / sizeof(lines[0]));
		for (i = 0; i < len; i++)
			lines[i] = xmemdup0(full[f], i + 1);
		lines[len] = NULL;
		run_both(2026, 0, (const char *const *)lines);
		id_start = (size_t)(strstr(full[f], "[ID") - full[f]);
		tag_end = id_start - 2;		/* the colon */
		p = syslog_parser_new(2026, 0);
		for (i = 0; i < len; i++) {
			enum syslog_status st;

			st = syslog_parse(p, lines[i], i + 1, &h);
			if (i < tag_end) {
				ck_assert_msg(st == SYSLOG_MALFORMED,
				    "accepted: %s", lines[i]);
				continue;
			}
			ck_assert_msg(st == SYSLOG_OK, "malformed: %s",
			    lines[i]);
			ck_assert(zeq(h.host, "robin"));
			/* the ID goes only with its "] " (22 bytes) */
			if (i + 1 < id_start)
				msg = i + 1;
			else if (i + 1 < id_start + 22)
				msg = id_start;
			else
				msg = id_start + 22;
			ck_assert_msg(h.message.ptr == lines[i] + msg &&
			    h.message.len == i + 1 - msg,
			    "message '%.*s': %s", (int)h.message.len,
			    h.message.ptr, lines[i]);
		}
		syslog_parser_free(p);
		for (i = 0; i < len; i++)
			free(lines[i]);
	}
}
END_TEST

/* syslog_program() alone, line after line, as from a fresh parser. */
START_TEST(test_program_only)
{
	static const char *const lines[] = {
		"2026-01-05 00:00:08 [121181] dovecot_login x",
		"2026-01-05 00:00:08 [121181] dovecot_login y",
		"2026-01-05 00:00:08 1vXyz-000abc-AB <= a@b H=x",
		"2026-01-05 00:00:08 relay1 postfix/smtpd[1]: x",
		"2026-01-05 00:00:08relay1 postfix/smtpd[1]: x",
		"2026-01-05 00:00:08",
		"2026-01-05 00:00:08 ",
		"2026-01-05 00:00:08 relay1",
		"<13>1 2026-01-05 00:00:08 relay1 app 1 - - m",
		"<13>1 2026-01-05 00:00:08 relay1 app 1 - - m",
		"2026-01-05 00:00:08 relay1 app 1 - - m",
		"2026-02-29 00:00:08 relay1 postfix/smtpd[1]: x",
		"2026-02-29 00:00:08 relay1 postfix/smtpd[1]: x",
		"2026-01-05 00:00:09.123456 relay1 exim[1]: x",
		"2026-01-05 00:00:09.123456 relay1 exim[1]: x",
		"2026-01-05 00:00:09.1234567 relay1 exim[1]: x",
		"<13>1 Jan  5 00:00:08 relay1 p[1]: m",
		"Jan  5 00:00:08 relay1 p[1]: m",
		"<13>1 Jan  5 00:00:08 relay1 p[1]: m",
		"Jan  5 00:00:08 relay1 p[1]: m",
		NULL
	};
	struct syslog_parser *p = syslog_parser_new(2026, 0), *fresh;
	struct zstr	 a, b;
	bool		 ra, rb;
	size_t		 i;

	for (i = 0; lines[i] != NULL; i++) {
		fresh = syslog_parser_new(2026, 0);
		a = b = ZSTR_NULL;
		ra = syslog_program(p, lines[i], strlen(lines[i]), &a);
		rb = syslog_program(fresh, lines[i], strlen(lines[i]), &b);
		ck_assert_msg(ra == rb, "%s", lines[i]);
		ck_assert_msg(!ra || (a.ptr == b.ptr && a.len == b.len), "%s",
		    lines[i]);
		syslog_parser_free(fresh);
	}
	syslog_parser_free(p);
}
END_TEST

/*
 * first_agrees - syslog_program_first() of the len bytes at line (a
 * copy of exactly that length) says what syslog_program() of a parser
 * that caches nothing finds: no program, or one opening with the byte.
 */
static int
first_agrees(const char *line, size_t len)
{
	struct syslog_parser *p = syslog_parser_new(2026, 0);
	char		*copy = xmemdup0(line, len);
	struct zstr	 program = ZSTR_NULL;
	bool		 found;
	int		 first;

	syslog_parser_set_caching(p, false);
	first = syslog_program_first(copy, len);
	found = syslog_program(p, copy, len, &program);
	ck_assert_msg(first >= SYSLOG_NO_PROGRAM && first <= 255, "%d", first);
	ck_assert_msg(first != SYSLOG_NO_PROGRAM || !found, "none, but "
	    "found: %.*s", (int)len, line);
	ck_assert_msg(first < 0 || !found || (program.len > 0 &&
	    (unsigned char)program.ptr[0] == first), "%d, but found "
	    "%.*s: %.*s", first, (int)program.len, program.ptr, (int)len,
	    line);
	free(copy);
	syslog_parser_free(p);
	return first;
}

/*
 * syslog_program_first() on the lines it answers for and on others,
 * then on every prefix of them and with every byte replaced by bytes
 * that end a stamp, a host or a program differently.
 */
START_TEST(test_program_first)
{
	static const struct {
		const char	*line;
		int		 first;
	} cases[] = {
		{ "2026-01-05 00:00:08 [121181] dovecot_login x", 'd' },
		{ "2026-01-05 00:00:08 1vXyz0-000abc-AB <= a@b H=x", '<' },
		{ "2026-01-05 00:00:08 relay1 postfix/smtpd[1]: x", 'p' },
		{ "2026-01-05 00:00:08 relay1 sendmail[1]: x", 's' },
		{ "2026-01-05T00:00:08 relay1 exim[1]: x", 'e' },
		{ "2026-13-45 99:00:08 relay1 exim[1]: x", 'e' },
		{ "2026-01-05 00:00:08 relay1 [1]: x", '[' },
		{ "2026-01-05 00:00:08 relay1", SYSLOG_NO_PROGRAM },
		{ "2026-01-05 00:00:08 relay1 ", SYSLOG_NO_PROGRAM },
		{ "2026-01-05 00:00:08  relay1 exim[1]: x", SYSLOG_NO_PROGRAM },
		{ "2026-01-05 00:00:08 relay1\texim[1]: x", SYSLOG_NO_PROGRAM },
		{ "2026-01-05 00:00:08 ", SYSLOG_NO_PROGRAM },
		{ "2026-01-05 00:00:08", SYSLOG_PROGRAM_UNKNOWN },
		{ "2026-01-05 00:00:08.5 relay1 exim[1]: x",
		    SYSLOG_PROGRAM_UNKNOWN },
		{ "2026-01-05 00:00:08Z relay1 exim[1]: x",
		    SYSLOG_PROGRAM_UNKNOWN },
		{ "<22>2026-01-05 00:00:08 relay1 exim[1]: x",
		    SYSLOG_PROGRAM_UNKNOWN },
		{ "Jan  5 00:00:08 relay1 postfix/smtpd[1]: x",
		    SYSLOG_PROGRAM_UNKNOWN },
		{ "2026-01-05 00:00:08 <mail.info> relay1 exim[1]: x", 'e' },
		{ "2026-01-05 00:00:08 <2.6> relay1 sendmail[1]: x", 's' },
		{ "2026-01-05 00:00:08 <Mail.info> relay1 exim[1]: x", 'r' },
		{ "2026-01-05 00:00:08 <mail.info>relay1 exim[1]: x", 'e' },
		{ "2026-01-05 00:00:08 <mail.info>  relay1 exim[1]: x",
		    SYSLOG_NO_PROGRAM },
		{ "2026-01-05 00:00:08 <mail.info> relay1",
		    SYSLOG_NO_PROGRAM },
		{ "2026-01-05 00:00:08 <mail.info> ", SYSLOG_NO_PROGRAM },
		{ "2026-01-05 00:00:08 <mail.info>", SYSLOG_NO_PROGRAM },
	};
	static const unsigned char bytes[] = {
		'\0', '\t', 0x1f, ' ', 0x7f, 0x80, 0xff, '[', ']', ':', '.',
		',', 'Z', '+', '-', 'T', '<', '0', '9', 'p', 'e', 's',
		'>', 'a', 'M',
	};
	char		 buf[128];
	size_t		 i, len, pos, b;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char	*line = cases[i].line;

		len = strlen(line);
		ck_assert_uint_lt(len, sizeof(buf));
		memcpy(buf, line, len);
		ck_assert_msg(first_agrees(buf, len) == cases[i].first,
		    "case %zu: %s", i, line);
		for (pos = 0; pos < len; pos++)
			(void)first_agrees(buf, pos);
		for (pos = 0; pos < len; pos++)
			for (b = 0; b < sizeof(bytes); b++) {
				char	keep = buf[pos];

				buf[pos] = (char)bytes[b];
				(void)first_agrees(buf, len);
				buf[pos] = keep;
			}
	}
	ck_assert_int_eq(syslog_program_first(NULL, 0),
	    SYSLOG_PROGRAM_UNKNOWN);
}
END_TEST

/* Seeded random lines from a few stamps, hosts, tags and damages. */
START_TEST(test_cache_random)
{
	static const char *const stamps[] = {
		"Jan  5 00:00:08", "Jan  5 00:00:09", "Dec 31 23:59:59",
		"Jul  1 12:00:00", "Feb 29 01:00:00", "Jan 5 00:00:08",
		"2026-01-05T00:00:08Z", "2026-01-05 00:00:08",
		"2026-01-05T00:00:08.25+02:00", "<13>Jan  5 00:00:08",
		"<13>1 2026-01-05T00:00:08Z", "<13>1 Jan  5 00:00:08",
	};
	static const char *const hosts[] = {
		"relay1", "relay2", "r", "relay1.example.net", "[121181]",
		"<mail.info> relay1", "<2.6> relay1", "<mail.info>",
	};
	static const char *const tags[] = {
		"postfix/smtpd[123]: ", "postfix/smtp[9876543]: ",
		"postfix/qmgr[7]: ", "postfix/submission/smtpd[22]: ",
		"sendmail[4242]: ", "CRON: ", "exim[1]: ", "dovecot_login ",
		"app 12 - - ", "p[12x]: ", "p[]: ", "p[1] ", "[1]: ",
		"postfix/smtp[99999999999999999999]: ",
		"sendmail[25741]: [ID 801593 mail.info] ",
		"sendmail: [ID 1 mail.info]",
	};
	const size_t	 nhosts = sizeof(hosts) / sizeof(hosts[0]);
	const size_t	 ntags = sizeof(tags) / sizeof(tags[0]);
	char		*lines[2001];
	char		 buf[256];
	uint64_t	 state = 42;
	size_t		 i, n;
	int		 round, year;

	for (round = 0; round < 10; round++) {
		for (i = 0; i < 2000; i++) {
			state = state * 6364136223846793005ULL +
			    1442695040888963407ULL;
			/* Mostly the line before's stamp and tag. */
			n = (size_t)snprintf(buf, sizeof(buf), "%s %s %sm%zu",
			    stamps[(state >> 60) < 12 ? (state >> 56) % 2 :
			    (state >> 20) % 12],
			    hosts[(state >> 55) % 2 == 0 ? 0 :
			    (state >> 24) % nhosts],
			    tags[(state >> 54) % 2 == 0 ? 0 :
			    (state >> 28) % ntags], i);
			/* and now and then cut short or damaged */
			if ((state >> 40) % 16 == 0)
				n = (size_t)(state >> 8) % (n + 1);
			if ((state >> 36) % 16 == 0 && n > 0)
				buf[(state >> 12) % n] = (char)(state >> 4);
			lines[i] = xmemdup0(buf, n);
		}
		lines[i] = NULL;
		year = round % 2 == 0 ? 2026 : 0;
		run_both(year, (time_t)INT64_C(1767607200),
		    (const char *const *)lines);
		for (i = 0; lines[i] != NULL; i++)
			free(lines[i]);
	}
}
END_TEST

START_TEST(test_free_null)
{
	syslog_parser_free(NULL);
}
END_TEST

/* syslog_suite - all syslog tests */
static Suite *
syslog_suite(void)
{
	Suite	*s = suite_create("syslog");
	TCase	*tc = tcase_create("syslog");

	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_header_table, 0,
	    (int)(sizeof(header_cases) / sizeof(header_cases[0])));
	tcase_add_loop_test(tc, test_facpri_table, 0,
	    (int)(sizeof(facpri_cases) / sizeof(facpri_cases[0])));
	tcase_add_loop_test(tc, test_msgid_table, 0,
	    (int)(sizeof(msgid_cases) / sizeof(msgid_cases[0])));
	tcase_add_loop_test(tc, test_malformed_table, 0,
	    (int)(sizeof(malformed_cases) / sizeof(malformed_cases[0])));
	tcase_add_test(tc, test_length_respected);
	tcase_add_test(tc, test_rollover_fixed_year);
	tcase_add_test(tc, test_rollover_reference);
	tcase_add_test(tc, test_anchor_nearest_year);
	tcase_add_test(tc, test_reference_one_day);
	tcase_add_test(tc, test_reference_now);
	tcase_add_test(tc, test_no_backward_roll);
	tcase_add_test(tc, test_lone_back_jump);
	tcase_add_test(tc, test_jumps_after_reference);
	tcase_add_test(tc, test_feb29);
	tcase_add_test(tc, test_malformed_keeps_state);
	tcase_add_test(tc, test_iso_ignores_year_state);
	tcase_add_test(tc, test_tz_berlin);
	tcase_add_test(tc, test_hour_cache);
	tcase_add_test(tc, test_cache_sequences);
	tcase_add_test(tc, test_cache_random);
	tcase_add_test(tc, test_prefix_cuts);
	tcase_add_test(tc, test_program_only);
	tcase_add_test(tc, test_program_first);
	tcase_add_test(tc, test_free_null);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	/* The expected times assume UTC, whatever the caller's TZ. */
	setenv("TZ", "UTC", 1);
	tzset();
	return run_suite(syslog_suite());
}
