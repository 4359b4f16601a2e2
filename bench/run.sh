#!/usr/bin/env bash
# run.sh - zombiescan's speed and memory benchmark against its peers
# (pflogsumm, eximstats) and the decompression floor (inflate_ref).
#
#   bench/run.sh [-n | --print-only] [-h | --help]
#
# Environment (see bench/README.md):
#   BUILD=DIR         configured build directory (default: ./build at
#                     the top of the source tree)
#   BENCH_DIR=DIR     generated inputs and peers (/tmp/zombiescan-bench)
#   BENCH_SIZE=N[KMG] size of each input (1G)
#   BENCH_RUNS=N      runs of every command; the median is kept (3)
#   BENCH_REGEN=1     generate the inputs again even when cached
#
# Writes bench/RESULTS.md unless -n is given; the table is always
# printed on standard output.
set -u
set -o pipefail

PROG=run.sh
print_only=no
for arg in "$@"; do
	case $arg in
	-n|--print-only) print_only=yes ;;
	-h|--help)
		sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'
		exit 0 ;;
	*)	echo "$PROG: unknown argument: $arg" >&2
		exit 2 ;;
	esac
done

REPO=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-$REPO/build}
BENCH_DIR=${BENCH_DIR:-/tmp/zombiescan-bench}
BENCH_SIZE=${BENCH_SIZE:-1G}
BENCH_RUNS=${BENCH_RUNS:-3}
BENCH_REGEN=${BENCH_REGEN:-0}
CC=${CC:-cc}
TIME=/usr/bin/time
# Postfix logs carry no year; the simulator starts on this day, far
# enough from New Year that the doubled input of BENCH_SIZE up to a few
# GB (about 45 MB a day) does not cross it.
START=2026-01-05

die() {
	echo "$PROG: $*" >&2
	exit 1
}

note() {
	echo "$PROG: $*" >&2
}

# calc EXPR - floating point arithmetic
calc() {
	awk "BEGIN { printf \"%.2f\", $1 }"
}

is_root() {
	[ "$(id -u)" -eq 0 ]
}

apt_install() {
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    --no-install-recommends "$@" </dev/null >/dev/null
}

# to_bytes N[KMG] - binary units, as zssim --target-bytes reads them
to_bytes() {
	local n=$1 mul=1
	case $n in
	*[kK]) mul=1024; n=${n%?} ;;
	*[mM]) mul=$((1024 * 1024)); n=${n%?} ;;
	*[gG]) mul=$((1024 * 1024 * 1024)); n=${n%?} ;;
	esac
	case $n in
	''|*[!0-9]*) die "BENCH_SIZE: not a size: $1" ;;
	esac
	echo $((n * mul))
}

case $BENCH_RUNS in
''|*[!0-9]*|0) die "BENCH_RUNS: not a positive number: $BENCH_RUNS" ;;
esac
SIZE_BYTES=$(to_bytes "$BENCH_SIZE")
[ "$SIZE_BYTES" -ge $((1024 * 1024)) ] || die "BENCH_SIZE: at least 1M"

# ---------------------------------------------------------------------
# Tools: GNU time, the build, inflate_ref
# ---------------------------------------------------------------------

if [ ! -x "$TIME" ]; then
	is_root || die "$TIME is missing: install the Debian package 'time'"
	note "installing the Debian package 'time'"
	apt_install time || die "cannot install 'time'"
fi

