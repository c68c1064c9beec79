#!/bin/bash
# lava-lab.t - pmig lava-lab: bad input is one line and exit 2, submit without a lab says so; matrix-table.sh prints pmig matrix's table from a TSV. The lab itself runs in make check-lava (root, LAVA's packages, minutes).
set -u
here=$(cd "$(dirname "$0")" && pwd)
pmig=$here/../pmig
# shellcheck source=scripts/tests/tap.sh
. "$here/tap.sh"

echo "TAP version 13"
echo "1..11"
export PMIG_LAVA_LAB=$tmp/lab
expect_error no_command 2 "pmig lava-lab: no command" "$pmig" lava-lab
expect_error unknown_command 2 "pmig lava-lab: unknown command 'run'" "$pmig" lava-lab run
expect_error bad_devices 2 "pmig lava-lab: --devices 'many'" "$pmig" lava-lab start --devices many
expect_error stop_option 2 "pmig lava-lab: stop: takes no options" "$pmig" lava-lab stop --now
expect_error bad_kernel 2 "pmig lava-lab: " "$pmig" lava-lab submit --kernels debian:nosuchsuite --out "$tmp/s"
expect_error bad_url 2 "pmig lava-lab: --url 'ftp://x'" "$pmig" lava-lab submit --url ftp://x --out "$tmp/s"
expect_error no_lab 2 "pmig lava-lab: no lab here" "$pmig" lava-lab submit --kernels debian:bookworm --out "$tmp/s"

printf 'id\ta/2node (1)\tb/2node (2)\nx.one\tPASS\tPASS\nx.two\tSKIP\t**FAIL**\n' >"$tmp/m.tsv"
"$here/../vm/matrix-table.sh" "$tmp/m.tsv" >"$tmp/m.md"
[ "$(sed -n 3,4p "$tmp/m.md")" = '| `x.one` | PASS | PASS |
| `x.two` | SKIP | **FAIL** |' ] && [ "$(tail -n 1 "$tmp/m.md")" = '| `x.two` | SKIP | **FAIL** |' ]
ok $? "matrix_table_prints_rows_and_differences"
expect_error matrix_table_usage 2 "matrix-table.sh: usage" "$here/../vm/matrix-table.sh"
# The TSV both matrices write: rows in ORDER's order, then first seen; "-" where a run
# (here one with no cells at all) has none.
printf 'x.one\tPASS\nx.two\tSKIP\n' >"$tmp/c0"
: >"$tmp/c1"
printf 'x.three\tPASS\nx.two\t**FAIL**\n' >"$tmp/c2"
printf 'x.two\nx.one\n' >"$tmp/order"
[ "$("$here/../vm/matrix-table.sh" --tsv "$tmp/order" A B C -- "$tmp/c0" "$tmp/c1" "$tmp/c2")" = "$(printf 'id\tA\tB\tC\nx.two\tSKIP\t-\t**FAIL**\nx.one\tPASS\t-\t-\nx.three\t-\t-\tPASS')" ]
ok $? "matrix_table_joins_cells_in_order"
expect_error matrix_table_tsv_columns 2 "matrix-table.sh: --tsv: 2 columns but 1 cell files" \
	"$here/../vm/matrix-table.sh" --tsv /dev/null A B -- "$tmp/c0"
exit $tap_failed
