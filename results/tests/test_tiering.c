/* test_tiering.c - unit tests of the tiering runs' reader on the fixtures in results/tests/data (two kernels) and on malformed entries; their goal and their outcomes in the result model (KCIDB, JUnit); a figure's spread over boots. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_results.h"
#include "benchjson.h"
#include "tiering.h"

/* make check runs from the repository root; PMIG_TEST_DATA serves out-of-tree runs. */
static struct pmig_bj *load(const char *name)
{
	const char *dir = getenv("PMIG_TEST_DATA");
	struct pmig_bj *bj = NULL;
	char path[4096], why[256] = "";

	snprintf(path, sizeof(path), "%s/%s",
		 dir && *dir ? dir : "results/tests/data", name);
	if (pmig_bj_load(path, &bj, why, sizeof(why)))
		fail_msg("%s: %s", path, why);
	return bj;
}

/* The tiering run of @strategy/@workload, read into @t. */
static void tier_of(const struct pmig_bj *bj, const char *strategy,
		    const char *workload, struct pmig_tier *t)
{
	char why[256] = "";

	for (size_t i = 0; i < bj->nentries; i++) {
		const struct pmig_bj_entry *e = &bj->entries[i];

		if (!e->tiering || strcmp(e->strategy, strategy))
			continue;
		assert_int_equal(pmig_tier_read(e, t, why, sizeof(why)), 0);
		if (!strcmp(t->workload, workload))
			return;
		pmig_tier_release(t);
	}
	fail_msg("no tiering run %s/%s", strategy, workload);
}

static void test_kind_marks_tiering(void **state)
{
	struct pmig_bj *bj = load("tiering-6.12.json");
	size_t tiering = 0;

	(void)state;
	assert_int_equal(bj->nbenches, 7);
	for (size_t i = 0; i < bj->nbenches; i++)
		tiering += pmig_bj_bench_tiering(bj, &bj->benches[i]);
	assert_int_equal(tiering, 6);
	/* The migration benchmark beside them is not one. */
	assert_false(pmig_bj_bench_tiering(bj, &bj->benches[0]));
	assert_false(bj->entries[0].tiering);
	pmig_bj_free(bj);
}

static void test_converged_promote(void **state)
{
	struct pmig_bj *bj = load("tiering-6.12.json");
	struct pmig_tier t;

	(void)state;
	tier_of(bj, "numab_promote", "promote", &t);
	assert_int_equal(t.state, PMIG_BJ_OK);
	assert_string_equal(t.size, "16M");
	assert_string_equal(t.time_base, "wall");
	assert_int_equal(t.from, 2);
	assert_int_equal(t.to, 0);
	assert_int_equal(t.near, 0);
	assert_int_equal(t.far, 2);
	assert_int_equal(t.goal_pages, 1024);
	assert_int_equal(t.hot_pages, 1024);
	assert_int_equal(t.moved_pages, 1024);
	assert_int_equal(t.wrong_pages, 18);
	assert_int_equal(t.converged, 1);
	assert_true(t.t50_ns == 2.1e9 && t.t90_ns == 3.4e9 &&
		    t.t100_ns == 4.6e9);
	assert_true(t.task_sys_ns == 312e6 && t.kthread_cpu_ns == 0);
	assert_true(t.rate_limit_mbps == 65536);
	/* Goal pages over t100. */
	assert_true(fabs(t.pages_per_second - 1024 / 4.6) < 1e-6);
	assert_true(pmig_tier_counter(&t, "pgpromote_success") == 1042);
	assert_true(isnan(pmig_tier_counter(&t, "no_such_counter")));
	assert_true(t.tl.n > 10 && t.tl.hot_near && t.tl.cold_near);
	assert_true(t.tl.t_ns[0] == 0 && t.tl.t_ns[t.tl.n - 1] == 4.6e9);
	assert_true(t.tl.goal[t.tl.n - 1] == 1);
	pmig_tier_release(&t);
	pmig_bj_free(bj);
}

static void test_unconverged_demote(void **state)
{
	struct pmig_bj *bj = load("tiering-6.12.json");
	struct pmig_tier t;

	(void)state;
	tier_of(bj, "demote_reclaim", "demote", &t);
	assert_int_equal(t.converged, 0);
	assert_true(isnan(t.t100_ns)); /* -1: never */
	assert_true(t.t90_ns == 6.8e9);
	assert_int_equal(t.swapped_pages, 150);
	assert_true(pmig_tier_counter(&t, "pswpout") == 150);
	/* Over the time it was watched. */
	assert_true(fabs(t.pages_per_second - 2871 / 30.0) < 1e-6);
	assert_true(t.tl.goal[t.tl.n - 1] < 1);
	pmig_tier_release(&t);
	pmig_bj_free(bj);
}

