/* test_reproducer.c - shrinking keeps a divergence and minimises (entries, pages, addresses, kinds, nodes); a scenario's C reproducer compiles with -Werror and runs. */
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

/* x86-64's page sizes; the other machines' are tested where they differ. */
#define X86_SIZES                                                  \
	{                                                          \
		.base = 4096, .thp = 2u << 20, .hugetlb = 2u << 20 \
	}

/* Three memory nodes, every kind available; node 1 is the lowest on purpose. */
static const struct pmig_rnd_machine three = {
	.sizes = X86_SIZES,
	.nodes = { 2, 1, 3 },
	.nnodes = 3,
	.offline = 4,
	.thp = true,
	.hugetlb = true,
	.swap = true,
	.scratch = true,
};

/* A fake "kernel" that diverges from the model on any shared page move_pages(2) moves without MOVE_ALL. */
static bool shared_moved(const struct pmig_rnd_scenario *s, void *arg)
{
	(void)arg;
	if (s->call.op != PMIG_RND_OP_MOVE_PAGES || s->query ||
	    (s->flags & PMIG_MODEL_MF_MOVE_ALL))
		return false;
	for (size_t i = 0; i < s->count; i++)
		if (s->pages[s->entries[i].page].kind == PMIG_RND_SHARED &&
		    s->entries[i].target >= 0)
			return true;
	return false;
}

/* Shrinks every generated scenario that @pred holds for; returns how many. */
static unsigned shrink_all(bool (*pred)(const struct pmig_rnd_scenario *,
					void *),
			   void (*check)(const struct pmig_rnd_scenario *))
{
	struct pmig_rnd_scenario s;
	unsigned found = 0;

	for (uint64_t id = 0; id < 400; id++) {
		pmig_rnd_generate(&s, 1, id, &three);
		if (!pred(&s, NULL))
			continue;
		found++;
		pmig_rnd_shrink(&s, &three, pred, NULL);
		assert_true(pred(&s, NULL));
		assert_int_equal(s.npages, 1);
		assert_int_equal(s.count, 1);
		assert_int_equal(s.entries[0].page, 0);
		check(&s);
	}
	return found;
}

static void check_shared(const struct pmig_rnd_scenario *s)
{
	/* A COW-shared THP became a 4 KiB shared page; nodes went lowest. */
	assert_int_equal(s->pages[0].kind, PMIG_RND_SHARED);
	assert_int_equal(s->pages[0].node, 1);
	assert_int_equal(s->entries[0].offset, 0);
	assert_true(s->entries[0].target == 1 ||
		    s->entries[0].target == three.offline);
}

static void test_shrink_to_one_entry(void **state)
{
	(void)state;
	assert_true(shrink_all(shared_moved, check_shared) > 5);
}

/* Diverges on a hugetlb tail address in a move (as 6.1 would against a 6.7+ model). */
static bool hugetlb_tail(const struct pmig_rnd_scenario *s, void *arg)
{
	(void)arg;
	if (s->call.op != PMIG_RND_OP_MOVE_PAGES || s->query)
		return false;
	for (size_t i = 0; i < s->count; i++)
		if (s->pages[s->entries[i].page].kind == PMIG_RND_HUGETLB &&
		    s->entries[i].offset >= 4096u && s->entries[i].target >= 0)
			return true;
	return false;
}

static void check_hugetlb_tail(const struct pmig_rnd_scenario *s)
{
	assert_int_equal(s->pages[0].kind, PMIG_RND_HUGETLB);
	assert_int_equal(s->pages[0].node, 1);
	/* An address inside a tail subpage became that subpage's start. */
	assert_int_equal(s->entries[0].offset % 4096u, 0);
	assert_true(s->entries[0].offset >= 4096u);
	assert_int_equal(s->flags, PMIG_MODEL_MF_MOVE);
}

