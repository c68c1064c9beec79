/* test_spec_cite.c - each refusal of the citation check fires on a table made wrong for it; every hash in the spec files is in the audit. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spec_cite.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static const uint32_t stable_4_12_9[] = { PMIG_KV(4, 9, 50), PMIG_KV(4, 12, 9),
					  0 };
static const struct pmig_commit good = {
	.hash = "197e7e521384",
	.subject = "Sanitize 'move_pages()' permission checks",
	.release = PMIG_KV(4, 13, 0),
	.stable = stable_4_12_9,
	.subject_seen = "a mail",
	.release_seen = "a stable ChangeLog",
};
static const struct pmig_commit guessed = {
	.hash = "d899844e9c98",
	.subject =
		"mm: fix status code which move_pages() returns for zero page",
	.release = PMIG_KV(4, 3, 0),
	.subject_seen = "LTP",
	.release_seen = "unconfirmed",
};
static const struct pmig_commit *const cites_good[] = { &good, NULL };
static const struct pmig_commit *const cites_guessed[] = { &guessed, NULL };

/* What the check says of one table: its return and its lines. */
struct verdict {
	int rc;
	char text[2048];
};

static struct verdict run(const struct pmig_commit *const *commits,
			  size_t ncommits, const struct pmig_spec *rows,
			  size_t nrows,
			  const struct pmig_profile_entry *entries,
			  size_t nentries)
{
	const struct pmig_cite_tables t = { commits, ncommits, rows,
					    nrows,   entries,  nentries };
	struct verdict v = { 0, "" };
	FILE *err = fmemopen(v.text, sizeof(v.text) - 1, "w");

	assert_non_null(err);
	v.rc = pmig_cite_check(err, &t);
	fclose(err);
	return v;
}

static struct verdict one_commit(const struct pmig_commit *c)
{
	const struct pmig_commit *const table[] = { c };

	return run(table, 1, NULL, 0, NULL, 0);
}

static struct verdict one_row(const char *origin,
			      const struct pmig_commit *const *commits)
{
	const struct pmig_commit *const table[] = { &good, &guessed };
	const struct pmig_spec row = { .id = "a.row",
				       .origin = origin,
				       .commits = commits };

	return run(table, ARRAY_SIZE(table), &row, 1, NULL, 0);
}

static struct verdict one_entry(uint32_t from, uint32_t until, const char *cite,
				const struct pmig_commit *const *commits)
{
	const struct pmig_commit *const table[] = { &good, &guessed };
	const struct pmig_spec row = { .id = "a.row", .origin = "text" };
	const struct pmig_profile_entry e = { .id = "a.row",
					      .from = from,
					      .until = until,
					      .cite = cite,
					      .commits = commits };

	return run(table, ARRAY_SIZE(table), &row, 1, &e, 1);
}

static void refused(struct verdict v, const char *says)
{
	assert_int_equal(v.rc, 1);
	if (!strstr(v.text, says))
		fail_msg("expected \"%s\" in: %s", says, v.text);
}

static void test_good_tables_pass(void **state)
{
	(void)state;
	assert_int_equal(one_commit(&good).rc, 0);
	assert_int_equal(
		one_row("197e7e521384 (4.13) and plain text", cites_good).rc,
		0);
	/* A listed backport is a version the prose may give. */
	assert_int_equal(
		one_row("197e7e521384 (4.12.9, stable)", cites_good).rc, 0);
	assert_int_equal(one_row("d899844e9c98 (4.3?)", cites_guessed).rc, 0);
	/* Before the oldest backport; the series between, up to the next one. */
	assert_int_equal(
		one_entry(0, PMIG_KV(4, 9, 50), "before it", cites_good).rc, 0);
	assert_int_equal(one_entry(PMIG_KV(4, 10, 0), PMIG_KV(4, 12, 9),
				   "before it", cites_good)
				 .rc,
			 0);
	/* Rows and entries that cite nothing stay allowed. */
	assert_int_equal(one_row("no commit here", NULL).rc, 0);
	assert_int_equal(
		one_entry(PMIG_KV(5, 0, 0), PMIG_KV(5, 4, 0), "a bug", NULL).rc,
		0);
}

static void test_refuses_malformed_hash(void **state)
{
	struct pmig_commit c = good;

	(void)state;
	c.hash = "197E7E521384";
	refused(one_commit(&c), "12 lowercase hex digits");
	c.hash = "197e7e52138";
	refused(one_commit(&c), "12 lowercase hex digits");
	c.hash = "197e7e521384a";
	refused(one_commit(&c), "12 lowercase hex digits");
	c.hash = "197e7e52138g";
	refused(one_commit(&c), "12 lowercase hex digits");
}

