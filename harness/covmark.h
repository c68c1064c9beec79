/* covmark.h - the guest's side of pmig vm --coverage: marks where each case begins, for the QEMU plugin to attribute kernel code to it. */
#ifndef PMIG_COVMARK_H
#define PMIG_COVMARK_H

/* Epoch 1 is the runner's own code between cases; cases and benchmarks take 2 on. */
#define PMIG_COVMARK_RUNNER 1U
#define PMIG_COVMARK_FIRST_CASE 2U

/**
 * With PMIG_COVERAGE set in the environment (pmig vm --coverage sets it
 * to a file in the results): from now on, kernel code that runs counts
 * for epoch @id (1 to 65535), until the next mark. It executes one return
 * instruction on a page mapped for the moment at the address the plugin
 * (coverage/plugin/pmig-cov.c) reads as @id's, and appends "@id TAB
 * @label" to that file (tabs and line ends in @label become spaces).
 * Without PMIG_COVERAGE it does nothing, so runs without coverage are
 * untouched. Returns 0 when marked, 1 without PMIG_COVERAGE, or a negative
 * errno (the address taken, the file not written; -EINVAL for a bad @id).
 */
int pmig_cov_mark(unsigned id, const char *label);

/** pmig_cov_mark() with the labels file @labels given, for tests. */
int pmig_cov_mark_to(const char *labels, unsigned id, const char *label);

#endif
