/* hmm.c - conformance cases of device-private memory (HMM): pages migrated to lib/test_hmm.c's pseudo device, what move_pages(2) and the pagemap say of them, and their way back to system memory. */
#include <errno.h>
#include <fcntl.h>
#include <linux/ioctl.h>
#include <linux/types.h>
#include <numaif.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "cases.h"
#include "check.h"
#include "compaction.h"
#include "fixtures.h"
#include "invariants.h"
#include "kver.h"
#include "kind_checks.h"
#include "pageinfo.h"
#include "pages.h"
#include "syscalls.h"

/*
 * The driver's interface, as lib/test_hmm_uapi.h defines it (unchanged in
 * these parts from 5.9 to 7.3; the header is not installed with the UAPI):
 * one command block for every ioctl, addresses and counts in base pages.
 */
struct dmirror_cmd {
	__u64 addr; /* start of the range, page aligned */
	__u64 ptr; /* the caller's buffer: data (MIGRATE_TO_DEV) or one byte a page (SNAPSHOT) */
	__u64 npages;
	__u64 cpages; /* out: pages the command handled */
	__u64 faults;
};
#define DMIRROR_MIGRATE_TO_DEV _IOWR('H', 0x02, struct dmirror_cmd)
#define DMIRROR_MIGRATE_TO_SYS _IOWR('H', 0x03, struct dmirror_cmd)
#define DMIRROR_SNAPSHOT _IOWR('H', 0x04, struct dmirror_cmd)

/* A snapshot byte (dmirror_mkentry()): access bits, and where the page is in its high nibble. */
#define DMIRROR_PROT_READ 0x01
#define DMIRROR_PROT_WRITE 0x02
#define DMIRROR_PROT_ERROR 0xff
#define DMIRROR_PROT_WHERE 0xf0
#define DMIRROR_PROT_DEV_PRIVATE_LOCAL 0x20

#define DMIRROR_DEV "/dev/hmm_dmirror0"

/* Base pages: the driver migrates THPs as such (MIGRATE_VMA_SELECT_COMPOUND), and pmig_map() turns THP off. */
enum { NPAGES = 64 };

/*
 * How the pages come back to system memory (ctx->arg of
 * hmm_back_to_system): by CPU reads (0) or the driver (BACK_BY_IOCTL); with
 * other in the range's policy (mbind), or with BACK_TASK_POLICY in the
 * task's, the range's own policy dropped.
 */
#define BACK_BY_IOCTL (1 << 0)
#define BACK_TASK_POLICY (1 << 1)

/* Whether /proc/kallsyms names the function @name. */
static bool kallsyms_has(const char *name)
{
	char line[512], sym[256];
	bool found = false;
	FILE *f = fopen("/proc/kallsyms", "re");

	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f))
		found = sscanf(line, "%*s %*s %255s", sym) == 1 &&
			!strcmp(sym, name);
	fclose(f);
	return found;
}

/*
 * The mirror of this process's address space (dmirror_fops_open()), or a
 * SKIP naming what is missing: the module, or the device-private memory
 * it needs. mm/rmap.c builds make_device_exclusive() (from 5.14 until
 * 6.12 at least: make_device_exclusive_range()) only with
 * CONFIG_DEVICE_PRIVATE.
 */
static int dmirror_open(void)
{
	int fd = open(DMIRROR_DEV, O_RDWR | O_CLOEXEC), e = errno;
	uint32_t kv;

	if (fd >= 0)
		return fd;
	if (e != ENOENT && e != ENXIO && e != ENODEV)
		pmig_broken("cannot open %s: %s", DMIRROR_DEV, strerror(e));
	if (access("/sys/module/test_hmm", F_OK) == 0)
		pmig_skip(
			"the test_hmm module is loaded but %s cannot be opened (%s): no devtmpfs on /dev?",
			DMIRROR_DEV, strerror(e));
	if (pmig_kver_running(&kv) || kv < PMIG_KV(5, 14, 0))
		pmig_skip(
			"no %s and the test_hmm module is not loaded (CONFIG_TEST_HMM; whether this kernel has the CONFIG_DEVICE_PRIVATE it needs cannot be told from /proc/kallsyms before 5.14)",
			DMIRROR_DEV);
	if (!kallsyms_has("make_device_exclusive") &&
	    !kallsyms_has("make_device_exclusive_range"))
		pmig_skip(
			"no %s: CONFIG_DEVICE_PRIVATE is off in this kernel, and lib/test_hmm.c needs it (/proc/kallsyms has neither make_device_exclusive nor make_device_exclusive_range, which mm/rmap.c builds only with it)",
			DMIRROR_DEV);
	pmig_skip(
		"no %s: this kernel has CONFIG_DEVICE_PRIVATE but the test_hmm module is not loaded (CONFIG_TEST_HMM; no Debian kernel builds it, pmig vm builds it out of tree: scripts/vm/test-hmm.sh)",
		DMIRROR_DEV);
}

