/* test_tier_cases.c - unit tests of the tiering runs' node choice (tiers from fake sysfs trees, fixture topologies) and of their case names. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../../../harness/tests/test_fixtures.h"
#include "../../tests/bench_fake_gb.h"
#include "tier_cases.h"

static char root[64];

/* A memory_tier@id directory holding @nodes under the fake root. */
static void tier(int id, const char *nodes)
{
	char rel[96], text[64];

	snprintf(rel, sizeof(rel),
		 "/sys/devices/virtual/memory_tiering/memory_tier%d/nodelist",
		 id);
	snprintf(text, sizeof(text), "%s\n", nodes);
	pmig_test_put(root, rel, text);
}

static int setup(void **state)
{
	(void)state;
	snprintf(root, sizeof(root), "/tmp/pmig-tier-cases-XXXXXX");
	return mkdtemp(root) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	return system(cmd);
}

/* 3node-cxl with HMAT tiers: near 0, far the CPU-less node 2 of the slower tier, watched from 1. */
static void test_two_tiers(void **state)
{
	struct pmig_topo *t = pmig_test_topo("3node-cxl.xml");
	struct pmig_tier_nodes n;

	(void)state;
	tier(4, "0-1");
	tier(35, "2");
	assert_int_equal(pmig_tier_nodes(t, root, &n), 0);
	assert_int_equal(n.near, 0);
	assert_int_equal(n.far, 2);
	assert_int_equal(n.watch, 1);
	assert_true(n.tiered);
	pmig_topo_free(t);
}

/* One tier (6.1's view of the same machine): the CPU-less node, not tiered. */
static void test_one_tier(void **state)
{
	struct pmig_topo *t = pmig_test_topo("3node-cxl.xml");
	struct pmig_tier_nodes n;

	(void)state;
	tier(4, "0-2");
	assert_int_equal(pmig_tier_nodes(t, root, &n), 0);
	assert_int_equal(n.near, 0);
	assert_int_equal(n.far, 2);
	assert_false(n.tiered);
	pmig_topo_free(t);
}

/* No tiering in sysfs and no CPU-less node: the farthest memory node. */
static void test_no_tiers(void **state)
{
	struct pmig_topo *t = pmig_test_topo("2node.xml");
	struct pmig_tier_nodes n;

	(void)state;
	assert_int_equal(pmig_tier_nodes(t, root, &n), 0);
	assert_int_equal(n.near, 0);
	assert_int_equal(n.far, 1);
	assert_int_equal(n.watch, 1);
	assert_false(n.tiered);
	pmig_topo_free(t);
}

static void test_one_node(void **state)
{
	struct pmig_topo *t = pmig_test_topo("1node.xml");
	struct pmig_tier_nodes n;

	(void)state;
	assert_int_equal(pmig_tier_nodes(t, root, &n), -ENODEV);
	pmig_topo_free(t);
}

/* One case per strategy and workload it applies to, named STRATEGY/WORKLOAD/SIZE/FROMtoTO. */
static void test_names(void **state)
{
	static const size_t sizes[] = { 16UL << 20 };
	struct pmig_tier_opts o = {
		.nodes = { .near = 0, .far = 2, .watch = 1, .tiered = true },
		.near_cpus = "0",
		.watch_cpus = "1",
		.sizes = sizes,
		.nsizes = 1,
		.limit_s = 30,
		.tick_s = 0.1,
	};
	static const char *const want[] = {
		"numab_promote/promote/16M/2to0",
		"damon_migrate_hot/promote/16M/2to0",
		"demote_reclaim/demote/16M/0to2",
		"damon_migrate_cold/demote/16M/0to2",
		"tier_user/promote/16M/2to0",
		"tier_user/demote/16M/0to2",
	};
	struct pmig_tier_case *c;
	long n = pmig_tier_cases_build(&o, &c);

	(void)state;
	assert_int_equal(n, sizeof(want) / sizeof(*want));
	for (long i = 0; i < n; i++) {
		assert_string_equal(c[i].name, want[i]);
		assert_int_equal(c[i].bytes, 16UL << 20);
		assert_true(c[i].tiered);
	}
	free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_two_tiers, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_one_tier, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_tiers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_one_node, setup, teardown),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
