/*
 * check_inputs - tests for cmd/inputs.c: directories and per-relay
 * subdirectories, the oldest-first order of rotated sets, globs,
 * explicit arguments, duplicates, skipped names and pass-through.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <check.h>

#include "cmd/inputs.h"
#include "util/xalloc.h"
#include "tests/testutil.h"

#define MAX_ARGS	32

static char	tmpdir[64];

/* make_file - create tmpdir/rel (a few bytes) */
static void
make_file(const char *rel)
{
	char	 path[512];
	FILE	*f;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, rel);
	f = fopen(path, "w");
	ck_assert_msg(f != NULL, "cannot create %s", path);
	fputs("x\n", f);
	fclose(f);
}

/* make_dir - create tmpdir/rel */
static void
make_dir(const char *rel)
{
	char	path[512];

	snprintf(path, sizeof(path), "%s/%s", tmpdir, rel);
	ck_assert_int_eq(mkdir(path, 0700), 0);
}

/* setup - a fresh temporary tree, the working directory in it */
static void
setup(void)
{
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/check_inputs.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
	ck_assert_int_eq(chdir(tmpdir), 0);
}

/* teardown - remove the tree */
static void
teardown(void)
{
	char	cmd[128];

	ck_assert_int_eq(chdir("/"), 0);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	ck_assert_int_eq(system(cmd), 0);
}

/*
 * expect - expand the NULL-terminated arguments (relative to tmpdir)
 * and check the result against want, NULL-terminated.
 */
static void
expect(const char *const *args, const char *const *want)
{
	char	*argv[MAX_ARGS], **out, **skipped, err[256];
	size_t	 argc = 0, n = 0, i, nskipped;

	while (args[argc] != NULL) {
		ck_assert_uint_lt(argc, MAX_ARGS);
		argv[argc] = (char *)args[argc];
		argc++;
	}
	err[0] = '\0';
	ck_assert_msg(inputs_expand(argv, argc, &out, &n, &skipped,
	    &nskipped, err, sizeof(err)), "expansion failed: %s", err);
	inputs_free(skipped, nskipped);
	for (i = 0; want[i] != NULL; i++) {
		ck_assert_msg(i < n, "only %zu files, expected %s next", n,
		    want[i]);
		ck_assert_str_eq(out[i], want[i]);
	}
	ck_assert_uint_eq(n, i);
	ck_assert_ptr_null(out[n]);
	inputs_free(out, n);
}

/* expect_error - the expansion of args fails with message want */
static void
expect_error(const char *const *args, const char *want)
{
	char	*argv[MAX_ARGS], **out, **skipped, err[256];
	size_t	 argc = 0, n = 99, nskipped = 99;

	while (args[argc] != NULL) {
		argv[argc] = (char *)args[argc];
		argc++;
	}
	err[0] = '\0';
	ck_assert(!inputs_expand(argv, argc, &out, &n, &skipped, &nskipped,
	    err, sizeof(err)));
	ck_assert_ptr_null(out);
	ck_assert_uint_eq(n, 0);
	ck_assert_ptr_null(skipped);
	ck_assert_uint_eq(nskipped, 0);
	ck_assert_str_eq(err, want);
}

START_TEST(test_rotated_directory)
{
	/* Created out of order so readdir's order tells nothing. */
	static const char *const names[] = {
		"mail.log", "mail.log.10.gz", "mail.log-20261125.gz",
		"mail.log.1", "mail.log-20261124.gz", "mail.log.2.gz",
	};
	static const char *const args[] = { "logs", NULL };
	static const char *const want[] = {
		"logs/mail.log-20261124.gz", "logs/mail.log-20261125.gz",
		"logs/mail.log.10.gz", "logs/mail.log.2.gz",
		"logs/mail.log.1", "logs/mail.log", NULL
	};
	char	name[64];
	size_t	i;

	make_dir("logs");
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(name, sizeof(name), "logs/%s", names[i]);
		make_file(name);
	}
	expect(args, want);
}
END_TEST

