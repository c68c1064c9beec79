/* offline.c - conformance cases of memory offline: the pages of a movable memory block that is offlined move to another node with their data; a pinned page keeps a block online until a signal, an unmovable one makes the kernel refuse at once. */
#include <errno.h>
#include <fcntl.h>
#include <linux/kernel-page-flags.h>
#include <numaif.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cases.h"
#include "check.h"
#include "fixtures.h"
#include "journal.h"
#include "kind_checks.h"
#include "memblocks.h"
#include "pagesizes.h"
#include "pageinfo.h"
#include "pages.h"
#include "pin.h"
#include "settings.h"
#include "sysfile.h"
#include "syscalls.h"

#define MEMDIR "/sys/devices/system/memory"
/* kpageflags' PG_reserved bit: include/linux/kernel-page-flags.h, not in the uapi header. */
#define PMIG_KPF_RESERVED 32

/* 32 MiB of base pages: some of them land in each movable block of a 256 MiB DIMM's node. */
enum { NPAGES = 8192, NTHP = 8, MAXBLOCKS = 4096 };

/* The size of a memory block, the unit the kernel onlines and offlines; SKIPs without memory hotplug. */
static unsigned long long block_bytes(void)
{
	unsigned long long b = pmig_memblock_bytes(NULL);

	if (!b)
		pmig_skip(
			"cannot read " MEMDIR
			"/block_size_bytes: this kernel has no memory hotplug (CONFIG_MEMORY_HOTPLUG)");
	return b;
}

/* Every memory block as sysfs says now; SKIPs where it cannot be read. */
static struct pmig_memblock *blocks_now(size_t *n)
{
	struct pmig_memblock *b;
	int err = pmig_memblocks_read(NULL, &b, n);

	if (err)
		pmig_skip("cannot read " MEMDIR ": %s", strerror(-err));
	return b;
}

/* Block @id as sysfs says now (node -1, offline, no zones where there is none). */
static struct pmig_memblock block_now(long id)
{
	struct pmig_memblock one = { .id = id, .node = -1 }, *b;
	size_t n;

	b = blocks_now(&n);
	for (size_t i = 0; i < n; i++)
		if (b[i].id == id)
			one = b[i];
	free(b);
	return one;
}

/* The node of memory block @id, -1 for none. */
static int block_node(long id)
{
	return block_now(id).node;
}

/*
 * The online blocks in ZONE_MOVABLE (@movable), or in one kernel zone
 * (valid_zones a single word that is neither Movable nor "none", which a
 * block spanning two zones shows). Their ids into @ids, ascending; the
 * count.
 */
static size_t blocks_in(bool movable, long *ids, size_t max)
{
	size_t n, k = 0;
	struct pmig_memblock *b = blocks_now(&n);

	for (size_t i = 0; i < n && k < max; i++) {
		const char *z = b[i].zones;

		if (movable ? pmig_memblock_movable(&b[i]) :
			      b[i].online && z[0] && !strchr(z, ' ') &&
				      strcmp(z, "none") && strcmp(z, "Movable"))
			ids[k++] = b[i].id;
	}
	free(b);
	return k;
}

/*
 * A memory block the case offlines: journaled before the write, so that
 * a killed run is undone by the next (PMIG_J_SETTING writes "online" back
 * where the file holds another value), and onlined again by the case
 * with @back ("online_movable" for a block of ZONE_MOVABLE: without
 * movable_node, "online" would put it in the kernel zone, see offline.def).
 */
struct hp_block {
	long id;
	char path[96];
	const char *back;
	pmig_jid jid;
	bool offlined;
};

/*
 * One write of @value to @path, 0 or -errno: an -EINTR comes back, where
 * pmig_sysfile_write() would write again (a signal is how offline_pages()
 * is told to stop retrying).
 */
static int write_once(const char *path, const char *value)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC), err = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, value, strlen(value)) < 0)
		err = -errno;
	close(fd);
	return err;
}

/* Writes "offline" to @b's state; 0 or -errno of the write. */
static int block_offline(struct hp_block *b, long id, const char *back)
{
	int err;

	b->id = id;
	b->back = back;
	b->offlined = false;
	snprintf(b->path, sizeof(b->path), MEMDIR "/memory%ld/state", id);
	err = pmig_journal_note(PMIG_J_SETTING, b->path, "online", &b->jid);
	if (err)
		pmig_broken("cannot journal %s: %s", b->path, strerror(-err));
	err = write_once(b->path, "offline");
	b->offlined = !err;
	if (err)
		pmig_journal_undone(b->jid);
	return err;
}

