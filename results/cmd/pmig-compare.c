/* pmig-compare.c - `pmig compare BASE.json NEW.json`: the benchmark regression gate, one row per benchmark, exit 1 on a regression; several boots a side (BASE... -- NEW...) and --spread go to boot_compare.c. */
#include "benchjson.h"
#include "boot_compare.h"
#include "cli.h"
#include "compare.h"
#include "size.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CMD "pmig compare"
#define EXIT_REGRESSION 1

static const char usage[] =
	"usage: pmig compare [OPTIONS] BASE.json NEW.json\n"
	"       pmig compare [OPTIONS] BASE1.json BASE2.json... -- NEW1.json NEW2.json...\n"
	"       pmig compare --spread [--metric NAME] FILE1.json FILE2.json...\n"
	"Compare two benchmark runs (Google Benchmark JSON, with or without\n"
	"pmig's raw samples) benchmark by benchmark. A benchmark regresses when\n"
	"its median is worse by at least the threshold AND a two-sided\n"
	"Mann-Whitney U test on the raw samples gives p < alpha. Samples are\n"
	"every timed call where both files have pmig's \"call_ns\", else one\n"
	"real_time per repetition. Exit 1 on a regression, 0 otherwise, 2 on\n"
	"bad input.\n"
	"\n"
	"Instruction-counted runs (pmig vm --clock icount) repeat boot after\n"
	"boot, so when both files are, the default threshold is 1%; comparing\n"
	"one with a wall-clock run is bad input. Plain-TCG runs (QEMU without\n"
	"icount: the context says \"emulated (QEMU TCG)\") time the emulation as\n"
	"much as the kernel, and two of one build differ by about 20%: a file of\n"
	"them is refused (exit 2) unless --allow-emulated, and then the output\n"
	"says the timings are functional only. Files that record different QEMU\n"
	"CPU models (the context's pmig_cpu_model, pmig vm --cpu) are refused\n"
	"(exit 2) whatever the clock: the kernel picks its copy and clear\n"
	"routines by the model.\n"
	"\n"
	"Several boots a side (files before and after '--', at least 2 each):\n"
	"each file is one boot and its median one value. Boots that differ only\n"
	"in layout (a kernel parameter nothing reads, another build of pmig)\n"
	"differ by up to 2.2% under icount (bench/README.md), so the boot is the\n"
	"unit: per benchmark, effect = ratio of the sides' geometric means - 1,\n"
	"with a (1 - alpha) Welch t interval from the boots' spread of\n"
	"ln(median); a regression is an interval wholly worse by the threshold\n"
	"or more (an improvement the same the other way). Fewer than 2 files on\n"
	"a side is bad input. --layout FILE (what --spread printed for many\n"
	"boots of one kernel) raises each side's sd to that benchmark's measured\n"
	"layout sd: three boots can share one layout mode and show no spread.\n"
	"--spread prints, per benchmark, the boots' medians' min, max, max/min-1\n"
	"and sd of ln(median).\n"
	"\n"
	"Tiering runs (pmig \"kind\": \"tiering\": a time to converge, or the\n"
	"run's limit when it did not) are listed, not compared; pmig report\n"
	"shows them.\n"
	"\n"
	"  --alpha A          significance level (default 0.05)\n"
	"  --threshold PCT    minimum change of the median in percent (default 5,\n"
	"                     1 for two instruction-counted runs)\n"
	"  --min-samples N    fewer samples on a side: insufficient (default 5)\n"
	"  --metric NAME      'time' (default: lower is better) or a counter such\n"
	"                     as bytes_per_second, one sample per repetition\n"
	"                     (higher is better unless --lower-is-better)\n"
	"  --lower-is-better  the counter named by --metric is a cost\n"
	"  --allow-emulated   compare plain-TCG timings anyway (functional only)\n"
	"  --layout FILE      several boots a side: the --spread table of a layout\n"
	"                     pool; each side's sd is at least the measured one\n"
	"  --spread           print the spread of the files' medians (boots)\n"
	"  --help             print this help and exit\n";

enum {
	OPT_ALPHA = 256,
	OPT_THRESHOLD,
	OPT_MIN,
	OPT_METRIC,
	OPT_LOWER,
	OPT_EMULATED,
	OPT_LAYOUT,
	OPT_SPREAD,
	OPT_HELP
};

