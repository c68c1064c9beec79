/* tier_numab.c - numab_promote: NUMA balancing in memory-tiering mode (kernel.numa_balancing=2) promotes the far pages a near CPU keeps writing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "settings.h"
#include "sysfile.h"
#include "tier_strategy.h"

#define NUMA_BALANCING "/proc/sys/kernel/numa_balancing"
#define RATE_LIMIT "/proc/sys/kernel/numa_balancing_promote_rate_limit_MBps"
#define HOT_THRESHOLD "/sys/kernel/debug/sched/numa_balancing/hot_threshold_ms"

static double read_number(const char *path)
{
	char buf[32];

	return pmig_sysfile_read(path, buf, sizeof(buf)) ? -1 :
							    strtod(buf, NULL);
}

static int prepare(struct pmig_tier_run *r)
{
	const struct pmig_tier_case *c = r->c;
	int ret;

	/*
	 * Tiering mode only marks pages on nodes below the top tier for hint
	 * faults (mm/mprotect.c change_pte_range(), NUMA_BALANCING_NORMAL
	 * unset), so without a slower tier there is nothing to promote.
	 */
	if (!c->tiered) {
		pmig_bench_unavailable(
			r->st,
			"nodes %d and %d are in the same memory tier here: tiering mode promotes only from a slower tier (a CPU-less node present at boot gets a slower tier from its HMAT latency from 6.10 on, cf93be18fa1b; pmig topo lists the tiers)",
			c->near, c->far);
		return -1;
	}
	if (access(NUMA_BALANCING, W_OK)) {
		pmig_bench_unavailable(
			r->st, "no %s (CONFIG_NUMA_BALANCING, or not root)",
			NUMA_BALANCING);
		return -1;
	}
	ret = pmig_settings_scope_apply(&r->settings, NUMA_BALANCING, "2");
	if (ret) {
		pmig_bench_unavailable(
			r->st,
			"kernel.numa_balancing refused 2 (%s): no memory tiering mode in this kernel",
			strerror(-ret));
		return -1;
	}
	pmig_bench_note_num(r->st, "rate_limit_MBps", read_number(RATE_LIMIT));
	pmig_bench_note_num(r->st, "hot_threshold_ms",
			    read_number(HOT_THRESHOLD));
	return 0;
}

const struct pmig_tier_strategy pmig_tier_numab_promote = {
	.name = "numab_promote",
	.workloads = PMIG_TIER_WL(PMIG_TIER_PROMOTE),
	.kthreads = NULL, /* task_numa_work runs in the task: task_sys_ns */
	.prepare = prepare,
};
