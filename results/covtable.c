/* covtable.c - the scope's files and functions, and pmig-covdwarf's table read for them. */
#include "covtable.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

const struct pmig_cov_scope pmig_cov_scope[] = {
#define PMIG_COV_FILE(path, why) { path, NULL, why },
#define PMIG_COV_FUNC(path, func, why) { path, func, why },
#include "coverage_scope.def"
#undef PMIG_COV_FILE
#undef PMIG_COV_FUNC
};
const size_t pmig_cov_nscope =
	sizeof(pmig_cov_scope) / sizeof(pmig_cov_scope[0]);

/* The files of @scope, each once, in its order. */
static int files_of(const struct pmig_cov_scope *scope, size_t n,
		    struct pmig_covtable *t)
{
	size_t i, j;

	t->files = calloc(n ? n : 1, sizeof(*t->files));
	if (!t->files)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		for (j = 0; j < t->nfiles; j++)
			if (!strcmp(t->files[j].path, scope[i].path))
				break;
		if (j == t->nfiles) {
			t->files[j].path = scope[i].path;
			t->files[j].why = scope[i].why;
			t->nfiles++;
		}
		if (!scope[i].func)
			t->files[j].whole = true;
	}
	return 0;
}

static bool counts(const struct pmig_cov_scope *scope, size_t n,
		   const struct pmig_covtable_file *file, const char *func)
{
	size_t i;

	if (file->whole)
		return true;
	for (i = 0; i < n; i++)
		if (scope[i].func && !strcmp(scope[i].path, file->path) &&
		    !strcmp(scope[i].func, func))
			return true;
	return false;
}

static struct pmig_covfn *fn_of(struct pmig_covtable_file *file,
				const char *name, int line)
{
	struct pmig_covfn *fn;
	size_t i;

	for (i = 0; i < file->nfns; i++)
		if (!strcmp(file->fns[i].name, name))
			return &file->fns[i];
	fn = realloc(file->fns, (file->nfns + 1) * sizeof(*fn));
	if (!fn)
		return NULL;
	file->fns = fn;
	fn = &file->fns[file->nfns];
	memset(fn, 0, sizeof(*fn));
	fn->name = strdup(name);
	fn->line = line;
	if (!fn->name)
		return NULL;
	file->nfns++;
	return fn;
}

static int add_range(struct pmig_covfn *fn, uint64_t lo, uint64_t hi, bool inl)
{
	struct pmig_covfn_range *r = realloc(fn->r, (fn->nr + 1) * sizeof(*r));

	if (!r)
		return -ENOMEM;
	fn->r = r;
	r[fn->nr].lo = lo;
	r[fn->nr].hi = hi;
	r[fn->nr].inl = inl;
	fn->nr++;
	return 0;
}

/* Splits @s at tabs into @max fields; how many it found. */
static size_t fields(char *s, char **f, size_t max)
{
	size_t n = 0;

	while (n < max) {
		f[n++] = s;
		s = strchr(s, '\t');
		if (!s)
			break;
		*s++ = '\0';
	}
	return s ? max + 1 : n;
}

static bool hex(const char *s, uint64_t *v)
{
	char *e;

	errno = 0;
	*v = strtoull(s, &e, 16);
	return *s && *s != '-' && !*e && !errno;
}

static int read_line(char *buf, const struct pmig_cov_scope *scope, size_t n,
		     struct pmig_covtable *t)
{
	struct pmig_covtable_file *file = NULL;
	struct pmig_covfn *fn;
	char *f[6], *e;
	uint64_t lo, hi;
	long line;
	size_t i;

	if (fields(buf, f, 6) != 6)
		return -EINVAL;
	line = strtol(f[2], &e, 10);
	if (*e || e == f[2] || line < 0 || line > 10000000 || !*f[1] ||
	    !hex(f[4], &lo) || !hex(f[5], &hi) || hi < lo)
		return -EINVAL;
	if (strcmp(f[3], "code") && strcmp(f[3], "inline") &&
	    strcmp(f[3], "none"))
		return -EINVAL;
	for (i = 0; i < t->nfiles && !file; i++)
		if (!strcmp(t->files[i].path, f[0]))
			file = &t->files[i];
	if (!file || !counts(scope, n, file, f[1]))
		return 0;
	fn = fn_of(file, f[1], (int)line);
	if (!fn)
		return -ENOMEM;
	if (!strcmp(f[3], "none") || hi == lo)
		return 0;
	return add_range(fn, lo, hi, !strcmp(f[3], "inline"));
}

static int by_line(const void *a, const void *b)
{
	const struct pmig_covfn *x = a, *y = b;

	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	return strcmp(x->name, y->name);
}

int pmig_covtable_read(FILE *f, const struct pmig_cov_scope *scope, size_t n,
		       struct pmig_covtable *t, char *err, size_t len)
{
	char buf[1024];
	size_t line = 0;
	int rc;

	memset(t, 0, sizeof(*t));
	rc = files_of(scope, n, t);
	while (!rc && fgets(buf, sizeof(buf), f)) {
		line++;
		buf[strcspn(buf, "\n")] = '\0';
		rc = read_line(buf, scope, n, t);
		if (rc == -EINVAL)
			snprintf(
				err, len,
				"line %zu: not FILE<TAB>FUNCTION<TAB>LINE<TAB>code|inline|none<TAB>LOW<TAB>HIGH",
				line);
	}
	if (!rc && ferror(f))
		rc = -EIO;
	if (rc)
		pmig_covtable_free(t);
	for (line = 0; !rc && line < t->nfiles; line++)
		qsort(t->files[line].fns, t->files[line].nfns,
		      sizeof(*t->files[line].fns), by_line);
	return rc;
}

void pmig_covtable_free(struct pmig_covtable *t)
{
	size_t i, j;

	for (i = 0; i < t->nfiles; i++) {
		for (j = 0; j < t->files[i].nfns; j++) {
			free(t->files[i].fns[j].name);
			free(t->files[i].fns[j].r);
		}
		free(t->files[i].fns);
	}
	free(t->files);
	memset(t, 0, sizeof(*t));
}
