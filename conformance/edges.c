/* edges.c - conformance cases at the edges: partial work, positive returns, pinned pages, special nodes, privileges. */
#include <errno.h>
#include <numa.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "cases.h"
#include "check.h"
#include "fixtures.h"
#include "invariants.h"
#include "kind_checks.h"
#include "pagesizes.h"
#include "pin.h"
#include "syscalls.h"

static void check_node_of(const struct pmig_pages *p, size_t i, int node)
{
	char label[48];

	snprintf(label, sizeof(label), "node of page %zu", i);
	pmig_check_val(label, pmig_page_node(p->addrs[i]), node);
}

static void check_status(const int *status, size_t i, long expect)
{
	char label[48];

	snprintf(label, sizeof(label), "status[%zu]", i);
	pmig_check_val(label, status[i], expect);
}

/*
 * Two pages for the other node, then an entry whose node is -1. The kernel
 * flushes the batch it has queued before it returns the fatal error, so the
 * first two are moved and reported; the rest is left as the caller filled it.
 */
enum { FATAL_AT = 2, FATAL_N = 4 };

struct fatal_move {
	struct pmig_pages p;
	int nodes[FATAL_N], status[FATAL_N];
	long ret;
};

static void move_with_fatal_entry(const struct pmig_ctx *ctx, int target,
				  struct fatal_move *m)
{
	pmig_pages_setup(&m->p, PMIG_PAGE_ANON, FATAL_N, ctx->home, ctx->seed);
	for (size_t i = 0; i < FATAL_N; i++)
		m->nodes[i] = i == FATAL_AT ? -1 : target;
	pmig_status_reset(m->status, FATAL_N);
	pmig_diag(
		"entries 0-%d to node %d, entry %d to node -1, entry %d to node %d",
		FATAL_AT - 1, target, FATAL_AT, FATAL_AT + 1, target);
	m->ret = pmig_move_pages(0, FATAL_N, m->p.addrs, m->nodes, m->status,
				 MPOL_MF_MOVE);
	/* The row move_pages.return.enodev_negative_node pins this value. */
	pmig_check_eq(m->ret, -ENODEV);
}

PMIG_CASE(partial_before_fatal)
{
	struct fatal_move m;

	move_with_fatal_entry(ctx, ctx->other, &m);
	for (size_t i = 0; i < FATAL_AT; i++) {
		check_status(m.status, i, pmig_expected(ctx, ctx->other));
		check_node_of(&m.p, i, ctx->other);
	}
	check_node_of(&m.p, FATAL_AT + 1, ctx->home);
	pmig_inv_data_intact(&m.p);
}

PMIG_CASE(untouched_after_fatal)
{
	struct fatal_move m;

	move_with_fatal_entry(ctx, ctx->home, &m);
	for (size_t i = FATAL_AT; i < FATAL_N; i++)
		check_status(m.status, i, PMIG_STATUS_UNWRITTEN);
	for (size_t i = 0; i < FATAL_AT; i++)
		check_status(m.status, i, ctx->home);
	pmig_inv_data_intact(&m.p);
}

/*
 * Pages for move cases whose page @pinned cannot be migrated: 3 pages of
 * kind ctx->arg (base pages, or THPs, where the count is of folios, not of
 * the base pages in them).
 */
struct pinned_move {
	struct pmig_pages p;
	struct pmig_pin pin;
	int nodes[3], status[3];
	long ret;
};

/* References the first base page of page @i of @p through a pipe. */
static void pin_page(struct pmig_pin *pin, const struct pmig_pages *p, size_t i)
{
	int err = pmig_pin(pin, p->addrs[i], pmig_page_sizes()->base);

	if (err)
		pmig_broken("vmsplice cannot reference page %zu: %s", i,
			    strerror(-err));
}

