#!/bin/sh
# pmig-lava.sh - what lava/pmig-conform.yaml runs on a LAVA device: fetches the pmig bundle if asked, runs pmig conform (and pmig bench --quick), and reports each TAP case with lava-test-case and each benchmark with its measurement.
# Usage: pmig-lava.sh BUNDLE_URL FILTER BENCH   (empty BUNDLE_URL: pmig is on PATH)
# Verdicts: ok -> pass, ok # SKIP -> skip, ok # XFAIL -> pass (a known kernel bug; the
# reason is in the TAP, kept as pmig-conform.tap), ok # XPASS and not ok -> fail.
set -u
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

# TAP on stdout: one lava-test-case call per result line.
report_tap() {
	awk '/^(not )?ok [0-9]+ / {
		id = ($1 == "not") ? $4 : $3
		r = ($1 == "not") ? "fail" : "pass"
		if ($0 ~ /# SKIP/) r = "skip"
		else if ($0 ~ /# XPASS/) r = "fail"
		print id, r
	}' "$1" | while read -r id result; do
		result "$id" --result "$result"
	done
}

# shellcheck disable=SC2086 # $conform is a command and its first word
(cd "$work" && $conform ${filter:+--filter "$filter"} --junit pmig-conform.junit.xml \
	--kcidb pmig-conform.kcidb.json) >"$work/pmig-conform.tap"
rc=$?
report_tap "$work/pmig-conform.tap"
result pmig-conform-run --result "$([ "$rc" = 0 ] || [ "$rc" = 4 ] && echo pass || echo fail)"

if [ "$bench" = true ]; then
	# Google Benchmark's console table: NAME TIME UNIT ...; the time per iteration in ns.
	# shellcheck disable=SC2086 # as above
	(cd "$work" && $benchmark --quick --out bench.json) >"$work/pmig-bench.txt"
	brc=$?
	awk '$2 ~ /^[0-9.]+$/ && $3 ~ /^(ns|us|ms|s)$/ {
		v = $2; if ($3 == "us") v *= 1e3; else if ($3 == "ms") v *= 1e6; else if ($3 == "s") v *= 1e9
		name = $1; sub(/\/manual_time$/, "", name)
		printf "%s %.0f\n", name, v
	}' "$work/pmig-bench.txt" | while read -r name ns; do
		result "$name" --result pass --measurement "$ns" --units ns
	done
	result pmig-bench-run --result "$([ "$brc" = 0 ] && echo pass || echo fail)"
fi
exit 0
