/* shrink.h - greedy shrinking of a diverging random scenario to a minimal one. */
#ifndef PMIG_SHRINK_H
#define PMIG_SHRINK_H

#include <stdbool.h>

#include "random.h"

/* Runs @s (for real) and says whether kernel and model still disagree. */
typedef bool (*pmig_rnd_diverges_fn)(const struct pmig_rnd_scenario *s,
				     void *arg);

/**
 * Shrinks @s in place while @diverges holds: drops one entry at a time,
 * then one page with its entries, then turns MOVE_ALL into MOVE, unaligned
 * addresses into subpage starts and tail addresses into the page's start,
 * simplifies kinds (a huge page to its base-page counterpart, shared to
 * exclusive, file, pinned, mlocked or swapped to anonymous), and moves
 * page nodes and memory-node targets to @m's lowest memory node, until no
 * step keeps the divergence. Returns how many candidate scenarios it ran.
 */
unsigned pmig_rnd_shrink(struct pmig_rnd_scenario *s,
			 const struct pmig_rnd_machine *m,
			 pmig_rnd_diverges_fn diverges, void *arg);

#endif
