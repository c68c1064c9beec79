/* compaction.c - conformance cases of direct compaction (a node's compact file): pages it moves within their node keep their data and node; mlocked pages stay where compact_unevictable_allowed is 0. */
#include <errno.h>
#include <numaif.h>
#include <linux/kernel-page-flags.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "cases.h"
#include "check.h"
#include "compaction.h"
#include "fixtures.h"
#include "kind_checks.h"
#include "pageinfo.h"
#include "pages.h"
#include "settings.h"
#include "sysfile.h"
#include "syscalls.h"

/*
 * Compacts @node: its sysfs compact file (compact_node() on every zone of
 * the node, MIGRATE_SYNC, the whole zone), else /proc/sys/vm/compact_memory
 * (every node) where this kernel has no per-node file. SKIPs without
 * CONFIG_COMPACTION.
 */
static void compact(int node)
{
	char path[64];
	int err;

	snprintf(path, sizeof(path), "/sys/devices/system/node/node%d/compact",
		 node);
	err = pmig_sysfile_write(path, "1");
	if (err == -ENOENT) {
		snprintf(path, sizeof(path), "/proc/sys/vm/compact_memory");
		err = pmig_sysfile_write(path, "1");
		if (err == -ENOENT)
			pmig_skip(
				"this kernel has no compaction (neither the node's compact file nor %s)",
				path);
	}
	if (err)
		pmig_broken("cannot write 1 to %s: %s", path, strerror(-err));
	pmig_diag("wrote 1 to %s", path);
}

/*
 * Compacts ctx->home until some of @p's even pages with i % 4 == @rem (-1:
 * all) changed frame, at most ROUNDS times: where the scanners meet
 * depends on the whole node's layout, and a pass can end before it
 * reaches them (seen on 6.1: a second case's pages all stayed in one pass).
 * @after: the frames after the last pass.
 */
enum { ROUNDS = 4 };
static void compact_until(const struct pmig_ctx *ctx,
			  const struct pmig_pages *p, const uint64_t *before,
			  uint64_t *after, int rem)
{
	static const char *const name[] = {
		"compact_migrate_scanned", "compact_free_scanned",
		"compact_isolated",	   "pgmigrate_success",
		"pgmigrate_fail",
	};
	long long d[PMIG_ARRAY_SIZE(name)];
	int round = 0;

	for (size_t k = 0; k < PMIG_ARRAY_SIZE(name); k++)
		d[k] = pmig_vmstat(name[k]);
	do {
		compact(ctx->home);
		pmig_compact_frames(p, after);
	} while (++round < ROUNDS &&
		 !pmig_compact_changed(p, before, after, rem));
	for (size_t k = 0; k < PMIG_ARRAY_SIZE(name); k++)
		d[k] = pmig_vmstat(name[k]) - d[k];
	pmig_diag(
		"%d compaction pass%s: %s +%lld, %s +%lld, %s +%lld, %s +%lld, %s +%lld",
		round, round > 1 ? "es" : "", name[0], d[0], name[1], d[1],
		name[2], d[2], name[3], d[3], name[4], d[4]);
}

/*
 * Anonymous pages on home, fragmented, then home compacted: every page left
 * holds its data and is on home (a status query, and its frame's memory
 * block), compact_migrate_scanned grew, and pgmigrate_success grew by at
 * least the number of these pages whose frame changed. A SKIP says so
 * when compaction moved none of them.
 */
