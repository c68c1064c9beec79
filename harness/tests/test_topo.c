/* test_topo.c - unit tests for topo.c on the hwloc XML fixtures in harness/tests/data. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <hwloc.h>

#include "test_fixtures.h"
#include "topo.h"

#define GIB (UINT64_C(1) << 30)

static const char *const fixtures[] = {
	"1node.xml",	 "2node.xml",	      "3node-cxl.xml",
	"4node-hbm.xml", "2node-memless.xml",
};

static char *print_to_string(const struct pmig_topo *topo)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	assert_int_equal(pmig_topo_print(topo, f), 0);
	assert_int_equal(fclose(f), 0);
	return buf;
}

/* An empty temporary file; the caller unlinks @path. */
static void temp_file(char *path, size_t len)
{
	const char *dir = getenv("TMPDIR");
	int fd;

	snprintf(path, len, "%s/pmig-test-topo-XXXXXX",
		 dir && *dir ? dir : "/tmp");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
}

static void check_node(const struct pmig_topo *topo, size_t i, unsigned os,
		       uint64_t memory, unsigned ncpus, const char *cpulist)
{
	const struct pmig_node *node = pmig_topo_node(topo, i);

	assert_non_null(node);
	assert_int_equal(node->os_index, os);
	assert_int_equal(node->memory_bytes, memory);
	assert_int_equal(node->ncpus, ncpus);
	assert_string_equal(node->cpulist, cpulist);
	assert_ptr_equal(pmig_topo_node_by_os(topo, os), node);
}

static void check_matrix(const struct pmig_topo *topo, size_t n,
			 const unsigned *os, const int *want)
{
	size_t i, j;

	for (i = 0; i < n; i++)
		for (j = 0; j < n; j++)
			assert_int_equal(pmig_topo_distance(topo, os[i], os[j]),
					 want[i * n + j]);
}

static void test_1node(void **state)
{
	struct pmig_topo *topo = pmig_test_topo("1node.xml");
	unsigned mem[4] = { 99, 99, 99, 99 };
	char *out;

	(void)state;
	assert_int_equal(pmig_topo_node_count(topo), 1);
	check_node(topo, 0, 0, 8 * GIB, 8, "0-7");
	assert_null(pmig_topo_node(topo, 1));
	assert_int_equal(pmig_topo_memory_nodes(topo, mem, 4), 1);
	assert_int_equal(mem[0], 0);
	assert_int_equal(mem[1], 99);
	/* A lone node has no matrix: even the diagonal is unknown, not 10. */
	assert_int_equal(pmig_topo_distance(topo, 0, 0), -1);
	out = print_to_string(topo);
	assert_string_equal(out, "nodes: 1 (memory: 1, cpu-less: 0)\n"
				 "node 0: cpus 0-7, memory 8192 MiB\n"
				 "distances: unknown\n");
	free(out);
	pmig_topo_free(topo);
}

static void test_2node(void **state)
{
	static const unsigned os[] = { 0, 1 };
	static const int want[] = { 10, 21, 21, 10 };
	struct pmig_topo *topo = pmig_test_topo("2node.xml");
	unsigned mem[2];

	(void)state;
	assert_int_equal(pmig_topo_node_count(topo), 2);
	check_node(topo, 0, 0, 4 * GIB, 2, "0-1");
	check_node(topo, 1, 1, 4 * GIB, 2, "2-3");
	assert_null(pmig_topo_node(topo, 2));
	assert_null(pmig_topo_node_by_os(topo, 2));
	assert_int_equal(pmig_topo_memory_nodes(topo, mem, 2), 2);
	assert_int_equal(mem[0], 0);
	assert_int_equal(mem[1], 1);
	check_matrix(topo, 2, os, want);
	assert_int_equal(pmig_topo_distance(topo, 0, 2), -1);
	assert_int_equal(pmig_topo_distance(topo, 7, 0), -1);
	pmig_topo_free(topo);
}

