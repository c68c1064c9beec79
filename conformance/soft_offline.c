/* soft_offline.c - conformance cases of soft offline: a page moves to another frame with its data and the old frame is poisoned for good; what it refuses; the poison given back. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/kernel-page-flags.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/capability.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cases.h"
#include "check.h"
#include "fixtures.h"
#include "journal.h"
#include "kind_checks.h"
#include "pageinfo.h"
#include "pagesizes.h"
#include "pages.h"
#include "pin.h"
#include "priv.h"
#include "soft_offline.h"
#include "syscalls.h"
#include "sysfile.h"

#ifndef MADV_SOFT_OFFLINE
#define MADV_SOFT_OFFLINE 101
#endif

#define SOFT_OFFLINE_PAGE "/sys/devices/system/memory/soft_offline_page"
#define UNPOISON_PFN "/sys/kernel/debug/hwpoison/unpoison-pfn"

/* The /proc/kpageflags word of frame @pfn; SKIPs when it cannot be read. */
static uint64_t pfn_flags(uint64_t pfn)
{
	uint64_t f = 0;
	int fd = open("/proc/kpageflags", O_RDONLY | O_CLOEXEC);

	if (fd < 0 || pread(fd, &f, sizeof(f), (off_t)(pfn * sizeof(f))) !=
			      (ssize_t)sizeof(f))
		pmig_skip("cannot read /proc/kpageflags at frame %#" PRIx64
			  ": %s",
			  pfn, strerror(errno));
	close(fd);
	return f;
}

static bool poisoned(uint64_t pfn)
{
	return pfn_flags(pfn) & PMIG_KIND_KPF(KPF_HWPOISON);
}

/* The frame behind @addr; SKIPs when the pagemap hides it, ERROR when nothing is there. */
static uint64_t frame(const void *addr)
{
	uint64_t e;
	int err = pmig_pagemap(addr, &e);

	if (err)
		pmig_skip("cannot read /proc/self/pagemap: %s", strerror(-err));
	if (!(e & PMIG_PM_PRESENT))
		pmig_broken("no page present at %p (pagemap entry %#" PRIx64
			    ")",
			    addr, e);
	if (!(e & PMIG_PM_PFN_MASK))
		pmig_skip("the pagemap hides page frame numbers");
	return e & PMIG_PM_PFN_MASK;
}

/* /proc/meminfo HardwareCorrupted in kB: num_poisoned_pages. */
static long long corrupted_kb(void)
{
	char line[128];
	long long kb = -1;
	FILE *f = fopen("/proc/meminfo", "re");

	if (!f)
		pmig_broken("cannot open /proc/meminfo: %s", strerror(errno));
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "HardwareCorrupted: %lld kB", &kb) == 1)
			break;
	fclose(f);
	if (kb < 0)
		pmig_skip(
			"/proc/meminfo has no HardwareCorrupted (CONFIG_MEMORY_FAILURE)");
	return kb;
}

/* The node whose memory block (/sys/devices/system/node/nodeN/memoryB) holds frame @pfn, or -1. */
static int frame_node(uint64_t pfn)
{
	const char *bpath = "/sys/devices/system/memory/block_size_bytes";
	unsigned long long bb = 0, block;
	FILE *f = fopen(bpath, "re");
	char path[96];

	if (!f || fscanf(f, "%llx", &bb) != 1 || !bb)
		pmig_skip("cannot read %s", bpath);
	fclose(f);
	block = pfn * (unsigned long long)sysconf(_SC_PAGESIZE) / bb;
	for (int n = 0; n < PMIG_MASK_BITS; n++) {
		snprintf(path, sizeof(path),
			 "/sys/devices/system/node/node%d/memory%llu", n,
			 block);
		if (access(path, F_OK) == 0)
			return n;
	}
	return -1;
}

/*
 * The one place that journals a poison, and SKIPs the case where no
 * unpoison-pfn could give the frame back: before the frame is poisoned, a
 * record that says "write @pfn to unpoison-pfn", so that whatever kills the
 * case, the runner (or the next run) gives the frame back. A record for a
 * frame that ends up not poisoned is harmless: unpoison_memory() leaves an
 * unpoisoned frame alone.
 */
