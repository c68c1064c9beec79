/* random.h - random move_pages(2), migrate_pages(2) and mbind(2) scenarios from a seed and an id: generated, described, turned into model input. */
#ifndef PMIG_RANDOM_H
#define PMIG_RANDOM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kver.h"
#include "model.h"
#include "pagesizes.h"
#include "random_ops.h"

#define PMIG_RND_MAX_PAGES 6
#define PMIG_RND_MAX_ENTRIES 12
#define PMIG_RND_MAX_NODES 64

/*
 * The page kinds a scenario mixes. Each page has a region of its own: a
 * base page, or a huge page (the machine's THP or hugetlb size, aligned)
 * for the huge kinds, whose entries may point at any subpage (tail
 * addresses, and several addresses of one folio).
 *
 * KSM is left out: a merge waits for ksmd to scan the region twice (tens of
 * ms to seconds, depending on what else is mergeable), and whether it merged
 * can only be polled, so a scenario would be neither fast nor deterministic.
 * The move_pages.kind.ksm_* cases cover it.
 */
enum pmig_rnd_kind {
	PMIG_RND_ANON, /* private anonymous, bound and written */
	PMIG_RND_NEVER_TOUCHED, /* mapped, never faulted in */
	PMIG_RND_ZERO, /* mapped, only read: the shared zero page */
	PMIG_RND_HOLE, /* unmapped */
	PMIG_RND_SHARED, /* written, then COW-shared with a child (a sharer) */
	PMIG_RND_PINNED, /* written, then referenced by a pipe (vmsplice) */
	PMIG_RND_MLOCKED, /* written, then mlock(2)ed */
	PMIG_RND_SWAPPED, /* written, then swapped out (MADV_PAGEOUT): needs swap */
	PMIG_RND_MEMFD, /* MAP_SHARED page of a memfd (shmem), bound and written */
	PMIG_RND_FILE_CLEAN, /* page cache of a file on disk, synced, mapped read-only: needs a scratch dir */
	PMIG_RND_FILE_DIRTY, /* the same, mapped writable, written, not synced */
	PMIG_RND_THP, /* a PMD THP (MADV_HUGEPAGE), bound and written: needs THP */
	PMIG_RND_THP_SHARED, /* a THP COW-shared with a child */
	PMIG_RND_HUGETLB, /* a MAP_HUGETLB page: needs the hugetlb pool */
	PMIG_RND_NKINDS,
};

struct pmig_rnd_page {
	enum pmig_rnd_kind kind;
	int node; /* where it is bound; meaningful for the written kinds */
};

/* Entry i of the call: pages[i] = page @page's base + @offset, nodes[i] = @target. */
struct pmig_rnd_entry {
	unsigned page;
	unsigned offset; /* bytes into the region: below its page's size */
	int target;
};

/*
 * What the machine offers a scenario: its memory nodes, an offline id, and
 * the kinds it can build. The runner learns this once, after applying the
 * settings of the random run; a scenario is a function of (seed, id) AND
 * this description (the kinds it lacks are never drawn, which changes the
 * draws after them), so a replay needs a machine with the same nodes and
 * availability: the runner prints both in its TAP header.
 */
struct pmig_rnd_machine {
	int nodes[PMIG_RND_MAX_NODES];
	size_t nnodes;
	int offline;
	/*
	 * Page sizes (pmig_page_sizes()): offsets and folio sizes follow
	 * them, so a replay needs the same; the architecture, for profile
	 * entries that hold on one (uname -m, NULL: none).
	 */
	struct pmig_page_sizes sizes;
	const char *arch;
	bool thp; /* a MADV_HUGEPAGE fault makes a THP, and kpageflags can tell */
	bool hugetlb; /* every memory node has PMIG_RND_MAX_PAGES free pages of sizes.hugetlb */
	bool swap; /* MADV_PAGEOUT has swap space */
	bool scratch; /* a disk-backed directory for file pages (pmig_scratch_dir) */
};

struct pmig_rnd_scenario {
	uint64_t seed, id;
	struct pmig_page_sizes sizes; /* the machine's it was drawn for */
	size_t npages;
	struct pmig_rnd_page pages[PMIG_RND_MAX_PAGES];
	size_t count;
	struct pmig_rnd_entry entries[PMIG_RND_MAX_ENTRIES];
	bool query; /* nodes NULL */
	unsigned flags; /* PMIG_MODEL_MF_MOVE or PMIG_MODEL_MF_MOVE_ALL */
	/* migrate_pages(2) or mbind(2) instead: entries, query, flags unused */
	struct pmig_rnd_call call;
};

/** The scenario (@seed, @id) on machine @m: the same inputs give the same scenario. */
void pmig_rnd_generate(struct pmig_rnd_scenario *s, uint64_t seed, uint64_t id,
		       const struct pmig_rnd_machine *m);

/** Whether machine @m can build @kind. */
bool pmig_rnd_kind_available(const struct pmig_rnd_machine *m,
			     enum pmig_rnd_kind kind);

/** A compact one-line description of @s ("MOVE p0=anon@1 ... | p0->1 p2+0x10->-1"). */
void pmig_rnd_format(const struct pmig_rnd_scenario *s, char *buf, size_t len);

/** What @m offers beyond its nodes ("thp hugetlb swap scratch", "-" for none). */
void pmig_rnd_format_machine(const struct pmig_rnd_machine *m, char *buf,
			     size_t len);

const char *pmig_rnd_kind_name(enum pmig_rnd_kind kind);

/** Whether @kind is a huge page's region (THP, hugetlb). */
bool pmig_rnd_huge(enum pmig_rnd_kind kind);
/** The bytes of a region of @kind in @s: its base page, THP or hugetlb size. */
size_t pmig_rnd_region(const struct pmig_rnd_scenario *s,
		       enum pmig_rnd_kind kind);
/** Whether @kind has a page in memory whose node can be asked (written, not swapped). */
bool pmig_rnd_resident(enum pmig_rnd_kind kind);
/** Whether @kind was bound to its page's node and written (node meaningful). */
bool pmig_rnd_written(enum pmig_rnd_kind kind);

/*
 * Model input for @s, in caller-provided arrays. Model address p is page
 * p's region start; the entries that name another base page of a huge
 * page get addresses of their own after them (same folio, tail).
 */
#define PMIG_RND_MODEL_ADDRS (PMIG_RND_MAX_PAGES + PMIG_RND_MAX_ENTRIES)
struct pmig_rnd_model {
	struct pmig_model_scenario sc;
	struct pmig_model_page pages[PMIG_RND_MODEL_ADDRS];
	struct pmig_model_entry entries[PMIG_RND_MAX_ENTRIES];
	struct pmig_model_node nodes[PMIG_MODEL_MAX_NUMNODES];
};

/**
 * Fills @out with what the model needs to predict @s on machine @m (its
 * page geometry and architecture) for kernel @kver under the @profiles
 * table; @cap_sys_nice says whether the caller holds CAP_SYS_NICE
 * (MPOL_MF_MOVE_ALL).
 */
void pmig_rnd_to_model(const struct pmig_rnd_scenario *s,
		       const struct pmig_rnd_machine *m, bool cap_sys_nice,
		       uint32_t kver, const struct pmig_profile_entry *profiles,
		       size_t nprofiles, struct pmig_rnd_model *out);

#endif
