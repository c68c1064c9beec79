/* test_coverage.c - unit tests of pmig coverage: the System.map symbolizer, the raw and table readers, the attribution (inlined copies, same-named statics, boot and runner only, a case removed), coverage.json both ways, the diff and the reasons. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "covdiff.h"
#include "covdoc.h"
#include "covjson.h"
#include "coverage.h"

/* A FILE reading @text. */
static FILE *text(const char *s)
{
	FILE *f = fmemopen((void *)s, strlen(s), "r");

	assert_non_null(f);
	return f;
}

static void test_sym_func(void **state)
{
	static const char *const cases[][2] = {
		{ "migrate_pages_batch", "migrate_pages_batch" },
		{ "do_pages_move.constprop.0", "do_pages_move" },
		{ "__migrate_folio.isra.0", "__migrate_folio" },
		{ "folio_isolate_lru.part.0", "folio_isolate_lru" },
		{ "alloc_misplaced_dst_folio.cold",
		  "alloc_misplaced_dst_folio" },
		{ "foo.constprop.0.isra.0", "foo" },
		{ "foo.llvm.12345", "foo" },
		{ "__pfx_do_pages_move", "do_pages_move" },
		{ "__cfi_migrate_pages", "migrate_pages" },
		{ "__pfx_", "__pfx_" },
	};
	char out[64];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		pmig_sym_func(cases[i][0], out, sizeof(out));
		assert_string_equal(out, cases[i][1]);
	}
	pmig_sym_func("migrate_pages", out, 5);
	assert_string_equal(out, "migr");
}

/* Unsorted, with data and absolute symbols, an alias and a .cold part. */
static const char map_text[] = "ffffffff81003000 t b_func\n"
			       "ffffffff81001000 T a_func\n"
			       "ffffffff81002000 t a_func.cold\n"
			       "0000000000000000 D __per_cpu_start\n"
			       "00000000000001ea A kexec_control_code_size\n"
			       "ffffffff81003000 W b_alias\n"
			       "ffffffff81000ff0 t __pfx_a_func\n"
			       "ffffffff81004000 d some_data\n";

static void load_map(struct pmig_symmap *m)
{
	FILE *f = text(map_text);
	size_t line;

	assert_int_equal(pmig_symmap_read(f, m, &line), 0);
	fclose(f);
}

static void test_symmap_find(void **state)
{
	struct pmig_symmap m;
	const struct pmig_sym *s;

	(void)state;
	load_map(&m);
	assert_int_equal(m.n, 5); /* text only */
	assert_null(pmig_symmap_find(&m, 0xffffffff81000fefull));
	s = pmig_symmap_find(&m, 0xffffffff81000ff8ull); /* the padding */
	assert_string_equal(s->name, "__pfx_a_func");
	assert_string_equal(s->func, "a_func");
	s = pmig_symmap_find(&m, 0xffffffff81001fffull);
	assert_string_equal(s->name, "a_func");
	assert_false(s->cold);
	s = pmig_symmap_find(&m, 0xffffffff81002010ull);
	assert_string_equal(s->func, "a_func");
	assert_true(s->cold);
	/* Aliases: one answer, whatever the sort did. */
	s = pmig_symmap_find(&m, 0xffffffff81003500ull);
	assert_string_equal(s->name, "b_alias");
	assert_non_null(pmig_symmap_at(&m, 0xffffffff81003000ull));
	assert_null(pmig_symmap_at(&m, 0xffffffff81003001ull));
	/* Past the last text symbol: still the last one. */
	s = pmig_symmap_find(&m, 0xffffffff81009000ull);
	assert_string_equal(s->name, "b_alias");
	pmig_symmap_free(&m);
}

static void test_symmap_bad(void **state)
{
	struct pmig_symmap m;
	size_t line;
	FILE *f;

	(void)state;
	/* Debian's linux-image stub. */
	f = text(
		"ffffffffffffffff B The real System.map is in the linux-image-<version>-dbg package\n");
	assert_int_equal(pmig_symmap_read(f, &m, &line), -ENOENT);
	fclose(f);
	f = text("ffffffff81001000 T a\nnot a map\n");
	assert_int_equal(pmig_symmap_read(f, &m, &line), -EINVAL);
	assert_int_equal(line, 2);
	fclose(f);
}

static int raw_read(const char *raw, const char *labels, struct pmig_covraw *r,
		    char *err)
{
	FILE *f = text(raw), *l = labels ? text(labels) : NULL;
	int rc = pmig_covraw_read(f, l, r, err, 256);

	fclose(f);
	if (l)
		fclose(l);
	return rc;
}

