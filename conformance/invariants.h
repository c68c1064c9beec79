/* invariants.h - checks that hold after every migrating call. */
#ifndef PMIG_INVARIANTS_H
#define PMIG_INVARIANTS_H

#include <stdbool.h>
#include <stddef.h>

#include "pages.h"

/* Pre-filled into status[]: neither a node id nor an errno (man move_pages.2 advice). */
#define PMIG_STATUS_UNWRITTEN (-4242)

/** Fills @status with PMIG_STATUS_UNWRITTEN. */
void pmig_status_reset(int *status, size_t n);

/** Entries before the trailing run of unwritten ones. */
size_t pmig_status_written(const int *status, size_t n);

/**
 * Node, -ENOENT and -EFAULT statuses equal a later query; other errors leave
 * the page on a node; none unwritten, except a tail after a positive @ret.
 */
bool pmig_inv_status_matches_query(void *const *addrs, const int *status,
				   size_t n, long ret);
/** Each page whose status is its target node is there by get_mempolicy(MPOL_F_NODE|MPOL_F_ADDR). */
bool pmig_inv_on_target(void *const *addrs, const int *nodes, const int *status,
			size_t n);
/** 0: all written, all on target or an error; > 0: at most the unwritten tail. */
bool pmig_inv_return_counts(long ret, const int *nodes, const int *status,
			    size_t n);
/** Every written page of @p still holds its pattern. */
bool pmig_inv_data_intact(const struct pmig_pages *p);

/** All four, after a move_pages(2) call that moved @p (NULL: no data to check). */
void pmig_check_move_invariants(void *const *addrs, const int *nodes,
				const int *status, size_t n, long ret,
				const struct pmig_pages *p);

#endif
