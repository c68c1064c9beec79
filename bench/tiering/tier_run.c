/* tier_run.c - the body of every tiering benchmark: hot and cold pages, their writer, the strategy, a watch of where every page is until the goal or the limit, and the checks after. */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "settings.h"
#include "syscalls.h"
#include "tier_watch.h"
#include "tier_strategy.h"
#include "tier_tlb.h"
#include "util.h"
#include "verify.h"

#define SEED 0x7e1e5eedULL

struct writer {
	pthread_t thread;
	const struct pmig_tier_run *r;
	cpu_set_t cpus;
	atomic_bool stop;
	uint64_t passes;
	/* The thread's system time: hint faults, task_numa_work. */
	uint64_t sys_ns;
};

int pmig_tier_goal_node(const struct pmig_tier_run *r, size_t i)
{
	bool hot = pmig_tier_is_hot(r, i);

	if (r->c->wl == PMIG_TIER_PROMOTE)
		return hot ? r->c->near : -1;
	return hot ? -1 : r->c->far;
}

static uint64_t thread_ns(int who, bool sys_only)
{
	struct rusage u;

	if (getrusage(who, &u))
		return 0;
	return (uint64_t)u.ru_stime.tv_sec * 1000000000ULL +
	       (uint64_t)u.ru_stime.tv_usec * 1000ULL +
	       (sys_only ? 0 :
			   (uint64_t)u.ru_utime.tv_sec * 1000000000ULL +
				   (uint64_t)u.ru_utime.tv_usec * 1000ULL);
}

/* Rewrites the first word of every hot page, round after round, until told to stop. */
static void *write_hot(void *arg)
{
	struct writer *w = arg;
	const struct pmig_pages *p = &w->r->pages;
	uint64_t start;

	sched_setaffinity(0, sizeof(w->cpus), &w->cpus);
	start = thread_ns(RUSAGE_THREAD, true);
	while (!atomic_load_explicit(&w->stop, memory_order_relaxed)) {
		for (size_t i = 0; i < w->r->nhot; i++) {
			volatile uint64_t *word =
				(volatile uint64_t *)(p->base +
						      i * p->page_size);

			*word = *word;
		}
		w->passes++;
	}
	w->sys_ns = thread_ns(RUSAGE_THREAD, true) - start;
	return NULL;
}

static void describe(struct pmig_tier_run *r)
{
	const struct pmig_tier_case *c = r->c;
	struct pmig_bench_state *st = r->st;
	const char *emu = getenv("PMIG_EMULATION");
	bool promote = c->wl == PMIG_TIER_PROMOTE;

	pmig_bench_note_text(st, "kind", "tiering");
	pmig_bench_note_text(st, "strategy", c->strategy->name);
	pmig_bench_note_text(st, "workload", pmig_tier_wl_name(c->wl));
	pmig_bench_note_num(st, "bytes", (double)c->bytes);
	pmig_bench_note_num(st, "near", c->near);
	pmig_bench_note_num(st, "far", c->far);
	pmig_bench_note_num(st, "from", pmig_tier_start_node(c));
	pmig_bench_note_num(st, "to", promote ? c->near : c->far);
	pmig_bench_note_num(st, "tiered", c->tiered);
	pmig_bench_note_num(st, "tick_s", c->tick_s);
	pmig_bench_note_num(st, "limit_s", c->limit_s);
	/* Under icount the guest's clock counts instructions: code-path time, not memory latency. */
	pmig_bench_note_text(st, "time_base",
			     emu && !strcmp(emu, "tcg-icount") ? "instruction" :
								 "wall");
}

static int make_pages(struct pmig_tier_run *r)
{
	const struct pmig_tier_case *c = r->c;
	size_t page = (size_t)sysconf(_SC_PAGESIZE), count = c->bytes / page;
	int from = pmig_tier_start_node(c);
	long ret;

	ret = pmig_pages_create(&r->pages, PMIG_PAGE_ANON, count, from, SEED);
	if (ret) {
		pmig_bench_unavailable(r->st, "%zu pages on node %d: %s", count,
				       from, strerror((int)-ret));
		return -1;
	}
	r->nhot = count / 2;
	/* The default policy from now on: a binding would keep the kernel's strategies from moving anything. */
	ret = pmig_mbind(r->pages.base, count * page, 0 /* MPOL_DEFAULT */,
			 NULL, 0, 0);
	if (ret) {
		pmig_bench_fail(r->st, "mbind(MPOL_DEFAULT): %s",
				strerror((int)-ret));
		return -1;
	}
	r->status = calloc(count, sizeof(*r->status));
	r->swapped = calloc(count, sizeof(*r->swapped));
	if (!r->status || !r->swapped) {
		pmig_bench_fail(r->st, "out of memory");
		return -1;
	}
	pmig_bench_note_num(r->st, "pages", (double)count);
	pmig_bench_note_num(r->st, "page_size", (double)page);
	pmig_bench_note_num(r->st, "hot_pages", (double)r->nhot);
	pmig_bench_note_num(r->st, "cold_pages", (double)(count - r->nhot));
	pmig_bench_note_num(r->st, "goal_pages",
			    (double)(c->wl == PMIG_TIER_PROMOTE ?
					     r->nhot :
					     count - r->nhot));
	return 0;
}

