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

/* Percent weights of the page kinds, in enum order; kinds the machine cannot build drop out. */
static const unsigned kind_weight[PMIG_RND_NKINDS] = {
	[PMIG_RND_ANON] = 14,	   [PMIG_RND_NEVER_TOUCHED] = 5,
	[PMIG_RND_ZERO] = 5,	   [PMIG_RND_HOLE] = 5,
	[PMIG_RND_SHARED] = 8,	   [PMIG_RND_PINNED] = 7,
	[PMIG_RND_MLOCKED] = 6,	   [PMIG_RND_SWAPPED] = 6,
	[PMIG_RND_MEMFD] = 7,	   [PMIG_RND_FILE_CLEAN] = 6,
	[PMIG_RND_FILE_DIRTY] = 6, [PMIG_RND_THP] = 10,
	[PMIG_RND_THP_SHARED] = 6, [PMIG_RND_HUGETLB] = 9,
};

bool pmig_rnd_kind_available(const struct pmig_rnd_machine *m,
			     enum pmig_rnd_kind kind)
{
	switch (kind) {
	case PMIG_RND_SWAPPED:
		return m->swap;
	case PMIG_RND_FILE_CLEAN:
	case PMIG_RND_FILE_DIRTY:
		return m->scratch;
	case PMIG_RND_THP:
	case PMIG_RND_THP_SHARED:
		return m->thp;
	case PMIG_RND_HUGETLB:
		return m->hugetlb;
	default:
		return kind < PMIG_RND_NKINDS;
	}
}

static enum pmig_rnd_kind pick_kind(uint64_t *state,
				    const struct pmig_rnd_machine *m)
{
	unsigned total = 0, r, k = 0;

	for (k = 0; k < PMIG_RND_NKINDS; k++)
		if (pmig_rnd_kind_available(m, (enum pmig_rnd_kind)k))
			total += kind_weight[k];
	r = below(state, total);
	for (k = 0;; k++) {
		if (!pmig_rnd_kind_available(m, (enum pmig_rnd_kind)k))
			continue;
		if (r < kind_weight[k])
			return (enum pmig_rnd_kind)k;
		r -= kind_weight[k];
	}
}

/*
 * Mostly the region's start; sometimes an address inside the first base
 * page; in a huge page also a tail subpage's start or an address inside it.
 */
static unsigned pick_offset(uint64_t *state, const struct pmig_rnd_scenario *s,
			    enum pmig_rnd_kind kind)
{
	unsigned page = (unsigned)s->sizes.base, r, sub;

	if (!pmig_rnd_huge(kind))
		return below(state, 4) ? 0 : 1 + below(state, page - 1);
	r = below(state, 100);
	if (r < 40)
		return 0;
	if (r < 55)
		return 1 + below(state, page - 1);
	sub = page *
	      (1 +
	       below(state, (unsigned)(pmig_rnd_region(s, kind) / page) - 1));
	return r < 85 ? sub : sub + 1 + below(state, page - 1);
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
	int page_node[PMIG_RND_MAX_PAGES];

