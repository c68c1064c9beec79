/* page_kinds.c - conformance cases for move_pages(2) on memfd, COW-shared, file, KSM, swapped, mlocked pages and unaligned addresses. */
#include <errno.h>
#include <linux/kernel-page-flags.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cases.h"
#include "check.h"
#include "fixtures.h"
#include "invariants.h"
#include "kind_checks.h"
#include "pageinfo.h"
#include "settings.h"
#include "sysfile.h"
#include "syscalls.h"

/* A status query of every page of @p: each is where the row says (the home node). */
static void kind_status(const struct pmig_ctx *ctx, struct pmig_pages *p)
{
	pmig_kind_query(p->addrs, p->count, pmig_expected(ctx, ctx->home));
}

/* Moves every page of @p to ctx->other; each status must be the row's value. */
static void kind_move(const struct pmig_ctx *ctx, struct pmig_pages *p,
		      int flags)
{
	int *status = calloc(p->count, sizeof(*status));

	if (!status)
		pmig_broken("out of memory");
	pmig_kind_move(p->addrs, p->count, ctx->other, flags, status, p);
	pmig_kind_check_statuses(status, p->count, -1,
				 pmig_expected(ctx, ctx->other));
	free(status);
}

enum { N = 4 };

/* A status query of pages of kind ctx->arg (memfd, mlocked...). */
PMIG_CASE(kind_queried)
{
	struct pmig_pages p;

	pmig_kind_setup(ctx, &p, ctx->arg, N);
	kind_status(ctx, &p);
}

/* Pages of kind ctx->arg (memfd, file...) moved to the other node. */
PMIG_CASE(kind_moved)
{
	struct pmig_pages p;

	pmig_kind_setup(ctx, &p, ctx->arg, N);
	kind_move(ctx, &p, MPOL_MF_MOVE);
}

/* memfd (shmem) and COW-shared anonymous pages, shared with a child */

/* Pages of kind ctx->arg that a child process maps too, moved with ctx->flags. */
PMIG_CASE(shared_move)
{
	struct pmig_pages p;
	pid_t sharer;

	pmig_kind_setup(ctx, &p, ctx->arg, N);
	sharer = pmig_sharer_setup(&p);
	kind_move(ctx, &p, ctx->flags);
	/* Moved or refused, every page is where its status says. */
	pmig_kind_query(p.addrs, N,
			ctx->expect == PMIG_EXPECT_NODE ? ctx->other :
							  ctx->home);
	pmig_sharer_stop(sharer);
}

PMIG_CASE(anon_cow_status)
{
	struct pmig_pages p;
	pid_t sharer;

	pmig_kind_setup(ctx, &p, PMIG_PAGE_ANON, N);
	sharer = pmig_sharer_setup(&p);
	kind_status(ctx, &p);
	pmig_sharer_stop(sharer);
}

/* File pages */

/* A status query of clean or dirty file pages (ctx->arg), with page 0's flags. */
PMIG_CASE(file_status)
{
	struct pmig_pages p;

	pmig_kind_setup(ctx, &p, ctx->arg, N);
	pmig_diag("page 0 kpageflags %#llx",
		  (unsigned long long)pmig_kind_kflags(p.addrs[0]));
	kind_status(ctx, &p);
}

/* KSM */

/* The page frame behind @addr; SKIPs when the pagemap hides frames. */
static uint64_t pfn(const void *addr)
{
	uint64_t e = 0;
	int err = pmig_pagemap(addr, &e);

	if (err)
		pmig_skip("cannot read /proc/self/pagemap: %s", strerror(-err));
	if ((e & PMIG_PM_PRESENT) && !(e & PMIG_PM_PFN_MASK))
		pmig_skip("the pagemap hides page frame numbers");
	return e & PMIG_PM_PRESENT ? e & PMIG_PM_PFN_MASK : 0;
}

/*
 * ksmd stopped, the merged pages kept (run=0; 2 would unmerge them). A
 * running ksmd keeps scanning every mergeable page and holds a reference on
 * the one it looks at: a move that meets that reference fails with -EAGAIN
 * through all of migrate_pages()' retries, and move_pages(2) returns 1 (seen
 * in about one full run in ten, on arm64-16k and x86-64). run_store() takes
 * ksm_thread_mutex, which ksmd holds across a scan batch, so once the write
 * returns no scan is under way and none starts. The runner restores run.
 */
static void ksmd_stop(void)
{
	const char *run = "/sys/kernel/mm/ksm/run";
	char now[16] = "";
	int err = pmig_sysfile_write(run, "0");

	if (!err)
		err = pmig_sysfile_read(run, now, sizeof(now));
	if (err || strcmp(now, "0"))
		pmig_broken("cannot stop ksmd: %s reads '%s' after writing 0 (%s)",
			    run, now, err ? strerror(-err) : "no error");
	pmig_diag("ksmd stopped (%s = 0) so that its scan holds no reference during the call",
		  run);
}

/*
 * Two identical mergeable pages, once ksmd has merged them (bounded wait).
 * Merged means both addresses map one page frame. Neither pages_shared
 * (every process's KSM pages; it need not rise when ksmd prunes a stale
 * stable page of an earlier case as it merges ours) nor KPF_KSM (Debian's
 * 6.12 set it on unmerged anonymous pages) tells that reliably.
 */
