/* stats.c - latency summaries and the nearest-rank quantile they and the results code (report, summaries) share. */
#include "stats.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

void pmig_sort_doubles(double *s, size_t n)
{
	if (s && n)
		qsort(s, n, sizeof(*s), cmp_double);
}

double pmig_nearest_rank(const double *sorted, size_t n, size_t num, size_t den)
{
	size_t rank;

	if (!sorted || !n || !den || num > den)
		return NAN;
	/* Integer arithmetic, so 90 in 100 of 10 is rank 9 exactly. */
	rank = (num * n + den - 1) / den;
	return sorted[rank < 1 ? 0 : rank - 1];
}

int pmig_lat_summarize(const double *samples, size_t n,
		       struct pmig_lat_summary *out)
{
	/* A long double sum keeps the mean of many small samples from drifting. */
	long double sum = 0;
	double *sorted;
	size_t i;

	if (!samples || !out || n == 0)
		return -EINVAL;
	for (i = 0; i < n; i++) {
		if (isnan(samples[i]))
			return -EINVAL;
		sum += samples[i];
	}
	sorted = malloc(n * sizeof(*sorted));
	if (!sorted)
		return -ENOMEM;
	memcpy(sorted, samples, n * sizeof(*sorted));
	pmig_sort_doubles(sorted, n);
	out->n = n;
	out->min = sorted[0];
	out->max = sorted[n - 1];
	out->p50 = pmig_nearest_rank(sorted, n, 50, 100);
	out->p90 = pmig_nearest_rank(sorted, n, 90, 100);
	out->p99 = pmig_nearest_rank(sorted, n, 99, 100);
	out->mean = (double)(sum / n);
	free(sorted);
	return 0;
}
