/* tiering.c - conformance cases of the kernel's memory tiering: where tiers put a slow node, NUMA balancing's promotion (mode 2), demotion in proactive reclaim, their vmstat counters. */
#include <errno.h>
#include <numaif.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cases.h"
#include "check.h"
#include "cpuset.h"
#include "fixtures.h"
#include "pageinfo.h"
#include "pages.h"
#include "pagesizes.h"
#include "settings.h"
#include "syscalls.h"
#include "tiers.h"

/* Now, in milliseconds of CLOCK_MONOTONIC. */
static long long now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000LL + t.tv_nsec / 1000000;
}

/*
 * Keeps the case process on @node's CPUs, so that the node its accesses come
 * from is @node (and NUMA balancing cannot move the task instead).
 */
static void run_on_node(int node)
{
	char path[96], list[256];
	cpu_set_t set;
	const char *s = list;
	int err;

	snprintf(path, sizeof(path), "/sys/devices/system/node/node%d/cpulist",
		 node);
	if ((err = pmig_settings_read(path, list, sizeof(list))))
		pmig_broken("cannot read %s: %s", path, strerror(-err));
	CPU_ZERO(&set);
	while (*s) {
		char *end;
		long a = strtol(s, &end, 10), b = a;

		if (end == s)
			break;
		if (*end == '-')
			b = strtol(end + 1, &end, 10);
		for (long c = a; c <= b && c < CPU_SETSIZE; c++)
			CPU_SET((int)c, &set);
		s = *end == ',' ? end + 1 : end;
		if (*end && *end != ',')
			break;
	}
	if (!CPU_COUNT(&set))
		pmig_broken("node %d has no CPUs (%s: \"%s\")", node, path,
			    list);
	if (sched_setaffinity(0, sizeof(set), &set))
		pmig_broken("cannot run on node %d's CPUs %s: %s", node, list,
			    strerror(errno));
}

/* The pages of @p that are on @node now. */
static size_t count_on(const struct pmig_pages *p, int node)
{
	size_t n = 0;

	for (size_t i = 0; i < p->count; i++)
		n += pmig_page_node(p->addrs[i]) == node;
	return n;
}

/* The pages of @p that are in swap now. */
static size_t count_swapped(const struct pmig_pages *p)
{
	size_t n = 0;
	uint64_t e;

	for (size_t i = 0; i < p->count; i++)
		n += !pmig_pagemap(p->addrs[i], &e) && (e & PMIG_PM_SWAPPED);
	return n;
}

/*
 * Drops the VMA's MPOL_BIND that placed the pages: the task's default
 * policy is then what NUMA balancing asks (mpol_misplaced(): the faulting
 * CPU's node) and a bound VMA would not be scanned at all (vma_policy_mof()).
 */
static void unbind(const struct pmig_pages *p)
{
	long ret = pmig_mbind(p->base, p->map_len, MPOL_DEFAULT, NULL, 0, 0);

	if (ret)
		pmig_broken("mbind(MPOL_DEFAULT) of the pages: %s",
			    strerror((int)-ret));
}

/* Reads a word of every page of @p: an access NUMA balancing's hint faults see. */
static void touch(const struct pmig_pages *p)
{
	for (size_t i = 0; i < p->count; i++)
		(void)*(volatile const uint64_t *)p->addrs[i];
}

enum { MAX_TIERS = 16 };

/* The tiers, fastest first, and how many; a SKIP where the kernel has none. */
static size_t tiers_or_skip(struct pmig_mem_tier *t)
{
	int n = pmig_tiers_read(NULL, t, MAX_TIERS);

	if (n < 0)
		pmig_skip(
			"this kernel has no memory tiers (no /sys/devices/virtual/memory_tiering)");
	return (size_t)n;
}

/*
 * The HMAT read latency from node @node's best initiator (access class 0),
 * or -1 where the firmware gave none (no HMAT: QEMU virt and pseries).
 */
static long hmat_latency(int node)
{
	char path[128];

	snprintf(
		path, sizeof(path),
		"/sys/devices/system/node/node%d/access0/initiators/read_latency",
		node);
	return pmig_read_number(path);
}

