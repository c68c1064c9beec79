#!/bin/bash
# report-tiering.t - `pmig report`'s Tiering section on two kernels' tiering runs (results/tests/data): the convergence plot with promote and demote side by side, a plot per strategy, one table for every kernel; the migration benchmarks' table and kernel comparison leave tiering runs out; a bad timeline is left out and said.
set -u
pmig="$(cd "$(dirname "$0")/.." && pwd)/pmig"
data="$(cd "$(dirname "$0")/../.." && pwd)/results/tests/data"
# shellcheck source=scripts/tests/tap.sh
. "$(dirname "$0")/tap.sh"

echo "TAP version 13"
echo "1..18"

# Two kernels' runs: 6.12 on hardware (with a migration benchmark beside), 6.1 under icount.
mkdir -p "$tmp/run/k612" "$tmp/run/k61"
cp "$data/tiering-6.12.json" "$tmp/run/k612/bench.json"
cp "$data/tiering-6.1.json" "$tmp/run/k61/bench.json"
"$pmig" report "$tmp/run" >"$tmp/out" 2>"$tmp/err"
ok $? report_exits_0
md=$tmp/run/report.md
[ ! -s "$tmp/err" ] && grep -q '^## Tiering$' "$md"
ok $? tiering_section

# The convergence figure: both workloads side by side, one line per strategy with a timeline.
gp=$tmp/run/plots/k612-bench-tiering.gp
grep -q 'set multiplot layout 1,2 ' "$gp" &&
	[ "$(grep -o ' index [0-9]* using 1:2 ' "$gp" | wc -l)" = 6 ] &&
	grep -q 'title "demote_reclaim (not converged)"' "$gp" &&
	grep -q 'title "numab_promote (18 wrong)"' "$gp" && grep -q 'title "tier_user"' "$gp" &&
	grep -q 'set title "promote: hot pages on the near node (near 0, far 2)"' "$gp"
ok $? convergence_promote_and_demote_side_by_side
# 6.1: two strategies unavailable (no line, the reason under the plot), one failed (dashed).
gp=$tmp/run/plots/k61-bench-tiering.gp
[ "$(grep -o ' index [0-9]* using 1:2 ' "$gp" | wc -l)" = 4 ] &&
	grep -q 'dt 2 title "demote_reclaim (FAILED)"' "$gp" &&
	grep -q '^No line for damon_migrate_hot/promote: unavailable: DAMOS action migrate_hot needs Linux 6.11' "$md"
ok $? unavailable_has_no_line_and_says_why
grep -q 'set multiplot layout 2,3 ' "$tmp/run/plots/k612-bench-tiering-strategies.gp" &&
	grep -q 'set multiplot layout 2,2 ' "$tmp/run/plots/k61-bench-tiering-strategies.gp"
ok $? a_plot_per_strategy

# Every tiering plot: a valid SVG, in the Markdown, inlined in the HTML; the icount one labelled.
bad=0
for p in k612-bench-tiering k612-bench-tiering-strategies k61-bench-tiering k61-bench-tiering-strategies; do
	f=$tmp/run/plots/$p.svg
	xmllint --noout "$f" 2>/dev/null || bad=1
	grep -q "](plots/$p.svg)" "$md" || bad=1
done
grep -q 'DETERMINISTIC: instruction-counted' "$tmp/run/plots/k61-bench-tiering.svg" &&
	grep -q 'DETERMINISTIC: instruction-counted' "$tmp/run/plots/k61-bench-tiering-strategies.svg" &&
	! grep -q 'DETERMINISTIC\|EMULATED' "$tmp/run/plots/k612-bench-tiering.svg" || bad=1
