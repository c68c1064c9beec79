/* pmig-bench.c - `pmig bench`: every migration strategy on every workload between chosen node pairs, verified, as Google Benchmark JSON with pmig's samples. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "matrix.h"
#include "cli.h"
#include "outfile.h"
#include "context.h"
#include "gb.h"
#include "metrics/pairs.h"
#include "metrics/probe.h"
#include "json_out.h"
#include "preset.h"
#include "run.h"
#include "settings.h"
#include "tier_cases.h"
#include "tier_watch.h"
#include "topo.h"
#include "util.h"

#define CMD "pmig bench"
#define EXIT_FAILED 1
#define EXIT_SKIP 4
#define MAX_SIZES 16
#define MAX_PAIRS 256
#define NUMA_BALANCING "/proc/sys/kernel/numa_balancing"

static const char usage[] =
	"usage: pmig bench [--quick] [--filter RE] [--out F.json]\n"
	"                  [--pairs nearest|farthest|cpuless|all] [--size S[,S...]]\n"
	"                  [--accessors N] [--iterations N] [--tier-limit S] [--no-wait]\n"
	"                  [--goal-miss-ok] [--perf] [--preset NAME]\n"
	"                  [-- GOOGLE-BENCHMARK-FLAGS]\n"
	"Measures page migration strategies (memcpy copy bound, move_pages,\n"
	"migrate_pages, mbind_move, reference, swap) on page kinds between node\n"
	"pairs from the topology, checks every page's node and data after every\n"
	"timed migration, and writes Google Benchmark JSON with pmig's raw\n"
	"samples (bench/README.md). NUMA balancing is off while it measures.\n"
	"Without --quick it also watches the kernel move hot and cold pages between\n"
	"memory tiers by itself (numab_promote, demote_reclaim, damon_migrate_hot,\n"
	"damon_migrate_cold) and a user-space loop doing it (tier_user).\n"
	"  --quick         anonymous pages, 1 MiB, batches 1 and all, 5 iterations,\n"
	"                  the first nearest pair (unless --pairs)\n"
	"  --filter RE     only benchmarks whose name matches (extended regex)\n"
	"  --out F.json    the result (default $PMIG_RUNS/bench-DATE.json, else bench.json)\n"
	"  --pairs SEL     node pairs: nearest (default: each CPU node's nearest),\n"
	"                  farthest, cpuless, all\n"
	"  --size S,...    sizes (K, M, G; default 1M, or 1M,16M without --quick)\n"
	"  --accessors N   N threads on other CPUs read the pages throughout\n"
	"  --iterations N  timed migrations per run (default 5 quick, 10 full)\n"
	"  --tier-limit S  how long a tiering run watches at most (default 30 s;\n"
	"                  tiering runs take --size's sizes, else 16M)\n"
	"  --no-wait       when another pmig run holds the machine, exit 2 at once\n"
	"                  instead of waiting for it\n"
	"  --goal-miss-ok  a tiering run short of its goal is still named (and FAIL\n"
	"                  in the exports) but does not make the exit status 1\n"
	"  --perf          perf counters of the migrating thread (cycles,\n"
	"                  instructions, context switches, ...) as c.perf_* notes;\n"
	"                  they cost work at every context switch in the timed\n"
	"                  calls, so they are off unless asked for\n"
	"  --preset NAME   a published set-up (garg-2025: move_pages of 1 GiB,\n"
	"                  4K pages and THP, batch:all, and the memcpy copy bound,\n"
	"                  between the farthest pair of CPU nodes; --size may\n"
	"                  shrink it); pmig report draws the published figures\n"
	"                  beside the results (bench/README.md)\n"
	"Exit status: 0 every run verified (or unavailable here, with the reason)\n"
	"and every tiering run reached its goal, 1 a run failed its checks or a\n"
	"tiering run fell short of its goal (a goal page not in place within\n"
	"--tier-limit, or a page moved that should have stayed: what the kernel's\n"
	"strategy did, one stderr line each), 2 bad input, 4 fewer than two\n"
	"memory nodes (--preset: no pair of CPU nodes, or too little free memory\n"
	"on one of them for the size).\n";

enum {
	OPT_QUICK = 256,
	OPT_FILTER,
	OPT_OUT,
	OPT_PAIRS,
	OPT_SIZE,
	OPT_ACC,
	OPT_ITER,
	OPT_NO_WAIT,
	OPT_TIER_LIMIT,
	OPT_GOAL_MISS_OK,
	OPT_PERF,
	OPT_PRESET,
	OPT_HELP
};

static const struct option options[] = {
	{ "quick", no_argument, NULL, OPT_QUICK },
	{ "filter", required_argument, NULL, OPT_FILTER },
	{ "out", required_argument, NULL, OPT_OUT },
	{ "pairs", required_argument, NULL, OPT_PAIRS },
	{ "size", required_argument, NULL, OPT_SIZE },
	{ "accessors", required_argument, NULL, OPT_ACC },
	{ "iterations", required_argument, NULL, OPT_ITER },
	{ "no-wait", no_argument, NULL, OPT_NO_WAIT },
	{ "tier-limit", required_argument, NULL, OPT_TIER_LIMIT },
	{ "goal-miss-ok", no_argument, NULL, OPT_GOAL_MISS_OK },
	{ "perf", no_argument, NULL, OPT_PERF },
	{ "preset", required_argument, NULL, OPT_PRESET },
	{ "help", no_argument, NULL, OPT_HELP },
	{ NULL, 0, NULL, 0 },
};

struct opts {
	bool quick;
	bool no_wait;
	bool goal_miss_ok; /* a tiering run short of its goal is named, not an exit status */
	bool perf; /* perf counters in the timed calls */
	const char *filter, *out;
	enum pmig_pair_sel pairs;
	bool pairs_given;
	size_t sizes[MAX_SIZES];
	int nsizes;
	bool sizes_given;
	int accessors;
	long iterations;
	long tier_limit; /* seconds */
	const struct pmig_preset *preset; /* --preset, or NULL */
	int gb_argc; /* Google Benchmark's flags: argv[gb_first..] */
	int gb_first;
};

