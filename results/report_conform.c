/* report_conform.c - `pmig report`'s conformance section: the KCIDB results of every conformance run in the directory, and matrix tables, failures first. */
#include "report.h"
#include "json_get.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#define MAX_SOURCES 16
#define SUITE_PREFIX "pmig.conform."

/* One case across the sources. */
struct kase {
	char *id;
	const char *cell[MAX_SOURCES]; /* outcome, or NULL: not in that run */
	const char *reason; /* the first non-PASS cell's reason */
	size_t order;
};

struct source {
	char *label;
	char *tap; /* its TAP beside it (pmig run's conform.tap), relative to the directory, or NULL */
	struct json_object *doc;
	unsigned count[8]; /* by outcome_rank() */
};

/* Worst first: the table's order. */
static const char *const ranks[] = { "FLAKY", "FAIL", "ERROR", "XPASS",
				     "XFAIL", "SKIP", "PASS",  "-" };

static int outcome_rank(const char *o)
{
	size_t i;

	for (i = 0; o && i < sizeof(ranks) / sizeof(ranks[0]) - 1; i++)
		if (!strcmp(o, ranks[i]))
			return (int)i;
	return (int)(sizeof(ranks) / sizeof(ranks[0])) - 1;
}

/* "this machine (kernel 6.18.0)" or "vm (kernel 6.1.0-50-amd64, 2node, tcg)". */
static char *source_label(const char *dir, const char *sub,
			  struct json_object *doc)
{
	struct json_object *builds = pmig_json_get(doc, "builds");
	/* json-c asserts on an index into what is not an array. */
	struct json_object *b = json_object_is_type(builds, json_type_array) ?
					json_object_array_get_idx(builds, 0) :
					NULL;
	const char *kernel = pmig_json_str(pmig_json_get(b, "misc"), "kernel");
	char topo[128] = "", emu[64] = "", *label;

	report_vm_fact(dir, "topology", topo, sizeof(topo));
	report_vm_fact(dir, "emulation", emu, sizeof(emu));
	if (asprintf(&label, "%s (kernel %s%s%s%s%s)",
		     sub ? sub : "this machine", kernel ? kernel : "unknown",
		     topo[0] ? ", " : "", topo, emu[0] ? ", " : "", emu) < 0)
		return NULL;
	return label;
}

static struct kase *find_case(struct kase *cases, size_t n, const char *id)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(cases[i].id, id))
			return &cases[i];
	return NULL;
}

/* Adds @src's tests to @cases (grown as needed); -ENOMEM. */
static int add_tests(struct source *src, size_t si, struct kase **cases,
		     size_t *n, size_t *cap)
{
	struct json_object *tests = pmig_json_get(src->doc, "tests");
	size_t i, len = tests && json_object_is_type(tests, json_type_array) ?
				json_object_array_length(tests) :
				0;

	for (i = 0; i < len; i++) {
		struct json_object *t = json_object_array_get_idx(tests, i);
		const char *path = pmig_json_str(t, "path"),
			   *status = pmig_json_str(t, "status");
		const char *outcome =
			pmig_json_str(pmig_json_get(t, "misc"), "outcome");
		struct kase *k;

		if (!path || !status)
			continue;
		if (!strncmp(path, SUITE_PREFIX, strlen(SUITE_PREFIX)))
			path += strlen(SUITE_PREFIX);
		k = find_case(*cases, *n, path);
		if (!k) {
			if (*n == *cap) {
				size_t ncap = *cap ? *cap * 2 : 128;
				struct kase *p =
					realloc(*cases, ncap * sizeof(*p));

				if (!p)
					return -ENOMEM;
				*cases = p;
				*cap = ncap;
			}
			k = &(*cases)[*n];
			memset(k, 0, sizeof(*k));
			k->id = strdup(path);
			if (!k->id)
				return -ENOMEM;
			k->order = (*n)++;
		}
		k->cell[si] = outcome ? outcome : status;
		src->count[outcome_rank(k->cell[si])]++;
		if (!k->reason && strcmp(k->cell[si], "PASS"))
			k->reason = pmig_json_str(t, "comment");
	}
	return 0;
}

static int worst(const struct kase *k, size_t nsrc)
{
	int w = outcome_rank(NULL), r;
	size_t i;

	for (i = 0; i < nsrc; i++) {
		r = outcome_rank(k->cell[i]);
		if (k->cell[i] && r < w)
			w = r;
	}
	return w;
}

