/* model_migrate.c - reference model of migrate_pages(2): which of a scenario's pages move where, and how many fail. */
#include <errno.h>
#include <stdlib.h>

#include "model_impl.h"

static int weight(pmig_model_nodemask m)
{
	return __builtin_popcountll(m);
}

/*
 * node_remap(): the n-th node of @from maps to the (n mod |to|)-th node of
 * @to, so a job's relative layout survives the move (seeds/000: "preserve
 * the relative location of pages"). A node outside @from maps to itself.
 * Rows migrate_pages.return.moves_all_pages, migrate_pages.return.moves_to_cpuless,
 * migrate_pages.return.memfd_moves_to_cpuless,
 * migrate_pages.return.remaps_two_source_nodes.
 */
static int remap(int s, pmig_model_nodemask from, pmig_model_nodemask to)
{
	int ord = 0, want;

	if (!pmig_model_in_mask(from, s) || !to)
		return s;
	for (int n = 0; n < s; n++)
		ord += pmig_model_in_mask(from, n);
	want = ord % weight(to);
	for (int n = 0; n < 64; n++)
		if (pmig_model_in_mask(to, n) && want-- == 0)
			return n;
	return s;
}

/*
 * The kernel moves one node at a time (migrate_to_node()), picking the
 * next <source, dest> pair so that, where it can, no node receives pages
 * before its own have left: the lowest source whose dest is not still
 * waiting to be emptied, else the last candidate seen. With unequal set
 * sizes a source that is also a destination stays put ("[0-7] -> [3,4,5]
 * moves only 0,1,2,6,7", mm/mempolicy.c do_migrate_pages()). The choice
 * matters: a page moved into a node that is emptied later moves again, so
 * old = {0,1}, new = {1,0} leaves every page on node 1; with {0,1} ->
 * {1,2} node 1 goes first, so no page moves twice (row
 * migrate_pages.return.remaps_two_source_nodes).
 */
static bool next_pair(pmig_model_nodemask *left, pmig_model_nodemask from,
		      pmig_model_nodemask to, int *source, int *dest)
{
	bool found = false;

	for (int s = 0; s < 64; s++) {
		int d;

		if (!pmig_model_in_mask(*left, s))
			continue;
		if (weight(from) != weight(to) && pmig_model_in_mask(to, s))
			continue;
		d = remap(s, from, to);
		if (d == s)
			continue;
		*source = s;
		*dest = d;
		found = true;
		if (!pmig_model_in_mask(*left, d))
			break;
	}
	if (found)
		*left &= ~PMIG_MODEL_NODE(*source);
	return found;
}

/*
 * Pages migrate_pages(2) walks: those with a struct page in a migratable
 * VMA; with nothing to move it returns 0 (row
 * migrate_pages.return.zero_nothing_to_move).
 */
static bool walked(enum pmig_model_kind kind)
{
	return kind == PMIG_MODEL_ANON || kind == PMIG_MODEL_THP ||
	       kind == PMIG_MODEL_HUGETLB || kind == PMIG_MODEL_FILE;
}

/*
 * One migrate_to_node(): every folio on @source goes to @dest, except a
 * shared one without MPOL_MF_MOVE_ALL (skipped, not counted: row
 * migrate_pages.return.shared_skipped_without_cap_sys_nice) and one with
 * an extra reference, which stays and counts as not migrated (row
 * migrate_pages.return.positive_count_pinned; a large folio counts once:
 * migrate_pages.return.positive_count_pinned_thp; the counts of every
 * source node add up: migrate_pages.return.positive_count_two_source_nodes).
 * A folio moves whole, whatever its order (mthp.migrate_pages.whole_folios_move).
 * Returns that count. The
 * pages go to @dest even when it lies outside the target's cpuset: the
 * copy is allocated in the caller's context (row
 * migrate_pages.status.cap_sys_nice_crosses_target_cpuset).
 */
static long move_node(const struct pmig_model_scenario *sc, int *node,
		      bool *done, int source, int dest)
{
	long failed = 0;

	for (size_t p = 0; p < sc->npages; p++)
		done[p] = false;
	for (size_t p = 0; p < sc->npages; p++) {
		const struct pmig_model_page *pg = &sc->pages[p];

		if (done[p] || !walked(pg->kind) || node[p] != source)
			continue;
		for (size_t q = p; q < sc->npages; q++)
			done[q] |= pmig_model_same_folio(sc, p, q);
		if (pg->shared && !sc->cap_sys_nice)
			continue;
		if (pg->unmovable) {
			failed++;
			continue;
		}
		for (size_t q = p; q < sc->npages; q++)
			if (pmig_model_same_folio(sc, p, q))
				node[q] = dest;
	}
	return failed;
}

static bool subset_of_target_cpuset(const struct pmig_model_scenario *sc,
				    pmig_model_nodemask m)
{
	for (int n = 0; n < 64; n++)
		if (pmig_model_in_mask(m, n) &&
		    ((size_t)n >= sc->nnodes || !sc->nodes[n].in_target_cpuset))
			return false;
	return true;
}

/* kernel_migrate_pages(): the checks, in the kernel's order. */
static long check(const struct pmig_model_scenario *sc,
		  pmig_model_nodemask *new_nodes)
{
	long err = pmig_model_check_access(
		sc, "migrate_pages.return.eperm_other_user_with_cap_sys_nice",
		"migrate_pages.return.eperm_same_uid_not_dumpable");

	if (err)
		return err;
	/*
	 * Rows migrate_pages.return.eperm_new_outside_cpuset,
	 * migrate_pages.return.eperm_node_outside_target_cpuset; CAP_SYS_NICE
	 * waives the check (migrate_pages.status.cap_sys_nice_crosses_target_cpuset).
	 */
	if (!subset_of_target_cpuset(sc, *new_nodes) && !sc->cap_sys_nice)
		return -EPERM;
	/*
	 * Rows migrate_pages.return.einval_empty_new,
	 * migrate_pages.return.einval_new_offline_only,
	 * migrate_pages.return.einval_memoryless_only,
	 * migrate_pages.return.einval_nodes_outside_own_cpuset.
	 */
	*new_nodes &= pmig_model_caller_mems(sc);
	if (!*new_nodes)
		return -EINVAL;
	/*
	 * Rows migrate_pages.return.einval_kernel_thread,
	 * migrate_pages.return.einval_zombie.
	 */
	if (!pmig_model_target_has_mm(sc))
		return -EINVAL;
	return 0;
}

long pmig_model_migrate_pages(const struct pmig_model_scenario *sc,
			      pmig_model_nodemask old_nodes,
			      pmig_model_nodemask new_nodes, int *final_node)
{
	pmig_model_nodemask left = old_nodes;
	int *node, source, dest;
	bool *done;
	long ret;

	if (!pmig_model_valid(sc))
		abort(); /* a broken scenario is a bug in the caller */
	node = calloc(sc->npages + 1, sizeof(*node));
	done = calloc(sc->npages + 1, sizeof(*done));
	if (!node || !done)
		abort();
	for (size_t p = 0; p < sc->npages; p++)
		node[p] = sc->pages[p].node;
	ret = check(sc, &new_nodes);
	while (ret >= 0 &&
	       next_pair(&left, old_nodes, new_nodes, &source, &dest))
		ret += move_node(sc, node, done, source, dest);
	pmig_model_finals(sc, node, final_node);
	free(node);
	free(done);
	return ret;
}
