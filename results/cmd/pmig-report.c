/* pmig-report.c - `pmig report DIR`: report.md and a self-contained report.html with gnuplot plots from a run directory, and the benchmarks as KCIDB and JUnit. */
#include "bench_results.h"
#include "benchjson.h"
#include "cli.h"
#include "kcidb_ident.h"
#include "outfile.h"
#include "output.h"
#include "report.h"

#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CMD "pmig report"

static const char usage[] =
	"usage: pmig report [--format svg|png] DIR\n"
	"Write DIR/report.md and DIR/report.html (self-contained: plots inlined)\n"
	"from a run directory: the conformance results (conform.kcidb.json of\n"
	"DIR and its subdirectories, matrix *.tsv), the benchmark JSON files\n"
	"(*.json with a \"benchmarks\" array) with plots drawn by gnuplot into\n"
	"DIR/plots/, the tiering strategies' runs (convergence plots per kernel,\n"
	"a table of their figures), the kernel coverage (coverage.json: per\n"
	"file reached/total, functions not reached, two runs' difference), the\n"
	"topology and the VM command line. Each\n"
	"benchmark file X.json also gets X.kcidb.json (benchmarks as KCIDB\n"
	"tests, status DONE with a number) and X.junit.xml beside it. Plots of\n"
	"a run in a TCG guest\n"
	"say so. Exit 0; 2 on bad input (the report then leaves it out and says\n"
	"so); 1 when the report cannot be written.\n"
	"\n"
	"  --format svg|png  plot format (default svg)\n"
	"  --kcidb-...       the exports' KCIDB identity, as pmig conform takes it\n"
	"  --help            print this help and exit\n";

enum { OPT_FORMAT = 256, OPT_HELP };

static const struct option options[] = {
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "help", no_argument, NULL, OPT_HELP },
};

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* "@dir/@sub" or @dir; malloc()ed. */
static char *join(const char *dir, const char *sub)
{
	char *p;

	if (asprintf(&p, "%s%s%s", dir, sub ? "/" : "", sub ? sub : "") < 0)
		return NULL;
	return p;
}

static void run_facts(struct report_doc *d, char **subs)
{
	const char *label;
	char *text, *where, command[512], cpu[128];
	size_t i;

	text = report_read_text(d->dir, "INCOMPLETE");
	if (text) {
		report_note(d, "This run is INCOMPLETE: %s", text);
		free(text);
	}
	for (i = 0; i == 0 || subs[i - 1]; i++) {
		const char *sub = i ? subs[i - 1] : NULL;

		where = join(d->dir, sub);
		if (!where)
			break;
		label = report_timing_label(where, NULL);
		/*
		 * A guest that ran no benchmark (pmig run's conformance guest)
		 * has no timings to label: the Run section shows its vm.txt.
		 */
		if (report_vm_fact(where, "command", command,
				   sizeof(command)) &&
		    strncmp(command, "pmig bench", 10))
			label = NULL;
		if (!report_vm_fact(where, "cpu", cpu, sizeof(cpu)))
			cpu[0] = '\0';
		if (label)
			report_note(
				d,
				"%s: %s ran in a QEMU guest under %s%s%s (%s/vm.txt).",
				label, sub ? sub : "this run",
				!strcmp(label, PMIG_EMULATED_LABEL) ?
					"TCG" :
					"TCG icount",
				cpu[0] ? ", CPU model " : "", cpu,
				sub ? sub : ".");
		free(where);
	}
	report_h(d, 2, "Run");
	for (i = 0; i == 0 || subs[i - 1]; i++) {
		const char *sub = i ? subs[i - 1] : NULL;
		char *title;

		where = join(d->dir, sub);
		if (!where)
			break;
		if ((text = report_read_text(where, "topology.txt"))) {
			if (asprintf(&title, "Topology: %s",
				     sub ? sub : "this machine") >= 0) {
				report_h(d, 3, title);
				free(title);
			}
			report_pre(d, text);
			free(text);
		}
		if ((text = report_read_text(where, "vm.txt"))) {
			if (asprintf(&title, "VM: %s/vm.txt", sub) >= 0) {
				report_h(d, 3, title);
				free(title);
			}
			report_pre(d, text);
			free(text);
		}
		if ((text = report_read_text(where, "qemu.cmdline"))) {
			report_p(
				d,
				"The exact QEMU command line (%s/qemu.cmdline):",
				sub ? sub : ".");
			report_pre(d, text);
			free(text);
		}
		free(where);
	}
}

