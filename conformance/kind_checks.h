/* kind_checks.h - setup and move_pages(2) checks the page-kind case files share. */
#ifndef PMIG_KIND_CHECKS_H
#define PMIG_KIND_CHECKS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cases.h"
#include "pages.h"

/** The kpageflags mask of KPF_* bit @bit (<linux/kernel-page-flags.h>). */
#define PMIG_KIND_KPF(bit) (1ULL << (bit))

/*
 * ctx->arg of a move by a subpage in the middle of a huge page, an address
 * that is not its head: half the huge page plus one base page in, with
 * the machine's sizes (pmig_kind_offset()).
 */
#define PMIG_KIND_AT_TAIL (1 << 0)
/*
 * ctx->arg bit of a huge page moved to the CPU-less node instead of the
 * other one: the huge allocation then falls to a node no CPU is local to.
 */
#define PMIG_KIND_TO_CPULESS (1 << 1)

/** The offset into a huge page of @huge bytes that ctx->arg @arg names: 0, or the tail's (PMIG_KIND_AT_TAIL). */
size_t pmig_kind_offset(long arg, size_t huge);
/** The node a huge-page move aims at: ctx->other, or ctx->cpuless with PMIG_KIND_TO_CPULESS. */
int pmig_kind_target(const struct pmig_ctx *ctx);

/* How long a KSM case waits for ksmd to merge its pages; its time limit. */
#define PMIG_KSM_WAIT_S 30
#define PMIG_KSM_TIMEOUT_MS ((PMIG_KSM_WAIT_S + 30) * 1000)

/** Creates @count pages of @kind on ctx->home; SKIPs when this machine cannot make them. */
void pmig_kind_setup(const struct pmig_ctx *ctx, struct pmig_pages *p,
		     enum pmig_page_kind kind, size_t count);

/** The kpageflags of @addr's page; SKIPs when they cannot be read. */
uint64_t pmig_kind_kflags(const void *addr);

/** Whether the huge page of @p at @addr is one compound page with kpageflags @flag (KPF_THP...). */
bool pmig_kind_one_huge(const struct pmig_pages *p, const char *addr,
			uint64_t flag);
/** SKIPs unless every page of @p (PMIG_PAGE_THP) is one THP. */
void pmig_kind_require_thp(const struct pmig_pages *p);

/*
 * The checks below are called through their macros, so that a failure
 * names the caller's line (PMIG_CALLED_FROM in check.h).
 */

/** Checks each status[i] is @want, except entry @except (-1: none); reports the first few. */
#define pmig_kind_check_statuses(status, n, except, want) \
	pmig_kind_check_statuses_at(__FILE__, __LINE__, status, n, except, want)
void pmig_kind_check_statuses_at(const char *file, int line, const int *status,
				 size_t n, long except, long want);

/** A status query of @n addresses, each expected to say @want. */
#define pmig_kind_query(addrs, n, want) \
	pmig_kind_query_at(__FILE__, __LINE__, addrs, n, want)
void pmig_kind_query_at(const char *file, int line, void **addrs, size_t n,
			long want);

/** Moves @n addresses to @node with @flags; the call must return 0. Checks the invariants. */
#define pmig_kind_move(addrs, n, node, flags, status, p) \
	pmig_kind_move_at(__FILE__, __LINE__, addrs, n, node, flags, status, p)
void pmig_kind_move_at(const char *file, int line, void **addrs, size_t n,
		       int node, int flags, int *status,
		       const struct pmig_pages *p);

#endif
