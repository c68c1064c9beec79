/* model_rows.c - the spec rows each model implements, and for every other row why the models leave it to the cases. */
#include <string.h>

#include "model_rows.h"

#define ROWS(...) ((const char *const[]){ __VA_ARGS__, NULL })

/* Every row here has its rule (grep the id in this folder) and a model test. */
const struct pmig_model_rows pmig_model_implemented[] = {
	{ "move_pages(2): `conformance/model/model.c`, "
	  "pmig_model_move_pages()",
	  ROWS("move_pages.return.einval_bad_flags",
	       "move_pages.return.eperm_move_all_without_cap_sys_nice",
	       "move_pages.return.move_all_with_cap_sys_nice",
	       "move_pages.return.esrch_no_such_pid",
	       "move_pages.return.eperm_other_user",
	       "move_pages.return.eperm_same_uid_not_dumpable",
	       "move_pages.return.same_uid_dumpable_allowed",
	       "move_pages.return.einval_kernel_thread",
	       "move_pages.return.einval_zombie",
	       "move_pages.return.enodev_negative_node",
	       "move_pages.return.enodev_node_beyond_max",
	       "move_pages.return.enodev_offline_node",
	       "move_pages.return.zero_count",
	       "move_pages.return.e2big_not_generated",
	       "move_pages.return.efault_pages_array",
	       "move_pages.return.efault_nodes_array",
	       "move_pages.return.efault_status_array",
	       "move_pages.return.zero_when_nothing_to_move",
	       "move_pages.status.node_present",
	       "move_pages.status.enoent_not_present",
	       "move_pages.status.efault_zero_page",
	       "move_pages.status.efault_no_vma",
	       "move_pages.status.node_already_on_target",
	       "move_pages.status.enoent_not_present_move",
	       "move_pages.status.efault_zero_page_move",
	       "move_pages.status.efault_no_vma_move",
	       "move_pages.status.node_moved",
	       "move_pages.status.eacces_shared_without_move_all",
	       "move_pages.status.shared_moved_with_move_all",
	       "move_pages.status.ebusy_duplicate_address",
	       "move_pages.invariant.status_matches_query",
	       "move_pages.invariant.return_counts_unmigrated",
	       "move_pages.invariant.moved_pages_on_target",
	       "move_pages.kind.thp_status_subpages",
	       "move_pages.kind.thp_moved_whole",
	       "move_pages.kind.thp_tail_address_moved",
	       "move_pages.kind.thp_subpages_ebusy_second",
	       "mthp.move_pages.every_subpage_status_ebusy_second",
	       "mthp.move_pages.tail_address_moves_whole_folio",
	       "move_pages.kind.hugetlb_status_subpages",
	       "move_pages.kind.hugetlb_moved",
	       "move_pages.kind.hugetlb_tail_address_moved",
	       "move_pages.kind.hugetlb_subpages_ebusy_second",
	       "move_pages.kind.huge_zero_page_status",
	       "move_pages.kind.huge_zero_page_move",
	       "move_pages.kind.memfd_status", "move_pages.kind.memfd_moved",
	       "move_pages.kind.memfd_shared_eacces_without_move_all",
	       "move_pages.kind.memfd_shared_moved_with_move_all",
	       "move_pages.kind.anon_cow_status",
	       "move_pages.kind.anon_cow_eacces_without_move_all",
	       "move_pages.kind.anon_cow_moved_with_move_all",
	       "move_pages.kind.file_clean_status",
	       "move_pages.kind.file_clean_moved",
	       "move_pages.kind.file_dirty_status",
	       "move_pages.kind.file_dirty_moved", "move_pages.kind.ksm_status",
	       "move_pages.kind.ksm_eacces_without_move_all",
	       "move_pages.kind.ksm_moved_with_move_all",
	       "move_pages.kind.swapped_status_enoent",
	       "move_pages.kind.swapped_move_enoent",
	       "move_pages.kind.mlocked_status",
	       "move_pages.kind.mlocked_moved",
	       "move_pages.kind.anon_unaligned_status",
	       "move_pages.kind.anon_unaligned_moved",
	       "move_pages.kind.anon_unaligned_same_page_ebusy",
	       "move_pages.status.partial_before_fatal_error",
	       "move_pages.invariant.untouched_after_fatal_error",
	       "move_pages.return.positive_count_pinned",
	       "move_pages.return.positive_count_pinned_thp",
	       "move_pages.return.positive_count_not_attempted",
	       "move_pages.return.positive_count_not_attempted_thp",
	       "move_pages.status.moved_again_later_in_call",
	       "move_pages.status.node_moved_to_cpuless",
	       "move_pages.status.thp_moved_to_cpuless",
	       "move_pages.return.enodev_memoryless_node",
	       "move_pages.return.eperm_other_user_with_cap_sys_nice",
	       "move_pages.return.other_user_with_cap_sys_ptrace",
	       "move_pages.return.eperm_other_user_move_with_cap_sys_nice",
	       "move_pages.return.other_user_move_with_cap_sys_ptrace",
	       "move_pages.return.enomem_target_node_full",
	       "move_pages.return.eacces_node_outside_own_cpuset",
	       "move_pages.return.eacces_later_entry_outside_own_cpuset",
	       "move_pages.return.eacces_node_outside_target_cpuset",
	       "move_pages.return.enomem_node_outside_caller_cpuset") },
	{ "migrate_pages(2): `conformance/model/model_migrate.c`, "
	  "pmig_model_migrate_pages()",
	  ROWS("migrate_pages.return.esrch_no_such_pid",
	       "migrate_pages.return.einval_empty_new",
	       "migrate_pages.return.einval_new_offline_only",
	       "migrate_pages.return.eperm_new_outside_cpuset",
	       "migrate_pages.return.eperm_other_user",
	       "migrate_pages.return.same_uid_dumpable_allowed",
	       "migrate_pages.return.eperm_same_uid_not_dumpable",
	       "migrate_pages.return.einval_kernel_thread",
	       "migrate_pages.return.einval_zombie",
	       "migrate_pages.return.zero_nothing_to_move",
	       "migrate_pages.return.moves_all_pages",
	       "migrate_pages.return.shared_skipped_without_cap_sys_nice",
	       "migrate_pages.return.positive_count_pinned",
	       "migrate_pages.return.positive_count_pinned_thp",
	       "migrate_pages.return.positive_count_two_source_nodes",
	       "migrate_pages.return.moves_to_cpuless",
	       "migrate_pages.return.memfd_moves_to_cpuless",
	       "migrate_pages.return.remaps_two_source_nodes",
	       "migrate_pages.return.einval_memoryless_only",
	       "migrate_pages.return.eperm_other_user_with_cap_sys_nice",
	       "migrate_pages.return.other_user_with_cap_sys_ptrace",
	       "migrate_pages.return.eperm_node_outside_target_cpuset",
	       "migrate_pages.status.cap_sys_nice_crosses_target_cpuset",
	       "migrate_pages.return.einval_nodes_outside_own_cpuset",
	       "mthp.migrate_pages.whole_folios_move") },
	{ "mbind(2) with MPOL_MF_MOVE, MOVE_ALL and STRICT: "
	  "`conformance/model/model_mbind.c`, pmig_model_mbind()",
	  ROWS("mbind.return.einval_bad_flags",
	       "mbind.return.eperm_move_all_without_cap_sys_nice",
	       "mbind.return.move_all_with_cap_sys_nice",
	       "mbind.return.efault_hole_in_range",
	       "mbind.return.efault_default_range_unmapped",
	       "mbind.return.default_hole_inside_allowed",
	       "mbind.return.zero_len", "mbind.return.eio_strict_misplaced",
	       "mbind.return.default_ignores_strict",
	       "mbind.return.eio_strict_move_unmovable",
	       "mbind.return.move_unmovable_best_effort",
	       "mbind.return.strict_move_shared_not_counted",
	       "mbind.placement.bind_move_to_target",
	       "mthp.mbind.move_whole_folios",
	       "mbind.placement.shared_skipped_without_move_all",
	       "mbind.placement.shared_moved_with_move_all",
	       "mbind.placement.preferred_move",
	       "mbind.placement.cpuless_target",
	       "mbind.placement.memfd_cpuless_target",
	       "mbind.placement.strict_move_walks_all_vmas",
	       "mbind.return.einval_nodes_outside_cpuset") },
};
const size_t pmig_model_implemented_count =
	sizeof(pmig_model_implemented) / sizeof(pmig_model_implemented[0]);

