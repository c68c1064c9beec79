/* spec.h - the conformance spec table: one row per behaviour, with its expected value and origin. */
#ifndef PMIG_SPEC_H
#define PMIG_SPEC_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "kver.h"

enum pmig_spec_kind {
	PMIG_KIND_RETURN, /* the syscall's return value (0, count, or -errno) */
	PMIG_KIND_STATUS, /* a move_pages(2) status[] entry */
	PMIG_KIND_INVARIANT, /* a property checked after migrating calls */
};

/* Expected values that are not numbers known in advance. */
#define PMIG_EXPECT_NODE (LONG_MIN + 1) /* the node id the page is (now) on */
#define PMIG_EXPECT_HOLDS (LONG_MIN + 2) /* the invariant holds */
/* The pages stay on the node they were on: nothing migrates them (a profile value). */
#define PMIG_EXPECT_STAYS (LONG_MIN + 3)

/* Prerequisites; a case whose needs are unmet is a SKIP with the reason. */
#define PMIG_NEED_ROOT (1u << 0) /* uid 0 with full capabilities */
#define PMIG_NEED_NODES2 (1u << 1) /* two NUMA nodes with memory */
#define PMIG_NEED_KTHREAD \
	(1u << 2) /* a kernel thread visible in this pid namespace */
#define PMIG_NEED_CPULESS (1u << 3) /* a memory node without CPUs */
#define PMIG_NEED_MEMORYLESS (1u << 4) /* an online node without memory */
/* A memory node in a slower memory tier than home's (sysfs memory_tiering). */
#define PMIG_NEED_LOWER_TIER (1u << 5)

/**
 * A kernel commit the spec cites (spec/commits.def): its subject and first
 * mainline release written once, so every row citing it agrees.
 */
struct pmig_commit {
	const char *hash; /* 12 lowercase hex digits */
	const char *subject;
	uint32_t release; /* first mainline release, PMIG_KV(major, minor, 0) */
	const uint32_t
		*stable; /* stable releases with a backport, 0-ended; or NULL */
	/* the audit: where subject and release were confirmed, or "unconfirmed..." */
	const char *subject_seen;
	const char *release_seen;
};

/** Whether audit field @seen says "unconfirmed". */
bool pmig_commit_unconfirmed(const char *seen);

struct pmig_spec {
	const char *id; /* syscall.kind.behaviour */
	const char *syscall;
	enum pmig_spec_kind kind;
	long expect; /* today's kernel, mainline */
	const char *
		spec2006; /* what the 2006 text (seeds/003) says, or NULL if silent */
	unsigned needs;
	const char *condition; /* the situation the case sets up */
	const char *origin; /* where the expectation comes from */
	/* the commits @origin names, NULL-terminated; NULL when it names none */
	const struct pmig_commit *const *commits;
};

extern const struct pmig_commit *const pmig_commits[];
extern const size_t pmig_commit_count;
extern const struct pmig_spec pmig_spec_table[];
extern const size_t pmig_spec_count;
extern const struct pmig_profile_entry pmig_profiles[];
extern const size_t pmig_profile_count;

const struct pmig_spec *pmig_spec_find(const char *id);
/** What row @s expects on @on: its PMIG_OVERRIDE there, else the row's value. */
long pmig_spec_expect_on(const struct pmig_spec *s,
			 const struct pmig_platform *on);
/** "-ENOENT", "node", "holds", "0"; @buf holds the text when needed. */
const char *pmig_expect_text(long expect, char *buf, unsigned len);
/** The names of @needs ("root, 2 memory nodes"), for docs and skip reasons. */
const char *pmig_needs_text(unsigned needs, char *buf, unsigned len);

#endif
