/* row_expect.h - what a spec row expects on one kernel version, and the kernels the profiles say to check: shared by the model tests. */
#ifndef PMIG_TEST_ROW_EXPECT_H
#define PMIG_TEST_ROW_EXPECT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

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

static inline int kv_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * The kernels the row tests predict for, read from the profiles: both
 * sides of every PMIG_OVERRIDE and PMIG_XFAIL boundary (the version before
 * it and the version itself), and the oldest kernel the model predicts, so
 * a new profile entry is tested without a list to edit. Versions older
 * than that are left out. Sorted, no duplicates; *@n gets their number.
 */
static inline const uint32_t *test_kernels(size_t *n)
{
	static uint32_t *kv;
	static size_t count;
	size_t all = 0;

	if (kv) {
		*n = count;
		return kv;
	}
	kv = calloc(4 * pmig_profile_count + 1, sizeof(*kv));
	if (!kv)
		abort();
	kv[all++] = PMIG_MODEL_KV_OLDEST;
	for (size_t i = 0; i < pmig_profile_count; i++) {
		const struct pmig_profile_entry *e = &pmig_profiles[i];
		uint32_t edge[4];
		size_t nedge = 0;

		if (e->from) { /* 0: since the syscall exists */
			edge[nedge++] = e->from - 1;
			edge[nedge++] = e->from;
		}
		if (e->until != PMIG_KV_MAX) { /* PMIG_KV_MAX: still today */
			edge[nedge++] = e->until - 1;
			edge[nedge++] = e->until;
		}
		for (size_t j = 0; j < nedge; j++)
			if (edge[j] >= PMIG_MODEL_KV_OLDEST)
				kv[all++] = edge[j];
	}
	qsort(kv, all, sizeof(*kv), kv_cmp);
	for (size_t i = 0; i < all; i++)
		if (!count || kv[count - 1] != kv[i])
			kv[count++] = kv[i];
	*n = count;
	return kv;
}

/* Makes @sc a prediction for kernel @kv under the conformance profiles. */
static inline void use_kernel(struct pmig_model_scenario *sc, uint32_t kv)
{
	sc->kver = kv;
	sc->profiles = pmig_profiles;
	sc->nprofiles = pmig_profile_count;
}

#endif
