#!/bin/sh
# partial.sh - end-to-end test of partial aggregates: split the logs of
# a relay at several points (inside a message's lines too, and across
# files and relays), save a partial of each part with --save-partial,
# merge them with "zombiescan merge" and compare the report with the
# one a single run over the same files in the same order writes, byte
# for byte but for open_peak (the most messages open at once, a
# property of the run, doc/partial-format.md).  Postfix logs come from
# testdata/sample, Exim and Sendmail logs from tools/zssim.  Then
# damaged, truncated, newer and out-of-order partials must be refused
# with exit status 2 and a message.
set -u

. "$(dirname "$0")/lib.sh"
zs_init partial 1796083200	# 2026-12-01T00:00:00Z
prog="$top_builddir/zombiescan"
zssim="$top_builddir/tools/zssim"
zs_need "$prog" "$zssim"
zs_tmpdir
cd "$tmp" || exit 99

failed=0
checks=0

# fail - report one failure
fail() {
	echo "FAIL: $*"
	failed=$((failed + 1))
}

# same_report - compare two reports without open_peak
same_report() {
	sed '/"open_peak"/d' "$1" >"$1.cmp"
	sed '/"open_peak"/d' "$2" >"$2.cmp"
	cmp -s "$1.cmp" "$2.cmp"
}

# same_report_but_refusals A B - same_report(), less the members
# evidence.refusals, which partials of versions 1 to 3 do not hold (and
# those before 7 hold without the client's address), and
# evidence.remote_rejections (none before version 8), and the samples'
# client_ip
same_report_but_refusals() {
	for f in "$1" "$2"; do
		awk '/"(refusals|remote_rejections)": \[\],?$/ { next }
		    /"(refusals|remote_rejections)": \[$/ { skip = 1; next }
		    skip && /^ *\],?$/ { skip = 0; next }
		    !skip' "$f" | without_sample_clients >"$f.nr"
	done
	same_report "$1.nr" "$2.nr"
}

# without_sample_clients - a report without the samples' client_ip
# lines, which partials before format 7 do not keep
without_sample_clients() {
	grep -v '^            "client_ip": '
}

# same_report_but_clients A B - same_report, but for the samples'
# client_ip (partials before format 7)
same_report_but_clients() {
	for f in "$1" "$2"; do
		without_sample_clients <"$f" >"$f.nc"
	done
	same_report "$1.nc" "$2.nc"
}

# inside_message FILE N - the first line at or after N whose queue ID
# (Postfix and Sendmail: the word after the tag) appears again later,
# so that splitting after it splits that message's lines
inside_message() {
	awk -v from="$2" '
	    { q = $6; if (q ~ /^[0-9A-Za-z]+:$/) { last[q] = NR; line[NR] = q } }
	    END {
		for (i = from; i < NR; i++)
			if ((i in line) && last[line[i]] > i) { print i; exit }
		print from
	    }' "$1"
}

# split_check NAME OPTS LOG OTHER N... - for each N: parts LOG[1..N],
# LOG[N+1..]; a one-pass run over part1 OTHER part2 against the merge
# of a partial of part1 and OTHER and a partial of part2
split_check() {
	name=$1 opts=$2 log=$3 other=$4
	shift 4
	for n in "$@"; do
		checks=$((checks + 1))
		head -n "$n" "$log" >p1.log
		tail -n +"$((n + 1))" "$log" >p2.log
		# shellcheck disable=SC2086
		"$prog" --all $opts -o one.json p1.log $other p2.log 2>err ||
		    { fail "$name $n: one pass: $(cat err)"; continue; }
		# shellcheck disable=SC2086
		"$prog" $opts --save-partial a.zsp p1.log $other 2>err &&
		"$prog" $opts --save-partial b.zsp p2.log 2>>err &&
		"$prog" merge --all -o merged.json a.zsp b.zsp 2>>err ||
		    { fail "$name $n: partial run: $(cat err)"; continue; }
		same_report one.json merged.json ||
		    fail "$name split after line $n: merged report differs" \
		    "$(diff one.json.cmp merged.json.cmp | head -5)"
	done
}

# joined_check NAME OPTS LOG COUNT - one pass over LOG joins COUNT
# copies of messages, and no account is 127.0.0.1 (a filter's or the
# relay's own address); then LOG is split after every line
joined_check() {
	checks=$((checks + 1))
	# shellcheck disable=SC2086
	"$prog" $2 -s 0 -o "$1.json" "$3" 2>err ||
	    fail "$1: one pass: $(cat err)"
	if grep -q '127\.0\.0\.1' "$1.json"; then
		fail "$1: an account of 127.0.0.1"
	fi
	grep -q "\"messages_joined\": $4," "$1.json" ||
	    fail "$1: not $4 copies joined"
	# shellcheck disable=SC2046
	split_check "$1" "$2" "$3" "" $(seq 1 $(($(wc -l <"$3") - 1)))
}

# Postfix: the sample's relay1 logs as one text, relay2 as another file.
sample="$top_srcdir/testdata/sample/input"
gzip -dc "$sample/relay1-mail.log-20261126.gz" "$sample/relay1-mail.log.gz" \
    >r1.log || exit 99
gzip -dc "$sample/relay2-mail.log-20261126.gz" "$sample/relay2-mail.log.gz" \
    >r2.log || exit 99
lines=$(wc -l <r1.log)
split_check postfix "--year 2026" r1.log r2.log 1 \
    "$(inside_message r1.log 2000)" "$(inside_message r1.log 9000)" \
    "$(inside_message r1.log 15000)" "$((lines - 1))"

# Three parts of one relay, merged in time order.
checks=$((checks + 1))
head -n 6000 r1.log >q1.log
sed -n '6001,12000p' r1.log >q2.log
tail -n +12001 r1.log >q3.log
"$prog" --all --year 2026 -o one.json q1.log q2.log q3.log r2.log
for i in 1 2 3; do
	"$prog" --year 2026 --save-partial "q$i.zsp" "q$i.log" || fail "q$i"
done
"$prog" --year 2026 --save-partial r2.zsp r2.log || fail r2
"$prog" merge --all -o merged.json q1.zsp q2.zsp q3.zsp r2.zsp ||
    fail "three parts: merge failed"
same_report one.json merged.json || fail "three parts: merged report differs"
# A partial piped in from the run that saves it ("ssh relay ... |").
"$prog" --year 2026 --save-partial - q2.log |
    "$prog" merge --all -o piped.json q1.zsp - q3.zsp r2.zsp ||
    fail "a partial on standard input: merge failed"
same_report one.json piped.json ||
    fail "a partial on standard input: merged report differs"

# With a --since/--until window, which the merged report states too.
window="--year 2026 --since 2026-11-25T06:00:00Z --until 2026-11-26T12:00:00Z"
split_check window "$window" r1.log r2.log "$(inside_message r1.log 9000)"

# Exim and Sendmail from the simulator (one relay each).
for fmt in exim sendmail; do
	"$zssim" --outdir "sim-$fmt" --format "$fmt" --subscribers 40 \
	    --relays 1 >/dev/null 2>&1 || { fail "zssim $fmt"; continue; }
	log=$(find "sim-$fmt" -type f ! -name labels.csv | head -n 1)
	lines=$(wc -l <"$log")
	if [ "$fmt" = sendmail ]; then
		points="$(inside_message "$log" $((lines / 3))) \
		    $(inside_message "$log" $((lines * 2 / 3)))"
	else
		points="$((lines / 3)) $((lines * 2 / 3))"
	fi
	# shellcheck disable=SC2086
	split_check "$fmt" "--year 2026 --host relay1" "$log" "" 1 $points \
	    "$((lines - 1))"
done

# A relay whose content filter (amavisd-new style) hands each message
# back as a copy from 127.0.0.1 (testdata/filter): the remote servers'
# answers to the copy belong to the subscriber who sent the message.
# Messages overlap, and the log is split after every line.
cp "$top_srcdir/testdata/filter/input/mail.log" filter.log || exit 99
joined_check filter "--year 2026" filter.log 14

