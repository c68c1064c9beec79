#!/bin/bash
# matrix.sh - `pmig matrix`: the conformance run on several kernels and topologies, as one table (spec id x kernel).
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
pmig=${PMIG_DRIVER:?matrix.sh is started by pmig}

die() {
	echo "pmig matrix: $*" >&2
	exit 2
}

kernels=debian:bookworm,debian:trixie,debian:sid,debian:experimental
topologies=2node
out=
while [ $# -gt 0 ]; do
	case "$1" in
	--kernels | --topology | --out)
		[ $# -ge 2 ] || die "$1 needs an argument"
		case "$1" in
		--kernels) kernels=$2 ;;
		--topology) topologies=$2 ;;
		--out) out=$2 ;;
		esac
		shift 2
		;;
	--help | -h)
		echo "usage: pmig matrix [--kernels K1,K2,...] [--topology T1,T2,...] [--out DIR]"
		echo "Runs pmig conform in a VM per kernel and topology (default: the four Debian"
		echo "suites on 2node) and prints one Markdown table, spec id x kernel; also DIR/matrix.md."
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
for k in "${klist[@]}"; do
	case "$k" in
	debian:bookworm | debian:trixie | debian:sid | debian:experimental) ;;
	debian:*) die "unknown Debian suite in '$k' (bookworm, trixie, sid, experimental)" ;;
	*) [ -f "$k" ] || die "no kernel image '$k'" ;;
	esac
done
out=${out:-${PMIG_RUNS:-.}/matrix-$(date -u +%Y%m%dT%H%M%SZ)}
mkdir -p "$out" 2>/dev/null && [ -w "$out" ] || die "cannot write to --out '$out'"

status=0
columns=()
for t in "${tlist[@]}"; do
	for k in "${klist[@]}"; do
		col="${k#debian:}/$t"
		dir=$out/$(tr '/:' '__' <<<"$col")
		echo "# $col ..." >&2
		"$pmig" vm --kernel "$k" --topology "$t" --out "$dir" -- conform \
			>"$dir.tap" 2>"$dir.err"
		rc=$?
		[ "$rc" = 0 ] || [ "$rc" = 4 ] || status=1
		release=$(sed -n 's/^kernel_release=//p' "$dir/vm.txt" 2>/dev/null)
		columns+=("$col|${release:-no boot}|$dir.tap|$rc")
	done
done

# One row per case id seen in any run; a cell is that run's outcome.
{
	printf '| case |'
	for c in "${columns[@]}"; do
		IFS='|' read -r name release _ _ <<<"$c"
		printf ' %s (%s) |' "$name" "$release"
	done
	printf '\n|---|'
	for _ in "${columns[@]}"; do printf -- '---|'; done
	printf '\n'
	for c in "${columns[@]}"; do
		IFS='|' read -r _ _ tap _ <<<"$c"
		sed -nE 's/^(not )?ok [0-9]+ ([A-Za-z0-9_.-]+).*/\2/p' "$tap"
	done | awk '!seen[$0]++' | while read -r id; do
		printf '| `%s` |' "$id"
		for c in "${columns[@]}"; do
			IFS='|' read -r _ _ tap _ <<<"$c"
			line=$(grep -E "^(not )?ok [0-9]+ $id( |$)" "$tap" | head -1)
			case "$line" in
			"") cell="-" ;;
			"not ok"*"# ERROR"*) cell=ERROR ;;
			"not ok"*) cell="**FAIL**" ;;
			*"# SKIP"*) cell=SKIP ;;
			*"# XFAIL"*) cell=XFAIL ;;
			*"# XPASS"*) cell=XPASS ;;
			*) cell=PASS ;;
			esac
			printf ' %s |' "$cell"
		done
		printf '\n'
	done
	for c in "${columns[@]}"; do
		IFS='|' read -r name _ tap rc <<<"$c"
		[ "$rc" = 0 ] || [ "$rc" = 4 ] ||
			printf '\n%s: exit %s: %s\n' "$name" "$rc" "$(head -1 "${tap%.tap}.err")"
	done
} | tee "$out/matrix.md"
exit $status
