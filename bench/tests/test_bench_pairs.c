/* test_bench_pairs.c - unit tests of benchmark node pair selection on fixture and generated topologies. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <hwloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pairs.h"
#include "../../harness/tests/test_fixtures.h"
#include "topo.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define MAXP 32

/* Selects with @sel and compares every field with @want, in order. */
static void expect_pairs(const struct pmig_topo *t, enum pmig_pair_sel sel,
			 const struct pmig_pair *want, size_t nwant)
{
	struct pmig_pair got[MAXP];
	size_t n, i;

	memset(got, 0x5a, sizeof(got));
	n = pmig_pairs_select(t, sel, got, MAXP);
	if (n != nwant)
		fail_msg("%s: %zu pairs, expected %zu", pmig_pairs_name(sel), n,
			 nwant);
	for (i = 0; i < n; i++) {
		if (got[i].from != want[i].from || got[i].to != want[i].to ||
		    got[i].distance != want[i].distance ||
		    got[i].to_cpuless != want[i].to_cpuless)
			fail_msg(
				"%s pair %zu: got %d->%d d=%d cpuless=%d, expected %d->%d d=%d cpuless=%d",
				pmig_pairs_name(sel), i, got[i].from, got[i].to,
				got[i].distance, got[i].to_cpuless,
				want[i].from, want[i].to, want[i].distance,
				want[i].to_cpuless);
	}
}

#define EXPECT(t, sel, ...)                                    \
	do {                                                   \
		const struct pmig_pair w_[] = { __VA_ARGS__ }; \
		expect_pairs(t, sel, w_, ARRAY_SIZE(w_));      \
	} while (0)

#define P(f, t, d, c)                                              \
	{                                                          \
		.from = f, .to = t, .distance = d, .to_cpuless = c \
	}

static void expect_none(const struct pmig_topo *t, enum pmig_pair_sel sel)
{
	struct pmig_pair got[MAXP];

	assert_int_equal(pmig_pairs_select(t, sel, got, MAXP), 0);
}

static void test_2node(void **state)
{
	struct pmig_topo *t = pmig_test_topo("2node.xml");

	(void)state;
	EXPECT(t, PMIG_PAIRS_NEAREST, P(0, 1, 21, false), P(1, 0, 21, false));
	EXPECT(t, PMIG_PAIRS_FARTHEST, P(0, 1, 21, false), P(1, 0, 21, false));
	expect_none(t, PMIG_PAIRS_CPULESS);
	EXPECT(t, PMIG_PAIRS_ALL, P(0, 1, 21, false), P(1, 0, 21, false));
	pmig_topo_free(t);
}

/* Matrix rows 0: 10 21 30, 1: 21 10 32, 2: 31 33 10; node 2 has no CPUs, so it is never a source. */
static void test_3node_cxl(void **state)
{
	struct pmig_topo *t = pmig_test_topo("3node-cxl.xml");

	(void)state;
	EXPECT(t, PMIG_PAIRS_NEAREST, P(0, 1, 21, false), P(1, 0, 21, false));
	EXPECT(t, PMIG_PAIRS_FARTHEST, P(0, 2, 30, true), P(1, 2, 32, true));
	EXPECT(t, PMIG_PAIRS_CPULESS, P(0, 2, 30, true), P(1, 2, 32, true));
	EXPECT(t, PMIG_PAIRS_ALL, P(0, 1, 21, false), P(0, 2, 30, true),
	       P(1, 0, 21, false), P(1, 2, 32, true));
	pmig_topo_free(t);
}

/* DRAM 0 and 1 with CPUs, HBM 2 and 3 without; each HBM is 13 from its own socket, 23 from the other. */
static void test_4node_hbm(void **state)
{
	struct pmig_topo *t = pmig_test_topo("4node-hbm.xml");

	(void)state;
	EXPECT(t, PMIG_PAIRS_NEAREST, P(0, 2, 13, true), P(1, 3, 13, true));
	EXPECT(t, PMIG_PAIRS_FARTHEST, P(0, 3, 23, true), P(1, 2, 23, true));
	EXPECT(t, PMIG_PAIRS_CPULESS, P(0, 2, 13, true), P(0, 3, 23, true),
	       P(1, 2, 23, true), P(1, 3, 13, true));
	EXPECT(t, PMIG_PAIRS_ALL, P(0, 1, 21, false), P(0, 2, 13, true),
	       P(0, 3, 23, true), P(1, 0, 21, false), P(1, 2, 23, true),
	       P(1, 3, 13, true));
	pmig_topo_free(t);
}

