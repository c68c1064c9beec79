/* shrink.c - greedy shrinking of a diverging random scenario: fewer entries, fewer pages, simpler addresses, kinds, flags and nodes. */
#include <string.h>

#include "shrink.h"

static void drop_entry(struct pmig_rnd_scenario *s, size_t i)
{
	memmove(&s->entries[i], &s->entries[i + 1],
		(s->count - i - 1) * sizeof(s->entries[0]));
	s->count--;
}

/* Drops page @p and the entries naming it; later pages move down by one. */
static void drop_page(struct pmig_rnd_scenario *s, size_t p)
{
	for (size_t i = s->count; i-- > 0;)
		if (s->entries[i].page == p)
			drop_entry(s, i);
		else if (s->entries[i].page > p)
			s->entries[i].page--;
	memmove(&s->pages[p], &s->pages[p + 1],
		(s->npages - p - 1) * sizeof(s->pages[0]));
	s->npages--;
}

/*
 * The simpler kinds a kind may become, most useful first; every step goes
 * towards ANON, so shrinking ends. A huge page's entries keep their
 * offset inside its first 4 KiB.
 */
static size_t simpler(enum pmig_rnd_kind kind, enum pmig_rnd_kind *out)
{
	switch (kind) {
	case PMIG_RND_THP_SHARED:
		out[0] = PMIG_RND_SHARED; /* huge to 4 KiB */
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
				s->entries[i].offset %= PMIG_RND_PAGE;
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
		/* A call needs one entry to say anything. */
		for (size_t i = s->count; s->count > 1 && i-- > 0;) {
			c = *s;
			drop_entry(&c, i);
			progress |= try(s, &c, diverges, arg, &runs);
		}
		for (size_t p = s->npages; s->npages > 1 && p-- > 0;) {
			c = *s;
			drop_page(&c, p);
			if (c.count)
				progress |= try(s, &c, diverges, arg, &runs);
		}
		if (s->flags & PMIG_MODEL_MF_MOVE_ALL) {
			c = *s;
			c.flags = (c.flags & ~PMIG_MODEL_MF_MOVE_ALL) |
				  PMIG_MODEL_MF_MOVE;
			progress |= try(s, &c, diverges, arg, &runs);
		}
		/* An unaligned address to its subpage's start, a tail to the head. */
		for (size_t i = 0; i < s->count; i++) {
			unsigned off = s->entries[i].offset;

			if (!off)
				continue;
			c = *s;
			c.entries[i].offset =
				off % PMIG_RND_PAGE ?
					off - off % PMIG_RND_PAGE :
					0;
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
		for (size_t i = 0; i < s->count && !s->query; i++) {
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
