/*
 * postfix - Postfix log lines to events (see postfix.h).
 *
 * One pass over the message part of a line, by hand: the service name
 * picks a few special cases, then the line's shape decides.  Postfix
 * logs a message's life as "QUEUE_ID: detail", with "NOQUEUE" before a
 * queue file exists (smtpd rejects); the formats below are those of
 * Postfix 2.x and 3.x (smtpd.c log_whatsup(), cleanup_act.c
 * cleanup_act_log(), log_adhoc.c for delivery status lines, qmgr and
 * bounce notices).
 *
 * Field values inside "<...>" (addresses, HELO names) come from remote
 * clients and may hold any byte Postfix lets through, including '>',
 * ',' and spaces in quoted local parts.  A bracketed value therefore
 * ends at the first '>' outside a quoted string that ends the line or
 * is followed by the next "key=" (after ", " or " "), or by ": " where
 * a free text follows (cleanup).  That is right for every address
 * Postfix itself writes; a hostile unquoted address (older Postfix
 * logs addresses unquoted) built to look like the next field can only
 * shorten its own value.  An unterminated '<' makes the line
 * malformed.
 *
 * A number too large for 64 bits saturates, so that one absurd field
 * does not cost the line (sender, queue ID): a recipient count is
 * taken as UINT64_MAX, a size of UINT64_MAX or more as no size (0, as
 * for a message refused whole) rather than a figure that would swamp
 * the account's sizes.  A uid past INT64_MAX makes the line malformed,
 * as no account can be named by it.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "parsers/postfix.h"
#include "parsers/scan.h"
#include "util/xalloc.h"

struct postfix_parser {
	struct mta_event ev;		/* the last line's event */
	bool		 have_event;	/* not yet handed out */
	enum ignore_reason ignore;	/* why the last line was ignored */
	enum malformed_reason malformed; /* why it was malformed */
};

/* What a service name tells about its lines. */
enum service {
	SVC_OTHER,		/* generic handling */
	SVC_SMTPD,		/* sessions, client=, rejects, SASL */
	SVC_CLEANUP,		/* message-id=, header/body/milter actions */
	SVC_DELIVERY,		/* smtp, lmtp, local, virtual, pipe, ... */
	SVC_POSTSCREEN,		/* postscreen, dnsblog: all ignored */
	SVC_TLS,		/* tlsproxy, tlsmgr: all ignored */
	SVC_STATS,		/* anvil, scache */
	SVC_DAEMON		/* master, postfix-script: all ignored */
};

#define SHORT_QID_MIN	5	/* MQID_SH_USEC_PAD hex microseconds */
#define SHORT_QID_MAX	21	/* plus a 64-bit inode number in hex */
#define LONG_TIME_MIN	10	/* MQID_LG_TIME_PAD: 6 + 4 base-52 digits */
#define LONG_TIME_MAX	13
#define LONG_INUM_MAX	13	/* 64-bit inode number in base 51 */
#define MAX_KEY_LEN	32	/* longest "key" looked at before '=' */
#define QUOTED_SCAN_MAX	1024	/* quote-aware look for a value's end */

/*
 * Field reading is a handful of compares per field, run several times
 * a line; GCC's size heuristics would keep some of its helpers out of
 * line, at a cost larger than their work, so they are forced inline.
 */
#if defined(__GNUC__) || defined(__clang__)
#define HOT_INLINE	inline __attribute__((always_inline))
#else
#define HOT_INLINE	inline
#endif

#define STARTS(s, end, lit) \
	((size_t)((end) - (s)) >= sizeof(lit) - 1 && \
	 scan_same((s), (lit), sizeof(lit) - 1))
#define ZEQ(z, lit) \
	((z).len == sizeof(lit) - 1 && \
	 scan_same((z).ptr, (lit), sizeof(lit) - 1))

/* postfix_parser_new - a parser with no pending event */
struct postfix_parser *
postfix_parser_new(void)
{
	struct postfix_parser *p = xcalloc(1, sizeof(*p));

	event_init(&p->ev);
	return p;
}

/* postfix_parser_free - free the parser */
void
postfix_parser_free(struct postfix_parser *p)
{
	free(p);
}

/* postfix_next - hand out the last line's event once, in place */
const struct mta_event *
postfix_next(struct postfix_parser *p)
{
	if (!p->have_event)
		return NULL;
	p->have_event = false;
	return &p->ev;
}

/*
 * postfix_is_program - "postfix/..." or "postfix-INSTANCE/...", with a
 * non-empty last component (the service).  Multi-instance setups name
 * their instances "postfix-NAME" (postmulti(1)); master.cf services
 * with their own syslog_name add a middle part ("postfix/submission/
 * smtpd").
 */
bool
postfix_is_program(struct zstr program)
{
	const char	*s = program.ptr, *end;

	if (s == NULL)
		return false;
	end = s + program.len;
	/*
	 * Every line's program is asked about, also in other MTAs' logs:
	 * a short name or four bytes turn away nearly all other names,
	 * eight accept the usual "postfix/SERVICE".
	 */
	if (program.len < 7 || !scan_same(s, "post", 4))
		return false;
	if (STARTS(s, end, "postfix/"))
		return end[-1] != '/';
	if (!scan_same(s, "postfix", 7))
		return false;
	s += 7;
	if (s < end && *s == '-') {
		const char	*inst = ++s;

		while (s < end && *s != '/')
			s++;
		if (s == inst)
			return false;
	}
	if (s >= end || *s != '/')
		return false;
	return end[-1] != '/';
}

/*
 * Character classes, one table lookup per byte in the loops that read
 * every byte of a field: CH_KEY for "key=" names ([a-z_-]), CH_HEX for
 * short queue IDs ([0-9A-F]), CH_SAFE52 for the base-52 alphabet of
 * long queue IDs: digits and consonants of both cases (postfix
 * src/global/mail_queue.h, safe_ultostr.c); 'z' is its last digit,
 * which base 51 leaves out.  CH_TLS marks the first bytes of the
 * texts is_tls_text() knows.
 */
