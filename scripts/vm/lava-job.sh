#!/bin/bash
# lava-job.sh - `pmig lava-job`: a LAVA job (QEMU device type) running pmig in the same guest as pmig vm: the kernel, the pmig initramfs, the topology as QEMU options, a monitor reading each case's verdict.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
die() {
	echo "pmig lava-job: $*" >&2
	exit 2
}

usage() {
	cat <<USAGE
usage: pmig lava-job [--kernel PATH|URL|debian:SUITE[/FLAVOUR]] [--topology NAME|FILE]
                     [--timeout S] [--url BASE] [--out DIR] -- conform|bench [ARGS]
Writes DIR/job.yaml, a LAVA job for the qemu device type, and beside it the files
it deploys: the kernel (vmlinuz) and pmig's initramfs (initrd.gz), made as pmig vm
makes them. The topology, machine type, CPUs and memory go on the kernel's
image_arg, so the job needs no device dictionary changes; the guest prints one
"PMIG-LAVA-CASE ID RESULT" line per case on its console, which the job's monitor
records as LAVA test cases (XFAIL as pass, XPASS as fail). Every action's time
limit comes from the job's size: the cases ARGS select, the topology's nodes, CPUs
and memory, the architecture (TCG arm64 and ppc64le are slower) and the files to
fetch; the job states the formula and its inputs in comments and metadata.
--timeout S: the monitor waits at least S seconds for the run (default: as derived).
--url BASE is where a lab's dispatcher fetches the two files (default: file://DIR,
for lava-run here). A kernel URL (http:// or https://) is fetched once here to read
it; the job names the URL. Like a kernel path, it brings no modules: the guest has
no zram swap or ext4. Run it here with lava/qemu-pmig.yaml, the device file for
lava-run:
  lava-run --job-id 1 --output-dir OUT --device lava/qemu-pmig.yaml DIR/job.yaml
USAGE
}

timeout=0
out=
url=
topology=2node
kernel=debian:bookworm
while [ $# -gt 0 ]; do
	case "$1" in
	--kernel | --topology | --timeout | --url | --out)
		[ $# -ge 2 ] || die "$1 needs an argument"
		case "$1" in
		--kernel) kernel=$2 ;;
		--topology) topology=$2 ;;
		--timeout) timeout=$2 ;;
		--url) url=$2 ;;
		--out) out=$2 ;;
		esac
		shift 2
		;;
	--help | -h)
		usage
		exit 0
		;;
	--)
		shift
		break
		;;
	*) die "unknown option '$1' (see pmig lava-job --help)" ;;
	esac
done
[ $# -ge 1 ] || die "no subcommand after -- (e.g. pmig lava-job -- conform)"
case "$1" in
conform | bench) ;;
*) die "a LAVA job runs 'conform' or 'bench' (got '$1')" ;;
esac
[[ "$timeout" =~ ^[0-9]{1,9}$ ]] || die "--timeout needs a whole number of seconds"
case "$url" in
'' | file://* | http://* | https://*) ;;
*) die "--url '$url': give a file://, http:// or https:// base" ;;
esac
# The run's size in cases, for the time limits (lava-limits.sh): the cases pmig conform
# selects with these ARGS, a random scenario as half a case (lava-limits.sh says why),
# a benchmark run as the cases its time is worth.
case "$1" in
conform)
	cases=
	for ((i = 2; i <= $#; i++)); do
		case "${!i}" in
		--random) j=$((i + 1)) && cases=${!j:-} ;;
		--random=*) cases=${!i#--random=} ;;
		esac
	done
	if [ -n "$cases" ]; then
		[[ "$cases" =~ ^[0-9]{1,9}$ ]] || die "conform --random '$cases': give a whole number"
		cases=$(((cases + 1) / 2))
	else
		list=$("${PMIG_LIBEXEC:?lava-job.sh is started by pmig}/pmig-conform" --list "${@:2}" 2>&1) ||
			die "conform ${*:2}: $(tail -n 1 <<<"$list")"
		cases=$(grep -c . <<<"$list")
	fi
	;;
bench)
	cases=600
	for a in "${@:2}"; do
		[ "$a" = --quick ] && cases=60
	done
	;;
esac
out=${out:-${PMIG_RUNS:-.}/lava-job-$(date -u +%Y%m%dT%H%M%SZ)}
mkdir -p "$out" 2>/dev/null && [ -w "$out" ] || die "cannot write to --out '$out'"
out=$(cd "$out" && pwd)
kernel_url=
case $kernel in
http://* | https://*)
	kernel_url=$kernel
	kernel=$out/kernel.download
	curl -fsSL -o "$kernel" "$kernel_url" 2>/dev/null ||
		wget -q -O "$kernel" "$kernel_url" 2>/dev/null || {
		echo "pmig lava-job: cannot fetch the kernel $kernel_url" >&2
		exit 1
	}
	;;
