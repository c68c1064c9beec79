#!/bin/bash
# initramfs.sh - builds pmig's guest initramfs: busybox, /init, pmig programs, added tools and their shared libraries.
# Usage: initramfs.sh OUT.cpio.gz [--bin FILE]... [--add FILE]... [--data NAME=FILE]...
#   --bin  a pmig program, installed as /pmig/bin/NAME
#   --add  any program, installed as /usr/bin/NAME (on the guest's PATH)
#   --data a file, installed as /pmig/NAME
set -euo pipefail

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

busybox=$(command -v busybox || true)
[ -n "$busybox" ] && file -L "$busybox" | grep -q 'statically linked' ||
	die "needs a static busybox (apt-get install busybox-static)"
cp "$busybox" "$root/bin/busybox"
ln -s busybox "$root/bin/sh"
install -m 755 "$here/guest-init.sh" "$root/init"
printf 'root:x:0:0:root:/:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' >"$root/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"

# The shared libraries of @1 (and the loader) at their own paths.
copy_libs() {
	local lib
	ldd "$1" 2>/dev/null | grep -oE '/[^ ]+' | while read -r lib; do
		[ -e "$root$lib" ] && continue
		mkdir -p "$root$(dirname "$lib")"
		cp -L "$lib" "$root$lib"
	done
}

while [ $# -gt 0 ]; do
	[ $# -ge 2 ] || die "initramfs.sh: $1 needs an argument"
	case "$1" in
	--bin | --add)
		[ -f "$2" ] && [ -x "$2" ] || die "cannot add '$2': not an executable file"
		dest=$root/usr/bin
		[ "$1" = --bin ] && dest=$root/pmig/bin
		cp -L "$2" "$dest/"
		copy_libs "$2"
		;;
	--data)
		name=${2%%=*}
		[ -f "${2#*=}" ] || die "cannot add data '${2#*=}'"
		cp "${2#*=}" "$root/pmig/$name"
		;;
	*) die "initramfs.sh: unknown option '$1'" ;;
	esac
	shift 2
done

(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) >"$out"
