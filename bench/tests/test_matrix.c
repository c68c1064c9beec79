/* test_matrix.c - unit tests of the benchmark program's pure parts: context facts, sizes and CPU lists, the benchmark matrix and strategy tables. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <math.h>

#include "bench_fake_gb.h"
#include "context.h"
#include "matrix.h"
#include "util.h"

static void bracketed_word(void **state)
{
	char buf[32];

	(void)state;
	assert_string_equal(pmig_context_bracketed("always [madvise] never",
						   buf, sizeof(buf)),
			    "madvise");
	assert_string_equal(pmig_context_bracketed("[always] madvise never\n",
						   buf, sizeof(buf)),
			    "always");
	assert_string_equal(pmig_context_bracketed("3\n", buf, sizeof(buf)),
			    "3");
	assert_string_equal(pmig_context_bracketed("", buf, sizeof(buf)), "");
	assert_string_equal(pmig_context_bracketed("[abcdef]", buf, 4), "abc");
}

static void emulation_in_words(void **state)
{
	char buf[96];

	(void)state;
	assert_string_equal(pmig_context_emulation("tcg", true, "QEMU",
						   "Standard PC", buf,
						   sizeof(buf)),
			    "emulated (QEMU TCG)");
	assert_string_equal(pmig_context_emulation("tcg-icount", true, "QEMU",
						   "Standard PC", buf,
						   sizeof(buf)),
			    "instruction-counted (QEMU TCG icount shift=0)");
	assert_string_equal(pmig_context_emulation("kvm", true, NULL, NULL, buf,
						   sizeof(buf)),
			    "virtualized (QEMU kvm)");
	assert_string_equal(pmig_context_emulation(NULL, true, "Amazon EC2",
						   "m7i.large", buf,
						   sizeof(buf)),
			    "virtualized (Amazon EC2 m7i.large)");
	assert_string_equal(
		pmig_context_emulation("", true, "", NULL, buf, sizeof(buf)),
		"virtualized (hypervisor flag)");
	assert_string_equal(pmig_context_emulation(NULL, false, "Dell Inc.",
						   "R760", buf, sizeof(buf)),
			    "bare metal");
}

/* The value of context key @key the fake Google Benchmark got, or NULL. */
static const char *context_of(const char *key)
{
	for (int i = 0; i < fake.ncontext; i++)
		if (!strcmp(fake.context[i][0], key))
			return fake.context[i][1];
	return NULL;
}

/* The context says what ran: the kept cases' pairs and iterations, the tiering runs' own. */
static void context_says_what_ran(void **state)
{
	struct pmig_bench_case mig[3] = {
		{ .pair = { .from = 0, .to = 1, .distance = 21 } },
		{ .pair = { .from = 0, .to = 1, .distance = 21 } },
		{ .pair = { .from = 1,
			    .to = 2,
			    .distance = 30,
			    .to_cpuless = true } },
	};
	/* Two sizes promoting, one demoting, between near 0 and far 2. */
	struct pmig_tier_case tier[3];
	bool all[3] = { true, true, true }, none[3] = { false, false, false },
	     one[3] = { false, false, true };
	struct pmig_context_runs r = { mig, all, 3, tier, all, 3 };
	char buf[256];

	(void)state;
	for (size_t i = 0; i < 3; i++)
		tier[i] = (struct pmig_tier_case){
			.wl = i < 2 ? PMIG_TIER_PROMOTE : PMIG_TIER_DEMOTE,
			.near = 0,
			.far = 2,
			.tiered = true,
			.tick_s = 0.1,
			.limit_s = 20
		};
	assert_string_equal(
		pmig_context_pairs(&r, buf, sizeof(buf)),
		"0to1 (distance 21), 1to2 (distance 30, cpu-less target); tiering: 2to0 promote, 0to2 demote");
	assert_string_equal(pmig_context_iterations(&r, 10, buf, sizeof(buf)),
			    "10 per migration run, 1 per tiering run");
	assert_string_equal(
		pmig_context_tiering(&r, buf, sizeof(buf)),
		"near 0, far 2 (different memory tiers), a look every 0.1 s, at most 20 s");
	/* Tiering runs only (a --filter): their pairs, one iteration, none of the migration pairs. */
	r.mig_on = none;
	assert_string_equal(pmig_context_pairs(&r, buf, sizeof(buf)),
			    "tiering: 2to0 promote, 0to2 demote");
	assert_string_equal(pmig_context_iterations(&r, 10, buf, sizeof(buf)),
			    "1 per tiering run");
	/* One migration case only. */
	r.mig_on = one;
	r.tier_on = none;
	assert_string_equal(pmig_context_pairs(&r, buf, sizeof(buf)),
			    "1to2 (distance 30, cpu-less target)");
	assert_string_equal(pmig_context_iterations(&r, 10, buf, sizeof(buf)),
			    "10");
	assert_null(pmig_context_tiering(&r, buf, sizeof(buf)));
	r.mig_on = none;
	assert_string_equal(pmig_context_pairs(&r, buf, sizeof(buf)), "none");

	/* Into the JSON's context: no pmig_tiering without a tiering run. */
	fake.ncontext = 0;
	r.mig_on = none;
	r.tier_on = one;
	pmig_context_add_all(&(struct pmig_context_in){
		.pmu = "none", .runs = &r, .mode = "full", .iterations = 10 });
	assert_string_equal(context_of("pmig_pairs"), "tiering: 0to2 demote");
	assert_string_equal(context_of("pmig_iterations"), "1 per tiering run");
	assert_non_null(context_of("pmig_tiering"));
	fake.ncontext = 0;
	r.mig_on = all;
	r.tier_on = none;
	pmig_context_add_all(&(struct pmig_context_in){
		.pmu = "none", .runs = &r, .mode = "quick", .iterations = 5 });
	assert_string_equal(context_of("pmig_iterations"), "5");
	assert_null(context_of("pmig_tiering"));
}

