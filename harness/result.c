/* result.c - the in-memory result model that every output writer reads. */
#include "result.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct pmig_meta {
	char *key;
	char *value;
};

struct pmig_run {
	char *suite;
	double start;
	struct pmig_meta *meta;
	size_t nmeta;
	size_t meta_cap;
	/* Pointers, so a stored result stays put when the array grows. */
	struct pmig_result **res;
	size_t nres;
	size_t res_cap;
	bool xpass_passes; /* false: an XPASS fails the run */
};

static const char *const outcome_names[PMIG_OUTCOME_COUNT] = {
	[PMIG_PASS] = "PASS",	[PMIG_FAIL] = "FAIL",	[PMIG_SKIP] = "SKIP",
	[PMIG_XFAIL] = "XFAIL", [PMIG_XPASS] = "XPASS", [PMIG_ERROR] = "ERROR",
};

const char *pmig_outcome_name(enum pmig_outcome o)
{
	if ((unsigned)o >= PMIG_OUTCOME_COUNT)
		return NULL;
	return outcome_names[o];
}

/* Length of the valid UTF-8 sequence at @s, or 0 if it is not one. */
static size_t utf8_seq_len(const unsigned char *s)
{
	uint32_t cp;
	size_t len, i;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
		cp = s[0] & 0x1f;
	} else if ((s[0] & 0xf0) == 0xe0) {
		len = 3;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	/* Overlong forms, UTF-16 surrogates and values past U+10FFFF. */
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return len;
}

/*
 * Diagnostics may hold raw bytes from a crashed child; JSON and XML must be
 * valid UTF-8, so every copy replaces stray bytes with '?' once, here.
 */
static char *copy_utf8(const char *s)
{
	char *copy = strdup(s);
	unsigned char *p;
	size_t len;

	if (!copy)
		return NULL;
	for (p = (unsigned char *)copy; *p; p += len) {
		len = utf8_seq_len(p);
		if (!len) {
			*p = '?';
			len = 1;
		}
	}
	return copy;
}

/* Like copy_utf8(), but NULL stays NULL; false only on ENOMEM. */
static bool copy_opt(const char *s, char **out)
{
	*out = s ? copy_utf8(s) : NULL;
	return !s || *out;
}

static double now_epoch(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_REALTIME, &ts))
		return 0.0;
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

struct pmig_run *pmig_run_new(const char *suite)
{
	struct pmig_run *run;

	if (!suite) {
		errno = EINVAL;
		return NULL;
	}
	run = calloc(1, sizeof(*run));
	if (!run)
		return NULL;
	run->suite = copy_utf8(suite);
	if (!run->suite) {
		free(run);
		return NULL;
	}
	run->start = now_epoch();
	return run;
}

static void result_free(struct pmig_result *r)
{
	if (!r)
		return;
	free((char *)r->name);
	free((char *)r->reason);
	free((char *)r->diag);
	free((char *)r->unit);
	free((char *)r->measure);
	free((char *)r->misc);
	free(r);
}

void pmig_run_free(struct pmig_run *run)
{
	size_t i;

	if (!run)
		return;
	for (i = 0; i < run->nres; i++)
		result_free(run->res[i]);
	for (i = 0; i < run->nmeta; i++) {
		free(run->meta[i].key);
		free(run->meta[i].value);
	}
	free(run->res);
	free(run->meta);
	free(run->suite);
	free(run);
}

/*
 * @arr with room for one more element of @size, moved if it had to grow;
 * NULL (and @arr untouched) on ENOMEM.
 */
static void *grow(void *arr, size_t *cap, size_t used, size_t size)
{
	size_t ncap;
	void *p;

	if (used < *cap)
		return arr;
	ncap = *cap ? *cap * 2 : 16;
	if (ncap > SIZE_MAX / size)
		return NULL;
	p = realloc(arr, ncap * size);
	if (p)
		*cap = ncap;
	return p;
}

static struct pmig_meta *meta_find(const struct pmig_run *run, const char *key)
{
	size_t i;

	for (i = 0; i < run->nmeta; i++)
		if (!strcmp(run->meta[i].key, key))
			return &run->meta[i];
	return NULL;
}

int pmig_run_set_meta(struct pmig_run *run, const char *key, const char *value)
{
	struct pmig_meta *m;
	char *k, *v;
	void *p;

	/* No NULL values: KCIDB rejects null, so none may enter the model. */
	if (!run || !key || !value)
		return -EINVAL;
	v = copy_utf8(value);
	if (!v)
		return -ENOMEM;
	m = meta_find(run, key);
	if (m) {
		free(m->value);
		m->value = v;
		return 0;
	}
	k = copy_utf8(key);
	if (!k)
		goto err_value;
	p = grow(run->meta, &run->meta_cap, run->nmeta, sizeof(*run->meta));
	if (!p)
		goto err_key;
	run->meta = p;
	run->meta[run->nmeta].key = k;
	run->meta[run->nmeta].value = v;
	run->nmeta++;
	return 0;

err_key:
	free(k);
err_value:
	free(v);
	return -ENOMEM;
}

