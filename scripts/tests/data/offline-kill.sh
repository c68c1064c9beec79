#!/bin/sh
# offline-kill.sh - a --wrap for vm-offline-kill.t: SIGKILLs the pmig run and its case process while a memory block the case offlined is offline, then runs pmig conform --restore; prints each movable block's state and zone on the way.
# Usage: offline-kill.sh PROGRAM [ARGS]
m=/sys/devices/system/memory
blocks=
for b in "$m"/memory*; do
	[ "$(cat "$b/valid_zones" 2>/dev/null)" = Movable ] && blocks="$blocks ${b##*/}"
done
# say WHEN: one line per movable block: "WHEN memoryN STATE ZONES".
say() {
	for b in $blocks; do
		echo "$1 $b $(cat "$m/$b/state") $(cat "$m/$b/valid_zones")"
	done
}
say before
"$@" >/tmp/first.out 2>&1 &
pid=$!
caught=
i=0
# The case holds a block offline for a moment only: once one reads offline, the case
# process is stopped, and the block read again; still offline, the run and the case
# are killed in one kill(1), so neither is left to put the block back; online again
# (the case was quicker), the case goes on and the poll too.
while [ -z "$caught" ] && [ "$i" -lt 20000 ] && kill -0 "$pid" 2>/dev/null; do
	for b in $blocks; do
		[ "$(cat "$m/$b/state")" = offline ] || continue
		child=
		{ read -r child _ <"/proc/$pid/task/$pid/children"; } 2>/dev/null
		[ -n "$child" ] || continue
		kill -STOP "$child"
		if [ "$(cat "$m/$b/state")" = offline ]; then
			kill -KILL "$pid" "$child"
			caught=$b
			echo "killed run $pid and case $child while $b was offline"
			break
		fi
		kill -CONT "$child"
	done
	i=$((i + 1))
done
wait "$pid" 2>/dev/null
say killed
pmig-conform --restore 2>&1 | sed 's/^/restore: /'
say restored
