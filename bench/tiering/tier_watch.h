/* tier_watch.h - where a tiering run's pages are over time: placement reads, the shares and timeline, the kernel's counters and threads' CPU, the final checks and their figures. */
#ifndef PMIG_TIER_WATCH_H
#define PMIG_TIER_WATCH_H

#include <stdbool.h>
#include <stdint.h>

#include "metrics/probe.h"
#include "tier_goal.h"
#include "tier_strategy.h"

#define PMIG_TIER_NEVER UINT64_MAX

struct pmig_tier_watch {
	uint64_t *pagemap; /* one entry per page, from the last read */
	/* The first time the goal share reached 50, 90 and 100%. */
	uint64_t t50, t90, t100;
	uint64_t last_t; /* the last read's time */
	/* Goal pages: all, those on their goal node, those off their start node. */
	size_t goal_pages, in_place, off_start;
	struct pmig_probe_value before[PMIG_PROBE_MAX];
	size_t nbefore;
	/* The strategy's kernel threads' CPU time at the start. */
	uint64_t kthread_ns;
};

/** Opens what the reads need and takes the counters' and threads' starting values. */
void pmig_tier_watch_begin(struct pmig_tier_run *r, struct pmig_tier_watch *w);

/**
 * Reads where every page is (a move_pages(2) status query and the
 * pagemap's swap bit), at @t ns since the watch began: updates r->status,
 * r->swapped and the shares, and adds a timeline point. 0, or -1 after
 * pmig_bench_fail().
 */
int pmig_tier_watch_read(struct pmig_tier_run *r, struct pmig_tier_watch *w,
			 uint64_t t);

/** Whether there is nothing left to wait for: every goal page in place, or none left on its start node. */
bool pmig_tier_watch_done(const struct pmig_tier_watch *w);

/** The run's time: until every goal page was in place, else the whole watch. */
uint64_t pmig_tier_watch_time(const struct pmig_tier_watch *w);

/** Notes the counters' changes, the kernel threads' CPU time and the times to 50, 90 and 100%. */
void pmig_tier_watch_end(struct pmig_tier_run *r, struct pmig_tier_watch *w);

/**
 * After the strategy stopped: reads every page's place once more, fails
 * the run when a page is nowhere (neither on a node nor swapped) or its
 * data changed, and notes moved, wrong and swapped pages and the rate.
 */
void pmig_tier_watch_verify(struct pmig_tier_run *r, struct pmig_tier_watch *w);

/** The figures of finished run @r from its notes; false when @r is no tiering run. */
bool pmig_tier_run_figures(const struct pmig_bench_run *r,
			   struct pmig_tier_figures *f);

/** CPU time (ns, schedstat) of every task whose name starts with one of @prefixes (comma-separated). */
uint64_t pmig_tier_kthread_ns(const char *prefixes);

#endif
