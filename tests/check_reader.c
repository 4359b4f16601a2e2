/*
 * check_reader - tests for parsers/reader.c: plain and gzip input,
 * line splitting across buffer refills, skipped lines, damage.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <check.h>
#include <zlib.h>
#ifdef HAVE_ZSTD
#include <zstd.h>
#endif
#ifdef HAVE_LZMA
#include <lzma.h>
#endif

#include "parsers/reader.h"
#include "util/procstat.h"
#include "util/xalloc.h"
#include "tests/testutil.h"

static char	tmpdir[] = "/tmp/check_reader.XXXXXX";

/* Lines read from a reader, copied. */
struct collected {
	char		**lines;
	size_t		 *lens;
	size_t		  count;
	size_t		  cap;
	enum reader_status last;	/* what ended the lines */
	char		  error[512];
};

/* collect - read every line until EOF or ERROR */
static void
collect(struct reader *r, struct collected *c)
{
	const char	*line;
	size_t		 len;
	enum reader_status st;

	memset(c, 0, sizeof(*c));
	while ((st = reader_next(r, &line, &len)) == READER_LINE) {
		if (c->count == c->cap) {
			c->cap = c->cap ? c->cap * 2 : 16;
			c->lines = xreallocarray(c->lines, c->cap,
			    sizeof(*c->lines));
			c->lens = xreallocarray(c->lens, c->cap,
			    sizeof(*c->lens));
		}
		c->lines[c->count] = xmemdup0(line, len);
		c->lens[c->count] = len;
		c->count++;
	}
	c->last = st;
	if (st == READER_ERROR)
		snprintf(c->error, sizeof(c->error), "%s", reader_error(r));
}

/* collected_free - free the copies */
static void
collected_free(struct collected *c)
{
	size_t	i;

	for (i = 0; i < c->count; i++)
		free(c->lines[i]);
	free(c->lines);
	free(c->lens);
}

/* temp_path - a fresh file name in the test directory */
static char *
temp_path(const char *base)
{
	static int	seq;
	char		buf[512];

	snprintf(buf, sizeof(buf), "%s/%d-%d-%s", tmpdir, (int)getpid(),
	    seq++, base);
	return xstrdup(buf);
}

/* write_file - write len bytes to a new temp file; caller frees name */
static char *
write_file(const char *base, const void *data, size_t len)
{
	char	*path = temp_path(base);
	FILE	*f = fopen(path, "wb");

	ck_assert_ptr_nonnull(f);
	if (len > 0)
		ck_assert_uint_eq(fwrite(data, 1, len, f), len);
	ck_assert_int_eq(fclose(f), 0);
	return path;
}

/* gzip_bytes - one gzip member holding data; caller frees */
static unsigned char *
gzip_bytes(const void *data, size_t len, size_t *outlen)
{
	z_stream	 z;
	size_t		 cap = compressBound((uLong)len) + 64;
	unsigned char	*out = xmalloc(cap);

	memset(&z, 0, sizeof(z));
	ck_assert_int_eq(deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8,
	    Z_DEFAULT_STRATEGY), Z_OK);
	z.next_in = (unsigned char *)(uintptr_t)data;
	z.avail_in = (uInt)len;
	z.next_out = out;
	z.avail_out = (uInt)cap;
	ck_assert_int_eq(deflate(&z, Z_FINISH), Z_STREAM_END);
	*outlen = cap - z.avail_out;
	deflateEnd(&z);
	return out;
}

/* open_ok - open a path that must open */
static struct reader *
open_ok(const char *path, size_t max_line)
{
	struct reader_options opts = { .max_line_bytes = max_line };
	char		 err[512] = "";
	struct reader	*r = reader_open(path, &opts, err, sizeof(err));

	ck_assert_msg(r != NULL, "open %s: %s", path, err);
	return r;
}

/*
 * Small inputs, each read plain and gzipped: expected lines, skipped
 * counts, and the final status.
 */
struct small_case {
	const char	*name;
	const char	*input;
	size_t		 input_len;	/* 0: strlen(input) */
	size_t		 max_line;	/* 0: default */
	const char	*expect[8];	/* NULL-terminated */
	unsigned	 long_lines;
	unsigned	 nul_lines;
};

#define NUL_INPUT	"a\nb\0c\nd\n\0\ne"

static const struct small_case small_cases[] = {
	{ "plain", "one\ntwo\nthree\n", 0, 0,
	    { "one", "two", "three", NULL }, 0, 0 },
	{ "crlf", "one\r\ntwo\r\n\r\nlast\r", 0, 0,
	    { "one", "two", "", "last", NULL }, 0, 0 },
	{ "lone cr kept inside", "a\rb\r\n", 0, 0,
	    { "a\rb", NULL }, 0, 0 },
	{ "no final newline", "one\ntwo", 0, 0,
	    { "one", "two", NULL }, 0, 0 },
	{ "empty lines", "\n\nx\n\n", 0, 0,
	    { "", "", "x", "", NULL }, 0, 0 },
	{ "single newline", "\n", 0, 0, { "", NULL }, 0, 0 },
	{ "empty file", "", 0, 0, { NULL }, 0, 0 },
	{ "one byte", "x", 0, 0, { "x", NULL }, 0, 0 },
	{ "at cap kept, over cap skipped", "12345\n123456\nok\n", 0, 5,
	    { "12345", "ok", NULL }, 1, 0 },
	{ "cr counts toward cap", "12345\r\n1234\r\n", 0, 5,
	    { "1234", NULL }, 1, 0 },
	{ "long line at eof", "ok\n1234567890", 0, 5,
	    { "ok", NULL }, 1, 0 },
	{ "long lines in a row", "aaaaaaa\nbbbbbbbb\nc\n", 0, 5,
	    { "c", NULL }, 2, 0 },
	{ "nul bytes", NUL_INPUT, sizeof(NUL_INPUT) - 1, 0,
	    { "a", "d", "e", NULL }, 0, 2 },
	{ "nul in final line", "a\nb\0", 4, 0, { "a", NULL }, 0, 1 },
};

/* run_small - one table case, plain or gzip */
static void
run_small(const struct small_case *tc, bool gzip)
{
	size_t		 len = tc->input_len ? tc->input_len :
			    strlen(tc->input);
	unsigned char	*gz = NULL;
	size_t		 gzlen = 0, i, n = 0;
	char		*path;
	struct reader	*r;
	struct collected c;
	const char	*line;
	size_t		 linelen;

	if (gzip) {
		gz = gzip_bytes(tc->input, len, &gzlen);
		path = write_file("small.gz", gz, gzlen);
	} else
		path = write_file("small.log", tc->input, len);
	r = open_ok(path, tc->max_line);
	ck_assert(reader_is_gzip(r) == gzip);
	ck_assert(reader_is_compressed(r) == gzip);
	collect(r, &c);
	ck_assert_msg(c.last == READER_EOF, "%s: status %d (%s)", tc->name,
	    (int)c.last, c.error);
	while (tc->expect[n] != NULL)
		n++;
	ck_assert_msg(c.count == n, "%s (%s): %zu lines, want %zu", tc->name,
	    gzip ? "gzip" : "plain", c.count, n);
	for (i = 0; i < n; i++) {
		ck_assert_uint_eq(c.lens[i], strlen(tc->expect[i]));
		ck_assert_msg(memcmp(c.lines[i], tc->expect[i], c.lens[i]) == 0,
		    "%s: line %zu is \"%s\"", tc->name, i, c.lines[i]);
	}
	ck_assert_uint_eq(reader_stats(r)->lines, n);
	ck_assert_uint_eq(reader_stats(r)->long_lines, tc->long_lines);
	ck_assert_uint_eq(reader_stats(r)->nul_lines, tc->nul_lines);
	ck_assert_uint_eq(reader_stats(r)->bytes_decoded, len);
	ck_assert_uint_eq(reader_stats(r)->bytes_read, gzip ? gzlen : len);
	ck_assert_uint_eq(reader_stats(r)->gzip_members, gzip ? 1 : 0);
	ck_assert_uint_eq(reader_size(r), gzip ? gzlen : len);
	ck_assert(reader_mtime(r) > 0);
	ck_assert_str_eq(reader_name(r), path);
	/* EOF stays EOF. */
	ck_assert_int_eq(reader_next(r, &line, &linelen), READER_EOF);
	ck_assert_int_eq(reader_next(r, &line, &linelen), READER_EOF);
	collected_free(&c);
	reader_close(r);
	unlink(path);
	free(path);
	free(gz);
}

START_TEST(test_small_plain)
{
	run_small(&small_cases[_i], false);
}
END_TEST

START_TEST(test_small_gzip)
{
	run_small(&small_cases[_i], true);
}
END_TEST

/*
 * make_lines - n lines of varying lengths (0 to ~3000 bytes) with
 * content derived from the line number; *len set.  Caller frees.
 */
static char *
make_lines(size_t n, size_t *len, const char *eol)
{
	size_t	 cap = n * 3200 + 16, off = 0, i, j, linelen;
	char	*buf = xmalloc(cap);
	uint32_t seed = 12345;

	for (i = 0; i < n; i++) {
		seed = seed * 1103515245u + 12345u;
		/* Mostly short lines, some long, some empty. */
		linelen = (seed >> 16) % 7 == 0 ? (seed >> 8) % 3000 :
		    (seed >> 16) % 300;
		off += (size_t)snprintf(buf + off, cap - off, "%zu:", i);
		for (j = 0; j < linelen; j++)
			buf[off++] = (char)('a' + (i + j) % 26);
		off += (size_t)snprintf(buf + off, cap - off, "%s", eol);
	}
	*len = off;
	return buf;
}

