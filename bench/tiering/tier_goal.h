/* tier_goal.h - whether a tiering run reached its goal, and its figures in one line: the one rule pmig bench and the readers of its JSON (KCIDB, JUnit, pmig report) apply. */
#ifndef PMIG_TIER_GOAL_H
#define PMIG_TIER_GOAL_H

#include <stdbool.h>
#include <stddef.h>

/*
 * A tiering run reaches its goal when every goal page got to its goal node
 * while the run was watched, within its limit (t100), was there at the
 * end, and no other page moved (none wrong). A goal page left behind or
 * sent to swap instead, or a page moved that should have stayed, is what
 * the strategy did on this kernel, not a harness error; but it is no PASS.
 */
struct pmig_tier_figures {
	/* Counts, -1 unknown; times, NAN never or unknown. */
	long goal_pages, moved_pages, wrong_pages, swapped_pages;
	double t90_ns, t100_ns;
	double duration_ns, limit_s;
};

/** Whether @f reached the goal; false when a figure the rule needs is unknown. */
bool pmig_tier_goal_reached(const struct pmig_tier_figures *f);

/**
 * @f in one line into @buf, for a reason or a message: "moved 2044/2048
 * goal pages, 0 wrong, 0 swapped, t90 5.1 s, t100 never (watched 10 s,
 * limit 10 s)"; an unknown count is "-", a time never reached (or unknown)
 * "never"; the watch and the limit only when t100 was not reached.
 */
const char *pmig_tier_goal_text(const struct pmig_tier_figures *f, char *buf,
				size_t len);

#endif
