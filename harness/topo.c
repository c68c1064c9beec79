/* topo.c - NUMA topology from hwloc, reduced to what pmig needs and keyed by Linux node id. */
#include "topo.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <hwloc.h>

struct pmig_topo {
	hwloc_topology_t hw;
	size_t nnodes;
	struct pmig_node *nodes; /* increasing os_index */
	hwloc_obj_t *objs; /* objs[i] is the hwloc object behind nodes[i] */
	char **cpulists; /* owned storage behind nodes[i].cpulist */
	int *dist; /* nnodes x nnodes, row = from; NULL when hwloc has no matrix */
};

/* hwloc sets errno on most failures but not all; never turn a failure into 0. */
static int neg_errno(int fallback)
{
	return errno > 0 ? -errno : -fallback;
}

static int topo_load_hw(hwloc_topology_t hw, const char *xml_path)
{
	/*
	 * PCI and OS devices say nothing about memory placement, and an XML
	 * from a big server can list thousands.
	 */
	errno = 0;
	if (hwloc_topology_set_io_types_filter(hw,
					       HWLOC_TYPE_FILTER_KEEP_NONE) < 0)
		return neg_errno(EINVAL);
	if (xml_path) {
		int err = pmig_topo_xml_check(xml_path);

		if (err)
			return err;
		/* hwloc reads the file here, so this errno is the file's (ENOENT, EACCES). */
		errno = 0;
		if (hwloc_topology_set_xml(hw, xml_path) < 0)
			return neg_errno(EINVAL);
		errno = 0;
		if (hwloc_topology_load(hw) < 0)
			return errno == ENOMEM ? -ENOMEM : -EINVAL;
		return 0;
	}
	errno = 0;
	if (hwloc_topology_load(hw) < 0)
		return neg_errno(EINVAL);
	return 0;
}

static int obj_cmp_os(const void *a, const void *b)
{
	unsigned x = (*(const hwloc_obj_t *)a)->os_index;
	unsigned y = (*(const hwloc_obj_t *)b)->os_index;

	return x < y ? -1 : x > y;
}

static int topo_collect_nodes(struct pmig_topo *topo)
{
	int nbobjs = hwloc_get_nbobjs_by_type(topo->hw, HWLOC_OBJ_NUMANODE);
	size_t i, n;

	/* hwloc always has a node; none means an XML hwloc accepted but pmig cannot use. */
	if (nbobjs <= 0)
		return -EINVAL;
	n = (size_t)nbobjs;
	topo->nodes = calloc(n, sizeof(*topo->nodes));
	topo->objs = calloc(n, sizeof(*topo->objs));
	topo->cpulists = calloc(n, sizeof(*topo->cpulists));
	if (!topo->nodes || !topo->objs || !topo->cpulists)
		return -ENOMEM;
	topo->nnodes = n;
	for (i = 0; i < n; i++) {
		topo->objs[i] =
			hwloc_get_obj_by_type(topo->hw, HWLOC_OBJ_NUMANODE, i);
		if (!topo->objs[i] ||
		    topo->objs[i]->os_index == HWLOC_UNKNOWN_INDEX)
			return -EINVAL;
	}
	/* Logical order is hwloc's locality order; syscalls speak os indexes. */
	qsort(topo->objs, n, sizeof(*topo->objs), obj_cmp_os);
	for (i = 0; i < n; i++) {
		if (i && topo->objs[i]->os_index == topo->objs[i - 1]->os_index)
			return -EINVAL;
		topo->nodes[i].os_index = topo->objs[i]->os_index;
		topo->nodes[i].memory_bytes =
			topo->objs[i]->attr->numanode.local_memory;
	}
	return 0;
}

/*
 * hwloc 2.x subtypes mark memory that is not the default for its CPUs
 * (HBM, MCDRAM, NVM, GPUMemory, CXL-DRAM); 2.10+ may also say "DRAM".
 */
static bool node_is_plain_dram(const struct hwloc_obj *obj)
{
	return !obj->subtype || !strcmp(obj->subtype, "DRAM");
}

