/* mbind.c - conformance cases for mbind(2) with MPOL_MF_MOVE, MPOL_MF_MOVE_ALL and MPOL_MF_STRICT. */
#include <errno.h>
#include <linux/if_packet.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include "cases.h"
#include "check.h"
#include "fixtures.h"
#include "invariants.h"
#include "pin.h"
#include "procs.h"
#include "syscalls.h"

static struct pmig_nodemask mask_of(int node)
{
	return pmig_nodemask_of(node);
}

static long mbind_to(void *addr, size_t len, int mode, struct pmig_nodemask m,
		     unsigned flags)
{
	return pmig_mbind(addr, len, mode, m.bits, PMIG_MASK_MAXNODE, flags);
}

/* Where a case may aim a call that must not move anything: another node if there is one. */
static int elsewhere(const struct pmig_ctx *ctx)
{
	return ctx->other >= 0 ? ctx->other : ctx->home;
}

/*
 * Page @i of @p is on @node by two sources: a move_pages(2) status query and
 * get_mempolicy(MPOL_F_NODE|MPOL_F_ADDR).
 */
static bool check_page_on(const struct pmig_pages *p, size_t i, int node)
{
	char label[64];
	int got = -1;
	bool ok;

	snprintf(label, sizeof(label), "status query of page %zu", i);
	ok = pmig_check_val(label, pmig_page_node(p->addrs[i]), node);
	snprintf(label, sizeof(label),
		 "get_mempolicy(MPOL_F_NODE|MPOL_F_ADDR) of page %zu", i);
	ok &= pmig_check_val(label,
			     pmig_get_mempolicy(&got, NULL, 0, p->addrs[i],
						MPOL_F_NODE | MPOL_F_ADDR),
			     0);
	snprintf(label, sizeof(label), "node of page %zu", i);
	return pmig_check_val(label, got, node) && ok;
}

/* Every page of @p is on @node, and every page holds its pattern. */
static void check_all_on(const struct pmig_pages *p, int node)
{
	for (size_t i = 0; i < p->count; i++)
		check_page_on(p, i, node);
	pmig_inv_data_intact(p);
}

/* The policy of the VMA at @addr is @mode over @m (an mbind that failed left it alone). */
static void check_policy(void *addr, int mode, struct pmig_nodemask m)
{
	struct pmig_nodemask got = { { 0 } };
	int got_mode = -1;

	pmig_check_eq(pmig_get_mempolicy(&got_mode, got.bits, PMIG_MASK_MAXNODE,
					 addr, MPOL_F_ADDR),
		      0);
	pmig_check_val("policy mode at the range", got_mode, mode);
	for (size_t i = 0; i < PMIG_ARRAY_SIZE(m.bits); i++) {
		char label[48];

		snprintf(label, sizeof(label), "policy nodemask word %zu", i);
		pmig_check_val(label, got.bits[i], m.bits[i]);
	}
}

/* @count written private pages on @node: the usual subject. */
static void pages_on(const struct pmig_ctx *ctx, struct pmig_pages *p,
		     size_t count, int node)
{
	pmig_pages_setup(p, PMIG_PAGE_ANON, count, node, ctx->seed);
}

static size_t len_of(const struct pmig_pages *p)
{
	return p->count * p->page_size;
}

/* --- return codes -------------------------------------------------------------------- */

PMIG_CASE(mbind_bad_flags)
{
	static const unsigned flags[] = { 1u << 3, 1u << 4, 1u << 31, ~0u };
	struct pmig_pages p;
	char label[64];

	pages_on(ctx, &p, 1, ctx->home);
	for (size_t i = 0; i < PMIG_ARRAY_SIZE(flags); i++) {
		snprintf(label, sizeof(label), "mbind(flags=%#x)", flags[i]);
		pmig_check_val(label,
			       mbind_to(p.base, len_of(&p), MPOL_PREFERRED,
					mask_of(elsewhere(ctx)),
					flags[i] | MPOL_MF_MOVE),
			       ctx->expect);
	}
	check_policy(p.base, MPOL_BIND, mask_of(ctx->home));
	check_all_on(&p, ctx->home);
}

/* MPOL_MF_MOVE_ALL of 4 home pages to another node (or home on one node). */
PMIG_CASE(move_all)
{
	struct pmig_pages p;
	int target = elsewhere(ctx);
	long ret;

	pages_on(ctx, &p, 4, ctx->home);
	ret = mbind_to(p.base, len_of(&p), MPOL_BIND, mask_of(target),
		       MPOL_MF_MOVE_ALL);
	pmig_check_val("mbind return", ret, ctx->expect);
	if (ret == 0) {
		check_policy(p.base, MPOL_BIND, mask_of(target));
		check_all_on(&p, target);
	} else {
		check_policy(p.base, MPOL_BIND, mask_of(ctx->home));
		check_all_on(&p, ctx->home);
	}
}

