/* test_cases.c - the case table as the spec rows declare it, and failures in shared checks named by their caller's line. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "cases.h"
#include "check.h"
#include "fixtures.h"
#include "invariants.h"
#include "kind_checks.h"
#include "sandbox.h"
#include "syscalls.h"

static void test_one_case_per_row_in_row_order(void **state)
{
	(void)state;
	assert_int_equal(pmig_case_count, pmig_spec_count);
	for (size_t i = 0; i < pmig_case_count; i++) {
		const struct pmig_case *c = &pmig_cases[i];

		assert_string_equal(c->id, pmig_spec_table[i].id);
		assert_non_null(c->run);
		assert_int_equal(strncmp(c->file, "conformance/", 12), 0);
	}
}

/* A row's tail reaches its case: arg, flags, capabilities, time limit, settings. */
static void test_row_tails(void **state)
{
	const struct pmig_case *dumpable = NULL, *ksm = NULL;

	(void)state;
	for (size_t i = 0; i < pmig_case_count; i++) {
		if (!strcmp(pmig_cases[i].id,
			    "move_pages.return.eperm_same_uid_not_dumpable"))
			dumpable = &pmig_cases[i];
		if (!strcmp(pmig_cases[i].id,
			    "move_pages.kind.ksm_moved_with_move_all"))
			ksm = &pmig_cases[i];
	}
	assert_non_null(dumpable);
	assert_int_equal(dumpable->arg,
			 PMIG_TARGET_NOBODY | PMIG_TARGET_UNDUMPABLE);
	assert_string_equal(dumpable->file, "conformance/move_pages.c");
	assert_non_null(ksm);
	assert_int_equal(ksm->flags, MPOL_MF_MOVE_ALL);
	assert_int_equal(ksm->timeout_ms, PMIG_KSM_TIMEOUT_MS);
	assert_int_equal(ksm->nsettings, 3);
	assert_string_equal(ksm->settings[0].path, "/sys/kernel/mm/ksm/run");
	assert_string_equal(ksm->file, "conformance/page_kinds.c");
}

/*
 * Sizes are the machine's: no case names a hugetlb pool of one size (the
 * runner puts in {hugetlb_kB} or {hugetlb_min_kB}) but the 1 GiB rows,
 * whose size is the point, and a tail address is half a huge page plus one
 * base page in, whatever the huge page's size. The multi-size THP switches
 * (transparent_hugepage/hugepages-<kB>kB) are no pool: their set names
 * every size any base page offers, each optional.
 */
static void test_machine_sizes(void **state)
{
	size_t pools = 0, base = (size_t)sysconf(_SC_PAGESIZE);

	(void)state;
	for (size_t i = 0; i < pmig_case_count; i++)
		for (size_t k = 0; k < pmig_cases[i].nsettings; k++) {
			const char *path = pmig_cases[i].settings[k].path;

			if (strstr(path, "/transparent_hugepage/hugepages-")) {
				assert_int_equal(
					pmig_cases[i].settings[k].policy,
					PMIG_SR_OPTIONAL);
				continue;
			}
			if (!strstr(path, "/hugepages-"))
				continue;
			pools++;
			assert_true(
				strstr(path, "/hugepages-{hugetlb_kB}kB/") ||
				strstr(path,
				       "/hugepages-{hugetlb_min_kB}kB/") ||
				(strstr(path, "/hugepages-1048576kB/") &&
				 strstr(pmig_cases[i].id, "_1g_")));
		}
	assert_true(pools >= 4);
	assert_int_equal(pmig_kind_offset(0, 2u << 20), 0);
	assert_int_equal(pmig_kind_offset(PMIG_KIND_AT_TAIL, 2u << 20),
			 (1u << 20) + base);
	assert_int_equal(pmig_kind_offset(PMIG_KIND_AT_TAIL, 32u << 20),
			 (16u << 20) + base);
}

/* The lines of the calls below, written by the case's child process. */
struct lines {
	int helper, nested, own;
};

static void fails_in_helpers(void *arg)
{
	int status[2] = { 0, 0 };
	struct lines *at = arg;

	at->helper = __LINE__ + 1;
	pmig_kind_check_statuses(status, 2, -1, 1);
	/* Through a helper that calls another: a return of 1 counts nothing. */
	at->nested = __LINE__ + 1;
	pmig_check_move_invariants(NULL, NULL, NULL, 0, 1, NULL);
	/* Back in the case: its own line again. */
	at->own = __LINE__ + 1;
	pmig_check_eq(2, 3);
}

/* @text is in @diag as a whole line. */
static bool has_line(const char *diag, const char *text)
{
	const char *p = strstr(diag, text);

	return p && (p == diag || p[-1] == '\n') &&
	       (p[strlen(text)] == '\n' || !p[strlen(text)]);
}

static void test_failures_name_the_caller(void **state)
{
	struct pmig_sandbox sb = { .timeout_ms = 5000 };
	struct pmig_sandbox_status st;
	struct lines *at = mmap(NULL, sizeof(*at), PROT_READ | PROT_WRITE,
				MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	const char *me = "conformance/tests/test_cases.c";
	char want[256];

	(void)state;
	assert_ptr_not_equal(at, MAP_FAILED);
	assert_int_equal(pmig_sandbox_run(&sb, fails_in_helpers, at, &st), 0);
	assert_int_equal(st.outcome, PMIG_FAIL);
	snprintf(
		want, sizeof(want),
		"%s:%d: status[0]: expected 1, got 0 (via conformance/kind_checks.c:",
		me, at->helper);
	assert_int_equal(strncmp(st.reason, want, strlen(want)), 0);
	snprintf(want, sizeof(want), "%s:%d: return 1, but 0 entries unwritten",
		 me, at->nested);
	assert_non_null(strstr(st.diag, want));
	assert_non_null(strstr(strstr(st.diag, want),
			       "(via conformance/invariants.c:"));
	snprintf(want, sizeof(want), "%s:%d: 2: expected 3, got 2", me,
		 at->own);
	assert_true(has_line(st.diag, want));
	pmig_sandbox_status_free(&st);
	munmap(at, sizeof(*at));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_one_case_per_row_in_row_order),
		cmocka_unit_test(test_row_tails),
		cmocka_unit_test(test_machine_sizes),
		cmocka_unit_test(test_failures_name_the_caller),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
