/* tier_tlb.c - the TLB refresher: another process waking on the writer's CPUs, so that each switch to it reloads CR3 and empties QEMU's software TLB. */
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "tier_tlb.h"
#include "util.h"

/*
 * DAMON's access checks clear a page's accessed bit without a TLB flush, and
 * a CPU sets the bit again only when it walks the page table. QEMU's TCG TLB
 * holds the writer's whole hot set for as long as nothing switches address
 * space on that CPU, so without this DAMON saw the continuously written hot
 * pages as idle: its cold scheme demoted all of them, in every boot. With a
 * process switching in every 2 ms it demoted none (bench/README.md). On
 * hardware the TLB is far smaller than the hot set, so nothing is needed.
 */
#define TCG_PERIOD_US 2000

static long period_us(void)
{
	const char *env = getenv("PMIG_TLB_REFRESH_US");
	const char *emu = getenv("PMIG_EMULATION");

	if (env && *env)
		return strtol(env, NULL, 10);
	return emu && !strncmp(emu, "tcg", 3) ? TCG_PERIOD_US : 0;
}

pid_t pmig_tier_tlb_refresher_start(struct pmig_tier_run *r)
{
	long us = period_us();
	size_t len = r->pages.count * r->pages.page_size;
	cpu_set_t cpus;
	pid_t pid;

	pmig_bench_note_num(r->st, "tlb_refresh_us", (double)(us > 0 ? us : 0));
	if (us <= 0)
		return 0;
	if (pmig_cpulist_parse(r->c->near_cpus, &cpus))
		return -EINVAL;
	/* A fork would share the pages copy-on-write, and the writer's next writes would copy them. */
	if (madvise(r->pages.base, len, MADV_DONTFORK))
		return -errno;
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		struct timespec ts = { 0, us * 1000L };

		prctl(PR_SET_PDEATHSIG, SIGKILL);
		sched_setaffinity(0, sizeof(cpus), &cpus);
		for (;;)
			nanosleep(&ts, NULL);
	}
	return pid;
}

void pmig_tier_tlb_refresher_stop(pid_t pid)
{
	if (pid <= 0)
		return;
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}
