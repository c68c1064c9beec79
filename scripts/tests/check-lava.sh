#!/bin/bash
# check-lava.sh - make check-lava: a local LAVA lab (pmig lava-lab) runs the four-kernel matrix as LAVA jobs; its verdicts must be pmig matrix's for the same kernels, and stop must leave nothing running. Prints each step's time.
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
pmig=$root/scripts/pmig
kernels=${PMIG_LAVA_KERNELS:-debian:bookworm,debian:trixie,debian:sid,debian:experimental}
out=${PMIG_RUNS:-$root/results/runs}/check-lava-$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$out" || exit 2
state=${PMIG_LAVA_LAB:-/var/lib/pmig/lava-lab}
fail=0
t0=$SECONDS
step() { # NAME CMD...: runs CMD, prints its time
	local name=$1 t=$SECONDS rc
	shift
	"$@"
	rc=$?
	echo "# $name: exit $rc, $((SECONDS - t)) s" >&2
	return $rc
}

step "lava-lab start" "$pmig" lava-lab start || {
	"$pmig" lava-lab stop
	exit 1
}
step "lava-lab submit ($kernels)" "$pmig" lava-lab submit --kernels "$kernels" --out "$out/lava" >/dev/null || fail=1
# The daemons' sessions, to check that stop ends them all (lava-run and QEMU too).
sids=$(cat "$state"/{gunicorn,scheduler,worker}.pid 2>/dev/null)
step "lava-lab stop" "$pmig" lava-lab stop || fail=1
left=$(ps -eo sid=,pid=,args= | awk -v s=" $(echo $sids) " 'index(s, " " $1 " ") { print }')
if [ -n "$left" ]; then
	echo "# left running after stop:" >&2
	echo "$left" | sed 's/^/#   /' >&2
	fail=1
fi
ps -eo args= | grep -qE '^(gunicorn3|/usr/bin/python3 /usr/bin/gunicorn3|lava-worker|/usr/bin/python3 /usr/bin/lava-worker)' &&
	{ echo "# a gunicorn or lava-worker is still running" >&2; fail=1; }
step "pmig matrix -j 2" "$pmig" matrix -j 2 --kernels "$kernels" --out "$out/matrix" >/dev/null

# pmig matrix's cells in LAVA's terms: an XFAIL is a pass (a known bug), an XPASS or
# an error a failure; the profile note is pmig's alone. Rows sorted: LAVA lists them
# in its own order.
lava_terms() { # TSV
	awk -F'\t' 'BEGIN { OFS = "\t" }
		NR == 1 { print; next }
		{
			for (i = 2; i <= NF; i++) {
				c = $i; sub(/ `.*/, "", c)
				$i = (c == "PASS" || c == "XFAIL") ? "PASS" : (c == "SKIP" || c == "-") ? c : "**FAIL**"
			}
			print
		}' "$1" | { IFS= read -r h; echo "$h"; sort; }
}
if [ -s "$out/lava/matrix.tsv" ] && [ -s "$out/matrix/matrix.tsv" ] &&
	diff -u <(lava_terms "$out/matrix/matrix.tsv") <(lava_terms "$out/lava/matrix.tsv") >"$out/verdicts.diff"; then
	echo "# LAVA's verdicts are pmig matrix's: $(($(wc -l <"$out/lava/matrix.tsv") - 1)) cases x $(head -1 "$out/lava/matrix.tsv" | awk -F'\t' '{ print NF - 1 }') kernels" >&2
else
	echo "# LAVA's verdicts differ from pmig matrix's ($out/verdicts.diff):" >&2
	head -n 20 "$out/verdicts.diff" | sed 's/^/#   /' >&2
	fail=1
fi
cat "$out/lava/matrix.md"
echo "# make check-lava: $((SECONDS - t0)) s in all; runs in $out" >&2
exit $fail
