/* kcidb.c - writes a finished run as KCIDB v5.3 JSON for KernelCI. */
#include "output.h"
#include "kcidb_ident.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/utsname.h>

#include <json-c/json.h>

#define ORIGIN "pmig"
/* The schema's maxLength for log_excerpt, counted in characters. */
#define LOG_EXCERPT_MAX 16384

/*
 * json-c functions return NULL or -1 only when they cannot allocate, so
 * every failure below is -ENOMEM. Builders return NULL on failure and the
 * put helpers accept NULL, which keeps each object's code a flat list.
 */

/* Adds @val under @key, owning @val even when it fails. */
static int put(struct json_object *obj, const char *key,
	       struct json_object *val)
{
	if (!val)
		return -ENOMEM;
	if (json_object_object_add(obj, key, val)) {
		json_object_put(val);
		return -ENOMEM;
	}
	return 0;
}

static int put_str(struct json_object *obj, const char *key, const char *s)
{
	return put(obj, key, json_object_new_string(s));
}

static int append(struct json_object *arr, struct json_object *val)
{
	if (!val)
		return -ENOMEM;
	if (json_object_array_add(arr, val)) {
		json_object_put(val);
		return -ENOMEM;
	}
	return 0;
}

/* @obj, or NULL (and @obj freed) when building it failed with @err. */
static struct json_object *done(struct json_object *obj, int err)
{
	if (!err)
		return obj;
	json_object_put(obj);
	return NULL;
}

/* ASCII only: the program may have called setlocale(). */
static bool is_path_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '-';
}

/* Keeps ids readable and free of ':' which separates their parts. */
static void sanitize_id(char *s)
{
	for (; *s; s++)
		if (!is_path_char(*s) && *s != '.')
			*s = '_';
}

/*
 * Makes @s match ^([a-zA-Z0-9_-]+(\.[a-zA-Z0-9_-]+)*)?$: a dot that would
 * open an empty component (leading, doubled or trailing) becomes '_'.
 */
static void sanitize_path(char *s)
{
	size_t i;

	for (i = 0; s[i]; i++) {
		if (s[i] != '.')
			s[i] = is_path_char(s[i]) ? s[i] : '_';
		else if (i == 0 || s[i - 1] == '.' || s[i + 1] == '\0')
			s[i] = '_';
	}
}

static bool utc_tm(double when, struct tm *tm)
{
	time_t secs;

	if (!isfinite(when) || when < 0)
		return false;
	secs = (time_t)when;
	return gmtime_r(&secs, tm) != NULL;
}

/* RFC 3339 as in KCIDB's examples; false if @when is unset (0) or bad. */
static bool rfc3339(double when, char *buf, size_t size)
{
	long long usec;
	struct tm tm;
	size_t n;

	if (!isfinite(when) || when <= 0)
		return false;
	/* Rounded by hand: the Makefile links no libm. */
	usec = (long long)(when * 1e6 + 0.5);
	if (!utc_tm((double)(usec / 1000000), &tm))
		return false;
	n = strftime(buf, size, "%Y-%m-%dT%H:%M:%S", &tm);
	return n && snprintf(buf + n, size - n, ".%06lld+00:00",
			     usec % 1000000) < (int)(size - n);
}

/* FNV-1a, to tell apart runs that share a suite and a start second. */
static uint32_t fnv1a(uint32_t h, const char *s)
{
	do {
		h ^= (unsigned char)*s;
		h *= 16777619u;
	} while (*s++);
	return h;
}

/*
 * "<suite>-<YYYYmmddTHHMMSSZ>-<hash>": the same run always gets the same
 * id, so a resubmission merges, while two hosts starting a suite in the
 * same second (hostname and profile are metadata) do not collide.
 */
static char *run_id(const struct pmig_run *run)
{
	const char *key, *value;
	char when[32] = "0", start[64];
	uint32_t h = 2166136261u;
	struct tm tm;
	char *id;
	size_t i;

	if (utc_tm(pmig_run_start(run), &tm))
		strftime(when, sizeof(when), "%Y%m%dT%H%M%SZ", &tm);
	snprintf(start, sizeof(start), "%.6f", pmig_run_start(run));
	h = fnv1a(fnv1a(h, pmig_run_suite(run)), start);
	for (i = 0; !pmig_run_meta_at(run, i, &key, &value); i++)
		h = fnv1a(fnv1a(h, key), value);
	if (asprintf(&id, "%s-%s-%08x", pmig_run_suite(run), when,
		     (unsigned)h) < 0)
		return NULL;
	sanitize_id(id);
	return id;
}

