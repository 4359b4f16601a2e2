/*
 * fuzz_reader - libFuzzer target for parsers/reader.
 *
 * Input: one byte choosing max_line_bytes (0: the default; 1-127 as
 * is; 128-253: multiples of 64 up to 8128; 254 and 255: 100000 and
 * 1 MiB, past the default, so that the buffer must grow for a long
 * line, which a small gzip input can hold), then the file's bytes,
 * which are written to a memfd (no file on disk) and read back whole
 * through reader_open_fd(); plain text twice, through the mapping of
 * the file and with read().  Input starting with 1f 8b is gzip, so the
 * seeds include gzip files: single and multi-member, truncated, with
 * trailing garbage.
 *
 * Checked for every input: lines are at most max_line_bytes long,
 * hold no newline and no NUL byte; the input ends with exactly one
 * READER_EOF or READER_ERROR and EOF after that; an error comes with a
 * message.  Lines are also checked against a model of the contract
 * (reader.h): each "\n"-terminated line (and a final unterminated
 * one) is handed out with one trailing "\r" removed, or counted as too
 * long (length with the "\r" over the cap) or as holding a NUL byte,
 * in order, and every byte is counted.  The model reads plain input as
 * is, and gzip input as decoded here with zlib member by member when
 * that decoding is clean (every member complete, nothing after the
 * last); for damaged gzip input only the general checks apply, plus
 * READER_ERROR at the end.  One exception: zlib refuses a member whose
 * distance code is incomplete ("invalid distances set") and ISA-L
 * does not, so with ISA-L such input may also end with READER_EOF
 * (reader.c).  Input opening with the magic bytes of zstd or xz, in a
 * build with their library, is modelled as decoded here by the library
 * (every frame or stream whole), and damaged otherwise; the other
 * compressed formats the reader knows (bzip2, lz4, lzip, compress, and
 * zstd or xz without the library) must end at once with READER_ERROR
 * at offset 0, no line handed out.  Any failure aborts.
 */
#include "config.h"

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <zlib.h>
#ifdef HAVE_ZSTD
#include <zstd.h>
#endif
#ifdef HAVE_LZMA
#include <lzma.h>
#endif

#include "parsers/reader.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__,	\
		    __LINE__, #cond);					\
		abort();						\
	}								\
} while (0)

/* The expected outcome of one line of plain input. */
struct model {
	const uint8_t	*pos;		/* next unread input byte */
	const uint8_t	*end;
	size_t		 max_line;
	uint64_t	 long_lines;
	uint64_t	 nul_lines;
};

/*
 * model_next - the next line the reader should hand out, skipping (and
 * counting) the ones it should skip; false at the end of input
 */
static int
model_next(struct model *m, const uint8_t **line, size_t *len)
{
	const uint8_t	*s, *nl;
	size_t		 n;

	while (m->pos < m->end) {
		s = m->pos;
		nl = memchr(s, '\n', (size_t)(m->end - s));
		n = (size_t)((nl != NULL ? nl : m->end) - s);
		m->pos = nl != NULL ? nl + 1 : m->end;
		if (n > m->max_line) {
			m->long_lines++;
			continue;
		}
		if (n > 0 && s[n - 1] == '\r')
			n--;
		if (memchr(s, '\0', n) != NULL) {
			m->nul_lines++;
			continue;
		}
		*line = s;
		*len = n;
		return 1;
	}
	return 0;
}

/* Decoded gzip input beyond this is not modelled (a deflate bomb). */
#define MODEL_DECODED_MAX	(64 * 1024 * 1024)

enum gzip_outcome {
	GZIP_CLEAN,		/* every member ended, nothing left over */
	GZIP_DAMAGED,		/* truncated, corrupt or trailing garbage */
	GZIP_DISPUTED,		/* damaged for zlib, maybe not for ISA-L */
	GZIP_UNKNOWN		/* too large to model */
};

