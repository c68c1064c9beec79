/* tier_damon.c - damon_migrate_hot and damon_migrate_cold: a DAMOS scheme on the physical address ranges of one node moves its hot (or cold) regions to the other. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "damon.h"
#include "kver.h"
#include "pageinfo.h"
#include "tier_strategy.h"

#define ANY 4294967295UL /* DAMON sysfs's "no upper bound" */

struct damon_run {
	struct pmig_settings_scope scope;
	bool on;
};

static struct damon_run state;

/*
 * The physical span of the run's pages, all on the watched node when the
 * run begins (pagemap PFNs, which only root sees): the scheme watches that, not the whole node, so DAMON's
 * regions (10 at least) are the workload's and not mostly free memory.
 * 0, or -errno when the PFNs are hidden or none is on @node.
 */
static int span_of_pages(const struct pmig_tier_run *r,
			 struct pmig_damon_region *out)
{
	size_t n = r->pages.count, ps = r->pages.page_size;
	uint64_t *e = calloc(n, sizeof(*e)), lo = UINT64_MAX, hi = 0;
	int ret = e ? pmig_pagemap_range(r->pages.base, n, e) : -ENOMEM;

	for (size_t i = 0; !ret && i < n; i++) {
		uint64_t pfn = e[i] & PMIG_PM_PFN_MASK;

		if (!(e[i] & PMIG_PM_PRESENT) || !pfn)
			continue;
		lo = pfn < lo ? pfn : lo;
		hi = pfn > hi ? pfn : hi;
	}
	if (!ret && lo > hi)
		ret = -ENOENT;
	if (!ret) {
		out->start = (unsigned long)(lo * ps);
		out->end = (unsigned long)((hi + 1) * ps);
	}
	free(e);
	return ret;
}

/*
 * vaddr on the run's own mapping where its operations set can migrate
 * (6.17?, the series that gave schemes their dests), else paddr, the one
 * with both migrate actions since they came (6.11): on paddr a region is
 * physical and takes every process's pages in it, and the run's hot and
 * cold pages lie interleaved there, as the buddy allocator handed them out. The hot scheme watches the far node and takes
 * regions seen accessed at all; the cold one watches the near node and
 * takes regions not accessed for 5 aggregation intervals (0.5 s at DAMON's
 * default 100 ms).
 */
static bool vaddr_migrates(void)
{
	uint32_t kv;

	return !pmig_kver_running(&kv) && kv >= PMIG_KV(6, 17, 0);
}

static int start(struct pmig_tier_run *r, bool hot)
{
	const struct pmig_tier_case *c = r->c;
	struct pmig_damon_scheme s = {
		.ops = "paddr",
		.action = hot ? "migrate_hot" : "migrate_cold",
		.target_nid = hot ? c->near : c->far,
		.min_nr_accesses = hot ? 1 : 0,
		.max_nr_accesses = hot ? ANY : 0,
		.min_age = hot ? 0 : 5,
		.max_age = ANY,
	};
	int watched = hot ? c->far : c->near, n;
	char why[256];
	int ret;

	state = (struct damon_run){ 0 };
	r->priv = &state;
	if (vaddr_migrates()) {
		s.ops = "vaddr";
		s.pid = getpid();
		s.regions[0].start = (unsigned long)r->pages.base;
		s.regions[0].end =
			(unsigned long)(r->pages.base +
					r->pages.count * r->pages.page_size);
		n = 1;
		pmig_bench_note_text(r->st, "damon_watches",
				     "the run's mapping (virtual addresses)");
	} else if (!span_of_pages(r, &s.regions[0])) {
		n = 1;
		pmig_bench_note_text(r->st, "damon_watches",
				     "the physical span of the run's pages");
	} else {
		n = pmig_damon_node_ranges(watched, s.regions,
					   PMIG_DAMON_MAX_REGIONS);
		pmig_bench_note_text(
			r->st, "damon_watches",
			"the whole node (page frame numbers hidden)");
	}
	if (n <= 0) {
		pmig_bench_unavailable(
			r->st,
			"node %d's physical ranges are unknown (%s): no memory block sysfs",
			watched, strerror(-n));
		return -1;
	}
	s.nregions = (size_t)n;
	ret = pmig_damon_start(&s, &state.scope, why, sizeof(why));
	if (ret > 0) {
		pmig_bench_unavailable(r->st, "%s", why);
		return -1;
	}
	if (ret < 0) {
		pmig_bench_fail(r->st, "DAMON: %s", why);
		return -1;
	}
	state.on = true;
	pmig_bench_note_text(r->st, "damon_ops", s.ops);
	pmig_bench_note_num(r->st, "damon_watched_node", watched);
	pmig_bench_note_num(r->st, "damon_regions", (double)n);
	return 0;
}

static int prepare_hot(struct pmig_tier_run *r)
{
	return start(r, true);
}

static int prepare_cold(struct pmig_tier_run *r)
{
	return start(r, false);
}

static void cleanup(struct pmig_tier_run *r)
{
	struct damon_run *d = r->priv;
	struct pmig_damon_stats st;

	if (!d->on)
		return;
	/* What the scheme did: every page it took, the run's own or not. */
	if (!pmig_damon_stats(&st)) {
		pmig_bench_note_num(r->st, "damos_nr_applied",
				    (double)st.nr_applied);
		pmig_bench_note_num(r->st, "damos_sz_applied",
				    (double)st.sz_applied);
		pmig_bench_note_num(r->st, "damos_sz_tried",
				    (double)st.sz_tried);
	}
	pmig_damon_stop(&d->scope);
	d->on = false;
}

const struct pmig_tier_strategy pmig_tier_damon_migrate_hot = {
	.name = "damon_migrate_hot",
	.workloads = PMIG_TIER_WL(PMIG_TIER_PROMOTE),
	.kthreads = "kdamond",
	.prepare = prepare_hot,
	.cleanup = cleanup,
};

const struct pmig_tier_strategy pmig_tier_damon_migrate_cold = {
	.name = "damon_migrate_cold",
	.workloads = PMIG_TIER_WL(PMIG_TIER_DEMOTE),
	.kthreads = "kdamond",
	.prepare = prepare_cold,
	.cleanup = cleanup,
};
