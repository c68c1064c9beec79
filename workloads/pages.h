/* pages.h - page populations placed explicitly on a node (bind, then touch), with data checks. */
#ifndef PMIG_PAGES_H
#define PMIG_PAGES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/** The kinds of page a case can ask for. */
enum pmig_page_kind {
	PMIG_PAGE_ANON, /* private anonymous, bound to the node and written */
	PMIG_PAGE_SHARED_ANON, /* MAP_SHARED anonymous (shmem), bound and written */
	PMIG_PAGE_NEVER_TOUCHED, /* mapped, never accessed: no page behind it */
	PMIG_PAGE_ZERO, /* mapped, only read: the shared zero page */
	PMIG_PAGE_HOLE, /* an address range with no mapping at all */
};

struct pmig_pages {
	enum pmig_page_kind kind;
	size_t count;
	size_t page_size;
	char *base;
	size_t map_len; /* what to munmap; 0 for a hole */
	int node; /* node the pages were bound to, -1 if not placed */
	uint64_t seed; /* data pattern seed for written pages */
	void **addrs; /* count page addresses, for move_pages(2) */
};

/** Maps @len bytes of private anonymous memory with THP off; NULL on failure (errno set). */
void *pmig_map(size_t len, bool shared);

/**
 * Creates @count pages of @kind. Written kinds are bound to @node with
 * mbind(MPOL_BIND) before the first touch, filled with a pattern from @seed,
 * and their placement verified with a status query (-EIO if the kernel put
 * a page elsewhere). Returns 0 or -errno.
 */
int pmig_pages_create(struct pmig_pages *p, enum pmig_page_kind kind,
		      size_t count, int node, uint64_t seed);
void pmig_pages_destroy(struct pmig_pages *p);

/** Index of the first written page whose data no longer matches its pattern, or -1 if all match. */
long pmig_pages_first_corrupt(const struct pmig_pages *p);

/** Name of @kind for diagnostics ("anon", "never-touched", ...). */
const char *pmig_page_kind_name(enum pmig_page_kind kind);

#endif
