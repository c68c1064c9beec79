/* report_bench.c - `pmig report`'s benchmark section: one row per benchmark, the summary table, and the plots (report_plots.c) in order. */
#include "report_bench.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

bool report_ok_rate(const struct report_row *r)
{
	return r->s.state == PMIG_BJ_OK && isfinite(r->gbps);
}

bool report_same(const char *a, const char *b)
{
	return a && b && !strcmp(a, b);
}

/* What a benchmark measured: the first entry that says, for each field. */
static void attrs(const struct pmig_bj *bj, struct report_row *r)
{
	size_t i;

	r->batch = r->from = r->to = r->threads = -1;
	for (i = 0; i < r->b->n; i++) {
		const struct pmig_bj_entry *e = pmig_bj_entry_of(bj, r->b, i);

		if (!r->strategy)
			r->strategy = e->strategy;
		if (!r->kind)
			r->kind = e->kind;
		if (r->batch < 0)
			r->batch = e->batch;
		if (r->from < 0)
			r->from = e->from;
		if (r->to < 0)
			r->to = e->to;
		if (r->threads < 0)
			r->threads = e->threads;
	}
}

static void fmt_num(char *buf, size_t size, double v, const char *fmt)
{
	if (isfinite(v))
		snprintf(buf, size, fmt, v);
	else
		snprintf(buf, size, "-");
}

static void fmt_long(char *buf, size_t size, long v)
{
	if (v >= 0)
		snprintf(buf, size, "%ld", v);
	else
		snprintf(buf, size, "-");
}

static void summary_table(struct report_doc *d, const struct report_set *st)
{
	static const char *const head[] = {
		"benchmark", "strategy",     "kind", "batch", "nodes", "GB/s",
		"pages/s",   "per call p50", "p90",  "p99",   "max",   "result"
	};
	char c[12][96];
	const char *cells[12];
	size_t i, k;

	report_table_begin(d, 12, head);
	for (i = 0; i < st->n; i++) {
		const struct report_row *r = &st->rows[i];

		snprintf(c[0], sizeof(c[0]), "%s", r->b->name);
		snprintf(c[1], sizeof(c[1]), "%s",
			 r->strategy ? r->strategy : "-");
		snprintf(c[2], sizeof(c[2]), "%s", r->kind ? r->kind : "-");
		fmt_long(c[3], sizeof(c[3]), r->batch);
		if (r->from >= 0 && r->to >= 0)
			snprintf(c[4], sizeof(c[4]), "%ld -> %ld", r->from,
				 r->to);
		else
			snprintf(c[4], sizeof(c[4]), "-");
		fmt_num(c[5], sizeof(c[5]), r->gbps, "%.3g");
		fmt_num(c[6], sizeof(c[6]), r->s.pages_per_second, "%.3g");
		report_fmt_ns(c[7], sizeof(c[7]), r->s.p50_ns);
		report_fmt_ns(c[8], sizeof(c[8]), r->s.p90_ns);
		report_fmt_ns(c[9], sizeof(c[9]), r->s.p99_ns);
		report_fmt_ns(c[10], sizeof(c[10]), r->s.max_ns);
		if (r->s.state == PMIG_BJ_OK)
			snprintf(c[11], sizeof(c[11]), "DONE (%zu reps)",
				 r->s.reps);
		else
			snprintf(c[11], sizeof(c[11]), "%s: %s",
				 r->s.state == PMIG_BJ_ERROR ? "ERROR" : "SKIP",
				 r->s.message);
		for (k = 0; k < 12; k++)
			cells[k] = c[k];
		report_table_row(d, 12, cells);
	}
	report_table_end(d);
}

/* Sorted distinct values of @v[0..n) >= 0 into @out; returns the count. */
size_t report_distinct(const long *v, size_t n, long *out)
{
	size_t i, j, m = 0;

	for (i = 0; i < n; i++) {
		if (v[i] < 0)
			continue;
		for (j = 0; j < m && out[j] != v[i]; j++)
			;
		if (j == m)
			out[m++] = v[i];
	}
	for (i = 1; i < m; i++)
		for (j = i; j > 0 && out[j - 1] > out[j]; j--) {
			long t = out[j];

			out[j] = out[j - 1];
			out[j - 1] = t;
		}
	return m;
}

