/*
 * reader - bytes to lines, plain or gzip (see reader.h).
 *
 * One buffer (buf) holds the text being split: the reader's own, a
 * window of a mapped file, or a block of decoded text lent by the
 * decoder (below).  Lines are found in it with scan_line(), which
 * notes NUL and high bytes in the same pass, and handed out in place.
 * In the reader's own buffer only the unfinished tail is moved to the
 * front before the next read (or block) appends to it.  That buffer
 * grows on demand up to max_line_bytes + READ_CHUNK, so a tail no
 * longer than the cap always leaves READ_CHUNK bytes free; a tail
 * longer than the cap is a line to skip, and is dropped at once (the
 * rest of it is discarded as it arrives, up to its newline).
 *
 * A plain regular file is not copied into a buffer: a window of it
 * (MAP_WINDOW) is mapped and lines are searched and handed out where
 * the kernel holds the file's pages (map_start(), map_next()).  read()
 * copies every byte once before the search touches it, in a call that
 * waits for memory; through the mapping, the search is the first
 * touch, and it prefetches the bytes just ahead (MAP_PREFETCH) so
 * that they arrive while the caller works on the lines before them
 * (some 7% of the time of a run over a day's plain log).  A file
 * cut while mapped faults (SIGBUS) where it has no bytes any more;
 * util/mapguard turns the fault into zeros and a flag, and the reader
 * ends the file there as damaged, as the read() path does when read()
 * returns less than was there (map_cut()).  Pipes, and files that
 * cannot be mapped, are read().
 *
 * Compressed input is decoded by a thread of its own, so that
 * decoding and splitting lines overlap: on two cores the time to read
 * a compressed log comes near the larger of the two instead of their
 * sum.  The decoder fills a ring of RING_BLOCKS blocks of READ_CHUNK
 * bytes each (bounded memory, whatever the file).  The caller's side
 * searches each block where the decoder wrote it: the block is lent to
 * the reader, which copies the line left unfinished by the block
 * before into the room kept in front of the text (LEND_PREFIX bytes)
 * and hands the block back once it moves on to the next (lend_next()).
 * An unfinished line longer than that room, and a decoder without a
 * thread of its own, go the copying way instead: blocks are copied
 * into the text buffer as it needs room (fill_decoded()).  The last
 * block carries how the input ended; its bytes are handed out before
 * that, so damage is reported after every line before it, exactly as
 * when decoding in line.  If no thread can be started the caller's
 * side runs the decoder itself, one block at a time.
 *
 * RFC 1952 (2.2) allows a file to be a series of members; gzip(1)
 * writes them when files are concatenated or appended to, and
 * logrotate setups produce them.  Each member ends with Z_STREAM_END;
 * if more input follows and starts with the magic bytes 1f 8b, inflate
 * is reset for the next member.  Anything else after a member is
 * damage: gzip(1) itself warns about "trailing garbage".
 *
 * With ISA-L (configure --with-isal) members of a regular file are
 * inflated by isal_inflate(), about twice as fast as zlib.  Damage is
 * still described by zlib: when ISA-L fails or the input ends inside
 * a member, the inflater seeks back to the member's start and inflates
 * it again with zlib, dropping the bytes already delivered, so that
 * the message, the offset and the lines handed out are the same as
 * with zlib alone.  Pipes, which cannot seek back, use zlib.  One
 * difference remains: zlib (and gzip(1)) refuse a dynamic block whose
 * distance code is incomplete, unless it is a single code, and ISA-L
 * decodes it.  zlib and gzip never write such a block, and the member's
 * CRC-32 and length still check what ISA-L decodes; so such a member
 * of a regular file is read, where a pipe or a build without ISA-L
 * ends the input there as corrupt ("invalid distances set").
 *
 * zstd and xz files (unpack_some()) are decoded the same way, with
 * libzstd and liblzma when configure found them; without them, and
 * for bzip2, lz4, lzip and compress(1) files, the magic bytes are
 * enough to refuse the file with a message instead of reading it as
 * damaged text.
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
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zlib.h>
#ifdef HAVE_ISAL
#include <isa-l/igzip_lib.h>
#endif
#ifdef HAVE_ZSTD
#include <zstd.h>
#endif
#ifdef HAVE_LZMA
#include <lzma.h>
#endif

#include "parsers/reader.h"
#include "parsers/scan.h"
#include "util/mapguard.h"
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
/* Inflated blocks of READ_CHUNK bytes between the two threads. */
#define RING_BLOCKS		4
/*
 * Room in front of each block's text for the unfinished line of the
 * block before it, when the block is lent (lend_next()).  A longer
 * line makes the reader copy blocks into its own buffer until it is
 * done.  The fuzz build makes it small, so that both ways are taken.
 */
#ifndef LEND_PREFIX
#define LEND_PREFIX		(64 * 1024)
#endif

#define ERROR_BYTES		512

/*
 * The window of a mapped file (map_next()): it is moved on once the
 * lines in it are handed out, so that at most this much of the file
 * is mapped (more only for a longer line).  The fuzz build makes it a
 * page, so that short inputs move it.
 */
#ifndef MAP_WINDOW
#define MAP_WINDOW		(2 * 1024 * 1024)
#endif
/* Bytes of a mapped file asked of memory ahead of the line search: the
   processor's own prefetching stops at each page's end. */
#ifndef MAP_PREFETCH
#define MAP_PREFETCH		4096
#endif
#define CACHE_LINE		64

enum reader_state {
	STATE_READING,		/* more input may come */
	STATE_END,		/* input done: drain the buffer, then EOF */
	STATE_DAMAGED,		/* input ended early: drain, then ERROR */
	STATE_DONE		/* everything reported: EOF from now on */
};

/* One block of inflated text, and where the input stood after it. */
struct block {
	char		*data;		/* LEND_PREFIX + READ_CHUNK bytes */
	char		*text;		/* data + LEND_PREFIX */
	size_t		 len;
	uint64_t	 bytes_read;	/* compressed bytes taken so far */
	uint64_t	 members;	/* gzip members seen so far */
	enum reader_state last;		/* READING, or how the input ended */
};

/*
 * The decoding side of a compressed input: everything here belongs to
 * the decoder thread while it runs, except what the ring's mutex
 * guards.  The gzip fields serve when unp is NULL.
 */
