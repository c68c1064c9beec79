/* test_compare.c - unit tests of the regression rule: medians, Mann-Whitney U against hand-computed values, verdicts, which clocks it may judge. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <math.h>
#include <string.h>

#include "compare.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static void expect_close(double got, double want, double tol, const char *what)
{
	if (!(fabs(got - want) <= tol))
		fail_msg("%s: got %.9g, want %.9g", what, got, want);
}

static void test_median(void **state)
{
	static const double odd[] = { 5, 1, 3 }, even[] = { 4, 1, 3, 2 };
	double m;

	(void)state;
	assert_int_equal(pmig_median(odd, ARRAY_SIZE(odd), &m), 0);
	expect_close(m, 3, 0, "median of 5 1 3");
	assert_int_equal(pmig_median(even, ARRAY_SIZE(even), &m), 0);
	expect_close(m, 2.5, 0, "median of 4 1 3 2");
	assert_int_equal(pmig_median(odd, 0, &m), -EINVAL);
}

/*
 * Every value below is computed by hand from the definitions:
 * U = R_a - n1(n1+1)/2 with mid-ranks; mu = n1 n2 / 2;
 * var = n1 n2 / 12 * ((n + 1) - sum(t^3 - t) / (n (n - 1)));
 * z = sign(U - mu) * max(|U - mu| - 1/2, 0) / sqrt(var); p = erfc(|z| / sqrt 2).
 */
static void test_mwu_separated(void **state)
{
	/* Ranks of a: 1..5, R_a = 15, U = 0; var = 25 / 12 * 11 = 22.9167;
	 * z = -(12.5 - 0.5) / 4.78714 = -2.50672; p = 0.0121858 (the exact
	 * permutation p would be 2/252 = 0.0079: the approximation is stated). */
	static const double a[] = { 1, 2, 3, 4, 5 }, b[] = { 6, 7, 8, 9, 10 };
	struct pmig_mwu r;

	(void)state;
	assert_int_equal(pmig_mwu(a, 5, b, 5, &r), 0);
	expect_close(r.u, 0, 0, "U");
	expect_close(r.z, -2.5067182, 1e-6, "z");
	expect_close(r.p, 0.0121858, 1e-6, "p");
	/* Swapped sides: U' = n1 n2 - U, same p, opposite z. */
	assert_int_equal(pmig_mwu(b, 5, a, 5, &r), 0);
	expect_close(r.u, 25, 0, "U swapped");
	expect_close(r.z, 2.5067182, 1e-6, "z swapped");
	expect_close(r.p, 0.0121858, 1e-6, "p swapped");
}

static void test_mwu_ties(void **state)
{
	/* Pooled: 1a 2a 2a 2b 3a 3b 4b 5b; the 2s share rank 3, the 3s 5.5:
	 * R_a = 1 + 3 + 3 + 5.5 = 12.5, U = 12.5 - 10 = 2.5 (pairs: 0 + 0.5 +
	 * 0.5 + 1.5). Ties: (27 - 3) + (8 - 2) = 30; var = 16 / 12 * (9 -
	 * 30 / 56) = 11.2857; z = -(5.5 - 0.5) / 3.35942 = -1.48835; p = 0.136658. */
	static const double a[] = { 1, 2, 2, 3 }, b[] = { 2, 3, 4, 5 };
	struct pmig_mwu r;

	(void)state;
	assert_int_equal(pmig_mwu(a, 4, b, 4, &r), 0);
	expect_close(r.u, 2.5, 0, "U");
	expect_close(r.z, -1.4883514, 1e-6, "z");
	expect_close(r.p, 0.1366582, 1e-6, "p");
}

static void test_mwu_ties_two_groups(void **state)
{
	/* a = 2 2 3 4 5 6, b = 5 6 7 8 9 10: U = 1 (6 > 5) + 0.5 (5 = 5) +
	 * 0.5 (6 = 6) = 2; ties: three pairs, 3 * 6 = 18; var = 36 / 12 *
	 * (13 - 18 / 132) = 38.5909; z = -(16 - 0.5) / 6.21216 = -2.49511;
	 * p = 0.0125919. */
	static const double a[] = { 3, 4, 2, 6, 2, 5 },
			    b[] = { 9, 7, 5, 10, 6, 8 };
	struct pmig_mwu r;

	(void)state;
	assert_int_equal(pmig_mwu(a, 6, b, 6, &r), 0);
	expect_close(r.u, 2, 0, "U");
	expect_close(r.z, -2.4951071, 1e-6, "z");
	expect_close(r.p, 0.0125919, 1e-6, "p");
}

static void test_mwu_all_equal(void **state)
{
	static const double a[] = { 7, 7, 7 }, b[] = { 7, 7 };
	struct pmig_mwu r;

	(void)state;
	assert_int_equal(pmig_mwu(a, 3, b, 2, &r), 0);
	expect_close(r.u, 3, 0, "U");
	expect_close(r.p, 1, 0, "p");
}

