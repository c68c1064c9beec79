/* tier_strategy.h - what a tiering strategy is (the kernel or a program moving hot and cold pages between tiers over time), its cases and the run they share. */
#ifndef PMIG_TIER_STRATEGY_H
#define PMIG_TIER_STRATEGY_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pages.h"
#include "settings.h"
#include "shim.h"

/*
 * Both workloads are one mapping of private anonymous base pages: the first
 * half hot (a thread on a near-node CPU writes each of them over and over,
 * rewriting the word it read, so the data stays the pattern), the second
 * half cold (never touched after creation). Once created, the mapping's
 * policy is the default, so nothing but the strategy pins the pages.
 *   promote: every page starts on the far node; the goal is every hot page
 *            on the near node, the cold ones left where they are.
 *   demote:  every page starts on the near node; the goal is every cold
 *            page on the far node, the hot ones left where they are.
 */
enum pmig_tier_wl {
	PMIG_TIER_PROMOTE,
	PMIG_TIER_DEMOTE,
	PMIG_TIER_WL_COUNT,
};
#define PMIG_TIER_WL(w) (1U << (w))

struct pmig_tier_run;

/**
 * A strategy. prepare sets up the facility (its settings restored by
 * cleanup and on every exit path) or ends the run with
 * pmig_bench_unavailable() and returns -1; step (may be NULL) runs once
 * per watch tick, before the placement is read, and returns 0 or -1 after
 * pmig_bench_fail(); kthreads names the kernel threads whose CPU time is
 * the strategy's ("kswapd", "kdamond": a comm prefix), NULL for none.
 */
struct pmig_tier_strategy {
	const char *name;
	unsigned workloads; /* PMIG_TIER_WL() bits */
	const char *kthreads;
	int (*prepare)(struct pmig_tier_run *r);
	int (*step)(struct pmig_tier_run *r);
	void (*cleanup)(struct pmig_tier_run *r);
};

/** One tiering benchmark. */
struct pmig_tier_case {
	const struct pmig_tier_strategy *strategy;
	enum pmig_tier_wl wl;
	size_t bytes; /* all pages, hot and cold */
	/* A CPU node of the fastest tier; a slower (or the farthest) memory node. */
	int near, far;
	bool tiered; /* near and far are in different memory tiers */
	const char *near_cpus; /* where the hot pages' writer runs */
	/* Where the watcher (and a user-space loop) runs. */
	const char *watch_cpus;
	double limit_s; /* how long to watch at most */
	double tick_s; /* how often to look */
	char name[128];
};

/** What one run works with. */
struct pmig_tier_run {
	const struct pmig_tier_case *c;
	struct pmig_bench_state *st;
	struct pmig_pages pages; /* [0, nhot) hot, [nhot, count) cold */
	size_t nhot;
	int *status; /* each page's node from the last placement read (-errno if none) */
	bool *swapped; /* each page's pagemap "swapped" bit at that read */
	uint64_t t0; /* when the watch began (pmig_bench_now) */
	long tick; /* watch ticks so far */
	struct pmig_settings_scope settings; /* restored after the run */
	void *priv; /* the strategy's own */
};

/** Whether page @i is one of the hot ones. */
static inline bool pmig_tier_is_hot(const struct pmig_tier_run *r, size_t i)
{
	return i < r->nhot;
}

/** Where every page of @c starts: the far node to promote from, the near one to demote from. */
static inline int pmig_tier_start_node(const struct pmig_tier_case *c)
{
	return c->wl == PMIG_TIER_PROMOTE ? c->far : c->near;
}

/** The goal node of page @i, or -1 when it should stay where it began. */
int pmig_tier_goal_node(const struct pmig_tier_run *r, size_t i);

extern const struct pmig_tier_strategy pmig_tier_numab_promote;
extern const struct pmig_tier_strategy pmig_tier_demote_reclaim;
extern const struct pmig_tier_strategy pmig_tier_damon_migrate_hot;
extern const struct pmig_tier_strategy pmig_tier_damon_migrate_cold;
extern const struct pmig_tier_strategy pmig_tier_user;

/** Every tiering strategy, NULL-terminated. */
extern const struct pmig_tier_strategy *const pmig_tier_strategies[];

/** "promote", "demote"; NULL past the end. */
const char *pmig_tier_wl_name(enum pmig_tier_wl wl);

/** The body registered for every tiering case (tier_run.c). */
void pmig_tier_case_run(struct pmig_bench_state *st, void *arg);

#endif
