#!/bin/sh
# kill-swap-run.sh - guest wrap for vm-journal.t: SIGKILLs a benchmark run once its own zram swap is up, then starts the next run, which must undo it; says what it saw at each step.
state() { echo "$1: blocks=$(ls /sys/block | tr '\n' ' ')swaps=$(tail -n +2 /proc/swaps | wc -l)"; }
# The guest's own zram0 swap off, so that the swap benchmark sets up one of its own.
swapoff /dev/zram0
state before
"$@" --quick --filter 'swap' --size 64M --iterations 50 --out /tmp/killed.json >/tmp/killed.out 2>&1 &
pid=$!
i=0
while [ $i -lt 3000 ] && ! grep -q '^O ' /run/pmig/journal 2>/dev/null; do
	sleep 0.01
	i=$((i + 1))
done
# Past swapon: the record is written just before it.
sleep 0.5
sed 's/^/journal: /' /run/pmig/journal
state killed
kill -9 $pid
wait $pid
state after-kill
"$@" --quick --filter 'memcpy' --size 64K --iterations 1 --out /tmp/next.json >/tmp/next.out 2>/tmp/next.err
echo "next: rc=$?"
sed 's/^/next: /' /tmp/next.err
state after-next
echo "journal-bytes: $(wc -c </run/pmig/journal)"
