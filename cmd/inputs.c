/*
 * inputs - expand FILE arguments into the files to read (see inputs.h).
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <glob.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "cmd/inputs.h"
#include "util/strmap.h"
#include "util/xalloc.h"

/* How old a file is within its rotated set (see age_compare()). */
struct age {
	bool		 dated;
	bool		 numbered;
	uint32_t	 date;		/* YYYYMMDD */
	uint32_t	 number;	/* .N */
};

struct entry {
	char		*path;		/* owned until moved to the result */
	char		*dir;		/* owned; directory part, "" if none */
	char		*base;		/* owned; name without rotation */
	struct age	 age;
	bool		 has_id;	/* false: "-" or not stat()able */
	dev_t		 dev;
	ino_t		 ino;
	size_t		 pos;		/* place in the list */
};

struct entry_list {
	struct entry	*v;
	size_t		 n, cap;
};

/*
 * Sets that repeat another set's lines (copy), and that set (log):
 * Exim's other logs, Debian's per-severity copies of mail.log, and the
 * general system logs that repeat the mail lines (rsyslog's default
 * *.* rule on Debian, the messages file elsewhere).  Reading both
 * would count messages twice.  A copy is never read from a directory,
 * and named beside its log in the same directory (the shell's
 * expansion of mail.* or of a whole directory) it is left out as well
 * (drop_shadowed()).
 */
static const struct {
	const char	*copy;
	const char	*log;
} shadowed_sets[] = {
	{ "rejectlog", "mainlog" }, { "paniclog", "mainlog" },
	{ "mail.err", "mail.log" }, { "mail.warn", "mail.log" },
	{ "mail.info", "mail.log" },
	{ "syslog", "mail.log" }, { "messages", "maillog" },
	{ "syslog", "maillog" }, { "messages", "mail.log" },
};

