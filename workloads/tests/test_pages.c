/* test_pages.c - unit tests of the placement check after pages are made: a page out of its page table for a moment is no page off its node, a page on another node is, and says which. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>

#include "pages.h"
#include "pages_impl.h"
#include "syscalls.h"

#define PAGES 16
#define SEED 0x706d696762656e63ULL

static void made_on_node_0(void **state)
{
	struct pmig_pages p;

	(void)state;
	assert_int_equal(pmig_pages_create(&p, PMIG_PAGE_ANON, PAGES, 0, SEED),
			 0);
	assert_int_equal(p.off_page, -1);
	assert_int_equal(pmig_pages_check_node(&p), 0);
	pmig_pages_destroy(&p);
}

/*
 * A page out of its page table reads -ENOENT in a status query, as one the
 * kernel is migrating (compaction) does for a moment; a swapped-out page
 * stays so until it is touched, which makes the case repeatable. The check
 * brings it back and finds it on its node (a guest with swap runs this:
 * scripts/tests/vm-bench.t).
 */
static void swapped_page_is_on_its_node(void **state)
{
	struct pmig_pages p;
	int ret;

	(void)state;
	assert_int_equal(pmig_pages_create(&p, PMIG_PAGE_ANON, PAGES, 0, SEED),
			 0);
	ret = pmig_pages_pageout(&p);
	if (ret == -EAGAIN) {
		pmig_pages_destroy(&p);
		skip(); /* no swap here */
	}
	assert_int_equal(ret, 0);
	assert_int_equal(pmig_page_node(p.addrs[3]), -ENOENT);
	assert_int_equal(pmig_pages_check_node(&p), 0);
	assert_int_equal(pmig_pages_first_corrupt(&p), -1);
	pmig_pages_destroy(&p);
}

/* A page really elsewhere fails the check, which names it and its node. */
static void page_on_another_node_is_named(void **state)
{
	struct pmig_pages p;
	int to = 1, status = -1;
	void *addr;

	(void)state;
	assert_int_equal(pmig_pages_create(&p, PMIG_PAGE_ANON, PAGES, 0, SEED),
			 0);
	addr = p.addrs[5];
	if (pmig_move_pages(0, 1, &addr, &to, &status, MPOL_MF_MOVE) ||
	    status != 1) {
		pmig_pages_destroy(&p);
		skip(); /* no node 1 with memory to spare */
	}
	assert_int_equal(pmig_pages_check_node(&p), -EIO);
	assert_int_equal(p.off_page, 5);
	assert_int_equal(p.off_status, 1);
	pmig_pages_destroy(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(made_on_node_0),
		cmocka_unit_test(swapped_page_is_on_its_node),
		cmocka_unit_test(page_on_another_node_is_named),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
