/* boot_compare.c - `pmig compare BASE... -- NEW...` (several boots a side) and `pmig compare --spread FILE...` (how far boots that differ only in layout spread): files in, one row per benchmark out. */
#include "boot_compare.h"
#include "benchjson.h"
#include "boots.h"
#include "cli.h"
#include "size.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CMD "pmig compare"
#define EXIT_REGRESSION 1

/* Every file of a comparison, base first: base[0..nb), new[nb..n). */
struct files {
	char *const *path[2];
	size_t count[2];
	struct pmig_bj **bj; /* n entries, in the order above */
	size_t n;
};

static const char *path_of(const struct files *f, size_t i)
{
	return i < f->count[0] ? f->path[0][i] : f->path[1][i - f->count[0]];
}

static void free_files(struct files *f)
{
	size_t i;

	if (!f->bj)
		return;
	for (i = 0; i < f->n; i++)
		pmig_bj_free(f->bj[i]);
	free(f->bj);
}

static int load_files(struct files *f)
{
	char why[256];
	size_t i;

	f->n = f->count[0] + f->count[1];
	f->bj = calloc(f->n, sizeof(*f->bj));
	if (!f->bj)
		return pmig_cli_bad(CMD, "%s", strerror(ENOMEM));
	for (i = 0; i < f->n; i++)
		if (pmig_bj_load(path_of(f, i), &f->bj[i], why, sizeof(why)))
			return pmig_cli_bad(CMD, "%s: %s", path_of(f, i), why);
	return 0;
}

/*
 * Every file must be timed by one kind of clock: instruction counts and
 * times are different units, and plain-TCG timings are refused unless
 * --allow-emulated (pmig-compare.c's fit_rule() says why). *@icount says
 * whether they are instruction counts; *@emulated whether plain TCG.
 */
static int check_clocks(const struct files *f, bool allow_emulated,
			bool *icount, bool *emulated)
{
	enum pmig_bj_clock c0 =
		pmig_bj_emulation_clock(pmig_bj_emulation(f->bj[0]));
	size_t i;

	*emulated = false;
	for (i = 0; i < f->n; i++) {
		const char *e = pmig_bj_emulation(f->bj[i]);
		enum pmig_bj_clock c = pmig_bj_emulation_clock(e);

		switch (pmig_compare_clocks(c0, c, allow_emulated)) {
		case PMIG_CLOCKS_MIXED:
			return pmig_cli_bad(
				CMD,
				"%s is instruction-counted and %s is not: their times are different units",
				c0 == PMIG_BJ_CLOCK_ICOUNT ? path_of(f, 0) :
							     path_of(f, i),
				c0 == PMIG_BJ_CLOCK_ICOUNT ? path_of(f, i) :
							     path_of(f, 0));
		case PMIG_CLOCKS_EMULATED:
			return pmig_cli_bad(
				CMD,
				"%s: plain-TCG timings (\"%s\": QEMU without icount, which times its own emulation too), noise rather than speed: take them with pmig vm --clock icount, or compare them anyway with --allow-emulated",
				path_of(f, c == PMIG_BJ_CLOCK_TCG ? i : 0),
				c == PMIG_BJ_CLOCK_TCG ?
					e :
					pmig_bj_emulation(f->bj[0]));
		case PMIG_CLOCKS_EMULATED_ALLOWED:
			*emulated = true;
			break;
		default:
			break;
		}
	}
	*icount = c0 == PMIG_BJ_CLOCK_ICOUNT;
	return 0;
}

/* Why benchmark @name of file 0 is not compared: NULL when it can be. */
static const char *not_comparable(const struct files *f, const char *name,
				  size_t *which)
{
	size_t i;

	for (i = 0; i < f->n; i++) {
		const struct pmig_bj_bench *b = pmig_bj_find(f->bj[i], name);

		*which = i;
		if (!b)
			return "missing";
		if (pmig_bj_bench_tiering(f->bj[i], b))
			return "tiering";
		if (pmig_bj_bench_state(f->bj[i], b, NULL) != PMIG_BJ_OK)
			return "errored or skipped";
	}
	return NULL;
}

/*
 * One value a file for benchmark @name: the median of its samples (per
 * call where every file has them, like for like). 0, -ENOENT when a file
 * lacks the --metric counter (*@which says which), -EDOM when a median is
 * not positive (no log), -ENOMEM.
 */
