#!/usr/bin/awk -f
# radius-to-subscribers.awk - turn FreeRADIUS accounting detail files
# into a zombiescan --subscribers table of address leases.
#
#   awk -f radius-to-subscribers.awk /var/log/freeradius/radacct/*/detail-* \
#       > /var/lib/zombiescan/leases.csv
#
# A detail file is a series of blocks separated by blank lines: a date
# line, then one "Attribute = value" line per attribute.  Each session
# (Acct-Unique-Session-Id, else Acct-Session-Id and User-Name) gives
# one row: the subscriber (User-Name, or the attribute named with
# -v id_attr=Class), "ip", its Framed-IP-Address (or Framed-IPv6-Prefix),
# and the lease from its Start to its Stop:
#
#   - Start opens a session; Stop closes it.
#   - A Stop or Interim-Update without a Start seen (the file began
#     mid-session) dates the start back by Acct-Session-Time.
#   - A session still open at the end has an open valid_until.
#
# The event time is Event-Timestamp when it is a number or is written
# in UTC/GMT ("Nov 25 2026 06:00:00 UTC"), else the Timestamp attribute
# FreeRADIUS adds to every record (seconds since the epoch).  A block
# with neither is skipped and counted on standard error.  Times are
# written in UTC ("2026-11-25T06:00:00Z").
#
# Plain POSIX awk: no gawk extensions.

BEGIN {
	if (id_attr == "")
		id_attr = "User-Name"
	split("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec", names, " ")
	for (i = 1; i <= 12; i++)
		month[names[i]] = i
	print "subscriber_id,kind,key,valid_from,valid_until"
	nblock = 0
	skipped = 0
}

# days_from_civil - days from 1970-01-01 to a Gregorian date
function days_from_civil(y, m, d,    era, yoe, doy, doe) {
	y -= (m <= 2)
	era = int((y >= 0 ? y : y - 399) / 400)
	yoe = y - era * 400
	doy = int((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1
	doe = yoe * 365 + int(yoe / 4) - int(yoe / 100) + doy
	return era * 146097 + doe - 719468
}

# iso - seconds since the epoch as ISO 8601 UTC
function iso(t,    z, era, doe, yoe, doy, mp, d, m, y, s) {
	s = t % 86400
	z = (t - s) / 86400 + 719468
	era = int((z >= 0 ? z : z - 146096) / 146097)
	doe = z - era * 146097
	yoe = int((doe - int(doe / 1460) + int(doe / 36524) - \
	    int(doe / 146096)) / 365)
	y = yoe + era * 400
	doy = doe - (365 * yoe + int(yoe / 4) - int(yoe / 100))
	mp = int((5 * doy + 2) / 153)
	d = doy - int((153 * mp + 2) / 5) + 1
	m = mp + (mp < 10 ? 3 : -9)
	y += (m <= 2)
	return sprintf("%04d-%02d-%02dT%02d:%02d:%02dZ", y, m, d,
	    int(s / 3600), int(s % 3600 / 60), s % 60)
}

# event_time - the block's time in seconds, or -1
function event_time(    v, f, n, hms) {
	v = attr["Event-Timestamp"]
	if (v ~ /^[0-9]+$/)
		return v + 0
	n = split(v, f, " ")
	if (n == 5 && (f[5] == "UTC" || f[5] == "GMT") && (f[1] in month) &&
	    split(f[4], hms, ":") == 3)
		return days_from_civil(f[3] + 0, month[f[1]], f[2] + 0) * 86400 + \
		    hms[1] * 3600 + hms[2] * 60 + hms[3]
	if (attr["Timestamp"] ~ /^[0-9]+$/)
		return attr["Timestamp"] + 0
	return -1
}

# clear - forget the last block's attributes
function clear(    k) {
	for (k in attr)
		delete attr[k]
}

# csv - a field, quoted when it holds a comma or a quote
function csv(s) {
	if (s !~ /[",]/)
		return s
	gsub(/"/, "\"\"", s)
	return "\"" s "\""
}

# emit - one lease row
function emit(id, ip, from, until) {
	if (id == "" || ip == "")
		return
	print csv(id) ",ip," csv(ip) "," (from >= 0 ? iso(from) : "") "," \
	    (until >= 0 ? iso(until) : "")
}

# block_end - act on the block just read
function block_end(    status, key, t, st, id, ip) {
	if (!inblock)
		return
	inblock = 0
	status = attr["Acct-Status-Type"]
	if (status != "Start" && status != "Stop" &&
	    status != "Interim-Update")
		return
	t = event_time()
	if (t < 0) {
		skipped++
		return
	}
	id = attr[id_attr]
	ip = attr["Framed-IP-Address"]
	if (ip == "")
		ip = attr["Framed-IPv6-Prefix"]
	key = attr["Acct-Unique-Session-Id"]
	if (key == "")
		key = attr["Acct-Session-Id"] SUBSEP attr["User-Name"]
	st = attr["Acct-Session-Time"] ~ /^[0-9]+$/ ? \
	    attr["Acct-Session-Time"] + 0 : -1
	if (status == "Start" || !(key in open_from)) {
		open_from[key] = status == "Start" ? t : \
		    (st >= 0 ? t - st : -1)
		open_order[++nopen] = key
	}
	if (id != "")
		open_id[key] = id
	if (ip != "")
		open_ip[key] = ip
	if (status == "Stop") {
		emit(open_id[key], open_ip[key], open_from[key], t)
		delete open_from[key]
	}
}

/^[ \t]*$/ {
	block_end()
	clear()
	next
}

# the date line that opens a block
/^[^ \t]/ {
	block_end()
	clear()
	inblock = 1
	next
}

# "	Attribute = value", the value unquoted
{
	line = $0
	sub(/^[ \t]+/, "", line)
	eq = index(line, " = ")
	if (eq == 0)
		next
	name = substr(line, 1, eq - 1)
	value = substr(line, eq + 3)
	if (value ~ /^".*"$/)
		value = substr(value, 2, length(value) - 2)
	attr[name] = value
	inblock = 1
}

END {
	block_end()
	# Sessions still open: the lease holds on.
	for (i = 1; i <= nopen; i++) {
		key = open_order[i]
		if (key in open_from) {
			emit(open_id[key], open_ip[key], open_from[key], -1)
			delete open_from[key]
		}
	}
	if (skipped > 0)
		printf("radius-to-subscribers: %d records without a usable " \
		    "time skipped\n", skipped) | "cat 1>&2"
}
