/* mthp.h - what the mTHP cases share: the sizes the kernel offers, one size switched on at a time, folios of a size made on a node and proven, and the witnesses of where they went. */
#ifndef PMIG_MTHP_H
#define PMIG_MTHP_H

#include <stddef.h>
#include <stdint.h>

#include "cases.h"
#include "pages.h"

#define PMIG_MTHP_THP_DIR "/sys/kernel/mm/transparent_hugepage"

/*
 * Folios per size: more than one, so that a per-folio rule (status[1] of
 * each folio's run of addresses) is seen to repeat, and few enough that
 * 4 x 1 MiB fits a 512 MiB node beside the rest of a run.
 */
enum { PMIG_MTHP_NFOLIOS = 4, PMIG_MTHP_MAX_SIZES = 24 };

/* ctx->arg of mthp_range_move: which call moves the region. */
enum { BY_MIGRATE_PAGES = 0, BY_MBIND = 1 };

/* The THP sizes of this kernel (hugepages-<kB>kB directories), smallest first. */
struct pmig_mthp_sizes {
	size_t n,
		below; /* all of them; the first @below are under the PMD size */
	size_t bytes[PMIG_MTHP_MAX_SIZES];
};

/** The sizes this kernel offers anonymous THP in, into @s; SKIPs, saying which, without THP or mTHP. */
void pmig_mthp_offered(struct pmig_mthp_sizes *s);
/** Switches on (madvise) only the size of @bytes among @s, read back; the runner's settings set restores every switch. */
void pmig_mthp_only_size(const struct pmig_mthp_sizes *s, size_t bytes);
/** The enabled file of the size of @bytes into @buf. */
void pmig_mthp_enabled_path(size_t bytes, char *buf, size_t len);
/** Counter @name of the size's stats directory, or -1 where the kernel has none. */
long pmig_mthp_size_stat(size_t bytes, const char *name);
/** The order of a folio of @pages base pages. */
unsigned pmig_mthp_order_of(size_t pages);
/** The order of the folio at @addr spanning @n base pages (kpageflags, frames), -1 with @why when it is none. */
int pmig_mthp_folio_order(const char *addr, size_t n, char *why, size_t len);
/** Base pages per folio of @p. */
size_t pmig_mthp_per_folio(const struct pmig_pages *p);
/** The address of every base page of every folio of @p, in order (free() it). */
void **pmig_mthp_subpages(const struct pmig_pages *p);
/** PMIG_MTHP_NFOLIOS folios of @bytes on @node, proven folios of that order; SKIPs otherwise. */
void pmig_mthp_make_on(const struct pmig_ctx *ctx,
		       const struct pmig_mthp_sizes *s, size_t bytes, int node,
		       struct pmig_pages *p);
/** pmig_mthp_make_on() ctx->home. */
void pmig_mthp_make(const struct pmig_ctx *ctx, const struct pmig_mthp_sizes *s,
		    size_t bytes, struct pmig_pages *p);
size_t pmig_mthp_placed_at(const char *file, int line,
			   const struct pmig_pages *p, int node);
/*
 * Every base page of @p is on @node by its frame's memory block (the
 * witness beside the status query) and the data is intact; returns how
 * many folios are still one folio of @p's order (the rest are described).
 */
#define pmig_mthp_placed(p, node) \
	pmig_mthp_placed_at(__FILE__, __LINE__, p, node)

/* Each folio of @p is still one folio of its order: the target had room, so alloc_migration_target() gave one. */
#define pmig_mthp_check_kept(p, node)                 \
	pmig_check_val("folios still of their order", \
		       pmig_mthp_placed(p, node), (p)->count)

#endif
