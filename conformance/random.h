/* random.h - random move_pages(2) scenarios from a seed and an id: generated, described, turned into model input. */
#ifndef PMIG_RANDOM_H
#define PMIG_RANDOM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kver.h"
#include "model.h"

#define PMIG_RND_MAX_PAGES 6
#define PMIG_RND_MAX_ENTRIES 12
#define PMIG_RND_MAX_NODES 64

/* The page kinds the workloads build without any sysfs setting. */
enum pmig_rnd_kind {
	PMIG_RND_ANON, /* private anonymous, bound and written */
	PMIG_RND_NEVER_TOUCHED, /* mapped, never faulted in */
	PMIG_RND_ZERO, /* mapped, only read: the shared zero page */
	PMIG_RND_HOLE, /* unmapped */
	PMIG_RND_SHARED, /* written, then COW-shared with a child (a sharer) */
	PMIG_RND_PINNED, /* written, then referenced by a pipe (vmsplice) */
	PMIG_RND_NKINDS,
};

struct pmig_rnd_page {
	enum pmig_rnd_kind kind;
	int node; /* where it is bound; meaningful for the written kinds */
};

/* Entry i of the call: pages[i] = page @page's base + @offset, nodes[i] = @target. */
struct pmig_rnd_entry {
	unsigned page;
	unsigned
		offset; /* bytes into the page: nonzero is an unaligned address */
	int target;
};

/* What the machine offers a scenario: its memory nodes and an offline id. */
struct pmig_rnd_machine {
	int nodes[PMIG_RND_MAX_NODES];
	size_t nnodes;
	int offline;
};

struct pmig_rnd_scenario {
	uint64_t seed, id;
	size_t npages;
	struct pmig_rnd_page pages[PMIG_RND_MAX_PAGES];
	size_t count;
	struct pmig_rnd_entry entries[PMIG_RND_MAX_ENTRIES];
	bool query; /* nodes NULL */
	unsigned flags; /* PMIG_MODEL_MF_MOVE or PMIG_MODEL_MF_MOVE_ALL */
};

/** The scenario (@seed, @id) on machine @m: the same inputs give the same scenario. */
void pmig_rnd_generate(struct pmig_rnd_scenario *s, uint64_t seed, uint64_t id,
		       const struct pmig_rnd_machine *m);

/** A compact one-line description of @s ("MOVE p0=anon@1 ... | p0->1 p2+0x10->-1"). */
void pmig_rnd_format(const struct pmig_rnd_scenario *s, char *buf, size_t len);

const char *pmig_rnd_kind_name(enum pmig_rnd_kind kind);

/** Model input for @s, in caller-provided arrays. */
struct pmig_rnd_model {
	struct pmig_model_scenario sc;
	struct pmig_model_page pages[PMIG_RND_MAX_PAGES];
	struct pmig_model_entry entries[PMIG_RND_MAX_ENTRIES];
	struct pmig_model_node nodes[PMIG_MODEL_MAX_NUMNODES];
};

/**
 * Fills @out with what the model needs to predict @s on machine @m for
 * kernel @kver under the @profiles table; @cap_sys_nice says whether the
 * caller holds CAP_SYS_NICE (MPOL_MF_MOVE_ALL).
 */
void pmig_rnd_to_model(const struct pmig_rnd_scenario *s,
		       const struct pmig_rnd_machine *m, bool cap_sys_nice,
		       uint32_t kver, const struct pmig_profile_entry *profiles,
		       size_t nprofiles, struct pmig_rnd_model *out);

#endif
