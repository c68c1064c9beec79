/* test_memblocks.c - unit tests of the memory blocks read from fake sysfs trees: 2node-hotplug's (two movable blocks on node 1), one offlined, none at all. */
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

#include "memblocks.h"
#include "test_fixtures.h"

static char root[64];

#define MEM "/sys/devices/system/memory"

/* Block @id on @node with @state and @zones; its nodeM link as a plain file. */
static void block(long id, int node, const char *state, const char *zones)
{
	char rel[128];

	snprintf(rel, sizeof(rel), MEM "/memory%ld/state", id);
	pmig_test_put(root, rel, state);
	snprintf(rel, sizeof(rel), MEM "/memory%ld/valid_zones", id);
	pmig_test_put(root, rel, zones);
	snprintf(rel, sizeof(rel), MEM "/memory%ld/node%d", id, node);
	pmig_test_put(root, rel, "");
}

/* What pmig_memblocks_print_movable() says of the tree. */
static char *printed(void)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	assert_non_null(out);
	assert_int_equal(pmig_memblocks_print_movable(root, out), 0);
	fclose(out);
	return buf;
}

static int setup(void **state)
{
	(void)state;
	snprintf(root, sizeof(root), "/tmp/pmig-memblocks-XXXXXX");
	return mkdtemp(root) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	return system(cmd);
}

/* 2node-hotplug as 6.12 shows it: boot memory in DMA32 (memory0 spans two zones), a DIMM's two blocks Movable on node 1. */
static void test_hotplug_guest(void **state)
{
	struct pmig_memblock *b;
	size_t n;
	char *s;

	(void)state;
	pmig_test_put(root, MEM "/block_size_bytes", "8000000\n");
	block(0, 0, "online\n", "none\n");
	block(3, 0, "online\n", "DMA32\n");
	block(7, 1, "online\n", "DMA32\n");
	block(33, 1, "online\n", "Movable\n");
	block(32, 1, "online\n", "Movable\n");
	assert_int_equal(pmig_memblock_bytes(root), 128ULL << 20);
	assert_int_equal(pmig_memblocks_read(root, &b, &n), 0);
	assert_int_equal(n, 5);
	assert_int_equal(b[0].id, 0);
	assert_int_equal(b[3].id, 32);
	assert_int_equal(b[4].id, 33);
	assert_string_equal(b[1].zones, "DMA32");
	assert_false(pmig_memblock_movable(&b[2]));
	assert_true(pmig_memblock_movable(&b[3]));
	assert_int_equal(pmig_memblock_node(b, n, 33), 1);
	assert_int_equal(pmig_memblock_node(b, n, 3), 0);
	assert_int_equal(pmig_memblock_node(b, n, 40), -1);
	free(b);
	s = printed();
	assert_string_equal(
		s,
		"movable memory: node 1, 256 MiB in 2 blocks (memory32-memory33)\n");
	free(s);
}

/* An offlined movable block lists the zones it could go to: not movable memory now. */
static void test_offlined_block(void **state)
{
	struct pmig_memblock *b;
	size_t n;
	char *s;

	(void)state;
	pmig_test_put(root, MEM "/block_size_bytes", "8000000\n");
	block(32, 1, "online\n", "Movable\n");
	block(33, 1, "offline\n", "Normal Movable\n");
	assert_int_equal(pmig_memblocks_read(root, &b, &n), 0);
	assert_int_equal(n, 2);
	assert_false(b[1].online);
	assert_string_equal(b[1].zones, "Normal Movable");
	assert_false(pmig_memblock_movable(&b[1]));
	free(b);
	s = printed();
	assert_string_equal(
		s,
		"movable memory: node 1, 128 MiB in 1 block (memory32-memory32)\n");
	free(s);
}

/* No memory hotplug directory: -ENOENT to the reader, nothing printed. */
static void test_no_hotplug(void **state)
{
	struct pmig_memblock *b = NULL;
	size_t n = 0;
	char *s;

	(void)state;
	assert_int_equal(pmig_memblocks_read(root, &b, &n), -ENOENT);
	assert_int_equal(pmig_memblock_bytes(root), 0);
	s = printed();
	assert_string_equal(s, "");
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_hotplug_guest, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_offlined_block, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_no_hotplug, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
