#!/bin/bash
# lava.t - pmig lava-job: bad input is one line and exit 2; every action of the job it writes has a time limit from the job's size (more cases, nodes, memory or a slower architecture: more time), the monitor's covering the guest's boot and run; the job runs under Debian's lava-run with lava/qemu-pmig.yaml, and LAVA records as many passes, failures and skips as pmig vm counts for the same kernel and topology.
set -u
here=$(cd "$(dirname "$0")" && pwd)
pmig=$here/../pmig
# shellcheck source=scripts/tests/tap.sh
. "$here/tap.sh"

echo "TAP version 13"
echo "1..19"
expect_error no_subcommand 2 "pmig lava-job: no subcommand" "$pmig" lava-job --out "$tmp/j"
expect_error not_conform 2 "pmig lava-job: a LAVA job runs 'conform' or 'bench'" "$pmig" lava-job --out "$tmp/j" -- topo
expect_error bad_url 2 "pmig lava-job: --url 'ftp://x'" "$pmig" lava-job --url ftp://x -- conform
expect_error bad_timeout 2 "pmig lava-job: --timeout" "$pmig" lava-job --timeout soon -- conform
expect_error bad_conform_args 2 "pmig lava-job: conform --filter: pmig conform: --filter needs" \
	"$pmig" lava-job --out "$tmp/j" -- conform --filter
expect_error bad_random 2 "pmig lava-job: conform --random 'many'" "$pmig" lava-job --out "$tmp/j" -- conform --random many
limits=$here/../vm/lava-limits.sh
expect_error limits_unknown_arch 2 "lava-limits.sh: no architecture factor for 'sparc64'" "$limits" sparc64 2 2 1024 10 20
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

# Time limits. A job's, from its metadata line "deploy N s, boot N s, ...".
lim() { # DIR NAME
	sed -n "s/^  pmig_limits: '\(.*\)'\$/\1/p" "$1/job.yaml" | tr ',' '\n' | awk -v k="$2" '$1 == k { print $2 }'
}
# bigger SMALL BIG NAME...: each limit NAME of job BIG is at least SMALL's, and the
# first one more.
bigger() {
	local s=$1 b=$2 n first=1
	shift 2
	for n in "$@"; do
		[ -n "$(lim "$s" "$n")" ] && [ -n "$(lim "$b" "$n")" ] || return 1
		[ "$(lim "$b" "$n")" -ge "$(lim "$s" "$n")" ] || return 1
		[ "$first" = 0 ] || [ "$(lim "$b" "$n")" -gt "$(lim "$s" "$n")" ] || return 1
		first=0
	done
}
job() { # NAME TOPOLOGY ARGS...
	local d=$tmp/$1 t=$2
	shift 2
	"$pmig" lava-job --kernel debian:bookworm --topology "$t" --out "$d" -- conform "$@" 2>>"$tmp/jobs.err"
}
job few 2node --filter 'move_pages.status.*' && job all 2node && job wide 4node-asym &&
	job large 2node-1g && job random 2node --random 2000 --seed 1
