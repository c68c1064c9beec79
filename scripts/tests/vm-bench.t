#!/bin/bash
# vm-bench.t - `pmig bench --quick` in a 3node-cxl guest: every strategy verified with throughput, latency percentiles and raw samples, swap through the swap device; a corrupted or misplaced page fails its benchmark.
set -u
here=$(cd "$(dirname "$0")" && pwd)
pmig=$here/../pmig
runs=$here/../../results/runs
# shellcheck source=scripts/tests/tap.sh
. "$here/tap.sh"

echo "TAP version 13"
echo "1..14"
out=$runs/check-vm-bench
rm -rf "$out"
"$pmig" vm --topology 3node-cxl --timeout 300 --out "$out" -- bench --quick >"$tmp/stdout" 2>"$tmp/stderr"
rc=$?
[ "$rc" = 0 ] && [ -s "$out/bench.json" ] && jq -e . "$out/bench.json" >/dev/null
ok $? quick_run_exits_0_with_json
[ "$rc" = 0 ] || tail -5 "$tmp/stderr" | sed 's/^/# /'
j=$out/bench.json

# One iteration entry per benchmark, every strategy among them, each verified.
jq -e '[.benchmarks[] | select(.run_type == "iteration") | .pmig.strategy] | unique ==
	["mbind_move","memcpy","migrate_pages","move_pages","reference","swap"]' "$j" >/dev/null
ok $? every_strategy_present
jq -e '.pmig.verified == 8 and .pmig.failed == 0 and
	all(.benchmarks[]; .pmig.status == "verified" and .verified == 1 and (has("error_occurred") | not))' \
	"$j" >/dev/null
ok $? every_run_verified
jq -e 'all(.benchmarks[]; .bytes_per_second > 0 and .pages_per_second > 0 and .pmig.gbps > 0 and
	.lat_p50_us > 0 and .lat_p90_us >= .lat_p50_us and .lat_p99_us >= .lat_p90_us and .lat_max_us >= .lat_p99_us)' \
	"$j" >/dev/null
ok $? throughput_and_latency_percentiles
# The raw samples: one time per iteration, one per call, summing to the iteration times.
jq -e 'all(.benchmarks[]; (.pmig.iteration_ns | length) == .iterations and
	(.pmig.call_ns | length) == .calls * .iterations and
	(.pmig.call_ns | add) == (.pmig.iteration_ns | add) and
	.pmig.latency_ns.p50 > 0 and .pmig.latency_ns.max >= .pmig.latency_ns.p99)' "$j" >/dev/null
ok $? raw_samples_kept
jq -e '.benchmarks[] | select(.pmig.strategy == "move_pages" and .pmig.batch == 1) |
	.calls == .pmig.pages and .pmig.counters.pgmigrate_success >= .pmig.pages * .iterations' "$j" >/dev/null
ok $? batch_of_one_is_one_call_per_page
jq -e '.benchmarks[] | select(.pmig.strategy == "swap") | .pswpout > 0 and .pswpin > 0 and
	.pmig.counters.pswpout >= .pmig.pages * .iterations' "$j" >/dev/null
ok $? swap_went_through_swap
jq -e '.benchmarks[] | select(.pmig.strategy == "move_pages" and .pmig.batch == 0) | .pmig.efficiency > 0' \
	"$j" >/dev/null
ok $? efficiency_against_the_copy_bound
jq -e '.context.pmig_emulation == "emulated (QEMU TCG)" or (.context.pmig_emulation | startswith("virtualized"))' "$j" >/dev/null &&
	jq -e '.context.pmig_kernel and .context.pmig_thp_enabled and .context.pmig_swap != "none" and
	.context.pmig_pmu and (.pmig.topology_xml | contains("<topology"))' "$j" >/dev/null
ok $? context_says_where_it_ran
# The guest has a name of its own, and the benchmarks' exports (pmig report) carry it.
"$pmig" report "$out" >/dev/null 2>&1
host=pmig-vm-3node-cxl-x86-64
jq -e --arg h "$host" '.context.host_name == $h' "$j" >/dev/null &&
	jq -e --arg h "$host" '.builds[0].misc.hostname == $h' "$out/bench.kcidb.json" >/dev/null &&
	grep -q "<testsuite [^>]*hostname=\"$host\"" "$out/bench.junit.xml" &&
	grep -q "^hostname=$host\$" "$out/vm.txt"
