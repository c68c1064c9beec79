#!/bin/sh
# guest-init.sh - /init of pmig's QEMU guest: checks the topology, runs one pmig program, sends everything back on ttyS1.
#
# The results channel (ttyS1, raw) carries prefixed lines the host parses:
#   PMIG-BEGIN <release>   T <pmig topo line>   F <topology fact>
#   O <stdout line>        E <stderr line>
#   PMIG-FILE <name> / base64 lines / PMIG-FILE-END
#   PMIG-EXIT <status>     PMIG-END   (the sentinel: its absence means a truncated run)
/bin/busybox mkdir -p /proc /sys /dev /tmp /results /usr/bin
/bin/busybox --install -s /bin
export PATH=/pmig/bin:/usr/bin:/bin HOME=/ LC_ALL=C
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t tmpfs tmpfs /tmp

stty -F /dev/ttyS1 raw -echo 2>/dev/null
exec 3>/dev/ttyS1

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

pmig-topo 2>&1 | send T
pmig-topo --facts 2>&1 | sort >/tmp/facts
send F </tmp/facts
if ! cmp -s /tmp/facts /pmig/expect-topology; then
	echo "PMIG-TOPOLOGY-MISMATCH" >&3
	finish
fi

set --
while IFS= read -r arg; do
	set -- "$@" "$arg"
done </pmig/argv
wrap=$(cat /pmig/wrap)

cd /results || finish
echo 1 >/tmp/rc
# stdout and stderr stay apart: O and E lines.
{ { eval "$wrap \"\$@\"" 2>&1 1>&4; echo $? >/tmp/rc; } | send E; } 4>&1 | send O

find /results -type f | while IFS= read -r f; do
	echo "PMIG-FILE ${f#/results/}" >&3
	base64 "$f" >&3
	echo "PMIG-FILE-END" >&3
done
echo "PMIG-EXIT $(cat /tmp/rc)" >&3
finish