static void swaps_summary(void **state)
{
	char buf[256];

	(void)state;
	assert_string_equal(
		pmig_context_swaps(
			"Filename\tType\tSize\tUsed\tPriority\n"
			"/dev/zram0                              partition\t262140\t0\t-2\n"
			"/swapfile file 1048572 0 -3\n",
			buf, sizeof(buf)),
		"/dev/zram0 partition 262140KiB; /swapfile file 1048572KiB");
	assert_string_equal(
		pmig_context_swaps("Filename\tType\tSize\tUsed\tPriority\n",
				   buf, sizeof(buf)),
		"none");
	assert_string_equal(pmig_context_swaps(NULL, buf, sizeof(buf)), "none");
}

static void sizes(void **state)
{
	size_t v[4];
	char buf[32];

	(void)state;
	assert_int_equal(pmig_size_parse("4096"), 4096);
	assert_int_equal(pmig_size_parse("64K"), 65536);
	assert_int_equal(pmig_size_parse("1M"), 1 << 20);
	assert_int_equal(pmig_size_parse("2G"), 2UL << 30);
	assert_int_equal(pmig_size_parse("0"), 0);
	assert_int_equal(pmig_size_parse("1T"), 0);
	assert_int_equal(pmig_size_parse("-1M"), 0);
	assert_int_equal(pmig_size_parse("M"), 0);
	assert_int_equal(pmig_size_parse(NULL), 0);
	assert_string_equal(pmig_size_format(1 << 20, buf, sizeof(buf)), "1M");
	assert_string_equal(pmig_size_format(3UL << 30, buf, sizeof(buf)),
			    "3G");
	assert_string_equal(pmig_size_format(1536 << 10, buf, sizeof(buf)),
			    "1536K");
	assert_string_equal(pmig_size_format(4097, buf, sizeof(buf)), "4097");
	assert_int_equal(pmig_size_list_parse("1M,16M", v, 4), 2);
	assert_int_equal(v[1], 16 << 20);
	assert_int_equal(pmig_size_list_parse("1M,x", v, 4), -EINVAL);
	assert_int_equal(pmig_size_list_parse("", v, 4), -EINVAL);
	assert_int_equal(pmig_size_list_parse("1M,1M,1M", v, 2), -EINVAL);
}

static void measures(void **state)
{
	static const struct {
		double v;
		const char *unit;
		int digits;
		const char *says;
	} m[] = {
		/* Times step down, never up; 0 and the smallest are ns. */
		{ 4.6, "s", 3, "4.6 s" },
		{ 3600, "s", 3, "3.6e+03 s" },
		{ 0.0123, "s", 3, "12.3 ms" },
		/* A step's edge, from ns: 1000 ns is 1 us, not 1e+03 ns. */
		{ 1000 / 1e9, "s", 3, "1 us" },
		{ 1e6 / 1e9, "s", 4, "1 ms" },
		{ 0, "s", 3, "0 ns" },
		/* Other units step up. */
		{ 1071817290, "B/s", 4, "1.072 GB/s" },
		{ 950, "B/s", 4, "950 B/s" },
		{ 0.5, "B/s", 4, "0.5 B/s" },
		{ NAN, "B/s", 4, "-" },
	};
	char buf[48];

	(void)state;
	for (size_t i = 0; i < sizeof(m) / sizeof(m[0]); i++)
		assert_string_equal(pmig_measure_format(m[i].v, m[i].unit,
							m[i].digits, buf,
							sizeof(buf)),
				    m[i].says);
}

