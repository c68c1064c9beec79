/* cases.h - what a conformance case is (a spec id plus a function) and what it is given to run. */
#ifndef PMIG_CASES_H
#define PMIG_CASES_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "settings.h"
#include "spec.h"

/** Everything a case needs to know, decided by the runner before the fork. */
struct pmig_ctx {
	const struct pmig_spec *spec;
	long expect; /* the row's value, or the kernel profile's override */
	int home; /* first allowed memory node: where cases place pages */
	int other; /* a second allowed memory node, -1 when there is none */
	int offline; /* the lowest node id that is not online */
	int cpuless; /* a memory node without CPUs (CXL-like), -1 when none */
	int memoryless; /* an online node without memory, -1 when none */
	uid_t nobody_uid; /* an unprivileged user for permission cases */
	gid_t nobody_gid;
	uint64_t seed; /* for data patterns; --seed makes a run reproducible */
};

struct pmig_case {
	const char *id; /* the spec row it decides */
	void (*run)(const struct pmig_ctx *ctx);
	uint64_t drop_caps; /* PMIG_CAP(CAP_x) bits removed before run() */
	unsigned timeout_ms; /* 0: the runner's default */
	/*
	 * Settings (THP mode, hugepage pools, KSM...) the runner applies before
	 * the case's fork and restores after it is reaped, so a case killed at
	 * its timeout leaves nothing changed. One that cannot be applied makes
	 * the case a SKIP with the path and error. Paths and values may name
	 * nodes as {home}, {other} and {cpuless}.
	 */
	const struct pmig_setting *settings;
	size_t nsettings;
};

struct pmig_case_group {
	const struct pmig_case *cases;
	size_t count;
	const char *file; /* where the cases are written, for docs/SPEC.md */
};

/** The group of the @cases array defined in this file. */
#define PMIG_CASE_GROUP(cases)                          \
	{                                               \
		cases, PMIG_ARRAY_SIZE(cases), __FILE__ \
	}

#define PMIG_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

extern const struct pmig_case_group pmig_move_pages_group;
extern const struct pmig_case_group pmig_migrate_pages_group;
extern const struct pmig_case_group pmig_page_kinds_group;
extern const struct pmig_case_group pmig_huge_kinds_group;
extern const struct pmig_case_group pmig_edges_group;
extern const struct pmig_case_group pmig_mbind_group;
extern const struct pmig_case_group pmig_cpuset_group;

/** Every group, in run order. */
extern const struct pmig_case_group *const pmig_case_groups[];
extern const size_t pmig_case_group_count;

/** The expected value for a page on (or moved to) @node. */
static inline long pmig_expected(const struct pmig_ctx *ctx, int node)
{
	return ctx->expect == PMIG_EXPECT_NODE ? node : ctx->expect;
}

#endif
