#!/bin/sh
# guest-init.sh - /init of pmig's QEMU guest: checks the topology, runs one pmig program, sends everything back on its channel.
#
# The results channel (pmig.channel= on the kernel command line: ttyS1 on x86-64, hvc0 on
# arm64's virtio console, hvc1 on pseries; raw) carries prefixed lines the host parses:
#   PMIG-BEGIN <release>   T <pmig topo line>   F <topology fact>
#   G <key>=<value>        what the guest set up: modules, modules_failed, swap, scratch,
#                          fs_xfs, fs_btrfs, fs_nilfs2, fs_tmpfs_always, fs_tmpfs_never, setup_s
#   O <stdout line>        E <stderr line>
#   PMIG-CASE <id>         a case starts (the runner writes it itself: PMIG_PROGRESS)
#   PMIG-FILE <name> / base64 lines / PMIG-FILE-END
#   PMIG-EXIT <status>     PMIG-END   (the sentinel: its absence means a truncated run)
/bin/busybox mkdir -p /proc /sys /dev /tmp /results /usr/bin
/bin/busybox --install -s /bin
export PATH=/pmig/bin:/usr/bin:/bin HOME=/ LC_ALL=C
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t tmpfs tmpfs /tmp
# debugfs: hwpoison_inject's unpoison-pfn (the soft_offline cases give back what they poison).
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
# A name of its own (run.sh: pmig-vm-TOPOLOGY-ARCH) before any program runs: the
# exports carry it (the kernel's default is "(none)").
[ -s /pmig/hostname ] && cat /pmig/hostname >/proc/sys/kernel/hostname