/* Rows no model predicts; their cases alone check them. */
const struct pmig_model_rows pmig_model_left_out[] = {
	{ "The model takes node sets as bit masks of nodes 0-63, not "
	  "as bitmaps in user memory with a maxnode: how get_nodes() "
	  "reads, bounds and faults on them is for the cases alone.",
	  ROWS("migrate_pages.return.einval_maxnode_too_large",
	       "migrate_pages.return.einval_node_beyond_max",
	       "migrate_pages.return.efault_old_nodes",
	       "migrate_pages.return.efault_new_nodes",
	       "migrate_pages.return.einval_maxnode_node_plus_one",
	       "migrate_pages.return.maxnode_node_plus_two_reads_node",
	       "migrate_pages.return.einval_maxnode_zero") },
	{ "The mbind model's range is whole scenario pages: it has no "
	  "byte addresses, so no start inside a page.",
	  ROWS("mbind.return.einval_unaligned_start") },
	{ "The mbind model knows MPOL_DEFAULT, MPOL_PREFERRED and "
	  "one-node MPOL_BIND: where MPOL_INTERLEAVE puts a page "
	  "depends on its offset in the VMA and the kernel's "
	  "interleave sequence, which a scenario does not hold.",
	  ROWS("mbind.placement.interleave_spreads",
	       "mbind.placement.interleave_keeps_mask_pages") },
	{ "Migration a cpuset triggers (a write to cpuset.mems or "
	  "cgroup.procs) is no call the model predicts: the models "
	  "take one move_pages(2), migrate_pages(2) or mbind(2) call.",
	  ROWS("cpuset.status.mems_change_moves_pages",
	       "cpuset.status.attach_moves_pages",
	       "cpuset.status.shrink_keeps_pages_in_place") },
	{ "set_mempolicy(2) moves no page; the models predict the "
	  "calls that migrate.",
	  ROWS("set_mempolicy.return.einval_nodes_outside_cpuset") },
	{ "The model says where each page is, not what it holds: the "
	  "cases compare the data.",
	  ROWS("move_pages.invariant.data_intact") },
	{ "Compat ABI: the model has no notion of the caller's word "
	  "size; how a 64-bit kernel reads a 32-bit process's pointer "
	  "array and node masks of 32-bit words is for the cases alone.",
	  ROWS("move_pages.status.compat_caller_moved",
	       "move_pages.status.compat_caller_efault_no_vma",
	       "migrate_pages.return.compat_caller_moves_all",
	       "migrate_pages.return.compat_caller_mask_word_at_page_end") },
	{ "The model's page geometry is the base page, the THP and the "
	  "hugetlb size pmig uses; a 1 GiB page beside them, and the "
	  "per-size pools that decide whether it can move, are for the "
	  "case alone.",
	  ROWS("move_pages.kind.gigantic_1g_moved") },
	{ "Memory tiering moves pages by itself (NUMA balancing's "
	  "hint faults, reclaim's demotion) or is sysfs to read: no "
	  "call the models take.",
	  ROWS("memory_tiering.status.hmat_slow_node_in_lower_tier",
	       "numa_balancing.status.tiering_promotes_lower_tier_pages",
	       "numa_balancing.status.tiering_leaves_top_tier_pages",
	       "numa_balancing.invariant.tiering_pgpromote_counts_promotions",
	       "memory_reclaim.status.demotion_off_none_on_lower_tier",
	       "memory_reclaim.status.demotion_on_moves_to_lower_tier",
	       "memory_reclaim.invariant.tiering_pgdemote_counts_demotions",
	       "damos.status.tiering_migrate_to_memoryless_node_moves_nothing",
	       "damos.status.tiering_migrate_to_offline_node_moves_nothing",
	       "damos.status.tiering_migrate_hot_to_memoryless_node_moves_nothing") },
	{ "Compaction moves pages by itself, within their node, as the "
	  "zone's free and migrate scanners meet: which frames move "
	  "depends on the whole node's layout, no call the models take.",
	  ROWS("compaction.data.compact_memory_keeps_data_and_node",
	       "compaction.skip.mlocked_pages_stay_unless_compact_unevictable_allowed",
	       "compaction.data.proactive_compaction_keeps_data_and_node") },
	{ "Soft offline is no call the models take: it moves one page "
	  "to a frame the allocator picks and poisons the old one, and "
	  "its refusals come from capability, frame and sysctl checks "
	  "outside move_pages, migrate_pages and mbind.",
	  ROWS("soft_offline.data.anon_page_moves_and_old_frame_is_poisoned",
	       "soft_offline.data.shmem_page_moves_and_old_frame_is_poisoned",
	       "soft_offline.data.file_page_moves_and_old_frame_is_poisoned",
	       "soft_offline.data.sysfs_anon_page_moves_and_old_frame_is_poisoned",
	       "soft_offline.invariant.poisoned_frame_is_not_handed_out_again",
	       "soft_offline.status.thp_is_split_and_one_base_page_moves",
	       "soft_offline.data.hugetlb_page_moves_and_is_dissolved",
	       "soft_offline.return.already_poisoned_frame_succeeds",
	       "soft_offline.return.unpoison_pfn_gives_the_frame_back",
	       "soft_offline.return.unpoison_of_an_unpoisoned_frame_ebusy",
	       "soft_offline.return.unmapped_address_efault",
	       "soft_offline.return.never_touched_page_is_the_zero_page_unrecoverable",
	       "soft_offline.return.madvise_without_cap_sys_admin_eperm",
	       "soft_offline.return.sysfs_without_cap_sys_admin_eperm",
	       "soft_offline.return.sysfs_address_without_memory_enxio",
	       "soft_offline.return.sysfs_not_a_number_einval",
	       "soft_offline.return.referenced_page_ebusy",
	       "soft_offline.return.disabled_by_enable_soft_offline_eopnotsupp") },
	{ "Memory offline moves pages by itself, out of a memory block a "
	  "write to sysfs takes away: which pages and where depend on the "
	  "machine's blocks and zones, no call the models take.",
	  ROWS("offline.status.movable_block_pages_go_to_other_node",
	       "offline.status.thp_in_movable_block_go_to_other_node",
	       "offline.status.hugetlb_in_movable_block_migrated_free_dissolved",
	       "offline.return.pinned_page_keeps_block_online_until_signal",
	       "offline.return.reserved_page_refuses_offline_ebusy",
	       "offline.return.movable_reserved_page_refuses_offline_ebusy") },
	{ "A long-term pin is the case's io_uring buffer, a page state "
	  "the scenarios do not build; to the calls it is an unexpected "
	  "reference, which the models implement for the vmsplice rows "
	  "(move_pages.return.positive_count_pinned and its migrate_pages "
	  "twin). The ZONE_MOVABLE rows are the pin's own migration and "
	  "allocation, no call the models take.",
	  ROWS("pins.status.move_pages_leaves_longterm_pinned_page",
	       "pins.return.move_pages_counts_longterm_pinned_page",
	       "pins.status.move_pages_leaves_longterm_pinned_thp",
	       "pins.return.migrate_pages_counts_longterm_pinned_page",
	       "pins.return.mbind_strict_move_longterm_pinned_eio",
	       "pins.return.mbind_move_longterm_pinned_best_effort",
	       "pins.status.unregistered_buffer_page_moves",
	       "pins.status.longterm_pin_migrates_out_of_zone_movable",
	       "pins.status.longterm_pin_faults_pages_in_outside_zone_movable") },
	{ "Device-private pages exist only through a device driver's "
	  "migrate_vma_*() calls (lib/test_hmm.c's ioctls here), which no "
	  "scenario the models take can make.",
	  ROWS("hmm.status.device_private_pages_are_enoent",
	       "hmm.status.move_pages_leaves_device_private_pages",
	       "hmm.data.cpu_fault_brings_pages_back",
	       "hmm.data.migrate_to_sys_brings_pages_back",
	       "hmm.data.cpu_fault_follows_the_task_policy") },
	{ "Which filesystem holds a page, whether it has a migrate_folio "
	  "of its own and whether the move wrote a dirty page back are "
	  "properties of the page cache, not of the call: the models "
	  "know pages by kind and node only.",
	  ROWS("filesystems.status.tmpfs_clean_mapped_moved",
	       "filesystems.status.tmpfs_dirty_mapped_moved",
	       "filesystems.writeback.tmpfs_dirty_pages_written_back_by_move",
	       "filesystems.status.tmpfs_unmapped_stay_with_migrate_pages",
	       "filesystems.status.tmpfs_huge_clean_mapped_moved",
	       "filesystems.status.tmpfs_huge_dirty_mapped_moved",
	       "filesystems.writeback.tmpfs_huge_dirty_pages_written_back_by_move",
	       "filesystems.status.tmpfs_huge_unmapped_stay_with_migrate_pages",
	       "filesystems.status.ext4_clean_mapped_moved",
	       "filesystems.status.ext4_dirty_mapped_moved",
	       "filesystems.writeback.ext4_dirty_pages_written_back_by_move",
	       "filesystems.status.ext4_unmapped_stay_with_migrate_pages",
	       "filesystems.status.xfs_clean_mapped_moved",
	       "filesystems.status.xfs_dirty_mapped_moved",
	       "filesystems.writeback.xfs_dirty_pages_written_back_by_move",
	       "filesystems.status.xfs_unmapped_stay_with_migrate_pages",
	       "filesystems.status.btrfs_clean_mapped_moved",
	       "filesystems.status.btrfs_dirty_mapped_moved",
	       "filesystems.writeback.btrfs_dirty_pages_written_back_by_move",
	       "filesystems.status.btrfs_unmapped_stay_with_migrate_pages",
	       "filesystems.status.nilfs2_clean_mapped_moved",
	       "filesystems.status.nilfs2_dirty_mapped_moved",
	       "filesystems.writeback.nilfs2_dirty_pages_written_back_by_move",
	       "filesystems.status.nilfs2_unmapped_stay_with_migrate_pages",
	       "filesystems.status.tmpfs_huge_thp_moved_whole") },
	{ "A folio's size is data of its pages (nr_pages), but a node's "
	  "free memory is one count: which orders of free block it has, "
	  "so whether a large folio must be split to move (and whether "
	  "reclaim makes room first), is not data the models take.",
	  ROWS("mthp.move_pages.no_room_for_folio_splits_and_moves") },
	{ "Reclaim picks its folios by the LRU and their references, "
	  "and demotes them in the background of a cgroup's "
	  "memory.reclaim: no call the models take.",
	  ROWS("mthp.memory_reclaim.demotion_moves_whole_folios") },
	{ "NUMA balancing promotes what its hint faults find, when its "
	  "scan reaches the pages: no call the models take.",
	  ROWS("mthp.numa_balancing.promotes_whole_folios") },
	{ "A scenario is the caller's own populated address space; a "
	  "target process whose mm has no VMA at all is for the case "
	  "alone.",
	  ROWS("migrate_pages.return.mm_without_vmas") },
};
const size_t pmig_model_left_out_count =
	sizeof(pmig_model_left_out) / sizeof(pmig_model_left_out[0]);

static size_t naming(const struct pmig_model_rows *g, size_t n, const char *id)
{
	size_t count = 0;

	for (size_t i = 0; i < n; i++)
		for (const char *const *r = g[i].rows; *r; r++)
			count += !strcmp(*r, id);
	return count;
}

size_t pmig_model_implements(const char *id)
{
	return naming(pmig_model_implemented, pmig_model_implemented_count, id);
}

size_t pmig_model_leaves_out(const char *id)
{
	return naming(pmig_model_left_out, pmig_model_left_out_count, id);
}
