/* case_start.c - a case as pmig-bench starts it: its notes, the pin to the from node's CPUs, and the timing program (pmig-timer) that runs its body. */
#include <errno.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "case_args.h"
#include "run.h"
#include "timer.h"
#include "util.h"

static void describe(struct pmig_bench_state *st,
		     const struct pmig_bench_case *c)
{
	pmig_bench_note_text(st, "strategy", c->strategy->name);
	pmig_bench_note_text(st, "workload", pmig_wl_name(c->wl));
	pmig_bench_note_num(st, "bytes", (double)c->bytes);
	pmig_bench_note_num(st, "from", c->pair.from);
	pmig_bench_note_num(st, "to", c->pair.to);
	pmig_bench_note_num(st, "distance", c->pair.distance);
	pmig_bench_note_num(st, "to_cpuless", c->pair.to_cpuless);
	pmig_bench_note_num(st, "cpu_node", c->pair.from);
	pmig_bench_note_num(st, "batch", (double)c->batch);
	pmig_bench_note_num(st, "threads", c->threads);
	pmig_bench_note_num(st, "accessors", c->accessors);
}

/* The caller runs on the from node's CPUs; the old affinity comes back after. */
static int pin(struct pmig_bench_state *st, const struct pmig_bench_case *c,
	       cpu_set_t *old)
{
	cpu_set_t set;

	if (sched_getaffinity(0, sizeof(*old), old) ||
	    pmig_cpulist_parse(c->from_cpus, &set) ||
	    sched_setaffinity(0, sizeof(set), &set)) {
		pmig_bench_unavailable(st, "cannot run on node %d's CPUs (%s)",
				       c->pair.from, c->from_cpus);
		return -1;
	}
	return 0;
}

/* PMIG_TIMER, else pmig-timer beside this program (build/bin, libexec/pmig, the guest's /pmig/bin). */
static int timing_program(char *path, size_t len)
{
	const char *env = getenv("PMIG_TIMER");
	char self[PATH_MAX];
	ssize_t n;
	char *slash;

	if (env && *env)
		return snprintf(path, len, "%s", env) < (int)len ? 0 : -1;
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n <= 0)
		return -1;
	self[n] = '\0';
	slash = strrchr(self, '/');
	if (!slash)
		return -1;
	*slash = '\0';
	return snprintf(path, len, "%s/pmig-timer", self) < (int)len ? 0 : -1;
}

void pmig_case_run(struct pmig_bench_state *st, void *arg)
{
	const struct pmig_bench_case *c = arg;
	struct pmig_case_args a;
	char program[PATH_MAX];
	char *args[PMIG_CASE_ARGS + 1];
	cpu_set_t old;

	describe(st, c);
	if (timing_program(program, sizeof(program))) {
		pmig_bench_fail(st,
				"cannot find the timing program pmig-timer");
		return;
	}
	if (pin(st, c, &old))
		return;
	pmig_case_args_make(c, pmig_probe_with_perf(pmig_run_probe()), &a);
	args[0] = program;
	memcpy(args + 1, a.argv, sizeof(a.argv));
	pmig_timer_exec(st, args);
	sched_setaffinity(0, sizeof(old), &old);
}
