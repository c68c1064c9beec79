/* test_pagesizes.c - unit tests of the page sizes read from fake sysfs and /proc trees of x86-64, arm64 and ppc64le. */
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
#include <unistd.h>

#include "pagesizes.h"

#define KIB ((size_t)1 << 10)
#define MIB ((size_t)1 << 20)
#define GIB ((size_t)1 << 30)

static char root[64];

static void put(const char *rel, const char *text)
{
	char path[256], *slash;
	FILE *f;

	snprintf(path, sizeof(path), "%s%s", root, rel);
	for (slash = strchr(path + strlen(root) + 1, '/'); slash;
	     slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		mkdir(path, 0755);
		*slash = '/';
	}
	if (!text) {
		assert_int_equal(mkdir(path, 0755), 0);
		return;
	}
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/*
 * A fake machine: hpage_pmd_size @thp ("": no THP file), the hugetlb pools
 * of @pools (kB, 0-terminated) and Hugepagesize @def_kb.
 */
static void machine(const char *thp, const unsigned *pools, unsigned def_kb)
{
	char text[128];

	snprintf(root, sizeof(root), "/tmp/pmig-pagesizes-XXXXXX");
	assert_non_null(mkdtemp(root));
	if (*thp)
		put("/sys/kernel/mm/transparent_hugepage/hpage_pmd_size", thp);
	for (; *pools; pools++) {
		snprintf(text, sizeof(text),
			 "/sys/kernel/mm/hugepages/hugepages-%ukB", *pools);
		put(text, NULL);
	}
	snprintf(text, sizeof(text),
		 "MemTotal:        8000000 kB\nHugePages_Total:       0\n"
		 "Hugepagesize:       %u kB\nHugetlb:               0 kB\n",
		 def_kb);
	put("/proc/meminfo", text);
}

static int teardown(void **state)
{
	char cmd[96];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	return system(cmd);
}

static void expect(size_t base, size_t thp, size_t hugetlb, size_t hugetlb_min)
{
	struct pmig_page_sizes s;

	assert_int_equal(pmig_page_sizes_read(root, base, &s), 0);
	assert_int_equal(s.base, base);
	assert_int_equal(s.thp, thp);
	assert_int_equal(s.hugetlb, hugetlb);
	assert_int_equal(s.hugetlb_min, hugetlb_min);
}

static void test_x86_64(void **state)
{
	static const unsigned pools[] = { 2048, 1048576, 0 };

	(void)state;
	machine("2097152\n", pools, 2048);
	expect(4 * KIB, 2 * MIB, 2 * MIB, 2 * MIB);
}

/*
 * arm64 with 16 KiB pages: 32 MiB PMDs; the default hugetlb size is 32 MiB too;
 * the smallest pool (to fill a node finely) is 2 MiB.
 */
static void test_arm64_16k(void **state)
{
	static const unsigned pools[] = { 2048, 32768, 1048576, 0 };

	(void)state;
	machine("33554432\n", pools, 32768);
	expect(16 * KIB, 32 * MIB, 32 * MIB, 2 * MIB);
}

/* ppc64le with 64 KiB pages: THP 2 MiB, hugetlb 2 MiB and 1 GiB. */
static void test_ppc64le_64k(void **state)
{
	static const unsigned pools[] = { 2048, 1048576, 0 };

	(void)state;
	machine("2097152\n", pools, 2048);
	expect(64 * KIB, 2 * MIB, 2 * MIB, 2 * MIB);
}

/* The PMD-sized pool wins over a default of another size. */
static void test_pmd_pool_before_default(void **state)
{
	static const unsigned pools[] = { 64, 2048, 32768, 1048576, 0 };

	(void)state;
	machine("2097152\n", pools, 64);
	expect(4 * KIB, 2 * MIB, 2 * MIB, 64 * KIB);
}

/* No THP in the kernel: the default hugetlb size still serves. */
static void test_no_thp(void **state)
{
	static const unsigned pools[] = { 1048576, 0 };

	(void)state;
	machine("", pools, 1048576);
	expect(4 * KIB, 0, GIB, GIB);
}

/* No pool of the PMD size nor of the default: no hugetlb. */
static void test_no_hugetlb(void **state)
{
	static const unsigned pools[] = { 0 };

	(void)state;
	machine("2097152\n", pools, 2048);
	expect(4 * KIB, 2 * MIB, 0, 0);
}

static void test_bad_base(void **state)
{
	static const unsigned pools[] = { 0 };
	struct pmig_page_sizes s;

	(void)state;
	machine("", pools, 2048);
	assert_int_equal(pmig_page_sizes_read(root, 12288, &s), -EINVAL);
}

/* The running machine: sysconf's base page, and a THP a whole number of them. */
static void test_this_machine(void **state)
{
	const struct pmig_page_sizes *s = pmig_page_sizes();

	(void)state;
	assert_int_equal(s->base, (size_t)sysconf(_SC_PAGESIZE));
	assert_int_equal(s->thp % s->base, 0);
	assert_int_equal(pmig_thp_pages(), s->thp / s->base);
	assert_ptr_equal(pmig_page_sizes(), s);
}

static void test_node_path(void **state)
{
	char buf[128], tiny[16];

	(void)state;
	assert_int_equal(pmig_hugetlb_node_path(buf, sizeof(buf), 3, 32 * MIB,
						"free_hugepages"),
			 0);
	assert_string_equal(
		buf,
		"/sys/devices/system/node/node3/hugepages/hugepages-32768kB/free_hugepages");
	assert_int_equal(pmig_hugetlb_node_path(buf, sizeof(buf), 0, 2 * MIB,
						"nr_hugepages"),
			 0);
	assert_string_equal(
		buf,
		"/sys/devices/system/node/node0/hugepages/hugepages-2048kB/nr_hugepages");
	assert_int_equal(pmig_hugetlb_node_path(tiny, sizeof(tiny), 0, 2 * MIB,
						"nr_hugepages"),
			 -ENAMETOOLONG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_x86_64, teardown),
		cmocka_unit_test_teardown(test_arm64_16k, teardown),
		cmocka_unit_test_teardown(test_ppc64le_64k, teardown),
		cmocka_unit_test_teardown(test_pmd_pool_before_default,
					  teardown),
		cmocka_unit_test_teardown(test_no_thp, teardown),
		cmocka_unit_test_teardown(test_no_hugetlb, teardown),
		cmocka_unit_test_teardown(test_bad_base, teardown),
		cmocka_unit_test(test_this_machine),
		cmocka_unit_test(test_node_path),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
