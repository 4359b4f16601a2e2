#!/bin/sh
# setup.sh - install what zombiescan needs to build (Debian), build it
# in ./build, and run it on the shipped sample logs.
#
#   sh tools/setup.sh              deps, build, sample report
#   sh tools/setup.sh --no-sample  deps and build only (then: make -C build check)
#
# Build dependencies are installed with apt-get only when missing: as
# root directly, otherwise through sudo when it exists.
set -eu

cd "$(dirname "$0")/.."
run_sample=yes
[ "${1:-}" = "--no-sample" ] && run_sample=no

packages="build-essential autoconf automake libtool pkg-config
	libpcre2-dev zlib1g-dev libjansson-dev check"
# Optional: ISA-L inflates gzip logs about twice as fast as zlib;
# without it (or where it cannot be installed) zlib does the work.
# libzstd and liblzma read logs logrotate compressed with zstd or xz;
# without them such files are named and refused.  The zstd and xz
# commands let tests/badinput.sh compress its inputs.
optional="libisal-dev libzstd-dev liblzma-dev zstd xz-utils"
installed() {
	dpkg-query -W -f='${Status}' "$1" 2>/dev/null |
	    grep -q "install ok installed"
}
missing=""
for p in $packages; do
	installed "$p" || missing="$missing $p"
done
missing_optional=""
for p in $optional; do
	installed "$p" || missing_optional="$missing_optional $p"
done
sudo=none
if [ "$(id -u)" -eq 0 ]; then
	sudo=""
elif command -v sudo >/dev/null 2>&1; then
	sudo="sudo"
fi
if [ -n "$missing" ]; then
	if [ "$sudo" = none ]; then
		echo "setup: missing packages:$missing" >&2
		echo "setup: run as root, or install them first" >&2
		exit 1
	fi
	echo "setup: installing$missing"
	$sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
	# shellcheck disable=SC2086
	$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    --no-install-recommends $missing </dev/null
fi
if [ -n "$missing_optional" ] && [ "$sudo" != none ]; then
	echo "setup: installing (optional)$missing_optional"
	[ -n "$missing" ] || $sudo env DEBIAN_FRONTEND=noninteractive \
	    apt-get update -qq || true
	# shellcheck disable=SC2086
	$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    --no-install-recommends $missing_optional </dev/null ||
	    echo "setup: optional packages not installed:" \
	    "$missing_optional (gzip input uses zlib; zstd and xz" \
	    "files are refused)" >&2
fi

mkdir -p m4
if [ ! -x configure ] || [ configure.ac -nt configure ] ||
    [ Makefile.am -nt Makefile.in ]; then
	autoreconf -fi
fi
mkdir -p build
if [ ! -f build/Makefile ] || [ configure -nt build/config.status ]; then
	(cd build && ../configure --quiet)
fi
make -C build -j"$(nproc 2>/dev/null || echo 2)" all

if [ "$run_sample" = yes ]; then
	echo "setup: the suspects in testdata/sample, ranked:"
	TZ=UTC build/zombiescan --year 2026 testdata/sample/input/*
fi