/* Node 1 has CPUs but no memory: neither a source nor a target, so a 2-node box gives no pair. */
static void test_memoryless(void **state)
{
	struct pmig_topo *t = pmig_test_topo("2node-memless.xml");

	(void)state;
	expect_none(t, PMIG_PAIRS_NEAREST);
	expect_none(t, PMIG_PAIRS_FARTHEST);
	expect_none(t, PMIG_PAIRS_CPULESS);
	expect_none(t, PMIG_PAIRS_ALL);
	pmig_topo_free(t);
}

/* An empty temporary file; the caller unlinks @path. */
static void temp_file(char *path, size_t len)
{
	const char *dir = getenv("TMPDIR");
	int fd;

	snprintf(path, len, "%s/pmig-pairs-XXXXXX", dir && *dir ? dir : "/tmp");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
}

/*
 * Loads "pack:@nnodes [numa] core:1 pu:1" with a latency matrix over the
 * first @nknown nodes (row-major, from -> to; none when @nknown is 0).
 */
static struct pmig_topo *make_topo(unsigned nnodes, unsigned nknown,
				   const hwloc_uint64_t *values)
{
	hwloc_obj_t objs[8];
	hwloc_topology_t hw;
	struct pmig_topo *t = NULL;
	char desc[128], path[4096];
	unsigned i;

	assert_true(nknown <= nnodes && nnodes <= 8);
	snprintf(desc, sizeof(desc),
		 "pack:%u [numa(memory=256MiB)] core:1 pu:1", nnodes);
	assert_int_equal(hwloc_topology_init(&hw), 0);
	assert_int_equal(hwloc_topology_set_synthetic(hw, desc), 0);
	assert_int_equal(hwloc_topology_load(hw), 0);
	if (nknown) {
		hwloc_distances_add_handle_t h;

		for (i = 0; i < nknown; i++) {
			objs[i] = hwloc_get_obj_by_type(hw, HWLOC_OBJ_NUMANODE,
							i);
			assert_non_null(objs[i]);
		}
		h = hwloc_distances_add_create(
			hw, "NUMALatency",
			HWLOC_DISTANCES_KIND_FROM_OS |
				HWLOC_DISTANCES_KIND_MEANS_LATENCY,
			0);
		assert_non_null(h);
		assert_int_equal(
			hwloc_distances_add_values(hw, h, nknown, objs,
						   (hwloc_uint64_t *)values, 0),
			0);
		assert_int_equal(hwloc_distances_add_commit(hw, h, 0), 0);
	}
	temp_file(path, sizeof(path));
	assert_int_equal(hwloc_topology_export_xml(hw, path, 0), 0);
	hwloc_topology_destroy(hw);
	assert_int_equal(pmig_topo_load(&t, path), 0);
	unlink(path);
	return t;
}

/*
 * The VM's 4node-asym preset (scripts/vm/topologies/4node-asym.topo):
 * dist(a,b) != dist(b,a) for most pairs. A from/to mix-up changes both the
 * chosen targets and the distances here, and swapping nearest and farthest
 * changes every row.
 */
static void test_4node_asym(void **state)
{
	static const hwloc_uint64_t m[] = {
		10, 20, 30, 40, /* from 0 */
		22, 10, 25, 30, /* from 1 */
		30, 27, 10, 20, /* from 2 */
		35, 30, 24, 10, /* from 3 */
	};
	struct pmig_topo *t = make_topo(4, 4, m);

	(void)state;
	EXPECT(t, PMIG_PAIRS_NEAREST, P(0, 1, 20, false), P(1, 0, 22, false),
	       P(2, 3, 20, false), P(3, 2, 24, false));
	EXPECT(t, PMIG_PAIRS_FARTHEST, P(0, 3, 40, false), P(1, 3, 30, false),
	       P(2, 0, 30, false), P(3, 0, 35, false));
	expect_none(t, PMIG_PAIRS_CPULESS);
	assert_int_equal(pmig_pairs_select(t, PMIG_PAIRS_ALL, NULL, 0), 12);
	pmig_topo_free(t);
}

/* Equal distances go to the lower os index, for nearest and farthest alike. */
static void test_ties(void **state)
{
	static const hwloc_uint64_t m[] = {
		10, 20, 20, /* from 0: 1 and 2 tie */
		30, 10, 30, /* from 1: 0 and 2 tie */
		15, 15, 10, /* from 2: 0 and 1 tie */
	};
	struct pmig_topo *t = make_topo(3, 3, m);

	(void)state;
	EXPECT(t, PMIG_PAIRS_NEAREST, P(0, 1, 20, false), P(1, 0, 30, false),
	       P(2, 0, 15, false));
	EXPECT(t, PMIG_PAIRS_FARTHEST, P(0, 1, 20, false), P(1, 0, 30, false),
	       P(2, 0, 15, false));
	pmig_topo_free(t);
}