/*
 * inflate_all - decode every member of a gzip file into *out (caller
 * frees), with the reader's rule for what may follow a member: nothing,
 * or the magic bytes of another member.
 */
static enum gzip_outcome
inflate_all(const uint8_t *in, size_t len, uint8_t **out, size_t *outlen)
{
	enum gzip_outcome result = GZIP_DAMAGED;
	z_stream	 z;
	uint8_t		*buf;
	size_t		 cap = 65536, n = 0;
	int		 ret;

	memset(&z, 0, sizeof(z));
	CHECK(inflateInit2(&z, 15 + 16) == Z_OK);
	buf = malloc(cap);
	CHECK(buf != NULL);
	z.next_in = (Bytef *)(uintptr_t)in;
	z.avail_in = (uInt)len;
	for (;;) {
		if (cap - n < 4096) {
			if (cap >= MODEL_DECODED_MAX) {
				result = GZIP_UNKNOWN;
				break;
			}
			cap *= 2;
			buf = realloc(buf, cap);
			CHECK(buf != NULL);
		}
		z.next_out = buf + n;
		z.avail_out = (uInt)(cap - n);
		ret = inflate(&z, Z_NO_FLUSH);
		n = cap - z.avail_out;
		if (ret == Z_STREAM_END) {
			if (z.avail_in == 0) {
				result = GZIP_CLEAN;
				break;
			}
			if (z.avail_in < 2 || z.next_in[0] != 0x1f ||
			    z.next_in[1] != 0x8b)
				break;
			CHECK(inflateReset(&z) == Z_OK);
		} else if (ret == Z_BUF_ERROR && z.avail_out == 0)
			continue;
		else if (ret != Z_OK) {
#ifdef HAVE_ISAL
			if (z.msg != NULL &&
			    strcmp(z.msg, "invalid distances set") == 0)
				result = GZIP_DISPUTED;
#endif
			break;
		}
	}
	inflateEnd(&z);
	*out = buf;
	*outlen = n;
	return result;
}

/* What an input's first bytes make it, besides plain or gzip. */
enum other {
	OTHER_NONE,
	OTHER_ZSTD,		/* decoded when built with libzstd */
	OTHER_XZ,		/* decoded when built with liblzma */
	OTHER_REFUSED		/* never read */
};

/* starts - whether in[0..len) starts with the n bytes of magic */
static int
starts(const uint8_t *in, size_t len, const char *magic, size_t n)
{
	return len >= n && memcmp(in, magic, n) == 0;
}

/* other_of - the reader's rule (reader.c other_formats, is_bzip2) */
static enum other
other_of(const uint8_t *in, size_t len)
{
	if (starts(in, len, "\x28\xb5\x2f\xfd", 4))
#ifdef HAVE_ZSTD
		return OTHER_ZSTD;
#else
		return OTHER_REFUSED;
#endif
	if (starts(in, len, "\xfd" "7zXZ\0", 6))
#ifdef HAVE_LZMA
		return OTHER_XZ;
#else
		return OTHER_REFUSED;
#endif
	if (starts(in, len, "\x04\x22\x4d\x18", 4) ||
	    starts(in, len, "LZIP\x01", 5) || starts(in, len, "\x1f\x9d", 2))
		return OTHER_REFUSED;
	if (len >= 10 && memcmp(in, "BZh", 3) == 0 && in[3] >= '1' &&
	    in[3] <= '9' && (memcmp(in + 4, "\x31\x41\x59\x26\x53\x59", 6) ==
	    0 || memcmp(in + 4, "\x17\x72\x45\x38\x50\x90", 6) == 0))
		return OTHER_REFUSED;
	return OTHER_NONE;
}

#if defined(HAVE_ZSTD) || defined(HAVE_LZMA)
/* grow - room for 4096 more bytes in *buf, or false past the model's
   limit */
static int
grow(uint8_t **buf, size_t *cap, size_t n)
{
	if (*cap - n >= 4096)
		return 1;
	if (*cap >= MODEL_DECODED_MAX)
		return 0;
	*cap *= 2;
	*buf = realloc(*buf, *cap);
	CHECK(*buf != NULL);
	return 1;
}
#endif

