#!/bin/sh
# make-large.sh - writes a pmig benchmark JSON of BENCHES benchmarks with SAMPLES call_ns each, for the memory bound of pmig compare (2000 x 10000 is about 176 MB).
# usage: make-large.sh BENCHES SAMPLES [SEED] >FILE.json
set -eu
awk -v nb="$1" -v ns="$2" -v seed="${3:-1}" 'BEGIN {
	srand(seed)
	printf "{\"context\": {\"date\": \"2026-11-22T12:00:00+00:00\", \"host_name\": \"large\", \"pmig_emulation\": \"bare metal\"},\n \"benchmarks\": [\n"
	for (b = 0; b < nb; b++) {
		name = sprintf("move_pages/anon/%dK/0to1/batch:16/iterations:1/manual_time", 4 * (b + 1))
		printf "%s{\"name\": \"%s\", \"run_name\": \"%s\", \"run_type\": \"iteration\", \"repetitions\": 1, \"repetition_index\": 0, \"iterations\": 1, \"real_time\": %d, \"cpu_time\": %d, \"time_unit\": \"ns\", \"bytes_per_second\": %d,\n  \"pmig\": {\"status\": \"verified\", \"strategy\": \"move_pages\", \"workload\": \"anon\", \"from\": 0, \"to\": 1, \"batch\": 16, \"calls_dropped\": 0, \"iteration_ns\": [%d], \"call_ns\": [", b ? ",\n" : "", name, name, 1000000 + b, 1000000 + b, 1000000000 + b, 1000000 + b
		for (i = 0; i < ns; i++)
			printf "%s%d", i ? ", " : "", 1000000 + int(rand() * 99999)
		printf "]}}"
	}
	printf "\n]}\n"
}'
