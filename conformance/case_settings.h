/* case_settings.h - named sets of system settings that spec rows give their cases (THP, hugetlb pools, KSM, NUMA balancing, demotion, compaction, multi-size THP). */
#ifndef PMIG_CASE_SETTINGS_H
#define PMIG_CASE_SETTINGS_H

#include "settings.h"

/*
 * Designated initializers of struct pmig_case for the settings listed: a
 * compound literal, so that a set is named once here and needs no array in
 * any case file.
 */
#define PMIG_SETTINGS(...)                                                  \
	.settings = (const struct pmig_setting[]){ __VA_ARGS__ },           \
	.nsettings = sizeof((const struct pmig_setting[]){ __VA_ARGS__ }) / \
		     sizeof(struct pmig_setting)

/* THP on request (MADV_HUGEPAGE), whatever the machine's default. */
#define PMIG_SETTINGS_THP                                              \
	PMIG_SETTINGS({ "/sys/kernel/mm/transparent_hugepage/enabled", \
			"madvise", PMIG_SR_REQUIRED },                 \
		      { "/sys/kernel/mm/transparent_hugepage/defrag",  \
			"madvise", PMIG_SR_REQUIRED })

/* A read fault in a MADV_HUGEPAGE region maps the huge zero page. */
#define PMIG_SETTINGS_HUGE_ZERO                                              \
	PMIG_SETTINGS({ "/sys/kernel/mm/transparent_hugepage/enabled",       \
			"madvise", PMIG_SR_REQUIRED },                       \
		      { "/sys/kernel/mm/transparent_hugepage/use_zero_page", \
			"1", PMIG_SR_REQUIRED })

/*
 * The hugetlb pool of @node ("{home}", "{other}") of the size the cases
 * use (pmig_page_sizes()->hugetlb; the runner puts it in for {hugetlb_kB}):
 * 2 MiB on x86-64, 32 MiB on arm64 with 16K pages.
 */
#define PMIG_HUGETLB_POOL(node)              \
	"/sys/devices/system/node/node" node \
	"/hugepages/hugepages-{hugetlb_kB}kB/nr_hugepages"

/* Two hugetlb pages on home: one to use, one spare. */
#define PMIG_SETTINGS_HUGETLB_HOME \
	PMIG_SETTINGS({ PMIG_HUGETLB_POOL("{home}"), "2", PMIG_SR_REQUIRED })

/* Two on home and two on other, so a page can move there. */
#define PMIG_SETTINGS_HUGETLB                                                 \
	PMIG_SETTINGS({ PMIG_HUGETLB_POOL("{home}"), "2", PMIG_SR_REQUIRED }, \
		      { PMIG_HUGETLB_POOL("{other}"), "2", PMIG_SR_REQUIRED })

/* ksmd running, scanning fast enough to merge within a case's wait. */
#define PMIG_SETTINGS_KSM                                                  \
	PMIG_SETTINGS({ "/sys/kernel/mm/ksm/run", "1", PMIG_SR_REQUIRED }, \
		      { "/sys/kernel/mm/ksm/pages_to_scan", "1000",        \
			PMIG_SR_REQUIRED },                                \
		      { "/sys/kernel/mm/ksm/sleep_millisecs", "20",        \
			PMIG_SR_REQUIRED })

/*
 * The other node's free memory taken by its pool of the smallest hugetlb
 * pages (the kernel stops where memory runs out; the runner gives the pool
 * back): what stays free is less than one such page per free fragment.
 */
#define PMIG_SETTINGS_FILL_OTHER                                          \
	PMIG_SETTINGS(                                                    \
		{ "/sys/devices/system/node/node{other}"                  \
		  "/hugepages/hugepages-{hugetlb_min_kB}kB/nr_hugepages", \
		  "1000000", PMIG_SR_REQUIRED })

/*
 * One 1 GiB hugetlb page on home and one on other (the 1 GiB rows, whose
 * size is the point, so not {hugetlb_kB}). Optional: a machine without the
 * size, or whose nodes cannot hold one, is the case's to skip, with the
 * reason (the write succeeds with no page where memory is short).
 */
#define PMIG_HUGETLB_1G_POOL(node)           \
	"/sys/devices/system/node/node" node \
	"/hugepages/hugepages-1048576kB/nr_hugepages"
#define PMIG_SETTINGS_HUGETLB_1G                                           \
	PMIG_SETTINGS(                                                     \
		{ PMIG_HUGETLB_1G_POOL("{home}"), "1", PMIG_SR_OPTIONAL }, \
		{ PMIG_HUGETLB_1G_POOL("{other}"), "1", PMIG_SR_OPTIONAL })

/*
 * NUMA balancing in memory tiering mode alone (NUMA_BALANCING_MEMORY_TIERING,
 * 2: promotion from lower tiers, no placement between top-tier nodes).
 * Where debugfs is mounted, the first scan and the scan period come after
 * 100 ms instead of 1000 (optional: the guest mounts no debugfs, and the
 * cases wait for the defaults there).
 */
#define PMIG_NUMA_BALANCING_DEBUGFS "/sys/kernel/debug/sched/numa_balancing/"
#define PMIG_SETTINGS_NUMA_TIERING                                            \
	PMIG_SETTINGS(                                                        \
		{ "/proc/sys/kernel/numa_balancing", "2", PMIG_SR_REQUIRED }, \
		{ PMIG_NUMA_BALANCING_DEBUGFS "scan_delay_ms", "100",         \
		  PMIG_SR_OPTIONAL },                                         \
		{ PMIG_NUMA_BALANCING_DEBUGFS "scan_period_min_ms", "100",    \
		  PMIG_SR_OPTIONAL })

