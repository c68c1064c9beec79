/* mthp_no_room.c - the mTHP case where the target node has no free block of the folio's order: split and moved, or left, by version. */
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

/* MemFree of @node in bytes; ERROR when its meminfo cannot be read. */

/*
 * The sum over @node's zones of watermark @mark ("min", "high") in bytes,
 * by /proc/zoneinfo. They differ by kernel: node 1 of a 2node guest had
 * min 22812 kB on 7.3, where a fault that took it below called the OOM
 * killer. ERROR when zoneinfo cannot be read.
 */
static long long watermark(int node, const char *mark)
{
	FILE *f = fopen("/proc/zoneinfo", "re");
	char line[256], key[32];
	long long sum = 0, v;
	int nid = -1;

	if (!f)
		pmig_broken("cannot open /proc/zoneinfo: %s", strerror(errno));
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "Node %d, zone", &nid) == 1)
			continue;
		if (nid == node && sscanf(line, " %31s %lld", key, &v) == 2 &&
		    !strcmp(key, mark))
			sum += v;
	}
	fclose(f);
	return sum * (long long)pmig_page_sizes()->base;
}

/*
 * The free blocks of order @order or more on @node, over its zones, by
 * /proc/buddyinfo (one column per order from 0), and into *@pages the base
 * pages they hold. ERROR when buddyinfo cannot be read.
 */
static long blocks_from(int node, unsigned order, long *pages)
{
	FILE *f = fopen("/proc/buddyinfo", "re");
	char line[512];
	long blocks = 0;

	if (!f)
		pmig_broken("cannot open /proc/buddyinfo: %s", strerror(errno));
	*pages = 0;
	while (fgets(line, sizeof(line), f)) {
		int nid, used = 0, k = 0;
		unsigned o = 0;
		char zone[32];
		long c;

		if (sscanf(line, "Node %d, zone %31s%n", &nid, zone, &used) !=
			    2 ||
		    nid != node)
			continue;
		for (char *q = line + used; sscanf(q, "%ld%n", &c, &k) == 1;
		     q += k, o++)
			if (o >= order) {
				blocks += c;
				*pages += c << o;
			}
	}
	fclose(f);
	return blocks;
}

/*
 * Unmaps, of the @count mlocked pages from @a, each whose frame number is
 * odd: its buddy (the even frame beside it) stays taken, so the freed
 * frame stays a free block of order 0. Which virtual page got which frame
 * is the allocator's choice, so the frame decides, not the address.
 */
static void free_odd_frames(char *a, size_t count)
{
	const size_t base = pmig_page_sizes()->base;
	uint64_t *e = calloc(count, sizeof(*e));
	size_t present = 0, odd = 0;
	int err;

	if (!e)
		pmig_broken("out of memory");
	if ((err = pmig_pagemap_range(a, count, e)))
		pmig_skip("cannot read /proc/self/pagemap: %s", strerror(-err));
	for (size_t i = 0; i < count; i++) {
		present += !!(e[i] & PMIG_PM_PRESENT);
		if (!(e[i] & PMIG_PM_PRESENT) ||
		    !((e[i] & PMIG_PM_PFN_MASK) % 2))
			continue;
		odd++;
		if (munmap(a + i * base, base))
			pmig_broken("munmap of a filler page: %s",
				    strerror(errno));
	}
	pmig_diag(
		"filler: %zu of %zu pages present, %zu of odd frames unmapped",
		present, count, odd);
	free(e);
}

/*
 * Frees pages held in per-CPU lists into the buddy lists, where buddyinfo
 * counts them and they merge: a write to /proc/sys/vm/stat_refresh runs
 * refresh_cpu_vm_stats() on every CPU, which drains a remote node's
 * per-CPU pages once they have been idle for 3 of its rounds
 * (mm/vmstat.c). Seen on 6.12 without it: the odd frames freed reached
 * MemFree over more than a second, and blocks of the folios' order were
 * back on the node by the time they moved.
 */
static void drain_pcp(void)
{
	for (int i = 0; i < 4; i++) {
		int err = pmig_sysfile_write("/proc/sys/vm/stat_refresh", "1");

		if (err)
			pmig_broken(
				"cannot write /proc/sys/vm/stat_refresh: %s",
				strerror(-err));
	}
}

/*
 * Waits until @node's MemFree holds still over 3 reads 0.5 s apart (at
 * most 30 s), draining the per-CPU lists before each. Seen on 6.12: the
 * pages of odd frames unmapped from the mlocked filler reached the buddy
 * lists about 1000 at a time, one batch every second or so, for 10 s.
 */
