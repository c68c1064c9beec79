#!/bin/bash
# kernel-debug.sh - a Debian kernel's real System.map and the function table of its mm/ and cpuset sources (from the DWARF of linux-image-RELEASE-dbg), cached beside its vmlinuz, for pmig coverage.
#
# Usage: kernel-debug.sh SPEC RELEASE COVDWARF
#   SPEC      debian:SUITE[/FLAVOUR], as pmig vm takes it (the suite whose archive has the package)
#   RELEASE   the kernel release the guest ran (vm.txt's kernel_release)
#   COVDWARF  the pmig-covdwarf program
# Prints "system_map=<path>", "functions=<path>", "package=<name>" and
# "package_version=<version>" on stdout; exit 0. Bad input: one "pmig coverage: " line on
# stderr, exit 2. Fetch failure: one line, exit 1.
#
# Debian's linux-image package ships a stub System.map ("The real System.map is in the
# linux-image-<version>-dbg package"); the -dbg package (855 MB for 6.1.0-50, 1.04 GB for
# 6.12.117+deb13) holds the real one and vmlinux with DWARF, both at the start of its
# data (4 s to take them out). What is kept, in the kernel's cache directory: the
# System.map (4 MB) and pmig-covdwarf's table of mm/ and kernel/cgroup/ (1 MB);
# neither the package nor the vmlinux (631 MB) stays.
set -u -o pipefail
export LC_ALL=C

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=debian-apt.sh
. "$here/debian-apt.sh"
# The compilation units pmig-covdwarf reads: pmig coverage's files lie in them.
units=(mm/ kernel/cgroup/)

tmp=
cleanup() {
	[ -n "$tmp" ] && rm -rf -- "$tmp"
}
trap cleanup EXIT

die() {
	local code=$1
	shift
	printf 'pmig coverage: %s\n' "$(printf '%s' "$*" | tr '\n\t' '  ')" >&2
	exit "$code"
}

[ $# = 3 ] || die 2 "kernel-debug.sh: expected SPEC RELEASE COVDWARF, got $# arguments"
spec=$1 rel=$2 covdwarf=$3
case $spec in
debian:*) ;;
*) die 2 "kernel '$spec' is not a Debian kernel: no -dbg package to read its symbols from (run pmig-covdwarf VMLINUX mm/ kernel/cgroup/ on a vmlinux with DWARF, then pmig coverage --map SYSTEM.MAP --functions TABLE RUN_DIR)" ;;
esac
[[ $rel =~ ^[0-9]+\.[0-9]+[A-Za-z0-9.+~-]*$ ]] || die 2 "'$rel' is not a kernel release"
[ -x "$covdwarf" ] || die 1 "$covdwarf is missing; run make"

# The kernel's cache directory, where kernel.sh keeps its vmlinuz (fetched there if not yet).
info=$("$here/kernel.sh" "$spec") || exit $?
dir=$(dirname -- "$(sed -n 's/^kernel=//p' <<<"$info")")
map=$dir/System.map-$rel
table=$dir/functions-$rel.tsv
record=$dir/debug-$rel.info
emit() {
	printf 'system_map=%s\nfunctions=%s\n' "$map" "$table"
	sed -n 's/^\(package\|package_version\)=/\1=/p' "$record"
}

exec 9>"$dir/.lock" || die 1 "cannot open lock file $dir/.lock"
flock -w 3600 9 || die 1 "timed out waiting for another kernel script on $dir/.lock"
if [ -s "$map" ] && [ -s "$table" ] && [ -s "$record" ]; then
	emit
	exit 0
fi

suite=${spec#debian:}
suite=${suite%%/*}
darch=$(sed -n 's/^arch=//p' <<<"$info")
case $darch in
x86_64) darch=amd64 ;;
aarch64) darch=arm64 ;;
ppc64le) darch=ppc64el ;;
*) die 1 "kernel.sh gave no architecture for $spec" ;;
esac
tmp=$(mktemp -d "$dir/.tmp-debug.XXXXXX") || die 1 "cannot create a temporary directory in $dir"
debian_apt_update "$tmp/apt" "$suite" "$darch" "$tmp/log" || die 1 "$apt_error"
pkg=linux-image-$rel-dbg
ver=$(apt-cache "${apt_opts[@]}" show --no-all-versions "$pkg" 2>/dev/null | sed -n 's/^Version: //p' | head -n 1)
[ -n "$ver" ] || die 1 "$suite has no $pkg (the archive may have moved on from $rel)"
# A release name is reused by Debian only for one upload, but say so if the cached
# kernel came from another version of it.
kver=$(sed -n 's/^package_version=//p' "$dir/kernel.info" 2>/dev/null)
kexact=$(sed -n 's/^version=//p' "$dir/kernel.info" 2>/dev/null)
if [ "$kexact" = "$rel" ] && [ -n "$kver" ] && [ "$kver" != "$ver" ]; then
	die 1 "$pkg is at $ver but the kernel that ran is $kver"
fi
mkdir -p "$tmp/deb" "$tmp/x" || die 1 "cannot populate $tmp"
debian_apt_download "$tmp/deb" "$pkg" "$ver" "$tmp/log" || die 1 "$apt_error"
deb=$(find "$tmp/deb" -name '*.deb' | head -n 1)
# Both files come first in the package: under /usr/lib/debug/boot as System.map-RELEASE
# and vmlinux-RELEASE up to 6.12, under /usr/lib/debug/lib/modules/RELEASE as System.map
# and vmlinux in 7.2 (boot/vmlinux-RELEASE a link to it); the package's first entries say
# which. --occurrence stops tar there (dpkg-deb then dies of SIGPIPE, which is expected).
first=$(dpkg-deb --fsys-tarfile "$deb" 2>/dev/null | tar -t 2>/dev/null | head -n 64)
if grep -qxF "./usr/lib/debug/lib/modules/$rel/System.map" <<<"$first"; then
	xmap=usr/lib/debug/lib/modules/$rel/System.map
	xvmlinux=usr/lib/debug/lib/modules/$rel/vmlinux
else
	xmap=usr/lib/debug/boot/System.map-$rel
	xvmlinux=usr/lib/debug/boot/vmlinux-$rel
fi
dpkg-deb --fsys-tarfile "$deb" 2>/dev/null | tar -x -C "$tmp/x" --occurrence=1 \
	"./$xmap" "./$xvmlinux" 2>>"$tmp/log"
rm -f -- "$deb"
if [ ! -s "$tmp/x/$xmap" ] || [ ! -s "$tmp/x/$xvmlinux" ]; then
	die 1 "$pkg=$ver has no $xmap and $xvmlinux"
fi
xmap=$tmp/x/$xmap
xvmlinux=$tmp/x/$xvmlinux
"$covdwarf" "$xvmlinux" "${units[@]}" >"$tmp/table" 2>"$tmp/msg" ||
	die 1 "pmig-covdwarf on $pkg's vmlinux: $(head -n 1 "$tmp/msg")"
[ -s "$tmp/table" ] || die 1 "pmig-covdwarf found no functions of ${units[*]} in $pkg's vmlinux"
mv -f -- "$xmap" "$map" || die 1 "cannot store the System.map in $dir"
mv -f -- "$tmp/table" "$table" || die 1 "cannot store the function table in $dir"
printf 'package=%s\npackage_version=%s\nfetched=%s\n' "$pkg" "$ver" \
	"$(date -u +%Y-%m-%dT%H:%M:%SZ)" >"$record" || die 1 "cannot write $record"
emit
