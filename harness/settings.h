/* settings.h - save, change and restore system settings (sysctls, THP mode) on every exit path. */
#ifndef PMIG_SETTINGS_H
#define PMIG_SETTINGS_H

#include <stdbool.h>
#include <stddef.h>

/** What to do when a setting cannot be saved or written. */
enum pmig_sr_policy {
	PMIG_SR_REQUIRED, /* the caller gets an error */
	PMIG_SR_OPTIONAL, /* a missing, unreadable, unwritable or oversized file is skipped silently */
};

/** One declared setting: a procfs/sysfs file and the value to write (NULL: only save). */
struct pmig_setting {
	const char *path;
	const char *value;
	enum pmig_sr_policy policy;
};

/**
 * Saves the current contents of every path in @list, then writes the new
 * values. The first call installs the restore hooks: atexit and handlers for
 * SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGSEGV, SIGBUS, SIGABRT that restore and
 * then re-raise with SIG_DFL (a signal already ignored stays ignored).
 * *@mark (may be NULL) receives a mark for pmig_settings_restore_to().
 * On error every change made so far by this call is undone.
 *
 * A saved value is the file's content less one trailing newline; of a
 * selection list such as "always [madvise] never" it is the bracketed word.
 * Values are written without a newline, in one open/write/close.
 * Only the process that saved an entry restores it: a forked child that
 * exits or dies leaves its parent's settings alone. Not thread-safe.
 *
 * Returns 0 or -errno: -ENOSPC when too many settings are saved (64),
 * -EOVERFLOW for a REQUIRED value over 255 bytes, -EINVAL for a NULL
 * path, otherwise the error of open, read or write.
 */
int pmig_settings_apply(const struct pmig_setting *list, size_t n,
			size_t *mark);

/**
 * The settings one piece of work changed, one at a time, restored together:
 * zero-initialised it holds none. A bench run, a strategy or a DAMON setup
 * each keeps one instead of tracking the first mark itself.
 */
struct pmig_settings_scope {
	size_t mark; /* pmig_settings_restore_to() this one */
	bool changed;
};

/** Applies one REQUIRED setting within @scope. 0 or -errno, as pmig_settings_apply(). */
int pmig_settings_scope_apply(struct pmig_settings_scope *scope,
			      const char *path, const char *value);
/** Restores everything @scope changed, newest first, and empties it. */
void pmig_settings_scope_restore(struct pmig_settings_scope *scope);

/** Restores, newest first, every setting saved after @mark. Never fails; a failed write is counted. */
void pmig_settings_restore_to(size_t mark);
/** Restores everything saved. Async-signal-safe. */
void pmig_settings_restore_all(void);
/** Number of writes that failed during restores so far (for a warning). */
unsigned pmig_settings_restore_failures(void);

/**
 * Registers @fn to run once on every exit path of this process, after the
 * settings are restored, newest first: at exit() as @fn(0), and from the
 * signal handlers pmig_settings_apply() installs as @fn(signal number),
 * which it installs now if no apply has yet. For undoing what is not a
 * file (a swap device, say). With a signal, @fn must be async-signal-safe.
 * A forked child does not run its parent's callbacks.
 * Returns 0 or -errno: -ENOSPC past 8 callbacks, -EINVAL for NULL.
 */
int pmig_settings_on_exit(void (*fn)(int sig));

#endif