#define CH_KEY		0x1
#define CH_HEX		0x2
#define CH_SAFE52	0x4
#define CH_TLS		0x8
static const unsigned char char_class[256] = {
	['-'] = CH_KEY, ['0'] = CH_HEX | CH_SAFE52,
	['1'] = CH_HEX | CH_SAFE52, ['2'] = CH_HEX | CH_SAFE52,
	['3'] = CH_HEX | CH_SAFE52, ['4'] = CH_HEX | CH_SAFE52,
	['5'] = CH_HEX | CH_SAFE52, ['6'] = CH_HEX | CH_SAFE52,
	['7'] = CH_HEX | CH_SAFE52, ['8'] = CH_HEX | CH_SAFE52,
	['9'] = CH_HEX | CH_SAFE52, ['A'] = CH_HEX | CH_TLS,
	['B'] = CH_HEX | CH_SAFE52, ['C'] = CH_HEX | CH_SAFE52,
	['D'] = CH_HEX | CH_SAFE52, ['E'] = CH_HEX,
	['F'] = CH_HEX | CH_SAFE52, ['G'] = CH_SAFE52,
	['H'] = CH_SAFE52, ['J'] = CH_SAFE52, ['K'] = CH_SAFE52,
	['L'] = CH_SAFE52, ['M'] = CH_SAFE52, ['N'] = CH_SAFE52,
	['P'] = CH_SAFE52, ['Q'] = CH_SAFE52, ['R'] = CH_SAFE52,
	['S'] = CH_SAFE52 | CH_TLS, ['T'] = CH_SAFE52 | CH_TLS,
	['U'] = CH_TLS, ['V'] = CH_SAFE52 | CH_TLS,
	['W'] = CH_SAFE52, ['X'] = CH_SAFE52, ['Y'] = CH_SAFE52,
	['Z'] = CH_SAFE52, ['_'] = CH_KEY, ['a'] = CH_KEY,
	['b'] = CH_KEY | CH_SAFE52, ['c'] = CH_KEY | CH_SAFE52 | CH_TLS,
	['d'] = CH_KEY | CH_SAFE52, ['e'] = CH_KEY,
	['f'] = CH_KEY | CH_SAFE52, ['g'] = CH_KEY | CH_SAFE52,
	['h'] = CH_KEY | CH_SAFE52, ['i'] = CH_KEY,
	['j'] = CH_KEY | CH_SAFE52, ['k'] = CH_KEY | CH_SAFE52,
	['l'] = CH_KEY | CH_SAFE52, ['m'] = CH_KEY | CH_SAFE52,
	['n'] = CH_KEY | CH_SAFE52, ['o'] = CH_KEY,
	['p'] = CH_KEY | CH_SAFE52, ['q'] = CH_KEY | CH_SAFE52,
	['r'] = CH_KEY | CH_SAFE52, ['s'] = CH_KEY | CH_SAFE52 | CH_TLS,
	['t'] = CH_KEY | CH_SAFE52, ['u'] = CH_KEY,
	['v'] = CH_KEY | CH_SAFE52, ['w'] = CH_KEY | CH_SAFE52,
	['x'] = CH_KEY | CH_SAFE52, ['y'] = CH_KEY | CH_SAFE52,
	['z'] = CH_KEY | CH_SAFE52,
};

/* is_hex_upper - [0-9A-F] */
static bool
is_hex_upper(unsigned char c)
{
	return (char_class[c] & CH_HEX) != 0;
}

/* is_safe52 - a digit of long queue IDs (see char_class) */
static bool
is_safe52(unsigned char c)
{
	return (char_class[c] & CH_SAFE52) != 0;
}

/*
 * postfix_is_queue_id - short form: 5 to 21 upper-case hex digits (hex
 * microseconds padded to 5, then the inode number in hex); long form
 * (enable_long_queue_ids): at least 10 base-52 digits of time, the
 * separator 'z', and the inode number in base 51, which has no 'z', so
 * the separator is the last 'z' (mail_queue.h MQID_FIND_LG_INUM_SEPARATOR).
 */
bool
postfix_is_queue_id(struct zstr s)
{
	const unsigned char *q = (const unsigned char *)s.ptr;
	size_t		 i, sep = s.len;

	if (q == NULL || s.len < SHORT_QID_MIN)
		return false;
	for (i = 0; i < s.len && is_hex_upper(q[i]); i++)
		continue;
	if (i == s.len)
		return s.len <= SHORT_QID_MAX;
	for (i = 0; i < s.len; i++) {
		if (!is_safe52(q[i]))
			return false;
		if (q[i] == 'z')
			sep = i;
	}
	return sep >= LONG_TIME_MIN && sep <= LONG_TIME_MAX &&
	    s.len - sep - 1 >= 1 && s.len - sep - 1 <= LONG_INUM_MAX;
}

/*
 * hex_upper_word - whether each of the eight bytes in w is [0-9A-F].
 * Adding 0x50 to a byte below 0x80 sets its high bit when it is '0'
 * or above, adding 0x46 when above '9', 0x3f from 'A' and 0x39 above
 * 'F'; none of these sums carries into the next byte, and a word with
 * a byte of 0x80 or above is refused first.  Byte order plays no part.
 */
static inline bool
hex_upper_word(uint64_t w)
{
	uint64_t	digit, letter;

	digit = (w + SCAN_ONES * 0x50) & ~(w + SCAN_ONES * 0x46);
	letter = (w + SCAN_ONES * 0x3f) & ~(w + SCAN_ONES * 0x39);
	return (w & SCAN_HIGHS) == 0 &&
	    ((digit | letter) & SCAN_HIGHS) == SCAN_HIGHS;
}

/*
 * is_short_hex_id - whether s is a short queue ID of 8 to 16 digits,
 * the usual kind, tested in two overlapping words; false says nothing
 * about other lengths and forms (postfix_is_queue_id() knows them).
 */
static inline bool
is_short_hex_id(struct zstr s)
{
	uint64_t	a, b;

	if (s.len < 8 || s.len > 16)
		return false;
	memcpy(&a, s.ptr, sizeof(a));
	memcpy(&b, s.ptr + s.len - 8, sizeof(b));
	return hex_upper_word(a) && hex_upper_word(b);
}

/* service_kind - classify the last program component */
static enum service
service_kind(struct zstr s)
{
	if (s.len == 0)
		return SVC_OTHER;
	switch (s.ptr[0]) {
	case 'a':
		if (ZEQ(s, "anvil"))
			return SVC_STATS;
		break;
	case 'c':
		if (ZEQ(s, "cleanup"))
			return SVC_CLEANUP;
		break;
	case 'd':
		if (ZEQ(s, "discard"))
			return SVC_DELIVERY;
		if (ZEQ(s, "dnsblog"))
			return SVC_POSTSCREEN;
		break;
	case 'e':
		if (ZEQ(s, "error"))
			return SVC_DELIVERY;
		break;
	case 'l':
		if (ZEQ(s, "local") || ZEQ(s, "lmtp"))
			return SVC_DELIVERY;
		break;
	case 'm':
		if (ZEQ(s, "master"))
			return SVC_DAEMON;
		break;
	case 'p':
		if (ZEQ(s, "pipe"))
			return SVC_DELIVERY;
		if (ZEQ(s, "postscreen"))
			return SVC_POSTSCREEN;
		if (ZEQ(s, "postfix-script") || ZEQ(s, "postfix"))
			return SVC_DAEMON;
		break;
	case 'r':
		if (ZEQ(s, "relay") || ZEQ(s, "retry"))
			return SVC_DELIVERY;
		break;
	case 's':
		if (ZEQ(s, "smtpd"))
			return SVC_SMTPD;
		if (ZEQ(s, "smtp"))
			return SVC_DELIVERY;
		if (ZEQ(s, "scache"))
			return SVC_STATS;
		break;
	case 't':
		if (ZEQ(s, "tlsproxy") || ZEQ(s, "tlsmgr"))
			return SVC_TLS;
		break;
	case 'v':
		if (ZEQ(s, "virtual"))
			return SVC_DELIVERY;
		break;
	}
	return SVC_OTHER;
}

/* ignored - record an ignore reason */
static enum parse_status
ignored(struct postfix_parser *p, enum ignore_reason reason)
{
	p->ignore = reason;
	return PARSE_IGNORED;
}

/* malformed - record a malformed reason */
static enum parse_status
malformed(struct postfix_parser *p, enum malformed_reason reason)
{
	p->malformed = reason;
	return PARSE_MALFORMED;
}

/* emit - the event in p->ev is complete */
static enum parse_status
emit(struct postfix_parser *p, enum event_kind kind)
{
	p->ev.kind = kind;
	p->have_event = true;
	return PARSE_EVENTS;
}

/* is_key_char - characters of a "key=" name */
static inline bool
is_key_char(unsigned char c)
{
	return (char_class[c] & CH_KEY) != 0;
}

/* The keys some field loop acts on; FK_OTHER for every other "key=". */
enum field_key {
	FK_OTHER,
	FK_TO,
	FK_ORIG_TO,
	FK_RELAY,
	FK_DSN,
	FK_STATUS,
	FK_FROM,
	FK_SIZE,
	FK_NRCPT,
	FK_UID,
	FK_HELO,
	FK_SASL_METHOD,
	FK_SASL_USERNAME
};

