#!/bin/bash
# kernel.sh - resolves a VM kernel SPEC (bzImage path or debian:SUITE) to a bzImage, its release and the guest's modules, fetching Debian's with a private apt setup.
#
# Usage: kernel.sh [--check] SPEC
#   SPEC  a path to a kernel image (x86-64 bzImage, arm64 Image, ppc64le vmlinux), or
#         debian:SUITE[/FLAVOUR]: SUITE bullseye | bookworm | trixie | sid | experimental, FLAVOUR Debian's
#         (amd64, the default; arm64, arm64-16k, powerpc64le, powerpc64le-64k)
#   --check  only check SPEC: exit 0, or one line and 2
# Prints "kernel=<absolute path>", "version=<release>", "arch=<uname -m of the kernel>" and
# "page_size=<bytes, 0 when the image does not say>" on stdout, and for a Debian kernel
# with modules "modules=<absolute directory>" (what modules.sh makes: the modules the guest
# loads, in load order); exit 0. A bzImage path has no modules here (pmig vm --modules).
# Bad input: one "pmig vm: " line on stderr, exit 2. Fetch failure: one line, exit 1.
#
# Debian kernels are fetched by package name with apt-get, using a private sources list
# derived from the system's Debian mirror entry (or PMIG_DEBIAN_MIRROR=URI), private lists
# and cache directories: the system's apt configuration and state are not changed.
# The extracted vmlinuz, a record of where it came from (kernel.info) and the modules the
# guest needs (modules-RELEASE/: modules.sh's list and their dependencies, from the image
# package on 6.1 and 6.12, from linux-modules-RELEASE later) are cached in
# ${XDG_CACHE_HOME:-$HOME/.cache}/pmig/kernels/SUITE/ for 7 days; PMIG_REFRESH=1 refetches.
# A cache entry written before modules were kept, or before modules.sh wanted a module its
# modules.info does not name, is refetched once.
# If a refetch fails but an older cached kernel exists, that one is used (one warning line)
# unless PMIG_REFRESH=1 asked for a fresh one.
set -u -o pipefail
export LC_ALL=C

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=debian-apt.sh
. "$here/debian-apt.sh"
max_age_s=$((7 * 24 * 3600))
min_image_kb=2048 # a package smaller than this (installed) cannot hold a bootable vmlinuz

tmp=
child=

# shellcheck disable=SC2317 # called from the traps
cleanup() {
	if [ -n "$child" ]; then
		kill "$child" 2>/dev/null
		wait "$child" 2>/dev/null
	fi
	[ -n "$tmp" ] && rm -rf -- "$tmp"
}
trap cleanup EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

# die CODE MESSAGE: one line on stderr, then exit.
die() {
	local code=$1
	shift
	printf 'pmig vm: %s\n' "$(printf '%s' "$*" | tr '\n\t' '  ')" >&2
	exit "$code"
}

# bg CMD...: run CMD in the background and wait, so that signals are handled at once.
bg() {
	"$@" &
	child=$!
	wait "$child"
	local rc=$?
	child=
	return "$rc"
}

# bzimage_release FILE: print the release from the bzImage header, or a reason and return 1.
bzimage_release() {
	local f=$1 magic ptr str rel
	magic=$(od -An -tx1 -j 514 -N 4 -- "$f" 2>/dev/null | tr -d ' \n')
	if [ "$magic" != 48647253 ]; then # "HdrS" at 0x202
		echo "not a bzImage (no HdrS magic at offset 0x202)"
		return 1
	fi
	ptr=$(od -An -tu2 --endian=little -j 526 -N 2 -- "$f" 2>/dev/null | tr -d ' \n')
	if [ -z "$ptr" ] || [ "$ptr" = 0 ]; then
		echo "bzImage header has no kernel version string (field at 0x20E is 0)"
		return 1
	fi
	str=$(dd if="$f" bs=256 count=1 iflag=skip_bytes skip=$((ptr + 512)) 2>/dev/null | tr '\0' '\n' | head -n 1)
	rel=${str%% *}
	if ! [[ $rel =~ ^[0-9]+\.[0-9]+[A-Za-z0-9._+~-]*$ ]]; then
		echo "bzImage header has no valid kernel version string at offset $((ptr + 512))"
		return 1
	fi
	echo "$rel"
}

