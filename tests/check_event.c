/*
 * check_event - unit tests for parsers/event: a cleared event has
 * every string unset and pid and uid -1, a copy holds every field of
 * the original, the table of string fields lists each in declaration
 * order, and every name has its text.
 */
#include "config.h"

#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "parsers/event.h"
#include "tests/testutil.h"

/* Every string field, for the tests that visit them all. */
#define STRING_FIELDS(X)						\
	X(host) X(program) X(queue_id) X(related_queue_id)		\
	X(client_ip) X(client_name) X(helo) X(sasl_method)		\
	X(sasl_username) X(sender) X(recipient) X(orig_recipient)	\
	X(message_id) X(transport) X(relay) X(dsn) X(response) X(stage)

START_TEST(test_init_clears)
{
	struct mta_event ev;

	/* Whatever was there before. */
	memset(&ev, 0xa5, sizeof(ev));
	event_init(&ev);
	ck_assert_int_eq(ev.kind, 0);
	ck_assert_int_eq(ev.mta, MTA_UNKNOWN);
	ck_assert_int_eq(ev.time_sec, 0);
	ck_assert_uint_eq(ev.time_usec, 0);
	ck_assert_int_eq(ev.pid, -1);
	ck_assert_int_eq(ev.uid, -1);
	ck_assert_int_eq(ev.status, 0);
	ck_assert_int_eq(ev.reject_origin, 0);
	ck_assert_int_eq(ev.notice, 0);
	ck_assert_uint_eq(ev.size_bytes, 0);
	ck_assert_uint_eq(ev.nrcpt, 0);
#define UNSET(f)							\
	ck_assert_ptr_null(ev.f.ptr);					\
	ck_assert_uint_eq(ev.f.len, 0);
	STRING_FIELDS(UNSET)
#undef UNSET
}
END_TEST

START_TEST(test_copy_every_field)
{
	static const char text[] = "abcdefghijklmnopqrstuvwxyz";
	struct mta_event a, b;
	size_t		 n = 0;

	event_init(&a);
	a.kind = EV_REJECT;
	a.mta = MTA_SENDMAIL;
	a.time_sec = INT64_C(1795651200);
	a.time_usec = 999999;
	a.pid = 12345;
	a.uid = 1000;
	a.status = DELIVERY_EXPIRED;
	a.reject_origin = REJECT_MILTER;
	a.notice = NOTICE_DELIVERY_STATUS;
	a.size_bytes = UINT64_MAX;
	a.nrcpt = 77;
#define SET(f)								\
	a.f = zstr_make(text + n, n + 1);				\
	n++;
	STRING_FIELDS(SET)
#undef SET
	memset(&b, 0x5a, sizeof(b));
	event_copy(&b, &a);
	ck_assert_int_eq(b.kind, EV_REJECT);
	ck_assert_int_eq(b.mta, MTA_SENDMAIL);
	ck_assert_int_eq(b.time_sec, INT64_C(1795651200));
	ck_assert_uint_eq(b.time_usec, 999999);
	ck_assert_int_eq(b.pid, 12345);
	ck_assert_int_eq(b.uid, 1000);
	ck_assert_int_eq(b.status, DELIVERY_EXPIRED);
	ck_assert_int_eq(b.reject_origin, REJECT_MILTER);
	ck_assert_int_eq(b.notice, NOTICE_DELIVERY_STATUS);
	ck_assert_uint_eq(b.size_bytes, UINT64_MAX);
	ck_assert_uint_eq(b.nrcpt, 77);
	/* The strings are shared, not copied. */
#define SAME(f)								\
	ck_assert_ptr_eq(b.f.ptr, a.f.ptr);				\
	ck_assert_uint_eq(b.f.len, a.f.len);
	STRING_FIELDS(SAME)
#undef SAME
}
END_TEST

/* test_string_table - event_string(ev, i) is the i-th string field
   declared, each once, for both accessors */
START_TEST(test_string_table)
{
	struct mta_event ev;
	const struct zstr *fields[] = {
#define ADDR(f)	&ev.f,
		STRING_FIELDS(ADDR)
#undef ADDR
	};
	size_t	i;

	ck_assert_uint_eq(sizeof(fields) / sizeof(fields[0]),
	    EVENT_STRING_COUNT);
	for (i = 0; i < EVENT_STRING_COUNT; i++) {
		ck_assert_ptr_eq(event_string(&ev, i), fields[i]);
		ck_assert_ptr_eq(event_string_const(&ev, i), fields[i]);
	}
}
END_TEST

START_TEST(test_names)
{
	int	i;

	for (i = 0; i < EV_KIND_COUNT; i++)
		ck_assert_str_ne(event_kind_name((enum event_kind)i), "?");
	for (i = 0; i < IGNORE_REASON_COUNT; i++)
		ck_assert_str_ne(ignore_reason_name((enum ignore_reason)i),
		    "?");
	for (i = 0; i < MALFORMED_REASON_COUNT; i++)
		ck_assert_str_ne(malformed_reason_name(
		    (enum malformed_reason)i), "?");
	for (i = 0; i <= DELIVERY_OTHER; i++)
		ck_assert_str_ne(delivery_status_name(
		    (enum delivery_status)i), "?");
	ck_assert_str_eq(event_kind_name(EV_KIND_COUNT), "?");
	ck_assert_str_eq(ignore_reason_name(IGNORE_REASON_COUNT), "?");
	ck_assert_str_eq(malformed_reason_name(MALFORMED_REASON_COUNT),
	    "?");
	ck_assert_str_eq(delivery_status_name(
	    (enum delivery_status)(DELIVERY_OTHER + 1)), "?");
	ck_assert_str_eq(event_kind_name(EV_DELIVERY), "delivery");
}
END_TEST

/* event_suite - every event test */
static Suite *
event_suite(void)
{
	Suite	*s = suite_create("event");
	TCase	*tc = tcase_create("core");

	tcase_add_test(tc, test_init_clears);
	tcase_add_test(tc, test_copy_every_field);
	tcase_add_test(tc, test_string_table);
	tcase_add_test(tc, test_names);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return run_suite(event_suite());
}
