#!/bin/bash
# vm.t - pmig vm's contract: bad input (the guest program's too) fails fast with one line; panics, wraps and added tools behave; nothing is left behind, even by a killed run.
set -u
pmig="$(cd "$(dirname "$0")/.." && pwd)/pmig"
# shellcheck source=scripts/tests/tap.sh
. "$(dirname "$0")/tap.sh"

# Temporary files go to a directory of this test's own: other runs on the machine (other
# checkouts' tests) come and go in /tmp meanwhile.
export TMPDIR=$tmp/tmpdir
mkdir -p "$TMPDIR"
leftovers() {
	find "$TMPDIR" -mindepth 1 -maxdepth 1 | wc -l
}

echo "TAP version 13"
echo "1..31"
before=$(leftovers)
printf 'node 0 cpus=0 mem=256M\nnode 1 cpus=1 mem=banana\n' >"$tmp/bad.topo"
expect_error missing_kernel_path 2 "pmig vm: " "$pmig" vm --kernel /nonexistent/bzImage -- topo
expect_error unknown_suite 2 "pmig vm: " "$pmig" vm --kernel debian:woody -- topo
expect_error unknown_flavour 2 "pmig vm: kernel 'debian:trixie/sparc64': pmig cannot run the 'sparc64' flavour (it runs amd64, arm64, arm64-16k, powerpc64le, powerpc64le-64k)" \
	"$pmig" vm --kernel debian:trixie/sparc64 -- conform
expect_error matrix_unknown_flavour 2 "pmig matrix: kernel 'debian:trixie/sparc64'" "$pmig" matrix --kernels debian:trixie/sparc64
expect_error malformed_topology 2 "pmig vm: " "$pmig" vm --topology "$tmp/bad.topo" -- topo
expect_error unknown_topology 2 "pmig vm: " "$pmig" vm --topology nosuch -- topo
expect_error unknown_subcommand 2 "pmig vm: " "$pmig" vm -- nosuch
expect_error no_subcommand 2 "pmig vm: " "$pmig" vm --topology 2node
expect_error bad_timeout 2 "pmig vm: " "$pmig" vm --timeout soon -- topo
expect_error matrix_unwritable_record 2 "pmig matrix: cannot write --record" "$pmig" matrix --record /nonexistent/m.tsv
expect_error matrix_bad_timeout 2 "pmig matrix: --timeout" "$pmig" matrix --timeout soon
expect_error matrix_bad_jobs 2 "pmig matrix: -j '0'" "$pmig" matrix -j 0
expect_error bad_clock 2 "pmig vm: --clock 'tsc': use host or icount" "$pmig" vm --clock tsc -- topo
expect_error icount_needs_tcg 2 "pmig vm: --clock icount needs TCG" \
	env PMIG_VM_ACCEL=kvm "$pmig" vm --clock icount -- topo
expect_error unknown_cpu_model 2 "pmig vm: --cpu 'pentium9': qemu-system-x86_64 has no such CPU model (qemu-system-x86_64 -cpu help lists them)$" \
	"$pmig" vm --cpu pentium9 -- topo
expect_error cpu_model_not_a_name 2 "pmig vm: --cpu 'max,+erms' is not a CPU model name" "$pmig" vm --cpu max,+erms -- topo
expect_error append_newline 2 "pmig vm: arguments cannot contain newlines" "$pmig" vm --append $'a\nb' -- topo
expect_error bench_matrix_bad_knob 2 "pmig matrix: knob 'a|b'" "$pmig" matrix --bench --knobs 'a|b'
expect_error bench_matrix_unknown_suite 2 "pmig matrix: unknown kernel" "$pmig" matrix --bench --kernels debian:woody
# The guest program's arguments are checked here, before a kernel fetch or a boot
# (a missing kernel would be a different line).
expect_error guest_args_checked_before_boot 2 "pmig conform: --seed needs a non-negative number" \
	"$pmig" vm --kernel /nonexistent/bzImage -- conform --seed abc
expect_error guest_bench_args_checked_before_boot 2 "pmig bench: bad --pairs 'x'" \
	"$pmig" vm --kernel /nonexistent/bzImage -- bench --pairs x

# A static program has no libraries to copy: it goes in as it is.
scripts_vm=$(cd "$(dirname "$0")/../vm" && pwd)
"$scripts_vm/initramfs.sh" "$tmp/static.gz" --add "$(command -v busybox)" >"$tmp/out" 2>&1 &&
	[ ! -s "$tmp/out" ] && zcat "$tmp/static.gz" | cpio -t --quiet | grep -qx usr/bin/busybox
ok $? static_program_added

# A guest whose kernel panics: one line, non-zero, the panic shown.
one_line_error_panic() {
	"$pmig" vm --out "$tmp/panic" --wrap 'sh -c "echo c >/proc/sysrq-trigger" sh' \
		-- topo >"$tmp/out" 2>"$tmp/err"
	local rc=$?
	[ "$rc" != 0 ] && [ "$(wc -l <"$tmp/err")" = 1 ] &&
		grep -q '^pmig vm: guest kernel reported: .*\(panic\|BUG\|Oops\)' "$tmp/err"
}
one_line_error_panic
ok $? panicking_guest_fails_with_the_panic_line

