/* report_plots.c - `pmig report`'s benchmark plots: node-pair heatmap, strategies per page kind, throughput against batch size, per-call latency CDF. */
#include "report_bench.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "stats.h"

/* The order strategies are shown in: the copy bound first, as the ceiling. */
static const char *const strategy_order[] = {
	"memcpy",	 "reference",  "move_pages",
	"migrate_pages", "mbind_move", "swap",
};

#define MAX_SERIES 8
#define CDF_POINTS 400

static int strategy_rank(const char *s)
{
	size_t i;

	for (i = 0; i < sizeof(strategy_order) / sizeof(strategy_order[0]); i++)
		if (report_same(s, strategy_order[i]))
			return (int)i;
	return (int)i;
}

static bool like(const struct report_row *a, const struct report_row *b)
{
	return report_same(a->strategy, b->strategy) &&
	       report_same(a->kind, b->kind) && a->batch == b->batch &&
	       a->threads == b->threads;
}

/* Distinct node pairs with a rate among the rows like @r. */
static size_t pairs_like(const struct report_set *st,
			 const struct report_row *r)
{
	size_t i, j, n = 0;

	for (i = 0; i < st->n; i++) {
		const struct report_row *o = &st->rows[i];

		if (!report_ok_rate(o) || o->from < 0 || o->to < 0 ||
		    !like(o, r))
			continue;
		for (j = 0; j < i; j++)
			if (report_ok_rate(&st->rows[j]) &&
			    like(&st->rows[j], r) &&
			    st->rows[j].from == o->from &&
			    st->rows[j].to == o->to)
				break;
		n += j == i;
	}
	return n;
}

/* Which strategy the heatmap would rather show: direct migration first, the copy bound last. */
static int heatmap_rank(const char *s)
{
	static const char *const pref[] = { "move_pages", "migrate_pages",
					    "mbind_move" };
	size_t i;

	for (i = 0; i < sizeof(pref) / sizeof(pref[0]); i++)
		if (report_same(s, pref[i]))
			return (int)i;
	return report_same(s, "memcpy") ? 5 : 4;
}

/* The heatmap's combination: most node pairs; then the preferred strategy; then the larger batch. */
static const struct report_row *heatmap_choice(const struct report_set *st)
{
	const struct report_row *best = NULL;
	size_t i, bn = 0, n;

	for (i = 0; i < st->n; i++) {
		const struct report_row *r = &st->rows[i];
		int rr, br;

		if (!report_ok_rate(r) || r->from < 0 || r->to < 0)
			continue;
		n = pairs_like(st, r);
		rr = heatmap_rank(r->strategy);
		br = best ? heatmap_rank(best->strategy) : 0;
		if (!best || n > bn || (n == bn && rr < br) ||
		    (n == bn && rr == br &&
		     report_same(r->strategy, best->strategy) &&
		     r->batch > best->batch)) {
			best = r;
			bn = n;
		}
	}
	return best;
}

