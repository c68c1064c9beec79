/* random_run.h - what the runner hands one random scenario's sandbox. */
#ifndef PMIG_RANDOM_RUN_H
#define PMIG_RANDOM_RUN_H

#include "random.h"

struct pmig_rnd_env {
	struct pmig_rnd_machine machine;
	uint64_t seed, id;
	bool cap_sys_nice; /* the caller may use MPOL_MF_MOVE_ALL */
	uint32_t kver; /* the kernel whose profile the model applies */
};

/** Sandbox body: builds scenario (seed, id), calls move_pages(2), checks it against the model. */
void pmig_rnd_run(void *arg);

#endif
