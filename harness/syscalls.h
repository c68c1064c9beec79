/* syscalls.h - raw wrappers of the migration and memory-policy syscalls, nothing hidden. */
#ifndef PMIG_SYSCALLS_H
#define PMIG_SYSCALLS_H

#include <numaif.h> /* MPOL_* constants only; the calls below bypass libnuma */
#include <sys/types.h>

/*
 * Each wrapper issues syscall(2) with exactly the arguments given and returns
 * the kernel's result: >= 0 on success, -errno on failure (errno is left set
 * too). No argument is checked or adjusted here: that is what is tested.
 */
long pmig_move_pages(pid_t pid, unsigned long count, void **pages,
		     const int *nodes, int *status, int flags);
long pmig_migrate_pages(pid_t pid, unsigned long maxnode,
			const unsigned long *old_nodes,
			const unsigned long *new_nodes);
long pmig_mbind(void *addr, unsigned long len, int mode,
		const unsigned long *nodemask, unsigned long maxnode,
		unsigned flags);
long pmig_set_mempolicy(int mode, const unsigned long *nodemask,
			unsigned long maxnode);
long pmig_get_mempolicy(int *mode, unsigned long *nodemask,
			unsigned long maxnode, void *addr, unsigned long flags);

/**
 * The node that @addr's page is on, from a move_pages(2) status query of the
 * calling process (which, unlike get_mempolicy(MPOL_F_NODE|MPOL_F_ADDR), does
 * not fault the page in). Returns the node id or the negative status.
 */
int pmig_page_node(void *addr);

/** "-ENOENT" for -ENOENT, "0", "3" for other values; @buf holds the text when needed. */
const char *pmig_errno_text(long value, char *buf, unsigned len);

#endif
