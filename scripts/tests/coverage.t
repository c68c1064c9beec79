#!/bin/bash
# coverage.t - pmig coverage on a program built here with DWARF: pmig-covdwarf's table (out-of-line code, inlined copies, no-code functions), coverage.json from a raw file (schema-valid; an inlined function reached through its copy; boot-only not the suite's), diff, --doc, and bad input as one line and exit 2.
set -u
here="$(cd "$(dirname "$0")" && pwd)"
pmig="$here/../pmig"
bin="$here/../../build/bin"
schema="$here/../../results/schema/coverage.schema.json"
# shellcheck source=scripts/tests/tap.sh
. "$(dirname "$0")/tap.sh"

echo "TAP version 13"
echo "1..19"

# A compilation unit named mm/migrate.c (a file of the scope): one function out of line,
# one only inlined into it (two address ranges), one never called, main; the unused
# inline leaves no DWARF.
mkdir -p "$tmp/src/mm"
cat >"$tmp/src/mm/migrate.c" <<'C'
static volatile int data[64];
static inline int tiny(int n) { int s = 0; for (int i = 0; i < n; i++) s += data[i] * 3; return s; }
static inline int unused_inline(int x) { return x - 7; }
__attribute__((noinline)) int migrate_pages_batch(int x) { data[x & 63] = x; return tiny(x) + data[1]; }
__attribute__((noinline)) int remove_migration_ptes(int x) { return data[x & 63] + 5; }
int main(int argc, char **argv) { (void)argv; return migrate_pages_batch(argc) + (0 ? unused_inline(argc) : 0) + (argc > 5 ? remove_migration_ptes(argc) : 0); }
C
(cd "$tmp/src" && gcc -g -O2 -o prog mm/migrate.c)
"$bin/pmig-covdwarf" "$tmp/src/prog" mm/ >"$tmp/table" 2>"$tmp/err"
ok $? covdwarf_exits_0
grep -q -P '^mm/migrate\.c\tmigrate_pages_batch\t4\tcode\t[0-9a-f]+\t[0-9a-f]+$' "$tmp/table" &&
	grep -q -P '^mm/migrate\.c\ttiny\t2\tinline\t' "$tmp/table" &&
	grep -q -P '^mm/migrate\.c\ttiny\t2\tnone\t0\t0$' "$tmp/table" &&
	grep -q -P '^mm/migrate\.c\tmain\t6\tcode\t' "$tmp/table" && ! grep -q unused_inline "$tmp/table"
ok $? covdwarf_code_and_inlined_copies

# A run: the boot runs main, case "move_pages.basic" a block inside tiny's copy (which
# is migrate_pages_batch's code too).
lo=$(grep -P '\ttiny\t2\tinline\t' "$tmp/table" | head -n 1 | cut -f 5)
main=$(grep -P '\tmain\t6\tcode\t' "$tmp/table" | head -n 1 | cut -f 5)
# nm lists undefined symbols without an address; a System.map has none.
nm "$tmp/src/prog" | grep -E '^[0-9a-f]+ ' >"$tmp/map"
mkdir -p "$tmp/run"
printf 'pmig-coverage-raw 1\narch x86_64\nepoch 0\n%s 4 1\nepoch 2\n%s 2 5\n' "$main" "$lo" >"$tmp/run/coverage.raw"
printf '2\tmove_pages.basic\n' >"$tmp/run/coverage-epochs.tsv"
"$bin/pmig-coverage" --map "$tmp/map" --functions "$tmp/table" --release test "$tmp/run" >"$tmp/out" 2>"$tmp/err"
ok $? coverage_exits_0
grep -q -E '^mm/migrate.c +3/4 +2/4 ' "$tmp/out" && [ ! -s "$tmp/err" ]
ok $? summary_per_file
/usr/bin/python3 -c '
import json, sys, jsonschema
schema = json.load(open(sys.argv[1]))
jsonschema.Draft7Validator.check_schema(schema)
errors = list(jsonschema.Draft7Validator(schema).iter_errors(json.load(open(sys.argv[2]))))
for e in errors[:5]:
    print("# %s: %s" % ("/".join(str(p) for p in e.absolute_path), e.message[:200]))
sys.exit(1 if errors else 0)' "$schema" "$tmp/run/coverage.json"
ok $? json_matches_schema
jq -e '.files[] | select(.path == "mm/migrate.c") | .functions as $f
	| ($f[] | select(.name == "tiny") | .reached == true and .code == "inlined" and .cases == ["move_pages.basic"])
	and ($f[] | select(.name == "main") | .by == "boot-runner-only")
	and ($f[] | select(.name == "migrate_pages_batch") | .reached == true and .calls == 0)
	and ($f[] | select(.name == "remove_migration_ptes") | .reached == false)' "$tmp/run/coverage.json" >/dev/null
ok $? inlined_reached_boot_only_not_suite

