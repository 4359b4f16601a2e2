#!/bin/sh
# state.sh - end-to-end tests of --state: night after night.
#
# Simulates four days of one Postfix relay (100 subscribers, seed 2,
# whose turns_bad account starts spamming on day 4) with tools/zssim
# and runs zombiescan once a day, carrying the state file.  Checks:
#   - the account that turns bad is normal before its bad day and a
#     likely zombie on it, with a baseline_jump reason;
#   - no bulk sender is ever flagged;
#   - reports carry the baseline from the second day on;
#   - running a day again leaves the state byte-identical;
#   - a second run on the same state is refused while the first holds
#     it (exit 5, naming the pid);
#   - SIGTERM during a run leaves the state and the previous report
#     byte-identical and no temporary file behind;
#   - corrupt and newer-version state files are refused (exit 5) and
#     left as they are.
#
# Exit status: 0 pass, 1 a check failed, 99 a program is missing or
# failed (automake's hard error).
set -u

. "$(dirname "$0")/lib.sh"
zs_init state
zssim="$top_builddir/tools/zssim"
zombiescan="$top_builddir/zombiescan"
zs_need "$zssim" "$zombiescan"
zs_tmpdir
pids=""
cleanup() {
	for pid in $pids; do
		kill "$pid" 2>/dev/null
	done
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 99' INT TERM

failed=0
fail() {
	echo "state: FAIL: $*" >&2
	failed=$((failed + 1))
}

if ! "$zssim" --outdir "$tmp/sim" --seed 2 --subscribers 100 --relays 1 \
    --days 4 --start 2026-11-25 --zombie-fraction 0.01 \
    >"$tmp/zssim.log" 2>&1; then
	echo "state: zssim failed:" >&2
	cat "$tmp/zssim.log" >&2
	exit 99
fi
relay=$tmp/sim/relay1.isp.example
# The files of days 1..4: rotated files are named by the next day.
day_file() {
	case $1 in
	1) echo "$relay/mail.log-20261126" ;;
	2) echo "$relay/mail.log-20261127" ;;
	3) echo "$relay/mail.log-20261128" ;;
	4) echo "$relay/mail.log" ;;
	esac
}

# The turns_bad account and its first bad day, from the labels.
labels=$tmp/sim/labels.csv
bad=$(awk -F, '$4 == "turns_bad" { print $1 "," $5; exit }' "$labels")
bad_account=${bad%,*}
bad_day=${bad#*,}
if [ -z "$bad_account" ] || [ "$bad_day" != 4 ]; then
	echo "state: expected a turns_bad account bad from day 4 in" \
	    "$labels, got '$bad'" >&2
	exit 99
fi

# A baseline of two days is enough here: the account first mails on
# day 2.  The config also checks the "state" keys are read.
cat >"$tmp/zs.conf" <<'EOF'
{ "schema_version": 1,
  "state": { "half_life_days": 7, "prune_after_days": 30,
             "min_history_days": 2 } }
EOF

# verdict ACCOUNT REPORT - the account's verdict ("absent" if not listed)
verdict() {
	awk -v a="$1" '
	index($0, "\"account\": \"" a "\"") { found = 1; next }
	found && /"verdict": / {
		sub(/.*"verdict": "/, ""); sub(/".*/, ""); print; exit }
	END { if (!found) print "absent" }' "$2"
}

# has_feature ACCOUNT FEATURE REPORT - whether a reason names FEATURE
has_feature() {
	awk -v a="$1" -v f="$2" '
	index($0, "\"account\": \"" a "\"") { found = 1; next }
	found && /"rank": / { exit 1 }
	found && index($0, "\"feature\": \"" f "\"") { ok = 1; exit 0 }
	END { exit ok ? 0 : 1 }' "$3"
}

state=$tmp/zs.state
run_day() {
	"$zombiescan" --all -q -c "$tmp/zs.conf" --year 2026 -j 1 --state "$state" \
	    -o "$tmp/day$1.json" "$(day_file "$1")" 2>"$tmp/day$1.err"
}

for d in 1 2 3 4; do
	run_day "$d"
	rc=$?
	if [ "$rc" -ne 0 ]; then
		echo "state: day $d: exit $rc" >&2
		cat "$tmp/day$d.err" >&2
		exit 99
	fi
	[ -s "$state" ] || fail "day $d: no state file written"
	cp "$state" "$tmp/state.after$d"
	v=$(verdict "$bad_account" "$tmp/day$d.json")
	if [ "$d" -lt "$bad_day" ]; then
		case $v in
		normal|absent) ;;
		*) fail "day $d: $bad_account is $v before its bad day" ;;
		esac
	else
		[ "$v" = likely_zombie ] ||
		    fail "day $d: $bad_account is $v on its bad day"
		has_feature "$bad_account" baseline_jump "$tmp/day$d.json" ||
		    fail "day $d: $bad_account has no baseline_jump reason"
	fi
	for bulk in $(awk -F, '$3 == "bulk_sender" { print $1 }' "$labels"); do
		v=$(verdict "$bulk" "$tmp/day$d.json")
		case $v in
		normal|absent) ;;
		*) fail "day $d: bulk sender $bulk is $v" ;;
		esac
	done
	if [ "$d" -ge 2 ]; then
		grep -q '"baseline": {' "$tmp/day$d.json" ||
		    fail "day $d: no account has a baseline"
		grep -q '"state": {' "$tmp/day$d.json" ||
		    fail "day $d: no state section"
	fi
