#!/bin/bash
# sysroot.sh - the libraries pmig's programs link against, for another architecture: Debian's -dev and runtime packages of this machine's suite, fetched with a private apt setup and unpacked into DIR/sysroot, plus that architecture's static busybox as DIR/busybox.
#
# Usage: sysroot.sh ARCH DIR     (ARCH: see arch.sh; make ARCH=... runs this on first use)
# The packages: the libraries `deps.sh --list build` names (the -dev packages of a plain
# build, one list for both) and what they depend on, but for the C and C++ runtime, which
# the cross toolchain brings (libc6, libgcc-s1, libstdc++6 and their -dev), and virtual
# packages (libltdl-dev's automake-1.16: a tool, nothing to link). The suite is this
# machine's own: its cross glibc and libstdc++ are the ones those libraries were built with.
# The .debs stay in DIR/apt/debs/: a second run downloads only what is missing.
# Bad input: one "pmig: " line on stderr, exit 2; a failed fetch: one line, exit 1.
# shellcheck source-path=SCRIPTDIR
set -uo pipefail
export LC_ALL=C

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=arch.sh
. "$here/arch.sh"
# shellcheck source=../vm/debian-apt.sh
. "$here/../vm/debian-apt.sh"

die() {
	echo "pmig: $2" >&2
	exit "$1"
}

[ $# = 2 ] || die 2 "usage: sysroot.sh ARCH DIR"
cross_arch "$1" || die 2 "sysroot.sh: architecture '$1': use $cross_arch_names"
# Absolute: apt reads relative Dir:: paths from its root directory.
dir=$(mkdir -p "$2" && cd "$2" && pwd) || die 1 "sysroot.sh: cannot create $2"
for c in apt-get apt-cache dpkg-deb; do
	command -v "$c" >/dev/null || die 1 "sysroot.sh: $c is needed to fetch $cross_deb libraries"
done
suite=$(sed -n 's/^VERSION_CODENAME=//p' /etc/os-release 2>/dev/null | tr -d '"' | head -n 1)
[ -n "$suite" ] || die 1 "sysroot.sh: no VERSION_CODENAME in /etc/os-release: which Debian suite matches the cross toolchain?"
wanted=$("$here/../deps.sh" --list build) || exit 1

apt=$dir/apt
log=$apt/log
mkdir -p "$apt/debs" || die 1 "sysroot.sh: cannot create $apt"
: >"$log"
debian_apt_setup "$apt" "$suite" "$cross_deb" >"$apt/setup.msg" || die 1 "sysroot.sh: $(cat "$apt/setup.msg")"

# fail WHAT: one line with apt's first error, exit 1.
fail() {
	local m
	m=$(grep -E '^E:' "$log" | head -n 1)
	[ -n "$m" ] || m=$(grep -v '^[[:space:]]*$' "$log" | tail -n 1)
	die 1 "sysroot.sh: $1 ($cross_deb, $suite): ${m#E: } (log: $log)"
}

apt-get "${apt_opts[@]}" --error-on=any update >>"$log" 2>&1 || fail "apt-get update failed"

# The toolchain's own libraries, never taken from the archive: the cross gcc's
# headers and runtime are the ones to link and run with.
from_toolchain() {
	case "$1" in
	libc6 | libc6-dev | libcrypt1 | libcrypt-dev | libgcc-s1 | libstdc++6 | linux-libc-dev) return 0 ;;
	libgcc-*-dev | libstdc++-*-dev | libatomic1 | libgomp1 | libasan* | libubsan*) return 0 ;;
	esac
	return 1
}

# The dependency closure, breadth first: of each Depends or Pre-Depends group the
# first alternative (libc6-dev for libnuma-dev's "libc6-dev | libc-dev").
pkgs=
todo=
for p in $wanted; do
	case "$p" in lib*) from_toolchain "$p" || todo="$todo $p" ;; esac
done
while [ -n "$todo" ]; do
	pkgs="$pkgs$todo"
	# shellcheck disable=SC2086 # a list of names
	deps=$(apt-cache "${apt_opts[@]}" depends --no-recommends --no-suggests --no-conflicts \
		--no-breaks --no-replaces --no-enhances $todo 2>>"$log" | awk '
		/^ [ |](Pre)?Depends: / { if (!alt && $2 !~ /^</) print $2; alt = ($0 ~ /^ \|/); next }
		{ alt = 0 }') || fail "apt-cache depends failed"
	todo=
	# shellcheck disable=SC2013 # package names: words
	for p in $(sort -u <<<"$deps"); do
		case " $pkgs $todo " in *" $p "*) continue ;; esac
		from_toolchain "$p" || todo="$todo $p"
	done
done

# Only what is not here yet: a .deb is kept under its package name.
get=
for p in $pkgs busybox-static; do
	compgen -G "$apt/debs/${p}_*.deb" >/dev/null || get="$get $p"
done
if [ -n "$get" ]; then
	# shellcheck disable=SC2086 # a list of names
	(cd "$apt/debs" && apt-get "${apt_opts[@]}" download $get) >>"$log" 2>&1 ||
		fail "apt-get download failed"
fi

new=$dir/sysroot.new
rm -rf "$new" "$dir/busybox.new"
mkdir -p "$new"
for p in $pkgs; do
	for d in "$apt/debs/${p}"_*.deb; do
		dpkg-deb -x "$d" "$new" || die 1 "sysroot.sh: cannot unpack $d"
	done
done
# Links to absolute paths (/lib/TRIPLET/libz.so.1) would lead to this machine's
# own files: they are made relative, into the sysroot.
find "$new" -type l -lname '/*' | while read -r l; do
	ln -sfn "$(realpath -m --relative-to="$(dirname "$l")" "$new$(readlink "$l")")" "$l"
done
x=$(mktemp -d)
for d in "$apt/debs"/busybox-static_*.deb; do
	dpkg-deb -x "$d" "$x" || die 1 "sysroot.sh: cannot unpack $d"
done
cp "$x/bin/busybox" "$dir/busybox.new" || die 1 "sysroot.sh: busybox-static has no bin/busybox"
rm -rf "$x"
rm -rf "$dir/sysroot"
{ mv "$new" "$dir/sysroot" && mv "$dir/busybox.new" "$dir/busybox"; } || die 1 "sysroot.sh: cannot write $dir"
echo "pmig: $cross_deb sysroot: $(wc -w <<<"$pkgs") packages of $suite in $dir/sysroot" >&2