# A relay whose pipe(8) filter submits each message again through
# sendmail (testdata/pipefilter): copies found by Message-ID and
# sender, submitted before or after the delivery to the filter is
# logged, one per message or one per recipient, some too late.
cp "$top_srcdir/testdata/pipefilter/input/mail.log" pipe.log || exit 99
joined_check pipe "--year 2026" pipe.log 15

# A relay whose DISCARD actions end messages without a "removed" line
# (testdata/discard), split after every line: the carried events keep
# what kind of refusal each was.
cp "$top_srcdir/testdata/discard/input/mail.log" discard.log || exit 99
# shellcheck disable=SC2046
split_check discard "--year 2026" discard.log "" \
    $(seq 1 $(($(wc -l <discard.log) - 1)))

# Sendmail transactions that end otherwise than in one accepted message
# (testdata/smtrans: a reused process without a login, an abandoned
# transaction, a discard, the size limit, an alias with a deferred
# member), split after every line.
cp "$top_srcdir/testdata/smtrans/input/maillog" smtrans.log || exit 99
# shellcheck disable=SC2046
split_check smtrans "--year 2026" smtrans.log "" \
    $(seq 1 $(($(wc -l <smtrans.log) - 1)))

# exim_filter_log PIPE - an Exim relay whose router and transport hand
# each message to a filter: over SMTP, the filter re-injecting it
# ("250 OK id=ID" names the copy); or (PIPE 1) on a pipe transport
# that submits it again (exim -bS), the copy logged before or after the
# delivery to the filter and found by Message-ID (id=) and sender
exim_filter_log() {
	awk -v pipe="$1" 'BEGIN {
	for (i = 1; i <= 8; i++) {
		t = 36000 + 2 * i
		p = sprintf("1tQx%02d-00000004VdR-Aa01", i)
		c = sprintf("1tQy%02d-00000004VdS-Bb02", i)
		u = "user" (i % 3)
		L(t, p " <= " u "@isp.example H=(pc" i ") [198.18.0." i \
		    "]:50001 I=[192.0.2.10]:587 P=esmtpa A=dovecot_plain:" u \
		    " S=1200 id=" i "@pc")
		if (!pipe)
			L(t + 1, c " <= " u "@isp.example H=localhost" \
			    " (relay1) [127.0.0.1]:40001 I=[127.0.0.1]:10025" \
			    " P=esmtp S=1500 id=" i "@pc")
		else if (i % 2)
			L(t + 1, c " <= " u "@isp.example U=Debian-exim" \
			    " P=spam-scanned S=1500 id=" i "@pc")
		if (!pipe)
			L(t + 2, p " => r" i "@remote.example R=amavis" \
			    " T=amavis H=127.0.0.1 [127.0.0.1]:10024" \
			    " C=\"250 2.0.0 from MTA(smtp:[127.0.0.1]:10025):" \
			    " 250 OK id=" c "\" QT=1s DT=1s")
		else
			L(t + 2, p " => r" i "@remote.example R=spamcheck" \
			    " T=spamcheck")
		if (pipe && !(i % 2))
			L(t + 2, c " <= " u "@isp.example U=Debian-exim" \
			    " P=spam-scanned S=1500 id=" i "@pc")
		L(t + 2, p " Completed")
		if (i % 2 == 0)
			L(t + 4, c " ** r" i "@remote.example R=dnslookup" \
			    " T=remote_smtp H=mx.remote.example" \
			    " [203.0.113.5]:25: SMTP error from remote mail" \
			    " server after end of data: 550 5.7.1 Message" \
			    " rejected as spam")
		else
			L(t + 4, c " => r" i "@remote.example R=dnslookup" \
			    " T=remote_smtp H=mx.remote.example" \
			    " [203.0.113.5]:25 C=\"250 ok\"")
		L(t + 5, c " Completed")
	}
}
function L(t, text) {
	printf "%06d %s\n", t, text
}' | sort -s -k1,1n | awk '{
	t = $1; sub(/^[0-9]+ /, "")
	printf "2026-11-25 %02d:%02d:%02d %s\n", int(t / 3600),
	    int(t / 60) % 60, t % 60, $0
}'
}
exim_filter_log 0 >exim-filter.log
joined_check exim-filter "--host relay1" exim-filter.log 8
exim_filter_log 1 >exim-pipe.log
joined_check exim-pipe "--host relay1" exim-pipe.log 8

# A Sendmail relay whose MSP hands local mail to the MTA over SMTP
# ("stat=Sent (ID Message accepted for delivery)"): the copy the MTA
# takes from 127.0.0.1 is joined to the local submission.  Message 8
# waits two hours in the queue of the MSP, then goes as two copies;
# "done" follows some copies.
awk 'BEGIN {
	for (i = 1; i <= 8; i++) {
		t = 36000 + 3 * i
		m = sprintf("j061bW%cV%06d", 96 + i, 800 + i)
		c = sprintf("j061bX%cn%06d", 96 + i, 900 + i)
		u = "user" (i % 3)
		L(t, "sendmail[" (800 + i) "]: " m ": from=" u ", size=2000," \
		    " class=0, nrcpts=2, msgid=<" i ".j061@relay1>, relay=" u \
		    "@localhost")
		if (i != 8)
			from_mta(t + 1, c, u, i, 2)
		if (i == 8) {
			# the MTA refuses the connection: both
			# recipients wait in the queue of the MSP; two
			# hours later the first goes, the second waits
			# again
			L(t + 1, "sendmail[" (800 + i) "]: " m ": to=r1." i \
			    "@remote.example,r2." i "@remote.example," \
			    " ctladdr=" u " (501/20), delay=00:00:01," \
			    " xdelay=00:00:00, mailer=relay, pri=30151," \
			    " relay=localhost, dsn=4.0.0, stat=Deferred:" \
			    " Connection refused by localhost")
			t += 7200
			from_mta(t + 1, c, u, i, 2)
			to_mta(t + 1, m, u, "r1." i "@remote.example", c)
			L(t + 1, "sendmail[" (800 + i) "]: " m ": to=r2." i \
			    "@remote.example, ctladdr=" u " (501/20)," \
			    " delay=02:00:01, xdelay=00:00:00, mailer=relay," \
			    " pri=30151, relay=localhost, dsn=4.0.0," \
			    " stat=Deferred: Connection refused by localhost")
		} else
			to_mta(t + 1, m, u, "r1." i "@remote.example,r2." i \
			    "@remote.example", c)
		if (i % 2)
			L(t + 1, "sendmail[" (800 + i) "]: " m ": done")
		if (i % 3 == 0 || i == 8)
			L(t + 5, "sendmail[" (1000 + i) "]: " c ": to=<r1." \
			    i "@remote.example>, delay=00:00:04," \
			    " xdelay=00:00:04, mailer=esmtp, pri=30373," \
			    " relay=mx.remote.example. [203.0.113.5]," \
			    " dsn=5.7.1, stat=Service unavailable," \
			    " reply=550 5.7.1 Message rejected as spam")
		else
			L(t + 5, "sendmail[" (1000 + i) "]: " c ": to=<r1." \
			    i "@remote.example>, delay=00:00:04," \
			    " xdelay=00:00:04, mailer=esmtp, pri=30373," \
			    " relay=mx.remote.example. [203.0.113.5]," \
			    " dsn=2.0.0, stat=Sent (ok)")
		if (i != 8)
			L(t + 6, "sendmail[" (1000 + i) "]: " c ": to=<r2." \
			    i "@remote.example>, delay=00:00:05," \
			    " xdelay=00:00:01, mailer=esmtp, pri=30373," \
			    " relay=mx.remote.example. [203.0.113.5]," \
			    " dsn=2.0.0, stat=Sent (ok)")
		if (i % 4 < 2 || i == 8)
			L(t + 6 + (i % 4) * 90, "sendmail[" (1000 + i) "]: " c \
			    ": done")
	}
	# the second recipient of message 8, a queue run later
	m = sprintf("j061bW%cV%06d", 104, 808)
	c = sprintf("j061bY%cn%06d", 104, 918)
	from_mta(43500, c, "user2", 8, 1)
	to_mta(43500, m, "user2", "r2.8@remote.example", c)
	L(43504, "sendmail[1018]: " c ": to=<r2.8@remote.example>," \
	    " delay=00:00:04, xdelay=00:00:04, mailer=esmtp, pri=30373," \
	    " relay=mx.remote.example. [203.0.113.5], dsn=5.7.1," \
	    " stat=Service unavailable, reply=550 5.7.1 Message rejected" \
	    " as spam")
	L(43505, "sendmail[1018]: " c ": done")
}
function from_mta(t, c, u, i, n) {
	L(t, "sendmail[" (900 + i) "]: " c ": from=<" u "@relay1.isp" \
	    ".example>, size=2200, class=0, nrcpts=" n ", msgid=<" i \
	    ".j061@relay1>, proto=ESMTP, daemon=MTA, relay=localhost" \
	    " [127.0.0.1]")
}
function to_mta(t, m, u, list, c) {
	L(t, "sendmail[" (800 + i) "]: " m ": to=" list ", ctladdr=" u \
	    " (501/20), delay=00:00:01, xdelay=00:00:00, mailer=relay," \
	    " pri=30151, relay=localhost [127.0.0.1], dsn=2.0.0, stat=Sent" \
	    " (" c " Message accepted for delivery)")
}
function L(t, text) {
	printf "%06d %s\n", t, text
}' | sort -s -k1,1n | awk '{
	t = $1; sub(/^[0-9]+ /, "")
	printf "Nov 25 %02d:%02d:%02d relay1 %s\n", int(t / 3600),
	    int(t / 60) % 60, t % 60, $0
}' >msp.log
joined_check msp "--year 2026" msp.log 9

