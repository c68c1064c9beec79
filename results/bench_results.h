/* bench_results.h - a benchmark's summary (throughput, latency percentiles) and benchmark JSON as the result model, for KCIDB and JUnit. */
#ifndef PMIG_BENCH_RESULTS_H
#define PMIG_BENCH_RESULTS_H

#include "benchjson.h"
#include "result.h"

/** What one benchmark measured, over its OK repetitions. */
struct pmig_bench_summary {
	enum pmig_bj_state state;
	const char *message; /* why ERROR or SKIPPED; "" */
	size_t reps; /* OK repetitions */
	double bytes_per_second; /* median over repetitions; NAN when absent */
	double pages_per_second; /* median; NAN */
	double real_time_ns; /* median real_time (per iteration); NAN */
	size_t ncalls; /* raw per-call samples */
	double p50_ns, p90_ns, p99_ns, max_ns; /* per call, nearest rank; NAN */
	double seconds; /* measured time: sum of iteration times; 0 if unknown */
};

/** Summarizes benchmark @b of @bj; 0, -ENOMEM. */
int pmig_bench_summarize(const struct pmig_bj *bj,
			 const struct pmig_bj_bench *b,
			 struct pmig_bench_summary *out);

/**
 * The name of a benchmark in the result model: its first '/'-separated
 * part, a dot, the other parts joined by '_' ("move_pages/anon4k/batch:64"
 * -> "move_pages.anon4k_batch_64": JUnit class and case); Google
 * Benchmark's own parts ("manual_time", "iterations:N", "repeats:N",
 * "min_time:X", "min_warmup_time:X") are dropped and characters outside
 * [A-Za-z0-9_-] become '_'. malloc()ed; NULL on ENOMEM.
 */
char *pmig_bench_result_name(const char *run_name);

/**
 * A run of suite "pmig.bench" with one result per benchmark of @bj, named
 * by pmig_bench_result_name(): OK -> PASS with a number (median bytes_per_second in B/s
 * where the benchmark counts bytes, else the median time per call, else
 * per repetition, in s) and the summary in misc; a tiering run OK ->
 * PASS with t100 in s where it reached its goal (tiering.h), else FAIL
 * with its figures as the reason; pmig status "failed" ->
 * FAIL; another error -> ERROR; skipped or unavailable -> SKIP; the reason
 * is the message. Metadata from the context: hostname (host_name), kernel
 * (pmig_kernel, else kernel), emulation (pmig_emulation, else emulation);
 * the start from its "date". NULL on ENOMEM.
 */
struct pmig_run *pmig_bench_run_from_json(const struct pmig_bj *bj);

#endif
