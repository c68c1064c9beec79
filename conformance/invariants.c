/* invariants.c - the invariants checked after migrating calls, shared by every case that migrates. */
#include <errno.h>
#include <stdio.h>

#include "check.h"
#include "invariants.h"
#include "syscalls.h"

void pmig_status_reset(int *status, size_t n)
{
	for (size_t i = 0; i < n; i++)
		status[i] = PMIG_STATUS_UNWRITTEN;
}

size_t pmig_status_written(const int *status, size_t n)
{
	size_t end = n;

	while (end > 0 && status[end - 1] == PMIG_STATUS_UNWRITTEN)
		end--;
	return end;
}

/*
 * A node, -ENOENT or -EFAULT describes where the page is (or that there is
 * none): a later query must say the same. Any other error (-EACCES, -EBUSY,
 * ...) is about the attempt: the page is still mapped, on some node. Only a
 * call that gave up (a positive return) may leave entries unwritten, and only
 * at the end: the batch that failed and those never attempted.
 */
bool pmig_inv_status_matches_query_at(const char *file, int line,
				      void *const *addrs, const int *status,
				      size_t n, long ret)
{
	PMIG_CALLED_FROM(file, line);
	size_t written = ret > 0 ? pmig_status_written(status, n) : n;
	char label[64];
	bool ok = true;

	for (size_t i = 0; i < written; i++) {
		int now = pmig_page_node(addrs[i]);

		if (status[i] == PMIG_STATUS_UNWRITTEN) {
			pmig_fail_at(__FILE__, __LINE__,
				     "status[%zu] left unwritten (return %ld)",
				     i, ret);
			ok = false;
		} else if (status[i] >= 0 || status[i] == -ENOENT ||
			   status[i] == -EFAULT) {
			snprintf(label, sizeof(label),
				 "status[%zu] vs later query", i);
			ok &= pmig_check_val(label, status[i], now);
		} else if (now < 0) {
			pmig_fail_at(
				__FILE__, __LINE__,
				"page %zu with status %d is not on any node (query %d)",
				i, status[i], now);
			ok = false;
		}
	}
	return ok;
}

bool pmig_inv_on_target_at(const char *file, int line, void *const *addrs,
			   const int *nodes, const int *status, size_t n)
{
	PMIG_CALLED_FROM(file, line);
	char label[80];
	bool ok = true;

	for (size_t i = 0; i < n; i++) {
		int node = -1;
		long ret;

		if (status[i] != nodes[i])
			continue;
		ret = pmig_get_mempolicy(&node, NULL, 0, addrs[i],
					 MPOL_F_NODE | MPOL_F_ADDR);
		snprintf(label, sizeof(label),
			 "get_mempolicy(MPOL_F_NODE|MPOL_F_ADDR) of page %zu",
			 i);
		ok &= pmig_check_val(label, ret, 0);
		snprintf(label, sizeof(label), "node of page %zu", i);
		ok &= pmig_check_val(label, node, nodes[i]);
	}
	return ok;
}

/*
 * mm/migrate.c do_pages_move(): a status is stored as the target node once
 * its batch migrated, and a batch that fails aborts the call with the failed
 * folios plus the entries not attempted (5984fabb6e82, a7504ed14f9b); their
 * statuses stay unwritten. So: 0 means every entry was written and none is
 * on a node other than its target; a positive count is at most the unwritten
 * tail, which is not empty.
 */
bool pmig_inv_return_counts_at(const char *file, int line, long ret,
			       const int *nodes, const int *status, size_t n)
{
	PMIG_CALLED_FROM(file, line);
	size_t written = pmig_status_written(status, n);
	long elsewhere = 0;
	bool ok = true;

	for (size_t i = 0; i < written; i++)
		if (status[i] >= 0 && status[i] != nodes[i])
			elsewhere++;
	ok &= pmig_check_val("entries reported on a node but not their target",
			     elsewhere, 0);
	if (ret == 0)
		return pmig_check_val("unwritten entries after a return of 0",
				      (long)(n - written), 0) &&
		       ok;
	if (ret > 0 && (written == n || ret > (long)(n - written))) {
		pmig_fail_at(
			__FILE__, __LINE__,
			"return %ld, but %zu entries unwritten: a positive return counts the failed batch and the entries not attempted, whose statuses stay unwritten",
			ret, n - written);
		ok = false;
	}
	return ok;
}

bool pmig_inv_data_intact_at(const char *file, int line,
			     const struct pmig_pages *p)
{
	PMIG_CALLED_FROM(file, line);
	long bad = pmig_pages_first_corrupt(p);

	if (bad >= 0)
		pmig_fail_at(__FILE__, __LINE__,
			     "page %ld of %zu (%s) lost its data", bad,
			     p->count, pmig_page_kind_name(p->kind));
	return bad < 0;
}

void pmig_check_move_invariants_at(const char *file, int line,
				   void *const *addrs, const int *nodes,
				   const int *status, size_t n, long ret,
				   const struct pmig_pages *p)
{
	PMIG_CALLED_FROM(file, line);

	if (ret < 0)
		return; /* status[] is only defined for a call that completed */
	pmig_inv_status_matches_query(addrs, status, n, ret);
	pmig_inv_on_target(addrs, nodes, status,
			   pmig_status_written(status, n));
	pmig_inv_return_counts(ret, nodes, status, n);
	if (p)
		pmig_inv_data_intact(p);
}
