#!/bin/sh
# run.sh - build the fuzz targets, make their seed corpora, replay the
# regression inputs, then fuzz each target for a bounded time.
#
#   sh fuzz/run.sh [TARGET...]		default: every fuzz/fuzz_*.c
#
# Environment:
#   FUZZ_SECONDS  seconds of fuzzing per target (default 60); 0 only
#                 replays the regressions and runs the seeds once
#   FUZZ_OUT      build directory (default fuzz/out)
#   FUZZ_WORK     seeds, corpora, artifacts, logs (default FUZZ_OUT/work);
#                 corpora grow there from run to run (remove a target's
#                 corpus after changing what its input bytes mean);
#                 artifacts/<target> holds the last run's reproducers
#   ZS_CORPUS_DIR real-world logs to add to the seeds when present
#                 (default ../shared/corpus, as for tests/check_corpus)
#   CC, FUZZ_CFLAGS, ZS_BUILDDIR: see fuzz/build.sh
#
# Exit status 0 when no target crashed (or leaked, timed out, ran out of
# memory); 1 otherwise, after printing each reproducer's path and the
# command that replays it.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
seconds=${FUZZ_SECONDS:-60}
out=${FUZZ_OUT:-$top/fuzz/out}
mkdir -p "$out"
out=$(cd "$out" && pwd)
work=${FUZZ_WORK:-$out/work}
corpus_dir=${ZS_CORPUS_DIR:-$top/../shared/corpus}

case $seconds in
''|*[!0-9]*)
	echo "run.sh: FUZZ_SECONDS must be a number of seconds" >&2
	exit 2
	;;
esac

sh "$top/fuzz/build.sh" "$out"

if [ $# -gt 0 ]; then
	targets=$*
else
	targets=
	for f in "$top"/fuzz/fuzz_*.c; do
		targets="$targets $(basename "$f" .c)"
	done
fi

# Per-target input size limit: line parsers see chunks of a few KB,
# the reader and the pipeline whole (small) files.
max_len() {
	case $1 in
	fuzz_classify)	echo 2048 ;;
	fuzz_reader)	echo 32768 ;;
	fuzz_pipeline)	echo 32768 ;;
	fuzz_distinct)	echo 32768 ;;
	fuzz_state)	echo 32768 ;;
	fuzz_partial)	echo 65536 ;;
	*)		echo 8192 ;;
	esac
}

# byte N - the byte with decimal value N on standard output
byte() {
	# shellcheck disable=SC2059
	printf "\\$(printf '%03o' "$1")"
}

# Every log the project ships (and the shared corpus), decompressed,
# one file per input, for chunking.
logs=$work/logs-plain
rm -rf "$logs" "$work/seeds"
mkdir -p "$logs"
n=0
for f in "$top"/testdata/*/input/* "$corpus_dir"/*/*.log; do
	[ -f "$f" ] || continue
	n=$((n + 1))
	case $f in
	*.gz)	gzip -dc "$f" >"$logs/$n.log" 2>/dev/null || true ;;
	*)	cp "$f" "$logs/$n.log" ;;
	esac
done

