/* workload.h - the pages a benchmark run migrates: made on the from node with what they need (hugetlb pools, THP mode, a sharing process), torn down after. */
#ifndef PMIG_WORKLOAD_H
#define PMIG_WORKLOAD_H

#include "strategy.h"

/**
 * Creates x->pages for x->c (workload, size) on the from node, with a data
 * pattern. Raises the hugetlb pools of both nodes and turns THP from "never"
 * to "madvise" where the workload needs it (restored by
 * pmig_workload_destroy), checks that THP pages really are huge, and for
 * PMIG_WL_SHARED starts a process that maps the pages too. 0, or -1 after
 * pmig_bench_unavailable() (a missing facility) or pmig_bench_fail().
 */
int pmig_workload_create(struct pmig_bench_ctx *x);
void pmig_workload_destroy(struct pmig_bench_ctx *x);
/**
 * 0 when every huge page of a THP workload is still a THP (or privilege
 * to tell is missing); else -1 after pmig_bench_unavailable(): a split
 * (thp_migration_split) leaves no THP to measure.
 */
int pmig_workload_check_thp(struct pmig_bench_ctx *x);

#endif
