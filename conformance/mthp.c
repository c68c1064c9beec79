/* mthp.c - conformance cases of multi-size THP (mTHP) migration: every folio size below the PMD the kernel offers, through move_pages(2), migrate_pages(2) and mbind(2), and a target node with no free block of the folio's order. */
#include <dirent.h>
#include <errno.h>
#include <linux/kernel-page-flags.h>
#include <numa.h>
#include <numaif.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "cases.h"
#include "check.h"
#include "cpuset.h"
#include "fixtures.h"
#include "invariants.h"
#include "kind_checks.h"
#include "pageinfo.h"
#include "pages.h"
#include "pagesizes.h"
#include "settings.h"
#include "sysfile.h"
#include "syscalls.h"

#define THP_DIR "/sys/kernel/mm/transparent_hugepage"

/*
 * Folios per size: more than one, so that a per-folio rule (status[1] of
 * each folio's run of addresses) is seen to repeat, and few enough that
 * 4 x 1 MiB fits a 512 MiB node beside the rest of a run.
 */
enum { NFOLIOS = 4, MAX_SIZES = 24 };

/* ctx->arg of mthp_range_move: which call moves the region. */
enum { BY_MIGRATE_PAGES = 0, BY_MBIND = 1 };

/* The THP sizes of this kernel (hugepages-<kB>kB directories), smallest first. */
struct sizes {
	size_t n,
		below; /* all of them; the first @below are under the PMD size */
	size_t bytes[MAX_SIZES];
};

static int by_size(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	return (x > y) - (x < y);
}

static void enabled_path(size_t bytes, char *buf, size_t len)
{
	snprintf(buf, len, THP_DIR "/hugepages-%zukB/enabled", bytes >> 10);
}

/*
 * The sizes this kernel offers anonymous THP in. SKIPs, saying which, on a
 * kernel without THP (no THP_DIR: CONFIG_TRANSPARENT_HUGEPAGE off, or the
 * CPU cannot map a PMD) and on one without multi-size THP (no
 * hugepages-<kB>kB directory below the PMD size: before 6.8).
 */
static void offered(struct sizes *s)
{
	size_t pmd = pmig_page_sizes()->thp;
	struct dirent *e;
	DIR *d = opendir(THP_DIR);

	memset(s, 0, sizeof(*s));
	if (!d || !pmd)
		pmig_skip(
			"this kernel has no transparent huge pages (no %s%s): no mTHP either",
			THP_DIR, d ? "/hpage_pmd_size" : "");
	while ((e = readdir(d)) && s->n < MAX_SIZES) {
		size_t kb;
		char end;

		char path[128];

		/* An order only file THP may take (8 kB: order 1) has no anonymous switch. */
		if (sscanf(e->d_name, "hugepages-%zukB%c", &kb, &end) != 1)
			continue;
		enabled_path(kb << 10, path, sizeof(path));
		if (!access(path, F_OK))
			s->bytes[s->n++] = kb << 10;
	}
	closedir(d);
	qsort(s->bytes, s->n, sizeof(s->bytes[0]), by_size);
	while (s->below < s->n && s->bytes[s->below] < pmd)
		s->below++;
	if (!s->below)
		pmig_skip(
			"this kernel has no multi-size THP: no %s/hugepages-<size>kB/enabled below the PMD size (%zu kB; %zu sizes in all); mTHP came in 6.8",
			THP_DIR, pmd >> 10, s->n);
}

/*
 * Makes @bytes the one THP size an anonymous fault in a MADV_HUGEPAGE
 * region may take ("madvise"; 0: none), every other size "never", and
 * reads each back. The row's settings set wrote "never" to every size's
 * file through the runner's journal, which restores them after the case
 * whatever happens to it: a file that reads anything but "never" or
 * "madvise" here was not in that set, and the case will not touch it.
 */
static void only_size(const struct sizes *s, size_t bytes)
{
	for (size_t i = 0; i < s->n; i++) {
		const char *want = s->bytes[i] == bytes ? "madvise" : "never";
		char path[128], now[64];
		int err;

		enabled_path(s->bytes[i], path, sizeof(path));
		if ((err = pmig_sysfile_read(path, now, sizeof(now))))
			pmig_broken("cannot read %s: %s", path, strerror(-err));
		if (!strcmp(now, want))
			continue;
		if (strcmp(now, "never") && strcmp(now, "madvise"))
			pmig_broken(
				"%s reads %s: not a size the runner's settings set (case_settings.h) journaled",
				path, now);
		if ((err = pmig_sysfile_write(path, want)))
			pmig_broken("cannot write %s to %s: %s", want, path,
				    strerror(-err));
		if ((err = pmig_sysfile_read(path, now, sizeof(now))) ||
		    strcmp(now, want))
			pmig_broken("%s reads %s after writing %s", path,
				    err ? strerror(-err) : now, want);
	}
}

/* A per-size counter (hugepages-<kB>kB/stats/@name, 6.10 on), or -1 where this kernel has none. */
static long size_stat(size_t bytes, const char *name)
{
	char path[160];

	snprintf(path, sizeof(path), THP_DIR "/hugepages-%zukB/stats/%s",
		 bytes >> 10, name);
	return access(path, R_OK) ? -1 : pmig_read_number(path);
}

