/*
 * zssim - labelled relay-log simulator.
 *
 * Writes the logs an ISP's outbound mail relays would write for a
 * population of subscribers over one or more days, and a labels file
 * naming every subscriber account's behaviour class (home user, bulk
 * sender, device, ..., and the zombie kinds).  The project's test data,
 * benchmark inputs and detection evaluation are made with it.
 *
 * Two layers keep the traffic independent of the MTA that logs it:
 *
 *   model	Every SMTP session is planned and then built as a plain
 *		structure (struct session: client, HELO, authentication,
 *		messages, recipients, per-recipient outcome for every
 *		delivery round, bounces).  All of it comes from random
 *		streams keyed by (seed, account, day, session), never from
 *		a writer, so one seed gives the same traffic whatever the
 *		format, and one account's traffic does not depend on the
 *		others'.
 *   writers	Postfix, Exim and Sendmail writers turn a session into
 *		log lines with that MTA's syntax, queue IDs and process
 *		IDs.  Lines go to a time-ordered heap and are written once
 *		no later session can precede them, so files are in time
 *		order while a message's lines may be hours apart
 *		(deferred retries) or in two files (across midnight).
 *
 * Determinism: a private xoshiro256** generator seeded through
 * splitmix64; no rand(), no clock.  The same arguments give
 * byte-identical files (gzip headers carry no name and mtime 0).
 *
 * Times are written as the relays' local time with the zone UTC, the
 * way the project's tests read them (TZ=UTC).  doc/simulator.md
 * describes the options, classes and the labels format.
 */
#include "config.h"

#include <sys/stat.h>
#include <sys/types.h>

#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <zlib.h>

#include "util/outfile.h"
#include "util/strmap.h"
#include "util/fpcount.h"
#include "util/xalloc.h"

#define PROGNAME	"zssim"

#define USEC		1000000LL
#define MINUTE_US	(60 * USEC)
#define HOUR_US		(3600 * USEC)
#define DAY_US		(86400 * USEC)

#define ISP_DOMAIN	"isp.example"
#define MAX_ROUNDS	6	/* delivery attempts per message */
#define MAX_RELAYS	64

/* ------------------------------------------------------------------ */
/* Configuration							*/
/* ------------------------------------------------------------------ */

enum log_format {
	FORMAT_POSTFIX,
	FORMAT_EXIM,
	FORMAT_SENDMAIL
};

struct config {
	const char	*outdir;
	const char	*labels_path;	/* NULL: outdir/labels.csv */
	uint64_t	 seed;
	int		 days;
	bool		 days_set;
	int64_t		 start_day;	/* first day, days since the epoch */
	int		 relays;
	uint32_t	 subscribers;	/* before scaling */
	enum log_format	 format;
	bool		 gzip;
	double		 scale;
	double		 volume;	/* multiplies bulk and spam volume */
	double		 zombie_fraction;
	bool		 zombie_fraction_set;
	bool		 noise;
	bool		 content_filter; /* Postfix: amavisd-new re-injects */
	uint64_t	 target_bytes;	/* 0: --days decides */
};

/* ------------------------------------------------------------------ */
/* Random numbers							*/
/* ------------------------------------------------------------------ */

/*
 * xoshiro256** (Blackman and Vigna, "Scrambled linear pseudorandom
 * number generators", 2018), seeded through splitmix64 as its authors
 * recommend.  Every stream is keyed by what it generates, so adding a
 * subscriber or a session does not shift anybody else's randomness.
 */
struct rng {
	uint64_t	s[4];
};

/* Stream purposes, the second key of rng_init(). */
enum stream {
	STREAM_DOMAINS = 1,
	STREAM_POPULATION,
	STREAM_ACCOUNT,
	STREAM_PLAN,
	STREAM_SESSION,
	STREAM_NOISE_PLAN,
	STREAM_NOISE,
	STREAM_WRITER,
	STREAM_CONTACT,
	STREAM_MIDNIGHT
};

/* mix64 - the splitmix64 finaliser: a bijective 64-bit mix */
static uint64_t
mix64(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* hash4 - a 64-bit key from four numbers */
static uint64_t
hash4(uint64_t a, uint64_t b, uint64_t c, uint64_t d)
{
	uint64_t	h;

	h = mix64(a + 0x9e3779b97f4a7c15ULL);
	h = mix64(h ^ (b + 0x632be59bd9b4e019ULL));
	h = mix64(h ^ (c + 0x85157af5b9a2e0f3ULL));
	h = mix64(h ^ (d + 0xd6e8feb86659fd93ULL));
	return h;
}

/* rng_init - seed a stream from the run seed and three stream keys */
static void
rng_init(struct rng *r, uint64_t seed, uint64_t stream, uint64_t a,
    uint64_t b)
{
	uint64_t	st = hash4(seed, stream, a, b);
	int		i;

	for (i = 0; i < 4; i++) {
		st += 0x9e3779b97f4a7c15ULL;
		r->s[i] = mix64(st);
	}
}

/* rotl - rotate left */
static inline uint64_t
rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

/* rng_next - next 64 random bits */
static inline uint64_t
rng_next(struct rng *r)
{
	uint64_t	*s = r->s;
	uint64_t	 result = rotl(s[1] * 5, 7) * 9;
	uint64_t	 t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

/* rng_below - uniform in [0, n); n > 0 (multiply-shift, bias < 2^-32) */
static inline uint32_t
rng_below(struct rng *r, uint32_t n)
{
	return (uint32_t)(((rng_next(r) >> 32) * (uint64_t)n) >> 32);
}

/* rng_range - uniform integer in [lo, hi] */
static inline int64_t
rng_range(struct rng *r, int64_t lo, int64_t hi)
{
	if (hi <= lo)
		return lo;
	return lo + (int64_t)(rng_next(r) % (uint64_t)(hi - lo + 1));
}

/* rng_unit - uniform in [0, 1) */
static inline double
rng_unit(struct rng *r)
{
	return (double)(rng_next(r) >> 11) * 0x1.0p-53;
}

/* rng_chance - true with probability p */
static inline bool
rng_chance(struct rng *r, double p)
{
	return rng_unit(r) < p;
}

/* rng_uniform - uniform real in [lo, hi) */
static inline double
rng_uniform(struct rng *r, double lo, double hi)
{
	return lo + (hi - lo) * rng_unit(r);
}

/* rng_normal - standard normal (Box-Muller, one value per call) */
static double
rng_normal(struct rng *r)
{
	double	u1 = 1.0 - rng_unit(r);
	double	u2 = rng_unit(r);

	return sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2);
}

/* rng_lognormal - log-normal with the given median and log-sigma */
static double
rng_lognormal(struct rng *r, double median, double sigma)
{
	return median * exp(sigma * rng_normal(r));
}

/* rng_poisson - Poisson count with the given mean */
static uint32_t
rng_poisson(struct rng *r, double mean)
{
	double	limit, p, x;
	uint32_t k;

	if (mean <= 0)
		return 0;
	if (mean > 40) {
		x = mean + sqrt(mean) * rng_normal(r) + 0.5;
		return x < 0 ? 0 : (uint32_t)x;
	}
	limit = exp(-mean);
	p = rng_unit(r);
	for (k = 0; p > limit; k++)
		p *= rng_unit(r);
	return k;
}

/* rng_pick - one of n strings */
static inline const char *
rng_pick(struct rng *r, const char *const *list, size_t n)
{
	return list[rng_below(r, (uint32_t)n)];
}

#define PICK(r, list)	rng_pick((r), (list), sizeof(list) / sizeof((list)[0]))
#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

/* ------------------------------------------------------------------ */
/* Growable strings and a per-session arena				*/
/* ------------------------------------------------------------------ */

struct sbuf {
	char	*buf;
	size_t	 len;
	size_t	 cap;
};

/* sb_reserve - make room for n more bytes plus a NUL */
static void
sb_reserve(struct sbuf *sb, size_t n)
{
	size_t	need = sb->len + n + 1;

	if (need <= sb->cap)
		return;
	if (sb->cap == 0)
		sb->cap = 256;
	while (sb->cap < need)
		sb->cap *= 2;
	sb->buf = xreallocarray(sb->buf, sb->cap, 1);
}

/* sb_put - append n bytes */
static inline void
sb_put(struct sbuf *sb, const char *s, size_t n)
{
	sb_reserve(sb, n);
	memcpy(sb->buf + sb->len, s, n);
	sb->len += n;
	sb->buf[sb->len] = '\0';
}

/* sb_puts - append a C string */
static inline void
sb_puts(struct sbuf *sb, const char *s)
{
	sb_put(sb, s, strlen(s));
}

/* sb_putc - append a byte */
static inline void
sb_putc(struct sbuf *sb, char c)
{
	sb_reserve(sb, 1);
	sb->buf[sb->len++] = c;
	sb->buf[sb->len] = '\0';
}

/* sb_putu - append an unsigned decimal */
static void
sb_putu(struct sbuf *sb, uint64_t v)
{
	char	tmp[24];
	int	n = 0;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	sb_reserve(sb, (size_t)n);
	while (n > 0)
		sb->buf[sb->len++] = tmp[--n];
	sb->buf[sb->len] = '\0';
}

/* sb_printf - append formatted text */
static void __attribute__((format(printf, 2, 3)))
sb_printf(struct sbuf *sb, const char *fmt, ...)
{
	va_list	ap;
	int	n;

	sb_reserve(sb, 64);
	va_start(ap, fmt);
	n = vsnprintf(sb->buf + sb->len, sb->cap - sb->len, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= sb->cap - sb->len) {
		sb_reserve(sb, (size_t)n);
		va_start(ap, fmt);
		(void)vsnprintf(sb->buf + sb->len, sb->cap - sb->len, fmt, ap);
		va_end(ap);
	}
	sb->len += (size_t)n;
}

/* sb_free - release the buffer */
static void
sb_free(struct sbuf *sb)
{
	free(sb->buf);
	sb->buf = NULL;
	sb->len = sb->cap = 0;
}

/*
 * The arena holds one session's model (strings and arrays); it is
 * reset after the session has been written, so building a session
 * costs no malloc once the chunks exist.
 */
#define ARENA_CHUNK	(256 * 1024)

struct arena {
	char	**chunks;
	size_t	 nchunks;
	size_t	 cur;		/* chunk in use */
	size_t	 used;		/* bytes used in it */
	size_t	*sizes;
};

/* arena_alloc - size bytes, 16-byte aligned, zeroed */
static void *
arena_alloc(struct arena *a, size_t size)
{
	void	*p;

	size = (size + 15) & ~(size_t)15;
	for (;;) {
		if (a->cur < a->nchunks && a->used + size <= a->sizes[a->cur])
			break;
		if (a->cur < a->nchunks && a->used > 0) {
			a->cur++;
			a->used = 0;
			continue;
		}
		if (a->cur < a->nchunks) {
			/* An empty chunk that is too small: replace it. */
			free(a->chunks[a->cur]);
		} else {
			a->chunks = xreallocarray(a->chunks, a->nchunks + 1,
			    sizeof(*a->chunks));
			a->sizes = xreallocarray(a->sizes, a->nchunks + 1,
			    sizeof(*a->sizes));
			a->nchunks++;
		}
		a->sizes[a->cur] = size > ARENA_CHUNK ? size : ARENA_CHUNK;
		a->chunks[a->cur] = xmalloc(a->sizes[a->cur]);
		a->used = 0;
	}
	p = a->chunks[a->cur] + a->used;
	a->used += size;
	memset(p, 0, size);
	return p;
}

/* arena_strdup - copy of s */
static char *
arena_strdup(struct arena *a, const char *s)
{
	size_t	 n = strlen(s) + 1;
	char	*p = arena_alloc(a, n);

	memcpy(p, s, n);
	return p;
}

/* arena_printf - formatted string in the arena */
static char * __attribute__((format(printf, 2, 3)))
arena_printf(struct arena *a, const char *fmt, ...)
{
	char	 tmp[512];
	va_list	 ap;
	int	 n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n < 0)
		tmp[0] = '\0';
	return arena_strdup(a, tmp);
}

/* arena_reset - forget everything allocated */
static void
arena_reset(struct arena *a)
{
	a->cur = 0;
	a->used = 0;
}

/* arena_free - release the chunks */
static void
arena_free(struct arena *a)
{
	size_t	i;

	for (i = 0; i < a->nchunks; i++)
		free(a->chunks[i]);
	free(a->chunks);
	free(a->sizes);
	memset(a, 0, sizeof(*a));
}

/* ------------------------------------------------------------------ */
/* Calendar								*/
/* ------------------------------------------------------------------ */

/*
 * days_from_civil - days since 1970-01-01 of a proleptic Gregorian
 * date (the era-based method: 400-year eras of 146097 days).
 */
static int64_t
days_from_civil(int64_t y, int m, int d)
{
	int64_t		era;
	int64_t		yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* civil_of - broken-down UTC time of a time in seconds */
static void
civil_of(int64_t sec, struct tm *tm)
{
	time_t	t = (time_t)sec;

	memset(tm, 0, sizeof(*tm));
	(void)gmtime_r(&t, tm);
}

static const char *const month_abbr[12] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun",
	"Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
};

/* ------------------------------------------------------------------ */
/* Word lists								*/
/* ------------------------------------------------------------------ */

static const char *const first_names[] = {
	"anna", "ben", "carla", "david", "elena", "felix", "greta", "hugo",
	"ines", "jonas", "karin", "lukas", "maria", "nico", "olga", "paul",
	"rosa", "simon", "tina", "uwe", "vera", "walter", "yara", "zoe",
	"adam", "beth", "chris", "diana", "emil", "frida", "georg", "hanna",
	"igor", "julia", "kai", "lena", "marc", "nina", "oscar", "petra",
	"ralf", "sara", "tom", "ute", "viktor", "wanda", "xaver", "yvonne",
	"alex", "bruno", "clara", "dennis", "eva", "frank", "gina", "heinz",
	"ida", "jan", "klara", "leo", "mila", "noah", "otto", "pia", "sven",
	"theo", "ulla", "vince", "will", "linda", "john", "susan", "mike"
};

static const char *const last_names[] = {
	"smith", "mueller", "garcia", "rossi", "jansen", "novak", "berg",
	"larsen", "martin", "bauer", "moreau", "silva", "weber", "fischer",
	"costa", "kowalski", "horvat", "meyer", "wagner", "becker", "schulz",
	"hoffmann", "koch", "richter", "klein", "wolf", "neumann", "schwarz",
	"zimmer", "braun", "krueger", "hartmann", "lange", "werner", "krause",
	"lehmann", "kaiser", "fuchs", "peters", "scholz", "moeller", "vogel",
	"jung", "hahn", "keller", "roth", "frank", "berger", "winter", "sommer",
	"brandt", "haas", "graf", "lorenz", "dietrich", "ziegler", "kuhn",
	"pohl", "engel", "horn", "busch", "bergmann", "thomas", "voigt",
	"sauer", "arnold", "otto", "ludwig", "jaeger", "walter", "baker",
	"clark", "lewis", "walker", "young", "allen", "hill", "green"
};

static const char *const domain_words[] = {
	"alpine", "amber", "anchor", "apex", "aqua", "arbor", "atlas",
	"aurora", "bakery", "bay", "beacon", "birch", "blue", "bright",
	"brook", "cedar", "central", "city", "clover", "coast", "comet",
	"copper", "coral", "craft", "crown", "crystal", "delta", "design",
	"dune", "eagle", "east", "echo", "elm", "ember", "falcon", "farm",
	"fern", "field", "flora", "forest", "fox", "garden", "gate", "glen",
	"gold", "granite", "green", "grove", "harbor", "hawk", "haven",
	"heath", "hill", "holiday", "home", "horizon", "iris", "iron",
	"island", "ivy", "jade", "juniper", "key", "lake", "lark", "leaf",
	"light", "lily", "lime", "link", "lotus", "maple", "marina", "meadow",
	"metro", "mill", "mint", "moon", "moss", "motor", "north", "nova",
	"oak", "ocean", "olive", "orchid", "palm", "park", "peak", "pearl",
	"pine", "pixel", "plaza", "polar", "prime", "quartz", "rain", "raven",
	"reed", "ridge", "river", "rock", "rose", "ruby", "sage", "sail",
	"sand", "shop", "silver", "sky", "snow", "solar", "south", "spark",
	"spring", "star", "stone", "studio", "summit", "sun", "swift",
	"tech", "thistle", "tide", "timber", "tower", "trade", "travel",
	"tulip", "union", "valley", "vista", "wave", "west", "willow",
	"wind", "wood", "yard", "zen", "club", "verein", "praxis", "kanzlei",
	"auto", "immo", "hotel", "cafe", "media", "print", "sport", "music"
};

static const char *const domain_suffixes[] = {
	".test", ".test", ".test", ".example.com", ".example.net",
	".example.org", ".example"
};

static const char *const role_locals[] = {
	"info", "sales", "contact", "office", "admin", "support", "hello",
	"service", "mail", "post", "team", "shop", "billing", "kontakt"
};

static const char *const hosters[] = {
	"mx01.hostingpark.test", "mx02.hostingpark.test",
	"mail.webspace-one.test", "mx.kundenserver.example",
	"mx00.serverhaus.example.net", "in1.smtp.cloudhost.test",
	"mx1.mailbox-provider.example.org", "mx.secure-mail.test",
	"inbound.filterhub.test", "mx10.provider-x.example.com",
	"mx-in.domainpark.test", "smtp-in.hosting24.test"
};

static const char *const windows_host_chars =
    "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789";

/* ------------------------------------------------------------------ */
/* Recipient domains and their mail exchangers				*/
/* ------------------------------------------------------------------ */

/*
 * How a receiving site words its replies.  The texts are written in
 * the shape of the big providers' and of stock Postfix, Exim and
 * Exchange servers, with fictional names, so that reply
 * classification meets the variety it will meet in real logs.
 */
enum mx_style {
	STYLE_GMAIL,
	STYLE_OUTLOOK,
	STYLE_YAHOO,
	STYLE_POSTFIX,
	STYLE_EXIM,
	STYLE_EXCHANGE,
	STYLE_ISP		/* the ISP's own inbound MX */
};

struct domain {
	char		name[64];
	char		mx[80];
	uint32_t	ip4;		/* first MX address (host order) */
	uint16_t	ip6_base;	/* IPv6 MX: 2001:db8:ffff:1::<base+i> */
	uint8_t		nips;		/* MX addresses to choose from */
	uint8_t		style;
	bool		v6;
	bool		nonexistent;	/* NXDOMAIN: forged, made up */
	bool		verified_tls;	/* certificate verifies (DANE/WebPKI) */
	bool		freemail;
	bool		hosted;		/* mailboxes on the relays' store */
	double		weight;		/* share of ordinary recipients */
};

struct domain_table {
	struct domain	*d;
	uint32_t	 n;
	uint32_t	 nfree;		/* [0, nfree): big providers */
	uint32_t	 nlive;		/* [0, nlive): existing domains */
	uint32_t	 first_hosted;	/* [first_hosted, n): hosted here */
	double		*cum;		/* cumulative weight over [0, nlive) */
	uint32_t	 isp;		/* index of ISP_DOMAIN */
};

struct big_provider {
	const char	*name;
	const char	*mx;
	enum mx_style	 style;
	double		 weight;
	uint32_t	 ip4;		/* 198.51.100.x */
	uint8_t		 nips;
};

#define IP4(a, b, c, d)	(((uint32_t)(a) << 24) | ((uint32_t)(b) << 16) | \
			 ((uint32_t)(c) << 8) | (uint32_t)(d))

static const struct big_provider big_providers[] = {
	{ "gmail.example", "gmail-smtp-in.l.gmail.example", STYLE_GMAIL,
	    0.25, IP4(198, 51, 100, 26), 4 },
	{ "outlook.example", "outlook-example.mail.protection.outlook.example",
	    STYLE_OUTLOOK, 0.07, IP4(198, 51, 100, 40), 3 },
	{ "hotmail.example", "hotmail-example.olc.protection.outlook.example",
	    STYLE_OUTLOOK, 0.06, IP4(198, 51, 100, 44), 3 },
	{ "live.example", "live-example.olc.protection.outlook.example",
	    STYLE_OUTLOOK, 0.015, IP4(198, 51, 100, 47), 2 },
	{ "yahoo.example", "mta7.am0.yahoodns.example", STYLE_YAHOO,
	    0.06, IP4(198, 51, 100, 60), 4 },
	{ "aol.example", "mx-aol.mail.gm0.yahoodns.example", STYLE_YAHOO,
	    0.015, IP4(198, 51, 100, 64), 2 },
	{ "gmx.example", "mx00.gmx.example", STYLE_POSTFIX,
	    0.05, IP4(198, 51, 100, 70), 2 },
	{ "web.example", "mx-ha03.web.example", STYLE_POSTFIX,
	    0.04, IP4(198, 51, 100, 72), 2 },
	{ "icloud.example", "mx01.mail.icloud.example", STYLE_POSTFIX,
	    0.035, IP4(198, 51, 100, 80), 3 },
	{ "t-online.example", "mx00.t-online.example", STYLE_EXIM,
	    0.03, IP4(198, 51, 100, 85), 2 },
	{ "orange.example", "smtp-in.orange.example", STYLE_EXIM,
	    0.015, IP4(198, 51, 100, 88), 2 },
	{ "proton.example", "mail.protonmail.example", STYLE_POSTFIX,
	    0.01, IP4(198, 51, 100, 90), 1 },
	{ ISP_DOMAIN, "mx1." ISP_DOMAIN, STYLE_ISP,
	    0.08, IP4(10, 255, 0, 25), 2 },
};

/* word_domain - invent a domain name from hash bits */
static void
word_domain(char *buf, size_t len, uint64_t h)
{
	const char *w1 = domain_words[h % NELEM(domain_words)];
	const char *w2 = domain_words[(h >> 12) % NELEM(domain_words)];
	const char *suf = domain_suffixes[(h >> 24) % NELEM(domain_suffixes)];
	const char *ln = last_names[(h >> 32) % NELEM(last_names)];

	switch ((h >> 40) % 8) {
	case 0:
	case 1:
		(void)snprintf(buf, len, "%s-%s%s", w1, w2, suf);
		break;
	case 2:
		(void)snprintf(buf, len, "%s%s%s", w1, w2, suf);
		break;
	case 3:
		(void)snprintf(buf, len, "mail.%s-%s%s", w1, w2, suf);
		break;
	case 4:
		(void)snprintf(buf, len, "%s-family.example.net", ln);
		break;
	case 5:
		(void)snprintf(buf, len, "%s-%s.example.com", ln, w1);
		break;
	case 6:
		(void)snprintf(buf, len, "%s.example.org", w1);
		break;
	default:
		(void)snprintf(buf, len, "%s-%s-%u%s", w1, w2,
		    (unsigned)((h >> 48) % 100), suf);
		break;
	}
}

/* junk_label - a pronounceable nonsense label for made-up domains */
static void
junk_label(char *buf, size_t len, struct rng *r, int min, int max)
{
	static const char cons[] = "bcdfghjklmnpqrstvwxz";
	static const char vow[] = "aeiouy";
	int	n = (int)rng_range(r, min, max), i;

	if ((size_t)n >= len)
		n = (int)len - 1;
	for (i = 0; i < n; i++)
		buf[i] = (i % 2 == 0) ? cons[rng_below(r, sizeof(cons) - 1)] :
		    vow[rng_below(r, sizeof(vow) - 1)];
	buf[n] = '\0';
}

/* domains_build - the recipient domain universe of a run */
static void
domains_build(struct domain_table *t, uint64_t seed)
{
	struct rng	 r;
	struct strmap	*seen = strmap_new(NULL);
	uint32_t	 nsmall = 1600, ndead = 400, nhosted = 24, i;
	double		 sum = 0, small_share;
	bool		 created;

	rng_init(&r, seed, STREAM_DOMAINS, 0, 0);
	t->nfree = (uint32_t)NELEM(big_providers);
	t->nlive = t->nfree + nsmall;
	t->first_hosted = t->nlive + ndead;
	t->n = t->first_hosted + nhosted;
	t->d = xcalloc(t->n, sizeof(*t->d));
	t->cum = xcalloc(t->nlive, sizeof(*t->cum));
	small_share = 1.0;
	for (i = 0; i < t->nfree; i++) {
		const struct big_provider *bp = &big_providers[i];
		struct domain *d = &t->d[i];

		(void)snprintf(d->name, sizeof(d->name), "%s", bp->name);
		(void)snprintf(d->mx, sizeof(d->mx), "%s", bp->mx);
		d->style = (uint8_t)bp->style;
		d->ip4 = bp->ip4;
		d->nips = bp->nips;
		d->weight = bp->weight;
		d->freemail = bp->style != STYLE_ISP;
		d->verified_tls = bp->style != STYLE_EXIM;
		if (bp->style == STYLE_ISP)
			t->isp = i;
		(void)strmap_slot(seen, d->name, strlen(d->name), &created);
		small_share -= bp->weight;
	}
	for (i = t->nfree; i < t->nlive; i++) {
		struct domain *d = &t->d[i];
		uint64_t h;

		do {
			h = rng_next(&r);
			word_domain(d->name, sizeof(d->name), h);
			(void)strmap_slot(seen, d->name, strlen(d->name),
			    &created);
		} while (!created);
		/* Zipf-like popularity: a few small sites get most mail. */
		d->weight = 1.0 / (1.0 + (double)(i - t->nfree) * 0.05);
		sum += d->weight;
		d->nips = 1;
		if (rng_chance(&r, 0.6)) {
			/* Hosted at a mail provider that shares its MX. */
			uint32_t k = rng_below(&r, (uint32_t)NELEM(hosters));

			(void)snprintf(d->mx, sizeof(d->mx), "%s", hosters[k]);
			d->ip4 = IP4(198, 51, 100, 100 + k * 3);
			d->nips = 2;
			d->style = (uint8_t)(k % 3 == 0 ? STYLE_EXIM :
			    STYLE_POSTFIX);
			d->verified_tls = true;
			d->v6 = k % 4 == 1;
			d->ip6_base = (uint16_t)(0x100 + k * 4);
		} else {
			const char *pfx = rng_chance(&r, 0.5) ? "mx" : "mail";
			uint32_t roll = rng_below(&r, 10);

			if (strncmp(d->name, "mail.", 5) == 0)
				(void)snprintf(d->mx, sizeof(d->mx), "%s",
				    d->name);
			else
				(void)snprintf(d->mx, sizeof(d->mx), "%s.%s",
				    pfx, d->name);
			d->ip4 = IP4(198, 51, 100, 140 + rng_below(&r, 110));
			d->style = (uint8_t)(roll < 5 ? STYLE_POSTFIX :
			    roll < 8 ? STYLE_EXIM : STYLE_EXCHANGE);
			d->verified_tls = rng_chance(&r, 0.4);
			d->v6 = rng_chance(&r, 0.1);
			d->ip6_base = (uint16_t)(0x1000 + i);
		}
	}
	/* Scale the small sites to their joint share. */
	for (i = t->nfree; i < t->nlive; i++)
		t->d[i].weight *= small_share / sum;
	for (i = t->nlive; i < t->first_hosted; i++) {
		struct domain *d = &t->d[i];
		char	label[24], label2[24];

		do {
			junk_label(label, sizeof(label), &r, 4, 9);
			if (rng_chance(&r, 0.5)) {
				junk_label(label2, sizeof(label2), &r, 3, 6);
				(void)snprintf(d->name, sizeof(d->name),
				    "%s-%s.test", label, label2);
			} else
				(void)snprintf(d->name, sizeof(d->name),
				    "%s%u.test", label,
				    (unsigned)rng_below(&r, 100));
			(void)strmap_slot(seen, d->name, strlen(d->name),
			    &created);
		} while (!created);
		d->nonexistent = true;
		d->style = STYLE_POSTFIX;
	}
	/* Business customers whose domains the relays also receive for. */
	for (i = t->first_hosted; i < t->n; i++) {
		struct domain *d = &t->d[i];

		do {
			uint64_t h = rng_next(&r);

			(void)snprintf(d->name, sizeof(d->name),
			    "%s-%s.example.net",
			    last_names[h % NELEM(last_names)],
			    domain_words[(h >> 16) % NELEM(domain_words)]);
			(void)strmap_slot(seen, d->name, strlen(d->name),
			    &created);
		} while (!created);
		d->hosted = true;
		d->style = STYLE_POSTFIX;
	}
	sum = 0;
	for (i = 0; i < t->nlive; i++) {
		sum += t->d[i].weight;
		t->cum[i] = sum;
	}
	strmap_free(seen);
}

/* domains_free - release the table */
static void
domains_free(struct domain_table *t)
{
	free(t->d);
	free(t->cum);
}

