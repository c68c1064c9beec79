/* kind_checks.c - setup and move_pages(2) checks the page-kind case files share. */
#include <errno.h>
#include <linux/kernel-page-flags.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "invariants.h"
#include "kind_checks.h"
#include "pageinfo.h"
#include "pagesizes.h"
#include "syscalls.h"

size_t pmig_kind_offset(long arg, size_t huge)
{
	return arg & PMIG_KIND_AT_TAIL ? huge / 2 + pmig_page_sizes()->base : 0;
}

int pmig_kind_target(const struct pmig_ctx *ctx)
{
	return ctx->arg & PMIG_KIND_TO_CPULESS ? ctx->cpuless : ctx->other;
}

void pmig_kind_setup(const struct pmig_ctx *ctx, struct pmig_pages *p,
		     enum pmig_page_kind kind, size_t count)
{
	int err = pmig_pages_create(p, kind, count, ctx->home, ctx->seed);

	if (err == -ENOMEDIUM)
		pmig_skip("no disk-backed filesystem (set PMIG_SCRATCH_DIR)");
	if (err == -ENOSPC)
		pmig_skip(
			"fewer than %zu free %zu KiB hugetlb pages on node %d",
			count, pmig_page_sizes()->hugetlb >> 10, ctx->home);
	if (err == -EOPNOTSUPP)
		pmig_skip("this kernel has no transparent huge pages");
	if (err)
		pmig_broken("cannot create %zu %s pages on node %d: %s", count,
			    pmig_page_kind_name(kind), ctx->home,
			    strerror(-err));
}

uint64_t pmig_kind_kflags(const void *addr)
{
	uint64_t f = 0;
	int err = pmig_kpageflags(addr, &f);

	if (err)
		pmig_skip("cannot read /proc/kpageflags for %p: %s", addr,
			  strerror(-err));
	return f;
}

bool pmig_kind_one_huge(const struct pmig_pages *p, const char *addr,
			uint64_t flag)
{
	size_t base = pmig_page_sizes()->base;
	uint64_t first, last;

	if (pmig_pagemap(addr, &first) ||
	    pmig_pagemap(addr + p->page_size - base, &last))
		return false;
	return (pmig_kind_kflags(addr) & flag) == flag &&
	       (last & PMIG_PM_PFN_MASK) ==
		       (first & PMIG_PM_PFN_MASK) + p->page_size / base - 1;
}

void pmig_kind_require_thp(const struct pmig_pages *p)
{
	for (size_t i = 0; i < p->count; i++)
		if (!pmig_kind_one_huge(
			    p, p->addrs[i],
			    PMIG_KIND_KPF(KPF_THP) |
				    PMIG_KIND_KPF(KPF_COMPOUND_HEAD)))
			pmig_skip(
				"the kernel backed the %zu KiB region with base pages, not a THP (kpageflags %#llx)",
				p->page_size >> 10,
				(unsigned long long)pmig_kind_kflags(
					p->addrs[i]));
}

void pmig_kind_check_statuses_at(const char *file, int line, const int *status,
				 size_t n, long except, long want)
{
	PMIG_CALLED_FROM(file, line);
	size_t bad = 0;
	char label[48];

	for (size_t i = 0; i < n; i++) {
		if ((long)i == except || status[i] == want)
			continue;
		if (++bad <= 4) {
			snprintf(label, sizeof(label), "status[%zu]", i);
			pmig_check_val(label, status[i], want);
		}
	}
	if (bad > 4)
		pmig_fail_at(__FILE__, __LINE__,
			     "%zu of %zu statuses differ from the expected %ld",
			     bad, n, want);
}

void pmig_kind_query_at(const char *file, int line, void **addrs, size_t n,
			long want)
{
	PMIG_CALLED_FROM(file, line);
	int *status = calloc(n, sizeof(*status));
	long ret;

	if (!status)
		pmig_broken("out of memory");
	pmig_status_reset(status, n);
	ret = pmig_move_pages(0, n, addrs, NULL, status, 0);
	pmig_require_eq(ret, 0);
	pmig_kind_check_statuses(status, n, -1, want);
	free(status);
}

void pmig_kind_move_at(const char *file, int line, void **addrs, size_t n,
		       int node, int flags, int *status,
		       const struct pmig_pages *p)
{
	PMIG_CALLED_FROM(file, line);
	int *nodes = calloc(n, sizeof(*nodes));
	long ret;

	if (!nodes)
		pmig_broken("out of memory");
	for (size_t i = 0; i < n; i++)
		nodes[i] = node;
	pmig_status_reset(status, n);
	ret = pmig_move_pages(0, n, addrs, nodes, status, flags);
	/* A positive return is pages left behind: say where each one is. */
	if (ret != 0)
		for (size_t i = 0; i < n; i++)
			pmig_diag("move_pages returned %ld; status[%zu] = %d%s",
				  ret, i, status[i],
				  status[i] == PMIG_STATUS_UNWRITTEN ?
					  " (left unwritten by the kernel)" :
					  "");
	pmig_require_eq(ret, 0);
	pmig_check_move_invariants(addrs, nodes, status, n, ret, p);
	free(nodes);
}
