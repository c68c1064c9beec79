/* random.c - generates move_pages(2) scenarios from (seed, id), prints them, and states them to the model. */
#include <stdio.h>
#include <string.h>

#include "random.h"

/* splitmix64: a tiny generator whose whole state is one word. */
static uint64_t next(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Uniform enough in [0, n) for n this small. */
static unsigned below(uint64_t *state, unsigned n)
{
	return (unsigned)(next(state) % n);
}

/* Percent weights of the page kinds, in enum order. */
static const unsigned kind_weight[PMIG_RND_NKINDS] = {
	[PMIG_RND_ANON] = 35,	[PMIG_RND_NEVER_TOUCHED] = 10,
	[PMIG_RND_ZERO] = 10,	[PMIG_RND_HOLE] = 10,
	[PMIG_RND_SHARED] = 20, [PMIG_RND_PINNED] = 15,
};

static enum pmig_rnd_kind pick_kind(uint64_t *state)
{
	unsigned r = below(state, 100), k = 0;

	while (k + 1 < PMIG_RND_NKINDS && r >= kind_weight[k])
		r -= kind_weight[k++];
	return (enum pmig_rnd_kind)k;
}

static int pick_node(uint64_t *state, const struct pmig_rnd_machine *m)
{
	return m->nodes[below(state, (unsigned)m->nnodes)];
}

void pmig_rnd_generate(struct pmig_rnd_scenario *s, uint64_t seed, uint64_t id,
		       const struct pmig_rnd_machine *m)
{
	/* Mix the id in first so neighbouring ids start far apart. */
	uint64_t state = seed, mix = id;
	unsigned r;

	state ^= next(&mix);
	memset(s, 0, sizeof(*s));
	s->seed = seed;
	s->id = id;
	s->npages = 1 + below(&state, PMIG_RND_MAX_PAGES);
	for (size_t p = 0; p < s->npages; p++) {
		s->pages[p].kind = pick_kind(&state);
		s->pages[p].node = pick_node(&state, m);
	}
	s->count = 1 + below(&state, PMIG_RND_MAX_ENTRIES);
	for (size_t i = 0; i < s->count; i++) {
		struct pmig_rnd_entry *e = &s->entries[i];

		e->page = below(&state, (unsigned)s->npages);
		/* Mostly page starts; sometimes an address inside the page. */
		e->offset = below(&state, 4) ? 0 : 1 + below(&state, 4095);
		r = below(&state, 100);
		/* Rarely invalid, so that most calls get past their first entries. */
		e->target = r < 3 ? -1 :
			    r < 6 ? m->offline :
				    pick_node(&state, m);
	}
	r = below(&state, 10);
	s->query = r < 2;
	s->flags = r < 8 ? PMIG_MODEL_MF_MOVE : PMIG_MODEL_MF_MOVE_ALL;
}

const char *pmig_rnd_kind_name(enum pmig_rnd_kind kind)
{
	static const char *const names[PMIG_RND_NKINDS] = {
		[PMIG_RND_ANON] = "anon",
		[PMIG_RND_NEVER_TOUCHED] = "untouched",
		[PMIG_RND_ZERO] = "zero",
		[PMIG_RND_HOLE] = "hole",
		[PMIG_RND_SHARED] = "shared",
		[PMIG_RND_PINNED] = "pinned",
	};

	return kind < PMIG_RND_NKINDS ? names[kind] : "?";
}

static bool written(enum pmig_rnd_kind kind)
{
	return kind == PMIG_RND_ANON || kind == PMIG_RND_SHARED ||
	       kind == PMIG_RND_PINNED;
}

void pmig_rnd_format(const struct pmig_rnd_scenario *s, char *buf, size_t len)
{
	size_t used = 0;

#define PUT(...)                                                         \
	do {                                                             \
		if (used < len)                                          \
			used += (size_t)snprintf(buf + used, len - used, \
						 __VA_ARGS__);           \
	} while (0)
	if (len)
		buf[0] = '\0';
	PUT("%s", s->query			    ? "QUERY" :
		  s->flags & PMIG_MODEL_MF_MOVE_ALL ? "MOVE_ALL" :
						      "MOVE");
	for (size_t p = 0; p < s->npages; p++) {
		PUT(" p%zu=%s", p, pmig_rnd_kind_name(s->pages[p].kind));
		if (written(s->pages[p].kind))
			PUT("@%d", s->pages[p].node);
	}
	PUT(" |");
	for (size_t i = 0; i < s->count; i++) {
		PUT(" p%u", s->entries[i].page);
		if (s->entries[i].offset)
			PUT("+%#x", s->entries[i].offset);
		if (!s->query)
			PUT("->%d", s->entries[i].target);
	}
#undef PUT
}

void pmig_rnd_to_model(const struct pmig_rnd_scenario *s,
		       const struct pmig_rnd_machine *m, bool cap_sys_nice,
		       uint32_t kver, const struct pmig_profile_entry *profiles,
		       size_t nprofiles, struct pmig_rnd_model *out)
{
	static const enum pmig_model_kind kinds[PMIG_RND_NKINDS] = {
		[PMIG_RND_ANON] = PMIG_MODEL_ANON,
		[PMIG_RND_NEVER_TOUCHED] = PMIG_MODEL_NEVER_TOUCHED,
		[PMIG_RND_ZERO] = PMIG_MODEL_ZERO,
		[PMIG_RND_HOLE] = PMIG_MODEL_HOLE,
		[PMIG_RND_SHARED] = PMIG_MODEL_ANON,
		[PMIG_RND_PINNED] = PMIG_MODEL_ANON,
	};
	struct pmig_model_scenario *sc = &out->sc;
	size_t nnodes = 0;

	memset(out, 0, sizeof(*out));
	pmig_model_scenario_init(sc);
	/* Node ids up to the highest memory node; the others are offline. */
	for (size_t k = 0; k < m->nnodes; k++) {
		struct pmig_model_node *n = &out->nodes[m->nodes[k]];

		*n = (struct pmig_model_node){ .online = true,
					       .has_memory = true,
					       .in_target_cpuset = true,
					       .in_caller_cpuset = true,
					       .free_pages = -1 };
		if ((size_t)m->nodes[k] + 1 > nnodes)
			nnodes = (size_t)m->nodes[k] + 1;
	}
	for (size_t p = 0; p < s->npages; p++) {
		const struct pmig_rnd_page *rp = &s->pages[p];

		out->pages[p] = (struct pmig_model_page){
			.kind = kinds[rp->kind],
			/* The zero page is on some node; the model ignores it. */
			.node = written(rp->kind) ? rp->node : m->nodes[0],
			.shared = rp->kind == PMIG_RND_SHARED,
			.unmovable = rp->kind == PMIG_RND_PINNED,
		};
	}
	/* An unaligned address is the same page: the same model address. */
	for (size_t i = 0; i < s->count; i++)
		out->entries[i] = (struct pmig_model_entry){
			.page = s->entries[i].page,
			.target = s->entries[i].target,
		};
	sc->pages = out->pages;
	sc->npages = s->npages;
	sc->entries = out->entries;
	sc->count = s->count;
	sc->query = s->query;
	sc->flags = s->flags;
	sc->cap_sys_nice = cap_sys_nice;
	sc->cap_sys_ptrace = cap_sys_nice;
	sc->nodes = out->nodes;
	sc->nnodes = nnodes;
	sc->kver = kver;
	sc->profiles = profiles;
	sc->nprofiles = nprofiles;
}
