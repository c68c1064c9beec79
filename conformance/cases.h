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
	int lower; /* a memory node in a slower memory tier than home's, -1 when none */
	uid_t nobody_uid; /* an unprivileged user for permission cases */
	gid_t nobody_gid;
	uint64_t seed; /* for data patterns; --seed makes a run reproducible */
	/*
	 * From the row, for a function that several rows share: which variant
	 * (a page kind, an offset, PMIG_TARGET_* bits...) and the MPOL_MF_*
	 * flags the call is made with.
	 */
	long arg;
	int flags;
};

/*
 * A case is one spec row (spec/README.md): the row names its function and
 * may add, as designated initializers of struct pmig_case, the argument,
 * capabilities, time limit and settings; registry.c builds the table from
 * spec/all.def.
 */
struct pmig_case {
	const char *id; /* the spec row it decides */
	void (*run)(const struct pmig_ctx *ctx);
	const char *file; /* where run is written, for docs/SPEC.md */
	long arg; /* ctx->arg */
	int flags; /* ctx->flags */
	uint64_t drop_caps; /* PMIG_CAP(CAP_x) bits removed before run() */
	unsigned timeout_ms; /* 0: the runner's default */
	/*
	 * The known bug (a PMIG_XFAIL) this case shows oopses the kernel: where
	 * the profile says this kernel has it, the case is a SKIP unless the run
	 * allows oopses (pmig conform --allow-oops), so that one known crash
	 * does not end a whole run and taint every case after it.
	 */
	bool oops_when_buggy;
	/*
	 * Settings (THP mode, hugepage pools, KSM...) the runner applies before
	 * the case's fork and restores after it is reaped, so a case killed at
	 * its timeout leaves nothing changed. One that cannot be applied makes
	 * the case a SKIP with the path and error. Paths and values may name
	 * nodes as {home}, {other} and {cpuless}, and the hugetlb size the
	 * cases use as {hugetlb_kB}. Named sets: case_settings.h.
	 */
	const struct pmig_setting *settings;
	size_t nsettings;
};

/** Every case, in spec/all.def order: the run order. */
extern const struct pmig_case pmig_cases[];
extern const size_t pmig_case_count;

/**
 * Defines the case function @fn that a spec row names, and records the file
 * it is written in. Used as a function head: PMIG_CASE(fn) { ... }.
 */
#define PMIG_CASE(fn)                                    \
	const char pmig_case_##fn##_file[] = __FILE__;   \
	void pmig_case_##fn(const struct pmig_ctx *ctx); \
	void pmig_case_##fn(const struct pmig_ctx *ctx)

/* What registry.c makes of a row's tail: fn, then the initializers. */
#define PMIG_CASE_DECLARE(fn, ...)                 \
	extern const char pmig_case_##fn##_file[]; \
	void pmig_case_##fn(const struct pmig_ctx *ctx);
#define PMIG_CASE_ENTRY(i, fn, ...)      \
	{ .id = i,                       \
	  .run = pmig_case_##fn,         \
	  .file = pmig_case_##fn##_file, \
	  __VA_ARGS__ },

#define PMIG_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/** The expected value for a page on (or moved to) @node. */
static inline long pmig_expected(const struct pmig_ctx *ctx, int node)
{
	return ctx->expect == PMIG_EXPECT_NODE ? node : ctx->expect;
}

/*
 * The node a page that was on @from should be on, where the row expects it on
 * @to: @from where a profile says nothing moves it (PMIG_EXPECT_STAYS).
 */
static inline long pmig_expected_move(const struct pmig_ctx *ctx, int to,
				      int from)
{
	return ctx->expect == PMIG_EXPECT_STAYS ? from : pmig_expected(ctx, to);
}

#endif