static void ksm_setup(const struct pmig_ctx *ctx, struct pmig_pages *p)
{
	const char *shared = "/sys/kernel/mm/ksm/pages_shared";
	struct timespec nap = { 0, 50 * 1000 * 1000 };

	pmig_kind_setup(ctx, p, PMIG_PAGE_KSM, 2);
	for (int i = 0; i < PMIG_KSM_WAIT_S * 20; i++) {
		uint64_t a = pfn(p->addrs[0]);

		if (a && a == pfn(p->addrs[1])) {
			pmig_diag(
				"ksmd merged the pages after about %d ms (pages_shared %ld, kpageflags %#llx)",
				i * 50, pmig_read_number(shared),
				(unsigned long long)pmig_kind_kflags(
					p->addrs[0]));
			ksmd_stop();
			return;
		}
		nanosleep(&nap, NULL);
	}
	pmig_skip("ksmd did not merge the pages within %d s (pages_shared %ld)",
		  PMIG_KSM_WAIT_S, pmig_read_number(shared));
}

PMIG_CASE(ksm_status)
{
	struct pmig_pages p;

	ksm_setup(ctx, &p);
	kind_status(ctx, &p);
}

/* Moves the KSM page by its first address with ctx->flags; both addresses then show where it is. */
PMIG_CASE(ksm_move)
{
	struct pmig_pages p;
	int status;

	ksm_setup(ctx, &p);
	pmig_kind_move(p.addrs, 1, ctx->other, ctx->flags, &status, &p);
	pmig_check_eq(status, pmig_expected(ctx, ctx->other));
	pmig_kind_query(p.addrs, 2, status >= 0 ? status : ctx->home);
}

/* Swapped out */

static void swapped_setup(const struct pmig_ctx *ctx, struct pmig_pages *p)
{
	int err;

	if (!pmig_swap_active())
		pmig_skip("no active swap");
	pmig_kind_setup(ctx, p, PMIG_PAGE_ANON, N);
	err = pmig_pages_pageout(p);
	if (err == -EAGAIN)
		pmig_skip("MADV_PAGEOUT left a page in memory");
	if (err)
		pmig_skip("MADV_PAGEOUT: %s", strerror(-err));
}

PMIG_CASE(swapped_status)
{
	struct pmig_pages p;

	swapped_setup(ctx, &p);
	kind_status(ctx, &p);
}

PMIG_CASE(swapped_move)
{
	struct pmig_pages p;
	int status[N];
	uint64_t e;

	swapped_setup(ctx, &p);
	/* Data last: reading it swaps the pages in. */
	pmig_kind_move(p.addrs, N, ctx->other, MPOL_MF_MOVE, status, NULL);
	pmig_kind_check_statuses(status, N, -1, pmig_expected(ctx, ctx->other));
	for (size_t i = 0; i < N; i++)
		pmig_check(pmig_pagemap(p.addrs[i], &e) == 0 &&
			   (e & PMIG_PM_SWAPPED));
	pmig_inv_data_intact(&p);
}

/* mlocked */

PMIG_CASE(mlocked_moved)
{
	struct pmig_pages p;

	uint64_t f;

	pmig_kind_setup(ctx, &p, PMIG_PAGE_MLOCKED, N);
	kind_move(ctx, &p, MPOL_MF_MOVE);
	if (pmig_kpageflags(p.addrs[0], &f) == 0)
		pmig_diag("after the move page 0 is %s",
			  f & PMIG_KIND_KPF(KPF_UNEVICTABLE) ?
				  "unevictable (still locked)" :
				  "not (yet) unevictable");
}

/* Addresses inside base pages */

static void unaligned_addrs(const struct pmig_pages *p, void **addrs)
{
	static const size_t offsets[N] = { 1, 100, 2048, 4095 };

	for (size_t i = 0; i < N; i++)
		addrs[i] = (char *)p->addrs[i] + offsets[i];
}

PMIG_CASE(anon_unaligned_status)
{
	struct pmig_pages p;
	void *addrs[N];

	pmig_kind_setup(ctx, &p, PMIG_PAGE_ANON, N);
	unaligned_addrs(&p, addrs);
	pmig_kind_query(addrs, N, pmig_expected(ctx, ctx->home));
}

PMIG_CASE(anon_unaligned_moved)
{
	struct pmig_pages p;
	void *addrs[N];
	int status[N];

	pmig_kind_setup(ctx, &p, PMIG_PAGE_ANON, N);
	unaligned_addrs(&p, addrs);
	pmig_kind_move(addrs, N, ctx->other, MPOL_MF_MOVE, status, &p);
	pmig_kind_check_statuses(status, N, -1, pmig_expected(ctx, ctx->other));
	pmig_kind_query(p.addrs, N, pmig_expected(ctx, ctx->other));
}

PMIG_CASE(anon_unaligned_same_page)
{
	struct pmig_pages p;
	void *addrs[2];
	int status[2];

	pmig_kind_setup(ctx, &p, PMIG_PAGE_ANON, 1);
	addrs[0] = p.addrs[0];
	addrs[1] = (char *)p.addrs[0] + 2048;
	pmig_kind_move(addrs, 2, ctx->other, MPOL_MF_MOVE, status, &p);
	pmig_check_eq(status[0], ctx->other);
	pmig_check_eq(status[1], ctx->expect);
}
