/* kver.c - turns a kernel release string into a comparable number and finds the profile row for it. */
#include "kver.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>

#include "pagesizes.h"
#include "size.h"

/* Far above any real component, low enough that parsing never overflows. */
#define KVER_PART_CAP 100000u

/* Parses decimal digits at *@s; false when there are none. Large values stop at KVER_PART_CAP. */
static bool kver_number(const char **s, unsigned *out)
{
	const char *p = *s;
	unsigned v = 0;

	if (*p < '0' || *p > '9')
		return false;
	for (; *p >= '0' && *p <= '9'; p++)
		if (v < KVER_PART_CAP)
			v = v * 10 + (unsigned)(*p - '0');
	*out = v;
	*s = p;
	return true;
}

int pmig_kver_parse(const char *release, uint32_t *kv)
{
	unsigned major, minor, sub = 0;
	const char *p = release;

	if (!release || !kv)
		return -EINVAL;
	if (!kver_number(&p, &major) || *p++ != '.' || !kver_number(&p, &minor))
		return -EINVAL;
	/* "7.3-rc7" has no sublevel; "6.12.x" is malformed, not 6.12.0. */
	if (*p == '.') {
		p++;
		if (!kver_number(&p, &sub))
			return -EINVAL;
	}
	if (major > 255 || minor > 255)
		return -EINVAL;
	/* Anything after the numbers (-28-amd64, -rc7+, .el6.x86_64) is the distribution's and is ignored. */
	*kv = PMIG_KV(major, minor, sub);
	return 0;
}

int pmig_kver_refine(const char *release, const char *version, uint32_t *kv)
{
	const char *d = version ? strstr(version, " Debian ") : NULL;
	uint32_t upstream;
	int err = pmig_kver_parse(release, kv);

	if (err || !d)
		return err;
	/* Only the same major.minor: a backport kernel says another one. */
	if (!pmig_kver_parse(d + strlen(" Debian "), &upstream) &&
	    (upstream & 0xffff00u) == (*kv & 0xffff00u) && upstream > *kv)
		*kv = upstream;
	return 0;
}

int pmig_kver_running(uint32_t *kv)
{
	struct utsname u;

	if (uname(&u))
		return -errno;
	return pmig_kver_refine(u.release, u.version, kv);
}

void pmig_kver_format(uint32_t kv, char *buf, size_t len)
{
	if (!buf || !len)
		return;
	snprintf(buf, len, "%u.%u.%u", (unsigned)(kv >> 16),
		 (unsigned)(kv >> 8 & 0xff), (unsigned)(kv & 0xff));
}

struct pmig_platform pmig_platform_here(uint32_t kv)
{
	static struct utsname u;
	struct pmig_platform on = { .kv = kv };

	if (!u.machine[0] && uname(&u))
		u.machine[0] = '\0';
	on.arch = u.machine[0] ? u.machine : NULL;
	on.page_size = pmig_page_sizes()->base;
	return on;
}

/* How specific @e is for @on: -1 when it does not apply there. */
static int fit(const struct pmig_profile_entry *e,
	       const struct pmig_platform *on)
{
	if (e->arch && (!on->arch || strcmp(e->arch, on->arch)))
		return -1;
	if (e->page_size && e->page_size != on->page_size)
		return -1;
	return (e->arch ? 2 : 0) + (e->page_size ? 1 : 0);
}

const struct pmig_profile_entry *
pmig_profile_lookup(const struct pmig_profile_entry *table, size_t n,
		    const char *id, const struct pmig_platform *on, bool xfail)
{
	const struct pmig_profile_entry *best = NULL;
	int best_fit = -1;

	if (!table || !id || !on)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		const struct pmig_profile_entry *e = &table[i];
		int f;

		if (!e->id || e->xfail != xfail || on->kv < e->from ||
		    on->kv >= e->until || strcmp(e->id, id))
			continue;
		f = fit(e, on);
		if (f > best_fit) {
			best = e;
			best_fit = f;
		}
	}
	return best;
}

const char *pmig_profile_where(const struct pmig_profile_entry *e, char *buf,
			       size_t len)
{
	char size[32] = "";

	if (e->page_size)
		pmig_size_format(e->page_size, size, sizeof(size));
	if (!e->arch && !e->page_size)
		snprintf(buf, len, "%s", "");
	else
		snprintf(buf, len, " (%s%s%s%s only)", e->arch ? e->arch : "",
			 e->arch && e->page_size ? ", " : "", size,
			 e->page_size ? " pages" : "");
	return buf;
}