static void test_3node_cxl(void **state)
{
	static const unsigned os[] = { 0, 1, 2 };
	/* Asymmetric on purpose: row is "from", column is "to". */
	static const int want[] = { 10, 21, 30, 21, 10, 32, 31, 33, 10 };
	/* 4314 MiB + 1020 KiB: the summary must round down to 4314. */
	const uint64_t dram = UINT64_C(4524601344);
	struct pmig_topo *topo = pmig_test_topo("3node-cxl.xml");
	unsigned mem[3] = { 99, 99, 99 };

	(void)state;
	assert_int_equal(pmig_topo_node_count(topo), 3);
	check_node(topo, 0, 0, dram, 2, "0-1");
	check_node(topo, 1, 1, dram, 2, "2-3");
	/* Its cpuset is the whole machine, yet no CPU is in it. */
	check_node(topo, 2, 2, 16 * GIB, 0, "");
	/* Too small an array still reports how many exist, and is not overrun. */
	assert_int_equal(pmig_topo_memory_nodes(topo, mem, 2), 3);
	assert_int_equal(mem[0], 0);
	assert_int_equal(mem[1], 1);
	assert_int_equal(mem[2], 99);
	assert_int_equal(pmig_topo_memory_nodes(topo, NULL, 0), 3);
	check_matrix(topo, 3, os, want);
	pmig_topo_free(topo);
}

static void test_3node_cxl_print(void **state)
{
	struct pmig_topo *topo = pmig_test_topo("3node-cxl.xml");
	char *out = print_to_string(topo);

	(void)state;
	assert_string_equal(out, "nodes: 3 (memory: 3, cpu-less: 1)\n"
				 "node 0: cpus 0-1, memory 4314 MiB\n"
				 "node 1: cpus 2-3, memory 4314 MiB\n"
				 "node 2: cpu-less, memory 16384 MiB\n"
				 "distances:\n"
				 "       0   1   2\n"
				 "  0:  10  21  30\n"
				 "  1:  21  10  32\n"
				 "  2:  31  33  10\n");
	free(out);
	pmig_topo_free(topo);
}

static void test_4node_hbm(void **state)
{
	static const unsigned os[] = { 0, 1, 2, 3 };
	static const int want[] = { 10, 21, 13, 23, 21, 10, 23, 13,
				    13, 23, 10, 23, 23, 13, 23, 10 };
	struct pmig_topo *topo = pmig_test_topo("4node-hbm.xml");

	(void)state;
	assert_int_equal(pmig_topo_node_count(topo), 4);
	/* HBM nodes share their package's cpuset; the DRAM node keeps the CPUs. */
	check_node(topo, 0, 0, 8 * GIB, 4, "0-1,4-5");
	check_node(topo, 1, 1, 8 * GIB, 4, "2-3,6-7");
	check_node(topo, 2, 2, 2 * GIB, 0, "");
	check_node(topo, 3, 3, 2 * GIB, 0, "");
	assert_int_equal(pmig_topo_memory_nodes(topo, NULL, 0), 4);
	check_matrix(topo, 4, os, want);
	pmig_topo_free(topo);
}

static void test_2node_memless(void **state)
{
	struct pmig_topo *topo = pmig_test_topo("2node-memless.xml");
	unsigned mem[2] = { 99, 99 };
	char *out;

	(void)state;
	assert_int_equal(pmig_topo_node_count(topo), 2);
	check_node(topo, 0, 0, 2 * GIB, 2, "0-1");
	check_node(topo, 1, 1, 0, 2, "2-3");
	assert_int_equal(pmig_topo_memory_nodes(topo, mem, 2), 1);
	assert_int_equal(mem[0], 0);
	assert_int_equal(mem[1], 99);
	out = print_to_string(topo);
	assert_string_equal(out, "nodes: 2 (memory: 1, cpu-less: 0)\n"
				 "node 0: cpus 0-1, memory 2048 MiB\n"
				 "node 1: cpus 2-3, memoryless\n"
				 "distances:\n"
				 "       0   1\n"
				 "  0:  10  20\n"
				 "  1:  20  10\n");
	free(out);
	pmig_topo_free(topo);
}