static const struct option options[] = {
	{ "alpha", required_argument, NULL, OPT_ALPHA },
	{ "threshold", required_argument, NULL, OPT_THRESHOLD },
	{ "min-samples", required_argument, NULL, OPT_MIN },
	{ "metric", required_argument, NULL, OPT_METRIC },
	{ "lower-is-better", no_argument, NULL, OPT_LOWER },
	{ "allow-emulated", no_argument, NULL, OPT_EMULATED },
	{ "layout", required_argument, NULL, OPT_LAYOUT },
	{ "spread", no_argument, NULL, OPT_SPREAD },
	{ "help", no_argument, NULL, OPT_HELP },
	{ NULL, 0, NULL, 0 },
};

struct opts {
	struct pmig_compare_rule rule;
	bool threshold_given;
	const char *metric; /* NULL: time */
	enum pmig_direction dir;
	bool allow_emulated;
	/* Which side is plain TCG, compared as asked: "base", "new", "base and new"; NULL. */
	const char *emulated;
	const char *layout; /* --layout FILE */
	bool spread; /* --spread */
	int sep; /* argv index of the '--' between the sides, or 0 */
};

/* Counts for the closing line. */
struct tally {
	size_t compared, same, improved, insufficient, errored;
	size_t regressed;
	const char **regressed_name; /* room for every benchmark of base */
	size_t only_base, only_new;
	size_t lacking; /* OK on both sides, but without the --metric counter */
	size_t tiering; /* tiering runs in either file, never compared */
};

/*
 * A tiering strategy's run (pmig "kind" "tiering") is not compared: its time
 * is the time to converge, or the run's limit when it did not, so a strategy
 * that stopped converging would read as the same or faster; it is one
 * iteration a run, set by the kernel's scan and reclaim periods more than
 * by code. pmig report's Tiering section compares strategies and kernels.
 */
static bool tiering(const struct pmig_bj *bj, const struct pmig_bj_bench *b)
{
	return b && pmig_bj_bench_tiering(bj, b);
}

static bool parse_double(const char *s, double *out)
{
	char *end;

	errno = 0;
	*out = strtod(s, &end);
	return !errno && end != s && !*end && isfinite(*out);
}

/* A time in ns as "1.234 ms"; other metrics as "%.4g". */
static void fmt_value(char *buf, size_t size, double v, bool time)
{
	if (time)
		pmig_measure_format(v / 1e9, "s", 4, buf, size);
	else if (isfinite(v))
		snprintf(buf, size, "%.4g", v);
	else
		snprintf(buf, size, "-");
}

static void fmt_change(char *buf, size_t size, double c)
{
	if (isnan(c))
		snprintf(buf, size, "-");
	else if (isinf(c))
		snprintf(buf, size, "%sinf", c > 0 ? "+" : "-");
	else
		snprintf(buf, size, "%+.1f%%", c * 100);
}

static void fmt_p(char *buf, size_t size, const struct pmig_comparison *c)
{
	if (c->verdict == PMIG_VERDICT_INSUFFICIENT)
		snprintf(buf, size, "-");
	else if (c->test.p < 1e-4)
		snprintf(buf, size, "<0.0001");
	else
		snprintf(buf, size, "%.4f", c->test.p);
}

static int name_width(const struct pmig_bj *a, const struct pmig_bj *b)
{
	size_t i, w = strlen("benchmark");

	for (i = 0; i < a->nbenches; i++)
		if (strlen(a->benches[i].name) > w)
			w = strlen(a->benches[i].name);
	for (i = 0; i < b->nbenches; i++)
		if (strlen(b->benches[i].name) > w)
			w = strlen(b->benches[i].name);
	return (int)w;
}

/* Samples of one side; -ENOMEM. */
static ssize_t side(const struct pmig_bj *bj, const struct pmig_bj_bench *b,
		    const struct opts *o, bool per_call, double **s)
{
	if (o->metric)
		return pmig_bj_counter_samples(bj, b, o->metric, s);
	return pmig_bj_time_samples(bj, b, per_call, s);
}

