/* tick.h - under QEMU icount, a wait for the guest's timer tick, so the timed calls after it have a tick period to themselves. */
#ifndef PMIG_BENCH_TICK_H
#define PMIG_BENCH_TICK_H

#include <stdbool.h>
#include <stdint.h>

/** Whether this guest counts instructions: pmig vm --clock icount sets PMIG_EMULATION. */
bool pmig_icount_guest(void);

/**
 * Turns the waits below on in a guest that counts instructions; returns
 * whether they are on.
 */
bool pmig_tick_setup(void);

/**
 * Off: returns at once. On: with @expect_ns 0, spins until the timer tick
 * has run (an iteration's first timed call starts after it); otherwise
 * spins past the next tick only if it would fall within a call that takes
 * about @expect_ns (the previous call's time) started now. Untimed.
 */
void pmig_tick_before(uint64_t expect_ns);

#endif
