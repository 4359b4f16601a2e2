/*
 * outfile - write a report or state file so that readers never see
 * half of it.
 *
 * For a regular file (or a name that does not exist yet) the data go
 * to a temporary file in the same directory, which outfile_commit()
 * flushes, fsyncs and renames over the target: a run killed before
 * that leaves the previous file untouched.  The new file gets the
 * mode, owner and group of the one it replaces (as far as this
 * process may set them).  A symbolic link to a regular file is
 * followed, with the kernel's checks on links: the file it names is
 * replaced and the link stays; a link to nothing is replaced by the
 * file.  A name that is a pipe, a
 * terminal or a device is written straight through; so are the names
 * of descriptors already open (/dev/stdout, /dev/stderr, /dev/fd/N,
 * /proc/self/fd/N), which are written where the descriptor stands,
 * whatever it is; "-" means standard output.  outfile_abort() removes
 * the temporary.
 */
#ifndef ZS_OUTFILE_H
#define ZS_OUTFILE_H

#include <stdbool.h>
#include <stdio.h>

struct outfile;

/*
 * outfile_open - start writing path.  NULL on failure, with a message
 * (naming the path and the errno text) in err.  Caller ends it with
 * outfile_commit() or outfile_abort().
 */
struct outfile	*outfile_open(const char *path, char *err, size_t errlen);

/*
 * outfile_check - whether outfile_open(path) can start a file there
 * now: for a regular file or a name not yet there, one is started and
 * dropped again, so that a missing or read-only directory shows before
 * a long run rather than after it.  Standard output, descriptor names,
 * pipes and devices are not opened (a pipe's reader would see the end
 * of its input) and pass, but for a descriptor the program was started
 * without (outfile_note_inherited(): "-" with standard output closed).
 * false with outfile_open()'s message in err.
 */
bool		 outfile_check(const char *path, char *err, size_t errlen);

/*
 * outfile_note_inherited - remember which descriptors are open now, at
 * the start of the program: from then on "-" and /dev/fd/N (and the
 * like) may name only those, not one the program opened itself (nor
 * the /dev/null it may put on a standard descriptor it was started
 * without)
 */
void		 outfile_note_inherited(void);

/* outfile_stream - the stream to write to; borrowed */
FILE		*outfile_stream(struct outfile *out);

/*
 * outfile_commit - flush, check for write errors (a full disk), sync
 * and rename into place; frees out.  false with a message on failure,
 * in which case the target is left as it was, and errno is the failed
 * call's (EPIPE: standard output's reader went away).
 */
bool		 outfile_commit(struct outfile *out, char *err, size_t errlen);

/* outfile_abort - discard what was written; frees out; NULL is a no-op */
void		 outfile_abort(struct outfile *out);

/*
 * outfile_abort_all_signal_safe - unlink every temporary still open;
 * async-signal-safe, for a SIGINT/SIGTERM handler.
 */
void		 outfile_abort_all_signal_safe(void);

#endif
