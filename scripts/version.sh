#!/bin/sh
# version.sh - prints pmig's version: VERSION, and the commit when built from a git checkout (the same in every clone of it).
# No date, host or path: a build stays byte-reproducible across clones.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
v=$(cat "$top/VERSION" 2>/dev/null) || v=unknown
# Only pmig's own repository: not one it was unpacked into.
if [ "$(git -C "$top" rev-parse --show-toplevel 2>/dev/null)" = "$top" ]; then
	v="$v+g$(git -C "$top" rev-parse --short=12 HEAD)"
fi
echo "$v"
