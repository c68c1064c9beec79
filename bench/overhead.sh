#!/bin/bash
# overhead.sh - pmig bench's move_pages figure next to a bare C loop making the same calls on the same pages, alternating in one guest boot: both figures and their ratio.
# Usage: bench/overhead.sh [--kernel K] [--topology T] [--clock host|icount] [--size MIB] [--iterations N] [--rounds R] [--out DIR]
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)

die() {
	echo "bench-overhead: $*" >&2
	exit 2
}

kernel=debian:bookworm topology=2node clock=host size=16 iterations=20 rounds=5 out=
while [ $# -gt 0 ]; do
	[ $# -ge 2 ] || die "$1 needs an argument"
	case "$1" in
	--kernel) kernel=$2 ;;
	--topology) topology=$2 ;;
	--clock) clock=$2 ;;
	--size) size=$2 ;;
	--iterations) iterations=$2 ;;
	--rounds) rounds=$2 ;;
	--out) out=$2 ;;
	*) die "unknown option '$1'" ;;
	esac
	shift 2
done
for n in "$size" "$iterations" "$rounds"; do
	[[ "$n" =~ ^[1-9][0-9]*$ ]] || die "'$n' is not a positive number"
done
loop=$root/build/bin/pmig-bench-loop
[ -x "$loop" ] || die "$loop is missing; run make"
command -v jq >/dev/null || die "needs jq"
out=${out:-$root/results/runs/bench-overhead-$(date -u +%Y%m%dT%H%M%SZ)}
mkdir -p "$(dirname "$out")" || die "cannot create $(dirname "$out")"

# Node 0 to node 1, the one benchmark the loop mirrors; NUMA balancing off for both.
name="move_pages/anon/${size}M/0to1/batch:all"
bench="pmig-bench --filter ^$name/ --size ${size}M --iterations $iterations"
wrap="echo 0 >/proc/sys/kernel/numa_balancing;"
for r in $(seq 1 "$rounds"); do
	wrap="$wrap pmig-bench-loop $size 0 1 $iterations >>loop.txt;"
	[ "$r" -lt "$rounds" ] && wrap="$wrap $bench --out bench-$r.json >/dev/null 2>&1;"
done
"$root/scripts/pmig" vm --kernel "$kernel" --topology "$topology" --clock "$clock" --timeout 600 \
	--add "$loop" --out "$out" --wrap "$wrap" \
	-- bench --filter "^$name/" --size "${size}M" --iterations "$iterations" \
	--out "bench-$rounds.json" >/dev/null 2>"$out.log" || die "the guest run failed (see $out.log)"
rm -f "$out.log"

emulation=$(sed -n 's/^emulation=//p' "$out/vm.txt")
echo "pmig bench vs a bare loop: $name, $iterations iterations, $kernel on $topology ($emulation)"
printf '%-6s %14s %14s %8s\n' round "pmig MB/s" "loop MB/s" ratio
ratios=()
for r in $(seq 1 "$rounds"); do
	p=$(jq -r '.benchmarks[] | select(.run_type == "iteration") | .bytes_per_second' "$out/bench-$r.json")
	l=$(sed -n "${r}s/.*bytes_per_second=\([0-9.]*\).*/\1/p" "$out/loop.txt")
	[ -n "$p" ] && [ -n "$l" ] || die "round $r has no figure (see $out)"
	ratio=$(awk -v p="$p" -v l="$l" 'BEGIN { printf "%.3f", p / l }')
	ratios+=("$ratio")
	awk -v r="$r" -v p="$p" -v l="$l" -v q="$ratio" \
		'BEGIN { printf "%-6s %14.1f %14.1f %8s\n", r, p / 1e6, l / 1e6, q }'
done
median=$(printf '%s\n' "${ratios[@]}" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
case $emulation in
tcg-icount) note="instruction-counted: code-path cost, the same in every boot" ;;
tcg) note="under TCG, timings are noise" ;;
*) note=$emulation ;;
esac
echo "median ratio pmig/loop: $median (1.000 = no overhead; $note)"
echo "results in $out"
