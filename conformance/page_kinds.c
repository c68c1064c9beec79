/* page_kinds.c - conformance cases for move_pages(2) on every kind of page. */
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
#include "pageinfo.h"
#include "syscalls.h"

#define KPF(bit) (1ULL << (bit))
#define SUBPAGES (PMIG_HUGE_PAGE_SIZE / 4096)

/* Creates @count pages of @kind on ctx->home; SKIPs when this machine cannot make them. */
static void kind_setup(const struct pmig_ctx *ctx, struct pmig_pages *p,
		       enum pmig_page_kind kind, size_t count)
{
	int err = pmig_pages_create(p, kind, count, ctx->home, ctx->seed);

	if (err == -ENOMEDIUM)
		pmig_skip("no disk-backed filesystem (set PMIG_SCRATCH_DIR)");
	if (err == -ENOSPC)
		pmig_skip("fewer than %zu free 2 MiB hugetlb pages on node %d",
			  count, ctx->home);
	if (err)
		pmig_broken("cannot create %zu %s pages on node %d: %s", count,
			    pmig_page_kind_name(kind), ctx->home,
			    strerror(-err));
}

/* The kpageflags of @addr's page; SKIPs when they cannot be read. */
static uint64_t kflags(const void *addr)
{
	uint64_t f = 0;
	int err = pmig_kpageflags(addr, &f);

	if (err)
		pmig_skip("cannot read /proc/kpageflags for %p: %s", addr,
			  strerror(-err));
	return f;
}

/* Whether the 2 MiB at @addr are one compound page with @flag (KPF_THP...). */
static bool one_huge_page(const char *addr, uint64_t flag)
{
	uint64_t first, last;

	if (pmig_pagemap(addr, &first) ||
	    pmig_pagemap(addr + PMIG_HUGE_PAGE_SIZE - 4096, &last))
		return false;
	return (kflags(addr) & flag) == flag &&
	       (last & PMIG_PM_PFN_MASK) ==
		       (first & PMIG_PM_PFN_MASK) + SUBPAGES - 1;
}

static void require_thp(const struct pmig_pages *p)
{
	for (size_t i = 0; i < p->count; i++)
		if (!one_huge_page(p->addrs[i],
				   KPF(KPF_THP) | KPF(KPF_COMPOUND_HEAD)))
			pmig_skip(
				"the kernel backed the 2 MiB region with base pages, not a THP (kpageflags %#llx)",
				(unsigned long long)kflags(p->addrs[i]));
}

/* Every 4 KiB address of huge page @i of @p. */
static void **subpage_addrs(const struct pmig_pages *p, size_t i)
{
	void **a = calloc(SUBPAGES, sizeof(*a));

	if (!a)
		pmig_broken("out of memory");
	for (size_t j = 0; j < SUBPAGES; j++)
		a[j] = (char *)p->addrs[i] + j * 4096;
	return a;
}

/* Checks each status[i] is @want, except entry @except (-1: none); reports the first few. */
static void check_statuses(const int *status, size_t n, long except, long want)
{
	size_t bad = 0;
	char label[48];

	for (size_t i = 0; i < n; i++) {
		if ((long)i == except || status[i] == want)
			continue;
		if (++bad <= 4) {
			snprintf(label, sizeof(label), "status[%zu]", i);
			pmig_check_val(label, status[i], want);
		}
	}
	if (bad > 4)
		pmig_fail_at(__FILE__, __LINE__,
			     "%zu of %zu statuses differ from the expected %ld",
			     bad, n, want);
}

/* A status query of @n addresses, each expected to say @want. */
static void query(void **addrs, size_t n, long want)
{
	int *status = calloc(n, sizeof(*status));
	long ret;

	if (!status)
		pmig_broken("out of memory");
	pmig_status_reset(status, n);
	ret = pmig_move_pages(0, n, addrs, NULL, status, 0);
	pmig_require_eq(ret, 0);
	check_statuses(status, n, -1, want);
	free(status);
}

/* Moves @n addresses to @node with @flags; the call must return 0. Checks the invariants. */
static void move(void **addrs, size_t n, int node, int flags, int *status,
		 const struct pmig_pages *p)
{
	int *nodes = calloc(n, sizeof(*nodes));
	long ret;

	if (!nodes)
		pmig_broken("out of memory");
	for (size_t i = 0; i < n; i++)
		nodes[i] = node;
	pmig_status_reset(status, n);
	ret = pmig_move_pages(0, n, addrs, nodes, status, flags);
	pmig_require_eq(ret, 0);
	pmig_check_move_invariants(addrs, nodes, status, n, ret, p);
	free(nodes);
}