/* Makes an hwloc XML from a synthetic description, edited by @edit, into @path. */
static void make_xml(const char *synthetic, void (*edit)(hwloc_topology_t),
		     char *path, size_t len)
{
	hwloc_topology_t hw;

	assert_int_equal(hwloc_topology_init(&hw), 0);
	assert_int_equal(hwloc_topology_set_synthetic(hw, synthetic), 0);
	assert_int_equal(hwloc_topology_load(hw), 0);
	if (edit)
		edit(hw);
	temp_file(path, len);
	assert_int_equal(hwloc_topology_export_xml(hw, path, 0), 0);
	hwloc_topology_destroy(hw);
}

static void edit_hbm_first(hwloc_topology_t hw)
{
	hwloc_obj_t node = hwloc_get_obj_by_type(hw, HWLOC_OBJ_NUMANODE, 0);

	assert_non_null(node);
	free(node->subtype);
	node->subtype = strdup("HBM");
	assert_non_null(node->subtype);
}

static void add_matrix(hwloc_topology_t hw, const char *name,
		       unsigned long kind, unsigned nbobjs,
		       const hwloc_uint64_t *values)
{
	hwloc_obj_t objs[8];
	hwloc_distances_add_handle_t h;
	unsigned i;

	assert_true(nbobjs <= 8);
	for (i = 0; i < nbobjs; i++) {
		objs[i] = hwloc_get_obj_by_type(hw, HWLOC_OBJ_NUMANODE, i);
		assert_non_null(objs[i]);
	}
	h = hwloc_distances_add_create(hw, name, kind, 0);
	assert_non_null(h);
	assert_int_equal(hwloc_distances_add_values(hw, h, nbobjs, objs,
						    (hwloc_uint64_t *)values,
						    0),
			 0);
	assert_int_equal(hwloc_distances_add_commit(hw, h, 0), 0);
}

static void edit_two_matrices(hwloc_topology_t hw)
{
	static const hwloc_uint64_t custom[] = { 99, 99, 99, 99, 99,
						 99, 99, 99, 99 };
	static const hwloc_uint64_t slit[] = { 10, 20, 20, 10 };
	const unsigned long kind = HWLOC_DISTANCES_KIND_FROM_USER |
				   HWLOC_DISTANCES_KIND_MEANS_LATENCY;

	add_matrix(hw, "Custom", kind, 3, custom);
	add_matrix(hw, "NUMALatency", kind, 2, slit);
}

static void edit_bandwidth_only(hwloc_topology_t hw)
{
	static const hwloc_uint64_t bw[] = { 100, 50, 50, 100 };

	add_matrix(hw, "NUMABandwidth",
		   HWLOC_DISTANCES_KIND_FROM_USER |
			   HWLOC_DISTANCES_KIND_MEANS_BANDWIDTH,
		   2, bw);
}

/* CPUs go to plain DRAM over special memory of the same locality, whatever the os index. */
static void test_tie_prefers_dram(void **state)
{
	const char *desc = "pack:1 [numa(memory=1GiB)] [numa(memory=4GiB)] "
			   "core:2 pu:1";
	struct pmig_topo *topo;
	char path[4096];

	(void)state;
	make_xml(desc, NULL, path, sizeof(path));
	assert_int_equal(pmig_topo_load(&topo, path), 0);
	unlink(path);
	check_node(topo, 0, 0, GIB, 2, "0-1");
	check_node(topo, 1, 1, 4 * GIB, 0, "");
	pmig_topo_free(topo);

	make_xml(desc, edit_hbm_first, path, sizeof(path));
	assert_int_equal(pmig_topo_load(&topo, path), 0);
	unlink(path);
	check_node(topo, 0, 0, GIB, 0, "");
	check_node(topo, 1, 1, 4 * GIB, 2, "0-1");
	pmig_topo_free(topo);
}

