/* tier_user.c - tier_user: what a program can do itself: soft-dirty bits (clear_refs, pagemap) tell which pages were written each tick, move_pages(2) promotes those or demotes the idle ones. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pageinfo.h"
#include "syscalls.h"
#include "tier_strategy.h"

#define IDLE_TICKS 3 /* ticks unwritten before a page counts as cold */

/*
 * Idle page tracking (/sys/kernel/mm/page_idle) would see reads too, but
 * Debian's kernels lack CONFIG_IDLE_PAGE_TRACKING; soft-dirty bits see
 * writes only, which is what the hot pages get here. Writing 4 to
 * clear_refs clears them (Documentation/admin-guide/mm/soft-dirty.rst).
 */
struct user_loop {
	uint64_t *entries;
	unsigned *idle; /* ticks since each page was last written */
	void **addrs;
	int *nodes, *status;
	unsigned long moved, calls;
};

static struct user_loop state;

static int clear_soft_dirty(void)
{
	int fd = open("/proc/self/clear_refs", O_WRONLY | O_CLOEXEC), ret = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, "4", 1) != 1)
		ret = -errno;
	close(fd);
	return ret;
}

static int read_entries(struct pmig_tier_run *r, struct user_loop *u)
{
	return pmig_pagemap_range(r->pages.base, r->pages.count, u->entries);
}

static void release(struct user_loop *u)
{
	free(u->entries);
	free(u->idle);
	free(u->addrs);
	free(u->nodes);
	free(u->status);
	memset(u, 0, sizeof(*u));
}

static int prepare(struct pmig_tier_run *r)
{
	struct user_loop *u = &state;
	size_t n = r->pages.count;
	int ret;

	memset(u, 0, sizeof(*u));
	r->priv = u;
	u->entries = calloc(n, sizeof(*u->entries));
	u->idle = calloc(n, sizeof(*u->idle));
	u->addrs = calloc(n, sizeof(*u->addrs));
	u->nodes = calloc(n, sizeof(*u->nodes));
	u->status = calloc(n, sizeof(*u->status));
	if (!u->entries || !u->idle || !u->addrs || !u->nodes || !u->status) {
		release(u);
		pmig_bench_fail(r->st, "user loop: out of memory");
		return -1;
	}
	/* Soft-dirty works when clearing it and one writer pass show the hot pages dirty again. */
	ret = clear_soft_dirty();
	if (!ret) {
		usleep(50000);
		ret = read_entries(r, u);
	}
	if (ret || !(u->entries[0] & PMIG_PM_SOFT_DIRTY) ||
	    (u->entries[n - 1] & PMIG_PM_SOFT_DIRTY)) {
		release(u);
		pmig_bench_unavailable(
			r->st,
			"no soft-dirty bits here (%s): CONFIG_MEM_SOFT_DIRTY, x86-64, ppc64 and s390 only",
			ret ? strerror(-ret) :
			      "a written page did not show one");
		return -1;
	}
	return 0;
}

static int step(struct pmig_tier_run *r)
{
	const struct pmig_tier_case *c = r->c;
	struct user_loop *u = r->priv;
	bool promote = c->wl == PMIG_TIER_PROMOTE;
	size_t k = 0;
	long ret;

	if (read_entries(r, u) || clear_soft_dirty()) {
		pmig_bench_fail(r->st, "user loop: pagemap or clear_refs: %s",
				strerror(errno));
		return -1;
	}
	for (size_t i = 0; i < r->pages.count; i++) {
		bool written = u->entries[i] & PMIG_PM_SOFT_DIRTY;
		int at = r->tick ? r->status[i] : -1;

		u->idle[i] = written ? 0 : u->idle[i] + 1;
		if (promote && written && at != c->near) {
			u->addrs[k] = r->pages.addrs[i];
			u->nodes[k++] = c->near;
		} else if (!promote && u->idle[i] >= IDLE_TICKS &&
			   at == c->near) {
			u->addrs[k] = r->pages.addrs[i];
			u->nodes[k++] = c->far;
		}
	}
	if (!k)
		return 0;
	ret = pmig_move_pages(0, k, u->addrs, u->nodes, u->status,
			      MPOL_MF_MOVE);
	u->calls++;
	if (ret < 0) {
		pmig_bench_fail(r->st, "user loop: move_pages: %s",
				strerror((int)-ret));
		return -1;
	}
	u->moved += k - (size_t)ret;
	return 0;
}

static void cleanup(struct pmig_tier_run *r)
{
	struct user_loop *u = r->priv;

	pmig_bench_note_num(r->st, "loop_move_calls", (double)u->calls);
	pmig_bench_note_num(r->st, "loop_moved", (double)u->moved);
	release(u);
}

const struct pmig_tier_strategy pmig_tier_user = {
	.name = "tier_user",
	.workloads = PMIG_TIER_WL(PMIG_TIER_PROMOTE) |
		     PMIG_TIER_WL(PMIG_TIER_DEMOTE),
	.kthreads = NULL,
	.prepare = prepare,
	.step = step,
	.cleanup = cleanup,
};
