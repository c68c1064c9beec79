/* syscalls.c - raw migration and memory-policy syscalls, returning -errno on failure. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "syscalls.h"

static long result_of(long ret)
{
	return ret < 0 ? -errno : ret;
}

long pmig_move_pages(pid_t pid, unsigned long count, void **pages,
		     const int *nodes, int *status, int flags)
{
	return result_of(syscall(SYS_move_pages, pid, count, pages, nodes,
				 status, flags));
}

long pmig_migrate_pages(pid_t pid, unsigned long maxnode,
			const unsigned long *old_nodes,
			const unsigned long *new_nodes)
{
	return result_of(
		syscall(SYS_migrate_pages, pid, maxnode, old_nodes, new_nodes));
}

long pmig_mbind(void *addr, unsigned long len, int mode,
		const unsigned long *nodemask, unsigned long maxnode,
		unsigned flags)
{
	return result_of(
		syscall(SYS_mbind, addr, len, mode, nodemask, maxnode, flags));
}

long pmig_set_mempolicy(int mode, const unsigned long *nodemask,
			unsigned long maxnode)
{
	return result_of(syscall(SYS_set_mempolicy, mode, nodemask, maxnode));
}

long pmig_get_mempolicy(int *mode, unsigned long *nodemask,
			unsigned long maxnode, void *addr, unsigned long flags)
{
	return result_of(syscall(SYS_get_mempolicy, mode, nodemask, maxnode,
				 addr, flags));
}

int pmig_page_node(void *addr)
{
	int status = -ESRCH; /* a value the kernel never stores for a query */
	long ret = pmig_move_pages(0, 1, &addr, NULL, &status, 0);

	return ret < 0 ? (int)ret : status;
}

const char *pmig_errno_text(long value, char *buf, unsigned len)
{
	const char *name = value < 0 && value > -4096 ?
				   strerrorname_np((int)-value) :
				   NULL;

	if (name)
		snprintf(buf, len, "-%s", name);
	else
		snprintf(buf, len, "%ld", value);
	return buf;
}
