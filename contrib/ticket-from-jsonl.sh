#!/bin/sh
# ticket-from-jsonl.sh - open one ticket per likely zombie through a
# ticketing system's HTTP API.
#
#   zombiescan -q --format jsonl --min-score 70 /var/log/mail.log.1 |
#       TICKET_URL=https://tickets.example.net/api/v1/tickets \
#       TICKET_TOKEN=... sh contrib/ticket-from-jsonl.sh
#
# Each input line is one suspect (doc/report.md, "jsonl").  Each is
# POSTed as
#
#   {"queue":"abuse","source":"zombiescan","external_id":"zs-...",
#    "suspect":{...the line...}}
#
# external_id is the suspect's incident_id: the same for the same
# account and day in every run, so a re-run updates (or is refused as a
# duplicate of) the ticket it opened before instead of opening
# another.  The whole suspect record goes along as the ticket's data,
# so the analyst sees the reasons and the evidence (client IPs, sample
# queue IDs) in the ticket.  Exit status 1 when a ticket could not be
# filed (each such suspect is named on standard error); the others are
# still filed.
set -eu
: "${TICKET_URL:?set TICKET_URL to the ticket API endpoint}"
: "${TICKET_TOKEN:?set TICKET_TOKEN to the API token}"

status=0
while IFS= read -r suspect || [ -n "$suspect" ]; do
	[ -n "$suspect" ] || continue
	# The line is zombiescan's JSON: wrapped, not parsed here.  Its
	# incident_id is "zs-" and 16 hex digits; the pattern cannot match
	# inside a string, where a quote is escaped.
	id=$(printf '%s\n' "$suspect" |
	    sed -n 's/.*"incident_id":"\(zs-[0-9a-f]\{16\}\)".*/\1/p')
	if [ -z "$id" ]; then
		echo "ticket-from-jsonl: a line without an incident_id" \
		    "(not zombiescan's jsonl?)" >&2
		status=1
		continue
	fi
	body=$(printf '%s"external_id":"%s","suspect":%s}' \
	    '{"queue":"abuse","source":"zombiescan",' "$id" "$suspect")
	if ! printf '%s' "$body" | curl --silent --show-error --fail \
	    --max-time 30 --retry 3 \
	    -H "Authorization: Bearer $TICKET_TOKEN" \
	    -H "Content-Type: application/json" \
	    --data-binary @- "$TICKET_URL" >/dev/null; then
		echo "ticket-from-jsonl: $id: could not file a ticket" >&2
		status=1
	fi
done
exit "$status"
