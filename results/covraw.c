/* covraw.c - coverage.raw and coverage-epochs.tsv read, blocks of one epoch merged. */
#include "covraw.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

__attribute__((format(printf, 3, 4))) static int bad(char *err, size_t len,
						     const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, len, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* A whole unsigned number of @base in @s, up to @end. */
static bool number(const char *s, const char *end, int base, uint64_t *v)
{
	char *e;

	/* strtoull() would take signs, spaces and a 0x the format has not. */
	if (s == end || !isalnum((unsigned char)*s) ||
	    (base == 16 && end - s > 1 && (s[1] == 'x' || s[1] == 'X')))
		return false;
	errno = 0;
	*v = strtoull(s, &e, base);
	return !errno && e == end;
}

static int push_tb(struct pmig_covraw *r, size_t *cap,
		   const struct pmig_cov_tb *tb)
{
	if (r->ntbs == *cap) {
		size_t c = *cap ? *cap * 2 : 4096;
		struct pmig_cov_tb *t = realloc(r->tbs, c * sizeof(*t));

		if (!t)
			return -ENOMEM;
		r->tbs = t;
		*cap = c;
	}
	r->tbs[r->ntbs++] = *tb;
	return 0;
}

static int by_epoch_addr(const void *a, const void *b)
{
	const struct pmig_cov_tb *x = a, *y = b;

	if (x->epoch != y->epoch)
		return x->epoch < y->epoch ? -1 : 1;
	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	return 0;
}

/* One block per address and epoch: counts added, the longest size kept. */
static void merge(struct pmig_covraw *r)
{
	size_t i, n = 0;

	qsort(r->tbs, r->ntbs, sizeof(*r->tbs), by_epoch_addr);
	for (i = 0; i < r->ntbs; i++) {
		struct pmig_cov_tb *last = n ? &r->tbs[n - 1] : NULL;

		if (last && last->epoch == r->tbs[i].epoch &&
		    last->addr == r->tbs[i].addr) {
			last->count += r->tbs[i].count;
			if (r->tbs[i].size > last->size)
				last->size = r->tbs[i].size;
			continue;
		}
		r->tbs[n++] = r->tbs[i];
	}
	r->ntbs = n;
}

static int add_epoch(struct pmig_covraw *r, unsigned long id)
{
	struct pmig_cov_epoch *e;
	size_t i;

	for (i = 0; i < r->nepochs; i++)
		if (r->epochs[i].id == id)
			return 0;
	e = realloc(r->epochs, (r->nepochs + 1) * sizeof(*e));
	if (!e)
		return -ENOMEM;
	r->epochs = e;
	e[r->nepochs].id = id;
	e[r->nepochs].label = NULL;
	r->nepochs++;
	return 0;
}

static int read_blocks(FILE *f, struct pmig_covraw *r, char *err, size_t len)
{
	char buf[256];
	size_t line = 0, cap = 0;
	bool in_epoch = false;
	unsigned long epoch = 0;
	uint64_t v;
	int rc;

	while (fgets(buf, sizeof(buf), f)) {
		char *f1, *f2, *f3, *end = buf + strcspn(buf, "\n");
		struct pmig_cov_tb tb;

		line++;
		if (!*end && !feof(f))
			return bad(err, len, "coverage.raw line %zu: too long",
				   line);
		*end = '\0';
		if (line == 1) {
			if (strcmp(buf, "pmig-coverage-raw 1"))
				return bad(
					err, len,
					"coverage.raw line 1: not \"pmig-coverage-raw 1\"");
			continue;
		}
		if (line == 2) {
			if (strncmp(buf, "arch ", 5) ||
			    (strcmp(buf + 5, "x86_64") &&
			     strcmp(buf + 5, "aarch64") &&
			     strcmp(buf + 5, "ppc64")))
				return bad(
					err, len,
					"coverage.raw line 2: not \"arch x86_64|aarch64|ppc64\"");
			snprintf(r->arch, sizeof(r->arch), "%.15s", buf + 5);
			continue;
		}
		if (!strncmp(buf, "epoch ", 6)) {
			if (!number(buf + 6, end, 10, &v) || v > 0xffffffffu)
				return bad(
					err, len,
					"coverage.raw line %zu: bad epoch id '%s'",
					line, buf + 6);
			epoch = v;
			in_epoch = true;
			rc = add_epoch(r, epoch);
			if (rc)
				return rc;
			continue;
		}
		f1 = buf;
		f2 = strchr(f1, ' ');
		f3 = f2 ? strchr(f2 + 1, ' ') : NULL;
		if (!f3 || !number(f1, f2, 16, &tb.addr) ||
		    !number(f2 + 1, f3, 16, &tb.size) ||
		    !number(f3 + 1, end, 10, &tb.count))
			return bad(
				err, len,
				"coverage.raw line %zu: not \"HEXADDR HEXSIZE COUNT\": '%s'",
				line, buf);
		if (!in_epoch)
			return bad(
				err, len,
				"coverage.raw line %zu: a block before the first epoch line",
				line);
		tb.epoch = epoch;
		rc = push_tb(r, &cap, &tb);
		if (rc)
			return rc;
	}
	if (ferror(f))
		return -EIO;
	if (line < 2)
		return bad(
			err, len,
			"coverage.raw: no \"pmig-coverage-raw 1\" and arch lines");
	merge(r);
	return 0;
}

static struct pmig_cov_epoch *epoch_of(struct pmig_covraw *r, unsigned long id)
{
	size_t i;

	for (i = 0; i < r->nepochs; i++)
		if (r->epochs[i].id == id)
			return &r->epochs[i];
	return NULL;
}

static int read_labels(FILE *f, struct pmig_covraw *r, char *err, size_t len)
{
	char buf[1024];
	size_t line = 0;
	uint64_t id;

	while (fgets(buf, sizeof(buf), f)) {
		char *tab, *end = buf + strcspn(buf, "\n");
		struct pmig_cov_epoch *e;

		line++;
		*end = '\0';
		tab = strchr(buf, '\t');
		if (!tab || !number(buf, tab, 10, &id) || !tab[1])
			return bad(
				err, len,
				"coverage-epochs.tsv line %zu: not \"ID<TAB>LABEL\"",
				line);
		e = epoch_of(r, id);
		/* An epoch with no kernel code has nothing to name. */
		if (!e || id <= PMIG_COV_EPOCH_RUNNER)
			continue;
		if (e->label && strcmp(e->label, tab + 1))
			return bad(
				err, len,
				"coverage-epochs.tsv line %zu: epoch %lu is '%s' and '%s'",
				line, e->id, e->label, tab + 1);
		if (!e->label) {
			e->label = strdup(tab + 1);
			if (!e->label)
				return -ENOMEM;
		}
	}
	return ferror(f) ? -EIO : 0;
}

static int by_id(const void *a, const void *b)
{
	const struct pmig_cov_epoch *x = a, *y = b;

	return x->id < y->id ? -1 : x->id > y->id;
}

int pmig_covraw_read(FILE *raw, FILE *labels, struct pmig_covraw *r, char *err,
		     size_t errlen)
{
	size_t i;
	int rc;

	memset(r, 0, sizeof(*r));
	snprintf(err, errlen, "cannot read it");
	rc = read_blocks(raw, r, err, errlen);
	if (!rc && labels)
		rc = read_labels(labels, r, err, errlen);
	for (i = 0; !rc && i < r->nepochs; i++) {
		struct pmig_cov_epoch *e = &r->epochs[i];

		if (e->id == PMIG_COV_EPOCH_BOOT)
			e->label = strdup("boot");
		else if (e->id == PMIG_COV_EPOCH_RUNNER)
			e->label = strdup("runner");
		else if (!e->label &&
			 asprintf(&e->label, "epoch %lu", e->id) < 0)
			e->label = NULL;
		if (!e->label)
			rc = -ENOMEM;
	}
	if (rc) {
		pmig_covraw_free(r);
		return rc;
	}
	qsort(r->epochs, r->nepochs, sizeof(*r->epochs), by_id);
	return 0;
}

const char *pmig_covraw_label(const struct pmig_covraw *r, unsigned long id)
{
	size_t lo = 0, hi = r->nepochs;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (r->epochs[mid].id == id)
			return r->epochs[mid].label;
		if (r->epochs[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

void pmig_covraw_free(struct pmig_covraw *r)
{
	size_t i;

	for (i = 0; i < r->nepochs; i++)
		free(r->epochs[i].label);
	free(r->epochs);
	free(r->tbs);
	memset(r, 0, sizeof(*r));
}
