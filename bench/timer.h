/* timer.h - the timing process: a case's timed body in a child forked where it is pinned, its shim calls carried to the parent. */
#ifndef PMIG_BENCH_TIMER_H
#define PMIG_BENCH_TIMER_H

#include "shim.h"

/**
 * Runs @body(@st, @arg) in a child process forked from this one after it was
 * pinned to the CPUs the timed calls must run on, and waits for it.
 *
 * Why a child: x86 sends a TLB flush towards every CPU in the address space's
 * mm_cpumask, and a CPU that ran the process and then went idle keeps it there
 * (lazy TLB mode, arch/x86/mm/tlb.c switch_mm_irqs_off() and
 * native_flush_tlb_multi()). hwloc's x86 backend runs the process on every CPU
 * while it loads the topology, and a benchmark between other nodes pins it
 * elsewhere; after that every page a migration unmapped paid a cross-CPU
 * flush check (bookworm, 16 MiB: 5% of the instructions in the timed call). A
 * new address space, forked on the pinned CPUs, is known to those CPUs only,
 * as a bare loop started there is.
 *
 * In the child every shim call on @st travels to the parent, which makes it on
 * its own state: samples with the iteration they belong to (nothing is
 * written while an iteration runs), notes, counters, failures, and each
 * pmig_bench_next() is the parent's answer. A child that dies or exits early
 * fails the run with the reason. Returns 0, or -errno when no child could be
 * started (@st has failed then, with the reason).
 */
int pmig_timer_run(struct pmig_bench_state *st,
		   void (*body)(struct pmig_bench_state *st, void *arg),
		   void *arg);

/**
 * As pmig_timer_run(), with the program @args[0] as the child: it is
 * started as "@args[0] LINK_FD JOURNAL_FD @args[1]...", the descriptors of
 * its link to this process (timer_link.h, pmig_timer_attach()) and of the
 * settings journal (-1 for none; pmig_journal_join()), with address-space
 * randomization off. A program that cannot be started fails the run.
 */
int pmig_timer_exec(struct pmig_bench_state *st, char *const args[]);

#endif