/* domain_by_weight - an existing domain, chosen by popularity */
static uint32_t
domain_by_weight(const struct domain_table *t, double u)
{
	uint32_t	lo = 0, hi = t->nlive - 1;
	double		x = u * t->cum[t->nlive - 1];

	while (lo < hi) {
		uint32_t mid = (lo + hi) / 2;

		if (t->cum[mid] > x)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

/* domain_uniform_live - any existing domain, big or small, equally */
static uint32_t
domain_uniform_live(const struct domain_table *t, struct rng *r)
{
	return rng_below(r, t->nlive);
}

/* domain_dead - a made-up, non-existent domain */
static uint32_t
domain_dead(const struct domain_table *t, struct rng *r)
{
	return t->nlive + rng_below(r, t->first_hosted - t->nlive);
}

/* domain_hosted - a customer domain whose mailboxes live here */
static uint32_t
domain_hosted(const struct domain_table *t, struct rng *r)
{
	return t->first_hosted + rng_below(r, t->n - t->first_hosted);
}

/* mx_ip - text of the n-th MX address of a domain */
static void
mx_ip(const struct domain *d, uint32_t variant, char *buf, size_t len)
{
	uint32_t	v = d->nips > 0 ? variant % d->nips : 0;

	if (d->v6)
		(void)snprintf(buf, len, "2001:db8:ffff:1::%x",
		    (unsigned)(d->ip6_base + v));
	else {
		uint32_t ip = d->ip4 + v;

		(void)snprintf(buf, len, "%u.%u.%u.%u", ip >> 24,
		    (ip >> 16) & 255, (ip >> 8) & 255, ip & 255);
	}
}

/* ------------------------------------------------------------------ */
/* Addresses								*/
/* ------------------------------------------------------------------ */

/* name_local - a person's mailbox name in one of the usual patterns */
static void
name_local(char *buf, size_t len, uint64_t h)
{
	const char *fn = first_names[h % NELEM(first_names)];
	const char *ln = last_names[(h >> 10) % NELEM(last_names)];
	unsigned    num = (unsigned)((h >> 20) % 100);
	unsigned    year = 1950 + (unsigned)((h >> 28) % 60);

	switch ((h >> 40) % 10) {
	case 0:
	case 1:
	case 2:
		(void)snprintf(buf, len, "%s.%s", fn, ln);
		break;
	case 3:
		(void)snprintf(buf, len, "%c%s", fn[0], ln);
		break;
	case 4:
		(void)snprintf(buf, len, "%s_%s", fn, ln);
		break;
	case 5:
		(void)snprintf(buf, len, "%s%s", fn, ln);
		break;
	case 6:
		(void)snprintf(buf, len, "%s.%s%02u", fn, ln, num);
		break;
	case 7:
		(void)snprintf(buf, len, "%s%u", fn, year);
		break;
	case 8:
		(void)snprintf(buf, len, "%s.%s", ln, fn);
		break;
	default:
		(void)snprintf(buf, len, "%c.%s", fn[0], ln);
		break;
	}
}

/* junk_local - a mailbox name a spammer made up or scraped */
static void
junk_local(char *buf, size_t len, struct rng *r)
{
	uint32_t roll = rng_below(r, 10);

	if (roll < 5)
		name_local(buf, len, rng_next(r));
	else if (roll < 7)
		(void)snprintf(buf, len, "%s", PICK(r, role_locals));
	else {
		static const char alnum[] =
		    "abcdefghijklmnopqrstuvwxyz0123456789";
		int	n = (int)rng_range(r, 5, 12), i;

		if ((size_t)n >= len)
			n = (int)len - 1;
		for (i = 0; i < n; i++)
			buf[i] = alnum[rng_below(r, i == 0 ? 26 :
			    sizeof(alnum) - 1)];
		buf[n] = '\0';
	}
}

/* ------------------------------------------------------------------ */
/* Subscribers								*/
/* ------------------------------------------------------------------ */

enum account_kind {
	KIND_SASL,		/* authenticates; account = SASL username */
	KIND_IP			/* port 25 from an authorised address */
};

enum account_class {
	CLASS_HOME,
	CLASS_BURSTY,
	CLASS_BULK,
	CLASS_DEVICE,
	CLASS_STALE,
	CLASS_MOBILE,
	CLASS_ZOMBIE,
	CLASS_COUNT
};

enum zombie_kind {
	ZK_NONE,
	ZK_BLASTER,
	ZK_STOLEN,
	ZK_LOW_SLOW,
	ZK_MIXED,
	ZK_TURNS_BAD,
	ZK_COUNT
};

static const char *const class_names[CLASS_COUNT] = {
	"home_user", "home_bursty", "bulk_sender", "device",
	"stale_password", "mobile", "zombie"
};

static const char *const zombie_names[ZK_COUNT] = {
	"", "blaster", "stolen_credentials", "low_and_slow", "mixed",
	"turns_bad"
};

/* Mail programs, for Message-ID shapes and HELO names. */
enum mua {
	MUA_OUTLOOK,
	MUA_THUNDERBIRD,
	MUA_APPLE,
	MUA_ANDROID,
	MUA_DEVICE,
	MUA_LIST
};

struct account {
	uint32_t	index;
	uint8_t		kind;
	uint8_t		cls;
	uint8_t		zombie;
	uint8_t		mua;
	uint16_t	port;		/* 25, 587 or 465 */
	uint16_t	bad_from_day;	/* zombies: first bad day (1-based) */
	bool		v6;
	bool		has_ptr;
	bool		sasl_login;	/* AUTH LOGIN rather than PLAIN */
	bool		sends_msgid;	/* devices: client adds Message-ID */
	char		name[96];	/* label: SASL username or address */
	char		ip[48];		/* home address, canonical text */
	char		ptr[96];	/* reverse DNS name or "unknown" */
	char		helo[64];
	char		email[96];	/* own envelope sender */
	double		rate;		/* ordinary messages per day */
	uint32_t	contacts;	/* address book or mailing list size */
	double		dead_frac;	/* share of contacts that bounce */
	double		burst_prob;	/* home_bursty: chance of a burst day */
	uint32_t	batch;		/* bulk: recipients per message */
	uint8_t		campaign_hour;	/* bulk: usual start hour */
	uint32_t	auth_fail_per_day; /* stale_password, guessing */
	uint32_t	attack_ips;	/* stolen_credentials: sending IPs */
	double		spam_per_day;
	double		p_unknown;	/* zombie: dead recipient share */
	double		p_block;	/* zombie: blocklist/spam refusals */
	double		p_defer;	/* zombie: rate-limit deferrals */
	uint64_t	key;		/* per-account hash key */
};

struct population {
	struct account	*a;
	uint32_t	 n;
};

/* ip4_text - dotted quad of a host-order address */
static void
ip4_text(uint32_t ip, char *buf, size_t len)
{
	(void)snprintf(buf, len, "%u.%u.%u.%u", ip >> 24, (ip >> 16) & 255,
	    (ip >> 8) & 255, ip & 255);
}

/* ip6_text - canonical (RFC 5952, inet_ntop) text of 16 bytes */
static void
ip6_text(const unsigned char bytes[16], char *buf, size_t len)
{
	if (inet_ntop(AF_INET6, bytes, buf, (socklen_t)len) == NULL)
		(void)snprintf(buf, len, "2001:db8::1");
}

/*
 * Subscriber address pools.  Each pool is numbered by host (254 per
 * /24, skipping .0 and .255) and a subscriber's index is mapped into
 * it with x -> (P * x + offset) mod capacity, a bijection because P is
 * a prime that divides no capacity: no two subscribers share an
 * address.
 */
struct ip_pool {
	uint32_t	base;
	uint32_t	nets;		/* /24 networks */
	const char	*ptr_prefix;	/* reverse name: prefix, dashed */
	const char	*ptr_suffix;	/* address, suffix */
};

static const struct ip_pool ip_pools[] = {
	{ IP4(10, 0, 0, 0), 65536, "cpe-", ".dyn." ISP_DOMAIN },
	{ IP4(100, 64, 0, 0), 16384, "", ".cgn." ISP_DOMAIN },
	{ IP4(198, 18, 0, 0), 512, "static-", ".biz." ISP_DOMAIN },
};

#define POOL_PRIME	1000003ULL

/* pool_address - the index-th address of a pool */
static uint32_t
pool_address(const struct ip_pool *p, uint32_t index, uint64_t seed)
{
	uint64_t cap = (uint64_t)p->nets * 254;
	uint64_t h = (POOL_PRIME * index + (seed % cap)) % cap;

	return p->base + (uint32_t)((h / 254) << 8) + (uint32_t)(h % 254) + 1;
}

/* account_home_ip - a subscriber's fixed home address and its name */
static void
account_home_ip(struct account *a, uint64_t seed, struct rng *r)
{
	if (a->v6) {
		unsigned char b[16];
		uint32_t pfx = (uint32_t)((0x9e3779b1ULL * a->index +
		    (seed & 0xfffffff)) & 0x0fffffff);
		uint64_t iid = mix64(seed ^ a->key);
		int i;

		/* 2001:db8:<28 bits>::/64, never the 2001:db8:ffff::/48
		   range that stands for outside networks. */
		b[0] = 0x20; b[1] = 0x01; b[2] = 0x0d; b[3] = 0xb8;
		b[4] = (unsigned char)(pfx >> 24);
		b[5] = (unsigned char)(pfx >> 16);
		b[6] = (unsigned char)(pfx >> 8);
		b[7] = (unsigned char)pfx;
		for (i = 0; i < 8; i++)
			b[8 + i] = (unsigned char)(iid >> (56 - 8 * i));
		if (rng_chance(r, 0.5)) {
			/* EUI-64 interface ID of a home router. */
			b[8] &= 0xfd;
			b[11] = 0xff;
			b[12] = 0xfe;
		}
		ip6_text(b, a->ip, sizeof(a->ip));
		a->has_ptr = false;
	} else {
		uint32_t roll = rng_below(r, 10), pool, ip;

		pool = roll < 5 ? 0 : roll < 8 ? 1 : 2;
		if (pool == 2 && a->index >= ip_pools[2].nets * 254)
			pool = 0;
		if (pool == 1 && a->index >= ip_pools[1].nets * 254)
			pool = 0;
		ip = pool_address(&ip_pools[pool], a->index, seed + pool);
		ip4_text(ip, a->ip, sizeof(a->ip));
		a->has_ptr = rng_chance(r, pool == 2 ? 0.9 : 0.6);
		if (a->has_ptr)
			(void)snprintf(a->ptr, sizeof(a->ptr),
			    "%s%u-%u-%u-%u%s", ip_pools[pool].ptr_prefix,
			    ip >> 24, (ip >> 16) & 255, (ip >> 8) & 255,
			    ip & 255, ip_pools[pool].ptr_suffix);
	}
	if (!a->has_ptr)
		(void)snprintf(a->ptr, sizeof(a->ptr), "unknown");
}

/* windows_name - "DESKTOP-7KQ2M4P" style host name */
static void
windows_name(char *buf, size_t len, struct rng *r, const char *prefix)
{
	size_t	n = strlen(windows_host_chars), i, off;

	(void)snprintf(buf, len, "%s", prefix);
	off = strlen(buf);
	for (i = 0; i < 7 && off + i + 1 < len; i++)
		buf[off + i] = windows_host_chars[rng_below(r, (uint32_t)n)];
	buf[off + i] = '\0';
}

/* account_helo - the stable EHLO name of a subscriber's mail program */
static void
account_helo(struct account *a, struct rng *r, const char *fn,
    const char *ln)
{
	static const char *const devices[] = {
		"synology", "diskstation", "fritz.box", "raspberrypi",
		"NPI3A9F21", "qnap-nas", "homeassistant", "camera01",
		"alarm-panel", "ups-monitor", "printer"
	};

	switch (a->mua) {
	case MUA_OUTLOOK:
		windows_name(a->helo, sizeof(a->helo), r,
		    rng_chance(r, 0.7) ? "DESKTOP-" : "LAPTOP-");
		break;
	case MUA_THUNDERBIRD:
		if (rng_chance(r, 0.5))
			(void)snprintf(a->helo, sizeof(a->helo),
			    "%s-pc.fritz.box", fn);
		else
			(void)snprintf(a->helo, sizeof(a->helo),
			    "%s-laptop.home", ln);
		break;
	case MUA_APPLE:
		(void)snprintf(a->helo, sizeof(a->helo), "%ss-%s.local", fn,
		    rng_chance(r, 0.5) ? "MacBook-Pro" : "iMac");
		break;
	case MUA_ANDROID:
		(void)snprintf(a->helo, sizeof(a->helo), "localhost");
		break;
	case MUA_DEVICE:
		(void)snprintf(a->helo, sizeof(a->helo), "%s",
		    PICK(r, devices));
		break;
	default:
		(void)snprintf(a->helo, sizeof(a->helo), "mail.%s",
		    strchr(a->email, '@') + 1);
		break;
	}
}

/* unique_name - reserve name in the map; false when already taken */
static bool
unique_name(struct strmap *names, const char *name)
{
	bool	created;

	(void)strmap_slot(names, name, strlen(name), &created);
	return created;
}

/* pick_class - a non-zombie class by its share of the population */
static uint8_t
pick_class(struct rng *r)
{
	double u = rng_unit(r);

	if (u < 0.71)
		return CLASS_HOME;
	if (u < 0.79)
		return CLASS_BURSTY;
	if (u < 0.82)
		return CLASS_BULK;
	if (u < 0.89)
		return CLASS_DEVICE;
	if (u < 0.915)
		return CLASS_STALE;
	return CLASS_MOBILE;
}

/* pick_zombie - a zombie kind beyond the first one of each */
static uint8_t
pick_zombie(struct rng *r)
{
	double u = rng_unit(r);

	if (u < 0.30)
		return ZK_BLASTER;
	if (u < 0.45)
		return ZK_STOLEN;
	if (u < 0.70)
		return ZK_LOW_SLOW;
	if (u < 0.90)
		return ZK_MIXED;
	return ZK_TURNS_BAD;
}

static void	account_zombie_volumes(struct account *, struct rng *, int);

/* account_fill - every fixed property of subscriber a */
static void
account_fill(struct account *a, const struct config *cfg,
    const struct domain_table *dt, struct strmap *names, int days)
{
	struct rng	 r;
	const char	*fn, *ln;
	char		 local[64];
	double		 p_sasl;
	bool		 sasl;

	rng_init(&r, cfg->seed, STREAM_ACCOUNT, a->index, 0);
	a->key = rng_next(&r);
	fn = first_names[rng_below(&r, NELEM(first_names))];
	ln = last_names[rng_below(&r, NELEM(last_names))];

	switch (a->cls == CLASS_ZOMBIE ? (int)(CLASS_COUNT + a->zombie) :
	    (int)a->cls) {
	case CLASS_STALE:
	case CLASS_MOBILE:
	case CLASS_COUNT + ZK_STOLEN:
		p_sasl = 1.0;
		break;
	case CLASS_COUNT + ZK_BLASTER:
		p_sasl = 0.35;
		break;
	case CLASS_COUNT + ZK_LOW_SLOW:
	case CLASS_DEVICE:
		p_sasl = 0.4;
		break;
	case CLASS_BULK:
	case CLASS_COUNT + ZK_MIXED:
	case CLASS_COUNT + ZK_TURNS_BAD:
		p_sasl = 0.5;
		break;
	default:
		p_sasl = 0.6;
		break;
	}
	sasl = rng_chance(&r, p_sasl);
	a->kind = sasl ? KIND_SASL : KIND_IP;
	a->v6 = rng_chance(&r, sasl ? 0.2 : 0.15);
	a->sasl_login = rng_chance(&r, 0.55);
	account_home_ip(a, cfg->seed, &r);

	/* Own address, and the SASL username beside it. */
	if (a->cls == CLASS_BULK) {
		static const char *const senders[] = {
			"newsletter", "info", "news", "verein", "club",
			"members", "list", "office", "aktuell", "events"
		};
		const char *s = PICK(&r, senders);
		uint32_t d, tries = 0;

		do {
			d = dt->nfree + rng_below(&r, dt->nlive - dt->nfree);
			if (tries++ < 10)
				(void)snprintf(a->email, sizeof(a->email),
				    "%s@%s", s, dt->d[d].name);
			else
				(void)snprintf(a->email, sizeof(a->email),
				    "%s%u@%s", s, tries, dt->d[d].name);
		} while (!unique_name(names, a->email));
	} else {
		int	tries = 0;

		do {
			name_local(local, sizeof(local), rng_next(&r));
			if (tries++ > 3)
				(void)snprintf(local + strlen(local),
				    sizeof(local) - strlen(local), "%u",
				    (unsigned)rng_below(&r, 1000));
			(void)snprintf(a->email, sizeof(a->email), "%s@%s",
			    local, ISP_DOMAIN);
		} while (!unique_name(names, a->email));
	}
	if (sasl) {
		if (rng_chance(&r, 0.6))
			(void)snprintf(a->name, sizeof(a->name), "%s",
			    a->email);
		else {
			uint32_t tries = 0;

			/* Customer numbers; longer ones once six digits
			   get crowded. */
			do {
				if (tries++ < 10)
					(void)snprintf(a->name, sizeof(a->name),
					    "u%06u", (unsigned)rng_range(&r,
					    100000, 999999));
				else
					(void)snprintf(a->name, sizeof(a->name),
					    "u%08u", (unsigned)rng_range(&r,
					    10000000, 99999999));
			} while (!unique_name(names, a->name));
		}
		a->port = rng_chance(&r, 0.8) ? 587 : 465;
	} else {
		(void)snprintf(a->name, sizeof(a->name), "%s", a->ip);
		a->port = 25;
	}

	/* Mail program. */
	switch (a->cls) {
	case CLASS_DEVICE:
		a->mua = MUA_DEVICE;
		a->sends_msgid = rng_chance(&r, 0.7);
		break;
	case CLASS_BULK:
		a->mua = MUA_LIST;
		break;
	case CLASS_MOBILE:
		a->mua = rng_chance(&r, 0.6) ? MUA_ANDROID : MUA_APPLE;
		break;
	default:
		a->mua = (uint8_t)rng_below(&r, 4);
		break;
	}
	account_helo(a, &r, fn, ln);

	/* Volumes. */
	a->rate = rng_lognormal(&r, 2.0, 0.7);
	if (a->rate < 0.2)
		a->rate = 0.2;
	if (a->rate > 12)
		a->rate = 12;
	a->contacts = (uint32_t)rng_range(&r, 15, 80);
	a->dead_frac = rng_uniform(&r, 0.0, 0.03);
	switch (a->cls) {
	case CLASS_BURSTY:
		a->contacts = (uint32_t)rng_range(&r, 80, 300);
		a->dead_frac = rng_uniform(&r, 0.03, 0.08);
		a->burst_prob = rng_uniform(&r, 0.2, 0.4);
		break;
	case CLASS_BULK:
		a->contacts = (uint32_t)exp(rng_uniform(&r, log(300.0),
		    log(3000.0)));
		a->dead_frac = rng_uniform(&r, 0.01, 0.04);
		{
			static const uint32_t batches[] = { 1, 10, 25, 50 };

			a->batch = batches[rng_below(&r, 4)];
		}
		a->campaign_hour = (uint8_t)rng_range(&r, 8, 17);
		/* --volume shrinks lists for small samples, never below a
		   size that still looks like a list. */
		a->contacts = (uint32_t)fmax(40.0,
		    (double)a->contacts * cfg->volume);
		break;
	case CLASS_DEVICE:
		a->rate = rng_uniform(&r, 10, 60);
		a->contacts = rng_chance(&r, 0.6) ? 1 : 2;
		a->dead_frac = 0;
		break;
	case CLASS_STALE:
		a->auth_fail_per_day = (uint32_t)rng_range(&r, 30, 200);
		break;
	case CLASS_MOBILE:
		a->rate = rng_lognormal(&r, 2.0, 0.6);
		break;
	default:
		break;
	}
	if (a->cls != CLASS_ZOMBIE)
		return;
	account_zombie_volumes(a, &r, days);
	/* Low-and-slow stays low: --volume scales the big senders. */
	if (a->zombie != ZK_LOW_SLOW)
		a->spam_per_day = fmax(60.0, a->spam_per_day * cfg->volume);
}

/*
 * account_zombie_volumes - spam rate, failure mix and schedule of a
 * zombie, by kind.
 */
static void
account_zombie_volumes(struct account *a, struct rng *r, int days)
{
	a->bad_from_day = 1;
	switch (a->zombie) {
	case ZK_BLASTER:
		a->spam_per_day = rng_uniform(r, 1500, 6000);
		a->p_unknown = rng_uniform(r, 0.15, 0.35);
		a->p_block = rng_uniform(r, 0.05, 0.20);
		a->p_defer = rng_uniform(r, 0.03, 0.10);
		break;
	case ZK_STOLEN:
		a->spam_per_day = rng_uniform(r, 1000, 5000);
		a->p_unknown = rng_uniform(r, 0.15, 0.35);
		a->p_block = rng_uniform(r, 0.05, 0.15);
		a->p_defer = rng_uniform(r, 0.03, 0.08);
		a->attack_ips = (uint32_t)rng_range(r, 10, 50);
		a->auth_fail_per_day = (uint32_t)rng_range(r, 30, 300);
		if (days >= 3)
			a->bad_from_day = (uint16_t)rng_range(r, 1, 2);
		break;
	case ZK_LOW_SLOW:
		a->spam_per_day = rng_uniform(r, 20, 80);
		a->p_unknown = rng_uniform(r, 0.30, 0.50);
		a->p_block = rng_uniform(r, 0.15, 0.30);
		a->p_defer = rng_uniform(r, 0.02, 0.06);
		break;
	case ZK_MIXED:
		a->spam_per_day = rng_uniform(r, 150, 800);
		a->p_unknown = rng_uniform(r, 0.20, 0.40);
		a->p_block = rng_uniform(r, 0.05, 0.20);
		a->p_defer = rng_uniform(r, 0.03, 0.08);
		break;
	case ZK_TURNS_BAD:
		a->spam_per_day = rng_uniform(r, 1500, 5000);
		a->p_unknown = rng_uniform(r, 0.15, 0.35);
		a->p_block = rng_uniform(r, 0.05, 0.20);
		a->p_defer = rng_uniform(r, 0.03, 0.10);
		a->bad_from_day = (uint16_t)(days >= 2 ?
		    rng_range(r, 2, days) : 1);
		break;
	default:
		break;
	}
}

/* population_build - the subscribers of a run, in a shuffled order */
static void
population_build(struct population *pop, const struct config *cfg,
    const struct domain_table *dt, int days)
{
	struct rng	 r;
	struct strmap	*names = strmap_new(NULL);
	uint8_t		*cls, *zk;
	uint32_t	 n, nz, i, k;
	double		 frac;

	n = (uint32_t)llround((double)cfg->subscribers * cfg->scale);
	if (n < 1)
		n = 1;
	frac = cfg->zombie_fraction_set ? cfg->zombie_fraction : 0.03;
	nz = (uint32_t)llround((double)n * frac);
	if (n >= 100 && frac > 0 && nz < ZK_COUNT - 1)
		nz = ZK_COUNT - 1;
	if (nz > n)
		nz = n;
	rng_init(&r, cfg->seed, STREAM_POPULATION, 0, 0);
	cls = xcalloc(n, 1);
	zk = xcalloc(n, 1);
	for (i = 0; i < nz; i++) {
		cls[i] = CLASS_ZOMBIE;
		zk[i] = (uint8_t)(i < ZK_COUNT - 1 ? i + 1 : pick_zombie(&r));
	}
	for (k = 0; i < n; i++, k++) {
		/* At least one of every ordinary class in a real-sized run. */
		if (n >= 100 && k < CLASS_ZOMBIE)
			cls[i] = (uint8_t)k;
		else
			cls[i] = pick_class(&r);
	}
	for (i = n; i > 1; i--) {
		uint32_t j = rng_below(&r, i);
		uint8_t t;

		t = cls[i - 1]; cls[i - 1] = cls[j]; cls[j] = t;
		t = zk[i - 1]; zk[i - 1] = zk[j]; zk[j] = t;
	}
	pop->n = n;
	pop->a = xcalloc(n, sizeof(*pop->a));
	for (i = 0; i < n; i++) {
		pop->a[i].index = i;
		pop->a[i].cls = cls[i];
		pop->a[i].zombie = zk[i];
		account_fill(&pop->a[i], cfg, dt, names, days);
	}
	free(cls);
	free(zk);
	strmap_free(names);
}

/* account_is_bad - whether a zombie misbehaves on day (1-based) */
static bool
account_is_bad(const struct account *a, int day)
{
	if (a->cls != CLASS_ZOMBIE)
		return false;
	switch (a->zombie) {
	case ZK_STOLEN:
	case ZK_TURNS_BAD:
		return day >= a->bad_from_day;
	default:
		/* Infected before the logs begin: the warm-up day too. */
		return true;
	}
}

/* contact_address - the j-th entry of a subscriber's address book */
static uint32_t
contact_address(const struct account *a, const struct domain_table *dt,
    uint64_t seed, uint32_t j, char *buf, size_t len, bool *dead)
{
	uint64_t	h = hash4(seed, STREAM_CONTACT, a->index, j);
	uint32_t	d;
	char		local[64];

	d = domain_by_weight(dt, (double)(h >> 11) * 0x1.0p-53);
	name_local(local, sizeof(local), mix64(h));
	(void)snprintf(buf, len, "%s@%s", local, dt->d[d].name);
	if (dead != NULL)
		*dead = (double)(mix64(h ^ 0xdeadULL) >> 11) * 0x1.0p-53 <
		    a->dead_frac;
	return d;
}

/* ------------------------------------------------------------------ */
/* The traffic model							*/
/* ------------------------------------------------------------------ */

enum session_type {
	ST_MAIL,		/* ordinary mail to contacts */
	ST_BURST,		/* home_bursty: many contacts at once */
	ST_BULK,		/* bulk_sender: a slice of the list */
	ST_DEVICE,		/* device notification */
	ST_STALE_AUTH,		/* device with an old password */
	ST_MOBILE,		/* ordinary mail from a mobile network */
	ST_SPAM,		/* zombie spam run from the home address */
	ST_GUESS,		/* password guessing from outside */
	ST_STOLEN_SPAM,		/* spam with stolen credentials */
	ST_NOAUTH,		/* misconfigured client: port 25, no AUTH */
	ST_MIDNIGHT,		/* ordinary message sent across midnight */
	ST_NOISE		/* relay-local noise (struct noise_event) */
};

/* Final outcome of one recipient. */
enum fate {
	FATE_SENT,
	FATE_UNKNOWN_USER,	/* 5.1.1 */
	FATE_MAILBOX_FULL,	/* 5.2.2 */
	FATE_BLOCKLIST,		/* 5.7.1: relay address listed */
	FATE_SPAM,		/* 5.7.1: content refused */
	FATE_POLICY,		/* 5.7.x: provider's reputation policy */
	FATE_NO_DOMAIN,		/* 5.4.4: domain does not exist */
	FATE_STILL_DEFERRED	/* no final outcome inside the window */
};

/* Why a delivery attempt was deferred. */
enum defer_kind {
	DEFER_NONE,
	DEFER_GREYLIST,		/* 450 4.2.0 greylisted */
	DEFER_RATE,		/* 421 4.7.0 rate limited */
	DEFER_TIMEOUT		/* connect timed out */
};

/* Refusals by the ISP's own relay at RCPT time. */
enum relay_reject {
	RR_NONE,
	RR_RELAY_DENIED,	/* not authenticated, not authorised */
	RR_SENDER_DOMAIN,	/* reject_unknown_sender_domain */
	RR_RATE_LIMIT,		/* policy service: too many recipients */
	RR_LOGIN_MISMATCH,	/* sender not owned by the SASL user */
	RR_UNKNOWN_LOCAL,	/* inbound: no such local mailbox */
	RR_BLOCKLIST		/* inbound: client listed in a DNSBL */
};

/* SMTP stage the remote reply came in. */
enum smtp_stage {
	STAGE_MAIL,
	STAGE_RCPT,
	STAGE_DATA
};

struct rcpt {
	char		*addr;
	uint32_t	 domain;
	uint32_t	 group;		/* index into message groups */
	int64_t		 t_rcpt;	/* RCPT TO command */
	uint64_t	 token;		/* random IDs in replies */
	uint8_t		 reject;	/* enum relay_reject */
	uint8_t		 fate;		/* enum fate */
	uint8_t		 stage;		/* enum smtp_stage of the reply */
	uint8_t		 final_round;
	uint8_t		 defer[MAX_ROUNDS]; /* per earlier round */
	bool		 dead;		/* the mailbox does not exist */
};

/* Recipients of one domain: delivered together in each round. */
struct group {
	uint32_t	 domain;
	uint8_t		 mx_variant;
	bool		 reused[MAX_ROUNDS];	/* cached connection */
	int64_t		 t_handoff[MAX_ROUNDS];
	uint32_t	 conn_us[MAX_ROUNDS];
	uint32_t	 xfer_us[MAX_ROUNDS];
	uint64_t	 token;
};

/* A non-delivery notice the relay sends back to the sender. */
struct ndr {
	bool		 present;
	int64_t		 t;		/* created */
	int64_t		 t_done;	/* delivered or refused */
	uint32_t	 size;
	uint32_t	 conn_us;
	uint32_t	 xfer_us;
	uint8_t		 fate;
	uint8_t		 mx_variant;
	uint32_t	 domain;	/* sender's domain */
	uint64_t	 token;
};

struct message {
	int64_t		 t_mail;	/* MAIL FROM */
	int64_t		 t_queued;	/* end of DATA */
	int64_t		 t_round[MAX_ROUNDS];
	uint8_t		 nrounds;
	char		*sender;	/* "" for the null sender */
	char		*msgid;		/* NULL: the client sent none */
	uint32_t	 size;
	struct rcpt	*rcpts;
	uint32_t	 nrcpt;		/* RCPT commands, refused included */
	uint32_t	 naccepted;
	struct group	*groups;
	uint32_t	 ngroups;
	bool		 content_reject; /* relay's filter refused the DATA */
	bool		 sender_exists;	 /* the sender address is real */
	uint32_t	 sender_domain;	 /* UINT32_MAX: not in the table */
	struct ndr	 ndr[MAX_ROUNDS];
	uint64_t	 token;
};

struct session {
	const struct account *acct;	/* NULL: noise */
	uint8_t		 type;
	uint8_t		 relay;
	uint16_t	 port;		/* 25, 587, 465 */
	uint16_t	 client_port;
	bool		 tls;
	bool		 authenticated;
	bool		 sasl_login;	/* LOGIN mechanism, else PLAIN */
	bool		 quit;		/* QUIT, else the client just left */
	bool		 bot;		/* a spam engine is the client */
	bool		 inbound;	/* to mailboxes hosted here */
	const char	*sasl_user;	/* when authenticated */
	const char	*fail_user;	/* username of the failed attempts */
	const char	*client_ip;
	const char	*client_name;	/* "unknown" without reverse DNS */
	const char	*helo;
	int64_t		 t_connect;
	int64_t		 t_auth;	/* successful AUTH */
	int64_t		 t_disconnect;
	int64_t		*t_auth_fail;
	uint32_t	 nauth_fail;
	struct message	*msgs;
	uint32_t	 nmsgs;
	uint64_t	 token;
};

/* How likely each remote outcome is for a sender. */
struct outcome_params {
	double		p_unknown;	/* extra dead recipients */
	double		p_block;	/* group: refused for reputation */
	double		p_rate;		/* group: rate-limit deferral */
	double		p_grey;		/* recipient: greylisting */
	double		p_timeout;	/* group: connection timeout */
	double		p_full;		/* recipient: mailbox full */
	double		p_reuse;	/* cached SMTP connection */
};

static const struct outcome_params normal_outcomes = {
	0.0, 0.002, 0.004, 0.03, 0.003, 0.002, 0.15
};

/* Plan entry: one session to build and write. */
struct plan {
	int64_t		 t_us;
	uint32_t	 acct;		/* account index, or relay for noise */
	uint32_t	 seq;		/* session number within the day */
	uint32_t	 arg;		/* type-specific */
	uint16_t	 day;		/* 0 = warm-up day before the start */
	uint8_t		 type;
	uint8_t		 noise_kind;
};

struct plan_vec {
	struct plan	*v;
	size_t		 n;
	size_t		 cap;
};

/* plan_add - append a plan entry */
static void
plan_add(struct plan_vec *pv, int64_t t, uint32_t acct, uint32_t seq,
    uint32_t arg, int day, uint8_t type)
{
	struct plan *p;

	if (pv->n == pv->cap) {
		pv->cap = pv->cap ? pv->cap * 2 : 4096;
		pv->v = xreallocarray(pv->v, pv->cap, sizeof(*pv->v));
	}
	p = &pv->v[pv->n++];
	p->t_us = t;
	p->acct = acct;
	p->seq = seq;
	p->arg = arg;
	p->day = (uint16_t)day;
	p->type = type;
	p->noise_kind = 0;
}

/* plan_cmp - order by time, then account and session: a total order */
static int
plan_cmp(const void *a, const void *b)
{
	const struct plan *x = a, *y = b;

	if (x->t_us != y->t_us)
		return x->t_us < y->t_us ? -1 : 1;
	if (x->type == ST_NOISE && y->type != ST_NOISE)
		return 1;
	if (x->type != ST_NOISE && y->type == ST_NOISE)
		return -1;
	if (x->acct != y->acct)
		return x->acct < y->acct ? -1 : 1;
	if (x->seq != y->seq)
		return x->seq < y->seq ? -1 : 1;
	return 0;
}

/*
 * Hourly shares of a home subscriber's mail (local time): quiet at
 * night, a morning rise, steady office hours and an evening peak.
 */
static const double home_curve[24] = {
	0.4, 0.2, 0.1, 0.05, 0.05, 0.1, 0.5, 1.5, 3.0, 4.0, 4.5, 4.5,
	4.0, 4.0, 4.0, 4.0, 4.0, 4.2, 4.5, 5.0, 5.5, 5.0, 3.0, 1.5
};

/* curve_time - a time of day in microseconds following an hourly curve */
static int64_t
curve_time(struct rng *r, const double curve[24])
{
	double	total = 0, x;
	int	h;

	for (h = 0; h < 24; h++)
		total += curve[h];
	x = rng_unit(r) * total;
	for (h = 0; h < 23; h++) {
		if (x < curve[h])
			break;
		x -= curve[h];
	}
	return (int64_t)h * HOUR_US + (int64_t)(rng_unit(r) * HOUR_US);
}

/* any_time - uniform time of day */
static int64_t
any_time(struct rng *r)
{
	return (int64_t)(rng_unit(r) * DAY_US);
}

/* day_start_us - midnight starting 1-based day d (0 = warm-up day) */
static int64_t
day_start_us(const struct config *cfg, int d)
{
	return (cfg->start_day + d - 1) * DAY_US;
}

/* weekday_of - 0 = Monday for a day number since the epoch */
static int
weekday_of(int64_t day)
{
	/* 1970-01-01 was a Thursday. */
	return (int)(((day % 7) + 7 + 3) % 7);
}

/* plan_ordinary - a subscriber's everyday mail for one day */
static void
plan_ordinary(struct plan_vec *pv, const struct account *a, struct rng *r,
    int64_t t0, int day, uint32_t *seq, double factor, uint8_t type)
{
	uint32_t n = rng_poisson(r, a->rate * factor), i;

	for (i = 0; i < n; i++)
		plan_add(pv, t0 + curve_time(r, home_curve), a->index,
		    (*seq)++, 0, day, type);
}

/* plan_spam_runs - zombie spam sessions: background and bursts */
static void
plan_spam_runs(struct plan_vec *pv, const struct account *a, struct rng *r,
    int64_t from, int64_t to, int day, uint32_t *seq, double volume,
    uint32_t max_per_session, double burst_share, uint8_t type)
{
	int64_t	 bstart[8], blen[8];
	uint32_t nb, total, sent = 0, b;

	if (to <= from)
		return;
	total = rng_poisson(r, volume);
	nb = (uint32_t)rng_range(r, 3, 8);
	for (b = 0; b < nb; b++) {
		blen[b] = rng_range(r, 20, 90) * MINUTE_US;
		if (blen[b] > to - from)
			blen[b] = to - from;
		bstart[b] = from + (int64_t)(rng_unit(r) *
		    (double)(to - from - blen[b]));
	}
	while (sent < total) {
		uint32_t k = (uint32_t)rng_range(r, 1, max_per_session);
		int64_t	 t;

		if (k > total - sent)
			k = total - sent;
		if (rng_chance(r, burst_share)) {
			b = rng_below(r, nb);
			t = bstart[b] + (int64_t)(rng_unit(r) *
			    (double)blen[b]);
		} else
			t = from + (int64_t)(rng_unit(r) * (double)(to - from));
		plan_add(pv, t, a->index, (*seq)++, k, day, type);
		sent += k;
	}
}

/* plan_account_day - every session of subscriber a on day */
static void
plan_account_day(struct plan_vec *pv, const struct config *cfg,
    const struct account *a, int day)
{
	struct rng	r;
	int64_t		t0 = day_start_us(cfg, day);
	uint32_t	seq = 0, i, n;
	int		wd = weekday_of(cfg->start_day + day - 1);
	double		factor = wd >= 5 ? 0.8 : 1.0;
	bool		bad = account_is_bad(a, day);

	rng_init(&r, cfg->seed, STREAM_PLAN, a->index, (uint64_t)day);
	switch (a->cls) {
	case CLASS_HOME:
		plan_ordinary(pv, a, &r, t0, day, &seq, factor, ST_MAIL);
		break;
	case CLASS_BURSTY:
		plan_ordinary(pv, a, &r, t0, day, &seq, factor, ST_MAIL);
		if (rng_chance(&r, a->burst_prob))
			plan_add(pv, t0 + curve_time(&r, home_curve),
			    a->index, seq++, 0, day, ST_BURST);
		break;
	case CLASS_BULK: {
		/* One campaign a day to the whole list, in sessions of up
		   to 20 messages, paced like list software does. */
		uint32_t msgs = (a->contacts + a->batch - 1) / a->batch;
		int64_t	 t = t0 + a->campaign_hour * HOUR_US +
		    rng_range(&r, 0, 50) * MINUTE_US;

		for (i = 0; i < msgs; i += 20) {
			plan_add(pv, t, a->index, seq++, i, day, ST_BULK);
			t += rng_range(&r, 30, 150) * USEC;
		}
		n = rng_poisson(&r, 1.5);
		for (i = 0; i < n; i++)
			plan_add(pv, t0 + curve_time(&r, home_curve),
			    a->index, seq++, 0, day, ST_MAIL);
		break;
	}
	case CLASS_DEVICE:
		n = rng_poisson(&r, a->rate);
		for (i = 0; i < n; i++)
			plan_add(pv, t0 + any_time(&r), a->index, seq++, 0,
			    day, ST_DEVICE);
		break;
	case CLASS_STALE: {
		/* A phone or tablet that retries its old password on a
		   schedule, all day long. */
		int64_t	 step;

		plan_ordinary(pv, a, &r, t0, day, &seq, factor, ST_MAIL);
		n = (uint32_t)((double)a->auth_fail_per_day *
		    rng_uniform(&r, 0.7, 1.3));
		if (n == 0)
			n = 1;
		step = DAY_US / n;
		for (i = 0; i < n; i++)
			plan_add(pv, t0 + (int64_t)i * step +
			    rng_range(&r, 0, step / 2), a->index, seq++, 0,
			    day, ST_STALE_AUTH);
		break;
	}
	case CLASS_MOBILE: {
		uint32_t nip = (uint32_t)rng_range(&r, 1, 3);

		n = rng_poisson(&r, a->rate * factor);
		for (i = 0; i < n; i++) {
			int64_t	 t = t0 + curve_time(&r, home_curve);
			uint32_t slot = rng_below(&r, nip);

			plan_add(pv, t, a->index, seq++, slot, day, ST_MOBILE);
		}
		break;
	}
	case CLASS_ZOMBIE:
		switch (a->zombie) {
		case ZK_BLASTER:
			plan_spam_runs(pv, a, &r, t0, t0 + DAY_US, day, &seq,
			    a->spam_per_day, 12, 0.6, ST_SPAM);
			break;
		case ZK_LOW_SLOW:
			/* Steady: one message at a time around the clock. */
			plan_spam_runs(pv, a, &r, t0, t0 + DAY_US, day, &seq,
			    a->spam_per_day, 1, 0.0, ST_SPAM);
			break;
		case ZK_MIXED:
			plan_ordinary(pv, a, &r, t0, day, &seq, factor,
			    ST_MAIL);
			plan_spam_runs(pv, a, &r, t0, t0 + DAY_US, day, &seq,
			    a->spam_per_day, 5, 0.3, ST_SPAM);
			break;
		case ZK_TURNS_BAD:
			plan_ordinary(pv, a, &r, t0, day, &seq, factor,
			    ST_MAIL);
			if (bad)
				plan_spam_runs(pv, a, &r, t0, t0 + DAY_US,
				    day, &seq, a->spam_per_day, 12, 0.6,
				    ST_SPAM);
			break;
		case ZK_STOLEN: {
			int64_t	 from = t0, g, gend;
			uint32_t fails, nslot = 0;

			plan_ordinary(pv, a, &r, t0, day, &seq, factor,
			    ST_MAIL);
			if (!bad)
				break;
			if (day == a->bad_from_day) {
				/* Guessing first, from a handful of hosts,
				   until the password is found. */
				g = t0 + rng_range(&r, 0, 8) * HOUR_US;
				gend = g + rng_range(&r, 2, 6) * HOUR_US;
				fails = (uint32_t)((double)
				    a->auth_fail_per_day *
				    rng_uniform(&r, 0.8, 1.2));
				while (fails > 0) {
					uint32_t k = (uint32_t)rng_range(&r, 1,
					    5);

					if (k > fails)
						k = fails;
					plan_add(pv, g + (int64_t)
					    (rng_unit(&r) * (double)(gend - g)),
					    a->index,
					    seq++, k | (nslot++ % 12) << 8,
					    day, ST_GUESS);
					fails -= k;
				}
				from = gend + rng_range(&r, 5, 60) * MINUTE_US;
			} else {
				/* Later days: a little more guessing. */
				n = (uint32_t)rng_range(&r, 0, 6);
				for (i = 0; i < n; i++) {
					int64_t	t = t0 + any_time(&r);
					uint32_t k = (uint32_t)rng_range(&r, 1,
					    3);

					plan_add(pv, t, a->index, seq++,
					    k | (i << 8), day, ST_GUESS);
				}
			}
			plan_spam_runs(pv, a, &r, from, t0 + DAY_US, day,
			    &seq, a->spam_per_day * (double)(t0 + DAY_US -
			    from) / (double)DAY_US, 30, 0.5, ST_STOLEN_SPAM);
			break;
		}
		default:
			break;
		}
		break;
	default:
		break;
	}
	/* Now and then a subscriber tries port 25 without logging in. */
	if (a->kind == KIND_SASL && a->cls != CLASS_ZOMBIE &&
	    rng_chance(&r, 0.004))
		plan_add(pv, t0 + curve_time(&r, home_curve), a->index, seq++,
		    0, day, ST_NOAUTH);
}

/* Everything a session builder reads. */
struct model {
	const struct config	  *cfg;
	const struct domain_table *dt;
	const struct population	  *pop;
	struct arena		  *ar;
};

/* external_client - an address outside the ISP and its reverse name */
static void
external_client(uint64_t h, bool mobile, char *ip, size_t iplen,
    char *name, size_t namelen)
{
	uint32_t roll = (uint32_t)(h % 10);
	uint32_t v4;

	if (roll < 2) {
		unsigned char b[16] = { 0x20, 0x01, 0x0d, 0xb8, 0xff, 0xff,
		    0x00, 0x02 };
		uint64_t iid = mix64(h);
		int i;

		for (i = 0; i < 8; i++)
			b[8 + i] = (unsigned char)(iid >> (56 - 8 * i));
		ip6_text(b, ip, iplen);
		(void)snprintf(name, namelen, "unknown");
		return;
	}
	if (roll < 7)
		v4 = IP4(203, 0, 113, 1 + (uint32_t)((h >> 8) % 254));
	else
		v4 = IP4(192, 0, 2, 80 + (uint32_t)((h >> 8) % 175));
	ip4_text(v4, ip, iplen);
	if (((h >> 20) % 10) < (mobile ? 5u : 7u))
		(void)snprintf(name, namelen, "unknown");
	else if (mobile)
		(void)snprintf(name, namelen,
		    "ip-%u-%u-%u-%u.mobile.carrier.example", v4 >> 24,
		    (v4 >> 16) & 255, (v4 >> 8) & 255, v4 & 255);
	else
		(void)snprintf(name, namelen, "vps-%u-%u.cloudhost.example.com",
		    (v4 >> 8) & 255, v4 & 255);
}

/* session_external - point a session's client at an outside host */
static void
session_external(struct model *m, struct session *s, uint64_t h,
    bool mobile)
{
	char	ip[48], name[96];

	external_client(h, mobile, ip, sizeof(ip), name, sizeof(name));
	s->client_ip = arena_strdup(m->ar, ip);
	s->client_name = arena_strdup(m->ar, name);
}

/* bot_helo - the kind of EHLO name spam engines send */
static const char *
bot_helo(struct model *m, struct rng *r, const char *ip)
{
	char	buf[64];
	bool	v6 = strchr(ip, ':') != NULL;
	uint32_t roll = rng_below(r, 10);

	if (roll < 4)
		(void)snprintf(buf, sizeof(buf), v6 ? "[IPv6:%s]" : "%s", ip);
	else if (roll < 5)
		(void)snprintf(buf, sizeof(buf), v6 ? "[IPv6:%s]" : "[%s]", ip);
	else if (roll < 8)
		junk_label(buf, sizeof(buf), r, 5, 10);
	else if (roll < 9) {
		char a[16], b[16];

		junk_label(a, sizeof(a), r, 4, 8);
		junk_label(b, sizeof(b), r, 3, 5);
		(void)snprintf(buf, sizeof(buf), "%s.%s", a, b);
	} else {
		size_t i, n = strlen(windows_host_chars);

		(void)snprintf(buf, sizeof(buf), "WIN-");
		for (i = 4; i < 15; i++)
			buf[i] = windows_host_chars[rng_below(r, (uint32_t)n)];
		buf[15] = '\0';
	}
	return arena_strdup(m->ar, buf);
}

/* hexstr - n random hex digits */
static void
hexstr(struct rng *r, char *buf, int n, bool upper)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	int	i;

	for (i = 0; i < n; i++)
		buf[i] = digits[rng_below(r, 16)];
	buf[n] = '\0';
}

/* uuid_text - a random version-4 UUID */
static void
uuid_text(struct rng *r, char *buf, bool upper)
{
	char	h[33];

	hexstr(r, h, 32, upper);
	h[12] = '4';
	(void)snprintf(buf, 40, "%.8s-%.4s-%.4s-%.4s-%.12s", h, h + 8, h + 12,
	    h + 16, h + 20);
}

/* domain_part - what follows the '@' */
static const char *
domain_part(const char *addr)
{
	const char *at = strrchr(addr, '@');

	return at != NULL ? at + 1 : addr;
}

/* mua_msgid - a Message-ID the way a mail program writes it */
static char *
mua_msgid(struct model *m, struct rng *r, const struct account *a,
    int64_t t, const char *sender)
{
	char	 u[40], h1[24], h2[16], h3[16];
	struct tm tm;

	switch (a->mua) {
	case MUA_OUTLOOK:
		hexstr(r, h1, 12, false);
		hexstr(r, h2, 8, false);
		hexstr(r, h3, 8, false);
		return arena_printf(m->ar, "%s$%s$%s$@%s", h1, h2, h3,
		    domain_part(sender));
	case MUA_THUNDERBIRD:
		uuid_text(r, u, false);
		return arena_printf(m->ar, "%s@%s", u, domain_part(sender));
	case MUA_APPLE:
		uuid_text(r, u, true);
		return arena_printf(m->ar, "%s@%s", u, domain_part(sender));
	case MUA_ANDROID:
		hexstr(r, h1, 10, false);
		return arena_printf(m->ar, "%" PRId64
		    ".%s@android-mail.example", t / 1000, h1);
	case MUA_DEVICE:
		civil_of(t / USEC, &tm);
		return arena_printf(m->ar, "%04d%02d%02d%02d%02d%02d.%u@%s",
		    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		    tm.tm_min, tm.tm_sec, (unsigned)rng_below(r, 100000),
		    a->helo);
	default:
		hexstr(r, h1, 16, false);
		return arena_printf(m->ar, "%s.%u@%s", h1,
		    (unsigned)rng_below(r, 1000000), domain_part(sender));
	}
}

/* bot_msgid - what spam engines put in Message-ID, or nothing */
static char *
bot_msgid(struct model *m, struct rng *r, const char *sender)
{
	char	h1[32], h2[16];
	uint32_t roll = rng_below(r, 10);

	if (roll < 4)
		return NULL;
	if (roll < 7) {
		junk_label(h1, sizeof(h1), r, 12, 24);
		return arena_printf(m->ar, "%s@%s", h1, domain_part(sender));
	}
	hexstr(r, h1, 8, true);
	hexstr(r, h2, 8, true);
	return arena_printf(m->ar, "%s.%s@%s", h1, h2, domain_part(sender));
}

/* forged_sender - a made-up envelope sender; sets its domain */
static char *
forged_sender(struct model *m, struct rng *r, uint32_t *domain,
    bool *exists)
{
	char	local[64];
	uint32_t roll = rng_below(r, 20), d;

	junk_local(local, sizeof(local), r);
	if (roll < 9)
		d = m->dt->nfree + rng_below(r, m->dt->nlive - m->dt->nfree);
	else if (roll < 15)
		d = domain_by_weight(m->dt, rng_unit(r));
	else if (roll < 18)
		d = rng_below(r, m->dt->nfree);
	else
		d = domain_dead(m->dt, r);
	*domain = d;
	*exists = false;
	return arena_printf(m->ar, "%s@%s", local, m->dt->d[d].name);
}

/* random_recipient - an address from a spammer's list */
static void
random_recipient(struct model *m, struct rng *r, struct rcpt *rc,
    double p_unknown)
{
	char	local[64];
	uint32_t roll = rng_below(r, 100);

	if (roll < 45)
		rc->domain = domain_by_weight(m->dt, rng_unit(r));
	else if (roll < 97)
		rc->domain = domain_uniform_live(m->dt, r);
	else
		rc->domain = domain_dead(m->dt, r);
	junk_local(local, sizeof(local), r);
	rc->addr = arena_printf(m->ar, "%s@%s", local,
	    m->dt->d[rc->domain].name);
	rc->dead = rng_chance(r, p_unknown);
}

/* contact_recipient - the j-th contact of a, as a recipient */
static void
contact_recipient(struct model *m, const struct account *a, uint32_t j,
    struct rcpt *rc)
{
	char	buf[128];

	rc->domain = contact_address(a, m->dt, m->cfg->seed, j, buf,
	    sizeof(buf), &rc->dead);
	rc->addr = arena_strdup(m->ar, buf);
}

/* fresh_recipient - somebody not in the address book yet */
static void
fresh_recipient(struct model *m, struct rng *r, struct rcpt *rc)
{
	char	local[64];

	rc->domain = domain_by_weight(m->dt, rng_unit(r));
	name_local(local, sizeof(local), rng_next(r));
	rc->addr = arena_printf(m->ar, "%s@%s", local,
	    m->dt->d[rc->domain].name);
	/* Typing errors and abandoned mailboxes. */
	rc->dead = rng_chance(r, 0.03);
}

/* new_message - the i-th message slot of a session, with n recipients */
static struct message *
new_message(struct model *m, struct session *s, uint32_t nrcpt)
{
	struct message *msg = &s->msgs[s->nmsgs++];

	msg->rcpts = arena_alloc(m->ar, nrcpt * sizeof(*msg->rcpts));
	msg->nrcpt = nrcpt;
	msg->sender_domain = UINT32_MAX;
	msg->sender_exists = true;
	return msg;
}

/*
 * queued_size - the size of a message as the relay queued it: the
 * client's bytes plus the Received: header (and Message-ID: when the
 * client sent none) the relay adds.  Every writer logs this one number
 * (Postfix qmgr size=, Exim S=, Sendmail size=), so one seed gives the
 * same sizes whatever the format; only the model decides it.
 */
static uint32_t
queued_size(const struct message *msg)
{
	return msg->size + 640 + (uint32_t)(msg->token % 300) +
	    (msg->msgid == NULL ? 60 : 0);
}

/* retry_backoff - wait before delivery round k (Postfix-like doubling) */
static int64_t
retry_backoff(struct rng *r, int k)
{
	static const int64_t base[MAX_ROUNDS] = { 0, 300, 600, 1200, 2400,
	    4000 };

	return base[k] * USEC + rng_range(r, 0, 300) * USEC;
}

/* bounce_fate - a group-level refusal of an ill-reputed sender */
static uint8_t
bounce_fate(struct rng *r, uint8_t *stage, const struct domain *d)
{
	uint32_t roll = rng_below(r, 100);

	if (roll < 55) {
		*stage = d->style == STYLE_OUTLOOK ? STAGE_MAIL : STAGE_RCPT;
		return FATE_BLOCKLIST;
	}
	if (roll < 85) {
		*stage = STAGE_DATA;
		return FATE_SPAM;
	}
	*stage = d->style == STYLE_YAHOO ? STAGE_DATA : STAGE_MAIL;
	return FATE_POLICY;
}

/*
 * drop_repeated - keep the first of recipients drawn twice for one
 * message (a spam list's "info@", two picks of one contact).  No MTA
 * keeps a repeated address: Postfix's cleanup, Exim and Sendmail's
 * recipient() each deliver it once, and Sendmail counts it once in
 * nrcpts=.  Drawing is not repeated, so the random streams stay as
 * they were.
 */
static void
drop_repeated(struct message *msg)
{
	uint32_t i, j, n = 0;

	for (i = 0; i < msg->nrcpt; i++) {
		for (j = 0; j < n; j++)
			if (strcasecmp(msg->rcpts[j].addr,
			    msg->rcpts[i].addr) == 0)
				break;
		if (j == n)
			msg->rcpts[n++] = msg->rcpts[i];
	}
	msg->nrcpt = n;
}

/*
 * message_finish - time a message's SMTP dialogue from t and decide,
 * round by round, what every accepted recipient's delivery attempt
 * gives.  Returns the time the client is done with the message.
 */
static int64_t
message_finish(struct model *m, struct message *msg, struct rng *r,
    int64_t t, const struct outcome_params *op)
{
	const struct domain_table *dt = m->dt;
	uint32_t	 i, g, pending;
	int		 k;
	double		 bw;

	drop_repeated(msg);
	msg->t_mail = t;
	msg->token = rng_next(r);
	for (i = 0; i < msg->nrcpt; i++) {
		t += rng_range(r, 5000, 120000);
		msg->rcpts[i].t_rcpt = t;
		msg->rcpts[i].token = rng_next(r);
		if (msg->rcpts[i].reject == RR_NONE)
			msg->naccepted++;
	}
	if (msg->naccepted == 0) {
		msg->t_queued = t;
		return t + rng_range(r, 10000, 200000);
	}
	/* DATA over a home uplink of 2-40 Mbit/s. */
	bw = rng_uniform(r, 2e6, 40e6);
	t += 20000 + (int64_t)((double)msg->size * 8.0 / bw * USEC);
	msg->t_queued = t;
	if (msg->content_reject)
		return t + rng_range(r, 5000, 100000);

	/* Group accepted recipients by domain. */
	msg->groups = arena_alloc(m->ar, msg->naccepted * sizeof(*msg->groups));
	for (i = 0; i < msg->nrcpt; i++) {
		struct rcpt *rc = &msg->rcpts[i];

		if (rc->reject != RR_NONE)
			continue;
		for (g = 0; g < msg->ngroups; g++)
			if (msg->groups[g].domain == rc->domain)
				break;
		if (g == msg->ngroups) {
			msg->groups[g].domain = rc->domain;
			msg->groups[g].mx_variant = (uint8_t)rng_below(r, 4);
			msg->groups[g].token = rng_next(r);
			msg->ngroups++;
		}
		rc->group = g;
		rc->final_round = MAX_ROUNDS;
	}

	pending = msg->naccepted;
	msg->t_round[0] = msg->t_queued + rng_range(r, 3000, 60000);
	for (k = 0; k < MAX_ROUNDS && pending > 0; k++) {
		int64_t	 last_bounce = 0;
		bool	 bounced = false;

		if (k > 0)
			msg->t_round[k] = msg->t_round[k - 1] +
			    retry_backoff(r, k);
		msg->nrounds = (uint8_t)(k + 1);
		for (g = 0; g < msg->ngroups; g++) {
			struct group *gr = &msg->groups[g];
			const struct domain *d = &dt->d[gr->domain];
			uint8_t	 ev_fate = FATE_SENT, ev_stage = STAGE_RCPT;
			uint8_t	 ev_defer = DEFER_NONE;
			uint32_t npend = 0;
			int64_t	 done;

			for (i = 0; i < msg->nrcpt; i++)
				if (msg->rcpts[i].reject == RR_NONE &&
				    msg->rcpts[i].group == g &&
				    msg->rcpts[i].final_round == MAX_ROUNDS)
					npend++;
			if (npend == 0)
				continue;
			gr->t_handoff[k] = msg->t_round[k] +
			    (int64_t)g * rng_range(r, 1000, 15000);
			gr->reused[k] = !d->nonexistent &&
			    rng_chance(r, op->p_reuse);
			gr->conn_us[k] = gr->reused[k] ? 0 :
			    (uint32_t)rng_range(r, 30000, 900000);
			gr->xfer_us[k] = (uint32_t)(40000 + 15000 * npend +
			    (uint64_t)msg->size * USEC / 1250000 +
			    (uint64_t)rng_range(r, 0, 300000));
			if (d->nonexistent) {
				/* No MX, no A: refused before connecting. */
				gr->conn_us[k] = 0;
				gr->xfer_us[k] = (uint32_t)rng_range(r, 5000,
				    80000);
				ev_fate = FATE_NO_DOMAIN;
			} else if (k == 0 && rng_chance(r, op->p_block)) {
				ev_fate = bounce_fate(r, &ev_stage, d);
			} else if (rng_chance(r, op->p_rate *
			    (d->freemail ? 2.0 : 0.5) / (1 << k))) {
				ev_defer = DEFER_RATE;
			} else if (rng_chance(r, op->p_timeout / (1 << k))) {
				ev_defer = DEFER_TIMEOUT;
				gr->conn_us[k] = 30 * USEC;
				gr->xfer_us[k] = 0;
			}
			done = gr->t_handoff[k] + gr->conn_us[k] +
			    gr->xfer_us[k];
			for (i = 0; i < msg->nrcpt; i++) {
				struct rcpt *rc = &msg->rcpts[i];

				if (rc->reject != RR_NONE || rc->group != g ||
				    rc->final_round != MAX_ROUNDS)
					continue;
				if (ev_fate != FATE_SENT) {
					rc->fate = ev_fate;
					rc->stage = ev_stage;
				} else if (ev_defer != DEFER_NONE) {
					rc->defer[k] = ev_defer;
					if (k == MAX_ROUNDS - 1)
						rc->fate = FATE_STILL_DEFERRED;
					else
						continue;
				} else if (rc->dead) {
					rc->fate = FATE_UNKNOWN_USER;
					rc->stage = d->style == STYLE_YAHOO ?
					    STAGE_DATA : STAGE_RCPT;
				} else if (k == 0 && !d->freemail &&
				    rng_chance(r, op->p_grey)) {
					rc->defer[k] = DEFER_GREYLIST;
					continue;
				} else if (rng_chance(r, op->p_full)) {
					rc->fate = FATE_MAILBOX_FULL;
					rc->stage = STAGE_RCPT;
				} else
					rc->fate = FATE_SENT;
				rc->final_round = (uint8_t)k;
				pending--;
				if (rc->fate != FATE_SENT &&
				    rc->fate != FATE_STILL_DEFERRED) {
					bounced = true;
					if (done > last_bounce)
						last_bounce = done;
				}
			}
		}
		if (bounced && msg->sender[0] != '\0') {
			struct ndr *n = &msg->ndr[k];
			const struct domain *sd;

			n->present = true;
			n->t = last_bounce + rng_range(r, 5000, 80000);
			n->size = 2600 + (msg->size < 50000 ? msg->size :
			    50000) + (uint32_t)rng_range(r, 0, 400);
			n->domain = msg->sender_domain != UINT32_MAX ?
			    msg->sender_domain : dt->isp;
			n->token = rng_next(r);
			n->mx_variant = (uint8_t)rng_below(r, 4);
			n->conn_us = (uint32_t)rng_range(r, 20000, 600000);
			n->xfer_us = (uint32_t)rng_range(r, 30000, 300000);
			sd = &dt->d[n->domain];
			if (sd->nonexistent) {
				n->fate = FATE_NO_DOMAIN;
				n->conn_us = 0;
			} else if (!msg->sender_exists)
				n->fate = rng_chance(r, 0.85) ?
				    FATE_UNKNOWN_USER : FATE_SENT;
			else
				n->fate = FATE_SENT;
			n->t_done = n->t + rng_range(r, 20000, 60000) +
			    n->conn_us + n->xfer_us;
		}
	}
	return msg->t_queued + rng_range(r, 5000, 100000);
}

/* session_auth_failures - n failed AUTH attempts from t; returns time */
static int64_t
session_auth_failures(struct model *m, struct session *s, struct rng *r,
    uint32_t n, int64_t t)
{
	uint32_t i;

	s->nauth_fail = n;
	s->t_auth_fail = arena_alloc(m->ar, (n ? n : 1) * sizeof(int64_t));
	for (i = 0; i < n; i++) {
		t += rng_range(r, 300000, 3 * USEC);
		s->t_auth_fail[i] = t;
	}
	return t;
}

/* pick_rcpt_count - recipients of an ordinary message */
static uint32_t
pick_rcpt_count(struct rng *r)
{
	uint32_t roll = rng_below(r, 100);

	if (roll < 65)
		return 1;
	if (roll < 90)
		return (uint32_t)rng_range(r, 2, 3);
	return (uint32_t)rng_range(r, 4, 8);
}

/* ordinary_message - a subscriber's own message to people it knows */
static int64_t
ordinary_message(struct model *m, struct session *s, struct rng *r,
    const struct account *a, int64_t t, uint32_t nrcpt, uint32_t size,
    bool all_contacts)
{
	struct message *msg = new_message(m, s, nrcpt);
	uint32_t i, start = rng_below(r, a->contacts);

	msg->sender = arena_strdup(m->ar, a->email);
	msg->sender_domain = m->dt->isp;
	if (strcmp(domain_part(a->email), ISP_DOMAIN) != 0)
		msg->sender_domain = UINT32_MAX;
	msg->msgid = mua_msgid(m, r, a, t, a->email);
	msg->size = size;
	for (i = 0; i < nrcpt; i++) {
		struct rcpt *rc = &msg->rcpts[i];

		if (all_contacts)
			contact_recipient(m, a, (start + i) % a->contacts, rc);
		else if (rng_chance(r, 0.8))
			contact_recipient(m, a, rng_below(r, a->contacts), rc);
		else
			fresh_recipient(m, r, rc);
		if (s->type == ST_NOAUTH)
			rc->reject = RR_RELAY_DENIED;
	}
	return message_finish(m, msg, r, t, &normal_outcomes);
}

/* ordinary_size - bytes of a personal message: text, sometimes files */
static uint32_t
ordinary_size(struct rng *r)
{
	double	size = rng_lognormal(r, 9000, 1.1);

	if (rng_chance(r, 0.08))
		size += rng_uniform(r, 2e5, 8e6);
	if (size < 600)
		size = 600;
	if (size > 10000000)
		size = 10000000;
	return (uint32_t)size;
}

/* spam_message - one message of a spam run */
static int64_t
spam_message(struct model *m, struct session *s, struct rng *r,
    const struct account *a, int64_t t, bool big_lists)
{
	struct message *msg;
	uint32_t nrcpt, i, roll = rng_below(r, 100);
	struct outcome_params op;
	bool	 exists;
	uint32_t sdom;
	char	*sender;

	if (roll < 45)
		nrcpt = 1;
	else if (roll < 75)
		nrcpt = (uint32_t)rng_range(r, 2, 3);
	else if (roll < (big_lists ? 85u : 95u))
		nrcpt = (uint32_t)rng_range(r, 4, 10);
	else
		nrcpt = (uint32_t)rng_range(r, 11, 40);
	if (s->type == ST_STOLEN_SPAM && rng_chance(r, 0.5)) {
		/* Sent as the account owner: what a login gives. */
		sender = arena_strdup(m->ar, a->email);
		sdom = m->dt->isp;
		exists = true;
	} else if (rng_chance(r, 0.06) && s->authenticated) {
		sender = arena_strdup(m->ar, a->email);
		sdom = m->dt->isp;
		exists = true;
	} else
		sender = forged_sender(m, r, &sdom, &exists);
	msg = new_message(m, s, nrcpt);
	msg->sender = sender;
	msg->sender_domain = sdom;
	msg->sender_exists = exists;
	msg->msgid = bot_msgid(m, r, sender);
	msg->size = (uint32_t)rng_range(r, 1500, 9000);
	for (i = 0; i < nrcpt; i++) {
		struct rcpt *rc = &msg->rcpts[i];

		random_recipient(m, r, rc, a->p_unknown);
		if (m->dt->d[sdom].nonexistent)
			rc->reject = RR_SENDER_DOMAIN;
		else if (s->authenticated && sdom == m->dt->isp &&
		    strcmp(sender, a->email) != 0)
			rc->reject = RR_LOGIN_MISMATCH;
		else if (a->spam_per_day > 500 && rng_chance(r, 0.04))
			rc->reject = RR_RATE_LIMIT;
	}
	msg->content_reject = rng_chance(r, 0.03);
	op.p_unknown = 0;
	op.p_block = a->p_block;
	op.p_rate = a->p_defer;
	op.p_grey = 0.06;
	op.p_timeout = 0.01;
	op.p_full = 0.01;
	op.p_reuse = 0.3;
	return message_finish(m, msg, r, t, &op);
}

/* session_begin - connection, TLS and EHLO; returns the time after */
static int64_t
session_begin(struct session *s, struct rng *r)
{
	int64_t	t = s->t_connect + rng_range(r, 20000, 200000);

	if (s->tls)
		t += rng_range(r, 40000, 250000);
	return t;
}

/*
 * build_session - the model of one planned session.  Everything comes
 * from the session's own random stream.
 */
static void
build_session(struct model *m, const struct plan *p, struct session *s)
{
	const struct account *a = &m->pop->a[p->acct];
	const struct config *cfg = m->cfg;
	struct rng	 r;
	int64_t		 t;
	uint32_t	 i, n;

	memset(s, 0, sizeof(*s));
	rng_init(&r, cfg->seed, STREAM_SESSION, p->acct,
	    ((uint64_t)p->day << 32) | p->seq);
	s->acct = a;
	s->type = p->type;
	s->relay = (uint8_t)rng_below(&r, (uint32_t)cfg->relays);
	s->token = rng_next(&r);
	s->t_connect = p->t_us;
	s->client_port = (uint16_t)rng_range(&r, 32768, 60999);
	s->client_ip = a->ip;
	s->client_name = a->ptr;
	s->helo = a->helo;
	s->port = a->port;
	s->sasl_login = a->sasl_login;
	s->tls = s->port != 25 ? rng_chance(&r, 0.97) || s->port == 465 :
	    rng_chance(&r, 0.4);
	s->quit = true;
	s->authenticated = a->kind == KIND_SASL;
	s->sasl_user = a->name;

	switch (p->type) {
	case ST_MOBILE:
		session_external(m, s, hash4(cfg->seed, a->index, p->day,
		    0x3000 + p->arg), true);
		/* FALLTHROUGH */
	case ST_MAIL:
	case ST_NOAUTH:
	case ST_MIDNIGHT:
		if (p->type == ST_NOAUTH) {
			s->port = 25;
			s->authenticated = false;
			s->tls = rng_chance(&r, 0.5);
		}
		n = 1;
		if (p->type == ST_MAIL || p->type == ST_MOBILE)
			n = rng_chance(&r, 0.85) ? 1 :
			    rng_chance(&r, 0.8) ? 2 : 3;
		s->msgs = arena_alloc(m->ar, n * sizeof(*s->msgs));
		t = session_begin(s, &r);
		s->t_auth = t += rng_range(&r, 30000, 300000);
		for (i = 0; i < n; i++) {
			uint32_t size = ordinary_size(&r), k;

			if (p->type == ST_MIDNIGHT)
				size = (uint32_t)rng_range(&r, 2000000,
				    6000000);
			t += rng_range(&r, 50000, 400000);
			k = pick_rcpt_count(&r);
			t = ordinary_message(m, s, &r, a, t, k, size, false);
		}
		break;
	case ST_BURST:
		t = session_begin(s, &r);
		s->t_auth = t += rng_range(&r, 30000, 300000);
		if (rng_chance(&r, 0.7)) {
			uint32_t k = (uint32_t)rng_range(&r, 20, 120);

			if (k > a->contacts)
				k = a->contacts;
			s->msgs = arena_alloc(m->ar, sizeof(*s->msgs));
			t = ordinary_message(m, s, &r, a, t, k,
			    ordinary_size(&r), true);
		} else {
			n = (uint32_t)rng_range(&r, 3, 8);
			s->msgs = arena_alloc(m->ar, n * sizeof(*s->msgs));
			for (i = 0; i < n; i++) {
				uint32_t k, size;

				t += rng_range(&r, 500000, 20 * USEC);
				k = (uint32_t)rng_range(&r, 5, 15);
				size = ordinary_size(&r);
				t = ordinary_message(m, s, &r, a, t, k, size,
				    true);
			}
		}
		break;
	case ST_DEVICE: {
		struct message *msg;

		s->msgs = arena_alloc(m->ar, sizeof(*s->msgs));
		t = session_begin(s, &r);
		s->t_auth = t += rng_range(&r, 30000, 300000);
		n = a->contacts == 2 && rng_chance(&r, 0.5) ? 2 : 1;
		msg = new_message(m, s, n);
		msg->sender = arena_strdup(m->ar, a->email);
		msg->sender_domain = m->dt->isp;
		msg->msgid = a->sends_msgid ? mua_msgid(m, &r, a, t, a->email) :
		    NULL;
		msg->size = (uint32_t)rng_range(&r, 800, 4000);
		for (i = 0; i < n; i++)
			contact_recipient(m, a, n == 2 ? i :
			    rng_below(&r, a->contacts), &msg->rcpts[i]);
		t = message_finish(m, msg, &r, t + rng_range(&r, 10000, 100000),
		    &normal_outcomes);
		break;
	}
	case ST_BULK: {
		uint32_t msgs = (a->contacts + a->batch - 1) / a->batch;
		struct outcome_params op = normal_outcomes;
		uint64_t dayh = hash4(cfg->seed, a->index, p->day, 0xb01c);
		uint32_t size = 15000 + (uint32_t)(dayh % 45000);
		char	 *msgid_base;
		char	  hx[20];

		op.p_reuse = 0.6;
		op.p_grey = 0.02;
		n = msgs - p->arg < 20 ? msgs - p->arg : 20;
		s->msgs = arena_alloc(m->ar, n * sizeof(*s->msgs));
		t = session_begin(s, &r);
		s->t_auth = t += rng_range(&r, 30000, 300000);
		hexstr(&r, hx, 12, false);
		msgid_base = arena_printf(m->ar, "%s", hx);
		for (i = 0; i < n; i++) {
			uint32_t mi = p->arg + i, j, lo, hi;
			struct message *msg;

			lo = mi * a->batch;
			hi = lo + a->batch;
			if (hi > a->contacts)
				hi = a->contacts;
			msg = new_message(m, s, hi - lo);
			msg->sender = arena_strdup(m->ar, a->email);
			msg->sender_domain = UINT32_MAX;
			msg->msgid = arena_printf(m->ar, "%s.%u.%" PRIu64 "@%s",
			    msgid_base, mi, dayh % 100000,
			    domain_part(a->email));
			msg->size = size + (uint32_t)rng_range(&r, 0, 200);
			for (j = lo; j < hi; j++)
				contact_recipient(m, a, j,
				    &msg->rcpts[j - lo]);
			t = message_finish(m, msg, &r, t +
			    rng_range(&r, 300000, 3 * USEC), &op);
		}
		break;
	}
	case ST_STALE_AUTH:
		if (rng_chance(&r, 0.15))
			session_external(m, s, hash4(cfg->seed, a->index,
			    p->day, 0x3000 + rng_below(&r, 2)), true);
		s->helo = rng_chance(&r, 0.5) ? "iPhone" : a->helo;
		s->authenticated = false;
		s->fail_user = a->name;
		if (s->port == 25)
			s->port = 587;
		t = session_begin(s, &r);
		t = session_auth_failures(m, s, &r, rng_chance(&r, 0.7) ? 1 :
		    (uint32_t)rng_range(&r, 2, 3), t);
		break;
	case ST_SPAM:
		s->bot = true;
		s->helo = bot_helo(m, &r, s->client_ip);
		s->quit = rng_chance(&r, 0.6);
		n = p->arg ? p->arg : 1;
		s->msgs = arena_alloc(m->ar, n * sizeof(*s->msgs));
		t = session_begin(s, &r);
		s->t_auth = t += rng_range(&r, 10000, 100000);
		for (i = 0; i < n; i++)
			t = spam_message(m, s, &r, a, t + rng_range(&r, 20000,
			    900000), a->zombie == ZK_BLASTER ||
			    a->zombie == ZK_TURNS_BAD);
		break;
	case ST_STOLEN_SPAM:
		s->bot = true;
		session_external(m, s, hash4(cfg->seed, a->index, p->day,
		    0xa0000 + rng_below(&r, a->attack_ips)), false);
		s->helo = bot_helo(m, &r, s->client_ip);
		s->port = rng_chance(&r, 0.7) ? 587 : 465;
		s->tls = true;
		s->authenticated = true;
		s->sasl_login = rng_chance(&r, 0.7);
		s->quit = rng_chance(&r, 0.5);
		n = p->arg ? p->arg : 1;
		s->msgs = arena_alloc(m->ar, n * sizeof(*s->msgs));
		t = session_begin(s, &r);
		s->t_auth = t += rng_range(&r, 50000, 400000);
		for (i = 0; i < n; i++)
			t = spam_message(m, s, &r, a, t + rng_range(&r, 20000,
			    600000), true);
		break;
	case ST_GUESS: {
		char	 user[128];

		s->bot = true;
		session_external(m, s, hash4(cfg->seed, a->index, p->day,
		    0xb0000 + (p->arg >> 8)), false);
		s->helo = bot_helo(m, &r, s->client_ip);
		s->port = rng_chance(&r, 0.6) ? 587 : 465;
		s->tls = true;
		s->authenticated = false;
		s->sasl_login = true;
		s->quit = rng_chance(&r, 0.4);
		/* Mostly the victim's name, sometimes a variant of it. */
		(void)snprintf(user, sizeof(user), "%s", a->name);
		if (rng_chance(&r, 0.15)) {
			char *at = strchr(user, '@');

			if (at != NULL)
				*at = '\0';
			else
				(void)snprintf(user, sizeof(user), "%s@%s",
				    a->name, ISP_DOMAIN);
		}
		s->fail_user = arena_strdup(m->ar, user);
		t = session_begin(s, &r);
		t = session_auth_failures(m, s, &r, p->arg & 0xff, t);
		if (rng_chance(&r, 0.25)) {
			struct message *msg;

			s->msgs = arena_alloc(m->ar, sizeof(*s->msgs));
			n = (uint32_t)rng_range(&r, 1, 3);
			msg = new_message(m, s, n);
			msg->sender = forged_sender(m, &r, &msg->sender_domain,
			    &msg->sender_exists);
			msg->msgid = NULL;
			msg->size = 0;
			for (i = 0; i < n; i++) {
				random_recipient(m, &r, &msg->rcpts[i], 0.3);
				msg->rcpts[i].reject = RR_RELAY_DENIED;
			}
			t = message_finish(m, msg, &r, t + rng_range(&r, 50000,
			    500000), &normal_outcomes);
		}
		break;
	}
	default:
		t = s->t_connect;
		break;
	}
	s->t_disconnect = t + rng_range(&r, 5000, 200000);
}

/* ------------------------------------------------------------------ */
/* Remote replies (independent of the relay's MTA)			*/
/* ------------------------------------------------------------------ */

/* base62 - n digits of v in 0-9A-Za-z, most significant first */
static void
base62(char *buf, uint64_t v, int n)
{
	static const char digits[] =
	    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
	int	i;

	for (i = n - 1; i >= 0; i--) {
		buf[i] = digits[v % 62];
		v /= 62;
	}
	buf[n] = '\0';
}

/* ms_host - an Exchange Online style host name */
static void
ms_host(char *buf, size_t len, uint64_t token)
{
	(void)snprintf(buf, len,
	    "AM%uPR%02uMB%04u.eurprd%02u.prod.outlook.example",
	    (unsigned)(token % 9), (unsigned)((token >> 4) % 100),
	    (unsigned)((token >> 12) % 10000), (unsigned)((token >> 28) % 10));
}

/*
 * remote_reply - the text a receiving server answers with, and the
 * enhanced status code an MTA logs for it (from the reply when it has
 * one, else the class default X.0.0, as Postfix does).  t_sec and
 * relay_ip appear in some providers' texts.
 */
static void
remote_reply(struct sbuf *out, char dsn[16], const struct domain *d,
    uint8_t fate, const char *rcpt, const char *msgid, uint64_t token,
    int64_t t_sec, const char *relay_ip, uint32_t size)
{
	char	 id[48], host[80];

	switch (fate) {
	case FATE_SENT:
		(void)snprintf(dsn, 16, "2.0.0");
		switch (d->style) {
		case STYLE_GMAIL:
			sb_printf(out, "250 2.0.0 OK  %" PRId64 " "
			    "%llx%05llxsi%07llu"
			    "%cb%u.%u - gsmtp", t_sec,
			    (unsigned long long)(token >> 40),
			    (unsigned long long)((token >> 8) & 0xfffff),
			    (unsigned long long)(token % 10000000),
			    'a' + (char)(token % 26), (unsigned)(token >> 58),
			    (unsigned)(100 + (token >> 50) % 400));
			break;
		case STYLE_OUTLOOK:
		case STYLE_EXCHANGE:
			(void)snprintf(dsn, 16, "2.6.0");
			ms_host(host, sizeof(host), token);
			sb_printf(out, "250 2.6.0 <%s> [InternalId=%llu, "
			    "Hostname=%s] %u bytes in 0.%03u, %u.%03u KB/sec "
			    "Queued mail for delivery", msgid != NULL ? msgid :
			    "unknown",
			    (unsigned long long)(token % 100000000000000ULL),
			    d->style == STYLE_OUTLOOK ? host : d->mx,
			    size + 1200, (unsigned)(token % 900 + 50),
			    (unsigned)((token >> 20) % 900 + 20),
			    (unsigned)((token >> 30) % 1000));
			break;
		case STYLE_YAHOO:
			sb_puts(out, "250 ok dirdel");
			break;
		case STYLE_EXIM:
			base62(id, token, 6);
			base62(host, token >> 20, 11);
			base62(host + 16, token >> 3, 4);
			sb_printf(out, "250 OK id=1%s-%s-%s", id + 1, host,
			    host + 16);
			break;
		default:
			sb_printf(out, "250 2.0.0 Ok: queued as %05llX%05llX",
			    (unsigned long long)(token % 1000000),
			    (unsigned long long)((token >> 24) & 0xfffff) |
			    0x10000);
			break;
		}
		return;
	case FATE_UNKNOWN_USER:
		(void)snprintf(dsn, 16, "5.1.1");
		switch (d->style) {
		case STYLE_GMAIL:
			sb_printf(out, "550-5.1.1 The email account that you "
			    "tried to reach does not exist. Please try "
			    "550-5.1.1 "
			    "double-checking the recipient's email address for "
			    "typos or 550-5.1.1 unnecessary spaces. For more "
			    "information, go to 550 5.1.1  "
			    "https://support.gmail"
			    ".example/mail/?p=NoSuchUser %llxsi%llu - gsmtp",
			    (unsigned long long)(token >> 20),
			    (unsigned long long)(token % 10000000));
			break;
		case STYLE_OUTLOOK:
			(void)snprintf(dsn, 16, "5.5.0");
			ms_host(host, sizeof(host), token);
			sb_printf(out, "550 5.5.0 Requested action not taken: "
			    "mailbox unavailable (S2017062302). [%s]", host);
			break;
		case STYLE_YAHOO:
			(void)snprintf(dsn, 16, "5.0.0");
			sb_printf(out, "554 delivery error: dd This user "
			    "doesn't "
			    "have a %s account (%s) [0] - mta%u.mail.gq1.yahoo"
			    ".example", d->name, rcpt,
			    (unsigned)(1000 + token % 9000));
			break;
		case STYLE_EXIM:
			if (token & 1) {
				(void)snprintf(dsn, 16, "5.0.0");
				sb_puts(out, "550 Unrouteable address");
			} else
				sb_printf(out, "550 5.1.1 <%s>: No such user "
				    "here", rcpt);
			break;
		case STYLE_EXCHANGE:
			(void)snprintf(dsn, 16, "5.1.10");
			sb_puts(out, "550 5.1.10 "
			    "RESOLVER.ADR.RecipientNotFound; "
			    "Recipient not found by SMTP address lookup");
			break;
		default:
			sb_printf(out, "550 5.1.1 <%s>: Recipient address "
			    "rejected: User unknown in %s table", rcpt,
			    token & 1 ? "virtual mailbox" : "local recipient");
			break;
		}
		return;
	case FATE_MAILBOX_FULL:
		(void)snprintf(dsn, 16, "5.2.2");
		if (d->style == STYLE_GMAIL)
			sb_printf(out, "552-5.2.2 The recipient's inbox is out "
			    "of storage space and inactive. Please direct the "
			    "recipient to 552 5.2.2  https://support.gmail."
			    "example/mail/?p=OverQuotaPerm %llxsi - gsmtp",
			    (unsigned long long)(token >> 24));
		else
			sb_printf(out, "552 5.2.2 <%s>: Recipient address "
			    "rejected: Mailbox full", rcpt);
		return;
	case FATE_BLOCKLIST:
		(void)snprintf(dsn, 16, "5.7.1");
		switch (d->style) {
		case STYLE_GMAIL:
			sb_printf(out, "550-5.7.1 [%s] Gmail has detected that "
			    "this message is likely suspicious due to the very "
			    "low 550-5.7.1 reputation of the sending IP "
			    "address. "
			    "To best protect our users from 550-5.7.1 spam, "
			    "the "
			    "message has been blocked. 550 5.7.1  "
			    "https://support"
			    ".gmail.example/mail/answer/188131 %llxsi - gsmtp",
			    relay_ip, (unsigned long long)(token >> 24));
			break;
		case STYLE_OUTLOOK:
			ms_host(host, sizeof(host), token);
			sb_printf(out, "550 5.7.1 Unfortunately, messages from "
			    "[%s] weren't sent. Please contact your Internet "
			    "service provider since part of their network is "
			    "on "
			    "our block list (S3150). You can also refer your "
			    "provider to http://mail.live.example/mail/"
			    "troubleshooting.aspx#errors. [%s]", relay_ip,
			    host);
			break;
		case STYLE_YAHOO:
			sb_printf(out, "553 5.7.1 [BL21] Connections will not "
			    "be "
			    "accepted from %s, because the ip is in Spamhaus's "
			    "list; see https://postmaster.yahooinc.example/"
			    "error-codes", relay_ip);
			break;
		case STYLE_EXIM:
			(void)snprintf(dsn, 16, "5.0.0");
			sb_printf(out, "550 Rejected because %s is in a black "
			    "list at b.barracudacentral.example", relay_ip);
			break;
		case STYLE_EXCHANGE:
			sb_printf(out, "550 5.7.1 Service unavailable, Client "
			    "host [%s] blocked using Spamhaus. To request "
			    "removal "
			    "from this list see https://www.spamhaus.example/"
			    "query/ip/%s (AS3130)", relay_ip, relay_ip);
			break;
		default:
			sb_printf(out, "554 5.7.1 Service unavailable; Client "
			    "host [%s] blocked using zen.spamhaus.example; "
			    "https://www.spamhaus.example/query/ip/%s",
			    relay_ip, relay_ip);
			break;
		}
		return;
	case FATE_SPAM:
		(void)snprintf(dsn, 16, "5.7.1");
		switch (d->style) {
		case STYLE_GMAIL:
			sb_printf(out, "550-5.7.1 [%s] Our system has detected "
			    "that this message is 550-5.7.1 likely unsolicited "
			    "mail. To reduce the amount of spam sent to Gmail, "
			    "550-5.7.1 this message has been blocked. For more "
			    "information, go to 550 5.7.1  "
			    "https://support.gmail"
			    ".example/mail/?p=UnsolicitedMessageError %llxsi - "
			    "gsmtp", relay_ip,
			    (unsigned long long)(token >> 24));
			break;
		case STYLE_OUTLOOK:
		case STYLE_EXCHANGE:
			(void)snprintf(dsn, 16, "5.7.520");
			sb_printf(out, "550 5.7.520 Message blocked because it "
			    "contains content identified as spam. "
			    "AS(4810) [%s]", d->mx);
			break;
		case STYLE_YAHOO:
			(void)snprintf(dsn, 16, "5.7.9");
			sb_puts(out, "554 5.7.9 Message not accepted for "
			    "policy "
			    "reasons.  See https://postmaster.yahooinc.example/"
			    "error-codes");
			break;
		case STYLE_EXIM:
			(void)snprintf(dsn, 16, "5.0.0");
			sb_puts(out, "550 High probability of spam");
			break;
		default:
			if (token & 1)
				sb_puts(out, "550 5.7.1 Message rejected as "
				    "spam");
			else
				sb_puts(out, "554 5.7.1 Spam message rejected");
			break;
		}
		return;
	case FATE_POLICY:
		switch (d->style) {
		case STYLE_GMAIL:
			(void)snprintf(dsn, 16, "5.7.26");
			sb_printf(out, "550-5.7.26 This mail has been blocked "
			    "because the sender is unauthenticated. 550-5.7.26 "
			    "Gmail requires all senders to authenticate with "
			    "either SPF or DKIM. 550 5.7.26  https://support."
			    "gmail.example/mail/answer/81126 %llxsi - gsmtp",
			    (unsigned long long)(token >> 24));
			break;
		case STYLE_OUTLOOK:
		case STYLE_EXCHANGE:
			(void)snprintf(dsn, 16, "5.7.708");
			sb_puts(out, "550 5.7.708 Service unavailable. Access "
			    "denied, traffic not accepted from this IP. "
			    "AS(2712)");
			break;
		case STYLE_YAHOO:
			(void)snprintf(dsn, 16, "5.7.9");
			sb_puts(out, "554 5.7.9 Message not accepted for "
			    "policy "
			    "reasons.  See https://postmaster.yahooinc.example/"
			    "error-codes");
			break;
		case STYLE_EXIM:
			(void)snprintf(dsn, 16, "5.0.0");
			sb_puts(out, "550 Administrative prohibition");
			break;
		default:
			(void)snprintf(dsn, 16, "5.7.1");
			sb_printf(out, "554 5.7.1 <%s>: Recipient address "
			    "rejected: Access denied", rcpt);
			break;
		}
		return;
	default:
		(void)snprintf(dsn, 16, "5.0.0");
		sb_puts(out, "550 Rejected");
		return;
	}
}

/* defer_reply - a receiving server's temporary refusal; sets the dsn */
static void
defer_reply(struct sbuf *out, char dsn[16], const struct domain *d,
    uint8_t kind, const char *rcpt, uint64_t token, const char *relay_ip,
    uint8_t *stage)
{
	*stage = STAGE_RCPT;
	if (kind == DEFER_GREYLIST) {
		(void)snprintf(dsn, 16, "4.2.0");
		sb_printf(out, "450 4.2.0 <%s>: Recipient address rejected: "
		    "Greylisted, see https://postgrey.example/help/%s", rcpt,
		    d->name);
		return;
	}
	switch (d->style) {
	case STYLE_GMAIL:
		(void)snprintf(dsn, 16, "4.7.28");
		*stage = STAGE_DATA;
		sb_printf(out, "421-4.7.28 [%s      15] Our system has "
		    "detected "
		    "an unusual rate of 421-4.7.28 unsolicited mail "
		    "originating "
		    "from your IP address. To protect our 421-4.7.28 users "
		    "from "
		    "spam, mail sent from your IP address has been temporarily "
		    "421-4.7.28 rate limited. 421 4.7.28  https://support.gmail"
		    ".example/mail/?p=UnsolicitedRateLimitError %llxsi - gsmtp",
		    relay_ip, (unsigned long long)(token >> 24));
		break;
	case STYLE_OUTLOOK:
	case STYLE_EXCHANGE:
		(void)snprintf(dsn, 16, "4.7.500");
		sb_printf(out, "451 4.7.500 Server busy. Please try again "
		    "later "
		    "from [%s]. (S77714)", relay_ip);
		break;
	case STYLE_YAHOO:
		(void)snprintf(dsn, 16, "4.7.0");
		*stage = STAGE_MAIL;
		sb_printf(out, "421 4.7.0 [TSS04] Messages from %s temporarily "
		    "deferred due to unexpected volume or user complaints - "
		    "4.16.55.1; see https://postmaster.yahooinc.example/"
		    "error-codes", relay_ip);
		break;
	case STYLE_EXIM:
		(void)snprintf(dsn, 16, "4.0.0");
		sb_puts(out, "451 Temporary local problem - please try later");
		break;
	default:
		(void)snprintf(dsn, 16, "4.7.0");
		*stage = STAGE_MAIL;
		sb_puts(out, "421 4.7.0 Try again later, rate limited");
		break;
	}
}

/* stage_text - Postfix's "in reply to" wording */
static const char *
stage_text(uint8_t stage)
{
	switch (stage) {
	case STAGE_MAIL:
		return "MAIL FROM";
	case STAGE_DATA:
		return "end of DATA";
	default:
		return "RCPT TO";
	}
}

/* ------------------------------------------------------------------ */
/* Output: a time-ordered heap of rendered lines, then the files	*/
/* ------------------------------------------------------------------ */

/* One session's rendered text; freed when its last line is written. */
struct block {
	uint32_t	refs;
	char		text[];
};

struct pending {
	int64_t		 t_us;
	uint64_t	 seq;
	struct block	*blk;
	uint32_t	 off;
	uint32_t	 len;
	uint32_t	 relay;
};

/* Where a relay's files go. */
struct relay_out {
	char		 dir[PATH_MAX];
	int		 day;	/* day of the open file, INT_MIN: none */
	FILE		*fp;
	gzFile		 gz;
	char		*path;		/* of the open file */
};

struct sched {
	struct pending	*heap;
	size_t		 n;
	size_t		 cap;
	uint64_t	 seq;
	struct sbuf	 text;		/* the session being rendered */
	struct pending	*lines;
	size_t		 nlines;
	size_t		 caplines;
	size_t		 line_off;	/* start of the open line */
	int64_t		 line_t;
	uint32_t	 line_relay;
	int64_t		 t_min;		/* lines before are dropped */
	int64_t		 t_max;		/* lines from here on are dropped */
	uint64_t	 bytes;		/* written so far, uncompressed */
	uint64_t	 lines_written;
	bool		 failed;
};

/* heap_less - order of the line heap */
static inline bool
heap_less(const struct pending *a, const struct pending *b)
{
	if (a->t_us != b->t_us)
		return a->t_us < b->t_us;
	return a->seq < b->seq;
}

/* heap_push - add a line */
static void
heap_push(struct sched *s, const struct pending *p)
{
	size_t	i;

	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 65536;
		s->heap = xreallocarray(s->heap, s->cap, sizeof(*s->heap));
	}
	i = s->n++;
	while (i > 0) {
		size_t parent = (i - 1) / 2;

		if (!heap_less(p, &s->heap[parent]))
			break;
		s->heap[i] = s->heap[parent];
		i = parent;
	}
	s->heap[i] = *p;
}

