/* fuzz_file.h - a fuzz input written to a file, for the readers that take a path rather than text. */
#ifndef PMIG_FUZZ_FILE_H
#define PMIG_FUZZ_FILE_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/*
 * A private directory on tmpfs, made once per fuzzer process: files written
 * there cost no disk I/O, and two fuzzers running at once never share one.
 */
static inline const char *fuzz_dir(void)
{
	static char dir[] = "/dev/shm/pmig-fuzz-XXXXXX";
	static const char *made;

	if (!made)
		made = mkdtemp(dir);
	if (!made)
		abort();
	return made;
}

/* Writes @data to @path, replacing it; aborts on failure so no input is silently skipped. */
static inline void fuzz_write(const char *path, const uint8_t *data,
			      size_t size)
{
	FILE *f = fopen(path, "w");

	if (!f || fwrite(data, 1, size, f) != size || fclose(f))
		abort();
}

#endif
