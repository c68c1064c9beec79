/* pins.c - conformance cases of long-term pins (FOLL_LONGTERM, io_uring registered buffers): a pinned page is not migrated and the calls say so; unpinned it moves; pinning moves a page out of ZONE_MOVABLE. */
#include <errno.h>
#include <linux/kernel-page-flags.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cases.h"
#include "check.h"
#include "fixtures.h"
#include "invariants.h"
#include "kind_checks.h"
#include "longpin.h"
#include "pageinfo.h"
#include "pagesizes.h"
#include "syscalls.h"

/* Pages of a move case: page PINNED of them pinned long term, the others its control. */
enum { NPAGES = 3, PINNED = 1 };

/*
 * Pins the first base page of each of the @n pages at @addrs long term; a
 * SKIP where this kernel or its settings have no io_uring to pin with.
 */
static void longpin(struct pmig_longpin *pin, void *const *addrs, size_t n)
{
	int err = pmig_longpin(pin, addrs, n, pmig_page_sizes()->base);

	if (err == -ENOSYS)
		pmig_skip("this kernel has no io_uring (CONFIG_IO_URING)");
	if (err == -EPERM)
		pmig_skip(
			"io_uring_setup(2): EPERM (/proc/sys/kernel/io_uring_disabled)");
	if (err)
		pmig_broken(
			"io_uring_register(IORING_REGISTER_BUFFERS) of %zu page%s: %s",
			n, n > 1 ? "s" : "", strerror(-err));
}

/* The page frame of @addr's page; a SKIP where the pagemap hides it. */
static uint64_t frame(const void *addr)
{
	uint64_t e = 0;
	int err = pmig_pagemap(addr, &e);

	if (err)
		pmig_skip("cannot read /proc/self/pagemap: %s", strerror(-err));
	if (!(e & PMIG_PM_PRESENT) || !(e & PMIG_PM_PFN_MASK))
		pmig_skip(
			"the pagemap hides page frame numbers, or %p is not present (entry %#llx)",
			addr, (unsigned long long)e);
	return e & PMIG_PM_PFN_MASK;
}

static void frames(const struct pmig_pages *p, uint64_t *pfn)
{
	for (size_t i = 0; i < p->count; i++)
		pfn[i] = frame(p->addrs[i]);
}

/*
 * Page @i of @p is on @node by the move_pages(2) status query, and its
 * frame changed from @before exactly when @moved: two witnesses.
 */
#define check_place(p, i, node, before, moved) \
	check_place_at(__FILE__, __LINE__, p, i, node, before, moved)
static void check_place_at(const char *file, int line,
			   const struct pmig_pages *p, size_t i, int node,
			   uint64_t before, bool moved)
{
	PMIG_CALLED_FROM(file, line);
	uint64_t now = frame(p->addrs[i]);
	char label[64];

	snprintf(label, sizeof(label), "status query of page %zu", i);
	pmig_check_val(label, pmig_page_node(p->addrs[i]), node);
	if ((now != before) != moved)
		pmig_fail_at(__FILE__, __LINE__,
			     "page %zu's frame is %#llx, was %#llx: it %s", i,
			     (unsigned long long)now,
			     (unsigned long long)before,
			     moved ? "did not move" : "moved");
}

/*
 * Where a row's pinned page must be: home, or what a STATUS row's value
 * says of it (PMIG_EXPECT_NODE: home). A RETURN row's value is the call's.
 */
static int pinned_node(const struct pmig_ctx *ctx)
{
	return ctx->spec->kind == PMIG_KIND_STATUS ?
		       (int)pmig_expected(ctx, ctx->home) :
		       ctx->home;
}

/*
 * NPAGES pages of kind ctx->arg on home, page PINNED pinned long term
 * (its first base page: a THP is one folio, pinned whole). @before: the
 * frames once pinned (where home has a ZONE_MOVABLE, the pin itself may
 * have moved page PINNED: the row below about that).
 */
struct pinned {
	struct pmig_pages p;
	struct pmig_longpin pin;
	uint64_t before[NPAGES];
};

static void pinned_setup(const struct pmig_ctx *ctx, struct pinned *s)
{
	pmig_kind_setup(ctx, &s->p, ctx->arg, NPAGES);
	if (ctx->arg == PMIG_PAGE_THP)
		pmig_kind_require_thp(&s->p);
	longpin(&s->pin, &s->p.addrs[PINNED], 1);
	frames(&s->p, s->before);
}

