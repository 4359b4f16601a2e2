/*
 * check_cidr - unit tests for util/cidr: prefix parsing (IPv4, IPv6,
 * /0 and full-length prefixes, host bits, garbage), address parsing
 * for lookups, and most-specific matching in lists.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/cidr.h"
#include "tests/testutil.h"

struct parse_case {
	const char	*text;
	const char	*canonical;	/* NULL: must be rejected */
	const char	*error;		/* substring of the message */
};

static const struct parse_case parse_cases[] = {
	{ "192.0.2.0/24", "192.0.2.0/24", NULL },
	{ "192.0.2.7", "192.0.2.7/32", NULL },
	{ "192.0.2.7/32", "192.0.2.7/32", NULL },
	{ "0.0.0.0/0", "0.0.0.0/0", NULL },
	{ "10.0.0.0/8", "10.0.0.0/8", NULL },
	{ "100.64.0.0/10", "100.64.0.0/10", NULL },
	{ "255.255.255.255/32", "255.255.255.255/32", NULL },
	{ "::/0", "::/0", NULL },
	{ "2001:db8::/32", "2001:db8::/32", NULL },
	{ "2001:DB8:0:0::/32", "2001:db8::/32", NULL },
	{ "2001:db8::1/128", "2001:db8::1/128", NULL },
	{ "2001:db8::1", "2001:db8::1/128", NULL },
	{ "2001:db8:8000::/33", "2001:db8:8000::/33", NULL },
	{ "::ffff:192.0.2.0/120", "192.0.2.0/24", NULL },
	{ "::ffff:192.0.2.1", "192.0.2.1/32", NULL },
	{ "::ffff:0:0/96", "0.0.0.0/0", NULL },
	{ "192.0.2.0/024", "192.0.2.0/24", NULL },
	/* host bits set: rejected, naming the network */
	{ "192.0.2.1/24", NULL,
	    "192.0.2.1/24: host bits set (the network is 192.0.2.0/24)" },
	{ "10.0.0.1/0", NULL, "(the network is 0.0.0.0/0)" },
	{ "192.0.2.128/24", NULL, "host bits set" },
	{ "2001:db8::1/32", NULL, "(the network is 2001:db8::/32)" },
	{ "2001:db8:8000::/32", NULL, "host bits set" },
	{ "::1/0", NULL, "(the network is ::/0)" },
	{ "::ffff:192.0.2.1/120", NULL, "(the network is 192.0.2.0/24)" },
	/* garbage */
	{ "", NULL, "not an IP address or prefix" },
	{ "/24", NULL, "not an IP address or prefix" },
	{ "192.0.2.0/", NULL, "prefix length is not a number" },
	{ "192.0.2.0/33", NULL, "prefix length 33 is over 32" },
	{ "2001:db8::/129", NULL, "prefix length 129 is over 128" },
	{ "192.0.2.0/-1", NULL, "prefix length is not a number" },
	{ "192.0.2.0/+8", NULL, "prefix length is not a number" },
	{ "192.0.2.0/ 24", NULL, "prefix length is not a number" },
	{ "192.0.2.0/24x", NULL, "prefix length is not a number" },
	{ "192.0.2.0/0024", NULL, "prefix length is not a number" },
	{ "192.0.2.0/24/8", NULL, "prefix length is not a number" },
	{ "192.0.2", NULL, "not an IP address or prefix" },
	{ "256.0.0.0", NULL, "not an IP address or prefix" },
	{ "01.2.3.4", NULL, "not an IP address or prefix" },
	{ "1.2.3.4 ", NULL, "not an IP address or prefix" },
	{ " 1.2.3.4", NULL, "not an IP address or prefix" },
	{ "example.com", NULL, "not an IP address or prefix" },
	{ "2001:db8:::1", NULL, "not an IP address or prefix" },
	{ "IPv6:2001:db8::1", NULL, "not an IP address or prefix" },
	{ "fe80::1%eth0", NULL, "not an IP address or prefix" },
	{ "192.0.2.0\n/24", NULL, "192.0.2.0?/24: not an IP address" },
	{ "1111:2222:3333:4444:5555:6666:7777:8888:9999:aaaa:bbbb:cccc:dddd"
	    "/64", NULL, "not an IP address or prefix" },
};

