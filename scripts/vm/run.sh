#!/bin/bash
# run.sh - `pmig vm`: boots a kernel in QEMU on an emulated NUMA topology, runs one pmig program inside, brings back its output, files and exit status.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
libexec=${PMIG_LIBEXEC:?run.sh is started by pmig}
tmproot=${TMPDIR:-/tmp}

die() {
	echo "pmig vm: $*" >&2
	exit 2
}

# Work directories of runs that were killed (SIGKILL: no trap ran) go now. A live
# run holds the lock in its directory (so does its QEMU, which stops with it), so
# only a dead one's lock is free, whatever pid namespace it ran in.
for d in "$tmproot"/pmig-vm.*; do
	[ -f "$d/lock" ] && [ -O "$d" ] && flock -n "$d/lock" true 2>/dev/null || continue
	if [ -s "$d/qemu.pid" ]; then
		p=$(cat "$d/qemu.pid")
		grep -qF "$d/" "/proc/$p/cmdline" 2>/dev/null && kill -9 "$p" 2>/dev/null
	fi
	rm -rf "$d"
done

usage() {
	cat <<USAGE
usage: pmig vm [--kernel PATH|debian:SUITE[/FLAVOUR]] [--modules TREE] [--topology NAME|FILE]
               [--clock host|icount] [--cpu MODEL] [--append 'ARGS'] [--wrap 'CMD']
               [--add FILE]... [--coverage] [--timeout S] [--out DIR] -- SUBCOMMAND [ARGS]
Boots the kernel (default debian:bookworm) in QEMU with the emulated NUMA
topology (default 2node; presets: 1node 2node 3node-cxl 3node-memless 4node-asym), checks that
the guest sees that topology, runs 'pmig SUBCOMMAND ARGS' inside (topo, conform, refmig
or bench)
and returns its stdout, stderr and exit status. Files the program writes in its
working directory (e.g. --junit r.xml) land in DIR with the console log and the
exact QEMU command line. The program's arguments are checked here before
any boot. A WARNING, BUG, oops or panic on the guest's console, a guest that
dies or hangs, exits 1 with one line (naming the case it stopped in), after
every result already produced has come back. The guest loads zram, brd and ext4 where the kernel
has them as modules, swaps on a 256M zram device and mounts a 128M ext4
filesystem (brd ramdisk) at /scratch, given to the program as PMIG_SCRATCH_DIR;
xfs, btrfs and nilfs2 (brd ramdisks too) and tmpfs with huge=always and
huge=never at /scratch-NAME (PMIG_SCRATCH_NAME), for the filesystems rows
(in pmig conform's guests only);
what it set up is in vm.txt (guest_*) and on stderr. A facility the
kernel lacks is reported there and its cases skip. The guest's hostname,
which its exports carry, is pmig-vm-TOPOLOGY-ARCH.
  --kernel       debian:SUITE (bookworm, trixie, sid, experimental) is Debian's
                 amd64 kernel; /FLAVOUR picks another of Debian's flavours: arm64,
                 arm64-16k (QEMU virt, Neoverse N1), powerpc64le, powerpc64le-64k
                 (QEMU pseries, POWER9). A PATH is an x86-64 bzImage, an arm64
                 Image or a ppc64le vmlinux. The guest programs for arm64 and
                 ppc64le are cross-built on first use. virt and pseries get no
                 HMAT: topology.txt says so under "missing:"
  --modules TREE the kernel's modules for a bzImage PATH (Debian kernels bring
                 theirs): TREE/lib/modules/RELEASE as 'make modules_install
                 INSTALL_MOD_PATH=TREE' makes it, or that RELEASE directory
  --clock icount  guest time counts executed instructions (QEMU TCG icount,
                 shift=0: 1 ns per instruction), so timings repeat across boots
                 and host load: code-path cost, not memory latency. The guest
                 boots one CPU and brings up the others before the program runs.
                 Default: host (the host's clock; KVM where it works, else TCG)
  --cpu MODEL    the guest's QEMU CPU model, as qemu-system-ARCH -cpu help lists them
                 (default: x86-64 qemu64, arm64 neoverse-n1, ppc64le power9). The
                 kernel picks its copy and clear routines by the model's features,
                 so figures counted on two models differ (bench/README.md); vm.txt's
                 cpu= and the benchmark JSON's pmig_cpu_model record it
  --append 'ARGS' more kernel command-line parameters (init_on_alloc=0, ...)
  --wrap 'CMD'   run the pmig program in the guest as: CMD pmig-SUBCOMMAND ARGS
  --add FILE     add a program and its shared libraries to the guest's PATH
  --coverage     count the kernel code the guest runs (TCG plugin pmig-cov.so, the
                 kernel booted with nokaslr so that its addresses are System.map's):
                 DIR/coverage.raw, per epoch (0 boot, 1 pmig's runner, then each
                 case: DIR/coverage-epochs.tsv names them), and the guest's
                 /proc/kallsyms in DIR/coverage-kallsyms.gz; then DIR/coverage.json,
                 per file and function of the migration code (pmig coverage DIR: the
                 kernel's -dbg package is fetched the first time). Plain TCG or icount
  --timeout S    kill the guest after S seconds (default 600)
USAGE
}

kernel_spec=debian:bookworm
modules_tree=
topology=2node
wrap=
adds=()
timeout=600
out=
clock=host
cpu=
append=
prepare=
coverage=
while [ $# -gt 0 ]; do
	case "$1" in
	--kernel | --modules | --topology | --wrap | --add | --timeout | --out | --clock | --cpu | --append | --prepare)
		[ $# -ge 2 ] || die "$1 needs an argument"
		case "$1" in
		--kernel) kernel_spec=$2 ;;
		--modules) modules_tree=$2 ;;
		--topology) topology=$2 ;;
		--wrap) wrap=$2 ;;
		--add) adds+=("$2") ;;
		--timeout) timeout=$2 ;;
		--out) out=$2 ;;
		--clock) clock=$2 ;;
		--cpu) cpu=$2 ;;
		--append) append=$2 ;;
		# For pmig lava-job: the guest made, not booted (see below).
		--prepare) prepare=$2 ;;
		esac
		shift 2
		;;
	--coverage)
		coverage=1
		shift
		;;
	--help | -h)
		usage
		exit 0
		;;
	--)
		shift
		break
		;;
	*) die "unknown option '$1' (see pmig vm --help)" ;;
	esac