static void test_unavailable_and_failed(void **state)
{
	struct pmig_bj *bj = load("tiering-6.1.json");
	struct pmig_tier t;

	(void)state;
	tier_of(bj, "damon_migrate_hot", "promote", &t);
	assert_int_equal(t.state, PMIG_BJ_SKIPPED);
	assert_non_null(strstr(t.message, "needs Linux 6.11"));
	assert_int_equal(t.tl.n, 0);
	assert_int_equal(t.converged, -1);
	assert_true(isnan(t.t50_ns));
	pmig_tier_release(&t);
	tier_of(bj, "demote_reclaim", "demote", &t);
	assert_int_equal(t.state, PMIG_BJ_ERROR);
	assert_string_equal(t.message,
			    "page 1834 read back wrong after the run");
	assert_string_equal(t.time_base, "instruction");
	assert_true(t.tl.n > 0);
	/* 6.1 has no pgdemote_proactive. */
	assert_true(isnan(pmig_tier_counter(&t, "pgdemote_proactive")));
	pmig_tier_release(&t);
	pmig_bj_free(bj);
}

/* The goal: every goal page in place within the limit, none wrong; the figures in words either way. */
static void test_goal(void **state)
{
	struct pmig_bj *bj = load("tiering-6.12.json");
	struct pmig_tier t;
	char why[256];

	(void)state;
	tier_of(bj, "tier_user", "promote", &t);
	assert_true(pmig_tier_goal(&t, why, sizeof(why)));
	assert_string_equal(
		why,
		"moved 1024/1024 goal pages, 0 wrong, 0 swapped, t90 950 ms, t100 1.2 s");
	pmig_tier_release(&t);
	/* Converged, and 18 cold pages promoted with the hot ones. */
	tier_of(bj, "numab_promote", "promote", &t);
	assert_int_equal(t.converged, 1);
	assert_false(pmig_tier_goal(&t, why, sizeof(why)));
	assert_non_null(strstr(why, ", 18 wrong, "));
	pmig_tier_release(&t);
	/* 150 cold pages sent to swap, t100 never in the 30 s it was watched. */
	tier_of(bj, "demote_reclaim", "demote", &t);
	assert_false(pmig_tier_goal(&t, why, sizeof(why)));
	assert_string_equal(
		why,
		"moved 2871/3072 goal pages, 0 wrong, 150 swapped, t90 6.8 s, t100 never (watched 30 s)");
	pmig_tier_release(&t);
	pmig_bj_free(bj);
}

/* The result of @name in @run. */
static const struct pmig_result *result_of(const struct pmig_run *run,
					   const char *name)
{
	for (size_t i = 0; i < pmig_run_count(run); i++)
		if (!strcmp(pmig_run_result(run, i)->name, name))
			return pmig_run_result(run, i);
	fail_msg("no result %s", name);
	return NULL;
}