void report_heatmap(struct report_doc *d, const struct report_set *st)
{
	const struct report_row *c = heatmap_choice(st);
	long ends[2 * 64], nodes[2 * 64];
	struct report_plot p;
	size_t i, j, k, nn, m = 0;
	double max = 0;
	char title[256], name[160], batch[32] = "";

	report_h(d, 4, "Node-pair throughput");
	if (!c) {
		report_note(
			d,
			"No benchmark measured throughput with a node pair: no heatmap.");
		return;
	}
	for (i = 0; i < st->n && m + 2 <= sizeof(ends) / sizeof(ends[0]); i++) {
		const struct report_row *r = &st->rows[i];

		if (report_ok_rate(r) && r->from >= 0 && r->to >= 0 &&
		    like(r, c)) {
			ends[m++] = r->from;
			ends[m++] = r->to;
			if (r->gbps > max)
				max = r->gbps;
		}
	}
	nn = report_distinct(ends, m, nodes);
	if (c->batch >= 0)
		snprintf(batch, sizeof(batch), ", batch %ld", c->batch);
	snprintf(title, sizeof(title),
		 "Node-pair throughput, GB/s (median): %s, %s%s",
		 c->strategy ? c->strategy : "?", c->kind ? c->kind : "?",
		 batch);
	snprintf(name, sizeof(name), "%s-heatmap", st->stem);
	if (report_plot_begin(&p, d, name, title, st->label))
		return;
	/* Every cell of the grid: x (to), y (from), GB/s or NaN, its label. */
	for (i = 0; i < nn; i++) {
		for (j = 0; j < nn; j++) {
			double v = NAN;

			for (k = 0; k < st->n; k++) {
				const struct report_row *r = &st->rows[k];

				if (report_ok_rate(r) && r->from == nodes[i] &&
				    r->to == nodes[j] && like(r, c))
					v = r->gbps;
			}
			if (isfinite(v))
				fprintf(p.datf, "%zu\t%zu\t%g\t%.3g\n", j, i, v,
					v);
			else
				fprintf(p.datf, "%zu\t%zu\tNaN\t%s\n", j, i,
					i == j ? "" : "n/a");
		}
	}
	fprintf(p.gp, "set xlabel \"to node\"\nset ylabel \"from node\"\n");
	fprintf(p.gp, "set xtics (");
	for (i = 0; i < nn; i++)
		fprintf(p.gp, "%s\"%ld\" %zu", i ? ", " : "", nodes[i], i);
	fprintf(p.gp, ")\nset ytics (");
	for (i = 0; i < nn; i++)
		fprintf(p.gp, "%s\"%ld\" %zu", i ? ", " : "", nodes[i], i);
	fprintf(p.gp, ")\n");
	fprintf(p.gp,
		"set xrange [-0.5:%zu.5]\nset yrange [%zu.5:-0.5]\n"
		"set size ratio -1\nset tics scale 0\n"
		"set cbrange [0:%g]\nset cblabel \"GB/s\"\n"
		"set palette defined (0 \"#fff5eb\", 0.5 \"#fdae6b\", 1 \"#d94801\")\n"
		"plot \"%s\" using 1:2:3 with image notitle, "
		"\"\" using 1:2:4 with labels font \",12\" notitle\n",
		nn - 1, nn - 1, max > 0 ? max : 1, p.dat);
	report_plot_draw(&p, d, title);
	report_p(
		d,
		"Rows: the node the pages start on; columns: the node they move to. The combination shown is the one measured on the most node pairs.");
}

/* Distinct strings, in first-seen order (strategies sorted by their rank). */
static size_t collect(const struct report_set *st, bool kinds, const char **out,
		      size_t max)
{
	size_t i, j, m = 0;

	for (i = 0; i < st->n; i++) {
		const struct report_row *r = &st->rows[i];
		const char *s = kinds ? r->kind : r->strategy;

		if (!s || !report_ok_rate(r) || !report_at_ref(st, r))
			continue;
		for (j = 0; j < m && !report_same(out[j], s); j++)
			;
		if (j == m && m < max)
			out[m++] = s;
	}
	if (!kinds)
		for (i = 1; i < m; i++)
			for (j = i; j > 0 && strategy_rank(out[j - 1]) >
						     strategy_rank(out[j]);
			     j--) {
				const char *t = out[j];

				out[j] = out[j - 1];
				out[j - 1] = t;
			}
	return m;
}

void report_strategies(struct report_doc *d, const struct report_set *st)
{
	const char *kinds[32], *strats[16];
	size_t nk, ns, i, j, k;
	struct report_plot p;
	char title[256], name[160];

	report_h(d, 4, "Strategies side by side, per page kind");
	nk = collect(st, true, kinds, 32);
	ns = collect(st, false, strats, 16);
	if (!nk || !ns) {
		report_note(
			d,
			"No benchmark names its strategy and page kind with a throughput: no comparison.");
		return;
	}
	snprintf(title, sizeof(title),
		 "Throughput by strategy and page kind%s (GB/s, best batch)",
		 report_ref_text(st));
	snprintf(name, sizeof(name), "%s-strategies", st->stem);
	if (report_plot_begin(&p, d, name, title, st->label))
		return;
	fprintf(p.datf, "kind");
	for (j = 0; j < ns; j++)
		fprintf(p.datf, "\t%s", strats[j]);
	fprintf(p.datf, "\n");
	for (i = 0; i < nk; i++) {
		fprintf(p.datf, "%s", kinds[i]);
		for (j = 0; j < ns; j++) {
			double best = NAN;

			for (k = 0; k < st->n; k++) {
				const struct report_row *r = &st->rows[k];

				if (report_ok_rate(r) && report_at_ref(st, r) &&
				    report_same(r->kind, kinds[i]) &&
				    report_same(r->strategy, strats[j]) &&
				    !(r->gbps <= best))
					best = r->gbps;
			}
			if (isfinite(best))
				fprintf(p.datf, "\t%g", best);
			else
				fprintf(p.datf, "\t-");
		}
		fprintf(p.datf, "\n");
	}
	fprintf(p.gp,
		"set datafile missing \"-\"\nset style data histogram\n"
		"set style histogram clustered gap 1\n"
		"set style fill solid 0.85 border -1\nset boxwidth 0.9\n"
		"set key outside right top\nset yrange [0:*]\n"
		"set ylabel \"GB/s\"\nset xlabel \"page kind\"\nset grid ytics\n"
		"plot for [i=2:%zu] \"%s\" using i:xtic(1) title columnheader(i)\n",
		ns + 1, p.dat);
	report_plot_draw(&p, d, title);
	report_p(
		d,
		"Each bar is the median throughput of the strategy's best batch size on that page kind; memcpy is the cross-node copy bound. A missing bar: not measured.");
}

