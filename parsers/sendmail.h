/*
 * sendmail - Sendmail log lines to events.
 *
 * Third stage for Sendmail relays.  Sendmail logs through syslog under
 * the label of its -L option: "sendmail" by default (SM_LOG_STR, Red
 * Hat), "sm-mta" for the daemon and "sm-msp-queue" for the client
 * queue runner on Debian and FreeBSD, and on Debian also "sm-msp",
 * "sm-mta-queue", "sm-mta-runq", "sm-que" and "sm-que-runq".  Because
 * the label is kept in argv, the daemon's process title can overwrite
 * it ("sm-acceptingconnections").  So "sendmail", "sendmail-*" and
 * "sm-*" are taken as Sendmail's, except "sm-notify" (the NFS status
 * monitor).
 *
 * Most lines are "QID: text"; "NOQUEUE: text" and lines without an ID
 * come from SMTP sessions and the daemon.  The kinds used (formats of
 * Sendmail 8.12 to 8.17: headers.c logsender(), deliver.c
 * logdelivery(), savemail.c returntosender(), parseaddr.c rscheck(),
 * srvrsmtp.c, milter.c):
 *
 *   "QID: from=<s>, size=N, class=N, nrcpts=N, msgid=<id>, bodytype=B,
 *    proto=P, daemon=D, relay=R"
 *	EV_CLIENT when R holds an address ("name [ip]", "[ip]", either
 *	followed by " (may be forged)", "ident@name [ip]"), else a local
 *	submission ("user@localhost", "localhost"): EV_PICKUP, except for
 *	the null sender, which Sendmail itself uses for DSNs.  Then
 *	EV_MESSAGE_ID when msgid= is logged, and EV_QUEUED (nrcpt from
 *	nrcpts=) last.  An "auth=" field (_FFR_LOG_MORE1) other than
 *	"NONE" gives the EV_CLIENT its sasl_method.
 *   "QID: to=r1,<r2>,\"a, b\"@x, ctladdr=..., delay=..., xdelay=...,
 *    mailer=M, pri=N, relay=R, dsn=X.Y.Z, reply=TEXT, stat=TEXT"
 *	one EV_DELIVERY per recipient, in order.  The list is split at
 *	commas outside quotes, <...> and (...); "Name <addr>" gives addr
 *	and "<addr>" addr.  A list cut with " [more]" (logdelivery()
 *	keeps lines short) is read as far as it goes.  transport is the
 *	mailer, relay is kept as logged, status comes from stat=: "Sent"
 *	sent (unless reply= was logged, which Sendmail does only for a
 *	failure), "Deferred" or a 4.x.x dsn deferred, else bounced;
 *	a line without mailer= names recipients that were never handed
 *	to a mailer (the message was refused at the end of DATA, or the
 *	client quit): DELIVERY_OTHER.  Without stat= (a cut line) the
 *	class of dsn= decides.  response is the stat= text, with "; "
 *	and the reply= text (the remote server's words) appended when
 *	logged.  "stat=queued" and "stat=quarantined" report no attempt
 *	and are ignored (IGNORE_QUEUE_INFO, IGNORE_FILTER_ACTION).  A
 *	sent delivery whose stat= is a Sendmail server's "Sent (QID2
 *	Message accepted for delivery)" has related_queue_id QID2: the
 *	MSP handing local mail to the relay's MTA names the copy so.
 *   "QID: QID2: DSN: text", "... return to sender: text", "... sender
 *    notify: text", "... postmaster notify: text"
 *	EV_BOUNCE_NOTICE, queue_id QID (the original), related_queue_id
 *	QID2 (the DSN), response the text; notice NOTICE_DELAY for
 *	"sender notify", NOTICE_DELIVERY_STATUS for "DSN: Return
 *	receipt", NOTICE_NON_DELIVERY otherwise.  When the text says the
 *	message timed out ("Cannot send message for 5 days", "delivery
 *	time expired") an EV_EXPIRED for QID follows: Sendmail logs no
 *	per-recipient line when it gives up.
 *   "QID: done; delay=..., ntries=N" (LogLevel 10 and up, after a queue
 *    run)	EV_REMOVED.
 *   "AUTH=server, relay=R, authid=U, mech=M, bits=N"	EV_AUTH_OK.
 *   "AUTH failure (M): text, user=U, relay=R"	EV_AUTH_FAILED.
 *   "ruleset=check_rcpt, arg1=<r>, relay=R, reject=550 5.7.1 ..."
 *	EV_REJECT, REJECT_SMTPD.  Stage: check_relay CONNECT, check_helo
 *	HELO, check_mail MAIL, check_rcpt RCPT, check_data DATA,
 *	check_eoh and check_eom END-OF-MESSAGE, check_etrn/expn/vrfy
 *	ETRN/EXPN/VRFY, other rulesets (header checks) their own name.
 *	arg1 is the sender (check_mail), recipient (check_rcpt), HELO
 *	name (check_helo) or client (check_relay, with arg2 the address,
 *	when relay= is missing).  ", discard" and ", quarantine=" are
 *	IGNORE_FILTER_ACTION.
 *   "Milter: from=<s>, reject=...", "Milter: to=<r>, reject=...",
 *    "Milter: helo=H, reject=...", "Milter: connect: host=H, addr=A,
 *    reject=...", "Milter: cmd=data, reject=..." (DATA), "Milter: data,
 *    reject=..." (END-OF-MESSAGE)	EV_REJECT, REJECT_MILTER.  The
 *	per-filter "milter=NAME, ..., reject=" lines repeat a "Milter:"
 *	line logged beside them and are IGNORE_FILTER_ACTION.
 *   "QID: <addr>... text"	a user error Sendmail logged while
 *	checking an SMTP or command-line address (unknown user, bad
 *	syntax): EV_REJECT, REJECT_SMTPD, recipient addr, response text,
 *	no stage (the line does not say MAIL or RCPT).
 *   "rejecting commands from R due to pre-greeting traffic after N
 *    seconds"	EV_REJECT, stage CONNECT, response from "pre-greeting".
 *   "NOQUEUE: connect from R" (LogLevel 10 and up)	EV_CONNECT when R
 *	holds an address, else IGNORE_SESSION.
 *
 * Lines about the SMTP session rather than a message (AUTH lines,
 * refusals at CONNECT, HELO, ETRN, EXPN, VRFY) carry no queue ID, even
 * where Sendmail prefixes the session's envelope ID.  Client addresses
 * are kept as logged, "IPv6:" prefix included; a "name" of only "[ip]"
 * leaves client_name unset, and an ident user ("user@name") is dropped.
 *
 * Ignored with a reason: STARTTLS and tls_*_features lines (TLS);
 * "did not issue MAIL/EXPN/VRFY/ETRN", "lost input channel", "timeout
 * waiting for input", "collect: ...", "Syntax error in mailbox
 * address", "possible SMTP attack", "probable open proxy", EXPN/VRFY/
 * ETRN commands, "AUTH=client" and other AUTH notes (SESSION); daemon
 * start, restart, load and alias database notes (DAEMON); SYSERR and
 * warnings (WARNING); other "Milter" lines, "discarded", quarantines
 * (FILTER_ACTION); clone and split notes, other "QID: ..." details and
 * the parts "QID[N]: ..." of a line syslog() could not take whole
 * (QUEUE_INFO); anything else (UNRECOGNISED).  A line of an event kind
 * with a bad queue ID is MALFORMED_QUEUE_ID, with a broken field
 * MALFORMED_FIELD.
 *
 * Queue IDs: Sendmail 8.12 and later write eight base-60 characters
 * (year mod 60, month, day, hour, minute, second, two sequence
 * characters) and the process ID in at least six digits, 14 or 15
 * characters in all (queue.c assign_queueid()); 8.10 and 8.11 wrote
 * seven characters and five digits.  12 to 16 characters are accepted
 * with the date characters checked.  Before 8.10 an ID was three
 * letters and the process ID in five (up to seven) digits: "LAA12345".
 *
 * Push/pull: sendmail_feed() parses one line, then sendmail_next()
 * hands out its events (one for most lines, several for "from=" and
 * "to=" lines).  Each event is built in the parser's own output event
 * and handed out by pointer, without a copy: the event is valid until
 * the next sendmail_next() or sendmail_feed() (or
 * sendmail_parser_free()), which reuse it; its strings borrow from the
 * line and from the parser (the composed response) and are valid until
 * the next sendmail_feed().  The parser holds no per-message state.
 */
