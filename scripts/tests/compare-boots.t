#!/bin/bash
# compare-boots.t - `pmig compare BASE... -- NEW...` and --spread on synthetic boots made from the committed icount baseline: boots that differ within their spread pass, a 2% shift across boots with a small spread is flagged with its interval, a --layout floor keeps one-mode sides from a false alarm, bad input is one line and exit 2.
set -u
here=$(cd "$(dirname "$0")" && pwd)
pmig=$here/../pmig
base=$here/../../results/baseline/icount-bench-quick.json
# shellcheck source=scripts/tests/tap.sh
. "$here/tap.sh"

echo "TAP version 13"
echo "1..31"

b1=move_pages/anon/1M/0to1/batch:1/
# boot NAME FACTOR [BENCH_PREFIX]: the baseline with every sample of every
# benchmark (or of those whose name starts with BENCH_PREFIX) times FACTOR, as
# another boot of it would be with a layout (or a real) change.
boot() {
	jq --argjson f "$2" --arg p "${3:-}" '(.benchmarks[] | select(.name | startswith($p))) |=
		(.real_time *= $f | .pmig.call_ns |= map(. * $f) | .pmig.iteration_ns |= map(. * $f))' \
		"$base" >"$tmp/$1.json"
}
# Three base boots and three new ones spread by 0.3%, as bookworm's layouts are.
boot b1 1.000
boot b2 1.003
boot b3 0.998
boot n1 1.002
boot n2 0.999
boot n3 1.001
# The new side 2% slower in batch:1 only, with the same small spread.
boot s1 1.020 "$b1"
boot s2 1.023 "$b1"
boot s3 1.018 "$b1"
B=("$tmp/b1.json" "$tmp/b2.json" "$tmp/b3.json")

"$pmig" compare "${B[@]}" -- "$tmp/n1.json" "$tmp/n2.json" "$tmp/n3.json" >"$tmp/same" 2>&1
ok $? layout_spread_boots_pass
sed 's/^/# /' "$tmp/same"
grep -q '^result: no regression (7 compared: 7 same, 0 improved; 1 not compared)$' "$tmp/same"
ok $? every_benchmark_same
grep -q '^rule: each file is one boot, its median one value; effect = ratio of the sides.* 95% Welch t interval .* regression = the whole interval worse by >= 1%' "$tmp/same"
ok $? the_rule_is_stated_with_the_icount_threshold
grep -q '^base: .*b1.json .*b2.json .*b3.json$' "$tmp/same" && grep -q '^new: .*n1.json .*n2.json .*n3.json$' "$tmp/same"
ok $? the_sides_are_named

"$pmig" compare "${B[@]}" -- "$tmp/s1.json" "$tmp/s2.json" "$tmp/s3.json" >"$tmp/slow" 2>&1
ok $(($? != 1)) two_percent_across_boots_is_flagged
sed 's/^/# /' "$tmp/slow"
grep -q "^result: REGRESSION in 1 of 7 compared benchmarks: $b1" "$tmp/slow"
ok $? only_batch_1_regresses
# Its row: effect +2.0% (geometric means 1.0003 and 1.0203) and an
# interval around it that excludes 1%.
grep -F "$b1" "$tmp/slow" | grep -qE ' 3/3 .* \+2\.0[0-9]%  \[\+1\.[0-9]{2}%, \+2\.[0-9]{2}%\]  REGRESSION$'
ok $? the_row_has_effect_and_interval
# The other way round it is an improvement, exit 0.
"$pmig" compare "$tmp/s1.json" "$tmp/s2.json" "$tmp/s3.json" -- "${B[@]}" >"$tmp/fast" 2>&1
ok $? faster_is_no_regression
grep -F "$b1" "$tmp/fast" | grep -q ' improvement$'
ok $? faster_is_an_improvement
# The same 2% within a 3% spread is no evidence.
boot w1 0.985
boot w2 1.015
boot v1 1.005 "$b1"
boot v2 1.035 "$b1"
"$pmig" compare "$tmp/w1.json" "$tmp/w2.json" -- "$tmp/v1.json" "$tmp/v2.json" >"$tmp/wide" 2>&1
ok $? two_percent_within_a_wide_spread_passes

