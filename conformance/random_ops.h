/* random_ops.h - the migrate_pages(2) and mbind(2) calls a random scenario may make instead of move_pages(2). */
#ifndef PMIG_RANDOM_OPS_H
#define PMIG_RANDOM_OPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model.h"

/* Which call a scenario makes on its pages. */
enum pmig_rnd_op {
	PMIG_RND_OP_MOVE_PAGES, /* the scenario's entries, as before */
	PMIG_RND_OP_MIGRATE_PAGES, /* migrate_pages(0, old, new): the whole process */
	PMIG_RND_OP_MBIND, /* mbind(2) over a run of the scenario's pages */
};

/* The arguments of a migrate_pages(2) or mbind(2) call. */
struct pmig_rnd_call {
	enum pmig_rnd_op op;
	pmig_model_nodemask old_nodes, new_nodes; /* migrate_pages */
	unsigned first,
		npages; /* mbind: pages [first, first + npages); 1 page today */
	enum pmig_model_mpol mode; /* mbind */
	pmig_model_nodemask
		nodes; /* mbind: one node, or none for MPOL_DEFAULT */
	unsigned flags; /* mbind: PMIG_MODEL_MF_* */
};

/**
 * Draws the call of a scenario with @npages pages from @state: mostly
 * move_pages(2), else migrate_pages(2) between sets of @nodes (the
 * machine's memory nodes; @offline, an id that is not online, rarely), or
 * mbind(2) over a page with a policy for one node, mostly not the node
 * the page is on (@page_node[p], -1 for a page without one), so that most
 * calls have something to move or refuse. @below(state, n) is the scenario
 * generator's draw in [0, n).
 */
void pmig_rnd_call_generate(struct pmig_rnd_call *c, uint64_t *state,
			    unsigned (*below)(uint64_t *state, unsigned n),
			    size_t npages, const int *page_node,
			    const int *nodes, size_t nnodes, int offline);

/** Appends " migrate_pages {0,1}->{2}" or " mbind p1 BIND{1} MOVE STRICT" to @buf (used so far: *@used). */
void pmig_rnd_call_format(const struct pmig_rnd_call *c, char *buf, size_t len,
			  size_t *used);

/**
 * The model's prediction of call @c on scenario @sc (move_pages excluded:
 * pmig_model_move_pages). @hole: the mbind range (one page) is unmapped.
 */
long pmig_rnd_call_predict(const struct pmig_rnd_call *c,
			   const struct pmig_model_scenario *sc, bool hole,
			   int *final_node);

#endif
