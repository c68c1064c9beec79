/* run.c - the body of every benchmark, run in the timing program: pages on the from node, then per iteration an untimed reset, the timed migration, and the checks. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "metrics/accessors.h"
#include "run.h"
#include "syscalls.h"
#include "tick.h"
#include "util.h"
#include "verify.h"
#include "workload.h"

static struct pmig_probe *probe;

/* What every report format shows of the probe; the rest goes to the JSON "pmig" object. */
static const char *const shown[] = {
	"pgmigrate_success", "pgmigrate_fail", "pswpin",
	"pswpout",	     "tlb_shootdowns",
};

void pmig_run_set_probe(struct pmig_probe *p)
{
	probe = p;
}

struct pmig_probe *pmig_run_probe(void)
{
	return probe;
}

static double value_of(const struct pmig_probe_value *v, size_t n,
		       const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(v[i].name, name))
			return v[i].value;
	return 0;
}

double pmig_ctx_probe_delta(const struct pmig_bench_ctx *x, const char *name)
{
	return value_of(x->after, x->nafter, name) -
	       value_of(x->before, x->nbefore, name);
}

/*
 * The mTHP workload's reset: its folios freed and faulted anew on the from
 * node, same addresses, checked folios of their size. Moved back instead,
 * each was split on the way (a folio moved to a node and back: per-size
 * stats/split +16 for 16 folios over 3 iterations, on 6.12.117 and 7.2.13),
 * so later iterations would time base pages.
 */
static int refault_mthp(struct pmig_bench_ctx *x)
{
	int ret = pmig_pages_refault(&x->pages, x->c->pair.from);

	if (ret) {
		pmig_bench_fail(
			x->st, "reset: faulting the folios anew on node %d: %s",
			x->c->pair.from, strerror(-ret));
		return -1;
	}
	return pmig_workload_check_thp(x);
}

int pmig_reset_to_from(struct pmig_bench_ctx *x)
{
	struct pmig_pages *p = &x->pages;
	unsigned long mask[16] = { 0 };
	int from = x->c->pair.from;
	long ret;

	if (x->c->wl == PMIG_WL_MTHP)
		return refault_mthp(x);

	/*
	 * MPOL_MF_STRICT makes the move back its own placement check: -EIO
	 * when a page could not be put on @from (mm/mempolicy.c do_mbind();
	 * rows mbind.return.eio_strict_move_unmovable and
	 * mbind.placement.strict_move_walks_all_vmas). A status query here
	 * would walk the page tables and struct pages the timed call is about
	 * to walk, warming them as a bare loop of the same calls does not.
	 */
	mask[from / 64] = 1UL << (from % 64);
	ret = pmig_mbind(p->base, p->count * p->page_size, MPOL_BIND, mask,
			 (unsigned long)from + 2,
			 (unsigned)x->move_flags | MPOL_MF_STRICT);
	if (ret < 0) {
		pmig_bench_fail(x->st, "reset: mbind back to node %d: %s%s",
				from, strerror((int)-ret),
				ret == -EIO ? " (a page stayed elsewhere)" :
					      "");
		return -1;
	}
	return x->c->wl == PMIG_WL_THP || x->c->wl == PMIG_WL_MTHP ?
		       pmig_workload_check_thp(x) :
		       0;
}

static int one_iteration(struct pmig_bench_ctx *x, enum pmig_hook hook)
{
	const struct pmig_strategy *s = x->c->strategy;
	int ret;

	if (s->reset(x))
		return -1;
	if (probe) {
		x->nbefore =
			pmig_probe_totals(probe, x->before, PMIG_PROBE_MAX);
		pmig_probe_begin(probe);
	}
	pmig_tick_before(0);
	ret = s->migrate(x);
	if (probe) {
		pmig_probe_end(probe);
		x->nafter = pmig_probe_totals(probe, x->after, PMIG_PROBE_MAX);
	}
	if (ret)
		return -1;
	if (hook && pmig_bench_iteration(x->st) == 0 &&
	    pmig_hook_apply(x, hook))
		pmig_bench_note_text(x->st, "hook", "could not be applied");
	if (pmig_verify_pages(x->st, x->check, x->c->pair.to, true,
			      "after migration"))
		return -1;
	return s->verify ? s->verify(x) : 0;
}

/* The probe's totals over the whole run, per iteration. */
void pmig_note_probe_deltas(struct pmig_bench_state *st,
			    const struct pmig_probe_value *start, size_t nstart,
			    const struct pmig_probe_value *end, size_t nend,
			    const char *const *only, size_t nonly)
{
	char key[64];

	for (size_t i = 0; i < nend; i++) {
		bool wanted = !only;

		for (size_t j = 0; j < nonly && !wanted; j++)
			wanted = !strcmp(end[i].name, only[j]);
		if (!wanted)
			continue;
		snprintf(key, sizeof(key), "c.%.47s", end[i].name);
		pmig_bench_note_num(
			st, key,
			end[i].value - value_of(start, nstart, end[i].name));
	}
}

static void report_probe(struct pmig_bench_ctx *x,
			 const struct pmig_probe_value *start, size_t nstart)
{
	struct pmig_probe_value end[PMIG_PROBE_MAX];
	size_t n = probe ? pmig_probe_totals(probe, end, PMIG_PROBE_MAX) : 0;

	pmig_note_probe_deltas(x->st, start, nstart, end, n, NULL, 0);
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < sizeof(shown) / sizeof(shown[0]); j++)
			if (!strcmp(end[i].name, shown[j]))
				pmig_bench_counter(
					x->st, shown[j],
					end[i].value - value_of(start, nstart,
								end[i].name),
					PMIG_COUNTER_PER_ITERATION);
}

void pmig_case_body(struct pmig_bench_state *st,
		    const struct pmig_bench_case *c)
{
	const struct pmig_strategy *s = c->strategy;
	struct pmig_bench_ctx x = { .c = c,
				    .st = st,
				    .move_flags = MPOL_MF_MOVE };
	struct pmig_probe_value start[PMIG_PROBE_MAX];
	struct pmig_accessors *acc = NULL;
	enum pmig_hook hook = pmig_hook_for(c->name);
	size_t nstart = 0;
	int ret;

	/* Under icount each timed call starts clear of the timer tick (tick.c). */
	pmig_bench_note_num(st, "tick_aligned", pmig_tick_setup());
	if (pmig_workload_create(&x))
		return;
	if (s->prepare && s->prepare(&x))
		goto out_wl;
	ret = pmig_accessors_start(&acc, x.pages.base, c->bytes, c->accessors);
	if (ret) {
		pmig_bench_unavailable(st, "accessor threads: %s",
				       strerror(-ret));
		goto out_strategy;
	}
	pmig_bench_set_work(st, c->bytes,
			    c->bytes / (size_t)sysconf(_SC_PAGESIZE));
	pmig_bench_note_num(st, "page_size", (double)x.pages.page_size);
	pmig_bench_note_num(st, "pages", (double)x.pages.count);
	if (probe)
		nstart = pmig_probe_totals(probe, start, PMIG_PROBE_MAX);
	while (pmig_bench_next(st))
		if (one_iteration(&x, hook))
			break;
	if (acc)
		pmig_bench_note_num(st, "accessor_reads",
				    (double)pmig_accessors_stop(acc));
	report_probe(&x, start, nstart);
out_strategy:
	if (s->cleanup)
		s->cleanup(&x);
out_wl:
	pmig_workload_destroy(&x);
}
