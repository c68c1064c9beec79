/* longpin.c - long-term page pins through io_uring registered buffers, by raw syscalls (no liburing). */
#include <errno.h>
#include <linux/io_uring.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include "longpin.h"

int pmig_longpin(struct pmig_longpin *pin, void *const *addrs, size_t n,
		 size_t len)
{
	struct io_uring_params params;
	struct iovec *iov = calloc(n, sizeof(*iov));
	long ret;
	int err;

	pin->ring = -1;
	pin->registered = 0;
	if (!iov)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		iov[i].iov_base = addrs[i];
		iov[i].iov_len = len;
	}
	memset(&params, 0, sizeof(params));
	ret = syscall(__NR_io_uring_setup, 1, &params);
	if (ret < 0) {
		err = -errno;
		goto out;
	}
	pin->ring = (int)ret;
	if (syscall(__NR_io_uring_register, pin->ring, IORING_REGISTER_BUFFERS,
		    iov, (unsigned)n) < 0) {
		err = -errno;
		close(pin->ring);
		pin->ring = -1;
		goto out;
	}
	pin->registered = 1;
	err = 0;
out:
	free(iov);
	return err;
}

int pmig_longpin_release(struct pmig_longpin *pin)
{
	if (pin->ring < 0 || !pin->registered)
		return 0;
	if (syscall(__NR_io_uring_register, pin->ring,
		    IORING_UNREGISTER_BUFFERS, NULL, 0) < 0)
		return -errno;
	pin->registered = 0;
	return 0;
}

void pmig_longpin_close(struct pmig_longpin *pin)
{
	pmig_longpin_release(pin);
	if (pin->ring >= 0)
		close(pin->ring);
	pin->ring = -1;
}
