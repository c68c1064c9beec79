/* registry.c - the one case table, built from the spec rows in spec/all.def: each row's case function and what the row adds to it. */
#include <sys/capability.h>

#include "case_settings.h"
#include "cases.h"
#include "fixtures.h"
#include "kind_checks.h"
#include "priv.h"
#include "soft_offline.h"
#include "syscalls.h"

#define PMIG_OVERRIDE_ON(i, a, ps, f, u, e, c)
#define PMIG_XFAIL_ON(i, a, ps, f, u, c)

/* The trailing empty argument keeps PMIG_CASE_*'s "..." non-empty (C11). */
#define PMIG_SPEC(i, sc, k, e, s06, n, cond, orig, ...) \
	PMIG_CASE_DECLARE(__VA_ARGS__, )
#include "spec/all.def"
#undef PMIG_SPEC

const struct pmig_case pmig_cases[] = {
#define PMIG_SPEC(i, sc, k, e, s06, n, cond, orig, ...) \
	PMIG_CASE_ENTRY(i, __VA_ARGS__, )
#include "spec/all.def"
#undef PMIG_SPEC
};
const size_t pmig_case_count = PMIG_ARRAY_SIZE(pmig_cases);