static void test_raw(void **state)
{
	struct pmig_covraw r;
	char err[256];

	(void)state;
	assert_int_equal(raw_read("pmig-coverage-raw 1\narch x86_64\n"
				  "epoch 0\nffffffff81001000 10 3\n"
				  "epoch 7\nffffffff81001000 10 1\n"
				  "ffffffff81001000 20 2\n"
				  "epoch 2\nffffffff81003000 4 1\n",
				  "2\tmove_pages.basic\n2\tmove_pages.basic\n",
				  &r, err),
			 0);
	assert_string_equal(r.arch, "x86_64");
	assert_int_equal(r.ntbs,
			 3); /* epoch 7's two blocks at one address merged */
	assert_int_equal(r.tbs[2].epoch, 7);
	assert_int_equal(r.tbs[2].count, 3);
	assert_int_equal(r.tbs[2].size, 0x20);
	assert_string_equal(pmig_covraw_label(&r, 0), "boot");
	assert_string_equal(pmig_covraw_label(&r, 2), "move_pages.basic");
	assert_string_equal(pmig_covraw_label(&r, 7), "epoch 7");
	assert_null(pmig_covraw_label(&r, 1));
	pmig_covraw_free(&r);
}

static void test_raw_bad(void **state)
{
	static const char *const bad[] = {
		"pmig-coverage-raw 2\narch x86_64\n",
		"pmig-coverage-raw 1\narch riscv64\n",
		"pmig-coverage-raw 1\narch x86_64\nffffffff81001000 10 3\n",
		"pmig-coverage-raw 1\narch x86_64\nepoch x\n",
		"pmig-coverage-raw 1\narch x86_64\nepoch 0\n0xffff 10 3\n",
		"pmig-coverage-raw 1\narch x86_64\nepoch 0\nffff 10 -3\n",
		"pmig-coverage-raw 1\narch x86_64\nepoch 0\nffff 10\n",
		"pmig-coverage-raw 1\n",
	};
	struct pmig_covraw r;
	char err[256];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(raw_read(bad[i], NULL, &r, err), -EINVAL);
		assert_non_null(strstr(err, "coverage.raw"));
	}
	/* One epoch, two names. */
	assert_int_equal(raw_read("pmig-coverage-raw 1\narch ppc64\nepoch 2\n",
				  "2\ta\n2\tb\n", &r, err),
			 -EINVAL);
	assert_non_null(strstr(err, "coverage-epochs.tsv line 2"));
}

/*
 * Two files with a static "helper" each (the table says whose copy lies
 * where); "inner" has only inlined copies, "gone" no code at all; "part.c"
 * counts only the function the scope names.
 */
static const struct pmig_cov_scope scope[] = {
	{ "mm/a.c", NULL, "a" },
	{ "mm/b.c", NULL, "b" },
	{ "mm/part.c", "wanted", "the migration part" },
	{ "mm/none.c", NULL, "not built" },
};

static const char table_text[] =
	"mm/a.c\ttop\t10\tcode\tffffffff81001000\tffffffff81001100\n"
	"mm/a.c\ttop\t10\tcode\tffffffff81002000\tffffffff81002040\n"
	"mm/a.c\tinner\t5\tnone\t0\t0\n"
	"mm/a.c\tinner\t5\tinline\tffffffff81001040\tffffffff81001060\n"
	"mm/a.c\tinner\t5\tinline\tffffffff81001080\tffffffff81001090\n"
	"mm/a.c\thelper\t3\tcode\tffffffff81001200\tffffffff81001280\n"
	"mm/a.c\tgone\t4\tnone\t0\t0\n"
	"mm/b.c\thelper\t7\tcode\tffffffff81005000\tffffffff81005080\n"
	"mm/part.c\twanted\t1\tcode\tffffffff81006000\tffffffff81006010\n"
	"mm/part.c\tother\t2\tcode\tffffffff81006100\tffffffff81006110\n"
	"mm/elsewhere.c\tx\t1\tcode\tffffffff81007000\tffffffff81007010\n";

static const char table_map[] = "ffffffff81000ff0 t __pfx_top\n"
				"ffffffff81001000 t top\n"
				"ffffffff810011f0 t __pfx_helper\n"
				"ffffffff81001200 t helper\n"
				"ffffffff81002000 t top.cold\n"
				"ffffffff81005000 t helper\n"
				"ffffffff81006000 T wanted\n"
				"ffffffff81006100 T other\n";

