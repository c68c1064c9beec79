#!/bin/bash
# export.t - the CI exports: JUnit validates against results/schema/junit.xsd (Jenkins' junit-10.xsd rules, skips as <skipped/>), KCIDB has every field KCIDB v5.3 requires (benchmarks as DONE with a number; a tiering run DONE only where it reached its goal, else FAIL with its figures), benchmark JSON matches results/schema.
set -u
here="$(cd "$(dirname "$0")" && pwd)"
pmig="$here/../pmig"
data="$here/data"
xsd="$here/../../results/schema/junit.xsd"
kcidb_schema="$data/kcidb/v5.3-required.schema.json"
bench_schema="$here/../../results/schema/bench-pmig.schema.json"
# shellcheck source=scripts/tests/tap.sh
. "$(dirname "$0")/tap.sh"

echo "TAP version 13"
echo "1..26"

# jsonschema SCHEMA FILE: validates with Debian's python3-jsonschema (draft 7).
jsonschema() {
	/usr/bin/python3 -c '
import json, sys, jsonschema
schema = json.load(open(sys.argv[1]))
jsonschema.Draft7Validator.check_schema(schema)
errors = list(jsonschema.Draft7Validator(schema).iter_errors(json.load(open(sys.argv[2]))))
for e in errors[:5]:
    print("# %s: %s" % ("/".join(str(p) for p in e.absolute_path), e.message[:200]))
sys.exit(1 if errors else 0)' "$1" "$2"
}

# kcidb_required FILE: the fields KCIDB v5.3 requires (kernelci/kcidb-io
# kcidb_io/schema/v05_03.py: "required" of the top level, version, checkout,
# build, test and number), listed here and checked one by one with jq.
kcidb_required() {
	jq -e '
	def has_all($f): . as $o | all($f[]; . as $k | $o | has($k));
	has_all(["version"]) and (.version | has_all(["major"]))
	and all(.checkouts[]?; has_all(["id", "origin"]))
	and all(.builds[]?; has_all(["checkout_id", "id", "origin"]))
	and all(.tests[]?; has_all(["build_id", "id", "origin"])
		and (if has("number") then .number | has_all(["value"]) else true end))
	and ([.. | select(. == null)] | length == 0)' "$1" >/dev/null
}

# Conformance exports from a real (filtered) run on this machine.
"$pmig" conform --filter 'move_pages.*' --junit "$tmp/conform.junit.xml" \
	--kcidb "$tmp/conform.kcidb.json" >"$tmp/conform.tap" 2>&1
xmllint --noout --schema "$xsd" "$tmp/conform.junit.xml" 2>"$tmp/xsd.err"
ok $? conform_junit_validates_against_xsd
sed 's/^/# /' "$tmp/xsd.err" | grep -v validates | head -5
# Every TAP SKIP is a <skipped/> (this one-node machine skips the two-node cases).
skips=$(grep -c '^ok .* # SKIP' "$tmp/conform.tap")
[ "$skips" -gt 0 ] && [ "$(xmllint --xpath 'count(//testcase/skipped)' "$tmp/conform.junit.xml")" = "$skips" ]
ok $? conform_skips_are_skipped_elements
kcidb_required "$tmp/conform.kcidb.json"
ok $? conform_kcidb_has_required_fields
jsonschema "$kcidb_schema" "$tmp/conform.kcidb.json"
ok $? conform_kcidb_matches_v5_3_constraints

# The KCIDB identity: the checkout carries the tested kernel's git fields, the
# tests name the given build; the file still matches the schema.
commit=0123456789abcdef0123456789abcdef01234567
PMIG_KCIDB_GIT_BRANCH=master "$pmig" conform --filter 'move_pages.return.einval*' \
	--kcidb-origin lab_ci --kcidb-checkout-id kernelci:c1 --kcidb-build-id b7 \
	--kcidb-git-url https://git.example.org/linux.git --kcidb-git-commit $commit \
	--kcidb "$tmp/ident.kcidb.json" >/dev/null 2>&1
jsonschema "$kcidb_schema" "$tmp/ident.kcidb.json" &&
	jq -e --arg c $commit '.checkouts[0] | .id == "kernelci:c1" and .origin == "kernelci"
		and .git_commit_hash == $c and .git_repository_branch == "master"
		and .git_repository_url == "https://git.example.org/linux.git"' \
		"$tmp/ident.kcidb.json" >/dev/null &&
	jq -e 'all(.tests[]; .build_id == "lab_ci:b7" and .origin == "lab_ci"
		and (.id | startswith("lab_ci:"))) and .builds[0].checkout_id == "kernelci:c1"' \
		"$tmp/ident.kcidb.json" >/dev/null
