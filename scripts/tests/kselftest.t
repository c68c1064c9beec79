#!/bin/bash
# kselftest.t - make kselftest-install's layout under a run_kselftest.sh-style runner: the list line, settings, config, and kselftest's exit codes (0 pass, 1 fail, 4 skip) from pmig conform's.
set -u
here="$(cd "$(dirname "$0")" && pwd)"
top="$here/../.."
runner="$here/data/ksft-runner.sh"
# shellcheck source=scripts/tests/tap.sh
. "$(dirname "$0")/tap.sh"

echo "TAP version 13"
echo "1..8"

make -s -C "$top" kselftest-install DESTDIR="$tmp/ks" >"$tmp/install.log" 2>&1
ok $? kselftest_install_writes_the_layout
[ "$(cat "$tmp/ks/kselftest-list.txt")" = "pmig:pmig_conform.sh" ] &&
	[ -x "$tmp/ks/pmig/pmig_conform.sh" ] && grep -qx 'timeout=[0-9]*' "$tmp/ks/pmig/settings" &&
	grep -qx CONFIG_MIGRATION=y "$tmp/ks/pmig/config" && grep -qx CONFIG_NUMA=y "$tmp/ks/pmig/config"
ok $? list_settings_config
# A second install into the same directory adds no second line.
make -s -C "$top" kselftest-install DESTDIR="$tmp/ks" >/dev/null 2>&1 &&
	[ "$(wc -l <"$tmp/ks/kselftest-list.txt")" = 1 ]
ok $? install_twice_lists_once

# The real run, through the runner: passes here (or skips everything), its TAP nested.
KSELFTEST_PMIG_CONFORM_SH_ARGS="--filter move_pages.return.*" "$runner" "$tmp/ks" >"$tmp/real.tap"
rc=$?
[ "$rc" = 0 ] && grep -Eq '^ok 1 selftests: pmig: pmig_conform.sh( # SKIP)?$' "$tmp/real.tap" &&
	grep -q '^# # Totals:' "$tmp/real.tap"
ok $? real_run_passes_under_the_runner
sed 's/^/# /' "$tmp/real.tap" | grep -v '^# # [^T]' | tail -3

# Each pmig conform exit status, through a stand-in program, to what the runner reports.
cp -a "$tmp/ks" "$tmp/stub"
printf '#!/bin/sh\nexit ${STUB_RC:-0}\n' >"$tmp/stub/pmig/pmig/libexec/pmig/pmig-conform"
line="1 selftests: pmig: pmig_conform.sh"
for want in "0:pass:ok $line" "4:skip:ok $line # SKIP" "1:fail:not ok $line # exit=1" \
	"2:fail:not ok $line # exit=1"; do
	rc=${want%%:*} want=${want#*:}
	STUB_RC=$rc "$runner" "$tmp/stub" | grep -qx "${want#*:}"
	ok $? "conform_exit_${rc}_is_${want%%:*}"
done

exit $tap_failed
