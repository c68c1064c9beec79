#!/bin/bash
# initramfs.sh - builds pmig's guest initramfs: busybox, /init, pmig programs, added tools and their shared libraries, kernel modules, the scratch filesystem.
# Usage: initramfs.sh OUT.cpio.gz [--bin FILE]... [--add FILE]... [--data NAME=FILE]... [--modules DIR] [--fs-images 1]
#                     [--busybox FILE] [--sysroot DIR]
#   --bin     a pmig program, installed as /pmig/bin/NAME
#   --add     any program, installed as /usr/bin/NAME (on the guest's PATH)
#   --data    a file, installed as /pmig/NAME
#   --modules what modules.sh made: DIR/modules.load and the .ko files it names, installed in
#             /lib/modules/ (the guest's /init loads them in that order), and DIR/modules.fs
#             (those only pmig conform's guests load)
#   --busybox the guest's static busybox (default: this machine's)
#   --sysroot another architecture's libraries (what scripts/cross/sysroot.sh makes, or a
#             whole Debian root of it): a program's shared libraries are then the ones it
#             names (DT_NEEDED, recursively), from the cross toolchain (/usr/TRIPLET/lib)
#             or DIR/lib/TRIPLET, DIR/usr/lib/TRIPLET, put in the guest's /lib/TRIPLET/,
#             where the loader looks without an ld.so.cache, and the loader at the path
#             the program names (PT_INTERP). Without it, ldd finds them, as on this machine.
#   A program for another machine than the guest's busybox is refused.
# Always, for the guest's swap and scratch filesystem (see guest-init.sh):
#   /pmig/setup.conf   swap_mb= and scratch_mb=, the sizes
#   /pmig/swap.page.N  the swap header for a zram device of swap_mb MiB (what mkswap writes)
#                      for a base page of N bytes
#   /pmig/scratch.map, /pmig/scratch.data  an ext4 filesystem of scratch_mb MiB made here with
#       mkfs.ext4 and kept as its non-zero 4 KiB blocks: "BLOCK COUNT" per run of such blocks,
#       whose contents follow one another in scratch.data. The guest writes them onto a
#       zeroed brd ramdisk: 48 KiB instead of a 128 MiB image, and no mkfs in the guest
#       (busybox's makes ext2 only). Without mkfs.ext4 here the guest has no /scratch.
#   /pmig/NAME.map, /pmig/NAME.data  the same for xfs, btrfs and nilfs2 (mkfs.xfs, mkfs.btrfs,
#       mkfs.nilfs2: xfsprogs, btrfs-progs, nilfs-tools), fs_NAME=MiB in setup.conf
set -euo pipefail

swap_mb=256
scratch_mb=128

die() {
	echo "pmig vm: $*" >&2
	exit 2
}