START_TEST(test_parse)
{
	const struct parse_case *pc = &parse_cases[_i];
	struct cidr	c;
	char		err[200], text[CIDR_TEXT_MAX];
	bool		ok;

	err[0] = '\0';
	ok = cidr_parse(pc->text, &c, err, sizeof(err));
	if (pc->canonical != NULL) {
		ck_assert_msg(ok, "\"%s\" rejected: %s", pc->text, err);
		cidr_format(&c, text, sizeof(text));
		ck_assert_str_eq(text, pc->canonical);
	} else {
		ck_assert_msg(!ok, "\"%s\" accepted", pc->text);
		ck_assert_msg(strstr(err, pc->error) != NULL,
		    "\"%s\": message \"%s\" lacks \"%s\"", pc->text, err,
		    pc->error);
	}
	/* A NULL error buffer is allowed. */
	ck_assert(cidr_parse(pc->text, &c, NULL, 0) == ok);
}
END_TEST

START_TEST(test_parse_families)
{
	struct cidr	c;

	ck_assert(cidr_parse("192.0.2.0/24", &c, NULL, 0));
	ck_assert_int_eq(c.family, AF_INET);
	ck_assert_uint_eq(c.prefix_len, 24);
	ck_assert_uint_eq(c.addr[0], 192);
	ck_assert_uint_eq(c.addr[2], 2);
	ck_assert_uint_eq(c.addr[4], 0);
	ck_assert(cidr_parse("2001:db8::/32", &c, NULL, 0));
	ck_assert_int_eq(c.family, AF_INET6);
	ck_assert_uint_eq(c.prefix_len, 32);
	ck_assert_uint_eq(c.addr[0], 0x20);
	ck_assert_uint_eq(c.addr[3], 0xb8);
	ck_assert(!cidr_parse(NULL, &c, NULL, 0));
}
END_TEST

struct address_case {
	const char	*text;
	const char	*canonical;	/* as a host prefix; NULL: rejected */
};

static const struct address_case address_cases[] = {
	{ "192.0.2.7", "192.0.2.7/32" },
	{ "2001:db8::1", "2001:db8::1/128" },
	{ "2001:DB8::1", "2001:db8::1/128" },
	{ "::ffff:192.0.2.7", "192.0.2.7/32" },
	{ "IPv6:2001:db8::1", "2001:db8::1/128" },
	{ "ipv6:::ffff:10.1.2.3", "10.1.2.3/32" },
	{ "fe80::1%eth0", "fe80::1/128" },
	{ "192.0.2.0/24", NULL },
	{ "", NULL },
	{ "unknown", NULL },
	{ "%eth0", NULL },
	{ "IPv6:", NULL },
	{ "192.0.2.7.", NULL },
	{ "1.2.3.4.5.6.7.8.9.10.11.12.13.14.15.16.17.18.19.20.21.22.23.24",
	    NULL },
};

START_TEST(test_parse_address)
{
	const struct address_case *ac = &address_cases[_i];
	struct cidr	c;
	char		text[CIDR_TEXT_MAX];
	bool		ok = cidr_parse_address(ac->text, &c);

	if (ac->canonical == NULL) {
		ck_assert_msg(!ok, "\"%s\" accepted", ac->text);
		return;
	}
	ck_assert_msg(ok, "\"%s\" rejected", ac->text);
	cidr_format(&c, text, sizeof(text));
	ck_assert_str_eq(text, ac->canonical);
}
END_TEST

START_TEST(test_contains)
{
	struct cidr	net, addr;

	ck_assert(cidr_parse("192.0.2.0/24", &net, NULL, 0));
	ck_assert(cidr_parse_address("192.0.2.255", &addr));
	ck_assert(cidr_contains(&net, &addr));
	ck_assert(cidr_parse_address("192.0.3.0", &addr));
	ck_assert(!cidr_contains(&net, &addr));
	ck_assert(cidr_parse_address("::ffff:192.0.2.1", &addr));
	ck_assert(cidr_contains(&net, &addr));
	ck_assert(cidr_parse("0.0.0.0/0", &net, NULL, 0));
	ck_assert(cidr_contains(&net, &addr));
	ck_assert(cidr_parse_address("2001:db8::1", &addr));
	ck_assert(!cidr_contains(&net, &addr));
	ck_assert(cidr_parse("::/0", &net, NULL, 0));
	ck_assert(cidr_contains(&net, &addr));
	ck_assert(cidr_parse("2001:db8::1/128", &net, NULL, 0));
	ck_assert(cidr_contains(&net, &addr));
	ck_assert(cidr_parse_address("2001:db8::2", &addr));
	ck_assert(!cidr_contains(&net, &addr));
	/* An odd length splits a byte. */
	ck_assert(cidr_parse("2001:db8:8000::/33", &net, NULL, 0));
	ck_assert(cidr_parse_address("2001:db8:ffff::1", &addr));
	ck_assert(cidr_contains(&net, &addr));
	ck_assert(cidr_parse_address("2001:db8:7fff::1", &addr));
	ck_assert(!cidr_contains(&net, &addr));
}
END_TEST

