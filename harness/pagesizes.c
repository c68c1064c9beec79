/* pagesizes.c - reads the base page, THP and hugetlb sizes from sysconf, sysfs and /proc/meminfo. */
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pagesizes.h"

static int path_at(char *buf, size_t len, const char *root, const char *path)
{
	int n = snprintf(buf, len, "%s%s", root ? root : "", path);

	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

/* The first number after @key in @path (@key NULL: at its start); 0 when absent. */
static unsigned long long number_in(const char *root, const char *path,
				    const char *key)
{
	char full[512], line[256];
	unsigned long long v = 0;
	FILE *f;

	if (path_at(full, sizeof(full), root, path) || !(f = fopen(full, "r")))
		return 0;
	while (fgets(line, sizeof(line), f)) {
		size_t klen = key ? strlen(key) : 0;

		if (key && strncmp(line, key, klen))
			continue;
		if (sscanf(line + klen, " %llu", &v) != 1)
			v = 0;
		break;
	}
	fclose(f);
	return v;
}

/* Whether the system-wide pool of @bytes pages exists below @root. */
static int hugetlb_pool(const char *root, size_t bytes)
{
	char rel[96], full[512];
	struct stat st;

	snprintf(rel, sizeof(rel), "/sys/kernel/mm/hugepages/hugepages-%zukB",
		 bytes >> 10);
	return bytes && !path_at(full, sizeof(full), root, rel) &&
	       !stat(full, &st) && S_ISDIR(st.st_mode);
}

/* The smallest hugetlb pool below @root (0: none). */
static size_t smallest_pool(const char *root)
{
	char full[512];
	DIR *d;
	struct dirent *e;
	size_t min = 0;

	if (path_at(full, sizeof(full), root, "/sys/kernel/mm/hugepages"))
		return 0;
	d = opendir(full);
	if (!d)
		return 0;
	while ((e = readdir(d))) {
		unsigned long long kb;

		if (sscanf(e->d_name, "hugepages-%llukB", &kb) == 1 && kb &&
		    (!min || (size_t)kb << 10 < min))
			min = (size_t)kb << 10;
	}
	closedir(d);
	return min;
}

int pmig_page_sizes_read(const char *root, size_t base,
			 struct pmig_page_sizes *out)
{
	long sc = sysconf(_SC_PAGESIZE);
	unsigned long long kb;

	memset(out, 0, sizeof(*out));
	out->base = base ? base : sc > 0 ? (size_t)sc : 0;
	if (!out->base || (out->base & (out->base - 1)))
		return -EINVAL;
	out->thp = (size_t)number_in(
		root, "/sys/kernel/mm/transparent_hugepage/hpage_pmd_size",
		NULL);
	out->hugetlb_min = smallest_pool(root);
	/* A PMD-sized hugetlb page migrates like a THP: the same geometry. */
	if (hugetlb_pool(root, out->thp)) {
		out->hugetlb = out->thp;
		return 0;
	}
	kb = number_in(root, "/proc/meminfo", "Hugepagesize:");
	if (hugetlb_pool(root, (size_t)kb << 10))
		out->hugetlb = (size_t)kb << 10;
	return 0;
}

static struct pmig_page_sizes machine;

static void read_machine(void)
{
	if (pmig_page_sizes_read(NULL, 0, &machine))
		machine = (struct pmig_page_sizes){
			.base = (size_t)getpagesize()
		};
}

const struct pmig_page_sizes *pmig_page_sizes(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;

	/* Benchmark threads may ask first: read exactly once. */
	pthread_once(&once, read_machine);
	return &machine;
}

size_t pmig_thp_pages(void)
{
	const struct pmig_page_sizes *s = pmig_page_sizes();

	return s->thp / s->base;
}

int pmig_hugetlb_node_path(char *buf, size_t len, int node, size_t bytes,
			   const char *file)
{
	int n = snprintf(
		buf, len,
		"/sys/devices/system/node/node%d/hugepages/hugepages-%zukB/%s",
		node, bytes >> 10, file);

	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}
