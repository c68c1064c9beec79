/* tier_tlb.h - under QEMU TCG, a process switching in on the writer's CPUs so that accessed bits are set again as on hardware. */
#ifndef PMIG_TIER_TLB_H
#define PMIG_TIER_TLB_H

#include <sys/types.h>

#include "tier_strategy.h"

/**
 * Starts the refresher for run @r when it is wanted: PMIG_TLB_REFRESH_US
 * (microseconds between its wake-ups; 0 for none), else every 2000 us
 * under QEMU TCG (PMIG_EMULATION) and never elsewhere. Notes the period as
 * tlb_refresh_us. Returns its pid, 0 when none runs, or -errno.
 */
pid_t pmig_tier_tlb_refresher_start(struct pmig_tier_run *r);

/** Stops it (kill and reap); nothing for @pid 0. */
void pmig_tier_tlb_refresher_stop(pid_t pid);

#endif
