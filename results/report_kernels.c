/* report_kernels.c - `pmig report`'s kernel comparison: instruction-counted benchmark runs side by side (ns per page), a plot, bench-matrix.tsv, and how much of the gap to the oldest kernel each kernel command-line knob explains. */
#include "bench_results.h"
#include "kver.h"
#include "report.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One instruction-counted run: a kernel, maybe with extra parameters. */
struct kcol {
	struct pmig_bj *bj;
	char *release; /* pmig_kernel of its context */
	char *knob; /* vm.txt's append=, "" for the kernel's defaults */
	char *cpu; /* the QEMU CPU model it was counted on, "" when unrecorded */
	char *label; /* "6.1.0-50-amd64" or "6.1.0-50-amd64 init_on_alloc=0" */
	uint32_t kv; /* its version, for the order */
};

struct kset {
	struct kcol *cols;
	size_t n;
};

/* vm.txt's "append=" line in @dir, "" when there is none; malloc()ed. */
static char *knob_in(const char *dir)
{
	char knob[512];

	return strdup(report_vm_fact(dir, "append", knob, sizeof(knob)) ? knob :
									  "");
}

static void kcol_free(struct kcol *c)
{
	pmig_bj_free(c->bj);
	free(c->release);
	free(c->knob);
	free(c->cpu);
	free(c->label);
}

/* Whether @bj holds a migration benchmark, not only tiering runs. */
static bool migration_benches(const struct pmig_bj *bj)
{
	for (size_t i = 0; i < bj->nbenches; i++)
		if (!pmig_bj_bench_tiering(bj, &bj->benches[i]))
			return true;
	return false;
}

/* The CPU model of @bj (its context's, else vm.txt's cpu= in @dir), "" when unrecorded; malloc()ed. */
static char *cpu_in(const struct pmig_bj *bj, const char *dir)
{
	char cpu[128];

	if (pmig_bj_cpu_model(bj))
		return strdup(pmig_bj_cpu_model(bj));
	return strdup(report_vm_fact(dir, "cpu", cpu, sizeof(cpu)) ? cpu : "");
}

/* report_each_file() callback: keeps benchmark JSON whose times are instruction counts. */
static int collect(struct report_doc *d, const struct report_file *f, void *arg)
{
	struct kset *set = arg;
	struct kcol c = { 0 }, *cols;
	const char *emu, *rel;
	char why[256];

	(void)d;
	if (!report_maybe_bench_json(f))
		return 0;
	if (pmig_bj_load(f->path, &c.bj, why, sizeof(why)))
		return 0;
	emu = pmig_bj_context(c.bj, "pmig_emulation");
	rel = pmig_bj_context(c.bj, "pmig_kernel");
	if (!pmig_bj_emulation_counted(emu) || !rel ||
	    pmig_kver_parse(rel, &c.kv) || !migration_benches(c.bj))
		goto skip;
	/* "6.1.0-50-amd64 #1 SMP ... Debian 6.1.176-1 (...)": the release. */
	c.release = strndup(rel, strcspn(rel, " "));
	c.knob = knob_in(f->dir);
	c.cpu = cpu_in(c.bj, f->dir);
	if (!c.release || !c.knob || !c.cpu ||
	    asprintf(&c.label, "%s%s%s", c.release, *c.knob ? " " : "",
		     c.knob) < 0)
		goto skip;
	cols = realloc(set->cols, (set->n + 1) * sizeof(*cols));
	if (!cols)
		goto skip;
	set->cols = cols;
	set->cols[set->n++] = c;
	return 1;
skip:
	kcol_free(&c);
	return 0;
}

/* Oldest kernel first; on one kernel by CPU model, its defaults, then the knobs by name. */
static int by_kernel(const void *pa, const void *pb)
{
	const struct kcol *a = pa, *b = pb;
	int c = (a->kv > b->kv) - (a->kv < b->kv);

	if (!c)
		c = strcmp(a->cpu, b->cpu);
	return c ? c : strcmp(a->knob, b->knob);
}

/* Whether every column was counted on one CPU model (or none says). */
static bool one_cpu(const struct kset *set)
{
	for (size_t i = 1; i < set->n; i++)
		if (strcmp(set->cols[i].cpu, set->cols[0].cpu))
			return false;
	return true;
}

/* Columns of several CPU models: each label says its model ("... on max"). */
static void label_cpus(struct kset *set)
{
	for (size_t i = 0; i < set->n; i++) {
		struct kcol *c = &set->cols[i];
		char *label;

		if (asprintf(&label, "%s on %s", c->label,
			     *c->cpu ? c->cpu : "an unrecorded CPU") < 0)
			continue;
		free(c->label);
		c->label = label;
	}
}

/* Nanoseconds of icount time per page of benchmark @name in @c; NAN when it has none. */
static double ns_per_page(const struct kcol *c, const char *name)
{
	const struct pmig_bj_bench *b = pmig_bj_find(c->bj, name);
	struct pmig_bench_summary s;

	if (!b || pmig_bj_bench_tiering(c->bj, b) ||
	    pmig_bench_summarize(c->bj, b, &s) || s.state != PMIG_BJ_OK ||
	    !(s.pages_per_second > 0))
		return NAN;
	return 1e9 / s.pages_per_second;
}