# --spread: the pool's medians per benchmark; its sd is the --layout floor.
"$pmig" compare --spread "${B[@]}" "$tmp/n1.json" "$tmp/n2.json" "$tmp/n3.json" >"$tmp/spread.txt" 2>"$tmp/err"
ok $? spread_runs
sed 's/^/# /' "$tmp/spread.txt"
grep -F "$b1" "$tmp/spread.txt" | grep -qE '^[^ ]+ +6 +[0-9.]+ +[0-9.]+ +0\.50% +0\.19%$'
ok $? spread_row_min_max_range_sd
# A boot's value is the median of its per-call samples (pmig's call_ns), not of
# its repetitions: the lowest boot, b3, gives the minimum.
want=$(jq --arg p "$b1" '[.benchmarks[] | select(.name | startswith($p)) | .pmig.call_ns[]] | sort |
	if length % 2 == 1 then .[length / 2 | floor] else (.[length / 2 - 1] + .[length / 2]) / 2 end' "$tmp/b3.json")
grep -F "$b1" "$tmp/spread.txt" | awk -v w="$want" '{ d = $3 / w - 1; exit !(w > 0 && d < 1e-9 && d > -1e-9) }'
ok $? a_boot_is_the_median_of_its_calls
# Both sides in one layout mode each, 2.5% apart: no spread within a side.
boot m1 1.025
cp "$tmp/m1.json" "$tmp/m2.json"
cp "$tmp/b1.json" "$tmp/a2.json"
"$pmig" compare "$tmp/b1.json" "$tmp/a2.json" -- "$tmp/m1.json" "$tmp/m2.json" >"$tmp/mode" 2>&1
ok $(($? != 1)) one_mode_sides_without_a_floor_are_flagged
sed "s|^\($b1[^ ]*\) .*|\1  6  1 1  2.50%  1.30%|" "$tmp/spread.txt" >"$tmp/layout.txt"
"$pmig" compare --layout "$tmp/layout.txt" "$tmp/b1.json" "$tmp/a2.json" -- "$tmp/m1.json" "$tmp/m2.json" >"$tmp/floor" 2>&1
rc=$?
sed 's/^/# /' "$tmp/floor"
[ "$rc" = 1 ] && grep -q "^result: REGRESSION in 6 of 7 compared benchmarks" "$tmp/floor" &&
	grep -F "$b1" "$tmp/floor" | grep -qE ' 1\.30% +\+2\.50% .* same$'
ok $? layout_floor_keeps_the_measured_spread_benchmark_same

# The two-file form is the old rule, unchanged.
"$pmig" compare "$tmp/b1.json" "$tmp/n1.json" >"$tmp/two" 2>&1
grep -q '^rule: regression = median worse by >= 1% AND two-sided Mann-Whitney U' "$tmp/two"
ok $? two_files_keep_the_sample_rule

# Bad input: one line, exit 2.
expect_error one_file_a_side 2 "pmig compare: 1 base and 3 new files: several boots a side need at least 2" \
	"$pmig" compare "$tmp/b1.json" -- "$tmp/n1.json" "$tmp/n2.json" "$tmp/n3.json"
expect_error empty_new_side 2 "pmig compare: 3 base and 0 new files" "$pmig" compare "${B[@]}" --
jq '.context.pmig_emulation = "emulated (QEMU TCG)"' "$tmp/n3.json" >"$tmp/tcg.json"
expect_error mixed_clocks 2 "pmig compare: .*b1.json is instruction-counted and .*tcg.json is not" \
	"$pmig" compare "${B[@]}" -- "$tmp/n1.json" "$tmp/tcg.json"
expect_error spread_of_one 2 "pmig compare: --spread needs at least 2 files" "$pmig" compare --spread "$tmp/b1.json"
expect_error layout_without_sides 2 "pmig compare: --layout is for several boots a side" \
	"$pmig" compare --layout "$tmp/layout.txt" "$tmp/b1.json" "$tmp/n1.json"
echo 'move_pages/x 3 1 1 0.5% lots' >"$tmp/bad-layout.txt"
expect_error bad_layout_line 2 "pmig compare: --layout .*bad-layout.txt:1: not a line of pmig compare --spread" \
	"$pmig" compare --layout "$tmp/bad-layout.txt" "${B[@]}" -- "$tmp/n1.json" "$tmp/n2.json"
expect_error options_after_the_separator 2 "pmig compare: .*--alpha" \
	"$pmig" compare "${B[@]}" -- "$tmp/n1.json" --alpha 0.1 "$tmp/n2.json"

# pmig matrix --bench --boots K: boots 2..K of each run one level down with
# pmig.perturb=i, and each knob judged against its kernel's defaults with K
# boots a side. A stand-in pmig whose vm boots nothing writes the baseline,
# 3% faster under init_on_alloc=0 and moved by 0.2% under a perturb seed.
cat >"$tmp/fakepmig" <<EOF
#!/bin/bash
[ "\$1" = vm ] || exec "$pmig" "\$@"
while [ \$# -gt 0 ]; do
	case "\$1" in --out) out=\$2; shift 2 ;; --append) app=\$2; shift 2 ;; --) break ;; *) shift ;; esac
