/* report_tiering.c - `pmig report`'s tiering section: the tiering runs of every benchmark file, their convergence plots (report_tiering_plots.c) and one table of their figures for every kernel. */
#include "report_tiering.h"
#include "kver.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The strategies of issue 18 in the order of the contract: promote, demote, the user loop last. */
static const char *const strategy_order[] = {
	"numab_promote",      "damon_migrate_hot", "demote_reclaim",
	"damon_migrate_cold", "tier_user",
};

/* Counters worth a column: promotion, demotion, balancing, migration, swap. */
static const char *const key_counters[] = {
	"pgpromote_success",
	"pgdemote_kswapd",
	"pgdemote_direct",
	"pgdemote_proactive",
	"numa_pages_migrated",
	"pgmigrate_success",
	"pswpout",
};

int tier_rank(const char *strategy)
{
	size_t i;

	for (i = 0; i < sizeof(strategy_order) / sizeof(strategy_order[0]); i++)
		if (strategy && !strcmp(strategy, strategy_order[i]))
			return (int)i;
	return (int)i;
}

const char *tier_time_axis(const struct tier_set *s, const struct tier_file *f)
{
	size_t i, instr = 0, timed = 0;

	for (i = f->first; i < f->first + f->n; i++) {
		const char *tb = s->runs[i].time_base;

		timed += tb != NULL;
		instr += tb && !strcmp(tb, "instruction");
	}
	return timed && instr == timed ? "instruction-time s" : "s";
}

static int workload_rank(const char *w)
{
	return !w		     ? 2 :
	       !strcmp(w, "promote") ? 0 :
	       !strcmp(w, "demote")  ? 1 :
				       2;
}

static int by_run(const void *pa, const void *pb)
{
	const struct pmig_tier *a = pa, *b = pb;
	int c = workload_rank(a->workload) - workload_rank(b->workload);

	if (!c)
		c = tier_rank(a->strategy) - tier_rank(b->strategy);
	if (!c)
		c = strcmp(a->e->run_name, b->e->run_name);
	return c;
}

static int by_kernel(const void *pa, const void *pb)
{
	const struct tier_file *a = pa, *b = pb;
	int c = (a->kv > b->kv) - (a->kv < b->kv);

	return c ? c : strcmp(a->rel, b->rel);
}

static void file_free(struct tier_file *f)
{
	pmig_bj_free(f->bj);
	free(f->rel);
	free(f->stem);
	free(f->kernel);
}

/* An entry left out of the section, said under its heading. */
static int left_out(struct tier_set *s, const char *rel, const char *why)
{
	char **bad = realloc(s->bad, (s->nbad + 1) * sizeof(*bad));

	if (!bad)
		return -ENOMEM;
	s->bad = bad;
	if (asprintf(&s->bad[s->nbad], "%s: %s", rel, why) < 0)
		return -ENOMEM;
	s->nbad++;
	return 0;
}

/* Reads the tiering entries of @f->bj into @s's runs. */
static int read_runs(struct tier_set *s, struct tier_file *f)
{
	const struct pmig_bj *bj = f->bj;
	struct pmig_tier *runs;
	char why[256];
	size_t i;
	int err;

	f->first = s->nruns;
	for (i = 0; i < bj->nentries; i++) {
		const struct pmig_bj_entry *e = &bj->entries[i];

		if (!e->tiering || e->aggregate)
			continue;
		runs = realloc(s->runs, (s->nruns + 1) * sizeof(*runs));
		if (!runs)
			return -ENOMEM;
		s->runs = runs;
		err = pmig_tier_read(e, &s->runs[s->nruns], why, sizeof(why));
		if (err == -EINVAL)
			err = left_out(s, f->rel, why);
		else if (!err)
			s->nruns++;
		if (err)
			return err;
	}
	f->n = s->nruns - f->first;
	qsort(s->runs + f->first, f->n, sizeof(*s->runs), by_run);
	return 0;
}

/* report_each_file() callback: keeps benchmark JSON with tiering runs. */
static int collect(struct report_doc *d, const struct report_file *file,
		   void *arg)
{
	struct tier_set *s = arg;
	struct tier_file f = { 0 }, *files;
	const char *rel;
	char why[256], *p;
	size_t i;

	if (!report_maybe_bench_json(file) ||
	    pmig_bj_load(file->path, &f.bj, why, sizeof(why)))
		return 0; /* the benchmark section said what is wrong with it */
	for (i = 0; i < f.bj->nbenches; i++)
		if (pmig_bj_bench_tiering(f.bj, &f.bj->benches[i]))
			break;
	if (i == f.bj->nbenches)
		goto skip;
	rel = pmig_bj_context(f.bj, "pmig_kernel");
	f.kernel = rel ? strndup(rel, strcspn(rel, " ")) : strdup("unknown");
	f.rel = strdup(file->rel);
	f.stem = strndup(file->rel, strlen(file->rel) - strlen(".json"));
	if (!f.kernel || !f.rel || !f.stem)
		goto nomem;
	if (pmig_kver_parse(f.kernel, &f.kv))
		f.kv = 0;
	for (p = f.stem; *p; p++)
		if (*p == '/')
			*p = '-';
	f.label = report_timing_label(file->dir, pmig_bj_emulation(f.bj));
	if (read_runs(s, &f))
		goto nomem;
	files = realloc(s->files, (s->nfiles + 1) * sizeof(*files));
	if (!files)
		goto nomem;
	s->files = files;
	s->files[s->nfiles++] = f;
	return 1;
nomem:
	report_fail(d, "out of memory");
skip:
	file_free(&f);
	return 0;
}

