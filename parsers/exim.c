/*
 * exim - Exim main log lines to events (see exim.h).
 *
 * One pass over each line, by hand.  The formats are those Exim 4
 * writes (src/log.c log_write() for the stamp and "[pid] ", receive.c
 * for "<=", deliver.c delivery_log(), deferral_log() and failure_log()
 * for "=>", "==" and "**", smtp_in.c smtp_handle_acl_fail() for ACL
 * refusals and smtp_in_auth() for "authenticator failed", host.c
 * host_build_sender_fullhost() for H=), with the older variants seen
 * in the wild: "** addr R=r T=t: text" before the " : " separator,
 * "authenticator failed for host" before "for H=host", F= without
 * angle brackets.
 *
 * Exim writes fields as " KEY=value", values without spaces, except:
 *   H=	"name [ip]:port", "name (helo) [ip]", "(helo) [ip]", "[ip]";
 *	the HELO name comes from the client, so the HELO ends at the
 *	first ") [" that opens an address bracket.  Exim refuses HELO
 *	names with spaces unless helo_accept_junk_hosts lets them in;
 *	such a junk name holding ") [address]" itself is read as ending
 *	there, and the log cannot tell it from a real one.
 *   T=, C=, DN=  quoted, with '"' and '\' escaped by a backslash;
 *	a quote ends the value where it is followed by a space or the
 *	end (older Exim did not escape quotes in T=).
 *   F=, P=	"<address>"; the address ends at a '>' followed by a space.
 * A quoted value left open runs to the end of the line (a line cut
 * short keeps what it has).  Every scan moves forward or looks ahead a
 * bounded distance, so a hostile line is read in linear time.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "parsers/exim.h"
#include "parsers/scan.h"
#include "util/civil.h"
#include "util/xalloc.h"

#define MAX_EVENTS	4	/* client, message-id, bounce, queued */
#define MAX_KEY_LEN	8	/* "id*", "DKIM", "DMARC" ... */
#define MAX_ERRNO_LEN	32	/* "defer (-44)": a number (or a test
				   suite placeholder) */
#define MAX_HELO_LEN	1024	/* looked at for a HELO name: SMTP
				   command lines have 512 bytes (RFC 5321
				   4.5.3.1.4); bounds the work per H= */

struct exim_parser {
	struct mta_event ev[MAX_EVENTS];
	size_t		 nev;		/* events of the last line */
	size_t		 next;		/* next one to hand out */
	struct mta_event base;		/* fields every event shares */
	enum ignore_reason ignore;
	enum malformed_reason malformed;
	char		*buf;		/* unquoted C= text, joined
					   auth failure text */
	size_t		 bufsize;
	bool		 local_user;	/* the line named a local user
					   (U=) and no client host */
	bool		 have_time;	/* native line with a stamp */
	bool		 stamp_cached;	/* last stamp read: most lines
					   share their second with the
					   one before */
	bool		 stamp_date_ok;	/* its values are a time */
	uint64_t	 stamp_words[3]; /* its bytes (stamp_load()) */
	int		 stamp_year, stamp_month, stamp_day;
	int		 stamp_hour, stamp_min, stamp_sec;
	bool		 stamp_local_ok; /* stamp_local is its local time */
	int64_t		 stamp_local;
	int64_t		 time_sec;
	uint32_t	 time_usec;
	struct civil_hour hour;		/* the local hour last placed */
	unsigned char	 first_rule[256]; /* 1 + index in text_rules of
					   the first rule opening with a
					   byte, 0 if none */
};

/* A main log stamp before conversion. */
struct stamp {
	int		 year, month, day, hour, min, sec;
	uint32_t	 usec;
	bool		 has_zone;
	int		 offset_sec;	/* east of UTC */
};

/* One " KEY=value" field, or a bare word (key unset). */
struct field {
	struct zstr	 key;
	struct zstr	 value;
	bool		 quoted;	/* "..." */
	bool		 escaped;	/* holds backslash escapes */
};

/* What H= (and the host of other lines) says. */
struct host {
	struct zstr	 name;		/* verified name, or unset */
	struct zstr	 helo;		/* the HELO in parentheses */
	struct zstr	 ip;
	struct zstr	 relay;		/* from name to port */
};

/*
 * The field readers are a handful of compares, run several times a
 * line; GCC's size heuristics would keep them out of line, at a cost
 * (the call, and a struct field passed through memory) larger than
 * their work, so they are forced inline.
 */
#if defined(__GNUC__) || defined(__clang__)
#define HOT_INLINE	inline __attribute__((always_inline))
#else
#define HOT_INLINE	inline
#endif

#define STARTS(s, end, lit) \
	((size_t)((end) - (s)) >= sizeof(lit) - 1 && \
	 memcmp((s), (lit), sizeof(lit) - 1) == 0)
#define ZEQ(z, lit) \
	((z).len == sizeof(lit) - 1 && memcmp((z).ptr, (lit), (z).len) == 0)
#define IS_DIGIT(c)	((unsigned)((unsigned char)(c) - '0') <= 9)

static void	index_rules(struct exim_parser *);

/* exim_parser_new - a parser with no pending events */
struct exim_parser *
exim_parser_new(void)
{
	struct exim_parser *p = xcalloc(1, sizeof(*p));

	event_init(&p->base);
	p->base.mta = MTA_EXIM;
	index_rules(p);
	return p;
}

/* exim_parser_free - free the parser and its buffer */
void
exim_parser_free(struct exim_parser *p)
{
	if (p == NULL)
		return;
	free(p->buf);
	free(p);
}

/* exim_next - hand out the last line's events in order, in place */
const struct mta_event *
exim_next(struct exim_parser *p)
{
	if (p->next >= p->nev)
		return NULL;
	return &p->ev[p->next++];
}

/* exim_line_time - the stamp of the last native line */
bool
exim_line_time(const struct exim_parser *p, int64_t *sec, uint32_t *usec)
{
	if (!p->have_time)
		return false;
	*sec = p->time_sec;
	*usec = p->time_usec;
	return true;
}

/*
 * exim_is_program - "exim", "exim4", "exim4-daemon": syslog_processname
 * defaults to "exim" (spec: "Logging to syslog"); distributions and
 * operators add a version or a suffix.  "eximstats" and "exim_tidydb"
 * are Exim's utilities, not the MTA.
 */
bool
exim_is_program(struct zstr program)
{
	const char	*s = program.ptr, *end;

	if (s == NULL)
		return false;
	end = s + program.len;
	if (!STARTS(s, end, "exim"))
		return false;
	for (s += 4; s < end && IS_DIGIT(*s); s++)
		continue;
	return s == end || (*s == '-' && s + 1 < end);
}

/*
 * Character classes, one table lookup per byte: CH_BASE62 for
 * [0-9A-Za-z], the digits of Exim message IDs, CH_KEY for the
 * characters of a field key (base 62, '*' and '_').
 */
#define CH_BASE62	0x1
#define CH_KEY		0x2
static const unsigned char char_class[256] = {
	['*'] = CH_KEY, ['0'] = CH_BASE62 | CH_KEY,
	['1'] = CH_BASE62 | CH_KEY, ['2'] = CH_BASE62 | CH_KEY,
	['3'] = CH_BASE62 | CH_KEY, ['4'] = CH_BASE62 | CH_KEY,
	['5'] = CH_BASE62 | CH_KEY, ['6'] = CH_BASE62 | CH_KEY,
	['7'] = CH_BASE62 | CH_KEY, ['8'] = CH_BASE62 | CH_KEY,
	['9'] = CH_BASE62 | CH_KEY, ['A'] = CH_BASE62 | CH_KEY,
	['B'] = CH_BASE62 | CH_KEY, ['C'] = CH_BASE62 | CH_KEY,
	['D'] = CH_BASE62 | CH_KEY, ['E'] = CH_BASE62 | CH_KEY,
	['F'] = CH_BASE62 | CH_KEY, ['G'] = CH_BASE62 | CH_KEY,
	['H'] = CH_BASE62 | CH_KEY, ['I'] = CH_BASE62 | CH_KEY,
	['J'] = CH_BASE62 | CH_KEY, ['K'] = CH_BASE62 | CH_KEY,
	['L'] = CH_BASE62 | CH_KEY, ['M'] = CH_BASE62 | CH_KEY,
	['N'] = CH_BASE62 | CH_KEY, ['O'] = CH_BASE62 | CH_KEY,
	['P'] = CH_BASE62 | CH_KEY, ['Q'] = CH_BASE62 | CH_KEY,
	['R'] = CH_BASE62 | CH_KEY, ['S'] = CH_BASE62 | CH_KEY,
	['T'] = CH_BASE62 | CH_KEY, ['U'] = CH_BASE62 | CH_KEY,
	['V'] = CH_BASE62 | CH_KEY, ['W'] = CH_BASE62 | CH_KEY,
	['X'] = CH_BASE62 | CH_KEY, ['Y'] = CH_BASE62 | CH_KEY,
	['Z'] = CH_BASE62 | CH_KEY, ['_'] = CH_KEY,
	['a'] = CH_BASE62 | CH_KEY, ['b'] = CH_BASE62 | CH_KEY,
	['c'] = CH_BASE62 | CH_KEY, ['d'] = CH_BASE62 | CH_KEY,
	['e'] = CH_BASE62 | CH_KEY, ['f'] = CH_BASE62 | CH_KEY,
	['g'] = CH_BASE62 | CH_KEY, ['h'] = CH_BASE62 | CH_KEY,
	['i'] = CH_BASE62 | CH_KEY, ['j'] = CH_BASE62 | CH_KEY,
	['k'] = CH_BASE62 | CH_KEY, ['l'] = CH_BASE62 | CH_KEY,
	['m'] = CH_BASE62 | CH_KEY, ['n'] = CH_BASE62 | CH_KEY,
	['o'] = CH_BASE62 | CH_KEY, ['p'] = CH_BASE62 | CH_KEY,
	['q'] = CH_BASE62 | CH_KEY, ['r'] = CH_BASE62 | CH_KEY,
	['s'] = CH_BASE62 | CH_KEY, ['t'] = CH_BASE62 | CH_KEY,
	['u'] = CH_BASE62 | CH_KEY, ['v'] = CH_BASE62 | CH_KEY,
	['w'] = CH_BASE62 | CH_KEY, ['x'] = CH_BASE62 | CH_KEY,
	['y'] = CH_BASE62 | CH_KEY, ['z'] = CH_BASE62 | CH_KEY,
};

/* is_base62 - [0-9A-Za-z], the digits of Exim message IDs */
static bool
is_base62(unsigned char c)
{
	return (char_class[c] & CH_BASE62) != 0;
}

/*
 * id_digits - whether an ID of len 16 (6-6-2) or 23 (6-11-4) at q is
 * base-62 digits but at its dashes: the classes of all digits are
 * and-ed together, with no branch per byte.
 */
