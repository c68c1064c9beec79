#!/bin/bash
# cross.t - guests of other architectures: make ARCH=arm64|ppc64el through guest-build.sh gives programs for that machine, and initramfs.sh --sysroot gives a guest with its busybox, its loader and every library they name.
set -u
scripts="$(cd "$(dirname "$0")/.." && pwd)"
# shellcheck source=scripts/tests/tap.sh
. "$(dirname "$0")/tap.sh"

echo "TAP version 13"
echo "1..12"

expect_error unknown_arch 2 "pmig vm: " "$scripts/cross/guest-build.sh" sparc
expect_error arch_sh_unknown_arch 2 "pmig: " "$scripts/cross/arch.sh" x86_64
expect_error sysroot_without_triplet 2 "pmig vm: " "$scripts/vm/initramfs.sh" "$tmp/i.gz" --sysroot "$tmp"
expect_error busybox_not_static 2 "pmig vm: " "$scripts/vm/initramfs.sh" "$tmp/i.gz" --busybox /bin/true
# An installed pmig has no Makefile to cross-build with.
mkdir -p "$tmp/prefix/libexec/pmig/cross"
cp "$scripts"/cross/*.sh "$tmp/prefix/libexec/pmig/cross/"
expect_error installed_pmig 2 "pmig vm: arm64 guests need pmig's source tree" \
	"$tmp/prefix/libexec/pmig/cross/guest-build.sh" aarch64

# elf FILE FIELD: a field of FILE's ELF header (readelf -h), e.g. Machine.
elf() {
	readelf -hW "$1" 2>/dev/null | sed -n "s/^ *$2: *//p"
}

# guest ARCH MACHINE TRIPLET LOADER: the programs guest-build.sh makes, then a guest of
# them: three tests.
guest() {
	local arch=$1 machine=$2 triplet=$3 loader=$4 info bin busybox sysroot f bad=0 x
	# What make would install; not being root, this machine may lack it.
	if ! "$scripts/deps.sh" "cross-$arch" 2>/dev/null; then
		for t in programs initramfs_libraries initramfs_machine; do
			ok 0 "${arch}_$t # SKIP the $arch cross compilers are missing (as root: scripts/deps.sh cross-$arch)"
		done
		return
	fi
	info=$("$scripts/cross/guest-build.sh" "$arch" 2>"$tmp/err")
	bin=$(sed -n 's/^bin=//p' <<<"$info")
	busybox=$(sed -n 's/^busybox=//p' <<<"$info")
	sysroot=$(sed -n 's/^sysroot=//p' <<<"$info")
	sed 's/^/# stderr: /' "$tmp/err"
	# Every guest program: an executable for MACHINE with LOADER.
	for f in pmig-topo pmig-conform pmig-bench pmig-refmig pmig-bench-loop pmig-covmark; do
		if [ "$(elf "$bin/$f" Machine)" != "$machine" ] || [ "$(elf "$bin/$f" Class)" != ELF64 ] ||
			! readelf -lW "$bin/$f" | grep -qF "interpreter: $loader]"; then
			echo "# $bin/$f: $(elf "$bin/$f" Machine) $(elf "$bin/$f" Class)"
			bad=1
		fi
	done
	[ -n "$bin" ] && [ "$bad" = 0 ] && grep -qx "arch=$arch" <<<"$info"
	ok $? "${arch}_programs"

	# The guest as pmig vm builds it: the loader at its path, and every library that any
	# program or library in it names in /lib/TRIPLET/ (or the loader itself).
	x=$tmp/$arch
	mkdir -p "$x"
	"$scripts/vm/initramfs.sh" "$tmp/$arch.gz" --busybox "$busybox" --sysroot "$sysroot" \
		--bin "$bin/pmig-topo" --bin "$bin/pmig-conform" --bin "$bin/pmig-bench" \
		--bin "$bin/pmig-refmig" --add "$bin/pmig-bench-loop" 2>"$tmp/err" &&
		(cd "$x" && gzip -dc "$tmp/$arch.gz" | cpio -i -d --quiet)
	bad=$?
	sed 's/^/# initramfs.sh: /' "$tmp/err"
	[ -f "$x$loader" ] || {
		echo "# no loader $loader"
		bad=1
	}
	while read -r f; do
		for n in $(readelf -dW "$f" | sed -n 's/.*(NEEDED).*\[\(.*\)\]$/\1/p'); do
			[ "$n" = "$(basename "$loader")" ] || [ -f "$x/lib/$triplet/$n" ] || {
				echo "# ${f#"$x"} needs $n, which is not in /lib/$triplet/"
				bad=1
			}
		done
	done < <(find "$x/pmig/bin" "$x/usr/bin" "$x/lib" -type f)
	[ "$bad" = 0 ] && [ -n "$(ls "$x/lib/$triplet")" ]
	ok $? "${arch}_initramfs_libraries"

	# Everything executable in it is for MACHINE: busybox static, the programs stripped
	# of the debug sections that would name this build directory.
	bad=0
	while read -r f; do
		[ "$(elf "$f" Machine)" = "$machine" ] || {
			echo "# ${f#"$x"}: $(elf "$f" Machine)"
			bad=1
		}
	done < <(find "$x/bin" "$x/pmig/bin" "$x/usr/bin" "$x/lib" "$x/lib64" -type f 2>/dev/null)
	file "$x/bin/busybox" | grep -q 'statically linked' || bad=1
	readelf -SW "$x/pmig/bin/pmig-conform" | grep -q '\.debug_info' && bad=1
	ok "$bad" "${arch}_initramfs_machine"
}

guest arm64 AArch64 aarch64-linux-gnu /lib/ld-linux-aarch64.so.1
guest ppc64el PowerPC64 powerpc64le-linux-gnu /lib64/ld64.so.2

# A program of another machine in a guest of this one's busybox is refused before a boot.
if [ -f "$scripts/../build-arm64/bin/pmig-topo" ] && command -v busybox >/dev/null; then
	expect_error other_machine_refused 2 "pmig vm: cannot add" \
		"$scripts/vm/initramfs.sh" "$tmp/i.gz" --bin "$scripts/../build-arm64/bin/pmig-topo"
else
	ok 0 "other_machine_refused # SKIP no arm64 build or no busybox here"
fi
exit $tap_failed
