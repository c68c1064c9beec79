/* test_kver.c - unit tests of kernel release parsing, formatting and profile lookup (by version, architecture and page size). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "kver.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static void test_parse_accepts(void **state)
{
	static const struct {
		const char *release;
		unsigned major, minor, sub;
	} rows[] = {
		{ "6.1.0-28-amd64", 6, 1, 0 },
		{ "6.12.9", 6, 12, 9 },
		{ "6.12", 6, 12, 0 },
		{ "7.3-rc7", 7, 3, 0 },
		{ "7.3.0-rc7+", 7, 3, 0 },
		{ "6.18.44-fc-v595", 6, 18, 44 },
		{ "4.19.0", 4, 19, 0 },
		{ "2.6.32-754.el6.x86_64", 2, 6, 32 },
		{ "0.0.0", 0, 0, 0 },
		{ "255.255.254", 255, 255, 254 },
		{ "6.1.0\n", 6, 1, 0 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(rows); i++) {
		uint32_t kv = 0xdeadbeef;

		if (pmig_kver_parse(rows[i].release, &kv))
			fail_msg("\"%s\" rejected", rows[i].release);
		if (kv != ((uint32_t)rows[i].major << 16 | rows[i].minor << 8 |
			   rows[i].sub))
			fail_msg("\"%s\" -> %#x", rows[i].release, kv);
	}
}

/* Debian's uname -v gives the sublevel its release string leaves out. */
static void test_refine_from_debian_version(void **state)
{
	uint32_t kv;

	(void)state;
	assert_int_equal(
		pmig_kver_refine(
			"6.1.0-50-amd64",
			"#1 SMP PREEMPT_DYNAMIC Debian 6.1.176-1 (2026-01-01)",
			&kv),
		0);
	assert_int_equal(kv, PMIG_KV(6, 1, 176));
	assert_int_equal(
		pmig_kver_refine("5.10.0-32-amd64",
				 "#1 SMP Debian 5.10.223-1 (2024-08-10)", &kv),
		0);
	assert_int_equal(kv, PMIG_KV(5, 10, 223));
	/* Another series (a backports kernel's banner) or no Debian: as released. */
	assert_int_equal(pmig_kver_refine("6.1.0-50-amd64",
					  "#1 SMP Debian 6.12.9-1~bpo12+1",
					  &kv),
			 0);
	assert_int_equal(kv, PMIG_KV(6, 1, 0));
	assert_int_equal(pmig_kver_refine("6.12.9", "#1 SMP PREEMPT", &kv), 0);
	assert_int_equal(kv, PMIG_KV(6, 12, 9));
	assert_int_equal(pmig_kver_refine("x", "Debian 6.1.1", &kv), -EINVAL);
}

static void test_parse_rejects(void **state)
{
	static const char *const bad[] = {
		"",
		"abc",
		"6",
		"6.",
		"-1.2",
		"6.x",
		".1.2",
		" 6.1.0",
		"6.1.x",
		"6..1",
		"256.1.0",
		"6.256.0",
		"6-1.0",
		"v6.1.0",
		"99999999999999999999.1",
		/* 2^32 + 6 and 2^64 + 6: a wrapping parser would read 6. */
		"4294967302.1.0",
		"18446744073709551622.1.0",
	};
	uint32_t kv = 42;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		if (pmig_kver_parse(bad[i], &kv) != -EINVAL)
			fail_msg("\"%s\" accepted", bad[i]);
		/* A rejected string leaves the output alone. */
		assert_int_equal(kv, 42);
	}
	assert_int_equal(pmig_kver_parse(NULL, &kv), -EINVAL);
	assert_int_equal(pmig_kver_parse("6.1.0", NULL), -EINVAL);
	assert_int_equal(kv, 42);
}

static void test_ordering_and_saturation(void **state)
{
	uint32_t kv;

	(void)state;
	assert_true(PMIG_KV(4, 3, 0) < PMIG_KV(6, 11, 255));
	assert_true(PMIG_KV(6, 11, 255) < PMIG_KV(6, 12, 0));
	assert_true(PMIG_KV(6, 12, 0) < PMIG_KV(7, 0, 0));
	assert_true(PMIG_KV(6, 12, 0) < PMIG_KV_MAX);
	/* 4.9.300 exists; it must not spill into the minor. */
	assert_int_equal(PMIG_KV(4, 9, 300), PMIG_KV(4, 9, 255));
	assert_true(PMIG_KV(4, 9, 300) < PMIG_KV(4, 10, 0));
	assert_int_equal(pmig_kver_parse("4.9.300-x", &kv), 0);
	assert_int_equal(kv, PMIG_KV(4, 9, 255));
	assert_int_equal(pmig_kver_parse("4.9.99999999999999999999", &kv), 0);
	assert_int_equal(kv, PMIG_KV(4, 9, 255));
	assert_int_equal(pmig_kver_parse("6.1.4294967296", &kv), 0);
	assert_int_equal(kv, PMIG_KV(6, 1, 255));
	assert_int_equal(pmig_kver_parse("6.11.255", &kv), 0);
	assert_true(kv < PMIG_KV(6, 12, 0));
}

