/* test_shim.c - unit tests of the benchmark shim's bookkeeping (iterations, samples, counters, errors, notes) and of the JSON it writes, against a fake Google Benchmark. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <unistd.h>

#include <json-c/json.h>

#include "bench_fake_gb.h"
#include "json_out.h"
#include "shim.h"

/* What a test benchmark does, set by each test. */
static struct script {
	int calls_per_iter;
	long fail_at; /* iteration that fails, -1 none */
	bool unavailable; /* before the loop */
	bool stop_early; /* returns after one iteration without a reason */
	uint64_t bytes;
	const char *strategy;
	double threads;
} script;

static void body(struct pmig_bench_state *st, void *arg)
{
	(void)arg;
	pmig_bench_note_text(st, "strategy", script.strategy);
	pmig_bench_note_num(st, "bytes", (double)script.bytes);
	pmig_bench_note_num(st, "threads", script.threads);
	pmig_bench_note_num(st, "from", 0);
	pmig_bench_note_num(st, "to", 1);
	pmig_bench_note_num(st, "c.pswpin", 7);
	if (script.unavailable) {
		pmig_bench_unavailable(st, "no swap: %s", "test");
		return;
	}
	pmig_bench_set_work(st, script.bytes, script.bytes / 4096);
	while (pmig_bench_next(st)) {
		long it = pmig_bench_iteration(st);

		/* Call k of iteration i took 1000 * (i + 1) + k ns. */
		for (int k = 0; k < script.calls_per_iter; k++)
			pmig_bench_sample(st, (uint64_t)(1000 * (it + 1) + k));
		if (it == script.fail_at) {
			pmig_bench_fail(st, "page %d on node %d", 3, 0);
			pmig_bench_fail(st, "a second reason is ignored");
		}
		if (script.stop_early)
			return;
	}
}

static int setup(void **state)
{
	(void)state;
	pmig_bench_reset();
	memset(&fake, 0, sizeof(fake));
	script = (struct script){ .calls_per_iter = 2,
				  .fail_at = -1,
				  .bytes = 1 << 20,
				  .strategy = "move_pages",
				  .threads = 1 };
	return 0;
}

static void registers_and_refuses_bad_input(void **state)
{
	(void)state;
	assert_int_equal(pmig_bench_register("a/b", body, NULL, 5), 0);
	assert_int_equal(pmig_bench_register("c/d", body, &script, 1), 1);
	assert_int_equal(pmig_bench_register("", body, NULL, 5), -EINVAL);
	assert_int_equal(pmig_bench_register("x", NULL, NULL, 5), -EINVAL);
	assert_int_equal(pmig_bench_register("x", body, NULL, 0), -EINVAL);
	assert_int_equal(pmig_bench_count(), 2);
	assert_string_equal(pmig_bench_name(1), "c/d");
	assert_ptr_equal(pmig_bench_arg(1), &script);
	assert_null(pmig_bench_name(2));
	assert_string_equal(fake.names[0], "a/b");
	assert_int_equal(fake.reg_iterations[1], 1);
}

static void manual_time_is_the_sum_of_samples(void **state)
{
	const struct pmig_bench_run *r;
	size_t n;

	(void)state;
	assert_int_equal(pmig_bench_register("m", body, NULL, 3), 0);
	fake_run(0, 3);
	r = pmig_bench_runs(&n);
	assert_int_equal(n, 1);
	assert_int_equal(r->status, PMIG_RUN_VERIFIED);
	assert_int_equal(r->niters, 3);
	assert_int_equal(fake.ntimes, 3);
	/* Iteration 0: 1000 + 1001 ns. */
	assert_int_equal(r->iter_ns[0], 2001);
	assert_int_equal(r->iter_ns[2], 6001);
	assert_true(fake.times[1] > 4000.5e-9 && fake.times[1] < 4001.5e-9);
	assert_int_equal(r->ncalls, 6);
	assert_int_equal(r->call_ns[5], 3001);
	assert_string_equal(fake.label, "pmig-run:1");
	assert_ptr_equal(pmig_bench_run_by_id(1), r);
	assert_null(pmig_bench_run_by_id(2));
}

