/* row_expect.h - what a spec row expects on one kernel, architecture and page size, and the platforms the profiles say to check: shared by the model tests. */
#ifndef PMIG_TEST_ROW_EXPECT_H
#define PMIG_TEST_ROW_EXPECT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "spec.h"

/*
 * The page geometries the model tests run on: x86-64 (and arm64 with
 * 4 KiB pages), arm64 with 16 KiB pages (32 MiB THP), ppc64le with 64 KiB
 * pages (2 MiB THP).
 */
static const struct pmig_model_geometry test_geometries[] = {
	{ .page_size = 4096, .thp_pages = 512, .hugetlb_pages = 512 },
	{ .page_size = 16384, .thp_pages = 2048, .hugetlb_pages = 2048 },
	{ .page_size = 65536, .thp_pages = 32, .hugetlb_pages = 32 },
};
/* The one worlds are built with now (world_init reads it). */
static const struct pmig_model_geometry *test_geometry = &test_geometries[0];

/*
 * Whether row @id is checked against the model on @on: not where the row
 * is a known bug there (PMIG_XFAIL), as the models predict the design.
 * Where a PMIG_OVERRIDE applies, *@value becomes its value and
 * *@overridden true; else both stay as they were.
 */
static inline bool row_on_kernel(const char *id, const struct pmig_platform *on,
				 long *value, bool *overridden)
{
	const struct pmig_profile_entry *e;

	if (pmig_profile_lookup(pmig_profiles, pmig_profile_count, id, on,
				true))
		return false;
	e = pmig_profile_lookup(pmig_profiles, pmig_profile_count, id, on,
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

/* One platform a row is predicted on, and the geometry of its worlds. */
struct test_platform {
	struct pmig_platform on;
	const struct pmig_model_geometry *geometry;
	char name[64]; /* "6.1.0, aarch64, 16K pages" for failures */
};

/*
 * Every kernel of test_kernels() on every test geometry, with no
 * architecture named and with each one a profile entry names, so that an
 * entry for one architecture or page size is tested where it holds and
 * where it does not, without a list to edit. *@n gets their number.
 */
static inline const struct test_platform *test_platforms(size_t *n)
{
	static struct test_platform *list;
	static size_t count;
	const char *arches[16] = { NULL };
	size_t narch = 1, nkv;
	const uint32_t *kv = test_kernels(&nkv);

	if (list) {
		*n = count;
		return list;
	}
	for (size_t i = 0; i < pmig_profile_count; i++) {
		const char *a = pmig_profiles[i].arch;
		size_t k = 1;

		while (k < narch && a && strcmp(arches[k], a))
			k++;
		if (a && k == narch && narch < 16)
			arches[narch++] = a;
	}
	list = calloc(nkv * narch * 3, sizeof(*list));
	if (!list)
		abort();
	for (size_t g = 0; g < 3; g++)
		for (size_t a = 0; a < narch; a++)
			for (size_t v = 0; v < nkv; v++) {
				struct test_platform *t = &list[count++];
				char kernel[16];

				t->geometry = &test_geometries[g];
				t->on = (struct pmig_platform){
					.kv = kv[v],
					.arch = arches[a],
					.page_size = t->geometry->page_size,
				};
				pmig_kver_format(kv[v], kernel, sizeof(kernel));
				snprintf(t->name, sizeof(t->name),
					 "%s, %s, %zuK pages", kernel,
					 arches[a] ? arches[a] : "any arch",
					 t->geometry->page_size >> 10);
			}
	*n = count;
	return list;
}

/* Makes @sc a prediction for @on under the conformance profiles. */
/* Pages 0-2 of @pages: a THP each (the geometry's size) on @node, THP 1 with an extra reference. */
static inline void three_thps_middle_pinned(struct pmig_model_page *pages,
					    int node)
{
	for (size_t i = 0; i < 3; i++)
		pages[i] = (struct pmig_model_page){ .kind = PMIG_MODEL_THP,
						     .node = node,
						     .folio = i + 1,
						     .unmovable = i == 1 };
}

static inline void use_kernel(struct pmig_model_scenario *sc,
			      const struct pmig_platform *on)
{
	sc->kver = on->kv;
	sc->arch = on->arch;
	sc->profiles = pmig_profiles;
	sc->nprofiles = pmig_profile_count;
}

#endif