static void settle(int node)
{
	long long last = -1;
	int still = 0;

	for (int t = 0; t < 60 && still < 3; t++) {
		long long now;

		drain_pcp();
		now = pmig_node_meminfo(node, "MemFree");
		still = now == last ? still + 1 : 0;
		last = now;
		usleep(500000);
	}
}

/* Diagnostic: @node's free blocks per order, as /proc/buddyinfo sums them over its zones. */
static void diag_buddy(int node)
{
	char line[256];
	size_t used = 0;
	long prev = 0, pages;

	for (unsigned o = 0; o < 14; o++) {
		long b = blocks_from(node, o, &pages);

		if (o && b == 0 && prev == 0)
			break;
		if (o)
			used += (size_t)snprintf(line + used,
						 sizeof(line) - used, " %ld",
						 prev - b);
		prev = b;
	}
	pmig_diag("node %d free blocks by order from 0:%s", node,
		  used ? line : " none");
}

/*
 * Leaves @node with free base pages but no free block of @order or more:
 * all but its high watermark and 24 MiB of its free memory taken by
 * mlocked base pages, those
 * of odd frames among the first 2 x @room bytes of them unmapped again
 * (free frames whose buddies stay taken: free_odd_frames()), then what is left of the higher
 * orders taken by folios of @bytes faulted one by one until buddyinfo
 * shows none (mlocked too). With compact_unevictable_allowed 0 (the row's
 * settings) compaction cannot move any of it to make a block, and with
 * extfrag_threshold 1000 it does not try for an order above 3 (seen on
 * 6.12 without it: 32 more pages than the folios' migrated, and the
 * folios found blocks of their order after all). Returns the
 * free blocks of @order or more still left (0 when it worked).
 */
static long no_room(int node, size_t bytes, size_t room)
{
	const size_t base = pmig_page_sizes()->base, n = bytes / base;
	struct pmig_nodemask m = pmig_nodemask_of(node);
	long long free = pmig_node_meminfo(node, "MemFree"),
		  headroom = watermark(node, "high") + (24LL << 20),
		  floor = watermark(node, "min") + (8LL << 20);
	size_t len, clen, used = 0, fallbacks = 0;
	long left, pages;
	char *fill, *c;

	if (free < headroom + 2 * (long long)room + (16LL << 20))
		pmig_skip(
			"node %d has %lld MiB free: too little to fill and leave %zu MiB of base pages",
			node, free >> 20, room >> 20);
	len = (size_t)(free - headroom) / base * base;
	fill = pmig_map(len, false);
	if (!fill ||
	    pmig_mbind(fill, len, MPOL_BIND, m.bits, PMIG_MASK_MAXNODE, 0))
		pmig_broken("cannot map and bind %zu MiB to node %d: %s",
			    len >> 20, node, strerror(errno));
	if (mlock(fill, len))
		pmig_broken("mlock of %zu MiB on node %d: %s", len >> 20, node,
			    strerror(errno));
	free_odd_frames(fill, 2 * room / base);
	settle(node);
	left = blocks_from(node, pmig_mthp_order_of(n), &pages);
	diag_buddy(node);
	pmig_diag(
		"node %d: %zu MiB mlocked, the odd frames of %zu MiB of it freed; %ld free blocks of order >= %u left (%ld pages), MemFree %lld MiB, watermarks min %lld high %lld MiB",
		node, len >> 20, 2 * room >> 20, left, pmig_mthp_order_of(n),
		pages, pmig_node_meminfo(node, "MemFree") >> 20,
		watermark(node, "min") >> 20, watermark(node, "high") >> 20);
	clen = ((size_t)(pages * (long)base) / bytes + 64) * bytes;
	c = pmig_map(clen, false);
	if (!c || madvise(c, clen, MADV_HUGEPAGE) ||
	    pmig_mbind(c, clen, MPOL_BIND, m.bits, PMIG_MASK_MAXNODE, 0))
		pmig_broken("cannot map and bind %zu MiB to node %d: %s",
			    clen >> 20, node, strerror(errno));
	/* mlocked at once: kswapd would swap an evictable one out (to zram in a pmig vm guest) and free its block again. */
	/*
	 * Until a fault falls back to base pages with none left in
	 * buddyinfo: blocks can also wait in the per-CPU lists (the PMD
	 * order's, which buddyinfo does not count), and only an allocation
	 * that fails its first tries drains them all (drain_all_pages() in
	 * __alloc_pages_direct_reclaim()). Seen on 7.2 and 7.3 when the loop
	 * stopped at buddyinfo's 0: the 4 folios moved whole.
	 */
	for (int round = 0; round < 8 && (left > 0 || !fallbacks); round++) {
		/*
		 * Not within 8 MiB of the min watermark, after this fault too: a
		 * fault that fell back to a base page below it calls the OOM
		 * killer (seen on 7.3, and on arm64-16k with 16 MiB folios,
		 * whose one fault took MemFree from above the floor to below
		 * the mark).
		 */
		while (used + bytes <= clen &&
		       pmig_node_meminfo(node, "MemFree") >
			       floor + (long long)bytes &&
		       (left > 0 || !fallbacks)) {
			c[used] = 1;
			/* A fault that fell back maps one base page (7.3) or all of them with base pages. */
			if (!(pmig_kind_kflags(c + used) &
			      PMIG_KIND_KPF(KPF_COMPOUND_HEAD)))
				fallbacks++;
			if (mlock(c + used, bytes))
				pmig_broken("mlock of %zu kB on node %d: %s",
					    bytes >> 10, node, strerror(errno));
			used += bytes;
			left = blocks_from(node, pmig_mthp_order_of(n), &pages);
		}
		drain_pcp();
		left = blocks_from(node, pmig_mthp_order_of(n), &pages);
	}

	pmig_diag(
		"node %d: %zu folios of %zu kB faulted (%zu fell back to base pages); %ld free blocks of order >= %u left, MemFree %lld MiB",
		node, used / bytes, bytes >> 10, fallbacks, left,
		pmig_mthp_order_of(n),
		pmig_node_meminfo(node, "MemFree") >> 20);
	diag_buddy(node);
	return left;
}

