/* covdoc.c - docs/COVERAGE.md generated from coverage results and the hand-kept reasons. */
#include "covdoc.h"

#include "covtable.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

const struct pmig_cov_why pmig_cov_whys[] = {
#define PMIG_COV_WHY(path, func, kind, text) \
	{ path, func, PMIG_COV_WHY_##kind, text },
#include "coverage_reasons.def"
#undef PMIG_COV_WHY
};
const size_t pmig_cov_nwhys = sizeof(pmig_cov_whys) / sizeof(pmig_cov_whys[0]);

const struct pmig_cov_why *pmig_cov_why_of(const struct pmig_cov_why *whys,
					   size_t n, const char *path,
					   const char *func)
{
	const struct pmig_cov_why *file = NULL;
	size_t i;

	for (i = 0; i < n; i++) {
		if (strcmp(whys[i].path, path))
			continue;
		if (!strcmp(whys[i].func, func))
			return &whys[i];
		if (!strcmp(whys[i].func, "*"))
			file = &whys[i];
	}
	return file;
}

const char *pmig_cov_why_words(enum pmig_cov_why_kind kind)
{
	switch (kind) {
	case PMIG_COV_WHY_HARDWARE:
		return "needs hardware";
	case PMIG_COV_WHY_MODULE:
		return "needs a module Debian does not build";
	case PMIG_COV_WHY_CONFIG:
		return "not in Debian's configuration";
	case PMIG_COV_WHY_NOT_YET:
		break;
	}
	return "not yet covered";
}

static const char *status(const struct pmig_cov_func *f)
{
	if (!f)
		return "absent";
	if (f->state == PMIG_COV_NOCODE)
		return "inlined, no code";
	if (f->suite)
		return "reached";
	return f->state == PMIG_COV_REACHED ? "boot/runner only" :
					      "not reached";
}

static const char *suite_name(const struct pmig_cov *c)
{
	return c->suite ? c->suite : "pmig";
}

/* Whether some run of pmig's has code for @name in @path that its cases did not reach. */
static bool missed(const struct pmig_cov *runs, size_t n, const char *path,
		   const char *name)
{
	size_t k;

	for (k = 0; k < n; k++) {
		const struct pmig_cov_func *f =
			pmig_cov_func(pmig_cov_file(&runs[k], path), name);

		if (!pmig_cov_is_pmig(&runs[k]))
			continue;
		if (f && f->state != PMIG_COV_NOCODE && !f->suite)
			return true;
	}
	return false;
}

/* The scope's reason for measuring @path, and for a partial file that it is one. */
static void scope_line(FILE *f, const char *path)
{
	size_t i;

	for (i = 0; i < pmig_cov_nscope; i++)
		if (!strcmp(pmig_cov_scope[i].path, path)) {
			if (pmig_cov_scope[i].func)
				fputs("Only its migration functions count (results/coverage_scope.def says why each).\n\n",
				      f);
			else
				fprintf(f, "Measured whole: %s.\n\n",
					pmig_cov_scope[i].why);
			return;
		}
}

static void counts_line(FILE *f, const struct pmig_cov *c, const char *path)
{
	const struct pmig_cov_file *cf = pmig_cov_file(c, path);
	struct pmig_cov_counts n;

	if (!cf || !cf->nfuncs) {
		fprintf(f, "- %s, %s: not built\n", c->release, suite_name(c));
		return;
	}
	n = pmig_cov_count(c, cf);
	fprintf(f,
		"- %s, %s: its cases reach %zu of %zu functions (%zu with the boot and runner); %zu inlined without code of their own, not counted\n",
		c->release, suite_name(c), n.suite, n.total, n.reached,
		n.nocode);
}

/* The rows of one run's functions of @path not yet listed by an earlier run. */
static void rows(FILE *f, const struct pmig_cov *runs, size_t n, size_t k,
		 const char *path)
{
	const struct pmig_cov_file *cf = pmig_cov_file(&runs[k], path);
	const struct pmig_cov_why *why;
	size_t i, j, e;

	for (i = 0; cf && i < cf->nfuncs; i++) {
		const char *name = cf->funcs[i].name;
		bool seen = false;

		for (e = 0; e < k && !seen; e++)
			seen = pmig_cov_func(pmig_cov_file(&runs[e], path),
					     name);
		if (seen || !missed(runs, n, path, name))
			continue;
		fprintf(f, "| `%s` |", name);
		for (j = 0; j < n; j++)
			fprintf(f, " %s |",
				status(pmig_cov_func(
					pmig_cov_file(&runs[j], path), name)));
		why = pmig_cov_why_of(pmig_cov_whys, pmig_cov_nwhys, path,
				      name);
		fprintf(f, " %s%s%s |\n",
			pmig_cov_why_words(why ? why->kind :
						 PMIG_COV_WHY_NOT_YET),
			why ? ": " : "", why ? why->text : "");
	}
}

static void file_section(FILE *f, const struct pmig_cov *runs, size_t n,
			 const char *path)
{
	size_t k;

	fprintf(f, "## %s\n\n", path);
	scope_line(f, path);
	for (k = 0; k < n; k++)
		counts_line(f, &runs[k], path);
	fputs("\n| function |", f);
	for (k = 0; k < n; k++)
		fprintf(f, " %s %s |", runs[k].release, suite_name(&runs[k]));
	fputs(" why not reached |\n|---|", f);
	for (k = 0; k < n; k++)
		fputs("---|", f);
	fputs("---|\n", f);
	for (k = 0; k < n; k++)
		rows(f, runs, n, k, path);
	fputc('\n', f);
}

/* The hand-kept reasons themselves, whatever the results. */
static void reasons(FILE *f)
{
	size_t i;

	fputs("## The reasons kept by hand\n\n"
	      "`results/coverage_reasons.def`; a function of a file not named there is not yet\n"
	      "covered.\n\n| file | function | kind | why |\n|---|---|---|---|\n",
	      f);
	for (i = 0; i < pmig_cov_nwhys; i++)
		fprintf(f, "| `%s` | %s | %s | %s |\n", pmig_cov_whys[i].path,
			strcmp(pmig_cov_whys[i].func, "*") ?
				pmig_cov_whys[i].func :
				"all",
			pmig_cov_why_words(pmig_cov_whys[i].kind),
			pmig_cov_whys[i].text);
}

static int write_doc(FILE *f, const struct pmig_cov *runs, size_t n);

/* pmig's runs first, then the other suites', each in the order given. */
int pmig_covdoc_write(FILE *f, const struct pmig_cov *runs, size_t n)
{
	struct pmig_cov *order = calloc(n ? n : 1, sizeof(*order));
	size_t i, k = 0;
	int rc;

	if (!order)
		return -ENOMEM;
	for (i = 0; i < n; i++)
		if (pmig_cov_is_pmig(&runs[i]))
			order[k++] = runs[i];
	for (i = 0; i < n; i++)
		if (!pmig_cov_is_pmig(&runs[i]))
			order[k++] = runs[i];
	rc = write_doc(f, order, n);
	free(order);
	return rc;
}

static int write_doc(FILE *f, const struct pmig_cov *runs, size_t n)
{
	size_t i, k;

	fputs("# Kernel code coverage of the migration paths\n\n"
	      "Generated by `make coverage-doc` (`pmig coverage --doc` over the results in\n"
	      "`results/coverage/`) with the reasons of `results/coverage_reasons.def`; do not\n"
	      "edit. How it is measured: `pmig vm --coverage` records the kernel code the guest\n"
	      "executed, `pmig coverage RUN_DIR` attributes it to functions with the kernel's\n"
	      "DWARF (Debian's `linux-image-RELEASE-dbg`). A function is reached when code of it\n"
	      "ran, its own or a copy the compiler inlined elsewhere; \"inlined, no code\" is a\n"
	      "function the compiler left no code of (not counted); \"boot/runner only\" ran\n"
	      "only while the guest booted or between cases, not in any case. Below, per file,\n"
	      "every function pmig's cases do not reach on some kernel, and why; the columns\n"
	      "of another suite (kselftest's migration tests, `scripts/kselftest/`) show what\n"
	      "it reaches of them, measured the same way (`results/coverage/README.md`).\n\n",
	      f);
	if (!n) {
		fputs("No result is recorded yet in `results/coverage/`. To record one: `pmig vm\n"
		      "--coverage --kernel debian:trixie --topology 3node-cxl --out DIR -- conform`,\n"
		      "then `pmig coverage DIR` and `cp DIR/coverage.json results/coverage/KERNEL.json`,\n"
		      "then `make coverage-doc`.\n\n",
		      f);
		reasons(f);
		return ferror(f) ? -EIO : 0;
	}
	fputs("| file |", f);
	for (k = 0; k < n; k++)
		fprintf(f, " %s %s |", runs[k].release, suite_name(&runs[k]));
	fputs("\n|---|", f);
	for (k = 0; k < n; k++)
		fputs("---|", f);
	fputc('\n', f);
	for (i = 0; n && i < runs[0].nfiles; i++) {
		const char *path = runs[0].files[i].path;

		fprintf(f, "| `%s` |", path);
		for (k = 0; k < n; k++) {
			const struct pmig_cov_file *cf =
				pmig_cov_file(&runs[k], path);
			struct pmig_cov_counts c;

			if (!cf || !cf->nfuncs) {
				fputs(" not built |", f);
				continue;
			}
			c = pmig_cov_count(&runs[k], cf);
			fprintf(f, " %zu/%zu |", c.suite, c.total);
		}
		fputc('\n', f);
	}
	fputc('\n', f);
	for (i = 0; n && i < runs[0].nfiles; i++)
		file_section(f, runs, n, runs[0].files[i].path);
	reasons(f);
	return ferror(f) ? -EIO : 0;
}
