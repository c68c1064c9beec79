/* cli_kcidb.c - the KCIDB identity options and environment variables of the commands that write KCIDB: parsing, help, the one-line refusals. */
#include "cli.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "kcidb_ident.h"

void pmig_cli_kcidb_longopts(struct option *dst, const struct option *base,
			     size_t n)
{
	size_t f;

	memcpy(dst, base, n * sizeof(*dst));
	for (f = 0; f < PMIG_KCIDB_FIELD_COUNT; f++)
		dst[n + f] = (struct option){
			.name = pmig_kcidb_field_info(f)->option,
			.has_arg = required_argument,
			.val = PMIG_CLI_KCIDB_OPT + (int)f,
		};
	dst[n + f] = (struct option){ 0 };
}

void pmig_cli_kcidb_help(FILE *out)
{
	const struct pmig_kcidb_field_info *i;
	size_t f;

	fputs("KCIDB identity (for --kcidb; an option overrides its variable):\n",
	      out);
	for (f = 0; f < PMIG_KCIDB_FIELD_COUNT; f++) {
		i = pmig_kcidb_field_info(f);
		fprintf(out, "  --%-18s %s (%s)\n", i->option, i->help, i->env);
	}
}

int pmig_cli_kcidb_env(const char *cmd, struct pmig_kcidb_ident *id)
{
	enum pmig_kcidb_field bad;
	const struct pmig_kcidb_field_info *i;

	if (!pmig_kcidb_ident_from_env(id, &bad))
		return 0;
	i = pmig_kcidb_field_info(bad);
	return pmig_cli_bad(cmd, "%s='%s' is not valid: %s", i->env,
			    getenv(i->env), i->rule);
}

int pmig_cli_kcidb_option(const char *cmd, struct pmig_kcidb_ident *id, int opt,
			  const char *arg)
{
	int f = opt - PMIG_CLI_KCIDB_OPT;
	const struct pmig_kcidb_field_info *i;

	if (f < 0 || f >= PMIG_KCIDB_FIELD_COUNT)
		return 1;
	if (!pmig_kcidb_ident_set(id, f, arg))
		return 0;
	i = pmig_kcidb_field_info(f);
	return pmig_cli_bad(cmd, "--%s '%s' is not valid: %s", i->option, arg,
			    i->rule);
}
