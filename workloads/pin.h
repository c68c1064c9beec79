/* pin.h - holds extra references on pages so that migrating them fails, as a driver or a splice would. */
#ifndef PMIG_PIN_H
#define PMIG_PIN_H

#include <stddef.h>

/**
 * Pages referenced by a pipe: vmsplice(2) without SPLICE_F_GIFT takes a
 * reference on each page (get_user_pages) and holds it until the pipe is
 * drained or closed. Migration then finds a page count it does not expect
 * and gives up on the page after its retries (mm/migrate.c
 * folio_migrate_mapping() -EAGAIN), which is how the kernel's own
 * reproducers for the move_pages(2) return count make a page unmovable.
 */
struct pmig_pin {
	int fds[2];
	size_t len;
};

/** References the @len bytes at @addr (page aligned). 0 or -errno. */
int pmig_pin(struct pmig_pin *pin, void *addr, size_t len);
/** Drops the references (closes the pipe). */
void pmig_unpin(struct pmig_pin *pin);

#endif
