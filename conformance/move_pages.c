/* move_pages.c - conformance cases for move_pages(2): return codes, per-page statuses, invariants. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "cases.h"
#include "check.h"
#include "fixtures.h"
#include "invariants.h"
#include "syscalls.h"

/* One written page on the home node: the usual subject of return-code cases. */
static void *home_page(const struct pmig_ctx *ctx, struct pmig_pages *p)
{
	pmig_pages_setup(p, PMIG_PAGE_ANON, 1, ctx->home, ctx->seed);
	return p->addrs[0];
}

PMIG_CASE(bad_flags)
{
	static const int flags[] = { MPOL_MF_STRICT, 1 << 3, INT_MIN };
	struct pmig_pages p;
	void *page = home_page(ctx, &p);
	int node = ctx->home, status;
	char label[64];

	for (size_t i = 0; i < PMIG_ARRAY_SIZE(flags); i++) {
		status = PMIG_STATUS_UNWRITTEN;
		snprintf(label, sizeof(label), "move_pages(flags=%#x)",
			 (unsigned)flags[i]);
		pmig_check_val(
			label,
			pmig_move_pages(0, 1, &page, &node, &status, flags[i]),
			ctx->expect);
	}
}

PMIG_CASE(move_all_own_page)
{
	struct pmig_pages p;
	void *page = home_page(ctx, &p);
	int node = ctx->home, status = PMIG_STATUS_UNWRITTEN;
	long ret =
		pmig_move_pages(0, 1, &page, &node, &status, MPOL_MF_MOVE_ALL);

	pmig_check_eq(ret, ctx->expect);
	if (ret == 0)
		pmig_check_move_invariants(&page, &node, &status, 1, ret, &p);
}

PMIG_CASE(no_such_pid)
{
	pid_t pid = pmig_unused_pid();
	void *addr = &pid;
	int status = PMIG_STATUS_UNWRITTEN;

	pmig_diag("pid %d is unused", (int)pid);
	pmig_check_eq(pmig_move_pages(pid, 1, &addr, NULL, &status, 0),
		      ctx->expect);
}

/* Queries, as nobody, the page of a target started as ctx->arg says. */
PMIG_CASE(query_target_as_nobody)
{
	struct pmig_target t;
	int status = PMIG_STATUS_UNWRITTEN;
	long ret;

	pmig_target_setup(ctx, &t, ctx->arg);
	pmig_become_nobody(ctx);
	ret = pmig_move_pages(t.pid, 1, &t.page, NULL, &status, 0);
	pmig_check_eq(ret, ctx->expect == PMIG_EXPECT_NODE ? 0 : ctx->expect);
	if (ret == 0)
		pmig_check_eq(status, ctx->home);
	pmig_target_stop(&t);
}

PMIG_CASE(kernel_thread)
{
	pid_t pid = pmig_find_kthread();
	void *addr = &pid;
	int status = PMIG_STATUS_UNWRITTEN;

	pmig_diag("kernel thread pid %d", (int)pid);
	pmig_check_eq(pmig_move_pages(pid, 1, &addr, NULL, &status, 0),
		      ctx->expect);
}

PMIG_CASE(zombie)
{
	pid_t pid = pmig_zombie_start();
	void *addr = &pid;
	int status = PMIG_STATUS_UNWRITTEN;

	if (pid < 0)
		pmig_broken("no zombie: %s", strerror((int)-pid));
	pmig_check_eq(pmig_move_pages(pid, 1, &addr, NULL, &status, 0),
		      ctx->expect);
	pmig_zombie_reap(pid);
}

/* Moves a home page to each of @targets; the page must not leave home. */
static void move_to_bad_nodes(const struct pmig_ctx *ctx, const int *targets,
			      size_t n)
{
	struct pmig_pages p;
	void *page = home_page(ctx, &p);
	char label[64];

	for (size_t i = 0; i < n; i++) {
		int node = targets[i], status = PMIG_STATUS_UNWRITTEN;

		snprintf(label, sizeof(label), "move_pages(node %d)", node);
		pmig_check_val(label,
			       pmig_move_pages(0, 1, &page, &node, &status,
					       MPOL_MF_MOVE),
			       ctx->expect);
		pmig_check_eq(pmig_page_node(page), ctx->home);
	}
	pmig_inv_data_intact(&p);
}

PMIG_CASE(negative_node)
{
	static const int nodes[] = { -1, INT_MIN };

	move_to_bad_nodes(ctx, nodes, PMIG_ARRAY_SIZE(nodes));
}

PMIG_CASE(node_beyond_max)
{
	static const int nodes[] = { INT_MAX, 1 << 20 };

	move_to_bad_nodes(ctx, nodes, PMIG_ARRAY_SIZE(nodes));
}

PMIG_CASE(offline_node)
{
	pmig_diag("node %d is not online", ctx->offline);
	move_to_bad_nodes(ctx, &ctx->offline, 1);
}