/* heap_pop - remove the earliest line into *out */
static void
heap_pop(struct sched *s, struct pending *out)
{
	struct pending last;
	size_t	i = 0;

	*out = s->heap[0];
	last = s->heap[--s->n];
	for (;;) {
		size_t c = 2 * i + 1;

		if (c >= s->n)
			break;
		if (c + 1 < s->n && heap_less(&s->heap[c + 1], &s->heap[c]))
			c++;
		if (!heap_less(&s->heap[c], &last))
			break;
		s->heap[i] = s->heap[c];
		i = c;
	}
	if (s->n > 0)
		s->heap[i] = last;
}

/* line_begin - start a line of relay at time t; returns its buffer */
static struct sbuf *
line_begin(struct sched *s, uint32_t relay, int64_t t)
{
	s->line_off = s->text.len;
	s->line_t = t;
	s->line_relay = relay;
	return &s->text;
}

/* line_end - finish the open line (dropped outside the window) */
static void
line_end(struct sched *s)
{
	struct pending *p;

	if (s->line_t < s->t_min || s->line_t >= s->t_max) {
		s->text.len = s->line_off;
		return;
	}
	sb_putc(&s->text, '\n');
	if (s->nlines == s->caplines) {
		s->caplines = s->caplines ? s->caplines * 2 : 256;
		s->lines = xreallocarray(s->lines, s->caplines,
		    sizeof(*s->lines));
	}
	p = &s->lines[s->nlines++];
	p->t_us = s->line_t;
	p->off = (uint32_t)s->line_off;
	p->len = (uint32_t)(s->text.len - s->line_off);
	p->relay = s->line_relay;
}

