/*
 * outfile - atomic replacement of output files (see outfile.h).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
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

/*
 * open_fd_name - the descriptor a name stands for: /dev/stdout (1),
 * /dev/stderr (2), /dev/fd/N and /proc/self/fd/N; -1 for any other
 * name.  Those names reach a descriptor this process already has open,
 * whatever it is: a file the shell redirected to, a pipe, a socket.
 */
static int
open_fd_name(const char *path)
{
	static const char *const dirs[] = { "/dev/fd/", "/proc/self/fd/" };
	const char	*s;
	size_t		 i, n;
	long		 fd = 0;

	if (strcmp(path, "/dev/stdout") == 0)
		return STDOUT_FILENO;
	if (strcmp(path, "/dev/stderr") == 0)
		return STDERR_FILENO;
	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		n = strlen(dirs[i]);
		if (strncmp(path, dirs[i], n) != 0 || path[n] == '\0')
			continue;
		for (s = path + n; *s >= '0' && *s <= '9'; s++) {
			if (fd > (INT_MAX - (*s - '0')) / 10)
				return -1;
			fd = fd * 10 + (*s - '0');
		}
		return *s == '\0' ? (int)fd : -1;
	}
	return -1;
}

/*
 * The descriptors open when the program started (outfile_note_inherited
 * ()), the only ones /dev/fd/N may name: not one the program opened
 * itself (a lock file, say).  All may be named until it is called.
 */
#define INHERITED_MAX	64
static bool	inherited_noted;
static bool	inherited[INHERITED_MAX];

/* outfile_note_inherited - see outfile.h */
void
outfile_note_inherited(void)
{
	int	fd;

	for (fd = 0; fd < INHERITED_MAX; fd++)
		inherited[fd] = fcntl(fd, F_GETFD) != -1;
	inherited_noted = true;
}

/* was_inherited - whether fd was open when the program started */
static bool
was_inherited(int fd)
{
	return !inherited_noted || (fd < INHERITED_MAX && inherited[fd]);
}

/* named_fd - the descriptor a name stands for, "-" being 1; or -1 */
static int
named_fd(const char *path)
{
	return strcmp(path, "-") == 0 ? STDOUT_FILENO : open_fd_name(path);
}

/*
 * inherited_or_error - whether fd, which path names, was open when the
 * program started; if not, why not in err ("-" when the program was
 * started with standard output closed: it is /dev/null now)
 */
static bool
inherited_or_error(const char *path, int fd, char *err, size_t errlen)
{
	if (was_inherited(fd))
		return true;
	if (strcmp(path, "-") == 0)
		snprintf(err, errlen, "standard output is closed: name a "
		    "file");
	else
		snprintf(err, errlen, "%.200s: %s", path, strerror(EBADF));
	return false;
}

/*
 * temp_name - the temporary beside target: "target.tmp.XXXXXX", or
 * "DIR/.zs.tmp.XXXXXX" when the longer name would pass NAME_MAX;
 * allocated
 */
static char *
temp_name(const char *target)
{
	const char	*slash = strrchr(target, '/');
	const char	*base = slash != NULL ? slash + 1 : target;
	size_t		 dir_len = (size_t)(base - target);
	char		*t;
	size_t		 n;

	n = strlen(target) + sizeof(".tmp.XXXXXX");
	t = xmalloc(n);
	if (strlen(base) + sizeof(".tmp.XXXXXX") - 1 <= NAME_MAX)
		snprintf(t, n, "%s.tmp.XXXXXX", target);
	else
		snprintf(t, n, "%.*s.zs.tmp.XXXXXX", (int)dir_len, target);
	return t;
}

/*
 * same_owner_and_mode - give the temporary fd the mode of the file
 * it replaces, and its owner and group where this process may (as
 * install(1) and editors do): a report or state file that was made
 * private stays private.  A new file gets 0666 less the umask.
 */
static void
same_owner_and_mode(int fd, const struct stat *old)
{
	mode_t	mask;

	if (old == NULL) {
		mask = umask(0);
		umask(mask);
		(void)fchmod(fd, 0666 & ~mask);
		return;
	}
	if (fchown(fd, old->st_uid, old->st_gid) != 0)
		(void)fchown(fd, (uid_t)-1, old->st_gid);
	(void)fchmod(fd, old->st_mode & 0777);
}

/* open_direct - write straight to fd (a dup of it when dup_fd) */
static bool
open_direct(struct outfile *out, int fd, bool dup_fd, char *err,
    size_t errlen)
{
	int	own = dup_fd ? fcntl(fd, F_DUPFD_CLOEXEC, 0) : fd;

	if (own < 0 || (out->stream = fdopen(own, "w")) == NULL) {
		snprintf(err, errlen, "%.200s: %s", out->target,
		    strerror(errno));
		if (own >= 0)
			close(own);
		return false;
	}
	return true;
}

