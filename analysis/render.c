/*
 * render - the report in other output formats (see render.h).
 *
 * Every format reads the report, a whole document or a struct report
 * (struct source below), through a few tolerant accessors: a member
 * that is missing or of the wrong type reads as empty, so a damaged or
 * older document prints with gaps rather than crashing.  Output goes
 * straight to the stream; stdio errors are sticky, so each format
 * checks ferror() at the end (after fflush(), so that a full disk
 * shows here and not at fclose), and the formats that build accounts
 * one at a time also before each account, to stop early.
 *
 * Log text is treated as hostile in every format:
 *
 *	csv	the table's neutralisation (below), RFC 4180 quoting, and
 *		a cell starting with = + - @ gets a leading single quote
 *		so that a spreadsheet shows it as text instead of running
 *		it as a formula (OWASP, "CSV Injection").
 *	table	C0 and C1 control characters, DEL, bidirectional
 *		formatting characters and invalid UTF-8 are printed as
 *		visible escapes (\x1b, \u202e), so an account name cannot
 *		move the cursor, change colours or reorder what the
 *		analyst reads.
 *	html	the same neutralisation, then & < > " ' as entities; log
 *		text only ever appears as element text or in a quoted
 *		attribute value.
 */
#include "config.h"

#include <assert.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/render.h"
#include "analysis/report.h"
#include "util/utf8.h"
#include "util/xalloc.h"

/* Widest table columns, in code points; longer text ends in "…". */
#define TABLE_ACCOUNT_MAX	40
#define TABLE_REASON_MAX	60
#define TABLE_COLUMNS		8

/* How many reasons the csv top_reasons cell joins. */
#define CSV_TOP_REASONS		3

/* The html bar chart: bar slots, plot height and margins in px. */
#define CHART_SLOT		18
#define CHART_BAR		12
#define CHART_LEFT		36
#define CHART_TOP		10
#define CHART_PLOT		90
#define CHART_BOTTOM		18
#define CHART_WIDTH		(CHART_LEFT + 24 * CHART_SLOT + 6)
#define CHART_HEIGHT		(CHART_TOP + CHART_PLOT + CHART_BOTTOM)

/* ANSI SGR sequences for the table when the caller allows colour. */
#define SGR_BOLD		"\033[1m"
#define SGR_RED			"\033[1;31m"
#define SGR_YELLOW		"\033[33m"
#define SGR_RESET		"\033[0m"

/* The format names, in enum order. */
static const char *const format_names[RENDER_FORMAT_COUNT] = {
	"json", "jsonl", "csv", "table", "html"
};

/* A growable NUL-terminated string; data is NULL until first use. */
struct strbuf {
	char	*data;
	size_t	 len;
	size_t	 cap;
};

/* ---- small tools ----------------------------------------------- */

/* oom - jansson could not allocate: fatal, like xmalloc */
static void __attribute__((noreturn))
oom(void)
{
	fputs(PACKAGE ": out of memory rendering the report\n", stderr);
	exit(1);
}

/* sb_grow - room for n more bytes and the NUL */
static void __attribute__((noinline))
sb_grow(struct strbuf *b, size_t n)
{
	size_t	cap = b->cap > 0 ? b->cap : 64;

	while (cap < b->len + n + 1)
		cap *= 2;
	b->data = xreallocarray(b->data, cap, 1);
	b->cap = cap;
}

/* sb_append - add n bytes (in line: most are a few bytes, often a
   constant count) */
static inline void
sb_append(struct strbuf *b, const void *p, size_t n)
{
	if (b->cap - b->len <= n)
		sb_grow(b, n);
	memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}

/* sb_puts - add a NUL-terminated string */
static void
sb_puts(struct strbuf *b, const char *s)
{
	sb_append(b, s, strlen(s));
}

/* sb_text - the contents, "" before anything was added; borrowed */
static const char *
sb_text(const struct strbuf *b)
{
	return b->data != NULL ? b->data : "";
}

/* sb_free - release the contents */
static void
sb_free(struct strbuf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

/* finish - flush and report whether every write so far succeeded */
static bool
finish(FILE *out)
{
	if (fflush(out) == EOF)
		return false;
	return !ferror(out);
}

/* ---- reading the document -------------------------------------- */

/*
 * at_path - the member at a path of keys ending in a null pointer, or
 * NULL when any step is missing or not an object.  Called through at(),
 * which adds the end: at(doc, "input", "lines").
 */
static const json_t *
at_path(const json_t *v, ...)
{
	va_list		 ap;
	const char	*key;

	va_start(ap, v);
	while (v != NULL && (key = va_arg(ap, const char *)) != NULL)
		v = json_object_get(v, key);	/* NULL for a non-object */
	va_end(ap);
	return v;
}

#define at(...)	at_path(__VA_ARGS__, (const char *)NULL)

/* str - a string's text, or "" for anything else */
static const char *
str(const json_t *v)
{
	const char	*s = json_string_value(v);

	return s != NULL ? s : "";
}

/* str_len - a string's length in bytes, 0 for anything else */
static size_t
str_len(const json_t *v)
{
	return json_is_string(v) ? json_string_length(v) : 0;
}

/*
 * other_subscriber - the index'th subscriber_id, in subscriber_matches
 * order, of the account's matching rows that is neither its
 * subscriber_id nor one before it: the other subscribers whose leases
 * overlap its activity (an address that changed hands).  NULL past the
 * last.
 */
static const json_t *
other_subscriber(const json_t *a, size_t index)
{
	const json_t	*matches = at(a, "subscriber_matches");
	const json_t	*id, *best = at(a, "subscriber_id");
	size_t		 i, j, seen = 0;

	for (i = 0; i < json_array_size(matches); i++) {
		id = at(json_array_get(matches, i), "subscriber_id");
		if (!json_is_string(id) || json_equal(id, best))
			continue;
		for (j = 0; j < i; j++)
			if (json_equal(id, at(json_array_get(matches, j),
			    "subscriber_id")))
				break;
		if (j < i)
			continue;
		if (seen++ == index)
			return id;
	}
	return NULL;
}

/*
 * count_text - a count as text: an integer exactly, a real (a count
 * beyond 2^63) without a fraction; "" for anything else
 */
static const char *
count_text(const json_t *v, char buf[32])
{
	buf[0] = '\0';
	if (json_is_integer(v))
		snprintf(buf, 32, "%" JSON_INTEGER_FORMAT,
		    json_integer_value(v));
	else if (json_is_real(v) && isfinite(json_real_value(v)))
		snprintf(buf, 32, "%.0f", json_real_value(v));
	return buf;
}

/* score_text - a score with one decimal ("85.0"); "" when not a number */
static const char *
score_text(const json_t *v, char buf[32])
{
	buf[0] = '\0';
	if (json_is_number(v) && isfinite(json_number_value(v)))
		snprintf(buf, 32, "%.1f", json_number_value(v));
	return buf;
}

/* number - a count as a double for arithmetic; 0 when not a number */
static double
number(const json_t *v)
{
	double	x = json_number_value(v);	/* 0 for a non-number */

	return isfinite(x) && x > 0 ? x : 0.0;
}

/*
 * listing_note - which accounts the report lists, for a reader of the
 * table or the page: "5 of 179 accounts listed: those scoring 40 or
 * more (--all lists every account)"; from the head's summary and scoring
 */
static void
listing_note(struct strbuf *b, const json_t *doc)
{
	char	line[256], n1[32], n2[32], n3[32];
	double	min = number(at(doc, "scoring", "min_score"));
	double	top = number(at(doc, "scoring", "top"));
	double	listed = number(at(doc, "summary", "reported"));
	double	total = number(at(doc, "summary", "accounts"));

	count_text(at(doc, "summary", "reported"), n1);
	count_text(at(doc, "summary", "accounts"), n2);
	count_text(at(doc, "scoring", "top"), n3);
	if (n1[0] == '\0' || n2[0] == '\0')
		return;
	if (min <= 0 && top <= 0)
		snprintf(line, sizeof(line), "%s of %s accounts listed: "
		    "all of them", n1, n2);
	else if (min <= 0)
		snprintf(line, sizeof(line), "%s of %s accounts listed: "
		    "the %s best-ranked", n1, n2, n3);
	else
		snprintf(line, sizeof(line), "%s of %s accounts listed: "
		    "%s%s%sthose scoring %g or more%s", n1, n2,
		    top > 0 ? "at most the " : "", top > 0 ? n3 : "",
		    top > 0 ? " best-ranked of " : "", min,
		    listed < total ? " (--all lists every account)" : "");
	sb_puts(b, line);
}

/* accounts_of - the listed accounts; NULL when there are none */
static const json_t *
accounts_of(const json_t *doc)
{
	const json_t	*a = at(doc, "accounts");

	return json_is_array(a) ? a : NULL;
}

/* ---- what is rendered ------------------------------------------- */

/*
 * A report to render, whole or in parts.  A whole document (from
 * render_report()) is its own head and holds its accounts; a struct
 * report (render_report_stream()) has a head without accounts and
 * builds each account when asked, so that every format holds one at a
 * time (table keeps each row's cells, html builds each account once
 * for its ranking and once for its details; json and jsonl build no
 * tree at all, see the text emitters).  Either way each format reads
 * the head and the accounts through the same code.
 */
struct source {
	const json_t	*head;
	const json_t	*accounts;	/* the document's; NULL for report */
	const struct report *report;	/* NULL for a whole document */
};

/* source_count - how many accounts there are */
static size_t
source_count(const struct source *src)
{
	if (src->report != NULL)
		return report_count(src->report);
	return json_array_size(src->accounts);	/* 0 for NULL */
}

/*
 * source_account - account i; borrowed until the caller decrefs
 * *owned, which is the account built for a struct report and NULL for
 * one borrowed from a document
 */
static const json_t *
source_account(const struct source *src, size_t i, json_t **owned)
{
	*owned = NULL;
	if (src->report == NULL)
		return json_array_get(src->accounts, i);
	*owned = report_account(src->report, i);
	return *owned;
}

/* ---- making log text inert ------------------------------------- */

/*
 * utf8_decode - the code point of the UTF-8 sequence at s (len > 0
 * bytes) in *cp and its length, or 0 when the sequence is invalid,
 * overlong, a surrogate or truncated
 */
static size_t
utf8_decode(const unsigned char *s, size_t len, uint32_t *cp)
{
	uint32_t	c = s[0], min;
	size_t		n, i;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf) {
		n = 2;
		c &= 0x1f;
		min = 0x80;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		c &= 0x0f;
		min = 0x800;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		c &= 0x07;
		min = 0x10000;
	} else
		return 0;
	if (len < n)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (uint32_t)(s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return n;
}

/*
 * is_layout_control - characters that change how the text around them
 * is laid out without being seen: the bidirectional marks, embeddings,
 * overrides and isolates (Unicode UAX #9) and the line and paragraph
 * separators.  An override can make "moc.elpmaxe@" read as a harmless
 * name, so they are shown as escapes like the control characters.
 */
static bool
is_layout_control(uint32_t cp)
{
	return cp == 0x061c || cp == 0x200e || cp == 0x200f ||
	    (cp >= 0x2028 && cp <= 0x202e) ||
	    (cp >= 0x2066 && cp <= 0x2069);
}

/*
 * inert_append - add len bytes of log text to b with C0 and C1
 * controls, DEL and invalid bytes as \xNN and layout controls as
 * \uNNNN; the result is valid UTF-8 that a terminal prints as is
 */
static void
inert_append(struct strbuf *b, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	char		 esc[16];
	uint32_t	 cp;
	size_t		 i = 0, n, run;

	while (i < len) {
		/* Copy runs of printable ASCII at once. */
		for (run = i; run < len && p[run] >= 0x20 && p[run] < 0x7f;
		    run++)
			continue;
		if (run > i) {
			sb_append(b, p + i, run - i);
			i = run;
			continue;
		}
		n = utf8_decode(p + i, len - i, &cp);
		if (n == 0) {
			snprintf(esc, sizeof(esc), "\\x%02x", p[i]);
			sb_puts(b, esc);
			i++;
		} else if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f)) {
			snprintf(esc, sizeof(esc), "\\x%02" PRIx32, cp);
			sb_puts(b, esc);
			i += n;
		} else if (is_layout_control(cp)) {
			snprintf(esc, sizeof(esc), "\\u%04" PRIx32, cp);
			sb_puts(b, esc);
			i += n;
		} else {
			sb_append(b, p + i, n);
			i += n;
		}
	}
	if (b->data == NULL)
		sb_append(b, "", 0);
}