/* sched_commit - move the rendered session's lines into the heap */
static void
sched_commit(struct sched *s)
{
	struct block *blk;
	size_t	i;

	if (s->nlines > 0) {
		blk = xmalloc(sizeof(*blk) + s->text.len);
		blk->refs = (uint32_t)s->nlines;
		memcpy(blk->text, s->text.buf, s->text.len);
		for (i = 0; i < s->nlines; i++) {
			s->lines[i].blk = blk;
			s->lines[i].seq = s->seq++;
			heap_push(s, &s->lines[i]);
		}
	}
	s->nlines = 0;
	s->text.len = 0;
}

/* ------------------------------------------------------------------ */
/* Relays: identity, processes, queue IDs				*/
/* ------------------------------------------------------------------ */

/*
 * Long-running daemons fork workers that serve many requests; Postfix
 * reuses a worker for up to max_use (100) requests and lets it exit
 * after max_idle (100 s) without work.  A pool imitates that so that
 * process IDs repeat the way they do in real logs.
 */
enum pool_id {
	POOL_SMTPD,
	POOL_SUBMISSION,
	POOL_SMTPS,
	POOL_CLEANUP,
	POOL_SMTP,
	POOL_BOUNCE,
	POOL_LMTP,
	POOL_LOCAL,
	POOL_VIRTUAL,
	POOL_COUNT
};

#define POOL_MAX	48

struct proc {
	uint32_t	pid;
	uint32_t	uses;
	int64_t		busy_until;
	int64_t		last_used;
};

struct proc_pool {
	struct proc	p[POOL_MAX];
	int		n;
};

struct relay_state {
	uint32_t	 index;
	char		 fqdn[48];	/* relay1.isp.example */
	char		 host[24];	/* relay1: the syslog host field */
	char		 ip[16];	/* public address */
	char		 ip6[40];	/* public IPv6 address */
	bool		 iso_time;	/* RFC 3339 stamps with microseconds */
	bool		 new_postfix;	/* Postfix >= 3.6 wording */
	bool		 exim_new_ids;	/* Exim >= 4.97 message IDs */
	int64_t		 long_ids_from;	/* enable_long_queue_ids since */
	uint32_t	 next_pid;
	uint32_t	 pid_max;
	uint32_t	 qmgr_pid;
	uint32_t	 pickup_pid;
	uint32_t	 anvil_pid;
	uint32_t	 master_pid;
	uint32_t	 postscreen_pid;
	uint32_t	 rsyslog_pid;
	uint32_t	 sm_seq;	/* Sendmail queue ID sequence */
	uint32_t	 inode_base;
	struct proc_pool pools[POOL_COUNT];
	struct fpcount	*qids;		/* queue IDs handed out */
	struct rng	 rng;		/* the writer's own stream */
	int64_t		 hdr_sec;
	char		 hdr[64];
	size_t		 hdr_len;
	struct relay_out out;
};

