#!/bin/sh
# golden.sh - end-to-end tests: run zombiescan on each testdata/<case>/
# and compare its report with the case's expected.json, byte for byte.
#
# A case directory holds:
#   input/      the log files, given to zombiescan in name order
#   args        optional: extra command-line options, one line
#   exit        optional: the expected exit status (default 0)
#   expected.json  the report zombiescan must write
# The report's generation time is pinned with SOURCE_DATE_EPOCH and the
# zone with TZ=UTC, so reports are reproducible.  With
# ZS_UPDATE_GOLDEN=1 the expected files are rewritten instead: review
# the diff before committing.  ZS_WRAPPER, when set, is a command put
# in front of zombiescan (e.g. "valgrind --error-exitcode=1 ..."): an
# error it finds shows as a wrong exit status.
set -u

. "$(dirname "$0")/lib.sh"
zs_init golden 1796083200	# 2026-12-01T00:00:00Z
prog="$top_builddir/zombiescan"
zs_need "$prog"
zs_tmpdir

passed=0
failed=0
for dir in "$top_srcdir"/testdata/*/; do
	case=$(basename "$dir")
	[ -f "$dir/expected.json" ] || [ -n "${ZS_UPDATE_GOLDEN:-}" ] || continue
	[ -d "$dir/input" ] || continue
	args=""
	[ -f "$dir/args" ] && args=$(cat "$dir/args")
	want_exit=0
	[ -f "$dir/exit" ] && want_exit=$(cat "$dir/exit")

	# Relative names keep the report independent of the checkout path.
	# shellcheck disable=SC2086
	(cd "$dir" && exec ${ZS_WRAPPER:-} "$prog" $args \
	    -o "$tmp/$case.json" input/*) \
	    2>"$tmp/$case.err"
	got_exit=$?

	if [ -n "${ZS_UPDATE_GOLDEN:-}" ]; then
		cp "$tmp/$case.json" "$dir/expected.json"
		echo "$got_exit" >"$dir/exit"
		echo "updated: $case (exit $got_exit)"
		continue
	fi
	if [ "$got_exit" != "$want_exit" ]; then
		echo "FAIL: $case: exit status $got_exit, expected $want_exit"
		sed 's/^/  stderr: /' "$tmp/$case.err"
		failed=$((failed + 1))
	elif ! cmp -s "$tmp/$case.json" "$dir/expected.json"; then
		echo "FAIL: $case: report differs from expected.json"
		diff -u "$dir/expected.json" "$tmp/$case.json" | head -40
		failed=$((failed + 1))
	else
		echo "PASS: $case"
		passed=$((passed + 1))
	fi
done

[ -n "${ZS_UPDATE_GOLDEN:-}" ] && exit 0
echo "golden: $passed passed, $failed failed"
[ "$passed" -gt 0 ] || { echo "golden: no cases found" >&2; exit 99; }
[ "$failed" -eq 0 ]