PMIG_CASE(hmat_tier)
{
	struct pmig_mem_tier t[MAX_TIERS];
	long far = hmat_latency(ctx->cpuless), near = hmat_latency(ctx->home);
	size_t n = tiers_or_skip(t);
	int home, slow;

	if (far < 0 || near < 0)
		pmig_skip(
			"needs HMAT latencies of nodes %d and %d (no access0/initiators/read_latency: the firmware gives no HMAT)",
			ctx->home, ctx->cpuless);
	if (far <= near)
		pmig_skip(
			"node %d is not slower than node %d by HMAT (read latency %ld vs %ld)",
			ctx->cpuless, ctx->home, far, near);
	home = pmig_tier_index(t, n, ctx->home);
	slow = pmig_tier_index(t, n, ctx->cpuless);
	pmig_diag("HMAT read latency: node %d %ld, node %d %ld; %zu tiers",
		  ctx->home, near, ctx->cpuless, far, n);
	for (size_t i = 0; i < n; i++)
		pmig_diag("memory_tier%d: nodes %s", t[i].id, t[i].nodelist);
	pmig_require(home >= 0 && slow >= 0);
	pmig_check_val("tiers between home's and the CPU-less node's",
		       slow - home, ctx->expect);
}

/* What a promotion case checks (its row's .arg). */
enum {
	PROMOTE_PLACED, /* the lower tier's pages are on the accessing node */
	PROMOTE_TOP_STAYS, /* a top-tier node's pages stay where they are */
	PROMOTE_COUNTED, /* pgpromote_success and numa_pages_migrated count them */
};

enum {
	PROMOTE_PAGES = 64,
	/* NUMA balancing's first scan comes after scan_delay_ms (1000) of CPU time */
	PROMOTE_WAIT_MS = 30000,
	/* then as long again as it took, for the top-tier pages to have been scanned */
	PROMOTE_SETTLE_MIN_MS = 2000,
};

