/* pmig-conform.c - the pmig-conform command: options, output files, exit status. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "kcidb_ident.h"
#include "model_rows.h"
#include "outfile.h"
#include "output.h"
#include "repeat.h"
#include "runner.h"

#define CMD "pmig conform"

static const char usage[] =
	"usage: pmig conform [--filter GLOB] [--list] [--seed N] [--profile VERSION]\n"
	"                    [--timeout-ms N] [--junit FILE] [--kcidb FILE] [--allow-oops]\n"
	"                    [--xpass-ok] [--repeat N [--repeat-tap PREFIX]]\n"
	"                    [--kcidb-origin NAME] [--kcidb-checkout-id ID] [--kcidb-build-id ID]\n"
	"                    [--kcidb-git-url URL] [--kcidb-git-commit HASH] [--kcidb-git-branch NAME]\n"
	"       pmig conform --random N [--seed S] [--scenario ID] [...]\n"
	"       pmig conform --check-spec | --spec-markdown[=MATRIX.tsv[,...]]\n"
	"       pmig conform --model-markdown\n"
	"       pmig conform --restore\n"
	"Runs the migration conformance cases on this machine; TAP on stdout.\n"
	"  --filter GLOB     only cases whose id matches (fnmatch), e.g. 'move_pages.status.*'\n"
	"  --list            print the selected case ids and exit\n"
	"  --seed N          data-pattern seed (default: from the clock; printed)\n"
	"  --profile VER     expect what kernel VER does instead of the running kernel\n"
	"  --timeout-ms N    per-case time limit (default 20000, at most 24 h)\n"
	"  --junit FILE      also write JUnit XML\n"
	"  --kcidb FILE      also write KCIDB JSON\n"
	"  --random N        instead of the cases, N random move_pages(2) scenarios\n"
	"                    from --seed, each compared with the reference model\n"
	"  --scenario ID     the first random scenario's id (default 0): with\n"
	"                    --random 1 and the same --seed, replays one scenario\n"
	"  --check-spec      check the spec rows: unique plain ids, profile entries\n"
	"  --spec-markdown[=MATRIX.tsv[,...]]  print docs/SPEC.md, with the results\n"
	"                    of each recorded pmig matrix run given\n"
	"  --model-markdown  print docs/MODEL.md: the rows the model implements,\n"
	"                    and why it leaves the others to the cases\n"
	"  --allow-oops      also run the cases whose known bug oopses this kernel\n"
	"                    (by default a SKIP that names the bug)\n"
	"  --xpass-ok        an XPASS (a known bug this kernel's profile expects did\n"
	"                    not show: a stale entry) is a note, not a failure\n"
	"  --repeat N        run the selection N times; a case whose outcome differs\n"
	"                    between runs is FLAKY (not ok, and exit 1). stdout has\n"
	"                    the merged TAP; each run's TAP goes to PREFIX.K.tap\n"
	"  --repeat-tap PREFIX  where each run's TAP goes (default conform.repeat)\n"
	"  --no-wait         when another pmig run holds the machine, exit 2 at once\n"
	"                    instead of waiting for it\n"
	"  --restore         only put back what a killed run left changed (its\n"
	"                    journal in /run/pmig), say what, and exit\n"
	"Exit status: 0 no unexpected failure, 1 a failure or an XPASS, 2 bad usage,\n"
	"4 all skipped.\n";

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* More repeats are a mistake (or a wrapped number), not a wish. */
#define MAX_REPEAT 1000
#define DEFAULT_REPEAT_TAP "conform.repeat"

/* 24 h: a longer per-case limit is a mistake (or a wrapped number), not a wish. */
#define MAX_TIMEOUT_MS (24ULL * 3600 * 1000)

static unsigned long long number(const char *opt, const char *s,
				 unsigned long long max)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || end == s || *end || *s == '-')
		exit(pmig_cli_bad(CMD, "%s needs a non-negative number", opt));
	if (v > max)
		exit(pmig_cli_bad(CMD, "%s %s is more than %llu", opt, s, max));
	return v;
}