case $BUILD in
/*) ;;
*) BUILD=$(cd "$BUILD" 2>/dev/null && pwd) || die "no build directory" ;;
esac
[ -f "$BUILD/Makefile" ] ||
    die "$BUILD is not a configured build directory (set BUILD=DIR)"
# tree_rev - the source tree's commit, and whether it has changes
tree_rev() {
	local rev
	rev=$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo '?')
	git -C "$REPO" diff --quiet HEAD 2>/dev/null || rev="$rev + changes"
	echo "$rev"
}

mkdir -p "$BENCH_DIR" || die "cannot create $BENCH_DIR"
note "building zombiescan and zssim in $BUILD"
ZS=$BUILD/zombiescan
ZSSIM=$BUILD/tools/zssim
build_state="up to date"
if make -s -C "$BUILD" zombiescan tools/zssim >"$BENCH_DIR/make.log" 2>&1
then
	rm -f "$BENCH_DIR/make.log"
	# Keep the last good binaries: a failed link removes them.
	if ! mkdir -p "$BENCH_DIR/bin" ||
	    ! cp -p "$ZS" "$ZSSIM" "$BENCH_DIR/bin/"; then
		die "cannot copy the binaries to $BENCH_DIR/bin"
	fi
	echo "$(tree_rev), built $(date -u '+%Y-%m-%d %H:%M UTC')" \
	    >"$BENCH_DIR/bin/tree"
else
	# Keep going with the binaries of the last good build, and say so
	# in the results: a half-edited tree should not stop a benchmark.
	[ -x "$ZS" ] || ZS=$BENCH_DIR/bin/zombiescan
	[ -x "$ZSSIM" ] || ZSSIM=$BENCH_DIR/bin/zssim
	if [ ! -x "$ZS" ] || [ ! -x "$ZSSIM" ]; then
		die "make failed in $BUILD (see $BENCH_DIR/make.log)"
	fi
	build_state="make FAILED; measured the binaries of an earlier build"
	[ -f "$BENCH_DIR/bin/tree" ] &&
	    build_state="$build_state ($(cat "$BENCH_DIR/bin/tree"))"
	note "make failed (see $BENCH_DIR/make.log): $build_state"
fi

# inflate_ref: with ISA-L when its header and library are there.
mkdir -p "$BUILD/bench"
INFLATE_REF=$BUILD/bench/inflate_ref
src=$REPO/bench/inflate_ref.c
if [ ! -x "$INFLATE_REF" ] || [ "$src" -nt "$INFLATE_REF" ]; then
	if $CC -O2 -DWITH_ISAL -o "$INFLATE_REF" "$src" -lisal -lz \
	    2>/dev/null; then
		note "built inflate_ref with zlib and ISA-L"
	else
		$CC -O2 -o "$INFLATE_REF" "$src" -lz ||
		    die "cannot build inflate_ref (zlib1g-dev missing?)"
		note "built inflate_ref with zlib only (no libisal-dev)"
	fi
fi
have_isal=no
"$INFLATE_REF" -L | grep -q '^isal' && have_isal=yes
# Which inflater zombiescan itself uses decides its floor.
zs_inflater=zlib
if ldd "$ZS" 2>/dev/null | grep -q 'libisal'; then
	zs_inflater=isal
fi
# With ISA-L, a second zombiescan configured --without-isal from the
# same tree and with the same CFLAGS shows what ISA-L brings to the
# gzip path itself, on the same file.  The build directory is kept
# between runs; it is configured again when it was configured from
# another source tree or with other CFLAGS (.bench-config records
# which).
ZS_ZLIB=""
if [ "$zs_inflater" = isal ]; then
	zb=$BENCH_DIR/build-zlib
	zcflags=$(sed -n 's/^CFLAGS = //p' "$BUILD/Makefile")
	zconf="$REPO/configure --without-isal CFLAGS=$zcflags"
	if [ ! -f "$zb/Makefile" ] ||
	    [ "$(cat "$zb/.bench-config" 2>/dev/null)" != "$zconf" ]; then
		rm -rf "$zb"
	fi
	if mkdir -p "$zb" && { [ -f "$zb/Makefile" ] ||
	    { (cd "$zb" && "$REPO/configure" -q --without-isal \
	    CFLAGS="$zcflags") &&
	    printf '%s\n' "$zconf" >"$zb/.bench-config"; }; } \
	    >"$BENCH_DIR/make-zlib.log" 2>&1 &&
	    make -s -C "$zb" zombiescan >>"$BENCH_DIR/make-zlib.log" 2>&1
	then
		ZS_ZLIB=$zb/zombiescan
		note "built a zlib-only zombiescan in $zb"
	else
		note "cannot build a zlib-only zombiescan" \
		    "(see $BENCH_DIR/make-zlib.log)"
	fi
fi

have_jobs=no
"$ZS" --help 2>&1 | grep -q -- '-j' && have_jobs=yes
ZS_ARGS=(-v)
[ "$have_jobs" = yes ] && ZS_ARGS+=(-j 1)
"$ZS" --help 2>&1 | grep -q -- '--year' && ZS_ARGS+=(--year 2026)
ZS_LABEL=zombiescan
[ "$have_jobs" = yes ] && ZS_LABEL="zombiescan -j 1"

# ---------------------------------------------------------------------
# Peers: pflogsumm and eximstats from Debian packages
# ---------------------------------------------------------------------

PFLOGSUMM=$(command -v pflogsumm || true)
[ -z "$PFLOGSUMM" ] && [ -x /usr/sbin/pflogsumm ] &&
    PFLOGSUMM=/usr/sbin/pflogsumm
if [ -z "$PFLOGSUMM" ] && is_root; then
	note "installing pflogsumm"
	apt_install pflogsumm && PFLOGSUMM=/usr/sbin/pflogsumm
fi
[ -n "$PFLOGSUMM" ] && [ ! -x "$PFLOGSUMM" ] && PFLOGSUMM=""
[ -z "$PFLOGSUMM" ] && note "pflogsumm unavailable: its lines are n/a"

# eximstats is a Perl script in exim4-base; installing that package
# pulls in exim4-config and starts an MTA, so unpack it instead.
EXIMSTATS=$(command -v eximstats || true)
[ -z "$EXIMSTATS" ] && [ -x /usr/sbin/eximstats ] &&
    EXIMSTATS=/usr/sbin/eximstats
peers=$BENCH_DIR/peers
if [ -z "$EXIMSTATS" ] && [ -x "$peers/exim4-base/usr/sbin/eximstats" ]; then
	EXIMSTATS=$peers/exim4-base/usr/sbin/eximstats
fi
if [ -z "$EXIMSTATS" ] && command -v apt-get >/dev/null; then
	note "unpacking eximstats from the exim4-base package"
	rm -rf "$peers/dl" "$peers/exim4-base"
	mkdir -p "$peers/dl"
	if (cd "$peers/dl" && apt-get download -qq exim4-base \
	    >/dev/null 2>&1) &&
	    dpkg-deb -x "$peers"/dl/exim4-base_*.deb "$peers/exim4-base"; then
		EXIMSTATS=$peers/exim4-base/usr/sbin/eximstats
	fi
	rm -rf "$peers/dl"
fi
[ -n "$EXIMSTATS" ] && [ ! -f "$EXIMSTATS" ] && EXIMSTATS=""
command -v perl >/dev/null || EXIMSTATS=""
[ -z "$EXIMSTATS" ] && note "eximstats unavailable: its lines are n/a"

# ---------------------------------------------------------------------
# Inputs, cached in $BENCH_DIR/inputs-$BENCH_SIZE
# ---------------------------------------------------------------------

DATA=$BENCH_DIR/inputs-$BENCH_SIZE
# An ISP's day: many subscribers sending a few messages each (the
# simulator writes about 25 KB a subscriber a day at --volume 0.05).
ACC_SUBSCRIBERS=$((SIZE_BYTES / 25000))
[ "$ACC_SUBSCRIBERS" -ge 100 ] || ACC_SUBSCRIBERS=100
PARAMS="v3 size=$SIZE_BYTES start=$START postfix:seed=1,relays=1
 relays3:seed=2,relays=3 exim:seed=3,relays=2 gzip=-6
 accounts:seed=4,subscribers=$ACC_SUBSCRIBERS,volume=0.05,days=1"

# relay_files DIR - a relay's daily files, oldest first
relay_files() {
	local f
	# mail.log-YYYYMMDD: the glob sorts them by date; the undated
	# current file, when there is one, is the newest.
	for f in "$1"/mail.log-[0-9]* "$1"/mainlog-[0-9]* "$1"/mail.log \
	    "$1"/mainlog; do
		[ -f "$f" ] && echo "$f"
	done
	return 0
}

# concat_relay DIR OUT - a relay's daily files as one file
concat_relay() {
	local files
	files=$(relay_files "$1")
	[ -n "$files" ] || die "no log files in $1"
	# shellcheck disable=SC2086
	if ! cat $files >"$OUT_TMP" || ! mv "$OUT_TMP" "$2"; then
		die "cannot write $2"
	fi
}

# twice_the_days LOG DAYS OUT - LOG, then LOG again with every syslog
# date DAYS days later: the same accounts and messages, twice the
# lines and twice the days.  (Simulating twice the days instead would
# also bring new accounts: other clients, other dynamic addresses.)
twice_the_days() {
	local i map=""
	# "Jan  5=Jan 30|Jan  6=Jan 31|...": each day's syslog date and
	# the date DAYS later
	for i in $(seq 0 $(($2 - 1))); do
		map="$map$(LC_ALL=C date -u -d "$START + $i days" +'%b %e')="
		map="$map$(LC_ALL=C date -u -d "$START + $(($2 + i)) days" \
		    +'%b %e')|"
	done
	{
		cat "$1" &&
		    awk -v map="$map" '
			BEGIN {
				n = split(map, pairs, "|")
				for (i = 1; i <= n; i++)
					if (split(pairs[i], kv, "=") == 2)
						shift[kv[1]] = kv[2]
			}
			{
				d = substr($0, 1, 6)
				if (d in shift)
					print shift[d] substr($0, 7)
				else
					print
			}' "$1"
	} >"$OUT_TMP" && mv "$OUT_TMP" "$3" || die "cannot write $3"
}

# days_of DIR - how many daily files the simulator wrote for a relay
days_of() {
	relay_files "$1" | wc -l
}

generate() {
	local sim d f days relay r
	rm -rf "$DATA"
	mkdir -p "$DATA" || die "cannot create $DATA"
	sim=$DATA/sim
	OUT_TMP=$DATA/.tmp

	note "generating ~$BENCH_SIZE of Postfix logs"
	"$ZSSIM" --outdir "$sim" --seed 1 --relays 1 --start "$START" \
	    --target-bytes "$SIZE_BYTES" >/dev/null || die "zssim failed"
	d=$(echo "$sim"/*/)
	d=${d%/}
	days=$(days_of "$d")
	concat_relay "$d" "$DATA/postfix.log"
	echo "$days" >"$DATA/postfix.days"
	# The same rotated files, each compressed on its own and then
	# concatenated: a multi-member gzip file, as logrotate leaves them.
	note "compressing (gzip -6)"
	for f in $(relay_files "$d"); do
		gzip -6 -c "$f"
	done >"$DATA/postfix-multi.log.gz" || die "gzip failed"
	gzip -6 -c "$DATA/postfix.log" >"$DATA/postfix.log.gz" ||
	    die "gzip failed"
	rm -rf "$sim"

	note "the same accounts over $((2 * days)) days"
	twice_the_days "$DATA/postfix.log" "$days" "$DATA/postfix-2x.log"

	note "generating ~$BENCH_SIZE of Postfix logs from three relays"
	"$ZSSIM" --outdir "$sim" --seed 2 --relays 3 --start "$START" \
	    --target-bytes "$SIZE_BYTES" >/dev/null || die "zssim failed"
	r=1
	for d in "$sim"/*/; do
		concat_relay "${d%/}" "$DATA/relay$r.log"
		r=$((r + 1))
	done
	rm -rf "$sim"

	note "generating one day of Postfix logs from" \
	    "$ACC_SUBSCRIBERS subscribers"
	"$ZSSIM" --outdir "$sim" --seed 4 --relays 1 --start "$START" \
	    --days 1 --subscribers "$ACC_SUBSCRIBERS" --volume 0.05 \
	    >/dev/null || die "zssim failed"
	d=$(echo "$sim"/*/)
	concat_relay "${d%/}" "$DATA/accounts.log"
	rm -rf "$sim"

	# Exim 4.97 widened message IDs; eximstats from Debian 12 (4.96)
	# does not recognise the new ones.  The simulator gives every
	# other relay the old IDs: keep one of those, so that eximstats
	# does its whole job on the same file zombiescan reads.
	note "generating ~$BENCH_SIZE of Exim logs"
	"$ZSSIM" --outdir "$sim" --seed 3 --relays 2 --start "$START" \
	    --format exim --target-bytes $((2 * SIZE_BYTES)) >/dev/null ||
	    die "zssim failed"
	relay=""
	for d in "$sim"/*/; do
		# "date time [pid] 1xW0VX-000Dux-RR <= sender ..."
		if grep -q -m 1 -E '^[0-9-]+ [0-9:]+ (\[[0-9]+\] )?[0-9A-Za-z]{6}-[0-9A-Za-z]{6}-[0-9A-Za-z]{2} <= ' \
		    "$(relay_files "${d%/}" | head -n 1)"; then
			relay=${d%/}
			break
		fi
	done
	if [ -z "$relay" ]; then
		note "no Exim relay with pre-4.97 message IDs; eximstats" \
		    "will not recognise the messages"
		relay=$(echo "$sim"/*/ | cut -d' ' -f1)
		relay=${relay%/}
		touch "$DATA/exim-new-ids"
	fi
	concat_relay "$relay" "$DATA/exim.log"
	rm -rf "$sim"
	rm -f "$OUT_TMP"
	echo "$PARAMS" >"$DATA/params"
}

