/* tiering.c - reads a tiering strategy's run (pmig "kind" "tiering") from a benchmark JSON entry: figures, counters, timeline. */
#include "tiering.h"
#include "compare.h"
#include "json_get.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

bool pmig_tier_workload_known(const char *workload)
{
	return workload &&
	       (!strcmp(workload, "promote") || !strcmp(workload, "demote"));
}

/*
 * @key of @pmig into *@out: absent is @none; a number must be finite and
 * >= @min (-1 for "never" or "none", else 0).
 */
static int num(struct json_object *pmig, const char *key, double min,
	       double none, double *out, const char *name, char *why,
	       size_t whylen)
{
	struct json_object *v = pmig_json_get(pmig, key);
	double d;

	*out = none;
	if (!v)
		return 0;
	d = pmig_json_is_number(v) ? json_object_get_double(v) : NAN;
	if (!isfinite(d) || d < min) {
		pmig_json_why(why, whylen, "%s: \"%s\" is %s (a number >= %g)",
			      name, key, json_object_to_json_string(v), min);
		return -EINVAL;
	}
	*out = d;
	return 0;
}

/* A count (>= 0), -1 when absent; past LONG_MAX is no count pmig wrote. */
static int count(struct json_object *pmig, const char *key, long *out,
		 const char *name, char *why, size_t whylen)
{
	double d;
	int err = num(pmig, key, 0, -1, &d, name, why, whylen);

	if (!err && d > 9e15) {
		pmig_json_why(why, whylen,
			      "%s: \"%s\" is %g (too large a count)", name, key,
			      d);
		err = -EINVAL;
	}
	*out = err ? -1 : (long)d;
	return err;
}

/* A time in ns: -1 (never) and absence read as NAN. */
static int time_ns(struct json_object *pmig, const char *key, double *out,
		   const char *name, char *why, size_t whylen)
{
	int err = num(pmig, key, -1, NAN, out, name, why, whylen);

	if (!err && *out < 0) {
		if (*out != -1) {
			pmig_json_why(
				why, whylen,
				"%s: \"%s\" is %g (a time >= 0, or -1 for never)",
				name, key, *out);
			return -EINVAL;
		}
		*out = NAN;
	}
	return err;
}

/* Array @key of timeline @tl into *@out (@n long), or NULL when absent. */
static int series(struct json_object *tl, const char *key, bool share,
		  size_t *n, double **out, const char *name, char *why,
		  size_t whylen)
{
	struct json_object *a = pmig_json_get(tl, key);
	size_t i, len;

	*out = NULL;
	if (!a)
		return 0;
	if (!json_object_is_type(a, json_type_array)) {
		pmig_json_why(why, whylen,
			      "%s: timeline \"%s\" is not an array", name, key);
		return -EINVAL;
	}
	len = json_object_array_length(a);
	if (*n != (size_t)-1 && len != *n) {
		pmig_json_why(
			why, whylen,
			"%s: timeline \"%s\" has %zu values, \"t_ns\" %zu",
			name, key, len, *n);
		return -EINVAL;
	}
	*n = len;
	*out = malloc((len ? len : 1) * sizeof(**out));
	if (!*out)
		return -ENOMEM;
	for (i = 0; i < len; i++) {
		struct json_object *v = json_object_array_get_idx(a, i);
		double d = pmig_json_is_number(v) ? json_object_get_double(v) :
						    NAN;

		if (!isfinite(d) || d < 0 || (share && d > 1) ||
		    (!share && i && d < (*out)[i - 1])) {
			pmig_json_why(why, whylen,
				      "%s: timeline \"%s\"[%zu] is %s (%s)",
				      name, key, i,
				      v ? json_object_to_json_string(v) :
					  "null",
				      share ? "a share from 0 to 1" :
					      "a time >= 0, never going back");
			free(*out);
			*out = NULL;
			return -EINVAL;
		}
		(*out)[i] = d;
	}
	return 0;
}

static int timeline(struct json_object *pmig, struct pmig_tier *t,
		    const char *name, char *why, size_t whylen)
{
	struct json_object *tl = pmig_json_get(pmig, "timeline");
	size_t n = (size_t)-1;
	int err;

	if (!tl)
		return 0;
	if (!json_object_is_type(tl, json_type_object) ||
	    !pmig_json_get(tl, "t_ns") || !pmig_json_get(tl, "goal")) {
		pmig_json_why(
			why, whylen,
			"%s: \"timeline\" is not an object with \"t_ns\" and \"goal\"",
			name);
		return -EINVAL;
	}
	err = series(tl, "t_ns", false, &n, &t->tl.t_ns, name, why, whylen);
	if (!err)
		err = series(tl, "goal", true, &n, &t->tl.goal, name, why,
			     whylen);
	if (!err)
		err = series(tl, "hot_near", true, &n, &t->tl.hot_near, name,
			     why, whylen);
	if (!err)
		err = series(tl, "cold_near", true, &n, &t->tl.cold_near, name,
			     why, whylen);
	t->tl.n = err ? 0 : n;
	return err;
}

