#!/bin/bash
# bench.t - `pmig bench` on the build machine: bad input is one stderr line and exit 2, the benchmark names on a fixture topology (--preset's too), exit 4 with one memory node or no pair of CPU nodes.
set -u
here=$(cd "$(dirname "$0")" && pwd)
pmig=$here/../pmig
fixtures=$here/../../harness/tests/data
# shellcheck source=scripts/tests/tap.sh
. "$here/tap.sh"

echo "TAP version 13"
echo "1..24"
expect_error unknown_option 2 "pmig bench: unknown option" "$pmig" bench --bogus
expect_error missing_argument 2 "pmig bench: option" "$pmig" bench --size
expect_error extra_argument 2 "pmig bench: unexpected argument" "$pmig" bench extra
expect_error bad_size 2 "pmig bench: bad --size" "$pmig" bench --size 1T
expect_error size_beyond_memory 2 "pmig bench: bad --size '4K,99999999G'" "$pmig" bench --size 4K,99999999G
expect_error unaligned_size 2 "pmig bench: bad --size" "$pmig" bench --size 1M,4097
expect_error bad_pairs 2 "pmig bench: bad --pairs" "$pmig" bench --pairs near
expect_error bad_accessors 2 "pmig bench: bad --accessors" "$pmig" bench --accessors 65
expect_error bad_iterations 2 "pmig bench: bad --iterations" "$pmig" bench --iterations 0
expect_error bad_filter 2 "pmig bench: bad --filter" "$pmig" bench --filter '('
expect_error unwritable_out 2 "pmig bench: cannot write" "$pmig" bench --out /nonexistent/dir/b.json
expect_error out_is_a_directory 2 "pmig bench: cannot write to .*: Is a directory" "$pmig" bench --out "$tmp"
expect_error benchmark_out_is_ours 2 "pmig bench: '--benchmark_out" "$pmig" bench -- --benchmark_out=x.json
expect_error unknown_benchmark_flag 2 "pmig bench: error: unrecognized" "$pmig" bench -- --benchmark_bogus
expect_error bad_preset 2 "pmig bench: bad --preset 'garg' (garg-2025)" "$pmig" bench --preset garg
expect_error preset_not_quick 2 "pmig bench: --preset garg-2025 chooses its own node pair and cases: not with --quick" "$pmig" bench --preset garg-2025 --quick
expect_error preset_not_pairs 2 "pmig bench: --preset garg-2025 chooses its own node pair and cases: not with --pairs" "$pmig" bench --pairs all --preset garg-2025

# On a fixture topology (hwloc's HWLOC_XMLFILE), without running anything.
export HWLOC_XMLFILE=$fixtures/3node-cxl.xml
expect_error filter_matches_nothing 2 "pmig bench: --filter" "$pmig" bench --quick --filter '^nosuch/'
"$pmig" bench --quick --out "$tmp/l.json" -- --benchmark_list_tests >"$tmp/list" 2>"$tmp/err"
rc=$?
want="memcpy/anon/1M/0to1/threads:1 memcpy/anon/1M/0to1/threads:2 move_pages/anon/1M/0to1/batch:1 move_pages/anon/1M/0to1/batch:all migrate_pages/anon/1M/0to1 mbind_move/anon/1M/0to1 reference/anon/1M/0to1 swap/anon/1M/0to1"
got=$(sed 's|/iterations:5/manual_time$||' "$tmp/list" | tr '\n' ' ')
[ "$rc" = 0 ] && [ "$got" = "$want " ] && [ ! -e "$tmp/l.json" ]
ok $? quick_lists_every_strategy_on_the_nearest_pair
[ "$rc" = 0 ] || sed 's/^/# /' "$tmp/err" "$tmp/list"
"$pmig" bench --pairs all --size 1M,4M -- --benchmark_list_tests >"$tmp/all" 2>/dev/null
# Each CPU node to each other memory node: 0to1 0to2 1to0 1to2; every workload of each strategy;
# the tiering runs (one iteration) between the near node and the CPU-less one, at --size's sizes.
[ "$(grep -v '/iterations:1/' "$tmp/all" | sed -n 's|^[a-z_]*/[a-z-]*/[0-9A-Z]*/\([0-9]to[0-9]\)/.*|\1|p' | sort -u | tr '\n' ' ')" = "0to1 0to2 1to0 1to2 " ] &&
	grep -q '^numab_promote/promote/4M/2to0/iterations:1/manual_time' "$tmp/all" &&
	grep -q '^tier_user/demote/1M/0to2/iterations:1/manual_time' "$tmp/all" &&
	grep -q '^swap/shmem/4M/1to2/iterations:10' "$tmp/all" &&
	grep -q '^move_pages/hugetlb/4M/0to2/batch:all/' "$tmp/all" &&
	grep -q '^move_pages/shared/1M/0to1/batch:16/' "$tmp/all" &&
	! grep -q '^reference/file' "$tmp/all"
ok $? all_pairs_and_workloads_listed
# The preset: the farthest pair of CPU nodes (not the CPU-less node 2, farther still), 1 GiB,
# move_pages batch:all on 4K pages and THP, the copy bound; no tiering run.
"$pmig" bench --preset garg-2025 --out "$tmp/p.json" -- --benchmark_list_tests >"$tmp/preset" 2>"$tmp/err"
rc=$?
want="memcpy/anon/1G/0to1/threads:1 memcpy/anon/1G/0to1/threads:$(getconf _NPROCESSORS_ONLN | awk '{print ($1 > 2 ? $1 : 2)}') move_pages/anon/1G/0to1/batch:all move_pages/thp/1G/0to1/batch:all"
got=$(sed 's|/iterations:10/manual_time$||' "$tmp/preset" | tr '\n' ' ')
[ "$rc" = 0 ] && [ "$got" = "$want " ]
ok $? preset_lists_its_cases_on_the_farthest_cpu_pair
[ "$rc" = 0 ] || sed 's/^/# /' "$tmp/err" "$tmp/preset"
export HWLOC_XMLFILE=$fixtures/2node-memless.xml
expect_error preset_one_memory_node_skips 4 "pmig bench: 1 memory node here" "$pmig" bench --preset garg-2025
unset HWLOC_XMLFILE

# This machine: with one memory node there is nothing to measure (exit 4, one line).
nodes=$("$pmig" topo | sed -n 's/^nodes: [0-9]* (memory: \([0-9]*\).*/\1/p')
if [ "${nodes:-0}" -lt 2 ]; then
	expect_error one_memory_node_skips 4 "pmig bench: 1 memory node" "$pmig" bench --quick
else
	echo "ok $((tap_n += 1)) one_memory_node_skips # SKIP this machine has $nodes memory nodes"
fi
"$pmig" bench --help | grep -q '^usage: pmig bench'
ok $? help_on_stdout
exit $tap_failed