# SMTP sessions open across a split.  A login is remembered for the
# session of its process (relay and pid), and a later line of that
# process that names no user (Sendmail's "from=" and check_rcpt
# refusals, Postfix's "NOQUEUE: reject") goes to the SASL account,
# not to the client address; the session ends with a disconnect, a
# new connect of the pid, or an hour of the relay's log time without
# a line of the process.  Each log is split after every line.

# tally REPORT - each account of a report with its messages, local
# rejections and failed logins, one line each, sorted
tally() {
	awk -F'"' '
	    $2 == "account" { a = $4; m = r = "" }
	    a == "" { next }
	    $2 == "messages" && m == "" { m = $3 }
	    $2 == "local_rejections" { r = $3 }
	    $2 == "auth_failures" {
		f = $3
		gsub(/[^0-9]/, "", m); gsub(/[^0-9]/, "", r)
		gsub(/[^0-9]/, "", f)
		print a, m, r, f
		a = ""
	    }' "$1" | sort
}

# session_check NAME LOG - one pass over LOG must give the accounts of
# NAME.want (see tally), and LOG split after any line the same report
session_check() {
	checks=$((checks + 1))
	if ! "$prog" --all --year 2026 --host relay1 -o one.json "$2" 2>err; then
		fail "$1: one pass: $(cat err)"
	elif ! tally one.json >"$1.got" || ! cmp -s "$1.want" "$1.got"; then
		fail "$1: one pass: accounts differ" \
		    "$(diff "$1.want" "$1.got")"
	fi
	# shellcheck disable=SC2046
	split_check "$1" "--year 2026 --host relay1" "$2" "" \
	    $(awk 'NR > 1 { print NR - 1 }' "$2")
}

