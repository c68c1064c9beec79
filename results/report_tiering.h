/* report_tiering.h - what the tiering section's table and plots share: the runs of every benchmark file, grouped by file. Internal to pmig report. */
#ifndef PMIG_REPORT_TIERING_H
#define PMIG_REPORT_TIERING_H

#include <stdint.h>

#include "report.h"
#include "tiering.h"

/* One benchmark file with tiering runs: one kernel's run. */
struct tier_file {
	struct pmig_bj *bj;
	char *rel; /* its path under the run directory */
	char *stem; /* its plots' names: rel less ".json", '/' as '-' */
	char *kernel; /* the release: pmig_kernel's first word, or "unknown" */
	uint32_t kv; /* its version, for the order; 0 when unknown */
	const char *label; /* how its times were taken; NULL: hardware */
	size_t first, n; /* its runs: tier_set.runs[first .. first + n) */
};

struct tier_set {
	struct tier_file *files;
	size_t nfiles;
	struct pmig_tier *runs; /* by file; in a file promote first, then
				   by strategy (tier_rank()) */
	size_t nruns;
	char **bad; /* entries left out: "rel: why" */
	size_t nbad;
};

/** The order strategies are shown in; also their colour in the plots. */
int tier_rank(const char *strategy);
/** The x axis' unit for the runs of @f: instruction time or seconds. */
const char *tier_time_axis(const struct tier_set *s, const struct tier_file *f);

/* The plots (report_tiering_plots.c); each says so when it has no data. */
void report_tier_convergence(struct report_doc *d, const struct tier_set *s,
			     const struct tier_file *f);
void report_tier_strategies(struct report_doc *d, const struct tier_set *s,
			    const struct tier_file *f);
/* Runs repeated over boots of one configuration (report_tiering_boots.c). */
void report_tier_boots(struct report_doc *d, const struct tier_set *s);

#endif