static void cpu_lists(void **state)
{
	cpu_set_t s;

	(void)state;
	assert_int_equal(pmig_cpulist_parse("0-3,8", &s), 0);
	assert_int_equal(CPU_COUNT(&s), 5);
	assert_true(CPU_ISSET(8, &s) && CPU_ISSET(2, &s) && !CPU_ISSET(4, &s));
	assert_int_equal(pmig_cpulist_parse("1", &s), 0);
	assert_int_equal(CPU_COUNT(&s), 1);
	assert_int_equal(pmig_cpulist_parse("", &s), -EINVAL);
	assert_int_equal(pmig_cpulist_parse("3-1", &s), -EINVAL);
	assert_int_equal(pmig_cpulist_parse("a", &s), -EINVAL);
	assert_int_equal(pmig_cpulist_parse("0;1", &s), -EINVAL);
}

static const struct pmig_pair pair = { .from = 0,
				       .to = 2,
				       .distance = 30,
				       .to_cpuless = true };
static const char *const cpus[] = { "0" };

static void quick_matrix_has_every_strategy_once_per_variant(void **state)
{
	static const char *const want[] = {
		"memcpy/anon/1M/0to2/threads:1",
		"memcpy/anon/1M/0to2/threads:4",
		"move_pages/anon/1M/0to2/batch:1",
		"move_pages/anon/1M/0to2/batch:all",
		"migrate_pages/anon/1M/0to2",
		"mbind_move/anon/1M/0to2",
		"reference/anon/1M/0to2",
		"swap/anon/1M/0to2",
	};
	size_t size = 1 << 20;
	struct pmig_case_opts o = { .quick = true,
				    .sizes = &size,
				    .nsizes = 1,
				    .pairs = &pair,
				    .from_cpus = cpus,
				    .npairs = 1,
				    .iterations = 5,
				    .cpus = 4 };
	struct pmig_bench_case *c;
	long n = pmig_cases_build(&o, &c);

	(void)state;
	assert_int_equal(n, 8);
	for (long i = 0; i < n; i++) {
		assert_string_equal(c[i].name, want[i]);
		assert_int_equal(c[i].iterations, 5);
		assert_string_equal(c[i].from_cpus, "0");
	}
	assert_int_equal(c[3].batch, 0);
	assert_int_equal(c[2].batch, 1);
	free(c);
}

static void
full_matrix_rounds_huge_sizes_and_skips_accessors_for_swap(void **state)
{
	size_t sizes[] = { 1 << 20, 2 << 20 };
	struct pmig_case_opts o = { .sizes = sizes,
				    .nsizes = 2,
				    .page_sizes = { .base = 4096,
						    .thp = 2 << 20,
						    .hugetlb = 2 << 20 },
				    .pairs = &pair,
				    .from_cpus = cpus,
				    .npairs = 1,
				    .accessors = 2,
				    .iterations = 10,
				    .cpus = 1 };
	struct pmig_bench_case *c;
	long n = pmig_cases_build(&o, &c);
	int thp_1m = 0, thp_2m = 0, swap = 0, shared_migrate = 0, ref_file = 0;

	(void)state;
	assert_true(n > 0);
	for (long i = 0; i < n; i++) {
		if (strstr(c[i].name, "/thp/1M/"))
			thp_1m++;
		if (!strncmp(c[i].name, "move_pages/thp/2M/0to2/batch:", 29)) {
			thp_2m++;
			assert_string_equal(
				c[i].name,
				"move_pages/thp/2M/0to2/batch:all/acc:2");
		}
		if (!strncmp(c[i].name, "swap/", 5)) {
			swap++;
			assert_int_equal(c[i].accessors, 0);
			assert_null(strstr(c[i].name, "acc:"));
		}
		if (!strncmp(c[i].name, "migrate_pages/shared", 20))
			shared_migrate++;
		if (!strncmp(c[i].name, "reference/file", 14))
			ref_file++;
		/* Names are unique. */
		for (long j = 0; j < i; j++)
			assert_string_not_equal(c[i].name, c[j].name);
	}
	/* 1M of THP is one 2 MiB page, as 2M: one case, and every batch is "all". */
	assert_int_equal(thp_1m, 0);
	assert_int_equal(thp_2m, 1);
	assert_int_equal(swap, 4); /* anon and shmem, two sizes */
	assert_int_equal(shared_migrate, 0);
	assert_int_equal(ref_file, 0);
	/* Two copy threads at least, even on one CPU. */
	assert_non_null(strstr(c[1].name, "threads:2"));
	free(c);
}

