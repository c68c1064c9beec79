/* pmig-bench-loop.c - the overhead check's baseline: a bare loop of timed move_pages(2) calls, as pmig bench's move_pages/anon|thp/SIZE/FROMtoTO/batch:N makes them, without the shim. */
#include <errno.h>
#include <limits.h>
#include <numa.h>
#include <numaif.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

#define PMD_SIZE \
	(2UL     \
	 << 20) /* x86-64 and arm64 4K: pmig's anonymous regions start here */

static uint64_t now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static int die(const char *what)
{
	perror(what);
	return 1;
}

/*
 * Runs the rest in a child forked on @from's CPUs, as pmig bench's timing
 * process is (bench/timer.h): its address space is new and no other CPU ever
 * had it loaded (an idle CPU that ran it keeps it in lazy TLB mode, and every
 * page's TLB flush then checks that CPU). Returns in the child; the parent
 * exits with the child's status.
 */
static int fork_on_node(int from)
{
	struct bitmask *cpus = numa_allocate_cpumask();
	cpu_set_t want;
	int status;
	pid_t pid;

	if (!cpus || numa_node_to_cpus(from, cpus))
		return -1;
	CPU_ZERO(&want);
	for (unsigned int i = 0; i < cpus->size && i < CPU_SETSIZE; i++)
		if (numa_bitmask_isbitset(cpus, i))
			CPU_SET(i, &want);
	numa_free_cpumask(cpus);
	if (!CPU_COUNT(&want) || sched_setaffinity(0, sizeof(want), &want))
		return -1;
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0)
		return 0;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			exit(1);
	exit(WIFEXITED(status) ? WEXITSTATUS(status) : 1);
}

int main(int argc, char **argv)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE), len, n, batch = 0, step;
	unsigned long mask;
	long iters, ret, mib;
	int from, to, thp = 0, *to_nodes, *status;
	uint64_t total = 0, *iter_ns;
	void **pages;
	char *raw, *m;

	if (argc >= 6 && strcmp(argv[5], "all") &&
	    (long)(batch = (size_t)pmig_cli_long(argv[5], 1, LONG_MAX)) < 0)
		argc = 0;
	if (argc == 7 && !strcmp(argv[6], "thp"))
		thp = 1;
	else if (argc == 7)
		argc = 0;
	if (argc < 5 || argc > 7 ||
	    (mib = pmig_cli_long(argv[1], 1, 1L << 20)) < 0 ||
	    (iters = pmig_cli_long(argv[4], 1, LONG_MAX)) < 0 ||
	    (from = (int)pmig_cli_long(argv[2], 0, 65535)) < 0 ||
	    (to = (int)pmig_cli_long(argv[3], 0, 65535)) < 0) {
		fprintf(stderr,
			"usage: pmig-bench-loop MIB FROM TO ITERATIONS [BATCH|all [thp]]\n");
		return 2;
	}
	if (fork_on_node(from) < 0)
		return die("running on the from node's CPUs");
	len = (size_t)mib << 20;
	/* As pmig bench: a THP is one address, and the region starts on a PMD boundary. */
	step = thp ? PMD_SIZE : page;
	n = len / step;
	if (!batch || batch > n)
		batch = n;
	raw = mmap(NULL, len + PMD_SIZE, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	pages = calloc(n, sizeof(*pages));
	to_nodes = calloc(n, sizeof(int));
	status = calloc(n, sizeof(int));
	iter_ns = calloc((size_t)iters, sizeof(*iter_ns));
	if (raw == MAP_FAILED || !pages || !to_nodes || !status || !iter_ns)
		return die("memory");
	m = (char *)(((uintptr_t)raw + PMD_SIZE - 1) & ~(PMD_SIZE - 1));
	madvise(m, len, thp ? MADV_HUGEPAGE : MADV_NOHUGEPAGE);
	mask = 1UL << from;
	if (mbind(m, len, MPOL_BIND, &mask, (unsigned long)from + 2, 0))
		return die("mbind");
	for (size_t i = 0; i < len / 8; i++)
		((uint64_t *)m)[i] = i * 0x9e3779b97f4a7c15ULL + 1;
	for (size_t i = 0; i < n; i++) {
		pages[i] = m + i * step;
		to_nodes[i] = to;
	}
	for (long it = 0; it < iters; it++) {
		for (size_t i = 0; i < n; i += batch) {
			unsigned long k = n - i < batch ? n - i : batch;
			uint64_t t0, t1;

			t0 = now();
			ret = syscall(SYS_move_pages, 0, k, pages + i,
				      to_nodes + i, status + i, MPOL_MF_MOVE);
			t1 = now();
			iter_ns[it] += t1 - t0;
			if (ret) {
				fprintf(stderr, "move_pages: %ld\n", ret);
				return 1;
			}
		}
		total += iter_ns[it];
		if (status[0] != to || status[n - 1] != to) {
			fprintf(stderr, "move_pages: status %d, %d\n",
				status[0], status[n - 1]);
			return 1;
		}
		/* Back untimed, as pmig bench's reset does it (and checks it). */
		if (mbind(m, len, MPOL_BIND, &mask, (unsigned long)from + 2,
			  MPOL_MF_MOVE | MPOL_MF_STRICT))
			return die("mbind back");
	}
	/* Each iteration's time too, as pmig bench's pmig.iteration_ns: medians compare. */
	printf("loop: move_pages/%s/%zuM/%dto%d/batch:%s iterations=%ld bytes_per_second=%.0f iteration_ns=",
	       thp ? "thp" : "anon", len >> 20, from, to,
	       batch == n ? "all" : argv[5], iters,
	       (double)len * (double)iters / ((double)total / 1e9));
	for (long it = 0; it < iters; it++)
		printf("%s%llu", it ? "," : "",
		       (unsigned long long)iter_ns[it]);
	printf("\n");
	return 0;
}
