/* test_covmark.c - unit tests of the coverage mark: the code at the epoch's address runs and is gone after, the label line, nothing at all without PMIG_COVERAGE. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "covmark.h"
#include "covtab.h"

static char dir[] = "/tmp/pmig-test-covmark.XXXXXX";
static char labels[64];

static int setup(void **state)
{
	(void)state;
	if (!mkdtemp(dir))
		return -1;
	snprintf(labels, sizeof(labels), "%s/epochs.tsv", dir);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	unlink(labels);
	return rmdir(dir);
}

static char *slurp(const char *path)
{
	static char buf[4096];
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f)
		return NULL;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static void *mark_address(unsigned id)
{
	return (void *)(uintptr_t)(PMIG_COV_MARK_BASE +
				   (uint64_t)id * PMIG_COV_MARK_STEP);
}

/* The address is free again after the mark: mapping it without replacing works. */
static bool address_free(unsigned id)
{
	long page = sysconf(_SC_PAGESIZE);
	void *p =
		mmap(mark_address(id), (size_t)page, PROT_READ,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);

	if (p == MAP_FAILED)
		return false;
	munmap(p, (size_t)page);
	return p == mark_address(id);
}

static void test_marks_and_names(void **state)
{
	(void)state;
	unlink(labels);
	assert_int_equal(pmig_cov_mark_to(labels, 1, "runner"), 0);
	assert_int_equal(pmig_cov_mark_to(labels, 7, "a\tb\nc"), 0);
	assert_int_equal(pmig_cov_mark_to(labels, 65535, NULL), 0);
	assert_string_equal(slurp(labels), "1\trunner\n7\ta b c\n65535\t\n");
	assert_true(address_free(7));
}

/* An address someone else holds is left alone, and the epoch is not named. */
static void test_taken_address(void **state)
{
	long page = sysconf(_SC_PAGESIZE);
	void *p =
		mmap(mark_address(9), (size_t)page, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);

	(void)state;
	assert_ptr_equal(p, mark_address(9));
	memset(p, 0x5a, 16);
	unlink(labels);
	assert_int_equal(pmig_cov_mark_to(labels, 9, "taken"), -EEXIST);
	assert_null(slurp(labels));
	assert_int_equal(((unsigned char *)p)[0], 0x5a);
	munmap(p, (size_t)page);
}

static void test_bad_ids(void **state)
{
	(void)state;
	unlink(labels);
	assert_int_equal(pmig_cov_mark_to(labels, 0, "boot"), -EINVAL);
	assert_int_equal(pmig_cov_mark_to(labels, 65536, "x"), -EINVAL);
	assert_null(slurp(labels));
}

/* Runs without coverage are untouched: no file, no mapping. */
static void test_off_without_environment(void **state)
{
	(void)state;
	unsetenv("PMIG_COVERAGE");
	assert_int_equal(pmig_cov_mark(3, "x"), 1);
	setenv("PMIG_COVERAGE", "", 1);
	assert_int_equal(pmig_cov_mark(3, "x"), 1);
	setenv("PMIG_COVERAGE", labels, 1);
	unlink(labels);
	assert_int_equal(pmig_cov_mark(3, "on"), 0);
	assert_string_equal(slurp(labels), "3\ton\n");
	unsetenv("PMIG_COVERAGE");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_marks_and_names),
		cmocka_unit_test(test_taken_address),
		cmocka_unit_test(test_bad_ids),
		cmocka_unit_test(test_off_without_environment),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
