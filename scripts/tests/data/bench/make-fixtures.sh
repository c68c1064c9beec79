#!/bin/bash
# make-fixtures.sh - writes the benchmark JSON fixtures of compare.t, report.t and export.t (fake numbers, real shapes); run it after changing the shapes.
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
	function bench(strategy, kind, batch, from, to, gbps, why,    name, reps, r, i, c, page, pages, bytes, calls, t, sep, callv, iterv, it, sum, rt) {
		page = kind == "thp" ? 2097152 : 4096
		pages = (batch > 0 ? batch : 64) * 8
		bytes = pages * page
		calls = batch > 0 ? 8 : 1
		name = strategy "/" kind (batch > 0 ? "/batch:" batch : "") "/from:" from "/to:" to "/iterations:3/manual_time"
		reps = shape == "plain" ? 10 : 2
		for (r = 0; r < reps; r++) {
			e = "    {\n      \"name\": \"" name "\",\n      \"family_index\": " fam ",\n      \"per_family_instance_index\": 0,\n      \"run_name\": \"" name "\",\n      \"run_type\": \"iteration\",\n      \"repetitions\": " reps ",\n      \"repetition_index\": " r ",\n      \"threads\": 1,\n"
			if (gbps == 0) {
				e = e "      \"error_occurred\": true,\n      \"error_message\": \"unavailable: " why "\",\n      \"iterations\": 0,\n      \"real_time\": 0,\n      \"cpu_time\": 0,\n      \"time_unit\": \"ns\""
				if (shape == "pmig")
					e = e ",\n      \"label\": \"pmig-run:" (++runid) "\",\n      \"pmig\": {\"status\": \"unavailable\", \"message\": \"" why "\", \"strategy\": \"" strategy "\", \"kind\": \"" kind "\", \"from\": " from ", \"to\": " to "}"
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
			if (shape == "pmig")
				e = e ",\n      \"label\": \"pmig-run:" (++runid) "\",\n      \"pmig\": {\"status\": \"verified\", \"strategy\": \"" strategy "\", \"kind\": \"" kind "\"" (batch > 0 ? ", \"batch\": " batch : "") ", \"from\": " from ", \"to\": " to ", \"page_size\": " page ", \"pages\": " pages ", \"bytes\": " bytes ", \"call_ns\": [" callv "], \"iter_ns\": [" iterv "], \"calls_dropped\": 0}"
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
		split("1 16 256 4096", batches, " ")
		for (i = 1; i <= 4; i++)
			bench("move_pages", "anon4k", batches[i], 0, 1, 2.2 * batches[i] / (batches[i] + 12))
		bench("move_pages", "anon4k", 256, 1, 0, 2.1)
		bench("move_pages", "anon4k", 256, 0, 2, 1.3)
		bench("move_pages", "anon4k", 256, 1, 2, 1.25)
		bench("move_pages", "thp", 256, 0, 1, 5.5)
		bench("move_pages", "shmem", 256, 0, 1, 1.8)
		bench("move_pages", "hugetlb", 256, 0, 1, 0, "no free hugetlb pages")
		bench("migrate_pages", "anon4k", 0, 0, 1, 2.4)
		bench("migrate_pages", "thp", 0, 0, 1, 6.1)
		bench("migrate_pages", "shmem", 0, 0, 1, 1.9)
		bench("mbind_move", "anon4k", 0, 0, 1, 2.3)
		bench("mbind_move", "thp", 0, 0, 1, 5.8)
		bench("mbind_move", "shmem", 0, 0, 1, 1.7)
		bench("swap", "anon4k", 0, 0, 1, 0.35)
		bench("swap", "thp", 0, 0, 1, 0, "swap-in of THP splits: not measured")
		bench("reference", "anon4k", 0, 0, 1, 1.6)
		bench("reference", "thp", 0, 0, 1, 3.9)
		bench("memcpy", "anon4k", 0, 0, 1, 9.5)
		bench("memcpy", "thp", 0, 0, 1, 11.0)
		for (i = 1; i <= n; i++)
			printf "%s%s\n", out[i], i < n ? "," : ""
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
			    "kernel": "6.1.0-50-amd64"
			  },
			  "benchmarks": [
		EOF
		gen "$2" "$3"
		echo "  ]"
		echo "}"
	} >"$1"
}

write pmig-a.json 12345 pmig
write pmig-b.json 67890 pmig
write gbench-a.json 13579 plain
write gbench-b.json 24680 plain