/* A status query of every page of @p: each is where the row says (the home node). */
static void kind_status(const struct pmig_ctx *ctx, struct pmig_pages *p)
{
	query(p->addrs, p->count, pmig_expected(ctx, ctx->home));
}

/* Moves every page of @p to ctx->other; each status must be the row's value. */
static void kind_move(const struct pmig_ctx *ctx, struct pmig_pages *p,
		      int flags)
{
	int *status = calloc(p->count, sizeof(*status));

	if (!status)
		pmig_broken("out of memory");
	move(p->addrs, p->count, ctx->other, flags, status, p);
	check_statuses(status, p->count, -1, pmig_expected(ctx, ctx->other));
	free(status);
}

/* Transparent huge pages */

static const struct pmig_setting thp_settings[] = {
	{ "/sys/kernel/mm/transparent_hugepage/enabled", "madvise",
	  PMIG_SR_REQUIRED },
	{ "/sys/kernel/mm/transparent_hugepage/defrag", "madvise",
	  PMIG_SR_REQUIRED },
};

static void thp_setup(const struct pmig_ctx *ctx, struct pmig_pages *p)
{
	kind_setup(ctx, p, PMIG_PAGE_THP, 1);
	require_thp(p);
}

static void record_still_huge(const struct pmig_pages *p)
{
	pmig_diag("after the move the 2 MiB %s a THP",
		  one_huge_page(p->addrs[0], KPF(KPF_THP)) ? "is still" :
							     "is no longer");
}

static void thp_status_subpages(const struct pmig_ctx *ctx)
{
	struct pmig_pages p;

	thp_setup(ctx, &p);
	query(subpage_addrs(&p, 0), SUBPAGES, pmig_expected(ctx, ctx->home));
}

/* Moves huge page 0 of @p by the address at @offset, then checks where all of it is. */
static void huge_move_by(const struct pmig_ctx *ctx, struct pmig_pages *p,
			 size_t offset)
{
	void *addr = (char *)p->addrs[0] + offset;
	int status;

	pmig_diag("moving the %s page by its address at offset %zu",
		  pmig_page_kind_name(p->kind), offset);
	move(&addr, 1, ctx->other, MPOL_MF_MOVE, &status, p);
	pmig_check_eq(status, pmig_expected(ctx, ctx->other));
	/* All or nothing: every subpage is where the status says. */
	query(subpage_addrs(p, 0), SUBPAGES, status >= 0 ? status : ctx->home);
}

static void thp_moved_whole(const struct pmig_ctx *ctx)
{
	struct pmig_pages p;

	thp_setup(ctx, &p);
	huge_move_by(ctx, &p, 0);
	record_still_huge(&p);
}

static void thp_tail_address_moved(const struct pmig_ctx *ctx)
{
	struct pmig_pages p;

	thp_setup(ctx, &p);
	huge_move_by(ctx, &p, PMIG_HUGE_PAGE_SIZE / 2 + 4096);
	record_still_huge(&p);
}

/* All subpage addresses of huge page 0 in one move: status[1] is the row's. */
static void huge_subpages(const struct pmig_ctx *ctx, struct pmig_pages *p)
{
	void **addrs = subpage_addrs(p, 0);
	int status[SUBPAGES];

	move(addrs, SUBPAGES, ctx->other, MPOL_MF_MOVE, status, p);
	pmig_diag("status[0..3] = %d %d %d %d", status[0], status[1], status[2],
		  status[3]);
	pmig_check_eq(status[1], ctx->expect);
	check_statuses(status, SUBPAGES, 1, ctx->other);
	query(addrs, SUBPAGES, ctx->other);
}

static void thp_subpages(const struct pmig_ctx *ctx)
{
	struct pmig_pages p;

	thp_setup(ctx, &p);
	huge_subpages(ctx, &p);
	record_still_huge(&p);
}

/* hugetlb */

/* Two pages in each pool: one to move, one spare; the runner restores the sizes. */
static const struct pmig_setting hugetlb_home_settings[] = {
	{ "/sys/devices/system/node/node{home}/hugepages/hugepages-2048kB/nr_hugepages",
	  "2", PMIG_SR_REQUIRED },
};

