/* pin.c - extra page references through vmsplice(2), for cases that need pages migration cannot move. */
#include <errno.h>
#include <fcntl.h>
#include <sys/uio.h>
#include <unistd.h>

#include "pin.h"

int pmig_pin(struct pmig_pin *pin, void *addr, size_t len)
{
	struct iovec iov = { .iov_base = addr, .iov_len = len };
	ssize_t n;
	int err;

	if (pipe2(pin->fds, O_CLOEXEC))
		return -errno;
	/* The default pipe holds 16 pages; make room for all of them. */
	if (len > 16 * (size_t)sysconf(_SC_PAGESIZE) &&
	    fcntl(pin->fds[1], F_SETPIPE_SZ, (int)len) < 0) {
		err = -errno;
		goto fail;
	}
	n = vmsplice(pin->fds[1], &iov, 1, SPLICE_F_NONBLOCK);
	if (n != (ssize_t)len) {
		err = n < 0 ? -errno : -EAGAIN;
		goto fail;
	}
	pin->len = len;
	return 0;
fail:
	close(pin->fds[0]);
	close(pin->fds[1]);
	pin->fds[0] = pin->fds[1] = -1;
	return err;
}

void pmig_unpin(struct pmig_pin *pin)
{
	if (pin->fds[0] >= 0) {
		close(pin->fds[0]);
		close(pin->fds[1]);
	}
	pin->fds[0] = pin->fds[1] = -1;
}
