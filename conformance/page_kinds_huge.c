/* page_kinds_huge.c - conformance cases for move_pages(2) on THPs, hugetlb pages and the huge zero page. */
#include <linux/kernel-page-flags.h>
#include <stdbool.h>
#include <stdlib.h>

#include "cases.h"
#include "check.h"
#include "kind_checks.h"
#include "pageinfo.h"
#include "pagesizes.h"
#include "syscalls.h"

/* How many base pages one huge page of @p covers: 512 on x86-64, 2048 on arm64 with 16K pages. */
static size_t subpages(const struct pmig_pages *p)
{
	return p->page_size / pmig_page_sizes()->base;
}

/* The address of every base page of huge page @i of @p, said in the diagnostics. */
static void **subpage_addrs(const struct pmig_pages *p, size_t i)
{
	size_t n = subpages(p), base = pmig_page_sizes()->base;
	void **a = calloc(n, sizeof(*a));

	if (!a)
		pmig_broken("out of memory");
	for (size_t j = 0; j < n; j++)
		a[j] = (char *)p->addrs[i] + j * base;
	pmig_diag(
		"checking all %zu base pages (%zu KiB each) of one %zu KiB %s",
		n, base >> 10, p->page_size >> 10,
		pmig_page_kind_name(p->kind));
	return a;
}

/* Transparent huge pages */

static void thp_setup(const struct pmig_ctx *ctx, struct pmig_pages *p)
{
	pmig_kind_setup(ctx, p, PMIG_PAGE_THP, 1);
	pmig_kind_require_thp(p);
}

static void record_still_huge(const struct pmig_pages *p)
{
	pmig_diag("after the move the %zu KiB %s a THP", p->page_size >> 10,
		  pmig_kind_one_huge(p, p->addrs[0], PMIG_KIND_KPF(KPF_THP)) ?
			  "is still" :
			  "is no longer");
}

PMIG_CASE(thp_status_subpages)
{
	struct pmig_pages p;

	thp_setup(ctx, &p);
	pmig_kind_query(subpage_addrs(&p, 0), subpages(&p),
			pmig_expected(ctx, ctx->home));
}

/* Moves huge page 0 of @p by the address ctx->arg names, then checks where all of it is. */
static void huge_move_by(const struct pmig_ctx *ctx, struct pmig_pages *p)
{
	size_t offset = pmig_kind_offset(ctx->arg, p->page_size);
	void *addr = (char *)p->addrs[0] + offset;
	int to = pmig_kind_target(ctx), status;

	pmig_diag("moving the %s page by its address at offset %zu to node %d",
		  pmig_page_kind_name(p->kind), offset, to);
	pmig_kind_move(&addr, 1, to, MPOL_MF_MOVE, &status, p);
	pmig_check_eq(status, pmig_expected(ctx, to));
	/* All or nothing: every subpage is where the status says. */
	pmig_kind_query(subpage_addrs(p, 0), subpages(p),
			status >= 0 ? status : ctx->home);
}

/* A THP moved by its head or a tail address, to the other or the CPU-less node (ctx->arg). */
PMIG_CASE(thp_moved)
{
	struct pmig_pages p;

	thp_setup(ctx, &p);
	huge_move_by(ctx, &p);
	record_still_huge(&p);
}

/* All subpage addresses of huge page 0 in one move: status[1] is the row's. */
static void huge_subpages(const struct pmig_ctx *ctx, struct pmig_pages *p)
{
	void **addrs = subpage_addrs(p, 0);
	size_t n = subpages(p);
	int *status = calloc(n, sizeof(*status));

	/* ppc64le's 2 MiB of 64 KiB pages is 32: still more than 4. */
	if (!status || n < 4)
		pmig_broken("cannot check %zu subpages", n);
	pmig_kind_move(addrs, n, ctx->other, MPOL_MF_MOVE, status, p);
	pmig_diag("status[0..3] = %d %d %d %d", status[0], status[1], status[2],
		  status[3]);
	pmig_check_eq(status[1], ctx->expect);
	pmig_kind_check_statuses(status, n, 1, ctx->other);
	pmig_kind_query(addrs, n, ctx->other);
	free(status);
	free(addrs);
}

PMIG_CASE(thp_subpages)
{
	struct pmig_pages p;

	thp_setup(ctx, &p);
	huge_subpages(ctx, &p);
	record_still_huge(&p);
}

/* hugetlb */

static void hugetlb_setup(const struct pmig_ctx *ctx, struct pmig_pages *p,
			  bool moving)
{
	if (moving && pmig_hugetlb_free(ctx->other) < 1)
		pmig_skip("no free %zu KiB hugetlb page on node %d (free: %ld)",
			  pmig_page_sizes()->hugetlb >> 10, ctx->other,
			  pmig_hugetlb_free(ctx->other));
	pmig_kind_setup(ctx, p, PMIG_PAGE_HUGETLB, 1);
	if (!pmig_kind_one_huge(p, p->addrs[0], PMIG_KIND_KPF(KPF_HUGE)))
		pmig_broken("the MAP_HUGETLB page is not one %zu KiB page",
			    p->page_size >> 10);
}

PMIG_CASE(hugetlb_status_subpages)
{
	struct pmig_pages p;

	hugetlb_setup(ctx, &p, false);
	pmig_kind_query(subpage_addrs(&p, 0), subpages(&p),
			pmig_expected(ctx, ctx->home));
}

/* A hugetlb page moved by its head or a tail address (ctx->arg). */
PMIG_CASE(hugetlb_moved)
{
	struct pmig_pages p;

	hugetlb_setup(ctx, &p, true);
	huge_move_by(ctx, &p);
}

PMIG_CASE(hugetlb_subpages)
{
	struct pmig_pages p;

	hugetlb_setup(ctx, &p, true);
	huge_subpages(ctx, &p);
}

/* The huge zero page */

static void huge_zero_setup(const struct pmig_ctx *ctx, struct pmig_pages *p)
{
	pmig_kind_setup(ctx, p, PMIG_PAGE_HUGE_ZERO, 1);
	if (!pmig_kind_one_huge(p, p->addrs[0],
				PMIG_KIND_KPF(KPF_ZERO_PAGE) |
					PMIG_KIND_KPF(KPF_THP)))
		pmig_skip(
			"the read fault did not map the huge zero page (kpageflags %#llx)",
			(unsigned long long)pmig_kind_kflags(p->addrs[0]));
}

PMIG_CASE(huge_zero_status)
{
	struct pmig_pages p;

	huge_zero_setup(ctx, &p);
	pmig_kind_query(subpage_addrs(&p, 0), subpages(&p), ctx->expect);
}

PMIG_CASE(huge_zero_move)
{
	struct pmig_pages p;
	int node = ctx->other >= 0 ? ctx->other : ctx->home, status;

	huge_zero_setup(ctx, &p);
	pmig_kind_move(p.addrs, 1, node, MPOL_MF_MOVE, &status, NULL);
	pmig_check_eq(status, ctx->expect);
}