	state ^= next(&mix);
	memset(s, 0, sizeof(*s));
	s->seed = seed;
	s->id = id;
	s->sizes = m->sizes;
	s->npages = 1 + below(&state, PMIG_RND_MAX_PAGES);
	for (size_t p = 0; p < s->npages; p++) {
		s->pages[p].kind = pick_kind(&state, m);
		s->pages[p].node = pick_node(&state, m);
	}
	s->count = 1 + below(&state, PMIG_RND_MAX_ENTRIES);
	for (size_t i = 0; i < s->count; i++) {
		struct pmig_rnd_entry *e = &s->entries[i];

		e->page = below(&state, (unsigned)s->npages);
		e->offset = pick_offset(&state, s, s->pages[e->page].kind);
		r = below(&state, 100);
		/* Rarely invalid, so that most calls get past their first entries. */
		e->target = r < 3 ? -1 :
			    r < 6 ? m->offline :
				    pick_node(&state, m);
	}
	r = below(&state, 10);
	s->query = r < 2;
	s->flags = r < 8 ? PMIG_MODEL_MF_MOVE : PMIG_MODEL_MF_MOVE_ALL;
	for (size_t p = 0; p < s->npages; p++)
		page_node[p] = pmig_rnd_written(s->pages[p].kind) ?
				       s->pages[p].node :
				       -1;
	pmig_rnd_call_generate(&s->call, &state, below, s->npages, page_node,
			       m->nodes, m->nnodes, m->offline);
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
		[PMIG_RND_MLOCKED] = "mlocked",
		[PMIG_RND_SWAPPED] = "swapped",
		[PMIG_RND_MEMFD] = "memfd",
		[PMIG_RND_FILE_CLEAN] = "file-clean",
		[PMIG_RND_FILE_DIRTY] = "file-dirty",
		[PMIG_RND_THP] = "thp",
		[PMIG_RND_THP_SHARED] = "thp-shared",
		[PMIG_RND_HUGETLB] = "hugetlb",
	};

	return kind < PMIG_RND_NKINDS ? names[kind] : "?";
}

bool pmig_rnd_huge(enum pmig_rnd_kind kind)
{
	return kind == PMIG_RND_THP || kind == PMIG_RND_THP_SHARED ||
	       kind == PMIG_RND_HUGETLB;
}

size_t pmig_rnd_region(const struct pmig_rnd_scenario *s,
		       enum pmig_rnd_kind kind)
{
	if (kind == PMIG_RND_HUGETLB)
		return s->sizes.hugetlb;
	return pmig_rnd_huge(kind) ? s->sizes.thp : s->sizes.base;
}

bool pmig_rnd_written(enum pmig_rnd_kind kind)
{
	return kind != PMIG_RND_NEVER_TOUCHED && kind != PMIG_RND_ZERO &&
	       kind != PMIG_RND_HOLE && kind < PMIG_RND_NKINDS;
}

bool pmig_rnd_resident(enum pmig_rnd_kind kind)
{
	return pmig_rnd_written(kind) && kind != PMIG_RND_SWAPPED;
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
	PUT("%s", s->call.op != PMIG_RND_OP_MOVE_PAGES ? "CALL" :
		  s->query			       ? "QUERY" :
		  s->flags & PMIG_MODEL_MF_MOVE_ALL    ? "MOVE_ALL" :
							 "MOVE");
	for (size_t p = 0; p < s->npages; p++) {
		PUT(" p%zu=%s", p, pmig_rnd_kind_name(s->pages[p].kind));
		if (pmig_rnd_written(s->pages[p].kind))
			PUT("@%d", s->pages[p].node);
	}
	PUT(" |");
	if (s->call.op != PMIG_RND_OP_MOVE_PAGES) {
		pmig_rnd_call_format(&s->call, buf, len, &used);
		return;
	}
	for (size_t i = 0; i < s->count; i++) {
		PUT(" p%u", s->entries[i].page);
		if (s->entries[i].offset)
			PUT("+%#x", s->entries[i].offset);
		if (!s->query)
			PUT("->%d", s->entries[i].target);
	}
#undef PUT
}

void pmig_rnd_format_machine(const struct pmig_rnd_machine *m, char *buf,
			     size_t len)
{
	snprintf(buf, len, "%s%s%s%s", m->thp ? " thp" : "",
		 m->hugetlb ? " hugetlb" : "", m->swap ? " swap" : "",
		 m->scratch ? " scratch" : "");
	if (buf[0])
		memmove(buf, buf + 1, strlen(buf));
	else
		snprintf(buf, len, "-");
}

