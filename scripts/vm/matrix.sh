#!/bin/bash
# matrix.sh - `pmig matrix`: the conformance run on several kernels and topologies, as one table (spec id x kernel).
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
pmig=${PMIG_DRIVER:?matrix.sh is started by pmig}

die() {
	echo "pmig matrix: $*" >&2
	exit 2
}
# shellcheck source=scripts/vm/matrix-args.sh
. "$here/matrix-args.sh"

# --bench anywhere: the benchmarks under icount instead of the conformance run.
for a in "$@"; do
	[ "$a" = --bench ] && exec "$here/bench-matrix.sh" "$@"
done

kernels=debian:bookworm,debian:trixie,debian:sid,debian:experimental
topologies=2node
out=
filter=
record=
timeout=600
jobs=1
repeat=
coverage=
while [ $# -gt 0 ]; do
	case "$1" in
	--kernels | --topology | --out | --filter | --record | --timeout | -j | --jobs | --repeat)
		[ $# -ge 2 ] || die "$1 needs an argument"
		case "$1" in
		--kernels) kernels=$2 ;;
		--topology) topologies=$2 ;;
		--out) out=$2 ;;
		--filter) filter=$2 ;;
		--record) record=$2 ;;
		--timeout) timeout=$2 ;;
		-j | --jobs) jobs=$2 ;;
		--repeat) repeat=$2 ;;
		esac
		shift 2
		;;
	--coverage)
		coverage=1
		shift
		;;
	--help | -h)
		cat <<-EOF
			usage: pmig matrix [--kernels K1,K2,...] [--topology T1,T2,...] [--filter GLOB]
			                   [--timeout S] [-j N] [--repeat N] [--coverage] [--out DIR] [--record FILE]
			Runs pmig conform in a VM per kernel and topology (default: the four Debian
			suites on 2node) and prints one Markdown table, spec id x kernel, then the
			rows where the kernels differ. A cell is the outcome, with the value that
			kernel's profile expects where it is not mainline's. Writes DIR/matrix.md and
			DIR/matrix.tsv; --record also copies the TSV to FILE (the repository keeps
			one in results/conformance-matrix.tsv for docs/SPEC.md). -j N boots up to N
			guests at once (each is one QEMU thread under TCG: N up to the host's cores).
			--repeat N runs the selection N times in each guest (pmig conform --repeat):
			a case whose outcome differs between the runs is FLAKY, a cell of its own,
			listed under "Flaky cases", and the exit status is 1; each run's TAP is kept
			as DIR/CELL/conform.repeat.K.tap. --timeout is then per run.
			--coverage runs each guest with pmig vm --coverage: DIR/CELL/coverage.raw.
			pmig matrix --bench [...]: the benchmarks under QEMU icount instead, one
			table and plot of ns per page by kernel (pmig matrix --bench --help).
		EOF
		exit 0
		;;
	*) die "unknown option '$1' (see pmig matrix --help)" ;;
	esac
