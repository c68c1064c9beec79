/* settings.c - saves sysctl/sysfs settings, changes them, and restores them on exit, on signals and on demand. */
#include "settings.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#include "journal.h"
#include "sysfile.h"

#define SR_CAPACITY 64
/* Original contents are small (a number, a mode word); a longer one is not a setting we manage. */
#define SR_VALUE_MAX PMIG_SYSFILE_VALUE_MAX

struct sr_entry {
	pid_t owner; /* a forked child inherits the table but must not restore its parent's entries */
	size_t len;
	pmig_jid
		jid; /* its journal record, undone when the value is written back */
	char path[PATH_MAX];
	char value[SR_VALUE_MAX];
};

/*
 * Static storage: the restore path runs in signal handlers, where malloc is
 * not allowed. Entries [0, sr_count) are live. sr_count is only published
 * after its entry is complete, so a handler never sees a half-written one.
 */
static struct sr_entry sr_table[SR_CAPACITY];
static volatile sig_atomic_t sr_count;
static volatile sig_atomic_t sr_failures;
static bool sr_hooks_installed;

/* Exit callbacks: static and published after completion, like the table. */
#define SR_EXIT_CAPACITY 8
static struct {
	void (*fn)(int sig);
	pid_t owner;
} sr_exit_fns[SR_EXIT_CAPACITY];
static volatile sig_atomic_t sr_exit_count;

static const int sr_signals[] = { SIGINT,  SIGTERM, SIGHUP, SIGQUIT,
				  SIGSEGV, SIGBUS,  SIGABRT };

/* Reads @path into @e as the value to write back later. */
static int sr_read(const char *path, struct sr_entry *e)
{
	int err = pmig_sysfile_read(path, e->value, sizeof(e->value));

	if (!err)
		e->len = strlen(e->value);
	return err;
}

/* Runs the exit callbacks, newest first; each is dropped before it runs, so it runs once. */
static void sr_run_exit_fns(int sig)
{
	pid_t self = getpid();
	sig_atomic_t n;

	while ((n = sr_exit_count) > 0) {
		void (*fn)(int) = sr_exit_fns[n - 1].fn;
		pid_t owner = sr_exit_fns[n - 1].owner;

		sr_exit_count = n - 1;
		if (owner == self)
			fn(sig);
	}
}

static void sr_at_exit(void)
{
	pmig_settings_restore_all();
	sr_run_exit_fns(0);
	pmig_journal_finish();
}

static void sr_on_signal(int sig)
{
	struct sigaction dfl = { .sa_handler = SIG_DFL };

	pmig_settings_restore_all();
	sr_run_exit_fns(sig);
	pmig_journal_finish();
	sigemptyset(&dfl.sa_mask);
	sigaction(sig, &dfl, NULL);
	/* Blocked while this handler runs: delivered with SIG_DFL on return, so the exit status names it. */
	raise(sig);
}

static int sr_install_hooks(void)
{
	struct sigaction sa = { .sa_handler = sr_on_signal };
	size_t i;

	if (sr_hooks_installed)
		return 0;
	if (atexit(sr_at_exit))
		return -ENOMEM;
	/* One restore at a time: the other hooked signals wait until the first handler re-raises. */
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < sizeof(sr_signals) / sizeof(sr_signals[0]); i++)
		sigaddset(&sa.sa_mask, sr_signals[i]);
	for (i = 0; i < sizeof(sr_signals) / sizeof(sr_signals[0]); i++) {
		struct sigaction old;

		/* An ignored signal cannot end the process, so it needs no restore; keep it ignored. */
		if (sigaction(sr_signals[i], NULL, &old) == 0 &&
		    !(old.sa_flags & SA_SIGINFO) && old.sa_handler == SIG_IGN)
			continue;
		sigaction(sr_signals[i], &sa, NULL);
	}
	sr_hooks_installed = true;
	return 0;
}

