/* kver.h - kernel release parsing and version-ranged profile lookup. */
#ifndef PMIG_KVER_H
#define PMIG_KVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/** Kernel version as one comparable number; the sublevel saturates at 255. */
#define PMIG_KV(major, minor, sub)                          \
	((uint32_t)(major) << 16 | (uint32_t)(minor) << 8 | \
	 (uint32_t)((sub) > 255 ? 255 : (sub)))
#define PMIG_KV_MAX UINT32_MAX

/**
 * Parses "6.1.0-28-amd64", "6.12.9", "7.3-rc7", "6.18.44-fc-v595" and the like
 * into *@kv. A release candidate counts as its release (7.3-rc7 -> 7.3.0):
 * fixes merged for 7.3 are in its rcs. Returns 0 or -EINVAL.
 */
int pmig_kver_parse(const char *release, uint32_t *kv);
/** Formats @kv as "6.12.9" into @buf. */
void pmig_kver_format(uint32_t kv, char *buf, size_t len);

/**
 * One row of a kernel profile: for kernels in [from, until) the case @id
 * expects @expect instead of its spec row's value (@xfail false), or is a
 * known kernel bug there (@xfail true). @cite says why (commit ids).
 */
struct pmig_profile_entry {
	const char *id;
	uint32_t from;
	uint32_t until;
	long expect;
	bool xfail;
	const char *cite;
};

/** The first entry of @table for case @id whose range holds @kv and whose xfail flag is @xfail; NULL if none. */
const struct pmig_profile_entry *
pmig_profile_lookup(const struct pmig_profile_entry *table, size_t n,
		    const char *id, uint32_t kv, bool xfail);

#endif
