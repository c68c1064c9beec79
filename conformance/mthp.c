/* mthp.c - conformance cases of multi-size THP (mTHP) migration through move_pages(2), migrate_pages(2) and mbind(2): every folio size below the PMD the kernel offers moves whole. */
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

/*
 * (a) The addresses of every base page of every folio in one move to
 * ctx->other: status[1] of each folio's run is the row's, the others say
 * the node.
 */
PMIG_CASE(mthp_every_subpage)
{
	struct pmig_mthp_sizes s;

	pmig_mthp_offered(&s);
	for (size_t k = 0; k < s.below; k++) {
		struct pmig_pages p;
		size_t n, total;
		void **addrs;
		int *status;

		pmig_mthp_make(ctx, &s, s.bytes[k], &p);
		n = pmig_mthp_per_folio(&p);
		total = p.count * n;
		addrs = pmig_mthp_subpages(&p);
		status = calloc(total, sizeof(*status));
		if (!status)
			pmig_broken("out of memory");
		pmig_kind_move(addrs, total, ctx->other, MPOL_MF_MOVE, status,
			       &p);
		pmig_diag("%zu kB: status[0..3] of folio 0 = %d %d %d %d",
			  s.bytes[k] >> 10, status[0], status[1], status[2],
			  status[3]);
		for (size_t i = 0; i < p.count; i++) {
			char label[64];

			snprintf(label, sizeof(label),
				 "%zu kB folio %zu: status[1]",
				 s.bytes[k] >> 10, i);
			pmig_check_val(label, status[i * n + 1], ctx->expect);
			pmig_kind_check_statuses(status + i * n, n, 1,
						 ctx->other);
		}
		pmig_mthp_check_kept(&p, ctx->other);
		free(status);
		free(addrs);
		pmig_pages_destroy(&p);
	}
	pmig_mthp_only_size(&s, 0);
}

/* (b) One address per folio, a tail's (half the folio plus one base page in): the whole folio moves. */
PMIG_CASE(mthp_one_subpage)
{
	struct pmig_mthp_sizes s;

	pmig_mthp_offered(&s);
	for (size_t k = 0; k < s.below; k++) {
		size_t off = pmig_kind_offset(PMIG_KIND_AT_TAIL, s.bytes[k]);
		int status[PMIG_MTHP_NFOLIOS];
		void *addrs[PMIG_MTHP_NFOLIOS];
		struct pmig_pages p;

		pmig_mthp_make(ctx, &s, s.bytes[k], &p);
		for (size_t i = 0; i < p.count; i++)
			addrs[i] = (char *)p.addrs[i] + off;
		pmig_kind_move(addrs, p.count, ctx->other, MPOL_MF_MOVE, status,
			       &p);
		for (size_t i = 0; i < p.count; i++) {
			char label[64];

			snprintf(label, sizeof(label),
				 "%zu kB folio %zu, offset %zu: status",
				 s.bytes[k] >> 10, i, off);
			pmig_check_val(label, status[i],
				       pmig_expected(ctx, ctx->other));
		}
		pmig_mthp_check_kept(&p, ctx->other);
		pmig_pages_destroy(&p);
	}
	pmig_mthp_only_size(&s, 0);
}

/* (c) migrate_pages(2) of the process from home to other, or mbind(2) MPOL_BIND with MPOL_MF_MOVE (ctx->arg). */
PMIG_CASE(mthp_range_move)
{
	struct pmig_nodemask to = pmig_nodemask_of(ctx->other);
	struct pmig_mthp_sizes s;

	pmig_mthp_offered(&s);
	for (size_t k = 0; k < s.below; k++) {
		struct pmig_pages p;
		long ret;

		pmig_mthp_make(ctx, &s, s.bytes[k], &p);
		if (ctx->arg == BY_MBIND)
			ret = pmig_mbind(p.base, p.count * p.page_size,
					 MPOL_BIND, to.bits, PMIG_MASK_MAXNODE,
					 MPOL_MF_MOVE);
		else
			ret = pmig_migrate_one(0, ctx->home, ctx->other);
		pmig_diag("%zu kB: %s returned %ld", s.bytes[k] >> 10,
			  ctx->arg == BY_MBIND ? "mbind" : "migrate_pages",
			  ret);
		if (!pmig_check_eq(ret, 0))
			pmig_diag_left_on(ctx->home);
		pmig_mthp_check_kept(&p, pmig_expected(ctx, ctx->other));
		pmig_pages_destroy(&p);
	}
	pmig_mthp_only_size(&s, 0);
}