/*
 * Linux puts each CPU in exactly one node, but hwloc gives every node the
 * cpuset of its locality: a CPU-less node at Machine level covers all CPUs,
 * and an HBM or CXL node shares its package node's cpuset. The node with the
 * smallest locality containing a PU is the one Linux has it in; among equal
 * localities plain DRAM wins over special memory, then the lower os index
 * (Linux numbers a socket's DRAM node before its CPU-less ones).
 */
static int topo_assign_cpus(struct pmig_topo *topo)
{
	size_t n = topo->nnodes, i;
	hwloc_bitmap_t *sets;
	int *weight;
	hwloc_obj_t pu = NULL;
	int err = -ENOMEM;

	sets = calloc(n, sizeof(*sets));
	weight = calloc(n, sizeof(*weight));
	if (!sets || !weight)
		goto out;
	for (i = 0; i < n; i++) {
		sets[i] = hwloc_bitmap_alloc();
		if (!sets[i])
			goto out;
		weight[i] = hwloc_bitmap_weight(topo->objs[i]->cpuset);
	}
	while ((pu = hwloc_get_next_obj_by_type(topo->hw, HWLOC_OBJ_PU, pu))) {
		size_t best = n;

		if (pu->os_index == HWLOC_UNKNOWN_INDEX)
			continue;
		for (i = 0; i < n; i++) {
			const struct hwloc_obj *obj = topo->objs[i];

			/* An empty or infinite cpuset has weight <= 0 and locates nothing. */
			if (weight[i] <= 0 ||
			    !hwloc_bitmap_isset(obj->cpuset, pu->os_index))
				continue;
			if (best == n || weight[i] < weight[best] ||
			    (weight[i] == weight[best] &&
			     node_is_plain_dram(obj) &&
			     !node_is_plain_dram(topo->objs[best])))
				best = i;
		}
		if (best < n && hwloc_bitmap_set(sets[best], pu->os_index) < 0)
			goto out;
	}
	for (i = 0; i < n; i++) {
		if (hwloc_bitmap_list_asprintf(&topo->cpulists[i], sets[i]) <
		    0) {
			topo->cpulists[i] = NULL;
			goto out;
		}
		topo->nodes[i].cpulist = topo->cpulists[i];
		topo->nodes[i].ncpus = (unsigned)hwloc_bitmap_weight(sets[i]);
	}
	err = 0;
out:
	if (sets)
		for (i = 0; i < n; i++)
			hwloc_bitmap_free(sets[i]);
	free(sets);
	free(weight);
	return err;
}

static int node_cmp_os(const void *key, const void *elem)
{
	unsigned os = *(const unsigned *)key;
	unsigned x = ((const struct pmig_node *)elem)->os_index;

	return os < x ? -1 : os > x;
}

/* Position of node @os_index in topo->nodes, or topo->nnodes when absent. */
static size_t topo_index(const struct pmig_topo *topo, unsigned os_index)
{
	const struct pmig_node *node;

	node = bsearch(&os_index, topo->nodes, topo->nnodes,
		       sizeof(*topo->nodes), node_cmp_os);
	return node ? (size_t)(node - topo->nodes) : topo->nnodes;
}

static void topo_fill_distances(struct pmig_topo *topo,
				const struct hwloc_distances_s *d)
{
	size_t n = topo->nnodes;
	unsigned i, j;

	for (i = 0; i < n * n; i++)
		topo->dist[i] = -1;
	/* objs[] is in no particular order; a user-made matrix may also cover only some nodes. */
	for (i = 0; i < d->nbobjs; i++) {
		size_t from = topo_index(topo, d->objs[i]->os_index);

		if (from == n)
			continue;
		for (j = 0; j < d->nbobjs; j++) {
			size_t to = topo_index(topo, d->objs[j]->os_index);
			hwloc_uint64_t v = d->values[i * d->nbobjs + j];

			if (to != n)
				topo->dist[from * n + to] =
					v > INT_MAX ? INT_MAX : (int)v;
		}
	}
}

