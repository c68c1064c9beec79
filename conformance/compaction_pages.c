/* compaction_pages.c - the pages the compaction cases make on home, the room above them, and the witnesses of a move within their node. */
#include <errno.h>
#include <numaif.h>
#include <linux/kernel-page-flags.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "cases.h"
#include "check.h"
#include "compaction.h"
#include "fixtures.h"
#include "kind_checks.h"
#include "pageinfo.h"
#include "pages.h"
#include "settings.h"
#include "sysfile.h"
#include "syscalls.h"

/* Frees every odd page of @p, so each page left has a free neighbour. */
static void fragment(struct pmig_pages *p)
{
	for (size_t i = 1; i < p->count; i += 2)
		if (madvise(p->addrs[i], p->page_size, MADV_DONTNEED))
			pmig_broken("madvise(MADV_DONTNEED) of page %zu: %s", i,
				    strerror(errno));
}

/* The page frame of every page of @p into @pfn (0 for a freed one); SKIPs when the pagemap hides frames. */
void pmig_compact_frames(const struct pmig_pages *p, uint64_t *pfn)
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

/* MemFree of @node in bytes; ERROR when its meminfo cannot be read. */
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

	*len = (size_t)(pmig_node_meminfo(node, "MemFree") / 4 * 3) / page *
	       page;
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
	pmig_compact_frames(p, pfn);
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

uint64_t pmig_compact_filler_word(size_t i, size_t j)
{
	return (uint64_t)i << 24 ^ j ^ 0x706d6967ULL;
}

static void keep_filler(struct pmig_kept_filler *f, char *base, size_t page,
			size_t i)
{
	uint64_t *w = (uint64_t *)(base + i * page);

	for (size_t j = 0; j < page / sizeof(*w); j++)
		w[j] = pmig_compact_filler_word(i, j);
	f->base = base;
	f->page = page;
	f->index[f->n++] = i;
}

/*
 * Anonymous pages of the case on ctx->home, every odd one freed, and a
 * filler made after them (fill()). Of the filler, every page whose frame
 * lies below the median of the case's frames is freed, and above it all
 * but one frame in KEEP_EVERY: so what compaction finds below that median
 * is the case's pages and what the kernel and other tasks hold there, and
 * above it free frames in partly used pageblocks to take them. Where the
 * allocator put the case's pages varies from one case to the next (seen
 * on 6.1 and 6.12: a fresh guest gives frames upwards, after a compaction
 * they come from all over the zone), and freeing the filler by frame, not
 * by address, makes room above wherever they are. With @scatter, the
 * filler below the median keeps one frame in KEEP_EVERY too, so no free
 * block of the node's is larger than KEEP_EVERY frames: its fragmentation
 * score (free memory not in blocks of the THP order) is high wherever the
 * case's pages lie, which is what starts proactive compaction.
 */
void pmig_compact_setup(const struct pmig_ctx *ctx, struct pmig_pages *p,
			bool scatter, struct pmig_kept_filler *f)
{
	size_t len, page = (size_t)sysconf(_SC_PAGESIZE), n, freed = 0;
	uint64_t *e, median;
	char *filler;

	/*
	 * A node's compact file compacts all of it, moving every movable page
	 * below where the scanners meet, and the filler writes three quarters
	 * of its free memory: minutes on a large node (the rows timed out on
	 * this build host's 24 GiB), and a disturbance a shared machine does
	 * not want. The VM topologies' nodes are 3 GiB at most.
	 */
	if (pmig_node_meminfo(ctx->home, "MemTotal") > PMIG_COMPACT_NODE_MAX)
		pmig_skip(
			"node %d has %lld MiB: compacting all of it, as its compact file does, would take minutes; the rows run on nodes of up to %d MiB (pmig vm topologies)",
			ctx->home,
			pmig_node_meminfo(ctx->home, "MemTotal") >> 20,
			(int)(PMIG_COMPACT_NODE_MAX >> 20));
	pmig_kind_setup(ctx, p, PMIG_PAGE_ANON, PMIG_COMPACT_NPAGES);
	fragment(p);
	median = median_frame(p);
	fill(ctx->home, &len, &filler);
	n = len / page;
	e = calloc(n, sizeof(*e));
	if (!e)
		pmig_broken("out of memory");
	if (pmig_pagemap_range(filler, n, e))
		pmig_broken("cannot read the filler's pagemap");
	if (f && !(f->index = calloc(n, sizeof(*f->index))))
		pmig_broken("out of memory");
	for (size_t j = 0; j < n; j++) {
		uint64_t pfn = e[j] & PMIG_PM_PFN_MASK;

		if ((scatter || pfn >= median) &&
		    pfn % KEEP_EVERY == KEEP_EVERY - 1) {
			if (f)
				keep_filler(f, filler, page, j);
			continue;
		}
		if (madvise(filler + j * page, page, MADV_DONTNEED))
			pmig_broken("madvise(MADV_DONTNEED) of the filler: %s",
				    strerror(errno));
		freed++;
	}
	free(e);
	pmig_diag(
		"made the pages (median frame %#llx), then a filler of %zu MiB on node %d; freed %zu MiB of it: %s below that frame, all but one frame in %d above",
		(unsigned long long)median, len >> 20, ctx->home,
		freed * page >> 20, scatter ? "the same" : "all", KEEP_EVERY);
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
size_t pmig_compact_moved(const struct pmig_ctx *ctx,
			  const struct pmig_pages *p, const uint64_t *before,
			  const uint64_t *after, int rem)
{
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
		if (!pmig_frame_on(after[i], p->page_size, (int)want) &&
		    bad_node++ < 4)
			pmig_fail_at(
				__FILE__, __LINE__,
				"page %zu's frame %#llx is not in a memory block of node %ld",
				i, (unsigned long long)after[i], want);
	}
	return n;
}

/* The even pages of @p (or those with i % 4 == @rem), for a status query. */
size_t pmig_compact_kept(const struct pmig_pages *p, int rem, void **addrs)
{
	size_t n = 0;

	for (size_t i = 0; i < p->count; i += 2)
		if (rem < 0 || (int)(i % 4) == rem)
			addrs[n++] = p->addrs[i];
	return n;
}

/* How many even pages of @p (those with i % 4 == @rem; -1: all) changed frame. */
size_t pmig_compact_changed(const struct pmig_pages *p, const uint64_t *before,
			    const uint64_t *after, int rem)
{
	size_t n = 0;

	for (size_t i = 0; i < p->count; i += 2)
		if ((rem < 0 || (int)(i % 4) == rem) && before[i] != after[i])
			n++;
	return n;
}

/* Reads @path, which the runner set to @want; SKIPs when this kernel has no such file. */
void pmig_compact_require_setting(const char *path, const char *want)
{
	char now[16] = "";
	int err = pmig_sysfile_read(path, now, sizeof(now));

	if (err == -ENOENT)
		pmig_skip("this kernel has no %s", path);
	if (err || strcmp(now, want))
		pmig_broken("%s reads '%s' after the runner wrote %s (%s)",
			    path, now, want, err ? strerror(-err) : "no error");
}
