#!/bin/bash
# overhead.sh - pmig bench's move_pages figures next to a bare C loop making the same calls on the same pages, alternating in one guest boot: both median iteration rates and their ratio per case.
# Usage: bench/overhead.sh [--kernel K] [--topology T] [--clock host|icount] [--size MIB] [--iterations N] [--rounds R] [--cases LIST] [--band LO:HI] [--bench-args ARGS] [--out DIR]
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)

die() {
	echo "bench-overhead: $*" >&2
	exit 2
}

# The median of the numbers on stdin, one a line (the lower middle one of an even count).
median() {
	sort -n | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)] }'
}

kernel=debian:bookworm topology=2node clock=host size=16 iterations=20 rounds=5 out=
cases=anon:all,anon:1,thp:all,thp:1 band='' bench_args=''
while [ $# -gt 0 ]; do
	[ $# -ge 2 ] || die "$1 needs an argument"
	case "$1" in
	--kernel) kernel=$2 ;;
	--topology) topology=$2 ;;
	--clock) clock=$2 ;;
	--size) size=$2 ;;
	--iterations) iterations=$2 ;;
	--rounds) rounds=$2 ;;
	--cases) cases=$2 ;;
	--band) band=$2 ;;
	--bench-args) bench_args=$2 ;;
	--out) out=$2 ;;
	*) die "unknown option '$1'" ;;
	esac
	shift 2
done
[[ "$bench_args" =~ ^[a-z0-9\ -]*$ ]] || die "--bench-args '$bench_args': only pmig bench options (letters, digits, -)"
for n in "$size" "$iterations" "$rounds"; do
	[[ "$n" =~ ^[1-9][0-9]*$ ]] || die "'$n' is not a positive number"
done
if [ -n "$band" ]; then
	[[ "$band" =~ ^[0-9]+(\.[0-9]+)?:[0-9]+(\.[0-9]+)?$ ]] || die "--band '$band' is not LO:HI (e.g. 0.98:1.02)"
	lo=${band%:*} hi=${band#*:}
	awk -v l="$lo" -v h="$hi" 'BEGIN { exit !(l < h) }' || die "--band '$band': LO must be below HI"
fi
# A case is WORKLOAD:BATCH, the loop's and pmig bench's names for the same calls.
names=() loopargs=()
IFS=, read -ra list <<<"$cases"
[ ${#list[@]} -gt 0 ] || die "--cases is empty"
for c in "${list[@]}"; do
	[[ "$c" =~ ^(anon|thp):(all|[1-9][0-9]*)$ ]] || die "case '$c' is not anon|thp:all|N"
	wl=${c%:*} b=${c#*:}
	names+=("move_pages/$wl/${size}M/0to1/batch:$b")
	loopargs+=("$size 0 1 $iterations $b$([ "$wl" = thp ] && echo " thp")")
done
loop=$root/build/bin/pmig-bench-loop
[ -x "$loop" ] || die "$loop is missing; run make"
command -v jq >/dev/null || die "needs jq"
out=${out:-$root/results/runs/bench-overhead-$(date -u +%Y%m%dT%H%M%SZ)}
mkdir -p "$(dirname "$out")" || die "cannot create $(dirname "$out")"

# Node 0 to node 1; NUMA balancing off for both. Each round: per case pmig bench, then the loop
# on the state it left. In the other order, a loop after a THP case read 3.5% slower than the
# pmig bench run after it, which did not move (bookworm icount, anon/16M batch:all, 16 MiB).
# THP enabled stays as the guest has it (always); pmig bench sets madvise for its THP runs.
wrap="echo 0 >/proc/sys/kernel/numa_balancing;"
for r in $(seq 1 "$rounds"); do
	for i in "${!names[@]}"; do
		wrap="$wrap pmig-bench $bench_args --filter ^${names[$i]}/ --size ${size}M --iterations $iterations"
		wrap="$wrap --out bench-$r-$i.json >/dev/null 2>&1; pmig-bench-loop ${loopargs[$i]} >>loop.txt;"
	done
done
# The command pmig vm runs after the wrap only brings pmig-bench into the guest: one short copy.
"$root/scripts/pmig" vm --kernel "$kernel" --topology "$topology" --clock "$clock" --timeout 900 \
	--add "$loop" --out "$out" --wrap "$wrap" -- bench --filter '^memcpy/anon/1M/0to1/threads:1/' \
	--size 1M --iterations 1 --out last.json >/dev/null 2>"$out.log" ||
	die "the guest run failed (see $out.log)"
rm -f "$out.log"

emulation=$(sed -n 's/^emulation=//p' "$out/vm.txt")
cpu=$(sed -n 's/^cpu=//p' "$out/vm.txt")
echo "pmig bench vs a bare loop: $iterations iterations, $kernel on $topology ($emulation${cpu:+, CPU model $cpu})"
printf '%-36s %-6s %12s %12s %8s\n' case round "pmig MB/s" "loop MB/s" ratio
echo "(MB/s of each process's median iteration; ratio = pmig's rate / the loop's)"
bad=0
for i in "${!names[@]}"; do
	ratios=()
	for r in $(seq 1 "$rounds"); do
		# Medians of the iteration times: a process's first iteration runs on colder
		# kernel state (2% slower in the loop under icount), and a mean would carry it.
		p=$(jq -r '.benchmarks[] | select(.run_type == "iteration") | .pmig.iteration_ns | sort |
			.[(length - 1) / 2 | floor]' "$out/bench-$r-$i.json" 2>/dev/null)
		l=$(grep -F "loop: ${names[$i]} " "$out/loop.txt" | sed -n "${r}s/.*iteration_ns=\([0-9,]*\).*/\1/p" |
			tr , '\n' | median)
		[ -n "$p" ] && [ -n "$l" ] || die "${names[$i]} round $r has no figure (see $out)"
		ratio=$(awk -v p="$p" -v l="$l" 'BEGIN { printf "%.3f", l / p }')
		ratios+=("$ratio")
		awk -v n="${names[$i]}" -v r="$r" -v p="$p" -v l="$l" -v q="$ratio" -v b="$((size << 20))" \
			'BEGIN { printf "%-36s %-6s %12.1f %12.1f %8s\n", n, r, b / p * 1e3, b / l * 1e3, q }'
	done
	median=$(printf '%s\n' "${ratios[@]}" | median)
	verdict=
	if [ -n "$band" ]; then
		if awk -v m="$median" -v l="$lo" -v h="$hi" 'BEGIN { exit !(m >= l && m <= h) }'; then
			verdict=" in the band $lo-$hi"
		else
			verdict=" OUTSIDE the band $lo-$hi"
			bad=1
		fi
	fi
	echo "median ratio pmig/loop ${names[$i]}: $median$verdict"
done
case $emulation in
tcg-icount) note="instruction-counted: code-path cost, the same in every boot" ;;
tcg) note="under TCG, timings are noise" ;;
*) note=$emulation ;;
esac
echo "1.000 = no overhead; $note"
echo "results in $out"
exit $bad
