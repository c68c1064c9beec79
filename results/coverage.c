/* coverage.c - the raw blocks attributed to the scope's functions: reached, by which epochs, how often. */
#include "coverage.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* One code range of one function, in the order of their low addresses. */
struct span {
	uint64_t lo, hi;
	size_t fn; /* index into the flat list of functions */
	bool inl;
};

/* What the blocks left on one function while they are walked. */
struct tally {
	const struct pmig_covfn *src;
	struct pmig_cov_func *out;
	size_t stamp; /* the last block counted, so a block counts once */
	unsigned long *epochs; /* that reached it, ascending */
	size_t nepochs;
};

static int by_lo(const void *a, const void *b)
{
	const struct span *x = a, *y = b;

	if (x->lo != y->lo)
		return x->lo < y->lo ? -1 : 1;
	return x->hi < y->hi ? -1 : x->hi > y->hi;
}

int pmig_cov_strs_add(char ***v, size_t *n, const char *s)
{
	char **p;
	size_t i;

	for (i = 0; i < *n; i++)
		if (!strcmp((*v)[i], s))
			return 0;
	p = realloc(*v, (*n + 1) * sizeof(*p));
	if (!p)
		return -ENOMEM;
	*v = p;
	p[*n] = strdup(s);
	if (!p[*n])
		return -ENOMEM;
	(*n)++;
	return 0;
}

/* Whether a block at @addr enters @fn: at its out-of-line entry or that entry's padding. */
static bool is_entry(const struct pmig_symmap *m, const struct pmig_covfn *fn,
		     uint64_t addr, uint64_t end)
{
	const struct pmig_sym *s;
	size_t i;

	for (i = 0; i < fn->nr; i++) {
		const struct pmig_covfn_range *r = &fn->r[i];

		if (r->inl || r->lo >= end || r->hi <= addr)
			continue;
		if (!m)
			return r->lo == addr;
		s = pmig_symmap_at(m, addr);
		return s && !s->cold && !strcmp(s->func, fn->name);
	}
	return false;
}

static int hit(struct tally *t, const struct pmig_cov_tb *tb, size_t serial,
	       const struct pmig_symmap *m)
{
	uint64_t end = tb->addr + (tb->size ? tb->size : 1);

	if (t->stamp == serial)
		return 0;
	t->stamp = serial;
	t->out->executions += tb->count;
	if (is_entry(m, t->src, tb->addr, end))
		t->out->calls += tb->count;
	if (t->nepochs && t->epochs[t->nepochs - 1] == tb->epoch)
		return 0;
	if (!(t->nepochs & (t->nepochs - 1)) || !t->nepochs) {
		unsigned long *e =
			realloc(t->epochs,
				(t->nepochs ? 2 * t->nepochs : 1) * sizeof(*e));

		if (!e)
			return -ENOMEM;
		t->epochs = e;
	}
	t->epochs[t->nepochs++] = tb->epoch;
	return 0;
}

/* Every block against the spans; @reach[i] is the highest end among spans 0..i. */
static int walk(const struct pmig_covraw *raw, const struct span *sp, size_t n,
		const uint64_t *reach, struct tally *tl,
		const struct pmig_symmap *m)
{
	size_t b;
	int rc;

	for (b = 0; b < raw->ntbs; b++) {
		const struct pmig_cov_tb *tb = &raw->tbs[b];
		uint64_t end = tb->addr + (tb->size ? tb->size : 1);
		size_t lo = 0, hi = n, i;

		/* i: the number of spans starting below the block's end. */
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;

			if (sp[mid].lo < end)
				lo = mid + 1;
			else
				hi = mid;
		}
		for (i = lo; i > 0 && reach[i - 1] > tb->addr; i--) {
			if (sp[i - 1].hi <= tb->addr)
				continue;
			rc = hit(&tl[sp[i - 1].fn], tb, b + 1, m);
			if (rc)
				return rc;
		}
	}
	return 0;
}

