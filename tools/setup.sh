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
missing=""
for p in $packages; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
	    grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
	if [ "$(id -u)" -eq 0 ]; then
		sudo=""
	elif command -v sudo >/dev/null 2>&1; then
		sudo="sudo"
	else
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
	echo "setup: ranked report for testdata/sample (top 10):"
	TZ=UTC build/zombiescan --year 2026 --top 10 testdata/sample/input/*
fi
