/*
 * postfix - Postfix log lines to events.
 *
 * Third stage for Postfix relays.  Given a line's syslog header, the
 * parser recognises Postfix programs by name (postfix/..., postfix-*
 * multi-instance names, service prefixes such as postfix/submission/
 * smtpd) and turns their messages into events (parsers/event.h):
 *
 *   smtpd	"QID: client=name[ip]" with sasl_method, sasl_username
 *		"NOQUEUE: reject: STAGE from name[ip]: CODE DSN text;
 *		 from=<> to=<> proto= helo=<>" and "QID: reject: ...";
 *		"discard: ..." the same (REJECT_DISCARD)
 *		"warning: name[ip]: SASL M authentication failed: text"
 *		"connect from", "disconnect from"
 *   cleanup	"QID: message-id=<...>", "QID: reject|milter-reject: ...",
 *		"QID: discard|milter-discard: ..." (REJECT_DISCARD)
 *   pickup	"QID: uid=N from=<...>"
 *   qmgr	"QID: from=<...>, size=N, nrcpt=N (queue active)",
 *		"QID: from=<...>, status=expired, returned to sender",
 *		"QID: removed"
 *   smtp, lmtp, local, virtual, pipe, error, discard, relay
 *		"QID: to=<...>, orig_to=<...>, relay=..., delay=...,
 *		 dsn=X.Y.Z, status=sent|bounced|deferred (response)";
 *		a sent one whose response ends "queued as QID2" (a
 *		content filter's answer, or a remote server's) has
 *		related_queue_id QID2
 *   bounce	"QID: sender non-delivery notification: QID2"
 *
 * A "QID: to=..." status line is a delivery from whichever service
 * logs it (qmgr logs some deferrals itself); transport is that
 * service's name.  Client addresses are kept as logged.  A line that
 * has a kind's shape but a broken field or queue ID is malformed.
 *
 * Queue IDs are the short hexadecimal form (5 to 21 upper-case hex
 * digits) and the long form of enable_long_queue_ids (at least ten
 * base-52 digits of time, the separator 'z', and the inode number in
 * base 51, which has no 'z': postfix src/global/mail_queue.h).  Every
 * other Postfix line is counted as ignored by reason; lines of other
 * programs are PARSE_NOT_MINE.
 *
 * Push/pull: postfix_feed() parses one line, then postfix_next() hands
 * out its events (at most one for Postfix).  The event is the parser's
 * own, handed out by a pointer without a copy; it borrows from the line
 * (see event.h), and the pointer and the strings are valid until the
 * next postfix_feed() or postfix_next() on the parser (or its
 * postfix_parser_free()).  The parser holds no per-message state.
 */
#ifndef ZS_POSTFIX_H
#define ZS_POSTFIX_H

#include <stdbool.h>

#include "parsers/event.h"
#include "parsers/syslog.h"

struct postfix_parser;

/* postfix_parser_new - a parser; free with postfix_parser_free() */
struct postfix_parser *postfix_parser_new(void);

/* postfix_parser_free - free; NULL is a no-op */
void		postfix_parser_free(struct postfix_parser *p);

/* postfix_is_program - whether a syslog program name is Postfix's */
bool		postfix_is_program(struct zstr program);

/* Every name postfix_is_program() takes opens with one of these bytes. */
#define POSTFIX_PROGRAM_FIRST	"p"

/*
 * postfix_feed - parse one line.  On PARSE_IGNORED *ignore is set, on
 * PARSE_MALFORMED *malformed; either pointer may be NULL.
 */
enum parse_status postfix_feed(struct postfix_parser *p,
		    const struct syslog_header *hdr,
		    enum ignore_reason *ignore,
		    enum malformed_reason *malformed);

/*
 * postfix_next - the next event of the last line fed, or NULL when
 * none is left.  The event is the parser's: see above for how long it
 * lasts.
 */
const struct mta_event *postfix_next(struct postfix_parser *p);

/* postfix_is_queue_id - whether s is a short or long Postfix queue ID */
bool		postfix_is_queue_id(struct zstr s);

#endif