grep -q 'instruction-time s' "$tmp/run/plots/k61-bench-tiering.gp" || bad=1
ok $bad plots_valid_labelled_and_in_markdown
# The three migration plots of 6.12's move_pages and the four tiering plots, all inlined.
[ "$(grep -c '<img alt="[^"]*" src="data:image/svg+xml;base64,' "$tmp/run/report.html")" = 7 ] &&
	xmllint --html --noout "$tmp/run/report.html" 2>/dev/null
ok $? html_inlines_them

# One table for both kernels: the older first, every run, the reasons.
table=$(sed -n '/^### Figures per kernel$/,/^$/d; /^| kernel | strategy |/,/^$/p' "$md")
[ "$(echo "$table" | grep -c '^| 6\.')" = 12 ] &&
	[ "$(echo "$table" | sed -n 3p | cut -d'|' -f2)" = " 6.1.0-50-amd64, instruction time " ] &&
	[ "$(echo "$table" | sed -n 14p | cut -d'|' -f2-3)" = " 6.12.57+deb13-amd64 | tier_user " ]
ok $? one_table_every_kernel_oldest_first
echo "$table" | grep -q '^| 6.1.0-50-amd64, instruction time | damon_migrate_hot | promote | 16M | 2 -> 0 | SKIP unavailable: DAMOS action migrate_hot needs Linux 6.11' &&
	echo "$table" | grep -q '| demote_reclaim | demote | 16M | 0 -> 2 | FAIL failed: page 1834 read back wrong after the run |' &&
	grep -q '<td class="SKIP">SKIP unavailable: ' "$tmp/run/report.html"
ok $? unavailable_and_failed_with_reason
echo "$table" | grep -q '^| 6.12.57+deb13-amd64 | numab_promote (rate limit 65536 MB/s) | promote | 16M | 2 -> 0 | FAIL goal not reached: moved 1024/1024 goal pages, 18 wrong, 0 swapped, t90 3.4 s, t100 4.6 s | 2.1 s | 3.4 s | 4.6 s | 223 | 1024/1024 | 18 | 0 | 0 | 312 ms | 0 | pgpromote_success 1042, numa_pages_migrated 1042, pgmigrate_success 1042 |$' &&
	echo "$table" | grep -q '| tier_user | promote | 16M | 2 -> 0 | DONE converged | 550 ms | 950 ms | 1.2 s | 853 | 1024/1024 | 0 | 0 |'
ok $? figures_and_counters

# Only a run that put every goal page in place within its limit, none wrong, is DONE (green):
# one short of its goal (150 sent to swap, t100 never) or with pages moved that should have
# stayed is a FAIL with its figures, in the table and coloured so in the HTML.
echo "$table" | grep -q '| demote_reclaim | demote | 16M | 0 -> 2 | FAIL goal not reached: moved 2871/3072 goal pages, 0 wrong, 150 swapped, t90 6.8 s, t100 never (watched 30 s) | 1.5 s | 6.8 s | - | 95.7 | 2871/3072 | 0 | 150 | 183 ms |' &&
	echo "$table" | grep -q '| 6.12.57+deb13-amd64 | damon_migrate_hot | promote | 16M | 2 -> 0 | FAIL goal not reached: moved 1024/1024 goal pages, 40 wrong, ' &&
	[ "$(echo "$table" | grep -c '| DONE converged |')" = 5 ] && [ "$(echo "$table" | grep -c '| FAIL goal not reached: ')" = 4 ]
ok $? short_of_the_goal_is_a_fail_with_its_figures
html=$tmp/run/report.html
[ "$(grep -c '<td class="FAIL">FAIL goal not reached: ' "$html")" = 4 ] &&
	[ "$(grep -c '<td class="DONE">DONE converged</td>' "$html")" = 5 ] &&
	! grep -q '<td class="DONE">DONE not converged' "$html"
ok $? html_colours_only_the_goal_reached_green

# The migration benchmarks' table: 6.12's move_pages only, no tiering run.
bench=$(sed -n '/^### k612\/bench.json$/,/^#### /p' "$md")
echo "$bench" | grep -q '^1 benchmarks (and tiering runs: see Tiering)' &&
	echo "$bench" | grep -q '^| move_pages/anon/32K/0to1/batch:1/' &&
	! echo "$bench" | grep -q 'numab_promote\|tier_user' &&
	sed -n '/^### k61\/bench.json$/,/^### /p' "$md" | grep -q 'The file holds tiering runs only.'
ok $? benchmark_table_leaves_tiering_out

# Two instruction-counted kernels with tiering runs only: no kernel comparison.
mkdir -p "$tmp/icount/a" "$tmp/icount/b"
cp "$data/tiering-6.1.json" "$tmp/icount/a/bench.json"
sed 's/6\.1\.0-50-amd64/6.12.57+deb13-amd64/' "$data/tiering-6.1.json" >"$tmp/icount/b/bench.json"
"$pmig" report "$tmp/icount" >/dev/null 2>&1 &&
	! grep -q 'Kernels compared' "$tmp/icount/report.md" &&
	[ ! -e "$tmp/icount/bench-matrix.tsv" ] && grep -q '^## Tiering$' "$tmp/icount/report.md"
ok $? kernel_comparison_leaves_tiering_out

# Three boots of one kernel and machine, the third's tier_user promote run 2% longer: one
# table of the runs across boots, that run's spread 2%, every other 0 (not the kernels
# above, each one boot). A fourth boot's tier_user promote run without the TLB refresher
# is no boot of that run.
mkdir -p "$tmp/boots/1" "$tmp/boots/2" "$tmp/boots/3" "$tmp/boots/4"
cp "$data/tiering-6.1.json" "$tmp/boots/1/bench.json"
cp "$data/tiering-6.1.json" "$tmp/boots/2/bench.json"
jq '(.benchmarks[] | select(.name | startswith("tier_user/promote"))).real_time *= 1.02' \
	"$data/tiering-6.1.json" >"$tmp/boots/3/bench.json"
jq '(.benchmarks[] | select(.name | startswith("tier_user/promote"))) |= (.real_time *= 2 | .pmig.tlb_refresh_us = 0)' \
	"$data/tiering-6.1.json" >"$tmp/boots/4/bench.json"
"$pmig" report "$tmp/boots" >/dev/null 2>&1
boots=$(sed -n '/^### Across boots$/,/^#/p' "$tmp/boots/report.md")
echo "$boots" | grep -q '^| 6\.1\.0-50-amd64 (fixture) | tier_user/promote/16M/2to0 | 3 | 1\.3 s | 1\.3 s | 1\.33 s | 2\.00% | ' &&
	echo "$boots" | grep -q '^| 6\.1\.0-50-amd64 (fixture) | numab_promote/promote/16M/2to0 | 4 | .* | 0\.00% | ' &&
	[ "$(echo "$boots" | grep -c '^| 6\.1')" = 3 ] && ! grep -q 'Across boots' "$tmp/icount/report.md"
rc=$?
ok $rc runs_across_boots_with_their_spread
[ "$rc" = 0 ] || printf '%s\n' "$boots" | sed 's/^/# /'

# A timeline that goes back: that run is left out and said so (exit 2), the others stay.
mkdir -p "$tmp/bad"
jq '(.benchmarks[] | select(.name | startswith("tier_user/promote")) | .pmig.timeline.t_ns[3]) = 1' \
	"$data/tiering-6.12.json" >"$tmp/bad/bench.json"
"$pmig" report "$tmp/bad" >/dev/null 2>"$tmp/bad.err"
rc=$?
[ "$rc" = 2 ] && [ "$(wc -l <"$tmp/bad.err")" = 1 ] &&
	grep -q '^pmig report: bench.json: tier_user/promote/16M/2to0/iterations:1/manual_time: timeline "t_ns"\[3\] is 1 ' "$tmp/bad.err" &&
	grep -q 'Left out: bench.json: tier_user/promote' "$tmp/bad/report.md" &&
	[ "$(grep -c '^| 6\.12.* | numab_promote\|^| 6\.12.* | tier_user' "$tmp/bad/report.md")" = 2 ]
ok $? bad_timeline_left_out

# No tiering run: no section.
mkdir -p "$tmp/none"
jq '.benchmarks |= map(select(.pmig.kind != "tiering"))' "$data/tiering-6.12.json" >"$tmp/none/bench.json"
"$pmig" report "$tmp/none" >/dev/null 2>&1 && ! grep -q 'Tiering' "$tmp/none/report.md"
ok $? no_tiering_no_section

# The fixtures follow the schema; a share past 1 does not.
jq '(.benchmarks[] | select(.name | startswith("tier_user/promote")) | .pmig.timeline.goal[3]) = 1.5' \
	"$data/tiering-6.12.json" >"$tmp/share.json"
python3 - "$data/../../schema/bench-pmig.schema.json" "$data/tiering-6.12.json" "$data/tiering-6.1.json" "$tmp/share.json" <<'PY'
import json, sys, jsonschema
v = jsonschema.Draft7Validator(json.load(open(sys.argv[1])))
good = [not list(v.iter_errors(json.load(open(f)))) for f in sys.argv[2:]]
sys.exit(0 if good == [True, True, False] else 1)
PY
ok $? fixtures_follow_the_schema

exit $tap_failed
