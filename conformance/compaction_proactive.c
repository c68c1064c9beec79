/* compaction_proactive.c - the conformance case of proactive compaction: what kcompactd moves by itself keeps its data and node. */
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

/* @node's lines of /proc/buddyinfo as diagnostics: free blocks per order, what the fragmentation score is made of. */
static void buddyinfo(int node)
{
	char line[256], want[32];
	FILE *f = fopen("/proc/buddyinfo", "re");

	if (!f)
		return;
	snprintf(want, sizeof(want), "Node %d,", node);
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, want, strlen(want)))
			pmig_diag("%.*s", (int)strcspn(line, "\n"), line);
	fclose(f);
}

/* The frames of the kept filler pages into @pfn. */
static void filler_frames(const struct pmig_kept_filler *f, uint64_t *pfn)
{
	for (size_t k = 0; k < f->n; k++) {
		uint64_t e;

		if (pmig_pagemap_range(f->base + f->index[k] * f->page, 1, &e))
			pmig_broken("cannot read the filler's pagemap");
		pfn[k] = e & PMIG_PM_PFN_MASK;
	}
}

/*
 * Of the kept filler pages, those whose frame changed: each must hold its
 * pattern and be on ctx->home by its frame's memory block; their
 * addresses go to @addrs for the status query. Returns how many.
 */
static size_t filler_moved(const struct pmig_ctx *ctx,
			   const struct pmig_kept_filler *f,
			   const uint64_t *before, const uint64_t *after,
			   void **addrs)
{
	long want = pmig_expected(ctx, ctx->home);
	size_t n = 0, bad = 0;

	for (size_t k = 0; k < f->n; k++) {
		const uint64_t *w =
			(const uint64_t *)(f->base + f->index[k] * f->page);
		bool ok = true;

		if (before[k] == after[k])
			continue;
		addrs[n++] = (void *)w;
		for (size_t j = 0; j < f->page / sizeof(*w) && ok; j++)
			ok = w[j] == pmig_compact_filler_word(f->index[k], j);
		if (!ok && bad++ < 4)
			pmig_fail_at(
				__FILE__, __LINE__,
				"filler page %zu (frame %#llx, was %#llx) lost its data",
				f->index[k], (unsigned long long)after[k],
				(unsigned long long)before[k]);
		if (!pmig_frame_on(after[k], f->page, (int)want) && bad++ < 4)
			pmig_fail_at(
				__FILE__, __LINE__,
				"filler page %zu's frame %#llx is not in a memory block of node %ld",
				f->index[k], (unsigned long long)after[k],
				want);
	}
	return n;
}

/*
 * How long the proactive row waits for kcompactd, in 100 ms polls: it
 * wakes at once on the write (5.17+) or within HPAGE_FRAG_CHECK_INTERVAL
 * (500 ms), but a whole node's compaction under TCG takes seconds.
 */
enum { PROACTIVE_POLLS = 600 };

/*
 * Pages on home as in the rows above, with compaction_proactiveness 0
 * (read back), so kcompactd leaves them alone, and the filler scattered
 * over the whole node (its fragmentation score high), every kept filler
 * page with a pattern; then 100: kcompactd compacts home in the
 * background once its score is above the high mark (15 at 100), and stops
 * when it is below the low one (5): where the case's own pages lie, it may
 * stop before it reaches them (seen on 5.10 after the rows above: none of
 * 1024 moved in 60 s), but it starts at the zone's bottom, where kept
 * filler pages lie too. Waits until some of either changed frame: each
 * that did holds its data and is on home by the status query and its
 * frame's memory block; compact_migrate_scanned grew though the case
 * asked for no compaction, and pgmigrate_success by at least the number
 * moved. compact_daemon_migrate_scanned, kcompactd's own count, is only
 * shown: 6.12's compact_node() adds a proactive pass to it, 6.1's
 * proactive compaction did not (seen: +0 on 6.1.0-50 while 202 pages
 * moved).
 */