esac
"$here/run.sh" --kernel "$kernel" --topology "$topology" --prepare "$out" -- "$@" || exit $?
rm -f "$out/kernel.download"
url=${url:-file://$out}
url=${url%/}
kernel_url=${kernel_url:-$url/vmlinuz}

# The job: YAML written by hand (one level of quoting: no value holds a quote).
release=$(sed -n 's/^kernel_release=//p' "$out/kernel.txt")
console=$(sed -n 's/^console=//p' "$out/kernel.txt")
karch=$(sed -n 's/^arch=//p' "$out/kernel.txt")
case $karch in
x86_64) arch=amd64 ;;
aarch64) arch=arm64 ;;
ppc64le) arch=ppc64 ;;
esac
qemu=$(tr '\n' ' ' <"$out/qemu.args")
# The guest's size from its QEMU options: NUMA nodes, CPUs, memory in MiB.
nodes=$(grep -c '^node,' "$out/qemu.args")
[ "$nodes" -ge 1 ] || nodes=1
cpus=$(sed -n '/^-smp$/{n;s/,.*//p;}' "$out/qemu.args")
mem=$(sed -n '/^-m$/{n;p;}' "$out/qemu.args")
case $mem in
*G) mem=$((${mem%G} * 1024)) ;;
*M) mem=${mem%M} ;;
esac
mib=$((($(stat -c %s "$out/vmlinuz") + $(stat -c %s "$out/initrd.gz") + 1048575) / 1048576))
limits=$("$here/lava-limits.sh" "$karch" "$nodes" "${cpus:-1}" "$mem" "$cases" "$mib" "$timeout") || exit 2
limit() { awk -v k="$1" '$1 == k { print $2 }' <<<"$limits"; }
# A benchmark's line carries its time; a case's none. One pattern each: an optional,
# unmatched measurement group reaches LAVA as "null", which a server refuses to store
# (the dispatcher alone, lava-run, does not mind).
pattern='PMIG-LAVA-CASE (?P<test_case_id>\S+) (?P<result>pass|fail|skip)'
[ "$1" = bench ] && pattern="$pattern (?P<measurement>[0-9]+) (?P<units>ns)"
{
	echo "# pmig lava-job: pmig $* on $release, topology $topology"
	grep '^#' <<<"$limits"
	echo "device_type: qemu"
	echo "job_name: pmig $1 $release $topology"
	echo "metadata:"
	echo "  pmig_size: '$karch, $nodes nodes, $cpus CPUs, $mem MiB, $cases cases, $mib MiB to fetch'"
	echo "  pmig_limits: '$(grep -v '^#' <<<"$limits" | sed 's/$/ s/' | paste -sd, | sed 's/,/, /g')'"
	# Every limit LAVA has: the job, the default for LAVA's own actions (finalize,
	# read-feedback) and power-off, which the device type sets; each block's own (it
	# wins over timeouts.actions for every action in the block); the connections'
	# default and the monitor's, whose wait for its start string is a connection wait.
	echo "timeouts:"
	echo "  job: {seconds: $(limit job)}"
	echo "  action: {seconds: $(limit finalize)}"
	echo "  actions:"
	echo "    power-off: {seconds: $(limit finalize)}"
	echo "  connection: {seconds: $(limit boot)}"
	echo "  connections:"
	echo "    lava-test-monitor: {seconds: $(limit monitor)}"
	echo "priority: medium"
	echo "visibility: public"
	echo "context:"
	echo "  arch: $arch"
	echo "actions:"
	echo "- deploy:"
	echo "    to: tmpfs"
	echo "    timeout: {seconds: $(limit deploy)}"
	echo "    images:"
	echo "      kernel:"
	echo "        image_arg: '-kernel {kernel} $qemu-append \"console=$console $(cat "$out/append")\"'"
	echo "        url: $kernel_url"
	echo "      initrd:"
	echo "        image_arg: -initrd {initrd}"
	echo "        url: $url/initrd.gz"
	echo "- boot:"
	echo "    method: qemu"
	echo "    media: tmpfs"
	echo "    timeout: {seconds: $(limit boot)}"
	echo "- test:"
	echo "    timeout: {seconds: $(limit test)}"
	echo "    monitors:"
	echo "    - name: pmig-$1"
	echo "      start: PMIG-LAVA-START"
	echo "      end: PMIG-LAVA-END"
	echo "      pattern: '$pattern'"
} >"$out/job.yaml"
echo "pmig lava-job: $out/job.yaml ($release, $topology)" >&2
