/* gb.h - the boundary between the C shim and Google Benchmark: implemented by gbench_adapter.cc (the only C++ file), or by a fake in unit tests. */
#ifndef PMIG_GB_H
#define PMIG_GB_H

#include <stdbool.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Called by the shim (shim.c); @gs is the Google Benchmark State. */
bool pmig_gb_keep_running(void *gs);
void pmig_gb_set_iteration_time(void *gs, double seconds);
void pmig_gb_set_counter(void *gs, const char *name, double value,
			 unsigned flags);
void pmig_gb_set_label(void *gs, const char *label);
void pmig_gb_skip_with_error(void *gs, const char *message);
long pmig_gb_iterations(void *gs);
/** Registers benchmark index @bench as @name with manual time and @iterations; 0 or -errno. */
int pmig_gb_register(const char *name, int bench, long iterations);

/* Called by the program. */
/** Google Benchmark's Initialize: takes the flags it knows out of argv; -EINVAL (after one stderr line) when others remain. */
int pmig_gb_init(int *argc, char **argv);
/** A key of the JSON "context" object (call before pmig_gb_run). */
void pmig_gb_add_context(const char *key, const char *value);
/** Runs the benchmarks the flags select; returns how many ran. */
long pmig_gb_run(void);

/* Implemented by the shim, called by the adapter for each run. */
void pmig_bench_run_one(int bench, void *gs);

#ifdef __cplusplus
}
#endif

#endif
