/* refmig.c - the user-space reference migrator and the per-page node check that verifies any migrator. */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "pages_impl.h"
#include "pagesizes.h"
#include "refmig.h"
#include "syscalls.h"

/* Pages per move_pages(2) status query: bounded arrays, few calls. */
#define QUERY_CHUNK 4096
/* Bytes per memcpy: lets the copy of a huge range be followed step by step. */
#define COPY_CHUNK (64UL << 20)
/* Node mask bits carried over from the old mapping's policy. */
#define MASK_BITS 1024

/* What the migrator needs to know about the mapping that holds the range. */
struct vma_info {
	int prot;
	bool nohuge, huge, locked;
};

/*
 * Finds the mapping that contains [@start, @end) in /proc/self/smaps and
 * accepts it only when it is private anonymous and readable: the new
 * mapping could not stand in for a file or shared mapping (other mappers
 * would no longer see this one's pages), and an unreadable one cannot be
 * copied. The heap and stack are refused too: brk and stack growth keep
 * their own bookkeeping of those mappings.
 */
static int find_vma(uintptr_t start, uintptr_t end, struct vma_info *v)
{
	FILE *f = fopen("/proc/self/smaps", "re");
	char line[512];
	bool in = false, found = false;
	int ret = -EINVAL;

	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		unsigned long lo, hi, off, inode;
		char perms[8], dev[16];
		int name = 0;

		if (sscanf(line, "%lx-%lx %7s %lx %15s %lu %n", &lo, &hi, perms,
			   &off, dev, &inode, &name) >= 6 &&
		    name > 0) {
			if (found)
				break; /* the next mapping's header */
			if (start < lo || start >= hi)
				continue;
			found = true;
			/* One mapping must hold the whole range. */
			if (end > hi)
				break;
			const char *path = line + name;
			bool anon =
				inode == 0 && (*path == '\n' || *path == '\0' ||
					       strncmp(path, "[anon:", 6) == 0);

			if (!anon || perms[3] != 'p' || perms[0] != 'r')
				break;
			v->prot = PROT_READ |
				  (perms[1] == 'w' ? PROT_WRITE : 0) |
				  (perms[2] == 'x' ? PROT_EXEC : 0);
			in = true;
			ret = 0;
		} else if (in && strncmp(line, "VmFlags:", 8) == 0) {
			v->nohuge = strstr(line, " nh") != NULL;
			v->huge = strstr(line, " hg") != NULL;
			v->locked = strstr(line, " lo") != NULL;
			break;
		}
	}
	fclose(f);
	return ret;
}

static int copy_attributes(void *copy, size_t len, const struct vma_info *v)
{
	if (v->nohuge && madvise(copy, len, MADV_NOHUGEPAGE))
		return -errno;
	if (v->huge && madvise(copy, len, MADV_HUGEPAGE))
		return -errno;
	return 0;
}

/*
 * The copy keeps the original's policy, as move_pages(2) keeps it: a later
 * fault in the range allocates where the original's policy says, not on
 * @node. mbind without MPOL_MF_MOVE leaves the copied pages where they are.
 */
static int copy_policy(void *orig, void *copy, size_t len)
{
	unsigned long mask[MASK_BITS / (8 * sizeof(unsigned long))] = { 0 };
	int mode = 0;
	long ret;

	ret = pmig_get_mempolicy(&mode, mask, MASK_BITS, orig, MPOL_F_ADDR);
	if (ret < 0)
		return (int)ret;
	/* maxnode is one more than the highest bit the kernel reads. */
	ret = pmig_mbind(copy, len, mode, mask, MASK_BITS + 1, 0);
	return ret < 0 ? (int)ret : 0;
}

/*
 * Maps @len bytes whose offset within a THP-size block is @start's, so
 * that a THP of the original has an aligned block in the copy (faulted as
 * a THP when the copy is MADV_HUGEPAGE) and stays one where mremap puts
 * it. The PMD size is the machine's: 2 MiB on x86-64, 32 MiB on arm64
 * with 16K pages; without THP, a base page.
 */