done
[ $# -ge 1 ] || die "no subcommand after -- (e.g. pmig vm -- conform)"
sub=$1
shift
case "$sub" in
topo | conform | refmig | bench) ;;
*) die "cannot run '$sub' in a guest (topo, conform, refmig, bench)" ;;
esac
[[ "$timeout" =~ ^[1-9][0-9]*$ ]] || die "--timeout needs a positive number of seconds"
case "$clock" in
host | icount) ;;
*) die "--clock '$clock': use host or icount" ;;
esac
[ -z "$cpu" ] || [[ "$cpu" =~ ^[A-Za-z0-9][A-Za-z0-9._+-]*$ ]] ||
	die "--cpu '$cpu' is not a CPU model name (qemu-system-ARCH -cpu help lists them)"
[ "$clock" = icount ] && [ -n "${PMIG_VM_ACCEL:-}" ] && [ "$PMIG_VM_ACCEL" != tcg ] &&
	die "--clock icount needs TCG; PMIG_VM_ACCEL=$PMIG_VM_ACCEL cannot count instructions"
[ -n "$coverage" ] && [ -n "${PMIG_VM_ACCEL:-}" ] && [ "$PMIG_VM_ACCEL" != tcg ] &&
	die "--coverage needs TCG (a QEMU plugin); PMIG_VM_ACCEL=$PMIG_VM_ACCEL runs none"
[ -n "$coverage" ] && [ -n "$prepare" ] && die "--coverage runs QEMU here, not in a LAVA job"
for a in "$@" "$wrap" "$append"; do
	[[ "$a" != *$'\n'* ]] || die "arguments cannot contain newlines"