/* 0, or the exit status after one stderr line. */
static int parse(int argc, char **argv, struct opts *o)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	regex_t re;
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:", options, NULL)) != -1) {
		switch (c) {
		case OPT_QUICK:
			o->quick = true;
			break;
		case OPT_FILTER:
			if (regcomp(&re, optarg, REG_EXTENDED | REG_NOSUB))
				return pmig_cli_bad(
					CMD,
					"bad --filter '%s': not an extended regex",
					optarg);
			regfree(&re);
			o->filter = optarg;
			break;
		case OPT_OUT:
			o->out = optarg;
			break;
		case OPT_PAIRS:
			if (pmig_pairs_parse(optarg, &o->pairs))
				return pmig_cli_bad(
					CMD,
					"bad --pairs '%s' (nearest, farthest, cpuless, all)",
					optarg);
			o->pairs_given = true;
			break;
		case OPT_SIZE:
			o->nsizes = pmig_size_list_parse(optarg, o->sizes,
							 MAX_SIZES);
			for (int i = 0; i < o->nsizes; i++)
				if (o->sizes[i] % page ||
				    o->sizes[i] > pmig_size_ram())
					o->nsizes = -EINVAL;
			o->sizes_given = true;
			if (o->nsizes < 0)
				return pmig_cli_bad(
					CMD,
					"bad --size '%s': whole pages within the machine's memory, e.g. 1M or 64K,16M",
					optarg);
			break;
		case OPT_ACC:
			o->accessors = (int)pmig_cli_long(optarg, 0, 64);
			if (o->accessors < 0)
				return pmig_cli_bad(
					CMD, "bad --accessors '%s' (0 to 64)",
					optarg);
			break;
		case OPT_ITER:
			o->iterations = pmig_cli_long(optarg, 1, 1000000);
			if (o->iterations < 0)
				return pmig_cli_bad(
					CMD,
					"bad --iterations '%s' (1 to 1000000)",
					optarg);
			break;
		case OPT_NO_WAIT:
			o->no_wait = true;
			break;
		case OPT_GOAL_MISS_OK:
			o->goal_miss_ok = true;
			break;
		case OPT_PERF:
			o->perf = true;
			break;
		case OPT_TIER_LIMIT:
			o->tier_limit = pmig_cli_long(optarg, 1, 3600);
			if (o->tier_limit < 0)
				return pmig_cli_bad(
					CMD,
					"bad --tier-limit '%s' (1 to 3600 seconds)",
					optarg);
			break;
		case OPT_PRESET:
			o->preset = pmig_preset_find(optarg);
			if (!o->preset)
				return pmig_cli_bad(
					CMD, "bad --preset '%s' (%s)", optarg,
					pmig_preset_names());
			break;
		case OPT_HELP:
			fputs(usage, stdout);
			exit(0);
		case ':':
		default:
			return pmig_cli_getopt_bad(CMD, c, argv,
						   " (see pmig bench --help)");
		}
	}
	if (optind < argc && strcmp(argv[optind - 1], "--"))
		return pmig_cli_bad(
			CMD,
			"unexpected argument '%s' (Google Benchmark flags go after --)",
			argv[optind]);
	/* A preset names its pairs and its cases itself. */
	if (o->preset && (o->quick || o->pairs_given))
		return pmig_cli_bad(
			CMD,
			"--preset %s chooses its own node pair and cases: not with %s",
			o->preset->name, o->quick ? "--quick" : "--pairs");
	o->gb_first = optind;
	o->gb_argc = argc - optind;
	for (int i = optind; i < argc; i++)
		if (!strncmp(argv[i], "--benchmark_out", 15))
			return pmig_cli_bad(
				CMD,
				"'%s': pmig bench writes the JSON itself (use --out)",
				argv[i]);
	return 0;
}