struct decoder {
	int		 fd;
	const char	*name;		/* the reader's */
	struct unpacker	*unp;		/* zstd or xz; NULL: gzip */
	z_stream	 z;		/* next_in/avail_in for both inflaters */
	bool		 z_ready;
	unsigned char	*in;
	uint64_t	 in_offset;	/* file offset of in[0] */
	uint64_t	 bytes_read;
	uint64_t	 members;
	bool		 member_done;	/* between two members */
	bool		 input_eof;	/* read() returned 0 */
	enum reader_state state;	/* READING, END or DAMAGED */
	uint64_t	 error_offset;
	char		 error[ERROR_BYTES];
	uint64_t	 member_start;	/* file offset of the member */
	uint64_t	 skip;		/* bytes to drop after falling back */
#ifdef HAVE_ISAL
	struct inflate_state *isal;	/* NULL: zlib */
	uint64_t	 member_out;	/* bytes delivered from the member */
#endif

	/* The ring. */
	pthread_mutex_t	 lock;
	pthread_cond_t	 filled;	/* a block was filled, or stop */
	pthread_cond_t	 freed;		/* a block was freed, or stop */
	struct block	 ring[RING_BLOCKS];
	unsigned	 head;		/* next block for the reader */
	unsigned	 count;		/* filled blocks not yet taken */
	bool		 stop;		/* reader_close(): finish now */
	bool		 threaded;	/* the thread runs */
	pthread_t	 thread;
	size_t		 taken;		/* bytes of ring[head] copied out */
	bool		 lent;		/* ring[head] is the reader's buf */
};

struct reader {
	int		 fd;
	char		*name;
	size_t		 max_line;
	enum reader_state state;

	/* Decoded text: lines in [pos, end), searched up to scan.  buf
	   is own, the reader's allocation of size bytes, or a window of
	   a mapped file (own then NULL), or a block lent by the decoder
	   (dec->lent). */
	char		*buf;
	char		*own;
	size_t		 size;
	size_t		 pos;
	size_t		 scan;		/* no '\n' in [pos, scan) */
	size_t		 end;
	unsigned	 seen;		/* SCAN_SEEN_ bits of [pos, scan) */
	bool		 skipping;	/* inside an over-long line */
	bool		 line_high;	/* of the line handed out last */

	bool		 is_gzip;
	struct decoder	*dec;		/* compressed input only */

	/* A plain regular file: a window of it mapped, buf pointing at
	   its start, map_off being that byte's offset in the file.  map
	   NULL: read() into buf, which the reader allocated. */
	char		*map;
	size_t		 map_len;
	uint64_t	 map_off;
	struct mapguard	*guard;
	size_t		 fetched;	/* prefetched: [scan, fetched) */

	time_t		 mtime;
	uint64_t	 file_size;
	struct reader_stats stats;
	uint64_t	 error_offset;
	char		 error[ERROR_BYTES];
};

/*
 * format_damage - "name: offset N: what (detail)" into buf.
 */
static void
format_damage(char *buf, size_t len, const char *name, uint64_t offset,
    const char *what, const char *detail)
{
	snprintf(buf, len,
	    "%.300s: offset %llu: %.100s%s%.60s%s", name,
	    (unsigned long long)offset, what,
	    detail != NULL ? " (" : "", detail != NULL ? detail : "",
	    detail != NULL ? ")" : "");
}

/*
 * set_damage - record what ended a plain input ("what" or "what
 * (detail)"); it is reported once the lines before it are handed out.
 */
static void
set_damage(struct reader *r, uint64_t offset, const char *what,
    const char *detail)
{
	format_damage(r->error, sizeof(r->error), r->name, offset, what,
	    detail);
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
		struct stat	st;
		char		now[48];

		/* A file that is now shorter than what was read of it
		   was cut while being read (logrotate's copytruncate):
		   what followed was lost to this run.  (Files of size 0,
		   such as those of /proc, tell nothing.) */
		if (r->file_size > 0 && fstat(r->fd, &st) == 0 &&
		    S_ISREG(st.st_mode) &&
		    (uint64_t)st.st_size < r->stats.bytes_read) {
			snprintf(now, sizeof(now), "%llu bytes now",
			    (unsigned long long)st.st_size);
			set_damage(r, r->stats.bytes_read,
			    "file truncated while being read", now);
			return;
		}
		r->state = STATE_END;
		return;
	}
	r->end += (size_t)n;
	r->stats.bytes_decoded += (uint64_t)n;
}

/* dec_damage - record what ended a compressed input, as set_damage() */
static void
dec_damage(struct decoder *f, uint64_t offset, const char *what,
    const char *detail)
{
	format_damage(f->error, sizeof(f->error), f->name, offset, what,
	    detail);
	f->error_offset = offset;
	f->state = STATE_DAMAGED;
}

/*
 * read_input - read_some() for the decoder side: compressed bytes
 * into p.  Returns the byte count, 0 at end of input, or -1 with the
 * damage recorded.
 */
static ssize_t
read_input(struct decoder *f, void *p, size_t len)
{
	ssize_t	n;

	do
		n = read(f->fd, p, len);
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		dec_damage(f, f->bytes_read, strerror(errno), NULL);
		return -1;
	}
	f->bytes_read += (uint64_t)n;
	return n;
}

/*
 * refill_input - read more compressed bytes, keeping the avail_in
 * bytes not yet consumed.  Returns false at end of input or on error
 * (then recorded).
 */
static bool
refill_input(struct decoder *f)
{
	size_t	keep = f->z.avail_in, len = GZIP_INPUT_BYTES - keep;
	ssize_t	n;

	if (f->input_eof)
		return false;
	if (keep > 0 && f->z.next_in != f->in)
		memmove(f->in, f->z.next_in, keep);
	f->in_offset = f->bytes_read - keep;
	f->z.next_in = f->in;
	if ((n = read_input(f, f->in + keep, len)) < 0)
		return false;
	if (n == 0) {
		f->input_eof = true;
		return false;
	}
	f->z.avail_in = (uInt)(keep + (size_t)n);
	return true;
}

/* input_offset - file offset of the next compressed byte inflate takes */
static uint64_t
input_offset(const struct decoder *f)
{
	return f->in_offset + (uint64_t)(f->z.next_in - f->in);
}

/*
 * next_member - after a member's end: start the next member, end the
 * input cleanly, or record trailing garbage as damage.  Returns true
 * when inflating goes on.
 */
