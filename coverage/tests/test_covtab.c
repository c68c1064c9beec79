/* test_covtab.c - unit tests of the coverage plugin's tables: one counter per address, epochs switched and merged, the raw file's exact text, marks and kernel bases. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "covtab.h"

#define K 0xffffffff81000000ULL

/* The raw file @t writes, malloc'ed. */
static char *written(struct pmig_covtab *t)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	assert_int_equal(pmig_covtab_write(t, "x86_64", f), 0);
	assert_int_equal(fclose(f), 0);
	return buf;
}

static void test_kernel_base_per_target(void **state)
{
	const char *arch = "unset";

	(void)state;
	assert_true(pmig_covtab_kernel_base("x86_64", &arch) ==
		    0xffff000000000000ULL);
	assert_string_equal(arch, "x86_64");
	assert_true(pmig_covtab_kernel_base("aarch64", &arch) ==
		    0xffff000000000000ULL);
	assert_string_equal(arch, "aarch64");
	assert_true(pmig_covtab_kernel_base("ppc64", &arch) ==
		    0xc000000000000000ULL);
	assert_string_equal(arch, "ppc64");
	assert_true(pmig_covtab_kernel_base("riscv64", &arch) == 0);
	assert_null(arch);
	assert_true(pmig_covtab_kernel_base(NULL, NULL) == 0);
}

static void test_mark_ids(void **state)
{
	unsigned id = 12345;

	(void)state;
	assert_true(pmig_covtab_mark_id(0x200000000000ULL, &id));
	assert_int_equal(id, 0);
	assert_true(pmig_covtab_mark_id(0x200000020000ULL, &id));
	assert_int_equal(id, 2);
	assert_true(pmig_covtab_mark_id(0x20000002ffffULL, &id));
	assert_int_equal(id, 2);
	assert_true(pmig_covtab_mark_id(0x200000000000ULL + 0x10000ULL * 65535,
					&id));
	assert_int_equal(id, 65535);
	id = 7;
	assert_false(pmig_covtab_mark_id(0x1fffffffffffULL, &id));
	assert_false(pmig_covtab_mark_id(0x200000000000ULL + 0x10000ULL * 65536,
					 &id));
	assert_false(pmig_covtab_mark_id(K, &id));
	assert_int_equal(id, 7);
}

/* A second translation of an address counts on the first one's counter. */
static void test_one_counter_per_address(void **state)
{
	struct pmig_covtab *t = pmig_covtab_new();
	uint64_t *a, *b, *c;
	char *raw;

	(void)state;
	assert_non_null(t);
	a = pmig_covtab_counter(t, K + 0x10, 8);
	b = pmig_covtab_counter(t, K + 0x40, 4);
	c = pmig_covtab_counter(t, K + 0x10, 12);
	assert_non_null(a);
	assert_ptr_equal(a, c);
	assert_ptr_not_equal(a, b);
	*a += 3;
	*c += 2;
	raw = written(t);
	/* The largest size seen; b never ran, so it is not listed. */
	assert_string_equal(raw, "pmig-coverage-raw 1\n"
				 "arch x86_64\n"
				 "epoch 0\n"
				 "ffffffff81000010 c 5\n");
	free(raw);
	pmig_covtab_free(t);
}

/* Counters never move while thousands more are added (QEMU holds their addresses). */
static void test_counters_stay_put(void **state)
{
	struct pmig_covtab *t = pmig_covtab_new();
	uint64_t *first[64];

	(void)state;
	for (unsigned i = 0; i < 64; i++)
		first[i] = pmig_covtab_counter(t, K + i * 16, 16);
	for (unsigned i = 64; i < 50000; i++)
		assert_non_null(pmig_covtab_counter(t, K + i * 16, 16));
	for (unsigned i = 0; i < 64; i++)
		assert_ptr_equal(pmig_covtab_counter(t, K + i * 16, 16),
				 first[i]);
	pmig_covtab_free(t);
}

