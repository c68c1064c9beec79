/* registry.c - the list of case groups the conformance program runs. */
#include "cases.h"

const struct pmig_case_group *const pmig_case_groups[] = {
	&pmig_move_pages_group, &pmig_migrate_pages_group,
	&pmig_page_kinds_group, &pmig_huge_kinds_group,
	&pmig_edges_group,	&pmig_mbind_group,
	&pmig_cpuset_group,
};
const size_t pmig_case_group_count = PMIG_ARRAY_SIZE(pmig_case_groups);
