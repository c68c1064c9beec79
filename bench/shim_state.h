/* shim_state.h - the shim's per-run state and its two backends: the run kept here (shim.c) or carried to the parent from a timing process (timer_link.c). */
#ifndef PMIG_BENCH_SHIM_STATE_H
#define PMIG_BENCH_SHIM_STATE_H

#include <stdbool.h>
#include <stdint.h>

#include "shim.h"

struct pmig_bench_state;

/*
 * What a benchmark's shim calls do with their (checked) arguments. The API
 * (shim_api.c) knows no backend, so a timing program links the link backend
 * alone, without Google Benchmark behind it.
 */
struct pmig_bench_ops {
	bool (*next)(struct pmig_bench_state *st);
	void (*sample)(struct pmig_bench_state *st, uint64_t ns);
	void (*set_work)(struct pmig_bench_state *st, uint64_t bytes,
			 uint64_t items);
	int (*counter)(struct pmig_bench_state *st, const char *name,
		       double value, enum pmig_counter_flags flags);
	/* A text note when @text is not NULL, else the number @num. */
	int (*note)(struct pmig_bench_state *st, const char *key,
		    const char *text, double num);
	int (*series_add)(struct pmig_bench_state *st, const char *name,
			  double value);
	/* The run's end with its reason (@status FAILED or UNAVAILABLE). */
	void (*end)(struct pmig_bench_state *st, enum pmig_run_status status,
		    const char *msg);
};

struct pmig_bench_state {
	const struct pmig_bench_ops *ops;
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

#endif
