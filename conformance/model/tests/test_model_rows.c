/* test_model_rows.c - every spec row is implemented by the model (and has a model test) or left to the cases with a reason; docs/MODEL.md names them all. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model_rows.h"
#include "spec.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* The rows the model tests check, read from their tables. */
static const char *const tested[] = {
#define ROW(id, ...) id,
#include "test_model.def"
#include "test_model_kinds.def"
#include "test_model_ops.def"
#include "test_model_twins.def"
#undef ROW
};

static bool is_tested(const char *id)
{
	for (size_t i = 0; i < ARRAY_SIZE(tested); i++)
		if (!strcmp(tested[i], id))
			return true;
	return false;
}

/* A new spec row needs a model rule or a reason, once. */
static void test_every_row_implemented_or_left_out(void **state)
{
	size_t bad = 0;

	(void)state;
	for (size_t i = 0; i < pmig_spec_count; i++) {
		const char *id = pmig_spec_table[i].id;
		size_t in = pmig_model_implements(id),
		       out = pmig_model_leaves_out(id);

		if (in + out == 1)
			continue;
		print_error("spec row %s: implemented %zu times, left out "
			    "%zu times (model_rows.c needs it once)\n",
			    id, in, out);
		bad++;
	}
	assert_int_equal(bad, 0);
}

/* A group names rows of the spec table, and says what it is. */
static void check_groups(const struct pmig_model_rows *g, size_t n, size_t *bad)
{
	for (size_t i = 0; i < n; i++) {
		if (!g[i].what || !*g[i].what || !g[i].rows[0]) {
			print_error("model_rows.c group %zu has no %s\n", i,
				    g[i].rows[0] ? "text" : "rows");
			++*bad;
		}
		for (const char *const *r = g[i].rows; *r; r++)
			if (!pmig_spec_find(*r)) {
				print_error("model_rows.c names %s, which is "
					    "no spec row\n",
					    *r);
				++*bad;
			}
	}
}

static void test_groups_name_spec_rows(void **state)
{
	size_t bad = 0;

	(void)state;
	check_groups(pmig_model_implemented, pmig_model_implemented_count,
		     &bad);
	check_groups(pmig_model_left_out, pmig_model_left_out_count, &bad);
	assert_int_equal(bad, 0);
}

/* A row the model claims has a model test checking the model against it. */
static void test_implemented_rows_tested(void **state)
{
	size_t bad = 0;

	(void)state;
	for (size_t i = 0; i < pmig_model_implemented_count; i++)
		for (const char *const *r = pmig_model_implemented[i].rows; *r;
		     r++)
			if (!is_tested(*r)) {
				print_error("%s is implemented but no model "
					    "test names it\n",
					    *r);
				bad++;
			}
	assert_int_equal(bad, 0);
}

/* And a row a model test checks is one the model claims. */
static void test_tested_rows_implemented(void **state)
{
	size_t bad = 0;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(tested); i++)
		if (!pmig_model_implements(tested[i])) {
			print_error("a model test checks %s, which "
				    "model_rows.c does not list as "
				    "implemented\n",
				    tested[i]);
			bad++;
		}
	assert_int_equal(bad, 0);
}

/* docs/MODEL.md names every spec row. */
static void test_markdown_names_every_row(void **state)
{
	char *doc = NULL, quoted[256];
	size_t len = 0;
	FILE *out = open_memstream(&doc, &len);

	(void)state;
	assert_non_null(out);
	assert_int_equal(pmig_model_markdown(out), 0);
	assert_int_equal(fclose(out), 0);
	for (size_t i = 0; i < pmig_spec_count; i++) {
		snprintf(quoted, sizeof(quoted), "`%s`", pmig_spec_table[i].id);
		if (!strstr(doc, quoted))
			fail_msg("docs/MODEL.md does not name %s",
				 pmig_spec_table[i].id);
	}
	free(doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_row_implemented_or_left_out),
		cmocka_unit_test(test_groups_name_spec_rows),
		cmocka_unit_test(test_implemented_rows_tested),
		cmocka_unit_test(test_tested_rows_implemented),
		cmocka_unit_test(test_markdown_names_every_row),
	};

	return cmocka_run_group_tests_name("model_rows", tests, NULL, NULL);
}