# Sendmail: alice logs in (pid 4100) and sends a message every ten
# minutes for over three hours, each "from=" line naming the client
# of the login, three with a check_rcpt refusal first: her lines keep
# the session alive long after the login.  From 11:11 the process is
# quiet for over an hour while a printer and a listed address go on:
# the session is over, and the message at 12:30 is the address's.
sm='relay1 sm-mta'
pc='pc17.dsl.example.net [198.51.100.17]'
authid='authid=alice@example.net, mech=PLAIN, bits=0'
fa="size=2100, class=0, nrcpts=1, proto=ESMTPSA, daemon=MTA, relay=$pc"
fl='size=800, class=0, nrcpts=1, proto=ESMTP, daemon=MTA,'
fl="$fl relay=printer.lan.example.net [10.0.0.5]"
mx='delay=00:00:01, xdelay=00:00:01, mailer=esmtp, pri=30000,'
mx="$mx relay=mx.example.org. [203.0.113.25]"
sent="$mx, dsn=2.0.0, stat=Sent (ok)"
unknown="$mx, dsn=5.1.1, stat=User unknown"
norcpt="ruleset=check_rcpt, arg1=<nx@example.com>, relay=$pc,"
norcpt="$norcpt reject=550 5.7.1 <nx@example.com>... Recipient refused"
rbl='ruleset=check_relay, arg1=[203.0.113.9], arg2=203.0.113.9,'
rbl="$rbl relay=[203.0.113.9], reject=554 5.7.1 Listed at a DNSBL"
cat >sm-session.log <<EOF
Nov 26 07:45:30 ${sm}[5000]: 6AQ7jU01005000: from=<scan@lan.example.net>, $fl
Nov 26 07:45:31 ${sm}[5001]: 6AQ7jU01005000: to=<office@example.org>, $sent
Nov 26 08:00:04 ${sm}[4100]: AUTH=server, relay=$pc, $authid
Nov 26 08:01:00 ${sm}[4100]: 6AQ81002004100: from=<alice@example.net>, $fa
Nov 26 08:01:01 ${sm}[4300]: 6AQ81002004100: to=<a1@example.org>, $sent
Nov 26 08:05:30 ${sm}[5010]: 6AQ85U01005010: from=<scan@lan.example.net>, $fl
Nov 26 08:05:31 ${sm}[5011]: 6AQ85U01005010: to=<office@example.org>, $sent
Nov 26 08:11:00 ${sm}[4100]: 6AQ8B002004100: from=<alice@example.net>, $fa
Nov 26 08:11:01 ${sm}[4301]: 6AQ8B002004100: to=<a2@example.org>, $sent
Nov 26 08:21:00 ${sm}[4100]: 6AQ8L002004100: from=<alice@example.net>, $fa
Nov 26 08:21:01 ${sm}[4302]: 6AQ8L002004100: to=<a3@example.org>, $sent
Nov 26 08:25:30 ${sm}[5020]: 6AQ8PU01005020: from=<scan@lan.example.net>, $fl
Nov 26 08:25:31 ${sm}[5021]: 6AQ8PU01005020: to=<office@example.org>, $sent
Nov 26 08:31:00 ${sm}[4100]: 6AQ8V002004100: $norcpt
Nov 26 08:31:00 ${sm}[4100]: 6AQ8V002004100: from=<alice@example.net>, $fa
Nov 26 08:31:01 ${sm}[4303]: 6AQ8V002004100: to=<a4@example.org>, $sent
Nov 26 08:38:12 ${sm}[6518]: $rbl
Nov 26 08:41:00 ${sm}[4100]: 6AQ8f002004100: from=<alice@example.net>, $fa
Nov 26 08:41:01 ${sm}[4304]: 6AQ8f002004100: to=<a5@example.org>, $sent
Nov 26 08:45:30 ${sm}[5030]: 6AQ8jU01005030: from=<scan@lan.example.net>, $fl
Nov 26 08:45:31 ${sm}[5031]: 6AQ8jU01005030: to=<office@example.org>, $sent
Nov 26 08:51:00 ${sm}[4100]: 6AQ8p002004100: from=<alice@example.net>, $fa
Nov 26 08:51:01 ${sm}[4305]: 6AQ8p002004100: to=<a6@example.org>, $sent
Nov 26 09:01:00 ${sm}[4100]: 6AQ91002004100: from=<alice@example.net>, $fa
Nov 26 09:01:01 ${sm}[4306]: 6AQ91002004100: to=<old@example.org>, $unknown
Nov 26 09:05:30 ${sm}[5040]: 6AQ95U01005040: from=<scan@lan.example.net>, $fl
Nov 26 09:05:31 ${sm}[5041]: 6AQ95U01005040: to=<office@example.org>, $sent
Nov 26 09:11:00 ${sm}[4100]: 6AQ9B002004100: from=<alice@example.net>, $fa
Nov 26 09:11:01 ${sm}[4307]: 6AQ9B002004100: to=<a8@example.org>, $sent
Nov 26 09:21:00 ${sm}[4100]: 6AQ9L002004100: from=<alice@example.net>, $fa
Nov 26 09:21:01 ${sm}[4308]: 6AQ9L002004100: to=<a9@example.org>, $sent
Nov 26 09:25:30 ${sm}[5050]: 6AQ9PU01005050: from=<scan@lan.example.net>, $fl
Nov 26 09:25:31 ${sm}[5051]: 6AQ9PU01005050: to=<office@example.org>, $sent
Nov 26 09:31:00 ${sm}[4100]: 6AQ9V002004100: $norcpt
Nov 26 09:31:00 ${sm}[4100]: 6AQ9V002004100: from=<alice@example.net>, $fa
Nov 26 09:31:01 ${sm}[4309]: 6AQ9V002004100: to=<a10@example.org>, $sent
Nov 26 09:41:00 ${sm}[4100]: 6AQ9f002004100: from=<alice@example.net>, $fa
Nov 26 09:41:01 ${sm}[4310]: 6AQ9f002004100: to=<a11@example.org>, $sent
Nov 26 09:45:30 ${sm}[5060]: 6AQ9jU01005060: from=<scan@lan.example.net>, $fl
Nov 26 09:45:31 ${sm}[5061]: 6AQ9jU01005060: to=<office@example.org>, $sent
Nov 26 09:51:00 ${sm}[4100]: 6AQ9p002004100: from=<alice@example.net>, $fa
Nov 26 09:51:01 ${sm}[4311]: 6AQ9p002004100: to=<a12@example.org>, $sent
Nov 26 09:58:12 ${sm}[6598]: $rbl
Nov 26 10:01:00 ${sm}[4100]: 6AQA1002004100: from=<alice@example.net>, $fa
Nov 26 10:01:01 ${sm}[4312]: 6AQA1002004100: to=<old@example.org>, $unknown
Nov 26 10:05:30 ${sm}[5070]: 6AQA5U01005070: from=<scan@lan.example.net>, $fl
Nov 26 10:05:31 ${sm}[5071]: 6AQA5U01005070: to=<office@example.org>, $sent
Nov 26 10:11:00 ${sm}[4100]: 6AQAB002004100: from=<alice@example.net>, $fa
Nov 26 10:11:01 ${sm}[4313]: 6AQAB002004100: to=<a14@example.org>, $sent
Nov 26 10:21:00 ${sm}[4100]: 6AQAL002004100: from=<alice@example.net>, $fa
Nov 26 10:21:01 ${sm}[4314]: 6AQAL002004100: to=<a15@example.org>, $sent
Nov 26 10:25:30 ${sm}[5080]: 6AQAPU01005080: from=<scan@lan.example.net>, $fl
Nov 26 10:25:31 ${sm}[5081]: 6AQAPU01005080: to=<office@example.org>, $sent
Nov 26 10:31:00 ${sm}[4100]: 6AQAV002004100: $norcpt
Nov 26 10:31:00 ${sm}[4100]: 6AQAV002004100: from=<alice@example.net>, $fa
Nov 26 10:31:01 ${sm}[4315]: 6AQAV002004100: to=<a16@example.org>, $sent
Nov 26 10:41:00 ${sm}[4100]: 6AQAf002004100: from=<alice@example.net>, $fa
Nov 26 10:41:01 ${sm}[4316]: 6AQAf002004100: to=<a17@example.org>, $sent
Nov 26 10:45:30 ${sm}[5090]: 6AQAjU01005090: from=<scan@lan.example.net>, $fl
Nov 26 10:45:31 ${sm}[5091]: 6AQAjU01005090: to=<office@example.org>, $sent
Nov 26 10:51:00 ${sm}[4100]: 6AQAp002004100: from=<alice@example.net>, $fa
Nov 26 10:51:01 ${sm}[4317]: 6AQAp002004100: to=<a18@example.org>, $sent
Nov 26 11:01:00 ${sm}[4100]: 6AQB1002004100: from=<alice@example.net>, $fa
Nov 26 11:01:01 ${sm}[4318]: 6AQB1002004100: to=<a19@example.org>, $sent
Nov 26 11:05:30 ${sm}[5100]: 6AQB5U01005100: from=<scan@lan.example.net>, $fl
Nov 26 11:05:31 ${sm}[5101]: 6AQB5U01005100: to=<office@example.org>, $sent
Nov 26 11:11:00 ${sm}[4100]: 6AQBB002004100: from=<alice@example.net>, $fa
Nov 26 11:11:01 ${sm}[4319]: 6AQBB002004100: to=<a20@example.org>, $sent
Nov 26 11:18:12 ${sm}[6678]: $rbl
Nov 26 11:25:30 ${sm}[5110]: 6AQBPU01005110: from=<scan@lan.example.net>, $fl
Nov 26 11:25:31 ${sm}[5111]: 6AQBPU01005110: to=<office@example.org>, $sent
Nov 26 11:45:30 ${sm}[5120]: 6AQBjU01005120: from=<scan@lan.example.net>, $fl
Nov 26 11:45:31 ${sm}[5121]: 6AQBjU01005120: to=<office@example.org>, $sent
Nov 26 11:52:12 ${sm}[6712]: $rbl
Nov 26 12:05:30 ${sm}[5130]: 6AQC5U01005130: from=<scan@lan.example.net>, $fl
Nov 26 12:05:31 ${sm}[5131]: 6AQC5U01005130: to=<office@example.org>, $sent
Nov 26 12:14:12 ${sm}[6734]: $rbl
Nov 26 12:25:30 ${sm}[5140]: 6AQCPU01005140: from=<scan@lan.example.net>, $fl
Nov 26 12:25:31 ${sm}[5141]: 6AQCPU01005140: to=<office@example.org>, $sent
Nov 26 12:30:00 ${sm}[4100]: 6AQCU002004100: from=<alice@example.net>, $fa
Nov 26 12:30:01 ${sm}[4320]: 6AQCU002004100: to=<a21@example.org>, $sent
Nov 26 12:45:30 ${sm}[5150]: 6AQCjU01005150: from=<scan@lan.example.net>, $fl
Nov 26 12:45:31 ${sm}[5151]: 6AQCjU01005150: to=<office@example.org>, $sent
EOF
cat >sendmail-session.want <<'EOF'
10.0.0.5 16 0 0
198.51.100.17 1 0 0
203.0.113.9 0 5 0
alice@example.net 20 3 0
EOF
session_check sendmail-session sm-session.log

