/* tiering_damos.c - conformance cases of DAMOS's migrate actions (migrate_hot, migrate_cold) with a target node that cannot take pages: memoryless, or not online. */
#include <errno.h>
#include <stdbool.h>
#include <numaif.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cases.h"
#include "check.h"
#include "damon.h"
#include "fixtures.h"
#include "pageinfo.h"
#include "pages.h"
#include "syscalls.h"

enum {
	DAMOS_PAGES = 16,
	/* DAMON's defaults: 5 ms sampling, 100 ms aggregation */
	DAMOS_WAIT_MS = 10000,
};

/*
 * A migrate case's .arg: where it sends the pages (the memoryless node, or
 * a node id that is not online), with which action.
 */
#define DAMOS_TO_OFFLINE (1 << 0)
#define DAMOS_HOT \
	(1        \
	 << 1) /* migrate_hot of accessed regions, else migrate_cold of idle ones */
#define DAMOS_ANY 4294967295UL /* DAMON sysfs's "no upper bound" */

static long long now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000LL + t.tv_nsec / 1000000;
}

static size_t count_on(const struct pmig_pages *p, int node)
{
	size_t n = 0;

	for (size_t i = 0; i < p->count; i++)
		n += pmig_page_node(p->addrs[i]) == node;
	return n;
}

static int by_pfn(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * The physical ranges of @p's pages (pagemap page frame numbers, which
 * only root sees), ascending, contiguous frames merged, as DAMON wants
 * its regions (sorted, not overlapping: mm/damon/sysfs.c refuses the
 * commit otherwise): paddr regions that hold these pages and no other
 * process's. Returns how many.
 */
static size_t regions_of(const struct pmig_pages *p,
			 struct pmig_damon_region *out)
{
	uint64_t pfns[DAMOS_PAGES];
	size_t n = 0;

	for (size_t i = 0; i < p->count && i < DAMOS_PAGES; i++) {
		uint64_t e;
		int err = pmig_pagemap(p->addrs[i], &e);

		if (err)
			pmig_broken("pagemap of page %zu: %s", i,
				    strerror(-err));
		pfns[i] = e & PMIG_PM_PFN_MASK;
		if (!(e & PMIG_PM_PRESENT) || !pfns[i])
			pmig_broken(
				"page %zu has no page frame number in pagemap (present %d)",
				i, !!(e & PMIG_PM_PRESENT));
	}
	qsort(pfns, p->count, sizeof(pfns[0]), by_pfn);
	for (size_t i = 0; i < p->count; i++) {
		if (n && out[n - 1].end == pfns[i] * p->page_size) {
			out[n - 1].end += p->page_size;
			continue;
		}
		if (n == PMIG_DAMON_MAX_REGIONS)
			pmig_broken("the pages lie in more than %d ranges",
				    PMIG_DAMON_MAX_REGIONS);
		out[n].start = pfns[i] * p->page_size;
		out[n].end = out[n].start + p->page_size;
		n++;
	}
	return n;
}

/*
 * Puts freshly faulted pages on the LRU lists (they wait in per-CPU
 * batches until drained, and DAMON's paddr operations isolate only LRU
 * folios): a move_pages(2) to the node they are on drains every CPU's
 * batch (mm/migrate.c do_pages_move(): lru_cache_disable()).
 */
static void onto_lru(const struct pmig_ctx *ctx, const struct pmig_pages *p)
{
	int nodes[DAMOS_PAGES], status[DAMOS_PAGES];
	long ret;

	for (size_t i = 0; i < p->count; i++)
		nodes[i] = ctx->home;
	ret = pmig_move_pages(0, p->count, p->addrs, nodes, status,
			      MPOL_MF_MOVE);
	if (ret)
		pmig_broken(
			"move_pages of the pages to node %d, where they are: %s",
			ctx->home, strerror((int)-ret));
}

/*
 * Runs migrate_cold on regions of no access (nothing touches the pages,
 * so every region qualifies at once) or, with DAMOS_HOT in @how,
 * migrate_hot on regions of any access count (its hot regions would rest
 * on DAMON seeing the reads through the accessed bits, which a loop that
 * hits the TLB does not set again: every region qualifies at once too), on
 * the physical ranges of @p's pages with target_nid @target, until the
 * scheme has tried every page and 5 aggregation intervals more, or 2 s
 * after its first try, or all pages left home, or DAMOS_WAIT_MS. Returns
 * how many pages left home; *@st gets the scheme's stats, *@refused
 * DAMON's refusal (or "").
 */
