/* pmig-covmark.c - `pmig-covmark ID LABEL`: a coverage epoch mark (covmark.h) for shell scripts run under pmig vm --coverage, such as kselftest's. */
#include "cli.h"
#include "covmark.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CMD "pmig-covmark"

int main(int argc, char **argv)
{
	long id;
	int err;

	if (argc == 2 && !strcmp(argv[1], "--help")) {
		printf("usage: %s ID LABEL\n"
		       "Under pmig vm --coverage (PMIG_COVERAGE set), kernel code run from\n"
		       "now on counts for epoch ID (2 to 65535; 1 is pmig's runner), named\n"
		       "LABEL; without PMIG_COVERAGE it does nothing.\n",
		       CMD);
		return EXIT_SUCCESS;
	}
	if (argc != 3)
		return pmig_cli_bad(CMD, "expected ID and LABEL (try --help)");
	id = pmig_cli_long(argv[1], PMIG_COVMARK_RUNNER, 65535);
	if (id < 0)
		return pmig_cli_bad(CMD,
				    "ID '%s' is not a number from 1 to 65535",
				    argv[1]);
	err = pmig_cov_mark((unsigned)id, argv[2]);
	if (err < 0) {
		fprintf(stderr, "%s: cannot mark epoch %ld: %s\n", CMD, id,
			strerror(-err));
		return EXIT_FAILURE;
	}
	return EXIT_SUCCESS;
}
