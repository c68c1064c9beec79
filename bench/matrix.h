/* matrix.h - the benchmark matrix: which strategy runs on which workload, size, batch, thread count and node pair. */
#ifndef PMIG_MATRIX_H
#define PMIG_MATRIX_H

#include <stdbool.h>
#include <stddef.h>

#include "pagesizes.h"
#include "strategy.h"

struct pmig_case_opts {
	bool quick; /* anonymous pages only, batches 1 and all */
	const size_t *
		sizes; /* bytes; each rounds up to whole pages of its workload */
	/* The page sizes workloads use (0: this machine's, pmig_page_sizes()). */
	struct pmig_page_sizes page_sizes;
	int nsizes;
	const struct pmig_pair *pairs;
	const char *const *from_cpus; /* per pair: the from node's CPU list */
	size_t npairs;
	int accessors; /* threads reading the pages, 0 for none */
	long iterations;
	int cpus; /* online CPUs: the multi-threaded copy's thread count */
};

/**
 * Builds the cases @o selects, in registration order: per pair and size,
 * memcpy, move_pages, migrate_pages, mbind_move, reference, swap, each on
 * the workloads it applies to. *@out is malloc'ed. Returns the count or
 * -errno.
 */
long pmig_cases_build(const struct pmig_case_opts *o,
		      struct pmig_bench_case **out);

/** Registers every case with the shim. 0 or -errno. */
int pmig_cases_register(struct pmig_bench_case *cases, size_t n);

/** -EINVAL when @s is not a valid strategy ops table (version, hooks). */
int pmig_strategy_check(const struct pmig_strategy *s);

#endif