/* all_digits - whether s[0..len) is len ASCII digits */
static bool
all_digits(const char *s, size_t len)
{
	size_t	i;

	for (i = 0; i < len; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

/* digits_value - the value of len (at most 9) ASCII digits */
static uint32_t
digits_value(const char *s, size_t len)
{
	uint32_t v = 0;
	size_t	 i;

	for (i = 0; i < len; i++)
		v = v * 10 + (uint32_t)(s[i] - '0');
	return v;
}

/*
 * Suffixes of compressed rotated logs (logrotate's compressext): gzip,
 * which is read, and the others, which the reader names and refuses;
 * either way the file belongs to its set.
 */
static const char *const compressed_suffixes[] = {
	".gz", ".xz", ".bz2", ".zst", ".lz4", ".lz", ".Z",
};

/* compressed_suffix - length of the compression suffix ending
   name[0..end) (never all of it), or 0 */
static size_t
compressed_suffix(const char *name, size_t end)
{
	size_t	i, n;

	for (i = 0; i < sizeof(compressed_suffixes) /
	    sizeof(compressed_suffixes[0]); i++) {
		n = strlen(compressed_suffixes[i]);
		if (end > n && memcmp(name + end - n, compressed_suffixes[i],
		    n) == 0)
			return n;
	}
	return 0;
}

/*
 * rotation_split - the length of name's set name and its age: strips
 * a compression suffix (".gz", ".xz", ...), "-YYYYMMDD" (logrotate
 * dateext) and ".N" (logrotate, newsyslog; exicyclog's zero-padded
 * .01), each at most once and in any order, never the whole name.  An
 * eight-digit ".N" starting 19 or 20 is a date (dateformat .%Y%m%d),
 * not the 19-millionth rotation.
 */
static size_t
rotation_split(const char *name, struct age *age)
{
	size_t	end = strlen(name), k;
	bool	gz = false, changed = true;

	memset(age, 0, sizeof(*age));
	while (changed) {
		changed = false;
		if (!gz && (k = compressed_suffix(name, end)) > 0) {
			gz = changed = true;
			end -= k;
			continue;
		}
		if (!age->dated && end > 9 && name[end - 9] == '-' &&
		    all_digits(name + end - 8, 8)) {
			age->dated = changed = true;
			age->date = digits_value(name + end - 8, 8);
			end -= 9;
			continue;
		}
		for (k = 0; k < end && name[end - 1 - k] >= '0' &&
		    name[end - 1 - k] <= '9'; k++)
			continue;
		if (k == 0 || k > 9 || end < k + 2 || name[end - k - 1] != '.')
			continue;
		if (k == 8 && !age->dated && (memcmp(name + end - 8, "19", 2)
		    == 0 || memcmp(name + end - 8, "20", 2) == 0)) {
			age->dated = changed = true;
			age->date = digits_value(name + end - 8, 8);
			end -= 9;
		} else if (!age->numbered) {
			age->numbered = changed = true;
			age->number = digits_value(name + end - k, k);
			end -= k + 1;
		}
	}
	return end;
}

/*
 * age_compare - order of two files of one set, oldest first: dated
 * files by date, then numbered ones from the highest number, then the
 * current file.
 */
static int
age_compare(const struct age *a, const struct age *b)
{
	if (a->dated != b->dated)
		return a->dated ? -1 : 1;
	if (a->dated && a->date != b->date)
		return a->date < b->date ? -1 : 1;
	if (a->numbered != b->numbered)
		return a->numbered ? -1 : 1;
	if (a->numbered && a->number != b->number)
		return a->number > b->number ? -1 : 1;
	return 0;
}

/* has_prefix - whether s starts with prefix */
static bool
has_prefix(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* is_mail_log_name - whether a directory's file is read (inputs.h) */
static bool
is_mail_log_name(const char *name, const char *base)
{
	size_t	i, len = strlen(name), baselen = strlen(base);

	if (name[0] == '.')
		return false;
	for (i = 0; i < sizeof(shadowed_sets) / sizeof(shadowed_sets[0]); i++)
		if (strcmp(base, shadowed_sets[i].copy) == 0)
			return false;
	if (has_prefix(name, "mail.log") || has_prefix(name, "maillog") ||
	    has_prefix(name, "mainlog"))
		return true;
	if (baselen >= 4 && memcmp(base + baselen - 4, ".log", 4) == 0)
		return true;
	return len > 3 && memcmp(name + len - 3, ".gz", 3) == 0;
}

/* list_grow - a new zeroed entry at the end of list, its place set */
static struct entry *
list_grow(struct entry_list *list)
{
	struct entry *e;

	if (list->n == list->cap) {
		list->cap = list->cap != 0 ? list->cap * 2 : 16;
		list->v = xreallocarray(list->v, list->cap, sizeof(*list->v));
	}
	e = &list->v[list->n];
	memset(e, 0, sizeof(*e));
	e->pos = list->n++;
	return e;
}

/*
 * list_push - append path (ownership taken) with its identity when st
 * is not NULL.
 */
static void
list_push(struct entry_list *list, char *path, const struct stat *st)
{
	struct entry *e = list_grow(list);
	const char *slash = strrchr(path, '/'), *name;
	size_t	 baselen;

	e->path = path;
	if (slash == NULL) {
		e->dir = xstrdup("");
		name = path;
	} else {
		/* "/mail.log" is in "/", not in "". */
		e->dir = xmemdup0(path, slash == path ? 1 :
		    (size_t)(slash - path));
		name = slash + 1;
	}
	baselen = rotation_split(name, &e->age);
	e->base = xmemdup0(name, baselen);
	if (st != NULL) {
		e->has_id = true;
		e->dev = st->st_dev;
		e->ino = st->st_ino;
	}
}

/* entry_clear - free what an entry owns */
static void
entry_clear(struct entry *e)
{
	free(e->path);
	free(e->dir);
	free(e->base);
}

/* path_join - dir/name, without doubling a trailing slash */
static char *
path_join(const char *dir, const char *name)
{
	size_t	 dlen = strlen(dir), nlen = strlen(name);
	bool	 slash = dlen == 0 || dir[dlen - 1] != '/';
	char	*p = xmalloc(dlen + slash + nlen + 1);

	memcpy(p, dir, dlen);
	if (slash)
		p[dlen] = '/';
	memcpy(p + dlen + slash, name, nlen + 1);
	return p;
}

/* set_compare - qsort: by set, then oldest first, then by name */
static int
set_compare(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	int	c;

	if ((c = strcmp(x->base, y->base)) != 0)
		return c;
	if ((c = age_compare(&x->age, &y->age)) != 0)
		return c;
	return strcmp(x->path, y->path);
}

/* string_compare - qsort: char * by bytes */
static int
string_compare(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* names_dir - whether readdir() says the entry is a directory */
static bool
names_dir(const struct dirent *de)
{
#ifdef DT_DIR
	return de->d_type == DT_DIR;
#else
	(void)de;
	return false;
#endif
}

/* push_subdir - add path (now owned) to the subdirectories to list */
static void
push_subdir(char ***subdirs, size_t *n, size_t *cap, char *path)
{
	if (*n == *cap) {
		*cap = *cap != 0 ? *cap * 2 : 8;
		*subdirs = xreallocarray(*subdirs, *cap, sizeof(**subdirs));
	}
	(*subdirs)[(*n)++] = path;
}

/*
 * expand_dir - append dir's mail logs, each set oldest first, and
 * (when descend) those of each subdirectory in name order.
 */
static bool
expand_dir(struct entry_list *list, const char *dir, bool descend,
    char *err, size_t errlen)
{
	struct entry_list files = { NULL, 0, 0 };
	struct entry	*e;
	struct dirent	*de;
	struct stat	 st;
	char		**subdirs = NULL, *path;
	size_t		 nsub = 0, capsub = 0, i, pos;
	bool		 ok = false;
	DIR		*d;

	/* A directory that cannot be listed (permissions) is handed on
	   as an input, as an unreadable file is: the pipeline names it
	   with its error and the run goes on with the others (exit 3). */
	if ((d = opendir(dir)) == NULL) {
		list_push(list, xstrdup(dir), NULL);
		return true;
	}
	for (;;) {
		errno = 0;
		if ((de = readdir(d)) == NULL) {
			if (errno != 0) {
				snprintf(err, errlen, "%.200s: %s", dir,
				    strerror(errno));
				goto done;
			}
			break;
		}
		if (de->d_name[0] == '.')
			continue;
		path = path_join(dir, de->d_name);
		/* stat, not lstat: links to logs count; dangling ones not. */
		if (stat(path, &st) != 0) {
			/*
			 * Listed but out of reach (a directory that may be
			 * read but not searched): a relay's directory there
			 * goes on to be listed, which fails and hands it on
			 * as an input, and a file named like a log is handed
			 * on, so that the run names each as unreadable (exit
			 * 3) instead of leaving it out in silence.  A
			 * dangling link is left out.
			 */
			if (errno == ENOENT) {
				free(path);
			} else if (names_dir(de)) {
				if (descend)
					push_subdir(&subdirs, &nsub, &capsub,
					    path);
				else
					free(path);
			} else {
				list_push(&files, path, NULL);
				if (!is_mail_log_name(de->d_name,
				    files.v[files.n - 1].base)) {
					files.n--;
					entry_clear(&files.v[files.n]);
				}
			}
		} else if (S_ISDIR(st.st_mode) && descend) {
			push_subdir(&subdirs, &nsub, &capsub, path);
		} else if (S_ISREG(st.st_mode)) {
			list_push(&files, path, &st);
			if (!is_mail_log_name(de->d_name,
			    files.v[files.n - 1].base)) {
				files.n--;
				entry_clear(&files.v[files.n]);
			}
		} else {
			free(path);
		}
	}
	closedir(d);		/* before descending: one open at a time */
	d = NULL;
	if (files.n > 1)
		qsort(files.v, files.n, sizeof(*files.v), set_compare);
	for (i = 0; i < files.n; i++) {
		e = list_grow(list);
		pos = e->pos;
		*e = files.v[i];	/* moved: files no longer owns it */
		e->pos = pos;
	}
	files.n = 0;
	if (nsub > 1)
		qsort(subdirs, nsub, sizeof(*subdirs), string_compare);
	for (i = 0; i < nsub; i++)
		if (!expand_dir(list, subdirs[i], false, err, errlen))
			goto done;
	ok = true;
done:
	if (d != NULL)
		closedir(d);
	for (i = 0; i < files.n; i++)
		entry_clear(&files.v[i]);
	free(files.v);
	for (i = 0; i < nsub; i++)
		free(subdirs[i]);
	free(subdirs);
	return ok;
}

/*
 * expand_top_dir - a directory named on the command line (or by a
 * glob): one holding no mail log at all is an error, as a glob with
 * no match is, rather than a report on nothing.
 */
static bool
expand_top_dir(struct entry_list *list, const char *dir, char *err,
    size_t errlen)
{
	size_t	before = list->n;

	if (!expand_dir(list, dir, true, err, errlen))
		return false;
	if (list->n == before) {
		snprintf(err, errlen, "%.200s: no mail logs in this directory",
		    dir);
		return false;
	}
	return true;
}

/* add_existing - a named file or directory that stat() found */
static bool
add_existing(struct entry_list *list, const char *path,
    const struct stat *st, char *err, size_t errlen)
{
	if (S_ISDIR(st->st_mode))
		return expand_top_dir(list, path, err, errlen);
	list_push(list, xstrdup(path), st);
	return true;
}

/* expand_glob - the matches of pattern, in glob(3)'s (name) order */
static bool
expand_glob(struct entry_list *list, const char *pattern, char *err,
    size_t errlen)
{
	struct stat st;
	glob_t	 g;
	size_t	 i;
	bool	 ok = true;
	int	 rc;

	memset(&g, 0, sizeof(g));
	rc = glob(pattern, 0, NULL, &g);
	if (rc != 0) {
		snprintf(err, errlen, "%.200s: %s", pattern,
		    rc == GLOB_NOMATCH ? "no files match" :
		    rc == GLOB_ABORTED ? "cannot read a directory" :
		    "cannot expand");
		globfree(&g);
		return false;
	}
	for (i = 0; ok && i < g.gl_pathc; i++) {
		if (stat(g.gl_pathv[i], &st) == 0)
			ok = add_existing(list, g.gl_pathv[i], &st, err,
			    errlen);
		else		/* gone since: let the pipeline say so */
			list_push(list, xstrdup(g.gl_pathv[i]), NULL);
	}
	globfree(&g);
	return ok;
}

/* expand_arg - one command-line argument (see inputs.h) */
static bool
expand_arg(struct entry_list *list, const char *arg, char *err,
    size_t errlen)
{
	struct stat st;

	if (strcmp(arg, "-") == 0) {
		list_push(list, xstrdup(arg), NULL);
		return true;
	}
	/* A file that exists is itself, whatever characters it holds. */
	if (stat(arg, &st) == 0)
		return add_existing(list, arg, &st, err, errlen);
	if (strpbrk(arg, "*?[") != NULL)
		return expand_glob(list, arg, err, errlen);
	/* Missing or unreadable: the pipeline reports it (exit 3). */
	list_push(list, xstrdup(arg), NULL);
	return true;
}

/* id_compare - qsort of entry pointers: by identity, then place */
static int
id_compare(const void *a, const void *b)
{
	const struct entry *x = *(struct entry *const *)a;
	const struct entry *y = *(struct entry *const *)b;

	if (x->has_id != y->has_id)
		return x->has_id ? -1 : 1;
	if (x->has_id && x->dev != y->dev)
		return x->dev < y->dev ? -1 : 1;
	if (x->has_id && x->ino != y->ino)
		return x->ino < y->ino ? -1 : 1;
	return x->pos < y->pos ? -1 : x->pos > y->pos;
}

/* drop_duplicates - keep the first place of each file reached twice */
static void
drop_duplicates(struct entry_list *list)
{
	struct entry **p;
	size_t	 i, n;

	if (list->n < 2)
		return;
	p = xreallocarray(NULL, list->n, sizeof(*p));
	for (i = 0; i < list->n; i++)
		p[i] = &list->v[i];
	qsort(p, list->n, sizeof(*p), id_compare);
	for (i = 1; i < list->n; i++)
		if (p[i]->has_id && p[i - 1]->has_id &&
		    p[i]->dev == p[i - 1]->dev && p[i]->ino == p[i - 1]->ino) {
			/* p[i - 1] has the earlier place; mark p[i]. */
			entry_clear(p[i]);
			p[i]->path = NULL;
		}
	free(p);
	for (i = n = 0; i < list->n; i++)
		if (list->v[i].path != NULL) {
			list->v[n] = list->v[i];
			list->v[n].pos = n;
			n++;
		}
	list->n = n;
}

/* group_compare - qsort of entry pointers: by directory and set, age */
static int
group_compare(const void *a, const void *b)
{
	const struct entry *x = *(struct entry *const *)a;
	const struct entry *y = *(struct entry *const *)b;
	int	c;

	if ((c = strcmp(x->dir, y->dir)) != 0)
		return c;
	if ((c = set_compare(x, y)) != 0)
		return c;
	return x->pos < y->pos ? -1 : x->pos > y->pos;
}

/* size_compare - qsort: size_t ascending */
static int
size_compare(const void *a, const void *b)
{
	size_t	x = *(const size_t *)a, y = *(const size_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * order_sets - put the files of each rotated set in one directory
 * oldest first, in the places the set's files hold; everything else
 * keeps its place.  Sorting by (directory, set, age) gathers each set;
 * its sorted places are then handed out in age order.
 */
static void
order_sets(struct entry_list *list)
{
	struct entry **p, *out;
	size_t	*places, i, j, k;

	if (list->n < 2)
		return;
	p = xreallocarray(NULL, list->n, sizeof(*p));
	places = xreallocarray(NULL, list->n, sizeof(*places));
	out = xreallocarray(NULL, list->n, sizeof(*out));
	for (i = 0; i < list->n; i++)
		p[i] = &list->v[i];
	qsort(p, list->n, sizeof(*p), group_compare);
	for (i = 0; i < list->n; i = j) {
		for (j = i + 1; j < list->n && strcmp(p[j]->dir, p[i]->dir)
		    == 0 && strcmp(p[j]->base, p[i]->base) == 0; j++)
			continue;
		for (k = i; k < j; k++)
			places[k - i] = p[k]->pos;
		qsort(places, j - i, sizeof(*places), size_compare);
		for (k = i; k < j; k++) {
			out[places[k - i]] = *p[k];
			out[places[k - i]].pos = places[k - i];
		}
	}
	free(p);
	free(places);
	free(list->v);
	list->v = out;
	list->cap = list->n;
}

/* has_set - whether list holds a file of set base in directory dir */
static bool
has_set(const struct entry_list *list, const char *dir, const char *base)
{
	size_t	i;

	for (i = 0; i < list->n; i++)
		if (strcmp(list->v[i].base, base) == 0 &&
		    strcmp(list->v[i].dir, dir) == 0)
			return true;
	return false;
}

/* is_shadowed - whether e repeats the lines of a set list also holds */
static bool
is_shadowed(const struct entry_list *list, const struct entry *e)
{
	size_t	i;

	for (i = 0; i < sizeof(shadowed_sets) / sizeof(shadowed_sets[0]);
	    i++)
		if (strcmp(e->base, shadowed_sets[i].copy) == 0 &&
		    has_set(list, e->dir, shadowed_sets[i].log))
			return true;
	return false;
}

/*
 * drop_shadowed - move the files that repeat the lines of a set the
 * list also holds, in the same directory, to *skipped (in list order)
 */
static void
drop_shadowed(struct entry_list *list, char ***skipped, size_t *nskipped)
{
	size_t	i, n;
	bool	*drop;

	*skipped = NULL;
	*nskipped = 0;
	drop = xcalloc(list->n + 1, sizeof(*drop));
	for (i = 0; i < list->n; i++)
		drop[i] = is_shadowed(list, &list->v[i]);
	for (i = 0; i < list->n; i++)
		if (drop[i])
			(*nskipped)++;
	*skipped = xreallocarray(NULL, *nskipped + 1, sizeof(**skipped));
	for (i = n = 0; i < list->n; i++)
		if (drop[i]) {
			(*skipped)[n++] = list->v[i].path;
			list->v[i].path = NULL;
			entry_clear(&list->v[i]);
		}
	(*skipped)[n] = NULL;
	for (i = n = 0; i < list->n; i++)
		if (!drop[i]) {
			list->v[n] = list->v[i];
			list->v[n].pos = n;
			n++;
		}
	list->n = n;
	free(drop);
}

bool
inputs_expand(char *const *args, size_t count, char ***out,
    size_t *out_count, char ***skipped, size_t *skipped_count, char *err,
    size_t errlen)
{
	struct entry_list list = { NULL, 0, 0 };
	char	**result;
	size_t	  i;

	*out = NULL;
	*out_count = 0;
	*skipped = NULL;
	*skipped_count = 0;
	for (i = 0; i < count; i++)
		if (!expand_arg(&list, args[i], err, errlen))
			goto fail;
	drop_duplicates(&list);
	drop_shadowed(&list, skipped, skipped_count);
	order_sets(&list);
	result = xreallocarray(NULL, list.n + 1, sizeof(*result));
	for (i = 0; i < list.n; i++) {
		result[i] = list.v[i].path;
		free(list.v[i].dir);
		free(list.v[i].base);
	}
	result[list.n] = NULL;
	free(list.v);
	*out = result;
	*out_count = list.n;
	return true;
fail:
	for (i = 0; i < list.n; i++)
		entry_clear(&list.v[i]);
	free(list.v);
	return false;
}

/* set_key - a file's rotated set, "directory as written" NUL "set
   name"; NULL for standard input */
static char *
set_key(const char *path, size_t *len)
{
	const char	*slash = strrchr(path, '/'), *name;
	struct age	 age;
	size_t		 dirlen, baselen;
	char		*key;

	if (strcmp(path, "-") == 0)
		return NULL;
	name = slash != NULL ? slash + 1 : path;
	dirlen = slash == NULL ? 0 : slash == path ? 1 :
	    (size_t)(slash - path);
	baselen = rotation_split(name, &age);
	*len = dirlen + 1 + baselen;
	key = xmalloc(*len + 1);
	memcpy(key, path, dirlen);
	key[dirlen] = '\0';
	memcpy(key + dirlen + 1, name, baselen);
	key[*len] = '\0';
	return key;
}

void
inputs_sets(char *const *files, size_t count, size_t *sets)
{
	struct strmap	*seen = strmap_new(NULL);
	void		**slot;
	size_t		 i, len;
	char		*key;
	bool		 created;

	for (i = 0; i < count; i++) {
		sets[i] = i;
		if ((key = set_key(files[i], &len)) == NULL)
			continue;
		slot = strmap_slot(seen, key, len, &created);
		if (created)
			*slot = (void *)(uintptr_t)(i + 1);
		else
			sets[i] = (size_t)(uintptr_t)*slot - 1;
		free(key);
	}
	strmap_free(seen);
}

void
inputs_free(char **list, size_t count)
{
	size_t	i;

	if (list == NULL)
		return;
	for (i = 0; i < count; i++)
		free(list[i]);
	free(list);
}
