#!/bin/bash
# test-hmm.sh - the kernel's HMM test driver (lib/test_hmm.c, /dev/hmm_dmirror0) built out of tree for a Debian kernel that has device-private memory, from Debian's own packages, cached per kernel release.
#
# Usage: test-hmm.sh SPEC
#   SPEC  debian:SUITE[/FLAVOUR], as pmig vm takes it
# Prints "module=<path>" (test_hmm.ko, for the guest to load) and "source=..." lines, or
# "builtin=test_hmm" where the kernel has it built in, or "absent=<why>" where it cannot
# have it; exit 0. Bad input: one "pmig vm: " line on stderr, exit 2. Fetch or build
# failure: one line, exit 1.
#
# No Debian kernel builds CONFIG_TEST_HMM, and lib/Kconfig.debug lets it be built only
# where CONFIG_DEVICE_PRIVATE is (it needs TRANSPARENT_HUGEPAGE too, and selects
# HMM_MIRROR and MMU_NOTIFIER): Debian turns DEVICE_PRIVATE on in 7.2 (sid) and 7.3
# (experimental), not in 5.10, 6.1 or 6.12. There the module is built as Debian builds
# out-of-tree modules (DKMS): with linux-headers-RELEASE, which brings the kernel's
# compiler (gcc-16-for-host for 7.2) and its kbuild tools; those need a newer C library
# than an older build machine has (linux-kbuild-7.2 wants libc6 >= 2.38), so the build
# runs in a minimal chroot of the kernel's suite (debootstrap), thrown away after. The
# two source files, lib/test_hmm.c and lib/test_hmm_uapi.h, come from linux-source-X.Y
# at the kernel's own version. modpost refuses a symbol the kernel does not export;
# the symbols the module takes are checked against the headers' Module.symvers all the
# same, and their count recorded. The module and the record are kept in
# ${XDG_CACHE_HOME:-$HOME/.cache}/pmig/test-hmm/RELEASE/; the module is unsigned and out
# of tree, so loading it taints the kernel (E, O).
set -u -o pipefail
export LC_ALL=C

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=scripts/vm/debian-apt.sh
. "$here/debian-apt.sh"

tmp=
# shellcheck disable=SC2317 # called from the trap
cleanup() {
	[ -n "$tmp" ] && rm -rf --one-file-system -- "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP

die() {
	local code=$1
	shift
	printf 'pmig vm: test_hmm: %s\n' "$(printf '%s' "$*" | tr '\n\t' '  ')" >&2
	exit "$code"
}

[ $# = 1 ] || die 2 "test-hmm.sh: expected SPEC, got $# arguments"
spec=$1
case $spec in
debian:*) ;;
*) die 2 "kernel '$spec' is not a Debian kernel: no linux-source and linux-headers packages to build test_hmm from" ;;
esac
info=$("$here/kernel.sh" "$spec") || exit $?
kdir=$(dirname -- "$(sed -n 's/^kernel=//p' <<<"$info")")
rel=$(sed -n 's/^version=//p' <<<"$info")
karch=$(sed -n 's/^arch=//p' <<<"$info")
ver=$(sed -n 's/^package_version=//p' "$kdir/kernel.info" 2>/dev/null)
config=$kdir/config
[ -n "$ver" ] || die 1 "$kdir/kernel.info does not record the kernel's package version"
[ -r "$config" ] || die 1 "$config is missing: kernel.sh keeps each kernel's config beside it"

opt() {
	sed -n "s/^$1=//p" "$config"
}
case $(opt CONFIG_TEST_HMM) in
y)
	echo "builtin=test_hmm"
	exit 0
	;;
m)
	echo "absent=CONFIG_TEST_HMM=m in $rel: its own test_hmm.ko would be in the kernel's modules package, which pmig vm does not take it from"
	exit 0
	;;
