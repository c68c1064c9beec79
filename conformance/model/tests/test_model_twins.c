/* test_model_twins.c - unit tests of the move_pages(2) model on the rows that give a count, permission or cpuset behaviour its second case (another page kind, the move path, a later entry). */
#include "model_world.h"

/* Builders, one per row (named after the row's last part). */

/* 3 THPs, one entry each for O; THP 1 has an extra reference. */
static void b_pinned_thp(struct world *w)
{
	world_init(w, 3);
	three_thps_middle_pinned(w->pages, H);
}

/* Entries THP 0 -> O (pinned), THP 1 -> H, THP 2 -> O: three batches. */
static void b_not_attempted_thp(struct world *w)
{
	b_pinned_thp(w);
	w->pages[0].unmovable = true;
	w->pages[1].unmovable = false;
	w->entries[1].target = H;
}

/* Root moves to O a page of another user's process, lacking @cap. */
static void b_other_move(struct world *w, bool nice, bool ptrace)
{
	world_init(w, 1);
	w->sc.pid = PMIG_MODEL_PID_PROCESS;
	w->sc.same_uid = false;
	w->sc.cap_sys_nice = nice;
	w->sc.cap_sys_ptrace = ptrace;
}
static void b_other_nice_move(struct world *w)
{
	b_other_move(w, true, false);
}
static void b_other_ptrace_move(struct world *w)
{
	b_other_move(w, false, true);
}

/* pid 0 confined to H: entry 0 for H (allowed), entry 1 for O. */
static void b_own_cpuset_later(struct world *w)
{
	world_init(w, 2);
	w->nodes[O].in_target_cpuset = w->nodes[O].in_caller_cpuset = false;
	w->entries[0].target = H;
}

/* Further checks. */
static void a_pinned_thp(const struct world *w)
{
	for (size_t i = 0; i < 3; i++)
		assert_int_equal(w->status[i], PMIG_MODEL_UNWRITTEN);
	assert_int_equal(w->final[0], O);
	assert_int_equal(w->final[1], H);
	assert_int_equal(w->final[2], O);
}
static void a_none_moved(const struct world *w)
{
	for (size_t i = 0; i < 3; i++) {
		assert_int_equal(w->status[i], PMIG_MODEL_UNWRITTEN);
		assert_int_equal(w->final[i], H);
	}
}
static void a_stays(const struct world *w)
{
	assert_int_equal(w->status[0], PMIG_MODEL_UNWRITTEN);
	assert_int_equal(w->final[0], H);
}
/* Entry 0 is stored (its page is on its node), entry 1 refused. */
static void a_later_refused(const struct world *w)
{
	assert_int_equal(w->status[0], H);
	assert_int_equal(w->status[1], PMIG_MODEL_UNWRITTEN);
	assert_int_equal(w->final[0], H);
	assert_int_equal(w->final[1], H);
}

static const struct row_case rows[] = {
#define ROW(id, build, what, index, node, also) \
	{ id, build, what, index, node, also },
#include "test_model_twins.def"
#undef ROW
};

int main(void)
{
	static struct CMUnitTest tests[ARRAY_SIZE(rows)];

	return _cmocka_run_group_tests("model_twins", tests,
				       row_tests(rows, ARRAY_SIZE(rows), tests),
				       NULL, NULL);
}
