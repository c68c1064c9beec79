/* strategy_migrate_pages.c - direct migration with migrate_pages(2): every page of the process on the from node, in one call. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>

#include "strategy.h"
#include "syscalls.h"

struct mg {
	unsigned long from[16], to[16];
	unsigned long maxnode;
	bool nice_dropped;
};

/* CAP_SYS_NICE in the effective set: on, or off (migrate_pages then moves only pages this process alone maps). */
static int sys_nice(bool on)
{
	cap_t caps = cap_get_proc();
	cap_value_t v = CAP_SYS_NICE;
	int ret = -1;

	if (caps &&
	    !cap_set_flag(caps, CAP_EFFECTIVE, 1, &v, on ? CAP_SET : CAP_CLEAR))
		ret = cap_set_proc(caps);
	cap_free(caps);
	return ret;
}

static int prepare(struct pmig_bench_ctx *x)
{
	struct mg *m = calloc(1, sizeof(*m));
	int from = x->c->pair.from, to = x->c->pair.to;
	long ret;

	x->priv = m;
	if (!m) {
		pmig_bench_fail(x->st, "out of memory");
		return -1;
	}
	m->from[from / 64] = 1UL << (from % 64);
	m->to[to / 64] = 1UL << (to % 64);
	/* maxnode counts one more bit than the highest node the kernel reads. */
	m->maxnode = (unsigned long)(from > to ? from : to) + 2;
	/*
	 * With CAP_SYS_NICE the call would also move the pages of shared
	 * libraries that other processes map: it goes while the run lasts.
	 */
	m->nice_dropped = sys_nice(false) == 0;
	/*
	 * An untimed first call moves the rest of this process (stack, heap,
	 * libraries' private pages) once, so the timed calls move the
	 * benchmark's pages and only what the process touched since.
	 */
	ret = pmig_migrate_pages(0, m->maxnode, m->from, m->to);
	if (ret < 0) {
		pmig_bench_fail(x->st, "migrate_pages: %s",
				strerror((int)-ret));
		return -1;
	}
	return 0;
}

static int migrate(struct pmig_bench_ctx *x)
{
	struct mg *m = x->priv;
	uint64_t t0, t1;
	long ret;

	t0 = pmig_bench_now();
	ret = pmig_migrate_pages(0, m->maxnode, m->from, m->to);
	t1 = pmig_bench_now();
	pmig_bench_sample(x->st, t1 - t0);
	if (ret < 0) {
		pmig_bench_fail(x->st, "migrate_pages: %s",
				strerror((int)-ret));
		return -1;
	}
	/* A positive count may be pages of the process outside the benchmark: the checks decide. */
	return 0;
}

static void cleanup(struct pmig_bench_ctx *x)
{
	struct mg *m = x->priv;

	if (m && m->nice_dropped)
		sys_nice(true);
	free(m);
	x->priv = NULL;
}

const struct pmig_strategy pmig_strategy_migrate_pages = {
	.name = "migrate_pages",
	.version = PMIG_STRATEGY_VERSION,
	.workloads = PMIG_WL(PMIG_WL_ANON) | PMIG_WL(PMIG_WL_THP) |
		     PMIG_WL(PMIG_WL_MTHP) | PMIG_WL(PMIG_WL_HUGETLB) |
		     PMIG_WL(PMIG_WL_SHMEM) | PMIG_WL(PMIG_WL_FILE_CLEAN) |
		     PMIG_WL(PMIG_WL_FILE_DIRTY),
	.others =
		"not shared: moving pages another process maps takes CAP_SYS_NICE, which would also move every shared library page of the process",
	.prepare = prepare,
	.reset = pmig_reset_to_from,
	.migrate = migrate,
	.cleanup = cleanup,
};