static void load_table(struct pmig_covtable *t)
{
	char err[256];
	FILE *f = text(table_text);

	assert_int_equal(pmig_covtable_read(f, scope, 4, t, err, sizeof(err)),
			 0);
	fclose(f);
}

static void test_table(void **state)
{
	struct pmig_covtable t;
	char err[256];
	FILE *f;

	(void)state;
	load_table(&t);
	assert_int_equal(t.nfiles, 4);
	assert_string_equal(t.files[0].path, "mm/a.c");
	assert_int_equal(t.files[0].nfns, 4);
	/* In the order of their lines. */
	assert_string_equal(t.files[0].fns[0].name, "helper");
	assert_string_equal(t.files[0].fns[3].name, "top");
	assert_int_equal(t.files[0].fns[3].nr, 2);
	assert_int_equal(t.files[0].fns[1].nr, 0); /* gone */
	assert_false(t.files[2].whole);
	assert_int_equal(t.files[2].nfns, 1);
	assert_string_equal(t.files[2].fns[0].name, "wanted");
	assert_int_equal(t.files[3].nfns, 0);
	pmig_covtable_free(&t);

	f = text("mm/a.c\ttop\t10\tcode\tffffffff81001000\n");
	assert_int_equal(pmig_covtable_read(f, scope, 4, &t, err, sizeof(err)),
			 -EINVAL);
	assert_non_null(strstr(err, "line 1"));
	fclose(f);
	f = text("mm/a.c\ttop\t10\tcopy\t1\t2\n");
	assert_int_equal(pmig_covtable_read(f, scope, 4, &t, err, sizeof(err)),
			 -EINVAL);
	fclose(f);
}

/* The attribution of @raw (epochs 2 "case.two", 3 "case.three") into @c. */
static void build(const char *raw, struct pmig_cov *c)
{
	struct pmig_covtable t;
	struct pmig_symmap m;
	struct pmig_covraw r;
	char err[256];
	size_t line;
	FILE *f = text(table_map);

	assert_int_equal(pmig_symmap_read(f, &m, &line), 0);
	fclose(f);
	load_table(&t);
	assert_int_equal(raw_read(raw, "2\tcase.two\n3\tcase.three\n", &r, err),
			 0);
	assert_int_equal(pmig_cov_build(c, &t, &m, &r), 0);
	pmig_covraw_free(&r);
	pmig_covtable_free(&t);
	pmig_symmap_free(&m);
}

static const struct pmig_cov_func *fn(const struct pmig_cov *c,
				      const char *path, const char *name)
{
	const struct pmig_cov_func *f =
		pmig_cov_func(pmig_cov_file(c, path), name);

	assert_non_null(f);
	return f;
}

static const char run_raw[] =
	"pmig-coverage-raw 1\narch x86_64\n"
	"epoch 0\n"
	"ffffffff81006000 8 4\n" /* wanted, by the boot only */
	"epoch 1\n"
	"ffffffff81006004 4 1\n" /* and the runner */
	"epoch 2\n"
	"ffffffff81000ff0 20 5\n" /* top, entered through its padding */
	"ffffffff81001038 10 2\n" /* runs into inner's first copy */
	"ffffffff81002000 8 1\n" /* top's .cold part: no call */
	"epoch 3\n"
	"ffffffff81005000 10 6\n" /* b.c's helper, not a.c's */
	"ffffffff81001000 4 1\n";

