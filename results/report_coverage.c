/* report_coverage.c - pmig report's kernel coverage section: per coverage.json of the run, reached/total per file and the functions not reached; with two or more, what differs between them. */
#include "covdiff.h"
#include "covjson.h"
#include "report.h"

#include <stdlib.h>
#include <string.h>

struct cov_set {
	struct pmig_cov *runs;
	char **rels; /* each run's coverage.json, relative to the run directory */
	size_t n;
};

static int collect(struct report_doc *d, const struct report_file *f, void *arg)
{
	struct cov_set *s = arg;
	struct pmig_cov c, *runs;
	char why[256] = "", **rels;

	if (strcmp(f->name, "coverage.json"))
		return 0;
	if (pmig_covjson_read(f->path, &c, why, sizeof(why))) {
		report_bad_input(d, "%s: %s", f->rel,
				 why[0] ? why : "cannot read it");
		return 0;
	}
	runs = realloc(s->runs, (s->n + 1) * sizeof(*runs));
	if (runs)
		s->runs = runs;
	rels = realloc(s->rels, (s->n + 1) * sizeof(*rels));
	if (rels)
		s->rels = rels;
	if (!runs || !rels || !(s->rels[s->n] = strdup(f->rel))) {
		pmig_cov_free(&c);
		report_fail(d, "out of memory");
		return 0;
	}
	s->runs[s->n++] = c;
	return 1;
}

static const char *release(const struct pmig_cov *c)
{
	return c->release ? c->release : "unknown kernel";
}

/* "a, b, c" of @f's functions with code the suite did not reach (malloc()ed). */
static char *missed(const struct pmig_cov_file *f)
{
	size_t i, len = 0;
	char *s;

	for (i = 0; i < f->nfuncs; i++)
		len += strlen(f->funcs[i].name) + 2;
	s = calloc(len + 1, 1);
	for (i = 0; s && i < f->nfuncs; i++) {
		if (f->funcs[i].state == PMIG_COV_NOCODE || f->funcs[i].suite)
			continue;
		if (*s)
			strcat(s, ", ");
		strcat(s, f->funcs[i].name);
	}
	return s;
}

static void one_run(struct report_doc *d, const struct pmig_cov *c,
		    const char *rel)
{
	static const char *const head[] = { "file", "reached by the suite",
					    "reached (boot, runner too)",
					    "inlined, not counted" };
	struct pmig_cov_counts n;
	char cells[3][64], head3[256], *miss;
	const char *row[4];
	size_t i;

	/* Another suite's run (kselftest's) says so in its heading. */
	snprintf(head3, sizeof(head3), "%s%s%s", release(c),
		 pmig_cov_is_pmig(c) ? "" : ", ",
		 pmig_cov_is_pmig(c) ? "" : c->suite);
	report_h(d, 3, head3);
	if (c->package)
		report_p(d, "%s: %zu cases; symbols from %s %s.", rel,
			 c->nlabels, c->package,
			 c->package_version ? c->package_version : "");
	else
		report_p(d, "%s: %zu cases; symbols given by hand.", rel,
			 c->nlabels);
	report_table_begin(d, 4, head);
	for (i = 0; i < c->nfiles; i++) {
		row[0] = c->files[i].path;
		if (!c->files[i].nfuncs) {
			row[1] = row[2] = row[3] = "not built";
			report_table_row(d, 4, row);
			continue;
		}
		n = pmig_cov_count(c, &c->files[i]);
		snprintf(cells[0], sizeof(cells[0]), "%zu/%zu", n.suite,
			 n.total);
		snprintf(cells[1], sizeof(cells[1]), "%zu/%zu", n.reached,
			 n.total);
		snprintf(cells[2], sizeof(cells[2]), "%zu", n.nocode);
		row[1] = cells[0];
		row[2] = cells[1];
		row[3] = cells[2];
		report_table_row(d, 4, row);
	}
	report_table_end(d);
	for (i = 0; i < c->nfiles; i++) {
		miss = missed(&c->files[i]);
		if (miss && *miss)
			report_p(d, "%s, not reached by the suite: %s.",
				 c->files[i].path, miss);
		free(miss);
	}
}

static void two_runs(struct report_doc *d, const struct pmig_cov *a,
		     const char *ra, const struct pmig_cov *b, const char *rb)
{
	static const char *const head[] = { "file", "function", "change" };
	struct pmig_covdiff diff;
	size_t i;

	report_h(d, 3, "Difference");
	report_p(d, "A is %s (%s), B is %s (%s); reached means by the suite.",
		 ra, release(a), rb, release(b));
	if (pmig_covdiff(a, b, &diff)) {
		report_fail(d, "out of memory");
		return;
	}
	if (!diff.n) {
		report_p(d, "No function differs.");
	} else {
		report_table_begin(d, 3, head);
		for (i = 0; i < diff.n; i++) {
			const char *row[] = {
				diff.items[i].file, diff.items[i].func,
				pmig_covdiff_words(diff.items[i].kind)
			};

			report_table_row(d, 3, row);
		}
		report_table_end(d);
	}
	pmig_covdiff_free(&diff);
}

void report_coverage(struct report_doc *d, char **subs)
{
	struct cov_set s = { 0 };
	size_t i;

	report_each_file(d, subs, collect, &s);
	if (s.n) {
		report_h(d, 2, "Kernel coverage");
		report_p(
			d,
			"What the guest's kernel executed of the migration code (pmig vm --coverage, pmig coverage): per file, the functions the suite's cases reached, out of those with code in that kernel; a function reached only while booting or between cases is not the suite's; one the compiler left no code of is not counted.");
	}
	for (i = 0; i < s.n; i++)
		one_run(d, &s.runs[i], s.rels[i]);
	for (i = 1; i < s.n; i++)
		two_runs(d, &s.runs[0], s.rels[0], &s.runs[i], s.rels[i]);
	for (i = 0; i < s.n; i++) {
		pmig_cov_free(&s.runs[i]);
		free(s.rels[i]);
	}
	free(s.runs);
	free(s.rels);
}
