#!/bin/sh
# equivalence.sh - the same traffic logged by Postfix, Exim and Sendmail
# gives the same per-account figures and the same ranking.
#
# tools/zssim describes the same sessions, messages, recipients and
# outcomes whatever --format it writes (doc/simulator.md,
# "Determinism"), so for each run below the three logs are ranked with
# zombiescan and the reports compared pairwise with tools/zscmp: every
# feature of every account, exactly, and the order of the accounts.
#
# Runs: seed 5, one day (live logs only); seed 9, two days at a third
# of the spam volume (a rotated file per relay, messages and retries
# across midnight).  --no-noise: the noise is not the same traffic in
# the three formats (Exim's main log has no postscreen, cron or local
# deliveries), only the subscribers' traffic is.
#
# What the logs cannot say alike, and how it is compared instead (the
# reasons are in doc/simulator.md, "The same traffic in three
# formats"):
#
#   every pair    helo_*: Sendmail logs no HELO name for a message,
#                 Postfix only on refusal lines, Exim on every arrival.
#                 Not compared.
#   Sendmail      remote_rejections: Sendmail keeps the first line of a
#                 remote reply, cut to 203 bytes, so a refusal the full
#                 text calls blocklist or spam may be left with its
#                 5.7.x status (reputation).  --cut-replies: exactly
#                 that move is allowed, every other class is exact.
#   Postfix       a failed login is logged without the user name
#                 before Postfix 3.9 (odd relays), and smtpd's refusals
#                 before the first accepted recipient name no user, so
#                 Postfix counts them for the client address where
#                 Exim and Sendmail name the user: auth_failures,
#                 local_rejections and local_rate_limits are compared
#                 as totals over all accounts (--total), and
#                 logins_after_failures, which follows from them, is
#                 not compared; accounts they move are left out of the
#                 ranking.  Postfix logs a message's first line at the
#                 first accepted RCPT, Exim and Sendmail at the end of
#                 DATA: messages_by_hour may move messages to the next
#                 hour (--hour-shift), and first_seen_sec,
#                 last_seen_sec and the minute-scale peaks
#                 (peak_minute_messages, peak_10min_messages,
#                 peak_hour_recipients) are not compared.
#
# Exit status: 0 pass, 1 the reports differ, 99 a program is missing or
# failed (automake's hard error).
set -u

. "$(dirname "$0")/lib.sh"
zs_init equivalence 0
zssim="$top_builddir/tools/zssim"
zscmp="$top_builddir/tools/zscmp"
zombiescan="$top_builddir/zombiescan"
zs_need "$zssim" "$zscmp" "$zombiescan"
zs_tmpdir

helo="--ignore helo_records --ignore helo_ip_literals --ignore helo_random
    --ignore helo_changes"
sendmail="--cut-replies"
postfix="--total auth_failures --total local_rejections
    --total local_rate_limits --ignore logins_after_failures
    --hour-shift --ignore first_seen_sec --ignore last_seen_sec
    --ignore peak_minute_messages --ignore peak_10min_messages
    --ignore peak_hour_recipients"

failed=0

# run NAME ZSSIM-OPTIONS... - simulate, rank and compare one traffic
run() {
	name=$1
	shift
	for f in postfix exim sendmail; do
		if ! "$zssim" --outdir "$tmp/$name-$f" --format "$f" \
		    --subscribers 150 --relays 2 --start 2026-11-25 \
		    --no-noise "$@" >"$tmp/zssim.log" 2>&1; then
			echo "equivalence: zssim failed:" >&2
			cat "$tmp/zssim.log" >&2
			exit 99
		fi
		"$zombiescan" --all -q --year 2026 \
		    -o "$tmp/$name-$f.json" "$tmp/$name-$f"
		rc=$?
		if [ "$rc" -ne 0 ]; then
			echo "equivalence: zombiescan exit status $rc" \
			    "($name, $f)" >&2
			exit 99
		fi
	done
	# shellcheck disable=SC2086 # option lists split on purpose
	compare "$name" exim sendmail $helo $sendmail
	# shellcheck disable=SC2086
	compare "$name" postfix exim $helo $postfix
	# shellcheck disable=SC2086
	compare "$name" postfix sendmail $helo $postfix $sendmail
}

# compare NAME A B OPTIONS... - one pair of reports
compare() {
	name=$1 a=$2 b=$3
	shift 3
	"$zscmp" "$@" "$tmp/$name-$a.json" "$tmp/$name-$b.json" \
	    >"$tmp/diff" 2>&1
	case $? in
	0)	echo "equivalence: $name: $a and $b agree" ;;
	1)	echo "equivalence: $name: $a (A) and $b (B) differ:" >&2
		cat "$tmp/diff" >&2
		failed=1 ;;
	*)	cat "$tmp/diff" >&2
		exit 99 ;;
	esac
}

# The comparison must be able to fail: two different traffics differ.
"$zssim" --outdir "$tmp/other" --format exim --subscribers 150 \
    --relays 2 --start 2026-11-25 --no-noise --seed 6 >/dev/null 2>&1 &&
    "$zombiescan" --all -q --year 2026 -o "$tmp/other.json" "$tmp/other" ||
    exit 99

run seed5 --seed 5 --days 1
run seed9 --seed 9 --days 2 --volume 0.3

if "$zscmp" "$tmp/other.json" "$tmp/seed5-exim.json" >/dev/null 2>&1; then
	echo "equivalence: FAIL: zscmp finds no difference between two" \
	    "different traffics" >&2
	failed=1
fi

if [ "$failed" -ne 0 ]; then
	echo "equivalence: FAIL" >&2
	exit 1
fi
echo "equivalence: pass"
exit 0