/* The name's third part when it is a size ("16M"), not a key:value part. */
static void size_part(const char *name, char *buf, size_t len)
{
	const char *p = name, *end;
	int i;

	buf[0] = '\0';
	for (i = 0; i < 2 && p; i++) {
		p = strchr(p, '/');
		p = p ? p + 1 : NULL;
	}
	if (!p)
		return;
	end = strchr(p, '/');
	if (!end)
		end = p + strlen(p);
	if (end > p && (size_t)(end - p) < len && !memchr(p, ':', end - p))
		snprintf(buf, len, "%.*s", (int)(end - p), p);
}

/* The figures in order: counts, times, CPU, rate. */
static int figures(struct json_object *pmig, struct pmig_tier *t,
		   const char *name, char *why, size_t whylen)
{
	static const struct {
		const char *key;
		size_t off;
	} counts[] = {
#define C(k) { #k, offsetof(struct pmig_tier, k) }
		C(pages),	C(hot_pages),	C(cold_pages),	  C(goal_pages),
		C(from),	C(to),		C(near),	  C(far),
		C(moved_pages), C(wrong_pages), C(swapped_pages), C(tlb_refresh_us),
#undef C
	},
	  times[] = {
#define T(k) { #k, offsetof(struct pmig_tier, k) }
		  T(t50_ns),	     T(t90_ns),	     T(t100_ns),
		  T(duration_ns),    T(kthread_cpu_ns), T(task_sys_ns),
		  T(loop_cpu_ns),
#undef T
	  };
	double conv;
	size_t i;
	int err = 0;

	for (i = 0; !err && i < sizeof(counts) / sizeof(counts[0]); i++)
		err = count(pmig, counts[i].key,
			    (long *)((char *)t + counts[i].off), name, why,
			    whylen);
	for (i = 0; !err && i < sizeof(times) / sizeof(times[0]); i++)
		err = time_ns(pmig, times[i].key,
			      (double *)((char *)t + times[i].off), name, why,
			      whylen);
	if (!err)
		err = num(pmig, "rate_limit_MBps", -1, NAN, &t->rate_limit_mbps,
			  name, why, whylen);
	if (!err)
		err = num(pmig, "limit_s", 0, NAN, &t->limit_s, name, why,
			  whylen);
	if (!err)
		err = num(pmig, "pages_per_second", 0, NAN,
			  &t->pages_per_second, name, why, whylen);
	if (!err)
		err = num(pmig, "converged", 0, -1, &conv, name, why, whylen);
	if (!err && conv > 1) {
		pmig_json_why(why, whylen, "%s: \"converged\" is %g (0 or 1)",
			      name, conv);
		err = -EINVAL;
	}
	t->converged = err ? -1 : (int)conv;
	return err;
}

int pmig_tier_read(const struct pmig_bj_entry *e, struct pmig_tier *out,
		   char *why, size_t whylen)
{
	struct json_object *pmig =
		pmig_json_get((struct json_object *)e->obj, "pmig");
	double over;
	int err;

	memset(out, 0, sizeof(*out));
	out->e = e;
	out->strategy = e->strategy;
	out->workload = pmig_json_str(pmig, "workload") ?
				pmig_json_str(pmig, "workload") :
				e->kind;
	out->state = e->state;
	out->message = e->message ? e->message : "";
	out->time_base = pmig_json_str(pmig, "time_base");
	size_part(e->run_name, out->size, sizeof(out->size));
	err = figures(pmig, out, e->name, why, whylen);
	if (!err)
		err = timeline(pmig, out, e->name, why, whylen);
	if (err) {
		pmig_tier_release(out);
		return err;
	}
	/* Over t100 when it converged, else over the time it was watched. */
	over = out->converged == 1 ? out->t100_ns : out->duration_ns;
	if (out->moved_pages >= 0 && over > 0)
		out->pages_per_second = (double)out->moved_pages / over * 1e9;
	return 0;
}

void pmig_tier_release(struct pmig_tier *t)
{
	free(t->tl.t_ns);
	free(t->tl.goal);
	free(t->tl.hot_near);
	free(t->tl.cold_near);
	memset(&t->tl, 0, sizeof(t->tl));
}

bool pmig_tier_goal(const struct pmig_tier *t, char *why, size_t whylen)
{
	const struct pmig_tier_figures f = {
		.goal_pages = t->goal_pages,
		.moved_pages = t->moved_pages,
		.wrong_pages = t->wrong_pages,
		.swapped_pages = t->swapped_pages,
		.t90_ns = t->t90_ns,
		.t100_ns = t->t100_ns,
		.duration_ns = t->duration_ns,
		.limit_s = t->limit_s,
	};

	pmig_tier_goal_text(&f, why, whylen);
	return pmig_tier_goal_reached(&f);
}

double pmig_tier_counter(const struct pmig_tier *t, const char *key)
{
	struct json_object *v = pmig_json_get(
		pmig_json_get(
			pmig_json_get((struct json_object *)t->e->obj, "pmig"),
			"counters"),
		key);

	return pmig_json_is_number(v) ? json_object_get_double(v) : NAN;
}

int pmig_tier_spread(const double *v, size_t n, struct pmig_tier_spread *out)
{
	int err = pmig_median(v, n, &out->median);

	if (err)
		return err;
	out->n = n;
	out->min = out->max = v[0];
	for (size_t i = 1; i < n; i++) {
		out->min = fmin(out->min, v[i]);
		out->max = fmax(out->max, v[i]);
	}
	out->spread = out->max == out->min ? 0 :
		      out->median ? (out->max - out->min) / fabs(out->median) :
				    NAN;
	return 0;
}
