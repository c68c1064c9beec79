/* shim.c - the C side of the Google Benchmark shim: registrations, and the backend that keeps each run here: iteration loop, raw samples, notes. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "covmark.h"
#include "gb.h"
#include "metrics/stats.h"
#include "shim.h"
#include "shim_state.h"

struct registration {
	char *name;
	pmig_bench_fn fn;
	void *arg;
};

static struct registration *regs;
static size_t nregs;
static struct pmig_bench_run *runs;
static size_t nruns, runs_cap;

int pmig_bench_register(const char *name, pmig_bench_fn fn, void *arg,
			long iterations)
{
	struct registration *r;
	int ret;

	if (!name || !*name || !fn || iterations < 1)
		return -EINVAL;
	r = realloc(regs, (nregs + 1) * sizeof(*regs));
	if (!r)
		return -ENOMEM;
	regs = r;
	r[nregs].name = strdup(name);
	if (!r[nregs].name)
		return -ENOMEM;
	r[nregs].fn = fn;
	r[nregs].arg = arg;
	ret = pmig_gb_register(name, (int)nregs, iterations);
	if (ret) {
		free(r[nregs].name);
		return ret;
	}
	return (int)nregs++;
}

size_t pmig_bench_count(void)
{
	return nregs;
}

const char *pmig_bench_name(int bench)
{
	return bench >= 0 && (size_t)bench < nregs ? regs[bench].name : NULL;
}

void *pmig_bench_arg(int bench)
{
	return bench >= 0 && (size_t)bench < nregs ? regs[bench].arg : NULL;
}

static int push(uint64_t **v, size_t *n, uint64_t x)
{
	/* Capacity doubles at powers of two. */
	if ((*n & (*n - 1)) == 0) {
		uint64_t *nv = realloc(*v, (*n ? 2 * *n : 64) * sizeof(**v));

		if (!nv)
			return -ENOMEM;
		*v = nv;
	}
	(*v)[(*n)++] = x;
	return 0;
}

static void end_iteration(struct pmig_bench_state *st)
{
	st->in_iter = false;
	if (push(&st->run->iter_ns, &st->run->niters, st->iter_ns))
		pmig_bench_fail(st, "out of memory for iteration times");
	pmig_gb_set_iteration_time(st->gs, (double)st->iter_ns / 1e9);
}

static bool local_next(struct pmig_bench_state *st)
{
	if (st->in_iter)
		end_iteration(st);
	if (st->failed || st->done)
		return false;
	if (!pmig_gb_keep_running(st->gs)) {
		st->done = true;
		return false;
	}
	st->iter++;
	st->in_iter = true;
	st->iter_ns = 0;
	return true;
}

static void local_sample(struct pmig_bench_state *st, uint64_t ns)
{
	struct pmig_bench_run *r = st->run;

	st->iter_ns += ns;
	if (r->ncalls >= PMIG_MAX_SAMPLES || push(&r->call_ns, &r->ncalls, ns))
		r->calls_dropped++;
}

static void local_set_work(struct pmig_bench_state *st, uint64_t bytes,
			   uint64_t items)
{
	st->bytes = bytes;
	st->items = items;
}

static int local_counter(struct pmig_bench_state *st, const char *name,
			 double value, enum pmig_counter_flags flags)
{
	pmig_gb_set_counter(st->gs, name, value, flags);
	return 0;
}

static struct pmig_note *note_slot(struct pmig_bench_state *st, const char *key)
{
	struct pmig_bench_run *r = st->run;
	const struct pmig_note *n = pmig_bench_run_note(r, key);

	if (n)
		return &r->notes[n - r->notes];
	if (r->nnotes == PMIG_MAX_NOTES)
		return NULL;
	snprintf(r->notes[r->nnotes].key, sizeof(r->notes[0].key), "%s", key);
	return &r->notes[r->nnotes++];
}

static int local_note(struct pmig_bench_state *st, const char *key,
		      const char *text, double num)
{
	struct pmig_note *n = note_slot(st, key);

	if (!n)
		return -ENOSPC;
	n->is_text = text != NULL;
	if (text)
		snprintf(n->text, sizeof(n->text), "%s", text);
	else
		n->num = num;
	return 0;
}

static int local_series_add(struct pmig_bench_state *st, const char *name,
			    double value)
{
	struct pmig_bench_run *r = st->run;
	struct pmig_series *s = NULL;

	for (size_t i = 0; i < r->nseries && !s; i++)
		if (!strcmp(r->series[i].name, name))
			s = &r->series[i];
	if (!s) {
		if (r->nseries == PMIG_MAX_SERIES)
			return -ENOSPC;
		s = &r->series[r->nseries++];
		snprintf(s->name, sizeof(s->name), "%s", name);
	}
	/* Capacity doubles at powers of two, as push()'s. */
	if ((s->n & (s->n - 1)) == 0) {
		double *nv =
			realloc(s->v, (s->n ? 2 * s->n : 64) * sizeof(*nv));

		if (!nv)
			return -ENOMEM;
		s->v = nv;
	}
	s->v[s->n++] = value;
	return 0;
}

