/* sysfile.h - one procfs, sysfs or cgroup file read or written whole: what settings, cpusets, swap, the cases and the journal's undo share. */
#ifndef PMIG_SYSFILE_H
#define PMIG_SYSFILE_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Values are small (a number, a mode word, a controller list): a longer
 * file is not one pmig reads as a value.
 */
#define PMIG_SYSFILE_VALUE_MAX 256

/**
 * The value a restore would write back to @path into @buf: the file less
 * one trailing newline; of a selection list such as "always [madvise]
 * never" the bracketed word. 0 or -errno; -EOVERFLOW when it does not fit
 * @len or PMIG_SYSFILE_VALUE_MAX. Async-signal-safe.
 */
int pmig_sysfile_read(const char *path, char *buf, size_t len);

/**
 * Writes @len bytes of @buf to @path in one open/write/close, without a
 * newline (procfs and sysfs may reject a value only at close, which counts).
 * *@touched (may be NULL) tells whether the file was opened, so may have
 * changed. 0 or -errno. Async-signal-safe.
 */
int pmig_sysfile_write_len(const char *path, const char *buf, size_t len,
			   bool *touched);
/** pmig_sysfile_write_len() of the string @value. */
int pmig_sysfile_write(const char *path, const char *value);

/** Whether @word is one of the words in @list, separated by any of @seps. */
bool pmig_word_in(const char *list, const char *word, const char *seps);

#endif