#define KNOWN_KEY(lit, id) do {						\
	if (STARTS(s, end, lit)) {					\
		*fk = (id);						\
		return s + sizeof(lit) - 1;				\
	}								\
} while (0)

/*
 * known_key - the value after a "key=" that Postfix logs on the lines
 * parsed here, and which key it is; NULL when s starts with no such
 * "key=".  Each literal ends in '=', which is not a key character, so
 * a match is exactly the key that the byte-by-byte reading of
 * next_field() would find, only cheaper: one switch and a word
 * compare or two instead of a table lookup per byte and a compare per
 * key.  Keys nobody reads but Postfix logs often (delay=, proto=, ...)
 * are here as FK_OTHER for the same reason.  s < end.
 */
static HOT_INLINE const char *
known_key(const char *s, const char *end, enum field_key *fk)
{
	switch (*s) {
	case 'c':
		KNOWN_KEY("conn_use=", FK_OTHER);
		break;
	case 'd':
		KNOWN_KEY("dsn=", FK_DSN);
		KNOWN_KEY("delay=", FK_OTHER);
		KNOWN_KEY("delays=", FK_OTHER);
		break;
	case 'f':
		KNOWN_KEY("from=", FK_FROM);
		break;
	case 'h':
		KNOWN_KEY("helo=", FK_HELO);
		break;
	case 'n':
		KNOWN_KEY("nrcpt=", FK_NRCPT);
		break;
	case 'o':
		KNOWN_KEY("orig_to=", FK_ORIG_TO);
		break;
	case 'p':
		KNOWN_KEY("proto=", FK_OTHER);
		break;
	case 'r':
		KNOWN_KEY("relay=", FK_RELAY);
		break;
	case 's':
		KNOWN_KEY("status=", FK_STATUS);
		KNOWN_KEY("size=", FK_SIZE);
		KNOWN_KEY("sasl_method=", FK_SASL_METHOD);
		KNOWN_KEY("sasl_username=", FK_SASL_USERNAME);
		break;
	case 't':
		KNOWN_KEY("to=", FK_TO);
		break;
	case 'u':
		KNOWN_KEY("uid=", FK_UID);
		break;
	}
	return NULL;
}

/*
 * key_follows - whether s starts with "key=" (bounded look-ahead); a
 * known key (shorter than MAX_KEY_LEN) answers without the loop
 */
static HOT_INLINE bool
key_follows(const char *s, const char *end)
{
	const char	*k = s;
	enum field_key	 fk;

	if (s < end && known_key(s, end, &fk) != NULL)
		return true;
	while (s < end && s - k < MAX_KEY_LEN && is_key_char(*s))
		s++;
	return s > k && s < end && *s == '=';
}

/* closes_value - whether the '>' at q ends a bracketed value */
static inline bool
closes_value(const char *q, const char *end, bool colon_text)
{
	const char	*r = q + 1;

	if (r == end)
		return true;
	if (colon_text && *r == ':' && (r + 1 == end || r[1] == ' '))
		return true;
	if (*r == ',')
		r++;
	return r < end && *r == ' ' && key_follows(r + 1, end);
}

/*
 * bracket_end - the '>' closing a value whose content starts at s (see
 * the top of this file), or NULL.  Postfix 3.5 and later log addresses
 * in external form (info_log_address_format), where a local part with
 * '>', ',' or spaces is quoted, so a first pass skips "..." strings
 * (with backslash escapes).  Older versions log the bare form and an
 * unbalanced quote proves nothing, so when that pass finds no end a
 * second one ignores quotes.  The quoted pass looks at most
 * QUOTED_SCAN_MAX bytes (an SMTP path has at most 256, RFC 5321
 * 4.5.3.1.3) and each '>' costs a bounded look-ahead, so a line of
 * hostile fields is still read in linear time.
 */
static const char *
bracket_end(const char *s, const char *end, bool colon_text)
{
	const char	*q, *lim;
	bool		 quoted = false;

	lim = end - s > QUOTED_SCAN_MAX ? s + QUOTED_SCAN_MAX : end;
	for (q = s; q < lim; q++) {
		/* Jump to the next byte the cases below act on. */
		q = quoted ? scan_find2(q, lim, '"', '\\') :
		    scan_find2(q, lim, '"', '>');
		if (q == lim)
			break;
		if (*q == '"')
			quoted = !quoted;
		else if (quoted && *q == '\\' && q + 1 < end)
			q++;
		else if (!quoted && *q == '>' &&
		    closes_value(q, end, colon_text))
			return q;
	}
	for (q = s; q < end && (q = memchr(q, '>', (size_t)(end - q))) !=
	    NULL; q++)
		if (closes_value(q, end, colon_text))
			return q;
	return NULL;
}

/*
 * value_end - bracket_end() for the usual value, without quotes: when
 * the first '"' or '>' is a '>' that closes the value, and within the
 * first pass's reach, bracket_end() would stop at that same byte.
 * Anything else takes the whole way there.
 */
static HOT_INLINE const char *
value_end(const char *s, const char *end, bool colon_text)
{
	const char	*q = scan_find2(s, end, '"', '>');

	if (q < end && q - s < QUOTED_SCAN_MAX && *q == '>' &&
	    closes_value(q, end, colon_text))
		return q;
	return bracket_end(s, end, colon_text);
}

/*
 * comma_key_end - end of a bare value that may hold spaces and commas
 * (SASL user names): the next ", key=" or the end of the line.
 */
static const char *
comma_key_end(const char *s, const char *end)
{
	const char	*q = s;

	while (q < end && (q = memchr(q, ',', (size_t)(end - q))) != NULL) {
		if (q + 1 < end && q[1] == ' ' && key_follows(q + 2, end))
			return q;
		q++;
	}
	return end;
}

/* Options for next_field(). */
#define FIELD_COLON_TEXT 0x1	/* ": text" may follow the last field */
#define FIELD_WIDE_BARE	 0x2	/* bare values run to ", key=" */

/*
 * next_field - skip a separator (",", spaces), then read "key=value";
 * *fk says which key (known_key()), the value is the content of
 * "<...>" or a bare token.  Returns the end of the field; NULL when
 * no "key=" is there, with *bad set when a '<' was left open.  Inline,
 * so that each loop gets a copy for its constant flags.
 */
static HOT_INLINE const char *
next_field(const char *s, const char *end, int flags, enum field_key *fk,
    struct zstr *value, bool *bad)
{
	const char	*k, *e;

	*bad = false;
	/* ", " is how Postfix separates nearly every field: one compare */
	if (end - s >= 2 && scan_same(s, ", ", 2))
		s += 2;
	else if (s < end && *s == ',')
		s++;
	while (s < end && *s == ' ')
		s++;
	if (s >= end)
		return NULL;
	if ((e = known_key(s, end, fk)) != NULL)
		s = e;
	else {
		for (k = s; s < end && is_key_char(*s); s++)
			continue;
		if (s == k || s >= end || *s != '=')
			return NULL;
		*fk = FK_OTHER;
		s++;
	}
	if (s < end && *s == '<') {
		if ((e = value_end(s + 1, end, flags & FIELD_COLON_TEXT)) ==
		    NULL) {
			*bad = true;
			return NULL;
		}
		*value = zstr_make(s + 1, (size_t)(e - s - 1));
		return e + 1;
	}
	if (flags & FIELD_WIDE_BARE)
		e = comma_key_end(s, end);
	else if (flags & FIELD_COLON_TEXT)
		e = scan_find3(s, end, ' ', ',', ':');
	else
		e = scan_find2(s, end, ' ', ',');
	*value = zstr_make(s, (size_t)(e - s));
	return e;
}