/* How many base pages of each folio of @p a status query finds on @home, on @other, elsewhere (said); returns those elsewhere. */
static size_t where(const struct pmig_pages *p, int home, int other)
{
	size_t elsewhere = 0;
	size_t n = pmig_mthp_per_folio(p);
	void **addrs = pmig_mthp_subpages(p);
	int *st = calloc(n, sizeof(*st));

	if (!st)
		pmig_broken("out of memory");
	for (size_t i = 0; i < p->count; i++) {
		size_t on_home = 0, on_other = 0;

		pmig_status_reset(st, n);
		if (pmig_move_pages(0, n, addrs + i * n, NULL, st, 0))
			pmig_broken("status query: %s", strerror(errno));
		for (size_t j = 0; j < n; j++) {
			on_home += st[j] == home;
			on_other += st[j] == other;
		}
		pmig_diag(
			"folio %zu: %zu base pages on node %d, %zu on node %d, %zu elsewhere (status[0] %d)",
			i, on_home, home, on_other, other,
			n - on_home - on_other, st[0]);
		elsewhere += n - on_home - on_other;
	}
	free(st);
	free(addrs);
	return elsewhere;
}

/* The vmstat counters a no-room move is told by. */
static const char *const no_room_counters[] = {
	"pgmigrate_success",   "pgmigrate_fail", "thp_migration_success",
	"thp_migration_split", "thp_split_page", "compact_stall",
	"compact_success",     "pswpout"
};

/*
 * (d) The largest size below the PMD (up to 1 MiB) moved by one address per folio to
 * a node with no free block of its order: the folio is split and its base
 * pages move (the row's node), or the call says -ENOMEM.
 */
/* The largest folio the no-room row tries: 1 MiB, x86-64's largest below its 2 MiB PMD. */
#define NO_ROOM_MAX ((size_t)1 << 20)

