/* strategy_memcpy.c - the copy bound: memcpy from pages on the from node to pages on the target node, one thread or one per online CPU. */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "strategy.h"
#include "tick.h"

struct mc {
	struct pmig_pages dst; /* on the target node, its own pattern */
	struct pmig_pages
		view; /* dst as it must read after a copy: src's pattern */
	int nthreads; /* workers besides the caller */
	pthread_t th[256];
	pthread_barrier_t start, done;
	bool stop, barriers;
};

struct slice {
	struct pmig_bench_ctx *x;
	int i;
};

static struct slice slices[257];

/* Part @i of @n of the copy, in whole pages. */
static void copy_part(struct pmig_bench_ctx *x, int i, int n)
{
	struct mc *m = x->priv;
	size_t pages = x->pages.count, ps = x->pages.page_size;
	size_t lo = pages * (size_t)i / (size_t)n,
	       hi = pages * (size_t)(i + 1) / (size_t)n;

	memcpy(m->dst.base + lo * ps, x->pages.base + lo * ps, (hi - lo) * ps);
}

static void *worker(void *arg)
{
	struct slice *s = arg;
	struct mc *m = s->x->priv;

	for (;;) {
		pthread_barrier_wait(&m->start);
		if (m->stop)
			return NULL;
		copy_part(s->x, s->i, m->nthreads + 1);
		pthread_barrier_wait(&m->done);
	}
}

static int prepare(struct pmig_bench_ctx *x)
{
	struct mc *m = calloc(1, sizeof(*m));
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	cpu_set_t all;
	int ret;

	/*
	 * QEMU's icount runs every vCPU on one thread in turns, with one
	 * instruction clock for all: two threads copy no sooner than one, and
	 * the figure counts QEMU's turn-taking (bookworm 2node, 1 MiB: threads:2
	 * read 208-226 us against threads:1's 197, and moved up to 2% with a
	 * change elsewhere in pmig; bench/README.md, Layout).
	 */
	if (x->c->threads > 1 && pmig_icount_guest()) {
		pmig_bench_unavailable(
			x->st,
			"%d copy threads under QEMU icount: the vCPUs take turns on one instruction clock, so they cannot copy sooner than one",
			x->c->threads);
		free(m);
		return -1;
	}
	x->priv = m;
	if (!m) {
		pmig_bench_fail(x->st, "out of memory");
		return -1;
	}
	ret = pmig_pages_create(&m->dst, PMIG_PAGE_ANON, x->pages.count,
				x->c->pair.to, x->pages.seed ^ 0x5a5a5a5aULL);
	if (ret) {
		pmig_bench_fail(x->st,
				"creating the destination on node %d: %s",
				x->c->pair.to, strerror(-ret));
		return -1;
	}
	m->view = m->dst;
	m->view.seed = x->pages.seed;
	x->check = &m->view;
	if (x->c->threads <= 1)
		return 0;
	m->nthreads = x->c->threads - 1;
	if (m->nthreads > 256)
		m->nthreads = 256;
	pthread_barrier_init(&m->start, NULL, (unsigned)m->nthreads + 1);
	pthread_barrier_init(&m->done, NULL, (unsigned)m->nthreads + 1);
	m->barriers = true;
	/* Workers may run on any online CPU, the caller stays on the from node. */
	CPU_ZERO(&all);
	for (long c = 0; c < cpus && c < CPU_SETSIZE; c++)
		CPU_SET((int)c, &all);
	for (int i = 0; i < m->nthreads; i++) {
		slices[i] = (struct slice){ x, i + 1 };
		ret = pthread_create(&m->th[i], NULL, worker, &slices[i]);
		if (ret) {
			/* The started workers wait on a barrier sized for all: leave them. */
			m->nthreads = 0;
			m->barriers = false;
			pmig_bench_fail(x->st, "starting copy thread %d: %s", i,
					strerror(ret));
			return -1;
		}
		pthread_setaffinity_np(m->th[i], sizeof(all), &all);
	}
	return 0;
}

/* Untimed: the destination's pages stop matching, so a copy that did not happen shows. */
static int reset(struct pmig_bench_ctx *x)
{
	struct mc *m = x->priv;

	for (size_t i = 0; i < m->dst.count; i++)
		*(uint64_t *)(m->dst.base + i * m->dst.page_size) =
			~pmig_pages_pattern(&m->view, i, 0);
	return 0;
}

static int migrate(struct pmig_bench_ctx *x)
{
	struct mc *m = x->priv;
	uint64_t t0, t1;

	t0 = pmig_bench_now();
	if (m->nthreads)
		pthread_barrier_wait(&m->start);
	copy_part(x, 0, m->nthreads + 1);
	if (m->nthreads)
		pthread_barrier_wait(&m->done);
	t1 = pmig_bench_now();
	pmig_bench_sample(x->st, t1 - t0);
	return 0;
}

static void cleanup(struct pmig_bench_ctx *x)
{
	struct mc *m = x->priv;

	if (!m)
		return;
	if (m->nthreads) {
		m->stop = true;
		pthread_barrier_wait(&m->start);
		for (int i = 0; i < m->nthreads; i++)
			pthread_join(m->th[i], NULL);
	}
	if (m->barriers) {
		pthread_barrier_destroy(&m->start);
		pthread_barrier_destroy(&m->done);
	}
	if (m->dst.addrs)
		pmig_pages_destroy(&m->dst);
	free(m);
	x->priv = NULL;
	x->check = &x->pages;
}

const struct pmig_strategy pmig_strategy_memcpy = {
	.name = "memcpy",
	.version = PMIG_STRATEGY_VERSION,
	.workloads = PMIG_WL(PMIG_WL_ANON),
	.flags = PMIG_SF_THREADED,
	.others =
		"a copy bound: the kind of the pages does not change a copy's bandwidth",
	.prepare = prepare,
	.reset = reset,
	.migrate = migrate,
	.cleanup = cleanup,
};