/* check_lines - lines collected match make_lines() */
static void
check_lines(const struct collected *c, const char *data, size_t n)
{
	const char	*p = data, *nl;
	size_t		 i;

	ck_assert_uint_eq(c->count, n);
	for (i = 0; i < n; i++) {
		nl = strchr(p, '\n');
		ck_assert_ptr_nonnull(nl);
		ck_assert_msg(c->lens[i] == (size_t)(nl - p) &&
		    memcmp(c->lines[i], p, c->lens[i]) == 0,
		    "line %zu differs", i);
		p = nl + 1;
	}
}

START_TEST(test_straddle_plain)
{
	size_t		 n = 12000, len;
	char		*data = make_lines(n, &len, "\n");
	char		*path = write_file("big.log", data, len);
	struct reader	*r = open_ok(path, 0);
	struct collected c;

	ck_assert_uint_gt(len, 3 * 1024 * 1024);
	collect(r, &c);
	ck_assert_int_eq(c.last, READER_EOF);
	check_lines(&c, data, n);
	ck_assert_uint_eq(reader_stats(r)->bytes_read, len);
	ck_assert_uint_eq(reader_stats(r)->bytes_decoded, len);
	collected_free(&c);
	reader_close(r);
	free(path);
	free(data);
}
END_TEST

START_TEST(test_straddle_gzip)
{
	size_t		 n = 4000, len, gzlen;
	char		*data = make_lines(n, &len, "\n");
	unsigned char	*gz = gzip_bytes(data, len, &gzlen);
	char		*path = write_file("big.gz", gz, gzlen);
	struct reader	*r = open_ok(path, 0);
	struct collected c;

	collect(r, &c);
	ck_assert_int_eq(c.last, READER_EOF);
	check_lines(&c, data, n);
	ck_assert_uint_eq(reader_stats(r)->bytes_read, gzlen);
	ck_assert_uint_eq(reader_stats(r)->bytes_decoded, len);
	ck_assert_uint_eq(reader_stats(r)->gzip_members, 1);
	collected_free(&c);
	reader_close(r);
	free(path);
	free(gz);
	free(data);
}
END_TEST

START_TEST(test_straddle_crlf)
{
	size_t		 n = 2000, len, plain_len;
	char		*data = make_lines(n, &len, "\r\n");
	char		*plain = make_lines(n, &plain_len, "\n");
	char		*path = write_file("crlf.log", data, len);
	struct reader	*r = open_ok(path, 0);
	struct collected c;

	collect(r, &c);
	ck_assert_int_eq(c.last, READER_EOF);
	check_lines(&c, plain, n);
	collected_free(&c);
	reader_close(r);
	free(path);
	free(data);
	free(plain);
}
END_TEST

START_TEST(test_multi_member)
{
	const char	*a = "first 1\nfirst 2\n", *b = "second 1\nsecond 2";
	const char	*c3 = "\nthird\n";
	size_t		 la, lb, lc, total;
	unsigned char	*ga = gzip_bytes(a, strlen(a), &la);
	unsigned char	*gb = gzip_bytes(b, strlen(b), &lb);
	unsigned char	*gc = gzip_bytes(c3, strlen(c3), &lc);
	unsigned char	*all;
	char		*path;
	struct reader	*r;
	struct collected c;

	total = la + lb + lc;
	all = xmalloc(total);
	memcpy(all, ga, la);
	memcpy(all + la, gb, lb);
	memcpy(all + la + lb, gc, lc);
	path = write_file("multi.gz", all, total);
	r = open_ok(path, 0);
	collect(r, &c);
	ck_assert_int_eq(c.last, READER_EOF);
	/* A line may span members: "second 2" ends in the third. */
	ck_assert_uint_eq(c.count, 5);
	ck_assert_str_eq(c.lines[0], "first 1");
	ck_assert_str_eq(c.lines[1], "first 2");
	ck_assert_str_eq(c.lines[2], "second 1");
	ck_assert_str_eq(c.lines[3], "second 2");
	ck_assert_str_eq(c.lines[4], "third");
	ck_assert_uint_eq(reader_stats(r)->gzip_members, 3);
	ck_assert_uint_eq(reader_stats(r)->bytes_read, total);
	collected_free(&c);
	reader_close(r);
	free(path);
	free(all);
	free(ga);
	free(gb);
	free(gc);
}
END_TEST

START_TEST(test_multi_member_with_empty)
{
	size_t		 la, le, total;
	unsigned char	*ga = gzip_bytes("x\n", 2, &la);
	unsigned char	*ge = gzip_bytes("", 0, &le);
	unsigned char	*all;
	char		*path;
	struct reader	*r;
	struct collected c;

	/* empty member, data, empty member */
	total = le + la + le;
	all = xmalloc(total);
	memcpy(all, ge, le);
	memcpy(all + le, ga, la);
	memcpy(all + le + la, ge, le);
	path = write_file("empty-members.gz", all, total);
	r = open_ok(path, 0);
	collect(r, &c);
	ck_assert_int_eq(c.last, READER_EOF);
	ck_assert_uint_eq(c.count, 1);
	ck_assert_str_eq(c.lines[0], "x");
	ck_assert_uint_eq(reader_stats(r)->gzip_members, 3);
	collected_free(&c);
	reader_close(r);
	free(path);
	free(all);
	free(ga);
	free(ge);
}
END_TEST

/* expect_error - the message names the file and the offset */
static void
expect_error(const struct collected *c, struct reader *r, const char *path,
    uint64_t offset, const char *what)
{
	char		 want[600];
	const char	*line;
	size_t		 len;

	ck_assert_int_eq(c->last, READER_ERROR);
	snprintf(want, sizeof(want), "%s: offset %llu: ", path,
	    (unsigned long long)offset);
	ck_assert_msg(strncmp(c->error, want, strlen(want)) == 0,
	    "error \"%s\", want prefix \"%s\"", c->error, want);
	ck_assert_msg(strstr(c->error, what) != NULL,
	    "error \"%s\" lacks \"%s\"", c->error, what);
	ck_assert_uint_eq(reader_error_offset(r), offset);
	/* One error, then EOF for good. */
	ck_assert_int_eq(reader_next(r, &line, &len), READER_EOF);
	ck_assert_int_eq(reader_next(r, &line, &len), READER_EOF);
}

START_TEST(test_truncated_gzip)
{
	size_t		 n = 3000, len, gzlen, cut, i;
	char		*data = make_lines(n, &len, "\n");
	unsigned char	*gz = gzip_bytes(data, len, &gzlen);
	char		*path;
	struct reader	*r;
	struct collected c;
	const char	*p = data, *nl;

	cut = gzlen / 2;
	path = write_file("cut.gz", gz, cut);
	r = open_ok(path, 0);
	collect(r, &c);
	expect_error(&c, r, path, cut, "truncated gzip stream");
	ck_assert_uint_gt(c.count, 10);
	ck_assert_uint_lt(c.count, n);
	ck_assert_uint_eq(reader_stats(r)->bytes_read, cut);
	/*
	 * Every full line matches; the last one handed out may be the
	 * unfinished prefix of a line.
	 */
	for (i = 0; i < c.count; i++) {
		nl = strchr(p, '\n');
		if (i + 1 < c.count)
			ck_assert_uint_eq(c.lens[i], (size_t)(nl - p));
		else
			ck_assert_uint_le(c.lens[i], (size_t)(nl - p));
		ck_assert(memcmp(c.lines[i], p, c.lens[i]) == 0);
		p = nl + 1;
	}
	ck_assert_uint_eq(reader_stats(r)->lines, c.count);
	collected_free(&c);
	reader_close(r);
	free(path);
	free(gz);
	free(data);
}
END_TEST

START_TEST(test_truncated_header)
{
	/* Magic only, then the file ends. */
	static const unsigned char magic[] = { 0x1f, 0x8b, 0x08 };
	char		*path = write_file("magic.gz", magic, 3);
	struct reader	*r = open_ok(path, 0);
	struct collected c;

	ck_assert(reader_is_gzip(r));
	collect(r, &c);
	ck_assert_uint_eq(c.count, 0);
	expect_error(&c, r, path, 3, "truncated gzip stream");
	collected_free(&c);
	reader_close(r);
	free(path);
}
END_TEST

START_TEST(test_corrupt_gzip)
{
	size_t		 n = 3000, len, gzlen, i;
	char		*data = make_lines(n, &len, "\n");
	unsigned char	*gz = gzip_bytes(data, len, &gzlen);
	char		*path;
	struct reader	*r;
	struct collected c;

	for (i = gzlen / 2; i < gzlen / 2 + 64; i++)
		gz[i] ^= 0x5a;
	path = write_file("corrupt.gz", gz, gzlen);
	r = open_ok(path, 0);
	collect(r, &c);
	ck_assert_int_eq(c.last, READER_ERROR);
	ck_assert_msg(strstr(c.error, "corrupt gzip stream") != NULL,
	    "%s", c.error);
	ck_assert(strncmp(c.error, path, strlen(path)) == 0);
	ck_assert_uint_ge(reader_error_offset(r), gzlen / 2);
	ck_assert_uint_le(reader_error_offset(r), gzlen);
	/*
	 * Flipped bits may still inflate to text for a while, so only the
	 * lines well before the damage are known.
	 */
	ck_assert_uint_gt(c.count, 10);
	{
		const char	*p = data, *nl;

		for (i = 0; i < 10; i++) {
			nl = strchr(p, '\n');
			ck_assert_uint_eq(c.lens[i], (size_t)(nl - p));
			ck_assert(memcmp(c.lines[i], p, c.lens[i]) == 0);
			p = nl + 1;
		}
	}
	expect_error(&c, r, path, reader_error_offset(r), "");
	collected_free(&c);
	reader_close(r);
	free(path);
	free(gz);
	free(data);
}
END_TEST

