/* model_mbind.c - reference model of mbind(2) with MPOL_MF_MOVE, MOVE_ALL and STRICT, written from the mbind spec rows. */
#include <errno.h>
#include <stdlib.h>

#include "model_impl.h"

#define VALID_FLAGS \
	(PMIG_MODEL_MF_STRICT | PMIG_MODEL_MF_MOVE | PMIG_MODEL_MF_MOVE_ALL)

/* Pages the queueing walk sees: a struct page that is not the zero page. */
static bool walked(enum pmig_model_kind kind)
{
	return kind == PMIG_MODEL_ANON || kind == PMIG_MODEL_THP ||
	       kind == PMIG_MODEL_HUGETLB || kind == PMIG_MODEL_FILE;
}

/*
 * mpol_new() and mpol_set_nodemask(): the new policy's nodes, less those
 * the caller's cpuset or N_MEMORY exclude; none left is -EINVAL (row
 * mbind.return.einval_nodes_outside_cpuset). Returns the node misplaced
 * pages go to, each folio whole whatever its order (rows
 * mbind.placement.bind_move_to_target, mthp.mbind.move_whole_folios,
 * mbind.placement.preferred_move, mbind.placement.cpuless_target,
 * mbind.placement.memfd_cpuless_target), or -errno.
 */
static int policy_target(const struct pmig_model_scenario *sc,
			 const struct pmig_model_mbind *mb)
{
	pmig_model_nodemask m;

	/*
	 * MPOL_DEFAULT with MOVE queues every page (none is on the empty
	 * mask) and reallocates it on the calling CPU's node: not a
	 * scenario fact.
	 */
	if (mb->mode == PMIG_MODEL_MPOL_DEFAULT) {
		if (mb->nodes)
			return -EINVAL;
		if (mb->flags & (PMIG_MODEL_MF_MOVE | PMIG_MODEL_MF_MOVE_ALL))
			abort();
		return -1;
	}
	m = mb->nodes & pmig_model_caller_mems(sc);
	if (!m)
		return -EINVAL;
	/* Several BIND nodes: the page lands by the calling CPU's distances. */
	if (mb->mode == PMIG_MODEL_MPOL_BIND && (m & (m - 1)))
		abort();
	return __builtin_ctzll(m);
}

/*
 * The walk and the migration: a page off the policy's nodes is misplaced.
 * STRICT alone makes a misplaced page -EIO (row
 * mbind.return.eio_strict_misplaced); with MOVE a misplaced folio is
 * queued unless another process maps it too and MOVE_ALL is not given
 * (skipped, not a failure: rows mbind.placement.shared_skipped_without_move_all,
 * mbind.return.strict_move_shared_not_counted; with MOVE_ALL,
 * mbind.placement.shared_moved_with_move_all). A queued folio with an
 * extra reference stays; with STRICT that is -EIO, and the walk goes on
 * (rows mbind.return.eio_strict_move_unmovable,
 * mbind.return.move_unmovable_best_effort,
 * mbind.placement.strict_move_walks_all_vmas).
 */
static long walk_and_move(const struct pmig_model_scenario *sc,
			  const struct pmig_model_mbind *mb, int target,
			  int *node)
{
	size_t end = mb->first + mb->npages;
	bool move = mb->flags & (PMIG_MODEL_MF_MOVE | PMIG_MODEL_MF_MOVE_ALL);
	bool strict = mb->flags & PMIG_MODEL_MF_STRICT;
	long failed = 0;

	if (target < 0) /* MPOL_DEFAULT without MOVE: nothing is misplaced */
		return 0;
	for (size_t p = mb->first; p < end; p++) {
		const struct pmig_model_page *pg = &sc->pages[p];
		bool seen = false;

		if (!walked(pg->kind) || node[p] == target)
			continue;
		for (size_t q = mb->first; q < p; q++)
			seen |= pmig_model_same_folio(sc, p, q);
		if (seen)
			continue;
		if (!move) {
			if (strict)
				return -EIO;
			continue;
		}
		if (pg->shared && !(mb->flags & PMIG_MODEL_MF_MOVE_ALL))
			continue;
		if (pg->unmovable) {
			failed++;
			continue;
		}
		for (size_t q = 0; q < sc->npages; q++)
			if (pmig_model_same_folio(sc, p, q))
				node[q] = target;
	}
	return failed && strict ? -EIO : 0;
}

/* do_mbind(): the argument checks in the kernel's order, then the walk. */
static long mbind(const struct pmig_model_scenario *sc,
		  const struct pmig_model_mbind *mb, int *node)
{
	struct pmig_model_mbind call = *mb;
	int target;

	/* Row mbind.return.einval_bad_flags. */
	if (mb->flags & ~VALID_FLAGS)
		return -EINVAL;
	/*
	 * Rows mbind.return.eperm_move_all_without_cap_sys_nice,
	 * mbind.return.move_all_with_cap_sys_nice.
	 */
	if ((mb->flags & PMIG_MODEL_MF_MOVE_ALL) && !sc->cap_sys_nice)
		return -EPERM;
	/* Row mbind.return.default_ignores_strict. */
	if (mb->mode == PMIG_MODEL_MPOL_DEFAULT)
		call.flags &= ~PMIG_MODEL_MF_STRICT;
	if (!mb->npages) /* row mbind.return.zero_len */
		return 0;
	target = policy_target(sc, mb);
	if (target < -1)
		return target;
	/*
	 * Rows mbind.return.efault_hole_in_range (nothing changes),
	 * mbind.return.default_hole_inside_allowed (MPOL_DEFAULT forgives
	 * gaps) and mbind.return.efault_default_range_unmapped (but not a
	 * range with no mapping).
	 */
	if (mb->unmapped || (mb->gap && target >= 0))
		return -EFAULT;
	return walk_and_move(sc, &call, target, node);
}

long pmig_model_mbind(const struct pmig_model_scenario *sc,
		      const struct pmig_model_mbind *mb, int *final_node)
{
	int *node;
	long ret;

	if (!pmig_model_valid(sc) || mb->first + mb->npages > sc->npages)
		abort(); /* a broken scenario is a bug in the caller */
	node = calloc(sc->npages + 1, sizeof(*node));
	if (!node)
		abort();
	for (size_t p = 0; p < sc->npages; p++)
		node[p] = sc->pages[p].node;
	ret = mbind(sc, mb, node);
	pmig_model_finals(sc, node, final_node);
	free(node);
	return ret;
}