static void test_shrink_keeps_tail(void **state)
{
	(void)state;
	assert_true(shrink_all(hugetlb_tail, check_hugetlb_tail) > 5);
}

/* Diverges whenever a page that has a node is moved elsewhere: any kind will do. */
static bool moved_away(const struct pmig_rnd_scenario *s, void *arg)
{
	(void)arg;
	if (s->call.op != PMIG_RND_OP_MOVE_PAGES || s->query)
		return false;
	for (size_t i = 0; i < s->count; i++) {
		const struct pmig_rnd_page *p = &s->pages[s->entries[i].page];

		if (pmig_rnd_written(p->kind) &&
		    p->node != s->entries[i].target &&
		    s->entries[i].target >= 1 && s->entries[i].target <= 3)
			return true;
	}
	return false;
}

static void check_moved_away(const struct pmig_rnd_scenario *s)
{
	/* Huge, shared, file, pinned, mlocked and swapped all end as anon; node or target went lowest. */
	assert_int_equal(s->pages[0].kind, PMIG_RND_ANON);
	assert_int_equal(s->entries[0].offset, 0);
	assert_true(s->pages[0].node == 1 || s->entries[0].target == 1);
	assert_int_not_equal(s->pages[0].node, s->entries[0].target);
}

static void test_shrink_kinds_and_nodes(void **state)
{
	(void)state;
	assert_true(shrink_all(moved_away, check_moved_away) > 50);
}

/* A huge kind shrunk to a 4 KiB one keeps its entries' offsets inside the 4 KiB page. */
static bool thp_or_anon(const struct pmig_rnd_scenario *s, void *arg)
{
	(void)arg;
	return s->count >= 2 && (s->pages[0].kind == PMIG_RND_THP ||
				 s->pages[0].kind == PMIG_RND_ANON);
}

static void test_shrink_huge_offsets(void **state)
{
	static const struct pmig_rnd_machine one = { .sizes = X86_SIZES,
						     .nodes = { 0 },
						     .nnodes = 1,
						     .offline = 1,
						     .thp = true };
	struct pmig_rnd_scenario s = {
		.sizes = X86_SIZES,
		.npages = 1,
		.pages = { { PMIG_RND_THP, 0 } },
		.count = 2,
		.entries = { { 0, 0x1ff123, 0 }, { 0, 0x10, 0 } },
		.flags = PMIG_MODEL_MF_MOVE,
	};

	(void)state;
	pmig_rnd_shrink(&s, &one, thp_or_anon, NULL);
	assert_int_equal(s.pages[0].kind, PMIG_RND_ANON);
	assert_int_equal(s.count, 2);
	for (size_t i = 0; i < s.count; i++)
		assert_int_equal(s.entries[i].offset, 0);
}

