/* verify.h - the checks after every timed migration (placement, contents) and the test hooks that make them fail on purpose. */
#ifndef PMIG_VERIFY_H
#define PMIG_VERIFY_H

#include <stdbool.h>

#include "strategy.h"

/**
 * Every base page of @p is on @node (a move_pages(2) status query) and,
 * with @data, every written page still holds its pattern. 0, or -1 after
 * pmig_bench_fail() naming the first wrong page; @when says which step
 * ("after migration", "after reset").
 */
int pmig_verify_pages(struct pmig_bench_state *st, const struct pmig_pages *p,
		      int node, bool data, const char *when);

/*
 * Test hooks, for proving that verification catches a wrong result:
 * PMIG_BENCH_CORRUPT=REGEX changes one word of one page, and
 * PMIG_BENCH_MISPLACE=REGEX moves one page back to the from node, right
 * after the first timed migration of every benchmark whose name matches
 * (POSIX extended regex).
 */
enum pmig_hook { PMIG_HOOK_NONE, PMIG_HOOK_CORRUPT, PMIG_HOOK_MISPLACE };

/** The hook the environment sets for benchmark @name. */
enum pmig_hook pmig_hook_for(const char *name);
/** Applies @hook to x->check. 0 or -errno. */
int pmig_hook_apply(struct pmig_bench_ctx *x, enum pmig_hook hook);

#endif
