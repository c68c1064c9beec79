/* test_model_kinds.c - unit tests of the move_pages(2) model on every page kind: one per kind.* spec row. */
#include "model_world.h"

/* Builders, one per row (named after the row's last part). */
static void q_thp(struct world *w)
{
	huge(w, PMIG_MODEL_THP, ALL);
	w->sc.query = true;
}

static void m_thp_head(struct world *w)
{
	huge(w, PMIG_MODEL_THP, ALL);
	w->sc.count = 1;
}

/* The same THP to the memory node without CPUs (node 2). */
static void m_thp_cpuless(struct world *w)
{
	m_thp_head(w);
	w->sc.nnodes = 3;
	w->entries[0].target = 2;
}

static void m_thp_tail(struct world *w)
{
	m_thp_head(w);
	w->entries[0].page = w->sc.npages / 2;
}

static void m_thp_all(struct world *w)
{
	huge(w, PMIG_MODEL_THP, ALL);
}

/*
 * Multi-size THP: MTHP_FOLIOS folios of MTHP_PAGES base pages each (64 kB
 * of 4 KiB pages, order 4), every address targeting O. The folio's order
 * is data of the page (nr_pages), not the geometry's PMD size.
 */
enum { MTHP_PAGES = 16, MTHP_FOLIOS = 2 };

static void m_mthp_all(struct world *w)
{
	world_init(w, MTHP_PAGES * MTHP_FOLIOS);
	for (size_t i = 0; i < w->sc.npages; i++)
		w->pages[i] = (struct pmig_model_page){
			.kind = PMIG_MODEL_THP,
			.node = H,
			.folio = 1 + i / MTHP_PAGES,
			.nr_pages = MTHP_PAGES,
			.tail = i % MTHP_PAGES > 0,
		};
}

/* One address per folio, half the folio plus one base page in. */
static void m_mthp_tail(struct world *w)
{
	m_mthp_all(w);
	w->sc.count = MTHP_FOLIOS;
	for (size_t k = 0; k < MTHP_FOLIOS; k++)
		w->entries[k] = (struct pmig_model_entry){
			.page = k * MTHP_PAGES + MTHP_PAGES / 2 + 1, .target = O
		};
}

static void q_htlb(struct world *w)
{
	huge(w, PMIG_MODEL_HUGETLB, ALL);
	w->sc.query = true;
}

static void m_htlb_head(struct world *w)
{
	huge(w, PMIG_MODEL_HUGETLB, ALL);
	w->sc.count = 1;
}

static void m_htlb_tail(struct world *w)
{
	m_htlb_head(w);
	w->entries[0].page = w->sc.npages / 2;
}

static void m_htlb_all(struct world *w)
{
	huge(w, PMIG_MODEL_HUGETLB, ALL);
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

static void a_whole_folio_cpuless(const struct world *w)
{
	for (size_t i = 0; i < w->sc.npages; i++)
		assert_int_equal(w->final[i], 2);
}

static void a_subpages(const struct world *w)
{
	/* Entry 1 flushed the batch, so entries 2.. find the folio there. */
	assert_int_equal(w->status[0], O);
	for (size_t i = 2; i < w->sc.count; i++)
		assert_int_equal(w->status[i], O);
	a_whole_folio_o(w);
}

/* Each folio's second address finds it queued and flushes the batch; the others say O. */
static void a_mthp_subpages(const struct world *w)
{
	for (size_t i = 0; i < w->sc.count; i++)
		assert_int_equal(w->status[i],
				 i % MTHP_PAGES == 1 ? -EBUSY : O);
	a_whole_folio_o(w);
}

static void a_ksm_both(const struct world *w)
{
	assert_int_equal(w->final[0], O);
	assert_int_equal(w->final[1], O);
}

static const struct row_case rows[] = {
#define ROW(id, build, what, index, node, also) \
	{ id, build, what, index, node, also },
#include "test_model_kinds.def"
#undef ROW
};

int main(void)
{
	static struct CMUnitTest tests[ARRAY_SIZE(rows)];

	return _cmocka_run_group_tests("model_kinds", tests,
				       row_tests(rows, ARRAY_SIZE(rows), tests),
				       NULL, NULL);
}
