#!/bin/sh
# desk.sh - end-to-end tests of the abuse desk's options: --since and
# --until (explicit, relative, across New Year, nothing in the window,
# bad arguments), --subscribers fed by contrib/radius-to-subscribers.awk
# from testdata/radius/detail, the progress meter on a terminal
# (through script(1), skipped when util-linux script is missing), the
# exit status of --fail-on-suspects, -o /dev/stdout with standard
# output sent to a file, a reader that closes the pipe early, and
# contrib/ticket-from-jsonl.sh against a stand-in curl.
#
# Exit status: 0 pass, 1 a check failed, 77 skipped as a whole (never),
# 99 the program is missing.
set -u

. "$(dirname "$0")/lib.sh"
zs_init desk 1796169600	# 2026-12-02T00:00:00Z
prog="$top_builddir/zombiescan"
sample="$top_srcdir/testdata/sample/input"
zs_need "$prog" "$top_builddir/tests/zsjson"
zs_tmpdir

failed=0

# fail - report one failed check
fail() {
	echo "FAIL: $*"
	failed=$((failed + 1))
}

# has FILE TEXT - whether FILE holds the fixed string TEXT
has() {
	grep -F -q -e "$2" "$1"
}

# run NAME ARGS... - zombiescan into $tmp/NAME.out, stderr NAME.err,
# exit status in $rc
run() {
	name=$1
	shift
	"$prog" "$@" >"$tmp/$name.out" 2>"$tmp/$name.err"
	rc=$?
}

# ---- --since / --until --------------------------------------------