# chunks DIR SIZE - split every log into line-aligned chunks of at most
# SIZE bytes, named DIR/c-*; at most 32 per log (the simulated sample
# logs are megabytes of much the same lines)
chunks() {
	mkdir -p "$1"
	for f in "$logs"/*.log; do
		[ -s "$f" ] || continue
		head -c $(($2 * 32)) "$f" |
		    split -C "$2" -a 4 - "$1/c-$(basename "$f" .log)-"
	done
}

# prefix DIR CONFIG... - put a configuration byte in front of every
# seed in DIR, cycling through the values given
prefix() {
	d=$1
	shift
	i=0
	b=0
	for f in "$d"/*; do
		eval "b=\${$((i % $# + 1))}"
		{ byte "$b"; cat "$f"; } >"$f.tmp"
		mv "$f.tmp" "$f"
		i=$((i + 1))
	done
}

make_seeds() {
	s=$work/seeds
	mkdir -p "$s"

	# syslog: chunks behind a configuration byte (year mode, anchor)
	chunks "$s/fuzz_syslog" 4096
	{ printf '%s\n' \
	    '<34>1 2026-11-26T21:31:55.003Z relay1 postfix 123 ID47 [ex@32473 iut="3" m="a\"]"] msg' \
	    '<13>Nov  6 01:02:03 relay1 postfix/qmgr[7]: x' \
	    '2026-11-26T21:31:55.123456789-05:30 relay1 p[1]: m' \
	    '2026-11-26 21:31:55,5+0100 relay1 p: m' \
	    'Feb 29 00:00:00 relay1 postfix/smtpd[1]: leap' \
	    'Dec 31 23:59:60 relay1 postfix/smtpd[1]: leap second' \
	    'Jan  1 00:00:00 relay1 postfix/smtpd[1]: new year' \
	    'Jul  1 00:00:00 relay1 postfix/smtpd[1]: straggler' \
	    'Jan  1 00:00:01 relay1 last message repeated 3 times'
	} >"$s/fuzz_syslog/hand-1"
	prefix "$s/fuzz_syslog" 0 65 130 195 202 218 250 7

	# postfix: chunks, and lines for every kind
	chunks "$s/fuzz_postfix" 4096
	printf '%s\n' \
	    'Nov 25 09:00:00 r postfix/submission/smtpd[1]: 4dT7Dr2Xv9zBKQ1: client=a.example[2001:db8::1], sasl_method=LOGIN, sasl_username=u@x' \
	    'Nov 25 09:00:00 r postfix/smtpd[1]: NOQUEUE: reject: RCPT from u[192.0.2.1]: 554 5.7.1 <a@b>: Relay access denied; from=<x@y> to=<a@b> proto=ESMTP helo=<h>' \
	    'Nov 25 09:00:00 r postfix/smtpd[1]: warning: u[192.0.2.1]:25: SASL LOGIN authentication failed: UGFzc3dvcmQ6, sasl_username=admin' \
	    'Nov 25 09:00:00 r postfix/cleanup[2]: 0A1B2C3D4E: milter-reject: END-OF-MESSAGE from u[192.0.2.1]: 5.7.1 spam; from=<a@b> to=<c@d> proto=ESMTP helo=<h>' \
	    'Nov 25 09:00:00 r postfix/pickup[3]: 0A1B2C3D4E: uid=1000 from=<root>' \
	    'Nov 25 09:00:00 r postfix/qmgr[4]: 0A1B2C3D4E: from=<>, status=expired, returned to sender' \
	    'Nov 25 09:00:00 r postfix/bounce[5]: 0A1B2C3D4E: sender non-delivery notification: 0B1B2C3D4E' \
	    'Nov 25 09:00:00 r postfix/smtp[6]: 0A1B2C3D4E: to=<a@b>, orig_to=<c@d>, relay=mx[192.0.2.2]:25, delay=1, delays=0/0/0/1, dsn=4.7.0, status=deferred (host mx said: 421 try later (in reply to end of DATA command))' \
	    >"$s/fuzz_postfix/hand-1"

	# exim, sendmail: chunks (the shared corpus has their logs), and a
	# few lines of each framing
	chunks "$s/fuzz_exim" 4096
	printf '%s\n' \
	    '2026-11-26 21:31:55.123 +0100 [4321] 1ahr79-0006jK-G9 <= a@x.example H=pc.example (helo) [192.0.2.1]:1234 P=esmtpsa A=plain:user@x S=1234 id=abc@x T="hi" for b@y.example c@z.example' \
	    '2026-11-26 21:31:56 1ahr79-0006jK-G9 => b@y.example R=dnslookup T=remote_smtp H=mx.y.example [192.0.2.2]:25 C="250 2.0.0 OK id=1"' \
	    '2026-11-26 21:31:57 1ahr79-0006jK-G9 == c@z.example R=dnslookup T=remote_smtp defer (-44) H=mx.z.example [192.0.2.3]: SMTP error from remote mail server after RCPT TO:<c@z.example>: 451 4.7.1 try later' \
	    '2026-11-26 21:31:58 1ahr79-0006jK-G9 Completed' \
	    '2026-11-26 21:31:59 H=(helo) [192.0.2.9]:4444 F=<s@x> rejected RCPT <r@y>: relay not permitted' \
	    'Nov 26 21:32:00 relay1 exim[99]: 2026-11-26 21:32:00 plain authenticator failed for (helo) [192.0.2.8]:5555: 535 Incorrect authentication data (set_id=admin)' \
	    >"$s/fuzz_exim/hand-1"
	chunks "$s/fuzz_sendmail" 4096
	printf '%s\n' \
	    'Nov 26 21:31:55 relay1 sm-mta[123]: 4AQLVtZb012345: from=<a@x.example>, size=1234, class=0, nrcpts=2, msgid=<m@x>, bodytype=8BITMIME, proto=ESMTPSA, daemon=MTA, relay=pc.example [192.0.2.1]' \
	    'Nov 26 21:31:56 relay1 sm-mta[124]: 4AQLVtZb012345: to=<b@y.example>,"c, d"@z.example, ctladdr=<a@x.example> (1000/1000), delay=00:00:01, xdelay=00:00:01, mailer=esmtp, pri=120, relay=mx.y.example. [192.0.2.2], dsn=2.0.0, stat=Sent (OK id=1)' \
	    'Nov 26 21:31:57 relay1 sm-mta[125]: 4AQLVtZb012345: 4AQLVtZc012346: DSN: Cannot send message for 5 days' \
	    'Nov 26 21:31:58 relay1 sendmail[126]: ruleset=check_rcpt, arg1=<r@y>, relay=[192.0.2.9], reject=550 5.7.1 <r@y>... Relaying denied' \
	    'Nov 26 21:31:59 relay1 sm-mta[127]: AUTH=server, relay=pc.example [192.0.2.1], authid=user, mech=PLAIN, bits=0' \
	    'Nov 26 21:32:00 relay1 sm-mta[128]: 4AQLVtZb012345: done; delay=00:00:05, ntries=1' \
	    >"$s/fuzz_sendmail/hand-1"

	# reader: whole files, plain and gzip, behind a max_line byte
	d=$s/fuzz_reader
	mkdir -p "$d"
	for f in "$top"/testdata/*/input/*; do
		[ -f "$f" ] || continue
		head -c 30000 "$f" >"$d/t-$(basename "$f")"
	done
	printf 'a\r\nbb\n\n\rc\000d\ne' >"$d/crlf-nul"
	printf 'one\ntwo\n' | gzip -n >"$d/gz-1"
	{ printf 'one\ntw' | gzip -n; printf 'o\nthree\n' | gzip -n; } \
	    >"$d/gz-members"
	{ printf 'one\ntwo\n' | gzip -n; printf 'junk'; } >"$d/gz-garbage"
	printf 'one\ntwo\nthree\n' | gzip -n | head -c 20 >"$d/gz-truncated"
	head -c 3000 /dev/zero | tr '\0' 'x' | gzip -n >"$d/gz-long"
	# zstd and xz, which builds with libzstd and liblzma decode
	if command -v xz >/dev/null 2>&1; then
		{ printf 'one\ntw' | xz; printf 'o\nthree\n' | xz; } \
		    >"$d/xz-streams"
		printf 'one\ntwo\nthree\n' | xz | head -c 40 >"$d/xz-truncated"
	fi
	if command -v zstd >/dev/null 2>&1; then
		{ printf 'one\ntw' | zstd -q; printf 'o\nthree\n' | zstd -q; } \
		    >"$d/zst-frames"
		printf 'one\ntwo\nthree\n' | zstd -q | head -c 20 \
		    >"$d/zst-truncated"
	fi
	prefix "$d" 0 16 100 200 253 1 64
	{ byte 255; head -c 200000 /dev/zero | tr '\0' 'x' | gzip -n; } \
	    >"$d/gz-huge-line"
	{ byte 254; { head -c 150000 /dev/zero | tr '\0' 'y'; echo; } |
	    gzip -n; } >"$d/gz-over-cap"

	# pipeline: chunks behind three configuration bytes
	chunks "$s/fuzz_pipeline" 8192
	cat "$top"/testdata/rotated/input/mail.log-* \
	    >"$s/fuzz_pipeline/rotated" 2>/dev/null || true
	prefix "$s/fuzz_pipeline" 0 1 2 3 5 9 13
	prefix "$s/fuzz_pipeline" 0 64 85 17 34 127 128
	prefix "$s/fuzz_pipeline" 0 5 6 10 31 133 255 37
	# four relays' lines, one after the other: split in four files
	# (byte 0 bit 2), run through pipeline_run() (byte 2 bit 0) with
	# each turn length (bits 4-5), so that threads take turns
	for t in 1 17 33 49; do
		{ byte 4; byte 0; byte "$t"
		  for k in 1 2 3 4; do
			gzip -dc "$top/testdata/sample/input/relay1-mail.log.gz" |
			    sed -n "$((k * 40)),+39p" |
			    sed "s/ relay1 / relay$k /"
		  done; } >"$s/fuzz_pipeline/relays-$t" 2>/dev/null || true
	done

	# state: real state files, the committed ones and, with a built
	# zombiescan in ZS_BUILDDIR, one per test case (one night, then two)
	d=$s/fuzz_state
	mkdir -p "$d"
	cp "$top"/fuzz/regressions/fuzz_state/* "$d"/ 2>/dev/null || true
	if [ -n "${ZS_BUILDDIR:-}" ] && [ -x "$ZS_BUILDDIR/zombiescan" ]; then
		for c in "$top"/testdata/*/; do
			[ -d "$c/input" ] || continue
			n=$(basename "$c")
			for f in "$c"/input/*; do
				TZ=UTC "$ZS_BUILDDIR/zombiescan" -q --year 2026 \
				    --state "$d/$n.state" -o /dev/null "$f" \
				    2>/dev/null || true
			done
			rm -f "$d/$n.state.lock"
		done
	fi

	# partial: real partial files behind the mode byte (bit 0: fix the
	# CRC, bit 1: also load the bytes as an aggregate section), the
	# committed ones and, with a built zombiescan in ZS_BUILDDIR, one
	# per small test case and one per file of it
	d=$s/fuzz_partial
	mkdir -p "$d"
	cp "$top"/fuzz/regressions/fuzz_partial/* "$d"/ 2>/dev/null || true
	if [ -n "${ZS_BUILDDIR:-}" ] && [ -x "$ZS_BUILDDIR/zombiescan" ]; then
		for c in "$top"/testdata/*/; do
			[ -d "$c/input" ] || continue
			n=$(basename "$c")
			i=0
			for f in "$c"/input/* "$c"/input; do
				i=$((i + 1))
				p=$work/partial.tmp
				# shellcheck disable=SC2086
				(cd "$c" && TZ=UTC "$ZS_BUILDDIR/zombiescan" -q \
				    --year 2026 --save-partial "$p" \
				    $( [ -d "$f" ] && echo "$f"/* || echo "$f")) \
				    2>/dev/null || true
				[ -f "$p" ] || continue
				if [ "$(wc -c <"$p")" -le 65000 ]; then
					{ byte 1; cat "$p"; } >"$d/$n-$i"
					{ byte 0; cat "$p"; } >"$d/$n-$i-crc"
				fi
				rm -f "$p"
			done
		done
	fi

	# classify: reply texts from the logs, and a few by hand
	d=$s/fuzz_classify
	mkdir -p "$d"
	cat "$logs"/*.log | sed -n 's/.*status=[a-z]* (\(.*\))$/\1/p;
	    s/.*: reject: [A-Z-]* from [^ ]*: \(.*\); from=.*/\1/p' |
	    sort -u | head -n 300 | split -l 1 -a 4 - "$d/r-"
	printf '554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org' >"$d/h-1"
	printf '550 5.7.1 Message rejected as spam by Content Filtering' >"$d/h-2"
	printf '421 4.7.0 Try again later, closing connection. (rate limited)' >"$d/h-3"
	printf '550 5.1.1 <a@b>: Recipient address rejected: User unknown in virtual mailbox table' >"$d/h-4"
	printf '550 5.7.1 Our system has detected that this message is likely unsolicited mail \351\000\377' >"$d/h-5"

	# config: the example file, and networks one per line
	d=$s/fuzz_config
	mkdir -p "$d"
	for f in "$top"/doc/*.conf*.json; do
		[ -f "$f" ] && cp "$f" "$d/$(basename "$f")"
	done
	printf '{}' >"$d/h-empty"
	printf '{"schema_version": 1, "scoring": {"likely_zombie_min": 80}, "allow": {"networks": ["192.0.2.0/24"]}}' >"$d/h-1"
	printf '%s\n' 192.0.2.0/24 2001:db8::/32 ::ffff:192.0.2.0/120 \
	    10.0.0.1 fe80::1%%eth0 IPv6:2001:db8::1 192.0.2.1/24 0.0.0.0/0 \
	    ::/0 1.2.3.4/33 >"$d/h-cidr"

	# distinct: item streams (pseudo-random, and log text), and
	# encoded sketches behind the decode mode byte
	d=$s/fuzz_distinct
	mkdir -p "$d"
	for n in 600 3000 12000; do
		{ byte 0; LC_ALL=C awk -v n="$n" 'BEGIN { srand(7);
		    for (i = 0; i < n; i++)
			printf "%c", 1 + int(rand() * 255) }'; } >"$d/r-$n"
	done
	{ byte 0; head -c 8000 "$top/testdata/hostile/input/mail.log"; } \
	    >"$d/log"
	{ byte 128; head -c 16384 /dev/zero | base64 -w 0; } >"$d/hll-empty"
	{ byte 128; head -c 16384 /dev/zero | tr '\0' '\063' |
	    base64 -w 0; } >"$d/hll-full"

	for t in $targets; do
		mkdir -p "$s/$t"
	done
}

make_seeds
mkdir -p "$work/logs" "$work/artifacts"
failed=0
for t in $targets; do
	bin=$out/$t
	if [ ! -x "$bin" ] && [ -f "$out/SKIPPED" ] &&
	    grep -qx "$t" "$out/SKIPPED"; then
		echo "run.sh: $t: skipped, its module is not built yet" \
		    "(see build.sh's message)"
		continue
	fi
	[ -x "$bin" ] || { echo "run.sh: no target $t" >&2; exit 2; }
	corpus=$work/corpus/$t
	artifacts=$work/artifacts/$t
	log=$work/logs/$t.log
	# artifacts are this run's reproducers only
	rm -rf "$artifacts"
	mkdir -p "$corpus" "$artifacts"
	: >"$log"
	common="-timeout=10 -rss_limit_mb=2048 -max_len=$(max_len "$t")
	    -artifact_prefix=$artifacts/ -print_final_stats=1"

	# 1. regressions: every input that once crashed must pass
	reg=$top/fuzz/regressions/$t
	if [ -d "$reg" ] && [ -n "$(ls -A "$reg" 2>/dev/null)" ]; then
		# shellcheck disable=SC2086
		if ! "$bin" $common "$reg"/* >>"$log" 2>&1; then
			echo "run.sh: $t: a regression input fails again;" \
			    "see $log" >&2
			failed=1
			continue
		fi
	fi

	# 2. fuzz (or with FUZZ_SECONDS=0 just run the seeds once)
	if [ "$seconds" -gt 0 ]; then
		budget="-max_total_time=$seconds"
	else
		budget="-runs=0"
	fi
	dict=
	case $t in
	fuzz_postfix|fuzz_pipeline|fuzz_syslog|fuzz_exim|fuzz_sendmail)
		dict="-dict=$top/fuzz/mail.dict" ;;
	esac
	status=0
	# shellcheck disable=SC2086
	timeout $((seconds + 300)) "$bin" $common $budget $dict \
	    "$corpus" "$work/seeds/$t" >>"$log" 2>&1 || status=$?
	summary=$(grep -E '^#[0-9]+.*(DONE|INITED)' "$log" | tail -n 1)
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" |
	    tail -n 1)
	echo "run.sh: $t: status $status, ${execs:-?} runs; $summary"
	if [ "$status" -ne 0 ]; then
		failed=1
		found=0
		for a in "$artifacts"/crash-* "$artifacts"/leak-* \
		    "$artifacts"/timeout-* "$artifacts"/oom-*; do
			[ -f "$a" ] || continue
			found=1
			echo "run.sh: $t: reproducer: $a" >&2
			echo "run.sh:   replay with: $bin $a" >&2
		done
		[ "$found" -eq 1 ] || echo "run.sh: $t: failed without" \
		    "a reproducer; see $log" >&2
		grep -E '^(==[0-9]+==ERROR|SUMMARY|.*check failed)' "$log" |
		    head -n 5 >&2 || true
	fi
done
exit "$failed"