/* Onlines @b again (if the case offlined it) and says the journal need not. */
static void block_restore(struct hp_block *b)
{
	int err;

	if (!b->offlined)
		return;
	err = pmig_sysfile_write(b->path, b->back);
	if (err)
		pmig_broken("cannot write %s to %s: %s", b->back, b->path,
			    strerror(-err));
	b->offlined = false;
	pmig_journal_undone(b->jid);
	pmig_diag("memory%ld onlined again (%s): zone %s", b->id, b->back,
		  block_now(b->id).zones);
}

/*
 * How many frames of block @id have every kpageflags bit of @want; the
 * first one's pfn into *@first (-1 for none) where @first is given.
 */
static size_t block_frames(long id, unsigned long long per_block, uint64_t want,
			   long *first)
{
	uint64_t *f = calloc(per_block, sizeof(*f));
	int fd = open("/proc/kpageflags", O_RDONLY | O_CLOEXEC);
	size_t n = 0;
	ssize_t got;

	if (!f)
		pmig_broken("out of memory");
	if (fd < 0)
		pmig_skip("cannot open /proc/kpageflags: %s", strerror(errno));
	got = pread(fd, f, per_block * sizeof(*f),
		    (off_t)(id * per_block * sizeof(*f)));
	close(fd);
	if (first)
		*first = -1;
	for (ssize_t i = 0; got > 0 && i < got / (ssize_t)sizeof(*f); i++) {
		if ((f[i] & want) != want)
			continue;
		if (first && !n)
			*first = (long)(id * per_block + (unsigned long long)i);
		n++;
	}
	free(f);
	return n;
}

/* The first PG_reserved frame of block @id (memblock's and the firmware's), -1 for none. */
static long reserved_in(long id, unsigned long long per_block)
{
	long at;

	block_frames(id, per_block, 1ULL << PMIG_KPF_RESERVED, &at);
	return at;
}

/*
 * The online ZONE_MOVABLE blocks that offline can empty, into @ids: those
 * without a PG_reserved frame (boot memory made movable by movablecore= or
 * kernelcore= can hold memblock's allocations, which nothing moves). The
 * first one's node; SKIPs, precisely, where there is none.
 */
static int movable_node(long *ids, size_t *n)
{
	unsigned long long per = block_bytes() / (size_t)sysconf(_SC_PAGESIZE);
	size_t all = blocks_in(true, ids, MAXBLOCKS);

	*n = 0;
	for (size_t i = 0; i < all; i++)
		if (reserved_in(ids[i], per) < 0)
			ids[(*n)++] = ids[i];
	if (!all)
		pmig_skip(
			"no online memory block in ZONE_MOVABLE (valid_zones Movable under " MEMDIR
			"): this machine has no hot-pluggable memory onlined movable (pmig vm --topology 2node-hotplug)");
	if (!*n)
		pmig_skip(
			"each of the %zu online ZONE_MOVABLE blocks holds a PG_reserved frame (/proc/kpageflags): boot memory made movable, with memblock's allocations in it, which offline cannot move",
			all);
	return block_node(ids[0]);
}

/* The node pages leave a block of @node for: the other of home and other. */
static int away_from(const struct pmig_ctx *ctx, int node)
{
	int to = node == ctx->home ? ctx->other : ctx->home;

	if (to < 0)
		pmig_skip(
			"one memory node: offlining moves a page to another node only where there is one");
	return to;
}

/* The frames of @p's base pages into @pfn (0: not present); SKIPs when the pagemap hides them. */
static void frames(const struct pmig_pages *p, uint64_t *pfn, size_t n)
{
	uint64_t *e = calloc(n, sizeof(*e));
	int err;

	if (!e)
		pmig_broken("out of memory");
	err = pmig_pagemap_range(p->base, n, e);
	if (err)
		pmig_skip("cannot read /proc/self/pagemap: %s", strerror(-err));
	for (size_t i = 0; i < n; i++) {
		pfn[i] = e[i] & PMIG_PM_PRESENT ? e[i] & PMIG_PM_PFN_MASK : 0;
		if (!pfn[i])
			pmig_skip(
				"the pagemap hides page frame numbers, or page %zu is not present (entry %#llx)",
				i, (unsigned long long)e[i]);
	}
	free(e);
}

