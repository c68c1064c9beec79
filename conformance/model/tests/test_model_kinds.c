/* test_model_kinds.c - unit tests of the move_pages(2) model on every page kind: one per kind.* spec row. */
#include "model_world.h"

/* Builders, one per row (named after the row's last part). */
static void q_thp(struct world *w)
{
	huge(w, PMIG_MODEL_THP, 512);
	w->sc.query = true;
}

static void m_thp_head(struct world *w)
{
	huge(w, PMIG_MODEL_THP, 512);
	w->sc.count = 1;
}

static void m_thp_tail(struct world *w)
{
	m_thp_head(w);
	w->entries[0].page = 256;
}

static void m_thp_all(struct world *w)
{
	huge(w, PMIG_MODEL_THP, 512);
}

static void q_htlb(struct world *w)
{
	huge(w, PMIG_MODEL_HUGETLB, 512);
	w->sc.query = true;
}

static void m_htlb_head(struct world *w)
{
	huge(w, PMIG_MODEL_HUGETLB, 512);
	w->sc.count = 1;
}

static void m_htlb_tail(struct world *w)
{
	m_htlb_head(w);
	w->entries[0].page = 256;
}

static void m_htlb_all(struct world *w)
{
	huge(w, PMIG_MODEL_HUGETLB, 512);
}

static void q_huge_zero(struct world *w)
{
	one(w, PMIG_MODEL_HUGE_ZERO, true);
}

static void m_huge_zero(struct world *w)
{
	one(w, PMIG_MODEL_HUGE_ZERO, false);
}

static void q_file(struct world *w)
{
	world_init(w, 4);
	for (size_t i = 0; i < 4; i++)
		w->pages[i].kind = PMIG_MODEL_FILE;
	w->sc.query = true;
}

static void m_file(struct world *w)
{
	q_file(w);
	w->sc.query = false;
}

static void m_file_shared(struct world *w)
{
	m_file(w);
	w->pages[0].shared = true;
}

static void m_file_shared_all(struct world *w)
{
	m_file_shared(w);
	w->sc.flags = PMIG_MODEL_MF_MOVE_ALL;
	w->sc.cap_sys_nice = true;
}

static void q_shared(struct world *w)
{
	m_shared(w);
	w->sc.query = true;
}

/* A KSM page: two addresses, one merged folio, so mapped twice. */
static void q_ksm(struct world *w)
{
	world_init(w, 2);
	for (size_t i = 0; i < 2; i++) {
		w->pages[i].folio = 7;
		w->pages[i].shared = true;
	}
	w->sc.query = true;
}

static void m_ksm(struct world *w)
{
	q_ksm(w);
	w->sc.query = false;
	w->sc.count = 1;
}

static void m_ksm_all(struct world *w)
{
	m_ksm(w);
	w->sc.flags = PMIG_MODEL_MF_MOVE_ALL;
	w->sc.cap_sys_nice = true;
}

static void q_swapped(struct world *w)
{
	one(w, PMIG_MODEL_SWAPPED, true);
}

static void m_swapped(struct world *w)
{
	one(w, PMIG_MODEL_SWAPPED, false);
}

/* A page's start and an address inside it: one folio. */
static void m_unaligned_same(struct world *w)
{
	world_init(w, 2);
	w->pages[0].folio = w->pages[1].folio = 3;
	w->pages[1].tail = true;
}

static void a_whole_folio_o(const struct world *w)
{
	for (size_t i = 0; i < w->sc.npages; i++)
		assert_int_equal(w->final[i], O);
}

static void a_subpages(const struct world *w)
{
	/* Entry 1 flushed the batch, so entries 2.. find the folio there. */
	assert_int_equal(w->status[0], O);
	for (size_t i = 2; i < 512; i++)
		assert_int_equal(w->status[i], O);
	a_whole_folio_o(w);
}

static void a_ksm_both(const struct world *w)
{
	assert_int_equal(w->final[0], O);
	assert_int_equal(w->final[1], O);
}

