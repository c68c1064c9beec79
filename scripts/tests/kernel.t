#!/bin/bash
# kernel.t - scripts/vm/kernel.sh: bad specs are one stderr line and exit 2; a bzImage path gives its release; (PMIG_TEST_NET=1) a Debian kernel fetch, with its modules.
set -u
kernel_sh="$(cd "$(dirname "$0")/.." && pwd)/vm/kernel.sh"
# shellcheck source=scripts/tests/tap.sh
. "$(dirname "$0")/tap.sh"

# diag: the last run's status and output as TAP diagnostics.
diag() {
	echo "# rc=$rc stdout lines=$(wc -l <"$tmp/out") stderr lines=$(wc -l <"$tmp/err")"
	sed 's/^/# stdout: /' "$tmp/out"
	sed 's/^/# stderr: /' "$tmp/err"
}

# fake_bzimage FILE VERSION_OFFSET STRING: a 2 KiB file with the setup header's "HdrS" magic
# at 0x202 and the version pointer at 0x20E (the string sits at pointer + 0x200).
fake_bzimage() {
	local f=$1 ptr=$2 str=$3
	head -c 2048 /dev/zero >"$f"
	printf 'HdrS' | dd of="$f" bs=1 seek=$((0x202)) conv=notrunc status=none
	printf '%b' "\\0$(printf %03o $((ptr & 255)))\\0$(printf %03o $((ptr >> 8)))" |
		dd of="$f" bs=1 seek=$((0x20E)) conv=notrunc status=none
	if [ "$ptr" != 0 ]; then
		printf '%s\0' "$str" | dd of="$f" bs=1 seek=$((ptr + 0x200)) conv=notrunc status=none
	fi
}

echo "TAP version 13"
echo "1..14"

expect_error no_argument 2 "pmig vm: " "$kernel_sh"
expect_error two_arguments 2 "pmig vm: " "$kernel_sh" debian:bookworm debian:trixie
expect_error empty_spec 2 "pmig vm: " "$kernel_sh" ""
expect_error missing_path 2 "pmig vm: " "$kernel_sh" "$tmp/no-such-bzImage"
printf 'not a kernel\n' >"$tmp/not-a-kernel"
expect_error path_not_bzimage 2 "pmig vm: " "$kernel_sh" "$tmp/not-a-kernel"
expect_error unknown_suite 2 "pmig vm: " "$kernel_sh" debian:woody
expect_error empty_suite 2 "pmig vm: " "$kernel_sh" debian:
expect_error unknown_flavour 2 "pmig vm: kernel 'debian:trixie/sparc64': pmig cannot run the 'sparc64' flavour (it runs amd64, arm64" "$kernel_sh" debian:trixie/sparc64
expect_error check_unknown_flavour 2 "pmig vm: kernel 'debian:sid/armhf'" "$kernel_sh" --check debian:sid/armhf
if "$kernel_sh" --check debian:trixie/arm64-16k >"$tmp/out" 2>&1 && [ ! -s "$tmp/out" ]; then
	ok 0 check_flavour_quiet
else
	diag
	ok 1 check_flavour_quiet
fi

# A fake bzImage: the right kernel= (absolute) and version= (first word) lines.
mkdir "$tmp/k"
fake_bzimage "$tmp/k/bzImage" $((0x100)) "6.9.0-pmigtest+ (pmig@example.org) #1 SMP PREEMPT_DYNAMIC"
(cd "$tmp" && "$kernel_sh" k/bzImage) >"$tmp/out" 2>"$tmp/err"
rc=$?
want="kernel=$(cd "$tmp/k" && pwd -P)/bzImage
version=6.9.0-pmigtest+
arch=x86_64
page_size=4096"
if [ "$rc" = 0 ] && [ "$(cat "$tmp/out")" = "$want" ] && [ ! -s "$tmp/err" ]; then
	ok 0 fake_bzimage_path
else
	diag
	ok 1 fake_bzimage_path
fi

# An arm64 Image: "ARMd" at 0x38, the page size in bits 1-2 of the flags at 0x18 (2: 16K),
# the release from the banner. A 64-bit little-endian PowerPC ELF: no page size in the file.
head -c 65536 /dev/zero >"$tmp/k/Image"
printf 'ARM\x64' | dd of="$tmp/k/Image" bs=1 seek=$((0x38)) conv=notrunc status=none
printf '\x05' | dd of="$tmp/k/Image" bs=1 seek=$((0x18)) conv=notrunc status=none
printf 'Linux version 6.12.99-pmigtest (x) #1' | dd of="$tmp/k/Image" bs=1 seek=4096 conv=notrunc status=none
head -c 65536 /dev/zero >"$tmp/k/vmlinux"
printf '\x7fELF\x02\x01\x01' | dd of="$tmp/k/vmlinux" bs=1 conv=notrunc status=none
printf '\x15\x00' | dd of="$tmp/k/vmlinux" bs=1 seek=18 conv=notrunc status=none
printf 'Linux version 6.12.98-pmigtest (x) #1' | dd of="$tmp/k/vmlinux" bs=1 seek=8192 conv=notrunc status=none
if [ "$("$kernel_sh" "$tmp/k/Image" | sed -n '2,4p' | tr '\n' ' ')" = "version=6.12.99-pmigtest arch=aarch64 page_size=16384 " ] &&
	[ "$("$kernel_sh" "$tmp/k/vmlinux" | sed -n '2,4p' | tr '\n' ' ')" = "version=6.12.98-pmigtest arch=ppc64le page_size=0 " ]; then
	ok 0 arm64_image_and_ppc64le_vmlinux_paths
else
	"$kernel_sh" "$tmp/k/Image" "$tmp/k/vmlinux" >"$tmp/err" 2>&1
	diag
	ok 1 arm64_image_and_ppc64le_vmlinux_paths
fi

# The magic without a version string (pointer 0) is bad input too.
fake_bzimage "$tmp/k/noversion" 0 ""
expect_error bzimage_without_version 2 "pmig vm: " "$kernel_sh" "$tmp/k/noversion"

# A real Debian kernel, fetched (or taken from the cache) by package name.
if [ "${PMIG_TEST_NET:-0}" = 1 ]; then
	"$kernel_sh" debian:bookworm >"$tmp/out" 2>"$tmp/err"
	rc=$?
	kernel=$(sed -n 's/^kernel=//p' "$tmp/out")
	version=$(sed -n 's/^version=//p' "$tmp/out")
	modules=$(sed -n 's/^modules=//p' "$tmp/out")
	# The cached kernel's own header must agree, and a second call must give the same.
	"$kernel_sh" "$kernel" >"$tmp/out2" 2>/dev/null
	"$kernel_sh" debian:bookworm >"$tmp/out3" 2>/dev/null
	if [ "$rc" = 0 ] && [ "$(wc -l <"$tmp/out")" = 5 ] && [ -f "$kernel" ] &&
		[ -s "$modules/modules.load" ] &&
		[[ $kernel == /* ]] && [[ $version == 6.1.* ]] &&
		grep -qx "version=$version" "$tmp/out2" && cmp -s "$tmp/out" "$tmp/out3" &&
		[ -z "$(find "$(dirname "$kernel")" -name '.tmp.*' -print -quit)" ]; then
		echo "# $(tr '\n' ' ' <"$tmp/out")"
		ok 0 debian_bookworm_fetch
	else
		diag
		ok 1 debian_bookworm_fetch
	fi
else
	ok 0 "debian_bookworm_fetch # SKIP set PMIG_TEST_NET=1 to fetch a Debian kernel"
fi
exit $tap_failed