/* After a call that moved @s's pages to ctx->other: the pinned one stayed, the others moved, data intact. */
#define pinned_check(ctx, s) pinned_check_at(__FILE__, __LINE__, ctx, s)
static void pinned_check_at(const char *file, int line,
			    const struct pmig_ctx *ctx, const struct pinned *s)
{
	PMIG_CALLED_FROM(file, line);
	for (size_t i = 0; i < NPAGES; i++)
		check_place(&s->p, i,
			    i == PINNED ? pinned_node(ctx) : ctx->other,
			    s->before[i], i != PINNED);
	/* A THP stays one folio: pinned, it is not split to move the rest. */
	for (size_t i = 0; i < NPAGES && s->p.kind == PMIG_PAGE_THP; i++)
		if (!pmig_kind_one_huge(&s->p, s->p.addrs[i],
					PMIG_KIND_KPF(KPF_THP)))
			pmig_fail_at(
				__FILE__, __LINE__,
				"THP %zu is no longer one THP (kpageflags %#llx)",
				i,
				(unsigned long long)pmig_kind_kflags(
					s->p.addrs[i]));
	pmig_inv_data_intact(&s->p);
}

/*
 * move_pages(2) of NPAGES pages to the other node in one batch, page
 * PINNED pinned long term. A RETURN row checks the call's value and that
 * the batch's statuses stay unwritten; a STATUS row where the pages are.
 */
PMIG_CASE(longpin_move_pages)
{
	struct pinned s;
	int nodes[NPAGES], status[NPAGES];
	long ret;

	pinned_setup(ctx, &s);
	for (size_t i = 0; i < NPAGES; i++)
		nodes[i] = ctx->other;
	pmig_status_reset(status, NPAGES);
	ret = pmig_move_pages(0, NPAGES, s.p.addrs, nodes, status,
			      MPOL_MF_MOVE);
	pmig_diag(
		"%d %s pages to node %d in one call, page %d pinned by an io_uring registered buffer: returned %ld, statuses %d %d %d",
		NPAGES, pmig_page_kind_name(s.p.kind), ctx->other, PINNED, ret,
		status[0], status[1], status[2]);
	if (ctx->spec->kind == PMIG_KIND_RETURN) {
		pmig_check_eq(ret, ctx->expect);
		pmig_kind_check_statuses(status, NPAGES, -1,
					 PMIG_STATUS_UNWRITTEN);
	} else {
		pmig_check(ret >= 0);
	}
	pinned_check(ctx, &s);
	pmig_longpin_close(&s.pin);
}

/*
 * migrate_pages(2) from home to the other node, page PINNED of NPAGES
 * pinned long term: its count is taken against a first call made before
 * the pages existed (the process's own pages that cannot move: edges.c
 * migrate_pages_pinned says why).
 */
PMIG_CASE(longpin_migrate_pages)
{
	long base = pmig_migrate_one(0, ctx->home, ctx->other), ret;
	struct pinned s;

	pmig_require(base >= 0);
	pinned_setup(ctx, &s);
	ret = pmig_migrate_one(0, ctx->home, ctx->other);
	pmig_diag(
		"migrate_pages from node %d to %d, page %d of %d pinned by an io_uring registered buffer: returned %ld, %ld before the pages existed",
		ctx->home, ctx->other, PINNED, NPAGES, ret, base);
	pmig_check_eq(ret - base, ctx->expect);
	pinned_check(ctx, &s);
	pmig_longpin_close(&s.pin);
}

/*
 * mbind(2) of NPAGES pages to MPOL_BIND {other} with ctx->flags (MOVE,
 * maybe STRICT), page PINNED pinned long term.
 */
PMIG_CASE(longpin_mbind)
{
	struct pmig_nodemask m = pmig_nodemask_of(ctx->other);
	struct pinned s;
	long ret;

	pinned_setup(ctx, &s);
	ret = pmig_mbind(s.p.base, NPAGES * s.p.page_size, MPOL_BIND, m.bits,
			 PMIG_MASK_MAXNODE, (unsigned)ctx->flags);
	pmig_diag(
		"mbind(MPOL_BIND {%d}, flags %#x) of %d pages, page %d pinned by an io_uring registered buffer: returned %ld",
		ctx->other, ctx->flags, NPAGES, PINNED, ret);
	pmig_check_val("mbind return", ret, ctx->expect);
	pinned_check(ctx, &s);
	pmig_longpin_close(&s.pin);
}

/*
 * Page PINNED stays where a move_pages(2) call leaves it while pinned;
 * once the buffer is unregistered (IORING_UNREGISTER_BUFFERS, which drops
 * the pins before it returns) the same call moves it: returns 0, status
 * and status query the other node, a new frame, data intact.
 */