PMIG_CASE(numa_tiering_promote)
{
	struct pmig_pages low, top = { 0 };
	long long succ = pmig_vmstat("pgpromote_success"),
		  cand = pmig_vmstat("pgpromote_candidate"),
		  nrl = pmig_vmstat("pgpromote_candidate_nrl"),
		  migr = pmig_vmstat("numa_pages_migrated"),
		  faults = pmig_vmstat("numa_hint_faults"), t0,
		  promoted_at = -1;
	size_t promoted = 0, stayed = 0;
	struct pmig_mem_tier t[MAX_TIERS];
	size_t n = tiers_or_skip(t);
	/* The profile's one tier (runner.c): nothing is promoted, nothing counted. */
	bool one_tier = ctx->expect == PMIG_EXPECT_STAYS;

	if (ctx->arg == PROMOTE_TOP_STAYS &&
	    (ctx->other < 0 || ctx->other == ctx->lower ||
	     pmig_tier_index(t, n, ctx->other) !=
		     pmig_tier_index(t, n, ctx->home)))
		pmig_skip("needs a second memory node in node %d's tier",
			  ctx->home);
	run_on_node(ctx->home);
	pmig_pages_setup(&low, PMIG_PAGE_ANON, PROMOTE_PAGES, ctx->lower,
			 ctx->seed);
	unbind(&low);
	if (ctx->arg == PROMOTE_TOP_STAYS) {
		pmig_pages_setup(&top, PMIG_PAGE_ANON, PROMOTE_PAGES,
				 ctx->other, ctx->seed + 1);
		unbind(&top);
	}
	if (top.count)
		pmig_diag(
			"%d pages on node %d (lower tier) and %d on node %d (home's tier), read in a loop from node %d's CPUs, numa_balancing 2",
			PROMOTE_PAGES, ctx->lower, PROMOTE_PAGES, ctx->other,
			ctx->home);
	else
		pmig_diag(
			"%d pages on node %d (%s), read in a loop from node %d's CPUs, numa_balancing 2",
			PROMOTE_PAGES, ctx->lower,
			one_tier ?
				"CPU-less, in home's tier: the kernel has one" :
				"lower tier",
			ctx->home);
	t0 = now_ms();
	for (;;) {
		long long now;

		for (int k = 0; k < 1000; k++) {
			touch(&low);
			touch(&top);
		}
		now = now_ms();
		promoted = count_on(&low, ctx->home);
		if (promoted == PROMOTE_PAGES && promoted_at < 0)
			promoted_at = now;
		/* The top-tier pages' row waits as long again, at least 2 s. */
		if (promoted_at >= 0 &&
		    (ctx->arg != PROMOTE_TOP_STAYS ||
		     (now - promoted_at >= PROMOTE_SETTLE_MIN_MS &&
		      now - promoted_at >= promoted_at - t0)))
			break;
		if (now - t0 >= PROMOTE_WAIT_MS)
			break;
	}
	pmig_diag(
		"after %lld ms: %zu of %d lower-tier pages on node %d (all of them after %lld ms); numa_hint_faults +%lld",
		now_ms() - t0, promoted, PROMOTE_PAGES, ctx->home,
		promoted_at < 0 ? -1 : promoted_at - t0,
		pmig_vmstat("numa_hint_faults") - faults);
	switch (ctx->arg) {
	case PROMOTE_PLACED:
		pmig_check_val("lower-tier pages now on the expected node",
			       count_on(&low, pmig_expected_move(ctx, ctx->home,
								 ctx->lower)),
			       PROMOTE_PAGES);
		break;
	case PROMOTE_TOP_STAYS:
		if (promoted < PROMOTE_PAGES)
			pmig_broken(
				"NUMA balancing promoted %zu of %d lower-tier pages in %d ms: cannot tell whether it scanned the top-tier pages",
				promoted, PROMOTE_PAGES, PROMOTE_WAIT_MS);
		stayed = count_on(&top, pmig_expected(ctx, ctx->other));
		pmig_diag("top-tier pages: %zu on node %d, %zu on node %d",
			  count_on(&top, ctx->other), ctx->other,
			  count_on(&top, ctx->home), ctx->home);
		pmig_check_val("top-tier pages on the expected node", stayed,
			       PROMOTE_PAGES);
		break;
	case PROMOTE_COUNTED:
		if (one_tier) {
			succ = pmig_vmstat("pgpromote_success") - succ;
			migr = pmig_vmstat("numa_pages_migrated") - migr;
			pmig_diag(
				"promoted %zu; pgpromote_success +%lld, numa_pages_migrated +%lld",
				promoted, succ, migr);
			pmig_check_val("pages promoted", promoted, 0);
			pmig_check_val("pgpromote_success growth", succ, 0);
			pmig_check_val("numa_pages_migrated growth", migr, 0);
			break;
		}
		if (!promoted)
			pmig_broken(
				"NUMA balancing promoted none of the %d lower-tier pages in %d ms: nothing to count",
				PROMOTE_PAGES, PROMOTE_WAIT_MS);
		succ = pmig_vmstat("pgpromote_success") - succ;
		migr = pmig_vmstat("numa_pages_migrated") - migr;
		pmig_diag(
			"promoted %zu; pgpromote_success +%lld, numa_pages_migrated +%lld",
			promoted, succ, migr);
		/* Not checked: which of the two counts a promotion into a node with room differs by kernel. */
		if (cand >= 0)
			pmig_diag("pgpromote_candidate +%lld",
				  pmig_vmstat("pgpromote_candidate") - cand);
		if (nrl >= 0)
			pmig_diag("pgpromote_candidate_nrl +%lld",
				  pmig_vmstat("pgpromote_candidate_nrl") - nrl);
		pmig_check(succ >= (long long)promoted);
		pmig_check(migr >= (long long)promoted);
		break;
	}
	pmig_pages_destroy(&low);
	pmig_pages_destroy(&top);
}

/* What a demotion case checks (its row's .arg). */
enum {
	DEMOTE_OFF, /* demotion_enabled 0: none of the reclaimed pages on the lower tier */
	DEMOTE_ON, /* demotion_enabled 1: reclaim puts them on the lower tier */
	DEMOTE_COUNTED, /* pgdemote_* counts them */
};

enum { DEMOTE_PAGES = 512 };

/* The pgdemote_* counters this kernel has, in vmstat's order. */
static const char *const demote_counters[] = { "pgdemote_kswapd",
					       "pgdemote_direct",
					       "pgdemote_khugepaged",
					       "pgdemote_proactive" };

/* Writes @bytes to the cgroup's memory.reclaim; 0 or -errno (-EAGAIN: less was reclaimed). */
static int reclaim(const struct pmig_cpuset *cs, size_t bytes)
{
	char path[192], value[32];

	snprintf(path, sizeof(path), "%s/memory.reclaim", cs->path);
	if (access(path, W_OK))
		pmig_skip(
			"no %s: this kernel has no memory.reclaim (it came in 5.19)",
			path);
	snprintf(value, sizeof(value), "%zu", bytes);
	return pmig_settings_write(path, value);
}

