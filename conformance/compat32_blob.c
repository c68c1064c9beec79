/* compat32_blob.c - the compat cases' i386 helper (compat32/pmig-compat32.c) built into pmig-conform, where the build made one. */
#include <errno.h>

#include "compat32.h"

/*
 * Inside pmig-conform, not beside it: the guest gets the one program, and
 * needs no 32-bit file that its initramfs builder (one machine per guest)
 * would refuse. The Makefile defines PMIG_COMPAT32_BIN, the helper's path,
 * in x86-64 builds only.
 */
#ifdef PMIG_COMPAT32_BIN
__asm__(".section .rodata\n"
	".balign 16\n"
	"pmig_compat32_start:\n"
	".incbin \"" PMIG_COMPAT32_BIN "\"\n"
	"pmig_compat32_end:\n"
	".previous\n");
extern const unsigned char pmig_compat32_start[], pmig_compat32_end[];

int pmig_compat32_program(const unsigned char **elf, size_t *len)
{
	*elf = pmig_compat32_start;
	*len = (size_t)(pmig_compat32_end - pmig_compat32_start);
	return 0;
}
#else
int pmig_compat32_program(const unsigned char **elf, size_t *len)
{
	*elf = NULL;
	*len = 0;
	return -ENOENT;
}
#endif
