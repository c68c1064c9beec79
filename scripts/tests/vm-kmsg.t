#!/bin/bash
# vm-kmsg.t - kernel problems in the guest: a WARNING during a case fails that case with the excerpt and every result still comes back; a guest that dies in a case says which.
set -u
here=$(cd "$(dirname "$0")" && pwd)
pmig=$here/../pmig
wrap=$here/data/warn-in-case.sh
# shellcheck source=scripts/tests/tap.sh
. "$here/tap.sh"

echo "TAP version 13"
echo "1..6"
filter='move_pages.return.*'
"$pmig" conform --filter "$filter" --list >"$tmp/cases"

# One case gets a level-4 WARNING in the kernel log while it runs (the wrap stops it,
# writes the line to /dev/kmsg, lets it go on).
out=$tmp/warn
"$pmig" vm --out "$out" --add "$wrap" --wrap warn-in-case.sh -- \
	conform --filter "$filter" --junit r.xml --kcidb r.json >"$tmp/stdout" 2>"$tmp/stderr"
rc=$?
[ "$rc" = 1 ] && [ "$(wc -l <"$tmp/stderr")" = 1 ] &&
	grep -q '^pmig vm: guest kernel reported: .*WARNING: CPU: 0 PID: [0-9]* at pmig-test' "$tmp/stderr"
ok $? console_warning_fails_the_run_with_one_line
[ "$rc" = 1 ] || sed 's/^/# stderr: /' "$tmp/stderr"

# Exactly that case fails, with the kernel's line as its reason and the excerpt as diagnostics.
failed=$(grep '^not ok' "$tmp/stdout" | grep -cv ' # TODO known: ')
results=$(grep -cE '^(not )?ok' "$tmp/stdout")
grep -B2 '^not ok' "$tmp/stdout" | head -2 | tr '\n' '|' |
	grep -q '^# kernel log during this case:|# WARNING: CPU: 0 PID: [0-9]* at pmig-test' &&
	grep -q '^not ok [0-9]* [a-z_.]* # the kernel reported during this case: WARNING: CPU: 0 PID: [0-9]* at pmig-test' "$tmp/stdout" &&
	[ "$failed" = 1 ] && [ "$results" = "$(wc -l <"$tmp/cases")" ]
ok $? the_case_running_fails_with_the_excerpt
[ "$failed" = 1 ] || grep -B3 '^not ok' "$tmp/stdout" | sed 's/^/# /'

# Nothing of the run is lost: TAP, JUnit, KCIDB, vm.txt, the console and the channel.
cmp -s "$tmp/stdout" "$out/stdout" &&
	[ "$(grep -c '<failure' "$out/r.xml")" = 1 ] && grep -q 'pmig-test' "$out/r.xml" &&
	[ "$(jq '[.tests[] | select(.status == "FAIL")] | length' "$out/r.json")" = 1 ] &&
	grep -q '^emulation=' "$out/vm.txt" && grep -q '^guest_swap=' "$out/vm.txt" &&
	grep -q 'WARNING: .*pmig-test' "$out/console.log" && grep -q '^PMIG-CASE ' "$out/channel.log"
ok $? every_result_comes_back

# The guest panics in the fourth case the wrap sees: the results before it come back, and
# the run names the case it stopped in, which comes after them in the run's order (the
# last result lines may die in the guest's pipe with it; the case names do not pass there).
out=$tmp/panic
"$pmig" vm --out "$out" --add "$wrap" --wrap 'warn-in-case.sh --panic --skip 3' -- \
	conform --filter "$filter" --junit r.xml >"$tmp/stdout" 2>"$tmp/stderr"
rc=$?
done_before=$(grep -cE '^(not )?ok' "$tmp/stdout")
stopped_in=$(sed -n 's/.*the guest stopped in case \([^,]*\), the last one started (no result)$/\1/p' "$tmp/stderr")
position=$(grep -nxF "$stopped_in" "$tmp/cases" | cut -d: -f1)
[ "$rc" = 1 ] && [ "$(wc -l <"$tmp/stderr")" = 1 ] &&
	grep -q '^pmig vm: guest kernel reported: .*Kernel panic' "$tmp/stderr"
ok $? dying_guest_fails_with_one_line
sed 's/^/# stderr: /' "$tmp/stderr"
[ "$done_before" -ge 1 ] && [ -n "$stopped_in" ] && [ "${position:-0}" -gt "$done_before" ]
ok $? dying_guest_names_the_case_it_stopped_in
[ "$done_before" -ge 1 ] && cmp -s "$tmp/stdout" "$out/stdout" &&
	grep -q '^emulation=' "$out/vm.txt" && [ -s "$out/console.log" ] && [ ! -e "$out/r.xml" ]
ok $? results_before_the_death_come_back
exit $tap_failed
