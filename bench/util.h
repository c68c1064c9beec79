/* util.h - small pure helpers of the benchmark program: CPU lists (sizes: harness/size.h). */
#ifndef PMIG_BENCH_UTIL_H
#define PMIG_BENCH_UTIL_H

#include <sched.h>
#include <stddef.h>

#include "size.h"

/** A Linux CPU list ("0-3,8") into @set. 0 or -EINVAL. */
int pmig_cpulist_parse(const char *s, cpu_set_t *set);

#endif