static void test_refuses_hash_twice(void **state)
{
	struct pmig_commit again = guessed;
	const struct pmig_commit *const table[] = { &good, &again };

	(void)state;
	again.hash = good.hash;
	refused(run(table, 2, NULL, 0, NULL, 0),
		"commit 197e7e521384 is listed twice");
}

static void test_refuses_bad_release_and_backport(void **state)
{
	static const uint32_t later[] = { PMIG_KV(4, 14, 2), 0 };
	struct pmig_commit c = good;

	(void)state;
	c.release = PMIG_KV(4, 13, 5);
	refused(one_commit(&c), "first release is a mainline major.minor");
	c.release = PMIG_KV(2, 6, 29);
	c.stable = NULL;
	assert_int_equal(one_commit(&c).rc, 0);
	c = good;
	c.stable = later;
	refused(one_commit(&c), "stable backport comes before");
}

static void test_refuses_missing_audit(void **state)
{
	struct pmig_commit c = good;

	(void)state;
	c.release_seen = "";
	refused(one_commit(&c), "both audit fields must be given");
	c = good;
	c.subject_seen = "";
	refused(one_commit(&c), "both audit fields must be given");
}

static void test_refuses_commit_not_in_table(void **state)
{
	static const struct pmig_commit stray = {
		.hash = "a7504ed14f9b",
		.subject =
			"migrate: fix syscall move_pages() return value for failure",
		.release = PMIG_KV(6, 1, 0),
		.subject_seen = "x",
		.release_seen = "y",
	};
	static const struct pmig_commit *const cites_stray[] = { &stray, NULL };

	(void)state;
	refused(one_row("a7504ed14f9b (6.1)", cites_stray), "does not list");
}

static void test_refuses_prose_hash_not_cited(void **state)
{
	(void)state;
	refused(one_row("fixed by d899844e9c98 (4.3?)", cites_good),
		"mentions d899844e9c98 without citing it");
	refused(one_entry(0, PMIG_KV(4, 13, 0),
			  "197e7e521384 (4.13); d899844e9c98", cites_good),
		"mentions d899844e9c98 without citing it");
	/* Longer hex runs (a full hash, a Message-ID) are not 12-digit hashes. */
	assert_int_equal(
		one_row("197e7e521384a23b9e585178f3f11c9fa08274b9", NULL).rc,
		0);
}

/* The wrong version that issue 16 found: a7504ed14f9b written as 6.0. */
static void test_refuses_prose_version_against_release(void **state)
{
	(void)state;
	refused(one_row("197e7e521384 (4.12) changed it", cites_good),
		"says 4.12 for 197e7e521384, first released in 4.13.0");
	refused(one_entry(0, PMIG_KV(4, 13, 0), "before 197e7e521384 (4.14)",
			  cites_good),
		"says 4.14 for 197e7e521384");
}

static void test_refuses_unconfirmed_release_asserted(void **state)
{
	(void)state;
	refused(one_row("d899844e9c98 (4.3) FOLL_DUMP", cites_guessed),
		"has not confirmed");
}

static void test_refuses_boundary_against_release(void **state)
{
	(void)state;
	refused(one_entry(0, PMIG_KV(4, 14, 0), "before it", cites_good),
		"a boundary is not the first release");
	refused(one_entry(PMIG_KV(4, 12, 0), PMIG_KV(4, 13, 0), "before it",
			  cites_good),
		"a boundary is not the first release");
}

/*
 * A range of kernels without the fix may resume where a backported series
 * ends: after 4.9.50 has it, 4.10 does not (until 4.12.9).
 */
static void test_boundary_after_backport_series(void **state)
{
	(void)state;
	assert_int_equal(one_entry(PMIG_KV(4, 10, 0), PMIG_KV(4, 12, 9),
				   "before it", cites_good)
				 .rc,
			 0);
	refused(one_entry(PMIG_KV(4, 11, 0), PMIG_KV(4, 12, 9), "before it",
			  cites_good),
		"a boundary is not the first release");
}

/*
 * A range ending at a commit's release or backport says "before it": one
 * holding a listed backport (4.9.50 and 4.12.9 of good) is refused, once
 * per backport, naming the row and the backport (an XFAIL ending at
 * 6.12.117 once held 091c1dd2d4df's backport to 6.12.5 this way).
 */
static void test_refuses_backport_inside_before_range(void **state)
{
	struct verdict v;

	(void)state;
	v = one_entry(0, PMIG_KV(4, 13, 0), "before it", cites_good);
	refused(v,
		"profile entry for a.row [0.0.0, 4.13.0): covers 4.12.9, which carries 197e7e521384's backport");
	refused(v, "covers 4.9.50, which carries 197e7e521384's backport");
	refused(v, "end it at 4.12.9 and resume at 4.13.0");
	/* Ending at a backport does not excuse an older one inside. */
	refused(one_entry(0, PMIG_KV(4, 12, 9), "before it", cites_good),
		"covers 4.9.50, which carries 197e7e521384's backport");
	refused(one_entry(PMIG_KV(4, 9, 0), PMIG_KV(4, 12, 9), "before it",
			  cites_good),
		"covers 4.9.50");
}