static inline bool
id_digits(const unsigned char *q, size_t len)
{
	const unsigned char *c = char_class;
	unsigned	 acc;

	acc = c[q[0]] & c[q[1]] & c[q[2]] & c[q[3]] & c[q[4]] & c[q[5]] &
	    c[q[7]] & c[q[8]] & c[q[9]] & c[q[10]] & c[q[11]] & c[q[12]];
	if (len == 16)
		acc &= c[q[14]] & c[q[15]];
	else
		acc &= c[q[13]] & c[q[14]] & c[q[15]] & c[q[16]] & c[q[17]] &
		    c[q[19]] & c[q[20]] & c[q[21]] & c[q[22]];
	return (acc & CH_BASE62) != 0;
}

/* is_message_id - exim_is_message_id() of the len bytes at s */
static inline bool
is_message_id(const char *s, size_t len)
{
	const unsigned char *q = (const unsigned char *)s;

	/* The dashes first: most words that are no ID fail there. */
	if (len == 16)
		return q[6] == '-' && q[13] == '-' && id_digits(q, 16);
	if (len == 23)
		return q[6] == '-' && q[18] == '-' && id_digits(q, 23);
	return false;
}

/*
 * exim_is_message_id - 6-6-2 (before 4.97) or 6-11-4 base-62 digits
 * (src/exim.h MESSAGE_ID_LENGTH; a case-insensitive spool uses base
 * 36, a subset).
 */
bool
exim_is_message_id(struct zstr s)
{
	return s.ptr != NULL && is_message_id(s.ptr, s.len);
}

/*
 * The stamp's shape, byte by byte: stamp_fixed holds the high nibble
 * 0x30 of each digit and the separators; stamp_bits masks what is
 * fixed (0xf0 at digits, 0xff at separators); stamp_add is 6 at the
 * digits, which carries a digit byte 0x3a-0x3f into 0x40.
 */
static const unsigned char stamp_fixed[] = "0000-00-00 00:00:00";
static const unsigned char stamp_bits[19] = {
	0xf0, 0xf0, 0xf0, 0xf0, 0xff, 0xf0, 0xf0, 0xff, 0xf0, 0xf0,
	0xff, 0xf0, 0xf0, 0xff, 0xf0, 0xf0, 0xff, 0xf0, 0xf0
};
static const unsigned char stamp_add[19] = {
	6, 6, 6, 6, 0, 6, 6, 0, 6, 6, 0, 6, 6, 0, 6, 6, 0, 6, 6
};

/* The three overlapping words that cover a stamp's 19 bytes. */
static const size_t stamp_offsets[3] = { 0, 8, 11 };

/* stamp_load - the words of the 19 bytes at s */
static inline void
stamp_load(const char *s, uint64_t w[3])
{
	memcpy(&w[0], s + stamp_offsets[0], sizeof(w[0]));
	memcpy(&w[1], s + stamp_offsets[1], sizeof(w[1]));
	memcpy(&w[2], s + stamp_offsets[2], sizeof(w[2]));
}

/*
 * stamp_word - word i of a stamp: the fixed bits must match, and then
 * (every digit byte being 0x30-0x3f, so no addition carries into the
 * next byte, in either byte order) adding 6 must leave the digits'
 * high nibble 0x3.
 */
static inline bool
stamp_word(uint64_t w, size_t i)
{
	uint64_t	fixed, bits, add;
	size_t		o = stamp_offsets[i];

	memcpy(&fixed, stamp_fixed + o, sizeof(fixed));
	memcpy(&bits, stamp_bits + o, sizeof(bits));
	memcpy(&add, stamp_add + o, sizeof(add));
	return (w & bits) == fixed && ((w + add) & bits) == fixed;
}

/* stamp_words_shape - whether the words of a stamp have its shape */
static inline bool
stamp_words_shape(const uint64_t w[3])
{
	return stamp_word(w[0], 0) && stamp_word(w[1], 1) &&
	    stamp_word(w[2], 2);
}

/*
 * is_stamp_shape - "dddd-dd-dd dd:dd:dd" at s (19 bytes available).
 * With SSE2 the first sixteen bytes are one vector, tested as the
 * words are (stamp_word()), but with a byte-wise add, which carries
 * into no other byte; then ':' and two digits.
 */
static bool
is_stamp_shape(const char *s)
{
#if SCAN_SSE2
	const __m128i	v = _mm_loadu_si128((const __m128i *)(const void *)s);
	const __m128i	fixed = _mm_loadu_si128(
			    (const __m128i *)(const void *)stamp_fixed);
	const __m128i	bits = _mm_loadu_si128(
			    (const __m128i *)(const void *)stamp_bits);
	const __m128i	add = _mm_loadu_si128(
			    (const __m128i *)(const void *)stamp_add);
	__m128i		ok;

	ok = _mm_and_si128(_mm_cmpeq_epi8(_mm_and_si128(v, bits), fixed),
	    _mm_cmpeq_epi8(_mm_and_si128(_mm_add_epi8(v, add), bits), fixed));
	return _mm_movemask_epi8(ok) == 0xffff && s[16] == ':' &&
	    IS_DIGIT(s[17]) && IS_DIGIT(s[18]);
#else
	uint64_t	w[3];

	stamp_load(s, w);
	return stamp_words_shape(w);
#endif
}

/* exim_is_native_line - a main log stamp opens the line */
bool
exim_is_native_line(const char *line, size_t len)
{
	if (line == NULL || len < 19 || !is_stamp_shape(line))
		return false;
	return len == 19 || line[19] == ' ' || line[19] == '.';
}

/* exim_is_continuation_line - indented follow-up of a log entry */
bool
exim_is_continuation_line(const char *line, size_t len)
{
	size_t	i;

	if (line == NULL || len == 0 || (line[0] != ' ' && line[0] != '\t'))
		return false;
	for (i = 1; i < len; i++)
		if (line[i] != ' ' && line[i] != '\t')
			return true;
	return false;
}

/* digit2 - two decimal digits (shape already checked) */
static int
digit2(const char *s)
{
	return (s[0] - '0') * 10 + (s[1] - '0');
}

/* local_epoch - UTC seconds of a local-time stamp (util/civil.h) */
static int64_t
local_epoch(struct exim_parser *p, const struct stamp *st)
{
	return civil_local(&p->hour, st->year, st->month, st->day,
	    st->hour, st->min, st->sec);
}

/*
 * stamp_local - local_epoch() of a stamp parse_stamp() gave last, kept
 * with its values: most lines repeat the second of the line before.
 * The same values give the same seconds, as nothing but this places
 * hours in p->hour, and so this stamp's hour is the one placed last.
 */
static int64_t
stamp_local(struct exim_parser *p, const struct stamp *st)
{
	if (!p->stamp_local_ok) {
		p->stamp_local = local_epoch(p, st);
		p->stamp_local_ok = true;
	}
	return p->stamp_local;
}

/*
 * stamp_repeat - whether a native line opens with the 19 bytes of the
 * last stamp read, in local time (converted already: stamp_local_ok),
 * followed by a space and no zone offset.  Such a line's time is
 * p->stamp_local with no fraction: parse_stamp() would take its values
 * from the cache, find no '.' (a space follows), no " +hhmm" or
 * " -hhmm" (a byte other than '+' or '-' follows the space), and
 * stamp_local() would return the value it holds.  Most lines share
 * their second with the line before, and this skips that work.
 */
static inline bool
stamp_repeat(const struct exim_parser *p, const char *line, size_t len)
{
	uint64_t	w[3];

	if (!p->stamp_local_ok || len < 21 || line[19] != ' ' ||
	    line[20] == '+' || line[20] == '-')
		return false;
	stamp_load(line, w);
	return w[0] == p->stamp_words[0] && w[1] == p->stamp_words[1] &&
	    w[2] == p->stamp_words[2];
}

/*
 * parse_stamp - "YYYY-MM-DD hh:mm:ss", an optional fraction (".mmm"
 * with log_selector +millisec; more digits are read and dropped past
 * microseconds) and an optional " +hhmm" or " -hhmm" (log_timezone,
 * tod.c tod_log_zone).  The end of the stamp, or NULL when the shape
 * or a value is wrong.  valid is false when only the values are.
 */
static const char *
parse_stamp(struct exim_parser *p, const char *s, const char *end,
    struct stamp *st, bool *valid)
{
	uint64_t	w[3];
	int		n = 0;

	*valid = false;
	if (end - s < 19)
		return NULL;
	stamp_load(s, w);
	/* The same 19 bytes as the last stamp read have its values:
	   compare them, not convert them again. */
	if (!p->stamp_cached || w[0] != p->stamp_words[0] ||
	    w[1] != p->stamp_words[1] || w[2] != p->stamp_words[2]) {
		if (!stamp_words_shape(w))
			return NULL;
		p->stamp_year = digit2(s) * 100 + digit2(s + 2);
		p->stamp_month = digit2(s + 5);
		p->stamp_day = digit2(s + 8);
		p->stamp_hour = digit2(s + 11);
		p->stamp_min = digit2(s + 14);
		p->stamp_sec = digit2(s + 17);
		p->stamp_date_ok = p->stamp_year >= 1 &&
		    p->stamp_month >= 1 && p->stamp_month <= 12 &&
		    p->stamp_day >= 1 && p->stamp_day <=
		    civil_days_in_month(p->stamp_year, p->stamp_month) &&
		    p->stamp_hour <= 23 && p->stamp_min <= 59 &&
		    p->stamp_sec <= 60;
		memcpy(p->stamp_words, w, sizeof(w));
		p->stamp_cached = true;
		p->stamp_local_ok = false;
	}
	st->year = p->stamp_year;
	st->month = p->stamp_month;
	st->day = p->stamp_day;
	st->hour = p->stamp_hour;
	st->min = p->stamp_min;
	st->sec = p->stamp_sec;
	st->usec = 0;
	st->has_zone = false;
	st->offset_sec = 0;
	s += 19;
	if (s < end && *s == '.') {
		for (s++; s < end && IS_DIGIT(*s); s++) {
			if (n < 6) {
				st->usec = st->usec * 10 + (uint32_t)(*s - '0');
				n++;
			}
		}
		if (n == 0)
			return NULL;
		while (n++ < 6)
			st->usec *= 10;
	}
	if (end - s >= 6 && s[0] == ' ' && (s[1] == '+' || s[1] == '-') &&
	    IS_DIGIT(s[2]) && IS_DIGIT(s[3]) && IS_DIGIT(s[4]) &&
	    IS_DIGIT(s[5]) && (end - s == 6 || s[6] == ' ')) {
		int	hh = digit2(s + 2), mm = digit2(s + 4);

		if (hh > 23 || mm > 59)
			return NULL;
		st->has_zone = true;
		st->offset_sec = (s[1] == '-' ? -1 : 1) * (hh * 3600 + mm * 60);
		s += 6;
	}
	if (s < end && *s != ' ')
		return NULL;
	*valid = p->stamp_date_ok;
	return s;
}