static void pinned_setup(const struct pmig_ctx *ctx, struct pinned_move *m,
			 size_t pinned)
{
	pmig_kind_setup(ctx, &m->p, ctx->arg, 3);
	if (ctx->arg == PMIG_PAGE_THP)
		pmig_kind_require_thp(&m->p);
	pin_page(&m->pin, &m->p, pinned);
	pmig_status_reset(m->status, 3);
}

PMIG_CASE(positive_count_pinned)
{
	struct pinned_move m;

	pinned_setup(ctx, &m, 1);
	for (size_t i = 0; i < 3; i++)
		m.nodes[i] = ctx->other;
	pmig_diag(
		"3 %s pages to node %d in one batch; page 1 is referenced by a pipe",
		pmig_page_kind_name(m.p.kind), ctx->other);
	m.ret = pmig_move_pages(0, 3, m.p.addrs, m.nodes, m.status,
				MPOL_MF_MOVE);
	pmig_check_eq(m.ret, ctx->expect);
	check_node_of(&m.p, 0, ctx->other);
	check_node_of(&m.p, 1, ctx->home);
	check_node_of(&m.p, 2, ctx->other);
	pmig_check_move_invariants(m.p.addrs, m.nodes, m.status, 3, m.ret,
				   &m.p);
	pmig_unpin(&m.pin);
}

PMIG_CASE(positive_count_not_attempted)
{
	struct pinned_move m;

	/* Three batches (the target changes each time); the first fails. */
	pinned_setup(ctx, &m, 0);
	m.nodes[0] = ctx->other;
	m.nodes[1] = ctx->home;
	m.nodes[2] = ctx->other;
	pmig_diag(
		"page 0 (referenced by a pipe) to node %d, page 1 to %d, page 2 to %d",
		ctx->other, ctx->home, ctx->other);
	m.ret = pmig_move_pages(0, 3, m.p.addrs, m.nodes, m.status,
				MPOL_MF_MOVE);
	pmig_check_eq(m.ret, ctx->expect);
	for (size_t i = 0; i < 3; i++) {
		check_status(m.status, i, PMIG_STATUS_UNWRITTEN);
		check_node_of(&m.p, i, ctx->home);
	}
	pmig_check_move_invariants(m.p.addrs, m.nodes, m.status, 3, m.ret,
				   &m.p);
	pmig_unpin(&m.pin);
}

/*
 * One page moved to the other node by the first batch, then back home by the
 * second entry of the same call: the second batch must isolate the page the
 * first one just made.
 */
PMIG_CASE(moved_again_later)
{
	struct pmig_pages p;
	void *addrs[2];
	int nodes[2] = { ctx->other, ctx->home }, status[2];
	long ret;

	pmig_pages_setup(&p, PMIG_PAGE_ANON, 1, ctx->home, ctx->seed);
	addrs[0] = addrs[1] = p.addrs[0];
	pmig_status_reset(status, 2);
	pmig_diag("page 0 to node %d, then back to node %d in the same call",
		  ctx->other, ctx->home);
	ret = pmig_move_pages(0, 2, addrs, nodes, status, MPOL_MF_MOVE);
	pmig_check_eq(ret, 0);
	check_status(status, 0, ctx->other);
	check_status(status, 1, pmig_expected(ctx, ctx->home));
	check_node_of(&p, 0,
		      ctx->expect == PMIG_EXPECT_NODE ? ctx->home : ctx->other);
	pmig_inv_data_intact(&p);
}

/*
 * migrate_pages(2) counts the failures of the whole process: library and
 * stack pages it could not move too (on experimental 7.3-rc7 one libc page
 * shared with the parent did not). A first call moves what can be moved and
 * measures that; the case's own pages are made after it, so the second
 * call's count exceeds the first by exactly the case's failures.
 */
static long migrate_baseline_masks(struct pmig_nodemask *old,
				   struct pmig_nodemask *new)
{
	long ret =
		pmig_migrate_pages(0, PMIG_MASK_MAXNODE, old->bits, new->bits);

