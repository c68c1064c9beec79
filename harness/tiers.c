/* tiers.c - reads and prints the kernel's memory tiers from /sys/devices/virtual/memory_tiering and /sys/kernel/mm/numa/demotion_enabled. */
#include "tiers.h"

#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
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
	return ((const struct pmig_tier *)a)->id -
	       ((const struct pmig_tier *)b)->id;
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

/* Whether node list @list ("0-1,3") holds @node. */
static bool list_has(const char *list, int node)
{
	const char *s = list;

	while (*s) {
		char *end;
		long a = strtol(s, &end, 10), b = a;

		if (end == s)
			return false;
		if (*end == '-') {
			s = end + 1;
			b = strtol(s, &end, 10);
			if (end == s)
				return false;
		}
		if (node >= a && node <= b)
			return true;
		s = *end == ',' ? end + 1 : end;
		if (*end && *end != ',')
			return false;
	}
	return false;
}

int pmig_tiers_read(const char *root, struct pmig_tiers *t)
{
	char dir[512], path[768], demotion[16];
	struct dirent *e;
	DIR *d;

	t->n = 0;
	path_of(path, sizeof(path), root,
		"/sys/kernel/mm/numa/demotion_enabled");
	first_line(path, demotion, sizeof(demotion));
	t->demotion = !strcmp(demotion, "true")	 ? 1 :
		      !strcmp(demotion, "false") ? 0 :
						   -1;
	path_of(dir, sizeof(dir), root, "/sys/devices/virtual/memory_tiering");
	d = opendir(dir);
	if (!d)
		return -ENOENT;
	while ((e = readdir(d)) && t->n < PMIG_TIERS_MAX) {
		struct pmig_tier *tier = &t->tier[t->n];
		int id;
		char rest;

		if (sscanf(e->d_name, "memory_tier%d%c", &id, &rest) != 1 ||
		    id < 0)
			continue;
		tier->id = id;
		if (snprintf(path, sizeof(path), "%s/%s/nodelist", dir,
			     e->d_name) >= (int)sizeof(path))
			continue;
		first_line(path, tier->nodes, sizeof(tier->nodes));
		t->n++;
	}
	closedir(d);
	qsort(t->tier, t->n, sizeof(t->tier[0]), by_id);
	return 0;
}

int pmig_tiers_index_of(const struct pmig_tiers *t, int node)
{
	for (size_t i = 0; i < t->n; i++)
		if (list_has(t->tier[i].nodes, node))
			return (int)i;
	return -1;
}

int pmig_tiers_print(const char *root, FILE *out)
{
	struct pmig_tiers t;

	if (pmig_tiers_read(root, &t)) {
		fprintf(out, "memory tiers: none (no %s in this kernel)\n",
			"/sys/devices/virtual/memory_tiering");
		return ferror(out) ? -EIO : 0;
	}
	/* Demotion can go somewhere when a slower tier than the fastest holds memory. */
	fprintf(out, "memory tiers: %zu (demotion %s; targets: %s)\n", t.n,
		t.demotion == 1 ? "on" :
		t.demotion == 0 ? "off" :
				  "unknown",
		t.n > 1 ? "yes" : "no");
	for (size_t i = 0; i < t.n; i++)
		fprintf(out, "tier %d (abstract distance %d-%d): nodes %s\n",
			t.tier[i].id, t.tier[i].id << CHUNK_BITS,
			((t.tier[i].id + 1) << CHUNK_BITS) - 1,
			t.tier[i].nodes[0] ? t.tier[i].nodes : "none");
	return ferror(out) ? -EIO : 0;
}
