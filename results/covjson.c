/* covjson.c - coverage.json written with json-c, and read back into the coverage model. */
#include "covjson.h"

#include "json_get.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define FORMAT "pmig-coverage"
#define VERSION 1

static struct json_object *strs(char **v, size_t n)
{
	struct json_object *a = json_object_new_array();
	size_t i;

	for (i = 0; i < n; i++)
		json_object_array_add(a, json_object_new_string(v[i]));
	return a;
}

static struct json_object *opt_str(const char *s)
{
	return s ? json_object_new_string(s) : NULL;
}

static const char *code_of(const struct pmig_cov_func *f)
{
	if (f->outline && f->inlined)
		return "both";
	return f->outline ? "outline" : f->inlined ? "inlined" : "none";
}

static struct json_object *func_json(const struct pmig_cov_func *f)
{
	struct json_object *o = json_object_new_object();
	struct json_object *reached;
	const char *by = "none";

	if (f->state == PMIG_COV_NOCODE)
		reached = json_object_new_string("inlined");
	else
		reached = json_object_new_boolean(f->state == PMIG_COV_REACHED);
	if (f->suite)
		by = "suite";
	else if (f->state == PMIG_COV_REACHED)
		by = "boot-runner-only";
	json_object_object_add(o, "name", json_object_new_string(f->name));
	json_object_object_add(o, "line", json_object_new_int(f->line));
	json_object_object_add(o, "reached", reached);
	json_object_object_add(o, "by", json_object_new_string(by));
	json_object_object_add(o, "code", json_object_new_string(code_of(f)));
	json_object_object_add(o, "boot", json_object_new_boolean(f->boot));
	json_object_object_add(o, "runner", json_object_new_boolean(f->runner));
	json_object_object_add(o, "executions",
			       json_object_new_int64((int64_t)f->executions));
	json_object_object_add(o, "calls",
			       json_object_new_int64((int64_t)f->calls));
	json_object_object_add(o, "symbols", strs(f->symbols, f->nsymbols));
	json_object_object_add(o, "cases", strs(f->cases, f->ncases));
	return o;
}

static void counts_json(struct json_object *o, struct pmig_cov_counts n)
{
	json_object_object_add(o, "total",
			       json_object_new_int64((int64_t)n.total));
	json_object_object_add(o, "reached",
			       json_object_new_int64((int64_t)n.reached));
	json_object_object_add(o, "reached_by_suite",
			       json_object_new_int64((int64_t)n.suite));
	json_object_object_add(o, "inlined",
			       json_object_new_int64((int64_t)n.nocode));
}

int pmig_covjson_write(const struct pmig_cov *c, FILE *f)
{
	struct json_object *root = json_object_new_object();
	struct json_object *k = json_object_new_object();
	struct json_object *files = json_object_new_array();
	struct json_object *totals = json_object_new_object();
	size_t i, j;
	int rc = 0;

	json_object_object_add(root, "format", json_object_new_string(FORMAT));
	json_object_object_add(root, "version", json_object_new_int(VERSION));
	json_object_object_add(k, "release", opt_str(c->release));
	json_object_object_add(k, "arch", opt_str(c->arch));
	json_object_object_add(k, "package", opt_str(c->package));
	json_object_object_add(k, "package_version",
			       opt_str(c->package_version));
	json_object_object_add(root, "kernel", k);
	json_object_object_add(
		root, "suite",
		json_object_new_string(c->suite ? c->suite : "pmig"));
	json_object_object_add(root, "cases", strs(c->labels, c->nlabels));
	counts_json(totals, pmig_cov_count(c, NULL));
	json_object_object_add(root, "totals", totals);
	json_object_object_add(root, "unnamed_ranges",
			       json_object_new_int64((int64_t)c->unnamed));
	for (i = 0; i < c->nfiles; i++) {
		const struct pmig_cov_file *cf = &c->files[i];
		struct json_object *o = json_object_new_object();
		struct json_object *fns = json_object_new_array();

		json_object_object_add(o, "path",
				       json_object_new_string(cf->path));
		json_object_object_add(
			o, "scope",
			json_object_new_string(cf->whole ? "file" :
							   "functions"));
		json_object_object_add(o, "built",
				       json_object_new_boolean(cf->nfuncs > 0));
		counts_json(o, pmig_cov_count(c, cf));
		for (j = 0; j < cf->nfuncs; j++)
			json_object_array_add(fns, func_json(&cf->funcs[j]));
		json_object_object_add(o, "functions", fns);
		json_object_array_add(files, o);
	}
	json_object_object_add(root, "files", files);
	if (fputs(json_object_to_json_string_ext(
			  root, JSON_C_TO_STRING_PRETTY |
					JSON_C_TO_STRING_NOSLASHESCAPE),
		  f) < 0 ||
	    fputc('\n', f) == EOF)
		rc = -EIO;
	json_object_put(root);
	return rc;
}

/* The strings of array @a into a new set; 0, -EINVAL, -ENOMEM. */
static int read_strs(struct json_object *a, char ***v, size_t *n)
{
	size_t i;
	int rc;

	if (!a || !json_object_is_type(a, json_type_array))
		return -EINVAL;
	for (i = 0; i < json_object_array_length(a); i++) {
		struct json_object *s = json_object_array_get_idx(a, i);

		if (!json_object_is_type(s, json_type_string))
			return -EINVAL;
		rc = pmig_cov_strs_add(v, n, json_object_get_string(s));
		if (rc)
			return rc;
	}
	return 0;
}

