/* covdoc.h - docs/COVERAGE.md: per file of the migration code, the functions pmig's suite does not reach on each kernel measured, and why (coverage_reasons.def). */
#ifndef PMIG_COVDOC_H
#define PMIG_COVDOC_H

#include <stddef.h>
#include <stdio.h>

#include "coverage.h"

enum pmig_cov_why_kind {
	PMIG_COV_WHY_HARDWARE,
	PMIG_COV_WHY_MODULE,
	PMIG_COV_WHY_CONFIG,
	PMIG_COV_WHY_NOT_YET,
};

struct pmig_cov_why {
	const char *path, *func; /* func "*": the whole file */
	enum pmig_cov_why_kind kind;
	const char *text;
};

extern const struct pmig_cov_why pmig_cov_whys[];
extern const size_t pmig_cov_nwhys;

/** Why @func of @path is not reached: its own line, its file's "*", or NULL (not yet covered). */
const struct pmig_cov_why *pmig_cov_why_of(const struct pmig_cov_why *whys,
					   size_t n, const char *path,
					   const char *func);

/** The words of @kind ("needs hardware", ...). */
const char *pmig_cov_why_words(enum pmig_cov_why_kind kind);

/**
 * docs/COVERAGE.md from @n runs (pmig's, one per kernel, in that order; then
 * other suites', whose columns stand beside pmig's); 0, -EIO or -ENOMEM.
 */
int pmig_covdoc_write(FILE *f, const struct pmig_cov *runs, size_t n);

#endif
