#!/bin/sh
# build.sh - build the libFuzzer targets (fuzz/fuzz_*.c) with clang.
#
#   sh fuzz/build.sh [OUTDIR]		default OUTDIR: fuzz/out
#
# No configure run is needed: the library sources are the .c files of
# libzs_a_SOURCES in Makefile.am, compiled here directly with
# -fsanitize=fuzzer-no-link,address,undefined; each target links them
# with -fsanitize=fuzzer.  config.h comes from ZS_BUILDDIR (a
# configured build tree) when set, else a minimal one is written to
# OUTDIR/include (the sources need only the package name, the version
# and _GNU_SOURCE from it).
#
# A target that needs a module not (yet) in libzs_a_SOURCES says so in
# a "fuzz-needs: path/file.c" comment and is skipped with a note until
# the module is there; FUZZ_EXTRA_SOURCES (space-separated, relative to
# the top) adds sources to the library for trying one early.
#
# Environment: CC (default clang), FUZZ_CFLAGS (added to the compile
# flags), ZS_BUILDDIR (see above), FUZZ_EXTRA_SOURCES.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$top/fuzz/out}
mkdir -p "$out"
out=$(cd "$out" && pwd)
CC=${CC:-clang}

command -v "$CC" >/dev/null 2>&1 || {
	echo "build.sh: $CC not found; libFuzzer needs clang" >&2
	exit 1
}
for pc in libpcre2-8 zlib jansson; do
	pkg-config --exists "$pc" || {
		echo "build.sh: pkg-config does not know $pc" >&2
		exit 1
	}
done

# config.h: a configured tree's, or the few definitions the code uses.
if [ -n "${ZS_BUILDDIR:-}" ] && [ -f "$ZS_BUILDDIR/config.h" ]; then
	confdir=$(cd "$ZS_BUILDDIR" && pwd)
else
	confdir=$out/include
	mkdir -p "$confdir"
	version=$(sed -n 's/^AC_INIT(\[[^]]*\], *\[\([^]]*\)\].*/\1/p' \
	    "$top/configure.ac")
	cat >"$confdir/config.h.tmp" <<EOF
/* config.h - minimal, written by fuzz/build.sh */
#ifndef _GNU_SOURCE
# define _GNU_SOURCE 1
#endif
#define PACKAGE "zombiescan"
#define PACKAGE_NAME "zombiescan"
#define PACKAGE_VERSION "${version:-0}"
#define VERSION PACKAGE_VERSION
EOF
	if cmp -s "$confdir/config.h.tmp" "$confdir/config.h"; then
		rm -f "$confdir/config.h.tmp"
	else
		mv "$confdir/config.h.tmp" "$confdir/config.h"
	fi
fi

# The library: exactly what the autotools build puts into libzs.a.
lib_sources=$(sed -n '/^libzs_a_SOURCES/,/^$/p' "$top/Makefile.am" |
    tr ' \t\\' '\n\n\n' | grep '\.c$')
# one line, single spaces: matched as " word " below
# shellcheck disable=SC2086,SC2116
lib_sources=$(echo $lib_sources ${FUZZ_EXTRA_SOURCES:-})
[ -n "$lib_sources" ] || {
	echo "build.sh: no libzs_a_SOURCES in Makefile.am" >&2
	exit 1
}

deps_cflags=$(pkg-config --cflags libpcre2-8 zlib jansson)
deps_libs="$(pkg-config --libs libpcre2-8 zlib jansson) -lm -lpthread"
# configure --with-isal (the default when libisal-dev is installed)
grep -q '^#define HAVE_ISAL 1' "$confdir/config.h" 2>/dev/null &&
	deps_libs="$deps_libs -lisal"
# likewise --with-zstd and --with-lzma (zstd and xz logs)
grep -q '^#define HAVE_ZSTD 1' "$confdir/config.h" 2>/dev/null &&
	deps_libs="$deps_libs -lzstd"
grep -q '^#define HAVE_LZMA 1' "$confdir/config.h" 2>/dev/null &&
	deps_libs="$deps_libs -llzma"
san="-fsanitize=address,undefined -fno-sanitize-recover=undefined"
# The reader's read and gzip chunks shrunk (parsers/reader.c), so that
# inputs of a few KB reach refills, buffer growth and lines spanning
# reads, and no run pays for a megabyte buffer.
small="-DREAD_CHUNK=512 -DGZIP_INPUT_BYTES=128 -DMAP_WINDOW=4096 -DLEND_PREFIX=64"
cflags="-std=c11 -g -O1 -fno-omit-frame-pointer -Wall -Wextra -Wshadow \
-Wstrict-prototypes -Wmissing-prototypes -Wwrite-strings \
-Wno-unused-parameter $san $small -I$top -I$confdir $deps_cflags \
${FUZZ_CFLAGS:-}"

mkdir -p "$out/obj"
objs=""
for src in $lib_sources; do
	obj=$out/obj/$(echo "$src" | tr '/' '_' | sed 's/\.c$/.o/')
	# shellcheck disable=SC2086
	$CC $cflags -fsanitize=fuzzer-no-link -c "$top/$src" -o "$obj"
	objs="$objs $obj"
done

targets=""
skipped=""
rm -f "$out/SKIPPED"
for t in "$top"/fuzz/fuzz_*.c; do
	[ -f "$t" ] || continue
	name=$(basename "$t" .c)
	missing=""
	for need in $(sed -n 's/.*fuzz-needs: *\([^ ]*\).*/\1/p' "$t"); do
		case " $lib_sources " in
		*" $need "*) ;;
		*) missing="$missing $need" ;;
		esac
	done
	if [ -n "$missing" ]; then
		echo "build.sh: skipping $name: not in libzs_a_SOURCES yet:" \
		    "${missing# }" >&2
		echo "$name" >>"$out/SKIPPED"
		rm -f "$out/$name"
		skipped="$skipped $name"
		continue
	fi
	# shellcheck disable=SC2086
	$CC $cflags -fsanitize=fuzzer "$t" $objs $deps_libs -o "$out/$name"
	targets="$targets $name"
done
echo "build.sh: built$targets in $out${skipped:+ (skipped$skipped)}"