static pmig_jid journal_poison(uint64_t pfn)
{
	char v[32];
	pmig_jid jid;
	int err;

	/* A frame that cannot be given back stays poisoned until a reboot: not on a machine pmig runs on. */
	if (access(UNPOISON_PFN, W_OK))
		pmig_skip(
			"no writable %s (modprobe hwpoison_inject; debugfs mounted): a soft-offlined frame could not be given back before a reboot, so the case poisons none",
			UNPOISON_PFN);
	snprintf(v, sizeof(v), "%#" PRIx64, pfn);
	err = pmig_journal_note(PMIG_J_WRITE, UNPOISON_PFN, v, &jid);
	if (err)
		pmig_broken("cannot journal the unpoison of frame %#" PRIx64
			    ": %s",
			    pfn, strerror(-err));
	return jid;
}

/*
 * Gives frame @pfn back with hwpoison_inject's unpoison-pfn (unpoison_memory()),
 * marks journal record @jid undone when it is, and says so. Returns 0 or
 * -errno: -ENOENT when this kernel or machine has no unpoison-pfn (no
 * CONFIG_HWPOISON_INJECT, module not loaded, debugfs not mounted): the
 * frame then stays poisoned until the machine reboots.
 */
static int unpoison(uint64_t pfn, pmig_jid jid)
{
	char v[32];
	int err;

	if (!poisoned(pfn)) {
		/* Nothing to give back (the soft offline did not happen). */
		pmig_journal_undone(jid);
		return 0;
	}
	snprintf(v, sizeof(v), "%#" PRIx64, pfn);
	err = pmig_sysfile_write(UNPOISON_PFN, v);
	if (err == -ENOENT) {
		pmig_diag(
			"frame %#" PRIx64
			" stays poisoned until a reboot: no %s (hwpoison_inject not loaded, or debugfs not mounted)",
			pfn, UNPOISON_PFN);
		return err;
	}
	if (!err && poisoned(pfn))
		err = -EAGAIN;
	if (err) {
		pmig_diag("unpoison of frame %#" PRIx64 " failed: %s", pfn,
			  strerror(-err));
		return err;
	}
	pmig_journal_undone(jid);
	pmig_diag("frame %#" PRIx64 " unpoisoned (kpageflags now %#" PRIx64 ")",
		  pfn, pfn_flags(pfn));
	return 0;
}

/* madvise(MADV_SOFT_OFFLINE) of the base page at @addr: 0 or -errno. */
static int offline_madvise(void *addr)
{
	return madvise(addr, (size_t)sysconf(_SC_PAGESIZE), MADV_SOFT_OFFLINE) ?
		       -errno :
		       0;
}

/* Frame @pfn's physical address written to soft_offline_page: 0 or -errno. */
static int offline_sysfs(uint64_t pfn)
{
	char v[32];

	snprintf(v, sizeof(v), "%#llx",
		 (unsigned long long)pfn *
			 (unsigned long long)sysconf(_SC_PAGESIZE));
	return pmig_sysfile_write(SOFT_OFFLINE_PAGE, v);
}

/* The page at @addr, with frame @pfn, soft-offlined as @arg says. */
static int offline(long arg, void *addr, uint64_t pfn)
{
	return arg & PMIG_SO_VIA_SYSFS ? offline_sysfs(pfn) :
					 offline_madvise(addr);
}

/* The error's name, for diagnostics. */
static const char *err_name(int err)
{
	return err ? strerror(-err) : "success";
}

/*
 * @node's count of memory failures handled (6.4+:
 * /sys/devices/system/node/nodeN/memory_failure/total), or -1 where there
 * is none. mm/memory-failure.c counts it in action_result(), on the
 * memory_failure() path only.
 */
static long mf_total(int node)
{
	char path[96];

	snprintf(path, sizeof(path),
		 "/sys/devices/system/node/node%d/memory_failure/total", node);
	return pmig_read_number(path);
}

enum { NPAGES = 4, VICTIM = 1 };