/* Series of throughput against batch: (strategy, kind) with 2+ batch sizes. */
void report_batch_plot(struct report_doc *d, const struct report_set *st)
{
	const struct report_row *first[MAX_SERIES];
	size_t i, j, k, m = 0, nb;
	struct report_plot p;
	char title[256], name[160];
	long b[64], bs[64];

	report_h(d, 4, "Throughput against batch size");
	for (i = 0; i < st->n && m < MAX_SERIES; i++) {
		const struct report_row *r = &st->rows[i];

		if (!report_ok_rate(r) || !report_at_ref(st, r) || r->batch < 0)
			continue;
		for (j = 0;
		     j < m && !(report_same(first[j]->strategy, r->strategy) &&
				report_same(first[j]->kind, r->kind));
		     j++)
			;
		if (j < m)
			continue;
		for (k = i, nb = 0; k < st->n && nb < 64; k++)
			if (report_ok_rate(&st->rows[k]) &&
			    report_at_ref(st, &st->rows[k]) &&
			    report_same(st->rows[k].strategy, r->strategy) &&
			    report_same(st->rows[k].kind, r->kind))
				b[nb++] = st->rows[k].batch;
		if (report_distinct(b, nb, bs) >= 2)
			first[m++] = r;
	}
	if (!m) {
		report_note(
			d,
			"No strategy was measured at two or more batch sizes: no plot.");
		return;
	}
	snprintf(title, sizeof(title), "Throughput against pages per call%s",
		 report_ref_text(st));
	snprintf(name, sizeof(name), "%s-batch", st->stem);
	if (report_plot_begin(&p, d, name, title, st->label))
		return;
	for (j = 0; j < m; j++) {
		for (k = 0, nb = 0; k < st->n && nb < 64; k++)
			if (report_ok_rate(&st->rows[k]) &&
			    report_at_ref(st, &st->rows[k]) &&
			    report_same(st->rows[k].strategy,
					first[j]->strategy) &&
			    report_same(st->rows[k].kind, first[j]->kind))
				b[nb++] = st->rows[k].batch;
		nb = report_distinct(b, nb, bs);
		for (i = 0; i < nb; i++)
			for (k = 0; k < st->n; k++)
				if (report_ok_rate(&st->rows[k]) &&
				    report_at_ref(st, &st->rows[k]) &&
				    report_same(st->rows[k].strategy,
						first[j]->strategy) &&
				    report_same(st->rows[k].kind,
						first[j]->kind) &&
				    st->rows[k].batch == bs[i]) {
					fprintf(p.datf, "%ld\t%g\n", bs[i],
						st->rows[k].gbps);
					break;
				}
		fprintf(p.datf, "\n\n");
	}
	fprintf(p.gp,
		"set logscale x 2\nset xlabel \"pages per call (batch)\"\n"
		"set ylabel \"GB/s\"\nset yrange [0:*]\nset grid\n"
		"set key left top\nplot ");
	for (j = 0; j < m; j++) {
		fprintf(p.gp,
			"%s\"%s\" index %zu using 1:2 with linespoints "
			"lw 2 pt 7 title \"",
			j ? ", " : "", p.dat, j);
		report_gp_text(p.gp,
			       first[j]->strategy ? first[j]->strategy : "?");
		fprintf(p.gp, " ");
		report_gp_text(p.gp, first[j]->kind ? first[j]->kind : "?");
		fprintf(p.gp, "\"");
	}
	fprintf(p.gp, "\n");
	report_plot_draw(&p, d, title);
	report_p(
		d,
		"Few pages per call pay the fixed cost of a call each time; the curve flattens where the per-page cost dominates.");
}

