/* topo.h - NUMA topology as pmig sees it: hwloc's view, keyed by Linux node id. */
#ifndef PMIG_TOPO_H
#define PMIG_TOPO_H

#include <stdint.h>
#include <stdio.h>
#include <stddef.h>

/**
 * One NUMA node. Node ids are Linux's (hwloc os_index), never hwloc logical indexes.
 *
 * hwloc gives every node the cpuset of its locality, so a CPU-less node
 * (CXL, HBM, NVM) shares or contains the cpuset of a node that has CPUs. A PU
 * belongs to the node with the smallest cpuset containing it; among equal
 * cpusets, a node without a subtype (or subtype "DRAM") wins over HBM, NVM
 * and the like, then the lower os index.
 */
struct pmig_node {
	unsigned os_index;
	uint64_t memory_bytes; /* local memory; 0 for a memoryless node */
	unsigned
		ncpus; /* PUs whose closest node this is; 0 for a CPU-less node */
	const char *
		cpulist; /* Linux list format of those PUs' os indexes ("0-3,8"); "" when CPU-less */
};

struct pmig_topo;

/**
 * Loads the topology of this machine (@xml_path NULL) or of an hwloc XML
 * export (@xml_path). Honours hwloc's own HWLOC_XMLFILE/HWLOC_SYNTHETIC
 * environment when @xml_path is NULL. I/O objects are never loaded.
 * Returns 0 or -errno: -ENOENT for a missing file, the open error (-EACCES)
 * for one that cannot be opened, -EINVAL for a malformed one or a directory.
 */
int pmig_topo_load(struct pmig_topo **out, const char *xml_path);
void pmig_topo_free(struct pmig_topo *topo);

/** Number of NUMA nodes. */
size_t pmig_topo_node_count(const struct pmig_topo *topo);
/** The @i-th node in increasing os_index order; NULL past the end. */
const struct pmig_node *pmig_topo_node(const struct pmig_topo *topo, size_t i);
/** The node with Linux id @os_index or NULL. */
const struct pmig_node *pmig_topo_node_by_os(const struct pmig_topo *topo,
					     unsigned os_index);
/** Os indexes of nodes with memory, increasing, into @os (up to @max); returns how many exist. */
size_t pmig_topo_memory_nodes(const struct pmig_topo *topo, unsigned *os,
			      size_t max);
/**
 * SLIT-style distance from @from_os to @to_os (10 = local), from hwloc's
 * latency matrix ("NUMALatency" preferred), or -1 when unknown: no matrix,
 * a node missing from it, or an unknown node id. Never invented.
 */
int pmig_topo_distance(const struct pmig_topo *topo, unsigned from_os,
		       unsigned to_os);

/** hwloc XML export of the loaded topology. Returns 0 or -errno. */
int pmig_topo_export_xml(const struct pmig_topo *topo, FILE *out);
/**
 * The human-readable summary `pmig topo` prints; golden tests depend on it:
 *
 *   nodes: 3 (memory: 2, cpu-less: 1)
 *   node 0: cpus 0-1, memory 4314 MiB
 *   node 2: cpu-less, memory 16384 MiB
 *   node 3: cpus 4-5, memoryless
 *   distances:
 *          0   2   3
 *     0:  10  30  21
 *     2:  30  10  30
 *     3:  21  30  10
 *
 * Memory is in MiB rounded down. Matrix columns are right-aligned to the
 * widest os index or value, "-" marks a pair missing from the matrix, and
 * "distances: unknown" replaces the matrix when hwloc has none.
 * Returns 0 or -errno (-EIO when @out has its error flag set).
 */
int pmig_topo_print(const struct pmig_topo *topo, FILE *out);

/**
 * The topology as facts a topology file can predict, one per line, for an
 * exact comparison (sort both sides): "node N cpus LIST" (or "none"),
 * "node N memory yes|no", and "distance A B V" for every ordered pair of
 * distinct nodes when distances are known. Memory sizes are left out: a
 * guest sees less than its backend holds. Returns 0 or -errno.
 */
int pmig_topo_print_facts(const struct pmig_topo *topo, FILE *out);

/**
 * 0 when libhwloc reads the XML at @path without crashing (whether it
 * accepts it is for pmig_topo_load() to say), -EINVAL when the trial read,
 * made in a child process, died of a signal, -errno when @path cannot be
 * read.
 */
int pmig_topo_xml_check(const char *path);

#endif