/*
 * NPAGES pages of the row's kind on home; page VICTIM soft-offlined by
 * madvise() or the sysfs file. The call succeeds; every page keeps its
 * data; the victim's address maps another frame, the others keep theirs;
 * the old frame is HWPoison by kpageflags, the new one not; the new frame
 * is on the node the row expects, by a status query and by its memory
 * block; HardwareCorrupted grew by one page and pgmigrate_success by at
 * least one. Then the frame is given back (unpoison()).
 */
/*
 * Every row needs memory-failure support: without CONFIG_MEMORY_FAILURE
 * madvise() does not know MADV_SOFT_OFFLINE (-EINVAL for any address) and
 * there is no soft_offline_page file, so neither a move nor an error row
 * says anything about soft offline. SKIPs, saying which is missing.
 */
static void need_soft_offline(void)
{
	corrupted_kb();
	if (access(SOFT_OFFLINE_PAGE, F_OK))
		pmig_skip("this kernel has no %s (CONFIG_MEMORY_FAILURE)",
			  SOFT_OFFLINE_PAGE);
}

PMIG_CASE(soft_offline_moves)
{
	enum pmig_page_kind kind =
		(enum pmig_page_kind)(ctx->arg & PMIG_SO_KIND_MASK);
	struct pmig_pages p;
	uint64_t before[NPAGES], after[NPAGES];
	long long kb0, kb1, mig0, mig1;
	long want = pmig_expected(ctx, ctx->home), mf0;
	pmig_jid jid;
	int ret;

	need_soft_offline();

	pmig_kind_setup(ctx, &p, kind, NPAGES);
	for (size_t i = 0; i < NPAGES; i++)
		before[i] = frame(p.addrs[i]);
	kb0 = corrupted_kb();
	mig0 = pmig_vmstat("pgmigrate_success");
	mf0 = mf_total(ctx->home);
	jid = journal_poison(before[VICTIM]);
	ret = offline(ctx->arg, p.addrs[VICTIM], before[VICTIM]);
	kb1 = corrupted_kb();
	mig1 = pmig_vmstat("pgmigrate_success");
	pmig_diag("soft offline of frame %#" PRIx64 " (%s): %s", before[VICTIM],
		  ctx->arg & PMIG_SO_VIA_SYSFS ? SOFT_OFFLINE_PAGE :
						 "madvise(MADV_SOFT_OFFLINE)",
		  err_name(ret));
	if (!pmig_check_val("return", ret, 0)) {
		unpoison(before[VICTIM], jid);
		return;
	}
	for (size_t i = 0; i < NPAGES; i++)
		after[i] = frame(p.addrs[i]);
	pmig_diag(
		"frames before %#" PRIx64 " %#" PRIx64 " %#" PRIx64 " %#" PRIx64
		", after %#" PRIx64 " %#" PRIx64 " %#" PRIx64 " %#" PRIx64
		"; HardwareCorrupted %lld -> %lld kB; pgmigrate_success +%lld",
		before[0], before[1], before[2], before[3], after[0], after[1],
		after[2], after[3], kb0, kb1, mig1 - mig0);
	pmig_check(after[VICTIM] != before[VICTIM]);
	for (size_t i = 0; i < NPAGES; i++)
		if (i != VICTIM)
			pmig_check_val("other page's frame", (long)after[i],
				       (long)before[i]);
	pmig_check_val("first corrupt page", pmig_pages_first_corrupt(&p), -1);
	pmig_check(poisoned(before[VICTIM]));
	pmig_check(!poisoned(after[VICTIM]));
	pmig_check_val("node of the new frame", frame_node(after[VICTIM]),
		       want);
	pmig_kind_query(p.addrs, NPAGES, want);
	pmig_check_val("HardwareCorrupted growth (kB)", (long)(kb1 - kb0),
		       sysconf(_SC_PAGESIZE) / 1024);
	pmig_check(mig1 - mig0 >= 1);
	if (mf0 >= 0) {
		pmig_diag(
			"node %d's memory_failure/total: %ld before, %ld after",
			ctx->home, mf0, mf_total(ctx->home));
		pmig_check_val("memory_failure/total after",
			       mf_total(ctx->home), mf0);
	}
	if (!unpoison(before[VICTIM], jid))
		pmig_check_val("HardwareCorrupted after unpoison (kB)",
			       (long)corrupted_kb(), (long)kb0);
	pmig_pages_destroy(&p);
}

