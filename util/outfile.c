/*
 * outfile - atomic replacement of output files (see outfile.h).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/outfile.h"
#include "util/xalloc.h"

struct outfile {
	FILE		*stream;
	char		*target;	/* final name */
	char		*temp;		/* temporary name, NULL when direct */
	bool		 is_stdout;
	int		 registry_slot;
};

/*
 * Temporaries still open, for the signal handler.  A fixed table of
 * names keeps the handler free of locks and allocation.
 */
#define OUTFILE_MAX_OPEN	8
static char *volatile open_temps[OUTFILE_MAX_OPEN];

/* register_temp - remember a temporary name; -1 when the table is full */
static int
register_temp(char *name)
{
	int	i;

	for (i = 0; i < OUTFILE_MAX_OPEN; i++) {
		if (open_temps[i] == NULL) {
			open_temps[i] = name;
			return i;
		}
	}
	return -1;
}

/* unregister_temp - forget a temporary */
static void
unregister_temp(int slot)
{
	if (slot >= 0)
		open_temps[slot] = NULL;
}

/* outfile_abort_all_signal_safe - unlink all open temporaries */
void
outfile_abort_all_signal_safe(void)
{
	int	i;

	for (i = 0; i < OUTFILE_MAX_OPEN; i++) {
		char	*name = open_temps[i];

		if (name != NULL)
			(void)unlink(name);
	}
}

/* outfile_open - start an output file */
struct outfile *
outfile_open(const char *path, char *err, size_t errlen)
{
	struct outfile	*out = xcalloc(1, sizeof(*out));
	struct stat	 st;
	int		 fd;
	size_t		 n;

	out->registry_slot = -1;
	if (strcmp(path, "-") == 0) {
		out->stream = stdout;
		out->is_stdout = true;
		out->target = xstrdup("standard output");
		return out;
	}
	out->target = xstrdup(path);
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		if (S_ISDIR(st.st_mode)) {
			snprintf(err, errlen, "%.200s: is a directory", path);
			goto bad;
		}
		/* A pipe, terminal or device: no rename is possible. */
		out->stream = fopen(path, "w");
		if (out->stream == NULL) {
			snprintf(err, errlen, "%.200s: %s", path,
			    strerror(errno));
			goto bad;
		}
		return out;
	}
	n = strlen(path) + sizeof(".tmp.XXXXXX");
	out->temp = xmalloc(n);
	snprintf(out->temp, n, "%s.tmp.XXXXXX", path);
	fd = mkstemp(out->temp);
	if (fd < 0) {
		snprintf(err, errlen, "%.200s: cannot create temporary file: %s",
		    path, strerror(errno));
		goto bad;
	}
	/* mkstemp makes 0600; a report is as readable as a new file. */
	{
		mode_t	mask = umask(0);

		umask(mask);
		(void)fchmod(fd, 0666 & ~mask);
	}
	out->registry_slot = register_temp(out->temp);
	out->stream = fdopen(fd, "w");
	if (out->stream == NULL) {
		snprintf(err, errlen, "%.200s: %s", path, strerror(errno));
		close(fd);
		unregister_temp(out->registry_slot);
		(void)unlink(out->temp);
		goto bad;
	}
	return out;
bad:
	free(out->temp);
	free(out->target);
	free(out);
	return NULL;
}

/* outfile_stream - the stream */
FILE *
outfile_stream(struct outfile *out)
{
	return out->stream;
}

/* release - free the handle */
static void
release(struct outfile *out)
{
	unregister_temp(out->registry_slot);
	free(out->temp);
	free(out->target);
	free(out);
}

/* outfile_commit - finish and rename */
bool
outfile_commit(struct outfile *out, char *err, size_t errlen)
{
	int	saved;
	bool	ok = true;

	if (fflush(out->stream) != 0 || ferror(out->stream)) {
		saved = errno;
		snprintf(err, errlen, "%.200s: write error: %s", out->target,
		    strerror(saved ? saved : EIO));
		ok = false;
	}
	if (out->is_stdout) {
		release(out);
		return ok;
	}
	if (ok && out->temp != NULL && fsync(fileno(out->stream)) != 0) {
		snprintf(err, errlen, "%.200s: fsync: %s", out->target,
		    strerror(errno));
		ok = false;
	}
	if (fclose(out->stream) != 0 && ok) {
		snprintf(err, errlen, "%.200s: write error: %s", out->target,
		    strerror(errno));
		ok = false;
	}
	if (out->temp != NULL) {
		if (ok && rename(out->temp, out->target) != 0) {
			snprintf(err, errlen, "%.200s: rename: %s", out->target,
			    strerror(errno));
			ok = false;
		}
		if (!ok)
			(void)unlink(out->temp);
	}
	release(out);
	return ok;
}

/* outfile_abort - throw the output away */
void
outfile_abort(struct outfile *out)
{
	if (out == NULL)
		return;
	if (!out->is_stdout) {
		fclose(out->stream);
		if (out->temp != NULL)
			(void)unlink(out->temp);
	}
	release(out);
}
