/* move_pages.c - conformance cases for move_pages(2): return codes, per-page statuses, invariants. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/mman.h>
#include <unistd.h>

#include "cases.h"
#include "check.h"
#include "fixtures.h"
#include "invariants.h"
#include "priv.h"
#include "syscalls.h"

/* One written page on the home node: the usual subject of return-code cases. */
static void *home_page(const struct pmig_ctx *ctx, struct pmig_pages *p)
{
	pmig_pages_setup(p, PMIG_PAGE_ANON, 1, ctx->home, ctx->seed);
	return p->addrs[0];
}

static void bad_flags(const struct pmig_ctx *ctx)
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

static void move_all_own_page(const struct pmig_ctx *ctx)
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

static void no_such_pid(const struct pmig_ctx *ctx)
{
	pid_t pid = pmig_unused_pid();
	void *addr = &pid;
	int status = PMIG_STATUS_UNWRITTEN;

	pmig_diag("pid %d is unused", (int)pid);
	pmig_check_eq(pmig_move_pages(pid, 1, &addr, NULL, &status, 0),
		      ctx->expect);
}

/* Queries a target's page as nobody; @expect_node when the call succeeds. */
static void query_target_as_nobody(const struct pmig_ctx *ctx,
				   bool target_nobody, bool dumpable)
{
	struct pmig_target t;
	int status = PMIG_STATUS_UNWRITTEN;
	long ret;

	pmig_target_setup(ctx, &t, target_nobody, dumpable);
	pmig_become_nobody(ctx);
	ret = pmig_move_pages(t.pid, 1, &t.page, NULL, &status, 0);
	pmig_check_eq(ret, ctx->expect == PMIG_EXPECT_NODE ? 0 : ctx->expect);
	if (ret == 0)
		pmig_check_eq(status, ctx->home);
	pmig_target_stop(&t);
}

static void other_user(const struct pmig_ctx *ctx)
{
	query_target_as_nobody(ctx, false, true);
}

static void same_uid_not_dumpable(const struct pmig_ctx *ctx)
{
	query_target_as_nobody(ctx, true, false);
}

static void same_uid_dumpable(const struct pmig_ctx *ctx)
{
	query_target_as_nobody(ctx, true, true);
}

static void kernel_thread(const struct pmig_ctx *ctx)
{
	pid_t pid = pmig_find_kthread();
	void *addr = &pid;
	int status = PMIG_STATUS_UNWRITTEN;

	pmig_diag("kernel thread pid %d", (int)pid);
	pmig_check_eq(pmig_move_pages(pid, 1, &addr, NULL, &status, 0),
		      ctx->expect);
}

static void zombie(const struct pmig_ctx *ctx)
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

static void negative_node(const struct pmig_ctx *ctx)
{
	static const int nodes[] = { -1, INT_MIN };

	move_to_bad_nodes(ctx, nodes, PMIG_ARRAY_SIZE(nodes));
}

static void node_beyond_max(const struct pmig_ctx *ctx)
{
	static const int nodes[] = { INT_MAX, 1 << 20 };

	move_to_bad_nodes(ctx, nodes, PMIG_ARRAY_SIZE(nodes));
}

static void offline_node(const struct pmig_ctx *ctx)
{
	pmig_diag("node %d is not online", ctx->offline);
	move_to_bad_nodes(ctx, &ctx->offline, 1);
}

static void zero_count(const struct pmig_ctx *ctx)
{
	int node = ctx->home;

	pmig_check_eq(pmig_move_pages(0, 0, NULL, NULL, NULL, 0), ctx->expect);
	pmig_check_eq(pmig_move_pages(0, 0, NULL, &node, NULL, MPOL_MF_MOVE),
		      ctx->expect);
}

static void huge_count(const struct pmig_ctx *ctx)
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

static void bad_pages_array(const struct pmig_ctx *ctx)
{
	void **pages = pmig_guard_page(PROT_NONE);
	int node = ctx->home, status = PMIG_STATUS_UNWRITTEN;

	pmig_check_eq(pmig_move_pages(0, 1, pages, NULL, &status, 0),
		      ctx->expect);
	pmig_check_eq(
		pmig_move_pages(0, 1, pages, &node, &status, MPOL_MF_MOVE),
		ctx->expect);
}