static char *map_aligned_like(uintptr_t start, size_t len)
{
	const struct pmig_page_sizes *ps = pmig_page_sizes();
	const size_t align = ps->thp ? ps->thp : ps->base;
	size_t span = len + align;
	char *raw = mmap(NULL, span, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uintptr_t r, at;

	if (raw == MAP_FAILED)
		return raw;
	r = (uintptr_t)raw;
	at = r - r % align + start % align;
	if (at < r)
		at += align;
	if (at > r)
		munmap(raw, at - r);
	if (r + span > at + len)
		munmap((char *)(at + len), r + span - (at + len));
	return (char *)at;
}

int pmig_refmig(void *addr, size_t len, int node, struct pmig_refmig_stats *st)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	uintptr_t start = (uintptr_t)addr;
	struct vma_info v = { 0 };
	char *copy;
	int ret;

	if (st)
		memset(st, 0, sizeof(*st));
	if (!len || start % page || len % page || node < 0 ||
	    start + len < start)
		return -EINVAL;
	ret = find_vma(start, start + len, &v);
	if (ret)
		return ret;

	copy = map_aligned_like(start, len);
	if (copy == MAP_FAILED)
		return -errno;
	/*
	 * Bound before the first touch, so every page of the copy is
	 * allocated on @node or the copy fails (SIGBUS/OOM: the target is
	 * full). No MPOL_MF_STRICT: on an untouched range it has no page to
	 * check; the placement is verified afterwards, page by page.
	 */
	ret = copy_attributes(copy, len, &v);
	if (!ret)
		ret = pmig_bind_range(copy, len, node);
	if (ret)
		goto fail;
	for (size_t done = 0; done < len; done += COPY_CHUNK) {
		size_t n = len - done < COPY_CHUNK ? len - done : COPY_CHUNK;

		memcpy(copy + done, (char *)addr + done, n);
	}
	ret = copy_policy(addr, copy, len);
	if (ret)
		goto fail;
	if (v.prot != (PROT_READ | PROT_WRITE) && mprotect(copy, len, v.prot)) {
		ret = -errno;
		goto fail;
	}
	if (v.locked && mlock(copy, len)) {
		ret = -errno;
		goto fail;
	}
	/* Unmaps the original pages and puts the copy at their addresses. */
	if (mremap(copy, len, len, MREMAP_MAYMOVE | MREMAP_FIXED, addr) ==
	    MAP_FAILED) {
		ret = -errno;
		goto fail;
	}
	if (st) {
		st->bytes = len;
		st->pages = len / page;
	}
	return 0;
fail:
	munmap(copy, len);
	return ret;
}

long pmig_range_count_on_node(void *addr, size_t len, int node, long *first_off,
			      int *first_status)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	size_t count = len / page;
	void **pages = malloc(QUERY_CHUNK * sizeof(*pages));
	int *status = malloc(QUERY_CHUNK * sizeof(*status));
	long on = 0;

	if (first_off)
		*first_off = -1;
	if (!pages || !status) {
		on = -ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < count; i += QUERY_CHUNK) {
		size_t n = count - i < QUERY_CHUNK ? count - i : QUERY_CHUNK;
		long ret;

		for (size_t j = 0; j < n; j++) {
			pages[j] = (char *)addr + (i + j) * page;
			/* A value the kernel never stores for a query. */
			status[j] = -ESRCH;
		}
		ret = pmig_move_pages(0, n, pages, NULL, status, 0);
		if (ret < 0) {
			on = ret;
			goto out;
		}
		for (size_t j = 0; j < n; j++) {
			if (status[j] == node) {
				on++;
			} else if (first_off && *first_off < 0) {
				*first_off = (long)(i + j);
				if (first_status)
					*first_status = status[j];
			}
		}
	}
out:
	free(pages);
	free(status);
	return on;
}