/*
 * One anonymous page on home soft-offlined; then three quarters of home's
 * free memory mapped, bound to home and written, page by page: none of
 * those pages got the poisoned frame, which is still HWPoison and not in
 * the buddy allocator (kpageflags BUDDY). Then it is given back.
 */
PMIG_CASE(soft_offline_not_reused)
{
	struct pmig_nodemask m = pmig_nodemask_of(ctx->home);
	size_t page = (size_t)sysconf(_SC_PAGESIZE), len, n, hits = 0;
	struct pmig_pages p;
	uint64_t old, *e, f;
	pmig_jid jid;
	char *a;
	int ret;

	need_soft_offline();

	pmig_kind_setup(ctx, &p, PMIG_PAGE_ANON, 1);
	old = frame(p.addrs[0]);
	jid = journal_poison(old);
	ret = offline_madvise(p.addrs[0]);
	if (ret)
		pmig_broken("soft offline of frame %#" PRIx64 ": %s", old,
			    err_name(ret));
	len = (size_t)(pmig_node_meminfo(ctx->home, "MemFree") / 4 * 3) / page *
	      page;
	n = len / page;
	a = pmig_map(len, false);
	e = calloc(n, sizeof(*e));
	if (!a || !e)
		pmig_broken("cannot map or track %zu bytes: %s", len,
			    strerror(errno));
	if (pmig_mbind(a, len, MPOL_BIND, m.bits, PMIG_MASK_MAXNODE, 0))
		pmig_broken("mbind to node %d: %s", ctx->home, strerror(errno));
	for (size_t off = 0; off < len; off += page)
		a[off] = 1;
	if (pmig_pagemap_range(a, n, e))
		pmig_broken("cannot read the filler's pagemap");
	for (size_t j = 0; j < n; j++)
		if ((e[j] & PMIG_PM_PFN_MASK) == old)
			hits++;
	f = pfn_flags(old);
	pmig_diag(
		"after soft offline of frame %#" PRIx64
		", %zu MiB written on node %d: %zu of its %zu pages on that frame; its kpageflags %#" PRIx64,
		old, len >> 20, ctx->home, hits, n, f);
	munmap(a, len);
	free(e);
	pmig_check_eq(hits, 0);
	pmig_check(f & PMIG_KIND_KPF(KPF_HWPOISON));
	pmig_check(!(f & PMIG_KIND_KPF(KPF_BUDDY)));
	unpoison(old, jid);
	pmig_pages_destroy(&p);
}

/*
 * One THP on home; its base page 3 soft-offlined. The row's value is how
 * many of its base pages changed frame; the case checks the data, that the
 * old frame of page 3 is HWPoison, and says whether the rest is still one
 * THP (kpageflags THP on page 0).
 */
PMIG_CASE(soft_offline_thp)
{
	struct pmig_pages p;
	size_t base = (size_t)sysconf(_SC_PAGESIZE), nbase;
	uint64_t *before, *after, f0;
	long changed = 0;
	pmig_jid jid;
	int ret;

	need_soft_offline();

	pmig_kind_setup(ctx, &p, PMIG_PAGE_THP, 1);
	pmig_kind_require_thp(&p);
	nbase = p.page_size / base;
	before = calloc(nbase, sizeof(*before));
	after = calloc(nbase, sizeof(*after));
	if (!before || !after)
		pmig_broken("out of memory");
	if (pmig_pagemap_range(p.base, nbase, before))
		pmig_broken("cannot read the pagemap");
	for (size_t i = 0; i < nbase; i++)
		before[i] &= PMIG_PM_PFN_MASK;
	if (!before[3])
		pmig_skip("the pagemap hides page frame numbers");
	jid = journal_poison(before[3]);
	ret = offline_madvise(p.base + 3 * base);
	pmig_diag("soft offline of base page 3 of a THP (frame %#" PRIx64
		  "): %s",
		  before[3], err_name(ret));
	if (!pmig_check_val("return", ret, 0)) {
		unpoison(before[3], jid);
		return;
	}
	if (pmig_pagemap_range(p.base, nbase, after))
		pmig_broken("cannot read the pagemap");
	for (size_t i = 0; i < nbase; i++)
		if ((after[i] & PMIG_PM_PFN_MASK) != before[i])
			changed++;
	f0 = pmig_kind_kflags(p.base);
	pmig_diag(
		"%ld of %zu base pages changed frame; base page 3 now on %#llx; base page 0 kpageflags %#" PRIx64
		" (%s)",
		changed, nbase,
		(unsigned long long)(after[3] & PMIG_PM_PFN_MASK), f0,
		f0 & PMIG_KIND_KPF(KPF_THP) ? "still a THP" : "split");
	pmig_check_val("first corrupt page", pmig_pages_first_corrupt(&p), -1);
	pmig_check(poisoned(before[3]));
	pmig_check_val("node of base page 3's frame",
		       frame_node(after[3] & PMIG_PM_PFN_MASK),
		       (long)ctx->home);
	pmig_check_eq(changed, ctx->expect);
	unpoison(before[3], jid);
	free(after);
	free(before);
	pmig_pages_destroy(&p);
}