/*
 * With arm64's 16 KiB pages a THP and a hugetlb page are 32 MiB: 1M and
 * 16M of either round up to one of them, 1M of anonymous memory stays 64
 * base pages (its batch of 16 is no batch of all).
 */
static void sizes_round_to_the_machines_pages(void **state)
{
	size_t sizes[] = { 1 << 20, 16 << 20 };
	struct pmig_case_opts o = { .sizes = sizes,
				    .nsizes = 2,
				    .page_sizes = { .base = 16384,
						    .thp = 32 << 20,
						    .hugetlb = 32 << 20 },
				    .pairs = &pair,
				    .from_cpus = cpus,
				    .npairs = 1,
				    .iterations = 10,
				    .cpus = 1 };
	struct pmig_bench_case *c;
	long n = pmig_cases_build(&o, &c);
	int thp_32m = 0, htlb_32m = 0, anon_1m_16 = 0;

	(void)state;
	assert_true(n > 0);
	for (long i = 0; i < n; i++) {
		assert_null(strstr(c[i].name, "/thp/1M/"));
		assert_null(strstr(c[i].name, "/hugetlb/16M/"));
		thp_32m +=
			!strcmp(c[i].name, "move_pages/thp/32M/0to2/batch:all");
		htlb_32m += !strcmp(c[i].name,
				    "move_pages/hugetlb/32M/0to2/batch:all");
		anon_1m_16 +=
			!strcmp(c[i].name, "move_pages/anon/1M/0to2/batch:16");
	}
	assert_int_equal(thp_32m, 1);
	assert_int_equal(htlb_32m, 1);
	assert_int_equal(anon_1m_16, 1);
	free(c);
}

static void strategy_tables_are_valid(void **state)
{
	struct pmig_strategy bad = pmig_strategy_move_pages;

	(void)state;
	for (int i = 0; pmig_strategies[i]; i++)
		assert_int_equal(pmig_strategy_check(pmig_strategies[i]), 0);
	bad.version = PMIG_STRATEGY_VERSION + 1;
	assert_int_equal(pmig_strategy_check(&bad), -EINVAL);
	bad = pmig_strategy_move_pages;
	bad.migrate = NULL;
	assert_int_equal(pmig_strategy_check(&bad), -EINVAL);
	assert_int_equal(pmig_strategy_check(NULL), -EINVAL);
	assert_string_equal(pmig_wl_name(PMIG_WL_FILE_DIRTY), "file-dirty");
	assert_null(pmig_wl_name(PMIG_WL_COUNT));
}

static void registration_goes_through_the_shim(void **state)
{
	size_t size = 1 << 20;
	struct pmig_case_opts o = { .quick = true,
				    .sizes = &size,
				    .nsizes = 1,
				    .pairs = &pair,
				    .from_cpus = cpus,
				    .npairs = 1,
				    .iterations = 3,
				    .cpus = 2 };
	struct pmig_bench_case *c;
	long n = pmig_cases_build(&o, &c);

	(void)state;
	assert_int_equal(pmig_cases_register(c, (size_t)n), 0);
	assert_int_equal(fake.nregs, n);
	assert_string_equal(fake.names[4], "migrate_pages/anon/1M/0to2");
	assert_int_equal(fake.reg_iterations[4], 3);
	assert_ptr_equal(pmig_bench_arg(4), &c[4]);
	pmig_bench_reset();
	free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(bracketed_word),
		cmocka_unit_test(emulation_in_words),
		cmocka_unit_test(swaps_summary),
		cmocka_unit_test(context_says_what_ran),
		cmocka_unit_test(sizes),
		cmocka_unit_test(measures),
		cmocka_unit_test(cpu_lists),
		cmocka_unit_test(
			quick_matrix_has_every_strategy_once_per_variant),
		cmocka_unit_test(
			full_matrix_rounds_huge_sizes_and_skips_accessors_for_swap),
		cmocka_unit_test(sizes_round_to_the_machines_pages),
		cmocka_unit_test(strategy_tables_are_valid),
		cmocka_unit_test(registration_goes_through_the_shim),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