START_TEST(test_other_compression)
{
	/* Files compressed by another compresscmd are in their set (the
	   reader refuses them by content, with a message). */
	static const char *const names[] = {
		"mail.log", "mail.log.3.xz", "mail.log.2.zst",
		"mail.log-20261124.bz2", "mail.log.1",
	};
	static const char *const args[] = { "logs", NULL };
	static const char *const want[] = {
		"logs/mail.log-20261124.bz2", "logs/mail.log.3.xz",
		"logs/mail.log.2.zst", "logs/mail.log.1", "logs/mail.log",
		NULL
	};
	char	name[64];
	size_t	i;

	make_dir("logs");
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(name, sizeof(name), "logs/%s", names[i]);
		make_file(name);
	}
	expect(args, want);
}
END_TEST

START_TEST(test_trailing_slash)
{
	static const char *const args[] = { "logs/", NULL };
	static const char *const want[] = {
		"logs/maillog.1", "logs/maillog", NULL
	};

	make_dir("logs");
	make_file("logs/maillog");
	make_file("logs/maillog.1");
	expect(args, want);
}
END_TEST

START_TEST(test_exim_and_skipped)
{
	static const char *const args[] = { "exim", NULL };
	static const char *const want[] = {
		"exim/mainlog.2.gz", "exim/mainlog.1.gz",
		"exim/mainlog", NULL
	};

	make_dir("exim");
	make_file("exim/mainlog");
	make_file("exim/mainlog.1.gz");
	make_file("exim/mainlog.2.gz");
	make_file("exim/rejectlog");
	make_file("exim/rejectlog.1.gz");
	make_file("exim/paniclog");
	make_file("exim/.mainlog.swp");
	make_file("exim/README");
	make_file("exim/mail.err.1.gz");
	make_file("exim/syslog.2.gz");
	make_dir("exim/.hidden");
	make_file("exim/.hidden/mainlog");
	expect(args, want);
}
END_TEST

/*
 * expect_skipped - expand args; the files read are want, those left
 * out as repeating a named log are want_skipped (both NULL-terminated)
 */
static void
expect_skipped(const char *const *args, const char *const *want,
    const char *const *want_skipped)
{
	char	*argv[MAX_ARGS], **out, **skipped, err[256];
	size_t	 argc = 0, n = 0, nskipped = 0, i;

	while (args[argc] != NULL) {
		argv[argc] = (char *)args[argc];
		argc++;
	}
	ck_assert_msg(inputs_expand(argv, argc, &out, &n, &skipped,
	    &nskipped, err, sizeof(err)), "expansion failed: %s", err);
	for (i = 0; want[i] != NULL; i++) {
		ck_assert_uint_lt(i, n);
		ck_assert_str_eq(out[i], want[i]);
	}
	ck_assert_uint_eq(n, i);
	for (i = 0; want_skipped[i] != NULL; i++) {
		ck_assert_uint_lt(i, nskipped);
		ck_assert_str_eq(skipped[i], want_skipped[i]);
	}
	ck_assert_uint_eq(nskipped, i);
	ck_assert_ptr_null(skipped[nskipped]);
	inputs_free(out, n);
	inputs_free(skipped, nskipped);
}

/* Named beside the log whose lines they repeat (a shell's mail.*),
   Debian's per-severity copies, syslog and Exim's rejectlog are left
   out; named alone, or beside another directory's log, they are read. */
