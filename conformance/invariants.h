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

/*
 * Each check is called through its macro, so that a failure names the
 * caller's line (PMIG_CALLED_FROM in check.h).
 */

/**
 * Node, -ENOENT and -EFAULT statuses equal a later query; other errors leave
 * the page on a node; none unwritten, except a tail after a positive @ret.
 */
#define pmig_inv_status_matches_query(addrs, status, n, ret)                   \
	pmig_inv_status_matches_query_at(__FILE__, __LINE__, addrs, status, n, \
					 ret)
/** Each page whose status is its target node is there by get_mempolicy(MPOL_F_NODE|MPOL_F_ADDR). */
#define pmig_inv_on_target(addrs, nodes, status, n) \
	pmig_inv_on_target_at(__FILE__, __LINE__, addrs, nodes, status, n)
/** 0: all written, all on target or an error; > 0: at most the unwritten tail. */
#define pmig_inv_return_counts(ret, nodes, status, n) \
	pmig_inv_return_counts_at(__FILE__, __LINE__, ret, nodes, status, n)
/** Every written page of @p still holds its pattern. */
#define pmig_inv_data_intact(p) pmig_inv_data_intact_at(__FILE__, __LINE__, p)
/** All four, after a move_pages(2) call that moved @p (NULL: no data to check). */
#define pmig_check_move_invariants(addrs, nodes, status, n, ret, p)     \
	pmig_check_move_invariants_at(__FILE__, __LINE__, addrs, nodes, \
				      status, n, ret, p)

bool pmig_inv_status_matches_query_at(const char *file, int line,
				      void *const *addrs, const int *status,
				      size_t n, long ret);
bool pmig_inv_on_target_at(const char *file, int line, void *const *addrs,
			   const int *nodes, const int *status, size_t n);
bool pmig_inv_return_counts_at(const char *file, int line, long ret,
			       const int *nodes, const int *status, size_t n);
bool pmig_inv_data_intact_at(const char *file, int line,
			     const struct pmig_pages *p);
void pmig_check_move_invariants_at(const char *file, int line,
				   void *const *addrs, const int *nodes,
				   const int *status, size_t n, long ret,
				   const struct pmig_pages *p);

#endif
