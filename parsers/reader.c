/*
 * reader - bytes to lines, plain or gzip (see reader.h).
 *
 * One buffer holds decoded text.  Lines are found in it with memchr()
 * and handed out in place; only the unfinished tail of the buffer is
 * moved to the front before the next read (or inflate) appends to it.
 * The buffer grows on demand up to max_line_bytes + READ_CHUNK, so a
 * tail no longer than the cap always leaves READ_CHUNK bytes free;
 * a tail longer than the cap is a line to skip, and is dropped at once
 * (the rest of it is discarded as it arrives, up to its newline).
 *
 * Gzip input goes through a second, fixed buffer of compressed bytes.
 * RFC 1952 (2.2) allows a file to be a series of members; gzip(1)
 * writes them when files are concatenated or appended to, and
 * logrotate setups produce them.  Each member ends with Z_STREAM_END;
 * if more input follows and starts with the magic bytes 1f 8b, inflate
 * is reset for the next member.  Anything else after a member is
 * damage: gzip(1) itself warns about "trailing garbage".
 *
 * Choices the header leaves open:
 * - An empty line is handed out as a line of length 0; the caller
 *   decides what it is.
 * - A trailing '\r' is removed (CRLF files).  The length compared with
 *   max_line_bytes is taken before that, with the '\r'.
 * - A line both too long and holding a NUL byte counts as too long: it
 *   is never held whole, so it is not searched.
 * - When the input ends early (truncated or corrupt gzip, read error),
 *   the unfinished line decoded so far is still handed out, like a
 *   final line without a newline: it was read, and the damage is
 *   reported right after it.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zlib.h>

#include "parsers/reader.h"
#include "util/xalloc.h"

/*
 * Bytes asked of read() or inflate() at a time, at least; and the
 * compressed input buffer for gzip files.  peek_start() reads up to
 * GZIP_INPUT_BYTES into the text buffer, which is never smaller than
 * READ_CHUNK.  The fuzz build (fuzz/build.sh) makes both small, so
 * that short inputs reach refills, buffer growth and lines that span
 * reads.
 */
#ifndef READ_CHUNK
#define READ_CHUNK		(1024 * 1024)
#endif
#ifndef GZIP_INPUT_BYTES
#define GZIP_INPUT_BYTES	(256 * 1024)
#endif
_Static_assert(GZIP_INPUT_BYTES <= READ_CHUNK,
    "peek_start() reads GZIP_INPUT_BYTES into the text buffer");
/* Size of the decoded buffer before any growth. */
#define INITIAL_BUFFER_BYTES	(READ_CHUNK + READER_DEFAULT_MAX_LINE)

#define ERROR_BYTES		512

enum reader_state {
	STATE_READING,		/* more input may come */
	STATE_END,		/* input done: drain the buffer, then EOF */
	STATE_DAMAGED,		/* input ended early: drain, then ERROR */
	STATE_DONE		/* everything reported: EOF from now on */
};

struct reader {
	int		 fd;
	char		*name;
	size_t		 max_line;
	enum reader_state state;

	/* Decoded text: lines in [pos, end), searched up to scan. */
	char		*buf;
	size_t		 size;
	size_t		 pos;
	size_t		 scan;		/* no '\n' in [pos, scan) */
	size_t		 end;
	bool		 skipping;	/* inside an over-long line */

	/* Gzip only. */
	bool		 is_gzip;
	bool		 z_ready;	/* inflateInit2 succeeded */
	bool		 member_done;	/* between two members */
	bool		 input_eof;	/* read() returned 0 */
	z_stream	 z;
	unsigned char	*in;
	uint64_t	 in_offset;	/* file offset of in[0] */

	time_t		 mtime;
	uint64_t	 file_size;
	struct reader_stats stats;
	uint64_t	 error_offset;
	char		 error[ERROR_BYTES];
};

/*
 * set_damage - record what ended the input ("what" or "what (detail)");
 * it is reported once the lines before it are handed out.
 */