ok $? kcidb_identity_lands_in_checkout_build_tests
jq '.checkouts[0].git_commit_hash = "0123456789abcdef"' "$tmp/ident.kcidb.json" >"$tmp/short.json"
! jsonschema "$kcidb_schema" "$tmp/short.json" >/dev/null
ok $? schema_rejects_a_short_commit_hash
jq '.checkouts[0].git_repository_url = "git://example.org/l.git"' "$tmp/ident.kcidb.json" >"$tmp/git.json"
! jsonschema "$kcidb_schema" "$tmp/git.json" >/dev/null
ok $? schema_rejects_a_non_https_repository

# Benchmark exports: pmig report writes them beside the benchmark JSON.
cp -r "$data/run" "$tmp/run"
"$pmig" report "$tmp/run" >/dev/null 2>&1
ok $? report_writes_exports
xmllint --noout --schema "$xsd" "$tmp/run/vm/bench.junit.xml" 2>/dev/null
ok $? bench_junit_validates_against_xsd
[ "$(xmllint --xpath 'count(//testcase/skipped)' "$tmp/run/vm/bench.junit.xml")" = 2 ]
ok $? unavailable_benchmarks_are_skipped_elements
kcidb_required "$tmp/run/vm/bench.kcidb.json"
ok $? bench_kcidb_has_required_fields
jsonschema "$kcidb_schema" "$tmp/run/vm/bench.kcidb.json"
ok $? bench_kcidb_matches_v5_3_constraints
# 19 benchmarks ran: DONE with a number in B/s; 2 unavailable: SKIP without one.
jq -e '[.tests[] | select(.status == "DONE" and .number.unit == "B/s" and (.number.value > 0))] | length == 19' \
	"$tmp/run/vm/bench.kcidb.json" >/dev/null &&
	jq -e '[.tests[] | select(.status == "SKIP" and (has("number") | not))] | length == 2' \
		"$tmp/run/vm/bench.kcidb.json" >/dev/null
ok $? benchmarks_are_done_with_numbers
# JUnit names each number and writes it as people read it, then exactly: no bare 1.07e+09.
[ "$(grep -Ec '<system-out>median throughput: [0-9.]+ [kMG]B/s \([0-9]+ B/s\)</system-out>' "$tmp/run/vm/bench.junit.xml")" = 19 ] &&
	! grep -q '<system-out>number: \|e+0' "$tmp/run/vm/bench.junit.xml"
ok $? bench_junit_numbers_are_named_and_readable
jq -e '.tests[] | select(.path == "pmig.bench.move_pages.anon_512K_0to1_batch_16") |
	.misc.call_samples == 48 and .misc.strategy == "move_pages" and .misc.to_node == 1' \
	"$tmp/run/vm/bench.kcidb.json" >/dev/null
ok $? bench_kcidb_misc_has_the_summary

# Tiering runs (results/tests/data): DONE with t100 in s only where every goal page got in
# place within the limit and none moved that should have stayed; else FAIL, its figures the
# reason (KCIDB comment, JUnit failure message); unavailable stays SKIP with why.
tiering_data="$here/../../results/tests/data"
mkdir -p "$tmp/tier/k612" "$tmp/tier/k61"
cp "$tiering_data/tiering-6.12.json" "$tmp/tier/k612/bench.json"
cp "$tiering_data/tiering-6.1.json" "$tmp/tier/k61/bench.json"
"$pmig" report "$tmp/tier" >/dev/null 2>&1
k=$tmp/tier/k612/bench.kcidb.json
kcidb_required "$k" && jsonschema "$kcidb_schema" "$k" &&
	xmllint --noout --schema "$xsd" "$tmp/tier/k612/bench.junit.xml" 2>/dev/null &&
	xmllint --noout --schema "$xsd" "$tmp/tier/k61/bench.junit.xml" 2>/dev/null
ok $? tiering_exports_are_valid
jq -e '([.tests[] | select(.path | test("tier_user|damon_migrate_cold")) |
		select(.status == "DONE" and .number.unit == "s" and .misc.goal_reached)] | length == 3) and
	(.tests[] | select(.path == "pmig.bench.tier_user.promote_16M_2to0") | .number.value == 1.2)' "$k" >/dev/null &&
	[ "$(xmllint --xpath 'string(//testcase[@classname="tier_user"][@name="promote_16M_2to0"]/system-out)' "$tmp/tier/k612/bench.junit.xml")" = \
		"time to converge (t100): 1.2 s" ]
