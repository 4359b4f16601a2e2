#!/bin/sh
# badinput.sh - hostile and broken input, end to end.
#
# Each case builds its input here (nothing large is kept in testdata/),
# runs zombiescan on it, and requires that the run completes with the
# expected exit status (3 when a file was missing, unreadable or
# damaged, 0 otherwise), that the report is valid JSON and valid UTF-8
# (tests/zsjson parses it strictly), that the damage is counted in the
# report's input section and named on standard error with its file and
# offset, and that every good line around the damage is still used
# (counted by lines, messages and accounts).  The last two cases feed
# millions of records past the --max-open and --max-accounts caps and
# require the peak memory that --verbose prints to stay within a bound
# derived from the cap, far below what the records would take uncapped.
#
# ZS_WRAPPER, when set, is put in front of zombiescan (see golden.sh);
# the two cap cases are left out then, as they would take too long
# under valgrind.
set -u

. "$(dirname "$0")/lib.sh"
zs_init badinput 1796083200	# 2026-12-01T00:00:00Z
prog="$top_builddir/zombiescan"
zsjson="$top_builddir/tests/zsjson"
# AddressSanitizer keeps freed memory in quarantine (256 MB by default),
# which would hide what the caps bound; keep it small.
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=16"
export ASAN_OPTIONS

zs_need "$prog" "$zsjson"
zs_tmpdir
# Some cases take permissions away inside $tmp.
trap 'chmod -R u+rwx "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT INT TERM
[ -n "${ZS_KEEP:-}" ] && trap - EXIT && echo "kept $tmp"
cd "$tmp" || exit 99

passed=0
failed=0
skipped=0
case_failed=0
name=

# gen N [FIRST [USERS [MODE]]] - N complete Postfix messages of five
# lines each (submission with a login, message-id, queue, delivery,
# removal), numbered from FIRST, sent by USERS accounts u0...; MODE
# "interleave" writes each kind of line for every message before the
# next kind, as thousands of concurrent sessions would.
gen() {
	awk -v n="$1" -v first="${2:-0}" -v users="${3:-4}" \
	    -v mode="${4:-}" '
	function hms(t) {
		return sprintf("%02d:%02d:%02d", int(t / 3600) % 24,
		    int(t / 60) % 60, t % 60)
	}
	function line(i, k,   q, u, h) {
		q = sprintf("%010X", 1048576 + i)
		u = "u" (i % users) "@isp.example"
		h = "Nov 25 " hms(32400 + int(i / 10)) " relay1 "
		if (k == 0)
			return h "postfix/submission/smtpd[100]: " q \
			    ": client=unknown[10.0." (i % 250) ".1], " \
			    "sasl_method=PLAIN, sasl_username=" u
		if (k == 1)
			return h "postfix/cleanup[101]: " q \
			    ": message-id=<" q "@isp.example>"
		if (k == 2)
			return h "postfix/qmgr[50]: " q ": from=<" u \
			    ">, size=1000, nrcpt=1 (queue active)"
		if (k == 3)
			return h "postfix/smtp[102]: " q ": to=<r" i \
			    "@example.org>, relay=mx.example.org" \
			    "[192.0.2.20]:25, delay=1, delays=0.1/0/0.5/0.4," \
			    " dsn=2.0.0, status=sent (250 2.0.0 OK)"
		return h "postfix/qmgr[50]: " q ": removed"
	}
	BEGIN {
		if (mode == "interleave") {
			for (k = 0; k < 5; k++)
				for (i = first; i < first + n; i++)
					print line(i, k)
		} else
			for (i = first; i < first + n; i++)
				for (k = 0; k < 5; k++)
					print line(i, k)
	}'
}

# junk N SEED - N pseudo-random bytes (any value), the same every run
junk() {
	awk -v n="$1" -v seed="$2" 'BEGIN {
		srand(seed)
		for (i = 0; i < n; i++)
			printf "%c", int(rand() * 256)
	}'
}

# begin NAME - start a case
begin() {
	name=$1
	case_failed=0
}

# fail WHAT - the current case failed
fail() {
	echo "FAIL: $name: $*"
	case_failed=1
}