done

# The same night again: a warning, the state untouched.
cp "$state" "$tmp/before"
"$zombiescan" --all -c "$tmp/zs.conf" --year 2026 -j 1 --state "$state" \
    -o "$tmp/again.json" "$(day_file 4)" 2>"$tmp/again.err"
rc=$?
[ "$rc" -eq 0 ] || fail "rerun of day 4: exit $rc"
cmp -s "$state" "$tmp/before" || fail "rerun of day 4 changed the state"
grep -q 'state not updated' "$tmp/again.err" ||
    fail "rerun of day 4: no warning ($(cat "$tmp/again.err"))"

# The state file named among the logs (a glob too wide): a usage error
# that says so, before anything is read or written.
cp "$state" "$tmp/before"
"$zombiescan" --all -c "$tmp/zs.conf" --year 2026 -j 1 --state "$state" \
    -o "$tmp/mixed.json" "$(day_file 4)" "$state" 2>"$tmp/mixed.err"
rc=$?
[ "$rc" -eq 2 ] || fail "state file as a log: exit $rc"
grep -q 'a state file, not a log' "$tmp/mixed.err" ||
    fail "state file as a log: $(cat "$tmp/mixed.err")"
[ -e "$tmp/mixed.json" ] && fail "state file as a log: a report written"
cmp -s "$state" "$tmp/before" || fail "state file as a log: state changed"

# A run blocked on a fifo holds the lock; a second run is refused.
fifo=$tmp/fifo
mkfifo "$fifo" || exit 99
echo previous >"$tmp/killed.json"
cp "$tmp/killed.json" "$tmp/killed.before"
# start_blocked - the run that waits on the fifo, in the background
start_blocked() {
	"$zombiescan" --all -q --year 2026 -j 1 --state "$state" \
	    -o "$tmp/killed.json" "$fifo" 2>"$tmp/killed.err" &
	blocked=$!
	pids="$blocked"
}
start_blocked
# Wait until it holds the lock: a probe with no input either gets the
# lock (and changes nothing: no time stamps) or is refused.  A probe
# that got the lock first may have made the background run give up:
# then start it again.
tries=0
refused=no
while [ "$tries" -lt 300 ]; do
	"$zombiescan" --all -q --state "$state" -o /dev/null /dev/null \
	    2>"$tmp/probe.err"
	rc=$?
	if [ "$rc" -eq 5 ] && kill -0 "$blocked" 2>/dev/null; then
		refused=yes
		break
	fi
	if ! kill -0 "$blocked" 2>/dev/null; then
		wait "$blocked"
		start_blocked
	fi
	tries=$((tries + 1))
	sleep 0.1