/* The pair most rate-measuring benchmarks ran on (ties: the lowest). */
static void reference_pair(struct report_set *st)
{
	size_t i, j, n, best = 0;

	st->ref_from = st->ref_to = -1;
	for (i = 0; i < st->n; i++) {
		const struct report_row *r = &st->rows[i];

		if (!report_ok_rate(r) || r->from < 0 || r->to < 0)
			continue;
		for (j = 0, n = 0; j < st->n; j++)
			n += report_ok_rate(&st->rows[j]) &&
			     st->rows[j].from == r->from &&
			     st->rows[j].to == r->to;
		if (n > best || (n == best && (r->from < st->ref_from ||
					       (r->from == st->ref_from &&
						r->to < st->ref_to)))) {
			best = n;
			st->ref_from = r->from;
			st->ref_to = r->to;
		}
	}
}

bool report_at_ref(const struct report_set *st, const struct report_row *r)
{
	return r->from == st->ref_from && r->to == st->ref_to;
}

/* ", node 0 -> 1" for titles, or "" when no benchmark names its nodes. */
const char *report_ref_text(const struct report_set *st)
{
	static char buf[64];

	if (st->ref_from < 0)
		return "";
	snprintf(buf, sizeof(buf), ", node %ld -> %ld", st->ref_from,
		 st->ref_to);
	return buf;
}

void report_bench(struct report_doc *d, const struct pmig_bj *bj,
		  const char *rel, const char *stem, const char *label)
{
	struct report_set st = { .bj = bj, .stem = stem, .label = label };
	size_t i, tiering = 0;

	/* Tiering runs time convergence, not a migration: their own section. */
	for (i = 0; i < bj->nbenches; i++)
		tiering += pmig_bj_bench_tiering(bj, &bj->benches[i]);
	report_h(d, 3, rel);
	report_p(d, "%zu benchmarks%s; context: host %s, kernel %s%s%s.",
		 bj->nbenches - tiering,
		 tiering ? " (and tiering runs: see Tiering)" : "",
		 pmig_bj_context(bj, "host_name") ?
			 pmig_bj_context(bj, "host_name") :
			 "unknown",
		 pmig_bj_context(bj, "pmig_kernel") ?
			 pmig_bj_context(bj, "pmig_kernel") :
		 pmig_bj_context(bj, "kernel") ? pmig_bj_context(bj, "kernel") :
						 "unknown",
		 pmig_bj_cpu_model(bj) ? ", QEMU CPU model " : "",
		 pmig_bj_cpu_model(bj) ? pmig_bj_cpu_model(bj) : "");
	if (label && !strcmp(label, PMIG_EMULATED_LABEL))
		report_note(
			d,
			"%s: the guest ran under TCG, so these numbers show what works, never how fast.",
			label);
	else if (label)
		report_note(
			d,
			"%s: 1 ns is one guest instruction; the figures repeat boot after boot and compare kernels' code paths.",
			label);
	if (bj->nbenches == tiering) {
		report_note(d, tiering ? "The file holds tiering runs only." :
					 "The file holds no benchmark.");
		return;
	}
	st.rows = calloc(bj->nbenches, sizeof(*st.rows));
	if (!st.rows) {
		report_fail(d, "out of memory");
		return;
	}
	for (i = 0; i < bj->nbenches; i++) {
		struct report_row *r = &st.rows[st.n];

		if (pmig_bj_bench_tiering(bj, &bj->benches[i]))
			continue;
		r->b = &bj->benches[i];
		attrs(bj, r);
		if (pmig_bench_summarize(bj, r->b, &r->s)) {
			report_fail(d, "out of memory");
			goto out;
		}
		r->gbps = r->s.bytes_per_second / 1e9;
		st.n++;
	}
	summary_table(d, &st);
	reference_pair(&st);
	if (pmig_bj_context(bj, "pmig_preset"))
		report_published(d, &st);
	report_heatmap(d, &st);
	report_strategies(d, &st);
	report_batch_plot(d, &st);
	report_latency(d, &st);
out:
	free(st.rows);
}
