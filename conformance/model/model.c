/* model.c - reference model of move_pages(2), written from the spec rows (the .def files of conformance/spec), not from kernel code. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "model_impl.h"

#define NO_NODE INT_MIN
#define ERRNO_MAX 4095

/* Everything one prediction changes; the scenario itself stays const. */
struct state {
	const struct pmig_model_scenario *sc;
	int *status;
	int *node; /* per address: the node its page is on now */
	bool *isolated; /* per address: its folio is queued in the batch */
	/*
	 * Per address: its base page was migrated by this call and sits in the
	 * per-CPU LRU pagevec (kernels before 5.13), not yet on the LRU.
	 */
	bool *pending;
	long *free; /* per node: pages it can still give */
	size_t *queue; /* addresses queued in the current batch */
	size_t nqueued;
};

void pmig_model_scenario_init(struct pmig_model_scenario *sc)
{
	memset(sc, 0, sizeof(*sc));
	sc->flags = PMIG_MODEL_MF_MOVE;
	sc->pid = PMIG_MODEL_PID_SELF;
	sc->same_uid = true;
	sc->target_dumpable = true;
	sc->fault_at = SIZE_MAX;
}

long pmig_model_rule(const struct pmig_model_scenario *sc, const char *row,
		     long mainline)
{
	const struct pmig_platform on = { .kv = sc->kver,
					  .arch = sc->arch,
					  .page_size = sc->geometry.page_size };
	const struct pmig_profile_entry *e;

	if (!sc->profiles || !row)
		return mainline;
	e = pmig_profile_lookup(sc->profiles, sc->nprofiles, row, &on, false);
	return e ? e->expect : mainline;
}

bool pmig_model_known_bug(const struct pmig_model_scenario *sc, const char *row)
{
	const struct pmig_platform on = { .kv = sc->kver,
					  .arch = sc->arch,
					  .page_size = sc->geometry.page_size };

	return sc->profiles &&
	       pmig_profile_lookup(sc->profiles, sc->nprofiles, row, &on, true);
}

unsigned long pmig_model_folio_pages(const struct pmig_model_scenario *sc,
				     size_t p)
{
	const struct pmig_model_page *pg = &sc->pages[p];
	unsigned long n = pg->nr_pages;

	if (!n && pg->kind == PMIG_MODEL_THP)
		n = sc->geometry.thp_pages;
	if (!n && pg->kind == PMIG_MODEL_HUGETLB)
		n = sc->geometry.hugetlb_pages;
	return n ? n : 1;
}

static bool is_errno(long v)
{
	return v < 0 && v >= -ERRNO_MAX;
}

bool pmig_model_has_folio(enum pmig_model_kind kind)
{
	return kind != PMIG_MODEL_HOLE && kind != PMIG_MODEL_NEVER_TOUCHED &&
	       kind != PMIG_MODEL_SWAPPED;
}

bool pmig_model_same_folio(const struct pmig_model_scenario *sc, size_t a,
			   size_t b)
{
	return a == b ||
	       (sc->pages[a].folio && sc->pages[a].folio == sc->pages[b].folio);
}

/*
 * Rows move_pages.return.esrch_no_such_pid, move_pages.return.eperm_other_user,
 * move_pages.return.eperm_other_user_with_cap_sys_nice,
 * move_pages.return.other_user_with_cap_sys_ptrace,
 * move_pages.return.eperm_same_uid_not_dumpable,
 * move_pages.return.same_uid_dumpable_allowed,
 * migrate_pages.return.esrch_no_such_pid, migrate_pages.return.eperm_other_user,
 * migrate_pages.return.eperm_other_user_with_cap_sys_nice,
 * migrate_pages.return.other_user_with_cap_sys_ptrace,
 * migrate_pages.return.same_uid_dumpable_allowed,
 * migrate_pages.return.eperm_same_uid_not_dumpable; for a move as for a
 * query: move_pages.return.eperm_other_user_move_with_cap_sys_nice,
 * move_pages.return.other_user_move_with_cap_sys_ptrace.
 */
long pmig_model_check_access(const struct pmig_model_scenario *sc,
			     const char *nice_row, const char *dumpable_row)
{
	long err = 0;

	if (sc->pid == PMIG_MODEL_PID_SELF)
		return 0;
	if (sc->pid == PMIG_MODEL_PID_NONE)
		return -ESRCH;
	/* ptrace_may_access(PTRACE_MODE_READ_REALCREDS) since 4.13. */
	if (!sc->cap_sys_ptrace) {
		if (!sc->same_uid)
			err = sc->cap_sys_nice ?
				      pmig_model_rule(sc, nice_row, -EPERM) :
				      -EPERM;
		else if (!sc->target_dumpable)
			err = pmig_model_rule(sc, dumpable_row, -EPERM);
	}
	return err;
}

