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

static int by_id(const void *a, const void *b)
{
	return ((const struct pmig_mem_tier *)a)->id -
	       ((const struct pmig_mem_tier *)b)->id;
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

/* "0-1,3" as a bit mask; nodes past 63 are left out. */
static uint64_t parse_nodelist(const char *s)
{
	uint64_t mask = 0;
	char *end;

	while (*s) {
		long a = strtol(s, &end, 10), b = a;

		if (end == s)
			break;
		if (*end == '-')
			b = strtol(end + 1, &end, 10);
		for (long i = a; i <= b && i < 64; i++)
			if (i >= 0)
				mask |= 1ULL << i;
		s = *end == ',' ? end + 1 : end;
		if (*end != ',')
			break;
	}
	return mask;
}

int pmig_tiers_read(const char *root, struct pmig_mem_tier *out, size_t max)
{
	char dir[512], path[768];
	struct dirent *e;
	size_t n = 0;
	DIR *d;

	path_of(dir, sizeof(dir), root, "/sys/devices/virtual/memory_tiering");
	d = opendir(dir);
	if (!d)
		return -ENOENT;
	while ((e = readdir(d)) && n < max) {
		int id;
		char rest;

		if (sscanf(e->d_name, "memory_tier%d%c", &id, &rest) != 1 ||
		    id < 0)
			continue;
		out[n].id = id;
		if (snprintf(path, sizeof(path), "%s/%s/nodelist", dir,
			     e->d_name) >= (int)sizeof(path))
			continue;
		first_line(path, out[n].nodelist, sizeof(out[n].nodelist));
		out[n].nodes = parse_nodelist(out[n].nodelist);
		n++;
	}
	closedir(d);
	qsort(out, n, sizeof(out[0]), by_id);
	return (int)n;
}

int pmig_tier_index(const struct pmig_mem_tier *t, size_t n, int node)
{
	for (size_t i = 0; i < n; i++)
		if (node >= 0 && node < 64 && (t[i].nodes >> node & 1))
			return (int)i;
	return -1;
}

int pmig_tiers_print(const char *root, FILE *out)
{
	char path[768], demotion[16];
	struct pmig_mem_tier tiers[64];
	int got =
		pmig_tiers_read(root, tiers, sizeof(tiers) / sizeof(tiers[0]));
	size_t n;

	if (got < 0) {
		fprintf(out, "memory tiers: none (no %s in this kernel)\n",
			"/sys/devices/virtual/memory_tiering");
		return ferror(out) ? -EIO : 0;
	}
	n = (size_t)got;
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
			tiers[i].nodelist[0] ? tiers[i].nodelist : "none");
	return ferror(out) ? -EIO : 0;
}