done
for a in "${adds[@]}"; do
	[ -f "$a" ] && [ -x "$a" ] || die "--add '$a' is not an executable file"
done
[ -z "$modules_tree" ] || [ -d "$modules_tree" ] || die "--modules '$modules_tree' is not a directory"
for p in pmig-topo "pmig-$sub" $([ "$sub" = bench ] && echo pmig-timer) ${coverage:+pmig-covmark}; do
	[ -x "$libexec/$p" ] || { echo "pmig vm: $libexec/$p is missing; run make" >&2; exit 1; }
done
# The coverage plugin: installed beside the programs, in the tree in build/lib/.
plugin=
if [ -n "$coverage" ]; then
	for p in "$libexec/pmig-cov.so" "$libexec/../lib/pmig-cov.so"; do
		[ -f "$p" ] && plugin=$(cd "$(dirname "$p")" && pwd)/pmig-cov.so && break
	done
	[ -n "$plugin" ] || { echo "pmig vm: $libexec/../lib/pmig-cov.so is missing; run make" >&2; exit 1; }
fi
# The guest program's own arguments, checked by the same program here (PMIG_CHECK_ARGS:
# it stops where it would start work), in a scratch directory like the guest's /results:
# a bad one is its one line and status 2 now, not after a kernel fetch and a boot.
if [ "$sub" != refmig ]; then
	argdir=$(mktemp -d "$tmproot/pmig-vm-args.XXXXXX") || die "cannot create a directory in $tmproot"
	(cd "$argdir" && PMIG_CHECK_ARGS=1 env -u PMIG_RUNS "$libexec/pmig-$sub" "$@" >/dev/null 2>"$argdir/.err")
	arc=$?
	if [ "$arc" = 2 ]; then
		head -n 1 "$argdir/.err" >&2
		rm -rf "$argdir"
		exit 2
	fi
	rm -rf "$argdir"
fi

# Inputs first: a bad kernel or topology fails before anything is built.
kinfo=$("$here/kernel.sh" "$kernel_spec") || exit $?
kernel=$(sed -n 's/^kernel=//p' <<<"$kinfo")
kversion=$(sed -n 's/^version=//p' <<<"$kinfo")
modules=$(sed -n 's/^modules=//p' <<<"$kinfo")
karch=$(sed -n 's/^arch=//p' <<<"$kinfo")
# The machine for the kernel's architecture: QEMU, machine type, the console and the
# guest's results channel (a second serial port; on virt, which has one UART, a virtio
# console, built into Debian's arm64 kernels).
arch_args=
case $karch in
# x86-64's no_timer_check: at boot the kernel waits a few ticks for the 8254 timer's
# interrupt through the IO-APIC, and a TCG guest on a busy host misses that window and
# panics ("IO-APIC + timer doesn't work!": sid on 2node, one boot of 75 in the repeat
# matrix while other guests kept the host's cores busy). The check finds broken boards,
# not kernel behaviour pmig tests.
x86_64) qemu=qemu-system-x86_64 qpkg=qemu-system-x86 machine=q35 console=ttyS0 channel=ttyS1
	arch_args=no_timer_check ;;
aarch64) qemu=qemu-system-aarch64 qpkg=qemu-system-arm machine=virt console=ttyAMA0 channel=hvc0 ;;
ppc64le) qemu=qemu-system-ppc64 qpkg=qemu-system-ppc machine=pseries console=hvc0 channel=hvc1 ;;
*) die "kernel $kernel_spec: no machine for architecture '$karch' (pmig runs x86_64, aarch64, ppc64le)" ;;
esac
# The dependency step installs the QEMU a new architecture needs.
command -v "$qemu" >/dev/null || [ ! -x "$here/../deps.sh" ] || "$here/../deps.sh" "vm-$karch" || exit $?
command -v "$qemu" >/dev/null ||
	die "$qemu is missing (apt-get install --no-install-recommends $qpkg)"
