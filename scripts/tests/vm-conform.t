#!/bin/sh
# vm-conform.t - the conformance run inside the default VM (Debian bookworm kernel, 2 emulated nodes): its TAP is the test.
here=$(cd "$(dirname "$0")" && pwd)
exec "$here/../pmig" vm --out "$here/../../results/runs/check-vm-conform" -- conform