/* inert_json - a JSON string's text made inert; "" for a non-string */
static void
inert_json(struct strbuf *b, const json_t *v)
{
	inert_append(b, str(v), str_len(v));
}

/*
 * code_points - how many code points valid UTF-8 holds: every byte
 * that is not a continuation byte starts one
 */
static size_t
code_points(const char *s, size_t len)
{
	size_t	i, n = 0;

	for (i = 0; i < len; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			n++;
	return n;
}

/*
 * clip - cut valid UTF-8 in b to at most max code points (max >= 1),
 * the last of them an ellipsis when anything was cut
 */
static void
clip(struct strbuf *b, size_t max)
{
	size_t	i, n = 0;

	if (code_points(b->data, b->len) <= max)
		return;
	for (i = 0; i < b->len; i++) {
		if (((unsigned char)b->data[i] & 0xc0) != 0x80) {
			if (n == max - 1)
				break;
			n++;
		}
	}
	b->len = i;
	b->data[i] = '\0';
	sb_puts(b, "\xe2\x80\xa6");	/* U+2026 HORIZONTAL ELLIPSIS */
}

/* ---- json ------------------------------------------------------- */

/*
 * jansson cannot dump an object in parts, so the JSON report is written
 * here, with the layout json_dumpf() gives REPORT_DUMP_FLAGS (what
 * report_write() uses for the whole document, and tests compare the
 * two byte for byte):
 *
 *   - "{", each member on a line of its own, indented two spaces a
 *     level, as "key": value with ",\n" between members, then "\n" and
 *     "}" at the object's own indentation; "{}" when empty.  Members in
 *     the object's order (jansson keeps insertion order).
 *   - "[", elements likewise one a line, "]"; "[]" when empty.
 *   - strings: '"', '\\', and bytes below 0x20 escaped ("\b", "\f",
 *     "\n", "\r", "\t", else "\u00XX" with upper-case hex), every other
 *     byte as it is (the flags do not ask for ASCII-only output); a
 *     string that is not valid UTF-8 fails, as jansson's dump does.
 *   - integers in decimal; reals as "%.12g" (JSON_REAL_PRECISION(12))
 *     in the C locale, with ".0" added when that has neither '.' nor
 *     'e', and the exponent's '+' and leading zeros dropped.
 *
 * jansson's own dump, through a callback, costs several times more:
 * it calls back for every token.
 */

#define JSON_INDENT_STEP	2	/* JSON_INDENT(2) */
#define JSON_PRECISION		12	/* JSON_REAL_PRECISION(12) */

/* put_newline - a newline and depth levels of indentation */
static void
put_newline(struct strbuf *b, int depth)
{
	static const char spaces[] = "\n                                ";
	size_t	n = (size_t)depth * JSON_INDENT_STEP;

	if (n + 1 < sizeof(spaces)) {
		sb_append(b, spaces, n + 1);
		return;
	}
	sb_append(b, "\n", 1);
	while (n-- > 0)
		sb_append(b, " ", 1);
}

/* x in every byte of a word */
#define WORD_BYTES(x)		(UINT64_C(0x0101010101010101) * (x))

/* word_has_zero - whether a byte of w is 0 (exact as a yes or no) */
static inline bool
word_has_zero(uint64_t w)
{
	return ((w - WORD_BYTES(0x01)) & ~w & WORD_BYTES(0x80)) != 0;
}

/* put_escape - the JSON escape of a control character, '"' or '\\' */
static void
put_escape(struct strbuf *b, unsigned char c)
{
	char	esc[8];

	switch (c) {
	case '"':
		sb_append(b, "\\\"", 2);
		break;
	case '\\':
		sb_append(b, "\\\\", 2);
		break;
	case '\b':
		sb_append(b, "\\b", 2);
		break;
	case '\f':
		sb_append(b, "\\f", 2);
		break;
	case '\n':
		sb_append(b, "\\n", 2);
		break;
	case '\r':
		sb_append(b, "\\r", 2);
		break;
	case '\t':
		sb_append(b, "\\t", 2);
		break;
	default:
		snprintf(esc, sizeof(esc), "\\u%04X", (unsigned)c);
		sb_append(b, esc, 6);
		break;
	}
}

/*
 * skip_plain - from i, past whole words of eight bytes none of which is
 * a control character, '"', '\\' or above 0x7f (those a JSON string
 * holds as they are); the first byte of the word that stopped it, or
 * of the last few bytes
 */
static inline size_t
skip_plain(const unsigned char *p, size_t i, size_t len)
{
	uint64_t w;

	while (len - i >= 8) {
		memcpy(&w, p + i, sizeof(w));
		/* Exact as a yes or no: a byte below 0x20 marks unless a
		   byte is above 0x7f, which the second test finds. */
		if ((((w - WORD_BYTES(0x20)) & ~w) | w) & WORD_BYTES(0x80) ||
		    word_has_zero(w ^ WORD_BYTES('"')) ||
		    word_has_zero(w ^ WORD_BYTES('\\')))
			break;
		i += 8;
	}
	return i;
}

/*
 * put_text - s as a JSON string; false when s is not UTF-8 (or holds a
 * NUL byte).  One pass: runs of bytes that need nothing are copied
 * whole, a byte above 0x7f must open a well-formed sequence, which
 * with ascii is written as jansson's JSON_ENSURE_ASCII writes it:
 * \uXXXX, a surrogate pair above U+FFFF.
 */
static bool
put_text(struct strbuf *b, const char *s, size_t len, bool ascii)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t	 run = 0, i = 0, n;
	uint32_t cp;
	char	 esc[16];

	sb_append(b, "\"", 1);
	while (i < len) {
		i = skip_plain(p, i, len);
		if (i == len)
			break;
		if (p[i] >= 0x80) {
			n = ascii ? utf8_decode(p + i, len - i, &cp) :
			    utf8_sequence(s + i, len - i);
			if (n == 0)
				return false;
			if (ascii) {
				sb_append(b, s + run, i - run);
				if (cp < 0x10000)
					snprintf(esc, sizeof(esc), "\\u%04X",
					    (unsigned)cp);
				else {
					unsigned hi, lo;

					hi = 0xd800 | ((cp - 0x10000) >> 10);
					lo = 0xdc00 | (cp & 0x3ff);
					snprintf(esc, sizeof(esc),
					    "\\u%04X\\u%04X", hi, lo);
				}
				sb_append(b, esc, strlen(esc));
				run = i + n;
			}
			i += n;
			continue;
		}
		if (p[i] == 0x00)
			return false;
		if (p[i] >= 0x20 && p[i] != '"' && p[i] != '\\') {
			i++;
			continue;
		}
		sb_append(b, s + run, i - run);
		put_escape(b, p[i]);
		run = ++i;
	}
	sb_append(b, s + run, len - run);
	sb_append(b, "\"", 1);
	return true;
}

