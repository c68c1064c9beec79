/* model.h - reference model of move_pages(2): predicts its return value, status[] and page placement from a scenario. */
#ifndef PMIG_MODEL_H
#define PMIG_MODEL_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kver.h"

/* Same values as <numaif.h>; the model needs no libnuma. */
#define PMIG_MODEL_MF_STRICT (1u << 0)
#define PMIG_MODEL_MF_MOVE (1u << 1)
#define PMIG_MODEL_MF_MOVE_ALL (1u << 2)

/*
 * The oldest kernel the model predicts. Older profile entries (2.6.28's
 * -ENOENT when nothing moves, 2.6.29's -E2BIG) are the cases' alone.
 */
#define PMIG_MODEL_KV_OLDEST PMIG_KV(3, 10, 0)

/* A status[] entry the call did not write: neither a node nor an errno. */
#define PMIG_MODEL_UNWRITTEN (INT_MIN + 7)
/* The kernel's MAX_NUMNODES bound for target nodes (CONFIG_NODES_SHIFT 10). */
#define PMIG_MODEL_MAX_NUMNODES 1024

/* What lies behind one address of the target process. */
enum pmig_model_kind {
	PMIG_MODEL_ANON, /* written private anonymous page (also mlocked) */
	PMIG_MODEL_NEVER_TOUCHED, /* mapped anonymous, never faulted in */
	PMIG_MODEL_ZERO, /* only read: the shared zero page */
	PMIG_MODEL_HUGE_ZERO, /* only read, THP-eligible: the huge zero page */
	PMIG_MODEL_HOLE, /* no VMA */
	PMIG_MODEL_SWAPPED, /* a swap entry, no page */
	PMIG_MODEL_THP, /* part of a transparent huge page */
	PMIG_MODEL_HUGETLB, /* part of a hugetlb page */
	PMIG_MODEL_FILE, /* page cache: file, memfd or shmem */
};

/*
 * One address in the target process. Addresses that share a nonzero @folio
 * are in one folio (subpages of a THP, duplicates, unaligned addresses);
 * their @node, @unmovable, @shared and @nr_pages must agree.
 */
struct pmig_model_page {
	enum pmig_model_kind kind;
	int node; /* where the page is; ignored for kinds without a page */
	size_t folio; /* folio id; 0: a folio of its own */
	unsigned long nr_pages; /* base pages of the folio; 0: the geometry's */
	bool tail; /* the address is not the folio's first page */
	bool shared; /* mapped by another process too (MAP_SHARED, COW, KSM) */
	bool unmovable; /* an extra reference (pin): migration of it fails */
};

/*
 * The machine's page geometry, data of the scenario like its nodes: how
 * many base pages a THP and a hugetlb page cover (what a target node must
 * have free to take one), and the base page size (profile entries may
 * hold for one size only). x86-64: 4 KiB, 512, 512; arm64 with 16 KiB
 * pages: 2048 and 2048 (32 MiB); ppc64le with 64 KiB pages: 32 and 32.
 */
struct pmig_model_geometry {
	size_t page_size; /* bytes; 0: unknown */
	unsigned long thp_pages;
	unsigned long hugetlb_pages;
};

/* One entry of the call: pages[i] is address @page, nodes[i] is @target. */
struct pmig_model_entry {
	size_t page;
	int target;
};

/* Facts about node id i (index into pmig_model_scenario.nodes). */
struct pmig_model_node {
	bool online;
	bool has_memory; /* N_MEMORY */
	bool in_target_cpuset; /* cpuset_mems_allowed(target) */
	bool in_caller_cpuset; /* the caller's allocations may use it */
	long free_pages; /* pages the node can give; < 0: unlimited */
};

enum pmig_model_pid {
	PMIG_MODEL_PID_SELF, /* pid 0 */
	PMIG_MODEL_PID_PROCESS, /* another live user process */
	PMIG_MODEL_PID_NONE, /* no such pid */
	PMIG_MODEL_PID_KTHREAD,
	PMIG_MODEL_PID_ZOMBIE,
};

struct pmig_model_scenario {
	const struct pmig_model_page *pages;
	size_t npages;
	const struct pmig_model_entry *entries;
	size_t count; /* the call's count */
	bool query; /* nodes == NULL: status query */
	unsigned flags;

