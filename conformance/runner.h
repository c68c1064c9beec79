/* runner.h - selects, runs and reports conformance cases; the spec-table checks and docs. */
#ifndef PMIG_RUNNER_H
#define PMIG_RUNNER_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "cases.h"

struct pmig_conform_opts {
	const char *filter; /* fnmatch glob on case ids, NULL for all */
	uint64_t seed;
	bool profile_forced;
	uint32_t profile; /* kernel version whose expectations apply */
	unsigned timeout_ms; /* per case */
	bool allow_oops; /* run cases whose known bug oopses this kernel */
	uint64_t
		random; /* > 0: run this many random scenarios instead of cases */
	uint64_t scenario; /* the first random scenario's id */
	const char *
		note; /* a line for the TAP header (what a killed run left, restored), or NULL */
};

/** Calls @fn for every case whose id matches @filter (NULL: all); returns how many matched. */
size_t pmig_cases_each(const char *filter,
		       void (*fn)(const struct pmig_case *c, void *arg),
		       void *arg);

struct pmig_run;
/** Runs the selected cases and prints TAP on stdout; *@run gets the results. 0 or -errno. */
int pmig_conform_run(const struct pmig_conform_opts *o, struct pmig_run **run);

/** What the rows can still get wrong: ids twice or not plain, profile entries for no row or no versions; problems go to @err. 0 or 1. */
int pmig_spec_check(FILE *err);
/**
 * docs/SPEC.md, generated from the spec table and profiles, and from
 * @matrix (a `pmig matrix` TSV, may be NULL) the result of every row on each
 * recorded kernel. 0, or -1 with errno when @matrix cannot be read.
 */
int pmig_spec_markdown(FILE *out, const char *matrix);

#endif