static void
set_damage(struct reader *r, uint64_t offset, const char *what,
    const char *detail)
{
	snprintf(r->error, sizeof(r->error),
	    "%.300s: offset %llu: %.100s%s%.60s%s", r->name,
	    (unsigned long long)offset, what,
	    detail != NULL ? " (" : "", detail != NULL ? detail : "",
	    detail != NULL ? ")" : "");
	r->error_offset = offset;
	r->state = STATE_DAMAGED;
}

/*
 * read_some - read() into p, retrying on EINTR.  Returns the byte
 * count, 0 at end of input, or -1 with the damage recorded.
 */
static ssize_t
read_some(struct reader *r, void *p, size_t len)
{
	ssize_t	n;

	if (len > SSIZE_MAX)
		len = SSIZE_MAX;
	do
		n = read(r->fd, p, len);
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		set_damage(r, r->stats.bytes_read, strerror(errno), NULL);
		return -1;
	}
	r->stats.bytes_read += (uint64_t)n;
	return n;
}

/*
 * fill_plain - append the next block of a plain file to the buffer, or
 * note the end of the input.
 */
static void
fill_plain(struct reader *r)
{
	ssize_t	n;

	n = read_some(r, r->buf + r->end, r->size - r->end);
	if (n < 0)
		return;
	if (n == 0) {
		r->state = STATE_END;
		return;
	}
	r->end += (size_t)n;
	r->stats.bytes_decoded += (uint64_t)n;
}

/*
 * refill_input - read more compressed bytes, keeping the avail_in
 * bytes not yet consumed.  Returns false at end of input or on error
 * (then recorded).
 */
static bool
refill_input(struct reader *r)
{
	size_t	keep = r->z.avail_in;
	ssize_t	n;

	if (r->input_eof)
		return false;
	if (keep > 0 && r->z.next_in != r->in)
		memmove(r->in, r->z.next_in, keep);
	r->in_offset = r->stats.bytes_read - keep;
	r->z.next_in = r->in;
	n = read_some(r, r->in + keep, GZIP_INPUT_BYTES - keep);
	if (n < 0)
		return false;
	if (n == 0) {
		r->input_eof = true;
		return false;
	}
	r->z.avail_in = (uInt)(keep + (size_t)n);
	return true;
}

/* input_offset - file offset of the next compressed byte inflate takes */
static uint64_t
input_offset(const struct reader *r)
{
	return r->in_offset + (uint64_t)(r->z.next_in - r->in);
}

/*
 * next_member - after a member's end: start the next member, end the
 * input cleanly, or record trailing garbage as damage.  Returns true
 * when inflating goes on.
 */
static bool
next_member(struct reader *r)
{
	while (r->z.avail_in < 2 && refill_input(r))
		continue;
	if (r->state == STATE_DAMAGED)
		return false;
	if (r->z.avail_in == 0) {
		r->state = STATE_END;
		return false;
	}
	if (r->z.avail_in < 2 || r->z.next_in[0] != 0x1f ||
	    r->z.next_in[1] != 0x8b) {
		set_damage(r, input_offset(r),
		    "trailing garbage after gzip member", NULL);
		return false;
	}
	if (inflateReset(&r->z) != Z_OK) {
		set_damage(r, input_offset(r), "cannot reset gzip decoder",
		    NULL);
		return false;
	}
	r->member_done = false;
	r->stats.gzip_members++;
	return true;
}

/*
 * fill_gzip - inflate until some text is appended to the buffer, or
 * the input ends (cleanly or not).
 */
static void
fill_gzip(struct reader *r)
{
	size_t	room, produced;
	int	ret;

	for (;;) {
		if (r->member_done && !next_member(r))
			return;
		if (r->z.avail_in == 0 && !refill_input(r)) {
			if (r->state != STATE_DAMAGED)
				set_damage(r, r->stats.bytes_read,
				    "truncated gzip stream", NULL);
			return;
		}
		room = r->size - r->end;
		if (room > UINT_MAX)
			room = UINT_MAX;
		r->z.next_out = (unsigned char *)r->buf + r->end;
		r->z.avail_out = (uInt)room;
		ret = inflate(&r->z, Z_NO_FLUSH);
		produced = room - r->z.avail_out;
		r->end += produced;
		r->stats.bytes_decoded += produced;
		switch (ret) {
		case Z_STREAM_END:
			r->member_done = true;
			break;
		case Z_OK:
			break;
		case Z_BUF_ERROR:
			/* No progress: fine only when input ran out. */
			if (r->z.avail_in == 0)
				break;
			/* FALLTHROUGH */
		default:
			set_damage(r, input_offset(r), "corrupt gzip stream",
			    r->z.msg != NULL ? r->z.msg :
			    ret == Z_NEED_DICT ? "needs a dictionary" :
			    ret == Z_MEM_ERROR ? "out of memory" :
			    "inflate failed");
			return;
		}
		if (produced > 0)
			return;
	}
}

