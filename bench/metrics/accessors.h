/* accessors.h - threads on other CPUs that keep reading a buffer while it migrates. */
#ifndef PMIG_BENCH_ACCESSORS_H
#define PMIG_BENCH_ACCESSORS_H

#include <stddef.h>

struct pmig_accessors;

/**
 * Starts @nthreads threads that read one word per base page of
 * [@addr, @addr + @len) in a loop until stopped (a last partial page only
 * when a whole word fits). Their reads keep TLB entries for the buffer on
 * their CPUs, so migrating it has to shoot those down, as in a real
 * multi-threaded process.
 *
 * Each thread is pinned to one CPU other than the one the caller runs on,
 * round-robin over the online CPUs this process may use (a CPU the cpuset
 * refuses is skipped), so several threads share a CPU when there are more
 * threads than CPUs. Returns once every thread has made its first read.
 *
 * *@out is NULL and 0 is returned when @nthreads is 0. Returns 0 or -errno:
 * -EINVAL for a negative count, a NULL or word-misaligned @addr or a zero
 * @len; -ENODEV when no other CPU can be used; -ENOMEM, or the
 * pthread_create error. On error no thread is left running.
 */
int pmig_accessors_start(struct pmig_accessors **out, const void *addr,
			 size_t len, int nthreads);

/** Stops and joins the threads, frees @a; returns the number of page reads they made (>= 0; 0 for NULL). */
long pmig_accessors_stop(struct pmig_accessors *a);

#endif
