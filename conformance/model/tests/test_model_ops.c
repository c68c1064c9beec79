/* test_model_ops.c - unit tests of the migrate_pages(2) and mbind(2) models: one per spec row they cover, plus node remapping. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "model.h"
#include "row_expect.h"
#include "spec.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define H 0 /* home node */
#define O 1 /* other node */
#define C 2 /* a memory node without CPUs */
#define M 3 /* a node with CPUs and no memory */
#define BIT(n) ((pmig_model_nodemask)1 << (n))
#define MAXP 16

/* A scenario and one call on it: migrate_pages(old, new) or mbind(mb). */
struct world {
	struct pmig_model_scenario sc;
	struct pmig_model_page pages[MAXP];
	struct pmig_model_node nodes[4];
	bool is_mbind;
	pmig_model_nodemask old_nodes, new_nodes;
	struct pmig_model_mbind mb;
	int final[MAXP];
	long ret;
};

/* Nodes H, O, C with memory, M memoryless; @n anonymous pages on H; root. */
static void world_init(struct world *w, size_t n)
{
	memset(w, 0, sizeof(*w));
	pmig_model_scenario_init(&w->sc);
	for (size_t i = 0; i < 4; i++)
		w->nodes[i] = (struct pmig_model_node){
			.online = true,
			.has_memory = i != M,
			.in_target_cpuset = true,
			.in_caller_cpuset = true,
			.free_pages = -1,
		};
	w->sc.geometry = *test_geometry;
	w->sc.nodes = w->nodes;
	w->sc.nnodes = 4;
	w->sc.pages = w->pages;
	w->sc.npages = n;
	w->sc.cap_sys_nice = w->sc.cap_sys_ptrace = true;
	for (size_t i = 0; i < n; i++)
		w->pages[i] = (struct pmig_model_page){ .kind = PMIG_MODEL_ANON,
							.node = H };
	w->old_nodes = BIT(H);
	w->new_nodes = BIT(O);
	w->mb = (struct pmig_model_mbind){ .npages = n,
					   .mode = PMIG_MODEL_MPOL_BIND,
					   .nodes = BIT(O),
					   .flags = PMIG_MODEL_MF_MOVE };
}

static void mbind_init(struct world *w, size_t n)
{
	world_init(w, n);
	w->is_mbind = true;
}

static void run(struct world *w)
{
	w->ret = w->is_mbind ? pmig_model_mbind(&w->sc, &w->mb, w->final) :
			       pmig_model_migrate_pages(&w->sc, w->old_nodes,
							w->new_nodes, w->final);
}

