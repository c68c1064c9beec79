#!/bin/bash
# vm-modules.t - the guest's facilities from modules: swap on zram, ext4 at /scratch, hwpoison_inject's unpoison-pfn (debugfs), xfs, btrfs, nilfs2 and two tmpfs at /scratch-NAME with the Debian kernel's modules; a kernel without some or all of them still runs, the facility reported absent.
set -u
scripts="$(cd "$(dirname "$0")/.." && pwd)"
pmig=$scripts/pmig
# shellcheck source=scripts/tests/tap.sh
. "$(dirname "$0")/tap.sh"

# diag FILE...: the files as TAP diagnostics.
diag() {
	local f
	for f in "$@"; do
		[ -f "$f" ] && sed "s|^|# ${f##*/}: |" "$f" | head -20
	done
	return 0
}

# What the guest shows from inside, on stdout before the program's own output.
# shellcheck disable=SC2016 # expanded in the guest
probe='sh -c "tail -n +2 /proc/swaps; grep \" /scratch \" /proc/mounts; echo scratch_dir=\$PMIG_SCRATCH_DIR; echo data >/scratch/f && sync && cat /scratch/f; [ -e /sys/kernel/debug/hwpoison/unpoison-pfn ] && echo unpoison=yes; exec \"\$@\"" sh'

echo "TAP version 13"
echo "1..8"

expect_error modules_not_a_directory 2 "pmig vm: " "$pmig" vm --modules /nonexistent/tree -- topo
expect_error modules_sh_no_modules_in_tree 2 "pmig vm: " "$scripts/vm/modules.sh" "$tmp" 6.1.0-1-amd64 "$tmp/none"

# The guest's files from initramfs.sh: the swap header for each base page size is what
# util-linux's mkswap writes for that page size, and the map and blocks put back together are a clean ext4 filesystem;
# the xfs, btrfs and nilfs2 images are there too.
initramfs_files() {
	local x=$tmp/initrd pos=0 off n swap_mb='' scratch_mb='' ps
	mkdir -p "$x"
	"$scripts/vm/initramfs.sh" "$tmp/initrd.gz" --fs-images 1 || return 1
	(cd "$x" && gzip -dc "$tmp/initrd.gz" | cpio -i -d --quiet) || return 1
	# shellcheck disable=SC1091 # made by initramfs.sh
	. "$x/pmig/setup.conf" || return 1
	for ps in 4096 16384 65536; do
		rm -f "$tmp/swap.img"
		truncate -s "${swap_mb}M" "$tmp/swap.img"
		mkswap -p "$ps" -L pmig-swap -U 00000000-0000-0000-0000-000000000000 "$tmp/swap.img" >/dev/null 2>&1 || return 1
		head -c "$ps" "$tmp/swap.img" | cmp -s - "$x/pmig/swap.page.$ps" || return 1
	done
	truncate -s "${scratch_mb}M" "$tmp/fs.img"
	while read -r off n; do
		dd if="$x/pmig/scratch.data" of="$tmp/fs.img" bs=4096 skip="$pos" seek="$off" count="$n" \
			conv=notrunc status=none || return 1
		pos=$((pos + n))
	done <"$x/pmig/scratch.map"
	[ "$((pos * 4096))" = "$(stat -c %s "$x/pmig/scratch.data")" ] &&
		PATH=$PATH:/usr/sbin:/sbin e2fsck -fn "$tmp/fs.img" >/dev/null 2>&1 &&
		PATH=$PATH:/usr/sbin:/sbin dumpe2fs -h "$tmp/fs.img" 2>/dev/null | grep -q 'features:.* has_journal .*extent' &&
		# The filesystems rows' images, where this machine has their mkfs.
		for f in xfs:64 btrfs:128 nilfs2:64; do
			grep -qx "fs_${f%:*}=${f#*:}" "$x/pmig/setup.conf" && [ -s "$x/pmig/${f%:*}.map" ] &&
				[ -s "$x/pmig/${f%:*}.data" ] || return 1
		done
}
initramfs_files
ok $? initramfs_swap_header_ext4_image_and_other_filesystems
# Without --fs-images (a guest other than pmig conform's) the images stay out: their mkfs
# writes the time of day, and under --clock icount every byte of the initramfs counts.
"$scripts/vm/initramfs.sh" "$tmp/initrd-bench.gz" &&
	! gzip -dc "$tmp/initrd-bench.gz" | cpio -t --quiet 2>/dev/null | grep -q '^pmig/\(xfs\|btrfs\|nilfs2\)\.'
ok $? initramfs_without_fs_images_has_none

kinfo=$("$scripts/vm/kernel.sh" debian:bookworm 2>"$tmp/err")
kernel=$(sed -n 's/^kernel=//p' <<<"$kinfo")
release=$(sed -n 's/^version=//p' <<<"$kinfo")
modules=$(sed -n 's/^modules=//p' <<<"$kinfo")
# line NAME: where NAME is in the load order.
line() {
	grep -nx "$1" "$modules/modules.load" | cut -d: -f1
}
[ -f "$kernel" ] && [ -f "$modules/modules.load" ] && grep -qx 'ext4 module' "$modules/modules.info" &&
	[ "$(line zsmalloc.ko)" -lt "$(line zram.ko)" ] && [ "$(line jbd2.ko)" -lt "$(line ext4.ko)" ] &&
	[ -n "$(line brd.ko)" ] && ! grep -q '\.ko\.' "$modules/modules.load" &&
	grep -qx xfs.ko "$modules/modules.fs" && grep -qx btrfs.ko "$modules/modules.fs" &&
	! grep -qx ext4.ko "$modules/modules.fs"