# Postfix: bob logs in on smtpd pid 2201 (his message's "client="
# line names him), then his refusals come every twenty minutes for
# over two hours, with other sessions and a failed login as admin in
# between.  The pid disconnects and connects again from the same
# address: that session's refusal is the address's, not bob's.
sd='relay1 postfix/smtpd'
cl='relay1 postfix/cleanup'
qm='relay1 postfix/qmgr[1500]'
smtp='relay1 postfix/smtp'
pc='pc-17.dsl.example.net[198.51.100.17]'
lan='printer.lan.example.net[10.0.0.5]'
bot='unknown[203.0.113.9]'
brute='unknown[192.0.2.99]'
sasl='sasl_method=PLAIN, sasl_username=bob@example.net'
qb='from=<bob@example.net>, size=1500, nrcpt=1 (queue active)'
ql='from=<scan@lan.example.net>, size=800, nrcpt=1 (queue active)'
sent='relay=mx.example.org[203.0.113.25]:25, delay=1,'
sent="$sent delays=0.1/0/0.4/0.5, dsn=2.0.0, status=sent (250 2.0.0 Ok)"
unk='550 5.1.1 <nx@example.org>: Recipient address rejected:'
unk="$unk User unknown; from=<bob@example.net> to=<nx@example.org>"
unk="$unk proto=ESMTP helo=<pc17>"
relay='554 5.7.1 <v@example.org>: Relay access denied;'
relay="$relay from=<s@example.biz> to=<v@example.org> proto=ESMTP"
relay="$relay helo=<x>"
fail='SASL LOGIN authentication failed: authentication failure,'
fail="$fail sasl_username=admin"
bye='ehlo=1 mail=1 rcpt=1 data=1 quit=1 commands=5'
cat >pf-session.log <<EOF
Nov 27 08:50:00 ${sd}[2100]: connect from $lan
Nov 27 08:50:01 ${sd}[2100]: 4C7D0A0011: client=$lan
Nov 27 08:50:01 ${cl}[2101]: 4C7D0A0011: message-id=<4C7D0A0011@lan>
Nov 27 08:50:01 $qm: 4C7D0A0011: $ql
Nov 27 08:50:02 ${smtp}[2102]: 4C7D0A0011: to=<office@example.org>, $sent
Nov 27 08:50:02 $qm: 4C7D0A0011: removed
Nov 27 08:50:02 ${sd}[2100]: disconnect from $lan $bye
Nov 27 09:00:00 ${sd}[2201]: connect from $pc
Nov 27 09:00:02 ${sd}[2201]: 4C7D0A0012: client=$pc, $sasl
Nov 27 09:00:02 ${cl}[2202]: 4C7D0A0012: message-id=<4C7D0A0012@pc17>
Nov 27 09:00:02 $qm: 4C7D0A0012: $qb
Nov 27 09:00:03 ${smtp}[2203]: 4C7D0A0012: to=<carol@example.org>, $sent
Nov 27 09:00:03 $qm: 4C7D0A0012: removed
Nov 27 09:10:00 ${sd}[2110]: connect from $bot
Nov 27 09:10:01 ${sd}[2110]: NOQUEUE: reject: RCPT from $bot: $relay
Nov 27 09:10:02 ${sd}[2110]: disconnect from $bot $bye
Nov 27 09:20:00 ${sd}[2201]: NOQUEUE: reject: RCPT from $pc: $unk
Nov 27 09:30:00 ${sd}[2120]: connect from $lan
Nov 27 09:30:01 ${sd}[2120]: 4C7D0A0013: client=$lan
Nov 27 09:30:01 ${cl}[2121]: 4C7D0A0013: message-id=<4C7D0A0013@lan>
Nov 27 09:30:01 $qm: 4C7D0A0013: $ql
Nov 27 09:30:02 ${smtp}[2122]: 4C7D0A0013: to=<office@example.org>, $sent
Nov 27 09:30:02 $qm: 4C7D0A0013: removed
Nov 27 09:30:02 ${sd}[2120]: disconnect from $lan $bye
Nov 27 09:40:00 ${sd}[2201]: NOQUEUE: reject: RCPT from $pc: $unk
Nov 27 09:50:00 ${sd}[2130]: connect from $bot
Nov 27 09:50:01 ${sd}[2130]: NOQUEUE: reject: RCPT from $bot: $relay
Nov 27 09:50:02 ${sd}[2130]: disconnect from $bot $bye
Nov 27 10:00:00 ${sd}[2201]: NOQUEUE: reject: RCPT from $pc: $unk
Nov 27 10:10:00 ${sd}[2140]: connect from $brute
Nov 27 10:10:03 ${sd}[2140]: warning: $brute: $fail
Nov 27 10:10:04 ${sd}[2140]: disconnect from $brute $bye
Nov 27 10:20:00 ${sd}[2201]: NOQUEUE: reject: RCPT from $pc: $unk
Nov 27 10:30:00 ${sd}[2150]: connect from $lan
Nov 27 10:30:01 ${sd}[2150]: 4C7D0A0014: client=$lan
Nov 27 10:30:01 ${cl}[2151]: 4C7D0A0014: message-id=<4C7D0A0014@lan>
Nov 27 10:30:01 $qm: 4C7D0A0014: $ql
Nov 27 10:30:02 ${smtp}[2152]: 4C7D0A0014: to=<office@example.org>, $sent
Nov 27 10:30:02 $qm: 4C7D0A0014: removed
Nov 27 10:30:02 ${sd}[2150]: disconnect from $lan $bye
Nov 27 10:40:00 ${sd}[2201]: NOQUEUE: reject: RCPT from $pc: $unk
Nov 27 10:50:00 ${sd}[2160]: connect from $bot
Nov 27 10:50:01 ${sd}[2160]: NOQUEUE: reject: RCPT from $bot: $relay
Nov 27 10:50:02 ${sd}[2160]: disconnect from $bot $bye
Nov 27 11:00:00 ${sd}[2201]: NOQUEUE: reject: RCPT from $pc: $unk
Nov 27 11:10:00 ${sd}[2170]: connect from $lan
Nov 27 11:10:01 ${sd}[2170]: 4C7D0A0015: client=$lan
Nov 27 11:10:01 ${cl}[2171]: 4C7D0A0015: message-id=<4C7D0A0015@lan>
Nov 27 11:10:01 $qm: 4C7D0A0015: $ql
Nov 27 11:10:02 ${smtp}[2172]: 4C7D0A0015: to=<office@example.org>, $sent
Nov 27 11:10:02 $qm: 4C7D0A0015: removed
Nov 27 11:10:02 ${sd}[2170]: disconnect from $lan $bye
Nov 27 11:20:00 ${sd}[2201]: NOQUEUE: reject: RCPT from $pc: $unk
Nov 27 11:30:00 ${sd}[2201]: disconnect from $pc $bye
Nov 27 11:35:00 ${sd}[2180]: connect from $bot
Nov 27 11:35:01 ${sd}[2180]: NOQUEUE: reject: RCPT from $bot: $relay
Nov 27 11:35:02 ${sd}[2180]: disconnect from $bot $bye
Nov 27 11:40:00 ${sd}[2201]: connect from $pc
Nov 27 11:40:05 ${sd}[2201]: NOQUEUE: reject: RCPT from $pc: $unk
Nov 27 11:40:06 ${sd}[2201]: disconnect from $pc $bye
Nov 27 11:50:00 ${sd}[2190]: connect from $lan
Nov 27 11:50:01 ${sd}[2190]: 4C7D0A0016: client=$lan
Nov 27 11:50:01 ${cl}[2191]: 4C7D0A0016: message-id=<4C7D0A0016@lan>
Nov 27 11:50:01 $qm: 4C7D0A0016: $ql
Nov 27 11:50:02 ${smtp}[2192]: 4C7D0A0016: to=<office@example.org>, $sent
Nov 27 11:50:02 $qm: 4C7D0A0016: removed
Nov 27 11:50:02 ${sd}[2190]: disconnect from $lan $bye
EOF
cat >postfix-session.want <<'EOF'
10.0.0.5 5 0 0
198.51.100.17 0 1 0
203.0.113.9 0 4 0
admin 0 0 1
bob@example.net 1 7 0
EOF
session_check postfix-session pf-session.log

