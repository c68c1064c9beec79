/* migrate_pages.c - conformance cases for migrate_pages(2): return codes, permissions, placement. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "cases.h"
#include "check.h"
#include "fixtures.h"
#include "invariants.h"
#include "procs.h"
#include "syscalls.h"

static long migrate(pid_t pid, int from, int to)
{
	return pmig_migrate_one(pid, from, to);
}

PMIG_CASE(migrate_no_such_pid)
{
	pid_t pid = pmig_unused_pid();

	pmig_diag("pid %d is unused", (int)pid);
	pmig_check_eq(migrate(pid, ctx->home, ctx->home), ctx->expect);
}

PMIG_CASE(maxnode_too_large)
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

PMIG_CASE(migrate_node_beyond_max)
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

PMIG_CASE(bad_old_nodes)
{
	struct pmig_nodemask new = pmig_nodemask_of(ctx->home);

	pmig_check_eq(pmig_migrate_pages(0, PMIG_MASK_MAXNODE,
					 pmig_guard_page(PROT_NONE), new.bits),
		      ctx->expect);
}

PMIG_CASE(bad_new_nodes)
{
	struct pmig_nodemask old = pmig_nodemask_of(ctx->home);

	pmig_check_eq(pmig_migrate_pages(0, PMIG_MASK_MAXNODE, old.bits,
					 pmig_guard_page(PROT_NONE)),
		      ctx->expect);
}

PMIG_CASE(empty_new)
{
	pmig_check_eq(migrate(0, ctx->home, -1), ctx->expect);
}

/*
 * old = new = {home}, read with maxnode home + ctx->arg, or 0 for arg 0 (the
 * kernel reads maxnode - 1 bits).
 */
PMIG_CASE(with_maxnode)
{
	struct pmig_nodemask m = pmig_nodemask_of(ctx->home);
	unsigned long maxnode =
		ctx->arg ? (unsigned long)(ctx->home + ctx->arg) : 0;

	pmig_diag("node %d, maxnode %lu", ctx->home, maxnode);
	pmig_check_eq(pmig_migrate_pages(0, maxnode, m.bits, m.bits),
		      ctx->expect);
}

PMIG_CASE(new_offline)
{
	pmig_diag("node %d is not online", ctx->offline);
	pmig_check_eq(migrate(0, ctx->home, ctx->offline), ctx->expect);
}

/* Migrates, as nobody, a target started as ctx->arg says. */
PMIG_CASE(migrate_target_as_nobody)
{
	struct pmig_target t;
	int status = PMIG_STATUS_UNWRITTEN;
	long ret;

	pmig_target_setup(ctx, &t, ctx->arg);
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

PMIG_CASE(migrate_kernel_thread)
{
	pid_t pid = pmig_find_kthread();

	pmig_diag("kernel thread pid %d", (int)pid);
	pmig_check_eq(migrate(pid, ctx->home, ctx->home), ctx->expect);
}

PMIG_CASE(migrate_zombie)
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

PMIG_CASE(migrate_nothing_to_move)
{
	struct pmig_pages p;

	pmig_pages_setup(&p, PMIG_PAGE_ANON, 4, ctx->home, ctx->seed);
	pmig_check_eq(migrate(0, ctx->home, ctx->home), ctx->expect);
	check_all_on(&p, ctx->home);
}

PMIG_CASE(moves_all)
{
	struct pmig_pages p;

	pmig_pages_setup(&p, PMIG_PAGE_ANON, 16, ctx->home, ctx->seed);
	pmig_check_eq(migrate(0, ctx->home, ctx->other), ctx->expect);
	check_all_on(&p, ctx->other);
}

PMIG_CASE(migrate_shared_skipped)
{
	struct pmig_pages p;
	pid_t sharer;

	pmig_pages_setup(&p, PMIG_PAGE_SHARED_ANON, 1, ctx->home, ctx->seed);
	sharer = pmig_sharer_setup(&p);
	pmig_check_eq(migrate(0, ctx->home, ctx->other), ctx->expect);
	check_all_on(&p, ctx->home);
	pmig_sharer_stop(sharer);
}
