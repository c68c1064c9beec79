/* test_benchjson.c - unit tests of reading benchmark JSON (both shapes), benchmark summaries and their result model. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bench_results.h"
#include "benchjson.h"

/* Two repetitions with raw samples, their aggregate, one failed and one unavailable benchmark. */
static const char pmig_json[] =
	"{\"context\": {\"host_name\": \"box\", \"date\": "
	"\"2026-11-22T12:00:00+01:00\", \"kernel\": \"6.1.0\", \"num_cpus\": 2},"
	" \"benchmarks\": ["
	"{\"name\": \"mp/iterations:2/manual_time\", \"run_name\": "
	"\"mp/iterations:2/manual_time\", \"run_type\": \"iteration\", "
	"\"iterations\": 2, \"real_time\": 3, \"time_unit\": \"us\", "
	"\"bytes_per_second\": 100, \"pmig\": {\"status\": \"verified\", "
	"\"strategy\": \"move_pages\", \"kind\": \"anon4k\", \"batch\": 64, "
	"\"from\": 0, \"to\": 1, \"call_ns\": [1000, 2000, 3000, 4000], "
	"\"iter_ns\": [3000, 7000]}},"
	"{\"name\": \"mp/iterations:2/manual_time\", \"run_name\": "
	"\"mp/iterations:2/manual_time\", \"run_type\": \"iteration\", "
	"\"iterations\": 2, \"real_time\": 5, \"time_unit\": \"us\", "
	"\"bytes_per_second\": 300, \"pmig\": {\"status\": \"verified\", "
	"\"call_ns\": [5000, 6000], \"iter_ns\": [5000, 6000], "
	"\"notes\": {\"strategy\": \"move_pages\"}}},"
	"{\"name\": \"mp/iterations:2/manual_time_mean\", \"run_name\": "
	"\"mp/iterations:2/manual_time\", \"run_type\": \"aggregate\", "
	"\"aggregate_name\": \"mean\", \"real_time\": 4, \"time_unit\": \"us\"},"
	"{\"name\": \"mbind/thp\", \"error_occurred\": true, \"error_message\": "
	"\"page 3 on node 0\", \"real_time\": 0, \"pmig\": {\"status\": "
	"\"failed\", \"message\": \"page 3 on node 0\"}},"
	"{\"name\": \"swap/thp\", \"error_occurred\": true, \"error_message\": "
	"\"unavailable: no swap\", \"pmig\": {\"status\": \"unavailable\", "
	"\"message\": \"no swap\"}}"
	"]}";

static struct pmig_bj *parse(const char *text)
{
	struct pmig_bj *bj = NULL;
	char why[200] = "";

	if (pmig_bj_parse(text, &bj, why, sizeof(why)))
		fail_msg("rejected: %s", why);
	return bj;
}

static void test_pmig_shape(void **state)
{
	struct pmig_bj *bj = parse(pmig_json);
	const struct pmig_bj_bench *b;
	const struct pmig_bj_entry *e;
	double *s;
	bool calls;

	(void)state;
	assert_int_equal(bj->nentries, 5);
	assert_int_equal(bj->nbenches, 3);
	b = pmig_bj_find(bj, "mp/iterations:2/manual_time");
	assert_non_null(b);
	assert_int_equal(b->n, 2); /* the aggregate is no sample */
	e = pmig_bj_entry_of(bj, b, 0);
	assert_string_equal(e->strategy, "move_pages");
	assert_string_equal(e->kind, "anon4k");
	assert_int_equal(e->batch, 64);
	assert_int_equal(e->from, 0);
	assert_int_equal(e->to, 1);
	assert_true(e->real_time_ns == 3000);
	/* The second repetition names its strategy in its notes only. */
	assert_string_equal(pmig_bj_entry_of(bj, b, 1)->strategy, "move_pages");
	calls = pmig_bj_has_calls(bj, b);
	assert_true(calls);
	assert_int_equal(pmig_bj_time_samples(bj, b, true, &s), 6);
	assert_true(s[0] == 1000 && s[5] == 6000);
	free(s);
	assert_int_equal(pmig_bj_time_samples(bj, b, false, &s), 2);
	assert_true(s[0] == 3000 && s[1] == 5000);
	free(s);
	assert_int_equal(pmig_bj_counter_samples(bj, b, "bytes_per_second", &s),
			 2);
	free(s);
	assert_string_equal(pmig_bj_context(bj, "host_name"), "box");
	assert_string_equal(pmig_bj_context(bj, "num_cpus"), "2");
	assert_null(pmig_bj_context(bj, "nothing"));
	pmig_bj_free(bj);
}