static bool
next_member(struct decoder *f)
{
	while (f->z.avail_in < 2 && refill_input(f))
		continue;
	if (f->state == STATE_DAMAGED)
		return false;
	if (f->z.avail_in == 0) {
		f->state = STATE_END;
		return false;
	}
	if (f->z.avail_in < 2 || f->z.next_in[0] != 0x1f ||
	    f->z.next_in[1] != 0x8b) {
		dec_damage(f, input_offset(f),
		    "trailing garbage after gzip member", NULL);
		return false;
	}
	f->member_start = input_offset(f);
#ifdef HAVE_ISAL
	/* RFC 1952: a member's CM is 8 (deflate) and its reserved FLG
	   bits are zero.  zlib refuses any other header and ISA-L may
	   not, so from such a member on zlib reads the file and says
	   what is wrong, as without ISA-L. */
	if (f->isal != NULL) {
		while (f->z.avail_in < 4 && refill_input(f))
			continue;
		if (f->state == STATE_DAMAGED)
			return false;
		if (f->z.avail_in < 4 || f->z.next_in[2] != 8 ||
		    (f->z.next_in[3] & 0xe0) != 0) {
			free(f->isal);
			f->isal = NULL;
		}
	}
	if (f->isal != NULL) {
		isal_inflate_reset(f->isal);
		f->isal->crc_flag = ISAL_GZIP;
		f->member_out = 0;
	} else
#endif
	if (inflateReset(&f->z) != Z_OK) {
		dec_damage(f, input_offset(f), "cannot reset gzip decoder",
		    NULL);
		return false;
	}
	f->member_done = false;
	f->members++;
	return true;
}

/*
 * inflate_zlib - inflate with zlib until some text is in out, or the
 * input ends (cleanly or not).  Returns the bytes produced.  After a
 * fall-back from ISA-L, the first f->skip bytes were delivered
 * already and are dropped.
 */
static size_t
inflate_zlib(struct decoder *f, char *out, size_t room)
{
	size_t	produced, drop;
	int	ret;

	if (room > UINT_MAX)
		room = UINT_MAX;
	for (;;) {
		if (f->member_done && !next_member(f))
			return 0;
		if (f->z.avail_in == 0 && !refill_input(f)) {
			if (f->state != STATE_DAMAGED)
				dec_damage(f, f->bytes_read,
				    "truncated gzip stream", NULL);
			return 0;
		}
		f->z.next_out = (unsigned char *)out;
		f->z.avail_out = (uInt)room;
		ret = inflate(&f->z, Z_NO_FLUSH);
		produced = room - f->z.avail_out;
		if (f->skip > 0) {
			drop = produced < f->skip ? produced : (size_t)f->skip;
			memmove(out, out + drop, produced - drop);
			produced -= drop;
			f->skip -= drop;
		}
		switch (ret) {
		case Z_STREAM_END:
			f->member_done = true;
			break;
		case Z_OK:
			break;
		case Z_BUF_ERROR:
			/* No progress: fine only when input ran out. */
			if (f->z.avail_in == 0)
				break;
			/* FALLTHROUGH */
		default:
			dec_damage(f, input_offset(f), "corrupt gzip stream",
			    f->z.msg != NULL ? f->z.msg :
			    ret == Z_NEED_DICT ? "needs a dictionary" :
			    ret == Z_MEM_ERROR ? "out of memory" :
			    "inflate failed");
			return produced;
		}
		if (produced > 0)
			return produced;
	}
}

#ifdef HAVE_ISAL
/*
 * fall_back - ISA-L failed, or the input ended inside a member: go
 * back to the member's start and let zlib inflate it again, dropping
 * what was delivered, so that zlib describes the damage.  Returns
 * false (damage recorded) when that is impossible.
 */
static bool
fall_back(struct decoder *f)
{
	free(f->isal);
	f->isal = NULL;
	if (lseek(f->fd, (off_t)f->member_start, SEEK_SET) < 0) {
		dec_damage(f, f->member_start, strerror(errno), NULL);
		return false;
	}
	f->bytes_read = f->in_offset = f->member_start;
	f->z.next_in = f->in;
	f->z.avail_in = 0;
	f->input_eof = false;
	f->member_done = false;
	f->skip = f->member_out;
	if (inflateReset(&f->z) != Z_OK) {
		dec_damage(f, f->member_start, "cannot reset gzip decoder",
		    NULL);
		return false;
	}
	return true;
}

/*
 * inflate_isal - as inflate_zlib() with ISA-L; on any trouble, hands
 * the member over to zlib.
 */
static size_t
inflate_isal(struct decoder *f, char *out, size_t room)
{
	struct inflate_state *st;
	size_t	 produced;
	uint32_t before;
	int	 ret;

	if (room > UINT32_MAX)
		room = UINT32_MAX;
	for (;;) {
		if (f->member_done && !next_member(f))
			return 0;
		if (f->isal == NULL)
			return inflate_zlib(f, out, room);
		if (f->z.avail_in == 0 && !refill_input(f) &&
		    f->state == STATE_DAMAGED)
			return 0;
		st = f->isal;
		st->next_in = f->z.next_in;
		st->avail_in = before = f->z.avail_in;
		st->next_out = (uint8_t *)out;
		st->avail_out = (uint32_t)room;
		ret = isal_inflate(st);
		f->z.next_in = st->next_in;
		f->z.avail_in = st->avail_in;
		produced = room - st->avail_out;
		f->member_out += produced;
		if (ret == ISAL_DECOMP_OK || ret == ISAL_END_INPUT ||
		    ret == ISAL_OUT_OVERFLOW) {
			if (st->block_state == ISAL_BLOCK_FINISH)
				f->member_done = true;
			else if (produced == 0 && f->z.avail_in == before &&
			    f->input_eof)
				ret = -1;	/* the member is cut short */
		} else {
			/* What a failing call wrote is not to be trusted
			   (on a bad back-reference ISA-L may count bytes it
			   never wrote): zlib decodes it again. */
			f->member_out -= produced;
			produced = 0;
			ret = -1;
		}
		if (ret < 0 && !fall_back(f))
			return produced;
		if (produced > 0)
			return produced;
	}
}
#endif

static size_t unpack_some(struct decoder *, char *, size_t);
static void unpacker_free(struct unpacker *);

/* decode_some - some text into out, or the end of the input */
static size_t
decode_some(struct decoder *f, char *out, size_t room)
{
	if (f->unp != NULL)
		return unpack_some(f, out, room);
#ifdef HAVE_ISAL
	if (f->isal != NULL)
		return inflate_isal(f, out, room);
#endif
	return inflate_zlib(f, out, room);
}

/* fill_block - decode into b until it is full or the input ends */
static void
fill_block(struct decoder *f, struct block *b)
{
	b->len = 0;
	while (b->len < READ_CHUNK && f->state == STATE_READING)
		b->len += decode_some(f, b->text + b->len,
		    READ_CHUNK - b->len);
	b->bytes_read = f->bytes_read;
	b->members = f->members;
	b->last = f->state;
}

