/* test_case_args.c - unit tests of a case as the timing program's words: every field comes back as it went, and a bad word is refused with its name. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "case_args.h"

static const struct pmig_bench_case sample = {
	.strategy = &pmig_strategy_move_pages,
	.wl = PMIG_WL_THP,
	.bytes = 16UL << 20,
	.batch = 512,
	.threads = 1,
	.accessors = 2,
	.pair = { .from = 1, .to = 3, .distance = 32, .to_cpuless = true },
	.from_cpus = "2-3,8",
	.iterations = 10,
	.name = "move_pages/thp/16M/1to3/batch:512",
};

static void every_field_comes_back(void **state)
{
	struct pmig_case_args a;
	struct pmig_bench_case c;
	char why[128] = "";
	bool perf = false;

	(void)state;
	pmig_case_args_make(&sample, true, &a);
	assert_null(a.argv[a.argc]);
	assert_int_equal(pmig_case_args_read(a.argc, a.argv, &c, &perf, why,
					     sizeof(why)),
			 0);
	assert_ptr_equal(c.strategy, sample.strategy);
	assert_int_equal(c.wl, sample.wl);
	assert_int_equal(c.bytes, sample.bytes);
	assert_int_equal(c.batch, sample.batch);
	assert_int_equal(c.threads, sample.threads);
	assert_int_equal(c.accessors, sample.accessors);
	assert_int_equal(c.pair.from, 1);
	assert_int_equal(c.pair.to, 3);
	assert_int_equal(c.pair.distance, 32);
	assert_true(c.pair.to_cpuless);
	assert_string_equal(c.from_cpus, "2-3,8");
	assert_int_equal(c.iterations, 10);
	assert_string_equal(c.name, sample.name);
	assert_true(perf);
	/* An unknown distance (-1) and no perf survive too. */
	c = sample;
	c.pair.distance = -1;
	pmig_case_args_make(&c, false, &a);
	assert_int_equal(pmig_case_args_read(a.argc, a.argv, &c, &perf, why,
					     sizeof(why)),
			 0);
	assert_int_equal(c.pair.distance, -1);
	assert_false(perf);
}

static void bad_words_are_named(void **state)
{
	struct pmig_bench_case c;
	char why[128];
	bool perf;
	char *unknown_strategy[] = { "name=x", "strategy=teleport",
				     "bytes=4096", "from_cpus=0" };
	char *not_a_number[] = { "name=x", "strategy=memcpy", "bytes=4k",
				 "from_cpus=0" };
	char *no_equals[] = { "name=x", "strategy=memcpy", "bytes=4096",
			      "from_cpus=0", "perf" };
	char *missing_cpus[] = { "name=x", "strategy=memcpy", "bytes=4096" };

	(void)state;
	assert_int_equal(pmig_case_args_read(4, unknown_strategy, &c, &perf,
					     why, sizeof(why)),
			 -EINVAL);
	assert_string_equal(why, "bad case word 'strategy=teleport'");
	assert_int_equal(pmig_case_args_read(4, not_a_number, &c, &perf, why,
					     sizeof(why)),
			 -EINVAL);
	assert_string_equal(why, "bad case word 'bytes=4k'");
	assert_int_equal(
		pmig_case_args_read(5, no_equals, &c, &perf, why, sizeof(why)),
		-EINVAL);
	assert_string_equal(why, "bad case word 'perf'");
	assert_int_equal(pmig_case_args_read(3, missing_cpus, &c, &perf, why,
					     sizeof(why)),
			 -EINVAL);
	assert_non_null(strstr(why, "from_cpus"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_field_comes_back),
		cmocka_unit_test(bad_words_are_named),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
