/* preset.c - the named set-ups of pmig bench (--preset) and the published figures they are compared with. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "preset.h"

#define GARG_V3 \
	"https://lore.kernel.org/all/20250923174752.35701-1-shivankg@amd.com/"
#define GARG_V4 "https://lkml.rescloud.iu.edu/2603.2/06223.html"
#define GARG_V5 "https://lkml.iu.edu/hypermail/linux/kernel/2605.1/00684.html"

/*
 * Shivank Garg (AMD), "Accelerate page migration with batch copying and
 * hardware offload": move_pages() of 1 GB between the two NUMA nodes (one
 * per socket) of a 2-socket AMD Zen 3 EPYC, 32 cores, SMT on, DVFS at
 * performance, PTDMA engines. "One thread" is the stock kernel's serial
 * folio_copy(); DMA is the series' dcbm driver handing the batched copy to
 * N PTDMA channels; multi-threaded is the RFC v3 copy spread over CPU
 * threads. v4 and v5 figures were read in the cited replies (mean of runs,
 * the replies give a +- too); the v3 ones come from pmig's research notes,
 * which cite the v3 cover letter, and were not read there.
 */
static const struct pmig_ref_line garg_refs[] = {
	{ "anon", 3.31, "stock kernel, one thread", "v7.1-rc1", "2026-05-08",
	  GARG_V5, true },
	{ "thp", 11.02, "stock kernel, one thread", "v7.1-rc1", "2026-05-08",
	  GARG_V5, true },
	{ "anon", 3.55, "stock kernel, one thread", "v7.0-rc2", "2026-03-18",
	  GARG_V4, true },
	{ "thp", 10.88, "stock kernel, one thread", "v7.0-rc2", "2026-03-18",
	  GARG_V4, true },
	{ "thp", 27.16, "DMA offload, 4 PTDMA channels", "v7.0-rc2",
	  "2026-03-18", GARG_V4, true },
	{ "anon", 3.73, "stock kernel, one thread", "6.16-rc6", "2025-09-23",
	  GARG_V3, false },
	{ "thp", 10.67, "stock kernel, one thread", "6.16-rc6", "2025-09-23",
	  GARG_V3, false },
	{ "thp", 35.89, "multi-threaded copy, 16 threads", "6.16-rc6",
	  "2025-09-23", GARG_V3, false },
	{ "thp", 63.69, "DMA offload, 16 channels", "6.16-rc6", "2025-09-23",
	  GARG_V3, false },
};

static const struct pmig_preset presets[] = {
	{
		.name = "garg-2025",
		.summary =
			"Shivank Garg's batch-copy series: move_pages() of 1 GiB between two sockets' nodes, 4K pages and 2 MiB THP, against the cross-node copy bound",
		.machine =
			"AMD Zen 3 EPYC, 2 sockets (one NUMA node each), 32 cores, SMT on",
		.bytes = 1UL << 30,
		.refs = garg_refs,
		.nrefs = sizeof(garg_refs) / sizeof(garg_refs[0]),
	},
};

#define NPRESETS (sizeof(presets) / sizeof(presets[0]))

const struct pmig_preset *pmig_preset_find(const char *name)
{
	for (size_t i = 0; name && i < NPRESETS; i++)
		if (!strcmp(presets[i].name, name))
			return &presets[i];
	return NULL;
}

const char *pmig_preset_names(void)
{
	static char buf[256];
	size_t off = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < NPRESETS && off < sizeof(buf); i++)
		off += (size_t)snprintf(buf + off, sizeof(buf) - off, "%s%s",
					i ? ", " : "", presets[i].name);
	return buf;
}

bool pmig_preset_keeps(const struct pmig_preset *p,
		       const struct pmig_bench_case *c)
{
	const char *s = c->strategy->name;

	if (!p)
		return false;
	if (!strcmp(s, "memcpy"))
		return c->wl == PMIG_WL_ANON;
	return !strcmp(s, "move_pages") && c->batch == 0 &&
	       (c->wl == PMIG_WL_ANON || c->wl == PMIG_WL_THP);
}

size_t pmig_preset_pair(const struct pmig_topo *t, struct pmig_pair *out)
{
	struct pmig_pair pairs[256];
	size_t n = pmig_pairs_select(t, PMIG_PAIRS_ALL, pairs, 256), found = 0;

	/* FARTHEST would pick a CPU-less memory node where there is one. */
	for (size_t i = 0; i < n && i < 256; i++) {
		if (pairs[i].to_cpuless ||
		    (found && pairs[i].distance <= out->distance))
			continue;
		*out = pairs[i];
		found = 1;
	}
	return found;
}

/* MemFree of @node in bytes, or -1 when unreadable. */
static long long mem_free(const char *root, int node)
{
	char path[512], line[160];
	long long kb = -1;
	FILE *f;

	snprintf(path, sizeof(path),
		 "%s/sys/devices/system/node/node%d/meminfo", root, node);
	f = fopen(path, "re");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "Node %*d MemFree: %lld kB", &kb) == 1)
			break;
	fclose(f);
	return kb < 0 ? -1 : kb << 10;
}

int pmig_preset_room(const char *root, const struct pmig_pair *pair,
		     size_t bytes, char *why, size_t whylen)
{
	const int nodes[] = { pair->from, pair->to };

	for (size_t i = 0; i < 2; i++) {
		long long free_b = mem_free(root, nodes[i]);

		if (free_b < 0 || (unsigned long long)free_b >= bytes)
			continue;
		snprintf(why, whylen,
			 "node %d has %lld MiB free, %zu MiB needed there",
			 nodes[i], free_b >> 20, bytes >> 20);
		return -ENOSPC;
	}
	return 0;
}
