/* priv.h - privilege changes for cases: drop single capabilities, become an unprivileged user. */
#ifndef PMIG_PRIV_H
#define PMIG_PRIV_H

#include <stdint.h>
#include <sys/types.h>

/** Bit for capability @c in a pmig capability mask. */
#define PMIG_CAP(c) (UINT64_C(1) << (c))

/** Removes the capabilities in @caps from the effective, permitted, inheritable and (if allowed) bounding sets. 0 or -errno. */
int pmig_priv_drop_caps(uint64_t caps);

/**
 * Switches this process to @uid/@gid with no supplementary groups, for
 * good: fails with -EPERM if it could switch back to root afterwards.
 */
int pmig_priv_become_user(uid_t uid, gid_t gid);

/** The ids of user "nobody", or 65534 when the system has no such entry (a bare initramfs). */
void pmig_priv_unprivileged_ids(uid_t *uid, gid_t *gid);

#endif