/*
 * What is not "before it" passes: a range from the commit's backport to
 * its release (the commit begins it there), one ending elsewhere, and a
 * commit without backports.
 */
static void test_backport_outside_or_beginning_passes(void **state)
{
	(void)state;
	assert_int_equal(one_entry(PMIG_KV(4, 12, 9), PMIG_KV(4, 13, 0),
				   "from it", cites_good)
				 .rc,
			 0);
	assert_int_equal(
		one_entry(PMIG_KV(4, 13, 0), PMIG_KV_MAX, "from it", cites_good)
			.rc,
		0);
	assert_int_equal(
		one_entry(0, PMIG_KV(4, 3, 0), "before it", cites_guessed).rc,
		0);
}

static void test_spec_passes(void **state)
{
	(void)state;
	assert_int_equal(pmig_cite_check_spec(stderr), 0);
}

static bool in_commits(const char *hash)
{
	for (size_t i = 0; i < pmig_commit_count; i++)
		if (!strncmp(pmig_commits[i]->hash, hash, 12))
			return true;
	return false;
}

static bool is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

static bool is_word(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	       (c >= 'A' && c <= 'Z');
}

/*
 * Whether @p in @line is inside a Message-ID, "<...@...>": its parts
 * ("<000801d2aede$...@net>", "...-0eb623045903@...") are no hashes.
 */
static bool in_message_id(const char *line, const char *p)
{
	const char *open = NULL, *q;

	for (q = line; q < p; q++)
		if (*q == '<')
			open = q;
		else if (*q == '>')
			open = NULL;
	if (!open)
		return false;
	for (q = p; *q && *q != '>' && *q != ' '; q++)
		if (*q == '@')
			return true;
	return false;
}

/*
 * Hashes of @path (a 12-hex-digit word anywhere, comments too) missing from
 * the audit; a dotted run (a Message-ID's "172693361356.3366585") and a part
 * of a Message-ID are no hashes.
 */
static int unaudited_in(const char *path)
{
	FILE *f = fopen(path, "r");
	char line[4096];
	int missing = 0;

	assert_non_null(f);
	while (fgets(line, sizeof(line), f))
		for (char *p = line; *p; p++) {
			size_t n = 0;

			if (p != line && (is_word(p[-1]) || p[-1] == '.'))
				continue;
			while (is_hex(p[n]))
				n++;
			if (n != 12 || is_word(p[n]) || in_commits(p) ||
			    (p[n] == '.' && is_word(p[n + 1])) ||
			    in_message_id(line, p))
				continue;
			fprintf(stderr,
				"%s: %.12s is not in spec/commits.def\n", path,
				p);
			missing++;
		}
	fclose(f);
	return missing;
}

/*
 * Every commit a spec file names, as data or in prose or a comment, has its
 * audit in spec/commits.def; run from the top of the tree (make check).
 */
static void test_every_hash_is_audited(void **state)
{
	DIR *d = opendir("conformance/spec");
	struct dirent *e;
	int files = 0, missing = 0;

	(void)state;
	assert_non_null(d);
	while ((e = readdir(d))) {
		char path[512];
		size_t len = strlen(e->d_name);

		if (len < 5 || strcmp(e->d_name + len - 4, ".def"))
			continue;
		snprintf(path, sizeof(path), "conformance/spec/%s", e->d_name);
		missing += unaudited_in(path);
		files++;
	}
	closedir(d);
	assert_true(files >= 7);
	assert_int_equal(missing, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_tables_pass),
		cmocka_unit_test(test_refuses_malformed_hash),
		cmocka_unit_test(test_refuses_hash_twice),
		cmocka_unit_test(test_refuses_bad_release_and_backport),
		cmocka_unit_test(test_refuses_missing_audit),
		cmocka_unit_test(test_refuses_commit_not_in_table),
		cmocka_unit_test(test_refuses_prose_hash_not_cited),
		cmocka_unit_test(test_refuses_prose_version_against_release),
		cmocka_unit_test(test_refuses_unconfirmed_release_asserted),
		cmocka_unit_test(test_refuses_boundary_against_release),
		cmocka_unit_test(test_boundary_after_backport_series),
		cmocka_unit_test(test_refuses_backport_inside_before_range),
		cmocka_unit_test(test_backport_outside_or_beginning_passes),
		cmocka_unit_test(test_spec_passes),
		cmocka_unit_test(test_every_hash_is_audited),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