# kernel_identify FILE: "ARCH RELEASE PAGE_SIZE" of a kernel image pmig can boot (PAGE_SIZE
# in bytes, 0 where the file does not say), or a reason and status 1. An x86-64 bzImage,
# an arm64 Image (its header's flags give the page size) or a 64-bit little-endian
# PowerPC vmlinux (ELF); the release of the latter two is their "Linux version" banner.
kernel_identify() {
	local f=$1 rel flags page=0 elf
	if rel=$(bzimage_release "$f" 2>/dev/null); then
		echo "x86_64 $rel 4096"
		return 0
	fi
	elf=$(od -An -tx1 -N 20 -- "$f" 2>/dev/null | tr -d ' \n')
	if [ "$(od -An -tx1 -j 56 -N 4 -- "$f" 2>/dev/null | tr -d ' \n')" = 41524d64 ]; then
		flags=$(od -An -tu8 --endian=little -j 24 -N 8 -- "$f" | tr -d ' \n')
		case $(((flags >> 1) & 3)) in
		1) page=4096 ;;
		2) page=16384 ;;
		3) page=65536 ;;
		esac
		set -- aarch64
	elif [ "${elf:0:10}" = 7f454c4602 ] && [ "${elf:10:2}" = 01 ] && [ "${elf:36:4}" = 1500 ]; then
		set -- ppc64le # ELFCLASS64, little-endian, e_machine 21 (EM_PPC64)
	elif [ "${elf:0:8}" = 1f8b0800 ] || [ "${elf:0:8}" = 1f8b0808 ]; then
		echo "a gzip-compressed file (decompress it: pmig boots bzImage, arm64 Image and ppc64le vmlinux files)"
		return 1
	else
		rel=$(bzimage_release "$f")
		echo "$rel; nor an arm64 Image or a ppc64le vmlinux (pmig boots x86_64, aarch64 and ppc64le kernels)"
		return 1
	fi
	rel=$(LC_ALL=C grep -a -o -m 1 -E 'Linux version [0-9]+\.[0-9]+[A-Za-z0-9._+~-]*' -- "$f" | head -n 1)
	rel=${rel#Linux version }
	if [ -z "$rel" ]; then
		echo "$1 kernel without a \"Linux version\" banner"
		return 1
	fi
	echo "$1 $rel $page"
}

# flavour_arch FLAVOUR: the Debian architecture of a Debian kernel flavour pmig can boot.
flavour_arch() {
	case $1 in
	amd64) echo amd64 ;;
	arm64 | arm64-16k) echo arm64 ;;
	powerpc64le | powerpc64le-64k) echo ppc64el ;;
	*) return 1 ;;
	esac
}
flavours="amd64, arm64, arm64-16k, powerpc64le, powerpc64le-64k"

# config_page_size CONFIG: the base page size a kernel configuration selects (0: unknown).
config_page_size() {
	local v
	v=$(grep -o -m 1 -E '^CONFIG_(ARM64|PPC)_(4K|16K|64K)_PAGES=y|^CONFIG_X86_64=y' "$1" 2>/dev/null)
	case $v in
	*_4K_*) echo 4096 ;;
	*_16K_*) echo 16384 ;;
	*_64K_*) echo 65536 ;;
	CONFIG_X86_64=y) echo 4096 ;;
	*) echo 0 ;;
	esac
}

# --- arguments --------------------------------------------------------------------------
# --check SPEC: only the checks of SPEC (no fetch, nothing printed), for pmig matrix.
check_only=
if [ "${1:-}" = --check ]; then
	check_only=1
	shift
fi
[ $# = 1 ] || die 2 "kernel.sh: expected exactly one SPEC (a kernel image path or debian:SUITE[/FLAVOUR]), got $# arguments"
spec=$1
[ -n "$spec" ] || die 2 "empty kernel spec (use a bzImage path or debian:bookworm|trixie|sid|experimental)"

case $spec in
debian:*) ;;
*)
	[ -e "$spec" ] || die 2 "kernel $spec: no such file"
	[ -f "$spec" ] || die 2 "kernel $spec: not a regular file"
	[ -r "$spec" ] || die 2 "kernel $spec: not readable"
	if ! id=$(kernel_identify "$spec"); then
		die 2 "kernel $spec: $id"
	fi
	read -r karch rel page <<<"$id"
	[ -n "$check_only" ] && exit 0
	abs=$(realpath -- "$spec") || die 2 "kernel $spec: cannot resolve its absolute path"
	printf 'kernel=%s\nversion=%s\narch=%s\npage_size=%s\n' "$abs" "$rel" "$karch" "$page"
	exit 0
	;;