ok $? tiering_goal_reached_is_done_with_t100
jq -e '(.tests[] | select(.path == "pmig.bench.demote_reclaim.demote_16M_0to2") |
		.status == "FAIL" and (has("number") | not) and (.misc.goal_reached | not) and
		.comment == "goal not reached: moved 2871/3072 goal pages, 0 wrong, 150 swapped, t90 6.8 s, t100 never (watched 30 s)") and
	(.tests[] | select(.path == "pmig.bench.numab_promote.promote_16M_2to0") |
		.status == "FAIL" and (.comment | test("^goal not reached: moved 1024/1024 goal pages, 18 wrong, ")))' "$k" >/dev/null &&
	[ "$(xmllint --xpath 'string(//testcase[@classname="damon_migrate_hot"]/failure/@message)' "$tmp/tier/k612/bench.junit.xml")" = \
		"goal not reached: moved 1024/1024 goal pages, 40 wrong, 0 swapped, t90 7.2 s, t100 8.9 s" ] &&
	[ "$(xmllint --xpath 'count(//testcase/failure)' "$tmp/tier/k612/bench.junit.xml")" = 3 ]
ok $? tiering_short_of_goal_is_fail_with_figures
jq -e '(.tests[] | select(.path == "pmig.bench.damon_migrate_hot.promote_16M_2to0") |
		.status == "SKIP" and (.comment | test("needs Linux 6.11"))) and
	(.tests[] | select(.path == "pmig.bench.demote_reclaim.demote_16M_0to2") |
		.status == "FAIL" and .comment == "page 1834 read back wrong after the run")' \
	"$tmp/tier/k61/bench.kcidb.json" >/dev/null &&
	[ "$(xmllint --xpath 'count(//testcase/skipped)' "$tmp/tier/k61/bench.junit.xml")" = 2 ]
ok $? tiering_unavailable_stays_skip

# The checks have teeth: each rejects a file that breaks its rule.
jq 'del(.tests[0].origin)' "$tmp/conform.kcidb.json" >"$tmp/no-origin.json"
! kcidb_required "$tmp/no-origin.json" && ! jsonschema "$kcidb_schema" "$tmp/no-origin.json" >/dev/null
ok $? missing_origin_is_caught
jq '.tests[0].status = "DONE?"' "$tmp/conform.kcidb.json" >"$tmp/bad-status.json"
! jsonschema "$kcidb_schema" "$tmp/bad-status.json" >/dev/null
ok $? unknown_status_is_caught
sed 's/<testsuites /<testsuites skipped="1" /' "$tmp/conform.junit.xml" >"$tmp/skipped-attr.xml"
! xmllint --noout --schema "$xsd" "$tmp/skipped-attr.xml" 2>/dev/null
ok $? xsd_rejects_skipped_on_testsuites
# Jenkins' SUREFIRE_TIME takes at most three decimals: pmig writes three, and
# the schema copy (unmodified) refuses six.
! grep -Eq 'time="[0-9]*\.[0-9]{4,}"' "$tmp/conform.junit.xml" &&
	grep -Eq '<testsuite [^>]*time="[0-9]+\.[0-9]{3}"' "$tmp/conform.junit.xml"
ok $? junit_times_have_three_decimals
sed -E 's/(<testsuite [^>]*time="[0-9]+\.[0-9]{3})"/\1000"/' "$tmp/conform.junit.xml" >"$tmp/six.xml"
grep -Eq 'time="[0-9]+\.[0-9]{6}"' "$tmp/six.xml" &&
	! xmllint --noout --schema "$xsd" "$tmp/six.xml" 2>/dev/null
ok $? xsd_rejects_six_decimals

# The benchmark JSON fixtures (both shapes) match the documented schema.
bad=0
for f in "$data"/bench/*.json; do
	jsonschema "$bench_schema" "$f" || bad=1
done
ok $bad bench_fixtures_match_schema
jq '.benchmarks[0].pmig.call_ns = [1, "two"]' "$data/bench/pmig-a.json" >"$tmp/bad-bench.json"
! jsonschema "$bench_schema" "$tmp/bad-bench.json" >/dev/null
ok $? bench_schema_rejects_bad_samples

exit $tap_failed
