/* test_random.c - the random scenario generator: deterministic per (seed, id), varied across ids and kinds, only available kinds, valid model input. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "random.h"

/* x86-64's page sizes; the other machines' are tested where they differ. */
#define X86_SIZES                                                  \
	{                                                          \
		.base = 4096, .thp = 2u << 20, .hugetlb = 2u << 20 \
	}

/* Three memory nodes, every kind available. */
static const struct pmig_rnd_machine three = {
	.sizes = X86_SIZES,
	.nodes = { 0, 1, 2 },
	.nnodes = 3,
	.offline = 3,
	.thp = true,
	.hugetlb = true,
	.swap = true,
	.scratch = true,
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
	unsigned tail = 0, head_inside = 0, folio_dup = 0, huge_mixed = 0;
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
		huge_mixed +=
			(seen &
			 (1u << PMIG_RND_THP | 1u << PMIG_RND_HUGETLB)) &&
			(seen & (1u << PMIG_RND_ANON | 1u << PMIG_RND_MEMFD |
				 1u << PMIG_RND_FILE_DIRTY));
		for (size_t i = 0; i < s.count; i++) {
			const struct pmig_rnd_entry *e = &s.entries[i];
			bool huge = pmig_rnd_huge(s.pages[e->page].kind);

			assert_true(e->page < s.npages);
			assert_true(e->offset < (huge ? (2u << 20) : 4096u));
			unaligned += e->offset % 4096u != 0;
			tail += e->offset >= 4096u;
			head_inside += huge && e->offset && e->offset < 4096u;
			bad_node += e->target == -1;
			offline += e->target == 3;
			if (e->target >= 0 && e->target < 3)
				target[e->target]++;
			for (size_t j = 0; j < i; j++) {
				dup += s.entries[j].page == e->page;
				/* Another address of the same huge folio. */
				folio_dup += huge &&
					     s.entries[j].page == e->page &&
					     s.entries[j].offset != e->offset;
			}
		}
		query += s.query;
		move_all += !s.query && s.flags == PMIG_MODEL_MF_MOVE_ALL;
	}
	for (int k = 0; k < PMIG_RND_NKINDS; k++)
		assert_true(kinds[k] > 50);
	for (int n = 0; n < 3; n++)
		assert_true(target[n] > 100);
	assert_true(per_call_mixed > 200 && huge_mixed > 100);
	assert_true(unaligned > 100 && dup > 100);
	assert_true(tail > 100 && head_inside > 30 && folio_dup > 50);
	assert_true(bad_node > 20 && offline > 20);
	assert_true(query > 100 && move_all > 50);
	assert_int_equal(maxcount, PMIG_RND_MAX_ENTRIES);
}

/*
 * On arm64 with 16 KiB pages (32 MiB THP and hugetlb) and ppc64le with
 * 64 KiB pages (2 MiB): offsets stay inside their page and reach its last
 * subpage, and the model's folios are as many base pages as the machine's.
 */
static void test_other_page_sizes(void **state)
{
	static const struct pmig_page_sizes sizes[] = {
		{ .base = 16384, .thp = 32u << 20, .hugetlb = 32u << 20 },
		{ .base = 65536, .thp = 2u << 20, .hugetlb = 2u << 20 },
	};
	static struct pmig_rnd_model model;

	(void)state;
	for (size_t g = 0; g < 2; g++) {
		struct pmig_rnd_machine m = three;
		struct pmig_rnd_scenario s;
		unsigned long pages = sizes[g].thp / sizes[g].base;
		unsigned unaligned = 0, far_tail = 0;

		m.sizes = sizes[g];
		for (uint64_t id = 0; id < 1000; id++) {
			pmig_rnd_generate(&s, 7, id, &m);
			assert_int_equal(s.sizes.base, sizes[g].base);
			for (size_t i = 0; i < s.count; i++) {
				const struct pmig_rnd_entry *e = &s.entries[i];
				enum pmig_rnd_kind k = s.pages[e->page].kind;

				assert_true(e->offset < pmig_rnd_region(&s, k));
				unaligned += e->offset % sizes[g].base != 0;
				far_tail +=
					pmig_rnd_huge(k) &&
					e->offset / sizes[g].base > pages / 2;
			}
			pmig_rnd_to_model(&s, &m, true, PMIG_KV(6, 12, 0), NULL,
					  0, &model);
			assert_int_equal(model.sc.geometry.page_size,
					 sizes[g].base);
			assert_int_equal(model.sc.geometry.thp_pages, pages);
			for (size_t p = 0; p < s.npages; p++)
				if (pmig_rnd_huge(s.pages[p].kind))
					assert_int_equal(
						model.pages[p].nr_pages, pages);
		}
		assert_true(unaligned > 100 && far_tail > 50);
	}
}

