/* strategy_mbind.c - direct migration with mbind(2): MPOL_BIND to the target node with MPOL_MF_MOVE (MOVE_ALL for shared pages). */
#include <errno.h>
#include <string.h>

#include "strategy.h"
#include "syscalls.h"

static int migrate(struct pmig_bench_ctx *x)
{
	unsigned long mask[16] = { 0 };
	int to = x->c->pair.to;
	uint64_t t0, t1;
	long ret;

	mask[to / 64] = 1UL << (to % 64);
	t0 = pmig_bench_now();
	ret = pmig_mbind(x->pages.base, x->pages.count * x->pages.page_size,
			 MPOL_BIND, mask, (unsigned long)to + 2,
			 (unsigned)x->move_flags);
	t1 = pmig_bench_now();
	pmig_bench_sample(x->st, t1 - t0);
	if (ret == -EPERM && x->move_flags == MPOL_MF_MOVE_ALL) {
		pmig_bench_unavailable(x->st,
				       "MPOL_MF_MOVE_ALL needs CAP_SYS_NICE");
		return -1;
	}
	if (ret < 0) {
		pmig_bench_fail(x->st, "mbind: %s", strerror((int)-ret));
		return -1;
	}
	return 0;
}

const struct pmig_strategy pmig_strategy_mbind_move = {
	.name = "mbind_move",
	.version = PMIG_STRATEGY_VERSION,
	.workloads = PMIG_WL(PMIG_WL_ANON) | PMIG_WL(PMIG_WL_THP) |
		     PMIG_WL(PMIG_WL_MTHP) | PMIG_WL(PMIG_WL_HUGETLB) |
		     PMIG_WL(PMIG_WL_SHMEM) | PMIG_WL(PMIG_WL_FILE_CLEAN) |
		     PMIG_WL(PMIG_WL_FILE_DIRTY) | PMIG_WL(PMIG_WL_SHARED),
	.others = "applies to every workload",
	.reset = pmig_reset_to_from,
	.migrate = migrate,
};
