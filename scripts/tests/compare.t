#!/bin/bash
# compare.t - `pmig compare`: two runs of one build are no regression (exit 0), one benchmark slowed by 20% is (exit 1), bad input is one line and exit 2, unmatched benchmarks are listed, plain-TCG timings refused unless --allow-emulated, figures of two QEMU CPU models refused.
set -u
pmig="$(cd "$(dirname "$0")/.." && pwd)/pmig"
data="$(cd "$(dirname "$0")" && pwd)/data/bench"
# shellcheck source=scripts/tests/tap.sh
. "$(dirname "$0")/tap.sh"

echo "TAP version 13"
echo "1..59"

slowed=move_pages/anon/512K/0to1/batch:16/iterations:3/manual_time

# compare NAME WANT_RC ARGS...: runs pmig compare into $tmp/NAME.out, checks the status.
compare() {
	local name=$1 want=$2 rc
	shift 2
	"$pmig" compare "$@" >"$tmp/$name.out" 2>"$tmp/$name.err"
	rc=$?
	[ "$rc" = "$want" ] || {
		echo "# $name: exit $rc, want $want"
		sed 's/^/# /' "$tmp/$name.err" "$tmp/$name.out" | head -40
	}
	ok $((rc != want)) "$name"
}

# A row's verdict: the last field(s) after the p column.
verdict() {
	grep -F "$2  " "$tmp/$1.out" | head -1
}

# pmig's raw per-call samples: a second run of the same build.
compare pmig_same_build 0 "$data/pmig-a.json" "$data/pmig-b.json"
grep -q '^result: no regression' "$tmp/pmig_same_build.out"
ok $? pmig_same_build_says_no_regression
grep -q '^rule: regression = median worse by >= 5% AND two-sided Mann-Whitney U p < 0.05' \
	"$tmp/pmig_same_build.out"
ok $? the_rule_is_stated
verdict pmig_same_build "$slowed" | grep -q ' 48/48 calls .* same$'
ok $? pmig_samples_are_the_raw_calls
compare pmig_identical 0 "$data/pmig-a.json" "$data/pmig-a.json"
verdict pmig_identical "$slowed" | grep -q '+0.0% *1.0000  same$'
ok $? identical_files_change_nothing

# One benchmark's samples 20% slower: that one, and only that one, regresses.
jq --arg b "$slowed" '(.benchmarks[] | select(.run_name == $b) | .pmig.call_ns) |= map(. * 1.2 | floor)' \
	"$data/pmig-a.json" >"$tmp/pmig-slow.json"
compare pmig_slowed 1 "$data/pmig-a.json" "$tmp/pmig-slow.json"
verdict pmig_slowed "$slowed" | grep -q '+20.0% *<0.0001  REGRESSION$'
ok $? slowed_benchmark_is_a_regression
[ "$(grep -c 'REGRESSION$' "$tmp/pmig_slowed.out")" = 1 ]
ok $? only_the_slowed_one_regresses
grep -qF "result: REGRESSION in 1 of 19 compared benchmarks: $slowed" "$tmp/pmig_slowed.out"
ok $? result_line_names_it
# The other way round it is 20% faster: an improvement, exit 0.
compare pmig_faster 0 "$tmp/pmig-slow.json" "$data/pmig-a.json"
verdict pmig_faster "$slowed" | grep -q ' improvement$'
ok $? faster_is_an_improvement

# Plain Google Benchmark JSON: one sample per repetition, aggregates ignored.
compare gbench_same_build 0 "$data/gbench-a.json" "$data/gbench-b.json"
verdict gbench_same_build "$slowed" | grep -q ' 10/10 reps .* same$'
ok $? gbench_samples_are_the_repetitions
jq --arg b "$slowed" '(.benchmarks[] | select(.run_name == $b and .run_type == "iteration") | .real_time) |= . * 1.2' \
	"$data/gbench-a.json" >"$tmp/gbench-slow.json"
