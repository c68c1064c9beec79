#!/bin/bash
# lava-limits.sh - a pmig LAVA job's time limits from its size: how much it deploys, the guest's architecture, nodes, CPUs and memory, and how many cases it runs.
#
#   lava-limits.sh ARCH NODES CPUS MEMORY_MIB CASES FILES_MIB [AT_LEAST_S]
#
# ARCH the guest's (x86_64, aarch64, ppc64le); CASES the run's size in cases (conform:
# the cases selected; --random N: N/2, as 2000 scenarios took 45 s to the 158 cases'
# 9; bench: 60 with --quick, else 600); FILES_MIB what the dispatcher fetches (kernel
# and initramfs); AT_LEAST_S the least the monitor waits (pmig lava-job --timeout;
# the derived limit when that is more). Prints one "NAME SECONDS" line per limit,
# then the formula with these inputs as "# " lines, for the job to carry. Bad input:
# one line on stderr, exit 2.
#
# Each limit is many times what its step takes on an x86_64 TCG guest here, so a
# loaded host or a slower device (a board, more nodes, more cases) still finishes:
#   A         architecture factor: QEMU TCG boots and powers off a Debian kernel in
#             6 s on x86_64, 25 s on aarch64, 62 s on ppc64le, so 1, 4 and 10
#   P         seconds per case: max(2, NODES, CPUS) / 2 (a case goes over node pairs,
#             and single-threaded TCG runs every vCPU on one host thread); pmig vm
#             ran all 158 cases on 2node x86_64 here in 14 s, the boot included
#   deploy    60 + 4 * FILES_MIB (fetching at 0.25 MiB/s or more)
#   boot      A * (60 + 10 * NODES + MEMORY_MIB / 128): the boot action starts QEMU
#             and ends; in LAVA 2023.01 this is also how long the monitor waits
#             between two result lines (pexpect's default on QEMU's console)
#   monitor   boot + A * (120 + P * CASES): the monitor's wait for PMIG-LAVA-START,
#             which the guest prints after the whole run (the kernel's boot, every
#             case): LAVA's timeouts.connections.lava-test-monitor (its default is 30 s)
#   test      monitor + 60: the test action, which reads the result lines up to
#             PMIG-LAVA-END after the start line
#   finalize  60: LAVA's power-off (QEMU killed) and read-feedback, whatever the size
#   job       deploy + boot + test + finalize + 60 (LAVA's own steps), so no action's
#             limit is cut short by the job's
set -u
die() {
	echo "lava-limits.sh: $*" >&2
	exit 2
}
[ $# = 6 ] || [ $# = 7 ] || die "usage: lava-limits.sh ARCH NODES CPUS MEMORY_MIB CASES FILES_MIB [AT_LEAST_S]"
arch=$1 nodes=$2 cpus=$3 mem=$4 cases=$5 mib=$6 least=${7:-0}
case $arch in
x86_64) a=1 ;;
aarch64) a=4 ;;
ppc64le) a=10 ;;
*) die "no architecture factor for '$arch' (x86_64, aarch64, ppc64le)" ;;
esac
for v in "$nodes" "$cpus" "$mem" "$cases" "$mib" "$least"; do
	[[ "$v" =~ ^[0-9]{1,9}$ ]] || die "'$v' is not a whole number"
done
[ "$nodes" -ge 1 ] && [ "$cpus" -ge 1 ] || die "a guest has at least one node and one CPU"

p2=$((nodes > cpus ? nodes : cpus))
[ "$p2" -ge 2 ] || p2=2
deploy=$((60 + 4 * mib))
boot=$((a * (60 + 10 * nodes + mem / 128)))
monitor=$((boot + a * (120 + (p2 * cases + 1) / 2)))
derived=$monitor
[ "$least" -gt "$monitor" ] && monitor=$least
test=$((monitor + 60))
finalize=60
job=$((deploy + boot + test + finalize + 60))
raised=
[ "$monitor" != "$derived" ] && raised=", raised to --timeout $monitor"
cat <<LIMITS
deploy $deploy
boot $boot
monitor $monitor
test $test
finalize $finalize
job $job
# Time limits in seconds, from the job's size (pmig: scripts/vm/lava-limits.sh).
# Inputs: arch $arch (A = $a), $nodes nodes, $cpus CPUs, $mem MiB of memory, $cases cases,
#   $mib MiB to fetch; per case P = max(2, nodes, CPUs) / 2 = $p2/2 s.
# deploy   = 60 + 4 * MiB to fetch                  = $deploy
# boot     = A * (60 + 10 * nodes + MiB memory / 128) = $boot
# monitor  = boot + A * (120 + P * cases)           = $derived$raised
#            (its wait for PMIG-LAVA-START spans the guest's boot and the whole run)
# test     = monitor + 60 (the result lines)        = $test
# finalize = 60                                     = $finalize
# job      = deploy + boot + test + finalize + 60   = $job
LIMITS