if [ "$BENCH_REGEN" = 1 ] || [ ! -f "$DATA/params" ] ||
    [ "$(cat "$DATA/params")" != "$PARAMS" ]; then
	generate
else
	note "using the cached inputs in $DATA (BENCH_REGEN=1 to redo)"
fi

# ---------------------------------------------------------------------
# Measuring
# ---------------------------------------------------------------------

size_of() {
	stat -c %s "$1"
}

# Uncompressed bytes of each input.
PF=$DATA/postfix.log
PF2=$DATA/postfix-2x.log
PFGZ=$DATA/postfix.log.gz
PFGZM=$DATA/postfix-multi.log.gz
EX=$DATA/exim.log
ACC=$DATA/accounts.log
R3=("$DATA/relay1.log" "$DATA/relay2.log" "$DATA/relay3.log")
pf_bytes=$(size_of "$PF")
pf2_bytes=$(size_of "$PF2")
ex_bytes=$(size_of "$EX")
acc_bytes=$(size_of "$ACC")
r3_bytes=$(($(size_of "${R3[0]}") + $(size_of "${R3[1]}") +
    $(size_of "${R3[2]}")))

# Scratch space for the runs: their output, and the partials written.
WORK=$(mktemp -d "${TMPDIR:-/tmp}/zsbench.XXXXXX") || die "mktemp failed"
trap 'rm -rf "$WORK"' EXIT