static struct json_object *version(void)
{
	struct json_object *v = json_object_new_object();
	int err;

	if (!v)
		return NULL;
	err = put(v, "major", json_object_new_int(5));
	if (!err)
		err = put(v, "minor", json_object_new_int(3));
	return done(v, err);
}

/* The array [@item], or NULL. */
static struct json_object *one_array(struct json_object *item)
{
	struct json_object *arr;

	if (!item)
		return NULL;
	arr = json_object_new_array();
	if (!arr) {
		json_object_put(item);
		return NULL;
	}
	return done(arr, append(arr, item));
}

/*
 * An object's origin is its id's prefix: an id given on the command line
 * may name another CI system's checkout or build, which pmig's objects
 * then join. Ids are "ORIGIN:..." here (see full_id()).
 */
static int put_origin_of(struct json_object *obj, const char *id)
{
	return put(obj, "origin",
		   json_object_new_string_len(id, (int)strcspn(id, ":")));
}

/* The identity's git fields, where given, as kcidb-io names them. */
static int put_git(struct json_object *c, const struct pmig_kcidb_ident *ident)
{
	static const struct {
		enum pmig_kcidb_field field;
		const char *key;
	} git[] = {
		{ PMIG_KCIDB_GIT_URL, "git_repository_url" },
		{ PMIG_KCIDB_GIT_COMMIT, "git_commit_hash" },
		{ PMIG_KCIDB_GIT_BRANCH, "git_repository_branch" },
	};
	size_t i;
	int err = 0;

	for (i = 0; !err && i < sizeof(git) / sizeof(git[0]); i++)
		if (ident->value[git[i].field])
			err = put_str(c, git[i].key,
				      ident->value[git[i].field]);
	return err;
}

static struct json_object *checkout(const char *id, const struct pmig_run *run,
				    const struct pmig_kcidb_ident *ident)
{
	struct json_object *c = json_object_new_object();
	char when[48];
	int err;

	if (!c)
		return NULL;
	err = put_str(c, "id", id);
	if (!err)
		err = put_origin_of(c, id);
	if (!err)
		err = put_git(c, ident);
	if (!err && rfc3339(pmig_run_start(run), when, sizeof(when)))
		err = put_str(c, "start_time", when);
	return done(c, err);
}

static struct json_object *meta_object(const struct pmig_run *run)
{
	struct json_object *m = json_object_new_object();
	const char *key, *value;
	size_t i;
	int err = 0;

	if (!m)
		return NULL;
	for (i = 0; !err && !pmig_run_meta_at(run, i, &key, &value); i++)
		err = put_str(m, key, value);
	return done(m, err);
}

/* The schema wants ^[a-z0-9_]*$, which e.g. "armv7l" or "x86_64" meet. */
static int put_architecture(struct json_object *b)
{
	struct utsname u;
	char *p;

	if (uname(&u))
		return 0;
	for (p = u.machine; *p; p++) {
		if (*p >= 'A' && *p <= 'Z')
			*p += 'a' - 'A';
		else if (!(*p >= 'a' && *p <= 'z') && !(*p >= '0' && *p <= '9'))
			*p = '_';
	}
	return put_str(b, "architecture", u.machine);
}

/*
 * Run metadata (kernel, profile, hostname, emulation) describes the kernel
 * build under test and where it ran, so it goes in the build's misc.
 */
static struct json_object *build(const char *id, const char *checkout_id,
				 const struct pmig_run *run)
{
	struct json_object *b = json_object_new_object();
	int err;

	if (!b)
		return NULL;
	err = put_str(b, "id", id);
	if (!err)
		err = put_str(b, "checkout_id", checkout_id);
	if (!err)
		err = put_origin_of(b, id);
	if (!err)
		err = put_architecture(b);
	if (!err && pmig_run_meta_count(run))
		err = put(b, "misc", meta_object(run));
	return done(b, err);
}

/* A benchmark's result: completed with a number and no pass/fail verdict. */
static bool is_done(const struct pmig_result *r)
{
	return r->outcome == PMIG_PASS && r->has_number && isfinite(r->number);
}

