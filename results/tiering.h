/* tiering.h - the tiering strategies' runs in benchmark JSON (pmig "kind" "tiering"): their figures, counters and convergence timeline. */
#ifndef PMIG_TIERING_H
#define PMIG_TIERING_H

#include <stdbool.h>
#include <stddef.h>

#include "benchjson.h"
#include "tier_goal.h"

/*
 * A tiering run is one Google Benchmark iteration entry whose manual time is
 * the time to converge (or the time until the run's limit) and whose "pmig"
 * object says "kind": "tiering". Its name is
 * STRATEGY/WORKLOAD/SIZE/FROMtoTO/iterations:1/manual_time; the workload is
 * "promote" (hot pages start on the far node, the goal is the near one) or
 * "demote" (cold pages leave the near node). Schema:
 * results/schema/bench-pmig.schema.json.
 *
 * Error rule as the rest of the harness: 0 or -errno.
 */

/** Shares over time: equal-length arrays, t_ns since the run's start. */
struct pmig_tier_timeline {
	size_t n;
	double *t_ns;
	double *goal; /* share 0..1 of the goal pages in place */
	double *hot_near; /* share of hot pages on the near node; NULL when absent */
	double *cold_near; /* share of cold pages on the near node; NULL */
};

struct pmig_tier {
	const struct pmig_bj_entry *e;
	const char *strategy, *workload; /* NULL when unknown */
	char size[24]; /* the name's SIZE part ("16M"), "" when none */
	enum pmig_bj_state state;
	const char *message; /* why failed or unavailable; "" */
	const char *time_base; /* "instruction" (QEMU icount), "wall"; NULL */
	/* Counts; -1 when absent. */
	long pages, hot_pages, cold_pages, goal_pages;
	long from, to, near, far;
	long moved_pages, wrong_pages, swapped_pages;
	long tlb_refresh_us; /* the TLB refresher's period under TCG, 0: none */
	int converged; /* 1, 0; -1 when absent */
	/* Nanoseconds; NAN when absent or never reached (-1 in the JSON). */
	double t50_ns, t90_ns, t100_ns, duration_ns;
	double kthread_cpu_ns, task_sys_ns, loop_cpu_ns;
	double limit_s; /* how long it could be watched; NAN when absent */
	/*
	 * Goal pages in place per second over t100 (over the duration when not
	 * converged): moved_pages over that time where both are known, else the
	 * JSON's pages_per_second; NAN.
	 */
	double pages_per_second;
	double rate_limit_mbps; /* numab's; -1 none; NAN when absent */
	struct pmig_tier_timeline tl;
};

/** Whether @workload is one this reader knows: "promote" or "demote". */
bool pmig_tier_workload_known(const char *workload);

/**
 * Reads tiering entry @e (e->tiering) into @out. -EINVAL with one line in
 * @why naming the entry when a value is not what the schema says: a
 * count or time that is not a number, a time below -1, a timeline whose
 * arrays differ in length, hold something other than finite numbers, a
 * share outside 0..1, or times that are negative or go back; -ENOMEM.
 * Strings point into @e; pmig_tier_release() frees the timeline.
 */
int pmig_tier_read(const struct pmig_bj_entry *e, struct pmig_tier *out,
		   char *why, size_t whylen);
void pmig_tier_release(struct pmig_tier *t);

/**
 * Whether run @t reached its goal (bench/tiering/tier_goal.h: every goal
 * page in place within the limit, none wrong), its figures in words into
 * @why ("moved 2044/2048 goal pages, 0 wrong, ..."). Files from before
 * pmig bench said so itself are judged alike: the rule needs only figures
 * they have.
 */
bool pmig_tier_goal(const struct pmig_tier *t, char *why, size_t whylen);

/** The vmstat delta @key of the run ("pmig"."counters"), NAN when absent. */
double pmig_tier_counter(const struct pmig_tier *t, const char *key);

/** One figure of one run over several boots of the same machine and kernel. */
struct pmig_tier_spread {
	size_t n;
	double median, min, max;
	/* (max - min) / median: 0 when every boot gave the same; NAN when
	   the median is 0 and they differ. */
	double spread;
};

/**
 * The median, extremes and spread of @n > 0 finite figures @v.
 * -EINVAL (no figure, or one not finite), -ENOMEM.
 */
int pmig_tier_spread(const double *v, size_t n, struct pmig_tier_spread *out);

#endif