# end - count the case and show its stderr when it failed
end() {
	if [ "$case_failed" -eq 0 ]; then
		echo "PASS: $name"
		passed=$((passed + 1))
	else
		[ -f "$name.err" ] && sed 's/^/  stderr: /' "$name.err" |
		    head -n 20
		failed=$((failed + 1))
	fi
}

# skip WHY - the current case cannot run here
skip() {
	echo "SKIP: $name: $*"
	skipped=$((skipped + 1))
}

# run WANT_EXIT ARG... - run zombiescan -v on ARG..., report to
# NAME.json, stderr to NAME.err; check the exit status and that the
# report is valid
run() {
	want=$1
	shift
	# shellcheck disable=SC2086
	${ZS_WRAPPER:-} "$prog" --all -v --year 2026 -o "$name.json" "$@" \
	    2>"$name.err"
	got=$?
	[ "$got" -eq "$want" ] || fail "exit status $got, expected $want"
	if [ "$want" -eq 0 ] || [ "$want" -eq 3 ]; then
		"$zsjson" "$name.json" >/dev/null 2>"$name.jerr" ||
		    fail "invalid report: $(cat "$name.jerr")"
	fi
}

# get PATH - a member of the current case's report
get() {
	"$zsjson" "$name.json" "$1" 2>/dev/null
}

# expect PATH VALUE - the member must have that value
expect() {
	v=$(get "$1")
	[ "$v" = "$2" ] || fail "$1 is '$v', expected '$2'"
}

# expect_ge PATH VALUE - the member must be at least VALUE
expect_ge() {
	v=$(get "$1")
	[ -n "$v" ] && [ "$v" -ge "$2" ] 2>/dev/null ||
	    fail "$1 is '$v', expected at least $2"
}

# expect_err REGEX - standard error must hold a matching line
expect_err() {
	grep -q -- "$1" "$name.err" || fail "no '$1' on stderr"
}

# expect_good N USERS - N good messages all used: every line parsed,
# N messages complete, USERS accounts with N messages between them
expect_good() {
	expect input/lines/parsed $(($1 * 5))
	expect correlation/messages_complete "$1"
	expect attribution/messages_attributed "$1"
	expect summary/accounts "$2"
}

begin baseline
gen 40 >good.log
run 0 good.log
expect_good 40 4
expect input/lines/malformed 0
end

begin truncated-gzip
gen 400 100 >t.log
gzip -n -c t.log >t.gz
size=$(wc -c <t.gz)
head -c $((size / 2)) t.gz >truncated.gz
run 3 good.log truncated.gz
expect input/damaged_files/# 1
expect input/damaged_files/0/file truncated.gz
expect_err "truncated.gz: offset [0-9]"
expect_ge input/lines/parsed 205
expect_ge correlation/messages_complete 41
[ "$(get input/lines/read)" -lt 2200 ] || fail "read the cut part?"
expect input/files_detail/0/status ok
expect input/files_detail/0/lines/parsed 200
end

begin fifo
# A named pipe (as <(...) and /dev/stdin are) can be read once: every
# line reaches the run, gzip included, and nothing waits for a second
# writer.
gzip -n -c good.log >good.gz
rm -f pipe
if mkfifo pipe 2>/dev/null; then
	cat good.gz >pipe &
	run 0 pipe
	wait
	expect_good 40 4
	expect input/lines/malformed 0
	end
else
	skip "mkfifo failed"
fi

begin output-over-input
# -o naming a file the run reads (an input, through a link too, or on
# standard input, or the state not made yet) is refused before
# anything is written: the log is kept.
cp good.log over.log
ln -sf over.log over-link.log
before=$(cksum <over.log)
for target in over.log over-link.log; do
	"$prog" --all -q --year 2026 -o "$target" over.log 2>"$name.err"
	got=$?
	[ "$got" -eq 2 ] || fail "-o $target: exit status $got, expected 2"
	expect_err "is also read by this run"
done
"$prog" --all -q --year 2026 -o over.log - <over.log 2>"$name.err"
got=$?
[ "$got" -eq 2 ] || fail "-o the file on standard input: exit $got, not 2"
expect_err "is also read by this run"
[ "$(cksum <over.log)" = "$before" ] || fail "the input was replaced"
rm -f over.state
"$prog" --all -q --year 2026 --state over.state -o ./over.state over.log \
    2>"$name.err"