/* put_string - s as a JSON string, UTF-8 kept (put_text()) */
static bool
put_string(struct strbuf *b, const char *s, size_t len)
{
	return put_text(b, s, len, false);
}

/* put_integer - i in decimal (a report has thousands: no snprintf) */
static void
put_integer(struct strbuf *b, json_int_t i)
{
	char		 buf[24], *p = buf + sizeof(buf);
	unsigned long long u;

	/* The magnitude as unsigned, which the most negative value has. */
	u = i < 0 ? 0ULL - (unsigned long long)i : (unsigned long long)i;
	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u > 0);
	if (i < 0)
		*--p = '-';
	sb_append(b, p, (size_t)(buf + sizeof(buf) - p));
}

/* put_real - a real as jansson writes it with JSON_PRECISION digits */
static void
put_real(struct strbuf *b, double d)
{
	char	 buf[64], *e, *from;
	int	 n;

	n = snprintf(buf, sizeof(buf), "%.*g", JSON_PRECISION, d);
	if (n < 0 || (size_t)n >= sizeof(buf) - 3)
		n = snprintf(buf, sizeof(buf), "0.0");
	/* Without '.' or 'e' it would read back as an integer. */
	if (strchr(buf, '.') == NULL && strchr(buf, 'e') == NULL) {
		memcpy(buf + n, ".0", 3);
		n += 2;
	}
	/* "1e+300" -> "1e300", "1e-05" -> "1e-5" */
	if ((e = strchr(buf, 'e')) != NULL) {
		e++;
		if (*e == '-')
			e++;
		from = e;
		if (*from == '+')
			from++;
		while (*from == '0' && from[1] != '\0')
			from++;
		memmove(e, from, strlen(from) + 1);
		n = (int)strlen(buf);
	}
	sb_append(b, buf, (size_t)n);
}

/* put_json - v at depth levels of indentation; false when it cannot be */
static bool
put_json(struct strbuf *b, const json_t *v, int depth)
{
	const char	*key;
	json_t		*member;
	size_t		 i, n;
	bool		 first = true;

	switch (json_typeof(v)) {
	case JSON_OBJECT:
		if (json_object_size(v) == 0) {
			sb_append(b, "{}", 2);
			return true;
		}
		sb_append(b, "{", 1);
		/* Only read; jansson's iteration wants non-const. */
		json_object_foreach((json_t *)v, key, member) {
			if (!first)
				sb_append(b, ",", 1);
			first = false;
			put_newline(b, depth + 1);
			if (!put_string(b, key, strlen(key)))
				return false;
			sb_append(b, ": ", 2);
			if (!put_json(b, member, depth + 1))
				return false;
		}
		put_newline(b, depth);
		sb_append(b, "}", 1);
		return true;
	case JSON_ARRAY:
		n = json_array_size(v);
		if (n == 0) {
			sb_append(b, "[]", 2);
			return true;
		}
		sb_append(b, "[", 1);
		for (i = 0; i < n; i++) {
			if (i > 0)
				sb_append(b, ",", 1);
			put_newline(b, depth + 1);
			if (!put_json(b, json_array_get(v, i), depth + 1))
				return false;
		}
		put_newline(b, depth);
		sb_append(b, "]", 1);
		return true;
	case JSON_STRING:
		return put_string(b, json_string_value(v),
		    json_string_length(v));
	case JSON_INTEGER:
		put_integer(b, json_integer_value(v));
		return true;
	case JSON_REAL:
		put_real(b, json_real_value(v));
		return true;
	case JSON_TRUE:
		sb_append(b, "true", 4);
		return true;
	case JSON_FALSE:
		sb_append(b, "false", 5);
		return true;
	case JSON_NULL:
		sb_append(b, "null", 4);
		return true;
	}
	return false;
}

/*
 * The text emitters: an account from report_account_emit() written
 * without a tree.  Indented, as put_json() writes the tree
 * report_account() builds of it, the account being the value at depth
 * base; or compact (one jsonl line), as json_dumpf() writes it with
 * LINE_FLAGS, the envelope's members first.
 */
#define TEXT_DEPTH_MAX		16	/* an account nests four deep */

struct text_out {
	struct strbuf	*b;
	bool		 compact;
	int		 base;			/* indented: depth */
	const char	*envelope;		/* compact: '{' and members */
	size_t		 envelope_len;
	size_t		 depth;			/* containers open */
	size_t		 members[TEXT_DEPTH_MAX]; /* written in each */
	char		 close[TEXT_DEPTH_MAX];	/* '}' or ']' */
	bool		 failed;		/* a string was not UTF-8 */
};

/* text_prefix - what goes before a value: separator, indent, key */
static void
text_prefix(struct text_out *t, const char *key)
{
	if (t->depth == 0)
		return;
	if (t->members[t->depth - 1]++ > 0)
		sb_append(t->b, ",", 1);
	if (!t->compact)
		put_newline(t->b, t->base + (int)t->depth);
	if (key != NULL) {
		/* A name needing no escape (report.h). */
		sb_append(t->b, "\"", 1);
		sb_append(t->b, key, strlen(key));
		if (t->compact)
			sb_append(t->b, "\":", 2);
		else
			sb_append(t->b, "\": ", 3);
	}
}

static void
text_open(struct text_out *t, const char *key, char open, char close)
{
	bool	envelope = t->depth == 0 && t->envelope != NULL;

	text_prefix(t, key);
	if (envelope)
		sb_append(t->b, t->envelope, t->envelope_len);
	else
		sb_append(t->b, &open, 1);
	assert(t->depth < TEXT_DEPTH_MAX);
	t->members[t->depth] = envelope && t->envelope_len > 1 ? 1 : 0;
	t->close[t->depth++] = close;
}

static void
text_begin_object(void *ctx, const char *key)
{
	text_open(ctx, key, '{', '}');
}

static void
text_begin_array(void *ctx, const char *key)
{
	text_open(ctx, key, '[', ']');
}

/* text_end - "}" or "]", indented on a line of its own unless empty */
static void
text_end(void *ctx)
{
	struct text_out *t = ctx;

	assert(t->depth > 0);
	t->depth--;
	if (t->members[t->depth] > 0 && !t->compact)
		put_newline(t->b, t->base + (int)t->depth);
	sb_append(t->b, &t->close[t->depth], 1);
}

static void
text_integer(void *ctx, const char *key, json_int_t v)
{
	struct text_out *t = ctx;

	text_prefix(t, key);
	put_integer(t->b, v);
}

static void
text_real(void *ctx, const char *key, double v)
{
	struct text_out *t = ctx;

	text_prefix(t, key);
	put_real(t->b, v);
}

static void
text_string(void *ctx, const char *key, const char *s, size_t len)
{
	struct text_out *t = ctx;

	text_prefix(t, key);
	if (!put_text(t->b, s, len, t->compact))
		t->failed = true;
}

static void
text_null(void *ctx, const char *key)
{
	struct text_out *t = ctx;

	text_prefix(t, key);
	sb_append(t->b, "null", 4);
}

