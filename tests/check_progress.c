/*
 * check_progress - unit tests for util/progress: the meter's text
 * (units, share, speed, time left, unknown total, clipping) and a
 * meter thread that draws on a stream and clears its line when stopped.
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/progress.h"
#include "tests/testutil.h"

struct format_case {
	uint64_t	 bytes, total, lines;
	double		 elapsed;
	const char	*text;
};

static const struct format_case format_cases[] = {
	{ 0, 0, 0, 0, "zombiescan: 0 B, 0 lines" },
	{ 512, 0, 7, 0, "zombiescan: 512 B, 7 lines" },
	{ 1536, 0, 999, 1, "zombiescan: 1.5 KiB, 999 lines, 1.5 KiB/s" },
	{ 1048576, 4194304, 45600, 2,
	    "zombiescan: 1.0 MiB of 4.0 MiB (25%), 45.6k lines, "
	    "512.0 KiB/s, 0:06 left" },
	{ 3221225472ULL, 10737418240ULL, 12300000, 30,
	    "zombiescan: 3.0 GiB of 10.0 GiB (30%), 12.3M lines, "
	    "102.4 MiB/s, 1:10 left" },
	/* an hour and more left */
	{ 1048576, 1048576ULL * 5000, 1000, 1,
	    "zombiescan: 1.0 MiB of 4.9 GiB (0%), 1.0k lines, 1.0 MiB/s, "
	    "1:23:19 left" },
	/* a file that grew: done, no time left */
	{ 2048, 1024, 10, 1,
	    "zombiescan: 2.0 KiB of 1.0 KiB (100%), 10 lines, 2.0 KiB/s" },
	{ 1024, 1024, 1500000000ULL, 1,
	    "zombiescan: 1.0 KiB of 1.0 KiB (100%), 1.5G lines, 1.0 KiB/s" },
	/* no time yet: no speed, no estimate */
	{ 1024, 4096, 1, 0, "zombiescan: 1.0 KiB of 4.0 KiB (25%), 1 lines" },
};

START_TEST(test_format)
{
	const struct format_case *c = &format_cases[_i];
	char	buf[160];

	progress_format(buf, sizeof(buf), c->bytes, c->total, c->lines,
	    c->elapsed);
	ck_assert_str_eq(buf, c->text);
}
END_TEST

/* A short buffer gets a clipped, terminated text. */
START_TEST(test_format_clipped)
{
	char	buf[16];

	memset(buf, 'x', sizeof(buf));
	progress_format(buf, sizeof(buf), 1048576, 4194304, 45600, 2);
	ck_assert_uint_eq(strlen(buf), sizeof(buf) - 1);
	ck_assert_str_eq(buf, "zombiescan: 1.0");
}
END_TEST

/* file_text - the whole of a stream so far, as a string (caller frees) */
static char *
file_text(FILE *fp)
{
	long	 len;
	char	*text;

	fflush(fp);
	len = ftell(fp);
	text = calloc(1, (size_t)len + 1);
	ck_assert_ptr_nonnull(text);
	rewind(fp);
	ck_assert_uint_eq(fread(text, 1, (size_t)len, fp), (size_t)len);
	fseek(fp, 0, SEEK_END);
	return text;
}

/* The thread draws the counters, and stopping clears the line. */
START_TEST(test_meter_draws_and_clears)
{
	struct progress_counters c;
	struct progress	*p;
	struct timespec	 pause = { 0, 20 * 1000000L };
	FILE		*fp = tmpfile();
	char		*text;
	int		 i;

	ck_assert_ptr_nonnull(fp);
	progress_counters_init(&c);
	atomic_store(&c.total_bytes, 4096);
	atomic_store(&c.bytes_read, 1024);
	atomic_store(&c.lines_read, 12);
	p = progress_start(fp, &c, 50);
	ck_assert_ptr_nonnull(p);
	/* Wait for the first drawing, however slow the machine. */
	for (i = 0; i < 3000; i++) {
		long	pos;

		flockfile(fp);
		pos = ftell(fp);
		funlockfile(fp);
		if (pos > 0)
			break;
		nanosleep(&pause, NULL);
	}
	progress_stop(p);
	text = file_text(fp);
	ck_assert_msg(strncmp(text, "\rzombiescan: 1.0 KiB of 4.0 KiB (25%), "
	    "12 lines", 47) == 0, "drawn: %s", text + 1);
	ck_assert_msg(strlen(text) > 4 &&
	    strcmp(text + strlen(text) - 4, "\r\033[K") == 0,
	    "the line is not cleared at the end");
	free(text);
	fclose(fp);
}
END_TEST

/* Stopped before it ever drew: nothing at all is written. */
START_TEST(test_meter_silent_when_stopped_at_once)
{
	struct progress_counters c;
	struct progress	*p;
	FILE		*fp = tmpfile();

	ck_assert_ptr_nonnull(fp);
	progress_counters_init(&c);
	/* An interval far longer than the test: it cannot draw. */
	p = progress_start(fp, &c, 3600 * 1000);
	ck_assert_ptr_nonnull(p);
	progress_stop(p);
	fflush(fp);
	ck_assert_int_eq(ftell(fp), 0);
	fclose(fp);
	progress_stop(NULL);
}
END_TEST

static Suite *
progress_suite(void)
{
	Suite	*s = suite_create("progress");
	TCase	*tc = tcase_create("core");

	tcase_add_loop_test(tc, test_format, 0,
	    sizeof(format_cases) / sizeof(format_cases[0]));
	tcase_add_test(tc, test_format_clipped);
	tcase_add_test(tc, test_meter_draws_and_clears);
	tcase_add_test(tc, test_meter_silent_when_stopped_at_once);
	tcase_set_timeout(tc, 120);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return run_suite(progress_suite());
}
