/* json_out.h - writes the benchmark JSON: Google Benchmark's output plus pmig's per-run object with the raw samples. */
#ifndef PMIG_BENCH_JSON_OUT_H
#define PMIG_BENCH_JSON_OUT_H

#include <stddef.h>

#include <json-c/json.h>

#include "shim.h"

struct pmig_report_summary {
	size_t verified, failed, unavailable; /* runs */
};

/**
 * Reads Google Benchmark's JSON output at @gb_path, adds to each iteration
 * entry whose label names a run (PMIG_RUN_LABEL) a "pmig" object (see
 * bench/README.md), and a top-level "pmig" object (run counts and
 * @topology_xml, the hwloc export, may be NULL), and writes the result
 * to @out_path through a temporary file and rename(2): whole or not at all.
 * Returns 0 or -errno: -ENOENT without @gb_path, -EINVAL when it is not
 * Google Benchmark JSON. @sum gets the run counts.
 */
int pmig_report_write(const char *gb_path, const char *out_path,
		      const char *topology_xml,
		      struct pmig_report_summary *sum);

/** The run's throughput in GB/s (10^9 bytes) over its manual time; -1 unless verified. */
double pmig_report_gbps(const struct pmig_bench_run *r);
/** The copy bound for @r: mean GB/s of the single-threaded memcpy runs of its node pair, at the size closest to its own; -1 if none. */
double pmig_report_copy_bound(const struct pmig_bench_run *r,
			      const struct pmig_bench_run *runs, size_t n);
/** The "pmig" object of run @r (a new reference). */
json_object *pmig_report_run_object(const struct pmig_bench_run *r,
				    const struct pmig_bench_run *runs,
				    size_t n);

#endif