	/* Caller and target. */
	enum pmig_model_pid pid;
	bool cap_sys_nice;
	bool cap_sys_ptrace;
	bool same_uid; /* caller and target share a uid */
	bool target_dumpable;

	/* Nodes 0..nnodes-1; ids beyond are offline. */
	const struct pmig_model_node *nodes;
	size_t nnodes;

	/* User memory faults: reading pages[i] or nodes[i] at @fault_at. */
	size_t fault_at; /* SIZE_MAX: none */
	bool status_readonly; /* every status[] write faults */

	/* Page sizes: a THP or hugetlb page with nr_pages 0 covers these. */
	struct pmig_model_geometry geometry;

	/*
	 * Kernel version, architecture (uname -m; NULL: none named) and the
	 * profile table (PMIG_OVERRIDE entries) the conformance runner uses;
	 * @profiles NULL predicts today's mainline.
	 */
	uint32_t kver;
	const char *arch;
	const struct pmig_profile_entry *profiles;
	size_t nprofiles;
};

/**
 * Predicts move_pages(2) for @sc: returns what the syscall returns (0, a
 * positive count of pages not migrated, or -errno). @status (sc->count
 * entries) receives the statuses, PMIG_MODEL_UNWRITTEN where the kernel
 * writes none; @final_node (sc->npages entries, may be NULL) receives the
 * node each address's page is on afterwards (the page's @node where it
 * did not move).
 */
long pmig_model_move_pages(const struct pmig_model_scenario *sc, int *status,
			   int *final_node);

/** A scenario with sane defaults: pid 0, no faults, mainline, MPOL_MF_MOVE. */
void pmig_model_scenario_init(struct pmig_model_scenario *sc);

/*
 * migrate_pages(2) and mbind(2) with MPOL_MF_MOVE* on the same scenarios.
 * Node sets are bit masks of node ids below 64 (the random scenarios use
 * no more). Neither call reports statuses: the models predict the return
 * value and where each address's page ends up. Both count only the
 * scenario's pages; a real process has more (its stack, libc, [vvar]),
 * so a caller compares migrate_pages(2)'s positive return with a baseline
 * (see conformance/random_run.c). Neither model honours free_pages.
 */
typedef uint64_t pmig_model_nodemask;

/**
 * Predicts migrate_pages(@sc->pid, old = @old_nodes, new = @new_nodes):
 * -errno, or the number of the scenario's folios that could not be moved.
 * sc->cap_sys_nice selects MPOL_MF_MOVE_ALL as the kernel does; sc->flags,
 * entries and count are not used. @final_node as for move_pages.
 */
long pmig_model_migrate_pages(const struct pmig_model_scenario *sc,
			      pmig_model_nodemask old_nodes,
			      pmig_model_nodemask new_nodes, int *final_node);

/* The policies the mbind model knows (values as <numaif.h>). */
enum pmig_model_mpol {
	PMIG_MODEL_MPOL_DEFAULT = 0,
	PMIG_MODEL_MPOL_PREFERRED = 1,
	PMIG_MODEL_MPOL_BIND = 2,
};

/* One mbind(2) call over scenario pages [first, first + npages). */
struct pmig_model_mbind {
	size_t first,
		npages; /* the range, in scenario pages; npages 0: len 0 */
	bool gap; /* the range crosses an unmapped gap (a hole page counts too) */
	bool unmapped; /* nothing in the range is mapped */
	enum pmig_model_mpol mode;
	pmig_model_nodemask
		nodes; /* BIND and PREFERRED: one node is predictable */
	unsigned flags; /* PMIG_MODEL_MF_* */
};

/**
 * Predicts mbind(2) with @mb on @sc: 0 or -errno; @final_node as for
 * move_pages. Pages of the range on a node outside the new policy's nodes
 * go to the policy's first node. A BIND over several nodes, and
 * MPOL_DEFAULT with MOVE, are refused (abort): where their pages land
 * depends on the calling CPU. Every error before the walk (-EINVAL,
 * -EPERM, -EFAULT) leaves every page where it was; -EIO may not.
 */
long pmig_model_mbind(const struct pmig_model_scenario *sc,
		      const struct pmig_model_mbind *mb, int *final_node);

#endif