static int dup_opt(struct json_object *o, const char *key, char **out)
{
	const char *s = pmig_json_str(o, key);

	if (!s)
		return 0;
	*out = strdup(s);
	return *out ? 0 : -ENOMEM;
}

static int read_func(struct json_object *o, struct pmig_cov_func *f)
{
	struct json_object *reached = pmig_json_get(o, "reached");
	struct json_object *line = pmig_json_get(o, "line");
	const char *name = pmig_json_str(o, "name");
	const char *code = pmig_json_str(o, "code");
	const char *by = pmig_json_str(o, "by");

	if (!name || !code || !by || !line || !reached ||
	    !json_object_is_type(line, json_type_int))
		return -EINVAL;
	f->name = strdup(name);
	if (!f->name)
		return -ENOMEM;
	f->line = json_object_get_int(line);
	if (json_object_is_type(reached, json_type_boolean))
		f->state = json_object_get_boolean(reached) ?
				   PMIG_COV_REACHED :
				   PMIG_COV_UNREACHED;
	else if (json_object_is_type(reached, json_type_string) &&
		 !strcmp(json_object_get_string(reached), "inlined"))
		f->state = PMIG_COV_NOCODE;
	else
		return -EINVAL;
	f->outline = !strcmp(code, "outline") || !strcmp(code, "both");
	f->inlined = !strcmp(code, "inlined") || !strcmp(code, "both");
	f->suite = !strcmp(by, "suite");
	f->boot = json_object_get_boolean(pmig_json_get(o, "boot"));
	f->runner = json_object_get_boolean(pmig_json_get(o, "runner"));
	f->executions =
		(uint64_t)json_object_get_int64(pmig_json_get(o, "executions"));
	f->calls = (uint64_t)json_object_get_int64(pmig_json_get(o, "calls"));
	if (read_strs(pmig_json_get(o, "symbols"), &f->symbols, &f->nsymbols) ||
	    read_strs(pmig_json_get(o, "cases"), &f->cases, &f->ncases))
		return -EINVAL;
	return 0;
}

static int read_file(struct json_object *o, struct pmig_cov_file *f)
{
	struct json_object *fns = pmig_json_get(o, "functions");
	const char *path = pmig_json_str(o, "path");
	const char *scope = pmig_json_str(o, "scope");
	size_t i, n;
	int rc;

	if (!path || !scope || !fns ||
	    !json_object_is_type(fns, json_type_array))
		return -EINVAL;
	f->path = strdup(path);
	f->whole = !strcmp(scope, "file");
	n = json_object_array_length(fns);
	f->funcs = calloc(n ? n : 1, sizeof(*f->funcs));
	if (!f->path || !f->funcs)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		rc = read_func(json_object_array_get_idx(fns, i), &f->funcs[i]);
		f->nfuncs++;
		if (rc)
			return rc;
	}
	return 0;
}

static int read_root(struct json_object *root, struct pmig_cov *c)
{
	struct json_object *k = pmig_json_get(root, "kernel");
	struct json_object *files = pmig_json_get(root, "files");
	struct json_object *version = pmig_json_get(root, "version");
	const char *format = pmig_json_str(root, "format");
	size_t i, n;
	int rc;

	if (!format || strcmp(format, FORMAT) || !version ||
	    json_object_get_int(version) != VERSION || !k || !files ||
	    !json_object_is_type(files, json_type_array))
		return -EINVAL;
	rc = dup_opt(k, "release", &c->release);
	rc = rc ? rc : dup_opt(k, "arch", &c->arch);
	rc = rc ? rc : dup_opt(k, "package", &c->package);
	rc = rc ? rc : dup_opt(k, "package_version", &c->package_version);
	/* Written before suites were named: pmig's. */
	rc = rc ? rc : dup_opt(root, "suite", &c->suite);
	if (!rc && !c->suite && !(c->suite = strdup("pmig")))
		rc = -ENOMEM;
	rc = rc ? rc :
		  read_strs(pmig_json_get(root, "cases"), &c->labels,
			    &c->nlabels);
	if (rc)
		return rc;
	c->unnamed = (size_t)json_object_get_int64(
		pmig_json_get(root, "unnamed_ranges"));
	n = json_object_array_length(files);
	c->files = calloc(n ? n : 1, sizeof(*c->files));
	if (!c->files)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		rc = read_file(json_object_array_get_idx(files, i),
			       &c->files[i]);
		c->nfiles++;
		if (rc)
			return rc;
	}
	return 0;
}

int pmig_covjson_read(const char *path, struct pmig_cov *c, char *why,
		      size_t len)
{
	struct json_object *root;
	int rc;

	memset(c, 0, sizeof(*c));
	if (access(path, F_OK))
		return -errno;
	root = json_object_from_file(path);
	if (!root) {
		pmig_json_why(why, len, "not JSON: %s",
			      json_util_get_last_err());
		return -EINVAL;
	}
	rc = read_root(root, c);
	json_object_put(root);
	if (rc == -EINVAL)
		pmig_json_why(
			why, len,
			"not pmig coverage (format \"" FORMAT
			"\" version %d, results/schema/coverage.schema.json)",
			VERSION);
	if (rc)
		pmig_cov_free(c);
	return rc;
}