static int start_writer(struct pmig_tier_run *r, struct writer *w)
{
	int err;

	w->r = r;
	atomic_init(&w->stop, false);
	if (pmig_cpulist_parse(r->c->near_cpus, &w->cpus)) {
		pmig_bench_unavailable(r->st,
				       "cannot run on node %d's CPUs (%s)",
				       r->c->near, r->c->near_cpus);
		return -1;
	}
	err = pthread_create(&w->thread, NULL, write_hot, w);
	if (err) {
		pmig_bench_unavailable(r->st, "writer thread: %s",
				       strerror(err));
		return -1;
	}
	return 0;
}

static void stop_writer(struct pmig_tier_run *r, struct writer *w)
{
	atomic_store(&w->stop, true);
	pthread_join(w->thread, NULL);
	pmig_bench_note_num(r->st, "writer_passes", (double)w->passes);
	pmig_bench_note_num(r->st, "task_sys_ns", (double)w->sys_ns);
}

static void sleep_s(double s)
{
	struct timespec ts = { (time_t)s,
			       (long)((s - (double)(time_t)s) * 1e9) };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* The iteration: step, look, record, until the goal or the limit. Its time is the convergence time. */
static int watch(struct pmig_tier_run *r, struct pmig_tier_watch *w)
{
	const struct pmig_tier_strategy *s = r->c->strategy;
	uint64_t loop_ns = 0, now;

	r->t0 = pmig_bench_now();
	for (r->tick = 0;; r->tick++) {
		if (s->step) {
			uint64_t b = thread_ns(RUSAGE_THREAD, false);
			int ret = s->step(r);

			loop_ns += thread_ns(RUSAGE_THREAD, false) - b;
			if (ret)
				return -1;
		}
		now = pmig_bench_now();
		if (pmig_tier_watch_read(r, w, now - r->t0))
			return -1;
		if (pmig_tier_watch_done(w) ||
		    (double)(now - r->t0) >= r->c->limit_s * 1e9)
			break;
		sleep_s(r->c->tick_s);
	}
	if (s->step)
		pmig_bench_note_num(r->st, "loop_cpu_ns", (double)loop_ns);
	pmig_bench_sample(r->st, pmig_tier_watch_time(w));
	return 0;
}

void pmig_tier_case_run(struct pmig_bench_state *st, void *arg)
{
	const struct pmig_tier_case *c = arg;
	const struct pmig_tier_strategy *s = c->strategy;
	struct pmig_tier_run r = { .c = c, .st = st };
	struct pmig_tier_watch w = { 0 };
	struct writer wr = { 0 };
	cpu_set_t old, watch_cpus;
	bool prepared = false;
	pid_t refresher = 0;
	size_t goal;

	describe(&r);
	if (sched_getaffinity(0, sizeof(old), &old) ||
	    pmig_cpulist_parse(c->watch_cpus, &watch_cpus) ||
	    sched_setaffinity(0, sizeof(watch_cpus), &watch_cpus)) {
		pmig_bench_unavailable(st, "cannot run on CPUs %s",
				       c->watch_cpus);
		return;
	}
	if (make_pages(&r))
		goto out;
	goal = c->wl == PMIG_TIER_PROMOTE ? r.nhot : r.pages.count - r.nhot;
	pmig_bench_set_work(st, (uint64_t)goal * r.pages.page_size, goal);
	refresher = pmig_tier_tlb_refresher_start(&r);
	if (refresher < 0) {
		pmig_bench_unavailable(st, "TLB refresher: %s",
				       strerror(-refresher));
		goto out;
	}
	if (start_writer(&r, &wr))
		goto out;
	if (s->prepare(&r))
		goto out_writer;
	prepared = true;
	pmig_tier_watch_begin(&r, &w);
	while (pmig_bench_next(st))
		if (watch(&r, &w))
			break;
	pmig_tier_watch_end(&r, &w);
out_writer:
	stop_writer(&r, &wr);
	pmig_tier_tlb_refresher_stop(refresher);
	if (prepared && s->cleanup)
		s->cleanup(&r);
	pmig_settings_scope_restore(&r.settings);
	/* PMIG_BENCH_CORRUPT (verify.h) proves the data check below can fail. */
	if (prepared && pmig_hook_for(c->name) == PMIG_HOOK_CORRUPT)
		((volatile uint64_t *)(r.pages.base +
				       r.nhot * r.pages.page_size))[1] ^= 1;
	/* Where every page ended up, and its data: after the strategy stopped. */
	if (prepared && !pmig_bench_failed(st))
		pmig_tier_watch_verify(&r, &w);
out:
	pmig_tier_tlb_refresher_stop(refresher);
	free(r.status);
	free(r.swapped);
	pmig_pages_destroy(&r.pages);
	sched_setaffinity(0, sizeof(old), &old);
}