/* No matrix: every distance is -1, and nearest and farthest both take the lowest other node. */
static void test_unknown_distances(void **state)
{
	struct pmig_topo *t = make_topo(3, 0, NULL);

	(void)state;
	EXPECT(t, PMIG_PAIRS_NEAREST, P(0, 1, -1, false), P(1, 0, -1, false),
	       P(2, 0, -1, false));
	EXPECT(t, PMIG_PAIRS_FARTHEST, P(0, 1, -1, false), P(1, 0, -1, false),
	       P(2, 0, -1, false));
	EXPECT(t, PMIG_PAIRS_ALL, P(0, 1, -1, false), P(0, 2, -1, false),
	       P(1, 0, -1, false), P(1, 2, -1, false), P(2, 0, -1, false),
	       P(2, 1, -1, false));
	pmig_topo_free(t);
}

/*
 * A matrix over nodes 0 and 1 only: node 2's distances are unknown. A known
 * distance always wins over an unknown one, in both directions of ranking,
 * so node 2 is never picked from 0 or 1 even though it could be "nearer".
 */
static void test_partial_distances(void **state)
{
	static const hwloc_uint64_t m[] = { 10, 20, 20, 10 };
	struct pmig_topo *t = make_topo(3, 2, m);

	(void)state;
	EXPECT(t, PMIG_PAIRS_NEAREST, P(0, 1, 20, false), P(1, 0, 20, false),
	       P(2, 0, -1, false));
	EXPECT(t, PMIG_PAIRS_FARTHEST, P(0, 1, 20, false), P(1, 0, 20, false),
	       P(2, 0, -1, false));
	pmig_topo_free(t);
}

/* Only @max pairs are written, and the return value still tells how many there are. */
static void test_truncation(void **state)
{
	struct pmig_topo *t = pmig_test_topo("3node-cxl.xml");
	struct pmig_pair got[3];

	(void)state;
	memset(got, 0x5a, sizeof(got));
	assert_int_equal(pmig_pairs_select(t, PMIG_PAIRS_ALL, got, 2), 4);
	assert_int_equal(got[1].from, 0);
	assert_int_equal(got[1].to, 2);
	assert_int_equal(got[2].from, 0x5a5a5a5a);
	assert_int_equal(pmig_pairs_select(t, PMIG_PAIRS_ALL, NULL, 0), 4);
	assert_int_equal(pmig_pairs_select(NULL, PMIG_PAIRS_ALL, got, 3), 0);
	assert_int_equal(pmig_pairs_select(t, (enum pmig_pair_sel)99, got, 3),
			 0);
	pmig_topo_free(t);
}

static void test_parse(void **state)
{
	static const struct {
		const char *s;
		enum pmig_pair_sel sel;
	} ok[] = {
		{ "nearest", PMIG_PAIRS_NEAREST },
		{ "farthest", PMIG_PAIRS_FARTHEST },
		{ "cpuless", PMIG_PAIRS_CPULESS },
		{ "all", PMIG_PAIRS_ALL },
	};
	static const char *const bad[] = { "", "Nearest", "near", "all ",
					   "furthest" };
	enum pmig_pair_sel sel;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(ok); i++) {
		sel = (enum pmig_pair_sel) - 1;
		assert_int_equal(pmig_pairs_parse(ok[i].s, &sel), 0);
		assert_int_equal(sel, ok[i].sel);
		assert_string_equal(pmig_pairs_name(sel), ok[i].s);
	}
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		assert_int_equal(pmig_pairs_parse(bad[i], &sel), -EINVAL);
	assert_int_equal(pmig_pairs_parse(NULL, &sel), -EINVAL);
	assert_int_equal(pmig_pairs_parse("all", NULL), -EINVAL);
	assert_string_equal(pmig_pairs_name((enum pmig_pair_sel)99), "?");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_2node),
		cmocka_unit_test(test_3node_cxl),
		cmocka_unit_test(test_4node_hbm),
		cmocka_unit_test(test_memoryless),
		cmocka_unit_test(test_4node_asym),
		cmocka_unit_test(test_ties),
		cmocka_unit_test(test_unknown_distances),
		cmocka_unit_test(test_partial_distances),
		cmocka_unit_test(test_truncation),
		cmocka_unit_test(test_parse),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