/* KCIDB and JUnit get DONE (a PASS with a number) only for a run that reached its goal. */
static void test_outcomes(void **state)
{
	struct pmig_bj *bj = load("tiering-6.12.json");
	struct pmig_run *run = pmig_bench_run_from_json(bj);
	const struct pmig_result *r;

	(void)state;
	assert_non_null(run);
	r = result_of(run, "tier_user.promote_16M_2to0");
	assert_int_equal(r->outcome, PMIG_PASS);
	assert_true(r->has_number && r->number == 1.2);
	assert_string_equal(r->unit, "s");
	assert_string_equal(r->measure, "time to converge (t100)");
	assert_non_null(strstr(r->misc, "\"goal_reached\":true"));
	r = result_of(run, "damon_migrate_cold.demote_16M_0to2");
	assert_int_equal(r->outcome, PMIG_PASS);
	assert_true(r->has_number && r->number == 12.4);
	/* Pages moved that should have stayed. */
	r = result_of(run, "damon_migrate_hot.promote_16M_2to0");
	assert_int_equal(r->outcome, PMIG_FAIL);
	assert_false(r->has_number);
	assert_string_equal(
		r->reason,
		"goal not reached: moved 1024/1024 goal pages, 40 wrong, 0 swapped, t90 7.2 s, t100 8.9 s");
	assert_non_null(strstr(r->misc, "\"goal_reached\":false"));
	assert_non_null(strstr(r->misc, "\"wrong_pages\":40"));
	/* Not converged: goal pages in swap, the watch's end came first. */
	r = result_of(run, "demote_reclaim.demote_16M_0to2");
	assert_int_equal(r->outcome, PMIG_FAIL);
	assert_false(r->has_number);
	assert_string_equal(
		r->reason,
		"goal not reached: moved 2871/3072 goal pages, 0 wrong, 150 swapped, t90 6.8 s, t100 never (watched 30 s)");
	pmig_run_free(run);
	pmig_bj_free(bj);

	/* Unavailable stays a SKIP with its reason; a failed check a FAIL with its own. */
	bj = load("tiering-6.1.json");
	run = pmig_bench_run_from_json(bj);
	assert_non_null(run);
	r = result_of(run, "damon_migrate_hot.promote_16M_2to0");
	assert_int_equal(r->outcome, PMIG_SKIP);
	assert_non_null(strstr(r->reason, "needs Linux 6.11"));
	r = result_of(run, "demote_reclaim.demote_16M_0to2");
	assert_int_equal(r->outcome, PMIG_FAIL);
	assert_string_equal(r->reason,
			    "page 1834 read back wrong after the run");
	pmig_run_free(run);
	pmig_bj_free(bj);
}

/* One tiering entry with @pmig_extra inside its pmig object: the reader's verdict. */
static int read_one(const char *pmig_extra, char *why, size_t whylen)
{
	struct pmig_bj *bj = NULL;
	struct pmig_tier t;
	char *text;
	int err;

	assert_true(
		asprintf(
			&text,
			"{\"benchmarks\": [{\"name\": "
			"\"tier_user/promote/16M/2to0/iterations:1/manual_time\", "
			"\"run_type\": \"iteration\", \"real_time\": 5, "
			"\"pmig\": {\"status\": \"verified\", \"kind\": "
			"\"tiering\", \"strategy\": \"tier_user\", "
			"\"workload\": \"promote\"%s}}]}",
			pmig_extra) > 0);
	assert_int_equal(pmig_bj_parse(text, &bj, why, whylen), 0);
	free(text);
	assert_true(bj->entries[0].tiering);
	err = pmig_tier_read(&bj->entries[0], &t, why, whylen);
	if (!err)
		pmig_tier_release(&t);
	pmig_bj_free(bj);
	return err;
}

static void test_bad_values(void **state)
{
	static const struct {
		const char *extra, *says;
	} bad[] = {
		{ ", \"timeline\": {\"t_ns\": [0, 1], \"goal\": [0]}",
		  "\"goal\" has 1 values, \"t_ns\" 2" },
		{ ", \"timeline\": {\"t_ns\": [0, 1], \"goal\": [0, 1.5]}",
		  "\"goal\"[1] is 1.5" },
		{ ", \"timeline\": {\"t_ns\": [5, 1], \"goal\": [0, 1]}",
		  "never going back" },
		{ ", \"timeline\": {\"t_ns\": [0], \"goal\": [\"x\"]}",
		  "\"goal\"[0]" },
		{ ", \"timeline\": {\"t_ns\": [0, 1], \"goal\": [0, 1], "
		  "\"cold_near\": [1]}",
		  "\"cold_near\" has 1 values" },
		{ ", \"timeline\": [1, 2]", "is not an object" },
		{ ", \"timeline\": {\"goal\": [1]}",
		  "with \"t_ns\" and \"goal\"" },
		{ ", \"t50_ns\": -2", "\"t50_ns\" is -2" },
		{ ", \"t90_ns\": \"soon\"", "\"t90_ns\" is \"soon\"" },
		{ ", \"moved_pages\": -1", "\"moved_pages\" is -1" },
		{ ", \"converged\": 2", "\"converged\" is 2" },
	};
	char why[256];

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		why[0] = '\0';
		assert_int_equal(read_one(bad[i].extra, why, sizeof(why)),
				 -EINVAL);
		if (!strstr(why, bad[i].says) ||
		    !strstr(why, "tier_user/promote/16M"))
			fail_msg("%s: said '%s'", bad[i].extra, why);
	}
	/* Never (-1), no timeline, an unknown key: all fine. */
	assert_int_equal(read_one(", \"t100_ns\": -1, \"whatever\": 1", why,
				  sizeof(why)),
			 0);
}