/* decoder_main - the decoder thread: fill blocks until the end */
static void *
decoder_main(void *arg)
{
	struct decoder	*f = arg;
	struct block	*b;
	unsigned	 tail;

	for (;;) {
		pthread_mutex_lock(&f->lock);
		while (f->count == RING_BLOCKS && !f->stop)
			pthread_cond_wait(&f->freed, &f->lock);
		if (f->stop) {
			pthread_mutex_unlock(&f->lock);
			return NULL;
		}
		tail = (f->head + f->count) % RING_BLOCKS;
		pthread_mutex_unlock(&f->lock);
		/* Block tail is not the reader's until count says so. */
		b = &f->ring[tail];
		fill_block(f, b);
		pthread_mutex_lock(&f->lock);
		f->count++;
		pthread_cond_signal(&f->filled);
		pthread_mutex_unlock(&f->lock);
		if (b->last != STATE_READING)
			return NULL;
	}
}

/*
 * gzip_start - the gzip fields of f for the first got bytes, already
 * read, at first.  false with the damage recorded in r when zlib
 * cannot start.
 */
static bool
gzip_start(struct decoder *f, struct reader *r, const char *first,
    size_t got, bool seekable)
{
	f->in = xmalloc(GZIP_INPUT_BYTES);
	memcpy(f->in, first, got);
	f->z.next_in = f->in;
	f->z.avail_in = (uInt)got;
	f->members = 1;
	/* 15 + 16: gzip framing only, largest window. */
	if (inflateInit2(&f->z, 15 + 16) != Z_OK) {
		set_damage(r, 0, "cannot start gzip decoder", NULL);
		return false;
	}
	f->z_ready = true;
#ifdef HAVE_ISAL
	/* As in next_member(): a header zlib would refuse is zlib's. */
	if (seekable && got >= 4 && (unsigned char)first[2] == 8 &&
	    ((unsigned char)first[3] & 0xe0) == 0) {
		f->isal = xmalloc(sizeof(*f->isal));
		isal_inflate_init(f->isal);
		f->isal->crc_flag = ISAL_GZIP;
	}
#else
	(void)seekable;
#endif
	return true;
}

/*
 * decoder_new - the decoding side of r, whose first got bytes are read
 * already: unp's codec (unp, which it then owns, holds those bytes),
 * or gzip when unp is NULL (the bytes at first).  The thread starts
 * reading r's descriptor at once.  NULL with the damage recorded in r
 * when zlib cannot start.
 */
static struct decoder *
decoder_new(struct reader *r, struct unpacker *unp, const char *first,
    size_t got, bool seekable)
{
	struct decoder	*f = xcalloc(1, sizeof(*f));
	unsigned	 i;

	f->fd = r->fd;
	f->name = r->name;
	f->state = STATE_READING;
	f->bytes_read = got;
	f->unp = unp;
	if (unp == NULL && !gzip_start(f, r, first, got, seekable)) {
		free(f->in);
		free(f);
		return NULL;
	}
	for (i = 0; i < RING_BLOCKS; i++) {
		f->ring[i].data = xmalloc(LEND_PREFIX + READ_CHUNK);
		f->ring[i].text = f->ring[i].data + LEND_PREFIX;
	}
	pthread_mutex_init(&f->lock, NULL);
	pthread_cond_init(&f->filled, NULL);
	pthread_cond_init(&f->freed, NULL);
	f->threaded = pthread_create(&f->thread, NULL, decoder_main, f) == 0;
	return f;
}

/* decoder_free - stop the thread and free everything */
static void
decoder_free(struct decoder *f)
{
	unsigned	i;

	if (f->threaded) {
		pthread_mutex_lock(&f->lock);
		f->stop = true;
		pthread_cond_signal(&f->freed);
		pthread_mutex_unlock(&f->lock);
		pthread_join(f->thread, NULL);
	}
	pthread_cond_destroy(&f->freed);
	pthread_cond_destroy(&f->filled);
	pthread_mutex_destroy(&f->lock);
	for (i = 0; i < RING_BLOCKS; i++)
		free(f->ring[i].data);
#ifdef HAVE_ISAL
	free(f->isal);
#endif
	if (f->z_ready)
		inflateEnd(&f->z);
	unpacker_free(f->unp);
	free(f->in);
	free(f);
}

/* wait_filled - wait until the decoder thread has filled n blocks */
static void
wait_filled(struct decoder *f, unsigned n)
{
	pthread_mutex_lock(&f->lock);
	while (f->count < n)
		pthread_cond_wait(&f->filled, &f->lock);
	pthread_mutex_unlock(&f->lock);
}

/* give_back - hand the head block back to the decoder thread */
static void
give_back(struct decoder *f)
{
	pthread_mutex_lock(&f->lock);
	f->head = (f->head + 1) % RING_BLOCKS;
	f->count--;
	pthread_cond_signal(&f->freed);
	pthread_mutex_unlock(&f->lock);
}

/*
 * block_done - what the reader takes over from block b once all its
 * text is the reader's: how much input the decoder had read, and how
 * the input ended, after the last block.
 */
static void
block_done(struct reader *r, const struct block *b)
{
	r->stats.bytes_read = b->bytes_read;
	r->stats.gzip_members = b->members;
	if (b->last != STATE_READING) {
		r->state = b->last;
		if (b->last == STATE_DAMAGED) {
			memcpy(r->error, r->dec->error, sizeof(r->error));
			r->error_offset = r->dec->error_offset;
		}
	}
}

/*
 * fill_decoded - copy decoded text into the buffer, waiting for the
 * decoder when the ring is empty; after the last block, take over how
 * the input ended.
 */
static void
fill_decoded(struct reader *r)
{
	struct decoder	*f = r->dec;
	struct block	*b;
	size_t		 n;

	if (f->threaded) {
		wait_filled(f, 1);
	} else if (f->taken == 0) {
		fill_block(f, &f->ring[f->head]);
	}
	b = &f->ring[f->head];
	n = b->len - f->taken;
	if (n > r->size - r->end)
		n = r->size - r->end;
	memcpy(r->buf + r->end, b->text + f->taken, n);
	r->end += n;
	r->stats.bytes_decoded += n;
	f->taken += n;
	if (f->taken < b->len)
		return;
	block_done(r, b);
	f->taken = 0;
	if (f->threaded)
		give_back(f);
}

/*
 * lend_end - go back to the reader's own buffer from a lent block:
 * the unfinished line [pos, end) copied to its front, the block given
 * back to the decoder.
 */
static void
lend_end(struct reader *r)
{
	size_t	tail = r->end - r->pos;

	/* tail <= max_line, as longer ones are dropped at once. */
	if (r->size < tail + READ_CHUNK) {
		free(r->own);
		r->size = tail + READ_CHUNK;
		r->own = xmalloc(r->size);
	}
	memcpy(r->own, r->buf + r->pos, tail);
	r->buf = r->own;
	r->scan -= r->pos;
	r->pos = 0;
	r->end = tail;
	r->dec->lent = false;
	give_back(r->dec);
}

