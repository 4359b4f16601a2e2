#!/usr/bin/env bash
# eval.sh - zombiescan's detection quality against zssim's labels.
#
#   bench/eval.sh [-n | --print-only] [-h | --help]
#
# For every seed and log format: simulate relays with tools/zssim, run
# zombiescan on each relay's files (oldest first), and measure the full
# report with tools/zseval against the targets:
#   average precision >= 0.95, precision at k >= 0.90,
#   recall (verdict likely_zombie) of every zombie kind >= 0.90,
#   legitimate bulk senders flagged <= 1%.
#
# Environment:
#   BUILD=DIR            configured build directory (default: ./build at
#                        the top of the source tree)
#   EVAL_DIR=DIR         scratch directory (default: a new one in /tmp)
#   EVAL_SEEDS="1 2 3"   simulator seeds
#   EVAL_FORMATS="postfix exim sendmail"
#   EVAL_SUBSCRIBERS=600 EVAL_RELAYS=2 EVAL_DAYS=2
#   EVAL_START=2026-11-25  first simulated day
#   EVAL_KEEP=1          keep the simulated logs (about 250 MB a run)
#
# Prints a table, one row per seed and format, and exits 1 when any row
# misses a target.  Writes bench/EVAL.md unless -n is given.
set -u
set -o pipefail

PROG=eval.sh
print_only=no
for arg in "$@"; do
	case $arg in
	-n|--print-only) print_only=yes ;;
	-h|--help)
		sed -n '2,25p' "$0" | sed 's/^# \{0,1\}//'
		exit 0 ;;
	*)	echo "$PROG: unknown argument: $arg" >&2
		exit 2 ;;
	esac
done

REPO=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-$REPO/build}
SEEDS=${EVAL_SEEDS:-1 2 3}
FORMATS=${EVAL_FORMATS:-postfix exim sendmail}
SUBSCRIBERS=${EVAL_SUBSCRIBERS:-600}
RELAYS=${EVAL_RELAYS:-2}
DAYS=${EVAL_DAYS:-2}
START=${EVAL_START:-2026-11-25}
KEEP=${EVAL_KEEP:-0}
YEAR=${START%%-*}

# The issue's targets.
MIN_AP=0.95
MIN_PK=0.90
MIN_RECALL=0.90
MAX_BULK=0.01

ZSSIM=$BUILD/tools/zssim
ZSEVAL=$BUILD/tools/zseval
ZOMBIESCAN=$BUILD/zombiescan

die() {
	echo "$PROG: $*" >&2
	exit 2
}

for p in "$ZSSIM" "$ZSEVAL" "$ZOMBIESCAN"; do
	[ -x "$p" ] || die "$p not built (set BUILD, run make)"
done

export TZ=UTC LC_ALL=C
if [ -n "${EVAL_DIR:-}" ]; then
	WORK=$EVAL_DIR
	mkdir -p "$WORK" || die "cannot create $WORK"
else
	WORK=$(mktemp -d "${TMPDIR:-/tmp}/zs-eval.XXXXXX") || die "mktemp"
fi

# relay_files DIR - the relay's files oldest first: the rotated files
# (name-YYYYMMDD[.gz], named by the day after the one they hold) in
# date order, then the live file.  A plain sort would put the live
# file first.
relay_files() {
	local dir=$1
	find "$dir" -maxdepth 1 -type f -name '*-[0-9]*' | sort
	find "$dir" -maxdepth 1 -type f ! -name '*-[0-9]*' | sort
}

# field NAME FILE - the first number after NAME at the start of a line
# of zseval's text block
field() {
	awk -v name="$1" 'index($0, name) == 1 {
		s = substr($0, length(name) + 1)
		n = split(s, w, " ")
		for (i = 1; i <= n; i++)
			if (w[i] ~ /^[0-9.]+$/) { print w[i]; exit }
	}' "$2"
}

# flagged_field CLASS FILE - "share (n/total)" of a "flagged" line
flagged_field() {
	awk -v cls="$1" '$1 == "flagged" && $2 == cls {
		print $3 " " $4; exit }' "$2"
}

