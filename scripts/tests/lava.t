#!/bin/bash
# lava.t - pmig lava-job: bad input is one line and exit 2; the job it writes runs under Debian's lava-run with lava/qemu-pmig.yaml, and LAVA records as many passes, failures and skips as pmig vm counts for the same kernel and topology.
set -u
here=$(cd "$(dirname "$0")" && pwd)
pmig=$here/../pmig
# shellcheck source=scripts/tests/tap.sh
. "$here/tap.sh"

echo "TAP version 13"
echo "1..9"
expect_error no_subcommand 2 "pmig lava-job: no subcommand" "$pmig" lava-job --out "$tmp/j"
expect_error not_conform 2 "pmig lava-job: a LAVA job runs 'conform' or 'bench'" "$pmig" lava-job --out "$tmp/j" -- topo
expect_error bad_url 2 "pmig lava-job: --url 'ftp://x'" "$pmig" lava-job --url ftp://x -- conform
expect_error bad_timeout 2 "pmig lava-job: --timeout" "$pmig" lava-job --timeout soon -- conform
expect_error kernel_url_unreachable 1 "pmig lava-job: cannot fetch the kernel" \
	"$pmig" lava-job --kernel http://127.0.0.1:9/none --out "$tmp/u" -- conform

# The test definition's script, with a stand-in pmig (canned TAP and benchmark table)
# and lava-test-case (a log): every TAP verdict and benchmark becomes one call, today's
# XFAIL/XPASS and TAP 13's TODO form alike (XFAIL a pass, XPASS a failure, as pmig
# matrix's table in LAVA's terms).
mkdir -p "$tmp/bin"
cat >"$tmp/bin/pmig" <<'FAKE'
#!/bin/sh
case "$1" in
conform) printf '%s\n' 'TAP version 13' '1..10' 'ok 1 a.pass' 'not ok 2 b.fail # x' \
	'ok 3 c.skip # SKIP no node' 'ok 4 d.xfail # XFAIL known bug: y' 'ok 5 e.xpass # XPASS known bug did not show: z' \
	'not ok 6 f.xfail # TODO known: bug y' 'ok 7 g.xpass # TODO XPASS: bug z' 'not ok 8 h.error # ERROR mmap: ENOMEM' \
	'not ok 9 i.fail # FAIL todo: a reason like a directive' 'ok 10 j.skip # skip in lower case'
	exit 1 ;;
bench) echo 'move_pages/anon/1M/0to1/batch:all/iterations:5/manual_time   7608842 ns   21281594 ns   5 verified=1'
	echo 'memcpy/anon/1M/0to1/threads:1/iterations:5/manual_time   1.08 ms   13.5 ms   5' ;;
esac
FAKE
printf '#!/bin/sh\necho "$*" >>"%s"\n' "$tmp/calls" >"$tmp/bin/lava-test-case"
chmod +x "$tmp/bin/pmig" "$tmp/bin/lava-test-case"
PATH=$tmp/bin:$PATH PMIG_LAVA_DIR=$tmp/plv "$here/../../lava/pmig-lava.sh" "" "" true >/dev/null 2>&1
want="a.pass --result pass
b.fail --result fail
c.skip --result skip
d.xfail --result pass
e.xpass --result fail
f.xfail --result pass
g.xpass --result fail
h.error --result fail
i.fail --result fail
j.skip --result skip
pmig-conform-run --result fail"
[ "$(head -n 11 "$tmp/calls" 2>/dev/null)" = "$want" ]
ok $? "definition_script_reports_each_tap_verdict"
[ "$(tail -n 3 "$tmp/calls" 2>/dev/null)" = "move_pages/anon/1M/0to1/batch:all/iterations:5 --result pass --measurement 7608842 --units ns
memcpy/anon/1M/0to1/threads:1/iterations:5 --result pass --measurement 1080000 --units ns
pmig-bench-run --result pass" ]
ok $? "definition_script_reports_each_benchmark_in_ns"

# The job, run by LAVA's own dispatcher (as root: lava-run keeps its files in
# /var/lib/lava/dispatcher), against the same guest under pmig vm.
if [ "$(id -u)" != 0 ] || ! "$here/../deps.sh" lava >/dev/null 2>&1; then
	ok 0 "lava_run_counts_match_pmig_vm # SKIP needs root and lava-dispatcher (scripts/deps.sh lava)"
	ok 0 "lava_job_names_the_topology # SKIP as above"
	exit 0
fi
"$pmig" lava-job --kernel debian:bookworm --topology 2node --out "$tmp/job" -- conform 2>"$tmp/err"
mkdir -p "$tmp/lava-out"
timeout 900 lava-run --job-id "pmig-check-$$" --output-dir "$tmp/lava-out" \
	--device "$here/../../lava/qemu-pmig.yaml" "$tmp/job/job.yaml" >"$tmp/lava.log" 2>&1
lrc=$?
# Each monitor result is a JSON log line; count them by result.
lava_count() {
	grep '"lvl": "results"' "$tmp/lava.log" | grep '"definition": "pmig-conform"' |
		grep -c "\"result\": \"$1\""
}
lava="pass $(lava_count pass) fail $(lava_count fail) skip $(lava_count skip)"
"$pmig" vm --kernel debian:bookworm --topology 2node --out "$tmp/vm" -- conform >"$tmp/vm.tap" 2>/dev/null
# pmig's totals in LAVA's terms: an XFAIL passes (known bug), an XPASS or an error fails.
vm=$(sed -n 's/^# Totals: pass:\([0-9]*\) fail:\([0-9]*\) xfail:\([0-9]*\) xpass:\([0-9]*\) skip:\([0-9]*\) error:\([0-9]*\)$/\1 \2 \3 \4 \5 \6/p' "$tmp/vm.tap" |
	awk '{ printf "pass %d fail %d skip %d", $1 + $3, $2 + $4 + $6, $5 }')
if [ "$lrc" = 0 ] && grep -q 'Job finished correctly' "$tmp/lava.log" && [ -n "$vm" ] && [ "$lava" = "$vm" ]; then
	ok 0 "lava_run_counts_match_pmig_vm ($lava)"
else
	echo "# lava-run exit $lrc; LAVA: $lava; pmig vm: ${vm:-no totals}"
	grep -E '"lvl": "(error|exception)"' "$tmp/lava.log" | head -n 3 | sed 's/^/# /'
	ok 1 "lava_run_counts_match_pmig_vm"
fi
grep -q -- '-numa node,nodeid=1' "$tmp/job/job.yaml" && grep -q 'url: file://' "$tmp/job/job.yaml"
ok $? "lava_job_names_the_topology"
exit $tap_failed