/* A /proc/vmstat counter, or -1 where this kernel has none. */
static long long vmstat(const char *name)
{
	char key[64];
	long long v, found = -1;
	FILE *f = fopen("/proc/vmstat", "re");

	while (f && fscanf(f, "%63s %lld", key, &v) == 2)
		if (!strcmp(key, name))
			found = v;
	if (f)
		fclose(f);
	return found;
}

static unsigned order_of(size_t pages)
{
	return (unsigned)__builtin_ctzl(pages);
}

/*
 * The order of the folio that maps the @n base pages from @addr: log2(@n)
 * when they are one folio (present, frames contiguous from one aligned to
 * @n, kpageflags COMPOUND_HEAD and THP on the first, COMPOUND_TAIL on the
 * others and not on the frame after), 0 when each is a page of its own (no
 * COMPOUND bit on any), -1 otherwise. @why says what was seen.
 */
static int folio_order(const char *addr, size_t n, char *why, size_t len)
{
	const uint64_t head = PMIG_KIND_KPF(KPF_COMPOUND_HEAD),
		       tail = PMIG_KIND_KPF(KPF_COMPOUND_TAIL),
		       thp = PMIG_KIND_KPF(KPF_THP);
	uint64_t *e = calloc(n, sizeof(*e)), *f = calloc(n + 1, sizeof(*f));
	size_t heads = 0, tails = 0, contiguous = 1;
	int order = -1, err;

	if (!e || !f)
		pmig_broken("out of memory");
	if ((err = pmig_pagemap_range(addr, n, e)))
		pmig_skip("cannot read /proc/self/pagemap: %s", strerror(-err));
	for (size_t j = 0; j < n; j++) {
		uint64_t pfn = e[j] & PMIG_PM_PFN_MASK;

		if (!(e[j] & PMIG_PM_PRESENT) || !pfn)
			pmig_skip(
				"base page %zu at %p is not present, or the pagemap hides frames (entry %#llx)",
				j,
				(const void *)(addr +
					       j * pmig_page_sizes()->base),
				(unsigned long long)e[j]);
		if (pmig_kpageflags_pfn(pfn, 1, &f[j]))
			pmig_skip("cannot read /proc/kpageflags of frame %#llx",
				  (unsigned long long)pfn);
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
			order = (int)order_of(n);
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
	free(e);
	free(f);
	return order;
}

/* Subpages of one folio of @p. */
static size_t per_folio(const struct pmig_pages *p)
{
	return p->page_size / pmig_page_sizes()->base;
}

/* The address of every base page of every folio of @p, in order. */
static void **subpages(const struct pmig_pages *p)
{
	size_t n = per_folio(p), base = pmig_page_sizes()->base;
	void **a = calloc(p->count * n, sizeof(*a));

	if (!a)
		pmig_broken("out of memory");
	for (size_t i = 0; i < p->count * n; i++)
		a[i] = p->base + i * base;
	return a;
}

/*
 * NFOLIOS folios of @bytes on @node with only that size enabled, proven
 * folios of its order by the pagemap and kpageflags, and by the size's
 * anon_fault_alloc counter where the kernel has it. SKIPs when the kernel
 * backed them otherwise (no free block of the order on @node).
 */
static void make_on(const struct pmig_ctx *ctx, const struct sizes *s,
		    size_t bytes, int node, struct pmig_pages *p)
{
	long before = size_stat(bytes, "anon_fault_alloc"), after;
	size_t n = bytes / pmig_page_sizes()->base;
	char why[256];
	int err;

	only_size(s, bytes);
	err = pmig_pages_create_mthp(p, bytes, NFOLIOS, node, ctx->seed);
	if (err)
		pmig_broken("cannot make %d %zu kB folios on node %d: %s",
			    NFOLIOS, bytes >> 10, node, strerror(-err));
	for (size_t i = 0; i < p->count; i++)
		if (folio_order(p->addrs[i], n, why, sizeof(why)) !=
		    (int)order_of(n))
			pmig_skip(
				"the kernel backed %zu kB folio %zu otherwise than with one folio of order %u: %s",
				bytes >> 10, i, order_of(n), why);
	after = size_stat(bytes, "anon_fault_alloc");
	if (before >= 0 && after >= 0)
		pmig_check(after - before >= NFOLIOS);
	pmig_diag(
		"%zu kB (order %u): %d folios on node %d, kpageflags head+tails and aligned frames; anon_fault_alloc %s%ld",
		bytes >> 10, order_of(n), NFOLIOS, node,
		before < 0 ? "not in this kernel" : "+",
		before < 0 ? 0 : after - before);
}

/* make_on() ctx->home. */
static void make(const struct pmig_ctx *ctx, const struct sizes *s,
		 size_t bytes, struct pmig_pages *p)
{
	make_on(ctx, s, bytes, ctx->home, p);
}

/*
 * Every base page of @p is on @node by its frame's memory block (the
 * witness beside the status query) and the data is intact; returns how
 * many folios are still one folio of @p's order (the rest are described).
 */
#define placed(p, node) placed_at(__FILE__, __LINE__, p, node)
static size_t placed_at(const char *file, int line, const struct pmig_pages *p,
			int node)
{
	PMIG_CALLED_FROM(file, line);
	size_t n = per_folio(p), total = p->count * n, on = 0, kept = 0;
	uint64_t *e = calloc(total, sizeof(*e));
	void **addrs = subpages(p);
	char label[64], why[256];
	int err;

	if (!e)
		pmig_broken("out of memory");
	pmig_kind_query(addrs, total, node);
	if ((err = pmig_pagemap_range(p->base, total, e)))
		pmig_skip("cannot read /proc/self/pagemap: %s", strerror(-err));
	for (size_t i = 0; i < total; i++) {
		err = pmig_frame_on_node(e[i] & PMIG_PM_PFN_MASK,
					 pmig_page_sizes()->base, node);
		if (err < 0)
			pmig_skip(
				"cannot read /sys/devices/system/memory/block_size_bytes: %s",
				strerror(-err));
		on += (size_t)err;
	}
	snprintf(label, sizeof(label), "base pages in node%d's memory blocks",
		 node);
	pmig_check_val(label, on, total);
	pmig_check_eq(pmig_pages_first_corrupt(p), -1);
	for (size_t i = 0; i < p->count; i++) {
		int order = folio_order(p->addrs[i], n, why, sizeof(why));

		if (order == (int)order_of(n))
			kept++;
		else
			pmig_diag("folio %zu after: order %d (%s)", i, order,
				  why);
	}
	free(addrs);
	free(e);
	return kept;
}

/* Each folio of @p is still one folio of its order: the target had room, so alloc_migration_target() gave one. */
#define check_kept(p, node)                                            \
	pmig_check_val("folios still of their order", placed(p, node), \
		       (p)->count)

/*
 * (a) The addresses of every base page of every folio in one move to
 * ctx->other: status[1] of each folio's run is the row's, the others say
 * the node.
 */
PMIG_CASE(mthp_every_subpage)
{
	struct sizes s;

	offered(&s);
	for (size_t k = 0; k < s.below; k++) {
		struct pmig_pages p;
		size_t n, total;
		void **addrs;
		int *status;

		make(ctx, &s, s.bytes[k], &p);
		n = per_folio(&p);
		total = p.count * n;
		addrs = subpages(&p);
		status = calloc(total, sizeof(*status));
		if (!status)
			pmig_broken("out of memory");
		pmig_kind_move(addrs, total, ctx->other, MPOL_MF_MOVE, status,
			       &p);
		pmig_diag("%zu kB: status[0..3] of folio 0 = %d %d %d %d",
			  s.bytes[k] >> 10, status[0], status[1], status[2],
			  status[3]);
		for (size_t i = 0; i < p.count; i++) {
			char label[64];

			snprintf(label, sizeof(label),
				 "%zu kB folio %zu: status[1]",
				 s.bytes[k] >> 10, i);
			pmig_check_val(label, status[i * n + 1], ctx->expect);
			pmig_kind_check_statuses(status + i * n, n, 1,
						 ctx->other);
		}
		check_kept(&p, ctx->other);
		free(status);
		free(addrs);
		pmig_pages_destroy(&p);
	}
	only_size(&s, 0);
}

/* (b) One address per folio, a tail's (half the folio plus one base page in): the whole folio moves. */
PMIG_CASE(mthp_one_subpage)
{
	struct sizes s;

	offered(&s);
	for (size_t k = 0; k < s.below; k++) {
		size_t off = pmig_kind_offset(PMIG_KIND_AT_TAIL, s.bytes[k]);
		int status[NFOLIOS];
		void *addrs[NFOLIOS];
		struct pmig_pages p;

		make(ctx, &s, s.bytes[k], &p);
		for (size_t i = 0; i < p.count; i++)
			addrs[i] = (char *)p.addrs[i] + off;
		pmig_kind_move(addrs, p.count, ctx->other, MPOL_MF_MOVE, status,
			       &p);
		for (size_t i = 0; i < p.count; i++) {
			char label[64];

			snprintf(label, sizeof(label),
				 "%zu kB folio %zu, offset %zu: status",
				 s.bytes[k] >> 10, i, off);
			pmig_check_val(label, status[i],
				       pmig_expected(ctx, ctx->other));
		}
		check_kept(&p, ctx->other);
		pmig_pages_destroy(&p);
	}
	only_size(&s, 0);
}

/* (c) migrate_pages(2) of the process from home to other, or mbind(2) MPOL_BIND with MPOL_MF_MOVE (ctx->arg). */
PMIG_CASE(mthp_range_move)
{
	struct pmig_nodemask to = pmig_nodemask_of(ctx->other);
	struct sizes s;

	offered(&s);
	for (size_t k = 0; k < s.below; k++) {
		struct pmig_pages p;
		long ret;

		make(ctx, &s, s.bytes[k], &p);
		if (ctx->arg == BY_MBIND)
			ret = pmig_mbind(p.base, p.count * p.page_size,
					 MPOL_BIND, to.bits, PMIG_MASK_MAXNODE,
					 MPOL_MF_MOVE);
		else
			ret = pmig_migrate_one(0, ctx->home, ctx->other);
		pmig_diag("%zu kB: %s returned %ld", s.bytes[k] >> 10,
			  ctx->arg == BY_MBIND ? "mbind" : "migrate_pages",
			  ret);
		if (!pmig_check_eq(ret, 0))
			pmig_diag_left_on(ctx->home);
		check_kept(&p, pmig_expected(ctx, ctx->other));
		pmig_pages_destroy(&p);
	}
	only_size(&s, 0);
}

/* MemFree of @node in bytes; ERROR when its meminfo cannot be read. */
static long long node_free(int node)
{
	char path[96], line[160];
	long long kb = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/devices/system/node/node%d/meminfo",
		 node);
	f = fopen(path, "re");
	if (!f)
		pmig_broken("cannot open %s: %s", path, strerror(errno));
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "Node %*d MemFree: %lld kB", &kb) == 1)
			break;
	fclose(f);
	if (kb < 0)
		pmig_broken("no MemFree in %s", path);
	return kb << 10;
}