static void rates_and_latency_counters(void **state)
{
	const struct fake_counter *c;

	(void)state;
	assert_int_equal(pmig_bench_register("m", body, NULL, 3), 0);
	fake_run(0, 3);
	c = fake_counter("bytes_per_second");
	assert_non_null(c);
	/* Google Benchmark divides a rate by the run's manual time. */
	assert_true(c->value == 3.0 * (1 << 20));
	assert_int_equal(c->flags, PMIG_COUNTER_RATE);
	c = fake_counter("pages_per_second");
	assert_true(c && c->value == 3.0 * 256);
	c = fake_counter("calls");
	assert_true(c && c->value == 6 &&
		    c->flags == PMIG_COUNTER_PER_ITERATION);
	assert_true(fake_counter("verified")->value == 1);
	/* Nearest rank of 1000,1001,2000,2001,3000,3001 ns in us. */
	assert_true(fake_counter("lat_p50_us")->value == 2.0);
	assert_true(fake_counter("lat_max_us")->value == 3.001);
	assert_int_equal(fake.nerrors, 0);
}

static void a_failure_ends_the_run_without_numbers(void **state)
{
	const struct pmig_bench_run *r;
	size_t n;

	(void)state;
	script.fail_at = 1;
	assert_int_equal(pmig_bench_register("f", body, NULL, 5), 0);
	fake_run(0, 5);
	r = pmig_bench_runs(&n);
	assert_int_equal(r->status, PMIG_RUN_FAILED);
	assert_string_equal(r->message, "page 3 on node 0");
	assert_int_equal(fake.nerrors, 1);
	assert_string_equal(fake.error, "page 3 on node 0");
	assert_int_equal(r->niters, 2);
	assert_null(fake_counter("verified"));
	assert_null(fake_counter("bytes_per_second"));
	/* The label still names the run: the JSON writer finds it. */
	assert_string_equal(fake.label, "pmig-run:1");
}

static void unavailable_before_the_loop(void **state)
{
	const struct pmig_bench_run *r;
	size_t n;

	(void)state;
	script.unavailable = true;
	assert_int_equal(pmig_bench_register("u", body, NULL, 5), 0);
	fake_run(0, 5);
	r = pmig_bench_runs(&n);
	assert_int_equal(r->status, PMIG_RUN_UNAVAILABLE);
	assert_string_equal(r->message, "unavailable: no swap: test");
	assert_string_equal(fake.error, r->message);
	assert_int_equal(r->niters, 0);
}

static void stopping_early_is_a_failure(void **state)
{
	const struct pmig_bench_run *r;
	size_t n;

	(void)state;
	script.stop_early = true;
	assert_int_equal(pmig_bench_register("s", body, NULL, 5), 0);
	fake_run(0, 5);
	r = pmig_bench_runs(&n);
	assert_int_equal(r->status, PMIG_RUN_FAILED);
	assert_non_null(strstr(r->message, "ended after 1 iterations"));
	assert_int_equal(fake.nerrors, 1);
}

static void notes_overwrite_and_fill_up(void **state)
{
	const struct pmig_bench_run *r;
	size_t n;

	(void)state;
	assert_int_equal(pmig_bench_register("n", body, NULL, 1), 0);
	fake_run(0, 1);
	r = pmig_bench_runs(&n);
	assert_string_equal(r->notes[0].key, "strategy");
	assert_true(r->notes[0].is_text);
	assert_string_equal(r->notes[0].text, "move_pages");
	assert_true(r->notes[1].num == 1 << 20);
}

static void series_body(struct pmig_bench_state *st, void *arg)
{
	char name[16];

	(void)arg;
	for (int i = 0; i < 100; i++)
		assert_int_equal(pmig_bench_series_add(st, "t_ns", i * 10.0),
				 0);
	assert_int_equal(pmig_bench_series_add(st, "goal", 0.5), 0);
	assert_int_equal(pmig_bench_series_add(st, "", 1), -EINVAL);
	assert_int_equal(pmig_bench_series_add(st, "name-of-16-chars", 1),
			 -EINVAL);
	for (int i = 2; i < PMIG_MAX_SERIES; i++) {
		snprintf(name, sizeof(name), "s%d", i);
		assert_int_equal(pmig_bench_series_add(st, name, i), 0);
	}
	assert_int_equal(pmig_bench_series_add(st, "one-too-many", 1), -ENOSPC);
	while (pmig_bench_next(st))
		pmig_bench_sample(st, 1);
}