#ifndef ZS_SENDMAIL_H
#define ZS_SENDMAIL_H

#include <stdbool.h>

#include "parsers/event.h"
#include "parsers/syslog.h"

struct sendmail_parser;

/* sendmail_parser_new - a parser; free with sendmail_parser_free() */
struct sendmail_parser *sendmail_parser_new(void);

/* sendmail_parser_free - free; NULL is a no-op */
void		sendmail_parser_free(struct sendmail_parser *p);

/* sendmail_is_program - whether a syslog program name is Sendmail's */
bool		sendmail_is_program(struct zstr program);

/* Every name sendmail_is_program() takes opens with one of these bytes. */
#define SENDMAIL_PROGRAM_FIRST	"s"

/*
 * sendmail_feed - parse one line.  On PARSE_IGNORED *ignore is set, on
 * PARSE_MALFORMED *malformed; either pointer may be NULL.
 */
enum parse_status sendmail_feed(struct sendmail_parser *p,
		    const struct syslog_header *hdr,
		    enum ignore_reason *ignore,
		    enum malformed_reason *malformed);

/*
 * sendmail_next - the next event of the last line fed, or NULL when
 * none is left.  The event is the parser's: see above for how long it
 * lasts.
 */
const struct mta_event *sendmail_next(struct sendmail_parser *p);

/* sendmail_is_queue_id - whether s is a Sendmail queue ID (any era) */
bool		sendmail_is_queue_id(struct zstr s);

#endif
