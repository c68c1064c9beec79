#!/bin/bash
# vm-hmm.t - device-private migration in guests: test-hmm.sh's module for sid's kernel (CONFIG_DEVICE_PRIVATE) and its reason for trixie's (none), the hmm.* cases passing with it loaded and each skipping with that reason without. Two boots, about a minute on an idle host; the first run on a machine builds the module (a few minutes, a chroot of sid).
set -u
scripts="$(cd "$(dirname "$0")/.." && pwd)"
pmig=$scripts/pmig
# shellcheck source=scripts/tests/tap.sh
. "$(dirname "$0")/tap.sh"

echo "TAP version 13"
echo "1..6"

expect_error test_hmm_without_spec 2 "pmig vm: " "$scripts/vm/test-hmm.sh"
expect_error test_hmm_of_a_kernel_image 2 "pmig vm: " "$scripts/vm/test-hmm.sh" /boot/vmlinuz

# 6.12: no DEVICE_PRIVATE, so no module to build, and that is not an error.
"$scripts/vm/test-hmm.sh" debian:trixie >"$tmp/trixie" 2>"$tmp/trixie.err" &&
	grep -qx 'absent=CONFIG_DEVICE_PRIVATE is off in 6\.12\..*' "$tmp/trixie" && ! grep -q '^module=' "$tmp/trixie"
ok $? "trixie: absent, CONFIG_DEVICE_PRIVATE named"

# 7.2: a module for exactly that release, every symbol it takes exported.
"$scripts/vm/test-hmm.sh" debian:sid >"$tmp/sid" 2>"$tmp/sid.err"
rc=$?
ko=$(sed -n 's/^module=//p' "$tmp/sid")
rel=$("$scripts/vm/kernel.sh" debian:sid | sed -n 's/^version=//p')
[ "$rc" = 0 ] && [ -f "$ko" ] && [ -n "$rel" ] &&
	[ "$(/sbin/modinfo -F vermagic "$ko" | cut -d ' ' -f 1)" = "$rel" ] &&
	grep -q '^symbols=[0-9]* taken, all exported' "$tmp/sid"
ok $? "sid: test_hmm.ko for $rel, symbols all exported"
sed 's/^/# /' "$tmp/sid" "$tmp/sid.err"

# The cases, in a guest that loads it and in one that cannot have it.
"$pmig" vm --kernel debian:sid --out "$tmp/sid-run" -- conform --filter 'hmm.*' >"$tmp/sid.tap" 2>"$tmp/sid-run.err"
rc=$?
n=$(grep -c '^ok [0-9]* hmm\.' "$tmp/sid.tap")
[ "$rc" = 0 ] && [ "$n" -ge 5 ] && ! grep -q '# SKIP' "$tmp/sid.tap" &&
	grep -q '^guest_modules=.* test_hmm' "$tmp/sid-run/vm.txt"
ok $? "sid guest: test_hmm loaded, $n hmm cases pass, none skips"
grep -E '^not ok|# SKIP' "$tmp/sid.tap" | sed 's/^/# /'

"$pmig" vm --kernel debian:trixie --out "$tmp/trixie-run" -- conform --filter 'hmm.*' >"$tmp/trixie.tap" 2>/dev/null
rc=$?
n=$(grep -c '^ok [0-9]* hmm\..* # SKIP no /dev/hmm_dmirror0: CONFIG_DEVICE_PRIVATE is off in this kernel' "$tmp/trixie.tap")
# Every case skipped: the kselftest exit code 4 (harness/result.h).
[ "$rc" = 4 ] && [ "$n" -ge 5 ] && [ "$n" = "$(grep -c '^ok [0-9]* hmm\.' "$tmp/trixie.tap")" ]
ok $? "trixie guest: all $n hmm cases skip, naming CONFIG_DEVICE_PRIVATE"
exit $tap_failed
