#!/bin/bash
# guest-build.sh - what pmig vm puts in a guest of another architecture: builds it (make ARCH=ARCH, quietly; the first time fetches the sysroot) and says where it is.
#
# Usage: guest-build.sh ARCH     (arm64, ppc64el, or the kernel's names aarch64, ppc64le)
# Prints, on success (exit 0):
#   arch=DEBARCH       arm64 or ppc64el
#   bin=DIR            the programs: DIR/pmig-topo, pmig-conform, pmig-bench, pmig-timer, pmig-refmig, pmig-bench-loop
#   busybox=FILE       that architecture's static busybox
#   sysroot=DIR        its libraries, for initramfs.sh --sysroot
# Bad input, or a pmig installed without its source tree (nothing to build with): one
# "pmig vm: " line on stderr, exit 2. A failed build: one line naming its log, exit 1.
# Runs make every time: it rebuilds what changed, like a plain make, and does nothing
# (a second) when nothing did. One build per architecture at a time (a lock).
# shellcheck source-path=SCRIPTDIR
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=arch.sh
. "$here/arch.sh"

die() {
	echo "pmig vm: $2" >&2
	exit "$1"
}

[ $# = 1 ] || die 2 "usage: guest-build.sh ARCH"
cross_arch "$1" || die 2 "guest architecture '$1': use $cross_arch_names"
tree=$(cd "$here/../.." && pwd)
if [ ! -f "$tree/Makefile" ] || [ ! -f "$tree/scripts/cross/sysroot.sh" ]; then
	die 2 "$cross_deb guests need pmig's source tree to build its programs (make ARCH=$cross_deb); this pmig is installed without one"
fi
out=$tree/build-$cross_deb
mkdir -p "$out" || die 1 "cannot create $out"
log=$out/make.log
exec 8>"$out/.lock"
flock 8
if ! make -C "$tree" -s -j"$(nproc)" ARCH="$cross_deb" >"$log" 2>&1; then
	# deps.sh's and sysroot.sh's own line where they stopped it, else the compiler's first error.
	m=$(grep -m 1 -E '^pmig: ' "$log")
	[ -n "$m" ] || m=$(grep -m 1 -E 'error|Error' "$log")
	die 1 "make ARCH=$cross_deb failed: ${m#pmig: } (log: $log)"
fi
for f in bin/pmig-topo busybox sysroot/.stamp; do
	[ -e "$out/$f" ] || die 1 "make ARCH=$cross_deb left no $out/$f"
done
echo "arch=$cross_deb"
echo "bin=$out/bin"
echo "busybox=$out/busybox"
echo "sysroot=$out/sysroot"
