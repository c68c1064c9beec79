/* test_refmig.c - unit tests of the reference migrator on this machine's node 0: what it refuses, what it keeps of the mapping. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "kver.h"
#include "pages.h"
#include "refmig.h"
#include "spec.h"
#include "syscalls.h"

#define PAGES 64

static size_t page;

/* The permissions ("rw-p") and VmFlags line of the mapping at @addr, from smaps. */
static void mapping_of(void *addr, char perms[5], char *flags, size_t len)
{
	FILE *f = fopen("/proc/self/smaps", "re");
	char line[512];
	bool in = false;

	assert_non_null(f);
	perms[0] = flags[0] = '\0';
	while (fgets(line, sizeof(line), f)) {
		unsigned long lo, hi;
		char p[5];

		if (sscanf(line, "%lx-%lx %4s", &lo, &hi, p) == 3) {
			in = (uintptr_t)addr >= lo && (uintptr_t)addr < hi;
			if (in)
				memcpy(perms, p, 5);
		} else if (in && strncmp(line, "VmFlags:", 8) == 0) {
			size_t n = strlen(line) < len ? strlen(line) : len - 1;

			memcpy(flags, line, n);
			flags[n] = '\0';
			break;
		}
	}
	fclose(f);
}

static void moves_and_keeps_data_policy_and_advice(void **state)
{
	struct pmig_pages p;
	struct pmig_refmig_stats st;
	unsigned long mask[16] = { 0 };
	char perms[5], flags[256];
	int mode = -1;
	long first_off;
	int first_status;

	(void)state;
	assert_int_equal(pmig_pages_create(&p, PMIG_PAGE_ANON, PAGES, 0, 7), 0);
	/*
	 * MADV_DONTDUMP is not carried over: its flag gone from the mapping
	 * shows that a new mapping now stands at the old addresses (on one
	 * node, the pages' node cannot show it).
	 */
	assert_int_equal(madvise(p.base, PAGES * page, MADV_DONTDUMP), 0);
	mapping_of(p.base, perms, flags, sizeof(flags));
	assert_non_null(strstr(flags, " dd"));
	assert_int_equal(pmig_refmig(p.base, PAGES * page, 0, &st), 0);
	assert_int_equal(st.pages, PAGES);
	assert_int_equal(st.bytes, PAGES * page);
	assert_int_equal(pmig_pages_first_corrupt(&p), -1);
	assert_int_equal(pmig_range_count_on_node(p.base, PAGES * page, 0,
						  &first_off, &first_status),
			 PAGES);
	assert_int_equal(first_off, -1);
	/* pmig_pages_create bound the original to node 0: the copy is too. */
	assert_int_equal(
		pmig_get_mempolicy(&mode, mask, 16 * 64, p.base, MPOL_F_ADDR),
		0);
	assert_int_equal(mode, MPOL_BIND);
	assert_int_equal(mask[0], 1);
	/* pmig_map turned THP off for the original: the copy keeps it off. */
	mapping_of(p.base, perms, flags, sizeof(flags));
	assert_string_equal(perms, "rw-p");
	assert_non_null(strstr(flags, " nh"));
	assert_null(strstr(flags, " dd"));
	pmig_pages_destroy(&p);
}

static void keeps_protections(void **state)
{
	struct pmig_pages p;
	char perms[5], flags[256];

	(void)state;
	assert_int_equal(pmig_pages_create(&p, PMIG_PAGE_ANON, PAGES, 0, 8), 0);
	assert_int_equal(mprotect(p.base, PAGES * page, PROT_READ), 0);
	assert_int_equal(pmig_refmig(p.base, PAGES * page, 0, NULL), 0);
	mapping_of(p.base, perms, flags, sizeof(flags));
	assert_string_equal(perms, "r--p");
	assert_int_equal(pmig_pages_first_corrupt(&p), -1);
	pmig_pages_destroy(&p);
}

/*
 * The status a query gives a page never touched differs between kernels
 * (-EFAULT on 4.3 to 6.11, -ENOENT before and after): the spec's profile
 * for kernel @kv says which.
 */
