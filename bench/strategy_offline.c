/* strategy_offline.c - migration by memory offline: the ZONE_MOVABLE blocks that hold the pages are offlined, and the kernel moves every page in them to the nearest other node. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "journal.h"
#include "memblocks.h"
#include "pageinfo.h"
#include "strategy.h"
#include "sysfile.h"

/* Every block a run may offline at once: 16 MiB of pages lie in one or two 128 MiB blocks. */
#define MAX_BLOCKS 64

struct drain {
	unsigned long long block_bytes;
	size_t n; /* blocks offlined by the last migrate, to online again */
	long id[MAX_BLOCKS];
	pmig_jid jid
		[MAX_BLOCKS]; /* each one's journal record: "online" again after a kill */
};

static void state_path(char *path, size_t len, long id)
{
	snprintf(path, len, "/sys/devices/system/memory/memory%ld/state", id);
}

/* Whether node @n has memory: a MemTotal above 0 in its meminfo. */
static bool has_memory(int n)
{
	char path[80], line[160];
	long long kb = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/devices/system/node/node%d/meminfo",
		 n);
	f = fopen(path, "re");
	if (!f)
		return false;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "Node %*d MemTotal: %lld kB", &kb) == 1)
			break;
	fclose(f);
	return kb > 0;
}

/*
 * The memory node nearest to @from by the SLIT (nodeN/distance lists the
 * distance to every online node, by id), other than @from; -1 for none.
 * Read from sysfs: the timing program is linked without libnuma.
 */
static int nearest_other(int from)
{
	char path[80];
	int best = -1, bd = 0, d;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/devices/system/node/node%d/distance",
		 from);
	f = fopen(path, "re");
	if (!f)
		return -1;
	for (int id = 0; id < 1024; id++) {
		snprintf(path, sizeof(path), "/sys/devices/system/node/node%d",
			 id);
		if (access(path, F_OK))
			continue;
		if (fscanf(f, "%d", &d) != 1)
			break;
		if (id != from && has_memory(id) && (best < 0 || d < bd)) {
			best = id;
			bd = d;
		}
	}
	fclose(f);
	return best;
}

static int prepare(struct pmig_bench_ctx *x)
{
	struct pmig_memblock *b = NULL;
	struct drain *d;
	size_t n = 0, movable = 0;
	int from = x->c->pair.from, to = x->c->pair.to, err;

	err = pmig_memblocks_read(NULL, &b, &n);
	for (size_t i = 0; !err && i < n; i++)
		movable += b[i].node == from && pmig_memblock_movable(&b[i]);
	free(b);
	if (err) {
		pmig_bench_unavailable(
			x->st,
			"no memory blocks to offline (/sys/devices/system/memory: %s)",
			strerror(-err));
		return -1;
	}
	if (!movable) {
		pmig_bench_unavailable(
			x->st,
			"node %d has no memory block online in ZONE_MOVABLE (a hot-pluggable DIMM: pmig vm --topology 2node-hotplug)",
			from);
		return -1;
	}
	if (nearest_other(from) != to) {
		pmig_bench_unavailable(
			x->st,
			"an offline moves node %d's pages to the nearest other memory node, %d, not %d",
			from, nearest_other(from), to);
		return -1;
	}
	d = calloc(1, sizeof(*d));
	if (!d) {
		pmig_bench_fail(x->st, "out of memory");
		return -1;
	}
	d->block_bytes = pmig_memblock_bytes(NULL);
	x->priv = d;
	return 0;
}

/* Onlines the blocks the last migrate offlined; 0 or -1 after pmig_bench_fail(). */
static int online_again(struct pmig_bench_ctx *x)
{
	struct drain *d = x->priv;
	char path[96];

	for (; d && d->n > 0; d->n--) {
		int err;

		state_path(path, sizeof(path), d->id[d->n - 1]);
		err = pmig_sysfile_write(path, "online");
		if (err) {
			pmig_bench_fail(x->st, "cannot online memory%ld: %s",
					d->id[d->n - 1], strerror(-err));
			return -1;
		}
		pmig_journal_undone(d->jid[d->n - 1]);
	}
	return 0;
}

static int reset(struct pmig_bench_ctx *x)
{
	if (online_again(x))
		return -1;
	return pmig_reset_to_from(x);
}

