# lib.sh - the start the end-to-end tests share.  Sourced, not run,
# after 'set -u':
#
#	. "$(dirname "$0")/lib.sh"
#	zs_init NAME [EPOCH]	names the test in messages; pins TZ=UTC,
#				LC_ALL=C and, with EPOCH, SOURCE_DATE_EPOCH
#				(the report's generation time)
#	zs_need PROG...		exit 99 (automake's hard error) unless
#				every PROG is an executable
#	zs_tmpdir		a new directory in $tmp, removed on exit
#
# top_srcdir and top_builddir come from make check's environment, or
# default to the checkout the test is in (an in-tree build).

: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
zs_name=test

# zs_init NAME [EPOCH] - see above
zs_init() {
	zs_name=$1
	TZ=UTC
	LC_ALL=C
	export TZ LC_ALL
	if [ $# -gt 1 ]; then
		SOURCE_DATE_EPOCH=$2
		export SOURCE_DATE_EPOCH
	fi
}

# zs_need PROG... - see above
zs_need() {
	for zs_prog in "$@"; do
		if [ ! -x "$zs_prog" ]; then
			echo "$zs_name: $zs_prog not built" >&2
			exit 99
		fi
	done
}

# zs_tmpdir - see above; a test with more to clean sets its own trap
zs_tmpdir() {
	tmp=$(mktemp -d "${TMPDIR:-/tmp}/zs-$zs_name.XXXXXX") || exit 99
	trap 'rm -rf "$tmp"' EXIT INT TERM
}
