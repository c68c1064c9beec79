/* cpuset.c - conformance cases for cpuset limits and cpuset-triggered migration. */
#include "cases.h"

const struct pmig_case_group pmig_cpuset_group = { NULL, 0, __FILE__ };