PMIG_CASE(mthp_no_room)
{
	long long before[PMIG_ARRAY_SIZE(no_room_counters)];
	long split_before, split_growth = -1, left, pages;
	size_t bytes, n, whole = 0, split = 0;
	int status[PMIG_MTHP_NFOLIOS], nodes[PMIG_MTHP_NFOLIOS], used = 0;
	long ret;
	struct pmig_pages p;
	struct pmig_mthp_sizes s;
	char delta[512], why[256];

	pmig_mthp_offered(&s);
	/*
	 * The largest size below the PMD, up to NO_ROOM_MAX: with 16 MiB
	 * folios (arm64-16k) the filler takes a 512 MiB node a fault of 16
	 * MiB at a time, and in one matrix run in two a fault ended below
	 * the min watermark and the OOM killer killed the case.
	 */
	bytes = s.bytes[0];
	for (size_t i = 0; i < s.below; i++)
		if (s.bytes[i] <= NO_ROOM_MAX)
			bytes = s.bytes[i];
	n = bytes / pmig_page_sizes()->base;
	pmig_mthp_make(ctx, &s, bytes, &p);
	/*
	 * Unevictable, so that the base pages that reach other stay there:
	 * seen on 6.12 without it, 320 of them were swapped out (to the
	 * guest's zram) while other was short of blocks of the order, read
	 * -ENOENT, and came back on home when touched.
	 */
	if (mlock(p.base, p.count * p.page_size))
		pmig_broken("mlock of the folios: %s", strerror(errno));
	/* Free base pages for the split ones above the high watermark: the allocator's order-0 check counts every free page. */
	left = no_room(ctx->other, bytes,
		       (size_t)watermark(ctx->other, "high") + (16u << 20) +
			       2 * PMIG_MTHP_NFOLIOS * bytes);
	if (left)
		pmig_skip(
			"node %d still has %ld free blocks of order %u or more: the condition was not made",
			ctx->other, left, pmig_mthp_order_of(n));
	for (size_t i = 0; i < PMIG_ARRAY_SIZE(no_room_counters); i++)
		before[i] = pmig_vmstat(no_room_counters[i]);
	split_before = pmig_mthp_size_stat(bytes, "split");
	for (size_t i = 0; i < p.count; i++)
		nodes[i] = ctx->other;
	pmig_status_reset(status, p.count);
	ret = pmig_move_pages(0, p.count, p.addrs, nodes, status, MPOL_MF_MOVE);
	pmig_diag("move_pages returned %ld; status %d %d %d %d (%d: unwritten)",
		  ret, status[0], status[1], status[2], status[3],
		  PMIG_STATUS_UNWRITTEN);
	where(&p, ctx->home, ctx->other);
	for (size_t i = 0; i < PMIG_ARRAY_SIZE(no_room_counters); i++)
		used += snprintf(delta + used, sizeof(delta) - (size_t)used,
				 " %s %+lld", no_room_counters[i],
				 pmig_vmstat(no_room_counters[i]) - before[i]);
	if (split_before >= 0)
		split_growth =
			pmig_mthp_size_stat(bytes, "split") - split_before;
	pmig_diag(
		"after the move:%s; %zu kB stats/split %+ld (-1: not in this kernel); node %d free blocks of order >= %u: %ld",
		delta, bytes >> 10, split_growth, ctx->other,
		pmig_mthp_order_of(n),
		blocks_from(ctx->other, pmig_mthp_order_of(n), &pages));
	/* Statuses against a later query, the unwritten tail a positive return counts, the data. */
	pmig_check_move_invariants(p.addrs, nodes, status, p.count, ret, &p);
	pmig_check(ret >= 0 && ret <= (long)p.count);
	if (ret == 0) {
		pmig_kind_check_statuses(status, p.count, -1, ctx->other);
		pmig_mthp_placed(&p, ctx->other);
	} else if (ret > 0) {
		/* Each base page on home or other: none lost on the way. */
		pmig_check_val("base pages on neither node",
			       where(&p, ctx->home, ctx->other), 0);
	}
	/* Each folio moved whole (the allocator made room after all) or as base pages; nothing between. */
	for (size_t i = 0; i < p.count; i++) {
		int order =
			pmig_mthp_folio_order(p.addrs[i], n, why, sizeof(why));

		if (order == (int)pmig_mthp_order_of(n))
			whole++;
		else if (order == 0)
			split++;
		else
			pmig_fail_at(__FILE__, __LINE__,
				     "folio %zu after the move: %s", i, why);
	}
	pmig_diag("%zu of %zu folios split into base pages, %zu moved whole",
		  split, p.count, whole);
	if (split_growth >= 0)
		pmig_check_val("stats/split growth", split_growth, split);
	if (!split && !pmig_failures())
		pmig_skip(
			"every folio found a free block of order %u on node %d after all (the allocator's reclaim made room): the split was not reached",
			pmig_mthp_order_of(n), ctx->other);
	pmig_mthp_only_size(&s, 0);
}

/* Proactive reclaim's demotions: the pgdemote counters this kernel has (pgdemote_proactive 6.15 on). */