static int boot_values(const struct files *f, const char *name,
		       const char *metric, double *v, bool *per_call,
		       size_t *which)
{
	size_t i;
	int err = 0;

	*per_call = !metric;
	for (i = 0; i < f->n; i++)
		*per_call = *per_call &&
			    pmig_bj_has_calls(f->bj[i],
					      pmig_bj_find(f->bj[i], name));
	for (i = 0; i < f->n && !err; i++) {
		const struct pmig_bj_bench *b = pmig_bj_find(f->bj[i], name);
		double *s = NULL;
		ssize_t ns;

		*which = i;
		ns = metric ? pmig_bj_counter_samples(f->bj[i], b, metric, &s) :
			      pmig_bj_time_samples(f->bj[i], b, *per_call, &s);
		if (ns < 0)
			err = (int)ns;
		else if (!ns)
			err = -ENOENT;
		else if (!(err = pmig_median(s, (size_t)ns, &v[i])) &&
			 !(v[i] > 0))
			err = -EDOM;
		free(s);
	}
	return err;
}

static void fmt_value(char *buf, size_t size, double v, bool time)
{
	if (time)
		pmig_measure_format(v / 1e9, "s", 4, buf, size);
	else
		snprintf(buf, size, "%.6g", v);
}

static void fmt_pct(char *buf, size_t size, double c, bool sign)
{
	if (!isfinite(c))
		snprintf(buf, size, "-");
	else
		snprintf(buf, size, sign ? "%+.2f%%" : "%.2f%%", c * 100);
}

static int name_width(const struct pmig_bj *bj)
{
	size_t i, w = strlen("benchmark");

	for (i = 0; i < bj->nbenches; i++)
		if (strlen(bj->benches[i].name) > w)
			w = strlen(bj->benches[i].name);
	return (int)w;
}

/* The layout spread a --spread run measured: benchmark name and sd. */
struct layout {
	char **name;
	double *sd;
	size_t n;
};

static void free_layout(struct layout *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->name[i]);
	free(l->name);
	free(l->sd);
}

/*
 * Reads what pmig_boot_spread() prints: '#' lines and the header skipped,
 * then "NAME BOOTS MIN MAX RANGE% SD%" a line.
 */
static int load_layout(const char *path, struct layout *l)
{
	char *line = NULL, name[1024], sd_pct[64];
	size_t cap = 0, lineno = 0;
	FILE *fp = fopen(path, "r");
	int err = 0;

	if (!fp)
		return pmig_cli_bad(CMD, "--layout %s: %s", path,
				    strerror(errno));
	while (!err && getline(&line, &cap, fp) > 0) {
		char *end;
		double sd;
		void *p;

		lineno++;
		if (line[0] == '#' || line[0] == '\n' ||
		    !strncmp(line, "benchmark ", 10))
			continue;
		if (sscanf(line, "%1023s %*s %*s %*s %*s %63s", name, sd_pct) !=
			    2 ||
		    (sd = strtod(sd_pct, &end), strcmp(end, "%")) ||
		    !isfinite(sd) || sd < 0) {
			err = pmig_cli_bad(
				CMD,
				"--layout %s:%zu: not a line of pmig compare --spread (NAME BOOTS MIN MAX RANGE%% SD%%)",
				path, lineno);
			break;
		}
		p = realloc(l->name, (l->n + 1) * sizeof(*l->name));
		if (p)
			l->name = p;
		p = p ? realloc(l->sd, (l->n + 1) * sizeof(*l->sd)) : NULL;
		if (p)
			l->sd = p;
		if (!p || !(l->name[l->n] = strdup(name))) {
			err = pmig_cli_bad(CMD, "%s", strerror(ENOMEM));
			break;
		}
		l->sd[l->n++] = sd / 100;
	}
	free(line);
	fclose(fp);
	if (!err && !l->n)
		err = pmig_cli_bad(CMD, "--layout %s: no benchmark in it",
				   path);
	return err;
}

/* The measured sd for @name, or -1 when the layout file lacks it. */
static double layout_sd(const struct layout *l, const char *name)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (!strcmp(l->name[i], name))
			return l->sd[i];
	return -1;
}

struct tally {
	size_t compared, same, improved, regressed, skipped, unfloored;
	char *regressed_names;
	size_t names_len;
};

static void add_name(struct tally *t, const char *name)
{
	size_t len = strlen(name) + 2;
	char *p = realloc(t->regressed_names, t->names_len + len + 1);

	if (!p)
		return;
	t->regressed_names = p;
	snprintf(p + t->names_len, len + 1, "%s%s", t->names_len ? ", " : " ",
		 name);
	t->names_len += strlen(p + t->names_len);
}