struct sim {
	struct config		 cfg;
	int			 days;		/* planned days */
	struct domain_table	 dt;
	struct population	 pop;
	struct relay_state	*relays;
	struct sched		 sched;
	struct arena		 arena;
	struct sbuf		 tmp;		/* replies */
	struct sbuf		 tmp2;		/* recipient lists */
	struct sbuf		 tmp3;
};

/* relay_new_pid - the next process ID the kernel would hand out */
static uint32_t
relay_new_pid(struct relay_state *rs)
{
	rs->next_pid += 1 + rng_below(&rs->rng, 40);
	if (rs->next_pid >= rs->pid_max)
		rs->next_pid = 300 + rng_below(&rs->rng, 2000);
	return rs->next_pid;
}

/* pool_get - a worker's pid for a job from t lasting dur */
static uint32_t
pool_get(struct relay_state *rs, enum pool_id id, int64_t t, int64_t dur)
{
	struct proc_pool *pp = &rs->pools[id];
	struct proc	 *best = NULL;
	int		  i;

	for (i = 0; i < pp->n; i++) {
		struct proc *p = &pp->p[i];

		if (p->busy_until > t)
			continue;
		if (t - p->last_used > 100 * USEC || p->uses >= 100) {
			/* Exited meanwhile; master forks a new one. */
			p->pid = relay_new_pid(rs);
			p->uses = 0;
		}
		best = p;
		break;
	}
	if (best == NULL) {
		if (pp->n < POOL_MAX)
			best = &pp->p[pp->n++];
		else {
			best = &pp->p[0];
			for (i = 1; i < pp->n; i++)
				if (pp->p[i].busy_until < best->busy_until)
					best = &pp->p[i];
		}
		best->pid = relay_new_pid(rs);
		best->uses = 0;
	}
	best->uses++;
	best->busy_until = t + dur;
	best->last_used = t + dur;
	return best->pid;
}

/*
 * Postfix queue IDs (src/global/mail_queue.h).  Short form: the
 * microseconds of the queue file's creation as 5 hex digits, then the
 * file's inode number in hex.  Long form (enable_long_queue_ids): the
 * seconds in base 52 (at least 6 digits), the microseconds in base 52
 * (exactly 4), 'z', and the inode in base 51, over an alphabet of
 * digits and consonants.
 */
static const char pf_long_alphabet[] =
    "0123456789BCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz";

/* long_encode - v in base b over the long-ID alphabet, >= width digits */
static size_t
long_encode(char *buf, uint64_t v, unsigned b, int width)
{
	char	tmp[24];
	int	n = 0, i;

	do {
		tmp[n++] = pf_long_alphabet[v % b];
		v /= b;
	} while (v != 0);
	while (n < width)
		tmp[n++] = '0';
	for (i = 0; i < n; i++)
		buf[i] = tmp[n - 1 - i];
	return (size_t)n;
}

/* pf_queue_id - a queue ID unique on this relay for a file made at t */
static void
pf_queue_id(struct relay_state *rs, int64_t t, char *buf)
{
	uint64_t usec = (uint64_t)(t % USEC), sec = (uint64_t)(t / USEC);
	uint32_t inode = rs->inode_base + rng_below(&rs->rng, 0xf000);
	bool	 is_long = t >= rs->long_ids_from;
	uint64_t key;

	for (;;) {
		key = is_long ? mix64(sec * USEC + usec) ^ inode :
		    (usec << 20) | inode;
		if (fpcount_add(rs->qids, key | 1ULL << 63, 1))
			break;
		inode++;
	}
	if (is_long) {
		size_t n = long_encode(buf, sec, 52, 6);

		n += long_encode(buf + n, usec, 52, 4);
		buf[n++] = 'z';
		n += long_encode(buf + n, inode, 51, 1);
		buf[n] = '\0';
	} else
		(void)snprintf(buf, 24, "%05X%X", (unsigned)usec, inode);
}

/* relay_init - identity and starting state of relay i */
static void
relay_init(struct sim *sim, struct relay_state *rs, uint32_t i)
{
	const struct config *cfg = &sim->cfg;

	memset(rs, 0, sizeof(*rs));
	rs->index = i;
	(void)snprintf(rs->host, sizeof(rs->host), "relay%u", i + 1);
	(void)snprintf(rs->fqdn, sizeof(rs->fqdn), "relay%u.%s", i + 1,
	    ISP_DOMAIN);
	(void)snprintf(rs->ip, sizeof(rs->ip), "192.0.2.%u", 10 + i);
	(void)snprintf(rs->ip6, sizeof(rs->ip6), "2001:db8:fffe::25:%x",
	    10 + i);
	rng_init(&rs->rng, cfg->seed, STREAM_WRITER, i, cfg->format);
	/* Alternate classic and high-precision syslog stamps, and old
	   and new software, so every reader path gets used. */
	rs->iso_time = i % 2 == 1;
	rs->new_postfix = i % 2 == 1;
	rs->exim_new_ids = i % 2 == 0;
	rs->long_ids_from = INT64_MAX;
	if (cfg->relays >= 2 && i == (uint32_t)cfg->relays - 1) {
		/* The last relay is reconfigured for long queue IDs half
		   way through the run. */
		int64_t span = (int64_t)sim->days * DAY_US;

		rs->long_ids_from = day_start_us(cfg, 1) +
		    (span / 2 / HOUR_US) * HOUR_US;
	}
	rs->pid_max = cfg->format == FORMAT_SENDMAIL ? 99999 : 4194304;
	rs->next_pid = 900 + rng_below(&rs->rng, 5000);
	rs->master_pid = relay_new_pid(rs);
	rs->rsyslog_pid = relay_new_pid(rs);
	rs->qmgr_pid = relay_new_pid(rs);
	rs->pickup_pid = relay_new_pid(rs);
	rs->anvil_pid = relay_new_pid(rs);
	rs->postscreen_pid = relay_new_pid(rs);
	rs->next_pid += 20000 + rng_below(&rs->rng, 60000);
	if (rs->next_pid >= rs->pid_max)
		rs->next_pid = 5000;
	/* Five hex digits of inode keep short IDs at ten characters. */
	rs->inode_base = 0x10000 + (uint32_t)(((uint64_t)i * 0x2e000) %
	    0xe0000) + rng_below(&rs->rng, 0x1000);
	rs->qids = fpcount_new();
	rs->hdr_sec = -1;
	rs->out.day = INT_MIN;
	rs->sm_seq = rng_below(&rs->rng, 3600);
	(void)snprintf(rs->out.dir, sizeof(rs->out.dir), "%s/%s", cfg->outdir,
	    rs->fqdn);
}

/* syslog_header - "Nov 25 10:00:01 relay1 prog[pid]: " or the RFC 3339
   form rsyslog writes with RSYSLOG_FileFormat */
static void
syslog_header(struct relay_state *rs, struct sbuf *sb, int64_t t,
    const char *prog, uint32_t pid)
{
	int64_t	sec = t / USEC;

	if (sec != rs->hdr_sec) {
		struct tm tm;
		int	  n;

		civil_of(sec, &tm);
		if (rs->iso_time)
			n = snprintf(rs->hdr, sizeof(rs->hdr),
			    "%04d-%02d-%02dT%02d:%02d:%02d", tm.tm_year + 1900,
			    tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
			    tm.tm_sec);
		else
			n = snprintf(rs->hdr, sizeof(rs->hdr),
			    "%s %2d %02d:%02d:%02d", month_abbr[tm.tm_mon],
			    tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
		rs->hdr_len = n > 0 ? (size_t)n : 0;
		rs->hdr_sec = sec;
	}
	sb_put(sb, rs->hdr, rs->hdr_len);
	if (rs->iso_time) {
		char	frac[8];
		uint32_t us = (uint32_t)(t % USEC);
		int	i;

		for (i = 6; i >= 1; i--) {
			frac[i] = (char)('0' + us % 10);
			us /= 10;
		}
		frac[0] = '.';
		sb_put(sb, frac, 7);
		sb_put(sb, "+00:00", 6);
	}
	sb_putc(sb, ' ');
	sb_puts(sb, rs->host);
	sb_putc(sb, ' ');
	sb_puts(sb, prog);
	if (pid != 0) {
		sb_putc(sb, '[');
		sb_putu(sb, pid);
		sb_putc(sb, ']');
	}
	sb_put(sb, ": ", 2);
}

/* sys_line - begin a syslog line of relay rs */
static struct sbuf *
sys_line(struct sim *sim, struct relay_state *rs, int64_t t,
    const char *prog, uint32_t pid)
{
	struct sbuf *sb = line_begin(&sim->sched, rs->index, t);

	syslog_header(rs, sb, t, prog, pid);
	return sb;
}

/* relay_file_name - name of the file holding day (1-based) */
static void
relay_file_name(struct sim *sim, int day, char *buf, size_t len)
{
	const char *base = sim->cfg.format == FORMAT_EXIM ? "mainlog" :
	    "mail.log";
	struct tm tm;

	if (day == sim->days && sim->cfg.target_bytes == 0) {
		/* The live file, not rotated yet. */
		(void)snprintf(buf, len, "%s", base);
		return;
	}
	/* logrotate's dateext names a file by the day it was rotated:
	   at midnight after the day it holds. */
	civil_of((sim->cfg.start_day + day) * 86400, &tm);
	(void)snprintf(buf, len, "%s-%04d%02d%02d%s", base, tm.tm_year + 1900,
	    tm.tm_mon + 1, tm.tm_mday, sim->cfg.gzip ? ".gz" : "");
}

/* relay_close - close the open file of a relay */
static void
relay_close(struct sim *sim, struct relay_state *rs)
{
	struct relay_out *o = &rs->out;

	if (o->fp != NULL) {
		if (fclose(o->fp) != 0) {
			fprintf(stderr, "%s: %s: %s\n", PROGNAME, o->path,
			    strerror(errno));
			sim->sched.failed = true;
		}
		o->fp = NULL;
	}
	if (o->gz != NULL) {
		if (gzclose(o->gz) != Z_OK) {
			fprintf(stderr, "%s: %s: write error\n", PROGNAME,
			    o->path);
			sim->sched.failed = true;
		}
		o->gz = NULL;
	}
	free(o->path);
	o->path = NULL;
	o->day = INT_MIN;
}

/* relay_open - open the file for day */
static bool
relay_open(struct sim *sim, struct relay_state *rs, int day)
{
	struct relay_out *o = &rs->out;
	char	name[64];
	size_t	len;
	bool	gz;

	relay_file_name(sim, day, name, sizeof(name));
	len = strlen(o->dir) + strlen(name) + 2;
	o->path = xmalloc(len);
	(void)snprintf(o->path, len, "%s/%s", o->dir, name);
	gz = sim->cfg.gzip && strstr(name, ".gz") != NULL;
	if (gz) {
		o->gz = gzopen(o->path, "wb6");
		if (o->gz != NULL)
			(void)gzbuffer(o->gz, 256 * 1024);
	} else {
		o->fp = fopen(o->path, "w");
		if (o->fp != NULL)
			(void)setvbuf(o->fp, NULL, _IOFBF, 1 << 20);
	}
	if (o->fp == NULL && o->gz == NULL) {
		fprintf(stderr, "%s: %s: %s\n", PROGNAME, o->path,
		    strerror(errno));
		sim->sched.failed = true;
		free(o->path);
		o->path = NULL;
		return false;
	}
	o->day = day;
	return true;
}

/* relay_write - append one line to the relay's file of its day */
static void
relay_write(struct sim *sim, struct relay_state *rs, int64_t t,
    const char *line, size_t len)
{
	struct relay_out *o = &rs->out;
	int	day = (int)(t / DAY_US - sim->cfg.start_day) + 1;

	if (sim->sched.failed)
		return;
	if (day != o->day) {
		relay_close(sim, rs);
		if (!relay_open(sim, rs, day))
			return;
	}
	if (o->gz != NULL) {
		if (gzwrite(o->gz, line, (unsigned)len) != (int)len) {
			fprintf(stderr, "%s: %s: write error\n", PROGNAME,
			    o->path);
			sim->sched.failed = true;
		}
	} else if (fwrite(line, 1, len, o->fp) != len) {
		fprintf(stderr, "%s: %s: %s\n", PROGNAME, o->path,
		    strerror(errno));
		sim->sched.failed = true;
	}
	sim->sched.bytes += len;
	sim->sched.lines_written++;
}

/* sched_flush - write every line earlier than limit */
static void
sched_flush(struct sim *sim, int64_t limit)
{
	struct sched *s = &sim->sched;
	struct pending p;

	while (s->n > 0 && s->heap[0].t_us < limit) {
		heap_pop(s, &p);
		relay_write(sim, &sim->relays[p.relay], p.t_us,
		    p.blk->text + p.off, p.len);
		if (--p.blk->refs == 0)
			free(p.blk);
	}
}

/* ------------------------------------------------------------------ */
/* Postfix writer							*/
/* ------------------------------------------------------------------ */

/* pf_delay - a time the way Postfix logs delays (src/util/format_tv.c:
   2 significant digits, at most 2 decimals, large values whole) */
static void
pf_delay(struct sbuf *sb, int64_t us)
{
	int64_t	sec, usec, ures = 10000, n, rem;

	if (us < 0)
		us = 0;
	sec = us / USEC;
	usec = us % USEC;
	if (sec > 0) {
		for (n = 1; sec >= n && n <= 10; n *= 10)
			;
		ures = (USEC / 100) * n;
	}
	usec += ures / 2;
	if (usec >= USEC) {
		sec++;
		usec -= USEC;
	}
	sb_putu(sb, (uint64_t)sec);
	if (usec >= ures) {
		sb_putc(sb, '.');
		for (rem = usec, n = USEC / 10; rem >= ures && n > 0; n /= 10) {
			sb_putc(sb, (char)('0' + rem / n));
			rem %= n;
		}
	}
}

/* pf_smtpd - program name and worker pool of the smtpd on a port */
static const char *
pf_smtpd(uint16_t port, enum pool_id *pool)
{
	switch (port) {
	case 587:
		*pool = POOL_SUBMISSION;
		return "postfix/submission/smtpd";
	case 465:
		*pool = POOL_SMTPS;
		return "postfix/smtps/smtpd";
	default:
		*pool = POOL_SMTPD;
		return "postfix/smtpd";
	}
}

/* pf_tls_in - the TLS summary smtpd logs for a client */
static void
pf_tls_in(struct sbuf *sb, const char *client, uint64_t token)
{
	if (token % 5 == 0)
		sb_printf(sb, "Anonymous TLS connection established from %s: "
		    "TLSv1.2 with cipher ECDHE-RSA-AES256-GCM-SHA384 (256/256 "
		    "bits)", client);
	else
		sb_printf(sb, "Anonymous TLS connection established from %s: "
		    "TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits) "
		    "key-exchange X25519 server-signature RSA-PSS (2048 bits) "
		    "server-digest SHA256", client);
}

/* reject_text - the relay's own refusal: code, DSN and text */
static void
reject_text(struct sbuf *sb, uint8_t why, const char *sender,
    const char *rcpt, const char *user, const char *client_ip)
{
	switch (why) {
	case RR_RELAY_DENIED:
		sb_printf(sb, "554 5.7.1 <%s>: Relay access denied", rcpt);
		break;
	case RR_SENDER_DOMAIN:
		sb_printf(sb, "450 4.1.8 <%s>: Sender address rejected: Domain "
		    "not found", sender);
		break;
	case RR_RATE_LIMIT:
		sb_printf(sb, "450 4.7.1 <%s>: Recipient address rejected: "
		    "Rate limit exceeded, try again later", rcpt);
		break;
	case RR_LOGIN_MISMATCH:
		sb_printf(sb, "553 5.7.1 <%s>: Sender address rejected: not "
		    "owned by user %s", sender, user != NULL ? user : "");
		break;
	case RR_UNKNOWN_LOCAL:
		sb_printf(sb, "550 5.1.1 <%s>: Recipient address rejected: "
		    "User unknown in virtual mailbox table", rcpt);
		break;
	default:
		sb_printf(sb, "554 5.7.1 Service unavailable; Client host [%s] "
		    "blocked using zen.spamhaus.example; https://www.spamhaus"
		    ".example/query/ip/%s", client_ip, client_ip);
		break;
	}
}

/* pf_relay_field - "mx.example.net[198.51.100.7]:25" */
static void
pf_relay_field(char *buf, size_t len, const struct domain *d,
    uint32_t variant)
{
	char	ip[48];

	mx_ip(d, variant, ip, sizeof(ip));
	(void)snprintf(buf, len, "%s[%s]:25", d->mx, ip);
}

/* pf_tls_out - smtp's TLS summary for a receiving server */
static void
pf_tls_out(struct sbuf *sb, const struct domain *d, const char *relay)
{
	const char *trust = d->style == STYLE_ISP ? "Anonymous" :
	    d->verified_tls ? "Verified" : "Untrusted";
	size_t	n = strlen(relay);

	/* relay ends in ":25"; the TLS line names host[addr]:25 too. */
	if (d->style == STYLE_EXCHANGE || d->style == STYLE_EXIM)
		sb_printf(sb, "%s TLS connection established to %.*s: TLSv1.2 "
		    "with cipher ECDHE-RSA-AES256-GCM-SHA384 (256/256 bits)",
		    trust, (int)n, relay);
	else
		sb_printf(sb, "%s TLS connection established to %.*s: TLSv1.3 "
		    "with cipher TLS_AES_256_GCM_SHA384 (256/256 bits) "
		    "key-exchange X25519 server-signature %s server-digest "
		    "SHA256", trust, (int)n, relay,
		    d->style == STYLE_GMAIL ? "ECDSA (P-256)" :
		    "RSA-PSS (2048 bits)");
}

/* Times of one delivery attempt, for delay= and delays=. */
struct pf_times {
	int64_t	arrival;	/* queue file created */
	int64_t	active;		/* entered the active queue */
	int64_t	handoff;	/* given to the delivery agent */
	int64_t	conn_us;	/* connection set-up */
	int64_t	xfer_us;	/* transmission */
};

/* pf_delays - ", delay=X, delays=a/b/c/d" */
static void
pf_delays(struct sbuf *sb, const struct pf_times *pt)
{
	int64_t done = pt->handoff + pt->conn_us + pt->xfer_us;

	sb_puts(sb, ", delay=");
	pf_delay(sb, done - pt->arrival);
	sb_puts(sb, ", delays=");
	pf_delay(sb, pt->active - pt->arrival);
	sb_putc(sb, '/');
	pf_delay(sb, pt->handoff - pt->active);
	sb_putc(sb, '/');
	pf_delay(sb, pt->conn_us);
	sb_putc(sb, '/');
	pf_delay(sb, pt->xfer_us);
}

/* pf_mta_msgid - the Message-ID Postfix's cleanup adds when missing */
static void
pf_mta_msgid(struct sbuf *sb, const struct relay_state *rs, int64_t t,
    const char *qid)
{
	struct tm tm;

	civil_of(t / USEC, &tm);
	sb_printf(sb, "%04d%02d%02d%02d%02d%02d.%s@%s", tm.tm_year + 1900,
	    tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, qid,
	    rs->fqdn);
}

/*
 * pf_remote_line - one recipient's delivery attempt through smtp:
 * sent, bounced or deferred, with the remote reply in Postfix's words.
 */
static void
pf_remote_line(struct sim *sim, struct relay_state *rs, uint32_t pid,
    const char *qid, const char *rcpt, const struct domain *d,
    uint32_t variant, int conn_use, const struct pf_times *pt,
    uint8_t fate, uint8_t fstage, uint8_t defer, uint64_t token,
    const char *msgid, uint32_t size)
{
	struct sbuf *sb;
	char	 relay[160], dsn[16], ip[48];
	uint8_t	 stage = STAGE_RCPT;
	int64_t	 done = pt->handoff + pt->conn_us + pt->xfer_us;
	const char *status;

	mx_ip(d, variant, ip, sizeof(ip));
	if (d->nonexistent || defer == DEFER_TIMEOUT)
		(void)snprintf(relay, sizeof(relay), "none");
	else
		pf_relay_field(relay, sizeof(relay), d, variant);
	sim->tmp.len = 0;
	if (defer != DEFER_NONE) {
		status = "deferred";
		if (defer == DEFER_TIMEOUT)
			(void)snprintf(dsn, sizeof(dsn), "4.4.1");
		else
			defer_reply(&sim->tmp, dsn, d, defer, rcpt, token,
			    rs->ip, &stage);
	} else if (d->nonexistent) {
		status = "bounced";
		(void)snprintf(dsn, sizeof(dsn), "5.4.4");
	} else {
		status = fate == FATE_SENT ? "sent" : "bounced";
		remote_reply(&sim->tmp, dsn, d, fate, rcpt, msgid, token,
		    done / USEC, rs->ip, size);
		stage = fstage;
	}
	sb = sys_line(sim, rs, done, "postfix/smtp", pid);
	sb_printf(sb, "%s: to=<%s>, relay=%s", qid, rcpt, relay);
	if (conn_use > 1)
		sb_printf(sb, ", conn_use=%d", conn_use);
	pf_delays(sb, pt);
	sb_printf(sb, ", dsn=%s, status=%s (", dsn, status);
	if (defer == DEFER_TIMEOUT)
		sb_printf(sb, "connect to %s[%s]:25: Connection timed out",
		    d->mx, ip);
	else if (d->nonexistent)
		sb_printf(sb, "Host or domain name not found. Name service "
		    "error for name=%s type=MX: Host not found", d->name);
	else if (fate == FATE_SENT && defer == DEFER_NONE)
		sb_put(sb, sim->tmp.buf, sim->tmp.len);
	else {
		sb_printf(sb, "host %s[%s] said: ", d->mx, ip);
		sb_put(sb, sim->tmp.buf, sim->tmp.len);
		sb_printf(sb, " (in reply to %s command)", stage_text(stage));
	}
	sb_putc(sb, ')');
	line_end(&sim->sched);
}

/* pf_ndr - the relay's bounce message for round k and its delivery */
static void
pf_ndr(struct sim *sim, struct relay_state *rs, const struct message *msg,
    const char *qid, int k, bool orig_done, int64_t orig_removed)
{
	const struct ndr *n = &msg->ndr[k];
	const struct domain *sd = &sim->dt.d[n->domain];
	struct sbuf *sb;
	struct pf_times pt;
	char	 qid2[24];
	uint32_t pid;

	pf_queue_id(rs, n->t, qid2);
	pid = pool_get(rs, POOL_CLEANUP, n->t, 2000);
	sb = sys_line(sim, rs, n->t, "postfix/cleanup", pid);
	sb_printf(sb, "%s: message-id=<", qid2);
	pf_mta_msgid(sb, rs, n->t, qid2);
	sb_putc(sb, '>');
	line_end(&sim->sched);
	sb = sys_line(sim, rs, n->t + 600, "postfix/qmgr", rs->qmgr_pid);
	sb_printf(sb, "%s: from=<>, size=%u, nrcpt=1 (queue active)", qid2,
	    n->size);
	line_end(&sim->sched);
	pid = pool_get(rs, POOL_BOUNCE, n->t - 3000, 5000);
	sb = sys_line(sim, rs, n->t + 900, "postfix/bounce", pid);
	sb_printf(sb, "%s: sender non-delivery notification: %s", qid, qid2);
	line_end(&sim->sched);
	if (orig_done) {
		sb = sys_line(sim, rs, orig_removed, "postfix/qmgr",
		    rs->qmgr_pid);
		sb_printf(sb, "%s: removed", qid);
		line_end(&sim->sched);
	}
	pt.arrival = n->t;
	pt.active = n->t + 600;
	pt.conn_us = n->conn_us;
	pt.xfer_us = n->xfer_us;
	pt.handoff = n->t_done - n->conn_us - n->xfer_us;
	pid = pool_get(rs, POOL_SMTP, pt.handoff, n->t_done - pt.handoff);
	pf_remote_line(sim, rs, pid, qid2, msg->sender, sd, n->mx_variant, 0,
	    &pt, n->fate, sd->style == STYLE_YAHOO ? STAGE_DATA : STAGE_RCPT,
	    DEFER_NONE, n->token, NULL, n->size);
	sb = sys_line(sim, rs, n->t_done + 700, "postfix/qmgr", rs->qmgr_pid);
	sb_printf(sb, "%s: removed", qid2);
	line_end(&sim->sched);
}

/* pf_local_line - delivery of inbound mail to a mailbox hosted here */
static void
pf_local_line(struct sim *sim, struct relay_state *rs, const char *qid,
    const char *rcpt, const struct domain *d, const struct pf_times *pt,
    uint64_t token)
{
	struct sbuf *sb;
	int64_t	 done = pt->handoff + pt->conn_us + pt->xfer_us;
	uint32_t pid;
	char	 id[24];

	if (d->hosted && (d - sim->dt.d) % 3 == 0) {
		/* Some customer domains are virtual mailboxes on disk. */
		pid = pool_get(rs, POOL_VIRTUAL, pt->handoff,
		    done - pt->handoff);
		sb = sys_line(sim, rs, done, "postfix/virtual", pid);
		sb_printf(sb, "%s: to=<%s>, relay=virtual", qid, rcpt);
		pf_delays(sb, pt);
		sb_puts(sb, ", dsn=2.0.0, status=sent (delivered to maildir)");
	} else if (d->hosted) {
		pid = pool_get(rs, POOL_LMTP, pt->handoff, done - pt->handoff);
		sb = sys_line(sim, rs, done, "postfix/lmtp", pid);
		base62(id, token, 11);
		base62(id + 11, mix64(token), 11);
		sb_printf(sb, "%s: to=<%s>, relay=mbox%u.%s[10.255.1.%u]:24",
		    qid, rcpt, (unsigned)(token % 3) + 1, ISP_DOMAIN,
		    (unsigned)(token % 3) + 11);
		pf_delays(sb, pt);
		sb_printf(sb, ", dsn=2.0.0, status=sent (250 2.0.0 <%s> %s "
		    "Saved)", rcpt, id);
	} else {
		pid = pool_get(rs, POOL_LOCAL, pt->handoff, done - pt->handoff);
		sb = sys_line(sim, rs, done, "postfix/local", pid);
		sb_printf(sb, "%s: to=<postmaster@%s>, orig_to=<%s>, "
		    "relay=local", qid, rs->fqdn, rcpt);
		pf_delays(sb, pt);
		sb_puts(sb, ", dsn=2.0.0, status=sent (delivered to mailbox)");
	}
	line_end(&sim->sched);
}

/*
 * pf_cleanup_line - cleanup's "qid: message-id=<...>" at t: the
 * client's Message-ID, or the one cleanup made for the message first
 * queued as first_qid
 */
static void
pf_cleanup_line(struct sim *sim, struct relay_state *rs, int64_t t,
    uint32_t pid, const char *qid, const struct message *msg,
    const char *first_qid)
{
	struct sbuf *sb = sys_line(sim, rs, t, "postfix/cleanup", pid);

	sb_printf(sb, "%s: message-id=<", qid);
	if (msg->msgid != NULL)
		sb_puts(sb, msg->msgid);
	else
		pf_mta_msgid(sb, rs, msg->t_queued, first_qid);
	sb_putc(sb, '>');
	line_end(&sim->sched);
}

/*
 * pf_filter - an outbound content filter (amavisd-new behind
 * content_filter on 127.0.0.1:10024, handing the message back to an
 * smtpd on :10025) takes the accepted message qid: its queue manager
 * line, the copy's smtpd and cleanup lines, every accepted recipient
 * handed over with the copy's queue ID in the answer, and its removal,
 * all before the copy's own queue manager line.  qid and *arrival
 * become the copy's, whose deliveries follow as any message's.
 */
static void
pf_filter(struct sim *sim, struct relay_state *rs,
    const struct message *msg, char *qid, int64_t *arrival)
{
	struct sbuf *sb;
	char	 copy[24];
	int64_t	 t0 = msg->t_queued;
	uint32_t pid, i;

	sb = sys_line(sim, rs, t0 + 100, "postfix/qmgr", rs->qmgr_pid);
	sb_printf(sb, "%s: from=<%s>, size=%u, nrcpt=%u (queue active)",
	    qid, msg->sender, queued_size(msg), msg->naccepted);
	line_end(&sim->sched);
	pf_queue_id(rs, t0 + 300, copy);
	pid = pool_get(rs, POOL_SMTPD, t0 + 250, 150);
	sb = sys_line(sim, rs, t0 + 300, "postfix/smtpd", pid);
	sb_printf(sb, "%s: client=localhost[127.0.0.1]", copy);
	line_end(&sim->sched);
	pid = pool_get(rs, POOL_CLEANUP, t0 + 320, 100);
	pf_cleanup_line(sim, rs, t0 + 350, pid, copy, msg, qid);
	pid = pool_get(rs, POOL_SMTP, t0 + 150, 300);
	for (i = 0; i < msg->nrcpt; i++) {
		if (msg->rcpts[i].reject != RR_NONE)
			continue;
		sb = sys_line(sim, rs, t0 + 400, "postfix/smtp", pid);
		sb_printf(sb, "%s: to=<%s>, relay=127.0.0.1[127.0.0.1]:10024, "
		    "delay=0.41, delays=0.01/0/0.01/0.39, dsn=2.0.0, "
		    "status=sent (250 2.0.0 from MTA(smtp:[127.0.0.1]:10025): "
		    "250 2.0.0 Ok: queued as %s)", qid, msg->rcpts[i].addr,
		    copy);
		line_end(&sim->sched);
	}
	sb = sys_line(sim, rs, t0 + 500, "postfix/qmgr", rs->qmgr_pid);
	sb_printf(sb, "%s: removed", qid);
	line_end(&sim->sched);
	memcpy(qid, copy, sizeof(copy));
	*arrival = t0 + 300;
}

/* pf_message - every line one message causes, from its queue file's
   creation to its removal and the bounces it triggers */
static void
pf_message(struct sim *sim, struct relay_state *rs, const struct session *s,
    const struct message *msg, const char *client, const char *prog,
    uint32_t smtpd_pid)
{
	struct sbuf *sb;
	char	 qid[24] = "";
	bool	 have_qid = false;
	int64_t	 arrival = 0, t_removed = 0, t_active;
	uint32_t i, g, pid, qsize;
	int	 k;

	for (i = 0; i < msg->nrcpt; i++) {
		const struct rcpt *rc = &msg->rcpts[i];

		if (rc->reject == RR_NONE && !have_qid) {
			/* smtpd opens the queue file at the first accepted
			   recipient (smtpd_delay_open). */
			pf_queue_id(rs, rc->t_rcpt, qid);
			have_qid = true;
			arrival = rc->t_rcpt;
			sb = sys_line(sim, rs, rc->t_rcpt, prog, smtpd_pid);
			sb_printf(sb, "%s: client=%s", qid, client);
			if (s->authenticated)
				sb_printf(sb, ", sasl_method=%s, "
				    "sasl_username=%s", s->sasl_login ?
				    "LOGIN" : "PLAIN", s->sasl_user);
			line_end(&sim->sched);
		}
		if (rc->reject != RR_NONE) {
			sb = sys_line(sim, rs, rc->t_rcpt, prog, smtpd_pid);
			sb_printf(sb, "%s: reject: RCPT from %s: ",
			    have_qid ? qid : "NOQUEUE", client);
			reject_text(sb, rc->reject, msg->sender, rc->addr,
			    s->sasl_user, s->client_ip);
			sb_printf(sb, "; from=<%s> to=<%s> proto=ESMTP "
			    "helo=<%s>",
			    msg->sender, rc->addr, s->helo);
			line_end(&sim->sched);
		}
	}
	if (!have_qid)
		return;
	pid = pool_get(rs, POOL_CLEANUP, msg->t_queued - 2000, 4000);
	pf_cleanup_line(sim, rs, msg->t_queued - 1500, pid, qid, msg, qid);
	if (msg->content_reject) {
		/* The outbound content filter (a milter) refused it. */
		sb = sys_line(sim, rs, msg->t_queued - 500, "postfix/cleanup",
		    pid);
		sb_printf(sb, "%s: milter-reject: END-OF-MESSAGE from %s: "
		    "5.7.1 "
		    "Spam message rejected; from=<%s> to=<%s> proto=ESMTP "
		    "helo=<%s>", qid, client, msg->sender,
		    msg->rcpts[0].addr, s->helo);
		line_end(&sim->sched);
		return;
	}
	if (sim->cfg.content_filter && !s->inbound)
		pf_filter(sim, rs, msg, qid, &arrival);
	qsize = queued_size(msg);
	for (k = 0; k < msg->nrounds; k++) {
		int64_t	 round_end = 0;
		bool	 pending_left = false;

		t_active = k == 0 ? msg->t_queued + 700 : msg->t_round[k];
		sb = sys_line(sim, rs, t_active, "postfix/qmgr", rs->qmgr_pid);
		sb_printf(sb, "%s: from=<%s>, size=%u, nrcpt=%u (queue active)",
		    qid, msg->sender, qsize, msg->naccepted);
		line_end(&sim->sched);
		for (g = 0; g < msg->ngroups; g++) {
			const struct group *gr = &msg->groups[g];
			const struct domain *d = &sim->dt.d[gr->domain];
			struct pf_times pt;
			int64_t	 done;
			bool	 any = false;
			int	 conn_use = 0;

			pt.arrival = arrival;
			pt.active = t_active;
			pt.handoff = gr->t_handoff[k];
			pt.conn_us = gr->conn_us[k];
			pt.xfer_us = gr->xfer_us[k];
			if (pt.handoff < pt.active)
				pt.handoff = pt.active;
			done = pt.handoff + pt.conn_us + pt.xfer_us;
			if (gr->reused[k])
				conn_use = 2 + (int)(gr->token % 12);
			pid = 0;
			for (i = 0; i < msg->nrcpt; i++) {
				const struct rcpt *rc = &msg->rcpts[i];
				uint8_t	 defer = DEFER_NONE;

				if (rc->reject != RR_NONE || rc->group != g ||
				    rc->final_round < k)
					continue;
				if (rc->final_round > k ||
				    rc->fate == FATE_STILL_DEFERRED) {
					defer = rc->defer[k];
					pending_left = true;
				}
				if (!any) {
					any = true;
					if (s->inbound)
						break;
					pid = pool_get(rs, POOL_SMTP,
					    pt.handoff, done - pt.handoff);
					if (defer == DEFER_TIMEOUT) {
						char ip[48];

						mx_ip(d, gr->mx_variant, ip,
						    sizeof(ip));
						sb = sys_line(sim, rs, done,
						    "postfix/smtp", pid);
						sb_printf(sb, "connect to "
						    "%s[%s]:25: "
						    "Connection timed out",
						    d->mx, ip);
						line_end(&sim->sched);
					} else if (!gr->reused[k] &&
					    !d->nonexistent &&
					    gr->token % 7 != 0) {
						char relay[160];

						pf_relay_field(relay,
						    sizeof(relay), d,
						    gr->mx_variant);
						sb = sys_line(sim, rs,
						    pt.handoff + pt.conn_us,
						    "postfix/smtp", pid);
						pf_tls_out(sb, d, relay);
						line_end(&sim->sched);
					}
				}
				pf_remote_line(sim, rs, pid, qid, rc->addr, d,
				    gr->mx_variant, conn_use, &pt,
				    defer != DEFER_NONE ? FATE_SENT : rc->fate,
				    rc->stage, defer, rc->token, msg->msgid,
				    qsize);
			}
			if (any && s->inbound) {
				for (i = 0; i < msg->nrcpt; i++)
					if (msg->rcpts[i].reject == RR_NONE &&
					    msg->rcpts[i].group == g)
						pf_local_line(sim, rs, qid,
						    msg->rcpts[i].addr, d, &pt,
						    msg->rcpts[i].token);
			}
			if (any && done > round_end)
				round_end = done;
		}
		t_removed = round_end + 900;
		if (msg->ndr[k].present) {
			if (msg->ndr[k].t + 1500 > t_removed)
				t_removed = msg->ndr[k].t + 1500;
			pf_ndr(sim, rs, msg, qid, k, !pending_left, t_removed);
		} else if (!pending_left) {
			sb = sys_line(sim, rs, t_removed, "postfix/qmgr",
			    rs->qmgr_pid);
			sb_printf(sb, "%s: removed", qid);
			line_end(&sim->sched);
		}
	}
}

/* pf_session - a whole SMTP session in Postfix's words */
static void
pf_session(struct sim *sim, const struct session *s)
{
	struct relay_state *rs = &sim->relays[s->relay];
	struct sbuf *sb;
	enum pool_id pool;
	const char *prog = pf_smtpd(s->port, &pool);
	char	 client[160];
	uint32_t pid, i, mail = 0, rcpt_ok = 0, rcpt_all = 0, data_ok = 0;
	uint32_t data_all = 0, ok, all, auth_all;
	bool	 starttls = s->tls && s->port != 465;

	(void)snprintf(client, sizeof(client), "%s[%s]", s->client_name,
	    s->client_ip);
	pid = pool_get(rs, pool, s->t_connect, s->t_disconnect - s->t_connect);
	if (s->port == 25) {
		/* postscreen screens port 25 before smtpd gets it. */
		int64_t	t = s->t_connect - 4000 - (int64_t)(s->token % 3000);
		bool	v6 = strchr(s->client_ip, ':') != NULL;

		sb = sys_line(sim, rs, t, "postfix/postscreen",
		    rs->postscreen_pid);
		sb_printf(sb, "CONNECT from [%s]:%u to [%s]:25", s->client_ip,
		    s->client_port, v6 ? rs->ip6 : rs->ip);
		line_end(&sim->sched);
		sb = sys_line(sim, rs, t + 300, "postfix/postscreen",
		    rs->postscreen_pid);
		if (s->inbound || s->acct == NULL || s->acct->kind != KIND_IP)
			sb_printf(sb, "PASS %s [%s]:%u", s->token % 4 == 0 ?
			    "NEW" : "OLD", s->client_ip, s->client_port);
		else
			sb_printf(sb, "%s [%s]:%u", rs->new_postfix ?
			    "ALLOWLISTED" : "WHITELISTED", s->client_ip,
			    s->client_port);
		line_end(&sim->sched);
	}
	sb = sys_line(sim, rs, s->t_connect, prog, pid);
	sb_printf(sb, "connect from %s", client);
	line_end(&sim->sched);
	if (s->tls) {
		sb = sys_line(sim, rs, s->t_connect + 20000, prog, pid);
		pf_tls_in(sb, client, s->token);
		line_end(&sim->sched);
	}
	for (i = 0; i < s->nauth_fail; i++) {
		sb = sys_line(sim, rs, s->t_auth_fail[i], prog, pid);
		sb_printf(sb, "warning: %s: SASL %s authentication failed: %s",
		    client, s->sasl_login ? "LOGIN" : "PLAIN",
		    s->sasl_login ? "UGFzc3dvcmQ6" :
		    rs->new_postfix ? "(reason unavailable)" :
		    "authentication failure");
		if (rs->new_postfix && s->fail_user != NULL)
			sb_printf(sb, ", sasl_username=%s", s->fail_user);
		line_end(&sim->sched);
	}
	for (i = 0; i < s->nmsgs; i++) {
		const struct message *msg = &s->msgs[i];

		pf_message(sim, rs, s, msg, client, prog, pid);
		mail++;
		rcpt_all += msg->nrcpt;
		rcpt_ok += msg->naccepted;
		if (msg->naccepted > 0) {
			data_all++;
			if (!msg->content_reject)
				data_ok++;
		}
	}
	if (!s->quit && s->nmsgs == 0) {
		sb = sys_line(sim, rs, s->t_disconnect - 1000, prog, pid);
		sb_printf(sb, "lost connection after AUTH from %s", client);
		line_end(&sim->sched);
	}
	/* The command summary Postfix 3 appends (smtpd.c, in the order
	   of its command table). */
	sb = sys_line(sim, rs, s->t_disconnect, prog, pid);
	sb_printf(sb, "disconnect from %s ehlo=%u", client, starttls ? 2u : 1u);
	ok = all = starttls ? 2 : 1;
	if (starttls) {
		sb_puts(sb, " starttls=1");
		ok++;
		all++;
	}
	auth_all = s->nauth_fail + (s->authenticated ? 1 : 0);
	if (auth_all > 0) {
		uint32_t auth_ok = s->authenticated ? 1 : 0;

		if (auth_ok == auth_all)
			sb_printf(sb, " auth=%u", auth_ok);
		else
			sb_printf(sb, " auth=%u/%u", auth_ok, auth_all);
		ok += auth_ok;
		all += auth_all;
	}
	if (mail > 0) {
		sb_printf(sb, " mail=%u", mail);
		if (rcpt_ok == rcpt_all)
			sb_printf(sb, " rcpt=%u", rcpt_ok);
		else
			sb_printf(sb, " rcpt=%u/%u", rcpt_ok, rcpt_all);
		ok += mail + rcpt_ok;
		all += mail + rcpt_all;
		if (data_all > 0) {
			if (data_ok == data_all)
				sb_printf(sb, " data=%u", data_ok);
			else
				sb_printf(sb, " data=%u/%u", data_ok, data_all);
			ok += data_ok;
			all += data_all;
		}
	}
	if (s->quit) {
		sb_puts(sb, " quit=1");
		ok++;
		all++;
	}
	if (ok == all)
		sb_printf(sb, " commands=%u", ok);
	else
		sb_printf(sb, " commands=%u/%u", ok, all);
	line_end(&sim->sched);
}

/* ------------------------------------------------------------------ */
/* Noise: what else a relay's log holds					*/
/* ------------------------------------------------------------------ */

enum noise_kind {
	NZ_INBOUND,		/* mail for mailboxes hosted here */
	NZ_BOT_REJECT,		/* outside spam bot refused (DNSBL) */
	NZ_SCREEN,		/* other pre-SMTP screening events */
	NZ_DICT,		/* SASL dictionary attack, made-up users */
	NZ_CRON,		/* cron job runs */
	NZ_CRON_MAIL,		/* a cron job's output mailed to root */
	NZ_SSH,			/* an administrator logs in */
	NZ_SSH_BRUTE,		/* ssh password scanners */
	NZ_ANVIL,		/* Postfix anvil statistics */
	NZ_ROTATE,		/* log rotation at midnight */
	NZ_RELOAD,		/* Postfix reload (long queue IDs on) */
	NZ_WARNING		/* assorted warnings */
};

/* The pieces of a noise event every writer agrees on. */
struct noise {
	uint8_t		 kind;
	struct relay_state *rs;
	int64_t		 t;
	struct session	*s;		/* NZ_INBOUND, NZ_BOT_REJECT, NZ_DICT */
	struct rng	 r;		/* further details */
	uint64_t	 token;
};

/* plan_noise_day - the noise events of one relay on one day */
static void
plan_noise_day(struct plan_vec *pv, const struct sim *sim, uint32_t relay,
    int day)
{
	const struct config *cfg = &sim->cfg;
	const struct relay_state *rs = &sim->relays[relay];
	struct rng	r;
	int64_t		t0 = day_start_us(cfg, day);
	double		share = (double)sim->pop.n / cfg->relays;
	uint32_t	seq = 0, i, n;
	int		h;

#define NOISE(t, kind) do {						\
	int64_t nt_ = (t);						\
									\
	nt_ += rng_range(&r, 0, 999999);				\
	plan_add(pv, nt_, relay, seq++, 0, day, ST_NOISE);		\
	pv->v[pv->n - 1].noise_kind = (kind);				\
} while (0)

	rng_init(&r, cfg->seed, STREAM_NOISE_PLAN, relay, (uint64_t)day);
	NOISE(t0 + rng_range(&r, 1000, 40000), NZ_ROTATE);
	n = rng_poisson(&r, share * 0.4);
	for (i = 0; i < n; i++)
		NOISE(t0 + curve_time(&r, home_curve), NZ_INBOUND);
	n = rng_poisson(&r, share * 0.3);
	for (i = 0; i < n; i++)
		NOISE(t0 + any_time(&r), NZ_BOT_REJECT);
	n = rng_poisson(&r, share * 0.08);
	for (i = 0; i < n; i++)
		NOISE(t0 + any_time(&r), NZ_SCREEN);
	n = rng_poisson(&r, 6 + share * 0.01);
	for (i = 0; i < n; i++)
		NOISE(t0 + any_time(&r), NZ_DICT);
	for (h = 0; h < 24; h++)
		NOISE(t0 + h * HOUR_US + 17 * MINUTE_US + rng_range(&r, 500000,
		    1500000), NZ_CRON);
	NOISE(t0 + 6 * HOUR_US + 25 * MINUTE_US + rng_range(&r, 20, 90) * USEC,
	    NZ_CRON_MAIL);
	NOISE(t0 + 3 * HOUR_US + 10 * MINUTE_US + rng_range(&r, 1, 30) * USEC,
	    NZ_CRON_MAIL);
	n = (uint32_t)rng_range(&r, 1, 4);
	for (i = 0; i < n; i++) {
		int64_t t = t0 + rng_range(&r, 8, 18) * HOUR_US;

		NOISE(t + rng_range(&r, 0, 3599) * USEC, NZ_SSH);
	}
	n = rng_poisson(&r, 20 + share * 0.02);
	for (i = 0; i < n; i++)
		NOISE(t0 + any_time(&r), NZ_SSH_BRUTE);
	for (i = 0; i < 144; i++)
		NOISE(t0 + (int64_t)i * 10 * MINUTE_US + rng_range(&r, 0,
		    59) * USEC + 300 * USEC, NZ_ANVIL);
	n = rng_poisson(&r, 2 + share * 0.03);
	for (i = 0; i < n; i++)
		NOISE(t0 + any_time(&r), NZ_WARNING);
	if (rs->long_ids_from >= t0 && rs->long_ids_from < t0 + DAY_US)
		NOISE(rs->long_ids_from - 2 * USEC, NZ_RELOAD);
#undef NOISE
}

