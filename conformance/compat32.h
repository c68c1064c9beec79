/* compat32.h - the 32-bit helper program that the compat cases run, as embedded in pmig-conform. */
#ifndef PMIG_COMPAT32_H
#define PMIG_COMPAT32_H

#include <stddef.h>

/**
 * The i386 program compat32/pmig-compat32.c as this pmig-conform carries
 * it: 0 with its bytes in *@elf and *@len, or -ENOENT in a build that has
 * none (every build but x86-64's).
 */
int pmig_compat32_program(const unsigned char **elf, size_t *len);

#endif
