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

/*
 * A node, -ENOENT or -EFAULT describes where the page is (or that there is
 * none): a later query must say the same. Any other error (-EACCES, -EBUSY,
 * ...) is about the attempt: the page is still mapped, on some node.
 */
bool pmig_inv_status_matches_query(void *const *addrs, const int *status,
				   size_t n)
{
	char label[64];
	bool ok = true;

	for (size_t i = 0; i < n; i++) {
		int now = pmig_page_node(addrs[i]);

		if (status[i] == PMIG_STATUS_UNWRITTEN) {
			pmig_fail_at(__FILE__, __LINE__,
				     "status[%zu] left unwritten", i);
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

bool pmig_inv_on_target(void *const *addrs, const int *nodes, const int *status,
			size_t n)
{
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

bool pmig_inv_return_counts(long ret, const int *nodes, const int *status,
			    size_t n)
{
	long unmigrated = 0;

	for (size_t i = 0; i < n; i++)
		if (status[i] != nodes[i] && status[i] >= 0)
			unmigrated++;
		else if (status[i] == PMIG_STATUS_UNWRITTEN)
			unmigrated++;
	return pmig_check_val("return value vs entries not migrated", ret,
			      unmigrated);
}

bool pmig_inv_data_intact(const struct pmig_pages *p)
{
	long bad = pmig_pages_first_corrupt(p);

	if (bad >= 0)
		pmig_fail_at(__FILE__, __LINE__,
			     "page %ld of %zu (%s) lost its data", bad,
			     p->count, pmig_page_kind_name(p->kind));
	return bad < 0;
}

void pmig_check_move_invariants(void *const *addrs, const int *nodes,
				const int *status, size_t n, long ret,
				const struct pmig_pages *p)
{
	if (ret < 0)
		return; /* status[] is only defined for a call that completed */
	pmig_inv_status_matches_query(addrs, status, n);
	pmig_inv_on_target(addrs, nodes, status, n);
	pmig_inv_return_counts(ret, nodes, status, n);
	if (p)
		pmig_inv_data_intact(p);
}
