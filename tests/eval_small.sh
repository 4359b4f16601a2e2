#!/bin/sh
# eval_small.sh - a quick detection check: simulate one day of two
# Postfix relays (300 subscribers, seed 1) with tools/zssim, rank the
# accounts with zombiescan and measure the report against the labels
# with tools/zseval.  The minimums are a little below bench/eval.sh's
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

if ! "$zssim" --outdir "$tmp/sim" --seed 1 --subscribers 300 --relays 2 \
    --days 1 --start 2026-11-25 --format postfix >"$tmp/zssim.log" 2>&1; then
	echo "eval_small: zssim failed:" >&2
	cat "$tmp/zssim.log" >&2
	exit 99
fi

# With --days 1 each relay has only its live mail.log; the glob keeps
# the relays apart and any rotated file (mail.log-YYYYMMDD) would sort
# after mail.log, so list the dated files first explicitly.
set --
for relay in "$tmp"/sim/*/; do
	for f in "$relay"mail.log-*; do
		[ -f "$f" ] && set -- "$@" "$f"
	done
	[ -f "${relay}mail.log" ] && set -- "$@" "${relay}mail.log"
done
if [ $# -eq 0 ]; then
	echo "eval_small: zssim wrote no logs" >&2
	exit 99
fi

"$zombiescan" -q --year 2026 -o "$tmp/report.json" "$@"
rc=$?
if [ "$rc" -ne 0 ]; then
	echo "eval_small: zombiescan exit status $rc" >&2
	exit 99
fi

"$zseval" --list --min-ap 0.9 --min-pk 0.8 --max-bulk-flagged 0.05 \
    "$tmp/sim/labels.csv" "$tmp/report.json"
rc=$?
case $rc in
0)	echo "eval_small: pass"
	exit 0 ;;
1)	echo "eval_small: FAIL (see the FAIL lines above)" >&2
	exit 1 ;;
*)	echo "eval_small: zseval exit status $rc" >&2
	exit 99 ;;
esac
