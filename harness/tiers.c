/* tiers.c - reads and prints the kernel's memory tiers from /sys/devices/virtual/memory_tiering and /sys/kernel/mm/numa/demotion_enabled. */
#include "tiers.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

/*
 * A tier's id is its abstract distance >> MEMTIER_CHUNK_BITS (7), so tier N
 * holds the nodes of abstract distance [N * 128, (N + 1) * 128): DRAM is
 * tier 4 (MEMTIER_ADISTANCE_DRAM, 576); include/linux/memory-tiers.h.
 */
#define CHUNK_BITS 7

struct tier {
	int id;
	char nodes[128];
};

static int by_id(const void *a, const void *b)
{
	return ((const struct tier *)a)->id - ((const struct tier *)b)->id;
}

static void path_of(char *buf, size_t len, const char *root, const char *rel)
{
	snprintf(buf, len, "%s%s", root && *root ? root : "", rel);
}

/* The first line of @path into @buf, without its newline; "" if unreadable. */
static void first_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");

	buf[0] = '\0';
	if (!f)
		return;
	if (!fgets(buf, (int)len, f))
		buf[0] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	fclose(f);
}

int pmig_tiers_print(const char *root, FILE *out)
{
	char dir[512], path[768], demotion[16];
	struct tier tiers[64];
	size_t n = 0;
	struct dirent *e;
	DIR *d;

	path_of(dir, sizeof(dir), root, "/sys/devices/virtual/memory_tiering");
	d = opendir(dir);
	if (!d) {
		fprintf(out, "memory tiers: none (no %s in this kernel)\n",
			"/sys/devices/virtual/memory_tiering");
		return ferror(out) ? -EIO : 0;
	}
	while ((e = readdir(d)) && n < sizeof(tiers) / sizeof(tiers[0])) {
		int id;
		char rest;

		if (sscanf(e->d_name, "memory_tier%d%c", &id, &rest) != 1 ||
		    id < 0)
			continue;
		tiers[n].id = id;
		if (snprintf(path, sizeof(path), "%s/%s/nodelist", dir,
			     e->d_name) >= (int)sizeof(path))
			continue;
		first_line(path, tiers[n].nodes, sizeof(tiers[n].nodes));
		n++;
	}
	closedir(d);
	qsort(tiers, n, sizeof(tiers[0]), by_id);
	path_of(path, sizeof(path), root,
		"/sys/kernel/mm/numa/demotion_enabled");
	first_line(path, demotion, sizeof(demotion));
	/* Demotion can go somewhere when a slower tier than the fastest holds memory. */
	fprintf(out, "memory tiers: %zu (demotion %s; targets: %s)\n", n,
		!strcmp(demotion, "true")  ? "on" :
		!strcmp(demotion, "false") ? "off" :
					     "unknown",
		n > 1 ? "yes" : "no");
	for (size_t i = 0; i < n; i++)
		fprintf(out, "tier %d (abstract distance %d-%d): nodes %s\n",
			tiers[i].id, tiers[i].id << CHUNK_BITS,
			((tiers[i].id + 1) << CHUNK_BITS) - 1,
			tiers[i].nodes[0] ? tiers[i].nodes : "none");
	return ferror(out) ? -EIO : 0;
}
