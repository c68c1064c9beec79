/* covtab.h - the coverage plugin's tables, without QEMU: one execution counter per kernel code address, the epochs they are added into, and the raw file they are written as. */
#ifndef PMIG_COVTAB_H
#define PMIG_COVTAB_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/*
 * Epochs: guest user space says "case ID begins" by executing code at
 * PMIG_COV_MARK_BASE + ID * PMIG_COV_MARK_STEP (harness/covmark.c). The
 * base is a user address on x86-64, arm64 (47/48-bit) and ppc64le, far
 * from where programs, their heaps and mmaps usually land.
 */
#define PMIG_COV_MARK_BASE 0x200000000000ULL
#define PMIG_COV_MARK_STEP 0x10000ULL
#define PMIG_COV_MAX_EPOCHS 65536U
/* Epoch 0: boot, before the first mark. 1: the runner between cases. */
#define PMIG_COV_EPOCH_BOOT 0U
#define PMIG_COV_EPOCH_RUNNER 1U

struct pmig_covtab;

/*
 * The lowest kernel address of QEMU's target @target ("x86_64",
 * "aarch64", "ppc64"), and the name the raw file gives that architecture;
 * 0 and NULL for a target pmig does not know.
 */
uint64_t pmig_covtab_kernel_base(const char *target, const char **arch);

/* Whether @vaddr is a mark, and then its epoch in *@id. */
bool pmig_covtab_mark_id(uint64_t vaddr, unsigned *id);

/* An empty table in epoch 0, or NULL. */
struct pmig_covtab *pmig_covtab_new(void);
void pmig_covtab_free(struct pmig_covtab *t);

/*
 * The counter of the code at @vaddr, @size bytes long, for an inline add
 * per execution: the same counter for every translation of @vaddr (QEMU
 * translates an address again after a flush, or in another physical
 * page), whose size is the largest seen. It stays at its address for the
 * table's life. NULL when memory runs out.
 */
uint64_t *pmig_covtab_counter(struct pmig_covtab *t, uint64_t vaddr,
			      uint32_t size);

/*
 * The current epoch ends: every counter's executions are added into it
 * and the counter is zeroed; epoch @id begins (a later switch back to an
 * epoch adds to what it has). 0, or -ENOMEM (the counts stay where
 * they were) or -EINVAL for an id of PMIG_COV_MAX_EPOCHS or more.
 */
int pmig_covtab_switch(struct pmig_covtab *t, unsigned id);

/* The epoch now running. */
unsigned pmig_covtab_epoch(const struct pmig_covtab *t);

/*
 * Ends the current epoch and writes the raw file to @out:
 *   pmig-coverage-raw 1
 *   arch ARCH
 *   epoch ID                      once per epoch entered, ids ascending
 *   VADDR SIZE COUNT              hex address and size (no 0x), decimal
 *                                 executions; addresses ascending, only
 *                                 code that ran in that epoch
 * 0, or a negative errno.
 */
int pmig_covtab_write(struct pmig_covtab *t, const char *arch, FILE *out);

#endif