/* A benchmark that ran on one side only, or errored: reported, not compared. */
static bool not_run(const struct pmig_bj *base, const struct pmig_bj_bench *bb,
		    const struct pmig_bj *new_j, const struct pmig_bj_bench *nb,
		    int w, struct tally *t)
{
	static const char *const st_name[] = {
		[PMIG_BJ_ERROR] = "error", [PMIG_BJ_SKIPPED] = "skipped"
	};
	enum pmig_bj_state sb, sn;
	const char *mb, *mn;

	sb = pmig_bj_bench_state(base, bb, &mb);
	sn = pmig_bj_bench_state(new_j, nb, &mn);
	if (sb == PMIG_BJ_OK && sn == PMIG_BJ_OK)
		return false;
	t->errored++;
	if (sb != PMIG_BJ_OK && sn != PMIG_BJ_OK)
		printf("%-*s  %s in both: %s\n", w, bb->name, st_name[sn], mn);
	else if (sn != PMIG_BJ_OK)
		printf("%-*s  %s in new: %s\n", w, bb->name, st_name[sn], mn);
	else
		printf("%-*s  %s in base: %s\n", w, bb->name, st_name[sb], mb);
	return true;
}

static int compare_one(const struct pmig_bj *base,
		       const struct pmig_bj_bench *bb,
		       const struct pmig_bj *new_j,
		       const struct pmig_bj_bench *nb, const struct opts *o,
		       int w, struct tally *t)
{
	char vb[32], vn[32], ch[32], p[16], n[48];
	double *sb = NULL, *sn = NULL;
	struct pmig_comparison c;
	ssize_t nsb, nsn;
	bool per_call;
	int err = -ENOMEM;

	if (not_run(base, bb, new_j, nb, w, t))
		return 0;
	/* Per-call samples only when both sides have them: like for like. */
	per_call = !o->metric && pmig_bj_has_calls(base, bb) &&
		   pmig_bj_has_calls(new_j, nb);
	nsb = side(base, bb, o, per_call, &sb);
	nsn = side(new_j, nb, o, per_call, &sn);
	if (nsb < 0 || nsn < 0)
		goto out;
	/* A counter the benchmark does not have is no sample of it. */
	if (o->metric && (!nsb || !nsn)) {
		t->lacking++;
		printf("%-*s  no %s in %s\n", w, bb->name, o->metric,
		       !nsb && !nsn ? "either file" :
		       !nsb	    ? "base" :
				      "new");
		err = 0;
		goto out;
	}
	err = pmig_compare(sb, (size_t)nsb, sn, (size_t)nsn, o->dir, &o->rule,
			   &c);
	if (err)
		goto out;
	t->compared++;
	switch (c.verdict) {
	case PMIG_VERDICT_REGRESSION:
		t->regressed_name[t->regressed++] = bb->name;
		break;
	case PMIG_VERDICT_IMPROVEMENT:
		t->improved++;
		break;
	case PMIG_VERDICT_INSUFFICIENT:
		t->insufficient++;
		break;
	default:
		t->same++;
	}
	fmt_value(vb, sizeof(vb), c.median_base, !o->metric);
	fmt_value(vn, sizeof(vn), c.median_new, !o->metric);
	fmt_change(ch, sizeof(ch), c.change);
	fmt_p(p, sizeof(p), &c);
	snprintf(n, sizeof(n), "%zd/%zd %s", nsb, nsn,
		 o->metric ? "reps" :
		 per_call  ? "calls" :
			     "reps");
	printf("%-*s  %-16s %12s %12s %8s %8s  %s\n", w, bb->name, n, vb, vn,
	       ch, p, pmig_verdict_name(c.verdict));
out:
	free(sb);
	free(sn);
	return err;
}

/* Names of the benchmarks of @a missing from @b, on one line. */
static size_t list_missing(const char *label, const struct pmig_bj *a,
			   const struct pmig_bj *b)
{
	size_t i, n = 0;

	for (i = 0; i < a->nbenches; i++) {
		if (pmig_bj_find(b, a->benches[i].name) ||
		    tiering(a, &a->benches[i]))
			continue;
		printf("%s%s", n ? ", " : label, a->benches[i].name);
		n++;
	}
	if (n)
		printf("\n");
	return n;
}

