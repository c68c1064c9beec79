#!/bin/bash
# matrix-table.sh - pmig matrix's table: joins each run's cells into the matrix TSV (id, then one column per run), or prints that TSV as Markdown, then the rows where the runs differ.
# Usage: matrix-table.sh FILE.tsv
#        matrix-table.sh --tsv ORDER COLUMN... -- CELLS...
#   --tsv: the TSV on stdout; COLUMN the runs' headers, CELLS their "ID<TAB>CELL" files
#   (one per COLUMN, in order); a row per id seen in any, in ORDER's order (a file of
#   ids, /dev/null for none), then in the order first seen; "-" where a run has none.
set -u
if [ "${1:-}" = --tsv ]; then
	[ $# -ge 2 ] || {
		echo "matrix-table.sh: usage: matrix-table.sh --tsv ORDER COLUMN... -- CELLS..." >&2
		exit 2
	}
	order=$2
	shift 2
	heads=()
	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		heads+=("$1")
		shift
	done
	shift
	[ $# = ${#heads[@]} ] || {
		echo "matrix-table.sh: --tsv: ${#heads[@]} columns but $# cell files" >&2
		exit 2
	}
	printf 'id'
	printf '\t%s' "${heads[@]}"
	printf '\n'
	# Each cell line prefixed with its column (an empty file keeps its column).
	col=0
	for f in "$@"; do
		col=$((col + 1))
		sed "s/^/$col\t/" "$f"
	done | awk -F'\t' -v ncol=$# '
		FILENAME != "-" { ord[++no] = $0; next }
		{ if (!(($2, $1) in cell)) cell[$2, $1] = $3
		  if (!($2 in seen)) { seen[$2]; first[++nf] = $2 } }
		END {
			for (i = 1; i <= no; i++) if (ord[i] in seen && !(ord[i] in done)) row(ord[i])
			for (i = 1; i <= nf; i++) if (!(first[i] in done)) row(first[i])
		}
		function row(id,   c) {
			done[id]; printf "%s", id
			for (c = 1; c <= ncol; c++) printf "\t%s", ((id, c) in cell) ? cell[id, c] : "-"
			printf "\n"
		}' "$order" -
	exit 0
fi
[ $# = 1 ] && [ -r "$1" ] || {
	echo "matrix-table.sh: usage: matrix-table.sh FILE.tsv (a readable file)" >&2
	exit 2
}
awk -F'\t' '
	NR == 1 {
		printf "| case |"; for (i = 2; i <= NF; i++) printf " %s |", $i
		printf "\n|---|"; for (i = 2; i <= NF; i++) printf "---|"; printf "\n"
		n = NF
		for (i = 2; i <= NF; i++) { name[i] = $i; sub(/ \(.*/, "", name[i]) }
		next
	}
	{
		printf "| `%s` |", $1; for (i = 2; i <= NF; i++) printf " %s |", $i
		printf "\n"
		for (i = 3; i <= NF; i++) if ($i != $2) { diff[++nd] = $0; break }
	}
	END {
		if (n < 3) exit
		printf "\n### Where the runs differ\n\n"
		if (!nd) { print "Every case has the same outcome and expectation on every run."; exit }
		printf "| case |"; for (i = 2; i <= n; i++) printf " %s |", name[i]
		printf "\n|---|"; for (i = 2; i <= n; i++) printf "---|"; printf "\n"
		for (d = 1; d <= nd; d++) {
			split(diff[d], f, "\t"); printf "| `%s` |", f[1]
			for (i = 2; i <= n; i++) printf " %s |", f[i]
			printf "\n"
		}
	}' "$1"