/*
 * parse_client - "name[address]" with an optional ":port" (Postfix
 * smtpd_client_port_logging); returns the end, or NULL.  The name is
 * everything before the first '[' (Postfix only logs verified host
 * names or "unknown"); the address is kept as logged, IPv6 included.
 */
static const char *
parse_client(const char *s, const char *end, struct zstr *name,
    struct zstr *addr)
{
	const char	*b, *a;

	b = scan_find2(s, end, '[', ' ');
	if (b >= end || *b != '[')
		return NULL;
	a = scan_find3(++b, end, ']', ' ', '[');
	if (a >= end || *a != ']' || a == b)
		return NULL;
	*name = zstr_make(s, (size_t)(b - 1 - s));
	*addr = zstr_make(b, (size_t)(a - b));
	a++;
	if (a + 1 < end && *a == ':' && (unsigned)(a[1] - '0') <= 9) {
		for (a++; a < end && (unsigned)(*a - '0') <= 9; a++)
			continue;
	}
	return a;
}

/*
 * parse_dsn - the RFC 3463 status code opening a reply text, after an
 * optional three-digit SMTP code: "550 5.7.1 text" or "5.7.1 text".
 */
static struct zstr
parse_dsn(struct zstr text)
{
	/* an unset response: no pointer arithmetic on NULL */
	if (text.ptr == NULL)
		return ZSTR_NULL;
	return scan_status_code(text.ptr, text.ptr + text.len, false);
}

/*
 * reply_tail - where the "; from=<...> to=<...> proto=... helo=<...>"
 * tail of a log_whatsup() line starts: the first "; " followed by one
 * of those keys, or a ';' ending the line.  The text often opens by
 * echoing the client's address ("<rcpt>: Recipient address rejected"),
 * so the search starts after that echo.  *dsn is the status code that
 * opens the text, looked for up to the end of the line.
 */
static const char *
reply_tail(const char *s, const char *end, struct zstr *dsn_out)
{
	const char	*q = s, *t;
	struct zstr	 dsn = parse_dsn(zstr_make(s, (size_t)(end - s)));

	*dsn_out = dsn;
	if (dsn.ptr != NULL) {
		q = dsn.ptr + dsn.len;
		if (q < end && *q == ' ')
			q++;
		if (q < end && *q == '<') {
			for (t = q; t < end; t++) {
				t = memchr(t, '>', (size_t)(end - t));
				if (t == NULL || (t + 1 < end && t[1] == ':'))
					break;
			}
			if (t != NULL && t < end)
				q = t;
		}
	}
	while (q < end && (q = memchr(q, ';', (size_t)(end - q))) != NULL) {
		if (q + 1 == end)
			return q;
		if (q[1] == ' ' && (STARTS(q + 2, end, "from=<") ||
		    STARTS(q + 2, end, "to=<") ||
		    STARTS(q + 2, end, "proto=") ||
		    STARTS(q + 2, end, "helo=")))
			return q;
		q++;
	}
	return end;
}

/*
 * parse_tail - "from=<s> to=<r> proto=P helo=<h>", separated by spaces
 * (smtpd, cleanup) or ", " (postscreen), and for cleanup an optional
 * ": text" at the end, which becomes the response.  False for an
 * unterminated '<'.
 */
static bool
parse_tail(struct postfix_parser *p, const char *s, const char *end,
    int flags)
{
	struct zstr	 value;
	enum field_key	 fk;
	const char	*e;
	bool		 bad;

	for (;;) {
		if ((flags & FIELD_COLON_TEXT) && s < end && *s == ':') {
			s++;
			if (s < end && *s == ' ')
				s++;
			p->ev.response = zstr_make(s, (size_t)(end - s));
			return true;
		}
		if ((e = next_field(s, end, flags, &fk, &value, &bad)) ==
		    NULL)
			return !bad;
		if (fk == FK_FROM)
			p->ev.sender = value;
		else if (fk == FK_TO)
			p->ev.recipient = value;
		else if (fk == FK_HELO)
			p->ev.helo = value;
		s = e;
	}
}

/*
 * login_named - the SASL login a refusal names: smtpd's
 * reject_sender_login_mismatch (and reject_authenticated_sender_login_
 * mismatch) answer a logged-in client "<s>: Sender address rejected:
 * not owned by user LOGIN", the login the client used, which Postfix
 * logs on no other line of a session that never has a message
 * accepted; unset otherwise
 */
static struct zstr
login_named(struct zstr response)
{
	static const char words[] = "Sender address rejected: not owned by "
	    "user ";
	const size_t	 n = sizeof(words) - 1;
	const char	*w, *end;

	if (response.len <= n ||
	    (w = memmem(response.ptr, response.len, words, n)) == NULL)
		return ZSTR_NULL;
	w += n;
	end = response.ptr + response.len;
	if (w == end || memchr(w, ' ', (size_t)(end - w)) != NULL)
		return ZSTR_NULL;
	return zstr_make(w, (size_t)(end - w));
}

/*
 * parse_whatsup - smtpd log_whatsup() (and cleanup milter) format,
 * after "reject: ": "STAGE from name[addr]: REPLY; TAIL".  Postfix
 * before-queue filters log "proxy-reject: STAGE: REPLY; TAIL" without
 * the client, which is accepted too.
 */
static enum parse_status
parse_whatsup(struct postfix_parser *p, const char *s, const char *end,
    enum reject_origin origin)
{
	struct mta_event *ev = &p->ev;
	const char	*t, *tail;
	struct zstr	 dsn;

	t = scan_find2(s, end, ' ', ':');
	if (t == s || t >= end)
		return malformed(p, MALFORMED_FIELD);
	ev->stage = zstr_make(s, (size_t)(t - s));
	if (STARTS(t, end, " from ")) {
		t = parse_client(t + 6, end, &ev->client_name, &ev->client_ip);
		if (t == NULL || t >= end || *t != ':')
			return malformed(p, MALFORMED_FIELD);
	} else if (*t != ':')
		return malformed(p, MALFORMED_FIELD);
	t++;
	if (t < end && *t == ' ')
		t++;
	tail = reply_tail(t, end, &dsn);
	ev->response = zstr_make(t, (size_t)(tail - t));
	/*
	 * A code found up to the end of the line is the response's own:
	 * its bytes hold no ';', so the tail starts at or after its end.
	 * Only without one can the shorter response tell otherwise
	 * ("5.7.1;" at the end of the reply).
	 */
	ev->dsn = dsn.ptr != NULL ? dsn : parse_dsn(ev->response);
	ev->reject_origin = origin;
	if (tail < end && !parse_tail(p, tail + 1, end, 0))
		return malformed(p, MALFORMED_FIELD);
	if (origin == REJECT_SMTPD)
		ev->sasl_username = login_named(ev->response);
	return emit(p, EV_REJECT);
}

/*
 * parse_cleanup_reject - cleanup_act_log() format, after "reject: "
 * (or "discard: "): "CLASS TEXT from CLIENT; TAIL[: REPLY]", CLIENT
 * "name[addr]" or "local".  TEXT is the offending header (up to 200
 * bytes, sender's content), so the client is the first " from X;"
 * where X has the shape of a client.
 */