static const struct pmig_setting hugetlb_settings[] = {
	{ "/sys/devices/system/node/node{home}/hugepages/hugepages-2048kB/nr_hugepages",
	  "2", PMIG_SR_REQUIRED },
	{ "/sys/devices/system/node/node{other}/hugepages/hugepages-2048kB/nr_hugepages",
	  "2", PMIG_SR_REQUIRED },
};

static void hugetlb_setup(const struct pmig_ctx *ctx, struct pmig_pages *p,
			  bool moving)
{
	if (moving && pmig_hugetlb_free(ctx->other) < 1)
		pmig_skip("no free 2 MiB hugetlb page on node %d (free: %ld)",
			  ctx->other, pmig_hugetlb_free(ctx->other));
	kind_setup(ctx, p, PMIG_PAGE_HUGETLB, 1);
	if (!one_huge_page(p->addrs[0], KPF(KPF_HUGE)))
		pmig_broken("the MAP_HUGETLB page is not one 2 MiB page");
}

static void hugetlb_status_subpages(const struct pmig_ctx *ctx)
{
	struct pmig_pages p;

	hugetlb_setup(ctx, &p, false);
	query(subpage_addrs(&p, 0), SUBPAGES, pmig_expected(ctx, ctx->home));
}

static void hugetlb_moved(const struct pmig_ctx *ctx)
{
	struct pmig_pages p;

	hugetlb_setup(ctx, &p, true);
	huge_move_by(ctx, &p, 0);
}

static void hugetlb_tail_address_moved(const struct pmig_ctx *ctx)
{
	struct pmig_pages p;

	hugetlb_setup(ctx, &p, true);
	huge_move_by(ctx, &p, PMIG_HUGE_PAGE_SIZE / 2 + 4096);
}

static void hugetlb_subpages(const struct pmig_ctx *ctx)
{
	struct pmig_pages p;

	hugetlb_setup(ctx, &p, true);
	huge_subpages(ctx, &p);
}

/* The huge zero page */

static const struct pmig_setting huge_zero_settings[] = {
	{ "/sys/kernel/mm/transparent_hugepage/enabled", "madvise",
	  PMIG_SR_REQUIRED },
	{ "/sys/kernel/mm/transparent_hugepage/use_zero_page", "1",
	  PMIG_SR_REQUIRED },
};

static void huge_zero_setup(const struct pmig_ctx *ctx, struct pmig_pages *p)
{
	kind_setup(ctx, p, PMIG_PAGE_HUGE_ZERO, 1);
	if (!one_huge_page(p->addrs[0], KPF(KPF_ZERO_PAGE) | KPF(KPF_THP)))
		pmig_skip(
			"the read fault did not map the huge zero page (kpageflags %#llx)",
			(unsigned long long)kflags(p->addrs[0]));
}

static void huge_zero_status(const struct pmig_ctx *ctx)
{
	struct pmig_pages p;

	huge_zero_setup(ctx, &p);
	query(subpage_addrs(&p, 0), SUBPAGES, ctx->expect);
}

static void huge_zero_move(const struct pmig_ctx *ctx)
{
	struct pmig_pages p;
	int node = ctx->other >= 0 ? ctx->other : ctx->home, status;

	huge_zero_setup(ctx, &p);
	move(p.addrs, 1, node, MPOL_MF_MOVE, &status, NULL);
	pmig_check_eq(status, ctx->expect);
}

/* memfd (shmem) and COW-shared anonymous pages, alone and shared with a child */

enum { N = 4 };

static void memfd_status(const struct pmig_ctx *ctx)
{
	struct pmig_pages p;

	kind_setup(ctx, &p, PMIG_PAGE_MEMFD, N);
	kind_status(ctx, &p);
}

static void memfd_moved(const struct pmig_ctx *ctx)
{
	struct pmig_pages p;

	kind_setup(ctx, &p, PMIG_PAGE_MEMFD, N);
	kind_move(ctx, &p, MPOL_MF_MOVE);
}

