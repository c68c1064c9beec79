/* run.h - what the benchmark program tells the benchmark body before the runs. */
#ifndef PMIG_RUN_H
#define PMIG_RUN_H

#include "strategy.h"

/** The probe every run brackets its migrations with (NULL: none). */
void pmig_run_set_probe(struct pmig_probe *p);
/** The probe set there, or NULL (the tiering runs read it too). */
struct pmig_probe *pmig_run_probe(void);

#endif
