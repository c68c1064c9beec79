/* covraw.h - what the guest's coverage plugin wrote: the kernel translation blocks executed in each epoch (coverage.raw) and the epochs' labels (coverage-epochs.tsv). */
#ifndef PMIG_COVRAW_H
#define PMIG_COVRAW_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/*
 * coverage.raw:
 *   pmig-coverage-raw 1
 *   arch x86_64|aarch64|ppc64
 *   epoch ID
 *   HEXADDR HEXSIZE COUNT      (one kernel translation block, executed COUNT
 *   ...                         times during epoch ID)
 * Epoch 0 is the boot (before the first mark), 1 pmig's own runner between
 * cases, 2 and up one case or benchmark each, named in coverage-epochs.tsv
 * ("ID<TAB>LABEL"; an ID may come again with the same label). The same
 * block may come more than once in an epoch (QEMU translated it again):
 * its counts add up. Error rule: 0 or -errno.
 */

#define PMIG_COV_EPOCH_BOOT 0
#define PMIG_COV_EPOCH_RUNNER 1

struct pmig_cov_tb {
	uint64_t addr, size, count;
	unsigned long epoch;
};

struct pmig_cov_epoch {
	unsigned long id;
	char *label; /* "boot", "runner", or the epochs file's label */
};

struct pmig_covraw {
	char arch[16];
	struct pmig_cov_tb *tbs;
	size_t ntbs;
	struct pmig_cov_epoch *epochs; /* by id: every id of the raw file */
	size_t nepochs;
};

/**
 * Reads coverage.raw from @raw and, when @labels is not NULL, its labels.
 * On bad input -EINVAL with one line saying what and where in @err (@errlen
 * bytes). An epoch of 2 and up without a label is named "epoch ID".
 */
int pmig_covraw_read(FILE *raw, FILE *labels, struct pmig_covraw *r, char *err,
		     size_t errlen);

/** The label of epoch @id, NULL when the raw file has no such epoch. */
const char *pmig_covraw_label(const struct pmig_covraw *r, unsigned long id);

void pmig_covraw_free(struct pmig_covraw *r);

#endif