static void test_matrix_choice(void **state)
{
	struct pmig_topo *topo;
	char path[4096];
	char *out;

	(void)state;
	make_xml("pack:3 [numa(memory=1GiB)] core:1 pu:1", edit_two_matrices,
		 path, sizeof(path));
	assert_int_equal(pmig_topo_load(&topo, path), 0);
	unlink(path);
	/* NUMALatency wins over Custom even where only Custom knows a pair. */
	assert_int_equal(pmig_topo_distance(topo, 0, 1), 20);
	assert_int_equal(pmig_topo_distance(topo, 1, 1), 10);
	assert_int_equal(pmig_topo_distance(topo, 0, 2), -1);
	assert_int_equal(pmig_topo_distance(topo, 2, 2), -1);
	out = print_to_string(topo);
	assert_string_equal(out, "nodes: 3 (memory: 3, cpu-less: 0)\n"
				 "node 0: cpus 0, memory 1024 MiB\n"
				 "node 1: cpus 1, memory 1024 MiB\n"
				 "node 2: cpus 2, memory 1024 MiB\n"
				 "distances:\n"
				 "       0   1   2\n"
				 "  0:  10  20   -\n"
				 "  1:  20  10   -\n"
				 "  2:   -   -   -\n");
	free(out);
	pmig_topo_free(topo);

	/* A bandwidth matrix says nothing about SLIT-style distance. */
	make_xml("pack:2 [numa(memory=1GiB)] core:1 pu:1", edit_bandwidth_only,
		 path, sizeof(path));
	assert_int_equal(pmig_topo_load(&topo, path), 0);
	unlink(path);
	assert_int_equal(pmig_topo_distance(topo, 0, 1), -1);
	assert_int_equal(pmig_topo_distance(topo, 0, 0), -1);
	pmig_topo_free(topo);
}

static void check_same(const struct pmig_topo *a, const struct pmig_topo *b)
{
	size_t n = pmig_topo_node_count(a), i, j;
	char *pa, *pb;

	assert_int_equal(pmig_topo_node_count(b), n);
	for (i = 0; i < n; i++) {
		const struct pmig_node *x = pmig_topo_node(a, i);
		const struct pmig_node *y = pmig_topo_node(b, i);

		assert_int_equal(x->os_index, y->os_index);
		assert_int_equal(x->memory_bytes, y->memory_bytes);
		assert_int_equal(x->ncpus, y->ncpus);
		assert_string_equal(x->cpulist, y->cpulist);
		for (j = 0; j < n; j++) {
			unsigned to = pmig_topo_node(a, j)->os_index;

			assert_int_equal(
				pmig_topo_distance(a, x->os_index, to),
				pmig_topo_distance(b, x->os_index, to));
		}
	}
	pa = print_to_string(a);
	pb = print_to_string(b);
	assert_string_equal(pa, pb);
	free(pa);
	free(pb);
}

static void test_export_roundtrip(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(fixtures) / sizeof(fixtures[0]); i++) {
		struct pmig_topo *topo = pmig_test_topo(fixtures[i]);
		struct pmig_topo *again = NULL;
		char path[4096];
		FILE *f;

		temp_file(path, sizeof(path));
		f = fopen(path, "w");
		assert_non_null(f);
		assert_int_equal(pmig_topo_export_xml(topo, f), 0);
		assert_int_equal(fclose(f), 0);
		assert_int_equal(pmig_topo_load(&again, path), 0);
		unlink(path);
		check_same(topo, again);
		pmig_topo_free(again);
		pmig_topo_free(topo);
	}
}

static void test_load_missing(void **state)
{
	struct pmig_topo *topo = (struct pmig_topo *)&topo;

	(void)state;
	assert_int_equal(
		pmig_topo_load(&topo, pmig_test_data_path("no-such-file.xml")),
		-ENOENT);
	assert_null(topo);
}