compare gbench_slowed 1 "$data/gbench-a.json" "$tmp/gbench-slow.json"
[ "$(grep -c 'REGRESSION$' "$tmp/gbench_slowed.out")" = 1 ] &&
	verdict gbench_slowed "$slowed" | grep -q 'REGRESSION$'
ok $? gbench_slowed_benchmark_is_a_regression
# Throughput down is worse: bytes_per_second 20% lower regresses.
jq --arg b "$slowed" '(.benchmarks[] | select(.run_name == $b and .run_type == "iteration") | .bytes_per_second) |= . / 1.2' \
	"$data/gbench-a.json" >"$tmp/gbench-lowbw.json"
compare throughput_down 1 --metric bytes_per_second "$data/gbench-a.json" "$tmp/gbench-lowbw.json"
# Two repetitions a side are too few for any verdict, however slow.
jq --arg b "$slowed" '.benchmarks |= map(select(.run_name != $b or .repetition_index < 2))' \
	"$tmp/gbench-slow.json" >"$tmp/gbench-two.json"
jq --arg b "$slowed" '.benchmarks |= map(select(.run_name != $b or .repetition_index < 2))' \
	"$data/gbench-a.json" >"$tmp/gbench-two-base.json"
compare too_few_samples 0 "$tmp/gbench-two-base.json" "$tmp/gbench-two.json"
verdict too_few_samples "$slowed" | grep -q ' 2/2 reps .*insufficient samples$'
ok $? too_few_samples_is_insufficient_not_regression

# Skipped and errored benchmarks are reported as such.
verdict pmig_same_build move_pages/hugetlb/2M/0to1/batch:all/iterations:3/manual_time | grep -q 'skipped in both: no free hugetlb pages$'
ok $? skipped_benchmark_is_reported
jq --arg b "$slowed" '(.benchmarks[] | select(.run_name == $b)) |= (.error_occurred = true | .error_message = "page 3 on node 0, not 1" | .pmig.status = "failed" | .pmig.message = "page 3 on node 0, not 1")' \
	"$data/pmig-a.json" >"$tmp/pmig-failed.json"
compare errored_is_not_a_regression 0 "$data/pmig-a.json" "$tmp/pmig-failed.json"
verdict errored_is_not_a_regression "$slowed" | grep -q 'error in new: page 3 on node 0, not 1$'
ok $? errored_benchmark_is_reported

# Benchmarks in one file only are listed, never dropped silently.
jq '.benchmarks |= map(select(.pmig.strategy != "swap"))' "$data/pmig-a.json" >"$tmp/noswap.json"
jq '.benchmarks += [.benchmarks[0] | .name = "move_pages/new_kind/4K/0to1" | .run_name = .name]' \
	"$tmp/noswap.json" >"$tmp/extra.json"
compare mismatched_sets 0 "$data/pmig-a.json" "$tmp/extra.json"
grep -q '^only in base, not compared: swap/anon/.*, swap/thp/' "$tmp/mismatched_sets.out" &&
	grep -q '^only in new, not compared: move_pages/new_kind/4K/0to1$' "$tmp/mismatched_sets.out" &&
	grep -q '3 only in one file)$' "$tmp/mismatched_sets.out"
ok $? mismatched_sets_are_listed

# Bad input: one stderr line, exit 2.
echo '{"benchmarks": [' >"$tmp/truncated.json"
expect_error malformed_json 2 "pmig compare: $tmp/truncated.json: not JSON" \
	"$pmig" compare "$data/pmig-a.json" "$tmp/truncated.json"
echo '{"context": {}}' >"$tmp/nobench.json"
expect_error not_google_benchmark 2 "pmig compare: $tmp/nobench.json: not Google Benchmark JSON" \
	"$pmig" compare "$tmp/nobench.json" "$data/pmig-a.json"
jq '.benchmarks[0].pmig.call_ns = ["fast"]' "$data/pmig-a.json" >"$tmp/badsamples.json"
expect_error bad_samples 2 "pmig compare: $tmp/badsamples.json: move_pages" \
	"$pmig" compare "$data/pmig-a.json" "$tmp/badsamples.json"
