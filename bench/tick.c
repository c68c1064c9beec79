/* tick.c - under QEMU icount, waits for the guest's timer tick before a timed call: where the ticks fall is the one thing in a 1 MiB call's count that a change elsewhere in pmig moves. */
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "shim.h"
#include "tick.h"

/*
 * Under icount (shift=0) guest time is the instruction count, so the clock
 * advances about 100 ns per pass of the spin below and by the whole handler
 * (6,000 to 30,000 instructions on bookworm) across an interrupt. The tick
 * period is 4 ms at Debian's HZ=250; a 1 MiB migration (1.6 to 2.1 million
 * instructions) started right after a tick ends before the next. Left to
 * chance, a tick lands in about 40% of those calls, and which ones depends on
 * every instruction the boot ran before: a build with 1 MiB more data in
 * pmig-bench moved 1 MiB medians by up to 0.9% that way (bench/README.md,
 * Layout). Never used on real hardware, where a spin before the call is not
 * free and interrupts are not the only noise.
 *
 * Not every gap is the tick (an IPI, another hrtimer): the tick is the gap
 * that comes back every period. So the period and its phase are learnt once
 * from three gaps equally spaced, and each wait takes the gap where the grid
 * says the next tick is.
 */
#define GAP_NS 2000ULL
#define SLACK_NS \
	200000ULL /* how far a tick's end strays from the grid: its handler's length */
#define LEARN_GAPS 16

static bool enabled, learn_failed;
static uint64_t period, phase; /* 0: not learnt */

/* The end of the next gap in the clock, or 0 after @limit ns without one. */
static uint64_t next_gap(uint64_t limit)
{
	uint64_t start = pmig_bench_now(), prev = start, now;

	for (;;) {
		now = pmig_bench_now();
		if (now - prev > GAP_NS)
			return now;
		if (now - start > limit)
			return 0;
		prev = now;
	}
}

static uint64_t apart(uint64_t a, uint64_t b)
{
	return a > b ? a - b : b - a;
}

/* Three gaps in a row equally spaced (within 1%) between 1 and 10 ms: the tick. */
static bool learn(void)
{
	uint64_t g[3] = { 0 };

	for (int i = 0; i < LEARN_GAPS; i++) {
		g[0] = g[1];
		g[1] = g[2];
		g[2] = next_gap(20000000ULL);
		if (!g[2])
			return false;
		if (!g[0])
			continue;
		uint64_t d1 = g[1] - g[0], d2 = g[2] - g[1];

		if (d2 >= 1000000ULL && d2 <= 10000000ULL &&
		    apart(d1, d2) * 100 <= d2) {
			period = d2;
			phase = g[2] % period;
			return true;
		}
	}
	return false;
}

/* The next tick's gap, where the grid says it is; false when none came (grid forgotten). */
static bool wait_on_grid(void)
{
	for (int tries = 0; tries < 8; tries++) {
		uint64_t t = next_gap(2 * period), since;

		if (!t)
			break;
		since = (t % period + period - phase) % period;
		if (since <= SLACK_NS || period - since <= SLACK_NS)
			return true;
	}
	period = 0;
	return false;
}

/*
 * Every migration call begins with lru_cache_disable(), which waits for a
 * drain on each online CPU (mm/swap.c __lru_add_drain_all(true)); under
 * icount the other vCPUs' instructions are counted while this one waits, and
 * what they cost depends on what those CPUs last did. A move_pages(2) of no
 * pages makes the same round first (do_pages_move() disables the caches
 * before its loop), so the timed call finds them as it left them.
 */
static void settle_other_cpus(void)
{
	int node = 0;

	syscall(SYS_move_pages, 0, 0UL, NULL, &node, NULL, 0);
}

bool pmig_icount_guest(void)
{
	const char *e = getenv("PMIG_EMULATION");

	return e && !strcmp(e, "tcg-icount");
}

bool pmig_tick_setup(void)
{
	enabled = pmig_icount_guest();
	return enabled;
}

void pmig_tick_before(uint64_t expect_ns)
{
	uint64_t now, next;

	if (!enabled || learn_failed)
		return;
	/* No periodic tick to be found here: no wait from now on. */
	if (!period && !learn()) {
		learn_failed = true;
		return;
	}
	if (expect_ns) {
		now = pmig_bench_now();
		next = now + period - (now % period + period - phase) % period;
		/* Room for the call, half its length again, and the handler. */
		if (now + expect_ns + expect_ns / 2 + SLACK_NS < next)
			return;
	}
	wait_on_grid();
	settle_other_cpus();
}
