/* compaction.c - conformance cases of memory compaction: pages it moves within their node keep their data and node; mlocked pages stay where compact_unevictable_allowed is 0. */
#include <errno.h>
#include <numaif.h>
#include <linux/kernel-page-flags.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "cases.h"
#include "check.h"
#include "fixtures.h"
#include "kind_checks.h"
#include "pageinfo.h"
#include "pages.h"
#include "settings.h"
#include "sysfile.h"
#include "syscalls.h"

/*
 * Pages mapped, written, then every odd one freed: the even ones are left
 * with a free frame beside each, so their node is fragmented where they
 * are, and compaction has pages to move and holes to fill. 8 MiB of base
 * pages spans four 2 MiB pageblocks or more.
 */
enum { NPAGES = 2048 };

/* Whether compaction may move unevictable (mlocked) pages; the mlocked row sets it to 0. */
#define PMIG_COMPACT_UNEVICTABLE "/proc/sys/vm/compact_unevictable_allowed"

/* Frees every odd page of @p, so each page left has a free neighbour. */
static void fragment(struct pmig_pages *p)
{
	for (size_t i = 1; i < p->count; i += 2)
		if (madvise(p->addrs[i], p->page_size, MADV_DONTNEED))
			pmig_broken("madvise(MADV_DONTNEED) of page %zu: %s", i,
				    strerror(errno));
}

/* The page frame of every page of @p into @pfn (0 for a freed one); SKIPs when the pagemap hides frames. */
static void frames(const struct pmig_pages *p, uint64_t *pfn)
{
	uint64_t *e = calloc(p->count, sizeof(*e));
	int err;

	if (!e)
		pmig_broken("out of memory");
	err = pmig_pagemap_range(p->base, p->count, e);
	if (err)
		pmig_skip("cannot read /proc/self/pagemap: %s", strerror(-err));
	for (size_t i = 0; i < p->count; i++) {
		pfn[i] = e[i] & PMIG_PM_PRESENT ? e[i] & PMIG_PM_PFN_MASK : 0;
		if (i % 2 == 0 && !pfn[i])
			pmig_skip(
				"the pagemap hides page frame numbers, or page %zu is not present (entry %#llx)",
				i, (unsigned long long)e[i]);
	}
	free(e);
}

/* The size of a memory block (/sys/devices/system/memory), whose node directories name the frames each node holds. */
static unsigned long long block_bytes(void)
{
	const char *path = "/sys/devices/system/memory/block_size_bytes";
	unsigned long long b = 0;
	FILE *f = fopen(path, "re");

	if (!f || fscanf(f, "%llx", &b) != 1 || !b)
		pmig_skip("cannot read %s: %s", path,
			  f ? "not a hex number" : strerror(errno));
	fclose(f);
	return b;
}

/*
 * Whether frame @pfn is on @node by sysfs: its memory block is one of the
 * node's (drivers/base/node.c links memoryN into nodeM for each block the
 * node spans). The second witness, beside move_pages(2)'s status query.
 */
static bool frame_on(uint64_t pfn, size_t page_size, unsigned long long bb,
		     int node)
{
	char path[96];

	snprintf(path, sizeof(path),
		 "/sys/devices/system/node/node%d/memory%llu", node,
		 (unsigned long long)(pfn * page_size / bb));
	return access(path, F_OK) == 0;
}

/*
 * Compacts @node: its sysfs compact file (compact_node() on every zone of
 * the node, MIGRATE_SYNC, the whole zone), else /proc/sys/vm/compact_memory
 * (every node) where this kernel has no per-node file. SKIPs without
 * CONFIG_COMPACTION.
 */
static void compact(int node)
{
	char path[64];
	int err;

	snprintf(path, sizeof(path), "/sys/devices/system/node/node%d/compact",
		 node);
	err = pmig_sysfile_write(path, "1");
	if (err == -ENOENT) {
		snprintf(path, sizeof(path), "/proc/sys/vm/compact_memory");
		err = pmig_sysfile_write(path, "1");
		if (err == -ENOENT)
			pmig_skip(
				"this kernel has no compaction (neither the node's compact file nor %s)",
				path);
	}
	if (err)
		pmig_broken("cannot write 1 to %s: %s", path, strerror(-err));
	pmig_diag("wrote 1 to %s", path);
}

/* MemFree of @node in bytes; ERROR when its meminfo cannot be read. */
static long long node_free(int node)
{
	char path[96], line[160];
	long long kb = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/devices/system/node/node%d/meminfo",
		 node);
	f = fopen(path, "re");
	if (!f)
		pmig_broken("cannot open %s: %s", path, strerror(errno));
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "Node %*d MemFree: %lld kB", &kb) == 1)
			break;
	fclose(f);
	if (kb < 0)
		pmig_broken("no MemFree in %s", path);
	return kb << 10;
}

