/*
 * exim - Exim main log lines to events.
 *
 * Third stage for Exim relays.  Exim writes its main log in one of two
 * framings, and both are read here:
 *
 *   native main log (log_file_path), no host name on the line:
 *	2026-11-26 21:31:55[.123][ +0100] [[4321] ]TEXT
 *	the fraction comes with log_selector +millisec, the zone offset
 *	with log_timezone, the "[pid] " with +pid.  Stamps without an
 *	offset are local time (TZ).  The caller names the relay.
 *   syslog (log_file_path = syslog), under a syslog header whose
 *	program is "exim", "exim4" or the like; Exim's own stamp opens the
 *	message unless syslog_timestamp is false, and is skipped (the
 *	header's time is used), as is a "[pid] " after it.  Lines Exim
 *	split for syslog ("[1/3] ...") are read from their first piece;
 *	the other pieces are ignored.
 *
 * TEXT is either "MSGID FLAG ..." or a line about no message.  The
 * events (parsers/event.h), one line giving up to four in order:
 *
 *   "ID <= sender H=name (helo) [ip]:port P=esmtpsa A=auth:user S=n
 *    id=msgid T=\"subject\" from <s> for r1 r2"
 *	EV_CLIENT (H= present) or EV_PICKUP (local: no H=), then
 *	EV_MESSAGE_ID (id= or id*=), then for a message Exim generated
 *	("<= <> R=ORIGID", a bounce or delay warning) EV_BOUNCE_NOTICE
 *	with queue_id ORIGID and related_queue_id ID, then EV_QUEUED
 *	(sender, size from S=, nrcpt from the "for" list or 0).  "(="
 *	(fakereject: accepted, though the client was told otherwise) is
 *	an arrival too.
 *   "ID => rcpt <orig> R=router T=transport H=mx [ip]:25 C=\"250 ok\""
 *	EV_DELIVERY sent; "->" (further address of the same delivery)
 *	and ">>" (cutthrough: logged before the message's "<=" line)
 *	likewise, "*>" (suppressed by -N) status other, "**" bounced
 *	(expired when Exim gave up retrying), "==" deferred.  A sent
 *	one whose C= text ends "id=ID2" (Exim's "250 OK id=", passed on
 *	by a content filter, or a remote server's) has related_queue_id
 *	ID2.
 *	A redirect router's "=> :blackhole: <addr> R=router" (an alias to
 *	:blackhole:) and "=> discarded <addr> R=router" (a filter's "seen
 *	finish" that made no address) are routing chosen for that one
 *	address: EV_DELIVERY sent to addr, no transport.
 *   "ID => blackhole (WHO discarded recipients)[: text]", WHO "MAIL
 *    ACL", "RCPT ACL", "DATA ACL", "MIME ACL", "DKIM ACL", "non-SMTP
 *    ACL" or "local_scan", and "ID => blackhole TEXT[: text]", TEXT
 *    set by local_scan()		IGNORE_FILTER_ACTION
 *	The relay's ACLs or local_scan() discarded every recipient:
 *	receive.c logs the "<=" line, this and "Completed", and nothing
 *	is delivered.  Like a Postfix DISCARD or a Sendmail milter
 *	discard, it is the relay's filter action on the message, not a
 *	delivery.  "=> blackhole" with no R= or T= word after it is such
 *	a line: every delivery names its router or transport, one to a
 *	local part "blackhole" too.
 *   "ID Completed"			EV_REMOVED
 *   "[ID ]H=... F=<s> A=auth:user rejected RCPT <r>: text" and the
 *	other ACL refusals, "rejected from <s> ...", "rejected by
 *	local_scan()", "rejected EHLO from ..."	EV_REJECT
 *	A refusal with an ID (after DATA, local_scan(), size) names the
 *	ID Exim gave a message it then refused: no "<=" line has it.
 *	Exim throws such a message away (no "Completed" follows), so
 *	the EV_REJECT comes between EV_CLIENT (from H=; EV_PICKUP with
 *	the sender when the line names a local user, U= or the
 *	non-SMTP ACL, and no host) and EV_REMOVED: one whole refused
 *	message of its client.  A PRDR refusal of one recipient (stage
 *	RCPT) is the EV_REJECT alone.
 *   "NAME authenticator failed for H=(helo) [ip]:port: 535 text
 *	(set_id=user)"			EV_AUTH_FAILED
 *
 * Field choices, for the events' MTA-neutral meaning:
 *   client_name is the verified host name of H= and is unset when
 *	Exim logged none ("H=(helo) [ip]", "H=[ip]"); helo is the name
 *	in parentheses, unset when Exim left it out because it matched
 *	the verified name or the address.
 *   sasl_method is the authenticator's name from A= (or from "NAME
 *	authenticator failed"), sasl_username the authenticated ID: in
 *	A= what follows the name's ':' up to the next ':' or space, on a
 *	failure line the set_id= value.  receive.c writes
 *	A=NAME[:ID[:SENDER]]: ":" and the ID when server_set_id gave one,
 *	and, with log_selector +smtp_mailauth, ":" and the AUTH= address
 *	of MAIL after it (smtp_in.c's refusals write no SENDER).  SENDER
 *	is the client's text, any bytes (xtext-decoded), not the login,
 *	and never the envelope sender, which is the "<=" address or F=.
 *	The log cannot tell a ':' inside the ID from the one before
 *	SENDER, so an ID holding ':' is cut at its first one (and no
 *	longer matches its failed logins' set_id=); the client cannot
 *	change the login.  Exim writes R=, H= and A= before SENDER, so
 *	after it those words are its text, not fields.
 *   On delivery lines recipient is the delivered address when Exim
 *	logged a full address first; for a local delivery logged as a
 *	local part, a pipe, a file, an autoreply or ":blackhole:" it is
 *	the original address in "<...>" when there is one.  The "<...>"
 *	address is orig_recipient when it is not already the recipient.
 *	transport is T= as configured (Exim's names are the operator's:
 *	"remote_smtp", "local_delivery", ...), except for a successful
 *	delivery by a local transport (T= but no H= host with an
 *	address: appendfile, pipe, lmtp, autoreply), whose transport is
 *	the conventional kind the other parsers use, "lmtp" when the
 *	name holds "lmtp" (any case), else "local": the aggregator tells
 *	mail delivered on the relay by those kinds.  relay is the H= value
 *	("mx.example.net [192.0.2.1]:25"), unset for a local delivery
 *	(a bare name when a local transport such as LMTP names a host).
 *	response is C= unquoted for "=>", and the error text for "**"
 *	and "==" (after the H= and T= fields: "SMTP error from remote
 *	mail server after RCPT TO:<r>: 550 5.1.1 ..."); dsn is the first
 *	enhanced status code that opens the reply or follows a ": ".
 *   The U= user of a local submission is not kept: EV_PICKUP carries
 *	the sender, which Exim derives from it, and uid -1.
 *   A delay warning is indistinguishable from a bounce in the log;
 *	both give NOTICE_NON_DELIVERY.
 *   stage is "CONNECT", "HELO", "MAIL", "RCPT", "DATA" (the DATA ACL
 *	before the body, and size or header refusals while reading it),
 *	"END-OF-MESSAGE" (after DATA, PRDR, MIME, non-SMTP and
 *	local_scan() refusals), else the command word Exim names
 *	("AUTH", "VRFY").  reject_origin is REJECT_MILTER for
 *	local_scan(), else REJECT_SMTPD.  A refusal of the whole
 *	connection in the connect ACL is an EV_REJECT (as Postfix's
 *	smtpd CONNECT refusals are); the daemon's own refusals ("refused
 *	connection from", "Connection from ... refused") and protocol
 *	errors are IGNORE_SESSION.
 *   A size (S=) that is not a decimal number fitting 64 bits is
 *	recorded as 0, as no size: Exim always writes S=%d, and its test
 *	suite's normalised logs write S=sss.
 *
 * Everything else Exim writes is ignored by reason: daemon start and
 * queue runs, connection and protocol noise, TLS errors, retry and
 * routing details naming a message, warnings; an ACL's discard of one
 * recipient ("F=<s> RCPT <r>: discarded by RCPT ACL") and of a whole
 * message (above) are filter actions; Exim's "removed by" line is
 * queue information, as "Completed" follows it.  A line that
 * starts like a message line (an ID and a flag) but whose ID or fields
 * are broken is malformed.
 *
 * Ownership: exim_next() hands out the parser's own events by pointer,
 * without a copy; an event and its strings are valid until the next
 * feed (exim_feed() or exim_feed_native()) or exim_parser_free(), the
 * events of one line all together.  The strings borrow from the line
 * fed, from the parser's own buffer (unquoted C= text, the text of a
 * 435 auth failure) or from static strings (stage names, program
 * "exim" of native lines).  One parser per input; it holds a
 * local-time cache and the values of the last stamp read, no
 * per-message state.
 */