/* The movable block of @ids holding most of the @n frames @pfn; *@in gets how many it holds. */
static long fullest(const long *ids, size_t nids, const uint64_t *pfn, size_t n,
		    size_t per_block, size_t *in)
{
	long best = -1;

	*in = 0;
	for (size_t k = 0; k < nids; k++) {
		size_t c = 0;

		for (size_t i = 0; i < n; i++)
			c += (long)(pfn[i] / per_block) == ids[k];
		if (c > *in) {
			*in = c;
			best = ids[k];
		}
	}
	return best;
}

static double now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

/*
 * Pages of @kind on the node of the machine's movable blocks, then the
 * movable block holding most of them offlined: every page holds its data,
 * none is left in the block (pagemap), each of those that were in it is on
 * the other node by move_pages(2)'s status query and by its frame's memory
 * block, the mapping's policy is still MPOL_BIND to the pages' node,
 * pgmigrate_success grew by at least their number. The block is onlined
 * movable again at the end.
 */
static void offline_moves(const struct pmig_ctx *ctx, enum pmig_page_kind kind,
			  size_t count)
{
	static long ids[MAXBLOCKS];
	size_t nids, in, base = (size_t)sysconf(_SC_PAGESIZE), n, moved = 0,
			 bad = 0, nall;
	unsigned long long bb = block_bytes();
	struct pmig_nodemask mask = { { 0 } };
	int node = movable_node(ids, &nids), to, mode = -1, err;
	uint64_t *before, *after;
	struct pmig_memblock *all;
	struct pmig_pages p;
	struct hp_block b;
	long long success;
	void **addrs;
	double t0;
	long id;

	to = away_from(ctx, node);
	err = pmig_pages_create(&p, kind, count, node, ctx->seed);
	if (err == -EOPNOTSUPP)
		pmig_skip("this kernel has no THP");
	if (err)
		pmig_broken("cannot make %zu %s pages on node %d: %s", count,
			    pmig_page_kind_name(kind), node, strerror(-err));
	if (kind == PMIG_PAGE_THP)
		pmig_kind_require_thp(&p);
	n = p.count * (p.page_size / base);
	before = calloc(n, sizeof(*before));
	after = calloc(n, sizeof(*after));
	addrs = calloc(n, sizeof(*addrs));
	if (!before || !after || !addrs)
		pmig_broken("out of memory");
	frames(&p, before, n);
	id = fullest(ids, nids, before, n, bb / base, &in);
	if (id < 0)
		pmig_skip(
			"none of the %zu pages on node %d is in one of the %zu movable blocks offline can empty, those without a PG_reserved frame (first frame %#llx)",
			n, node, nids, (unsigned long long)before[0]);
	pmig_diag("%zu of %zu base pages (%s) in memory%ld (node %d, Movable)",
		  in, n, pmig_page_kind_name(kind), id, node);
	success = pmig_vmstat("pgmigrate_success");
	t0 = now_ms();
	err = block_offline(&b, id, "online_movable");
	if (err) {
		block_restore(&b);
		pmig_require_eq(err, 0);
	}
	pmig_diag(
		"memory%ld offlined in %.0f ms (%.1f MiB/s of the case's pages; TCG wall time)",
		id, now_ms() - t0,
		(double)(in * base) / (1 << 20) / ((now_ms() - t0) / 1e3));
	success = pmig_vmstat("pgmigrate_success") - success;
	frames(&p, after, n);
	all = blocks_now(&nall);
	for (size_t i = 0; i < n; i++) {
		long now = (long)(after[i] / (bb / base));
		int at = pmig_memblock_node(all, nall, now);

		if ((long)(before[i] / (bb / base)) != id)
			continue;
		addrs[moved++] = (char *)p.base + i * base;
		if (now == id && bad++ < 4)
			pmig_fail_at(
				__FILE__, __LINE__,
				"page %zu is still in memory%ld (frame %#llx)",
				i, id, (unsigned long long)after[i]);
		else if (at != (int)pmig_expected(ctx, to) && bad++ < 4)
			pmig_fail_at(
				__FILE__, __LINE__,
				"page %zu's new frame %#llx is in memory%ld of node %d, not of node %ld",
				i, (unsigned long long)after[i], now, at,
				pmig_expected(ctx, to));
	}
	free(all);
	pmig_check_eq(pmig_pages_first_corrupt(&p), -1);
	pmig_kind_query(addrs, moved, pmig_expected(ctx, to));
	if (pmig_get_mempolicy(&mode, mask.bits, PMIG_MASK_MAXNODE, p.base,
			       MPOL_F_ADDR))
		pmig_broken("get_mempolicy: %s", strerror(errno));
	pmig_check_eq(mode, MPOL_BIND);
	pmig_check_eq(mask.bits[0], pmig_nodemask_of(node).bits[0]);
	if (success >= 0 && kind != PMIG_PAGE_THP)
		pmig_check(success >= (long long)in);
	pmig_diag("pgmigrate_success +%lld for %zu pages moved from memory%ld",
		  success, in, id);
	if (kind == PMIG_PAGE_THP) {
		size_t thp = 0;

		for (size_t i = 0; i < p.count; i++)
			thp += pmig_kind_one_huge(
				&p, p.addrs[i],
				PMIG_KIND_KPF(KPF_THP) |
					PMIG_KIND_KPF(KPF_COMPOUND_HEAD));
		pmig_diag("%zu of %zu THPs still THPs after the move", thp,
			  p.count);
	}
	block_restore(&b);
	pmig_pages_destroy(&p);
	free(addrs);
	free(after);
	free(before);
}