run day --year 2026 --since 2026-11-26 --until 2026-11-26T12:00 "$sample"/*
[ "$rc" = 0 ] || fail "window: exit $rc: $(cat "$tmp/day.err")"
has "$tmp/day.out" '"since": "2026-11-26T00:00:00Z"' ||
    fail "window: since not stated"
has "$tmp/day.out" '"until": "2026-11-26T12:00:00Z"' ||
    fail "window: until not stated"
has "$tmp/day.out" '"first_seen": "2026-11-26T00:00:00Z"' ||
    fail "window: data does not start at since"
has "$tmp/day.out" '"last_seen": "2026-11-26T11:59:14Z"' ||
    fail "window: data does not end before until"
has "$tmp/day.out" '"outside_window": 26367,' ||
    fail "window: lines outside not counted"

# the same window as a duration and as words, from SOURCE_DATE_EPOCH
run ago --year 2026 --since 6d --until 5d12h "$sample"/*
cmp -s "$tmp/day.out" "$tmp/ago.out" ||
    fail "window: --since 6d --until 5d12h differs from the dates"
SOURCE_DATE_EPOCH=1795737600 "$prog" --all --year 2026 --since yesterday \
    --until 2026-11-26T12:00 "$sample"/* >"$tmp/words.out"
has "$tmp/words.out" '"since": "2026-11-26T00:00:00Z"' ||
    fail "window: yesterday is not the day before"

# an open end: until null, and only since's side skipped
run open --year 2026 --since 2026-11-26T12:00:00+01:00 "$sample"/*
has "$tmp/open.out" '"since": "2026-11-26T11:00:00Z"' ||
    fail "window: zone offset not applied"
has "$tmp/open.out" '"until": null' || fail "window: open until not null"

# without the options, no window members at all
run none --year 2026 --top 1 "$sample"/*
if has "$tmp/none.out" '"since"' || has "$tmp/none.out" 'outside_window'; then
	fail "window: members present without --since/--until"
fi

# across New Year with --year: the second file is still in 2027
run newyear --year 2026 --since 2027-01-01 \
    "$top_srcdir"/testdata/rotated/input/*
has "$tmp/newyear.out" '"first_seen": "2027-01-01T00:00:01Z"' ||
    fail "window: year inference broken by the window"
has "$tmp/newyear.out" '"outside_window": 10,' ||
    fail "window: the December file is not outside"

# nothing in the window: a report, and a warning naming the data's span
run empty --year 2026 --since 2020-01-01 --until 2020-02-01 "$sample"/*
[ "$rc" = 0 ] || fail "empty window: exit $rc"
has "$tmp/empty.err" "no line falls inside --since/--until; the logs run from 2026-11-25T00:00:00Z to 2026-11-26T23:59:34Z" ||
    fail "empty window: no warning: $(cat "$tmp/empty.err")"
has "$tmp/empty.out" '"accounts": 0,' || fail "empty window: accounts"
run emptyq -q --year 2026 --since 2020-01-01 --until 2020-02-01 "$sample"/*
[ -s "$tmp/emptyq.err" ] && fail "empty window: --quiet is not quiet"

# ---- which accounts are listed ---------------------------------------

# By default the suspects (score 40 or more); the summary counts all.
run listed --year 2026 "$sample"/*
[ "$rc" = 0 ] || fail "listed: exit $rc: $(cat "$tmp/listed.err")"
"$top_builddir/tests/zsjson" "$tmp/listed.out" summary/reported \
    summary/accounts summary/likely_zombie summary/suspicious \
    scoring/min_score accounts/# >"$tmp/listed.got" ||
    fail "listed: not a report"
printf '5\n179\n5\n0\n40\n5\n' | cmp -s - "$tmp/listed.got" ||
    fail "listed: not the five suspects of 179: $(cat "$tmp/listed.got")"
grep -q '"verdict": "normal"' "$tmp/listed.out" &&
    fail "listed: a normal account listed by default"
run listedall --year 2026 --all "$sample"/*
"$top_builddir/tests/zsjson" "$tmp/listedall.out" summary/reported \
    scoring/min_score accounts/# >"$tmp/listedall.got"
printf '179\n0\n179\n' | cmp -s - "$tmp/listedall.got" ||
    fail "--all: not every account: $(cat "$tmp/listedall.got")"
# the suspicious_min of the configuration, and its last line says so
printf '{"schema_version": 1, "scoring": {"suspicious_min": 20}}\n' >"$tmp/low.json"
run listedlow --year 2026 -c "$tmp/low.json" -f table "$sample"/*
n=$(grep -c '^ *[0-9][0-9]*  *[0-9.]*  ' "$tmp/listedlow.out")
tail -n 1 "$tmp/listedlow.out" | grep -q "^$n of 179 accounts listed: those scoring 20 or more (--all lists every account)\$" ||
    fail "listed: table's last line: $(tail -n 1 "$tmp/listedlow.out")"
[ "$n" -gt 5 ] || fail "listed: suspicious_min 20 listed $n accounts"
run listednone --year 2026 -s 99.9 -f html "$sample"/*
has "$tmp/listednone.out" '<p class="meta">0 of 179 accounts listed: those scoring 99.9 or more (--all lists every account).</p>' ||
    fail "listed: the page does not say why no account is listed"

# bad arguments are usage errors
for args in "--since tomorrow" "--until 24" "--since 2026-02-30" \
    "--since 2026-11-26 --until 2026-11-25" "--since now --until now" \
    "-q -v" "-v --quiet" "--all -s 50" "-s 0 --all"; do
	# shellcheck disable=SC2086
	run bad $args "$sample"/*
	[ "$rc" = 2 ] || fail "'$args': exit $rc, expected 2"
done

# ---- --subscribers ---------------------------------------------------

if ! awk -v id_attr=Class -f "$top_srcdir/contrib/radius-to-subscribers.awk" \
    "$top_srcdir/testdata/radius/detail" >"$tmp/leases.csv" \
    2>"$tmp/awk.err"; then
	fail "radius-to-subscribers.awk failed: $(cat "$tmp/awk.err")"
fi
has "$tmp/awk.err" "1 records without a usable time skipped" ||
    fail "awk: the record without a time is not reported"
cat >"$tmp/want.csv" <<'EOF'
subscriber_id,kind,key,valid_from,valid_until
C-622361,ip,10.196.97.238,2026-11-25T04:00:00Z,2026-11-26T03:00:00Z
C-200200,ip,100.91.54.184,2026-11-24T16:00:00Z,2026-11-25T02:00:00Z
C-100100,ip,100.91.54.184,2026-11-25T02:00:00Z,2026-11-27T00:00:00Z
C-999001,ip,10.196.97.238,2026-11-26T03:00:05Z,
C-300300,ip,10.6.100.93,2026-11-24T22:00:00Z,
EOF
cmp -s "$tmp/want.csv" "$tmp/leases.csv" ||
    fail "awk: leases differ: $(diff "$tmp/want.csv" "$tmp/leases.csv")"

# logins from the customer database, one bad row, then the leases
{
	echo "subscriber_id,kind,key,valid_from,valid_until"
	echo "C-622361,login,U622361,,"
	echo "C-777,login,rosa1977@isp.example"
	cat "$tmp/leases.csv"
} >"$tmp/subs.csv"

run subs --year 2026 --all --format csv --subscribers "$tmp/subs.csv" "$sample"/*
[ "$rc" = 0 ] || fail "subscribers: exit $rc: $(cat "$tmp/subs.err")"
has "$tmp/subs.err" "subs.csv: 1 bad rows skipped (line 3: expected 5 fields, found 3)" ||
    fail "subscribers: bad row not reported: $(cat "$tmp/subs.err")"
head -n 1 "$tmp/subs.out" | grep -q ',incident_id,subscriber_id' ||
    fail "csv: no subscriber_id column"
# shellcheck disable=SC1003
cr=$(printf '\r')
grep -q "^[0-9]*,u622361,sasl,.*,C-622361$cr\$" "$tmp/subs.out" ||
    fail "csv: the login's subscriber"
grep -q "^[0-9]*,10\.196\.97\.238,ip,.*,C-622361$cr\$" "$tmp/subs.out" ||
    fail "csv: the lease valid at the account's activity"
# the longest-overlapping lease first, then the other subscriber whose
# lease overlaps the account's activity
grep -q "^[0-9]*,100\.91\.54\.184,ip,.*,C-100100; C-200200$cr\$" \
    "$tmp/subs.out" || fail "csv: the longest-overlapping lease"
grep -q "^[0-9]*,10\.6\.100\.93,ip,.*,C-300300$cr\$" "$tmp/subs.out" ||
    fail "csv: the open-ended lease"
grep -q "^[0-9]*,rosa1977@isp\.example,sasl,.*,$cr\$" "$tmp/subs.out" ||
    fail "csv: an account without a subscriber"

run subsj --year 2026 --format jsonl --subscribers "$tmp/subs.csv" \
    "$sample"/*
grep '"account":"100.91.54.184"' "$tmp/subsj.out" | grep -F -q \
    '"subscriber_matches":[{"subscriber_id":"C-100100","key":"100.91.54.184/32","valid_from":"2026-11-25T02:00:00Z","valid_until":"2026-11-27T00:00:00Z","line":7},{"subscriber_id":"C-200200"' ||
    fail "jsonl: both leases of a reassigned address, best first"

run subsjson --year 2026 --subscribers "$tmp/subs.csv" "$sample"/*
tr -d ' \n' <"$tmp/subsjson.out" >"$tmp/flat.json"
grep -o '{"subscriber_id":"C-622361","accounts":\[[^]]*\]}' \
    "$tmp/flat.json" >"$tmp/group.json"
has "$tmp/group.json" '{"account":"u622361","kind":"sasl","rank":' ||
    fail "json: the subscriber's login is not in its group"
has "$tmp/group.json" '{"account":"10.196.97.238","kind":"ip","rank":' ||
    fail "json: the subscriber's address is not in its group"
has "$tmp/flat.json" '"bad_row_samples":[{"line":3,"error":"expected5fields,found3"}]' ||
    fail "json: bad rows not in the report"

run subst --year 2026 --top 12 --format table --subscribers "$tmp/subs.csv" \
    "$sample"/*
head -n 1 "$tmp/subst.out" | grep -q 'ACCOUNT *SUBSCRIBER *MESSAGES' ||
    fail "table: no SUBSCRIBER column"
grep -q ' 100\.91\.54\.184 *C-100100 +1 ' "$tmp/subst.out" ||
    fail "table: the other subscriber of a lease that changed hands"
run substh --year 2026 --top 3 --format html --subscribers "$tmp/subs.csv" \
    "$sample"/*
has "$tmp/substh.out" 'subscriber <code>C-100100</code> (also <code>C-200200</code>' ||
    fail "html: the other subscriber of a lease that changed hands"

# An allowlisted account says so where its verdict is shown.
printf '{ "schema_version": 1, "allowlist": { "accounts": [ "%s" ] } }\n' \
    rosa1977@isp.example >"$tmp/allow.json"
run allowt --year 2026 -c "$tmp/allow.json" --top 1 --format table \
    "$sample"/*
grep -q 'rosa1977@isp\.example .* account allowlisted; ' "$tmp/allowt.out" ||
    fail "table: allowlisting not shown: $(cat "$tmp/allowt.out")"
run allowc --year 2026 -c "$tmp/allow.json" --top 1 --format csv "$sample"/*
has "$tmp/allowc.out" ',normal,' && has "$tmp/allowc.out" '"account allowlisted | ' ||
    fail "csv: allowlisting not shown"
run allowh --year 2026 -c "$tmp/allow.json" --top 1 --format html \
    "$sample"/*
has "$tmp/allowh.out" '</code>, account allowlisted</p>' ||
    fail "html: allowlisting not shown"
run nosubst --year 2026 --top 3 --format table "$sample"/*
head -n 1 "$tmp/nosubst.out" | grep -q 'SUBSCRIBER' &&
    fail "table: SUBSCRIBER column without --subscribers"

run subsmissing --subscribers "$tmp/no-such.csv" "$sample"/*
[ "$rc" = 2 ] || fail "subscribers: a missing file is not a usage error"

# A file of another layout (every row bad) is refused, even with -q.
printf 'subscriber_id,kind,key\nC-1,sasl,u1\nC-2,ip,10.0.0.1\n' \
    >"$tmp/subs3.csv"
run subsbad -q --year 2026 --subscribers "$tmp/subs3.csv" "$sample"/*
[ "$rc" = 2 ] || fail "subscribers: no usable row: exit $rc, not 2"
has "$tmp/subsbad.err" "no usable row, 2 bad (line 2: " ||
    fail "subscribers: no usable row: $(cat "$tmp/subsbad.err")"

# An export that failed (empty, or a header alone) is refused as well.
: >"$tmp/subs0.csv"
echo "subscriber_id,kind,key,valid_from,valid_until" >"$tmp/subs1.csv"
echo "SUBSCRIBER_ID,KIND,KEY,VALID_FROM,VALID_UNTIL" >"$tmp/subs2.csv"
for f in subs0 subs1 subs2; do
	run subsnone -q --year 2026 --subscribers "$tmp/$f.csv" "$sample"/*
	[ "$rc" = 2 ] || fail "subscribers: $f.csv: exit $rc, not 2"
	has "$tmp/subsnone.err" "$f.csv: no subscriber rows" ||
	    fail "subscribers: $f.csv: $(cat "$tmp/subsnone.err")"
done
# The kind in any case.
printf 'C-1,LOGIN,rosa1977@isp.example,,\nC-2,Ip,10.6.100.93,,\n' \
    >"$tmp/subscase.csv"
run subscase --year 2026 --format csv --subscribers "$tmp/subscase.csv" \
    "$sample"/*
[ "$rc" = 0 ] && [ ! -s "$tmp/subscase.err" ] ||
    fail "subscribers: kind in capitals: $(cat "$tmp/subscase.err")"
grep -q "^[0-9]*,rosa1977@isp\.example,sasl,.*,C-1$cr\$" \
    "$tmp/subscase.out" || fail "subscribers: LOGIN not matched"
grep -q "^[0-9]*,10\.6\.100\.93,ip,.*,C-2$cr\$" "$tmp/subscase.out" ||
    fail "subscribers: Ip not matched"

# ---- contrib/ticket-from-jsonl.sh -------------------------------------

# A stand-in curl keeps each request's body and its URL; it fails for
# the second suspect, as a ticketing system that is down for a moment.
mkdir -p "$tmp/bin" "$tmp/posts"
cat >"$tmp/bin/curl" <<'EOF'
#!/bin/sh
n=$(($(ls "$POSTS" | grep -c 'json$') + 1))
cat >"$POSTS/$n.json"
for a; do url=$a; done
echo "$url" >"$POSTS/$n.url"
[ "$n" != 2 ]
EOF
chmod +x "$tmp/bin/curl"
run tickets --year 2026 --format jsonl --top 3 "$sample"/*
PATH="$tmp/bin:$PATH" POSTS="$tmp/posts" \
    TICKET_URL=https://tickets.invalid/api TICKET_TOKEN=t \
    sh "$top_srcdir/contrib/ticket-from-jsonl.sh" <"$tmp/tickets.out" \
    >/dev/null 2>"$tmp/tickets.err"
rc=$?
[ "$rc" = 1 ] || fail "tickets: exit $rc with a failed request, not 1"
[ "$(ls "$tmp/posts" | grep -c 'json$')" = 3 ] ||
    fail "tickets: not one request a suspect, the others after a failure"
second=$(sed -n 2p "$tmp/tickets.out" |
    sed 's/.*"incident_id":"\(zs-[0-9a-f]*\)".*/\1/')
