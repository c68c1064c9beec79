/* report_published.c - `pmig report`'s comparison with a published set-up (a file from pmig bench --preset): each case's GB/s and fraction of the measured copy bound, the published figures with their citations, and a plot with them as reference lines. */
#include "report_bench.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "json_get.h"
#include "preset.h"
#include "compare.h"
#include "stats.h"

/* The published figures' copy methods, one colour and key entry each. */
static const char *const methods[] = { "stock kernel", "multi-threaded",
				       "DMA" };
static const char *const method_colours[] = { "black", "dark-green", "blue" };
#define NMETHODS (sizeof(methods) / sizeof(methods[0]))

static size_t method_of(const struct pmig_ref_line *r)
{
	for (size_t i = 0; i < NMETHODS; i++)
		if (!strncmp(r->what, methods[i], strlen(methods[i])))
			return i;
	return 0;
}

/* Median of the number pmig.@key over the OK entries of @r's benchmark; NAN when none. */
static double pmig_median_of(const struct report_set *st,
			     const struct report_row *r, const char *key)
{
	double *v = calloc(r->b->n ? r->b->n : 1, sizeof(*v)), m = NAN;
	size_t n = 0;

	for (size_t i = 0; v && i < r->b->n; i++) {
		const struct pmig_bj_entry *e =
			pmig_bj_entry_of(st->bj, r->b, i);
		struct json_object *x = pmig_json_get(
			pmig_json_get((struct json_object *)e->obj, "pmig"),
			key);

		if (e->state == PMIG_BJ_OK && x &&
		    (json_object_is_type(x, json_type_double) ||
		     json_object_is_type(x, json_type_int)))
			v[n++] = json_object_get_double(x);
	}
	if (n)
		pmig_median(v, n, &m);
	free(v);
	return m;
}

/* The preset's cases: move_pages and the memcpy copy bound. */
static bool preset_row(const struct report_row *r)
{
	return report_ok_rate(r) && (report_same(r->strategy, "move_pages") ||
				     report_same(r->strategy, "memcpy"));
}

/* The measured move_pages row of page kind @kind, or NULL. */
static const struct report_row *measured(const struct report_set *st,
					 const char *kind)
{
	for (size_t i = 0; i < st->n; i++)
		if (report_ok_rate(&st->rows[i]) &&
		    report_same(st->rows[i].strategy, "move_pages") &&
		    report_same(st->rows[i].kind, kind))
			return &st->rows[i];
	return NULL;
}

static void fmt(char *buf, size_t size, const char *f, double v)
{
	if (isfinite(v))
		snprintf(buf, size, f, v);
	else
		snprintf(buf, size, "-");
}

static void measured_table(struct report_doc *d, const struct report_set *st)
{
	static const char *const head[] = {
		"benchmark", "GB/s", "copy bound GB/s (memcpy, 1 thread)",
		"fraction of the copy bound"
	};
	char c[4][128];
	const char *cells[4] = { c[0], c[1], c[2], c[3] };

	report_table_begin(d, 4, head);
	for (size_t i = 0; i < st->n; i++) {
		const struct report_row *r = &st->rows[i];

		if (!preset_row(r))
			continue;
		snprintf(c[0], sizeof(c[0]), "%s", r->b->name);
		fmt(c[1], sizeof(c[1]), "%.3g", r->gbps);
		fmt(c[2], sizeof(c[2]), "%.3g",
		    pmig_median_of(st, r, "copy_bound_gbps"));
		fmt(c[3], sizeof(c[3]), "%.2f",
		    pmig_median_of(st, r, "efficiency"));
		report_table_row(d, 4, cells);
	}
	report_table_end(d);
}

static void published_table(struct report_doc *d, const struct report_set *st,
			    const struct pmig_preset *p)
{
	static const char *const head[] = {
		"pages",  "published GB/s", "copy",
		"kernel", "date",	    "measured here / published",
		"source"
	};
	char c[7][192];
	const char *cells[7];

	for (size_t k = 0; k < 7; k++)
		cells[k] = c[k];
	report_table_begin(d, 7, head);
	for (size_t i = 0; i < p->nrefs; i++) {
		const struct pmig_ref_line *r = &p->refs[i];
		const struct report_row *m = measured(st, r->kind);

		snprintf(c[0], sizeof(c[0]), "%s",
			 !strcmp(r->kind, "thp") ? "2 MiB THP" : "4K");
		snprintf(c[1], sizeof(c[1]), "%.2f", r->gbps);
		snprintf(c[2], sizeof(c[2]), "%s", r->what);
		snprintf(c[3], sizeof(c[3]), "%s", r->kernel);
		snprintf(c[4], sizeof(c[4]), "%s", r->date);
		fmt(c[5], sizeof(c[5]), "%.3g", m ? m->gbps / r->gbps : NAN);
		snprintf(
			c[6], sizeof(c[6]), "%s%s", r->cite,
			r->checked ?
				"" :
				" (from pmig's research notes; not read in the source)");
		report_table_row(d, 7, cells);
	}
	report_table_end(d);
}