[ $? -eq 2 ] || fail "-o naming the --state file accepted"
end

begin closed-standard-output
# Started with standard output closed, a report for standard output
# could go nowhere: the run stops before reading (exit 1), and writes
# nothing into the --state lock file, the first file opened, nor the
# state.  With -o the run goes on, and its descriptors are not 1.
rm -f closed.state closed.state.lock
"$prog" --all -q --year 2026 --state closed.state good.log >&- 2>"$name.err"
rc=$?
[ "$rc" -eq 1 ] || fail "report to a closed standard output: exit $rc"
grep -q 'standard output is closed' "$name.err" ||
    fail "closed standard output: message: $(cat "$name.err")"
[ -s closed.state.lock ] && fail "the report went into the lock file"
[ -e closed.state ] && fail "a state was saved for a run that stopped"
"$prog" --all -q --year 2026 --state closed.state -o closed.json good.log \
    >&- 2>"$name.err"
rc=$?
[ "$rc" -eq 0 ] || fail "-o with standard output closed: exit $rc"
[ -s closed.state.lock ] && fail "the report went into the lock file"
[ -s closed.state ] || fail "the state was not saved"
"$zsjson" closed.json >/dev/null 2>&1 || fail "-o report not valid JSON"
"$prog" --all -q --year 2026 -o /dev/stdout good.log >&- 2>/dev/null
rc=$?
[ "$rc" -eq 1 ] || fail "-o /dev/stdout, closed: exit $rc"
"$prog" --version >&- 2>/dev/null
rc=$?
[ "$rc" -eq 1 ] || fail "--version to a closed standard output: exit $rc"
if [ -w /dev/full ]; then
	"$prog" --help >/dev/full 2>/dev/null
	rc=$?
	[ "$rc" -eq 1 ] || fail "--help to a full device: exit $rc"
fi
end

begin file-size-limit
# A file size limit (RLIMIT_FSIZE, as a service manager sets) ends the
# run with SIGXFSZ while the report is written: no temporary is left.
rm -f big.json big.json.tmp.*
(ulimit -f 8 && exec "$prog" --all -q --year 2026 -o big.json good.log) \
    2>/dev/null
got=$?
[ "$got" -gt 128 ] || fail "exit status $got: the limit was not reached"
[ -z "$(ls big.json.tmp.* 2>/dev/null)" ] ||
    fail "a temporary was left: $(ls big.json.tmp.*)"
end

begin refused-compression
# bzip2 and lz4 files (magic bytes then anything: refused by their
# first bytes) in a set with a plain file
mkdir -p rlogs
gen 40 >rlogs/mail.log
{ printf 'BZh91AY&SY'; gen 10; } >rlogs/mail.log.2.bz2
{ printf '\004\042\115\030'; gen 10; } >rlogs/mail.log.1.lz4
run 3 rlogs
expect input/damaged_files/# 2
expect input/damaged_files/0/file rlogs/mail.log.2.bz2
expect input/damaged_files/1/file rlogs/mail.log.1.lz4
expect_err "mail.log.2.bz2: offset 0: bzip2-compressed, which this build"
expect_err "bzip2 -dc FILE | zombiescan -"
expect_err "mail.log.1.lz4: offset 0: lz4-compressed"
expect_good 40 4
expect input/lines/malformed 0
end

begin zstd-and-xz
# a set rotated by logrotate with compresscmd zstd, then xz
if ! "$prog" --version | grep -q 'zstd, xz'; then
	skip "built without libzstd or liblzma"
elif ! command -v zstd >/dev/null 2>&1 ||
    ! command -v xz >/dev/null 2>&1; then
	skip "no zstd or xz command"
else
	mkdir -p zlogs
	gen 10 0 | xz >zlogs/mail.log.2.xz
	gen 10 10 | zstd -q >zlogs/mail.log.1.zst
	gen 20 20 >zlogs/mail.log
	run 0 zlogs
	expect_good 40 4
	expect input/lines/malformed 0
	expect input/files_detail/0/file zlogs/mail.log.2.xz
	expect input/files_detail/1/file zlogs/mail.log.1.zst
	# truncated: named with its offset, the lines before it used
	gen 400 100 | xz >t.xz
	size=$(wc -c <t.xz)
	head -c $((size / 2)) t.xz >truncated.xz
	run 3 good.log truncated.xz
	expect input/damaged_files/0/file truncated.xz
	expect_err "truncated.xz: offset $((size / 2)): truncated xz stream"
	expect_ge input/lines/parsed 205
	expect input/files_detail/0/status ok
	end
