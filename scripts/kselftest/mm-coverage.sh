#!/bin/bash
# mm-coverage.sh - kselftest's migration tests measured as pmig's cases are: built from the guest kernel's source (mm-build.sh), run under pmig vm --coverage with an epoch per test (cov-run.sh), attributed by pmig coverage into OUT/coverage.json.
#
# Usage: mm-coverage.sh SPEC OUT [pmig vm option...]
#   SPEC  debian:SUITE[/FLAVOUR]; OUT the run directory. The options go to pmig vm
#         (default --topology 3node-cxl-smp.topo beside this script: 3node-cxl with
#         the 3 CPUs the tests need; 6.1's tests run 60 s each, so --timeout 900).
# Exit: pmig coverage's status when it failed, else pmig vm's (a test that failed: 1).
set -u -o pipefail

here=$(cd "$(dirname "$0")" && pwd)
pmig=$here/../pmig
[ $# -ge 2 ] || {
	echo "pmig kselftest: usage: mm-coverage.sh SPEC OUT [pmig vm option...]" >&2
	exit 2
}
spec=$1 out=$2
shift 2
built=$("$here/mm-build.sh" "$spec") || exit $?
printf '%s\n' "$built" | sed -n 's/^\(source\|absent\)=/# kselftest: \1 /p'
adds=() progs=
while read -r bin; do
	adds+=(--add "$bin")
	progs="$progs $(basename "$bin")"
done < <(sed -n 's/^bin=//p' <<<"$built")
[ -n "$progs" ] || {
	echo "pmig kselftest: $spec: no test was built" >&2
	exit 1
}
"$pmig" vm --coverage --kernel "$spec" --topology "$here/3node-cxl-smp.topo" --timeout 900 \
	"$@" "${adds[@]}" --add "$here/cov-run.sh" --wrap "cov-run.sh$progs --" --out "$out" -- topo
rc=$?
# A test that failed still ran its kernel code: attributed all the same.
[ -s "$out/coverage.raw" ] || exit "$rc"
"$pmig" coverage "$out" || exit $?
exit "$rc"
