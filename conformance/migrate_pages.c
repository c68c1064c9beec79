/* migrate_pages.c - conformance cases for migrate_pages(2): return codes, permissions, placement. */
#include <errno.h>
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
#include "procs.h"
#include "syscalls.h"

static long migrate(pid_t pid, int from, int to)
{
	return pmig_migrate_one(pid, from, to);
}

static void no_such_pid(const struct pmig_ctx *ctx)
{
	pid_t pid = pmig_unused_pid();

	pmig_diag("pid %d is unused", (int)pid);
	pmig_check_eq(migrate(pid, ctx->home, ctx->home), ctx->expect);
}

static void maxnode_too_large(const struct pmig_ctx *ctx)
{
	size_t ps = (size_t)sysconf(_SC_PAGESIZE);
	/* A buffer big enough for the kernel to read all it may want. */
	struct pmig_pages buf;
	unsigned long maxnode = 8 * ps + 2;

	pmig_pages_setup(&buf, PMIG_PAGE_ANON, 3, ctx->home, ctx->seed);
	memset(buf.base, 0, 3 * ps);
	*(struct pmig_nodemask *)buf.base = pmig_nodemask_of(ctx->home);
	pmig_diag("maxnode %lu", maxnode);
	pmig_check_eq(pmig_migrate_pages(0, maxnode, (unsigned long *)buf.base,
					 (unsigned long *)buf.base),
		      ctx->expect);
}

static void node_beyond_max(const struct pmig_ctx *ctx)
{
	size_t ps = (size_t)sysconf(_SC_PAGESIZE), bit = 8 * ps - 1;
	size_t per = 8 * sizeof(unsigned long);
	struct pmig_pages old, new;
	unsigned long *nb;

	pmig_pages_setup(&old, PMIG_PAGE_ANON, 1, ctx->home, ctx->seed);
	pmig_pages_setup(&new, PMIG_PAGE_ANON, 1, ctx->home, ctx->seed);
	memset(old.base, 0, ps);
	memset(new.base, 0, ps);
	*(struct pmig_nodemask *)old.base = pmig_nodemask_of(ctx->home);
	*(struct pmig_nodemask *)new.base = pmig_nodemask_of(ctx->home);
	nb = (unsigned long *)new.base;
	nb[bit / per] |= 1UL << (bit % per);
	pmig_diag("bit %zu set, maxnode %zu", bit, bit + 2);
	pmig_check_eq(
		pmig_migrate_pages(0, bit + 2, (unsigned long *)old.base, nb),
		ctx->expect);
}

static void bad_old_nodes(const struct pmig_ctx *ctx)
{
	struct pmig_nodemask new = pmig_nodemask_of(ctx->home);

	pmig_check_eq(pmig_migrate_pages(0, PMIG_MASK_MAXNODE,
					 pmig_guard_page(PROT_NONE), new.bits),
		      ctx->expect);
}

static void bad_new_nodes(const struct pmig_ctx *ctx)
{
	struct pmig_nodemask old = pmig_nodemask_of(ctx->home);

	pmig_check_eq(pmig_migrate_pages(0, PMIG_MASK_MAXNODE, old.bits,
					 pmig_guard_page(PROT_NONE)),
		      ctx->expect);
}

static void empty_new(const struct pmig_ctx *ctx)
{
	pmig_check_eq(migrate(0, ctx->home, -1), ctx->expect);
}

/* old = new = {home}, read with @maxnode (the kernel reads maxnode - 1 bits). */
static void with_maxnode(const struct pmig_ctx *ctx, unsigned long maxnode)
{
	struct pmig_nodemask m = pmig_nodemask_of(ctx->home);

	pmig_diag("node %d, maxnode %lu", ctx->home, maxnode);
	pmig_check_eq(pmig_migrate_pages(0, maxnode, m.bits, m.bits),
		      ctx->expect);
}

static void maxnode_node_plus_one(const struct pmig_ctx *ctx)
{
	with_maxnode(ctx, (unsigned long)ctx->home + 1);
}

static void maxnode_node_plus_two(const struct pmig_ctx *ctx)
{
	with_maxnode(ctx, (unsigned long)ctx->home + 2);
}

static void maxnode_zero(const struct pmig_ctx *ctx)
{
	with_maxnode(ctx, 0);
}

static void new_offline(const struct pmig_ctx *ctx)
{
	pmig_diag("node %d is not online", ctx->offline);
	pmig_check_eq(migrate(0, ctx->home, ctx->offline), ctx->expect);
}

static void migrate_target_as_nobody(const struct pmig_ctx *ctx,
				     bool target_nobody)
{
	struct pmig_target t;
	int status = PMIG_STATUS_UNWRITTEN;
	long ret;

	pmig_target_setup(ctx, &t, target_nobody, true);
	pmig_become_nobody(ctx);
	ret = migrate(t.pid, ctx->home, ctx->home);
	pmig_check_eq(ret, ctx->expect);
	if (ret == 0) {
		pmig_check_eq(
			pmig_move_pages(t.pid, 1, &t.page, NULL, &status, 0),
			0);
		pmig_check_eq(status, ctx->home);
	}
	pmig_target_stop(&t);
}