PMIG_CASE(unaligned_start)
{
	struct pmig_pages p;

	pages_on(ctx, &p, 2, ctx->home);
	pmig_check_eq(mbind_to(p.base + 1, p.page_size, MPOL_PREFERRED,
			       mask_of(elsewhere(ctx)), MPOL_MF_MOVE),
		      ctx->expect);
	check_policy(p.base, MPOL_BIND, mask_of(ctx->home));
	check_all_on(&p, ctx->home);
}

PMIG_CASE(hole_in_range)
{
	struct pmig_pages p;

	pages_on(ctx, &p, 3, ctx->home);
	if (munmap(p.addrs[1], p.page_size))
		pmig_broken("munmap: %s", strerror(errno));
	pmig_diag("pages 0 and 2 mapped, page 1 not");
	pmig_check_eq(mbind_to(p.base, len_of(&p), MPOL_PREFERRED,
			       mask_of(elsewhere(ctx)), MPOL_MF_MOVE),
		      ctx->expect);
	/* Nothing was done: not on the page before the hole either. */
	check_policy(p.addrs[0], MPOL_BIND, mask_of(ctx->home));
	check_policy(p.addrs[2], MPOL_BIND, mask_of(ctx->home));
	check_page_on(&p, 0, ctx->home);
	check_page_on(&p, 2, ctx->home);
}

PMIG_CASE(default_unmapped)
{
	struct pmig_pages p;

	pages_on(ctx, &p, 1, ctx->home);
	if (munmap(p.addrs[0], p.page_size))
		pmig_broken("munmap: %s", strerror(errno));
	pmig_diag("the one page of the range is unmapped");
	pmig_check_eq(
		pmig_mbind(p.addrs[0], p.page_size, MPOL_DEFAULT, NULL, 0, 0),
		ctx->expect);
}

PMIG_CASE(default_hole_inside)
{
	struct pmig_pages p;
	long ret;

	pages_on(ctx, &p, 3, ctx->home);
	if (munmap(p.addrs[1], p.page_size))
		pmig_broken("munmap: %s", strerror(errno));
	pmig_diag("pages 0 and 2 mapped, page 1 not");
	ret = pmig_mbind(p.base, len_of(&p), MPOL_DEFAULT, NULL, 0, 0);
	pmig_check_val("mbind return", ret, ctx->expect);
	if (ret == 0) {
		check_policy(p.addrs[0], MPOL_DEFAULT, mask_of(-1));
		check_policy(p.addrs[2], MPOL_DEFAULT, mask_of(-1));
	}
	check_page_on(&p, 0, ctx->home);
	check_page_on(&p, 2, ctx->home);
}

PMIG_CASE(zero_len)
{
	struct pmig_pages p;

	pages_on(ctx, &p, 1, ctx->home);
	pmig_check_eq(mbind_to(p.base, 0, MPOL_PREFERRED,
			       mask_of(elsewhere(ctx)), MPOL_MF_MOVE),
		      ctx->expect);
	check_policy(p.base, MPOL_BIND, mask_of(ctx->home));
	check_all_on(&p, ctx->home);
}

PMIG_CASE(strict_misplaced)
{
	struct pmig_pages p;
	long ret;

	pages_on(ctx, &p, 2, ctx->home);
	ret = mbind_to(p.base, len_of(&p), MPOL_BIND, mask_of(ctx->other),
		       MPOL_MF_STRICT);
	pmig_check_val("mbind return", ret, ctx->expect);
	/* STRICT alone never moves; a refused call also leaves the policy. */
	if (ret < 0)
		check_policy(p.base, MPOL_BIND, mask_of(ctx->home));
	check_all_on(&p, ctx->home);
}

PMIG_CASE(default_strict)
{
	struct pmig_pages p;
	long ret;

	/*
	 * Under MPOL_DEFAULT the nodemask is empty, so every page would count
	 * as misplaced: STRICT would fail with -EIO if the kernel kept it.
	 */
	pages_on(ctx, &p, 2, ctx->home);
	ret = pmig_mbind(p.base, len_of(&p), MPOL_DEFAULT, NULL, 0,
			 MPOL_MF_STRICT);
	pmig_check_val("mbind return", ret, ctx->expect);
	if (ret == 0)
		check_policy(p.base, MPOL_DEFAULT, mask_of(-1));
	check_all_on(&p, ctx->home);
}

