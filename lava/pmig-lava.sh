#!/bin/sh
# pmig-lava.sh - what lava/pmig-conform.yaml runs on a LAVA device: fetches the pmig bundle if asked, runs pmig conform (and pmig bench --quick), and reports each TAP case with lava-test-case and each benchmark with its measurement.
# Usage: pmig-lava.sh BUNDLE_URL FILTER BENCH   (empty BUNDLE_URL: pmig is on PATH)
# Verdicts and measurements as verdicts.awk says (the TAP is kept as pmig-conform.tap).
set -u
verdicts=$(cd "$(dirname "$0")" && pwd)/verdicts.awk
bundle_url=${1:-}
filter=${2:-}
bench=${3:-false}
work=${PMIG_LAVA_DIR:-$(pwd)/pmig-lava}
mkdir -p "$work" || exit 1

# pmig's programs: from the bundle, each started by its sh starter (no bash needed on
# the device), else the pmig command on PATH.
conform="pmig conform"
benchmark="pmig bench"
if [ -n "$bundle_url" ]; then
	if command -v curl >/dev/null; then
		curl -fsSL -o "$work/bundle.tar.gz" "$bundle_url"
	else
		wget -q -O "$work/bundle.tar.gz" "$bundle_url"
	fi || { echo "pmig-lava: cannot fetch $bundle_url" >&2; exit 1; }
	tar -xzf "$work/bundle.tar.gz" -C "$work" || exit 1
	conform=$work/pmig/libexec/pmig/pmig-conform
	benchmark=$work/pmig/libexec/pmig/pmig-bench
fi
# Outside LAVA (a dry run), the calls are printed instead.
result() {
	if command -v lava-test-case >/dev/null; then
		lava-test-case "$@"
	else
		echo "lava-test-case $*"
	fi
}

# One lava-test-case call per result line of pmig's output @1 (a measurement in ns
# where verdicts.awk gives one).
report() {
	awk -f "$verdicts" "$1" | while read -r id verdict ns; do
		if [ -n "$ns" ]; then
			result "$id" --result "$verdict" --measurement "$ns" --units ns
		else
			result "$id" --result "$verdict"
		fi
	done
}

# shellcheck disable=SC2086 # $conform is a command and its first word
(cd "$work" && $conform ${filter:+--filter "$filter"} --junit pmig-conform.junit.xml \
	--kcidb pmig-conform.kcidb.json) >"$work/pmig-conform.tap"
rc=$?
report "$work/pmig-conform.tap"
result pmig-conform-run --result "$([ "$rc" = 0 ] || [ "$rc" = 4 ] && echo pass || echo fail)"

if [ "$bench" = true ]; then
	# shellcheck disable=SC2086 # as above
	(cd "$work" && $benchmark --quick --out bench.json) >"$work/pmig-bench.txt"
	brc=$?
	report "$work/pmig-bench.txt"
	result pmig-bench-run --result "$([ "$brc" = 0 ] && echo pass || echo fail)"
fi
exit 0
