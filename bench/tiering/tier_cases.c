/* tier_cases.c - which tiering benchmarks run here: the near and far nodes from the memory tiers and the topology, one case per strategy and workload. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "size.h"
#include "tier_cases.h"
#include "tiers.h"

const struct pmig_tier_strategy *const pmig_tier_strategies[] = {
	&pmig_tier_numab_promote,  &pmig_tier_damon_migrate_hot,
	&pmig_tier_demote_reclaim, &pmig_tier_damon_migrate_cold,
	&pmig_tier_user,	   NULL,
};

static const char *const wl_names[PMIG_TIER_WL_COUNT] = {
	[PMIG_TIER_PROMOTE] = "promote",
	[PMIG_TIER_DEMOTE] = "demote",
};

const char *pmig_tier_wl_name(enum pmig_tier_wl wl)
{
	return (unsigned)wl < PMIG_TIER_WL_COUNT ? wl_names[wl] : NULL;
}

/*
 * near: the first node with CPUs in the fastest tier holding one. far: the
 * first memory node of a slower tier (its CPU-less nodes first); without
 * two tiers, a CPU-less memory node, else the memory node farthest from
 * near. Returns 0, or -ENODEV with fewer than two memory nodes.
 */
int pmig_tier_nodes(const struct pmig_topo *t, const char *tiers_root,
		    struct pmig_tier_nodes *out)
{
	struct pmig_mem_tier tiers[64];
	int ntiers = pmig_tiers_read(tiers_root, tiers, 64), best = -1;
	size_t n = pmig_topo_node_count(t);
	int near_tier = -1;

	memset(out, 0, sizeof(*out));
	out->near = out->far = out->watch = -1;
	for (size_t i = 0; i < n; i++) {
		const struct pmig_node *nd = pmig_topo_node(t, i);
		int ti = ntiers > 0 ? pmig_tier_index(tiers, (size_t)ntiers,
						      (int)nd->os_index) :
				      -1;

		if (!nd->ncpus || !nd->memory_bytes)
			continue;
		if (out->near < 0 || (ti >= 0 && ti < near_tier)) {
			out->near = (int)nd->os_index;
			near_tier = ti;
		}
	}
	if (out->near < 0)
		return -ENODEV;
	for (int pass = 0; pass < 2 && out->far < 0; pass++)
		for (size_t i = 0; i < n; i++) {
			const struct pmig_node *nd = pmig_topo_node(t, i);
			int ti = ntiers > 0 ?
					 pmig_tier_index(tiers, (size_t)ntiers,
							 (int)nd->os_index) :
					 -1;

			if (!nd->memory_bytes ||
			    (int)nd->os_index == out->near ||
			    (pass == 0 && nd->ncpus))
				continue;
			if (ti >= 0 && near_tier >= 0 && ti > near_tier) {
				out->far = (int)nd->os_index;
				out->tiered = true;
				break;
			}
		}
	for (size_t i = 0; i < n && out->far < 0; i++) {
		const struct pmig_node *nd = pmig_topo_node(t, i);

		if (nd->memory_bytes && !nd->ncpus)
			out->far = (int)nd->os_index;
	}
	for (size_t i = 0; i < n && out->far < 0; i++) {
		const struct pmig_node *nd = pmig_topo_node(t, i);
		int d = pmig_topo_distance(t, (unsigned)out->near,
					   nd->os_index);

		if (nd->memory_bytes && (int)nd->os_index != out->near &&
		    d > best)
			best = d;
	}
	for (size_t i = 0; i < n && out->far < 0; i++) {
		const struct pmig_node *nd = pmig_topo_node(t, i);

		if (nd->memory_bytes && (int)nd->os_index != out->near &&
		    pmig_topo_distance(t, (unsigned)out->near, nd->os_index) ==
			    best)
			out->far = (int)nd->os_index;
	}
	if (out->far < 0)
		return -ENODEV;
	/* The watcher keeps off the writer's CPUs when another node has some. */
	out->watch = out->near;
	for (size_t i = 0; i < n; i++) {
		const struct pmig_node *nd = pmig_topo_node(t, i);

		if (nd->ncpus && (int)nd->os_index != out->near) {
			out->watch = (int)nd->os_index;
			break;
		}
	}
	return 0;
}

long pmig_tier_cases_build(const struct pmig_tier_opts *o,
			   struct pmig_tier_case **out)
{
	const struct pmig_tier_nodes *nodes = &o->nodes;
	struct pmig_tier_case *c;
	size_t n = 0, max = 2 * 8 * (size_t)o->nsizes;
	char size[32];

	c = calloc(max ? max : 1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	for (int s = 0; s < o->nsizes; s++)
		for (size_t i = 0; pmig_tier_strategies[i]; i++)
			for (int w = 0; w < PMIG_TIER_WL_COUNT; w++) {
				const struct pmig_tier_strategy *st =
					pmig_tier_strategies[i];
				struct pmig_tier_case *k = &c[n];
				bool promote = w == PMIG_TIER_PROMOTE;

				if (!(st->workloads & PMIG_TIER_WL(w)) ||
				    n == max)
					continue;
				k->strategy = st;
				k->wl = (enum pmig_tier_wl)w;
				k->bytes = o->sizes[s];
				k->near = nodes->near;
				k->far = nodes->far;
				k->tiered = nodes->tiered;
				k->near_cpus = o->near_cpus;
				k->watch_cpus = o->watch_cpus;
				k->limit_s = o->limit_s;
				k->tick_s = o->tick_s;
				pmig_size_format(k->bytes, size, sizeof(size));
				snprintf(k->name, sizeof(k->name),
					 "%s/%s/%s/%dto%d", st->name,
					 wl_names[w], size,
					 pmig_tier_start_node(k),
					 promote ? k->near : k->far);
				n++;
			}
	*out = c;
	return (long)n;
}

int pmig_tier_cases_register(struct pmig_tier_case *cases, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int ret = pmig_bench_register(cases[i].name, pmig_tier_case_run,
					      &cases[i], 1);

		if (ret < 0)
			return ret;
	}
	return 0;
}
