/* stats.h - latency summaries (min, nearest-rank percentiles, max, mean) of a benchmark's samples, and the nearest-rank quantile the results code uses too. */
#ifndef PMIG_BENCH_STATS_H
#define PMIG_BENCH_STATS_H

#include <stddef.h>

/** Summary of @n samples, in the samples' own unit. */
struct pmig_lat_summary {
	size_t n;
	double min, p50, p90, p99, max, mean;
};

/**
 * Summarizes @n samples (any unit). Percentiles use the nearest-rank method:
 * with the samples sorted ascending as x[1] <= ... <= x[n], the p-th
 * percentile is x[r] for the rank r = ceil(p / 100 * n) (at least 1). It is
 * always one of the samples, never an interpolation, so a reported p99 is a
 * latency some call really had; with n < 100 the p99 is the max.
 * Example: for 1..10, p50 = 5, p90 = 9, p99 = 10.
 * The mean is the arithmetic mean. @samples is not modified.
 * Returns 0 or -errno: -EINVAL when @n is 0, a pointer is NULL or a sample
 * is NaN (NaN has no rank), -ENOMEM when the sorted copy cannot be made.
 */
int pmig_lat_summarize(const double *samples, size_t n,
		       struct pmig_lat_summary *out);

/** Sorts @n doubles ascending in place. */
void pmig_sort_doubles(double *s, size_t n);

/**
 * The nearest-rank quantile @num / @den (0 <= @num <= @den, @den > 0) of
 * @n > 0 samples sorted ascending: x[r] for r = ceil(@num / @den * n), at
 * least 1, in the 1-based ranks above (0 gives the minimum, @den / @den
 * the maximum). A fraction, not a double, so that the rank is exact: 7
 * in 100 of 100 samples is rank 7, where 0.07 * 100 rounds up to rank 8.
 * NAN for bad arguments.
 */
double pmig_nearest_rank(const double *sorted, size_t n, size_t num,
			 size_t den);

#endif
