/* stats.c - nearest-rank percentiles over a sorted copy of the samples. */
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

/* x[ceil(pct * n / 100)] in 1-based ranks; integer arithmetic, so 90% of 10 is rank 9 exactly. */
static double nearest_rank(const double *sorted, size_t n, unsigned pct)
{
	size_t rank = (pct * n + 99) / 100;

	if (rank < 1)
		rank = 1;
	return sorted[rank - 1];
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
	qsort(sorted, n, sizeof(*sorted), cmp_double);
	out->n = n;
	out->min = sorted[0];
	out->max = sorted[n - 1];
	out->p50 = nearest_rank(sorted, n, 50);
	out->p90 = nearest_rank(sorted, n, 90);
	out->p99 = nearest_rank(sorted, n, 99);
	out->mean = (double)(sum / n);
	free(sorted);
	return 0;
}