/* X.json -> X.kcidb.json and X.junit.xml beside it. */
static void exports(struct report_doc *d, const struct pmig_bj *bj,
		    const char *path, const char *rel,
		    const struct pmig_kcidb_ident *ident)
{
	struct pmig_run *run = pmig_bench_run_from_json(bj);
	size_t base = strlen(path) - strlen(".json");
	char *kcidb = NULL, *junit = NULL;
	int err = -ENOMEM;

	if (!run)
		goto out;
	if (asprintf(&kcidb, "%.*s.kcidb.json", (int)base, path) < 0 ||
	    asprintf(&junit, "%.*s.junit.xml", (int)base, path) < 0)
		goto out;
	err = pmig_outfile_write_kcidb(kcidb, run, ident);
	if (!err)
		err = pmig_outfile_write_run(junit, run, pmig_junit_write);
	if (!err)
		report_p(
			d,
			"Exports of %s: %.*s.kcidb.json (KCIDB v5.3, benchmarks as tests with status DONE and a number) and %.*s.junit.xml.",
			rel, (int)(strlen(rel) - 5), rel,
			(int)(strlen(rel) - 5), rel);
out:
	if (err)
		report_fail(d, "%s: cannot write its KCIDB/JUnit export (%s)",
			    path, strerror(-err));
	free(kcidb);
	free(junit);
	pmig_run_free(run);
}

/*
 * One candidate file, a .json but not a KCIDB export; 1 if it was benchmark
 * JSON. @arg is the exports' KCIDB identity.
 */
static int bench_file(struct report_doc *d, const struct report_file *f,
		      void *arg)
{
	char *stem, *p, why[256];
	struct pmig_bj *bj = NULL;
	const char *emu;
	int err;

	if (!report_maybe_bench_json(f))
		return 0;
	err = pmig_bj_load(f->path, &bj, why, sizeof(why));
	if (err) {
		/* Other JSON files are not ours to judge. */
		if (strncmp(why, "not Google Benchmark JSON", 25))
			report_bad_input(d, "%s: %s", f->rel, why);
		return 0;
	}
	stem = strndup(f->rel, strlen(f->rel) - strlen(".json"));
	for (p = stem; p && *p; p++)
		if (*p == '/')
			*p = '-';
	emu = pmig_bj_emulation(bj);
	if (stem) {
		report_bench(d, bj, f->rel, stem,
			     report_timing_label(f->dir, emu));
		exports(d, bj, f->path, f->rel, arg);
	}
	free(stem);
	pmig_bj_free(bj);
	return 1;
}

static void benchmarks(struct report_doc *d, char **subs,
		       struct pmig_kcidb_ident *ident)
{
	report_h(d, 2, "Benchmarks");
	if (!report_each_file(d, subs, bench_file, ident)) {
		report_note(
			d,
			"No benchmark JSON in this directory (pmig bench --out FILE.json writes one): no benchmark table or plots.");
	}
}

/* A row of the file list: every file but the report's own half-written ones. */
static int file_row(struct report_doc *d, const struct report_file *f,
		    void *arg)
{
	const char *cells[2];
	char size[32];
	struct stat sb;

	(void)arg;
	if (report_ends_with(f->name, ".tmp") || stat(f->path, &sb))
		return 0;
	snprintf(size, sizeof(size), "%lld", (long long)sb.st_size);
	cells[0] = f->rel;
	cells[1] = size;
	report_table_row(d, 2, cells);
	return 1;
}

static void file_list(struct report_doc *d, char **subs)
{
	static const char *const head[] = { "file", "bytes" };

	report_h(d, 2, "Files");
	report_table_begin(d, 2, head);
	report_each_file(d, subs, file_row, NULL);
	report_table_end(d);
	report_p(
		d,
		"results/README.md in the pmig sources says what each file is and which command writes it.");
}

