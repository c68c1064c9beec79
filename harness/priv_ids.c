/* priv_ids.c - the ids of the unprivileged user the privilege cases become; apart from priv.c because the password database (NSS) has no place in a static program (pmig-timer). */
#include <pwd.h>

#include "priv.h"

void pmig_priv_unprivileged_ids(uid_t *uid, gid_t *gid)
{
	struct passwd *pw = getpwnam("nobody");

	*uid = pw ? pw->pw_uid : 65534;
	*gid = pw ? pw->pw_gid : 65534;
}
