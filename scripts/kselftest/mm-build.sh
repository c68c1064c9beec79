#!/bin/bash
# mm-build.sh - kselftest's migration tests (tools/testing/selftests/mm/migration.c and rmap.c) built statically for a pmig vm guest from the Debian kernel's own source package, cached per kernel release.
#
# Usage: mm-build.sh SPEC
#   SPEC  debian:SUITE[/FLAVOUR], as pmig vm takes it: the tests come from
#         linux-source-X.Y at the version of the kernel that SPEC fetches
# Prints "source=<package> <version>", then "bin=<path>" for each test the source has and
# "absent=<test> <why>" for each it lacks; exit 0. Bad input: one "pmig kselftest: "
# line on stderr, exit 2. Fetch or build failure: one line, exit 1.
#
# The directory was tools/testing/selftests/vm up to 6.2 and is mm since 6.3; rmap.c is
# in neither 6.1 nor 6.12 (7.2 has it). Each test is linked as the directory's Makefile
# links it, with the helpers it names for every test ($(TEST_GEN_FILES): vm_util.c
# thp_settings.c in 6.12) or for that one, against the kernel's own UAPI headers
# (include/uapi, as its make headers gives them to kselftest), the build machine's C
# library, and libnuma statically (libnuma-dev's libnuma.a). The package (139 MB for
# 6.1, 153 MB for 6.12) is not kept; the binaries and a record of their source are, in
# ${XDG_CACHE_HOME:-$HOME/.cache}/pmig/kselftest/RELEASE/.
set -u -o pipefail
export LC_ALL=C

here=$(cd "$(dirname "$0")" && pwd)
vm=$here/../vm
# shellcheck source=scripts/vm/debian-apt.sh
. "$vm/debian-apt.sh"
tests=(migration rmap)

tmp=
# shellcheck disable=SC2317 # called from the trap
cleanup() {
	[ -n "$tmp" ] && rm -rf -- "$tmp"
}
trap cleanup EXIT

die() {
	local code=$1
	shift
	printf 'pmig kselftest: %s\n' "$(printf '%s' "$*" | tr '\n\t' '  ')" >&2
	exit "$code"
}

[ $# = 1 ] || die 2 "mm-build.sh: expected SPEC, got $# arguments"
spec=$1
case $spec in
debian:*) ;;
*) die 2 "kernel '$spec' is not a Debian kernel: no linux-source package to build kselftest from" ;;
esac
info=$("$vm/kernel.sh" "$spec") || exit $?
kdir=$(dirname -- "$(sed -n 's/^kernel=//p' <<<"$info")")
rel=$(sed -n 's/^version=//p' <<<"$info")
ver=$(sed -n 's/^package_version=//p' "$kdir/kernel.info" 2>/dev/null)
darch=$(sed -n 's/^arch=//p' <<<"$info")
[ "$darch" = x86_64 ] || die 2 "kselftest builds here for x86-64 guests only, not $darch"
[ -n "$ver" ] || die 1 "$kdir/kernel.info does not record the kernel's package version"
# 6.12.117+deb13-amd64 -> linux-source-6.12
xy=$(sed -n 's/^\([0-9]*\.[0-9]*\).*/\1/p' <<<"$rel")
pkg=linux-source-$xy

