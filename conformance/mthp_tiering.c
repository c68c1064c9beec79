/* mthp_tiering.c - mTHP folios through the tiering paths: demotion in proactive reclaim and NUMA balancing's promotion. */
#include <dirent.h>
#include <errno.h>
#include <linux/kernel-page-flags.h>
#include <numa.h>
#include <numaif.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "cases.h"
#include "check.h"
#include "mthp.h"
#include "cpuset.h"
#include "fixtures.h"
#include "invariants.h"
#include "kind_checks.h"
#include "pageinfo.h"
#include "pages.h"
#include "pagesizes.h"
#include "settings.h"
#include "sysfile.h"
#include "syscalls.h"

static const char *const demote_counters[] = { "pgdemote_kswapd",
					       "pgdemote_direct",
					       "pgdemote_proactive" };

/*
 * (e) The tiering path: every size in turn, 4 folios on home in a memory
 * cgroup whose cpuset.mems holds home and the lower tier, demotion on, and
 * all their bytes written to memory.reclaim: nothing lost, and what went
 * to the lower tier went as whole folios, of some size at least.
 */
PMIG_CASE(mthp_demotion)
{
	char mems[48], why[384], on[16];
	struct pmig_cpuset cs;
	struct pmig_mthp_sizes s;
	size_t demoted = 0, on_lower = 0;
	int err;

	pmig_mthp_offered(&s);
	if (pmig_sysfile_read("/sys/kernel/mm/numa/demotion_enabled", on,
			      sizeof(on)) ||
	    (strcmp(on, "true") && strcmp(on, "1")))
		pmig_skip(
			"no /sys/kernel/mm/numa/demotion_enabled reading true: this kernel does not demote");
	snprintf(mems, sizeof(mems), "%d,%d", ctx->home, ctx->lower);
	err = pmig_cpuset_create_memory(&cs, mems, why, sizeof(why));
	if (err > 0)
		pmig_skip("%s", why);
	if (err < 0)
		pmig_broken("cannot set up a memory cgroup: %s", why);
	if ((err = pmig_cpuset_move(&cs, 0)))
		pmig_broken("cannot move the case into %s: %s", cs.path,
			    strerror(-err));
	for (size_t k = 0; k < s.below; k++) {
		size_t n, total, lower = 0, home = 0, whole = 0, swapped = 0,
				 lost = 0;
		long long before[PMIG_ARRAY_SIZE(demote_counters)];
		char path[192], value[32], grown[160];
		struct pmig_pages p;
		int *st, used = 0;
		void **addrs;

		/* Charged to the cgroup: made after the move. */
		pmig_mthp_make(ctx, &s, s.bytes[k], &p);
		n = pmig_mthp_per_folio(&p);
		total = p.count * n;
		/* Demotion does not ask the VMA's policy; the fault-in of a reclaimed page would. */
		if (pmig_mbind(p.base, p.map_len, MPOL_DEFAULT, NULL, 0, 0))
			pmig_broken("mbind(MPOL_DEFAULT): %s", strerror(errno));
		for (size_t i = 0; i < PMIG_ARRAY_SIZE(demote_counters); i++)
			before[i] = pmig_vmstat(demote_counters[i]);
		snprintf(path, sizeof(path), "%s/memory.reclaim", cs.path);
		snprintf(value, sizeof(value), "%zu", p.count * p.page_size);
		err = pmig_sysfile_write(path, value);
		if (err && err != -EAGAIN)
			pmig_broken("cannot write %s to %s: %s", value, path,
				    strerror(-err));
		addrs = pmig_mthp_subpages(&p);
		st = calloc(total, sizeof(*st));
		if (!st)
			pmig_broken("out of memory");
		pmig_status_reset(st, total);
		if (pmig_move_pages(0, total, addrs, NULL, st, 0))
			pmig_broken("status query: %s", strerror(errno));
		for (size_t i = 0; i < total; i++) {
			lower += st[i] == ctx->lower;
			home += st[i] == ctx->home;
		}
		/*
		 * Each folio whole on the lower tier (demoted as one), or not:
		 * reclaim may split a large folio it cannot swap out whole
		 * (shrink_folio_list(): add_to_swap() failed, split_folio_to_list())
		 * on home before a later pass demotes its pages one by one, or
		 * on the lower tier after it came there whole.
		 */
		for (size_t i = 0; i < p.count; i++) {
			char fwhy[256];

			if (st[i * n] == ctx->lower &&
			    pmig_mthp_folio_order(p.addrs[i], n, fwhy,
						  sizeof(fwhy)) ==
				    (int)pmig_mthp_order_of(n))
				whole++;
		}
		for (size_t i = 0; i < total; i++) {
			uint64_t e = 0;

			if (st[i] == ctx->home || st[i] == ctx->lower)
				continue;
			if (pmig_pagemap(addrs[i], &e) ||
			    !(e & PMIG_PM_SWAPPED))
				lost++;
			else
				swapped++;
		}
		for (size_t i = 0; i < PMIG_ARRAY_SIZE(demote_counters); i++)
			if (before[i] >= 0)
				used += snprintf(
					grown + used,
					sizeof(grown) - (size_t)used,
					" %s %+lld", demote_counters[i],
					pmig_vmstat(demote_counters[i]) -
						before[i]);
		pmig_diag(
			"%zu kB: memory.reclaim %s: %s; base pages %zu on node %d, %zu on node %d (lower tier), %zu swapped; %zu of %zu folios whole on the lower tier;%s",
			s.bytes[k] >> 10, value, err ? strerror(-err) : "done",
			home, ctx->home, lower, ctx->lower, swapped, whole,
			p.count, grown);
		/* None anywhere else, and the data of each, swapped in where it was out. */
		pmig_check_val(
			"base pages neither on home, the lower tier nor in swap",
			lost, 0);
		pmig_check_eq(pmig_pages_first_corrupt(&p), -1);
		demoted += whole;
		on_lower += lower;
		free(st);
		free(addrs);
		pmig_pages_destroy(&p);
	}
	pmig_mthp_only_size(&s, 0);
	if (pmig_cpuset_remove(&cs, why, sizeof(why)))
		pmig_broken("cgroup not undone: %s", why);
	/* Demotion moves a large folio whole: base pages there, yet no folio whole, is a kernel that splits to demote. */
	if (!demoted && on_lower)
		pmig_fail_at(
			__FILE__, __LINE__,
			"%zu base pages reached node %d, none in a whole folio of any size",
			on_lower, ctx->lower);
	if (!demoted && !pmig_failures())
		pmig_skip("memory.reclaim demoted nothing to node %d",
			  ctx->lower);
}