esac

suite=${spec#debian:}
flavour=amd64
case $suite in
*/*)
	flavour=${suite#*/}
	suite=${suite%%/*}
	;;
esac
case $suite in
bullseye | bookworm | trixie | sid | experimental) ;;
*) die 2 "unknown kernel '$spec' (use debian:bullseye, debian:bookworm, debian:trixie, debian:sid or debian:experimental, each with /FLAVOUR or not, or a kernel image path)" ;;
esac
darch=$(flavour_arch "$flavour") || die 2 "kernel '$spec': pmig cannot run the '$flavour' flavour (it runs $flavours)"
[ -n "$check_only" ] && exit 0

# --- cache ------------------------------------------------------------------------------
if [ -n "${XDG_CACHE_HOME:-}" ]; then
	cache_root=$XDG_CACHE_HOME
elif [ -n "${HOME:-}" ]; then
	cache_root=$HOME/.cache
else
	die 1 "$spec: neither XDG_CACHE_HOME nor HOME is set, no place for the kernel cache"
fi
# amd64 keeps the plain suite's directory (caches from before flavours stay valid).
dir=$cache_root/pmig/kernels/$suite
[ "$flavour" = amd64 ] || dir=$dir-$flavour
mkdir -p -- "$dir" 2>/dev/null || die 1 "$spec: cannot create cache directory $dir"
dir=$(cd -- "$dir" && pwd -P) || die 1 "$spec: cannot enter cache directory"
img=$dir/vmlinuz
info=$dir/kernel.info

exec 9>"$dir/.lock" || die 1 "$spec: cannot open lock file $dir/.lock"
bg flock -w 3600 9 || die 1 "$spec: timed out waiting for another kernel.sh on $dir/.lock"

# info_get KEY: a value from the cache record.
info_get() {
	sed -n "s/^$1=//p" "$info" 2>/dev/null | head -n 1
}

# cached_release: print the cached kernel's release if the cache entry is whole.
cached_release() {
	local v r
	[ -f "$info" ] && [ -f "$img" ] || return 1
	v=$(info_get version)
	r=$(kernel_identify "$img") || return 1
	read -r _ r _ <<<"$r"
	[ -n "$v" ] && [ "$v" = "$r" ] || return 1
	echo "$r"
}

# cached_modules: the cached modules directory; status 1 when the record has no modules
# entry or names a directory that is not whole (an empty entry: the kernel has none).
cached_modules() {
	local m
	grep -q '^modules=' "$info" 2>/dev/null || return 1
	m=$(info_get modules)
	[ -z "$m" ] && return 0
	[ -f "$dir/$m/modules.load" ] || return 1
	echo "$dir/$m"
}

# modules_current: status 1 when the cached modules directory's modules.info does not name
# every module modules.sh wants (kept before it wanted that one), or it has no modules.fs
# (kept before modules.sh wrote one). Such an entry is refetched
# once; when that fails, fail() still uses it, modules and all (cached_modules).
modules_current() {
	local m w
	m=$(cached_modules) || return 1
	[ -z "$m" ] && return 0
	[ -f "$m/modules.fs" ] || return 1
	# shellcheck disable=SC2013 # the words of one line
	for w in $(sed -n 's/^want="\(.*\)"$/\1/p' "$here/modules.sh"); do
		grep -q "^$w " "$m/modules.info" 2>/dev/null || return 1
	done
}

# emit RELEASE: the answer, from the cache.
emit() {
	local m
	local id a p
	id=$(kernel_identify "$img")
	read -r a _ p <<<"$id"
	[ -f "$dir/config" ] && [ "$(config_page_size "$dir/config")" != 0 ] && p=$(config_page_size "$dir/config")
	printf 'kernel=%s\nversion=%s\narch=%s\npage_size=%s\n' "$img" "$1" "$a" "$p"
	m=$(cached_modules) && [ -n "$m" ] && printf 'modules=%s\n' "$m"
	return 0
}

if [ "${PMIG_REFRESH:-0}" != 1 ] && rel=$(cached_release) && modules_current; then
	age=$(($(date +%s) - $(stat -c %Y -- "$info")))
	if [ "$age" -ge 0 ] && [ "$age" -lt "$max_age_s" ]; then
		emit "$rel"
		exit 0
	fi
fi

# fail CODE MESSAGE: a fetch failure; fall back to an older cached kernel where allowed.
fail() {
	local code=$1 r
	shift
	if [ "${PMIG_REFRESH:-0}" != 1 ] && r=$(cached_release); then
		printf 'pmig vm: warning: %s; using the kernel cached on %s\n' "$(printf '%s' "$*" | tr '\n\t' '  ')" \
			"$(info_get fetched)" >&2
		emit "$r"
		exit 0
	fi
	die "$code" "$@"
}

# --- private apt setup ------------------------------------------------------------------
# Leftovers of a killed run (we hold the lock, so none is in use).
rm -rf -- "$dir"/.tmp.*
tmp=$(mktemp -d "$dir/.tmp.XXXXXX") || die 1 "$spec: cannot create a temporary directory in $dir"
log=$tmp/log
: >"$log"

# apt_msg [REGEX]: the most telling line of the apt log, for a one-line error: the first
# line matching REGEX, else the first E: line, else the last line.
apt_msg() {
	local m=''
	[ -n "${1:-}" ] && m=$(grep -E -- "$1" "$log" | head -n 1)
	[ -n "$m" ] || m=$(grep -E '^E:' "$log" | grep -v -E 'Some index files failed' | head -n 1)
	[ -n "$m" ] || m=$(grep -v '^[[:space:]]*$' "$log" | tail -n 1)
	m=${m#[EW]: }
	printf '%s' "${m#"${m%%[![:space:]]*}"}" | cut -c 1-400
}

if ! command -v apt-get >/dev/null || ! command -v dpkg-deb >/dev/null; then
	die 1 "$spec: apt-get and dpkg-deb are needed to fetch Debian kernels"
fi
# modules.sh needs kmod; better to say so before downloading 100 MB.
if ! PATH=$PATH:/usr/sbin:/sbin command -v depmod >/dev/null || ! command -v xz >/dev/null; then
	fail 1 "$spec: depmod and xz are needed for the guest's modules (apt-get install kmod xz-utils)"
fi

mkdir -p "$tmp/deb" "$tmp/x" "$tmp/m" ||
	die 1 "$spec: cannot populate $tmp"
debian_apt_setup "$tmp" "$suite" "$darch" >"$tmp/setup.msg" || fail 1 "$spec: $(cat "$tmp/setup.msg")"

acache() {
	apt-cache "${apt_opts[@]}" "$@" 2>>"$log"
}

# field PKG FIELD: a field of PKG's candidate version.
field() {
	acache show --no-all-versions "$1" | awk -v k="$2:" '$1 == k { sub(/^[^:]*:[ \t]*/, ""); print; exit }'
}

