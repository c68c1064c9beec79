/* benchjson.c - reads Google Benchmark JSON, with or without pmig's extras, into entries and benchmarks. */
#include "benchjson.h"
#include "json_get.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

/* The ns in one @unit, 0 when unknown; *@name the unit's constant name. */
static double unit_ns(const char *unit, const char **name)
{
	static const struct {
		const char *name;
		double ns;
	} units[] = { { "ns", 1 }, { "us", 1e3 }, { "ms", 1e6 }, { "s", 1e9 } };
	size_t i;

	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (!strcmp(unit, units[i].name)) {
			*name = units[i].name;
			return units[i].ns;
		}
	return 0;
}

/*
 * The array @key of @pmig (finite numbers >= 0, nanoseconds) into *@out,
 * or nothing when absent; -EINVAL naming the entry and the bad value.
 */
static int samples(struct json_object *pmig, const char *key, const char *name,
		   double **out, size_t *n, char *why, size_t whylen)
{
	struct json_object *arr = pmig_json_get(pmig, key);
	size_t i, len;
	double v;

	*out = NULL;
	*n = 0;
	if (!arr)
		return 0;
	if (!json_object_is_type(arr, json_type_array)) {
		pmig_json_why(why, whylen,
			      "%s: \"%s\" is not an array of times", name, key);
		return -EINVAL;
	}
	len = json_object_array_length(arr);
	if (!len)
		return 0;
	*out = malloc(len * sizeof(**out));
	if (!*out)
		return -ENOMEM;
	for (i = 0; i < len; i++) {
		struct json_object *e = json_object_array_get_idx(arr, i);

		v = pmig_json_is_number(e) ? json_object_get_double(e) : NAN;
		if (!pmig_json_is_number(e) || !isfinite(v) || v < 0) {
			if (pmig_json_is_number(e))
				pmig_json_why(
					why, whylen,
					"%s: \"%s\"[%zu] is %g (a time is a finite number >= 0)",
					name, key, i, v);
			else
				pmig_json_why(why, whylen,
					      "%s: \"%s\"[%zu] is not a number",
					      name, key, i);
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
	/* Past LONG_MAX is no count pmig wrote, and its cast would be undefined. */
	if (v && pmig_json_is_number(v))
		return json_object_get_double(v) >= 0 &&
				       json_object_get_double(v) <
					       (double)LONG_MAX ?
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

/*
 * An OK repetition's time must be a real one: NaN (Google Benchmark writes
 * it for a division by zero), infinite, negative or missing would otherwise
 * drop out of the samples, leaving too few for a verdict: no regression.
 * pmig's raw calls stand for a missing real_time.
 */
static int read_time(struct pmig_bj_entry *e, struct json_object *o, char *why,
		     size_t whylen)
{
	struct json_object *rt = pmig_json_get(o, "real_time");
	const char *unit = pmig_json_str(o, "time_unit");
	double ns, v;

	e->real_time_ns = NAN;
	e->time_unit = "ns";
	ns = unit_ns(unit ? unit : "ns", &e->time_unit);
	if ((rt && !pmig_json_is_number(rt)) || !ns) {
		pmig_json_why(why, whylen,
			      "%s: bad \"real_time\" or \"time_unit\"",
			      e->name);
		return -EINVAL;
	}
	v = rt ? json_object_get_double(rt) : NAN;
	if (e->aggregate || e->state != PMIG_BJ_OK)
		e->real_time_ns = rt ? v * ns : NAN;
	else if (!rt && e->ncalls)
		return 0; /* the calls are its times */
	else if (!rt)
		pmig_json_why(why, whylen, "%s: no \"real_time\"", e->name);
	else if (!isfinite(v) || v < 0)
		pmig_json_why(
			why, whylen,
			"%s: \"real_time\" is %g (a time is a finite number >= 0)",
			e->name, v);
	else
		e->real_time_ns = v * ns;
	return e->aggregate || e->state != PMIG_BJ_OK ||
			       isfinite(e->real_time_ns) ?
		       0 :
		       -EINVAL;
}

static int read_entry(struct pmig_bj_entry *e, struct json_object *o,
		      char **parts_out, size_t idx, char *why, size_t whylen)
{
	struct json_object *pmig;
	const char *type;
	char *parts, *p;
	size_t len;
	int err;

	if (!json_object_is_type(o, json_type_object) ||
	    !pmig_json_str(o, "name")) {
		pmig_json_why(why, whylen, "benchmarks[%zu] has no \"name\"",
			      idx);
		return -EINVAL;
	}
	e->obj = o;
	e->name = pmig_json_str(o, "name");
	e->run_name = pmig_json_str(o, "run_name") ?
			      pmig_json_str(o, "run_name") :
			      e->name;
	type = pmig_json_str(o, "run_type");
	e->aggregate = type && !strcmp(type, "aggregate");
	pmig = pmig_json_get(o, "pmig");
	if (pmig && !json_object_is_type(pmig, json_type_object)) {
		pmig_json_why(why, whylen, "%s: \"pmig\" is not an object",
			      e->name);
		return -EINVAL;
	}
	e->has_pmig = pmig != NULL;
	entry_state(e, o, pmig);
	err = samples(pmig, "call_ns", e->name, &e->call_ns, &e->ncalls, why,
		      whylen);
	if (!err)
		err = samples(pmig,
			      pmig_json_get(pmig, "iteration_ns") ?
				      "iteration_ns" :
				      "iter_ns",
			      e->name, &e->iter_ns, &e->niters, why, whylen);
	if (!err)
		err = read_time(e, o, why, whylen);
	if (err)
		return err;
	/* The samples are copied out: the entry's tree keeps the rest only. */
	if (pmig) {
		json_object_object_del(pmig, "call_ns");
		json_object_object_del(pmig, "iteration_ns");
		json_object_object_del(pmig, "iter_ns");
	}
	/* "move_pages/anon4k/batch:64" -> "move_pages\0anon4k\0batch:64". */
	len = strlen(e->run_name) + 1;
	parts = strdup(e->run_name);
	if (!parts)
		return -ENOMEM;
	*parts_out = parts;
	for (p = parts; *p; p++)
		if (*p == '/')
			*p = '\0';
	e->tiering = attr_str(pmig, NULL, 0, "kind") &&
		     !strcmp(attr_str(pmig, NULL, 0, "kind"), "tiering");
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

/* What the caller sees, and what only the file frees. */
struct pmig_bj_private {
	struct pmig_bj pub;
	char **parts; /* per entry: its name split at '/' */
	size_t cap; /* room in entries and parts */
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
		free(priv->parts[i]);
		json_object_put((struct json_object *)bj->entries[i].obj);
	}
	for (i = 0; i < bj->nbenches; i++)
		free(bj->benches[i].entry);
	free(priv->parts);
	free(bj->benches);
	free(bj->entries);
	json_object_put(bj->root);
	free(priv);
}

/*
 * The text, from a file read in chunks or from one string. The document is
 * never whole in memory, nor is its tree: each top-level value and each
 * benchmark entry is parsed on its own, and an entry's samples leave its
 * tree as doubles, so a file of millions of samples costs their 8 bytes
 * each, not json-c's objects (about 30 times the text).
 */
struct src {
	int fd; /* -1: @buf is all there is */
	const char *buf;
	size_t len, pos;
	size_t offset; /* of buf[0] in the text */
	int err; /* -errno of a read */
	bool nul;
	char chunk[1 << 16];
};

static bool fill(struct src *s)
{
	ssize_t got;

	if (s->pos < s->len)
		return true;
	if (s->fd < 0 || s->err || s->nul)
		return false;
	do
		got = read(s->fd, s->chunk, sizeof(s->chunk));
	while (got < 0 && errno == EINTR);
	if (got <= 0) {
		s->err = got < 0 ? -errno : 0;
		s->fd = got < 0 ? s->fd : -1;
		return false;
	}
	s->offset += s->len;
	s->buf = s->chunk;
	s->len = (size_t)got;
	s->pos = 0;
	if (memchr(s->chunk, '\0', s->len)) {
		s->nul = true;
		s->len = 0;
		return false;
	}
	return true;
}

/* The next character that is not blank, not taken; -1 at the end. */
static int peek(struct src *s)
{
	while (fill(s)) {
		char c = s->buf[s->pos];

		if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
			return (unsigned char)c;
		s->pos++;
	}
	return -1;
}

/* One JSON value from @s, fed to @tok chunk by chunk; NULL with *@jerr. */
static struct json_object *value(struct src *s, struct json_tokener *tok,
				 enum json_tokener_error *jerr)
{
	struct json_object *o;

	json_tokener_reset(tok);
	while (fill(s)) {
		o = json_tokener_parse_ex(tok, s->buf + s->pos,
					  (int)(s->len - s->pos));
		*jerr = json_tokener_get_error(tok);
		if (*jerr == json_tokener_continue) {
			s->pos = s->len;
			continue;
		}
		s->pos += json_tokener_get_parse_end(tok);
		return *jerr == json_tokener_success ? o : NULL;
	}
	*jerr = json_tokener_error_parse_eof;
	return NULL;
}

static int not_json(struct src *s, enum json_tokener_error jerr,
		    const char *what, char *why, size_t whylen)
{
	if (s->err)
		pmig_json_why(why, whylen, "cannot read (%s)",
			      strerror(-s->err));
	else if (s->nul)
		pmig_json_why(why, whylen, "not JSON (a NUL byte)");
	else
		pmig_json_why(why, whylen, "not JSON (%s at byte %zu)",
			      what ? what : json_tokener_error_desc(jerr),
			      s->offset + s->pos);
	return s->err ? s->err : -EINVAL;
}

static int add_entry(struct pmig_bj_private *priv, struct json_object *o,
		     char *why, size_t whylen)
{
	struct pmig_bj *bj = &priv->pub;
	struct pmig_bj_entry *e;
	char **parts;
	size_t cap;
	int err;

	if (bj->nentries == priv->cap) {
		cap = priv->cap ? priv->cap * 2 : 64;
		e = realloc(bj->entries, cap * sizeof(*e));
		if (e)
			bj->entries = e;
		parts = realloc(priv->parts, cap * sizeof(*parts));
		if (parts)
			priv->parts = parts;
		if (!e || !parts) {
			json_object_put(o);
			return -ENOMEM;
		}
		priv->cap = cap;
	}
	e = &bj->entries[bj->nentries];
	memset(e, 0, sizeof(*e));
	priv->parts[bj->nentries] = NULL;
	/* Counted now: pmig_bj_free() frees what the entry got so far. */
	bj->nentries++;
	err = read_entry(e, o, &priv->parts[bj->nentries - 1], bj->nentries - 1,
			 why, whylen);
	e->obj = o;
	return err;
}

/* The "benchmarks" array, after its '['. */
static int entries(struct src *s, struct json_tokener *tok,
		   struct pmig_bj_private *priv, char *why, size_t whylen)
{
	enum json_tokener_error jerr = json_tokener_success;
	struct json_object *o;
	int c, err;

	if (peek(s) == ']') {
		s->pos++;
		return 0;
	}
	for (;;) {
		o = value(s, tok, &jerr);
		if (!o)
			return not_json(s, jerr, NULL, why, whylen);
		err = add_entry(priv, o, why, whylen);
		if (err)
			return err;
		c = peek(s);
		s->pos += c == ',' || c == ']';
		if (c == ']')
			return 0;
		if (c != ',')
			return not_json(s, jerr, "',' or ']' expected", why,
					whylen);
	}
}

/* The top-level object, key by key: only "context" and "benchmarks" stay. */
static int document(struct src *s, struct json_tokener *tok,
		    struct pmig_bj_private *priv, char *why, size_t whylen)
{
	enum json_tokener_error jerr = json_tokener_success;
	struct json_object *key, *v;
	bool benchmarks = false;
	int c, err;

	if (peek(s) != '{') {
		/* Valid JSON of another shape is not ours; anything else is no JSON. */
		v = value(s, tok, &jerr);
		if (!v)
			return not_json(s, jerr, NULL, why, whylen);
		json_object_put(v);
		goto not_gbench;
	}
	s->pos++;
	c = peek(s);
	s->pos += c == '}';
	while (c != '}') {
		key = value(s, tok, &jerr);
		if (!key || !json_object_is_type(key, json_type_string)) {
			json_object_put(key);
			return not_json(s, jerr, key ? "a key expected" : NULL,
					why, whylen);
		}
		if (peek(s) != ':') {
			json_object_put(key);
			return not_json(s, jerr, "':' expected", why, whylen);
		}
		s->pos++;
		if (!strcmp(json_object_get_string(key), "benchmarks") &&
		    peek(s) == '[') {
			json_object_put(key);
			s->pos++;
			benchmarks = true;
			err = entries(s, tok, priv, why, whylen);
			if (err)
				return err;
		} else {
			v = value(s, tok, &jerr);
			if (v &&
			    !strcmp(json_object_get_string(key), "context"))
				json_object_object_add(priv->pub.root,
						       "context", v);
			else
				json_object_put(v);
			json_object_put(key);
			if (!v)
				return not_json(s, jerr, NULL, why, whylen);
		}
		c = peek(s);
		if (c != ',' && c != '}')
			return not_json(s, jerr, "',' or '}' expected", why,
					whylen);
		s->pos++;
	}
	if (peek(s) != -1 || s->err || s->nul)
		return not_json(s, jerr, "data after the end", why, whylen);
	if (benchmarks)
		return 0;
not_gbench:
	pmig_json_why(why, whylen,
		      "not Google Benchmark JSON (no \"benchmarks\" array)");
	return -EINVAL;
}

static int parse(struct src *s, struct pmig_bj **out, char *why, size_t whylen)
{
	struct pmig_bj_private *priv;
	struct json_tokener *tok;
	struct pmig_bj *bj;
	int err = -ENOMEM;

	priv = calloc(1, sizeof(*priv));
	if (!priv)
		goto nomem;
	bj = &priv->pub;
	bj->root = json_object_new_object();
	tok = json_tokener_new();
	if (bj->root && tok)
		err = document(s, tok, priv, why, whylen);
	json_tokener_free(tok);
	if (!err)
		err = group(bj);
	if (!err) {
		*out = bj;
		return 0;
	}
	pmig_bj_free(bj);
nomem:
	if (err == -ENOMEM)
		pmig_json_why(why, whylen, "out of memory");
	return err;
}

int pmig_bj_parse(const char *text, struct pmig_bj **out, char *why,
		  size_t whylen)
{
	struct src *s;
	int err;

	if (!text || !out)
		return -EINVAL;
	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	*s = (struct src){ .fd = -1, .buf = text, .len = strlen(text) };
	err = parse(s, out, why, whylen);
	free(s);
	return err;
}

int pmig_bj_load(const char *path, struct pmig_bj **out, char *why,
		 size_t whylen)
{
	struct src *s;
	int fd, err;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		err = -errno;
		pmig_json_why(why, whylen, "cannot read (%s)", strerror(-err));
		return err;
	}
	s = calloc(1, sizeof(*s));
	err = -ENOMEM;
	if (s) {
		s->fd = fd;
		err = parse(s, out, why, whylen);
	}
	free(s);
	close(fd);
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

enum pmig_bj_clock pmig_bj_emulation_clock(const char *emu)
{
	if (emu && (strstr(emu, "instruction-counted") ||
		    strcasestr(emu, "tcg-icount")))
		return PMIG_BJ_CLOCK_ICOUNT;
	if (emu && strcasestr(emu, "tcg"))
		return PMIG_BJ_CLOCK_TCG;
	return PMIG_BJ_CLOCK_HOST;
}

bool pmig_bj_emulation_counted(const char *emu)
{
	return pmig_bj_emulation_clock(emu) == PMIG_BJ_CLOCK_ICOUNT;
}

const char *pmig_bj_emulation(const struct pmig_bj *bj)
{
	/* pmig bench says "emulated (QEMU TCG)"; other writers "emulation". */
	const char *emu = pmig_bj_context(bj, "pmig_emulation");

	return emu ? emu : pmig_bj_context(bj, "emulation");
}

const char *pmig_bj_cpu_model(const struct pmig_bj *bj)
{
	return pmig_bj_context(bj, "pmig_cpu_model");
}

double pmig_bj_counter(const struct pmig_bj_entry *e, const char *key)
{
	struct json_object *v;

	if (!e || !key)
		return NAN;
	v = pmig_json_get((struct json_object *)e->obj, key);
	return v && pmig_json_is_number(v) ? json_object_get_double(v) : NAN;
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

bool pmig_bj_bench_tiering(const struct pmig_bj *bj,
			   const struct pmig_bj_bench *b)
{
	for (size_t i = 0; i < b->n; i++)
		if (pmig_bj_entry_of(bj, b, i)->tiering)
			return true;
	return false;
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