/* A kind the machine cannot build is never drawn; the others still are. */
static void test_availability(void **state)
{
	struct pmig_rnd_machine m = three;
	struct pmig_rnd_scenario s;

	(void)state;
	for (int without = 0; without < 5; without++) {
		unsigned kinds[PMIG_RND_NKINDS] = { 0 };

		m = three;
		m.thp = without != 0 && without != 4;
		m.hugetlb = without != 1 && without != 4;
		m.swap = without != 2 && without != 4;
		m.scratch = without != 3 && without != 4;
		for (uint64_t id = 0; id < 1000; id++) {
			pmig_rnd_generate(&s, 5, id, &m);
			for (size_t p = 0; p < s.npages; p++)
				kinds[s.pages[p].kind]++;
		}
		for (int k = 0; k < PMIG_RND_NKINDS; k++) {
			bool can = pmig_rnd_kind_available(
				&m, (enum pmig_rnd_kind)k);

			if (can)
				assert_true(kinds[k] > 50);
			else
				assert_int_equal(kinds[k], 0);
		}
	}
	assert_false(pmig_rnd_kind_available(&m, PMIG_RND_THP));
	assert_false(pmig_rnd_kind_available(&m, PMIG_RND_THP_SHARED));
	assert_false(pmig_rnd_kind_available(&m, PMIG_RND_HUGETLB));
	assert_false(pmig_rnd_kind_available(&m, PMIG_RND_SWAPPED));
	assert_false(pmig_rnd_kind_available(&m, PMIG_RND_FILE_CLEAN));
	assert_false(pmig_rnd_kind_available(&m, PMIG_RND_FILE_DIRTY));
	assert_true(pmig_rnd_kind_available(&m, PMIG_RND_MEMFD));
	assert_true(pmig_rnd_kind_available(&m, PMIG_RND_MLOCKED));
}

/* The model takes every scenario (it aborts on a malformed one). */
static void test_model_accepts(void **state)
{
	static struct pmig_rnd_model m;
	struct pmig_rnd_scenario s;
	int status[PMIG_RND_MAX_ENTRIES], final[PMIG_RND_MODEL_ADDRS];

	(void)state;
	for (uint64_t id = 0; id < 1000; id++) {
		pmig_rnd_generate(&s, 3, id, &three);
		pmig_rnd_to_model(&s, &three, true, PMIG_KV(6, 1, 0), NULL, 0,
				  &m);
		assert_int_equal(m.sc.nnodes, 3);
		pmig_model_move_pages(&m.sc, status, final);
	}
}

