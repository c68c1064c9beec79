/* accessors.c - pinned reader threads: one word per page, round and round, until told to stop. */
#include "accessors.h"

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "pagesizes.h"

struct accessor {
	pthread_t tid;
	struct pmig_accessors *set;
	long reads;
};

struct pmig_accessors {
	const volatile unsigned char *addr;
	size_t len;
	atomic_bool stop;
	atomic_int ready; /* threads that have made their first read */
	int nthreads;
	struct accessor *thr;
};

static void *accessor_main(void *arg)
{
	struct accessor *me = arg;
	struct pmig_accessors *s = me->set;
	bool first = true;
	long reads = 0;
	size_t step = pmig_page_sizes()->base; /* one word per base page */

	for (;;) {
		size_t off;

		for (off = 0; off + sizeof(unsigned long) <= s->len;
		     off += step) {
			/* Relaxed: the flag is checked every page, so a stop is seen within one read. */
			if (atomic_load_explicit(&s->stop,
						 memory_order_relaxed))
				goto out;
			(void)*(const volatile unsigned long *)(s->addr + off);
			reads++;
			if (first) {
				first = false;
				atomic_fetch_add(&s->ready, 1);
			}
		}
	}
out:
	me->reads = reads;
	return NULL;
}

/* Parses a Linux CPU list ("0-3,8") into @set; false when malformed. */
static bool parse_cpulist(const char *s, cpu_set_t *set)
{
	CPU_ZERO(set);
	while (*s && *s != '\n') {
		char *end;
		long lo = strtol(s, &end, 10), hi = lo;

		if (end == s || lo < 0)
			return false;
		s = end;
		if (*s == '-') {
			hi = strtol(s + 1, &end, 10);
			if (end == s + 1 || hi < lo)
				return false;
			s = end;
		}
		for (; lo <= hi && lo < CPU_SETSIZE; lo++)
			CPU_SET((int)lo, set);
		if (*s == ',')
			s++;
		else if (*s && *s != '\n')
			return false;
	}
	return true;
}

/*
 * Online CPUs, less the caller's current one. Deliberately not the caller's
 * affinity mask: a caller pinned to one CPU (or node) still wants its
 * accessors elsewhere. CPUs the cpuset forbids are found by pthread_create.
 */
static void candidate_cpus(cpu_set_t *set)
{
	char buf[4096];
	FILE *f = fopen("/sys/devices/system/cpu/online", "re");
	bool ok = false;
	int self = sched_getcpu();

	if (f) {
		ok = fgets(buf, sizeof(buf), f) && parse_cpulist(buf, set);
		fclose(f);
	}
	if (!ok && sched_getaffinity(0, sizeof(*set), set))
		CPU_ZERO(set);
	if (self >= 0 && self < CPU_SETSIZE)
		CPU_CLR(self, set);
}

/* The next CPU in @set after @prev, wrapping around; -1 when @set is empty. */
static int next_cpu(const cpu_set_t *set, int prev)
{
	int i;

	for (i = 1; i <= CPU_SETSIZE; i++) {
		int cpu = (prev + i) % CPU_SETSIZE;

		if (CPU_ISSET(cpu, set))
			return cpu;
	}
	return -1;
}

/* Starts @a on some CPU of @cpus from *@cpu on, dropping CPUs the cpuset refuses. */
static int start_one(struct accessor *a, cpu_set_t *cpus, int *cpu)
{
	for (;;) {
		pthread_attr_t attr;
		cpu_set_t one;
		int err;

		*cpu = next_cpu(cpus, *cpu);
		if (*cpu < 0)
			return -ENODEV;
		CPU_ZERO(&one);
		CPU_SET(*cpu, &one);
		err = pthread_attr_init(&attr);
		if (err)
			return -err;
		err = pthread_attr_setaffinity_np(&attr, sizeof(one), &one);
		if (!err)
			err = pthread_create(&a->tid, &attr, accessor_main, a);
		pthread_attr_destroy(&attr);
		if (err != EINVAL)
			return -err;
		CPU_CLR(*cpu, cpus);
	}
}

static void stop_threads(struct pmig_accessors *s, int started, long *reads)
{
	int i;

	atomic_store(&s->stop, true);
	for (i = 0; i < started; i++) {
		pthread_join(s->thr[i].tid, NULL);
		*reads += s->thr[i].reads;
	}
}

int pmig_accessors_start(struct pmig_accessors **out, const void *addr,
			 size_t len, int nthreads)
{
	struct pmig_accessors *s;
	cpu_set_t cpus;
	int cpu = -1, i, err = 0;
	long ignored = 0;

	if (!out)
		return -EINVAL;
	*out = NULL;
	if (nthreads < 0)
		return -EINVAL;
	if (nthreads == 0)
		return 0;
	if (!addr || len < sizeof(unsigned long) ||
	    (uintptr_t)addr % sizeof(unsigned long))
		return -EINVAL;
	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->thr = calloc((size_t)nthreads, sizeof(*s->thr));
	if (!s->thr) {
		free(s);
		return -ENOMEM;
	}
	s->addr = addr;
	s->len = len;
	s->nthreads = nthreads;
	atomic_init(&s->stop, false);
	atomic_init(&s->ready, 0);
	candidate_cpus(&cpus);
	for (i = 0; i < nthreads; i++) {
		s->thr[i].set = s;
		err = start_one(&s->thr[i], &cpus, &cpu);
		if (err)
			break;
	}
	if (err) {
		stop_threads(s, i, &ignored);
		free(s->thr);
		free(s);
		return err;
	}
	/* Until every thread has read once, a migration could miss them; the wait is short. */
	while (atomic_load(&s->ready) < nthreads)
		sched_yield();
	*out = s;
	return 0;
}

long pmig_accessors_stop(struct pmig_accessors *a)
{
	long reads = 0;

	if (!a)
		return 0;
	stop_threads(a, a->nthreads, &reads);
	free(a->thr);
	free(a);
	return reads;
}