static void test_load_malformed(void **state)
{
	static const char *const bad[] = {
		"",
		"garbage, not XML\n",
		"<?xml version=\"1.0\"?>\n<topology version=\"2.0\">\n",
		"<?xml version=\"1.0\"?>\n<html><body/></html>\n",
	};
	struct pmig_topo *topo;
	char path[4096];
	size_t i;

	(void)state;
	temp_file(path, sizeof(path));
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		topo = (struct pmig_topo *)&topo;
		write_file(path, bad[i]);
		assert_int_equal(pmig_topo_load(&topo, path), -EINVAL);
		assert_null(topo);
	}
	unlink(path);
	/* A PU whose complete_cpuset is missing crashed libhwloc 2.9 (fuzz_topo found it). */
	topo = (struct pmig_topo *)&topo;
	assert_int_equal(
		pmig_topo_load(&topo, pmig_test_data_path(
					      "missing-complete-cpuset.xml")),
		-EINVAL);
	assert_null(topo);
	/* And one whose attribute value was cut by a tag: another NULL read in hwloc. */
	topo = (struct pmig_topo *)&topo;
	assert_int_equal(pmig_topo_load(&topo, pmig_test_data_path(
						       "tag-in-attribute.xml")),
			 -EINVAL);
	assert_null(topo);
	/* A directory opens but does not parse. */
	assert_int_equal(pmig_topo_load(&topo, pmig_test_data_path("")),
			 -EINVAL);
	assert_null(topo);
}

static void test_this_machine(void **state)
{
	struct pmig_topo *topo = NULL;
	size_t i, n;
	unsigned ncpus = 0;
	char *out;

	(void)state;
	assert_int_equal(pmig_topo_load(&topo, NULL), 0);
	n = pmig_topo_node_count(topo);
	assert_true(n >= 1);
	for (i = 0; i < n; i++)
		ncpus += pmig_topo_node(topo, i)->ncpus;
	assert_true(ncpus >= 1);
	assert_true(pmig_topo_memory_nodes(topo, NULL, 0) >= 1);
	out = print_to_string(topo);
	assert_non_null(strstr(out, "node "));
	free(out);
	pmig_topo_free(topo);
}

static void test_write_errors(void **state)
{
	struct pmig_topo *topo = pmig_test_topo("2node.xml");
	FILE *f = fopen("/dev/full", "w");

	(void)state;
	assert_non_null(f);
	/* Unbuffered, so the failure shows in the call, not at fclose. */
	setvbuf(f, NULL, _IONBF, 0);
	assert_true(pmig_topo_export_xml(topo, f) < 0);
	assert_int_equal(pmig_topo_print(topo, f), -EIO);
	fclose(f);
	pmig_topo_free(topo);
}

static void test_null_arguments(void **state)
{
	(void)state;
	assert_int_equal(pmig_topo_load(NULL, NULL), -EINVAL);
	assert_int_equal(pmig_topo_node_count(NULL), 0);
	assert_null(pmig_topo_node(NULL, 0));
	assert_null(pmig_topo_node_by_os(NULL, 0));
	assert_int_equal(pmig_topo_memory_nodes(NULL, NULL, 0), 0);
	assert_int_equal(pmig_topo_distance(NULL, 0, 0), -1);
	assert_int_equal(pmig_topo_export_xml(NULL, stdout), -EINVAL);
	assert_int_equal(pmig_topo_print(NULL, stdout), -EINVAL);
	pmig_topo_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_1node),
		cmocka_unit_test(test_2node),
		cmocka_unit_test(test_3node_cxl),
		cmocka_unit_test(test_3node_cxl_print),
		cmocka_unit_test(test_4node_hbm),
		cmocka_unit_test(test_2node_memless),
		cmocka_unit_test(test_tie_prefers_dram),
		cmocka_unit_test(test_matrix_choice),
		cmocka_unit_test(test_export_roundtrip),
		cmocka_unit_test(test_load_missing),
		cmocka_unit_test(test_load_malformed),
		cmocka_unit_test(test_this_machine),
		cmocka_unit_test(test_write_errors),
		cmocka_unit_test(test_null_arguments),
	};

	return cmocka_run_group_tests_name("topo", tests, NULL, NULL);
}
