/* memblocks.c - the machine's memory blocks read from sysfs: state, zones, node; each node's movable memory for pmig topo. */
#include "memblocks.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define MB_DIR "/sys/devices/system/memory"

/* The first line of @root/@rel into @buf, no newline; "" when it cannot be read. */
static void mb_line(const char *root, const char *rel, char *buf, size_t len)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s%s", root ? root : "", rel);
	buf[0] = '\0';
	f = fopen(path, "re");
	if (!f)
		return;
	if (!fgets(buf, (int)len, f))
		buf[0] = '\0';
	fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
}

unsigned long long pmig_memblock_bytes(const char *root)
{
	char line[32];

	mb_line(root, MB_DIR "/block_size_bytes", line, sizeof(line));
	return strtoull(line, NULL, 16);
}

/* The node of block @id: the nodeM entry of its directory, -1 for none. */
static int mb_node(const char *root, long id)
{
	char path[512];
	struct dirent *d;
	int node = -1;
	DIR *dir;

	snprintf(path, sizeof(path), "%s" MB_DIR "/memory%ld", root ? root : "",
		 id);
	dir = opendir(path);
	if (!dir)
		return -1;
	while ((d = readdir(dir)))
		if (sscanf(d->d_name, "node%d", &node) == 1)
			break;
	closedir(dir);
	return node;
}

static int mb_by_id(const void *a, const void *b)
{
	long x = ((const struct pmig_memblock *)a)->id,
	     y = ((const struct pmig_memblock *)b)->id;

	return (x > y) - (x < y);
}

int pmig_memblocks_read(const char *root, struct pmig_memblock **out, size_t *n)
{
	char path[512], rel[96], state[32];
	struct pmig_memblock *b = NULL;
	size_t cap = 0, k = 0;
	struct dirent *d;
	DIR *dir;

	snprintf(path, sizeof(path), "%s" MB_DIR, root ? root : "");
	dir = opendir(path);
	if (!dir)
		return -errno;
	while ((d = readdir(dir))) {
		long id;
		char end;

		if (sscanf(d->d_name, "memory%ld%c", &id, &end) != 1)
			continue;
		if (k == cap) {
			struct pmig_memblock *nb;

			cap = cap ? 2 * cap : 64;
			nb = realloc(b, cap * sizeof(*b));
			if (!nb) {
				free(b);
				closedir(dir);
				return -ENOMEM;
			}
			b = nb;
		}
		b[k].id = id;
		b[k].node = mb_node(root, id);
		snprintf(rel, sizeof(rel), MB_DIR "/memory%ld/state", id);
		mb_line(root, rel, state, sizeof(state));
		b[k].online = !strcmp(state, "online");
		snprintf(rel, sizeof(rel), MB_DIR "/memory%ld/valid_zones", id);
		mb_line(root, rel, b[k].zones, sizeof(b[k].zones));
		k++;
	}
	closedir(dir);
	if (k)
		qsort(b, k, sizeof(*b), mb_by_id);
	*out = b;
	*n = k;
	return 0;
}

bool pmig_memblock_movable(const struct pmig_memblock *b)
{
	return b->online && !strcmp(b->zones, "Movable");
}

int pmig_memblock_node(const struct pmig_memblock *b, size_t n, long id)
{
	for (size_t i = 0; i < n; i++)
		if (b[i].id == id)
			return b[i].node;
	return -1;
}

int pmig_memblocks_print_movable(const char *root, FILE *out)
{
	unsigned long long bytes = pmig_memblock_bytes(root);
	struct pmig_memblock *b;
	size_t n;
	int err = pmig_memblocks_read(root, &b, &n);

	/* Unreadable is as good as none: the lines only inform. */
	if (err)
		return 0;
	/* Per node, in node order: blocks are few and nodes fewer. */
	for (int node = 0; node < 1024; node++) {
		long first = -1, last = -1;
		size_t count = 0;

		for (size_t i = 0; i < n; i++) {
			if (b[i].node != node || !pmig_memblock_movable(&b[i]))
				continue;
			if (first < 0)
				first = b[i].id;
			last = b[i].id;
			count++;
		}
		if (count)
			fprintf(out,
				"movable memory: node %d, %llu MiB in %zu block%s (memory%ld-memory%ld)\n",
				node, bytes * count >> 20, count,
				count > 1 ? "s" : "", first, last);
	}
	free(b);
	return 0;
}
