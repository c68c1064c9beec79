#!/bin/bash
# cli.t - the pmig command's contract: bad input is one stderr line and exit 2, outputs land whole.
set -u
pmig="$(cd "$(dirname "$0")/.." && pwd)/pmig"
# shellcheck source=scripts/tests/tap.sh
. "$(dirname "$0")/tap.sh"

echo "TAP version 13"
echo "1..16"
expect_error no_command 2 "pmig" "$pmig"
expect_error unknown_command 2 "pmig" "$pmig" nosuch
expect_error conform_unknown_option 2 "pmig" "$pmig" conform --bogus
expect_error conform_missing_argument 2 "pmig" "$pmig" conform --seed
expect_error conform_bad_seed 2 "pmig" "$pmig" conform --seed abc
expect_error conform_bad_profile 2 "pmig" "$pmig" conform --profile six
expect_error conform_extra_argument 2 "pmig" "$pmig" conform extra
expect_error conform_filter_matches_nothing 2 "pmig" "$pmig" conform --filter 'no.such.*'
expect_error conform_junit_unwritable 2 "pmig" "$pmig" conform --junit /nonexistent/dir/r.xml
expect_error conform_kcidb_unwritable 2 "pmig" "$pmig" conform --kcidb /nonexistent/dir/r.json
expect_error run_unknown_option 2 "pmig" "$pmig" run --bogus

# --list names every case once, in the spec's id alphabet.
"$pmig" conform --list >"$tmp/list"
bad=$(grep -cvE '^[A-Za-z0-9_.-]+$' "$tmp/list")
dups=$(sort "$tmp/list" | uniq -d | wc -l)
[ -s "$tmp/list" ] && [ "$bad" = 0 ] && [ "$dups" = 0 ]
ok $? list_names_are_tap_safe

# A filtered run with both result files: they parse and agree with the TAP.
"$pmig" conform --filter 'move_pages.return.*' --junit "$tmp/r.xml" \
	--kcidb "$tmp/r.json" >"$tmp/r.tap"
rc=$?
cases=$(grep -cE '^(not )?ok ' "$tmp/r.tap")
[ "$rc" != 2 ] && [ "$cases" = "$(grep -c '^move_pages\.return\.' "$tmp/list")" ]
ok $? filtered_run_selects_exactly_the_filter
perl -MJSON::PP -e '
	local $/; my $d = decode_json(<STDIN>);
	exit(scalar(@{$d->{tests}}) == $ARGV[0] && $d->{version}{major} == 5 ? 0 : 1)' \
	"$cases" <"$tmp/r.json"
ok $? kcidb_file_has_one_test_per_case
tests=$(sed -n 's/.*<testsuites[^>]* tests="\([0-9]*\)".*/\1/p' "$tmp/r.xml")
[ "$tests" = "$cases" ]
ok $? junit_file_has_one_testcase_per_case
ls "$tmp" | grep -q '\.XXXXXX\|r\.xml\.\|r\.json\.'
[ $? != 0 ]
ok $? no_temporary_files_left

exit $tap_failed