# --wrap strace with --add: the traced calls come back on stderr. In the same boot, the
# case that ptraces its child, under strace -f (which takes the child first): a SKIP that
# names the tracer, not an ERROR (--allow-oops: this kernel has the bug the case would
# oops on, and it must get as far as its fork).
strace=$(command -v strace)
if [ -n "$strace" ]; then
	"$pmig" vm --out "$tmp/strace" --add "$strace" \
		--wrap 'strace -f -o /dev/null pmig-conform --allow-oops --filter migrate_pages.return.mm_without_vmas >traced.tap 2>&1; strace -f -e trace=move_pages' \
		-- conform --filter 'move_pages.status.node_present' >"$tmp/out" 2>"$tmp/err"
	grep -q 'move_pages(' "$tmp/err" && grep -q '^ok 1 move_pages.status.node_present' "$tmp/out"
	ok $? wrap_strace_shows_traced_calls
	grep -q '^ok 1 migrate_pages.return.mm_without_vmas # SKIP the case ptraces its child, which process [0-9]* (strace) already traces' \
		"$tmp/strace/traced.tap"
	rc=$?
	ok $rc ptracing_case_skips_under_strace
	[ "$rc" = 0 ] || sed 's/^/# /' "$tmp/strace/traced.tap" 2>/dev/null
else
	ok 0 "wrap_strace_shows_traced_calls # SKIP strace is not installed"
	ok 0 "ptracing_case_skips_under_strace # SKIP strace is not installed"
fi

# Result files written by the program come back into --out.
"$pmig" vm --out "$tmp/files" -- conform --filter 'migrate_pages.return.*' \
	--junit r.xml --kcidb r.json >/dev/null 2>&1
grep -q '<testsuites' "$tmp/files/r.xml" && grep -q '"version"' "$tmp/files/r.json" &&
	grep -q '^emulation=' "$tmp/files/vm.txt" && [ -s "$tmp/files/qemu.cmdline" ] &&
	grep -qx 'cpu=qemu64' "$tmp/files/vm.txt"
ok $? result_files_come_back
# The guest's name (not the kernel's "(none)") is in both exports.
grep -q '<testsuite [^>]*hostname="pmig-vm-2node-x86-64"' "$tmp/files/r.xml" &&
	jq -e '.builds[0].misc.hostname == "pmig-vm-2node-x86-64"' "$tmp/files/r.json" >/dev/null &&
	grep -q '^hostname=pmig-vm-2node-x86-64$' "$tmp/files/vm.txt"
ok $? exports_name_the_guest

# A guest that does not finish in time is killed, with one line.
expect_error hung_guest_killed_at_timeout 1 "pmig vm: guest did not finish within 2 s" \
	"$pmig" vm --out "$tmp/hung" --timeout 2 -- topo

# pmig matrix: one column per kernel, one row per case, outcomes in the cells.
"$pmig" matrix --kernels debian:bookworm --topology 1node --out "$tmp/matrix" \
	>"$tmp/matrix.md" 2>/dev/null
rc=$?
rows=$(grep -c '^| `' "$tmp/matrix.md")
[ "$rc" = 0 ] && head -1 "$tmp/matrix.md" | grep -q '| bookworm/1node (6\.1\.' &&
	[ "$rows" = "$("$pmig" conform --list | wc -l)" ] &&
	grep -q '^| `move_pages.status.node_present` | PASS |$' "$tmp/matrix.md" &&
	grep -q '^| `move_pages.status.node_moved` | SKIP |$' "$tmp/matrix.md" &&
	grep -q '^| `move_pages.status.enoent_not_present` | PASS `-EFAULT` |$' "$tmp/matrix.md" &&
	grep -q "^move_pages.status.node_present	PASS\$" "$tmp/matrix/matrix.tsv"
ok $? matrix_table_has_every_case

# A run killed with SIGKILL (no trap runs) leaves its work directory and its QEMU; the
# next pmig vm removes both, even one that stops at bad input.
"$pmig" vm --out "$tmp/killed" -- topo >/dev/null 2>&1 &
killed=$!
# Its QEMU runs once the kernel and the initramfs are ready (a loaded machine takes a while).
for _ in $(seq 1200); do
	compgen -G "$TMPDIR/pmig-vm.*/qemu.pid" >/dev/null && break
	sleep 0.1
done
stale=$(compgen -G "$TMPDIR/pmig-vm.*")
kill -9 "$killed"
wait "$killed" 2>/dev/null
# Its last "sleep 0.1" (the boot loop's) holds the lock until it ends.
sleep 1
[ -n "$stale" ] && [ -d "$stale" ] && "$pmig" vm --timeout soon -- topo 2>/dev/null
[ -n "$stale" ] && [ ! -e "$stale" ] && ! pgrep -f "qemu-system-x86_64.*$stale/" >/dev/null
ok $? killed_run_cleaned_by_the_next
[ -n "$stale" ] && [ ! -e "$stale" ] || echo "# stale: '${stale:-none}'; left: $(ls "$TMPDIR")"

sleep 1
[ "$(leftovers)" = "$before" ] && ! pgrep -f "qemu-system-x86_64.*$TMPDIR/.*initrd.gz" >/dev/null
ok $? no_temporary_files_or_processes_left
exit $tap_failed
