/* row_expect.h - what a spec row expects on one kernel version, shared by the model tests. */
#ifndef PMIG_TEST_ROW_EXPECT_H
#define PMIG_TEST_ROW_EXPECT_H

#include <stdbool.h>
#include <stdint.h>

#include "model.h"
#include "spec.h"

/*
 * Whether row @id is checked against the model on kernel @kv: not where
 * the row is a known bug there (PMIG_XFAIL), as the models predict the
 * design. Where a PMIG_OVERRIDE applies, *@value becomes its value and
 * *@overridden true; else both stay as they were.
 */
static inline bool row_on_kernel(const char *id, uint32_t kv, long *value,
				 bool *overridden)
{
	const struct pmig_profile_entry *e;

	if (pmig_profile_lookup(pmig_profiles, pmig_profile_count, id, kv,
				true))
		return false;
	e = pmig_profile_lookup(pmig_profiles, pmig_profile_count, id, kv,
				false);
	if (e) {
		*value = e->expect;
		*overridden = true;
	}
	return true;
}

/* Makes @sc a prediction for kernel @kv under the conformance profiles. */
static inline void use_kernel(struct pmig_model_scenario *sc, uint32_t kv)
{
	sc->kver = kv;
	sc->profiles = pmig_profiles;
	sc->nprofiles = pmig_profile_count;
}

#endif
