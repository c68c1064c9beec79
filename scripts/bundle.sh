#!/bin/bash
# bundle.sh - pmig for test machines: the programs with the shared libraries they link and the ELF loader that starts them, the driver, man page, completion and schemas, as one tarball or directory.
# Usage: bundle.sh OUT.tar.gz PROGRAM... | bundle.sh --dir DIR PROGRAM... (DIR/pmig/, for
#        make kselftest-install); the PROGRAMs are the Makefile's BINS, not helpers
#        built only to be embedded in another (pmig-compat32).
#
# The programs run against the bundled glibc, which only the bundled loader can
# start them with (a glibc must come with its own ld.so), so each program in
# libexec/pmig/ is a small sh script that runs lib/LOADER --library-path lib/
# elf/PROGRAM: no rpath, no PT_INTERP edit, nothing of the test machine's but
# its kernel and a POSIX sh (bin/pmig, the driver, wants bash). Not in it: the
# VM runner (pmig vm and matrix), which belongs on the build machine.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)

die() {
	echo "bundle.sh: $*" >&2
	exit 2
}

usage="usage: bundle.sh OUT.tar.gz PROGRAM... | bundle.sh --dir DIR PROGRAM..."
dest= tarball=
if [ "${1:-}" = --dir ]; then
	[ $# -ge 2 ] || die "$usage"
	dest=$2
	shift 2
else
	[ $# -ge 1 ] || die "$usage"
	tarball=$1
	shift
fi
[ $# -ge 1 ] || die "$usage"
for prog in "$@"; do
	[ -x "$prog" ] || die "no program '$prog' (run make)"
done

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
root=$stage/pmig
mkdir -p "$root/bin" "$root/libexec/pmig/elf" "$root/lib" "$root/share/man/man1" \
	"$root/share/bash-completion/completions" "$root/share/pmig/schema"
install -m 755 "$top/scripts/pmig" "$root/bin/pmig"
"$top/scripts/version.sh" >"$root/libexec/pmig/version"
install -m 644 "$top/docs/pmig.1" "$root/share/man/man1/pmig.1"
install -m 644 "$top/scripts/pmig-completion.bash" "$root/share/bash-completion/completions/pmig"
install -m 644 "$top"/results/schema/* "$root/share/pmig/schema/"

# ldd's lines: "NAME => PATH (ADDR)" for a library, "PATH (ADDR)" for the loader.
loader=
for prog in "$@"; do
	name=${prog##*/}
	# A static program (pmig-timer) needs neither loader nor libraries: it runs as it is.
	if ! out=$(ldd "$prog" 2>&1); then
		grep -q 'not a dynamic executable' <<<"$out" || die "ldd $prog failed"
		install -m 755 "$prog" "$root/libexec/pmig/$name"
		continue
	fi
	install -m 755 "$prog" "$root/libexec/pmig/elf/$name"
	if grep -q 'not found' <<<"$out"; then
		die "$name: a library is not found: $(grep 'not found' <<<"$out" | head -1)"
	fi
	while read -r lib arrow path _; do
		if [ "$arrow" = "=>" ] && [ "${path#/}" != "$path" ]; then
			[ -e "$root/lib/$lib" ] || cp -L "$path" "$root/lib/$lib"
		elif [ "${lib#/}" != "$lib" ]; then
			loader=${lib##*/}
			[ -e "$root/lib/$loader" ] || cp -L "$lib" "$root/lib/$loader"
		fi
	done <<<"$out"
done
[ -n "$loader" ] || die "ldd named no ELF loader"
chmod 755 "$root/lib/$loader"

# One starter per program. HWLOC_PLUGINS_PATH: never a test machine's hwloc
# plugins, built against its own libhwloc.
for prog in "$root"/libexec/pmig/elf/pmig-*; do
	cat >"$root/libexec/pmig/${prog##*/}" <<STARTER
#!/bin/sh
# Starts elf/\${0##*/} through the bundled loader and libraries (scripts/bundle.sh).
p=\$(readlink -f "\$0")
d=\${p%/*}
r=\${d%/libexec/pmig}
export HWLOC_PLUGINS_PATH="\$r/lib/hwloc"
# pmig-bench's timing program: started through the loader, it cannot find it beside itself.
export PMIG_TIMER="\$d/pmig-timer"
exec "\$r/lib/$loader" --library-path "\$r/lib" --argv0 "\$0" "\$d/elf/\${p##*/}" "\$@"
STARTER
	chmod 755 "$root/libexec/pmig/${prog##*/}"
done

if [ -n "$dest" ]; then
	mkdir -p "$dest"
	rm -rf "${dest:?}/pmig"
	cp -a "$root" "$dest/pmig"
	exit 0
fi
# The same inputs make the same bytes: names sorted, no owners, no times.
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 \
	-C "$stage" -cf - pmig | gzip -n9 >"$tarball.tmp"
mv "$tarball.tmp" "$tarball"