START_TEST(test_crc_mismatch)
{
	const char	*text = "alpha\nbeta\n";
	size_t		 gzlen;
	unsigned char	*gz = gzip_bytes(text, strlen(text), &gzlen);
	char		*path;
	struct reader	*r;
	struct collected c;

	/* The trailer's CRC-32 sits in the last 8 bytes (RFC 1952). */
	gz[gzlen - 8] ^= 0xff;
	path = write_file("crc.gz", gz, gzlen);
	r = open_ok(path, 0);
	collect(r, &c);
	ck_assert_uint_eq(c.count, 2);
	ck_assert_str_eq(c.lines[1], "beta");
	ck_assert_int_eq(c.last, READER_ERROR);
	ck_assert_msg(strstr(c.error, "incorrect data check") != NULL, "%s",
	    c.error);
	collected_free(&c);
	reader_close(r);
	free(path);
	free(gz);
}
END_TEST

START_TEST(test_gzip_garbage)
{
	unsigned char	 junk[4096];
	size_t		 i;
	char		*path;
	struct reader	*r;
	struct collected c;
	uint32_t	 seed = 99;

	junk[0] = 0x1f;
	junk[1] = 0x8b;
	for (i = 2; i < sizeof(junk); i++) {
		seed = seed * 1103515245u + 12345u;
		junk[i] = (unsigned char)(seed >> 16);
	}
	path = write_file("junk.gz", junk, sizeof(junk));
	r = open_ok(path, 0);
	ck_assert(reader_is_gzip(r));
	collect(r, &c);
	ck_assert_int_eq(c.last, READER_ERROR);
	ck_assert(strncmp(c.error, path, strlen(path)) == 0);
	ck_assert_msg(strstr(c.error, "corrupt gzip stream") != NULL, "%s",
	    c.error);
	collected_free(&c);
	reader_close(r);
	free(path);
}
END_TEST

/*
 * test_bad_back_reference - a gzip header then junk whose first block
 * refers back past the start of the output.  zlib stops after one
 * byte; a decoder that counts bytes it never wrote (ISA-L does, on
 * such input) must not get them delivered (valgrind and MSan saw them
 * as uninitialised).
 */
START_TEST(test_bad_back_reference)
{
	static const unsigned char junk[] = {
		0x1f, 0x8b, 0x08, 0x00, 0xea, 0x22, 0x30, 0x42, 0x36, 0x5c,
		0x6b, 0xa7, 0x31, 0x4f, 0x81, 0x1d, 0x92, 0xab, 0xed, 0x4c,
		0xae, 0x02, 0xb9, 0x18, 0x3b, 0x28, 0xbf, 0xea, 0x59, 0x57,
		0x42, 0xb2, 0x48, 0xa9, 0xdd, 0x32, 0xcb, 0x0e, 0x75, 0x02,
		0x6a, 0xe0, 0xa9, 0x9c, 0x30, 0x2b, 0xb9, 0xc2
	};
	char		*path;
	struct reader	*r;
	struct collected c;

	path = write_file("backref.gz", junk, sizeof(junk));
	r = open_ok(path, 0);
	collect(r, &c);
	ck_assert_int_eq(c.last, READER_ERROR);
	ck_assert_msg(strstr(c.error, "offset 14: corrupt gzip stream") !=
	    NULL, "%s", c.error);
	ck_assert_uint_eq(reader_stats(r)->bytes_decoded, 1);
	ck_assert_uint_le(c.count, 1);
	collected_free(&c);
	reader_close(r);
	free(path);
}
END_TEST

START_TEST(test_trailing_garbage)
{
	const char	*text = "one\ntwo\n";
	size_t		 gzlen;
	unsigned char	*gz = gzip_bytes(text, strlen(text), &gzlen);
	unsigned char	*all = xmalloc(gzlen + 5);
	char		*path;
	struct reader	*r;
	struct collected c;

	memcpy(all, gz, gzlen);
	memcpy(all + gzlen, "junk\n", 5);
	path = write_file("trailing.gz", all, gzlen + 5);
	r = open_ok(path, 0);
	collect(r, &c);
	ck_assert_uint_eq(c.count, 2);
	ck_assert_str_eq(c.lines[0], "one");
	ck_assert_str_eq(c.lines[1], "two");
	expect_error(&c, r, path, gzlen, "trailing garbage");
	collected_free(&c);
	reader_close(r);
	free(path);
	free(all);
	free(gz);
}
END_TEST

static struct reader *pipe_reader(const void *, size_t, size_t, pid_t *);
static void	wait_child(pid_t);

#ifdef HAVE_LZMA
#define XZ_BUILT	true
#else
#define XZ_BUILT	false
#endif
#ifdef HAVE_ZSTD
#define ZSTD_BUILT	true
#else
#define ZSTD_BUILT	false
#endif

/* The opening bytes of other compressed formats, and what the error
   names; each followed by bytes that would make a text line.  A format
   this build reads finds them corrupt instead. */
static const struct {
	const char	*name;
	size_t		 len;
	const char	*bytes;
	bool		 built;		/* decoded, not refused */
	const char	*corrupt;	/* then the error says this */
} other_formats[] = {
	{ "xz-compressed", 6, "\xfd" "7zXZ\0", XZ_BUILT,
	  "corrupt xz stream" },
	{ "zstd-compressed", 4, "\x28\xb5\x2f\xfd", ZSTD_BUILT,
	  "corrupt zstd stream" },
	{ "lz4-compressed", 4, "\x04\x22\x4d\x18", false, NULL },
	{ "lzip-compressed", 5, "LZIP\x01", false, NULL },
	{ "compress (.Z)-compressed", 2, "\x1f\x9d", false, NULL },
	{ "bzip2-compressed", 10, "BZh91AY&SY", false, NULL },
	{ "bzip2-compressed", 10, "BZh1\x17\x72\x45\x38\x50\x90", false,
	  NULL },
};

START_TEST(test_other_compression)
{
	char		 data[64], *path;
	size_t		 len;
	struct reader	*r;
	struct collected c;
	pid_t		 child;

	len = other_formats[_i].len;
	memcpy(data, other_formats[_i].bytes, len);
	memcpy(data + len, " text\nmore\n", 11);
	len += 11;
	path = write_file("other", data, len);
	r = open_ok(path, 0);
	collect(r, &c);
	ck_assert_uint_eq(c.count, 0);
	ck_assert(!reader_is_gzip(r));
	ck_assert_uint_eq(reader_stats(r)->bytes_decoded, 0);
	if (other_formats[_i].built) {
		ck_assert_int_eq(c.last, READER_ERROR);
		ck_assert_msg(strstr(c.error, other_formats[_i].corrupt) !=
		    NULL, "error \"%s\"", c.error);
	} else {
		expect_error(&c, r, path, 0, other_formats[_i].name);
		ck_assert_ptr_nonnull(strstr(c.error,
		    "this build does not read"));
	}
	collected_free(&c);
	reader_close(r);
	free(path);

	/* Through a pipe a byte at a time: the magic is still seen. */
	r = pipe_reader(data, len, 1, &child);
	collect(r, &c);
	wait_child(child);
	ck_assert_uint_eq(c.count, 0);
	if (other_formats[_i].built)
		ck_assert_ptr_nonnull(strstr(c.error,
		    other_formats[_i].corrupt));
	else
		expect_error(&c, r, "pipe", 0, other_formats[_i].name);
	collected_free(&c);
	reader_close(r);
}
END_TEST

/*
 * Codecs this build decodes besides gzip (configure finds the
 * libraries), each with a compressor for the tests.  The last entry
 * is a sentinel: codec_count may be 0.
 */
typedef unsigned char *(*compress_fn)(const void *, size_t, size_t *);

#ifdef HAVE_ZSTD
/* zstd_bytes - one zstd frame with a checksum, as zstd(1) writes */
static unsigned char *
zstd_bytes(const void *data, size_t len, size_t *outlen)
{
	size_t		 cap = ZSTD_compressBound(len);
	unsigned char	*out = xmalloc(cap);
	ZSTD_CCtx	*cc = ZSTD_createCCtx();

	ck_assert_ptr_nonnull(cc);
	ck_assert(!ZSTD_isError(ZSTD_CCtx_setParameter(cc,
	    ZSTD_c_checksumFlag, 1)));
	*outlen = ZSTD_compress2(cc, out, cap, data, len);
	ck_assert(!ZSTD_isError(*outlen));
	ZSTD_freeCCtx(cc);
	return out;
}
#endif