# A late line about a message closed less than a minute before is an
# orphan, counted and dropped; a later one opens a message of its own.
# Split after any line, the merge must do the same (the part that
# closed the message records it).
dsent='relay=mx.example.org[203.0.113.25]:25, delay=1,'
dsent="$dsent delays=0.1/0/0.4/0.5, dsn=2.0.0, status=sent (250 Ok)"
dbounce='relay=mx.example.org[203.0.113.25]:25, delay=1,'
dbounce="$dbounce delays=0.1/0/0.4/0.5, dsn=5.1.1, status=bounced (550 no)"
pfx='relay1 postfix'
cat >orphan.log <<EOF
Nov 27 10:00:00 $pfx/smtpd[300]: connect from pc[10.0.0.7]
Nov 27 10:00:01 $pfx/smtpd[300]: 5A1B2C3D4E: client=pc[10.0.0.7]
Nov 27 10:00:01 $pfx/cleanup[301]: 5A1B2C3D4E: message-id=<m1@pc>
Nov 27 10:00:01 $pfx/qmgr[150]: 5A1B2C3D4E: from=<d@example.net>, nrcpt=1
Nov 27 10:00:02 $pfx/smtp[302]: 5A1B2C3D4E: to=<x@example.org>, $dsent
Nov 27 10:00:02 $pfx/qmgr[150]: 5A1B2C3D4E: removed
Nov 27 10:00:03 $pfx/smtpd[300]: disconnect from pc[10.0.0.7]
Nov 27 10:00:30 $pfx/smtp[302]: 5A1B2C3D4E: to=<y@example.org>, $dsent
Nov 27 10:00:41 $pfx/smtpd[310]: 6B2C3D4E5F: client=pc[10.0.0.8]
Nov 27 10:00:41 $pfx/cleanup[301]: 6B2C3D4E5F: message-id=<m2@pc>
Nov 27 10:00:41 $pfx/qmgr[150]: 6B2C3D4E5F: from=<e@example.net>, nrcpt=1
Nov 27 10:00:42 $pfx/smtp[302]: 6B2C3D4E5F: to=<z@example.org>, $dsent
Nov 27 10:00:42 $pfx/qmgr[150]: 6B2C3D4E5F: removed
Nov 27 10:00:50 $pfx/qmgr[150]: 6B2C3D4E5F: removed
Nov 27 10:03:00 $pfx/smtp[302]: 6B2C3D4E5F: to=<w@example.org>, $dbounce
Nov 27 10:05:00 $pfx/smtpd[320]: connect from pc[10.0.0.9]
EOF
checks=$((checks + 1))
"$prog" --all --year 2026 --host relay1 -o one.json orphan.log 2>err &&
grep -q '"orphan_events": 2,' one.json &&
grep -q '"messages_incomplete": 1,' one.json ||
    fail "orphan: one pass: $(cat err; grep -E 'orphan|incomplete' one.json)"
# shellcheck disable=SC2046
split_check orphan "--year 2026 --host relay1" orphan.log "" \
    $(awk 'NR > 1 { print NR - 1 }' orphan.log)

# Each relay's own clock decides what a line closes: a Sendmail message
# done waits for a later line of its relay (one of the same second, or
# of another relay, leaves it open), and a relay's closed queue IDs are
# kept for a minute of its own log time, whatever other relays are read
# beside it.  Parts of two relays, merged in orders the rules allow.

# merge_check NAME PART... - one pass over the logs of all the parts
# (a part is one log or several joined by '+') against the merge of a
# partial of each part
merge_check() {
	name=$1
	shift
	checks=$((checks + 1))
	logs="" parts="" i=0
	for part in "$@"; do
		i=$((i + 1))
		# shellcheck disable=SC2086
		"$prog" --year 2026 --save-partial "mc$i.zsp" \
		    $(echo "$part" | tr + ' ') 2>err ||
		    { fail "$name: partial of $part: $(cat err)"; return; }
		logs="$logs $(echo "$part" | tr + ' ')"
		parts="$parts mc$i.zsp"
	done
	# shellcheck disable=SC2086
	"$prog" --all --year 2026 -o one.json $logs 2>err &&
	"$prog" merge --all -o merged.json $parts 2>>err ||
	    { fail "$name: $(cat err)"; return; }
	same_report one.json merged.json ||
	    fail "$name: merged report differs" \
	    "$(diff one.json.cmp merged.json.cmp | head -5)"
}

sm3='relay3 sm-mta'
smpc='pc17.dsl.example.net [198.51.100.17]'
fz="size=2100, class=0, nrcpts=1, proto=ESMTP, daemon=MTA, relay=$smpc"
smsent='delay=00:00:01, xdelay=00:00:01, mailer=esmtp, pri=30000,'
smsent="$smsent relay=mx.example.org. [203.0.113.25], dsn=2.0.0,"
smsent="$smsent stat=Sent (ok)"
cat >sm-a.log <<EOF
Nov 26 08:00:00 ${sm3}[5000]: 6AQ80001005000: from=<zoe@example.net>, $fz
Nov 26 08:00:01 ${sm3}[5001]: 6AQ80001005000: to=<a1@example.org>, $smsent
Nov 26 08:00:01 ${sm3}[6000]: AUTH=server, relay=$smpc, $authid
EOF
cat >sm-b.log <<EOF
Nov 26 08:00:20 ${sm3}[5001]: 6AQ80001005000: to=<a2@example.org>, $smsent
Nov 26 08:05:00 ${sm3}[7000]: 6AQ85001007000: from=<zoe@example.net>, $fz
Nov 26 08:05:01 ${sm3}[7001]: 6AQ85001007000: to=<c1@example.org>, $smsent
Nov 26 08:05:02 ${sm3}[6001]: AUTH=server, relay=$smpc, $authid
EOF
cat >sm-c.log <<EOF
Nov 26 08:05:30 ${sm3}[7001]: 6AQ85001007000: to=<c2@example.org>, $smsent
Nov 26 08:09:00 ${sm3}[6002]: AUTH=server, relay=$smpc, $authid
EOF
qd='from=<d@example.net>, size=100, nrcpt=1 (queue active)'
pfx='relay1 postfix'
cat >r1-a.log <<EOF
Nov 27 10:00:00 $pfx/smtpd[300]: connect from pc[10.0.0.7]
Nov 27 10:00:01 $pfx/smtpd[300]: 5A1B2C3D4E: client=pc[10.0.0.7]
Nov 27 10:00:01 $pfx/cleanup[301]: 5A1B2C3D4E: message-id=<m1@pc>
Nov 27 10:00:01 $pfx/qmgr[150]: 5A1B2C3D4E: $qd
Nov 27 10:00:02 $pfx/smtp[302]: 5A1B2C3D4E: to=<x@example.org>, $dsent
Nov 27 10:00:02 $pfx/qmgr[150]: 5A1B2C3D4E: removed
Nov 27 10:00:03 $pfx/smtpd[300]: disconnect from pc[10.0.0.7]
EOF
cat >r1-b.log <<EOF
Nov 27 10:00:30 $pfx/smtp[302]: 5A1B2C3D4E: to=<y@example.org>, $dsent
Nov 27 10:05:00 $pfx/smtpd[320]: connect from pc[10.0.0.9]
EOF
sed -e 's/relay1/relay2/' -e 's/10:00:0/12:00:0/' \
    -e 's/5A1B2C3D4E/7A1B2C3D4E/' r1-a.log >r2.log
checks=$((checks + 1))
"$prog" --all --year 2026 -o one.json sm-a.log sm-b.log sm-c.log r1-a.log \
    r1-b.log 2>err && grep -q '"orphan_events": 2,' one.json ||
    fail "late lines: one pass: $(cat err; grep orphan one.json)"
merge_check "sendmail" sm-a.log sm-b.log sm-c.log
merge_check "sendmail, another relay between" sm-a.log r2.log sm-b.log \
    sm-c.log
merge_check "sendmail, another relay between" sm-a.log sm-b.log r2.log \
    sm-c.log
merge_check "sendmail, another relay beside" sm-a.log+r2.log sm-b.log \
    sm-c.log
merge_check "sendmail, another relay beside" sm-a.log sm-b.log+r2.log \
    sm-c.log
