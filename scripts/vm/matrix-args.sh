# matrix-args.sh - the checks pmig matrix and pmig matrix --bench both make before the first boot. Sourced; the caller defines die().

# check_kernels K...: each a Debian suite pmig knows or a kernel image file.
check_kernels() {
	local k
	for k in "$@"; do
		case "$k" in
		debian:bookworm | debian:trixie | debian:sid | debian:experimental) ;;
		debian:*) die "unknown Debian suite in '$k' (bookworm, trixie, sid, experimental)" ;;
		*) [ -f "$k" ] || die "no kernel image '$k'" ;;
		esac
	done
}

# check_timeout S: a whole number of seconds.
check_timeout() {
	case "$1" in '' | *[!0-9]*) die "--timeout '$1' is not a number of seconds" ;; esac
}