#ifdef HAVE_LZMA
/* xz_bytes - one xz stream, as xz(1) writes */
static unsigned char *
xz_bytes(const void *data, size_t len, size_t *outlen)
{
	size_t		 cap = lzma_stream_buffer_bound(len), pos = 0;
	unsigned char	*out = xmalloc(cap);

	ck_assert_int_eq(lzma_easy_buffer_encode(1, LZMA_CHECK_CRC64, NULL,
	    data, len, out, &pos, cap), LZMA_OK);
	*outlen = pos;
	return out;
}
#endif

static const struct {
	const char	*name;		/* as in messages */
	compress_fn	 compress;
} codecs[] = {
#ifdef HAVE_ZSTD
	{ "zstd", zstd_bytes },
#endif
#ifdef HAVE_LZMA
	{ "xz", xz_bytes },
#endif
	{ NULL, NULL }
};
static const int codec_count = (int)(sizeof(codecs) / sizeof(codecs[0])) -
    1;

/* two_parts - data compressed as two frames or streams, split inside a
   line, concatenated (logrotate's copies appended, zstd/xz -c a b) */
static unsigned char *
two_parts(int codec, const char *data, size_t len, size_t *outlen)
{
	size_t		 split = len / 3, alen, blen;
	unsigned char	*a = codecs[codec].compress(data, split, &alen);
	unsigned char	*b = codecs[codec].compress(data + split,
	    len - split, &blen);
	unsigned char	*all = xmalloc(alen + blen);

	memcpy(all, a, alen);
	memcpy(all + alen, b, blen);
	*outlen = alen + blen;
	free(a);
	free(b);
	return all;
}

START_TEST(test_codec_whole)
{
	size_t		 n = 12000, len, zlen;
	char		*data = make_lines(n, &len, "\n"), *path;
	unsigned char	*z = two_parts(_i, data, len, &zlen);
	struct reader	*r;
	struct collected c;

	ck_assert_uint_gt(len, 3 * 1024 * 1024);	/* several refills */
	path = write_file("whole", z, zlen);
	r = open_ok(path, 0);
	collect(r, &c);
	ck_assert_msg(c.last == READER_EOF, "%s", c.error);
	check_lines(&c, data, n);
	ck_assert(!reader_is_gzip(r));
	ck_assert(reader_is_compressed(r));
	ck_assert_uint_eq(reader_stats(r)->bytes_read, zlen);
	ck_assert_uint_eq(reader_stats(r)->bytes_decoded, len);
	collected_free(&c);
	reader_close(r);
	free(path);
	free(z);
	free(data);
}
END_TEST

START_TEST(test_codec_close_full_ring)
{
	/* As test_close_full_ring: the decoder thread waits on a full
	   ring when the reader is closed after one line. */
	size_t		 n = 20000, len, zlen;
	char		*data = make_lines(n, &len, "\n"), *path;
	unsigned char	*z = codecs[_i].compress(data, len, &zlen);
	struct reader	*r;
	const char	*line;
	size_t		 linelen;

	path = write_file("full", z, zlen);
	r = open_ok(path, 0);
	ck_assert_int_eq(reader_next(r, &line, &linelen), READER_LINE);
	ck_assert(strncmp(line, "0:", 2) == 0);
	usleep(100000);
	reader_close(r);
	free(path);
	free(z);
	free(data);
}
END_TEST

START_TEST(test_codec_pipe_bytewise)
{
	size_t		 n = 300, len, zlen;
	char		*data = make_lines(n, &len, "\n");
	unsigned char	*z = two_parts(_i, data, len, &zlen);
	pid_t		 child;
	struct reader	*r = pipe_reader(z, zlen, 1, &child);
	struct collected c;

	collect(r, &c);
	wait_child(child);
	ck_assert_msg(c.last == READER_EOF, "%s", c.error);
	check_lines(&c, data, n);
	ck_assert_uint_eq(reader_stats(r)->bytes_read, zlen);
	collected_free(&c);
	reader_close(r);
	free(z);
	free(data);
}
END_TEST

START_TEST(test_codec_truncated)
{
	size_t		 n = 3000, len, zlen, cut, i;
	char		*data = make_lines(n, &len, "\n"), *path, what[64];
	unsigned char	*z = codecs[_i].compress(data, len, &zlen);
	const char	*p = data, *nl;
	struct reader	*r;
	struct collected c;

	cut = zlen / 2;
	path = write_file("cut", z, cut);
	r = open_ok(path, 0);
	collect(r, &c);
	snprintf(what, sizeof(what), "truncated %s stream", codecs[_i].name);
	expect_error(&c, r, path, cut, what);
	ck_assert_uint_gt(c.count, 10);
	ck_assert_uint_lt(c.count, n);
	/* Full lines match; the last may be a line's unfinished start. */
	for (i = 0; i < c.count; i++) {
		nl = strchr(p, '\n');
		if (i + 1 < c.count)
			ck_assert_uint_eq(c.lens[i], (size_t)(nl - p));
		else
			ck_assert_uint_le(c.lens[i], (size_t)(nl - p));
		ck_assert(memcmp(c.lines[i], p, c.lens[i]) == 0);
		p = nl + 1;
	}
	collected_free(&c);
	reader_close(r);
	free(path);
	free(z);
	free(data);
}
END_TEST

START_TEST(test_codec_damage)
{
	size_t		 n = 3000, len, zlen, i;
	char		*data = make_lines(n, &len, "\n"), *path, what[64];
	unsigned char	*z = codecs[_i].compress(data, len, &zlen);
	const char	*junk = "junk after the stream\n";
	size_t		 junklen = strlen(junk);
	unsigned char	*all = xmalloc(zlen + junklen);
	struct reader	*r;
	struct collected c;

	snprintf(what, sizeof(what), "corrupt %s stream", codecs[_i].name);

	/* Trailing garbage: every line before it is used. */
	memcpy(all, z, zlen);
	memcpy(all + zlen, junk, junklen);
	path = write_file("garbage", all, zlen + junklen);
	r = open_ok(path, 0);
	collect(r, &c);
	check_lines(&c, data, n);
	ck_assert_int_eq(c.last, READER_ERROR);
	ck_assert_msg(strstr(c.error, what) != NULL, "%s", c.error);
	ck_assert_uint_ge(reader_error_offset(r), zlen);
	collected_free(&c);
	reader_close(r);
	free(path);

	/* Bytes changed in the middle: damage, whatever came before. */
	for (i = 0; i < 64; i++)
		z[zlen / 2 + i] ^= 0x5a;
	path = write_file("corrupt", z, zlen);
	r = open_ok(path, 0);
	collect(r, &c);
	ck_assert_int_eq(c.last, READER_ERROR);
	ck_assert_msg(strstr(c.error, codecs[_i].name) != NULL, "%s",
	    c.error);
	ck_assert_uint_lt(c.count, n);
	collected_free(&c);
	reader_close(r);
	free(path);
	free(all);
	free(z);
	free(data);
}
END_TEST

START_TEST(test_magic_like_text)
{
	/* Text that begins like a magic but is not one is read; so is a
	   file shorter than the longest magic. */
	static const char *const texts[] = {
		"BZh9 is not bzip2\n", "BZh91AY&SX\n", "LZIP2\n", "x\n", "",
	};
	char		*path;
	struct reader	*r;
	struct collected c;
	size_t		 i, want;

	for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		path = write_file("text", texts[i], strlen(texts[i]));
		r = open_ok(path, 0);
		collect(r, &c);
		ck_assert_int_eq(c.last, READER_EOF);
		want = texts[i][0] != '\0';
		ck_assert_uint_eq(c.count, want);
		if (want)
			ck_assert_uint_eq(c.lens[0], strlen(texts[i]) - 1);
		collected_free(&c);
		reader_close(r);
		free(path);
	}
}
END_TEST

START_TEST(test_trailing_byte)
{
	/* One stray byte after a member: too short to be a header. */
	size_t		 gzlen;
	unsigned char	*gz = gzip_bytes("a\n", 2, &gzlen);
	unsigned char	*all = xmalloc(gzlen + 1);
	char		*path;
	struct reader	*r;
	struct collected c;

	memcpy(all, gz, gzlen);
	all[gzlen] = 0x1f;
	path = write_file("stray.gz", all, gzlen + 1);
	r = open_ok(path, 0);
	collect(r, &c);
	ck_assert_uint_eq(c.count, 1);
	expect_error(&c, r, path, gzlen, "trailing garbage");
	collected_free(&c);
	reader_close(r);
	free(path);
	free(all);
	free(gz);
}
END_TEST

/*
 * long_line_data - "before\n", a line of n 'x', "\nafter\n" (or, with
 * at_eof, the long line last without a newline).  Caller frees.
 */
static char *
long_line_data(size_t n, bool at_eof, size_t *len)
{
	char	*buf = xmalloc(n + 32);
	size_t	 off = 0;

	memcpy(buf, "before\n", 7);
	off = 7;
	memset(buf + off, 'x', n);
	off += n;
	if (!at_eof) {
		memcpy(buf + off, "\nafter\n", 7);
		off += 7;
	}
	*len = off;
	return buf;
}

