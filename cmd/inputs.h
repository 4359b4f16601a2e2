/*
 * inputs - turn the FILE arguments of the command line into the list
 * of log files the pipeline reads, in the order it must read them.
 *
 * Each argument is one of:
 *   "-"        standard input, passed through as is;
 *   a file     passed through (a name that cannot be stat()ed too, so
 *              that the pipeline reports it as unreadable);
 *   a directory  its mail logs (see below), and those of each of its
 *              subdirectories one level down (one per relay, as in
 *              logs/relay1.isp.example/mail.log*); a directory that
 *              cannot be listed is passed through as a file, so that
 *              the pipeline reports it as unreadable, and so is a
 *              log-like name in it that cannot be reached (listed but
 *              not searched; a dangling link is left out);
 *   a glob     a name that does not exist and holds *, ? or [, which a
 *              shell left unexpanded (quoted, or no match there):
 *              expanded with glob(3); each match is a file or a
 *              directory as above.  No match is an error.
 *
 * A rotated set is a log and its rotations: the name without the
 * rotation suffixes that logrotate, newsyslog and Exim's exicyclog add
 * (".gz"; "-YYYYMMDD", logrotate's dateext; ".N", also zero-padded as
 * in exicyclog's mainlog.01), in any order: mail.log, mail.log.1,
 * mail.log.2.gz and mail.log-20261125.gz are all the set "mail.log".
 * Oldest first means: dated files by date, then numbered files from
 * the highest number down (a higher number is older), then the file
 * with neither (the one being written).
 *
 * Files found in a directory: not hidden (no leading dot), regular
 * (after symbolic links), and named like a mail log: starting with
 * "mail.log", "maillog" or "mainlog", or ".log" once the rotation
 * suffixes are removed (relay1-mail.log-20261126.gz, postfix.log.1),
 * or any name ending in ".gz".  Left out although they match, because
 * they are not the mail log or repeat its lines: Exim's rejectlog and
 * paniclog, Debian's mail.err, mail.warn and mail.info (subsets of
 * mail.log written by the same rsyslog rule), and syslog and messages
 * (which hold the mail lines again on many systems).  Those sets are
 * left out when named too (by the shell's "mail.*", or a glob), if the
 * set whose lines they repeat is named in the same directory:
 * rejectlog and paniclog beside mainlog, the others beside mail.log
 * or maillog.  A directory is
 * listed as its files, each set oldest first and the sets by name,
 * then its subdirectories in name order, each listed the same way.
 *
 * Order of the arguments: kept as given, except that files of one
 * rotated set in one directory (same directory part of the path, as
 * written) are put oldest first in the places they occupy, so that
 * "zombiescan /var/log/mail.log*" works although the shell sorts
 * mail.log before mail.log.1.  A file reached twice (same device and
 * inode) is read once, at its first place.
 *
 * Ownership: the list and its strings belong to the caller, who frees
 * them with inputs_free().
 */
#ifndef ZS_INPUTS_H
#define ZS_INPUTS_H

#include <stdbool.h>
#include <stddef.h>

/*
 * inputs_expand - expand args[0..count) as above into *out (count in
 * *out_count), and the named files left out because they repeat a
 * named log's lines into *skipped (count in *skipped_count; free both
 * lists with inputs_free()).  false with a message naming the argument
 * in err (a glob that matches nothing, a directory that cannot be read
 * or holds no mail log), and both lists NULL, on failure.
 */
bool		inputs_expand(char *const *args, size_t count, char ***out,
		    size_t *out_count, char ***skipped,
		    size_t *skipped_count, char *err, size_t errlen);

/*
 * inputs_sets - for each of files[0..count), the index of the first
 * file of its rotated set in one directory (as inputs_expand() orders
 * them), into sets[i]: files[i] and files[sets[i]] are one log's.
 * Standard input is a set of its own.
 */
void		inputs_sets(char *const *files, size_t count, size_t *sets);

/* inputs_free - free what inputs_expand() made; NULL is a no-op */
void		inputs_free(char **list, size_t count);

#endif