/* Column of page kind @kind on the plot's x axis: 4K pages 0, THP 1. */
static int column(const char *kind)
{
	return report_same(kind, "thp") ? 1 : 0;
}

/* The memcpy row with @threads copy threads (0: more than one), or NULL. */
static const struct report_row *copy_bound(const struct report_set *st,
					   bool one)
{
	for (size_t i = 0; i < st->n; i++) {
		const struct report_row *r = &st->rows[i];

		if (report_ok_rate(r) && report_same(r->strategy, "memcpy") &&
		    (one ? r->threads == 1 : r->threads > 1))
			return r;
	}
	return NULL;
}

static void plot(struct report_doc *d, const struct report_set *st,
		 const struct pmig_preset *p)
{
	const struct report_row *b1 = copy_bound(st, true),
				*bn = copy_bound(st, false);
	struct report_plot pl;
	char title[256], name[160];
	size_t idx = 0, i, k;
	bool used[NMETHODS] = { false };

	snprintf(title, sizeof(title),
		 "move_pages here against %s's published figures (GB/s)",
		 p->name);
	snprintf(name, sizeof(name), "%s-published", st->stem);
	if (report_plot_begin(&pl, d, name, title, st->label))
		return;
	/* Block 0: the measured bars. */
	fprintf(pl.datf,
		"# x\tkind\tGB/s; then per copy method: x y dx dy checked\n");
	fprintf(pl.datf, "0\t\"4K pages\"\t%g\n",
		measured(st, "anon") ? measured(st, "anon")->gbps : 0.0);
	fprintf(pl.datf, "1\t\"2 MiB THP\"\t%g\n",
		measured(st, "thp") ? measured(st, "thp")->gbps : 0.0);
	fprintf(pl.gp,
		"set style fill solid 0.5 border -1\nset boxwidth 0.5\n"
		"set key outside right top\nset yrange [0:*]\n"
		"set xrange [-0.6:1.6]\nset ylabel \"GB/s\"\nset grid ytics\n"
		"plot \"%s\" index 0 using 1:3:xtic(2) with boxes lc rgb \"orange\" title \"move_pages here (batch:all)\", \\\n"
		"  \"\" index 0 using 1:3:(sprintf(\"%%.2f\", $3)) with labels offset 0,1 notitle",
		pl.dat);
	/* One block per copy method: the published figures as reference lines. */
	for (k = 0; k < NMETHODS; k++) {
		for (i = 0; i < p->nrefs; i++) {
			const struct pmig_ref_line *r = &p->refs[i];

			if (method_of(r) != k)
				continue;
			if (!used[k])
				fprintf(pl.datf, "\n\n# %s\n", methods[k]);
			used[k] = true;
			fprintf(pl.datf, "%g\t%g\t0.8\t0\t%d\n",
				column(r->kind) - 0.4, r->gbps, r->checked);
		}
		if (!used[k])
			continue;
		idx++;
		fprintf(pl.gp,
			", \\\n  \"\" index %zu using 1:2:3:4 with vectors nohead lw 2 lc rgb \"%s\" title \"published: %s\"",
			idx, method_colours[k], methods[k]);
	}
	/* The copy bound measured here, across both columns. */
	for (k = 0; k < 2; k++) {
		const struct report_row *r = k ? bn : b1;

		if (!r)
			continue;
		fprintf(pl.datf, "\n\n# copy bound\n-0.6\t%g\t2.2\t0\n",
			r->gbps);
		idx++;
		fprintf(pl.gp,
			", \\\n  \"\" index %zu using 1:2:3:4 with vectors nohead lw 2 dt 2 lc rgb \"%s\" title \"copy bound here, memcpy %ld thread%s\"",
			idx, k ? "dark-red" : "red", r->threads,
			r->threads > 1 ? "s" : "");
	}
	fprintf(pl.gp, "\n");
	report_plot_draw(&pl, d, title);
}

void report_published(struct report_doc *d, const struct report_set *st)
{
	const char *name = pmig_bj_context(st->bj, "pmig_preset");
	const struct pmig_preset *p = pmig_preset_find(name);

	report_h(d, 4, "Published figures");
	if (!p) {
		report_note(
			d,
			"The file names set-up '%s', which this pmig does not know: no published figures to compare.",
			name);
		return;
	}
	report_p(d, "pmig bench --preset %s: %s. Published on: %s.", p->name,
		 p->summary, p->machine);
	if (st->label)
		report_note(
			d,
			"%s: these figures were not measured on hardware; the published ones were. The lines show the set-up works, not how this machine compares.",
			st->label);
	measured_table(d, st);
	plot(d, st, p);
	report_p(
		d,
		"Bars: move_pages here; solid lines: the published figures of that page size (the table below gives each with its source); dashed lines: the copy bound measured here between the same nodes. Published GB/s are as their authors wrote them; pmig's are 10^9 bytes per second.");
	published_table(d, st, p);
}
