/* test_boots.c - unit tests of the multi-boot rule: Student's t against closed forms and tables, the Welch interval computed by hand, verdicts each way, the layout floor, the spread of boots. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <math.h>

#include "boots.h"

static void expect_close(double got, double want, double tol, const char *what)
{
	if (!(fabs(got - want) <= tol))
		fail_msg("%s: got %.12g, want %.12g", what, got, want);
}

/* df 1 is Cauchy (1/2 + atan(t)/pi), df 2 is 1/2 + t / (2 sqrt(2 + t^2)). */
static void test_t_cdf_closed_forms(void **state)
{
	static const double t[] = { -3, -0.5, 0, 0.5, 1, 2, 3, 40 };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		expect_close(pmig_t_cdf(t[i], 1), 0.5 + atan(t[i]) / M_PI,
			     1e-12, "df 1");
		expect_close(pmig_t_cdf(t[i], 2),
			     0.5 + t[i] / (2 * sqrt(2 + t[i] * t[i])), 1e-12,
			     "df 2");
	}
	expect_close(pmig_t_cdf(1.959963985, INFINITY), 0.975, 1e-9,
		     "df infinite is the normal");
	assert_true(isnan(pmig_t_cdf(1, 0)));
	assert_true(isnan(pmig_t_cdf(NAN, 3)));
}

/* Two-sided 95% and 99% points from any table of Student's t. */
static void test_t_quantile_table(void **state)
{
	(void)state;
	expect_close(pmig_t_quantile(0.975, 1), 12.7062047, 1e-6, "t 1");
	expect_close(pmig_t_quantile(0.975, 2), 4.30265273, 1e-7, "t 2");
	expect_close(pmig_t_quantile(0.975, 4), 2.77644511, 1e-7, "t 4");
	expect_close(pmig_t_quantile(0.975, 10), 2.22813885, 1e-7, "t 10");
	expect_close(pmig_t_quantile(0.995, 5), 4.03214298, 1e-7, "t 5 99%");
	expect_close(pmig_t_quantile(0.025, 4), -2.77644511, 1e-7,
		     "lower tail");
	expect_close(pmig_t_quantile(0.5, 3), 0, 0, "median");
	/* A real df between two table rows lies between their points. */
	assert_true(pmig_t_quantile(0.975, 3.5) < 3.18244631 &&
		    pmig_t_quantile(0.975, 3.5) > 2.77644511);
	assert_true(isnan(pmig_t_quantile(1, 3)));
	assert_true(isnan(pmig_t_quantile(0.9, -1)));
}

/*
 * Base boots 1000 * e^{-0.001, 0, 0.001}, new the same times e^0.02: d =
 * 0.02, each side's sd of ln 0.001, se = sqrt(2e-6 / 3) = 8.16497e-4, Welch
 * df = 4 (equal sides), t = 2.77644511, half = 2.26696e-3; effect e^0.02 - 1
 * = 2.0201%, interval [e^0.017733 - 1, e^0.022267 - 1] = [1.78912%, 2.25167%].
 */
static const double base3[] = { 999.000499833375, 1000, 1001.0005001667084 };
static const double new3[] = { 1019.1816486174081, 1020.2013400267558,
			       1021.2220516375286 };

static void test_two_percent_with_small_spread_regresses(void **state)
{
	struct pmig_boot_comparison c;

	(void)state;
	assert_int_equal(pmig_compare_boots(base3, 3, new3, 3,
					    PMIG_LOWER_IS_BETTER, 0.05, 0.01, 0,
					    &c),
			 0);
	expect_close(c.sd_base, 0.001, 1e-12, "sd base");
	expect_close(c.sd_new, 0.001, 1e-12, "sd new");
	expect_close(c.df, 4, 1e-9, "df");
	expect_close(c.effect, 0.02020134002675581, 1e-12, "effect");
	expect_close(c.lo, 0.017891205980833852, 1e-9, "lo");
	expect_close(c.hi, 0.022516716989876357, 1e-9, "hi");
	expect_close(c.mean_base, 1000, 1e-9, "geometric mean base");
	assert_false(c.floored);
	assert_int_equal(c.verdict, PMIG_VERDICT_REGRESSION);
	/* Above the whole interval's lower bound: not enough. */
	assert_int_equal(pmig_compare_boots(base3, 3, new3, 3,
					    PMIG_LOWER_IS_BETTER, 0.05, 0.018,
					    0, &c),
			 0);
	assert_int_equal(c.verdict, PMIG_VERDICT_SAME);
	/* The other way round: faster by the same, an improvement. */
	assert_int_equal(pmig_compare_boots(new3, 3, base3, 3,
					    PMIG_LOWER_IS_BETTER, 0.05, 0.01, 0,
					    &c),
			 0);
	assert_int_equal(c.verdict, PMIG_VERDICT_IMPROVEMENT);
	/* A throughput 2% up is better, 2% down worse. */
	assert_int_equal(pmig_compare_boots(base3, 3, new3, 3,
					    PMIG_HIGHER_IS_BETTER, 0.05, 0.01,
					    0, &c),
			 0);
	assert_int_equal(c.verdict, PMIG_VERDICT_IMPROVEMENT);
	assert_int_equal(pmig_compare_boots(new3, 3, base3, 3,
					    PMIG_HIGHER_IS_BETTER, 0.05, 0.01,
					    0, &c),
			 0);
	assert_int_equal(c.verdict, PMIG_VERDICT_REGRESSION);
}

