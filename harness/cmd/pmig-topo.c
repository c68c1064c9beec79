/* pmig-topo.c - `pmig topo`: prints the NUMA topology pmig sees, or its hwloc XML. */
#include "cli.h"
#include "topo.h"
#include "tiers.h"
#include "memblocks.h"

#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CMD "pmig topo"

static const char usage[] =
	"usage: pmig topo [--xml | --facts] [--input FILE]\n"
	"Print the NUMA nodes pmig sees (Linux node ids, CPUs, memory,\n"
	"CPU-less and memoryless nodes) and the node distance matrix.\n"
	"\n"
	"  --xml         print hwloc's XML export of the topology instead\n"
	"  --facts       print one fact per line (cpus, memory yes/no,\n"
	"                distances) for comparing with a topology file\n"
	"  --input FILE  read an hwloc XML topology instead of this machine\n"
	"  --help        print this help and exit\n";

enum { OPT_XML = 256, OPT_FACTS, OPT_INPUT, OPT_HELP };

static const struct option options[] = {
	{ "xml", no_argument, NULL, OPT_XML },
	{ "facts", no_argument, NULL, OPT_FACTS },
	{ "input", required_argument, NULL, OPT_INPUT },
	{ "help", no_argument, NULL, OPT_HELP },
	{ NULL, 0, NULL, 0 },
};

/* Name of the option getopt_long just rejected, as the user typed it. */
static const char *bad_option(char **argv, int optind_after)
{
	const char *arg = argv[optind_after - 1];
	size_t len = strcspn(arg, "=");
	static char buf[128];

	snprintf(buf, sizeof(buf), "%.*s", (int)len, arg);
	return buf;
}

int main(int argc, char **argv)
{
	struct pmig_topo *topo = NULL;
	const char *input = NULL;
	bool xml = false, facts = false;
	int opt, err, ret = EXIT_FAILURE;

	/* getopt's own messages are not the one-line "pmig topo: ..." form. */
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":", options, NULL)) != -1) {
		switch (opt) {
		case OPT_XML:
			xml = true;
			break;
		case OPT_FACTS:
			facts = true;
			break;
		case OPT_INPUT:
			input = optarg;
			break;
		case OPT_HELP:
			fputs(usage, stdout);
			return fflush(stdout) ? EXIT_FAILURE : EXIT_SUCCESS;
		case ':':
			return pmig_cli_getopt_bad(CMD, opt, argv, "");
		default:
			/* optopt is one of ours for "--xml=x", a letter for "-x", 0 for "--x". */
			if (optopt >= OPT_XML)
				return pmig_cli_bad(
					CMD, "option '%s' takes no argument",
					bad_option(argv, optind));
			if (optopt)
				return pmig_cli_bad(
					CMD,
					"unknown option '-%c' (try --help)",
					optopt);
			return pmig_cli_bad(CMD,
					    "unknown option '%s' (try --help)",
					    bad_option(argv, optind));
		}
	}
	if (xml && facts)
		return pmig_cli_bad(CMD,
				    "--xml and --facts exclude each other");
	if (optind < argc)
		return pmig_cli_bad(CMD, "unexpected argument '%s'",
				    argv[optind]);
	pmig_cli_args_checked();

	err = pmig_topo_load(&topo, input);
	if (err) {
		if (input)
			return pmig_cli_bad(CMD,
					    "cannot load topology from %s: %s",
					    input, strerror(-err));
		fprintf(stderr,
			"pmig topo: cannot load this machine's topology: %s\n",
			strerror(-err));
		return EXIT_FAILURE;
	}
	err = xml   ? pmig_topo_export_xml(topo, stdout) :
	      facts ? pmig_topo_print_facts(topo, stdout) :
		      pmig_topo_print(topo, stdout);
	/* This machine's memory tiers: the kernel's, not hwloc's, so not for --input. */
	if (!err && !xml && !facts && !input)
		err = pmig_tiers_print(NULL, stdout);
	/* Its hot-pluggable memory onlined movable (pmig vm --topology 2node-hotplug). */
	if (!err && !xml && !facts && !input)
		err = pmig_memblocks_print_movable(NULL, stdout);
	if (!err && fflush(stdout))
		err = errno ? -errno : -EIO;
	if (err) {
		fprintf(stderr, "pmig topo: cannot write to stdout: %s\n",
			strerror(-err));
		goto out;
	}
	ret = EXIT_SUCCESS;
out:
	pmig_topo_free(topo);
	return ret;
}
