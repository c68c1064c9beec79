/* outfile.h - a command's output file: checked before the work, written whole with the user's umask. */
#ifndef PMIG_OUTFILE_H
#define PMIG_OUTFILE_H

#include <stddef.h>
#include <stdio.h>

/**
 * Whether @path can be written as a file, checked before a long run: 0,
 * -EISDIR for a directory, or the -errno of creating a file beside it.
 */
int pmig_outfile_check(const char *path);

/**
 * Opens a temporary file beside @path (its name into @tmp, @tmplen bytes)
 * with mode 0666 less the umask, as a plain fopen() would give; mkstemp()
 * alone makes it 0600. 0 or -errno.
 */
int pmig_outfile_open(const char *path, char *tmp, size_t tmplen, FILE **f);

/**
 * Closes @f and, when @err is 0, renames @tmp to @path; otherwise (or on a
 * failure) removes @tmp. Returns @err, or the -errno of what failed.
 */
int pmig_outfile_commit(FILE *f, const char *tmp, const char *path, int err);

struct pmig_run;
/** @run written by @writer (TAP, JUnit, KCIDB) into @path whole, as above; 0 or -errno. */
int pmig_outfile_write_run(const char *path, const struct pmig_run *run,
			   int (*writer)(const struct pmig_run *, FILE *));

struct pmig_kcidb_ident;
/** @run as KCIDB under @ident (pmig_kcidb_write_ident()) into @path whole; 0 or -errno. */
int pmig_outfile_write_kcidb(const char *path, const struct pmig_run *run,
			     const struct pmig_kcidb_ident *ident);

#endif
