/* test_repeat.c - tests the merge of repeated runs: steady cases keep their outcome, the others are FLAKY. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <json-c/json.h>

#include "repeat.h"
#include "result.h"

static void add(struct pmig_run *run, const char *name, enum pmig_outcome o,
		const char *reason)
{
	struct pmig_result r = { .name = name, .outcome = o, .reason = reason };

	assert_non_null(pmig_run_add(run, &r));
}

/* A run of cases a, b and c with these outcomes; c left out when @oc < 0. */
static struct pmig_run *run3(enum pmig_outcome oa, enum pmig_outcome ob,
			     int oc)
{
	struct pmig_run *run = pmig_run_new("pmig.conform");

	assert_non_null(run);
	assert_int_equal(pmig_run_set_meta(run, "kernel", "6.12.0"), 0);
	add(run, "a", oa, oa == PMIG_PASS ? NULL : "why a");
	add(run, "b", ob, ob == PMIG_PASS ? NULL : "why b");
	if (oc >= 0)
		add(run, "c", (enum pmig_outcome)oc, "why c");
	return run;
}

static void free_runs(struct pmig_run **runs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		pmig_run_free(runs[i]);
}

static void test_steady_runs_keep_outcomes(void **state)
{
	struct pmig_run *runs[3];
	struct pmig_run *m;
	size_t flaky = 99;

	(void)state;
	for (int i = 0; i < 3; i++)
		runs[i] = run3(PMIG_PASS, PMIG_XFAIL, PMIG_SKIP);
	m = pmig_repeat_merge(runs, 3, &flaky);
	assert_non_null(m);
	assert_int_equal(flaky, 0);
	assert_int_equal(pmig_run_count(m), 3);
	assert_int_equal(pmig_run_result(m, 0)->outcome, PMIG_PASS);
	assert_null(pmig_run_result(m, 0)->reason);
	assert_int_equal(pmig_run_result(m, 1)->outcome, PMIG_XFAIL);
	assert_string_equal(pmig_run_result(m, 1)->reason,
			    "why b (in 3 of 3 runs)");
	assert_int_equal(pmig_run_result(m, 2)->outcome, PMIG_SKIP);
	assert_string_equal(pmig_run_get_meta(m, "kernel"), "6.12.0");
	assert_int_equal(pmig_run_exit_code(m), 0);
	pmig_run_free(m);
	free_runs(runs, 3);
}

static void test_differing_outcome_is_flaky(void **state)
{
	struct pmig_run *runs[5];
	const struct pmig_result *r;
	struct json_object *misc, *counts, *v;
	struct pmig_run *m;
	size_t flaky = 0;

	(void)state;
	for (int i = 0; i < 5; i++)
		runs[i] = run3(PMIG_PASS, i == 3 ? PMIG_FAIL : PMIG_PASS,
			       PMIG_PASS);
	m = pmig_repeat_merge(runs, 5, &flaky);
	assert_non_null(m);
	assert_int_equal(flaky, 1);
	assert_int_equal(pmig_run_result(m, 0)->outcome, PMIG_PASS);
	r = pmig_run_result(m, 1);
	assert_string_equal(r->name, "b");
	assert_int_equal(r->outcome, PMIG_FAIL);
	assert_string_equal(r->reason, "FLAKY: PASS 4, FAIL 1 in 5 runs");
	/* Each run's verdict, the odd one with its reason. */
	assert_non_null(strstr(r->diag, "run 4: FAIL: why b\n"));
	assert_non_null(strstr(r->diag, "run 1: PASS\n"));
	misc = json_tokener_parse(r->misc);
	assert_non_null(misc);
	assert_true(json_object_object_get_ex(misc, "outcome", &v));
	assert_string_equal(json_object_get_string(v), "FLAKY");
	assert_true(json_object_object_get_ex(misc, "counts", &counts));
	assert_true(json_object_object_get_ex(counts, "PASS", &v));
	assert_int_equal(json_object_get_int(v), 4);
	assert_true(json_object_object_get_ex(counts, "FAIL", &v));
	assert_int_equal(json_object_get_int(v), 1);
	json_object_put(misc);
	assert_int_equal(pmig_run_exit_code(m), 1);
	pmig_run_free(m);
	free_runs(runs, 5);
}

/* A run that died in a case has none after it: MISSING there, so FLAKY. */
static void test_missing_case_is_flaky(void **state)
{
	struct pmig_run *runs[2] = { run3(PMIG_PASS, PMIG_PASS, PMIG_PASS),
				     run3(PMIG_PASS, PMIG_PASS, -1) };
	struct pmig_run *m;
	size_t flaky = 0;

	(void)state;
	m = pmig_repeat_merge(runs, 2, &flaky);
	assert_non_null(m);
	assert_int_equal(flaky, 1);
	assert_string_equal(pmig_run_result(m, 2)->reason,
			    "FLAKY: PASS 1, MISSING 1 in 2 runs");
	pmig_run_free(m);
	free_runs(runs, 2);
}

/* SKIP in one run and PASS in another is FLAKY too: a need that comes and goes. */
static void test_skip_versus_pass_is_flaky(void **state)
{
	struct pmig_run *runs[2] = { run3(PMIG_PASS, PMIG_SKIP, PMIG_PASS),
				     run3(PMIG_PASS, PMIG_PASS, PMIG_PASS) };
	struct pmig_run *m;
	size_t flaky = 0;

	(void)state;
	m = pmig_repeat_merge(runs, 2, &flaky);
	assert_non_null(m);
	assert_int_equal(flaky, 1);
	assert_int_equal(pmig_run_result(m, 1)->outcome, PMIG_FAIL);
	pmig_run_free(m);
	free_runs(runs, 2);
}

static void test_no_runs(void **state)
{
	size_t flaky;

	(void)state;
	assert_null(pmig_repeat_merge(NULL, 0, &flaky));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_steady_runs_keep_outcomes),
		cmocka_unit_test(test_differing_outcome_is_flaky),
		cmocka_unit_test(test_missing_case_is_flaky),
		cmocka_unit_test(test_skip_versus_pass_is_flaky),
		cmocka_unit_test(test_no_runs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