/*
 * make_room - move the unfinished tail to the front and grow the
 * buffer so that at least READ_CHUNK bytes are free.  The tail is at
 * most max_line bytes, and the buffer may grow to max_line +
 * READ_CHUNK, so that always succeeds.
 */
static void
make_room(struct reader *r)
{
	size_t	tail = r->end - r->pos, want;

	if (r->pos > 0) {
		if (tail > 0)
			memmove(r->buf, r->buf + r->pos, tail);
		r->scan -= r->pos;
		r->end = tail;
		r->pos = 0;
	}
	if (r->size - r->end >= READ_CHUNK)
		return;
	want = r->size * 2;
	if (want < r->end + READ_CHUNK)
		want = r->end + READ_CHUNK;
	if (want > r->max_line + READ_CHUNK)
		want = r->max_line + READ_CHUNK;
	if (want > r->size) {
		r->buf = xreallocarray(r->buf, want, 1);
		r->size = want;
	}
}

/*
 * take_line - check a complete line at [start, start + len), the
 * newline not included.  Returns true when it can be handed out, with
 * *len_out set; false when it was skipped (and counted).
 */
static bool
take_line(struct reader *r, const char *start, size_t len, size_t *len_out)
{
	if (len > r->max_line) {
		r->stats.long_lines++;
		return false;
	}
	if (len > 0 && start[len - 1] == '\r')
		len--;
	if (memchr(start, '\0', len) != NULL) {
		r->stats.nul_lines++;
		return false;
	}
	r->stats.lines++;
	*len_out = len;
	return true;
}

/* reader_next - the next line; see reader.h */
enum reader_status
reader_next(struct reader *r, const char **line, size_t *len)
{
	const char	*start, *nl;
	size_t		 tail;

	for (;;) {
		if (r->scan < r->end) {
			nl = memchr(r->buf + r->scan, '\n', r->end - r->scan);
			if (nl != NULL) {
				start = r->buf + r->pos;
				r->pos = r->scan = (size_t)(nl - r->buf) + 1;
				if (r->skipping) {
					r->skipping = false;
					continue;
				}
				if (take_line(r, start, (size_t)(nl - start),
				    len)) {
					*line = start;
					return READER_LINE;
				}
				continue;
			}
			r->scan = r->end;
			if (r->skipping)
				r->pos = r->scan = r->end = 0;
			else if (r->end - r->pos > r->max_line) {
				/* Too long already: drop what we have. */
				r->stats.long_lines++;
				r->skipping = true;
				r->pos = r->scan = r->end = 0;
			}
		}
		if (r->state == STATE_READING) {
			make_room(r);
			if (r->is_gzip)
				fill_gzip(r);
			else
				fill_plain(r);
			continue;
		}
		/* Input over: a final line without a newline, then status. */
		if (r->pos < r->end && !r->skipping) {
			start = r->buf + r->pos;
			tail = r->end - r->pos;
			r->pos = r->scan = r->end;
			if (take_line(r, start, tail, len)) {
				*line = start;
				return READER_LINE;
			}
		}
		r->pos = r->scan = r->end = 0;
		r->skipping = false;
		if (r->state == STATE_DAMAGED) {
			r->state = STATE_DONE;
			return READER_ERROR;
		}
		r->state = STATE_DONE;
		return READER_EOF;
	}
}

/*
 * peek_start - read the first block and decide between gzip and plain
 * by the magic bytes 1f 8b (RFC 1952, 2.3.1).  The block is read into
 * the text buffer; for gzip it moves to the compressed buffer.
 */
