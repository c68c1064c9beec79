/* procs.h - helper processes that cases migrate or target: page owners, zombies, sharers, kernel threads. */
#ifndef PMIG_PROCS_H
#define PMIG_PROCS_H

#include <stdbool.h>
#include <sys/types.h>

/** A child process that owns one written anonymous page on a node and waits. */
struct pmig_target {
	pid_t pid;
	void *page; /* its address in the target's address space */
	int ctl_fd; /* closing it lets the target exit */
};

struct pmig_target_opts {
	int node; /* where its page is bound and written */
	bool set_user; /* switch to uid/gid before mapping */
	uid_t uid;
	gid_t gid;
	bool dumpable; /* PR_SET_DUMPABLE after the switch (a uid switch clears it) */
};

/** Starts a target and waits until its page is in place. 0 or -errno. */
int pmig_target_start(struct pmig_target *t, const struct pmig_target_opts *o);
/** Ends the target and reaps it. */
void pmig_target_stop(struct pmig_target *t);

/** Forks a child that exits at once and is left unreaped; returns its pid once it is a zombie, or -errno. */
pid_t pmig_zombie_start(void);
void pmig_zombie_reap(pid_t pid);

/** A kernel thread's pid visible in this pid namespace, or -ENOENT. */
pid_t pmig_find_kthread(void);

/** A pid that no process has right now (racy by nature; pid_max is large). */
pid_t pmig_unused_pid(void);

/**
 * Forks a child that maps (reads) the @len bytes at @addr, which must be a
 * MAP_SHARED mapping or private memory about to be COW-shared, and waits.
 * Returns the child's pid once it has touched every page, or -errno.
 */
pid_t pmig_sharer_start(const void *addr, size_t len, size_t page_size);
void pmig_sharer_stop(pid_t pid);

#endif
