#!/bin/sh
# install.sh - make kselftest-install: pmig as a kselftest collection in DIR (run_kselftest.sh's layout: kselftest-list.txt, DIR/pmig/ with the test, settings, config and the bundle).
# Usage: install.sh DIR PROGRAM... (the Makefile's BINS). Into a kernel's kselftest install directory it adds
# its line to that kselftest-list.txt; run_kselftest.sh -c pmig then runs it.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
[ $# -ge 2 ] || {
	echo "install.sh: usage: install.sh DIR PROGRAM..." >&2
	exit 2
}
dir=$1
shift
mkdir -p "$dir/pmig"
"$here/../bundle.sh" --dir "$dir/pmig" "$@"
install -m 755 "$here/pmig_conform.sh" "$dir/pmig/pmig_conform.sh"
install -m 644 "$here/settings" "$here/config" "$dir/pmig/"
touch "$dir/kselftest-list.txt"
grep -qx 'pmig:pmig_conform.sh' "$dir/kselftest-list.txt" ||
	echo 'pmig:pmig_conform.sh' >>"$dir/kselftest-list.txt"