#ifndef ZS_EXIM_H
#define ZS_EXIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "parsers/event.h"
#include "parsers/syslog.h"

struct exim_parser;

/* exim_parser_new - a parser; free with exim_parser_free() */
struct exim_parser *exim_parser_new(void);

/* exim_parser_free - free; NULL is a no-op */
void		exim_parser_free(struct exim_parser *p);

/*
 * exim_is_program - whether a syslog program name is Exim's: "exim",
 * "exim" followed by a version digit ("exim4"), either with a "-..."
 * suffix ("exim4-daemon").
 */
bool		exim_is_program(struct zstr program);

/* Every name exim_is_program() takes opens with one of these bytes. */
#define EXIM_PROGRAM_FIRST	"e"

/*
 * exim_is_native_line - whether a line opens with an Exim main log
 * stamp, "dddd-dd-dd dd:dd:dd" followed by the end, a space or '.'.
 * Only the shape is checked.  A syslog line with an ISO stamp written
 * with a space ("2026-11-26 21:31:55 host exim[1]: ...") has it too,
 * so a caller tries the syslog header first (see source.c).
 */
bool		exim_is_native_line(const char *line, size_t len);

/*
 * exim_is_continuation_line - whether a line starts with a space or a
 * tab and holds more: the second and later lines of a multi-line main
 * log entry (" Suggested action: ...").
 */