	if (ret > 0)
		pmig_diag(
			"%ld pages of the case process (libraries, stack) did not move; the count below is taken relative to that",
			ret);
	pmig_require(ret >= 0);
	return ret;
}

static long migrate_baseline(int from, int to)
{
	struct pmig_nodemask old = pmig_nodemask_of(from),
			     new = pmig_nodemask_of(to);
	long ret = migrate_baseline_masks(&old, &new);

	if (ret > 0)
		pmig_diag_left_on(from);
	return ret;
}

PMIG_CASE(migrate_pages_pinned)
{
	long base = migrate_baseline(ctx->home, ctx->other);
	struct pinned_move m;

	pinned_setup(ctx, &m, 1);
	pmig_diag(
		"migrate_pages from node %d to %d; 1 of 3 %s pages is referenced by a pipe",
		ctx->home, ctx->other, pmig_page_kind_name(m.p.kind));
	pmig_check_eq(pmig_migrate_one(0, ctx->home, ctx->other) - base,
		      ctx->expect);
	check_node_of(&m.p, 0, ctx->other);
	check_node_of(&m.p, 1, ctx->home);
	check_node_of(&m.p, 2, ctx->other);
	pmig_inv_data_intact(&m.p);
	pmig_unpin(&m.pin);
}

/*
 * 3 pages on home and 3 on other, migrated with old = {home, other} and new
 * = {other, cpuless}: each node's pages move one node on and none twice,
 * which needs other emptied before home's pages arrive there
 * (mm/mempolicy.c do_migrate_pages() picks a source whose destination is
 * not still to be emptied). With ctx->arg, page 1 on each source node is
 * referenced by a pipe: one failure counted from each migrate_to_node().
 */
PMIG_CASE(migrate_two_sources)
{
	struct pmig_nodemask old = pmig_nodemask_of2(ctx->home, ctx->other),
			     new = pmig_nodemask_of2(ctx->other, ctx->cpuless);
	struct pmig_pages src[2];
	struct pmig_pin pins[2];
	const int from[2] = { ctx->home, ctx->other },
		  to[2] = { ctx->other, ctx->cpuless };
	long base, ret;

	if (ctx->cpuless == ctx->home || ctx->cpuless == ctx->other)
		pmig_skip(
			"needs a CPU-less node besides two other memory nodes");
	/*
	 * The first call moves the process's own pages home -> other ->
	 * cpuless; the second leaves only what cannot move, the baseline.
	 */
	migrate_baseline_masks(&old, &new);
	base = migrate_baseline_masks(&old, &new);
	for (size_t s = 0; s < 2; s++) {
		pmig_pages_setup(&src[s], PMIG_PAGE_ANON, 3, from[s],
				 ctx->seed + s);
		if (ctx->arg)
			pin_page(&pins[s], &src[s], 1);
	}
	pmig_diag("migrate_pages {%d,%d} -> {%d,%d}; %s", from[0], from[1],
		  to[0], to[1],
		  ctx->arg ? "page 1 on each source node pinned" :
			     "none pinned");
	ret = pmig_migrate_pages(0, PMIG_MASK_MAXNODE, old.bits, new.bits);
	pmig_check_eq(ret - base, ctx->expect);
	for (size_t s = 0; s < 2; s++) {
		for (size_t i = 0; i < 3; i++)
			check_node_of(&src[s], i,
				      ctx->arg && i == 1 ? from[s] : to[s]);
		pmig_inv_data_intact(&src[s]);
		if (ctx->arg)
			pmig_unpin(&pins[s]);
	}
}

