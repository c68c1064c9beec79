/* context.h - the facts a benchmark JSON carries about where it ran: kernel, THP and swap settings, emulation, PMU, topology. */
#ifndef PMIG_CONTEXT_H
#define PMIG_CONTEXT_H

#include <stdbool.h>
#include <stddef.h>

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

/** What the program tells the context besides what it reads itself. */
struct pmig_context_in {
	const char *pmu; /* pmig_probe_kind() */
	const char *
		numa_balancing; /* the value before pmig turned it off, or NULL */
	const char *pairs; /* "0to1 (distance 21), ..." */
	const char *mode; /* "quick" or "full" */
	long iterations;
	int accessors;
};

/** Adds every pmig_* key to Google Benchmark's JSON context (the topology XML is too long for it: the report adds it). 0 or -errno. */
int pmig_context_add_all(const struct pmig_context_in *in);

#endif
