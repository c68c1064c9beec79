#!/bin/bash
# bundle.t - make bundle's tarball: reproducible, no build paths, runs with nothing of the machine's but the kernel (every library from the bundle, through its loader), and in a root filesystem of another Debian release (chroot; root and debootstrap only).
set -u
here="$(cd "$(dirname "$0")" && pwd)"
top="$(cd "$here/../.." && pwd)"
# shellcheck source=scripts/tests/tap.sh
. "$(dirname "$0")/tap.sh"

echo "TAP version 13"
echo "1..8"

bundle=$(make -s -C "$top" bundle 2>"$tmp/make.err" | sed -n 's/^bundle: //p')
[ -n "$bundle" ] && [ -f "$top/$bundle" ] &&
	[[ ${bundle##*/} =~ ^pmig-bundle-[0-9][^/]*-$(uname -m)\.tar\.gz$ ]]
ok $? make_bundle_writes_the_tarball
[ -n "$bundle" ] || tail -3 "$tmp/make.err" | sed 's/^/# make: /'
bundle=$top/$bundle
sum=$(sha256sum <"$bundle")
rm -f "$bundle"
make -s -C "$top" bundle >/dev/null 2>&1 && [ "$(sha256sum <"$bundle")" = "$sum" ]
ok $? bundle_is_reproducible

mkdir "$tmp/u" && tar -xzf "$bundle" -C "$tmp/u"
r=$tmp/u/pmig
loader=$(cd "$r/lib" && ls ld-*.so*)
[ -x "$r/bin/pmig" ] && [ -x "$r/libexec/pmig/pmig-conform" ] && [ -n "$loader" ] &&
	[ -f "$r/share/man/man1/pmig.1" ] && [ ! -e "$r/libexec/pmig/vm" ]
ok $? bundle_layout
! grep -rlF "$top" "$r" >/dev/null
ok $? no_build_directory_in_the_bundle

# Every library of every program resolves into the bundle, the loader too.
bad=0
for p in "$r"/libexec/pmig/elf/*; do
	"$r/lib/$loader" --library-path "$r/lib" --list "$p" >"$tmp/list" || bad=1
	grep '=>' "$tmp/list" | grep -vF "=> $r/lib/" | sed 's/^/# outside the bundle: /' | grep . && bad=1
done
ok $bad every_library_is_the_bundles

# Run from anywhere, with an empty environment but PATH.
(cd / && env -i PATH=/usr/bin:/bin "$r/bin/pmig" conform --filter 'move_pages.return.*' \
	--junit "$tmp/r.xml") >"$tmp/r.tap" 2>&1
rc=$?
{ [ "$rc" = 0 ] || [ "$rc" = 4 ]; } && grep -q '^# Totals:' "$tmp/r.tap" &&
	xmllint --noout --schema "$r/share/pmig/schema/junit.xsd" "$tmp/r.xml" 2>/dev/null
ok $? bundle_runs_conform

# Another Debian release's minimal root filesystem, made once and cached: no
# libhwloc, json-c, libxml2, ... there; the bundle must bring everything.
chroot_check() {
	local codename other cache mirror f
	[ "$(id -u)" = 0 ] && command -v debootstrap >/dev/null || {
		echo "skip: needs root and debootstrap"
		return 0
	}
	codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
	other=trixie
	[ "$codename" = trixie ] && other=bookworm
	cache=${XDG_CACHE_HOME:-$HOME/.cache}/pmig/rootfs/$other
	if [ ! -x "$cache/bin/sh" ]; then
		# The mirror this machine's apt uses; none is written here.
		mirror=
		for f in /etc/apt/sources.list.d/*.sources; do
			[ -r "$f" ] || continue
			mirror=$(awk '/^URIs:/ { print $2 }' "$f" | grep -v security | head -1)
			[ -n "$mirror" ] && break
		done
		[ -n "$mirror" ] || mirror=$(awk '$1 == "deb" { print $2; exit }' /etc/apt/sources.list 2>/dev/null)
		rm -rf "$cache.tmp"
		mkdir -p "${cache%/*}"
		debootstrap --variant=minbase "$other" "$cache.tmp" "$mirror" >"$tmp/debootstrap.log" 2>&1 &&
			mv "$cache.tmp" "$cache" || {
			echo "skip: debootstrap $other failed: $(tail -1 "$tmp/debootstrap.log")"
			return 0
		}
	fi
	ls "$cache"/usr/lib/*/libhwloc* >/dev/null 2>&1 && {
		echo "fail: $cache has libhwloc"
		return 1
	}
	rm -rf "$cache/pmig"
	cp -a "$r" "$cache/pmig"
	chroot "$cache" /pmig/bin/pmig --version >"$tmp/cv" 2>&1 &&
		chroot "$cache" /pmig/bin/pmig conform --list >"$tmp/cl" 2>&1
	local rc=$?
	# A real run wants /proc, /sys and /dev there: mounted in a mount namespace of
	# its own, so they go with it, whatever happens.
	[ "$rc" = 0 ] && unshare -m --propagation private sh -c '
		mount --bind /proc "$1/proc" && mount --rbind /sys "$1/sys" &&
		mount --rbind /dev "$1/dev" &&
		chroot "$1" /pmig/bin/pmig conform --filter "move_pages.return.*"' _ "$cache" \
		>"$tmp/cr" 2>&1
	rc=$?
	rm -rf "$cache/pmig"
	{ [ "$rc" = 0 ] || [ "$rc" = 4 ]; } && [ "$(wc -l <"$tmp/cl")" -gt 50 ] || {
		echo "fail: in $other (exit $rc): $(tail -1 "$tmp/cv") $(tail -1 "$tmp/cl") $(tail -1 "$tmp/cr")"
		return 1
	}
	echo "ran in $other: $(cat "$tmp/cv"), $(wc -l <"$tmp/cl") cases listed, $(tail -1 "$tmp/cr")"
}
chroot_check >"$tmp/chroot.out"
ok $? bundle_runs_in_another_releases_rootfs
sed 's/^/# /' "$tmp/chroot.out"

# The bundled loader starts the programs: none depends on the machine's /lib64.
head -1 "$r/libexec/pmig/pmig-conform" | grep -q '^#!/bin/sh' &&
	grep -q "lib/$loader\" --library-path" "$r/libexec/pmig/pmig-conform"
ok $? programs_start_through_the_bundled_loader

exit $tap_failed
