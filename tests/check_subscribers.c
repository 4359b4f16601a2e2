/*
 * check_subscribers - unit tests for analysis/subscribers: the CSV
 * (header, comments, quoting, CRLF), login and address matching,
 * leases chosen by activity time, most specific prefixes, bad rows
 * counted with line numbers and reasons, and loading a file.
 */
#include "config.h"

#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analysis/subscribers.h"
#include "tests/testutil.h"

/* 2026-11-25T00:00:00Z and hours after it */
#define DAY	INT64_C(1795564800)
#define HOUR	INT64_C(3600)

/* table - a table from lines of text (one per array entry) */
static struct subscribers *
table(const char *const *lines, size_t n)
{
	struct subscribers *s = subscribers_new();
	size_t	i;

	for (i = 0; i < n; i++)
		subscribers_add_line(s, lines[i], strlen(lines[i]));
	return s;
}

#define TABLE(a)	table((a), sizeof(a) / sizeof((a)[0]))

static const char *const sample[] = {
	"subscriber_id,kind,key,valid_from,valid_until",
	"# static assignments",
	"C-1001,login,Alice@ISP.example,,",
	"",
	"C-1001,ip,198.51.100.23,,",
	"C-3003,ip,198.51.100.0/24,,",
	"\"C-2002, Bob\",login,bob@isp.example,,\r",
	"C-4004,ip,203.0.113.9,2026-11-25T00:00:00Z,2026-11-25T06:00:00Z",
	"C-5005,ip,203.0.113.9,2026-11-25T06:00:00Z,2026-11-25T18:00:00Z",
	"C-6006,ip,2001:db8:42::/48,1795564800,",
	"C-7007 , login , carol@isp.example , 2026-11-26 , ",
};

START_TEST(test_sample_loads)
{
	struct subscribers *s = TABLE(sample);

	ck_assert_uint_eq(subscribers_count(s), 8);
	ck_assert_uint_eq(subscribers_bad_count(s), 0);
	subscribers_free(s);
}
END_TEST

START_TEST(test_login_case_insensitive)
{
	struct subscribers *s = TABLE(sample);
	struct subscriber_match m[4];

	ck_assert_uint_eq(subscribers_lookup(s, SUBSCRIBER_LOGIN,
	    "alice@isp.example", DAY, DAY + HOUR, m, 4), 1);
	ck_assert_str_eq(m[0].subscriber_id, "C-1001");
	ck_assert_str_eq(m[0].key, "alice@isp.example");
	ck_assert_uint_eq(m[0].line, 3);
	ck_assert(m[0].valid_from_sec == INT64_MIN);
	ck_assert(m[0].valid_until_sec == INT64_MAX);
	/* quoted ID with a comma, CRLF line ending */
	ck_assert_uint_eq(subscribers_lookup(s, SUBSCRIBER_LOGIN,
	    "BOB@isp.example", DAY, DAY, m, 4), 1);
	ck_assert_str_eq(m[0].subscriber_id, "C-2002, Bob");
	ck_assert_uint_eq(subscribers_lookup(s, SUBSCRIBER_LOGIN,
	    "mallory@isp.example", DAY, DAY, m, 4), 0);
	/* a login key never matches an address account */
	ck_assert_uint_eq(subscribers_lookup(s, SUBSCRIBER_IP,
	    "alice@isp.example", DAY, DAY, m, 4), 0);
	subscribers_free(s);
}
END_TEST

START_TEST(test_login_valid_from_local_date)
{
	struct subscribers *s = TABLE(sample);
	struct subscriber_match m[2];

	/* carol's row holds from 2026-11-26 (TZ=UTC in the tests) */
	ck_assert_uint_eq(subscribers_lookup(s, SUBSCRIBER_LOGIN,
	    "carol@isp.example", DAY, DAY + HOUR, m, 2), 0);
	ck_assert_uint_eq(subscribers_lookup(s, SUBSCRIBER_LOGIN,
	    "carol@isp.example", DAY, DAY + 25 * HOUR, m, 2), 1);
	ck_assert_str_eq(m[0].subscriber_id, "C-7007");
	ck_assert(m[0].valid_from_sec == DAY + 24 * HOUR);
	ck_assert(m[0].overlap_sec == HOUR + 1);
	subscribers_free(s);
}
END_TEST

