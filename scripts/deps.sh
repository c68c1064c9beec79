#!/bin/sh
# deps.sh - installs the Debian packages a pmig target needs (apt-get as root), or names them and exits 2.
# Usage: deps.sh build|check|run|fuzz|cross-arm64|cross-ppc64el|vm-x86_64|vm-aarch64|vm-ppc64le|lava|lava-db|lava-lab,
#        or deps.sh --list TARGET (the names, one line)
set -u

# g++ and libbenchmark-dev for the Google Benchmark adapter, libpfm4-dev for perf counters.
# libdw-dev: pmig-covdwarf reads the kernel's DWARF for pmig coverage.
build_pkgs="gcc g++ make pkg-config libc6-dev libnuma-dev libhwloc-dev libjson-c-dev libcap-dev libxml2-dev libbenchmark-dev libpfm4-dev libdw-dev"
# The VM runner: QEMU, the guest's busybox, initramfs tools, strace for --wrap tests, and
# for the guest's modules and filesystems kmod, xz-utils, zstd, e2fsprogs, xfsprogs, btrfs-progs
# and nilfs-tools (nilfs2: the filesystem without its own migrate_folio on 6.12).
vm_pkgs="qemu-system-x86 busybox-static cpio file strace util-linux apt dpkg kmod xz-utils zstd e2fsprogs xfsprogs btrfs-progs nilfs-tools"
# pmig report draws its plots with gnuplot.
report_pkgs="gnuplot-nox"
# Script tests: jq edits benchmark JSON fixtures and checks KCIDB files, xmllint
# validates JUnit against its XSD, python3-jsonschema checks JSON against results/schema,
# time (/usr/bin/time) measures pmig compare's peak memory on a large file,
# groff-base checks the man page, debootstrap makes the other release's root
# filesystem the bundle runs in (bundle.t).
check_pkgs="$build_pkgs $vm_pkgs $report_pkgs libcmocka-dev perl jq libxml2-utils python3-jsonschema time groff-base debootstrap"
run_pkgs="$build_pkgs $vm_pkgs $report_pkgs"
# make fuzz: libFuzzer needs clang's coverage instrumentation and its runtime.
fuzz_pkgs="$build_pkgs clang-14 libfuzzer-14-dev"
# make ARCH=arm64|ppc64el: the cross compilers (their C and C++ runtime come with them) and
# what scripts/cross/sysroot.sh fetches the libraries with. Not QEMU: a build needs none,
# and pmig vm installs the one its kernel needs (vm-ARCH below).
cross_pkgs="make pkg-config apt dpkg debian-archive-keyring"
cross_arm64_pkgs="$cross_pkgs gcc-aarch64-linux-gnu g++-aarch64-linux-gnu"
cross_ppc64el_pkgs="$cross_pkgs gcc-powerpc64le-linux-gnu g++-powerpc64le-linux-gnu"
# pmig vm: the QEMU for a kernel's architecture (kernel.sh's arch=).

list=0
if [ "${1:-}" = --list ]; then
	list=1
	shift
fi

case "${1:-}" in
build) want=$build_pkgs ;;
check) want=$check_pkgs ;;
run) want=$run_pkgs ;;
fuzz) want=$fuzz_pkgs ;;
cross-arm64) want=$cross_arm64_pkgs ;;
cross-ppc64el) want=$cross_ppc64el_pkgs ;;
vm-x86_64) want=qemu-system-x86 ;;
vm-aarch64) want=qemu-system-arm ;;
vm-ppc64le) want=qemu-system-ppc ;;
# pmig lava-job's jobs run under LAVA's own dispatcher in lava.t (lava-run).
lava) want=lava-dispatcher ;;
# pmig lava-lab: PostgreSQL first (lava-server's package sets its database up as it
# installs), then the server (gunicorn, lava-scheduler), a worker and lavacli.
lava-db) want=postgresql ;;
lava-lab) want="postgresql lava-server lava-dispatcher lavacli curl" ;;
*)
	echo "deps.sh: usage: deps.sh [--list] build|check|run|fuzz|cross-arm64|cross-ppc64el|vm-x86_64|vm-aarch64|vm-ppc64le|lava|lava-db|lava-lab" >&2
	exit 2
	;;
esac
if [ "$list" = 1 ]; then
	# shellcheck disable=SC2086 # one line of names
	echo $want
	exit 0
fi

missing=
for p in $want; do
	st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)
	case "$st" in
	*" installed") ;;
	*) missing="$missing $p" ;;
	esac
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" != 0 ]; then
	echo "pmig: missing packages; as root run: apt-get install --no-install-recommends$missing" >&2
	exit 2
fi
echo "pmig: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
# A fresh machine may have no package lists yet; an old list may lack a package.
if ! apt-get install -y -qq --no-install-recommends $missing >/dev/null 2>&1; then
	apt-get update -qq >/dev/null &&
		apt-get install -y -qq --no-install-recommends $missing >/dev/null || {
		echo "pmig: apt-get install$missing failed" >&2
		exit 2
	}
fi
exit 0
