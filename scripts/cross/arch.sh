#!/bin/bash
# arch.sh - the guest architectures pmig cross-builds for: a name (canonical or alias) to its Debian architecture and GNU triplet; sourced, or run to print them.
#
# Canonical names are Debian's (arm64, ppc64el): they name the build directory
# (build-arm64/), the packages fetched and deps.sh's targets. The kernel's names
# (aarch64, ppc64le), which kernel.sh prints as arch=, are accepted as aliases.
# Run as `arch.sh NAME`: prints "DEBARCH TRIPLET", or one line on stderr and exit 2.

# cross_arch NAME: sets cross_deb and cross_triplet; returns 1 for a name it does not know.
cross_arch() {
	case "$1" in
	arm64 | aarch64) cross_deb=arm64 cross_triplet=aarch64-linux-gnu ;;
	ppc64el | ppc64le) cross_deb=ppc64el cross_triplet=powerpc64le-linux-gnu ;;
	*) return 1 ;;
	esac
}

cross_arch_names="arm64 or ppc64el (aliases aarch64, ppc64le)"

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	if [ $# != 1 ] || ! cross_arch "$1"; then
		echo "pmig: cross architecture '${1:-}': use $cross_arch_names; a plain make builds this machine's" >&2
		exit 2
	fi
	echo "$cross_deb $cross_triplet"
fi
