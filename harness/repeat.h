/* repeat.h - several runs of the same cases merged into one, where a case whose outcome differs between runs is FLAKY. */
#ifndef PMIG_REPEAT_H
#define PMIG_REPEAT_H

#include <stddef.h>

#include "result.h"

/*
 * Merges @n runs of the same cases (the first run's order and metadata).
 * A case with one outcome in every run keeps it (the first run's result,
 * its reason saying "in N of N runs"); a case whose outcomes differ is
 * FLAKY: a FAIL whose reason starts "FLAKY:" and counts each outcome, with
 * misc {"outcome": "FLAKY", "runs": N, "counts": {...}} and each run's
 * reason in the diagnostics. A case missing from some run counts as
 * "MISSING" there (a run that died in it). *@flaky gets the number of
 * FLAKY cases. NULL with errno on ENOMEM or EINVAL (n == 0).
 */
struct pmig_run *pmig_repeat_merge(struct pmig_run *const *runs, size_t n,
				   size_t *flaky);

#endif