# A line about a message done (its DSN notice) moves the clock: the
# message waits from that second on, through another line of it.
receipt='6AQ80002005001: DSN: Return receipt'
cat >sm-notice.log <<EOF
Nov 26 08:00:00 ${sm3}[5000]: 6AQ80001005000: from=<zoe@example.net>, $fz
Nov 26 08:00:01 ${sm3}[5001]: 6AQ80001005000: to=<a1@example.org>, $smsent
Nov 26 08:00:02 ${sm3}[5001]: 6AQ80001005000: $receipt
Nov 26 08:00:02 ${sm3}[6000]: AUTH=server, relay=$smpc, $authid
Nov 26 08:00:05 ${sm3}[5001]: 6AQ80001005000: to=<a2@example.org>, $smsent
EOF
split_check "sendmail notice" "--year 2026" sm-notice.log "" 1 2 3 4
merge_check "closed IDs, another relay between" r1-a.log r2.log r1-b.log
merge_check "closed IDs, another relay beside" r1-a.log+r2.log r1-b.log
merge_check "closed IDs, relays interleaved" r2.log r1-a.log sm-a.log \
    r1-b.log sm-b.log sm-c.log

# Partials of format versions 1, 2, 6 and 7, written from the two
# halves of sm-session.log by earlier zombiescans
# (testdata/partial/README), are still read: alone, and beside a
# partial of this version.  Those of versions 1 and 2 hold no refusal
# records (version 4), those of version 6 no client address in them,
# none before version 8 remote rejections, so evidence.refusals and
# evidence.remote_rejections are left out of the comparison.
old="$top_srcdir/testdata/partial"
head -n 20 sm-session.log >p1.log
tail -n +21 sm-session.log >p2.log
for pair in "v1-a.zsp v1-b.zsp" "v1-a.zsp b.zsp" "v2-a.zsp v2-b.zsp" \
    "v2-a.zsp b.zsp" "v1-a.zsp v2-b.zsp" "v6-a.zsp v6-b.zsp" \
    "v6-a.zsp b.zsp" "v7-a.zsp v7-b.zsp" "v7-a.zsp b.zsp" \
    "v6-a.zsp v7-b.zsp"; do
	first=${pair% *} second=${pair#* }
	[ "$second" = b.zsp ] || second="$old/$second"
	checks=$((checks + 1))
	"$prog" --all --year 2026 --host relay1 -o one.json p1.log p2.log 2>err &&
	"$prog" --year 2026 --host relay1 --save-partial b.zsp p2.log \
	    2>>err &&
	"$prog" merge --all -o merged.json "$old/$first" "$second" 2>>err ||
	    { fail "old partials $pair: $(cat err)"; continue; }
	same_report_but_refusals one.json merged.json ||
	    fail "old partials $pair: merged report differs" \
	    "$(diff one.json.nr.cmp merged.json.nr.cmp | head -5)"
done

# Version 5 kept recipients as addresses with counts; version 6 keeps
# fingerprints.  fan.log's account passes the cap of an exact map in
# its first half (testdata/partial/README): its version 5 partials
# merge, alone and beside one of this version, into the report of one
# pass.
sent='relay=mx.example.org[203.0.113.25]:25, delay=1,'
sent="$sent delays=0.1/0/0.4/0.5, dsn=2.0.0, status=sent (250 2.0.0 Ok)"
awk -v sent="$sent" 'BEGIN {
	for (i = 0; i < 1300; i++) {
		q = sprintf("4F%08X", i + 1)
		t = sprintf("Nov 27 %02d:%02d:%02d", 8 + int(i / 3600),
		    int(i % 3600 / 60), i % 60)
		r = i < 1100 ? i : i % 2 ? (i - 1100) * 5 : 5000 + i
		printf "%s relay1 postfix/smtpd[3001]: %s: client=pc7" \
		    "[198.51.100.7], sasl_method=PLAIN, " \
		    "sasl_username=fan@example.net\n", t, q
		printf "%s relay1 postfix/qmgr[1500]: %s: from=<fan@example" \
		    ".net>, size=900, nrcpt=1 (queue active)\n", t, q
		printf "%s relay1 postfix/smtp[3002]: %s: to=<R%d@Dom%d" \
		    ".Example>, %s\n", t, q, r, r % 40, sent
		printf "%s relay1 postfix/qmgr[1500]: %s: removed\n", t, q
	}
}' >fan.log
head -n 4600 fan.log >f1.log
tail -n +4601 fan.log >f2.log
for second in "$old/v5-fan-b.zsp" f2.zsp; do
	checks=$((checks + 1))
	"$prog" --all --year 2026 -o one.json f1.log f2.log 2>err &&
	"$prog" --year 2026 --save-partial f2.zsp f2.log 2>>err &&
	"$prog" merge --all -o merged.json "$old/v5-fan-a.zsp" "$second" \
	    2>>err || { fail "version 5 partials: $(cat err)"; continue; }
	grep -q '"repeated_recipients": 95' one.json ||
	    fail "version 5 partials: fan.log's account is not as expected"
	same_report_but_clients one.json merged.json ||
	    fail "version 5 partials ($second): merged report differs" \
	    "$(diff one.json.nc.cmp merged.json.nc.cmp | head -5)"
done

# refused NAME FILE... - merge must exit 2 with a message
refused() {
	name=$1
	shift
	checks=$((checks + 1))
	rm -f refused.json
	"$prog" merge --all -o refused.json "$@" >/dev/null 2>err
	status=$?
	if [ "$status" != 2 ]; then
		fail "$name: exit status $status, expected 2"
	elif ! grep -q . err; then
		fail "$name: no message"
	elif [ -e refused.json ]; then
		fail "$name: a report was written"
	fi
}

size=$(wc -c <q2.zsp)
head -c "$((size / 2))" q2.zsp >truncated.zsp
refused truncated truncated.zsp
head -c "$((size - 1))" q2.zsp >short.zsp
refused "last byte missing" short.zsp
# One byte changed in the middle: the checksum catches it.
{
	head -c "$((size / 2))" q2.zsp
	printf 'Z'
	tail -c "$((size - size / 2 - 1))" q2.zsp
} >flipped.zsp
cmp -s flipped.zsp q2.zsp && printf 'Y' | dd of=flipped.zsp bs=1 \
    seek="$((size / 2))" conv=notrunc 2>/dev/null
refused "changed byte" flipped.zsp
# The next format version, as a newer zombiescan would write it.
version=$(od -An -tu1 -j8 -N1 q2.zsp | tr -d ' ')
{
	head -c 8 q2.zsp
	# shellcheck disable=SC2059
	printf "\\$(printf %o "$((version + 1))")"
	tail -c "$((size - 9))" q2.zsp
} >newer.zsp
refused newer newer.zsp
grep -q newer err || fail "newer: message does not say so: $(cat err)"
printf 'not a partial\n' >text.zsp
refused "not a partial" text.zsp
refused "missing file" no-such.zsp
refused "out of time order" q2.zsp q1.zsp
grep -q "time order" err || fail "order: message: $(cat err)"
# shellcheck disable=SC2086
"$prog" $window --save-partial w.zsp q3.log || fail "window partial"
refused "another window" q1.zsp w.zsp
refused "a session recorded twice" "$old/dup-session.zsp"

# A partial named twice (here once through a link) is a usage error
# that says so, not a part out of time order.
checks=$((checks + 1))
ln -s q1.zsp q1-again.zsp
"$prog" merge --all -o x.json q1.zsp q2.zsp q1-again.zsp 2>err
status=$?
[ "$status" = 2 ] && [ ! -e x.json ] &&
    grep -q "q1-again.zsp: named twice" err ||
    fail "a partial named twice: status $status: $(cat err)"
checks=$((checks + 1))
"$prog" merge --all -o x.json - q2.zsp - <q1.zsp 2>err
status=$?
[ "$status" = 2 ] && [ ! -e x.json ] &&
    grep -q "named twice: standard input holds one partial" err ||
    fail "standard input named twice: status $status: $(cat err)"
refused "junk on standard input" - <text.zsp
grep -q "^zombiescan: standard input: " err ||
    fail "junk on standard input: message: $(cat err)"
# The same file named and on standard input is named twice too; a
# report over the partial it reads from standard input is refused; an
# empty standard input says so.
checks=$((checks + 1))
"$prog" merge --all -o x.json q1.zsp - <q1.zsp 2>err
status=$?
[ "$status" = 2 ] && grep -q "named twice: each partial" err ||
    fail "a partial named and on standard input: $status: $(cat err)"