/* The benchmarks of every column, each once, in the order first seen. */
static const char **names_of(const struct kset *set, size_t *count)
{
	const char **names = NULL, **grown;
	size_t n = 0;

	for (size_t i = 0; i < set->n; i++) {
		const struct pmig_bj *bj = set->cols[i].bj;

		for (size_t j = 0; j < bj->nbenches; j++) {
			const char *name = bj->benches[j].name;
			size_t k;

			/* A tiering run has no time per page: its own section. */
			if (pmig_bj_bench_tiering(bj, &bj->benches[j]))
				continue;
			for (k = 0; k < n && strcmp(names[k], name); k++)
				;
			if (k < n)
				continue;
			grown = realloc(names, (n + 1) * sizeof(*names));
			if (!grown) {
				free(names);
				return NULL;
			}
			names = grown;
			names[n++] = name;
		}
	}
	*count = n;
	return names;
}

/* A benchmark's name less Google Benchmark's own parts, for tables and plots. */
static void short_name(const char *name, char *buf, size_t len)
{
	char *p;

	snprintf(buf, len, "%s", name);
	if ((p = strstr(buf, "/iterations:")) ||
	    (p = strstr(buf, "/manual_time")))
		*p = '\0';
}

static void fmt_ns(char *buf, size_t len, double ns)
{
	if (isnan(ns))
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%.0f", ns);
}

/* ns per page, benchmark x run; and the same as bench-matrix.tsv in the run directory. */
static void table(struct report_doc *d, const struct kset *set,
		  const char **names, size_t nnames)
{
	const char **head = calloc(set->n + 1, sizeof(*head));
	char **cells = calloc(set->n + 1, sizeof(*cells));
	char *path = NULL;
	FILE *tsv = NULL;

	if (!head || !cells ||
	    asprintf(&path, "%s/bench-matrix.tsv", d->dir) < 0)
		goto out;
	tsv = fopen(path, "w");
	if (!tsv)
		report_fail(d, "%s: %s", path, strerror(errno));
	else
		fprintf(tsv,
			"benchmark\tkernel\tknob\tns_per_page\tpages_per_second\tcpu_model\n");
	head[0] = "benchmark (ns per page)";
	for (size_t i = 0; i < set->n; i++)
		head[i + 1] = set->cols[i].label;
	report_table_begin(d, set->n + 1, head);
	for (size_t j = 0; j < nnames; j++) {
		char name[160];

		short_name(names[j], name, sizeof(name));
		cells[0] = name;
		for (size_t i = 0; i < set->n; i++) {
			double ns = ns_per_page(&set->cols[i], names[j]);

			cells[i + 1] = malloc(32);
			if (cells[i + 1])
				fmt_ns(cells[i + 1], 32, ns);
			if (tsv && !isnan(ns))
				fprintf(tsv, "%s\t%s\t%s\t%.1f\t%.0f\t%s\n",
					name, set->cols[i].release,
					set->cols[i].knob, ns, 1e9 / ns,
					set->cols[i].cpu);
		}
		report_table_row(d, set->n + 1, (const char *const *)cells);
		for (size_t i = 0; i < set->n; i++) {
			free(cells[i + 1]);
			cells[i + 1] = NULL;
		}
	}
	report_table_end(d);
	if (tsv && fclose(tsv))
		report_fail(d, "%s: %s", path, strerror(errno));
	else if (tsv)
		report_p(d,
			 "The same figures, one per line: bench-matrix.tsv.");
out:
	free(path);
	free(head);
	free(cells);
}

/* One bar per kernel (its defaults) for every benchmark: ns per page. */
static void plot(struct report_doc *d, const struct kset *set,
		 const char **names, size_t nnames)
{
	struct report_plot p;
	size_t ncols = 0;

	/* Runs that all have knobs leave no kernel's defaults to plot (gnuplot fails on none). */
	for (size_t i = 0; i < set->n; i++)
		ncols += !*set->cols[i].knob;
	if (!ncols)
		return;
	ncols = 0;
	if (report_plot_begin(&p, d, "kernels",
			      "Nanoseconds per page by kernel (icount time)",
			      PMIG_DETERMINISTIC_LABEL))
		return;
	fprintf(p.datf, "benchmark");
	for (size_t i = 0; i < set->n; i++) {
		if (*set->cols[i].knob)
			continue;
		fprintf(p.datf, "\t");
		report_gp_text(p.datf, set->cols[i].label);
		ncols++;
	}
	fprintf(p.datf, "\n");
	for (size_t j = 0; j < nnames; j++) {
		char name[160];

		short_name(names[j], name, sizeof(name));
		/* The copy bound is not a migration; its bar would dwarf nothing useful. */
		if (!strncmp(name, "memcpy/", 7))
			continue;
		report_gp_text(p.datf, name);
		for (size_t i = 0; i < set->n; i++) {
			double ns;

			if (*set->cols[i].knob)
				continue;
			ns = ns_per_page(&set->cols[i], names[j]);
			if (isnan(ns))
				fprintf(p.datf, "\tNaN");
			else
				fprintf(p.datf, "\t%.1f", ns);
		}
		fprintf(p.datf, "\n");
	}
	fprintf(p.gp,
		"set style data histograms\nset style histogram clustered gap 1\n"
		"set style fill solid 0.8 border -1\nset key outside right top\n"
		"set ylabel \"ns per page (1 ns = 1 instruction)\"\nset yrange [0:*]\n"
		"set xtics rotate by -30 left\nset bmargin 9\nset grid ytics\n"
		"plot for [i=2:%zu] \"%s\" using i:xtic(1) title columnheader(i)\n",
		ncols + 1, p.dat);
	report_plot_draw(&p, d, "ns per page for each benchmark and kernel");
}