/* Every kind as the model sees it; tail addresses of a huge page get model addresses of their own. */
static void test_model_kinds(void **state)
{
	static const struct {
		enum pmig_rnd_kind kind;
		enum pmig_model_kind model;
		bool shared, unmovable, huge;
	} want[PMIG_RND_NKINDS] = {
		{ PMIG_RND_ANON, PMIG_MODEL_ANON, false, false, false },
		{ PMIG_RND_NEVER_TOUCHED, PMIG_MODEL_NEVER_TOUCHED, false,
		  false, false },
		{ PMIG_RND_ZERO, PMIG_MODEL_ZERO, false, false, false },
		{ PMIG_RND_HOLE, PMIG_MODEL_HOLE, false, false, false },
		{ PMIG_RND_SHARED, PMIG_MODEL_ANON, true, false, false },
		{ PMIG_RND_PINNED, PMIG_MODEL_ANON, false, true, false },
		{ PMIG_RND_MLOCKED, PMIG_MODEL_ANON, false, false, false },
		{ PMIG_RND_SWAPPED, PMIG_MODEL_SWAPPED, false, false, false },
		{ PMIG_RND_MEMFD, PMIG_MODEL_FILE, false, false, false },
		{ PMIG_RND_FILE_CLEAN, PMIG_MODEL_FILE, false, false, false },
		{ PMIG_RND_FILE_DIRTY, PMIG_MODEL_FILE, false, false, false },
		{ PMIG_RND_THP, PMIG_MODEL_THP, false, false, true },
		{ PMIG_RND_THP_SHARED, PMIG_MODEL_THP, true, false, true },
		{ PMIG_RND_HUGETLB, PMIG_MODEL_HUGETLB, false, false, true },
	};
	static struct pmig_rnd_model m;

	(void)state;
	for (int k = 0; k < PMIG_RND_NKINDS; k++) {
		/* Head, inside the head, a tail subpage, inside a tail. */
		struct pmig_rnd_scenario s = {
			.sizes = X86_SIZES,
			.npages = 1,
			.pages = { { want[k].kind, 2 } },
			.count = want[k].huge ? 4 : 2,
			.entries = { { 0, 0, 1 },
				     { 0, 0x10, 1 },
				     { 0, 0x1ff000, 1 },
				     { 0, 0x3000 + 0x7f, 1 } },
			.flags = PMIG_MODEL_MF_MOVE,
		};
		const struct pmig_model_page *pg = &m.pages[0];

		assert_int_equal(want[k].kind, k);
		pmig_rnd_to_model(&s, &three, true, PMIG_KV(6, 12, 0), NULL, 0,
				  &m);
		assert_int_equal(pg->kind, want[k].model);
		assert_int_equal(pg->shared, want[k].shared);
		assert_int_equal(pg->unmovable, want[k].unmovable);
		assert_false(pg->tail);
		if (pmig_rnd_written(want[k].kind))
			assert_int_equal(pg->node, 2);
		/* Offsets inside the first 4 KiB are the page itself. */
		assert_int_equal(m.entries[0].page, 0);
		assert_int_equal(m.entries[1].page, 0);
		if (!want[k].huge) {
			assert_int_equal(m.sc.npages, 1);
			assert_int_equal(pg->folio, 0);
			assert_true(pg->nr_pages <= 1);
			continue;
		}
		assert_int_equal(pg->nr_pages, 512);
		assert_int_not_equal(pg->folio, 0);
		assert_int_equal(m.sc.npages, 3);
		for (size_t i = 2; i < 4; i++) {
			const struct pmig_model_page *t =
				&m.pages[m.entries[i].page];

			assert_int_equal(m.entries[i].page, i - 1);
			assert_true(t->tail);
			assert_int_equal(t->folio, pg->folio);
			assert_int_equal(t->kind, pg->kind);
			assert_int_equal(t->node, pg->node);
			assert_int_equal(t->shared, pg->shared);
			assert_int_equal(t->nr_pages, 512);
		}
	}
}

/* Through the model: a tail address moves the whole THP; a second address of one folio is -EBUSY. */
static void test_model_huge_folio(void **state)
{
	static struct pmig_rnd_model m;
	struct pmig_rnd_scenario s = {
		.sizes = X86_SIZES,
		.npages = 2,
		.pages = { { PMIG_RND_THP, 0 }, { PMIG_RND_HUGETLB, 0 } },
		.count = 4,
		.entries = { { 0, 0x5000, 1 },
			     { 0, 0x10, 1 },
			     { 1, 0x1000, 2 },
			     { 1, 0, 2 } },
		.flags = PMIG_MODEL_MF_MOVE,
	};
	int status[PMIG_RND_MAX_ENTRIES], final[PMIG_RND_MODEL_ADDRS];

	(void)state;
	pmig_rnd_to_model(&s, &three, true, PMIG_KV(6, 12, 0), NULL, 0, &m);
	assert_int_equal(pmig_model_move_pages(&m.sc, status, final), 0);
	assert_int_equal(status[0], 1);
	assert_int_equal(status[1], -EBUSY);
	assert_int_equal(status[2], 2);
	assert_int_equal(status[3], -EBUSY);
	assert_int_equal(final[0], 1);
	assert_int_equal(final[1], 2);
}

