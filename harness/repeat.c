/* repeat.c - merges repeated runs of the same cases; a case whose outcome differs between them is FLAKY. */
#include "repeat.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

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

/* "PASS 4, FAIL 1": each outcome that occurred and how often. */
static void put_counts(FILE *f, const unsigned *count)
{
	const char *sep = "";

	for (unsigned o = 0; o <= MISSING; o++) {
		if (!count[o])
			continue;
		fprintf(f, "%s%s %u", sep, count_name(o), count[o]);
		sep = ", ";
	}
}

/* {"outcome": "FLAKY", "runs": N, "counts": {"PASS": 4, ...}}; NULL on ENOMEM. */
static char *flaky_misc(size_t n, const unsigned *count)
{
	struct json_object *m = json_object_new_object();
	struct json_object *c = json_object_new_object();
	char *text = NULL;
	bool ok = m && c;

	for (unsigned o = 0; ok && o <= MISSING; o++)
		if (count[o])
			ok = !json_object_object_add(
				c, count_name(o),
				json_object_new_int((int)count[o]));
	if (ok)
		ok = !json_object_object_add(m, "outcome",
					     json_object_new_string("FLAKY")) &&
		     !json_object_object_add(m, "runs",
					     json_object_new_int64((int64_t)n));
	if (ok) {
		ok = !json_object_object_add(m, "counts", c);
		c = NULL; /* m owns it now, or it was freed */
	}
	if (ok)
		text = strdup(json_object_to_json_string_ext(
			m, JSON_C_TO_STRING_PLAIN));
	json_object_put(c);
	json_object_put(m);
	return text;
}

static int add_flaky(struct pmig_run *out, const struct pmig_result *first,
		     struct pmig_run *const *runs, size_t n, size_t at,
		     const unsigned *count)
{
	struct pmig_result r = *first;
	char *reason = NULL, *diag = NULL, *misc = flaky_misc(n, count);
	int err = -ENOMEM;
	size_t len;
	FILE *f;

	if (!misc || !(f = open_memstream(&reason, &len)))
		goto out;
	fputs("FLAKY: ", f);
	put_counts(f, count);
	fprintf(f, " in %zu runs", n);
	if (fclose(f) || !(f = open_memstream(&diag, &len)))
		goto out;
	for (size_t k = 0; k < n; k++) {
		const struct pmig_result *x = find(runs[k], first->name, at);

		fprintf(f, "run %zu: %s%s%s\n", k + 1,
			x ? pmig_outcome_name(x->outcome) : "MISSING",
			x && x->reason && x->reason[0] ? ": " : "",
			x && x->reason ? x->reason : "");
		if (x && x->diag && x->diag[0] && x->outcome != PMIG_PASS)
			fprintf(f, "%s\n", x->diag);
	}
	if (fclose(f))
		goto out;
	r.outcome = PMIG_FAIL;
	r.reason = reason;
	r.diag = diag;
	r.misc = misc;
	r.has_number = false;
	if (pmig_run_add(out, &r))
		err = 0;
out:
	free(reason);
	free(misc);
	free(diag);
	return err;
}

/* One outcome in every run: the first run's result, its reason saying so. */
static int add_steady(struct pmig_run *out, const struct pmig_result *first,
		      size_t n)
{
	struct pmig_result r = *first;
	char *reason = NULL;
	int err = 0;

	/* A PASS keeps its reason as it is: TAP writes none for it anyway. */
	if (first->outcome != PMIG_PASS) {
		if (asprintf(&reason, "%s%s(in %zu of %zu runs)",
			     first->reason && first->reason[0] ? first->reason :
								 "",
			     first->reason && first->reason[0] ? " " : "", n,
			     n) < 0)
			return -ENOMEM;
		r.reason = reason;
	}
	if (!pmig_run_add(out, &r))
		err = -ENOMEM;
	free(reason);
	return err;
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