/*
 * For every kernel but the oldest and every knob run on both: the gap to the
 * oldest kernel with each one's defaults, the gap with the knob on both, and
 * the share of the gap the knob explains.
 */
static void attribution(struct report_doc *d, const struct kset *set,
			const char **names, size_t nnames)
{
	static const char *const head[] = { "benchmark",     "kernel",
					    "knob",	     "gap (ns/page)",
					    "gap with knob", "explained" };
	const struct kcol *base = &set->cols[0];
	bool any = false;

	if (*base->knob)
		return;
	for (size_t k = 1; k < set->n; k++) {
		const struct kcol *kd = &set->cols[k];

		/* A gap across CPU models is the model's copy routines as much as the kernel's. */
		if (*kd->knob || kd->kv == base->kv ||
		    strcmp(kd->cpu, base->cpu))
			continue;
		for (size_t m = 1; m < set->n; m++) {
			const struct kcol *bk = &set->cols[m], *kk = NULL;

			if (!*bk->knob || bk->kv != base->kv ||
			    strcmp(bk->cpu, base->cpu))
				continue;
			for (size_t i = 0; i < set->n; i++)
				if (set->cols[i].kv == kd->kv &&
				    !strcmp(set->cols[i].knob, bk->knob) &&
				    !strcmp(set->cols[i].cpu, base->cpu))
					kk = &set->cols[i];
			if (!kk)
				continue;
			if (!any) {
				report_p(
					d,
					"What each knob explains of the gap to %s: the gap with both kernels' defaults, the gap with the knob on both, and the share it closes. What no knob closes is the kernels' own code path.",
					base->release);
				report_table_begin(d, 6, head);
				any = true;
			}
			for (size_t j = 0; j < nnames; j++) {
				double g = ns_per_page(kd, names[j]) -
					   ns_per_page(base, names[j]);
				double gk = ns_per_page(kk, names[j]) -
					    ns_per_page(bk, names[j]);
				char name[160], a[32], b[32], e[32];
				const char *cells[6] = { name,	   kd->release,
							 bk->knob, a,
							 b,	   e };

				short_name(names[j], name, sizeof(name));
				if (isnan(g) || isnan(gk) ||
				    !strncmp(name, "memcpy/", 7))
					continue;
				snprintf(a, sizeof(a), "%+.0f", g);
				snprintf(b, sizeof(b), "%+.0f", gk);
				if (fabs(g) < 1)
					snprintf(e, sizeof(e), "-");
				else
					snprintf(e, sizeof(e), "%.0f%%",
						 100 * (g - gk) / g);
				report_table_row(d, 6, cells);
			}
		}
	}
	if (any)
		report_table_end(d);
}

void report_kernels(struct report_doc *d, char **subs)
{
	struct kset set = { 0 };
	const char **names;
	size_t nnames = 0;

	report_each_file(d, subs, collect, &set);
	if (set.n < 2)
		goto out;
	qsort(set.cols, set.n, sizeof(*set.cols), by_kernel);
	if (!one_cpu(&set))
		label_cpus(&set);
	names = names_of(&set, &nnames);
	if (!names) {
		report_fail(d, "out of memory");
		goto out;
	}
	report_h(d, 2, "Kernels compared (instruction-counted)");
	report_note(
		d,
		"%s: each figure is the median time of a whole migration divided by its pages, in icount time (1 ns = 1 guest instruction), so a difference is a difference in the instructions the kernel executes for it.",
		PMIG_DETERMINISTIC_LABEL);
	if (!one_cpu(&set))
		report_note(
			d,
			"These runs were counted on more than one QEMU CPU model (each column names its own): the kernel copies and clears pages with other instructions on each (bench/README.md), so compare columns of one model only.");
	else if (*set.cols[0].cpu)
		report_p(d, "Every run was counted on QEMU CPU model %s.",
			 set.cols[0].cpu);
	table(d, &set, names, nnames);
	plot(d, &set, names, nnames);
	attribution(d, &set, names, nnames);
	free(names);
out:
	for (size_t i = 0; i < set.n; i++)
		kcol_free(&set.cols[i]);
	free(set.cols);
}
