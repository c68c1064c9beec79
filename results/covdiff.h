/* covdiff.h - what the suite reaches in one run and not in another (two kernels, or two runs of one): per file the counts, per function gained, lost, or present in one kernel only. */
#ifndef PMIG_COVDIFF_H
#define PMIG_COVDIFF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "coverage.h"

enum pmig_covdiff_kind {
	PMIG_COVDIFF_GAINED, /* reached by the suite in B, not in A */
	PMIG_COVDIFF_LOST, /* reached by the suite in A, not in B */
	PMIG_COVDIFF_ONLY_A, /* code in A's kernel only */
	PMIG_COVDIFF_ONLY_B,
};

struct pmig_covdiff_item {
	const char *file, *func; /* the runs' strings */
	enum pmig_covdiff_kind kind;
};

struct pmig_covdiff {
	struct pmig_covdiff_item
		*items; /* in the files' and functions' order */
	size_t n;
};

/**
 * What differs between @a and @b. Reached means by the suite: what only the
 * boot or the runner reached is no change of the suite's. A function counts
 * as present where it has code (not "inlined"). 0 or -ENOMEM.
 */
int pmig_covdiff(const struct pmig_cov *a, const struct pmig_cov *b,
		 struct pmig_covdiff *d);

/**
 * Prints @d: per file the suite's reached/total in A and B, then the
 * functions that changed; as Markdown (a table and lists) or as text.
 */
void pmig_covdiff_print(FILE *f, const struct pmig_cov *a,
			const struct pmig_cov *b, const struct pmig_covdiff *d,
			bool markdown);

/** What @kind says, in words ("reached in B only", ...). */
const char *pmig_covdiff_words(enum pmig_covdiff_kind kind);

void pmig_covdiff_free(struct pmig_covdiff *d);

#endif
