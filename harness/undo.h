/* undo.h - the primitive steps that put machine state back: what a journal record replays, and what the code that made the change calls itself. */
#ifndef PMIG_UNDO_H
#define PMIG_UNDO_H

#include <stddef.h>

/*
 * Each step returns 1 when it changed something, 0 when there was nothing
 * to undo (the state is already as it should be, or the object is gone),
 * or -errno. Each says what it did, or what failed, in @said (appended,
 * "; "-separated; NULL or 0 @len for silence).
 */

/** Writes @original back to @path when the file now holds another value (read as pmig_sysfile_read()). */
int pmig_undo_restore(const char *path, const char *original, char *said,
		      size_t len);
/** Writes @value to @path, when @path exists: a one-shot action such as a hot_remove or an unpoison. */
int pmig_undo_write(const char *path, const char *value, char *said,
		    size_t len);
/** Writes "-@word" to @path when @word is in its word list (a controller in cgroup.subtree_control). */
int pmig_undo_drop_word(const char *path, const char *word, char *said,
			size_t len);
/** Kills what is in cgroup @dir and removes it, retrying while dying members leave. */
int pmig_undo_cgroup_rmdir(const char *dir, char *said, size_t len);
/** Unmounts @target when a file system of type @fstype ("" for any) is mounted there. */
int pmig_undo_unmount(const char *target, const char *fstype, char *said,
		      size_t len);
/** swapoff(2) of @device, when it is swapped on. */
int pmig_undo_swapoff(const char *device, char *said, size_t len);

#endif