/*
 * Each epoch gets what ran while it was current; a counter is zeroed at
 * the switch; an epoch entered again adds up; epochs come out in id order,
 * addresses ascending; an epoch in which no kernel code ran still says
 * that it was entered.
 */
static void test_epochs(void **state)
{
	struct pmig_covtab *t = pmig_covtab_new();
	uint64_t *hi = pmig_covtab_counter(t, K + 0x900, 0x20);
	uint64_t *lo = pmig_covtab_counter(t, K + 0x100, 0x10);
	char *raw;

	(void)state;
	*hi += 7; /* boot */
	assert_int_equal(pmig_covtab_switch(t, 1), 0);
	assert_true(*hi == 0);
	assert_int_equal(pmig_covtab_epoch(t), 1);
	*lo += 1;
	assert_int_equal(pmig_covtab_switch(t, 3), 0);
	*lo += 2;
	*hi += 4;
	assert_int_equal(pmig_covtab_switch(t, 1), 0);
	*lo += 10;
	assert_int_equal(pmig_covtab_switch(t, 2), 0);
	assert_int_equal(pmig_covtab_switch(t, 1), 0);
	*lo += 100;
	raw = written(t);
	assert_string_equal(raw, "pmig-coverage-raw 1\n"
				 "arch x86_64\n"
				 "epoch 0\n"
				 "ffffffff81000900 20 7\n"
				 "epoch 1\n"
				 "ffffffff81000100 10 111\n"
				 "epoch 2\n"
				 "epoch 3\n"
				 "ffffffff81000100 10 2\n"
				 "ffffffff81000900 20 4\n");
	free(raw);
	pmig_covtab_free(t);
}

/*
 * The runner's epoch, entered between every case, is merged as it grows:
 * after many switches it lists each address once, with every execution.
 */
static void test_merge_of_a_returning_epoch(void **state)
{
	struct pmig_covtab *t = pmig_covtab_new();
	uint64_t *c[3000];
	char *raw, *line;
	unsigned lines = 0;

	(void)state;
	for (unsigned i = 0; i < 3000; i++)
		c[i] = pmig_covtab_counter(t, K + i * 32, 32);
	for (unsigned round = 0; round < 200; round++) {
		assert_int_equal(pmig_covtab_switch(t, 1), 0);
		for (unsigned i = 0; i < 3000; i++)
			*c[i] += 1;
		assert_int_equal(pmig_covtab_switch(t, 2 + round), 0);
		*c[round] += 1;
	}
	raw = written(t);
	line = strstr(raw, "epoch 1\n");
	assert_non_null(line);
	line += strlen("epoch 1\n");
	assert_true(!strncmp(line, "ffffffff81000000 20 200\n", 24));
	for (; *line && strncmp(line, "epoch", 5);
	     line = strchr(line, '\n') + 1)
		lines++;
	assert_int_equal(lines, 3000);
	assert_non_null(strstr(raw, "epoch 201\nffffffff810018e0 20 1\n"));
	free(raw);
	pmig_covtab_free(t);
}

static void test_bad_epoch(void **state)
{
	struct pmig_covtab *t = pmig_covtab_new();

	(void)state;
	*pmig_covtab_counter(t, K, 4) += 1;
	assert_int_equal(pmig_covtab_switch(t, PMIG_COV_MAX_EPOCHS), -EINVAL);
	/* Nothing moved: the count is still boot's. */
	assert_int_equal(pmig_covtab_epoch(t), 0);
	assert_true(*pmig_covtab_counter(t, K, 4) == 1);
	pmig_covtab_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kernel_base_per_target),
		cmocka_unit_test(test_mark_ids),
		cmocka_unit_test(test_one_counter_per_address),
		cmocka_unit_test(test_counters_stay_put),
		cmocka_unit_test(test_epochs),
		cmocka_unit_test(test_merge_of_a_returning_epoch),
		cmocka_unit_test(test_bad_epoch),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