# diff: the case taken away loses tiny and migrate_pages_batch.
mkdir -p "$tmp/run2"
printf 'pmig-coverage-raw 1\narch x86_64\nepoch 0\n%s 4 1\n' "$main" >"$tmp/run2/coverage.raw"
"$bin/pmig-coverage" --map "$tmp/map" --functions "$tmp/table" "$tmp/run2" >/dev/null 2>&1
"$pmig" coverage diff "$tmp/run" "$tmp/run2" >"$tmp/out" 2>&1
ok $? diff_exits_0
grep -q 'mm/migrate.c tiny: reached in A only' "$tmp/out"
ok $? diff_names_the_lost_function
# shellcheck disable=SC2016 # backquotes of Markdown
"$pmig" coverage --doc "$tmp/run/coverage.json" "$tmp/run2/coverage.json" >"$tmp/doc.md" 2>&1 &&
	grep -q '^## mm/migrate.c$' "$tmp/doc.md" && grep -q '^| `remove_migration_ptes` | not reached | not reached | not yet covered |$' "$tmp/doc.md"
ok $? doc_lists_unreached
# Another suite's run (labels "kselftest:..."): its column stands beside pmig's, after
# it whatever the order given, and lists only what pmig's runs miss (main, boot-only
# there), not what it misses itself (tiny).
mkdir -p "$tmp/ks"
printf 'pmig-coverage-raw 1\narch x86_64\nepoch 0\n%s 4 1\nepoch 2\n%s 4 1\n' "$main" "$main" >"$tmp/ks/coverage.raw"
printf '2\tkselftest:migration:private_anon\n' >"$tmp/ks/coverage-epochs.tsv"
"$bin/pmig-coverage" --map "$tmp/map" --functions "$tmp/table" --release test "$tmp/ks" >/dev/null 2>&1 &&
	jq -e '.suite == "kselftest" and .cases == ["kselftest:migration:private_anon"]' "$tmp/ks/coverage.json" >/dev/null &&
	jq -e '.suite == "pmig"' "$tmp/run/coverage.json" >/dev/null
ok $? suite_named_by_labels
# shellcheck disable=SC2016 # backquotes of Markdown
"$pmig" coverage --doc "$tmp/ks/coverage.json" "$tmp/run/coverage.json" >"$tmp/doc2.md" 2>&1 &&
	grep -q '^| file | test pmig | test kselftest |$' "$tmp/doc2.md" &&
	grep -q '^| `main` | boot/runner only | reached | not yet covered |$' "$tmp/doc2.md" &&
	! grep -q '^| `tiny` |' "$tmp/doc2.md"
ok $? doc_other_suite_beside_pmig

# docs/COVERAGE.md is what make coverage-doc writes from results/coverage/.
root="$here/../.."
# shellcheck disable=SC2046 # the recorded results, one word each
"$bin/pmig-coverage" --doc $(find "$root/results/coverage" -name '*.json' 2>/dev/null | LC_ALL=C sort) |
	diff -u "$root/docs/COVERAGE.md" - >"$tmp/doc.diff"
ok $? coverage_md_is_current
head -5 "$tmp/doc.diff" | sed 's/^/# /'

# pmig report: both runs' tables, what the suite reached in one only.
mkdir -p "$tmp/rep/a" "$tmp/rep/b"
cp "$tmp/run/coverage.json" "$tmp/rep/a/" && cp "$tmp/run2/coverage.json" "$tmp/rep/b/"
"$pmig" report "$tmp/rep" >/dev/null 2>&1
ok $? report_exits_0
grep -q '^## Kernel coverage$' "$tmp/rep/report.md" &&
	grep -q '^| mm/migrate.c | 2/4 | 3/4 | 0 |$' "$tmp/rep/report.md" &&
	grep -q '^mm/migrate.c, not reached by the suite: remove_migration_ptes, main.$' "$tmp/rep/report.md" &&
	grep -q '^| mm/migrate.c | tiny | reached in A only |$' "$tmp/rep/report.md"
ok $? report_coverage_section

# Bad input: one line, exit 2.
expect_error no_run_dir 2 "pmig coverage: " "$pmig" coverage "$tmp/none"
mkdir -p "$tmp/novm" && cp "$tmp/run/coverage.raw" "$tmp/novm/"
expect_error no_vm_txt 2 "pmig coverage: " "$pmig" coverage "$tmp/novm"
printf 'pmig-coverage-raw 9\n' >"$tmp/run2/coverage.raw"
expect_error bad_raw 2 "pmig coverage: .*coverage.raw line 1" "$bin/pmig-coverage" --map "$tmp/map" --functions "$tmp/table" "$tmp/run2"
expect_error diff_not_json 2 "pmig coverage: " "$pmig" coverage diff "$tmp/run" "$tmp/map"
expect_error stub_map 2 "pmig coverage: .*no text symbol" "$bin/pmig-coverage" \
	--map <(echo 'ffffffffffffffff B The real System.map is in the linux-image-<version>-dbg package') \
	--functions "$tmp/table" "$tmp/run"

exit $tap_failed