[ $# -ge 1 ] || die "initramfs.sh: no output file"
out=$1
shift
here=$(cd "$(dirname "$0")" && pwd)
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root"/{bin,pmig/bin,usr/bin,etc,proc,sys,dev,tmp,results}

# --busybox and --sysroot first: every other option's files depend on them.
busybox=
sysroot=
args=("$@")
for ((i = 0; i + 1 < $#; i += 2)); do
	case "${args[i]}" in
	--busybox) busybox=${args[i + 1]} ;;
	--sysroot) sysroot=${args[i + 1]} ;;
	esac
done
static() {
	[ -f "$1" ] && file -L "$1" | grep -q 'statically linked'
}
if [ -n "$busybox" ]; then
	static "$busybox" || die "--busybox '$busybox' is not a statically linked busybox"
else
	busybox=$(command -v busybox || true)
	static "$busybox" || die "needs a static busybox (apt-get install busybox-static)"
fi
# machine FILE: the ELF machine FILE is for (e.g. "AArch64"), empty for a script.
machine() {
	{ readelf -hW "$1" 2>/dev/null || true; } | sed -n 's/^ *Machine: *//p'
}
guest_machine=$(machine "$busybox")
triplet=
if [ -n "$sysroot" ]; then
	triplets=$(cd "$sysroot/usr/lib" 2>/dev/null && ls -d -- *-linux-gnu* 2>/dev/null) || true
	[ "$(wc -w <<<"$triplets")" = 1 ] ||
		die "--sysroot '$sysroot' has no single usr/lib/TRIPLET directory"
	triplet=$triplets
	lib_dirs=("/usr/$triplet/lib" "$sysroot/lib/$triplet" "$sysroot/usr/lib/$triplet")
	mkdir -p "$root/lib/$triplet"
fi
cp "$busybox" "$root/bin/busybox"
ln -s busybox "$root/bin/sh"
install -m 755 "$here/guest-init.sh" "$root/init"
printf 'root:x:0:0:root:/:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' >"$root/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"

# find_lib NAME: the library NAME from lib_dirs.
find_lib() {
	local d
	for d in "${lib_dirs[@]}"; do
		[ -e "$d/$1" ] && echo "$d/$1" && return 0
	done
	return 1
}

# The loader @1 names, and the libraries it needs, recursively, for another architecture:
# the loader loads them from /lib/TRIPLET/; a library the loader itself is (libc's
# NEEDED ld-linux-aarch64.so.1) is already in memory. A static program or a script
# has neither.
loader=
cross_libs() {
	local interp need lib
	interp=$({ readelf -lW "$1" 2>/dev/null || true; } | sed -n 's/.*Requesting program interpreter: \(.*\)]$/\1/p')
	if [ -n "$interp" ] && [ ! -e "$root$interp" ]; then
		loader=$(basename "$interp")
		lib=$(find_lib "$loader") || die "no loader $interp for '$1' in ${lib_dirs[*]}"
		mkdir -p "$root$(dirname "$interp")"
		cp -L "$lib" "$root$interp"
	fi
	for need in $(readelf -dW "$1" 2>/dev/null | sed -n 's/.*(NEEDED).*\[\(.*\)\]$/\1/p'); do
		[ "$need" = "$loader" ] || [ -e "$root/lib/$triplet/$need" ] && continue
		lib=$(find_lib "$need") || die "no $need for '$1' in ${lib_dirs[*]}"
		cp -L "$lib" "$root/lib/$triplet/$need"
		cross_libs "$lib"
	done
}

# The shared libraries of @1 (and the loader) at their own paths; a static program
# has none (ldd fails or names no path).
copy_libs() {
	if [ -n "$triplet" ]; then
		cross_libs "$1"
		return
	fi
	local lib libs
	libs=$(ldd "$1" 2>/dev/null | grep -oE '/[^ ]+') || return 0
	while read -r lib; do
		[ -e "$root$lib" ] && continue
		mkdir -p "$root$(dirname "$lib")"
		cp -L "$lib" "$root$lib"
	done <<<"$libs"
}

while [ $# -gt 0 ]; do
	[ $# -ge 2 ] || die "initramfs.sh: $1 needs an argument"
	case "$1" in
	--bin | --add)
		[ -f "$2" ] && [ -x "$2" ] || die "cannot add '$2': not an executable file"
		m=$(machine "$2")
		[ -z "$m" ] || [ "$m" = "$guest_machine" ] ||
			die "cannot add '$2': a program for $m in a guest for $guest_machine"
		dest=$root/usr/bin
		[ "$1" = --bin ] && dest=$root/pmig/bin
		cp -L "$2" "$dest/"
		# pmig's programs without their debug sections, which name the directory
		# they were built in: the same sources give the same guest from any clone.
		strip="strip"
		[ -n "$triplet" ] && strip=$triplet-strip
		[ "$1" = --bin ] && command -v "$strip" >/dev/null &&
			"$strip" --strip-debug "$dest/$(basename "$2")"
		copy_libs "$2"
		;;
	--data)
		name=${2%%=*}
		[ -f "${2#*=}" ] || die "cannot add data '${2#*=}'"
		cp "${2#*=}" "$root/pmig/$name"
		;;
	--modules)
		[ -f "$2/modules.load" ] || die "cannot add modules from '$2': no modules.load"
		mkdir -p "$root/lib/modules"
		cp "$2/modules.load" "$root/lib/modules/"
		[ -f "$2/modules.fs" ] && cp "$2/modules.fs" "$root/lib/modules/"
		while read -r f; do
			cp "$2/$f" "$root/lib/modules/" || die "cannot add module '$2/$f'"
		done <"$2/modules.load"
		;;
	--fs-images) fs_images=$2 ;;
	--busybox | --sysroot) ;;
	*) die "initramfs.sh: unknown option '$1'" ;;
	esac
	shift 2
done

echo "swap_mb=$swap_mb" >"$root/pmig/setup.conf"
# union swap_header (include/linux/swap.h): version 1, last_page, no bad pages, a label, the
# magic in the last 10 bytes of the first page. One per base page size a guest may have
# (4, 16 and 64 KiB); the guest takes its own.
for ps in 4096 16384 65536; do
	perl -e 'my ($mb, $ps) = @ARGV;
		my $p = "\0" x 1024 . pack("VVV", 1, $mb * 1048576 / $ps - 1, 0) . "\0" x 16 . pack("a16", "pmig-swap");
		print $p . "\0" x ($ps - 10 - length($p)) . "SWAPSPACE2"' "$swap_mb" "$ps" >"$root/pmig/swap.page.$ps"
done

