/* model_impl.h - what the move_pages, migrate_pages and mbind models share: spec-row lookups and folio facts. */
#ifndef PMIG_MODEL_IMPL_H
#define PMIG_MODEL_IMPL_H

#include "model.h"

/*
 * The value of spec row @row on the scenario's kernel: @mainline unless a
 * PMIG_OVERRIDE of the conformance profiles covers the version (@row NULL:
 * no row, @mainline). Rules whose outcome changed across kernels go through
 * here, so the models and the runner read one table.
 */
long pmig_model_rule(const struct pmig_model_scenario *sc, const char *row,
		     long mainline);

/*
 * Whether a PMIG_XFAIL of the profiles covers row @row on the scenario's
 * kernel: a known bug the model then reproduces, so that random scenarios
 * on that kernel compare with what it really does.
 */
bool pmig_model_known_bug(const struct pmig_model_scenario *sc,
			  const char *row);

/** Whether an address of @kind has a page (folio) behind it at all. */
bool pmig_model_has_folio(enum pmig_model_kind kind);

/**
 * Base pages of address @p's folio: its nr_pages, else the geometry's for
 * a THP or hugetlb page, else 1.
 */
unsigned long pmig_model_folio_pages(const struct pmig_model_scenario *sc,
				     size_t p);

/** Whether addresses @a and @b are in one folio. */
bool pmig_model_same_folio(const struct pmig_model_scenario *sc, size_t a,
			   size_t b);

/** Whether @sc's pages and entries are consistent (a broken scenario is the caller's bug). */
bool pmig_model_valid(const struct pmig_model_scenario *sc);

/**
 * The pid and ptrace access checks of find_mm_struct() (move_pages) and
 * kernel_migrate_pages(), in that order: 0 when the caller may work on the
 * target. Two rules changed across kernels: the caller names its rows for
 * them, @nice_row (another user's target, CAP_SYS_NICE without
 * CAP_SYS_PTRACE) and @dumpable_row (a same-uid target that is not
 * dumpable; NULL where the syscall has no such row: -EPERM everywhere).
 */
long pmig_model_check_access(const struct pmig_model_scenario *sc,
			     const char *nice_row, const char *dumpable_row);

/** Whether the target has an mm (not a kernel thread, not past exit_mm()). */
bool pmig_model_target_has_mm(const struct pmig_model_scenario *sc);

/* The bit of node @n in a pmig_model_nodemask. */
#define PMIG_MODEL_NODE(n) ((pmig_model_nodemask)1 << (n))

/** Whether node @node is in @m (a node id outside 0..63 never is). */
static inline bool pmig_model_in_mask(pmig_model_nodemask m, int node)
{
	return node >= 0 && node < 64 && (m & PMIG_MODEL_NODE(node));
}

/**
 * The nodes the caller's allocations may use, cpuset_mems_allowed(current):
 * online memory nodes of the caller's cpuset. migrate_pages(2) and mbind(2)
 * drop every other node of the sets they are given.
 */
pmig_model_nodemask
pmig_model_caller_mems(const struct pmig_model_scenario *sc);

/**
 * Fills @final_node (if not NULL) from @node, the models' per-address
 * nodes after a call: -1 for an address without a page.
 */
void pmig_model_finals(const struct pmig_model_scenario *sc, const int *node,
		       int *final_node);

#endif
