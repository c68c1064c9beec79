/* test_timer.c - unit tests of the timing process: a benchmark body run in a forked child gives the parent the same run as run in place (samples, notes, counters, failures), a child that dies fails the run, and the timing program runs a real case. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench_fake_gb.h"
#include "case_args.h"
#include "shim.h"
#include "timer.h"

/* What the body does, set by each test. */
static struct script {
	long fail_at; /* iteration that fails, -1 none */
	bool unavailable; /* before the loop */
	bool stop_early; /* returns after one iteration without a reason */
	bool die; /* the child is killed in its second iteration */
	int calls_per_iter;
	pid_t pid; /* the process the body ran in */
} script;

static void body(struct pmig_bench_state *st, void *arg)
{
	(void)arg;
	pmig_bench_note_text(st, "strategy", "move_pages");
	pmig_bench_note_num(st, "pid", (double)getpid());
	if (script.unavailable) {
		pmig_bench_unavailable(st, "no swap: %s", "test");
		return;
	}
	pmig_bench_set_work(st, 1 << 20, 256);
	while (pmig_bench_next(st)) {
		long it = pmig_bench_iteration(st);

		/* Call k of iteration i took 1000 * (i + 1) + k ns. */
		for (int k = 0; k < script.calls_per_iter; k++)
			pmig_bench_sample(st, (uint64_t)(1000 * (it + 1) + k));
		pmig_bench_series_add(st, "moved", (double)it);
		if (it == script.fail_at)
			pmig_bench_fail(st, "page %d on node %d", 3, 0);
		if (script.die && it == 1)
			raise(SIGKILL);
		if (script.stop_early)
			return;
	}
	pmig_bench_counter(st, "c.pgmigrate_success", 512,
			   PMIG_COUNTER_PER_ITERATION);
}

static void in_child(struct pmig_bench_state *st, void *arg)
{
	pmig_timer_run(st, body, arg);
}

static int setup(void **state)
{
	(void)state;
	pmig_bench_reset();
	memset(&fake, 0, sizeof(fake));
	script = (struct script){ .fail_at = -1, .calls_per_iter = 2 };
	return 0;
}

static const struct pmig_bench_run *run(long iterations)
{
	size_t n;

	assert_int_equal(pmig_bench_register("t", in_child, NULL, iterations),
			 0);
	fake_run(0, iterations);
	return &pmig_bench_runs(&n)[n - 1];
}

static void the_child_reports_what_it_measured(void **state)
{
	const struct pmig_bench_run *r;
	const struct pmig_note *pid;

	(void)state;
	/* 3000 calls: more than one message of samples per iteration. */
	script.calls_per_iter = 1000;
	r = run(3);
	assert_int_equal(r->status, PMIG_RUN_VERIFIED);
	pid = pmig_bench_run_note(r, "pid");
	assert_non_null(pid);
	assert_true(pid->num != (double)getpid());
	assert_string_equal(pmig_bench_run_note(r, "strategy")->text,
			    "move_pages");
	assert_int_equal(r->niters, 3);
	assert_int_equal(r->ncalls, 3000);
	/* Iteration 1: 2000 + 2001 + ... + 2999 ns, each call in its own iteration. */
	assert_int_equal(r->iter_ns[1], 1000 * 2000 + 999 * 1000 / 2);
	assert_int_equal(r->call_ns[2999], 3999);
	assert_int_equal(r->nseries, 1);
	assert_int_equal(r->series[0].n, 3);
	assert_true(fake_counter("c.pgmigrate_success")->value == 512);
	assert_true(fake_counter("bytes_per_second")->value == 3.0 * (1 << 20));
	assert_int_equal(fake.nerrors, 0);
}

static void a_failure_in_the_child_fails_the_run(void **state)
{
	const struct pmig_bench_run *r;

	(void)state;
	script.fail_at = 1;
	r = run(5);
	assert_int_equal(r->status, PMIG_RUN_FAILED);
	assert_string_equal(r->message, "page 3 on node 0");
	assert_int_equal(r->niters, 2);
	assert_int_equal(r->ncalls, 4);
	assert_int_equal(fake.nerrors, 1);
}

static void unavailable_in_the_child(void **state)
{
	const struct pmig_bench_run *r;

	(void)state;
	script.unavailable = true;
	r = run(5);
	assert_int_equal(r->status, PMIG_RUN_UNAVAILABLE);
	assert_string_equal(r->message, "unavailable: no swap: test");
}

