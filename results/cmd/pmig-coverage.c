/* pmig-coverage.c - `pmig coverage`: a run's coverage.raw turned into coverage.json (per file and function of the migration code, reached or not, by which cases), two results compared, docs/COVERAGE.md written. */
#include "cli.h"
#include "covdiff.h"
#include "covdoc.h"
#include "covjson.h"
#include "coverage.h"
#include "outfile.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define CMD "pmig coverage"

static const char usage[] =
	"usage: pmig-coverage --map SYSTEM.MAP --functions TABLE [OPTIONS] RUN_DIR\n"
	"       pmig-coverage diff A B\n"
	"       pmig-coverage --doc [RESULT.json...]\n"
	"Turn RUN_DIR/coverage.raw (the kernel translation blocks a pmig vm\n"
	"--coverage guest executed, per epoch) and RUN_DIR/coverage-epochs.tsv\n"
	"(the epochs' case names) into RUN_DIR/coverage.json: for each file of\n"
	"the migration code (results/coverage_scope.def), each function reached\n"
	"or not (\"inlined\": no code of its own in this build, not counted),\n"
	"how often, and by which cases; reached only by the boot or pmig's\n"
	"runner is not the suite's. TABLE is pmig-covdwarf's table of the\n"
	"kernel's functions, SYSTEM.MAP its symbols (pmig coverage RUN_DIR finds\n"
	"both for a Debian kernel). Prints reached/total per file.\n"
	"diff: what the suite reaches in A and not in B and the reverse (A, B:\n"
	"coverage.json files or run directories holding one).\n"
	"--doc: docs/COVERAGE.md on stdout, from the results of any number of\n"
	"kernels, with the reasons of results/coverage_reasons.def.\n"
	"Exit 0; 2 on bad input; 1 when a file cannot be read or written.\n"
	"\n"
	"  --map FILE             the kernel's System.map\n"
	"  --functions FILE       pmig-covdwarf's table for the kernel\n"
	"  --release R            the kernel release, for the JSON\n"
	"  --package P            the Debian package the symbols came from\n"
	"  --package-version V    its version\n"
	"  --out FILE             write there instead of RUN_DIR/coverage.json\n"
	"  --help                 print this help and exit\n";

enum {
	OPT_MAP = 256,
	OPT_FUNCS,
	OPT_RELEASE,
	OPT_PKG,
	OPT_PKGVER,
	OPT_OUT,
	OPT_DOC,
	OPT_HELP
};

static const struct option options[] = {
	{ "map", required_argument, NULL, OPT_MAP },
	{ "functions", required_argument, NULL, OPT_FUNCS },
	{ "release", required_argument, NULL, OPT_RELEASE },
	{ "package", required_argument, NULL, OPT_PKG },
	{ "package-version", required_argument, NULL, OPT_PKGVER },
	{ "out", required_argument, NULL, OPT_OUT },
	{ "doc", no_argument, NULL, OPT_DOC },
	{ "help", no_argument, NULL, OPT_HELP },
	{ NULL, 0, NULL, 0 },
};

struct args {
	const char *map, *funcs, *release, *pkg, *pkgver, *out, *dir;
};

static FILE *open_in(const char *path, int *rc)
{
	FILE *f = fopen(path, "r");

	if (!f)
		*rc = pmig_cli_bad(CMD, "%s: %s", path, strerror(errno));
	return f;
}

/* coverage.json at @arg, or in @arg when it is a directory. */
static int load(const char *arg, struct pmig_cov *c)
{
	char path[PATH_MAX], why[256] = "";
	struct stat st;
	int rc;

	if (!stat(arg, &st) && S_ISDIR(st.st_mode))
		snprintf(path, sizeof(path), "%s/coverage.json", arg);
	else
		snprintf(path, sizeof(path), "%s", arg);
	rc = pmig_covjson_read(path, c, why, sizeof(why));
	if (rc == -EINVAL)
		return pmig_cli_bad(CMD, "%s: %s", path, why);
	if (rc)
		return pmig_cli_bad(CMD, "%s: %s", path, strerror(-rc));
	return 0;
}

static int diff(int argc, char **argv)
{
	struct pmig_cov a, b;
	struct pmig_covdiff d;
	int rc;

	if (argc != 3)
		return pmig_cli_bad(CMD,
				    "diff: expected A and B, got %d arguments",
				    argc - 1);
	rc = load(argv[1], &a);
	if (rc)
		return rc;
	rc = load(argv[2], &b);
	if (rc) {
		pmig_cov_free(&a);
		return rc;
	}
	rc = pmig_covdiff(&a, &b, &d);
	if (!rc) {
		pmig_covdiff_print(stdout, &a, &b, &d, false);
		pmig_covdiff_free(&d);
	}
	pmig_cov_free(&a);
	pmig_cov_free(&b);
	return rc ? 1 : 0;
}

static int doc(int n, char **paths)
{
	struct pmig_cov *runs;
	int i, rc = 0;

	/* None: the document says how to record one. */
	runs = calloc(n ? (size_t)n : 1, sizeof(*runs));
	if (!runs)
		return 1;
	for (i = 0; i < n && !rc; i++)
		rc = load(paths[i], &runs[i]);
	if (!rc && pmig_covdoc_write(stdout, runs, (size_t)n))
		rc = 1;
	while (i--)
		pmig_cov_free(&runs[i]);
	free(runs);
	return rc;
}

static int read_inputs(const struct args *a, struct pmig_covtable *t,
		       struct pmig_symmap *m, struct pmig_covraw *raw)
{
	char path[PATH_MAX], err[256] = "";
	FILE *f, *labels;
	size_t line;
	int rc = 0;