static enum parse_status
parse_cleanup_reject(struct postfix_parser *p, const char *s,
    const char *end, enum reject_origin origin)
{
	struct mta_event *ev = &p->ev;
	const char	*t, *q, *c;

	for (t = s; t < end && *t != ' '; t++)
		continue;
	if (t == s || t >= end)
		return malformed(p, MALFORMED_FIELD);
	ev->stage = zstr_make(s, (size_t)(t - s));
	for (q = t; ; q++) {
		while (q < end && (q = memchr(q, ' ', (size_t)(end - q))) !=
		    NULL && !STARTS(q, end, " from "))
			q++;
		if (q == NULL || q >= end)
			return malformed(p, MALFORMED_FIELD);
		c = q + 6;
		if (STARTS(c, end, "local;")) {
			t = c + 5;
			break;
		}
		t = parse_client(c, end, &ev->client_name, &ev->client_ip);
		if (t != NULL && t < end && *t == ';')
			break;
		ev->client_name = ZSTR_NULL;
		ev->client_ip = ZSTR_NULL;
	}
	ev->reject_origin = origin;
	if (!parse_tail(p, t + 1, end, FIELD_COLON_TEXT))
		return malformed(p, MALFORMED_FIELD);
	ev->dsn = parse_dsn(ev->response);
	return emit(p, EV_REJECT);
}

/*
 * parse_discard - after "discard: " or "milter-discard: ": a DISCARD
 * action, which accepts the message and throws all of it away.  smtpd
 * logs it as log_whatsup() does a refusal ("RCPT from name[addr]:
 * <a>: Sender address triggers DISCARD action; from=<> ..."; with a
 * queue ID when one recipient was taken before), cleanup as
 * cleanup_act_log() does ("header Subject: ... from name[addr]; from=<>
 * ...[: TEXT]"), and a milter at the end of the message either way
 * ("END-OF-MESSAGE from local; ..." for a local submission).  Nothing
 * of the message is logged after it: no "removed" line follows.
 */
static enum parse_status
parse_discard(struct postfix_parser *p, const char *s, const char *end)
{
	const char	*t;

	if (s < end && *s >= 'A' && *s <= 'Z') {
		t = scan_find2(s, end, ' ', ':');
		if (!STARTS(t, end, " from local;"))
			return parse_whatsup(p, s, end, REJECT_DISCARD);
	}
	return parse_cleanup_reject(p, s, end, REJECT_DISCARD);
}

/*
 * action_word - "reject" in "reject: ...": a lower-case word with
 * hyphens or underscores ending in ": ", else an unset zstr.
 */
static struct zstr
action_word(const char *s, const char *end)
{
	const char	*t = s;

	while (t < end && is_key_char(*t))
		t++;
	if (t == s || t >= end || *t != ':' || (t + 1 < end && t[1] != ' '))
		return ZSTR_NULL;
	return zstr_make(s, (size_t)(t - s));
}

/*
 * is_filter_action - access(5), header_checks(5) and milter actions
 * other than reject: logged, but they refuse nothing.
 */
static bool
is_filter_action(struct zstr w)
{
	static const char *const words[] = {
		"reject_warning", "warning", "info", "hold",
		"prepend", "redirect", "replace", "filter", "bcc", "strip",
		"ignore", "dunno", NULL
	};
	size_t	i;

	if (STARTS(w.ptr, w.ptr + w.len, "milter-") ||
	    STARTS(w.ptr, w.ptr + w.len, "proxy-"))
		return true;
	for (i = 0; words[i] != NULL; i++)
		if (w.len == strlen(words[i]) &&
		    memcmp(w.ptr, words[i], w.len) == 0)
			return true;
	return false;
}

/*
 * parse_action - "reject: ...", "milter-reject: ..." and the other
 * filter actions, with or without a queue ID; PARSE_NOT_MINE when s
 * holds no action word.
 */
static enum parse_status
parse_action(struct postfix_parser *p, enum service svc, const char *s,
    const char *end)
{
	struct zstr	 w = action_word(s, end);
	const char	*rest;

	if (w.ptr == NULL)
		return PARSE_NOT_MINE;
	rest = s + w.len + 1;
	if (rest < end)
		rest++;
	if (ZEQ(w, "reject")) {
		/* smtpd stages are upper case; cleanup classes are not */
		if (rest < end && *rest >= 'A' && *rest <= 'Z')
			return parse_whatsup(p, rest, end, svc == SVC_CLEANUP ?
			    REJECT_CLEANUP : REJECT_SMTPD);
		return parse_cleanup_reject(p, rest, end, REJECT_CLEANUP);
	}
	if (ZEQ(w, "milter-reject") || ZEQ(w, "proxy-reject"))
		return parse_whatsup(p, rest, end, REJECT_MILTER);
	if (ZEQ(w, "discard") || ZEQ(w, "milter-discard"))
		return parse_discard(p, rest, end);
	if (is_filter_action(w))
		return ignored(p, IGNORE_FILTER_ACTION);
	return PARSE_NOT_MINE;
}

/*
 * queued_as - the queue ID a reply ends with ("250 2.0.0 Ok: queued as
 * 4D5E6F", the words Postfix's smtpd answers the end of DATA with; a
 * content filter such as amavisd-new passes the re-injecting smtpd's
 * answer on), when it is a Postfix queue ID; unset otherwise.  The
 * correlator decides whether that ID is a message of this relay.
 */
static struct zstr
queued_as(struct zstr reply)
{
	static const char words[] = "queued as ";
	const size_t	 n = sizeof(words) - 1;
	const char	*end = reply.ptr + reply.len, *id;
	struct zstr	 qid;

	id = memrchr(reply.ptr, ' ', reply.len);
	id = id != NULL ? id + 1 : reply.ptr;
	if ((size_t)(id - reply.ptr) < n || memcmp(id - n, words, n) != 0)
		return ZSTR_NULL;
	qid = zstr_make(id, (size_t)(end - id));
	return postfix_is_queue_id(qid) ? qid : ZSTR_NULL;
}

/*
 * parse_delivery - log_adhoc.c: "to=<r>, orig_to=<o>, relay=R,
 * delay=D, delays=a/b/c/d, dsn=X.Y.Z, status=S (response)".  Fields
 * Postfix adds over time (conn_use=, tls=) are skipped.  The response
 * is everything inside the parentheses after status, which may nest;
 * a line cut short keeps what it has.
 */
static enum parse_status
parse_delivery(struct postfix_parser *p, struct zstr service,
    const char *s, const char *end)
{
	struct mta_event *ev = &p->ev;
	struct zstr	 value;
	enum field_key	 fk;
	const char	*e;
	bool		 bad, have_status = false;

	ev->transport = service;
	while (s < end) {
		e = next_field(s, end, 0, &fk, &value, &bad);
		if (e == NULL) {
			if (bad)
				return malformed(p, MALFORMED_FIELD);
			/* an unknown value with spaces: on to the next ", " */
			for (s++; s < end && !(s[0] == ',' && s + 1 < end &&
			    s[1] == ' '); s++)
				continue;
			continue;
		}
		s = e;
		/* delay=, delays=, conn_use=: nearly half the fields */
		if (fk == FK_OTHER)
			continue;
		if (fk == FK_TO && !zstr_is_set(ev->recipient))
			ev->recipient = value;
		else if (fk == FK_ORIG_TO)
			ev->orig_recipient = value;
		else if (fk == FK_RELAY)
			ev->relay = value;
		else if (fk == FK_DSN)
			ev->dsn = value;
		else if (fk == FK_STATUS) {
			have_status = true;
			if (value.len == 0)
				return malformed(p, MALFORMED_FIELD);
			if (ZEQ(value, "sent"))
				ev->status = DELIVERY_SENT;
			else if (ZEQ(value, "bounced"))
				ev->status = DELIVERY_BOUNCED;
			else if (ZEQ(value, "deferred") ||
			    ZEQ(value, "SOFTBOUNCE"))
				/* soft_bounce = yes: a refusal kept in
				   the queue as a deferral */
				ev->status = DELIVERY_DEFERRED;
			else if (ZEQ(value, "expired"))
				ev->status = DELIVERY_EXPIRED;
			else
				ev->status = DELIVERY_OTHER;
			while (s < end && *s == ' ')
				s++;
			if (s < end && *s == '(') {
				s++;
				e = end[-1] == ')' && end - 1 >= s ?
				    end - 1 : end;
				ev->response = zstr_make(s, (size_t)(e - s));
			}
			break;
		}
	}
	if (!have_status || !zstr_is_set(ev->recipient))
		return malformed(p, MALFORMED_FIELD);
	if (ev->status == DELIVERY_SENT && zstr_is_set(ev->response))
		ev->related_queue_id = queued_as(ev->response);
	return emit(p, EV_DELIVERY);
}

