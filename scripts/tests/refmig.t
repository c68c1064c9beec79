#!/bin/bash
# refmig.t - `pmig refmig` on one node (from = to = 0): every page verified on the node and intact, bad input is one stderr line and exit 2.
set -u
pmig="$(cd "$(dirname "$0")/.." && pwd)/pmig"
# shellcheck source=scripts/tests/tap.sh
. "$(dirname "$0")/tap.sh"

echo "TAP version 13"
echo "1..13"

# 8 MiB: 2048 pages of 4 KiB.
"$pmig" refmig --size 8M --from 0 --to 0 >"$tmp/out" 2>"$tmp/err"
ok $? one_node_exits_0
[ "$(wc -l <"$tmp/out")" = 1 ] && [ ! -s "$tmp/err" ]
ok $? one_line_on_stdout_nothing_on_stderr
pages=$(($(numfmt --from=iec 8M) / $(getconf PAGESIZE)))
grep -qE "^refmig: pages=$pages bytes=8388608 from=0 to=0 on_target=$pages intact=$pages seconds=[0-9]+\.[0-9]+ ok$" "$tmp/out"
ok $? summary_counts_every_page
sed 's/^/# /' "$tmp/out"

# The default size, and a single page: the smallest range.
"$pmig" refmig --size 4096 --to 0 >"$tmp/out" 2>&1 &&
	grep -q "^refmig: pages=1 bytes=4096 from=0 to=0 on_target=1 intact=1 .* ok$" "$tmp/out"
ok $? one_page

expect_error bad_size_zero 2 "pmig refmig: bad --size" "$pmig" refmig --size 0
expect_error bad_size_unaligned 2 "pmig refmig: bad --size" "$pmig" refmig --size 4097
expect_error bad_size_suffix 2 "pmig refmig: bad --size" "$pmig" refmig --size 1T
# More than the machine has: refused, not an allocation a sanitizer aborts on.
expect_error size_beyond_memory 2 "pmig refmig: bad --size '99999999G' (more than this machine's" \
	"$pmig" refmig --size 99999999G
expect_error bad_node_text 2 "pmig refmig: bad node" "$pmig" refmig --from x
expect_error node_without_memory 2 "pmig refmig: bad node" "$pmig" refmig --to 4096
expect_error unknown_option 2 "pmig refmig: unknown option" "$pmig" refmig --bogus
expect_error missing_argument 2 "pmig refmig: option" "$pmig" refmig --size
expect_error extra_argument 2 "pmig refmig: unexpected" "$pmig" refmig extra

exit $tap_failed