/*
 * Rows move_pages.return.einval_kernel_thread, move_pages.return.einval_zombie,
 * migrate_pages.return.einval_kernel_thread, migrate_pages.return.einval_zombie.
 */
bool pmig_model_target_has_mm(const struct pmig_model_scenario *sc)
{
	/* No mm: a kernel thread, or a task past exit_mm(). */
	return sc->pid != PMIG_MODEL_PID_KTHREAD &&
	       sc->pid != PMIG_MODEL_PID_ZOMBIE;
}

/*
 * The status a query gives for address @p (do_pages_stat): rows
 * move_pages.status.efault_no_vma, move_pages.status.enoent_not_present,
 * move_pages.kind.swapped_status_enoent, move_pages.status.efault_zero_page,
 * move_pages.kind.huge_zero_page_status; else the page's node, whatever its
 * kind: move_pages.status.node_present, move_pages.kind.thp_status_subpages,
 * move_pages.kind.hugetlb_status_subpages, move_pages.kind.memfd_status,
 * move_pages.kind.anon_cow_status, move_pages.kind.file_clean_status,
 * move_pages.kind.file_dirty_status, move_pages.kind.ksm_status,
 * move_pages.kind.mlocked_status, move_pages.kind.anon_unaligned_status.
 */
static int query_one(const struct pmig_model_scenario *sc, size_t p)
{
	const struct pmig_model_page *pg = &sc->pages[p];

	switch (pg->kind) {
	case PMIG_MODEL_HOLE:
		return -EFAULT;
	case PMIG_MODEL_NEVER_TOUCHED:
		return (int)pmig_model_rule(
			sc, "move_pages.status.enoent_not_present", -ENOENT);
	case PMIG_MODEL_SWAPPED:
		return -ENOENT;
	case PMIG_MODEL_ZERO:
		return (int)pmig_model_rule(
			sc, "move_pages.status.efault_zero_page", -EFAULT);
	case PMIG_MODEL_HUGE_ZERO:
		return (int)pmig_model_rule(
			sc, "move_pages.kind.huge_zero_page_status", -EFAULT);
	default:
		return pg->node;
	}
}

/* The chunk size of do_pages_stat(): a fault loses only the current chunk. */
#define STAT_CHUNK 16

/*
 * Rows move_pages.return.efault_pages_array and
 * move_pages.return.efault_status_array, on a query.
 */
static long query(const struct pmig_model_scenario *sc, int *status)
{
	size_t i;

	if (sc->status_readonly && sc->count)
		return -EFAULT;
	for (i = 0; i < sc->count; i++) {
		if (i == sc->fault_at) {
			for (size_t j = i - i % STAT_CHUNK; j < i; j++)
				status[j] = PMIG_MODEL_UNWRITTEN;
			return -EFAULT;
		}
		status[i] = query_one(sc, sc->entries[i].page);
	}
	return 0;
}

static void set_isolated(struct state *st, size_t p, bool on)
{
	for (size_t q = 0; q < st->sc->npages; q++)
		if (pmig_model_same_folio(st->sc, p, q))
			st->isolated[q] = on;
}

/*
 * add_folio_for_migration(): > 0 queued, 0 already on @node (row
 * move_pages.status.node_already_on_target), or the entry's errno status.
 * No page: rows move_pages.status.efault_no_vma_move,
 * move_pages.status.enoent_not_present_move, move_pages.kind.swapped_move_enoent,
 * move_pages.status.efault_zero_page_move, move_pages.kind.huge_zero_page_move.
 * Mapped by another process too, without MOVE_ALL:
 * move_pages.status.eacces_shared_without_move_all,
 * move_pages.kind.anon_cow_eacces_without_move_all,
 * move_pages.kind.memfd_shared_eacces_without_move_all,
 * move_pages.kind.ksm_eacces_without_move_all. A hugetlb tail address:
 * move_pages.kind.hugetlb_tail_address_moved. A folio queued already:
 * move_pages.status.ebusy_duplicate_address,
 * move_pages.kind.thp_subpages_ebusy_second, a folio of any order
 * (mthp.move_pages.every_subpage_status_ebusy_second),
 * move_pages.kind.hugetlb_subpages_ebusy_second,
 * move_pages.kind.anon_unaligned_same_page_ebusy.
 */