/*
 * The sum over @node's zones of watermark @mark ("min", "high") in bytes,
 * by /proc/zoneinfo. They differ by kernel: node 1 of a 2node guest had
 * min 22812 kB on 7.3, where a fault that took it below called the OOM
 * killer. ERROR when zoneinfo cannot be read.
 */
static long long watermark(int node, const char *mark)
{
	FILE *f = fopen("/proc/zoneinfo", "re");
	char line[256], key[32];
	long long sum = 0, v;
	int nid = -1;

	if (!f)
		pmig_broken("cannot open /proc/zoneinfo: %s", strerror(errno));
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "Node %d, zone", &nid) == 1)
			continue;
		if (nid == node && sscanf(line, " %31s %lld", key, &v) == 2 &&
		    !strcmp(key, mark))
			sum += v;
	}
	fclose(f);
	return sum * (long long)pmig_page_sizes()->base;
}

/*
 * The free blocks of order @order or more on @node, over its zones, by
 * /proc/buddyinfo (one column per order from 0), and into *@pages the base
 * pages they hold. ERROR when buddyinfo cannot be read.
 */
static long blocks_from(int node, unsigned order, long *pages)
{
	FILE *f = fopen("/proc/buddyinfo", "re");
	char line[512];
	long blocks = 0;

	if (!f)
		pmig_broken("cannot open /proc/buddyinfo: %s", strerror(errno));
	*pages = 0;
	while (fgets(line, sizeof(line), f)) {
		int nid, used = 0, k = 0;
		unsigned o = 0;
		char zone[32];
		long c;

		if (sscanf(line, "Node %d, zone %31s%n", &nid, zone, &used) !=
			    2 ||
		    nid != node)
			continue;
		for (char *q = line + used; sscanf(q, "%ld%n", &c, &k) == 1;
		     q += k, o++)
			if (o >= order) {
				blocks += c;
				*pages += c << o;
			}
	}
	fclose(f);
	return blocks;
}