done
if [ "$refused" = yes ]; then
	grep -q "is in use by another run (pid $blocked)" "$tmp/probe.err" ||
	    fail "lock refusal does not name pid $blocked: $(cat "$tmp/probe.err")"
else
	fail "a second run was never refused while the first held the state"
fi
cmp -s "$state" "$tmp/before" || fail "the probes changed the state"

# Feed it part of a day, then SIGTERM it mid-run.  (If it never took
# the lock it may have died: then the fifo would find no reader.)
if kill -0 "$blocked" 2>/dev/null; then
	# Opened read-write, which never blocks (Linux fifo(7)), and the
	# write bounded in time: should the run die in between, the test
	# fails instead of waiting for a reader for ever.
	exec 3<>"$fifo"
	timeout 60 head -c 2000000 "$(day_file 4)" >&3
	kill -TERM "$blocked"
	wait "$blocked"
	rc=$?
	exec 3>&-
else
	wait "$blocked"
	rc=$?
fi
pids=""
[ "$rc" -eq 143 ] || fail "killed run: exit $rc, not 143 (SIGTERM)"
cmp -s "$state" "$tmp/before" || fail "a killed run changed the state"
cmp -s "$tmp/killed.json" "$tmp/killed.before" ||
    fail "a killed run changed the previous report"
leftover=$(find "$tmp" -maxdepth 1 -name '*.tmp.*' | head -1)
[ -z "$leftover" ] || fail "a killed run left $leftover"

# Released: the next run may use the state again.
"$zombiescan" --all -q --state "$state" -o /dev/null /dev/null 2>"$tmp/after.err"
rc=$?
[ "$rc" -ne 5 ] || fail "state still locked after the run died"

# A corrupt state file is refused and kept as it is.
cp "$state" "$tmp/corrupt.state"
size=$(wc -c <"$tmp/corrupt.state")
printf 'X' | dd of="$tmp/corrupt.state" bs=1 seek=$((size / 2)) \
    conv=notrunc 2>/dev/null
cp "$tmp/corrupt.state" "$tmp/corrupt.before"
"$zombiescan" --all -q --year 2026 --state "$tmp/corrupt.state" \
    -o "$tmp/corrupt.json" "$(day_file 4)" 2>"$tmp/corrupt.err"
rc=$?
[ "$rc" -eq 5 ] || fail "corrupt state: exit $rc, not 5"
grep -q 'corrupt state file' "$tmp/corrupt.err" ||
    fail "corrupt state: message: $(cat "$tmp/corrupt.err")"
cmp -s "$tmp/corrupt.state" "$tmp/corrupt.before" ||
    fail "corrupt state file was replaced"
[ ! -e "$tmp/corrupt.json" ] || fail "corrupt state: a report was written"

# A usage error comes before the state's (exit status: the first of 1,
# 2, 5, 4 and 3), and leaves the state alone.
for bad in "--since bogus" "--subscribers $tmp/no-such.csv"; do
	# shellcheck disable=SC2086 # two words on purpose
	"$zombiescan" --all -q --year 2026 --state "$tmp/corrupt.state" $bad \
	    -o "$tmp/corrupt.json" "$(day_file 4)" 2>/dev/null
	rc=$?
	[ "$rc" -eq 2 ] || fail "corrupt state and $bad: exit $rc, not 2"
done
"$zombiescan" --all -q --year 2026 --state "$tmp/corrupt.state" \
    -o "$tmp/corrupt.json" "$tmp/no-such-*.log" 2>/dev/null
rc=$?
[ "$rc" -eq 2 ] || fail "corrupt state and an empty glob: exit $rc, not 2"
printf 'not a partial\n' >"$tmp/bad.zsp"
"$zombiescan" merge --all -q --state "$tmp/corrupt.state" -o "$tmp/corrupt.json" \
    "$tmp/bad.zsp" 2>/dev/null
