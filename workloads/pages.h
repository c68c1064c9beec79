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
	PMIG_PAGE_THP, /* THP-size aligned, MADV_HUGEPAGE, bound and written: THPs when the kernel makes them */
	PMIG_PAGE_HUGETLB, /* MAP_HUGETLB pages of pmig_page_sizes()->hugetlb, bound and written */
	PMIG_PAGE_HUGE_ZERO, /* THP-size aligned, MADV_HUGEPAGE, only read: the huge zero page when THP allows it */
	PMIG_PAGE_MEMFD, /* MAP_SHARED of a memfd (shmem), bound and written */
	PMIG_PAGE_FILE_CLEAN, /* read-only MAP_SHARED of a file on disk, written with pwrite(2) and synced */
	PMIG_PAGE_FILE_DIRTY, /* writable MAP_SHARED of such a file, written and not synced */
	PMIG_PAGE_KSM, /* private anonymous, MADV_MERGEABLE, bound, every page with the same contents */
	PMIG_PAGE_MLOCKED, /* private anonymous, bound, written, then mlock(2)ed */
};

struct pmig_pages {
	enum pmig_page_kind kind;
	size_t count;
	size_t page_size; /* the base page, or the THP or hugetlb size (pagesizes.h) */
	char *base;
	size_t map_len; /* what to munmap; 0 for a hole */
	int node; /* node the pages were bound to, -1 if not placed */
	uint64_t seed; /* data pattern seed for written pages */
	void **addrs; /* count page addresses, for move_pages(2) */
	/* When placement failed: the first page off the node (else -1), and its status (a node or -errno). */
	long off_page;
	int off_status;
};

/** Maps @len bytes of anonymous memory with THP off, starting on a THP-size boundary; NULL on failure (errno set). */
void *pmig_map(size_t len, bool shared);

/**
 * Creates @count pages of @kind. Written kinds are bound to @node with
 * mbind(MPOL_BIND) before the first touch (file pages: set_mempolicy while
 * the page cache is filled), filled with a pattern from @seed, and their
 * placement verified with a status query: -EIO if the kernel put a page
 * elsewhere, with p->off_page (-1 when placement was not what failed) and
 * p->off_status saying which and where (a page the query finds not present
 * is read and asked again first).
 * Returns 0 or -errno; -ENOSPC when @node has too few free hugetlb pages
 * (or there is no pool), -EOPNOTSUPP for a THP kind where the kernel has
 * no THP, -ENOMEDIUM when no disk-backed directory is known
 * (pmig_scratch_dir()). A THP or the huge zero page is asked for, not
 * guaranteed: check with pmig_kpageflags() (pageinfo.h).
 */
int pmig_pages_create(struct pmig_pages *p, enum pmig_page_kind kind,
		      size_t count, int node, uint64_t seed);
/**
 * pmig_pages_create() of @count PMIG_PAGE_THP pages of @folio_size bytes
 * each, a multi-size THP size (a power of two below the PMD size, whose
 * /sys/kernel/mm/transparent_hugepage/hugepages-<kB>kB/enabled the caller
 * set): aligned to it, MADV_HUGEPAGE, bound and written.
 */
int pmig_pages_create_mthp(struct pmig_pages *p, size_t folio_size,
			   size_t count, int node, uint64_t seed);
/**
 * Frees every page of private anonymous @p (MADV_DONTNEED), binds its range
 * to @node and writes its pattern again: the same addresses, backed by
 * pages faulted anew (folios of its size where THP allows). 0 or -errno.
 */
int pmig_pages_refault(struct pmig_pages *p, int node);
void pmig_pages_destroy(struct pmig_pages *p);

/**
 * A directory on a disk-backed filesystem for file pages: $PMIG_SCRATCH_DIR
 * when set, else /var/tmp unless it is tmpfs or ramfs. 0, or -ENOMEDIUM.
 */
int pmig_scratch_dir(char *buf, size_t len);

/** Free hugetlb pages (of pmig_page_sizes()->hugetlb) in @node's pool, or -errno. */
long pmig_hugetlb_free(int node);

/** Word @word of page @page of @p's data pattern (KSM pages all share page 0's). */
uint64_t pmig_pages_pattern(const struct pmig_pages *p, size_t page,
			    size_t word);

/** Index of the first written page whose data no longer matches its pattern, or -1 if all match. */
long pmig_pages_first_corrupt(const struct pmig_pages *p);

/**
 * Swaps every page of @p out with MADV_PAGEOUT. 0 when the pagemap shows
 * each one swapped, -EAGAIN when one stayed in memory (no swap space, or
 * reclaim gave up), other -errno when madvise failed.
 */
int pmig_pages_pageout(struct pmig_pages *p);

/** Whether any swap device or file is active (/proc/swaps lists one). */
bool pmig_swap_active(void);

/** Name of @kind for diagnostics ("anon", "never-touched", ...). */
const char *pmig_page_kind_name(enum pmig_page_kind kind);

#endif