static const char *kcidb_status(const struct pmig_result *r)
{
	if (is_done(r))
		return "DONE";
	switch (r->outcome) {
	case PMIG_FAIL:
		return "FAIL";
	case PMIG_SKIP:
		return "SKIP";
	case PMIG_ERROR:
		return "ERROR";
	case PMIG_XFAIL:
		/*
		 * The kernel has the cited bug: KCIDB's FAIL ("the tested
		 * code is faulty"), as TAP's not ok; misc says it was known.
		 */
		return "FAIL";
	default:
		/* PASS, and XPASS: the code passed; misc says a profile entry is stale. */
		return "PASS";
	}
}

/* The first LOG_EXCERPT_MAX characters of valid UTF-8 @s, as a string. */
static struct json_object *excerpt(const char *s)
{
	size_t n, chars = 0;

	for (n = 0; s[n]; n++) {
		/* A character starts at every byte that is not 10xxxxxx. */
		if (((unsigned char)s[n] & 0xc0) != 0x80 &&
		    chars++ == LOG_EXCERPT_MAX)
			break;
	}
	return json_object_new_string_len(s, (int)n);
}

static struct json_object *seconds(double d)
{
	char buf[64];

	snprintf(buf, sizeof(buf), "%.6f", d);
	return json_object_new_double_s(d, buf);
}

/*
 * The result's own misc object (a benchmark's details), plus the real
 * outcome where the status hides it; NULL with *@err set when the text is
 * not a JSON object or on ENOMEM, NULL with *@err 0 when there is nothing.
 */
static struct json_object *test_misc(const struct pmig_result *r, int *err)
{
	bool hidden = r->outcome == PMIG_XFAIL || r->outcome == PMIG_XPASS;
	struct json_object *m;

	*err = 0;
	if (r->misc) {
		m = json_tokener_parse(r->misc);
		if (!m || !json_object_is_type(m, json_type_object)) {
			json_object_put(m);
			*err = -EINVAL;
			return NULL;
		}
	} else if (hidden) {
		m = json_object_new_object();
	} else {
		return NULL;
	}
	if (!m) {
		*err = -ENOMEM;
		return NULL;
	}
	if (hidden)
		*err = put_str(m, "outcome", pmig_outcome_name(r->outcome));
	return done(m, *err);
}

/* {"value": v, "unit": u, "prefix": "metric"}: KCIDB scales for display. */
static struct json_object *number(const struct pmig_result *r)
{
	struct json_object *n = json_object_new_object();
	char buf[64];
	int err;

	if (!n)
		return NULL;
	snprintf(buf, sizeof(buf), "%.9g", r->number);
	err = put(n, "value", json_object_new_double_s(r->number, buf));
	if (!err && r->unit && r->unit[0])
		err = put_str(n, "unit", r->unit);
	if (!err)
		err = put_str(n, "prefix", "metric");
	return done(n, err);
}

/* Fields of one test, after id, build_id and origin. */
static int test_fields(struct json_object *t, const struct pmig_run *run,
		       const struct pmig_result *r)
{
	char when[48], *path;
	int err;

	if (asprintf(&path, "%s.%s", pmig_run_suite(run), r->name) < 0)
		return -ENOMEM;
	sanitize_path(path);
	err = put_str(t, "path", path);
	free(path);
	if (!err)
		err = put_str(t, "status", kcidb_status(r));
	/* The schema: a number counts only for a test that executed. */
	if (!err && r->has_number && isfinite(r->number) &&
	    (r->outcome == PMIG_PASS || r->outcome == PMIG_FAIL ||
	     r->outcome == PMIG_ERROR))
		err = put(t, "number", number(r));
	if (!err && rfc3339(r->start, when, sizeof(when)))
		err = put_str(t, "start_time", when);
	if (!err && isfinite(r->duration) && r->duration >= 0)
		err = put(t, "duration", seconds(r->duration));
	if (!err && r->diag && r->diag[0])
		err = put(t, "log_excerpt", excerpt(r->diag));
	if (!err && r->reason && r->reason[0])
		err = put_str(t, "comment", r->reason);
	if (!err) {
		struct json_object *m = test_misc(r, &err);

		if (m)
			err = put(t, "misc", m);
	}
	return err;
}

/*
 * A test's id is "@prefix:<name>" (@prefix is "ORIGIN:<runid>": the tests
 * are pmig's own even when they name another system's build).
 */