/* The model's kind for each of ours; the flags below add what it lacks. */
static const enum pmig_model_kind model_kind[PMIG_RND_NKINDS] = {
	[PMIG_RND_ANON] = PMIG_MODEL_ANON,
	[PMIG_RND_NEVER_TOUCHED] = PMIG_MODEL_NEVER_TOUCHED,
	[PMIG_RND_ZERO] = PMIG_MODEL_ZERO,
	[PMIG_RND_HOLE] = PMIG_MODEL_HOLE,
	[PMIG_RND_SHARED] = PMIG_MODEL_ANON,
	[PMIG_RND_PINNED] = PMIG_MODEL_ANON,
	[PMIG_RND_MLOCKED] = PMIG_MODEL_ANON,
	[PMIG_RND_SWAPPED] = PMIG_MODEL_SWAPPED,
	[PMIG_RND_MEMFD] = PMIG_MODEL_FILE,
	[PMIG_RND_FILE_CLEAN] = PMIG_MODEL_FILE,
	[PMIG_RND_FILE_DIRTY] = PMIG_MODEL_FILE,
	[PMIG_RND_THP] = PMIG_MODEL_THP,
	[PMIG_RND_THP_SHARED] = PMIG_MODEL_THP,
	[PMIG_RND_HUGETLB] = PMIG_MODEL_HUGETLB,
};

void pmig_rnd_to_model(const struct pmig_rnd_scenario *s,
		       const struct pmig_rnd_machine *m, bool cap_sys_nice,
		       uint32_t kver, const struct pmig_profile_entry *profiles,
		       size_t nprofiles, struct pmig_rnd_model *out)
{
	struct pmig_model_scenario *sc = &out->sc;
	size_t nnodes = 0, naddrs = s->npages;

	memset(out, 0, sizeof(*out));
	pmig_model_scenario_init(sc);
	sc->geometry = (struct pmig_model_geometry){
		.page_size = s->sizes.base,
		.thp_pages = s->sizes.thp / s->sizes.base,
		.hugetlb_pages = s->sizes.hugetlb / s->sizes.base,
	};
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
		enum pmig_rnd_kind k = s->pages[p].kind;
		bool huge = pmig_rnd_huge(k);

		out->pages[p] = (struct pmig_model_page){
			.kind = model_kind[k],
			/* Kinds without a page: some node; the model ignores it. */
			.node = pmig_rnd_written(k) ? s->pages[p].node :
						      m->nodes[0],
			/* A huge page is one folio with all its addresses. */
			.folio = huge ? p + 1 : 0,
			.nr_pages =
				huge ? pmig_rnd_region(s, k) / s->sizes.base :
				       0,
			.shared = k == PMIG_RND_SHARED ||
				  k == PMIG_RND_THP_SHARED,
			.unmovable = k == PMIG_RND_PINNED,
		};
	}
	/*
	 * An address inside page p's first base page is model address p (the
	 * same page). One in another subpage of a huge page is a tail
	 * address of p's folio: a model address of its own.
	 */
	for (size_t i = 0; i < s->count; i++) {
		const struct pmig_rnd_entry *e = &s->entries[i];
		size_t a = e->page;

		if (e->offset >= s->sizes.base &&
		    pmig_rnd_huge(s->pages[e->page].kind)) {
			a = naddrs++;
			out->pages[a] = out->pages[e->page];
			out->pages[a].tail = true;
		}
		out->entries[i] = (struct pmig_model_entry){
			.page = a,
			.target = e->target,
		};
	}
	sc->pages = out->pages;
	sc->npages = naddrs;
	sc->entries = out->entries;
	sc->count = s->count;
	sc->query = s->query;
	sc->flags = s->flags;
	sc->cap_sys_nice = cap_sys_nice;
	sc->cap_sys_ptrace = cap_sys_nice;
	sc->nodes = out->nodes;
	sc->nnodes = nnodes;
	sc->kver = kver;
	sc->arch = m->arch;
	sc->profiles = profiles;
	sc->nprofiles = nprofiles;
}