/* The default result path, or 0 after a message. */
static int default_out(char *buf, size_t len)
{
	const char *runs = getenv("PMIG_RUNS");
	char stamp[32];
	time_t now = time(NULL);

	if (!runs || !*runs) {
		snprintf(buf, len, "bench.json");
		return 0;
	}
	strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", gmtime(&now));
	if (mkdir(runs, 0777) && errno != EEXIST)
		return pmig_cli_bad(CMD, "cannot create '%s'", runs);
	snprintf(buf, len, "%s/bench-%s.json", runs, stamp);
	return 0;
}

static int check_writable(const char *out)
{
	int err;

	if (!*out)
		return pmig_cli_bad(CMD, "bad --out '%s'", out);
	err = pmig_outfile_check(out);
	if (err)
		return pmig_cli_bad(CMD, "cannot write to '%s': %s", out,
				    strerror(-err));
	return 0;
}

/* Whether @re matches benchmark @name as Google Benchmark names it: NAME/iterations:N/manual_time. */
static bool name_matches(const regex_t *re, const char *name, long iterations)
{
	char full[192];

	snprintf(full, sizeof(full), "%s/iterations:%ld/manual_time", name,
		 iterations);
	return !re || regexec(re, full, 0, NULL, 0) == 0;
}

/*
 * Which cases @filter (NULL: all) keeps, one flag each in @mig_on and
 * @tier_on: what will run, for the context and the filter's check. How
 * many it keeps, or -ENOMEM.
 */
static long select_cases(const char *filter, const struct pmig_bench_case *c,
			 size_t n, const struct pmig_tier_case *t, size_t nt,
			 bool **mig_on, bool **tier_on)
{
	regex_t re;
	long kept = 0;

	*mig_on = calloc(n ? n : 1, sizeof(**mig_on));
	*tier_on = calloc(nt ? nt : 1, sizeof(**tier_on));
	if (!*mig_on || !*tier_on)
		return -ENOMEM;
	/* parse() compiled it once already. */
	if (filter && regcomp(&re, filter, REG_EXTENDED | REG_NOSUB))
		return 0;
	for (size_t i = 0; i < n; i++)
		kept += (*mig_on)[i] = name_matches(filter ? &re : NULL,
						    c[i].name, c[i].iterations);
	for (size_t i = 0; i < nt; i++)
		kept += (*tier_on)[i] =
			name_matches(filter ? &re : NULL, t[i].name, 1);
	if (filter)
		regfree(&re);
	return kept;
}

