#!/bin/sh
# pmig_conform.sh - pmig's kselftest entry: pmig conform from the bundle beside it, TAP on stdout, kselftest's exit codes (0 pass, 1 fail, 4 skip).
# The kselftest runner passes KSELFTEST_PMIG_CONFORM_SH_ARGS as arguments
# (e.g. "--filter 'move_pages.*' --junit /tmp/r.xml"). Plain sh: a test
# machine's root filesystem may have no bash, which only the pmig driver needs.
cd "$(dirname "$0")" || exit 1
./pmig/libexec/pmig/pmig-conform "$@"
rc=$?
# pmig conform's 0 and 4 (every case skipped) are kselftest's; 1 is a failure,
# and so is anything else (2: bad arguments, or another run holds the machine).
case $rc in
0 | 4) exit $rc ;;
*) exit 1 ;;
esac