/*
 * lend_next - go on in the next filled block, lent: the unfinished
 * line copied into the room in front of its text, the block lent
 * before given back.  false when the next block is to be copied into
 * the reader's buffer instead (fill_decoded()), buf then being the
 * reader's own: the decoder has no thread, the head block is partly
 * copied already, or the unfinished line is longer than the room.
 */
static bool
lend_next(struct reader *r)
{
	struct decoder	*f = r->dec;
	struct block	*b;
	size_t		 tail = r->end - r->pos;
	char		*at;

	if (!f->threaded || f->taken != 0 || tail > LEND_PREFIX) {
		if (f->lent)
			lend_end(r);
		return false;
	}
	wait_filled(f, f->lent ? 2 : 1);
	b = &f->ring[(f->head + (f->lent ? 1 : 0)) % RING_BLOCKS];
	at = b->text - tail;
	memcpy(at, r->buf + r->pos, tail);
	if (f->lent)
		give_back(f);
	f->lent = true;
	r->buf = at;
	r->scan -= r->pos;
	r->pos = 0;
	r->end = tail + b->len;
	r->stats.bytes_decoded += b->len;
	block_done(r, b);
	return true;
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
		r->buf = r->own = xreallocarray(r->own, want, 1);
		r->size = want;
	}
}

/*
 * take_line - check a complete line at [start, start + len), the
 * newline not included, whose bytes hold what seen says (SCAN_SEEN_
 * bits; a trailing '\r' is neither).  Returns true when it can be
 * handed out, with *len_out set; false when it was skipped (and
 * counted).
 */
static bool
take_line(struct reader *r, const char *start, size_t len, unsigned seen,
    size_t *len_out)
{
	if (len > r->max_line) {
		r->stats.long_lines++;
		return false;
	}
	if (len > 0 && start[len - 1] == '\r')
		len--;
	if (seen & SCAN_SEEN_NUL) {
		r->stats.nul_lines++;
		return false;
	}
	r->stats.lines++;
	r->line_high = (seen & SCAN_SEEN_HIGH) != 0;
	*len_out = len;
	return true;
}

/*
 * Compressed formats other than gzip, by the magic bytes their own
 * specifications give: zstd and xz are decoded when the build has
 * their library; the others (and those two without it) are refused,
 * since read as text they would be a file of damaged lines, and the
 * run names the file and what to do.  bzip2 has no fixed magic
 * (magic NULL, is_bzip2()).
 */
enum codec {
	CODEC_NONE,		/* refused */
	CODEC_ZSTD,
	CODEC_XZ
};

static const struct {
	const char	*name;
	const char	*tool;		/* decompresses to standard output */
	size_t		 len;
	const char	*magic;
	enum codec	 codec;		/* CODEC_NONE: never read */
} other_formats[] = {
	{ "xz", "xz -dc", 6, "\xfd" "7zXZ\0", CODEC_XZ },
	{ "zstd", "zstd -dc", 4, "\x28\xb5\x2f\xfd", CODEC_ZSTD },
	{ "lz4", "lz4 -dc", 4, "\x04\x22\x4d\x18", CODEC_NONE },
	{ "lzip", "lzip -dc", 5, "LZIP\x01", CODEC_NONE },
	{ "compress (.Z)", "gzip -dc", 2, "\x1f\x9d", CODEC_NONE },
	{ "bzip2", "bzip2 -dc", 10, NULL, CODEC_NONE },
};

#define MAGIC_PEEK_BYTES	10	/* the longest magic looked at */

/* is_bzip2 - whether buf[0..len) opens a bzip2 stream: "BZh" and a
   block size digit, then the magic of a first block or of the end of
   an empty stream */
static bool
is_bzip2(const unsigned char *buf, size_t len)
{
	return len >= 10 && memcmp(buf, "BZh", 3) == 0 &&
	    buf[3] >= '1' && buf[3] <= '9' &&
	    (memcmp(buf + 4, "\x31\x41\x59\x26\x53\x59", 6) == 0 ||
	    memcmp(buf + 4, "\x17\x72\x45\x38\x50\x90", 6) == 0);
}

/*
 * other_format - the compressed format other than gzip that buf[0..len)
 * opens: its index in other_formats, or -1 for none
 */
static int
other_format(const unsigned char *buf, size_t len)
{
	size_t	i;

	for (i = 0; i < sizeof(other_formats) / sizeof(other_formats[0]);
	    i++)
		if (other_formats[i].magic == NULL ? is_bzip2(buf, len) :
		    len >= other_formats[i].len && memcmp(buf,
		    other_formats[i].magic, other_formats[i].len) == 0)
			return (int)i;
	return -1;
}

/* codec_built - whether this build decodes codec */
static bool
codec_built(enum codec codec)
{
	switch (codec) {
	case CODEC_ZSTD:
#ifdef HAVE_ZSTD
		return true;
#else
		return false;
#endif
	case CODEC_XZ:
#ifdef HAVE_LZMA
		return true;
#else
		return false;
#endif
	case CODEC_NONE:
		break;
	}
	return false;
}

/*
 * refuse_other - format (other_format()) as damage at offset 0, with
 * the command that decompresses it: nothing is handed out.
 */
static void
refuse_other(struct reader *r, int format)
{
	char	what[100];

	snprintf(what, sizeof(what), "%s-compressed, which this build does "
	    "not read: try '%s FILE | zombiescan -'",
	    other_formats[format].name, other_formats[format].tool);
	set_damage(r, 0, what, NULL);
}

/*
 * zstd and xz input is decoded by the decoder thread, like gzip, into
 * the same ring of blocks (unpack_some() in place of the inflaters).
 * The decoders' memory is bounded whatever the file declares: zstd's
 * default window limit (128 MiB) and UNPACK_MEMLIMIT for xz; a file
 * that needs more is damage, named with the library's message.
 */
#define UNPACK_INPUT_BYTES	GZIP_INPUT_BYTES
#define UNPACK_MEMLIMIT		((uint64_t)256 << 20)

struct unpacker {
	enum codec	 codec;
	const char	*name;		/* "zstd", "xz" */
	unsigned char	*in;		/* UNPACK_INPUT_BYTES */
	size_t		 in_pos;
	size_t		 in_len;
	uint64_t	 in_offset;	/* compressed offset of in[0] */
	bool		 input_eof;	/* read() returned 0 */
	bool		 frame_done;	/* zstd: the last frame is whole */
#ifdef HAVE_ZSTD
	ZSTD_DStream	*zd;
#endif
#ifdef HAVE_LZMA
	lzma_stream	 xz;
	bool		 xz_ready;
#endif
};