/* @kind pages that a child process maps too, moved with @flags. */
static void shared_move(const struct pmig_ctx *ctx, enum pmig_page_kind kind,
			int flags)
{
	struct pmig_pages p;
	pid_t sharer;

	kind_setup(ctx, &p, kind, N);
	sharer = pmig_sharer_setup(&p);
	kind_move(ctx, &p, flags);
	/* Moved or refused, every page is where its status says. */
	query(p.addrs, N,
	      ctx->expect == PMIG_EXPECT_NODE ? ctx->other : ctx->home);
	pmig_sharer_stop(sharer);
}

static void memfd_shared_move(const struct pmig_ctx *ctx)
{
	shared_move(ctx, PMIG_PAGE_MEMFD, MPOL_MF_MOVE);
}

static void memfd_shared_move_all(const struct pmig_ctx *ctx)
{
	shared_move(ctx, PMIG_PAGE_MEMFD, MPOL_MF_MOVE_ALL);
}

static void anon_cow_status(const struct pmig_ctx *ctx)
{
	struct pmig_pages p;
	pid_t sharer;

	kind_setup(ctx, &p, PMIG_PAGE_ANON, N);
	sharer = pmig_sharer_setup(&p);
	kind_status(ctx, &p);
	pmig_sharer_stop(sharer);
}

static void anon_cow_move(const struct pmig_ctx *ctx)
{
	shared_move(ctx, PMIG_PAGE_ANON, MPOL_MF_MOVE);
}

static void anon_cow_move_all(const struct pmig_ctx *ctx)
{
	shared_move(ctx, PMIG_PAGE_ANON, MPOL_MF_MOVE_ALL);
}

/* File pages */

static void file_status(const struct pmig_ctx *ctx, enum pmig_page_kind kind)
{
	struct pmig_pages p;

	kind_setup(ctx, &p, kind, N);
	pmig_diag("page 0 kpageflags %#llx",
		  (unsigned long long)kflags(p.addrs[0]));
	kind_status(ctx, &p);
}

static void file_move(const struct pmig_ctx *ctx, enum pmig_page_kind kind)
{
	struct pmig_pages p;

	kind_setup(ctx, &p, kind, N);
	kind_move(ctx, &p, MPOL_MF_MOVE);
}

static void file_clean_status(const struct pmig_ctx *ctx)
{
	file_status(ctx, PMIG_PAGE_FILE_CLEAN);
}

static void file_clean_moved(const struct pmig_ctx *ctx)
{
	file_move(ctx, PMIG_PAGE_FILE_CLEAN);
}

static void file_dirty_status(const struct pmig_ctx *ctx)
{
	file_status(ctx, PMIG_PAGE_FILE_DIRTY);
}

static void file_dirty_moved(const struct pmig_ctx *ctx)
{
	file_move(ctx, PMIG_PAGE_FILE_DIRTY);
}

/* KSM */

static const struct pmig_setting ksm_settings[] = {
	{ "/sys/kernel/mm/ksm/run", "1", PMIG_SR_REQUIRED },
	{ "/sys/kernel/mm/ksm/pages_to_scan", "1000", PMIG_SR_REQUIRED },
	{ "/sys/kernel/mm/ksm/sleep_millisecs", "20", PMIG_SR_REQUIRED },
};

enum { KSM_WAIT_S = 30 };

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

	kind_setup(ctx, p, PMIG_PAGE_KSM, 2);
	for (int i = 0; i < KSM_WAIT_S * 20; i++) {
		uint64_t a = pfn(p->addrs[0]);

		if (a && a == pfn(p->addrs[1])) {
			pmig_diag(
				"ksmd merged the pages after about %d ms (pages_shared %ld, kpageflags %#llx)",
				i * 50, pmig_read_number(shared),
				(unsigned long long)kflags(p->addrs[0]));
			return;
		}
		nanosleep(&nap, NULL);
	}
	pmig_skip("ksmd did not merge the pages within %d s (pages_shared %ld)",
		  KSM_WAIT_S, pmig_read_number(shared));
}

static void ksm_status(const struct pmig_ctx *ctx)
{
	struct pmig_pages p;

	ksm_setup(ctx, &p);
	kind_status(ctx, &p);
}

/* Moves the KSM page by its first address with @flags; both addresses then show where it is. */
static void ksm_move(const struct pmig_ctx *ctx, int flags)
{
	struct pmig_pages p;
	int status;

	ksm_setup(ctx, &p);
	move(p.addrs, 1, ctx->other, flags, &status, &p);
	pmig_check_eq(status, pmig_expected(ctx, ctx->other));
	query(p.addrs, 2, status >= 0 ? status : ctx->home);
}