/* A series keeps every value in order, past its first allocation; names and the count are bounded. */
static void series_keep_every_value(void **state)
{
	const struct pmig_bench_run *r;
	size_t n;

	(void)state;
	assert_int_equal(pmig_bench_register("s", series_body, NULL, 1), 0);
	fake_run(0, 1);
	r = pmig_bench_runs(&n);
	assert_int_equal(r->nseries, PMIG_MAX_SERIES);
	assert_string_equal(r->series[0].name, "t_ns");
	assert_int_equal(r->series[0].n, 100);
	assert_true(r->series[0].v[99] == 990.0);
	assert_string_equal(r->series[1].name, "goal");
	assert_true(r->series[1].v[0] == 0.5);
}

static void note_limits_body(struct pmig_bench_state *st, void *arg)
{
	char key[16];

	(void)arg;
	assert_int_equal(pmig_bench_note_num(st, "k", 1), 0);
	assert_int_equal(pmig_bench_note_num(st, "k", 2), 0);
	assert_int_equal(pmig_bench_note_num(st, "", 2), -EINVAL);
	assert_int_equal(
		pmig_bench_note_num(
			st,
			"a-key-longer-than-forty-seven-characters-is-refused",
			2),
		-EINVAL);
	for (int i = 1; i < PMIG_MAX_NOTES; i++) {
		snprintf(key, sizeof(key), "k%d", i);
		assert_int_equal(pmig_bench_note_num(st, key, i), 0);
	}
	assert_int_equal(pmig_bench_note_text(st, "one-more", "x"), -ENOSPC);
	assert_int_equal(pmig_bench_counter(st, "", 1, 0), -EINVAL);
	while (pmig_bench_next(st))
		pmig_bench_sample(st, 1);
}

static void note_limits(void **state)
{
	const struct pmig_bench_run *r;
	size_t n;

	(void)state;
	assert_int_equal(pmig_bench_register("l", note_limits_body, NULL, 1),
			 0);
	fake_run(0, 1);
	r = pmig_bench_runs(&n);
	assert_int_equal(r->nnotes, PMIG_MAX_NOTES);
	assert_true(r->notes[0].num == 2);
	assert_int_equal(r->status, PMIG_RUN_VERIFIED);
}

/* Google Benchmark's JSON for runs 1 (memcpy) and 2 (move_pages), an aggregate and a failed run 3. */
static const char gb_json[] =
	"{\"context\": {\"date\": \"x\"}, \"benchmarks\": ["
	"{\"name\": \"memcpy\", \"run_type\": \"iteration\", \"label\": \"pmig-run:1\"},"
	"{\"name\": \"mp\", \"run_type\": \"iteration\", \"label\": \"pmig-run:2\"},"
	"{\"name\": \"mp_mean\", \"run_type\": \"aggregate\", \"label\": \"pmig-run:2\"},"
	"{\"name\": \"bad\", \"run_type\": \"iteration\", \"error_occurred\": true,"
	" \"error_message\": \"page 3 on node 0\", \"label\": \"pmig-run:3\"}]}";

static json_object *get(json_object *o, const char *path)
{
	char key[64];
	const char *dot;

	while (o && *path) {
		dot = strchr(path, '.');
		snprintf(key, sizeof(key), "%.*s",
			 (int)(dot ? dot - path : (long)strlen(path)), path);
		if (json_object_is_type(o, json_type_array))
			o = json_object_array_get_idx(o, (size_t)atoi(key));
		else if (!json_object_object_get_ex(o, key, &o))
			return NULL;
		path = dot ? dot + 1 : "";
	}
	return o;
}