/* The page kind with the most benchmarks that kept per-call samples at the reference pair. */
static const char *latency_kind(const struct report_set *st)
{
	const char *best = NULL;
	size_t i, j, n, bn = 0;

	for (i = 0; i < st->n; i++) {
		const struct report_row *r = &st->rows[i];

		if (r->s.state != PMIG_BJ_OK || !r->s.ncalls ||
		    !report_at_ref(st, r))
			continue;
		for (j = 0, n = 0; j < st->n; j++)
			n += st->rows[j].s.state == PMIG_BJ_OK &&
			     st->rows[j].s.ncalls &&
			     report_at_ref(st, &st->rows[j]) &&
			     (report_same(st->rows[j].kind, r->kind) ||
			      (!r->kind && !st->rows[j].kind));
		if (n > bn) {
			bn = n;
			best = r->kind ? r->kind : "";
		}
	}
	return best;
}

static int cdf_series(FILE *f, const struct pmig_bj *bj,
		      const struct report_row *r)
{
	double *s;
	ssize_t n = pmig_bj_time_samples(bj, r->b, true, &s);
	size_t i, pts;

	if (n <= 0)
		return n < 0 ? (int)n : 0;
	pmig_sort_doubles(s, (size_t)n);
	pts = (size_t)n < CDF_POINTS ? (size_t)n : CDF_POINTS;
	for (i = 0; i < pts; i++) {
		double q = (double)(i + 1) / (double)pts;

		fprintf(f, "%g\t%g\n",
			pmig_nearest_rank(s, (size_t)n, i + 1, pts) / 1e3, q);
	}
	fprintf(f, "\n\n");
	free(s);
	return 0;
}

void report_latency(struct report_doc *d, const struct report_set *st)
{
	const char *kind = latency_kind(st);
	const struct report_row *series[MAX_SERIES];
	struct report_plot p;
	char title[256], name[160];
	size_t i, m = 0;

	report_h(d, 4, "Per-call latency distribution");
	if (!kind) {
		report_note(
			d,
			"No benchmark kept raw per-call samples (pmig \"call_ns\"): no latency distribution. The table above has what Google Benchmark reported.");
		return;
	}
	for (i = 0; i < st->n && m < MAX_SERIES; i++) {
		const struct report_row *r = &st->rows[i];

		if (r->s.state == PMIG_BJ_OK && r->s.ncalls &&
		    report_at_ref(st, r) &&
		    (report_same(r->kind, kind) || (!r->kind && !kind[0])))
			series[m++] = r;
	}
	snprintf(title, sizeof(title), "Per-call latency CDF%s%s%s%s",
		 kind[0] ? ": " : "", kind, kind[0] ? " pages" : "",
		 report_ref_text(st));
	snprintf(name, sizeof(name), "%s-latency", st->stem);
	if (report_plot_begin(&p, d, name, title, st->label))
		return;
	for (i = 0; i < m; i++)
		if (cdf_series(p.datf, st->bj, series[i]))
			report_fail(d, "out of memory");
	fprintf(p.gp,
		"set logscale x 10\nset xlabel \"time per call (us)\"\n"
		"set ylabel \"fraction of calls at or below\"\n"
		"set yrange [0:1]\nset grid\nset key outside right top\nplot ");
	for (i = 0; i < m; i++) {
		char batch[32] = "";

		if (series[i]->batch >= 0)
			snprintf(batch, sizeof(batch), " batch %ld",
				 series[i]->batch);
		else if (series[i]->threads > 1)
			snprintf(batch, sizeof(batch), " %ld threads",
				 series[i]->threads);
		fprintf(p.gp,
			"%s\"%s\" index %zu using 1:2 with steps lw 2 title \"",
			i ? ", " : "", p.dat, i);
		report_gp_text(p.gp, series[i]->strategy ? series[i]->strategy :
							   series[i]->b->name);
		report_gp_text(p.gp, batch);
		fprintf(p.gp, "\"");
	}
	fprintf(p.gp, "\n");
	report_plot_draw(&p, d, title);
	report_p(
		d,
		"From the raw per-call samples: each curve is the share of calls that took at most the time on the x axis (p50 at 0.5, p99 at 0.99).");
}