/* check_long_line - the long line is skipped and counted */
static void
check_long_line(size_t n, size_t max_line, bool at_eof, bool gzip)
{
	size_t		 len, gzlen = 0;
	char		*data = long_line_data(n, at_eof, &len);
	unsigned char	*gz = NULL;
	char		*path;
	struct reader	*r;
	struct collected c;

	if (gzip) {
		gz = gzip_bytes(data, len, &gzlen);
		path = write_file("long.gz", gz, gzlen);
	} else
		path = write_file("long.log", data, len);
	r = open_ok(path, max_line);
	collect(r, &c);
	ck_assert_int_eq(c.last, READER_EOF);
	ck_assert_uint_eq(c.count, at_eof ? 1 : 2);
	ck_assert_str_eq(c.lines[0], "before");
	if (!at_eof)
		ck_assert_str_eq(c.lines[1], "after");
	ck_assert_uint_eq(reader_stats(r)->long_lines, 1);
	ck_assert_uint_eq(reader_stats(r)->bytes_decoded, len);
	collected_free(&c);
	reader_close(r);
	free(path);
	free(gz);
	free(data);
}

START_TEST(test_long_line_refills)
{
	/* 3 MiB line, cap 100: spans several buffer refills. */
	check_long_line(3 * 1024 * 1024, 100, false, false);
	check_long_line(3 * 1024 * 1024, 100, false, true);
	check_long_line(3 * 1024 * 1024, 100, true, false);
	check_long_line(3 * 1024 * 1024, 100, true, true);
}
END_TEST

START_TEST(test_long_line_default_cap)
{
	/* 10 MB line with the default 64 KiB cap. */
	check_long_line(10 * 1000 * 1000, 0, false, false);
	check_long_line(10 * 1000 * 1000, 0, false, true);
	check_long_line(10 * 1000 * 1000, 0, true, false);
}
END_TEST

START_TEST(test_big_cap_keeps_big_line)
{
	/* A 3 MiB line under a 4 MiB cap is kept whole: the buffer grows. */
	size_t		 n = 3 * 1024 * 1024, len;
	char		*data = long_line_data(n, false, &len);
	char		*path = write_file("big-line.log", data, len);
	struct reader	*r = open_ok(path, 4 * 1024 * 1024);
	struct collected c;
	size_t		 i;

	collect(r, &c);
	ck_assert_int_eq(c.last, READER_EOF);
	ck_assert_uint_eq(c.count, 3);
	ck_assert_uint_eq(c.lens[1], n);
	for (i = 0; i < n; i++)
		if (c.lines[1][i] != 'x')
			break;
	ck_assert_uint_eq(i, n);
	ck_assert_str_eq(c.lines[2], "after");
	ck_assert_uint_eq(reader_stats(r)->long_lines, 0);
	collected_free(&c);
	reader_close(r);
	free(path);
	free(data);
}
END_TEST

START_TEST(test_many_long_lines)
{
	/* Alternating long and short lines with a cap mid-range. */
	size_t		 n = 4000, len, i, kept = 0;
	char		*data = make_lines(n, &len, "\n");
	char		*path = write_file("mixed.log", data, len);
	struct reader	*r = open_ok(path, 1000);
	struct collected c;
	const char	*p = data, *nl;
	size_t		 j = 0;

	collect(r, &c);
	ck_assert_int_eq(c.last, READER_EOF);
	for (i = 0; i < n; i++) {
		nl = strchr(p, '\n');
		if ((size_t)(nl - p) <= 1000) {
			ck_assert_uint_lt(j, c.count);
			ck_assert_uint_eq(c.lens[j], (size_t)(nl - p));
			ck_assert(memcmp(c.lines[j], p, c.lens[j]) == 0);
			j++;
			kept++;
		}
		p = nl + 1;
	}
	ck_assert_uint_eq(c.count, kept);
	ck_assert_uint_gt(reader_stats(r)->long_lines, 0);
	ck_assert_uint_eq(reader_stats(r)->long_lines + kept, n);
	collected_free(&c);
	reader_close(r);
	free(path);
	free(data);
}
END_TEST

START_TEST(test_missing_file)
{
	char		 err[512] = "";
	char		*path = temp_path("does-not-exist");
	struct reader	*r = reader_open(path, NULL, err, sizeof(err));
	char		 want[600];

	ck_assert_ptr_null(r);
	snprintf(want, sizeof(want), "%s: %s", path, strerror(ENOENT));
	ck_assert_str_eq(err, want);
	free(path);
}
END_TEST

START_TEST(test_directory)
{
	char		 err[512] = "";
	struct reader	*r = reader_open(tmpdir, NULL, err, sizeof(err));
	char		 want[600];

	ck_assert_ptr_null(r);
	snprintf(want, sizeof(want), "%s: is a directory", tmpdir);
	ck_assert_str_eq(err, want);
}
END_TEST

START_TEST(test_unreadable)
{
	char		 err[512] = "";
	char		*path = write_file("secret.log", "x\n", 2);
	struct reader	*r;

	ck_assert_int_eq(chmod(path, 0), 0);
	if (geteuid() == 0) {
		/* root reads anything: nothing to test. */
		free(path);
		return;
	}
	r = reader_open(path, NULL, err, sizeof(err));
	ck_assert_ptr_null(r);
	ck_assert_ptr_nonnull(strstr(err, path));
	ck_assert_ptr_nonnull(strstr(err, strerror(EACCES)));
	free(path);
}
END_TEST

/*
 * pipe_reader - a reader on a pipe fed by a child that writes data in
 * pieces of at most chunk bytes.
 */
static struct reader *
pipe_reader(const void *data, size_t len, size_t chunk, pid_t *child)
{
	int	fds[2];
	size_t	off = 0, n;
	ssize_t	w;

	ck_assert_int_eq(pipe(fds), 0);
	*child = fork();
	ck_assert_int_ge(*child, 0);
	if (*child == 0) {
		close(fds[0]);
		while (off < len) {
			n = len - off < chunk ? len - off : chunk;
			w = write(fds[1], (const char *)data + off, n);
			if (w <= 0)
				_exit(1);
			off += (size_t)w;
		}
		_exit(0);
	}
	close(fds[1]);
	return reader_open_fd(fds[0], "pipe", NULL);
}

