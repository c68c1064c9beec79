#!/bin/bash
# vm-arm64.t - the conformance run in an arm64 guest with 16 KiB pages (Debian trixie's arm64-16k kernel, cross-built programs): every case passes or skips for a stated reason, and the THP and hugetlb cases run on 32 MiB pages; vm.txt records the CPU model.
set -u
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=scripts/tests/tap.sh
. "$here/tap.sh"

echo "TAP version 13"
echo "1..5"
out=$here/../../results/runs/check-vm-arm64
"$here/../pmig" vm --kernel debian:trixie/arm64-16k --out "$out" -- conform >"$tmp/tap" 2>"$tmp/err"
rc=$?
cases=$(grep -c -E '^(not )?ok [0-9]+ ' "$tmp/tap")
failed=$(grep -E '^not ok [0-9]+ ' "$tmp/tap" | grep -v ' # TODO known: ')
if [ "$rc" = 0 ] && [ -z "$failed" ]; then
	ok 0 "pmig vm --kernel debian:trixie/arm64-16k -- conform: no case failed (exit 0)"
else
	echo "# exit $rc; $(tail -n 2 "$tmp/err" | tr '\n' ' ')"
	printf '%s\n' "$failed" | head -n 5 | sed 's/^/# /'
	ok 1 "pmig vm --kernel debian:trixie/arm64-16k -- conform: no case failed (exit $rc)"
fi
[ "$cases" -gt 100 ]
ok $? "more than 100 cases ran ($cases)"
grep -q '^# pages: base 16K, THP 32M, hugetlb 32M;' "$tmp/tap"
ok $? "the guest's sizes: 16K base pages, 32M THP and hugetlb ($(grep -m1 '^# pages:' "$tmp/tap"))"
# The page-kind cases of both huge kinds ran, none skipped.
huge=$(grep -c -E '^ok [0-9]+ move_pages\.kind\.(thp|hugetlb)_' "$tmp/tap")
skipped=$(grep -E '^ok [0-9]+ move_pages\.kind\.(thp|hugetlb)_.*# SKIP' "$tmp/tap")
[ "$huge" -ge 8 ] && [ -z "$skipped" ]
ok $? "the THP and hugetlb cases ran on 32M pages ($huge passed; skipped: ${skipped:-none})"
# The machine's CPU model (virt: neoverse-n1), named once on QEMU's command line and recorded.
grep -qx 'cpu=neoverse-n1' "$out/vm.txt" && [ "$(grep -o ' -cpu [^ ]*' "$out/qemu.cmdline")" = ' -cpu neoverse-n1' ] &&
	grep -q ' pmig\.cpu=neoverse-n1' "$out/qemu.cmdline"
ok $? "the guest's CPU model is recorded: $(grep '^cpu=' "$out/vm.txt")"
exit $tap_failed