rc=$?
[ "$rc" = 0 ] || { echo "# kernel.sh: $kinfo"; diag "$tmp/err"; }
ok $rc debian_kernel_brings_its_modules_in_load_order

# The Debian kernel with its modules: swap on zram, ext4 at /scratch, writable, given to
# the program; in a guest of pmig conform xfs, btrfs, nilfs2 and the two tmpfs too; vm.txt
# and the stderr lines say so.
"$pmig" vm --out "$tmp/full" --wrap "$probe" -- conform --list --filter 'filesystems.*' >"$tmp/out" 2>"$tmp/err"
rc=$?
[ "$rc" = 0 ] && grep -q '^/dev/zram0 .*partition' "$tmp/out" &&
	grep -q '^/dev/ram0 /scratch ext4 ' "$tmp/out" && grep -qx 'scratch_dir=/scratch' "$tmp/out" &&
	grep -qx data "$tmp/out" && grep -qx unpoison=yes "$tmp/out" &&
	grep -qx 'guest_swap=/dev/zram0 256M' "$tmp/full/vm.txt" &&
	grep -qx 'guest_scratch=/scratch ext4 128M' "$tmp/full/vm.txt" &&
	grep -q '^guest_modules=.*zram.* ext4' "$tmp/full/vm.txt" &&
	grep -q '^pmig vm: guest: swap /dev/zram0 256M; scratch /scratch ext4 128M; modules: [0-9]* loaded' "$tmp/err" &&
	grep -qx 'guest_fs_xfs=/scratch-xfs xfs 64M' "$tmp/full/vm.txt" &&
	grep -qx 'guest_fs_btrfs=/scratch-btrfs btrfs 128M' "$tmp/full/vm.txt" &&
	grep -qx 'guest_fs_nilfs2=/scratch-nilfs2 nilfs2 64M' "$tmp/full/vm.txt" &&
	grep -qx 'guest_fs_tmpfs_always=/scratch-tmpfs-always tmpfs huge=always 64M' "$tmp/full/vm.txt" &&
	grep -qx 'guest_fs_tmpfs_never=/scratch-tmpfs-never tmpfs huge=never 64M' "$tmp/full/vm.txt" &&
	grep -q '^pmig vm: guest: filesystems: xfs: /scratch-xfs xfs 64M; btrfs: ' "$tmp/err"
rc=$?
[ "$rc" = 0 ] || diag "$tmp/out" "$tmp/err" "$tmp/full/vm.txt"
ok $rc debian_guest_has_zram_swap_ext4_scratch_and_the_filesystems_rows_filesystems

# The same kernel as a bzImage path with --modules: a tree (the layout of make
# modules_install) that has brd but neither zram nor ext4. The run succeeds; there is no
# swap and no /scratch, each with its reason, and a guest of pmig topo sets up none of the
# filesystems rows' filesystems.
part=$tmp/tree/lib/modules/$release/kernel/drivers/block
mkdir -p "$part"
cp "$modules/brd.ko" "$part/"
"$scripts/vm/modules.sh" "$tmp/tree" "$release" "$tmp/sel" >"$tmp/out" 2>"$tmp/err"
rc=$?
[ "$rc" = 0 ] && [ ! -s "$tmp/err" ] && grep -qx 'zram missing' "$tmp/sel/modules.info" &&
	grep -qx 'brd module' "$tmp/sel/modules.info" && grep -qx 'ext4 missing' "$tmp/sel/modules.info" &&
	[ "$(cat "$tmp/sel/modules.load")" = brd.ko ]
rc=$?
[ "$rc" = 0 ] || diag "$tmp/err" "$tmp/sel/modules.info" "$tmp/sel/modules.load"
ok $rc modules_sh_reports_missing_modules

"$pmig" vm --kernel "$kernel" --modules "$tmp/tree" --out "$tmp/part" --wrap "$probe" -- topo \
	>"$tmp/out" 2>"$tmp/err"
rc=$?
[ "$rc" = 0 ] && ! grep -q zram "$tmp/out" && ! grep -q ' /scratch ' "$tmp/out" &&
	grep -qx 'scratch_dir=' "$tmp/out" && grep -q '^nodes: 2 ' "$tmp/out" &&
	grep -qx 'guest_modules=brd' "$tmp/part/vm.txt" &&
	grep -qx 'guest_swap=none (no zram device)' "$tmp/part/vm.txt" &&
	grep -qx 'guest_scratch=none (no ext4 in this kernel)' "$tmp/part/vm.txt" &&
	grep -q '^pmig vm: guest: swap none (no zram device); scratch none (no ext4 in this kernel); modules: 1 loaded$' "$tmp/err" &&
	grep -qx 'guest_fs_xfs=none (set up for pmig conform only)' "$tmp/part/vm.txt" &&
	grep -qx 'guest_fs_tmpfs_always=none (set up for pmig conform only)' "$tmp/part/vm.txt"
rc=$?
[ "$rc" = 0 ] || diag "$tmp/out" "$tmp/err" "$tmp/part/vm.txt"
ok $rc kernel_without_zram_and_ext4_runs_without_swap_or_scratch

exit $tap_failed