static const struct row_case rows[] = {
	{ MP "kind.thp_status_subpages", q_thp, STATUS, 511, H, a_all_h },
	{ MP "kind.thp_moved_whole", m_thp_head, STATUS, 0, O,
	  a_whole_folio_o },
	{ MP "kind.thp_tail_address_moved", m_thp_tail, STATUS, 0, O,
	  a_whole_folio_o },
	{ MP "kind.thp_subpages_ebusy_second", m_thp_all, STATUS, 1, 0,
	  a_subpages },
	{ MP "kind.hugetlb_status_subpages", q_htlb, STATUS, 511, H, a_all_h },
	{ MP "kind.hugetlb_moved", m_htlb_head, STATUS, 0, O, a_whole_folio_o },
	{ MP "kind.hugetlb_tail_address_moved", m_htlb_tail, STATUS, 0, O,
	  NULL },
	{ MP "kind.hugetlb_subpages_ebusy_second", m_htlb_all, STATUS, 1, 0,
	  a_subpages },
	{ MP "kind.huge_zero_page_status", q_huge_zero, STATUS, 0, 0, NULL },
	{ MP "kind.huge_zero_page_move", m_huge_zero, STATUS, 0, 0, NULL },
	{ MP "kind.memfd_status", q_file, STATUS, 3, H, NULL },
	{ MP "kind.memfd_moved", m_file, STATUS, 3, O, a_all_moved },
	{ MP "kind.memfd_shared_eacces_without_move_all", m_file_shared, STATUS,
	  0, 0, NULL },
	{ MP "kind.memfd_shared_moved_with_move_all", m_file_shared_all, STATUS,
	  0, O, a_all_moved },
	{ MP "kind.anon_cow_status", q_shared, STATUS, 0, H, NULL },
	{ MP "kind.anon_cow_eacces_without_move_all", m_shared, STATUS, 0, 0,
	  NULL },
	{ MP "kind.anon_cow_moved_with_move_all", m_shared_all, STATUS, 0, O,
	  NULL },
	{ MP "kind.file_clean_status", q_file, STATUS, 0, H, NULL },
	{ MP "kind.file_clean_moved", m_file, STATUS, 0, O, a_all_moved },
	{ MP "kind.file_dirty_status", q_file, STATUS, 0, H, NULL },
	{ MP "kind.file_dirty_moved", m_file, STATUS, 0, O, a_all_moved },
	{ MP "kind.ksm_status", q_ksm, STATUS, 1, H, NULL },
	{ MP "kind.ksm_eacces_without_move_all", m_ksm, STATUS, 0, 0, NULL },
	{ MP "kind.ksm_moved_with_move_all", m_ksm_all, STATUS, 0, O,
	  a_ksm_both },
	{ MP "kind.swapped_status_enoent", q_swapped, STATUS, 0, 0, NULL },
	{ MP "kind.swapped_move_enoent", m_swapped, STATUS, 0, 0, NULL },
	{ MP "kind.mlocked_status", q_four, STATUS, 0, H, NULL },
	{ MP "kind.mlocked_moved", m_four, STATUS, 0, O, a_all_moved },
	{ MP "kind.anon_unaligned_status", q_four, STATUS, 2, H, NULL },
	{ MP "kind.anon_unaligned_moved", m_four, STATUS, 2, O, a_all_moved },
	{ MP "kind.anon_unaligned_same_page_ebusy", m_unaligned_same, STATUS, 1,
	  0, NULL },
};

int main(void)
{
	static struct CMUnitTest tests[ARRAY_SIZE(rows)];

	for (size_t i = 0; i < ARRAY_SIZE(rows); i++)
		tests[i] = (struct CMUnitTest){
			.name = rows[i].id,
			.test_func = test_row,
			.initial_state = (void *)&rows[i],
		};
	return _cmocka_run_group_tests("model_kinds", tests, ARRAY_SIZE(rows),
				       NULL, NULL);
}