cache=${XDG_CACHE_HOME:-$HOME/.cache}/pmig/kselftest/$rel
record=$cache/source.info
mkdir -p "$cache" || die 1 "cannot create $cache"
exec 9>"$cache/.lock" || die 1 "cannot open lock file $cache/.lock"
flock -w 3600 9 || die 1 "timed out waiting for another build on $cache/.lock"
if [ "$(sed -n 's/^source=//p' "$record" 2>/dev/null)" != "$pkg $ver" ]; then
	tmp=$(mktemp -d "$cache/.tmp.XXXXXX") || die 1 "cannot create a temporary directory in $cache"
	suite=${spec#debian:}
	suite=${suite%%/*}
	debian_apt_update "$tmp/apt" "$suite" amd64 "$tmp/log" || die 1 "$apt_error"
	debian_apt_download "$tmp" "$pkg" "$ver" "$tmp/log" || die 1 "$apt_error"
	# Only the selftests' headers, the mm (or vm) directory and the UAPI headers.
	top=linux-source-$xy/tools/testing/selftests
	dpkg-deb --fsys-tarfile "$tmp"/*.deb | tar -x -O "./usr/src/$pkg.tar.xz" | xz -dc |
		tar -x -C "$tmp" --wildcards "$top/kselftest*" "$top/[mv]m/*" \
			"linux-source-$xy/include/uapi/*" "linux-source-$xy/arch/x86/include/uapi/*" 2>>"$tmp/log" ||
		die 1 "cannot unpack $top from $pkg=$ver: $(tail -n 1 "$tmp/log")"
	src=$tmp/$top/mm
	[ -d "$src" ] || src=$tmp/$top/vm
	# The UAPI headers as make headers gives them to kselftest: the rewrite of
	# scripts/headers_install.sh (its unifdef of __KERNEL__ left out: nothing
	# here defines it). Generated ones (asm/unistd_64.h) come from this machine.
	find "$tmp/linux-source-$xy/include/uapi" "$tmp/linux-source-$xy/arch/x86/include/uapi" \
		-name '*.h' -exec sed -E -i -e '
		s/([[:space:](])(__user|__force|__iomem)[[:space:]]/\1/g
		s/__attribute_const__([[:space:]]|$)/\1/g
		s@^#include <linux/compiler(|_types).h>@@
		s/(^|[^a-zA-Z0-9])__packed([^a-zA-Z0-9_]|$)/\1__attribute__((packed))\2/g
		s/(^|[[:space:](])(inline|asm|volatile)([[:space:](]|$)/\1__\2__\3/g
		s@#(ifndef|define|endif[[:space:]]*/[*])[[:space:]]*_UAPI@#\1 @' {} + ||
		die 1 "cannot prepare the UAPI headers of $pkg=$ver"
	absent=()
	for t in "${tests[@]}"; do
		rm -f -- "${cache:?}/$t"
		if [ ! -f "$src/$t.c" ]; then
			absent+=("$t ${src#"$tmp/linux-source-$xy/"}/$t.c is not in $pkg $ver")
			continue
		fi
		# Paths relative to the source's top, as the kernel's build names them in
		# the tests' assertion messages.
		dir=${src#"$tmp/linux-source-$xy/"}
		srcs=("$dir/$t.c")
		while read -r h; do
			srcs+=("$dir/$h")
		done < <(awk -v t="$t" '$1 == "$(TEST_GEN_FILES):" || $1 == "$(OUTPUT)/" t ":" {
			for (i = 2; i <= NF; i++) if ($i ~ /\.c$/) print $i }' "$src/Makefile")
		(cd "$tmp/linux-source-$xy" &&
			gcc -static -O2 -Wall -isystem include/uapi -isystem arch/x86/include/uapi \
				-I "$dir/.." -I "$dir" -o "$cache/$t" "${srcs[@]}" -lnuma -lpthread) \
			>"$tmp/cc" 2>&1 || die 1 "cannot build $t from $pkg $ver: $(grep -m 1 'error' "$tmp/cc")"
	done
	{
		printf 'source=%s %s\n' "$pkg" "$ver"
		for a in "${absent[@]}"; do
			printf 'absent=%s\n' "$a"
		done
		printf 'built=%s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
	} >"$record.new" || die 1 "cannot write $record.new"
	mv -f -- "$record.new" "$record" || die 1 "cannot write $record"
fi
sed -n 's/^\(source\|absent\)=/&/p' "$record"
for t in "${tests[@]}"; do
	[ -x "$cache/$t" ] && printf 'bin=%s\n' "$cache/$t"
done
exit 0
