#!/bin/bash
# vm-overhead.t - pmig's own cost in its figures, under QEMU icount: pmig bench's move_pages against a bare loop of the same calls in one boot (bench/overhead.sh), every case in the band 0.98-1.02, and a cost added inside the timed calls (the perf counters) is seen.
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
runs=$root/results/runs
# shellcheck source=scripts/tests/tap.sh
. "$here/tap.sh"

echo "TAP version 13"
echo "1..4"
# 16 MiB: a THP call of 4 MiB takes 1.1 M instructions and a timer tick about 15,000, so
# whether one lands in it moved a 4 MiB round by 1.4%; an iteration of 16 MiB has a tick or
# two in every process. 5 iterations and 3 rounds: a median of medians.
small=(--clock icount --size 4 --iterations 5 --rounds 3)
out=$runs/check-vm-overhead
rm -rf "$out"
"$root/bench/overhead.sh" --clock icount --size 16 --iterations 5 --rounds 3 --band 0.98:1.02 \
	--out "$out" >"$tmp/out" 2>&1
rc=$?
sed 's/^/# /' "$tmp/out"
[ "$rc" = 0 ] && [ "$(grep -c '^median ratio pmig/loop .* in the band 0.98-1.02$' "$tmp/out")" = 4 ]
ok $? four_cases_in_the_band_under_icount
grep -q '(tcg-icount, CPU model qemu64)$' "$tmp/out"
ok $? figures_say_instruction_counted_and_cpu_model

# The perf counters on the migrating thread cost work at each context switch inside
# move_pages: with batch:1 (a call per page, 4 MiB is enough) that is far outside the band,
# and the check says so.
out=$runs/check-vm-overhead-perf
rm -rf "$out"
"$root/bench/overhead.sh" "${small[@]}" --cases anon:1 --band 0.98:1.02 --bench-args --perf \
	--out "$out" >"$tmp/perf" 2>&1
rc=$?
sed 's/^/# /' "$tmp/perf"
[ "$rc" = 1 ] && grep -q '^median ratio pmig/loop move_pages/anon/4M/0to1/batch:1: 0\.[0-9]* OUTSIDE the band 0.98-1.02$' "$tmp/perf"
ok $? a_cost_in_the_timed_calls_is_seen

expect_error bad_band_is_bad_input 2 "bench-overhead: --band" "$root/bench/overhead.sh" --band 2
exit $tap_failed
