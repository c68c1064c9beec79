#!/bin/bash
# cli.t - the pmig command's contract: bad input is one stderr line and exit 2, outputs land whole.
set -u
pmig="$(cd "$(dirname "$0")/.." && pwd)/pmig"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
fail=0

ok() {
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $n $2"
	else
		echo "not ok $n $2"
		fail=1
	fi
}

# usage_error NAME ARGS...: exit 2, nothing on stdout, exactly one stderr line.
usage_error() {
	local name=$1
	shift
	"$pmig" "$@" >"$tmp/out" 2>"$tmp/err"
	local rc=$?
	local lines
	lines=$(wc -l <"$tmp/err")
	if [ "$rc" = 2 ] && [ ! -s "$tmp/out" ] && [ "$lines" = 1 ]; then
		ok 0 "$name"
	else
		echo "# rc=$rc stdout=$(wc -c <"$tmp/out") stderr lines=$lines"
		sed 's/^/# /' "$tmp/err"
		ok 1 "$name"
	fi
}

echo "TAP version 13"
echo "1..16"
usage_error no_command
usage_error unknown_command nosuch
usage_error conform_unknown_option conform --bogus
usage_error conform_missing_argument conform --seed
usage_error conform_bad_seed conform --seed abc
usage_error conform_bad_profile conform --profile six
usage_error conform_extra_argument conform extra
usage_error conform_filter_matches_nothing conform --filter 'no.such.*'
usage_error conform_junit_unwritable conform --junit /nonexistent/dir/r.xml
usage_error conform_kcidb_unwritable conform --kcidb /nonexistent/dir/r.json
usage_error run_unknown_option run --bogus

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

exit $fail