/* skip_pid - after "[digits] " (log_selector +pid), with the pid */
static inline const char *
skip_pid(const char *s, const char *end, int64_t *pid)
{
	const char	*t;
	int64_t		 v = 0;
	size_t		 n;

	if (s >= end || *s != '[')
		return s;
	/* Up to 18 digits, as many as scan_digits() gives a value of. */
	n = scan_digits(s + 1, end, &v);
	t = s + 1 + n;
	if (n == 0 || n > 18 || end - t < 2 || *t != ']' || t[1] != ' ')
		return s;
	*pid = v;
	return t + 2;
}

/* ignored - record an ignore reason */
static enum parse_status
ignored(struct exim_parser *p, enum ignore_reason reason)
{
	p->ignore = reason;
	return PARSE_IGNORED;
}

/* malformed - record a malformed reason */
static enum parse_status
malformed(struct exim_parser *p, enum malformed_reason reason)
{
	p->malformed = reason;
	return PARSE_MALFORMED;
}

/*
 * new_event - the next event of this line, with the fields every
 * event of the line shares, filled in place.  No line gives more than
 * MAX_EVENTS; were one to, its last event would be overwritten.
 */
static struct mta_event *
new_event(struct exim_parser *p, enum event_kind kind)
{
	struct mta_event *ev;

	if (p->nev < MAX_EVENTS)
		p->nev++;
	ev = &p->ev[p->nev - 1];
	event_copy(ev, &p->base);
	ev->kind = kind;
	return ev;
}

/* token_end - the first space at or after s, or end (tokens are short:
   a word-at-a-time scan beats a call to memchr) */
static const char *
token_end(const char *s, const char *end)
{
	return scan_find(s, end, ' ');
}

/*
 * address_end - the end of an arrival's sender or "for" recipient at
 * s: a word, except that a quoted word of the local part (RFC 5321
 * 4.1.2; Exim keeps the quotes and the backslash pairs) may hold
 * spaces.  A quoted word ends before a '.', an '@' or the end of the
 * address; a quote not closed so (Exim refuses such an address) ends
 * nothing, and the address ends at its first space.
 */
static const char *
address_end(const char *s, const char *end)
{
	const char	*q;

	for (q = s; q < end && *q != ' '; q++) {
		if (*q != '"')
			continue;
		for (q++; q < end && *q != '"'; q++)
			if (*q == '\\' && q + 1 < end)
				q++;
		if (q == end || (q + 1 < end && q[1] != '.' && q[1] != '@' &&
		    q[1] != ' '))
			return token_end(s, end);
	}
	return q;
}

/* skip_spaces - past spaces */
static const char *
skip_spaces(const char *s, const char *end)
{
	while (s < end && *s == ' ')
		s++;
	return s;
}

/* word_is - whether the token at s is exactly lit */
static inline bool
word_is(const char *s, const char *end, const char *lit)
{
	size_t	n = strlen(lit);

	return (size_t)(end - s) >= n && memcmp(s, lit, n) == 0 &&
	    (s + n == end || s[n] == ' ');
}

/* is_key_char - characters of a field key ("id*", "M8S", "Ci") */
static bool
is_key_char(unsigned char c)
{
	return (char_class[c] & CH_KEY) != 0;
}

/* field_key - length of "KEY" when s starts with "KEY=", else 0 */
static inline size_t
field_key(const char *s, const char *end)
{
	const char	*k = s, *lim;

	/* Most of Exim's keys have one or two characters ('=' is no
	   key character, so the scan below would stop there too). */
	if (end - s >= 2 && s[1] == '=')
		return is_key_char(s[0]) ? 1 : 0;
	if (end - s >= 3 && s[2] == '=')
		return is_key_char(s[0]) && is_key_char(s[1]) ? 2 : 0;
	lim = end - s > MAX_KEY_LEN ? s + MAX_KEY_LEN : end;
	while (s < lim && is_key_char(*s))
		s++;
	return s > k && s < end && *s == '=' ? (size_t)(s - k) : 0;
}

/* upper_key - field_key() of a key with an upper-case first letter
   (Exim's own), else 0 */
static size_t
upper_key(const char *s, const char *end)
{
	return s < end && *s >= 'A' && *s <= 'Z' ? field_key(s, end) : 0;
}

/* is_upper_key - "KEY=" with an upper-case first letter (Exim's own) */
static bool
is_upper_key(const char *s, const char *end)
{
	return upper_key(s, end) > 0;
}

/*
 * quote_end - the '"' closing a quoted value whose content starts at
 * s: the first unescaped quote followed by a space, the end, or ':'
 * and then a space or the end (before Exim 4.86 a failure's text
 * followed the last field's colon, and with log_selector +tls_peerdn
 * that field is DN="..."); NULL when the value is left open.
 */
static const char *
quote_end(const char *s, const char *end, bool *escaped)
{
	for (; s < end; s++) {
		if ((s = scan_find2(s, end, '\\', '"')) == end)
			break;
		if (*s == '\\' && s + 1 < end) {
			*escaped = true;
			s++;
		} else if (*s == '"' && (s + 1 == end || s[1] == ' ' ||
		    (s[1] == ':' && (s + 2 == end || s[2] == ' '))))
			return s;
	}
	return NULL;
}

/*
 * angle_end - the '>' closing an address whose content starts at s: a
 * '>' followed by the end, a space or one of stops; NULL when none.
 */
static const char *
angle_end(const char *s, const char *end, const char *stops)
{
	const char	*c;

	for (; (s = scan_find(s, end, '>')) < end; s++) {
		if (s + 1 == end || s[1] == ' ')
			return s;
		for (c = stops; c != NULL && *c != '\0'; c++)
			if (*c == s[1])
				return s;
	}
	return NULL;
}

/*
 * keyed_field - next_field() of a token whose key, klen bytes long
 * (0 for a bare word), the caller has found with field_key()
 */
static HOT_INLINE const char *
keyed_field(const char *s, const char *end, size_t klen, struct field *f)
{
	const char	*v, *e;

	f->quoted = false;
	f->escaped = false;
	if (klen == 0) {
		e = token_end(s, end);
		f->key = ZSTR_NULL;
		f->value = zstr_make(s, (size_t)(e - s));
		return e;
	}
	f->key = zstr_make(s, klen);
	v = s + klen + 1;
	if (v < end && *v == '"') {
		f->quoted = true;
		if ((e = quote_end(v + 1, end, &f->escaped)) == NULL) {
			f->value = zstr_make(v + 1, (size_t)(end - v - 1));
			return end;
		}
		f->value = zstr_make(v + 1, (size_t)(e - v - 1));
		return e + 1;
	}
	if (klen == 1 && (*s == 'F' || *s == 'P') && v < end && *v == '<') {
		/* With +sender_on_delivery a failure's text follows the
		   sender at once: "** a@b F=<s@d>: Unrouteable address" */
		for (e = v + 1; (e = angle_end(e, end, ":")) != NULL &&
		    e + 2 < end && e[1] == ':' && e[2] != ' '; e++)
			continue;
		if (e == NULL)
			return NULL;
		f->value = zstr_make(v + 1, (size_t)(e - v - 1));
		return e + 1;
	}
	e = token_end(v, end);
	f->value = zstr_make(v, (size_t)(e - v));
	return e;
}

/*
 * next_field - the token at s as a field: "KEY=value" (a quoted value
 * without its quotes; F= and P= values without their angle brackets)
 * or a bare word.  Returns the end of the token, or NULL for an
 * address bracket left open.
 */
static HOT_INLINE const char *
next_field(const char *s, const char *end, struct field *f)
{
	return keyed_field(s, end, field_key(s, end), f);
}

/* is_port_char - a port number, or a test suite's "PORT_D": the key
   characters but '*' */
static bool
is_port_char(unsigned char c)
{
	return (char_class[c] & CH_KEY) != 0 && c != '*';
}

/*
 * address_close - at s, "[addr]" with a non-empty address of no
 * space or bracket, followed by the end, a space, ':' or '*': the
 * position of ']', else NULL.
 */
static inline const char *
address_close(const char *s, const char *end)
{
	const char	*a;

	if (s >= end || *s != '[')
		return NULL;
	a = scan_find3(s + 1, end, ']', ' ', '[');
	if (a >= end || *a != ']' || a == s + 1)
		return NULL;
	if (a + 1 < end && a[1] != ' ' && a[1] != ':' && a[1] != '*')
		return NULL;
	return a;
}

/*
 * parse_host - host.c sender_fullhost (and d_hostlog() for deliveries):
 * "[ip]", "(helo) [ip]", "name [ip]", "name (helo) [ip]", a "DS"
 * between name and address (log_selector +dnssec), then ":port" and,
 * on delivery lines, '*' for a reused connection.  Returns the end (at
 * a space, ':' or the end), or NULL.
 */
static const char *
parse_host(const char *s, const char *end, struct host *h)
{
	const char	*start = s, *q, *a;

	memset(h, 0, sizeof(*h));
	if (s < end && *s != '[' && *s != '(') {
		q = token_end(s, end);
		if (q >= end)
			return NULL;
		h->name = zstr_make(s, (size_t)(q - s));
		s = q + 1;
		if (STARTS(s, end, "DS "))
			s += 3;
	}
	if (s < end && *s == '(') {
		const char *lim = end - s > MAX_HELO_LEN ?
			    s + MAX_HELO_LEN : end;

		for (q = s + 1, a = NULL; q < lim; q++) {
			if ((q = scan_find(q, lim, ')')) == lim)
				return NULL;
			if (q + 2 < end && q[1] == ' ' &&
			    (a = address_close(q + 2, end)) != NULL)
				break;
		}
		if (q >= lim)
			return NULL;
		h->helo = zstr_make(s + 1, (size_t)(q - s - 1));
		s = q + 2;
	} else if ((a = address_close(s, end)) == NULL)
		return NULL;
	h->ip = zstr_make(s + 1, (size_t)(a - s - 1));
	s = a + 1;
	if (s + 1 < end && *s == ':' && is_port_char((unsigned char)s[1]))
		for (s++; s < end && is_port_char((unsigned char)*s); s++)
			continue;
	h->relay = zstr_make(start, (size_t)(s - start));
	if (s < end && *s == '*')
		s++;
	return s;
}

/* set_client - copy a host into an event's client fields */
static void
set_client(struct mta_event *ev, const struct host *h)
{
	ev->client_name = h->name;
	ev->helo = h->helo;
	ev->client_ip = h->ip;
}