/*
 * Unmaps, of the @count mlocked pages from @a, each whose frame number is
 * odd: its buddy (the even frame beside it) stays taken, so the freed
 * frame stays a free block of order 0. Which virtual page got which frame
 * is the allocator's choice, so the frame decides, not the address.
 */
static void free_odd_frames(char *a, size_t count)
{
	const size_t base = pmig_page_sizes()->base;
	uint64_t *e = calloc(count, sizeof(*e));
	size_t present = 0, odd = 0;
	int err;

	if (!e)
		pmig_broken("out of memory");
	if ((err = pmig_pagemap_range(a, count, e)))
		pmig_skip("cannot read /proc/self/pagemap: %s", strerror(-err));
	for (size_t i = 0; i < count; i++) {
		present += !!(e[i] & PMIG_PM_PRESENT);
		if (!(e[i] & PMIG_PM_PRESENT) ||
		    !((e[i] & PMIG_PM_PFN_MASK) % 2))
			continue;
		odd++;
		if (munmap(a + i * base, base))
			pmig_broken("munmap of a filler page: %s",
				    strerror(errno));
	}
	pmig_diag(
		"filler: %zu of %zu pages present, %zu of odd frames unmapped",
		present, count, odd);
	free(e);
}

/*
 * Frees pages held in per-CPU lists into the buddy lists, where buddyinfo
 * counts them and they merge: a write to /proc/sys/vm/stat_refresh runs
 * refresh_cpu_vm_stats() on every CPU, which drains a remote node's
 * per-CPU pages once they have been idle for 3 of its rounds
 * (mm/vmstat.c). Seen on 6.12 without it: the odd frames freed reached
 * MemFree over more than a second, and blocks of the folios' order were
 * back on the node by the time they moved.
 */
static void drain_pcp(void)
{
	for (int i = 0; i < 4; i++) {
		int err = pmig_sysfile_write("/proc/sys/vm/stat_refresh", "1");

		if (err)
			pmig_broken(
				"cannot write /proc/sys/vm/stat_refresh: %s",
				strerror(-err));
	}
}

/*
 * Waits until @node's MemFree holds still over 3 reads 0.5 s apart (at
 * most 30 s), draining the per-CPU lists before each. Seen on 6.12: the
 * pages of odd frames unmapped from the mlocked filler reached the buddy
 * lists about 1000 at a time, one batch every second or so, for 10 s.
 */
static void settle(int node)
{
	long long last = -1;
	int still = 0;

	for (int t = 0; t < 60 && still < 3; t++) {
		long long now;

		drain_pcp();
		now = node_free(node);
		still = now == last ? still + 1 : 0;
		last = now;
		usleep(500000);
	}
}

