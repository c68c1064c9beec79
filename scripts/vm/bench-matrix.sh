#!/bin/bash
# bench-matrix.sh - `pmig matrix --bench`: the quick benchmarks under QEMU icount on several kernels (and kernel command-line knobs), as one table and one plot.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
pmig=${PMIG_DRIVER:?bench-matrix.sh is started by pmig}

die() {
	echo "pmig matrix: $*" >&2
	exit 2
}
# shellcheck source=scripts/vm/matrix-args.sh
. "$here/matrix-args.sh"

kernels=debian:bookworm,debian:trixie,debian:sid,debian:experimental
topology=2node
knobs=
bench_args=--quick
out=
record=
timeout=600
cpu=
boots=1
while [ $# -gt 0 ]; do
	case "$1" in
	--bench)
		shift
		continue
		;;
	--kernels | --topology | --knobs | --bench-args | --out | --record | --timeout | --cpu | --boots)
		[ $# -ge 2 ] || die "$1 needs an argument"
		case "$1" in
		--kernels) kernels=$2 ;;
		--topology) topology=$2 ;;
		--knobs) knobs=$2 ;;
		--bench-args) bench_args=$2 ;;
		--out) out=$2 ;;
		--record) record=$2 ;;
		--timeout) timeout=$2 ;;
		--cpu) cpu=$2 ;;
		--boots) boots=$2 ;;
		esac
		shift 2
		;;
	--help | -h)
		cat <<-EOF
			usage: pmig matrix --bench [--kernels K1,K2,...] [--topology T] [--knobs 'A;B;...']
			                   [--bench-args 'ARGS'] [--cpu MODEL] [--boots K] [--timeout S] [--out DIR]
			                   [--record DIR]
			Runs pmig bench (default --quick) under QEMU icount (pmig vm --clock icount)
			on each kernel (default: the four Debian suites) with its defaults, and again
			with each knob, a kernel command line given to pmig vm --append (for example
			'init_on_alloc=0;mitigations=off'). Guest time is the instruction count, so
			the figures repeat boot after boot: code-path cost, not memory latency.
			Then pmig report DIR: its "Kernels compared" section has ns per page per
			benchmark and run, a plot, and what each knob explains of the gap to the
			oldest kernel; DIR/bench-matrix.tsv has the figures. --record copies that
			section (README.md), the TSV and the plot into DIR (the repository keeps one
			in results/bench-matrix/). --cpu gives every guest that QEMU CPU model
			(pmig vm --cpu; default each architecture's): the table names the model
			each run was counted on, for figures of two models are not comparable.
			in results/bench-matrix/).
			--boots K (default 1) boots each kernel and knob K times; boot i > 1 adds
			pmig.perturb=i, a parameter nothing reads, into DIR/RUN/boot-0i/, so the
			boots differ in layout only (on 6.12+ kernels that moves medians by up to
			7%). The table keeps the first boot; each knob is then judged against its
			kernel's defaults, and each kernel's defaults against the first kernel's,
			by pmig compare with K boots a side (an effect with its 95% interval from
			the boot-to-boot spread), into DIR/compare/ and a section of the output.
		EOF
		exit 0
		;;
	*) die "unknown option '$1' (see pmig matrix --bench --help)" ;;
	esac
