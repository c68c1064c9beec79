#!/bin/sh
# warn-in-case.sh - a --wrap for pmig vm's tests: runs the program and, in a case process, logs a level-4 "WARNING:" through /dev/kmsg as the kernel's WARN() would (or panics the kernel).
# Usage: warn-in-case.sh [--panic] [--skip N] PROGRAM [ARGS]: the (N+1)-th case process it sees.
panic=
skip=0
while :; do
	case "$1" in
	--panic) panic=1 && shift ;;
	--skip) skip=$2 && shift 2 ;;
	*) break ;;
	esac
done
"$@" &
pid=$!

# The state of process @1 (T once a SIGSTOP has landed; empty once it is gone).
state() {
	cut -d ' ' -f 3 "/proc/$1/stat" 2>/dev/null
}

seen=
while kill -0 "$pid" 2>/dev/null; do
	child=
	# The file has no newline: read fails at its end, with the word read.
	{ read -r child _ <"/proc/$pid/task/$pid/children"; } 2>/dev/null
	[ -n "$child" ] && [ "$child" != "$seen" ] || continue
	seen=$child
	if [ "$skip" -gt 0 ]; then
		skip=$((skip - 1))
		continue
	fi
	kill -STOP "$child" 2>/dev/null || continue
	# Stopped, not exiting: what follows happens while the case runs.
	n=0
	while [ "$(state "$child")" = R ] || [ "$(state "$child")" = S ]; do
		n=$((n + 1))
		[ "$n" -lt 100 ] || break
		sleep 0.01
	done
	if [ "$(state "$child")" = T ]; then
		[ -n "$panic" ] && echo c >/proc/sysrq-trigger
		echo "<4>WARNING: CPU: 0 PID: $child at pmig-test: a warning while a case ran" >/dev/kmsg
		kill -CONT "$child"
		break
	fi
	kill -CONT "$child" 2>/dev/null
done
wait "$pid"
