/* pageinfo.c - reads /proc/self/pagemap, /proc/kpageflags and sysfs numbers. */
#include <errno.h>
#include <fcntl.h>
#include <linux/kernel-page-flags.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pageinfo.h"

static int read_u64_at(const char *path, uint64_t index, uint64_t *out)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;
	int err = 0;

	if (fd < 0)
		return -errno;
	n = pread(fd, out, sizeof(*out), (off_t)(index * sizeof(*out)));
	if (n < 0)
		err = -errno;
	else if (n != sizeof(*out))
		err = -EIO;
	close(fd);
	return err;
}

int pmig_pagemap(const void *addr, uint64_t *entry)
{
	uint64_t page =
		(uint64_t)(uintptr_t)addr / (uint64_t)sysconf(_SC_PAGESIZE);

	return read_u64_at("/proc/self/pagemap", page, entry);
}

int pmig_pagemap_range(const void *base, size_t count, uint64_t *entries)
{
	off_t off = (off_t)((uintptr_t)base / (uintptr_t)sysconf(_SC_PAGESIZE) *
			    sizeof(*entries));
	int fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC), err = 0;
	ssize_t len = (ssize_t)(count * sizeof(*entries));

	if (fd < 0)
		return -errno;
	if (pread(fd, entries, (size_t)len, off) != len)
		err = -EIO;
	close(fd);
	return err;
}

int pmig_kpageflags(const void *addr, uint64_t *flags)
{
	uint64_t e;
	int err = pmig_pagemap(addr, &e);

	if (err)
		return err;
	if (!(e & PMIG_PM_PRESENT))
		return -ENOENT;
	/* Without CAP_SYS_ADMIN the kernel reports frame 0. */
	if (!(e & PMIG_PM_PFN_MASK))
		return -EPERM;
	return read_u64_at("/proc/kpageflags", e & PMIG_PM_PFN_MASK, flags);
}

int pmig_kpageflags_pfn(uint64_t pfn, size_t count, uint64_t *flags)
{
	int fd = open("/proc/kpageflags", O_RDONLY | O_CLOEXEC), err = 0;
	ssize_t len = (ssize_t)(count * sizeof(*flags));

	if (fd < 0)
		return -errno;
	if (pread(fd, flags, (size_t)len, (off_t)(pfn * sizeof(*flags))) != len)
		err = -EIO;
	close(fd);
	return err;
}

int pmig_frame_on_node(uint64_t pfn, size_t page_size, int node)
{
	static unsigned long long block;
	char path[96];

	if (!block) {
		FILE *f = fopen("/sys/devices/system/memory/block_size_bytes",
				"re");
		int ok = f && fscanf(f, "%llx", &block) == 1 && block;

		if (f)
			fclose(f);
		if (!ok) {
			block = 0;
			return f ? -EINVAL : -errno;
		}
	}
	snprintf(path, sizeof(path),
		 "/sys/devices/system/node/node%d/memory%llu", node,
		 (unsigned long long)(pfn * page_size / block));
	return access(path, F_OK) == 0;
}

long pmig_read_number(const char *path)
{
	FILE *f = fopen(path, "re");
	long v;
	int ok;

	if (!f)
		return -errno;
	ok = fscanf(f, "%ld", &v) == 1;
	fclose(f);
	return ok ? v : -EINVAL;
}

int pmig_folio_order(const char *addr, size_t n, size_t base, char *why,
		     size_t len)
{
	const uint64_t head = 1ULL << KPF_COMPOUND_HEAD,
		       tail = 1ULL << KPF_COMPOUND_TAIL, thp = 1ULL << KPF_THP;
	uint64_t *e = calloc(n, sizeof(*e)), *f = calloc(n + 1, sizeof(*f));
	size_t heads = 0, tails = 0, contiguous = 1;
	int order = -1, err;

	if (!e || !f) {
		snprintf(why, len, "out of memory");
		order = PMIG_FOLIO_UNREADABLE;
		goto out;
	}
	if ((err = pmig_pagemap_range(addr, n, e))) {
		snprintf(why, len, "cannot read /proc/self/pagemap: %s",
			 strerror(-err));
		order = PMIG_FOLIO_UNREADABLE;
		goto out;
	}
	for (size_t j = 0; j < n; j++) {
		uint64_t pfn = e[j] & PMIG_PM_PFN_MASK;

		if (!(e[j] & PMIG_PM_PRESENT) || !pfn) {
			snprintf(
				why, len,
				"base page %zu at %p is not present, or the pagemap hides frames (entry %#llx)",
				j, (const void *)(addr + j * base),
				(unsigned long long)e[j]);
			order = PMIG_FOLIO_UNREADABLE;
			goto out;
		}
		if (pmig_kpageflags_pfn(pfn, 1, &f[j])) {
			snprintf(why, len,
				 "cannot read /proc/kpageflags of frame %#llx",
				 (unsigned long long)pfn);
			order = PMIG_FOLIO_UNREADABLE;
			goto out;
		}
		heads += !!(f[j] & head);
		tails += !!(f[j] & tail);
		if (j && pfn != (e[0] & PMIG_PM_PFN_MASK) + j)
			contiguous = 0;
	}
	if (contiguous && (e[0] & PMIG_PM_PFN_MASK) % n == 0 && heads == 1 &&
	    (f[0] & (head | thp)) == (head | thp) && tails == n - 1) {
		/* The frame after the last may not exist; then nothing follows. */
		uint64_t next = 0;

		pmig_kpageflags_pfn((e[0] & PMIG_PM_PFN_MASK) + n, 1, &next);
		if (!(next & tail))
			order = __builtin_ctzl(n);
	} else if (!heads && !tails) {
		order = 0;
	}
	snprintf(
		why, len,
		"frames %#llx..%#llx%s, %zu COMPOUND_HEAD and %zu COMPOUND_TAIL of %zu, kpageflags[0] %#llx",
		(unsigned long long)(e[0] & PMIG_PM_PFN_MASK),
		(unsigned long long)(e[n - 1] & PMIG_PM_PFN_MASK),
		contiguous ? " contiguous" : " not contiguous", heads, tails, n,
		(unsigned long long)f[0]);
out:
	free(e);
	free(f);
	return order;
}