/* Base pages bound to the movable blocks' node; one of those blocks offlined. */
PMIG_CASE(offline_moves_anon)
{
	offline_moves(ctx, PMIG_PAGE_ANON, NPAGES);
}

/* The same with THPs (MADV_HUGEPAGE). */
PMIG_CASE(offline_moves_thp)
{
	offline_moves(ctx, PMIG_PAGE_THP, NTHP);
}

static void on_alarm(int sig)
{
	(void)sig;
}

/*
 * A page of a movable block pinned (vmsplice: an extra reference, so its
 * migration fails with -EAGAIN each time), then the block offlined with
 * an alarm 3 s later: offline_pages() retries the migration until a
 * signal is pending, and the write returns -EINTR; the block is online,
 * the page in its frame with its data.
 */
PMIG_CASE(offline_pinned)
{
	static long ids[MAXBLOCKS];
	struct sigaction sa = { .sa_handler = on_alarm }, old;
	size_t nids, in, base = (size_t)sysconf(_SC_PAGESIZE), pinned = 0;
	unsigned long long bb = block_bytes();
	int node = movable_node(ids, &nids), err;
	uint64_t *before, after;
	struct pmig_pages p;
	struct pmig_pin pin;
	struct hp_block b;
	bool online;
	long id;

	pmig_pages_setup(&p, PMIG_PAGE_ANON, NPAGES, node, ctx->seed);
	before = calloc(NPAGES, sizeof(*before));
	if (!before)
		pmig_broken("out of memory");
	frames(&p, before, NPAGES);
	id = fullest(ids, nids, before, NPAGES, bb / base, &in);
	if (id < 0)
		pmig_skip(
			"none of the %d pages on node %d is in one of the %zu movable blocks offline can empty, those without a PG_reserved frame",
			NPAGES, node, nids);
	while ((long)(before[pinned] / (bb / base)) != id)
		pinned++;
	err = pmig_pin(&pin, p.addrs[pinned], base);
	if (err)
		pmig_broken("cannot pin page %zu: %s", pinned, strerror(-err));
	pmig_diag("page %zu (frame %#llx, memory%ld) pinned by vmsplice",
		  pinned, (unsigned long long)before[pinned], id);
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGALRM, &sa, &old))
		pmig_broken("sigaction: %s", strerror(errno));
	alarm(3);
	err = block_offline(&b, id, "online_movable");
	alarm(0);
	sigaction(SIGALRM, &old, NULL);
	online = block_now(id).online;
	pmig_diag("the offline write returned %d (%s); memory%ld is %s", err,
		  err ? strerror(-err) : "done", id,
		  online ? "online" : "offline");
	block_restore(&b);
	pmig_check_eq(err, ctx->expect);
	pmig_check(online);
	if (pmig_pagemap(p.addrs[pinned], &after))
		pmig_broken("cannot read the pinned page's pagemap entry");
	pmig_check_eq((long long)(after & PMIG_PM_PFN_MASK),
		      (long long)before[pinned]);
	pmig_check_eq(pmig_pages_first_corrupt(&p), -1);
	pmig_unpin(&pin);
	pmig_pages_destroy(&p);
	free(before);
}