/* Moves report.{md,html}.tmp into place, or removes them on @fail. */
static int finish(const char *dir, bool fail)
{
	static const char *const names[] = { "report.md", "report.html" };
	char *tmp, *final;
	int err = 0;
	size_t i;

	for (i = 0; i < 2; i++) {
		tmp = NULL;
		final = join(dir, names[i]);
		if (!final || asprintf(&tmp, "%s.tmp", final) < 0) {
			free(final);
			return -ENOMEM;
		}
		if (fail)
			unlink(tmp);
		else if (rename(tmp, final) && !err)
			err = -errno;
		free(tmp);
		free(final);
	}
	return err;
}

int main(int argc, char **argv)
{
	struct report_doc d;
	const char *dir, *base;
	char title[512], **subs;
	struct option opts[ARRAY_SIZE(options) + PMIG_KCIDB_FIELD_COUNT + 1];
	struct pmig_kcidb_ident ident = { 0 };
	bool png = false;
	struct stat sb;
	int opt, err;

	pmig_cli_kcidb_longopts(opts, options, ARRAY_SIZE(options));
	/* The environment first: an option given overrides its variable. */
	err = pmig_cli_kcidb_env(CMD, &ident);
	if (err)
		return err;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		err = pmig_cli_kcidb_option(CMD, &ident, opt, optarg);
		if (err != 1) {
			if (err)
				return err;
			continue;
		}
		switch (opt) {
		case OPT_FORMAT:
			if (strcmp(optarg, "svg") && strcmp(optarg, "png"))
				return pmig_cli_bad(
					CMD, "bad --format '%s' (svg or png)",
					optarg);
			png = !strcmp(optarg, "png");
			break;
		case OPT_HELP:
			fputs(usage, stdout);
			pmig_cli_kcidb_help(stdout);
			return fflush(stdout) ? EXIT_FAILURE : EXIT_SUCCESS;
		case ':':
		default:
			return pmig_cli_getopt_bad(CMD, opt, argv,
						   " (see pmig report --help)");
		}
	}
	if (argc - optind != 1)
		return pmig_cli_bad(CMD, "%s",
				    argc - optind ? "too many arguments" :
						    "needs a run directory");
	dir = argv[optind];
	if (stat(dir, &sb) || !S_ISDIR(sb.st_mode) || access(dir, W_OK))
		return pmig_cli_bad(CMD, "'%s' is not a writable directory",
				    dir);
	base = strrchr(dir, '/') && strrchr(dir, '/')[1] ?
		       strrchr(dir, '/') + 1 :
		       dir;
	snprintf(title, sizeof(title), "pmig report: %s", base);
	err = report_doc_open(&d, dir, title, png);
	if (err) {
		fprintf(stderr, "pmig report: cannot write in '%s' (%s)\n", dir,
			strerror(-err));
		return EXIT_FAILURE;
	}
	subs = report_subdirs(dir);
	if (!subs) {
		report_fail(&d, "out of memory");
	} else {
		run_facts(&d, subs);
		report_conformance(&d);
		report_kernels(&d, subs);
		benchmarks(&d, subs, &ident);
		report_tiering(&d, subs);
		report_coverage(&d, subs);
		file_list(&d, subs);
	}
	report_free_list(subs);
	if (report_doc_close(&d))
		report_fail(&d, "write error");
	if (!d.why && finish(dir, false))
		report_fail(&d, "cannot move the report into place");
	if (d.why) {
		finish(dir, true);
		fprintf(stderr, "pmig report: %s\n", d.why);
		free(d.why);
		free(d.bad_input);
		return EXIT_FAILURE;
	}
	printf("pmig report: %s/report.html, %s/report.md\n", dir, dir);
	if (d.bad_input) {
		pmig_cli_bad(CMD, "%s (left out of the report)", d.bad_input);
		free(d.bad_input);
		return PMIG_EXIT_USAGE;
	}
	return fflush(stdout) ? EXIT_FAILURE : EXIT_SUCCESS;
}