	if (!(f = open_in(a->funcs, &rc)))
		return rc;
	rc = pmig_covtable_read(f, pmig_cov_scope, pmig_cov_nscope, t, err,
				sizeof(err));
	fclose(f);
	if (rc)
		return pmig_cli_bad(CMD, "%s: %s", a->funcs,
				    rc == -EINVAL ? err : strerror(-rc));
	if (!(f = open_in(a->map, &rc)))
		return rc;
	rc = pmig_symmap_read(f, m, &line);
	fclose(f);
	if (rc == -EINVAL)
		return pmig_cli_bad(CMD, "%s line %zu: not \"HEX TYPE NAME\"",
				    a->map, line);
	if (rc == -ENOENT)
		return pmig_cli_bad(
			CMD,
			"%s: no text symbol (Debian's linux-image has a stub; the real one is in linux-image-RELEASE-dbg)",
			a->map);
	if (rc)
		return pmig_cli_bad(CMD, "%s: %s", a->map, strerror(-rc));
	snprintf(path, sizeof(path), "%s/coverage.raw", a->dir);
	if (!(f = open_in(path, &rc)))
		return rc;
	snprintf(path, sizeof(path), "%s/coverage-epochs.tsv", a->dir);
	labels = fopen(path, "r");
	rc = pmig_covraw_read(f, labels, raw, err, sizeof(err));
	fclose(f);
	if (labels)
		fclose(labels);
	if (rc)
		return pmig_cli_bad(CMD, "%s: %s", a->dir,
				    rc == -EINVAL ? err : strerror(-rc));
	return 0;
}

static int set(char **dst, const char *s)
{
	if (!s)
		return 0;
	*dst = strdup(s);
	return *dst ? 0 : -ENOMEM;
}

static void summary(const struct pmig_cov *c)
{
	struct pmig_cov_counts n;
	size_t i;

	printf("%-28s %9s %9s %7s\n", "file", "reached", "by suite", "inlined");
	for (i = 0; i < c->nfiles; i++) {
		const struct pmig_cov_file *f = &c->files[i];

		if (!f->nfuncs) {
			printf("%-28s not built in this kernel\n", f->path);
			continue;
		}
		n = pmig_cov_count(c, f);
		printf("%-28s %4zu/%-4zu %4zu/%-4zu %7zu\n", f->path, n.reached,
		       n.total, n.suite, n.total, n.nocode);
	}
	n = pmig_cov_count(c, NULL);
	printf("%-28s %4zu/%-4zu %4zu/%-4zu %7zu\n", "all", n.reached, n.total,
	       n.suite, n.total, n.nocode);
}

static int build(const struct args *a)
{
	struct pmig_covtable t = { 0 };
	struct pmig_symmap m = { 0 };
	struct pmig_covraw raw = { 0 };
	struct pmig_cov c = { 0 };
	char out[PATH_MAX], tmp[PATH_MAX + 16];
	FILE *f = NULL;
	int rc;

	if (a->out)
		snprintf(out, sizeof(out), "%s", a->out);
	else
		snprintf(out, sizeof(out), "%s/coverage.json", a->dir);
	rc = pmig_outfile_check(out);
	if (rc)
		return pmig_cli_bad(CMD, "cannot write %s: %s", out,
				    strerror(-rc));
	rc = read_inputs(a, &t, &m, &raw);
	if (!rc) {
		rc = pmig_cov_build(&c, &t, &m, &raw);
		if (!rc)
			rc = set(&c.release, a->release);
		if (!rc)
			rc = set(&c.package, a->pkg);
		if (!rc)
			rc = set(&c.package_version, a->pkgver);
		if (!rc)
			rc = pmig_outfile_open(out, tmp, sizeof(tmp), &f);
		if (!rc)
			rc = pmig_outfile_commit(f, tmp, out,
						 pmig_covjson_write(&c, f));
		if (rc) {
			fprintf(stderr, CMD ": %s: %s\n", out, strerror(-rc));
			rc = 1;
		} else {
			summary(&c);
			if (c.unnamed)
				fprintf(stderr,
					CMD
					": warning: %zu code ranges start where System.map has no symbol: is it this kernel's?\n",
					c.unnamed);
		}
	}
	pmig_cov_free(&c);
	pmig_covraw_free(&raw);
	pmig_symmap_free(&m);
	pmig_covtable_free(&t);
	return rc;
}

int main(int argc, char **argv)
{
	struct args a = { 0 };
	int opt, want_doc = 0;

	if (argc > 1 && !strcmp(argv[1], "diff"))
		return diff(argc - 1, argv + 1);
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":", options, NULL)) != -1) {
		switch (opt) {
		case OPT_MAP:
			a.map = optarg;
			break;
		case OPT_FUNCS:
			a.funcs = optarg;
			break;
		case OPT_RELEASE:
			a.release = optarg;
			break;
		case OPT_PKG:
			a.pkg = optarg;
			break;
		case OPT_PKGVER:
			a.pkgver = optarg;
			break;
		case OPT_OUT:
			a.out = optarg;
			break;
		case OPT_DOC:
			want_doc = 1;
			break;
		case OPT_HELP:
			fputs(usage, stdout);
			return 0;
		default:
			return pmig_cli_getopt_bad(CMD, opt, argv,
						   " (try --help)");
		}
	}
	if (want_doc)
		return doc(argc - optind, argv + optind);
	if (optind + 1 != argc)
		return pmig_cli_bad(CMD, "expected one RUN_DIR, got %d",
				    argc - optind);
	if (!a.map || !a.funcs)
		return pmig_cli_bad(
			CMD,
			"--map and --functions are needed (pmig coverage RUN_DIR finds them for a Debian kernel)");
	a.dir = argv[optind];
	return build(&a);
}