/* Diagnostic: @node's free blocks per order, as /proc/buddyinfo sums them over its zones. */
static void diag_buddy(int node)
{
	char line[256];
	size_t used = 0;
	long prev = 0, pages;

	for (unsigned o = 0; o < 14; o++) {
		long b = blocks_from(node, o, &pages);

		if (o && b == 0 && prev == 0)
			break;
		if (o)
			used += (size_t)snprintf(line + used,
						 sizeof(line) - used, " %ld",
						 prev - b);
		prev = b;
	}
	pmig_diag("node %d free blocks by order from 0:%s", node,
		  used ? line : " none");
}

/*
 * Leaves @node with free base pages but no free block of @order or more:
 * all but its high watermark and 24 MiB of its free memory taken by
 * mlocked base pages, those
 * of odd frames among the first 2 x @room bytes of them unmapped again
 * (free frames whose buddies stay taken: free_odd_frames()), then what is left of the higher
 * orders taken by folios of @bytes faulted one by one until buddyinfo
 * shows none (mlocked too). With compact_unevictable_allowed 0 (the row's
 * settings) compaction cannot move any of it to make a block, and with
 * extfrag_threshold 1000 it does not try for an order above 3 (seen on
 * 6.12 without it: 32 more pages than the folios' migrated, and the
 * folios found blocks of their order after all). Returns the
 * free blocks of @order or more still left (0 when it worked).
 */
static long no_room(int node, size_t bytes, size_t room)
{
	const size_t base = pmig_page_sizes()->base, n = bytes / base;
	struct pmig_nodemask m = pmig_nodemask_of(node);
	long long free = node_free(node),
		  headroom = watermark(node, "high") + (24LL << 20),
		  floor = watermark(node, "min") + (8LL << 20);
	size_t len, clen, used = 0, fallbacks = 0;
	long left, pages;
	char *fill, *c;

	if (free < headroom + 2 * (long long)room + (16LL << 20))
		pmig_skip(
			"node %d has %lld MiB free: too little to fill and leave %zu MiB of base pages",
			node, free >> 20, room >> 20);
	len = (size_t)(free - headroom) / base * base;
	fill = pmig_map(len, false);
	if (!fill ||
	    pmig_mbind(fill, len, MPOL_BIND, m.bits, PMIG_MASK_MAXNODE, 0))
		pmig_broken("cannot map and bind %zu MiB to node %d: %s",
			    len >> 20, node, strerror(errno));
	if (mlock(fill, len))
		pmig_broken("mlock of %zu MiB on node %d: %s", len >> 20, node,
			    strerror(errno));
	free_odd_frames(fill, 2 * room / base);
	settle(node);
	left = blocks_from(node, order_of(n), &pages);
	diag_buddy(node);
	pmig_diag(
		"node %d: %zu MiB mlocked, the odd frames of %zu MiB of it freed; %ld free blocks of order >= %u left (%ld pages), MemFree %lld MiB, watermarks min %lld high %lld MiB",
		node, len >> 20, 2 * room >> 20, left, order_of(n), pages,
		node_free(node) >> 20, watermark(node, "min") >> 20,
		watermark(node, "high") >> 20);
	clen = ((size_t)(pages * (long)base) / bytes + 64) * bytes;
	c = pmig_map(clen, false);
	if (!c || madvise(c, clen, MADV_HUGEPAGE) ||
	    pmig_mbind(c, clen, MPOL_BIND, m.bits, PMIG_MASK_MAXNODE, 0))
		pmig_broken("cannot map and bind %zu MiB to node %d: %s",
			    clen >> 20, node, strerror(errno));
	/* mlocked at once: kswapd would swap an evictable one out (to zram in a pmig vm guest) and free its block again. */
	/*
	 * Until a fault falls back to base pages with none left in
	 * buddyinfo: blocks can also wait in the per-CPU lists (the PMD
	 * order's, which buddyinfo does not count), and only an allocation
	 * that fails its first tries drains them all (drain_all_pages() in
	 * __alloc_pages_direct_reclaim()). Seen on 7.2 and 7.3 when the loop
	 * stopped at buddyinfo's 0: the 4 folios moved whole.
	 */
	for (int round = 0; round < 8 && (left > 0 || !fallbacks); round++) {
		/* Not within 8 MiB of the min watermark: a fault that fell back to a base page below it calls the OOM killer (seen on 7.3). */
		while (used + bytes <= clen && node_free(node) > floor &&
		       (left > 0 || !fallbacks)) {
			c[used] = 1;
			/* A fault that fell back maps one base page (7.3) or all of them with base pages. */
			if (!(pmig_kind_kflags(c + used) &
			      PMIG_KIND_KPF(KPF_COMPOUND_HEAD)))
				fallbacks++;
			if (mlock(c + used, bytes))
				pmig_broken("mlock of %zu kB on node %d: %s",
					    bytes >> 10, node, strerror(errno));
			used += bytes;
			left = blocks_from(node, order_of(n), &pages);
		}
		drain_pcp();
		left = blocks_from(node, order_of(n), &pages);
	}

	pmig_diag(
		"node %d: %zu folios of %zu kB faulted (%zu fell back to base pages); %ld free blocks of order >= %u left, MemFree %lld MiB",
		node, used / bytes, bytes >> 10, fallbacks, left, order_of(n),
		node_free(node) >> 20);
	diag_buddy(node);
	return left;
}

