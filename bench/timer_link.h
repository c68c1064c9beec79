/* timer_link.h - the timing process's side of its link to the parent: a run state whose shim calls travel as messages. */
#ifndef PMIG_BENCH_TIMER_LINK_H
#define PMIG_BENCH_TIMER_LINK_H

#include <stdbool.h>

#include "shim_state.h"

/**
 * Makes @st a run whose every shim call goes to the parent over socket @fd
 * (samples held until the iteration ends, so nothing is written while one
 * runs). One link per process.
 */
void pmig_timer_attach(struct pmig_bench_state *st, int fd);

/**
 * Sends what is still held. Returns the exit status the timing process
 * ends with: 0, or 1 when the parent could not be reached.
 */
int pmig_timer_detach(struct pmig_bench_state *st);

#endif