PMIG_CASE(zero_count)
{
	int node = ctx->home;

	pmig_check_eq(pmig_move_pages(0, 0, NULL, NULL, NULL, 0), ctx->expect);
	pmig_check_eq(pmig_move_pages(0, 0, NULL, &node, NULL, MPOL_MF_MOVE),
		      ctx->expect);
}

PMIG_CASE(huge_count)
{
	size_t ps = (size_t)sysconf(_SC_PAGESIZE);
	struct pmig_pages p, guard;
	void **pages;
	int node = ctx->home, status = PMIG_STATUS_UNWRITTEN;

	home_page(ctx, &p);
	/* Two pages: the array's one entry ends the first, the second is gone. */
	pmig_pages_setup(&guard, PMIG_PAGE_ANON, 2, ctx->home, ctx->seed);
	if (munmap(guard.base + ps, ps))
		pmig_broken("munmap: %s", strerror(errno));
	guard.map_len = ps;
	pages = (void **)(guard.base + ps - sizeof(void *));
	pages[0] = p.addrs[0];
	pmig_check_eq(
		pmig_move_pages(0, ULONG_MAX / 2, pages, NULL, &status, 0),
		ctx->expect);
	pmig_check_eq(pmig_move_pages(0, ULONG_MAX / 2, pages, &node, &status,
				      MPOL_MF_MOVE),
		      ctx->expect);
	pmig_inv_data_intact(&p);
}

PMIG_CASE(bad_pages_array)
{
	void **pages = pmig_guard_page(PROT_NONE);
	int node = ctx->home, status = PMIG_STATUS_UNWRITTEN;

	pmig_check_eq(pmig_move_pages(0, 1, pages, NULL, &status, 0),
		      ctx->expect);
	pmig_check_eq(
		pmig_move_pages(0, 1, pages, &node, &status, MPOL_MF_MOVE),
		ctx->expect);
}

PMIG_CASE(bad_nodes_array)
{
	struct pmig_pages p;
	void *page = home_page(ctx, &p);
	int *nodes = pmig_guard_page(PROT_NONE), status = PMIG_STATUS_UNWRITTEN;

	pmig_check_eq(
		pmig_move_pages(0, 1, &page, nodes, &status, MPOL_MF_MOVE),
		ctx->expect);
}

PMIG_CASE(bad_status_array)
{
	struct pmig_pages p;
	void *page = home_page(ctx, &p);
	int node = ctx->home, *status = pmig_guard_page(PROT_READ);

	pmig_check_eq(pmig_move_pages(0, 1, &page, NULL, status, 0),
		      ctx->expect);
	pmig_check_eq(pmig_move_pages(0, 1, &page, &node, status, MPOL_MF_MOVE),
		      ctx->expect);
}

PMIG_CASE(nothing_to_move)
{
	enum { N = 4 };
	struct pmig_pages p;
	int nodes[N], status[N];
	long ret;

	pmig_pages_setup(&p, PMIG_PAGE_ANON, N, ctx->home, ctx->seed);
	for (size_t i = 0; i < N; i++)
		nodes[i] = ctx->home;
	pmig_status_reset(status, N);
	ret = pmig_move_pages(0, N, p.addrs, nodes, status, MPOL_MF_MOVE);
	pmig_check_eq(ret, ctx->expect);
	pmig_check_move_invariants(p.addrs, nodes, status, N, ret, &p);
}

/*
 * One page of kind ctx->arg: a status query (flags 0) or a move to home
 * with ctx->flags.
 */
PMIG_CASE(one_status)
{
	enum pmig_page_kind kind = (enum pmig_page_kind)ctx->arg;
	bool move = ctx->flags != 0;
	struct pmig_pages p;
	int node = ctx->home, status = PMIG_STATUS_UNWRITTEN;
	long ret;

	pmig_pages_setup(&p, kind, 1, ctx->home, ctx->seed);
	pmig_diag("%s of one %s page, target node %d", move ? "move" : "query",
		  pmig_page_kind_name(kind), node);
	ret = pmig_move_pages(0, 1, p.addrs, move ? &node : NULL, &status,
			      ctx->flags);
	pmig_require_eq(ret, 0);
	pmig_check_eq(status, pmig_expected(ctx, ctx->home));
	if (move)
		pmig_check_move_invariants(p.addrs, &node, &status, 1, ret, &p);
}

PMIG_CASE(status_moved)
{
	enum { N = 16 };
	struct pmig_pages p;
	int nodes[N], status[N];
	long ret;

	pmig_pages_setup(&p, PMIG_PAGE_ANON, N, ctx->home, ctx->seed);
	for (size_t i = 0; i < N; i++)
		nodes[i] = ctx->other;
	pmig_status_reset(status, N);
	ret = pmig_move_pages(0, N, p.addrs, nodes, status, MPOL_MF_MOVE);
	pmig_require_eq(ret, 0);
	for (size_t i = 0; i < N; i++) {
		char label[48];

		snprintf(label, sizeof(label), "status[%zu]", i);
		pmig_check_val(label, status[i],
			       pmig_expected(ctx, ctx->other));
	}
	pmig_check_move_invariants(p.addrs, nodes, status, N, ret, &p);
}

