/*
 * sendmail - Sendmail log lines to events (see sendmail.h).
 *
 * One pass over the message part of a line, by hand.  The text before
 * the first ": " decides the line's scope: a queue ID (a message),
 * "NOQUEUE" or nothing (a session or the daemon), or "QID[N]" (a part
 * of a line sm_syslog() split because syslog() could not take it
 * whole, conf.c).  The text after it decides the kind.
 *
 * Sendmail writes "key=value" fields separated by ", ", and several
 * values come from remote clients: addresses as given in MAIL FROM and
 * RCPT TO (with quoted local parts that may hold ", key="), HELO names,
 * Message-IDs, SASL user names.  A value therefore ends at the first
 * ", key=" outside "..." strings (with backslash escapes) and outside
 * <...>; when the value leaves a quote or bracket open the scan is
 * repeated without that care, so a hostile value can only cut itself
 * short.  Where a field is known to come last and its text is free
 * (stat=, reject=) it runs to the end of the line; where the last
 * field is trusted and an earlier one is not (relay= after msgid= on
 * "from=" lines, after the SASL text on "AUTH failure" lines) the last
 * occurrence of its key is taken.  Every scan is linear in the line.
 *
 * Numbers Sendmail computes itself (size=, nrcpts=) that do not fit 64
 * bits make the line malformed.
 *
 * A delivery's transport is its mailer= name, except that the mailers
 * Sendmail's configurations use for mailboxes on the relay itself are
 * given the name of the Postfix transport of the same kind, so that
 * mail for local mailboxes is told apart whatever the MTA: "local",
 * "prog", "procmail", "*file*" and "*include*" (cf/mailer/local.m4,
 * procmail.m4; the last two are built in) give "local"; "lmtp",
 * "cyrus", "cyrusv2" and "dovecot" (LMTP or a delivery agent handing
 * the message to a mailbox server) give "lmtp".
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "parsers/scan.h"
#include "parsers/sendmail.h"
#include "util/xalloc.h"

#define MAX_KINDS	4	/* most events of one line, deliveries
				   counted once */
#define MAX_KEY_LEN	32	/* longest "key" looked at before '=' */
#define FIELD_SCAN_MAX	1024	/* quote-aware look for a field's end */
#define QID_MIN		12	/* 8.10/8.11: 7 characters, 5 digits */
#define QID_MAX		16	/* 8.12+: 8 characters, 6 to 8 digits */
#define OLD_QID_MIN	8	/* before 8.10: 3 letters, 5 to 7 digits */
#define OLD_QID_MAX	10

struct sendmail_parser {
	struct mta_event line;		/* header and fields of the last line */
	struct mta_event base;		/* header and queue ID only */
	struct mta_event out;		/* the event handed out last */
	enum event_kind	 kinds[MAX_KINDS]; /* its events, in order */
	size_t		 nkinds;
	size_t		 next_kind;	/* next to hand out */
	struct zstr	*rcpts;		/* recipients of a "to=" line */
	size_t		 nrcpts;
	size_t		 next_rcpt;
	size_t		 rcpt_cap;
	char		*text;		/* composed response: stat; reply */
	size_t		 text_cap;
	enum ignore_reason ignore;	/* why the last line was ignored */
	enum malformed_reason malformed; /* why it was malformed */
};

#define STARTS(s, end, lit) \
	((size_t)((end) - (s)) >= sizeof(lit) - 1 && \
	 memcmp((s), (lit), sizeof(lit) - 1) == 0)
#define ENDS(s, end, lit) \
	((size_t)((end) - (s)) >= sizeof(lit) - 1 && \
	 memcmp((end) - (sizeof(lit) - 1), (lit), sizeof(lit) - 1) == 0)
#define ZEQ(z, lit) \
	((z).len == sizeof(lit) - 1 && memcmp((z).ptr, (lit), (z).len) == 0)
#define FIND(s, end, lit)	find((s), (end), (lit), sizeof(lit) - 1)
#define RFIND(s, end, lit)	rfind((s), (end), (lit), sizeof(lit) - 1)

/*
 * Bytes the value scanners stop at; all others are skipped in a tight
 * loop (per-line parsing must not cost more than a few cycles a byte).
 */
static const unsigned char scan_stop[256] = {
	['"'] = 1, ['\\'] = 1, ['<'] = 1, ['>'] = 1, ['('] = 1, [')'] = 1,
	[','] = 1
};

/* sendmail_parser_new - a parser with no pending event */
struct sendmail_parser *
sendmail_parser_new(void)
{
	struct sendmail_parser *p = xcalloc(1, sizeof(*p));

	event_init(&p->line);
	return p;
}

/* sendmail_parser_free - free the parser and its buffers */
void
sendmail_parser_free(struct sendmail_parser *p)
{
	if (p == NULL)
		return;
	free(p->rcpts);
	free(p->text);
	free(p);
}

/*
 * sendmail_is_program - the labels of sendmail.h: "sendmail",
 * "sendmail-*" and "sm-*" but "sm-notify".
 */
bool
sendmail_is_program(struct zstr program)
{
	const char	*s = program.ptr, *end;

	if (s == NULL)
		return false;
	end = s + program.len;
	if (ZEQ(program, "sendmail"))
		return true;
	if (STARTS(s, end, "sendmail-"))
		return program.len > 9;
	if (STARTS(s, end, "sm-"))
		return program.len > 3 && !ZEQ(program, "sm-notify");
	return false;
}

/* is_digit - [0-9] */
static bool
is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