/* The tiering cases: --size's sizes, else 16M; none without a near and a far node. The count or -errno. */
static long tiering_cases(const struct opts *o, const struct pmig_topo *topo,
			  struct pmig_tier_case **out)
{
	static const size_t default_size = 16UL << 20;
	static struct pmig_tier_opts to;
	const struct pmig_node *near, *watch;

	*out = NULL;
	if (pmig_tier_nodes(topo, NULL, &to.nodes))
		return 0;
	near = pmig_topo_node_by_os(topo, (unsigned)to.nodes.near);
	watch = pmig_topo_node_by_os(topo, (unsigned)to.nodes.watch);
	to.near_cpus = near->cpulist;
	to.watch_cpus = watch->cpulist;
	to.sizes = o->sizes_given ? o->sizes : &default_size;
	to.nsizes = o->sizes_given ? o->nsizes : 1;
	to.limit_s = o->tier_limit ? (double)o->tier_limit : 30;
	to.tick_s = 0.1;
	return pmig_tier_cases_build(&to, out);
}

/*
 * Every verified tiering run short of its goal, one stderr line each: the
 * run and its checks went right, the kernel's strategy did not get there.
 * Their count.
 */
static size_t short_of_goal(void)
{
	const struct pmig_bench_run *runs;
	struct pmig_tier_figures f;
	size_t n, i, missed = 0;
	char text[256];

	runs = pmig_bench_runs(&n);
	for (i = 0; i < n; i++) {
		if (runs[i].status != PMIG_RUN_VERIFIED ||
		    !pmig_tier_run_figures(&runs[i], &f) ||
		    pmig_tier_goal_reached(&f))
			continue;
		fprintf(stderr, "pmig bench: %s: goal not reached: %s\n",
			pmig_bench_name(runs[i].bench),
			pmig_tier_goal_text(&f, text, sizeof(text)));
		missed++;
	}
	return missed;
}

/* Moves the cases @p runs to the front of @c; their count. */
static long keep_preset(const struct pmig_preset *p, struct pmig_bench_case *c,
			size_t n)
{
	size_t kept = 0;

	for (size_t i = 0; i < n; i++)
		if (pmig_preset_keeps(p, &c[i]))
			c[kept++] = c[i];
	return (long)kept;
}

static bool list_only(const struct opts *o, char **argv)
{
	for (int i = 0; i < o->gb_argc; i++)
		if (!strncmp(argv[o->gb_first + i], "--benchmark_list_tests",
			     22))
			return true;
	return false;
}

static int memory_nodes(const struct pmig_topo *t)
{
	int n = 0;

	for (size_t i = 0; i < pmig_topo_node_count(t); i++)
		n += pmig_topo_node(t, i)->memory_bytes > 0;
	return n;
}

/*
 * --preset: its pair (the farthest pair of CPU nodes) into @pairs, its size
 * unless --size, and room for the largest size on both nodes. 0, or the
 * exit status after one stderr line.
 */
static int preset_setup(struct opts *o, const struct pmig_topo *topo,
			struct pmig_pair *pairs, size_t *npairs)
{
	size_t largest = 0;
	char why[160];