/*
 * parse_qmgr_from - qmgr: "from=<s>, size=N, nrcpt=N (queue active)",
 * or "from=<s>, status=expired, returned to sender" (force-expired
 * after postsuper -e).
 */
static enum parse_status
parse_qmgr_from(struct postfix_parser *p, const char *s, const char *end)
{
	struct mta_event *ev = &p->ev;
	struct zstr	 value, status = ZSTR_NULL;
	enum field_key	 fk;
	const char	*e;
	bool		 bad, have_size = false;

	while ((e = next_field(s, end, 0, &fk, &value, &bad)) != NULL) {
		s = e;
		if (fk == FK_FROM)
			ev->sender = value;
		else if (fk == FK_SIZE) {
			if (!scan_u64(value.ptr, value.len, &ev->size_bytes))
				return malformed(p, MALFORMED_FIELD);
			if (ev->size_bytes == UINT64_MAX)
				ev->size_bytes = 0;	/* no size */
			have_size = true;
		} else if (fk == FK_NRCPT) {
			if (!scan_u64(value.ptr, value.len, &ev->nrcpt))
				return malformed(p, MALFORMED_FIELD);
		} else if (fk == FK_STATUS)
			status = value;
	}
	if (bad || !zstr_is_set(ev->sender))
		return malformed(p, MALFORMED_FIELD);
	if (zstr_is_set(status)) {
		if (ZEQ(status, "expired") || ZEQ(status, "force-expired"))
			return emit(p, EV_EXPIRED);
		return ignored(p, IGNORE_QUEUE_INFO);
	}
	if (!have_size)
		return malformed(p, MALFORMED_FIELD);
	return emit(p, EV_QUEUED);
}

/* parse_pickup - pickup: "uid=N from=<s>" (orig_id= may follow) */
static enum parse_status
parse_pickup(struct postfix_parser *p, const char *s, const char *end)
{
	struct mta_event *ev = &p->ev;
	struct zstr	 value;
	enum field_key	 fk;
	const char	*e;
	uint64_t	 uid = 0;
	bool		 bad, have_uid = false;

	while ((e = next_field(s, end, 0, &fk, &value, &bad)) != NULL) {
		s = e;
		if (fk == FK_UID) {
			if (!scan_u64(value.ptr, value.len, &uid) ||
			    uid > INT64_MAX)
				return malformed(p, MALFORMED_FIELD);
			have_uid = true;
		} else if (fk == FK_FROM)
			ev->sender = value;
	}
	if (bad || !have_uid || !zstr_is_set(ev->sender))
		return malformed(p, MALFORMED_FIELD);
	ev->uid = (int64_t)uid;
	return emit(p, EV_PICKUP);
}

/*
 * parse_client_line - smtpd: "client=name[addr], sasl_method=M,
 * sasl_username=U, sasl_sender=S, orig_queue_id=Q, orig_client=C".
 * SASL names are free text, so bare values run to the next ", key=".
 */
static enum parse_status
parse_client_line(struct postfix_parser *p, const char *s, const char *end)
{
	struct mta_event *ev = &p->ev;
	struct zstr	 value;
	enum field_key	 fk;
	const char	*e;
	bool		 bad;

	s = parse_client(s, end, &ev->client_name, &ev->client_ip);
	if (s == NULL)
		return malformed(p, MALFORMED_FIELD);
	while ((e = next_field(s, end, FIELD_WIDE_BARE, &fk, &value,
	    &bad)) != NULL) {
		s = e;
		if (fk == FK_SASL_METHOD)
			ev->sasl_method = value;
		else if (fk == FK_SASL_USERNAME)
			ev->sasl_username = value;
		else if (fk == FK_HELO)
			ev->helo = value;
	}
	if (bad)
		return malformed(p, MALFORMED_FIELD);
	return emit(p, EV_CLIENT);
}

/*
 * parse_message_id - cleanup: "message-id=<id>" as found in the
 * header: usually bracketed, but it may be empty ("<>"), unbracketed
 * or MIME-encoded junk; the brackets are dropped when present.
 */
static enum parse_status
parse_message_id(struct postfix_parser *p, const char *s, const char *end)
{
	if (s < end && *s == '<')
		s++;
	if (end > s && end[-1] == '>')
		end--;
	p->ev.message_id = zstr_make(s, (size_t)(end - s));
	return emit(p, EV_MESSAGE_ID);
}

/*
 * parse_notice - bounce: "sender non-delivery notification: QID",
 * also "postmaster ..." and the delay and delivery status kinds.
 */
static enum parse_status
parse_notice(struct postfix_parser *p, const char *s, const char *end)
{
	struct mta_event *ev = &p->ev;

	if (STARTS(s, end, "sender "))
		s += 7;
	else if (STARTS(s, end, "postmaster "))
		s += 11;
	else
		return PARSE_NOT_MINE;
	if (STARTS(s, end, "non-delivery notification: ")) {
		ev->notice = NOTICE_NON_DELIVERY;
		s += 27;
	} else if (STARTS(s, end, "delay notification: ")) {
		ev->notice = NOTICE_DELAY;
		s += 20;
	} else if (STARTS(s, end, "delivery status notification: ")) {
		ev->notice = NOTICE_DELIVERY_STATUS;
		s += 30;
	} else
		return PARSE_NOT_MINE;
	ev->related_queue_id = zstr_make(s, (size_t)(end - s));
	if (!postfix_is_queue_id(ev->related_queue_id))
		return malformed(p, MALFORMED_QUEUE_ID);
	return emit(p, EV_BOUNCE_NOTICE);
}

/* parse_queue_line - "QID: ..." */
static enum parse_status
parse_queue_line(struct postfix_parser *p, enum service svc,
    struct zstr service, const char *s, const char *end)
{
	enum parse_status st;

	/* the shapes below start with different bytes */
	switch (s < end ? *s : '\0') {
	case 't':
		if (STARTS(s, end, "to="))
			return parse_delivery(p, service, s, end);
		break;
	case 'c':
		if (STARTS(s, end, "client="))
			return parse_client_line(p, s + 7, end);
		break;
	case 'm':
		if (STARTS(s, end, "message-id="))
			return parse_message_id(p, s + 11, end);
		break;
	case 'u':
		if (STARTS(s, end, "uid="))
			return parse_pickup(p, s, end);
		break;
	case 'f':
		if (STARTS(s, end, "from="))
			return parse_qmgr_from(p, s, end);
		break;
	case 'r':
		if (STARTS(s, end, "removed") && (s + 7 == end || s[7] == ' '))
			return emit(p, EV_REMOVED);
		break;
	}
	if ((st = parse_notice(p, s, end)) != PARSE_NOT_MINE)
		return st;
	if ((st = parse_action(p, svc, s, end)) != PARSE_NOT_MINE)
		return st;
	/* host said, lost connection, PIX workarounds, skipped, ... */
	return ignored(p, IGNORE_QUEUE_INFO);
}

