/* pmig-timer.c - the timing program: one benchmark case's body, started by pmig-bench on the from node's CPUs; a static program with an address space of its own. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "case_args.h"
#include "journal.h"
#include "metrics/probe.h"
#include "run.h"
#include "timer_link.h"

/*
 * Why a program of its own, and static: migrate_pages(2) walks every mapping
 * of the process, and a fork of pmig-bench has a hundred (its shared
 * libraries, Google Benchmark's and hwloc's heaps), each a draw of the
 * build's layout; this one has its text, data, heap, stack and vDSO, at the
 * same addresses every time (pmig-bench starts it with randomization off).
 * bench/README.md, The timing process.
 */
int main(int argc, char **argv)
{
	struct pmig_bench_state st = { .iter = -1 };
	struct pmig_bench_case c;
	struct pmig_probe *probe;
	char why[256];
	bool perf;
	int link, journal;

	if (argc < 3 || (link = atoi(argv[1])) < 0) {
		fprintf(stderr,
			"pmig-timer: started by pmig bench only: pmig-timer LINK_FD JOURNAL_FD KEY=VALUE...\n");
		return 2;
	}
	pmig_timer_attach(&st, link);
	journal = atoi(argv[2]);
	if (journal >= 0)
		pmig_journal_join(journal, getppid());
	if (pmig_case_args_read(argc - 3, argv + 3, &c, &perf, why,
				sizeof(why))) {
		pmig_bench_fail(&st, "timing program: %s", why);
		return pmig_timer_detach(&st) ? 1 : 2;
	}
	probe = pmig_probe_open(perf);
	pmig_run_set_probe(probe);
	pmig_case_body(&st, &c);
	pmig_probe_close(probe);
	return pmig_timer_detach(&st);
}