/*
 * set_auth - A=NAME[:ID[:SENDER]] (receive.c; smtp_in.c's refusals
 * write no SENDER): the authenticator's name as sasl_method, the
 * authenticated ID (server_set_id) as sasl_username.  With
 * log_selector +smtp_mailauth Exim adds ":" and the AUTH= address of
 * MAIL when one was accepted: the client's text, xtext-decoded, which
 * may hold any byte, ':' and spaces included; it is not the login.
 * The log does not tell a ':' inside the ID from the one before
 * SENDER, so the ID ends at the first ':' after NAME: an ID holding
 * ':' is cut there, and the client cannot change the login.  Returns
 * whether a SENDER followed: the client's text runs from there up to
 * the next field Exim writes.
 */
static bool
set_auth(struct zstr v, struct zstr *method, struct zstr *user)
{
	const char	*c = NULL, *u, *e, *end = v.ptr + v.len;

	/* an unset value has no bytes to look at */
	if (v.len > 0 && (c = scan_find(v.ptr, end, ':')) == end)
		c = NULL;
	*method = c == NULL ? v : zstr_make(v.ptr, (size_t)(c - v.ptr));
	if (c == NULL) {
		*user = ZSTR_NULL;
		return false;
	}
	u = c + 1;
	e = scan_find(u, end, ':');
	*user = e == u ? ZSTR_NULL : zstr_make(u, (size_t)(e - u));
	return e < end;
}

/*
 * find_dsn - the first status code opening the text or following a
 * ": ": Exim quotes the remote reply after "SMTP error from remote
 * mail server after RCPT TO:<r>: " or, in older versions, after
 * "host name [ip]: ".
 */
static struct zstr
find_dsn(struct zstr text)
{
	const char	*s = text.ptr, *end;
	struct zstr	 d;

	/* An unset reply: no arithmetic on a null pointer. */
	if (s == NULL)
		return ZSTR_NULL;
	end = s + text.len;
	if ((d = scan_status_code(s, end, true)).ptr != NULL)
		return d;
	while ((s = scan_find(s, end, ':')) < end) {
		s++;
		if (s < end && *s == ' ' &&
		    (d = scan_status_code(s + 1, end, true)).ptr != NULL)
			return d;
	}
	return ZSTR_NULL;
}

/*
 * unquote - a quoted value with Exim's escapes (backslash before '"'
 * and '\', deliver.c delivery_log()) undone, in the parser's buffer;
 * other backslash sequences are Exim's escapes of unprintable bytes
 * and stay as logged.
 */
static struct zstr
unquote(struct exim_parser *p, const struct field *f)
{
	const char	*s, *end;
	size_t		 n = 0;

	if (!f->escaped)
		return f->value;
	s = f->value.ptr;
	end = s + f->value.len;
	if (p->bufsize < f->value.len + 1) {
		p->buf = xreallocarray(p->buf, f->value.len + 1, 1);
		p->bufsize = f->value.len + 1;
	}
	for (; s < end; s++) {
		if (*s == '\\' && s + 1 < end && (s[1] == '"' || s[1] == '\\'))
			s++;
		p->buf[n++] = *s;
	}
	return zstr_make(p->buf, n);
}

/* join - a followed by b, in the parser's buffer */
static struct zstr
join(struct exim_parser *p, struct zstr a, struct zstr b)
{
	if (p->bufsize < a.len + b.len + 1) {
		p->buf = xreallocarray(p->buf, a.len + b.len + 1, 1);
		p->bufsize = a.len + b.len + 1;
	}
	memcpy(p->buf, a.ptr, a.len);
	memcpy(p->buf + a.len, b.ptr, b.len);
	return zstr_make(p->buf, a.len + b.len);
}

/*
 * parse_arrival - receive.c: "<= sender [R=ref] [H=host] [U=ident]
 * [P=proto] [X=... CV=...] [A=auth:id[:authsender]] S=size [id=msgid]
 * [T=\"...\"] [from <raw>] [for r1 r2 ...]", other fields in between
 * skipped.  The AUTH= sender that +smtp_mailauth appends to A= is the
 * client's text and may hold spaces (set_auth()); Exim writes R=, H=
 * and A= before it, so after it such words are that text and are not
 * read, and a broken field or "from <" is skipped, not malformed: the
 * client cannot move its message to another login, client or origin,
 * nor make the line unreadable.  (It can still write a "for", an S=,
 * an id= or a T= there.)
 */
static enum parse_status
parse_arrival(struct exim_parser *p, const char *s, const char *end)
{
	struct mta_event *ev;
	struct zstr	 sender, msgid = ZSTR_NULL, ref = ZSTR_NULL;
	struct zstr	 method = ZSTR_NULL, user = ZSTR_NULL;
	struct field	 f;
	struct host	 client;
	const char	*t;
	uint64_t	 size = 0, nrcpt = 0;
	bool		 have_host = false, after_subject = false;
	bool		 mailauth = false;	/* after A=...:authsender */

	t = address_end(s, end);
	if (t == s)
		return malformed(p, MALFORMED_FIELD);
	sender = t - s == 2 && s[0] == '<' && s[1] == '>' ?
	    zstr_make(s, 0) : zstr_make(s, (size_t)(t - s));
	for (s = t; (s = skip_spaces(s, end)) < end; ) {
		if (STARTS(s, end, "H=") && !after_subject && !mailauth) {
			if ((t = parse_host(s + 2, end, &client)) == NULL)
				return malformed(p, MALFORMED_FIELD);
			have_host = true;
			s = t;
			continue;
		}
		if (word_is(s, end, "for")) {
			/* log.c: the raw recipients, one per word */
			for (s += 3; (s = skip_spaces(s, end)) < end; s = t) {
				t = address_end(s, end);
				if (t - s != 7 || memcmp(s, "<trunc>", 7) != 0)
					nrcpt++;
			}
			break;
		}
		if (STARTS(s, end, "from <")) {
			/* log.c: " from <raw sender>" (received_sender) */
			if ((t = angle_end(s + 6, end, NULL)) != NULL)
				s = t + 1;
			else if (mailauth)
				s = token_end(s + 5, end);
			else
				return malformed(p, MALFORMED_FIELD);
			continue;
		}
		if (after_subject) {
			/* an old Exim's unescaped quote ended T= early */
			s = token_end(s, end);
			continue;
		}
		if ((t = next_field(s, end, &f)) == NULL) {
			if (!mailauth)
				return malformed(p, MALFORMED_FIELD);
			s = token_end(s, end);
			continue;
		}
		s = t;
		if (f.key.ptr == NULL)
			continue;
		if (ZEQ(f.key, "T")) {
			/* only "from <...>" and "for ..." follow (log.c) */
			after_subject = true;
			continue;
		}
		if (f.quoted || (mailauth && (ZEQ(f.key, "R") ||
		    ZEQ(f.key, "A"))))
			continue;
		if (ZEQ(f.key, "R"))
			ref = f.value;
		else if (ZEQ(f.key, "A"))
			mailauth = set_auth(f.value, &method, &user);
		else if (ZEQ(f.key, "S")) {
			if (!scan_u64(f.value.ptr, f.value.len, &size) ||
			    size == UINT64_MAX)
				size = 0;	/* past 64 bits: none */
		} else if (ZEQ(f.key, "id") || ZEQ(f.key, "id*"))
			msgid = f.value;
	}
	if (ref.ptr != NULL && !exim_is_message_id(ref))
		return malformed(p, MALFORMED_QUEUE_ID);
	if (have_host) {
		ev = new_event(p, EV_CLIENT);
		set_client(ev, &client);
	} else {
		/* a local SMTP session (-bs) may log in too:
		   "P=local-esmtpa A=plain:user" */
		ev = new_event(p, EV_PICKUP);
		ev->sender = sender;
	}
	ev->sasl_method = method;
	ev->sasl_username = user;
	if (msgid.ptr != NULL)
		new_event(p, EV_MESSAGE_ID)->message_id = msgid;
	if (ref.ptr != NULL) {
		/* receive.c: R= names the message whose failure (or delay)
		   this one reports */
		ev = new_event(p, EV_BOUNCE_NOTICE);
		ev->queue_id = ref;
		ev->related_queue_id = p->base.queue_id;
		ev->notice = NOTICE_NON_DELIVERY;
	}
	ev = new_event(p, EV_QUEUED);
	ev->sender = sender;
	ev->size_bytes = size;
	ev->nrcpt = nrcpt;
	return PARSE_EVENTS;
}

/*
 * ends_address_block - whether the token at s (not the first) ends a
 * delivery line's address part: an Exim field ("R=", "T=", "F=<",
 * ...: an upper-case key), "defer (" or "routing defer (" (deferral_log
 * without a router), or, on failure and deferral lines, the " : "
 * before the text (a pipe command of a "=>" line may hold " : ").
 */
static bool
ends_address_block(const char *s, const char *end, bool has_text)
{
	if (has_text && *s == ':' && (s + 1 == end || s[1] == ' '))
		return true;
	if (STARTS(s, end, "defer (") || STARTS(s, end, "routing defer ("))
		return true;
	return is_upper_key(s, end);
}

/* is_address - a full address, not a local part, pipe, file or reply */
static bool
is_address(struct zstr a)
{
	if (a.len == 0 || a.ptr[0] == '|' || a.ptr[0] == '/' ||
	    a.ptr[0] == '>' || a.ptr[0] == ':' || STARTS(a.ptr,
	    a.ptr + a.len, "save "))
		return false;
	return scan_find(a.ptr, a.ptr + a.len, '@') < a.ptr + a.len;
}

/*
 * split_addresses - deliver.c string_log_address(): "final [(parent,
 * ...)] [<top>]".  The top address is the last " <...>"; the parents
 * are a trailing parenthesised list.  A pipe command may hold spaces,
 * so the final address is whatever precedes them.
 */
static void
split_addresses(const char *s, const char *end, struct zstr *final,
    struct zstr *top)
{
	const char	*q;
	int		 depth;

	*top = ZSTR_NULL;
	if (end - s >= 4 && end[-1] == '>') {
		for (q = end - 2; q > s + 1; q--) {
			if (*q == '<' && q[-1] == ' ') {
				*top = zstr_make(q + 1, (size_t)(end - q - 2));
				end = q - 1;
				break;
			}
		}
	}
	if (end - s >= 4 && end[-1] == ')') {
		for (q = end - 1, depth = 0; q > s + 1; q--) {
			if (*q == ')')
				depth++;
			else if (*q == '(' && --depth == 0) {
				if (q[-1] == ' ')
					end = q - 1;
				break;
			}
		}
	}
	while (end > s && end[-1] == ' ')
		end--;
	*final = zstr_make(s, (size_t)(end - s));
}

/* ends_with - whether z ends with lit */
static bool
ends_with(struct zstr z, const char *lit)
{
	size_t	n = strlen(lit);

	return z.len >= n && memcmp(z.ptr + z.len - n, lit, n) == 0;
}

