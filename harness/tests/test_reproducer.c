/* test_reproducer.c - shrinking keeps a divergence and minimises; a scenario's C reproducer compiles with -Werror and runs. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reproducer.h"
#include "shrink.h"

/* A fake "kernel" that diverges from the model on any shared page moved without MOVE_ALL. */
static bool shared_moved(const struct pmig_rnd_scenario *s, void *arg)
{
	(void)arg;
	if (s->query || (s->flags & PMIG_MODEL_MF_MOVE_ALL))
		return false;
	for (size_t i = 0; i < s->count; i++)
		if (s->pages[s->entries[i].page].kind == PMIG_RND_SHARED &&
		    s->entries[i].target >= 0)
			return true;
	return false;
}

static void test_shrink_to_one_entry(void **state)
{
	static const struct pmig_rnd_machine m = { .nodes = { 0, 1, 2 },
						   .nnodes = 3,
						   .offline = 3 };
	struct pmig_rnd_scenario s;
	unsigned found = 0;

	(void)state;
	for (uint64_t id = 0; id < 300; id++) {
		pmig_rnd_generate(&s, 1, id, &m);
		if (!shared_moved(&s, NULL))
			continue;
		found++;
		pmig_rnd_shrink(&s, shared_moved, NULL);
		assert_true(shared_moved(&s, NULL));
		assert_int_equal(s.npages, 1);
		assert_int_equal(s.count, 1);
		assert_int_equal(s.pages[0].kind, PMIG_RND_SHARED);
		assert_int_equal(s.entries[0].page, 0);
		assert_int_equal(s.entries[0].offset, 0);
	}
	assert_true(found > 5);
}

/* Every kind on node 0, targets node 0 and an offline id: agrees with the model anywhere. */
static void test_reproducer_compiles_and_runs(void **state)
{
	static const struct pmig_rnd_machine m = { .nodes = { 0 },
						   .nnodes = 1,
						   .offline = 63 };
	static struct pmig_rnd_model model;
	struct pmig_rnd_scenario s = {
		.seed = 7,
		.id = 9,
		.npages = 6,
		.pages = { { PMIG_RND_ANON, 0 },
			   { PMIG_RND_SHARED, 0 },
			   { PMIG_RND_PINNED, 0 },
			   { PMIG_RND_ZERO, 0 },
			   { PMIG_RND_HOLE, 0 },
			   { PMIG_RND_NEVER_TOUCHED, 0 } },
		.count = 7,
		.entries = { { 0, 0, 0 },
			     { 1, 0, 0 },
			     { 2, 0x10, 0 },
			     { 3, 0, 0 },
			     { 4, 0, 0 },
			     { 5, 0, 0 },
			     { 0, 0, 63 } },
		.flags = PMIG_MODEL_MF_MOVE,
	};
	int want[PMIG_RND_MAX_ENTRIES], final[PMIG_RND_MAX_PAGES];
	char dir[] = "/tmp/pmig-repro-XXXXXX", cmd[512], path[256];
	long ret;
	FILE *f;

	(void)state;
	pmig_rnd_to_model(&s, &m, false, 0, NULL, 0, &model);
	ret = pmig_model_move_pages(&model.sc, want, final);
	for (size_t p = 0; p < s.npages; p++)
		if (s.pages[p].kind != PMIG_RND_ANON &&
		    s.pages[p].kind != PMIG_RND_SHARED &&
		    s.pages[p].kind != PMIG_RND_PINNED)
			final[p] = -1;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/repro.c", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	pmig_rnd_reproducer(f, &s, ret, want, final);
	assert_int_equal(fclose(f), 0);
	snprintf(cmd, sizeof(cmd),
		 "cc -Wall -Werror -o %s/repro %s && %s/repro > %s/out", dir,
		 path, dir, dir);
	assert_int_equal(system(cmd), 0);
	snprintf(cmd, sizeof(cmd),
		 "grep -q 'kernel and model agree' %s/out && "
		 "grep -q '^return *kernel -19' %s/out && rm -r %s",
		 dir, dir, dir);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shrink_to_one_entry),
		cmocka_unit_test(test_reproducer_compiles_and_runs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