/* qsort_r order: worst outcome first, then the order the cases came in. */
static int cmp_case(const void *a, const void *b, void *nsrc)
{
	const struct kase *x = a, *y = b;
	int wx = worst(x, *(size_t *)nsrc), wy = worst(y, *(size_t *)nsrc);

	if (wx != wy)
		return wx - wy;
	return (x->order > y->order) - (x->order < y->order);
}

/* conform.kcidb.json of @dir (label @sub, NULL for the top); 1 if read. */
static int load_source(struct report_doc *d, const char *dir, const char *sub,
		       struct source *src)
{
	char *path;

	if (asprintf(&path, "%s/conform.kcidb.json", dir) < 0)
		return -ENOMEM;
	if (access(path, F_OK)) {
		free(path);
		return 0;
	}
	src->doc = json_object_from_file(path);
	if (!src->doc || !pmig_json_get(src->doc, "tests")) {
		report_bad_input(d, "%s: not KCIDB JSON with tests", path);
		json_object_put(src->doc);
		src->doc = NULL;
		free(path);
		return 0;
	}
	free(path);
	src->label = source_label(dir, sub, src->doc);
	if (!src->label)
		return -ENOMEM;
	/* Named where it is (the report's one mention of it); none without memory. */
	if (asprintf(&path, "%s/conform.tap", dir) >= 0) {
		if (!access(path, F_OK) &&
		    asprintf(&src->tap, "%s%sconform.tap", sub ? sub : "",
			     sub ? "/" : "") < 0)
			src->tap = NULL;
		free(path);
	}
	return 1;
}

static void conform_table(struct report_doc *d, struct source *src, size_t nsrc,
			  struct kase *cases, size_t n)
{
	const char *head[MAX_SOURCES + 2], *cells[MAX_SOURCES + 2];
	size_t i, j;

	head[0] = "case";
	for (j = 0; j < nsrc; j++)
		head[j + 1] = src[j].label;
	head[nsrc + 1] = "reason";
	/* KCIDB files whose tests are all unusable leave no cases, and a NULL array: qsort_r's is nonnull. */
	if (n)
		qsort_r(cases, n, sizeof(*cases), cmp_case, &nsrc);
	report_table_begin(d, nsrc + 2, head);
	for (i = 0; i < n; i++) {
		cells[0] = cases[i].id;
		for (j = 0; j < nsrc; j++)
			cells[j + 1] =
				cases[i].cell[j] ? cases[i].cell[j] : "-";
		cells[nsrc + 1] = cases[i].reason ? cases[i].reason : "";
		report_table_row(d, nsrc + 2, cells);
	}
	report_table_end(d);
}

static void kcidb_sources(struct report_doc *d, char **subs)
{
	struct source src[MAX_SOURCES] = { 0 };
	struct kase *cases = NULL;
	size_t nsrc = 0, n = 0, cap = 0, i;
	char *path;
	int rc;

	rc = load_source(d, d->dir, NULL, &src[0]);
	nsrc += rc > 0;
	for (i = 0; rc >= 0 && subs[i] && nsrc < MAX_SOURCES; i++) {
		if (asprintf(&path, "%s/%s", d->dir, subs[i]) < 0) {
			rc = -ENOMEM;
			break;
		}
		rc = load_source(d, path, subs[i], &src[nsrc]);
		nsrc += rc > 0;
		free(path);
	}
	for (i = 0; rc >= 0 && i < nsrc; i++)
		rc = add_tests(&src[i], i, &cases, &n, &cap);
	if (rc < 0) {
		report_fail(d, "out of memory");
	} else if (!nsrc) {
		report_note(
			d,
			"No conformance results here (conform.kcidb.json): no conformance table.");
	} else {
		for (i = 0; i < nsrc; i++) {
			const unsigned *c = src[i].count;

			report_p(
				d,
				"%s: %u pass, %u fail, %u error, %u xfail, %u xpass, %u skip%s%s.",
				src[i].label, c[outcome_rank("PASS")],
				c[outcome_rank("FAIL")],
				c[outcome_rank("ERROR")],
				c[outcome_rank("XFAIL")],
				c[outcome_rank("XPASS")],
				c[outcome_rank("SKIP")],
				src[i].tap ? "; its TAP: " : "",
				src[i].tap ? src[i].tap : "");
			if (c[outcome_rank("FLAKY")])
				report_p(
					d,
					"%s: %u flaky (an outcome that changed between repeated runs: not a verdict, a defect to fix at its cause).",
					src[i].label, c[outcome_rank("FLAKY")]);
		}
		report_p(
			d,
			"Flaky cases first (their outcome changed between repeated runs), then failures, XPASS, XFAIL, SKIP and PASS; \"-\": not in that run.");
		conform_table(d, src, nsrc, cases, n);
	}
	for (i = 0; i < n; i++)
		free(cases[i].id);
	free(cases);
	for (i = 0; i < nsrc; i++) {
		free(src[i].label);
		free(src[i].tap);
		json_object_put(src[i].doc);
	}
}