/* A CPU time of nothing reads "0" in this table, not "0 ns". */
static void fmt_ns(char *buf, size_t size, double ns)
{
	if (ns == 0)
		snprintf(buf, size, "0");
	else
		report_fmt_ns(buf, size, ns);
}

static void fmt_count(char *buf, size_t size, long v)
{
	if (v >= 0)
		snprintf(buf, size, "%ld", v);
	else
		snprintf(buf, size, "-");
}

/*
 * What happened: DONE where the run reached its goal (every goal page in
 * place within its limit, none wrong), else FAIL with its figures; FAIL
 * with the reason when it failed its checks; SKIP with why.
 */
static void fmt_result(char *buf, size_t size, const struct pmig_tier *t)
{
	char figures[256];

	if (t->state == PMIG_BJ_SKIPPED) {
		/* The shim's message already begins "unavailable: ". */
		snprintf(buf, size, "SKIP %s%s",
			 strncmp(t->message, "unavailable: ", 13) ?
				 "unavailable: " :
				 "",
			 t->message);
	} else if (t->state == PMIG_BJ_ERROR) {
		snprintf(buf, size, "FAIL failed: %s", t->message);
	} else if (pmig_tier_goal(t, figures, sizeof(figures))) {
		snprintf(buf, size, "DONE converged");
	} else {
		snprintf(buf, size, "FAIL goal not reached: %s", figures);
	}
}

/* The key counters the run moved, "name N, ..."; "-" when none did. */
static void fmt_counters(char *buf, size_t size, const struct pmig_tier *t)
{
	size_t i, used = 0;

	buf[0] = '\0';
	for (i = 0; i < sizeof(key_counters) / sizeof(key_counters[0]); i++) {
		double v = pmig_tier_counter(t, key_counters[i]);
		int n;

		if (!isfinite(v) || v == 0 || used >= size)
			continue;
		n = snprintf(buf + used, size - used, "%s%s %.0f",
			     used ? ", " : "", key_counters[i], v);
		used += n > 0 ? (size_t)n : 0;
	}
	if (!buf[0])
		snprintf(buf, size, "-");
}

#define NCOLS 17

static void run_row(struct report_doc *d, const struct tier_file *f,
		    const char *kernel, const struct pmig_tier *t)
{
	char c[NCOLS][320];
	const char *cells[NCOLS];
	size_t k;

	snprintf(c[0], sizeof(c[0]), "%s", kernel);
	if (t->rate_limit_mbps >= 0)
		snprintf(c[1], sizeof(c[1]), "%s (rate limit %.0f MB/s)",
			 t->strategy ? t->strategy : "-", t->rate_limit_mbps);
	else
		snprintf(c[1], sizeof(c[1]), "%s",
			 t->strategy ? t->strategy : "-");
	snprintf(c[2], sizeof(c[2]), "%s", t->workload ? t->workload : "-");
	snprintf(c[3], sizeof(c[3]), "%s", t->size[0] ? t->size : "-");
	if (t->from >= 0 && t->to >= 0)
		snprintf(c[4], sizeof(c[4]), "%ld -> %ld", t->from, t->to);
	else
		snprintf(c[4], sizeof(c[4]), "-");
	fmt_result(c[5], sizeof(c[5]), t);
	fmt_ns(c[6], sizeof(c[6]), t->t50_ns);
	fmt_ns(c[7], sizeof(c[7]), t->t90_ns);
	fmt_ns(c[8], sizeof(c[8]), t->t100_ns);
	if (isfinite(t->pages_per_second))
		snprintf(c[9], sizeof(c[9]),
			 t->pages_per_second >= 100 ? "%.0f" : "%.3g",
			 t->pages_per_second);
	else
		snprintf(c[9], sizeof(c[9]), "-");
	if (t->moved_pages >= 0 && t->goal_pages >= 0)
		snprintf(c[10], sizeof(c[10]), "%ld/%ld", t->moved_pages,
			 t->goal_pages);
	else
		snprintf(c[10], sizeof(c[10]), "-");
	fmt_count(c[11], sizeof(c[11]), t->wrong_pages);
	fmt_count(c[12], sizeof(c[12]), t->swapped_pages);
	fmt_ns(c[13], sizeof(c[13]), t->kthread_cpu_ns);
	fmt_ns(c[14], sizeof(c[14]), t->task_sys_ns);
	fmt_ns(c[15], sizeof(c[15]), t->loop_cpu_ns);
	fmt_counters(c[16], sizeof(c[16]), t);
	(void)f;
	for (k = 0; k < NCOLS; k++)
		cells[k] = c[k];
	report_table_row(d, NCOLS, cells);
}

