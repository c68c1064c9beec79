/* tier_watch.c - reads where a tiering run's pages are, keeps the timeline and the times to 50/90/100%, checks placement and data at the end, and reads those figures back from a finished run. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pageinfo.h"
#include "run.h"
#include "syscalls.h"
#include "tier_watch.h"

/* The counters a tiering run reports: what promotion, demotion, balancing and swap did. */
static const char *const counters[] = {
	"pgpromote_success",
	"pgpromote_candidate",
	"pgdemote_kswapd",
	"pgdemote_direct",
	"pgdemote_proactive",
	"numa_pages_migrated",
	"numa_hint_faults",
	"numa_pte_updates",
	"pgmigrate_success",
	"pgmigrate_fail",
	"pswpout",
	"pswpin",
};

static uint64_t schedstat_ns(const char *pid)
{
	char path[300];
	unsigned long long ns = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%s/schedstat", pid);
	f = fopen(path, "re");
	if (!f)
		return 0;
	if (fscanf(f, "%llu", &ns) != 1)
		ns = 0;
	fclose(f);
	return ns;
}

static bool named(const char *pid, const char *prefixes)
{
	char path[300], comm[32];
	const char *p = prefixes;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%s/comm", pid);
	f = fopen(path, "re");
	if (!f)
		return false;
	if (!fgets(comm, sizeof(comm), f))
		comm[0] = '\0';
	fclose(f);
	while (*p) {
		size_t n = strcspn(p, ",");

		if (n && !strncmp(comm, p, n))
			return true;
		p += n + (p[n] == ',');
	}
	return false;
}

uint64_t pmig_tier_kthread_ns(const char *prefixes)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	uint64_t sum = 0;

	if (!d || !prefixes)
		return d ? (closedir(d), 0) : 0;
	while ((e = readdir(d)))
		if (isdigit((unsigned char)e->d_name[0]) &&
		    named(e->d_name, prefixes))
			sum += schedstat_ns(e->d_name);
	closedir(d);
	return sum;
}

/*
 * Folds the per-CPU vmstat deltas into the totals before they are read:
 * without it 7.3 showed pgpromote_success short of the pages promoted
 * (conformance/spec/tiering.def). Root only; a failure leaves the counts
 * as the kernel had them.
 */
static void refresh_vmstat(void)
{
	int fd = open("/proc/sys/vm/stat_refresh", O_WRONLY | O_CLOEXEC);

	if (fd >= 0) {
		if (write(fd, "1", 1) < 0) {
			/* EINVAL when a counter is negative: the counts stay as read. */
		}
		close(fd);
	}
}

void pmig_tier_watch_begin(struct pmig_tier_run *r, struct pmig_tier_watch *w)
{
	struct pmig_probe *probe = pmig_run_probe();

	refresh_vmstat();
	w->t50 = w->t90 = w->t100 = PMIG_TIER_NEVER;
	w->goal_pages = r->c->wl == PMIG_TIER_PROMOTE ?
				r->nhot :
				r->pages.count - r->nhot;
	w->pagemap = calloc(r->pages.count, sizeof(*w->pagemap));
	if (probe) {
		w->nbefore =
			pmig_probe_totals(probe, w->before, PMIG_PROBE_MAX);
		pmig_probe_begin(probe);
	}
	w->kthread_ns = pmig_tier_kthread_ns(r->c->strategy->kthreads);
}

static int read_swapped(struct pmig_tier_run *r, struct pmig_tier_watch *w)
{
	int err = w->pagemap ? pmig_pagemap_range(r->pages.base, r->pages.count,
						  w->pagemap) :
			       -ENOMEM;

	for (size_t i = 0; !err && i < r->pages.count; i++)
		r->swapped[i] = w->pagemap[i] & PMIG_PM_SWAPPED;
	return err;
}

/* Every page's node and swap bit; the counts in place and off the start node. */
static int locate(struct pmig_tier_run *r, struct pmig_tier_watch *w,
		  size_t *hot_near, size_t *cold_near)
{
	const struct pmig_tier_case *c = r->c;
	size_t n = r->pages.count;
	int start = pmig_tier_start_node(c);
	long ret;

	ret = pmig_move_pages(0, n, r->pages.addrs, NULL, r->status, 0);
	if (ret < 0) {
		pmig_bench_fail(r->st, "status query: %s", strerror((int)-ret));
		return -1;
	}
	if (read_swapped(r, w)) {
		pmig_bench_fail(r->st, "cannot read /proc/self/pagemap");
		return -1;
	}
	w->in_place = w->off_start = 0;
	for (size_t i = 0; i < n; i++) {
		int goal = pmig_tier_goal_node(r, i);
		bool near = r->status[i] == c->near;

		if (pmig_tier_is_hot(r, i))
			*hot_near += near;
		else
			*cold_near += near;
		if (goal < 0)
			continue;
		w->in_place += r->status[i] == goal;
		w->off_start += r->status[i] != start;
	}
	return 0;
}

