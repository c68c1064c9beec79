#!/bin/sh
# bundle-run.sh - a pmig vm --wrap for vm-bundle.t: unpacks the bundle added as /usr/bin/pmig-bundle.tgz and runs the guest's pmig program from it instead.
# Called as: bundle-run.sh pmig-SUBCOMMAND ARGS. Says on stderr where the
# bundled loader finds each library, which the test checks are the bundle's.
set -u
mkdir -p /tmp/bundle && gzip -dc /usr/bin/pmig-bundle.tgz | tar -xf - -C /tmp/bundle || exit 1
r=/tmp/bundle/pmig
prog=$1
shift
for l in "$r"/lib/ld-*.so*; do
	"$l" --library-path "$r/lib" --list "$r/libexec/pmig/elf/$prog" | sed 's/^/bundle-lib: /' >&2
done
exec "$r/libexec/pmig/$prog" "$@"