static long add_one(struct state *st, size_t p, int node)
{
	const struct pmig_model_scenario *sc = st->sc;
	const struct pmig_model_page *pg = &sc->pages[p];
	long v;

	switch (pg->kind) {
	case PMIG_MODEL_HOLE:
		return -EFAULT;
	case PMIG_MODEL_NEVER_TOUCHED:
		return pmig_model_rule(
			sc, "move_pages.status.enoent_not_present_move",
			-ENOENT);
	case PMIG_MODEL_SWAPPED:
		return -ENOENT;
	case PMIG_MODEL_ZERO:
		return pmig_model_rule(
			sc, "move_pages.status.efault_zero_page_move", -EFAULT);
	case PMIG_MODEL_HUGE_ZERO:
		return pmig_model_rule(
			sc, "move_pages.kind.huge_zero_page_move", -EFAULT);
	default:
		break;
	}
	if (st->node[p] == node)
		return 0;
	if (pg->shared && !(sc->flags & PMIG_MODEL_MF_MOVE_ALL))
		return -EACCES;
	/* Kernels that isolated hugetlb pages only by their head address. */
	if (pg->kind == PMIG_MODEL_HUGETLB && pg->tail) {
		v = pmig_model_rule(
			sc, "move_pages.kind.hugetlb_tail_address_moved", 1);
		if (is_errno(v))
			return v;
	}
	if (st->isolated[p])
		return -EBUSY; /* the folio is queued already */
	/*
	 * A base page an earlier batch migrated: today it is on the LRU at
	 * once; before 5.13 it sat in a per-CPU LRU pagevec, so isolating it
	 * again failed (the pagevec holds 15, more than a scenario moves).
	 */
	if (st->pending[p]) {
		v = pmig_model_rule(
			sc, "move_pages.status.moved_again_later_in_call", 1);
		if (is_errno(v))
			return v;
	}
	set_isolated(st, p, true);
	st->queue[st->nqueued++] = p;
	return 1;
}

/*
 * The new folio of address @p goes back on the LRU through the per-CPU
 * pagevec: a base page waits there, a THP (compound) drains the pagevec,
 * earlier waiting pages with it; hugetlb pages are not on the LRU.
 */
static void put_back(struct state *st, size_t p)
{
	const struct pmig_model_scenario *sc = st->sc;

	if (sc->pages[p].kind == PMIG_MODEL_HUGETLB)
		return;
	if (pmig_model_folio_pages(sc, p) > 1)
		memset(st->pending, 0, sc->npages * sizeof(*st->pending));
	else
		for (size_t q = 0; q < sc->npages; q++)
			if (pmig_model_same_folio(sc, p, q))
				st->pending[q] = true;
}

/*
 * migrate_pages() of the queued folios to @node, each folio whole, of any
 * order (its nr_pages: mthp.move_pages.tail_address_moves_whole_folio;
 * rows move_pages.kind.thp_moved_whole, move_pages.kind.thp_tail_address_moved,
 * move_pages.kind.hugetlb_moved; to a node without CPUs,
 * move_pages.status.thp_moved_to_cpuless): the count of folios that
 * failed, pinned (move_pages.return.positive_count_pinned; a THP counts
 * once, move_pages.return.positive_count_pinned_thp), or -ENOMEM when the node
 * cannot supply one, which ends the whole migration; folios before it
 * have moved (move_pages.return.enomem_target_node_full; a node outside
 * the caller's cpuset, move_pages.return.enomem_node_outside_caller_cpuset).
 */
static long migrate_queue(struct state *st, int node)
{
	const struct pmig_model_scenario *sc = st->sc;
	const struct pmig_model_node *n = &sc->nodes[node];
	long failed = 0;
	size_t k;

	for (k = 0; k < st->nqueued; k++) {
		size_t p = st->queue[k];
		unsigned long need = pmig_model_folio_pages(sc, p);

		if (sc->pages[p].unmovable) {
			failed++;
			continue;
		}
		if (!n->in_caller_cpuset ||
		    (st->free[node] >= 0 &&
		     (unsigned long)st->free[node] < need))
			return -ENOMEM;
		if (st->free[node] >= 0)
			st->free[node] -= (long)need;
		for (size_t q = 0; q < sc->npages; q++)
			if (pmig_model_same_folio(sc, p, q))
				st->node[q] = node;
		put_back(st, p);
	}
	return failed;
}