/* The tiering runs of both files, each once, on one line; their count. */
static size_t list_tiering(const struct pmig_bj *base,
			   const struct pmig_bj *new_j)
{
	const struct pmig_bj *f[] = { base, new_j };
	size_t i, k, n = 0;

	for (k = 0; k < 2; k++)
		for (i = 0; i < f[k]->nbenches; i++) {
			const struct pmig_bj_bench *b = &f[k]->benches[i];

			if (!tiering(f[k], b) ||
			    (k && pmig_bj_find(base, b->name)))
				continue;
			printf("%s%s",
			       n ? ", " :
				   "tiering runs, not compared (pmig report shows them): ",
			       b->name);
			n++;
		}
	if (n)
		printf("\n");
	return n;
}

static int run(const char *base_path, const char *new_path,
	       const struct pmig_bj *base, const struct pmig_bj *new_j,
	       const struct opts *o)
{
	struct tally t = { 0 };
	char rule[512];
	size_t i;
	int w = name_width(base, new_j), err = 0;

	t.regressed_name =
		calloc(base->nbenches + 1, sizeof(*t.regressed_name));
	if (!t.regressed_name)
		return -ENOMEM;

	pmig_compare_rule_text(&o->rule, rule, sizeof(rule));
	printf("pmig compare: base %s, new %s\n", base_path, new_path);
	printf("metric: %s (%s is better)\n",
	       o->metric ? o->metric : "time per call or per repetition",
	       o->dir == PMIG_LOWER_IS_BETTER ? "lower" : "higher");
	printf("rule: %s\n", rule);
	if (o->emulated)
		printf("timings: plain-TCG in %s (QEMU without icount): functional only, not a measure of speed; compared as --allow-emulated asks\n",
		       o->emulated);
	printf("\n");
	printf("%-*s  %-16s %12s %12s %8s %8s  %s\n", w, "benchmark", "samples",
	       "base median", "new median", "change", "p", "verdict");
	for (i = 0; i < base->nbenches; i++) {
		const struct pmig_bj_bench *nb =
			pmig_bj_find(new_j, base->benches[i].name);

		if (!nb || tiering(base, &base->benches[i]) ||
		    tiering(new_j, nb))
			continue;
		err = compare_one(base, &base->benches[i], new_j, nb, o, w, &t);
		if (err)
			goto out;
	}
	printf("\n");
	t.only_base = list_missing("only in base, not compared: ", base, new_j);
	t.only_new = list_missing("only in new, not compared: ", new_j, base);
	t.tiering = list_tiering(base, new_j);
	if (t.regressed) {
		printf("result: REGRESSION in %zu of %zu compared benchmarks:",
		       t.regressed, t.compared);
		for (i = 0; i < t.regressed; i++)
			printf("%s %s", i ? "," : "", t.regressed_name[i]);
	} else {
		printf("result: no regression (%zu compared: %zu same, %zu improved, "
		       "%zu insufficient samples; %zu errored or skipped; %zu only in "
		       "one file",
		       t.compared, t.same, t.improved, t.insufficient,
		       t.errored, t.only_base + t.only_new);
		if (t.lacking)
			printf("; %zu without %s", t.lacking, o->metric);
		if (t.tiering)
			printf("; %zu tiering runs not compared", t.tiering);
		printf(")");
	}
	printf("%s\n",
	       o->emulated ? "; plain-TCG timings, functional only" : "");
	if (fflush(stdout) || ferror(stdout))
		err = -EIO;
out:
	free(t.regressed_name);
	if (err)
		return err;
	return t.regressed ? EXIT_REGRESSION : 0;
}

/*
 * Whether the pair's clocks may be compared (plain TCG only as asked), and
 * the threshold: deterministic figures support a finer one.
 */
static int fit_rule(const char *base_path, const struct pmig_bj *base,
		    const char *new_path, const struct pmig_bj *new_j,
		    struct opts *o)
{
	const char *eb = pmig_bj_emulation(base),
		   *en = pmig_bj_emulation(new_j);
	enum pmig_bj_clock cb = pmig_bj_emulation_clock(eb),
			   cn = pmig_bj_emulation_clock(en);
	bool tb = cb == PMIG_BJ_CLOCK_TCG, tn = cn == PMIG_BJ_CLOCK_TCG;
	const char *mb = pmig_bj_cpu_model(base),
		   *mn = pmig_bj_cpu_model(new_j);

