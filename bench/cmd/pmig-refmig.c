/* pmig-refmig.c - `pmig refmig`: moves patterned anonymous pages with the reference migrator and verifies every page's node and data. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "pages.h"
#include "refmig.h"
#include "size.h"
#include "syscalls.h"

#define CMD "pmig refmig"
#define EXIT_VERIFY 1
#define SEED 0x706d6967726566ULL /* any fixed value: a failure reproduces */

static const char usage[] =
	"usage: pmig refmig [--size SIZE] [--from NODE] [--to NODE]\n"
	"Create SIZE (default 64M; a whole number of K, M or G, or bytes) of\n"
	"private anonymous pages with a data pattern on node --from (default 0),\n"
	"move them to node --to (default 0) with the user-space reference\n"
	"migrator (copy to memory bound to the target, mremap over the\n"
	"original), check every page's node and data, print one line:\n"
	"  refmig: pages=N bytes=N from=F to=T on_target=N intact=N seconds=S ok|FAIL\n"
	"seconds is the migration's time, for information only.\n"
	"Exit status: 0 all pages on the target and intact, 1 not (or the\n"
	"migration failed), 2 bad input.\n";

enum { OPT_SIZE = 256, OPT_FROM, OPT_TO, OPT_HELP };

static const struct option options[] = {
	{ "size", required_argument, NULL, OPT_SIZE },
	{ "from", required_argument, NULL, OPT_FROM },
	{ "to", required_argument, NULL, OPT_TO },
	{ "help", no_argument, NULL, OPT_HELP },
	{ NULL, 0, NULL, 0 },
};

/* "64M", "1G", "4096": 0 when @s is not a whole, positive, page-aligned size. */
static size_t parse_size(const char *s)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE), v = pmig_size_parse(s);

	return v % page ? 0 : v;
}

/* A node id with memory in this system (sysfs has_memory list), else -1. */
static int parse_node(const char *s)
{
	char list[4096], *p = list, *end;
	long node;
	FILE *f;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	node = strtol(s, &end, 10);
	if (*end || errno || node > 65535)
		return -1;
	f = fopen("/sys/devices/system/node/has_memory", "re");
	if (!f)
		return node == 0 ? 0 :
				   -1; /* no NUMA in this kernel: node 0 only */
	if (!fgets(list, sizeof(list), f))
		list[0] = '\0';
	fclose(f);
	/* "0-1,3\n" */
	while (*p >= '0' && *p <= '9') {
		long lo = strtol(p, &p, 10), hi = lo;

		if (*p == '-')
			hi = strtol(p + 1, &p, 10);
		if (node >= lo && node <= hi)
			return (int)node;
		if (*p == ',')
			p++;
	}
	return -1;
}

/* Pages of @p whose data matches the pattern. */
static size_t count_intact(const struct pmig_pages *p, long *first_bad)
{
	size_t words = p->page_size / sizeof(uint64_t), intact = 0;

	*first_bad = -1;
	for (size_t i = 0; i < p->count; i++) {
		const uint64_t *w =
			(const uint64_t *)(p->base + i * p->page_size);
		size_t j = 0;

		while (j < words && w[j] == pmig_pages_pattern(p, i, j))
			j++;
		if (j == words)
			intact++;
		else if (*first_bad < 0)
			*first_bad = (long)i;
	}
	return intact;
}

int main(int argc, char **argv)
{
	size_t size = 64UL << 20, page = (size_t)sysconf(_SC_PAGESIZE);
	int from = 0, to = 0, opt, err, first_status = 0;
	struct pmig_refmig_stats st;
	struct pmig_pages p;
	struct timespec t0, t1;
	long on, first_off, first_bad;
	size_t intact;
	char ram[32];
	bool okay;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":", options, NULL)) != -1) {
		switch (opt) {
		case OPT_SIZE:
			size = parse_size(optarg);
			if (!size)
				return pmig_cli_bad(
					CMD,
					"bad --size '%s' (a positive multiple of the page size: 64M, 1G)",
					optarg);
			if (size > pmig_size_ram())
				return pmig_cli_bad(
					CMD,
					"bad --size '%s' (more than this machine's %s of memory)",
					optarg,
					pmig_size_format(pmig_size_ram(), ram,
							 sizeof(ram)));
			break;
		case OPT_FROM:
		case OPT_TO:
			*(opt == OPT_FROM ? &from : &to) = parse_node(optarg);
			if (*(opt == OPT_FROM ? &from : &to) < 0)
				return pmig_cli_bad(
					CMD,
					"bad node '%s' (not a node with memory here)",
					optarg);
			break;
		case OPT_HELP:
			fputs(usage, stdout);
			return fflush(stdout) ? EXIT_FAILURE : EXIT_SUCCESS;
		case ':':
		default:
			return pmig_cli_getopt_bad(CMD, opt, argv, "");
		}
	}
	if (optind < argc)
		return pmig_cli_bad(CMD, "unexpected argument '%s'",
				    argv[optind]);

	err = pmig_pages_create(&p, PMIG_PAGE_ANON, size / page, from, SEED);
	if (err) {
		fprintf(stderr,
			"pmig refmig: cannot create %zu bytes on node %d: %s\n",
			size, from, strerror(-err));
		return EXIT_VERIFY;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	err = pmig_refmig(p.base, size, to, &st);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (err) {
		fprintf(stderr, "pmig refmig: the migration failed: %s\n",
			strerror(-err));
		pmig_pages_destroy(&p);
		return EXIT_VERIFY;
	}
	on = pmig_range_count_on_node(p.base, size, to, &first_off,
				      &first_status);
	intact = count_intact(&p, &first_bad);
	okay = on == (long)p.count && intact == p.count && st.pages == p.count;
	if (on < 0)
		fprintf(stderr, "pmig refmig: status query failed: %s\n",
			strerror((int)-on));
	else if (first_off >= 0)
		fprintf(stderr,
			"pmig refmig: page %ld is not on node %d (status %d)\n",
			first_off, to, first_status);
	if (first_bad >= 0)
		fprintf(stderr,
			"pmig refmig: page %ld does not hold its pattern\n",
			first_bad);
	printf("refmig: pages=%zu bytes=%zu from=%d to=%d on_target=%ld intact=%zu seconds=%.3f %s\n",
	       p.count, size, from, to, on, intact,
	       (double)(t1.tv_sec - t0.tv_sec) +
		       (double)(t1.tv_nsec - t0.tv_nsec) / 1e9,
	       okay ? "ok" : "FAIL");
	pmig_pages_destroy(&p);
	if (fflush(stdout))
		return EXIT_FAILURE;
	return okay ? EXIT_SUCCESS : EXIT_VERIFY;
}
