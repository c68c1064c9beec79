/* boot_compare.h - `pmig compare BASE... -- NEW...` and `pmig compare --spread FILE...`: several boots a side, each file one boot, judged by boots.h's rule. */
#ifndef PMIG_BOOT_COMPARE_H
#define PMIG_BOOT_COMPARE_H

#include <stdbool.h>
#include <stddef.h>

#include "compare.h"

struct pmig_boot_opts {
	double alpha;
	double min_change; /* set to the icount threshold unless given */
	bool threshold_given;
	const char *metric; /* NULL: time */
	enum pmig_direction dir;
	bool allow_emulated;
	const char *layout; /* a pmig compare --spread output, or NULL */
};

/**
 * Compares @nb files @base against @nn files @new_f, one row per benchmark
 * on stdout. The exit status: 0, 1 on a regression, 2 on bad input (one
 * line on stderr, nothing on stdout).
 */
int pmig_boot_compare(char *const *base, size_t nb, char *const *new_f,
		      size_t nn, struct pmig_boot_opts *o);

/**
 * The spread of the boots' medians per benchmark of @n files, as a table
 * --layout reads back. Exit status 0, or 2 on bad input.
 */
int pmig_boot_spread(char *const *files, size_t n, const char *metric);

#endif
