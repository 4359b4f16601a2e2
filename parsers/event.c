/*
 * event - names of the event vocabulary (see event.h).
 */
#include "config.h"

#include <stddef.h>
#include <string.h>

#include "parsers/event.h"

static const char *const kind_names[EV_KIND_COUNT] = {
	[EV_CONNECT] = "connect",
	[EV_DISCONNECT] = "disconnect",
	[EV_CLIENT] = "client",
	[EV_PICKUP] = "pickup",
	[EV_MESSAGE_ID] = "message_id",
	[EV_QUEUED] = "queued",
	[EV_DELIVERY] = "delivery",
	[EV_EXPIRED] = "expired",
	[EV_BOUNCE_NOTICE] = "bounce_notice",
	[EV_REMOVED] = "removed",
	[EV_REJECT] = "reject",
	[EV_AUTH_FAILED] = "auth_failed",
	[EV_AUTH_OK] = "auth_ok",
};

static const char *const ignore_names[IGNORE_REASON_COUNT] = {
	[IGNORE_OTHER_PROGRAM] = "other_program",
	[IGNORE_SESSION] = "session",
	[IGNORE_TLS] = "tls",
	[IGNORE_POSTSCREEN] = "postscreen",
	[IGNORE_STATISTICS] = "statistics",
	[IGNORE_DAEMON] = "daemon",
	[IGNORE_WARNING] = "warning",
	[IGNORE_FILTER_ACTION] = "filter_action",
	[IGNORE_QUEUE_INFO] = "queue_info",
	[IGNORE_UNRECOGNISED] = "unrecognised",
};

static const char *const malformed_names[MALFORMED_REASON_COUNT] = {
	[MALFORMED_HEADER] = "header",
	[MALFORMED_QUEUE_ID] = "queue_id",
	[MALFORMED_FIELD] = "field",
	[MALFORMED_TOO_LONG] = "too_long",
	[MALFORMED_NUL_BYTE] = "nul_byte",
};

static const char *const status_names[] = {
	[DELIVERY_SENT] = "sent",
	[DELIVERY_BOUNCED] = "bounced",
	[DELIVERY_DEFERRED] = "deferred",
	[DELIVERY_EXPIRED] = "expired",
	[DELIVERY_OTHER] = "other",
};

const size_t event_string_offsets[] = {
	offsetof(struct mta_event, host),
	offsetof(struct mta_event, program),
	offsetof(struct mta_event, queue_id),
	offsetof(struct mta_event, related_queue_id),
	offsetof(struct mta_event, client_ip),
	offsetof(struct mta_event, client_name),
	offsetof(struct mta_event, helo),
	offsetof(struct mta_event, sasl_method),
	offsetof(struct mta_event, sasl_username),
	offsetof(struct mta_event, sender),
	offsetof(struct mta_event, recipient),
	offsetof(struct mta_event, orig_recipient),
	offsetof(struct mta_event, message_id),
	offsetof(struct mta_event, transport),
	offsetof(struct mta_event, relay),
	offsetof(struct mta_event, dsn),
	offsetof(struct mta_event, response),
	offsetof(struct mta_event, stage),
};

/* event_kind_name - name of an event kind */
const char *
event_kind_name(enum event_kind kind)
{
	return (unsigned)kind < EV_KIND_COUNT ? kind_names[kind] : "?";
}

/* ignore_reason_name - name of an ignore reason */
const char *
ignore_reason_name(enum ignore_reason reason)
{
	return (unsigned)reason < IGNORE_REASON_COUNT ?
	    ignore_names[reason] : "?";
}

/* malformed_reason_name - name of a malformed reason */
const char *
malformed_reason_name(enum malformed_reason reason)
{
	return (unsigned)reason < MALFORMED_REASON_COUNT ?
	    malformed_names[reason] : "?";
}

/* delivery_status_name - name of a delivery status */
const char *
delivery_status_name(enum delivery_status status)
{
	return (unsigned)status <= DELIVERY_OTHER ?
	    status_names[status] : "?";
}

/*
 * The size of an event, read from a variable so that clearing and
 * copying one calls the C library, whose memset() and memcpy() take a
 * few hundred bytes in vector stores.  With the size a constant, GCC
 * writes "rep stos" or "rep movs" in place, whose start-up alone
 * costs several times as much at this size; a parser clears or copies
 * an event for nearly every line.
 */
static volatile size_t event_bytes = sizeof(struct mta_event);

/* event_init - every field unset */
void
event_init(struct mta_event *ev)
{
	memset(ev, 0, event_bytes);
	ev->pid = -1;
	ev->uid = -1;
}

/* event_copy - *dst = *src (see event_bytes) */
void
event_copy(struct mta_event *dst, const struct mta_event *src)
{
	memcpy(dst, src, event_bytes);
}
