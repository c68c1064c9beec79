/* filesystems.h - the .arg of the filesystems rows (spec/filesystems.def): which filesystem, which kind of page cache page, which verdict. Macros only: the .def includes it inside the spec table. */
#ifndef PMIG_FILESYSTEMS_H
#define PMIG_FILESYSTEMS_H

/* The filesystem: the guest mounts each at /scratch-NAME and exports PMIG_SCRATCH_NAME (ext4: PMIG_SCRATCH_DIR). */
#define PMIG_FS_TMPFS 0 /* tmpfs, huge=never */
#define PMIG_FS_TMPFS_HUGE 1 /* tmpfs, huge=always */
#define PMIG_FS_EXT4 2
#define PMIG_FS_XFS 3
#define PMIG_FS_BTRFS 4
#define PMIG_FS_NILFS2 5
#define PMIG_FS_MASK 0xf

/* The pages and the verdict, above the filesystem bits. */
#define PMIG_FS_CLEAN (0 << 4) /* written, synced, mapped read-only: moved */
#define PMIG_FS_DIRTY \
	(1            \
	 << 4) /* written, mapped writable, stored through, not synced: moved */
#define PMIG_FS_WRITEBACK \
	(2 << 4) /* as DIRTY; the verdict: how many pages the move wrote back */
#define PMIG_FS_UNMAPPED \
	(3 << 4) /* written, in no page table: migrate_pages(2) leaves them */
#define PMIG_FS_HOW_MASK (0xf << 4)

#endif
