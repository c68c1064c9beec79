/* swapdev.h - makes sure swap is active for the swap-based benchmarks, setting up zram when there is none. */
#ifndef PMIG_BENCH_SWAPDEV_H
#define PMIG_BENCH_SWAPDEV_H

#include <stddef.h>

/**
 * Makes sure at least @bytes of swap are free on active swap devices
 * (/proc/swaps Size - Used). When there are not, sets up zram, whose
 * synchronous writes free a paged-out folio within the same call:
 * loads the module when there is no zram yet (`modprobe zram`), takes a
 * new device from /sys/class/zram-control/hot_add (or zram0 when the
 * module was just loaded, or when it is unused and there is no hot_add),
 * sizes it to @bytes plus the swap header page, writes the header with
 * `mkswap` and swapon(2)s it at the highest priority (32767), so paged-out
 * memory goes there first. The teardown is registered on every exit path
 * (atexit and the signals harness/settings.c handles) before the first
 * change. On error, whatever this call set up is undone.
 *
 * Returns 0 with a one-line description of the swap in use in @why, or
 * -errno with a one-line reason there: -EINVAL (@bytes 0), -EPERM (not
 * root), -ENODEV (no zram: no module, modprobe failed), -EBUSY (zram0 in
 * use and no hot_add), or the error of the step that failed, named.
 * Not thread-safe.
 */
int pmig_swap_ensure(size_t bytes, char *why, size_t whylen);

/**
 * Undoes what pmig_swap_ensure() set up, in reverse: swapoff, device reset,
 * hot_remove, and `modprobe -r zram` when it loaded the module (not from a
 * signal handler, where only the async-signal-safe steps run). Swap that was
 * already there is left alone. Safe to call when nothing was set up, and
 * does nothing in a forked child.
 */
void pmig_swap_teardown(void);

#endif
