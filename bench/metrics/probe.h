/* probe.h - counters read around a timed migration call: vmstat deltas, TLB shootdowns, perf events. */
#ifndef PMIG_BENCH_PROBE_H
#define PMIG_BENCH_PROBE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define PMIG_PROBE_MAX 40

/** One named total. */
struct pmig_probe_value {
	char name[48];
	double value;
};

struct pmig_probe;

/**
 * Opens a probe. What it counts, each only where this kernel or CPU has it:
 *
 *  - /proc/vmstat event counters under their own names: pgmigrate_success
 *    and pgmigrate_fail (base pages: a THP counts all of its, 512 on x86-64), thp_migration_success,
 *    thp_migration_fail, thp_migration_split (THPs), numa_pages_migrated,
 *    pgfault, pgmajfault, pswpin, pswpout, swap_ra, swap_ra_hit, ... and
 *    nr_tlb_remote_flush (flushes this kernel sent to other CPUs) and
 *    nr_tlb_remote_flush_received (flushes CPUs received), which exist only
 *    with CONFIG_DEBUG_TLBFLUSH. These are system-wide: work of kswapd,
 *    kworkers and other processes lands here too.
 *  - "tlb_shootdowns": the sum over CPUs of the "TLB" row of /proc/interrupts
 *    (x86: TLB shootdown IPIs received, system-wide) and "ipi_function_calls"
 *    (the "CAL" row, which lru-drain and other cross-CPU calls raise).
 *  - perf counters of the calling thread only (pid 0, cpu -1, kernel and
 *    user mode: migration work is kernel work), enabled in begin and
 *    disabled in end. With a hardware PMU, through libpfm4: "perf_cycles",
 *    "perf_instructions", "perf_dtlb_load_misses" (the generic dTLB read
 *    miss event, or the nearest PMU-specific one). Always, where allowed:
 *    the software events "perf_task_clock_ns", "perf_page_faults",
 *    "perf_context_switches", "perf_cpu_migrations". Values are scaled by
 *    time enabled / time running when the kernel multiplexed a counter;
 *    one the kernel never scheduled is left out of the totals, not shown as 0.
 *
 * The perf counters only with @perf: a thread with perf events pays for them
 * at each of its context switches, and move_pages sleeps inside the timed
 * call (lru_cache_disable() drains every CPU's LRU batches through their
 * kworkers): 19% of move_pages/anon/16M/0to1/batch:1's instructions on
 * bookworm under icount (bench/README.md, Overhead). Without @perf the
 * probe reads vmstat and interrupts only, before and after the timed calls.
 *
 * Open, begin and end on the thread that makes the timed call. Never fails
 * for a missing PMU or a forbidden perf_event_open (see pmig_probe_kind());
 * returns NULL only on ENOMEM.
 */
struct pmig_probe *pmig_probe_open(bool perf);

/**
 * Whether @p was opened with perf counters (false for NULL): a timing
 * program opens its own probe with the same choice, as perf events count
 * the thread that opened them.
 */
bool pmig_probe_with_perf(const struct pmig_probe *p);

/** pmig_probe_kind() of a probe opened without perf counters. */
#define PMIG_PROBE_NO_PERF \
	"vmstat only (perf counters off: they would count in the timed calls; pmig bench --perf)"

/**
 * PMIG_PROBE_NO_PERF without perf counters; else
 * "hardware (<libpfm4 PMU name>)" when hardware events count, otherwise
 * "software (no PMU: <reason>)"; the reason says why hardware events could
 * not be opened and, when perf_event_open is not allowed at all
 * (perf_event_paranoid, seccomp), ends in "vmstat only".
 */
const char *pmig_probe_kind(const struct pmig_probe *p);

/** Snapshots /proc/vmstat and /proc/interrupts, then enables the perf events. 0 or -errno (-EBUSY: already begun). */
int pmig_probe_begin(struct pmig_probe *p);

/** Disables the perf events and adds the deltas since begin to the totals. 0 or -errno (-EINVAL: not begun). */
int pmig_probe_end(struct pmig_probe *p);

/**
 * Totals over every begin/end interval since open, in a fixed order: vmstat,
 * then interrupts, then perf. Negative deltas (counters folded at CPU
 * hotplug) count as 0. Writes at most @max and returns how many it wrote.
 */
size_t pmig_probe_totals(const struct pmig_probe *p,
			 struct pmig_probe_value *out, size_t max);

void pmig_probe_close(struct pmig_probe *p);

/*
 * Parsers behind the probe, public so they can be tested on fixtures.
 */

/**
 * Reads "name value" lines (/proc/vmstat format) from @f. For each of the
 * @n @names found, sets values[i] and present[i]; the others get present[i]
 * false. Returns how many were found, or -errno (-EIO on a read error).
 */
int pmig_vmstat_parse(FILE *f, const char *const *names, size_t n,
		      unsigned long long *values, bool *present);

/**
 * Sums the per-CPU columns of the rows labelled @labels ("TLB", without the
 * colon) of /proc/interrupts-format text in @f; the header line's "CPUn"
 * words say how many columns there are. For each of the @n labels found,
 * sets sums[i] and present[i]; the others get present[i] false. Returns how
 * many were found, or -errno: -EINVAL for text without a CPU header line,
 * -EIO on a read error.
 */
int pmig_interrupts_parse(FILE *f, const char *const *labels, size_t n,
			  unsigned long long *sums, bool *present);

#endif