done
IFS=, read -ra klist <<<"$kernels"
IFS=';' read -ra nlist <<<"$knobs"
[ ${#klist[@]} -gt 0 ] || die "empty --kernels"
"$here/topology.sh" --describe "$topology" >/dev/null || exit 2
check_kernels "${klist[@]}"
for n in "${nlist[@]}"; do
	[[ "$n" =~ ^[A-Za-z0-9_.,=:-]+( [A-Za-z0-9_.,=:-]+)*$ ]] ||
		die "knob '$n' is not a kernel command line (words of [A-Za-z0-9_.,=:-])"
done
check_timeout "$timeout"
[[ "$boots" =~ ^[0-9]+$ ]] && [ "$boots" -ge 1 ] && [ "$boots" -le 99 ] ||
	die "--boots '$boots' is not a number from 1 to 99"
if [ -n "$record" ]; then
	mkdir -p "$record" 2>/dev/null && [ -w "$record" ] || die "cannot write --record '$record'"
fi
out=${out:-${PMIG_RUNS:-.}/bench-matrix-$(date -u +%Y%m%dT%H%M%SZ)}
mkdir -p "$out" 2>/dev/null && [ -w "$out" ] || die "cannot write to --out '$out'"

status=0
for k in "${klist[@]}"; do
	name=$(basename -- "${k#debian:}")
	for n in "" "${nlist[@]}"; do
		run=$name${n:+_$(tr ' =,:' '____' <<<"$n")}
		for ((i = 1; i <= boots; i++)); do
			# Boot 1 is the table's run; the others, one level down, are out
			# of pmig report's sight and only judged by pmig compare.
			dir=$out/$run
			args=$n
			if [ "$i" -gt 1 ]; then
				dir=$out/$run/$(printf 'boot-%02d' "$i")
				args="pmig.perturb=$i${n:+ $n}"
			fi
			echo "# $name${n:+ $n}$([ "$boots" -gt 1 ] && echo " (boot $i of $boots)") ..." >&2
			# shellcheck disable=SC2086 # bench_args are words
			if ! "$pmig" vm --clock icount --kernel "$k" --topology "$topology" \
				${args:+--append "$args"} ${cpu:+--cpu "$cpu"} --timeout "$timeout" --out "$dir" \
				-- bench $bench_args --out bench.json >/dev/null 2>"$dir.err"; then
				echo "pmig matrix: $name${n:+ $n}: $(grep -v '^\*\*\*WARNING' "$dir.err" | tail -1)" >&2
				status=1
			fi
		done
	done
done
"$pmig" report "$out" >&2 || status=1
if [ ! -f "$out/bench-matrix.tsv" ]; then
	echo "pmig matrix: fewer than two runs gave figures; no table (see $out)" >&2
	exit 1
fi
# The boots of run @1 that gave figures, one path a line.
boot_files() {
	local f
	for f in "$out/$1/bench.json" "$out/$1"/boot-*/bench.json; do
		[ -s "$f" ] && echo "$f"
	done
}
# compare_boots BASE_RUN NEW_RUN: pmig compare with the boots of each a side into
# DIR/compare/NEW_RUN.txt, and one Markdown row per benchmark.
compare_boots() {
	local txt=$out/compare/$2.txt b n rc
	mapfile -t b < <(boot_files "$1")
	mapfile -t n < <(boot_files "$2")
	"$pmig" compare "${b[@]}" -- "${n[@]}" >"$txt" 2>&1
	rc=$?
	if [ "$rc" -gt 1 ]; then
		echo "| $1 | $2 | not compared: $(tail -1 "$txt") | | | |"
		return 1
	fi
	# Rows end "EFFECT  [LO, HI]  VERDICT"; the name is the first field.
	awk -v b="$1" -v n="$2" -v k="${#b[@]}/${#n[@]}" '
		/  (same|REGRESSION|improvement)$/ {
			v = $NF; hi = $(NF-1); lo = $(NF-2); e = $(NF-3)
			sub(/\/iterations.*/, "", $1)
			printf "| %s | %s | %s | %s | %s %s %s | %s |\n", b, n, $1, k, e, lo, hi, v
		}' "$txt"
}
# The runs judged with several boots a side: each knob against its kernel's
# defaults, each kernel's defaults against the first kernel's.
boot_comparisons() {
	local k name first= n
	mkdir -p "$out/compare" || return 1
	printf '\n### %s boots a run: effects with 95%% intervals\n\n' "$boots"
	printf 'pmig compare with every boot of the base run against every boot of the new one (DIR/compare/NEW.txt has its output); the boots differ in pmig.perturb only.\n\n'
	printf '| base | new | benchmark | boots | effect [95%% interval] | verdict |\n|---|---|---|---|---|---|\n'
	for k in "${klist[@]}"; do
		name=$(basename -- "${k#debian:}")
		[ -n "$first" ] && [ "$first" != "$name" ] && compare_boots "$first" "$name"
		first=${first:-$name}
		for n in "${nlist[@]}"; do
			compare_boots "$name" "${name}_$(tr ' =,:' '____' <<<"$n")"
		done
	done
}
# The report's section, on its own: Markdown from its heading to the next one.
# Kernels of several architectures: each column counts its own ISA's instructions per
# base page of its own size, which the table alone does not say.
platforms=$(for v in "$out"/*/vm.txt; do
	printf '%s: %s, %s-byte pages, QEMU CPU model %s\n' "$(sed -n 's/^kernel_release=//p' "$v")" \
		"$(sed -n 's/^arch=//p' "$v")" "$(sed -n 's/^guest_page_size=//p' "$v")" \
		"$(sed -n 's/^cpu=//p' "$v")"
done | sort -u)
{
	awk '/^## Kernels compared/ { on = 1; print; next } on && /^## / { exit } on' \
		"$out/report.md" | sed 's|(plots/kernels\.|(kernels.|'
	if [ "$(cut -d, -f1 <<<"$platforms" | awk '{ print $2 }' | sort -u | wc -l)" -gt 1 ]; then
		printf '\nThese kernels run on more than one architecture. A figure is instructions of that architecture (not comparable one to one across ISAs) per base page of its own size, so a 64 KiB page does 16 times the copying of a 4 KiB one; divide by the page size for a per-byte view.\n\n'
		sed 's/^/- /' <<<"$platforms"
	fi
	[ "$boots" -gt 1 ] && boot_comparisons
} | tee "$out/bench-matrix.md"
if [ -n "$record" ]; then
	for f in bench-matrix.tsv bench-matrix.md plots/kernels.svg plots/kernels.png; do
		[ -f "$out/$f" ] || continue
		dest=$record/$(basename "$f")
		[ "$f" = bench-matrix.md ] && dest=$record/README.md
		cp -- "$out/$f" "$dest.tmp.$$" && mv -f -- "$dest.tmp.$$" "$dest" ||
			die "cannot write --record '$record'"
	done
	echo "# recorded in $record" >&2
fi
exit $status