START_TEST(test_shadowed_named)
{
	static const char *const star[] = {
		"deb/mail.err", "deb/mail.info", "deb/mail.log",
		"deb/mail.log.1", "deb/mail.warn.1.gz", "deb/syslog", NULL
	};
	static const char *const star_read[] = {
		"deb/mail.log.1", "deb/mail.log", NULL
	};
	static const char *const star_skipped[] = {
		"deb/mail.err", "deb/mail.info", "deb/mail.warn.1.gz",
		"deb/syslog", NULL
	};
	static const char *const glob[] = { "deb/mail.*", NULL };
	static const char *const glob_skipped[] = {
		"deb/mail.err", "deb/mail.info", "deb/mail.warn.1.gz", NULL
	};
	static const char *const alone[] = { "deb/mail.info", NULL };
	static const char *const other_dir[] = {
		"deb/syslog", "exim/mainlog", NULL
	};
	static const char *const exim[] = {
		"exim/mainlog", "exim/paniclog", "exim/rejectlog", NULL
	};
	static const char *const exim_read[] = { "exim/mainlog", NULL };
	static const char *const exim_skipped[] = {
		"exim/paniclog", "exim/rejectlog", NULL
	};
	static const char *const none[] = { NULL };

	make_dir("deb");
	make_file("deb/mail.err");
	make_file("deb/mail.info");
	make_file("deb/mail.log");
	make_file("deb/mail.log.1");
	make_file("deb/mail.warn.1.gz");
	make_file("deb/syslog");
	make_dir("exim");
	make_file("exim/mainlog");
	make_file("exim/paniclog");
	make_file("exim/rejectlog");
	expect_skipped(star, star_read, star_skipped);
	expect_skipped(glob, star_read, glob_skipped);
	expect_skipped(alone, alone, none);
	expect_skipped(other_dir, other_dir, none);
	expect_skipped(exim, exim_read, exim_skipped);
}
END_TEST

START_TEST(test_equal_numbers)
{
	/* mainlog.01 and mainlog.1 are the same age: by name. */
	static const char *const args[] = { "x", NULL };
	static const char *const want[] = {
		"x/mainlog.01", "x/mainlog.1", NULL
	};

	make_dir("x");
	make_file("x/mainlog.1");
	make_file("x/mainlog.01");
	expect(args, want);
}
END_TEST

START_TEST(test_relay_subdirectories)
{
	static const char *const args[] = { "logs", NULL };
	static const char *const want[] = {
		"logs/top.log",
		"logs/relay1.isp.example/mail.log.1",
		"logs/relay1.isp.example/mail.log",
		"logs/relay2.isp.example/mail.log-20261125.gz",
		"logs/relay2.isp.example/mail.log", NULL
	};

	make_dir("logs");
	make_dir("logs/relay2.isp.example");
	make_dir("logs/relay1.isp.example");
	make_dir("logs/relay1.isp.example/old");	/* two levels: not read */
	make_file("logs/relay1.isp.example/old/mail.log.9");
	make_file("logs/relay2.isp.example/mail.log");
	make_file("logs/relay2.isp.example/mail.log-20261125.gz");
	make_file("logs/relay1.isp.example/mail.log");
	make_file("logs/relay1.isp.example/mail.log.1");
	make_file("logs/top.log");
	expect(args, want);
}
END_TEST

START_TEST(test_sets_by_name)
{
	static const char *const args[] = { "d", NULL };
	static const char *const want[] = {
		"d/a.log.gz", "d/b-mail.log-20261126.gz", "d/b-mail.log.gz",
		"d/maillog.2", "d/maillog", "d/x.gz", NULL
	};

	make_dir("d");
	make_file("d/x.gz");
	make_file("d/maillog");
	make_file("d/maillog.2");
	make_file("d/b-mail.log.gz");
	make_file("d/b-mail.log-20261126.gz");
	make_file("d/a.log.gz");
	expect(args, want);
}
END_TEST

START_TEST(test_glob)
{
	static const char *const args[] = { "logs/mail.log*", NULL };
	static const char *const want[] = {
		"logs/mail.log.2.gz", "logs/mail.log.1", "logs/mail.log", NULL
	};
	static const char *const dirs[] = { "r*", NULL };
	static const char *const dirs_want[] = {
		"r1/maillog", "r2/maillog", NULL
	};
	static const char *const none[] = { "logs/*.nothing", NULL };

	make_dir("logs");
	make_file("logs/mail.log");
	make_file("logs/mail.log.1");
	make_file("logs/mail.log.2.gz");
	make_dir("r1");
	make_dir("r2");
	make_file("r1/maillog");
	make_file("r2/maillog");
	expect(args, want);
	expect(dirs, dirs_want);
	expect_error(none, "logs/*.nothing: no files match");
}
END_TEST