static int finish(struct tally *t, const struct pmig_symmap *m,
		  const struct pmig_covraw *raw, size_t *unnamed)
{
	struct pmig_cov_func *f = t->out;
	const struct pmig_sym *s;
	size_t i;
	int rc;

	for (i = 0; i < t->src->nr; i++) {
		if (t->src->r[i].inl) {
			f->inlined = true;
			continue;
		}
		f->outline = true;
		if (!m)
			continue;
		s = pmig_symmap_at(m, t->src->r[i].lo);
		if (!s) {
			(*unnamed)++;
			continue;
		}
		rc = pmig_cov_strs_add(&f->symbols, &f->nsymbols, s->name);
		if (rc)
			return rc;
	}
	f->state = !t->src->nr	 ? PMIG_COV_NOCODE :
		   f->executions ? PMIG_COV_REACHED :
				   PMIG_COV_UNREACHED;
	for (i = 0; i < t->nepochs; i++) {
		unsigned long e = t->epochs[i];

		if (e == PMIG_COV_EPOCH_BOOT) {
			f->boot = true;
		} else if (e == PMIG_COV_EPOCH_RUNNER) {
			f->runner = true;
		} else {
			f->suite = true;
			rc = pmig_cov_strs_add(&f->cases, &f->ncases,
					       pmig_covraw_label(raw, e));
			if (rc)
				return rc;
		}
	}
	return 0;
}

/* The result's files and functions, named as the table names them; the tallies point at them. */
static int layout(struct pmig_cov *c, const struct pmig_covtable *t,
		  struct tally *tl)
{
	size_t i, j, k = 0;

	c->files = calloc(t->nfiles ? t->nfiles : 1, sizeof(*c->files));
	if (!c->files)
		return -ENOMEM;
	for (i = 0; i < t->nfiles; i++) {
		const struct pmig_covtable_file *tf = &t->files[i];
		struct pmig_cov_file *f = &c->files[c->nfiles++];

		f->path = strdup(tf->path);
		f->whole = tf->whole;
		f->funcs = calloc(tf->nfns ? tf->nfns : 1, sizeof(*f->funcs));
		if (!f->path || !f->funcs)
			return -ENOMEM;
		for (j = 0; j < tf->nfns; j++, k++) {
			struct pmig_cov_func *fn = &f->funcs[f->nfuncs++];

			fn->name = strdup(tf->fns[j].name);
			if (!fn->name)
				return -ENOMEM;
			fn->line = tf->fns[j].line;
			tl[k].src = &tf->fns[j];
			tl[k].out = fn;
		}
	}
	return 0;
}

int pmig_cov_build(struct pmig_cov *c, const struct pmig_covtable *t,
		   const struct pmig_symmap *m, const struct pmig_covraw *raw)
{
	size_t i, j, r, k = 0, nfn = 0, nsp = 0;
	struct tally *tl = NULL;
	struct span *sp = NULL;
	uint64_t *reach = NULL;
	int rc = -ENOMEM;

	memset(c, 0, sizeof(*c));
	for (i = 0; i < t->nfiles; i++)
		for (j = 0; j < t->files[i].nfns; j++, nfn++)
			nsp += t->files[i].fns[j].nr;
	tl = calloc(nfn ? nfn : 1, sizeof(*tl));
	sp = calloc(nsp ? nsp : 1, sizeof(*sp));
	reach = calloc(nsp ? nsp : 1, sizeof(*reach));
	if (!tl || !sp || !reach)
		goto out;
	rc = layout(c, t, tl);
	if (rc)
		goto out;
	nsp = 0;
	for (k = 0; k < nfn; k++)
		for (r = 0; r < tl[k].src->nr; r++) {
			sp[nsp].lo = tl[k].src->r[r].lo;
			sp[nsp].hi = tl[k].src->r[r].hi;
			sp[nsp].inl = tl[k].src->r[r].inl;
			sp[nsp++].fn = k;
		}
	qsort(sp, nsp, sizeof(*sp), by_lo);
	for (i = 0; i < nsp; i++)
		reach[i] =
			i && reach[i - 1] > sp[i].hi ? reach[i - 1] : sp[i].hi;
	rc = walk(raw, sp, nsp, reach, tl, m);
	for (k = 0; !rc && k < nfn; k++)
		rc = finish(&tl[k], m, raw, &c->unnamed);
	if (!rc && raw->arch[0] && !(c->arch = strdup(raw->arch)))
		rc = -ENOMEM;
	for (i = 0; !rc && i < raw->nepochs; i++)
		if (raw->epochs[i].id > PMIG_COV_EPOCH_RUNNER)
			rc = pmig_cov_strs_add(&c->labels, &c->nlabels,
					       raw->epochs[i].label);
	if (!rc && !(c->suite = pmig_cov_suite_of(
			     (const char *const *)c->labels, c->nlabels)))
		rc = -ENOMEM;
out:
	for (k = 0; tl && k < nfn; k++)
		free(tl[k].epochs);
	free(tl);
	free(sp);
	free(reach);
	if (rc)
		pmig_cov_free(c);
	return rc;
}

