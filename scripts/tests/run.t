#!/bin/bash
# run.t - `pmig run` interrupted: the steps that finished keep their files, INCOMPLETE says where it stopped, the report shows it; bad input is one line and exit 2.
set -u
pmig="$(cd "$(dirname "$0")/.." && pwd)/pmig"
# shellcheck source=scripts/tests/tap.sh
. "$(dirname "$0")/tap.sh"

echo "TAP version 13"
echo "1..7"

# Interrupt once the first step (conformance on this machine) is done: on a
# one-node host the second step boots a VM; on a bigger one it is the bench.
# A background job starts with SIGINT ignored, and a shell cannot trap a signal
# ignored at its start: perl gives the run the default action back, as a
# terminal's Ctrl-C would find it.
setsid perl -e '$SIG{INT} = "DEFAULT"; exec @ARGV or die' \
	"$pmig" run --out "$tmp/run" >"$tmp/out" 2>&1 &
pid=$!
for _ in $(seq 600); do
	grep -q '^   \[1/' "$tmp/out" 2>/dev/null && break
	sleep 0.5
done
sleep 2
kill -INT -- "-$pid"
wait "$pid"
rc=$?
[ "$rc" = 130 ]
ok $? interrupted_run_exits_130
sed 's/^/# /' "$tmp/out" | tail -5
grep -q '^interrupted during step 2/[45] (pmig ' "$tmp/run/INCOMPLETE" 2>/dev/null
ok $? incomplete_names_the_step
grep -q '^# Totals:' "$tmp/run/conform.tap" && [ -s "$tmp/run/conform.kcidb.json" ]
ok $? finished_step_kept_its_files
[ "$(wc -l <"$tmp/run/commands.txt")" = 2 ] && grep -q 'pmig-conform' "$tmp/run/commands.txt"
ok $? commands_lists_what_ran
grep -qi 'incomplete' "$tmp/run/report.md" 2>/dev/null
ok $? report_says_incomplete

expect_error unknown_option 2 "pmig: run: unknown option" "$pmig" run --bogus
expect_error out_not_writable 2 "pmig: run: cannot" "$pmig" run --out /proc/pmig-no

exit $tap_failed