# The jobs, in table order: id, label, input label, uncompressed bytes
# and the command.  Every round runs each job once, so that background
# load falls on all of them alike and the ratios stay fair.
JOB_IDS=()
declare -A LABEL INPUT BYTES CMD FILES NA NOTE WALLS CPUS RSS

add_job() {
	local id=$1 arg
	JOB_IDS+=("$id")
	LABEL[$id]=$2
	INPUT[$id]=$3
	BYTES[$id]=$4
	shift 4
	CMD[$id]=$(printf '%q ' "$@")
	# The inputs among the arguments, read before every run.
	FILES[$id]=""
	for arg in "$@"; do
		case $arg in
		"$DATA"/*) FILES[$id]="${FILES[$id]}$(printf '%q ' "$arg")" ;;
		esac
	done
	WALLS[$id]=""
	CPUS[$id]=""
	RSS[$id]=0
	NA[$id]=""
	NOTE[$id]=""
}

mark_na() {
	JOB_IDS+=("$1")
	LABEL[$1]=$2
	INPUT[$1]=$3
	BYTES[$1]=$4
	NA[$1]=$5
	NOTE[$1]=""
}

# gz_label FILE - "name (N MB compressed, M members)"
gz_label() {
	local in out members rest
	read -r in out members rest < <("$INFLATE_REF" -z "$1") ||
	    die "$1: not a valid gzip file (BENCH_REGEN=1 to redo)"
	printf '%s (%.0f MB gzip, %s member%s)' "$(basename "$1")" \
	    "$(calc "$in / 1e6")" "$members" \
	    "$([ "$members" = 1 ] || echo s)"
}

gzname=$(gz_label "$PFGZ")
gzmname=$(gz_label "$PFGZM")
add_job zs_pf "$ZS_LABEL" postfix.log "$pf_bytes" \
    "$ZS" "${ZS_ARGS[@]}" "$PF"
if [ -n "$PFLOGSUMM" ]; then
	add_job pflogsumm pflogsumm postfix.log "$pf_bytes" "$PFLOGSUMM" "$PF"
else
	mark_na pflogsumm pflogsumm postfix.log "$pf_bytes" "not installed"
fi
add_job zs_ex "$ZS_LABEL" exim.log "$ex_bytes" \
    "$ZS" "${ZS_ARGS[@]}" "$EX"
if [ -n "$EXIMSTATS" ]; then
	add_job eximstats eximstats exim.log "$ex_bytes" perl "$EXIMSTATS" "$EX"
else
	mark_na eximstats eximstats exim.log "$ex_bytes" "not installed"
fi
# What running per relay costs: the same inputs, the state saved for
# 'zombiescan merge' instead of a report.
if "$ZS" --help 2>&1 | grep -q -- '--save-partial'; then
	add_job zs_pf_part "$ZS_LABEL --save-partial" postfix.log \
	    "$pf_bytes" "$ZS" "${ZS_ARGS[@]}" --save-partial \
	    "$WORK/postfix.part" "$PF"
	add_job zs_ex_part "$ZS_LABEL --save-partial" exim.log "$ex_bytes" \
	    "$ZS" "${ZS_ARGS[@]}" --save-partial "$WORK/exim.part" "$EX"
fi
add_job zs_gz "$ZS_LABEL" "$gzname" "$pf_bytes" \
    "$ZS" "${ZS_ARGS[@]}" "$PFGZ"
if [ -n "$ZS_ZLIB" ]; then
	add_job zs_gz_zlib "$ZS_LABEL (built with zlib only)" "$gzname" \
	    "$pf_bytes" "$ZS_ZLIB" "${ZS_ARGS[@]}" "$PFGZ"
elif [ "$zs_inflater" = isal ]; then
	mark_na zs_gz_zlib "$ZS_LABEL (built with zlib only)" "$gzname" \
	    "$pf_bytes" "could not be built"
fi
add_job inf_zlib "inflate_ref -z (zlib)" "$gzname" "$pf_bytes" \
    "$INFLATE_REF" -z "$PFGZ"
if [ "$have_isal" = yes ]; then
	add_job inf_isal "inflate_ref -i (ISA-L)" "$gzname" "$pf_bytes" \
	    "$INFLATE_REF" -i "$PFGZ"
else
	mark_na inf_isal "inflate_ref -i (ISA-L)" "$gzname" "$pf_bytes" \
	    "built without libisal-dev"
fi
if [ "$have_jobs" = yes ]; then
	# What a user gets without -j: with three CPUs or more the file
	# is parsed by a thread of its own while another correlates (and
	# a third inflates).
	ZS_ARGS_DEF=()
	skip=no
	for a in "${ZS_ARGS[@]}"; do
		if [ "$a" = -j ]; then
			skip=yes
		elif [ "$skip" = yes ]; then
			skip=no
		else
			ZS_ARGS_DEF+=("$a")
		fi
	done
	add_job zs_gz_jd "zombiescan (default -j $(nproc))" "$gzname" \
	    "$pf_bytes" "$ZS" "${ZS_ARGS_DEF[@]}" "$PFGZ"
	# And a plain file: with two CPUs or more it is parsed by a
	# thread of its own while another correlates (no target: those
	# are for one thread).
	add_job zs_pf_jd "zombiescan (default -j $(nproc))" postfix.log \
	    "$pf_bytes" "$ZS" "${ZS_ARGS_DEF[@]}" "$PF"
	add_job zs_ex_jd "zombiescan (default -j $(nproc))" exim.log \
	    "$ex_bytes" "$ZS" "${ZS_ARGS_DEF[@]}" "$EX"
fi
add_job zs_gzm "$ZS_LABEL" "$gzmname" \
    "$pf_bytes" "$ZS" "${ZS_ARGS[@]}" "$PFGZM"
add_job inf_zlib_m "inflate_ref -z (zlib)" "$gzmname" \
    "$pf_bytes" "$INFLATE_REF" -z "$PFGZM"
add_job wc "wc -l" postfix.log "$pf_bytes" env LC_ALL=C wc -l "$PF"
if [ "$have_jobs" = yes ]; then
	J_ARGS=(-v)
	"$ZS" --help 2>&1 | grep -q -- '--year' && J_ARGS+=(--year 2026)
	add_job zs_j1 "zombiescan -j 1" "relay1-3.log" "$r3_bytes" \
	    "$ZS" "${J_ARGS[@]}" -j 1 "${R3[@]}"
	add_job zs_j2 "zombiescan -j 2" "relay1-3.log" "$r3_bytes" \
	    "$ZS" "${J_ARGS[@]}" -j 2 "${R3[@]}"
else
	mark_na zs_j1 "zombiescan -j 1" "relay1-3.log" "$r3_bytes" "no -j option"
	mark_na zs_j2 "zombiescan -j 2" "relay1-3.log" "$r3_bytes" "no -j option"
fi
add_job zs_2x "$ZS_LABEL" "postfix-2x.log" "$pf2_bytes" \
    "$ZS" "${ZS_ARGS[@]}" "$PF2"
add_job zs_acc "$ZS_LABEL" accounts.log "$acc_bytes" \
    "$ZS" "${ZS_ARGS[@]}" "$ACC"
if [ -n "$PFLOGSUMM" ]; then
	add_job pflogsumm_acc pflogsumm accounts.log "$acc_bytes" \
	    "$PFLOGSUMM" "$ACC"
else
	mark_na pflogsumm_acc pflogsumm accounts.log "$acc_bytes" \
	    "not installed"
fi

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
started=$(date -u '+%Y-%m-%d %H:%M UTC')

# run_once ID - one timed run; appends to WALLS, CPUS and RSS
run_once() {
	local id=$1 line wall rss usr sys rc
	# The job's inputs into the page cache, untimed, right before each
	# run, so that no run pays for the disk.  Once at the start is not
	# enough: a kernel that reclaims idle page cache (DAMON's pageout
	# scheme, for one, takes what has not been touched for a minute)
	# may drop part of an input while a peer runs.
	[ -n "${FILES[$id]}" ] && eval "cat ${FILES[$id]}" >/dev/null
	eval "$TIME -o \"\$WORK/time\" -f '%e %M %U %S' ${CMD[$id]}" \
	    >"$WORK/out" 2>"$WORK/err"
	rc=$?
	line=$(tail -n 1 "$WORK/time")
	read -r wall rss usr sys <<<"$line"
	case $rss in
	''|*[!0-9]*)
		NA[$id]="not measured: $(head -c 200 "$WORK/err")"
		return 0 ;;
	esac
	WALLS[$id]="${WALLS[$id]} $wall"
	CPUS[$id]="${CPUS[$id]} $(echo "$usr $sys" | awk '{print $1 + $2}')"
	[ "$rss" -gt "${RSS[$id]}" ] && RSS[$id]=$rss
	case $id in
	zs_*)
		# zombiescan: 0 ok, 3 damaged input, 4 zombies found.
		if [ "$rc" -ne 0 ] && [ "$rc" -ne 3 ] && [ "$rc" -ne 4 ]; then
			NA[$id]="exit status $rc"
		elif grep -q ', 0 parsed' "$WORK/err"; then
			# -v: "lines: N read, 0 parsed, ..."
			NA[$id]="no line parsed: input format not supported"
		elif [ "$rc" -ne 0 ]; then
			NOTE[$id]="exit $rc"
		fi ;;
	*)
		[ "$rc" -ne 0 ] && NA[$id]="exit status $rc" ;;
	esac
	return 0
}

for round in $(seq 1 "$BENCH_RUNS"); do
	for id in "${JOB_IDS[@]}"; do
		[ -n "${CMD[$id]:-}" ] || continue
		[ -n "${NA[$id]}" ] && continue
		note "round $round/$BENCH_RUNS: ${LABEL[$id]} ${INPUT[$id]}"
		run_once "$id"
	done
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

# median LIST - the median of whitespace-separated numbers
median() {
	echo "$1" | tr ' ' '\n' | grep -v '^$' | sort -g | awk '
	{ v[NR] = $1 }
	END {
		if (NR == 0) exit
		if (NR % 2) printf "%.3f\n", v[(NR + 1) / 2]
		else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2
	}'
}

declare -A WALL CPU
for id in "${JOB_IDS[@]}"; do
	WALL[$id]=""
	CPU[$id]=""
	if [ -z "${NA[$id]}" ] && [ -n "${WALLS[$id]:-}" ]; then
		WALL[$id]=$(median "${WALLS[$id]}")
		CPU[$id]=$(median "${CPUS[$id]}")
	fi
done

ok() {
	[ -n "${WALL[$1]:-}" ]
}

# ---------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------

table() {
	local id mb mbs rss wall cpu input
	echo "| what | input | MB | median s | MB/s | CPU s | peak RSS MiB |"
	echo "|---|---|--:|--:|--:|--:|--:|"
	for id in "${JOB_IDS[@]}"; do
		mb=$(calc "${BYTES[$id]} / 1e6")
		input=${INPUT[$id]}
		if ok "$id" && [ "${WALL[$id]}" != 0.000 ]; then
			wall=${WALL[$id]}
			mbs=$(calc "${BYTES[$id]} / 1e6 / $wall")
			cpu=${CPU[$id]}
			rss=$(calc "${RSS[$id]} / 1024")
			[ -n "${NOTE[$id]}" ] && input="$input (${NOTE[$id]})"
			printf '| %s | %s | %.0f | %.2f | %.1f | %.2f | %.1f |\n' \
			    "${LABEL[$id]}" "$input" "$mb" "$wall" "$mbs" "$cpu" \
			    "$rss"
		elif ok "$id"; then
			printf '| %s | %s | %.0f | %s | n/a | %s | %s |\n' \
			    "${LABEL[$id]}" "$input" "$mb" "${WALL[$id]}" \
			    "${CPU[$id]}" "$(calc "${RSS[$id]} / 1024")"
		else
			printf '| %s | %s | %.0f | n/a (%s) | | | |\n' \
			    "${LABEL[$id]}" "$input" "$mb" "${NA[$id]:-not run}"
		fi
	done
}

# target NAME VALUE CPUVALUE OP GOAL [NA-REASON] - one row of the
# targets table; OP is ge or le.
target() {
	local name=$1 value=$2 cpuv=$3 op=$4 goal=$5 why=${6:-} verdict
	if [ -n "$why" ] || [ -z "$value" ]; then
		printf '| %s | %s | %s | %s %s | n/a (%s) |\n' "$name" \
		    "${value:--}" "${cpuv:--}" "$( [ "$op" = ge ] && echo '≥' ||
		    echo '≤')" "$goal" "${why:-not measured}"
		return
	fi
	if [ "$op" = ge ]; then
		verdict=$(awk "BEGIN { print ($value >= $goal) ? \"PASS\" : \"FAIL\" }")
		printf '| %s | %s | %s | ≥ %s | %s |\n' "$name" "$value" \
		    "${cpuv:--}" "$goal" "$verdict"
	else
		verdict=$(awk "BEGIN { print ($value <= $goal) ? \"PASS\" : \"FAIL\" }")
		printf '| %s | %s | %s | ≤ %s | %s |\n' "$name" "$value" \
		    "${cpuv:--}" "$goal" "$verdict"
	fi
}

# wall_ratio A B - wall(A) / wall(B); cpu_ratio likewise
wall_ratio() {
	ok "$1" && ok "$2" && calc "${WALL[$1]} / ${WALL[$2]}"
}

cpu_ratio() {
	ok "$1" && ok "$2" && calc "${CPU[$1]} / ${CPU[$2]}"
}

rss_ratio() {
	ok "$1" && ok "$2" && calc "${RSS[$1]} / ${RSS[$2]}"
}

why_na() {
	local id
	for id in "$@"; do
		if ! ok "$id"; then
			echo "${LABEL[$id]} on ${INPUT[$id]}: ${NA[$id]:-not run}"
			return
		fi
	done
}

targets() {
	local floor isal_v isal_c isal_name isal_why
	echo "| target | measured (wall) | by CPU time | goal | result |"
	echo "|---|--:|--:|--:|---|"
	# Same input, so the throughput ratio is the inverse wall ratio.
	target "zombiescan / pflogsumm throughput (postfix.log)" \
	    "$(wall_ratio pflogsumm zs_pf)" "$(cpu_ratio pflogsumm zs_pf)" \
	    ge 50 "$(why_na zs_pf pflogsumm)"
	target "zombiescan / eximstats throughput (exim.log)" \
	    "$(wall_ratio eximstats zs_ex)" "$(cpu_ratio eximstats zs_ex)" \
	    ge 30 "$(why_na zs_ex eximstats)"
	floor=inf_zlib
	[ "$zs_inflater" = isal ] && floor=inf_isal
	target "zombiescan gzip wall / inflate_ref ($zs_inflater) wall" \
	    "$(wall_ratio zs_gz $floor)" "$(cpu_ratio zs_gz $floor)" \
	    le 1.15 "$(why_na zs_gz $floor)"
	if [ "$have_jobs" = yes ]; then
		target "same, default -j ($(nproc) CPUs)" \
		    "$(wall_ratio zs_gz_jd $floor)" \
		    "$(cpu_ratio zs_gz_jd $floor)" \
		    le 1.15 "$(why_na zs_gz_jd $floor)"
	fi
	if [ "$zs_inflater" = isal ]; then
		# The zlib-only build against the zlib reference: the
		# same inflater on both sides.
		target "same, built with zlib only / inflate_ref (zlib)" \
		    "$(wall_ratio zs_gz_zlib inf_zlib)" \
		    "$(cpu_ratio zs_gz_zlib inf_zlib)" \
		    le 1.15 "$(why_na zs_gz_zlib inf_zlib)"
		# The same tree built with zlib only, on the same file.
		isal_name="gzip path: zombiescan (zlib) wall / zombiescan (ISA-L) wall"
		isal_v=$(wall_ratio zs_gz_zlib zs_gz)
		isal_c=$(cpu_ratio zs_gz_zlib zs_gz)
		isal_why=$(why_na zs_gz_zlib zs_gz)
	else
		isal_name="gzip path, ISA-L vs zlib (inflate_ref zlib / ISA-L wall)"
		isal_v=$(wall_ratio inf_zlib inf_isal)
		isal_c=$(cpu_ratio inf_zlib inf_isal)
		isal_why=$(why_na inf_zlib inf_isal)
		[ -z "$isal_why" ] &&
		    isal_why="zombiescan is built with zlib; reference only"
	fi
	target "$isal_name" "$isal_v" "$isal_c" ge 1.8 "$isal_why"
	target "zombiescan -j 2 vs -j 1, three relay files" \
	    "$(wall_ratio zs_j1 zs_j2)" "" ge 1.7 "$(why_na zs_j1 zs_j2)"
	target "zombiescan peak RSS / pflogsumm peak RSS (postfix.log)" \
	    "$(rss_ratio zs_pf pflogsumm)" "" le 0.25 \
	    "$(why_na zs_pf pflogsumm)"
	target "zombiescan peak RSS / eximstats peak RSS (exim.log)" \
	    "$(rss_ratio zs_ex eximstats)" "" le 0.25 \
	    "$(why_na zs_ex eximstats)"
	# Saving a partial keeps every open message's events besides the
	# counts: the same bound, against the same peers.
	target "--save-partial peak RSS / pflogsumm peak RSS (postfix.log)" \
	    "$(rss_ratio zs_pf_part pflogsumm)" "" le 0.25 \
	    "$(why_na zs_pf_part pflogsumm)"
	target "--save-partial peak RSS / eximstats peak RSS (exim.log)" \
	    "$(rss_ratio zs_ex_part eximstats)" "" le 0.25 \
	    "$(why_na zs_ex_part eximstats)"
	target "zombiescan peak RSS, twice the days / once" \
	    "$(rss_ratio zs_2x zs_pf)" "" le 1.10 "$(why_na zs_pf zs_2x)"
	target "zombiescan / pflogsumm throughput (accounts.log)" \
	    "$(wall_ratio pflogsumm_acc zs_acc)" \
	    "$(cpu_ratio pflogsumm_acc zs_acc)" \
	    ge 50 "$(why_na zs_acc pflogsumm_acc)"
	target "zombiescan peak RSS / pflogsumm peak RSS (accounts.log)" \
	    "$(rss_ratio zs_acc pflogsumm_acc)" "" le 0.25 \
	    "$(why_na zs_acc pflogsumm_acc)"
}

# damon_state - ", DAMON running" when a kdamond is on: it may reclaim
# idle page cache (see run_once())
damon_state() {
	local f
	for f in /sys/kernel/mm/damon/admin/kdamonds/*/state; do
		[ -r "$f" ] && [ "$(cat "$f" 2>/dev/null)" = on ] &&
		    { echo ", DAMON running"; return; }
	done
}