/* One of the driver's commands over @p's pages, with @buf as its buffer; the ioctl's result (0 or -errno). */
static int dmirror_cmd(int fd, unsigned long request,
		       const struct pmig_pages *p, void *buf, __u64 *cpages)
{
	struct dmirror_cmd cmd = {
		.addr = (__u64)(uintptr_t)p->base,
		.ptr = (__u64)(uintptr_t)buf,
		.npages = p->count,
	};
	int ret = ioctl(fd, request, &cmd) ? -errno : 0;

	*cpages = cmd.cpages;
	return ret;
}

/*
 * The snapshot of @p's pages: whether each is device-private on this
 * device (@on_device), else in system memory, mapped and accessible. The
 * snapshot does not fault pages in: hmm_range_fault() without
 * HMM_PFN_REQ_FAULT reports a device-private page of the range's owner as
 * it is (mm/hmm.c hmm_vma_handle_pte()).
 */
#define check_snapshot(fd, p, on_device) \
	check_snapshot_at(__FILE__, __LINE__, fd, p, on_device)
static void check_snapshot_at(const char *file, int line, int fd,
			      const struct pmig_pages *p, bool on_device)
{
	PMIG_CALLED_FROM(file, line);
	unsigned char perm[NPAGES];
	size_t bad = 0;
	__u64 n;
	int err;

	memset(perm, DMIRROR_PROT_ERROR, sizeof(perm));
	err = dmirror_cmd(fd, DMIRROR_SNAPSHOT, p, perm, &n);
	pmig_require_eq(err, 0);
	pmig_check_eq(n, p->count);
	for (size_t i = 0; i < p->count; i++) {
		bool ok = on_device ?
				  perm[i] == (DMIRROR_PROT_DEV_PRIVATE_LOCAL |
					      DMIRROR_PROT_WRITE) :
				  !(perm[i] & DMIRROR_PROT_WHERE) &&
					  (perm[i] & (DMIRROR_PROT_READ |
						      DMIRROR_PROT_WRITE));

		if (!ok && bad++ < 4)
			pmig_fail_at(
				__FILE__, __LINE__,
				"snapshot of page %zu: %#x, expected %s", i,
				perm[i],
				on_device ?
					"0x22 (device-private on this device, writable)" :
					"system memory (0x01 or 0x02)");
	}
}

/*
 * The pagemap of @p's pages: a device-private page is mapped by a
 * non-present swap-type entry (PM_SWAP, no PM_PRESENT), a page in system
 * memory is present; @frames gets the page frames of present ones.
 * Returns page 0's entry.
 */
#define check_pagemap(p, on_device, frames) \
	check_pagemap_at(__FILE__, __LINE__, p, on_device, frames)
static uint64_t check_pagemap_at(const char *file, int line,
				 const struct pmig_pages *p, bool on_device,
				 uint64_t *frames)
{
	PMIG_CALLED_FROM(file, line);
	uint64_t e[NPAGES];
	size_t bad = 0;
	int err = pmig_pagemap_range(p->base, p->count, e);

	if (err)
		pmig_skip("cannot read /proc/self/pagemap: %s", strerror(-err));
	for (size_t i = 0; i < p->count; i++) {
		bool present = e[i] & PMIG_PM_PRESENT,
		     swap = e[i] & PMIG_PM_SWAPPED;

		if (frames)
			frames[i] = present ? e[i] & PMIG_PM_PFN_MASK : 0;
		if ((on_device ? present || !swap : !present) && bad++ < 4)
			pmig_fail_at(__FILE__, __LINE__,
				     "pagemap of page %zu: %#llx, expected %s",
				     i, (unsigned long long)e[i],
				     on_device ?
					     "a swap-type entry, not present" :
					     "present");
	}
	return e[0];
}

/*
 * NPAGES anonymous pages on home, written, moved to the device: all of
 * them migrated, the driver's copy holds their data, the snapshot and the
 * pagemap say device-private. Returns the mirror's descriptor.
 */
