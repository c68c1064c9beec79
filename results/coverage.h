/* coverage.h - what a run reached of the scope's kernel functions: per function reached or not, by which epochs (boot, runner, the suite's cases), how often; built from the raw blocks, or read back from coverage.json. */
#ifndef PMIG_COVERAGE_H
#define PMIG_COVERAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "covraw.h"
#include "covsym.h"
#include "covtable.h"

/*
 * A function is reached when an executed translation block covers a byte of
 * its code: its own (out of line, clones and .cold parts included) or any
 * copy the compiler inlined into another function (DWARF records each such
 * copy's ranges). A function with neither in this build (DWARF knows it, but
 * every copy was optimized away) is PMIG_COV_NOCODE: never counted, neither
 * reached nor unreached. Reached by the suite means by an epoch of 2 and up
 * (a case or benchmark); reached only in epochs 0 and 1 is the boot's or the
 * runner's, not the suite's. Error rule: 0 or -errno.
 */

enum pmig_cov_state {
	PMIG_COV_UNREACHED,
	PMIG_COV_REACHED,
	PMIG_COV_NOCODE, /* "inlined" in coverage.json: no code of its own, not counted */
};

struct pmig_cov_func {
	char *name;
	int line;
	enum pmig_cov_state state;
	bool outline, inlined; /* has out-of-line code; has inlined copies */
	bool boot, runner, suite; /* reached in epoch 0, 1, 2 and up */
	uint64_t executions; /* block executions covering its code */
	uint64_t
		calls; /* executions of blocks starting at its entry (out of line) */
	char **symbols; /* System.map names at its code's starts */
	size_t nsymbols;
	char **cases; /* labels of the suite's epochs that reached it, in epoch order */
	size_t ncases;
};

struct pmig_cov_file {
	char *path;
	bool whole; /* every function of the file, or those the scope names */
	struct pmig_cov_func
		*funcs; /* none: the kernel does not build the file */
	size_t nfuncs;
};

struct pmig_cov {
	char *release, *arch, *package,
		*package_version; /* NULL when unknown */
	char *suite; /* whose cases: "pmig", or what the labels name (below) */
	struct pmig_cov_file *files;
	size_t nfiles;
	char **labels; /* the suite's epochs in the run, each once, in epoch order */
	size_t nlabels;
	size_t unnamed; /* code ranges that start where System.map has no symbol */
};

struct pmig_cov_counts {
	size_t total; /* functions with code */
	size_t reached, suite; /* reached at all; by the suite */
	size_t nocode;
};

/**
 * Attributes @raw's blocks to @t's functions; @m names their code (may be
 * NULL). @c gets the result; its strings are its own.
 */
int pmig_cov_build(struct pmig_cov *c, const struct pmig_covtable *t,
		   const struct pmig_symmap *m, const struct pmig_covraw *raw);

/**
 * The suite whose cases @labels (@n) are: a label "NAME:..." is suite NAME's
 * (cov-run.sh marks kselftest's tests "kselftest:PROGRAM:TEST"), one without
 * a colon pmig's (case ids have none); several suites joined by '+' in the
 * order they first appear, "pmig" for none. NULL when out of memory.
 */
char *pmig_cov_suite_of(const char *const *labels, size_t n);

/** Whether @c is pmig's own run (its suite "pmig"; unknown counts as pmig's). */
bool pmig_cov_is_pmig(const struct pmig_cov *c);

/** @f's counts (@f NULL: the whole run's). */
struct pmig_cov_counts pmig_cov_count(const struct pmig_cov *c,
				      const struct pmig_cov_file *f);

const struct pmig_cov_file *pmig_cov_file(const struct pmig_cov *c,
					  const char *path);
const struct pmig_cov_func *pmig_cov_func(const struct pmig_cov_file *f,
					  const char *name);

/** Adds @s to the set @v (@n strings) unless it is there; 0 or -ENOMEM. */
int pmig_cov_strs_add(char ***v, size_t *n, const char *s);

void pmig_cov_free(struct pmig_cov *c);

#endif