machine() {
	local cpu mem cc_v isal_v zs_v pf_v ex_v rev
	cpu=$(grep -m1 '^model name' /proc/cpuinfo | sed 's/.*: *//')
	mem=$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' \
	    /proc/meminfo)
	cc_v=$($CC --version 2>/dev/null | head -n 1)
	isal_v=$(pkg-config --modversion libisal 2>/dev/null || echo none)
	zs_v=$("$ZS" --version 2>/dev/null | head -n 1)
	pf_v=$([ -n "$PFLOGSUMM" ] && "$PFLOGSUMM" --version 2>&1 | head -n 1)
	ex_v=$([ -n "$EXIMSTATS" ] && sed -n \
	    "s/^\$VERSION *= *'\([^']*\)'.*/eximstats \1/p" "$EXIMSTATS" |
	    head -n 1)
	rev=$(tree_rev)
	echo "- date: $started (load average before: $load_before," \
	    "after: $load_after)"
	echo "- CPUs: $(nproc) x $cpu"
	echo "- memory: $mem"
	echo "- kernel: $(uname -sr)$(damon_state)"
	echo "- compiler: $cc_v"
	echo "- zlib: $("$INFLATE_REF" -L | sed -n 's/^zlib //p'), ISA-L: $isal_v"
	echo "- zombiescan: ${zs_v:-?} (tree $rev; build: $build_state)," \
	    "gzip through $zs_inflater"
	echo "- peers: ${pf_v:-pflogsumm n/a}; ${ex_v:-eximstats n/a}"
	echo "- inputs: BENCH_SIZE=$BENCH_SIZE, $BENCH_RUNS runs each" \
	    "(median wall time, largest peak RSS)"
}