static void ksm_move_only(const struct pmig_ctx *ctx)
{
	ksm_move(ctx, MPOL_MF_MOVE);
}

static void ksm_move_all(const struct pmig_ctx *ctx)
{
	ksm_move(ctx, MPOL_MF_MOVE_ALL);
}

/* Swapped out */

static bool swap_active(void)
{
	FILE *f = fopen("/proc/swaps", "re");
	char line[256];
	int lines = 0;

	if (!f)
		return false;
	while (fgets(line, sizeof(line), f))
		lines++;
	fclose(f);
	return lines > 1; /* the first is the header */
}

static void swapped_setup(const struct pmig_ctx *ctx, struct pmig_pages *p)
{
	int err;

	if (!swap_active())
		pmig_skip("no active swap");
	kind_setup(ctx, p, PMIG_PAGE_ANON, N);
	err = pmig_pages_pageout(p);
	if (err == -EAGAIN)
		pmig_skip("MADV_PAGEOUT left a page in memory");
	if (err)
		pmig_skip("MADV_PAGEOUT: %s", strerror(-err));
}

static void swapped_status(const struct pmig_ctx *ctx)
{
	struct pmig_pages p;

	swapped_setup(ctx, &p);
	kind_status(ctx, &p);
}

static void swapped_move(const struct pmig_ctx *ctx)
{
	struct pmig_pages p;
	int status[N];
	uint64_t e;

	swapped_setup(ctx, &p);
	/* Data last: reading it swaps the pages in. */
	move(p.addrs, N, ctx->other, MPOL_MF_MOVE, status, NULL);
	check_statuses(status, N, -1, pmig_expected(ctx, ctx->other));
	for (size_t i = 0; i < N; i++)
		pmig_check(pmig_pagemap(p.addrs[i], &e) == 0 &&
			   (e & PMIG_PM_SWAPPED));
	pmig_inv_data_intact(&p);
}

/* mlocked */

static void mlocked_status(const struct pmig_ctx *ctx)
{
	struct pmig_pages p;

	kind_setup(ctx, &p, PMIG_PAGE_MLOCKED, N);
	kind_status(ctx, &p);
}

static void mlocked_moved(const struct pmig_ctx *ctx)
{
	struct pmig_pages p;

	uint64_t f;

	kind_setup(ctx, &p, PMIG_PAGE_MLOCKED, N);
	kind_move(ctx, &p, MPOL_MF_MOVE);
	if (pmig_kpageflags(p.addrs[0], &f) == 0)
		pmig_diag("after the move page 0 is %s",
			  f & KPF(KPF_UNEVICTABLE) ?
				  "unevictable (still locked)" :
				  "not (yet) unevictable");
}

/* Addresses inside 4 KiB pages */

static void unaligned_addrs(const struct pmig_pages *p, void **addrs)
{
	static const size_t offsets[N] = { 1, 100, 2048, 4095 };

	for (size_t i = 0; i < N; i++)
		addrs[i] = (char *)p->addrs[i] + offsets[i];
}

static void anon_unaligned_status(const struct pmig_ctx *ctx)
{
	struct pmig_pages p;
	void *addrs[N];

	kind_setup(ctx, &p, PMIG_PAGE_ANON, N);
	unaligned_addrs(&p, addrs);
	query(addrs, N, pmig_expected(ctx, ctx->home));
}

static void anon_unaligned_moved(const struct pmig_ctx *ctx)
{
	struct pmig_pages p;
	void *addrs[N];
	int status[N];

	kind_setup(ctx, &p, PMIG_PAGE_ANON, N);
	unaligned_addrs(&p, addrs);
	move(addrs, N, ctx->other, MPOL_MF_MOVE, status, &p);
	check_statuses(status, N, -1, pmig_expected(ctx, ctx->other));
	query(p.addrs, N, pmig_expected(ctx, ctx->other));
}

static void anon_unaligned_same_page(const struct pmig_ctx *ctx)
{
	struct pmig_pages p;
	void *addrs[2];
	int status[2];

	kind_setup(ctx, &p, PMIG_PAGE_ANON, 1);
	addrs[0] = p.addrs[0];
	addrs[1] = (char *)p.addrs[0] + 2048;
	move(addrs, 2, ctx->other, MPOL_MF_MOVE, status, &p);
	pmig_check_eq(status[0], ctx->other);
	pmig_check_eq(status[1], ctx->expect);
}

