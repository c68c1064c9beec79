/* pages.c - builds the page populations that cases and benchmarks migrate. */
#include <errno.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "pageinfo.h"
#include "pages.h"
#include "pagesizes.h"
#include "pages_impl.h"
#include "syscalls.h"

void *pmig_map(size_t len, bool shared)
{
	int flags = MAP_ANONYMOUS | (shared ? MAP_SHARED : MAP_PRIVATE);
	/*
	 * Starts on a PMD (THP-size) boundary, whatever the address-space
	 * layout: where the pages fall among page tables changes what the
	 * kernel executes to move them, and under QEMU icount that showed as
	 * medians 5% apart in 2 of 10 boots that differed only in their
	 * random seed. Without THP, no PMD size is known: a base page.
	 */
	const struct pmig_page_sizes *ps = pmig_page_sizes();
	size_t align = ps->thp ? ps->thp : ps->base;
	char *raw =
		mmap(NULL, len + align, PROT_READ | PROT_WRITE, flags, -1, 0);
	char *p;
	size_t head;

	if (raw == MAP_FAILED)
		return NULL;
	p = (char *)(((uintptr_t)raw + align - 1) & ~(uintptr_t)(align - 1));
	head = (size_t)(p - raw);
	if (head)
		munmap(raw, head);
	munmap(p + len, align - head);
	/* Base pages only: a THP would change what one status describes. */
	madvise(p, len, MADV_NOHUGEPAGE);
	return p;
}

