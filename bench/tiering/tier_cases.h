/* tier_cases.h - the tiering benchmarks a machine gets: its near and far nodes, the cases built from them, their registration. */
#ifndef PMIG_TIER_CASES_H
#define PMIG_TIER_CASES_H

#include <stdbool.h>
#include <stddef.h>

#include "tier_strategy.h"
#include "topo.h"

/** Where a machine's tiering runs: a fast CPU node, a slower memory node, a CPU node to watch from. */
struct pmig_tier_nodes {
	int near, far, watch;
	bool tiered; /* near and far are in different memory tiers */
};

/**
 * Picks the nodes of topology @t with the kernel's memory tiers below
 * @tiers_root (NULL: this machine's sysfs). 0, or -ENODEV when there are
 * not two memory nodes and a CPU node among them.
 */
int pmig_tier_nodes(const struct pmig_topo *t, const char *tiers_root,
		    struct pmig_tier_nodes *out);

struct pmig_tier_opts {
	struct pmig_tier_nodes nodes;
	const char *near_cpus, *watch_cpus;
	const size_t *sizes; /* bytes, whole base pages */
	int nsizes;
	double limit_s, tick_s;
};

/** One case per size, strategy and workload it applies to. *@out is malloc'ed. The count or -errno. */
long pmig_tier_cases_build(const struct pmig_tier_opts *o,
			   struct pmig_tier_case **out);

/** Registers every case with the shim (one iteration each). 0 or -errno. */
int pmig_tier_cases_register(struct pmig_tier_case *cases, size_t n);

#endif
