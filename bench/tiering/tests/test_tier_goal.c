/* test_tier_goal.c - unit tests of the tiering goal's rule, its figures in words, and the figures read back from a finished run's notes. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../../tests/bench_fake_gb.h"
#include "tier_watch.h"

/* Every goal page in place at 4.6 s of a 30 s limit, none wrong. */
static const struct pmig_tier_figures good = {
	.goal_pages = 1024,
	.moved_pages = 1024,
	.wrong_pages = 0,
	.swapped_pages = 0,
	.t90_ns = 3.4e9,
	.t100_ns = 4.6e9,
	.duration_ns = 4.6e9,
	.limit_s = 30,
};

static void test_rule(void **state)
{
	struct pmig_tier_figures f;

	(void)state;
	assert_true(pmig_tier_goal_reached(&good));
	/* Every goal page there, and pages moved that should have stayed. */
	f = good;
	f.wrong_pages = 18;
	assert_false(pmig_tier_goal_reached(&f));
	/* Four short when the limit came. */
	f = good;
	f.moved_pages = 1020;
	f.t100_ns = NAN;
	assert_false(pmig_tier_goal_reached(&f));
	/* Goal pages sent to swap instead are not in place. */
	f = good;
	f.moved_pages = 874;
	f.swapped_pages = 150;
	f.t100_ns = NAN;
	assert_false(pmig_tier_goal_reached(&f));
	/* All there at the end, but never while it was watched: not within its limit. */
	f = good;
	f.t100_ns = NAN;
	assert_false(pmig_tier_goal_reached(&f));
	/* What is not known is no proof. */
	f = good;
	f.wrong_pages = -1;
	assert_false(pmig_tier_goal_reached(&f));
	f = good;
	f.goal_pages = f.moved_pages = -1;
	assert_false(pmig_tier_goal_reached(&f));
}

static void test_text(void **state)
{
	struct pmig_tier_figures f = good;
	char buf[256];

	(void)state;
	assert_string_equal(
		pmig_tier_goal_text(&good, buf, sizeof(buf)),
		"moved 1024/1024 goal pages, 0 wrong, 0 swapped, t90 3.4 s, t100 4.6 s");
	f.moved_pages = 2044;
	f.goal_pages = 2048;
	f.t90_ns = 5.1e9;
	f.t100_ns = NAN;
	f.duration_ns = 10e9;
	f.limit_s = 10;
	assert_string_equal(
		pmig_tier_goal_text(&f, buf, sizeof(buf)),
		"moved 2044/2048 goal pages, 0 wrong, 0 swapped, t90 5.1 s, t100 never (watched 10 s, limit 10 s)");
	/* An older file: no limit; an unknown count is "-". */
	f.limit_s = NAN;
	f.wrong_pages = -1;
	f.t90_ns = NAN;
	assert_string_equal(
		pmig_tier_goal_text(&f, buf, sizeof(buf)),
		"moved 2044/2048 goal pages, - wrong, 0 swapped, t90 never, t100 never (watched 10 s)");
	/* Cut short, still a string. */
	assert_int_equal(strlen(pmig_tier_goal_text(&f, buf, 20)), 19);
}

/* A tiering run's notes as tier_run.c and tier_watch.c write them. */
static void tiering_body(struct pmig_bench_state *st, void *arg)
{
	(void)arg;
	pmig_bench_note_text(st, "kind", "tiering");
	pmig_bench_note_num(st, "limit_s", 10);
	pmig_bench_note_num(st, "goal_pages", 2048);
	while (pmig_bench_next(st))
		pmig_bench_sample(st, 10000000000ULL);
	pmig_bench_note_num(st, "t90_ns", 5.1e9);
	pmig_bench_note_num(st, "t100_ns", -1);
	pmig_bench_note_num(st, "duration_ns", 10e9);
	pmig_bench_note_num(st, "moved_pages", 2044);
	pmig_bench_note_num(st, "wrong_pages", 0);
	pmig_bench_note_num(st, "swapped_pages", 0);
}

static void migration_body(struct pmig_bench_state *st, void *arg)
{
	(void)arg;
	pmig_bench_note_text(st, "kind", "anon");
	while (pmig_bench_next(st))
		pmig_bench_sample(st, 1);
}

static void test_run_figures(void **state)
{
	const struct pmig_bench_run *r;
	struct pmig_tier_figures f;
	char buf[256];
	size_t n;

	(void)state;
	pmig_bench_reset();
	assert_int_equal(pmig_bench_register("t", tiering_body, NULL, 1), 0);
	assert_int_equal(pmig_bench_register("m", migration_body, NULL, 1), 1);
	fake_run(0, 1);
	fake_run(1, 1);
	r = pmig_bench_runs(&n);
	assert_int_equal(n, 2);
	assert_int_equal(r[0].status, PMIG_RUN_VERIFIED);
	assert_true(pmig_tier_run_figures(&r[0], &f));
	/* -1 (never) reads as never. */
	assert_true(isnan(f.t100_ns));
	assert_false(pmig_tier_goal_reached(&f));
	assert_string_equal(
		pmig_tier_goal_text(&f, buf, sizeof(buf)),
		"moved 2044/2048 goal pages, 0 wrong, 0 swapped, t90 5.1 s, t100 never (watched 10 s, limit 10 s)");
	assert_false(pmig_tier_run_figures(&r[1], &f));
	pmig_bench_reset();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rule),
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_run_figures),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