static void test_states(void **state)
{
	struct pmig_bj *bj = parse(pmig_json);
	const char *msg;
	double *s;

	(void)state;
	assert_int_equal(
		pmig_bj_bench_state(bj, pmig_bj_find(bj, "mbind/thp"), &msg),
		PMIG_BJ_ERROR);
	assert_string_equal(msg, "page 3 on node 0");
	/* pmig's "unavailable" makes Google Benchmark's error a skip. */
	assert_int_equal(
		pmig_bj_bench_state(bj, pmig_bj_find(bj, "swap/thp"), &msg),
		PMIG_BJ_SKIPPED);
	assert_string_equal(msg, "no swap");
	assert_false(pmig_bj_has_calls(bj, pmig_bj_find(bj, "swap/thp")));
	assert_int_equal(pmig_bj_time_samples(bj, pmig_bj_find(bj, "swap/thp"),
					      false, &s),
			 0);
	assert_null(s);
	pmig_bj_free(bj);
}

/* Plain Google Benchmark: attributes come from "key:value" name parts. */
static void test_plain_shape(void **state)
{
	struct pmig_bj *bj = parse(
		"{\"benchmarks\": [{\"name\": "
		"\"move_pages/anon4k/batch:64/from:1/to:2/manual_time\", "
		"\"real_time\": 2, \"time_unit\": \"ms\"}, {\"name\": "
		"\"skipper\", \"skipped\": true, \"skip_message\": \"later\"}]}");
	const struct pmig_bj_entry *e = &bj->entries[0];
	const char *msg;

	(void)state;
	assert_null(e->strategy);
	assert_null(e->kind);
	assert_int_equal(e->batch, 64);
	assert_int_equal(e->from, 1);
	assert_int_equal(e->to, 2);
	assert_true(e->real_time_ns == 2e6);
	assert_false(e->has_pmig);
	assert_int_equal(pmig_bj_bench_state(bj, &bj->benches[1], &msg),
			 PMIG_BJ_SKIPPED);
	assert_string_equal(msg, "later");
	pmig_bj_free(bj);
}

/* pmig bench's own names: workload, iteration_ns, batch 0 with "batch:all". */
static void test_bench_names(void **state)
{
	struct pmig_bj *bj = parse(
		"{\"benchmarks\": [{\"name\": "
		"\"move_pages/anon/1M/0to1/batch:all/iterations:5/manual_time\", "
		"\"pmig\": {\"workload\": \"anon\", \"batch\": 0, \"pages\": 256, "
		"\"threads\": 1, \"iteration_ns\": [5, 6], \"call_ns\": [5, 6]}}, "
		"{\"name\": \"migrate_pages/anon/1M/0to1/iterations:5/manual_time\", "
		"\"real_time\": 7, \"pmig\": {\"workload\": \"anon\", \"batch\": 0, \"pages\": 256}}]}");

	(void)state;
	assert_string_equal(bj->entries[0].kind, "anon");
	assert_int_equal(bj->entries[0].batch, 256);
	assert_int_equal(bj->entries[0].threads, 1);
	assert_int_equal(bj->entries[0].niters, 2);
	/* No batch in the name: the strategy has none. */
	assert_int_equal(bj->entries[1].batch, -1);
	pmig_bj_free(bj);
}

/* A number no long holds is unknown (fuzz_benchjson: the cast was undefined). */
static void test_huge_numbers(void **state)
{
	struct pmig_bj *bj = parse(
		"{\"benchmarks\": [{\"name\": \"move_pages/anon\", \"real_time\": 7, "
		"\"pmig\": {\"batch\": 16e18, \"threads\": 1e300, \"from\": 0, "
		"\"to\": 9223372036854775807}}]}");

	(void)state;
	assert_int_equal(bj->entries[0].batch, -1);
	assert_int_equal(bj->entries[0].threads, -1);
	assert_int_equal(bj->entries[0].from, 0);
	assert_int_equal(bj->entries[0].to, -1);
	pmig_bj_free(bj);
}

