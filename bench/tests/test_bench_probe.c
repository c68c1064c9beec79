/* test_bench_probe.c - unit tests of the benchmark probe: vmstat and interrupts parsers on fixtures, the live probe. */
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

#include "probe.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static FILE *text(const char *s)
{
	FILE *f = fmemopen((void *)s, strlen(s), "r");

	assert_non_null(f);
	return f;
}

/* Names must match whole: pgmigrate_success must not be read from a longer name. */
static void test_vmstat_parse(void **state)
{
	static const char vmstat[] =
		"nr_free_pages 123\n"
		"pgmigrate_success_extra 7\n"
		"pgmigrate_success 4096\n"
		"pgmigrate_fail 0\n"
		"garbage line\n"
		"thp_migration_split 18446744073709551615\n";
	static const char *const names[] = { "pgmigrate_success",
					     "pgmigrate_fail",
					     "nr_tlb_remote_flush",
					     "thp_migration_split" };
	unsigned long long v[ARRAY_SIZE(names)] = { 0 };
	bool present[ARRAY_SIZE(names)];
	FILE *f = text(vmstat);

	(void)state;
	assert_int_equal(
		pmig_vmstat_parse(f, names, ARRAY_SIZE(names), v, present), 3);
	fclose(f);
	assert_true(present[0]);
	assert_true(v[0] == 4096);
	assert_true(present[1]);
	assert_true(v[1] == 0);
	assert_false(present[2]);
	assert_true(present[3]);
	assert_true(v[3] == 18446744073709551615ULL);
}

/* Abridged from a 4-CPU x86 /proc/interrupts; ERR has one column, not one per CPU. */
static const char interrupts[] =
	"           CPU0       CPU1       CPU2       CPU3       \n"
	"  0:         40          0          0          0   IO-APIC    2-edge      timer\n"
	"NMI:          1          2          3          4   Non-maskable interrupts\n"
	"CAL:     100000       2000        300         40   Function call interrupts\n"
	"TLB:       1000        200         30          4   TLB shootdowns\n"
	"ERR:          5\n"
	"MIS:          0\n";

static void test_interrupts_parse(void **state)
{
	static const char *const labels[] = { "TLB", "CAL", "ERR", "XYZ", "0" };
	unsigned long long sum[ARRAY_SIZE(labels)] = { 0 };
	bool present[ARRAY_SIZE(labels)];
	FILE *f = text(interrupts);

	(void)state;
	assert_int_equal(pmig_interrupts_parse(f, labels, ARRAY_SIZE(labels),
					       sum, present),
			 4);
	fclose(f);
	assert_true(present[0]);
	assert_true(sum[0] == 1234);
	assert_true(present[1]);
	assert_true(sum[1] == 102340);
	assert_true(present[2]);
	assert_true(sum[2] == 5);
	assert_false(present[3]);
	/* Numbered rows: only the CPU columns count, not "2-edge". */
	assert_true(present[4]);
	assert_true(sum[4] == 40);
}

static void test_interrupts_no_header(void **state)
{
	static const char *const labels[] = { "TLB" };
	unsigned long long sum;
	bool present;
	FILE *f = text("TLB: 1 2 TLB shootdowns\n");

	(void)state;
	assert_int_equal(pmig_interrupts_parse(f, labels, 1, &sum, &present),
			 -EINVAL);
	fclose(f);
	assert_false(present);
}

/* The two forms pmig_probe_kind() promises. */
static void check_kind(const char *kind)
{
	size_t len = strlen(kind);

	print_message("# probe kind: %s\n", kind);
	assert_true(len > 2 && kind[len - 1] == ')');
	assert_true(!strncmp(kind, "hardware (", 10) ||
		    !strncmp(kind, "software (no PMU: ", 18) ||
		    !strcmp(kind, PMIG_PROBE_NO_PERF));
}

static const struct pmig_probe_value *find(const struct pmig_probe_value *v,
					   size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(v[i].name, name))
			return &v[i];
	return NULL;
}

