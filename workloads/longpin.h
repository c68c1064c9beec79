/* longpin.h - long-term pins (FOLL_LONGTERM) on user pages through io_uring registered buffers, as RDMA, VFIO or io_uring hold them. */
#ifndef PMIG_LONGPIN_H
#define PMIG_LONGPIN_H

#include <stddef.h>

/**
 * An io_uring instance whose registered (fixed) buffers pin pages:
 * IORING_REGISTER_BUFFERS takes pin_user_pages(FOLL_WRITE | FOLL_LONGTERM)
 * on every page of each buffer (io_uring/rsrc.c io_pin_pages(); before
 * 6.0 fs/io_uring.c io_sqe_buffer_register()) and holds the pins until
 * IORING_UNREGISTER_BUFFERS. A FOLL_PIN pin adds GUP_PIN_COUNTING_BIAS
 * (1024) to a small folio's reference count (a large folio counts it in
 * its pincount and takes one reference), so migration finds references it
 * does not expect and gives the folio up (mm/migrate.c
 * folio_migrate_mapping(): -EAGAIN, retried, then counted as failed).
 * No submission or completion ring is mapped: registering needs none.
 */
struct pmig_longpin {
	int ring; /* the io_uring fd, -1 when none */
	int registered; /* buffers registered on it */
};

/**
 * Pins the @n buffers of @len bytes at @addrs[i] (page aligned) long term,
 * each a registered buffer of a new ring. 0 or -errno: -ENOSYS when the
 * kernel has no io_uring, -EPERM when it is disabled
 * (/proc/sys/kernel/io_uring_disabled), what io_uring_register(2) says
 * otherwise (-ENOMEM: RLIMIT_MEMLOCK, or a migration out of ZONE_MOVABLE
 * that failed).
 */
int pmig_longpin(struct pmig_longpin *pin, void *const *addrs, size_t n,
		 size_t len);
/** Unregisters the buffers (the pins are dropped when it returns). 0 or -errno. */
int pmig_longpin_release(struct pmig_longpin *pin);
/** Releases the buffers if still registered and closes the ring. */
void pmig_longpin_close(struct pmig_longpin *pin);

#endif