static void bad_nodes_array(const struct pmig_ctx *ctx)
{
	struct pmig_pages p;
	void *page = home_page(ctx, &p);
	int *nodes = pmig_guard_page(PROT_NONE), status = PMIG_STATUS_UNWRITTEN;

	pmig_check_eq(
		pmig_move_pages(0, 1, &page, nodes, &status, MPOL_MF_MOVE),
		ctx->expect);
}

static void bad_status_array(const struct pmig_ctx *ctx)
{
	struct pmig_pages p;
	void *page = home_page(ctx, &p);
	int node = ctx->home, *status = pmig_guard_page(PROT_READ);

	pmig_check_eq(pmig_move_pages(0, 1, &page, NULL, status, 0),
		      ctx->expect);
	pmig_check_eq(pmig_move_pages(0, 1, &page, &node, status, MPOL_MF_MOVE),
		      ctx->expect);
}

static void nothing_to_move(const struct pmig_ctx *ctx)
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

/* A status query (@move false) or a move to home of one page of @kind. */
static void one_status(const struct pmig_ctx *ctx, enum pmig_page_kind kind,
		       bool move)
{
	struct pmig_pages p;
	int node = ctx->home, status = PMIG_STATUS_UNWRITTEN;
	long ret;

	pmig_pages_setup(&p, kind, 1, ctx->home, ctx->seed);
	pmig_diag("%s of one %s page, target node %d", move ? "move" : "query",
		  pmig_page_kind_name(kind), node);
	ret = pmig_move_pages(0, 1, p.addrs, move ? &node : NULL, &status,
			      move ? MPOL_MF_MOVE : 0);
	pmig_require_eq(ret, 0);
	pmig_check_eq(status, pmig_expected(ctx, ctx->home));
	if (move)
		pmig_check_move_invariants(p.addrs, &node, &status, 1, ret, &p);
}

static void status_present(const struct pmig_ctx *ctx)
{
	one_status(ctx, PMIG_PAGE_ANON, false);
}

static void status_never_touched(const struct pmig_ctx *ctx)
{
	one_status(ctx, PMIG_PAGE_NEVER_TOUCHED, false);
}

static void status_zero_page(const struct pmig_ctx *ctx)
{
	one_status(ctx, PMIG_PAGE_ZERO, false);
}

static void status_hole(const struct pmig_ctx *ctx)
{
	one_status(ctx, PMIG_PAGE_HOLE, false);
}

static void status_already_on_target(const struct pmig_ctx *ctx)
{
	one_status(ctx, PMIG_PAGE_ANON, true);
}

static void status_never_touched_move(const struct pmig_ctx *ctx)
{
	one_status(ctx, PMIG_PAGE_NEVER_TOUCHED, true);
}

static void status_zero_page_move(const struct pmig_ctx *ctx)
{
	one_status(ctx, PMIG_PAGE_ZERO, true);
}

static void status_hole_move(const struct pmig_ctx *ctx)
{
	one_status(ctx, PMIG_PAGE_HOLE, true);
}

static void status_moved(const struct pmig_ctx *ctx)
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

/* Moves a MAP_SHARED page that a child also maps to the other node. */
static void move_shared(const struct pmig_ctx *ctx, int flags)
{
	struct pmig_pages p;
	int node = ctx->other, status = PMIG_STATUS_UNWRITTEN;
	pid_t sharer;
	long ret;

	pmig_pages_setup(&p, PMIG_PAGE_SHARED_ANON, 1, ctx->home, ctx->seed);
	sharer = pmig_sharer_setup(&p);
	ret = pmig_move_pages(0, 1, p.addrs, &node, &status, flags);
	pmig_check_eq(ret, 0);
	pmig_check_eq(status, pmig_expected(ctx, ctx->other));
	pmig_check_move_invariants(p.addrs, &node, &status, 1, ret, &p);
	pmig_sharer_stop(sharer);
}

static void shared_without_move_all(const struct pmig_ctx *ctx)
{
	move_shared(ctx, MPOL_MF_MOVE);
}

static void shared_with_move_all(const struct pmig_ctx *ctx)
{
	move_shared(ctx, MPOL_MF_MOVE_ALL);
}

