/* matrix.c - builds the benchmark matrix from the options and registers it. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "matrix.h"
#include "util.h"

/* Addresses per move_pages call in the full set; 0 is all of them. */
static const size_t full_batches[] = { 1, 16, 512, 0 };
static const size_t quick_batches[] = { 1, 0 };

int pmig_strategy_check(const struct pmig_strategy *s)
{
	if (!s || !s->name || s->version != PMIG_STRATEGY_VERSION ||
	    !s->reset || !s->migrate || !s->workloads || !s->others)
		return -EINVAL;
	return 0;
}

struct list {
	struct pmig_bench_case *v;
	size_t n, cap;
};

static int add(struct list *l, const struct pmig_bench_case *c)
{
	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(l->v[i].name, c->name))
			return 0; /* a size that rounds to one already there */
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 64;
		struct pmig_bench_case *v = realloc(l->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = *c;
	return 0;
}

static void name_case(struct pmig_bench_case *c, size_t npages)
{
	char size[32], *p = c->name;
	size_t left = sizeof(c->name);
	int n;

	n = snprintf(p, left, "%s/%s/%s/%dto%d", c->strategy->name,
		     pmig_wl_name(c->wl),
		     pmig_size_format(c->bytes, size, sizeof(size)),
		     c->pair.from, c->pair.to);
	p += n;
	left -= (size_t)n;
	if (c->strategy->flags & PMIG_SF_BATCHED) {
		if (c->batch && c->batch < npages)
			n = snprintf(p, left, "/batch:%zu", c->batch);
		else
			n = snprintf(p, left, "/batch:all");
		p += n;
		left -= (size_t)n;
	}
	if (c->strategy->flags & PMIG_SF_THREADED) {
		n = snprintf(p, left, "/threads:%d", c->threads);
		p += n;
		left -= (size_t)n;
	}
	if (c->accessors)
		snprintf(p, left, "/acc:%d", c->accessors);
}

/* The variants of one strategy on one workload: batches or thread counts. */
static int add_variants(struct list *l, struct pmig_bench_case c,
			const struct pmig_case_opts *o)
{
	const size_t *batches = o->quick ? quick_batches : full_batches;
	size_t nb = o->quick ? 2 : 4, npages;
	const struct pmig_page_sizes *ps =
		o->page_sizes.base ? &o->page_sizes : pmig_page_sizes();
	size_t unit = c.wl == PMIG_WL_HUGETLB ? ps->hugetlb :
		      c.wl == PMIG_WL_THP     ? ps->thp :
		      c.wl == PMIG_WL_MTHP    ? PMIG_MTHP_BENCH_BYTES :
						ps->base;
	int ret = 0;

	/* No THP or pool: whole base pages; the workload says it is unavailable. */
	if (!unit)
		unit = ps->base;
	c.bytes = (c.bytes + unit - 1) / unit * unit;
	npages = c.bytes / unit;
	if (c.strategy->flags & PMIG_SF_NO_ACCESSORS)
		c.accessors = 0;
	if (c.strategy->flags & PMIG_SF_BATCHED) {
		for (size_t i = 0; i < nb && !ret; i++) {
			/* A batch of at least every page is "all". */
			c.batch = batches[i] >= npages ? 0 : batches[i];
			name_case(&c, npages);
			ret = add(l, &c);
		}
		return ret;
	}
	if (c.strategy->flags & PMIG_SF_THREADED) {
		c.threads = 1;
		name_case(&c, npages);
		ret = add(l, &c);
		c.threads = o->cpus > 2 ? o->cpus : 2;
		if (!ret) {
			name_case(&c, npages);
			ret = add(l, &c);
		}
		return ret;
	}
	name_case(&c, npages);
	return add(l, &c);
}

long pmig_cases_build(const struct pmig_case_opts *o,
		      struct pmig_bench_case **out)
{
	struct list l = { 0 };
	int ret = 0;

	*out = NULL;
	for (size_t p = 0; p < o->npairs && !ret; p++) {
		for (int z = 0; z < o->nsizes && !ret; z++) {
			for (size_t s = 0; pmig_strategies[s] && !ret; s++) {
				const struct pmig_strategy *st =
					pmig_strategies[s];

				if (pmig_strategy_check(st)) {
					ret = -EINVAL;
					break;
				}
				for (int w = 0; w < PMIG_WL_COUNT && !ret;
				     w++) {
					struct pmig_bench_case c = {
						.strategy = st,
						.wl = (enum pmig_wl)w,
						.bytes = o->sizes[z],
						.threads = 1,
						.accessors = o->accessors,
						.pair = o->pairs[p],
						.from_cpus = o->from_cpus[p],
						.iterations = o->iterations,
					};

					if (!(st->workloads & PMIG_WL(w)) ||
					    (o->quick && w != PMIG_WL_ANON) ||
					    (o->quick &&
					     (st->flags & PMIG_SF_NOT_QUICK)))
						continue;
					ret = add_variants(&l, c, o);
				}
			}
		}
	}
	if (ret) {
		free(l.v);
		return ret;
	}
	*out = l.v;
	return (long)l.n;
}

int pmig_cases_register(struct pmig_bench_case *cases, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int ret = pmig_bench_register(cases[i].name, pmig_case_run,
					      &cases[i], cases[i].iterations);

		if (ret < 0)
			return ret;
	}
	return 0;
}