PMIG_CASE(compact_keeps_data)
{
	struct pmig_pages p;
	uint64_t *before = calloc(PMIG_COMPACT_NPAGES, sizeof(*before)),
		 *after = calloc(PMIG_COMPACT_NPAGES, sizeof(*after));
	void **addrs = calloc(PMIG_COMPACT_NPAGES, sizeof(*addrs));
	long long scanned, success;
	size_t n, nkept;

	if (!before || !after || !addrs)
		pmig_broken("out of memory");
	pmig_compact_setup(ctx, &p, false, NULL);
	pmig_compact_frames(&p, before);
	scanned = pmig_vmstat("compact_migrate_scanned");
	success = pmig_vmstat("pgmigrate_success");
	if (scanned < 0 || success < 0)
		pmig_skip(
			"/proc/vmstat has no compact_migrate_scanned or pgmigrate_success (CONFIG_COMPACTION, CONFIG_MIGRATION)");
	compact_until(ctx, &p, before, after, -1);
	scanned = pmig_vmstat("compact_migrate_scanned") - scanned;
	success = pmig_vmstat("pgmigrate_success") - success;
	n = pmig_compact_moved(ctx, &p, before, after, -1);
	nkept = pmig_compact_kept(&p, -1, addrs);
	pmig_kind_query(addrs, nkept, pmig_expected(ctx, ctx->home));
	pmig_diag(
		"compaction moved %zu of the %zu pages left; compact_migrate_scanned +%lld, pgmigrate_success +%lld",
		n, nkept, scanned, success);
	pmig_check(scanned > 0);
	pmig_check(success >= (long long)n);
	if (!pmig_failures() && n == 0)
		pmig_skip(
			"compaction moved none of the %zu pages left (their frames are unchanged; compact_migrate_scanned +%lld, pgmigrate_success +%lld): nothing to check data and node against",
			nkept, scanned, success);
	free(addrs);
	free(after);
	free(before);
}

/*
 * Pages on home, fragmented; of those left, every other one mlocked (i % 4
 * == 0), the others not (the control); home compacted with
 * compact_unevictable_allowed as the row's setting. The row's value is the
 * number of mlocked pages whose frame changed, against the control's moves
 * (a SKIP when compaction moved none of those either).
 */
PMIG_CASE(compact_mlocked)
{
	struct pmig_pages p;
	uint64_t *before = calloc(PMIG_COMPACT_NPAGES, sizeof(*before)),
		 *after = calloc(PMIG_COMPACT_NPAGES, sizeof(*after));
	void **addrs = calloc(PMIG_COMPACT_NPAGES, sizeof(*addrs));
	char now[16] = "";
	size_t mlocked_moved, control, nlocked;
	int err;

	if (!before || !after || !addrs)
		pmig_broken("out of memory");
	err = pmig_sysfile_read(PMIG_COMPACT_UNEVICTABLE, now, sizeof(now));
	if (err == -ENOENT)
		pmig_skip("this kernel has no %s", PMIG_COMPACT_UNEVICTABLE);
	if (err || strcmp(now, "0"))
		pmig_broken("%s reads '%s' after the runner wrote 0 (%s)",
			    PMIG_COMPACT_UNEVICTABLE, now,
			    err ? strerror(-err) : "no error");
	pmig_compact_setup(ctx, &p, false, NULL);
	for (size_t i = 0; i < p.count; i += 4)
		if (mlock(p.addrs[i], p.page_size))
			pmig_skip("mlock of page %zu: %s (RLIMIT_MEMLOCK?)", i,
				  strerror(errno));
	if (!(pmig_kind_kflags(p.addrs[0]) & PMIG_KIND_KPF(KPF_UNEVICTABLE)))
		pmig_broken(
			"page 0 is mlocked but not unevictable (kpageflags %#llx)",
			(unsigned long long)pmig_kind_kflags(p.addrs[0]));
	pmig_compact_frames(&p, before);
	compact_until(ctx, &p, before, after, 2);
	mlocked_moved = pmig_compact_moved(ctx, &p, before, after, 0);
	control = pmig_compact_moved(ctx, &p, before, after, 2);
	nlocked = pmig_compact_kept(&p, 0, addrs);
	pmig_kind_query(addrs, nlocked, ctx->home);
	pmig_diag(
		"compaction moved %zu of %zu mlocked pages and %zu of %zu unlocked ones",
		mlocked_moved, nlocked, control, nlocked);
	if (!pmig_failures() && control == 0)
		pmig_skip(
			"compaction moved none of the %zu unlocked pages either, so their staying says nothing about mlock",
			nlocked);
	pmig_check_eq(mlocked_moved, ctx->expect);
	free(addrs);
	free(after);
	free(before);
}
