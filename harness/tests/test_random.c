/* test_random.c - the random scenario generator: deterministic per (seed, id), varied across ids, valid model input. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "random.h"

static const struct pmig_rnd_machine three = {
	.nodes = { 0, 1, 2 },
	.nnodes = 3,
	.offline = 3,
};

static void test_same_seed_same_scenario(void **state)
{
	struct pmig_rnd_scenario a, b;
	char ta[1024], tb[1024];

	(void)state;
	for (uint64_t id = 0; id < 500; id++) {
		pmig_rnd_generate(&a, 1, id, &three);
		pmig_rnd_generate(&b, 1, id, &three);
		assert_memory_equal(&a, &b, sizeof(a));
		pmig_rnd_format(&a, ta, sizeof(ta));
		pmig_rnd_format(&b, tb, sizeof(tb));
		assert_string_equal(ta, tb);
	}
}

static void test_ids_and_seeds_differ(void **state)
{
	struct pmig_rnd_scenario a, b;
	char ta[1024], tb[1024];
	unsigned same = 0;

	(void)state;
	for (uint64_t id = 0; id < 200; id++) {
		pmig_rnd_generate(&a, 1, id, &three);
		pmig_rnd_generate(&b, 1, id + 1, &three);
		pmig_rnd_format(&a, ta, sizeof(ta));
		pmig_rnd_format(&b, tb, sizeof(tb));
		same += !strcmp(ta, tb);
		pmig_rnd_generate(&b, 2, id, &three);
		pmig_rnd_format(&b, tb, sizeof(tb));
		same += !strcmp(ta, tb);
	}
	/* Tiny scenarios (one page, one entry) may repeat now and then. */
	assert_true(same < 20);
}

/* Over 1000 scenarios every feature the brief asks for shows up. */
static void test_varied(void **state)
{
	unsigned kinds[PMIG_RND_NKINDS] = { 0 }, per_call_mixed = 0;
	unsigned unaligned = 0, dup = 0, bad_node = 0, offline = 0;
	unsigned query = 0, move_all = 0, target[3] = { 0 }, maxcount = 0;
	struct pmig_rnd_scenario s;

	(void)state;
	for (uint64_t id = 0; id < 1000; id++) {
		unsigned seen = 0;

		pmig_rnd_generate(&s, 7, id, &three);
		assert_in_range(s.npages, 1, PMIG_RND_MAX_PAGES);
		assert_in_range(s.count, 1, PMIG_RND_MAX_ENTRIES);
		if (s.count > maxcount)
			maxcount = (unsigned)s.count;
		for (size_t p = 0; p < s.npages; p++) {
			kinds[s.pages[p].kind]++;
			seen |= 1u << s.pages[p].kind;
			assert_in_range(s.pages[p].node, 0, 2);
		}
		per_call_mixed += __builtin_popcount(seen) >= 3;
		for (size_t i = 0; i < s.count; i++) {
			const struct pmig_rnd_entry *e = &s.entries[i];

			assert_true(e->page < s.npages);
			assert_true(e->offset < 4096);
			unaligned += e->offset != 0;
			bad_node += e->target == -1;
			offline += e->target == 3;
			if (e->target >= 0 && e->target < 3)
				target[e->target]++;
			for (size_t j = 0; j < i; j++)
				dup += s.entries[j].page == e->page;
		}
		query += s.query;
		move_all += !s.query && s.flags == PMIG_MODEL_MF_MOVE_ALL;
	}
	for (int k = 0; k < PMIG_RND_NKINDS; k++)
		assert_true(kinds[k] > 50);
	for (int n = 0; n < 3; n++)
		assert_true(target[n] > 100);
	assert_true(per_call_mixed > 200);
	assert_true(unaligned > 100 && dup > 100);
	assert_true(bad_node > 20 && offline > 20);
	assert_true(query > 100 && move_all > 50);
	assert_int_equal(maxcount, PMIG_RND_MAX_ENTRIES);
}

/* The model takes every scenario (it aborts on a malformed one). */
static void test_model_accepts(void **state)
{
	static struct pmig_rnd_model m;
	struct pmig_rnd_scenario s;
	int status[PMIG_RND_MAX_ENTRIES], final[PMIG_RND_MAX_PAGES];

	(void)state;
	for (uint64_t id = 0; id < 1000; id++) {
		pmig_rnd_generate(&s, 3, id, &three);
		pmig_rnd_to_model(&s, &three, true, PMIG_KV(6, 1, 0), NULL, 0,
				  &m);
		assert_int_equal(m.sc.nnodes, 3);
		pmig_model_move_pages(&m.sc, status, final);
	}
}

static void test_format(void **state)
{
	struct pmig_rnd_scenario s = {
		.npages = 2,
		.pages = { { PMIG_RND_SHARED, 1 }, { PMIG_RND_HOLE, 0 } },
		.count = 2,
		.entries = { { 0, 0x10, 2 }, { 1, 0, -1 } },
		.flags = PMIG_MODEL_MF_MOVE_ALL,
	};
	char t[256];

	(void)state;
	pmig_rnd_format(&s, t, sizeof(t));
	assert_string_equal(t,
			    "MOVE_ALL p0=shared@1 p1=hole | p0+0x10->2 p1->-1");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_seed_same_scenario),
		cmocka_unit_test(test_ids_and_seeds_differ),
		cmocka_unit_test(test_varied),
		cmocka_unit_test(test_model_accepts),
		cmocka_unit_test(test_format),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