/*
 * unpack_all - decode a zstd or xz input whole into *out (caller
 * frees), as the library sees it: GZIP_CLEAN when every frame or
 * stream ended with nothing after, GZIP_UNKNOWN past the model's
 * limit, GZIP_DAMAGED otherwise
 */
static enum gzip_outcome
unpack_all(enum other kind, const uint8_t *in, size_t len, uint8_t **out,
    size_t *outlen)
{
	enum gzip_outcome result = GZIP_DAMAGED;
	size_t		 cap = 65536, n = 0;
	uint8_t		*buf = malloc(cap);

	CHECK(buf != NULL);
#ifdef HAVE_ZSTD
	if (kind == OTHER_ZSTD) {
		ZSTD_DStream	*zd = ZSTD_createDStream();
		ZSTD_inBuffer	 zi = { in, len, 0 };
		ZSTD_outBuffer	 zo;
		size_t		 ret = 1;

		CHECK(zd != NULL);
		for (;;) {
			if (!grow(&buf, &cap, n)) {
				result = GZIP_UNKNOWN;
				break;
			}
			zo = (ZSTD_outBuffer){ buf + n, cap - n, 0 };
			ret = ZSTD_decompressStream(zd, &zo, &zi);
			n += zo.pos;
			if (ZSTD_isError(ret))
				break;
			if (zi.pos == zi.size && zo.pos < zo.size) {
				if (ret == 0)
					result = GZIP_CLEAN;
				break;
			}
		}
		ZSTD_freeDStream(zd);
	}
#endif
#ifdef HAVE_LZMA
	if (kind == OTHER_XZ) {
		lzma_stream	 xz = LZMA_STREAM_INIT;
		lzma_ret	 ret;

		CHECK(lzma_stream_decoder(&xz, (uint64_t)256 << 20,
		    LZMA_CONCATENATED) == LZMA_OK);
		xz.next_in = in;
		xz.avail_in = len;
		for (;;) {
			if (!grow(&buf, &cap, n)) {
				result = GZIP_UNKNOWN;
				break;
			}
			xz.next_out = buf + n;
			xz.avail_out = cap - n;
			ret = lzma_code(&xz, LZMA_FINISH);
			n = cap - xz.avail_out;
			if (ret == LZMA_STREAM_END) {
				result = GZIP_CLEAN;
				break;
			}
			if (ret != LZMA_OK)
				break;
		}
		lzma_end(&xz);
	}
#endif
	(void)kind;
	(void)in;
	(void)len;
	*out = buf;
	*outlen = n;
	return result;
}

/* open_input - a memfd (or an unlinked temp file) holding the bytes */
static int
open_input(const uint8_t *data, size_t size)
{
	char		 path[] = "/tmp/fuzz_reader.XXXXXX";
	size_t		 done = 0;
	ssize_t		 n;
	int		 fd;

	fd = memfd_create("fuzz_reader", MFD_CLOEXEC);
	if (fd < 0) {
		fd = mkstemp(path);
		CHECK(fd >= 0);
		unlink(path);
	}
	while (done < size) {
		n = write(fd, data + done, size - done);
		if (n < 0 && errno == EINTR)
			continue;
		CHECK(n > 0);
		done += (size_t)n;
	}
	CHECK(lseek(fd, 0, SEEK_SET) == 0);
	return fd;
}

/*
 * check_read - read the input once with opts and check it; whether it
 * was plain text
 */
