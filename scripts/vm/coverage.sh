#!/bin/bash
# coverage.sh - a pmig vm --coverage run's coverage.raw turned into RUN_DIR/coverage.json: the run's kernel (vm.txt) and its symbols and DWARF function table (kernel-debug.sh, fetched once), then pmig-coverage.
# Usage: coverage.sh RUN_DIR (PMIG_LIBEXEC: where pmig-coverage and pmig-covdwarf are). What
# pmig-coverage prints goes to stdout; exit as pmig-coverage's, 2 on bad input, 1 when the
# kernel's debug package cannot be had. pmig coverage RUN_DIR and pmig vm --coverage use it.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
libexec=${PMIG_LIBEXEC:?coverage.sh is started by pmig}
die() {
	echo "pmig coverage: $*" >&2
	exit 2
}
[ $# = 1 ] || die "usage: pmig coverage RUN_DIR"
dir=$1
[ -d "$dir" ] || die "$dir is not a directory"
[ -r "$dir/coverage.raw" ] || die "$dir has no coverage.raw (run pmig vm --coverage)"
spec=$(sed -n 's/^kernel=//p' "$dir/vm.txt" 2>/dev/null | head -n 1)
rel=$(sed -n 's/^kernel_release=//p' "$dir/vm.txt" 2>/dev/null | head -n 1)
if [ -z "$spec" ] || [ -z "$rel" ]; then
	die "$dir/vm.txt does not name the kernel (kernel=, kernel_release=)"
fi
for p in pmig-coverage pmig-covdwarf; do
	[ -x "$libexec/$p" ] || {
		echo "pmig coverage: $libexec/$p is missing; run make" >&2
		exit 1
	}
done
info=$("$here/kernel-debug.sh" "$spec" "$rel" "$libexec/pmig-covdwarf") || exit $?
get() { sed -n "s/^$1=//p" <<<"$info"; }
exec "$libexec/pmig-coverage" --map "$(get system_map)" --functions "$(get functions)" \
	--release "$rel" --package "$(get package)" --package-version "$(get package_version)" "$dir"