/* One benchmark's row; -ENOMEM. */
static int compare_row(const struct files *f, const char *name,
		       const struct pmig_boot_opts *o, const struct layout *l,
		       int w, double *v, struct tally *t)
{
	char vb[32], vn[32], sb[16], sn[16], fl[16], ef[16], lo[16], hi[16],
		n[16];
	struct pmig_boot_comparison c;
	const char *why;
	double floor = 0;
	bool per_call;
	size_t which;
	int err;

	why = not_comparable(f, name, &which);
	if (why && strcmp(why, "tiering")) {
		t->skipped++;
		printf("%-*s  %s in %s: not compared\n", w, name, why,
		       path_of(f, which));
	}
	if (why)
		return 0;
	err = boot_values(f, name, o->metric, v, &per_call, &which);
	if (err == -ENOENT || err == -EDOM) {
		t->skipped++;
		printf("%-*s  %s in %s: not compared\n", w, name,
		       err == -ENOENT ? "no such metric" :
					"median not positive",
		       path_of(f, which));
		return 0;
	}
	if (err)
		return err;
	if (l->n) {
		floor = layout_sd(l, name);
		if (floor < 0) {
			t->unfloored++;
			floor = 0;
		}
	}
	err = pmig_compare_boots(v, f->count[0], v + f->count[0], f->count[1],
				 o->dir, o->alpha, o->min_change, floor, &c);
	if (err)
		return err;
	t->compared++;
	if (c.verdict == PMIG_VERDICT_REGRESSION) {
		t->regressed++;
		add_name(t, name);
	} else if (c.verdict == PMIG_VERDICT_IMPROVEMENT) {
		t->improved++;
	} else {
		t->same++;
	}
	fmt_value(vb, sizeof(vb), c.mean_base, !o->metric);
	fmt_value(vn, sizeof(vn), c.mean_new, !o->metric);
	fmt_pct(sb, sizeof(sb), c.sd_base, false);
	fmt_pct(sn, sizeof(sn), c.sd_new, false);
	fmt_pct(fl, sizeof(fl), l->n ? floor : NAN, false);
	fmt_pct(ef, sizeof(ef), c.effect, true);
	fmt_pct(lo, sizeof(lo), c.lo, true);
	fmt_pct(hi, sizeof(hi), c.hi, true);
	snprintf(n, sizeof(n), "%zu/%zu", f->count[0], f->count[1]);
	printf("%-*s  %-6s %12s %12s %8s %8s %8s %8s  [%s, %s]  %s\n", w, name,
	       n, vb, vn, sb, sn, fl, ef, lo, hi, pmig_verdict_name(c.verdict));
	(void)per_call;
	return 0;
}

/* At least one benchmark every file has, or there is nothing to judge. */
static int check_common(const struct files *f)
{
	size_t i, which;

	for (i = 0; i < f->bj[0]->nbenches; i++)
		if (!not_comparable(f, f->bj[0]->benches[i].name, &which))
			return 0;
	return pmig_cli_bad(
		CMD,
		"no migration benchmark runs OK in every one of the %zu files: nothing to compare",
		f->n);
}

static void print_paths(const char *label, char *const *p, size_t n)
{
	size_t i;

	printf("%s", label);
	for (i = 0; i < n; i++)
		printf(" %s", p[i]);
	printf("\n");
}

static int run(const struct files *f, const struct pmig_boot_opts *o,
	       const struct layout *l, bool emulated)
{
	char rule[768], floor[512] = "";
	struct tally t = { 0 };
	int w = name_width(f->bj[0]), err = 0;
	double *v = calloc(f->n, sizeof(*v));
	size_t i;

	if (!v)
		return -ENOMEM;
	if (o->layout)
		snprintf(floor, sizeof(floor), "the layout spread's (%s)",
			 o->layout);
	pmig_boots_rule_text(o->alpha, o->min_change, o->layout ? floor : NULL,
			     rule, sizeof(rule));
	printf("pmig compare: %zu base boots against %zu new boots\n",
	       f->count[0], f->count[1]);
	print_paths("base:", f->path[0], f->count[0]);
	print_paths("new:", f->path[1], f->count[1]);
	printf("metric: %s (%s is better); a boot's value is its median\n",
	       o->metric ? o->metric : "time per call or per repetition",
	       o->dir == PMIG_LOWER_IS_BETTER ? "lower" : "higher");
	printf("rule: %s\n", rule);
	if (emulated)
		printf("timings: plain-TCG (QEMU without icount): functional only, not a measure of speed; compared as --allow-emulated asks\n");
	printf("\n%-*s  %-6s %12s %12s %8s %8s %8s %8s  %-20s  %s\n", w,
	       "benchmark", "boots", "base", "new", "sd base", "sd new",
	       "layout", "effect", "interval", "verdict");
	for (i = 0; i < f->bj[0]->nbenches && !err; i++)
		err = compare_row(f, f->bj[0]->benches[i].name, o, l, w, v, &t);
	if (err)
		goto out;
	printf("\nbase and new: geometric means of the boots' medians; sd: of "
	       "ln(median) among a side's boots (~ relative sd); layout: the sd "
	       "floor from --layout; interval: %g%% of the effect\n",
	       (1 - o->alpha) * 100);
	if (t.unfloored)
		printf("%zu benchmarks are not in %s: compared without a layout floor\n",
		       t.unfloored, o->layout);
	if (t.regressed)
		printf("result: REGRESSION in %zu of %zu compared benchmarks:%s",
		       t.regressed, t.compared,
		       t.regressed_names ? t.regressed_names : "");
	else
		printf("result: no regression (%zu compared: %zu same, %zu improved; %zu not compared)",
		       t.compared, t.same, t.improved, t.skipped);
	printf("%s\n", emulated ? "; plain-TCG timings, functional only" : "");
	if (fflush(stdout) || ferror(stdout))
		err = -EIO;
out:
	free(v);
	free(t.regressed_names);
	return err ? err : t.regressed ? EXIT_REGRESSION : 0;
}

