/* report_tiering_plots.c - `pmig report`'s tiering plots: every strategy's convergence, promote and demote side by side, and a small plot per strategy. */
#include "report_tiering.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* A colour per strategy (tier_rank()), the same in every plot. */
static const char *const colours[] = {
	"#1f77b4", "#2ca02c", "#d62728", "#9467bd", "#ff7f0e", "#7f7f7f",
};

static const char *const workloads[] = { "promote", "demote" };

#define NCOLOURS (sizeof(colours) / sizeof(colours[0]))

static const char *colour(const char *strategy)
{
	size_t r = (size_t)tier_rank(strategy);

	return colours[r < NCOLOURS ? r : NCOLOURS - 1];
}

static bool has_line(const struct pmig_tier *t, const char *workload)
{
	return t->tl.n && t->workload && !strcmp(t->workload, workload);
}

/* The runs of @f with a line in @workload's panel. */
static size_t lines_in(const struct tier_set *s, const struct tier_file *f,
		       const char *workload)
{
	size_t i, n = 0;

	for (i = f->first; i < f->first + f->n; i++)
		n += has_line(&s->runs[i], workload);
	return n;
}

/* A series' title: the strategy, with size and nodes when one strategy has two lines. */
static void series_title(FILE *gp, const struct tier_set *s,
			 const struct tier_file *f, const struct pmig_tier *t)
{
	size_t i, same = 0;
	char why[256];

	for (i = f->first; i < f->first + f->n; i++)
		same += has_line(&s->runs[i], t->workload) &&
			s->runs[i].strategy && t->strategy &&
			!strcmp(s->runs[i].strategy, t->strategy);
	report_gp_text(gp, t->strategy ? t->strategy : t->e->run_name);
	if (same > 1) {
		fprintf(gp, " ");
		report_gp_text(gp, t->size);
		fprintf(gp, " %ld to %ld", t->from, t->to);
	}
	if (t->state == PMIG_BJ_ERROR)
		fprintf(gp, " (FAILED)");
	else if (pmig_tier_goal(t, why, sizeof(why)))
		return;
	else if (t->converged == 0 || !isfinite(t->t100_ns))
		fprintf(gp, " (not converged)");
	else if (t->wrong_pages > 0)
		fprintf(gp, " (%ld wrong)", t->wrong_pages);
	else
		fprintf(gp, " (goal not reached)");
}

/* One block of @t's timeline: seconds, then each share in percent. */
static void block(FILE *dat, const struct pmig_tier *t)
{
	const struct pmig_tier_timeline *tl = &t->tl;

	for (size_t i = 0; i < tl->n; i++) {
		fprintf(dat, "%g\t%g", tl->t_ns[i] / 1e9, 100 * tl->goal[i]);
		if (tl->hot_near)
			fprintf(dat, "\t%g", 100 * tl->hot_near[i]);
		else
			fprintf(dat, "\tNaN");
		if (tl->cold_near)
			fprintf(dat, "\t%g", 100 * tl->cold_near[i]);
		else
			fprintf(dat, "\tNaN");
		fprintf(dat, "\n");
	}
	fprintf(dat, "\n\n");
}

/* What the panel of @workload plots: the goal's place in words. */
static void panel_title(FILE *gp, const struct tier_set *s,
			const struct tier_file *f, const char *workload)
{
	long near = -1, far = -1;

	for (size_t i = f->first; i < f->first + f->n; i++)
		if (has_line(&s->runs[i], workload)) {
			near = s->runs[i].near >= 0 ? s->runs[i].near :
						      s->runs[i].to;
			far = s->runs[i].far;
			break;
		}
	if (!strcmp(workload, "promote"))
		fprintf(gp, "set title \"promote: hot pages on the near node");
	else
		fprintf(gp, "set title \"demote: cold pages on the far node");
	if (near >= 0 && far >= 0)
		fprintf(gp, " (near %ld, far %ld)", near, far);
	else if (near >= 0)
		fprintf(gp, " (near %ld)", near);
	fprintf(gp, "\"\n");
}