static void test_rejects(void **state)
{
	static const struct {
		const char *text, *why;
	} bad[] = {
		{ "{\"benchmarks\": [", "not JSON" },
		{ "[1, 2]", "not Google Benchmark JSON" },
		{ "{\"benchmarks\": {}}", "not Google Benchmark JSON" },
		{ "{\"benchmarks\": [{\"real_time\": 1}]}",
		  "benchmarks[0] has no" },
		{ "{\"benchmarks\": [{\"name\": \"a\", \"real_time\": 1, "
		  "\"time_unit\": \"weeks\"}]}",
		  "a: bad \"real_time\"" },
		{ "{\"benchmarks\": [{\"name\": \"a\", \"pmig\": 3}]}",
		  "a: \"pmig\" is not an object" },
		{ "{\"benchmarks\": [{\"name\": \"a\", \"pmig\": {\"call_ns\": "
		  "[1, -2]}}]}",
		  "a: \"call_ns\"[1] is -2 (a time is a finite number >= 0)" },
		{ "{\"benchmarks\": [{\"name\": \"a\", \"real_time\": 1, "
		  "\"pmig\": {\"iteration_ns\": [1, \"x\"]}}]}",
		  "a: \"iteration_ns\"[1] is not a number" },
		{ "{\"benchmarks\": [{\"name\": \"a\", \"real_time\": 1, "
		  "\"pmig\": {\"call_ns\": [1, Infinity]}}]}",
		  "a: \"call_ns\"[1] is inf" },
		/* Google Benchmark writes NaN for a time it could not take. */
		{ "{\"benchmarks\": [{\"name\": \"a\", \"real_time\": NaN}]}",
		  "a: \"real_time\" is nan (a time is a finite number >= 0)" },
		{ "{\"benchmarks\": [{\"name\": \"a\", \"real_time\": -Infinity}]}",
		  "a: \"real_time\" is -inf" },
		{ "{\"benchmarks\": [{\"name\": \"a\", \"real_time\": -3, "
		  "\"time_unit\": \"us\"}]}",
		  "a: \"real_time\" is -3" },
		{ "{\"benchmarks\": [{\"name\": \"a\", \"run_type\": "
		  "\"iteration\"}]}",
		  "a: no \"real_time\"" },
		{ "{\"benchmarks\": [{\"name\": \"a\", \"real_time\": 1} "
		  "{\"name\": \"b\"}]}",
		  "not JSON (',' or ']' expected at byte 46)" },
		{ "{\"benchmarks\": []} x", "not JSON (data after the end" },
		{ "{\"benchmarks\": [], 3: 4}", "not JSON (a key expected" },
		{ "{}", "not Google Benchmark JSON" },
	};
	struct pmig_bj *bj;
	char why[200];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		why[0] = '\0';
		assert_int_equal(
			pmig_bj_parse(bad[i].text, &bj, why, sizeof(why)),
			-EINVAL);
		if (strncmp(why, bad[i].why, strlen(bad[i].why)))
			fail_msg("%s: said '%s', want '%s...'", bad[i].text,
				 why, bad[i].why);
	}
	assert_int_equal(
		pmig_bj_load("/nonexistent/x.json", &bj, why, sizeof(why)),
		-ENOENT);
}