static void report_adds_samples_and_efficiency(void **state)
{
	char dir[] = "/tmp/pmig-test-XXXXXX", gb[64], out[64], tmp[80];
	struct pmig_report_summary sum;
	json_object *root;
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(gb, sizeof(gb), "%s/gb.json", dir);
	snprintf(out, sizeof(out), "%s/out.json", dir);
	f = fopen(gb, "w");
	fputs(gb_json, f);
	fclose(f);

	/* Run 1: memcpy, 1 call per iteration; run 2: move_pages at half its speed. */
	script.calls_per_iter = 1;
	script.strategy = "memcpy";
	assert_int_equal(pmig_bench_register("memcpy", body, NULL, 2), 0);
	fake_run(0, 2);
	script.calls_per_iter = 2;
	script.strategy = "move_pages";
	assert_int_equal(pmig_bench_register("mp", body, NULL, 2), 1);
	fake_run(1, 2);
	script.fail_at = 0;
	assert_int_equal(pmig_bench_register("bad", body, NULL, 2), 2);
	fake_run(2, 2);

	assert_int_equal(pmig_report_write(gb, out, "<topology/>", &sum), 0);
	assert_int_equal(sum.verified, 2);
	assert_int_equal(sum.failed, 1);
	snprintf(tmp, sizeof(tmp), "%s.tmp", out);
	assert_int_equal(access(tmp, F_OK), -1);
	root = json_object_from_file(out);
	assert_non_null(root);
	assert_string_equal(
		json_object_get_string(get(root, "pmig.topology_xml")),
		"<topology/>");
	assert_int_equal(json_object_get_int(get(root, "pmig.failed")), 1);
	assert_string_equal(
		json_object_get_string(get(root, "benchmarks.1.pmig.status")),
		"verified");
	/* Iterations of run 2: (1000 + 1001) and (2000 + 2001) ns. */
	assert_int_equal(json_object_array_length(
				 get(root, "benchmarks.1.pmig.iteration_ns")),
			 2);
	assert_int_equal(json_object_get_int64(
				 get(root, "benchmarks.1.pmig.iteration_ns.1")),
			 4001);
	assert_int_equal(json_object_array_length(
				 get(root, "benchmarks.1.pmig.call_ns")),
			 4);
	assert_int_equal(
		json_object_get_int64(get(root, "benchmarks.1.pmig.call_ns.3")),
		2001);
	assert_true(json_object_get_double(get(
			    root, "benchmarks.1.pmig.latency_ns.p50")) == 1001);
	assert_true(json_object_get_double(get(
			    root, "benchmarks.1.pmig.latency_ns.max")) == 2001);
	assert_int_equal(json_object_get_int(get(
				 root, "benchmarks.1.pmig.counters.pswpin")),
			 7);
	/* memcpy moved 2 MiB in 3000 ns, move_pages 2 MiB in 6002 ns. */
	assert_true(fabs(json_object_get_double(
				 get(root, "benchmarks.1.pmig.efficiency")) -
			 3000.0 / 6002.0) < 1e-9);
	assert_true(json_object_get_double(
			    get(root, "benchmarks.0.pmig.efficiency")) == 1);
	/* The bound: 2 MiB in 3000 ns, in 10^9 bytes per second. */
	assert_true(fabs(json_object_get_double(get(
				 root, "benchmarks.1.pmig.copy_bound_gbps")) -
			 2097152.0 / 3000.0) < 1e-9);
	/* Aggregates carry no samples; a failed run carries its reason and no throughput. */
	assert_null(get(root, "benchmarks.2.pmig"));
	assert_string_equal(
		json_object_get_string(get(root, "benchmarks.3.pmig.status")),
		"failed");
	assert_string_equal(
		json_object_get_string(get(root, "benchmarks.3.pmig.message")),
		"page 3 on node 0");
	assert_null(get(root, "benchmarks.3.pmig.gbps"));
	json_object_put(root);

	/* No input: -ENOENT, and nothing written. */
	unlink(out);
	unlink(gb);
	assert_int_equal(pmig_report_write(gb, out, NULL, &sum), -ENOENT);
	assert_int_equal(access(out, F_OK), -1);
	/* Not Google Benchmark JSON: -EINVAL. */
	f = fopen(gb, "w");
	fputs("{\"context\": {}}", f);
	fclose(f);
	assert_int_equal(pmig_report_write(gb, out, NULL, &sum), -EINVAL);
	assert_int_equal(access(out, F_OK), -1);
	unlink(gb);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(registers_and_refuses_bad_input, setup),
		cmocka_unit_test_setup(manual_time_is_the_sum_of_samples,
				       setup),
		cmocka_unit_test_setup(rates_and_latency_counters, setup),
		cmocka_unit_test_setup(a_failure_ends_the_run_without_numbers,
				       setup),
		cmocka_unit_test_setup(unavailable_before_the_loop, setup),
		cmocka_unit_test_setup(stopping_early_is_a_failure, setup),
		cmocka_unit_test_setup(notes_overwrite_and_fill_up, setup),
		cmocka_unit_test_setup(note_limits, setup),
		cmocka_unit_test_setup(series_keep_every_value, setup),
		cmocka_unit_test_setup(report_adds_samples_and_efficiency,
				       setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