/* migrate_pages(2) builders, named after their rows. */
static void g_no_pid(struct world *w)
{
	world_init(w, 1);
	w->sc.pid = PMIG_MODEL_PID_NONE;
}
static void g_other_user(struct world *w)
{
	world_init(w, 1);
	w->sc.pid = PMIG_MODEL_PID_PROCESS;
	w->sc.same_uid = false;
	w->sc.cap_sys_nice = w->sc.cap_sys_ptrace = false;
}
static void g_other_user_nice(struct world *w)
{
	g_other_user(w);
	w->sc.cap_sys_nice = true;
}
static void g_same_uid(struct world *w)
{
	g_other_user(w);
	w->sc.same_uid = true;
	w->new_nodes = BIT(H);
}
static void g_empty_new(struct world *w)
{
	world_init(w, 1);
	w->new_nodes = 0;
}
static void g_offline_new(struct world *w)
{
	world_init(w, 1);
	w->new_nodes = BIT(9);
}
static void g_memoryless_new(struct world *w)
{
	world_init(w, 1);
	w->new_nodes = BIT(M);
}
static void g_outside_cpuset(struct world *w)
{
	world_init(w, 1);
	w->sc.cap_sys_nice = false;
	w->nodes[O].in_target_cpuset = false;
}
static void g_other_user_ptrace(struct world *w)
{
	g_other_user(w);
	w->sc.cap_sys_ptrace = true;
	w->new_nodes = BIT(H);
}
/* Root without CAP_SYS_NICE; another user's target is confined to H. */
static void g_target_confined(struct world *w)
{
	g_outside_cpuset(w);
	w->sc.pid = PMIG_MODEL_PID_PROCESS;
	w->sc.same_uid = false;
}
static void g_nice_crosses_cpuset(struct world *w)
{
	g_target_confined(w);
	w->sc.cap_sys_nice = true;
}
/* pid 0, confined to H: the caller's cpuset is the target's. */
static void g_own_cpuset(struct world *w)
{
	world_init(w, 1);
	w->nodes[O].in_target_cpuset = w->nodes[O].in_caller_cpuset = false;
}
static void g_kthread(struct world *w)
{
	world_init(w, 1);
	w->sc.pid = PMIG_MODEL_PID_KTHREAD;
}
static void g_zombie(struct world *w)
{
	world_init(w, 1);
	w->sc.pid = PMIG_MODEL_PID_ZOMBIE;
}
static void g_nothing(struct world *w)
{
	world_init(w, 4);
	w->new_nodes = BIT(H);
}
static void g_sixteen(struct world *w)
{
	world_init(w, 16);
}
/* Two multi-size THPs of 8 base pages each on H (32 kB of 4 KiB pages, order 3; the world holds 16): the folio's order is data of its pages (nr_pages). */
static void mthp_pages(struct world *w)
{
	for (size_t i = 0; i < w->sc.npages; i++)
		w->pages[i] = (struct pmig_model_page){
			.kind = PMIG_MODEL_THP,
			.node = H,
			.folio = 1 + i / 8,
			.nr_pages = 8,
			.tail = i % 8 > 0,
		};
}
/* The row's case drops CAP_SYS_NICE: MPOL_MF_MOVE. */
static void g_mthp(struct world *w)
{
	world_init(w, 16);
	w->sc.cap_sys_nice = false;
	mthp_pages(w);
}
static void g_shared(struct world *w)
{
	world_init(w, 2);
	w->sc.cap_sys_nice = false;
	w->pages[0].kind = w->pages[1].kind = PMIG_MODEL_FILE;
	w->pages[0].shared = w->pages[1].shared = true;
}
static void g_pinned(struct world *w)
{
	world_init(w, 3);
	w->pages[1].unmovable = true;
}
static void g_cpuless(struct world *w)
{
	world_init(w, 4);
	w->new_nodes = BIT(C);
}
static void g_not_dumpable(struct world *w)
{
	g_same_uid(w);
	w->sc.target_dumpable = false;
}
/* 3 THPs on H, THP 1 with an extra reference. */
static void g_pinned_thp(struct world *w)
{
	world_init(w, 3);
	three_thps_middle_pinned(w->pages, H);
}
/* 3 pages on H, then 3 on O; {H,O} -> {O,C}. */
static void g_two_sources(struct world *w)
{
	world_init(w, 6);
	for (size_t i = 3; i < 6; i++)
		w->pages[i].node = O;
	w->old_nodes = BIT(H) | BIT(O);
	w->new_nodes = BIT(O) | BIT(C);
}
static void g_two_sources_pinned(struct world *w)
{
	g_two_sources(w);
	w->pages[1].unmovable = w->pages[4].unmovable = true;
}
static void g_memfd_cpuless(struct world *w)
{
	g_cpuless(w);
	for (size_t i = 0; i < w->sc.npages; i++)
		w->pages[i].kind = PMIG_MODEL_FILE;
}

/* mbind(2) builders. */
static void b_bad_flags(struct world *w)
{
	mbind_init(w, 1);
	w->mb.flags |= 1u << 4;
}
static void b_move_all_no_cap(struct world *w)
{
	mbind_init(w, 1);
	w->sc.cap_sys_nice = false;
	w->mb.flags = PMIG_MODEL_MF_MOVE_ALL;
}
static void b_move_all(struct world *w)
{
	mbind_init(w, 4);
	w->mb.flags = PMIG_MODEL_MF_MOVE_ALL;
}
static void b_mthp(struct world *w)
{
	mbind_init(w, 16);
	mthp_pages(w);
}
static void b_hole(struct world *w)
{
	mbind_init(w, 3);
	w->pages[1].kind = PMIG_MODEL_HOLE;
	w->mb.gap = true;
	w->mb.mode = PMIG_MODEL_MPOL_PREFERRED;
}
static void b_default_unmapped(struct world *w)
{
	mbind_init(w, 1);
	w->pages[0].kind = PMIG_MODEL_HOLE;
	w->mb.gap = w->mb.unmapped = true;
	w->mb.mode = PMIG_MODEL_MPOL_DEFAULT;
	w->mb.nodes = 0;
	w->mb.flags = 0;
}
static void b_default_hole_inside(struct world *w)
{
	b_hole(w);
	w->mb.mode = PMIG_MODEL_MPOL_DEFAULT;
	w->mb.nodes = 0;
	w->mb.flags = 0;
}
static void b_len0(struct world *w)
{
	mbind_init(w, 1);
	w->mb.npages = 0;
	w->mb.mode = PMIG_MODEL_MPOL_PREFERRED;
}
static void b_strict_only(struct world *w)
{
	mbind_init(w, 4);
	w->mb.flags = PMIG_MODEL_MF_STRICT;
}
static void b_default_strict(struct world *w)
{
	mbind_init(w, 4);
	w->mb.mode = PMIG_MODEL_MPOL_DEFAULT;
	w->mb.nodes = 0;
	w->mb.flags = PMIG_MODEL_MF_STRICT;
}
static void b_strict_pinned(struct world *w)
{
	mbind_init(w, 4);
	w->pages[0].unmovable = true;
	w->mb.flags |= PMIG_MODEL_MF_STRICT;
}
static void b_pinned(struct world *w)
{
	mbind_init(w, 4);
	w->pages[0].unmovable = true;
}
static void b_shared(struct world *w)
{
	mbind_init(w, 2);
	w->pages[0].kind = w->pages[1].kind = PMIG_MODEL_FILE;
	w->pages[0].shared = w->pages[1].shared = true;
}
static void b_strict_shared(struct world *w)
{
	b_shared(w);
	w->mb.flags |= PMIG_MODEL_MF_STRICT;
}
static void b_shared_all(struct world *w)
{
	b_shared(w);
	w->mb.flags = PMIG_MODEL_MF_MOVE_ALL;
}
static void b_sixteen(struct world *w)
{
	mbind_init(w, 16);
}
static void b_preferred(struct world *w)
{
	mbind_init(w, 16);
	w->mb.mode = PMIG_MODEL_MPOL_PREFERRED;
}
static void b_cpuless(struct world *w)
{
	mbind_init(w, 16);
	w->mb.nodes = BIT(C);
}
static void b_memfd_cpuless(struct world *w)
{
	b_cpuless(w);
	for (size_t i = 0; i < w->sc.npages; i++)
		w->pages[i].kind = PMIG_MODEL_FILE;
}
static void b_outside_cpuset(struct world *w)
{
	mbind_init(w, 4);
	w->nodes[O].in_target_cpuset = w->nodes[O].in_caller_cpuset = false;
}