	if (!pmig_compare_cpu_models(mb, mn))
		return pmig_cli_bad(
			CMD,
			"%s was counted on QEMU CPU model %s and %s on %s: the kernel copies and clears pages with other instructions on each (bench/README.md); take both with one pmig vm --cpu",
			base_path, mb, new_path, mn);
	switch (pmig_compare_clocks(cb, cn, o->allow_emulated)) {
	case PMIG_CLOCKS_MIXED:
		return pmig_cli_bad(
			CMD,
			"%s is instruction-counted and %s is not: their times are different units",
			cb == PMIG_BJ_CLOCK_ICOUNT ? base_path : new_path,
			cb == PMIG_BJ_CLOCK_ICOUNT ? new_path : base_path);
	case PMIG_CLOCKS_EMULATED:
		return pmig_cli_bad(
			CMD,
			"%s%s%s: plain-TCG timings (\"%s\": QEMU without icount, which times its own emulation too), noise rather than speed: take both with pmig vm --clock icount, or compare them anyway with --allow-emulated",
			tb ? base_path : "", tb && tn ? " and " : "",
			tn ? new_path : "", tb ? eb : en);
	case PMIG_CLOCKS_EMULATED_ALLOWED:
		o->emulated = tb && tn ? "base and new" : tb ? "base" : "new";
		break;
	default:
		break;
	}
	if (cb == PMIG_BJ_CLOCK_ICOUNT && !o->threshold_given)
		o->rule.min_change = PMIG_COMPARE_ICOUNT_MIN_CHANGE;
	return 0;
}

/* The time unit of @b's first OK repetition, or NULL. */
static const char *time_unit(const struct pmig_bj *bj,
			     const struct pmig_bj_bench *b)
{
	size_t i;

	for (i = 0; i < b->n; i++)
		if (pmig_bj_entry_of(bj, b, i)->state == PMIG_BJ_OK)
			return pmig_bj_entry_of(bj, b, i)->time_unit;
	return NULL;
}

/* Whether any repetition in @bj has the counter @key. */
static bool has_counter(const struct pmig_bj *bj, const char *key)
{
	size_t i;

	for (i = 0; i < bj->nentries; i++)
		if (!bj->entries[i].aggregate &&
		    isfinite(pmig_bj_counter(&bj->entries[i], key)))
			return true;
	return false;
}

/*
 * What would make every row meaningless, refused before any is printed: no
 * benchmark in common (a renamed set compares nothing and passes), a
 * --metric neither file has, a benchmark timed in another unit.
 */
static int check_pair(const char *base_path, const struct pmig_bj *base,
		      const char *new_path, const struct pmig_bj *new_j,
		      const struct opts *o)
{
	const struct pmig_bj_bench *bb, *nb;
	const char *ub, *un;
	size_t i, common = 0, tiering_common = 0;

	for (i = 0; i < base->nbenches; i++) {
		bb = &base->benches[i];
		nb = pmig_bj_find(new_j, bb->name);
		if (!nb)
			continue;
		if (tiering(base, bb) || tiering(new_j, nb)) {
			tiering_common++;
			continue;
		}
		common++;
		ub = time_unit(base, bb);
		un = time_unit(new_j, nb);
		if (!o->metric && ub && un && strcmp(ub, un))
			return pmig_cli_bad(
				CMD, "%s: %s: time unit %s, but %s in %s",
				new_path, bb->name, un, ub, base_path);
	}
	if (!common && tiering_common)
		return pmig_cli_bad(
			CMD,
			"%s: no migration benchmark in common with %s, only %zu tiering runs, which pmig compare does not compare (pmig report shows them)",
			new_path, base_path, tiering_common);
	if (!common)
		return pmig_cli_bad(
			CMD,
			"%s: no benchmark name in common with %s (%zu and %zu benchmarks): nothing to compare",
			new_path, base_path, new_j->nbenches, base->nbenches);
	if (o->metric && !has_counter(base, o->metric) &&
	    !has_counter(new_j, o->metric))
		return pmig_cli_bad(
			CMD, "--metric %s: no benchmark in %s or %s has it",
			o->metric, base_path, new_path);
	return 0;
}

static int load(const char *path, struct pmig_bj **bj)
{
	char why[256];
	int err = pmig_bj_load(path, bj, why, sizeof(why));

	if (err)
		return pmig_cli_bad(CMD, "%s: %s", path, why);
	return 0;
}