fi

begin corrupt-gzip
gen 2000 1000 >c.log
gzip -n -c c.log >c.gz
size=$(wc -c <c.gz)
{
	head -c $((size / 2)) c.gz
	junk 64 3
	tail -c $((size - size / 2 - 64)) c.gz
} >corrupt.gz
run 3 good.log corrupt.gz
expect input/damaged_files/# 1
expect_err "corrupt.gz: offset [0-9]"
expect input/files_detail/0/lines/parsed 200
expect input/files_detail/1/status damaged
expect_ge input/lines/parsed 1000
end

begin gzip-header-then-garbage
{ printf '\037\213\010\000'; junk 2000 4; } >garbage.gz
run 3 good.log garbage.gz
expect input/damaged_files/# 1
expect_err "garbage.gz: offset [0-9]"
expect_good 40 4
end

begin gzip-of-binary-junk
junk 100000 5 | gzip -n >binjunk.gz
run 0 good.log binjunk.gz
expect_ge input/lines/malformed 100
expect input/damaged_files/# 0
expect_good 40 4
end

begin empty-file
# An empty file is read, and named (a log that was not shipped).
: >empty.log
run 0 empty.log good.log
expect input/files 2
expect input/files_detail/0/lines/read 0
expect_good 40 4
grep -q '^zombiescan: empty.log: empty: no lines$' "$name.err" ||
    fail "no warning: $(cat "$name.err")"
grep -q 'good.log' "$name.err" && fail "good.log named: $(cat "$name.err")"
end

begin empty-only
run 0 empty.log
expect input/lines/read 0
expect summary/accounts 0
grep -q 'empty.log: empty: no lines' "$name.err" ||
    fail "no warning: $(cat "$name.err")"
"$prog" --all -q --year 2026 -o "$name.json" empty.log 2>"$name.err"
[ -s "$name.err" ] && fail "-q: $(cat "$name.err")"
end

begin not-a-mail-log
# Another program's log gives an empty report and exit 0, but says so
# (the file was named by mistake, or --log-format is wrong), unless -q.
printf '2026-11-25 06:00:01 status installed libc6:amd64 2.36\n%.0s' \
    1 2 3 4 5 >dpkg.log
run 0 dpkg.log
expect summary/accounts 0
grep -q 'dpkg.log: 5 lines read, none of them from Postfix, Exim or' \
    "$name.err" || fail "no warning: $(cat "$name.err")"
run 0 --log-format exim good.log
grep -q 'good.log: .* none of them from Exim (another MTA' "$name.err" ||
    fail "no --log-format warning: $(cat "$name.err")"
"$prog" --all -q --year 2026 -o "$name.json" dpkg.log 2>"$name.err"
[ -s "$name.err" ] && fail "-q: $(cat "$name.err")"
# Nor are a file's lines when none has a syslog header (/etc/passwd).
printf 'root:x:0:0:root:/root:/bin/bash\n%.0s' 1 2 3 >passwd.txt
run 0 passwd.txt
grep -q 'passwd.txt: 3 lines read, none of them from Postfix' \
    "$name.err" || fail "no warning for malformed lines: $(cat "$name.err")"
# A Postfix log of nothing but lines ignored on purpose is one.
printf 'Nov 25 06:00:0%s relay1 postfix/anvil[9]: statistics: max %s\n' \
    1 'cache size 1 at Nov 25 05:59:00' >anvil.log
run 0 anvil.log
[ -s "$name.err" ] && grep -q 'none of them from' "$name.err" &&
    fail "a Postfix log taken for another: $(cat "$name.err")"
end

begin directory-without-logs
mkdir nologs
: >nologs/notes.txt
run 2 nologs
[ ! -e "$name.json" ] || fail "a report was written"
expect_err "nologs: no mail logs in this directory"
end