/* wait_child - the writer exited cleanly */
static void
wait_child(pid_t child)
{
	int	status;

	ck_assert_int_eq(waitpid(child, &status, 0), child);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

START_TEST(test_pipe_plain)
{
	size_t		 n = 2000, len;
	char		*data = make_lines(n, &len, "\n");
	pid_t		 child;
	struct reader	*r = pipe_reader(data, len, 1000, &child);
	struct collected c;

	collect(r, &c);
	wait_child(child);
	ck_assert_int_eq(c.last, READER_EOF);
	check_lines(&c, data, n);
	ck_assert(!reader_is_gzip(r));
	ck_assert_int_eq((int)reader_mtime(r), 0);
	ck_assert_uint_eq(reader_size(r), 0);
	ck_assert_str_eq(reader_name(r), "pipe");
	collected_free(&c);
	reader_close(r);
	free(data);
}
END_TEST

START_TEST(test_pipe_gzip_bytewise)
{
	/* One byte per write: the magic arrives in two reads. */
	size_t		 n = 300, len, gzlen;
	char		*data = make_lines(n, &len, "\n");
	unsigned char	*gz = gzip_bytes(data, len, &gzlen);
	pid_t		 child;
	struct reader	*r = pipe_reader(gz, gzlen, 1, &child);
	struct collected c;

	collect(r, &c);
	wait_child(child);
	ck_assert(reader_is_gzip(r));
	ck_assert_int_eq(c.last, READER_EOF);
	check_lines(&c, data, n);
	ck_assert_uint_eq(reader_stats(r)->bytes_read, gzlen);
	collected_free(&c);
	reader_close(r);
	free(gz);
	free(data);
}
END_TEST

START_TEST(test_stdin)
{
	const char	*text = "from\nstdin\n";
	char		*path = write_file("stdin.log", text, strlen(text));
	int		 fd = open(path, O_RDONLY);
	struct reader	*r;
	struct collected c;

	/* Each test runs in its own process: replacing stdin is safe. */
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(dup2(fd, STDIN_FILENO), STDIN_FILENO);
	close(fd);
	r = open_ok("-", 0);
	collect(r, &c);
	ck_assert_uint_eq(c.count, 2);
	ck_assert_str_eq(c.lines[1], "stdin");
	ck_assert_str_eq(reader_name(r), "-");
	collected_free(&c);
	reader_close(r);
	free(path);
}
END_TEST

START_TEST(test_read_error)
{
	/* A directory opened as a descriptor: read() fails with EISDIR. */
	int		 fd = open(tmpdir, O_RDONLY);
	struct reader	*r;
	struct collected c;

	ck_assert_int_ge(fd, 0);
	r = reader_open_fd(fd, "dirfd", NULL);
	collect(r, &c);
	ck_assert_uint_eq(c.count, 0);
	expect_error(&c, r, "dirfd", 0, strerror(EISDIR));
	collected_free(&c);
	reader_close(r);
}
END_TEST

/*
 * A plain file cut short while it is read (logrotate's copytruncate):
 * the lines read before are handed out, then the damage, at the offset
 * where reading stopped.  A file that only grows is not damaged.  Read
 * through the mapping (_i 0), where the cut lands inside the window,
 * and with read() (_i 1).
 */
START_TEST(test_truncated_while_read)
{
	/* Two read blocks and more, in lines of 100 bytes. */
	size_t		 lines = 3 * 1024 * 1024 / 100, i;
	char		*data = xmalloc(lines * 100), *path;
	const char	*line;
	size_t		 len, n = 0;
	struct reader	*r;
	enum reader_status st;
	char		 err[256];
	struct reader_options opts = { .no_map = _i == 1 };

	for (i = 0; i < lines; i++) {
		memset(data + i * 100, 'a' + (int)(i % 26), 99);
		data[i * 100 + 99] = '\n';
	}
	path = write_file("cut.log", data, lines * 100);
	r = reader_open(path, &opts, err, sizeof(err));
	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(reader_next(r, &line, &len), READER_LINE);
	n++;
	/* The first block is read: cut the file to a tenth of it. */
	ck_assert_int_eq(truncate(path, 100 * 1024), 0);
	while ((st = reader_next(r, &line, &len)) == READER_LINE)
		n++;
	ck_assert_int_eq(st, READER_ERROR);
	ck_assert_msg(strstr(reader_error(r), "file truncated while being "
	    "read (102400 bytes now)") != NULL, "%s", reader_error(r));
	ck_assert_uint_eq(reader_error_offset(r),
	    reader_stats(r)->bytes_read);
	ck_assert_uint_lt(n, lines);
	ck_assert_int_eq(reader_next(r, &line, &len), READER_EOF);
	reader_close(r);

	/* Grown while read: read to its end, no damage. */
	r = reader_open(path, &opts, err, sizeof(err));
	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(reader_next(r, &line, &len), READER_LINE);
	{
		FILE *f = fopen(path, "ab");

		ck_assert_ptr_nonnull(f);
		fputs("more\n", f);
		ck_assert_int_eq(fclose(f), 0);
	}
	while ((st = reader_next(r, &line, &len)) == READER_LINE)
		n = len;
	ck_assert_int_eq(st, READER_EOF);
	ck_assert_uint_eq(n, 4);		/* "more" */
	reader_close(r);
	unlink(path);
	free(path);
	free(data);
}
END_TEST

/*
 * A mapped file cut inside its window, in the middle of a page and of a
 * line: every line before the cut is handed out, the part of the line
 * before it as the last one (as read() would), then the damage at the
 * new size; the zeros that the rest of the page and the window read as
 * never show.
 */
START_TEST(test_cut_mid_page)
{
	size_t		 lines = 30000, i, n = 0, last = 0;
	size_t		 cut = 1000 * 100 + 50;
	char		*data = xmalloc(lines * 100), *path, want[128];
	const char	*line;
	size_t		 len;
	struct reader	*r;
	enum reader_status st;

	for (i = 0; i < lines; i++) {
		memset(data + i * 100, 'a' + (int)(i % 26), 99);
		data[i * 100 + 99] = '\n';
	}
	path = write_file("cutmid.log", data, lines * 100);
	r = open_ok(path, 0);
	ck_assert_int_eq(reader_next(r, &line, &len), READER_LINE);
	n++;
	ck_assert_int_eq(truncate(path, (off_t)cut), 0);
	while ((st = reader_next(r, &line, &len)) == READER_LINE) {
		ck_assert_ptr_null(memchr(line, '\0', len));
		ck_assert_int_eq(line[0], 'a' + (int)(n % 26));
		last = len;
		n++;
	}
	ck_assert_int_eq(st, READER_ERROR);
	ck_assert_uint_eq(n, 1001);
	ck_assert_uint_eq(last, 50);
	snprintf(want, sizeof(want), "offset %zu: file truncated while "
	    "being read (%zu bytes now)", cut, cut);
	ck_assert_msg(strstr(reader_error(r), want) != NULL, "%s",
	    reader_error(r));
	ck_assert_uint_eq(reader_error_offset(r), cut);
	ck_assert_uint_eq(reader_stats(r)->bytes_read, cut);
	ck_assert_uint_eq(reader_stats(r)->lines, 1001);
	ck_assert_int_eq(reader_next(r, &line, &len), READER_EOF);
	reader_close(r);
	unlink(path);
	free(path);
	free(data);
}
END_TEST

/*
 * The mapping hands out what read() does, and so does gzip (the
 * decoder's blocks lent to the reader, and copied for the line longer
 * than the room in front of a block): lines of every length across
 * many windows and blocks, CRLF, NUL bytes, lines over the cap
 * skipped, and one line longer than a window (kept under a cap of
 * 4 MiB, _i 1, which makes the window grow; skipped under 2000 bytes,
 * _i 0).
 */
START_TEST(test_map_same_as_read)
{
	size_t		 cap = _i == 0 ? 2000 : 4 * 1024 * 1024;
	size_t		 size = 7 * 1024 * 1024, used = 0, len, i;
	size_t		 big = 3 * 1024 * 1024 + 7, la, lb, lc, gzlen;
	char		*data = xmalloc(size + big + 8192), *path, *gzpath;
	unsigned char	*gz;
	struct reader_options mo = { .max_line_bytes = cap };
	struct reader_options ro = { .max_line_bytes = cap, .no_map = true };
	struct reader	*a, *b, *c;
	const char	*x, *y, *z;
	enum reader_status sa, sb, sc;
	char		 err[256];
	uint32_t	 rnd = 12345;

	while (used < size) {
		rnd = rnd * 1103515245u + 12345u;
		len = (rnd >> 8) % 3000;
		if ((rnd >> 4) % 97 == 0)
			len = 2500 + (rnd >> 12) % 600;
		for (i = 0; i < len; i++)
			data[used + i] = (char)('!' + (used + i) % 90);
		if ((rnd >> 6) % 53 == 0 && len > 0)
			data[used + len / 2] = '\0';
		if ((rnd >> 3) % 7 == 0 && len > 0)
			data[used + len - 1] = '\r';
		data[used + len] = '\n';
		used += len + 1;
		if (used > size / 2 && big > 0) {
			memset(data + used, 'B', big);
			data[used + big] = '\n';
			used += big + 1;
			big = 0;
		}
	}
	memcpy(data + used, "tail", 4);		/* no final newline */
	used += 4;
	path = write_file("same.log", data, used);
	gz = gzip_bytes(data, used, &gzlen);
	gzpath = write_file("same.log.gz", gz, gzlen);
	a = reader_open(path, &mo, err, sizeof(err));
	b = reader_open(path, &ro, err, sizeof(err));
	c = reader_open(gzpath, &mo, err, sizeof(err));
	ck_assert_ptr_nonnull(a);
	ck_assert_ptr_nonnull(b);
	ck_assert_ptr_nonnull(c);
	do {
		sa = reader_next(a, &x, &la);
		sb = reader_next(b, &y, &lb);
		sc = reader_next(c, &z, &lc);
		ck_assert_int_eq(sa, sb);
		ck_assert_int_eq(sa, sc);
		if (sa == READER_LINE) {
			ck_assert_uint_eq(la, lb);
			ck_assert_uint_eq(la, lc);
			ck_assert(la == 0 || memcmp(x, y, la) == 0);
			ck_assert(la == 0 || memcmp(x, z, la) == 0);
			ck_assert_int_eq(reader_line_high(a),
			    reader_line_high(b));
			ck_assert_int_eq(reader_line_high(a),
			    reader_line_high(c));
		}
	} while (sa == READER_LINE);
	ck_assert_int_eq(sa, READER_EOF);
	ck_assert_uint_eq(reader_stats(a)->lines, reader_stats(b)->lines);
	ck_assert_uint_eq(reader_stats(a)->lines, reader_stats(c)->lines);
	ck_assert_uint_eq(reader_stats(a)->long_lines,
	    reader_stats(b)->long_lines);
	ck_assert_uint_eq(reader_stats(a)->long_lines,
	    reader_stats(c)->long_lines);
	ck_assert_uint_eq(reader_stats(a)->nul_lines,
	    reader_stats(b)->nul_lines);
	ck_assert_uint_eq(reader_stats(a)->nul_lines,
	    reader_stats(c)->nul_lines);
	ck_assert_uint_eq(reader_stats(a)->bytes_read, used);
	ck_assert_uint_eq(reader_stats(b)->bytes_read, used);
	ck_assert_uint_eq(reader_stats(c)->bytes_read, gzlen);
	ck_assert_uint_eq(reader_stats(a)->bytes_decoded, used);
	ck_assert_uint_eq(reader_stats(c)->bytes_decoded, used);
	ck_assert_uint_gt(reader_stats(a)->nul_lines, 0);
	if (_i == 0)
		ck_assert_uint_gt(reader_stats(a)->long_lines, 1);
	else
		ck_assert_uint_eq(reader_stats(a)->long_lines, 0);
	reader_close(a);
	reader_close(b);
	reader_close(c);
	unlink(path);
	unlink(gzpath);
	free(path);
	free(gzpath);
	free(gz);
	free(data);
}
END_TEST

/* Address space reservations of the sanitizers defeat RLIMIT_AS. */
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define ZS_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || \
    __has_feature(memory_sanitizer)
#define ZS_SANITIZED 1
#endif
#endif

/*
 * A mapped file whose next window cannot be mapped (the address space
 * is full) goes on with read() from where the window ended, the line
 * in progress kept: every line comes out whole, no damage.  The limit
 * leaves room for the reader's own buffer (some 1 MiB) but not for a
 * window (2 MiB).
 */
START_TEST(test_map_fails_midway)
{
#ifdef ZS_SANITIZED
	/* nothing to do: see ZS_SANITIZED */
#else
	size_t		 lines = 6 * 1024 * 1024 / 100, i, n = 0;
	char		*data = xmalloc(lines * 100), *path;
	const char	*line;
	size_t		 len;
	struct reader	*r;
	struct rlimit	 old, low;
	enum reader_status st;
	char		 err[256];
	uint64_t	 used;

	for (i = 0; i < lines; i++) {
		snprintf(data + i * 100, 100, "%08zu", i);
		memset(data + i * 100 + 8, 'a' + (int)(i % 26), 91);
		data[i * 100 + 99] = '\n';
	}
	path = write_file("nomap.log", data, lines * 100);
	r = reader_open(path, NULL, err, sizeof(err));
	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(reader_next(r, &line, &len), READER_LINE);
	n++;
	if ((used = procstat_kib("VmSize") * 1024) == 0 ||
	    getrlimit(RLIMIT_AS, &old) != 0) {
		reader_close(r);
		unlink(path);
		free(path);
		free(data);
		return;		/* no /proc: nothing to measure by */
	}
	low = old;
	low.rlim_cur = (rlim_t)(used + 1536 * 1024);
	ck_assert_int_eq(setrlimit(RLIMIT_AS, &low), 0);
	while ((st = reader_next(r, &line, &len)) == READER_LINE) {
		ck_assert_uint_lt(n, lines);
		ck_assert_uint_eq(len, 99);
		ck_assert(memcmp(line, data + n * 100, 99) == 0);
		n++;
	}
	ck_assert_int_eq(setrlimit(RLIMIT_AS, &old), 0);
	ck_assert_int_eq(st, READER_EOF);
	ck_assert_uint_eq(n, lines);
	ck_assert_uint_eq(reader_stats(r)->bytes_read, lines * 100);
	ck_assert_uint_eq(reader_stats(r)->bytes_decoded, lines * 100);
	reader_close(r);
	unlink(path);
	free(path);
	free(data);
#endif
}
END_TEST

START_TEST(test_close_null)
{
	reader_close(NULL);
}
END_TEST

START_TEST(test_close_early)
{
	/* Closing mid-file frees everything (ASan checks). */
	size_t		 n = 100, len, gzlen;
	char		*data = make_lines(n, &len, "\n");
	unsigned char	*gz = gzip_bytes(data, len, &gzlen);
	char		*path = write_file("early.gz", gz, gzlen);
	struct reader	*r = open_ok(path, 0);
	const char	*line;
	size_t		 linelen;

	ck_assert_int_eq(reader_next(r, &line, &linelen), READER_LINE);
	ck_assert(strncmp(line, "0:", 2) == 0);
	reader_close(r);
	free(path);
	free(gz);
	free(data);
}
END_TEST

START_TEST(test_close_full_ring)
{
	/*
	 * Megabytes of text: the inflater fills every block of its ring
	 * and waits; closing must stop it and free everything (ASan).
	 */
	size_t		 n = 20000, len, gzlen;
	char		*data = make_lines(n, &len, "\n");
	unsigned char	*gz = gzip_bytes(data, len, &gzlen);
	char		*path = write_file("full.gz", gz, gzlen);
	struct reader	*r = open_ok(path, 0);
	const char	*line;
	size_t		 linelen;

	ck_assert_int_eq(reader_next(r, &line, &linelen), READER_LINE);
	ck_assert(strncmp(line, "0:", 2) == 0);
	/* Give the inflater time to fill the ring and block. */
	usleep(100000);
	reader_close(r);
	free(path);
	free(gz);
	free(data);
}
END_TEST

/*
 * Damage in the second member of a two-member file, after megabytes
 * of the first.  DAMAGE_CUT cuts the file short inside the second
 * member, DAMAGE_BITS garbles its middle, DAMAGE_CRC breaks its
 * trailer's CRC-32.
 */
enum damage { DAMAGE_CUT, DAMAGE_BITS, DAMAGE_CRC };

/*
 * damaged_pair - the two-member file for test_damage_same_as_pipe;
 * the caller frees the bytes and the text.
 */
static unsigned char *
damaged_pair(enum damage kind, size_t *outlen, char **text, size_t *textlen)
{
	size_t		 n = 9000, len, la, lb, i;
	char		*data = make_lines(n, &len, "\n");
	size_t		 half = len / 2;
	unsigned char	*ga, *gb, *all;

	/* Split at a line end, so that the members hold whole lines. */
	while (data[half - 1] != '\n')
		half++;
	ga = gzip_bytes(data, half, &la);
	gb = gzip_bytes(data + half, len - half, &lb);
	all = xmalloc(la + lb);
	memcpy(all, ga, la);
	memcpy(all + la, gb, lb);
	*outlen = la + lb;
	switch (kind) {
	case DAMAGE_CUT:
		*outlen = la + lb / 2;
		break;
	case DAMAGE_BITS:
		for (i = la + lb / 2; i < la + lb / 2 + 64; i++)
			all[i] ^= 0x5a;
		break;
	case DAMAGE_CRC:
		all[la + lb - 8] ^= 0xff;
		break;
	}
	free(ga);
	free(gb);
	*text = data;
	*textlen = half;
	return all;
}

/*
 * test_incomplete_distance_code - a member whose dynamic block has an
 * incomplete distance code (one bit of a code length flipped in the
 * gzip of 5000 'x'), with the right CRC-32 and length: zlib refuses
 * it, ISA-L decodes it.  A pipe (zlib) ends in damage; a regular file
 * does too without ISA-L, and with it yields the text (reader.c).
 */
START_TEST(test_incomplete_distance_code)
{
	static const unsigned char gz[] = {
		0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03,
		0xed, 0xc1, 0x31, 0x01, 0x00, 0x00, 0x00, 0xc2, 0xa0, 0xda,
		0x8b, 0x6f, 0x0a, 0x3f, 0xb0, 0x00, 0x00, 0x00, 0x00, 0x80,
		0xb7, 0x01, 0x26, 0xf0, 0xdb, 0x00, 0x88, 0x13, 0x00, 0x00
	};
	char		*path;
	struct reader	*r;
	struct collected c;
	pid_t		 child;
	size_t		 i;

	path = write_file("incomplete.gz", gz, sizeof(gz));
	r = open_ok(path, 0);
	collect(r, &c);
#ifdef HAVE_ISAL
	ck_assert_int_eq(c.last, READER_EOF);
	ck_assert_uint_eq(c.count, 1);
	ck_assert_uint_eq(c.lens[0], 5000);
	for (i = 0; i < 5000; i++)
		ck_assert_int_eq(c.lines[0][i], 'x');
	ck_assert_uint_eq(reader_stats(r)->bytes_read, sizeof(gz));
#else
	(void)i;
	ck_assert_uint_eq(c.count, 0);
	ck_assert_msg(strstr(c.error, "corrupt gzip stream (invalid "
	    "distances set)") != NULL, "%s", c.error);
#endif
	collected_free(&c);
	reader_close(r);

	r = pipe_reader(gz, sizeof(gz), 65536, &child);
	collect(r, &c);
	wait_child(child);
	ck_assert_uint_eq(c.count, 0);
	ck_assert_msg(strstr(c.error, "corrupt gzip stream (invalid "
	    "distances set)") != NULL, "%s", c.error);
	collected_free(&c);
	reader_close(r);
	free(path);
}
END_TEST

START_TEST(test_damage_same_as_pipe)
{
	/*
	 * A regular file may be inflated by a faster inflater than a
	 * pipe is (see reader.c); what is handed out and the damage
	 * reported must not depend on it.  Compares the two, after the
	 * name, line by line.
	 */
	enum damage	 kind = (enum damage)_i;
	size_t		 gzlen, textlen, i, nfirst = 0;
	char		*text;
	unsigned char	*gz = damaged_pair(kind, &gzlen, &text, &textlen);
	char		*path = write_file("pair.gz", gz, gzlen);
	struct reader	*rf = open_ok(path, 0), *rp;
	struct reader_stats sf;
	uint64_t	 offset;
	struct collected cf, cp;
	const char	*ef, *ep;
	pid_t		 child;

	collect(rf, &cf);
	sf = *reader_stats(rf);
	offset = reader_error_offset(rf);
	/* Closed before the fork: no inflater thread in the child. */
	reader_close(rf);
	rp = pipe_reader(gz, gzlen, 65536, &child);
	collect(rp, &cp);
	wait_child(child);
	ck_assert_int_eq(cf.last, READER_ERROR);
	ck_assert_int_eq(cp.last, READER_ERROR);
	ck_assert_uint_eq(offset, reader_error_offset(rp));
	ef = cf.error + strlen(path);
	ep = cp.error + strlen("pipe");
	ck_assert_str_eq(ef, ep);
	ck_assert_msg(strstr(ef, kind == DAMAGE_CUT ?
	    "truncated gzip stream" : "corrupt gzip stream") != NULL,
	    "%s", cf.error);
	ck_assert_uint_eq(cf.count, cp.count);
	for (i = 0; i < cf.count; i++) {
		ck_assert_uint_eq(cf.lens[i], cp.lens[i]);
		ck_assert(memcmp(cf.lines[i], cp.lines[i], cf.lens[i]) == 0);
	}
	/* Every line of the first member came out. */
	for (i = 0; i < textlen; i++)
		if (text[i] == '\n')
			nfirst++;
	ck_assert_uint_ge(cf.count, nfirst);
	ck_assert_uint_eq(sf.bytes_decoded, reader_stats(rp)->bytes_decoded);
	ck_assert_uint_eq(sf.gzip_members, 2);
	ck_assert_uint_eq(reader_stats(rp)->gzip_members, 2);
	if (kind == DAMAGE_CUT)
		ck_assert_uint_eq(sf.bytes_read, gzlen);
	collected_free(&cf);
	collected_free(&cp);
	reader_close(rp);
	free(path);
	free(gz);
	free(text);
}
END_TEST

/*
 * Lines marked for reader_line_high() and the NUL count: line i holds
 * a high byte, a NUL byte, both or neither, at a position that moves
 * through the line (first byte, last byte, either side of a 16-byte
 * step), and a tab now and then, which is a control byte too.
 */
struct marked {
	char		*data;
	size_t		 len;
	size_t		 nlines;	/* lines without NUL: handed out */
	size_t		 nul_lines;
	bool		*high;		/* of each line handed out */
};

/* make_marked - n marked lines; free with free_marked() */
static void
make_marked(size_t n, struct marked *m)
{
	size_t	 cap = n * 400 + 16, i, j, linelen, pos;
	uint32_t seed = 777;
	unsigned kind;

	memset(m, 0, sizeof(*m));
	m->data = xmalloc(cap);
	m->high = xcalloc(n, sizeof(*m->high));
	for (i = 0; i < n; i++) {
		seed = seed * 1103515245u + 12345u;
		linelen = 1 + (seed >> 16) % 380;
		pos = (seed >> 4) % linelen;
		/* 0-2 plain, 3 high byte, 4 NUL, 5 both */
		kind = (seed >> 27) % 6;
		for (j = 0; j < linelen; j++)
			m->data[m->len + j] = (char)('a' + (i + j) % 26);
		if (i % 7 == 0)
			m->data[m->len + (pos + 1) % linelen] = '\t';
		if (kind == 3 || kind == 5)
			m->data[m->len + pos] = (char)0xc3;
		if (kind == 4)
			m->data[m->len + pos] = '\0';
		if (kind == 5)
			m->data[m->len + linelen - 1 - pos] = '\0';
		m->len += linelen;
		m->data[m->len++] = '\n';
		if (kind >= 4)
			m->nul_lines++;
		else
			m->high[m->nlines++] = kind == 3;
	}
}

/* check_marked - lines and their flags as make_marked() made them */
static void
check_marked(struct reader *r, const struct marked *m)
{
	const char	*line;
	size_t		 len, i, k = 0;
	bool		 high;

	while (reader_next(r, &line, &len) == READER_LINE) {
		ck_assert_uint_lt(k, m->nlines);
		for (high = false, i = 0; i < len; i++)
			if ((unsigned char)line[i] >= 0x80)
				high = true;
		ck_assert_msg(memchr(line, '\0', len) == NULL, "line %zu", k);
		ck_assert_msg(reader_line_high(r) == high &&
		    high == m->high[k], "line %zu: high %d, expected %d", k,
		    (int)reader_line_high(r), (int)m->high[k]);
		k++;
	}
	ck_assert_uint_eq(k, m->nlines);
	ck_assert_uint_eq(reader_stats(r)->nul_lines, m->nul_lines);
	ck_assert_uint_eq(reader_stats(r)->lines, m->nlines);
}

/* The NUL and high-byte flags, with lines across every kind of refill. */
START_TEST(test_line_flags)
{
	struct marked	 m;
	char		*path;
	unsigned char	*gz;
	size_t		 gzlen;
	struct reader	*r;

	make_marked(9000, &m);		/* about 1.7 MB: refills */
	ck_assert_uint_gt(m.len, 1024 * 1024 + 65536);
	ck_assert_uint_gt(m.nul_lines, 0);
	path = write_file("marked.log", m.data, m.len);
	r = open_ok(path, 0);
	check_marked(r, &m);
	reader_close(r);
	free(path);
	gz = gzip_bytes(m.data, m.len, &gzlen);
	path = write_file("marked.gz", gz, gzlen);
	r = open_ok(path, 0);
	check_marked(r, &m);
	reader_close(r);
	free(path);
	free(gz);
	free(m.data);
	free(m.high);
}
END_TEST

/* Reads of a few bytes: a line's flags gather over many. */
START_TEST(test_line_flags_pieces)
{
	struct marked	 m;
	struct reader	*r;
	pid_t		 child;

	make_marked(600, &m);
	r = pipe_reader(m.data, m.len, 5, &child);
	check_marked(r, &m);
	wait_child(child);
	reader_close(r);
	free(m.data);
	free(m.high);
}
END_TEST

/* A final line without a newline keeps its flags; so does CRLF. */
START_TEST(test_line_flags_tail)
{
	const char	*text = "ascii\r\nh\xc3\xa9\r\nplain\nlast \xff";
	char		*path = write_file("tail.log", text, strlen(text));
	struct reader	*r = open_ok(path, 0);
	static const bool expect[] = { false, true, false, true };
	const char	*line;
	size_t		 len;
	size_t		 i;

	ck_assert(!reader_line_high(r));
	for (i = 0; i < 4; i++) {
		ck_assert(reader_next(r, &line, &len) == READER_LINE);
		ck_assert_msg(reader_line_high(r) == expect[i], "line %zu", i);
	}
	ck_assert(reader_next(r, &line, &len) == READER_EOF);
	reader_close(r);
	free(path);
}
END_TEST

/* reader_suite - all reader tests */
static Suite *
reader_suite(void)
{
	Suite	*s = suite_create("reader");
	TCase	*tc;
	int	 ncases = (int)(sizeof(small_cases) /
		    sizeof(small_cases[0]));

	tc = tcase_create("small");
	tcase_add_loop_test(tc, test_small_plain, 0, ncases);
	tcase_add_loop_test(tc, test_small_gzip, 0, ncases);
	suite_add_tcase(s, tc);

	tc = tcase_create("buffers");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_straddle_plain);
	tcase_add_test(tc, test_straddle_gzip);
	tcase_add_test(tc, test_straddle_crlf);
	tcase_add_test(tc, test_long_line_refills);
	tcase_add_test(tc, test_long_line_default_cap);
	tcase_add_test(tc, test_big_cap_keeps_big_line);
	tcase_add_test(tc, test_many_long_lines);
	tcase_add_test(tc, test_line_flags);
	tcase_add_test(tc, test_line_flags_pieces);
	tcase_add_test(tc, test_line_flags_tail);
	suite_add_tcase(s, tc);

	tc = tcase_create("gzip");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_multi_member);
	tcase_add_test(tc, test_multi_member_with_empty);
	tcase_add_test(tc, test_truncated_gzip);
	tcase_add_test(tc, test_truncated_header);
	tcase_add_test(tc, test_corrupt_gzip);
	tcase_add_test(tc, test_crc_mismatch);
	tcase_add_test(tc, test_gzip_garbage);
	tcase_add_test(tc, test_bad_back_reference);
	tcase_add_test(tc, test_incomplete_distance_code);
	tcase_add_test(tc, test_trailing_garbage);
	tcase_add_loop_test(tc, test_other_compression, 0,
	    (int)(sizeof(other_formats) / sizeof(other_formats[0])));
	tcase_add_test(tc, test_magic_like_text);
	tcase_add_loop_test(tc, test_codec_whole, 0, codec_count);
	tcase_add_loop_test(tc, test_codec_close_full_ring, 0, codec_count);
	tcase_add_loop_test(tc, test_codec_pipe_bytewise, 0, codec_count);
	tcase_add_loop_test(tc, test_codec_truncated, 0, codec_count);
	tcase_add_loop_test(tc, test_codec_damage, 0, codec_count);
	tcase_add_test(tc, test_trailing_byte);
	tcase_add_loop_test(tc, test_damage_same_as_pipe, DAMAGE_CUT,
	    DAMAGE_CRC + 1);
	suite_add_tcase(s, tc);

	tc = tcase_create("open");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_missing_file);
	tcase_add_test(tc, test_directory);
	tcase_add_test(tc, test_unreadable);
	tcase_add_test(tc, test_pipe_plain);
	tcase_add_test(tc, test_pipe_gzip_bytewise);
	tcase_add_test(tc, test_stdin);
	tcase_add_test(tc, test_read_error);
	tcase_add_loop_test(tc, test_truncated_while_read, 0, 2);
	tcase_add_test(tc, test_cut_mid_page);
	tcase_add_loop_test(tc, test_map_same_as_read, 0, 2);
	tcase_add_test(tc, test_map_fails_midway);
	tcase_add_test(tc, test_close_null);
	tcase_add_test(tc, test_close_early);
	tcase_add_test(tc, test_close_full_ring);
	suite_add_tcase(s, tc);
	return s;
}

/* remove_tmpdir - delete the test directory and its files */
static void
remove_tmpdir(void)
{
	DIR		*d = opendir(tmpdir);
	struct dirent	*e;
	char		 path[1024];

	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", tmpdir, e->d_name);
		(void)unlink(path);
	}
	closedir(d);
	(void)rmdir(tmpdir);
}

/* main - run the reader suite */
int
main(void)
{
	int	status;

	if (mkdtemp(tmpdir) == NULL) {
		perror("mkdtemp");
		return EXIT_FAILURE;
	}
	status = run_suite(reader_suite());
	remove_tmpdir();
	return status;
}
