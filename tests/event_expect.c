/*
 * event_expect - the event comparison the parser suites share (see
 * event_expect.h).
 */
#include "config.h"

#include <check.h>

#include "tests/event_expect.h"

/* expect_zstr - one string field against its expectation */
void
expect_zstr(const char *where, const char *name, struct zstr got,
    const char *want)
{
	if (want == NULL) {
		ck_assert_msg(got.ptr == NULL, "%s: %s set to '%.*s'", where,
		    name, (int)got.len, got.ptr);
		return;
	}
	ck_assert_msg(got.ptr != NULL, "%s: %s unset, want '%s'", where,
	    name, want);
	ck_assert_msg(zstr_eq_cstr(got, want), "%s: %s '%.*s' != '%s'",
	    where, name, (int)got.len, got.ptr, want);
}

/* expect_event - kind, strings, enums and numbers of ev against e */
void
expect_event(const char *where, const struct mta_event *ev,
    enum event_kind kind, const struct event_expect *e)
{
	ck_assert_msg(ev->kind == kind, "%s: kind %s != %s", where,
	    event_kind_name(ev->kind), event_kind_name(kind));
	expect_zstr(where, "queue_id", ev->queue_id, e->queue_id);
	expect_zstr(where, "related_queue_id", ev->related_queue_id,
	    e->related_queue_id);
	expect_zstr(where, "client_ip", ev->client_ip, e->client_ip);
	expect_zstr(where, "client_name", ev->client_name, e->client_name);
	expect_zstr(where, "helo", ev->helo, e->helo);
	expect_zstr(where, "sasl_method", ev->sasl_method, e->sasl_method);
	expect_zstr(where, "sasl_username", ev->sasl_username,
	    e->sasl_username);
	expect_zstr(where, "sender", ev->sender, e->sender);
	expect_zstr(where, "recipient", ev->recipient, e->recipient);
	expect_zstr(where, "orig_recipient", ev->orig_recipient,
	    e->orig_recipient);
	expect_zstr(where, "message_id", ev->message_id, e->message_id);
	expect_zstr(where, "transport", ev->transport, e->transport);
	expect_zstr(where, "relay", ev->relay, e->relay);
	expect_zstr(where, "dsn", ev->dsn, e->dsn);
	expect_zstr(where, "response", ev->response, e->response);
	expect_zstr(where, "stage", ev->stage, e->stage);
	ck_assert_msg(ev->status == e->status, "%s: status %s", where,
	    delivery_status_name(ev->status));
	ck_assert_msg(ev->reject_origin == e->origin, "%s: origin %d", where,
	    (int)ev->reject_origin);
	ck_assert_msg(ev->notice == e->notice, "%s: notice %d", where,
	    (int)ev->notice);
	ck_assert_msg(ev->size_bytes == e->size, "%s: size %llu", where,
	    (unsigned long long)ev->size_bytes);
	ck_assert_msg(ev->nrcpt == e->nrcpt, "%s: nrcpt %llu", where,
	    (unsigned long long)ev->nrcpt);
	ck_assert_msg(ev->uid == (e->has_uid ? e->uid : -1), "%s: uid %lld",
	    where, (long long)ev->uid);
}
