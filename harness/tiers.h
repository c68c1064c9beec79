/* tiers.h - the kernel's memory tiers (sysfs memory_tiering): which nodes each tier holds, its abstract distance range, and whether demotion has targets and is on. */
#ifndef PMIG_TIERS_H
#define PMIG_TIERS_H

#include <stdint.h>
#include <stdio.h>

/** One memory tier: its id (abstract distance >> 7) and its nodes. */
struct pmig_mem_tier {
	int id;
	uint64_t nodes; /* bit N: node N (nodes past 63 are left out) */
	char nodelist[128]; /* as sysfs writes it */
};

/**
 * Reads the memory tiers below @root (NULL or "": the real /) into @out,
 * fastest (lowest id) first. Returns how many (at most @max), or -ENOENT
 * when the kernel has no memory_tiering in sysfs.
 */
int pmig_tiers_read(const char *root, struct pmig_mem_tier *out, size_t max);

/** The index in @t of the tier holding @node, or -1. */
int pmig_tier_index(const struct pmig_mem_tier *t, size_t n, int node);

/**
 * Prints the memory tiers below @root (NULL or "": the real /) to @out:
 * "memory tiers: N (demotion on|off; targets: yes|no)" and one line per
 * tier, lowest abstract distance first, or one line saying the kernel has
 * none. Returns 0 or -errno (a write error).
 */
int pmig_tiers_print(const char *root, FILE *out);

#endif