/* HugePages_Total of @node's pool of the size the cases use. */
static long pool_total(int node)
{
	char path[128];

	snprintf(
		path, sizeof(path),
		"/sys/devices/system/node/node%d/hugepages/hugepages-%zukB/nr_hugepages",
		node, pmig_page_sizes()->hugetlb / 1024);
	return pmig_read_number(path);
}

/*
 * One hugetlb page on home (a pool of two there); its first base page
 * soft-offlined by madvise(). The call succeeds, the data stays, the
 * address maps another huge page on the node the row expects, the old
 * head frame is HWPoison, and home's pool is one page smaller: the old
 * huge page was dissolved into base pages.
 */
PMIG_CASE(soft_offline_hugetlb)
{
	struct pmig_pages p;
	uint64_t old, now;
	long pool0, pool1, want = pmig_expected(ctx, ctx->home);
	long long kb0;
	pmig_jid jid;
	int ret;

	need_soft_offline();

	pmig_kind_setup(ctx, &p, PMIG_PAGE_HUGETLB, 1);
	old = frame(p.base);
	pool0 = pool_total(ctx->home);
	kb0 = corrupted_kb();
	jid = journal_poison(old);
	ret = offline_madvise(p.base);
	pool1 = pool_total(ctx->home);
	pmig_diag(
		"soft offline of a hugetlb page (head frame %#" PRIx64
		"): %s; node %d's pool %ld -> %ld; HardwareCorrupted %lld -> %lld kB",
		old, err_name(ret), ctx->home, pool0, pool1, kb0,
		corrupted_kb());
	if (!pmig_check_val("return", ret, 0)) {
		unpoison(old, jid);
		return;
	}
	now = frame(p.base);
	pmig_diag("the address now maps frame %#" PRIx64, now);
	pmig_check(now != old);
	pmig_check_val("first corrupt page", pmig_pages_first_corrupt(&p), -1);
	pmig_check(poisoned(old));
	pmig_check_val("node of the new frame", frame_node(now), want);
	pmig_kind_query(p.addrs, 1, want);
	pmig_check_val("home's pool after", pool1, pool0 - 1);
	unpoison(old, jid);
	pmig_pages_destroy(&p);
}

/*
 * One anonymous page soft-offlined by madvise(), then its old frame's
 * physical address written to soft_offline_page: the row's value is that
 * write's return; HardwareCorrupted must not grow a second time.
 */
PMIG_CASE(soft_offline_again)
{
	struct pmig_pages p;
	long long kb1, kb2;
	uint64_t old;
	pmig_jid jid;
	int ret;

	need_soft_offline();

	pmig_kind_setup(ctx, &p, PMIG_PAGE_ANON, 1);
	old = frame(p.addrs[0]);
	jid = journal_poison(old);
	ret = offline_madvise(p.addrs[0]);
	if (ret)
		pmig_broken("first soft offline of frame %#" PRIx64 ": %s", old,
			    err_name(ret));
	kb1 = corrupted_kb();
	ret = offline_sysfs(old);
	kb2 = corrupted_kb();
	pmig_diag("soft offline of the poisoned frame %#" PRIx64
		  " again: %s; HardwareCorrupted %lld -> %lld kB",
		  old, err_name(ret), kb1, kb2);
	pmig_check_eq(ret, ctx->expect);
	pmig_check_val("HardwareCorrupted growth (kB)", (long)(kb2 - kb1), 0);
	pmig_check(poisoned(old));
	unpoison(old, jid);
	pmig_pages_destroy(&p);
}