static void test_format(void **state)
{
	struct pmig_rnd_scenario s = {
		.sizes = X86_SIZES,
		.npages = 3,
		.pages = { { PMIG_RND_SHARED, 1 },
			   { PMIG_RND_HOLE, 0 },
			   { PMIG_RND_HUGETLB, 2 } },
		.count = 3,
		.entries = { { 0, 0x10, 2 }, { 1, 0, -1 }, { 2, 0x1ff000, 0 } },
		.flags = PMIG_MODEL_MF_MOVE_ALL,
	};
	struct pmig_rnd_machine m = three;
	char t[256];

	(void)state;
	pmig_rnd_format(&s, t, sizeof(t));
	assert_string_equal(
		t,
		"MOVE_ALL p0=shared@1 p1=hole p2=hugetlb@2 | p0+0x10->2 p1->-1 p2+0x1ff000->0");
	pmig_rnd_format_machine(&m, t, sizeof(t));
	assert_string_equal(t, "thp hugetlb swap scratch");
	m.thp = m.swap = false;
	pmig_rnd_format_machine(&m, t, sizeof(t));
	assert_string_equal(t, "hugetlb scratch");
	m.hugetlb = m.scratch = false;
	pmig_rnd_format_machine(&m, t, sizeof(t));
	assert_string_equal(t, "-");
}

/* The calls: each drawn, with well-formed arguments the models accept. */
static void test_calls(void **state)
{
	unsigned ops[3] = { 0 }, deflt = 0, strict = 0, move_all = 0;
	struct pmig_rnd_scenario s;
	static struct pmig_rnd_model model;
	int final[PMIG_RND_MODEL_ADDRS];
	char text[1024];

	(void)state;
	for (uint64_t id = 0; id < 1000; id++) {
		pmig_rnd_generate(&s, 5, id, &three);
		ops[s.call.op]++;
		pmig_rnd_format(&s, text, sizeof(text));
		if (s.call.op == PMIG_RND_OP_MOVE_PAGES)
			continue;
		assert_non_null(strstr(text, s.call.op == PMIG_RND_OP_MBIND ?
						     "| mbind p" :
						     "| migrate_pages {"));
		if (s.call.op == PMIG_RND_OP_MIGRATE_PAGES) {
			assert_true(s.call.old_nodes && s.call.new_nodes);
		} else {
			assert_true(s.call.first < s.npages);
			assert_int_equal(s.call.npages, 1);
			/* MPOL_DEFAULT moves by the CPU: only with STRICT alone. */
			if (s.call.mode == PMIG_MODEL_MPOL_DEFAULT) {
				deflt++;
				assert_int_equal(s.call.flags,
						 PMIG_MODEL_MF_STRICT);
				assert_int_equal(s.call.nodes, 0);
			} else {
				assert_int_equal(
					__builtin_popcountll(s.call.nodes), 1);
			}
			strict += !!(s.call.flags & PMIG_MODEL_MF_STRICT);
			move_all += !!(s.call.flags & PMIG_MODEL_MF_MOVE_ALL);
		}
		pmig_rnd_to_model(&s, &three, true, PMIG_KV(6, 1, 0), NULL, 0,
				  &model);
		(void)pmig_rnd_call_predict(
			&s.call, &model.sc,
			s.pages[s.call.first].kind == PMIG_RND_HOLE, final);
	}
	assert_true(ops[PMIG_RND_OP_MOVE_PAGES] > 500);
	assert_true(ops[PMIG_RND_OP_MIGRATE_PAGES] > 100);
	assert_true(ops[PMIG_RND_OP_MBIND] > 100);
	assert_true(deflt > 5 && strict > 20 && move_all > 10);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_seed_same_scenario),
		cmocka_unit_test(test_ids_and_seeds_differ),
		cmocka_unit_test(test_varied),
		cmocka_unit_test(test_availability),
		cmocka_unit_test(test_other_page_sizes),
		cmocka_unit_test(test_model_accepts),
		cmocka_unit_test(test_model_kinds),
		cmocka_unit_test(test_model_huge_folio),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_calls),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