/*
 * find_bytes - the first n bytes of lit (n >= 1) in [s, end), or
 * NULL.  The texts searched are replies of a hundred bytes or so, in
 * which the first byte of a literal (' ', 'h', ':') is common: with
 * SSE2 sixteen starts are tried a step, by their first two bytes
 * (loads at s and s + 1), and only starts with both are compared in
 * full.  A step needs the 17 bytes from s, which lie before end while
 * sixteen starts remain below lim (n >= 2); the rest, and hosts
 * without SSE2, take scan_find().
 */
static const char *
find_bytes(const char *s, const char *end, const char *lit, size_t n)
{
	const char	*lim;

	if ((size_t)(end - s) < n)
		return NULL;
	/* a match starts before lim */
	lim = end - n + 1;
	if (n < 2) {
		s = scan_find(s, lim, (unsigned char)lit[0]);
		return s < lim ? s : NULL;
	}
#if SCAN_SSE2
	{
		const __m128i	v0 = _mm_set1_epi8(lit[0]);
		const __m128i	v1 = _mm_set1_epi8(lit[1]);
		unsigned	m;

		for (; lim - s >= 16; s += 16) {
			m = (unsigned)_mm_movemask_epi8(_mm_and_si128(
			    _mm_cmpeq_epi8(_mm_loadu_si128(
			    (const __m128i *)(const void *)s), v0),
			    _mm_cmpeq_epi8(_mm_loadu_si128(
			    (const __m128i *)(const void *)(s + 1)), v1)));
			for (; m != 0; m &= m - 1)
				if (scan_same(s + __builtin_ctz(m), lit, n))
					return s + __builtin_ctz(m);
		}
	}
#endif
	for (; (s = scan_find(s, lim, (unsigned char)lit[0])) < lim; s++)
		if (s[1] == lit[1] && scan_same(s, lit, n))
			return s;
	return NULL;
}

/* FIND_LIT - find_bytes() of a string literal, its length folded */
#define FIND_LIT(s, end, lit) \
	find_bytes((s), (end), (lit), sizeof(lit) - 1)

/* CONTAINS - whether the zstr z holds the string literal lit */
#define CONTAINS(z, lit) \
	((z).ptr != NULL && FIND_LIT((z).ptr, (z).ptr + (z).len, lit) != NULL)

/*
 * parse_deferral - deliver.c deferral_log() from "defer (N)": then
 * ": strerror" (errno > 0), " H=host [ip]", " DT=t", ": message".
 * The response is the message, else the strerror text.  The strerror
 * text is the C library's and holds no " H=", so only the first " H="
 * can start the host; when it does not, all is message.
 */
static void
parse_deferral(const char *s, const char *end, struct mta_event *x)
{
	const char	*q, *t, *text = NULL, *text_end = end;
	struct host	 h;

	q = memchr(s, ')', (size_t)(end - s) < MAX_ERRNO_LEN ?
	    (size_t)(end - s) : MAX_ERRNO_LEN);
	if (q == NULL) {
		x->response = zstr_make(s, (size_t)(end - s));
		return;
	}
	s = q + 1;
	if (STARTS(s, end, ": ")) {
		text = s + 2;
		q = FIND_LIT(text, end, " H=");
		if (q == NULL || (t = parse_host(q + 3, end, &h)) == NULL ||
		    (t < end && *t != ' ' && *t != ':')) {
			x->response = zstr_make(text, (size_t)(end - text));
			return;
		}
		text_end = q;
		s = t;
		x->relay = h.relay;
	} else if (STARTS(s, end, " H=") &&
	    (t = parse_host(s + 3, end, &h)) != NULL) {
		x->relay = h.relay;
		s = t;
	}
	s = skip_spaces(s, end);
	/* +incoming_interface: "I=[ip]:port" (":" when it ends the
	   fields), then +deliver_time's "DT=2s" */
	if (STARTS(s, end, "I=[")) {
		q = token_end(s, end);
		s = q[-1] == ':' ? q - 1 : skip_spaces(q, end);
	}
	if (STARTS(s, end, "DT=")) {
		/* "DT=2s: message" */
		q = token_end(s, end);
		s = q[-1] == ':' ? q - 1 : skip_spaces(q, end);
	}
	if (STARTS(s, end, ": "))
		x->response = zstr_make(s + 2, (size_t)(end - s - 2));
	else if (text != NULL)
		x->response = zstr_make(text, (size_t)(text_end - text));
}

/*
 * local_kind - the conventional name of a local transport: "lmtp" when
 * the operator's name says LMTP, else "local".  Exim's transport names
 * are the operator's ("local_delivery", "mail_spool", "dovecot_lmtp",
 * "address_pipe"), while downstream (the aggregator's inbound-local
 * test) knows the Postfix and Sendmail kinds local, virtual and lmtp.
 */
static struct zstr
local_kind(struct zstr name)
{
	size_t	i;

	for (i = 0; i + 4 <= name.len; i++)
		if ((name.ptr[i] | 0x20) == 'l' &&
		    (name.ptr[i + 1] | 0x20) == 'm' &&
		    (name.ptr[i + 2] | 0x20) == 't' &&
		    (name.ptr[i + 3] | 0x20) == 'p')
			return zstr_make("lmtp", 4);
	return zstr_make("local", 5);
}

/*
 * reply_message_id - the message ID an Exim server's answer to the end
 * of DATA ends with ("250 OK id=1xW0Ro-00000000E51-3Vho", smtp_in.c),
 * also when a content filter passes it on; unset otherwise.  The
 * correlator decides whether it is a message of this relay.
 */
static struct zstr
reply_message_id(struct zstr reply)
{
	const char	*end = reply.ptr + reply.len, *id;

	id = memrchr(reply.ptr, ' ', reply.len);
	id = id != NULL ? id + 1 : reply.ptr;
	if (end - id < 4 || memcmp(id, "id=", 3) != 0 ||
	    !is_message_id(id + 3, (size_t)(end - id - 3)))
		return ZSTR_NULL;
	return zstr_make(id + 3, (size_t)(end - id - 3));
}

/*
 * is_discard - whether the text after "=> " is receive.c's line for a
 * message the relay's own checks left with no recipient while it was
 * received: "blackhole (WHO discarded recipients)", WHO "MAIL ACL",
 * "RCPT ACL", "DATA ACL", "MIME ACL", "DKIM ACL", "non-SMTP ACL" or
 * "local_scan", or, when local_scan() set a text, "blackhole TEXT"
 * (the test suite's "blackhole *this is a blackhole message* "); either
 * may end with ": " and the discarding ACL's log_message.  "Completed"
 * follows; nothing was delivered.  A delivery's line, a local part
 * "blackhole" included ("=> blackhole <blackhole@d> R=r T=t"), names
 * its router (R=) or transport (T=) after the addresses (deliver.c
 * delivery_log(), whose T= is always there, and redirect.c); "blackhole
 * TEXT" with neither is a discard, so a TEXT holding an "R=" or "T="
 * word is read as a delivery.
 */
static bool
is_discard(const char *s, const char *end)
{
	const char	*t, *close;

	if (!STARTS(s, end, "blackhole"))
		return false;
	if ((t = s + 9) < end && *t != ' ')
		return false;
	if (STARTS(t, end, " (")) {
		/* "(" WHO " discarded recipients)" */
		close = scan_find(t + 2, end, ')');
		if (close < end && close - (t + 2) > 21 &&
		    memcmp(close - 21, " discarded recipients", 21) == 0)
			return true;
	}
	for (; (t = skip_spaces(t, end)) < end; t = token_end(t, end))
		if ((*t == 'R' || *t == 'T') && t + 1 < end && t[1] == '=')
			return false;
	return true;
}

/*
 * parse_delivery - "=>", "->", ">>", "*>", "**", "==" (deliver.c):
 * "addresses [F=<s>] [P=<rp>] [R=router] [T=transport] [H=host] [X=
 * CV=] [A=] [C=\"reply\"] [QT= DT=]"; failures end with " : text"
 * (": text" attached to the last field before 4.86), deferrals with
 * "defer (N)..." (see parse_deferral()).
 */
static enum parse_status
parse_delivery(struct exim_parser *p, enum delivery_status status,
    const char *s, const char *end)
{
	struct mta_event *x;
	struct zstr	 final, top;
	struct field	 f;
	struct host	 h;
	const char	*b = s, *bend = end, *t, *msg = NULL;
	bool		 has_text = status == DELIVERY_BOUNCED ||
			    status == DELIVERY_DEFERRED;
	bool		 remote_host = false;

	if (s >= end || *s == ' ')
		return malformed(p, MALFORMED_FIELD);
	/* A discard by the relay's ACLs or local_scan() is its filter's
	   action on the message, as a Postfix DISCARD or a Sendmail milter
	   discard is.  A redirect router's ":blackhole:" (an alias file's
	   entry, say) or a filter's "seen finish" that made no address
	   ("=> :blackhole: <a> R=r", "=> discarded <a> R=r") is routing
	   chosen for that one address: a delivery to it, sent (as
	   Postfix's discard(8) reports one), with no transport (no T=). */
	if (status == DELIVERY_SENT && is_discard(s, end))
		return ignored(p, IGNORE_FILTER_ACTION);
	x = new_event(p, EV_DELIVERY);
	/* the address part: up to the first field, "defer" or " : " */
	for (t = s; ; ) {
		const char *e;

		if (t > b && ends_address_block(t, end, has_text)) {
			bend = t - 1;
			break;
		}
		e = token_end(t, end);
		if (has_text && *t != ':' && e - t > 1 && e[-1] == ':') {
			bend = e - 1;
			msg = e < end ? e + 1 : end;
			break;
		}
		if (e >= end)
			break;
		t = skip_spaces(e, end);
		if (t >= end)
			break;
	}
	split_addresses(b, bend, &final, &top);
	if (final.len == 0)
		return malformed(p, MALFORMED_FIELD);
	if (is_address(final) || top.ptr == NULL)
		x->recipient = final;
	else
		x->recipient = top;
	if (top.ptr != NULL && x->recipient.ptr != top.ptr)
		x->orig_recipient = top;
	x->status = status;

	for (s = msg == NULL ? bend : end; (s = skip_spaces(s, end)) < end; ) {
		if (has_text && *s == ':' && (s + 1 == end || s[1] == ' ')) {
			msg = s + 1 < end ? s + 2 : end;
			break;
		}
		if (status == DELIVERY_DEFERRED &&
		    (STARTS(s, end, "defer (") ||
		    STARTS(s, end, "routing defer ("))) {
			s = memchr(s, '(', (size_t)(end - s));
			parse_deferral(s + 1, end, x);
			break;
		}
		if (STARTS(s, end, "H=")) {
			if ((t = parse_host(s + 2, end, &h)) != NULL) {
				x->relay = h.relay;
				remote_host = true;
			} else {
				/* a local transport's host: a name only */
				t = token_end(s, end);
				x->relay = zstr_make(s + 2,
				    (size_t)(t - s - 2));
			}
			s = t;
			continue;
		}
		if ((t = next_field(s, end, &f)) == NULL)
			return malformed(p, MALFORMED_FIELD);
		s = t;
		if (f.key.ptr == NULL)
			continue;
		if (has_text && !f.quoted && f.value.len > 0 &&
		    f.value.ptr[f.value.len - 1] == ':') {
			/* "T=remote_smtp: text", before the " : " form */
			f.value.len--;
			msg = s < end ? s + 1 : end;
		}
		if (ZEQ(f.key, "T"))
			x->transport = f.value;
		else if (ZEQ(f.key, "C") && f.quoted)
			x->response = unquote(p, &f);
		if (msg != NULL)
			break;
	}
	if (msg != NULL && msg <= end) {
		x->response = zstr_make(msg, (size_t)(end - msg));
		/* +deliver_time: a failure's " DT=0.012s" follows its
		   text (deliver.c) */
		t = memrchr(msg, ' ', (size_t)(end - msg));
		if (t != NULL && STARTS(t + 1, end, "DT=") &&
		    x->response.len > (size_t)(end - t))
			x->response.len -= (size_t)(end - t);
	}
	x->dsn = find_dsn(x->response);
	if (status == DELIVERY_SENT && zstr_is_set(x->response))
		x->related_queue_id = reply_message_id(x->response);
	/* deliver.c delivery_log(): a remote transport's delivery names
	   the host used, "H=name [ip]"; a local transport's (appendfile,
	   pipe, lmtp, autoreply) names no address, at most the host a
	   router gave it.  A failure or a deferral of a remote transport
	   can lack H= too (connection refused, retry timeout), so only a
	   successful delivery is told to be local. */
	if (status == DELIVERY_SENT && zstr_is_set(x->transport) &&
	    !remote_host)
		x->transport = local_kind(x->transport);
	/* retry.c: "** addr: retry timeout exceeded"; smtp.c: hosts
	   "have been failing for a long time", or "retry time not reached
	   for any host after a long failure period": given up after
	   retrying */
	if (status == DELIVERY_BOUNCED && x->response.ptr != NULL &&
	    (ends_with(x->response, "retry timeout exceeded") ||
	    CONTAINS(x->response, "have been failing for a long time") ||
	    ends_with(x->response, "after a long failure period")))
		x->status = DELIVERY_EXPIRED;
	return PARSE_EVENTS;
}

