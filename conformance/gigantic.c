/* gigantic.c - conformance cases for move_pages(2) on a 1 GiB hugetlb page, where the machine has the size and room. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "cases.h"
#include "check.h"
#include "fixtures.h"
#include "invariants.h"
#include "pageinfo.h"
#include "pagesizes.h"
#include "syscalls.h"

#define GIG ((size_t)1 << 30)
#ifndef MAP_HUGE_1GB
#define MAP_HUGE_1GB (30 << 26) /* log2(1 GiB) << MAP_HUGE_SHIFT */
#endif
/* One word per 2 MiB of the page carries the data pattern. */
#define STRIDE ((size_t)2 << 20)
#define POOL_1G "/sys/kernel/mm/hugepages/hugepages-1048576kB"

/* MemTotal of @node in MiB, for the skip reason; -1 when unreadable. */
static long node_mib(int node)
{
	char path[96], line[160];
	long kb = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/devices/system/node/node%d/meminfo",
		 node);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "Node %*d MemTotal: %ld kB", &kb) == 1)
			break;
	fclose(f);
	return kb < 0 ? -1 : kb >> 10;
}

/* Free 1 GiB pages in @node's pool (the runner asked for one), or -errno. */
static long free_1g(int node)
{
	char path[128];
	int err = pmig_hugetlb_node_path(path, sizeof(path), node, GIG,
					 "free_hugepages");

	return err ? err : pmig_read_number(path);
}

static void require_room(const struct pmig_ctx *ctx)
{
	const int nodes[] = { ctx->home, ctx->other };

	if (access(POOL_1G, F_OK))
		pmig_skip(
			"no 1 GiB hugetlb page size on this machine (%s: %s): x86-64 needs the CPU's pdpe1gb flag (QEMU: -cpu max or +pdpe1gb), arm64 with 4K pages has it",
			POOL_1G, strerror(errno));
	for (size_t i = 0; i < PMIG_ARRAY_SIZE(nodes); i++)
		if (free_1g(nodes[i]) < 1)
			pmig_skip(
				"needs 1 GiB free on two nodes to hold a 1 GiB page; node %d has %ld MiB and its 1 GiB pool got no page (free: %ld)",
				nodes[i], node_mib(nodes[i]),
				free_1g(nodes[i]));
}

static uint64_t word(size_t i)
{
	return 0x61676967ull << 32 | i; /* "gig" and the index */
}

/* A 1 GiB hugetlb page bound to ctx->home and written every STRIDE bytes. */
static char *gigantic_page(const struct pmig_ctx *ctx)
{
	struct pmig_nodemask m = pmig_nodemask_of(ctx->home);
	char *p = mmap(NULL, GIG, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB | MAP_HUGE_1GB,
		       -1, 0);

	if (p == MAP_FAILED)
		pmig_broken("mmap of a 1 GiB hugetlb page: %s",
			    strerror(errno));
	if (pmig_mbind(p, GIG, MPOL_BIND, m.bits, PMIG_MASK_MAXNODE, 0))
		pmig_broken("mbind to node %d: %s", ctx->home, strerror(errno));
	for (size_t i = 0; i < GIG / STRIDE; i++)
		*(volatile uint64_t *)(p + i * STRIDE) = word(i);
	if (pmig_page_node(p) != ctx->home)
		pmig_broken("the 1 GiB page is on node %d, not %d",
			    pmig_page_node(p), ctx->home);
	return p;
}

/* Its first, middle and last base page, and where the move put them. */
static void check_where(char *p, int node)
{
	size_t base = pmig_page_sizes()->base;
	const size_t at[] = { 0, GIG / 2, GIG - base };
	char label[64];

	for (size_t i = 0; i < PMIG_ARRAY_SIZE(at); i++) {
		snprintf(label, sizeof(label),
			 "node of the base page at +%zu MiB", at[i] >> 20);
		pmig_check_val(label, pmig_page_node(p + at[i]), node);
	}
}

PMIG_CASE(gigantic_1g_moved)
{
	int status = PMIG_STATUS_UNWRITTEN;
	size_t bad = 0;
	void *addr;
	char *p;

	require_room(ctx);
	p = gigantic_page(ctx);
	addr = p;
	pmig_diag("moving a 1 GiB hugetlb page from node %d to node %d",
		  ctx->home, ctx->other);
	/* A positive count leaves the status unwritten: nothing to compare. */
	pmig_require_eq(pmig_move_pages(0, 1, &addr, &ctx->other, &status,
					MPOL_MF_MOVE),
			0);
	pmig_check_eq(status, pmig_expected(ctx, ctx->other));
	check_where(p, status >= 0 ? status : ctx->home);
	for (size_t i = 0; i < GIG / STRIDE; i++)
		if (*(volatile uint64_t *)(p + i * STRIDE) != word(i))
			bad++;
	pmig_check_val("2 MiB steps whose word changed", bad, 0);
	munmap(p, GIG);
}