/*
 * Takes three quarters of @node's free memory with a bound anonymous
 * mapping, written page by page, once the case's pages are made; the case
 * then frees most of it by frame (setup()), so there are free frames in
 * partly used pageblocks above the case's pages. Compaction moves pages from the
 * bottom of a zone (its migrate scanner) into free frames nearer the top
 * (its free scanner), which takes no frame from a pageblock that is wholly
 * free (mm/compaction.c suitable_migration_target()). Seen on 6.1 in a
 * fresh guest: the allocator hands out frames upwards, so without the
 * filler the case's pages had only wholly free pageblocks above them and
 * none of 1024 moved; with it made first, they lay above it and none moved
 * either; made after them, 909 of 1024 moved. It stays mapped until the
 * case ends.
 */
static void fill(int node, size_t *len, char **filler)
{
	struct pmig_nodemask m = pmig_nodemask_of(node);
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	char *a;

	*len = (size_t)(node_free(node) / 4 * 3) / page * page;
	a = pmig_map(*len, false);
	if (!a)
		pmig_broken("cannot map %zu bytes: %s", *len, strerror(errno));
	if (pmig_mbind(a, *len, MPOL_BIND, m.bits, PMIG_MASK_MAXNODE, 0))
		pmig_broken("mbind of the filler to node %d: %s", node,
			    strerror(errno));
	for (size_t off = 0; off < *len; off += page)
		a[off] = 1;
	*filler = a;
}