/* Saves @path as a new entry; on success the entry is live. */
static int sr_save(const char *path)
{
	size_t n = (size_t)sr_count;
	size_t plen = strlen(path);
	struct sr_entry *e;
	int err;

	if (n >= SR_CAPACITY)
		return -ENOSPC;
	if (plen >= sizeof(e->path))
		return -ENAMETOOLONG;
	e = &sr_table[n];
	err = sr_read(path, e);
	if (err)
		return err;
	memcpy(e->path, path, plen + 1);
	e->owner = getpid();
	e->jid = 0;
	atomic_signal_fence(memory_order_seq_cst);
	sr_count = (sig_atomic_t)(n + 1);
	return 0;
}

static void sr_drop_last(void)
{
	sr_count = sr_count - 1;
}

int pmig_settings_apply(const struct pmig_setting *list, size_t n, size_t *mark)
{
	size_t start = (size_t)sr_count, i;
	int err;

	if (mark)
		*mark = start;
	if (n && !list)
		return -EINVAL;
	for (i = 0; i < n; i++)
		if (!list[i].path)
			return -EINVAL;
	if (!n)
		return 0;
	/* Before the first change, so no change is ever left without a restore. */
	err = sr_install_hooks();
	if (err)
		return err;

	for (i = 0; i < n; i++) {
		const struct pmig_setting *s = &list[i];
		bool required = s->policy != PMIG_SR_OPTIONAL;
		bool touched;

		err = sr_save(s->path);
		if (err == -ENOSPC || (err && required))
			goto undo;
		if (err)
			continue;
		if (!s->value)
			continue;
		/* On disk before the change: a run killed outright is undone by the next. */
		err = pmig_journal_note(PMIG_J_SETTING, s->path,
					sr_table[sr_count - 1].value,
					&sr_table[sr_count - 1].jid);
		if (err) {
			sr_drop_last();
			if (required)
				goto undo;
			err = 0;
			continue;
		}
		err = pmig_sysfile_write_len(s->path, s->value,
					     strlen(s->value), &touched);
		if (!err)
			continue;
		/* An unopened file is unchanged: restoring it would only fail and count. */
		if (!touched)
			sr_drop_last();
		if (required)
			goto undo;
		if (touched)
			pmig_settings_restore_to((size_t)sr_count - 1);
		err = 0;
	}
	return 0;

undo:
	pmig_settings_restore_to(start);
	return err;
}

int pmig_settings_scope_apply(struct pmig_settings_scope *scope,
			      const char *path, const char *value)
{
	struct pmig_setting one = { path, value, PMIG_SR_REQUIRED };
	size_t mark;
	int ret = pmig_settings_apply(&one, 1, &mark);

	if (!ret && !scope->changed) {
		scope->mark = mark;
		scope->changed = true;
	}
	return ret;
}

void pmig_settings_scope_restore(struct pmig_settings_scope *scope)
{
	if (scope->changed)
		pmig_settings_restore_to(scope->mark);
	scope->changed = false;
}

void pmig_settings_restore_to(size_t mark)
{
	pid_t self = getpid();
	sig_atomic_t n;

	while ((n = sr_count) > 0 && (size_t)n > mark) {
		const struct sr_entry *e = &sr_table[n - 1];
		bool touched;

		if (e->owner == self &&
		    pmig_sysfile_write_len(e->path, e->value, e->len, &touched))
			sr_failures = sr_failures + 1;
		else if (e->owner == self)
			pmig_journal_undone(e->jid);
		/* Dropped once written: a second restore (atexit after a signal, say) writes nothing. */
		sr_count = n - 1;
	}
}

void pmig_settings_restore_all(void)
{
	pmig_settings_restore_to(0);
}

unsigned pmig_settings_restore_failures(void)
{
	return (unsigned)sr_failures;
}

int pmig_settings_on_exit(void (*fn)(int sig))
{
	size_t n = (size_t)sr_exit_count;
	int err;

	if (!fn)
		return -EINVAL;
	if (n >= SR_EXIT_CAPACITY)
		return -ENOSPC;
	err = sr_install_hooks();
	if (err)
		return err;
	sr_exit_fns[n].fn = fn;
	sr_exit_fns[n].owner = getpid();
	atomic_signal_fence(memory_order_seq_cst);
	sr_exit_count = (sig_atomic_t)(n + 1);
	return 0;
}