/*
 * argument_end - the end of a refused command's argument (smtp_in.c
 * logs at most 100 bytes of it): after "<...>" the '>' followed by
 * ':' or the end, else the first ": " or the end.
 */
static const char *
argument_end(const char *s, const char *end)
{
	const char	*q;

	if (s < end && *s == '<' &&
	    (q = angle_end(s + 1, end, ":")) != NULL)
		return q + 1;
	for (q = s; (q = scan_find(q, end, ':')) < end; q++)
		if (q + 1 == end || q[1] == ' ')
			return q;
	return end;
}

/*
 * strip_angles - "<a@b>" to "a@b"; an argument cut at 100 bytes keeps
 * its opening '<' only, which goes too
 */
static struct zstr
strip_angles(const char *s, const char *e)
{
	if (s < e && *s == '<') {
		s++;
		if (s < e && e[-1] == '>')
			e--;
	}
	return zstr_make(s, (size_t)(e - s));
}

/* set_response - the text after ": " at s, if any */
static void
set_response(struct mta_event *x, const char *s, const char *end)
{
	if (s < end && *s == ':') {
		s++;
		if (s < end && *s == ' ')
			s++;
		x->response = zstr_make(s, (size_t)(end - s));
		x->dsn = find_dsn(x->response);
	}
}

/*
 * skip_to_text - past fields (" I=[ip]:port", " U=user") to the ": "
 * before a free text; a field ending in ':' ("I=[ip]:25:") ends there.
 * Returns the position of that ':' or the end.
 */
static const char *
skip_to_text(const char *s, const char *end)
{
	const char	*e;

	for (;;) {
		s = skip_spaces(s, end);
		if (s >= end || (*s == ':' && (s + 1 == end || s[1] == ' ')))
			return s;
		e = token_end(s, end);
		if (e[-1] == ':')
			return e - 1;
		s = e;
	}
}

/*
 * parse_refusal - after "rejected " (smtp_in.c smtp_handle_acl_fail():
 * "rejected WHAT[: text]", WHAT "RCPT <r>", "MAIL <s>", "DATA", "after
 * DATA", "connection in \"connect\" ACL", "EHLO or HELO name", "AUTH
 * mech", ...; receive.c "rejected from <s> H=host: text" and "rejected
 * by local_scan(): text"; smtp_in.c "rejected EHLO from host: text").
 */
static enum parse_status
parse_refusal(struct exim_parser *p, struct mta_event *x, const char *s,
    const char *end)
{
	struct host	 h;
	const char	*w = s, *t;

	x->reject_origin = REJECT_SMTPD;
	t = s;
	while (t < end && *t != ' ' && *t != ':')
		t++;
	if (t == w)
		return malformed(p, MALFORMED_FIELD);
	if (word_is(w, end, "MAIL") && (STARTS(t, end, " from ") ||
	    STARTS(t, end, " command ") || STARTS(t, end, " FROM:<"))) {
		/* smtp_in.c's own refusals of MAIL name the client with
		   host_and_ident(): "MAIL from HOST: no HELO/EHLO given"
		   (no "H="), "MAIL command H=HOST: too many messages in
		   one connection", "MAIL FROM:<s> H=HOST: message too
		   big: ..."; a local session's is "U=user" */
		x->stage = ZSTR_LIT("MAIL");
		if (t[1] == 'f') {
			s = t + 6;
		} else if (t[1] == 'c') {
			s = skip_spaces(t + 9, end);
			if (STARTS(s, end, "H="))
				s += 2;
		} else {
			if ((s = angle_end(t + 7, end, NULL)) == NULL)
				return malformed(p, MALFORMED_FIELD);
			x->sender = zstr_make(t + 7, (size_t)(s - t - 7));
			s = skip_spaces(s + 1, end);
			if (STARTS(s, end, "H="))
				s += 2;
		}
		if (!STARTS(s, end, "U=") &&
		    (t = parse_host(s, end, &h)) != NULL) {
			set_client(x, &h);
			s = t;
		}
		set_response(x, skip_to_text(s, end), end);
	} else if (word_is(w, end, "RCPT") || word_is(w, end, "MAIL")) {
		bool	rcpt = *w == 'R';

		x->stage = rcpt ? ZSTR_LIT("RCPT") : ZSTR_LIT("MAIL");
		s = skip_spaces(t, end);
		t = argument_end(s, end);
		if (t > s) {
			if (rcpt)
				x->recipient = strip_angles(s, t);
			else if (x->sender.ptr == NULL)
				x->sender = strip_angles(s, t);
		}
		set_response(x, t, end);
	} else if (STARTS(w, end, "after DATA") ||
	    STARTS(w, end, "during MIME") ||
	    STARTS(w, end, "by non-SMTP ACL")) {
		x->stage = ZSTR_LIT("END-OF-MESSAGE");
		/* acl_not_smtp: a message submitted on the relay */
		if (*w == 'b' && !zstr_is_set(x->client_ip))
			p->local_user = true;
		set_response(x, argument_end(w, end), end);
	} else if (STARTS(w, end, "by local_scan()")) {
		x->stage = ZSTR_LIT("END-OF-MESSAGE");
		x->reject_origin = REJECT_MILTER;
		set_response(x, w + 15, end);
	} else if (word_is(w, end, "connection")) {
		x->stage = ZSTR_LIT("CONNECT");
		set_response(x, argument_end(t, end), end);
	} else if (STARTS(w, end, "EHLO or HELO")) {
		x->stage = ZSTR_LIT("HELO");
		s = skip_spaces(w + 12, end);
		t = argument_end(s, end);
		if (x->helo.ptr == NULL && t > s)
			x->helo = zstr_make(s, (size_t)(t - s));
		set_response(x, t, end);
	} else if ((word_is(w, end, "EHLO") || word_is(w, end, "HELO")) &&
	    STARTS(t, end, " from ")) {
		/* check_helo() failed: host without "H=" */
		x->stage = ZSTR_LIT("HELO");
		if ((s = parse_host(t + 6, end, &h)) == NULL)
			return malformed(p, MALFORMED_FIELD);
		set_client(x, &h);
		set_response(x, skip_to_text(s, end), end);
	} else if (STARTS(w, end, "\"EHLO ") || STARTS(w, end, "\"HELO ")) {
		/* helo_verify_hosts: rejected "EHLO name" from host */
		x->stage = ZSTR_LIT("HELO");
		if ((t = FIND_LIT(w + 6, end, "\" from ")) != NULL) {
			if ((s = parse_host(t + 7, end, &h)) != NULL)
				set_client(x, &h);
			if (x->helo.ptr == NULL)
				x->helo = zstr_make(w + 6, (size_t)(t - w - 6));
		}
	} else if (STARTS(w, end, "from <")) {
		/* receive.c: size and header refusals while reading */
		x->stage = ZSTR_LIT("DATA");
		if ((t = angle_end(w + 6, end, ":HU")) == NULL)
			return malformed(p, MALFORMED_FIELD);
		x->sender = zstr_make(w + 6, (size_t)(t - w - 6));
		s = skip_spaces(t + 1, end);
		if (STARTS(s, end, "H=")) {
			if ((s = parse_host(s + 2, end, &h)) == NULL)
				return malformed(p, MALFORMED_FIELD);
			set_client(x, &h);
		} else if (STARTS(s, end, "U="))
			p->local_user = true;
		set_response(x, skip_to_text(s, end), end);
	} else {
		/* DATA, AUTH, VRFY, EXPN, ETRN, STARTTLS, ...: the word */
		x->stage = zstr_make(w, (size_t)(t - w));
		set_response(x, argument_end(t, end), end);
	}
	return PARSE_EVENTS;
}

/*
 * refused_message - the events of a refusal (p->ev[0]) that names a
 * message ID.  receive.c gives a message its ID when its data begins,
 * and a refusal while or after the data was read (size and header
 * checks, the DATA, MIME, DKIM and non-SMTP ACLs, local_scan())
 * throws the message away: no "<=" line and no "Completed" follow.
 * Only a PRDR refusal of one recipient (stage RCPT) leaves it going.  So the refusal also says where the message
 * came from (EV_CLIENT from H=, EV_PICKUP with the sender for a local
 * user's U=) and that it left the queue (EV_REMOVED): it is one whole
 * refused message of its client, as Postfix's cleanup and milter
 * refusals make one.
 */
