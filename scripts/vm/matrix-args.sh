# matrix-args.sh - the checks pmig matrix and pmig matrix --bench both make before the first boot. Sourced; the caller defines die().

# check_kernels K...: each a Debian suite (and flavour) pmig knows or a kernel image it can boot.
check_kernels() {
	local k msg
	for k in "$@"; do
		msg=$("$here/kernel.sh" --check "$k" 2>&1) || die "${msg#pmig vm: }"
	done
}

# check_timeout S: a whole number of seconds.
check_timeout() {
	case "$1" in '' | *[!0-9]*) die "--timeout '$1' is not a number of seconds" ;; esac
}