/*
 * One anonymous page soft-offlined, then its old frame written to
 * unpoison-pfn: the row's value is that write's return; after it the frame
 * is no longer HWPoison and HardwareCorrupted is back where it was. With
 * ctx->arg PMIG_SO_UNPOISON_TWICE that first write must succeed, and the
 * row's value is the return of the same write again, which must leave the
 * frame and HardwareCorrupted as they are.
 */
PMIG_CASE(soft_offline_unpoison)
{
	struct pmig_pages p;
	long long kb0, kb1, kb2;
	uint64_t old;
	char v[32];
	pmig_jid jid;
	int ret, again;

	need_soft_offline();

	if (access(UNPOISON_PFN, F_OK))
		pmig_skip(
			"no %s: hwpoison_inject not loaded (CONFIG_HWPOISON_INJECT), or debugfs not mounted",
			UNPOISON_PFN);
	pmig_kind_setup(ctx, &p, PMIG_PAGE_ANON, 1);
	old = frame(p.addrs[0]);
	kb0 = corrupted_kb();
	jid = journal_poison(old);
	ret = offline_madvise(p.addrs[0]);
	if (ret)
		pmig_broken("soft offline of frame %#" PRIx64 ": %s", old,
			    err_name(ret));
	snprintf(v, sizeof(v), "%#" PRIx64, old);
	ret = pmig_sysfile_write(UNPOISON_PFN, v);
	kb1 = corrupted_kb();
	pmig_diag(
		"unpoison-pfn %s: %s; kpageflags now %#" PRIx64
		"; HardwareCorrupted %lld kB before the soft offline, %lld after the unpoison",
		v, err_name(ret), pfn_flags(old), kb0, kb1);
	if (ret) {
		unpoison(old, jid);
		if (ctx->arg == PMIG_SO_UNPOISON_TWICE)
			pmig_broken("the first unpoison failed: %s",
				    err_name(ret));
		pmig_check_eq(ret, ctx->expect);
		return;
	}
	pmig_journal_undone(jid);
	pmig_check(!poisoned(old));
	pmig_check_val("HardwareCorrupted (kB)", (long)kb1, (long)kb0);
	if (ctx->arg != PMIG_SO_UNPOISON_TWICE) {
		pmig_check_eq(ret, ctx->expect);
		pmig_pages_destroy(&p);
		return;
	}
	again = pmig_sysfile_write(UNPOISON_PFN, v);
	kb2 = corrupted_kb();
	pmig_diag("unpoison-pfn %s again: %s; HardwareCorrupted %lld kB", v,
		  err_name(again), kb2);
	pmig_check_eq(again, ctx->expect);
	pmig_check(!poisoned(old));
	pmig_check_val("HardwareCorrupted after the second (kB)", (long)kb2,
		       (long)kb1);
	pmig_pages_destroy(&p);
}

/*
 * The soft offline of @arg (madvise() of @addr, or frame @pfn to the sysfs
 * file) made by a child without CAP_SYS_ADMIN: its return. A child, so
 * that this process keeps the capability the pagemap and kpageflags need
 * to see whether the frame moved or was poisoned after all.
 */
static int without_sys_admin(long arg, void *addr, uint64_t pfn)
{
	int st, err;
	pid_t pid = fork();

	if (pid < 0)
		pmig_broken("fork: %s", strerror(errno));
	if (pid == 0) {
		err = pmig_priv_drop_caps(PMIG_CAP(CAP_SYS_ADMIN));
		if (err)
			_exit(255);
		err = arg == PMIG_SO_E_CAPS_SYSFS ? offline_sysfs(pfn) :
						    offline_madvise(addr);
		_exit(-err);
	}
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) ||
	    WEXITSTATUS(st) == 255)
		pmig_broken(
			"the child without CAP_SYS_ADMIN did not report (status %#x)",
			st);
	return -WEXITSTATUS(st);
}