/* One table, every kernel: the figures of every run. */
static void table(struct report_doc *d, const struct tier_set *s)
{
	static const char *const head[NCOLS] = {
		"kernel",
		"strategy",
		"workload",
		"size",
		"nodes",
		"result",
		"t50",
		"t90",
		"t100",
		"goal pages/s",
		"moved/goal",
		"wrong",
		"swapped",
		"kthread CPU",
		"task sys",
		"loop CPU",
		"counters (vmstat deltas)",
	};
	char kernel[256];
	size_t i, j, k;

	report_h(d, 3, "Figures per kernel");
	report_table_begin(d, NCOLS, head);
	for (i = 0; i < s->nfiles; i++) {
		const struct tier_file *f = &s->files[i];
		bool shared = false;

		/* Two runs of one kernel (two topologies) are told apart by file. */
		for (j = 0; j < s->nfiles; j++)
			shared |= j != i &&
				  !strcmp(s->files[j].kernel, f->kernel);
		snprintf(kernel, sizeof(kernel),
			 shared ? "%s (%s)%s" : "%s%.0s%s", f->kernel, f->rel,
			 !strcmp(tier_time_axis(s, f), "instruction-time s") ?
				 ", instruction time" :
				 "");
		for (k = f->first; k < f->first + f->n; k++)
			run_row(d, f, kernel, &s->runs[k]);
	}
	report_table_end(d);
	report_p(
		d,
		"Times of a kernel marked instruction time were counted under QEMU icount (1 s = 10^9 guest instructions). t50, t90, t100: time until 50, 90 and 100%% of the goal pages (the hot ones for promote, the cold ones for demote) were in place, - for never. Goal pages/s: goal pages in place per second over t100, or over the time watched when the run did not converge. Wrong: pages that moved but should not have; swapped: goal pages that went to swap instead. kthread CPU: the kernel threads involved (kswapd, kdamond); task sys: the workload's own system time (NUMA balancing's scanning and hint faults run there); loop CPU: the user-space loop of tier_user. Counters: the vmstat deltas of the run that are not 0.");
}

/* One heading per file: its kernel, how its times were taken, its plots. */
static void file_part(struct report_doc *d, const struct tier_set *s,
		      const struct tier_file *f)
{
	char title[768];

	snprintf(title, sizeof(title), "Convergence: %s (%s)", f->kernel,
		 f->rel);
	report_h(d, 3, title);
	if (f->label)
		report_note(d, "%s", f->label);
	if (!strcmp(tier_time_axis(s, f), "instruction-time s"))
		report_p(
			d,
			"Times are instruction time (QEMU icount): 1 s is 10^9 guest instructions, so they compare code paths and scan periods as the guest saw them, not wall-clock time.");
	report_tier_convergence(d, s, f);
	report_tier_strategies(d, s, f);
}

void report_tiering(struct report_doc *d, char **subs)
{
	struct tier_set s = { 0 };
	size_t i;

	report_each_file(d, subs, collect, &s);
	if (!s.nfiles && !s.nbad)
		goto out;
	qsort(s.files, s.nfiles, sizeof(*s.files), by_kernel);
	report_h(d, 2, "Tiering");
	report_p(
		d,
		"The tiering strategies of pmig bench: who moves the hot pages to the near node (promote) and the cold ones off it (demote), and how fast. Each file is one kernel's run; its plot shows every strategy's share of goal pages in place over time, promote and demote side by side, then one small plot per strategy with the hot and cold pages on the near node.");
	for (i = 0; i < s.nbad; i++)
		report_bad_input(d, "%s", s.bad[i]);
	for (i = 0; i < s.nfiles; i++)
		file_part(d, &s, &s.files[i]);
	if (s.nruns) {
		table(d, &s);
		report_tier_boots(d, &s);
	}
out:
	for (i = 0; i < s.nruns; i++)
		pmig_tier_release(&s.runs[i]);
	for (i = 0; i < s.nfiles; i++)
		file_free(&s.files[i]);
	for (i = 0; i < s.nbad; i++)
		free(s.bad[i]);
	free(s.bad);
	free(s.runs);
	free(s.files);
}
