/* strategy.h - what a migration strategy is (an ops table), what a benchmark case is, and the run context they share. */
#ifndef PMIG_STRATEGY_H
#define PMIG_STRATEGY_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "metrics/pairs.h"
#include "metrics/probe.h"
#include "pages.h"
#include "settings.h"
#include "shim.h"

/** The workloads: what kind of pages a case migrates. */
enum pmig_wl {
	PMIG_WL_ANON, /* private anonymous base pages */
	PMIG_WL_THP, /* private anonymous transparent huge pages */
	PMIG_WL_HUGETLB, /* hugetlb pages of the THP size, else the default size */
	PMIG_WL_SHMEM, /* shared anonymous (shmem) base pages */
	PMIG_WL_FILE_CLEAN, /* page cache of a file on disk, written back */
	PMIG_WL_FILE_DIRTY, /* page cache of a file on disk, dirty */
	PMIG_WL_SHARED, /* shmem also mapped by a helper process */
	PMIG_WL_MTHP, /* private anonymous multi-size THP folios of PMIG_MTHP_BENCH_BYTES */
	PMIG_WL_COUNT,
};
#define PMIG_WL(w) (1U << (w))
/* The mTHP workload's folio size: 64 KiB, the size arm64's contiguous PTEs map (order 4 on 4K pages, 2 on 16K). */
#define PMIG_MTHP_BENCH_BYTES ((size_t)64 << 10)

/** Strategy flags. */
enum {
	PMIG_SF_BATCHED = 1, /* pages per call is a parameter (move_pages) */
	PMIG_SF_THREADED = 2, /* copy threads is a parameter (memcpy) */
	PMIG_SF_NO_ACCESSORS =
		4, /* accessor threads would defeat it (swap: they fault pages back) */
	PMIG_SF_NOT_QUICK =
		8, /* left out of --quick: it needs what the default topology lacks */
};

#define PMIG_STRATEGY_VERSION 1

struct pmig_bench_ctx;

/**
 * A migration strategy. Every hook returns 0 or, after calling
 * pmig_bench_fail() or pmig_bench_unavailable() on x->st, -1.
 * prepare and cleanup run once per run; reset (untimed) and migrate (which
 * times only the migration calls, each with pmig_bench_sample()) once per
 * iteration. After migrate, the runner checks that every page of
 * x->check is on the target node with its data intact; verify (may be
 * NULL) adds the strategy's own checks.
 */
struct pmig_strategy {
	const char *name;
	unsigned version; /* PMIG_STRATEGY_VERSION */
	unsigned workloads; /* PMIG_WL() bits it applies to */
	unsigned flags; /* PMIG_SF_* */
	const char *others; /* why the other workloads are left out */
	int (*prepare)(struct pmig_bench_ctx *x);
	int (*reset)(struct pmig_bench_ctx *x);
	int (*migrate)(struct pmig_bench_ctx *x);
	int (*verify)(struct pmig_bench_ctx *x);
	void (*cleanup)(struct pmig_bench_ctx *x);
};

/** One benchmark: a strategy on a workload of a size between two nodes. */
struct pmig_bench_case {
	const struct pmig_strategy *strategy;
	enum pmig_wl wl;
	size_t bytes; /* a whole number of the workload's pages */
	size_t batch; /* addresses per move_pages call; 0 = all */
	int threads; /* copy threads (memcpy); 1 otherwise */
	int accessors; /* threads reading the pages on other CPUs */
	struct pmig_pair pair;
	const char *
		from_cpus; /* the from node's CPU list: the caller runs there */
	long iterations;
	char name[128];
};

/** What one run of a case works with. */
struct pmig_bench_ctx {
	const struct pmig_bench_case *c;
	struct pmig_bench_state *st;
	struct pmig_pages
		pages; /* the pages migrated, created on c->pair.from */
	struct pmig_pages *
		check; /* the pages verified on the target (&pages unless the strategy says) */
	int move_flags; /* MPOL_MF_MOVE, or MPOL_MF_MOVE_ALL for pages mapped elsewhere too */
	struct pmig_probe *probe;
	/* The probe's totals before and after the last migrate hook. */
	struct pmig_probe_value before[PMIG_PROBE_MAX], after[PMIG_PROBE_MAX];
	size_t nbefore, nafter;
	pid_t sharer; /* the helper process of PMIG_WL_SHARED, or 0 */
	/* Settings the workload changed, restored after the run. */
	struct pmig_settings_scope settings;
	void *priv; /* the strategy's own */
};

/** The probe counter @name's change over the last migrate hook (0 if the probe lacks it). */
double pmig_ctx_probe_delta(const struct pmig_bench_ctx *x, const char *name);

/**
 * The untimed reset of the migrating strategies: mbind(MPOL_BIND, from,
 * MPOL_MF_MOVE[_ALL]) puts the pages and their policy back where the
 * workload made them (whatever the strategy changed, split THPs included),
 * then checks every page is there and intact, and THPs still huge.
 */
int pmig_reset_to_from(struct pmig_bench_ctx *x);

/** The strategies, in the order benchmarks are registered. */
extern const struct pmig_strategy pmig_strategy_memcpy;
extern const struct pmig_strategy pmig_strategy_move_pages;
extern const struct pmig_strategy pmig_strategy_migrate_pages;
extern const struct pmig_strategy pmig_strategy_mbind_move;
extern const struct pmig_strategy pmig_strategy_reference;
extern const struct pmig_strategy pmig_strategy_swap;
extern const struct pmig_strategy pmig_strategy_offline;

/** Every strategy; NULL-terminated. */
extern const struct pmig_strategy *const pmig_strategies[];

/** "anon", "thp", ...; NULL past the end. */
const char *pmig_wl_name(enum pmig_wl wl);
/** The page kind (pages.h) a workload is made of. */
enum pmig_page_kind pmig_wl_kind(enum pmig_wl wl);

/** The benchmark body registered for every case (run.c). */
void pmig_case_run(struct pmig_bench_state *st, void *arg);

#endif
