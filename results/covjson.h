/* covjson.h - coverage.json: a run's coverage of the scope's kernel functions written, and read back for pmig coverage diff, pmig report and docs/COVERAGE.md (schema: results/schema/coverage.schema.json). */
#ifndef PMIG_COVJSON_H
#define PMIG_COVJSON_H

#include <stddef.h>
#include <stdio.h>

#include "coverage.h"

/** @c as coverage.json into @f; 0 or -EIO. */
int pmig_covjson_write(const struct pmig_cov *c, FILE *f);

/**
 * Reads coverage.json at @path into @c: 0, -ENOENT when there is no file,
 * or -EINVAL with the reason in @why (@len bytes).
 */
int pmig_covjson_read(const char *path, struct pmig_cov *c, char *why,
		      size_t len);

#endif
