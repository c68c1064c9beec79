/* pages.c - builds the page populations that cases and benchmarks migrate. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "pages.h"
#include "syscalls.h"

void *pmig_map(size_t len, bool shared)
{
	int flags = MAP_ANONYMOUS | (shared ? MAP_SHARED : MAP_PRIVATE);
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, flags, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
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

static bool written(enum pmig_page_kind kind)
{
	return kind == PMIG_PAGE_ANON || kind == PMIG_PAGE_SHARED_ANON;
}

static int bind_to(void *addr, size_t len, int node)
{
	unsigned long mask[16] = { 0 };
	unsigned long bits = 8 * sizeof(unsigned long);

	if (node < 0 || (unsigned long)node >= 16 * bits)
		return -EINVAL;
	mask[node / bits] = 1UL << (node % bits);
	/* maxnode is one more than the highest bit the kernel should read. */
	return (int)pmig_mbind(addr, len, MPOL_BIND, mask, node + 2, 0);
}

static int fill(struct pmig_pages *p)
{
	size_t words = p->page_size / sizeof(uint64_t);

	for (size_t i = 0; i < p->count; i++) {
		uint64_t *w = (uint64_t *)(p->base + i * p->page_size);

		for (size_t j = 0; j < words; j++)
			w[j] = pattern(p->seed, i, j);
		if (pmig_page_node(w) != p->node)
			return -EIO;
	}
	return 0;
}

static int read_each(struct pmig_pages *p)
{
	volatile char sink = 0;

	for (size_t i = 0; i < p->count; i++)
		sink ^= *(volatile char *)(p->base + i * p->page_size);
	(void)sink;
	return 0;
}

int pmig_pages_create(struct pmig_pages *p, enum pmig_page_kind kind,
		      size_t count, int node, uint64_t seed)
{
	size_t len;
	int ret = 0;

	memset(p, 0, sizeof(*p));
	p->kind = kind;
	p->count = count;
	p->page_size = (size_t)sysconf(_SC_PAGESIZE);
	p->node = written(kind) ? node : -1;
	p->seed = seed;
	len = count * p->page_size;
	p->addrs = calloc(count ? count : 1, sizeof(*p->addrs));
	if (!p->addrs)
		return -ENOMEM;
	p->base = pmig_map(len, kind == PMIG_PAGE_SHARED_ANON);
	if (!p->base) {
		ret = -errno;
		goto out_addrs;
	}
	p->map_len = len;
	for (size_t i = 0; i < count; i++)
		p->addrs[i] = p->base + i * p->page_size;

	switch (kind) {
	case PMIG_PAGE_ANON:
	case PMIG_PAGE_SHARED_ANON:
		ret = bind_to(p->base, len, node);
		if (!ret)
			ret = fill(p);
		break;
	case PMIG_PAGE_ZERO:
		ret = read_each(p);
		break;
	case PMIG_PAGE_HOLE:
		ret = munmap(p->base, len) ? -errno : 0;
		p->map_len = 0;
		break;
	case PMIG_PAGE_NEVER_TOUCHED:
		break;
	}
	if (!ret)
		return 0;
	if (p->map_len)
		munmap(p->base, p->map_len);
out_addrs:
	free(p->addrs);
	p->addrs = NULL;
	return ret;
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
			if (w[j] != pattern(p->seed, i, j))
				return (long)i;
	}
	return -1;
}

const char *pmig_page_kind_name(enum pmig_page_kind kind)
{
	static const char *const names[] = {
		[PMIG_PAGE_ANON] = "anon",
		[PMIG_PAGE_SHARED_ANON] = "shared-anon",
		[PMIG_PAGE_NEVER_TOUCHED] = "never-touched",
		[PMIG_PAGE_ZERO] = "zero-page",
		[PMIG_PAGE_HOLE] = "hole",
	};

	return names[kind];
}
