#!/bin/bash
# kernel.sh - resolves a VM kernel SPEC (bzImage path or debian:SUITE) to a bzImage, its release and the guest's modules, fetching Debian's with a private apt setup.
#
# Usage: kernel.sh SPEC
#   SPEC  a path to a bzImage, or debian:bookworm | debian:trixie | debian:sid | debian:experimental
# Prints "kernel=<absolute path>" and "version=<release>" on stdout, and for a Debian kernel
# with modules "modules=<absolute directory>" (what modules.sh makes: the modules the guest
# loads, in load order); exit 0. A bzImage path has no modules here (pmig vm --modules).
# Bad input: one "pmig vm: " line on stderr, exit 2. Fetch failure: one line, exit 1.
#
# Debian kernels are fetched by package name with apt-get, using a private sources list
# derived from the system's Debian mirror entry (or PMIG_DEBIAN_MIRROR=URI), private lists
# and cache directories: the system's apt configuration and state are not changed.
# The extracted vmlinuz, a record of where it came from (kernel.info) and the modules the
# guest needs (modules-RELEASE/: zram, brd, ext4 and their dependencies, from the image
# package on 6.1 and 6.12, from linux-modules-RELEASE later) are cached in
# ${XDG_CACHE_HOME:-$HOME/.cache}/pmig/kernels/SUITE/ for 7 days; PMIG_REFRESH=1 refetches.
# A cache entry written before modules were kept is refetched once.
# If a refetch fails but an older cached kernel exists, that one is used (one warning line)
# unless PMIG_REFRESH=1 asked for a fresh one.
set -u -o pipefail
export LC_ALL=C

here=$(cd "$(dirname "$0")" && pwd)
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
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

# --- arguments --------------------------------------------------------------------------
[ $# = 1 ] || die 2 "kernel.sh: expected exactly one SPEC (a bzImage path or debian:SUITE), got $# arguments"
spec=$1
[ -n "$spec" ] || die 2 "empty kernel spec (use a bzImage path or debian:bookworm|trixie|sid|experimental)"

case $spec in
debian:*) ;;
*)
	[ -e "$spec" ] || die 2 "kernel $spec: no such file"
	[ -f "$spec" ] || die 2 "kernel $spec: not a regular file"
	[ -r "$spec" ] || die 2 "kernel $spec: not readable"
	if ! rel=$(bzimage_release "$spec"); then
		die 2 "kernel $spec: $rel"
	fi
	abs=$(realpath -- "$spec") || die 2 "kernel $spec: cannot resolve its absolute path"
	printf 'kernel=%s\nversion=%s\n' "$abs" "$rel"
	exit 0
	;;
esac

suite=${spec#debian:}
case $suite in
bookworm | trixie | sid | experimental) ;;
*) die 2 "unknown kernel '$spec' (use debian:bookworm, debian:trixie, debian:sid or debian:experimental, or a bzImage path)" ;;
esac

# --- cache ------------------------------------------------------------------------------
if [ -n "${XDG_CACHE_HOME:-}" ]; then
	cache_root=$XDG_CACHE_HOME
elif [ -n "${HOME:-}" ]; then
	cache_root=$HOME/.cache
else
	die 1 "$spec: neither XDG_CACHE_HOME nor HOME is set, no place for the kernel cache"
fi
dir=$cache_root/pmig/kernels/$suite
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
	r=$(bzimage_release "$img") || return 1
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

# emit RELEASE: the answer, from the cache.
emit() {
	local m
	printf 'kernel=%s\nversion=%s\n' "$img" "$1"
	m=$(cached_modules) && [ -n "$m" ] && printf 'modules=%s\n' "$m"
	return 0
}

if [ "${PMIG_REFRESH:-0}" != 1 ] && rel=$(cached_release) && cached_modules >/dev/null; then
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