static int by_value(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/* The median frame of the even pages of @p, which must be present. */
static uint64_t median_frame(const struct pmig_pages *p)
{
	uint64_t *pfn = calloc(p->count, sizeof(*pfn)), m;
	size_t n = 0;

	if (!pfn)
		pmig_broken("out of memory");
	frames(p, pfn);
	for (size_t i = 0; i < p->count; i += 2)
		pfn[n++] = pfn[i];
	qsort(pfn, n, sizeof(*pfn), by_value);
	m = pfn[n / 2];
	free(pfn);
	return m;
}

/*
 * Of the filler's frames above the case's, the one kept in every
 * KEEP_EVERY: each pageblock there stays partly used (a target), and the
 * frames the free scanner samples are free. isolate_freepages() scans a
 * pageblock at every stride-th frame, from its start, and doubles the
 * stride (up to COMPACT_CLUSTER_MAX, 32) after each block where it took
 * nothing (commit 4fca9730c51d, "mm, compaction: sample pageblocks for
 * free pages", 5.1). Freeing every other frame instead, as this case first
 * did, left the free frames all odd or all even: after one wholly used
 * block at the zone's top, a stride of 2 and more saw only used frames,
 * isolated nothing down to the migrate scanner, and each pass ended after
 * one batch of 32 (compact_isolated +128 over 4 passes). Seen in about
 * half the boots of 6.1 and 6.12, by the parity of the frames the filler
 * got; a trace of compaction:mm_compaction_isolate_freepages showed
 * nr_taken=0 with nr_scanned 512, 256, 128, ... 16 per block.
 */
enum { KEEP_EVERY = 64 };

/*
 * Anonymous pages of the case on ctx->home, every odd one freed, and a
 * filler made after them (fill()). Of the filler, every page whose frame
 * lies below the median of the case's frames is freed, and above it all
 * but one frame in KEEP_EVERY: so what compaction finds below that median
 * is the case's pages and what the kernel and other tasks hold there, and
 * above it free frames in partly used pageblocks to take them. Where the allocator put
 * the case's pages varies from one case to the next (seen on 6.1 and
 * 6.12: a fresh guest gives frames upwards, after a compaction they come
 * from all over the zone), and freeing the filler by frame, not by
 * address, makes room above wherever they are.
 */
static void setup(const struct pmig_ctx *ctx, struct pmig_pages *p)
{
	size_t len, page = (size_t)sysconf(_SC_PAGESIZE), n, freed = 0;
	uint64_t *e, median;
	char *filler;

	pmig_kind_setup(ctx, p, PMIG_PAGE_ANON, NPAGES);
	fragment(p);
	median = median_frame(p);
	fill(ctx->home, &len, &filler);
	n = len / page;
	e = calloc(n, sizeof(*e));
	if (!e)
		pmig_broken("out of memory");
	if (pmig_pagemap_range(filler, n, e))
		pmig_broken("cannot read the filler's pagemap");
	for (size_t j = 0; j < n; j++) {
		uint64_t pfn = e[j] & PMIG_PM_PFN_MASK;

		if (pfn >= median && pfn % KEEP_EVERY == KEEP_EVERY - 1)
			continue;
		if (madvise(filler + j * page, page, MADV_DONTNEED))
			pmig_broken("madvise(MADV_DONTNEED) of the filler: %s",
				    strerror(errno));
		freed++;
	}
	free(e);
	pmig_diag(
		"made the pages (median frame %#llx), then a filler of %zu MiB on node %d; freed %zu MiB of it: all below that frame, all but one frame in %d above",
		(unsigned long long)median, len >> 20, ctx->home,
		freed * page >> 20, KEEP_EVERY);
}

/* Whether page @i of @p still holds its pattern. */
static bool intact(const struct pmig_pages *p, size_t i)
{
	const uint64_t *w = p->addrs[i];

	for (size_t j = 0; j < p->page_size / sizeof(*w); j++)
		if (w[j] != pmig_pages_pattern(p, i, j))
			return false;
	return true;
}

/*
 * What a compaction of the home node did to the pages of @p that are left
 * (the even ones): @before and @after their frames. Checks each holds its
 * pattern and is on ctx->home by both witnesses; returns how many of the
 * pages with @rem (i % 4 == rem; -1: every even one) changed frame.
 */
static size_t moved(const struct pmig_ctx *ctx, const struct pmig_pages *p,
		    const uint64_t *before, const uint64_t *after, int rem)
{
	unsigned long long bb = block_bytes();
	long want = pmig_expected(ctx, ctx->home);
	size_t n = 0, bad_data = 0, bad_node = 0;

	for (size_t i = 0; i < p->count; i += 2) {
		if (rem >= 0 && (int)(i % 4) != rem)
			continue;
		if (before[i] != after[i])
			n++;
		if (!intact(p, i) && bad_data++ < 4)
			pmig_fail_at(
				__FILE__, __LINE__,
				"page %zu (frame %#llx, was %#llx) lost its data",
				i, (unsigned long long)after[i],
				(unsigned long long)before[i]);
		if (!frame_on(after[i], p->page_size, bb, (int)want) &&
		    bad_node++ < 4)
			pmig_fail_at(
				__FILE__, __LINE__,
				"page %zu's frame %#llx is not in a memory block of node %ld",
				i, (unsigned long long)after[i], want);
	}
	return n;
}

/* The even pages of @p (or those with i % 4 == @rem), for a status query. */
static size_t kept(const struct pmig_pages *p, int rem, void **addrs)
{
	size_t n = 0;

	for (size_t i = 0; i < p->count; i += 2)
		if (rem < 0 || (int)(i % 4) == rem)
			addrs[n++] = p->addrs[i];
	return n;
}

/* How many even pages of @p (those with i % 4 == @rem; -1: all) changed frame. */
static size_t changed(const struct pmig_pages *p, const uint64_t *before,
		      const uint64_t *after, int rem)
{
	size_t n = 0;

	for (size_t i = 0; i < p->count; i += 2)
		if ((rem < 0 || (int)(i % 4) == rem) && before[i] != after[i])
			n++;
	return n;
}

/*
 * Compacts ctx->home until some of @p's even pages with i % 4 == @rem (-1:
 * all) changed frame, at most ROUNDS times: where the scanners meet
 * depends on the whole node's layout, and a pass can end before it
 * reaches them (seen on 6.1: a second case's pages all stayed in one pass).
 * @after: the frames after the last pass.
 */
enum { ROUNDS = 4 };
static void compact_until(const struct pmig_ctx *ctx,
			  const struct pmig_pages *p, const uint64_t *before,
			  uint64_t *after, int rem)
{
	static const char *const name[] = {
		"compact_migrate_scanned", "compact_free_scanned",
		"compact_isolated",	   "pgmigrate_success",
		"pgmigrate_fail",
	};
	long long d[PMIG_ARRAY_SIZE(name)];
	int round = 0;

	for (size_t k = 0; k < PMIG_ARRAY_SIZE(name); k++)
		d[k] = pmig_vmstat(name[k]);
	do {
		compact(ctx->home);
		frames(p, after);
	} while (++round < ROUNDS && !changed(p, before, after, rem));
	for (size_t k = 0; k < PMIG_ARRAY_SIZE(name); k++)
		d[k] = pmig_vmstat(name[k]) - d[k];
	pmig_diag(
		"%d compaction pass%s: %s +%lld, %s +%lld, %s +%lld, %s +%lld, %s +%lld",
		round, round > 1 ? "es" : "", name[0], d[0], name[1], d[1],
		name[2], d[2], name[3], d[3], name[4], d[4]);
}

/*
 * Anonymous pages on home, fragmented, then home compacted: every page left
 * holds its data and is on home (a status query, and its frame's memory
 * block), compact_migrate_scanned grew, and pgmigrate_success grew by at
 * least the number of these pages whose frame changed. A SKIP says so
 * when compaction moved none of them.
 */
PMIG_CASE(compact_keeps_data)
{
	struct pmig_pages p;
	uint64_t *before = calloc(NPAGES, sizeof(*before)),
		 *after = calloc(NPAGES, sizeof(*after));
	void **addrs = calloc(NPAGES, sizeof(*addrs));
	long long scanned, success;
	size_t n, nkept;

	if (!before || !after || !addrs)
		pmig_broken("out of memory");
	setup(ctx, &p);
	frames(&p, before);
	scanned = pmig_vmstat("compact_migrate_scanned");
	success = pmig_vmstat("pgmigrate_success");
	if (scanned < 0 || success < 0)
		pmig_skip(
			"/proc/vmstat has no compact_migrate_scanned or pgmigrate_success (CONFIG_COMPACTION, CONFIG_MIGRATION)");
	compact_until(ctx, &p, before, after, -1);
	scanned = pmig_vmstat("compact_migrate_scanned") - scanned;
	success = pmig_vmstat("pgmigrate_success") - success;
	n = moved(ctx, &p, before, after, -1);
	nkept = kept(&p, -1, addrs);
	pmig_kind_query(addrs, nkept, pmig_expected(ctx, ctx->home));
	pmig_diag(
		"compaction moved %zu of the %zu pages left; compact_migrate_scanned +%lld, pgmigrate_success +%lld",
		n, nkept, scanned, success);
	pmig_check(scanned > 0);
	pmig_check(success >= (long long)n);
	if (!pmig_failures() && n == 0)
		pmig_skip(
			"compaction moved none of the %zu pages left (their frames are unchanged; compact_migrate_scanned +%lld, pgmigrate_success +%lld): nothing to check data and node against",
			nkept, scanned, success);
	free(addrs);
	free(after);
	free(before);
}

/*
 * Pages on home, fragmented; of those left, every other one mlocked (i % 4
 * == 0), the others not (the control); home compacted with
 * compact_unevictable_allowed as the row's setting. The row's value is the
 * number of mlocked pages whose frame changed, against the control's moves
 * (a SKIP when compaction moved none of those either).
 */
PMIG_CASE(compact_mlocked)
{
	struct pmig_pages p;
	uint64_t *before = calloc(NPAGES, sizeof(*before)),
		 *after = calloc(NPAGES, sizeof(*after));
	void **addrs = calloc(NPAGES, sizeof(*addrs));
	char now[16] = "";
	size_t mlocked_moved, control, nlocked;
	int err;

	if (!before || !after || !addrs)
		pmig_broken("out of memory");
	err = pmig_sysfile_read(PMIG_COMPACT_UNEVICTABLE, now, sizeof(now));
	if (err == -ENOENT)
		pmig_skip("this kernel has no %s", PMIG_COMPACT_UNEVICTABLE);
	if (err || strcmp(now, "0"))
		pmig_broken("%s reads '%s' after the runner wrote 0 (%s)",
			    PMIG_COMPACT_UNEVICTABLE, now,
			    err ? strerror(-err) : "no error");
	setup(ctx, &p);
	for (size_t i = 0; i < p.count; i += 4)
		if (mlock(p.addrs[i], p.page_size))
			pmig_skip("mlock of page %zu: %s (RLIMIT_MEMLOCK?)", i,
				  strerror(errno));
	if (!(pmig_kind_kflags(p.addrs[0]) & PMIG_KIND_KPF(KPF_UNEVICTABLE)))
		pmig_broken(
			"page 0 is mlocked but not unevictable (kpageflags %#llx)",
			(unsigned long long)pmig_kind_kflags(p.addrs[0]));
	frames(&p, before);
	compact_until(ctx, &p, before, after, 2);
	mlocked_moved = moved(ctx, &p, before, after, 0);
	control = moved(ctx, &p, before, after, 2);
	nlocked = kept(&p, 0, addrs);
	pmig_kind_query(addrs, nlocked, ctx->home);
	pmig_diag(
		"compaction moved %zu of %zu mlocked pages and %zu of %zu unlocked ones",
		mlocked_moved, nlocked, control, nlocked);
	if (!pmig_failures() && control == 0)
		pmig_skip(
			"compaction moved none of the %zu unlocked pages either, so their staying says nothing about mlock",
			nlocked);
	pmig_check_eq(mlocked_moved, ctx->expect);
	free(addrs);
	free(after);
	free(before);
}
