/* bench_fake_gb.h - a fake Google Benchmark behind bench/gb.h for unit tests of the C side: it records what the shim tells it. Include once per test program. */
#ifndef PMIG_BENCH_FAKE_GB_H
#define PMIG_BENCH_FAKE_GB_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gb.h"

#define FAKE_MAX 64

struct fake_counter {
	char name[48];
	double value;
	unsigned flags;
};

/* What one fake run saw. */
static struct fake_gb {
	long iterations; /* the run's iteration count */
	long left; /* keep_running answers true this many more times */
	double times[FAKE_MAX];
	int ntimes;
	struct fake_counter counters[FAKE_MAX];
	int ncounters;
	char label[64];
	char error[256];
	int nerrors;
	char names[FAKE_MAX][128];
	long reg_iterations[FAKE_MAX];
	int nregs;
	char context[FAKE_MAX][2][256];
	int ncontext;
} fake;

static void fake_start(long iterations)
{
	memset(&fake.times, 0, sizeof(fake.times));
	fake.iterations = fake.left = iterations;
	fake.ntimes = fake.ncounters = fake.nerrors = 0;
	fake.label[0] = fake.error[0] = '\0';
}

static const struct fake_counter *fake_counter(const char *name)
{
	for (int i = 0; i < fake.ncounters; i++)
		if (!strcmp(fake.counters[i].name, name))
			return &fake.counters[i];
	return NULL;
}

bool pmig_gb_keep_running(void *gs)
{
	(void)gs;
	if (fake.nerrors || fake.left <= 0)
		return false;
	fake.left--;
	return true;
}

void pmig_gb_set_iteration_time(void *gs, double seconds)
{
	(void)gs;
	if (fake.ntimes < FAKE_MAX)
		fake.times[fake.ntimes++] = seconds;
}

void pmig_gb_set_counter(void *gs, const char *name, double value,
			 unsigned flags)
{
	struct fake_counter *c = (struct fake_counter *)fake_counter(name);

	(void)gs;
	if (!c && fake.ncounters < FAKE_MAX)
		c = &fake.counters[fake.ncounters++];
	if (!c)
		return;
	snprintf(c->name, sizeof(c->name), "%s", name);
	c->value = value;
	c->flags = flags;
}

void pmig_gb_set_label(void *gs, const char *label)
{
	(void)gs;
	snprintf(fake.label, sizeof(fake.label), "%s", label);
}

void pmig_gb_skip_with_error(void *gs, const char *message)
{
	(void)gs;
	if (!fake.nerrors++)
		snprintf(fake.error, sizeof(fake.error), "%s", message);
}

long pmig_gb_iterations(void *gs)
{
	(void)gs;
	return fake.iterations;
}

int pmig_gb_register(const char *name, int bench, long iterations)
{
	(void)bench;
	if (fake.nregs == FAKE_MAX)
		return -1;
	snprintf(fake.names[fake.nregs], sizeof(fake.names[0]), "%s", name);
	fake.reg_iterations[fake.nregs++] = iterations;
	return 0;
}

int pmig_gb_init(int *argc, char **argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

void pmig_gb_add_context(const char *key, const char *value)
{
	if (fake.ncontext == FAKE_MAX)
		return;
	snprintf(fake.context[fake.ncontext][0], 256, "%s", key);
	snprintf(fake.context[fake.ncontext++][1], 256, "%s", value);
}

long pmig_gb_run(void)
{
	return 0;
}

/* Runs registered benchmark @bench as Google Benchmark would: one call, @iterations iterations. */
static __attribute__((unused)) void fake_run(int bench, long iterations)
{
	fake_start(iterations);
	pmig_bench_run_one(bench, &fake);
}

#endif