channel=ttyS1
for w in $(cat /proc/cmdline); do
	case "$w" in
	pmig.channel=*) channel=${w#pmig.channel=} ;;
	esac
done
# Open first, then raw: an hvc tty gets its default termios (ONLCR: "\r\n") back
# whenever its last opener closes it, so the setting holds only while fd 3 keeps it open.
exec 3>"/dev/$channel"
stty -F "/dev/$channel" raw -echo 2>/dev/null

finish() {
	echo "PMIG-END" >&3
	# Closing the tty waits until its output has drained.
	exec 3>&-
	poweroff -f
}

send() {
	sed "s/^/$1 /" >&3
}

echo "PMIG-BEGIN $(uname -r)" >&3
if grep -q 'pmig.probe=1' /proc/cmdline; then
	finish
fi

# load_scratch [NAME DEV]: the filesystem's non-zero blocks (/pmig/NAME.map and .data;
# default scratch) onto the zeroed ramdisk DEV (default /dev/ram0).
load_scratch() {
	pos=0
	while read -r off n; do
		dd if="/pmig/${1:-scratch}.data" of="${2:-/dev/ram0}" bs=4096 skip="$pos" seek="$off" count="$n" \
			2>/dev/null || return 1
		pos=$((pos + n))
	done <"/pmig/${1:-scratch}.map"
}

# The filesystems rows' filesystems (conformance/spec/filesystems.def), each at
# /scratch-NAME and given to the program as PMIG_SCRATCH_NAME: xfs, btrfs and nilfs2 on
# brd ramdisks 1-3 from the host's images, and two tmpfs, huge=always and huge=never.
# One "fs_NAME=" line each: the mount, or none and why.
extra_fs() {
	i=0
	for name in xfs btrfs nilfs2; do
		i=$((i + 1))
		eval "mb=\${fs_$name:-}"
		dir=/scratch-$name
		if [ -z "$mb" ] || [ "$mb" = 0 ]; then
			r="none (no $name image from the host: its mkfs missing there)"
		elif [ ! -e "/sys/block/ram$i/size" ]; then
			r="none (no brd ramdisk ram$i)"
		elif ! grep -q "[[:space:]]$name\$" /proc/filesystems; then
			r="none (no $name in this kernel)"
		elif ! load_scratch "$name" "/dev/ram$i"; then
			r="none (writing the filesystem to /dev/ram$i failed)"
		elif ! mkdir -p "$dir" || ! mount -t "$name" "/dev/ram$i" "$dir" 2>/dev/null; then
			r="none (mounting $name from /dev/ram$i failed)"
		else
			chmod 1777 "$dir"
			echo "export PMIG_SCRATCH_$(echo "$name" | tr "[:lower:]" "[:upper:]")=$dir" >>/tmp/setup.env
			r="$dir $name ${mb}M"
		fi
		echo "fs_$name=$r"
	done
	for huge in always never; do
		dir=/scratch-tmpfs-$huge
		if ! mkdir -p "$dir" || ! mount -t tmpfs -o "huge=$huge,size=64M" tmpfs "$dir" 2>/dev/null; then
			r="none (mounting tmpfs with huge=$huge failed)"
		else
			chmod 1777 "$dir"
			echo "export PMIG_SCRATCH_TMPFS_$(echo "$huge" | tr "[:lower:]" "[:upper:]")=$dir" >>/tmp/setup.env
			r="$dir tmpfs huge=$huge 64M"
		fi
		echo "fs_tmpfs_$huge=$r"
	done
}

# Facilities from modules (a missing one is reported, never fatal: cases needing it skip):
# swap on zram, and an ext4 filesystem on a brd ramdisk at /scratch (PMIG_SCRATCH_DIR).
# Sizes, the swap header and the filesystem come from the host (initramfs.sh): busybox's
# mkswap waits for the kernel's random pool (a second under TCG) and its mke2fs makes ext2.
# It runs while the topology is checked (both are slow under TCG; neither changes what the
# other looks at) and writes its G lines to /tmp/setup.out, PMIG_SCRATCH_DIR to /tmp/setup.env.
setup() {
	t0=$(cut -d ' ' -f 1 /proc/uptime)
	swap_mb='' scratch_mb=''
	# The base page size: that of the first mapping (awk's own text).
	page=$(awk '/^KernelPageSize:/ { print $2 * 1024; exit }' /proc/self/smaps 2>/dev/null)
	echo "page_size=${page:-unknown}"
	# shellcheck disable=SC1091 # written by initramfs.sh
	[ -f /pmig/setup.conf ] && . /pmig/setup.conf
	loaded='' failed=''
	# The filesystems rows' filesystems (extra_fs) only where their cases can run: a guest
	# of pmig conform. Others skip their modules (modules.sh's modules.fs: xfs and btrfs
	# are the largest, and btrfs's raid6_pq and xor time their routines at load), and boot
	# as before them.
	fsrows=''
	[ -x /pmig/bin/pmig-conform ] && fsrows=1
	if [ -f /lib/modules/modules.load ]; then
		while read -r f; do
			[ -z "$fsrows" ] && grep -qx "$f" /lib/modules/modules.fs 2>/dev/null && continue
			args=
			# ram0 the scratch ext4, ram1-3 extra_fs()'s: the largest size for all
			# (a ramdisk holds only the pages written to it).
			[ "$f" = brd.ko ] && args="rd_nr=4 rd_size=$((${scratch_mb:-0} * 1024)) max_part=0"
			# shellcheck disable=SC2086 # args are words
			if insmod "/lib/modules/$f" $args 2>/dev/null; then
				loaded="$loaded ${f%.ko}"
			else
				failed="$failed ${f%.ko}"
			fi
		done </lib/modules/modules.load
	fi
	echo "modules=${loaded# }"
	echo "modules_failed=${failed# }"

	if [ -z "$swap_mb" ] || [ ! -f "/pmig/swap.page.$page" ]; then
		swap="none (no swap header from the host for ${page:-an unknown} byte pages)"
	elif [ ! -e /sys/block/zram0/disksize ]; then
		swap="none (no zram device)"
	elif ! echo "${swap_mb}M" >/sys/block/zram0/disksize 2>/dev/null; then
		swap="none (zram0 refused disksize ${swap_mb}M)"
	elif ! dd if="/pmig/swap.page.$page" of=/dev/zram0 bs="$page" count=1 2>/dev/null ||
		! swapon /dev/zram0 2>/dev/null; then
		swap="none (swapon /dev/zram0 failed)"
	else
		swap="/dev/zram0 ${swap_mb}M"
	fi
	echo "swap=$swap"

	if [ -z "$scratch_mb" ] || [ ! -f /pmig/scratch.map ]; then
		scratch="none (no filesystem image from the host: mkfs.ext4 missing there)"
	elif [ ! -e /sys/block/ram0/size ]; then
		scratch="none (no brd ramdisk)"
	elif [ "$(cat /sys/block/ram0/size)" -lt $((scratch_mb * 2048)) ]; then
		scratch="none (/dev/ram0 is smaller than ${scratch_mb}M)"
	elif ! grep -q 'ext4$' /proc/filesystems; then
		scratch="none (no ext4 in this kernel)"
	elif ! load_scratch; then
		scratch="none (writing the filesystem to /dev/ram0 failed)"
	elif ! mkdir -p /scratch || ! mount -t ext4 -o noinit_itable /dev/ram0 /scratch 2>/dev/null; then
		scratch="none (mounting ext4 from /dev/ram0 failed)"
	else
		chmod 1777 /scratch
		echo "export PMIG_SCRATCH_DIR=/scratch" >/tmp/setup.env
		scratch="/scratch ext4 ${scratch_mb}M"
	fi
	echo "scratch=$scratch"
	if [ -n "$fsrows" ]; then
		extra_fs
	else
		for f in xfs btrfs nilfs2 tmpfs_always tmpfs_never; do
			echo "fs_$f=none (set up for pmig conform only)"
		done
	fi
	echo "setup_s=$(awk -v t0="$t0" '{ printf "%.2f", $1 - t0 }' /proc/uptime)"
}
setup >/tmp/setup.out 2>/dev/null &
setup_pid=$!

# CPUs left offline at boot (maxcpus=1 under --clock icount) come up now,
# before the topology is checked.
for c in /sys/devices/system/cpu/cpu[0-9]*; do
	[ "$(cat "$c/online" 2>/dev/null)" = 0 ] && echo 1 >"$c/online"
done
pmig-topo 2>&1 | send T
pmig-topo --facts 2>&1 | sort >/tmp/facts
send F </tmp/facts
if ! cmp -s /tmp/facts /pmig/expect-topology; then
	echo "PMIG-TOPOLOGY-MISMATCH" >&3
	finish
fi

wait "$setup_pid"
send G </tmp/setup.out
# shellcheck disable=SC1091 # written by setup
[ -f /tmp/setup.env ] && . /tmp/setup.env

set --
while IFS= read -r arg; do
	set -- "$@" "$arg"
done </pmig/argv
wrap=$(cat /pmig/wrap)
# How QEMU runs this guest (tcg, kvm) and its CPU model, from the host's kernel command line; in LAVA
# mode (pmig.lava=1, a job pmig lava-job wrote) LAVA reads the verdicts on the console.
lava=
for w in $(cat /proc/cmdline); do
	case "$w" in
	pmig.emulation=*) export PMIG_EMULATION="${w#pmig.emulation=}" ;;
	pmig.cpu=*) export PMIG_CPU_MODEL="${w#pmig.cpu=}" ;;
	# pmig vm --coverage: the programs mark their cases (harness/covmark.h) and
	# name them in this file, which comes back with the results.
	pmig.coverage=1) export PMIG_COVERAGE=/results/coverage-epochs.tsv ;;
	pmig.lava=1) lava=1 ;;
	esac