/* Further checks of the final placement. */
static void all_on(const struct world *w, int node, size_t from)
{
	for (size_t i = from; i < w->sc.npages; i++)
		assert_int_equal(w->final[i], node);
}
static void a_all_h(const struct world *w)
{
	all_on(w, H, 0);
}
static void a_all_o(const struct world *w)
{
	all_on(w, O, 0);
}
static void a_all_c(const struct world *w)
{
	all_on(w, C, 0);
}
static void a_ends_h(const struct world *w)
{
	assert_int_equal(w->final[0], H);
	assert_int_equal(w->final[2], H);
}
static void a_first_stays(const struct world *w)
{
	assert_int_equal(w->final[0], H);
	all_on(w, O, 1);
}
static void a_pinned_middle(const struct world *w)
{
	assert_int_equal(w->final[0], O);
	assert_int_equal(w->final[1], H);
	assert_int_equal(w->final[2], O);
}

/* Each source node's pages one node on, none twice; @pinned ones stay. */
static void two_sources_on(const struct world *w, bool pinned)
{
	for (size_t i = 0; i < 6; i++) {
		bool stays = pinned && (i == 1 || i == 4);

		assert_int_equal(w->final[i],
				 i < 3 ? (stays ? H : O) : (stays ? O : C));
	}
}
static void a_two_sources(const struct world *w)
{
	two_sources_on(w, false);
}
static void a_two_sources_pinned(const struct world *w)
{
	two_sources_on(w, true);
}

/* What the row's value is: the return, a page's node, or an invariant. */
enum what { RET, NODE, HOLDS };

struct row_case {
	const char *id;
	void (*build)(struct world *w);
	enum what what;
	void (*also)(const struct world *w); /* further checks, or NULL */
	long ret; /* NODE, HOLDS: the return the row's condition states */
};

static const struct row_case rows[] = {
#define ROW(id, build, what, also, ret) { id, build, what, also, ret },
#include "test_model_ops.def"
#undef ROW
};

/*
 * A row's expected value on each version (after its profile) must be what
 * the model predicts; for an invariant row (HOLDS) the model predicts the
 * return and the placement the row's condition states. Known bugs (PMIG_XFAIL) are left out.
 */
static void test_row(void **state)
{
	const struct row_case *rc = *state;
	const struct pmig_spec *row = pmig_spec_find(rc->id);
	static struct world w;
	size_t n;
	const struct test_platform *t = test_platforms(&n);

	if (!row)
		fail_msg("no spec row %s", rc->id);
	for (size_t v = 0; v < n; v++) {
		long value = row->expect, expect;
		bool overridden = false;

		if (!row_on_kernel(rc->id, &t[v].on, &value, &overridden))
			continue;
		expect = rc->what == RET ? value : rc->ret;
		test_geometry = t[v].geometry;
		rc->build(&w);
		use_kernel(&w.sc, &t[v].on);
		run(&w);
		if (w.ret != expect)
			fail_msg("%s on %s: returned %ld, row says %ld", rc->id,
				 t[v].name, w.ret, expect);
		if (rc->also && (!overridden || rc->what != RET))
			rc->also(&w);
	}
	test_geometry = &test_geometries[0];
}

