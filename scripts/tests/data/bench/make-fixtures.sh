#!/bin/bash
# make-fixtures.sh - writes the benchmark JSON fixtures of compare.t, report.t and export.t (fake numbers, the shape pmig bench writes); run it after changing the shapes.
# pmig-a.json and pmig-b.json: two runs of the same build with pmig's extras (raw
# per-call samples); gbench-a.json and gbench-b.json: plain Google Benchmark JSON
# (10 repetitions each, then the mean/median/stddev/cv aggregates it appends).
set -eu
cd "$(dirname "$0")"

# awk with its own generator (Park-Miller), so every awk writes the same bytes.
gen() {
	awk -v seed="$1" -v shape="$2" '
	function rnd() { x = (x * 16807) % 2147483647; return x / 2147483647 }
	function noise() { return 0.96 + 0.08 * rnd() }
	BEGIN { x = seed; n = 0; split("", out) }
	# One benchmark: strategy kind batch from to GB/s (0 = unavailable).
	# One benchmark: strategy workload batch (0: none, -1: all) from to GB/s (0 = unavailable).
	function bench(strategy, kind, batch, from, to, gbps, why,    name, reps, r, c, page, pages, bytes, calls, t, callv, iterv, it, sum, rt, size, e, s, v, nb) {
		page = kind == "thp" ? 2097152 : 4096
		nb = batch > 0 ? batch : kind == "thp" ? 1 : 64
		pages = nb * 8
		bytes = pages * page
		calls = batch != 0 ? pages / (batch > 0 ? batch : pages) : 1
		size = bytes >= 1048576 ? (bytes / 1048576) "M" : (bytes / 1024) "K"
		name = strategy "/" kind "/" size "/" from "to" to (batch > 0 ? "/batch:" batch : batch < 0 ? "/batch:all" : "") "/iterations:3/manual_time"
		reps = shape == "plain" ? 10 : 2
		for (r = 0; r < reps; r++) {
			e = "    {\n      \"name\": \"" name "\",\n      \"family_index\": " fam ",\n      \"per_family_instance_index\": 0,\n      \"run_name\": \"" name "\",\n      \"run_type\": \"iteration\",\n      \"repetitions\": " reps ",\n      \"repetition_index\": " r ",\n      \"threads\": 1,\n"
			if (gbps == 0) {
				e = e "      \"error_occurred\": true,\n      \"error_message\": \"unavailable: " why "\",\n      \"iterations\": 0,\n      \"real_time\": 0,\n      \"cpu_time\": 0,\n      \"time_unit\": \"ns\""
				if (shape == "pmig") {
					e = e ",\n      \"label\": \"pmig-run:" (++runid) "\",\n      \"pmig\": {\"status\": \"unavailable\", \"message\": \"" why "\", \"strategy\": \"" strategy "\", \"workload\": \"" kind "\", \"from\": " from ", \"to\": " to "}"
					unavailable++
				}
				out[++n] = e "\n    }"
				continue
			}
			callv = ""; iterv = ""; sum = 0
			for (it = 0; it < 3; it++) {
				t = 0
				for (c = 0; c < calls; c++) {
					# ns for one call: its bytes at gbps GB/s, with noise.
					v = int((bytes / calls) / gbps * noise())
					callv = callv (callv == "" ? "" : ", ") v
					t += v
				}
				iterv = iterv (iterv == "" ? "" : ", ") t
				sum += t
			}
			rt = sum / 3
			e = e "      \"iterations\": 3,\n      \"real_time\": " sprintf("%.1f", rt) ",\n      \"cpu_time\": " sprintf("%.1f", rt * 0.9) ",\n      \"time_unit\": \"ns\",\n      \"bytes_per_second\": " sprintf("%.6e", bytes / rt * 1e9) ",\n      \"pages_per_second\": " sprintf("%.6e", pages / rt * 1e9) ",\n      \"calls\": " calls ",\n      \"verified\": 1"
			if (shape == "pmig") {
				e = e ",\n      \"label\": \"pmig-run:" (++runid) "\",\n      \"pmig\": {\"status\": \"verified\", \"strategy\": \"" strategy "\", \"workload\": \"" kind "\", \"bytes\": " bytes ", \"from\": " from ", \"to\": " to ", \"batch\": " (batch > 0 ? batch : 0) ", \"threads\": 1, \"page_size\": " page ", \"pages\": " pages ", \"iterations\": 3, \"gbps\": " sprintf("%.6g", bytes / rt) ", \"iteration_ns\": [" iterv "], \"call_ns\": [" callv "], \"calls_dropped\": 0}"
				verified++
			}
			out[++n] = e "\n    }"
			rts[r] = rt
		}
		if (shape == "plain" && gbps > 0) {
			s = 0; for (r = 0; r < reps; r++) s += rts[r]
			out[++n] = "    {\n      \"name\": \"" name "_mean\",\n      \"run_name\": \"" name "\",\n      \"run_type\": \"aggregate\",\n      \"aggregate_name\": \"mean\",\n      \"repetitions\": " reps ",\n      \"threads\": 1,\n      \"iterations\": " reps ",\n      \"real_time\": " sprintf("%.1f", s / reps) ",\n      \"cpu_time\": " sprintf("%.1f", s / reps * 0.9) ",\n      \"time_unit\": \"ns\"\n    }"
		}
		fam++
	}
	END {
		fam = 0; runid = 0
		# Direct strategies at 0 -> 1 on every kind; batches for move_pages.
		split("1 16 128", batches, " ")
		for (i = 1; i <= 3; i++)
			bench("move_pages", "anon", batches[i], 0, 1, 2.2 * batches[i] / (batches[i] + 12))
		bench("move_pages", "anon", -1, 0, 1, 2.25)
		bench("move_pages", "anon", -1, 1, 0, 2.1)
		bench("move_pages", "anon", -1, 0, 2, 1.3)
		bench("move_pages", "anon", -1, 1, 2, 1.25)
		bench("move_pages", "thp", -1, 0, 1, 5.5)
		bench("move_pages", "shmem", -1, 0, 1, 1.8)
		bench("move_pages", "hugetlb", -1, 0, 1, 0, "no free hugetlb pages")
		bench("migrate_pages", "anon", 0, 0, 1, 2.4)
		bench("migrate_pages", "thp", 0, 0, 1, 6.1)
		bench("migrate_pages", "shmem", 0, 0, 1, 1.9)
		bench("mbind_move", "anon", 0, 0, 1, 2.3)
		bench("mbind_move", "thp", 0, 0, 1, 5.8)
		bench("mbind_move", "shmem", 0, 0, 1, 1.7)
		bench("swap", "anon", 0, 0, 1, 0.35)
		bench("swap", "thp", 0, 0, 1, 0, "swap-in of THP splits: not measured")
		bench("reference", "anon", 0, 0, 1, 1.6)
		bench("reference", "thp", 0, 0, 1, 3.9)
		bench("memcpy", "anon", 0, 0, 1, 9.5)
		for (i = 1; i <= n; i++)
			printf "%s%s\n", out[i], i < n ? "," : ""
		if (shape == "pmig")
			printf "  ],\n  \"pmig\": {\"schema\": 1, \"verified\": %d, \"failed\": 0, \"unavailable\": %d}\n", verified, unavailable
		else
			printf "  ]\n"
	}'
}

write() { # FILE SEED SHAPE
	{
		cat <<-EOF
			{
			  "context": {
			    "date": "2026-11-22T12:00:00+00:00",
			    "host_name": "fixture",
			    "executable": "pmig-bench",
			    "num_cpus": 2,
			    "mhz_per_cpu": 2000,
			    "cpu_scaling_enabled": false,
			    "caches": [],
			    "load_avg": [0.1, 0.1, 0.1],
			    "library_build_type": "release",
			    "pmig_kernel": "6.1.0-50-amd64",
			    "pmig_emulation": "bare metal"
			  },
			  "benchmarks": [
		EOF
		gen "$2" "$3"
		echo "}"
	} >"$1"
}

write pmig-a.json 12345 pmig
write pmig-b.json 67890 pmig
write gbench-a.json 13579 plain
write gbench-b.json 24680 plain
