/* test_tiers.c - unit tests of the memory tiers read from fake sysfs trees: two tiers with demotion on, one tier, none; the parsed node masks. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "test_fixtures.h"
#include "tiers.h"

static char root[64];

/* Writes @text to ROOT/@rel, making its directories. */
static void put(const char *rel, const char *text)
{
	pmig_test_put(root, rel, text);
}

/* What pmig_tiers_print() says of the tree. */
static char *printed(void)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	assert_non_null(out);
	assert_int_equal(pmig_tiers_print(root, out), 0);
	fclose(out);
	return buf;
}

static int setup(void **state)
{
	(void)state;
	snprintf(root, sizeof(root), "/tmp/pmig-tiers-XXXXXX");
	return mkdtemp(root) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	return system(cmd);
}

/* 3node-cxl under HMAT on 7.3: the far node in a slower tier, sorted by id. */
static void test_two_tiers(void **state)
{
	char *s;

	(void)state;
	put("/sys/devices/virtual/memory_tiering/memory_tier35/nodelist",
	    "2\n");
	put("/sys/devices/virtual/memory_tiering/memory_tier4/nodelist",
	    "0-1\n");
	put("/sys/devices/virtual/memory_tiering/power/x", "");
	put("/sys/kernel/mm/numa/demotion_enabled", "true\n");
	s = printed();
	assert_string_equal(s,
			    "memory tiers: 2 (demotion on; targets: yes)\n"
			    "tier 4 (abstract distance 512-639): nodes 0-1\n"
			    "tier 35 (abstract distance 4480-4607): nodes 2\n");
	free(s);
}

static void test_one_tier(void **state)
{
	char *s;

	(void)state;
	put("/sys/devices/virtual/memory_tiering/memory_tier4/nodelist",
	    "0-2\n");
	put("/sys/kernel/mm/numa/demotion_enabled", "false\n");
	s = printed();
	assert_string_equal(s,
			    "memory tiers: 1 (demotion off; targets: no)\n"
			    "tier 4 (abstract distance 512-639): nodes 0-2\n");
	free(s);
}

/* The parsed tiers: node masks from "0-1" and "2,4-5", each node's tier. */
static void test_read(void **state)
{
	struct pmig_mem_tier t[4];

	(void)state;
	put("/sys/devices/virtual/memory_tiering/memory_tier35/nodelist",
	    "2,4-5\n");
	put("/sys/devices/virtual/memory_tiering/memory_tier4/nodelist",
	    "0-1\n");
	assert_int_equal(pmig_tiers_read(root, t, 4), 2);
	assert_int_equal(t[0].id, 4);
	assert_int_equal(t[0].nodes, 0x3);
	assert_int_equal(t[1].id, 35);
	assert_int_equal(t[1].nodes, 0x34);
	assert_string_equal(t[1].nodelist, "2,4-5");
	assert_int_equal(pmig_tier_index(t, 2, 1), 0);
	assert_int_equal(pmig_tier_index(t, 2, 5), 1);
	assert_int_equal(pmig_tier_index(t, 2, 3), -1);
	assert_int_equal(pmig_tiers_read(root, t, 1), 1);
}

static void test_no_tiering(void **state)
{
	char *s;

	(void)state;
	s = printed();
	assert_string_equal(
		s,
		"memory tiers: none (no /sys/devices/virtual/memory_tiering in this kernel)\n");
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_two_tiers, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_one_tier, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_tiering, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