static void
text_boolean(void *ctx, const char *key, bool v)
{
	struct text_out *t = ctx;

	text_prefix(t, key);
	if (v)
		sb_append(t->b, "true", 4);
	else
		sb_append(t->b, "false", 5);
}

static const struct report_emitter text_emitter = {
	text_begin_object, text_begin_array, text_end, text_integer,
	text_real, text_string, text_null, text_boolean
};

/*
 * account_text - listed account i of r written at depth levels of
 * indentation through b (emptied first), as json_value() writes
 * report_account()'s object
 */
static bool
account_text(FILE *out, struct strbuf *b, const struct report *r, size_t i,
    int depth)
{
	struct text_out t;

	b->len = 0;
	memset(&t, 0, sizeof(t));
	t.b = b;
	t.base = depth;
	if (!report_account_emit(r, i, &text_emitter, &t) || t.failed)
		return false;
	return fwrite(sb_text(b), 1, b->len, out) == b->len;
}

/*
 * json_value - v written at depth levels of indentation through b (a
 * buffer kept from call to call, emptied first)
 */
static bool
json_value(FILE *out, struct strbuf *b, const json_t *v, int depth)
{
	b->len = 0;
	if (!put_json(b, v, depth))
		return false;
	return fwrite(sb_text(b), 1, b->len, out) == b->len;
}

/* json_member - the separator before a member, its key and ": " */
static bool
json_member(FILE *out, struct strbuf *b, const char *key, bool first)
{
	b->len = 0;
	sb_append(b, first ? "\n  " : ",\n  ", first ? 3 : 4);
	if (!put_string(b, key, strlen(key)))
		return false;
	sb_append(b, ": ", 2);
	return fwrite(sb_text(b), 1, b->len, out) == b->len;
}

/*
 * render_json - the indented report, byte for byte what report_write()
 * writes of the whole document: the head's members, then for a struct
 * report the accounts, each written as report_account_emit() hands it
 * over (no tree is built)
 */
static bool
render_json(const struct source *src, FILE *out)
{
	const char	*key;
	json_t		*v;
	size_t		 n, i;
	struct strbuf	 buf = { NULL, 0, 0 };
	bool		 first = true, ok = false;

	/* jansson's own dump for anything but an object it cannot be. */
	if (src->report == NULL && !json_is_object(src->head))
		return report_write(src->head, out);
	if (fputc('{', out) == EOF)
		return false;
	/* The head is only read; jansson's iteration wants non-const. */
	json_object_foreach((json_t *)src->head, key, v) {
		if (!json_member(out, &buf, key, first) ||
		    !json_value(out, &buf, v, 1))
			goto done;
		first = false;
	}
	if (src->report != NULL) {
		n = report_count(src->report);
		if (!json_member(out, &buf, "accounts", first))
			goto done;
		first = false;
		if (fputc('[', out) == EOF)
			goto done;
		for (i = 0; i < n; i++)
			if (fputs(i > 0 ? ",\n    " : "\n    ", out) == EOF ||
			    !account_text(out, &buf, src->report, i, 2))
				goto done;
		if (fputs(n > 0 ? "\n  ]" : "]", out) == EOF)
			goto done;
	}
	if (fputs(first ? "}\n" : "\n}\n", out) == EOF)
		goto done;
	ok = finish(out);
done:
	sb_free(&buf);
	return ok;
}

/* ---- jsonl ------------------------------------------------------ */

/* copy_or_null - a deep copy of v, or JSON null when v is NULL */
static json_t *
copy_or_null(const json_t *v)
{
	json_t	*c = v != NULL ? json_deep_copy(v) : json_null();

	if (c == NULL)
		oom();
	return c;
}

/* How a jsonl line is written (see render_jsonl()). */
#define LINE_FLAGS	(JSON_COMPACT | JSON_ENSURE_ASCII | \
			 JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(12))

/*
 * line_start - a line's object holding the envelope's members
 * (schema_version, generated_at, window); caller decrefs
 */
static json_t *
line_start(const json_t *doc)
{
	json_t	*line = json_object();

	if (line == NULL)
		oom();
	if (json_object_set_new(line, "schema_version",
	    copy_or_null(at(doc, "schema_version"))) != 0 ||
	    json_object_set_new(line, "generated_at",
	    copy_or_null(at(doc, "generated_at"))) != 0 ||
	    json_object_set_new(line, "window",
	    copy_or_null(at(doc, "window"))) != 0)
		oom();
	return line;
}

/*
 * render_jsonl_stream - render_jsonl() of a struct report: each account
 * written as report_account_emit() hands it over, after the envelope's
 * members as jansson writes them (once)
 */
static bool
render_jsonl_stream(const struct source *src, FILE *out)
{
	json_t		*line = line_start(src->head);
	char		*envelope = json_dumps(line, LINE_FLAGS);
	struct strbuf	 buf = { NULL, 0, 0 };
	struct text_out	 t;
	size_t		 n = report_count(src->report), i, envelope_len;
	bool		 ok = false;

	json_decref(line);
	if (envelope == NULL)
		oom();
	envelope_len = strlen(envelope) - 1;	/* less its '}' */
	for (i = 0; i < n && !ferror(out); i++) {
		buf.len = 0;
		memset(&t, 0, sizeof(t));
		t.b = &buf;
		t.compact = true;
		t.envelope = envelope;
		t.envelope_len = envelope_len;
		if (!report_account_emit(src->report, i, &text_emitter, &t) ||
		    t.failed)
			goto done;
		sb_append(&buf, "\n", 1);
		if (fwrite(buf.data, 1, buf.len, out) != buf.len)
			break;
	}
	ok = finish(out);
done:
	free(envelope);
	sb_free(&buf);
	return ok;
}

/*
 * render_jsonl - one line per account: the envelope members first,
 * then the account's own members in their report order
 */
static bool
render_jsonl(const struct source *src, FILE *out)
{
	const json_t	*doc = src->head, *acct;
	json_t		*line, *copy, *owned;
	size_t		 n = source_count(src), i;

	if (src->report != NULL)
		return render_jsonl_stream(src, out);
	/* Past a write error nothing more can succeed: stop building. */
	for (i = 0; i < n && !ferror(out); i++) {
		acct = source_account(src, i, &owned);
		if (!json_is_object(acct)) {
			json_decref(owned);
			continue;
		}
		line = line_start(doc);
		copy = copy_or_null(acct);
		if (json_object_update(line, copy) != 0)
			oom();
		json_decref(copy);
		json_decref(owned);
		/*
		 * Compact output escapes every control character inside
		 * strings, so the object cannot span lines; ASCII-only
		 * output also escapes U+0085, U+2028 and U+2029, which
		 * some line readers (Python's splitlines()) take for line
		 * ends.
		 */
		if (json_dumpf(line, out, LINE_FLAGS) != 0) {
			json_decref(line);
			return false;
		}
		json_decref(line);
		putc('\n', out);
	}
	return finish(out);
}

/* ---- csv -------------------------------------------------------- */

/* The columns, in order; doc/report.md describes each. */
static const char *const csv_columns[] = {
	"rank", "account", "kind", "score", "verdict", "messages",
	"recipients", "distinct_domains", "bounced", "remote_spam_rejections",
	"remote_blocklist_rejections", "distinct_senders",
	"distinct_client_ips", "auth_failures", "first_seen", "last_seen",
	"top_reasons", "incident_id"
};

#define CSV_COLUMN_COUNT	(sizeof(csv_columns) / sizeof(csv_columns[0]))

/*
 * csv_cell - one cell.  Log text is made inert first (controls,
 * invalid bytes and layout marks as visible escapes, as in the table),
 * so that a CSV file shown on a terminal cannot drive it and a cell
 * never spans lines.  A cell that a spreadsheet would take for a
 * formula (first character = + - @) then gets a leading single quote,
 * which spreadsheets show as text (OWASP "CSV Injection"); tab and CR,
 * which some strip before looking, are already escapes by then.
 * Cells holding a comma or a quote, or neutralised, are quoted with
 * quotes doubled (RFC 4180 section 2).
 */
static void
csv_cell(FILE *out, const char *text, size_t text_len, bool first)
{
	struct strbuf	 b = { NULL, 0, 0 };
	const char	*s;
	size_t		 i, len;
	bool		 neutralise, quote;

	if (!first)
		putc(',', out);
	inert_append(&b, text, text_len);
	s = b.data;
	len = b.len;
	neutralise = len > 0 && strchr("=+-@", s[0]) != NULL;
	quote = neutralise || memchr(s, ',', len) != NULL ||
	    memchr(s, '"', len) != NULL;
	if (quote)
		putc('"', out);
	if (neutralise)
		putc('\'', out);
	for (i = 0; i < len; i++) {
		if (s[i] == '"')
			putc('"', out);
		putc(s[i], out);
	}
	if (quote)
		putc('"', out);
	sb_free(&b);
}