/* sender_host - an outside mail server sending to us, from domain d */
static void
sender_host(struct model *m, struct session *s, struct rng *r,
    const struct domain *d)
{
	char	ip[48];
	uint32_t v4 = d->ip4 + 200 + rng_below(r, 30);

	uint64_t h = rng_next(r);

	if (d->style == STYLE_GMAIL)
		s->client_name = arena_printf(m->ar, "mail-%c%c1-f%u.%s",
		    'a' + (char)(h % 26), 'a' + (char)((h >> 8) % 26),
		    (unsigned)(41 + (h >> 16) % 159), d->name);
	else if (d->style == STYLE_OUTLOOK)
		s->client_name = arena_printf(m->ar, "mail-%s%u.outbound."
		    "protection.outlook.example", h & 1 ? "db" : "am",
		    (unsigned)(3 + (h >> 8) % 7));
	else
		s->client_name = arena_printf(m->ar, "%s", d->mx);
	v4 = IP4(198, 51, 100, (v4 & 0x3f) + 150);
	ip4_text(v4, ip, sizeof(ip));
	s->client_ip = arena_strdup(m->ar, ip);
	s->helo = s->client_name;
}

/* build_noise_session - the SMTP part of a noise event, if it has one */
static void
build_noise_session(struct model *m, struct noise *nz, const struct plan *p)
{
	struct session	*s;
	struct rng	*r = &nz->r;
	const struct domain_table *dt = m->dt;
	struct message	*msg;
	char		 local[64];
	uint32_t	 n, i, d;

	if (nz->kind != NZ_INBOUND && nz->kind != NZ_BOT_REJECT &&
	    nz->kind != NZ_DICT)
		return;
	s = arena_alloc(m->ar, sizeof(*s));
	nz->s = s;
	s->type = ST_NOISE;
	s->relay = (uint8_t)nz->rs->index;
	s->token = rng_next(r);
	s->t_connect = p->t_us;
	s->client_port = (uint16_t)rng_range(r, 1024, 65000);
	s->inbound = true;
	s->quit = true;
	s->port = 25;
	if (nz->kind == NZ_DICT) {
		static const char *const users[] = {
			"admin", "info", "test", "webmaster", "postmaster",
			"sales", "office", "user", "support", "contact",
			"info@" ISP_DOMAIN, "admin@" ISP_DOMAIN, "test@"
			ISP_DOMAIN, "scanner", "backup", "mail"
		};

		s->bot = true;
		session_external(m, s, rng_next(r), false);
		s->helo = bot_helo(m, r, s->client_ip);
		s->port = rng_chance(r, 0.6) ? 587 : 465;
		s->tls = true;
		s->sasl_login = true;
		s->quit = rng_chance(r, 0.3);
		s->fail_user = PICK(r, users);
		s->t_disconnect = session_auth_failures(m, s, r,
		    (uint32_t)rng_range(r, 2, 10), s->t_connect + 150000);
		s->t_disconnect += rng_range(r, 10000, 400000);
		return;
	}
	s->msgs = arena_alloc(m->ar, sizeof(*s->msgs));
	if (nz->kind == NZ_BOT_REJECT) {
		bool	exists;

		s->bot = true;
		session_external(m, s, rng_next(r), false);
		s->helo = bot_helo(m, r, s->client_ip);
		msg = new_message(m, s, 1);
		msg->sender = forged_sender(m, r, &msg->sender_domain, &exists);
		msg->sender_exists = exists;
		name_local(local, sizeof(local), rng_next(r));
		msg->rcpts[0].domain = domain_hosted(dt, r);
		msg->rcpts[0].addr = arena_printf(m->ar, "%s@%s", local,
		    dt->d[msg->rcpts[0].domain].name);
		msg->rcpts[0].reject = RR_BLOCKLIST;
		s->t_disconnect = s->t_connect + rng_range(r, 200000, 3 * USEC);
		s->t_disconnect = message_finish(m, msg, r, s->t_disconnect,
		    &normal_outcomes);
		s->t_disconnect += rng_range(r, 1000, 50000);
		return;
	}
	d = domain_by_weight(dt, rng_unit(r));
	if (d == dt->isp)
		d = 0;
	sender_host(m, s, r, &dt->d[d]);
	s->tls = rng_chance(r, 0.8);
	n = rng_chance(r, 0.85) ? 1 : (uint32_t)rng_range(r, 2, 3);
	msg = new_message(m, s, n);
	name_local(local, sizeof(local), rng_next(r));
	msg->sender = arena_printf(m->ar, "%s@%s", local, dt->d[d].name);
	msg->sender_domain = d;
	{
		char u[40];

		uuid_text(r, u, false);
		msg->msgid = arena_printf(m->ar, "%s@%s", u, dt->d[d].name);
	}
	msg->size = ordinary_size(r);
	for (i = 0; i < n; i++) {
		struct rcpt *rc = &msg->rcpts[i];

		if (rng_chance(r, 0.08)) {
			rc->domain = dt->isp;
			rc->addr = arena_printf(m->ar, "%s@%s",
			    rng_chance(r, 0.5) ? "postmaster" : "abuse",
			    ISP_DOMAIN);
		} else {
			rc->domain = domain_hosted(dt, r);
			name_local(local, sizeof(local), rng_next(r));
			rc->addr = arena_printf(m->ar, "%s@%s", local,
			    dt->d[rc->domain].name);
			if (rng_chance(r, 0.1))
				rc->reject = RR_UNKNOWN_LOCAL;
		}
	}
	{
		struct outcome_params op;

		memset(&op, 0, sizeof(op));
		s->t_disconnect = s->t_connect + rng_range(r, 100000, 600000);
		s->t_disconnect = message_finish(m, msg, r, s->t_disconnect,
		    &op);
		s->t_disconnect += rng_range(r, 5000, 100000);
	}
}

/* ext_addr - a scanner's address for ssh noise */
static void
ext_addr(struct rng *r, char *buf, size_t len)
{
	char	name[96];

	external_client(rng_next(r), false, buf, len, name, sizeof(name));
}

/* sys_noise - syslog lines that are not the MTA's (Postfix, Sendmail) */
static bool
sys_noise(struct sim *sim, struct noise *nz)
{
	struct relay_state *rs = nz->rs;
	struct rng *r = &nz->r;
	struct sbuf *sb;
	char	 ip[48];
	uint32_t pid;
	int64_t	 t = nz->t;

	switch (nz->kind) {
	case NZ_ROTATE:
		sb = sys_line(sim, rs, t, "rsyslogd", 0);
		sb_printf(sb, "[origin software=\"rsyslogd\" "
		    "swVersion=\"8.2302.0\" "
		    "x-pid=\"%u\" x-info=\"https://www.rsyslog.com\"] "
		    "rsyslogd was HUPed", rs->rsyslog_pid);
		line_end(&sim->sched);
		sb = sys_line(sim, rs, t + 40000, "systemd", 1);
		sb_puts(sb, "logrotate.service: Deactivated successfully.");
		line_end(&sim->sched);
		sb = sys_line(sim, rs, t + 41000, "systemd", 1);
		sb_puts(sb, "Finished logrotate.service - Rotate log files.");
		line_end(&sim->sched);
		return true;
	case NZ_CRON:
		pid = relay_new_pid(rs);
		sb = sys_line(sim, rs, t, "CRON", pid);
		sb_puts(sb, "pam_unix(cron:session): session opened for user "
		    "root(uid=0) by root(uid=0)");
		line_end(&sim->sched);
		sb = sys_line(sim, rs, t + 1500, "CRON", pid);
		sb_puts(sb, "(root) CMD (cd / && run-parts --report "
		    "/etc/cron.hourly)");
		line_end(&sim->sched);
		t += 9000 + rng_range(r, 0, 50000);
		sb = sys_line(sim, rs, t, "CRON", pid);
		sb_puts(sb, "pam_unix(cron:session): session closed for user "
		    "root");
		line_end(&sim->sched);
		return true;
	case NZ_SSH: {
		uint32_t sess = (uint32_t)rng_range(r, 100, 9000);
		uint64_t h;
		char	 fp[48];

		pid = relay_new_pid(rs);
		base62(fp, rng_next(r), 10);
		base62(fp + 10, rng_next(r), 10);
		base62(fp + 20, rng_next(r), 10);
		base62(fp + 30, rng_next(r), 13);
		sb = sys_line(sim, rs, t, "sshd", pid);
		h = rng_next(r);
		sb_printf(sb, "Accepted publickey for admin from 10.255.0.%u "
		    "port "
		    "%u ssh2: ED25519 SHA256:%s", (unsigned)(5 + h % 5),
		    (unsigned)(40000 + (h >> 8) % 20000), fp);
		line_end(&sim->sched);
		sb = sys_line(sim, rs, t + 9000, "sshd", pid);
		sb_puts(sb, "pam_unix(sshd:session): session opened for user "
		    "admin(uid=1000) by admin(uid=0)");
		line_end(&sim->sched);
		sb = sys_line(sim, rs, t + 12000, "systemd-logind", 612);
		sb_printf(sb, "New session %u of user admin.", sess);
		line_end(&sim->sched);
		sb = sys_line(sim, rs, t + 15000, "systemd", 1);
		sb_printf(sb, "Started session-%u.scope - Session %u of User "
		    "admin.", sess, sess);
		line_end(&sim->sched);
		t += rng_range(r, 60, 1800) * USEC;
		sb = sys_line(sim, rs, t, "sshd", pid);
		sb_printf(sb, "pam_unix(sshd:session): session closed for user "
		    "admin");
		line_end(&sim->sched);
		sb = sys_line(sim, rs, t + 3000, "systemd", 1);
		sb_printf(sb, "session-%u.scope: Deactivated successfully.",
		    sess);
		line_end(&sim->sched);
		return true;
	}
	case NZ_SSH_BRUTE: {
		static const char *const users[] = {
			"oracle", "test", "ubuntu", "user", "guest", "ftpuser",
			"postgres", "git", "deploy", "pi", "support", "admin1"
		};
		const char *u = PICK(r, users);
		unsigned port = (unsigned)rng_range(r, 30000, 65000);

		ext_addr(r, ip, sizeof(ip));
		pid = relay_new_pid(rs);
		sb = sys_line(sim, rs, t, "sshd", pid);
		sb_printf(sb, "Invalid user %s from %s port %u", u, ip, port);
		line_end(&sim->sched);
		t += rng_range(r, 200000, 2 * USEC);
		sb = sys_line(sim, rs, t, "sshd", pid);
		sb_printf(sb, "Connection closed by invalid user %s %s port %u "
		    "[preauth]", u, ip, port);
		line_end(&sim->sched);
		return true;
	}
	default:
		return false;
	}
}

/* pf_cron_mail - cron output handed to pickup and delivered to root */
static void
pf_cron_mail(struct sim *sim, struct noise *nz)
{
	struct relay_state *rs = nz->rs;
	struct sbuf *sb;
	struct pf_times pt;
	char	 qid[24];
	int64_t	 t = nz->t;
	uint32_t pid, size = (uint32_t)rng_range(&nz->r, 700, 4000);

	pf_queue_id(rs, t, qid);
	sb = sys_line(sim, rs, t, "postfix/pickup", rs->pickup_pid);
	sb_printf(sb, "%s: uid=0 from=<root>", qid);
	line_end(&sim->sched);
	pid = pool_get(rs, POOL_CLEANUP, t, 3000);
	sb = sys_line(sim, rs, t + 1200, "postfix/cleanup", pid);
	sb_printf(sb, "%s: message-id=<", qid);
	pf_mta_msgid(sb, rs, t, qid);
	sb_putc(sb, '>');
	line_end(&sim->sched);
	sb = sys_line(sim, rs, t + 2500, "postfix/qmgr", rs->qmgr_pid);
	sb_printf(sb, "%s: from=<root@%s>, size=%u, nrcpt=1 (queue active)",
	    qid, rs->fqdn, size);
	line_end(&sim->sched);
	pt.arrival = t;
	pt.active = t + 2500;
	pt.handoff = t + 4000;
	pt.conn_us = 0;
	pt.xfer_us = rng_range(&nz->r, 3000, 30000);
	pid = pool_get(rs, POOL_LOCAL, pt.handoff, pt.xfer_us);
	sb = sys_line(sim, rs, pt.handoff + pt.xfer_us, "postfix/local", pid);
	sb_printf(sb, "%s: to=<root@%s>, orig_to=<root>, relay=local", qid,
	    rs->fqdn);
	pf_delays(sb, &pt);
	sb_puts(sb, ", dsn=2.0.0, status=sent (delivered to mailbox)");
	line_end(&sim->sched);
	sb = sys_line(sim, rs, pt.handoff + pt.xfer_us + 800, "postfix/qmgr",
	    rs->qmgr_pid);
	sb_printf(sb, "%s: removed", qid);
	line_end(&sim->sched);
}

/* pf_noise - a noise event in a Postfix relay's log */
static void
pf_noise(struct sim *sim, struct noise *nz)
{
	struct relay_state *rs = nz->rs;
	struct rng *r = &nz->r;
	struct sbuf *sb;
	struct tm tm;
	char	 ip[48];
	int64_t	 t = nz->t;
	unsigned port;

	if (sys_noise(sim, nz))
		return;
	switch (nz->kind) {
	case NZ_INBOUND:
	case NZ_DICT:
		pf_session(sim, nz->s);
		return;
	case NZ_BOT_REJECT: {
		const struct session *s = nz->s;
		const struct message *msg = &s->msgs[0];

		port = s->client_port;
		sb = sys_line(sim, rs, t, "postfix/postscreen",
		    rs->postscreen_pid);
		sb_printf(sb, "CONNECT from [%s]:%u to [%s]:25", s->client_ip,
		    port, strchr(s->client_ip, ':') ? rs->ip6 : rs->ip);
		line_end(&sim->sched);
		sb = sys_line(sim, rs, t + 90000, "postfix/postscreen",
		    rs->postscreen_pid);
		sb_printf(sb, "DNSBL rank %u for [%s]:%u",
		    (unsigned)rng_range(r, 3, 11), s->client_ip, port);
		line_end(&sim->sched);
		sb = sys_line(sim, rs, msg->rcpts[0].t_rcpt,
		    "postfix/postscreen", rs->postscreen_pid);
		sb_printf(sb, "NOQUEUE: reject: RCPT from [%s]:%u: 550 5.7.1 "
		    "Service unavailable; client [%s] blocked using "
		    "zen.spamhaus.example; from=<%s>, to=<%s>, proto=ESMTP, "
		    "helo=<%s>", s->client_ip, port, s->client_ip, msg->sender,
		    msg->rcpts[0].addr, s->helo);
		line_end(&sim->sched);
		sb = sys_line(sim, rs, s->t_disconnect, "postfix/postscreen",
		    rs->postscreen_pid);
		sb_printf(sb, "DISCONNECT [%s]:%u", s->client_ip, port);
		line_end(&sim->sched);
		return;
	}
	case NZ_SCREEN:
		ext_addr(r, ip, sizeof(ip));
		port = (unsigned)rng_range(r, 1024, 65000);
		sb = sys_line(sim, rs, t, "postfix/postscreen",
		    rs->postscreen_pid);
		sb_printf(sb, "CONNECT from [%s]:%u to [%s]:25", ip, port,
		    strchr(ip, ':') ? rs->ip6 : rs->ip);
		line_end(&sim->sched);
		sb = sys_line(sim, rs, t + rng_range(r, 10000, 900000),
		    "postfix/postscreen", rs->postscreen_pid);
		switch (rng_below(r, 4)) {
		case 0:
			sb_printf(sb, "PREGREET 11 after 0.%02u from [%s]:%u: "
			    "EHLO User\\r\\n", (unsigned)rng_range(r, 1, 99),
			    ip, port);
			break;
		case 1:
			sb_printf(sb, "HANGUP after 0.%u from [%s]:%u in tests "
			    "before SMTP handshake",
			    (unsigned)rng_range(r, 1, 9), ip, port);
			break;
		case 2:
			sb_printf(sb, "COMMAND TIME LIMIT from [%s]:%u after "
			    "CONNECT", ip, port);
			break;
		default:
			sb_printf(sb, "NON-SMTP COMMAND from [%s]:%u after "
			    "CONNECT: GET / HTTP/1.1", ip, port);
			break;
		}
		line_end(&sim->sched);
		sb = sys_line(sim, rs, t + rng_range(r, 1000000, 20000000),
		    "postfix/postscreen", rs->postscreen_pid);
		sb_printf(sb, "DISCONNECT [%s]:%u", ip, port);
		line_end(&sim->sched);
		return;
	case NZ_CRON_MAIL:
		pf_cron_mail(sim, nz);
		return;
	case NZ_ANVIL: {
		const struct account *a = &sim->pop.a[rng_below(r, sim->pop.n)];
		const char *svc = a->port == 25 ? "smtp" : a->port == 587 ?
		    "submission" : "smtps";

		civil_of(t / USEC - rng_range(r, 60, 590), &tm);
		sb = sys_line(sim, rs, t, "postfix/anvil", rs->anvil_pid);
		sb_printf(sb, "statistics: max connection rate %u/60s for "
		    "(%s:%s)"
		    " at %s %2d %02d:%02d:%02d", (unsigned)rng_range(r, 1, 12),
		    svc, a->ip, month_abbr[tm.tm_mon], tm.tm_mday, tm.tm_hour,
		    tm.tm_min, tm.tm_sec);
		line_end(&sim->sched);
		sb = sys_line(sim, rs, t, "postfix/anvil", rs->anvil_pid);
		sb_printf(sb, "statistics: max connection count %u for (%s:%s)"
		    " at %s %2d %02d:%02d:%02d", (unsigned)rng_range(r, 1, 4),
		    svc, a->ip, month_abbr[tm.tm_mon], tm.tm_mday, tm.tm_hour,
		    tm.tm_min, tm.tm_sec);
		line_end(&sim->sched);
		sb = sys_line(sim, rs, t, "postfix/anvil", rs->anvil_pid);
		sb_printf(sb, "statistics: max cache size %u at %s %2d "
		    "%02d:%02d:%02d", (unsigned)rng_range(r, 2, 60),
		    month_abbr[tm.tm_mon], tm.tm_mday, tm.tm_hour, tm.tm_min,
		    tm.tm_sec);
		line_end(&sim->sched);
		return;
	}
	case NZ_RELOAD:
		sb = sys_line(sim, rs, t, "postfix/postfix-script",
		    relay_new_pid(rs));
		sb_puts(sb, "refreshing the Postfix mail system");
		line_end(&sim->sched);
		sb = sys_line(sim, rs, t + 30000, "postfix/master",
		    rs->master_pid);
		sb_puts(sb, "reload -- version 3.9.1, configuration "
		    "/etc/postfix");
		line_end(&sim->sched);
		rs->qmgr_pid = relay_new_pid(rs);
		rs->pickup_pid = relay_new_pid(rs);
		return;
	case NZ_WARNING: {
		const struct account *a = &sim->pop.a[rng_below(r, sim->pop.n)];
		uint32_t pid = pool_get(rs, POOL_SMTPD, t, 1000);

		sb = sys_line(sim, rs, t, "postfix/smtpd", pid);
		if (a->has_ptr && rng_chance(r, 0.5))
			sb_printf(sb, "warning: hostname %s does not resolve "
			    "to "
			    "address %s: Name or service not known", a->ptr,
			    a->ip);
		else if (rng_chance(r, 0.5)) {
			sb_printf(sb, "warning: TLS library problem: error:"
			    "0A000126:SSL routines::unexpected eof while "
			    "reading:"
			    "../ssl/record/rec_layer_s3.c:317:");
		} else {
			ext_addr(r, ip, sizeof(ip));
			sb_printf(sb, "warning: non-SMTP command from "
			    "unknown[%s]: "
			    "GET / HTTP/1.1", ip);
		}
		line_end(&sim->sched);
		return;
	}
	default:
		return;
	}
}

