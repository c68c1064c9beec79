/* edges.c - conformance cases for edge cases: partial work, positive returns, pinned pages, special nodes, privileges. */
#include "cases.h"

const struct pmig_case_group pmig_edges_group = { NULL, 0 };