static size_t migrate_by_damos(const struct pmig_ctx *ctx,
			       const struct pmig_pages *p, int target, long how,
			       struct pmig_damon_stats *st, char *refused,
			       size_t len)
{
	bool hot = how & DAMOS_HOT;
	struct pmig_damon_scheme s = {
		.ops = "paddr",
		.action = hot ? "migrate_hot" : "migrate_cold",
		.target_nid = target,
		.min_nr_accesses = 0,
		.max_nr_accesses = hot ? DAMOS_ANY : 0,
		.min_age = 0,
		.max_age = DAMOS_ANY,
	};
	long long t0, tried_at = -1, first_try = -1;
	struct pmig_settings_scope scope;
	size_t left = 0;
	char why[256];
	int ret;

	onto_lru(ctx, p);
	s.nregions = regions_of(p, s.regions);
	ret = pmig_damon_start(&s, &scope, why, sizeof(why));
	refused[0] = '\0';
	if (ret == PMIG_DAMON_REFUSED) {
		snprintf(refused, len, "%s", why);
		return 0;
	}
	if (ret > 0)
		pmig_skip("%s", why);
	if (ret < 0)
		pmig_broken("DAMON: %s", why);
	pmig_diag(
		"kdamond %d: paddr, %s of %s regions to node %d, %zu ranges of the %zu pages on node %d",
		(int)pmig_damon_kdamond_pid(), s.action,
		hot ? "all" : "never-accessed", target, s.nregions, p->count,
		ctx->home);
	memset(st, 0, sizeof(*st));
	for (t0 = now_ms(); now_ms() - t0 < DAMOS_WAIT_MS;) {
		usleep(100000);
		left = p->count - count_on(p, ctx->home);
		if (pmig_damon_stats(st))
			continue;
		if (first_try < 0 && st->nr_tried)
			first_try = now_ms();
		if (tried_at < 0 && st->sz_tried >= p->count * p->page_size)
			tried_at = now_ms();
		/* The control moves every page within 0.5 s of the first try. */
		if (left == p->count ||
		    (tried_at >= 0 && now_ms() - tried_at >= 500) ||
		    (first_try >= 0 && now_ms() - first_try >= 2000))
			break;
	}
	pmig_damon_stop(&scope);
	pmig_diag(
		"after %lld ms: %zu of %zu pages off node %d; scheme tried %llu regions (%llu bytes), applied %llu (%llu bytes)",
		now_ms() - t0, left, p->count, ctx->home, st->nr_tried,
		st->sz_tried, st->nr_applied, st->sz_applied);
	return left;
}

PMIG_CASE(damos_migrate_nowhere)
{
	int target =
		ctx->arg & DAMOS_TO_OFFLINE ? ctx->offline : ctx->memoryless;
	struct pmig_damon_stats st;
	struct pmig_pages p;
	char refused[256], why[256];
	size_t left;

	if (pmig_damon_available(why, sizeof(why)))
		pmig_skip("%s", why);
	pmig_pages_setup(&p, PMIG_PAGE_ANON, DAMOS_PAGES, ctx->home, ctx->seed);
	left = migrate_by_damos(ctx, &p, target, ctx->arg, &st, refused,
				sizeof(refused));
	if (!refused[0] && !st.nr_tried)
		pmig_broken(
			"the scheme tried no region in %d ms: it was not applied, so nothing is learnt",
			DAMOS_WAIT_MS);
	if (refused[0])
		pmig_fail_at(__FILE__, __LINE__,
			     "DAMON refused the scheme with target_nid %d: %s",
			     target, refused);
	else
		pmig_check_val("pages moved off home", left, ctx->expect);
	/*
	 * The same scheme, to the other memory node: it moves the pages there,
	 * so nothing moving above was the target's doing.
	 */
	if (left == 0) {
		left = migrate_by_damos(ctx, &p, ctx->other, ctx->arg, &st,
					refused, sizeof(refused));
		if (refused[0] || !left)
			pmig_broken(
				"the same scheme with target_nid %d (a memory node) moved none of the pages either%s%s: cannot tell",
				ctx->other, refused[0] ? ": " : "", refused);
		pmig_diag(
			"control: the same scheme moved %zu of %zu to node %d",
			count_on(&p, ctx->other), p.count, ctx->other);
	}
	pmig_pages_destroy(&p);
}