static void other_user(const struct pmig_ctx *ctx)
{
	migrate_target_as_nobody(ctx, false);
}

static void same_uid(const struct pmig_ctx *ctx)
{
	migrate_target_as_nobody(ctx, true);
}

static void kernel_thread(const struct pmig_ctx *ctx)
{
	pid_t pid = pmig_find_kthread();

	pmig_diag("kernel thread pid %d", (int)pid);
	pmig_check_eq(migrate(pid, ctx->home, ctx->home), ctx->expect);
}

static void zombie(const struct pmig_ctx *ctx)
{
	pid_t pid = pmig_zombie_start();

	if (pid < 0)
		pmig_broken("no zombie: %s", strerror((int)-pid));
	pmig_check_eq(migrate(pid, ctx->home, ctx->home), ctx->expect);
	pmig_zombie_reap(pid);
}

static void check_all_on(const struct pmig_pages *p, int node)
{
	char label[48];

	for (size_t i = 0; i < p->count; i++) {
		snprintf(label, sizeof(label), "node of page %zu", i);
		pmig_check_val(label, pmig_page_node(p->addrs[i]), node);
	}
	pmig_inv_data_intact(p);
}

static void nothing_to_move(const struct pmig_ctx *ctx)
{
	struct pmig_pages p;

	pmig_pages_setup(&p, PMIG_PAGE_ANON, 4, ctx->home, ctx->seed);
	pmig_check_eq(migrate(0, ctx->home, ctx->home), ctx->expect);
	check_all_on(&p, ctx->home);
}

static void moves_all(const struct pmig_ctx *ctx)
{
	struct pmig_pages p;

	pmig_pages_setup(&p, PMIG_PAGE_ANON, 16, ctx->home, ctx->seed);
	pmig_check_eq(migrate(0, ctx->home, ctx->other), ctx->expect);
	check_all_on(&p, ctx->other);
}

static void shared_skipped(const struct pmig_ctx *ctx)
{
	struct pmig_pages p;
	pid_t sharer;

	pmig_pages_setup(&p, PMIG_PAGE_SHARED_ANON, 1, ctx->home, ctx->seed);
	sharer = pmig_sharer_setup(&p);
	pmig_check_eq(migrate(0, ctx->home, ctx->other), ctx->expect);
	check_all_on(&p, ctx->home);
	pmig_sharer_stop(sharer);
}

static const struct pmig_case cases[] = {
	{ .id = "migrate_pages.return.esrch_no_such_pid", .run = no_such_pid },
	{ .id = "migrate_pages.return.einval_maxnode_too_large",
	  .run = maxnode_too_large },
	{ .id = "migrate_pages.return.einval_node_beyond_max",
	  .run = node_beyond_max },
	{ .id = "migrate_pages.return.efault_old_nodes", .run = bad_old_nodes },
	{ .id = "migrate_pages.return.efault_new_nodes", .run = bad_new_nodes },
	{ .id = "migrate_pages.return.einval_empty_new", .run = empty_new },
	{ .id = "migrate_pages.return.einval_maxnode_node_plus_one",
	  .run = maxnode_node_plus_one },
	{ .id = "migrate_pages.return.maxnode_node_plus_two_reads_node",
	  .run = maxnode_node_plus_two },
	{ .id = "migrate_pages.return.einval_maxnode_zero",
	  .run = maxnode_zero },
	{ .id = "migrate_pages.return.einval_new_offline_only",
	  .run = new_offline },
	{ .id = "migrate_pages.return.eperm_new_outside_cpuset",
	  .run = new_offline,
	  .drop_caps = PMIG_CAP(CAP_SYS_NICE) },
	{ .id = "migrate_pages.return.eperm_other_user", .run = other_user },
	{ .id = "migrate_pages.return.same_uid_dumpable_allowed",
	  .run = same_uid },
	{ .id = "migrate_pages.return.einval_kernel_thread",
	  .run = kernel_thread },
	{ .id = "migrate_pages.return.einval_zombie", .run = zombie },
	{ .id = "migrate_pages.return.zero_nothing_to_move",
	  .run = nothing_to_move },
	{ .id = "migrate_pages.return.moves_all_pages",
	  .run = moves_all,
	  .drop_caps = PMIG_CAP(CAP_SYS_NICE) },
	{ .id = "migrate_pages.return.shared_skipped_without_cap_sys_nice",
	  .run = shared_skipped,
	  .drop_caps = PMIG_CAP(CAP_SYS_NICE) },
};

const struct pmig_case_group pmig_migrate_pages_group = PMIG_CASE_GROUP(cases);
