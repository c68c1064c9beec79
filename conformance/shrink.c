/* shrink.c - greedy shrinking of a diverging random scenario: fewer entries, pages and call nodes, simpler addresses, kinds, flags and nodes. */
#include <string.h>

#include "shrink.h"

static void drop_entry(struct pmig_rnd_scenario *s, size_t i)
{
	memmove(&s->entries[i], &s->entries[i + 1],
		(s->count - i - 1) * sizeof(s->entries[0]));
	s->count--;
}

/*
 * Drops page @p and the entries naming it; later pages move down by one.
 * False (and @s half changed) when @p is the page an mbind call is about.
 */
static bool drop_page(struct pmig_rnd_scenario *s, size_t p)
{
	if (s->call.op == PMIG_RND_OP_MBIND) {
		if (s->call.first == p)
			return false;
		if (s->call.first > p)
			s->call.first--;
	}
	for (size_t i = s->count; i-- > 0;)
		if (s->entries[i].page == p)
			drop_entry(s, i);
		else if (s->entries[i].page > p)
			s->entries[i].page--;
	memmove(&s->pages[p], &s->pages[p + 1],
		(s->npages - p - 1) * sizeof(s->pages[0]));
	s->npages--;
	return true;
}

/*
 * The simpler kinds a kind may become, most useful first; every step goes
 * towards ANON, so shrinking ends. A huge page's entries keep their
 * offset inside its first base page.
 */
static size_t simpler(enum pmig_rnd_kind kind, enum pmig_rnd_kind *out)
{
	switch (kind) {
	case PMIG_RND_THP_SHARED:
		out[0] = PMIG_RND_SHARED; /* huge to a base page */
		out[1] = PMIG_RND_THP; /* shared to exclusive */
		return 2;
	case PMIG_RND_ANON:
	case PMIG_RND_NEVER_TOUCHED:
	case PMIG_RND_ZERO:
	case PMIG_RND_HOLE:
	case PMIG_RND_NKINDS:
		return 0;
	default: /* thp, hugetlb, shared, pinned, mlocked, swapped, files */
		out[0] = PMIG_RND_ANON;
		return 1;
	}
}

static void set_kind(struct pmig_rnd_scenario *s, size_t p,
		     enum pmig_rnd_kind kind)
{
	if (!pmig_rnd_huge(kind))
		for (size_t i = 0; i < s->count; i++)
			if (s->entries[i].page == p)
				s->entries[i].offset %= s->sizes.base;
	s->pages[p].kind = kind;
}

static int lowest_node(const struct pmig_rnd_machine *m)
{
	int low = m->nodes[0];

	for (size_t k = 1; k < m->nnodes; k++)
		if (m->nodes[k] < low)
			low = m->nodes[k];
	return low;
}

static bool memory_node(const struct pmig_rnd_machine *m, int node)
{
	for (size_t k = 0; k < m->nnodes; k++)
		if (m->nodes[k] == node)
			return true;
	return false;
}

/* Tries @c; keeps it in @s when the divergence persists. */
static bool try(struct pmig_rnd_scenario *s, const struct pmig_rnd_scenario *c,
		pmig_rnd_diverges_fn diverges, void *arg, unsigned *runs)
{
	++*runs;
	if (!diverges(c, arg))
		return false;
	*s = *c;
	return true;
}

