#!/bin/sh
# html_chromium.sh - the HTML report in a real browser: render each
# testdata/<case>/ with 'zombiescan --format html', load the page in
# headless Chromium, and check what the browser built: the ranked
# table with one row per listed account, one SVG chart per account,
# no script; then take a screenshot and check it is a non-empty PNG.
#
# Chromium is large, so it is only installed when running as root
# with CI=true (Debian's package, apt-get); elsewhere the test is
# skipped (exit 77) when no chromium is on the PATH.  The browser
# runs with networking features off and a throw-away profile; the
# page itself needs no network (render.c writes no external URL).
set -u

. "$(dirname "$0")/lib.sh"
zs_init html_chromium 1796083200	# 2026-12-01T00:00:00Z
prog="$top_builddir/zombiescan"
zs_need "$prog"

# find_chromium - the browser's command name, or nothing
find_chromium() {
	for name in chromium chromium-browser; do
		if command -v "$name" >/dev/null 2>&1; then
			command -v "$name"
			return 0
		fi
	done
	return 1
}

browser=$(find_chromium)
if [ -z "$browser" ] && [ "${CI:-}" = true ] && [ "$(id -u)" = 0 ]; then
	echo "html_chromium: installing chromium (CI)"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium \
	    </dev/null >/dev/null || exit 99
	browser=$(find_chromium)
fi
if [ -z "$browser" ]; then
	echo "html_chromium: SKIP: no chromium on PATH"
	exit 77
fi

zs_tmpdir
# A bound on each browser run, where timeout(1) exists.
limit=""
command -v timeout >/dev/null 2>&1 && limit="timeout 120"

# chromium_run - headless Chromium with a fresh profile and no
# background traffic; extra arguments follow
chromium_run() {
	profile=$(mktemp -d "$tmp/profile.XXXXXX") || return 1
	# shellcheck disable=SC2086
	$limit "$browser" --headless --no-sandbox --disable-gpu \
	    --disable-background-networking --disable-component-update \
	    --disable-sync --no-first-run --user-data-dir="$profile" "$@"
}

# count - how many lines of file match the basic regular expression
count() {
	grep -c -- "$1" "$2"
}

passed=0
failed=0
for dir in "$top_srcdir"/testdata/*/; do
	case=$(basename "$dir")
	[ -d "$dir/input" ] || continue
	args=""
	[ -f "$dir/args" ] && args=$(cat "$dir/args")
	html="$tmp/$case.html"
	fail=""

	# The listed accounts, one per line, to know what the page must
	# hold.  Exit 3 (some input damaged) still writes a report.
	# shellcheck disable=SC2086
	(cd "$dir" && exec "$prog" $args --format jsonl -o "$tmp/$case.jsonl" \
	    input/*) 2>/dev/null
	st=$?
	# shellcheck disable=SC2086
	(cd "$dir" && exec "$prog" $args --format html -o "$html" input/*) \
	    2>"$tmp/$case.err"
	st_html=$?
	if [ "$st_html" -ne 0 ] && [ "$st_html" -ne 3 ] &&
	    [ "$st_html" -ne 4 ]; then
		echo "FAIL: $case: zombiescan --format html exited $st_html"
		sed 's/^/  stderr: /' "$tmp/$case.err"
		failed=$((failed + 1))
		continue
	fi
	if [ "$st" != "$st_html" ] || [ ! -f "$tmp/$case.jsonl" ]; then
		echo "FAIL: $case: --format jsonl exited $st, html $st_html"
		failed=$((failed + 1))
		continue
	fi
	accounts=$(wc -l <"$tmp/$case.jsonl" | tr -d ' ')

	# The DOM the browser built (render writes one row per line).
	chromium_run --dump-dom "file://$html" >"$tmp/$case.dom" \
	    2>"$tmp/$case.chromium.err"
	if [ ! -s "$tmp/$case.dom" ]; then
		echo "FAIL: $case: chromium produced no DOM"
		sed 's/^/  chromium: /' "$tmp/$case.chromium.err" | tail -5
		failed=$((failed + 1))
		continue
	fi
	sed -n '/<table class="ranking">/,/<\/table>/p' "$tmp/$case.dom" \
	    >"$tmp/$case.ranking"
	rows=$(count '^<tr><td class="num">' "$tmp/$case.ranking")
	charts=$(count '<svg class="hours"' "$tmp/$case.dom")
	bars=$(grep -o '<rect ' "$tmp/$case.dom" | wc -l | tr -d ' ')
	articles=$(count '<article id="account-' "$tmp/$case.dom")
	if [ "$accounts" -gt 0 ] && [ ! -s "$tmp/$case.ranking" ]; then
		fail="$fail; no ranked table"
	fi
	[ "$rows" -eq "$accounts" ] ||
	    fail="$fail; $rows table rows for $accounts accounts"
	[ "$charts" -eq "$accounts" ] ||
	    fail="$fail; $charts charts for $accounts accounts"
	[ "$bars" -eq $((24 * accounts)) ] ||
	    fail="$fail; $bars bars for $accounts accounts"
	[ "$articles" -eq "$accounts" ] ||
	    fail="$fail; $articles account sections for $accounts accounts"
	count '<title>zombiescan report' "$tmp/$case.dom" >/dev/null ||
	    fail="$fail; no page title"
	if grep -qi '<script' "$tmp/$case.dom"; then
		fail="$fail; a script element in the DOM"
	fi

	# What it looks like: a PNG with something in it.
	(cd "$tmp" && chromium_run --window-size=1280,2000 \
	    --screenshot="$tmp/$case.png" "file://$html") \
	    >/dev/null 2>>"$tmp/$case.chromium.err"
	if [ ! -s "$tmp/$case.png" ]; then
		fail="$fail; no screenshot"
	elif [ "$(head -c 8 "$tmp/$case.png" | od -An -tx1 | tr -d ' \n')" \
	    != 89504e470d0a1a0a ]; then
		fail="$fail; the screenshot is not a PNG"
	elif [ "$(wc -c <"$tmp/$case.png" | tr -d ' ')" -lt 4096 ]; then
		fail="$fail; the screenshot is nearly empty"
	fi

	if [ -n "$fail" ]; then
		echo "FAIL: $case:${fail#;}"
		failed=$((failed + 1))
	else
		echo "PASS: $case ($accounts accounts)"
		passed=$((passed + 1))
	fi
done

echo "html_chromium: $passed passed, $failed failed"
[ $((passed + failed)) -gt 0 ] ||
    { echo "html_chromium: no cases found" >&2; exit 99; }
[ "$failed" -eq 0 ]