START_TEST(test_literal_glob_characters)
{
	/* A file that exists is itself, even with [ in its name. */
	static const char *const args[] = { "a[1].log", NULL };
	static const char *const want[] = { "a[1].log", NULL };

	make_file("a[1].log");
	expect(args, want);
}
END_TEST

START_TEST(test_explicit_one_set)
{
	/* The shell's order, as in zombiescan /var/log/mail.log*. */
	static const char *const args[] = {
		"mail.log", "mail.log.1", "mail.log.2.gz", NULL
	};
	static const char *const want[] = {
		"mail.log.2.gz", "mail.log.1", "mail.log", NULL
	};

	make_file("mail.log");
	make_file("mail.log.1");
	make_file("mail.log.2.gz");
	expect(args, want);
}
END_TEST

START_TEST(test_explicit_interleaved)
{
	/* Each set's places are kept; only its members change places. */
	static const char *const args[] = {
		"a.log", "mail.log", "b.log", "mail.log-20261125",
		"r/mail.log", "r/mail.log.1", NULL
	};
	static const char *const want[] = {
		"a.log", "mail.log-20261125", "b.log", "mail.log",
		"r/mail.log.1", "r/mail.log", NULL
	};

	make_file("a.log");
	make_file("b.log");
	make_file("mail.log");
	make_file("mail.log-20261125");
	make_dir("r");
	make_file("r/mail.log");
	make_file("r/mail.log.1");
	expect(args, want);
}
END_TEST

START_TEST(test_explicit_other_sets_keep_order)
{
	/* Different sets, and one set in two directories: as given. */
	static const char *const args[] = {
		"z.log", "mail.log", "a.log", "r/mail.log.1", NULL
	};
	static const char *const want[] = {
		"z.log", "mail.log", "a.log", "r/mail.log.1", NULL
	};

	make_file("z.log");
	make_file("a.log");
	make_file("mail.log");
	make_dir("r");
	make_file("r/mail.log.1");
	expect(args, want);
}
END_TEST

START_TEST(test_duplicates)
{
	static const char *const args[] = {
		"logs/mail.log", "logs", "./logs/mail.log", "link.log",
		"logs/mail.log.1", NULL
	};
	static const char *const want[] = {
		"logs/mail.log.1", "logs/mail.log", NULL
	};

	make_dir("logs");
	make_file("logs/mail.log");
	make_file("logs/mail.log.1");
	ck_assert_int_eq(symlink("logs/mail.log", "link.log"), 0);
	/*
	 * logs/mail.log first, then logs/ adds logs/mail.log.1 after
	 * it; the set is then put oldest first in those two places.
	 */
	expect(args, want);
}
END_TEST

START_TEST(test_pass_through)
{
	static const char *const args[] = {
		"-", "missing.log", "mail.log", "-", "no/such/dir/x", NULL
	};
	static const char *const want[] = {
		"-", "missing.log", "mail.log", "-", "no/such/dir/x", NULL
	};

	make_file("mail.log");
	expect(args, want);
}
END_TEST

START_TEST(test_missing_in_set)
{
	/* A missing file of a set still takes its age place. */
	static const char *const args[] = { "mail.log", "mail.log.1", NULL };
	static const char *const want[] = { "mail.log.1", "mail.log", NULL };

	make_file("mail.log");
	expect(args, want);
}
END_TEST

START_TEST(test_empty_directory)
{
	static const char *const args[] = { "a.log", "empty", NULL };

	make_file("a.log");
	make_dir("empty");
	make_file("empty/notes.txt");
	expect_error(args, "empty: no mail logs in this directory");
}
END_TEST

START_TEST(test_no_args)
{
	char	**out, **skipped, err[64];
	size_t	  n = 7, nskipped = 7;

	ck_assert(inputs_expand(NULL, 0, &out, &n, &skipped, &nskipped, err,
	    sizeof(err)));
	ck_assert_uint_eq(n, 0);
	ck_assert_ptr_nonnull(out);
	ck_assert_ptr_null(out[0]);
	ck_assert_uint_eq(nskipped, 0);
	ck_assert_ptr_nonnull(skipped);
	ck_assert_ptr_null(skipped[0]);
	inputs_free(out, n);
	inputs_free(skipped, nskipped);
	inputs_free(NULL, 0);
}
END_TEST

