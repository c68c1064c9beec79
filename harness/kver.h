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
/**
 * The running kernel's version for profiles: its release (uname -r), with
 * the sublevel a distribution keeps out of it where uname -v says it
 * (Debian's "6.1.0-50-amd64" is "... Debian 6.1.176-1 (...)": 6.1.176), so
 * that entries at stable backports apply. pmig_kver_refine() is the rule on
 * given strings. Returns 0 or -EINVAL (a release it cannot parse).
 */
int pmig_kver_running(uint32_t *kv);
int pmig_kver_refine(const char *release, const char *version, uint32_t *kv);
/** Formats @kv as "6.12.9" into @buf. */
void pmig_kver_format(uint32_t kv, char *buf, size_t len);

/**
 * One row of a kernel profile: for kernels in [from, until) the case @id
 * expects @expect instead of its spec row's value (@xfail false), or is a
 * known kernel bug there (@xfail true). @cite says why (commit ids).
 * @arch and @page_size restrict it to one architecture or base page size,
 * where a behaviour differs there.
 */
struct pmig_commit; /* conformance/spec.h: a cited kernel commit */

struct pmig_profile_entry {
	const char *id;
	uint32_t from;
	uint32_t until;
	long expect;
	bool xfail;
	const char *cite;
	const char *
		arch; /* as uname -m says ("aarch64", "ppc64le"); NULL: every one */
	size_t page_size; /* base page size in bytes; 0: every one */
	/* the commits @cite names, NULL-terminated; NULL when it names none */
	const struct pmig_commit *const *commits;
};

/** The kernel a profile is looked up for: its version, architecture and base page size. */
struct pmig_platform {
	uint32_t kv;
	const char
		*arch; /* uname -m; NULL: matches no entry restricted to one */
	size_t page_size; /* 0: matches no entry restricted to one */
};

/** The platform this process runs on, for kernel version @kv: uname -m and sysconf's page size. */
struct pmig_platform pmig_platform_here(uint32_t kv);

/**
 * The entry of @table for case @id whose range holds @on's version, whose
 * architecture and page size (when it names them) are @on's, and whose
 * xfail flag is @xfail; NULL if none. An entry restricted to @on's
 * architecture or page size wins over one that is not (the architecture
 * counts more); among equals, the first.
 */
const struct pmig_profile_entry *
pmig_profile_lookup(const struct pmig_profile_entry *table, size_t n,
		    const char *id, const struct pmig_platform *on, bool xfail);

/** " (aarch64 only)", " (16K pages only)", " (aarch64, 16K pages only)" or "" for @e, into @buf. */
const char *pmig_profile_where(const struct pmig_profile_entry *e, char *buf,
			       size_t len);

#endif
