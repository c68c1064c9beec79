/* benchjson.c - reads Google Benchmark JSON, with or without pmig's extras, into entries and benchmarks. */
#include "benchjson.h"
#include "json_get.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

/* Entry names with their "key:value" parts split apart, freed with the file. */
struct owned {
	char **p;
	size_t n;
};

static void say(char *why, size_t whylen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void say(char *why, size_t whylen, const char *fmt, ...)
{
	va_list ap;

	if (!why || !whylen)
		return;
	va_start(ap, fmt);
	vsnprintf(why, whylen, fmt, ap);
	va_end(ap);
}

static bool is_number(struct json_object *o)
{
	return json_object_is_type(o, json_type_int) ||
	       json_object_is_type(o, json_type_double);
}

static double unit_ns(const char *unit)
{
	static const struct {
		const char *name;
		double ns;
	} units[] = { { "ns", 1 }, { "us", 1e3 }, { "ms", 1e6 }, { "s", 1e9 } };
	size_t i;

	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (!strcmp(unit, units[i].name))
			return units[i].ns;
	return 0;
}

/* An array of finite numbers >= 0 into *@out; -EINVAL, -ENOMEM. */
static int samples(struct json_object *arr, double **out, size_t *n)
{
	size_t i, len;
	double v;

	*out = NULL;
	*n = 0;
	if (!arr)
		return 0;
	if (!json_object_is_type(arr, json_type_array))
		return -EINVAL;
	len = json_object_array_length(arr);
	if (!len)
		return 0;
	*out = malloc(len * sizeof(**out));
	if (!*out)
		return -ENOMEM;
	for (i = 0; i < len; i++) {
		struct json_object *e = json_object_array_get_idx(arr, i);

		v = is_number(e) ? json_object_get_double(e) : NAN;
		if (!isfinite(v) || v < 0) {
			free(*out);
			*out = NULL;
			return -EINVAL;
		}
		(*out)[i] = v;
	}
	*n = len;
	return 0;
}

/* The value of "key:value" in a '/'-separated @name copy, or NULL. */
static const char *name_part(char *parts, size_t len, const char *key)
{
	size_t klen = strlen(key), i = 0;

	while (i < len) {
		char *p = parts + i;

		if (!strncmp(p, key, klen) && p[klen] == ':')
			return p + klen + 1;
		i += strlen(p) + 1;
	}
	return NULL;
}

/* The pmig object's @key, then its notes', then the name's "key:value". */
static const char *attr_str(struct json_object *pmig, char *parts, size_t len,
			    const char *key)
{
	const char *s = pmig_json_str(pmig, key);

	if (!s)
		s = pmig_json_str(pmig_json_get(pmig, "notes"), key);
	if (!s && parts)
		s = name_part(parts, len, key);
	return s && *s ? s : NULL;
}

static long attr_long(struct json_object *pmig, char *parts, size_t len,
		      const char *key)
{
	struct json_object *v = pmig_json_get(pmig, key);
	const char *s;
	char *end;
	long n;

	if (!v)
		v = pmig_json_get(pmig_json_get(pmig, "notes"), key);
	if (v && is_number(v))
		return json_object_get_double(v) >= 0 ?
			       (long)json_object_get_double(v) :
			       -1;
	s = v && json_object_is_type(v, json_type_string) ?
		    json_object_get_string(v) :
		    NULL;
	if (!s && parts)
		s = name_part(parts, len, key);
	if (!s)
		return -1;
	n = strtol(s, &end, 10);
	return end != s && !*end && n >= 0 ? n : -1;
}

static void entry_state(struct pmig_bj_entry *e, struct json_object *o,
			struct json_object *pmig)
{
	struct json_object *v;
	const char *st = pmig_json_str(pmig, "status");

	e->state = PMIG_BJ_OK;
	e->message = "";
	if ((v = pmig_json_get(o, "error_occurred")) &&
	    json_object_get_boolean(v)) {
		e->state = PMIG_BJ_ERROR;
		e->message = pmig_json_str(o, "error_message");
	} else if ((v = pmig_json_get(o, "skipped")) &&
		   json_object_get_boolean(v)) {
		e->state = PMIG_BJ_SKIPPED;
		e->message = pmig_json_str(o, "skip_message");
	}
	/* pmig's own status is the finer one: unavailable is a skip. */
	if (st && !strcmp(st, "unavailable"))
		e->state = PMIG_BJ_SKIPPED;
	else if (st && !strcmp(st, "failed"))
		e->state = PMIG_BJ_ERROR;
	if (e->state != PMIG_BJ_OK && pmig_json_str(pmig, "message"))
		e->message = pmig_json_str(pmig, "message");
	if (!e->message)
		e->message = "";
}

static int read_entry(struct pmig_bj_entry *e, struct json_object *o,
		      struct owned *own, size_t idx, char *why, size_t whylen)
{
	struct json_object *pmig, *rt;
	const char *unit, *type;
	char *parts, *p;
	size_t len;
	int err;

	if (!json_object_is_type(o, json_type_object) ||
	    !pmig_json_str(o, "name")) {
		say(why, whylen, "benchmarks[%zu] has no \"name\"", idx);
		return -EINVAL;
	}
	e->obj = o;
	e->name = pmig_json_str(o, "name");
	e->run_name = pmig_json_str(o, "run_name") ?
			      pmig_json_str(o, "run_name") :
			      e->name;
	type = pmig_json_str(o, "run_type");
	e->aggregate = type && !strcmp(type, "aggregate");
	e->real_time_ns = NAN;
	unit = pmig_json_str(o, "time_unit") ? pmig_json_str(o, "time_unit") :
					       "ns";
	rt = pmig_json_get(o, "real_time");
	if (rt && (!is_number(rt) || !unit_ns(unit))) {
		say(why, whylen, "%s: bad \"real_time\" or \"time_unit\"",
		    e->name);
		return -EINVAL;
	}
	if (rt)
		e->real_time_ns = json_object_get_double(rt) * unit_ns(unit);
	pmig = pmig_json_get(o, "pmig");
	if (pmig && !json_object_is_type(pmig, json_type_object)) {
		say(why, whylen, "%s: \"pmig\" is not an object", e->name);
		return -EINVAL;
	}
	e->has_pmig = pmig != NULL;
	entry_state(e, o, pmig);
	err = samples(pmig_json_get(pmig, "call_ns"), &e->call_ns, &e->ncalls);
	if (!err)
		err = samples(pmig_json_get(pmig, "iteration_ns") ?
				      pmig_json_get(pmig, "iteration_ns") :
				      pmig_json_get(pmig, "iter_ns"),
			      &e->iter_ns, &e->niters);
	if (err == -EINVAL)
		say(why, whylen,
		    "%s: \"call_ns\" and \"iteration_ns\" must be arrays of numbers >= 0",
		    e->name);
	if (err)
		return err;
	/* "move_pages/anon4k/batch:64" -> "move_pages\0anon4k\0batch:64". */
	len = strlen(e->run_name) + 1;
	parts = strdup(e->run_name);
	if (!parts)
		return -ENOMEM;
	own->p[own->n++] = parts;
	for (p = parts; *p; p++)
		if (*p == '/')
			*p = '\0';
	e->strategy = attr_str(pmig, parts, len, "strategy");
	e->kind = attr_str(pmig, parts, len, "workload");
	if (!e->kind)
		e->kind = attr_str(pmig, parts, len, "kind");
	e->batch = attr_long(pmig, parts, len, "batch");
	/* pmig bench's batch 0 is "every page in one call" where the name has
	 * a batch ("batch:all"), and means nothing for the other strategies. */
	if (!e->batch)
		e->batch = strstr(e->run_name, "/batch:") ?
				   attr_long(pmig, NULL, 0, "pages") :
				   -1;
	e->threads = attr_long(pmig, parts, len, "threads");
	e->from = attr_long(pmig, parts, len, "from");
	e->to = attr_long(pmig, parts, len, "to");
	return 0;
}

static struct pmig_bj_bench *bench_of(struct pmig_bj *bj, const char *name)
{
	size_t i;

	for (i = 0; i < bj->nbenches; i++)
		if (!strcmp(bj->benches[i].name, name))
			return &bj->benches[i];
	return NULL;
}

static int group(struct pmig_bj *bj)
{
	struct pmig_bj_bench *b;
	size_t i;
	size_t *p;

	bj->benches =
		calloc(bj->nentries ? bj->nentries : 1, sizeof(*bj->benches));
	if (!bj->benches)
		return -ENOMEM;
	for (i = 0; i < bj->nentries; i++) {
		if (bj->entries[i].aggregate)
			continue;
		b = bench_of(bj, bj->entries[i].run_name);
		if (!b) {
			b = &bj->benches[bj->nbenches++];
			b->name = bj->entries[i].run_name;
		}
		p = realloc(b->entry, (b->n + 1) * sizeof(*p));
		if (!p)
			return -ENOMEM;
		b->entry = p;
		b->entry[b->n++] = i;
	}
	return 0;
}

/* What the caller sees, and the strings only the file frees. */
struct pmig_bj_private {
	struct pmig_bj pub;
	struct owned own;
};

void pmig_bj_free(struct pmig_bj *bj)
{
	struct pmig_bj_private *priv = (struct pmig_bj_private *)bj;
	size_t i;

	if (!bj)
		return;
	for (i = 0; i < bj->nentries; i++) {
		free(bj->entries[i].call_ns);
		free(bj->entries[i].iter_ns);
	}
	for (i = 0; i < bj->nbenches; i++)
		free(bj->benches[i].entry);
	for (i = 0; i < priv->own.n; i++)
		free(priv->own.p[i]);
	free(priv->own.p);
	free(bj->benches);
	free(bj->entries);
	json_object_put(bj->root);
	free(priv);
}

int pmig_bj_parse(const char *text, struct pmig_bj **out, char *why,
		  size_t whylen)
{
	enum json_tokener_error jerr;
	struct pmig_bj_private *priv;
	struct json_object *arr;
	struct pmig_bj *bj;
	size_t i, n;
	int err;

	if (!text || !out)
		return -EINVAL;
	priv = calloc(1, sizeof(*priv));
	if (!priv)
		return -ENOMEM;
	bj = &priv->pub;
	bj->root = json_tokener_parse_verbose(text, &jerr);
	if (!bj->root) {
		say(why, whylen, "not JSON (%s)",
		    json_tokener_error_desc(jerr));
		err = -EINVAL;
		goto fail;
	}
	arr = pmig_json_get(bj->root, "benchmarks");
	if (!arr || !json_object_is_type(arr, json_type_array)) {
		say(why, whylen,
		    "not Google Benchmark JSON (no \"benchmarks\" array)");
		err = -EINVAL;
		goto fail;
	}
	n = json_object_array_length(arr);
	err = -ENOMEM;
	bj->entries = calloc(n ? n : 1, sizeof(*bj->entries));
	priv->own.p = calloc(n ? n : 1, sizeof(*priv->own.p));
	if (!bj->entries || !priv->own.p)
		goto fail;
	for (i = 0; i < n; i++) {
		bj->nentries = i + 1;
		err = read_entry(&bj->entries[i],
				 json_object_array_get_idx(arr, i), &priv->own,
				 i, why, whylen);
		if (err)
			goto fail;
	}
	err = group(bj);
	if (err)
		goto fail;
	*out = bj;
	return 0;
fail:
	if (err == -ENOMEM)
		say(why, whylen, "out of memory");
	pmig_bj_free(bj);
	return err;
}

int pmig_bj_load(const char *path, struct pmig_bj **out, char *why,
		 size_t whylen)
{
	size_t len = 0, cap = 1 << 16;
	char *text, *p;
	ssize_t got;
	int fd, err;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		err = -errno;
		say(why, whylen, "cannot read (%s)", strerror(-err));
		return err;
	}
	text = malloc(cap);
	err = -ENOMEM;
	while (text) {
		if (len + 1 == cap) {
			p = realloc(text, cap * 2);
			if (!p)
				break;
			text = p;
			cap *= 2;
		}
		got = read(fd, text + len, cap - 1 - len);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0) {
			err = got < 0 ? -errno : 0;
			break;
		}
		len += (size_t)got;
	}
	close(fd);
	if (err) {
		say(why, whylen, "cannot read (%s)", strerror(-err));
		free(text);
		return err;
	}
	text[len] = '\0';
	if (strlen(text) != len) {
		say(why, whylen, "not JSON (a NUL byte)");
		free(text);
		return -EINVAL;
	}
	err = pmig_bj_parse(text, out, why, whylen);
	free(text);
	return err;
}

