/* reproducer.h - prints a random scenario as a standalone C program (libc and raw syscalls only). */
#ifndef PMIG_REPRODUCER_H
#define PMIG_REPRODUCER_H

#include <stdio.h>

#include "random.h"

/**
 * Writes to @f a C program that builds @s's pages itself (THP through
 * MADV_HUGEPAGE, hugetlb through MAP_HUGETLB from the pool its header
 * comment asks for, file pages in the directory given as its argument or
 * $PMIG_SCRATCH_DIR), calls move_pages(2) through syscall(2) and prints
 * its return, statuses and page nodes next to the model's prediction
 * (@ret, @status: s->count entries, @final: s->npages entries). The
 * program exits 0 when they agree, 1 when they differ, 2 when it cannot
 * build the scenario (no THP formed, no swap, a page off its node).
 */
void pmig_rnd_reproducer(FILE *f, const struct pmig_rnd_scenario *s, long ret,
			 const int *status, const int *final);

#endif