/* How many base pages of each folio of @p a status query finds on @home, on @other, elsewhere (said); returns those elsewhere. */
static size_t where(const struct pmig_pages *p, int home, int other)
{
	size_t elsewhere = 0;
	size_t n = per_folio(p);
	void **addrs = subpages(p);
	int *st = calloc(n, sizeof(*st));

	if (!st)
		pmig_broken("out of memory");
	for (size_t i = 0; i < p->count; i++) {
		size_t on_home = 0, on_other = 0;

		pmig_status_reset(st, n);
		if (pmig_move_pages(0, n, addrs + i * n, NULL, st, 0))
			pmig_broken("status query: %s", strerror(errno));
		for (size_t j = 0; j < n; j++) {
			on_home += st[j] == home;
			on_other += st[j] == other;
		}
		pmig_diag(
			"folio %zu: %zu base pages on node %d, %zu on node %d, %zu elsewhere (status[0] %d)",
			i, on_home, home, on_other, other,
			n - on_home - on_other, st[0]);
		elsewhere += n - on_home - on_other;
	}
	free(st);
	free(addrs);
	return elsewhere;
}

/* The vmstat counters a no-room move is told by. */
static const char *const no_room_counters[] = {
	"pgmigrate_success",   "pgmigrate_fail", "thp_migration_success",
	"thp_migration_split", "thp_split_page", "compact_stall",
	"compact_success",     "pswpout"
};

/*
 * (d) The largest size below the PMD moved by one address per folio to
 * a node with no free block of its order: the folio is split and its base
 * pages move (the row's node), or the call says -ENOMEM.
 */
PMIG_CASE(mthp_no_room)
{
	long long before[PMIG_ARRAY_SIZE(no_room_counters)];
	long split_before, split_growth = -1, left, pages;
	size_t bytes, n, whole = 0, split = 0;
	int status[NFOLIOS], nodes[NFOLIOS], used = 0;
	long ret;
	struct pmig_pages p;
	struct sizes s;
	char delta[512], why[256];

	offered(&s);
	bytes = s.bytes[s.below - 1];
	n = bytes / pmig_page_sizes()->base;
	make(ctx, &s, bytes, &p);
	/*
	 * Unevictable, so that the base pages that reach other stay there:
	 * seen on 6.12 without it, 320 of them were swapped out (to the
	 * guest's zram) while other was short of blocks of the order, read
	 * -ENOENT, and came back on home when touched.
	 */
	if (mlock(p.base, p.count * p.page_size))
		pmig_broken("mlock of the folios: %s", strerror(errno));
	/* Free base pages for the split ones above the high watermark: the allocator's order-0 check counts every free page. */
	left = no_room(ctx->other, bytes,
		       (size_t)watermark(ctx->other, "high") + (16u << 20) +
			       2 * NFOLIOS * bytes);
	if (left)
		pmig_skip(
			"node %d still has %ld free blocks of order %u or more: the condition was not made",
			ctx->other, left, order_of(n));
	for (size_t i = 0; i < PMIG_ARRAY_SIZE(no_room_counters); i++)
		before[i] = vmstat(no_room_counters[i]);
	split_before = size_stat(bytes, "split");
	for (size_t i = 0; i < p.count; i++)
		nodes[i] = ctx->other;
	pmig_status_reset(status, p.count);
	ret = pmig_move_pages(0, p.count, p.addrs, nodes, status, MPOL_MF_MOVE);
	pmig_diag("move_pages returned %ld; status %d %d %d %d (%d: unwritten)",
		  ret, status[0], status[1], status[2], status[3],
		  PMIG_STATUS_UNWRITTEN);
	where(&p, ctx->home, ctx->other);
	for (size_t i = 0; i < PMIG_ARRAY_SIZE(no_room_counters); i++)
		used += snprintf(delta + used, sizeof(delta) - (size_t)used,
				 " %s %+lld", no_room_counters[i],
				 vmstat(no_room_counters[i]) - before[i]);
	if (split_before >= 0)
		split_growth = size_stat(bytes, "split") - split_before;
	pmig_diag(
		"after the move:%s; %zu kB stats/split %+ld (-1: not in this kernel); node %d free blocks of order >= %u: %ld",
		delta, bytes >> 10, split_growth, ctx->other, order_of(n),
		blocks_from(ctx->other, order_of(n), &pages));
	/* Statuses against a later query, the unwritten tail a positive return counts, the data. */
	pmig_check_move_invariants(p.addrs, nodes, status, p.count, ret, &p);
	pmig_check(ret >= 0 && ret <= (long)p.count);
	if (ret == 0) {
		pmig_kind_check_statuses(status, p.count, -1, ctx->other);
		placed(&p, ctx->other);
	} else if (ret > 0) {
		/* Each base page on home or other: none lost on the way. */
		pmig_check_val("base pages on neither node",
			       where(&p, ctx->home, ctx->other), 0);
	}
	/* Each folio moved whole (the allocator made room after all) or as base pages; nothing between. */
	for (size_t i = 0; i < p.count; i++) {
		int order = folio_order(p.addrs[i], n, why, sizeof(why));

		if (order == (int)order_of(n))
			whole++;
		else if (order == 0)
			split++;
		else
			pmig_fail_at(__FILE__, __LINE__,
				     "folio %zu after the move: %s", i, why);
	}
	pmig_diag("%zu of %zu folios split into base pages, %zu moved whole",
		  split, p.count, whole);
	if (split_growth >= 0)
		pmig_check_val("stats/split growth", split_growth, split);
	if (!split && !pmig_failures())
		pmig_skip(
			"every folio found a free block of order %u on node %d after all (the allocator's reclaim made room): the split was not reached",
			order_of(n), ctx->other);
	only_size(&s, 0);
}