done

# pmig vm --coverage: the running kernel's symbols, modules' included, at the
# addresses the plugin counts (nokaslr), for the host to name the code it counted.
[ -n "${PMIG_COVERAGE:-}" ] && gzip -c /proc/kallsyms >/results/coverage-kallsyms.gz 2>/dev/null

# The conformance runner names each case here as it starts: if the guest dies in
# one, the host still learns which.
export PMIG_PROGRESS=/dev/$channel
cd /results || finish
echo 1 >/tmp/rc
# stdout and stderr stay apart: O and E lines.
{ { eval "$wrap \"\$@\"" 2>&1 1>&4; echo $? >/tmp/rc; } | send E; } 4>&1 | tee /tmp/stdout | send O

# LAVA mode: one "PMIG-LAVA-CASE ID RESULT [NS ns]" line per result, as
# /pmig/verdicts.awk (lava/verdicts.awk) gives it, between start and end markers, for
# the job's monitor.
if [ -n "$lava" ]; then
	{
		echo "PMIG-LAVA-START"
		awk -f /pmig/verdicts.awk /tmp/stdout |
			sed -e 's/^/PMIG-LAVA-CASE /' -e 's/ pass \([0-9][0-9]*\)$/ pass \1 ns/'
		echo "PMIG-LAVA-END exit $(cat /tmp/rc)"
	} >/dev/console
fi

find /results -type f | while IFS= read -r f; do
	echo "PMIG-FILE ${f#/results/}" >&3
	base64 "$f" >&3
	echo "PMIG-FILE-END" >&3
done
echo "PMIG-EXIT $(cat /tmp/rc)" >&3
finish
