#!/bin/bash
# layout-spread.sh - boots one kernel N times under QEMU icount, each boot differing only in layout (pmig.perturb=SEED), runs the quick benchmarks, and writes how far the boots' medians spread per benchmark.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
pmig=$here/../scripts/pmig

die() {
	echo "layout-spread: $*" >&2
	exit 2
}

kernel=debian:bookworm
topology=2node
boots=10
seed=1
append=
odd=
bench_args=--quick
timeout=600
out=
usage() {
	cat <<-EOF
		usage: bench/layout-spread.sh --out DIR [--kernel K] [--boots N] [--seed S]
		                              [--append 'ARGS'] [--odd 'ARGS'] [--topology T]
		                              [--bench-args 'ARGS'] [--timeout S]
		Boots kernel K (default debian:bookworm) N times (default 10) in the VM
		topology T (default 2node) under QEMU icount (pmig vm --clock icount) and runs
		pmig bench (default --quick) in each: boot i gets the kernel parameter
		pmig.perturb=S+i (S default 1), which nothing reads; it only moves where
		the kernel's and the programs' memory falls, so the boots differ in layout
		alone. --append adds parameters to every boot (e.g. init_on_alloc=0 for a
		pool with a real change); --odd adds parameters to every other boot (an
		unused one, such as pmig.unused=1, is another layout change).
		Each boot's run goes to DIR/boot-NN/ (a boot already there with a
		bench.json is kept, so a stopped run resumes). Then DIR/spread.txt gets
		pmig compare --spread of the boots: per benchmark, the spread of the
		boots' medians (min, max, max/min-1, sd). Figures are instruction-counted
		(1 ns = 1 instruction), not memory latency. Exit 0 when every boot gave a
		bench.json, 1 when one did not, 2 on bad input.
	EOF
}
while [ $# -gt 0 ]; do
	case "$1" in
	--kernel | --boots | --seed | --append | --odd | --topology | --bench-args | --timeout | --out)
		[ $# -ge 2 ] || die "$1 needs an argument"
		case "$1" in
		--kernel) kernel=$2 ;;
		--boots) boots=$2 ;;
		--seed) seed=$2 ;;
		--append) append=$2 ;;
		--odd) odd=$2 ;;
		--topology) topology=$2 ;;
		--bench-args) bench_args=$2 ;;
		--timeout) timeout=$2 ;;
		--out) out=$2 ;;
		esac
		shift 2
		;;
	--help | -h)
		usage
		exit 0
		;;
	*) die "unknown option '$1' (see --help)" ;;
	esac
done
[ -n "$out" ] || die "needs --out DIR"
[[ "$boots" =~ ^[0-9]+$ ]] && [ "$boots" -ge 2 ] && [ "$boots" -le 99 ] ||
	die "--boots '$boots' is not a number from 2 to 99"
[[ "$seed" =~ ^[0-9]+$ ]] || die "--seed '$seed' is not a whole number"
[[ "$timeout" =~ ^[0-9]+$ ]] || die "--timeout '$timeout' is not a number of seconds"
for a in "$append" "$odd"; do
	[ -z "$a" ] || [[ "$a" =~ ^[A-Za-z0-9_.,=:-]+( [A-Za-z0-9_.,=:-]+)*$ ]] ||
		die "'$a' is not a kernel command line (words of [A-Za-z0-9_.,=:-])"
done
msg=$("$here/../scripts/vm/kernel.sh" --check "$kernel" 2>&1) || die "${msg#pmig vm: }"
"$here/../scripts/vm/topology.sh" --describe "$topology" >/dev/null || exit 2
mkdir -p "$out" 2>/dev/null && [ -w "$out" ] || die "cannot write to --out '$out'"

status=0
files=()
for ((i = 0; i < boots; i++)); do
	dir=$out/$(printf 'boot-%02d' "$i")
	args="pmig.perturb=$((seed + i))${append:+ $append}"
	[ $((i % 2)) = 1 ] && [ -n "$odd" ] && args="$args $odd"
	if [ ! -s "$dir/bench.json" ]; then
		echo "# $kernel boot $((i + 1))/$boots: $args" >&2
		rm -rf "$dir"
		# shellcheck disable=SC2086 # bench_args are words
		if ! "$pmig" vm --clock icount --kernel "$kernel" --topology "$topology" \
			--append "$args" --timeout "$timeout" --out "$dir" \
			-- bench $bench_args --out bench.json >/dev/null 2>"$dir.err"; then
			echo "layout-spread: boot $i ($args): $(grep -v '^\*\*\*WARNING' "$dir.err" | tail -1)" >&2
			status=1
			continue
		fi
	fi
	files+=("$dir/bench.json")
done
[ ${#files[@]} -ge 2 ] || {
	echo "layout-spread: fewer than two boots gave figures (see $out)" >&2
	exit 1
}
"$pmig" compare --spread "${files[@]}" | tee "$out/spread.txt" || status=1
exit $status
