/* covdiff.c - two coverage results compared function by function. */
#include "covdiff.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static int push(struct pmig_covdiff *d, const char *file, const char *func,
		enum pmig_covdiff_kind kind)
{
	struct pmig_covdiff_item *it =
		realloc(d->items, (d->n + 1) * sizeof(*it));

	if (!it)
		return -ENOMEM;
	d->items = it;
	it[d->n].file = file;
	it[d->n].func = func;
	it[d->n].kind = kind;
	d->n++;
	return 0;
}

static bool has_code(const struct pmig_cov_func *f)
{
	return f && f->state != PMIG_COV_NOCODE;
}

/* @x's functions against @y's; with @first also the ones both have. */
static int one_side(const struct pmig_cov_file *x,
		    const struct pmig_cov_file *y, bool first,
		    struct pmig_covdiff *d)
{
	size_t i;
	int rc = 0;

	for (i = 0; !rc && x && i < x->nfuncs; i++) {
		const struct pmig_cov_func *fx = &x->funcs[i];
		const struct pmig_cov_func *fy = pmig_cov_func(y, fx->name);

		if (!has_code(fx))
			continue;
		if (!has_code(fy))
			rc = push(d, x->path, fx->name,
				  first ? PMIG_COVDIFF_ONLY_A :
					  PMIG_COVDIFF_ONLY_B);
		else if (first && fx->suite != fy->suite)
			rc = push(d, x->path, fx->name,
				  fx->suite ? PMIG_COVDIFF_LOST :
					      PMIG_COVDIFF_GAINED);
	}
	return rc;
}

int pmig_covdiff(const struct pmig_cov *a, const struct pmig_cov *b,
		 struct pmig_covdiff *d)
{
	size_t i;
	int rc = 0;

	memset(d, 0, sizeof(*d));
	for (i = 0; !rc && i < a->nfiles; i++) {
		const struct pmig_cov_file *fa = &a->files[i];
		const struct pmig_cov_file *fb = pmig_cov_file(b, fa->path);

		rc = one_side(fa, fb, true, d);
		if (!rc)
			rc = one_side(fb, fa, false, d);
	}
	for (i = 0; !rc && i < b->nfiles; i++)
		if (!pmig_cov_file(a, b->files[i].path))
			rc = one_side(&b->files[i], NULL, false, d);
	if (rc)
		pmig_covdiff_free(d);
	return rc;
}

static const char *const kind_words[] = {
	[PMIG_COVDIFF_GAINED] = "reached in B only",
	[PMIG_COVDIFF_LOST] = "reached in A only",
	[PMIG_COVDIFF_ONLY_A] = "in A's kernel only",
	[PMIG_COVDIFF_ONLY_B] = "in B's kernel only",
};

const char *pmig_covdiff_words(enum pmig_covdiff_kind kind)
{
	return kind_words[kind];
}

static void counts(FILE *f, const struct pmig_cov *c, const char *path)
{
	const struct pmig_cov_file *cf = pmig_cov_file(c, path);
	struct pmig_cov_counts n;

	if (!cf || !cf->nfuncs) {
		fputs("not built", f);
		return;
	}
	n = pmig_cov_count(c, cf);
	fprintf(f, "%zu/%zu", n.suite, n.total);
}

static void file_line(FILE *f, const struct pmig_cov *a,
		      const struct pmig_cov *b, const char *path, bool md)
{
	fprintf(f, md ? "| `%s` | " : "  %-28s ", path);
	counts(f, a, path);
	fputs(md ? " | " : "  ->  ", f);
	counts(f, b, path);
	fputs(md ? " |\n" : "\n", f);
}

static const char *name_of(const struct pmig_cov *c)
{
	return c->release ? c->release : "unknown kernel";
}

void pmig_covdiff_print(FILE *f, const struct pmig_cov *a,
			const struct pmig_cov *b, const struct pmig_covdiff *d,
			bool md)
{
	size_t i;

	fprintf(f,
		md ? "Reached by the suite, A (%s) and B (%s):\n\n| file | A | B |\n|---|---|---|\n" :
		     "reached by the suite: A (%s) -> B (%s)\n",
		name_of(a), name_of(b));
	for (i = 0; i < a->nfiles; i++)
		file_line(f, a, b, a->files[i].path, md);
	for (i = 0; i < b->nfiles; i++)
		if (!pmig_cov_file(a, b->files[i].path))
			file_line(f, a, b, b->files[i].path, md);
	if (!d->n) {
		fputs(md ? "\nNo function differs.\n" : "no function differs\n",
		      f);
		return;
	}
	fputs(md ? "\n" : "", f);
	for (i = 0; i < d->n; i++)
		fprintf(f, md ? "- `%s` `%s`: %s\n" : "  %s %s: %s\n",
			d->items[i].file, d->items[i].func,
			kind_words[d->items[i].kind]);
}

void pmig_covdiff_free(struct pmig_covdiff *d)
{
	free(d->items);
	memset(d, 0, sizeof(*d));
}
