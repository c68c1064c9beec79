#!/bin/bash
# vm-coverage-removed.t - on real guest runs: a case taken out of the run takes its functions' attribution with it (pmig coverage of two pmig vm --coverage runs, with and without move_pages.return.move_all_with_cap_sys_nice), and what it shares with the case left in stays with that one. Two boots, about 20 s on an idle host.
set -u
here=$(cd "$(dirname "$0")" && pwd)
pmig=$here/../pmig
# shellcheck source=scripts/tests/tap.sh
. "$here/tap.sh"

echo "TAP version 13"
echo "1..6"
moving=move_pages.return.move_all_with_cap_sys_nice
refused=move_pages.return.eperm_move_all_without_cap_sys_nice
# trixie (6.12), as vm-coverage.t; its symbols and DWARF table are fetched once.
# The first glob selects both cases, the second the refused one only.
for run in both:'move_pages.return.*move_all_with*_cap_sys_nice' one:"$refused"; do
	name=${run%%:*}
	"$pmig" vm --kernel debian:trixie --coverage --out "$tmp/$name" -- conform --filter "${run#*:}" \
		>"$tmp/$name.tap" 2>"$tmp/$name.err" &&
		"$pmig" coverage "$tmp/$name" >"$tmp/$name.sum" 2>>"$tmp/$name.err"
	rc=$?
	[ "$rc" = 0 ] || sed 's/^/# stderr: /' "$tmp/$name.err"
	echo "$rc" >"$tmp/$name.rc"
done
jq -e --arg m "$moving" --arg r "$refused" '.cases == [$r, $m]' "$tmp/both/coverage.json" >/dev/null &&
	jq -e --arg r "$refused" '.cases == [$r]' "$tmp/one/coverage.json" >/dev/null
ok $? "both runs attributed ($(cat "$tmp/both.rc"), $(cat "$tmp/one.rc")): the first has both cases, the second the refused one"

# FILE PATH NAME: the cases that reached a function, one line.
cases() {
	jq -r --arg p "$2" --arg n "$3" \
		'.files[] | select(.path == $p) | .functions[] | select(.name == $n) | .by + " " + (.cases | join(","))' "$1"
}
# The functions the moving case alone reached in the first run.
jq -r --arg m "$moving" '.files[] | .path as $p | .functions[] | select(.cases == [$m]) | $p + " " + .name' \
	"$tmp/both/coverage.json" >"$tmp/only-moving"
grep -qx 'mm/migrate.c do_pages_move' "$tmp/only-moving" &&
	grep -qx 'mm/migrate.c add_folio_for_migration' "$tmp/only-moving"
ok $? "run with it: $(wc -l <"$tmp/only-moving") functions reached by $moving alone, do_pages_move and add_folio_for_migration among them"

# Each of them is no longer the suite's in the run without it.
kept=
while read -r path func; do
	by=$(cases "$tmp/one/coverage.json" "$path" "$func")
	[ "${by%% *}" = suite ] && kept="$kept $path:$func($by)"
done <"$tmp/only-moving"
[ -s "$tmp/only-moving" ] && [ -z "$kept" ]
ok $? "run without it: none of them is reached by the suite${kept:+ (still:$kept)}"

# What both cases reached (the syscall's entry) stays, attributed to the one left.
[ "$(cases "$tmp/both/coverage.json" mm/migrate.c kernel_move_pages)" = "suite $refused,$moving" ] &&
	[ "$(cases "$tmp/one/coverage.json" mm/migrate.c kernel_move_pages)" = "suite $refused" ]
ok $? "kernel_move_pages: both cases with it, the refused one alone without it"

# pmig coverage diff says the same.
"$pmig" coverage diff "$tmp/both" "$tmp/one" >"$tmp/diff" 2>&1 &&
	grep -q 'mm/migrate.c do_pages_move: reached in A only' "$tmp/diff" &&
	! grep -q 'kernel_move_pages' "$tmp/diff"
ok $? "pmig coverage diff: do_pages_move reached in A only, kernel_move_pages in both"
# A path the guest cannot take: device-private migration needs device memory (trixie's
# kernel leaves CONFIG_DEVICE_PRIVATE off, so pmig vm has no test_hmm for it): none of
# mm/migrate_device.c is reached, migrate_vma_setup among its functions with code.
jq -e '.files[] | select(.path == "mm/migrate_device.c") | .total > 0 and .reached == 0 and
	any(.functions[]; .name == "migrate_vma_setup" and .reached == false)' "$tmp/both/coverage.json" >/dev/null
ok $? "mm/migrate_device.c: nothing reached, migrate_vma_setup known and unreached"
exit $tap_failed
