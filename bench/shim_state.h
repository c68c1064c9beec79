/* shim_state.h - the shim's per-run state, shared by shim.c and the timing process's transport (timer.c) only. */
#ifndef PMIG_BENCH_SHIM_STATE_H
#define PMIG_BENCH_SHIM_STATE_H

#include <stdbool.h>
#include <stdint.h>

#include "shim.h"

struct pmig_bench_state {
	void *gs;
	struct pmig_bench_run *run;
	long iter; /* current iteration, -1 before the first */
	bool in_iter;
	uint64_t iter_ns; /* the current iteration's samples, summed */
	uint64_t bytes, items; /* per iteration */
	bool failed;
	bool done; /* the loop ran to its end */
	struct pmig_timer_link
		*link; /* in a timing process: the way to the parent */
};

/* In a timing process (timer.c): the shim call carried to the parent instead of made here. */
bool pmig_timer_next(struct pmig_bench_state *st);
void pmig_timer_sample(struct pmig_bench_state *st, uint64_t ns);
void pmig_timer_set_work(struct pmig_bench_state *st, uint64_t bytes,
			 uint64_t items);
void pmig_timer_counter(struct pmig_bench_state *st, const char *name,
			double value, enum pmig_counter_flags flags);
void pmig_timer_note(struct pmig_bench_state *st, const char *key,
		     const char *text, double num);
void pmig_timer_series_add(struct pmig_bench_state *st, const char *name,
			   double value);
void pmig_timer_end(struct pmig_bench_state *st, enum pmig_run_status status,
		    const char *msg);

#endif