ok $? exports_name_the_guest
# Debian's libbenchmark warns that it was built as DEBUG (no NDEBUG): pmig's note follows
# it at once, once, saying what that means for pmig's figures; no warning, no note.
warned=$(grep -c 'Library was built as DEBUG' "$tmp/stderr")
notes=$(grep -c "^pmig bench: that warning is the library's about its own build" "$tmp/stderr")
if [ "$warned" -gt 0 ]; then
	[ "$notes" = 1 ] && grep -A2 'Library was built as DEBUG' "$tmp/stderr" | sed -n 2p |
		grep -q "^pmig bench: that warning is the library's" &&
		grep -A2 'Library was built as DEBUG' "$tmp/stderr" | sed -n 3p |
		grep -q "^pmig bench: pmig's figures are not taken by the library's timer: .*(manual time)"
else
	[ "$notes" = 0 ]
fi
ok $? debug_library_warning_explained

# Verification can fail: a page changed after the timed move_pages, a page moved back after mbind;
# and in the same boot, a filter that matches nothing is bad input, and the placement check
# of new pages (workloads' unit test, which needs swap and a second node) runs where it can.
bad=$runs/check-vm-bench-bad
rm -rf "$bad"
unit=$here/../../build/unit/test_pages
make -s -C "$here/../.." build/unit/test_pages >/dev/null
"$pmig" vm --topology 3node-cxl --timeout 300 --out "$bad" --add "$unit" \
	--wrap 'test_pages >test_pages.out 2>&1; echo $? >test_pages.rc; pmig-bench --filter nosuch 2>nomatch.err; echo $? >nomatch.rc; env PMIG_BENCH_CORRUPT=move_pages/anon PMIG_BENCH_MISPLACE=mbind_move' \
	-- bench --quick --filter '^(move_pages/anon/1M/0to1/batch:all|mbind_move/anon/1M/0to1)/' --out bad.json \
	>"$tmp/stdout" 2>"$tmp/stderr"
rc=$?
[ "$rc" = 1 ] &&
	jq -e '.pmig.failed == 2 and .pmig.verified == 0 and all(.benchmarks[]; .error_occurred and
	(has("bytes_per_second") | not) and .pmig.status == "failed")' "$bad/bad.json" >/dev/null &&
	jq -e '(.benchmarks[] | select(.pmig.strategy == "move_pages") | .error_message | test("after migration: page [0-9]+ \\(of 256\\) lost its data")) and
	(.benchmarks[] | select(.pmig.strategy == "mbind_move") | .error_message | test("after migration: 255 of 256 base pages on node 1; page 128 is on 0"))' \
	"$bad/bad.json" >/dev/null
ok $? wrong_results_fail_with_no_number
[ "$rc" = 1 ] || { echo "# rc=$rc"; tail -5 "$tmp/stderr" | sed 's/^/# /'; }
[ "$(cat "$bad/nomatch.rc" 2>/dev/null)" = 2 ] && [ "$(wc -l <"$bad/nomatch.err")" = 1 ] &&
	grep -q '^pmig bench: --filter' "$bad/nomatch.err"
ok $? filter_matching_nothing_is_bad_input
# A page swapped out after it was made reads as not present, as one the kernel is migrating
# does for a moment: no page off its node (a benchmark failed so, "creating 256 anon pages
# on node 0: Input/output error"); a page on another node is named.
[ "$(cat "$bad/test_pages.rc" 2>/dev/null)" = 0 ] && grep -q 'PASSED  \] 3 test' "$bad/test_pages.out" &&
	! grep -q SKIPPED "$bad/test_pages.out"
ok $? new_pages_placement_check_in_a_guest
[ "$(cat "$bad/test_pages.rc" 2>/dev/null)" = 0 ] || sed 's/^/# /' "$bad/test_pages.out" 2>/dev/null | head -20
exit $tap_failed