if ! bg apt-get "${apt_opts[@]}" --error-on=any update >>"$log" 2>&1; then
	sig='GPG error|NO_PUBKEY|EXPKEYSIG|BADSIG|KEYEXPIRED|REVKEYSIG'
	if grep -q -E "$sig" "$log"; then
		fail 1 "$spec: cannot verify the $suite Release signature with $debian_keyring: $(apt_msg "$sig")"
	fi
	fail 1 "$spec: apt-get update of $suite failed: $(apt_msg)"
fi
ls "$tmp/lists"/*_Packages* >/dev/null 2>&1 || fail 1 "$spec: apt-get update fetched no package index for $suite"

# The image packages to try, best first: the flavour's metapackage, then every
# linux-image-VERSION-FLAVOUR (or -unsigned) from the highest version down. A mirror that
# lacks the newest one's file (seen: a 404 for a package its index lists) gives an
# older kernel of the same flavour, with a warning, instead of none.
starts=()
[ -n "$(field "linux-image-$flavour" Version)" ] && starts+=("linux-image-$flavour")
names=$(acache pkgnames linux-image- | sort -u)
cands=$(grep -E "^linux-image-[0-9].*-$flavour(-unsigned)?\$" <<<"$names" | grep -v -E -- "-(cloud|rt)-$flavour")
while read -r _ p; do
	[ -n "$p" ] && starts+=("$p")
done < <(for p in $cands; do
	v=$(field "$p" Version)
	[ -n "$v" ] && printf '%s %s\n' "$v" "$p"
done | sort -r -V)
[ ${#starts[@]} -gt 0 ] || fail 1 "$spec: no linux-image-$flavour or linux-image-*-$flavour package in $suite"

# Follow Depends from the start package to the one holding the kernel image:
# /boot/vmlinuz-RELEASE (bookworm, trixie; /boot/vmlinux-RELEASE on ppc64el) or
# /usr/lib/modules/RELEASE/vmlinuz (a linux-binary-* package: the layout of sid 7.2 and
# experimental 7.3).
# One pattern at a time: --occurrence=1 makes tar stop at the first match instead of
# decompressing every module (bookworm: 0.1 s instead of 3 s); dpkg-deb then dies of
# SIGPIPE, which is expected.
# shellcheck disable=SC2317 # called through bg
extract() {
	local pat
	for pat in './boot/vmlinuz-*' './boot/vmlinux-*' './usr/lib/modules/*/vmlinuz'; do
		dpkg-deb --fsys-tarfile "$1" | tar -x -C "$2" --wildcards --occurrence=1 "$pat"
		[ -z "$(find "$2" -type f -print -quit)" ] || return 0
	done
	return 1
}
# Downloads package $1 into an empty $tmp/deb; $deb names the file. Status 1 (the
# reason in $missing) when apt cannot get it.
missing=
download() {
	rm -rf "${tmp:?}/deb/"*
	(cd "$tmp/deb" && apt-get "${apt_opts[@]}" download "$1") >>"$log" 2>&1 &
	child=$!
	if ! wait "$child"; then
		child=
		missing="apt-get download $1 failed: $(apt_msg)"
		return 1
	fi
	child=
	deb=$(find "$tmp/deb" -name '*.deb' | head -n 1)
	[ -n "$deb" ] || fail 1 "$spec: apt-get download $1 left no .deb"
}
# walk START: finds the image from START; sets found, pkg, pkgver, pkgdeb.
walk() {
	local queue=("$1") seen=" " steps=0 p size d
	while [ ${#queue[@]} -gt 0 ] && [ "$steps" -lt 8 ]; do
		p=${queue[0]}
		queue=("${queue[@]:1}")
		case $seen in *" $p "*) continue ;; esac
		seen="$seen$p "
		steps=$((steps + 1))
		size=$(field "$p" Installed-Size)
		[ -n "$size" ] || continue
		if [ "$size" -ge "$min_image_kb" ]; then
			rm -rf "${tmp:?}/x/"*
			download "$p" || return 1
			bg extract "$deb" "$tmp/x" >>"$log" 2>&1
			found=$(find "$tmp/x" -type f \( -path "$tmp/x/boot/vmlinu[xz]-*" -o -path "$tmp/x/usr/lib/modules/*/vmlinuz" \) | head -n 1)
			if [ -n "$found" ]; then
				pkg=$p pkgver=$(field "$p" Version) pkgdeb=$deb
				return 0
			fi
			rm -f -- "$deb"
		fi
		# Depends: "a (>= 1), b | c" -> first alternative of each that is a kernel package.
		for d in $(field "$p" Depends | tr ',' '\n' | sed -e 's/|.*//' -e 's/(.*)//' -e 's/:any//' | tr -d ' '); do
			case $d in
			linux-image-*-dbg | linux-image-*-dbgsym) ;;
			linux-image-* | linux-binary-*) queue+=("$d") ;;
			esac
		done
	done
	return 1
}
found='' pkg='' pkgver='' start=''
first_missing=
for start in "${starts[@]}"; do
	walk "$start" && break
	if [ -n "$missing" ] && [ -z "$first_missing" ]; then
		first_missing=$missing
	fi
	missing=
