/* context.h - the facts a benchmark JSON carries about where it ran and what ran: kernel, THP and swap settings, emulation, PMU, topology, the node pairs and iterations of the runs. */
#ifndef PMIG_CONTEXT_H
#define PMIG_CONTEXT_H

#include <stdbool.h>
#include <stddef.h>

#include "strategy.h"
#include "tier_strategy.h"

/** The selected word of a sysfs list ("always [madvise] never" -> "madvise"), or the text itself. */
const char *pmig_context_bracketed(const char *text, char *buf, size_t len);

/**
 * Where the run is, in words: "emulated (QEMU TCG)" or "virtualized (...)"
 * when @guest_accel (the VM runner's PMIG_EMULATION: tcg, kvm) is set, else
 * "virtualized (@dmi_vendor @dmi_product)" when @hypervisor_flag (cpuinfo),
 * else "bare metal". Any string may be NULL.
 */
const char *pmig_context_emulation(const char *guest_accel,
				   bool hypervisor_flag, const char *dmi_vendor,
				   const char *dmi_product, char *buf,
				   size_t len);

/** /proc/swaps' text as "DEVICE TYPE SIZEKiB" items joined by "; ", or "none". */
const char *pmig_context_swaps(const char *proc_swaps, char *buf, size_t len);

/**
 * The cases that run: every registered migration and tiering case, and
 * which of them --filter kept (@mig_on, @tier_on: one flag per case).
 */
struct pmig_context_runs {
	const struct pmig_bench_case *mig;
	const bool *mig_on;
	size_t nmig;
	const struct pmig_tier_case *tier;
	const bool *tier_on;
	size_t ntier;
};

/**
 * The node pairs that run, each once in case order: the migration cases'
 * ("0to1 (distance 21), 1to0 (distance 21)", ", cpu-less target" where it
 * is), then the tiering cases' ("tiering: 2to0 promote, 0to2 demote");
 * "none" when nothing runs. Into @buf.
 */
const char *pmig_context_pairs(const struct pmig_context_runs *r, char *buf,
			       size_t len);
/**
 * Iterations per run: "10" (@iterations) when only migration cases run,
 * "1 per tiering run" when only tiering ones, "10 per migration run, 1 per
 * tiering run" when both. Into @buf.
 */
const char *pmig_context_iterations(const struct pmig_context_runs *r,
				    long iterations, char *buf, size_t len);
/**
 * The tiering runs' nodes and watch: "near 0, far 2 (different memory
 * tiers), a look every 0.1 s, at most 20 s"; NULL when none runs.
 */
const char *pmig_context_tiering(const struct pmig_context_runs *r, char *buf,
				 size_t len);

/** What the program tells the context besides what it reads itself. */
struct pmig_context_in {
	const char *pmu; /* pmig_probe_kind() */
	const char *
		numa_balancing; /* the value before pmig turned it off, or NULL */
	const struct pmig_context_runs *runs; /* what runs */
	const char *mode; /* "quick" or "full" */
	const char *preset; /* --preset's name, or NULL */
	long iterations; /* of a migration run */
	int accessors;
};

/** Adds every pmig_* key to Google Benchmark's JSON context (the topology XML is too long for it: the report adds it). 0 or -errno. */
int pmig_context_add_all(const struct pmig_context_in *in);

#endif