rc=$?
[ "$rc" -eq 2 ] || fail "corrupt state and a bad partial: exit $rc, not 2"
cmp -s "$tmp/corrupt.state" "$tmp/corrupt.before" ||
    fail "corrupt state file was replaced after a usage error"

# A truncated one too.
head -c $((size - 5)) "$state" >"$tmp/short.state"
"$zombiescan" --all -q --year 2026 --state "$tmp/short.state" \
    -o "$tmp/short.json" "$(day_file 4)" 2>"$tmp/short.err"
rc=$?
[ "$rc" -eq 5 ] || fail "truncated state: exit $rc, not 5"

# A newer format version is refused for its version.
printf 'ZSSTATE\n\002anything' >"$tmp/newer.state"
"$zombiescan" --all -q --year 2026 --state "$tmp/newer.state" \
    -o "$tmp/newer.json" "$(day_file 4)" 2>"$tmp/newer.err"
rc=$?
[ "$rc" -eq 5 ] || fail "newer state: exit $rc, not 5"
grep -q 'newer than this zombiescan reads' "$tmp/newer.err" ||
    fail "newer state: message: $(cat "$tmp/newer.err")"

# A stamp from the future that came in through a pipe (no mtime to
# refuse it by) leaves a state no later night can follow: each such
# night is an error (exit 5), which -q does not hide, not a quiet skip.
{ cat "$(day_file 1)"
  echo '2099-01-01T00:00:00+00:00 relay1 CRON[1]: (root) CMD (true)'; } |
    "$zombiescan" --all -q --year 2026 --state "$tmp/future.state" \
    -o "$tmp/future.json" - 2>/dev/null
rc=$?
[ "$rc" -eq 0 ] || fail "future stamp in a pipe: exit $rc, not 0"
"$zombiescan" --all -q --year 2026 --state "$tmp/future.state" \
    -o "$tmp/future.json" "$(day_file 2)" 2>"$tmp/future.err"
rc=$?
[ "$rc" -eq 5 ] || fail "state ending in the future: exit $rc, not 5"
grep -q "last run ends in the future (2099-01-01" "$tmp/future.err" ||
    fail "state ending in the future: message: $(cat "$tmp/future.err")"
# A replay of old nights with a pinned clock (SOURCE_DATE_EPOCH, long
# before the logs) is no state from the future: the same night twice
# is the quiet rerun it always was.
for n in 1 2; do
	SOURCE_DATE_EPOCH=1000000000 "$zombiescan" --all -q --year 2026 \
	    --state "$tmp/pinned.state" -o "$tmp/pinned.json" \
	    "$(day_file 1)" 2>"$tmp/pinned.err"
	rc=$?
	[ "$rc" -eq 0 ] || fail "pinned clock, run $n: exit $rc"
done
# The same stamp in a file is refused: the state goes on.
{ cat "$(day_file 1)"
  echo '2099-01-01T00:00:00+00:00 relay1 CRON[1]: (root) CMD (true)'; } \
    >"$tmp/future.log"
touch -r "$(day_file 1)" "$tmp/future.log"
rm -f "$tmp/future.state"
"$zombiescan" --all -q --year 2026 --state "$tmp/future.state" \
    -o "$tmp/future.json" "$tmp/future.log" 2>/dev/null
"$zombiescan" --all -q --year 2026 --state "$tmp/future.state" \
    -o "$tmp/future.json" "$(day_file 2)" 2>"$tmp/future.err"
rc=$?
[ "$rc" -eq 0 ] && [ ! -s "$tmp/future.err" ] ||
    fail "future stamp in a file: next night exit $rc: $(cat "$tmp/future.err")"

if [ "$failed" -gt 0 ]; then
	echo "state: $failed checks failed" >&2
	exit 1
fi
echo "state: all checks passed"
exit 0
