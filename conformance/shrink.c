/* shrink.c - greedy shrinking of a diverging random scenario: fewer entries, fewer pages, simpler flags. */
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
			 pmig_rnd_diverges_fn diverges, void *arg)
{
	struct pmig_rnd_scenario c;
	unsigned runs = 0;
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
		for (size_t i = 0; i < s->count; i++) {
			if (!s->entries[i].offset)
				continue;
			c = *s;
			c.entries[i].offset = 0;
			progress |= try(s, &c, diverges, arg, &runs);
		}
	}
	return runs;
}