bool		exim_is_continuation_line(const char *line, size_t len);

/*
 * exim_feed_native - parse one main log line (no newline) of relay
 * host (borrowed; may be unset, the caller fills it in).  A
 * continuation line is ignored (IGNORE_WARNING); a stamp that is not a
 * real time is MALFORMED_HEADER.  On PARSE_IGNORED *ignore is set, on
 * PARSE_MALFORMED *malformed; either pointer may be NULL.
 */
enum parse_status exim_feed_native(struct exim_parser *p, const char *line,
		    size_t len, struct zstr host, enum ignore_reason *ignore,
		    enum malformed_reason *malformed);

/*
 * exim_feed - parse the message of one syslog line; PARSE_NOT_MINE
 * unless the program is Exim's.  Status pointers as above.
 */
enum parse_status exim_feed(struct exim_parser *p,
		    const struct syslog_header *hdr,
		    enum ignore_reason *ignore,
		    enum malformed_reason *malformed);

/*
 * exim_next - the next event of the last line fed, or NULL when none is
 * left.  The event is the parser's (see "Ownership" above).
 */
const struct mta_event *exim_next(struct exim_parser *p);

/*
 * exim_line_time - the time of the last line fed to exim_feed_native()
 * (UTC seconds and microseconds); false when it had no readable stamp
 * (a continuation, a malformed stamp) or came through exim_feed().
 */
bool		exim_line_time(const struct exim_parser *p, int64_t *sec,
		    uint32_t *usec);

/*
 * exim_is_message_id - an Exim message ID: six base-62 digits of time,
 * '-', then six digits of process ID and '-' two of fraction (before
 * Exim 4.97, "1ahr79-0006jK-G9"), or eleven and four (4.97 and later,
 * "1ahr79-000000006jK-0G9a").
 */
bool		exim_is_message_id(struct zstr s);

#endif