const char *pmig_bj_context(const struct pmig_bj *bj, const char *key)
{
	struct json_object *v;

	if (!bj || !key)
		return NULL;
	v = pmig_json_get(pmig_json_get(bj->root, "context"), key);
	return v ? json_object_get_string(v) : NULL;
}

double pmig_bj_counter(const struct pmig_bj_entry *e, const char *key)
{
	struct json_object *v;

	if (!e || !key)
		return NAN;
	v = pmig_json_get((struct json_object *)e->obj, key);
	return v && is_number(v) ? json_object_get_double(v) : NAN;
}

const struct pmig_bj_bench *pmig_bj_find(const struct pmig_bj *bj,
					 const char *name)
{
	return bj && name ? bench_of((struct pmig_bj *)bj, name) : NULL;
}

const struct pmig_bj_entry *pmig_bj_entry_of(const struct pmig_bj *bj,
					     const struct pmig_bj_bench *b,
					     size_t i)
{
	return &bj->entries[b->entry[i]];
}

enum pmig_bj_state pmig_bj_bench_state(const struct pmig_bj *bj,
				       const struct pmig_bj_bench *b,
				       const char **msg)
{
	enum pmig_bj_state st = PMIG_BJ_OK;
	const char *m = "";
	size_t i;

	for (i = 0; i < b->n; i++) {
		const struct pmig_bj_entry *e = pmig_bj_entry_of(bj, b, i);

		if (e->state == PMIG_BJ_ERROR && st != PMIG_BJ_ERROR) {
			st = PMIG_BJ_ERROR;
			m = e->message;
		} else if (e->state == PMIG_BJ_SKIPPED && st == PMIG_BJ_OK) {
			st = PMIG_BJ_SKIPPED;
			m = e->message;
		}
	}
	if (msg)
		*msg = m;
	return st;
}

