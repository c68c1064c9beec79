#!/bin/bash
# cli.t - the pmig command's contract: bad input is one stderr line and exit 2, outputs land whole.
set -u
pmig="$(cd "$(dirname "$0")/.." && pwd)/pmig"
# shellcheck source=scripts/tests/tap.sh
. "$(dirname "$0")/tap.sh"

echo "TAP version 13"
echo "1..27"
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
# A directory passes a "can I create a file there" test and fails only at
# the rename after the whole run: refused before any case (no TAP on stdout).
expect_error conform_junit_directory 2 "pmig conform: cannot write --junit $tmp: Is a directory" \
	"$pmig" conform --junit "$tmp"
expect_error conform_kcidb_directory 2 "pmig conform: cannot write --kcidb $tmp: Is a directory" \
	"$pmig" conform --kcidb "$tmp"
# 2^32 + 1 once wrapped to a 1 ms limit.
expect_error conform_timeout_wraps 2 "pmig conform: --timeout-ms 4294967297 is more than 86400000" \
	"$pmig" conform --timeout-ms 4294967297
expect_error conform_seed_overflows 2 "pmig conform: --seed needs a non-negative number" \
	"$pmig" conform --seed 18446744073709551616
expect_error run_unknown_option 2 "pmig" "$pmig" run --bogus
# KCIDB identity values KCIDB would refuse are refused before the run, from an
# option or from its environment variable.
expect_error kcidb_commit_not_40_hex 2 \
	"pmig conform: --kcidb-git-commit 'abc123' is not valid: 40 lowercase hex digits" \
	"$pmig" conform --kcidb-git-commit abc123
expect_error kcidb_commit_uppercase 2 "pmig conform: --kcidb-git-commit" \
	"$pmig" conform --kcidb-git-commit 0123456789ABCDEF0123456789abcdef01234567
expect_error kcidb_origin_bad 2 "pmig conform: --kcidb-origin 'Lab-1' is not valid" \
	"$pmig" conform --kcidb-origin Lab-1
expect_error kcidb_git_url_not_https 2 "pmig conform: --kcidb-git-url" \
	"$pmig" conform --kcidb-git-url git://example.org/linux.git
expect_error kcidb_env_bad 2 "pmig conform: PMIG_KCIDB_BUILD_ID='Bad:1' is not valid" \
	env PMIG_KCIDB_BUILD_ID=Bad:1 "$pmig" conform --list
expect_error report_kcidb_checkout_bad 2 "pmig report: --kcidb-checkout-id ':x' is not valid" \
	"$pmig" report --kcidb-checkout-id :x "$tmp"

# --list names every case once, in the spec's id alphabet.
"$pmig" conform --list >"$tmp/list"
bad=$(grep -cvE '^[A-Za-z0-9_.-]+$' "$tmp/list")
dups=$(sort "$tmp/list" | uniq -d | wc -l)
[ -s "$tmp/list" ] && [ "$bad" = 0 ] && [ "$dups" = 0 ]
ok $? list_names_are_tap_safe

# A filtered run with both result files: they parse and agree with the TAP.
(umask 022 && exec "$pmig" conform --filter 'move_pages.return.*' --junit "$tmp/r.xml" \
	--kcidb "$tmp/r.json") >"$tmp/r.tap"
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
# Written through mkstemp (0600) and a rename, yet with the user's umask.
[ "$(stat -c %a "$tmp/r.xml") $(stat -c %a "$tmp/r.json")" = "644 644" ]
ok $? result_files_have_the_umask_mode

exit $tap_failed