static void a_child_stopping_early_fails(void **state)
{
	const struct pmig_bench_run *r;

	(void)state;
	script.stop_early = true;
	r = run(5);
	assert_int_equal(r->status, PMIG_RUN_FAILED);
	assert_non_null(strstr(r->message, "ended after 1 iterations"));
}

static void a_killed_child_fails_with_the_signal(void **state)
{
	const struct pmig_bench_run *r;

	(void)state;
	script.die = true;
	r = run(5);
	assert_int_equal(r->status, PMIG_RUN_FAILED);
	assert_string_equal(r->message,
			    "timing process killed by signal 9 (Killed)");
	assert_int_equal(fake.nerrors, 1);
}

/* The timing program the build made beside this test: build/bin/pmig-timer. */
static char program[PATH_MAX];
static char *exec_args[PMIG_CASE_ARGS + 1];

static void in_program(struct pmig_bench_state *st, void *arg)
{
	(void)arg;
	pmig_timer_exec(st, exec_args);
}

static const struct pmig_bench_run *run_program(long iterations,
						char *const *words)
{
	size_t n, i = 0;

	exec_args[0] = program;
	for (; words && words[i]; i++)
		exec_args[i + 1] = words[i];
	exec_args[i + 1] = NULL;
	assert_int_equal(pmig_bench_register("p", in_program, NULL, iterations),
			 0);
	fake_run(0, iterations);
	return &pmig_bench_runs(&n)[n - 1];
}

static void find_program(void)
{
	ssize_t n = readlink("/proc/self/exe", program, sizeof(program) - 32);
	char *slash;

	assert_true(n > 0);
	program[n] = '\0';
	slash = strrchr(program, '/');
	assert_non_null(slash);
	strcpy(slash, "/../bin/pmig-timer");
}

/* A copy between two buffers on node 0: a real case any machine can run. */
static void the_timing_program_runs_a_case(void **state)
{
	struct pmig_bench_case c = {
		.strategy = &pmig_strategy_memcpy,
		.wl = PMIG_WL_ANON,
		.bytes = 64 * 4096,
		.threads = 1,
		.pair = { .from = 0, .to = 0, .distance = 10 },
		.from_cpus = "0",
		.iterations = 3,
		.name = "memcpy/anon/256K/0to0/threads:1",
	};
	const struct pmig_bench_run *r;
	struct pmig_case_args a;

	(void)state;
	find_program();
	pmig_case_args_make(&c, false, &a);
	r = run_program(3, a.argv);
	assert_string_equal(r->message, "");
	assert_int_equal(r->status, PMIG_RUN_VERIFIED);
	assert_int_equal(r->niters, 3);
	assert_int_equal(r->ncalls, 3);
	assert_int_equal(pmig_bench_run_note(r, "pages")->num, 64);
	assert_true(fake_counter("bytes_per_second")->value == 3.0 * 64 * 4096);
}

static void a_bad_case_fails_in_the_program(void **state)
{
	char *words[] = { "name=x", "strategy=teleport", "bytes=4096",
			  "from_cpus=0", NULL };
	const struct pmig_bench_run *r;

	(void)state;
	find_program();
	r = run_program(2, words);
	assert_int_equal(r->status, PMIG_RUN_FAILED);
	assert_string_equal(
		r->message,
		"timing program: bad case word 'strategy=teleport'");
}

static void a_missing_program_fails_the_run(void **state)
{
	const struct pmig_bench_run *r;

	(void)state;
	snprintf(program, sizeof(program), "/nonexistent/pmig-timer");
	r = run_program(2, NULL);
	assert_int_equal(r->status, PMIG_RUN_FAILED);
	assert_string_equal(
		r->message,
		"cannot start the timing program /nonexistent/pmig-timer: No such file or directory");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(the_child_reports_what_it_measured,
				       setup),
		cmocka_unit_test_setup(a_failure_in_the_child_fails_the_run,
				       setup),
		cmocka_unit_test_setup(unavailable_in_the_child, setup),
		cmocka_unit_test_setup(a_child_stopping_early_fails, setup),
		cmocka_unit_test_setup(a_killed_child_fails_with_the_signal,
				       setup),
		cmocka_unit_test_setup(the_timing_program_runs_a_case, setup),
		cmocka_unit_test_setup(a_bad_case_fails_in_the_program, setup),
		cmocka_unit_test_setup(a_missing_program_fails_the_run, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