/* The run's limit, when the file has it, says why t100 never came. */
static void test_limit(void **state)
{
	struct pmig_bj *bj = NULL;
	struct pmig_tier t;
	char why[256];

	(void)state;
	assert_int_equal(
		pmig_bj_parse(
			"{\"benchmarks\": [{\"name\": "
			"\"damon_migrate_cold/demote/16M/0to2/iterations:1/manual_time\", "
			"\"run_type\": \"iteration\", \"real_time\": 10, "
			"\"pmig\": {\"status\": \"verified\", \"kind\": "
			"\"tiering\", \"workload\": \"demote\", \"limit_s\": 10, "
			"\"goal_pages\": 2048, \"moved_pages\": 2044, "
			"\"wrong_pages\": 0, \"swapped_pages\": 0, \"converged\": 0, "
			"\"t90_ns\": 5.1e9, \"t100_ns\": -1, "
			"\"duration_ns\": 1e10}}]}",
			&bj, why, sizeof(why)),
		0);
	assert_int_equal(pmig_tier_read(&bj->entries[0], &t, why, sizeof(why)),
			 0);
	assert_true(t.limit_s == 10);
	assert_false(pmig_tier_goal(&t, why, sizeof(why)));
	assert_string_equal(
		why,
		"moved 2044/2048 goal pages, 0 wrong, 0 swapped, t90 5.1 s, t100 never (watched 10 s, limit 10 s)");
	pmig_tier_release(&t);
	pmig_bj_free(bj);
	assert_int_equal(read_one(", \"limit_s\": \"ten\"", why, sizeof(why)),
			 -EINVAL);
	assert_non_null(strstr(why, "\"limit_s\" is \"ten\""));
}

static void test_plain_entry_is_no_tiering(void **state)
{
	struct pmig_bj *bj = NULL;
	char why[256];

	(void)state;
	assert_int_equal(
		pmig_bj_parse(
			"{\"benchmarks\": [{\"name\": \"a/kind:tiering\", "
			"\"real_time\": 1}, {\"name\": \"b\", \"real_time\": 1, "
			"\"pmig\": {\"kind\": \"anon\"}}]}",
			&bj, why, sizeof(why)),
		0);
	assert_false(bj->entries[0].tiering);
	assert_false(bj->entries[1].tiering);
	pmig_bj_free(bj);
}

/* A run's figure over boots: the median of an even count is the middle two's mean. */
static void test_spread(void **state)
{
	const double same[] = { 32393239, 32393239, 32393239 };
	const double apart[] = { 1.02e9, 1e9, 0.99e9, 1e9 };
	const double zeros[] = { 0, 0 }, zero_and_one[] = { 0, 1 };
	const double bad[] = { 1, NAN };
	struct pmig_tier_spread sp;

	(void)state;
	assert_int_equal(pmig_tier_spread(same, 3, &sp), 0);
	assert_int_equal(sp.n, 3);
	assert_true(sp.median == same[0] && sp.min == same[0] &&
		    sp.max == same[0] && sp.spread == 0);
	assert_int_equal(pmig_tier_spread(apart, 4, &sp), 0);
	assert_true(sp.median == 1e9 && sp.min == 0.99e9 && sp.max == 1.02e9);
	assert_true(fabs(sp.spread - 0.03) < 1e-12);
	assert_int_equal(pmig_tier_spread(zeros, 2, &sp), 0);
	assert_true(sp.spread == 0);
	assert_int_equal(pmig_tier_spread(zero_and_one, 2, &sp), 0);
	assert_true(sp.median == 0.5 && sp.spread == 2);
	assert_int_equal(pmig_tier_spread(bad, 2, &sp), -EINVAL);
	assert_int_equal(pmig_tier_spread(same, 0, &sp), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kind_marks_tiering),
		cmocka_unit_test(test_converged_promote),
		cmocka_unit_test(test_unconverged_demote),
		cmocka_unit_test(test_unavailable_and_failed),
		cmocka_unit_test(test_goal),
		cmocka_unit_test(test_outcomes),
		cmocka_unit_test(test_limit),
		cmocka_unit_test(test_bad_values),
		cmocka_unit_test(test_plain_entry_is_no_tiering),
		cmocka_unit_test(test_spread),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