expect_error missing_file 2 "pmig compare: $tmp/none.json: cannot read" \
	"$pmig" compare "$data/pmig-a.json" "$tmp/none.json"
expect_error one_file 2 "pmig compare: needs BASE.json and NEW.json" \
	"$pmig" compare "$data/pmig-a.json"
expect_error bad_alpha 2 "pmig compare: bad --alpha" \
	"$pmig" compare --alpha 1.5 "$data/pmig-a.json" "$data/pmig-b.json"

# Bad data: refused (one line naming the file and the benchmark), never
# dropped from the samples, which would leave "insufficient samples" and exit 0.
# jq cannot write NaN or Infinity: a marker string becomes the bare word.
bad_time() { # OUT FILE JQ-PATH VALUE: FILE with JQ-PATH of the slowed benchmark's first repetition set to VALUE
	jq --arg b "$slowed" "(first(.benchmarks[] | select(.run_name == \$b)) | $3) |= \"MARK\"" "$2" |
		sed "s/\"MARK\"/$4/" >"$1"
}
bad_time "$tmp/nan.json" "$data/gbench-a.json" .real_time NaN
expect_error nan_real_time 2 "pmig compare: $tmp/nan.json: $slowed: \"real_time\" is nan" \
	"$pmig" compare "$data/gbench-a.json" "$tmp/nan.json"
bad_time "$tmp/inf.json" "$data/gbench-a.json" .real_time Infinity
expect_error infinite_real_time 2 "pmig compare: $tmp/inf.json: $slowed: \"real_time\" is inf" \
	"$pmig" compare "$data/gbench-a.json" "$tmp/inf.json"
bad_time "$tmp/neg.json" "$data/gbench-a.json" .real_time -5
expect_error negative_real_time_in_new 2 "pmig compare: $tmp/neg.json: $slowed: \"real_time\" is -5" \
	"$pmig" compare "$data/gbench-a.json" "$tmp/neg.json"
expect_error negative_real_time_in_base 2 "pmig compare: $tmp/neg.json: $slowed: \"real_time\" is -5" \
	"$pmig" compare "$tmp/neg.json" "$data/gbench-a.json"
jq --arg b "$slowed" '(first(.benchmarks[] | select(.run_name == $b))) |= del(.real_time)' \
	"$data/gbench-a.json" >"$tmp/notime.json"
expect_error missing_real_time 2 "pmig compare: $tmp/notime.json: $slowed: no \"real_time\"" \
	"$pmig" compare "$data/gbench-a.json" "$tmp/notime.json"
bad_time "$tmp/nancall.json" "$data/pmig-a.json" '.pmig.call_ns[2]' NaN
expect_error nan_call_ns 2 "pmig compare: $tmp/nancall.json: $slowed: \"call_ns\"\\[2\\] is nan" \
	"$pmig" compare "$data/pmig-a.json" "$tmp/nancall.json"
bad_time "$tmp/negiter.json" "$data/pmig-a.json" '.pmig.iteration_ns[0]' -1
expect_error negative_iteration_ns 2 "pmig compare: $tmp/negiter.json: $slowed: \"iteration_ns\"\\[0\\] is -1" \
	"$pmig" compare "$tmp/negiter.json" "$data/pmig-a.json"

# A --metric that no benchmark has compares nothing: refused, not "no regression".
expect_error unknown_metric 2 "pmig compare: --metric nosuch: no benchmark in $data/gbench-a.json or $data/gbench-b.json has it" \
	"$pmig" compare --metric nosuch "$data/gbench-a.json" "$data/gbench-b.json"
# One benchmark without it: that one is named, the others compared.
jq --arg b "$slowed" '(.benchmarks[] | select(.run_name == $b)) |= del(.bytes_per_second)' \
	"$data/gbench-b.json" >"$tmp/nobw.json"
compare metric_missing_in_one 0 --metric bytes_per_second "$data/gbench-a.json" "$tmp/nobw.json"
verdict metric_missing_in_one "$slowed" | grep -q ' no bytes_per_second in new$' &&
	grep -q '; 1 without bytes_per_second)$' "$tmp/metric_missing_in_one.out"
