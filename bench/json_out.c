/* json_out.c - the final JSON: Google Benchmark's own output with each run's "pmig" object (raw samples, latency summary, counters, efficiency) added. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "metrics/stats.h"
#include "json_out.h"
#include "outfile.h"
#include "shim.h"

static double num(const struct pmig_bench_run *r, const char *key)
{
	const struct pmig_note *n = pmig_bench_run_note(r, key);

	return n && !n->is_text ? n->num : -1;
}

static const char *text(const struct pmig_bench_run *r, const char *key)
{
	const struct pmig_note *n = pmig_bench_run_note(r, key);

	return n && n->is_text ? n->text : "";
}

double pmig_report_gbps(const struct pmig_bench_run *r)
{
	uint64_t ns = 0;

	for (size_t i = 0; i < r->niters; i++)
		ns += r->iter_ns[i];
	/* A tiering run's time is until convergence; its own notes give its rates. */
	if (r->status != PMIG_RUN_VERIFIED || !ns || num(r, "bytes") <= 0 ||
	    !strcmp(text(r, "kind"), "tiering"))
		return -1;
	/* bytes per nanosecond = 10^9 bytes per second. */
	return num(r, "bytes") * (double)r->niters / (double)ns;
}

double pmig_report_copy_bound(const struct pmig_bench_run *r,
			      const struct pmig_bench_run *runs, size_t n)
{
	double best = -1, bound = -1, sum = 0;
	int count = 0;

	/* The single-threaded memcpy runs of the same pair; the size closest to @r's. */
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < n; i++) {
			const struct pmig_bench_run *m = &runs[i];
			double d = num(m, "bytes") - num(r, "bytes"), g;

			if (strcmp(text(m, "strategy"), "memcpy") ||
			    num(m, "threads") != 1 ||
			    num(m, "from") != num(r, "from") ||
			    num(m, "to") != num(r, "to"))
				continue;
			g = pmig_report_gbps(m);
			d = d < 0 ? -d : d;
			if (g <= 0)
				continue;
			if (pass == 0 && (best < 0 || d < best)) {
				best = d;
			} else if (pass == 1 && d == best) {
				sum += g;
				count++;
			}
		}
	}
	if (count)
		bound = sum / count;
	return bound;
}

static void add_num(json_object *o, const char *key, double v)
{
	json_object_object_add(o, key, json_object_new_double(v));
}

static json_object *ns_array(const uint64_t *v, size_t n)
{
	json_object *a = json_object_new_array_ext((int)n);

	for (size_t i = 0; i < n; i++)
		json_object_array_add(a, json_object_new_int64((int64_t)v[i]));
	return a;
}

static const char *status_name(enum pmig_run_status s)
{
	return s == PMIG_RUN_VERIFIED ? "verified" :
	       s == PMIG_RUN_FAILED   ? "failed" :
					"unavailable";
}

json_object *pmig_report_run_object(const struct pmig_bench_run *r,
				    const struct pmig_bench_run *runs, size_t n)
{
	json_object *o = json_object_new_object();
	json_object *counters = json_object_new_object();
	struct pmig_lat_summary s;
	double gbps = pmig_report_gbps(r), bound, *d;

	json_object_object_add(o, "status",
			       json_object_new_string(status_name(r->status)));
	if (r->message[0])
		json_object_object_add(o, "message",
				       json_object_new_string(r->message));
	for (size_t i = 0; i < r->nnotes; i++) {
		const struct pmig_note *t = &r->notes[i];
		bool counter = !strncmp(t->key, "c.", 2);
		json_object *dst = counter ? counters : o;
		const char *key = counter ? t->key + 2 : t->key;

		if (t->is_text)
			json_object_object_add(dst, key,
					       json_object_new_string(t->text));
		else
			add_num(dst, key, t->num);
	}
	json_object_object_add(o, "counters", counters);
	json_object_object_add(o, "iterations",
			       json_object_new_int64((int64_t)r->niters));
	if (gbps > 0) {
		add_num(o, "gbps", gbps);
		add_num(o, "pages_per_second",
			gbps * 1e9 / (double)sysconf(_SC_PAGESIZE));
		bound = pmig_report_copy_bound(r, runs, n);
		/* The bound itself beside the fraction: the report compares both. */
		if (bound > 0) {
			add_num(o, "copy_bound_gbps", bound);
			add_num(o, "efficiency", gbps / bound);
		}
	}
	d = malloc((r->ncalls ? r->ncalls : 1) * sizeof(*d));
	for (size_t i = 0; d && i < r->ncalls; i++)
		d[i] = (double)r->call_ns[i];
	if (d && !pmig_lat_summarize(d, r->ncalls, &s)) {
		json_object *l = json_object_new_object();

		json_object_object_add(l, "n",
				       json_object_new_int64((int64_t)s.n));
		add_num(l, "min", s.min);
		add_num(l, "p50", s.p50);
		add_num(l, "p90", s.p90);
		add_num(l, "p99", s.p99);
		add_num(l, "max", s.max);
		add_num(l, "mean", s.mean);
		json_object_object_add(o, "latency_ns", l);
	}
	free(d);
	if (r->nseries) {
		json_object *t = json_object_new_object();

		for (size_t i = 0; i < r->nseries; i++) {
			const struct pmig_series *c = &r->series[i];
			json_object *a = json_object_new_array_ext((int)c->n);

			for (size_t j = 0; j < c->n; j++)
				json_object_array_add(
					a, json_object_new_double(c->v[j]));
			json_object_object_add(t, c->name, a);
		}
		json_object_object_add(o, "timeline", t);
	}
	json_object_object_add(o, "iteration_ns",
			       ns_array(r->iter_ns, r->niters));
	json_object_object_add(o, "call_ns", ns_array(r->call_ns, r->ncalls));
	json_object_object_add(
		o, "calls_dropped",
		json_object_new_int64((int64_t)r->calls_dropped));
	return o;
}