begin directory-of-logs
mkdir -p logs/relay1
cp good.log logs/relay1/mail.log
gen 10 500 2 >logs/mail.log
run 0 logs
expect input/files 2
expect input/lines/parsed 250
end

# locked_relay DIR MODE ERR - two relays' logs under DIR, the second
# relay's directory given MODE: the first relay is read, the second
# named as unreadable (ERR on stderr), exit 3
locked_relay() {
	mkdir -p "$1/relay1" "$1/relay2"
	cp good.log "$1/relay1/mail.log"
	cp good.log "$1/relay2/mail.log"
	chmod "$2" "$1/relay2"
	run 3 "$1"
	expect_err "$3"
	expect input/damaged_files/# 1
	expect input/lines/parsed 200
	chmod 755 "$1/relay2"
}

begin unreadable-subdirectory
if [ "$(id -u)" -eq 0 ]; then
	skip "running as root: permissions do not apply"
else
	locked_relay locked 000 "relay2"
	end
fi

begin unsearchable-subdirectory
if [ "$(id -u)" -eq 0 ]; then
	skip "running as root: permissions do not apply"
else
	# Listed but not searched (chmod -R 644 on a log tree): its log
	# is named as unreadable, not left out in silence.
	locked_relay shut 644 "relay2/mail.log: Permission denied"
	end
fi

begin unreadable-file
if [ "$(id -u)" -eq 0 ]; then
	# Permissions do not stop root; a file whose read fails does.
	if [ -r /proc/self/mem ]; then
		run 3 good.log /proc/self/mem
		expect_err "/proc/self/mem: offset 0:"
		expect input/damaged_files/# 1
		expect_good 40 4
		end
	else
		skip "running as root without /proc/self/mem"
	fi
else
	cp good.log locked.log
	chmod 000 locked.log
	run 3 good.log locked.log
	expect_err "locked.log"
	expect input/damaged_files/# 1
	expect_good 40 4
	end
fi

begin missing-file
run 3 good.log no-such-file.log
expect_err "no-such-file.log"
expect input/damaged_files/# 1
expect_good 40 4
end

begin binary-junk-between-lines
{ gen 20 0; junk 20000 6; echo; gen 20 20; } >junk.log
run 0 junk.log
expect_ge input/lines/malformed 10
expect_err "junk.log: [0-9]* malformed lines skipped, the first at line 101"
expect_good 40 4
end

begin nul-bytes
{ gen 20 0; printf 'Nov 25 09:00:00 relay1 postfix/qmgr[50]: 0A1B2C3D4E: from=<a\000b@x>, size=1, nrcpt=1 (queue active)\n'; gen 20 20; } >nul.log
run 0 nul.log
expect input/malformed_by_reason/nul_byte 1
expect_err "nul.log: 1 malformed line skipped, the first at line 101"
expect_good 40 4
end

begin crlf
gen 40 | sed 's/$/\r/' >crlf.log
run 0 crlf.log
expect_good 40 4
expect accounts/0/account "u0@isp.example"
expect input/lines/malformed 0
end

begin mixed-line-ends
{ gen 20 0 | sed 's/$/\r/'; gen 20 20; } >mixed.log
run 0 mixed.log
expect_good 40 4
end

begin line-of-10-MB
{
	gen 20 0
	printf 'Nov 25 09:00:00 relay1 postfix/qmgr[50]: 0A1B2C3D4E: from=<'
	head -c 10485760 /dev/zero | tr '\0' 'a'
	printf '@x>, size=1, nrcpt=1 (queue active)\n'
	gen 20 20
} >long.log
run 0 long.log
expect input/malformed_by_reason/too_long 1
expect_good 40 4
end

begin line-of-10-MB-gzip
gzip -n -c long.log >long.gz
run 0 long.gz
expect input/malformed_by_reason/too_long 1
expect_good 40 4
end

begin no-final-newline
gen 40 | head -c -1 >nonl.log
run 0 nonl.log
expect_good 40 4
end

