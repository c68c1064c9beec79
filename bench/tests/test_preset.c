/* test_preset.c - unit tests of pmig bench's named set-ups: the cases and the node pair they choose, the free-memory check, and the published figures they carry. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bench_fake_gb.h"
#include "matrix.h"
#include "preset.h"
#include "../../harness/tests/test_fixtures.h"

static void found_by_name(void **state)
{
	const struct pmig_preset *p = pmig_preset_find("garg-2025");

	(void)state;
	assert_non_null(p);
	assert_string_equal(p->name, "garg-2025");
	assert_int_equal(p->bytes, 1UL << 30);
	assert_null(pmig_preset_find("garg"));
	assert_null(pmig_preset_find(""));
	assert_null(pmig_preset_find(NULL));
	assert_string_equal(pmig_preset_names(), "garg-2025");
}

/* The full matrix on one pair, 1 GiB, 4K pages and 2 MiB THP: what the preset keeps of it. */
static void keeps_move_pages_batch_all_and_the_copy_bound(void **state)
{
	static const char *const want[] = {
		"memcpy/anon/1G/0to1/threads:1",
		"memcpy/anon/1G/0to1/threads:16",
		"move_pages/anon/1G/0to1/batch:all",
		"move_pages/thp/1G/0to1/batch:all",
	};
	const struct pmig_preset *p = pmig_preset_find("garg-2025");
	struct pmig_pair pair = { .from = 0, .to = 1, .distance = 32 };
	const char *cpus[] = { "0-15" };
	size_t size = p->bytes;
	struct pmig_case_opts o = { .sizes = &size,
				    .nsizes = 1,
				    .page_sizes = { .base = 4096,
						    .thp = 2 << 20,
						    .hugetlb = 2 << 20 },
				    .pairs = &pair,
				    .from_cpus = cpus,
				    .npairs = 1,
				    .iterations = 10,
				    .cpus = 16 };
	struct pmig_bench_case *c;
	long n = pmig_cases_build(&o, &c);
	size_t kept = 0;

	(void)state;
	assert_true(n > 4);
	for (long i = 0; i < n; i++) {
		if (!pmig_preset_keeps(p, &c[i]))
			continue;
		assert_true(kept < 4);
		assert_string_equal(c[i].name, want[kept]);
		kept++;
	}
	assert_int_equal(kept, 4);
	assert_false(pmig_preset_keeps(NULL, &c[0]));
	free(c);
}

static void pair(const char *xml, size_t want_n, int from, int to, int dist)
{
	struct pmig_topo *t = pmig_test_topo(xml);
	struct pmig_pair got = { -1, -1, -1, true };

	assert_int_equal(pmig_preset_pair(t, &got), want_n);
	if (want_n) {
		assert_int_equal(got.from, from);
		assert_int_equal(got.to, to);
		assert_int_equal(got.distance, dist);
		assert_false(got.to_cpuless);
	}
	pmig_topo_free(t);
}

/* Two sockets' nodes, never the CPU-less node even where it is the farthest. */
static void farthest_pair_of_cpu_nodes(void **state)
{
	(void)state;
	pair("2node.xml", 1, 0, 1, 21);
	/* 0 -> 2 (30) and 1 -> 2 (32) are farther, but node 2 has no CPUs. */
	pair("3node-cxl.xml", 1, 0, 1, 21);
	pair("4node-hbm.xml", 1, 0, 1, 21);
	pair("2node-memless.xml", 0, 0, 0, 0);
	pair("1node.xml", 0, 0, 0, 0);
}

static void room_on_both_nodes(void **state)
{
	char root[] = "/tmp/pmig-preset-XXXXXX", why[160] = "";
	struct pmig_pair p = { .from = 0, .to = 1 };

	(void)state;
	assert_non_null(mkdtemp(root));
	pmig_test_put(root, "/sys/devices/system/node/node0/meminfo",
		      "Node 0 MemTotal:  4194304 kB\n"
		      "Node 0 MemFree:   2097152 kB\n");
	pmig_test_put(root, "/sys/devices/system/node/node1/meminfo",
		      "Node 1 MemTotal:  4194304 kB\n"
		      "Node 1 MemFree:    409600 kB\n");
	assert_int_equal(
		pmig_preset_room(root, &p, 256UL << 20, why, sizeof(why)), 0);
	assert_int_equal(
		pmig_preset_room(root, &p, 1UL << 30, why, sizeof(why)),
		-ENOSPC);
	assert_string_equal(why,
			    "node 1 has 400 MiB free, 1024 MiB needed there");
	/* From node short: it is named, not the target. */
	p = (struct pmig_pair){ .from = 1, .to = 0 };
	assert_int_equal(
		pmig_preset_room(root, &p, 2UL << 30, why, sizeof(why)),
		-ENOSPC);
	assert_string_equal(why,
			    "node 1 has 400 MiB free, 2048 MiB needed there");
	/* A node whose figure cannot be read does not refuse the run. */
	p = (struct pmig_pair){ .from = 0, .to = 7 };
	assert_int_equal(
		pmig_preset_room(root, &p, 1UL << 30, why, sizeof(why)), 0);
}

/* Every reference line: a workload the preset runs, a figure, how it was made, where it was published. */
static void reference_lines_carry_their_citation(void **state)
{
	const struct pmig_preset *p = pmig_preset_find("garg-2025");
	bool anon = false, thp = false;

	(void)state;
	assert_true(p->nrefs >= 4);
	for (size_t i = 0; i < p->nrefs; i++) {
		const struct pmig_ref_line *r = &p->refs[i];

		assert_true(!strcmp(r->kind, "anon") ||
			    !strcmp(r->kind, "thp"));
		assert_true(r->gbps > 0 && r->gbps < 100);
		assert_true(r->what && *r->what);
		assert_true(r->kernel && *r->kernel);
		assert_int_equal(strlen(r->date), 10);
		assert_true(!strncmp(r->cite, "https://", 8));
		/* The stock kernel's figures as read in the v5 reply. */
		if (r->checked && !strcmp(r->kernel, "v7.1-rc1")) {
			anon |= !strcmp(r->kind, "anon") &&
				fabs(r->gbps - 3.31) < 1e-9;
			thp |= !strcmp(r->kind, "thp") &&
			       fabs(r->gbps - 11.02) < 1e-9;
		}
	}
	assert_true(anon && thp);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(found_by_name),
		cmocka_unit_test(keeps_move_pages_batch_all_and_the_copy_bound),
		cmocka_unit_test(farthest_pair_of_cpu_nodes),
		cmocka_unit_test(room_on_both_nodes),
		cmocka_unit_test(reference_lines_carry_their_citation),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