static int parse_args(int argc, char **argv, struct opts *o)
{
	bool lower = false;
	double d;
	int opt;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":", options, NULL)) != -1) {
		switch (opt) {
		case OPT_ALPHA:
			if (!parse_double(optarg, &d) || d <= 0 || d >= 1)
				return pmig_cli_bad(
					CMD, "bad --alpha '%s' (0 < A < 1)",
					optarg);
			o->rule.alpha = d;
			break;
		case OPT_THRESHOLD:
			if (!parse_double(optarg, &d) || d < 0)
				return pmig_cli_bad(
					CMD,
					"bad --threshold '%s' (percent >= 0)",
					optarg);
			o->rule.min_change = d / 100;
			o->threshold_given = true;
			break;
		case OPT_MIN:
			/* Bounded before the cast: a huge double does not fit. */
			if (!parse_double(optarg, &d) || d < 1 || d > 1e9 ||
			    d != floor(d))
				return pmig_cli_bad(
					CMD,
					"bad --min-samples '%s' (integer, 1 to 1e9)",
					optarg);
			o->rule.min_samples = (size_t)d;
			break;
		case OPT_METRIC:
			o->metric = strcmp(optarg, "time") ? optarg : NULL;
			break;
		case OPT_LOWER:
			lower = true;
			break;
		case OPT_EMULATED:
			o->allow_emulated = true;
			break;
		case OPT_LAYOUT:
			o->layout = optarg;
			break;
		case OPT_SPREAD:
			o->spread = true;
			break;
		case OPT_HELP:
			fputs(usage, stdout);
			return fflush(stdout) ? EXIT_FAILURE : -1;
		case ':':
		default:
			return pmig_cli_getopt_bad(
				CMD, opt, argv, " (see pmig compare --help)");
		}
	}
	o->dir = !o->metric || lower ? PMIG_LOWER_IS_BETTER :
				       PMIG_HIGHER_IS_BETTER;
	if (o->spread && o->sep)
		return pmig_cli_bad(
			CMD,
			"--spread takes the boots of one pool, without '--'");
	if (o->layout && !o->sep)
		return pmig_cli_bad(
			CMD,
			"--layout is for several boots a side: BASE... -- NEW...");
	if (o->spread || o->sep)
		return 0;
	if (argc - optind != 2)
		return pmig_cli_bad(CMD, "%s",
				    argc - optind < 2 ?
					    "needs BASE.json and NEW.json" :
					    "too many arguments");
	return 0;
}

int main(int argc, char **argv)
{
	struct opts o = { .rule = PMIG_COMPARE_RULE_DEFAULT };
	struct pmig_bj *base = NULL, *new_j = NULL;
	int ret, i, new_argc = argc;

	/*
	 * A '--' splits the files into base and new boots. Options go before
	 * it; getopt_long() stops there, and would move it before the base
	 * files it had passed over, so it is found here first.
	 */
	for (i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--")) {
			o.sep = i;
			new_argc = i;
			break;
		}
	ret = parse_args(new_argc, argv, &o);
	if (ret)
		return ret < 0 ? EXIT_SUCCESS : ret;
	if (o.spread)
		return pmig_boot_spread(argv + optind, (size_t)(argc - optind),
					o.metric);
	if (o.sep) {
		struct pmig_boot_opts bo = {
			.alpha = o.rule.alpha,
			.min_change = o.rule.min_change,
			.threshold_given = o.threshold_given,
			.metric = o.metric,
			.dir = o.dir,
			.allow_emulated = o.allow_emulated,
			.layout = o.layout,
		};

		return pmig_boot_compare(
			argv + optind, (size_t)(o.sep - optind),
			argv + o.sep + 1, (size_t)(argc - o.sep - 1), &bo);
	}
	ret = load(argv[optind], &base);
	if (!ret)
		ret = load(argv[optind + 1], &new_j);
	if (!ret)
		ret = fit_rule(argv[optind], base, argv[optind + 1], new_j, &o);
	if (!ret)
		ret = check_pair(argv[optind], base, argv[optind + 1], new_j,
				 &o);
	if (!ret) {
		ret = run(argv[optind], argv[optind + 1], base, new_j, &o);
		/* Never 1: a gate must not read a failure as a regression. */
		if (ret < 0)
			ret = pmig_cli_bad(CMD, "%s", strerror(-ret));
	}
	pmig_bj_free(base);
	pmig_bj_free(new_j);
	return ret;
}