/* Fails now, not after the run, if @path cannot be written. */
static void check_writable(const char *opt, const char *path)
{
	int err = pmig_outfile_check(path);

	if (err)
		exit(pmig_cli_bad(CMD, "cannot write %s %s: %s", opt, path,
				  strerror(-err)));
}

/* A repeat's TAP file: PREFIX.K.tap. */
static void repeat_path(char *buf, size_t size, const char *prefix, unsigned k)
{
	snprintf(buf, size, "%s.%u.tap", prefix, k);
}

/* Fails now, not after the first run, if a repeat's TAP cannot be written. */
static void check_repeat_tap(const char *prefix, unsigned repeat)
{
	char path[PATH_MAX];

	if (strlen(prefix) + 16 >= sizeof(path))
		exit(pmig_cli_bad(CMD, "--repeat-tap '%s' is too long",
				  prefix));
	for (unsigned k = 1; k <= repeat; k++) {
		repeat_path(path, sizeof(path), prefix, k);
		check_writable("--repeat-tap", path);
	}
}

/*
 * Runs the selection @repeat times, each run's TAP into its own file, then
 * prints the merged TAP on stdout: a case whose outcome differed is FLAKY.
 * The same seed serves every run, so each repeats the same data and scenarios.
 */
static int run_repeated(const struct pmig_conform_opts *o, unsigned repeat,
			const char *prefix, bool xpass_ok,
			struct pmig_run **merged, size_t *flaky)
{
	struct pmig_run **runs = calloc(repeat, sizeof(*runs));
	char path[PATH_MAX];
	unsigned t[PMIG_OUTCOME_COUNT];
	int err = 0, saved = -1, fd;
	unsigned k;

	if (!runs)
		return -ENOMEM;
	for (k = 0; k < repeat && !err; k++) {
		repeat_path(path, sizeof(path), prefix, k + 1);
		fflush(stdout);
		fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		saved = fd < 0 ? -1 : dup(STDOUT_FILENO);
		if (fd < 0 || saved < 0 || dup2(fd, STDOUT_FILENO) < 0) {
			err = -errno;
			if (fd >= 0)
				close(fd);
			if (saved >= 0)
				close(saved);
			break;
		}
		close(fd);
		err = pmig_conform_run(o, &runs[k]);
		fflush(stdout);
		dup2(saved, STDOUT_FILENO);
		close(saved);
		if (err)
			break;
		pmig_run_set_xpass_fails(runs[k], !xpass_ok);
		pmig_run_totals(runs[k], t);
		fprintf(stderr,
			"# pmig conform: run %u of %u (%s): pass:%u fail:%u xfail:%u xpass:%u skip:%u error:%u\n",
			k + 1, repeat, path, t[PMIG_PASS], t[PMIG_FAIL],
			t[PMIG_XFAIL], t[PMIG_XPASS], t[PMIG_SKIP],
			t[PMIG_ERROR]);
	}
	if (!err) {
		*merged = pmig_repeat_merge(runs, repeat, flaky);
		if (!*merged)
			err = -errno;
	}
	for (k = 0; k < repeat; k++)
		pmig_run_free(runs[k]);
	free(runs);
	if (err)
		return err;
	pmig_tap_begin(stdout, pmig_run_count(*merged));
	printf("# pmig conform --repeat %u: kernel %s; each run's TAP in %s.1.tap to %s.%u.tap\n",
	       repeat, pmig_run_get_meta(*merged, "kernel") ?: "?", prefix,
	       prefix, repeat);
	for (size_t i = 0; i < pmig_run_count(*merged); i++)
		pmig_tap_result(stdout, i + 1, pmig_run_result(*merged, i));
	pmig_tap_end(stdout, *merged);
	printf("# Flaky: %zu of %zu cases changed outcome between the %u runs\n",
	       *flaky, pmig_run_count(*merged), repeat);
	return 0;
}

