/*
 * progress - a one-line progress meter for a person at a terminal.
 *
 * The pipeline's threads add what they have read to shared counters
 * (plain atomic adds, every few thousand lines, so the cost is nil);
 * a meter thread wakes a few times a second, reads them and redraws
 * one line on its stream:
 *
 *	zombiescan: 1.2 GiB of 3.4 GiB (35%), 12.3M lines, 85.2 MiB/s, 0:27 left
 *
 * Bytes are those read from the files (compressed bytes for gzip), so
 * the share done and the time left are measured against the files'
 * sizes.  The line is drawn with a carriage return and cleared with
 * "\r\033[K" when the meter stops, so nothing is left behind.  Callers
 * decide whether to show a meter at all (only when standard error is a
 * terminal, never with --quiet).
 *
 * Ownership: the counters belong to the caller and must outlive the
 * meter; progress_stop() joins the thread and frees the meter.
 */
#ifndef ZS_PROGRESS_H
#define ZS_PROGRESS_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct progress_counters {
	atomic_uint_least64_t bytes_read;	/* so far, all threads */
	atomic_uint_least64_t lines_read;
	atomic_uint_least64_t total_bytes;	/* of every input; 0: unknown */
};

struct progress;

/* progress_counters_init - all zero */
void		progress_counters_init(struct progress_counters *c);

/*
 * progress_format - the meter's text (no newline, no control bytes)
 * into buf: bytes (and the share of total when total > 0), lines,
 * speed and time left once elapsed_sec > 0.  Returns buf.
 */
char		*progress_format(char *buf, size_t size, uint64_t bytes,
		    uint64_t total, uint64_t lines, double elapsed_sec);

/*
 * progress_start - a thread that redraws the meter on out every
 * interval_ms milliseconds (at least 50); NULL when no thread could be
 * started (then there is simply no meter).
 */
struct progress	*progress_start(FILE *out, struct progress_counters *c,
		    unsigned interval_ms);

/* progress_stop - stop the thread, clear the line, free; NULL: no-op */
void		progress_stop(struct progress *p);

#endif