rows=()
details=()
failed=0
for seed in $SEEDS; do
	for fmt in $FORMATS; do
		run=$WORK/s$seed-$fmt
		rm -rf "$run"
		mkdir -p "$run" || die "cannot create $run"
		if ! "$ZSSIM" --outdir "$run/logs" --seed "$seed" \
		    --subscribers "$SUBSCRIBERS" --relays "$RELAYS" \
		    --days "$DAYS" --start "$START" --format "$fmt" \
		    >"$run.zssim.log" 2>&1; then
			die "zssim failed for seed $seed, $fmt (see $run.zssim.log)"
		fi
		files=()
		for relay in "$run"/logs/*/; do
			while IFS= read -r f; do
				files+=("$f")
			done < <(relay_files "$relay")
		done
		"$ZOMBIESCAN" -q --year "$YEAR" -o "$run/report.json" \
		    "${files[@]}" 2>"$run/zombiescan.err"
		rc=$?
		if [ "$rc" -ne 0 ]; then
			[ "$rc" -eq 3 ] ||
			    die "zombiescan exit $rc for seed $seed, $fmt (see $run/zombiescan.err)"
			echo "$PROG: seed $seed, $fmt: some input damaged" >&2
		fi
		"$ZSEVAL" --list --min-ap "$MIN_AP" --min-pk "$MIN_PK" \
		    --min-recall "$MIN_RECALL" --max-bulk-flagged "$MAX_BULK" \
		    "$run/logs/labels.csv" "$run/report.json" \
		    >"$run/zseval.txt" 2>/dev/null
		rc=$?
		case $rc in
		0) result=pass ;;
		1) result=FAIL; failed=$((failed + 1)) ;;
		*) die "zseval exit $rc for seed $seed, $fmt" ;;
		esac
		t=$run/zseval.txt
		rows+=("$(printf '| %4s | %-8s | %3s | %6s | %6s | %10s | %-14s | %-18s | %-4s |' \
		    "$seed" "$fmt" "$(field 'zombies (k)' "$t")" \
		    "$(field AP "$t")" "$(field P@k "$t")" \
		    "$(awk '$1 == "recall" && $2 == "(min)" { print $3 }' "$t")" \
		    "$(flagged_field bulk_sender "$t")" \
		    "$(flagged_field non-zombie "$t")" "$result")")
		if [ "$result" = FAIL ] || grep -q '^missed\|^false alarm' "$t"; then
			details+=("seed $seed, $fmt:")
			while IFS= read -r line; do
				details+=("    $line")
			done < <(grep '^FAIL\|^missed\|^false alarm' "$t")
		fi
		printf '%s\n' "${rows[${#rows[@]}-1]}" >&2
		[ "$KEEP" = 1 ] || rm -rf "$run/logs"
	done
done

table() {
	echo "| seed | format   |   k |     AP |    P@k | min recall | bulk flagged   | non-zombie flagged | pass |"
	echo "|-----:|----------|----:|-------:|-------:|-----------:|----------------|--------------------|------|"
	printf '%s\n' "${rows[@]}"
	echo
	echo "Targets: AP >= $MIN_AP, P@k >= $MIN_PK, recall of every zombie kind >= $MIN_RECALL (verdict likely_zombie), bulk senders flagged <= $MAX_BULK (verdict suspicious or likely_zombie)."
	echo "7-day --state criterion (accounts that turn bad are flagged on their first bad day): n/a (no --state yet)"
}

machine() {
	local cpu
	cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null)
	echo "- CPU: ${cpu:-unknown}, $(nproc 2>/dev/null || echo '?') CPUs"
	echo "- OS: $(uname -srm)"
	echo "- $("$ZOMBIESCAN" --version 2>/dev/null | head -1)"
	echo "- Run: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
	echo "- Simulation: --subscribers $SUBSCRIBERS --relays $RELAYS --days $DAYS --start $START, seeds $SEEDS, formats $FORMATS"
}

echo
table
if [ ${#details[@]} -gt 0 ]; then
	echo
	echo "Missed zombies and false alarms (rank, score, verdict, label, account):"
	printf '%s\n' "${details[@]}"
fi

if [ "$print_only" = no ]; then
	{
		echo "# Detection evaluation"
		echo
		echo "Made by \`bench/eval.sh\`: zssim-simulated relays, one zombiescan"
		echo "report per seed and format, measured with \`tools/zseval\` against"
		echo "the labels (zombies are the positives; accounts the labels do not"
		echo "know count as legitimate non-zombies)."
		echo
		table
		if [ ${#details[@]} -gt 0 ]; then
			echo
			echo "Missed zombies and false alarms (rank, score, verdict, label, account):"
			echo
			echo '```'
			printf '%s\n' "${details[@]}"
			echo '```'
		fi
		echo
		echo "Machine:"
		echo
		machine
	} >"$REPO/bench/EVAL.md.tmp" && mv "$REPO/bench/EVAL.md.tmp" "$REPO/bench/EVAL.md"
fi

[ -n "${EVAL_DIR:-}" ] || [ "$KEEP" = 1 ] || rm -rf "$WORK"
if [ "$failed" -gt 0 ]; then
	echo "$PROG: $failed of ${#rows[@]} runs missed a target" >&2
	exit 1
fi
exit 0
