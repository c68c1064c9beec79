/* page_kinds.c - conformance cases for move_pages(2) on every kind of page. */
#include "cases.h"

const struct pmig_case_group pmig_page_kinds_group = { NULL, 0, __FILE__ };