/* Moves a MAP_SHARED page that a child also maps to the other node, with ctx->flags. */
PMIG_CASE(move_shared)
{
	struct pmig_pages p;
	int node = ctx->other, status = PMIG_STATUS_UNWRITTEN;
	pid_t sharer;
	long ret;

	pmig_pages_setup(&p, PMIG_PAGE_SHARED_ANON, 1, ctx->home, ctx->seed);
	sharer = pmig_sharer_setup(&p);
	ret = pmig_move_pages(0, 1, p.addrs, &node, &status, ctx->flags);
	pmig_check_eq(ret, 0);
	pmig_check_eq(status, pmig_expected(ctx, ctx->other));
	pmig_check_move_invariants(p.addrs, &node, &status, 1, ret, &p);
	pmig_sharer_stop(sharer);
}

PMIG_CASE(duplicate_address)
{
	struct pmig_pages p;
	void *pages[2];
	int nodes[2] = { ctx->other, ctx->other }, status[2];
	long ret;

	pmig_pages_setup(&p, PMIG_PAGE_ANON, 1, ctx->home, ctx->seed);
	pages[0] = pages[1] = p.addrs[0];
	pmig_status_reset(status, 2);
	ret = pmig_move_pages(0, 2, pages, nodes, status, MPOL_MF_MOVE);
	pmig_check_eq(ret, 0);
	pmig_check_eq(status[0], ctx->other);
	pmig_check_eq(status[1], ctx->expect);
	pmig_inv_data_intact(&p);
}

/*
 * The invariant cases share one call: a mixed population moved to another
 * node. On one node it goes to its own node, where nothing moves and data,
 * statuses and the return could not go wrong: the rows that check those
 * need two nodes.
 */
enum { MIX_WRITTEN = 4, MIX = MIX_WRITTEN + 3 };

struct mixed_move {
	struct pmig_pages written, untouched, zero, hole;
	void *addrs[MIX];
	int nodes[MIX];
	int status[MIX];
	long ret;
};

static void mixed_move(const struct pmig_ctx *ctx, struct mixed_move *m)
{
	int target = ctx->other >= 0 ? ctx->other : ctx->home;
	size_t n = 0;

	pmig_pages_setup(&m->written, PMIG_PAGE_ANON, MIX_WRITTEN, ctx->home,
			 ctx->seed);
	pmig_pages_setup(&m->untouched, PMIG_PAGE_NEVER_TOUCHED, 1, ctx->home,
			 0);
	pmig_pages_setup(&m->zero, PMIG_PAGE_ZERO, 1, ctx->home, 0);
	pmig_pages_setup(&m->hole, PMIG_PAGE_HOLE, 1, ctx->home, 0);
	for (size_t i = 0; i < MIX_WRITTEN; i++)
		m->addrs[n++] = m->written.addrs[i];
	m->addrs[n++] = m->untouched.addrs[0];
	m->addrs[n++] = m->zero.addrs[0];
	m->addrs[n++] = m->hole.addrs[0];
	for (size_t i = 0; i < MIX; i++)
		m->nodes[i] = target;
	pmig_status_reset(m->status, MIX);
	pmig_diag(
		"moving %d written, 1 never-touched, 1 zero-page and 1 unmapped page from node %d to node %d",
		MIX_WRITTEN, ctx->home, target);
	m->ret = pmig_move_pages(0, MIX, m->addrs, m->nodes, m->status,
				 MPOL_MF_MOVE);
	pmig_require(m->ret >= 0);
}

PMIG_CASE(inv_status_query)
{
	struct mixed_move m;

	mixed_move(ctx, &m);
	pmig_inv_status_matches_query(m.addrs, m.status, MIX, m.ret);
}

PMIG_CASE(inv_data)
{
	struct mixed_move m;

	mixed_move(ctx, &m);
	pmig_inv_data_intact(&m.written);
}

PMIG_CASE(inv_return)
{
	struct mixed_move m;

	mixed_move(ctx, &m);
	pmig_inv_return_counts(m.ret, m.nodes, m.status, MIX);
}

PMIG_CASE(inv_on_target)
{
	struct mixed_move m;
	size_t on_target = 0;

	mixed_move(ctx, &m);
	for (size_t i = 0; i < MIX; i++)
		on_target += m.status[i] == m.nodes[i];
	/* The check below must have pages to look at to be able to fail. */
	pmig_check_eq(on_target, MIX_WRITTEN);
	pmig_inv_on_target(m.addrs, m.nodes, m.status, MIX);
}
