/* bench_results.c - summaries of benchmarks and benchmark JSON as the result model that KCIDB and JUnit are written from. */
#include "bench_results.h"
#include "compare.h"
#include "stats.h"
#include "tiering.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

/* Median of the counter @key over the OK entries of @b; NAN when none. */
static int counter_median(const struct pmig_bj *bj,
			  const struct pmig_bj_bench *b, const char *key,
			  double *out)
{
	double *s;
	ssize_t n = pmig_bj_counter_samples(bj, b, key, &s);

	*out = NAN;
	if (n < 0)
		return (int)n;
	if (n)
		pmig_median(s, (size_t)n, out);
	free(s);
	return 0;
}

static int call_percentiles(const struct pmig_bj *bj,
			    const struct pmig_bj_bench *b,
			    struct pmig_bench_summary *o)
{
	double *s;
	ssize_t n;

	o->p50_ns = o->p90_ns = o->p99_ns = o->max_ns = NAN;
	if (!pmig_bj_has_calls(bj, b))
		return 0;
	n = pmig_bj_time_samples(bj, b, true, &s);
	if (n < 0)
		return (int)n;
	pmig_sort_doubles(s, (size_t)n);
	o->ncalls = (size_t)n;
	o->p50_ns = pmig_nearest_rank(s, (size_t)n, 50, 100);
	o->p90_ns = pmig_nearest_rank(s, (size_t)n, 90, 100);
	o->p99_ns = pmig_nearest_rank(s, (size_t)n, 99, 100);
	o->max_ns = pmig_nearest_rank(s, (size_t)n, 1, 1);
	free(s);
	return 0;
}

int pmig_bench_summarize(const struct pmig_bj *bj,
			 const struct pmig_bj_bench *b,
			 struct pmig_bench_summary *out)
{
	double *rt;
	ssize_t n;
	size_t i, k;
	int err;

	memset(out, 0, sizeof(*out));
	out->state = pmig_bj_bench_state(bj, b, &out->message);
	for (i = 0; i < b->n; i++) {
		const struct pmig_bj_entry *e = pmig_bj_entry_of(bj, b, i);
		double iters = pmig_bj_counter(e, "iterations");

		if (e->state != PMIG_BJ_OK)
			continue;
		out->reps++;
		if (e->niters) {
			for (k = 0; k < e->niters; k++)
				out->seconds += e->iter_ns[k] / 1e9;
		} else if (isfinite(e->real_time_ns) && isfinite(iters)) {
			out->seconds += e->real_time_ns * iters / 1e9;
		}
	}
	err = counter_median(bj, b, "bytes_per_second", &out->bytes_per_second);
	if (!err)
		err = counter_median(bj, b, "pages_per_second",
				     &out->pages_per_second);
	if (err)
		return err;
	out->real_time_ns = NAN;
	n = pmig_bj_time_samples(bj, b, false, &rt);
	if (n < 0)
		return (int)n;
	if (n)
		pmig_median(rt, (size_t)n, &out->real_time_ns);
	free(rt);
	return call_percentiles(bj, b, out);
}