static long never_touched_status(uint32_t kv)
{
	const struct pmig_spec *s =
		pmig_spec_find("move_pages.status.enoent_not_present");

	struct pmig_platform on = pmig_platform_here(kv);

	assert_non_null(s);
	return pmig_spec_expect_on(s, &on);
}

static void never_touched_status_follows_the_profile(void **state)
{
	(void)state;
	assert_int_equal(never_touched_status(PMIG_KV(4, 2, 0)), -ENOENT);
	assert_int_equal(never_touched_status(PMIG_KV(6, 1, 0)), -EFAULT);
	assert_int_equal(never_touched_status(PMIG_KV(6, 11, 255)), -EFAULT);
	assert_int_equal(never_touched_status(PMIG_KV(6, 12, 0)), -ENOENT);
	assert_int_equal(never_touched_status(PMIG_KV(6, 18, 44)), -ENOENT);
}

static void counts_pages_elsewhere(void **state)
{
	char *m = pmig_map(4 * page, false);
	long first_off = 0;
	int first_status = 0;
	uint32_t kv;

	(void)state;
	assert_int_equal(pmig_kver_running(&kv), 0);
	assert_non_null(m);
	m[2 * page] = 1; /* pages 0, 1 and 3 are never touched */
	assert_int_equal(pmig_range_count_on_node(m, 4 * page, 0, &first_off,
						  &first_status),
			 1);
	assert_int_equal(first_off, 0);
	assert_int_equal(first_status, never_touched_status(kv));
	munmap(m, 4 * page);
}

static void refuses_what_it_cannot_do(void **state)
{
	struct pmig_pages p, q;
	char *m;
	FILE *f = tmpfile();

	(void)state;
	assert_int_equal(pmig_pages_create(&p, PMIG_PAGE_ANON, PAGES, 0, 9), 0);
	assert_int_equal(pmig_refmig(p.base + 1, page, 0, NULL), -EINVAL);
	assert_int_equal(pmig_refmig(p.base, page + 1, 0, NULL), -EINVAL);
	assert_int_equal(pmig_refmig(p.base, 0, 0, NULL), -EINVAL);
	assert_int_equal(pmig_refmig(p.base, page, -1, NULL), -EINVAL);
	/* A range running into a hole: not inside one mapping. */
	m = pmig_map(2 * page, false);
	assert_non_null(m);
	m[0] = 1;
	assert_int_equal(munmap(m + page, page), 0);
	assert_int_equal(pmig_refmig(m, 2 * page, 0, NULL), -EINVAL);
	assert_int_equal(m[0], 1);
	munmap(m, page);
	assert_int_equal(pmig_pages_first_corrupt(&p), -1);

	/* Shared anonymous (shmem) and file-backed mappings. */
	assert_int_equal(pmig_pages_create(&q, PMIG_PAGE_SHARED_ANON, 4, 0, 1),
			 0);
	assert_int_equal(pmig_refmig(q.base, 4 * page, 0, NULL), -EINVAL);
	pmig_pages_destroy(&q);
	assert_non_null(f);
	assert_int_equal(ftruncate(fileno(f), (off_t)page), 0);
	m = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_PRIVATE, fileno(f), 0);
	assert_true(m != MAP_FAILED);
	assert_int_equal(pmig_refmig(m, page, 0, NULL), -EINVAL);
	munmap(m, page);
	fclose(f);

	/* An unreadable mapping cannot be copied. */
	assert_int_equal(mprotect(p.base, page, PROT_NONE), 0);
	assert_int_equal(pmig_refmig(p.base, page, 0, NULL), -EINVAL);
	pmig_pages_destroy(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(moves_and_keeps_data_policy_and_advice),
		cmocka_unit_test(keeps_protections),
		cmocka_unit_test(never_touched_status_follows_the_profile),
		cmocka_unit_test(counts_pages_elsewhere),
		cmocka_unit_test(refuses_what_it_cannot_do),
	};

	page = (size_t)sysconf(_SC_PAGESIZE);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