static void print_id(const struct pmig_case *c, void *arg)
{
	(void)arg;
	puts(c->id);
}

int main(int argc, char **argv)
{
	enum {
		O_CHECK = 256,
		O_MARKDOWN,
		O_TIMEOUT,
		O_RANDOM,
		O_SCENARIO,
		O_NO_WAIT,
		O_RESTORE,
		O_ALLOW_OOPS,
		O_XPASS_OK,
		O_REPEAT,
		O_REPEAT_TAP
	};
	static const struct option longopts[] = {
		{ "filter", required_argument, NULL, 'f' },
		{ "list", no_argument, NULL, 'l' },
		{ "seed", required_argument, NULL, 's' },
		{ "profile", required_argument, NULL, 'p' },
		{ "junit", required_argument, NULL, 'j' },
		{ "kcidb", required_argument, NULL, 'k' },
		{ "timeout-ms", required_argument, NULL, O_TIMEOUT },
		{ "random", required_argument, NULL, O_RANDOM },
		{ "scenario", required_argument, NULL, O_SCENARIO },
		{ "check-spec", no_argument, NULL, O_CHECK },
		{ "spec-markdown", optional_argument, NULL, O_MARKDOWN },
		{ "model-markdown", no_argument, NULL, 'm' },
		{ "no-wait", no_argument, NULL, O_NO_WAIT },
		{ "allow-oops", no_argument, NULL, O_ALLOW_OOPS },
		{ "restore", no_argument, NULL, O_RESTORE },
		{ "xpass-ok", no_argument, NULL, O_XPASS_OK },
		{ "repeat", required_argument, NULL, O_REPEAT },
		{ "repeat-tap", required_argument, NULL, O_REPEAT_TAP },
		{ "help", no_argument, NULL, 'h' },
	};
	struct option opts[ARRAY_SIZE(longopts) + PMIG_KCIDB_FIELD_COUNT + 1];
	struct pmig_kcidb_ident ident = { 0 };
	struct pmig_conform_opts o = { .timeout_ms = 20000,
				       .seed = (uint64_t)time(NULL) };
	const char *junit = NULL, *kcidb = NULL;
	bool list = false, scenario = false, no_wait = false, restore = false;
	bool xpass_ok = false;
	unsigned repeat = 0;
	const char *repeat_tap = NULL;
	static char note[4096];
	struct pmig_run *run;
	struct utsname u;
	int opt, err, code;
	size_t flaky = 0;

	pmig_cli_kcidb_longopts(opts, longopts, ARRAY_SIZE(longopts));
	/* The environment first: an option given overrides its variable. */
	code = pmig_cli_kcidb_env(CMD, &ident);
	if (code)
		return code;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		code = pmig_cli_kcidb_option(CMD, &ident, opt, optarg);
		if (code != 1) {
			if (code)
				return code;
			continue;
		}
		switch (opt) {
		case 'f':
			o.filter = optarg;
			break;
		case 'l':
			list = true;
			break;
		case 's':
			o.seed = number("--seed", optarg, UINT64_MAX);
			break;
		case 'p':
			if (pmig_kver_parse(optarg, &o.profile))
				return pmig_cli_bad(
					CMD,
					"--profile '%s' is not a kernel version",
					optarg);
			o.profile_forced = true;
			break;
		case 'j':
			junit = optarg;
			break;
		case 'k':
			kcidb = optarg;
			break;
		case O_TIMEOUT:
			o.timeout_ms = (unsigned)number("--timeout-ms", optarg,
							MAX_TIMEOUT_MS);
			if (!o.timeout_ms)
				return pmig_cli_bad(
					CMD, "--timeout-ms needs at least 1");
			break;
		case O_RANDOM:
			o.random = number("--random", optarg, UINT64_MAX);
			if (!o.random)
				return pmig_cli_bad(
					CMD,
					"--random needs at least 1 scenario");
			break;
		case O_SCENARIO:
			o.scenario = number("--scenario", optarg, UINT64_MAX);
			scenario = true;
			break;
		case O_CHECK:
			return pmig_spec_check(stderr);
		case O_MARKDOWN:
			if (pmig_spec_markdown(stdout, optarg))
				return pmig_cli_bad(
					CMD,
					"--spec-markdown: cannot read a pmig matrix TSV from '%s'",
					optarg);
			return 0;
		case 'm':
			return pmig_model_markdown(stdout) ? 1 : 0;
		case O_ALLOW_OOPS:
			o.allow_oops = true;
			break;
		case O_REPEAT:
			repeat = (unsigned)number("--repeat", optarg,
						  MAX_REPEAT);
			if (!repeat)
				return pmig_cli_bad(
					CMD, "--repeat needs at least 1");
			break;
		case O_REPEAT_TAP:
			repeat_tap = optarg;
			break;
		case O_XPASS_OK:
			xpass_ok = true;
			break;
		case O_NO_WAIT:
			no_wait = true;
			break;
		case O_RESTORE:
			restore = true;
			break;
		case 'h':
			fputs(usage, stdout);
			pmig_cli_kcidb_help(stdout);
			return 0;
		case ':':
			return pmig_cli_bad(CMD, "%s needs an argument",
					    argv[optind - 1]);
		default:
			return pmig_cli_getopt_bad(CMD, opt, argv,
						   " (see --help)");
		}
	}
	if (optind < argc)
		return pmig_cli_bad(CMD, "unexpected argument '%s'",
				    argv[optind]);
	if (restore)
		return pmig_cli_restore(CMD);
	if (scenario && !o.random)
		return pmig_cli_bad(CMD, "--scenario needs --random");
	if (o.random && (o.filter || list))
		return pmig_cli_bad(
			CMD,
			"--random runs scenarios, not cases: no --filter or --list");
	if (!o.random && !pmig_cases_each(o.filter, NULL, NULL))
		return pmig_cli_bad(
			CMD, "no case matches --filter '%s' (see --list)",
			o.filter);
	if (list) {
		pmig_cases_each(o.filter, print_id, NULL);
		return 0;
	}
	if (repeat_tap && !repeat)
		return pmig_cli_bad(CMD, "--repeat-tap needs --repeat");
	if (repeat)
		check_repeat_tap(repeat_tap ? repeat_tap : DEFAULT_REPEAT_TAP,
				 repeat);
	if (junit)
		check_writable("--junit", junit);
	if (kcidb)
		check_writable("--kcidb", kcidb);
	pmig_cli_args_checked();
	if (!o.profile_forced) {
		uname(&u);
		if (pmig_kver_running(&o.profile)) {
			fprintf(stderr,
				"pmig conform: cannot parse kernel release '%s'; use --profile\n",
				u.release);
			return 2;
		}
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	/* Before any change: one run per machine, and a killed run's changes undone first. */
	code = pmig_cli_begin_run(CMD, no_wait, note, sizeof(note));
	if (code)
		return code;
	o.note = note;
	if (repeat)
		err = run_repeated(&o, repeat,
				   repeat_tap ? repeat_tap : DEFAULT_REPEAT_TAP,
				   xpass_ok, &run, &flaky);
	else
		err = pmig_conform_run(&o, &run);
	if (err) {
		printf("Bail out! cannot start: %s\n", strerror(-err));
		return 1;
	}
	pmig_run_set_xpass_fails(run, !xpass_ok);
	code = flaky ? 1 : pmig_run_exit_code(run);
	if (junit &&
	    (err = pmig_outfile_write_run(junit, run, pmig_junit_write))) {
		fprintf(stderr, "pmig conform: writing %s: %s\n", junit,
			strerror(-err));
		code = 1;
	}
	if (kcidb && (err = pmig_outfile_write_kcidb(kcidb, run, &ident))) {
		fprintf(stderr, "pmig conform: writing %s: %s\n", kcidb,
			strerror(-err));
		code = 1;
	}
	pmig_run_free(run);
	return code;
}