# The guest's programs: this machine's build, or for another architecture its cross
# build (made on first use) with that architecture's busybox and libraries.
guest_bin=$libexec
guest_arch=()
if [ "$karch" != "$(uname -m)" ]; then
	ginfo=$("$here/../cross/guest-build.sh" "$karch") || exit $?
	guest_bin=$(sed -n 's/^bin=//p' <<<"$ginfo")
	guest_arch=(--busybox "$(sed -n 's/^busybox=//p' <<<"$ginfo")"
		--sysroot "$(sed -n 's/^sysroot=//p' <<<"$ginfo")")
fi
qargs_text=$("$here/topology.sh" --qemu "$topology" "$machine") || exit $?
mapfile -t qargs <<<"$qargs_text"
# The CPU model: the machine's (virt and pseries name one), else QEMU's default for
# q35, qemu64, named on the command line so that qemu.cmdline says it too. --cpu
# replaces it, checked against the models this QEMU has.
for i in "${!qargs[@]}"; do
	[ "${qargs[$i]}" = -cpu ] && cpu_at=$((i + 1))
done
if [ -n "$cpu" ]; then
	"$qemu" -cpu help | awk '$1 == "x86" || $1 == "PowerPC" { print $2; next }
		/^Available CPUs:/ { on = 1; next } on && /^  [^ ]/ { print $1; next } { on = 0 }' |
		grep -qxF -- "$cpu" || die "--cpu '$cpu': $qemu has no such CPU model ($qemu -cpu help lists them)"
elif [ -n "${cpu_at:-}" ]; then
	cpu=${qargs[$cpu_at]}
else
	cpu=qemu64
fi
if [ -n "${cpu_at:-}" ]; then
	qargs[cpu_at]=$cpu
else
	qargs+=(-cpu "$cpu")
fi
topo_missing=$("$here/topology.sh" --missing "$topology" "$machine") || exit $?
# Kernel parameters the topology needs (its DIMMs onlined movable), before --append's.
topo_append=$("$here/topology.sh" --append "$topology" "$machine") || exit $?
[ -n "$topo_append" ] && append="$topo_append${append:+ $append}"