PMIG_CASE(longpin_released)
{
	struct pinned s;
	void *addr;
	int node = ctx->other, status = PMIG_STATUS_UNWRITTEN, err;
	long ret;

	pinned_setup(ctx, &s);
	addr = s.p.addrs[PINNED];
	ret = pmig_move_pages(0, 1, &addr, &node, &status, MPOL_MF_MOVE);
	pmig_diag("pinned: move_pages of page %d to node %d returned %ld",
		  PINNED, node, ret);
	check_place(&s.p, PINNED, ctx->home, s.before[PINNED], false);
	err = pmig_longpin_release(&s.pin);
	if (err)
		pmig_broken("io_uring_register(IORING_UNREGISTER_BUFFERS): %s",
			    strerror(-err));
	status = PMIG_STATUS_UNWRITTEN;
	ret = pmig_move_pages(0, 1, &addr, &node, &status, MPOL_MF_MOVE);
	pmig_diag("unregistered: the same call returned %ld, status %d", ret,
		  status);
	pmig_check_eq(ret, 0);
	pmig_check_val("status[0]", status, pmig_expected(ctx, ctx->other));
	check_place(&s.p, PINNED, (int)pmig_expected(ctx, ctx->other),
		    s.before[PINNED], true);
	pmig_inv_data_intact(&s.p);
	pmig_longpin_close(&s.pin);
}

/* A zone's frames [start, start + spanned) on one node, from /proc/zoneinfo. */
struct zone_span {
	char name[32];
	unsigned long long start, spanned, present;
};

static bool in_zone(const struct zone_span *z, uint64_t pfn);

/*
 * The zone of node @node in /proc/zoneinfo that is named @name, or (@name
 * NULL) whose span holds frame @pfn, with memory present; false where
 * there is none. ZONE_MOVABLE made at boot (movablecore=, kernelcore=) is
 * the top of the node's highest zone, so its span holds no other zone's
 * frames (mm/mm_init.c adjust_zone_range_for_zone_movable()).
 */
static bool zone_find(int node, const char *name, uint64_t pfn,
		      struct zone_span *z)
{
	FILE *f = fopen("/proc/zoneinfo", "re");
	struct zone_span cur = { .name = "" };
	char line[256];
	bool found = false;
	int n = -1;

	if (!f)
		pmig_skip("cannot open /proc/zoneinfo: %s", strerror(errno));
	/* One pass; a zone is judged when the next one starts, and at the end. */
	for (bool more = true; more && !found;) {
		char zname[32];
		int next;

		more = fgets(line, sizeof(line), f) != NULL;
		if (more &&
		    sscanf(line, "Node %d, zone %31s", &next, zname) != 2) {
			sscanf(line, " spanned %llu", &cur.spanned);
			sscanf(line, " present %llu", &cur.present);
			sscanf(line, " start_pfn: %llu", &cur.start);
			continue;
		}
		found = n == node && cur.present && cur.spanned &&
			(name ? !strcmp(cur.name, name) : in_zone(&cur, pfn));
		if (found)
			*z = cur;
		if (more) {
			memset(&cur, 0, sizeof(cur));
			n = next;
			snprintf(cur.name, sizeof(cur.name), "%s", zname);
		}
	}
	fclose(f);
	return found;
}

static bool in_zone(const struct zone_span *z, uint64_t pfn)
{
	return pfn >= z->start && pfn < z->start + z->spanned;
}

/* Pages the ZONE_MOVABLE rows pin: 16 in one registered buffer each. */
enum { NMOVABLE = 16 };

/* The node with a ZONE_MOVABLE the rows use (home, else the other), its zone in @z; a SKIP without one. */
static int movable_node(const struct pmig_ctx *ctx, struct zone_span *z)
{
	if (zone_find(ctx->home, "Movable", 0, z))
		return ctx->home;
	if (ctx->other >= 0 && zone_find(ctx->other, "Movable", 0, z))
		return ctx->other;
	pmig_skip(
		"no node here has a ZONE_MOVABLE with memory (/proc/zoneinfo): boot with movablecore= or kernelcore= (pmig vm --topology 2node-movable), or online hot-plugged memory as movable");
}

/*
 * NMOVABLE anonymous pages bound to @node, written, every one in its
 * ZONE_MOVABLE @z (movable user pages come from the highest zone first;
 * a SKIP otherwise); their frames in @before.
 */
static void movable_pages(const struct pmig_ctx *ctx, int node,
			  const struct zone_span *z, struct pmig_pages *p,
			  uint64_t *before)
{
	size_t in_movable = 0;

	pmig_pages_setup(p, PMIG_PAGE_ANON, NMOVABLE, node, ctx->seed);
	frames(p, before);
	for (size_t i = 0; i < NMOVABLE; i++)
		in_movable += in_zone(z, before[i]);
	pmig_diag("%zu of the %d pages are in ZONE_MOVABLE", in_movable,
		  NMOVABLE);
	if (in_movable < NMOVABLE)
		pmig_skip(
			"only %zu of %d new pages on node %d came from its ZONE_MOVABLE (is it full?): the row needs them all there",
			in_movable, NMOVABLE, node);
}