const char *pmig_run_get_meta(const struct pmig_run *run, const char *key)
{
	const struct pmig_meta *m;

	if (!run || !key)
		return NULL;
	m = meta_find(run, key);
	return m ? m->value : NULL;
}

size_t pmig_run_meta_count(const struct pmig_run *run)
{
	return run ? run->nmeta : 0;
}

int pmig_run_meta_at(const struct pmig_run *run, size_t i, const char **key,
		     const char **value)
{
	if (!run)
		return -EINVAL;
	if (i >= run->nmeta)
		return -ERANGE;
	if (key)
		*key = run->meta[i].key;
	if (value)
		*value = run->meta[i].value;
	return 0;
}

static struct pmig_result *result_copy(const struct pmig_result *r)
{
	struct pmig_result *c;
	char *name, *reason, *diag, *unit, *measure, *misc;

	c = malloc(sizeof(*c));
	if (!c)
		return NULL;
	name = copy_utf8(r->name);
	if (!name)
		goto err_struct;
	if (!copy_opt(r->reason, &reason))
		goto err_name;
	if (!copy_opt(r->diag, &diag))
		goto err_reason;
	if (!copy_opt(r->unit, &unit))
		goto err_diag;
	if (!copy_opt(r->measure, &measure))
		goto err_unit;
	if (!copy_opt(r->misc, &misc))
		goto err_measure;
	*c = *r;
	c->name = name;
	c->reason = reason;
	c->diag = diag;
	c->unit = unit;
	c->measure = measure;
	c->misc = misc;
	return c;

err_measure:
	free(measure);
err_unit:
	free(unit);
err_diag:
	free(diag);
err_reason:
	free(reason);
err_name:
	free(name);
err_struct:
	free(c);
	return NULL;
}

const struct pmig_result *pmig_run_add(struct pmig_run *run,
				       const struct pmig_result *r)
{
	struct pmig_result *c;
	void *p;

	if (!run || !r || !r->name || !r->name[0] ||
	    (unsigned)r->outcome >= PMIG_OUTCOME_COUNT) {
		errno = EINVAL;
		return NULL;
	}
	p = grow(run->res, &run->res_cap, run->nres, sizeof(*run->res));
	if (!p) {
		errno = ENOMEM;
		return NULL;
	}
	run->res = p;
	c = result_copy(r);
	if (!c)
		return NULL;
	run->res[run->nres++] = c;
	return c;
}

size_t pmig_run_count(const struct pmig_run *run)
{
	return run ? run->nres : 0;
}

const struct pmig_result *pmig_run_result(const struct pmig_run *run, size_t i)
{
	if (!run || i >= run->nres)
		return NULL;
	return run->res[i];
}

const char *pmig_run_suite(const struct pmig_run *run)
{
	return run ? run->suite : NULL;
}

double pmig_run_start(const struct pmig_run *run)
{
	return run ? run->start : 0.0;
}

int pmig_run_set_start(struct pmig_run *run, double start)
{
	/* Written as a plain comparison: result.c links no libm. */
	if (!run || !(start > 0 && start < 1e300))
		return -EINVAL;
	run->start = start;
	return 0;
}

void pmig_run_totals(const struct pmig_run *run,
		     unsigned totals[PMIG_OUTCOME_COUNT])
{
	size_t i;

	memset(totals, 0, PMIG_OUTCOME_COUNT * sizeof(totals[0]));
	if (!run)
		return;
	for (i = 0; i < run->nres; i++)
		totals[run->res[i]->outcome]++;
}

int pmig_run_exit_code(const struct pmig_run *run)
{
	unsigned t[PMIG_OUTCOME_COUNT];

	pmig_run_totals(run, t);
	if (t[PMIG_FAIL] || t[PMIG_ERROR])
		return 1;
	if (t[PMIG_XPASS] && !run->xpass_passes)
		return 1;
	if (!t[PMIG_PASS] && !t[PMIG_XFAIL] && !t[PMIG_XPASS])
		return 4;
	return 0;
}

void pmig_run_set_xpass_fails(struct pmig_run *run, bool fails)
{
	run->xpass_passes = !fails;
}

bool pmig_run_xpass_fails(const struct pmig_run *run)
{
	return !run->xpass_passes;
}
