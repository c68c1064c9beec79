/* covtable.h - the files pmig coverage measures (coverage_scope.def) and their functions' address ranges, read from pmig-covdwarf's table of a kernel. */
#ifndef PMIG_COVTABLE_H
#define PMIG_COVTABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/** One line of coverage_scope.def: @func NULL counts the whole file. */
struct pmig_cov_scope {
	const char *path, *func, *why;
};

extern const struct pmig_cov_scope pmig_cov_scope[];
extern const size_t pmig_cov_nscope;

/** Code of a function: out of line (its own, a clone, a .cold part) or an inlined copy. */
struct pmig_covfn_range {
	uint64_t lo, hi; /* hi one past the end */
	bool inl;
};

struct pmig_covfn {
	char *name;
	int line; /* where the source defines it */
	struct pmig_covfn_range *r; /* none: no code in this build */
	size_t nr;
};

struct pmig_covtable_file {
	const char *path, *why; /* the scope's */
	bool whole; /* every function, or those the scope names */
	struct pmig_covfn *fns; /* in the order of their lines */
	size_t nfns; /* 0: the kernel does not build this file */
};

struct pmig_covtable {
	struct pmig_covtable_file *files; /* in the scope's order */
	size_t nfiles;
};

/**
 * Reads pmig-covdwarf's table ("FILE<TAB>FUNCTION<TAB>LINE<TAB>code|inline|none
 * <TAB>LOW<TAB>HIGH" lines) from @f, keeping the functions @scope (@n lines)
 * counts. 0, or -EINVAL with the line and what is wrong in @err (@len bytes).
 */
int pmig_covtable_read(FILE *f, const struct pmig_cov_scope *scope, size_t n,
		       struct pmig_covtable *t, char *err, size_t len);

void pmig_covtable_free(struct pmig_covtable *t);

#endif