/* Splits @line at tabs into at most @max cells; returns the count. */
static size_t split_tabs(char *line, char **cells, size_t max)
{
	size_t n = 0;

	line[strcspn(line, "\r\n")] = '\0';
	while (n < max) {
		cells[n++] = line;
		line = strchr(line, '\t');
		if (!line)
			break;
		*line++ = '\0';
	}
	return n;
}

static bool row_fails(char **cells, size_t n)
{
	size_t i;

	for (i = 1; i < n; i++)
		if (!strncmp(cells[i], "FAIL", 4) ||
		    !strncmp(cells[i], "ERROR", 5))
			return true;
	return false;
}

/* A matrix TSV (pmig matrix): the header starts with "id". */
static void matrix_file(struct report_doc *d, const char *path, const char *rel)
{
	char **lines = NULL, *line = NULL, *cells[MAX_SOURCES * 4 + 1];
	size_t n = 0, cap = 0, len = 0, i, nc, pass;
	FILE *f = fopen(path, "r");

	if (!f)
		return;
	while (getline(&line, &len, f) > 0) {
		char **p = n == cap ?
				   realloc(lines, (cap = cap ? cap * 2 : 64) *
							  sizeof(*lines)) :
				   lines;

		if (!p || !(p[n] = strdup(line))) {
			free(p == lines ? NULL : p);
			report_fail(d, "out of memory");
			break;
		}
		lines = p;
		n++;
	}
	free(line);
	fclose(f);
	if (n && !strncmp(lines[0], "id\t", 3)) {
		const char *c[MAX_SOURCES * 4 + 1];
		size_t ncols = split_tabs(lines[0], cells, MAX_SOURCES * 4 + 1);

		report_h(d, 3, "Matrix");
		report_p(
			d,
			"From %s: %zu cases on %zu runs; rows with a FAIL or ERROR first.",
			rel, n - 1, ncols - 1);
		for (i = 0; i < ncols; i++)
			c[i] = cells[i];
		report_table_begin(d, ncols, c);
		/* Two passes keep the file's order within each group. */
		for (pass = 0; pass < 2; pass++) {
			for (i = 1; i < n; i++) {
				char *copy = strdup(lines[i]);
				size_t k;

				if (!copy)
					break;
				nc = split_tabs(copy, cells, ncols);
				if (row_fails(cells, nc) == !pass) {
					for (k = 0; k < ncols; k++)
						c[k] = k < nc ? cells[k] : "";
					report_table_row(d, ncols, c);
				}
				free(copy);
			}
		}
		report_table_end(d);
	}
	for (i = 0; i < n; i++)
		free(lines[i]);
	free(lines);
}

static bool is_tsv(const char *name)
{
	size_t n = strlen(name);

	return n > 4 && !strcmp(name + n - 4, ".tsv");
}

/* A pmig matrix TSV: its table, failures first. */
static int matrix_one(struct report_doc *d, const struct report_file *f,
		      void *arg)
{
	(void)arg;
	if (is_tsv(f->name))
		matrix_file(d, f->path, f->rel);
	return 0;
}

void report_conformance(struct report_doc *d)
{
	char **subs = report_subdirs(d->dir);

	report_h(d, 2, "Conformance");
	if (!subs) {
		report_fail(d, "out of memory");
		return;
	}
	kcidb_sources(d, subs);
	report_each_file(d, subs, matrix_one, NULL);
	report_free_list(subs);
}