/*
 * The blocks that hold x->pages, by their frames, into d->id; each must be
 * online in ZONE_MOVABLE on the from node, or the run is unavailable: the
 * kernel placed pages where an offline cannot take them from.
 */
static int find_blocks(struct pmig_bench_ctx *x, struct drain *d, long *ids,
		       size_t *nids)
{
	size_t base = (size_t)sysconf(_SC_PAGESIZE);
	size_t count = x->pages.count * (x->pages.page_size / base);
	uint64_t *e = calloc(count, sizeof(*e));
	struct pmig_memblock *b = NULL;
	size_t n = 0;
	int err;

	*nids = 0;
	if (!e || pmig_pagemap_range(x->pages.base, count, e) ||
	    pmig_memblocks_read(NULL, &b, &n)) {
		free(e);
		free(b);
		pmig_bench_fail(
			x->st,
			"cannot read the pages' frames or the memory blocks");
		return -1;
	}
	err = 0;
	for (size_t i = 0; i < count && !err; i++) {
		long id = (long)((e[i] & PMIG_PM_PFN_MASK) * base /
				 d->block_bytes);
		size_t k, j;

		for (k = 0; k < *nids && ids[k] != id; k++)
			;
		if (k < *nids)
			continue;
		for (j = 0; j < n && b[j].id != id; j++)
			;
		if (j == n || b[j].node != x->c->pair.from ||
		    !pmig_memblock_movable(&b[j])) {
			pmig_bench_unavailable(
				x->st,
				"page %zu of the workload lies in memory%ld, which is not online in ZONE_MOVABLE on node %d (%s): an offline of it would be refused",
				i, id, x->c->pair.from,
				j == n ? "no such block" : b[j].zones);
			err = -1;
		} else if (*nids == MAX_BLOCKS) {
			pmig_bench_unavailable(
				x->st,
				"the pages span more than %d memory blocks",
				MAX_BLOCKS);
			err = -1;
		} else {
			ids[(*nids)++] = id;
		}
	}
	free(e);
	free(b);
	return err;
}

static int migrate(struct pmig_bench_ctx *x)
{
	struct drain *d = x->priv;
	long ids[MAX_BLOCKS];
	size_t nids;
	uint64_t total = 0;
	char path[96];

	if (find_blocks(x, d, ids, &nids))
		return -1;
	for (size_t k = 0; k < nids; k++) {
		uint64_t t0, t1;
		int err;

		state_path(path, sizeof(path), ids[k]);
		/* On disk first: a run killed with the block offline gets it back. */
		err = pmig_journal_note(PMIG_J_SETTING, path, "online",
					&d->jid[d->n]);
		if (err) {
			pmig_bench_fail(x->st,
					"cannot write the settings journal: %s",
					strerror(-err));
			return -1;
		}
		d->id[d->n++] = ids[k];
		t0 = pmig_bench_now();
		err = pmig_sysfile_write(path, "offline");
		t1 = pmig_bench_now();
		total += t1 - t0;
		if (err) {
			pmig_bench_fail(x->st, "offline of memory%ld: %s",
					ids[k], strerror(-err));
			return -1;
		}
	}
	/*
	 * One sample per iteration: draining every block that held the pages,
	 * whatever else lay in them (offline_blocks of offline_block_bytes).
	 */
	pmig_bench_sample(x->st, total);
	pmig_bench_note_num(x->st, "offline_blocks", (double)nids);
	pmig_bench_note_num(x->st, "offline_block_bytes",
			    (double)d->block_bytes);
	return 0;
}

static void cleanup(struct pmig_bench_ctx *x)
{
	online_again(x);
	free(x->priv);
	x->priv = NULL;
}

const struct pmig_strategy pmig_strategy_offline = {
	.name = "offline",
	.version = PMIG_STRATEGY_VERSION,
	.workloads = PMIG_WL(PMIG_WL_ANON) | PMIG_WL(PMIG_WL_THP) |
		     PMIG_WL(PMIG_WL_SHMEM),
	.flags = PMIG_SF_NOT_QUICK,
	.others =
		"hugetlb, file and shared pages: not yet measured by an offline (their placement in ZONE_MOVABLE is not checked here)",
	.prepare = prepare,
	.reset = reset,
	.migrate = migrate,
	.cleanup = cleanup,
};
