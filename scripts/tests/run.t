#!/bin/bash
# run.t - `pmig run` interrupted: the steps that finished keep their files (the guest's conformance TAP as a .tap file too), INCOMPLETE says where it stopped, the report shows it, the benchmarks' guest is instruction-counted; bad input is one line and exit 2.
set -u
pmig="$(cd "$(dirname "$0")/.." && pwd)/pmig"
# shellcheck source=scripts/tests/tap.sh
. "$(dirname "$0")/tap.sh"

echo "TAP version 13"
echo "1..9"

# Interrupt once the second step is done: on a one-node host that is the conformance
# run in a 2-node guest, and the third boots another guest; on a bigger host the
# second is the bench and the third the tiering benchmarks.
# A background job starts with SIGINT ignored, and a shell cannot trap a signal
# ignored at its start: perl gives the run the default action back, as a
# terminal's Ctrl-C would find it.
setsid perl -e '$SIG{INT} = "DEFAULT"; exec @ARGV or die' \
	"$pmig" run --out "$tmp/run" >"$tmp/out" 2>&1 &
pid=$!
for _ in $(seq 2400); do
	grep -q '^   \[2/' "$tmp/out" 2>/dev/null && break
	sleep 0.5
done
sleep 2
kill -INT -- "-$pid"
wait "$pid"
rc=$?
[ "$rc" = 130 ]
ok $? interrupted_run_exits_130
sed 's/^/# /' "$tmp/out" | tail -5
grep -q '^interrupted during step 3/[45] (pmig ' "$tmp/run/INCOMPLETE" 2>/dev/null
ok $? incomplete_names_the_step
grep -q '^# Totals:' "$tmp/run/conform.tap" && [ -s "$tmp/run/conform.kcidb.json" ]
ok $? finished_step_kept_its_files
[ "$(wc -l <"$tmp/run/commands.txt")" = 3 ] && grep -q 'pmig-conform' "$tmp/run/commands.txt"
ok $? commands_lists_what_ran
grep -qi 'incomplete' "$tmp/run/report.md" 2>/dev/null
ok $? report_says_incomplete
# The guest's conformance TAP is a .tap file as the host's is, its summary lines printed,
# and the report names it.
if [ -d "$tmp/run/vm" ]; then
	grep -q '^# Totals:' "$tmp/run/vm/conform.tap" && grep -q '^ok 1 ' "$tmp/run/vm/conform.tap" &&
		cmp -s "$tmp/run/vm/conform.tap" "$tmp/run/vm/stdout" &&
		[ "$(grep -c '^# Totals:' "$tmp/out")" = 2 ] &&
		grep -q '^vm (kernel .*; its TAP: vm/conform\.tap\.$' "$tmp/run/report.md"
	ok $? guest_conformance_tap_kept
else
	ok 0 "guest_conformance_tap_kept # SKIP two memory nodes here: no guest conformance step"
fi
# On a one-node host the third step, which the interrupt caught, is the benchmarks' guest,
# under icount (instruction-counted); the conformance guest before it is plain TCG.
if [ -d "$tmp/run/vm" ]; then
	sed -n 3p "$tmp/run/commands.txt" | grep -q ' vm --clock icount --out [^ ]*/vm-bench -- bench --quick ' &&
		sed -n 2p "$tmp/run/commands.txt" | grep -q ' vm --out [^ ]*/vm -- conform ' &&
		grep -q '^== \[3/5\] pmig vm --clock icount -- bench --quick --pairs all (instruction-counted' "$tmp/out"
	ok $? guest_benchmarks_instruction_counted
else
	ok 0 "guest_benchmarks_instruction_counted # SKIP two memory nodes here: the benchmarks run on this machine"
fi

expect_error unknown_option 2 "pmig: run: unknown option" "$pmig" run --bogus
expect_error out_not_writable 2 "pmig: run: cannot" "$pmig" run --out /proc/pmig-no

exit $tap_failed