ok $? "lava_jobs_written"
bigger "$tmp/few" "$tmp/all" monitor test job && bigger "$tmp/all" "$tmp/random" monitor test job
ok $? "more_cases_more_time"
bigger "$tmp/all" "$tmp/wide" boot monitor test job && bigger "$tmp/all" "$tmp/large" boot monitor test job
ok $? "more_nodes_or_memory_more_time"
# Architecture: same size, TCG arm64 and ppc64le slower than x86-64.
arch_lim() { "$limits" "$1" 2 2 1024 158 28 | awk '$1 == "monitor" { print $2 }'; }
[ "$(arch_lim aarch64)" -gt "$(arch_lim x86_64)" ] && [ "$(arch_lim ppc64le)" -gt "$(arch_lim aarch64)" ]
ok $? "slower_architecture_more_time"
# The monitor waits for PMIG-LAVA-START, which comes after the guest's boot and its
# every case: at least the boot's limit, two minutes and a second a case more; the
# test action more than its monitor; the job every action's in turn. The job states
# the formula with its inputs (every case: the full run).
a=$tmp/all
cases=$("$pmig" conform --list | grep -c .)
[ "$(lim "$a" monitor)" -ge $(($(lim "$a" boot) + 120 + cases)) ] &&
	[ "$(lim "$a" test)" -gt "$(lim "$a" monitor)" ] &&
	[ "$(lim "$a" job)" -ge $(($(lim "$a" deploy) + $(lim "$a" boot) + $(lim "$a" test) + $(lim "$a" finalize))) ] &&
	grep -q "^# Inputs: arch x86_64 (A = 1), 2 nodes, 2 CPUs, 1024 MiB of memory, $cases cases," "$a/job.yaml" &&
	grep -q "^# monitor  = boot + A \* (120 + P \* cases) *= $(lim "$a" monitor)\$" "$a/job.yaml"
ok $? "monitor_covers_the_run_and_job_states_the_formula"
"$pmig" lava-job --kernel debian:bookworm --topology 2node --timeout 5000 --out "$tmp/long" -- conform --filter 'move_pages.status.*' 2>>"$tmp/jobs.err" &&
	[ "$(lim "$tmp/long" monitor)" = 5000 ] && [ "$(lim "$tmp/long" boot)" = "$(lim "$tmp/few" boot)" ]
ok $? "timeout_raises_the_monitor_only"

# Every action in the pipeline LAVA makes of the job (its own parser, with the device
# file) has the limit of its block, none LAVA's 30 s or the device type's; the
# monitor's connection, its wait for the start line, the monitor limit.
if ! /usr/bin/python3 -c 'import lava_dispatcher' 2>/dev/null; then
	ok 0 "every_action_has_its_limit # SKIP needs lava-dispatcher (scripts/deps.sh lava)"
else
	/usr/bin/python3 - "$here/../../lava/qemu-pmig.yaml" "$a/job.yaml" >"$tmp/pipeline" 2>&1 <<'PY'
import logging, sys
from lava_dispatcher.device import NewDevice
from lava_dispatcher.parser import JobParser
with open(sys.argv[2]) as f:
    job = JobParser().parse(f.read(), NewDevice(sys.argv[1]), "lava.t", logger=logging.getLogger("dispatcher"),
                            dispatcher_config=None, env_dut=None)
print("job", "-", job.timeout.duration)
def walk(pipeline):
    for a in pipeline.actions:
        print(a.level, a.name, a.timeout.duration, a.connection_timeout.duration)
        if a.pipeline:
            walk(a.pipeline)
walk(job.pipeline)
PY
	# Top-level actions 1 deploy, 2 boot, 3 test, 4 finalize: each action's limit is
	# its block's; connections wait the boot's limit, the monitor's its own.
	awk -v d="$(lim "$a" deploy)" -v b="$(lim "$a" boot)" -v m="$(lim "$a" monitor)" \
		-v t="$(lim "$a" test)" -v f="$(lim "$a" finalize)" -v j="$(lim "$a" job)" '
		$1 == "job" { seen++; if ($3 != j) bad++; next }
		$1 !~ /^[1-9][0-9.]*$/ { bad++; next }
		{
			n++; top = substr($1, 1, 1)
			want = (top == 1) ? d : (top == 2) ? b : (top == 3) ? t : f
			conn = ($2 == "lava-test-monitor") ? m : b
			if ($3 != want || $4 != conn) { bad++; print "# " $0 " (want " want " " conn ")" }
			if ($2 == "lava-test-monitor") mon++
		}
		END { exit !(seen == 1 && n >= 8 && mon == 1 && !bad) }' "$tmp/pipeline"
	rc=$?
	[ "$rc" = 0 ] || sed 's/^/# /' "$tmp/pipeline" | head -n 20
	ok $rc "every_action_has_its_limit"
fi

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