/* match_text - the canonical text of the match of ip in list, or "-" */
static const char *
match_text(const struct cidr_list *list, const char *ip, char *buf)
{
	const struct cidr *m = cidr_list_match(list, ip);

	if (m == NULL)
		return "-";
	cidr_format(m, buf, CIDR_TEXT_MAX);
	return buf;
}

START_TEST(test_list_most_specific)
{
	static const char *const prefixes[] = {
		"10.0.0.0/8", "10.1.0.0/16", "192.0.2.7", "2001:db8::/32",
		"2001:db8:1::/48", "fe80::/10",
	};
	static const struct {
		const char	*ip;
		const char	*match;
	} lookups[] = {
		{ "10.1.2.3", "10.1.0.0/16" },
		{ "10.2.3.4", "10.0.0.0/8" },
		{ "10.255.255.255", "10.0.0.0/8" },
		{ "11.0.0.1", "-" },
		{ "9.255.255.255", "-" },
		{ "192.0.2.7", "192.0.2.7/32" },
		{ "192.0.2.8", "-" },
		{ "2001:db8:1::5", "2001:db8:1::/48" },
		{ "2001:db8:2::5", "2001:db8::/32" },
		{ "2001:db9::1", "-" },
		{ "::ffff:10.1.2.3", "10.1.0.0/16" },
		{ "IPv6:2001:db8::1", "2001:db8::/32" },
		{ "fe80::1%eth0", "fe80::/10" },
		{ "::", "-" },
		{ "0.0.0.0", "-" },
		{ "garbage", "-" },
		{ "", "-" },
	};
	struct cidr_list *list = cidr_list_new();
	char		 buf[CIDR_TEXT_MAX], err[200];
	size_t		 i;

	for (i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
		ck_assert_msg(cidr_list_add(list, prefixes[i], err,
		    sizeof(err)), "%s: %s", prefixes[i], err);
	ck_assert_uint_eq(cidr_list_count(list), 6);
	for (i = 0; i < sizeof(lookups) / sizeof(lookups[0]); i++)
		ck_assert_msg(strcmp(match_text(list, lookups[i].ip, buf),
		    lookups[i].match) == 0, "%s matched %s, want %s",
		    lookups[i].ip, buf, lookups[i].match);
	ck_assert(cidr_list_contains(list, "10.9.9.9"));
	ck_assert(!cidr_list_contains(list, "172.16.0.1"));
	ck_assert(!cidr_list_contains(list, NULL));
	cidr_list_free(list);
}
END_TEST

START_TEST(test_list_zero_prefixes)
{
	struct cidr_list *v4 = cidr_list_new(), *v6 = cidr_list_new();

	ck_assert(cidr_list_add(v4, "0.0.0.0/0", NULL, 0));
	ck_assert(cidr_list_add(v6, "::/0", NULL, 0));
	ck_assert(cidr_list_contains(v4, "0.0.0.0"));
	ck_assert(cidr_list_contains(v4, "255.255.255.255"));
	ck_assert(cidr_list_contains(v4, "::ffff:1.2.3.4"));
	ck_assert(!cidr_list_contains(v4, "2001:db8::1"));
	ck_assert(cidr_list_contains(v6, "2001:db8::1"));
	ck_assert(cidr_list_contains(v6, "::"));
	ck_assert(!cidr_list_contains(v6, "1.2.3.4"));
	cidr_list_free(v4);
	cidr_list_free(v6);
}
END_TEST

START_TEST(test_list_order_dedup_copy)
{
	struct cidr_list *list = cidr_list_new(), *copy;
	char		 buf[CIDR_TEXT_MAX], err[200];
	static const char *const order[] = {
		"192.0.2.7/32", "198.51.100.0/24", "10.0.0.0/8",
		"2001:db8::1/128", "2001:db8::/32",
	};
	size_t		 i;

	ck_assert(cidr_list_add(list, "2001:db8::/32", err, sizeof(err)));
	ck_assert(cidr_list_add(list, "10.0.0.0/8", err, sizeof(err)));
	ck_assert(cidr_list_add(list, "198.51.100.0/24", err, sizeof(err)));
	ck_assert(cidr_list_add(list, "2001:db8::1", err, sizeof(err)));
	ck_assert(cidr_list_add(list, "192.0.2.7", err, sizeof(err)));
	/* The same networks again, in other spellings. */
	ck_assert(cidr_list_add(list, "::ffff:10.0.0.0/104", err,
	    sizeof(err)));
	ck_assert(cidr_list_add(list, "2001:DB8::0/32", err, sizeof(err)));
	ck_assert(cidr_list_add(list, "192.0.2.7/32", err, sizeof(err)));
	/* A bad entry leaves the list as it was. */
	ck_assert(!cidr_list_add(list, "192.0.2.1/24", err, sizeof(err)));
	ck_assert_uint_eq(cidr_list_count(list), 5);
	for (i = 0; i < 5; i++) {
		cidr_format(cidr_list_get(list, i), buf, sizeof(buf));
		ck_assert_str_eq(buf, order[i]);
	}
	ck_assert_ptr_null(cidr_list_get(list, 5));

	copy = cidr_list_copy(list);
	cidr_list_free(list);
	ck_assert_uint_eq(cidr_list_count(copy), 5);
	ck_assert(cidr_list_contains(copy, "10.20.30.40"));
	ck_assert(cidr_list_add(copy, "203.0.113.0/24", err, sizeof(err)));
	ck_assert(cidr_list_contains(copy, "203.0.113.9"));
	cidr_list_free(copy);

	copy = cidr_list_copy(NULL);
	ck_assert_uint_eq(cidr_list_count(copy), 0);
	ck_assert(!cidr_list_contains(copy, "10.0.0.1"));
	cidr_list_free(copy);
	ck_assert_uint_eq(cidr_list_count(NULL), 0);
	ck_assert(!cidr_list_contains(NULL, "10.0.0.1"));
	ck_assert_ptr_null(cidr_list_get(NULL, 0));
	cidr_list_free(NULL);
}
END_TEST

/* Thousands of ranges added out of order: every one is found. */
START_TEST(test_list_large)
{
	struct cidr_list *list = cidr_list_new();
	char		 text[64], want[64], buf[CIDR_TEXT_MAX];
	unsigned	 i;

	for (i = 4096; i-- > 0;) {
		snprintf(text, sizeof(text), "10.%u.%u.0/24", i / 256, i % 256);
		ck_assert(cidr_list_add(list, text, NULL, 0));
		snprintf(text, sizeof(text), "2001:db8:%x::/48", i);
		ck_assert(cidr_list_add(list, text, NULL, 0));
	}
	ck_assert(cidr_list_add(list, "10.0.0.0/8", NULL, 0));
	ck_assert_uint_eq(cidr_list_count(list), 8193);
	for (i = 0; i < 4096; i++) {
		snprintf(text, sizeof(text), "10.%u.%u.77", i / 256, i % 256);
		snprintf(want, sizeof(want), "10.%u.%u.0/24", i / 256,
		    i % 256);
		ck_assert_str_eq(match_text(list, text, buf), want);
		snprintf(text, sizeof(text), "2001:db8:%x:1::1", i);
		ck_assert(cidr_list_contains(list, text));
	}
	ck_assert_str_eq(match_text(list, "10.200.0.1", buf), "10.0.0.0/8");
	ck_assert(!cidr_list_contains(list, "2001:db8:1000::1"));
	cidr_list_free(list);
}
END_TEST

static Suite *
cidr_suite(void)
{
	Suite	*s = suite_create("cidr");
	TCase	*tc = tcase_create("cidr");

	tcase_add_loop_test(tc, test_parse, 0,
	    (int)(sizeof(parse_cases) / sizeof(parse_cases[0])));
	tcase_add_test(tc, test_parse_families);
	tcase_add_loop_test(tc, test_parse_address, 0,
	    (int)(sizeof(address_cases) / sizeof(address_cases[0])));
	tcase_add_test(tc, test_contains);
	tcase_add_test(tc, test_list_most_specific);
	tcase_add_test(tc, test_list_zero_prefixes);
	tcase_add_test(tc, test_list_order_dedup_copy);
	tcase_add_test(tc, test_list_large);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return run_suite(cidr_suite());
}
