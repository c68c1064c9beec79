/* huge.c - the machine's huge pages: transparent huge pages, hugetlb pages and the huge zero page. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>

#include "pageinfo.h"
#include "pages.h"
#include "pages_impl.h"
#include "pagesizes.h"

#ifndef MAP_HUGE_SHIFT
#define MAP_HUGE_SHIFT 26
#endif

long pmig_hugetlb_free(int node)
{
	char path[128];
	int err = pmig_hugetlb_node_path(path, sizeof(path), node,
					 pmig_page_sizes()->hugetlb,
					 "free_hugepages");

	return err ? err : pmig_read_number(path);
}

/* Anonymous memory aligned to the THP size, so the kernel can back it with PMDs. */
static int map_aligned(struct pmig_pages *p, size_t len)
{
	size_t slack = p->page_size;
	char *raw = mmap(NULL, len + slack, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uintptr_t start;
	size_t head;

	if (raw == MAP_FAILED)
		return -errno;
	start = ((uintptr_t)raw + slack - 1) & ~(uintptr_t)(slack - 1);
	head = start - (uintptr_t)raw;
	if (head)
		munmap(raw, head);
	if (slack - head)
		munmap((char *)start + len, slack - head);
	p->base = (char *)start;
	p->map_len = len;
	if (madvise(p->base, len, MADV_HUGEPAGE))
		return -errno;
	return 0;
}

static int map_hugetlb(struct pmig_pages *p, size_t len, int node)
{
	long free = pmig_hugetlb_free(node);
	char *m;

	/* A fault with no free page on the bound node would be a SIGBUS. */
	if (free < 0)
		return (int)free == -ENOENT ? -ENOSPC : (int)free;
	if ((size_t)free < p->count)
		return -ENOSPC;
	/* The size asked for by its log2, in case it is not the default. */
	m = mmap(NULL, len, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB |
			 __builtin_ctzl(p->page_size) << MAP_HUGE_SHIFT,
		 -1, 0);
	if (m == MAP_FAILED)
		return errno == ENOMEM ? -ENOSPC : -errno;
	p->base = m;
	p->map_len = len;
	return 0;
}

int pmig_huge_create(struct pmig_pages *p, int node)
{
	size_t len = p->count * p->page_size;
	int ret;

	if (p->kind == PMIG_PAGE_HUGETLB)
		ret = map_hugetlb(p, len, node);
	else
		ret = map_aligned(p, len);
	if (ret)
		return ret;
	pmig_pages_set_addrs(p);
	if (p->kind == PMIG_PAGE_HUGE_ZERO) {
		/* A read fault maps the huge zero page when THP allows it. */
		pmig_pages_read_each(p);
		return 0;
	}
	ret = pmig_bind_range(p->base, len, node);
	return ret ? ret : pmig_pages_fill(p);
}