done
IFS=, read -ra klist <<<"$kernels"
IFS=, read -ra tlist <<<"$topologies"
[ ${#klist[@]} -gt 0 ] && [ ${#tlist[@]} -gt 0 ] || die "empty --kernels or --topology"
# Bad names fail before the first (slow) boot.
for t in "${tlist[@]}"; do
	"$here/topology.sh" --describe "$t" >/dev/null || exit 2
done
check_kernels "${klist[@]}"
if [ -n "$record" ]; then
	rdir=$(dirname -- "$record")
	[ -d "$rdir" ] && [ -w "$rdir" ] || die "cannot write --record '$record' (no writable directory $rdir)"
fi
check_timeout "$timeout"
[[ "$jobs" =~ ^[1-9][0-9]{0,2}$ ]] || die "-j '$jobs': give a number of guests at once, 1 to 999"
[ -z "$repeat" ] || [[ "$repeat" =~ ^[1-9][0-9]{0,2}$ ]] ||
	die "--repeat '$repeat': give a number of runs per guest, 1 to 999"
out=${out:-${PMIG_RUNS:-.}/matrix-$(date -u +%Y%m%dT%H%M%SZ)}
mkdir -p "$out" 2>/dev/null && [ -w "$out" ] || die "cannot write to --out '$out'"

# One cell: its run, then its exit status in DIR.rc.
cell() { # KERNEL TOPOLOGY DIR
	"$pmig" vm --kernel "$1" --topology "$2" --out "$3" ${coverage:+--coverage} \
		--timeout "$((timeout * ${repeat:-1}))" -- conform ${filter:+--filter "$filter"} \
		${repeat:+--repeat "$repeat" --repeat-tap conform.repeat} \
		>"$3.tap" 2>"$3.err"
	echo $? >"$3.rc"
}
# The same kernel's fetch is one at a time (kernel.sh locks its cache), so a
# parallel first run fetches each kernel once.
status=0
columns=()
running=0
for t in "${tlist[@]}"; do
	for k in "${klist[@]}"; do
		col="${k#debian:}/$t"
		dir=$out/$(tr '/:' '__' <<<"$col")
		echo "# $col ..." >&2
		if [ "$running" -ge "$jobs" ]; then
			wait -n
			running=$((running - 1))
		fi
		cell "$k" "$t" "$dir" &
		running=$((running + 1))
		columns+=("$col|$dir")
	done
done
wait
for i in "${!columns[@]}"; do
	IFS='|' read -r col dir <<<"${columns[$i]}"
	rc=$(cat "$dir.rc" 2>/dev/null || echo 1)
	[ "$rc" = 0 ] || [ "$rc" = 4 ] || status=1
	release=$(sed -n 's/^kernel_release=//p' "$dir/vm.txt" 2>/dev/null)
	columns[$i]="$col|${release:-no boot}|$dir.tap|$rc"
done

# Cells: "ID<TAB>CELL" per run, from its TAP. A profile note ("this
# kernel's profile expects X, not mainline's") comes before its result line.
cells() { # TAP
	awk '
		/^# this kernel.s profile expects / {
			v = $0; sub(/^# this kernel.s profile expects /, "", v)
			sub(/, not mainline.s.*/, "", v); note = v; next
		}
		/^(not )?ok [0-9]+ / {
			id = ($1 == "not") ? $4 : $3
			if ($0 ~ /^not ok.*# ERROR/) c = "ERROR"
			else if ($0 ~ /^not ok [0-9]+ [^ ]+ # FLAKY: /) {
				c = $0; sub(/^.*# FLAKY: /, "", c); c = "**FLAKY** " c
			}
			# TAP 13 TODO (pmig since 2026-12), and the older words.
			else if ($0 ~ /^not ok.*# TODO known:/) c = "XFAIL"
			else if ($1 == "not") c = "**FAIL**"
			else if ($0 ~ /# SKIP/) c = "SKIP"
			else if ($0 ~ /# TODO XPASS:/) c = "XPASS"
			else if ($0 ~ /# XFAIL/) c = "XFAIL"
			else if ($0 ~ /# XPASS/) c = "XPASS"
			else c = "PASS"
			if (note != "" && c != "SKIP") c = c " `" note "`"
			print id "\t" c; note = ""
		}' "$1"
}

for i in "${!columns[@]}"; do
	IFS='|' read -r _ _ tap _ <<<"${columns[$i]}"
	cells "$tap" >"$out/.cells.$i"
done
# TSV: header, then one row per case id seen in any run, in the order first seen.
heads=() files=()
for i in "${!columns[@]}"; do
	IFS='|' read -r name release _ _ <<<"${columns[$i]}"
	heads+=("$name ($release)")
	files+=("$out/.cells.$i")
done
"$here/matrix-table.sh" --tsv /dev/null "${heads[@]}" -- "${files[@]}" >"$out/matrix.tsv"
rm -f "$out"/.cells.*

{
	"$here/matrix-table.sh" "$out/matrix.tsv"
	if [ -n "$repeat" ]; then
		printf '\n### Flaky cases (%s runs per guest)\n\n' "$repeat"
		awk -F'\t' 'NR == 1 { for (i = 2; i <= NF; i++) h[i] = $i; next }
			{ for (i = 2; i <= NF; i++) if ($i ~ /^\*\*FLAKY\*\*/) {
				printf "- `%s` on %s: %s\n", $1, h[i], $i; n++ } }
			END { if (!n) print "None: every case had one outcome in every run of every guest." }' \
			"$out/matrix.tsv"
	fi
	for c in "${columns[@]}"; do
		IFS='|' read -r name _ tap rc <<<"$c"
		[ "$rc" = 0 ] || [ "$rc" = 4 ] ||
			printf '\n%s: exit %s: %s\n' "$name" "$rc" "$(head -1 "${tap%.tap}.err")"
	done
} | tee "$out/matrix.md"
if [ -n "$record" ]; then
	cp -- "$out/matrix.tsv" "$record.tmp.$$" && mv -f -- "$record.tmp.$$" "$record" ||
		die "cannot write --record '$record'"
	echo "# recorded in $record" >&2
fi
exit $status