/* unpacker_new - a decoder for codec (codec_built()) whose first len
   bytes, already read, are at data */
static struct unpacker *
unpacker_new(enum codec codec, const char *data, size_t len)
{
	struct unpacker *u = xcalloc(1, sizeof(*u));

	u->codec = codec;
	u->in = xmalloc(UNPACK_INPUT_BYTES);
	memcpy(u->in, data, len);
	u->in_len = len;
	switch (codec) {
	case CODEC_ZSTD:
		u->name = "zstd";
#ifdef HAVE_ZSTD
		u->zd = ZSTD_createDStream();	/* NULL: see unpack_zstd() */
#endif
		break;
	case CODEC_XZ:
		u->name = "xz";
#ifdef HAVE_LZMA
		{
			const lzma_stream init = LZMA_STREAM_INIT;

			u->xz = init;
			u->xz_ready = lzma_stream_decoder(&u->xz,
			    UNPACK_MEMLIMIT, LZMA_CONCATENATED) == LZMA_OK;
		}
#endif
		break;
	case CODEC_NONE:
		break;
	}
	return u;
}

/* unpacker_free - free; NULL is a no-op */
static void
unpacker_free(struct unpacker *u)
{
	if (u == NULL)
		return;
#ifdef HAVE_ZSTD
	if (u->zd != NULL)
		ZSTD_freeDStream(u->zd);
#endif
#ifdef HAVE_LZMA
	if (u->xz_ready)
		lzma_end(&u->xz);
#endif
	free(u->in);
	free(u);
}

/* unpack_damage - what ended a zstd or xz input, at offset */
static void
unpack_damage(struct decoder *f, uint64_t offset, const char *what,
    const char *detail)
{
	char	msg[64];

	snprintf(msg, sizeof(msg), "%s %s stream", what, f->unp->name);
	dec_damage(f, offset, msg, detail);
}

#ifdef HAVE_ZSTD
/*
 * unpack_zstd - one decoding step into [out, out + room): *made bytes
 * decoded.  false when the input ended, whole or damaged.
 */
static bool
unpack_zstd(struct decoder *f, struct unpacker *u, char *out, size_t room,
    size_t *made)
{
	ZSTD_inBuffer	 in = { u->in, u->in_len, u->in_pos };
	ZSTD_outBuffer	 o = { out, room, 0 };
	size_t		 ret;

	if (u->zd == NULL) {
		unpack_damage(f, 0, "cannot decode", "out of memory");
		return false;
	}
	ret = ZSTD_decompressStream(u->zd, &o, &in);
	if (ZSTD_isError(ret)) {
		unpack_damage(f, u->in_offset + in.pos, "corrupt",
		    ZSTD_getErrorName(ret));
		return false;
	}
	*made = o.pos;
	if (o.pos > 0 || in.pos > u->in_pos)
		u->frame_done = ret == 0;
	u->in_pos = in.pos;
	if (o.pos > 0 || in.pos < in.size || !u->input_eof)
		return true;
	/* All input taken and nothing more comes out. */
	if (u->frame_done) {
		f->state = STATE_END;
		return false;
	}
	unpack_damage(f, u->in_offset + u->in_len, "truncated", NULL);
	return false;
}
#endif

#ifdef HAVE_LZMA
/* lzma_text - liblzma's status as words */
static const char *
lzma_text(lzma_ret ret)
{
	switch (ret) {
	case LZMA_MEM_ERROR:
		return "out of memory";
	case LZMA_MEMLIMIT_ERROR:
		return "needs more memory than allowed";
	case LZMA_FORMAT_ERROR:
		return "not the xz format";
	case LZMA_OPTIONS_ERROR:
		return "unsupported options";
	case LZMA_DATA_ERROR:
		return "data is corrupt";
	case LZMA_BUF_ERROR:
		return "unexpected end of input";
	default:
		return "decoder error";
	}
}

/* unpack_xz - unpack_zstd() for xz */
static bool
unpack_xz(struct decoder *f, struct unpacker *u, char *out, size_t room,
    size_t *made)
{
	lzma_ret	ret;
	size_t		avail_in = u->in_len - u->in_pos;

	if (!u->xz_ready) {
		unpack_damage(f, 0, "cannot decode", "out of memory");
		return false;
	}
	u->xz.next_in = u->in + u->in_pos;
	u->xz.avail_in = avail_in;
	u->xz.next_out = (uint8_t *)out;
	u->xz.avail_out = room;
	ret = lzma_code(&u->xz, u->input_eof ? LZMA_FINISH : LZMA_RUN);
	*made = room - u->xz.avail_out;
	u->in_pos += avail_in - u->xz.avail_in;
	if (ret == LZMA_STREAM_END) {
		if (*made > 0)
			return true;
		f->state = STATE_END;
		return false;
	}
	if (ret == LZMA_OK)
		return true;
	if (ret == LZMA_BUF_ERROR && u->input_eof)
		unpack_damage(f, u->in_offset + u->in_len, "truncated", NULL);
	else
		unpack_damage(f, u->in_offset + u->in_pos, "corrupt",
		    lzma_text(ret));
	return false;
}
#endif

/* unpack_step - unpack_zstd() or unpack_xz(), as u's codec asks */
static bool
unpack_step(struct decoder *f, struct unpacker *u, char *out, size_t room,
    size_t *made)
{
	switch (u->codec) {
#ifdef HAVE_ZSTD
	case CODEC_ZSTD:
		return unpack_zstd(f, u, out, room, made);
#endif
#ifdef HAVE_LZMA
	case CODEC_XZ:
		return unpack_xz(f, u, out, room, made);
#endif
	default:
		break;
	}
	/* Never made for a codec this build lacks (codec_built()). */
	(void)out;
	(void)room;
	*made = 0;
	unpack_damage(f, 0, "cannot decode", NULL);
	return false;
}

/*
 * unpack_some - decode_some() for zstd and xz: some text into out, or
 * the end of the input.
 */
static size_t
unpack_some(struct decoder *f, char *out, size_t room)
{
	struct unpacker *u = f->unp;
	size_t	 made, before;
	ssize_t	 n;
	bool	 more;

	for (;;) {
		if (u->in_pos == u->in_len && !u->input_eof) {
			n = read_input(f, u->in, UNPACK_INPUT_BYTES);
			if (n < 0)
				return 0;	/* recorded as damage */
			u->in_offset += u->in_len;
			u->in_pos = 0;
			u->in_len = (size_t)n;
			u->input_eof = n == 0;
		}
		made = 0;
		before = u->in_pos;
		more = unpack_step(f, u, out, room, &made);
		if (!more || made > 0)
			return made;
		if (u->in_pos == before && u->in_pos < u->in_len) {
			/* Neither input taken nor output made. */
			unpack_damage(f, u->in_offset + u->in_pos, "corrupt",
			    "the decoder stalled");
			return 0;
		}
	}
}