/* One page on each of @nodes, in that order; migrate_pages(old, new). */
static void remap_world(struct world *w, const int *nodes, size_t n,
			pmig_model_nodemask old_nodes,
			pmig_model_nodemask new_nodes)
{
	world_init(w, n);
	w->sc.nnodes = 4;
	w->nodes[M].has_memory = true; /* four memory nodes here */
	for (size_t i = 0; i < n; i++)
		w->pages[i].node = nodes[i];
	w->old_nodes = old_nodes;
	w->new_nodes = new_nodes;
	run(w);
	assert_int_equal(w->ret, 0);
}

/* [0,1] -> [1,2]: each node's pages move one node up, none twice. */
static void test_remap_shift_moves_each_once(void **state)
{
	static const int on[] = { 0, 1, 2 };
	static struct world w;

	(void)state;
	remap_world(&w, on, 3, BIT(0) | BIT(1), BIT(1) | BIT(2));
	assert_int_equal(w.final[0], 1);
	assert_int_equal(w.final[1], 2);
	assert_int_equal(w.final[2], 2);
}

/* [0-3] -> [1,2]: unequal sizes; nodes of the new set keep their pages. */
static void test_remap_unequal_keeps_destination_nodes(void **state)
{
	static const int on[] = { 0, 1, 2, 3 };
	static struct world w;

	(void)state;
	remap_world(&w, on, 4, 0xf, BIT(1) | BIT(2));
	assert_int_equal(w.final[0], 1); /* ordinal 0 -> 1st of {1,2} */
	assert_int_equal(w.final[1], 1);
	assert_int_equal(w.final[2], 2);
	assert_int_equal(w.final[3], 2); /* ordinal 3 -> 2nd of {1,2} */
}

/* Pages on nodes outside old stay; the zero page never moves. */
static void test_outside_old_and_zero_page_stay(void **state)
{
	static const int on[] = { 2, 0 };
	static struct world w;

	(void)state;
	remap_world(&w, on, 2, BIT(0), BIT(1));
	assert_int_equal(w.final[0], 2);
	w.pages[1].kind = PMIG_MODEL_ZERO;
	run(&w);
	assert_int_equal(w.final[1], 0);
}

/* A THP moves as one folio and a pinned one counts once. */
static void test_folio_counts_once(void **state)
{
	static struct world w;

	(void)state;
	world_init(&w, 3);
	for (size_t i = 0; i < 3; i++)
		w.pages[i] = (struct pmig_model_page){ .kind = PMIG_MODEL_THP,
						       .node = H,
						       .folio = 1,
						       .nr_pages = 512,
						       .tail = i > 0,
						       .unmovable = true };
	run(&w);
	assert_int_equal(w.ret, 1);
	w.mb = (struct pmig_model_mbind){ .first = 1,
					  .npages = 1,
					  .mode = PMIG_MODEL_MPOL_BIND,
					  .nodes = BIT(O),
					  .flags = PMIG_MODEL_MF_MOVE };
	w.is_mbind = true;
	for (size_t i = 0; i < 3; i++)
		w.pages[i].unmovable = false;
	run(&w);
	assert_int_equal(w.ret, 0);
	all_on(&w, O, 0);
}

/* mbind's range: pages outside it stay, whatever the policy says. */
static void test_mbind_range_only(void **state)
{
	static struct world w;

	(void)state;
	mbind_init(&w, 4);
	w.mb.first = 1;
	w.mb.npages = 2;
	run(&w);
	assert_int_equal(w.ret, 0);
	assert_int_equal(w.final[0], H);
	assert_int_equal(w.final[1], O);
	assert_int_equal(w.final[2], O);
	assert_int_equal(w.final[3], H);
}

int main(void)
{
	static struct CMUnitTest tests[ARRAY_SIZE(rows) + 5];
	size_t n = 0;

	for (size_t i = 0; i < ARRAY_SIZE(rows); i++)
		tests[n++] = (struct CMUnitTest){
			.name = rows[i].id,
			.test_func = test_row,
			.initial_state = (void *)&rows[i],
		};
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(
		test_remap_shift_moves_each_once);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(
		test_remap_unequal_keeps_destination_nodes);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(
		test_outside_old_and_zero_page_stay);
	tests[n++] =
		(struct CMUnitTest)cmocka_unit_test(test_folio_counts_once);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_mbind_range_only);
	return _cmocka_run_group_tests("model_ops", tests, n, NULL, NULL);
}