/* Writes @s's reproducer (model prediction for machine @m) into @dir/repro.c. */
static void write_reproducer(const struct pmig_rnd_scenario *s,
			     const struct pmig_rnd_machine *m, const char *dir)
{
	static struct pmig_rnd_model model;
	int want[PMIG_RND_MAX_ENTRIES], final[PMIG_RND_MODEL_ADDRS];
	char path[256];
	long ret;
	FILE *f;

	pmig_rnd_to_model(s, m, false, 0, NULL, 0, &model);
	for (size_t i = 0; i < PMIG_RND_MAX_ENTRIES; i++)
		want[i] = PMIG_MODEL_UNWRITTEN;
	if (s->call.op == PMIG_RND_OP_MOVE_PAGES)
		ret = pmig_model_move_pages(&model.sc, want, final);
	else
		ret = pmig_rnd_call_predict(
			&s->call, &model.sc,
			s->pages[s->call.first].kind == PMIG_RND_HOLE, final);
	/* The runner's convention: a kind without a page keeps its query status. */
	for (size_t p = 0; p < s->npages; p++)
		if (!pmig_rnd_resident(s->pages[p].kind))
			final[p] = -1;
	snprintf(path, sizeof(path), "%s/repro.c", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	pmig_rnd_reproducer(f, s, ret, want, final);
	assert_int_equal(fclose(f), 0);
}

/* Every 4 KiB kind a one-node machine without swap builds, on node 0, targets node 0 and an offline id: agrees with the model anywhere. */
static void test_reproducer_compiles_and_runs(void **state)
{
	static const struct pmig_rnd_machine m = { .sizes = X86_SIZES,
						   .nodes = { 0 },
						   .nnodes = 1,
						   .offline = 63,
						   .scratch = true };
	struct pmig_rnd_scenario s = {
		.sizes = X86_SIZES,
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
	struct pmig_rnd_scenario t = {
		.sizes = X86_SIZES,
		.seed = 7,
		.id = 10,
		.npages = 4,
		.pages = { { PMIG_RND_MLOCKED, 0 },
			   { PMIG_RND_MEMFD, 0 },
			   { PMIG_RND_FILE_CLEAN, 0 },
			   { PMIG_RND_FILE_DIRTY, 0 } },
		.count = 5,
		.entries = { { 0, 0, 0 },
			     { 1, 0x20, 0 },
			     { 2, 0, 0 },
			     { 3, 0xfff, 0 },
			     { 2, 0, 63 } },
		.flags = PMIG_MODEL_MF_MOVE,
	};
	const struct pmig_rnd_scenario *all[] = { &s, &t };
	char dir[] = "/tmp/pmig-repro-XXXXXX", cmd[768];

	(void)state;
	assert_non_null(mkdtemp(dir));
	for (size_t k = 0; k < 2; k++) {
		write_reproducer(all[k], &m, dir);
		/* The file kinds take their directory from the command line. */
		snprintf(
			cmd, sizeof(cmd),
			"cc -Wall -Werror -o %s/repro %s/repro.c && %s/repro %s > %s/out && "
			"grep -q 'kernel and model agree' %s/out && "
			"grep -q '^return *kernel -19' %s/out",
			dir, dir, dir, dir, dir, dir, dir);
		assert_int_equal(system(cmd), 0);
	}
	snprintf(cmd, sizeof(cmd), "rm -r %s", dir);
	assert_int_equal(system(cmd), 0);
}

/* Scenarios with every kind, tail addresses and MOVE_ALL compile (building them needs THP, hugetlb and swap). */
static void test_reproducer_all_kinds_compile(void **state)
{
	static const enum pmig_rnd_kind groups[2][PMIG_RND_MAX_PAGES] = {
		{ PMIG_RND_SHARED, PMIG_RND_PINNED, PMIG_RND_MLOCKED,
		  PMIG_RND_SWAPPED, PMIG_RND_MEMFD, PMIG_RND_FILE_CLEAN },
		{ PMIG_RND_FILE_DIRTY, PMIG_RND_THP, PMIG_RND_THP_SHARED,
		  PMIG_RND_HUGETLB, PMIG_RND_ZERO, PMIG_RND_HOLE },
	};
	static const char *const need[2] = { "active swap",
					     "2M hugetlb page(s) on node(s)" };
	struct pmig_rnd_scenario s = {
		.sizes = X86_SIZES,
		.seed = 1,
		.id = 2,
		.npages = PMIG_RND_MAX_PAGES,
		.count = PMIG_RND_MAX_ENTRIES,
		.flags = PMIG_MODEL_MF_MOVE_ALL,
	};
	char dir[64], cmd[512];

	(void)state;
	for (int g = 0; g < 2; g++) {
		for (size_t p = 0; p < s.npages; p++)
			s.pages[p] =
				(struct pmig_rnd_page){ groups[g][p],
							three.nodes[p % 3] };
		for (size_t i = 0; i < s.count; i++) {
			unsigned p = (unsigned)(i % s.npages);

			s.entries[i] = (struct pmig_rnd_entry){
				p,
				pmig_rnd_huge(s.pages[p].kind) ?
					(unsigned)(i * 0x1000 + i) :
					(unsigned)i,
				three.nodes[i % 3]
			};
		}
		snprintf(dir, sizeof(dir), "/tmp/pmig-repro-XXXXXX");
		assert_non_null(mkdtemp(dir));
		write_reproducer(&s, &three, dir);
		snprintf(
			cmd, sizeof(cmd),
			"grep -q '%s' %s/repro.c && "
			"cc -Wall -Wextra -Werror -o %s/repro %s/repro.c && rm -r %s",
			need[g], dir, dir, dir, dir);
		assert_int_equal(system(cmd), 0);
	}
}

/*
 * A scenario drawn with 16 KiB pages and 32 MiB huge pages: its addresses
 * are base pages and bytes into them, its hugetlb pool the 32 MiB one,
 * and the program still compiles (it reads this machine's sizes).
 */
static void test_reproducer_other_sizes(void **state)
{
	struct pmig_rnd_machine m = three;
	struct pmig_rnd_scenario s = {
		.sizes = { .base = 16384,
			   .thp = 32u << 20,
			   .hugetlb = 32u << 20 },
		.seed = 1,
		.id = 3,
		.npages = 2,
		.pages = { { PMIG_RND_THP, 1 }, { PMIG_RND_HUGETLB, 2 } },
		.count = 3,
		.entries = { { 0, 0x4010, 2 },
			     { 1, 0x1ffc000, 1 },
			     { 0, 0x7f, 3 } },
		.flags = PMIG_MODEL_MF_MOVE,
	};
	char dir[64], cmd[768];

	(void)state;
	m.sizes = s.sizes;
	snprintf(dir, sizeof(dir), "/tmp/pmig-repro-XXXXXX");
	assert_non_null(mkdtemp(dir));
	write_reproducer(&s, &m, dir);
	snprintf(
		cmd, sizeof(cmd),
		"grep -q 'sub\\[COUNT\\] = { 1, 2047, 0 }' %s/repro.c && "
		"grep -q 'byte\\[COUNT\\] = { 0x10, 0, 0x7f }' %s/repro.c && "
		"grep -q 'Drawn with 16K pages, THP 32M, hugetlb 32M' %s/repro.c && "
		"grep -q 'hugepages-32768kB/nr_hugepages' %s/repro.c && "
		"cc -Wall -Wextra -Werror -o %s/repro %s/repro.c && rm -r %s",
		dir, dir, dir, dir, dir, dir, dir);
	assert_int_equal(system(cmd), 0);
}

/* migrate_pages(2) diverging only when its new set holds node 3. */
static bool migrate_to_3(const struct pmig_rnd_scenario *s, void *arg)
{
	(void)arg;
	return s->call.op == PMIG_RND_OP_MIGRATE_PAGES &&
	       (s->call.new_nodes & (1u << 3));
}

/* mbind(2) diverging only on a hugetlb page. */
static bool mbind_hugetlb(const struct pmig_rnd_scenario *s, void *arg)
{
	(void)arg;
	return s->call.op == PMIG_RND_OP_MBIND &&
	       s->pages[s->call.first].kind == PMIG_RND_HUGETLB;
}

/* The calls shrink too: node sets to one node, mbind to its page, plain MOVE and BIND. */
static void test_shrink_calls(void **state)
{
	struct pmig_rnd_scenario s;
	unsigned migrates = 0, mbinds = 0;

	(void)state;
	for (uint64_t id = 0; id < 2000; id++) {
		pmig_rnd_generate(&s, 3, id, &three);
		if (migrate_to_3(&s, NULL)) {
			migrates++;
			pmig_rnd_shrink(&s, &three, migrate_to_3, NULL);
			assert_int_equal(s.call.new_nodes, 1u << 3);
			assert_int_equal(__builtin_popcountll(s.call.old_nodes),
					 1);
			assert_int_equal(s.npages, 1);
		} else if (mbind_hugetlb(&s, NULL)) {
			mbinds++;
			pmig_rnd_shrink(&s, &three, mbind_hugetlb, NULL);
			assert_int_equal(s.npages, 1);
			assert_int_equal(s.call.first, 0);
			assert_int_equal(s.pages[0].kind, PMIG_RND_HUGETLB);
			assert_int_equal(s.pages[0].node, 1);
			assert_true(s.call.flags == PMIG_MODEL_MF_MOVE ||
				    s.call.flags == PMIG_MODEL_MF_STRICT);
			assert_true(s.call.mode != PMIG_MODEL_MPOL_PREFERRED);
		}
	}
	assert_true(migrates > 10);
	assert_true(mbinds > 3);
}

/* migrate_pages(2) and mbind(2) reproducers on a one-node machine agree with the model. */
static void test_call_reproducers_run(void **state)
{
	static const struct pmig_rnd_machine m = { .sizes = X86_SIZES,
						   .nodes = { 0 },
						   .nnodes = 1,
						   .offline = 63,
						   .scratch = true };
	static const struct {
		struct pmig_rnd_call call;
		const char *ret;
	} calls[] = {
		{ { .op = PMIG_RND_OP_MIGRATE_PAGES,
		    .old_nodes = 1,
		    .new_nodes = 1 },
		  "0" },
		{ { .op = PMIG_RND_OP_MBIND,
		    .first = 4,
		    .npages = 1,
		    .mode = PMIG_MODEL_MPOL_DEFAULT },
		  "-14" },
		{ { .op = PMIG_RND_OP_MBIND,
		    .first = 2,
		    .npages = 1,
		    .mode = PMIG_MODEL_MPOL_BIND,
		    .nodes = 1,
		    .flags = PMIG_MODEL_MF_MOVE | PMIG_MODEL_MF_STRICT },
		  "0" },
	};
	struct pmig_rnd_scenario s = {
		.sizes = X86_SIZES,
		.seed = 7,
		.id = 11,
		.npages = 6,
		.pages = { { PMIG_RND_ANON, 0 },
			   { PMIG_RND_SHARED, 0 },
			   { PMIG_RND_PINNED, 0 },
			   { PMIG_RND_MEMFD, 0 },
			   { PMIG_RND_HOLE, 0 },
			   { PMIG_RND_FILE_DIRTY, 0 } },
		.count = 1,
		.entries = { { 0, 0, 0 } },
	};
	char dir[] = "/tmp/pmig-repro-XXXXXX", cmd[768];

	(void)state;
	assert_non_null(mkdtemp(dir));
	for (size_t k = 0; k < sizeof(calls) / sizeof(calls[0]); k++) {
		s.call = calls[k].call;
		write_reproducer(&s, &m, dir);
		snprintf(
			cmd, sizeof(cmd),
			"cc -Wall -Wextra -Werror -o %s/repro %s/repro.c && %s/repro %s > %s/out && "
			"grep -q 'kernel and model agree' %s/out && "
			"grep -q '^return *kernel %s ' %s/out",
			dir, dir, dir, dir, dir, dir, calls[k].ret, dir);
		assert_int_equal(system(cmd), 0);
	}
	snprintf(cmd, sizeof(cmd), "rm -r %s", dir);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shrink_to_one_entry),
		cmocka_unit_test(test_shrink_keeps_tail),
		cmocka_unit_test(test_shrink_kinds_and_nodes),
		cmocka_unit_test(test_shrink_huge_offsets),
		cmocka_unit_test(test_reproducer_compiles_and_runs),
		cmocka_unit_test(test_reproducer_all_kinds_compile),
		cmocka_unit_test(test_reproducer_other_sizes),
		cmocka_unit_test(test_shrink_calls),
		cmocka_unit_test(test_call_reproducers_run),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