work=$(mktemp -d "$tmproot/pmig-vm.XXXXXX") || die "cannot create a directory in $tmproot"
exec 9>"$work/lock"
flock -n 9
qemu_pid=
cleanup() {
	[ -n "$qemu_pid" ] && kill -9 "$qemu_pid" 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP

"$here/topology.sh" --expect "$topology" | LC_ALL=C sort >"$work/expect-topology" || exit $?
if [ -n "$modules_tree" ]; then
	"$here/modules.sh" "$modules_tree" "$kversion" "$work/modules" || exit $?
	modules=$work/modules
fi
# Device-private migration (conformance/hmm.c) needs lib/test_hmm.c's driver, which no
# Debian kernel builds: where the kernel can have it, test-hmm.sh builds it out of tree,
# and the guest loads it with the other modules, before pmig-conform starts, so its taint
# (O, E) is in every case's baseline (harness/kmsg.c fails a case on new bits only).
if [ "$sub" = conform ] && [[ $kernel_spec == debian:* ]] && [ -n "$modules" ]; then
	if hmm=$("$here/test-hmm.sh" "$kernel_spec"); then
		ko=$(sed -n 's/^module=//p' <<<"$hmm")
		if [ -n "$ko" ]; then
			{ mkdir -p "$work/modules-hmm" && cp -- "$modules"/* "$work/modules-hmm/" &&
				cp -- "$ko" "$work/modules-hmm/test_hmm.ko" &&
				echo test_hmm.ko >>"$work/modules-hmm/modules.load"; } ||
				{ echo "pmig vm: cannot add test_hmm.ko to the guest's modules" >&2; exit 1; }
			modules=$work/modules-hmm
		fi
	else
		echo "pmig vm: test_hmm is not built for $kernel_spec: the hmm.* cases will skip" >&2
	fi
fi
printf '%s\n' "pmig-$sub" "$@" >"$work/argv"
printf '%s\n' "$wrap" >"$work/wrap"
# The guest's hostname, which every export of its runs carries (bench.json's host_name,
# JUnit's hostname, KCIDB's misc): the emulated machine, pmig-vm-TOPOLOGY-ARCH (a topology
# file by its name), the same in every boot whatever the kernel (which the exports name
# apart); letters, digits and hyphens only, as a host name has them.
tname=$(basename "$topology")
guest_host=$(printf 'pmig-vm-%s-%s' "${tname%.*}" "$karch" | tr 'A-Z' 'a-z' |
	sed 's/[^a-z0-9-]/-/g; s/--*/-/g' | cut -c 1-63 | sed 's/-$//')
printf '%s\n' "$guest_host" >"$work/hostname"
build=("${guest_arch[@]}" --bin "$guest_bin/pmig-topo" --bin "$guest_bin/pmig-$sub"
	${coverage:+--bin "$guest_bin/pmig-covmark"}
	--data expect-topology="$work/expect-topology"
	--data argv="$work/argv" --data wrap="$work/wrap" --data hostname="$work/hostname")
# pmig bench runs each case's timed calls in the timing program beside it.
[ "$sub" = bench ] && build+=(--bin "$guest_bin/pmig-timer")
for a in "${adds[@]}"; do
	build+=(--add "$a")
done
[ -n "$modules" ] && build+=(--modules "$modules")
# The filesystems rows' images only where they are mounted (initramfs.sh says why).
[ "$sub" = conform ] && build+=(--fs-images 1)
# A LAVA job's guest says its verdicts as the device script does (only there: every
# byte of the initramfs counts under --clock icount).
if [ -n "$prepare" ]; then
	verdicts=$here/../../lava/verdicts.awk
	[ -f "$verdicts" ] || verdicts=$here/verdicts.awk
	build+=(--data verdicts.awk="$verdicts")
fi
"$here/initramfs.sh" "$work/initrd.gz" "${build[@]}" || exit $?

# --prepare DIR: the kernel, the initramfs and what QEMU needs besides them, for a
# LAVA job (lava-job.sh): DIR/vmlinuz, DIR/initrd.gz, DIR/qemu.args (one argument a
# line: machine, CPUs, memory, NUMA nodes), DIR/append (the kernel command line
# without its console), DIR/kernel.txt. The guest runs in LAVA mode (pmig.lava=1):
# its results channel is its console, and each case's verdict is a line there too.
if [ -n "$prepare" ]; then
	mkdir -p "$prepare" && cp "$kernel" "$prepare/vmlinuz" && cp "$work/initrd.gz" "$prepare/initrd.gz" ||
		die "cannot write to --prepare '$prepare'"
	printf '%s\n' "${qargs[@]}" >"$prepare/qemu.args"
	echo "pmig.channel=$console pmig.lava=1 pmig.emulation=lava pmig.cpu=$cpu panic=-1 quiet${arch_args:+ $arch_args}${append:+ $append}" >"$prepare/append"
	printf 'kernel=%s\nkernel_release=%s\narch=%s\nmachine=%s\ncpu=%s\nconsole=%s\ntopology=%s\nhostname=%s\n' \
		"$kernel_spec" "$kversion" "$karch" "$machine" "$cpu" "$console" "$topology" "$guest_host" >"$prepare/kernel.txt"
	exit 0
fi

out=${out:-${PMIG_RUNS:-.}/vm-$(date -u +%Y%m%dT%H%M%SZ)}
mkdir -p "$out" 2>/dev/null && [ -w "$out" ] || die "cannot write to --out '$out'"
# What an earlier run in DIR counted is not this one's.
rm -f "$out/coverage.raw" "$out/coverage-epochs.tsv" "$out/coverage-kallsyms.gz"

# One boot of the guest; $1 accel, $2 seconds, $3 extra kernel parameters.
boot() {
	local bios=() chan=(-serial "file:$work/channel.log")
	[ "$karch" = x86_64 ] && [ -f /usr/share/qemu/qboot.rom ] && bios=(-bios /usr/share/qemu/qboot.rom)
	[ "$machine" = virt ] && chan=(-device virtio-serial-pci
		-chardev "file,id=channel,path=$work/channel.log" -device virtconsole,chardev=channel)
	local accel=$1
	# Multi-threaded TCG can run a stale translation of kernel text that
	# another vCPU just patched (static keys: cpusets, numa_balancing) and
	# the guest dies with "Oops: int3" (seen on 6.12 and 7.3); one thread
	# for all vCPUs keeps cross-modified code coherent.
	[ "$accel" = tcg ] && accel=tcg,thread=single
	local icount=()
	# Guest time from the instruction count, never from the host: sleep=off
	# jumps idle time to the next timer instead of waiting for the host's
	# clock. Under icount QEMU 7.2 hangs where the kernel brings up its
	# secondary CPUs at boot (guest clock stopped at "smp: Bringing up
	# secondary CPUs"), yet bringing one up later by CPU hotplug works: the
	# guest boots on one CPU (maxcpus=1) and guest-init onlines the rest.
	# The guest's wall clock starts at the same instant every boot: the kernel
	# mixes it into its random pool, and with the host's time two boots of
	# the same initramfs differed by up to 0.7% (with it they agree to the
	# nanosecond).
	# -seed: the random bytes QEMU gives the guest (the rng-seed and kaslr-seed
	# of virt's and pseries' device trees, arm64's RNDR) the same every boot;
	# with them random, arm64 and ppc64le figures moved by up to 10%.
	[ "$clock" = icount ] && icount=(-icount shift=0,sleep=off -rtc base=2026-01-01T00:00:00,clock=vm -seed 1)
	# --coverage: the plugin writes at QEMU's exit (a guest killed with -9 leaves
	# nothing); a comma in a QEMU option's value is written twice.
	local plug=()
	[ -n "$coverage" ] && plug=(-plugin "${plugin//,/,,},out=${out//,/,,}/coverage.raw")
	# loglevel=5: warnings (a WARN's "WARNING:" is level 4) reach the console,
	# which quiet's level 4 kept off; the guest's runner reads every level itself.
	# Under icount the console stays quiet: the boot messages it would print
	# change the instructions executed, and one benchmark's samples with them
	# (1 of 5 came out 3% slower, the same in every boot), so boots would no
	# longer repeat the recorded baseline's.
	local level=loglevel=5
	[ "$clock" = icount ] && level=quiet
	qemu_cmd=("$qemu" -accel "$accel" "${icount[@]}" "${plug[@]}" "${bios[@]}" "${qargs[@]}"
		-kernel "$kernel" -initrd "$work/initrd.gz"
		-append "console=$console pmig.channel=$channel panic=-1 $level${arch_args:+ $arch_args} $3"
		-nodefaults -display none -no-reboot -monitor none
		-serial "file:$work/console.log" "${chan[@]}")
	: >"$work/console.log"
	: >"$work/channel.log"
	# The lock stays with this script: a QEMU left by a killed run does not hold it.
	"${qemu_cmd[@]}" -pidfile "$work/qemu.pid" 2>"$work/qemu.err" 9>&- &
	qemu_pid=$!
	local waited=0
	while kill -0 "$qemu_pid" 2>/dev/null; do
		if [ "$waited" -ge "$(($2 * 10))" ]; then
			kill -9 "$qemu_pid" 2>/dev/null
			wait "$qemu_pid" 2>/dev/null
			qemu_pid=
			return 124
		fi
		sleep 0.1
		waited=$((waited + 1))
	done
	wait "$qemu_pid"
	local rc=$?
	qemu_pid=
	return $rc
}

# KVM where it works, else TCG; the verdict is cached per host kernel and QEMU.
accel=${PMIG_VM_ACCEL:-}
[ "$clock" = icount ] || [ -n "$coverage" ] && accel=tcg
if [ -z "$accel" ]; then
	accel=tcg
	if [ "$karch" = "$(uname -m)" ] && [ -r /dev/kvm ] && [ -w /dev/kvm ]; then
		cache=${XDG_CACHE_HOME:-$HOME/.cache}/pmig
		key="$(uname -r) $("$qemu" --version | head -1)"
		probe=$cache/kvm-probe
		if [ -f "$probe" ] && [ "$(head -1 "$probe")" = "$key" ]; then
			accel=$(sed -n 2p "$probe")
		else
			boot kvm 20 pmig.probe=1 >/dev/null 2>&1
			grep -q '^PMIG-END' "$work/channel.log" && accel=kvm
			mkdir -p "$cache" && printf '%s\n%s\n' "$key" "$accel" >"$probe"
		fi
	fi
fi

start=$(date +%s)
# The guest's programs learn how they are run (pmig bench records it).
emulation=$accel
cmdline="pmig.emulation=$accel"
# Plain TCG: no lockup detectors. A vCPU thread the busy host does not run for 10 s
# of guest time looks like a hard lockup to the guest (ppc64le trixie, at boot, in
# arch_cpu_idle, while other guests loaded the host: the run went red with every case
# passed). The detectors time the host's scheduler there, not the kernel; under icount
# guest time stands still with the vCPU, so they stay on.
[ "$accel" = tcg ] && cmdline="$cmdline nowatchdog"
if [ "$clock" = icount ]; then
	emulation=tcg-icount
	cmdline="pmig.emulation=tcg-icount maxcpus=1"
fi
# The CPU model, which the guest cannot tell from its cpuinfo (pmig bench records it).
cmdline="$cmdline pmig.cpu=$cpu"
# --coverage: kernel addresses as System.map has them (no KASLR), and the guest's
# programs mark their cases (PMIG_COVERAGE, set by guest-init).
[ -n "$coverage" ] && cmdline="$cmdline nokaslr pmig.coverage=1"
boot "$accel" "$timeout" "$cmdline${append:+ $append}"
qrc=$?
elapsed=$(($(date +%s) - start))
tr -d '\r' <"$work/console.log" >"$out/console.log"
printf '%q ' "${qemu_cmd[@]}" >"$out/qemu.cmdline"
echo >>"$out/qemu.cmdline"
{
	echo "kernel=$kernel_spec"
	echo "kernel_release=$kversion"
	echo "arch=$karch"
	echo "machine=$machine"
	echo "cpu=$cpu"
	echo "topology=$topology"
	echo "hostname=$guest_host"
	echo "emulation=$emulation"
	echo "clock=$clock$([ "$clock" = icount ] && echo " shift=0,sleep=off")"
	echo "append=$append"
	echo "seconds=$elapsed"
	echo "command=pmig $sub $*"
	[ -n "$coverage" ] && echo "coverage=on (coverage.raw, coverage-epochs.tsv, coverage-kallsyms.gz; nokaslr)"
} >"$out/vm.txt"
channel=$work/channel.log

# Everything the guest produced comes back first, whatever happened to it next: a
# warning on the console or a guest that died keeps the results that came before.
# A line end the guest's tty turned into "\r\n" (were it not raw) is "\n" again.
sed -i 's/\r$//' "$channel"
cp "$channel" "$out/channel.log"
sed -n 's/^T //p' "$channel" >"$out/topology.txt"
# What the machine type could not give of the topology is part of the guest's topology.
[ -n "$topo_missing" ] && sed 's/^/missing: /' <<<"$topo_missing" >>"$out/topology.txt"
sed -n 's/^F //p' "$channel" >"$out/topology.facts"
sed -n 's/^G \([a-z0-9_]*=\)/guest_\1/p' "$channel" >>"$out/vm.txt"
# Files (a block cut short by a dead guest is written as far as it came), then the
# program's own output.
awk -v dir="$out" '
	/^PMIG-FILE-END$/ { if (f) close(cmd); f = 0; next }
	/^PMIG-FILE / { name = substr($0, 11); gsub(/[^A-Za-z0-9_.\/-]/, "_", name);
		sub(/^\/+/, "", name); gsub(/\.\.+/, "_", name);
		cmd = "mkdir -p \"$(dirname \"" dir "/" name "\")\" && base64 -d > \"" dir "/" name "\" 2>/dev/null";
		f = 1; next }
	f { print | cmd }
' "$channel"
sed -n 's/^O //p; s/^O$//p' "$channel" | tee "$out/stdout"
sed -n 's/^E //p; s/^E$//p' "$channel" | tee "$out/stderr" >&2

# Where the guest was when it stopped: the last case the runner started (PMIG_PROGRESS).
where=
if ! grep -q '^PMIG-END' "$channel"; then
	last_case=$(sed -n 's/^PMIG-CASE //p' "$channel" | tail -n 1)
	if [ -z "$last_case" ]; then
		where="; the guest stopped before any case started"
	elif grep -qE "^(not )?ok [0-9]+ ${last_case//./\\.}( |\$)" "$out/stdout"; then
		where="; the guest stopped after case $last_case, the last one started"
	else
		where="; the guest stopped in case $last_case, the last one started (no result)"
	fi
fi
# The console shows warning level and worse; a call trace alone (an allocation
# failure, which a case that fills a node asks for) is no report.
oops=$(grep -m1 -E 'Kernel panic|BUG:|BUG at|WARNING:|Oops|general protection fault|UBSAN:|soft lockup|hard LOCKUP' "$out/console.log")
if [ -n "$oops" ]; then
	echo "pmig vm: guest kernel reported: $oops (console: $out/console.log)$where" >&2
	exit 1
fi
if [ "$qrc" = 124 ]; then
	echo "pmig vm: guest did not finish within $timeout s and was killed (see $out/console.log)$where" >&2
	exit 1
fi
if [ -n "$where" ]; then
	last=$(grep -v '^\s*$' "$out/console.log" | tail -1)
	echo "pmig vm: guest output truncated (QEMU exit $qrc; last console line: ${last:-none}$(head -c 200 "$work/qemu.err" | tr '\n' ' '))$where" >&2
	exit 1
fi
if grep -q '^PMIG-TOPOLOGY-MISMATCH' "$channel"; then
	echo "pmig vm: the guest's topology does not match '$topology':" \
		"$(diff "$work/expect-topology" "$out/topology.facts" | grep '^[<>]' | head -3 | tr '\n' ';')" >&2
	exit 1
fi
if [ -n "$coverage" ] && [ ! -s "$out/coverage.raw" ]; then
	echo "pmig vm: --coverage: the plugin wrote no coverage.raw (QEMU exit $qrc: $(head -c 200 "$work/qemu.err" | tr '\n' ' '))" >&2
	exit 1
fi
echo "pmig vm: $kversion on $topology ($accel, ${elapsed} s); results in $out" >&2
# What the guest set up, in one line.
guest() {
	sed -n "s/^guest_$1=//p" "$out/vm.txt" | head -n 1
}
nmod=$(guest modules | wc -w)
echo "pmig vm: guest: swap $(guest swap); scratch $(guest scratch); modules: $nmod loaded$(
	[ -n "$(guest modules_failed)" ] && echo " ($(guest modules_failed) failed)")" >&2
# The filesystems rows' filesystems (guest-init.sh extra_fs), where the guest reports them.
[ -n "$(guest fs_xfs)" ] && echo "pmig vm: guest: filesystems: $(for f in xfs btrfs nilfs2 tmpfs_always tmpfs_never; do
	printf '%s: %s; ' "$f" "$(guest "fs_$f")"
done | sed 's/; $//')" >&2
rc=$(sed -n 's/^PMIG-EXIT //p' "$channel")
# --coverage: the raw counts made coverage.json at once (the kernel's debug package is
# fetched the first time); its table on stderr, the guest's output alone on stdout.
if [ -n "$coverage" ]; then
	if "$here/coverage.sh" "$out" >"$out/coverage.txt" 2>"$work/coverage.err"; then
		echo "pmig vm: coverage: $out/coverage.json ($(grep -m1 '^mm/migrate.c ' "$out/coverage.txt" |
			awk '{print "mm/migrate.c " $3 " reached by the run'"'"'s cases"}'))" >&2
	else
		echo "pmig vm: coverage: no coverage.json: $(tail -n 1 "$work/coverage.err")" >&2
		rc=1
	fi
fi
exit "${rc:-1}"
