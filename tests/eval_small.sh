#!/bin/sh
# eval_small.sh - a quick detection check: simulate one day of two
# Postfix relays (300 subscribers, seed 1) with tools/zssim, rank the
# accounts with zombiescan and measure the report against the labels
# with tools/zseval; then the same relays behind a content filter
# (zssim --content-filter).  The minimums are a little below bench/eval.sh's
# targets (AP >= 0.95, P@k >= 0.90, bulk senders flagged <= 1%), which
# the full evaluation checks on more seeds, formats and days.
#
# Exit status: 0 pass, 1 a minimum missed, 99 a program is missing or
# failed (automake's hard error).
set -u

. "$(dirname "$0")/lib.sh"
zs_init eval_small
zssim="$top_builddir/tools/zssim"
zseval="$top_builddir/tools/zseval"
zombiescan="$top_builddir/zombiescan"
zs_need "$zssim" "$zseval" "$zombiescan"
zs_tmpdir

# evaluate NAME ZSSIM_OPTION... - simulate, rank, measure; 0 pass,
# 1 a minimum missed; exits 99 when a program fails
evaluate() {
	name=$1
	shift
	sim=$tmp/sim-$name
	if ! "$zssim" --outdir "$sim" --seed 1 --subscribers 300 \
	    --relays 2 --days 1 --start 2026-11-25 --format postfix "$@" \
	    >"$tmp/zssim.log" 2>&1; then
		echo "eval_small: zssim failed:" >&2
		cat "$tmp/zssim.log" >&2
		exit 99
	fi

	# With --days 1 each relay has only its live mail.log; the glob
	# keeps the relays apart and any rotated file (mail.log-YYYYMMDD)
	# would sort after mail.log, so list the dated files first.
	set --
	for relay in "$sim"/*/; do
		for f in "$relay"mail.log-*; do
			[ -f "$f" ] && set -- "$@" "$f"
		done
		[ -f "${relay}mail.log" ] && set -- "$@" "${relay}mail.log"
	done
	if [ $# -eq 0 ]; then
		echo "eval_small: zssim wrote no logs" >&2
		exit 99
	fi

	report=$tmp/report-$name.json
	"$zombiescan" -q --year 2026 -s 0 -o "$report" "$@"
	rc=$?
	if [ "$rc" -ne 0 ]; then
		echo "eval_small: zombiescan exit status $rc" >&2
		exit 99
	fi

	echo "== $name"
	"$zseval" --list --min-ap 0.9 --min-pk 0.8 --max-bulk-flagged 0.05 \
	    "$sim/labels.csv" "$report"
	rc=$?
	[ "$rc" -le 1 ] || {
		echo "eval_small: zseval exit status $rc" >&2
		exit 99
	}
	return "$rc"
}

failed=0
evaluate plain || failed=1
# The same relays behind an outbound content filter that hands every
# message back as a copy from 127.0.0.1: the same ranking, and no
# account of the filter's address.
evaluate content-filter --content-filter || failed=1
if grep -q '"127\.0\.0\.1"' "$tmp/report-content-filter.json"; then
	echo "FAIL: the filter's address 127.0.0.1 is an account"
	failed=1
fi
if grep -q '"messages_joined": 0,' "$tmp/report-content-filter.json"; then
	echo "FAIL: no copy joined"
	failed=1
fi
if [ "$failed" -eq 0 ]; then
	echo "eval_small: pass"
	exit 0
fi
echo "eval_small: FAIL (see the FAIL lines above)" >&2
exit 1