/* Moves one home page to the CPU-less node and back; statuses and placement checked. */
PMIG_CASE(move_to_cpuless)
{
	int target = ctx->cpuless;
	struct pmig_pages p;
	int nodes[1] = { target }, status[1] = { PMIG_STATUS_UNWRITTEN };
	long ret;

	pmig_diag("node %d has memory and no CPU", target);
	pmig_pages_setup(&p, PMIG_PAGE_ANON, 1, ctx->home, ctx->seed);
	ret = pmig_move_pages(0, 1, p.addrs, nodes, status, MPOL_MF_MOVE);
	pmig_require_eq(ret, 0);
	check_status(status, 0, pmig_expected(ctx, target));
	pmig_check_move_invariants(p.addrs, nodes, status, 1, ret, &p);
	nodes[0] = ctx->home;
	pmig_status_reset(status, 1);
	ret = pmig_move_pages(0, 1, p.addrs, nodes, status, MPOL_MF_MOVE);
	pmig_require_eq(ret, 0);
	check_status(status, 0, pmig_expected(ctx, ctx->home));
	pmig_check_move_invariants(p.addrs, nodes, status, 1, ret, &p);
}

/* 8 pages of kind ctx->arg migrated from home to the CPU-less node. */
PMIG_CASE(migrate_to_cpuless)
{
	long base = migrate_baseline(ctx->home, ctx->cpuless);
	struct pmig_pages p;

	pmig_kind_setup(ctx, &p, ctx->arg, 8);
	pmig_diag("node %d has memory and no CPU; 8 %s pages", ctx->cpuless,
		  pmig_page_kind_name(p.kind));
	pmig_check_eq(pmig_migrate_one(0, ctx->home, ctx->cpuless) - base,
		      ctx->expect);
	for (size_t i = 0; i < p.count; i++)
		check_node_of(&p, i, ctx->cpuless);
	pmig_inv_data_intact(&p);
}

PMIG_CASE(move_to_memoryless)
{
	struct pmig_pages p;
	int node = ctx->memoryless, status = PMIG_STATUS_UNWRITTEN;

	pmig_pages_setup(&p, PMIG_PAGE_ANON, 1, ctx->home, ctx->seed);
	pmig_diag("node %d is online with CPUs and no memory", node);
	pmig_check_eq(
		pmig_move_pages(0, 1, p.addrs, &node, &status, MPOL_MF_MOVE),
		ctx->expect);
	check_node_of(&p, 0, ctx->home);
	pmig_inv_data_intact(&p);
}

PMIG_CASE(migrate_to_memoryless)
{
	struct pmig_pages p;

	pmig_pages_setup(&p, PMIG_PAGE_ANON, 1, ctx->home, ctx->seed);
	pmig_diag("node %d is online with CPUs and no memory", ctx->memoryless);
	pmig_check_eq(pmig_migrate_one(0, ctx->home, ctx->memoryless),
		      ctx->expect);
	check_node_of(&p, 0, ctx->home);
	pmig_inv_data_intact(&p);
}

/*
 * Queries a page of a target run by nobody, as root with some caps dropped;
 * with ctx->flags (MPOL_MF_MOVE), moves it to the other node instead: the
 * access check is the same, the path after it is do_pages_move().
 */
PMIG_CASE(other_user_page)
{
	struct pmig_target t;
	int status = PMIG_STATUS_UNWRITTEN, node = ctx->other;
	bool move = ctx->flags & MPOL_MF_MOVE;
	long ret;

	pmig_target_setup(ctx, &t, PMIG_TARGET_NOBODY);
	ret = pmig_move_pages(t.pid, 1, &t.page, move ? &node : NULL, &status,
			      ctx->flags);
	pmig_check_eq(ret, ctx->expect);
	if (ret == 0)
		pmig_check_eq(status, move ? ctx->other : ctx->home);
	/*
	 * Where the page is, asked as the target's own (dumpable) user: the
	 * dropped capability cannot come back, and a refused caller cannot ask.
	 */
	if (move) {
		int now = PMIG_STATUS_UNWRITTEN;

		pmig_become_nobody(ctx);
		pmig_require_eq(
			pmig_move_pages(t.pid, 1, &t.page, NULL, &now, 0), 0);
		pmig_check_val("node of the target's page", now,
			       ret == 0 ? ctx->other : ctx->home);
	}
	pmig_target_stop(&t);
}

