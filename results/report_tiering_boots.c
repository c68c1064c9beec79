/* report_tiering_boots.c - `pmig report`'s tiering runs repeated over boots: for the files of one machine, kernel and clock, each run's time as median, min, max and spread, and its page counts' range. */
#include "report_tiering.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What makes two files boots of one configuration: the same words in their context. */
static const char *const same_keys[] = {
	"pmig_kernel",	"host_name", "pmig_emulation",
	"pmig_tiering", "pmig_mode",
};

static bool same_config(const struct tier_file *a, const struct tier_file *b)
{
	for (size_t i = 0; i < sizeof(same_keys) / sizeof(same_keys[0]); i++) {
		const char *x = pmig_bj_context(a->bj, same_keys[i]);
		const char *y = pmig_bj_context(b->bj, same_keys[i]);

		if (!x || !y ? x != y : strcmp(x, y) != 0)
			return false;
	}
	return (a->label == NULL) == (b->label == NULL) &&
	       (!a->label || !strcmp(a->label, b->label));
}

/* Run @name of file @f, or NULL. */
static const struct pmig_tier *
run_of(const struct tier_set *s, const struct tier_file *f, const char *name)
{
	for (size_t k = f->first; k < f->first + f->n; k++)
		if (!strcmp(s->runs[k].e->run_name, name))
			return &s->runs[k];
	return NULL;
}

static void fmt_range(char *buf, size_t size, long lo, long hi)
{
	if (lo < 0)
		snprintf(buf, size, "-");
	else if (lo == hi)
		snprintf(buf, size, "%ld", lo);
	else
		snprintf(buf, size, "%ld to %ld", lo, hi);
}

/* Range @r (-1 when empty) taking in count @v (-1: absent). */
static void widen(long r[2], long v)
{
	if (v < 0)
		return;
	if (r[0] < 0 || v < r[0])
		r[0] = v;
	if (v > r[1])
		r[1] = v;
}

#define NCOLS 9

/* One row: run @t of file @f (the first of its configuration) over every file like it. */
static void boots_row(struct report_doc *d, const struct tier_set *s, size_t fi,
		      const struct pmig_tier *t)
{
	double *v = calloc(s->nfiles, sizeof(*v));
	long moved[2] = { -1, -1 }, wrong[2] = { -1, -1 };
	struct pmig_tier_spread sp;
	char c[NCOLS][320];
	const char *cells[NCOLS], *cut;
	size_t n = 0;

	if (!v) {
		report_fail(d, "out of memory");
		return;
	}
	for (size_t j = fi; j < s->nfiles; j++) {
		const struct pmig_tier *o;

		if (!same_config(&s->files[fi], &s->files[j]))
			continue;
		o = run_of(s, &s->files[j], t->e->run_name);
		/* Its TLB refresher as well: the boots repeat with it, not without. */
		if (!o || o->state != PMIG_BJ_OK ||
		    !isfinite(o->e->real_time_ns) ||
		    o->tlb_refresh_us != t->tlb_refresh_us)
			continue;
		v[n++] = o->e->real_time_ns;
		widen(moved, o->moved_pages);
		widen(wrong, o->wrong_pages);
	}
	if (n < 2 || pmig_tier_spread(v, n, &sp)) {
		free(v);
		return;
	}
	snprintf(c[0], sizeof(c[0]), "%s (%s)", s->files[fi].kernel,
		 pmig_bj_context(s->files[fi].bj, "host_name") ?: "-");
	/* The name less Google Benchmark's "/iterations:1/manual_time". */
	cut = strstr(t->e->run_name, "/iterations:");
	snprintf(c[1], sizeof(c[1]), "%.*s",
		 (int)(cut ? (size_t)(cut - t->e->run_name) :
			     strlen(t->e->run_name)),
		 t->e->run_name);
	snprintf(c[2], sizeof(c[2]), "%zu", sp.n);
	report_fmt_ns(c[3], sizeof(c[3]), sp.median);
	report_fmt_ns(c[4], sizeof(c[4]), sp.min);
	report_fmt_ns(c[5], sizeof(c[5]), sp.max);
	if (isfinite(sp.spread))
		snprintf(c[6], sizeof(c[6]), "%.2f%%", 100 * sp.spread);
	else
		snprintf(c[6], sizeof(c[6]), "-");
	fmt_range(c[7], sizeof(c[7]), moved[0], moved[1]);
	fmt_range(c[8], sizeof(c[8]), wrong[0], wrong[1]);
	for (size_t k = 0; k < NCOLS; k++)
		cells[k] = c[k];
	report_table_row(d, NCOLS, cells);
	free(v);
}

void report_tier_boots(struct report_doc *d, const struct tier_set *s)
{
	static const char *const head[NCOLS] = {
		"kernel (machine)", "run",	   "boots",
		"median",	    "min",	   "max",
		"spread",	    "moved pages", "wrong pages",
	};
	bool any = false;

	for (size_t i = 0; i < s->nfiles; i++) {
		const struct tier_file *f = &s->files[i];
		size_t first = i, boots = 0;

		/* Each configuration once, at its first file. */
		for (size_t j = 0; j < s->nfiles; j++)
			if (same_config(f, &s->files[j])) {
				first = j < first ? j : first;
				boots++;
			}
		if (first != i || boots < 2)
			continue;
		if (!any) {
			report_h(d, 3, "Across boots");
			report_table_begin(d, NCOLS, head);
			any = true;
		}
		for (size_t k = f->first; k < f->first + f->n; k++)
			boots_row(d, s, i, &s->runs[k]);
	}
	if (!any)
		return;
	report_table_end(d);
	report_p(
		d,
		"Files of one machine, kernel and clock are boots of one configuration: each run's time (to 100%% of its goal pages, else the time watched) over the boots that verified it, its median, least and greatest, and the spread (greatest - least) / median. Under QEMU icount with the TLB refresher on (tlb_refresh_us) boots of 7.3 repeated to the instruction, on one CPU (2node-cxl) as on two (3node-cxl); without it they spread (bench/README.md, Tiering).");
}
