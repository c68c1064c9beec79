/* cli.h - the commands' rule for bad input: one "pmig NAME: ..." line on stderr and exit status 2. */
#ifndef PMIG_CLI_H
#define PMIG_CLI_H

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
 * Where a command has accepted its arguments, before it looks at the
 * machine: with PMIG_CHECK_ARGS=1 in the environment it exits 0 here, so
 * that pmig vm checks a guest program's arguments on the host before it
 * fetches a kernel and boots (bad ones got their line and status 2 already).
 */
void pmig_cli_args_checked(void);

#endif