static int to_device(const struct pmig_ctx *ctx, struct pmig_pages *p)
{
	int fd = dmirror_open();
	uint64_t *copy, e;
	size_t bad = 0;
	__u64 n;
	int err;

	pmig_pages_setup(p, PMIG_PAGE_ANON, NPAGES, ctx->home, ctx->seed);
	copy = calloc(p->count, p->page_size);
	if (!copy)
		pmig_broken("out of memory");
	err = dmirror_cmd(fd, DMIRROR_MIGRATE_TO_DEV, p, copy, &n);
	if (err == -ENOMEM)
		pmig_skip(
			"HMM_DMIRROR_MIGRATE_TO_DEV: ENOMEM (the driver could not map a 256 MiB chunk of device memory)");
	pmig_require_eq(err, 0);
	pmig_require_eq(n, p->count);
	for (size_t i = 0; i < p->count; i++)
		for (size_t w = 0; w < p->page_size / sizeof(*copy); w++)
			if (copy[i * (p->page_size / sizeof(*copy)) + w] !=
				    pmig_pages_pattern(p, i, w) &&
			    bad++ < 4)
				pmig_fail_at(
					__FILE__, __LINE__,
					"the driver's copy of page %zu differs at word %zu",
					i, w);
	free(copy);
	check_snapshot(fd, p, true);
	e = check_pagemap(p, true, NULL);
	pmig_diag(
		"pagemap of page 0 on the device: %#llx (swap type %llu, offset %#llx: the device page's frame)",
		(unsigned long long)e, (unsigned long long)(e & 0x1f),
		(unsigned long long)((e & PMIG_PM_PFN_MASK) >> 5));
	return fd;
}

/*
 * Pages moved to the device, then move_pages(2) on them: the status query
 * (arg 0) or a move to home (arg 1). Neither finds a page behind a
 * device-private entry; the move leaves them on the device.
 */
PMIG_CASE(hmm_device_private)
{
	struct pmig_pages p;
	int status[NPAGES], nodes[NPAGES];
	int fd = to_device(ctx, &p);
	long ret;

	for (size_t i = 0; i < p.count; i++)
		nodes[i] = ctx->home;
	pmig_status_reset(status, p.count);
	ret = pmig_move_pages(0, p.count, p.addrs, ctx->arg ? nodes : NULL,
			      status, ctx->arg ? MPOL_MF_MOVE : 0);
	pmig_check_eq(ret, 0);
	for (size_t i = 0; i < p.count; i++) {
		char label[32];

		snprintf(label, sizeof(label), "status[%zu]", i);
		if (!pmig_check_val(label, status[i], ctx->expect))
			break;
	}
	check_snapshot(fd, &p, true);
	check_pagemap(&p, true, NULL);
	close(fd);
	pmig_pages_destroy(&p);
}

/*
 * Pages moved to the device, other made the node of the range's policy (or
 * of the task's: BACK_TASK_POLICY), then back to system memory by CPU reads
 * or the driver (BACK_BY_IOCTL): every page holds its data and is on other
 * by the status query and its frame, the snapshot and the pagemap say
 * system memory.
 */
PMIG_CASE(hmm_back_to_system)
{
	struct pmig_pages p;
	struct pmig_nodemask to = pmig_nodemask_of(ctx->other);
	uint64_t frames[NPAGES];
	long want = pmig_expected(ctx, ctx->other), corrupt;
	int fd = to_device(ctx, &p);
	size_t bad = 0;
	long ret;

	if (ctx->arg & BACK_TASK_POLICY) {
		/* MPOL_DEFAULT drops the range's policy: the task's applies. */
		ret = pmig_mbind(p.base, p.count * p.page_size, MPOL_DEFAULT,
				 NULL, 0, 0);
		if (!ret)
			ret = pmig_set_mempolicy(MPOL_BIND, to.bits,
						 PMIG_MASK_MAXNODE);
	} else {
		ret = pmig_mbind(p.base, p.count * p.page_size, MPOL_BIND,
				 to.bits, PMIG_MASK_MAXNODE, 0);
	}
	if (ret)
		pmig_broken("binding node %d (%s policy): %s", ctx->other,
			    ctx->arg & BACK_TASK_POLICY ? "the task's" :
							  "the range's",
			    strerror((int)-ret));
	if (ctx->arg & BACK_BY_IOCTL) {
		__u64 n;
		int err = dmirror_cmd(fd, DMIRROR_MIGRATE_TO_SYS, &p, NULL, &n);

		pmig_require_eq(err, 0);
		pmig_check_eq(n, p.count);
		/* Not a page may be touched before the driver's move is checked. */
		check_pagemap(&p, false, frames);
		check_snapshot(fd, &p, false);
	}
	/* By fault: these reads are the CPU accesses that bring the pages back. */
	corrupt = pmig_pages_first_corrupt(&p);
	pmig_check_eq(corrupt, -1);
	if (!(ctx->arg & BACK_BY_IOCTL)) {
		check_pagemap(&p, false, frames);
		check_snapshot(fd, &p, false);
	}
	pmig_kind_query(p.addrs, p.count, want);
	for (size_t i = 0; i < p.count; i++)
		if ((!frames[i] ||
		     !pmig_frame_on(frames[i], p.page_size, (int)want)) &&
		    bad++ < 4)
			pmig_fail_at(
				__FILE__, __LINE__,
				"page %zu's frame %#llx is not in a memory block of node %ld",
				i, (unsigned long long)frames[i], want);
	close(fd);
	pmig_pages_destroy(&p);
}