/*
 * Whether block @id (@bytes long) lies wholly in one "System RAM" range of
 * /proc/iomem: offline_pages() refuses a block with a hole (firmware
 * memory, an e820 reserved range) with -EINVAL before it looks at a page
 * ("We don't support offlining of ranges with holes": walk_system_ram_range()
 * counts fewer pages than the block has). Seen under LAVA's QEMU: the top
 * block of node 1 held ACPI memory, and the write gave -EINVAL, not -EBUSY.
 */
static bool whole_system_ram(long id, unsigned long long bytes)
{
	unsigned long long lo = (unsigned long long)id * bytes,
			   hi = lo + bytes - 1, s, e;
	char line[160], name[64];
	bool whole = false;
	FILE *f = fopen("/proc/iomem", "re");

	while (f && !whole && fgets(line, sizeof(line), f))
		whole = line[0] != ' ' &&
			sscanf(line, "%llx-%llx : %63[^\n]", &s, &e, name) ==
				3 &&
			!strcmp(name, "System RAM") && s <= lo && hi <= e;
	if (f)
		fclose(f);
	return whole;
}

/*
 * The highest online block of a kernel zone, with no hole, that holds a
 * PG_reserved frame, offlined: start_isolate_page_range() finds the
 * unmovable page and the write fails with -EBUSY at once, nothing
 * isolated or moved.
 */
PMIG_CASE(offline_unmovable)
{
	static long ids[MAXBLOCKS];
	size_t base = (size_t)sysconf(_SC_PAGESIZE);
	unsigned long long per = block_bytes() / base;
	size_t n = blocks_in(false, ids, MAXBLOCKS);
	long id = -1, at = -1;
	struct hp_block b;
	struct pmig_memblock m;
	int err;

	for (size_t k = n; k-- > 0 && at < 0;) {
		if (!whole_system_ram(ids[k], per * base))
			continue;
		at = reserved_in(ids[k], per);
		id = ids[k];
	}
	if (at < 0)
		pmig_skip(
			"no online block of a kernel zone (of %zu) without a hole (/proc/iomem System RAM) holds a PG_reserved frame that /proc/kpageflags shows",
			n);
	m = block_now(id);
	pmig_diag("memory%ld (%s, node %d) holds reserved frame %#lx", id,
		  m.zones, m.node, at);
	err = block_offline(&b, id, "online");
	block_restore(&b);
	pmig_check_eq(err, ctx->expect);
}

/* Node @node's count of hugetlb pages of pmig's size: @file "nr_hugepages" or "free_hugepages". */
static long pool(int node, const char *file)
{
	char path[160];

	if (pmig_hugetlb_node_path(path, sizeof(path), node,
				   pmig_page_sizes()->hugetlb, file))
		pmig_broken("hugetlb pool path too long");
	return pmig_read_number(path);
}

/* How many hugetlb pages (kpageflags HUGE and COMPOUND_HEAD) start in block @id. */
static size_t hugetlb_heads(long id, unsigned long long per_block)
{
	return block_frames(id, per_block,
			    (1ULL << KPF_HUGE) | (1ULL << KPF_COMPOUND_HEAD),
			    NULL);
}

/*
 * A hugetlb page of the case (in use) bound to the movable blocks' node,
 * whose pool has a spare one too; the block holding the case's page
 * offlined: the page holds its data and is on the other node (status
 * query and frame), and the node's pool lost every hugetlb page that was
 * in the block, the case's (migrated; its old frame freed and dissolved)
 * and the free ones (dissolved).
 */