START_TEST(test_most_specific_prefix)
{
	struct subscribers *s = TABLE(sample);
	struct subscriber_match m[4];

	ck_assert_uint_eq(subscribers_lookup(s, SUBSCRIBER_IP,
	    "198.51.100.23", DAY, DAY, m, 4), 2);
	ck_assert_str_eq(m[0].subscriber_id, "C-1001");
	ck_assert_str_eq(m[0].key, "198.51.100.23/32");
	ck_assert_uint_eq(m[0].prefix_len, 32);
	ck_assert_str_eq(m[1].subscriber_id, "C-3003");
	ck_assert_str_eq(m[1].key, "198.51.100.0/24");
	ck_assert_uint_eq(subscribers_lookup(s, SUBSCRIBER_IP,
	    "198.51.100.99", DAY, DAY, m, 4), 1);
	ck_assert_str_eq(m[0].subscriber_id, "C-3003");
	/* IPv4-mapped form as some servers log it */
	ck_assert_uint_eq(subscribers_lookup(s, SUBSCRIBER_IP,
	    "::ffff:198.51.100.99", DAY, DAY, m, 4), 1);
	ck_assert_uint_eq(subscribers_lookup(s, SUBSCRIBER_IP,
	    "198.51.101.1", DAY, DAY, m, 4), 0);
	ck_assert_uint_eq(subscribers_lookup(s, SUBSCRIBER_IP,
	    "not-an-address", DAY, DAY, m, 4), 0);
	subscribers_free(s);
}
END_TEST

START_TEST(test_lease_by_activity_time)
{
	struct subscribers *s = TABLE(sample);
	struct subscriber_match m[4];

	/* active 01:00-02:00: only the first lease */
	ck_assert_uint_eq(subscribers_lookup(s, SUBSCRIBER_IP, "203.0.113.9",
	    DAY + HOUR, DAY + 2 * HOUR, m, 4), 1);
	ck_assert_str_eq(m[0].subscriber_id, "C-4004");
	/* active 10:00: only the second */
	ck_assert_uint_eq(subscribers_lookup(s, SUBSCRIBER_IP, "203.0.113.9",
	    DAY + 10 * HOUR, DAY + 10 * HOUR, m, 4), 1);
	ck_assert_str_eq(m[0].subscriber_id, "C-5005");
	/* the end is exclusive: 06:00:00 belongs to the second */
	ck_assert_uint_eq(subscribers_lookup(s, SUBSCRIBER_IP, "203.0.113.9",
	    DAY + 6 * HOUR, DAY + 6 * HOUR, m, 4), 1);
	ck_assert_str_eq(m[0].subscriber_id, "C-5005");
	/* 05:00-09:00 straddles both: the longer overlap (3 h) wins */
	ck_assert_uint_eq(subscribers_lookup(s, SUBSCRIBER_IP, "203.0.113.9",
	    DAY + 5 * HOUR, DAY + 9 * HOUR, m, 4), 2);
	ck_assert_str_eq(m[0].subscriber_id, "C-5005");
	ck_assert(m[0].overlap_sec == 3 * HOUR + 1);
	ck_assert_str_eq(m[1].subscriber_id, "C-4004");
	ck_assert(m[1].overlap_sec == HOUR);
	/* max limits what is copied, not the count */
	ck_assert_uint_eq(subscribers_lookup(s, SUBSCRIBER_IP, "203.0.113.9",
	    DAY + 5 * HOUR, DAY + 9 * HOUR, m, 1), 2);
	ck_assert_str_eq(m[0].subscriber_id, "C-5005");
	/* outside both leases: no one */
	ck_assert_uint_eq(subscribers_lookup(s, SUBSCRIBER_IP, "203.0.113.9",
	    DAY + 20 * HOUR, DAY + 21 * HOUR, m, 4), 0);
	/* unknown activity time: every lease, earliest first */
	ck_assert_uint_eq(subscribers_lookup(s, SUBSCRIBER_IP, "203.0.113.9",
	    INT64_MAX, INT64_MIN, m, 4), 2);
	ck_assert_str_eq(m[0].subscriber_id, "C-4004");
	subscribers_free(s);
}
END_TEST