PMIG_CASE(reclaim_demotion)
{
	const size_t bytes = DEMOTE_PAGES * pmig_page_sizes()->base / 2;
	long long before[PMIG_ARRAY_SIZE(demote_counters)];
	size_t home, lower, swapped;
	struct pmig_cpuset cs;
	struct pmig_pages p;
	char mems[48], why[384];
	int err;

	if (ctx->arg == DEMOTE_OFF && !pmig_swap_active())
		pmig_skip(
			"needs swap: with demotion off, reclaim of anonymous pages has nowhere else to put them");
	/*
	 * The lower tier in the cgroup's cpuset.mems: reclaim demotes only to
	 * nodes the memcg's cpuset allows, on kernels that check it.
	 */
	snprintf(mems, sizeof(mems), "%d,%d", ctx->home, ctx->lower);
	err = pmig_cpuset_create_memory(&cs, mems, why, sizeof(why));
	if (err > 0)
		pmig_skip("%s", why);
	if (err < 0)
		pmig_broken("cannot set up a memory cgroup: %s", why);
	if ((err = pmig_cpuset_move(&cs, 0)))
		pmig_broken("cannot move the case into %s: %s", cs.path,
			    strerror(-err));
	run_on_node(ctx->home);
	/* Charged to the cgroup: allocated after the move. */
	pmig_pages_setup(&p, PMIG_PAGE_ANON, DEMOTE_PAGES, ctx->home,
			 ctx->seed);
	unbind(&p);
	for (size_t i = 0; i < PMIG_ARRAY_SIZE(demote_counters); i++)
		before[i] = pmig_vmstat(demote_counters[i]);
	err = reclaim(&cs, bytes);
	home = count_on(&p, ctx->home);
	lower = count_on(&p, ctx->lower);
	swapped = count_swapped(&p);
	pmig_diag(
		"%d pages on node %d in cgroup %s (cpuset.mems %s); memory.reclaim %zu: %s; now %zu on node %d, %zu on node %d (lower tier), %zu in swap",
		DEMOTE_PAGES, ctx->home, cs.path, mems, bytes,
		err ? strerror(-err) : "done", home, ctx->home, lower,
		ctx->lower, swapped);
	for (size_t i = 0; i < PMIG_ARRAY_SIZE(demote_counters); i++)
		if (before[i] >= 0)
			pmig_diag("%s +%lld", demote_counters[i],
				  pmig_vmstat(demote_counters[i]) - before[i]);
	if (err && err != -EAGAIN)
		pmig_broken("memory.reclaim: %s", strerror(-err));
	if (home == DEMOTE_PAGES)
		pmig_broken(
			"memory.reclaim took none of the %d pages from node %d: nothing to tell",
			DEMOTE_PAGES, ctx->home);
	switch (ctx->arg) {
	case DEMOTE_OFF:
		pmig_check_val("pages on the lower tier", lower, ctx->expect);
		break;
	case DEMOTE_ON:
		if (ctx->expect == PMIG_EXPECT_STAYS)
			pmig_check_val("pages on the lower tier", lower, 0);
		else
			pmig_check(lower > 0);
		/* Where else: none on a node that is neither home nor the lower tier */
		pmig_check_val("pages on neither node nor in swap",
			       DEMOTE_PAGES - home - lower - swapped, 0);
		break;
	case DEMOTE_COUNTED: {
		/* The row's value: which counter proactive reclaim's demotions go to. */
		size_t k = (size_t)ctx->expect;
		long long grown;

		if (ctx->expect == PMIG_EXPECT_STAYS) {
			/* The profile's one tier: no demotion target, none counted. */
			pmig_check_val("pages on the lower tier", lower, 0);
			for (size_t i = 0; i < PMIG_ARRAY_SIZE(demote_counters);
			     i++)
				if (before[i] >= 0)
					pmig_check_val(
						demote_counters[i],
						pmig_vmstat(
							demote_counters[i]) -
							before[i],
						0);
			break;
		}
		pmig_require(k < PMIG_ARRAY_SIZE(demote_counters));
		if (!lower)
			pmig_broken("nothing was demoted: nothing to count");
		if (before[k] < 0) {
			pmig_fail_at(__FILE__, __LINE__,
				     "this kernel's vmstat has no %s",
				     demote_counters[k]);
			break;
		}
		grown = pmig_vmstat(demote_counters[k]) - before[k];
		pmig_diag("%s grew by %lld, %zu pages on the lower tier",
			  demote_counters[k], grown, lower);
		pmig_check(grown >= (long long)lower);
		break;
	}
	}
	pmig_pages_destroy(&p);
	if (pmig_cpuset_remove(&cs, why, sizeof(why)))
		pmig_broken("%s", why);
}
