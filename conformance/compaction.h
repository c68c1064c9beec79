/* compaction.h - what the compaction cases share: the pages they make on home with room above them, and the witnesses of a move within the node. */
#ifndef PMIG_COMPACTION_H
#define PMIG_COMPACTION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cases.h"
#include "pages.h"

/*
 * Pages mapped, written, then every odd one freed: the even ones are left
 * with a free frame beside each, so their node is fragmented where they
 * are, and compaction has pages to move and holes to fill. 8 MiB of base
 * pages spans four 2 MiB pageblocks or more.
 */
enum { PMIG_COMPACT_NPAGES = 2048 };

/* The largest home node the rows compact (bytes of MemTotal): see pmig_compact_setup(). */
#define PMIG_COMPACT_NODE_MAX (4LL << 30)

/* Whether compaction may move unevictable (mlocked) pages; the mlocked row sets it to 0. */
#define PMIG_COMPACT_UNEVICTABLE "/proc/sys/vm/compact_unevictable_allowed"
/* kcompactd's background compaction: the proactive row sets it to 0, then to 100. */
#define PMIG_COMPACT_PROACTIVENESS "/proc/sys/vm/compaction_proactiveness"

/*
 * The filler pages a case keeps (every KEEP_EVERY-th frame), each with a
 * pattern: with them scattered over the whole node, some lie where any
 * compaction starts, at the zone's bottom, so they are pages it surely
 * moves (the proactive row's witnesses beside the case's own).
 */
struct pmig_kept_filler {
	char *base;
	size_t page, n;
	size_t *index; /* the kept pages' indices in the filler */
};

/**
 * PMIG_COMPACT_NPAGES anonymous pages of the case on ctx->home, every odd
 * one freed, and a filler that leaves free frames in partly used
 * pageblocks above them (@scatter: all over the node); with @f, the filler
 * pages it keeps, each written with pmig_compact_filler_word().
 */
void pmig_compact_setup(const struct pmig_ctx *ctx, struct pmig_pages *p,
			bool scatter, struct pmig_kept_filler *f);
/** Word @j of kept filler page @i. */
uint64_t pmig_compact_filler_word(size_t i, size_t j);
/** The page frame of every page of @p into @pfn (0 for a freed one); SKIPs when the pagemap hides frames. */
void pmig_compact_frames(const struct pmig_pages *p, uint64_t *pfn);
/**
 * Checks every page left of @p (i % 4 == @rem; -1 every even one) holds
 * its pattern and is on home by its frame; returns how many changed frame
 * between @before and @after.
 */
size_t pmig_compact_moved(const struct pmig_ctx *ctx,
			  const struct pmig_pages *p, const uint64_t *before,
			  const uint64_t *after, int rem);
/** The even pages of @p (those with i % 4 == @rem; -1 all) into @addrs; their number. */
size_t pmig_compact_kept(const struct pmig_pages *p, int rem, void **addrs);
/** How many even pages of @p (i % 4 == @rem; -1 all) changed frame, unchecked. */
size_t pmig_compact_changed(const struct pmig_pages *p, const uint64_t *before,
			    const uint64_t *after, int rem);
/** Reads @path, which the runner set to @want; SKIPs when this kernel has no such file. */
void pmig_compact_require_setting(const char *path, const char *want);

#endif