esac
for o in CONFIG_DEVICE_PRIVATE CONFIG_TRANSPARENT_HUGEPAGE; do
	if [ "$(opt $o)" != y ]; then
		echo "absent=$o is off in $rel, and lib/Kconfig.debug builds TEST_HMM only with it: no device-private memory to migrate to"
		exit 0
	fi
done
if [ "$karch" != x86_64 ] || [ "$(uname -m)" != x86_64 ]; then
	echo "absent=test_hmm is built here for x86-64 kernels on an x86-64 machine only, not $karch"
	exit 0
fi
[ "$(id -u)" = 0 ] || die 1 "building test_hmm for $rel needs root (debootstrap, chroot)"
for t in debootstrap chroot unshare dpkg-deb xz; do
	command -v "$t" >/dev/null || [ -x "/usr/sbin/$t" ] ||
		die 1 "$t is missing (apt-get install debootstrap util-linux dpkg xz-utils)"
done
PATH=$PATH:/usr/sbin:/sbin

suite=${spec#debian:}
suite=${suite%%/*}
# 7.2.13+deb14-amd64 -> linux-source-7.2
xy=$(sed -n 's/^\([0-9]*\.[0-9]*\).*/\1/p' <<<"$rel")
src_pkg=linux-source-$xy
hdr_pkg=linux-headers-$rel
cache=${XDG_CACHE_HOME:-$HOME/.cache}/pmig/test-hmm/$rel
record=$cache/source.info
mkdir -p "$cache" || die 1 "cannot create $cache"
exec 9>"$cache/.lock" || die 1 "cannot open lock file $cache/.lock"
flock -w 3600 9 || die 1 "timed out waiting for another build on $cache/.lock"
# A build killed before its trap ran leaves its chroot (about 750 MB); under the lock no
# other build is using one.
rm -rf --one-file-system -- "$cache"/.tmp.*
if [ "$(sed -n 's/^source=//p' "$record" 2>/dev/null)" != "$src_pkg $ver" ] || [ ! -f "$cache/test_hmm.ko" ]; then
	tmp=$(mktemp -d "$cache/.tmp.XXXXXX") || die 1 "cannot create a temporary directory in $cache"
	log=$tmp/log
	# The two source files, from the source package at the kernel's version.
	debian_apt_update "$tmp/apt" "$suite" amd64 "$log" || die 1 "$apt_error"
	debian_apt_download "$tmp" "$src_pkg" "$ver" "$log" || die 1 "$apt_error"
	dpkg-deb --fsys-tarfile "$tmp/${src_pkg}_"*.deb | tar -x -O "./usr/src/$src_pkg.tar.xz" | xz -dc |
		tar -x -C "$tmp" "$src_pkg/lib/test_hmm.c" "$src_pkg/lib/test_hmm_uapi.h" 2>>"$log" ||
		die 1 "cannot unpack lib/test_hmm.c and lib/test_hmm_uapi.h from $src_pkg=$ver: $(tail -n 1 "$log")"
	rm -f -- "$tmp/${src_pkg}_"*.deb
	# The chroot: experimental is a partial suite over sid.
	base=$suite
	[ "$suite" = experimental ] && base=sid
	mirror=$(debian_mirror)
	[ -n "$mirror" ] || die 1 "no Debian archive entry in /etc/apt/sources.list or /etc/apt/sources.list.d/*.sources (set PMIG_DEBIAN_MIRROR=URI)"
	root=$tmp/root
	debootstrap --variant=minbase --keyring="$debian_keyring" "$base" "$root" "$mirror" >>"$log" 2>&1 ||
		die 1 "debootstrap of $base failed: $(grep -m 1 -E '^E:' "$log")"
	[ "$suite" != "$base" ] &&
		echo "deb $mirror $suite main" >>"$root/etc/apt/sources.list"
	# Whether an archive past its Valid-Until date is taken: as this machine's apt does.
	valid=$(apt-config dump Acquire::Check-Valid-Until 2>/dev/null | sed -n 's/^Acquire::Check-Valid-Until "\(.*\)";$/\1/p')
	[ -n "$valid" ] && echo "Acquire::Check-Valid-Until \"$valid\";" >"$root/etc/apt/apt.conf.d/99pmig"
	chroot "$root" apt-get -q update >>"$log" 2>&1 || die 1 "apt-get update in the $suite chroot failed: $(grep -m 1 '^E:' "$log")"
	DEBIAN_FRONTEND=noninteractive chroot "$root" apt-get -q -y --no-install-recommends install make "$hdr_pkg=$ver" \
		>>"$log" 2>&1 || die 1 "apt-get install $hdr_pkg=$ver in the $suite chroot failed: $(grep -m 1 '^E:' "$log")"
	mkdir -p "$root/build/test_hmm" || die 1 "cannot write in $root"
	{ cp -- "$tmp/$src_pkg/lib/test_hmm.c" "$tmp/$src_pkg/lib/test_hmm_uapi.h" "$root/build/test_hmm/" &&
		echo 'obj-m := test_hmm.o' >"$root/build/test_hmm/Kbuild"; } || die 1 "cannot write in $root"
	# objtool reads /proc (its stack limit): a private proc mount, gone with the namespace.
	# shellcheck disable=SC2016 # the inner shell expands them
	unshare --mount --propagation private sh -c 'mount -t proc proc "$1/proc" && exec chroot "$1" make -C "$2" M=/build/test_hmm modules' \
		sh "$root" "/usr/src/$hdr_pkg" >"$tmp/cc" 2>&1 ||
		die 1 "cannot build test_hmm for $rel: $(grep -m 1 -E 'error|ERROR' "$tmp/cc")"
	ko=$root/build/test_hmm/test_hmm.ko
	symvers=$root/usr/src/$hdr_pkg/Module.symvers
	{ [ -f "$ko" ] && [ -f "$symvers" ]; } || die 1 "the build of test_hmm for $rel left no test_hmm.ko or no Module.symvers"
	# Every symbol the module takes must be one the kernel exports.
	nm -u "$ko" | awk '{ print $2 }' | sort -u >"$tmp/needs"
	awk '{ print $2 }' "$symvers" | sort -u >"$tmp/exported"
	missing=$(comm -23 "$tmp/needs" "$tmp/exported" | tr '\n' ' ')
	[ -z "$missing" ] || die 1 "test_hmm for $rel takes symbols the kernel does not export: $missing"
	vermagic=$(/sbin/modinfo -F vermagic "$ko" 2>/dev/null || modinfo -F vermagic "$ko")
	case $vermagic in
	"$rel "*) ;;
	*) die 1 "test_hmm built for $rel has vermagic '$vermagic'" ;;
	esac
	{ strip --strip-debug -o "$cache/test_hmm.ko.new" "$ko" && mv -f -- "$cache/test_hmm.ko.new" "$cache/test_hmm.ko"; } ||
		die 1 "cannot write $cache/test_hmm.ko"
	{
		printf 'source=%s %s\n' "$src_pkg" "$ver"
		printf 'headers=%s %s\n' "$hdr_pkg" "$ver"
		kcc=$(sed -n 's/^CONFIG_CC_VERSION_TEXT="\(.*\)"$/\1/p' "$root/usr/src/$hdr_pkg/.config" 2>/dev/null)
		printf 'kernel_compiler=%s\n' "$kcc"
		printf 'module_compiler=%s\n' "$(chroot "$root" "${kcc%% *}" --version 2>/dev/null | head -n 1)"
		printf 'symbols=%s taken, all exported (Module.symvers of %s)\n' "$(wc -l <"$tmp/needs")" "$hdr_pkg"
		printf 'vermagic=%s\n' "$vermagic"
		printf 'built=%s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
	} >"$record.new" || die 1 "cannot write $record.new"
	mv -f -- "$record.new" "$record" || die 1 "cannot write $record"
fi
sed -n 's/^\(source\|headers\|symbols\)=/&/p' "$record"
echo "module=$cache/test_hmm.ko"
exit 0