/* ------------------------------------------------------------------ */
/* Driver								*/
/* ------------------------------------------------------------------ */

static void	ex_session(struct sim *, const struct session *);
static void	ex_noise(struct sim *, struct noise *);
static void	sm_session(struct sim *, const struct session *);
static void	sm_noise(struct sim *, struct noise *);

/* write_session - render a session in the run's format */
static void
write_session(struct sim *sim, const struct session *s)
{
	switch (sim->cfg.format) {
	case FORMAT_EXIM:
		ex_session(sim, s);
		break;
	case FORMAT_SENDMAIL:
		sm_session(sim, s);
		break;
	default:
		pf_session(sim, s);
		break;
	}
}

/* write_noise - render a noise event in the run's format */
static void
write_noise(struct sim *sim, struct noise *nz)
{
	switch (sim->cfg.format) {
	case FORMAT_EXIM:
		ex_noise(sim, nz);
		break;
	case FORMAT_SENDMAIL:
		sm_noise(sim, nz);
		break;
	default:
		pf_noise(sim, nz);
		break;
	}
}

/* plan_midnight - an ordinary message timed to straddle midnight, so
   that every rotated file boundary is crossed by at least one message */
static void
plan_midnight(struct plan_vec *pv, const struct sim *sim, int day)
{
	const struct population *pop = &sim->pop;
	struct rng r;
	uint32_t   i = 0, start, k;

	rng_init(&r, sim->cfg.seed, STREAM_MIDNIGHT, (uint64_t)day, 0);
	start = rng_below(&r, pop->n);
	for (k = 0; k < pop->n; k++) {
		i = (start + k) % pop->n;
		if (pop->a[i].cls == CLASS_HOME ||
		    pop->a[i].cls == CLASS_DEVICE)
			break;
	}
	if (k == pop->n)
		return;
	plan_add(pv, day_start_us(&sim->cfg, day + 1) - rng_range(&r, 200000,
	    900000), i, 0x40000000u + (uint32_t)day, 0, day, ST_MIDNIGHT);
}

/* run_day - plan, build and write every session of one day */
static void
run_day(struct sim *sim, struct plan_vec *pv, int day, bool last)
{
	const struct config *cfg = &sim->cfg;
	struct model m;
	struct session s;
	uint32_t i, rl;
	size_t	 j, keep;
	int64_t	 warm_from = day_start_us(cfg, 1) - 3 * HOUR_US;

	m.cfg = cfg;
	m.dt = &sim->dt;
	m.pop = &sim->pop;
	m.ar = &sim->arena;
	pv->n = 0;
	for (i = 0; i < sim->pop.n; i++)
		plan_account_day(pv, cfg, &sim->pop.a[i], day);
	if (day >= 1 && !last)
		plan_midnight(pv, sim, day);
	if (cfg->noise && day >= 1)
		for (rl = 0; rl < (uint32_t)cfg->relays; rl++)
			plan_noise_day(pv, sim, rl, day);
	if (day == 0) {
		/* The warm-up day only feeds retries and late deliveries
		   into the first file. */
		for (j = keep = 0; j < pv->n; j++)
			if (pv->v[j].t_us >= warm_from)
				pv->v[keep++] = pv->v[j];
		pv->n = keep;
	}
	qsort(pv->v, pv->n, sizeof(*pv->v), plan_cmp);
	for (j = 0; j < pv->n && !sim->sched.failed; j++) {
		const struct plan *p = &pv->v[j];

		/* No line of a session precedes its start by more than a
		   few milliseconds (postscreen), so older lines are final. */
		sched_flush(sim, p->t_us - 20000);
		if (p->type == ST_NOISE) {
			struct noise nz;

			memset(&nz, 0, sizeof(nz));
			nz.kind = p->noise_kind;
			nz.rs = &sim->relays[p->acct];
			nz.t = p->t_us;
			rng_init(&nz.r, cfg->seed, STREAM_NOISE, p->acct,
			    ((uint64_t)p->day << 32) | p->seq);
			nz.token = rng_next(&nz.r);
			build_noise_session(&m, &nz, p);
			write_noise(sim, &nz);
		} else {
			build_session(&m, p, &s);
			write_session(sim, &s);
		}
		sched_commit(&sim->sched);
		arena_reset(&sim->arena);
	}
}

/* write_labels - the account list with every account's class */
static bool
write_labels(const struct sim *sim, const char *path)
{
	struct outfile *of;
	FILE	*fp;
	char	 err[512];
	uint32_t i;

	of = outfile_open(path, err, sizeof(err));
	if (of == NULL) {
		fprintf(stderr, "%s: %s\n", PROGNAME, err);
		return false;
	}
	fp = outfile_stream(of);
	fputs("account,kind,class,zombie_kind,bad_from_day\n", fp);
	for (i = 0; i < sim->pop.n; i++) {
		const struct account *a = &sim->pop.a[i];

		fprintf(fp, "%s,%s,%s,%s,", a->name,
		    a->kind == KIND_SASL ? "sasl" : "ip", class_names[a->cls],
		    zombie_names[a->zombie]);
		if (a->cls == CLASS_ZOMBIE)
			fprintf(fp, "%u", a->bad_from_day);
		fputc('\n', fp);
	}
	if (!outfile_commit(of, err, sizeof(err))) {
		fprintf(stderr, "%s: %s\n", PROGNAME, err);
		return false;
	}
	return true;
}

/*
 * make_dir - the directory path and any of its parents missing, as
 * mkdir -p; one that exists already is fine
 */
static bool
make_dir(const char *path)
{
	char	*p = xstrdup(path), *s, c;
	bool	 ok = true;

	for (s = p; ok; s++) {
		if ((*s != '/' || s == p) && *s != '\0')
			continue;
		c = *s;
		*s = '\0';
		if (mkdir(p, 0777) != 0 && errno != EEXIST) {
			fprintf(stderr, "%s: %s: %s\n", PROGNAME, p,
			    strerror(errno));
			ok = false;
		}
		*s = c;
		if (c == '\0')
			break;
	}
	free(p);
	return ok;
}

/* usage - the synopsis */
static void
usage(FILE *fp)
{
	fprintf(fp,
	    "usage: %s --outdir DIR [--seed N] [--days N] [--start "
	    "YYYY-MM-DD]\n"
	    "             [--relays N] [--subscribers N]"
	    " [--format postfix|exim|sendmail]\n"
	    "             [--gzip] [--scale F] [--volume F] [--zombie-fraction F]"
	    " [--no-noise]\n"
	    "             [--labels FILE] [--target-bytes N[KMG]]"
	    " [--content-filter]\n"
	    "\n"
	    "Writes simulated outbound mail relay logs for a population of\n"
	    "ISP subscribers, DIR/<relay>/mail.log* (mainlog* for Exim), and\n"
	    "a labels file naming every account's class (DIR/labels.csv).\n"
	    "The same arguments always give the same bytes.\n"
	    "\n"
	    "  --outdir DIR          output directory (made, with its parents,\n"
	    "                        if missing)\n"
	    "  --seed N              random seed (1)\n"
	    "  --days N              days of logs (1)\n"
	    "  --start YYYY-MM-DD    first day (2026-11-25)\n"
	    "  --relays N            relays the subscribers use (2)\n"
	    "  --subscribers N       subscribers before --scale (300)\n"
	    "  --format F            postfix, exim or sendmail (postfix)\n"
	    "  --gzip                compress the rotated files\n"
	    "  --volume F            multiply bulk-list and spam volumes (1), for\n"
	    "                        small samples\n"
	    "  --scale F             multiply the population and all volume "
	    "(1)\n"
	    "  --zombie-fraction F   share of infected subscribers (0.03)\n"
	    "  --no-noise            only subscriber traffic, no other lines\n"
	    "  --labels FILE         labels file (DIR/labels.csv)\n"
	    "  --target-bytes N      add days until about N bytes are written\n"
	    "  --content-filter      Postfix relays pass outbound mail through"
	    " a\n                        content filter that hands it back as"
	    " a copy\n"
	    "  --help                this text\n", PROGNAME);
}

/* parse_u64 - a whole number with an optional K/M/G suffix */
static bool
parse_u64(const char *s, uint64_t *out, bool suffix)
{
	char	*end;
	unsigned long long v;

	errno = 0;
	if (*s == '-' || *s == '\0')
		return false;
	v = strtoull(s, &end, 10);
	if (errno != 0 || end == s)
		return false;
	if (suffix && *end != '\0' && end[1] == '\0') {
		uint64_t mul = *end == 'K' || *end == 'k' ? 1ULL << 10 :
		    *end == 'M' || *end == 'm' ? 1ULL << 20 :
		    *end == 'G' || *end == 'g' ? 1ULL << 30 : 0;

		if (mul == 0 || v > UINT64_MAX / mul)
			return false;
		v *= mul;
		end++;
	}
	if (*end != '\0')
		return false;
	*out = v;
	return true;
}

/* parse_double - a finite real number */
static bool
parse_double(const char *s, double *out)
{
	char	*end;
	double	 v;

	errno = 0;
	v = strtod(s, &end);
	if (errno != 0 || end == s || *end != '\0' || !isfinite(v))
		return false;
	*out = v;
	return true;
}

/* parse_date - YYYY-MM-DD to days since the epoch */
static bool
parse_date(const char *s, int64_t *day)
{
	int	y, m, d, n = 0;
	static const int mdays[12] = { 31, 29, 31, 30, 31, 30, 31, 31, 30,
	    31, 30, 31 };

	if (sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 ||
	    s[n] != '\0' || strlen(s) != 10)
		return false;
	if (y < 1971 || y > 9999 || m < 1 || m > 12 || d < 1 ||
	    d > mdays[m - 1])
		return false;
	if (m == 2 && d == 29 &&
	    !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)))
		return false;
	*day = days_from_civil(y, m, d);
	return true;
}

/* parse_args - the command line into cfg; exit status or -1 to go on */
static int
parse_args(int argc, char **argv, struct config *cfg)
{
	enum {
		OPT_OUTDIR = 256, OPT_SEED, OPT_DAYS, OPT_START, OPT_RELAYS,
		OPT_SUBSCRIBERS, OPT_FORMAT, OPT_GZIP, OPT_SCALE, OPT_VOLUME, OPT_ZOMBIE,
		OPT_NO_NOISE, OPT_LABELS, OPT_TARGET, OPT_FILTER, OPT_HELP
	};
	static const struct option longopts[] = {
		{ "outdir", required_argument, NULL, OPT_OUTDIR },
		{ "seed", required_argument, NULL, OPT_SEED },
		{ "days", required_argument, NULL, OPT_DAYS },
		{ "start", required_argument, NULL, OPT_START },
		{ "relays", required_argument, NULL, OPT_RELAYS },
		{ "subscribers", required_argument, NULL, OPT_SUBSCRIBERS },
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ "gzip", no_argument, NULL, OPT_GZIP },
		{ "scale", required_argument, NULL, OPT_SCALE },
		{ "volume", required_argument, NULL, OPT_VOLUME },
		{ "zombie-fraction", required_argument, NULL, OPT_ZOMBIE },
		{ "no-noise", no_argument, NULL, OPT_NO_NOISE },
		{ "labels", required_argument, NULL, OPT_LABELS },
		{ "target-bytes", required_argument, NULL, OPT_TARGET },
		{ "content-filter", no_argument, NULL, OPT_FILTER },
		{ "help", no_argument, NULL, OPT_HELP },
		{ NULL, 0, NULL, 0 }
	};
	uint64_t v;
	double	 x;
	int	 c;

	memset(cfg, 0, sizeof(*cfg));
	cfg->seed = 1;
	cfg->days = 1;
	cfg->start_day = days_from_civil(2026, 11, 25);
	cfg->relays = 2;
	cfg->subscribers = 300;
	cfg->scale = 1.0;
	cfg->volume = 1.0;
	cfg->noise = true;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_OUTDIR:
			cfg->outdir = optarg;
			break;
		case OPT_SEED:
			if (!parse_u64(optarg, &cfg->seed, false))
				goto bad;
			break;
		case OPT_DAYS:
			if (!parse_u64(optarg, &v, false) || v < 1 || v > 3660)
				goto bad;
			cfg->days = (int)v;
			cfg->days_set = true;
			break;
		case OPT_START:
			if (!parse_date(optarg, &cfg->start_day))
				goto bad;
			break;
		case OPT_RELAYS:
			if (!parse_u64(optarg, &v, false) || v < 1 ||
			    v > MAX_RELAYS)
				goto bad;
			cfg->relays = (int)v;
			break;
		case OPT_SUBSCRIBERS:
			if (!parse_u64(optarg, &v, false) || v < 1 ||
			    v > 10000000)
				goto bad;
			cfg->subscribers = (uint32_t)v;
			break;
		case OPT_FORMAT:
			if (strcmp(optarg, "postfix") == 0)
				cfg->format = FORMAT_POSTFIX;
			else if (strcmp(optarg, "exim") == 0)
				cfg->format = FORMAT_EXIM;
			else if (strcmp(optarg, "sendmail") == 0)
				cfg->format = FORMAT_SENDMAIL;
			else
				goto bad;
			break;
		case OPT_GZIP:
			cfg->gzip = true;
			break;
		case OPT_SCALE:
			if (!parse_double(optarg, &x) || x <= 0 || x > 1e5)
				goto bad;
			cfg->scale = x;
			break;
		case OPT_VOLUME:
			if (!parse_double(optarg, &x) || x < 0.001 || x > 100)
				goto bad;
			cfg->volume = x;
			break;
		case OPT_ZOMBIE:
			if (!parse_double(optarg, &x) || x < 0 || x > 1)
				goto bad;
			cfg->zombie_fraction = x;
			cfg->zombie_fraction_set = true;
			break;
		case OPT_NO_NOISE:
			cfg->noise = false;
			break;
		case OPT_FILTER:
			cfg->content_filter = true;
			break;
		case OPT_LABELS:
			cfg->labels_path = optarg;
			break;
		case OPT_TARGET:
			if (!parse_u64(optarg, &cfg->target_bytes, true))
				goto bad;
			break;
		case OPT_HELP:
		case 'h':
			usage(stdout);
			return EXIT_SUCCESS;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc || cfg->outdir == NULL) {
		usage(stderr);
		return 2;
	}
	if ((double)cfg->subscribers * cfg->scale > 2e6) {
		/* About 500 bytes of state per subscriber. */
		fprintf(stderr, "%s: population too large (at most 2000000)\n",
		    PROGNAME);
		return 2;
	}
	return -1;
bad:
	fprintf(stderr, "%s: bad value for --%s: %s\n", PROGNAME,
	    longopts[c - OPT_OUTDIR].name, optarg);
	return 2;
}

/* main - plan, build and write every day, then the labels */
int
main(int argc, char **argv)
{
	struct sim	 sim;
	struct plan_vec	 pv;
	char		*labels;
	size_t		 len;
	uint32_t	 i;
	int		 rc, day, last_day;
	bool		 ok;

	memset(&sim, 0, sizeof(sim));
	memset(&pv, 0, sizeof(pv));
	rc = parse_args(argc, argv, &sim.cfg);
	if (rc >= 0)
		return rc;
	sim.days = sim.cfg.days;
	if (!make_dir(sim.cfg.outdir))
		return 1;
	domains_build(&sim.dt, sim.cfg.seed);
	population_build(&sim.pop, &sim.cfg, &sim.dt, sim.days);
	sim.relays = xcalloc((size_t)sim.cfg.relays, sizeof(*sim.relays));
	for (i = 0; i < (uint32_t)sim.cfg.relays; i++) {
		relay_init(&sim, &sim.relays[i], i);
		if (!make_dir(sim.relays[i].out.dir))
			return 1;
	}
	sim.sched.t_min = day_start_us(&sim.cfg, 1);
	sim.sched.t_max = sim.cfg.target_bytes > 0 ? INT64_MAX :
	    day_start_us(&sim.cfg, sim.days + 1);

	last_day = sim.days;
	for (day = 0; !sim.sched.failed; day++) {
		bool last = sim.cfg.target_bytes == 0 && day == last_day;

		run_day(&sim, &pv, day, last);
		if (sim.cfg.target_bytes == 0) {
			if (day >= last_day)
				break;
		} else if (day >= 1) {
			/* Whole days until the target is reached. */
			sched_flush(&sim, day_start_us(&sim.cfg, day + 1));
			if (sim.sched.bytes >= sim.cfg.target_bytes ||
			    day >= 3660) {
				last_day = day;
				break;
			}
		}
	}
	/* Lines past the last day stay unwritten: the window ends. */
	sched_flush(&sim, day_start_us(&sim.cfg, last_day + 1));
	{
		struct pending p;

		while (sim.sched.n > 0) {
			heap_pop(&sim.sched, &p);
			if (--p.blk->refs == 0)
				free(p.blk);
		}
	}
	for (i = 0; i < (uint32_t)sim.cfg.relays; i++) {
		relay_close(&sim, &sim.relays[i]);
		fpcount_free(sim.relays[i].qids);
	}
	ok = !sim.sched.failed;
	if (sim.cfg.labels_path != NULL)
		labels = xstrdup(sim.cfg.labels_path);
	else {
		len = strlen(sim.cfg.outdir) + sizeof("/labels.csv");
		labels = xmalloc(len);
		(void)snprintf(labels, len, "%s/labels.csv", sim.cfg.outdir);
	}
	if (ok)
		ok = write_labels(&sim, labels);
	free(labels);
	free(pv.v);
	free(sim.sched.heap);
	free(sim.sched.lines);
	sb_free(&sim.sched.text);
	sb_free(&sim.tmp);
	sb_free(&sim.tmp2);
	sb_free(&sim.tmp3);
	arena_free(&sim.arena);
	free(sim.relays);
	free(sim.pop.a);
	domains_free(&sim.dt);
	return ok ? 0 : 1;
}

/* ------------------------------------------------------------------ */
/* Exim writer								*/
/* ------------------------------------------------------------------ */

/*
 * Exim writes its own main log: "YYYY-MM-DD hh:mm:ss" (with the
 * +pid selector, "[pid] " after it), then the message ID and a flag
 * ("<=" arrival, "=>" delivery, "->" further recipient of the same
 * delivery, "**" failure, "==" deferral) or an ACL/authenticator
 * message.  Message IDs (spec.txt, "Message identification"): time in
 * base 62, process ID, and a sub-second part; Exim 4.97 widened them
 * from 6-6-2 to 6-11-4 characters.
 */

/* ex_line - begin a main log line */
static struct sbuf *
ex_line(struct sim *sim, struct relay_state *rs, int64_t t, uint32_t pid)
{
	struct sbuf *sb = line_begin(&sim->sched, rs->index, t);
	int64_t	 sec = t / USEC;

	if (sec != rs->hdr_sec) {
		struct tm tm;
		int	  n;

		civil_of(sec, &tm);
		n = snprintf(rs->hdr, sizeof(rs->hdr),
		    "%04d-%02d-%02d %02d:%02d:%02d ", tm.tm_year + 1900,
		    tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
		    tm.tm_sec);
		rs->hdr_len = n > 0 ? (size_t)n : 0;
		rs->hdr_sec = sec;
	}
	sb_put(sb, rs->hdr, rs->hdr_len);
	if (!rs->exim_new_ids && pid != 0) {
		/* log_selector = +pid on the older relays */
		sb_putc(sb, '[');
		sb_putu(sb, pid);
		sb_put(sb, "] ", 2);
	}
	return sb;
}

/* ex_msg_id - an Exim message ID for a message received at t by pid */
static void
ex_msg_id(const struct relay_state *rs, int64_t t, uint32_t pid, char *buf)
{
	char	a[8], b[16], c[8];

	base62(a, (uint64_t)(t / USEC), 6);
	if (rs->exim_new_ids) {
		base62(b, pid, 11);
		base62(c, (uint64_t)(t % USEC), 4);
	} else {
		base62(b, pid, 6);
		base62(c, (uint64_t)(t % USEC) / 500, 2);
	}
	(void)snprintf(buf, 32, "%s-%s-%s", a, b, c);
}

/* ex_host - "H=name (helo) [ip]:port" as Exim describes a client */
static void
ex_host(struct sbuf *sb, const struct session *s)
{
	bool	known = strcmp(s->client_name, "unknown") != 0;

	if (known && strcmp(s->client_name, s->helo) == 0)
		sb_printf(sb, "%s [%s]:%u", s->client_name, s->client_ip,
		    s->client_port);
	else if (known)
		sb_printf(sb, "%s (%s) [%s]:%u", s->client_name, s->helo,
		    s->client_ip, s->client_port);
	else
		sb_printf(sb, "(%s) [%s]:%u", s->helo, s->client_ip,
		    s->client_port);
}

/* ex_iface - " I=[relay]:port" */
static void
ex_iface(struct sbuf *sb, const struct relay_state *rs,
    const struct session *s)
{
	sb_printf(sb, " I=[%s]:%u", strchr(s->client_ip, ':') != NULL ?
	    rs->ip6 : rs->ip, s->port);
}

/* ex_tls_in - " X=... CV=no" for a TLS client */
static void
ex_tls_in(struct sbuf *sb, const struct session *s)
{
	if (s->tls)
		sb_puts(sb, s->token % 5 == 0 ?
		    " X=TLS1.2:ECDHE-RSA-AES256-GCM-SHA384:256 CV=no" :
		    " X=TLS1.3:TLS_AES_256_GCM_SHA384:256 CV=no");
}

/* ex_auth - " A=dovecot_plain:user" */
static void
ex_auth(struct sbuf *sb, const struct session *s)
{
	if (s->authenticated)
		sb_printf(sb, " A=dovecot_%s:%s", s->sasl_login ? "login" :
		    "plain", s->sasl_user);
}

/* ex_stage - Exim's "after ..." for a remote reply */
static void
ex_stage(struct sbuf *sb, uint8_t stage, const char *rcpt,
    const char *sender, uint32_t size)
{
	switch (stage) {
	case STAGE_MAIL:
		sb_printf(sb, "after MAIL FROM:<%s> SIZE=%u", sender, size);
		break;
	case STAGE_DATA:
		sb_puts(sb, "after end of data");
		break;
	default:
		sb_printf(sb, "after RCPT TO:<%s>", rcpt);
		break;
	}
}

/* ex_remote_host - " H=mx.example.net [ip]" */
static void
ex_remote_host(struct sbuf *sb, const struct domain *d, uint32_t variant)
{
	char	ip[48];

	mx_ip(d, variant, ip, sizeof(ip));
	sb_printf(sb, " H=%s [%s]", d->mx, ip);
}

/* ex_delivery - one recipient's attempt: =>, ->, ** or == */
static void
ex_delivery(struct sim *sim, struct relay_state *rs, const char *id,
    int64_t t, uint32_t pid, const char *rcpt, const char *sender,
    const struct domain *d, uint32_t variant, bool first, uint8_t fate,
    uint8_t fstage, uint8_t defer, uint64_t token, const char *msgid,
    uint32_t size)
{
	struct sbuf *sb;
	char	 dsn[16];
	uint8_t	 stage = fstage;

	sim->tmp.len = 0;
	if (defer == DEFER_GREYLIST || defer == DEFER_RATE)
		defer_reply(&sim->tmp, dsn, d, defer, rcpt, token, rs->ip,
		    &stage);
	else if (defer == DEFER_NONE && !d->nonexistent)
		remote_reply(&sim->tmp, dsn, d, fate, rcpt, msgid, token,
		    t / USEC, rs->ip, size);
	sb = ex_line(sim, rs, t, pid);
	sb_printf(sb, "%s ", id);
	if (defer != DEFER_NONE) {
		sb_printf(sb, "== %s R=dnslookup T=remote_smtp defer (%d)",
		    rcpt, defer == DEFER_TIMEOUT ? 110 : stage == STAGE_RCPT ?
		    -44 : stage == STAGE_MAIL ? -45 : -46);
		if (defer == DEFER_TIMEOUT)
			sb_puts(sb, ": Connection timed out");
		else {
			ex_remote_host(sb, d, variant);
			sb_puts(sb, ": SMTP error from remote mail server ");
			ex_stage(sb, stage, rcpt, sender, size);
			sb_puts(sb, ": ");
			sb_put(sb, sim->tmp.buf, sim->tmp.len);
		}
	} else if (d->nonexistent) {
		sb_printf(sb, "** %s: Unrouteable address", rcpt);
	} else if (fate == FATE_SENT) {
		sb_printf(sb, "%s %s R=dnslookup T=remote_smtp", first ? "=>" :
		    "->", rcpt);
		ex_remote_host(sb, d, variant);
		sb_puts(sb, d->style == STYLE_EXIM ||
		    d->style == STYLE_EXCHANGE ?
		    " X=TLS1.2:ECDHE-RSA-AES256-GCM-SHA384:256" :
		    " X=TLS1.3:TLS_AES_256_GCM_SHA384:256");
		sb_puts(sb, d->verified_tls ? " CV=yes" : " CV=no");
		sb_puts(sb, " C=\"");
		sb_put(sb, sim->tmp.buf, sim->tmp.len);
		sb_putc(sb, '"');
	} else {
		sb_printf(sb, "** %s R=dnslookup T=remote_smtp", rcpt);
		ex_remote_host(sb, d, variant);
		sb_puts(sb, ": SMTP error from remote mail server ");
		ex_stage(sb, stage, rcpt, sender, size);
		sb_puts(sb, ": ");
		sb_put(sb, sim->tmp.buf, sim->tmp.len);
	}
	line_end(&sim->sched);
}

/* ex_reject - the relay's own refusal of a recipient */
static void
ex_reject(struct sim *sim, struct relay_state *rs, const struct session *s,
    const struct message *msg, const struct rcpt *rc, uint32_t pid)
{
	struct sbuf *sb;

	if (rc->reject == RR_SENDER_DOMAIN) {
		sb = ex_line(sim, rs, rc->t_rcpt, pid);
		sb_puts(sb, "H=");
		ex_host(sb, s);
		ex_iface(sb, rs, s);
		sb_printf(sb, " sender verify fail for <%s>: Unrouteable "
		    "address", msg->sender);
		line_end(&sim->sched);
	}
	sb = ex_line(sim, rs, rc->t_rcpt, pid);
	sb_puts(sb, "H=");
	ex_host(sb, s);
	ex_iface(sb, rs, s);
	ex_tls_in(sb, s);
	sb_printf(sb, " F=<%s>", msg->sender);
	ex_auth(sb, s);
	switch (rc->reject) {
	case RR_RELAY_DENIED:
		sb_printf(sb, " rejected RCPT <%s>: relay not permitted",
		    rc->addr);
		break;
	case RR_SENDER_DOMAIN:
		sb_printf(sb, " rejected RCPT <%s>: Sender verify failed",
		    rc->addr);
		break;
	case RR_RATE_LIMIT:
		sb_printf(sb, " temporarily rejected RCPT <%s>: Rate limit "
		    "exceeded, try again later", rc->addr);
		break;
	case RR_LOGIN_MISMATCH:
		sb_printf(sb, " rejected RCPT <%s>: Sender address not owned "
		    "by "
		    "authenticated user %s", rc->addr, s->sasl_user);
		break;
	case RR_UNKNOWN_LOCAL:
		sb_printf(sb, " rejected RCPT <%s>: Unknown user", rc->addr);
		break;
	default:
		sb_printf(sb, " rejected RCPT <%s>: JunkMail rejected - %s is "
		    "in an RBL: zen.spamhaus.example", rc->addr, s->client_ip);
		break;
	}
	line_end(&sim->sched);
}

/* ex_ndr - Exim's bounce message for round k */
static void
ex_ndr(struct sim *sim, struct relay_state *rs, const struct message *msg,
    const char *id, int k)
{
	const struct ndr *n = &msg->ndr[k];
	const struct domain *sd = &sim->dt.d[n->domain];
	struct sbuf *sb;
	char	 id2[32];
	uint32_t pid = relay_new_pid(rs);

	ex_msg_id(rs, n->t, pid, id2);
	sb = ex_line(sim, rs, n->t, pid);
	sb_printf(sb, "%s <= <> R=%s U=Debian-exim P=local S=%u", id2, id,
	    n->size);
	line_end(&sim->sched);
	ex_delivery(sim, rs, id2, n->t_done, pid, msg->sender, "", sd,
	    n->mx_variant, true, n->fate, sd->style == STYLE_YAHOO ?
	    STAGE_DATA : STAGE_RCPT, DEFER_NONE, n->token, NULL, n->size);
	sb = ex_line(sim, rs, n->t_done + 900, pid);
	if (n->fate == FATE_SENT)
		sb_printf(sb, "%s Completed", id2);
	else
		sb_printf(sb, "%s Frozen (delivery error message)", id2);
	line_end(&sim->sched);
}