static enum parse_status
refused_message(struct exim_parser *p, bool with_id, enum parse_status st)
{
	struct mta_event rej, *x;

	if (st != PARSE_EVENTS || !with_id || p->nev != 1 ||
	    ZEQ(p->ev[0].stage, "RCPT"))
		return st;
	rej = p->ev[0];
	p->nev = 0;
	if (zstr_is_set(rej.client_ip)) {
		x = new_event(p, EV_CLIENT);
		x->client_ip = rej.client_ip;
		x->client_name = rej.client_name;
		x->helo = rej.helo;
		x->sasl_method = rej.sasl_method;
		x->sasl_username = rej.sasl_username;
	} else if (p->local_user) {
		x = new_event(p, EV_PICKUP);
		x->sender = rej.sender;
	}
	x = new_event(p, EV_REJECT);
	*x = rej;
	(void)new_event(p, EV_REMOVED);
	return PARSE_EVENTS;
}

/*
 * parse_session_line - a line opening with host and envelope fields
 * ("H=host I=[ip]:port U=ident X=... F=<s> A=auth:id ..."), as
 * smtp_handle_acl_fail() and receive.c write them before "rejected",
 * "Warning:", "sender verify fail for" and the like.
 */
static enum parse_status
parse_session_line(struct exim_parser *p, const char *s, const char *end,
    bool with_id)
{
	struct mta_event *x = new_event(p, EV_REJECT);
	struct field	 f;
	struct host	 h;
	const char	*t;
	size_t		 klen;

	for (; (s = skip_spaces(s, end)) < end; s = t) {
		if (word_is(s, end, "DS")) {
			t = s + 2;
			continue;
		}
		if (STARTS(s, end, "H=")) {
			if ((t = parse_host(s + 2, end, &h)) == NULL)
				return malformed(p, MALFORMED_FIELD);
			set_client(x, &h);
			continue;
		}
		if ((klen = upper_key(s, end)) == 0)
			break;
		if ((t = keyed_field(s, end, klen, &f)) == NULL)
			return malformed(p, MALFORMED_FIELD);
		if (ZEQ(f.key, "F"))
			x->sender = f.value;
		else if (ZEQ(f.key, "A"))
			(void)set_auth(f.value, &x->sasl_method,
			    &x->sasl_username);
		else if (ZEQ(f.key, "U"))
			p->local_user = true;
	}
	if (STARTS(s, end, "rejected "))
		return refused_message(p, with_id,
		    parse_refusal(p, x, s + 9, end));
	if (STARTS(s, end, "temporarily rejected "))
		return refused_message(p, with_id,
		    parse_refusal(p, x, s + 21, end));
	if (STARTS(s, end, "Warning:"))
		return ignored(p, with_id ? IGNORE_QUEUE_INFO :
		    IGNORE_WARNING);
	if (STARTS(s, end, "RCPT ") &&
	    FIND_LIT(s, end, ": discarded by ") != NULL)
		return ignored(p, IGNORE_FILTER_ACTION);
	if (STARTS(s, end, "sender verify ") ||
	    STARTS(s, end, "recipient verify ") ||
	    STARTS(s, end, "dropped ") || STARTS(s, end, "SMTP ") ||
	    STARTS(s, end, "incomplete transaction "))
		return ignored(p, IGNORE_SESSION);
	return ignored(p, with_id ? IGNORE_QUEUE_INFO : IGNORE_UNRECOGNISED);
}

/*
 * parse_auth_failed - smtp_in.c: "NAME authenticator failed for
 * H=host [I=..] [U=..] [Ci=..]: TEXT" ("for host" before Exim 4.86,
 * "for U=user" for a local -bs session), TEXT "535 Incorrect
 * authentication data (set_id=USER)" when the authenticator's
 * server_set_id expanded.  The user name is the client's: everything
 * from the first " (set_id=" to a final ')'.
 */
static enum parse_status
parse_auth_failed(struct exim_parser *p, const char *name,
    const char *name_end, const char *s, const char *end)
{
	struct mta_event *x = new_event(p, EV_AUTH_FAILED);
	struct host	 h;
	const char	*text, *q, *u, *e;

	x->sasl_method = zstr_make(name, (size_t)(name_end - name));
	if (STARTS(s, end, "H="))
		s += 2;
	if (!STARTS(s, end, "U=")) {
		if ((s = parse_host(s, end, &h)) == NULL)
			return malformed(p, MALFORMED_FIELD);
		set_client(x, &h);
	}
	if ((text = skip_to_text(s, end)) >= end)
		return PARSE_EVENTS;
	text++;
	if (text < end && *text == ' ')
		text++;
	if ((q = FIND_LIT(text, end, " (set_id=")) == NULL) {
		x->response = zstr_make(text, (size_t)(end - text));
		return PARSE_EVENTS;
	}
	/* 535: the name runs to the final ')'; a 435 text goes on after
	   it ("(set_id=u): reason") */
	u = q + 9;
	e = STARTS(text, end, "535 ") ? NULL : FIND_LIT(u, end, "): ");
	if (e == NULL) {
		e = end > u && end[-1] == ')' ? end - 1 : end;
		x->response = zstr_make(text, (size_t)(q - text));
	} else
		x->response = join(p, zstr_make(text, (size_t)(q - text)),
		    zstr_make(e + 1, (size_t)(end - e - 1)));
	x->sasl_username = zstr_make(u, (size_t)(e - u));
	return PARSE_EVENTS;
}

/* Line openings that name no message, and why they are not used. */
struct text_rule {
	const char		*prefix;
	size_t			 len;
	enum ignore_reason	 reason;
};

#define RULE(lit, reason)	{ lit, sizeof(lit) - 1, reason }

static const struct text_rule text_rules[] = {
	/* daemon.c, queue.c, exim.c: start, stop, queue runs, config */
	RULE("exim ", IGNORE_DAEMON),
	RULE("Start queue run", IGNORE_DAEMON),
	RULE("End queue run", IGNORE_DAEMON),
	RULE("Start '", IGNORE_DAEMON),
	RULE("End '", IGNORE_DAEMON),
	RULE("daemon: ", IGNORE_DAEMON),
	RULE("cwd=", IGNORE_DAEMON),
	RULE("pid ", IGNORE_DAEMON),
	RULE("Exim configuration error", IGNORE_DAEMON),
	RULE("listening for ", IGNORE_DAEMON),
	RULE("listen backlog", IGNORE_DAEMON),
	RULE("notify triggered queue run", IGNORE_DAEMON),
	/* smtp_in.c, daemon.c, host.c: sessions that carry no message */
	RULE("SMTP connection ", IGNORE_SESSION),
	RULE("SMTP command timeout", IGNORE_SESSION),
	RULE("SMTP data timeout", IGNORE_SESSION),
	RULE("SMTP protocol ", IGNORE_SESSION),
	RULE("SMTP syntax error", IGNORE_SESSION),
	RULE("SMTP call from ", IGNORE_SESSION),
	RULE("SMTP incomplete transaction", IGNORE_SESSION),
	RULE("incomplete transaction", IGNORE_SESSION),
	RULE("unexpected disconnection", IGNORE_SESSION),
	RULE("no MAIL in SMTP connection", IGNORE_SESSION),
	RULE("no host name found for", IGNORE_SESSION),
	RULE("no IP address found for", IGNORE_SESSION),
	RULE("refused connection from", IGNORE_SESSION),
	RULE("Connection from ", IGNORE_SESSION),
	RULE("Connection refused", IGNORE_SESSION),
	RULE("connection count", IGNORE_SESSION),
	RULE("ETRN ", IGNORE_SESSION),
	RULE("VRFY failed", IGNORE_SESSION),
	RULE("EXPN ", IGNORE_SESSION),
	RULE("ignoring AUTH=", IGNORE_SESSION),
	RULE("host name alias list truncated", IGNORE_SESSION),
	RULE("too many connections", IGNORE_SESSION),
	RULE("sender verify ", IGNORE_SESSION),
	RULE("recipient verify ", IGNORE_SESSION),
	/* tls-openssl.c, tls-gnu.c */
	RULE("TLS ", IGNORE_TLS),
	RULE("SSL ", IGNORE_TLS),
	/* warnings and panic-log copies */
	RULE("Warning:", IGNORE_WARNING),
	RULE("warning:", IGNORE_WARNING),
	RULE("failed to ", IGNORE_WARNING),
	RULE("Failed to ", IGNORE_WARNING),
	RULE("Cannot ", IGNORE_WARNING),
	RULE("cannot ", IGNORE_WARNING),
	RULE("Unable to ", IGNORE_WARNING),
	RULE("unable to ", IGNORE_WARNING),
	RULE("Couldn't ", IGNORE_WARNING),
	{ NULL, 0, IGNORE_UNRECOGNISED }
};
_Static_assert(sizeof(text_rules) / sizeof(text_rules[0]) <= 256,
    "first_rule holds rule indexes in a byte");

/* index_rules - where the rules for each first byte start */
static void
index_rules(struct exim_parser *p)
{
	size_t	i;

	for (i = sizeof(text_rules) / sizeof(text_rules[0]) - 1; i-- > 0; )
		p->first_rule[(unsigned char)text_rules[i].prefix[0]] =
		    (unsigned char)(i + 1);
}

/* text_reason - the rule for a line opening, IGNORE_UNRECOGNISED if none */
static enum ignore_reason
text_reason(const struct exim_parser *p, const char *s, const char *end)
{
	const struct text_rule *r;
	unsigned	first;

	if (s >= end || (first = p->first_rule[(unsigned char)*s]) == 0)
		return IGNORE_UNRECOGNISED;
	/* from the first rule with this first byte on: few share it */
	for (r = text_rules + first - 1; r->prefix != NULL; r++)
		if (r->prefix[0] == *s && (size_t)(end - s) >= r->len &&
		    memcmp(s, r->prefix, r->len) == 0)
			return r->reason;
	return IGNORE_UNRECOGNISED;
}

/* flag_status - the delivery flag at s ("=> ", "** ", ...), or -1 */
static inline int
flag_status(const char *s, const char *end)
{
	if (end - s < 2 || (end - s > 2 && s[2] != ' '))
		return -1;
	if ((s[0] == '=' || s[0] == '-' || s[0] == '>') && s[1] == '>')
		return DELIVERY_SENT;
	if (s[0] == '*' && s[1] == '>')
		return DELIVERY_OTHER;
	if (s[0] == '*' && s[1] == '*')
		return DELIVERY_BOUNCED;
	if (s[0] == '=' && s[1] == '=')
		return DELIVERY_DEFERRED;
	return -1;
}

/* is_arrival_flag - "<= " or "(= " (fakereject) at s */
static bool
is_arrival_flag(const char *s, const char *end)
{
	return end - s >= 2 && (s[0] == '<' || s[0] == '(') && s[1] == '=' &&
	    (end - s == 2 || s[2] == ' ');
}

