/* fuzz_topo.c - libFuzzer target: hwloc XML as `pmig topo --input FILE` reads it, through pmig_topo_load(), then everything pmig topo prints. */
#include "topo.h"
#include "fuzz/fuzz_file.h"

#include <limits.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
const char *__asan_default_options(void);
const char *__lsan_default_suppressions(void);

/*
 * libhwloc 2.9's XML import leaks the objects it set up when it rejects a
 * malformed file, after pmig has destroyed the topology as hwloc asks; only
 * what hwloc_topology_load() allocated is excused, so pmig's own leaks of hwloc
 * objects still fail. libhwloc has no frame pointers: the slow unwinder is
 * needed to see that frame at all.
 */
const char *__asan_default_options(void)
{
	return "fast_unwind_on_malloc=0";
}

const char *__lsan_default_suppressions(void)
{
	return "leak:hwloc_topology_load\n";
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char path[PATH_MAX];
	static FILE *null;
	struct pmig_topo *topo;
	unsigned os[64];
	size_t i, j, n;

	if (!null) {
		snprintf(path, sizeof(path), "%s/topo.xml", fuzz_dir());
		null = fopen("/dev/null", "w");
		if (!null)
			abort();
	}
	fuzz_write(path, data, size);
	if (pmig_topo_load(&topo, path))
		return 0;
	n = pmig_topo_node_count(topo);
	for (i = 0; i < n; i++) {
		const struct pmig_node *a = pmig_topo_node(topo, i);

		pmig_topo_node_by_os(topo, a->os_index);
		for (j = 0; j < n; j++)
			pmig_topo_distance(topo, a->os_index,
					   pmig_topo_node(topo, j)->os_index);
	}
	pmig_topo_memory_nodes(topo, os, sizeof(os) / sizeof(os[0]));
	pmig_topo_print(topo, null);
	pmig_topo_print_facts(topo, null);
	pmig_topo_export_xml(topo, null);
	pmig_topo_free(topo);
	return 0;
}
