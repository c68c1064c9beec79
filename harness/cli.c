/* cli.c - what the commands share: the one-line bad-input messages and their exit status, the checked number parser, and the start of a run (lock, journal). */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "journal.h"

int pmig_cli_bad(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return PMIG_EXIT_USAGE;
}

int pmig_cli_getopt_bad(const char *cmd, int opt, char **argv, const char *hint)
{
	/*
	 * getopt_long has stepped past the option it rejected, unless that
	 * was a letter inside a group ("-xy"): then this is the word before.
	 */
	const char *arg = argv[optind - 1];

	if (opt == ':')
		return pmig_cli_bad(cmd, "option '%s' needs an argument", arg);
	return pmig_cli_bad(cmd, "unknown option '%s'%s", arg, hint);
}

/* "PID 123 (started 2025-01-01 12:00:00)", or what is known of it. */
static void describe(const struct pmig_run_id *id, char *buf, size_t len)
{
	char when[32] = "at an unknown time";
	time_t t = (time_t)id->wall;
	struct tm tm;

	if (id->wall && localtime_r(&t, &tm))
		strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", &tm);
	if (id->pid)
		snprintf(buf, len, "PID %d (started %s)", (int)id->pid, when);
	else
		snprintf(buf, len, "(unknown PID)");
}

/* The lock stays held, by this process and what it forks, until they are gone. */
static int take_lock(const char *cmd, bool no_wait)
{
	struct pmig_run_id holder;
	char who[96];
	int fd, err;

	err = pmig_runlock_take(pmig_run_dir(), false, &fd, &holder);
	if (err == -EWOULDBLOCK) {
		describe(&holder, who, sizeof(who));
		if (no_wait)
			return pmig_cli_bad(
				cmd,
				"run %s holds the machine (%s/lock); --no-wait given, not waiting",
				who, pmig_run_dir());
		fprintf(stderr, "%s: waiting for run %s to finish%s\n", cmd,
			who,
			holder.pid && !pmig_run_alive(&holder) ?
				" (it is gone; a process it started still holds the lock)" :
				"");
		err = pmig_runlock_take(pmig_run_dir(), true, &fd, NULL);
	}
	if (err) {
		fprintf(stderr, "%s: cannot take %s/lock: %s\n", cmd,
			pmig_run_dir(), strerror(-err));
		return 1;
	}
	return 0;
}

/* Undoes a dead run's journal; one line on stderr, into @said too, when it did something. */
static int recover(const char *cmd, char *said, size_t len, bool quiet)
{
	char path[300], what[3072], who[96];
	struct pmig_run_id was;
	int r;

	snprintf(path, sizeof(path), "%s/journal", pmig_run_dir());
	r = pmig_journal_recover(path, &was, what, sizeof(what));
	describe(&was, who, sizeof(who));
	if (r == 0 && quiet)
		return 0;
	if (r == 0)
		snprintf(said, len,
			 "nothing to restore: no run left settings changed");
	else if (r == -EBUSY)
		snprintf(said, len,
			 "run %s is still running; not restoring its settings",
			 who);
	else if (r < 0)
		snprintf(said, len,
			 "restoring what run %s left changed failed: %s (%s)",
			 who, strerror(-r), what);
	else
		snprintf(said, len,
			 "restored what killed run %s left changed: %s", who,
			 what);
	fprintf(stderr, "%s: %s\n", cmd, said);
	return r < 0 ? 1 : 0;
}

int pmig_cli_begin_run(const char *cmd, bool no_wait, char *said, size_t len)
{
	char path[300], buf[4096];
	int err;

	if (said && len)
		said[0] = '\0';
	if (geteuid() != 0)
		return 0;
	err = take_lock(cmd, no_wait);
	if (err)
		return err;
	recover(cmd, said ? said : buf, said ? len : sizeof(buf), true);
	snprintf(path, sizeof(path), "%s/journal", pmig_run_dir());
	err = pmig_journal_start(path);
	if (err) {
		fprintf(stderr,
			"%s: cannot write the settings journal %s: %s\n", cmd,
			path, strerror(-err));
		return 1;
	}
	return 0;
}

int pmig_cli_restore(const char *cmd)
{
	char said[4096];
	int err = take_lock(cmd, false);

	return err ? err : recover(cmd, said, sizeof(said), false);
}

long pmig_cli_long(const char *s, long lo, long hi)
{
	char *end;
	long v;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	return errno || *end || v < lo || v > hi ? -1 : v;
}

void pmig_cli_args_checked(void)
{
	const char *v = getenv("PMIG_CHECK_ARGS");

	if (v && !strcmp(v, "1"))
		exit(0);
}
