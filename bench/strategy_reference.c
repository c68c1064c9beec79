/* strategy_reference.c - the user-space reference migrator (refmig.h): copy to memory bound to the target, mremap over the original. */
#include <string.h>

#include "refmig.h"
#include "strategy.h"

static int migrate(struct pmig_bench_ctx *x)
{
	struct pmig_refmig_stats rs;
	uint64_t t0, t1;
	int ret;

	t0 = pmig_bench_now();
	ret = pmig_refmig(x->pages.base, x->pages.count * x->pages.page_size,
			  x->c->pair.to, &rs);
	t1 = pmig_bench_now();
	pmig_bench_sample(x->st, t1 - t0);
	if (ret) {
		pmig_bench_fail(x->st, "reference migrator: %s",
				strerror(-ret));
		return -1;
	}
	return 0;
}

const struct pmig_strategy pmig_strategy_reference = {
	.name = "reference",
	.version = PMIG_STRATEGY_VERSION,
	.workloads = PMIG_WL(PMIG_WL_ANON) | PMIG_WL(PMIG_WL_THP),
	.others =
		"private anonymous memory only: mremap cannot put a copy in place of file, shmem or hugetlb pages",
	.reset = pmig_reset_to_from,
	.migrate = migrate,
};