/* drop_all - forget the text held, none of it to be handed out */
static void
drop_all(struct reader *r)
{
	if (r->map != NULL)
		r->pos = r->scan = r->end;	/* the window moves on */
	else
		r->pos = r->scan = r->end = 0;
	r->seen = 0;
}

/*
 * prefetch - ask for the mapped bytes just ahead of the line search,
 * so that they are on their way while the caller works on the lines
 * before them.
 */
static void
prefetch(struct reader *r)
{
#if defined(__GNUC__)
	size_t	lim = r->scan + MAP_PREFETCH;

	if (lim > r->end)
		lim = r->end;
	if (r->fetched < r->scan)
		r->fetched = r->scan;
	for (; r->fetched < lim; r->fetched += CACHE_LINE)
		__builtin_prefetch(r->buf + r->fetched);
#else
	(void)r;
#endif
}

/* map_window - len bytes of the file from offset start, or NULL */
static char *
map_window(struct reader *r, uint64_t start, uint64_t len)
{
	void	*p;
	int	 flags = MAP_PRIVATE;

#ifdef MAP_POPULATE
	/* The page tables at once, not a fault per page. */
	flags |= MAP_POPULATE;
#endif
	if (len > SIZE_MAX || start > (uint64_t)INT64_MAX)
		return NULL;
	p = mmap(NULL, (size_t)len, PROT_READ, flags, r->fd, (off_t)start);
	return p == MAP_FAILED ? NULL : p;
}

/* map_drop - unmap the window, its guard first */
static void
map_drop(struct reader *r)
{
	mapguard_set(r->guard, NULL, 0);
	(void)munmap(r->map, r->map_len);
	r->map = NULL;
	r->map_len = 0;
}

/*
 * map_cut - end a mapped file at file offset at, from where it could
 * not be read: cut while being read (the new size may be sooner), or
 * a page the disk could not deliver.  As on the read() path, the line
 * in progress keeps its bytes before that and is handed out last,
 * then the damage.  The bytes after the cut read as zeros: the line
 * is searched again.
 */
static void
map_cut(struct reader *r, uint64_t at)
{
	struct stat	st;
	char		now[48];
	bool		shorter;

	shorter = fstat(r->fd, &st) == 0 &&
	    (uint64_t)st.st_size < r->map_off + r->end;
	if (shorter && (uint64_t)st.st_size < at)
		at = (uint64_t)st.st_size;
	if (at < r->map_off + r->pos)
		at = r->map_off + r->pos;	/* handed out already */
	if (at < r->map_off + r->end) {
		r->end = (size_t)(at - r->map_off);
		r->scan = r->pos;
		r->seen = 0;
	}
	r->stats.bytes_read = r->stats.bytes_decoded = at;
	if (shorter) {
		snprintf(now, sizeof(now), "%llu bytes now",
		    (unsigned long long)st.st_size);
		set_damage(r, at, "file truncated while being read", now);
	} else
		set_damage(r, at, strerror(EIO), NULL);
}

/* map_was_cut - map_cut() if the guard caught a fault in the window */
static bool
map_was_cut(struct reader *r)
{
	const char	*at;

	/* Also once the whole file is mapped (STATE_END): its lines are
	   still being handed out. */
	if ((r->state != STATE_READING && r->state != STATE_END) ||
	    !mapguard_cut(r->guard, &at))
		return false;
	map_cut(r, r->map_off + (uint64_t)(at - r->map));
	return true;
}

/*
 * map_fallback - go on with read() from file offset covered, the
 * line in progress copied into a buffer of the reader's own: the next
 * window could not be mapped.
 */
static void
map_fallback(struct reader *r, uint64_t covered)
{
	size_t	tail = r->end - r->pos, size = r->size;
	char	*buf;

	if (size < tail + READ_CHUNK)
		size = tail + READ_CHUNK;
	buf = xmalloc(size);
	memcpy(buf, r->buf + r->pos, tail);
	r->scan -= r->pos;
	r->pos = 0;
	r->end = tail;
	r->fetched = 0;
	map_drop(r);
	r->buf = r->own = buf;
	r->size = size;
	if (lseek(r->fd, (off_t)covered, SEEK_SET) != (off_t)covered)
		set_damage(r, covered, strerror(errno), NULL);
}

/*
 * map_install - make p, the window of len bytes from file offset start
 * just mapped, the text buffer in place of the window before it, or
 * of the reader's own buffer: guarded before that goes; the bytes from
 * the first one not handed out on keep their place, and those past
 * what was covered before count as read.
 */
static void
map_install(struct reader *r, char *p, uint64_t start, uint64_t len)
{
	uint64_t	 keep = r->map_off + r->pos;	/* first byte kept */
	uint64_t	 covered = r->map_off + r->end;

	mapguard_set(r->guard, p, (size_t)len);
	if (r->map != NULL)
		(void)munmap(r->map, r->map_len);
	free(r->own);
	r->own = NULL;
	r->buf = r->map = p;
	r->map_len = (size_t)len;
	r->scan = r->scan - r->pos + (size_t)(keep - start);
	r->pos = (size_t)(keep - start);
	r->end = (size_t)len;
	r->fetched = r->scan;
	r->map_off = start;
	r->stats.bytes_read += start + len - covered;
	r->stats.bytes_decoded += start + len - covered;
}

/*
 * map_next - move the window of a mapped file on: from the page that
 * holds the first byte not yet handed out, over MAP_WINDOW bytes of
 * the file (twice the line in progress, if that is longer), as far as
 * the file reaches now.  Its size is asked each time, so a file that
 * grows while it is read is read to its new end, and one now shorter
 * than what was mapped of it was cut, both as with read().
 */
static void
map_next(struct reader *r)
{
	uint64_t	 keep = r->map_off + r->pos;	/* first byte kept */
	uint64_t	 covered = r->map_off + r->end;
	uint64_t	 start, len, page = (uint64_t)sysconf(_SC_PAGESIZE);
	struct stat	 st;
	char		*p;

	if (fstat(r->fd, &st) != 0) {
		set_damage(r, covered, strerror(errno), NULL);
		return;
	}
	if ((uint64_t)st.st_size < covered) {
		map_cut(r, covered);
		return;
	}
	if ((uint64_t)st.st_size == covered) {
		r->state = STATE_END;
		return;
	}
	start = keep - keep % page;
	len = MAP_WINDOW;
	if (len < 2 * (covered - start))
		len = 2 * (covered - start);
	if (len > (uint64_t)st.st_size - start)
		len = (uint64_t)st.st_size - start;
	if ((p = map_window(r, start, len)) == NULL) {
		map_fallback(r, covered);
		return;
	}
	map_install(r, p, start, len);
}