static void
peek_start(struct reader *r)
{
	size_t		got = 0;
	ssize_t		n;

	/* A pipe may deliver one byte at a time. */
	while (got < 2) {
		n = read_some(r, r->buf + got, GZIP_INPUT_BYTES - got);
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	if (got >= 2 && (unsigned char)r->buf[0] == 0x1f &&
	    (unsigned char)r->buf[1] == 0x8b) {
		r->is_gzip = true;
		r->in = xmalloc(GZIP_INPUT_BYTES);
		memcpy(r->in, r->buf, got);
		r->z.next_in = r->in;
		r->z.avail_in = (uInt)got;
		r->in_offset = 0;
		/* 15 + 16: gzip framing only, largest window. */
		if (inflateInit2(&r->z, 15 + 16) != Z_OK) {
			set_damage(r, 0, "cannot start gzip decoder", NULL);
			return;
		}
		r->z_ready = true;
		r->stats.gzip_members = 1;
		return;
	}
	r->end = got;
	r->stats.bytes_decoded = got;
}

/* reader_open_fd - reader on an open descriptor, which it then owns */
struct reader *
reader_open_fd(int fd, const char *name, const struct reader_options *opts)
{
	struct reader	*r = xcalloc(1, sizeof(*r));
	struct stat	 st;

	r->fd = fd;
	r->name = xstrdup(name);
	r->max_line = READER_DEFAULT_MAX_LINE;
	if (opts != NULL && opts->max_line_bytes > 0)
		r->max_line = opts->max_line_bytes;
	if (r->max_line > READER_MAX_LINE_LIMIT)
		r->max_line = READER_MAX_LINE_LIMIT;
	r->size = INITIAL_BUFFER_BYTES;
	if (r->size > r->max_line + READ_CHUNK)
		r->size = r->max_line + READ_CHUNK;
	r->buf = xmalloc(r->size);
	r->state = STATE_READING;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
		r->mtime = st.st_mtime;
		r->file_size = (uint64_t)st.st_size;
#ifdef POSIX_FADV_SEQUENTIAL
		(void)posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
#endif
	}
	peek_start(r);
	return r;
}

/* reader_open - open a path, "-" meaning standard input */
struct reader *
reader_open(const char *path, const struct reader_options *opts,
    char *err, size_t errlen)
{
	struct stat	st;
	int		fd;

	if (strcmp(path, "-") == 0) {
		fd = dup(STDIN_FILENO);
		if (fd < 0) {
			snprintf(err, errlen, "%.300s: %s", path,
			    strerror(errno));
			return NULL;
		}
		return reader_open_fd(fd, path, opts);
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errlen, "%.300s: %s", path, strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) != 0) {
		snprintf(err, errlen, "%.300s: %s", path, strerror(errno));
		goto bad;
	}
	if (S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "%.300s: is a directory", path);
		goto bad;
	}
	return reader_open_fd(fd, path, opts);
bad:
	(void)close(fd);
	return NULL;
}

/* reader_error - message for READER_ERROR */
const char *
reader_error(const struct reader *r)
{
	return r->error;
}

/* reader_error_offset - compressed byte offset of the damage */
uint64_t
reader_error_offset(const struct reader *r)
{
	return r->error_offset;
}

/* reader_is_gzip - whether the input was gzip */
bool
reader_is_gzip(const struct reader *r)
{
	return r->is_gzip;
}

/* reader_mtime - modification time, 0 for a pipe */
time_t
reader_mtime(const struct reader *r)
{
	return r->mtime;
}

/* reader_size - file size, 0 when unknown */
uint64_t
reader_size(const struct reader *r)
{
	return r->file_size;
}

/* reader_stats - counters so far */
const struct reader_stats *
reader_stats(const struct reader *r)
{
	return &r->stats;
}

/* reader_name - the name given at open */
const char *
reader_name(const struct reader *r)
{
	return r->name;
}

/* reader_close - close and free */
void
reader_close(struct reader *r)
{
	if (r == NULL)
		return;
	if (r->z_ready)
		inflateEnd(&r->z);
	(void)close(r->fd);
	free(r->in);
	free(r->buf);
	free(r->name);
	free(r);
}
