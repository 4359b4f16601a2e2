/*
 * event - what an MTA log line says, independent of the MTA.
 *
 * Third stage: each MTA parser (postfix, exim, sendmail) turns the
 * message part of a line into zero or more events of the kinds below.
 * The correlator (analysis/correlator.h) joins events into messages by
 * relay host and queue ID, so an Exim or Sendmail parser reports the
 * same kinds as the Postfix one and everything downstream is shared.
 *
 * Ownership: every zstr in an event points into the line being parsed
 * (or into the parser's own buffer) and is valid until the parser is
 * fed the next line.  An unset field has ptr == NULL.
 */
#ifndef ZS_EVENT_H
#define ZS_EVENT_H

#include <stddef.h>
#include <stdint.h>

#include "util/zstr.h"

enum event_kind {
	EV_CONNECT,		/* SMTP session opened: client_* */
	EV_DISCONNECT,		/* SMTP session closed: client_* */
	EV_CLIENT,		/* message received over SMTP: queue_id,
				   client_*, sasl_method, sasl_username,
				   helo (when logged) */
	EV_PICKUP,		/* local submission: queue_id, uid, sender;
				   sasl_* when a local SMTP session (Exim
				   -bs) logged in */
	EV_MESSAGE_ID,		/* queue_id, message_id (may be empty) */
	EV_QUEUED,		/* message in queue: queue_id, sender,
				   size_bytes, nrcpt */
	EV_DELIVERY,		/* one recipient's outcome: queue_id,
				   recipient, orig_recipient, transport,
				   relay, dsn, status, response */
	EV_EXPIRED,		/* message given up on: queue_id, sender */
	EV_BOUNCE_NOTICE,	/* queue_id generated a DSN whose own queue
				   ID is related_queue_id; notice */
	EV_REMOVED,		/* message left the queue: queue_id */
	EV_REJECT,		/* refused by this relay: queue_id (unset for
				   NOQUEUE), reject_origin, stage, client_*,
				   sender, recipient, helo, dsn, response */
	EV_AUTH_FAILED,		/* SASL failure: client_*, sasl_method,
				   sasl_username (when logged), response */
	EV_AUTH_OK,		/* SASL success outside a message line (Exim
				   and Sendmail): client_*, sasl_username */
	EV_KIND_COUNT
};

/* Which MTA logged an event: correlation rules differ slightly. */
enum mta_kind {
	MTA_UNKNOWN,
	MTA_POSTFIX,		/* closes a message with "removed" */
	MTA_EXIM,		/* closes a message with "Completed" */
	MTA_SENDMAIL		/* logs no end: a message is done when each
				   declared recipient has a final outcome */
};

enum delivery_status {
	DELIVERY_SENT,
	DELIVERY_BOUNCED,	/* permanent failure */
	DELIVERY_DEFERRED,	/* temporary failure, will retry */
	DELIVERY_EXPIRED,	/* given up after retrying */
	DELIVERY_OTHER		/* address verification probes and such */
};

enum reject_origin {
	REJECT_SMTPD,		/* SMTP-time restriction */
	REJECT_CLEANUP,		/* header/body checks */
	REJECT_MILTER,		/* content filter (milter) */
	REJECT_DISCARD		/* a DISCARD action: the whole message
				   thrown away, the client told it was
				   accepted (Postfix access(5),
				   header_checks(5), milters) */
};

enum bounce_notice {
	NOTICE_NON_DELIVERY,
	NOTICE_DELAY,
	NOTICE_DELIVERY_STATUS
};

