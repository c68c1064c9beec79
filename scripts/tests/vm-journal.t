#!/bin/bash
# vm-journal.t - machine state a killed run left in a guest is undone by the next run, from the journal's records alone: a benchmark's own zram swap (swapoff, reset, hot_remove).
set -u
here=$(cd "$(dirname "$0")" && pwd)
pmig=$here/../pmig
# shellcheck source=scripts/tests/tap.sh
. "$here/tap.sh"

echo "TAP version 13"
echo "1..3"

"$pmig" vm --kernel debian:trixie --out "$tmp/vm" --add "$here/data/kill-swap-run.sh" \
	--wrap kill-swap-run.sh -- bench >"$tmp/out" 2>"$tmp/err"
rc=$?
seen() { grep "^$1:" "$tmp/out"; }
dev=$(sed -n 's/^journal: O [0-9.]* =\/dev\/\(zram[0-9]*\) =$/\1/p' "$tmp/out")
# The run journaled the three steps of its undo, newest last, and was killed with its swap on.
[ "$rc" = 0 ] && [ -n "$dev" ] &&
	[ "$(grep -c "^journal: W [0-9.]* =/sys/block/$dev/reset =1$" "$tmp/out")" = 1 ] &&
	seen killed | grep -q "blocks=.*$dev .*swaps=1$" &&
	seen after-kill | grep -q "blocks=.*$dev .*swaps=1$"
ok $? killed_run_left_its_zram_swap_on
[ -n "$dev" ] || sed 's/^/# /' "$tmp/out" "$tmp/err"

# The next run says, in one line, that it put each step back, newest first.
seen next | grep -q "^next: rc=0$" &&
	seen next | grep -q "restored what killed run PID [0-9]* .*: swap /dev/$dev off; 1 written to /sys/block/$dev/reset; ${dev#zram} written to /sys/class/zram-control/hot_remove" &&
	! seen after-next | grep -q "$dev" && seen after-next | grep -q "swaps=0$"
ok $? next_run_swapped_off_reset_and_removed_it
seen next | sed 's/^/# /'

# Nothing left in the journal for a third run.
seen journal-bytes | grep -qx 'journal-bytes: 0'
ok $? journal_emptied
