#!/bin/bash
# vm-offline-kill.t - nothing left offline: a memory block a run offlined is online again once the next run (pmig restore) has read the journal of the run SIGKILLed meanwhile.
set -u
here=$(cd "$(dirname "$0")" && pwd)
pmig=$here/../pmig
wrap=$here/data/offline-kill.sh
kernel=${PMIG_VM_KERNEL:-debian:trixie}
# shellcheck source=scripts/tests/tap.sh
. "$here/tap.sh"

echo "TAP version 13"
echo "1..4"
# The cases that offline a movable block with their pages in it and check them before
# they online it again (three chances): the wrap's poll catches a block offline then.
"$pmig" vm --kernel "$kernel" --topology 2node-hotplug --out "$tmp/out" --add "$wrap" \
	--wrap offline-kill.sh -- conform --filter 'offline.status.*' \
	>"$tmp/stdout" 2>"$tmp/stderr"
sed 's/^/# /' "$tmp/stdout"
caught=$(sed -n 's/^killed run [0-9]* and case [0-9]* while \(memory[0-9]*\) was offline$/\1/p' "$tmp/stdout")
[ -n "$caught" ] && grep -q "^killed $caught offline " "$tmp/stdout"
ok $? "the run and its case SIGKILLed while the block the case offlined was offline"
grep -q '^restore: .*restored what killed run PID [0-9]*' "$tmp/stdout"
ok $? "pmig restore says it put back what the killed run left"
[ -n "$caught" ] && grep -q "^restored $caught online " "$tmp/stdout" &&
	! grep -q '^restored memory[0-9]* offline' "$tmp/stdout"
ok $? "nothing left offline: the block is online again after pmig restore"
# The journal writes "online" back (PMIG_J_SETTING); the preset's movable_node makes the
# kernel put the block back in ZONE_MOVABLE then (without it, ZONE_NORMAL: seen on 5.10
# to 7.3).
[ -n "$caught" ] && grep -q "^restored $caught online Movable$" "$tmp/stdout"
ok $? "the block is back in ZONE_MOVABLE"
exit $tap_failed