/* A file's set is the first file of its rotated set in one directory
   as written; standard input is a set of its own. */
START_TEST(test_sets)
{
	static const char *const names[] = {
		"r1/mail.log.2.gz", "r1/mail.log.1", "r2/mail.log.1", "-",
		"r1/mail.log", "mail.log", "r2/mail.log", "-", "r1/mainlog",
		"/mail.log-20261125.gz", "/mail.log"
	};
	enum { N = sizeof(names) / sizeof(names[0]) };
	const size_t want[N] = { 0, 0, 2, 3, 0, 5, 2, 7, 8, 9, 9 };
	char	*files[N];
	size_t	 sets[N], i;

	for (i = 0; i < N; i++)
		files[i] = (char *)names[i];
	inputs_sets(files, N, sets);
	for (i = 0; i < N; i++)
		ck_assert_msg(sets[i] == want[i], "%s: %zu, not %zu",
		    files[i], sets[i], want[i]);
}
END_TEST

/* inputs_suite - every test above */
/*
 * test_unreadable_directory - a relay directory that cannot be listed
 * is passed through, for the pipeline to report as unreadable, and the
 * others are still expanded.  Permissions do not stop root, so the
 * expansion runs in a child that gives root's rights up first.
 */
START_TEST(test_unreadable_directory)
{
	char	*argv[] = { (char *)"logs", NULL }, **out, **skipped;
	char	 err[256];
	size_t	 n = 0, nskipped = 0;
	pid_t	 pid;
	int	 status, code;

	make_dir("logs");
	make_dir("logs/relay1");
	make_dir("logs/relay2");
	make_file("logs/relay1/mail.log");
	make_file("logs/relay2/mail.log");
	ck_assert_int_eq(chmod(tmpdir, 0755), 0);
	ck_assert_int_eq(chmod("logs", 0755), 0);
	ck_assert_int_eq(chmod("logs/relay1", 0755), 0);
	ck_assert_int_eq(chmod("logs/relay2", 0), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		if (geteuid() == 0 && (setgid(65534) != 0 ||
		    setuid(65534) != 0))
			_exit(10);
		if (!inputs_expand(argv, 1, &out, &n, &skipped, &nskipped,
		    err, sizeof(err)))
			_exit(11);
		inputs_free(skipped, nskipped);
		code = n != 2 ? 12 :
		    strcmp(out[0], "logs/relay1/mail.log") != 0 ? 13 :
		    strcmp(out[1], "logs/relay2") != 0 ? 14 : 0;
		inputs_free(out, n);
		_exit(code);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_int_eq(chmod("logs/relay2", 0700), 0);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	    "child failed with status %d", status);
}
END_TEST

static Suite *
inputs_suite(void)
{
	Suite	*s = suite_create("inputs");
	TCase	*tc = tcase_create("expand");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_rotated_directory);
	tcase_add_test(tc, test_other_compression);
	tcase_add_test(tc, test_trailing_slash);
	tcase_add_test(tc, test_exim_and_skipped);
	tcase_add_test(tc, test_equal_numbers);
	tcase_add_test(tc, test_shadowed_named);
	tcase_add_test(tc, test_relay_subdirectories);
	tcase_add_test(tc, test_sets_by_name);
	tcase_add_test(tc, test_glob);
	tcase_add_test(tc, test_literal_glob_characters);
	tcase_add_test(tc, test_explicit_one_set);
	tcase_add_test(tc, test_explicit_interleaved);
	tcase_add_test(tc, test_explicit_other_sets_keep_order);
	tcase_add_test(tc, test_duplicates);
	tcase_add_test(tc, test_pass_through);
	tcase_add_test(tc, test_missing_in_set);
	tcase_add_test(tc, test_empty_directory);
	tcase_add_test(tc, test_unreadable_directory);
	tcase_add_test(tc, test_no_args);
	tcase_add_test(tc, test_sets);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return run_suite(inputs_suite());
}
