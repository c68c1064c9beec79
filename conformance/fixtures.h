/* fixtures.h - setup steps cases share; each ends the case as ERROR when it cannot be done. */
#ifndef PMIG_FIXTURES_H
#define PMIG_FIXTURES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cases.h"
#include "pages.h"
#include "procs.h"

/*
 * Node masks of 1024 bits passed with maxnode 1025: the kernel reads
 * maxnode - 1 bits (mm/mempolicy.c get_nodes() decrements it), and 1024
 * covers every MAX_NUMNODES x86-64 allows, so no bit beyond it is set.
 */
#define PMIG_MASK_BITS 1024
#define PMIG_MASK_MAXNODE (PMIG_MASK_BITS + 1)

struct pmig_nodemask {
	unsigned long bits[PMIG_MASK_BITS / (8 * sizeof(unsigned long))];
};

/** A mask with @node set (none for a node outside 0..1023). */
struct pmig_nodemask pmig_nodemask_of(int node);
/** A mask with @a and @b set; -1 leaves a bit out. */
struct pmig_nodemask pmig_nodemask_of2(int a, int b);
/** migrate_pages(2) of @pid from node @from to node @to. */
long pmig_migrate_one(pid_t pid, int from, int to);

/**
 * A /proc/vmstat counter after a write to /proc/sys/vm/stat_refresh (so
 * node counters' per-CPU deltas are in), or -1 when this kernel has none of
 * that name. ERROR when either file cannot be used.
 */
long long pmig_vmstat(const char *name);
/**
 * Whether frame @pfn (of @page_size bytes) lies in a memory block of @node
 * by sysfs (pmig_frame_on_node()): the witness beside move_pages(2)'s
 * status query. SKIPs when the block size cannot be read.
 */
bool pmig_frame_on(uint64_t pfn, size_t page_size, int node);

/**
 * Field @field ("MemFree", "MemTotal", ...) of @node's
 * /sys/devices/system/node/nodeN/meminfo, in bytes; ERROR when it cannot
 * be read.
 */
long long pmig_node_meminfo(int node, const char *field);

/** Diagnostic lines for every mapping of this process with pages on @node (numa_maps). */
void pmig_diag_left_on(int node);

/** pmig_pages_create(). */
void pmig_pages_setup(struct pmig_pages *p, enum pmig_page_kind kind,
		      size_t count, int node, unsigned long long seed);
/*
 * How pmig_target_setup() starts the target (some cases' arg): run by
 * nobody instead of the caller's uid; not dumpable, as after a uid change.
 */
#define PMIG_TARGET_NOBODY (1 << 0)
#define PMIG_TARGET_UNDUMPABLE (1 << 1)

/** A target process with one written page on ctx->home; @how: PMIG_TARGET_* bits. */
void pmig_target_setup(const struct pmig_ctx *ctx, struct pmig_target *t,
		       long how);
/** Switches the case process to the unprivileged user for good. */
void pmig_become_nobody(const struct pmig_ctx *ctx);
/** A page-sized area mapped with @prot, or not mapped at all for PROT_NONE. */
void *pmig_guard_page(int prot);
/** Starts a child that maps every page of @p, making them shared. */
pid_t pmig_sharer_setup(const struct pmig_pages *p);

#endif
