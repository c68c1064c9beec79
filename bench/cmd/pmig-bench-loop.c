/* pmig-bench-loop.c - the overhead check's baseline: a bare loop of timed move_pages(2) calls, as pmig bench's move_pages/anon/SIZE/FROMtoTO/batch:all makes them, without the shim. */
#include <errno.h>
#include <limits.h>
#include <numa.h>
#include <numaif.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

static uint64_t now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static long move(unsigned long n, void **pages, const int *nodes, int *status)
{
	return syscall(SYS_move_pages, 0, n, pages, nodes, status,
		       MPOL_MF_MOVE);
}

static int die(const char *what)
{
	perror(what);
	return 1;
}

int main(int argc, char **argv)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE), len, n;
	unsigned long mask;
	long iters, ret, mib;
	int from, to, *to_nodes, *status;
	uint64_t total = 0;
	void **pages;
	char *m;

	if (argc != 5 || (mib = pmig_cli_long(argv[1], 1, 1L << 20)) < 0 ||
	    (iters = pmig_cli_long(argv[4], 1, LONG_MAX)) < 0 ||
	    (from = (int)pmig_cli_long(argv[2], 0, 65535)) < 0 ||
	    (to = (int)pmig_cli_long(argv[3], 0, 65535)) < 0) {
		fprintf(stderr,
			"usage: pmig-bench-loop MIB FROM TO ITERATIONS\n");
		return 2;
	}
	len = (size_t)mib << 20;
	n = len / page;
	/* As pmig bench: the caller on the from node, base pages bound there, then written. */
	if (numa_run_on_node(from))
		return die("numa_run_on_node");
	m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		 -1, 0);
	pages = calloc(n, sizeof(*pages));
	to_nodes = calloc(n, sizeof(int));
	status = calloc(n, sizeof(int));
	if (m == MAP_FAILED || !pages || !to_nodes || !status)
		return die("memory");
	madvise(m, len, MADV_NOHUGEPAGE);
	mask = 1UL << from;
	if (mbind(m, len, MPOL_BIND, &mask, (unsigned long)from + 2, 0))
		return die("mbind");
	for (size_t i = 0; i < len / 8; i++)
		((uint64_t *)m)[i] = i * 0x9e3779b97f4a7c15ULL + 1;
	for (size_t i = 0; i < n; i++) {
		pages[i] = m + i * page;
		to_nodes[i] = to;
	}
	for (long it = 0; it < iters; it++) {
		uint64_t t0, t1;

		t0 = now();
		ret = move(n, pages, to_nodes, status);
		t1 = now();
		total += t1 - t0;
		if (ret || status[0] != to || status[n - 1] != to) {
			fprintf(stderr, "move_pages: %ld, status %d\n", ret,
				status[0]);
			return 1;
		}
		/* Back untimed, as pmig bench's reset does it. */
		if (mbind(m, len, MPOL_BIND, &mask, (unsigned long)from + 2,
			  MPOL_MF_MOVE))
			return die("mbind back");
	}
	printf("loop: move_pages/anon/%zuM/%dto%d/batch:all iterations=%ld bytes_per_second=%.0f\n",
	       len >> 20, from, to, iters,
	       (double)len * (double)iters / ((double)total / 1e9));
	return 0;
}