bool pmig_bj_has_calls(const struct pmig_bj *bj, const struct pmig_bj_bench *b)
{
	size_t i, ok = 0;

	for (i = 0; i < b->n; i++) {
		const struct pmig_bj_entry *e = pmig_bj_entry_of(bj, b, i);

		if (e->state != PMIG_BJ_OK)
			continue;
		if (!e->ncalls)
			return false;
		ok++;
	}
	return ok > 0;
}

ssize_t pmig_bj_time_samples(const struct pmig_bj *bj,
			     const struct pmig_bj_bench *b, bool per_call,
			     double **out)
{
	size_t i, n = 0, total = 0;
	double *s;

	*out = NULL;
	for (i = 0; i < b->n; i++)
		total += pmig_bj_entry_of(bj, b, i)->ncalls + 1;
	s = malloc((total ? total : 1) * sizeof(*s));
	if (!s)
		return -ENOMEM;
	for (i = 0; i < b->n; i++) {
		const struct pmig_bj_entry *e = pmig_bj_entry_of(bj, b, i);

		if (e->state != PMIG_BJ_OK)
			continue;
		if (per_call && e->ncalls) {
			memcpy(s + n, e->call_ns, e->ncalls * sizeof(*s));
			n += e->ncalls;
		} else if (!per_call && isfinite(e->real_time_ns)) {
			s[n++] = e->real_time_ns;
		}
	}
	if (!n)
		free(s);
	else
		*out = s;
	return (ssize_t)n;
}

ssize_t pmig_bj_counter_samples(const struct pmig_bj *bj,
				const struct pmig_bj_bench *b, const char *key,
				double **out)
{
	size_t i, n = 0;
	double *s, v;

	*out = NULL;
	s = malloc((b->n ? b->n : 1) * sizeof(*s));
	if (!s)
		return -ENOMEM;
	for (i = 0; i < b->n; i++) {
		const struct pmig_bj_entry *e = pmig_bj_entry_of(bj, b, i);

		v = pmig_bj_counter(e, key);
		if (e->state == PMIG_BJ_OK && isfinite(v))
			s[n++] = v;
	}
	if (!n)
		free(s);
	else
		*out = s;
	return (ssize_t)n;
}