#define SETTINGS(a) .settings = a, .nsettings = PMIG_ARRAY_SIZE(a)

static const struct pmig_case cases[] = {
	{ .id = "move_pages.kind.thp_status_subpages",
	  .run = thp_status_subpages,
	  SETTINGS(thp_settings) },
	{ .id = "move_pages.kind.thp_moved_whole",
	  .run = thp_moved_whole,
	  SETTINGS(thp_settings) },
	{ .id = "move_pages.kind.thp_tail_address_moved",
	  .run = thp_tail_address_moved,
	  SETTINGS(thp_settings) },
	{ .id = "move_pages.kind.thp_subpages_ebusy_second",
	  .run = thp_subpages,
	  SETTINGS(thp_settings) },
	{ .id = "move_pages.kind.hugetlb_status_subpages",
	  .run = hugetlb_status_subpages,
	  SETTINGS(hugetlb_home_settings) },
	{ .id = "move_pages.kind.hugetlb_moved",
	  .run = hugetlb_moved,
	  SETTINGS(hugetlb_settings) },
	{ .id = "move_pages.kind.hugetlb_tail_address_moved",
	  .run = hugetlb_tail_address_moved,
	  SETTINGS(hugetlb_settings) },
	{ .id = "move_pages.kind.hugetlb_subpages_ebusy_second",
	  .run = hugetlb_subpages,
	  SETTINGS(hugetlb_settings) },
	{ .id = "move_pages.kind.huge_zero_page_status",
	  .run = huge_zero_status,
	  SETTINGS(huge_zero_settings) },
	{ .id = "move_pages.kind.huge_zero_page_move",
	  .run = huge_zero_move,
	  SETTINGS(huge_zero_settings) },
	{ .id = "move_pages.kind.memfd_status", .run = memfd_status },
	{ .id = "move_pages.kind.memfd_moved", .run = memfd_moved },
	{ .id = "move_pages.kind.memfd_shared_eacces_without_move_all",
	  .run = memfd_shared_move },
	{ .id = "move_pages.kind.memfd_shared_moved_with_move_all",
	  .run = memfd_shared_move_all },
	{ .id = "move_pages.kind.anon_cow_status", .run = anon_cow_status },
	{ .id = "move_pages.kind.anon_cow_eacces_without_move_all",
	  .run = anon_cow_move },
	{ .id = "move_pages.kind.anon_cow_moved_with_move_all",
	  .run = anon_cow_move_all },
	{ .id = "move_pages.kind.file_clean_status", .run = file_clean_status },
	{ .id = "move_pages.kind.file_clean_moved", .run = file_clean_moved },
	{ .id = "move_pages.kind.file_dirty_status", .run = file_dirty_status },
	{ .id = "move_pages.kind.file_dirty_moved", .run = file_dirty_moved },
	{ .id = "move_pages.kind.ksm_status",
	  .run = ksm_status,
	  .timeout_ms = (KSM_WAIT_S + 30) * 1000,
	  SETTINGS(ksm_settings) },
	{ .id = "move_pages.kind.ksm_eacces_without_move_all",
	  .run = ksm_move_only,
	  .timeout_ms = (KSM_WAIT_S + 30) * 1000,
	  SETTINGS(ksm_settings) },
	{ .id = "move_pages.kind.ksm_moved_with_move_all",
	  .run = ksm_move_all,
	  .timeout_ms = (KSM_WAIT_S + 30) * 1000,
	  SETTINGS(ksm_settings) },
	{ .id = "move_pages.kind.swapped_status_enoent",
	  .run = swapped_status },
	{ .id = "move_pages.kind.swapped_move_enoent", .run = swapped_move },
	{ .id = "move_pages.kind.mlocked_status", .run = mlocked_status },
	{ .id = "move_pages.kind.mlocked_moved", .run = mlocked_moved },
	{ .id = "move_pages.kind.anon_unaligned_status",
	  .run = anon_unaligned_status },
	{ .id = "move_pages.kind.anon_unaligned_moved",
	  .run = anon_unaligned_moved },
	{ .id = "move_pages.kind.anon_unaligned_same_page_ebusy",
	  .run = anon_unaligned_same_page },
};

const struct pmig_case_group pmig_page_kinds_group = PMIG_CASE_GROUP(cases);