begin invalid-utf8
{
	gen 20 0
	printf 'Nov 25 10:00:00 relay1 postfix/submission/smtpd[100]: 0F0F0F0F0F: client=unknown[10.9.9.9], sasl_method=PLAIN, sasl_username=j\351r\364me@isp.example\n'
	printf 'Nov 25 10:00:00 relay1 postfix/qmgr[50]: 0F0F0F0F0F: from=<\377\376@isp.example>, size=10, nrcpt=1 (queue active)\n'
	printf 'Nov 25 10:00:01 relay1 postfix/smtp[102]: 0F0F0F0F0F: to=<x\300\200@example.org>, relay=mx.example.org[192.0.2.20]:25, delay=1, delays=0.1/0/0.5/0.4, dsn=5.7.1, status=bounced (host mx said: 554 5.7.1 \355\240\200 spam (in reply to end of DATA command))\n'
	printf 'Nov 25 10:00:01 relay1 postfix/qmgr[50]: 0F0F0F0F0F: removed\n'
} >utf8.log
run 0 utf8.log
expect input/lines/parsed 104
expect_ge input/lines/invalid_utf8 3
expect correlation/messages_complete 21
expect summary/accounts 5
repl=$(printf '\357\277\275')
"$zsjson" "$name.json" accounts/4/account accounts/3/account \
    accounts/2/account accounts/1/account accounts/0/account |
    grep -q "^j${repl}r${repl}me@isp.example\$" ||
    fail "invalid bytes not replaced by U+FFFD in the account"
end

begin control-characters
{
	gen 20 0
	printf 'Nov 25 10:00:00 relay1 postfix/submission/smtpd[100]: 0E0E0E0E0E: client=unknown[10.9.9.8], sasl_method=PLAIN, sasl_username=evil\033[31m\001\177\302\205\342\200\256@isp.example\n'
	printf 'Nov 25 10:00:00 relay1 postfix/qmgr[50]: 0E0E0E0E0E: from=<\033]0;title\007@isp.example>, size=10, nrcpt=1 (queue active)\n'
	printf 'Nov 25 10:00:01 relay1 postfix/smtp[102]: 0E0E0E0E0E: to=<a\010b@example.org>, relay=mx.example.org[192.0.2.20]:25, delay=1, delays=0.1/0/0.5/0.4, dsn=2.0.0, status=sent (250 \033[2J ok)\n'
	printf 'Nov 25 10:00:01 relay1 postfix/qmgr[50]: 0E0E0E0E0E: removed\n'
} >ctl.log
run 0 ctl.log
expect input/lines/parsed 104
expect correlation/messages_complete 21
expect summary/accounts 5
# JSON escapes every control character: no raw ones in the file (and
# the table, html and jsonl formats promise none either; csv keeps the
# text as logged, RFC 4180 quoting only)
if LC_ALL=C grep -q "$(printf '[\001-\011\013-\037]')" "$name.json"; then
	fail "raw control characters in the report"
fi
for f in table html jsonl; do
	"$prog" --all --year 2026 -f "$f" -o "$name.$f" ctl.log 2>/dev/null ||
	    fail "format $f: exit status $?"
	if LC_ALL=C grep -q "$(printf '\033')" "$name.$f"; then
		fail "format $f: raw escape character"
	fi
done
end

begin control-characters-in-names
# A file name is quoted in messages with its control bytes as '?': a
# newline cannot split the line (cron mail, syslog), an escape
# sequence cannot drive the terminal.
bad=$(printf 'ctl\033]0;title\007\nname.log')
cp good.log "$bad"
printf 'junk line\n' >>"$bad"
run 3 "$bad" "missing-$bad"
[ "$(wc -l <"$name.err")" -eq "$(grep -c '^zombiescan: ' "$name.err")" ] ||
    fail "a message split across lines"
if LC_ALL=C grep -q "$(printf '[\001-\011\013-\037\177]')" "$name.err"
then
	fail "raw control characters on stderr"
fi
expect_err "ctl?]0;title??name.log: 1 malformed line"
expect_err "missing-ctl?]0;title??name.log: No such file"
rm -f "$bad"
end

