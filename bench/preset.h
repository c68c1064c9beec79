/* preset.h - named set-ups of pmig bench that reproduce a published measurement: which cases run, on which node pair, at what size, and the published figures (with citations) the report draws beside them. */
#ifndef PMIG_BENCH_PRESET_H
#define PMIG_BENCH_PRESET_H

#include <stdbool.h>
#include <stddef.h>

#include "metrics/pairs.h"
#include "strategy.h"
#include "topo.h"

/** One published figure: a reference line in pmig report. */
struct pmig_ref_line {
	const char *
		kind; /* the workload it compares with: "anon" (4K) or "thp" (2M) */
	double gbps; /* as published (GB/s) */
	const char
		*what; /* how the kernel copied: "stock kernel, one thread" */
	const char *kernel; /* the kernel it ran on */
	const char *date; /* of the message, YYYY-MM-DD */
	const char
		*cite; /* where it was published: a mailing-list archive URL */
	/* The figure was read in the cited message itself; false: taken from
	 * pmig's research notes, which cite the message, not read there. */
	bool checked;
};

/** A named set-up. */
struct pmig_preset {
	const char *name; /* --preset NAME */
	const char *summary; /* one line: whose set-up, on what */
	const char *machine; /* the published machine, in words */
	size_t bytes; /* the size the publication moved */
	const struct pmig_ref_line *refs;
	size_t nrefs;
};

/** The preset named @name, or NULL. */
const struct pmig_preset *pmig_preset_find(const char *name);
/** The presets' names joined by ", " (for messages). */
const char *pmig_preset_names(void);

/**
 * Whether the preset runs case @c (built by pmig_cases_build() without
 * quick): move_pages with every page in one call (batch:all) on 4K base
 * pages (anon) and THP, and the memcpy copy bound (one thread and one per
 * CPU) between the same nodes.
 */
bool pmig_preset_keeps(const struct pmig_preset *p,
		       const struct pmig_bench_case *c);

/**
 * The pair the preset measures: of the pairs whose both nodes have CPUs
 * and memory (two sockets' nodes, never a CPU-less memory node), the one
 * with the largest known distance; the first in pmig_pairs_select() order
 * on a tie or when no distance is known. 1 with *@out set, or 0 when there
 * is none.
 */
size_t pmig_preset_pair(const struct pmig_topo *t, struct pmig_pair *out);

/**
 * Whether both nodes of @pair have @bytes free (MemFree of
 * @root/sys/devices/system/node/nodeN/meminfo; @root "" for this machine):
 * the pages start on one and end on the other, and the copy bound's
 * destination lives there. 0 when they have (or a node's figure cannot be
 * read: the run then says what failed), -ENOSPC with one line in @why
 * naming the node and its free memory otherwise.
 */
int pmig_preset_room(const char *root, const struct pmig_pair *pair,
		     size_t bytes, char *why, size_t whylen);

#endif