/*
 * looks_like_event - the start of a line kind that needs a queue ID;
 * with a bad ID in front the line is malformed, not uninteresting.
 */
static bool
looks_like_event(const char *s, const char *end)
{
	return STARTS(s, end, "to=") || STARTS(s, end, "client=") ||
	    STARTS(s, end, "message-id=") || STARTS(s, end, "uid=") ||
	    STARTS(s, end, "from=") || STARTS(s, end, "reject: ") ||
	    STARTS(s, end, "milter-reject: ") ||
	    STARTS(s, end, "sender non-delivery notification: ") ||
	    (STARTS(s, end, "removed") && s + 7 == end);
}

/*
 * is_tls_text - TLS handshake and certificate chatter, by its opening
 * words; the first byte picks the few it can be.  Every one of them
 * but "SSL_" has a space before any ':' (see postfix_feed()).
 */
static bool
is_tls_text(const char *s, const char *end)
{
	if (s >= end)
		return false;
	switch (*s) {
	case 'A':
		return STARTS(s, end, "Anonymous TLS connection");
	case 'S':
		return STARTS(s, end, "SSL_") || STARTS(s, end, "SSL ");
	case 'T':
		return STARTS(s, end, "Trusted TLS connection") ||
		    STARTS(s, end, "TLS ");
	case 'U':
		return STARTS(s, end, "Untrusted TLS connection");
	case 'V':
		return STARTS(s, end, "Verified TLS connection");
	case 'c':
		return STARTS(s, end, "certificate verification failed");
	case 's':
		return STARTS(s, end, "setting up TLS connection") ||
		    STARTS(s, end, "server certificate verification failed") ||
		    STARTS(s, end, "starting TLS");
	}
	return false;
}

/*
 * is_tls_peer_text - "name[addr]:port: subject_CN=...", "...: Matched
 * subjectAltName ..." and the like: TLS details about a peer.
 */
static bool
is_tls_peer_text(const char *s, const char *end)
{
	static const char *const words[] = {
		"subject_CN=", "Matched ", "issuer", "re-using session",
		"save session", "Trusted ", "Verified ", "Untrusted ",
		"certificate ", "depth=", "cert ", "pkey ", "sha",
		"SSL", "TLS", NULL
	};
	struct zstr	 name, addr;
	size_t		 i, n;

	if ((s = parse_client(s, end, &name, &addr)) == NULL ||
	    !STARTS(s, end, ": "))
		return false;
	s += 2;
	for (i = 0; words[i] != NULL; i++) {
		n = strlen(words[i]);
		if ((size_t)(end - s) >= n && memcmp(s, words[i], n) == 0)
			return true;
	}
	return false;
}

/* is_session_text - smtpd session noise naming no message */
static bool
is_session_text(const char *s, const char *end)
{
	static const char *const prefixes[] = {
		"lost connection after ", "timeout after ",
		"too many errors after ", "improper command pipelining after ",
		"bare <LF> received after ", "discarding EHLO keywords",
		"hangup after ", NULL
	};
	size_t	i, n;

	for (i = 0; prefixes[i] != NULL; i++) {
		n = strlen(prefixes[i]);
		if ((size_t)(end - s) >= n && memcmp(s, prefixes[i], n) == 0)
			return true;
	}
	return false;
}

/*
 * parse_auth_failed - smtpd: "name[addr]: SASL METHOD authentication
 * failed: TEXT", newer Postfix appending ", sasl_username=USER".  The
 * reason comes from the SASL library and the user name from the
 * client, so the first ", sasl_username=" splits them.
 */
static enum parse_status
parse_auth_failed(struct postfix_parser *p, const char *s, const char *end)
{
	struct mta_event *ev = &p->ev;
	const char	*t, *u;

	if ((s = parse_client(s, end, &ev->client_name, &ev->client_ip)) ==
	    NULL || !STARTS(s, end, ": SASL "))
		goto no;
	s += 7;
	for (t = s; t < end && *t != ' '; t++)
		continue;
	if (t == s || !STARTS(t, end, " authentication failed"))
		goto no;
	ev->sasl_method = zstr_make(s, (size_t)(t - s));
	s = t + 22;
	if (s < end && *s == ':')
		s++;
	if (s < end && *s == ' ')
		s++;
	for (u = s; u < end && (u = memchr(u, ',', (size_t)(end - u))) !=
	    NULL; u++)
		if (STARTS(u, end, ", sasl_username="))
			break;
	if (u != NULL && u < end) {
		ev->response = zstr_make(s, (size_t)(u - s));
		ev->sasl_username = zstr_make(u + 16, (size_t)(end - u - 16));
	} else
		ev->response = zstr_make(s, (size_t)(end - s));
	return emit(p, EV_AUTH_FAILED);
no:
	ev->client_name = ZSTR_NULL;
	ev->client_ip = ZSTR_NULL;
	return PARSE_NOT_MINE;
}

/*
 * The limits smtpd enforces through anvil(8), as smtpd.c logs them:
 * "warning: WHAT limit exceeded: N from name[addr] for service S".
 * The client is told only "421 4.7.0 ... too many connections", "450
 * 4.7.1 Error: too much mail from addr" and so on; no "reject:" line
 * is logged, so this warning is the refusal's only record.  The stage
 * is the command refused, the code the one of its reply.
 */
static const struct {
	const char	*what;
	const char	*stage;
	const char	*dsn;
} anvil_limits[] = {
	{ "Connection concurrency limit", "CONNECT", "4.7.0" },
	{ "Connection rate limit", "CONNECT", "4.7.0" },
	{ "Message delivery request rate limit", "MAIL", "4.7.1" },
	{ "Recipient address rate limit", "RCPT", "4.7.1" },
	{ "New TLS session rate limit", "STARTTLS", "4.7.0" },
	{ "AUTH command rate limit", "AUTH", "4.7.1" },
};

/*
 * parse_rate_limit - an smtpd anvil limit warning, after "warning: ",
 * as a refusal with no queue ID whose response is the warning's text
 */
static enum parse_status
parse_rate_limit(struct postfix_parser *p, const char *s, const char *end)
{
	struct mta_event *ev = &p->ev;
	const char	*t, *digits;
	size_t		 i, n = 0;

	for (i = 0; i < sizeof(anvil_limits) / sizeof(anvil_limits[0]); i++) {
		n = strlen(anvil_limits[i].what);
		if ((size_t)(end - s) > n &&
		    memcmp(s, anvil_limits[i].what, n) == 0 &&
		    STARTS(s + n, end, " exceeded: "))
			break;
	}
	if (i == sizeof(anvil_limits) / sizeof(anvil_limits[0]))
		return PARSE_NOT_MINE;
	/* the count anvil reported, then the client */
	for (t = digits = s + n + 11; t < end && *t >= '0' && *t <= '9'; t++)
		continue;
	if (t == digits || !STARTS(t, end, " from "))
		return malformed(p, MALFORMED_FIELD);
	t = parse_client(t + 6, end, &ev->client_name, &ev->client_ip);
	if (t == NULL || !STARTS(t, end, " for service ")) {
		ev->client_name = ZSTR_NULL;
		ev->client_ip = ZSTR_NULL;
		return malformed(p, MALFORMED_FIELD);
	}
	ev->stage = zstr_make(anvil_limits[i].stage,
	    strlen(anvil_limits[i].stage));
	ev->dsn = zstr_make(anvil_limits[i].dsn, strlen(anvil_limits[i].dsn));
	ev->response = zstr_make(s, (size_t)(end - s));
	ev->reject_origin = REJECT_SMTPD;
	return emit(p, EV_REJECT);
}

