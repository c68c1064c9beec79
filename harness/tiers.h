/* tiers.h - the kernel's memory tiers (sysfs memory_tiering): which nodes each tier holds, its abstract distance range, and whether demotion has targets and is on. */
#ifndef PMIG_TIERS_H
#define PMIG_TIERS_H

#include <stddef.h>
#include <stdio.h>

#define PMIG_TIERS_MAX 16

/** One memory tier: its id (abstract distance >> 7) and node list ("0-1"). */
struct pmig_tier {
	int id;
	char nodes[128];
};

/** The kernel's memory tiers, fastest (lowest abstract distance) first. */
struct pmig_tiers {
	size_t n;
	struct pmig_tier tier[PMIG_TIERS_MAX];
	int demotion; /* demotion_enabled: 1 on, 0 off, -1 unreadable */
};

/**
 * Reads the memory tiers below @root (NULL or "": the real /) into @t.
 * Returns 0, or -ENOENT when the kernel has no memory tiers (no
 * /sys/devices/virtual/memory_tiering: before 6.1, or no CONFIG_NUMA).
 */
int pmig_tiers_read(const char *root, struct pmig_tiers *t);

/** Which tier of @t (its index, 0 the fastest) holds @node; -1 when none does. */
int pmig_tiers_index_of(const struct pmig_tiers *t, int node);

/**
 * Prints the memory tiers below @root (NULL or "": the real /) to @out:
 * "memory tiers: N (demotion on|off; targets: yes|no)" and one line per
 * tier, lowest abstract distance first, or one line saying the kernel has
 * none. Returns 0 or -errno (a write error).
 */
int pmig_tiers_print(const char *root, FILE *out);

#endif