struct mta_event {
	enum event_kind	kind;
	enum mta_kind	mta;
	int64_t		time_sec;	/* UTC */
	uint32_t	time_usec;
	struct zstr	host;		/* relay that logged the line */
	struct zstr	program;	/* "postfix/submission/smtpd" */
	int64_t		pid;		/* -1 when unknown */
	struct zstr	queue_id;
	struct zstr	related_queue_id;
	struct zstr	client_ip;	/* as logged; canonicalised later */
	struct zstr	client_name;
	struct zstr	helo;
	struct zstr	sasl_method;
	struct zstr	sasl_username;
	struct zstr	sender;		/* envelope sender, without <> */
	struct zstr	recipient;
	struct zstr	orig_recipient;
	struct zstr	message_id;	/* without <> */
	struct zstr	transport;	/* "smtp", "local", "lmtp", ... */
	struct zstr	relay;		/* "mx.example.net[192.0.2.1]:25" */
	struct zstr	dsn;		/* "5.7.1" */
	struct zstr	response;	/* remote or local reply text */
	struct zstr	stage;		/* "RCPT", "DATA", "END-OF-MESSAGE" */
	enum delivery_status status;
	enum reject_origin reject_origin;
	enum bounce_notice notice;
	uint64_t	size_bytes;
	uint64_t	nrcpt;
	int64_t		uid;		/* -1 when unset */
};

/* Why a line was deliberately ignored; counted by reason. */
enum ignore_reason {
	IGNORE_OTHER_PROGRAM,	/* not an MTA line (cron, sshd, ...) */
	IGNORE_SESSION,		/* connect/disconnect noise, timeouts */
	IGNORE_TLS,		/* TLS negotiation and certificates */
	IGNORE_POSTSCREEN,	/* pre-SMTP screening (postscreen, dnsblog) */
	IGNORE_STATISTICS,	/* anvil and scache statistics */
	IGNORE_DAEMON,		/* start, stop, reload, configuration */
	IGNORE_WARNING,		/* warnings that name no message */
	IGNORE_FILTER_ACTION,	/* header/body check actions other than
				   reject (warn, hold, discard, prepend) */
	IGNORE_QUEUE_INFO,	/* other per-message details */
	IGNORE_UNRECOGNISED,	/* an MTA line of a kind not used */
	IGNORE_REASON_COUNT
};

/* Why a line could not be used although it looked like ours. */
enum malformed_reason {
	MALFORMED_HEADER,	/* no syslog header */
	MALFORMED_QUEUE_ID,	/* bad queue or message ID */
	MALFORMED_FIELD,	/* a field's syntax is broken */
	MALFORMED_TOO_LONG,	/* over the line length cap (reader) */
	MALFORMED_NUL_BYTE,	/* held a NUL byte (reader) */
	MALFORMED_REASON_COUNT
};

enum parse_status {
	PARSE_EVENTS,		/* pull the events with X_next() */
	PARSE_IGNORED,		/* ours, deliberately not used: see reason */
	PARSE_NOT_MINE,		/* another program's line */
	PARSE_MALFORMED		/* ours, but broken: see reason */
};

/*
 * The string fields of struct mta_event, in the order they are
 * declared, as byte offsets: what handles every string (event batches,
 * and partial files, whose format follows this order) walks them with
 * event_string().
 */
#define EVENT_STRING_COUNT	18
extern const size_t event_string_offsets[EVENT_STRING_COUNT];

/* event_string - string field i (< EVENT_STRING_COUNT) of ev */
static inline struct zstr *
event_string(struct mta_event *ev, size_t i)
{
	return (struct zstr *)(void *)((char *)ev + event_string_offsets[i]);
}

/* event_string_const - event_string() of a read-only event */
static inline const struct zstr *
event_string_const(const struct mta_event *ev, size_t i)
{
	return (const struct zstr *)(const void *)((const char *)ev +
	    event_string_offsets[i]);
}

/* event_kind_name - "client", "delivery", ... */
const char	*event_kind_name(enum event_kind kind);

/* ignore_reason_name - "tls", "statistics", ... */
const char	*ignore_reason_name(enum ignore_reason reason);

/* malformed_reason_name - "header", "queue_id", ... */
const char	*malformed_reason_name(enum malformed_reason reason);

/* delivery_status_name - "sent", "bounced", ... */
const char	*delivery_status_name(enum delivery_status status);

/* event_init - clear every field (unset strings, pid/uid -1) */
void		 event_init(struct mta_event *ev);

/* event_copy - *dst = *src, for the parsers' hot paths; the strings
   are shared, not copied */
void		 event_copy(struct mta_event *dst,
		    const struct mta_event *src);

#endif
