/* pagesizes.h - the machine's page sizes (base page, THP, hugetlb) and the sysfs paths of its hugetlb pools. */
#ifndef PMIG_PAGESIZES_H
#define PMIG_PAGESIZES_H

#include <stddef.h>

/*
 * What a page is on this machine. x86-64 has 4 KiB pages and 2 MiB PMDs;
 * arm64 4 KiB/2 MiB or 16 KiB/32 MiB, ppc64le 64 KiB/2 MiB: nothing in
 * pmig may assume one of them.
 */
struct pmig_page_sizes {
	size_t base; /* sysconf(_SC_PAGESIZE) */
	size_t thp; /* a PMD THP (hpage_pmd_size); 0: no THP in this kernel */
	size_t hugetlb; /* the hugetlb size pmig uses; 0: no hugetlb pool */
	/*
	 * The smallest hugetlb size (0: none), for taking a node's free memory
	 * in the finest steps: filled with 32 MiB pages, an arm64 16K node kept
	 * more than 64 MiB free between them.
	 */
	size_t hugetlb_min;
};

/**
 * Reads the sizes below @root (NULL or "": the real /; a unit test's fake
 * tree otherwise), with @base as the base page (0: sysconf). hugetlb is
 * the size of /sys/kernel/mm/hugepages/hugepages-NkB that equals the THP
 * size, else the default (Hugepagesize in /proc/meminfo) where its pool
 * directory exists. Returns 0 or -errno (a base page that is not a power
 * of two: -EINVAL).
 */
int pmig_page_sizes_read(const char *root, size_t base,
			 struct pmig_page_sizes *out);

/** The running machine's sizes, read once (a read that fails gives the base page alone). */
const struct pmig_page_sizes *pmig_page_sizes(void);

/** How many base pages one THP covers on this machine (0: no THP). */
size_t pmig_thp_pages(void);

/**
 * The path of @file ("nr_hugepages", "free_hugepages") of node @node's pool
 * of @bytes hugetlb pages, into @buf: /sys/devices/system/node/nodeN/
 * hugepages/hugepages-<kB>kB/FILE. 0, or -ENAMETOOLONG.
 */
int pmig_hugetlb_node_path(char *buf, size_t len, int node, size_t bytes,
			   const char *file);

#endif