	*npairs = pmig_preset_pair(topo, pairs);
	if (!*npairs) {
		fprintf(stderr,
			"pmig bench: --preset %s: no pair of nodes that both have CPUs and memory here\n",
			o->preset->name);
		return EXIT_SKIP;
	}
	if (!o->nsizes)
		o->sizes[o->nsizes++] = o->preset->bytes;
	for (int i = 0; i < o->nsizes; i++)
		if (o->sizes[i] > largest)
			largest = o->sizes[i];
	if (pmig_preset_room("", &pairs[0], largest, why, sizeof(why))) {
		fprintf(stderr,
			"pmig bench: --preset %s: %s (--size for less)\n",
			o->preset->name, why);
		return EXIT_SKIP;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct opts o = { .pairs = PMIG_PAIRS_NEAREST };
	static struct pmig_pair pairs[MAX_PAIRS];
	static const char *cpus[MAX_PAIRS];
	static char out_buf[PATH_MAX], gb_out[PATH_MAX + 16], filter[PATH_MAX],
		balancing[32];
	static char *gb_argv[256];
	struct pmig_setting nb = { NUMA_BALANCING, "0", PMIG_SR_OPTIONAL };
	struct pmig_case_opts co = { 0 };
	struct pmig_report_summary sum;
	struct pmig_bench_case *cases;
	struct pmig_tier_case *tier_cases = NULL;
	long ntier;
	struct pmig_topo *topo;
	struct pmig_probe *probe;
	struct pmig_context_runs runs;
	bool *mig_on = NULL, *tier_on = NULL;
	size_t npairs, missed;
	int gb_argc = 0, ret, nodes;
	long ncases, ran, kept;
	char *xml_text = NULL;
	size_t xml_len = 0;
	FILE *f, *xml;

	ret = parse(argc, argv, &o);
	if (ret)
		return ret;
	if (!o.out) {
		if (default_out(out_buf, sizeof(out_buf)))
			return PMIG_EXIT_USAGE;
		o.out = out_buf;
	}
	if (check_writable(o.out))
		return PMIG_EXIT_USAGE;
	if (o.gb_argc > 200)
		return pmig_cli_bad(CMD, "too many Google Benchmark flags");

	/* Google Benchmark's own flags first: a bad one stops before any setup. */
	snprintf(gb_out, sizeof(gb_out), "--benchmark_out=%s.gb", o.out);
	gb_argv[gb_argc++] = "pmig bench";
	gb_argv[gb_argc++] = gb_out;
	gb_argv[gb_argc++] = "--benchmark_out_format=json";
	if (o.filter) {
		snprintf(filter, sizeof(filter), "--benchmark_filter=%s",
			 o.filter);
		gb_argv[gb_argc++] = filter;
	}
	for (int i = 0; i < o.gb_argc; i++)
		gb_argv[gb_argc++] = argv[o.gb_first + i];
	gb_argv[gb_argc] = NULL;
	if (pmig_gb_init(&gb_argc, gb_argv))
		return PMIG_EXIT_USAGE;
	/* --filter is checked against this machine's node pairs, below: not here. */
	pmig_cli_args_checked();

	ret = pmig_topo_load(&topo, NULL);
	if (ret) {
		fprintf(stderr, "pmig bench: cannot read the topology: %s\n",
			strerror(-ret));
		return EXIT_FAILED;
	}
	nodes = memory_nodes(topo);
	if (nodes < 2) {
		fprintf(stderr,
			"pmig bench: %d memory node here, nothing to migrate between (try pmig vm -- bench)\n",
			nodes);
		return EXIT_SKIP;
	}
	if (o.preset) {
		ret = preset_setup(&o, topo, pairs, &npairs);
		if (ret)
			return ret;
	} else {
		npairs = pmig_pairs_select(topo, o.pairs, pairs, MAX_PAIRS);
	}
	if (!npairs) {
		fprintf(stderr,
			"pmig bench: no node pair of that kind here (--pairs)\n");
		return EXIT_SKIP;
	}
	/* Quick is one pair unless asked for more. */
	if (o.quick && !o.pairs_given)
		npairs = 1;
	for (size_t i = 0; i < npairs; i++)
		cpus[i] = pmig_topo_node_by_os(topo, (unsigned)pairs[i].from)
				  ->cpulist;

	/* Before any change: one run per machine, and a killed run's changes undone first. */
	ret = pmig_cli_begin_run(CMD, o.no_wait, NULL, 0);
	if (ret)
		return ret;
	/* NUMA balancing would move pages behind the benchmark's back. */
	f = fopen(NUMA_BALANCING, "re");
	if (f && fgets(balancing, sizeof(balancing), f))
		balancing[strcspn(balancing, "\n")] = '\0';
	if (f)
		fclose(f);
	pmig_settings_apply(&nb, 1, NULL);

	probe = pmig_probe_open(o.perf);
	pmig_run_set_probe(probe);
	if (!o.nsizes) {
		o.sizes[o.nsizes++] = 1UL << 20;
		if (!o.quick)
			o.sizes[o.nsizes++] = 16UL << 20;
	}
	co = (struct pmig_case_opts){
		.quick = o.quick,
		.sizes = o.sizes,
		.nsizes = o.nsizes,
		.pairs = pairs,
		.from_cpus = cpus,
		.npairs = npairs,
		.accessors = o.accessors,
		.iterations = o.iterations ? o.iterations :
			      o.quick	   ? 5 :
					     10,
		.cpus = (int)sysconf(_SC_NPROCESSORS_ONLN),
	};
	ncases = pmig_cases_build(&co, &cases);
	if (ncases > 0 && o.preset)
		ncases = keep_preset(o.preset, cases, (size_t)ncases);
	if (ncases < 0 || pmig_cases_register(cases, (size_t)ncases)) {
		fprintf(stderr, "pmig bench: cannot register the benchmarks\n");
		return EXIT_FAILED;
	}
	ntier = o.quick || o.preset ? 0 : tiering_cases(&o, topo, &tier_cases);
	if (ntier < 0 || pmig_tier_cases_register(tier_cases, (size_t)ntier)) {
		fprintf(stderr,
			"pmig bench: cannot register the tiering benchmarks\n");
		return EXIT_FAILED;
	}
	runs = (struct pmig_context_runs){ .mig = cases,
					   .nmig = (size_t)ncases,
					   .tier = tier_cases,
					   .ntier = (size_t)ntier };
	kept = select_cases(o.filter, cases, runs.nmig, tier_cases, runs.ntier,
			    &mig_on, &tier_on);
	if (kept < 0) {
		fprintf(stderr, "pmig bench: out of memory\n");
		return EXIT_FAILED;
	}
	if (o.filter && !kept)
		return pmig_cli_bad(
			CMD,
			"--filter '%s' matches no benchmark (pmig bench -- --benchmark_list_tests lists them)",
			o.filter);
	runs.mig_on = mig_on;
	runs.tier_on = tier_on;
	/* What runs, not what this machine could run: a tiering run's pairs are its own. */
	pmig_context_add_all(&(struct pmig_context_in){
		.pmu = probe ? pmig_probe_kind(probe) : "none",
		.numa_balancing = balancing[0] ? balancing : NULL,
		.runs = &runs,
		.mode = o.quick ? "quick" : "full",
		.preset = o.preset ? o.preset->name : NULL,
		.iterations = co.iterations,
		.accessors = o.accessors,
	});

	ran = pmig_gb_run();
	if (!ran || list_only(&o, argv)) {
		/* --benchmark_list_tests, or Google Benchmark's own filter matched none (it said so). */
		unlink(gb_out + strlen("--benchmark_out="));
		return list_only(&o, argv) ? 0 : PMIG_EXIT_USAGE;
	}
	xml = open_memstream(&xml_text, &xml_len);
	if (xml) {
		pmig_topo_export_xml(topo, xml);
		fclose(xml);
	}
	ret = pmig_report_write(gb_out + strlen("--benchmark_out="), o.out,
				xml_text, &sum);
	free(xml_text);
	unlink(gb_out + strlen("--benchmark_out="));
	if (ret) {
		fprintf(stderr, "pmig bench: cannot write '%s': %s\n", o.out,
			strerror(-ret));
		return EXIT_FAILED;
	}
	missed = short_of_goal();
	fprintf(stderr,
		"pmig bench: %zu runs verified, %zu failed, %zu unavailable here",
		sum.verified, sum.failed, sum.unavailable);
	if (missed)
		fprintf(stderr,
			"; tiering runs short of the goal: %zu (named above)",
			missed);
	fprintf(stderr, "; results in %s\n", o.out);
	pmig_probe_close(probe);
	pmig_topo_free(topo);
	free(cases);
	free(tier_cases);
	free(mig_on);
	free(tier_on);
	return sum.failed || (missed && !o.goal_miss_ok) ? EXIT_FAILED : 0;
}