/* csv_str - a cell from a NUL-terminated string */
static void
csv_str(FILE *out, const char *s, bool first)
{
	csv_cell(out, s, strlen(s), first);
}

/* csv_json - a cell from a JSON string ("" for anything else) */
static void
csv_json(FILE *out, const json_t *v)
{
	csv_cell(out, str(v), str_len(v), false);
}

/* csv_count - a cell from a JSON count */
static void
csv_count(FILE *out, const json_t *v)
{
	char	buf[32];

	csv_str(out, count_text(v, buf), false);
}

/*
 * render_csv - a header row, then one row per account; lines end in
 * CRLF as RFC 4180 says
 */
static bool
render_csv(const struct source *src, FILE *out)
{
	const json_t	*a, *f, *reasons;
	struct strbuf	 top = { NULL, 0, 0 };
	json_t		*owned;
	char		 buf[32];
	size_t		 n = source_count(src), i, j;
	bool		 with_subscribers;

	for (i = 0; i < CSV_COLUMN_COUNT; i++)
		csv_str(out, csv_columns[i], i == 0);
	/* Only a report made with --subscribers has this column. */
	with_subscribers = at(src->head, "subscribers") != NULL;
	if (with_subscribers)
		csv_str(out, "subscriber_id", false);
	fputs("\r\n", out);
	/* Past a write error nothing more can succeed: stop building. */
	for (i = 0; i < n && !ferror(out); i++) {
		a = source_account(src, i, &owned);
		if (!json_is_object(a)) {
			json_decref(owned);
			continue;
		}
		f = at(a, "features");
		csv_str(out, count_text(at(a, "rank"), buf), true);
		csv_json(out, at(a, "account"));
		csv_json(out, at(a, "kind"));
		csv_str(out, score_text(at(a, "score"), buf), false);
		csv_json(out, at(a, "verdict"));
		csv_count(out, at(f, "messages"));
		csv_count(out, at(f, "recipients"));
		csv_count(out, at(f, "distinct_domains"));
		csv_count(out, at(f, "bounced"));
		csv_count(out, at(f, "remote_rejections", "spam"));
		csv_count(out, at(f, "remote_rejections", "blocklist"));
		csv_count(out, at(f, "distinct_senders"));
		csv_count(out, at(f, "distinct_client_ips"));
		csv_count(out, at(f, "auth_failures"));
		csv_json(out, at(a, "evidence", "first_seen"));
		csv_json(out, at(a, "evidence", "last_seen"));
		reasons = at(a, "reasons");
		top.len = 0;
		sb_append(&top, "", 0);
		/* Why a high score has the verdict normal. */
		if (json_is_string(at(a, "allowlisted")))
			sb_append(&top, str(at(a, "allowlisted")),
			    str_len(at(a, "allowlisted")));
		for (j = 0; j < json_array_size(reasons) &&
		    j < CSV_TOP_REASONS; j++) {
			const json_t *text = at(json_array_get(reasons, j),
			    "text");

			/* Reason texts hold "; " themselves. */
			if (top.len > 0)
				sb_puts(&top, " | ");
			sb_append(&top, str(text), str_len(text));
		}
		csv_cell(out, top.data, top.len, false);
		csv_json(out, at(a, "incident_id"));
		if (with_subscribers) {
			const json_t *other;

			top.len = 0;
			sb_append(&top, str(at(a, "subscriber_id")),
			    str_len(at(a, "subscriber_id")));
			for (j = 0; (other = other_subscriber(a, j)) != NULL;
			    j++) {
				sb_puts(&top, "; ");
				sb_append(&top, str(other), str_len(other));
			}
			csv_cell(out, top.data, top.len, false);
		}
		fputs("\r\n", out);
		json_decref(owned);
	}
	sb_free(&top);
	return finish(out);
}

/* ---- table ------------------------------------------------------ */

/* One table column: its heading, alignment and widest width. */
struct column {
	const char	*heading;
	bool		 right;		/* numbers align right */
	size_t		 max;		/* 0: no cap */
};

static const struct column table_columns[TABLE_COLUMNS] = {
	{ "RANK", true, 0 },
	{ "SCORE", true, 0 },
	{ "VERDICT", false, 0 },
	{ "KIND", false, 0 },
	{ "ACCOUNT", false, TABLE_ACCOUNT_MAX },
	{ "SUBSCRIBER", false, TABLE_ACCOUNT_MAX },	/* --subscribers */
	{ "MESSAGES", true, 0 },
	{ "REASON", false, TABLE_REASON_MAX }
};

/* verdict_sgr - the colour of a verdict's cell, or NULL for none */
static const char *
verdict_sgr(const char *verdict)
{
	if (strcmp(verdict, "likely_zombie") == 0)
		return SGR_RED;
	if (strcmp(verdict, "suspicious") == 0)
		return SGR_YELLOW;
	return NULL;
}

/* pad - n spaces */
static void
pad(FILE *out, size_t n)
{
	while (n-- > 0)
		putc(' ', out);
}

/*
 * table_row - one line of cells, padded to the widths; nothing after
 * the last cell that is not empty, so lines carry no trailing blanks.
 * A column of width 0 (SUBSCRIBER without --subscribers) is left out.
 */
static void
table_row(FILE *out, struct strbuf *cells, const size_t *width,
    const char *const *sgr)
{
	size_t	c, w, last = 0;
	bool	any = false;

	for (c = 0; c < TABLE_COLUMNS; c++)
		if (cells[c].len > 0)
			last = c;
	for (c = 0; c <= last; c++) {
		if (width[c] == 0)
			continue;
		w = code_points(cells[c].data, cells[c].len);
		if (any)
			fputs("  ", out);
		any = true;
		if (table_columns[c].right)
			pad(out, width[c] - w);
		if (sgr != NULL && sgr[c] != NULL)
			fputs(sgr[c], out);
		fwrite(cells[c].data, 1, cells[c].len, out);
		if (sgr != NULL && sgr[c] != NULL)
			fputs(SGR_RESET, out);
		if (!table_columns[c].right && c < last)
			pad(out, width[c] - w);
	}
	putc('\n', out);
}

/*
 * render_table - the accounts as aligned columns.  Every cell is made
 * inert first and widths are counted in code points (a wide CJK
 * character or a combining mark still counts one), so a hostile name
 * can neither drive the terminal nor break the alignment by much.
 */
static bool
render_table(const struct source *src, FILE *out, bool color)
{
	const json_t	*doc = src->head, *a;
	json_t		*owned;
	struct strbuf	*cells;
	const char	*sgr[TABLE_COLUMNS];
	char		 buf[32];
	size_t		 width[TABLE_COLUMNS], rows = 0, n, i, r, c, w;

	/* Each account is built, read into its row's cells and freed:
	   the rows are what is kept until the widths are known. */
	n = source_count(src);
	cells = xcalloc(n + 1, TABLE_COLUMNS * sizeof(*cells));
	for (c = 0; c < TABLE_COLUMNS; c++)
		if (c != 5 || at(doc, "subscribers") != NULL)
			sb_puts(&cells[c], table_columns[c].heading);
	for (i = 0; i < n; i++) {
		struct strbuf *row;

		a = source_account(src, i, &owned);
		if (!json_is_object(a)) {
			json_decref(owned);
			continue;
		}
		row = &cells[++rows * TABLE_COLUMNS];
		sb_puts(&row[0], count_text(at(a, "rank"), buf));
		sb_puts(&row[1], score_text(at(a, "score"), buf));
		inert_json(&row[2], at(a, "verdict"));
		inert_json(&row[3], at(a, "kind"));
		inert_json(&row[4], at(a, "account"));
		inert_json(&row[5], at(a, "subscriber_id"));
		/* Others whose leases overlap: how many. */
		for (w = 0; other_subscriber(a, w) != NULL; w++)
			continue;
		if (w > 0) {
			snprintf(buf, sizeof(buf), " +%zu", w);
			sb_puts(&row[5], buf);
		}
		sb_puts(&row[6], count_text(at(a, "features", "messages"),
		    buf));
		/* Why a high score has the verdict normal, first. */
		if (json_is_string(at(a, "allowlisted"))) {
			inert_json(&row[7], at(a, "allowlisted"));
			if (json_array_size(at(a, "reasons")) > 0)
				sb_puts(&row[7], "; ");
		}
		inert_json(&row[7], at(json_array_get(at(a, "reasons"), 0),
		    "text"));
		json_decref(owned);
	}
	for (c = 0; c < TABLE_COLUMNS; c++) {
		width[c] = 0;
		for (r = 0; r <= rows; r++) {
			struct strbuf *cell = &cells[r * TABLE_COLUMNS + c];

			if (table_columns[c].max > 0)
				clip(cell, table_columns[c].max);
			w = code_points(cell->data, cell->len);
			if (w > width[c])
				width[c] = w;
		}
	}

	for (c = 0; c < TABLE_COLUMNS; c++)
		sgr[c] = color ? SGR_BOLD : NULL;
	table_row(out, cells, width, sgr);
	for (r = 1; r <= rows; r++) {
		for (c = 0; c < TABLE_COLUMNS; c++)
			sgr[c] = NULL;
		if (color) {
			sgr[2] = verdict_sgr(sb_text(&cells[r *
			    TABLE_COLUMNS + 2]));
			sgr[1] = sgr[2];
		}
		table_row(out, &cells[r * TABLE_COLUMNS], width, sgr);
	}
	for (r = 0; r < (rows + 1) * TABLE_COLUMNS; r++)
		sb_free(&cells[r]);
	listing_note(&cells[0], doc);
	if (cells[0].len > 0)
		fprintf(out, "%s\n", sb_text(&cells[0]));
	sb_free(&cells[0]);
	free(cells);
	return finish(out);
}

