/* priv.c - capability drops and user switches used by sandboxes and cases. */
#include <errno.h>
#include <grp.h>
#include <sys/capability.h>
#include <unistd.h>

#include "priv.h"

int pmig_priv_drop_caps(uint64_t caps)
{
	cap_t cur = cap_get_proc();
	int ret = 0;

	if (!cur)
		return -errno;
	for (cap_value_t c = 0; c < 64; c++) {
		if (!(caps & PMIG_CAP(c)))
			continue;
		if (cap_set_flag(cur, CAP_EFFECTIVE, 1, &c, CAP_CLEAR) ||
		    cap_set_flag(cur, CAP_PERMITTED, 1, &c, CAP_CLEAR) ||
		    cap_set_flag(cur, CAP_INHERITABLE, 1, &c, CAP_CLEAR)) {
			ret = -errno;
			goto out;
		}
		/* Needs CAP_SETPCAP; the sets above already decide capable(). */
		cap_drop_bound(c);
	}
	if (cap_set_proc(cur))
		ret = -errno;
out:
	cap_free(cur);
	return ret;
}

int pmig_priv_become_user(uid_t uid, gid_t gid)
{
	if (setgroups(0, NULL) || setgid(gid) || setuid(uid))
		return -errno;
	/* A way back to root would make every privilege case lie. */
	if (uid != 0 && setuid(0) == 0)
		return -EPERM;
	return 0;
}