/* parse_warning - "warning: ..." */
static enum parse_status
parse_warning(struct postfix_parser *p, enum service svc, const char *s,
    const char *end)
{
	enum parse_status st;

	if (svc == SVC_SMTPD &&
	    (st = parse_auth_failed(p, s, end)) != PARSE_NOT_MINE)
		return st;
	if (svc == SVC_SMTPD &&
	    (st = parse_rate_limit(p, s, end)) != PARSE_NOT_MINE)
		return st;
	if (is_tls_text(s, end) || is_tls_peer_text(s, end))
		return ignored(p, IGNORE_TLS);
	return ignored(p, IGNORE_WARNING);
}

/* parse_session - smtpd "connect from" and "disconnect from" */
static enum parse_status
parse_session(struct postfix_parser *p, const char *s, const char *end,
    enum event_kind kind)
{
	if (parse_client(s, end, &p->ev.client_name, &p->ev.client_ip) ==
	    NULL)
		return malformed(p, MALFORMED_FIELD);
	return emit(p, kind);
}

/* parse_text - a line with no queue ID in front */
static enum parse_status
parse_text(struct postfix_parser *p, enum service svc, const char *s,
    const char *end)
{
	enum parse_status st;

	if (svc == SVC_SMTPD) {
		if (STARTS(s, end, "connect from "))
			return parse_session(p, s + 13, end, EV_CONNECT);
		if (STARTS(s, end, "disconnect from "))
			return parse_session(p, s + 16, end, EV_DISCONNECT);
		if (is_session_text(s, end))
			return ignored(p, IGNORE_SESSION);
		if ((st = parse_action(p, svc, s, end)) != PARSE_NOT_MINE)
			return st;
	}
	if (is_tls_text(s, end) || is_tls_peer_text(s, end))
		return ignored(p, IGNORE_TLS);
	/* dict_changed(): a lookup table was rebuilt, the daemon exits */
	if (STARTS(s, end, "table ") && (size_t)(end - s) >= 25 &&
	    memcmp(end - 25, "has changed -- restarting", 25) == 0)
		return ignored(p, IGNORE_DAEMON);
	if (svc == SVC_DELIVERY && STARTS(s, end, "connect to "))
		return ignored(p, IGNORE_SESSION);
	return ignored(p, IGNORE_UNRECOGNISED);
}

/*
 * parse_message - a Postfix line of a service that is not ignored
 * whole: by message level, queue ID or NOQUEUE, and shape
 */
static enum parse_status
parse_message(struct postfix_parser *p, enum service svc,
    struct zstr service, const char *s, const char *end)
{
	const char	*t;
	enum parse_status st;

	/* the levels start with different bytes */
	switch (s < end ? *s : '\0') {
	case 'w':
		if (STARTS(s, end, "warning: "))
			return parse_warning(p, svc, s + 9, end);
		break;
	case 'e':
		if (STARTS(s, end, "error: "))
			return ignored(p, IGNORE_WARNING);
		break;
	case 'f':
		if (STARTS(s, end, "fatal: "))
			return ignored(p, IGNORE_DAEMON);
		break;
	case 'p':
		if (STARTS(s, end, "panic: "))
			return ignored(p, IGNORE_DAEMON);
		break;
	}
	if (svc == SVC_STATS)
		return ignored(p, STARTS(s, end, "statistics: ") ?
		    IGNORE_STATISTICS : IGNORE_UNRECOGNISED);
	t = scan_find2(s, end, ':', ' ');
	st = PARSE_NOT_MINE;
	if (t > s && t < end && *t == ':' && (t + 1 == end || t[1] == ' ')) {
		struct zstr	 id = zstr_make(s, (size_t)(t - s));
		const char	*rest = t + 1 < end ? t + 2 : end;

		if (ZEQ(id, "NOQUEUE")) {
			if ((st = parse_action(p, svc, rest, end)) ==
			    PARSE_NOT_MINE)
				st = ignored(p, is_session_text(rest, end) ?
				    IGNORE_SESSION : IGNORE_UNRECOGNISED);
		} else if (is_short_hex_id(id) || postfix_is_queue_id(id)) {
			p->ev.queue_id = id;
			st = parse_queue_line(p, svc, service, rest, end);
		} else if (looks_like_event(rest, end))
			st = malformed(p, MALFORMED_QUEUE_ID);
	}
	if (st == PARSE_NOT_MINE)
		st = parse_text(p, svc, s, end);
	return st;
}

/*
 * postfix_feed - parse one line: Postfix's or not, then the services
 * and texts ignored whole, then parse_message().
 */
enum parse_status
postfix_feed(struct postfix_parser *p, const struct syslog_header *hdr,
    enum ignore_reason *ignore, enum malformed_reason *malformedp)
{
	struct mta_event *ev = &p->ev;
	struct zstr	 service = hdr->service;
	const char	*s = hdr->message.ptr, *end, *t;
	enum parse_status st;
	enum service	 svc;

	p->have_event = false;
	if (!postfix_is_program(hdr->program))
		return PARSE_NOT_MINE;
	if (!zstr_is_set(service)) {
		t = hdr->program.ptr + hdr->program.len;
		while (t > hdr->program.ptr && t[-1] != '/')
			t--;
		service = zstr_make(t, (size_t)(hdr->program.ptr +
		    hdr->program.len - t));
	}
	if (s == NULL)
		s = "";
	end = s + hdr->message.len;

	svc = service_kind(service);
	if (svc == SVC_POSTSCREEN)
		st = ignored(p, IGNORE_POSTSCREEN);
	else if (svc == SVC_TLS)
		st = ignored(p, IGNORE_TLS);
	else if (svc == SVC_DAEMON)
		st = ignored(p, IGNORE_DAEMON);
	/*
	 * TLS chatter is a good part of a relay's lines.  Opening with a
	 * word and a space, it can be no "QID: " or "NOQUEUE: " line, nor
	 * (the words differ) a warning, a session or filter action line;
	 * parse_text() would reach its is_tls_text() test, and only anvil
	 * and scache, which ignore all but "statistics: " as unrecognised,
	 * treat it otherwise.  "SSL_accept: ..." could look like a queue
	 * ID and takes the long way.  Ignored here, before the event is
	 * set up.
	 */
	else if (svc != SVC_STATS && s < end &&
	    (char_class[(unsigned char)*s] & CH_TLS) != 0 &&
	    is_tls_text(s, end) && !STARTS(s, end, "SSL_"))
		st = ignored(p, IGNORE_TLS);
	else {
		event_init(ev);
		ev->time_sec = hdr->time_sec;
		ev->time_usec = hdr->time_usec;
		ev->mta = MTA_POSTFIX;
		ev->host = hdr->host;
		ev->program = hdr->program;
		ev->pid = hdr->pid;
		st = parse_message(p, svc, service, s, end);
	}
	if (st == PARSE_IGNORED && ignore != NULL)
		*ignore = p->ignore;
	if (st == PARSE_MALFORMED && malformedp != NULL)
		*malformedp = p->malformed;
	if (st != PARSE_EVENTS)
		p->have_event = false;
	return st;
}