/* ---- html ------------------------------------------------------- */

/*
 * The page's style sheet.  No url(), no @import, no web fonts: the
 * page must show the same offline and must not call out when opened.
 */
static const char html_style[] =
":root{color-scheme:light dark;--fg:#1b1f24;--bg:#ffffff;--muted:#59636e;"
"--line:#d0d7de;--zombie:#b42318;--suspicious:#9a4f00;--normal:#1a7f37;"
"--bar:#1f6feb}\n"
"@media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--bg:#0d1117;"
"--muted:#9aa4af;--line:#30363d;--zombie:#ff7b72;--suspicious:#e3b341;"
"--normal:#3fb950;--bar:#58a6ff}}\n"
"body{font:14px/1.45 system-ui,-apple-system,\"Segoe UI\",Roboto,"
"sans-serif;color:var(--fg);background:var(--bg);max-width:78em;"
"margin:1.5em auto;padding:0 1em}\n"
"h1{font-size:1.6em;margin:0 0 .2em}\n"
"h2{font-size:1.25em;margin:1.6em 0 .4em}\n"
"h3{font-size:1.1em;margin:0 0 .3em}\n"
"h4{font-size:1em;margin:.8em 0 .2em}\n"
".meta{color:var(--muted);margin:.1em 0}\n"
"table{border-collapse:collapse;margin:.4em 0 1em}\n"
".cols{display:flex;flex-wrap:wrap;column-gap:3em;align-items:flex-start}\n"
"th,td{border-bottom:1px solid var(--line);padding:.3em .6em;"
"text-align:left;vertical-align:top}\n"
"th{font-weight:600}\n"
".num{text-align:right;font-variant-numeric:tabular-nums}\n"
".name,code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"
"monospace;overflow-wrap:anywhere}\n"
"table.ranking td.name{min-width:18em}\n"
".verdict{font-weight:600;white-space:nowrap}\n"
".likely_zombie{color:var(--zombie)}\n"
".suspicious{color:var(--suspicious)}\n"
".normal{color:var(--normal)}\n"
"ul{margin:0;padding-left:1.2em}\n"
"article{border-top:2px solid var(--line);margin-top:1.4em;"
"padding-top:.6em}\n"
"svg.hours{display:block;margin:.4em 0}\n"
"svg.hours rect{fill:var(--bar)}\n"
"svg.hours text{fill:var(--muted);font-size:10px}\n"
"svg.hours line{stroke:var(--line)}\n"
"a{color:inherit}\n";

/*
 * html_escape - bytes as element text or a quoted attribute value:
 * the five characters HTML gives meaning to become entities
 */
static void
html_escape(FILE *out, const char *s, size_t len)
{
	size_t	i, run = 0;

	for (i = 0; i < len; i++) {
		const char *ent;

		switch (s[i]) {
		case '&':
			ent = "&amp;";
			break;
		case '<':
			ent = "&lt;";
			break;
		case '>':
			ent = "&gt;";
			break;
		case '"':
			ent = "&quot;";
			break;
		case '\'':
			ent = "&#39;";
			break;
		default:
			continue;
		}
		fwrite(s + run, 1, i - run, out);
		fputs(ent, out);
		run = i + 1;
	}
	fwrite(s + run, 1, len - run, out);
}

/* html_text - log text, made inert and escaped */
static void
html_text(FILE *out, const char *s, size_t len)
{
	struct strbuf	b = { NULL, 0, 0 };

	inert_append(&b, s, len);
	html_escape(out, b.data, b.len);
	sb_free(&b);
}

/* html_json - a JSON string as text; nothing for anything else */
static void
html_json(FILE *out, const json_t *v)
{
	html_text(out, str(v), str_len(v));
}

/*
 * html_zone - " (NAME, UTC+hh:mm)" from the report's window.time_zone,
 * so that a reader elsewhere knows which hours the charts count;
 * nothing when the report could not tell
 */
static void
html_zone(FILE *out, const json_t *zone)
{
	if (!json_is_string(at(zone, "name")) ||
	    !json_is_string(at(zone, "utc_offset")))
		return;
	fputs(" (", out);
	html_json(out, at(zone, "name"));
	fputs(", UTC", out);
	html_json(out, at(zone, "utc_offset"));
	fputs(")", out);
}

/* html_count - a count as text */
static void
html_count(FILE *out, const json_t *v)
{
	char	buf[32];

	fputs(count_text(v, buf), out);
}

/* html_time_text - an ISO time as plain text, or "unknown" (null) */
static void
html_time_text(FILE *out, const json_t *v)
{
	if (json_is_string(v))
		html_json(out, v);
	else
		fputs("unknown", out);
}

/* html_time - a <time> element for an ISO time, or "unknown" */
static void
html_time(FILE *out, const json_t *v)
{
	if (!json_is_string(v)) {
		fputs("unknown", out);
		return;
	}
	fputs("<time datetime=\"", out);
	html_json(out, v);
	fputs("\">", out);
	html_json(out, v);
	fputs("</time>", out);
}

/*
 * verdict_class - the CSS class of a verdict: one of a fixed set, so
 * document text never reaches an attribute unchecked
 */
static const char *
verdict_class(const json_t *v)
{
	const char	*s = str(v);

	if (strcmp(s, "likely_zombie") == 0 || strcmp(s, "suspicious") == 0 ||
	    strcmp(s, "normal") == 0)
		return s;
	return "unknown";
}

/* html_verdict - the verdict as a coloured label ("likely zombie") */
static void
html_verdict(FILE *out, const json_t *v)
{
	const char	*s = str(v);

	fprintf(out, "<span class=\"verdict %s\">", verdict_class(v));
	if (strcmp(s, "likely_zombie") == 0)
		fputs("likely zombie", out);
	else
		html_json(out, v);
	fputs("</span>", out);
}

/* html_kv_row - one row of a two-column figures table */
static void
html_kv_row(FILE *out, const char *label, const json_t *v)
{
	fprintf(out, "<tr><th scope=\"row\">%s</th><td class=\"num\">",
	    label);
	html_count(out, v);
	fputs("</td></tr>\n", out);
}

/* html_input - the input summary and the files not read whole */
static void
html_input(FILE *out, const json_t *doc)
{
	const json_t	*in = at(doc, "input");
	const json_t	*lines = at(in, "lines");
	const json_t	*corr = at(doc, "correlation");
	const json_t	*sum = at(doc, "summary");
	const json_t	*damaged = at(in, "damaged_files"), *d;
	size_t		 i;

	fputs("<section id=\"input\">\n<h2>Input</h2>\n<div class=\"cols\">\n"
	    "<table class=\"figures\">\n<tbody>\n", out);
	html_kv_row(out, "Files", at(in, "files"));
	html_kv_row(out, "Bytes read", at(in, "bytes_read"));
	html_kv_row(out, "Bytes decoded", at(in, "bytes_decoded"));
	html_kv_row(out, "Lines read", at(lines, "read"));
	html_kv_row(out, "Lines parsed", at(lines, "parsed"));
	html_kv_row(out, "Lines ignored", at(lines, "ignored"));
	html_kv_row(out, "Lines of other programs",
	    at(lines, "other_program"));
	html_kv_row(out, "Lines malformed", at(lines, "malformed"));
	html_kv_row(out, "Lines with invalid UTF-8",
	    at(lines, "invalid_utf8"));
	fputs("</tbody>\n</table>\n<table class=\"figures\">\n<tbody>\n",
	    out);
	html_kv_row(out, "Messages complete",
	    at(corr, "messages_complete"));
	html_kv_row(out, "Messages incomplete",
	    at(corr, "messages_incomplete"));
	html_kv_row(out, "Accounts", at(sum, "accounts"));
	html_kv_row(out, "Likely zombies", at(sum, "likely_zombie"));
	html_kv_row(out, "Suspicious", at(sum, "suspicious"));
	html_kv_row(out, "Normal", at(sum, "normal"));
	html_kv_row(out, "Listed below", at(sum, "reported"));
	fputs("</tbody>\n</table>\n</div>\n", out);

	if (json_array_size(damaged) > 0) {
		fputs("<h3>Files not read whole</h3>\n"
		    "<p class=\"meta\">The report lacks what these files held "
		    "after the damage.</p>\n<table class=\"damaged\">\n"
		    "<thead><tr><th scope=\"col\">File</th>"
		    "<th scope=\"col\">Status</th><th scope=\"col\">Error</th>"
		    "</tr></thead>\n<tbody>\n", out);
		for (i = 0; i < json_array_size(damaged); i++) {
			d = json_array_get(damaged, i);
			fputs("<tr><td class=\"name\">", out);
			html_json(out, at(d, "file"));
			fputs("</td><td>", out);
			html_json(out, at(d, "status"));
			fputs("</td><td>", out);
			html_json(out, at(d, "error"));
			fputs("</td></tr>\n", out);
		}
		fputs("</tbody>\n</table>\n", out);
	}
	fputs("</section>\n", out);
}