ok $? metric_missing_benchmark_is_named

# Names that match nothing: every benchmark "only in one file" would pass.
jq '.benchmarks[] |= (.name |= "renamed/" + . | .run_name |= "renamed/" + .)' \
	"$data/gbench-b.json" >"$tmp/renamed.json"
expect_error no_benchmark_in_common 2 "pmig compare: $tmp/renamed.json: no benchmark name in common with $data/gbench-a.json" \
	"$pmig" compare "$data/gbench-a.json" "$tmp/renamed.json"

# The same benchmark timed in us in one file and ns in the other.
jq --arg b "$slowed" '(.benchmarks[] | select(.run_name == $b)) |= (.time_unit = "us" | .real_time /= 1000)' \
	"$data/gbench-b.json" >"$tmp/us.json"
expect_error mixed_time_units 2 "pmig compare: $tmp/us.json: $slowed: time unit us, but ns in $data/gbench-a.json" \
	"$pmig" compare "$data/gbench-a.json" "$tmp/us.json"

# A large file is read piece by piece: 500 benchmarks of 4000 raw calls
# (18 MB, 2 million samples, 16 MB as doubles for both files) in well under
# the 340 MB a whole json-c tree of it took.
"$(dirname "$0")/data/bench/make-large.sh" 500 4000 >"$tmp/large.json"
/usr/bin/time -f %M -o "$tmp/large.rss" "$pmig" compare "$tmp/large.json" "$tmp/large.json" >"$tmp/large.out" 2>&1
rc=$?
rss=$(cat "$tmp/large.rss")
echo "# large file: exit $rc, peak RSS $rss KiB"
[ "$rc" = 0 ] && grep -q '^result: no regression (500 compared: 500 same,' "$tmp/large.out"
ok $? large_file_compares_every_benchmark
[ "$rss" -lt 100000 ]
ok $? large_file_in_bounded_memory

# The kept icount baseline of the default VM, against itself: the CI gate runs.
base="$(cd "$(dirname "$0")/../.." && pwd)/results/baseline/icount-bench-quick.json"
"$pmig" compare "$base" "$base" >"$tmp/out" 2>&1 &&
	grep -q '^result: no regression (7 compared' "$tmp/out"
ok $? baseline_against_itself

# Plain-TCG timings (QEMU without icount: noise of the emulation, not speed) are refused,
# one line naming the file and --clock icount, exit 2, on either side or both; the fixtures
# above are a host's ("bare metal").
tcg() { # FILE OUT: FILE relabelled as pmig bench writes it under plain TCG
	jq '.context.pmig_emulation = "emulated (QEMU TCG)"' "$1" >"$2"
}
tcg "$data/pmig-a.json" "$tmp/tcg-a.json"
tcg "$data/pmig-b.json" "$tmp/tcg-b.json"
tcg "$tmp/pmig-slow.json" "$tmp/tcg-slow.json"
expect_error plain_tcg_is_refused 2 \
	"pmig compare: $tmp/tcg-a.json and $tmp/tcg-b.json: plain-TCG timings (\"emulated (QEMU TCG)\": .*pmig vm --clock icount, or compare them anyway with --allow-emulated$" \
	"$pmig" compare "$tmp/tcg-a.json" "$tmp/tcg-b.json"
expect_error plain_tcg_new_is_refused 2 "pmig compare: $tmp/tcg-b.json: plain-TCG timings" \
	"$pmig" compare "$data/pmig-a.json" "$tmp/tcg-b.json"
expect_error plain_tcg_base_is_refused 2 "pmig compare: $tmp/tcg-a.json: plain-TCG timings" \
	"$pmig" compare "$tmp/tcg-a.json" "$data/pmig-b.json"
# A context with only Google Benchmark's own "emulation" key says it too.
jq '.context |= (del(.pmig_emulation) | .emulation = "tcg")' "$data/pmig-b.json" >"$tmp/emu-tcg.json"
expect_error plain_emulation_key_is_refused 2 "pmig compare: $tmp/emu-tcg.json: plain-TCG timings (\"tcg\"" \
	"$pmig" compare "$data/pmig-a.json" "$tmp/emu-tcg.json"
