/* test_bench_stats.c - unit tests of the nearest-rank latency summary and quantile, with values worked out by hand. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <math.h>
#include <string.h>

#include "stats.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* 1..10 shuffled: p50 is rank ceil(5) = 5, p90 rank 9, p99 rank ceil(9.9) = 10. */
static void test_one_to_ten(void **state)
{
	const double x[] = { 7, 3, 10, 1, 9, 2, 8, 5, 4, 6 };
	double copy[ARRAY_SIZE(x)];
	struct pmig_lat_summary s;

	(void)state;
	memcpy(copy, x, sizeof(x));
	assert_int_equal(pmig_lat_summarize(x, ARRAY_SIZE(x), &s), 0);
	assert_int_equal(s.n, 10);
	assert_true(s.min == 1);
	assert_true(s.p50 == 5);
	assert_true(s.p90 == 9);
	assert_true(s.p99 == 10);
	assert_true(s.max == 10);
	assert_true(s.mean == 5.5);
	/* The input is left as it was: callers keep their sample order. */
	assert_memory_equal(x, copy, sizeof(x));
}

/*
 * 200 samples i*i for i = 1..200: p50 is rank 100 (10000), p90 rank 180
 * (32400), p99 rank 198 (39204). An interpolating method would give other
 * values (p50 between ranks 100 and 101: 10100.5), so this pins the method.
 */
static void test_two_hundred_squares(void **state)
{
	double x[200];
	struct pmig_lat_summary s;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(x); i++)
		x[ARRAY_SIZE(x) - 1 - i] = (double)((i + 1) * (i + 1));
	assert_int_equal(pmig_lat_summarize(x, ARRAY_SIZE(x), &s), 0);
	assert_true(s.p50 == 10000);
	assert_true(s.p90 == 32400);
	assert_true(s.p99 == 39204);
	assert_true(s.min == 1);
	assert_true(s.max == 40000);
	/* sum of squares 1..200 = 200*201*401/6 = 2686700 */
	assert_true(fabs(s.mean - 2686700.0 / 200) < 1e-9);
}

/* One sample is every percentile; ranks never fall below 1. */
static void test_single(void **state)
{
	const double x[] = { 42.5 };
	struct pmig_lat_summary s;

	(void)state;
	assert_int_equal(pmig_lat_summarize(x, 1, &s), 0);
	assert_true(s.min == 42.5 && s.p50 == 42.5 && s.p90 == 42.5 &&
		    s.p99 == 42.5 && s.max == 42.5 && s.mean == 42.5);
}

/* Two samples: p50 is rank ceil(1) = 1, the lower one. */
static void test_two(void **state)
{
	const double x[] = { 20, 10 };
	struct pmig_lat_summary s;

	(void)state;
	assert_int_equal(pmig_lat_summarize(x, 2, &s), 0);
	assert_true(s.p50 == 10);
	assert_true(s.p90 == 20);
	assert_true(s.mean == 15);
}

/* The quantile itself, as the report's percentiles and CDF use it. */
static void test_nearest_rank(void **state)
{
	double s[] = { 50, 10, 40, 20, 30, 60, 70, 80, 90, 100 };
	double hundred[100];
	size_t i;

	(void)state;
	pmig_sort_doubles(s, ARRAY_SIZE(s));
	assert_true(s[0] == 10 && s[9] == 100);
	assert_true(pmig_nearest_rank(s, 10, 0, 100) == 10);
	assert_true(pmig_nearest_rank(s, 10, 50, 100) == 50);
	assert_true(pmig_nearest_rank(s, 10, 90, 100) == 90);
	assert_true(pmig_nearest_rank(s, 10, 91, 100) == 100);
	assert_true(pmig_nearest_rank(s, 10, 1, 1) == 100);
	/* Exact where a double is not: 0.07 * 100 is 7.000000000000001. */
	for (i = 0; i < ARRAY_SIZE(hundred); i++)
		hundred[i] = (double)(i + 1);
	assert_true(pmig_nearest_rank(hundred, 100, 7, 100) == 7);
	assert_true(isnan(pmig_nearest_rank(s, 0, 1, 2)));
	assert_true(isnan(pmig_nearest_rank(s, 10, 3, 2)));
	assert_true(isnan(pmig_nearest_rank(s, 10, 0, 0)));
	assert_true(isnan(pmig_nearest_rank(NULL, 10, 1, 2)));
}

static void test_bad_input(void **state)
{
	const double x[] = { 1, NAN, 3 };
	struct pmig_lat_summary s;

	(void)state;
	assert_int_equal(pmig_lat_summarize(x, 0, &s), -EINVAL);
	assert_int_equal(pmig_lat_summarize(NULL, 1, &s), -EINVAL);
	assert_int_equal(pmig_lat_summarize(x, 1, NULL), -EINVAL);
	assert_int_equal(pmig_lat_summarize(x, 3, &s), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_one_to_ten),
		cmocka_unit_test(test_two_hundred_squares),
		cmocka_unit_test(test_single),
		cmocka_unit_test(test_two),
		cmocka_unit_test(test_nearest_rank),
		cmocka_unit_test(test_bad_input),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