static struct json_object *test(const char *prefix, const char *build_id,
				const struct pmig_run *run,
				const struct pmig_result *r)
{
	struct json_object *t = json_object_new_object();
	char *name, *id;
	int err = -ENOMEM;

	if (!t)
		return NULL;
	name = strdup(r->name);
	if (!name)
		goto out;
	sanitize_id(name);
	if (asprintf(&id, "%s:%s", prefix, name) < 0)
		goto out_name;
	err = put_str(t, "id", id);
	if (!err)
		err = put_str(t, "build_id", build_id);
	if (!err)
		err = put_origin_of(t, prefix);
	if (!err)
		err = test_fields(t, run, r);
	free(id);
out_name:
	free(name);
out:
	return done(t, err);
}

static struct json_object *tests(const char *prefix, const char *build_id,
				 const struct pmig_run *run)
{
	struct json_object *arr = json_object_new_array();
	size_t i;
	int err = 0;

	if (!arr)
		return NULL;
	for (i = 0; !err && i < pmig_run_count(run); i++)
		err = append(arr, test(prefix, build_id, run,
				       pmig_run_result(run, i)));
	return done(arr, err);
}

/* @given as "ORIGIN:ID" (an ID alone is @origin's), or @fallback. */
static char *full_id(const char *given, const char *origin,
		     const char *fallback)
{
	char *id;

	if (!given)
		return strdup(fallback);
	if (strchr(given, ':'))
		return strdup(given);
	return asprintf(&id, "%s:%s", origin, given) < 0 ? NULL : id;
}

static struct json_object *document(const struct pmig_run *run,
				    const struct pmig_kcidb_ident *ident)
{
	const char *origin = ident->value[PMIG_KCIDB_ORIGIN] ?
				     ident->value[PMIG_KCIDB_ORIGIN] :
				     ORIGIN;
	char *runid, *own = NULL, *checkout_id = NULL, *build_id = NULL;
	struct json_object *doc;
	int err = -ENOMEM;

	runid = run_id(run);
	if (!runid)
		return NULL;
	doc = json_object_new_object();
	if (!doc)
		goto out;
	if (asprintf(&own, "%s:%s", origin, runid) < 0) {
		own = NULL;
		goto out;
	}
	checkout_id =
		full_id(ident->value[PMIG_KCIDB_CHECKOUT_ID], origin, own);
	build_id = full_id(ident->value[PMIG_KCIDB_BUILD_ID], origin, own);
	if (!checkout_id || !build_id)
		goto out;
	err = put(doc, "version", version());
	if (!err)
		err = put(doc, "checkouts",
			  one_array(checkout(checkout_id, run, ident)));
	if (!err)
		err = put(doc, "builds",
			  one_array(build(build_id, checkout_id, run)));
	if (!err)
		err = put(doc, "tests", tests(own, build_id, run));
out:
	free(build_id);
	free(checkout_id);
	free(own);
	free(runid);
	return done(doc, err);
}

/* Every result's misc is a JSON object (checked first: builders say only NULL). */
static bool misc_ok(const struct pmig_run *run)
{
	struct json_object *m;
	size_t i;
	bool ok;

	for (i = 0; i < pmig_run_count(run); i++) {
		const char *text = pmig_run_result(run, i)->misc;

		if (!text)
			continue;
		m = json_tokener_parse(text);
		ok = m && json_object_is_type(m, json_type_object);
		json_object_put(m);
		if (!ok)
			return false;
	}
	return true;
}

int pmig_kcidb_write_ident(const struct pmig_run *run,
			   const struct pmig_kcidb_ident *ident, FILE *out)
{
	static const struct pmig_kcidb_ident none;
	struct json_object *doc;
	const char *text;
	int err = 0;

	if (!run || !out || !misc_ok(run))
		return -EINVAL;
	doc = document(run, ident ? ident : &none);
	if (!doc)
		return -ENOMEM;
	text = json_object_to_json_string_ext(
		doc, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
			     JSON_C_TO_STRING_NOSLASHESCAPE);
	if (!text)
		err = -ENOMEM;
	else if (fputs(text, out) == EOF || fputc('\n', out) == EOF ||
		 fflush(out) || ferror(out))
		err = -EIO;
	json_object_put(doc);
	return err;
}

int pmig_kcidb_write(const struct pmig_run *run, FILE *out)
{
	return pmig_kcidb_write_ident(run, NULL, out);
}
