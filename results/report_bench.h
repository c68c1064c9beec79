/* report_bench.h - what the benchmark section's table and plots share: one row per benchmark, the set of them, small helpers. Internal to pmig report. */
#ifndef PMIG_REPORT_BENCH_H
#define PMIG_REPORT_BENCH_H

#include "bench_results.h"
#include "report.h"

/* One benchmark with what it measured. */
struct report_row {
	const struct pmig_bj_bench *b;
	const char *strategy, *kind; /* NULL when unknown */
	long batch, from, to, threads; /* -1 when unknown */
	struct pmig_bench_summary s;
	double gbps; /* median bytes_per_second / 1e9; NAN */
};

struct report_set {
	const struct pmig_bj *bj;
	struct report_row *rows;
	size_t n;
	const char *stem;
	const char *label; /* how the times were taken; NULL: hardware */
	long ref_from, ref_to; /* the node pair most benchmarks ran on */
};

/** The row has a throughput from OK repetitions. */
bool report_ok_rate(const struct report_row *r);
/** Both strings set and equal. */
bool report_same(const char *a, const char *b);
/** Sorted distinct values of @v[0..n) >= 0 into @out; returns the count. */
size_t report_distinct(const long *v, size_t n, long *out);
/** The row ran on the set's reference node pair. */
bool report_at_ref(const struct report_set *st, const struct report_row *r);
/** ", node 0 -> 1" for titles, or "" when no benchmark names its nodes. */
const char *report_ref_text(const struct report_set *st);

/* The plots (report_plots.c); each says so when it has no data. */
void report_heatmap(struct report_doc *d, const struct report_set *st);
void report_strategies(struct report_doc *d, const struct report_set *st);
void report_batch_plot(struct report_doc *d, const struct report_set *st);
void report_latency(struct report_doc *d, const struct report_set *st);
/* A file from pmig bench --preset: its cases against the published figures (report_published.c). */
void report_published(struct report_doc *d, const struct report_set *st);

#endif
