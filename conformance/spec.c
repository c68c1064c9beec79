/* spec.c - builds the spec table and kernel profiles from the files in spec/. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "spec.h"
#include "syscalls.h"

/*
 * Each commit is an array of one, so that its token (c_<hash>) is a pointer
 * wherever PMIG_CITE() lists it.
 */
#define PMIG_STABLE(...) ((const uint32_t[]){ __VA_ARGS__, 0 })
#define PMIG_NO_STABLE NULL
#define PMIG_COMMIT(tok, h, subj, rel, st, subj_seen, rel_seen) \
	static const struct pmig_commit tok[1] = { {            \
		.hash = h,                                      \
		.subject = subj,                                \
		.release = rel,                                 \
		.stable = st,                                   \
		.subject_seen = subj_seen,                      \
		.release_seen = rel_seen,                       \
	} };
#include "spec/commits.def"
#undef PMIG_COMMIT

const struct pmig_commit *const pmig_commits[] = {
#define PMIG_COMMIT(tok, ...) tok,
#include "spec/commits.def"
#undef PMIG_COMMIT
};
const size_t pmig_commit_count = sizeof(pmig_commits) / sizeof(pmig_commits[0]);

/*
 * A citation with its commits as data: PMIG_CITE("prose", c_<hash>, ...)
 * stands where a row's origin or a profile entry's citation is written, and
 * becomes the text and, as the next designated initializer, the commits.
 */
#define PMIG_CITE(text, ...)                                 \
	text, .commits = (const struct pmig_commit *const[]) \
	{                                                    \
		__VA_ARGS__, NULL                            \
	}

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
#define PMIG_OVERRIDE_ON(i, a, ps, f, u, e, ...)
#define PMIG_XFAIL_ON(i, a, ps, f, u, ...)
#include "spec/all.def"
#undef PMIG_SPEC
#undef PMIG_OVERRIDE_ON
#undef PMIG_XFAIL_ON
};
const size_t pmig_spec_count =
	sizeof(pmig_spec_table) / sizeof(pmig_spec_table[0]);

const struct pmig_profile_entry pmig_profiles[] = {
/* The citation is variadic: PMIG_CITE() has expanded by the time it arrives. */
#define PMIG_OVERRIDE_ON(i, a, ps, f, u, e, ...) \
	{ .id = i,                               \
	  .arch = a,                             \
	  .page_size = ps,                       \
	  .from = f,                             \
	  .until = u,                            \
	  .expect = e,                           \
	  .xfail = false,                        \
	  .cite = __VA_ARGS__ },
#define PMIG_XFAIL_ON(i, a, ps, f, u, ...) \
	{ .id = i,                         \
	  .arch = a,                       \
	  .page_size = ps,                 \
	  .from = f,                       \
	  .until = u,                      \
	  .xfail = true,                   \
	  .cite = __VA_ARGS__ },
#define PMIG_SPEC(i, sc, k, e, s06, n, cond, orig, ...)
#include "spec/all.def"
#undef PMIG_SPEC
#undef PMIG_OVERRIDE_ON
#undef PMIG_XFAIL_ON
};
const size_t pmig_profile_count =
	sizeof(pmig_profiles) / sizeof(pmig_profiles[0]);

bool pmig_commit_unconfirmed(const char *seen)
{
	return !strncmp(seen, "unconfirmed", 11);
}

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
		{ PMIG_NEED_LOWER_TIER, "a lower memory tier" },
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