/*
 * outfile_open - start an output file.  A symbolic link is followed:
 * the file it names is replaced and the link stays.
 */
struct outfile *
outfile_open(const char *path, char *err, size_t errlen)
{
	struct outfile	*out = xcalloc(1, sizeof(*out));
	struct stat	 st;
	char		*real = NULL;
	const char	*target = path;
	bool		 exists;
	int		 fd;

	out->registry_slot = -1;
	if ((fd = named_fd(path)) >= 0 &&
	    !inherited_or_error(path, fd, err, errlen))
		goto bad;
	if (strcmp(path, "-") == 0) {
		out->stream = stdout;
		out->is_stdout = true;
		out->target = xstrdup("standard output");
		return out;
	}
	out->target = xstrdup(path);
	if (fd >= 0) {
		if (!open_direct(out, fd, true, err, errlen))
			goto bad;
		return out;
	}
	if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode) &&
	    stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
		/*
		 * A link to a regular file: replace that file.  The name
		 * is opened for writing first, following the link as any
		 * writer would, so that the kernel's checks on links
		 * (fs.protected_symlinks in a sticky directory) apply,
		 * and the file it reaches must be the one realpath()
		 * names.  A link to nothing is replaced by the file, as
		 * any other name; a link to a pipe or device is written
		 * through below.
		 */
		struct stat	 via;
		int		 probe;

		probe = open(path, O_WRONLY | O_CLOEXEC | O_NOCTTY);
		if (probe < 0 || fstat(probe, &via) != 0 ||
		    (real = realpath(path, NULL)) == NULL ||
		    stat(real, &st) != 0 || st.st_dev != via.st_dev ||
		    st.st_ino != via.st_ino) {
			snprintf(err, errlen, "%.200s: %s", path,
			    probe < 0 || real == NULL ? strerror(errno) :
			    "symbolic link changed while being followed");
			if (probe >= 0)
				close(probe);
			goto bad;
		}
		close(probe);
		target = real;
	}
	exists = stat(target, &st) == 0;
	if (exists && !S_ISREG(st.st_mode)) {
		if (S_ISDIR(st.st_mode)) {
			snprintf(err, errlen, "%.200s: is a directory", path);
			goto bad;
		}
		/* A pipe, terminal or device: no rename is possible. */
		fd = open(target, O_WRONLY | O_CLOEXEC);
		if (fd < 0) {
			snprintf(err, errlen, "%.200s: %s", path,
			    strerror(errno));
			goto bad;
		}
		if (!open_direct(out, fd, false, err, errlen))
			goto bad;
		free(real);
		return out;
	}
	if (real != NULL) {
		free(out->target);
		out->target = real;
		real = NULL;
	}
	out->temp = temp_name(out->target);
	fd = mkstemp(out->temp);
	if (fd < 0) {
		snprintf(err, errlen, "%.200s: cannot create a temporary file "
		    "beside it: %s", out->target, strerror(errno));
		goto bad;
	}
	same_owner_and_mode(fd, exists ? &st : NULL);
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
	free(real);
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

/* outfile_check - see outfile.h */
bool
outfile_check(const char *path, char *err, size_t errlen)
{
	struct outfile	*out;
	struct stat	 st;
	int		 fd;

	/* A descriptor is not opened, but it must have been there. */
	if ((fd = named_fd(path)) >= 0)
		return inherited_or_error(path, fd, err, errlen);
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode) &&
	    !S_ISDIR(st.st_mode))
		return true;
	if ((out = outfile_open(path, err, errlen)) == NULL)
		return false;
	outfile_abort(out);
	return true;
}

/* outfile_commit - finish and rename */
bool
outfile_commit(struct outfile *out, char *err, size_t errlen)
{
	int	saved = 0;
	bool	ok = true;

	if (fflush(out->stream) != 0 || ferror(out->stream)) {
		saved = errno != 0 ? errno : EIO;
		snprintf(err, errlen, "%.200s: write error: %s", out->target,
		    strerror(saved));
		ok = false;
	}
	if (out->is_stdout) {
		release(out);
		errno = saved;
		return ok;
	}
	if (ok && out->temp != NULL && fsync(fileno(out->stream)) != 0) {
		saved = errno;
		snprintf(err, errlen, "%.200s: fsync: %s", out->target,
		    strerror(saved));
		ok = false;
	}
	if (fclose(out->stream) != 0 && ok) {
		saved = errno;
		snprintf(err, errlen, "%.200s: write error: %s", out->target,
		    strerror(saved));
		ok = false;
	}
	if (out->temp != NULL) {
		if (ok && rename(out->temp, out->target) != 0) {
			saved = errno;
			snprintf(err, errlen, "%.200s: rename: %s", out->target,
			    strerror(saved));
			ok = false;
		}
		if (!ok)
			(void)unlink(out->temp);
	}
	release(out);
	errno = saved;
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