char *pmig_cov_suite_of(const char *const *labels, size_t n)
{
	char **names = NULL, *s = NULL, *name;
	size_t i, k = 0, len = 1;
	int rc = 0;

	for (i = 0; !rc && i < n; i++) {
		name = strndup(labels[i], strcspn(labels[i], ":"));
		if (!name)
			rc = -ENOMEM;
		else
			rc = pmig_cov_strs_add(&names, &k,
					       strchr(labels[i], ':') ? name :
									"pmig");
		free(name);
	}
	if (!rc && !k)
		rc = pmig_cov_strs_add(&names, &k, "pmig");
	for (i = 0; i < k; i++)
		len += strlen(names[i]) + 1;
	if (!rc)
		s = calloc(len, 1);
	for (i = 0; s && i < k; i++) {
		if (i)
			strcat(s, "+");
		strcat(s, names[i]);
	}
	for (i = 0; i < k; i++)
		free(names[i]);
	free(names);
	return s;
}

bool pmig_cov_is_pmig(const struct pmig_cov *c)
{
	return !c->suite || !strcmp(c->suite, "pmig");
}

struct pmig_cov_counts pmig_cov_count(const struct pmig_cov *c,
				      const struct pmig_cov_file *f)
{
	struct pmig_cov_counts n = { 0 };
	size_t i, j;

	for (i = 0; i < c->nfiles; i++) {
		const struct pmig_cov_file *file = &c->files[i];

		if (f && f != file)
			continue;
		for (j = 0; j < file->nfuncs; j++) {
			const struct pmig_cov_func *fn = &file->funcs[j];

			if (fn->state == PMIG_COV_NOCODE) {
				n.nocode++;
				continue;
			}
			n.total++;
			n.reached += fn->state == PMIG_COV_REACHED;
			n.suite += fn->suite;
		}
	}
	return n;
}

const struct pmig_cov_file *pmig_cov_file(const struct pmig_cov *c,
					  const char *path)
{
	size_t i;

	for (i = 0; i < c->nfiles; i++)
		if (!strcmp(c->files[i].path, path))
			return &c->files[i];
	return NULL;
}

const struct pmig_cov_func *pmig_cov_func(const struct pmig_cov_file *f,
					  const char *name)
{
	size_t i;

	for (i = 0; f && i < f->nfuncs; i++)
		if (!strcmp(f->funcs[i].name, name))
			return &f->funcs[i];
	return NULL;
}

static void strs_free(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void pmig_cov_free(struct pmig_cov *c)
{
	size_t i, j;

	for (i = 0; i < c->nfiles; i++) {
		for (j = 0; j < c->files[i].nfuncs; j++) {
			struct pmig_cov_func *fn = &c->files[i].funcs[j];

			free(fn->name);
			strs_free(fn->symbols, fn->nsymbols);
			strs_free(fn->cases, fn->ncases);
		}
		free(c->files[i].funcs);
		free(c->files[i].path);
	}
	free(c->files);
	strs_free(c->labels, c->nlabels);
	free(c->release);
	free(c->suite);
	free(c->arch);
	free(c->package);
	free(c->package_version);
	memset(c, 0, sizeof(*c));
}