done
f=1
case "\${app:-}" in *pmig.perturb=2*) f=1.002 ;; *pmig.perturb=3*) f=0.999 ;; esac
case "\${app:-}" in *init_on_alloc=0*) f=\$(awk -v f=\$f 'BEGIN { print f * 0.97 }') ;; esac
mkdir -p "\$out" && printf 'kernel=debian:bookworm\nemulation=tcg-icount\nappend=%s\n' "\${app:-}" >"\$out/vm.txt"
jq --argjson f "\$f" '.benchmarks[] |= (.real_time *= \$f | .pmig.call_ns |= map(. * \$f) | .pmig.iteration_ns |= map(. * \$f))' \\
	"$base" >"\$out/bench.json"
EOF
chmod +x "$tmp/fakepmig"
PMIG_DRIVER=$tmp/fakepmig "$here/../vm/bench-matrix.sh" --kernels debian:bookworm --knobs init_on_alloc=0 \
	--boots 3 --out "$tmp/matrix" >"$tmp/matrix.md" 2>"$tmp/matrix.err"
ok $? matrix_with_three_boots_runs
grep -qx 'append=pmig.perturb=3 init_on_alloc=0' "$tmp/matrix/bookworm_init_on_alloc_0/boot-03/vm.txt" &&
	grep -qx 'append=pmig.perturb=2' "$tmp/matrix/bookworm/boot-02/vm.txt" &&
	grep -qx 'append=' "$tmp/matrix/bookworm/vm.txt"
ok $? boots_after_the_first_are_one_level_down_with_a_seed
grep -F '| bookworm | bookworm_init_on_alloc_0 | move_pages/anon/1M/0to1/batch:1 | 3/3 | -3.00% [' "$tmp/matrix.md" |
	grep -q '| improvement |$' && [ "$(grep -c '| 3/3 | .* | improvement |$' "$tmp/matrix.md")" = 7 ]
ok $? the_knob_is_judged_with_three_boots_a_side
expect_error matrix_bad_boots 2 "pmig matrix: --boots 'x' is not a number from 1 to 99" \
	"$pmig" matrix --bench --boots x
# bench/compare-errors.sh on synthetic pools: six layout boots are never
# flagged against each other; three 2% slower in batch:1 always are.
for f in b1 b2 b3 n1 n2 n3; do mkdir -p "$tmp/pool/boot-$f" && cp "$tmp/$f.json" "$tmp/pool/boot-$f/bench.json"; done
for f in s1 s2 s3; do mkdir -p "$tmp/slowpool/boot-$f" && cp "$tmp/$f.json" "$tmp/slowpool/boot-$f/bench.json"; done
"$here/../../bench/compare-errors.sh" --k 3 --pairs 4 "$tmp/pool" >"$tmp/errs" 2>&1 &&
	grep -qx 'flagged 0 of 4 pairs (0 regression, 0 improvement), K=3, seed 1' "$tmp/errs"
ok $? error_rate_same_pool_none_flagged
"$here/../../bench/compare-errors.sh" --k 3 --pairs 4 --bench "$b1" "$tmp/pool" "$tmp/slowpool" >"$tmp/errs" 2>&1 &&
	grep -q "^flagged 4 of 4 pairs (4 regression, 0 improvement) in $b1, K=3" "$tmp/errs"
ok $? error_rate_real_shift_all_flagged
expect_error error_rate_small_pool 2 "compare-errors: a pool of 6 boots: fewer than 2 x --k 4" \
	"$here/../../bench/compare-errors.sh" --k 4 "$tmp/pool"
expect_error layout_spread_bad_boots 2 "layout-spread: --boots '1' is not a number from 2 to 99" \
	"$here/../../bench/layout-spread.sh" --boots 1 --out "$tmp/x"
exit $tap_failed
