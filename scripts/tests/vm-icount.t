#!/bin/bash
# vm-icount.t - the benchmark gate under QEMU icount: the quick benchmarks in the default VM (Debian bookworm, 2node, CPU model qemu64, which the run records) against the committed baseline (exit 1 fails CI); a boot that differs only in layout, and a build with more data off the timed path, move no median by more than 0.5%; the gate sees a 2% slowdown of one benchmark while a 0.5% change passes.
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
pmig=$here/../pmig
runs=$root/results/runs
base=$root/results/baseline/icount-bench-quick.json
# shellcheck source=scripts/tests/tap.sh
. "$here/tap.sh"

echo "TAP version 13"
echo "1..10"
out=$runs/check-vm-icount
rm -rf "$out" "$out-layout" "$out-padded"
"$pmig" vm --clock icount --timeout 300 --out "$out" -- bench --quick --out bench.json \
	>"$tmp/stdout" 2>"$tmp/stderr"
rc=$?
# 7 verified; memcpy threads:2 is unavailable under icount (one instruction clock, vCPUs in turns).
[ "$rc" = 0 ] && jq -e '.pmig.verified == 7 and .pmig.failed == 0 and .pmig.unavailable == 1' "$out/bench.json" >/dev/null &&
	jq -e '.benchmarks[] | select(.name | startswith("memcpy/anon/1M/0to1/threads:2/")) | .error_message |
		test("under QEMU icount")' "$out/bench.json" >/dev/null
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
# moves where memory falls), and a build with 1 MiB more in pmig-bench and nothing
# on the timed path: neither trips the gate, and neither moves a median by more
# than 0.5% (bench/README.md, Layout: pmig-timer and the tick waits are why).
"$pmig" vm --clock icount --timeout 300 --append 'pmig.perturb=24 pmig.unused=1' --out "$out-layout" \
	-- bench --quick --out bench.json >/dev/null 2>"$tmp/stderr-layout"
"$pmig" compare "$base" "$out-layout/bench.json" >"$tmp/gate-layout" 2>&1
rc=$?
[ "$rc" = 0 ] || sed 's/^/# /' "$tmp/gate-layout" "$tmp/stderr-layout" | tail -20
ok "$rc" another_layout_does_not_trip_the_gate
medians() { # FILE: name and median iteration of every verified benchmark
	jq -r '.benchmarks[] | select(.pmig.iteration_ns | length > 0) |
		"\(.name) \(.pmig.iteration_ns | sort | .[length / 2 | floor])"' "$1" | sort
}
moved() { # BASE NEW: the benchmarks whose median moved by more than 0.5%, with the change
	join <(medians "$1") <(medians "$2") |
		awk '{ d = $3 / $2 - 1; if (d > 0.005 || d < -0.005) printf "%s %+.2f%%\n", $1, 100 * d; n++ }
			END { if (n < 7) print "only " n " benchmarks in both" }'
}
moved "$out/bench.json" "$out-layout/bench.json" >"$tmp/moved-layout"
sed 's/^/# layout: /' "$tmp/moved-layout"
[ -s "$out-layout/bench.json" ] && [ ! -s "$tmp/moved-layout" ]
ok $? another_layout_moves_no_median_by_half_a_percent
mkdir -p "$tmp/bin"
cp -a "$root/build/bin/." "$tmp/bin/"
head -c 1048576 /dev/zero | tr '\0' p >"$tmp/pad" # the same pad every run
objcopy --add-section .pmig_pad="$tmp/pad" "$tmp/bin/pmig-bench"
PMIG_LIBEXEC=$tmp/bin "$pmig" vm --clock icount --timeout 300 --out "$out-padded" \
	-- bench --quick --out bench.json >/dev/null 2>"$tmp/stderr-padded"
moved "$out/bench.json" "$out-padded/bench.json" >"$tmp/moved-padded"
sed 's/^/# padded build: /' "$tmp/moved-padded"
[ -s "$out-padded/bench.json" ] && [ ! -s "$tmp/moved-padded" ]
ok $? a_build_with_more_data_moves_no_median_by_half_a_percent

# One benchmark's samples 2% slower: flagged, and no other benchmark. batch:1 has 1280
# calls: a call that took a timer tick cannot hide the shift, as it can among 5.
slow() { # FACTOR OUT
	jq --argjson f "$1" '(.benchmarks[] | select(.name | startswith("move_pages/anon/1M/0to1/batch:1/"))) |=
		(.real_time *= $f | .pmig.call_ns |= map(. * $f) | .pmig.iteration_ns |= map(. * $f))' \
		"$out/bench.json" >"$2"
}
slow 1.02 "$tmp/slow2.json"
"$pmig" compare "$out/bench.json" "$tmp/slow2.json" >"$tmp/out" 2>&1
[ $? = 1 ] && grep -q '^result: REGRESSION in 1 of 7 compared benchmarks: move_pages/anon/1M/0to1/batch:1/' "$tmp/out"
ok $? two_percent_slower_is_flagged
slow 1.005 "$tmp/slow05.json"
"$pmig" compare "$out/bench.json" "$tmp/slow05.json" >/dev/null 2>&1
ok $? half_a_percent_passes

# Instruction counts are no wall-clock times: mixing the two is bad input.
jq '.context.pmig_emulation = "emulated (QEMU TCG)"' "$out/bench.json" >"$tmp/tcg.json"
expect_error mixed_clocks_are_bad_input 2 "pmig compare: .* is instruction-counted and .* is not" \
	"$pmig" compare "$out/bench.json" "$tmp/tcg.json"
exit $tap_failed