/*
 * 4 home pages, page 0 referenced by a pipe, moved to the other node with
 * ctx->flags. Whatever the call returns, page 0 stays and the others move:
 * isolation succeeds for all four, only the migration of page 0 fails.
 */
PMIG_CASE(move_with_pinned)
{
	struct pmig_pages p;
	struct pmig_pin pin;
	long ret;
	int err;

	pages_on(ctx, &p, 4, ctx->home);
	err = pmig_pin(&pin, p.addrs[0], p.page_size);
	if (err)
		pmig_broken("vmsplice: %s", strerror(-err));
	ret = mbind_to(p.base, len_of(&p), MPOL_BIND, mask_of(ctx->other),
		       ctx->flags);
	pmig_diag("page 0 referenced by a pipe; mbind returned %ld", ret);
	pmig_check_val("mbind return", ret, ctx->expect);
	check_page_on(&p, 0, ctx->home);
	for (size_t i = 1; i < p.count; i++)
		check_page_on(&p, i, ctx->other);
	pmig_inv_data_intact(&p);
	pmig_unpin(&pin);
	pmig_inv_data_intact(&p);
}

/*
 * Two MAP_SHARED pages that a child also maps, moved to the other node with
 * ctx->flags: the call returns 0 (or a return row's value), and only
 * MPOL_MF_MOVE_ALL moves them.
 */
PMIG_CASE(mbind_shared)
{
	long ret = ctx->expect == PMIG_EXPECT_HOLDS ? 0 : ctx->expect;
	int lands = ctx->flags & MPOL_MF_MOVE_ALL ? ctx->other : ctx->home;
	struct pmig_pages p;
	pid_t sharer;

	pmig_pages_setup(&p, PMIG_PAGE_SHARED_ANON, 2, ctx->home, ctx->seed);
	sharer = pmig_sharer_setup(&p);
	pmig_check_eq(mbind_to(p.base, len_of(&p), MPOL_BIND,
			       mask_of(ctx->other), ctx->flags),
		      ret);
	check_all_on(&p, lands);
	pmig_sharer_stop(sharer);
}

/* --- placement ---------------------------------------------------------------------- */

/*
 * 16 pages of kind ctx->arg (private anonymous unless a row says) on @from,
 * mbind(@mode, @m, @flags) must return 0; the caller checks where they went.
 */
static void move_16(const struct pmig_ctx *ctx, struct pmig_pages *p, int from,
		    int mode, struct pmig_nodemask m, unsigned flags)
{
	pmig_pages_setup(p, ctx->arg, 16, from, ctx->seed);
	pmig_require_eq(mbind_to(p->base, len_of(p), mode, m, flags), 0);
	check_policy(p->base, mode, m);
}

PMIG_CASE(bind_move)
{
	struct pmig_pages p;

	move_16(ctx, &p, ctx->home, MPOL_BIND, mask_of(ctx->other),
		MPOL_MF_MOVE);
	check_all_on(&p, ctx->other);
}

PMIG_CASE(preferred_move)
{
	struct pmig_pages p;

	move_16(ctx, &p, ctx->home, MPOL_PREFERRED, mask_of(ctx->other),
		MPOL_MF_MOVE);
	check_all_on(&p, ctx->other);
}

PMIG_CASE(cpuless_target)
{
	struct pmig_pages p;

	pmig_diag("node %d has memory and no CPU; %s pages", ctx->cpuless,
		  pmig_page_kind_name(ctx->arg));
	move_16(ctx, &p, ctx->home, MPOL_BIND, mask_of(ctx->cpuless),
		MPOL_MF_MOVE);
	check_all_on(&p, ctx->cpuless);
}

/* Counts the pages of @p on @a and on @b; each page must be on one of them. */
static void count_on(const struct pmig_pages *p, int a, int b, size_t *na,
		     size_t *nb)
{
	*na = *nb = 0;
	for (size_t i = 0; i < p->count; i++) {
		int node = pmig_page_node(p->addrs[i]);

		if (node == a)
			(*na)++;
		else if (node == b)
			(*nb)++;
		else
			pmig_fail_at(__FILE__, __LINE__,
				     "page %zu is on node %d, not %d or %d", i,
				     node, a, b);
		check_page_on(p, i, node);
	}
	pmig_diag("%zu pages on node %d, %zu on node %d", *na, a, *nb, b);
	pmig_inv_data_intact(p);
}

