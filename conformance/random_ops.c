/* random_ops.c - draws, prints and predicts the migrate_pages(2) and mbind(2) calls of random scenarios. */
#include <stdio.h>

#include "random_ops.h"

#define BIT(n) ((pmig_model_nodemask)1 << (n))

/* A nonempty random subset of @nodes, rarely with the offline id too. */
static pmig_model_nodemask some_nodes(uint64_t *state,
				      unsigned (*below)(uint64_t *, unsigned),
				      const int *nodes, size_t nnodes,
				      int offline)
{
	pmig_model_nodemask m = 0;

	while (!m)
		for (size_t k = 0; k < nnodes; k++)
			if (below(state, 2))
				m |= BIT(nodes[k]);
	if (offline >= 0 && offline < 64 && below(state, 20) == 0)
		m |= BIT(offline);
	return m;
}

/* Flag sets of mbind calls, with how often each is drawn (percent). */
static const struct {
	unsigned flags, weight;
} mbind_flags[] = {
	{ PMIG_MODEL_MF_MOVE, 35 },
	{ PMIG_MODEL_MF_MOVE | PMIG_MODEL_MF_STRICT, 25 },
	{ PMIG_MODEL_MF_MOVE_ALL, 10 },
	{ PMIG_MODEL_MF_MOVE_ALL | PMIG_MODEL_MF_STRICT, 10 },
	{ PMIG_MODEL_MF_STRICT, 20 },
};

static void gen_mbind(struct pmig_rnd_call *c, uint64_t *state,
		      unsigned (*below)(uint64_t *, unsigned), size_t npages,
		      const int *page_node, const int *nodes, size_t nnodes,
		      int offline)
{
	unsigned r = below(state, 100), k = 0;

	/* One page: each page is a mapping of its own, with gaps between. */
	c->first = below(state, (unsigned)npages);
	c->npages = 1;
	while (k + 1 < sizeof(mbind_flags) / sizeof(mbind_flags[0]) &&
	       r >= mbind_flags[k].weight)
		r -= mbind_flags[k++].weight;
	c->flags = mbind_flags[k].flags;
	r = below(state, 100);
	/*
	 * MPOL_DEFAULT only with STRICT alone: with MOVE it moves pages to
	 * the calling CPU's node, which a scenario does not fix.
	 */
	if (c->flags == PMIG_MODEL_MF_STRICT && r < 30) {
		c->mode = PMIG_MODEL_MPOL_DEFAULT;
		c->nodes = 0;
		return;
	}
	c->mode = r < 70 ? PMIG_MODEL_MPOL_BIND : PMIG_MODEL_MPOL_PREFERRED;
	/* Three times in four another node than the page's, if there is one. */
	k = below(state, (unsigned)nnodes);
	if (nodes[k] == page_node[c->first] && nnodes > 1 && below(state, 4))
		k = (k + 1 + below(state, (unsigned)nnodes - 1)) %
		    (unsigned)nnodes;
	c->nodes = BIT(nodes[k]);
	if (offline >= 0 && offline < 64 && below(state, 30) == 0)
		c->nodes = BIT(offline);
}

void pmig_rnd_call_generate(struct pmig_rnd_call *c, uint64_t *state,
			    unsigned (*below)(uint64_t *state, unsigned n),
			    size_t npages, const int *page_node,
			    const int *nodes, size_t nnodes, int offline)
{
	unsigned r = below(state, 100);

	*c = (struct pmig_rnd_call){ .op = PMIG_RND_OP_MOVE_PAGES };
	if (r < 60 || !nnodes || !npages)
		return;
	if (r < 80) {
		c->op = PMIG_RND_OP_MIGRATE_PAGES;
		c->old_nodes = some_nodes(state, below, nodes, nnodes, offline);
		c->new_nodes = some_nodes(state, below, nodes, nnodes, offline);
		return;
	}
	c->op = PMIG_RND_OP_MBIND;
	gen_mbind(c, state, below, npages, page_node, nodes, nnodes, offline);
}

static void put_mask(pmig_model_nodemask m, char *buf, size_t len, size_t *used)
{
	const char *sep = "";

	if (*used < len)
		*used += (size_t)snprintf(buf + *used, len - *used, "{");
	for (int n = 0; n < 64; n++)
		if (m & BIT(n)) {
			if (*used < len)
				*used += (size_t)snprintf(buf + *used,
							  len - *used, "%s%d",
							  sep, n);
			sep = ",";
		}
	if (*used < len)
		*used += (size_t)snprintf(buf + *used, len - *used, "}");
}

void pmig_rnd_call_format(const struct pmig_rnd_call *c, char *buf, size_t len,
			  size_t *used)
{
	static const char *const modes[] = {
		[PMIG_MODEL_MPOL_DEFAULT] = "DEFAULT",
		[PMIG_MODEL_MPOL_PREFERRED] = "PREFERRED",
		[PMIG_MODEL_MPOL_BIND] = "BIND",
	};

#define PUT(...)                                                            \
	do {                                                                \
		if (*used < len)                                            \
			*used += (size_t)snprintf(buf + *used, len - *used, \
						  __VA_ARGS__);             \
	} while (0)
	switch (c->op) {
	case PMIG_RND_OP_MIGRATE_PAGES:
		PUT(" migrate_pages ");
		put_mask(c->old_nodes, buf, len, used);
		PUT("->");
		put_mask(c->new_nodes, buf, len, used);
		break;
	case PMIG_RND_OP_MBIND:
		PUT(" mbind p%u %s", c->first, modes[c->mode]);
		put_mask(c->nodes, buf, len, used);
		PUT("%s%s%s", c->flags & PMIG_MODEL_MF_MOVE ? " MOVE" : "",
		    c->flags & PMIG_MODEL_MF_MOVE_ALL ? " MOVE_ALL" : "",
		    c->flags & PMIG_MODEL_MF_STRICT ? " STRICT" : "");
		break;
	default:
		break;
	}
#undef PUT
}

long pmig_rnd_call_predict(const struct pmig_rnd_call *c,
			   const struct pmig_model_scenario *sc, bool hole,
			   int *final_node)
{
	struct pmig_model_mbind mb = {
		.first = c->first,
		.npages = c->npages,
		.gap = hole,
		.unmapped = hole,
		.mode = c->mode,
		.nodes = c->nodes,
		.flags = c->flags,
	};

	if (c->op == PMIG_RND_OP_MIGRATE_PAGES)
		return pmig_model_migrate_pages(sc, c->old_nodes, c->new_nodes,
						final_node);
	return pmig_model_mbind(sc, &mb, final_node);
}
