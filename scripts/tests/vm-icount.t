#!/bin/bash
# vm-icount.t - the benchmark gate under QEMU icount: the quick benchmarks in the default VM (Debian bookworm, 2node, CPU model qemu64, which the run records) against the committed baseline (exit 1 fails CI), a boot that differs only in layout does not trip it, and the gate sees a 2% slowdown of one benchmark while a 0.5% change passes.
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
pmig=$here/../pmig
runs=$root/results/runs
base=$root/results/baseline/icount-bench-quick.json
# shellcheck source=scripts/tests/tap.sh
. "$here/tap.sh"

echo "TAP version 13"
echo "1..8"
out=$runs/check-vm-icount
rm -rf "$out" "$out-layout"
"$pmig" vm --clock icount --timeout 300 --out "$out" -- bench --quick --out bench.json \
	>"$tmp/stdout" 2>"$tmp/stderr"
rc=$?
[ "$rc" = 0 ] && jq -e '.pmig.verified == 8 and .pmig.failed == 0' "$out/bench.json" >/dev/null
ok $? quick_run_verified_under_icount
[ "$rc" = 0 ] || tail -5 "$tmp/stderr" | sed 's/^/# /'
jq -e '.context.pmig_emulation == "instruction-counted (QEMU TCG icount shift=0)"' "$out/bench.json" >/dev/null &&
	grep -q '^emulation=tcg-icount$' "$out/vm.txt" && grep -q '^clock=icount shift=0,sleep=off$' "$out/vm.txt"
ok $? run_says_instruction_counted
# The CPU model the figures were counted on (QEMU's default, named): in vm.txt, on the
# QEMU command line and in the file's context, which pmig compare holds to one model.
jq -e '.context.pmig_cpu_model == "qemu64"' "$out/bench.json" >/dev/null &&
	grep -qx 'cpu=qemu64' "$out/vm.txt" && grep -q -- ' -cpu qemu64 ' "$out/qemu.cmdline"
ok $? run_names_its_cpu_model

# The gate itself: this build against the baseline (make baseline re-records it).
"$pmig" compare "$base" "$out/bench.json" >"$tmp/gate" 2>&1
rc=$?
sed 's/^/# /' "$tmp/gate"
[ "$rc" = 0 ] && grep -q '^rule: regression = median worse by >= 1%' "$tmp/gate"
ok $? no_regression_against_the_baseline

# Another layout of the same build and kernel (a kernel parameter nothing reads
# moves where memory falls): the gate must not trip on it. 10 such boots of
# bookworm stayed within 1.2% of each other, none tripping it (bench/README.md).
"$pmig" vm --clock icount --timeout 300 --append 'pmig.perturb=24 pmig.unused=1' --out "$out-layout" \
	-- bench --quick --out bench.json >/dev/null 2>"$tmp/stderr-layout"
"$pmig" compare "$base" "$out-layout/bench.json" >"$tmp/gate-layout" 2>&1
rc=$?
[ "$rc" = 0 ] || sed 's/^/# /' "$tmp/gate-layout" "$tmp/stderr-layout" | tail -20
ok "$rc" another_layout_does_not_trip_the_gate

# One benchmark's samples 2% slower: flagged, and no other benchmark. batch:1 has 1280
# calls: a call that took a timer tick cannot hide the shift, as it can among 5.
slow() { # FACTOR OUT
	jq --argjson f "$1" '(.benchmarks[] | select(.name | startswith("move_pages/anon/1M/0to1/batch:1/"))) |=
		(.real_time *= $f | .pmig.call_ns |= map(. * $f) | .pmig.iteration_ns |= map(. * $f))' \
		"$out/bench.json" >"$2"
}
slow 1.02 "$tmp/slow2.json"
"$pmig" compare "$out/bench.json" "$tmp/slow2.json" >"$tmp/out" 2>&1
[ $? = 1 ] && grep -q '^result: REGRESSION in 1 of 8 compared benchmarks: move_pages/anon/1M/0to1/batch:1/' "$tmp/out"
ok $? two_percent_slower_is_flagged
slow 1.005 "$tmp/slow05.json"
"$pmig" compare "$out/bench.json" "$tmp/slow05.json" >/dev/null 2>&1
ok $? half_a_percent_passes

# Instruction counts are no wall-clock times: mixing the two is bad input.
jq '.context.pmig_emulation = "emulated (QEMU TCG)"' "$out/bench.json" >"$tmp/tcg.json"
expect_error mixed_clocks_are_bad_input 2 "pmig compare: .* is instruction-counted and .* is not" \
	"$pmig" compare "$out/bench.json" "$tmp/tcg.json"
exit $tap_failed
