/* test_kcidb_ident.c - the KCIDB identity: each field's accepted and refused values, the environment, and where each lands in the KCIDB document. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <json-c/json.h>

#include "kcidb_ident.h"
#include "output.h"
#include "result.h"

#define COMMIT "0123456789abcdef0123456789abcdef01234567"

static const struct {
	enum pmig_kcidb_field field;
	const char *value;
	int ok;
} values[] = {
	{ PMIG_KCIDB_ORIGIN, "lkft", 1 },
	{ PMIG_KCIDB_ORIGIN, "kernel_ci2", 1 },
	{ PMIG_KCIDB_ORIGIN, "", 0 },
	{ PMIG_KCIDB_ORIGIN, "LKFT", 0 },
	{ PMIG_KCIDB_ORIGIN, "a-b", 0 },
	{ PMIG_KCIDB_CHECKOUT_ID, "kernelci:abc", 1 },
	{ PMIG_KCIDB_CHECKOUT_ID, "abc", 1 },
	{ PMIG_KCIDB_CHECKOUT_ID, "a:b:c", 1 },
	{ PMIG_KCIDB_CHECKOUT_ID, "", 0 },
	{ PMIG_KCIDB_CHECKOUT_ID, ":abc", 0 },
	{ PMIG_KCIDB_CHECKOUT_ID, "Kernel:abc", 0 },
	{ PMIG_KCIDB_BUILD_ID, "b42", 1 },
	{ PMIG_KCIDB_BUILD_ID, "x y:b", 0 },
	{ PMIG_KCIDB_GIT_URL, "https://git.example.org/linux.git", 1 },
	{ PMIG_KCIDB_GIT_URL, "https://", 0 },
	{ PMIG_KCIDB_GIT_URL, "git://git.example.org/linux.git", 0 },
	{ PMIG_KCIDB_GIT_COMMIT, COMMIT, 1 },
	{ PMIG_KCIDB_GIT_COMMIT, "0123456789ABCDEF0123456789abcdef01234567",
	  0 },
	{ PMIG_KCIDB_GIT_COMMIT, "0123456789abcdef", 0 },
	{ PMIG_KCIDB_GIT_COMMIT, COMMIT "0", 0 },
	{ PMIG_KCIDB_GIT_COMMIT, "g123456789abcdef0123456789abcdef01234567",
	  0 },
	{ PMIG_KCIDB_GIT_BRANCH, "for-next/mm", 1 },
	{ PMIG_KCIDB_GIT_BRANCH, "", 0 },
};

static void test_values(void **state)
{
	struct pmig_kcidb_ident id;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		memset(&id, 0, sizeof(id));
		assert_int_equal(pmig_kcidb_ident_set(&id, values[i].field,
						      values[i].value),
				 values[i].ok ? 0 : -EINVAL);
		if (values[i].ok)
			assert_ptr_equal(id.value[values[i].field],
					 values[i].value);
		else
			assert_null(id.value[values[i].field]);
	}
	assert_int_equal(pmig_kcidb_ident_set(&id, PMIG_KCIDB_FIELD_COUNT, "x"),
			 -EINVAL);
	assert_null(pmig_kcidb_field_info(PMIG_KCIDB_FIELD_COUNT));
}

static void test_env(void **state)
{
	struct pmig_kcidb_ident id = { 0 };
	enum pmig_kcidb_field bad;

	(void)state;
	setenv("PMIG_KCIDB_ORIGIN", "lkft", 1);
	setenv("PMIG_KCIDB_GIT_BRANCH", "", 1); /* empty: not given */
	assert_int_equal(pmig_kcidb_ident_from_env(&id, &bad), 0);
	assert_string_equal(id.value[PMIG_KCIDB_ORIGIN], "lkft");
	assert_null(id.value[PMIG_KCIDB_GIT_BRANCH]);
	setenv("PMIG_KCIDB_GIT_COMMIT", "abc", 1);
	assert_int_equal(pmig_kcidb_ident_from_env(&id, &bad), -EINVAL);
	assert_int_equal(bad, PMIG_KCIDB_GIT_COMMIT);
	unsetenv("PMIG_KCIDB_ORIGIN");
	unsetenv("PMIG_KCIDB_GIT_BRANCH");
	unsetenv("PMIG_KCIDB_GIT_COMMIT");
}