has "$tmp/tickets.err" "$second: could not file a ticket" ||
    fail "tickets: the failed suspect not named: $(cat "$tmp/tickets.err")"
for n in 1 2 3; do
	"$top_builddir/tests/zsjson" "$tmp/posts/$n.json" external_id \
	    suspect/incident_id suspect/rank >"$tmp/ticket$n" ||
	    fail "tickets: request $n: not JSON, or a member missing"
	id=$(sed -n 1p "$tmp/ticket$n")
	[ -n "$id" ] && [ "$id" = "$(sed -n 2p "$tmp/ticket$n")" ] &&
	    [ "$(sed -n 3p "$tmp/ticket$n")" = "$n" ] ||
	    fail "tickets: request $n: $(cat "$tmp/ticket$n")"
	has "$tmp/posts/$n.url" https://tickets.invalid/api ||
	    fail "tickets: request $n not sent to TICKET_URL"
done

# ---- progress ---------------------------------------------------------

run notty --year 2026 "$sample"/*
if grep -q "$(printf '\r')" "$tmp/notty.err"; then
	fail "progress: drawn on a stderr that is not a terminal"
fi

if script -qec true /dev/null >/dev/null 2>&1 && command -v mkfifo \
    >/dev/null 2>&1; then
	# Standard input from a FIFO: the second half is written only once
	# the meter has drawn, so the test waits on output, not on time.
	mkfifo "$tmp/fifo"
	script -qec "exec '$prog' --year 2026 -o '$tmp/tty.json' - \
	    <'$tmp/fifo'" /dev/null >"$tmp/tty.out" 2>&1 &
	spid=$!
	exec 3>"$tmp/fifo"
	gzip -dc "$sample/relay1-mail.log-20261126.gz" >&3
	i=0
	while ! grep -q 'lines' "$tmp/tty.out" && [ $i -lt 600 ]; do
		sleep 1
		i=$((i + 1))
	done
	gzip -dc "$sample/relay1-mail.log.gz" >&3
	exec 3>&-
	wait $spid
	src=$?
	[ "$src" = 0 ] || fail "progress: exit $src"
	has "$tmp/tty.out" "zombiescan: " || fail "progress: never drawn"
	# The meter's line is cleared at the end: "\r", ESC "[K".
	[ "$(tail -c 4 "$tmp/tty.out" | od -An -c | tr -d ' \n')" = \
	    '\r033[K' ] || fail "progress: the line is not cleared"
	has "$tmp/tty.json" '"schema_version"' ||
	    fail "progress: no report written"
else
	echo "desk: script(1) not usable, progress on a terminal not tested"
fi

# ---- --fail-on-suspects ------------------------------------------

# 4 when the report lists a likely zombie, and only then; damaged
# input does not hide it (3 without the option).
run fos --year 2026 -q --fail-on-suspects -o "$tmp/fos.json" "$sample"/*
[ "$rc" = 4 ] || fail "--fail-on-suspects: exit $rc, not 4"
run fosnone --year 2026 -q --fail-on-suspects -s 99.9 \
    -o "$tmp/fosnone.json" "$sample"/*
has "$tmp/fosnone.json" '"reported": 0' ||
    fail "--fail-on-suspects -s 99.9: an account listed"
has "$tmp/fos.json" '"verdict": "likely_zombie"' ||
    fail "--fail-on-suspects: no likely zombie listed"
[ "$rc" = 0 ] || fail "--fail-on-suspects, none listed: exit $rc, not 0"
head -c 3000 "$sample/relay1-mail.log.gz" >"$tmp/cut.gz"
run fosdamaged --year 2026 --fail-on-suspects -o "$tmp/fosd.json" \
    "$sample"/* "$tmp/cut.gz"
[ "$rc" = 4 ] || fail "--fail-on-suspects, damaged input: exit $rc, not 4"
has "$tmp/fosdamaged.err" "cut.gz" ||
    fail "--fail-on-suspects, damaged input: the damage is not named"
run damaged --year 2026 -q -o "$tmp/damaged.json" "$sample"/* \
    "$tmp/cut.gz" "$tmp/no-such.log"
[ "$rc" = 3 ] || fail "damaged input: exit $rc, not 3"
# --quiet keeps the errors behind that status: each file is named
has "$tmp/damaged.err" "cut.gz: offset " ||
    fail "damaged input, --quiet: the damage is not named"
has "$tmp/damaged.err" "no-such.log: " ||
    fail "damaged input, --quiet: the missing file is not named"
# but not the warnings: malformed lines are counted in silence
printf 'not a log line\n' >"$tmp/junk.log"
run junkq --year 2026 -q -o "$tmp/junkq.json" "$sample"/* "$tmp/junk.log"
[ "$rc" = 0 ] || fail "malformed lines, --quiet: exit $rc, not 0"
[ -s "$tmp/junkq.err" ] &&
    fail "malformed lines, --quiet: $(cat "$tmp/junkq.err")"

# ---- the time zone of the hours ------------------------------------

# The report names the zone its hours of day are counted in (a POSIX
# TZ string: no zone database needed).
TZ=XYZ-5:30 "$prog" --all -q --year 2026 -o "$tmp/tz.json" "$sample"/* ||
    fail "TZ: exit $?"
tr -d ' \n' <"$tmp/tz.json" | grep -q \
    '"time_zone":{"name":"XYZ","utc_offset":"+05:30"}' ||
    fail "TZ: the zone is not named in the window"

# ---- SOURCE_DATE_EPOCH -------------------------------------------

# Malformed: a usage error before anything is read, not the clock.
for v in garbage -1 1e9 "1796083200 " 99999999999999; do
	env SOURCE_DATE_EPOCH="$v" "$prog" --all -q -o "$tmp/sde.json" \
	    "$sample"/* 2>/dev/null
	rc=$?
	[ "$rc" = 2 ] || fail "SOURCE_DATE_EPOCH='$v': exit $rc, not 2"
	[ -e "$tmp/sde.json" ] && fail "SOURCE_DATE_EPOCH='$v': a report"
done

# ---- -o that cannot be written ----------------------------------

# A missing directory fails at once, before the input is read: here an
# input that never ends would otherwise keep the run going.
timeout 60 "$prog" --all -q -o "$tmp/no-such-dir/r.json" - </dev/zero \
    >/dev/null 2>"$tmp/nodir.err"
rc=$?
[ "$rc" = 1 ] || fail "-o in a missing directory: exit $rc, not 1"
has "$tmp/nodir.err" "no-such-dir/r.json" ||
    fail "-o in a missing directory: not named: $(cat "$tmp/nodir.err")"

# ---- -o naming standard output -----------------------------------

# /dev/stdout is the descriptor the shell opened: the report lands
# between what was written before and after it, and the file the
# shell redirected to is written, not replaced.
run stdref --year 2026 -q -f csv -n 3 "$sample"/*
{
	echo before
	"$prog" --all --year 2026 -q -f csv -n 3 -o /dev/stdout "$sample"/*
	echo "after $?"
} >"$tmp/devout.txt" 2>"$tmp/devout.err"
{
	echo before
	cat "$tmp/stdref.out"
	echo "after 0"
} >"$tmp/devout.want"
cmp -s "$tmp/devout.txt" "$tmp/devout.want" ||
    fail "-o /dev/stdout: not written in place: $(cat "$tmp/devout.err")"
[ -z "$(ls "$tmp" | grep -F .tmp.)" ] ||
    fail "-o /dev/stdout: a temporary was left"

# ---- a pipe closed early (| head) --------------------------------

# closed_pipe WHAT ARG... - run the program with ARGs into a pipe whose
# reader, true(1), is gone before it writes (the second's wait covers
# output small enough for the pipe's buffer): the write fails with
# EPIPE, which ends the run with status 1 and no message.
closed_pipe() {
	what=$1
	shift
	{
		sleep 1
		"$prog" "$@" 2>"$tmp/pipe.err"
		echo $? >"$tmp/pipe.rc"
	} | true
	[ "$(cat "$tmp/pipe.rc")" = 1 ] ||
	    fail "$what into a closed pipe: exit $(cat "$tmp/pipe.rc"), not 1"
	[ ! -s "$tmp/pipe.err" ] ||
	    fail "$what into a closed pipe: a message: $(cat "$tmp/pipe.err")"
}

closed_pipe report --all --year 2026 "$sample"/*
closed_pipe --help --help
closed_pipe --version --version

if [ "$failed" -ne 0 ]; then
	echo "desk: $failed checks failed"
	exit 1
fi
echo "desk: all checks passed"
exit 0