/* Proactive reclaim's demotions: the pgdemote counters this kernel has (pgdemote_proactive 6.15 on). */
static const char *const demote_counters[] = { "pgdemote_kswapd",
					       "pgdemote_direct",
					       "pgdemote_proactive" };

/*
 * (e) The tiering path: every size in turn, 4 folios on home in a memory
 * cgroup whose cpuset.mems holds home and the lower tier, demotion on, and
 * all their bytes written to memory.reclaim: nothing lost, and what went
 * to the lower tier went as whole folios, of some size at least.
 */
PMIG_CASE(mthp_demotion)
{
	char mems[48], why[384], on[16];
	struct pmig_cpuset cs;
	struct sizes s;
	size_t demoted = 0, on_lower = 0;
	int err;

	offered(&s);
	if (pmig_sysfile_read("/sys/kernel/mm/numa/demotion_enabled", on,
			       sizeof(on)) ||
	    (strcmp(on, "true") && strcmp(on, "1")))
		pmig_skip(
			"no /sys/kernel/mm/numa/demotion_enabled reading true: this kernel does not demote");
	snprintf(mems, sizeof(mems), "%d,%d", ctx->home, ctx->lower);
	err = pmig_cpuset_create_memory(&cs, mems, why, sizeof(why));
	if (err > 0)
		pmig_skip("%s", why);
	if (err < 0)
		pmig_broken("cannot set up a memory cgroup: %s", why);
	if ((err = pmig_cpuset_move(&cs, 0)))
		pmig_broken("cannot move the case into %s: %s", cs.path,
			    strerror(-err));
	for (size_t k = 0; k < s.below; k++) {
		size_t n, total, lower = 0, home = 0, whole = 0, swapped = 0,
				 lost = 0;
		long long before[PMIG_ARRAY_SIZE(demote_counters)];
		char path[192], value[32], grown[160];
		struct pmig_pages p;
		int *st, used = 0;
		void **addrs;

		/* Charged to the cgroup: made after the move. */
		make(ctx, &s, s.bytes[k], &p);
		n = per_folio(&p);
		total = p.count * n;
		/* Demotion does not ask the VMA's policy; the fault-in of a reclaimed page would. */
		if (pmig_mbind(p.base, p.map_len, MPOL_DEFAULT, NULL, 0, 0))
			pmig_broken("mbind(MPOL_DEFAULT): %s", strerror(errno));
		for (size_t i = 0; i < PMIG_ARRAY_SIZE(demote_counters); i++)
			before[i] = vmstat(demote_counters[i]);
		snprintf(path, sizeof(path), "%s/memory.reclaim", cs.path);
		snprintf(value, sizeof(value), "%zu", p.count * p.page_size);
		err = pmig_sysfile_write(path, value);
		if (err && err != -EAGAIN)
			pmig_broken("cannot write %s to %s: %s", value, path,
				    strerror(-err));
		addrs = subpages(&p);
		st = calloc(total, sizeof(*st));
		if (!st)
			pmig_broken("out of memory");
		pmig_status_reset(st, total);
		if (pmig_move_pages(0, total, addrs, NULL, st, 0))
			pmig_broken("status query: %s", strerror(errno));
		for (size_t i = 0; i < total; i++) {
			lower += st[i] == ctx->lower;
			home += st[i] == ctx->home;
		}
		/*
		 * Each folio whole on the lower tier (demoted as one), or not:
		 * reclaim may split a large folio it cannot swap out whole
		 * (shrink_folio_list(): add_to_swap() failed, split_folio_to_list())
		 * on home before a later pass demotes its pages one by one, or
		 * on the lower tier after it came there whole.
		 */
		for (size_t i = 0; i < p.count; i++) {
			char fwhy[256];

			if (st[i * n] == ctx->lower &&
			    folio_order(p.addrs[i], n, fwhy, sizeof(fwhy)) ==
				    (int)order_of(n))
				whole++;
		}
		for (size_t i = 0; i < total; i++) {
			uint64_t e = 0;

			if (st[i] == ctx->home || st[i] == ctx->lower)
				continue;
			if (pmig_pagemap(addrs[i], &e) ||
			    !(e & PMIG_PM_SWAPPED))
				lost++;
			else
				swapped++;
		}
		for (size_t i = 0; i < PMIG_ARRAY_SIZE(demote_counters); i++)
			if (before[i] >= 0)
				used += snprintf(
					grown + used,
					sizeof(grown) - (size_t)used,
					" %s %+lld", demote_counters[i],
					vmstat(demote_counters[i]) - before[i]);
		pmig_diag(
			"%zu kB: memory.reclaim %s: %s; base pages %zu on node %d, %zu on node %d (lower tier), %zu swapped; %zu of %zu folios whole on the lower tier;%s",
			s.bytes[k] >> 10, value, err ? strerror(-err) : "done",
			home, ctx->home, lower, ctx->lower, swapped, whole,
			p.count, grown);
		/* None anywhere else, and the data of each, swapped in where it was out. */
		pmig_check_val(
			"base pages neither on home, the lower tier nor in swap",
			lost, 0);
		pmig_check_eq(pmig_pages_first_corrupt(&p), -1);
		demoted += whole;
		on_lower += lower;
		free(st);
		free(addrs);
		pmig_pages_destroy(&p);
	}
	only_size(&s, 0);
	if (pmig_cpuset_remove(&cs, why, sizeof(why)))
		pmig_broken("cgroup not undone: %s", why);
	/* Demotion moves a large folio whole: base pages there, yet no folio whole, is a kernel that splits to demote. */
	if (!demoted && on_lower)
		pmig_fail_at(
			__FILE__, __LINE__,
			"%zu base pages reached node %d, none in a whole folio of any size",
			on_lower, ctx->lower);
	if (!demoted && !pmig_failures())
		pmig_skip("memory.reclaim demoted nothing to node %d",
			  ctx->lower);
}