# system_mirror: the URI of the system's main Debian archive entry.
system_mirror() {
	local codename=
	if [ -r /etc/os-release ]; then
		codename=$(sed -n 's/^VERSION_CODENAME=//p' /etc/os-release | tr -d '"' | head -n 1)
	fi
	{
		# deb822: stanzas separated by blank lines; prints "RANK URI" per candidate.
		for f in /etc/apt/sources.list.d/*.sources; do
			[ -r "$f" ] || continue
			awk -v cn="$codename" '
				function flush(   n, s, i, r) {
					if (types ~ /(^|[ \t])deb([ \t]|$)/ && tolower(enabled) != "no" && uri != "") {
						n = split(suites, s, /[ \t]+/)
						for (i = 1; i <= n; i++) {
							r = rank(s[i], uri)
							if (r >= 0) print r, uri
						}
					}
					types = ""; suites = ""; uri = ""; enabled = ""; key = ""
				}
				function rank(suite, u) {
					if (u ~ /security/ || suite ~ /-/ || suite == "") return -1
					if (cn != "" && suite == cn) return 0
					return 1
				}
				/^[ \t]*#/ { next }
				/^[ \t]*$/ { flush(); next }
				/^[ \t]/ { next }  # continuation lines: not needed for these fields
				{
					key = tolower($0); sub(/:.*/, "", key)
					val = $0; sub(/^[^:]*:[ \t]*/, "", val)
					if (key == "types") types = val
					else if (key == "suites") suites = val
					else if (key == "enabled") enabled = val
					else if (key == "uris") { split(val, u, /[ \t]+/); uri = u[1] }
				}
				END { flush() }
			' "$f"
		done
		# one-line format: deb [options] URI SUITE COMPONENTS...
		for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
			[ -r "$f" ] || continue
			sed -e 's/#.*//' -e 's/\[[^]]*\]//' "$f" | awk -v cn="$codename" '
				$1 == "deb" && NF >= 3 {
					if ($2 ~ /security/ || $3 ~ /-/) next
					print (cn != "" && $3 == cn) ? 0 : 1, $2
				}
			'
		done
	} 2>/dev/null | grep -v -E ' cdrom:' | sort -s -n -k 1,1 | head -n 1 | cut -d ' ' -f 2-
}

mirror=${PMIG_DEBIAN_MIRROR:-}
[ -n "$mirror" ] || mirror=$(system_mirror)
[ -n "$mirror" ] || die 1 "$spec: no Debian archive entry in /etc/apt/sources.list or /etc/apt/sources.list.d/*.sources (set PMIG_DEBIAN_MIRROR=URI)"
[ -r "$keyring" ] || die 1 "$spec: $keyring is missing (apt-get install debian-archive-keyring)"
if ! command -v apt-get >/dev/null || ! command -v dpkg-deb >/dev/null; then
	die 1 "$spec: apt-get and dpkg-deb are needed to fetch Debian kernels"
fi
# modules.sh needs kmod; better to say so before downloading 100 MB.
if ! PATH=$PATH:/usr/sbin:/sbin command -v depmod >/dev/null || ! command -v xz >/dev/null; then
	fail 1 "$spec: depmod and xz are needed for the guest's modules (apt-get install kmod xz-utils)"
fi

mkdir -p "$tmp/etc/parts" "$tmp/lists/partial" "$tmp/cache/archives/partial" "$tmp/deb" "$tmp/x" "$tmp/m" ||
	die 1 "$spec: cannot populate $tmp"
echo "deb [signed-by=$keyring] $mirror $suite main" >"$tmp/etc/sources.list"

apt_opts=(
	-q
	-o "Dir::Etc::SourceList=$tmp/etc/sources.list"
	-o "Dir::Etc::SourceParts=$tmp/etc/parts"
	-o "Dir::Etc::Preferences=$tmp/etc/preferences"
	-o "Dir::Etc::PreferencesParts=$tmp/etc/parts"
	-o "Dir::State::Lists=$tmp/lists"
	-o "Dir::Cache=$tmp/cache"
	-o "Dir::Cache::pkgcache=$tmp/cache/pkgcache.bin"
	-o "Dir::Cache::srcpkgcache=$tmp/cache/srcpkgcache.bin"
	-o APT::Get::List-Cleanup=0
	-o Debug::NoLocking=1
	-o APT::Architecture=amd64
	-o APT::Architectures=amd64
	-o APT::Default-Release=
	-o Acquire::Languages=none
	-o Acquire::IndexTargets::deb::Contents-deb::DefaultEnabled=false
	-o Acquire::IndexTargets::deb::DEP-11::DefaultEnabled=false
)
# apt drops to user _apt for downloads; it cannot enter a private cache under root's home.
[ "$(id -u)" = 0 ] && apt_opts+=(-o APT::Sandbox::User=root)

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
		fail 1 "$spec: cannot verify the $suite Release signature with $keyring: $(apt_msg "$sig")"
	fi
	fail 1 "$spec: apt-get update of $suite failed: $(apt_msg)"