static bool drop_part(const char *p, size_t len)
{
	static const char *const prefixes[] = {
		"iterations:", "repeats:", "min_time:", "min_warmup_time:"
	};
	size_t i;

	if (len == strlen("manual_time") && !strncmp(p, "manual_time", len))
		return true;
	for (i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
		if (!strncmp(p, prefixes[i], strlen(prefixes[i])))
			return true;
	return false;
}

char *pmig_bench_result_name(const char *run_name)
{
	char *out = malloc(strlen(run_name) + 1), *o = out;
	const char *p = run_name, *end;
	size_t len, parts = 0;

	if (!out)
		return NULL;
	while (*p) {
		end = strchr(p, '/');
		len = end ? (size_t)(end - p) : strlen(p);
		if (len && !drop_part(p, len)) {
			/* "strategy.the_rest": JUnit's class and case name. */
			if (parts++)
				*o++ = parts == 2 ? '.' : '_';
			for (size_t i = 0; i < len; i++) {
				char c = p[i];
				bool keep = (c >= 'a' && c <= 'z') ||
					    (c >= 'A' && c <= 'Z') ||
					    (c >= '0' && c <= '9') ||
					    c == '_' || c == '-';

				*o++ = keep ? c : '_';
			}
		}
		p += len + (end ? 1 : 0);
	}
	*o = '\0';
	if (o == out) {
		free(out);
		return strdup("unnamed");
	}
	return out;
}

/* Adds @v under @key when it is a finite number. */
static int put_num(struct json_object *m, const char *key, double v)
{
	struct json_object *n;

	if (!isfinite(v))
		return 0;
	n = v == floor(v) && fabs(v) < 9e15 ?
		    json_object_new_int64((int64_t)v) :
		    json_object_new_double(v);
	if (!n || json_object_object_add(m, key, n)) {
		json_object_put(n);
		return -ENOMEM;
	}
	return 0;
}

static int put_text(struct json_object *m, const char *key, const char *s)
{
	struct json_object *v;

	if (!s)
		return 0;
	v = json_object_new_string(s);
	if (!v || json_object_object_add(m, key, v)) {
		json_object_put(v);
		return -ENOMEM;
	}
	return 0;
}

/* The misc object of one benchmark, as text; NULL on ENOMEM. */
static char *misc_text(const struct pmig_bj_entry *e,
		       const struct pmig_bench_summary *s, const char *metric,
		       const char *run_name)
{
	struct json_object *m = json_object_new_object();
	char *text = NULL;
	int err;

	if (!m)
		return NULL;
	err = put_text(m, "benchmark", run_name);
	if (!err)
		err = put_text(m, "metric", metric);
	if (!err)
		err = put_text(m, "strategy", e->strategy);
	if (!err)
		err = put_text(m, "kind", e->kind);
	if (!err && e->batch >= 0)
		err = put_num(m, "batch", (double)e->batch);
	if (!err && e->from >= 0)
		err = put_num(m, "from_node", (double)e->from);
	if (!err && e->to >= 0)
		err = put_num(m, "to_node", (double)e->to);
	if (!err)
		err = put_num(m, "repetitions", (double)s->reps);
	if (!err)
		err = put_num(m, "bytes_per_second", s->bytes_per_second);
	if (!err)
		err = put_num(m, "pages_per_second", s->pages_per_second);
	if (!err)
		err = put_num(m, "real_time_ns", s->real_time_ns);
	if (!err && s->ncalls) {
		err = put_num(m, "call_samples", (double)s->ncalls);
		if (!err)
			err = put_num(m, "call_p50_ns", s->p50_ns);
		if (!err)
			err = put_num(m, "call_p90_ns", s->p90_ns);
		if (!err)
			err = put_num(m, "call_p99_ns", s->p99_ns);
		if (!err)
			err = put_num(m, "call_max_ns", s->max_ns);
	}
	if (!err)
		text = strdup(json_object_to_json_string_ext(
			m, JSON_C_TO_STRING_PLAIN |
				   JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(m);
	return text;
}

/*
 * A tiering run that completed: DONE with its time to converge (t100) in s
 * where it reached its goal (every goal page in place within its limit,
 * none wrong), else FAIL with its figures as the reason (@why, @whylen).
 * Its figures go into misc. 0, -ENOMEM; a malformed run is an ERROR.
 */
static int tier_result(const struct pmig_bj_entry *e, struct pmig_result *r,
		       char **misc, char *why, size_t whylen)
{
	static const char *const keys[] = { "t50_ns",		"t90_ns",
					    "t100_ns",		"duration_ns",
					    "pages_per_second", "limit_s" };
	static const char *const counts[] = { "goal_pages", "moved_pages",
					      "wrong_pages", "swapped_pages" };
	struct json_object *m = json_object_new_object(), *b;
	char figures[256];
	struct pmig_tier t;
	double v[6];
	long c[4];
	bool reached;
	int err = 0;

	*misc = NULL;
	r->number = NAN;
	if (!m)
		return -ENOMEM;
	if (pmig_tier_read(e, &t, figures, sizeof(figures))) {
		json_object_put(m);
		r->outcome = PMIG_ERROR;
		r->reason = "malformed tiering run";
		*misc = strdup("{}");
		return *misc ? 0 : -ENOMEM;
	}
	reached = pmig_tier_goal(&t, figures, sizeof(figures));
	if (reached) {
		r->measure = "time to converge (t100)";
		r->number = t.t100_ns / 1e9;
		r->unit = "s";
	} else {
		r->outcome = PMIG_FAIL;
		snprintf(why, whylen, "goal not reached: %s", figures);
		r->reason = why;
	}
	v[0] = t.t50_ns;
	v[1] = t.t90_ns;
	v[2] = t.t100_ns;
	v[3] = t.duration_ns;
	v[4] = t.pages_per_second;
	v[5] = t.limit_s;
	c[0] = t.goal_pages;
	c[1] = t.moved_pages;
	c[2] = t.wrong_pages;
	c[3] = t.swapped_pages;
	err = put_text(m, "benchmark", e->run_name);
	if (!err)
		err = put_text(
			m, "metric",
			"seconds until every goal page was in place (t100)");
	if (!err)
		err = put_text(m, "kind", "tiering");
	if (!err)
		err = put_text(m, "strategy", t.strategy);
	if (!err)
		err = put_text(m, "workload", t.workload);
	if (!err && t.converged >= 0)
		err = put_num(m, "converged", t.converged);
	if (!err) {
		b = json_object_new_boolean(reached);
		if (!b || json_object_object_add(m, "goal_reached", b)) {
			json_object_put(b);
			err = -ENOMEM;
		}
	}
	for (size_t i = 0; !err && i < sizeof(keys) / sizeof(keys[0]); i++)
		err = put_num(m, keys[i], v[i]);
	for (size_t i = 0; !err && i < sizeof(counts) / sizeof(counts[0]); i++)
		if (c[i] >= 0)
			err = put_num(m, counts[i], (double)c[i]);
	if (!err)
		*misc = strdup(json_object_to_json_string_ext(
			m, JSON_C_TO_STRING_PLAIN |
				   JSON_C_TO_STRING_NOSLASHESCAPE));
	pmig_tier_release(&t);
	json_object_put(m);
	return err ? err : *misc ? 0 : -ENOMEM;
}

/* The outcome of a benchmark that did not give a number. */
static enum pmig_outcome not_ok_outcome(const struct pmig_bj *bj,
					const struct pmig_bj_bench *b,
					enum pmig_bj_state st)
{
	size_t i;

	if (st == PMIG_BJ_SKIPPED)
		return PMIG_SKIP;
	/* A wrong result or a failed migration call: the kernel's doing. */
	for (i = 0; i < b->n; i++) {
		const struct pmig_bj_entry *e = pmig_bj_entry_of(bj, b, i);

		if (e->state == PMIG_BJ_ERROR && e->has_pmig)
			return PMIG_FAIL;
	}
	return PMIG_ERROR;
}

static int add_bench(struct pmig_run *run, const struct pmig_bj *bj,
		     const struct pmig_bj_bench *b, double start)
{
	struct pmig_result r = { .start = start };
	struct pmig_bench_summary s;
	char *name, *misc = NULL, why[320];
	const char *metric = NULL;
	int err;

	err = pmig_bench_summarize(bj, b, &s);
	if (err)
		return err;
	name = pmig_bench_result_name(b->name);
	if (!name)
		return -ENOMEM;
	r.name = name;
	r.duration = s.seconds;
	r.outcome = PMIG_PASS;
	if (s.state != PMIG_BJ_OK || !s.reps) {
		r.outcome = s.state == PMIG_BJ_OK ?
				    PMIG_ERROR :
				    not_ok_outcome(bj, b, s.state);
		r.reason =
			s.state == PMIG_BJ_OK ? "no repetition ran" : s.message;
	} else if (pmig_bj_bench_tiering(bj, b)) {
		err = tier_result(pmig_bj_entry_of(bj, b, 0), &r, &misc, why,
				  sizeof(why));
		if (err)
			goto out;
	} else if (isfinite(s.bytes_per_second)) {
		metric = "median bytes_per_second over repetitions";
		r.measure = "median throughput";
		r.number = s.bytes_per_second;
		r.unit = "B/s";
	} else if (s.ncalls) {
		metric = "median seconds per call";
		r.measure = "median time per call";
		r.number = s.p50_ns / 1e9;
		r.unit = "s";
	} else {
		metric = "median real_time per iteration";
		r.measure = "median time per iteration";
		r.number = s.real_time_ns / 1e9;
		r.unit = "s";
	}
	r.has_number = r.outcome == PMIG_PASS && isfinite(r.number);
	if (!misc)
		misc = misc_text(pmig_bj_entry_of(bj, b, 0), &s, metric,
				 b->name);
	r.misc = misc;
	err = misc && pmig_run_add(run, &r) ? 0 : -ENOMEM;
out:
	free(misc);
	free(name);
	return err;
}

/* Google Benchmark's "date": "2026-11-22T12:00:00+00:00"; 0 when unreadable. */
static double context_date(const char *date)
{
	int sign = 1, hh = 0, mm = 0;
	struct tm tm = { 0 };
	const char *rest;
	time_t t;

	if (!date)
		return 0;
	rest = strptime(date, "%Y-%m-%dT%H:%M:%S", &tm);
	if (!rest)
		return 0;
	if (*rest == '+' || *rest == '-') {
		sign = *rest == '-' ? 1 : -1;
		if (sscanf(rest + 1, "%2d:%2d", &hh, &mm) != 2)
			return 0;
	} else if (*rest && strcmp(rest, "Z")) {
		return 0;
	}
	t = timegm(&tm);
	if (t == (time_t)-1)
		return 0;
	return (double)t + sign * (hh * 3600 + mm * 60);
}

struct pmig_run *pmig_bench_run_from_json(const struct pmig_bj *bj)
{
	/* pmig bench's context keys first, then the plain ones. */
	static const struct {
		const char *context, *meta;
	} meta[] = { { "host_name", "hostname" },
		     { "pmig_kernel", "kernel" },
		     { "kernel", "kernel" },
		     { "pmig_emulation", "emulation" },
		     { "emulation", "emulation" } };
	struct pmig_run *run;
	double start;
	size_t i;

	if (!bj)
		return NULL;
	run = pmig_run_new("pmig.bench");
	if (!run)
		return NULL;
	start = context_date(pmig_bj_context(bj, "date"));
	if (start > 0)
		pmig_run_set_start(run, start);
	for (i = 0; i < sizeof(meta) / sizeof(meta[0]); i++) {
		const char *v = pmig_bj_context(bj, meta[i].context);

		if (v && !pmig_run_get_meta(run, meta[i].meta) &&
		    pmig_run_set_meta(run, meta[i].meta, v))
			goto fail;
	}
	for (i = 0; i < bj->nbenches; i++)
		if (add_bench(run, bj, &bj->benches[i], pmig_run_start(run)))
			goto fail;
	return run;
fail:
	pmig_run_free(run);
	return NULL;
}