/* How long the promotion case reads one size's folios: NUMA balancing's first scan follows 1 s of CPU time. */
enum { PROMOTE_WAIT_MS = 30000 };

/* Now, in milliseconds of CLOCK_MONOTONIC. */
static long long now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000LL + t.tv_nsec / 1000000;
}

/*
 * (f) The tiering path the other way: NUMA balancing in tiering mode (2),
 * every size in turn, 4 folios on the lower tier read in a loop from
 * home's CPUs until all are on home or 30 s: a folio is promoted whole or
 * not at all, and whole it stays one folio of its order.
 */
PMIG_CASE(mthp_promotion)
{
	long long faults = vmstat("numa_hint_faults"),
		  succ = vmstat("pgpromote_success");
	size_t promoted_all = 0;
	struct sizes s;

	offered(&s);
	if (numa_run_on_node(ctx->home))
		pmig_broken("cannot run on node %d's CPUs: %s", ctx->home,
			    strerror(errno));
	for (size_t k = 0; k < s.below; k++) {
		size_t n, total, promoted = 0, whole = 0;
		long long t0, took = -1;
		struct pmig_pages p;
		void **addrs;
		int *st;

		make_on(ctx, &s, s.bytes[k], ctx->lower, &p);
		n = per_folio(&p);
		total = p.count * n;
		/* The task's default policy is what NUMA balancing asks (mpol_misplaced()); a bound VMA is not scanned. */
		if (pmig_mbind(p.base, p.map_len, MPOL_DEFAULT, NULL, 0, 0))
			pmig_broken("mbind(MPOL_DEFAULT): %s", strerror(errno));
		addrs = subpages(&p);
		st = calloc(total, sizeof(*st));
		if (!st)
			pmig_broken("out of memory");
		for (t0 = now_ms(); now_ms() - t0 < PROMOTE_WAIT_MS;) {
			for (int r = 0; r < 200; r++)
				for (size_t i = 0; i < total; i++)
					(void)*(volatile const char *)addrs[i];
			pmig_status_reset(st, total);
			if (pmig_move_pages(0, total, addrs, NULL, st, 0))
				pmig_broken("status query: %s",
					    strerror(errno));
			promoted = 0;
			for (size_t i = 0; i < total; i++)
				promoted += st[i] == ctx->home;
			if (promoted == total) {
				took = now_ms() - t0;
				break;
			}
		}
		/* Whole or not at all: every base page of a folio on one node, and on home one folio of its order. */
		for (size_t i = 0; i < p.count; i++) {
			char label[96], fwhy[256];

			snprintf(
				label, sizeof(label),
				"%zu kB folio %zu: base pages off its head's node",
				s.bytes[k] >> 10, i);
			{
				size_t apart = 0;

				for (size_t j = 1; j < n; j++)
					apart += st[i * n + j] != st[i * n];
				pmig_check_val(label, apart, 0);
			}
			if (st[i * n] != ctx->home)
				continue;
			if (folio_order(p.addrs[i], n, fwhy, sizeof(fwhy)) ==
			    (int)order_of(n))
				whole++;
			else
				pmig_fail_at(
					__FILE__, __LINE__,
					"%zu kB folio %zu promoted to node %d, not one folio of order %u: %s",
					s.bytes[k] >> 10, i, ctx->home,
					order_of(n), fwhy);
		}
		pmig_check_eq(pmig_pages_first_corrupt(&p), -1);
		pmig_diag(
			"%zu kB: %zu of %zu base pages on node %d after %lld ms (all: %lld ms, -1: not within %d); %zu of %zu folios whole there",
			s.bytes[k] >> 10, promoted, total, ctx->home,
			now_ms() - t0, took, PROMOTE_WAIT_MS, whole, p.count);
		promoted_all += promoted;
		free(st);
		free(addrs);
		pmig_pages_destroy(&p);
	}
	only_size(&s, 0);
	faults = vmstat("numa_hint_faults") - faults;
	succ = succ < 0 ? -1 : vmstat("pgpromote_success") - succ;
	pmig_diag(
		"numa_hint_faults +%lld, pgpromote_success %+lld (-1: none in this kernel)",
		faults, succ);
	/* Counted in base pages (mm/migrate.c migrate_misplaced_folio(): mod_lruvec_state(PGPROMOTE_SUCCESS, nr_succeeded)). */
	if (succ >= 0)
		pmig_check(succ >= (long long)promoted_all);
	if (!promoted_all && !pmig_failures())
		pmig_skip(
			"NUMA balancing promoted no folio of any size from node %d in %d ms each",
			ctx->lower, PROMOTE_WAIT_MS);
}