/* Simpler migrate_pages(2) and mbind(2) calls: fewer nodes, fewer flags. */
static bool shrink_call(struct pmig_rnd_scenario *s,
			pmig_rnd_diverges_fn diverges, void *arg,
			unsigned *runs)
{
	struct pmig_rnd_call *k = &s->call;
	struct pmig_rnd_scenario c;
	bool progress = false;

	for (int n = 0; n < 64 && k->op == PMIG_RND_OP_MIGRATE_PAGES; n++) {
		pmig_model_nodemask bit = (pmig_model_nodemask)1 << n;

		if ((k->old_nodes & bit) && (k->old_nodes & ~bit)) {
			c = *s;
			c.call.old_nodes &= ~bit;
			progress |= try(s, &c, diverges, arg, runs);
		}
		if ((k->new_nodes & bit) && (k->new_nodes & ~bit)) {
			c = *s;
			c.call.new_nodes &= ~bit;
			progress |= try(s, &c, diverges, arg, runs);
		}
	}
	if (k->op != PMIG_RND_OP_MBIND)
		return progress;
	if (k->flags & PMIG_MODEL_MF_MOVE_ALL) {
		c = *s;
		c.call.flags = (c.call.flags & ~PMIG_MODEL_MF_MOVE_ALL) |
			       PMIG_MODEL_MF_MOVE;
		progress |= try(s, &c, diverges, arg, runs);
	}
	if ((k->flags & PMIG_MODEL_MF_STRICT) &&
	    k->flags != PMIG_MODEL_MF_STRICT) {
		c = *s;
		c.call.flags &= ~PMIG_MODEL_MF_STRICT;
		progress |= try(s, &c, diverges, arg, runs);
	}
	if (k->mode == PMIG_MODEL_MPOL_PREFERRED) {
		c = *s;
		c.call.mode = PMIG_MODEL_MPOL_BIND;
		progress |= try(s, &c, diverges, arg, runs);
	}
	return progress;
}

unsigned pmig_rnd_shrink(struct pmig_rnd_scenario *s,
			 const struct pmig_rnd_machine *m,
			 pmig_rnd_diverges_fn diverges, void *arg)
{
	struct pmig_rnd_scenario c;
	unsigned runs = 0;
	int low = lowest_node(m);
	bool progress = true;

	while (progress) {
		progress = false;
		progress |= shrink_call(s, diverges, arg, &runs);
		/* A call needs one entry to say anything. */
		for (size_t i = s->count;
		     s->count > 1 && i-- > 0 &&
		     s->call.op == PMIG_RND_OP_MOVE_PAGES;) {
			c = *s;
			drop_entry(&c, i);
			progress |= try(s, &c, diverges, arg, &runs);
		}
		for (size_t p = s->npages; s->npages > 1 && p-- > 0;) {
			c = *s;
			if (drop_page(&c, p) &&
			    (c.count || c.call.op != PMIG_RND_OP_MOVE_PAGES))
				progress |= try(s, &c, diverges, arg, &runs);
		}
		if (s->flags & PMIG_MODEL_MF_MOVE_ALL) {
			c = *s;
			c.flags = (c.flags & ~PMIG_MODEL_MF_MOVE_ALL) |
				  PMIG_MODEL_MF_MOVE;
			progress |= try(s, &c, diverges, arg, &runs);
		}
		/* An unaligned address to its subpage's start, a tail to the head. */
		for (size_t i = 0;
		     i < s->count && s->call.op == PMIG_RND_OP_MOVE_PAGES;
		     i++) {
			unsigned off = s->entries[i].offset,
				 page = (unsigned)s->sizes.base;

			if (!off)
				continue;
			c = *s;
			c.entries[i].offset = off % page ? off - off % page : 0;
			progress |= try(s, &c, diverges, arg, &runs);
		}
		for (size_t p = 0; p < s->npages; p++) {
			enum pmig_rnd_kind to[2];
			size_t n = simpler(s->pages[p].kind, to);

			for (size_t k = 0; k < n; k++) {
				c = *s;
				set_kind(&c, p, to[k]);
				if (try(s, &c, diverges, arg, &runs)) {
					progress = true;
					break;
				}
			}
		}
		for (size_t p = 0; p < s->npages; p++) {
			if (s->pages[p].node == low ||
			    !pmig_rnd_written(s->pages[p].kind))
				continue;
			c = *s;
			c.pages[p].node = low;
			progress |= try(s, &c, diverges, arg, &runs);
		}
		for (size_t i = 0; i < s->count && !s->query &&
				   s->call.op == PMIG_RND_OP_MOVE_PAGES;
		     i++) {
			if (s->entries[i].target == low ||
			    !memory_node(m, s->entries[i].target))
				continue;
			c = *s;
			c.entries[i].target = low;
			progress |= try(s, &c, diverges, arg, &runs);
		}
	}
	return runs;
}
