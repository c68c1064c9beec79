/* random_run.h - what the runner hands one random scenario's sandbox, and the settings of a random run. */
#ifndef PMIG_RANDOM_RUN_H
#define PMIG_RANDOM_RUN_H

#include <stdio.h>

#include "random.h"

struct pmig_rnd_env {
	struct pmig_rnd_machine machine;
	uint64_t seed, id;
	bool cap_sys_nice; /* the caller may use MPOL_MF_MOVE_ALL */
	uint32_t kver; /* the kernel whose profile the model applies */
};

/** Sandbox body: builds scenario (seed, id), calls move_pages(2), checks it against the model. */
void pmig_rnd_run(void *arg);

/**
 * Before the first scenario: as root, applies the settings the huge kinds
 * need (THP enabled=madvise, defrag=madvise; PMIG_RND_MAX_PAGES free
 * hugetlb pages of m->sizes.hugetlb on each of @m's memory nodes), then
 * fills in which kinds @m can build (@m's nodes and sizes given). Writes "# " lines saying what it set and what is missing to
 * @log. Returns a mark for pmig_settings_restore_to() (SIZE_MAX: nothing
 * was changed).
 */
size_t pmig_rnd_prepare(struct pmig_rnd_machine *m, bool root, FILE *log);

#endif
