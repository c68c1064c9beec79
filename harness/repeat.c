/* repeat.c - merges repeated runs of the same cases; a case whose outcome differs between them is FLAKY. */
#include "repeat.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Outcome counts are indexed by outcome; MISSING is one past the last. */
#define MISSING PMIG_OUTCOME_COUNT

static const struct pmig_result *find(const struct pmig_run *run,
				      const char *name, size_t hint)
{
	size_t n = pmig_run_count(run);

	/* Runs of one selection keep their order: try the same place first. */
	if (hint < n && !strcmp(pmig_run_result(run, hint)->name, name))
		return pmig_run_result(run, hint);
	for (size_t i = 0; i < n; i++)
		if (!strcmp(pmig_run_result(run, i)->name, name))
			return pmig_run_result(run, i);
	return NULL;
}

static const char *count_name(unsigned o)
{
	return o == MISSING ? "MISSING" : pmig_outcome_name(o);
}

/* Appends printf output to a growing string; false on ENOMEM. */
static bool appendf(char **s, size_t *len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static bool appendf(char **s, size_t *len, const char *fmt, ...)
{
	va_list ap, ap2;
	int n;
	char *p;

	va_start(ap, fmt);
	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || !(p = realloc(*s, *len + (size_t)n + 1))) {
		va_end(ap2);
		return false;
	}
	vsnprintf(p + *len, (size_t)n + 1, fmt, ap2);
	va_end(ap2);
	*s = p;
	*len += (size_t)n;
	return true;
}

/* "PASS 4, FAIL 1" into @s; false on ENOMEM. */
static bool put_counts(char **s, size_t *len, const unsigned *count,
		       const char *sep, const char *fmt)
{
	bool first = true;

	for (unsigned o = 0; o <= MISSING; o++) {
		if (!count[o])
			continue;
		if (!appendf(s, len, "%s", first ? "" : sep) ||
		    !appendf(s, len, fmt, count_name(o), count[o]))
			return false;
		first = false;
	}
	return true;
}

static int add_flaky(struct pmig_run *out, const struct pmig_result *first,
		     struct pmig_run *const *runs, size_t n, size_t at,
		     const unsigned *count)
{
	struct pmig_result r = *first;
	char *reason = NULL, *misc = NULL, *diag = NULL;
	size_t rl = 0, ml = 0, dl = 0;
	bool ok;

	ok = appendf(&reason, &rl, "FLAKY: ") &&
	     put_counts(&reason, &rl, count, ", ", "%s %u") &&
	     appendf(&reason, &rl, " in %zu runs", n);
	ok = ok && appendf(&misc, &ml, "{\"outcome\": \"FLAKY\", \"runs\": %zu, \"counts\": {", n) &&
	     put_counts(&misc, &ml, count, ", ", "\"%s\": %u") &&
	     appendf(&misc, &ml, "}}");
	for (size_t k = 0; ok && k < n; k++) {
		const struct pmig_result *x = find(runs[k], first->name, at);

		ok = appendf(&diag, &dl, "run %zu: %s%s%s\n", k + 1,
			     x ? pmig_outcome_name(x->outcome) : "MISSING",
			     x && x->reason && x->reason[0] ? ": " : "",
			     x && x->reason ? x->reason : "");
		if (ok && x && x->diag && x->diag[0] && x->outcome != PMIG_PASS)
			ok = appendf(&diag, &dl, "%s\n", x->diag);
	}
	if (ok) {
		r.outcome = PMIG_FAIL;
		r.reason = reason;
		r.diag = diag;
		r.misc = misc;
		r.has_number = false;
		ok = pmig_run_add(out, &r) != NULL;
	}
	free(reason);
	free(misc);
	free(diag);
	return ok ? 0 : -ENOMEM;
}

static int add_steady(struct pmig_run *out, const struct pmig_result *first,
		      size_t n)
{
	struct pmig_result r = *first;
	char *reason = NULL;
	size_t len = 0;
	bool ok;

	ok = appendf(&reason, &len, "%s%s(in %zu of %zu runs)",
		     first->reason && first->reason[0] ? first->reason : "",
		     first->reason && first->reason[0] ? " " : "", n, n);
	if (ok) {
		/* A PASS keeps no reason: TAP writes none for it anyway. */
		r.reason = first->outcome == PMIG_PASS ? first->reason : reason;
		ok = pmig_run_add(out, &r) != NULL;
	}
	free(reason);
	return ok ? 0 : -ENOMEM;
}

struct pmig_run *pmig_repeat_merge(struct pmig_run *const *runs, size_t n,
				   size_t *flaky)
{
	struct pmig_run *out;
	const char *key, *value;

	*flaky = 0;
	if (!n) {
		errno = EINVAL;
		return NULL;
	}
	out = pmig_run_new(pmig_run_suite(runs[0]));
	if (!out)
		return NULL;
	pmig_run_set_start(out, pmig_run_start(runs[0]));
	pmig_run_set_xpass_fails(out, pmig_run_xpass_fails(runs[0]));
	for (size_t i = 0; pmig_run_meta_at(runs[0], i, &key, &value) == 0; i++)
		if (pmig_run_set_meta(out, key, value))
			goto nomem;
	for (size_t i = 0; i < pmig_run_count(runs[0]); i++) {
		const struct pmig_result *first = pmig_run_result(runs[0], i);
		unsigned count[PMIG_OUTCOME_COUNT + 1] = { 0 };
		unsigned kinds = 0;
		int err;

		for (size_t k = 0; k < n; k++) {
			const struct pmig_result *x =
				find(runs[k], first->name, i);
			unsigned o = x ? (unsigned)x->outcome : MISSING;

			kinds += !count[o]++;
		}
		if (kinds > 1) {
			err = add_flaky(out, first, runs, n, i, count);
			++*flaky;
		} else {
			err = add_steady(out, first, n);
		}
		if (err)
			goto nomem;
	}
	return out;
nomem:
	pmig_run_free(out);
	errno = ENOMEM;
	return NULL;
}
