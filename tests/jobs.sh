#!/bin/sh
# jobs.sh - the number of threads does not change the output: the
# report (and the saved partial) of -j 2 and -j 3 is byte for byte the
# one of -j 1, and so are the warnings, but for their order between
# relays (relays are read at once with more than one job).
#
# Input: three relays from tools/zssim, three files each (two rotated
# gzip files, the live file plain), each file many batches of events
# for the reading threads of -j 2 and more (analysis/evbatch.h).  One
# of relay2's rotated files is cut short (damaged: the lines before
# the cut count) and relay3's live file holds a line with a NUL byte
# (a malformed line warning).  Then a log holding two relays' lines,
# whose rotated files begin with different relays.
set -u

. "$(dirname "$0")/lib.sh"
zs_init jobs 1796083200	# 2026-12-01T00:00:00Z
prog="$top_builddir/zombiescan"
zssim="$top_builddir/tools/zssim"
zs_need "$prog" "$zssim"
zs_tmpdir
cd "$tmp" || exit 99

failed=0

# fail - report one failure
fail() {
	echo "FAIL: $*"
	failed=$((failed + 1))
}

# (--outdir makes the missing parent too.)
"$zssim" --outdir logs/sim --seed 11 --days 3 --relays 3 --gzip \
    --scale 0.1 >/dev/null || exit 99
r1=logs/sim/relay1.isp.example
r2=logs/sim/relay2.isp.example
r3=logs/sim/relay3.isp.example

# relay2: the second rotated file loses its second half.
f=$r2/mail.log-20261127.gz
size=$(wc -c <"$f")
head -c $((size / 2)) "$f" >"$f.cut" && mv "$f.cut" "$f" || exit 99
# relay3: a NUL byte in a line of the live file.
f=$r3/mail.log
lines=$(wc -l <"$f")
{
	head -n $((lines / 2)) "$f"
	printf 'Nov 27 12:00:00 relay3 postfix/smtpd[7]: \000 NUL\n'
	tail -n +$((lines / 2 + 1)) "$f"
} >"$f.nul" && mv "$f.nul" "$f" || exit 99

# Relays interleaved on the command line, each relay's files in order.
set -- $r1/mail.log-20261126.gz $r2/mail.log-20261126.gz \
    $r3/mail.log-20261126.gz $r1/mail.log-20261127.gz \
    $r2/mail.log-20261127.gz $r3/mail.log-20261127.gz \
    $r1/mail.log $r2/mail.log $r3/mail.log

for j in 1 2 3; do
	"$prog" --all -j "$j" --year 2026 -o "report-$j.json" "$@" 2>"err-$j"
	echo $? >"exit-$j"
	sort "err-$j" >"err-$j.sorted"
	# Open messages carried, not counted: another way through.
	"$prog" -q -j "$j" --year 2026 --save-partial "partial-$j.zsp" \
	    "$@" 2>/dev/null
	echo $? >>"exit-$j"
done

# The run must show what it is meant to test.
[ "$(head -n 1 exit-1)" = 3 ] ||
    fail "-j 1: exit $(head -n 1 exit-1), expected 3"
[ -s partial-1.zsp ] || fail "-j 1: no partial saved"
grep -q 'relay2.isp.example/mail.log-20261127.gz' err-1 ||
    fail "-j 1: no warning about the damaged file"
grep -q 'relay3.isp.example/mail.log: 1 malformed line' err-1 ||
    fail "-j 1: no warning about the malformed line"
grep -q '"files": 9,' report-1.json || fail "-j 1: not 9 files read"

for j in 2 3; do
	cmp -s exit-1 "exit-$j" || fail "-j $j: exit status differs"
	if ! cmp -s report-1.json "report-$j.json"; then
		fail "-j $j: report differs from -j 1"
		diff -u report-1.json "report-$j.json" | head -20
	fi
	cmp -s partial-1.zsp "partial-$j.zsp" ||
	    fail "-j $j: saved partial differs from -j 1"
	if ! cmp -s err-1.sorted "err-$j.sorted"; then
		fail "-j $j: warnings differ from -j 1"
		diff -u err-1.sorted "err-$j.sorted" | head -20
	fi
	# One relay's warnings come in the same order.
	for r in relay1 relay2 relay3; do
		grep "$r" err-1 >want
		grep "$r" "err-$j" >got
		cmp -s want got || fail "-j $j: $r's warnings out of order"
	done
done

# A central log host's mail.log holds two relays' lines, and its newer
# file begins with relay2's: relay1's message split by the rotation is
# still one message (a rotated set is read by one correlator), with
# any -j.
mkdir -p central
{
	echo "Nov 30 23:59:58 relay1 postfix/smtpd[10]: 1A2B3C4D5E: client=pc[10.1.1.1], sasl_method=PLAIN, sasl_username=u1"
	echo "Nov 30 23:59:58 relay1 postfix/cleanup[11]: 1A2B3C4D5E: message-id=<c1@pc>"
	echo "Nov 30 23:59:59 relay1 postfix/qmgr[12]: 1A2B3C4D5E: from=<u1@isp.example>, size=900, nrcpt=1 (queue active)"
} >central/mail.log.1
{
	echo "Dec  1 00:00:00 relay2 postfix/qmgr[20]: 9F8E7D6C5B: removed"
	echo "Dec  1 00:00:01 relay1 postfix/smtp[13]: 1A2B3C4D5E: to=<x@example.org>, relay=mx.example.org[203.0.113.9]:25, delay=2, delays=1/0/0.5/0.5, dsn=2.0.0, status=sent (250 Ok)"
	echo "Dec  1 00:00:01 relay1 postfix/qmgr[12]: 1A2B3C4D5E: removed"
} >central/mail.log
for j in 1 2; do
	"$prog" --all -q --year 2026 -j $j -o "central-$j.json" central 2>/dev/null
done
grep -q '"messages_incomplete": 0,' central-1.json &&
    grep -q '"messages_attributed": 1,' central-1.json ||
    fail "a message split by the rotation of a two-relay log is not joined"
cmp -s central-1.json central-2.json || fail "two-relay log: -j 2 differs"

if [ "$failed" -eq 0 ]; then
	echo "PASS: jobs: -j 2 and -j 3 as -j 1"
	exit 0
fi
echo "jobs: $failed failed"
exit 1
