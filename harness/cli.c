/* cli.c - the one-line bad-input messages every pmig command prints, their exit status, and the checked number parser the commands share. */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

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