# partials - a note on the size of the partials written, against their
# input: what running per relay ships to the host that merges
partials() {
	local id f bytes line=""
	for id in zs_pf_part zs_ex_part; do
		ok "$id" || continue
		case $id in
		zs_pf_part) f=$WORK/postfix.part ;;
		*) f=$WORK/exim.part ;;
		esac
		[ -f "$f" ] || continue
		bytes=$(size_of "$f")
		line="$line${line:+; }${INPUT[$id]} $(calc "$bytes / 1e6") MB"
		line="$line ($(calc "100 * $bytes / ${BYTES[$id]}")% of it)"
	done
	if [ -n "$line" ]; then
		echo "- Partials written by --save-partial: $line."
	fi
}

# default_jobs - a note on a plain file read without -j, against the
# peers: what a person running it by hand gets, beside the one-thread
# targets
default_jobs() {
	local line=""
	# One CPU: no second thread, the same as -j 1.
	[ "$(nproc)" -ge 2 ] || return 0
	if ok zs_pf_jd && ok pflogsumm; then
		line="postfix.log x$(wall_ratio pflogsumm zs_pf_jd) of pflogsumm"
	fi
	if ok zs_ex_jd && ok eximstats; then
		line="$line${line:+, }exim.log x$(wall_ratio eximstats zs_ex_jd)"
		line="$line of eximstats"
	fi
	if [ -n "$line" ]; then
		echo "- Without -j ($(nproc) CPUs) one plain file is parsed by" \
		    "a thread of its own while another correlates: $line" \
		    "(the targets above are for one thread, -j 1)."
	fi
}