/* parse_message_line - "ID TEXT" with a valid ID in p->base */
static enum parse_status
parse_message_line(struct exim_parser *p, const char *s, const char *end)
{
	enum ignore_reason reason;
	int		 status;

	if (is_arrival_flag(s, end))
		return parse_arrival(p, s + 2 < end ? s + 3 : end, end);
	if ((status = flag_status(s, end)) >= 0)
		return parse_delivery(p, (enum delivery_status)status,
		    s + 2 < end ? s + 3 : end, end);
	if (word_is(s, end, "Completed")) {
		new_event(p, EV_REMOVED);
		return PARSE_EVENTS;
	}
	if (STARTS(s, end, "H=") || STARTS(s, end, "U=") ||
	    STARTS(s, end, "F=") || STARTS(s, end, "DS H="))
		return parse_session_line(p, s, end, true);
	if (STARTS(s, end, "rejected ") ||
	    STARTS(s, end, "temporarily rejected "))
		return parse_session_line(p, s, end, true);
	/* An administrator gave the message up: "cancelled by U" (exim
	   -Mg, returned to the sender) or "removed by U" (-Mrm), then
	   "Completed"; what still waited is given up, as by expiry. */
	if (STARTS(s, end, "cancelled by ") || STARTS(s, end, "removed by ")) {
		new_event(p, EV_EXPIRED);
		return PARSE_EVENTS;
	}
	/* frozen, retry, routing, DKIM, SMTP error details: queue info */
	reason = text_reason(p, s, end);
	if (reason == IGNORE_SESSION || reason == IGNORE_TLS)
		return ignored(p, reason);
	return ignored(p, IGNORE_QUEUE_INFO);
}

/*
 * looks_like_message_line - "TOKEN FLAG" where TOKEN has the shape of
 * an ID (base-62 digits and dashes): with a bad ID the line is
 * malformed, not uninteresting.
 */
static bool
looks_like_message_line(const char *s, const char *t, const char *end)
{
	const char	*q;
	bool		 dash = false;

	if (t - s < 8 || t - s > 32 || t >= end)
		return false;
	for (q = s; q < t; q++) {
		if (*q == '-')
			dash = true;
		else if (!is_base62((unsigned char)*q))
			return false;
	}
	t++;
	return dash && (is_arrival_flag(t, end) || flag_status(t, end) >= 0 ||
	    word_is(t, end, "Completed"));
}

/* The words a recipients_max line starts with */
#define TOO_MANY	"too many recipients: "

/*
 * parse_too_many - smtp_in.c recipients_max: "too many recipients:
 * excess temporarily rejected: sender=<s> H=..." (the RCPTs past the
 * limit refused with 452) or "...: message rejected: sender=<s> H=..."
 * (recipients_max_reject: the message's RCPTs refused); s is at
 * "too many recipients: ".  One refusal of the client's recipients, a
 * rate limit, of a line that names no message and no login (so it
 * counts for the client address).
 */
static enum parse_status
parse_too_many(struct exim_parser *p, const char *s, const char *end)
{
	struct mta_event *x;
	struct host	 h;
	const char	*a, *q;

	a = FIND_LIT(s + sizeof(TOO_MANY) - 1, end, ": sender=<");
	if (a == NULL || (q = angle_end(a + 10, end, NULL)) == NULL ||
	    !STARTS(q + 1, end, " H=") || parse_host(q + 4, end, &h) == NULL)
		return malformed(p, MALFORMED_FIELD);
	x = new_event(p, EV_REJECT);
	set_client(x, &h);
	x->sender = zstr_make(a + 10, (size_t)(q - a - 10));
	x->reject_origin = REJECT_SMTPD;
	x->stage = ZSTR_LIT("RCPT");
	x->response = zstr_make(s, (size_t)(a - s));
	return PARSE_EVENTS;
}

/* parse_text - Exim's text after the stamp and "[pid] " */
static enum parse_status
parse_text(struct exim_parser *p, const char *s, const char *end)
{
	const char	*t;
	enum parse_status st;
	bool		 id;

	/* Most lines open with an ID and a space: try its two lengths
	   before looking for the first space.  An ID holds no space, so
	   a valid one found so is the whole first token. */
	if (end - s > 16 && s[16] == ' ')
		t = s + 16;
	else if (end - s > 23 && s[23] == ' ')
		t = s + 23;
	else
		t = NULL;
	id = t != NULL && is_message_id(s, (size_t)(t - s));
	/* A session line's first word ("H=...", "DS", "rejected", ...)
	   has a character no ID has, or no dash: neither an ID nor
	   like one, so its end is not needed. */
	if (!id && (STARTS(s, end, "H=") || STARTS(s, end, "U=") ||
	    STARTS(s, end, "F=") || STARTS(s, end, "DS H=") ||
	    STARTS(s, end, "rejected ") ||
	    STARTS(s, end, "temporarily rejected ")))
		return parse_session_line(p, s, end, false);
	if (!id) {
		t = token_end(s, end);
		id = is_message_id(s, (size_t)(t - s)) && t < end;
	}
	if (id) {
		p->base.queue_id = zstr_make(s, (size_t)(t - s));
		st = parse_message_line(p, t + 1, end);
		p->base.queue_id = ZSTR_NULL;
		return st;
	}
	if (looks_like_message_line(s, t, end))
		return malformed(p, MALFORMED_QUEUE_ID);
	if (t > s && STARTS(t, end, " authenticator failed for "))
		return parse_auth_failed(p, s, t, t + 26, end);
	if (STARTS(s, end, TOO_MANY))
		return parse_too_many(p, s, end);
	return ignored(p, text_reason(p, s, end));
}

/* begin_line - reset the parser for a new line */
static void
begin_line(struct exim_parser *p)
{
	p->nev = 0;
	p->next = 0;
	p->local_user = false;
	p->have_time = false;
	/* Of p->base only the time, host, program, pid and queue ID are
	   ever written, the first three for every line before any event;
	   the queue ID is reset after its line. */
	p->base.pid = -1;
}

/* finish - report the reason, drop events unless the line gave some */
static enum parse_status
finish(struct exim_parser *p, enum parse_status st,
    enum ignore_reason *ignore, enum malformed_reason *malformedp)
{
	if (st == PARSE_IGNORED && ignore != NULL)
		*ignore = p->ignore;
	if (st == PARSE_MALFORMED && malformedp != NULL)
		*malformedp = p->malformed;
	if (st != PARSE_EVENTS)
		p->nev = 0;
	else if (p->nev == 0)
		st = ignored(p, IGNORE_UNRECOGNISED);
	return st;
}

/* exim_feed_native - one line of a main log file */
enum parse_status
exim_feed_native(struct exim_parser *p, const char *line, size_t len,
    struct zstr host, enum ignore_reason *ignore,
    enum malformed_reason *malformedp)
{
	const char	*s = line, *end = line + len;
	struct stamp	 st;
	bool		 valid;

	begin_line(p);
	if (line != NULL && stamp_repeat(p, line, len)) {
		p->time_sec = p->stamp_local;
		p->time_usec = 0;
		s = line + 20;
		goto text;
	}
	/* a stamp opens most lines: look further only past a blank */
	if (len > 0 && line != NULL && (line[0] == ' ' || line[0] == '\t') &&
	    exim_is_continuation_line(line, len))
		return finish(p, ignored(p, IGNORE_WARNING), ignore,
		    malformedp);
	if (line == NULL || (s = parse_stamp(p, s, end, &st, &valid)) == NULL ||
	    !valid)
		return finish(p, line != NULL && exim_is_native_line(line,
		    len) ? malformed(p, MALFORMED_HEADER) : PARSE_NOT_MINE,
		    ignore, malformedp);
	if (st.has_zone)
		p->time_sec = civil_utc(st.year, st.month, st.day, st.hour,
		    st.min, st.sec) - st.offset_sec;
	else
		p->time_sec = stamp_local(p, &st);
	p->time_usec = st.usec;
	if (s < end)
		s++;
text:
	p->have_time = true;
	p->base.time_sec = p->time_sec;
	p->base.time_usec = p->time_usec;
	p->base.host = host;
	p->base.program = ZSTR_LIT("exim");
	s = skip_pid(s, end, &p->base.pid);
	return finish(p, parse_text(p, s, end), ignore, malformedp);
}

/*
 * syslog_piece - "[n/m] " or "[n\m] " opening a line Exim split for
 * syslog (log.c write_syslog()); n, or 0 when there is none.
 */
static unsigned
syslog_piece(const char **sp, const char *end)
{
	const char	*s = *sp, *t;
	unsigned	 n = 0;

	if (s >= end || *s != '[')
		return 0;
	for (t = s + 1; t < end && IS_DIGIT(*t) && t - s < 6; t++)
		n = n * 10 + (unsigned)(*t - '0');
	if (t == s + 1 || t >= end || (*t != '/' && *t != '\\'))
		return 0;
	for (s = ++t; t < end && IS_DIGIT(*t) && t - s < 6; t++)
		continue;
	if (t == s || t + 1 >= end || *t != ']' || t[1] != ' ')
		return 0;
	*sp = t + 2;
	return n;
}

/* exim_feed - the message of one syslog line */
enum parse_status
exim_feed(struct exim_parser *p, const struct syslog_header *hdr,
    enum ignore_reason *ignore, enum malformed_reason *malformedp)
{
	const char	*s = hdr->message.ptr, *end, *t;
	struct stamp	 st;
	enum parse_status status;
	int64_t		 pid = -1;
	unsigned	 piece;
	bool		 valid;

	begin_line(p);
	if (!exim_is_program(hdr->program))
		return PARSE_NOT_MINE;
	p->base.time_sec = hdr->time_sec;
	p->base.time_usec = hdr->time_usec;
	p->base.host = hdr->host;
	p->base.program = hdr->program;
	p->base.pid = hdr->pid;
	if (s == NULL)
		s = "";
	end = s + hdr->message.len;
	piece = syslog_piece(&s, end);
	if (piece > 1)
		return finish(p, ignored(p, IGNORE_UNRECOGNISED), ignore,
		    malformedp);
	/* syslog_timestamp (default true) keeps Exim's own stamp */
	if ((t = parse_stamp(p, s, end, &st, &valid)) != NULL)
		s = t < end ? t + 1 : end;
	s = skip_pid(s, end, &pid);
	if (p->base.pid < 0)
		p->base.pid = pid;
	status = parse_text(p, s, end);
	/* the first piece of a split line is cut short: what cannot be
	   read of it is lost, not damaged */
	if (piece == 1 && status == PARSE_MALFORMED)
		status = ignored(p, IGNORE_UNRECOGNISED);
	return finish(p, status, ignore, malformedp);
}