# keep_blocks IMG NAME: the filesystem image IMG as /pmig/NAME.map and /pmig/NAME.data (its
# non-zero 4 KiB blocks, see above); status 1 when it cannot be read.
keep_blocks() {
	# SEEK_DATA/SEEK_HOLE skip the holes; every 4 KiB block with a non-zero byte goes in.
	perl -e '
		my ($img, $map, $data) = @ARGV;
		open(my $in, "<:raw", $img) or die "$img: $!\n";
		open(my $m, ">", $map) or die "$map: $!\n";
		open(my $d, ">:raw", $data) or die "$data: $!\n";
		my ($size, $pos, @runs) = (-s $in, 0);
		while ($pos < $size) {
			my $start = sysseek($in, $pos, 3);	# SEEK_DATA
			last unless defined $start;
			my $end = sysseek($in, $start, 4) // $size;	# SEEK_HOLE
			$start -= $start % 4096;
			sysseek($in, $start, 0);
			for (my $b = $start; $b < $end; $b += 4096) {
				sysread($in, my $buf, 4096) == 4096 or die "$img: short read\n";
				next unless $buf =~ /[^\0]/;
				my $i = $b / 4096;
				if (@runs && $runs[-1][0] + $runs[-1][1] == $i) { $runs[-1][1]++ }
				else { push @runs, [$i, 1] }
				print $d $buf;
			}
			$pos = $end;
		}
		print $m "$_->[0] $_->[1]\n" for @runs;
		close $d or die "$data: $!\n";
		close $m or die "$map: $!\n";
	' "$1" "$root/pmig/$2.map" "$root/pmig/$2.data" || {
		rm -f "$root/pmig/$2.map" "$root/pmig/$2.data"
		return 1
	}
}

# The scratch filesystem. lazy_itable_init: the inode tables stay unwritten (a brd device
# reads zeros there anyway); the guest mounts with noinit_itable so that no kernel thread
# zeroes them again while cases run.
mkfs=$(PATH=$PATH:/usr/sbin:/sbin command -v mkfs.ext4 || true)
fs_uuid=706d6967-7363-7261-7463-680000000001
if [ -n "$mkfs" ]; then
	img=$(mktemp)
	truncate -s "${scratch_mb}M" "$img"
	# Fixed UUID, hash seed and time: the same inputs make the same bytes, so that a
	# guest under --clock icount executes the same instructions boot after boot.
	if E2FSPROGS_FAKE_TIME=1767225600 "$mkfs" -q -F -t ext4 -b 4096 -m 0 -L pmig-scratch \
		-U "$fs_uuid" -E lazy_itable_init=1,lazy_journal_init=1,nodiscard,root_owner=0:0,hash_seed="$fs_uuid" \
		"$img" >/dev/null 2>&1 && keep_blocks "$img" scratch; then
		echo "scratch_mb=$scratch_mb" >>"$root/pmig/setup.conf"
	fi
	rm -f "$img"
fi

# The other filesystems of the filesystems rows (conformance/spec/filesystems.def), each
# kept as NAME.map and NAME.data like the scratch filesystem and listed in setup.conf as
# fs_NAME=MiB; one whose mkfs is missing here is listed as fs_NAME=0 (the guest says so).
# xfs: 64 MiB, under the 300 MiB mkfs.xfs allows outside fstests (its TEST_* variables
# lift the limit); nilfs2: 64 MiB with 256-block segments (its default needs 128 MiB).
fs_image() {
	local name=$1 mb=$2 tool=$3 bin img
	shift 3
	bin=$(PATH=$PATH:/usr/sbin:/sbin command -v "$tool" || true)
	img=$(mktemp)
	truncate -s "${mb}M" "$img"
	if [ -n "$bin" ] && "$bin" "$@" "$img" >/dev/null 2>&1 && keep_blocks "$img" "$name"; then
		echo "fs_$name=$mb" >>"$root/pmig/setup.conf"
	else
		echo "fs_$name=0" >>"$root/pmig/setup.conf"
	fi
	rm -f "$img"
}
# Only for the guests that mount them (--fs-images 1: pmig conform's): mkfs.btrfs and
# mkfs.nilfs2 write the time of day (and nilfs2 a random UUID) into their images, so an
# initramfs with them differs from build to build, and under --clock icount every byte
# of it counts: two boots of one build read tier_user's promotion 30.7 and 31.7 ms apart
# (scripts/tests/vm-tiering-icount.t) with them in every guest.
if [ "${fs_images:-0}" = 1 ]; then
	TEST_DIR=/ TEST_DEV=/ QA_CHECK_FS=1 fs_image xfs 64 mkfs.xfs -q -f -L pmig-xfs -m uuid="${fs_uuid%1}2"
	fs_image btrfs 128 mkfs.btrfs -q -f -L pmig-btrfs -U "${fs_uuid%1}3"
	fs_image nilfs2 64 mkfs.nilfs2 -q -f -B 256 -L pmig-nilfs2
fi

# A reproducible archive: sorted names, one time stamp, no inode numbers or gzip name and time.
find "$root" -exec touch -h -d @1767225600 {} +
(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet --reproducible | gzip -1 -n) >"$out"