/*
 * On the live system: totals are never negative, names are unique, and a
 * thread that faults in 64 fresh pages between begin and end sees at least
 * that many faults wherever a fault counter exists (pgfault in vmstat, and
 * perf_page_faults when perf_event_open is allowed).
 */
static void test_live(void **state)
{
	struct pmig_probe_value v[PMIG_PROBE_MAX];
	const struct pmig_probe_value *pf;
	struct pmig_probe *p = pmig_probe_open(true);
	const size_t npages = 64;
	unsigned char *buf;
	size_t n, i, j;

	(void)state;
	assert_non_null(p);
	check_kind(pmig_probe_kind(p));
	assert_int_equal(pmig_probe_end(p), -EINVAL);
	buf = mmap(NULL, npages * 4096, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(buf != MAP_FAILED);
	assert_int_equal(pmig_probe_begin(p), 0);
	assert_int_equal(pmig_probe_begin(p), -EBUSY);
	for (i = 0; i < npages; i++)
		buf[i * 4096] = 1;
	assert_int_equal(pmig_probe_end(p), 0);
	munmap(buf, npages * 4096);

	n = pmig_probe_totals(p, v, ARRAY_SIZE(v));
	assert_true(n > 0 && n <= PMIG_PROBE_MAX);
	for (i = 0; i < n; i++) {
		print_message("#   %s %.0f\n", v[i].name, v[i].value);
		assert_true(v[i].value >= 0);
		for (j = 0; j < i; j++)
			assert_string_not_equal(v[i].name, v[j].name);
	}
	pf = find(v, n, "pgfault");
	if (pf)
		assert_true(pf->value >= (double)npages);
	pf = find(v, n, "perf_page_faults");
	if (pf)
		assert_true(pf->value >= (double)npages);
	assert_non_null(find(v, n, "pgmigrate_success"));
	/* Fewer slots: only that many are written. */
	assert_int_equal(pmig_probe_totals(p, v, 2), n < 2 ? n : 2);
	assert_int_equal(pmig_probe_totals(p, v, 0), 0);

	/* A second interval adds to the first. */
	assert_int_equal(pmig_probe_begin(p), 0);
	assert_int_equal(pmig_probe_end(p), 0);
	{
		struct pmig_probe_value w[PMIG_PROBE_MAX];

		assert_int_equal(pmig_probe_totals(p, w, ARRAY_SIZE(w)), n);
		for (i = 0; i < n; i++)
			assert_true(w[i].value >= v[i].value);
	}
	pmig_probe_close(p);
	pmig_probe_close(NULL);
}

/* Without perf: no perf counter in the totals, the kind says why, and the probe says its choice (the timing program is told it). */
static void test_no_perf(void **state)
{
	struct pmig_probe_value v[PMIG_PROBE_MAX];
	struct pmig_probe *p = pmig_probe_open(false);
	size_t n;

	(void)state;
	assert_non_null(p);
	assert_string_equal(pmig_probe_kind(p), PMIG_PROBE_NO_PERF);
	assert_int_equal(pmig_probe_begin(p), 0);
	assert_int_equal(pmig_probe_end(p), 0);
	n = pmig_probe_totals(p, v, ARRAY_SIZE(v));
	assert_true(n > 0);
	for (size_t i = 0; i < n; i++)
		assert_true(strncmp(v[i].name, "perf_", 5));
	assert_non_null(find(v, n, "pgmigrate_success"));
	assert_false(pmig_probe_with_perf(p));
	pmig_probe_close(p);
	/* One with perf says so, whether or not perf could be opened here. */
	p = pmig_probe_open(true);
	assert_true(pmig_probe_with_perf(p));
	assert_string_not_equal(pmig_probe_kind(p), PMIG_PROBE_NO_PERF);
	pmig_probe_close(p);
	assert_false(pmig_probe_with_perf(NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vmstat_parse),
		cmocka_unit_test(test_interrupts_parse),
		cmocka_unit_test(test_interrupts_no_header),
		cmocka_unit_test(test_live),
		cmocka_unit_test(test_no_perf),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