void report_tier_convergence(struct report_doc *d, const struct tier_set *s,
			     const struct tier_file *f)
{
	size_t w, i, panels = 0, idx = 0;
	struct report_plot p;
	char name[320], title[512];

	for (w = 0; w < 2; w++)
		panels += lines_in(s, f, workloads[w]) > 0;
	if (!panels) {
		report_note(
			d,
			"No tiering run of %s has a timeline (every one was unavailable or failed before it started): no convergence plot.",
			f->rel);
		return;
	}
	snprintf(name, sizeof(name), "%s-tiering", f->stem);
	snprintf(title, sizeof(title),
		 "Share of goal pages in place over time, every strategy: %s",
		 f->kernel);
	if (report_plot_begin(&p, d, name, title, f->label))
		return;
	/* The multiplot's title is the figure's; each panel says its workload. */
	fprintf(p.gp, "unset title\nset multiplot layout 1,%zu title \"",
		panels);
	report_gp_text(p.gp, title);
	fprintf(p.gp, "\" font \",13\"\n");
	if (f->label)
		fprintf(p.gp,
			"set label 1000 at screen 0.5, screen 0.9 center\n"
			"set tmargin 6\n");
	fprintf(p.gp,
		"set xlabel \"time since the start (%s)\"\n"
		"set ylabel \"goal pages in place (%%)\"\n"
		"set yrange [0:105]\nset xrange [0:*]\nset grid\n"
		"set key right bottom\n",
		tier_time_axis(s, f));
	for (w = 0; w < 2; w++) {
		bool first = true;

		if (!lines_in(s, f, workloads[w]))
			continue;
		panel_title(p.gp, s, f, workloads[w]);
		fprintf(p.gp, "plot ");
		for (i = f->first; i < f->first + f->n; i++) {
			const struct pmig_tier *t = &s->runs[i];

			if (!has_line(t, workloads[w]))
				continue;
			block(p.datf, t);
			fprintf(p.gp,
				"%s\"%s\" index %zu using 1:2 with lines lw 2 "
				"lc rgb \"%s\"%s title \"",
				first ? "" : ", ", p.dat, idx++,
				colour(t->strategy),
				t->state == PMIG_BJ_ERROR ? " dt 2" : "");
			series_title(p.gp, s, f, t);
			fprintf(p.gp, "\"");
			first = false;
		}
		fprintf(p.gp, "\n");
	}
	fprintf(p.gp, "unset multiplot\n");
	report_plot_draw(&p, d, title);
	report_p(
		d,
		"One line per strategy: the share of its goal pages in place (promote: hot pages on the near node; demote: cold pages on the far node they were sent to). A line that stops short of 100%% did not converge before the run's limit; a dashed one failed its checks.");
	for (i = f->first; i < f->first + f->n; i++) {
		const struct pmig_tier *t = &s->runs[i];

		if (!t->tl.n)
			report_p(d, "No line for %s/%s: %s%s",
				 t->strategy ? t->strategy : t->e->run_name,
				 t->workload ? t->workload : "?",
				 t->state == PMIG_BJ_SKIPPED ? "unavailable: " :
				 t->state == PMIG_BJ_ERROR   ? "failed: " :
							       "no timeline",
				 t->message);
	}
}

/* Small multiples: one panel per run with a timeline, a row per workload. */
void report_tier_strategies(struct report_doc *d, const struct tier_set *s,
			    const struct tier_file *f)
{
	size_t w, i, rows = 0, cols = 0, idx = 0;
	struct report_plot p;
	char name[320], title[512];
	int height;

	for (w = 0; w < 2; w++) {
		size_t n = lines_in(s, f, workloads[w]);

		rows += n > 0;
		cols = n > cols ? n : cols;
	}
	if (!rows)
		return;
	snprintf(name, sizeof(name), "%s-tiering-strategies", f->stem);
	snprintf(title, sizeof(title),
		 "Each strategy: goal, hot and cold pages over time: %s",
		 f->kernel);
	height = (int)(290 * rows + 60) + (f->label ? 40 : 0);
	if (report_plot_begin_size(&p, d, name, title, f->label,
				   (int)(cols > 2 ? 320 * cols : 960), height))
		return;
	/* Room at the top for the title and the label, at the bottom for the x label. */
	fprintf(p.gp, "unset title\nset multiplot layout %zu,%zu title \"",
		rows, cols);
	report_gp_text(p.gp, title);
	fprintf(p.gp,
		"\" font \",13\" margins 0.07,0.97,%.4f,%.4f spacing 0.07,%.4f\n",
		60.0 / height, 1 - (f->label ? 100.0 : 70.0) / height,
		95.0 / height);
	if (f->label)
		fprintf(p.gp,
			"set label 1000 at screen 0.5, screen %.4f center\n",
			1 - 52.0 / height);
	fprintf(p.gp,
		"set xlabel \"%s\"\nset ylabel \"%%\"\n"
		"set yrange [0:105]\nset xrange [0:*]\nset grid\n"
		"set key right center font \",8\"\n",
		tier_time_axis(s, f));
	for (w = 0; w < 2; w++) {
		size_t in_row = 0;

		for (i = f->first; i < f->first + f->n; i++) {
			const struct pmig_tier *t = &s->runs[i];

			if (!has_line(t, workloads[w]))
				continue;
			block(p.datf, t);
			fprintf(p.gp, "set title \"");
			series_title(p.gp, s, f, t);
			fprintf(p.gp, ": %s\" font \",10\"\n", workloads[w]);
			fprintf(p.gp,
				"plot \"%s\" index %zu using 1:2 with lines lw 3 "
				"lc rgb \"%s\" title \"goal in place\", "
				"\"\" index %zu using 1:3 with lines lw 1.5 "
				"lc rgb \"#d62728\" title \"hot on near\", "
				"\"\" index %zu using 1:4 with lines lw 1.5 "
				"lc rgb \"#1f77b4\" dt 2 title \"cold on near\"\n",
				p.dat, idx, colour(t->strategy), idx, idx);
			idx++;
			in_row++;
		}
		/* Empty cells keep each workload on its own row. */
		for (; in_row && in_row < cols; in_row++)
			fprintf(p.gp, "set multiplot next\n");
	}
	fprintf(p.gp, "unset multiplot\n");
	report_plot_draw(&p, d, title);
	report_p(
		d,
		"Per strategy: the goal pages in place (thick), the hot pages on the near node (red) and the cold pages on it (blue, dashed). Promote wants red at 100%% and blue where it started; demote wants blue at 0%% and red where it started; cold pages that went to swap leave the near node without counting as in place.");
}
