/* pageinfo.h - what /proc/self/pagemap, /proc/kpageflags and sysfs say about pages, to check a page kind is what it claims. */
#ifndef PMIG_PAGEINFO_H
#define PMIG_PAGEINFO_H

#include <stddef.h>
#include <stdint.h>

/* /proc/self/pagemap entry bits (Documentation/admin-guide/mm/pagemap.rst). */
#define PMIG_PM_PRESENT (1ULL << 63)
#define PMIG_PM_SWAPPED (1ULL << 62)
#define PMIG_PM_PFN_MASK ((1ULL << 55) - 1)
#define PMIG_PM_SOFT_DIRTY (1ULL << 55)

/** The pagemap entry of the page at @addr. 0 or -errno. */
int pmig_pagemap(const void *addr, uint64_t *entry);

/** The pagemap entries of the @count base pages from @base, in one read. 0 or -errno. */
int pmig_pagemap_range(const void *base, size_t count, uint64_t *entries);

/**
 * The /proc/kpageflags word (KPF_* bits of <linux/kernel-page-flags.h>) of
 * the page mapped at @addr. 0; -ENOENT when nothing is mapped there;
 * -EPERM when the pagemap hides page frame numbers (no CAP_SYS_ADMIN);
 * other -errno when a file cannot be read.
 */
int pmig_kpageflags(const void *addr, uint64_t *flags);

/** The /proc/kpageflags words of the @count frames from @pfn, in one read. 0 or -errno. */
int pmig_kpageflags_pfn(uint64_t pfn, size_t count, uint64_t *flags);

/**
 * Whether frame @pfn (of @page_size bytes) is memory of @node by sysfs: its
 * memory block (/sys/devices/system/memory/block_size_bytes) is linked
 * into /sys/devices/system/node/node@node. 1, 0, or -errno when the block
 * size cannot be read.
 */
int pmig_frame_on_node(uint64_t pfn, size_t page_size, int node);

/* pmig_folio_order(): the frames or their flags could not be read (@why says which). */
#define PMIG_FOLIO_UNREADABLE (-2)

/**
 * The order of the folio that maps the @n base pages (of @base bytes) from
 * @addr: log2(@n) when they are one folio (present, frames contiguous from
 * one aligned to @n, kpageflags COMPOUND_HEAD and THP on the first,
 * COMPOUND_TAIL on the others and not on the frame after), 0 when each is
 * a page of its own (no COMPOUND bit on any), -1 otherwise, or
 * PMIG_FOLIO_UNREADABLE. @why says what was seen.
 */
int pmig_folio_order(const char *addr, size_t n, size_t base, char *why,
		     size_t len);

/** A number read from a sysfs or procfs file, or -errno. */
long pmig_read_number(const char *path);

#endif