begin long-addresses
long=$(head -c 60000 /dev/zero | tr '\0' 'a')
{
	gen 20 0
	printf 'Nov 25 10:00:00 relay1 postfix/submission/smtpd[100]: 0D0D0D0D0D: client=unknown[10.9.9.7], sasl_method=PLAIN, sasl_username=%s@isp.example\n' "$long"
	printf 'Nov 25 10:00:00 relay1 postfix/qmgr[50]: 0D0D0D0D0D: from=<%s@isp.example>, size=10, nrcpt=1 (queue active)\n' "$long"
	printf 'Nov 25 10:00:01 relay1 postfix/smtp[102]: 0D0D0D0D0D: to=<%s@example.org>, relay=mx.example.org[192.0.2.20]:25, delay=1, delays=0.1/0/0.5/0.4, dsn=2.0.0, status=sent (250 ok)\n' "$long"
	printf 'Nov 25 10:00:01 relay1 postfix/qmgr[50]: 0D0D0D0D0D: removed\n'
} >longaddr.log
run 0 longaddr.log
expect input/lines/parsed 104
expect correlation/messages_complete 21
expect summary/accounts 5
end

begin absurd-numbers
{
	gen 20 0
	printf 'Nov 25 10:00:00 relay1 postfix/submission/smtpd[100]: 0C0C0C0C0C: client=unknown[10.9.9.6], sasl_method=PLAIN, sasl_username=big@isp.example\n'
	printf 'Nov 25 10:00:00 relay1 postfix/qmgr[50]: 0C0C0C0C0C: from=<big@isp.example>, size=18446744073709551616, nrcpt=99999999999999999999999 (queue active)\n'
	printf 'Nov 25 10:00:01 relay1 postfix/smtp[102]: 0C0C0C0C0C: to=<a@example.org>, relay=mx.example.org[192.0.2.20]:25, delay=1, delays=0.1/0/0.5/0.4, dsn=2.0.0, status=sent (250 ok)\n'
	printf 'Nov 25 10:00:01 relay1 postfix/qmgr[50]: 0C0C0C0C0C: removed\n'
	printf 'Nov 25 10:00:02 relay1 postfix/pickup[60]: 0B0B0B0B0B: uid=1000 from=<cron@isp.example>\n'
	printf 'Nov 25 10:00:02 relay1 postfix/qmgr[50]: 0B0B0B0B0B: from=<cron@isp.example>, size=4000000000000, nrcpt=4000000000 (queue active)\n'
	printf 'Nov 25 10:00:03 relay1 postfix/smtp[102]: 0B0B0B0B0B: to=<b@example.org>, relay=mx.example.org[192.0.2.20]:25, delay=1, delays=0.1/0/0.5/0.4, dsn=2.0.0, status=sent (250 ok)\n'
	printf 'Nov 25 10:00:03 relay1 postfix/qmgr[50]: 0B0B0B0B0B: removed\n'
} >numbers.log
run 0 numbers.log
expect input/lines/parsed 108
expect input/lines/malformed 0
expect correlation/messages_complete 22
expect summary/accounts 6
end

begin time-going-backwards
{
	gen 10 0 | sed 's/^Nov 25 09:/Nov 25 11:/'
	gen 10 10 | sed 's/^Nov 25 09:/Nov 25 08:/'
	gen 20 20
} >backwards.log
run 0 backwards.log
expect_good 40 4
expect window/first_seen 2026-11-25T08:00:01Z
expect window/last_seen 2026-11-25T11:00:00Z
end

begin year-rollover
{
	gen 20 0 | sed 's/^Nov 25 09:00:0/Dec 31 23:59:5/'
	gen 20 20 | sed 's/^Nov 25 09:00:0/Jan  1 00:00:0/'
} >newyear.log
run 0 newyear.log
expect_good 40 4
expect window/first_seen 2026-12-31T23:59:50Z
expect window/last_seen 2027-01-01T00:00:03Z
end

begin reused-queue-ids
# The same queue IDs again an hour later (a restarted queue), and one
# message's lines logged twice.
{
	gen 20 0
	gen 20 0 | sed 's/^Nov 25 09:/Nov 25 10:/'
	gen 1 100
	gen 1 100
} >reused.log
run 0 reused.log
expect input/lines/parsed 210
expect_ge correlation/messages_complete 41
expect summary/accounts 4
end