/* NMOVABLE pages bound to @node and never touched: the pin faults them in. */
static void untouched_pages(const struct pmig_ctx *ctx, int node,
			    struct pmig_pages *p, uint64_t *before)
{
	struct pmig_nodemask m = pmig_nodemask_of(node);

	pmig_pages_setup(p, PMIG_PAGE_NEVER_TOUCHED, NMOVABLE, node, ctx->seed);
	if (pmig_mbind(p->base, NMOVABLE * p->page_size, MPOL_BIND, m.bits,
		       PMIG_MASK_MAXNODE, 0))
		pmig_broken("mbind of the pages to node %d: %s", node,
			    strerror(errno));
	memset(before, 0, NMOVABLE * sizeof(*before));
}

/* Whether the @len bytes at @addr are all zero, as a page first faulted in is. */
static bool zeroed(const void *addr, size_t len)
{
	const unsigned char *b = addr;

	for (size_t i = 0; i < len; i++)
		if (b[i])
			return false;
	return true;
}

/*
 * NMOVABLE pages on a node with a ZONE_MOVABLE, then each pinned long
 * term: the row's value is how many are in ZONE_MOVABLE once pinned.
 * Of kind ctx->arg PMIG_PAGE_ANON they were written first, every one in
 * ZONE_MOVABLE, and the pin migrates them out (mm/gup.c
 * migrate_longterm_unpinnable_folios(): nid NUMA_NO_NODE, so
 * alloc_migration_target() asks for the folio's own node, GFP_USER without
 * __GFP_MOVABLE); PMIG_PAGE_NEVER_TOUCHED ones were never touched, and
 * the pin's own fault allocates them (memalloc_pin_save(): no
 * __GFP_MOVABLE). Either way a page out of ZONE_MOVABLE must be in
 * another zone of the same node, by its frame and the status query, with
 * its data (zeros for a page the pin faulted in).
 */
PMIG_CASE(longpin_movable)
{
	bool faulted = ctx->arg == PMIG_PAGE_NEVER_TOUCHED;
	struct zone_span z, to;
	struct pmig_pages p;
	struct pmig_longpin pin;
	uint64_t before[NMOVABLE];
	size_t stayed = 0;
	long long migrated;
	int node = movable_node(ctx, &z);

	pmig_diag(
		"node %d's ZONE_MOVABLE spans frames %#llx-%#llx (%llu present)",
		node, z.start, z.start + z.spanned - 1, z.present);
	if (faulted)
		untouched_pages(ctx, node, &p, before);
	else
		movable_pages(ctx, node, &z, &p, before);
	migrated = pmig_vmstat("pgmigrate_success");
	longpin(&pin, p.addrs, NMOVABLE);
	migrated =
		migrated < 0 ? -1 : pmig_vmstat("pgmigrate_success") - migrated;
	for (size_t i = 0; i < NMOVABLE; i++) {
		uint64_t now = frame(p.addrs[i]);

		if (in_zone(&z, now)) {
			stayed++;
			if (!faulted && now != before[i])
				pmig_fail_at(
					__FILE__, __LINE__,
					"page %zu moved from frame %#llx to %#llx, still in ZONE_MOVABLE",
					i, (unsigned long long)before[i],
					(unsigned long long)now);
			continue;
		}
		if (!zone_find(node, NULL, now, &to))
			pmig_fail_at(
				__FILE__, __LINE__,
				"page %zu is out of ZONE_MOVABLE at frame %#llx, in no zone of node %d",
				i, (unsigned long long)now, node);
		else if (i == 0)
			pmig_diag("page 0: frame %#llx in zone %s, was %#llx",
				  (unsigned long long)now, to.name,
				  (unsigned long long)before[i]);
	}
	pmig_diag(
		"pinned: %zu of %d pages in ZONE_MOVABLE; pgmigrate_success +%lld meanwhile",
		stayed, NMOVABLE, migrated);
	pmig_check_eq((long)stayed, ctx->expect);
	/* The second witness of a migration out: the counter grew by as many. */
	if (!faulted && migrated >= 0)
		pmig_check(migrated >= (long long)(NMOVABLE - stayed));
	for (size_t i = 0; i < NMOVABLE; i++) {
		char label[64];

		snprintf(label, sizeof(label), "status query of page %zu", i);
		pmig_check_val(label, pmig_page_node(p.addrs[i]), node);
		if (faulted && !zeroed(p.addrs[i], p.page_size))
			pmig_fail_at(
				__FILE__, __LINE__,
				"page %zu, faulted in by the pin, is not zero",
				i);
	}
	if (!faulted)
		pmig_inv_data_intact(&p);
	pmig_longpin_close(&pin);
}