TABLE=$(table)
TARGETS=$(targets)
MACHINE=$(machine)
PARTIALS=$(partials)
DEFAULT_JOBS=$(default_jobs)

printf '\n%s\n\n%s\n\n%s\n' "$MACHINE" "$TABLE" "$TARGETS"
if [ -n "$PARTIALS" ]; then
	printf '\n%s\n' "$PARTIALS"
fi
if [ -n "$DEFAULT_JOBS" ]; then
	printf '%s\n' "$DEFAULT_JOBS"
fi

if [ "$print_only" = no ]; then
	out=$REPO/bench/RESULTS.md
	{
		echo "Benchmark results"
		echo "================="
		echo
		echo "Written by \`bench/run.sh\` (see README.md for what each"
		echo "line means).  MB are 10^6 bytes of uncompressed log; RSS"
		echo "is the peak resident set size from GNU time."
		echo
		echo "Machine"
		echo "-------"
		echo
		echo "$MACHINE"
		echo
		echo "Measurements"
		echo "------------"
		echo
		echo "$TABLE"
		echo
		echo "Targets"
		echo "-------"
		echo
		echo "$TARGETS"
		echo
		echo "Notes"
		echo "-----"
		echo
		echo "- The machine may have been shared with other work"
		echo "  while this ran (see the load averages above), so"
		echo "  the absolute times are noisy.  Every round ran each"
		echo "  command once, so load fell on all of them alike: the"
		echo "  ratios measured in one run are what to compare.  The"
		echo "  CPU-time column is less sensitive to other load."
		echo "- eximstats is the Debian 12 one (Exim 4.96), which"
		echo "  knows only the pre-4.97 message IDs; exim.log is a"
		echo "  relay whose simulated Exim writes those."
		if [ -f "$DATA/exim-new-ids" ]; then
			echo "- The simulator wrote no relay with pre-4.97 IDs:"
			echo "  eximstats did not recognise the messages, so its"
			echo "  time is less than its real work would take."
		fi
		if [ -n "$PARTIALS" ]; then
			echo "$PARTIALS"
		fi
		if [ -n "$DEFAULT_JOBS" ]; then
			echo "$DEFAULT_JOBS"
		fi
	} >"$out.tmp" && mv "$out.tmp" "$out"
	note "wrote $out"
fi
