/* pairs.h - which (from, to) node pairs a migration benchmark runs, chosen from the topology. */
#ifndef PMIG_BENCH_PAIRS_H
#define PMIG_BENCH_PAIRS_H

#include <stdbool.h>
#include <stddef.h>

#include "topo.h"

/** How pairs are chosen; see pmig_pairs_select(). */
enum pmig_pair_sel {
	PMIG_PAIRS_NEAREST,
	PMIG_PAIRS_FARTHEST,
	PMIG_PAIRS_CPULESS,
	PMIG_PAIRS_ALL,
};

/** One migration direction: pages start on @from (where the caller runs) and go to @to. */
struct pmig_pair {
	int from, to; /* Linux node ids */
	int distance; /* SLIT-style distance from @from to @to; -1 unknown */
	bool to_cpuless; /* @to has memory but no CPUs (CXL, HBM, NVM) */
};

/**
 * Chooses pairs from a topology loaded with pmig_topo_load(). A `from` node
 * always has memory and CPUs (the caller runs there); a `to` node has
 * memory and differs from `from`. Distances are pmig_topo_distance(from, to),
 * which is directional: an asymmetric matrix gives different answers per
 * direction.
 *
 *  - NEAREST:  for each `from`, the `to` with the smallest distance;
 *  - FARTHEST: for each `from`, the `to` with the largest distance;
 *  - CPULESS:  every (from, to) with a CPU-less `to`;
 *  - ALL:      every (from, to).
 *
 * Ties go to the lower `to` os index. A `to` whose distance is unknown (-1)
 * is never ranked against known ones: NEAREST and FARTHEST consider it only
 * when no candidate of that `from` has a known distance, and then both pick
 * the lowest os index (distance -1), so the caller still gets a pair and
 * the output says the distance is unknown. A `from` without any candidate
 * (a single memory node) gives no pair.
 *
 * Pairs come ordered by `from`, then (CPULESS, ALL) by `to`, all increasing.
 * Writes at most @max pairs to @out (may be NULL when @max is 0) and returns
 * how many there are, so a count larger than @max means the list was cut.
 */
size_t pmig_pairs_select(const struct pmig_topo *t, enum pmig_pair_sel sel,
			 struct pmig_pair *out, size_t max);

/** Parses "nearest", "farthest", "cpuless" or "all". Returns 0 or -EINVAL. */
int pmig_pairs_parse(const char *s, enum pmig_pair_sel *out);

/** The name pmig_pairs_parse() accepts for @sel; "?" for an unknown value. */
const char *pmig_pairs_name(enum pmig_pair_sel sel);

#endif
