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
#   EVAL_STATE_DAYS=7    days of the --state run (0: skip it)
#   EVAL_STATE_FORMATS="postfix"  formats of the --state run
#
# Then, for every seed and EVAL_STATE_FORMATS, the night-to-night
# check: simulate EVAL_STATE_DAYS days, run zombiescan once a day with
# --state carrying each account's baseline to the next night, and
# require that every account that turns bad (zombie_kind turns_bad) is
# a likely zombie in the report of its first bad day (bad_from_day in
# the labels) and that no bulk sender is flagged on any day.
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
STATE_DAYS=${EVAL_STATE_DAYS:-7}
STATE_FORMATS=${EVAL_STATE_FORMATS:-postfix}
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
		"$ZOMBIESCAN" -q --all --year "$YEAR" -o "$run/report.json" \
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

# day_files RELAYDIR DAY - the files holding day DAY (1-based) of a
# zssim run of STATE_DAYS days: the file rotated the next morning, or
# the live file for the last day
day_files() {
	local dir=$1 day=$2 stamp
	if [ "$day" -eq "$STATE_DAYS" ]; then
		find "$dir" -maxdepth 1 -type f ! -name '*-[0-9]*' | sort
	else
		stamp=$(date -u -d "$START + $day day" +%Y%m%d) ||
		    die "date cannot count days from $START"
		find "$dir" -maxdepth 1 -type f -name "*-$stamp*" | sort
	fi
}

# verdict ACCOUNT REPORT - the account's verdict, "absent" if unlisted
verdict() {
	awk -v a="$1" '
	index($0, "\"account\": \"" a "\"") { found = 1; next }
	found && /"verdict": / {
		sub(/.*"verdict": "/, ""); sub(/".*/, ""); print; exit }
	END { if (!found) print "absent" }' "$2"
}

state_rows=()
state_details=()
if [ "$STATE_DAYS" -gt 0 ]; then
	for seed in $SEEDS; do
		for fmt in $STATE_FORMATS; do
			run=$WORK/state-s$seed-$fmt
			rm -rf "$run"
			mkdir -p "$run" || die "cannot create $run"
			"$ZSSIM" --outdir "$run/logs" --seed "$seed" \
			    --subscribers "$SUBSCRIBERS" --relays "$RELAYS" \
			    --days "$STATE_DAYS" --start "$START" \
			    --format "$fmt" >"$run.zssim.log" 2>&1 ||
			    die "zssim failed for the --state run, seed $seed, $fmt"
			labels=$run/logs/labels.csv
			turned=0 caught=0 bulk_flags=0 bulk_n=0
			for ((d = 1; d <= STATE_DAYS; d++)); do
				files=()
				for relay in "$run"/logs/*/; do
					while IFS= read -r f; do
						files+=("$f")
					done < <(day_files "$relay" "$d")
				done
				[ ${#files[@]} -gt 0 ] ||
				    die "no files for day $d of seed $seed, $fmt"
				"$ZOMBIESCAN" -q --all --year "$YEAR" --state "$run/state" \
				    -o "$run/day$d.json" "${files[@]}" \
				    2>"$run/day$d.err"
				rc=$?
				[ "$rc" -eq 0 ] || [ "$rc" -eq 3 ] ||
				    die "zombiescan exit $rc on day $d, seed $seed, $fmt (see $run/day$d.err)"
				while IFS=, read -r acct day; do
					[ "$day" = "$d" ] || continue
					turned=$((turned + 1))
					v=$(verdict "$acct" "$run/day$d.json")
					if [ "$v" = likely_zombie ]; then
						caught=$((caught + 1))
					else
						state_details+=("seed $seed, $fmt: turns_bad $acct is $v on day $d, its first bad day")
					fi
				done < <(awk -F, '$4 == "turns_bad" { print $1 "," $5 }' "$labels")
				while IFS= read -r acct; do
					bulk_n=$((bulk_n + 1))
					v=$(verdict "$acct" "$run/day$d.json")
					case $v in
					normal|absent) ;;
					*)	bulk_flags=$((bulk_flags + 1))
						state_details+=("seed $seed, $fmt: bulk sender $acct is $v on day $d") ;;
					esac
				done < <(awk -F, '$3 == "bulk_sender" { print $1 }' "$labels")
			done
			if [ "$turned" -gt 0 ] && [ "$caught" -eq "$turned" ] &&
			    [ "$bulk_flags" -eq 0 ]; then
				result=pass
			else
				result=FAIL
				failed=$((failed + 1))
			fi
			state_rows+=("$(printf '| %4s | %-8s | %4s | %-26s | %-22s | %-4s |' \
			    "$seed" "$fmt" "$STATE_DAYS" "$caught/$turned" \
			    "$bulk_flags/$bulk_n" "$result")")
			printf '%s\n' "${state_rows[${#state_rows[@]}-1]}" >&2
			[ "$KEEP" = 1 ] || rm -rf "$run/logs"
		done
	done
fi

table() {
	echo "| seed | format   |   k |     AP |    P@k | min recall | bulk flagged   | non-zombie flagged | pass |"
	echo "|-----:|----------|----:|-------:|-------:|-----------:|----------------|--------------------|------|"
	printf '%s\n' "${rows[@]}"
	echo
	echo "Targets: AP >= $MIN_AP, P@k >= $MIN_PK, recall of every zombie kind >= $MIN_RECALL (verdict likely_zombie), bulk senders flagged <= $MAX_BULK (verdict suspicious or likely_zombie)."
	echo
	if [ ${#state_rows[@]} -eq 0 ]; then
		echo "Night-to-night --state run: skipped (EVAL_STATE_DAYS=0)."
		return
	fi
	echo "Night-to-night: one zombiescan run per simulated day with --state; accounts that turn bad must be likely zombies on their first bad day, bulk senders never flagged (bulk-sender-days flagged / bulk-sender-days)."
	echo
	echo "| seed | format   | days | turns_bad caught, bad day  | bulk flagged (days)    | pass |"
	echo "|-----:|----------|-----:|----------------------------|------------------------|------|"
	printf '%s\n' "${state_rows[@]}"
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
if [ ${#state_details[@]} -gt 0 ]; then
	echo
	printf '%s\n' "${state_details[@]}"
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
		if [ ${#state_details[@]} -gt 0 ]; then
			echo
			echo '```'
			printf '%s\n' "${state_details[@]}"
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
