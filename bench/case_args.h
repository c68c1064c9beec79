/* case_args.h - a benchmark case as the timing program's arguments (key=value), and back: what the parent knows, the program needs. */
#ifndef PMIG_BENCH_CASE_ARGS_H
#define PMIG_BENCH_CASE_ARGS_H

#include <stdbool.h>

#include "strategy.h"

#define PMIG_CASE_ARGS 16 /* at most this many, the terminating NULL included */
#define PMIG_CASE_ARG_LEN 160

/** The words @c and the probe's choice of perf counters @perf make. */
struct pmig_case_args {
	char text[PMIG_CASE_ARGS][PMIG_CASE_ARG_LEN];
	char *argv[PMIG_CASE_ARGS];
	int argc;
};

/** Writes @c and @perf into @a (a->argv ends in NULL). */
void pmig_case_args_make(const struct pmig_bench_case *c, bool perf,
			 struct pmig_case_args *a);

/**
 * Reads the words back into @c (its from_cpus points into @argv) and *@perf.
 * 0, or -EINVAL naming the bad word in @why.
 */
int pmig_case_args_read(int argc, char *const argv[], struct pmig_bench_case *c,
			bool *perf, char *why, size_t len);

#endif