static int topo_collect_distances(struct pmig_topo *topo)
{
	struct hwloc_distances_s **mats = NULL;
	unsigned nr = 0, got, i, pick = 0;
	int err = 0;

	/* No matrix means unknown: inventing 10 on the diagonal would hide that. */
	errno = 0;
	if (hwloc_distances_get_by_type(topo->hw, HWLOC_OBJ_NUMANODE, &nr, NULL,
					HWLOC_DISTANCES_KIND_MEANS_LATENCY,
					0) < 0)
		return neg_errno(EINVAL);
	if (!nr)
		return 0;
	mats = calloc(nr, sizeof(*mats));
	if (!mats)
		return -ENOMEM;
	got = nr;
	errno = 0;
	if (hwloc_distances_get_by_type(
		    topo->hw, HWLOC_OBJ_NUMANODE, &got, mats,
		    HWLOC_DISTANCES_KIND_MEANS_LATENCY, 0) < 0) {
		err = neg_errno(EINVAL);
		goto out;
	}
	if (got > nr)
		got = nr;
	if (!got)
		goto out;
	/* The firmware's SLIT is "NUMALatency"; others are user-added. */
	for (i = 0; i < got; i++) {
		const char *name = hwloc_distances_get_name(topo->hw, mats[i]);

		if (name && !strcmp(name, "NUMALatency")) {
			pick = i;
			break;
		}
	}
	topo->dist = calloc(topo->nnodes * topo->nnodes, sizeof(*topo->dist));
	if (!topo->dist) {
		err = -ENOMEM;
		goto out;
	}
	topo_fill_distances(topo, mats[pick]);
out:
	for (i = 0; i < got && i < nr; i++)
		if (mats[i])
			hwloc_distances_release(topo->hw, mats[i]);
	free(mats);
	return err;
}

int pmig_topo_load(struct pmig_topo **out, const char *xml_path)
{
	struct pmig_topo *topo;
	int err;

	if (!out)
		return -EINVAL;
	*out = NULL;
	topo = calloc(1, sizeof(*topo));
	if (!topo)
		return -ENOMEM;
	errno = 0;
	if (hwloc_topology_init(&topo->hw) < 0) {
		topo->hw = NULL;
		err = neg_errno(ENOMEM);
		goto err_free;
	}
	err = topo_load_hw(topo->hw, xml_path);
	if (err)
		goto err_free;
	err = topo_collect_nodes(topo);
	if (err)
		goto err_free;
	err = topo_assign_cpus(topo);
	if (err)
		goto err_free;
	err = topo_collect_distances(topo);
	if (err)
		goto err_free;
	*out = topo;
	return 0;

err_free:
	pmig_topo_free(topo);
	return err;
}

void pmig_topo_free(struct pmig_topo *topo)
{
	size_t i;

	if (!topo)
		return;
	if (topo->cpulists)
		for (i = 0; i < topo->nnodes; i++)
			free(topo->cpulists[i]);
	free(topo->cpulists);
	free(topo->dist);
	free(topo->objs);
	free(topo->nodes);
	if (topo->hw)
		hwloc_topology_destroy(topo->hw);
	free(topo);
}

size_t pmig_topo_node_count(const struct pmig_topo *topo)
{
	return topo ? topo->nnodes : 0;
}

const struct pmig_node *pmig_topo_node(const struct pmig_topo *topo, size_t i)
{
	if (!topo || i >= topo->nnodes)
		return NULL;
	return &topo->nodes[i];
}

const struct pmig_node *pmig_topo_node_by_os(const struct pmig_topo *topo,
					     unsigned os_index)
{
	size_t i;

	if (!topo)
		return NULL;
	i = topo_index(topo, os_index);
	return i < topo->nnodes ? &topo->nodes[i] : NULL;
}

size_t pmig_topo_memory_nodes(const struct pmig_topo *topo, unsigned *os,
			      size_t max)
{
	size_t i, found = 0;

	if (!topo)
		return 0;
	for (i = 0; i < topo->nnodes; i++) {
		if (!topo->nodes[i].memory_bytes)
			continue;
		if (os && found < max)
			os[found] = topo->nodes[i].os_index;
		found++;
	}
	return found;
}

int pmig_topo_distance(const struct pmig_topo *topo, unsigned from_os,
		       unsigned to_os)
{
	size_t from, to;

	if (!topo || !topo->dist)
		return -1;
	from = topo_index(topo, from_os);
	to = topo_index(topo, to_os);
	if (from == topo->nnodes || to == topo->nnodes)
		return -1;
	return topo->dist[from * topo->nnodes + to];
}