PMIG_CASE(offline_hugetlb)
{
	static long ids[MAXBLOCKS];
	size_t nids, in, base = (size_t)sysconf(_SC_PAGESIZE), heads, n;
	unsigned long long bb = block_bytes();
	int node = movable_node(ids, &nids), to = away_from(ctx, node), err;
	long nr_before, nr_after, id;
	uint64_t *before, after;
	struct pmig_pages p;
	struct hp_block b;

	if (!pmig_page_sizes()->hugetlb)
		pmig_skip("this kernel has no hugetlb pool");
	err = pmig_pages_create(&p, PMIG_PAGE_HUGETLB, 1, node, ctx->seed);
	if (err == -ENOSPC)
		pmig_skip("node %d has no free hugetlb page (nr_hugepages %ld)",
			  node, pool(node, "nr_hugepages"));
	if (err)
		pmig_broken("cannot make a hugetlb page on node %d: %s", node,
			    strerror(-err));
	n = p.page_size / base;
	before = calloc(n, sizeof(*before));
	if (!before)
		pmig_broken("out of memory");
	frames(&p, before, n);
	id = fullest(ids, nids, before, n, bb / base, &in);
	if (id < 0)
		pmig_skip(
			"the hugetlb page of node %d (frame %#llx) is not in a movable block offline can empty (one without a PG_reserved frame): its pool took it from a kernel zone or such a block",
			node, (unsigned long long)before[0]);
	heads = hugetlb_heads(id, bb / base);
	nr_before = pool(node, "nr_hugepages");
	pmig_diag(
		"the case's hugetlb page (frame %#llx) in memory%ld with %zu hugetlb pages in all; node %d's pool: %ld, %ld free; node %d's: %ld, %ld free",
		(unsigned long long)before[0], id, heads, node, nr_before,
		pool(node, "free_hugepages"), to, pool(to, "nr_hugepages"),
		pool(to, "free_hugepages"));
	err = block_offline(&b, id, "online_movable");
	nr_after = pool(node, "nr_hugepages");
	pmig_diag(
		"offline: %d; node %d's pool: %ld, %ld free; node %d's: %ld, %ld free",
		err, node, nr_after, pool(node, "free_hugepages"), to,
		pool(to, "nr_hugepages"), pool(to, "free_hugepages"));
	if (pmig_pagemap(p.base, &after))
		pmig_broken("cannot read the hugetlb page's pagemap entry");
	block_restore(&b);
	pmig_require_eq(err, 0);
	after &= PMIG_PM_PFN_MASK;
	pmig_check((long)(after / (bb / base)) != id);
	pmig_check_eq(block_node((long)(after / (bb / base))),
		      pmig_expected(ctx, to));
	pmig_check_eq(pmig_pages_first_corrupt(&p), -1);
	pmig_kind_query(p.addrs, 1, pmig_expected(ctx, to));
	pmig_check_eq(nr_before - nr_after, (long)heads);
	pmig_pages_destroy(&p);
	free(before);
}

/*
 * The highest online ZONE_MOVABLE block that holds a PG_reserved frame
 * (boot memory made movable by movablecore=: memblock's allocations at the
 * top of a node) offlined: -EBUSY at once, as in a kernel zone.
 */
PMIG_CASE(offline_movable_reserved)
{
	static long ids[MAXBLOCKS];
	size_t base = (size_t)sysconf(_SC_PAGESIZE);
	unsigned long long per = block_bytes() / base;
	size_t n = blocks_in(true, ids, MAXBLOCKS);
	long id = -1, at = -1;
	struct hp_block b;
	int err;

	for (size_t k = n; k-- > 0 && at < 0;) {
		if (!whole_system_ram(ids[k], per * base))
			continue;
		at = reserved_in(ids[k], per);
		id = ids[k];
	}
	if (!n)
		pmig_skip(
			"no online memory block in ZONE_MOVABLE (valid_zones Movable under " MEMDIR
			"): this machine has no memory onlined movable (pmig vm --topology 2node-movable)");
	if (at < 0)
		pmig_skip(
			"none of the %zu online ZONE_MOVABLE blocks without a hole (/proc/iomem System RAM) holds a PG_reserved frame: hot-plugged memory has none; boot memory made movable may (pmig vm --topology 2node-movable: movablecore=)",
			n);
	pmig_diag("memory%ld (Movable, node %d) holds reserved frame %#lx", id,
		  block_node(id), at);
	err = block_offline(&b, id, "online_movable");
	block_restore(&b);
	pmig_check_eq(err, ctx->expect);
}
