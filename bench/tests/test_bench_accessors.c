/* test_bench_accessors.c - unit tests of the pinned reader threads the benchmarks run beside a migration. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "accessors.h"

#define NPAGES 16
#define PAGE 4096

static void *map_pages(void)
{
	void *p = mmap(NULL, NPAGES * PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	assert_true(p != MAP_FAILED);
	return p;
}

/* CPUs online beside the one this thread runs on. */
static long other_cpus(void)
{
	return sysconf(_SC_NPROCESSORS_ONLN) - 1;
}

static void test_zero_threads(void **state)
{
	struct pmig_accessors *a = (struct pmig_accessors *)1;
	void *buf = map_pages();

	(void)state;
	assert_int_equal(pmig_accessors_start(&a, buf, NPAGES * PAGE, 0), 0);
	assert_null(a);
	assert_int_equal(pmig_accessors_stop(NULL), 0);
	munmap(buf, NPAGES * PAGE);
}

static void test_bad_arguments(void **state)
{
	struct pmig_accessors *a = (struct pmig_accessors *)1;
	char *buf = map_pages();

	(void)state;
	assert_int_equal(pmig_accessors_start(&a, buf, NPAGES * PAGE, -1),
			 -EINVAL);
	assert_null(a);
	assert_int_equal(pmig_accessors_start(&a, NULL, NPAGES * PAGE, 1),
			 -EINVAL);
	assert_int_equal(pmig_accessors_start(&a, buf, 0, 1), -EINVAL);
	assert_int_equal(pmig_accessors_start(&a, buf + 1, PAGE, 1), -EINVAL);
	assert_int_equal(pmig_accessors_start(NULL, buf, PAGE, 1), -EINVAL);
	munmap(buf, NPAGES * PAGE);
}

/*
 * One thread on another CPU: start returns after its first read, so even an
 * immediate stop counts at least one; a wait of 100 ms sees it go round
 * the buffer more than once.
 */
static void test_one_thread_reads(void **state)
{
	struct timespec ts = { 0, 100 * 1000 * 1000 };
	struct pmig_accessors *a = NULL;
	void *buf = map_pages();
	long reads;

	(void)state;
	if (other_cpus() < 1) {
		assert_int_equal(
			pmig_accessors_start(&a, buf, NPAGES * PAGE, 1),
			-ENODEV);
		skip();
	}
	assert_int_equal(pmig_accessors_start(&a, buf, NPAGES * PAGE, 1), 0);
	assert_non_null(a);
	reads = pmig_accessors_stop(a);
	assert_true(reads >= 1);

	assert_int_equal(pmig_accessors_start(&a, buf, NPAGES * PAGE, 1), 0);
	nanosleep(&ts, NULL);
	reads = pmig_accessors_stop(a);
	print_message("# 1 accessor, 100 ms: %ld page reads\n", reads);
	assert_true(reads > NPAGES);
	munmap(buf, NPAGES * PAGE);
}

/* More threads than CPUs share them round-robin, and every thread reads. */
static void test_more_threads_than_cpus(void **state)
{
	struct pmig_accessors *a = NULL;
	void *buf = map_pages();
	int n;

	(void)state;
	if (other_cpus() < 1)
		skip();
	n = (int)other_cpus() * 2 + 1;
	assert_int_equal(pmig_accessors_start(&a, buf, NPAGES * PAGE, n), 0);
	assert_true(pmig_accessors_stop(a) >= n);
	munmap(buf, NPAGES * PAGE);
}

/* A range shorter than a page is read at its start only, and nothing past it. */
static void test_short_range(void **state)
{
	struct pmig_accessors *a = NULL;
	char *buf = map_pages();

	(void)state;
	if (other_cpus() < 1)
		skip();
	/* The last word of the mapping: a read past it would fault. */
	assert_int_equal(pmig_accessors_start(&a,
					      buf + NPAGES * PAGE -
						      sizeof(unsigned long),
					      sizeof(unsigned long), 1),
			 0);
	assert_true(pmig_accessors_stop(a) >= 1);
	munmap(buf, NPAGES * PAGE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_zero_threads),
		cmocka_unit_test(test_bad_arguments),
		cmocka_unit_test(test_one_thread_reads),
		cmocka_unit_test(test_more_threads_than_cpus),
		cmocka_unit_test(test_short_range),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
