/* test_fixtures.h - what unit tests share (include after cmocka.h): the hwloc XML topologies of harness/tests/data, and files written under a fake root. */
#ifndef PMIG_TEST_FIXTURES_H
#define PMIG_TEST_FIXTURES_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "topo.h"

/* make check runs from the repository root; PMIG_TEST_DATA serves out-of-tree runs. */
static inline const char *pmig_test_data_path(const char *name)
{
	static char path[4096];
	const char *dir = getenv("PMIG_TEST_DATA");

	if (!dir || !*dir)
		dir = "harness/tests/data";
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return path;
}

/** The fixture topology @name, loaded or the test fails. */
static inline struct pmig_topo *pmig_test_topo(const char *name)
{
	struct pmig_topo *topo = NULL;

	assert_int_equal(pmig_topo_load(&topo, pmig_test_data_path(name)), 0);
	assert_non_null(topo);
	return topo;
}

/** Writes @text to @root/@rel, making its directories (a fake sysfs tree). */
static inline void pmig_test_put(const char *root, const char *rel,
				 const char *text)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s%s", root, rel);
	for (char *s = strchr(path + strlen(root) + 1, '/'); s;
	     s = strchr(s + 1, '/')) {
		*s = '\0';
		mkdir(path, 0755);
		*s = '/';
	}
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

#endif