static void test_attribution(void **state)
{
	struct pmig_cov c;
	struct pmig_cov_counts n;
	const struct pmig_cov_func *f;

	(void)state;
	build(run_raw, &c);
	assert_string_equal(c.arch, "x86_64");
	assert_int_equal(c.unnamed, 0);
	f = fn(&c, "mm/a.c", "top");
	assert_int_equal(f->state, PMIG_COV_REACHED);
	assert_true(f->suite);
	assert_int_equal(f->executions, 5 + 2 + 1 + 1);
	assert_int_equal(f->calls, 5 + 1);
	assert_int_equal(f->ncases, 2);
	assert_string_equal(f->cases[0], "case.two");
	assert_string_equal(f->cases[1], "case.three");
	assert_int_equal(f->nsymbols, 2);
	assert_string_equal(f->symbols[1], "top.cold");
	/* Inlined only: reached through its copy's range, never unreached for being inlined. */
	f = fn(&c, "mm/a.c", "inner");
	assert_int_equal(f->state, PMIG_COV_REACHED);
	assert_true(f->inlined);
	assert_false(f->outline);
	assert_int_equal(f->executions, 2);
	assert_int_equal(f->calls, 0);
	/* No code at all: neither, and not counted. */
	assert_int_equal(fn(&c, "mm/a.c", "gone")->state, PMIG_COV_NOCODE);
	/* Same-named statics: the block at b.c's copy reaches b.c's only. */
	assert_int_equal(fn(&c, "mm/a.c", "helper")->state, PMIG_COV_UNREACHED);
	f = fn(&c, "mm/b.c", "helper");
	assert_int_equal(f->state, PMIG_COV_REACHED);
	assert_int_equal(f->calls, 6);
	/* Boot and runner only: reached, not the suite's. */
	f = fn(&c, "mm/part.c", "wanted");
	assert_int_equal(f->state, PMIG_COV_REACHED);
	assert_true(f->boot);
	assert_true(f->runner);
	assert_false(f->suite);
	assert_int_equal(f->ncases, 0);
	assert_null(pmig_cov_func(pmig_cov_file(&c, "mm/part.c"), "other"));
	n = pmig_cov_count(&c, pmig_cov_file(&c, "mm/a.c"));
	assert_int_equal(n.total, 3);
	assert_int_equal(n.reached, 2);
	assert_int_equal(n.suite, 2);
	assert_int_equal(n.nocode, 1);
	n = pmig_cov_count(&c, NULL);
	assert_int_equal(n.total, 5);
	assert_int_equal(n.reached, 4);
	assert_int_equal(n.suite, 3);
	pmig_cov_free(&c);
}

/* A run's suite is what its labels name: pmig's case ids have no colon. */
static void test_suite(void **state)
{
	static const char *const pmig[] = { "move_pages.return.zero_count" };
	static const char *const ks[] = { "kselftest:migration:private_anon",
					  "kselftest:migration:shared_anon" };
	static const char *const both[] = { "kselftest:migration:private_anon",
					    "case.two", "other:x" };
	struct pmig_cov c = { 0 };
	char *s;

	(void)state;
	s = pmig_cov_suite_of(NULL, 0);
	assert_string_equal(s, "pmig");
	free(s);
	s = pmig_cov_suite_of(pmig, 1);
	assert_string_equal(s, "pmig");
	free(s);
	s = pmig_cov_suite_of(ks, 2);
	assert_string_equal(s, "kselftest");
	free(s);
	s = pmig_cov_suite_of(both, 3);
	assert_string_equal(s, "kselftest+pmig+other");
	free(s);
	assert_true(pmig_cov_is_pmig(&c));
	c.suite = "kselftest";
	assert_false(pmig_cov_is_pmig(&c));
	build(run_raw, &c);
	assert_string_equal(c.suite, "pmig");
	pmig_cov_free(&c);
}

/* A case taken out of the run takes its functions' attribution with it. */
static void test_case_removed(void **state)
{
	static const char without_three[] = "pmig-coverage-raw 1\narch x86_64\n"
					    "epoch 2\nffffffff81000ff0 20 5\n";
	struct pmig_cov c;
	const struct pmig_cov_func *f;

	(void)state;
	build(without_three, &c);
	assert_int_equal(c.nlabels, 1);
	f = fn(&c, "mm/a.c", "top");
	assert_int_equal(f->ncases, 1);
	assert_string_equal(f->cases[0], "case.two");
	assert_int_equal(fn(&c, "mm/b.c", "helper")->state, PMIG_COV_UNREACHED);
	pmig_cov_free(&c);
}

static void test_json_round_trip(void **state)
{
	char path[] = "/tmp/pmig-test-coverage-XXXXXX", why[256];
	struct pmig_cov c, back;
	const struct pmig_cov_func *f;
	FILE *out;
	int fd;

	(void)state;
	build(run_raw, &c);
	c.release = strdup("6.12.117+deb13-amd64");
	free(c.suite);
	c.suite = strdup("kselftest");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	out = fdopen(fd, "w");
	assert_int_equal(pmig_covjson_write(&c, out), 0);
	fclose(out);
	assert_int_equal(pmig_covjson_read(path, &back, why, sizeof(why)), 0);
	assert_string_equal(back.release, "6.12.117+deb13-amd64");
	assert_string_equal(back.suite, "kselftest");
	assert_null(back.package);
	assert_int_equal(back.nfiles, c.nfiles);
	assert_int_equal(back.nlabels, 2);
	f = fn(&back, "mm/a.c", "inner");
	assert_int_equal(f->state, PMIG_COV_REACHED);
	assert_true(f->inlined);
	assert_int_equal(fn(&back, "mm/a.c", "gone")->state, PMIG_COV_NOCODE);
	f = fn(&back, "mm/part.c", "wanted");
	assert_true(f->boot && f->runner && !f->suite);
	f = fn(&back, "mm/a.c", "top");
	assert_int_equal(f->executions, 9);
	assert_int_equal(f->calls, 6);
	assert_int_equal(f->ncases, 2);
	assert_int_equal(pmig_cov_count(&back, NULL).suite,
			 pmig_cov_count(&c, NULL).suite);
	pmig_cov_free(&back);

	out = fopen(path, "w");
	fputs("{\"format\": \"pmig-coverage\", \"version\": 2}", out);
	fclose(out);
	assert_int_equal(pmig_covjson_read(path, &back, why, sizeof(why)),
			 -EINVAL);
	assert_non_null(strstr(why, "not pmig coverage"));
	unlink(path);
	assert_int_equal(pmig_covjson_read(path, &back, why, sizeof(why)),
			 -ENOENT);
	pmig_cov_free(&c);
}

