/* cpuset.h - a cgroup v2 cpuset for one case: created, processes moved in, mems changed, removed on every exit path. */
#ifndef PMIG_CPUSET_H
#define PMIG_CPUSET_H

#include <stdbool.h>
#include <sys/types.h>

#include "journal.h"

/** A child cgroup pmig-<pid> of the cgroup2 root, with the cpuset controller. */
struct pmig_cpuset {
	char root[128]; /* where cgroup2 is mounted */
	char path[160]; /* root/pmig-<pid of the creator> */
	char home[256]; /* the creator's own cgroup, to go back to */
	bool entered; /* the creator moved itself in */
	bool memory; /* the memory controller is enabled for it too */
	pid_t janitor; /* the cleanup process */
	int record_fd; /* tells the janitor what was changed */
	int lock_fd;
	unsigned long long jids
		[4]; /* journal records: mount, cpuset enabled, directory, memory enabled */
};

/**
 * Creates the cgroup with cpuset.cpus = every CPU of the root and
 * cpuset.mems = @mems (a node list, "0" or "0,2"). Mounts cgroup2 at
 * /sys/fs/cgroup when no cgroup2 is mounted and nothing else is there, and
 * adds +cpuset to the root's cgroup.subtree_control when it is not there.
 *
 * Before changing anything it forks a janitor process, outside the
 * caller's process group, that undoes every change (kills what is left in
 * the cgroup, removes it, takes cpuset out of subtree_control again if it
 * was added, unmounts what was mounted) when pmig_cpuset_remove() asks it
 * to or when the caller and every process it forked afterwards are dead,
 * killed at a time limit included. An exclusive lock, held by the caller
 * and the janitor, keeps the next cpuset from being set up before that
 * cleanup is done (see pmig_cpuset_settle()).
 *
 * Returns 0; 1 when cgroup2 or its cpuset controller is not available here,
 * with the precise reason in @why; or -errno with the failed step in @why.
 * On a non-zero return nothing is left changed.
 */
int pmig_cpuset_create(struct pmig_cpuset *cs, const char *mems, char *why,
		       size_t len);
/**
 * pmig_cpuset_create(), with the memory controller enabled for the cgroup
 * as well (+memory in the root's subtree_control, taken out again by the
 * same janitor when it was not there), so that it has memory.reclaim and
 * the other memory.* files. Returns 1 with the reason in @why also when
 * cgroup2 offers no memory controller.
 */
int pmig_cpuset_create_memory(struct pmig_cpuset *cs, const char *mems,
			      char *why, size_t len);
/** Writes @mems to cpuset.mems (in cgroup v2 the tasks' pages follow). 0 or -errno. */
int pmig_cpuset_set_mems(struct pmig_cpuset *cs, const char *mems);
/** Moves process @pid, or the caller for 0, into the cgroup. 0 or -errno. */
int pmig_cpuset_move(struct pmig_cpuset *cs, pid_t pid);
/**
 * Moves the caller back to its own cgroup if it entered, has the janitor
 * undo everything and waits for it. Returns 0, or -EBUSY when something
 * could not be undone (the janitor's report names what: see @why).
 */
int pmig_cpuset_remove(struct pmig_cpuset *cs, char *why, size_t len);

/**
 * Where cgroup2 is: its first mount point into @root (returns 0); when none
 * is mounted, /sys/fs/cgroup if it can be mounted there (returns 2: call
 * pmig_cgroup2_mount()); else 1, with the reason in @why.
 */
int pmig_cgroup2_where(char *root, size_t len, char *why, size_t wlen);
/**
 * Mounts cgroup2 at /sys/fs/cgroup, journaled first (*@jid), so that the next
 * run unmounts it after a SIGKILL; pmig_undo_unmount() undoes it. 0, 1
 * with the reason in @why, or -errno when the journal cannot be written.
 */
int pmig_cgroup2_mount(pmig_jid *jid, char *why, size_t len);
/** The caller's cgroup v2 path ("0::/x" in /proc/self/cgroup), "/" if none. */
void pmig_cgroup_own(char *buf, size_t len);
/** Waits until no janitor is at work (for the runner, after each case). */
void pmig_cpuset_settle(void);

#endif