/* is_letter - [A-Za-z] */
static bool
is_letter(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

/*
 * base60 - the value of a queue ID character: Sendmail's QueueIdChars
 * are 0-9, A-Z, a-z (queue.c), of which the first 60 are used for the
 * date and sequence (62 for minutes and seconds); -1 for others.
 */
static int
base60(unsigned char c)
{
	if (is_digit(c))
		return c - '0';
	if (c >= 'A' && c <= 'Z')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 36;
	return -1;
}

/*
 * sendmail_is_queue_id - 8.10 and later: year mod 60, month 0-11, day
 * 1-31, hour 0-23, minute 0-59, second 0-60, a sequence character
 * (two since 8.12, the second of 8.10's IDs is the first digit of the
 * process ID), then digits; before 8.10 three letters and digits.
 */
bool
sendmail_is_queue_id(struct zstr s)
{
	const unsigned char *q = (const unsigned char *)s.ptr;
	size_t		 i;

	if (q == NULL)
		return false;
	if (s.len >= OLD_QID_MIN && s.len <= OLD_QID_MAX) {
		for (i = 0; i < 3; i++)
			if (!is_letter(q[i]))
				return false;
		for (; i < s.len; i++)
			if (!is_digit(q[i]))
				return false;
		return true;
	}
	if (s.len < QID_MIN || s.len > QID_MAX)
		return false;
	if (base60(q[0]) < 0 || base60(q[0]) >= 60 ||
	    base60(q[1]) < 0 || base60(q[1]) > 11 ||
	    base60(q[2]) < 1 || base60(q[2]) > 31 ||
	    base60(q[3]) < 0 || base60(q[3]) > 23 ||
	    base60(q[4]) < 0 || base60(q[4]) > 59 ||
	    base60(q[5]) < 0 || base60(q[5]) > 60 ||
	    base60(q[6]) < 0 || base60(q[6]) >= 60 ||
	    base60(q[7]) < 0 || base60(q[7]) >= 60)
		return false;
	for (i = 8; i < s.len; i++)
		if (!is_digit(q[i]))
			return false;
	return true;
}

/* find - first occurrence of lit (n > 0 bytes) in [s, end), or NULL */
static const char *
find(const char *s, const char *end, const char *lit, size_t n)
{
	const char	*q;

	while (s < end && (size_t)(end - s) >= n &&
	    (q = memchr(s, lit[0], (size_t)(end - s) - n + 1)) != NULL) {
		if (memcmp(q, lit, n) == 0)
			return q;
		s = q + 1;
	}
	return NULL;
}

/* rfind - last occurrence of lit (n > 0 bytes) in [s, end), or NULL */
static const char *
rfind(const char *s, const char *end, const char *lit, size_t n)
{
	size_t	i;

	if ((size_t)(end - s) < n)
		return NULL;
	for (i = (size_t)(end - s) - n + 1; i > 0; i--)
		if (s[i - 1] == lit[0] && memcmp(s + i - 1, lit, n) == 0)
			return s + i - 1;
	return NULL;
}

/* trim - without leading and trailing spaces */
static struct zstr
trim(const char *s, const char *e)
{
	while (s < e && *s == ' ')
		s++;
	while (e > s && e[-1] == ' ')
		e--;
	return zstr_make(s, (size_t)(e - s));
}

/* Characters of a "key" before '=' (tls_verify, arg1): 1 may start
   one, 2 only follow. */
static const unsigned char key_char[256] = {
	['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1,
	['g'] = 1, ['h'] = 1, ['i'] = 1, ['j'] = 1, ['k'] = 1, ['l'] = 1,
	['m'] = 1, ['n'] = 1, ['o'] = 1, ['p'] = 1, ['q'] = 1, ['r'] = 1,
	['s'] = 1, ['t'] = 1, ['u'] = 1, ['v'] = 1, ['w'] = 1, ['x'] = 1,
	['y'] = 1, ['z'] = 1, ['0'] = 2, ['1'] = 2, ['2'] = 2, ['3'] = 2,
	['4'] = 2, ['5'] = 2, ['6'] = 2, ['7'] = 2, ['8'] = 2, ['9'] = 2,
	['_'] = 2
};

/* key_follows - whether s starts with "key=" (bounded look-ahead) */
static bool
key_follows(const char *s, const char *end)
{
	size_t	n, max = (size_t)(end - s);

	if (max > MAX_KEY_LEN)
		max = MAX_KEY_LEN;
	if (max == 0 || key_char[(unsigned char)*s] != 1)
		return false;
	for (n = 1; n < max && key_char[(unsigned char)s[n]] != 0; n++)
		continue;
	return n < max && s[n] == '=';
}

/*
 * is_sep - whether the ',' at q starts the next field: ", key=" for
 * the given key (with its '='), or for any key when key is NULL.
 */
static bool
is_sep(const char *q, const char *end, const char *key, size_t keylen)
{
	if (end - q < 2 || q[0] != ',' || q[1] != ' ')
		return false;
	q += 2;
	if (key == NULL)
		return key_follows(q, end);
	return (size_t)(end - q) >= keylen && memcmp(q, key, keylen) == 0;
}

/* plain_sep - the next field separator from s, ignoring quotes */
static const char *
plain_sep(const char *s, const char *end, const char *key, size_t keylen)
{
	for (; s < end && (s = memchr(s, ',', (size_t)(end - s))) != NULL;
	    s++)
		if (is_sep(s, end, key, keylen))
			return s;
	return end;
}

/*
 * value_end_max - where a value starting at s ends: at the ", key="
 * that follows outside "..." and <...> (see the top of this file), or
 * end.  The quote-aware look covers at most max bytes, then a plain
 * look takes over: loops over a line's fields pass FIELD_SCAN_MAX, so
 * that a line of many fields each opening a bracket is still read in
 * linear time (an address is at most 256 bytes, RFC 5321 4.5.3.1.3).
 */
static const char *
value_end_max(const char *s, const char *end, const char *key,
    size_t keylen, size_t max)
{
	const char	*q, *lim;
	size_t		 depth = 0;
	bool		 quoted = false;

	lim = (size_t)(end - s) > max ? s + max : end;
	for (q = s; q < lim; q++) {
		while (!scan_stop[(unsigned char)*q] && ++q < lim)
			continue;
		if (q == lim)
			break;
		if (quoted) {
			if (*q == '\\' && q + 1 < end)
				q++;
			else if (*q == '"')
				quoted = false;
		} else if (*q == '"')
			quoted = true;
		else if (*q == '<')
			depth++;
		else if (*q == '>') {
			if (depth > 0)
				depth--;
		} else if (*q == ',' && depth == 0 &&
		    is_sep(q, end, key, keylen))
			return q;
	}
	if (lim == end && !quoted && depth == 0)
		return end;
	return plain_sep(s, end, key, keylen);
}

/* value_end - value_end_max() over the whole rest of the line */
static const char *
value_end(const char *s, const char *end, const char *key, size_t keylen)
{
	return value_end_max(s, end, key, keylen, SIZE_MAX);
}

/* field_end - the end of one of many fields' values */
static const char *
field_end(const char *v, const char *end)
{
	return value_end_max(v, end, NULL, 0, FIELD_SCAN_MAX);
}

/*
 * field_key - at ", key=" (or "key=" at the start), the key and where
 * its value starts; false when s holds no field.
 */
static bool
field_key(const char *s, const char *end, struct zstr *key,
    const char **value)
{
	const char	*k;

	if (s < end && *s == ',')
		s++;
	while (s < end && *s == ' ')
		s++;
	if (!key_follows(s, end))
		return false;
	for (k = s; *s != '='; s++)
		continue;
	*key = zstr_make(k, (size_t)(s - k));
	*value = s + 1;
	return true;
}

/*
 * address_of - the address in a logged value: the content of the
 * first <...> outside quotes ("Name <addr>", "<addr>"; "<>" gives the
 * empty null address; a bracket cut short runs to the end), else the
 * whole value without surrounding spaces.
 */
static struct zstr
address_of(const char *s, const char *e)
{
	struct zstr	 t = trim(s, e);
	const char	*q, *a = NULL;
	bool		 quoted = false;

	s = t.ptr;
	e = s + t.len;
	for (q = s; q < e; q++) {
		if (quoted) {
			if (*q == '\\' && q + 1 < e)
				q++;
			else if (*q == '"')
				quoted = false;
		} else if (*q == '"')
			quoted = true;
		else if (*q == '<') {
			a = q;
			break;
		}
	}
	if (a == NULL)
		return t;
	quoted = false;
	for (q = a + 1; q < e; q++) {
		if (quoted) {
			if (*q == '\\' && q + 1 < e)
				q++;
			else if (*q == '"')
				quoted = false;
		} else if (*q == '"')
			quoted = true;
		else if (*q == '>')
			return zstr_make(a + 1, (size_t)(q - a - 1));
	}
	/* An unbalanced quote proves nothing: the last '>' closes. */
	for (q = e; q > a + 1; q--)
		if (q[-1] == '>')
			return zstr_make(a + 1, (size_t)(q - 1 - a - 1));
	return zstr_make(a + 1, (size_t)(e - a - 1));
}

/*
 * is_address_text - whether the text in [...] of a relay is an
 * address: Sendmail writes "[192.0.2.1]" and "[IPv6:2001:db8::1]"
 * (anynet_ntoa()), but "[RESPONSE]" for its own DSNs (headers.c
 * logsender()).  Anything with a '.' or ':' and no space is taken, so
 * anonymised logs ("[192.0.2.xxx]") keep their client.
 */
static bool
is_address_text(struct zstr a)
{
	size_t	i;
	bool	dot = false;

	for (i = 0; i < a.len; i++) {
		if (a.ptr[i] == ' ' || a.ptr[i] == '[' || a.ptr[i] == ']')
			return false;
		if (a.ptr[i] == '.' || a.ptr[i] == ':')
			dot = true;
	}
	return dot;
}

/*
 * parse_relay - a client as Sendmail logs it (daemon.c getauthinfo(),
 * the $_ macro): "name [addr]", "[addr]", "ident@name [addr]", each
 * optionally followed by " (may be forged)", or "user@localhost" and
 * "localhost" for local submissions.  Sets *name (unset when only the
 * address was logged; the ident user dropped) and *addr; true when an
 * address was found.
 */
static bool
parse_relay(struct zstr v, struct zstr *name, struct zstr *addr)
{
	struct zstr	 t, in;
	const char	*s, *e, *at;
	size_t		 i;

	*name = ZSTR_NULL;
	*addr = ZSTR_NULL;
	if (v.ptr == NULL)
		return false;
	t = trim(v.ptr, v.ptr + v.len);
	s = t.ptr;
	e = s + t.len;
	if (ENDS(s, e, "(may be forged)")) {
		t = trim(s, e - 15);
		e = s + t.len;
	}
	if (e > s && e[-1] == ']') {
		for (i = (size_t)(e - s) - 1; i > 0 && s[i - 1] != '['; i--)
			continue;
		if (i > 0) {
			in = zstr_make(s + i, (size_t)(e - 1 - (s + i)));
			if (is_address_text(in)) {
				*addr = in;
				t = trim(s, s + i - 1);
				if ((at = rfind(t.ptr, t.ptr + t.len, "@", 1)) !=
				    NULL)
					t = zstr_make(at + 1, (size_t)(t.ptr +
					    t.len - at - 1));
				if (t.len > 0)
					*name = t;
				return true;
			}
		}
	}
	if (t.len > 0)
		*name = t;
	return false;
}

/*
 * parse_dsn - the RFC 3463 status code opening a reply text, after an
 * optional three-digit SMTP code: "550 5.7.1 text" or "5.7.1 text".
 */
static struct zstr
parse_dsn(struct zstr text)
{
	if (text.ptr == NULL)
		return ZSTR_NULL;
	return scan_status_code(text.ptr, text.ptr + text.len, false);
}

/* ignored - record an ignore reason */
static enum parse_status
ignored(struct sendmail_parser *p, enum ignore_reason reason)
{
	p->ignore = reason;
	return PARSE_IGNORED;
}

/* malformed - record a malformed reason */
static enum parse_status
malformed(struct sendmail_parser *p, enum malformed_reason reason)
{
	p->malformed = reason;
	return PARSE_MALFORMED;
}

/* add_kind - one more event for the line */
static void
add_kind(struct sendmail_parser *p, enum event_kind kind)
{
	if (p->nkinds < MAX_KINDS)
		p->kinds[p->nkinds++] = kind;
}

/* emit - the line gives one event (more may have been added) */
static enum parse_status
emit(struct sendmail_parser *p, enum event_kind kind)
{
	add_kind(p, kind);
	return PARSE_EVENTS;
}

/* add_recipient - keep one recipient of a "to=" line */
static void
add_recipient(struct sendmail_parser *p, struct zstr r)
{
	if (p->nrcpts == p->rcpt_cap) {
		p->rcpt_cap = p->rcpt_cap ? 2 * p->rcpt_cap : 16;
		p->rcpts = xreallocarray(p->rcpts, p->rcpt_cap,
		    sizeof(*p->rcpts));
	}
	p->rcpts[p->nrcpts++] = r;
}

/* add_element - one comma-separated part of a "to=" list */
static void
add_element(struct sendmail_parser *p, const char *s, const char *e)
{
	struct zstr	 t = trim(s, e), a;

	/* logdelivery() ends a list it had to cut with " [more]" */
	if (t.len == 0 || ZEQ(t, "[more]"))
		return;
	a = address_of(t.ptr, t.ptr + t.len);
	if (a.len > 0)
		add_recipient(p, a);
}

/*
 * split_recipients - the recipients of a "to=" list: Sendmail joins
 * them with ',' (deliver.c, e_to), so the list is split at commas
 * outside quotes, <...> and (...).  If the list leaves one of those
 * open, it is split at every comma instead.
 */
static void
split_recipients(struct sendmail_parser *p, const char *s, const char *end)
{
	const char	*q, *from = s;
	size_t		 angle = 0, paren = 0;
	bool		 quoted = false;

	for (q = s; q < end; q++) {
		while (!scan_stop[(unsigned char)*q] && ++q < end)
			continue;
		if (q == end)
			break;
		if (quoted) {
			if (*q == '\\' && q + 1 < end)
				q++;
			else if (*q == '"')
				quoted = false;
			continue;
		}
		switch (*q) {
		case '"':
			quoted = true;
			break;
		case '<':
			angle++;
			break;
		case '>':
			if (angle > 0)
				angle--;
			break;
		case '(':
			paren++;
			break;
		case ')':
			if (paren > 0)
				paren--;
			break;
		case ',':
			if (angle == 0 && paren == 0) {
				add_element(p, from, q);
				from = q + 1;
			}
			break;
		}
	}
	if (!quoted && angle == 0 && paren == 0) {
		add_element(p, from, end);
		return;
	}
	p->nrcpts = 0;
	for (from = s; (q = memchr(from, ',', (size_t)(end - from))) != NULL;
	    from = q + 1)
		add_element(p, from, q);
	add_element(p, from, end);
}

/*
 * compose_response - "stat; reply" in the parser's buffer: the stat=
 * text says what Sendmail made of the attempt, reply= what the remote
 * server said (logdelivery()).  A stat= that quotes the reply's start
 * after its own words ("Deferred: 421 4.7.0 Try later") gives them
 * and the reply once: "Deferred: 421 4.7.0 Try later, see ...".
 */
static struct zstr
compose_response(struct sendmail_parser *p, struct zstr stat,
    struct zstr reply)
{
	const char *colon = stat.len > 0 ? memmem(stat.ptr, stat.len, ": ",
	    2) : NULL;
	size_t	 keep = stat.len, sep = 2, quoted, need;

	if (colon != NULL) {
		quoted = stat.len - (size_t)(colon + 2 - stat.ptr);
		if (quoted > 0 && quoted <= reply.len &&
		    memcmp(colon + 2, reply.ptr, quoted) == 0) {
			keep = (size_t)(colon + 2 - stat.ptr);
			sep = 0;
		}
	}
	need = keep + sep + reply.len;
	if (need > p->text_cap) {
		p->text_cap = need > 2 * p->text_cap ? need : 2 * p->text_cap;
		p->text = xreallocarray(p->text, p->text_cap, 1);
	}
	if (keep > 0)
		memcpy(p->text, stat.ptr, keep);
	if (sep > 0)
		memcpy(p->text + keep, "; ", 2);
	if (reply.len > 0)
		memcpy(p->text + keep + sep, reply.ptr, reply.len);
	return zstr_make(p->text, need);
}

/*
 * parse_from - headers.c logsender(): "from=S, size=N, class=N,
 * nrcpts=N[, msgid=M][, bodytype=B][, proto=P][, daemon=D][,
 * tls_verify=V][, auth=A], relay=R".  The sender is cut at ", size=";
 * relay= is always last and trusted, so its last occurrence is taken
 * and fields before it cannot take it over.
 */
static enum parse_status
parse_from(struct sendmail_parser *p, const char *s, const char *end)
{
	struct mta_event *ev = &p->line;
	struct zstr	 key, value, raw, proto = ZSTR_NULL;
	const char	*v, *e, *relay, *head_end;
	bool		 have_size = false, have_nrcpts = false;
	bool		 have_msgid = false, has_addr, no_data = false;

	v = s + 5;
	e = value_end(v, end, "size=", 5);
	if (e == end)
		return malformed(p, MALFORMED_FIELD);
	raw = trim(v, e);
	/* "<NONE>": the envelope had no sender at all */
	if (!ZEQ(raw, "<NONE>"))
		ev->sender = address_of(v, e);
	relay = RFIND(e, end, ", relay=");
	head_end = relay != NULL ? relay : end;
	for (s = e; s < head_end; s = e) {
		if (!field_key(s, head_end, &key, &v)) {
			e = plain_sep(s + 1, head_end, NULL, 0);
			continue;
		}
		e = field_end(v, head_end);
		value = zstr_make(v, (size_t)(e - v));
		if (ZEQ(key, "size")) {
			if (!scan_u64(value.ptr, value.len, &ev->size_bytes))
				return malformed(p, MALFORMED_FIELD);
			no_data = ev->size_bytes == 0;
			if (ev->size_bytes == UINT64_MAX)
				ev->size_bytes = 0;	/* past 64 bits: none */
			have_size = true;
		} else if (ZEQ(key, "nrcpts")) {
			if (!scan_u64(value.ptr, value.len, &ev->nrcpt))
				return malformed(p, MALFORMED_FIELD);
			have_nrcpts = true;
		} else if (ZEQ(key, "msgid") && !have_msgid) {
			have_msgid = true;
			if (value.len > 0 && value.ptr[0] == '<') {
				value.ptr++;
				value.len--;
				if (value.len > 0 &&
				    value.ptr[value.len - 1] == '>')
					value.len--;
			}
			ev->message_id = value;
		} else if (ZEQ(key, "auth")) {
			/* _FFR_LOG_MORE1: the SASL mechanism, or NONE */
			if (value.len > 0 && !ZEQ(value, "NONE"))
				ev->sasl_method = value;
		} else if (ZEQ(key, "proto"))
			proto = value;
	}
	if (!have_size || !have_nrcpts)
		return malformed(p, MALFORMED_FIELD);
	/*
	 * A transaction the client abandoned (RSET or QUIT after RCPT):
	 * logged at its end with no data (Sendmail's own Received: header
	 * alone makes a message's size positive) and no Message-ID.
	 * Nothing was accepted, as for nrcpts=0.
	 */
	if (no_data && !have_msgid)
		ev->nrcpt = 0;
	/*
	 * Since 8.15 the protocol names TLS and the login (RFC 3848):
	 * srvrsmtp.c appends "S" for TLS, then "A" once the client
	 * authenticated.  One that ends in "S" was sent over TLS without
	 * logging in, whatever an earlier session of a reused process ID
	 * did: an empty login says so (see correlator.c on_client()).  A
	 * plain "ESMTP" says nothing: 8.14 logs it for every session,
	 * authenticated or not.
	 */
	if (proto.len > 0 && proto.ptr[proto.len - 1] == 'S' &&
	    FIND(proto.ptr, proto.ptr + proto.len, "SMTP") != NULL)
		ev->sasl_username = zstr_make(proto.ptr, 0);
	if (relay != NULL) {
		has_addr = parse_relay(zstr_make(relay + 8,
		    (size_t)(end - relay - 8)), &ev->client_name,
		    &ev->client_ip);
		if (has_addr)
			add_kind(p, EV_CLIENT);
		else if (zstr_is_set(ev->sender) && ev->sender.len > 0)
			add_kind(p, EV_PICKUP);
	}
	if (have_msgid)
		add_kind(p, EV_MESSAGE_ID);
	return emit(p, EV_QUEUED);
}

/*
 * delivery_status - the outcome a "to=" line reports.  logdelivery()
 * logs reply= only for a failed attempt, so with a reply the remote
 * text cannot make the line read "Sent".
 */
static enum delivery_status
delivery_status(struct zstr stat, struct zstr dsn, bool have_mailer,
    bool have_reply)
{
	const char	*s = stat.ptr;
	const char	*end = s != NULL ? s + stat.len : NULL;

	/* No mailer: logundelrcpts() naming recipients of a message that
	   was refused or abandoned before delivery (srvrsmtp.c). */
	if (!have_mailer)
		return DELIVERY_OTHER;
	if (s != NULL && STARTS(s, end, "Deferred"))
		return DELIVERY_DEFERRED;
	if (s != NULL && !have_reply && STARTS(s, end, "Sent"))
		return DELIVERY_SENT;
	/* "I/O error", "Operating system error": 4.0.0, kept queued */
	if (dsn.len > 0 && dsn.ptr[0] == '4')
		return DELIVERY_DEFERRED;
	if (s == NULL && dsn.len > 0 && dsn.ptr[0] == '2')
		return DELIVERY_SENT;
	return DELIVERY_BOUNCED;
}

/* Mailers of local mailboxes and the transport kind they stand for. */
static const struct {
	const char	*mailer;
	const char	*transport;
} local_mailers[] = {
	{ "local", "local" },
	{ "prog", "local" },
	{ "procmail", "local" },
	{ "*file*", "local" },
	{ "*include*", "local" },
	{ "lmtp", "lmtp" },
	{ "cyrus", "lmtp" },
	{ "cyrusv2", "lmtp" },
	{ "dovecot", "lmtp" },
	{ NULL, NULL }
};

/* mailer_transport - the transport a mailer= name counts as */
static struct zstr
mailer_transport(struct zstr mailer)
{
	size_t	i;

	for (i = 0; local_mailers[i].mailer != NULL; i++)
		if (zstr_eq_cstr(mailer, local_mailers[i].mailer))
			return zstr_make(local_mailers[i].transport,
			    strlen(local_mailers[i].transport));
	return mailer;
}

/*
 * accepted_as - the queue ID a Sendmail server gave a message it took
 * ("Sent (j061bXn5000812 Message accepted for delivery)", srvrsmtp.c),
 * or ZSTR_NULL: the relay's own MTA names so the copy its MSP handed
 * it (the correlator tells the relay's from a remote server's)
 */
static struct zstr
accepted_as(struct zstr stat)
{
	static const char tail[] = " Message accepted for delivery)";
	const char	*s = stat.ptr, *end = s + stat.len, *w;
	size_t		 n = sizeof(tail) - 1;

	if (!STARTS(s, end, "Sent (") || stat.len < 6 + n ||
	    memcmp(end - n, tail, n) != 0)
		return ZSTR_NULL;
	s += 6;
	for (w = s; w < end - n && *w != ' '; w++)
		continue;
	if (w != end - n || !sendmail_is_queue_id(zstr_make(s,
	    (size_t)(w - s))))
		return ZSTR_NULL;
	return zstr_make(s, (size_t)(w - s));
}

/*
 * is_abandoned - a logundelrcpts() status of a transaction the client
 * ended: "aborted by sender" (QUIT), or the command that cleared it as
 * the client typed it ("RSET", "rset", "EHLO", "helo")
 */
static bool
is_abandoned(struct zstr stat)
{
	static const char *const words[] = { "rset", "helo", "ehlo" };
	size_t	i;

	if (ZEQ(stat, "aborted by sender"))
		return true;
	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (stat.len == 4 && strncasecmp(stat.ptr, words[i], 4) == 0)
			return true;
	return false;
}

/*
 * discarded - the relay's DISCARD of the message on p's line: "QID:
 * discarded", or (LogLevel 10 and up, instead) each recipient's "to=
 * ..., stat=discarded"; a refusal of the whole message.
 */
static enum parse_status
discarded(struct sendmail_parser *p)
{
	struct mta_event *ev = &p->line;

	ev->reject_origin = REJECT_DISCARD;
	ev->stage = ZSTR_LIT("END-OF-MESSAGE");
	ev->response = ZSTR_LIT("discarded");
	return emit(p, EV_REJECT);
}

/*
 * parse_to - deliver.c logdelivery(): "to=LIST[ [more]], ctladdr=C,
 * delay=D, xdelay=X, mailer=M, pri=N, relay=R, dsn=X.Y.Z, reply=TEXT,
 * stat=TEXT".  stat= is last and free text; reply= runs to ", stat=".
 */
static enum parse_status
parse_to(struct sendmail_parser *p, const char *s, const char *end)
{
	struct mta_event *ev = &p->line;
	struct zstr	 key, stat = ZSTR_NULL, reply = ZSTR_NULL;
	const char	*v, *e, *list;
	bool		 have_mailer = false;

	list = s + 3;
	e = value_end(list, end, NULL, 0);
	/* logdelivery() for an envelope without a recipient list */
	if (ZEQ(trim(list, e), "NO-TO-LIST"))
		return ignored(p, IGNORE_QUEUE_INFO);
	split_recipients(p, list, e);
	if (p->nrcpts == 0)
		return malformed(p, MALFORMED_FIELD);
	for (s = e; s < end; s = e) {
		if (!field_key(s, end, &key, &v)) {
			e = plain_sep(s + 1, end, NULL, 0);
			continue;
		}
		if (ZEQ(key, "stat")) {
			stat = zstr_make(v, (size_t)(end - v));
			break;
		}
		if (ZEQ(key, "reply")) {
			if ((e = FIND(v, end, ", stat=")) == NULL)
				e = end;
			reply = zstr_make(v, (size_t)(e - v));
			continue;
		}
		e = field_end(v, end);
		if (ZEQ(key, "mailer")) {
			ev->transport = mailer_transport(zstr_make(v,
			    (size_t)(e - v)));
			have_mailer = true;
		} else if (ZEQ(key, "relay"))
			ev->relay = zstr_make(v, (size_t)(e - v));
		else if (ZEQ(key, "dsn"))
			ev->dsn = zstr_make(v, (size_t)(e - v));
	}
	if (zstr_is_set(stat)) {
		/* queueup() announces queued recipients: no attempt yet */
		if (ZEQ(stat, "queued"))
			return ignored(p, IGNORE_QUEUE_INFO);
		if (ZEQ(stat, "quarantined"))
			return ignored(p, IGNORE_FILTER_ACTION);
		/* logundelrcpts() of a transaction the client abandoned
		   (srvrsmtp.c, LogLevel 10 and up): no message */
		if (!have_mailer && is_abandoned(stat))
			return ignored(p, IGNORE_QUEUE_INFO);
		/* and of a message discarded: a recipient, and the
		   discard (counted once a message) */
		if (!have_mailer && ZEQ(stat, "discarded")) {
			ev->status = DELIVERY_OTHER;
			ev->response = stat;
			add_kind(p, EV_DELIVERY);
			return discarded(p);
		}
	} else if (ev->dsn.len == 0 || (ev->dsn.ptr[0] != '2' &&
	    ev->dsn.ptr[0] != '4' && ev->dsn.ptr[0] != '5'))
		return malformed(p, MALFORMED_FIELD);
	ev->status = delivery_status(stat, ev->dsn, have_mailer,
	    zstr_is_set(reply));
	if (ev->status == DELIVERY_SENT && zstr_is_set(stat))
		ev->related_queue_id = accepted_as(stat);
	if (zstr_is_set(reply) && zstr_is_set(stat))
		ev->response = compose_response(p, stat, reply);
	else
		ev->response = zstr_is_set(stat) ? stat : reply;
	return emit(p, EV_DELIVERY);
}

/*
 * starts_word - whether s starts with lit and a word boundary: end of
 * text, ';' or a space (for "done" and "Return receipt").
 */
static bool
starts_word(const char *s, const char *end, const char *lit, size_t n)
{
	if ((size_t)(end - s) < n || memcmp(s, lit, n) != 0)
		return false;
	return (size_t)(end - s) == n || s[n] == ';' || s[n] == ' ';
}

/*
 * parse_notice - savemail.c returntosender(): "QID2: DSN: text",
 * "QID2: return to sender: text", "QID2: sender notify: text",
 * "QID2: postmaster notify: text"; s is past "QID2: ".  When the
 * message timed out (envelope.c: "Cannot send message for %s",
 * "delivery time expired %lds") an EV_EXPIRED follows the notice.
 */
static enum parse_status
parse_notice(struct sendmail_parser *p, struct zstr qid2, const char *s,
    const char *end)
{
	struct mta_event *ev = &p->line;

	if (STARTS(s, end, "DSN: ")) {
		s += 5;
		ev->notice = starts_word(s, end, "Return receipt", 14) ?
		    NOTICE_DELIVERY_STATUS : NOTICE_NON_DELIVERY;
	} else if (STARTS(s, end, "return to sender: ")) {
		s += 18;
		ev->notice = NOTICE_NON_DELIVERY;
	} else if (STARTS(s, end, "sender notify: ")) {
		s += 15;
		ev->notice = NOTICE_DELAY;
	} else if (STARTS(s, end, "postmaster notify: ")) {
		s += 19;
		ev->notice = NOTICE_NON_DELIVERY;
	} else
		/* "clone: owner=..." and other pairs of IDs */
		return ignored(p, IGNORE_QUEUE_INFO);
	ev->related_queue_id = qid2;
	ev->response = zstr_make(s, (size_t)(end - s));
	add_kind(p, EV_BOUNCE_NOTICE);
	if (STARTS(s, end, "Cannot send message for ") ||
	    STARTS(s, end, "delivery time expired"))
		add_kind(p, EV_EXPIRED);
	return PARSE_EVENTS;
}

/* Rulesets with a stage of their own (cf/README, "Anti-spam"). */
static const struct {
	const char	*ruleset;
	const char	*stage;
} ruleset_stages[] = {
	{ "check_relay", "CONNECT" },
	{ "check_helo", "HELO" },
	{ "check_mail", "MAIL" },
	{ "check_rcpt", "RCPT" },
	{ "check_data", "DATA" },
	{ "check_eoh", "END-OF-MESSAGE" },
	{ "check_eom", "END-OF-MESSAGE" },
	{ "check_etrn", "ETRN" },
	{ "check_expn", "EXPN" },
	{ "check_vrfy", "VRFY" },
	{ NULL, NULL }
};

/*
 * is_session_stage - refusals of the session rather than a message:
 * their lines carry no queue ID (see sendmail.h).
 */
static bool
is_session_stage(struct zstr stage)
{
	return ZEQ(stage, "CONNECT") || ZEQ(stage, "HELO") ||
	    ZEQ(stage, "ETRN") || ZEQ(stage, "EXPN") || ZEQ(stage, "VRFY");
}

/* set_stage - the stage of a refusal; session stages drop the ID */
static void
set_stage(struct mta_event *ev, struct zstr stage)
{
	ev->stage = stage;
	if (is_session_stage(stage))
		ev->queue_id = ZSTR_NULL;
}

/*
 * parse_ruleset - parseaddr.c rscheck(): "ruleset=NAME, arg1=A[,
 * arg2=B][, relay=R], reject=TEXT", or ", discard", or ",
 * quarantine=TEXT".
 */
static enum parse_status
parse_ruleset(struct sendmail_parser *p, const char *s, const char *end)
{
	struct mta_event *ev = &p->line;
	struct zstr	 name, key, arg1 = ZSTR_NULL, arg2 = ZSTR_NULL;
	struct zstr	 relay = ZSTR_NULL, stage;
	const char	*v, *e;
	size_t		 i;
	bool		 have_reject = false;

	if (ENDS(s, end, ", discard"))
		return ignored(p, IGNORE_FILTER_ACTION);
	s += 8;
	for (e = s; e < end && *e != ',' && *e != ' '; e++)
		continue;
	name = zstr_make(s, (size_t)(e - s));
	if (name.len == 0)
		return malformed(p, MALFORMED_FIELD);
	/* srvrsmtp.c: MAIL's AUTH= parameter not trusted, so dropped; the
	   command itself goes on (as every local submission's does) */
	if (ZEQ(name, "trust_auth"))
		return ignored(p, IGNORE_QUEUE_INFO);
	for (s = e; s < end; s = e) {
		if (!field_key(s, end, &key, &v)) {
			e = plain_sep(s + 1, end, NULL, 0);
			continue;
		}
		if (ZEQ(key, "reject")) {
			ev->response = zstr_make(v, (size_t)(end - v));
			have_reject = true;
			break;
		}
		if (ZEQ(key, "quarantine"))
			return ignored(p, IGNORE_FILTER_ACTION);
		e = field_end(v, end);
		if (ZEQ(key, "arg1"))
			arg1 = zstr_make(v, (size_t)(e - v));
		else if (ZEQ(key, "arg2"))
			arg2 = zstr_make(v, (size_t)(e - v));
		else if (ZEQ(key, "relay"))
			relay = zstr_make(v, (size_t)(e - v));
	}
	if (!have_reject)
		return malformed(p, MALFORMED_FIELD);
	stage = name;
	for (i = 0; ruleset_stages[i].ruleset != NULL; i++)
		if (zstr_eq_cstr(name, ruleset_stages[i].ruleset)) {
			stage = zstr_make(ruleset_stages[i].stage,
			    strlen(ruleset_stages[i].stage));
			break;
		}
	if (zstr_is_set(arg1)) {
		if (ZEQ(name, "check_mail"))
			ev->sender = address_of(arg1.ptr, arg1.ptr + arg1.len);
		else if (ZEQ(name, "check_rcpt"))
			ev->recipient = address_of(arg1.ptr,
			    arg1.ptr + arg1.len);
		else if (ZEQ(name, "check_helo"))
			ev->helo = arg1;
	}
	(void)parse_relay(relay, &ev->client_name, &ev->client_ip);
	/* check_relay's arguments are the client's name and address */
	if (ZEQ(name, "check_relay") && !zstr_is_set(ev->client_ip) &&
	    zstr_is_set(arg2)) {
		ev->client_ip = arg2;
		if (zstr_is_set(arg1) && arg1.len > 0 && arg1.ptr[0] != '[')
			ev->client_name = arg1;
	}
	set_stage(ev, stage);
	ev->reject_origin = REJECT_SMTPD;
	ev->dsn = parse_dsn(ev->response);
	return emit(p, EV_REJECT);
}

/* A milter's connect refusal as 8.17 logs it, after the address */
#define REJECTING	"rejecting commands"

/*
 * parse_milter - the summary lines of a milter's verdict (srvrsmtp.c
 * MILTER_REPLY and smtp_data()): "Milter: from=<s>, reject=TEXT",
 * "to=<r>", "helo=H", "connect: host=H, addr=A", "cmd=data", "data".
 * Everything else a milter makes Sendmail log (per-filter "milter="
 * lines, which repeat the summary, header changes, accept, discard)
 * is a filter action.
 */
static enum parse_status
parse_milter(struct sendmail_parser *p, const char *s, const char *end)
{
	struct mta_event *ev = &p->line;
	const char	*v, *e;

	if (!STARTS(s, end, "Milter: ") || ENDS(s, end, ", discard"))
		return ignored(p, IGNORE_FILTER_ACTION);
	s += 8;
	if (STARTS(s, end, "from=")) {
		v = s + 5;
		e = value_end(v, end, "reject=", 7);
		ev->sender = address_of(v, e);
		set_stage(ev, ZSTR_LIT("MAIL"));
	} else if (STARTS(s, end, "to=")) {
		v = s + 3;
		e = value_end(v, end, "reject=", 7);
		ev->recipient = address_of(v, e);
		set_stage(ev, ZSTR_LIT("RCPT"));
	} else if (STARTS(s, end, "helo=")) {
		v = s + 5;
		e = value_end(v, end, "reject=", 7);
		ev->helo = zstr_make(v, (size_t)(e - v));
		set_stage(ev, ZSTR_LIT("HELO"));
	} else if (STARTS(s, end, "connect: host=")) {
		v = s + 14;
		e = value_end(v, end, "addr=", 5);
		if (e > v)
			ev->client_name = zstr_make(v, (size_t)(e - v));
		if (e < end) {
			v = e + 7;
			e = value_end(v, end, "reject=", 7);
			/* 8.17 without _FFR_MILTER_CONNECT_REPLYCODE: every
			   command of the connection refused, no reply */
			if (e == end && ENDS(v, end, ", " REJECTING)) {
				e = end - (sizeof(", " REJECTING) - 1);
				ev->client_ip = zstr_make(v, (size_t)(e - v));
				ev->response = ZSTR_LIT(REJECTING);
				ev->reject_origin = REJECT_MILTER;
				set_stage(ev, ZSTR_LIT("CONNECT"));
				return emit(p, EV_REJECT);
			}
			ev->client_ip = zstr_make(v, (size_t)(e - v));
		}
		set_stage(ev, ZSTR_LIT("CONNECT"));
	} else if (STARTS(s, end, "cmd=data,")) {
		e = s + 8;
		set_stage(ev, ZSTR_LIT("DATA"));
	} else if (STARTS(s, end, "data,")) {
		e = s + 4;
		set_stage(ev, ZSTR_LIT("END-OF-MESSAGE"));
	} else
		return ignored(p, IGNORE_FILTER_ACTION);
	if (!is_sep(e, end, "reject=", 7))
		return ignored(p, IGNORE_FILTER_ACTION);
	ev->response = zstr_make(e + 9, (size_t)(end - e - 9));
	ev->dsn = parse_dsn(ev->response);
	ev->reject_origin = REJECT_MILTER;
	return emit(p, EV_REJECT);
}

/*
 * parse_auth_ok - srvrsmtp.c: "AUTH=server, relay=R, authid=U,
 * mech=M, bits=N"; s is past "AUTH=server, relay=".  The user name
 * ends at the last ", mech=", the relay (trusted) at the first
 * ", authid=".
 */
static enum parse_status
parse_auth_ok(struct sendmail_parser *p, const char *s, const char *end)
{
	struct mta_event *ev = &p->line;
	const char	*a, *m, *b;

	if ((a = FIND(s, end, ", authid=")) == NULL ||
	    (m = RFIND(a + 9, end, ", mech=")) == NULL)
		return malformed(p, MALFORMED_FIELD);
	(void)parse_relay(zstr_make(s, (size_t)(a - s)), &ev->client_name,
	    &ev->client_ip);
	ev->sasl_username = zstr_make(a + 9, (size_t)(m - a - 9));
	if ((b = FIND(m + 7, end, ", bits=")) == NULL)
		b = end;
	ev->sasl_method = zstr_make(m + 7, (size_t)(b - m - 7));
	ev->queue_id = ZSTR_NULL;
	return emit(p, EV_AUTH_OK);
}

/*
 * parse_auth_failed - srvrsmtp.c LOGAUTHFAIL: "AUTH failure (M): TEXT
 * (N) SASLTEXT, user=U, relay=R"; s is past "AUTH failure (".  Older
 * versions log no user=.  The user name comes from the client and the
 * SASL text may repeat it, so the relay is the last ", relay=" and
 * the user runs from the first ", user=" to it.
 */
static enum parse_status
parse_auth_failed(struct sendmail_parser *p, const char *s,
    const char *end)
{
	struct mta_event *ev = &p->line;
	const char	*c, *t, *r, *u, *upto;

	if ((c = memchr(s, ')', (size_t)(end - s))) == NULL || c == s)
		return malformed(p, MALFORMED_FIELD);
	ev->sasl_method = zstr_make(s, (size_t)(c - s));
	t = c + 1;
	if (t < end && *t == ':')
		t++;
	if (t < end && *t == ' ')
		t++;
	if ((r = RFIND(t, end, ", relay=")) != NULL) {
		(void)parse_relay(zstr_make(r + 8, (size_t)(end - r - 8)),
		    &ev->client_name, &ev->client_ip);
		upto = r;
	} else
		upto = end;
	if ((u = FIND(t, upto, ", user=")) != NULL) {
		ev->sasl_username = zstr_make(u + 7, (size_t)(upto - u - 7));
		upto = u;
	}
	ev->response = zstr_make(t, (size_t)(upto - t));
	ev->queue_id = ZSTR_NULL;
	return emit(p, EV_AUTH_FAILED);
}

/* parse_auth - "AUTH..." lines */
static enum parse_status
parse_auth(struct sendmail_parser *p, const char *s, const char *end)
{
	if (STARTS(s, end, "AUTH=server, relay="))
		return parse_auth_ok(p, s + 19, end);
	if (STARTS(s, end, "AUTH failure ("))
		return parse_auth_failed(p, s + 14, end);
	if (STARTS(s, end, "AUTH warning") || STARTS(s, end, "AUTH error"))
		return ignored(p, IGNORE_WARNING);
	/* AUTH=client (the relay's own logins), mechanism lists */
	return ignored(p, IGNORE_SESSION);
}

/*
 * parse_usrerr - err.c usrerr() as logged while an SMTP or
 * command-line address is checked: "<addr>... text" or "addr... text".
 * PARSE_NOT_MINE when the line has not that shape.
 */
static enum parse_status
parse_usrerr(struct sendmail_parser *p, const char *s, const char *end)
{
	struct mta_event *ev = &p->line;
	const char	*q, *t = NULL;
	bool		 quoted = false;

	if (s < end && *s == '<') {
		for (q = s + 1; q < end && t == NULL; q++) {
			if (quoted) {
				if (*q == '\\' && q + 1 < end)
					q++;
				else if (*q == '"')
					quoted = false;
			} else if (*q == '"')
				quoted = true;
			else if (*q == '>' && STARTS(q + 1, end, "... "))
				t = q + 1;
		}
		if (t == NULL && (q = FIND(s, end, ">... ")) != NULL)
			t = q + 1;
		if (t == NULL)
			return PARSE_NOT_MINE;
		ev->recipient = zstr_make(s + 1, (size_t)(t - 1 - s - 1));
	} else {
		for (q = s; q < end && *q != ' '; q++)
			continue;
		if (q == end || q - s < 4 || memcmp(q - 3, "...", 3) != 0)
			return PARSE_NOT_MINE;
		t = q - 3;
		ev->recipient = zstr_make(s, (size_t)(t - s));
		if (ev->recipient.len == 0)
			return PARSE_NOT_MINE;
	}
	ev->response = zstr_make(t + 4, (size_t)(end - t - 4));
	ev->dsn = parse_dsn(ev->response);
	ev->reject_origin = REJECT_SMTPD;
	return emit(p, EV_REJECT);
}

/*
 * parse_pregreet - srvrsmtp.c greet_pause: "rejecting commands from
 * NAME [addr] due to pre-greeting traffic after N seconds"; s is past
 * "rejecting commands from ".
 */
static enum parse_status
parse_pregreet(struct sendmail_parser *p, const char *s, const char *end)
{
	struct mta_event *ev = &p->line;
	const char	*d;

	if ((d = FIND(s, end, " due to ")) == NULL)
		return ignored(p, IGNORE_SESSION);
	(void)parse_relay(zstr_make(s, (size_t)(d - s)), &ev->client_name,
	    &ev->client_ip);
	ev->response = zstr_make(d + 8, (size_t)(end - d - 8));
	ev->reject_origin = REJECT_SMTPD;
	set_stage(ev, ZSTR_LIT("CONNECT"));
	return emit(p, EV_REJECT);
}

/* parse_connect - main.c "connect from R" (LogLevel 10 and up) */
static enum parse_status
parse_connect(struct sendmail_parser *p, const char *s, const char *end)
{
	struct mta_event *ev = &p->line;

	if (!parse_relay(zstr_make(s, (size_t)(end - s)), &ev->client_name,
	    &ev->client_ip)) {
		ev->client_name = ZSTR_NULL;
		return ignored(p, IGNORE_SESSION);
	}
	ev->queue_id = ZSTR_NULL;
	return emit(p, EV_CONNECT);
}

/* starts_any - whether s starts with one of the strings */
static bool
starts_any(const char *s, const char *end, const char *const *list)
{
	size_t	i, n;

	for (i = 0; list[i] != NULL; i++) {
		n = strlen(list[i]);
		if ((size_t)(end - s) >= n && memcmp(s, list[i], n) == 0)
			return true;
	}
	return false;
}

/* is_session_text - SMTP session noise (srvrsmtp.c, collect.c) */
static bool
is_session_text(const char *s, const char *end)
{
	static const char *const prefixes[] = {
		"lost input channel from ", "timeout waiting for input from ",
		"collect: ", "Syntax error in mailbox address",
		"unauthorized PIPELINING", "too many ", "Null connection from ",
		NULL
	};

	return starts_any(s, end, prefixes) ||
	    FIND(s, end, " did not issue MAIL/EXPN/VRFY/ETRN") != NULL ||
	    FIND(s, end, ": possible SMTP attack: ") != NULL ||
	    FIND(s, end, ": probable open proxy: ") != NULL ||
	    FIND(s, end, ": ETRN ") != NULL ||
	    ENDS(s, end, " [rejected]");
}

/* is_tls_text - STARTTLS and TLS configuration chatter */
static bool
is_tls_text(const char *s, const char *end)
{
	static const char *const prefixes[] = {
		"STARTTLS", "TLS", "tls_", "SSL", "rscheck(tls_", NULL
	};

	return starts_any(s, end, prefixes);
}

/* is_warning_text - errors and warnings that name no message */
static bool
is_warning_text(const char *s, const char *end)
{
	static const char *const prefixes[] = {
		"SYSERR", "WARNING", "Warning", "warning", "ERROR", "error",
		"gethostbyaddr(", "My unqualified host name",
		"unable to qualify my own domain name", "can't ", "cannot ",
		"Losing ", "dangerous ", "Authentication-Warning", NULL
	};

	return starts_any(s, end, prefixes);
}

/* is_daemon_text - daemon start, stop, load and table notes */
static bool
is_daemon_text(const char *s, const char *end)
{
	static const char *const prefixes[] = {
		"starting daemon", "restarting ", "stopping daemon",
		"rejecting connections on daemon", "accepting connections",
		"rejecting new messages", "accepting new messages",
		"File descriptors missing on startup", "alias database ",
		"grew WorkList", "WorkList for", "runqueue", "started as:",
		"daemon ", "queue manager", "Queue manager",
		"persistent queue runner", "restart queue runner",
		"could not restart", "unable to write pid", "checkqueuerunner",
		"queue control process", NULL
	};

	/* rebuildaliases(): "/etc/mail/aliases: 12 aliases, longest 10
	   bytes, 150 bytes total" */
	return starts_any(s, end, prefixes) || ENDS(s, end, " bytes total");
}

/*
 * own_refusal - a refusal by the relay itself at stage, whose line is
 * its text (from s to end): collect.c "message size (N) exceeds
 * maximum (M)" at DATA (552); srvrsmtp.c "Too many recipients" at RCPT
 * (MaxRecipientsPerMessage, 452) and BadRcptThrottle's "Possible SMTP
 * RCPT flood, throttling."
 */
static enum parse_status
own_refusal(struct sendmail_parser *p, struct zstr stage, const char *s,
    const char *end)
{
	struct mta_event *ev = &p->line;

	ev->response = zstr_make(s, (size_t)(end - s));
	ev->reject_origin = REJECT_SMTPD;
	set_stage(ev, stage);
	return emit(p, EV_REJECT);
}

/* BadRcptThrottle's words after the client */
#define FLOOD_TEXT	": Possible SMTP RCPT flood, throttling."

/*
 * parse_text - the part after the scope; has_qid when the line named
 * a message (its ID is in p->line.queue_id).
 */
static enum parse_status
parse_text(struct sendmail_parser *p, const char *s, const char *end,
    bool has_qid)
{
	enum parse_status st;
	const char	*t;

	if (STARTS(s, end, "from="))
		return parse_from(p, s, end);
	if (STARTS(s, end, "to="))
		return parse_to(p, s, end);
	if (STARTS(s, end, "ruleset="))
		return parse_ruleset(p, s, end);
	if (STARTS(s, end, "Milter") || STARTS(s, end, "milter"))
		return parse_milter(p, s, end);
	if (STARTS(s, end, "AUTH"))
		return parse_auth(p, s, end);
	if (is_tls_text(s, end))
		return ignored(p, IGNORE_TLS);
	if (has_qid) {
		/* envelope.c dropenvelope(): the queue file is gone */
		if (starts_word(s, end, "done", 4))
			return emit(p, EV_REMOVED);
		for (t = s; t < end && *t != ':' && *t != ' '; t++)
			continue;
		if (t < end && *t == ':' && STARTS(t, end, ": ") &&
		    sendmail_is_queue_id(zstr_make(s, (size_t)(t - s))))
			return parse_notice(p, zstr_make(s, (size_t)(t - s)),
			    t + 2, end);
	}
	if (has_qid && STARTS(s, end, "message size (") &&
	    FIND(s, end, ") exceeds maximum (") != NULL)
		return own_refusal(p, ZSTR_LIT("DATA"), s, end);
	if (has_qid && ZEQ(zstr_make(s, (size_t)(end - s)),
	    "Too many recipients"))
		return own_refusal(p, ZSTR_LIT("RCPT"), s, end);
	/* "CLIENT: Possible ...", CLIENT as relay= names it ($_: "name
	   [addr]", "[addr]", "... (may be forged)") */
	if (has_qid && ENDS(s, end, FLOOD_TEXT)) {
		t = end - (sizeof(FLOOD_TEXT) - 1);
		if (!parse_relay(zstr_make(s, (size_t)(t - s)),
		    &p->line.client_name, &p->line.client_ip))
			return malformed(p, MALFORMED_FIELD);
		return own_refusal(p, ZSTR_LIT("RCPT"), t + 2, end);
	}
	if (STARTS(s, end, "connect from "))
		return parse_connect(p, s + 13, end);
	if (STARTS(s, end, "rejecting commands from "))
		return parse_pregreet(p, s + 24, end);
	if (is_session_text(s, end))
		return ignored(p, IGNORE_SESSION);
	if ((st = parse_usrerr(p, s, end)) != PARSE_NOT_MINE)
		return st;
	/* srvrsmtp.c: a DISCARD (access map, check_* ruleset, milter)
	   of the message, at its end: refused by the relay itself */
	if (has_qid && ZEQ(zstr_make(s, (size_t)(end - s)), "discarded"))
		return discarded(p);
	if (STARTS(s, end, "discarded") || STARTS(s, end, "quarantine") ||
	    STARTS(s, end, "unquarantine"))
		return ignored(p, IGNORE_FILTER_ACTION);
	if (is_warning_text(s, end))
		return ignored(p, IGNORE_WARNING);
	if (has_qid)
		return ignored(p, IGNORE_QUEUE_INFO);
	if (is_daemon_text(s, end))
		return ignored(p, IGNORE_DAEMON);
	return ignored(p, IGNORE_UNRECOGNISED);
}

/*
 * is_split_part - "QID[N]" or "NOQUEUE[N]": a part of a line that
 * sm_syslog() split (conf.c); the parts cannot be read on their own.
 */
static bool
is_split_part(struct zstr id)
{
	const char	*s = id.ptr, *end = s + id.len, *b, *q;

	if (id.len < 3 || end[-1] != ']' ||
	    (b = memchr(s, '[', id.len)) == NULL || b + 2 > end - 1)
		return false;
	for (q = b + 1; q < end - 1; q++)
		if (!is_digit(*q))
			return false;
	id.len = (size_t)(b - s);
	return ZEQ(id, "NOQUEUE") || sendmail_is_queue_id(id);
}

/*
 * looks_like_qid - a word that could only be a damaged queue ID:
 * 8 to 20 letters and digits, at least four of them digits (every
 * queue ID ends in a process ID; "Milter", "SYSERR(root)" are not).
 */
static bool
looks_like_qid(struct zstr id)
{
	size_t	i, digits = 0;

	if (id.len < OLD_QID_MIN || id.len > 20)
		return false;
	for (i = 0; i < id.len; i++) {
		if (is_digit(id.ptr[i]))
			digits++;
		else if (!is_letter(id.ptr[i]))
			return false;
	}
	return digits >= 4;
}

/* looks_like_event - text that only follows a queue ID */
static bool
looks_like_event(const char *s, const char *end)
{
	return STARTS(s, end, "from=") || STARTS(s, end, "to=") ||
	    STARTS(s, end, "ruleset=") || STARTS(s, end, "Milter: ") ||
	    starts_word(s, end, "done", 4);
}

/* parse_message - the scope before the first ": ", then the text */
static enum parse_status
parse_message(struct sendmail_parser *p, const char *s, const char *end)
{
	struct zstr	 id;
	const char	*t, *rest;

	for (t = s; t < end && *t != ':' && *t != ' '; t++)
		continue;
	if (t > s && t < end && (t + 1 == end || t[1] == ' ')) {
		id = zstr_make(s, (size_t)(t - s));
		rest = t + 1 < end ? t + 2 : end;
		if (ZEQ(id, "NOQUEUE"))
			return parse_text(p, rest, end, false);
		if (sendmail_is_queue_id(id)) {
			p->line.queue_id = p->base.queue_id = id;
			return parse_text(p, rest, end, true);
		}
		if (is_split_part(id))
			return ignored(p, IGNORE_QUEUE_INFO);
		if (looks_like_qid(id) && looks_like_event(rest, end))
			return malformed(p, MALFORMED_QUEUE_ID);
	}
	return parse_text(p, s, end, false);
}

/*
 * sendmail_feed - parse one line: Sendmail's or not, then by scope and
 * shape.
 */
enum parse_status
sendmail_feed(struct sendmail_parser *p, const struct syslog_header *hdr,
    enum ignore_reason *ignore, enum malformed_reason *malformedp)
{
	struct mta_event *ev = &p->line;
	const char	*s = hdr->message.ptr;
	enum parse_status st;

	p->nkinds = p->next_kind = 0;
	p->nrcpts = p->next_rcpt = 0;
	if (!sendmail_is_program(hdr->program))
		return PARSE_NOT_MINE;
	event_init(ev);
	ev->mta = MTA_SENDMAIL;
	ev->time_sec = hdr->time_sec;
	ev->time_usec = hdr->time_usec;
	ev->host = hdr->host;
	ev->program = hdr->program;
	ev->pid = hdr->pid;
	if (s == NULL)
		s = "";
	event_copy(&p->base, ev);
	st = parse_message(p, s, s + hdr->message.len);
	if (st == PARSE_IGNORED && ignore != NULL)
		*ignore = p->ignore;
	if (st == PARSE_MALFORMED && malformedp != NULL)
		*malformedp = p->malformed;
	if (st != PARSE_EVENTS)
		p->nkinds = 0;
	return st;
}

/*
 * build_event - one event of the line: the header, the queue ID and
 * the fields of its kind only (a "from=" line feeds three kinds).
 */
static void
build_event(const struct sendmail_parser *p, enum event_kind kind,
    struct mta_event *ev)
{
	const struct mta_event *l = &p->line;

	switch (kind) {
	case EV_CLIENT:
	case EV_PICKUP:
	case EV_MESSAGE_ID:
	case EV_QUEUED:
	case EV_DELIVERY:
	case EV_BOUNCE_NOTICE:
	case EV_EXPIRED:
		event_copy(ev, &p->base);
		break;
	default:
		event_copy(ev, l);
		break;
	}
	ev->kind = kind;
	switch (kind) {
	case EV_CLIENT:
		ev->client_ip = l->client_ip;
		ev->client_name = l->client_name;
		ev->sasl_method = l->sasl_method;
		ev->sasl_username = l->sasl_username;
		break;
	case EV_PICKUP:
		ev->sender = l->sender;
		break;
	case EV_MESSAGE_ID:
		ev->message_id = l->message_id;
		break;
	case EV_QUEUED:
		ev->sender = l->sender;
		ev->size_bytes = l->size_bytes;
		ev->nrcpt = l->nrcpt;
		break;
	case EV_DELIVERY:
		ev->transport = l->transport;
		ev->relay = l->relay;
		ev->dsn = l->dsn;
		ev->status = l->status;
		ev->response = l->response;
		ev->related_queue_id = l->related_queue_id;
		break;
	case EV_BOUNCE_NOTICE:
		ev->related_queue_id = l->related_queue_id;
		ev->notice = l->notice;
		ev->response = l->response;
		break;
	default:
		break;
	}
}

/*
 * sendmail_next - hand out the last line's events in order, once,
 * each built in p->out (a line gives several from its fields)
 */
const struct mta_event *
sendmail_next(struct sendmail_parser *p)
{
	struct mta_event *ev = &p->out;
	enum event_kind kind;

	while (p->next_kind < p->nkinds) {
		kind = p->kinds[p->next_kind];
		if (kind == EV_DELIVERY && p->next_rcpt >= p->nrcpts) {
			p->next_kind++;
			continue;
		}
		build_event(p, kind, ev);
		if (kind == EV_DELIVERY)
			ev->recipient = p->rcpts[p->next_rcpt++];
		else
			p->next_kind++;
		return ev;
	}
	return NULL;
}