static void test_diff(void **state)
{
	static const char b_raw[] = "pmig-coverage-raw 1\narch x86_64\n"
				    "epoch 2\nffffffff81001200 8 1\n"
				    "ffffffff81006000 8 1\n";
	struct pmig_cov a, b;
	struct pmig_covdiff d;
	size_t i, gained = 0, lost = 0;

	(void)state;
	build(run_raw, &a);
	build(b_raw, &b);
	assert_int_equal(pmig_covdiff(&a, &b, &d), 0);
	for (i = 0; i < d.n; i++) {
		if (d.items[i].kind == PMIG_COVDIFF_GAINED) {
			gained++;
			assert_true(!strcmp(d.items[i].func, "helper") ||
				    !strcmp(d.items[i].func, "wanted"));
		}
		if (d.items[i].kind == PMIG_COVDIFF_LOST)
			lost++;
	}
	/* a.c's helper and part.c's wanted (boot only in A); top, inner, b.c's helper. */
	assert_int_equal(gained, 2);
	assert_int_equal(lost, 3);
	pmig_covdiff_free(&d);
	/* A function only one kernel has. */
	free(b.files[0].funcs[3].name);
	b.files[0].funcs[3].name = strdup("top_renamed");
	assert_int_equal(pmig_covdiff(&a, &b, &d), 0);
	gained = lost = 0;
	for (i = 0; i < d.n; i++) {
		gained += d.items[i].kind == PMIG_COVDIFF_ONLY_B;
		lost += d.items[i].kind == PMIG_COVDIFF_ONLY_A;
	}
	assert_int_equal(gained, 1);
	assert_int_equal(lost, 1);
	pmig_covdiff_free(&d);
	assert_int_equal(pmig_covdiff(&a, &a, &d), 0);
	assert_int_equal(d.n, 0);
	pmig_covdiff_free(&d);
	pmig_cov_free(&a);
	pmig_cov_free(&b);
}

static void test_reasons(void **state)
{
	static const struct pmig_cov_why whys[] = {
		{ "mm/a.c", "*", PMIG_COV_WHY_HARDWARE, "file" },
		{ "mm/a.c", "top", PMIG_COV_WHY_NOT_YET, "own" },
	};
	size_t i;

	(void)state;
	assert_string_equal(pmig_cov_why_of(whys, 2, "mm/a.c", "top")->text,
			    "own");
	assert_string_equal(pmig_cov_why_of(whys, 2, "mm/a.c", "x")->text,
			    "file");
	assert_null(pmig_cov_why_of(whys, 2, "mm/b.c", "top"));
	/* Every reason names a file the scope measures. */
	for (i = 0; i < pmig_cov_nwhys; i++) {
		size_t j;
		int found = 0;

		for (j = 0; j < pmig_cov_nscope && !found; j++)
			found = !strcmp(pmig_cov_scope[j].path,
					pmig_cov_whys[i].path);
		if (!found)
			fail_msg(
				"coverage_reasons.def: %s is not in coverage_scope.def",
				pmig_cov_whys[i].path);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sym_func),
		cmocka_unit_test(test_symmap_find),
		cmocka_unit_test(test_symmap_bad),
		cmocka_unit_test(test_raw),
		cmocka_unit_test(test_raw_bad),
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_attribution),
		cmocka_unit_test(test_suite),
		cmocka_unit_test(test_case_removed),
		cmocka_unit_test(test_json_round_trip),
		cmocka_unit_test(test_diff),
		cmocka_unit_test(test_reasons),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