static void test_result_names(void **state)
{
	static const struct {
		const char *in, *out;
	} rows[] = {
		{ "move_pages/anon4k/batch:64/iterations:3/manual_time",
		  "move_pages.anon4k_batch_64" },
		{ "BM_x/repeats:5/min_time:0.5", "BM_x" },
		{ "a b/c\"d/e.f", "a_b.c_d_e_f" },
		{ "manual_time", "unnamed" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		char *n = pmig_bench_result_name(rows[i].in);

		assert_string_equal(n, rows[i].out);
		free(n);
	}
}

static void test_summary_and_run(void **state)
{
	struct pmig_bj *bj = parse(pmig_json);
	struct pmig_bench_summary s;
	const struct pmig_result *r;
	struct pmig_run *run;

	(void)state;
	assert_int_equal(pmig_bench_summarize(bj, &bj->benches[0], &s), 0);
	assert_int_equal(s.reps, 2);
	assert_true(s.bytes_per_second == 200); /* median of 100 and 300 */
	assert_int_equal(s.ncalls, 6);
	/* Nearest rank over 1000..6000: p50 the 3rd, p90 and max the 6th. */
	assert_true(s.p50_ns == 3000 && s.p90_ns == 6000 && s.max_ns == 6000);
	assert_true(fabs(s.seconds - 21e-6) < 1e-12); /* iteration times */

	run = pmig_bench_run_from_json(bj);
	assert_non_null(run);
	assert_string_equal(pmig_run_suite(run), "pmig.bench");
	assert_string_equal(pmig_run_get_meta(run, "hostname"), "box");
	assert_string_equal(pmig_run_get_meta(run, "kernel"), "6.1.0");
	/* 2026-11-22T12:00:00+01:00 is 11:00 UTC. */
	assert_true(pmig_run_start(run) == 1795345200.0);
	assert_int_equal(pmig_run_count(run), 3);
	r = pmig_run_result(run, 0);
	assert_string_equal(r->name, "mp");
	assert_int_equal(r->outcome, PMIG_PASS);
	assert_true(r->has_number && r->number == 200);
	assert_string_equal(r->unit, "B/s");
	assert_string_equal(r->measure, "median throughput");
	assert_non_null(strstr(r->misc, "\"call_p99_ns\":6000"));
	assert_non_null(strstr(r->misc, "\"strategy\":\"move_pages\""));
	r = pmig_run_result(run, 1);
	assert_int_equal(r->outcome, PMIG_FAIL);
	assert_false(r->has_number);
	assert_string_equal(r->reason, "page 3 on node 0");
	r = pmig_run_result(run, 2);
	assert_int_equal(r->outcome, PMIG_SKIP);
	assert_string_equal(r->reason, "no swap");
	pmig_run_free(run);
	pmig_bj_free(bj);
}

/* The clock of every emulation text pmig bench and pmig vm write; unsaid is a host's. */
static void test_clock(void **state)
{
	static const struct {
		const char *emu;
		enum pmig_bj_clock clock;
	} rows[] = {
		{ "instruction-counted (QEMU TCG icount shift=0)",
		  PMIG_BJ_CLOCK_ICOUNT },
		{ "tcg-icount", PMIG_BJ_CLOCK_ICOUNT },
		{ "emulated (QEMU TCG)", PMIG_BJ_CLOCK_TCG },
		{ "tcg", PMIG_BJ_CLOCK_TCG },
		{ "bare metal", PMIG_BJ_CLOCK_HOST },
		{ "virtualized (QEMU kvm)", PMIG_BJ_CLOCK_HOST },
		{ NULL, PMIG_BJ_CLOCK_HOST },
	};
	struct pmig_bj *bj;

	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		if (pmig_bj_emulation_clock(rows[i].emu) != rows[i].clock)
			fail_msg("%s: clock %d, want %d",
				 rows[i].emu ? rows[i].emu : "NULL",
				 pmig_bj_emulation_clock(rows[i].emu),
				 rows[i].clock);
	assert_true(pmig_bj_emulation_counted("tcg-icount"));
	assert_false(pmig_bj_emulation_counted("emulated (QEMU TCG)"));
	/* pmig bench's key first, then a plain "emulation". */
	bj = parse("{\"context\": {\"emulation\": \"tcg\", "
		   "\"pmig_emulation\": \"bare metal\"}, \"benchmarks\": []}");
	assert_string_equal(pmig_bj_emulation(bj), "bare metal");
	pmig_bj_free(bj);
	bj = parse("{\"context\": {\"emulation\": \"tcg\"}, "
		   "\"benchmarks\": []}");
	assert_string_equal(pmig_bj_emulation(bj), "tcg");
	pmig_bj_free(bj);
	bj = parse("{\"benchmarks\": []}");
	assert_null(pmig_bj_emulation(bj));
	pmig_bj_free(bj);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pmig_shape),
		cmocka_unit_test(test_states),
		cmocka_unit_test(test_plain_shape),
		cmocka_unit_test(test_bench_names),
		cmocka_unit_test(test_huge_numbers),
		cmocka_unit_test(test_rejects),
		cmocka_unit_test(test_result_names),
		cmocka_unit_test(test_summary_and_run),
		cmocka_unit_test(test_clock),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