fi
ls "$tmp/lists"/*_Packages* >/dev/null 2>&1 || fail 1 "$spec: apt-get update fetched no package index for $suite"

# The image package: the metapackage, else the highest-versioned linux-image-*-amd64.
start=
if [ -n "$(field linux-image-amd64 Version)" ]; then
	start=linux-image-amd64
else
	names=$(acache pkgnames linux-image- | sort -u)
	cands=$(grep -E '^linux-image-[0-9].*-amd64$' <<<"$names" | grep -v -E -- '-(cloud|rt)-amd64$')
	[ -n "$cands" ] || cands=$(grep -E '^linux-image-[0-9].*-amd64-unsigned$' <<<"$names" | grep -v -E -- '-(cloud|rt)-amd64')
	best='' bestv=''
	for p in $cands; do
		v=$(field "$p" Version)
		[ -n "$v" ] || continue
		if [ -z "$bestv" ] || dpkg --compare-versions "$v" gt "$bestv"; then
			best=$p bestv=$v
		fi
	done
	start=$best
fi
[ -n "$start" ] || fail 1 "$spec: no linux-image-amd64 or linux-image-*-amd64 package in $suite"

# Follow Depends from the start package to the one holding the kernel image:
# /boot/vmlinuz-RELEASE (bookworm, trixie) or /usr/lib/modules/RELEASE/vmlinuz (a
# linux-binary-* package: the layout of sid 7.2 and experimental 7.3).
# One pattern at a time: --occurrence=1 makes tar stop at the first match instead of
# decompressing every module (bookworm: 0.1 s instead of 3 s); dpkg-deb then dies of
# SIGPIPE, which is expected.
# shellcheck disable=SC2317 # called through bg
extract() {
	local pat
	for pat in './boot/vmlinuz-*' './usr/lib/modules/*/vmlinuz'; do
		dpkg-deb --fsys-tarfile "$1" | tar -x -C "$2" --wildcards --occurrence=1 "$pat"
		[ -z "$(find "$2" -type f -print -quit)" ] || return 0
	done
	return 1
}
# Downloads package $1 into an empty $tmp/deb; $deb names the file.
download() {
	rm -rf "${tmp:?}/deb/"*
	(cd "$tmp/deb" && apt-get "${apt_opts[@]}" download "$1") >>"$log" 2>&1 &
	child=$!
	wait "$child" || fail 1 "$spec: apt-get download $1 failed: $(apt_msg)"
	child=
	deb=$(find "$tmp/deb" -name '*.deb' | head -n 1)
	[ -n "$deb" ] || fail 1 "$spec: apt-get download $1 left no .deb"
}
queue=("$start")
seen=" "
found='' pkg='' pkgver=''
steps=0
while [ ${#queue[@]} -gt 0 ] && [ -z "$found" ] && [ "$steps" -lt 8 ]; do
	p=${queue[0]}
	queue=("${queue[@]:1}")
	case $seen in *" $p "*) continue ;; esac
	seen="$seen$p "
	steps=$((steps + 1))
	size=$(field "$p" Installed-Size)
	[ -n "$size" ] || continue
	if [ "$size" -ge "$min_image_kb" ]; then
		rm -rf "${tmp:?}/x/"*
		download "$p"
		bg extract "$deb" "$tmp/x" >>"$log" 2>&1
		found=$(find "$tmp/x" -type f \( -path "$tmp/x/boot/vmlinuz-*" -o -path "$tmp/x/usr/lib/modules/*/vmlinuz" \) | head -n 1)
		if [ -n "$found" ]; then
			pkg=$p pkgver=$(field "$p" Version) pkgdeb=$deb
			break
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
[ -n "$found" ] || fail 1 "$spec: no vmlinuz in $start or the kernel packages it depends on"

rel=$(bzimage_release "$found") || fail 1 "$spec: $pkg's ${found#"$tmp/x"}: $rel"

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
	download "$p"
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
	download "linux-base-$rel"
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
