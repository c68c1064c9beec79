# tap.sh - what the script tests share: a scratch directory, numbered ok lines, the one-line-error check. Source it.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
tap_n=0
tap_failed=0

# ok STATUS NAME: "ok N NAME" when STATUS is 0, else "not ok N NAME".
ok() {
	tap_n=$((tap_n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $tap_n $2"
	else
		echo "not ok $tap_n $2"
		tap_failed=1
	fi
}

# expect_error NAME STATUS PREFIX CMD...: CMD exits STATUS, prints nothing on
# stdout and exactly one stderr line, which starts with PREFIX.
expect_error() {
	local name=$1 want=$2 prefix=$3 rc
	shift 3
	"$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ "$rc" = "$want" ] && [ ! -s "$tmp/out" ] &&
		[ "$(wc -l <"$tmp/err")" = 1 ] && grep -q "^$prefix" "$tmp/err"; then
		ok 0 "$name"
	else
		echo "# rc=$rc (want $want), stdout lines=$(wc -l <"$tmp/out"), stderr lines=$(wc -l <"$tmp/err")"
		sed 's/^/# stderr: /' "$tmp/err" | head -5
		ok 1 "$name"
	fi
}