START_TEST(test_ipv6_and_epoch)
{
	struct subscribers *s = TABLE(sample);
	struct subscriber_match m[2];

	ck_assert_uint_eq(subscribers_lookup(s, SUBSCRIBER_IP,
	    "2001:db8:42:7::1", DAY, DAY, m, 2), 1);
	ck_assert_str_eq(m[0].subscriber_id, "C-6006");
	ck_assert_str_eq(m[0].key, "2001:db8:42::/48");
	ck_assert(m[0].valid_from_sec == DAY);
	ck_assert_uint_eq(subscribers_lookup(s, SUBSCRIBER_IP,
	    "2001:db8:42:7::1", DAY - HOUR, DAY - 1, m, 2), 0);
	ck_assert_uint_eq(subscribers_lookup(s, SUBSCRIBER_IP,
	    "2001:db8:43::1", DAY, DAY, m, 2), 0);
	subscribers_free(s);
}
END_TEST

struct bad_case {
	const char	*line;
	const char	*why;		/* substring */
};

static const struct bad_case bad_cases[] = {
	{ "C-1,login,alice", "expected 5 fields, found 3" },
	{ "C-1,login,alice,,,", "more than 5 fields" },
	{ ",login,alice,,", "empty subscriber_id" },
	{ "C-1,login,,,", "empty key" },
	{ "C-1,user,alice,,", "kind is neither login nor ip: user" },
	{ "C-1,ip,192.0.2.1/24,,", "host bits set" },
	{ "C-1,ip,999.0.2.1,,", "not an IP address" },
	{ "C-1,ip,192.0.2.1,yesterday,", "valid_from is not a time" },
	{ "C-1,ip,192.0.2.1,,24h", "valid_until is not a time" },
	{ "C-1,ip,192.0.2.1,2026-02-30,", "valid_from is not a time" },
	{ "C-1,ip,192.0.2.1,2026-11-25T06:00Z,2026-11-25T06:00Z",
	    "valid_until is not after valid_from" },
	{ "\"C-1,login,alice,,", "unbalanced quote" },
	{ "\"C-1\"x,login,alice,,", "unbalanced quote" },
};

START_TEST(test_bad_rows)
{
	struct subscribers *s = subscribers_new();
	const char	*why;
	size_t		 i, line, n = sizeof(bad_cases) / sizeof(bad_cases[0]);

	ck_assert(subscribers_add_line(s, "C-0,login,zero,,", 16));
	for (i = 0; i < n; i++)
		ck_assert_msg(!subscribers_add_line(s, bad_cases[i].line,
		    strlen(bad_cases[i].line)), "accepted: %s",
		    bad_cases[i].line);
	/* a header again, as when files are concatenated: not a row */
	ck_assert(subscribers_add_line(s, sample[0], strlen(sample[0])));
	/* and one after a UTF-8 byte order mark, as spreadsheets write */
	ck_assert(subscribers_add_line(s, "\xef\xbb\xbfsubscriber_id,kind,"
	    "key,valid_from,valid_until", 48));
	ck_assert(subscribers_add_line(s, "C-9,login,nine,,", 16));
	ck_assert_uint_eq(subscribers_count(s), 2);
	ck_assert_uint_eq(subscribers_bad_count(s), n);
	for (i = 0; i < SUBSCRIBERS_MAX_BAD && i < n; i++) {
		why = subscribers_bad_row(s, i, &line);
		ck_assert_ptr_nonnull(why);
		ck_assert_uint_eq(line, i + 2);
		ck_assert_msg(strstr(why, bad_cases[i].why) != NULL,
		    "line %zu: '%s', expected '%s'", line, why,
		    bad_cases[i].why);
	}
	ck_assert_ptr_null(subscribers_bad_row(s, SUBSCRIBERS_MAX_BAD, &line));
	subscribers_free(s);
}
END_TEST

/* is_skipped - whether the table skips a line as blank or comment */
static bool
is_skipped(const char *line, size_t len)
{
	size_t	i = 0;

	if (len > 0 && line[len - 1] == '\r')
		len--;
	while (i < len && (line[i] == ' ' || line[i] == '\t'))
		i++;
	return i == len || line[i] == '#';
}

/*
 * Arbitrary bytes never crash, and every line that is not blank or a
 * comment is either a row or a bad row, never lost.
 */
