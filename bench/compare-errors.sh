#!/bin/bash
# compare-errors.sh - error rates of `pmig compare BASE... -- NEW...` from pools of boots (bench/layout-spread.sh's): how often K-vs-K pairs of one pool are flagged (false alarms), and how often pairs across two pools with a real change are.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
pmig=$here/../scripts/pmig

die() {
	echo "compare-errors: $*" >&2
	exit 2
}

k=3
pairs=20
seed=1
layout=
bench=
usage() {
	cat <<-EOF
		usage: bench/compare-errors.sh [--k K] [--pairs P] [--seed S] [--layout FILE]
		                               [--bench NAME] BASE_POOL [NEW_POOL]
		A pool is a directory of boots, POOL/boot-NN/bench.json (bench/layout-spread.sh
		writes one). With one pool: P times, draw 2K distinct boots of it at random
		and compare the first K against the other K (pmig compare B1..BK -- N1..NK):
		the boots differ only in layout, so any flag is a false alarm. With two
		pools: P times, draw K boots of each and compare BASE_POOL's against
		NEW_POOL's: a flag there is a real change seen. Draws are resampled from the
		pools (a boot appears in many pairs), by awk's generator seeded with S
		(default 1), so a run repeats. --layout is passed to pmig compare; --bench
		NAME (a prefix of a benchmark name) counts only that benchmark's verdict,
		otherwise a pair counts as flagged when any benchmark is.
		Prints one line a pair and then "flagged F of P pairs (R regression, I
		improvement)". Exit 0, or 2 on bad input.
	EOF
}
while [ $# -gt 0 ]; do
	case "$1" in
	--k | --pairs | --seed | --layout | --bench)
		[ $# -ge 2 ] || die "$1 needs an argument"
		case "$1" in
		--k) k=$2 ;;
		--pairs) pairs=$2 ;;
		--seed) seed=$2 ;;
		--layout) layout=$2 ;;
		--bench) bench=$2 ;;
		esac
		shift 2
		;;
	--help | -h)
		usage
		exit 0
		;;
	-*) die "unknown option '$1' (see --help)" ;;
	*) break ;;
	esac
done
[ $# -ge 1 ] && [ $# -le 2 ] || die "needs BASE_POOL and optionally NEW_POOL (see --help)"
for n in "$k" "$pairs" "$seed"; do
	[[ "$n" =~ ^[0-9]+$ ]] && [ "$n" -ge 1 ] || die "'$n' is not a whole number >= 1"
done
[ "$k" -ge 2 ] || die "--k $k: pmig compare needs at least 2 boots a side"
[ -z "$layout" ] || [ -r "$layout" ] || die "cannot read --layout '$layout'"
pool() { # DIR: the pool's bench.json files, one a line
	[ -d "$1" ] || die "no pool directory '$1'"
	find "$1" -mindepth 2 -maxdepth 2 -path '*/boot-*/bench.json' | sort
}
new=()
mapfile -t base < <(pool "$1")
if [ $# = 2 ]; then
	mapfile -t new < <(pool "$2")
	[ ${#base[@]} -ge "$k" ] && [ ${#new[@]} -ge "$k" ] ||
		die "pools of ${#base[@]} and ${#new[@]} boots: fewer than --k $k"
else
	[ ${#base[@]} -ge $((2 * k)) ] ||
		die "a pool of ${#base[@]} boots: fewer than 2 x --k $k"
fi

tmpf=$(mktemp) || exit 1
trap 'rm -f "$tmpf"' EXIT
# One line a pair: the drawn boots' indices, a partial Fisher-Yates shuffle.
flagged=0 regressions=0 improvements=0
draws=$(awk -v s="$seed" -v p="$pairs" -v k="$k" -v nb=${#base[@]} \
	-v nn=${#new[@]} 'BEGIN {
	srand(s)
	for (q = 0; q < p; q++) {
		line = ""
		if (nn == 0) { n = nb; c = 2 * k } else { n = nb; c = k }
		for (i = 0; i < n; i++) idx[i] = i
		for (i = 0; i < c; i++) { j = i + int(rand() * (n - i)); t = idx[i]; idx[i] = idx[j]; idx[j] = t; line = line " " idx[i] }
		if (nn) {
			for (i = 0; i < nn; i++) idx[i] = i
			for (i = 0; i < k; i++) { j = i + int(rand() * (nn - i)); t = idx[i]; idx[i] = idx[j]; idx[j] = t; line = line " " idx[i] }
		}
		print substr(line, 2)
	}
}')
q=0
while read -ra d; do
	q=$((q + 1))
	b=() n=()
	for ((i = 0; i < k; i++)); do b+=("${base[${d[i]}]}"); done
	for ((i = k; i < 2 * k; i++)); do
		if [ $# = 2 ]; then n+=("${new[${d[i]}]}"); else n+=("${base[${d[i]}]}"); fi
	done
	"$pmig" compare ${layout:+--layout "$layout"} "${b[@]}" -- "${n[@]}" >"$tmpf" 2>&1
	rc=$?
	# Exit 1 is a regression only where pmig compare judged: a result line.
	[ "$rc" -le 1 ] && grep -q '^result: ' "$tmpf" || {
		cat "$tmpf" >&2
		die "pmig compare failed (exit $rc)"
	}
	rows=$(grep -E '  (REGRESSION|improvement)$' "$tmpf" |
		{ if [ -n "$bench" ]; then grep -F -- "$bench"; else cat; fi })
	r=$(grep -c 'REGRESSION$' <<<"$rows")
	i=$(grep -c 'improvement$' <<<"$rows")
	verdict=same
	if [ "$r" -gt 0 ]; then
		verdict=REGRESSION regressions=$((regressions + 1))
	elif [ "$i" -gt 0 ]; then
		verdict=improvement improvements=$((improvements + 1))
	fi
	[ "$verdict" = same ] || flagged=$((flagged + 1))
	printf 'pair %d: boots %s against %s: %s%s\n' "$q" \
		"$(for f in "${b[@]}"; do basename "$(dirname "$f")"; done | paste -sd,)" \
		"$(for f in "${n[@]}"; do basename "$(dirname "$f")"; done | paste -sd,)" "$verdict" \
		"$(grep -E '  (REGRESSION|improvement)$' "$tmpf" |
			awk '{ printf " %s %s", $1, $(NF-3) }')"
done <<<"$draws"
echo "flagged $flagged of $pairs pairs ($regressions regression, $improvements improvement)${bench:+ in $bench}, K=$k, seed $seed${layout:+, --layout $layout}"
