#!/bin/bash
# repeat.t - pmig conform --repeat: each run's TAP kept, the merged TAP on stdout, a case whose outcome changes is FLAKY and fails; XPASS and XFAIL as TAP 13 TODO.
set -u
pmig="$(cd "$(dirname "$0")/.." && pwd)/pmig"
# shellcheck source=scripts/tests/tap.sh
. "$(dirname "$0")/tap.sh"
# A case that passes on any machine (one node, no root needed).
case=move_pages.status.node_present

echo "TAP version 13"
echo "1..13"
expect_error repeat_zero 2 "pmig conform: --repeat needs at least 1" "$pmig" conform --repeat 0
expect_error repeat_not_a_number 2 "pmig conform: --repeat needs a non-negative number" \
	"$pmig" conform --repeat many
expect_error repeat_too_many 2 "pmig conform: --repeat 1001 is more than 1000" \
	"$pmig" conform --repeat 1001
expect_error repeat_tap_without_repeat 2 "pmig conform: --repeat-tap needs --repeat" \
	"$pmig" conform --repeat-tap x
expect_error repeat_tap_unwritable 2 "pmig conform: cannot write --repeat-tap" \
	"$pmig" conform --repeat 2 --repeat-tap /nonexistent/dir/r

# Three steady runs: one merged TAP, three kept, no FLAKY, exit 0, and prove agrees.
(cd "$tmp" && "$pmig" conform --filter "$case" --repeat 3 >merged.tap 2>err)
rc=$?
ok "$([ $rc = 0 ] && [ -s "$tmp/conform.repeat.1.tap" ] && [ -s "$tmp/conform.repeat.3.tap" ] &&
	[ ! -e "$tmp/conform.repeat.4.tap" ] && echo 0)" steady_runs_keep_each_tap
ok "$(grep -q "^ok 1 $case\$" "$tmp/merged.tap" &&
	grep -q '^# Flaky: 0 of 1 cases changed outcome between the 3 runs$' "$tmp/merged.tap" &&
	[ "$(grep -c '^# pmig conform: run [123] of 3' "$tmp/err")" = 3 ] && echo 0)" steady_case_passes_merged
ok "$(prove -e cat "$tmp/merged.tap" >/dev/null 2>&1 && echo 0)" prove_reads_merged_tap

# The same case failed on purpose in every second run: FLAKY, not ok, exit 1.
(cd "$tmp" && PMIG_CONFORM_FLIP=$case "$pmig" conform --filter "$case" --repeat 3 \
	--repeat-tap flip --kcidb flip.kcidb.json >flip.tap 2>/dev/null)
rc=$?
ok "$([ $rc = 1 ] && grep -q "^not ok 1 $case # FLAKY: PASS 2, FAIL 1 in 3 runs\$" "$tmp/flip.tap" &&
	grep -q '^# Flaky: 1 of 1 cases' "$tmp/flip.tap" && echo 0)" changing_case_is_flaky
ok "$(grep -q "^not ok 1 $case # failed on purpose" "$tmp/flip.2.tap" &&
	grep -q "^ok 1 $case\$" "$tmp/flip.1.tap" && echo 0)" each_run_tap_says_what_it_saw
ok "$(jq -e '.tests[0].status == "FAIL" and .tests[0].misc.outcome == "FLAKY"
	and .tests[0].misc.counts.PASS == 2 and .tests[0].misc.counts.FAIL == 1' \
	"$tmp/flip.kcidb.json" >/dev/null && echo 0)" kcidb_says_flaky
ok "$(prove -e cat "$tmp/flip.tap" >/dev/null 2>&1 || echo 0)" prove_fails_on_flaky

# TAP 13 TODO as prove reads it: an XFAIL is no failure, an XPASS is "TODO passed".
printf 'TAP version 13\n1..2\nnot ok 1 a # TODO known: bug\nok 2 b # TODO XPASS: fixed\n' >"$tmp/todo.tap"
prove -v -e cat "$tmp/todo.tap" >"$tmp/prove.out" 2>&1
rc=$?
ok "$([ $rc = 0 ] && grep -q 'TODO passed: *2' "$tmp/prove.out" && echo 0)" prove_reads_todo
exit $tap_failed