cp q1.zsp over.zsp
checks=$((checks + 1))
"$prog" merge --all -o over.zsp - <over.zsp 2>err
status=$?
[ "$status" = 2 ] && cmp -s q1.zsp over.zsp ||
    fail "a report over the partial on standard input: $status"
refused "empty standard input" - </dev/null
grep -q "standard input: empty" err ||
    fail "empty standard input: message: $(cat err)"

# A partial named as a log, without 'merge', is a usage error that
# says so, not a report on lines of junk.
checks=$((checks + 1))
"$prog" --all --year 2026 -o x.json q1.log q1.zsp 2>err
status=$?
[ "$status" = 2 ] && [ ! -e x.json ] &&
    grep -q "q1.zsp: a partial file, not a log: .*zombiescan merge" err ||
    fail "a partial read as a log: status $status: $(cat err)"

# --save-partial writes no report: -o with it is a usage error.
checks=$((checks + 1))
"$prog" --year 2026 --save-partial x.zsp -o x.json q1.log 2>/dev/null
[ $? = 2 ] || fail "--save-partial with -o accepted"
for opt in "-f csv" "-n 5" "-s 50" --fail-on-suspects \
    "--subscribers q1.log"; do
	checks=$((checks + 1))
	# shellcheck disable=SC2086
	"$prog" --year 2026 --save-partial x.zsp $opt q1.log 2>err
	status=$?
	[ "$status" = 2 ] && [ ! -e x.zsp ] && grep -q "no report" err ||
	    fail "--save-partial with $opt: status $status: $(cat err)"
done

# merge reads no logs: the options that decide how logs are read are
# usage errors there, not silently ignored; its --help is its own.
for opt in "--year 2026" "--host relay9" "--since 2026-11-25" \
    "--until 2026-11-26" "--log-format exim" "--max-line 1000"; do
	# shellcheck disable=SC2086
	refused "merge $opt" $opt q1.zsp q2.zsp
	grep -q -- "${opt%% *}: 'merge' reads no logs" err ||
	    fail "merge $opt: message: $(cat err)"
done
checks=$((checks + 1))
"$prog" merge --all -j 2 -o merged.json q1.zsp q2.zsp q3.zsp r2.zsp ||
    fail "merge -j 2 refused"
checks=$((checks + 1))
if ! "$prog" merge --help >help.txt; then
	fail "merge --help: exit status"
elif ! grep -q "^usage: zombiescan merge" help.txt ||
    grep -q -- "--save-partial FILE" help.txt; then
	fail "merge --help: not the merge usage: $(head -n 2 help.txt)"
fi

# A partial that cannot be written whole is an error (status 1), and
# leaves no file behind.
if [ -w /dev/full ]; then
	checks=$((checks + 1))
	"$prog" --year 2026 --save-partial /dev/full q1.log 2>err
	status=$?
	[ "$status" = 1 ] && grep -q /dev/full err ||
	    fail "partial to a full device: status $status: $(cat err)"
fi
mkdir ro && chmod 555 ro
if ! touch ro/probe 2>/dev/null; then
	checks=$((checks + 1))
	"$prog" --year 2026 --save-partial ro/p.zsp q1.log 2>err
	status=$?
	[ "$status" = 1 ] && [ ! -e ro/p.zsp ] ||
	    fail "partial in a read-only directory: status $status"
fi
chmod 755 ro

# A part whose input was damaged: merge exits 3 and names that input,
# as the part's own run did.
checks=$((checks + 1))
head -c 100000 "$sample/relay1-mail.log.gz" >cut.gz
"$prog" -q --year 2026 --save-partial cut.zsp cut.gz 2>/dev/null
"$prog" merge --all -o cut.json cut.zsp 2>err
status=$?
[ "$status" = 3 ] && grep -q 'cut.gz: offset 100000: ' err ||
    fail "merge of a damaged part: status $status: $(cat err)"

# msg_lines QID N HH:MM DATE - one Postfix message, DATE "Mon DD"
msg_lines() {
	printf '%s %s:00 relay1 postfix/smtpd[%s]: connect from pc[10.0.0.%s]\n' \
	    "$4" "$3" "$2" "$2"
	printf '%s %s:01 relay1 postfix/smtpd[%s]: %s: client=pc[10.0.0.%s]\n' \
	    "$4" "$3" "$2" "$1" "$2"
	printf '%s %s:01 relay1 postfix/cleanup[9]: %s: message-id=<m%s@pc>\n' \
	    "$4" "$3" "$1" "$2"
	printf '%s %s:01 relay1 postfix/qmgr[8]: %s: from=<u%s@example.net>, size=100, nrcpt=1 (queue active)\n' \
	    "$4" "$3" "$1" "$2"
	printf '%s %s:02 relay1 postfix/smtp[7]: %s: to=<y@example.org>, relay=mx.example.org[203.0.113.25]:25, delay=1, delays=0.1/0/0.4/0.5, dsn=2.0.0, status=sent (250 Ok)\n' \
	    "$4" "$3" "$1"
	printf '%s %s:02 relay1 postfix/qmgr[8]: %s: removed\n' "$4" "$3" "$1"
}

# A relay's log cut at New Year: the part that begins in January is
# read with the next --year, and the merge is the one pass; with the
# year of the part before, the refusal says what is likely wrong.
checks=$((checks + 1))
msg_lines 1A1B2C3D4E 11 23:59 "Dec 31" >ny1.log
msg_lines 2A1B2C3D4E 12 00:00 "Jan  1" >ny2.log
TZ=UTC "$prog" --all --year 2026 -o ny.json ny1.log ny2.log
TZ=UTC "$prog" --year 2026 --save-partial ny1.zsp ny1.log
TZ=UTC "$prog" --year 2027 --save-partial ny2.zsp ny2.log
TZ=UTC "$prog" --year 2026 --save-partial ny2-old.zsp ny2.log
TZ=UTC "$prog" merge --all -o ny-merged.json ny1.zsp ny2.zsp &&
    same_report ny.json ny-merged.json ||
    fail "a cut at New Year: the merge differs from one pass"
TZ=UTC "$prog" merge --all -o x.json ny1.zsp ny2-old.zsp 2>err
status=$?
[ "$status" = 2 ] && grep -q "the --year of its first line" err ||
    fail "a cut at New Year, last year's --year: $status: $(cat err)"

# The hour that occurs twice when summer time ends: a part that begins
# in its first pass reads it as one pass does, whatever was read
# before (the C library's answer for it depends on its history).
checks=$((checks + 1))
msg_lines 3A1B2C3D4E 13 01:10 "Oct 25" >dst1.log
msg_lines 4A1B2C3D4E 14 02:30 "Oct 25" >dst2.log
sed 's/relay1/relay2/; s/01:10:0/03:10:0/' dst1.log >dst3.log
cest="CET-1CEST,M3.5.0,M10.5.0/3"
TZ=$cest "$prog" --all --year 2026 -o dst.json dst1.log dst2.log
TZ=$cest "$prog" --year 2026 --save-partial dst1.zsp dst1.log
TZ=$cest "$prog" --year 2026 --save-partial dst2.zsp dst2.log
TZ=$cest "$prog" merge --all -o dst-merged.json dst1.zsp dst2.zsp &&
    same_report dst.json dst-merged.json ||
    fail "the repeated hour: the merge differs from one pass"
grep -q '"last_seen": "2026-10-25T00:30:02Z"' dst.json ||
    fail "the repeated hour: not read as its first pass"
TZ=$cest "$prog" --all --year 2026 -o dst-after.json dst3.log dst2.log
grep -q '"last_seen": "2026-10-25T00:30:02Z"' dst-after.json ||
    fail "the repeated hour: read differently after another relay's file"

echo "partial: $checks checks, $failed failed"
[ "$failed" = 0 ]
