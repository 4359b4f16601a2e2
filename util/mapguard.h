/*
 * mapguard - reading a mapped file that may shrink under the reader.
 *
 * A file read through mmap() can be cut while it is read (logrotate's
 * copytruncate does exactly that to a live mail log), and touching a
 * mapped page that no longer has a byte of the file behind it raises
 * SIGBUS, as does a page the disk could not deliver.  A guard covers
 * one window of a mapping: a SIGBUS inside it puts zero-filled memory
 * over the rest of the window, notes the first unreadable address, and
 * lets the program go on; the reader then asks mapguard_cut() and ends
 * the file there as damaged.  A SIGBUS outside every guarded window
 * goes to the disposition the program had before the first guard.
 *
 * The handler is installed when the first guard is made, once for the
 * process.  Guards are few (MAPGUARD_MAX); when none is free, or the
 * platform lacks lock-free atomics of a pointer's size, mapguard_new()
 * returns NULL and the caller reads with read() instead.
 *
 * A guard belongs to one reader, used by one thread at a time; the
 * handler, which may run in any thread, only reads the guards.
 *
 * Ownership: mapguard_new() results are released with mapguard_free().
 */
#ifndef ZS_MAPGUARD_H
#define ZS_MAPGUARD_H

#include <stdbool.h>
#include <stddef.h>

#define MAPGUARD_MAX	64

struct mapguard;

/* mapguard_new - a guard covering nothing yet, or NULL (see above) */
struct mapguard	*mapguard_new(void);

/* mapguard_free - release the guard; NULL is a no-op */
void		 mapguard_free(struct mapguard *g);

/*
 * mapguard_set - guard [base, base + len), rounded out to whole pages:
 * the window the reader has mapped now (NULL, 0: none).  Clears what
 * mapguard_cut() reported.
 */
void		 mapguard_set(struct mapguard *g, const void *base,
		    size_t len);

/*
 * mapguard_cut - whether a SIGBUS hit the window since it was set, and
 * if so the first address of the page that raised it in *at: from
 * there to the window's end the memory now reads as zeros.
 */
bool		 mapguard_cut(const struct mapguard *g, const char **at);

#endif
