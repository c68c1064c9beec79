/* tiers.h - the kernel's memory tiers (sysfs memory_tiering): which nodes each tier holds, its abstract distance range, and whether demotion has targets and is on. */
#ifndef PMIG_TIERS_H
#define PMIG_TIERS_H

#include <stdio.h>

/**
 * Prints the memory tiers below @root (NULL or "": the real /) to @out:
 * "memory tiers: N (demotion on|off; targets: yes|no)" and one line per
 * tier, lowest abstract distance first, or one line saying the kernel has
 * none. Returns 0 or -errno (a write error).
 */
int pmig_tiers_print(const char *root, FILE *out);

#endif