PMIG_CASE(compact_proactive)
{
	static const struct timespec poll = { 0, 100 * 1000 * 1000 };
	struct pmig_kept_filler f = { 0 };
	struct pmig_pages p;
	uint64_t *before = calloc(PMIG_COMPACT_NPAGES, sizeof(*before)),
		 *after = calloc(PMIG_COMPACT_NPAGES, sizeof(*after)), *fb, *fa;
	void **addrs = calloc(PMIG_COMPACT_NPAGES, sizeof(*addrs)), **faddrs;
	long long scanned, daemon, success;
	size_t n = 0, nf = 0, nkept;
	int err, polls = 0;

	if (!before || !after || !addrs)
		pmig_broken("out of memory");
	pmig_compact_require_setting(PMIG_COMPACT_PROACTIVENESS, "0");
	pmig_compact_setup(ctx, &p, true, &f);
	fb = calloc(f.n + 1, sizeof(*fb));
	fa = calloc(f.n + 1, sizeof(*fa));
	faddrs = calloc(f.n + 1, sizeof(*faddrs));
	if (!fb || !fa || !faddrs)
		pmig_broken("out of memory");
	pmig_compact_frames(&p, before);
	filler_frames(&f, fb);
	scanned = pmig_vmstat("compact_migrate_scanned");
	daemon = pmig_vmstat("compact_daemon_migrate_scanned");
	success = pmig_vmstat("pgmigrate_success");
	if (scanned < 0 || success < 0)
		pmig_skip(
			"/proc/vmstat has no compact_migrate_scanned or pgmigrate_success");
	buddyinfo(ctx->home);
	/* The runner put back the value it saved, whatever the case wrote. */
	err = pmig_sysfile_write(PMIG_COMPACT_PROACTIVENESS, "100");
	if (err)
		pmig_broken("cannot write 100 to %s: %s",
			    PMIG_COMPACT_PROACTIVENESS, strerror(-err));
	do {
		nanosleep(&poll, NULL);
		pmig_compact_frames(&p, after);
		filler_frames(&f, fa);
		n = pmig_compact_changed(&p, before, after, -1);
		nf = 0;
		for (size_t k = 0; k < f.n; k++)
			nf += fa[k] != fb[k];
	} while (++polls < PROACTIVE_POLLS && !n && !nf);
	/* Stop it before the checks read the frames again. */
	pmig_sysfile_write(PMIG_COMPACT_PROACTIVENESS, "0");
	scanned = pmig_vmstat("compact_migrate_scanned") - scanned;
	daemon = pmig_vmstat("compact_daemon_migrate_scanned") - daemon;
	success = pmig_vmstat("pgmigrate_success") - success;
	pmig_compact_frames(&p, after);
	filler_frames(&f, fa);
	n = pmig_compact_moved(ctx, &p, before, after, -1);
	nf = filler_moved(ctx, &f, fb, fa, faddrs);
	nkept = pmig_compact_kept(&p, -1, addrs);
	pmig_kind_query(addrs, nkept, pmig_expected(ctx, ctx->home));
	if (nf)
		pmig_kind_query(faddrs, nf, pmig_expected(ctx, ctx->home));
	pmig_diag(
		"after %d polls of 100 ms kcompactd had moved %zu of the %zu pages left and %zu of %zu kept filler pages; compact_migrate_scanned +%lld, compact_daemon_migrate_scanned +%lld, pgmigrate_success +%lld",
		polls, n, nkept, nf, f.n, scanned, daemon, success);
	if (!pmig_failures() && n + nf == 0)
		pmig_skip(
			"kcompactd moved none of the %zu pages left nor of the %zu kept filler pages in %d s (compact_migrate_scanned +%lld): nothing to check data and node against",
			nkept, f.n, PROACTIVE_POLLS / 10, scanned);
	pmig_check(scanned > 0);
	pmig_check(success >= (long long)(n + nf));
	free(faddrs);
	free(fa);
	free(fb);
	free(f.index);
	free(addrs);
	free(after);
	free(before);
}
