/*
 * exitcode - the exit statuses of zombiescan, one list for the program
 * and the manual page (doc/zombiescan.1, EXIT STATUS).
 */
#ifndef ZS_EXITCODE_H
#define ZS_EXITCODE_H

enum exit_code {
	EXIT_OK = 0,		/* report written, all input read */
	EXIT_FATAL = 1,		/* no report: output could not be written,
				   out of memory, internal error */
	EXIT_USAGE = 2,		/* bad command line */
	EXIT_PARTIAL = 3,	/* report written, but some input was
				   missing, unreadable, truncated or corrupt */
	EXIT_SUSPECTS = 4,	/* --fail-on-suspects: report written and
				   it lists likely zombies */
	EXIT_STATE = 5		/* --state: the state file is corrupt, of
				   a newer version, unreadable, in use by
				   another run, or could not be saved */
};

#endif
