#!/bin/bash
# journal.t - SIGKILLed runs leave nothing changed once the next run (or pmig restore) has read the journal; two runs at once take turns.
. "$(dirname "$0")/tap.sh"
root=$(cd "$(dirname "$0")/../.." && pwd)
conform=$root/build/bin/pmig-conform
pmig=$root/scripts/pmig
kills=${PMIG_JOURNAL_KILLS:-10}
rundir=${PMIG_RUN_DIR:-/run/pmig}

if [ "$(id -u)" != 0 ]; then
	echo "1..0 # SKIP needs root: the settings are machine-wide"
	exit 0
fi

thp=/sys/kernel/mm/transparent_hugepage
ksm=/sys/kernel/mm/ksm
# The settings this test pins, and the value it pins each to.
declare -A want=(
	[$thp/enabled]=never [$thp/defrag]=defer [/proc/sys/kernel/numa_balancing]=1
	[$ksm/run]=0 [$ksm/pages_to_scan]=123 [$ksm/sleep_millisecs]=37
	[/sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages]=3
)
declare -A orig=()

# A setting as a restore writes it: the bracketed word of a selection list.
value() {
	local v
	v=$(cat "$1") || return 1
	if [[ $v =~ \[([^]]*)\] ]]; then v=${BASH_REMATCH[1]}; fi
	echo "$v"
}

put_back() {
	for f in "${!orig[@]}"; do echo "${orig[$f]}" >"$f" 2>/dev/null; done
	rm -rf "$tmp"
}
trap put_back EXIT

skipped=()
for f in "${!want[@]}"; do
	if [ -w "$f" ] && orig[$f]=$(value "$f") && echo "${want[$f]}" >"$f" 2>/dev/null &&
		[ "$(value "$f")" = "${want[$f]}" ]; then
		:
	else
		unset "want[$f]"
		skipped+=("$f")
	fi
done

# Every pinned setting as pinned; the first that is not goes to $tmp/diff.
settings_ok() {
	for f in "${!want[@]}"; do
		local v
		v=$(value "$f")
		if [ "$v" != "${want[$f]}" ]; then
			echo "$f is $v, was ${want[$f]}" >"$tmp/diff"
			return 1
		fi
	done
	return 0
}

# Processes of this tree's pmig-conform (forked cases and helpers included).
ours() {
	for e in /proc/[0-9]*/exe; do
		[ "$(readlink "$e" 2>/dev/null)" = "$conform" ] && echo "${e//[^0-9]/}"
	done
}

# cgroups pmig-PID of a creator that is gone.
stray_cgroups() {
	for d in /sys/fs/cgroup/pmig-*; do
		[ -d "$d" ] && [ ! -d "/proc/${d##*-}" ] && echo "$d"
	done
}

echo "1..7"
for f in "${skipped[@]}"; do echo "# not pinned (missing or not writable here): $f"; done
echo "# pinned: ${!want[*]}"

# N SIGKILLs at random moments, each followed by a new run or pmig restore.
bad=0
for i in $(seq 1 "$kills"); do
	if [ $((i % 2)) = 0 ]; then
		"$conform" --random 50 >"$tmp/run.out" 2>&1 &
	else
		"$conform" --filter 'move_pages.kind.*' >"$tmp/run.out" 2>&1 &
	fi
	pid=$!
	sleep "0.$(printf %03d $((RANDOM % 300)))"
	kill -KILL "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	if [ $((i % 3)) = 0 ]; then
		"$pmig" restore >>"$tmp/restore.err" 2>&1 || bad=1
	fi
done
"$conform" --random 2 --seed 1 >"$tmp/after.out" 2>"$tmp/after.err" || bad=1
settings_ok
ok $? "$kills SIGKILLs at random moments, then a run: every pinned setting as before"
[ -f "$tmp/diff" ] && echo "# $(cat "$tmp/diff")"
for _ in $(seq 50); do [ -z "$(ours)$(stray_cgroups)" ] && break; sleep 0.1; done
[ -z "$(ours)" ]
ok $? "no pmig-conform process left ($(ours | tr '\n' ' '))"
[ -z "$(stray_cgroups)" ]
ok $? "no cgroup of a dead pmig run left"

# A kill once the run has changed settings: the next run says what it restored.
"$conform" --random 500 >/dev/null 2>&1 &
pid=$!
# Up to 30 s: on a loaded machine the first setting change can take seconds.
for _ in $(seq 3000); do grep -q '^S ' "$rundir/journal" 2>/dev/null && break; sleep 0.01; done
kill -KILL "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
"$conform" --random 1 --seed 1 >"$tmp/next.out" 2>"$tmp/next.err"
grep -q "^# restored what killed run PID $pid " "$tmp/next.out" &&
	[ "$(grep -c "^pmig conform: restored what killed run PID $pid " "$tmp/next.err")" = 1 ] &&
	settings_ok
ok $? "the run after a kill restores, in one stderr line and a TAP comment"

# Two runs at once: the second waits (or with --no-wait exits 2); no wrong verdict.
"$conform" --filter 'move_pages.kind.*' >"$tmp/a.out" 2>"$tmp/a.err" &
a=$!
for _ in $(seq 300); do [ "$(cut -d' ' -f1 "$rundir/lock" 2>/dev/null)" = "$a" ] && break; sleep 0.01; done
"$conform" --no-wait --filter 'move_pages.kind.*' >"$tmp/b.out" 2>"$tmp/b.err"
rc=$?
[ "$rc" = 2 ] && [ ! -s "$tmp/b.out" ] && [ "$(wc -l <"$tmp/b.err")" = 1 ] &&
	grep -q "^pmig conform: run PID $a .*--no-wait" "$tmp/b.err"
ok $? "--no-wait while another run holds the machine: exit 2, one line (exit $rc: $(head -c 200 "$tmp/b.err"))"
for _ in $(seq 300); do [ "$(cut -d' ' -f1 "$rundir/lock" 2>/dev/null)" = "$a" ] && break; sleep 0.01; done
"$conform" --filter 'move_pages.kind.*' >"$tmp/b.out" 2>"$tmp/b.err" &
b=$!
wait "$a"
ra=$?
wait "$b"
rb=$?
[ "$ra" = 0 ] && [ "$rb" = 0 ] && ! cat "$tmp/a.out" "$tmp/b.out" | grep '^not ok' | grep -qv ' # TODO known: '
ok $? "two runs at once: both pass (exit $ra and $rb)"
if grep -q "waiting for run PID $a " "$tmp/b.err"; then
	echo "# the second said: $(head -1 "$tmp/b.err")"
else
	echo "# the first run ended before the second asked for the lock"
fi
settings_ok
ok $? "after both, every pinned setting as before"
exit $tap_failed