static struct json_object *doc_of(const struct pmig_kcidb_ident *id)
{
	struct pmig_result r = { .name = "a.b", .outcome = PMIG_PASS };
	struct pmig_run *run = pmig_run_new("pmig.conform");
	struct json_object *doc;
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	assert_non_null(run);
	assert_non_null(f);
	assert_non_null(pmig_run_add(run, &r));
	assert_int_equal(pmig_kcidb_write_ident(run, id, f), 0);
	fclose(f);
	doc = json_tokener_parse(text);
	assert_non_null(doc);
	free(text);
	pmig_run_free(run);
	return doc;
}

static const char *str_at(struct json_object *doc, const char *arr,
			  const char *key)
{
	struct json_object *a, *v;

	assert_true(json_object_object_get_ex(doc, arr, &a));
	assert_true(json_object_object_get_ex(json_object_array_get_idx(a, 0),
					      key, &v));
	return json_object_get_string(v);
}

static int has_at(struct json_object *doc, const char *arr, const char *key)
{
	struct json_object *a;

	assert_true(json_object_object_get_ex(doc, arr, &a));
	return json_object_object_get_ex(json_object_array_get_idx(a, 0), key,
					 NULL);
}

static void test_document(void **state)
{
	struct pmig_kcidb_ident id = { 0 };
	struct json_object *doc;
	const char *test_id;

	(void)state;
	/* None given: pmig's own ids, no git fields. */
	doc = doc_of(NULL);
	assert_string_equal(str_at(doc, "checkouts", "origin"), "pmig");
	assert_false(has_at(doc, "checkouts", "git_commit_hash"));
	assert_string_equal(str_at(doc, "builds", "id"),
			    str_at(doc, "checkouts", "id"));
	json_object_put(doc);

	assert_int_equal(pmig_kcidb_ident_set(&id, PMIG_KCIDB_ORIGIN, "lkft"),
			 0);
	assert_int_equal(pmig_kcidb_ident_set(&id, PMIG_KCIDB_CHECKOUT_ID,
					      "kernelci:c1"),
			 0);
	assert_int_equal(pmig_kcidb_ident_set(&id, PMIG_KCIDB_BUILD_ID, "b2"),
			 0);
	assert_int_equal(pmig_kcidb_ident_set(&id, PMIG_KCIDB_GIT_URL,
					      "https://git.example.org/l.git"),
			 0);
	assert_int_equal(
		pmig_kcidb_ident_set(&id, PMIG_KCIDB_GIT_COMMIT, COMMIT), 0);
	assert_int_equal(
		pmig_kcidb_ident_set(&id, PMIG_KCIDB_GIT_BRANCH, "master"), 0);
	doc = doc_of(&id);
	/* Another system's checkout: its id, its origin. */
	assert_string_equal(str_at(doc, "checkouts", "id"), "kernelci:c1");
	assert_string_equal(str_at(doc, "checkouts", "origin"), "kernelci");
	assert_string_equal(str_at(doc, "checkouts", "git_repository_url"),
			    "https://git.example.org/l.git");
	assert_string_equal(str_at(doc, "checkouts", "git_commit_hash"),
			    COMMIT);
	assert_string_equal(str_at(doc, "checkouts", "git_repository_branch"),
			    "master");
	/* A build id without an origin is the given origin's. */
	assert_string_equal(str_at(doc, "builds", "id"), "lkft:b2");
	assert_string_equal(str_at(doc, "builds", "origin"), "lkft");
	assert_string_equal(str_at(doc, "builds", "checkout_id"),
			    "kernelci:c1");
	/* The tests are the origin's own and name the build. */
	assert_string_equal(str_at(doc, "tests", "build_id"), "lkft:b2");
	assert_string_equal(str_at(doc, "tests", "origin"), "lkft");
	test_id = str_at(doc, "tests", "id");
	assert_int_equal(strncmp(test_id, "lkft:pmig.conform-", 18), 0);
	assert_string_equal(test_id + strlen(test_id) - 4, ":a.b");
	json_object_put(doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_env),
		cmocka_unit_test(test_document),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
