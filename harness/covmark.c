/* covmark.c - marks an epoch for the coverage plugin: executes code at the epoch's address, names the epoch in the labels file. */
#include "covmark.h"
#include "covtab.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* One return instruction, as it is in memory on this machine. */
#if defined(__x86_64__) || defined(__i386__)
static const unsigned char ret_insn[] = { 0xc3 };
#elif defined(__aarch64__) && defined(__AARCH64EB__)
static const unsigned char ret_insn[] = { 0xd6, 0x5f, 0x03, 0xc0 };
#elif defined(__aarch64__)
static const unsigned char ret_insn[] = { 0xc0, 0x03, 0x5f, 0xd6 };
#elif defined(__powerpc64__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
static const unsigned char ret_insn[] = { 0x20, 0x00, 0x80, 0x4e };
#elif defined(__powerpc64__)
static const unsigned char ret_insn[] = { 0x4e, 0x80, 0x00, 0x20 };
#else
#define NO_MARK_INSN
#endif

/* Executes the return instruction at @id's mark address; 0 or -errno. */
static int execute_mark(unsigned id)
{
#ifdef NO_MARK_INSN
	(void)id;
	return -ENOSYS;
#else
	uintptr_t at = (uintptr_t)(PMIG_COV_MARK_BASE +
				   (uint64_t)id * PMIG_COV_MARK_STEP);
	long page = sysconf(_SC_PAGESIZE);
	void *p;

	/* Writable to fill it, then executable: never both at once. */
	p = mmap((void *)at, (size_t)page, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	if (p == MAP_FAILED)
		return -errno;
	/* A kernel before 4.17 takes the address as a hint only. */
	if ((uintptr_t)p != at) {
		munmap(p, (size_t)page);
		return -EEXIST;
	}
	memcpy(p, ret_insn, sizeof(ret_insn));
	if (mprotect(p, (size_t)page, PROT_READ | PROT_EXEC)) {
		int err = -errno;

		munmap(p, (size_t)page);
		return err;
	}
	/* arm64 and ppc64 fetch instructions past their data cache. */
	__builtin___clear_cache((char *)p, (char *)p + sizeof(ret_insn));
	((void (*)(void))p)();
	munmap(p, (size_t)page);
	return 0;
#endif
}

int pmig_cov_mark_to(const char *labels, unsigned id, const char *label)
{
	char line[320];
	size_t len;
	int fd, n, err;

	if (id < PMIG_COVMARK_RUNNER || id >= PMIG_COV_MAX_EPOCHS)
		return -EINVAL;
	err = execute_mark(id);
	if (err)
		return err;
	n = snprintf(line, sizeof(line), "%u\t%s", id, label ? label : "");
	len = n < 0			? 0 :
	      (size_t)n >= sizeof(line) ? sizeof(line) - 2 :
					  (size_t)n;
	for (size_t i = 0; i < len; i++)
		if (line[i] == '\n' || line[i] == '\r' ||
		    (line[i] == '\t' && line + i != strchr(line, '\t')))
			line[i] = ' ';
	line[len++] = '\n';
	/* One write in append mode: a line is never split by another writer's. */
	fd = open(labels, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	err = write(fd, line, len) == (ssize_t)len ? 0 : -EIO;
	if (close(fd) && !err)
		err = -errno;
	return err;
}

int pmig_cov_mark(unsigned id, const char *label)
{
	const char *labels = getenv("PMIG_COVERAGE");

	if (!labels || !*labels)
		return 1;
	return pmig_cov_mark_to(labels, id, label);
}
