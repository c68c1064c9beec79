#!/bin/bash
# vm-bundle.t - make bundle's tarball runs pmig conform and pmig bench (with its static timing program) in a guest of another Debian suite (trixie's kernel) than the build's: unpacked there, started by its own loader from its own libraries.
set -u
here="$(cd "$(dirname "$0")" && pwd)"
top="$(cd "$here/../.." && pwd)"
pmig="$top/scripts/pmig"
# shellcheck source=scripts/tests/tap.sh
. "$(dirname "$0")/tap.sh"

echo "TAP version 13"
echo "1..4"

bundle=$(make -s -C "$top" bundle 2>/dev/null | sed -n 's/^bundle: //p')
# pmig vm --add takes executable files; the guest finds it as /usr/bin/pmig-bundle.tgz.
cp "$top/$bundle" "$tmp/pmig-bundle.tgz" && chmod +x "$tmp/pmig-bundle.tgz"
"$pmig" vm --kernel debian:trixie --out "$tmp/vm" --add "$tmp/pmig-bundle.tgz" \
	--add "$here/data/bundle-run.sh" --wrap bundle-run.sh \
	-- conform --filter 'move_pages.*' --junit r.xml >"$tmp/stdout" 2>"$tmp/stderr"
rc=$?
[ "$rc" = 0 ] && grep -q '^# Totals: pass:[1-9]' "$tmp/stdout" && ! grep '^not ok' "$tmp/stdout" | grep -qv ' # TODO known: ' &&
	xmllint --noout --schema "$top/results/schema/junit.xsd" "$tmp/vm/r.xml" 2>/dev/null
ok $? bundle_runs_conform_in_a_trixie_guest
tail -3 "$tmp/stderr" | sed 's/^/# stderr: /'
grep '^# Totals' "$tmp/stdout" | sed 's/^/# /'
# Two memory nodes there: the two-node cases ran, not skipped.
grep -Eq '^ok [0-9]+ move_pages.status.node_moved$' "$tmp/stdout" &&
	grep -q 'kernel_release=6\.12\.' "$tmp/vm/vm.txt"
ok $? two_node_cases_ran_on_trixies_kernel
# Every library the bundled program uses is the bundle's (the guest has the
# build's too, for its own programs).
grep -q '^bundle-lib: .*libhwloc.* => /tmp/bundle/pmig/lib/' "$tmp/stderr" &&
	! grep '^bundle-lib: .*=>' "$tmp/stderr" | grep -qv '=> /tmp/bundle/pmig/lib/'
ok $? guest_program_uses_the_bundles_libraries

# pmig bench from the bundle: its starter runs pmig-bench through the bundled loader,
# so pmig-bench finds its static timing program (pmig-timer) by PMIG_TIMER, not beside itself.
"$pmig" vm --kernel debian:trixie --out "$tmp/vm-bench" --add "$tmp/pmig-bundle.tgz" \
	--add "$here/data/bundle-run.sh" --wrap bundle-run.sh \
	-- bench --quick --filter '^migrate_pages/' --out b.json >/dev/null 2>"$tmp/stderr-bench"
rc=$?
[ "$rc" = 0 ] && jq -e '.pmig.verified == 1 and .pmig.failed == 0' "$tmp/vm-bench/b.json" >/dev/null
ok $? bundle_runs_bench_with_its_timing_program
[ "$rc" = 0 ] || tail -3 "$tmp/stderr-bench" | sed 's/^/# stderr: /'

exit $tap_failed
