/* run.h - the benchmark body, and what the program running it tells it first. */
#ifndef PMIG_RUN_H
#define PMIG_RUN_H

#include "strategy.h"

/** The probe every run brackets its migrations with (NULL: none). */
void pmig_run_set_probe(struct pmig_probe *p);
/** The probe set there, or NULL (the tiering runs read it too). */
struct pmig_probe *pmig_run_probe(void);

/**
 * Notes each probe total's change from @start to @end as "c.NAME" (the JSON's
 * pmig.counters): every one, or with @only the @nonly named ones.
 */
void pmig_note_probe_deltas(struct pmig_bench_state *st,
			    const struct pmig_probe_value *start, size_t nstart,
			    const struct pmig_probe_value *end, size_t nend,
			    const char *const *only, size_t nonly);

/**
 * A case from start to end, in the timing program (bench/cmd/pmig-timer.c)
 * on the from node's CPUs: pages made there, each iteration's untimed reset,
 * timed migration and checks, the counters. Everything it says goes to @st.
 */
void pmig_case_body(struct pmig_bench_state *st,
		    const struct pmig_bench_case *c);

#endif