static void local_end(struct pmig_bench_state *st, enum pmig_run_status status,
		      const char *msg)
{
	struct pmig_bench_run *r = st->run;

	snprintf(r->message, sizeof(r->message), "%s%s",
		 status == PMIG_RUN_UNAVAILABLE ? "unavailable: " : "", msg);
	r->status = status;
	pmig_gb_skip_with_error(st->gs, r->message);
}

static const struct pmig_bench_ops local_ops = {
	.next = local_next,
	.sample = local_sample,
	.set_work = local_set_work,
	.counter = local_counter,
	.note = local_note,
	.series_add = local_series_add,
	.end = local_end,
};

/* Rates over manual time and the latency summary, for every report format. */
static void report_counters(struct pmig_bench_state *st)
{
	struct pmig_bench_run *r = st->run;
	double iters = (double)r->niters;
	struct pmig_lat_summary s;
	double *us;

	pmig_gb_set_counter(st->gs, "bytes_per_second",
			    (double)st->bytes * iters, PMIG_COUNTER_RATE);
	pmig_gb_set_counter(st->gs, "pages_per_second",
			    (double)st->items * iters, PMIG_COUNTER_RATE);
	pmig_gb_set_counter(st->gs, "calls", (double)r->ncalls,
			    PMIG_COUNTER_PER_ITERATION);
	pmig_gb_set_counter(st->gs, "verified", 1, PMIG_COUNTER_PLAIN);
	us = malloc((r->ncalls ? r->ncalls : 1) * sizeof(*us));
	if (!us)
		return;
	for (size_t i = 0; i < r->ncalls; i++)
		us[i] = (double)r->call_ns[i] / 1e3;
	if (!pmig_lat_summarize(us, r->ncalls, &s)) {
		pmig_gb_set_counter(st->gs, "lat_p50_us", s.p50, 0);
		pmig_gb_set_counter(st->gs, "lat_p90_us", s.p90, 0);
		pmig_gb_set_counter(st->gs, "lat_p99_us", s.p99, 0);
		pmig_gb_set_counter(st->gs, "lat_max_us", s.max, 0);
	}
	free(us);
}

void pmig_bench_run_one(int bench, void *gs)
{
	struct pmig_bench_state st = { .ops = &local_ops,
				       .gs = gs,
				       .iter = -1 };
	struct pmig_bench_run *r;
	char label[32];

	if (nruns == runs_cap) {
		size_t cap = runs_cap ? 2 * runs_cap : 16;
		struct pmig_bench_run *nr = realloc(runs, cap * sizeof(*nr));

		if (!nr) {
			pmig_gb_skip_with_error(gs, "out of memory for a run");
			return;
		}
		runs = nr;
		runs_cap = cap;
	}
	r = &runs[nruns];
	memset(r, 0, sizeof(*r));
	r->id = (int)nruns + 1;
	r->bench = bench;
	nruns++;
	st.run = r;

	/* Under pmig vm --coverage, the kernel code each run reaches is its own (nothing otherwise). */
	pmig_cov_mark(PMIG_COVMARK_FIRST_CASE + (unsigned)r->id - 1,
		      regs[bench].name);
	regs[bench].fn(&st, regs[bench].arg);
	pmig_cov_mark(PMIG_COVMARK_RUNNER, "runner");
	/* A benchmark that stops early without saying why has failed. */
	if (!st.failed && !st.done)
		pmig_bench_fail(&st, "benchmark ended after %ld iterations",
				st.iter + 1);
	if (!st.failed) {
		r->status = PMIG_RUN_VERIFIED;
		report_counters(&st);
	}
	snprintf(label, sizeof(label), PMIG_RUN_LABEL "%d", r->id);
	pmig_gb_set_label(gs, label);
}

const struct pmig_bench_run *pmig_bench_runs(size_t *n)
{
	*n = nruns;
	return runs;
}

const struct pmig_bench_run *pmig_bench_run_by_id(int id)
{
	return id >= 1 && (size_t)id <= nruns ? &runs[id - 1] : NULL;
}

void pmig_bench_reset(void)
{
	for (size_t i = 0; i < nruns; i++) {
		free(runs[i].call_ns);
		free(runs[i].iter_ns);
		for (size_t j = 0; j < runs[i].nseries; j++)
			free(runs[i].series[j].v);
	}
	free(runs);
	runs = NULL;
	nruns = runs_cap = 0;
	for (size_t i = 0; i < nregs; i++)
		free(regs[i].name);
	free(regs);
	regs = NULL;
	nregs = 0;
}
