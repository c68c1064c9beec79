/* covtab.c - the coverage plugin's counters, epochs and raw file (no QEMU here: unit-tested on its own). */
#include "covtab.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/*
 * Counters live in chunks that never move: QEMU keeps each one's address
 * in the code it generated. A hash of the addresses finds a counter again.
 */
#define CHUNK 4096U

struct counter {
	uint64_t count;
	uint64_t vaddr;
	uint32_t size;
};

/* One epoch's executions: (counter, count) pairs, merged now and then. */
struct hit {
	uint32_t counter;
	uint64_t count;
};

struct epoch {
	struct hit *hits;
	size_t n, cap;
	size_t merged; /* n after the last merge */
};

struct pmig_covtab {
	struct counter **chunks;
	size_t nchunks;
	uint32_t ncounters;
	uint32_t *hash; /* counter index + 1; 0 is empty */
	size_t hash_size; /* a power of two */
	struct epoch *epochs[PMIG_COV_MAX_EPOCHS];
	unsigned current;
};

uint64_t pmig_covtab_kernel_base(const char *target, const char **arch)
{
	/* x86-64 and arm64 (48-bit and 47-bit kernel VA): the top half's top. */
	static const struct {
		const char *target, *arch;
		uint64_t base;
	} known[] = {
		{ "x86_64", "x86_64", 0xffff000000000000ULL },
		{ "aarch64", "aarch64", 0xffff000000000000ULL },
		/* ppc64 runs its kernel at 0xc000... (linear map, vmalloc, modules). */
		{ "ppc64", "ppc64", 0xc000000000000000ULL },
	};

	for (size_t i = 0; target && i < sizeof(known) / sizeof(known[0]);
	     i++) {
		if (!strcmp(target, known[i].target)) {
			if (arch)
				*arch = known[i].arch;
			return known[i].base;
		}
	}
	if (arch)
		*arch = NULL;
	return 0;
}

bool pmig_covtab_mark_id(uint64_t vaddr, unsigned *id)
{
	uint64_t off = vaddr - PMIG_COV_MARK_BASE;

	if (vaddr < PMIG_COV_MARK_BASE ||
	    off >= PMIG_COV_MARK_STEP * PMIG_COV_MAX_EPOCHS)
		return false;
	*id = (unsigned)(off / PMIG_COV_MARK_STEP);
	return true;
}

static struct counter *counter_at(const struct pmig_covtab *t, uint32_t i)
{
	return &t->chunks[i / CHUNK][i % CHUNK];
}

static size_t slot_of(uint64_t vaddr, size_t size)
{
	/* Code addresses differ in their low bits: mix the high ones in. */
	vaddr ^= vaddr >> 29;
	vaddr *= 0xbf58476d1ce4e5b9ULL;
	vaddr ^= vaddr >> 32;
	return (size_t)vaddr & (size - 1);
}

static int rehash(struct pmig_covtab *t, size_t size)
{
	uint32_t *h = calloc(size, sizeof(*h));

	if (!h)
		return -ENOMEM;
	for (uint32_t i = 0; i < t->ncounters; i++) {
		size_t s = slot_of(counter_at(t, i)->vaddr, size);

		while (h[s])
			s = (s + 1) & (size - 1);
		h[s] = i + 1;
	}
	free(t->hash);
	t->hash = h;
	t->hash_size = size;
	return 0;
}

struct pmig_covtab *pmig_covtab_new(void)
{
	struct pmig_covtab *t = calloc(1, sizeof(*t));

	if (t && rehash(t, 1024)) {
		free(t);
		t = NULL;
	}
	return t;
}

void pmig_covtab_free(struct pmig_covtab *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->nchunks; i++)
		free(t->chunks[i]);
	for (unsigned e = 0; e < PMIG_COV_MAX_EPOCHS; e++) {
		if (t->epochs[e])
			free(t->epochs[e]->hits);
		free(t->epochs[e]);
	}
	free(t->chunks);
	free(t->hash);
	free(t);
}

static struct counter *new_counter(struct pmig_covtab *t)
{
	uint32_t i = t->ncounters;

	if (i % CHUNK == 0) {
		struct counter **c =
			realloc(t->chunks, (t->nchunks + 1) * sizeof(*c));

		if (!c)
			return NULL;
		t->chunks = c;
		c[t->nchunks] = calloc(CHUNK, sizeof(**c));
		if (!c[t->nchunks])
			return NULL;
		t->nchunks++;
	}
	t->ncounters++;
	return counter_at(t, i);
}