int pmig_topo_export_xml(const struct pmig_topo *topo, FILE *out)
{
	char *buf = NULL;
	int len = 0, err = 0;
	size_t n;

	if (!topo || !out)
		return -EINVAL;
	errno = 0;
	if (hwloc_topology_export_xmlbuffer(topo->hw, &buf, &len, 0) < 0)
		return neg_errno(EINVAL);
	/* The length counts the terminating NUL, which is not part of the XML. */
	n = len > 0 ? (size_t)len - 1 : 0;
	if (fwrite(buf, 1, n, out) != n)
		err = neg_errno(EIO);
	hwloc_free_xmlbuffer(topo->hw, buf);
	return err;
}

static int digits(unsigned long v)
{
	int d = 1;

	while (v >= 10) {
		v /= 10;
		d++;
	}
	return d;
}

static void topo_print_distances(const struct pmig_topo *topo, FILE *out)
{
	size_t n = topo->nnodes, i, j;
	int lw, cw;

	if (!topo->dist) {
		fputs("distances: unknown\n", out);
		return;
	}
	/* nodes[] is sorted, so the last os index is the widest. */
	lw = digits(topo->nodes[n - 1].os_index);
	cw = lw;
	for (i = 0; i < n * n; i++)
		if (topo->dist[i] >= 0 && digits(topo->dist[i]) > cw)
			cw = digits(topo->dist[i]);
	fputs("distances:\n", out);
	fprintf(out, "  %*s ", lw, "");
	for (j = 0; j < n; j++)
		fprintf(out, "  %*u", cw, topo->nodes[j].os_index);
	fputc('\n', out);
	for (i = 0; i < n; i++) {
		fprintf(out, "  %*u:", lw, topo->nodes[i].os_index);
		for (j = 0; j < n; j++) {
			int v = topo->dist[i * n + j];

			if (v < 0)
				fprintf(out, "  %*s", cw, "-");
			else
				fprintf(out, "  %*d", cw, v);
		}
		fputc('\n', out);
	}
}

int pmig_topo_print(const struct pmig_topo *topo, FILE *out)
{
	size_t i, nmem, ncpuless = 0;

	if (!topo || !out)
		return -EINVAL;
	nmem = pmig_topo_memory_nodes(topo, NULL, 0);
	for (i = 0; i < topo->nnodes; i++)
		if (!topo->nodes[i].ncpus)
			ncpuless++;
	fprintf(out, "nodes: %zu (memory: %zu, cpu-less: %zu)\n", topo->nnodes,
		nmem, ncpuless);
	for (i = 0; i < topo->nnodes; i++) {
		const struct pmig_node *node = &topo->nodes[i];

		fprintf(out, "node %u: ", node->os_index);
		if (node->ncpus)
			fprintf(out, "cpus %s", node->cpulist);
		else
			fputs("cpu-less", out);
		if (node->memory_bytes)
			fprintf(out, ", memory %" PRIu64 " MiB\n",
				node->memory_bytes >> 20);
		else
			fputs(", memoryless\n", out);
	}
	topo_print_distances(topo, out);
	return ferror(out) ? -EIO : 0;
}

int pmig_topo_print_facts(const struct pmig_topo *topo, FILE *out)
{
	size_t n = pmig_topo_node_count(topo);

	for (size_t i = 0; i < n; i++) {
		const struct pmig_node *a = pmig_topo_node(topo, i);

		fprintf(out, "node %u cpus %s\n", a->os_index,
			a->ncpus ? a->cpulist : "none");
		fprintf(out, "node %u memory %s\n", a->os_index,
			a->memory_bytes ? "yes" : "no");
		for (size_t j = 0; j < n; j++) {
			const struct pmig_node *b = pmig_topo_node(topo, j);
			int d = pmig_topo_distance(topo, a->os_index,
						   b->os_index);

			if (i != j && d >= 0)
				fprintf(out, "distance %u %u %d\n", a->os_index,
					b->os_index, d);
		}
	}
	return ferror(out) ? -EIO : 0;
}