static void test_format(void **state)
{
	static const char *const releases[] = { "6.12.9", "0.0.0",
						"255.255.255", "2.6.32" };
	char buf[32], tiny[4] = "zzz";
	uint32_t kv;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(releases); i++) {
		assert_int_equal(pmig_kver_parse(releases[i], &kv), 0);
		pmig_kver_format(kv, buf, sizeof(buf));
		assert_string_equal(buf, releases[i]);
	}
	pmig_kver_format(PMIG_KV(7, 3, 0), buf, sizeof(buf));
	assert_string_equal(buf, "7.3.0");
	pmig_kver_format(PMIG_KV(4, 9, 300), buf, sizeof(buf));
	assert_string_equal(buf, "4.9.255");
	pmig_kver_format(PMIG_KV(6, 12, 9), tiny, sizeof(tiny));
	assert_string_equal(tiny, "6.1");
	pmig_kver_format(PMIG_KV(6, 12, 9), tiny, 0);
	assert_string_equal(tiny, "6.1");
}

static const struct pmig_profile_entry table[] = {
	{ .id = "mp.enoent",
	  .from = PMIG_KV(4, 3, 0),
	  .until = PMIG_KV(6, 12, 0),
	  .expect = -14,
	  .cite = "r0" },
	{ .id = "mp.enoent",
	  .from = PMIG_KV(6, 1, 0),
	  .until = PMIG_KV(6, 2, 0),
	  .expect = -22,
	  .cite = "r1 (shadowed)" },
	{ .id = "mp.enoent",
	  .from = PMIG_KV(5, 0, 0),
	  .until = PMIG_KV(5, 4, 0),
	  .xfail = true,
	  .cite = "r2" },
	{ .id = "mp.enoent.thp",
	  .from = 0,
	  .until = PMIG_KV_MAX,
	  .expect = -16,
	  .cite = "r3" },
	{ .id = "mp",
	  .from = PMIG_KV(6, 12, 0),
	  .until = PMIG_KV_MAX,
	  .xfail = true,
	  .cite = "r4" },
};

static const char *cite(const char *id, uint32_t kv, bool xfail)
{
	const struct pmig_platform on = { .kv = kv,
					  .arch = "x86_64",
					  .page_size = 4096 };
	const struct pmig_profile_entry *e =
		pmig_profile_lookup(table, ARRAY_SIZE(table), id, &on, xfail);

	return e ? e->cite : "none";
}

static void test_profile_lookup(void **state)
{
	const struct pmig_platform on61 = { .kv = PMIG_KV(6, 1, 0),
					    .arch = "x86_64",
					    .page_size = 4096 };

	(void)state;
	/* from is included, until excluded. */
	assert_string_equal(cite("mp.enoent", PMIG_KV(4, 3, 0), false), "r0");
	assert_string_equal(cite("mp.enoent", PMIG_KV(4, 2, 255), false),
			    "none");
	assert_string_equal(cite("mp.enoent", PMIG_KV(6, 11, 255), false),
			    "r0");
	assert_string_equal(cite("mp.enoent", PMIG_KV(6, 12, 0), false),
			    "none");
	/* Overlapping rows: the first one wins. */
	assert_string_equal(cite("mp.enoent", PMIG_KV(6, 1, 5), false), "r0");

	/* xfail rows and override rows never answer for each other. */
	assert_string_equal(cite("mp.enoent", PMIG_KV(5, 0, 0), true), "r2");
	assert_string_equal(cite("mp.enoent", PMIG_KV(5, 0, 0), false), "r0");
	assert_string_equal(cite("mp.enoent", PMIG_KV(5, 4, 0), true), "none");
	assert_string_equal(cite("mp.enoent", PMIG_KV(6, 1, 0), true), "none");
	assert_string_equal(cite("mp.enoent.thp", PMIG_KV(6, 1, 0), true),
			    "none");
	assert_string_equal(cite("mp", PMIG_KV(6, 1, 0), false), "none");

	/* Ids match whole, never as prefixes. */
	assert_string_equal(cite("mp.enoent.thp", PMIG_KV(6, 1, 0), false),
			    "r3");
	assert_string_equal(cite("mp", PMIG_KV(6, 12, 0), true), "r4");
	assert_string_equal(cite("mp", PMIG_KV(6, 11, 0), true), "none");
	assert_string_equal(cite("mp.enoen", PMIG_KV(6, 1, 0), false), "none");
	assert_string_equal(cite("other", PMIG_KV(6, 1, 0), false), "none");

	assert_null(pmig_profile_lookup(table, ARRAY_SIZE(table), NULL, &on61,
					false));
	assert_null(pmig_profile_lookup(NULL, 0, "mp", &on61, false));
	assert_null(pmig_profile_lookup(table, 0, "mp.enoent", &on61, false));
	assert_null(pmig_profile_lookup(table, ARRAY_SIZE(table), "mp.enoent",
					NULL, false));
	assert_ptr_equal(pmig_profile_lookup(table, ARRAY_SIZE(table),
					     "mp.enoent", &on61, false),
			 &table[0]);
}