/*
 * After madvise(MADV_SOFT_OFFLINE) of @p's never-touched page (returned
 * @ret): its get_user_pages_fast() read fault mapped the shared zero page
 * there, which must not be poisoned (every read of untouched anonymous
 * memory maps it). Not journaled: the zero page is mapped everywhere, so
 * unpoison_memory() would refuse it anyway ("someone maps the hwpoison
 * page").
 */
static void zero_page_left(const struct pmig_pages *p, int ret)
{
	uint64_t pfn = frame(p->addrs[0]), f = pfn_flags(pfn);

	pmig_diag(
		"soft offline of a never-touched page: %s; the address now maps frame %#" PRIx64
		", kpageflags %#" PRIx64 "%s",
		err_name(ret), pfn, f,
		f & PMIG_KIND_KPF(KPF_ZERO_PAGE) ? " (the zero page)" : "");
	pmig_check(f & PMIG_KIND_KPF(KPF_ZERO_PAGE));
	pmig_check(!(f & PMIG_KIND_KPF(KPF_HWPOISON)));
}

/*
 * A soft offline that must fail (ctx->arg: enum so_error); the row's value
 * is its return. Where there is a page, it must keep its frame and data and
 * its frame must not be poisoned (given back if it was).
 */
PMIG_CASE(soft_offline_refused)
{
	struct pmig_pages p = { 0 };
	struct pmig_pin pin;
	uint64_t old = 0;
	pmig_jid jid = 0;
	bool pinned = false;
	int ret, err;

	need_soft_offline();

	switch (ctx->arg) {
	case PMIG_SO_E_HOLE:
		pmig_kind_setup(ctx, &p, PMIG_PAGE_HOLE, 1);
		ret = offline_madvise(p.addrs[0]);
		break;
	case PMIG_SO_E_NO_FRAME:
		/* 64 TiB: past MAX_PHYSMEM_BITS (46) of x86-64's 4-level paging, no section there. */
		ret = pmig_sysfile_write(SOFT_OFFLINE_PAGE, "0x400000000000");
		break;
	case PMIG_SO_E_NOT_A_NUMBER:
		ret = pmig_sysfile_write(SOFT_OFFLINE_PAGE, "pmig");
		break;
	case PMIG_SO_E_NEVER_TOUCHED:
		pmig_kind_setup(ctx, &p, PMIG_PAGE_NEVER_TOUCHED, 1);
		ret = offline_madvise(p.addrs[0]);
		zero_page_left(&p, ret);
		pmig_check_eq(ret, ctx->expect);
		return;
	default:
		pmig_kind_setup(ctx, &p, PMIG_PAGE_ANON, 1);
		old = frame(p.addrs[0]);
		if (ctx->arg == PMIG_SO_E_PINNED) {
			err = pmig_pin(&pin, p.addrs[0], p.page_size);
			if (err)
				pmig_broken("vmsplice of the page: %s",
					    strerror(-err));
			pinned = true;
		}
		jid = journal_poison(old);
		if (ctx->arg == PMIG_SO_E_CAPS_MADVISE ||
		    ctx->arg == PMIG_SO_E_CAPS_SYSFS)
			ret = without_sys_admin(ctx->arg, p.addrs[0], old);
		else
			ret = offline_madvise(p.addrs[0]);
		break;
	}
	pmig_diag("soft offline: %s", err_name(ret));
	pmig_check_eq(ret, ctx->expect);
	if (pinned)
		pmig_unpin(&pin);
	if (!old)
		return;
	pmig_check_val("frame", (long)frame(p.addrs[0]), (long)old);
	pmig_check_val("first corrupt page", pmig_pages_first_corrupt(&p), -1);
	if (poisoned(old)) {
		pmig_fail_at(__FILE__, __LINE__,
			     "frame %#" PRIx64 " was poisoned", old);
		unpoison(old, jid);
	} else {
		pmig_journal_undone(jid);
	}
	pmig_pages_destroy(&p);
}
