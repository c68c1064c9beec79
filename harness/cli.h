/* cli.h - what the commands share: the one-line bad-input rule (exit status 2), the checked number parser, and the start of a run (the machine lock, a dead run's journal undone). */
#ifndef PMIG_CLI_H
#define PMIG_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/** The exit status of every pmig command given bad input. */
#define PMIG_EXIT_USAGE 2

/**
 * Prints "@cmd: " and @fmt's text to stderr as one line and returns
 * PMIG_EXIT_USAGE, for the command to return or exit with. For the
 * commands only: the library itself never prints.
 */
int pmig_cli_bad(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/**
 * pmig_cli_bad() for what getopt_long() (opterr 0, an optstring that starts
 * with ':') just returned as @opt: ':' is an option without its argument
 * ("option '--size' needs an argument"), anything else one it does not
 * know ("unknown option '--bogus'" and @hint, such as " (try --help)").
 * The option is named as @argv holds it.
 */
int pmig_cli_getopt_bad(const char *cmd, int opt, char **argv,
			const char *hint);


/**
 * For a command about to change machine-wide settings, as root: takes the
 * one-run-per-machine lock in pmig_run_dir(), printing one "waiting for
 * run PID" line while another run holds it (with @no_wait that line says
 * so and it returns PMIG_EXIT_USAGE instead), undoes what a killed run
 * left in the journal, saying so in one line on stderr that @said (may be
 * NULL) also gets, for the command's own output ("" when nothing), then
 * starts this run's journal. Not root: nothing to lock or journal, 0.
 * Returns 0, PMIG_EXIT_USAGE, or 1 when the journal cannot be written.
 */
int pmig_cli_begin_run(const char *cmd, bool no_wait, char *said, size_t len);

/** `pmig restore`: waits for the lock, undoes a dead run's journal and says what it did. Exit status 0 or 1. */
int pmig_cli_restore(const char *cmd);
/** A plain decimal @s in [@lo, @hi], else -1 (no sign, no wrap, nothing after). */
long pmig_cli_long(const char *s, long lo, long hi);

/**
 * Where a command has accepted its arguments, before it looks at the
 * machine: with PMIG_CHECK_ARGS=1 in the environment it exits 0 here, so
 * that pmig vm checks a guest program's arguments on the host before it
 * fetches a kernel and boots (bad ones got their line and status 2 already).
 */
void pmig_cli_args_checked(void);

/*
 * The KCIDB identity options (kcidb_ident.h), which every command that
 * writes KCIDB takes: getopt_long() codes PMIG_CLI_KCIDB_OPT + field.
 */
#define PMIG_CLI_KCIDB_OPT 0x4b00
struct option;
struct pmig_kcidb_ident;

/**
 * @base's @n options (without the terminating zero entry), then the
 * identity options and the zero entry, into @dst, which has room for
 * @n + PMIG_KCIDB_FIELD_COUNT + 1.
 */
void pmig_cli_kcidb_longopts(struct option *dst, const struct option *base,
			     size_t n);
/** One help line per identity option, with its environment variable. */
void pmig_cli_kcidb_help(FILE *out);
/**
 * The identity from the environment: 0, or the bad-input line naming the
 * variable and PMIG_EXIT_USAGE.
 */
int pmig_cli_kcidb_env(const char *cmd, struct pmig_kcidb_ident *id);
/**
 * For getopt_long()'s @opt: 1 when it is not an identity option; else
 * sets it from @arg: 0, or the bad-input line and PMIG_EXIT_USAGE.
 */
int pmig_cli_kcidb_option(const char *cmd, struct pmig_kcidb_ident *id, int opt,
			  const char *arg);

#endif
