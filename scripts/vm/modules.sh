#!/bin/bash
# modules.sh - picks the kernel modules pmig's guest needs (zram, brd, ext4, hwpoison_inject and what they depend on) out of a module tree, decompressed, in load order.
#
# Usage: modules.sh TREE RELEASE DEST
#   TREE     a module tree: a directory holding lib/modules/RELEASE or usr/lib/modules/RELEASE
#            (what `make modules_install INSTALL_MOD_PATH=TREE` or a Debian package gives),
#            or that RELEASE directory itself
#   DEST     created: NAME.ko for every module to load (decompressed: the guest's busybox
#            insmod reads plain ELF), modules.load (their file names, one a line, each after
#            what it needs), modules.info ("NAME module|builtin|missing" per wanted module) and
#            modules.fs (those of modules.load that only fs_only's facilities brought in)
# Exit 0 (also when the tree lacks some wanted module: that facility is just absent in the
# guest), 1 when the tree cannot be read or a tool is missing, 2 on bad input; one
# "pmig vm: " line on stderr.
#
# Dependencies, soft dependencies ("pre:" ones, e.g. ext4 on crc32c) and aliases are
# resolved by kmod on a private copy of the tree (symbolic links), so the tree itself is
# only read and the host's /etc/modprobe.d plays no part.
set -u -o pipefail
export LC_ALL=C

# The facilities: zram (swap), brd (a RAM block device), ext4 (a filesystem with a page cache),
# hwpoison_inject (debugfs hwpoison/unpoison-pfn: the soft_offline cases give back the frames they poison),
# xfs, btrfs and nilfs2 (the filesystems rows: conformance/spec/filesystems.def).
want="zram brd ext4 hwpoison_inject xfs btrfs nilfs2"
# Those only pmig conform's guests load (the filesystems rows), with what they alone need.
fs_only="xfs btrfs nilfs2"

die() {
	local code=$1
	shift
	printf 'pmig vm: %s\n' "$*" >&2
	exit "$code"
}

[ $# = 3 ] || die 2 "modules.sh: expected TREE RELEASE DEST, got $# arguments"
tree=$1 rel=$2 dest=$3
[[ $rel =~ ^[0-9]+\.[0-9]+[A-Za-z0-9._+~-]*$ ]] || die 2 "modules: '$rel' is not a kernel release"
[ -d "$tree" ] || die 2 "modules: $tree is not a directory"
src=
for c in "$tree/lib/modules/$rel" "$tree/usr/lib/modules/$rel" "$tree"; do
	if [ -d "$c/kernel" ]; then
		src=$(cd -- "$c" && pwd -P) || die 1 "modules: cannot enter $c"
		break
	fi
done
[ -n "$src" ] || die 2 "modules: no modules of $rel in $tree (no lib/modules/$rel/kernel, usr/lib/modules/$rel/kernel or kernel/)"
for t in depmod modprobe; do
	command -v "$t" >/dev/null || [ -x "/usr/sbin/$t" ] || [ -x "/sbin/$t" ] ||
		die 1 "modules: $t is missing (apt-get install kmod)"
done
PATH=$PATH:/usr/sbin:/sbin

work=$(mktemp -d) || die 1 "modules: cannot create a temporary directory"
trap 'rm -rf -- "$work"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP

# The private tree: the module files as links, the kernel's own lists as copies; both
# lib/modules and usr/lib/modules, whichever this kmod was built to look in.
m=$work/root/lib/modules/$rel
mkdir -p "$m" "$work/root/usr/lib" "$work/conf" || die 1 "modules: cannot populate $work"
ln -s ../../lib/modules "$work/root/usr/lib/modules"
for e in "$src"/*; do
	b=${e##*/}
	case $b in
	modules.order | modules.builtin | modules.builtin.modinfo)
		cp -- "$e" "$m/" || die 1 "modules: cannot copy $e"
		;;
	modules.* | build | source) ;;
	*)
		if [ -d "$e" ]; then
			cp -rs -- "$e" "$m/" || die 1 "modules: cannot link $e"
		fi
		;;
	esac
done
depmod -b "$work/root" "$rel" >"$work/log" 2>&1 || die 1 "modules: depmod on $src failed: $(head -c 300 "$work/log" | tr '\n' ' ')"

mkdir -p -- "$dest" || die 1 "modules: cannot create $dest"
{ : >"$dest/modules.load" && : >"$dest/modules.info" && : >"$dest/modules.fs"; } ||
	die 1 "modules: cannot write in $dest"
seen=" "
for w in $want; do
	if ! out=$(modprobe -C "$work/conf" -d "$work/root" -S "$rel" --show-depends --ignore-install "$w" 2>/dev/null); then
		echo "$w missing" >>"$dest/modules.info"
		continue
	fi
	if grep -q '^builtin ' <<<"$out" && ! grep -q '^insmod ' <<<"$out"; then
		echo "$w builtin" >>"$dest/modules.info"
		continue
	fi
	echo "$w module" >>"$dest/modules.info"
	while read -r verb path _; do
		[ "$verb" = insmod ] || continue
		f=${path##*/}
		name=${f%%.ko*}.ko
		case $seen in *" $name "*) continue ;; esac
		seen="$seen$name "
		case $f in
		*.ko) cat -- "$path" ;;
		*.ko.xz) xz -dc -- "$path" ;;
		*.ko.zst) zstd -q -dc -- "$path" ;;
		*.ko.gz) gzip -dc -- "$path" ;;
		*) false ;;
		esac >"$dest/$name" || die 1 "modules: cannot decompress $f (xz-utils, zstd)"
		echo "$name" >>"$dest/modules.load"
		case " $fs_only " in *" $w "*) echo "$name" >>"$dest/modules.fs" ;; esac
	done <<<"$out"
done
exit 0
