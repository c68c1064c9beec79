#!/bin/sh
# ksft-runner.sh - a small run_kselftest.sh for kselftest.t: the kernel's contract (tools/testing/selftests/run_kselftest.sh, kselftest/runner.sh) on an install directory.
# Usage: ksft-runner.sh DIR. kselftest-list.txt's COLLECTION:TEST lines; each
# collection's settings (timeout=N, default 45); the test run as ./TEST in its
# collection with KSELFTEST_<TEST>_ARGS; its output as "# " lines; "ok N
# selftests: C: T" on 0, "... # SKIP" on 4, "not ok ... # TIMEOUT" on 124,
# "not ok ... # exit=RC" otherwise. Exit 1 when a test did not pass or skip.
base=$(cd "$1" && pwd) || exit 2
n=0
failed=0
echo "TAP version 13"
echo "1..$(wc -l <"$base/kselftest-list.txt")"
while IFS=: read -r col test; do
	n=$((n + 1))
	timeout=45
	[ -r "$base/$col/settings" ] &&
		timeout=$(sed -n 's/^timeout=//p' "$base/$col/settings")
	var=KSELFTEST_$(echo "$test" | tr -c '[:alnum:]_\n' _ | tr '[:lower:]' '[:upper:]')_ARGS
	eval "args=\${$var:-}"
	hdr="selftests: $col: $test"
	echo "# $hdr"
	out=$(mktemp)
	# shellcheck disable=SC2086 # the runner splits its ARGS so
	(cd "$base/$col" && timeout "$timeout" ./"$test" $args) >"$out" 2>&1
	rc=$?
	sed 's/^/# /' "$out"
	rm -f "$out"
	case $rc in
	0) echo "ok $n $hdr" ;;
	4) echo "ok $n $hdr # SKIP" ;;
	124)
		echo "not ok $n $hdr # TIMEOUT $timeout seconds"
		failed=1
		;;
	*)
		echo "not ok $n $hdr # exit=$rc"
		failed=1
		;;
	esac
done <"$base/kselftest-list.txt"
exit $failed
