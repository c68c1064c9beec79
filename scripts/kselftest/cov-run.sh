#!/bin/sh
# cov-run.sh - in a pmig vm --coverage guest: kselftest harness programs run one after the other, each of their tests in a coverage epoch of its own (kselftest:PROGRAM:TEST), then the pmig program.
#
# Usage (pmig vm --add PROGRAM... --add cov-run.sh --wrap 'cov-run.sh PROGRAM... --'):
#   cov-run.sh PROGRAM... -- COMMAND [ARGS]
# A test's epoch begins when the harness prints its "#  RUN" line, which it flushes
# just before it forks the test, so the first instructions of the test may count
# for the epoch before; its "OK" or "FAIL" line (printed when the test has ended)
# returns to epoch 1, the runner's, as pmig's runner does between its cases.
# Epochs are numbered from 2 across the programs: COMMAND must mark none (pmig
# topo). Before them, every node with memory gets 2 free pages in the default
# hugetlb pool (the hugetlb tests migrate one page back and forth), put back after,
# and /dev/shm a tmpfs if it has none.
# Exit: the first program's status that is neither 0 nor 4 (kselftest's skip), else
# COMMAND's. Without PMIG_COVERAGE (no --coverage) it runs the same, unmarked.

say() {
	echo "# cov-run.sh: $*" >&2
}

# mark ID LABEL: a coverage epoch (pmig-covmark is in the guest with --coverage only).
mark() {
	[ -n "${PMIG_COVERAGE:-}" ] || return 0
	pmig-covmark "$1" "$2" || say "cannot mark epoch $1 ($2)"
}

# kill_session SID: every process of session SID (/proc/PID/stat's sixth field,
# the fourth after the command's closing parenthesis).
kill_session() {
	for st in /proc/[0-9]*/stat; do
		sid=$(sed 's/.*) [^ ]* [^ ]* [^ ]* \([0-9]*\) .*/\1/' "$st" 2>/dev/null)
		[ "$sid" = "$1" ] || continue
		pid=${st#/proc/}
		kill -KILL "${pid%/stat}" 2>/dev/null
	done
}

progs=
while [ $# -gt 0 ] && [ "$1" != -- ]; do
	progs="$progs $1"
	shift
done
if [ $# = 0 ] || [ -z "$progs" ]; then
	echo "cov-run.sh: usage: cov-run.sh PROGRAM... -- COMMAND [ARGS]" >&2
	exit 2
fi
shift

# POSIX shared memory (shm_open, rmap.c's shm test) lives on /dev/shm, which the
# guest does not mount.
if ! grep -q ' /dev/shm ' /proc/mounts; then
	if ! mkdir -p /dev/shm || ! mount -t tmpfs tmpfs /dev/shm; then
		say "cannot mount /dev/shm"
	fi
fi

pools=
for f in /sys/devices/system/node/node*/hugepages/hugepages-2048kB/nr_hugepages; do
	[ -w "$f" ] || continue
	node=${f#/sys/devices/system/node/node}
	node=${node%%/*}
	grep -q '[1-9]' "/sys/devices/system/node/node$node/meminfo" 2>/dev/null || continue
	old=$(cat "$f")
	pools="$pools $f=$old"
	echo $((old + 2)) >"$f"
done
say "hugetlb 2M pools:$(cat /sys/devices/system/node/node*/hugepages/hugepages-2048kB/nr_hugepages 2>/dev/null | tr '\n' ' ')" \
	"THP: $(cat /sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null)"

status=/tmp/cov-run.status
rm -f /tmp/cov-run.next
: >"$status"
for p in $progs; do
	# The harness's lines on stdout, through the marks; its stderr as it comes.
	# Each program in a session of its own: what it leaves running when a test
	# fails (6.1's shared_anon leaves its forked readers) would hold the pipe open,
	# and goes with the session (the harness puts each test in a process group of
	# its own, not a session). In the background, setsid execs without a fork.
	{
		setsid "$p" &
		leader=$!
		wait "$leader"
		echo "$p $?" >>"$status"
		kill_session "$leader"
	} | {
		id=$(cat /tmp/cov-run.next 2>/dev/null || echo 2)
		while IFS= read -r line; do
			printf '%s\n' "$line"
			case $line in
			"#  RUN "*)
				name=${line#"#  RUN"}
				name=$(echo "$name" | sed -e 's/^ *//' -e 's/ \.\.\.$//' -e "s/^$p\\.//")
				mark "$id" "kselftest:$p:$name"
				id=$((id + 1))
				;;
			"# "*" OK  "* | "# "*" FAIL  "*)
				mark 1 runner
				;;
			esac
		done
		echo "$id" >/tmp/cov-run.next
	}
done

for pool in $pools; do
	echo "${pool#*=}" >"${pool%=*}"
done
rc=0
while read -r p s; do
	[ "$s" = 0 ] || [ "$s" = 4 ] && continue
	say "$p exited $s"
	[ "$rc" = 0 ] && rc=$s
done <"$status"
"$@"
s=$?
exit $((rc ? rc : s))