/* The run an entry's label names, or NULL. */
static const struct pmig_bench_run *entry_run(json_object *e)
{
	json_object *label;
	const char *s;

	if (!json_object_object_get_ex(e, "label", &label))
		return NULL;
	s = json_object_get_string(label);
	if (!s || strncmp(s, PMIG_RUN_LABEL, strlen(PMIG_RUN_LABEL)))
		return NULL;
	return pmig_bench_run_by_id(atoi(s + strlen(PMIG_RUN_LABEL)));
}

static bool is_iteration(json_object *e)
{
	json_object *t;

	return json_object_object_get_ex(e, "run_type", &t) &&
	       !strcmp(json_object_get_string(t), "iteration");
}

int pmig_report_write(const char *gb_path, const char *out_path,
		      const char *topology_xml, struct pmig_report_summary *sum)
{
	json_object *root = json_object_from_file(gb_path), *list, *top;
	size_t nruns;
	const struct pmig_bench_run *runs = pmig_bench_runs(&nruns);
	char tmp[4096];
	FILE *f;
	int ret = 0;

	memset(sum, 0, sizeof(*sum));
	if (!root)
		return access(gb_path, R_OK) ? -ENOENT : -EINVAL;
	if (!json_object_object_get_ex(root, "benchmarks", &list) ||
	    !json_object_is_type(list, json_type_array)) {
		json_object_put(root);
		return -EINVAL;
	}
	for (size_t i = 0; i < json_object_array_length(list); i++) {
		json_object *e = json_object_array_get_idx(list, i);
		const struct pmig_bench_run *r = entry_run(e);

		if (!r || !is_iteration(e))
			continue;
		json_object_object_add(e, "pmig",
				       pmig_report_run_object(r, runs, nruns));
	}
	for (size_t i = 0; i < nruns; i++) {
		if (runs[i].status == PMIG_RUN_VERIFIED)
			sum->verified++;
		else if (runs[i].status == PMIG_RUN_FAILED)
			sum->failed++;
		else
			sum->unavailable++;
	}
	top = json_object_new_object();
	json_object_object_add(top, "schema", json_object_new_int(1));
	json_object_object_add(top, "verified",
			       json_object_new_int64((int64_t)sum->verified));
	json_object_object_add(top, "failed",
			       json_object_new_int64((int64_t)sum->failed));
	json_object_object_add(
		top, "unavailable",
		json_object_new_int64((int64_t)sum->unavailable));
	if (topology_xml)
		json_object_object_add(top, "topology_xml",
				       json_object_new_string(topology_xml));
	json_object_object_add(root, "pmig", top);

	/* Whole or not at all, with the user's umask (harness/outfile.h). */
	ret = pmig_outfile_open(out_path, tmp, sizeof(tmp), &f);
	if (!ret) {
		const char *text = json_object_to_json_string_ext(
			root, JSON_C_TO_STRING_PRETTY |
				      JSON_C_TO_STRING_NOSLASHESCAPE);

		if (!text || fputs(text, f) < 0 || fputc('\n', f) < 0)
			ret = -EIO;
		ret = pmig_outfile_commit(f, tmp, out_path, ret);
	}
	json_object_put(root);
	return ret;
}