/* The same shift within a wide spread is no evidence. */
static void test_shift_within_the_spread_is_same(void **state)
{
	static const double b[] = { 1000, 1030, 980 },
			    n[] = { 1020, 1050, 1000 };
	struct pmig_boot_comparison c;

	(void)state;
	assert_int_equal(pmig_compare_boots(b, 3, n, 3, PMIG_LOWER_IS_BETTER,
					    0.05, 0.01, 0, &c),
			 0);
	assert_true(c.effect > 0.019 && c.effect < 0.021);
	assert_true(c.lo < 0);
	assert_int_equal(c.verdict, PMIG_VERDICT_SAME);
}

/*
 * Two layout modes 2.5% apart, each side all in one: no spread within a
 * side, so without a floor the interval is the point and it "regresses";
 * with the pool's sd of 1.3% as the floor: se = 0.013 sqrt(2/3), df 4,
 * half = 2.776 * 0.010614 = 2.947%, so the interval holds 0.
 */
static void test_layout_floor(void **state)
{
	static const double b[] = { 1000, 1000, 1000 },
			    n[] = { 1025, 1025, 1025 };
	struct pmig_boot_comparison c;

	(void)state;
	assert_int_equal(pmig_compare_boots(b, 3, n, 3, PMIG_LOWER_IS_BETTER,
					    0.05, 0.01, 0, &c),
			 0);
	expect_close(c.lo, 0.025, 1e-12, "no spread: the point");
	assert_true(isinf(c.df));
	assert_int_equal(c.verdict, PMIG_VERDICT_REGRESSION);
	assert_int_equal(pmig_compare_boots(b, 3, n, 3, PMIG_LOWER_IS_BETTER,
					    0.05, 0.01, 0.013, &c),
			 0);
	assert_true(c.floored);
	expect_close(c.df, 4, 1e-9, "df with the floor");
	expect_close(c.lo,
		     expm1(log(1.025) - 2.77644511 * 0.013 * sqrt(2.0 / 3)),
		     1e-8, "lo with the floor");
	assert_int_equal(c.verdict, PMIG_VERDICT_SAME);
	/* A floor below what the boots show changes nothing. */
	assert_int_equal(pmig_compare_boots(base3, 3, new3, 3,
					    PMIG_LOWER_IS_BETTER, 0.05, 0.01,
					    0.0005, &c),
			 0);
	assert_false(c.floored);
	expect_close(c.lo, 0.017891205980833852, 1e-9, "lo unfloored");
}

static void test_insufficient_and_bad(void **state)
{
	static const double zero[] = { 1000, 0 };
	struct pmig_boot_comparison c;

	(void)state;
	assert_int_equal(pmig_compare_boots(base3, 1, new3, 3,
					    PMIG_LOWER_IS_BETTER, 0.05, 0.01, 0,
					    &c),
			 0);
	assert_int_equal(c.verdict, PMIG_VERDICT_INSUFFICIENT);
	assert_int_equal(pmig_compare_boots(zero, 2, new3, 3,
					    PMIG_LOWER_IS_BETTER, 0.05, 0.01, 0,
					    &c),
			 -EINVAL);
	assert_int_equal(pmig_compare_boots(base3, 3, new3, 3,
					    PMIG_LOWER_IS_BETTER, 1, 0.01, 0,
					    &c),
			 -EINVAL);
	assert_int_equal(pmig_compare_boots(base3, 3, new3, 3,
					    PMIG_LOWER_IS_BETTER, 0.05, 0.01,
					    -1, &c),
			 -EINVAL);
	assert_int_equal(pmig_compare_boots(base3, 0, new3, 3,
					    PMIG_LOWER_IS_BETTER, 0.05, 0.01, 0,
					    &c),
			 -EINVAL);
}

static void test_spread(void **state)
{
	static const double v[] = { 100, 102, 101 };
	struct pmig_spread s;

	(void)state;
	assert_int_equal(pmig_spread(v, 3, &s), 0);
	assert_int_equal(s.n, 3);
	expect_close(s.min, 100, 0, "min");
	expect_close(s.max, 102, 0, "max");
	expect_close(s.range, 0.02, 1e-12, "max/min - 1");
	/* ln 100, ln 102, ln 101: sd (n - 1) = 0.00990135409 */
	expect_close(s.sd, 0.009901354091906154, 1e-12, "sd of ln");
	assert_int_equal(pmig_spread(v, 1, &s), 0);
	expect_close(s.sd, 0, 0, "one boot: no spread");
	assert_int_equal(pmig_spread(v, 0, &s), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_t_cdf_closed_forms),
		cmocka_unit_test(test_t_quantile_table),
		cmocka_unit_test(test_two_percent_with_small_spread_regresses),
		cmocka_unit_test(test_shift_within_the_spread_is_same),
		cmocka_unit_test(test_layout_floor),
		cmocka_unit_test(test_insufficient_and_bad),
		cmocka_unit_test(test_spread),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
