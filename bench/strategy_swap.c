/* strategy_swap.c - swap-based migration: MADV_PAGEOUT, a memory policy for the target, then the faults that bring the pages back (timed). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "metrics/swapdev.h"
#include "pagesizes.h"
#include "settings.h"
#include "strategy.h"
#include "syscalls.h"

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23 /* Linux 5.14 */
#endif

#define PAGEOUT_TRIES 3

struct sw {
	size_t mark;
	bool changed;
	uint64_t pageout_ns; /* untimed, reported beside the timed faults */
	long pageouts;
};

static int prepare(struct pmig_bench_ctx *x)
{
	/* zswap would keep the pages in RAM: they must reach the device. */
	static const struct pmig_setting no_zswap = {
		"/sys/module/zswap/parameters/enabled", "N", PMIG_SR_OPTIONAL
	};
	struct sw *s = calloc(1, sizeof(*s));
	char why[160] = "";
	int ret;

	x->priv = s;
	if (!s) {
		pmig_bench_fail(x->st, "out of memory");
		return -1;
	}
	ret = pmig_swap_ensure(2 * x->c->bytes, why, sizeof(why));
	if (ret) {
		pmig_bench_unavailable(x->st, "no swap: %s",
				       *why ? why : strerror(-ret));
		return -1;
	}
	s->changed = pmig_settings_apply(&no_zswap, 1, &s->mark) == 0;
	return 0;
}

/*
 * shmem: the pagemap shows no swap entry for a shared page (the entry is
 * in the file, not the page table), so mincore(2) tells instead: a shmem
 * page not resident after MADV_PAGEOUT is in swap.
 */
static int shmem_pageout(struct pmig_pages *p)
{
	size_t len = p->count * p->page_size, page = pmig_page_sizes()->base;
	unsigned char *vec = malloc(len / page + 1);
	int ret = 0;

	if (!vec)
		return -ENOMEM;
	if (madvise(p->base, len, MADV_PAGEOUT) || mincore(p->base, len, vec))
		ret = -errno;
	for (size_t i = 0; !ret && i < len / page; i++)
		if (vec[i] & 1)
			ret = -EAGAIN;
	free(vec);
	return ret;
}

/* Untimed: out to swap, every page of it. */
static int page_out(struct pmig_bench_ctx *x)
{
	bool shmem = x->pages.kind == PMIG_PAGE_SHARED_ANON;
	int ret = -EAGAIN;

	for (int i = 0; i < PAGEOUT_TRIES && ret == -EAGAIN; i++)
		ret = shmem ? shmem_pageout(&x->pages) :
			      pmig_pages_pageout(&x->pages);
	if (ret == -EAGAIN) {
		pmig_bench_unavailable(
			x->st,
			"pages stayed in memory after MADV_PAGEOUT (swap full, or reclaim refused them)");
		return -1;
	}
	if (ret) {
		pmig_bench_fail(x->st, "MADV_PAGEOUT: %s", strerror(-ret));
		return -1;
	}
	return 0;
}

static int migrate(struct pmig_bench_ctx *x)
{
	unsigned long mask[16] = { 0 };
	size_t len = x->pages.count * x->pages.page_size;
	int to = x->c->pair.to;
	struct sw *s = x->priv;
	uint64_t t0, t1;
	long ret;

	t0 = pmig_bench_now();
	if (page_out(x))
		return -1;
	s->pageout_ns += pmig_bench_now() - t0;
	s->pageouts++;
	/* The policy alone, no MOVE: the faults allocate on the target. */
	mask[to / 64] = 1UL << (to % 64);
	ret = pmig_mbind(x->pages.base, len, MPOL_BIND, mask,
			 (unsigned long)to + 2, 0);
	if (ret < 0) {
		pmig_bench_fail(x->st, "mbind to node %d: %s", to,
				strerror((int)-ret));
		return -1;
	}
	t0 = pmig_bench_now();
	ret = madvise(x->pages.base, len, MADV_POPULATE_WRITE) ? -errno : 0;
	t1 = pmig_bench_now();
	if (ret == -EINVAL) {
		/* Before 5.14: one write fault per page. */
		t0 = pmig_bench_now();
		for (size_t i = 0; i < x->pages.count; i++)
			*(volatile char *)x->pages.addrs[i] =
				*(volatile char *)x->pages.addrs[i];
		t1 = pmig_bench_now();
		ret = 0;
	}
	pmig_bench_sample(x->st, t1 - t0);
	if (ret) {
		pmig_bench_fail(x->st, "MADV_POPULATE_WRITE: %s",
				strerror((int)-ret));
		return -1;
	}
	return 0;
}

/*
 * The pages really went out to swap and came back from it: the counters
 * are system-wide, so some growth could be another process's paging; our
 * pages alone make both grow by their count (the counters count base
 * pages), so less than that means some of ours did not go through swap.
 */
static int verify(struct pmig_bench_ctx *x)
{
	double out = pmig_ctx_probe_delta(x, "pswpout");
	double in = pmig_ctx_probe_delta(x, "pswpin");
	size_t pages = x->pages.count * x->pages.page_size /
		       (size_t)sysconf(_SC_PAGESIZE);

	if (out < (double)pages || in < (double)pages) {
		pmig_bench_fail(
			x->st,
			"pswpout grew by %.0f and pswpin by %.0f, not both by the %zu pages: the pages did not go through swap",
			out, in, pages);
		return -1;
	}
	return 0;
}

static void cleanup(struct pmig_bench_ctx *x)
{
	struct sw *s = x->priv;

	if (s && s->pageouts)
		pmig_bench_note_num(x->st, "pageout_ns_mean",
				    (double)s->pageout_ns /
					    (double)s->pageouts);
	if (s && s->changed)
		pmig_settings_restore_to(s->mark);
	free(s);
	x->priv = NULL;
}

const struct pmig_strategy pmig_strategy_swap = {
	.name = "swap",
	.version = PMIG_STRATEGY_VERSION,
	.workloads = PMIG_WL(PMIG_WL_ANON) | PMIG_WL(PMIG_WL_SHMEM),
	.flags = PMIG_SF_NO_ACCESSORS,
	.others =
		"anonymous and shmem pages only: file pages are dropped, not swapped, huge pages are split or not swapped, and MADV_PAGEOUT leaves pages another process maps alone",
	.prepare = prepare,
	.reset = pmig_reset_to_from,
	.migrate = migrate,
	.verify = verify,
	.cleanup = cleanup,
};
