/* refmig.h - the user-space reference migrator: copy to memory bound to the target node, mremap the copy over the original. */
#ifndef PMIG_REFMIG_H
#define PMIG_REFMIG_H

#include <stddef.h>

/** What one pmig_refmig() call did. */
struct pmig_refmig_stats {
	size_t bytes; /* bytes copied */
	size_t pages; /* base pages copied (bytes / page size) */
};

/**
 * Moves the pages of [@addr, @addr + @len) to @node the way a program could
 * without the kernel's migration: maps a new private anonymous region, binds
 * it to @node (MPOL_BIND) before its first touch, copies the data in, gives
 * the copy the original's memory policy, protections, THP advice and mlock,
 * and mremaps it over the original, so the same addresses now read the
 * copies. The old pages are freed.
 *
 * Preconditions, else -EINVAL and nothing changed: @addr and @len page
 * aligned, @len > 0, the whole range inside ONE private anonymous mapping
 * (no file, no MAP_SHARED, not the heap or stack) that is readable, and
 * @node >= 0. Other attributes of the old mapping (MADV_DONTFORK,
 * MADV_DONTDUMP, userfaultfd, KSM) are not carried over. Single-threaded
 * use only: another thread writing the range during the copy loses its
 * write. Returns 0 or -errno (the original is intact on every error).
 * @st may be NULL.
 */
int pmig_refmig(void *addr, size_t len, int node, struct pmig_refmig_stats *st);

/**
 * Checks the node of every base page of [@addr, @addr + @len) with
 * move_pages(2) status queries, in chunks. Returns how many pages are on
 * @node (so len / page size when all are), or -errno when a query fails;
 * *@first_off (if not NULL) gets the index of the first page elsewhere, or
 * -1, and *@first_status its status (a node or a negative errno).
 */
long pmig_range_count_on_node(void *addr, size_t len, int node, long *first_off,
			      int *first_status);

#endif
