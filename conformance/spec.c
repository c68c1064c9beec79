/* spec.c - builds the spec table and kernel profiles from the files in spec/. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "spec.h"
#include "syscalls.h"

/* A row's tail (its case function and settings) is registry.c's. */
const struct pmig_spec pmig_spec_table[] = {
#define PMIG_SPEC(i, sc, k, e, s06, n, cond, orig, ...) \
	{ .id = i,                                      \
	  .syscall = sc,                                \
	  .kind = k,                                    \
	  .expect = e,                                  \
	  .spec2006 = s06,                              \
	  .needs = n,                                   \
	  .condition = cond,                            \
	  .origin = orig },
#define PMIG_OVERRIDE_ON(i, a, ps, f, u, e, c)
#define PMIG_XFAIL_ON(i, a, ps, f, u, c)
#include "spec/all.def"
#undef PMIG_SPEC
#undef PMIG_OVERRIDE_ON
#undef PMIG_XFAIL_ON
};
const size_t pmig_spec_count =
	sizeof(pmig_spec_table) / sizeof(pmig_spec_table[0]);

const struct pmig_profile_entry pmig_profiles[] = {
#define PMIG_OVERRIDE_ON(i, a, ps, f, u, e, c) \
	{ .id = i,                             \
	  .arch = a,                           \
	  .page_size = ps,                     \
	  .from = f,                           \
	  .until = u,                          \
	  .expect = e,                         \
	  .xfail = false,                      \
	  .cite = c },
#define PMIG_XFAIL_ON(i, a, ps, f, u, c) \
	{ .id = i,                       \
	  .arch = a,                     \
	  .page_size = ps,               \
	  .from = f,                     \
	  .until = u,                    \
	  .xfail = true,                 \
	  .cite = c },
#define PMIG_SPEC(i, sc, k, e, s06, n, cond, orig, ...)
#include "spec/all.def"
#undef PMIG_SPEC
#undef PMIG_OVERRIDE_ON
#undef PMIG_XFAIL_ON
};
const size_t pmig_profile_count =
	sizeof(pmig_profiles) / sizeof(pmig_profiles[0]);

const struct pmig_spec *pmig_spec_find(const char *id)
{
	for (size_t i = 0; i < pmig_spec_count; i++)
		if (!strcmp(pmig_spec_table[i].id, id))
			return &pmig_spec_table[i];
	return NULL;
}

long pmig_spec_expect_on(const struct pmig_spec *s,
			 const struct pmig_platform *on)
{
	const struct pmig_profile_entry *e = pmig_profile_lookup(
		pmig_profiles, pmig_profile_count, s->id, on, false);

	return e ? e->expect : s->expect;
}

const char *pmig_expect_text(long expect, char *buf, unsigned len)
{
	if (expect == PMIG_EXPECT_NODE)
		return "node";
	if (expect == PMIG_EXPECT_HOLDS)
		return "holds";
	if (expect == PMIG_EXPECT_STAYS)
		return "stays";
	return pmig_errno_text(expect, buf, len);
}

const char *pmig_needs_text(unsigned needs, char *buf, unsigned len)
{
	static const struct {
		unsigned bit;
		const char *name;
	} names[] = {
		{ PMIG_NEED_ROOT, "root" },
		{ PMIG_NEED_NODES2, "2 memory nodes" },
		{ PMIG_NEED_KTHREAD, "a visible kernel thread" },
		{ PMIG_NEED_CPULESS, "a CPU-less memory node" },
		{ PMIG_NEED_MEMORYLESS, "a memoryless node" },
	};
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (!(needs & names[i].bit))
			continue;
		used += (size_t)snprintf(buf + used,
					 used < len ? len - used : 0, "%s%s",
					 used ? ", " : "", names[i].name);
	}
	return used ? buf : "-";
}