done
[ -n "$found" ] || fail 1 "$spec: no vmlinuz in ${starts[0]} or the kernel packages it depends on${first_missing:+ ($first_missing)}"
[ -n "$first_missing" ] && printf 'pmig vm: warning: %s; using %s %s\n' "$first_missing" "$pkg" "$pkgver" >&2

id=$(kernel_identify "$found") || fail 1 "$spec: $pkg's ${found#"$tmp/x"}: $id"
read -r karch rel _ <<<"$id"

# --- modules ----------------------------------------------------------------------------
# The image package holds the modules (6.1, 6.12) or linux-modules-RELEASE does (the
# linux-binary-* layout); without either the guest simply has no modules.
# shellcheck disable=SC2317 # called through bg
extract_modules() {
	# tar complains about whichever of the two layouts the package does not use.
	dpkg-deb --fsys-tarfile "$1" | tar -x -C "$tmp/m" --wildcards './lib/modules/*' './usr/lib/modules/*' './boot/config-*'
	[ -d "$tmp/m/lib/modules/$rel/kernel" ] || [ -d "$tmp/m/usr/lib/modules/$rel/kernel" ]
}
modpkg='' modver=''
if bg extract_modules "$pkgdeb" >>"$log" 2>&1; then
	modpkg=$pkg modver=$pkgver