/* Row move_pages.return.efault_status_array, on a move. */
static long store(struct state *st, size_t i, int v)
{
	if (st->sc->status_readonly)
		return -EFAULT;
	st->status[i] = v;
	return 0;
}

/*
 * Migrates the batch [start, i) to @node and stores its statuses; on
 * failures returns them plus the entries not attempted ([i, count)) and
 * stores nothing (rows move_pages.return.positive_count_not_attempted,
 * move_pages.return.positive_count_not_attempted_thp: entries, whatever
 * the folios behind them).
 * Before a7504ed14f9b the count was one short (count - i - 1), a known bug
 * (rows move_pages.return.positive_count_not_attempted and
 * move_pages.return.positive_count_pinned).
 */
static bool short_count(const struct pmig_model_scenario *sc)
{
	return pmig_model_known_bug(
		sc, "move_pages.return.positive_count_not_attempted");
}

static long flush(struct state *st, int node, size_t start, size_t i)
{
	long err;
	size_t k;

	if (!st->nqueued)
		return 0;
	err = migrate_queue(st, node);
	for (k = 0; k < st->nqueued; k++)
		set_isolated(st, st->queue[k], false);
	st->nqueued = 0;
	/* A failed batch stores no status, even where the short count is 0. */
	if (err > 0)
		return err + (long)(st->sc->count - i) -
		       (short_count(st->sc) ? 1 : 0);
	if (err)
		return err;
	for (k = start; k < i; k++)
		if (store(st, k, node))
			return -EFAULT;
	return 0;
}

/*
 * The per-entry checks of the target node, before any page is looked at.
 * A fault reading pages[i] or nodes[i]: rows
 * move_pages.return.efault_pages_array, move_pages.return.efault_nodes_array,
 * move_pages.return.e2big_not_generated. Then rows
 * move_pages.return.enodev_negative_node,
 * move_pages.return.enodev_node_beyond_max,
 * move_pages.return.enodev_offline_node,
 * move_pages.return.enodev_memoryless_node,
 * move_pages.return.eacces_node_outside_own_cpuset,
 * move_pages.return.eacces_later_entry_outside_own_cpuset (each entry is
 * checked as it is read), move_pages.return.eacces_node_outside_target_cpuset.
 */
static long check_entry(const struct pmig_model_scenario *sc, size_t i)
{
	int node = sc->entries[i].target;

	if (i == sc->fault_at)
		return -EFAULT;
	if (node < 0 || node >= PMIG_MODEL_MAX_NUMNODES)
		return -ENODEV;
	if ((size_t)node >= sc->nnodes || !sc->nodes[node].online ||
	    !sc->nodes[node].has_memory)
		return -ENODEV;
	if (!sc->nodes[node].in_target_cpuset)
		return -EACCES;
	return 0;
}

/*
 * do_pages_move(): consecutive entries for one node form a batch, and a
 * batch's statuses are its node: rows move_pages.status.node_moved,
 * move_pages.status.node_moved_to_cpuless,
 * move_pages.status.shared_moved_with_move_all, move_pages.kind.memfd_moved,
 * move_pages.kind.memfd_shared_moved_with_move_all,
 * move_pages.kind.anon_cow_moved_with_move_all, move_pages.kind.file_clean_moved,
 * move_pages.kind.file_dirty_moved, move_pages.kind.ksm_moved_with_move_all,
 * move_pages.kind.mlocked_moved, move_pages.kind.anon_unaligned_moved. A
 * fatal entry error flushes the batch before it
 * (move_pages.status.partial_before_fatal_error) and leaves later statuses
 * alone (move_pages.invariant.untouched_after_fatal_error). Nothing to move
 * is 0 (move_pages.return.zero_when_nothing_to_move, move_pages.return.zero_count).
 */
static long move(struct state *st)
{
	const struct pmig_model_scenario *sc = st->sc;
	int cur = NO_NODE;
	size_t start = 0, i;
	long err = 0, err1;

	for (i = 0; i < sc->count; i++) {
		int node = sc->entries[i].target;

		err = check_entry(sc, i);
		if (err)
			goto out_flush;
		if (cur == NO_NODE) {
			cur = node;
			start = i;
		} else if (node != cur) {
			err = flush(st, cur, start, i);
			if (err)
				return err;
			start = i;
			cur = node;
		}
		err = add_one(st, sc->entries[i].page, cur);
		if (err > 0)
			continue;
		/* Entry i has its status: store it, then flush the batch. */
		err = store(st, i, err ? (int)err : cur);
		if (err)
			goto out_flush;
		err = flush(st, cur, start, i);
		if (err) {
			/* Entry i is not "not attempted" (the short count had it right). */
			if (err > 0 && !short_count(sc))
				err--;
			return err;
		}
		cur = NO_NODE;
	}
out_flush:
	err1 = cur == NO_NODE ? 0 : flush(st, cur, start, i);
	return err >= 0 ? err1 : err;
}