begin orphan-lines
# Deliveries and removals whose message began before the log did.
{
	gen 20 0 | grep -v -e 'smtpd\[' -e 'cleanup\[' -e 'from=<'
	gen 40 100
} >orphans.log
run 0 orphans.log
expect input/lines/parsed 240
expect correlation/messages_complete 60
expect attribution/messages_attributed 40
expect attribution/messages_unattributed 20
expect summary/accounts 4
end

begin message-never-ends
{ gen 20 0; gen 1 200 | grep -v removed; gen 20 20; } >noend.log
run 0 noend.log
expect input/lines/parsed 204
expect correlation/messages_complete 40
expect correlation/messages_incomplete 1
expect attribution/messages_attributed 41
end

begin interleaved-sessions
gen 5000 0 50 interleave >interleaved.log
run 0 interleaved.log
expect_good 5000 50
expect correlation/open_peak 5000
end

if [ -n "${ZS_WRAPPER:-}" ]; then
	begin open-message-cap
	skip "ZS_WRAPPER set"
	begin account-cap
	skip "ZS_WRAPPER set"
else
	# peak_kib - the peak memory --verbose printed, or nothing
	peak_kib() {
		sed -n 's/^zombiescan: peak memory: \([0-9]*\) KiB$/\1/p' \
		    "$name.err"
	}

	# Two million messages that never end, with distinct queue IDs,
	# on standard input.  Held open they would take hundreds of MB;
	# --max-open 20000 keeps about 20000 (a few KB each at most).
	begin open-message-cap
	rm -f feed
	mkfifo feed || fail "mkfifo"
	awk 'BEGIN {
		for (i = 0; i < 2000000; i++)
			printf "Nov 25 %02d:%02d:%02d relay1 postfix/qmgr[50]: " \
			    "%010X: from=<s%d@isp.example>, size=%d, nrcpt=1 " \
			    "(queue active)\n", 9 + int(i / 360000),
			    int(i / 6000) % 60, int(i / 100) % 60,
			    1048576 + i, i, 1000 + i % 5000
	}' >feed &
	run 0 --max-open 20000 - <feed
	wait
	expect input/lines/parsed 2000000
	expect_ge correlation/messages_evicted 1980000
	expect_ge correlation/messages_incomplete 1
	[ "$(($(get correlation/messages_evicted) + \
	    $(get correlation/messages_incomplete)))" -eq 2000000 ] ||
	    fail "messages lost"
	kib=$(peak_kib)
	if [ -n "$kib" ]; then
		# 20000 open messages, the reader, the report: well under
		# 160 MB even with the sanitizers' overhead.
		[ "$kib" -lt 163840 ] ||
		    fail "peak memory $kib KiB over the bound for the cap"
	fi
	end

	# A million failed logins, each with a username of its own (a
	# dictionary attack): --max-accounts 1000 keeps memory flat and
	# counts the rest.
	begin account-cap
	rm -f feed
	mkfifo feed || fail "mkfifo"
	awk 'BEGIN {
		for (i = 0; i < 1000000; i++)
			printf "Nov 25 %02d:%02d:%02d relay1 postfix/smtpd[7]: " \
			    "warning: unknown[10.%d.%d.%d]: SASL LOGIN " \
			    "authentication failed: UGFzc3dvcmQ6, " \
			    "sasl_username=user%d\n", 9 + int(i / 360000),
			    int(i / 6000) % 60, int(i / 100) % 60,
			    int(i / 65536) % 256, int(i / 256) % 256, i % 256, i
	}' >feed &
	run 0 --max-accounts 1000 - <feed
	wait
	expect input/lines/parsed 1000000
	expect summary/accounts 1000
	expect attribution/auth_failures_attributed 1000
	expect attribution/records_dropped 999000
	dropped=$(get attribution/accounts_dropped)
	[ -n "$dropped" ] && [ "$dropped" -ge 979000 ] &&
	    [ "$dropped" -le 1019000 ] ||
	    fail "accounts_dropped $dropped, expected about 999000"
	expect_err "account cap: 999000 records"
	kib=$(peak_kib)
	if [ -n "$kib" ]; then
		[ "$kib" -lt 163840 ] ||
		    fail "peak memory $kib KiB over the bound for the cap"
	fi
	end
fi

echo "badinput: $passed passed, $failed failed, $skipped skipped"
[ "$passed" -gt 0 ] || exit 99
[ "$failed" -eq 0 ]
