/* memblocks.h - the machine's memory blocks (/sys/devices/system/memory): each one's state, zones and node, for pmig topo and the memory offline cases. */
#ifndef PMIG_MEMBLOCKS_H
#define PMIG_MEMBLOCKS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/** One memory block, the unit the kernel onlines and offlines. */
struct pmig_memblock {
	long id; /* memoryN */
	int node; /* its nodeM link (drivers/base/memory.c), -1 for none */
	bool online; /* state reads "online" */
	/*
	 * valid_zones: for an online block the zone it is in ("Movable",
	 * "Normal", "DMA32"; "none" where it spans two), for an offline one
	 * the zones it could be onlined to, the default first.
	 */
	char zones[48];
};

/**
 * The memory block size below @root (NULL or "": the real /), from
 * block_size_bytes (hex); 0 where there is none (no memory hotplug).
 */
unsigned long long pmig_memblock_bytes(const char *root);

/**
 * Reads every block below @root into *@out (malloc'd, ascending by id;
 * free() it), their number into *@n. 0 or -errno: -ENOENT without the
 * memory hotplug directory.
 */
int pmig_memblocks_read(const char *root, struct pmig_memblock **out,
			size_t *n);

/** Whether @b is online in ZONE_MOVABLE. */
bool pmig_memblock_movable(const struct pmig_memblock *b);

/** The node of block @id among the @n of @b, or -1. */
int pmig_memblock_node(const struct pmig_memblock *b, size_t n, long id);

/**
 * Prints each node's online ZONE_MOVABLE memory below @root to @out, one
 * line per node ("movable memory: node 1, 256 MiB in 2 blocks
 * (memory32-memory33)"), nothing where there is none or the blocks
 * cannot be read. 0.
 */
int pmig_memblocks_print_movable(const char *root, FILE *out);

#endif