int pmig_tier_watch_read(struct pmig_tier_run *r, struct pmig_tier_watch *w,
			 uint64_t t)
{
	size_t n = r->pages.count, hot_near = 0, cold_near = 0;

	if (locate(r, w, &hot_near, &cold_near))
		return -1;
	w->last_t = t;
	if (w->t50 == PMIG_TIER_NEVER && 2 * w->in_place >= w->goal_pages)
		w->t50 = t;
	if (w->t90 == PMIG_TIER_NEVER && 10 * w->in_place >= 9 * w->goal_pages)
		w->t90 = t;
	if (w->t100 == PMIG_TIER_NEVER && w->in_place == w->goal_pages)
		w->t100 = t;
	pmig_bench_series_add(r->st, "t_ns", (double)t);
	pmig_bench_series_add(r->st, "goal",
			      (double)w->in_place / (double)w->goal_pages);
	pmig_bench_series_add(r->st, "hot_near",
			      (double)hot_near / (double)r->nhot);
	pmig_bench_series_add(r->st, "cold_near",
			      (double)cold_near / (double)(n - r->nhot));
	return 0;
}

bool pmig_tier_watch_done(const struct pmig_tier_watch *w)
{
	return w->in_place == w->goal_pages || w->off_start == w->goal_pages;
}

uint64_t pmig_tier_watch_time(const struct pmig_tier_watch *w)
{
	return w->t100 != PMIG_TIER_NEVER ? w->t100 : w->last_t;
}

static double time_or_never(uint64_t t)
{
	return t == PMIG_TIER_NEVER ? -1 : (double)t;
}

void pmig_tier_watch_end(struct pmig_tier_run *r, struct pmig_tier_watch *w)
{
	struct pmig_probe *probe = pmig_run_probe();
	struct pmig_probe_value after[PMIG_PROBE_MAX];
	size_t nafter = 0;

	pmig_bench_note_num(
		r->st, "kthread_cpu_ns",
		(double)(pmig_tier_kthread_ns(r->c->strategy->kthreads) -
			 w->kthread_ns));
	refresh_vmstat();
	if (probe) {
		pmig_probe_end(probe);
		nafter = pmig_probe_totals(probe, after, PMIG_PROBE_MAX);
	}
	pmig_note_probe_deltas(r->st, w->before, w->nbefore, after, nafter,
			       counters, sizeof(counters) / sizeof(*counters));
	pmig_bench_note_num(r->st, "t50_ns", time_or_never(w->t50));
	pmig_bench_note_num(r->st, "t90_ns", time_or_never(w->t90));
	pmig_bench_note_num(r->st, "t100_ns", time_or_never(w->t100));
	pmig_bench_note_num(r->st, "duration_ns", (double)w->last_t);
	pmig_bench_note_num(r->st, "ticks", (double)r->tick + 1);
}

void pmig_tier_watch_verify(struct pmig_tier_run *r, struct pmig_tier_watch *w)
{
	const struct pmig_tier_case *c = r->c;
	int start = pmig_tier_start_node(c);
	size_t moved = 0, wrong = 0, swapped = 0;
	uint64_t t = pmig_tier_watch_time(w);
	size_t hot_near = 0, cold_near = 0;
	long bad;

	if (locate(r, w, &hot_near, &cold_near))
		goto out;
	for (size_t i = 0; i < r->pages.count; i++) {
		int goal = pmig_tier_goal_node(r, i), at = r->status[i];

		if (at < 0 && !r->swapped[i]) {
			pmig_bench_fail(
				r->st,
				"page %zu is on no node and not swapped (status %d)",
				i, at);
			goto out;
		}
		if (r->swapped[i]) {
			/* Swapped where a move was wanted is "instead"; else it is wrong. */
			if (goal >= 0)
				swapped++;
			else
				wrong++;
		} else if (goal >= 0 && at == goal) {
			moved++;
		} else if (at != start) {
			wrong++;
		}
	}
	bad = pmig_pages_first_corrupt(&r->pages);
	if (bad >= 0) {
		pmig_bench_fail(r->st, "page %ld's data changed", bad);
		goto out;
	}
	pmig_bench_note_num(r->st, "moved_pages", (double)moved);
	pmig_bench_note_num(r->st, "wrong_pages", (double)wrong);
	pmig_bench_note_num(r->st, "swapped_pages", (double)swapped);
	pmig_bench_note_num(r->st, "converged", moved == w->goal_pages);
	pmig_bench_note_num(r->st, "pages_per_second",
			    t ? (double)moved * 1e9 / (double)t : 0);
out:
	free(w->pagemap);
}

/* A note's number, or @none when absent, a text, or below 0 (-1: never). */
static double note(const struct pmig_bench_run *r, const char *key, double none)
{
	const struct pmig_note *n = pmig_bench_run_note(r, key);

	return n && !n->is_text && n->num >= 0 ? n->num : none;
}

bool pmig_tier_run_figures(const struct pmig_bench_run *r,
			   struct pmig_tier_figures *f)
{
	const struct pmig_note *kind = pmig_bench_run_note(r, "kind");

	if (!kind || !kind->is_text || strcmp(kind->text, "tiering"))
		return false;
	*f = (struct pmig_tier_figures){
		.goal_pages = (long)note(r, "goal_pages", -1),
		.moved_pages = (long)note(r, "moved_pages", -1),
		.wrong_pages = (long)note(r, "wrong_pages", -1),
		.swapped_pages = (long)note(r, "swapped_pages", -1),
		.t90_ns = note(r, "t90_ns", NAN),
		.t100_ns = note(r, "t100_ns", NAN),
		.duration_ns = note(r, "duration_ns", NAN),
		.limit_s = note(r, "limit_s", NAN),
	};
	return true;
}