int pmig_boot_compare(char *const *base, size_t nb, char *const *new_f,
		      size_t nn, struct pmig_boot_opts *o)
{
	struct files f = { .path = { base, new_f }, .count = { nb, nn } };
	struct layout l = { 0 };
	bool icount, emulated;
	int ret;

	if (nb < 2 || nn < 2) {
		return pmig_cli_bad(
			CMD,
			"%zu base and %zu new files: several boots a side need at least 2 files on each side of '--' (one file a side: pmig compare BASE.json NEW.json)",
			nb, nn);
	}
	ret = load_files(&f);
	if (!ret)
		ret = check_clocks(&f, o->allow_emulated, &icount, &emulated);
	if (!ret)
		ret = check_common(&f);
	if (!ret && o->layout)
		ret = load_layout(o->layout, &l);
	if (!ret) {
		if (icount && !o->threshold_given)
			o->min_change = PMIG_COMPARE_ICOUNT_MIN_CHANGE;
		ret = run(&f, o, &l, emulated);
		/* Never 1: a gate must not read a failure as a regression. */
		if (ret < 0)
			ret = pmig_cli_bad(CMD, "%s", strerror(-ret));
	}
	free_layout(&l);
	free_files(&f);
	return ret;
}

int pmig_boot_spread(char *const *files, size_t n, const char *metric)
{
	struct files f = { .path = { files, NULL }, .count = { n, 0 } };
	bool icount, emulated, per_call;
	double *v = NULL;
	int ret, w, err = 0;
	size_t i, which;

	if (n < 2)
		return pmig_cli_bad(
			CMD, "--spread needs at least 2 files (boots), got %zu",
			n);
	ret = load_files(&f);
	if (!ret)
		ret = check_clocks(&f, true, &icount, &emulated);
	if (!ret)
		ret = check_common(&f);
	if (ret)
		goto out;
	v = calloc(n, sizeof(*v));
	if (!v) {
		ret = pmig_cli_bad(CMD, "%s", strerror(ENOMEM));
		goto out;
	}
	w = name_width(f.bj[0]);
	printf("# pmig compare --spread: %zu boots; per benchmark, the spread of the boots' medians of %s%s\n",
	       n, metric ? metric : "time per call or per repetition (ns)",
	       icount	? ", instruction-counted (1 ns = 1 instruction)" :
	       emulated ? ", plain TCG (functional only)" :
			  "");
	printf("# sd: of ln(median) (~ relative sd); pmig compare --layout reads this table\n");
	printf("%-*s  %5s %14s %14s %9s %7s\n", w, "benchmark", "boots", "min",
	       "max", "max/min-1", "sd");
	for (i = 0; i < f.bj[0]->nbenches && !err; i++) {
		const char *name = f.bj[0]->benches[i].name;
		struct pmig_spread s;
		const char *why = not_comparable(&f, name, &which);
		char r[16], sd[16];

		if (why && strcmp(why, "tiering"))
			printf("# %s: %s in %s\n", name, why,
			       path_of(&f, which));
		if (why)
			continue;
		err = boot_values(&f, name, metric, v, &per_call, &which);
		if (err == -ENOENT || err == -EDOM) {
			printf("# %s: %s in %s\n", name,
			       err == -ENOENT ? "no such metric" :
						"median not positive",
			       path_of(&f, which));
			err = 0;
			continue;
		}
		if (!err)
			err = pmig_spread(v, n, &s);
		if (err)
			break;
		fmt_pct(r, sizeof(r), s.range, false);
		fmt_pct(sd, sizeof(sd), s.sd, false);
		printf("%-*s  %5zu %14.10g %14.10g %9s %7s\n", w, name, s.n,
		       s.min, s.max, r, sd);
	}
	if (err || fflush(stdout) || ferror(stdout))
		ret = pmig_cli_bad(CMD, "%s", strerror(err ? -err : EIO));
out:
	free(v);
	free_files(&f);
	return ret;
}