PMIG_CASE(interleave_spreads)
{
	struct pmig_pages p;
	size_t na, nb;

	if (ctx->cpuless == ctx->other || ctx->cpuless == ctx->home)
		pmig_skip(
			"needs a CPU-less node besides two other memory nodes");
	move_16(ctx, &p, ctx->cpuless, MPOL_INTERLEAVE,
		pmig_nodemask_of2(ctx->home, ctx->other), MPOL_MF_MOVE);
	count_on(&p, ctx->home, ctx->other, &na, &nb);
	pmig_check(na > 0);
	pmig_check(nb > 0);
}

PMIG_CASE(interleave_keeps)
{
	struct pmig_pages p;
	size_t na, nb;

	move_16(ctx, &p, ctx->home, MPOL_INTERLEAVE,
		pmig_nodemask_of2(ctx->home, ctx->other), MPOL_MF_MOVE);
	count_on(&p, ctx->home, ctx->other, &na, &nb);
	pmig_check_val("pages moved off the home node", nb, 0);
}

/*
 * A page that cannot even be isolated from the LRU: the ring of an
 * AF_PACKET socket is kernel memory that packet_mmap() inserts into the
 * mapping with vm_insert_page(), and it is on no LRU list. Maps one ring
 * page at @at (MAP_FIXED), allocated under a policy binding it to @node.
 */
static void packet_ring_at(void *at, size_t ps, int node)
{
	struct tpacket_req req = {
		.tp_block_size = (unsigned)ps,
		.tp_block_nr = 1,
		.tp_frame_size = (unsigned)ps / 2,
		.tp_frame_nr = 2,
	};
	struct pmig_nodemask m = mask_of(node);
	int fd = socket(AF_PACKET, SOCK_RAW,
			0); /* protocol 0: receives nothing */
	long err;

	if (fd < 0 && (errno == EAFNOSUPPORT || errno == EPERM))
		pmig_skip("no AF_PACKET socket for an unmovable page: %s",
			  strerror(errno));
	if (fd < 0)
		pmig_broken("socket(AF_PACKET): %s", strerror(errno));
	/* The ring's pages are allocated here, under the task's policy. */
	err = pmig_set_mempolicy(MPOL_BIND, m.bits, PMIG_MASK_MAXNODE);
	if (err)
		pmig_broken("set_mempolicy: %s", strerror((int)-err));
	if (setsockopt(fd, SOL_PACKET, PACKET_RX_RING, &req, sizeof(req)))
		pmig_broken("PACKET_RX_RING: %s", strerror(errno));
	err = pmig_set_mempolicy(MPOL_DEFAULT, NULL, 0);
	if (err)
		pmig_broken("set_mempolicy: %s", strerror((int)-err));
	if (mmap(at, ps, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, fd,
		 0) != at)
		pmig_broken("mmap of the packet ring: %s", strerror(errno));
	close(fd); /* the mapping keeps the ring */
}

PMIG_CASE(strict_move_two_vmas)
{
	struct pmig_pages p;
	size_t ps = (size_t)sysconf(_SC_PAGESIZE), n = 4;
	char *region;
	int ring_node;
	long ret;

	/* [ring page][n written pages]: two VMAs, the first unmovable. */
	pages_on(ctx, &p, n, ctx->home);
	region = mmap(NULL, (n + 1) * ps, PROT_NONE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (region == MAP_FAILED)
		pmig_broken("mmap: %s", strerror(errno));
	if (mremap(p.base, n * ps, n * ps, MREMAP_MAYMOVE | MREMAP_FIXED,
		   region + ps) != region + ps)
		pmig_broken("mremap: %s", strerror(errno));
	p.base = region + ps;
	for (size_t i = 0; i < n; i++)
		p.addrs[i] = p.base + i * ps;
	packet_ring_at(region, ps, ctx->home);
	ring_node = pmig_page_node(region);
	if (ring_node != ctx->home)
		pmig_broken("the packet ring page is on %d, not node %d",
			    ring_node, ctx->home);
	ret = mbind_to(region, (n + 1) * ps, MPOL_BIND, mask_of(ctx->other),
		       MPOL_MF_MOVE | MPOL_MF_STRICT);
	pmig_diag(
		"ring page at the start, %zu pages after it; mbind returned %ld",
		n, ret);
	pmig_check_val("mbind return", ret, -EIO);
	pmig_check_val("node of the ring page", pmig_page_node(region),
		       ctx->home);
	check_all_on(&p, ctx->other);
}