/* html_reason_items - the reasons as <li> items, with points if asked */
static void
html_reason_items(FILE *out, const json_t *reasons, bool points)
{
	const json_t	*r;
	char		 buf[32];
	size_t		 i;

	for (i = 0; i < json_array_size(reasons); i++) {
		r = json_array_get(reasons, i);
		fputs("<li>", out);
		html_json(out, at(r, "text"));
		if (points && json_is_number(at(r, "points")))
			fprintf(out, " <span class=\"meta\">(+%s points)"
			    "</span>", score_text(at(r, "points"), buf));
		fputs("</li>", out);
	}
}

/* html_ranking - the ranked table */
static void
html_ranking(FILE *out, const struct source *src)
{
	struct strbuf	 note = { NULL, 0, 0 };
	const json_t	*a, *reasons;
	json_t		*owned;
	char		 buf[32];
	size_t		 i, n = source_count(src);

	fputs("<section id=\"ranking\">\n<h2>Ranked accounts</h2>\n", out);
	listing_note(&note, src->head);
	if (note.len > 0) {
		fputs("<p class=\"meta\">", out);
		html_text(out, note.data, note.len);
		fputs(".</p>\n", out);
	}
	sb_free(&note);
	if (n == 0) {
		fputs("<p>No account is listed.</p>\n</section>\n", out);
		return;
	}
	fputs("<table class=\"ranking\">\n<thead><tr>"
	    "<th scope=\"col\" class=\"num\">Rank</th>"
	    "<th scope=\"col\" class=\"num\">Score</th>"
	    "<th scope=\"col\">Verdict</th><th scope=\"col\">Kind</th>"
	    "<th scope=\"col\">Account</th>"
	    "<th scope=\"col\" class=\"num\">Messages</th>"
	    "<th scope=\"col\">Reasons</th></tr></thead>\n<tbody>\n", out);
	for (i = 0; i < n && !ferror(out); i++) {
		a = source_account(src, i, &owned);
		if (!json_is_object(a)) {
			json_decref(owned);
			continue;
		}
		fputs("<tr><td class=\"num\">", out);
		html_count(out, at(a, "rank"));
		fprintf(out, "</td><td class=\"num\">%s</td><td>",
		    score_text(at(a, "score"), buf));
		html_verdict(out, at(a, "verdict"));
		fputs("</td><td>", out);
		html_json(out, at(a, "kind"));
		/* Anchors by list position: never log text in an id. */
		fprintf(out, "</td><td class=\"name\">"
		    "<a href=\"#account-%zu\">", i + 1);
		html_json(out, at(a, "account"));
		fputs("</a></td><td class=\"num\">", out);
		html_count(out, at(a, "features", "messages"));
		fputs("</td><td>", out);
		reasons = at(a, "reasons");
		if (json_array_size(reasons) > 0) {
			fputs("<ul>", out);
			html_reason_items(out, reasons, false);
			fputs("</ul>", out);
		}
		fputs("</td></tr>\n", out);
		json_decref(owned);
	}
	fputs("</tbody>\n</table>\n</section>\n", out);
}

/*
 * html_chart - an SVG bar chart of messages by hour of day: 24 bars
 * scaled to the busiest hour, each with its hour below and a <title>
 * (a tooltip, and what a screen reader announces), the whole chart
 * labelled by a <title> summing it up
 */
static void
html_chart(FILE *out, const json_t *acct, size_t index)
{
	const json_t	*hours = at(acct, "features", "messages_by_hour");
	double		 value[24], peak = 0.0, total = 0.0;
	char		 buf[32];
	int		 h, peak_hour = 0, x, height;

	for (h = 0; h < 24; h++) {
		value[h] = number(json_array_get(hours, (size_t)h));
		total += value[h];
		if (value[h] > peak) {
			peak = value[h];
			peak_hour = h;
		}
	}
	fprintf(out, "<svg class=\"hours\" width=\"%d\" height=\"%d\" "
	    "viewBox=\"0 0 %d %d\" role=\"img\" "
	    "aria-labelledby=\"chart-%zu-title\">\n"
	    "<title id=\"chart-%zu-title\">"
	    "Messages by hour of day for ", CHART_WIDTH, CHART_HEIGHT,
	    CHART_WIDTH, CHART_HEIGHT, index, index);
	html_json(out, at(acct, "account"));
	fprintf(out, ": %.0f in all", total);
	if (peak > 0)
		fprintf(out, ", most (%.0f) at %02d:00", peak, peak_hour);
	fputs("</title>\n", out);
	/* The axis and the scale: the busiest hour's count at the top. */
	fprintf(out, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>\n",
	    CHART_LEFT - 2, CHART_TOP + CHART_PLOT, CHART_WIDTH - 4,
	    CHART_TOP + CHART_PLOT);
	fprintf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%.0f"
	    "</text>\n", CHART_LEFT - 5, CHART_TOP + 8, peak);
	fprintf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">0</text>\n",
	    CHART_LEFT - 5, CHART_TOP + CHART_PLOT);
	for (h = 0; h < 24; h++) {
		x = CHART_LEFT + h * CHART_SLOT + (CHART_SLOT - CHART_BAR) / 2;
		height = peak > 0 ? (int)lround(CHART_PLOT * value[h] / peak) :
		    0;
		/* A busy hour never vanishes into rounding. */
		if (height == 0 && value[h] > 0)
			height = 1;
		if (count_text(json_array_get(hours, (size_t)h), buf)[0] ==
		    '\0')
			strcpy(buf, "0");
		fprintf(out, "<rect x=\"%d\" y=\"%d\" width=\"%d\" "
		    "height=\"%d\"><title>%02d:00-%02d:59: %s messages"
		    "</title></rect>\n", x, CHART_TOP + CHART_PLOT - height,
		    CHART_BAR, height, h, h, buf);
	}
	for (h = 0; h < 24; h++)
		fprintf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">"
		    "%d</text>\n",
		    CHART_LEFT + h * CHART_SLOT + CHART_SLOT / 2,
		    CHART_TOP + CHART_PLOT + 12, h);
	fputs("</svg>\n", out);
}

/*
 * html_top_list - an evidence list ("ip" and "messages" of each
 * entry) as a comma-separated line
 */
static void
html_top_list(FILE *out, const char *label, const json_t *list,
    const char *name_key, const char *count_key)
{
	const json_t	*e;
	size_t		 i;
	bool		 estimated, any = false;

	fprintf(out, "<tr><th scope=\"row\">%s</th><td>", label);
	for (i = 0; i < json_array_size(list); i++) {
		e = json_array_get(list, i);
		estimated = json_is_true(at(e, "estimated"));
		any = any || estimated;
		if (i > 0)
			fputs(", ", out);
		fputs("<span class=\"name\">", out);
		html_json(out, at(e, name_key));
		fputs(estimated ? "</span> (about " : "</span> (", out);
		html_count(out, at(e, count_key));
		fputs(")", out);
	}
	if (any)
		fputs(" &mdash; &ldquo;about&rdquo;: estimated from a sample "
		    "of the messages", out);
	fputs("</td></tr>\n", out);
}

/*
 * html_rows - a titled table of objects, one row each, the members
 * keys[] under the headings heads[]; nothing when there are none
 */
static void
html_rows(FILE *out, const char *title, const json_t *rows,
    const char *const *keys, const char *const *heads, size_t n)
{
	const json_t	*s;
	size_t		 i, k;

	if (json_array_size(rows) == 0)
		return;
	fprintf(out, "<h4>%s</h4>\n<table class=\"samples\">\n<thead><tr>",
	    title);
	for (k = 0; k < n; k++)
		fprintf(out, "<th scope=\"col\">%s</th>", heads[k]);
	fputs("</tr></thead>\n<tbody>\n", out);
	for (i = 0; i < json_array_size(rows); i++) {
		s = json_array_get(rows, i);
		fputs("<tr>", out);
		for (k = 0; k < n; k++) {
			fputs(k == 0 ? "<td>" : "<td class=\"name\">", out);
			html_json(out, at(s, keys[k]));
			fputs("</td>", out);
		}
		fputs("</tr>\n", out);
	}
	fputs("</tbody>\n</table>\n", out);
}

