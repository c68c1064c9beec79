#!/bin/bash
# matrix-table.sh - prints a matrix TSV (id, then one column per run) as pmig matrix's Markdown table, then the rows where the runs differ. Usage: matrix-table.sh FILE.tsv
set -u
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