bool pmig_model_valid(const struct pmig_model_scenario *sc)
{
	for (size_t i = 0; i < sc->count; i++)
		if (sc->entries[i].page >= sc->npages)
			return false;
	for (size_t p = 0; p < sc->npages; p++)
		if (pmig_model_has_folio(sc->pages[p].kind) &&
		    (sc->pages[p].node < 0 ||
		     (size_t)sc->pages[p].node >= sc->nnodes))
			return false;
	return true;
}

pmig_model_nodemask pmig_model_caller_mems(const struct pmig_model_scenario *sc)
{
	pmig_model_nodemask m = 0;

	for (size_t n = 0; n < sc->nnodes && n < 64; n++)
		if (sc->nodes[n].online && sc->nodes[n].has_memory &&
		    sc->nodes[n].in_caller_cpuset)
			m |= PMIG_MODEL_NODE(n);
	return m;
}

void pmig_model_finals(const struct pmig_model_scenario *sc, const int *node,
		       int *final_node)
{
	if (!final_node)
		return;
	for (size_t p = 0; p < sc->npages; p++)
		final_node[p] =
			pmig_model_has_folio(sc->pages[p].kind) ? node[p] : -1;
}

/*
 * kernel_move_pages(). Its statuses and final nodes keep rows
 * move_pages.invariant.status_matches_query (a status is what a query of
 * the page then says), move_pages.invariant.return_counts_unmigrated and
 * move_pages.invariant.moved_pages_on_target by construction.
 */
long pmig_model_move_pages(const struct pmig_model_scenario *sc, int *status,
			   int *final_node)
{
	struct state st = { .sc = sc, .status = status };
	long ret;
	size_t i;

	for (i = 0; i < sc->count; i++)
		status[i] = PMIG_MODEL_UNWRITTEN;
	if (!pmig_model_valid(sc))
		abort(); /* a broken scenario is a bug in the caller */
	/*
	 * Rows move_pages.return.einval_bad_flags, then
	 * move_pages.return.eperm_move_all_without_cap_sys_nice (and
	 * move_pages.return.move_all_with_cap_sys_nice).
	 */
	if (sc->flags & ~(PMIG_MODEL_MF_MOVE | PMIG_MODEL_MF_MOVE_ALL))
		ret = -EINVAL;
	else if ((sc->flags & PMIG_MODEL_MF_MOVE_ALL) && !sc->cap_sys_nice)
		ret = -EPERM;
	else
		ret = pmig_model_check_access(
			sc,
			"move_pages.return.eperm_other_user_with_cap_sys_nice",
			"move_pages.return.eperm_same_uid_not_dumpable");
	if (ret == 0 && !pmig_model_target_has_mm(sc))
		ret = -EINVAL;
	if (ret == 0 && sc->query)
		ret = query(sc, status);
	if (ret == 0 && !sc->query) {
		st.node = calloc(sc->npages + 1, sizeof(*st.node));
		st.isolated = calloc(sc->npages + 1, sizeof(*st.isolated));
		st.pending = calloc(sc->npages + 1, sizeof(*st.pending));
		st.queue = calloc(sc->count + 1, sizeof(*st.queue));
		st.free = calloc(sc->nnodes + 1, sizeof(*st.free));
		if (!st.node || !st.isolated || !st.pending || !st.queue ||
		    !st.free)
			abort();
		for (i = 0; i < sc->npages; i++)
			st.node[i] = sc->pages[i].node;
		for (i = 0; i < sc->nnodes; i++)
			st.free[i] = sc->nodes[i].free_pages;
		ret = move(&st);
	}
	if (final_node)
		for (i = 0; i < sc->npages; i++)
			final_node[i] =
				!pmig_model_has_folio(sc->pages[i].kind) ? -1 :
				st.node ? st.node[i] :
					  sc->pages[i].node;
	free(st.node);
	free(st.isolated);
	free(st.pending);
	free(st.queue);
	free(st.free);
	return ret;
}