/* reader_next - the next line; see reader.h */
enum reader_status
reader_next(struct reader *r, const char **line, size_t *len)
{
	const char	*start, *nl, *stop;
	size_t		 tail;
	unsigned	 seen;

	for (;;) {
		if (r->map != NULL) {
			if (map_was_cut(r))
				continue;
			prefetch(r);
		}
		if (r->scan < r->end) {
			/* One pass finds the newline and what the line
			   holds: NUL bytes, bytes that may not be UTF-8. */
			stop = r->buf + r->end;
			nl = scan_line(r->buf + r->scan, stop, &r->seen);
			if (nl < stop) {
				start = r->buf + r->pos;
				seen = r->seen;
				r->seen = 0;
				r->pos = r->scan = (size_t)(nl - r->buf) + 1;
				if (r->skipping) {
					r->skipping = false;
					continue;
				}
				if (take_line(r, start, (size_t)(nl - start),
				    seen, len)) {
					*line = start;
					return READER_LINE;
				}
				continue;
			}
			r->scan = r->end;
			/* The search may have run into a cut's zeros. */
			if (r->map != NULL && map_was_cut(r))
				continue;
			if (r->skipping) {
				drop_all(r);
			} else if (r->end - r->pos > r->max_line) {
				/* Too long already: drop what we have. */
				r->stats.long_lines++;
				r->skipping = true;
				drop_all(r);
			}
		}
		if (r->state == STATE_READING && r->map != NULL) {
			map_next(r);
			continue;
		}
		if (r->state == STATE_READING) {
			if (r->dec != NULL && lend_next(r))
				continue;
			make_room(r);
			if (r->dec != NULL)
				fill_decoded(r);
			else
				fill_plain(r);
			continue;
		}
		/* Input over: a final line without a newline, then status. */
		if (r->pos < r->end && !r->skipping) {
			/* scan is at end: seen covers the whole tail. */
			start = r->buf + r->pos;
			tail = r->end - r->pos;
			seen = r->seen;
			r->seen = 0;
			r->pos = r->scan = r->end;
			if (take_line(r, start, tail, seen, len)) {
				*line = start;
				return READER_LINE;
			}
		}
		drop_all(r);
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
 * map_start - read the rest of a plain regular file, whose first
 * r->end bytes are in the buffer, through a window of it mapped: the
 * lines are searched where the kernel keeps the file, so that its
 * bytes are not copied first, and the processor's prefetching brings
 * them in while the caller works.  Stays with read() when the file
 * was read whole already, or cannot be mapped or guarded.
 */
static void
map_start(struct reader *r)
{
	struct stat	 st;
	uint64_t	 len;
	char		*p;

	if (fstat(r->fd, &st) != 0 || (uint64_t)st.st_size <= r->end)
		return;
	if ((r->guard = mapguard_new()) == NULL)
		return;
	len = MAP_WINDOW > r->end ? MAP_WINDOW : r->end;
	if (len > (uint64_t)st.st_size)
		len = (uint64_t)st.st_size;
	if ((p = map_window(r, 0, len)) == NULL) {
		mapguard_free(r->guard);
		r->guard = NULL;
		return;
	}
	map_install(r, p, 0, len);
}

/*
 * peek_start - read the first block and decide between gzip and plain
 * by the magic bytes 1f 8b (RFC 1952, 2.3.1), or another compressed
 * format (other_formats: decoded, or refused).  The block is read into
 * the text buffer; for gzip it moves to the inflater's input buffer,
 * for zstd and xz to the unpacker's.
 */
static void
peek_start(struct reader *r, mode_t mode, bool no_map)
{
	size_t		got = 0;
	ssize_t		n;
	int		format;

	/* A pipe may deliver one byte at a time. */
	while (got < MAGIC_PEEK_BYTES) {
		n = read_some(r, r->buf + got, GZIP_INPUT_BYTES - got);
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	if ((format = other_format((const unsigned char *)r->buf, got)) >= 0) {
		if (codec_built(other_formats[format].codec))
			r->dec = decoder_new(r, unpacker_new(
			    other_formats[format].codec, r->buf, got), NULL,
			    got, false);
		else
			refuse_other(r, format);
		return;
	}
	if (got >= 2 && (unsigned char)r->buf[0] == 0x1f &&
	    (unsigned char)r->buf[1] == 0x8b) {
		r->is_gzip = true;
		r->stats.gzip_members = 1;
		/*
		 * Only a file whose offset matches what was read can be
		 * sought back to a member's start.
		 */
		r->dec = decoder_new(r, NULL, r->buf, got, S_ISREG(mode) &&
		    lseek(r->fd, 0, SEEK_CUR) == (off_t)got);
		return;
	}
	r->end = got;
	r->stats.bytes_decoded = got;
	/* Mapped from offset 0: a descriptor that started there. */
	if (S_ISREG(mode) && !no_map && got > 0 &&
	    lseek(r->fd, 0, SEEK_CUR) == (off_t)got)
		map_start(r);
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
	r->buf = r->own = xmalloc(r->size);
	r->state = STATE_READING;
	if (fstat(fd, &st) != 0)
		st.st_mode = 0;
	if (S_ISREG(st.st_mode)) {
		r->mtime = st.st_mtime;
		r->file_size = (uint64_t)st.st_size;
#ifdef POSIX_FADV_SEQUENTIAL
		(void)posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
#endif
	}
	peek_start(r, st.st_mode, opts != NULL && opts->no_map);
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

/* reader_formats - see reader.h */
const char *
reader_formats(void)
{
	return "plain text, gzip"
#ifdef HAVE_ISAL
	    " (ISA-L)"
#else
	    " (zlib)"
#endif
#ifdef HAVE_ZSTD
	    ", zstd"
#endif
#ifdef HAVE_LZMA
	    ", xz"
#endif
	    ;
}

/* reader_is_gzip - whether the input was gzip */
bool
reader_is_gzip(const struct reader *r)
{
	return r->is_gzip;
}

/* reader_is_compressed - whether a thread decodes the input */
bool
reader_is_compressed(const struct reader *r)
{
	return r->dec != NULL;
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

/* reader_line_high - whether the last line holds a byte >= 0x80 */
bool
reader_line_high(const struct reader *r)
{
	return r->line_high;
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
	/* The decoder thread reads r->fd until it is stopped. */
	if (r->dec != NULL)
		decoder_free(r->dec);
	if (r->map != NULL)
		map_drop(r);
	free(r->own);
	mapguard_free(r->guard);
	(void)close(r->fd);
	free(r->name);
	free(r);
}
