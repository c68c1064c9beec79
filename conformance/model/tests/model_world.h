/* model_world.h - the scenario builder and spec-row runner the move_pages(2) model tests share. */
#ifndef PMIG_TEST_MODEL_WORLD_H
#define PMIG_TEST_MODEL_WORLD_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <limits.h>
#include <string.h>

#include "model.h"
#include "spec.h"
#include "row_expect.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define H 0 /* home node */
#define O 1 /* other node */
#define MAXP 2056
/* A status index: the last entry of the call, whatever the geometry. */
#define LAST SIZE_MAX
/* A huge page's every base page, whatever the geometry. */
#define ALL SIZE_MAX

/* One scenario with room for every subpage address of a 32 MiB THP of 16 KiB pages. */
struct world {
	struct pmig_model_scenario sc;
	struct pmig_model_page pages[MAXP];
	struct pmig_model_entry entries[MAXP];
	struct pmig_model_node nodes[3];
	int status[MAXP];
	int final[MAXP];
	long ret;
};

enum what { RET, STATUS, HOLDS };

struct row_case {
	const char *id;
	void (*build)(struct world *w);
	enum what what;
	size_t index; /* the status checked, or LAST */
	int node; /* the node PMIG_EXPECT_NODE means */
	void (*also)(const struct world *w); /* further checks, or NULL */
};

/* Two memory nodes with CPUs, no cpuset limits; @n anonymous pages on H. */
static inline void world_init(struct world *w, size_t n)
{
	memset(w, 0, sizeof(*w));
	pmig_model_scenario_init(&w->sc);
	for (size_t i = 0; i < 3; i++)
		w->nodes[i] =
			(struct pmig_model_node){ .online = true,
						  .has_memory = true,
						  .in_target_cpuset = true,
						  .in_caller_cpuset = true,
						  .free_pages = -1 };
	w->sc.geometry = *test_geometry;
	w->sc.nodes = w->nodes;
	w->sc.nnodes = 2;
	w->sc.pages = w->pages;
	w->sc.entries = w->entries;
	w->sc.npages = n;
	w->sc.count = n;
	for (size_t i = 0; i < n; i++) {
		w->pages[i] = (struct pmig_model_page){ .kind = PMIG_MODEL_ANON,
							.node = H };
		w->entries[i] =
			(struct pmig_model_entry){ .page = i, .target = O };
	}
}

/* A copy of @w whose scenario points at the copy's own arrays. */
static inline void world_copy(struct world *to, const struct world *from)
{
	*to = *from;
	to->sc.pages = to->pages;
	to->sc.entries = to->entries;
	to->sc.nodes = to->nodes;
}

static inline void run(struct world *w)
{
	w->ret = pmig_model_move_pages(&w->sc, w->status, w->final);
}

/* One page of @kind, moved to O (or queried). */
static inline void one(struct world *w, enum pmig_model_kind kind, bool query)
{
	world_init(w, 1);
	w->pages[0].kind = kind;
	w->sc.query = query;
}

/* Base pages of a huge page of @kind in the world's geometry. */
static inline size_t huge_pages(const struct world *w,
				enum pmig_model_kind kind)
{
	return kind == PMIG_MODEL_THP ? w->sc.geometry.thp_pages :
					w->sc.geometry.hugetlb_pages;
}

/*
 * @n addresses (ALL: one per base page) of one huge folio of @kind on H,
 * all targeting O. Its size is the geometry's (nr_pages 0).
 */
static inline void huge(struct world *w, enum pmig_model_kind kind, size_t n)
{
	world_init(w, 1);
	if (n == ALL)
		n = huge_pages(w, kind);
	assert_in_range(n, 1, MAXP);
	world_init(w, n);
	for (size_t i = 0; i < n; i++)
		w->pages[i] = (struct pmig_model_page){
			.kind = kind, .node = H, .folio = 1, .tail = i > 0
		};
}

static inline void m_shared(struct world *w)
{
	world_init(w, 1);
	w->pages[0].shared = true;
}

static inline void m_shared_all(struct world *w)
{
	m_shared(w);
	w->sc.flags = PMIG_MODEL_MF_MOVE_ALL;
	w->sc.cap_sys_nice = true;
}

static inline void m_four(struct world *w)
{
	world_init(w, 4);
}

static inline void q_four(struct world *w)
{
	world_init(w, 4);
	w->sc.query = true;
}

static inline void a_all_moved(const struct world *w)
{
	assert_int_equal(w->ret, 0);
	for (size_t i = 0; i < w->sc.count; i++)
		assert_int_equal(w->status[i], w->entries[i].target);
	for (size_t i = 0; i < w->sc.npages; i++)
		assert_int_equal(w->final[i], O);
}

static inline void a_all_h(const struct world *w)
{
	for (size_t i = 0; i < w->sc.count; i++)
		assert_int_equal(w->status[i], H);
}

/*
 * The row's expectation on each kernel (its value, or the profile's
 * override) must be what the model predicts; kernels where the row is a
 * known bug (PMIG_XFAIL) are left out: the model predicts the design.
 */
static inline void test_row(void **state)
{
	const struct row_case *rc = *state;
	const struct pmig_spec *row = pmig_spec_find(rc->id);
	static struct world w;
	size_t n;
	const struct test_platform *t = test_platforms(&n);

	if (!row)
		fail_msg("no spec row %s", rc->id);
	for (size_t v = 0; v < n; v++) {
		long expect = row->expect;
		bool overridden = false;
		size_t index;

		if (!row_on_kernel(rc->id, &t[v].on, &expect, &overridden))
			continue;
		test_geometry = t[v].geometry;
		rc->build(&w);
		use_kernel(&w.sc, &t[v].on);
		run(&w);
		index = rc->index == LAST ? w.sc.count - 1 : rc->index;
		if (expect == PMIG_EXPECT_NODE)
			expect = rc->node;
		if (rc->what == RET && w.ret != expect)
			fail_msg("%s on %s: returned %ld, row says %ld", rc->id,
				 t[v].name, w.ret, expect);
		if (rc->what == STATUS && w.status[index] != expect)
			fail_msg("%s on %s: status[%zu] %d, row says %ld",
				 rc->id, t[v].name, index, w.status[index],
				 expect);
		if (rc->also && !overridden)
			rc->also(&w);
	}
	test_geometry = &test_geometries[0];
}

/* Fills @tests with a test_row for each of the @n rows; returns @n. */
static inline size_t row_tests(const struct row_case *rows, size_t n,
			       struct CMUnitTest *tests)
{
	for (size_t i = 0; i < n; i++)
		tests[i] = (struct CMUnitTest){
			.name = rows[i].id,
			.test_func = test_row,
			.initial_state = (void *)&rows[i],
		};
	return n;
}

#endif
