/*
 * event_expect - what the parser suites (check_postfix, check_exim,
 * check_sendmail) expect of an event, and the comparison they share.
 *
 * A case table names only the fields an event must carry; every other
 * string must be unset, every number 0 and every enum its first value,
 * so a parser that sets a field nobody asked for fails the case too.
 * The suites check the fields that depend on framing (time, host,
 * program, pid, MTA) themselves.
 */
#ifndef ZS_TESTS_EVENT_EXPECT_H
#define ZS_TESTS_EVENT_EXPECT_H

#include <stdint.h>

#include "parsers/event.h"

/* An expected event's fields: strings NULL when they must be unset. */
struct event_expect {
	const char	*queue_id;
	const char	*related_queue_id;
	const char	*client_ip;
	const char	*client_name;
	const char	*helo;
	const char	*sasl_method;
	const char	*sasl_username;
	const char	*sender;
	const char	*recipient;
	const char	*orig_recipient;
	const char	*message_id;
	const char	*transport;
	const char	*relay;
	const char	*dsn;
	const char	*response;
	const char	*stage;
	enum delivery_status status;
	enum reject_origin origin;
	enum bounce_notice notice;
	uint64_t	 size;
	uint64_t	 nrcpt;
	int64_t		 uid;		/* checked when has_uid, else -1 */
	int		 has_uid;
};

/*
 * expect_zstr - got is unset when want is NULL, else equal to it; the
 * failure message starts with where ("case 3 ev 1") and name
 */
void	expect_zstr(const char *where, const char *name, struct zstr got,
	    const char *want);

/* expect_event - ev's kind and every field of e, as above */
void	expect_event(const char *where, const struct mta_event *ev,
	    enum event_kind kind, const struct event_expect *e);

#endif