static uint64_t pattern(uint64_t seed, size_t page, size_t word)
{
	/* splitmix64: cheap, and every word of every page differs. */
	uint64_t z = seed + (page << 20 | word) * 0x9e3779b97f4a7c15ULL;

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

uint64_t pmig_pages_pattern(const struct pmig_pages *p, size_t page,
			    size_t word)
{
	/* KSM merges only pages with equal contents. */
	return pattern(p->seed, p->kind == PMIG_PAGE_KSM ? 0 : page, word);
}

static bool written(enum pmig_page_kind kind)
{
	switch (kind) {
	case PMIG_PAGE_NEVER_TOUCHED:
	case PMIG_PAGE_ZERO:
	case PMIG_PAGE_HOLE:
	case PMIG_PAGE_HUGE_ZERO:
		return false;
	default:
		return true;
	}
}

static bool huge(enum pmig_page_kind kind)
{
	return kind == PMIG_PAGE_THP || kind == PMIG_PAGE_HUGETLB ||
	       kind == PMIG_PAGE_HUGE_ZERO;
}

void pmig_pages_set_addrs(struct pmig_pages *p)
{
	for (size_t i = 0; i < p->count; i++)
		p->addrs[i] = p->base + i * p->page_size;
}

int pmig_bind_range(void *addr, size_t len, int node)
{
	unsigned long mask[16] = { 0 };
	unsigned long bits = 8 * sizeof(unsigned long);

	if (node < 0 || (unsigned long)node >= 16 * bits)
		return -EINVAL;
	mask[node / bits] = 1UL << (node % bits);
	/* maxnode is one more than the highest bit the kernel should read. */
	return (int)pmig_mbind(addr, len, MPOL_BIND, mask, node + 2, 0);
}

int pmig_bind_task(int node)
{
	unsigned long mask[16] = { 0 };
	unsigned long bits = 8 * sizeof(unsigned long);

	if (node < 0)
		return (int)pmig_set_mempolicy(MPOL_DEFAULT, NULL, 0);
	if ((unsigned long)node >= 16 * bits)
		return -EINVAL;
	mask[node / bits] = 1UL << (node % bits);
	return (int)pmig_set_mempolicy(MPOL_BIND, mask, node + 2);
}

/*
 * The node of the written page at @addr, or -errno. The kernel takes a
 * page out of its page table while it migrates it (compaction moving it
 * within its node) or swaps it out, and a status query says -ENOENT
 * meanwhile, though the page is where it was put: with compaction forced
 * in a loop (7.3, 2node), 15 of 13500 creations of 256 pages on node 0
 * failed their placement check so, every page counted off the node
 * reading -ENOENT, none on another node. A read waits for the migration to
 * end or swaps the page back in (where its policy says), then the query is
 * asked again; the kernel may take the page again at once (8 reads in a
 * row once found it gone each time: 1 of 10500), so up to SETTLE_READS
 * reads, yielding the CPU between them (0 of 6000).
 */
#define SETTLE_READS 100

static int settled_node(void *addr)
{
	int node = pmig_page_node(addr);

	for (int i = 0; node == -ENOENT && i < SETTLE_READS; i++) {
		if (i)
			sched_yield();
		(void)*(volatile char *)addr;
		node = pmig_page_node(addr);
	}
	return node;
}

int pmig_pages_check_node(struct pmig_pages *p)
{
	for (size_t i = 0; i < p->count; i++) {
		int node = settled_node(p->addrs[i]);

		if (node != p->node) {
			p->off_page = (long)i;
			p->off_status = node;
			return -EIO;
		}
	}
	return 0;
}

int pmig_pages_fill(struct pmig_pages *p)
{
	size_t words = p->page_size / sizeof(uint64_t);

	for (size_t i = 0; i < p->count; i++) {
		uint64_t *w = (uint64_t *)(p->base + i * p->page_size);

		for (size_t j = 0; j < words; j++)
			w[j] = pmig_pages_pattern(p, i, j);
	}
	return pmig_pages_check_node(p);
}

void pmig_pages_read_each(const struct pmig_pages *p)
{
	volatile char sink = 0;

	for (size_t i = 0; i < p->count; i++)
		sink ^= *(volatile char *)(p->base + i * p->page_size);
	(void)sink;
}

/* The base-page kinds: private or shared anonymous memory. */
static int base_create(struct pmig_pages *p, int node)
{
	size_t len = p->count * p->page_size;
	int ret = 0;

	p->base = pmig_map(len, p->kind == PMIG_PAGE_SHARED_ANON);
	if (!p->base)
		return -errno;
	p->map_len = len;
	pmig_pages_set_addrs(p);

	switch (p->kind) {
	case PMIG_PAGE_KSM:
		if (madvise(p->base, len, MADV_MERGEABLE))
			return -errno;
		/* fall through */
	case PMIG_PAGE_ANON:
	case PMIG_PAGE_SHARED_ANON:
	case PMIG_PAGE_MLOCKED:
		ret = pmig_bind_range(p->base, len, node);
		if (!ret)
			ret = pmig_pages_fill(p);
		if (!ret && p->kind == PMIG_PAGE_MLOCKED && mlock(p->base, len))
			ret = -errno;
		break;
	case PMIG_PAGE_ZERO:
		pmig_pages_read_each(p);
		break;
	case PMIG_PAGE_HOLE:
		ret = munmap(p->base, len) ? -errno : 0;
		p->map_len = 0;
		break;
	default:
		break;
	}
	return ret;
}

/* pmig_pages_create(), with THP pages of @thp bytes (0: the PMD size). */
static int create(struct pmig_pages *p, enum pmig_page_kind kind, size_t count,
		  int node, uint64_t seed, size_t thp)
{
	int ret;

	const struct pmig_page_sizes *ps = pmig_page_sizes();

	memset(p, 0, sizeof(*p));
	p->off_page = -1;
	p->kind = kind;
	p->count = count;
	p->page_size = kind == PMIG_PAGE_HUGETLB ? ps->hugetlb :
		       huge(kind)		 ? (thp ? thp : ps->thp) :
						   ps->base;
	if (!p->page_size)
		return kind == PMIG_PAGE_HUGETLB ? -ENOSPC : -EOPNOTSUPP;
	p->node = written(kind) ? node : -1;
	p->seed = seed;
	p->addrs = calloc(count ? count : 1, sizeof(*p->addrs));
	if (!p->addrs)
		return -ENOMEM;

	switch (kind) {
	case PMIG_PAGE_THP:
	case PMIG_PAGE_HUGETLB:
	case PMIG_PAGE_HUGE_ZERO:
		ret = pmig_huge_create(p, node);
		break;
	case PMIG_PAGE_MEMFD:
	case PMIG_PAGE_FILE_CLEAN:
	case PMIG_PAGE_FILE_DIRTY:
		ret = pmig_file_create(p, node);
		break;
	default:
		ret = base_create(p, node);
		break;
	}
	if (!ret)
		return 0;
	if (p->map_len)
		munmap(p->base, p->map_len);
	free(p->addrs);
	p->addrs = NULL;
	return ret;
}

int pmig_pages_create(struct pmig_pages *p, enum pmig_page_kind kind,
		      size_t count, int node, uint64_t seed)
{
	return create(p, kind, count, node, seed, 0);
}

int pmig_pages_create_mthp(struct pmig_pages *p, size_t folio_size,
			   size_t count, int node, uint64_t seed)
{
	return create(p, PMIG_PAGE_THP, count, node, seed, folio_size);
}

int pmig_pages_refault(struct pmig_pages *p, int node)
{
	size_t len = p->count * p->page_size;
	int ret;

	if (madvise(p->base, len, MADV_DONTNEED))
		return -errno;
	ret = pmig_bind_range(p->base, len, node);
	if (ret)
		return ret;
	p->node = node;
	return pmig_pages_fill(p);
}

void pmig_pages_destroy(struct pmig_pages *p)
{
	if (p->map_len)
		munmap(p->base, p->map_len);
	free(p->addrs);
	memset(p, 0, sizeof(*p));
}

long pmig_pages_first_corrupt(const struct pmig_pages *p)
{
	size_t words = p->page_size / sizeof(uint64_t);

	if (!written(p->kind))
		return -1;
	for (size_t i = 0; i < p->count; i++) {
		const uint64_t *w =
			(const uint64_t *)(p->base + i * p->page_size);

		for (size_t j = 0; j < words; j++)
			if (w[j] != pmig_pages_pattern(p, i, j))
				return (long)i;
	}
	return -1;
}

int pmig_pages_pageout(struct pmig_pages *p)
{
	if (madvise(p->base, p->count * p->page_size, MADV_PAGEOUT))
		return -errno;
	for (size_t i = 0; i < p->count; i++) {
		uint64_t e;
		int err = pmig_pagemap(p->addrs[i], &e);

		if (err)
			return err;
		if (!(e & PMIG_PM_SWAPPED))
			return -EAGAIN;
	}
	return 0;
}

const char *pmig_page_kind_name(enum pmig_page_kind kind)
{
	static const char *const names[] = {
		[PMIG_PAGE_ANON] = "anon",
		[PMIG_PAGE_SHARED_ANON] = "shared-anon",
		[PMIG_PAGE_NEVER_TOUCHED] = "never-touched",
		[PMIG_PAGE_ZERO] = "zero-page",
		[PMIG_PAGE_HOLE] = "hole",
		[PMIG_PAGE_THP] = "thp",
		[PMIG_PAGE_HUGETLB] = "hugetlb",
		[PMIG_PAGE_HUGE_ZERO] = "huge-zero-page",
		[PMIG_PAGE_MEMFD] = "memfd",
		[PMIG_PAGE_FILE_CLEAN] = "file-clean",
		[PMIG_PAGE_FILE_DIRTY] = "file-dirty",
		[PMIG_PAGE_KSM] = "ksm",
		[PMIG_PAGE_MLOCKED] = "mlocked",
	};

	return names[kind];
}

bool pmig_swap_active(void)
{
	FILE *f = fopen("/proc/swaps", "re");
	char line[256];
	int lines = 0;

	if (!f)
		return false;
	while (fgets(line, sizeof(line), f))
		lines++;
	fclose(f);
	return lines > 1; /* the first is the header */
}