static int
check_read(const uint8_t *data, size_t size,
    const struct reader_options *opts, size_t cap)
{
	struct reader	*r;
	struct model	 m;
	const struct reader_stats *st;
	const uint8_t	*want;
	const char	*line;
	uint8_t		*decoded = NULL;
	size_t		 len, want_len, decoded_len = 0;
	enum reader_status rs;
	enum gzip_outcome gz = GZIP_CLEAN;
	enum other	 other;
	int		 plain, modelled, fd;

	fd = open_input(data, size);
	r = reader_open_fd(fd, "fuzz-input", opts);
	CHECK(r != NULL);
	other = other_of(data, size);
	plain = !reader_is_gzip(r) && other == OTHER_NONE;
	CHECK(reader_is_gzip(r) ==
	    (size >= 2 && data[0] == 0x1f && data[1] == 0x8b));
	CHECK(reader_is_compressed(r) == (reader_is_gzip(r) ||
	    other == OTHER_ZSTD || other == OTHER_XZ));
	if (plain) {
		m = (struct model){ data, data + size, cap, 0, 0 };
		decoded_len = size;
	} else if (other == OTHER_REFUSED) {
		gz = GZIP_DAMAGED;	/* no model: nothing may come out */
		m = (struct model){ data, data, cap, 0, 0 };
	} else {
		if (other != OTHER_NONE)
			gz = unpack_all(other, data, size, &decoded,
			    &decoded_len);
		else
			gz = inflate_all(data, size, &decoded, &decoded_len);
		m = (struct model){ decoded, decoded + decoded_len, cap, 0, 0 };
	}
	modelled = gz == GZIP_CLEAN;

	while ((rs = reader_next(r, &line, &len)) == READER_LINE) {
		CHECK(len <= cap);
		CHECK(memchr(line, '\n', len) == NULL);
		CHECK(memchr(line, '\0', len) == NULL);
		if (modelled) {
			CHECK(model_next(&m, &want, &want_len));
			CHECK(len == want_len &&
			    (len == 0 || memcmp(line, want, len) == 0));
		}
	}
	CHECK(rs == READER_EOF || rs == READER_ERROR);
	st = reader_stats(r);
	if (other == OTHER_REFUSED) {
		CHECK(rs == READER_ERROR && st->lines == 0);
		CHECK(reader_error_offset(r) == 0);
		CHECK(strstr(reader_error(r), "this build does not read") !=
		    NULL);
		CHECK(st->bytes_decoded == 0);
	}
	if (rs == READER_ERROR) {
		CHECK(reader_error(r)[0] != '\0');
		CHECK(reader_error_offset(r) <= size);
	}
	if (modelled) {
		CHECK(rs == READER_EOF);
		CHECK(!model_next(&m, &want, &want_len));
		CHECK(st->long_lines == m.long_lines);
		CHECK(st->nul_lines == m.nul_lines);
		CHECK(st->bytes_read == size);
		CHECK(st->bytes_decoded == decoded_len);
		CHECK(plain || other != OTHER_NONE ? st->gzip_members == 0 :
		    st->gzip_members >= 1);
	} else {
		CHECK(st->bytes_read <= size);
		if (gz == GZIP_DAMAGED)
			CHECK(rs == READER_ERROR);
	}
	CHECK(reader_size(r) == size);
	CHECK(reader_next(r, &line, &len) == READER_EOF);
	CHECK(reader_next(r, &line, &len) == READER_EOF);
	reader_close(r);
	free(decoded);
	return plain;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct reader_options opts;
	size_t		 cap;
	unsigned	 b;

	if (size < 1)
		return 0;
	b = data[0];
	data++;
	size--;
	memset(&opts, 0, sizeof(opts));
	if (b == 0)
		opts.max_line_bytes = 0;
	else if (b < 128)
		opts.max_line_bytes = b;
	else if (b < 254)
		opts.max_line_bytes = (size_t)(b - 127) * 64;
	else
		opts.max_line_bytes = b == 254 ? 100000 : 1024 * 1024;
	cap = opts.max_line_bytes != 0 ? opts.max_line_bytes :
	    READER_DEFAULT_MAX_LINE;
	/* Plain text twice: through the mapping, then with read(). */
	if (check_read(data, size, &opts, cap)) {
		opts.no_map = true;
		(void)check_read(data, size, &opts, cap);
	}
	return 0;
}
