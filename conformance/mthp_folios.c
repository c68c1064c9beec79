/* mthp_folios.c - the mTHP sizes a kernel offers, one switched on at a time, folios of it made on a node and proven by frames and kpageflags, and where they went. */
#include <dirent.h>
#include <errno.h>
#include <linux/kernel-page-flags.h>
#include <numa.h>
#include <numaif.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "cases.h"
#include "check.h"
#include "mthp.h"
#include "cpuset.h"
#include "fixtures.h"
#include "invariants.h"
#include "kind_checks.h"
#include "pageinfo.h"
#include "pages.h"
#include "pagesizes.h"
#include "settings.h"
#include "sysfile.h"
#include "syscalls.h"

static int by_size(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	return (x > y) - (x < y);
}

void pmig_mthp_enabled_path(size_t bytes, char *buf, size_t len)
{
	snprintf(buf, len, PMIG_MTHP_THP_DIR "/hugepages-%zukB/enabled",
		 bytes >> 10);
}

/*
 * The sizes this kernel offers anonymous THP in. SKIPs, saying which, on a
 * kernel without THP (no PMIG_MTHP_THP_DIR: CONFIG_TRANSPARENT_HUGEPAGE off, or the
 * CPU cannot map a PMD) and on one without multi-size THP (no
 * hugepages-<kB>kB directory below the PMD size: before 6.8).
 */
void pmig_mthp_offered(struct pmig_mthp_sizes *s)
{
	size_t pmd = pmig_page_sizes()->thp;
	struct dirent *e;
	DIR *d = opendir(PMIG_MTHP_THP_DIR);

	memset(s, 0, sizeof(*s));
	if (!d || !pmd)
		pmig_skip(
			"this kernel has no transparent huge pages (no %s%s): no mTHP either",
			PMIG_MTHP_THP_DIR, d ? "/hpage_pmd_size" : "");
	while ((e = readdir(d)) && s->n < PMIG_MTHP_MAX_SIZES) {
		size_t kb;
		char end;

		char path[128];

		/* An order only file THP may take (8 kB: order 1) has no anonymous switch. */
		if (sscanf(e->d_name, "hugepages-%zukB%c", &kb, &end) != 1)
			continue;
		pmig_mthp_enabled_path(kb << 10, path, sizeof(path));
		if (!access(path, F_OK))
			s->bytes[s->n++] = kb << 10;
	}
	closedir(d);
	qsort(s->bytes, s->n, sizeof(s->bytes[0]), by_size);
	while (s->below < s->n && s->bytes[s->below] < pmd)
		s->below++;
	if (!s->below)
		pmig_skip(
			"this kernel has no multi-size THP: no %s/hugepages-<size>kB/enabled below the PMD size (%zu kB; %zu sizes in all); mTHP came in 6.8",
			PMIG_MTHP_THP_DIR, pmd >> 10, s->n);
}

/*
 * Makes @bytes the one THP size an anonymous fault in a MADV_HUGEPAGE
 * region may take ("madvise"; 0: none), every other size "never", and
 * reads each back. The row's settings set wrote "never" to every size's
 * file through the runner's journal, which restores them after the case
 * whatever happens to it: a file that reads anything but "never" or
 * "madvise" here was not in that set, and the case will not touch it.
 */
void pmig_mthp_only_size(const struct pmig_mthp_sizes *s, size_t bytes)
{
	for (size_t i = 0; i < s->n; i++) {
		const char *want = s->bytes[i] == bytes ? "madvise" : "never";
		char path[128], now[64];
		int err;

		pmig_mthp_enabled_path(s->bytes[i], path, sizeof(path));
		if ((err = pmig_sysfile_read(path, now, sizeof(now))))
			pmig_broken("cannot read %s: %s", path, strerror(-err));
		if (!strcmp(now, want))
			continue;
		if (strcmp(now, "never") && strcmp(now, "madvise"))
			pmig_broken(
				"%s reads %s: not a size the runner's settings set (case_settings.h) journaled",
				path, now);
		if ((err = pmig_sysfile_write(path, want)))
			pmig_broken("cannot write %s to %s: %s", want, path,
				    strerror(-err));
		if ((err = pmig_sysfile_read(path, now, sizeof(now))) ||
		    strcmp(now, want))
			pmig_broken("%s reads %s after writing %s", path,
				    err ? strerror(-err) : now, want);
	}
}

/* A per-size counter (hugepages-<kB>kB/stats/@name, 6.10 on), or -1 where this kernel has none. */
long pmig_mthp_size_stat(size_t bytes, const char *name)
{
	char path[160];

	snprintf(path, sizeof(path),
		 PMIG_MTHP_THP_DIR "/hugepages-%zukB/stats/%s", bytes >> 10,
		 name);
	return access(path, R_OK) ? -1 : pmig_read_number(path);
}

unsigned pmig_mthp_order_of(size_t pages)
{
	return (unsigned)__builtin_ctzl(pages);
}