/* Reclaim migrates pages to a lower memory tier instead of swapping them ("1"), or not ("0"). */
#define PMIG_SETTINGS_DEMOTION(on)                                  \
	PMIG_SETTINGS({ "/sys/kernel/mm/numa/demotion_enabled", on, \
			PMIG_SR_REQUIRED })

/* Whether compaction may migrate unevictable (mlocked) pages: "0" or "1". */
#define PMIG_SETTINGS_COMPACT_UNEVICTABLE(v)                           \
	PMIG_SETTINGS({ "/proc/sys/vm/compact_unevictable_allowed", v, \
			PMIG_SR_REQUIRED })

/* How hard kcompactd compacts in the background (0: not at all, 5.9+). */
#define PMIG_SETTINGS_COMPACT_PROACTIVENESS(v)                      \
	PMIG_SETTINGS({ "/proc/sys/vm/compaction_proactiveness", v, \
			PMIG_SR_REQUIRED })

/*
 * Multi-size THP: THP on request (optional: a kernel without THP is the
 * case's to skip, with that reason), and every size's own switch "never"
 * (each only where the kernel has the size: 16 kB to 512 MB covers 4K,
 * 16K and 64K base pages), so that the case may turn one size on at a time
 * and the runner's journal puts every one back.
 */
#define PMIG_MTHP_SIZE(kb)                                          \
	{                                                           \
		"/sys/kernel/mm/transparent_hugepage/hugepages-" kb \
		"kB/enabled",                                       \
			"never", PMIG_SR_OPTIONAL                   \
	}
#define PMIG_MTHP_SETTING_LIST                                             \
	{ "/sys/kernel/mm/transparent_hugepage/enabled", "madvise",        \
	  PMIG_SR_OPTIONAL },                                              \
		{ "/sys/kernel/mm/transparent_hugepage/defrag", "madvise", \
		  PMIG_SR_OPTIONAL },                                      \
		PMIG_MTHP_SIZE("16"), PMIG_MTHP_SIZE("32"),                \
		PMIG_MTHP_SIZE("64"), PMIG_MTHP_SIZE("128"),               \
		PMIG_MTHP_SIZE("256"), PMIG_MTHP_SIZE("512"),              \
		PMIG_MTHP_SIZE("1024"), PMIG_MTHP_SIZE("2048"),            \
		PMIG_MTHP_SIZE("4096"), PMIG_MTHP_SIZE("8192"),            \
		PMIG_MTHP_SIZE("16384"), PMIG_MTHP_SIZE("32768"),          \
		PMIG_MTHP_SIZE("65536"), PMIG_MTHP_SIZE("131072"),         \
		PMIG_MTHP_SIZE("262144"), PMIG_MTHP_SIZE("524288")
#define PMIG_SETTINGS_MTHP PMIG_SETTINGS(PMIG_MTHP_SETTING_LIST)
/*
 * The same, and no compaction to undo a node kept without free blocks of
 * an order: it may not move mlocked pages, it is not tried for an order
 * above PAGE_ALLOC_COSTLY_ORDER (3) whose fragmentation index is at most
 * extfrag_threshold (mm/compaction.c compaction_suitable()), and not
 * proactively (5.9 on: optional). No watermark boost either: a
 * fragmenting fallback raises the zone's watermarks by
 * watermark_boost_factor (seen on arm64-16k: boost 32 MiB over a 2 MiB
 * min), past the floor the filler keeps above the min it read, and the
 * OOM killer took the case.
 */
#define PMIG_SETTINGS_MTHP_NO_ROOM                                       \
	PMIG_SETTINGS(PMIG_MTHP_SETTING_LIST,                            \
		      { "/proc/sys/vm/compact_unevictable_allowed", "0", \
			PMIG_SR_REQUIRED },                              \
		      { "/proc/sys/vm/extfrag_threshold", "1000",        \
			PMIG_SR_REQUIRED },                              \
		      { "/proc/sys/vm/compaction_proactiveness", "0",    \
			PMIG_SR_OPTIONAL },                              \
		      { "/proc/sys/vm/watermark_boost_factor", "0",      \
			PMIG_SR_OPTIONAL })

/* The same, and reclaim demotes to a lower tier (optional: the case says where the kernel cannot). */
#define PMIG_SETTINGS_MTHP_DEMOTION                                  \
	PMIG_SETTINGS(PMIG_MTHP_SETTING_LIST,                        \
		      { "/sys/kernel/mm/numa/demotion_enabled", "1", \
			PMIG_SR_OPTIONAL })

/* The same, and NUMA balancing in memory tiering mode (2), as PMIG_SETTINGS_NUMA_TIERING. */
#define PMIG_SETTINGS_MTHP_NUMA_TIERING                                       \
	PMIG_SETTINGS(                                                        \
		PMIG_MTHP_SETTING_LIST,                                       \
		{ "/proc/sys/kernel/numa_balancing", "2", PMIG_SR_REQUIRED }, \
		{ PMIG_NUMA_BALANCING_DEBUGFS "scan_delay_ms", "100",         \
		  PMIG_SR_OPTIONAL },                                         \
		{ PMIG_NUMA_BALANCING_DEBUGFS "scan_period_min_ms", "100",    \
		  PMIG_SR_OPTIONAL })

#endif
