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
		"$prog" $opts -o one.json p1.log $other p2.log 2>err ||
		    { fail "$name $n: one pass: $(cat err)"; continue; }
		# shellcheck disable=SC2086
		"$prog" $opts --save-partial a.zsp p1.log $other 2>err &&
		"$prog" $opts --save-partial b.zsp p2.log 2>>err &&
		"$prog" merge -o merged.json a.zsp b.zsp 2>>err ||
		    { fail "$name $n: partial run: $(cat err)"; continue; }
		same_report one.json merged.json ||
		    fail "$name split after line $n: merged report differs" \
		    "$(diff one.json.cmp merged.json.cmp | head -5)"
	done
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
"$prog" --year 2026 -o one.json q1.log q2.log q3.log r2.log
for i in 1 2 3; do
	"$prog" --year 2026 --save-partial "q$i.zsp" "q$i.log" || fail "q$i"
done
"$prog" --year 2026 --save-partial r2.zsp r2.log || fail r2
"$prog" merge -o merged.json q1.zsp q2.zsp q3.zsp r2.zsp ||
    fail "three parts: merge failed"
same_report one.json merged.json || fail "three parts: merged report differs"

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

# refused NAME FILE... - merge must exit 2 with a message
refused() {
	name=$1
	shift
	checks=$((checks + 1))
	"$prog" merge -o refused.json "$@" >/dev/null 2>err
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
# Format version 2, as a newer zombiescan would write it.
{
	head -c 8 q2.zsp
	printf '\002'
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

# --save-partial writes no report: -o with it is a usage error.
checks=$((checks + 1))
"$prog" --year 2026 --save-partial x.zsp -o x.json q1.log 2>/dev/null
[ $? = 2 ] || fail "--save-partial with -o accepted"

echo "partial: $checks checks, $failed failed"
[ "$failed" = 0 ]