# Asked for: compared as before, and said to be functional only, above and in the result.
compare plain_tcg_allowed 0 --allow-emulated "$tmp/tcg-a.json" "$tmp/tcg-b.json"
grep -q '^timings: plain-TCG in base and new (QEMU without icount): functional only, not a measure of speed; compared as --allow-emulated asks$' \
	"$tmp/plain_tcg_allowed.out" &&
	grep -q '^result: no regression (19 compared: .*); plain-TCG timings, functional only$' "$tmp/plain_tcg_allowed.out"
ok $? allowed_plain_tcg_says_functional_only
compare plain_tcg_allowed_regression 1 --allow-emulated "$tmp/tcg-a.json" "$tmp/tcg-slow.json"
grep -qF "result: REGRESSION in 1 of 19 compared benchmarks: $slowed; plain-TCG timings, functional only" \
	"$tmp/plain_tcg_allowed_regression.out" &&
	! grep -q 'plain-TCG' "$tmp/pmig_slowed.out"
ok $? allowed_plain_tcg_regression_is_said_so
# Instruction counts against plain TCG are different units, allowed or not (vm-icount.t's gate).
tcg "$base" "$tmp/base-tcg.json"
expect_error icount_against_plain_tcg 2 "pmig compare: $base is instruction-counted and $tmp/base-tcg.json is not" \
	"$pmig" compare --allow-emulated "$base" "$tmp/base-tcg.json"
# Figures counted on two QEMU CPU models are refused, whatever the clock (the kernel
# copies pages with other instructions on each); a file that records none, like the
# baseline from before pmig_cpu_model, is compared as before.
jq '.context.pmig_cpu_model = "qemu64"' "$base" >"$tmp/base-qemu64.json"
jq '.context.pmig_cpu_model = "max"' "$base" >"$tmp/base-max.json"
expect_error cpu_models_differ 2 "pmig compare: $tmp/base-qemu64.json was counted on QEMU CPU model qemu64 and $tmp/base-max.json on max: .*pmig vm --cpu$" \
	"$pmig" compare "$tmp/base-qemu64.json" "$tmp/base-max.json"
tcg "$tmp/base-max.json" "$tmp/tcg-max.json"
tcg "$tmp/base-qemu64.json" "$tmp/tcg-qemu64.json"
expect_error cpu_models_differ_allowed_tcg 2 "pmig compare: $tmp/tcg-max.json was counted on QEMU CPU model max and" \
	"$pmig" compare --allow-emulated "$tmp/tcg-max.json" "$tmp/tcg-qemu64.json"
"$pmig" compare "$base" "$tmp/base-qemu64.json" >"$tmp/out" 2>&1 &&
	"$pmig" compare "$tmp/base-max.json" "$tmp/base-max.json" >>"$tmp/out" 2>&1
ok $? cpu_model_unrecorded_or_same_is_compared

# Tiering runs (time to converge, or the run's limit) are listed, never compared.
tiering="$(cd "$(dirname "$0")/../.." && pwd)/results/tests/data"
"$pmig" compare "$tiering/tiering-6.12.json" "$tiering/tiering-6.12.json" >"$tmp/out" 2>&1 &&
	grep -q '^tiering runs, not compared (pmig report shows them): numab_promote/promote/16M/2to0/' "$tmp/out" &&
	grep -q '^result: no regression (1 compared: .*; 6 tiering runs not compared)$' "$tmp/out" &&
	! grep -q '^numab_promote.* same$' "$tmp/out"
ok $? tiering_runs_listed_not_compared
expect_error only_tiering_in_common 2 \
	"pmig compare: $tiering/tiering-6.1.json: no migration benchmark in common with .*, only 6 tiering runs" \
	"$pmig" compare "$tiering/tiering-6.1.json" "$tiering/tiering-6.1.json"

exit $tap_failed
