#!/bin/sh
# ticket-from-jsonl.sh - open one ticket per likely zombie through a
# ticketing system's HTTP API.
#
#   zombiescan -q --format jsonl --min-score 70 /var/log/mail.log.1 |
#       TICKET_URL=https://tickets.example.net/api/v1/tickets \
#       TICKET_TOKEN=... sh contrib/ticket-from-jsonl.sh
#
# Each input line is one suspect (doc/report.md, "jsonl").  The
# suspect's incident_id is sent as the ticket's external reference:
# it is the same for the same account and day in every run, so a
# re-run updates (or is refused as a duplicate of) the ticket it
# opened before instead of opening another.  The whole suspect record
# goes along as the ticket's data, so the analyst sees the reasons and
# the evidence (client IPs, sample queue IDs) in the ticket.
set -eu
: "${TICKET_URL:?set TICKET_URL to the ticket API endpoint}"
: "${TICKET_TOKEN:?set TICKET_TOKEN to the API token}"

status=0
while IFS= read -r suspect; do
	[ -n "$suspect" ] || continue
	# The line is already JSON: wrap it without parsing it here.
	body=$(printf '{"queue":"abuse","source":"zombiescan","suspect":%s}' \
	    "$suspect")
	if ! printf '%s' "$body" | curl --silent --show-error --fail \
	    --max-time 30 --retry 3 \
	    -H "Authorization: Bearer $TICKET_TOKEN" \
	    -H "Content-Type: application/json" \
	    --data-binary @- "$TICKET_URL" >/dev/null; then
		echo "ticket-from-jsonl: could not file a ticket" >&2
		status=1
	fi
done
exit "$status"