/* Entries for one architecture, one page size, or both, next to a plain one. */
static const struct pmig_profile_entry arch_table[] = {
	{ .id = "k.thp",
	  .from = PMIG_KV(6, 1, 0),
	  .until = PMIG_KV_MAX,
	  .expect = -14,
	  .cite = "everywhere" },
	{ .id = "k.thp",
	  .from = 0,
	  .until = PMIG_KV_MAX,
	  .expect = -16,
	  .arch = "aarch64",
	  .cite = "aarch64" },
	{ .id = "k.thp",
	  .from = 0,
	  .until = PMIG_KV(6, 12, 0),
	  .expect = -22,
	  .page_size = 65536,
	  .cite = "64K" },
	{ .id = "k.thp",
	  .from = 0,
	  .until = PMIG_KV_MAX,
	  .expect = -12,
	  .arch = "aarch64",
	  .page_size = 16384,
	  .cite = "aarch64 16K" },
	{ .id = "k.thp",
	  .from = 0,
	  .until = PMIG_KV_MAX,
	  .xfail = true,
	  .arch = "ppc64le",
	  .cite = "ppc64le bug" },
};

static const char *arch_cite(uint32_t kv, const char *arch, size_t page,
			     bool xfail)
{
	const struct pmig_platform on = { .kv = kv,
					  .arch = arch,
					  .page_size = page };
	const struct pmig_profile_entry *e = pmig_profile_lookup(
		arch_table, ARRAY_SIZE(arch_table), "k.thp", &on, xfail);

	return e ? e->cite : "none";
}

static void test_profile_arch_and_page_size(void **state)
{
	static const struct {
		uint32_t kv;
		const char *arch;
		size_t page;
		bool xfail;
		const char *want;
	} rows[] = {
		/* The plain entry holds everywhere its versions do. */
		{ PMIG_KV(6, 1, 0), "x86_64", 4096, false, "everywhere" },
		{ PMIG_KV(6, 0, 0), "x86_64", 4096, false, "none" },
		/* An architecture's entry holds only there, and wins there. */
		{ PMIG_KV(6, 1, 0), "aarch64", 4096, false, "aarch64" },
		{ PMIG_KV(5, 10, 0), "aarch64", 4096, false, "aarch64" },
		{ PMIG_KV(5, 10, 0), "x86_64", 4096, false, "none" },
		{ PMIG_KV(5, 10, 0), "aarch64_be", 4096, false, "none" },
		/* A page size's entry holds on any architecture with it. */
		{ PMIG_KV(6, 1, 0), "ppc64le", 65536, false, "64K" },
		{ PMIG_KV(6, 12, 0), "ppc64le", 65536, false, "everywhere" },
		{ PMIG_KV(6, 1, 0), "ppc64le", 4096, false, "everywhere" },
		/* The architecture counts more than the page size... */
		{ PMIG_KV(6, 1, 0), "aarch64", 65536, false, "aarch64" },
		/* ...and both together more than either. */
		{ PMIG_KV(6, 1, 0), "aarch64", 16384, false, "aarch64 16K" },
		/* Nothing known of the machine: only plain entries. */
		{ PMIG_KV(6, 1, 0), NULL, 0, false, "everywhere" },
		{ PMIG_KV(5, 10, 0), NULL, 65536, false, "64K" },
		/* XFAILs the same way. */
		{ PMIG_KV(6, 1, 0), "ppc64le", 65536, true, "ppc64le bug" },
		{ PMIG_KV(6, 1, 0), "x86_64", 4096, true, "none" },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(rows); i++)
		assert_string_equal(arch_cite(rows[i].kv, rows[i].arch,
					      rows[i].page, rows[i].xfail),
				    rows[i].want);
}

static void test_profile_where(void **state)
{
	char buf[64];

	(void)state;
	assert_string_equal(
		pmig_profile_where(&arch_table[0], buf, sizeof(buf)), "");
	assert_string_equal(
		pmig_profile_where(&arch_table[1], buf, sizeof(buf)),
		" (aarch64 only)");
	assert_string_equal(
		pmig_profile_where(&arch_table[2], buf, sizeof(buf)),
		" (64K pages only)");
	assert_string_equal(
		pmig_profile_where(&arch_table[3], buf, sizeof(buf)),
		" (aarch64, 16K pages only)");
}

/* This machine: its uname -m and sysconf's page size. */
static void test_platform_here(void **state)
{
	struct pmig_platform on = pmig_platform_here(PMIG_KV(6, 1, 0));
	struct utsname u;

	(void)state;
	assert_int_equal(uname(&u), 0);
	assert_int_equal(on.kv, PMIG_KV(6, 1, 0));
	assert_string_equal(on.arch, u.machine);
	assert_int_equal(on.page_size, (size_t)sysconf(_SC_PAGESIZE));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_accepts),
		cmocka_unit_test(test_parse_rejects),
		cmocka_unit_test(test_refine_from_debian_version),
		cmocka_unit_test(test_ordering_and_saturation),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_profile_lookup),
		cmocka_unit_test(test_profile_arch_and_page_size),
		cmocka_unit_test(test_profile_where),
		cmocka_unit_test(test_platform_here),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
