/* damon.h - one DAMON kdamond with one scheme, set up through DAMON's sysfs admin interface and undone on every exit path. */
#ifndef PMIG_DAMON_H
#define PMIG_DAMON_H

#include <stddef.h>
#include <sys/types.h>

#include "settings.h"

#define PMIG_DAMON_ADMIN "/sys/kernel/mm/damon/admin"
/* pmig_damon_start()'s return when DAMON took every file and refused to turn the kdamond on. */
#define PMIG_DAMON_REFUSED 2
#define PMIG_DAMON_MAX_REGIONS 16

/** A monitoring region (physical addresses for paddr, virtual for vaddr). */
struct pmig_damon_region {
	unsigned long start, end;
};

/**
 * What to monitor and the one scheme to apply. Access counts are DAMON's
 * nr_accesses (samples per aggregation interval that saw an access); ages
 * are in aggregation intervals. Zero intervals keep DAMON's defaults.
 */
struct pmig_damon_scheme {
	const char *ops; /* "paddr", "vaddr" or "fvaddr" */
	pid_t pid; /* the target process (vaddr, fvaddr) */
	struct pmig_damon_region regions[PMIG_DAMON_MAX_REGIONS];
	size_t nregions; /* 0: DAMON picks (vaddr: the mappings) */
	/* "migrate_hot", "migrate_cold", "pageout", "stat", ... */
	const char *action;
	int target_nid; /* the migrate actions' node; -1 leaves the file alone */
	unsigned long min_nr_accesses, max_nr_accesses;
	unsigned long min_age, max_age;
	unsigned long sample_us, aggr_us, update_us;
	unsigned long min_nr_regions, max_nr_regions;
};

/** The scheme's counters (stats/): tried and applied regions and bytes. */
struct pmig_damon_stats {
	unsigned long long nr_tried, sz_tried, nr_applied, sz_applied,
		qt_exceeds;
};

/**
 * Whether DAMON's sysfs interface can be used here: 0, or 1 with the
 * reason in @why (no sysfs interface; a kdamond already configured by
 * someone else, which pmig leaves alone).
 */
int pmig_damon_available(char *why, size_t len);

/**
 * Configures kdamond 0 with one context, one target and @s, and turns it
 * on; DAMON_STAT, which holds DAMON exclusively, is paused meanwhile.
 * Every file written goes through @scope (journaled, restored newest first
 * on every exit path: the kdamond is turned off before its directories
 * go); pmig_damon_stop(@scope) undoes them. Returns 0; 1 when this kernel
 * cannot do it (a file or an action it does not have),
 * PMIG_DAMON_REFUSED when the commit was refused, with the reason in @why;
 * or -errno with the failed step in @why. On a non-zero return nothing is
 * left changed.
 */
int pmig_damon_start(const struct pmig_damon_scheme *s,
		     struct pmig_settings_scope *scope, char *why, size_t len);

/** The running kdamond's pid (its CPU time is /proc/PID/schedstat's), or -1. */
pid_t pmig_damon_kdamond_pid(void);

/** Refreshes and reads the scheme's stats. 0 or -errno. */
int pmig_damon_stats(struct pmig_damon_stats *st);

/** Turns the kdamond off and restores everything pmig_damon_start() changed. */
void pmig_damon_stop(struct pmig_settings_scope *scope);

/**
 * The physical address ranges of node @node's memory blocks (memory
 * hotplug's sysfs), contiguous blocks merged, into @out. Returns how many
 * ranges, or -errno (-ENOENT: no memory block sysfs).
 */
int pmig_damon_node_ranges(int node, struct pmig_damon_region *out, size_t max);

#endif