/* html_samples - the sample messages to look up in the logs */
static void
html_samples(FILE *out, const json_t *samples)
{
	static const char *const keys[] = {
		"time", "relay", "client_ip", "queue_id", "message_id",
		"sender", "recipient"
	};
	static const char *const heads[] = {
		"Time", "Relay", "Client", "Queue ID", "Message-ID", "Sender",
		"Recipient"
	};

	html_rows(out, "Sample messages", samples, keys, heads,
	    sizeof(keys) / sizeof(keys[0]));
}

/* html_refusals - the refused attempts and failed logins */
static void
html_refusals(FILE *out, const json_t *refusals)
{
	static const char *const keys[] = {
		"time", "relay", "client_ip", "command", "sender", "recipient",
		"username", "text"
	};
	static const char *const heads[] = {
		"Time", "Relay", "Client", "Command", "Sender", "Recipient",
		"Username", "Reply"
	};

	html_rows(out, "Refused attempts and failed logins", refusals, keys,
	    heads, sizeof(keys) / sizeof(keys[0]));
}

/* html_remote - what remote servers said when they refused its mail */
static void
html_remote(FILE *out, const json_t *rejections)
{
	static const char *const keys[] = {
		"time", "relay", "queue_id", "sender", "recipient", "class",
		"outcome", "reply"
	};
	static const char *const heads[] = {
		"Time", "Relay", "Queue ID", "Sender", "Recipient", "Class",
		"Outcome", "Reply"
	};

	html_rows(out, "Refused by remote servers", rejections, keys, heads,
	    sizeof(keys) / sizeof(keys[0]));
}

/* html_account - one account's section: chart, reasons, evidence */
static void
html_account(FILE *out, const json_t *a, size_t index)
{
	const json_t	*ev = at(a, "evidence");
	const json_t	*reasons = at(a, "reasons");
	char		 buf[32];

	fprintf(out, "<article id=\"account-%zu\">\n<h3>", index);
	html_count(out, at(a, "rank"));
	fputs(". <span class=\"name\">", out);
	html_json(out, at(a, "account"));
	fputs("</span></h3>\n<p class=\"meta\">", out);
	html_json(out, at(a, "kind"));
	fprintf(out, " account, score %s, ",
	    score_text(at(a, "score"), buf));
	html_verdict(out, at(a, "verdict"));
	fputs(", incident <code>", out);
	html_json(out, at(a, "incident_id"));
	fputs("</code>", out);
	if (at(a, "subscriber_id") != NULL) {
		const json_t	*other;
		size_t		 i;

		fputs(", subscriber <code>", out);
		if (json_is_string(at(a, "subscriber_id")))
			html_json(out, at(a, "subscriber_id"));
		else
			fputs("unknown", out);
		fputs("</code>", out);
		for (i = 0; (other = other_subscriber(a, i)) != NULL; i++) {
			fputs(i == 0 ? " (also <code>" : ", <code>", out);
			html_json(out, other);
			fputs("</code>", out);
		}
		if (i > 0)
			fputs(": leases that overlap the activity)", out);
	}
	/* Why a high score has the verdict normal. */
	if (json_is_string(at(a, "allowlisted"))) {
		fputs(", ", out);
		html_json(out, at(a, "allowlisted"));
	}
	fputs("</p>\n", out);
	html_chart(out, a, index);
	fputs("<h4>Reasons</h4>\n", out);
	if (json_array_size(reasons) > 0) {
		fputs("<ul>", out);
		html_reason_items(out, reasons, true);
		fputs("</ul>\n", out);
	} else
		fputs("<p>No rule fired.</p>\n", out);
	fputs("<h4>Evidence</h4>\n<table class=\"evidence\">\n<tbody>\n"
	    "<tr><th scope=\"row\">Seen</th><td>", out);
	html_time(out, at(ev, "first_seen"));
	fputs(" to ", out);
	html_time(out, at(ev, "last_seen"));
	fputs("</td></tr>\n", out);
	html_top_list(out, "Client addresses", at(ev, "client_ips"),
	    "ip", "messages");
	html_top_list(out, "Senders", at(ev, "senders"), "sender",
	    "messages");
	html_top_list(out, "Recipient domains",
	    at(ev, "top_recipient_domains"), "domain", "recipients");
	fputs("</tbody>\n</table>\n", out);
	html_samples(out, at(ev, "samples"));
	html_refusals(out, at(ev, "refusals"));
	html_remote(out, at(ev, "remote_rejections"));
	fputs("</article>\n", out);
}

/*
 * render_html - one page: inline style, no scripts, no external
 * resources, every text from the document escaped
 */
static bool
render_html(const struct source *src, FILE *out)
{
	const json_t	*doc = src->head, *acct;
	const json_t	*window = at(doc, "window");
	json_t		*owned;
	size_t		 n = source_count(src), i;

	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n"
	    "<meta name=\"viewport\" content=\"width=device-width, "
	    "initial-scale=1\">\n<meta name=\"generator\" content=\"", out);
	html_json(out, at(doc, "generator", "name"));
	fputs(" ", out);
	html_json(out, at(doc, "generator", "version"));
	fputs("\">\n<title>zombiescan report, ", out);
	html_time_text(out, at(window, "first_seen"));
	fputs(" to ", out);
	html_time_text(out, at(window, "last_seen"));
	fprintf(out, "</title>\n<style>\n%s</style>\n</head>\n<body>\n"
	    "<header>\n<h1>zombiescan report</h1>\n"
	    "<p class=\"meta\">Logs from ",
	    html_style);
	html_time(out, at(window, "first_seen"));
	fputs(" to ", out);
	html_time(out, at(window, "last_seen"));
	fputs("</p>\n<p class=\"meta\">Generated ", out);
	html_time(out, at(doc, "generated_at"));
	fputs(" by ", out);
	html_json(out, at(doc, "generator", "name"));
	fputs(" ", out);
	html_json(out, at(doc, "generator", "version"));
	fputs(", report schema ", out);
	html_json(out, at(doc, "schema_version"));
	fputs("</p>\n</header>\n<main>\n", out);

	html_input(out, doc);
	/* The accounts are listed twice, ranking then details: each is
	   built for each list and freed, none kept. */
	html_ranking(out, src);
	if (n > 0) {
		fputs("<section id=\"accounts\">\n<h2>Accounts</h2>\n"
		    "<p class=\"meta\">Bars show each account's messages by "
		    "hour of day, in the time zone the report was made in",
		    out);
		html_zone(out, at(doc, "window", "time_zone"));
		fputs(".</p>\n", out);
		for (i = 0; i < n && !ferror(out); i++) {
			acct = source_account(src, i, &owned);
			if (json_is_object(acct))
				html_account(out, acct, i + 1);
			json_decref(owned);
		}
		fputs("</section>\n", out);
	}
	fputs("</main>\n</body>\n</html>\n", out);
	return finish(out);
}

/* ---- the interface ---------------------------------------------- */

/* render_format_from_name - a format by its name */
bool
render_format_from_name(const char *name, enum render_format *fmt)
{
	int	i;

	for (i = 0; name != NULL && i < RENDER_FORMAT_COUNT; i++) {
		if (strcmp(name, format_names[i]) == 0) {
			*fmt = (enum render_format)i;
			return true;
		}
	}
	return false;
}

/* render_format_name - a format's name */
const char *
render_format_name(enum render_format fmt)
{
	if ((unsigned)fmt < RENDER_FORMAT_COUNT)
		return format_names[fmt];
	return "unknown";
}

/* render_source - a report, whole or in parts, in one format */
static bool
render_source(const struct source *src, enum render_format fmt, FILE *out,
    const struct render_options *opts)
{
	bool	color = opts != NULL && opts->color;

	switch (fmt) {
	case RENDER_JSON:
		return render_json(src, out);
	case RENDER_JSONL:
		return render_jsonl(src, out);
	case RENDER_CSV:
		return render_csv(src, out);
	case RENDER_TABLE:
		return render_table(src, out, color);
	case RENDER_HTML:
		return render_html(src, out);
	}
	return false;
}

/* render_report - the whole document in one format */
bool
render_report(const json_t *doc, enum render_format fmt, FILE *out,
    const struct render_options *opts)
{
	struct source	src = { doc, accounts_of(doc), NULL };

	return render_source(&src, fmt, out, opts);
}

/* render_report_stream - a report in one format, an account at a time */
bool
render_report_stream(const struct report *r, enum render_format fmt,
    FILE *out, const struct render_options *opts)
{
	struct source	src = { report_head(r), NULL, r };

	return render_source(&src, fmt, out, opts);
}
