/* mbind.c - conformance cases for mbind(2) with MPOL_MF_MOVE, MPOL_MF_MOVE_ALL and MPOL_MF_STRICT. */
#include "cases.h"

const struct pmig_case_group pmig_mbind_group = { NULL, 0, __FILE__ };