START_TEST(test_garbage)
{
	static const char alphabet[] =
	    "\",ip login 0123456789.:/-TZ#\r\t\x80\xff";
	struct subscribers *s = subscribers_new();
	char		 line[600], *big;
	unsigned	 seed = 12345;
	size_t		 i, j, len, counted = 0;

	for (i = 0; i < 5000; i++) {
		len = (size_t)(seed % sizeof(line));
		for (j = 0; j < len; j++) {
			seed = seed * 1103515245u + 12345u;
			line[j] = alphabet[(seed >> 16) %
			    (sizeof(alphabet) - 1)];
		}
		/* every fifth line is made to look like a row */
		if (i % 5 == 0 && len > 12)
			memcpy(line, "C-1,ip,",  7);
		subscribers_add_line(s, line, len);
		if (!is_skipped(line, len))
			counted++;
		seed = seed * 1103515245u + 12345u;
	}
	big = malloc(10000);
	ck_assert_ptr_nonnull(big);
	memset(big, 'a', 10000);
	ck_assert(!subscribers_add_line(s, big, 10000));
	free(big);
	ck_assert_uint_eq(subscribers_count(s) + subscribers_bad_count(s),
	    counted + 1);
	ck_assert_uint_gt(subscribers_bad_count(s), 0);
	subscribers_free(s);
	subscribers_free(NULL);
}
END_TEST

START_TEST(test_load_file)
{
	char		 path[] = "/tmp/check_subscribers.XXXXXX";
	char		 err[512] = "";
	struct subscribers *s;
	struct subscriber_match m[1];
	const char	*why;
	size_t		 line;
	FILE		*fp;
	int		 fd = mkstemp(path);

	ck_assert_int_ge(fd, 0);
	fp = fdopen(fd, "w");
	fputs("subscriber_id,kind,key,valid_from,valid_until\r\n"
	    "C-1,login,alice,,\r\n"
	    "C-2,ip,192.0.2.0/24,,\n"
	    "broken\n", fp);
	/* A line of 100 000 bytes (the reader holds 4 KB of it), a NUL
	   byte after a row that would be good without what follows. */
	fputs("C-9,login,", fp);
	for (line = 0; line < 100000; line++)
		putc('x', fp);
	fputs(",,\n", fp);
	fwrite("C-8,login,bob,,\0junk\n", 1, 21, fp);
	fputs("C-3,ip,192.0.2.7,,", fp);	/* no final newline */
	fclose(fp);
	s = subscribers_load(path, err, sizeof(err));
	ck_assert_msg(s != NULL, "%s", err);
	ck_assert_uint_eq(subscribers_count(s), 3);
	ck_assert_uint_eq(subscribers_bad_count(s), 3);
	why = subscribers_bad_row(s, 0, &line);
	ck_assert_uint_eq(line, 4);
	ck_assert_str_eq(why, "expected 5 fields, found 1");
	why = subscribers_bad_row(s, 1, &line);
	ck_assert_uint_eq(line, 5);
	ck_assert_str_eq(why, "line too long");
	why = subscribers_bad_row(s, 2, &line);
	ck_assert_uint_eq(line, 6);
	ck_assert_str_eq(why, "NUL byte in line");
	ck_assert_uint_eq(subscribers_lookup(s, SUBSCRIBER_IP, "192.0.2.7",
	    DAY, DAY, m, 1), 2);
	ck_assert_str_eq(m[0].subscriber_id, "C-3");
	subscribers_free(s);
	unlink(path);

	ck_assert_ptr_null(subscribers_load(path, err, sizeof(err)));
	ck_assert_msg(strstr(err, path) != NULL &&
	    strstr(err, "No such file") != NULL, "%s", err);
}
END_TEST

static Suite *
subscribers_suite(void)
{
	Suite	*s = suite_create("subscribers");
	TCase	*tc = tcase_create("core");

	tcase_add_test(tc, test_sample_loads);
	tcase_add_test(tc, test_login_case_insensitive);
	tcase_add_test(tc, test_login_valid_from_local_date);
	tcase_add_test(tc, test_most_specific_prefix);
	tcase_add_test(tc, test_lease_by_activity_time);
	tcase_add_test(tc, test_ipv6_and_epoch);
	tcase_add_test(tc, test_bad_rows);
	tcase_add_test(tc, test_garbage);
	tcase_add_test(tc, test_load_file);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	setenv("TZ", "UTC", 1);
	return run_suite(subscribers_suite());
}
