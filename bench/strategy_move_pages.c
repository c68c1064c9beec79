/* strategy_move_pages.c - direct migration with move_pages(2), a batch of page addresses per call (1 to all). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "strategy.h"
#include "syscalls.h"
#include "tick.h"

struct mp {
	int *nodes;
	int *status;
};

static int prepare(struct pmig_bench_ctx *x)
{
	struct mp *m = calloc(1, sizeof(*m));
	size_t n = x->pages.count;

	if (m) {
		m->nodes = calloc(n, sizeof(*m->nodes));
		m->status = calloc(n, sizeof(*m->status));
	}
	if (!m || !m->nodes || !m->status) {
		x->priv = m;
		pmig_bench_fail(x->st, "out of memory");
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		m->nodes[i] = x->c->pair.to;
	x->priv = m;
	return 0;
}

static int migrate(struct pmig_bench_ctx *x)
{
	struct mp *m = x->priv;
	size_t n = x->pages.count;
	size_t batch = x->c->batch && x->c->batch < n ? x->c->batch : n;

	/* A value the kernel never stores: a status left alone shows. */
	for (size_t i = 0; i < n; i++)
		m->status[i] = -ESRCH;
	for (size_t i = 0, last = 0; i < n; i += batch) {
		unsigned long k = n - i < batch ? n - i : batch;
		uint64_t t0, t1;
		long ret;

		/* Under icount no call takes the tick (run.c starts the first past one). */
		if (i)
			pmig_tick_before(last);
		t0 = pmig_bench_now();
		ret = pmig_move_pages(0, k, x->pages.addrs + i, m->nodes + i,
				      m->status + i, x->move_flags);
		t1 = pmig_bench_now();
		pmig_bench_sample(x->st, t1 - t0);
		last = t1 - t0;
		if (ret == -EPERM && x->move_flags == MPOL_MF_MOVE_ALL) {
			pmig_bench_unavailable(
				x->st, "MPOL_MF_MOVE_ALL needs CAP_SYS_NICE");
			return -1;
		}
		if (ret) {
			pmig_bench_fail(x->st, "move_pages returned %ld%s%s",
					ret,
					ret < 0 ? " " : " (pages not migrated)",
					ret < 0 ? strerror((int)-ret) : "");
			return -1;
		}
	}
	for (size_t i = 0; i < n; i++) {
		if (m->status[i] != x->c->pair.to) {
			pmig_bench_fail(
				x->st,
				"move_pages status of page %zu is %d, not node %d",
				i, m->status[i], x->c->pair.to);
			return -1;
		}
	}
	return 0;
}

static void cleanup(struct pmig_bench_ctx *x)
{
	struct mp *m = x->priv;

	if (m) {
		free(m->nodes);
		free(m->status);
	}
	free(m);
	x->priv = NULL;
}

const struct pmig_strategy pmig_strategy_move_pages = {
	.name = "move_pages",
	.version = PMIG_STRATEGY_VERSION,
	.workloads = PMIG_WL(PMIG_WL_ANON) | PMIG_WL(PMIG_WL_THP) |
		     PMIG_WL(PMIG_WL_MTHP) | PMIG_WL(PMIG_WL_HUGETLB) |
		     PMIG_WL(PMIG_WL_SHMEM) | PMIG_WL(PMIG_WL_FILE_CLEAN) |
		     PMIG_WL(PMIG_WL_FILE_DIRTY) | PMIG_WL(PMIG_WL_SHARED),
	.flags = PMIG_SF_BATCHED,
	.others = "applies to every workload",
	.prepare = prepare,
	.reset = pmig_reset_to_from,
	.migrate = migrate,
	.cleanup = cleanup,
};
