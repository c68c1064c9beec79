/* pages_impl.h - what pages.c shares with the files that build the other page kinds (huge.c, filepages.c). */
#ifndef PMIG_PAGES_IMPL_H
#define PMIG_PAGES_IMPL_H

#include "pages.h"

/** Fills p->addrs from p->base and p->page_size. */
void pmig_pages_set_addrs(struct pmig_pages *p);
/** mbind(MPOL_BIND) of [@addr, @addr + @len) to @node. 0 or -errno. */
int pmig_bind_range(void *addr, size_t len, int node);
/** set_mempolicy(MPOL_BIND) to @node, or back to MPOL_DEFAULT for @node < 0. */
int pmig_bind_task(int node);
/** Writes the pattern through the mapping, then checks every page is on p->node (-EIO if not). */
int pmig_pages_fill(struct pmig_pages *p);
/**
 * -EIO unless a status query puts every page of @p on p->node; then
 * p->off_page and p->off_status say which page and what its query said.
 * A page the query finds not present (-ENOENT: being migrated, or swapped
 * out) is read and asked again first.
 */
int pmig_pages_check_node(struct pmig_pages *p);
/** Reads one byte of every page (maps the zero page, or faults file pages in). */
void pmig_pages_read_each(const struct pmig_pages *p);

/** THP, hugetlb and huge zero pages: maps, binds and touches them (huge.c). */
int pmig_huge_create(struct pmig_pages *p, int node);
/** memfd and file pages (filepages.c). */
int pmig_file_create(struct pmig_pages *p, int node);

#endif