/* pmig_folio_order(), SKIPping where the frames cannot be read. */
int pmig_mthp_folio_order(const char *addr, size_t n, char *why, size_t len)
{
	int order =
		pmig_folio_order(addr, n, pmig_page_sizes()->base, why, len);

	if (order == PMIG_FOLIO_UNREADABLE)
		pmig_skip("%s", why);
	return order;
}

/* Subpages of one folio of @p. */
size_t pmig_mthp_per_folio(const struct pmig_pages *p)
{
	return p->page_size / pmig_page_sizes()->base;
}

/* The address of every base page of every folio of @p, in order. */
void **pmig_mthp_subpages(const struct pmig_pages *p)
{
	size_t n = pmig_mthp_per_folio(p), base = pmig_page_sizes()->base;
	void **a = calloc(p->count * n, sizeof(*a));

	if (!a)
		pmig_broken("out of memory");
	for (size_t i = 0; i < p->count * n; i++)
		a[i] = p->base + i * base;
	return a;
}

/*
 * PMIG_MTHP_NFOLIOS folios of @bytes on @node with only that size enabled, proven
 * folios of its order by the pagemap and kpageflags, and by the size's
 * anon_fault_alloc counter where the kernel has it. SKIPs when the kernel
 * backed them otherwise (no free block of the order on @node).
 */
void pmig_mthp_make_on(const struct pmig_ctx *ctx,
		       const struct pmig_mthp_sizes *s, size_t bytes, int node,
		       struct pmig_pages *p)
{
	long before = pmig_mthp_size_stat(bytes, "anon_fault_alloc"), after;
	size_t n = bytes / pmig_page_sizes()->base;
	char why[256];
	int err;

	pmig_mthp_only_size(s, bytes);
	err = pmig_pages_create_mthp(p, bytes, PMIG_MTHP_NFOLIOS, node,
				     ctx->seed);
	if (err)
		pmig_broken("cannot make %d %zu kB folios on node %d: %s",
			    PMIG_MTHP_NFOLIOS, bytes >> 10, node,
			    strerror(-err));
	for (size_t i = 0; i < p->count; i++)
		if (pmig_mthp_folio_order(p->addrs[i], n, why, sizeof(why)) !=
		    (int)pmig_mthp_order_of(n))
			pmig_skip(
				"the kernel backed %zu kB folio %zu otherwise than with one folio of order %u: %s",
				bytes >> 10, i, pmig_mthp_order_of(n), why);
	after = pmig_mthp_size_stat(bytes, "anon_fault_alloc");
	if (before >= 0 && after >= 0)
		pmig_check(after - before >= PMIG_MTHP_NFOLIOS);
	pmig_diag(
		"%zu kB (order %u): %d folios on node %d, kpageflags head+tails and aligned frames; anon_fault_alloc %s%ld",
		bytes >> 10, pmig_mthp_order_of(n), PMIG_MTHP_NFOLIOS, node,
		before < 0 ? "not in this kernel" : "+",
		before < 0 ? 0 : after - before);
}

/* pmig_mthp_make_on() ctx->home. */
void pmig_mthp_make(const struct pmig_ctx *ctx, const struct pmig_mthp_sizes *s,
		    size_t bytes, struct pmig_pages *p)
{
	pmig_mthp_make_on(ctx, s, bytes, ctx->home, p);
}

/*
 * Every base page of @p is on @node by its frame's memory block (the
 * witness beside the status query) and the data is intact; returns how
 * many folios are still one folio of @p's order (the rest are described).
 */
size_t pmig_mthp_placed_at(const char *file, int line,
			   const struct pmig_pages *p, int node)
{
	PMIG_CALLED_FROM(file, line);
	size_t n = pmig_mthp_per_folio(p), total = p->count * n, on = 0,
	       kept = 0;
	uint64_t *e = calloc(total, sizeof(*e));
	void **addrs = pmig_mthp_subpages(p);
	char label[64], why[256];
	int err;

	if (!e)
		pmig_broken("out of memory");
	pmig_kind_query(addrs, total, node);
	if ((err = pmig_pagemap_range(p->base, total, e)))
		pmig_skip("cannot read /proc/self/pagemap: %s", strerror(-err));
	for (size_t i = 0; i < total; i++)
		on += pmig_frame_on(e[i] & PMIG_PM_PFN_MASK,
				    pmig_page_sizes()->base, node);
	snprintf(label, sizeof(label), "base pages in node%d's memory blocks",
		 node);
	pmig_check_val(label, on, total);
	pmig_check_eq(pmig_pages_first_corrupt(p), -1);
	for (size_t i = 0; i < p->count; i++) {
		int order =
			pmig_mthp_folio_order(p->addrs[i], n, why, sizeof(why));

		if (order == (int)pmig_mthp_order_of(n))
			kept++;
		else
			pmig_diag("folio %zu after: order %d (%s)", i, order,
				  why);
	}
	free(addrs);
	free(e);
	return kept;
}