PMIG_CASE(migrate_other_user)
{
	struct pmig_target t;
	int status = PMIG_STATUS_UNWRITTEN;
	long ret;

	pmig_target_setup(ctx, &t, PMIG_TARGET_NOBODY);
	ret = pmig_migrate_one(t.pid, ctx->home, ctx->home);
	pmig_check_eq(ret, ctx->expect);
	/* Querying needs the same access the migration had. */
	if (ret >= 0) {
		pmig_require_eq(
			pmig_move_pages(t.pid, 1, &t.page, NULL, &status, 0),
			0);
		pmig_check_eq(status, ctx->home);
	}
	pmig_target_stop(&t);
}

/*
 * The other node's free memory is taken by its hugetlb pool (a case
 * setting: the runner gives it back), then more pages than are left there
 * are moved to it: at least 64 MiB, whatever the base page (16384 pages of
 * 4 KiB, 1024 of 64 KiB), and twice what the node still has free. What the
 * pool leaves is the node's watermarks and fragments, mostly far less; but
 * on arm64 with 16K pages, where the smallest pool page is 2 MiB, it once
 * left more than 64 MiB and every page moved.
 */
#define FULL_BYTES ((size_t)64 << 20)

static size_t full_node_bytes(const struct pmig_ctx *ctx)
{
	long long free_other = 0, free_home = 0;
	size_t want = FULL_BYTES;

	numa_node_size64(ctx->other, &free_other);
	numa_node_size64(ctx->home, &free_home);
	if (free_other > 0 && 2 * (size_t)free_other > want)
		want = 2 * (size_t)free_other;
	pmig_diag(
		"node %d has %lld KiB free after its pool grew; moving %zu KiB from node %d (%lld KiB free)",
		ctx->other, free_other >> 10, want >> 10, ctx->home,
		free_home >> 10);
	/* The pages are made and locked on home first: it needs the room. */
	if (free_home > 0 && want + FULL_BYTES / 2 > (size_t)free_home)
		pmig_broken(
			"node %d has %lld KiB free, not enough for the %zu KiB to move",
			ctx->home, free_home >> 10, want >> 10);
	return want;
}

PMIG_CASE(move_to_full_node)
{
	size_t n = full_node_bytes(ctx) / pmig_page_sizes()->base;
	int *nodes = calloc(n, sizeof(*nodes)),
	    *status = calloc(n, sizeof(*status));
	struct pmig_pages p;
	size_t moved = 0;
	long ret;

	if (!nodes || !status)
		pmig_broken("no memory for %zu page entries", n);
	pmig_pages_setup(&p, PMIG_PAGE_ANON, n, ctx->home, ctx->seed);
	/*
	 * With swap, reclaim on the target makes room by swapping out the
	 * pages already moved there, and the call succeeds. Locked pages stay
	 * resident (and still migrate), so the node really runs out.
	 */
	if (mlock(p.base, p.map_len))
		pmig_broken("mlock of %zu bytes: %s", p.map_len,
			    strerror(errno));
	for (size_t i = 0; i < n; i++)
		nodes[i] = ctx->other;
	pmig_status_reset(status, n);
	ret = pmig_move_pages(0, n, p.addrs, nodes, status, MPOL_MF_MOVE);
	for (size_t i = 0; i < n; i++) {
		int now = pmig_page_node(p.addrs[i]);

		moved += now == ctx->other;
		if (now != ctx->other && now != ctx->home)
			check_node_of(&p, i, ctx->home);
	}
	pmig_diag(
		"%zu of %zu pages reached node %d before the call returned %ld",
		moved, n, ctx->other, ret);
	pmig_check_eq(ret, ctx->expect);
	pmig_inv_data_intact(&p);
	free(nodes);
	free(status);
}