/* How long the promotion case reads one size's folios: NUMA balancing's first scan follows 1 s of CPU time. */
enum { PROMOTE_WAIT_MS = 30000 };

/* Now, in milliseconds of CLOCK_MONOTONIC. */
static long long now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000LL + t.tv_nsec / 1000000;
}

/*
 * (f) The tiering path the other way: NUMA balancing in tiering mode (2),
 * every size in turn, 4 folios on the lower tier read in a loop from
 * home's CPUs until all are on home or 30 s: a folio is promoted whole or
 * not at all, and whole it stays one folio of its order.
 */
PMIG_CASE(mthp_promotion)
{
	long long faults = pmig_vmstat("numa_hint_faults"),
		  succ = pmig_vmstat("pgpromote_success");
	size_t promoted_all = 0;
	struct pmig_mthp_sizes s;

	pmig_mthp_offered(&s);
	if (numa_run_on_node(ctx->home))
		pmig_broken("cannot run on node %d's CPUs: %s", ctx->home,
			    strerror(errno));
	for (size_t k = 0; k < s.below; k++) {
		size_t n, total, promoted = 0, whole = 0;
		long long t0, took = -1;
		struct pmig_pages p;
		void **addrs;
		int *st;

		pmig_mthp_make_on(ctx, &s, s.bytes[k], ctx->lower, &p);
		n = pmig_mthp_per_folio(&p);
		total = p.count * n;
		/* The task's default policy is what NUMA balancing asks (mpol_misplaced()); a bound VMA is not scanned. */
		if (pmig_mbind(p.base, p.map_len, MPOL_DEFAULT, NULL, 0, 0))
			pmig_broken("mbind(MPOL_DEFAULT): %s", strerror(errno));
		addrs = pmig_mthp_subpages(&p);
		st = calloc(total, sizeof(*st));
		if (!st)
			pmig_broken("out of memory");
		for (t0 = now_ms(); now_ms() - t0 < PROMOTE_WAIT_MS;) {
			for (int r = 0; r < 200; r++)
				for (size_t i = 0; i < total; i++)
					(void)*(volatile const char *)addrs[i];
			pmig_status_reset(st, total);
			if (pmig_move_pages(0, total, addrs, NULL, st, 0))
				pmig_broken("status query: %s",
					    strerror(errno));
			promoted = 0;
			for (size_t i = 0; i < total; i++)
				promoted += st[i] == ctx->home;
			if (promoted == total) {
				took = now_ms() - t0;
				break;
			}
		}
		/* Whole or not at all: every base page of a folio on one node, and on home one folio of its order. */
		for (size_t i = 0; i < p.count; i++) {
			char label[96], fwhy[256];

			snprintf(
				label, sizeof(label),
				"%zu kB folio %zu: base pages off its head's node",
				s.bytes[k] >> 10, i);
			{
				size_t apart = 0;

				for (size_t j = 1; j < n; j++)
					apart += st[i * n + j] != st[i * n];
				pmig_check_val(label, apart, 0);
			}
			if (st[i * n] != ctx->home)
				continue;
			if (pmig_mthp_folio_order(p.addrs[i], n, fwhy,
						  sizeof(fwhy)) ==
			    (int)pmig_mthp_order_of(n))
				whole++;
			else
				pmig_fail_at(
					__FILE__, __LINE__,
					"%zu kB folio %zu promoted to node %d, not one folio of order %u: %s",
					s.bytes[k] >> 10, i, ctx->home,
					pmig_mthp_order_of(n), fwhy);
		}
		pmig_check_eq(pmig_pages_first_corrupt(&p), -1);
		pmig_diag(
			"%zu kB: %zu of %zu base pages on node %d after %lld ms (all: %lld ms, -1: not within %d); %zu of %zu folios whole there",
			s.bytes[k] >> 10, promoted, total, ctx->home,
			now_ms() - t0, took, PROMOTE_WAIT_MS, whole, p.count);
		promoted_all += promoted;
		free(st);
		free(addrs);
		pmig_pages_destroy(&p);
	}
	pmig_mthp_only_size(&s, 0);
	faults = pmig_vmstat("numa_hint_faults") - faults;
	succ = succ < 0 ? -1 : pmig_vmstat("pgpromote_success") - succ;
	pmig_diag(
		"numa_hint_faults +%lld, pgpromote_success %+lld (-1: none in this kernel)",
		faults, succ);
	/* Counted in base pages (mm/migrate.c migrate_misplaced_folio(): mod_lruvec_state(PGPROMOTE_SUCCESS, nr_succeeded)). */
	if (succ >= 0)
		pmig_check(succ >= (long long)promoted_all);
	if (!promoted_all && !pmig_failures())
		pmig_skip(
			"NUMA balancing promoted no folio of any size from node %d in %d ms each",
			ctx->lower, PROMOTE_WAIT_MS);
}