/* U counts the pairs a_i > b_j (ties 1/2): checked against brute force. */
static void test_mwu_u_is_pair_count(void **state)
{
	double a[37], b[23], pairs = 0;
	uint32_t x = 12345;
	struct pmig_mwu r;
	size_t i, j;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(a); i++) {
		x = x * 1103515245u + 12345u;
		a[i] = (x >> 16) % 20; /* few values: many ties */
	}
	for (i = 0; i < ARRAY_SIZE(b); i++) {
		x = x * 1103515245u + 12345u;
		b[i] = (x >> 16) % 20;
	}
	for (i = 0; i < ARRAY_SIZE(a); i++)
		for (j = 0; j < ARRAY_SIZE(b); j++)
			pairs += a[i] > b[j] ? 1 : a[i] == b[j] ? 0.5 : 0;
	assert_int_equal(pmig_mwu(a, ARRAY_SIZE(a), b, ARRAY_SIZE(b), &r), 0);
	expect_close(r.u, pairs, 0, "U against pair count");
}

static void test_mwu_rejects(void **state)
{
	static const double a[] = { 1, 2 };
	const double bad[] = { 1, NAN };
	struct pmig_mwu r;

	(void)state;
	assert_int_equal(pmig_mwu(a, 0, a, 2, &r), -EINVAL);
	assert_int_equal(pmig_mwu(a, 2, bad, 2, &r), -EINVAL);
	assert_int_equal(pmig_mwu(a, 2, a, 2, NULL), -EINVAL);
}

/* 20 samples around @center with a fixed, repeatable spread of +-4%. */
static void fill(double *s, size_t n, double center, uint32_t seed)
{
	size_t i;

	for (i = 0; i < n; i++) {
		seed = seed * 1103515245u + 12345u;
		s[i] = center * (0.96 + 0.08 * ((seed >> 16) % 1000) / 1000.0);
	}
}

static void test_compare_verdicts(void **state)
{
	const struct pmig_compare_rule rule = PMIG_COMPARE_RULE_DEFAULT;
	double base[20], same[20], slow[20], fast[20], slight[20];
	struct pmig_comparison c;
	size_t i;

	(void)state;
	fill(base, 20, 1000, 1);
	fill(same, 20, 1000, 2);
	for (i = 0; i < 20; i++) {
		slow[i] = base[i] * 1.2;
		fast[i] = base[i] * 0.8;
		slight[i] = base[i] * 1.02;
	}
	assert_int_equal(pmig_compare(base, 20, base, 20, PMIG_LOWER_IS_BETTER,
				      &rule, &c),
			 0);
	assert_int_equal(c.verdict, PMIG_VERDICT_SAME);
	expect_close(c.test.p, 1, 1e-12, "identical samples p");
	expect_close(c.change, 0, 0, "identical samples change");

	assert_int_equal(pmig_compare(base, 20, same, 20, PMIG_LOWER_IS_BETTER,
				      &rule, &c),
			 0);
	assert_int_equal(c.verdict, PMIG_VERDICT_SAME);

	/* Time per call 20% up: worse. */
	assert_int_equal(pmig_compare(base, 20, slow, 20, PMIG_LOWER_IS_BETTER,
				      &rule, &c),
			 0);
	assert_int_equal(c.verdict, PMIG_VERDICT_REGRESSION);
	expect_close(c.change, 0.2, 1e-9, "change");
	assert_true(c.test.p < 1e-6);

	/* The same numbers as throughput: 20% up is better. */
	assert_int_equal(pmig_compare(base, 20, slow, 20, PMIG_HIGHER_IS_BETTER,
				      &rule, &c),
			 0);
	assert_int_equal(c.verdict, PMIG_VERDICT_IMPROVEMENT);
	assert_int_equal(pmig_compare(base, 20, fast, 20, PMIG_HIGHER_IS_BETTER,
				      &rule, &c),
			 0);
	assert_int_equal(c.verdict, PMIG_VERDICT_REGRESSION);

	/* Significant but under the minimum change: not a regression. */
	assert_int_equal(pmig_compare(base, 20, slight, 20,
				      PMIG_LOWER_IS_BETTER, &rule, &c),
			 0);
	assert_true(c.test.p < 0.05);
	assert_int_equal(c.verdict, PMIG_VERDICT_SAME);
}

static void test_compare_insufficient(void **state)
{
	const struct pmig_compare_rule rule = PMIG_COMPARE_RULE_DEFAULT;
	static const double base[] = { 1, 1, 1, 1 }, slow[] = { 9, 9, 9, 9 };
	struct pmig_comparison c;

	(void)state;
	/* 4 a side, 9 times slower: still never a regression. */
	assert_int_equal(
		pmig_compare(base, 4, slow, 4, PMIG_LOWER_IS_BETTER, &rule, &c),
		0);
	assert_int_equal(c.verdict, PMIG_VERDICT_INSUFFICIENT);
	expect_close(c.change, 8, 1e-12, "change is still shown");
	assert_int_equal(
		pmig_compare(base, 0, slow, 4, PMIG_LOWER_IS_BETTER, &rule, &c),
		0);
	assert_int_equal(c.verdict, PMIG_VERDICT_INSUFFICIENT);
}