/* ex_local - delivery of inbound mail to a hosted mailbox */
static void
ex_local(struct sim *sim, struct relay_state *rs, const char *id,
    int64_t t, uint32_t pid, const struct rcpt *rc, const struct domain *d)
{
	struct sbuf *sb = ex_line(sim, rs, t, pid);
	char	 sid[24];

	if (d->hosted) {
		/* Exim's lmtp transport (a local transport: Dovecot's LMTP
		   socket on the relay) logs no H=, but its C= reply
		   (deliver.c logs C= for host deliveries and for lmtp). */
		base62(sid, rc->token, 11);
		base62(sid + 11, mix64(rc->token), 11);
		sb_printf(sb, "%s => %s R=hosted_user T=dovecot_lmtp "
		    "C=\"250 2.0.0 <%s> %s Saved\"", id, rc->addr, rc->addr,
		    sid);
	} else
		sb_printf(sb, "%s => postmaster <%s> R=system_aliases "
		    "T=mail_spool", id, rc->addr);
	line_end(&sim->sched);
}

/* ex_message - a message's lines in the main log */
static void
ex_message(struct sim *sim, struct relay_state *rs, const struct session *s,
    const struct message *msg, uint32_t pid)
{
	struct sbuf *sb;
	char	 id[32];
	uint32_t i, g, dpid;
	int	 k;
	bool	 done = false;

	for (i = 0; i < msg->nrcpt; i++)
		if (msg->rcpts[i].reject != RR_NONE)
			ex_reject(sim, rs, s, msg, &msg->rcpts[i], pid);
	if (msg->naccepted == 0)
		return;
	ex_msg_id(rs, msg->t_queued - 20000, pid, id);
	if (msg->content_reject) {
		sb = ex_line(sim, rs, msg->t_queued, pid);
		sb_printf(sb, "%s H=", id);
		ex_host(sb, s);
		ex_iface(sb, rs, s);
		ex_tls_in(sb, s);
		sb_printf(sb, " F=<%s>", msg->sender);
		ex_auth(sb, s);
		sb_puts(sb, " rejected after DATA: Spam message rejected");
		line_end(&sim->sched);
		return;
	}
	sb = ex_line(sim, rs, msg->t_queued, pid);
	sb_printf(sb, "%s <= %s H=", id, msg->sender[0] ? msg->sender : "<>");
	ex_host(sb, s);
	ex_iface(sb, rs, s);
	sb_printf(sb, " P=esmtp%s%s", s->tls ? "s" : "",
	    s->authenticated ? "a" : "");
	ex_tls_in(sb, s);
	ex_auth(sb, s);
	sb_printf(sb, " S=%u", queued_size(msg));
	if (msg->msgid != NULL)
		sb_printf(sb, " id=%s", msg->msgid);
	else if (s->authenticated)
		/* Submission mode adds a Message-ID: E<id>@<host>. */
		sb_printf(sb, " id=E%s@%s", id, rs->fqdn);
	line_end(&sim->sched);
	dpid = relay_new_pid(rs);
	for (k = 0; k < msg->nrounds; k++) {
		int64_t	 round_end = msg->t_queued;
		bool	 pending_left = false;

		if (k > 0)
			dpid = relay_new_pid(rs);
		for (g = 0; g < msg->ngroups; g++) {
			const struct group *gr = &msg->groups[g];
			const struct domain *d = &sim->dt.d[gr->domain];
			int64_t	 t = gr->t_handoff[k] + gr->conn_us[k] +
			    gr->xfer_us[k];
			bool	 first = true;

			for (i = 0; i < msg->nrcpt; i++) {
				const struct rcpt *rc = &msg->rcpts[i];
				uint8_t	 defer = DEFER_NONE;

				if (rc->reject != RR_NONE || rc->group != g ||
				    rc->final_round < k)
					continue;
				if (rc->final_round > k ||
				    rc->fate == FATE_STILL_DEFERRED) {
					defer = rc->defer[k];
					pending_left = true;
				}
				if (s->inbound)
					ex_local(sim, rs, id, t, dpid, rc, d);
				else {
					ex_delivery(sim, rs, id, t, dpid,
					    rc->addr, msg->sender, d,
					    gr->mx_variant, first, defer !=
					    DEFER_NONE ? FATE_SENT : rc->fate,
					    rc->stage, defer, rc->token,
					    msg->msgid, queued_size(msg));
					if (defer == DEFER_NONE &&
					    rc->fate == FATE_SENT)
						first = false;
				}
				if (t > round_end)
					round_end = t;
			}
		}
		if (msg->ndr[k].present) {
			ex_ndr(sim, rs, msg, id, k);
			/* The delivery process sends the bounce ("<= <>
			   R=id") before it logs "Completed". */
			if (msg->ndr[k].t + 500 > round_end)
				round_end = msg->ndr[k].t + 500;
		}
		if (!pending_left && !done) {
			sb = ex_line(sim, rs, round_end + 1000, dpid);
			sb_printf(sb, "%s Completed", id);
			line_end(&sim->sched);
			done = true;
		}
	}
}

/* ex_session - a session in Exim's main log */
static void
ex_session(struct sim *sim, const struct session *s)
{
	struct relay_state *rs = &sim->relays[s->relay];
	struct sbuf *sb;
	uint32_t pid = relay_new_pid(rs), i;

	for (i = 0; i < s->nauth_fail; i++) {
		sb = ex_line(sim, rs, s->t_auth_fail[i], pid);
		sb_printf(sb, "dovecot_%s authenticator failed for ",
		    s->sasl_login ? "login" : "plain");
		ex_host(sb, s);
		ex_iface(sb, rs, s);
		sb_printf(sb, ": 535 Incorrect authentication data (set_id=%s)",
		    s->fail_user != NULL ? s->fail_user : "");
		line_end(&sim->sched);
	}
	for (i = 0; i < s->nmsgs; i++)
		ex_message(sim, rs, s, &s->msgs[i], pid);
}

/* ex_noise - noise in an Exim main log */
static void
ex_noise(struct sim *sim, struct noise *nz)
{
	struct relay_state *rs = nz->rs;
	struct rng *r = &nz->r;
	struct sbuf *sb;
	char	 ip[48], id[32];
	int64_t	 t = nz->t;
	uint32_t pid;

	switch (nz->kind) {
	case NZ_INBOUND:
	case NZ_DICT:
	case NZ_BOT_REJECT:
		ex_session(sim, nz->s);
		return;
	case NZ_SCREEN:
		ext_addr(r, ip, sizeof(ip));
		sb = ex_line(sim, rs, t, relay_new_pid(rs));
		if (rng_chance(r, 0.5))
			sb_printf(sb, "SMTP protocol synchronization error "
			    "(input "
			    "sent without waiting for greeting): rejected "
			    "connection from H=[%s]:%u I=[%s]:25 input=\"EHLO "
			    "User\\r\\n\"", ip,
			    (unsigned)rng_range(r, 1024, 65000),
			    strchr(ip, ':') ? rs->ip6 : rs->ip);
		else
			sb_printf(sb, "SMTP call from [%s]:%u I=[%s]:25 "
			    "dropped: "
			    "too many unrecognized commands (last was \"GET / "
			    "HTTP/1.1\")", ip,
			    (unsigned)rng_range(r, 1024, 65000),
			    strchr(ip, ':') ? rs->ip6 : rs->ip);
		line_end(&sim->sched);
		return;
	case NZ_CRON_MAIL:
		pid = relay_new_pid(rs);
		ex_msg_id(rs, t, pid, id);
		sb = ex_line(sim, rs, t, pid);
		sb_printf(sb, "%s <= root@%s U=root P=local S=%u", id, rs->fqdn,
		    (unsigned)rng_range(r, 700, 4000));
		line_end(&sim->sched);
		sb = ex_line(sim, rs, t + 20000, pid);
		sb_printf(sb, "%s => admin <root@%s> R=system_aliases "
		    "T=mail_spool", id, rs->fqdn);
		line_end(&sim->sched);
		sb = ex_line(sim, rs, t + 21000, pid);
		sb_printf(sb, "%s Completed", id);
		line_end(&sim->sched);
		return;
	case NZ_ANVIL:
		/* exim -q30m: a queue runner every 30 minutes */
		if ((t / (10 * MINUTE_US)) % 3 != 0)
			return;
		pid = relay_new_pid(rs);
		sb = ex_line(sim, rs, t, pid);
		sb_printf(sb, "Start queue run: pid=%u", pid);
		line_end(&sim->sched);
		sb = ex_line(sim, rs, t + rng_range(r, 20000, 900000), pid);
		sb_printf(sb, "End queue run: pid=%u", pid);
		line_end(&sim->sched);
		return;
	case NZ_WARNING:
		ext_addr(r, ip, sizeof(ip));
		sb = ex_line(sim, rs, t, relay_new_pid(rs));
		if (rng_chance(r, 0.5))
			sb_printf(sb, "no host name found for IP address %s",
			    ip);
		else
			sb_printf(sb, "TLS error on connection from [%s]:%u "
			    "I=[%s]:25 (SSL_accept): error:0A000126:SSL "
			    "routines::"
			    "unexpected eof while reading", ip,
			    (unsigned)rng_range(r, 1024, 65000),
			    strchr(ip, ':') ? rs->ip6 : rs->ip);
		line_end(&sim->sched);
		return;
	default:
		/* cron, sshd, rsyslog and systemd go to syslog, not to
		   Exim's main log. */
		return;
	}
}

/* ------------------------------------------------------------------ */
/* Sendmail writer							*/
/* ------------------------------------------------------------------ */

/*
 * Sendmail queue IDs (sendmail/queue.c, assign_queueid): year modulo
 * 60, month, day, hour, minute and second, each one base-60 digit,
 * two more base-60 digits of a sequence, then the process ID in at
 * least 6 decimal digits: "6APA1bXy012345".
 */
static const char sm_base60[] =
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwx";

/* sm_queue_id - a queue ID for an envelope made at t by pid */
static void
sm_queue_id(struct relay_state *rs, int64_t t, uint32_t pid, char *buf)
{
	struct tm tm;

	civil_of(t / USEC, &tm);
	rs->sm_seq = (rs->sm_seq + 1) % 3600;
	(void)snprintf(buf, 24, "%c%c%c%c%c%c%c%c%06u",
	    sm_base60[(tm.tm_year) % 60], sm_base60[tm.tm_mon],
	    sm_base60[tm.tm_mday], sm_base60[tm.tm_hour],
	    sm_base60[tm.tm_min], sm_base60[tm.tm_sec],
	    sm_base60[rs->sm_seq / 60], sm_base60[rs->sm_seq % 60], pid);
}

/* sm_relay - "name [ip]" or "[ip]"; IPv6 as "[IPv6:...]" */
static void
sm_relay(struct sbuf *sb, const struct session *s)
{
	const char *v6 = strchr(s->client_ip, ':') != NULL ? "IPv6:" : "";

	if (strcmp(s->client_name, "unknown") != 0)
		sb_printf(sb, "relay=%s [%s%s]", s->client_name, v6,
		    s->client_ip);
	else
		sb_printf(sb, "relay=[%s%s]", v6, s->client_ip);
}

/* sm_delay - "HH:MM:SS", or "D+HH:MM:SS" past a day */
static void
sm_delay(struct sbuf *sb, int64_t us)
{
	int64_t	sec = us < 0 ? 0 : us / USEC;

	if (sec >= 86400)
		sb_printf(sb, "%d+", (int)(sec / 86400));
	sb_printf(sb, "%02d:%02d:%02d", (int)(sec / 3600 % 24),
	    (int)(sec / 60 % 60), (int)(sec % 60));
}

/* sm_daemon - DAEMON_OPTIONS name of the port */
static const char *
sm_daemon(uint16_t port)
{
	return port == 25 ? "MTA" : port == 465 ? "MSA-SSL" : "MSA";
}

/* sm_stat - Sendmail's summary of a permanent failure */
static const char *
sm_stat(const char *dsn)
{
	if (strncmp(dsn, "5.1.", 4) == 0)
		return "User unknown";
	return "Service unavailable";
}

/* sm_reply_text - a reply without its code and enhanced status */
static const char *
sm_reply_text(const char *reply)
{
	const char *p = reply;

	if (strlen(p) > 4 && p[3] == ' ')
		p += 4;
	if (p[0] >= '2' && p[0] <= '5' && p[1] == '.') {
		const char *sp = strchr(p, ' ');

		if (sp != NULL)
			p = sp + 1;
	}
	return p;
}

/*
 * sm_reply - the reply= text of a failed attempt: usersmtp.c reply()
 * keeps the first line of a multi-line reply ("first line of real
 * reply -- ignore rest"), and logdelivery() shortens it to STATLEN
 * (203 bytes with a 1024-byte syslog buffer) as shortenstring() does,
 * head and tail around "...".  The replies here are flattened, their
 * lines joined with spaces ("550-5.7.1 a 550-5.7.1 b 550 5.7.1 c"):
 * the first line ends before the second " 550-" or " 550 ".
 */
static void
sm_reply(struct sbuf *sb, const char *reply)
{
	const size_t statlen = 203, half = (statlen - 3) / 2;
	size_t	len = strlen(reply), i;

	if (len > 4 && reply[3] == '-') {
		for (i = 4; i + 5 <= len; i++)
			if (reply[i] == ' ' &&
			    memcmp(reply + i + 1, reply, 3) == 0 &&
			    (reply[i + 4] == '-' || reply[i + 4] == ' ')) {
				len = i;
				break;
			}
	}
	if (len < statlen) {
		sb_put(sb, reply, len);
		return;
	}
	sb_put(sb, reply, half);
	sb_puts(sb, "...");
	sb_put(sb, reply + len - half, half);
}

/* sm_to_line - "QID: to=<a>[,<b>...], delay=..., stat=..." */
static void
sm_to_line(struct sim *sim, struct relay_state *rs, const char *qid,
    int64_t t, uint32_t pid, const struct sbuf *to, int64_t queued,
    int64_t xdelay, uint64_t pri, const struct domain *d, uint32_t variant,
    const char *mailer, uint8_t fate, uint8_t defer, const char *rcpt,
    uint64_t token, const char *msgid, uint32_t size)
{
	struct sbuf *sb;
	char	 dsn[16], ip[48];
	uint8_t	 stage;

	sim->tmp.len = 0;
	if (defer == DEFER_GREYLIST || defer == DEFER_RATE)
		defer_reply(&sim->tmp, dsn, d, defer, rcpt, token, rs->ip,
		    &stage);
	else if (defer == DEFER_NONE && !d->nonexistent && !d->hosted &&
	    strcmp(mailer, "local") != 0)
		remote_reply(&sim->tmp, dsn, d, fate, rcpt, msgid, token,
		    t / USEC, rs->ip, size);
	sb = sys_line(sim, rs, t, "sm-mta", pid);
	sb_printf(sb, "%s: to=%.*s, delay=", qid, (int)to->len, to->buf);
	sm_delay(sb, t - queued);
	sb_puts(sb, ", xdelay=");
	sm_delay(sb, xdelay);
	sb_printf(sb, ", mailer=%s, pri=%" PRIu64, mailer, pri);
	if (strcmp(mailer, "local") == 0) {
		sb_puts(sb, ", dsn=2.0.0, stat=Sent");
		line_end(&sim->sched);
		return;
	}
	mx_ip(d, variant, ip, sizeof(ip));
	if (d->nonexistent) {
		sb_printf(sb, ", relay=%s., dsn=5.1.2, stat=Host unknown (Name "
		    "server: %s: host not found)", d->name, d->name);
	} else if (defer == DEFER_TIMEOUT) {
		sb_printf(sb, ", relay=%s. [%s], dsn=4.0.0, stat=Deferred: "
		    "Connection timed out with %s.", d->mx, ip, d->mx);
	} else if (defer != DEFER_NONE) {
		/* deliver.c logdelivery(): the server's reply as reply=
		   for every failed attempt, then the status */
		sb_printf(sb, ", relay=%s. [%s], dsn=%s, reply=", d->mx, ip,
		    dsn);
		sm_reply(sb, sim->tmp.buf);
		sb_puts(sb, ", stat=Deferred: ");
		sm_reply(sb, sim->tmp.buf);
	} else if (fate == FATE_SENT) {
		sb_printf(sb, ", relay=%s. [%s], dsn=2.0.0, stat=Sent (%s)",
		    d->mx, ip, sm_reply_text(sim->tmp.buf));
	} else {
		sb_printf(sb, ", relay=%s. [%s], dsn=%s, reply=", d->mx, ip,
		    dsn);
		sm_reply(sb, sim->tmp.buf);
		sb_printf(sb, ", stat=%s", sm_stat(dsn));
	}
	line_end(&sim->sched);
}

/* sm_ndr - Sendmail's DSN for round k, and its delivery */
static void
sm_ndr(struct sim *sim, struct relay_state *rs, const struct message *msg,
    const char *qid, int k, uint32_t pid, const char *why)
{
	const struct ndr *n = &msg->ndr[k];
	const struct domain *sd = &sim->dt.d[n->domain];
	struct sbuf *sb;
	char	 qid2[24], qid3[24];

	sm_queue_id(rs, n->t, pid, qid2);
	sb = sys_line(sim, rs, n->t, "sm-mta", pid);
	sb_printf(sb, "%s: %s: DSN: %s", qid, qid2, why);
	line_end(&sim->sched);
	sim->tmp2.len = 0;
	sb_printf(&sim->tmp2, "<%s>", msg->sender);
	sm_to_line(sim, rs, qid2, n->t_done, pid, &sim->tmp2, n->t,
	    n->conn_us + n->xfer_us, 30000 + n->size, sd, n->mx_variant,
	    "esmtp", n->fate, DEFER_NONE, msg->sender, n->token, NULL,
	    n->size);
	if (n->fate != FATE_SENT) {
		/* A bounce that bounces goes to the postmaster. */
		sm_queue_id(rs, n->t_done + 1000, pid, qid3);
		sb = sys_line(sim, rs, n->t_done + 1000, "sm-mta", pid);
		sb_printf(sb, "%s: %s: postmaster notify: %s", qid2, qid3,
		    n->fate == FATE_NO_DOMAIN ? "Host unknown (Name server: "
		    "host not found)" : "User unknown");
		line_end(&sim->sched);
		sim->tmp2.len = 0;
		sb_puts(&sim->tmp2, "postmaster");
		sm_to_line(sim, rs, qid3, n->t_done + 9000, pid, &sim->tmp2,
		    n->t_done + 1000, 8000, 30000 + n->size, sd, 0, "local",
		    FATE_SENT, DEFER_NONE, "postmaster", 0, NULL, n->size);
	}
}

/* sm_reject - the relay's own refusal of a recipient */
static void
sm_reject(struct sim *sim, struct relay_state *rs, const struct session *s,
    const struct message *msg, const struct rcpt *rc, const char *qid,
    uint32_t pid)
{
	struct sbuf *sb = sys_line(sim, rs, rc->t_rcpt, "sm-mta", pid);

	switch (rc->reject) {
	case RR_SENDER_DOMAIN:
		/* FEATURE(`delay_checks'): check_mail runs from check_rcpt,
		   so the sender is refused at each RCPT, as Postfix's
		   smtpd_delay_reject and Exim's RCPT ACL refuse it */
		sb_printf(sb, "%s: ruleset=check_rcpt, arg1=<%s>, ", qid,
		    rc->addr);
		sm_relay(sb, s);
		sb_printf(sb, ", reject=451 4.1.8 Domain of sender address %s "
		    "does not resolve", msg->sender);
		break;
	case RR_UNKNOWN_LOCAL:
		sb_printf(sb, "%s: <%s>... User unknown", qid, rc->addr);
		break;
	case RR_BLOCKLIST:
		sb_printf(sb, "ruleset=check_relay, arg1=[%s], arg2=%s, ",
		    s->client_ip, s->client_ip);
		sm_relay(sb, s);
		sb_printf(sb, ", reject=550 5.7.1 Rejected: %s listed at "
		    "zen.spamhaus.example", s->client_ip);
		break;
	default:
		sb_printf(sb, "%s: ruleset=check_rcpt, arg1=<%s>, ", qid,
		    rc->addr);
		sm_relay(sb, s);
		if (rc->reject == RR_RATE_LIMIT)
			sb_printf(sb, ", reject=450 4.7.1 <%s>... Rate limit "
			    "exceeded", rc->addr);
		else if (rc->reject == RR_LOGIN_MISMATCH)
			sb_printf(sb, ", reject=553 5.7.1 <%s>... Sender not "
			    "owned by authenticated user", msg->sender);
		else
			sb_printf(sb, ", reject=550 5.7.1 <%s>... Relaying "
			    "denied. Proper authentication required.",
			    rc->addr);
		break;
	}
	line_end(&sim->sched);
}

/* sm_message - a message's lines in Sendmail's words */
static void
sm_message(struct sim *sim, struct relay_state *rs, const struct session *s,
    const struct message *msg, uint32_t pid)
{
	struct sbuf *sb;
	char	 qid[24];
	uint32_t i, g, dpid;
	int	 k;
	const char *proto = s->tls ? (s->authenticated ? "ESMTPSA" :
	    "ESMTPS") : (s->authenticated ? "ESMTPA" : "ESMTP");

	sm_queue_id(rs, msg->t_mail, pid, qid);
	for (i = 0; i < msg->nrcpt; i++) {
		const struct rcpt *rc = &msg->rcpts[i];

		if (rc->reject == RR_NONE)
			continue;
		if (rc->reject == RR_BLOCKLIST && i > 0)
			continue;
		sm_reject(sim, rs, s, msg, rc, qid, pid);
	}
	/* check_relay refused the connection: no MAIL came */
	if (msg->nrcpt > 0 && msg->rcpts[0].reject == RR_BLOCKLIST)
		return;
	/* srvrsmtp.c logs the sender (logsender()) once the DATA is
	   done with: after a milter's refusal of it */
	sb = sys_line(sim, rs, msg->naccepted > 0 && msg->content_reject ?
	    msg->t_queued + 200 : msg->t_queued, "sm-mta", pid);
	if (msg->naccepted == 0) {
		sb_printf(sb, "%s: from=<%s>, size=0, class=0, nrcpts=0, "
		    "proto=%s, daemon=%s, ", qid, msg->sender, proto,
		    sm_daemon(s->port));
		sm_relay(sb, s);
		line_end(&sim->sched);
		return;
	}
	sb_printf(sb, "%s: from=<%s>, size=%u, class=0, nrcpts=%u, msgid=<",
	    qid, msg->sender, queued_size(msg), msg->naccepted);
	if (msg->msgid != NULL)
		sb_puts(sb, msg->msgid);
	else {
		struct tm tm;

		/* Sendmail adds <YYYYMMDDhhmm.QID@host> when missing. */
		civil_of(msg->t_queued / USEC, &tm);
		sb_printf(sb, "%04d%02d%02d%02d%02d.%s@%s", tm.tm_year + 1900,
		    tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, qid,
		    rs->fqdn);
	}
	sb_printf(sb, ">, bodytype=8BITMIME, proto=%s, daemon=%s, ", proto,
	    sm_daemon(s->port));
	sm_relay(sb, s);
	line_end(&sim->sched);
	if (msg->content_reject) {
		sb = sys_line(sim, rs, msg->t_queued, "sm-mta", pid);
		sb_printf(sb, "%s: Milter: data, reject=554 5.7.1 Spam message "
		    "rejected", qid);
		line_end(&sim->sched);
		return;
	}
	for (k = 0; k < msg->nrounds; k++) {
		const char *why = NULL;

		/* The receiving process forks a delivery child; later
		   rounds are queue runs, each a new process. */
		dpid = relay_new_pid(rs);
		for (g = 0; g < msg->ngroups; g++) {
			const struct group *gr = &msg->groups[g];
			const struct domain *d = &sim->dt.d[gr->domain];
			int64_t	 t = gr->t_handoff[k] + gr->conn_us[k] +
			    gr->xfer_us[k];
			int64_t	 xd = gr->conn_us[k] + gr->xfer_us[k];
			uint64_t pri = queued_size(msg) +
			    30000ULL * msg->naccepted +
			    90000ULL * (uint64_t)(k + 1);
			const struct rcpt *first_sent = NULL;

			sim->tmp2.len = 0;
			for (i = 0; i < msg->nrcpt; i++) {
				const struct rcpt *rc = &msg->rcpts[i];
				uint8_t	 defer = DEFER_NONE;
				struct sbuf *one = &sim->tmp3;

				if (rc->reject != RR_NONE || rc->group != g ||
				    rc->final_round < k)
					continue;
				if (rc->final_round > k ||
				    rc->fate == FATE_STILL_DEFERRED)
					defer = rc->defer[k];
				one->len = 0;
				sb_printf(one, "<%s>", rc->addr);
				if (s->inbound) {
					sm_to_line(sim, rs, qid, t, dpid, one,
					    msg->t_queued, xd, pri, d, 0,
					    "local", FATE_SENT, DEFER_NONE,
					    rc->addr, 0, NULL,
					    queued_size(msg));
					continue;
				}
				if (defer == DEFER_NONE &&
				    rc->fate == FATE_SENT && !d->nonexistent) {
					/* Sent recipients of one host share a
					   line. */
					if (sim->tmp2.len > 0)
						sb_putc(&sim->tmp2, ',');
					sb_printf(&sim->tmp2, "<%s>", rc->addr);
					if (first_sent == NULL)
						first_sent = rc;
					continue;
				}
				sm_to_line(sim, rs, qid, t, dpid, one,
				    msg->t_queued, xd, pri, d, gr->mx_variant,
				    "esmtp", defer != DEFER_NONE ? FATE_SENT :
				    rc->fate, defer, rc->addr, rc->token,
				    msg->msgid, queued_size(msg));
				if (defer == DEFER_NONE && why == NULL)
					why = d->nonexistent ? "Host unknown "
					    "(Name server: host not found)" :
					    rc->fate == FATE_UNKNOWN_USER ?
					    "User unknown" : "Service "
					    "unavailable";
			}
			if (first_sent != NULL)
				sm_to_line(sim, rs, qid, t, dpid, &sim->tmp2,
				    msg->t_queued, xd, pri, d, gr->mx_variant,
				    "esmtp", FATE_SENT, DEFER_NONE,
				    first_sent->addr, first_sent->token,
				    msg->msgid, queued_size(msg));
		}
		if (msg->ndr[k].present)
			sm_ndr(sim, rs, msg, qid, k, dpid, why != NULL ? why :
			    "Service unavailable");
	}
}

/* sm_session - a session in Sendmail's syslog lines */
static void
sm_session(struct sim *sim, const struct session *s)
{
	struct relay_state *rs = &sim->relays[s->relay];
	struct sbuf *sb;
	uint32_t pid = relay_new_pid(rs), i;
	char	 qid[24];

	if (s->tls) {
		sb = sys_line(sim, rs, s->t_connect + 20000, "sm-mta", pid);
		sb_puts(sb, "STARTTLS=server, ");
		sm_relay(sb, s);
		sb_puts(sb, s->token % 5 == 0 ? ", version=TLSv1.2, verify=NO, "
		    "cipher=ECDHE-RSA-AES256-GCM-SHA384, bits=256/256" :
		    ", version=TLSv1.3, verify=NO, "
		    "cipher=TLS_AES_256_GCM_SHA384, "
		    "bits=256/256");
		line_end(&sim->sched);
	}
	if (s->nauth_fail > 0) {
		sm_queue_id(rs, s->t_connect, pid, qid);
		for (i = 0; i < s->nauth_fail; i++) {
			sb = sys_line(sim, rs, s->t_auth_fail[i], "sm-mta",
			    pid);
			sb_printf(sb, "%s: AUTH failure (%s): authentication "
			    "failure (-13) SASL(-13): authentication failure: "
			    "checkpass failed, user=%s, ", qid,
			    s->sasl_login ? "LOGIN" : "PLAIN",
			    s->fail_user != NULL ? s->fail_user : "");
			sm_relay(sb, s);
			line_end(&sim->sched);
		}
	}
	if (s->authenticated && s->nmsgs > 0) {
		sb = sys_line(sim, rs, s->t_auth, "sm-mta", pid);
		sb_puts(sb, "AUTH=server, ");
		sm_relay(sb, s);
		sb_printf(sb, ", authid=%s, mech=%s, bits=0", s->sasl_user,
		    s->sasl_login ? "LOGIN" : "PLAIN");
		line_end(&sim->sched);
	}
	for (i = 0; i < s->nmsgs; i++)
		sm_message(sim, rs, s, &s->msgs[i], pid);
	if (s->nmsgs == 0) {
		if (s->nauth_fail == 0)
			sm_queue_id(rs, s->t_connect, pid, qid);
		sb = sys_line(sim, rs, s->t_disconnect, "sm-mta", pid);
		sb_printf(sb, "%s: ", qid);
		if (strcmp(s->client_name, "unknown") != 0)
			sb_printf(sb, "%s ", s->client_name);
		sb_printf(sb, "[%s%s] did not issue MAIL/EXPN/VRFY/ETRN during "
		    "connection to %s",
		    strchr(s->client_ip, ':') ? "IPv6:" : "",
		    s->client_ip, sm_daemon(s->port));
		line_end(&sim->sched);
	}
}

/* sm_noise - noise in a Sendmail relay's log */
static void
sm_noise(struct sim *sim, struct noise *nz)
{
	struct relay_state *rs = nz->rs;
	struct rng *r = &nz->r;
	struct sbuf *sb;
	char	 ip[48], qid[24];
	int64_t	 t = nz->t;
	uint32_t pid;

	if (sys_noise(sim, nz))
		return;
	switch (nz->kind) {
	case NZ_INBOUND:
	case NZ_DICT:
	case NZ_BOT_REJECT:
		sm_session(sim, nz->s);
		return;
	case NZ_SCREEN:
		ext_addr(r, ip, sizeof(ip));
		pid = relay_new_pid(rs);
		sm_queue_id(rs, t, pid, qid);
		sb = sys_line(sim, rs, t, "sm-mta", pid);
		if (rng_chance(r, 0.5))
			sb_printf(sb, "%s: rejecting commands from [%s] due to "
			    "pre-greeting traffic after 0 seconds", qid, ip);
		else
			sb_printf(sb, "%s: [%s]: possible SMTP attack: "
			    "command=AUTH, count=5", qid, ip);
		line_end(&sim->sched);
		return;
	case NZ_CRON_MAIL: {
		uint32_t size = (uint32_t)rng_range(r, 700, 4000);
		struct tm tm;

		civil_of(t / USEC, &tm);
		pid = relay_new_pid(rs);
		sm_queue_id(rs, t, pid, qid);
		sb = sys_line(sim, rs, t, "sm-mta", pid);
		sb_printf(sb, "%s: from=<root@%s>, size=%u, class=0, nrcpts=1, "
		    "msgid=<%04d%02d%02d%02d%02d.%s@%s>, proto=ESMTP, "
		    "daemon=MTA, relay=localhost [127.0.0.1]", qid, rs->fqdn,
		    size, tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
		    tm.tm_hour, tm.tm_min, qid, rs->fqdn);
		line_end(&sim->sched);
		pid = relay_new_pid(rs);
		sb = sys_line(sim, rs, t + 30000, "sm-mta", pid);
		sb_printf(sb, "%s: to=<root@%s>, ctladdr=<root@%s> (0/0), "
		    "delay=00:00:00, xdelay=00:00:00, mailer=local, pri=%u, "
		    "dsn=2.0.0, stat=Sent", qid, rs->fqdn, rs->fqdn,
		    30000 + size);
		line_end(&sim->sched);
		return;
	}
	default:
		return;
	}
}
