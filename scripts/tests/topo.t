#!/bin/sh
# topo.t - TAP test of `pmig topo` on the hwloc XML fixtures: golden output, XML round trip, bad input.
# Run from the repository root (make check does: prove -v scripts/tests/*.t).

bin=${PMIG_TOPO:-build/bin/pmig-topo}
data=${PMIG_TEST_DATA:-harness/tests/data}
fixtures="1node 2node 3node-cxl 4node-hbm 2node-memless"

echo "TAP version 13"
if [ ! -x "$bin" ]; then
	echo "Bail out! $bin is not built (make all)"
	exit 1
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/pmig-topo-t.XXXXXX") || {
	echo "Bail out! cannot make a temporary directory"
	exit 1
}
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

n=0
for f in $fixtures; do n=$((n + 3)); done
echo "1..$((n + 9))"

t=0
failed=0
ok() {
	t=$((t + 1))
	echo "ok $t - $1"
}
not_ok() {
	t=$((t + 1))
	failed=$((failed + 1))
	echo "not ok $t - $1"
}
# Shows a file as TAP diagnostics.
diag() {
	sed 's/^/# /' "$1"
}

# golden NAME FIXTURE: the summary of FIXTURE equals NAME.out, nothing on stderr.
golden() {
	"$bin" --input "$2" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ $rc -eq 0 ] && [ ! -s "$tmp/err" ] &&
		cmp -s "$tmp/out" "$data/$1.out"; then
		ok "golden $1"
	else
		not_ok "golden $1"
		echo "# exit status $rc"
		diag "$tmp/err"
		diff -u "$data/$1.out" "$tmp/out" | sed 's/^/# /'
	fi
}

# roundtrip NAME SUMMARY [ARGS...]: `--xml ARGS` loads back to the SUMMARY file.
roundtrip() {
	name=$1
	want=$2
	shift 2
	if "$bin" --xml "$@" >"$tmp/rt.xml" 2>"$tmp/err" &&
		"$bin" --input "$tmp/rt.xml" >"$tmp/rt.out" 2>>"$tmp/err" &&
		[ ! -s "$tmp/err" ] && cmp -s "$tmp/rt.out" "$want"; then
		ok "xml round trip $name"
	else
		not_ok "xml round trip $name"
		diag "$tmp/err"
		diff -u "$want" "$tmp/rt.out" | sed 's/^/# /'
	fi
}

# usage_error NAME EXPECTED_STDERR ARGS...: exit 2, empty stdout, exactly
# that one stderr line (or any one "pmig topo: " line when EXPECTED is "").
usage_error() {
	name=$1
	want=$2
	shift 2
	"$bin" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	lines=$(wc -l <"$tmp/err")
	first=$(head -n 1 "$tmp/err")
	if [ $rc -eq 2 ] && [ ! -s "$tmp/out" ] && [ "$lines" -eq 1 ] &&
		case $first in "pmig topo: "?*) true ;; *) false ;; esac &&
		{ [ -z "$want" ] || [ "$first" = "$want" ]; }; then
		ok "$name"
	else
		not_ok "$name"
		echo "# exit status $rc, $lines stderr line(s):"
		diag "$tmp/err"
	fi
}

for f in $fixtures; do
	golden "$f" "$data/$f.xml"
done
for f in $fixtures; do
	roundtrip "$f" "$data/$f.out" --input "$data/$f.xml"
done
# --facts says what the golden text says, one fact per line (the VM runner compares these).
for f in $fixtures; do
	"$bin" --facts --input "$data/$f.xml" | LC_ALL=C sort >"$tmp/facts" &&
		scripts/vm/topology.sh --normalize <"$data/$f.out" >"$tmp/norm" &&
		[ -s "$tmp/facts" ] && cmp -s "$tmp/facts" "$tmp/norm"
	if [ $? -eq 0 ]; then
		ok "facts $f"
	else
		not_ok "facts $f"
		diff "$tmp/norm" "$tmp/facts" | sed 's/^/# /'
	fi
done

"$bin" >"$tmp/here.out" 2>"$tmp/err"
rc=$?
if [ $rc -eq 0 ] && [ ! -s "$tmp/err" ] &&
	head -n 1 "$tmp/here.out" | grep -q '^nodes: [1-9][0-9]* (memory: [0-9]*, cpu-less: [0-9]*)$'; then
	ok "this machine"
else
	not_ok "this machine"
	echo "# exit status $rc"
	diag "$tmp/err"
fi
# This machine's output ends with its memory tiers (sysfs, not hwloc): an XML copy
# has none, so the round trip compares the topology before them.
grep -q '^memory tiers: ' "$tmp/here.out"
if [ $? -eq 0 ]; then ok "this machine's memory tiers"; else not_ok "this machine's memory tiers"; fi
sed -i '/^memory tiers: /,$d' "$tmp/here.out"
roundtrip "this machine" "$tmp/here.out"

"$bin" --help >"$tmp/out" 2>"$tmp/err"
rc=$?
if [ $rc -eq 0 ] && [ ! -s "$tmp/err" ] && grep -q '^usage: pmig topo' "$tmp/out"; then
	ok "--help"
else
	not_ok "--help"
	echo "# exit status $rc"
	diag "$tmp/err"
fi

printf 'this is not an hwloc topology\n' >"$tmp/garbage.xml"
usage_error "unknown option" "pmig topo: unknown option '--bogus' (try --help)" --bogus
usage_error "--input without its argument" "pmig topo: option '--input' needs an argument" --input
usage_error "extra argument" "pmig topo: unexpected argument 'extra'" --input "$data/2node.xml" extra
usage_error "--input of a missing file" \
	"pmig topo: cannot load topology from $tmp/missing.xml: No such file or directory" \
	--input "$tmp/missing.xml"
usage_error "--input of a malformed file" \
	"pmig topo: cannot load topology from $tmp/garbage.xml: Invalid argument" \
	--input "$tmp/garbage.xml"

[ $failed -eq 0 ]