static void test_compare_rejects(void **state)
{
	struct pmig_compare_rule rule = PMIG_COMPARE_RULE_DEFAULT;
	static const double s[] = { 1, 2, 3, 4, 5 };
	const double bad[] = { 1, 2, INFINITY, 4, 5 };
	struct pmig_comparison c;

	(void)state;
	assert_int_equal(
		pmig_compare(s, 5, bad, 5, PMIG_LOWER_IS_BETTER, &rule, &c),
		-EINVAL);
	rule.alpha = 0;
	assert_int_equal(
		pmig_compare(s, 5, s, 5, PMIG_LOWER_IS_BETTER, &rule, &c),
		-EINVAL);
}

static void test_rule_text(void **state)
{
	const struct pmig_compare_rule rule = PMIG_COMPARE_RULE_DEFAULT;
	char buf[512];

	(void)state;
	assert_true(pmig_compare_rule_text(&rule, buf, sizeof(buf)) > 0);
	assert_non_null(strstr(buf, ">= 5%"));
	assert_non_null(strstr(buf, "p < 0.05"));
	assert_non_null(strstr(buf, "fewer than 5 samples"));
	assert_string_equal(pmig_verdict_name(PMIG_VERDICT_REGRESSION),
			    "REGRESSION");
}

/* Plain TCG on either side only as asked; icount on one side only never. */
static void test_clocks(void **state)
{
	static const struct {
		enum pmig_bj_clock base, new_c;
		bool allow;
		enum pmig_clocks want;
	} rows[] = {
		{ PMIG_BJ_CLOCK_HOST, PMIG_BJ_CLOCK_HOST, false,
		  PMIG_CLOCKS_OK },
		{ PMIG_BJ_CLOCK_ICOUNT, PMIG_BJ_CLOCK_ICOUNT, false,
		  PMIG_CLOCKS_OK },
		{ PMIG_BJ_CLOCK_TCG, PMIG_BJ_CLOCK_TCG, false,
		  PMIG_CLOCKS_EMULATED },
		{ PMIG_BJ_CLOCK_HOST, PMIG_BJ_CLOCK_TCG, false,
		  PMIG_CLOCKS_EMULATED },
		{ PMIG_BJ_CLOCK_TCG, PMIG_BJ_CLOCK_HOST, false,
		  PMIG_CLOCKS_EMULATED },
		{ PMIG_BJ_CLOCK_TCG, PMIG_BJ_CLOCK_TCG, true,
		  PMIG_CLOCKS_EMULATED_ALLOWED },
		{ PMIG_BJ_CLOCK_HOST, PMIG_BJ_CLOCK_TCG, true,
		  PMIG_CLOCKS_EMULATED_ALLOWED },
		{ PMIG_BJ_CLOCK_ICOUNT, PMIG_BJ_CLOCK_HOST, false,
		  PMIG_CLOCKS_MIXED },
		{ PMIG_BJ_CLOCK_ICOUNT, PMIG_BJ_CLOCK_TCG, true,
		  PMIG_CLOCKS_MIXED },
		{ PMIG_BJ_CLOCK_TCG, PMIG_BJ_CLOCK_ICOUNT, true,
		  PMIG_CLOCKS_MIXED },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(rows); i++)
		if (pmig_compare_clocks(rows[i].base, rows[i].new_c,
					rows[i].allow) != rows[i].want)
			fail_msg("row %zu: %d, want %d", i,
				 pmig_compare_clocks(rows[i].base,
						     rows[i].new_c,
						     rows[i].allow),
				 rows[i].want);
}

/* Two recorded CPU models must agree; an unrecorded one is no reason to refuse. */
static void test_cpu_models(void **state)
{
	(void)state;
	assert_true(pmig_compare_cpu_models("qemu64", "qemu64"));
	assert_false(pmig_compare_cpu_models("qemu64", "max"));
	assert_false(pmig_compare_cpu_models("max", "qemu64"));
	assert_true(pmig_compare_cpu_models(NULL, "max"));
	assert_true(pmig_compare_cpu_models("qemu64", NULL));
	assert_true(pmig_compare_cpu_models(NULL, NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_median),
		cmocka_unit_test(test_mwu_separated),
		cmocka_unit_test(test_mwu_ties),
		cmocka_unit_test(test_mwu_ties_two_groups),
		cmocka_unit_test(test_mwu_all_equal),
		cmocka_unit_test(test_mwu_u_is_pair_count),
		cmocka_unit_test(test_mwu_rejects),
		cmocka_unit_test(test_compare_verdicts),
		cmocka_unit_test(test_compare_insufficient),
		cmocka_unit_test(test_compare_rejects),
		cmocka_unit_test(test_rule_text),
		cmocka_unit_test(test_clocks),
		cmocka_unit_test(test_cpu_models),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