static void duplicate_address(const struct pmig_ctx *ctx)
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
 * node (or, on one node, to its own node, where nothing physically moves).
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

static void inv_status_query(const struct pmig_ctx *ctx)
{
	struct mixed_move m;

	mixed_move(ctx, &m);
	pmig_inv_status_matches_query(m.addrs, m.status, MIX, m.ret);
}

static void inv_data(const struct pmig_ctx *ctx)
{
	struct mixed_move m;

	mixed_move(ctx, &m);
	pmig_inv_data_intact(&m.written);
}

static void inv_return(const struct pmig_ctx *ctx)
{
	struct mixed_move m;

	mixed_move(ctx, &m);
	pmig_inv_return_counts(m.ret, m.nodes, m.status, MIX);
}

static void inv_on_target(const struct pmig_ctx *ctx)
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

static const struct pmig_case cases[] = {
	{ .id = "move_pages.return.einval_bad_flags", .run = bad_flags },
	{ .id = "move_pages.return.eperm_move_all_without_cap_sys_nice",
	  .run = move_all_own_page,
	  .drop_caps = PMIG_CAP(CAP_SYS_NICE) },
	{ .id = "move_pages.return.move_all_with_cap_sys_nice",
	  .run = move_all_own_page },
	{ .id = "move_pages.return.esrch_no_such_pid", .run = no_such_pid },
	{ .id = "move_pages.return.eperm_other_user", .run = other_user },
	{ .id = "move_pages.return.eperm_same_uid_not_dumpable",
	  .run = same_uid_not_dumpable },
	{ .id = "move_pages.return.same_uid_dumpable_allowed",
	  .run = same_uid_dumpable },
	{ .id = "move_pages.return.einval_kernel_thread",
	  .run = kernel_thread },
	{ .id = "move_pages.return.einval_zombie", .run = zombie },
	{ .id = "move_pages.return.enodev_negative_node",
	  .run = negative_node },
	{ .id = "move_pages.return.enodev_node_beyond_max",
	  .run = node_beyond_max },
	{ .id = "move_pages.return.enodev_offline_node", .run = offline_node },
	{ .id = "move_pages.return.zero_count", .run = zero_count },
	{ .id = "move_pages.return.e2big_not_generated", .run = huge_count },
	{ .id = "move_pages.return.efault_pages_array",
	  .run = bad_pages_array },
	{ .id = "move_pages.return.efault_nodes_array",
	  .run = bad_nodes_array },
	{ .id = "move_pages.return.efault_status_array",
	  .run = bad_status_array },
	{ .id = "move_pages.return.zero_when_nothing_to_move",
	  .run = nothing_to_move },
	{ .id = "move_pages.status.node_present", .run = status_present },
	{ .id = "move_pages.status.enoent_not_present",
	  .run = status_never_touched },
	{ .id = "move_pages.status.efault_zero_page", .run = status_zero_page },
	{ .id = "move_pages.status.efault_no_vma", .run = status_hole },
	{ .id = "move_pages.status.node_already_on_target",
	  .run = status_already_on_target },
	{ .id = "move_pages.status.enoent_not_present_move",
	  .run = status_never_touched_move },
	{ .id = "move_pages.status.efault_zero_page_move",
	  .run = status_zero_page_move },
	{ .id = "move_pages.status.efault_no_vma_move",
	  .run = status_hole_move },
	{ .id = "move_pages.status.node_moved", .run = status_moved },
	{ .id = "move_pages.status.eacces_shared_without_move_all",
	  .run = shared_without_move_all },
	{ .id = "move_pages.status.shared_moved_with_move_all",
	  .run = shared_with_move_all },
	{ .id = "move_pages.status.ebusy_duplicate_address",
	  .run = duplicate_address },
	{ .id = "move_pages.invariant.status_matches_query",
	  .run = inv_status_query },
	{ .id = "move_pages.invariant.data_intact", .run = inv_data },
	{ .id = "move_pages.invariant.return_counts_unmigrated",
	  .run = inv_return },
	{ .id = "move_pages.invariant.moved_pages_on_target",
	  .run = inv_on_target },
};

const struct pmig_case_group pmig_move_pages_group = PMIG_CASE_GROUP(cases);
