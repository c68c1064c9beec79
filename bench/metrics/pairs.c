/* pairs.c - node pair selection for the benchmarks: nearest, farthest, CPU-less and all targets. */
#include "pairs.h"

#include <errno.h>
#include <string.h>

static const char *const sel_names[] = {
	[PMIG_PAIRS_NEAREST] = "nearest",
	[PMIG_PAIRS_FARTHEST] = "farthest",
	[PMIG_PAIRS_CPULESS] = "cpuless",
	[PMIG_PAIRS_ALL] = "all",
};

#define NSEL (sizeof(sel_names) / sizeof(sel_names[0]))

/* Only a node with memory of its own can be migrated from or to. */
static bool has_memory(const struct pmig_node *n)
{
	return n->memory_bytes > 0;
}

static void emit(struct pmig_pair *out, size_t max, size_t *count,
		 const struct pmig_topo *t, const struct pmig_node *from,
		 const struct pmig_node *to)
{
	if (*count < max) {
		out[*count] = (struct pmig_pair){
			.from = (int)from->os_index,
			.to = (int)to->os_index,
			.distance = pmig_topo_distance(t, from->os_index,
						       to->os_index),
			.to_cpuless = to->ncpus == 0,
		};
	}
	(*count)++;
}

/*
 * The best `to` for @from under NEAREST or FARTHEST, or NULL. Candidates are
 * walked in increasing os index and replaced only on a strict improvement,
 * which is what makes ties go to the lower index.
 */
static const struct pmig_node *
best_to(const struct pmig_topo *t, const struct pmig_node *from, bool farthest)
{
	const struct pmig_node *best = NULL, *first_unknown = NULL;
	int best_d = -1;
	size_t i;

	for (i = 0; i < pmig_topo_node_count(t); i++) {
		const struct pmig_node *to = pmig_topo_node(t, i);
		int d;

		if (to == from || !has_memory(to))
			continue;
		d = pmig_topo_distance(t, from->os_index, to->os_index);
		if (d < 0) {
			if (!first_unknown)
				first_unknown = to;
			continue;
		}
		if (!best || (farthest ? d > best_d : d < best_d)) {
			best = to;
			best_d = d;
		}
	}
	return best ? best : first_unknown;
}

size_t pmig_pairs_select(const struct pmig_topo *t, enum pmig_pair_sel sel,
			 struct pmig_pair *out, size_t max)
{
	size_t count = 0, i, j;

	if (!t || (!out && max) || (unsigned)sel >= NSEL)
		return 0;
	for (i = 0; i < pmig_topo_node_count(t); i++) {
		const struct pmig_node *from = pmig_topo_node(t, i);

		if (!has_memory(from) || from->ncpus == 0)
			continue;
		if (sel == PMIG_PAIRS_NEAREST || sel == PMIG_PAIRS_FARTHEST) {
			const struct pmig_node *to =
				best_to(t, from, sel == PMIG_PAIRS_FARTHEST);

			if (to)
				emit(out, max, &count, t, from, to);
			continue;
		}
		for (j = 0; j < pmig_topo_node_count(t); j++) {
			const struct pmig_node *to = pmig_topo_node(t, j);

			if (to == from || !has_memory(to))
				continue;
			if (sel == PMIG_PAIRS_CPULESS && to->ncpus)
				continue;
			emit(out, max, &count, t, from, to);
		}
	}
	return count;
}

int pmig_pairs_parse(const char *s, enum pmig_pair_sel *out)
{
	size_t i;

	if (!s || !out)
		return -EINVAL;
	for (i = 0; i < NSEL; i++) {
		if (!strcmp(s, sel_names[i])) {
			*out = (enum pmig_pair_sel)i;
			return 0;
		}
	}
	return -EINVAL;
}

const char *pmig_pairs_name(enum pmig_pair_sel sel)
{
	return (unsigned)sel < NSEL ? sel_names[sel] : "?";
}