uint64_t *pmig_covtab_counter(struct pmig_covtab *t, uint64_t vaddr,
			      uint32_t size)
{
	size_t s = slot_of(vaddr, t->hash_size);
	struct counter *c;

	for (; t->hash[s]; s = (s + 1) & (t->hash_size - 1)) {
		c = counter_at(t, t->hash[s] - 1);
		if (c->vaddr == vaddr) {
			if (size > c->size)
				c->size = size;
			return &c->count;
		}
	}
	/* At most half full: probes stay short. */
	if ((t->ncounters + 1) * 2 > t->hash_size) {
		if (rehash(t, t->hash_size * 2))
			return NULL;
		return pmig_covtab_counter(t, vaddr, size);
	}
	c = new_counter(t);
	if (!c)
		return NULL;
	c->vaddr = vaddr;
	c->size = size;
	t->hash[s] = t->ncounters;
	return &c->count;
}

static int by_counter(const void *a, const void *b)
{
	const struct hit *x = a, *y = b;

	return (x->counter > y->counter) - (x->counter < y->counter);
}

/* The same counter's pairs become one, and the epoch shrinks to that. */
static void merge(struct epoch *e)
{
	size_t w = 0;

	qsort(e->hits, e->n, sizeof(*e->hits), by_counter);
	for (size_t r = 0; r < e->n; r++) {
		if (w && e->hits[w - 1].counter == e->hits[r].counter)
			e->hits[w - 1].count += e->hits[r].count;
		else
			e->hits[w++] = e->hits[r];
	}
	e->n = w;
	e->merged = w;
}

static struct epoch *epoch_get(struct pmig_covtab *t, unsigned id)
{
	if (!t->epochs[id])
		t->epochs[id] = calloc(1, sizeof(*t->epochs[id]));
	return t->epochs[id];
}

int pmig_covtab_switch(struct pmig_covtab *t, unsigned id)
{
	struct epoch *e = epoch_get(t, t->current);
	size_t ran = 0;

	if (id >= PMIG_COV_MAX_EPOCHS)
		return -EINVAL;
	if (!e || !epoch_get(t, id))
		return -ENOMEM;
	for (uint32_t i = 0; i < t->ncounters; i++)
		ran += counter_at(t, i)->count != 0;
	/*
	 * Room for every pair first, so that no count is zeroed without being
	 * kept. An epoch entered again and again (the runner's, between every
	 * case) is merged when it has doubled: memory stays a few times the
	 * code it ran, and the sort's cost is spread over the switches.
	 */
	if (e->n + ran > e->cap) {
		size_t cap = (e->n + ran) * 2;
		struct hit *h = realloc(e->hits, cap * sizeof(*h));

		if (!h)
			return -ENOMEM;
		e->hits = h;
		e->cap = cap;
	}
	for (uint32_t i = 0; i < t->ncounters; i++) {
		struct counter *c = counter_at(t, i);

		if (!c->count)
			continue;
		e->hits[e->n].counter = i;
		e->hits[e->n].count = c->count;
		e->n++;
		c->count = 0;
	}
	if (e->n > 2 * e->merged + 1024)
		merge(e);
	t->current = id;
	return 0;
}

unsigned pmig_covtab_epoch(const struct pmig_covtab *t)
{
	return t->current;
}

/* Pairs in their counters' address order (qsort_r's argument: the table). */
static int by_vaddr(const void *a, const void *b, void *table)
{
	const struct pmig_covtab *t = table;
	uint64_t x = counter_at(t, ((const struct hit *)a)->counter)->vaddr;
	uint64_t y = counter_at(t, ((const struct hit *)b)->counter)->vaddr;

	return (x > y) - (x < y);
}

int pmig_covtab_write(struct pmig_covtab *t, const char *arch, FILE *out)
{
	int err = pmig_covtab_switch(t, t->current);

	if (err)
		return err;
	fprintf(out, "pmig-coverage-raw 1\narch %s\n", arch);
	for (unsigned id = 0; id < PMIG_COV_MAX_EPOCHS; id++) {
		struct epoch *e = t->epochs[id];

		if (!e)
			continue;
		merge(e);
		qsort_r(e->hits, e->n, sizeof(*e->hits), by_vaddr, t);
		fprintf(out, "epoch %u\n", id);
		for (size_t i = 0; i < e->n; i++) {
			struct counter *c = counter_at(t, e->hits[i].counter);

			fprintf(out, "%llx %x %llu\n",
				(unsigned long long)c->vaddr, c->size,
				(unsigned long long)e->hits[i].count);
		}
	}
	return ferror(out) ? -EIO : 0;
}