elif [ -n "$(field "linux-modules-$rel" Version)" ]; then
	p=linux-modules-$rel
	rm -rf "${tmp:?}/m/"*
	download "$p" || fail 1 "$spec: $missing"
	bg extract_modules "$deb" >>"$log" 2>&1 || fail 1 "$spec: $p holds no modules of $rel"
	modpkg=$p modver=$(field "$p" Version)
fi
rm -rf "${tmp:?}/deb/"*
# The kernel's configuration goes beside it: what a benchmark difference between kernels
# may come from (init_on_alloc, debug options, mitigations) is read there.
# The linux-binary-* layout keeps it in linux-base-RELEASE (400 KB).
config_of() {
	local c
	for c in "$tmp/m/boot/config-$rel" "$tmp/m/usr/lib/modules/$rel/config" "$tmp/m/lib/modules/$rel/config"; do
		[ -f "$c" ] && echo "$c" && return 0
	done
	return 1
}
if ! config_of >/dev/null && [ -n "$(field "linux-base-$rel" Version)" ]; then
	download "linux-base-$rel" || fail 1 "$spec: $missing"
	dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$tmp/m" --wildcards "./usr/lib/modules/$rel/config" >>"$log" 2>&1
	rm -rf "${tmp:?}/deb/"*
fi
if c=$(config_of); then
	cp -- "$c" "$dir/config" || fail 1 "$spec: cannot store the config in $dir"
fi
moddir=
if [ -n "$modpkg" ]; then
	moddir=modules-$rel
	if ! msg=$("$here/modules.sh" "$tmp/m" "$rel" "$tmp/mods" 2>&1 >/dev/null); then
		fail 1 "$spec: ${msg#pmig vm: }"
	fi
fi
rm -rf "${tmp:?}/m"

mv -f -- "$found" "$img" || fail 1 "$spec: cannot store the kernel in $dir"
# Modules of other releases go; a run reading this release's modules right now loses them
# only for the instant between the two renames.
for old in "$dir"/modules-*; do
	[ -e "$old" ] || continue
	mv -f -- "$old" "$tmp/" || fail 1 "$spec: cannot replace $old"
done
if [ -n "$moddir" ]; then
	mv -f -- "$tmp/mods" "$dir/$moddir" || fail 1 "$spec: cannot store the modules in $dir"
fi
{
	echo "suite=$suite"
	echo "flavour=$flavour"
	echo "arch=$karch"
	echo "version=$rel"
	echo "package=$pkg"
	echo "package_version=$pkgver"
	echo "via=$start"
	echo "file=${found#"$tmp/x"}"
	echo "modules=$moddir"
	echo "modules_package=$modpkg"
	echo "modules_package_version=$modver"
	echo "fetched=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
} >"$tmp/info" || fail 1 "$spec: cannot write $tmp/info"
mv -f -- "$tmp/info" "$info" || fail 1 "$spec: cannot write $info"

emit "$rel"
exit 0
