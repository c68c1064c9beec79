/* filepages.c - shared file pages: memfd (shmem) and a file on a disk-backed filesystem, clean or dirty. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "pages.h"
#include "pages_impl.h"

#define TMPFS_FS_MAGIC 0x01021994
#define RAMFS_FS_MAGIC 0x858458f6

int pmig_scratch_dir(char *buf, size_t len)
{
	const char *env = getenv("PMIG_SCRATCH_DIR");
	struct statfs fs;

	if (env && *env) {
		snprintf(buf, len, "%s", env);
		return 0;
	}
	/* Pages of tmpfs or ramfs are shmem or unevictable, not file pages on disk. */
	if (statfs("/var/tmp", &fs) == 0 && fs.f_type != TMPFS_FS_MAGIC &&
	    fs.f_type != RAMFS_FS_MAGIC) {
		snprintf(buf, len, "/var/tmp");
		return 0;
	}
	return -ENOMEDIUM;
}

static int memfd_create_pages(struct pmig_pages *p, int node)
{
	size_t len = p->count * p->page_size;
	int fd = memfd_create("pmig", MFD_CLOEXEC), ret = 0;

	if (fd < 0)
		return -errno;
	if (ftruncate(fd, (off_t)len))
		ret = -errno;
	if (!ret) {
		p->base = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED,
			       fd, 0);
		if (p->base == MAP_FAILED) {
			p->base = NULL;
			ret = -errno;
		}
	}
	close(fd); /* the mapping keeps the memfd */
	if (ret)
		return ret;
	p->map_len = len;
	madvise(p->base, len, MADV_NOHUGEPAGE);
	pmig_pages_set_addrs(p);
	/* A shmem mapping's policy is the file's: the pages follow it. */
	ret = pmig_bind_range(p->base, len, node);
	return ret ? ret : pmig_pages_fill(p);
}

/* An unlinked file in the scratch directory, so nothing is left behind. */
static int scratch_file(void)
{
	char dir[256], path[300];
	int fd;

	if (pmig_scratch_dir(dir, sizeof(dir)))
		return -ENOMEDIUM;
	snprintf(path, sizeof(path), "%s/pmig-pages-XXXXXX", dir);
	fd = mkostemp(path, O_CLOEXEC);
	if (fd < 0)
		return -errno;
	unlink(path);
	return fd;
}

/*
 * Page cache pages come from the allocating task's policy, not the
 * mapping's, so the task is bound while pwrite(2) fills the cache. One
 * pwrite per page keeps each folio a single page where the filesystem
 * could make large ones.
 */
static int write_pages(const struct pmig_pages *p, int fd, int node)
{
	size_t words = p->page_size / sizeof(uint64_t);
	uint64_t *buf = malloc(p->page_size);
	int ret = pmig_bind_task(node);

	if (!buf)
		ret = -ENOMEM;
	for (size_t i = 0; !ret && i < p->count; i++) {
		for (size_t j = 0; j < words; j++)
			buf[j] = pmig_pages_pattern(p, i, j);
		errno = 0;
		if (pwrite(fd, buf, p->page_size, (off_t)(i * p->page_size)) !=
		    (ssize_t)p->page_size)
			ret = errno ? -errno : -EIO;
	}
	pmig_bind_task(-1);
	free(buf);
	return ret;
}

static int file_create_pages(struct pmig_pages *p, int node)
{
	bool dirty = p->kind == PMIG_PAGE_FILE_DIRTY;
	size_t len = p->count * p->page_size;
	int fd = scratch_file(), ret;

	if (fd < 0)
		return fd;
	ret = write_pages(p, fd, node);
	if (!ret && !dirty && fdatasync(fd))
		ret = -errno;
	if (!ret) {
		p->base = mmap(NULL, len, PROT_READ | (dirty ? PROT_WRITE : 0),
			       MAP_SHARED, fd, 0);
		if (p->base == MAP_FAILED) {
			p->base = NULL;
			ret = -errno;
		}
	}
	close(fd);
	if (ret)
		return ret;
	p->map_len = len;
	pmig_pages_set_addrs(p);
	if (dirty) {
		/* A store through the mapping dirties the pte as well. */
		for (size_t i = 0; i < p->count; i++)
			*(volatile uint64_t *)p->addrs[i] =
				pmig_pages_pattern(p, i, 0);
	} else {
		pmig_pages_read_each(p);
	}
	return pmig_pages_check_node(p);
}

int pmig_file_create(struct pmig_pages *p, int node)
{
	if (p->kind == PMIG_PAGE_MEMFD)
		return memfd_create_pages(p, node);
	return file_create_pages(p, node);
}
