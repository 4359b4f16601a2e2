/*
 * reader - bytes to lines: the first stage of the pipeline.
 *
 * A reader opens one input (a path, or "-" for standard input), tells
 * gzip from plain text by the magic bytes 1f 8b (never by the name),
 * decodes zstd and xz when built with libzstd and liblzma (frames and
 * streams may be concatenated), refuses other compressed formats by
 * their magic bytes (bzip2, lz4, lzip, compress, and zstd and xz
 * without their library: damage at offset 0, no line handed out),
 * inflates every member of a multi-member gzip file, and hands out one
 * line at a time through a fixed-size buffer, or a window of a plain
 * file mapped into memory: memory does not grow with the file.
 * Compressed input is decoded by a thread the reader starts and stops
 * itself, ahead of the lines handed out by a few megabytes, so that
 * decoding overlaps the caller's work; a reader is still used by one
 * thread at a time.
 *
 * Damage is reported, not fatal.  A line longer than the cap is
 * skipped whole and counted; a line holding a NUL byte is skipped and
 * counted; a final line without a newline is still returned.  A
 * trailing "\r" is removed (CRLF files); an empty line is handed out
 * with length 0.  A truncated or corrupt gzip, zstd or xz stream,
 * trailing garbage after one, or a read error, ends the input:
 * reader_next() returns READER_ERROR once (then READER_EOF),
 * reader_error() says what and at which compressed byte offset, and
 * every line before the damage has already been handed out, the
 * unfinished last one included.
 *
 * Ownership: lines are borrowed and valid until the next call of
 * reader_next() or reader_close().  The reader owns its buffers.
 */
#ifndef ZS_READER_H
#define ZS_READER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

struct reader;

#define READER_DEFAULT_MAX_LINE	(64 * 1024)
#define READER_MAX_LINE_LIMIT	(1024 * 1024 * 1024)	/* larger: clamped */

struct reader_options {
	size_t		max_line_bytes;	/* 0: READER_DEFAULT_MAX_LINE; the
					   length counts a trailing "\r" */
	bool		no_map;		/* read() a plain regular file
					   rather than map it */
};

enum reader_status {
	READER_LINE,		/* *line and *len hold a line, without "\n" */
	READER_EOF,		/* clean end of input */
	READER_ERROR		/* damage or I/O error: see reader_error() */
};

struct reader_stats {
	uint64_t	bytes_read;	/* bytes taken from the file */
	uint64_t	bytes_decoded;	/* bytes after decompression */
	uint64_t	lines;		/* lines handed out */
	uint64_t	long_lines;	/* skipped: over max_line_bytes */
	uint64_t	nul_lines;	/* skipped: held a NUL byte */
	uint64_t	gzip_members;	/* gzip members seen (0: plain) */
};

/*
 * reader_open - open path ("-": standard input).  NULL when it cannot
 * be opened (missing, unreadable, a directory), with a message naming
 * the path in err.  Caller frees with reader_close().  opts may be NULL.
 */
struct reader	*reader_open(const char *path,
		    const struct reader_options *opts,
		    char *err, size_t errlen);

/*
 * reader_open_fd - as reader_open() on an open descriptor, which the
 * reader then owns and closes; name is used in messages.
 */
struct reader	*reader_open_fd(int fd, const char *name,
		    const struct reader_options *opts);

/* reader_next - the next line; see the status values */
enum reader_status reader_next(struct reader *r, const char **line,
		    size_t *len);

/*
 * reader_line_high - whether the line reader_next() handed out last
 * holds a byte of 0x80 or above (so that it may not be UTF-8); false
 * before the first line
 */
bool		 reader_line_high(const struct reader *r);

/* reader_error - message for READER_ERROR ("name: offset N: what") */
const char	*reader_error(const struct reader *r);

/* reader_error_offset - compressed byte offset of the damage */
uint64_t	 reader_error_offset(const struct reader *r);

/* reader_formats - the input formats this build reads, for --version:
   "plain text, gzip (zlib)" and what configure found besides */
const char	*reader_formats(void);

/* reader_is_gzip - whether the input was gzip */
bool		 reader_is_gzip(const struct reader *r);

/* reader_is_compressed - whether a thread of the reader decodes the
   input (gzip, zstd, xz) */
bool		 reader_is_compressed(const struct reader *r);

/* reader_mtime - modification time of the file, or 0 for a pipe */
time_t		 reader_mtime(const struct reader *r);

/* reader_size - file size in bytes, or 0 when unknown (a pipe) */
uint64_t	 reader_size(const struct reader *r);

/* reader_stats - counters so far; borrowed */
const struct reader_stats *reader_stats(const struct reader *r);

/* reader_name - the name given at open; borrowed */
const char	*reader_name(const struct reader *r);

/* reader_close - close and free; NULL is a no-op */
void		 reader_close(struct reader *r);

#endif
