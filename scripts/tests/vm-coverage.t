#!/bin/bash
# vm-coverage.t - pmig vm --coverage: the plugin's raw file is well formed, every case has its epoch, and the kernel code a case is known to reach (do_pages_move) is counted for that case, not for boot or for a case that fails before it.
set -u
here=$(cd "$(dirname "$0")" && pwd)
pmig=$here/../pmig
# shellcheck source=scripts/tests/tap.sh
. "$here/tap.sh"

echo "TAP version 13"
echo "1..8"
# Coverage needs a QEMU that runs plugins: TCG. Refused before any boot.
PMIG_VM_ACCEL=kvm expect_error coverage_needs_tcg 2 'pmig vm: --coverage needs TCG' \
	"$pmig" vm --coverage -- conform
out=$tmp/run
# trixie (6.12), whose move_pages path the assertions below name; the kernel cache
# has it after the first run.
"$pmig" vm --kernel debian:trixie --coverage --out "$out" -- \
	conform --filter 'move_pages.return.*' >"$tmp/tap" 2>"$tmp/err"
rc=$?
raw=$out/coverage.raw
[ "$rc" = 0 ] && [ -s "$raw" ] && [ -s "$out/coverage-epochs.tsv" ] &&
	[ -s "$out/coverage-kallsyms.gz" ] && grep -q '^coverage=on' "$out/vm.txt" &&
	grep -qF -- "pmig-cov.so\,out=$out/coverage.raw " "$out/qemu.cmdline" &&
	grep -qF 'nokaslr\ ' "$out/qemu.cmdline"
ok $? "the run with --coverage passes and brings back coverage.raw, coverage-epochs.tsv, coverage-kallsyms.gz (exit $rc)"
[ "$rc" = 0 ] || sed 's/^/# stderr: /' "$tmp/err"

# The format the analysis reads: header, then epochs ascending, each with kernel
# addresses ascending (16 hex digits), a size and a count that are not zero.
awk '
	NR == 1 { if ($0 != "pmig-coverage-raw 1") exit 1; next }
	NR == 2 { if ($0 != "arch x86_64") exit 1; next }
	/^epoch [0-9]+$/ { if (NR > 3 && $2 + 0 <= e) exit 1; e = $2 + 0; last = ""; n++; next }
	NR == 3 { exit 1 }
	/^[0-9a-f]+ [0-9a-f]+ [1-9][0-9]*$/ {
		if (length($1) != 16 || $1 < "ffff000000000000" || $1 <= last) exit 1
		last = $1; next
	}
	{ exit 1 }
	END { exit n < 3 }
' "$raw"
ok $? "coverage.raw: header, epochs ascending, kernel blocks ascending with sizes and counts ($(grep -c '^epoch' "$raw") epochs, line $(awk 'END { print NR }' "$raw"))"

# Each case that ran has its epoch (its TAP number + 1), named after it, with code in it.
missing=
while read -r n name; do
	grep -qxF "$((n + 1))	$name" "$out/coverage-epochs.tsv" &&
		grep -A1 -x "epoch $((n + 1))" "$raw" | tail -n 1 | grep -q '^[0-9a-f]' ||
		missing="$missing $name"
done < <(sed -n 's/^\(not \)\{0,1\}ok \([0-9]*\) \([^ ]*\).*/\2 \3/p' "$tmp/tap")
cases=$(grep -c -E '^(not )?ok ' "$tmp/tap")
[ "$cases" -gt 10 ] && [ -z "$missing" ] && grep -qx '1	runner' "$out/coverage-epochs.tsv"
ok $? "each of the $cases cases has its named epoch with kernel code in it${missing:+ (not:$missing)}"

# nokaslr: the kernel runs at its link address (x86-64's _text, System.map's).
zcat "$out/coverage-kallsyms.gz" >"$tmp/kallsyms"
text=$(awk '$3 == "_text" { print $1; exit }' "$tmp/kallsyms")
[ "$text" = ffffffff81000000 ]
ok $? "the kernel ran at its link address (_text $text): addresses are System.map's"

# range SYMBOL: its address and the next symbol's, from the guest's kallsyms.
range() {
	sort "$tmp/kallsyms" | awk -v s="$1" '
		$3 == s && !lo { lo = $1; next }
		lo && $1 > lo { print lo, $1; exit }'
}
# blocks EPOCH LO HI: how many of EPOCH's blocks start in [LO, HI).
blocks() {
	awk -v e="$1" -v lo="$2" -v hi="$3" '
		/^epoch / { on = $2 == e; next }
		on && $1 >= lo && $1 < hi { n++ }
		END { print n + 0 }' "$raw"
}
epoch_of() {
	awk -F '\t' -v c="$1" '$2 == c { print $1; exit }' "$out/coverage-epochs.tsv"
}
read -r dpm_lo dpm_hi < <(range do_pages_move)
read -r kmp_lo kmp_hi < <(range kernel_move_pages)
moving=$(epoch_of move_pages.return.move_all_with_cap_sys_nice)
failing=$(epoch_of move_pages.return.einval_bad_flags)
in_moving=$(blocks "${moving:-none}" "${dpm_lo:-x}" "${dpm_hi:-x}")
in_boot=$(blocks 0 "${dpm_lo:-x}" "${dpm_hi:-x}")
[ -n "$dpm_lo" ] && [ "$in_moving" -gt 0 ] && [ "$in_boot" = 0 ]
ok $? "do_pages_move [$dpm_lo, $dpm_hi) ran in move_all_with_cap_sys_nice's epoch $moving ($in_moving blocks), not at boot ($in_boot)"

# einval_bad_flags enters kernel_move_pages and is refused before do_pages_move.
kmp=$(blocks "${failing:-none}" "${kmp_lo:-x}" "${kmp_hi:-x}")
dpm=$(blocks "${failing:-none}" "${dpm_lo:-x}" "${dpm_hi:-x}")
[ -n "$kmp_lo" ] && [ "$kmp" -gt 0 ] && [ "$dpm" = 0 ]
ok $? "einval_bad_flags' epoch $failing: kernel_move_pages ran ($kmp blocks), do_pages_move did not ($dpm)"

# Without --coverage nothing of it: no plugin, no nokaslr, no marks.
"$pmig" vm --kernel debian:trixie --out "$tmp/plain" -- \
	conform --filter 'move_pages.return.einval_bad_flags' >/dev/null 2>&1
rc=$?
[ "$rc" = 0 ] && [ ! -e "$tmp/plain/coverage.raw" ] && [ ! -e "$tmp/plain/coverage-epochs.tsv" ] &&
	! grep -q -e '-plugin' -e 'nokaslr' "$tmp/plain/qemu.cmdline" && ! grep -q '^coverage=' "$tmp/plain/vm.txt"
ok $? "without --coverage: no plugin, no nokaslr, no epochs (exit $rc)"
exit $tap_failed
